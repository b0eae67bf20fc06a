# Flags that make a target freestanding: no libc headers or functions, no
# builtins that assume a hosted environment. Applied to the procmgr library
# in every build, so what the tests exercise is what kernels link.

function(pm_freestanding target)
  target_compile_options(${target} PRIVATE -ffreestanding -fno-builtin -fno-common)
  if(PROCMGR_PORT STREQUAL "x86_64")
    # Kernel code: no red zone (interrupts push onto the same stack), no SSE
    # or x87 (the kernel does not save user FPU state on entry), no PIC.
    target_compile_options(${target} PRIVATE -mno-red-zone -mgeneral-regs-only
                           -mcmodel=${PROCMGR_X86_64_CMODEL} -fno-pic -fno-pie
                           -fno-stack-protector -fno-asynchronous-unwind-tables)
  elseif(PROCMGR_PORT STREQUAL "riscv64")
    target_compile_options(${target} PRIVATE -march=${PROCMGR_RISCV64_MARCH}
                           -mabi=${PROCMGR_RISCV64_MABI} -mcmodel=medany -fno-pic
                           -fno-stack-protector -fno-asynchronous-unwind-tables)
  endif()
endfunction()
