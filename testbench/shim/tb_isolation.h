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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tb_harness.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Entries per guest LVCMDQ (two queues). */
#define TB_ISO_QUEUE_ENTRIES 64u
/** SID pairs per VINTF. */
#define TB_ISO_PAIRS 16u
/** StreamIDs that hold ATC and config entries (tb_iso_sids()). */
#define TB_ISO_MAX_SIDS (32u + 64u + TB_ISO_PAIRS + 1u)
/** Ring bases of the host's, the guest's and the other guest's queues. */
#define TB_ISO_QBASE_HOST 0x200000u
#define TB_ISO_QBASE_GUEST 0x300000u
#define TB_ISO_QBASE_OTHER 0x400000u

/**
 * struct tb_iso_layout - one platform layout.
 * @vmid:       VINTF1 (the guest under test), VINTF2 (a second guest), a
 *              bystander VMID with no VINTF
 * @vsid, @psid, @pair_en: VINTF1's pairs (@npairs used)
 * @other_vsid: VINTF2's pairs (all enabled, psid 0x200 + s)
 * @sparse:     cache entries at three of the seven addresses only (what
 *              isolation needs is every VMID and SID; a fuzzer runs faster)
 */
struct tb_iso_layout {
	uint16_t vmid[3];
	unsigned npairs;
	uint32_t vsid[TB_ISO_PAIRS];
	uint32_t psid[TB_ISO_PAIRS];
	bool pair_en[TB_ISO_PAIRS];
	uint32_t other_vsid[TB_ISO_PAIRS];
	bool sparse;
};

/**
 * struct tb_iso_allow - what the guests of a case may remove.
 * @vmid_may_go: per VMID of the layout (VINTF1, VINTF2, bystander, 0)
 * @sid_may_go:  per StreamID of tb_iso_sids()
 */
struct tb_iso_allow {
	bool vmid_may_go[4];
	bool sid_may_go[TB_ISO_MAX_SIDS];
};

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

/*
 * The pieces of a case, for hosts that build their own (the guest-surface
 * fuzz target, testbench/fuzz/): the layout from a seed; the platform
 * configuration; bring-up of the SMMU and the three VINTFs on an
 * initialised harness (false if a handshake did not complete); the cache
 * entries every case starts with; one generated guest entry; the SIDs that
 * hold entries; and the check that nothing outside @allow went.
 */
void tb_iso_layout_gen(uint64_t seed, struct tb_iso_layout *c);
void tb_iso_config(struct cmdqv_config *cfg);
bool tb_iso_bringup(struct tb_harness *h, const struct tb_iso_layout *c);
void tb_iso_populate(struct cmdqv_model *m, const struct tb_iso_layout *c,
		     struct tb_iso_report *rep);
void tb_iso_gen_entry(uint64_t seed, const struct tb_iso_layout *c,
		      uint64_t dw[2]);
size_t tb_iso_sids(const struct tb_iso_layout *c, uint32_t *sids, size_t max);
void tb_iso_check_caches(struct cmdqv_model *m, const struct tb_iso_layout *c,
			 const struct tb_iso_allow *allow,
			 struct tb_iso_report *rep);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_TB_ISOLATION_H */
