/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_linux_cmds.h - the invalidation commands Linux builds for a strict
 * unmap, written once for the reference driver and the software-path
 * model: the TLBI list of arm-smmu-v3.c: __arm_smmu_tlb_inv_range() and the
 * ATC_INV window of arm_smmu_atc_inv_to_cmd().  4 KiB leaf pages
 * (TG = 4K, TTL = 3 with range invalidation), IHI 0070 4.4.
 */
#ifndef CMDQV_TB_LINUX_CMDS_H
#define CMDQV_TB_LINUX_CMDS_H

#include <stdbool.h>
#include <stdint.h>

#include "cmdqv_sim/cmd.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TB_LINUX_PAGE_SHIFT 12 /* 4 KiB pages */

/**
 * struct tb_tlbi_iter - the TLBI list of one range, one command at a time
 * (tb_linux_tlbi_begin / tb_linux_tlbi_next).
 */
struct tb_tlbi_iter {
	uint64_t iova;
	uint64_t pages;
	bool ril;
	struct cmd c;
};

/** Start the list for @pages pages from @iova (see tb_linux_tlbi_range). */
void tb_linux_tlbi_begin(struct tb_tlbi_iter *it, uint64_t iova, uint64_t pages,
			 bool ril, uint16_t vmid, uint16_t asid);
/** The next command into @out; false when the range is covered. */
bool tb_linux_tlbi_next(struct tb_tlbi_iter *it, struct cmd *out);

/**
 * The TLBI_NH_VA commands invalidating @pages 4 KiB leaf pages from @iova
 * for @vmid / @asid: one per page without @ril; with @ril, ranges of
 * (NUM+1) << SCALE pages, SCALE the lowest set bit of what is left.
 * Writes at most @max commands to @out; returns how many the range needs
 * (more than @max: the list was cut).
 */
uint32_t tb_linux_tlbi_range(struct cmd *out, uint32_t max, uint64_t iova,
			     uint64_t pages, bool ril, uint16_t vmid,
			     uint16_t asid);

/**
 * The ATC_INV for StreamID @sid covering [@iova, @iova + @size): the
 * aligned power-of-two window of pages holding it; @size 0 invalidates
 * everything (CMD_ATC_INV_SIZE_ALL, address 0, as Linux leaves it).
 */
struct cmd tb_linux_atc_inv(uint32_t sid, uint64_t iova, uint64_t size);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_TB_LINUX_CMDS_H */
