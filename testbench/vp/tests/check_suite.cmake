# SPDX-License-Identifier: BSD-3-Clause
# vp.suite_quantum: the whole scenario suite on cmdqv-vp with a 1 us quantum
# prints exactly what cmdqv-sim run prints (verdicts, failure messages with
# their simulated times) and exits with the same status.
file(GLOB scns ${SCN_DIR}/*.scn)
list(SORT scns)
execute_process(COMMAND ${SIM} run -q ${scns} RESULT_VARIABLE rc_sim OUTPUT_VARIABLE out_sim
        ERROR_VARIABLE err_sim)
execute_process(COMMAND ${VP} -q --quantum ${QUANTUM} ${scns} RESULT_VARIABLE rc_vp
        OUTPUT_VARIABLE out_vp ERROR_VARIABLE err_vp)
# Sanitizer builds: ASan warns (on stderr) about SystemC's coroutine stacks;
# those lines are not program output.
foreach(v err_sim err_vp)
        string(REGEX REPLACE "==[0-9]+==WARNING: ASan is ignoring requested __asan_handle_no_return[^\n]*\n" "" ${v} "${${v}}")
        string(REGEX REPLACE "False positive error reports may follow\n" "" ${v} "${${v}}")
        string(REGEX REPLACE "For details see https://github.com/google/sanitizers/issues/189\n" "" ${v} "${${v}}")
endforeach()
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
