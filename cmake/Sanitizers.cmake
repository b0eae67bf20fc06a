# PROCMGR_SANITIZE=ON: AddressSanitizer and UndefinedBehaviorSanitizer on
# every target of a host build; any report aborts the test that caused it.
if(PROCMGR_SANITIZE)
  if(NOT PROCMGR_PORT STREQUAL "host")
    message(FATAL_ERROR "PROCMGR_SANITIZE needs PROCMGR_PORT=host")
  endif()
  set(PM_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
  add_compile_options(${PM_SAN_FLAGS})
  add_link_options(-fsanitize=address,undefined)
endif()

# PROCMGR_FUZZ=ON: coverage instrumentation for libFuzzer plus ASan and
# UBSan everywhere; the fuzz targets link libFuzzer's main.
if(PROCMGR_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "PROCMGR_FUZZ needs clang (use the host-fuzz preset)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
