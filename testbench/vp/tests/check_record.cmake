# SPDX-License-Identifier: BSD-3-Clause
# vp.record: the same script recorded natively (cmdqv-sim run --record) and on
# the virtual platform (cmdqv-vp --record) gives byte-identical traces.
function(run_ok)
        execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
        if(NOT rc EQUAL 0)
                message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out} ${err}")
        endif()
endfunction()
file(REMOVE ${OUT}.native ${OUT}.vp)
run_ok(${SIM} run --record ${OUT}.native ${SCN})
run_ok(${VP} --record ${OUT}.vp ${SCN})
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}.native ${OUT}.vp
        RESULT_VARIABLE same)
if(NOT same EQUAL 0)
        message(FATAL_ERROR "recordings differ: ${OUT}.native vs ${OUT}.vp")
endif()
file(STRINGS ${OUT}.vp lines)
list(LENGTH lines n)
message(STATUS "identical recordings, ${n} lines")
