/* SPDX-License-Identifier: MIT */
/*
 * pm_arch_enter_user(pc = %rdi, sp = %rsi): the first entry to user mode
 * of an exec'd thread, with the register state of Linux's start_thread()
 * and ELF_PLAT_INIT: every general register 0, rflags = IF | FIXED,
 * x87/SSE in their init state (FNINIT, MXCSR 0x1f80, xmm0-15 zero).
 *
 * Kernel build: IRETQ to __USER_CS:pc with __USER_DS:sp. The caller has
 * disabled interrupts and set up everything a later trap needs (TSS.rsp0,
 * its swapgs convention, page tables).
 *
 * Hosted build (PM_ENTRY_HOSTED, used by pmexec): the same state, reached
 * with a `ret` in the current privilege level: pc is pushed just below sp
 * (the free stack under argc), so the jump leaves no register behind and
 * rsp ends exactly at sp. popfq cannot change IF there; it stays set.
 */
	.text
	.globl	pm_arch_enter_user
	.type	pm_arch_enter_user, @function
	.p2align 4
pm_arch_enter_user:
	/* x87 and SSE init state (the kernel resets wider vector state). */
	fninit
	pushq	$0x1f80
	ldmxcsr	(%rsp)
	popq	%rax
	pxor	%xmm0, %xmm0
	pxor	%xmm1, %xmm1
	pxor	%xmm2, %xmm2
	pxor	%xmm3, %xmm3
	pxor	%xmm4, %xmm4
	pxor	%xmm5, %xmm5
	pxor	%xmm6, %xmm6
	pxor	%xmm7, %xmm7
	pxor	%xmm8, %xmm8
	pxor	%xmm9, %xmm9
	pxor	%xmm10, %xmm10
	pxor	%xmm11, %xmm11
	pxor	%xmm12, %xmm12
	pxor	%xmm13, %xmm13
	pxor	%xmm14, %xmm14
	pxor	%xmm15, %xmm15
#ifdef PM_ENTRY_HOSTED
	movq	%rsi, %rsp
	pushq	%rdi			/* the return address of the final ret */
#else
	pushq	$0x2b			/* ss = __USER_DS */
	pushq	%rsi			/* rsp */
	pushq	$0x202			/* rflags = IF | FIXED */
	pushq	$0x33			/* cs = __USER_CS */
	pushq	%rdi			/* rip */
#endif
	xorl	%eax, %eax
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%esi, %esi
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	xorl	%r15d, %r15d
#ifdef PM_ENTRY_HOSTED
	pushq	$0x202
	popfq
	ret
#else
	iretq
#endif
	.size	pm_arch_enter_user, . - pm_arch_enter_user

	.section .note.GNU-stack, "", @progbits
