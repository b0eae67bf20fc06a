# Strict warning sets. pm_strict_warnings() is for library and port code;
# pm_test_warnings() for tests, whose Criterion macros trip a few of them.

set(PM_WARNINGS_COMMON
    -Wall -Wextra -Werror
    -Wshadow -Wpointer-arith -Wcast-qual -Wwrite-strings -Wundef -Wvla
    -Wformat=2 -Wimplicit-fallthrough -Wredundant-decls -Wfloat-equal
    -Wstrict-prototypes -Wold-style-definition -Wmissing-prototypes
    -Wnested-externs -Wbad-function-cast -Wdouble-promotion)

if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  list(APPEND PM_WARNINGS_COMMON -Wlogical-op -Wduplicated-cond -Wduplicated-branches
       -Wjump-misses-init)
elseif(CMAKE_C_COMPILER_ID MATCHES "Clang")
  list(APPEND PM_WARNINGS_COMMON -Wcomma -Wunreachable-code -Wassign-enum
       -Wshorten-64-to-32 -Wconditional-uninitialized)
endif()

function(pm_strict_warnings target)
  target_compile_options(${target} PRIVATE ${PM_WARNINGS_COMMON} -Wpedantic -Wconversion
                         -Wno-sign-conversion)
endfunction()

function(pm_test_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wshadow -Wpointer-arith
                         -Wundef -Wvla -Wno-missing-field-initializers)
endfunction()
