# SPDX-License-Identifier: BSD-3-Clause
# vp.suite_record: the differential oracle between the native model and the
# TLM bridge.  Every scenario script of the suite and every script of the
# scenario fuzz corpus is run once natively (cmdqv-sim run --record) and once
# on the virtual platform (cmdqv-vp --record); the two recordings -- every
# register access, command and event with its simulated time -- must be
# byte-identical, and so must the printed verdicts and the exit status.
include(${CMAKE_CURRENT_LIST_DIR}/vp_compare.cmake)
file(GLOB scns ${SCN_DIR}/*.scn)
file(GLOB corpus ${CORPUS_DIR}/*)
list(SORT scns)
list(SORT corpus)
list(APPEND scns ${corpus})
set(total 0)
set(k 0)
foreach(scn ${scns})
        file(REMOVE ${OUT}.native.trace ${OUT}.vp.trace)
        execute_process(COMMAND ${SIM} run -q --record ${OUT}.native.trace ${scn}
                RESULT_VARIABLE rc_sim OUTPUT_VARIABLE out_sim ERROR_VARIABLE err_sim)
        execute_process(COMMAND ${VP} -q --record ${OUT}.vp.trace ${scn}
                RESULT_VARIABLE rc_vp OUTPUT_VARIABLE out_vp ERROR_VARIABLE err_vp)
        vp_strip_asan(err_sim err_vp)
        if(NOT rc_sim EQUAL rc_vp)
                message(FATAL_ERROR "${scn}: exit status: cmdqv-sim ${rc_sim}, cmdqv-vp ${rc_vp}\n${err_sim}\n${err_vp}")
        endif()
        if(NOT out_sim STREQUAL out_vp OR NOT err_sim STREQUAL err_vp)
                message(FATAL_ERROR "${scn}: outputs differ:\n--- cmdqv-sim run\n${out_sim}${err_sim}--- cmdqv-vp\n${out_vp}${err_vp}")
        endif()
        if(rc_sim EQUAL 2)
                # refused script: neither run writes a recording
                if(EXISTS ${OUT}.native.trace OR EXISTS ${OUT}.vp.trace)
                        message(FATAL_ERROR "${scn}: refused, but a recording was left")
                endif()
                continue()
        endif()
        execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}.native.trace ${OUT}.vp.trace
                RESULT_VARIABLE same)
        if(NOT same EQUAL 0)
                file(RENAME ${OUT}.native.trace ${OUT}.failed.native.trace)
                file(RENAME ${OUT}.vp.trace ${OUT}.failed.vp.trace)
                message(FATAL_ERROR "${scn}: recordings differ: ${OUT}.failed.native.trace vs ${OUT}.failed.vp.trace")
        endif()
        file(STRINGS ${OUT}.vp.trace lines)
        list(LENGTH lines n)
        math(EXPR total "${total} + ${n}")
        math(EXPR k "${k} + 1")
endforeach()
list(LENGTH scns all)
if(k LESS 200 OR total LESS 10000)
        message(FATAL_ERROR "only ${k} of ${all} scripts recorded (${total} lines): too little was compared")
endif()
message(STATUS "${k} of ${all} scripts recorded identically (${total} trace lines) natively and through TLM")
