# Targets of the host build that check the whole tree.

# Build the freestanding archives (library and port) for both kernel
# architectures in sub-builds and check their symbols and every library
# file's includes.
set(PM_FS_ARCHES x86_64 riscv64)
set(pm_fs_cmds "")
foreach(arch IN LISTS PM_FS_ARCHES)
  set(dir ${PROJECT_BINARY_DIR}/freestanding-${arch})
  list(APPEND pm_fs_cmds
    COMMAND ${CMAKE_COMMAND} -S ${PROJECT_SOURCE_DIR} -B ${dir} -G ${CMAKE_GENERATOR}
            -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/toolchain-${arch}-elf.cmake
            -DCMAKE_BUILD_TYPE=Release
    COMMAND ${CMAKE_COMMAND} --build ${dir} --target procmgr procmgr_port_${arch} procmgr_conformance check-symbols)
endforeach()
add_custom_target(check-freestanding
  ${pm_fs_cmds}
  COMMAND ${CMAKE_COMMAND} -DROOT=${PROJECT_SOURCE_DIR} -P ${PROJECT_SOURCE_DIR}/cmake/CheckIncludes.cmake
  COMMENT "Building the freestanding archives (x86_64, riscv64) and checking symbols and includes"
  VERBATIM)

add_custom_target(size-report-all
  COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR}/freestanding-x86_64 --target size-report
  COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR}/freestanding-riscv64 --target size-report
  DEPENDS check-freestanding
  COMMENT "Freestanding size report"
  VERBATIM)

# Formatting and static analysis over the project's own C files.
file(GLOB_RECURSE PM_ALL_C_FILES CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/src/*.[ch] ${PROJECT_SOURCE_DIR}/include/*.h
     ${PROJECT_SOURCE_DIR}/ports/*.[ch] ${PROJECT_SOURCE_DIR}/tests/*.[ch])
find_program(PM_CLANG_FORMAT NAMES clang-format clang-format-14)
if(PM_CLANG_FORMAT)
  add_custom_target(format COMMAND ${PM_CLANG_FORMAT} -i ${PM_ALL_C_FILES}
                    COMMENT "clang-format -i" VERBATIM)
  add_custom_target(format-check COMMAND ${PM_CLANG_FORMAT} --dry-run -Werror ${PM_ALL_C_FILES}
                    COMMENT "clang-format --dry-run -Werror" VERBATIM)
endif()
add_custom_target(tidy
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/tidy.sh ${PROJECT_BINARY_DIR}
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  COMMENT "clang-tidy over src/ and ports/" VERBATIM)

# API documentation with warnings as errors.
find_package(Doxygen)
if(DOXYGEN_FOUND)
  set(PM_DOCS_OUT ${PROJECT_BINARY_DIR}/docs)
  configure_file(${PROJECT_SOURCE_DIR}/docs/Doxyfile.in ${PROJECT_BINARY_DIR}/Doxyfile @ONLY)
  add_custom_target(docs
    COMMAND ${DOXYGEN_EXECUTABLE} ${PROJECT_BINARY_DIR}/Doxyfile
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    COMMENT "Doxygen (warnings are errors) -> ${PM_DOCS_OUT}/html" VERBATIM)
endif()
