/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_isolation.h - the guest-isolation property check shared by the
 * GoogleTest property test (test_isolation.cpp) and the libFuzzer entry
 * point (testbench/fuzz/).
 *
 * One case: a fresh native platform with the SMMU up (SMMUEN=1), three
 * VINTFs - the host's VINTF0 (HYP_OWN=1, VMID 0), the guest VINTF1 under
 * test and a second guest VINTF2, both HYP_OWN=0 with their own VMIDs and
 * SID pairs - and TLB, config-cache and ATC entries for every VMID and SID
 * involved.  The guest's two LVCMDQs are filled with arbitrary 16-byte
 * entries (random commands from a seed, or raw bytes from a fuzzer),
 * published, and run to completion the way a guest driver would recover
 * errors (overwrite the failing entry with CMD_SYNC, GERRORN := GERROR,
 * tegra241-cmdqv.c: tegra241_cmdqv_isr()).
 *
 * The property (issue #2, docs/cmdqv-reference.md section 6): whatever the
 * guest queue holds, it never removes a TLB entry of another VMID (or an EL2
 * entry), a config-cache entry, or an ATC entry of a StreamID that is not the
 * SID_REPLACE of one of VINTF1's enabled pairs; its errors stay on its own
 * queues (no SMMU GERROR, no other VINTF's error map); and the queues make
 * progress (every entry is consumed).
 */
#ifndef CMDQV_TB_ISOLATION_H
#define CMDQV_TB_ISOLATION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Entries per guest LVCMDQ (two queues). */
#define TB_ISO_QUEUE_ENTRIES 64u

/**
 * struct tb_iso_report - what one case did.
 * @commands:        guest entries published (both queues)
 * @errors:          guest queue errors recovered
 * @ill_access:      of which T241_CERROR_ILL_ACCESS
 * @own_tlb_removed: TLB entries of the guest's VMID that went (coverage)
 * @own_atc_removed: ATC entries of the guest's replaced SIDs that went
 * @violation:       0 if the property held; else a one-line reason in @what
 */
struct tb_iso_report {
	size_t commands;
	size_t errors;
	size_t ill_access;
	size_t own_tlb_removed;
	size_t own_atc_removed;
	int violation;
	char what[200];
};

/**
 * Run one case.  The platform layout (VMIDs, SID pairs) comes from @seed;
 * the queue contents from @data (@len bytes, used as 16-byte entries, at
 * most 2 * TB_ISO_QUEUE_ENTRIES of them; a short tail is zero-padded) or,
 * if @data is NULL, are generated from @seed: a mix of allowed guest
 * commands with random fields, every other opcode with random fields, and
 * raw random words.  Deterministic.  Returns 0 if the case ran (see
 * @rep->violation), or a CMDQV_* status if the platform could not be built.
 */
int tb_iso_run(uint64_t seed, const uint8_t *data, size_t len,
	       struct tb_iso_report *rep);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_TB_ISOLATION_H */
