/*
 * Test helpers for pm_arch_enter_user on riscv64 (hosted build, under
 * qemu-riscv64).
 *
 * pm_test_dirty_and_enter(pc, sp): make every register, f0-f31 and fcsr
 * dirty, then tail-call pm_arch_enter_user(pc, sp).
 * pm_test_entry_probe: the "program" entered; records x1-x31, f0-f31 and
 * fcsr into pm_test_probe (C), restores gp for the C code, and exits with
 * the code pm_test_entry_check() returns.
 */
	.text
	.globl	pm_test_dirty_and_enter
	.type	pm_test_dirty_and_enter, @function
pm_test_dirty_and_enter:
	li	t0, -1
	fmv.d.x	f0, t0
	fmv.d.x	f1, t0
	fmv.d.x	f2, t0
	fmv.d.x	f3, t0
	fmv.d.x	f4, t0
	fmv.d.x	f5, t0
	fmv.d.x	f6, t0
	fmv.d.x	f7, t0
	fmv.d.x	f8, t0
	fmv.d.x	f9, t0
	fmv.d.x	f10, t0
	fmv.d.x	f11, t0
	fmv.d.x	f12, t0
	fmv.d.x	f13, t0
	fmv.d.x	f14, t0
	fmv.d.x	f15, t0
	fmv.d.x	f16, t0
	fmv.d.x	f17, t0
	fmv.d.x	f18, t0
	fmv.d.x	f19, t0
	fmv.d.x	f20, t0
	fmv.d.x	f21, t0
	fmv.d.x	f22, t0
	fmv.d.x	f23, t0
	fmv.d.x	f24, t0
	fmv.d.x	f25, t0
	fmv.d.x	f26, t0
	fmv.d.x	f27, t0
	fmv.d.x	f28, t0
	fmv.d.x	f29, t0
	fmv.d.x	f30, t0
	fmv.d.x	f31, t0
	li	t1, 0x7f
	fscsr	t1
	li	ra, -1
	li	gp, -1
	li	tp, -1
	li	t1, -1
	li	t2, -1
	li	s0, -1
	li	s1, -1
	li	a2, -1
	li	a3, -1
	li	a4, -1
	li	a5, -1
	li	a6, -1
	li	a7, -1
	li	s2, -1
	li	s3, -1
	li	s4, -1
	li	s5, -1
	li	s6, -1
	li	s7, -1
	li	s8, -1
	li	s9, -1
	li	s10, -1
	li	s11, -1
	li	t3, -1
	li	t4, -1
	li	t5, -1
	li	t6, -1
	tail	pm_arch_enter_user
	.size	pm_test_dirty_and_enter, . - pm_test_dirty_and_enter

	.globl	pm_test_entry_probe
	.type	pm_test_entry_probe, @function
pm_test_entry_probe:
	addi	sp, sp, -16
	sd	t1, 0(sp)
	.option	push
	.option	norelax
	lla	t1, pm_test_probe
	.option	pop
	sd	ra, 8(t1)
	sd	sp, 16(t1)		/* 16 below the entry sp */
	sd	gp, 24(t1)
	sd	tp, 32(t1)
	sd	t0, 40(t1)
	sd	t2, 56(t1)
	ld	t2, 0(sp)
	sd	t2, 48(t1)		/* t1 */
	sd	s0, 64(t1)
	sd	s1, 72(t1)
	sd	a0, 80(t1)
	sd	a1, 88(t1)
	sd	a2, 96(t1)
	sd	a3, 104(t1)
	sd	a4, 112(t1)
	sd	a5, 120(t1)
	sd	a6, 128(t1)
	sd	a7, 136(t1)
	sd	s2, 144(t1)
	sd	s3, 152(t1)
	sd	s4, 160(t1)
	sd	s5, 168(t1)
	sd	s6, 176(t1)
	sd	s7, 184(t1)
	sd	s8, 192(t1)
	sd	s9, 200(t1)
	sd	s10, 208(t1)
	sd	s11, 216(t1)
	sd	t3, 224(t1)
	sd	t4, 232(t1)
	sd	t5, 240(t1)
	sd	t6, 248(t1)
	frcsr	t2
	sd	t2, 256(t1)
	fsd	f0, 264(t1)
	fsd	f1, 272(t1)
	fsd	f2, 280(t1)
	fsd	f3, 288(t1)
	fsd	f4, 296(t1)
	fsd	f5, 304(t1)
	fsd	f6, 312(t1)
	fsd	f7, 320(t1)
	fsd	f8, 328(t1)
	fsd	f9, 336(t1)
	fsd	f10, 344(t1)
	fsd	f11, 352(t1)
	fsd	f12, 360(t1)
	fsd	f13, 368(t1)
	fsd	f14, 376(t1)
	fsd	f15, 384(t1)
	fsd	f16, 392(t1)
	fsd	f17, 400(t1)
	fsd	f18, 408(t1)
	fsd	f19, 416(t1)
	fsd	f20, 424(t1)
	fsd	f21, 432(t1)
	fsd	f22, 440(t1)
	fsd	f23, 448(t1)
	fsd	f24, 456(t1)
	fsd	f25, 464(t1)
	fsd	f26, 472(t1)
	fsd	f27, 480(t1)
	fsd	f28, 488(t1)
	fsd	f29, 496(t1)
	fsd	f30, 504(t1)
	fsd	f31, 512(t1)
	.option	push
	.option	norelax
	lla	gp, __global_pointer$
	.option	pop
	call	pm_test_entry_check
	li	a7, 94			/* exit_group(code) */
	ecall
	.size	pm_test_entry_probe, . - pm_test_entry_probe

	.section .note.GNU-stack, "", @progbits
