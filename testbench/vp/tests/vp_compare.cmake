# SPDX-License-Identifier: BSD-3-Clause
# Shared by the scripts that compare a native run with a cmdqv-vp run.

# vp_strip_asan(VAR...): drop from each variable the lines ASan prints (on
# stderr) about SystemC's coroutine stacks in sanitizer builds; they are not
# program output.
function(vp_strip_asan)
        foreach(v ${ARGN})
                set(s "${${v}}")
                string(REGEX REPLACE "==[0-9]+==WARNING: ASan is ignoring requested __asan_handle_no_return[^\n]*\n" "" s "${s}")
                string(REGEX REPLACE "False positive error reports may follow\n" "" s "${s}")
                string(REGEX REPLACE "For details see https://github.com/google/sanitizers/issues/189\n" "" s "${s}")
                set(${v} "${s}" PARENT_SCOPE)
        endforeach()
endfunction()
