/* SPDX-License-Identifier: MIT */
/*
 * pm_arch_enter_user(pc = a0, sp = a1): the first entry to user mode of an
 * exec'd thread, with the state of Linux's start_thread(): every register
 * but sp zero, f0-f31 and fcsr zero (FS = Initial), sp = the new stack.
 *
 * Kernel build: sepc = pc, sstatus.SPP = user, SPIE set, FS = Initial,
 * then sret. The caller has disabled interrupts and set up what a later
 * trap needs (stvec, sscratch, satp); V stays as the kernel left it (off).
 * The file is assembled for rv64gc even when the archive is rv64imac: the
 * port's user ABI (LP64D) needs an FPU.
 *
 * Hosted build (PM_ENTRY_HOSTED): the same register state reached with a
 * jump at the current privilege level. An unprivileged jump needs the
 * target in a register: t0 keeps pc, every other register is zero.
 */
	.text
	.globl	pm_arch_enter_user
	.type	pm_arch_enter_user, @function
	.p2align 2
pm_arch_enter_user:
	mv	t0, a0
	mv	sp, a1
#ifndef PM_ENTRY_HOSTED
	csrw	sepc, t0
	li	t1, 0x100		/* SPP: return to user mode */
	csrc	sstatus, t1
	li	t1, 0x6000		/* FS field */
	csrc	sstatus, t1
	li	t1, 0x2020		/* FS = Initial, SPIE */
	csrs	sstatus, t1
#endif
	fmv.d.x	f0, zero
	fmv.d.x	f1, zero
	fmv.d.x	f2, zero
	fmv.d.x	f3, zero
	fmv.d.x	f4, zero
	fmv.d.x	f5, zero
	fmv.d.x	f6, zero
	fmv.d.x	f7, zero
	fmv.d.x	f8, zero
	fmv.d.x	f9, zero
	fmv.d.x	f10, zero
	fmv.d.x	f11, zero
	fmv.d.x	f12, zero
	fmv.d.x	f13, zero
	fmv.d.x	f14, zero
	fmv.d.x	f15, zero
	fmv.d.x	f16, zero
	fmv.d.x	f17, zero
	fmv.d.x	f18, zero
	fmv.d.x	f19, zero
	fmv.d.x	f20, zero
	fmv.d.x	f21, zero
	fmv.d.x	f22, zero
	fmv.d.x	f23, zero
	fmv.d.x	f24, zero
	fmv.d.x	f25, zero
	fmv.d.x	f26, zero
	fmv.d.x	f27, zero
	fmv.d.x	f28, zero
	fmv.d.x	f29, zero
	fmv.d.x	f30, zero
	fmv.d.x	f31, zero
	fscsr	zero
#ifndef PM_ENTRY_HOSTED
	/* The writes above made FS Dirty; the values are the initial ones. */
	li	t1, 0x6000
	csrc	sstatus, t1
	li	t1, 0x2000
	csrs	sstatus, t1
	li	t0, 0
#endif
	li	ra, 0
	li	gp, 0
	li	tp, 0
	li	t1, 0
	li	t2, 0
	li	s0, 0
	li	s1, 0
	li	a0, 0
	li	a1, 0
	li	a2, 0
	li	a3, 0
	li	a4, 0
	li	a5, 0
	li	a6, 0
	li	a7, 0
	li	s2, 0
	li	s3, 0
	li	s4, 0
	li	s5, 0
	li	s6, 0
	li	s7, 0
	li	s8, 0
	li	s9, 0
	li	s10, 0
	li	s11, 0
	li	t3, 0
	li	t4, 0
	li	t5, 0
	li	t6, 0
#ifdef PM_ENTRY_HOSTED
	jr	t0
#else
	sret
#endif
	.size	pm_arch_enter_user, . - pm_arch_enter_user

	.section .note.GNU-stack, "", @progbits
