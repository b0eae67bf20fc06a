/*
 * Test helpers for pm_arch_enter_user on x86_64 (hosted build).
 *
 * pm_test_dirty_and_enter(pc, sp): make every register, flag and x87/SSE
 * control dirty, then tail-call pm_arch_enter_user(pc, sp).
 * pm_test_entry_probe: the "program" entered; records every register
 * into pm_test_probe (C) before anything changes them, then calls
 * pm_test_entry_report() on the new stack.
 */
	.text
	.globl	pm_test_dirty_and_enter
	.type	pm_test_dirty_and_enter, @function
pm_test_dirty_and_enter:
	pushq	$0x7f80			/* MXCSR: all exceptions masked, round to zero */
	ldmxcsr	(%rsp)
	movw	$0x027f, (%rsp)		/* FCW: 53-bit precision */
	fldcw	(%rsp)
	popq	%rax
	pcmpeqd	%xmm0, %xmm0
	pcmpeqd	%xmm1, %xmm1
	pcmpeqd	%xmm2, %xmm2
	pcmpeqd	%xmm3, %xmm3
	pcmpeqd	%xmm4, %xmm4
	pcmpeqd	%xmm5, %xmm5
	pcmpeqd	%xmm6, %xmm6
	pcmpeqd	%xmm7, %xmm7
	pcmpeqd	%xmm8, %xmm8
	pcmpeqd	%xmm9, %xmm9
	pcmpeqd	%xmm10, %xmm10
	pcmpeqd	%xmm11, %xmm11
	pcmpeqd	%xmm12, %xmm12
	pcmpeqd	%xmm13, %xmm13
	pcmpeqd	%xmm14, %xmm14
	pcmpeqd	%xmm15, %xmm15
	movq	$-1, %rax
	movq	$-1, %rbx
	movq	$-1, %rcx
	movq	$-1, %rdx
	movq	$-1, %rbp
	movq	$-1, %r8
	movq	$-1, %r9
	movq	$-1, %r10
	movq	$-1, %r11
	movq	$-1, %r12
	movq	$-1, %r13
	movq	$-1, %r14
	movq	$-1, %r15
	std
	jmp	pm_arch_enter_user
	.size	pm_test_dirty_and_enter, . - pm_test_dirty_and_enter

	.globl	pm_test_entry_probe
	.type	pm_test_entry_probe, @function
pm_test_entry_probe:
	movq	%rax, pm_test_probe+0(%rip)
	movq	%rbx, pm_test_probe+8(%rip)
	movq	%rcx, pm_test_probe+16(%rip)
	movq	%rdx, pm_test_probe+24(%rip)
	movq	%rsi, pm_test_probe+32(%rip)
	movq	%rdi, pm_test_probe+40(%rip)
	movq	%rbp, pm_test_probe+48(%rip)
	movq	%r8, pm_test_probe+56(%rip)
	movq	%r9, pm_test_probe+64(%rip)
	movq	%r10, pm_test_probe+72(%rip)
	movq	%r11, pm_test_probe+80(%rip)
	movq	%r12, pm_test_probe+88(%rip)
	movq	%r13, pm_test_probe+96(%rip)
	movq	%r14, pm_test_probe+104(%rip)
	movq	%r15, pm_test_probe+112(%rip)
	movq	%rsp, pm_test_probe+120(%rip)
	pushfq
	popq	pm_test_probe+128(%rip)
	stmxcsr	pm_test_probe+136(%rip)
	fnstcw	pm_test_probe+144(%rip)
	movdqu	%xmm0, pm_test_probe+160(%rip)
	movdqu	%xmm1, pm_test_probe+176(%rip)
	movdqu	%xmm2, pm_test_probe+192(%rip)
	movdqu	%xmm3, pm_test_probe+208(%rip)
	movdqu	%xmm4, pm_test_probe+224(%rip)
	movdqu	%xmm5, pm_test_probe+240(%rip)
	movdqu	%xmm6, pm_test_probe+256(%rip)
	movdqu	%xmm7, pm_test_probe+272(%rip)
	movdqu	%xmm8, pm_test_probe+288(%rip)
	movdqu	%xmm9, pm_test_probe+304(%rip)
	movdqu	%xmm10, pm_test_probe+320(%rip)
	movdqu	%xmm11, pm_test_probe+336(%rip)
	movdqu	%xmm12, pm_test_probe+352(%rip)
	movdqu	%xmm13, pm_test_probe+368(%rip)
	movdqu	%xmm14, pm_test_probe+384(%rip)
	movdqu	%xmm15, pm_test_probe+400(%rip)
	call	pm_test_entry_report
	ud2
	.size	pm_test_entry_probe, . - pm_test_entry_probe


/*
 * pm_test_sig_entry: a signal handler's first instructions. Records the
 * registers the kernel set for handler entry (rsp, rdi, rsi, rdx, rax,
 * rflags, cs, ss) in pm_test_sig_regs (C), then jumps to the C handler
 * with the arguments untouched.
 */
	.text
	.globl	pm_test_sig_entry
	.type	pm_test_sig_entry, @function
pm_test_sig_entry:
	movq	%rsp, pm_test_sig_regs+0(%rip)
	movq	%rdi, pm_test_sig_regs+8(%rip)
	movq	%rsi, pm_test_sig_regs+16(%rip)
	movq	%rdx, pm_test_sig_regs+24(%rip)
	movq	%rax, pm_test_sig_regs+32(%rip)
	pushfq
	popq	pm_test_sig_regs+40(%rip)
	movw	%cs, pm_test_sig_regs+48(%rip)
	movw	%ss, pm_test_sig_regs+56(%rip)
	jmp	pm_test_real_handler
	.size	pm_test_sig_entry, . - pm_test_sig_entry

	.section .note.GNU-stack, "", @progbits
