# SPDX-License-Identifier: BSD-3-Clause
# vp.oot_install: install the build into a temporary prefix, then configure,
# build and run the out-of-tree platform in this directory against it, once
# with find_package(cmdqv_sim) and once with pkg-config (cmdqv_tlm.pc).
file(REMOVE_RECURSE ${WORK})
set(prefix ${WORK}/prefix)
function(run)
        execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
        if(NOT rc EQUAL 0)
                string(REPLACE ";" " " cmd "${ARGN}")
                message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}\n${err}")
        endif()
        set(last_out "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(f include/cmdqv_sim/model.h include/cmdqv_tlm/bridge.h)
        if(NOT EXISTS ${prefix}/${f})
                message(FATAL_ERROR "not installed: ${f}")
        endif()
endforeach()

# A sanitizer build installs instrumented libraries: the consumer links the
# sanitizer runtimes too.
set(san_flags "")
set(san_args "")
if(SANITIZE)
        set(san_flags -fsanitize=${SANITIZE})
        set(san_args -DCMAKE_CXX_FLAGS=-fsanitize=${SANITIZE}
                -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=${SANITIZE})
endif()

# CMake package
run(${CMAKE_COMMAND} -S ${OOT_SRC} -B ${WORK}/build -G ${GENERATOR}
        -DCMAKE_PREFIX_PATH=${prefix} ${san_args})
run(${CMAKE_COMMAND} --build ${WORK}/build)
run(${WORK}/build/oot_vp)
message(STATUS "find_package build: ${last_out}")

# pkg-config
find_program(PKG_CONFIG pkg-config REQUIRED)
find_program(CXX NAMES c++ g++ REQUIRED)
file(GLOB_RECURSE pcs ${prefix}/*/cmdqv_tlm.pc)
list(GET pcs 0 pc)
get_filename_component(pcdir ${pc} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pcdir})
run(${PKG_CONFIG} --cflags --libs cmdqv_tlm)
string(STRIP "${last_out}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run(${CXX} ${san_flags} ${OOT_SRC}/main.cpp -o ${WORK}/oot_vp_pc ${flags})
run(${WORK}/oot_vp_pc)
message(STATUS "pkg-config build: ${last_out}")
