# SPDX-License-Identifier: BSD-3-Clause
# vp.vcd: run cmdqv-vp --vcd on a small script and check that the file is a
# well-formed VCD with the queue and interrupt variables and value changes
# after time zero (what GTKWave needs to open it).
file(REMOVE ${OUT})
execute_process(COMMAND ${VP} --vcd ${OUT} ${SCN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
        ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
        message(FATAL_ERROR "cmdqv-vp failed (${rc}): ${out} ${err}")
endif()
if(NOT EXISTS ${OUT})
        message(FATAL_ERROR "no VCD written at ${OUT}")
endif()
file(READ ${OUT} vcd)
# Dotted trace names become scopes: SMMU_CMDQ/{prod,cons,occupancy}, irq/...
foreach(token "$timescale" "$enddefinitions" "$scope module SMMU_CMDQ $end"
              "$scope module irq $end" " occupancy " " gerror " " cmd_sync ")
        string(FIND "${vcd}" "${token}" pos)
        if(pos EQUAL -1)
                message(FATAL_ERROR "VCD lacks '${token}'")
        endif()
endforeach()
# Value changes at a non-zero time (#<digits> with digits not all zero).
string(REGEX MATCHALL "\n#[1-9][0-9]*\n" stamps "${vcd}")
list(LENGTH stamps n)
if(n LESS 2)
        message(FATAL_ERROR "VCD has ${n} non-zero timestamps; expected activity")
endif()
# The CONS of the SMMU CMDQ must reach 3 (binary 11) at some point.
string(FIND "${vcd}" "$scope module SMMU_CMDQ $end" at)
string(SUBSTRING "${vcd}" ${at} -1 smmu_scope)
string(REGEX MATCH "\\$var wire +32 +([^ ]+) +cons " m "${smmu_scope}")
set(id ${CMAKE_MATCH_1})
if(NOT id)
        message(FATAL_ERROR "cannot find the identifier of SMMU_CMDQ.cons")
endif()
string(REGEX MATCH "\nb0*11 ${id}\n" hit "${vcd}")
if(NOT hit)
        message(FATAL_ERROR "SMMU_CMDQ.cons (id ${id}) never shows 3")
endif()
message(STATUS "VCD ok: ${n} timestamps")

# Deterministic: a second run of the same script gives the same bytes (the
# header's $date is not the wall clock).  This run writes the option after the
# script, as the README does (`cmdqv-vp script.scn --vcd q.vcd`).
execute_process(COMMAND ${VP} ${SCN} --vcd ${OUT}.again.vcd RESULT_VARIABLE rc
        OUTPUT_QUIET ERROR_QUIET)
file(READ ${OUT}.again.vcd vcd_again)
if(NOT rc EQUAL 0 OR NOT vcd STREQUAL vcd_again)
        message(FATAL_ERROR "two runs of the same script gave different VCD files")
endif()

# If GTKWave's tools are installed, its own VCD reader must accept the file.
find_program(VCD2FST vcd2fst)
if(VCD2FST)
        execute_process(COMMAND ${VCD2FST} ${OUT} ${OUT}.fst RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
        if(NOT rc EQUAL 0 OR NOT EXISTS ${OUT}.fst)
                message(FATAL_ERROR "GTKWave's vcd2fst rejects the VCD (${rc}): ${err}")
        endif()
        message(STATUS "GTKWave vcd2fst accepts it")
endif()
