# SPDX-License-Identifier: BSD-3-Clause
# The host-path comparison from the command line (docs/linux-driver.md):
#   -DMODE=twice   LXBIN=cmdqv-linux: two runs write byte-identical JSON
#   -DMODE=exec    SIM=cmdqv-sim (beside cmdqv-linux): compare --driver
#                  linux runs it and writes DIR/linux-compare.json
#   -DMODE=missing SIM=cmdqv-sim copied where no cmdqv-linux is: exit
#                  status 2 and one line naming cmdqv-linux
# DIR is a scratch directory.
file(REMOVE_RECURSE ${DIR})
file(MAKE_DIRECTORY ${DIR})
set(args --cpus 1,4 --granules 1,16 --iterations 20 --quiet)
if(MODE STREQUAL "twice")
        foreach(n a b)
                execute_process(COMMAND ${LXBIN} --compare-host ${args} --json ${DIR}/${n}.json
                        OUTPUT_FILE ${DIR}/${n}.txt RESULT_VARIABLE rc)
                if(NOT rc EQUAL 0)
                        message(FATAL_ERROR "cmdqv-linux --compare-host exited ${rc}")
                endif()
        endforeach()
        foreach(ext json txt)
                execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${DIR}/a.${ext} ${DIR}/b.${ext}
                        RESULT_VARIABLE diff)
                if(NOT diff EQUAL 0)
                        message(FATAL_ERROR "two runs differ: ${DIR}/a.${ext} ${DIR}/b.${ext}")
                endif()
        endforeach()
        file(READ ${DIR}/a.json j)
        foreach(key "\"linux\"" "\"builtin\"" "\"gathered_issues\"" "\"failed_cmpxchg\"" "\"issue_latency_histogram\"")
                string(FIND "${j}" "${key}" at)
                if(at LESS 0)
                        message(FATAL_ERROR "${key} missing from the JSON")
                endif()
        endforeach()
elseif(MODE STREQUAL "exec")
        execute_process(COMMAND ${SIM} compare --driver linux --paths host --threads 1,2
                --granules 1 --iterations 20 --out ${DIR}/out --quiet
                OUTPUT_VARIABLE out RESULT_VARIABLE rc)
        if(NOT rc EQUAL 0)
                message(FATAL_ERROR "compare --driver linux exited ${rc}")
        endif()
        if(NOT EXISTS ${DIR}/out/linux-compare.json)
                message(FATAL_ERROR "no ${DIR}/out/linux-compare.json")
        endif()
        string(FIND "${out}" "builtin" at)
        if(at LESS 0)
                message(FATAL_ERROR "no side-by-side table on stdout: ${out}")
        endif()
elseif(MODE STREQUAL "missing")
        file(COPY ${SIM} DESTINATION ${DIR})
        get_filename_component(name ${SIM} NAME)
        execute_process(COMMAND ${DIR}/${name} compare --driver linux --paths host --out ${DIR}/out
                ERROR_VARIABLE err RESULT_VARIABLE rc)
        if(NOT rc EQUAL 2)
                message(FATAL_ERROR "expected exit status 2, got ${rc}: ${err}")
        endif()
        string(FIND "${err}" "needs cmdqv-linux" at)
        if(at LESS 0)
                message(FATAL_ERROR "the message does not name cmdqv-linux: ${err}")
        endif()
        if(EXISTS ${DIR}/out)
                message(FATAL_ERROR "${DIR}/out was created")
        endif()
else()
        message(FATAL_ERROR "MODE=${MODE}?")
endif()
