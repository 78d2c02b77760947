# SPDX-License-Identifier: BSD-3-Clause
# vp.suite_quantum: the whole scenario suite on cmdqv-vp with a 1 us quantum
# prints exactly what cmdqv-sim run prints (verdicts, failure messages with
# their simulated times) and exits with the same status.
include(${CMAKE_CURRENT_LIST_DIR}/vp_compare.cmake)
file(GLOB scns ${SCN_DIR}/*.scn)
list(SORT scns)
execute_process(COMMAND ${SIM} run -q ${scns} RESULT_VARIABLE rc_sim OUTPUT_VARIABLE out_sim
        ERROR_VARIABLE err_sim)
execute_process(COMMAND ${VP} -q --quantum ${QUANTUM} ${scns} RESULT_VARIABLE rc_vp
        OUTPUT_VARIABLE out_vp ERROR_VARIABLE err_vp)
vp_strip_asan(err_sim err_vp)
if(NOT rc_sim EQUAL rc_vp)
        message(FATAL_ERROR "exit status: cmdqv-sim ${rc_sim}, cmdqv-vp ${rc_vp}\n${err_vp}")
endif()
if(NOT out_sim STREQUAL out_vp OR NOT err_sim STREQUAL err_vp)
        file(WRITE ${OUT}.native "${out_sim}${err_sim}")
        file(WRITE ${OUT}.vp "${out_vp}${err_vp}")
        message(FATAL_ERROR "outputs differ: ${OUT}.native vs ${OUT}.vp")
endif()
list(LENGTH scns n)
message(STATUS "${n} scripts, same output and status (${rc_vp})")
