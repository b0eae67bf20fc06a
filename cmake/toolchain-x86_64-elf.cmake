# Freestanding x86_64 kernel build: Debian's gcc producing code for a kernel
# (flags in Freestanding.cmake). Nothing is linked against libc.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER gcc)
set(CMAKE_ASM_COMPILER gcc)
set(CMAKE_AR ar)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -static")
set(PROCMGR_PORT x86_64 CACHE STRING "procmgr port" FORCE)
