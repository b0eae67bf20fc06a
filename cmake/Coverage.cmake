# PROCMGR_COVERAGE=ON: gcov instrumentation of a host build (gcc --coverage).
if(PROCMGR_COVERAGE)
  if(NOT PROCMGR_PORT STREQUAL "host")
    message(FATAL_ERROR "PROCMGR_COVERAGE needs PROCMGR_PORT=host")
  endif()
  add_compile_options(--coverage -O0)
  add_link_options(--coverage)
endif()
