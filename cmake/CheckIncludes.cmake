# cmake -DROOT=<source dir> -P CheckIncludes.cmake
#
# Library code is freestanding: files under src/, include/ and the arch
# ports may include only the freestanding C headers and procmgr's own
# headers (a port also its private port_internal.h).
set(allowed stddef.h stdint.h stdbool.h stdalign.h limits.h stdarg.h)
file(GLOB_RECURSE files ${ROOT}/src/*.c ${ROOT}/src/*.h ${ROOT}/include/*.h)
# The architecture ports are library code too (ports/host is not).
file(GLOB port_files ${ROOT}/ports/x86_64/*.[ch] ${ROOT}/ports/riscv64/*.[ch]
     ${ROOT}/ports/x86_64/include/procmgr/*.h ${ROOT}/ports/riscv64/include/procmgr/*.h)
list(APPEND files ${port_files})
set(bad "")
foreach(f IN LISTS files)
  file(STRINGS ${f} incs REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS incs)
    if(line MATCHES "<([^>]+)>")
      list(FIND allowed "${CMAKE_MATCH_1}" idx)
      if(idx EQUAL -1)
        file(RELATIVE_PATH rel ${ROOT} ${f})
        list(APPEND bad "${rel}: ${line}")
      endif()
    elseif(line MATCHES "\"([^\"]+)\"")
      set(inc "${CMAKE_MATCH_1}")
      if(NOT inc MATCHES "^(procmgr|hal|table|signal|cred|ns|loader|vm)/"
         AND NOT inc STREQUAL "port_internal.h")
        file(RELATIVE_PATH rel ${ROOT} ${f})
        list(APPEND bad "${rel}: ${line}")
      endif()
    endif()
  endforeach()
endforeach()
if(bad)
  string(REPLACE ";" "\n  " bad_s "${bad}")
  message(FATAL_ERROR "non-freestanding includes in library code:\n  ${bad_s}")
endif()
list(LENGTH files n)
message(STATUS "includes: ${n} library files, all freestanding")
