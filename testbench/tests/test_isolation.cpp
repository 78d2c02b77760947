/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_isolation.cpp - guest isolation on guest-owned VCMDQs
 * (docs/cmdqv-reference.md section 6): the command allowlist, VMID forcing, SID
 * replacement and SID miss, errors confined to the guest's queue, and the
 * property test required by issue #2 - random guest-queue contents on one
 * VINTF never remove TLB entries of another VMID nor ATC entries of a SID
 * outside that VINTF's replace table (tb_isolation.h).
 *
 * The error code for a disallowed command and for a SID miss is the model's
 * documented choice, T241_CERROR_ILL_ACCESS (docs/guest-isolation.md).
 */
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

extern "C" {
#include "internal.h"
#include "tb_harness.h"
#include "tb_isolation.h"
}

namespace
{

constexpr enum cmdqv_space C = CMDQV_SPACE_CMDQV;
constexpr unsigned kGuest = 1, kOther = 2;
constexpr unsigned kQg = 2, kQo = 4, kQh = 0; /* global VCMDQs */
constexpr uint16_t kVmid = 5, kOtherVmid = 6;

uint64_t vi_file(unsigned v)
{
	return 0x1000u + 0x100u * v;
}
uint64_t p0(unsigned q)
{
	return 0x10000u + 0x80u * q;
}

class Isolation : public ::testing::Test {
    protected:
	void SetUp() override
	{
		cmdqv_config cfg;
		cmdqv_config_defaults(&cfg);
		cfg.vintfs = 4;
		cfg.vcmdqs = 8;
		tweak(cfg);
		ASSERT_EQ(tb_harness_init(&h, &cfg), CMDQV_OK);
		ASSERT_TRUE(tb_harness_smmu_up(&h, 0x100000, 6, true));
		ASSERT_TRUE(tb_harness_vintf_up(&h, 0, true, 0, kQh, 2,
						0x200000, 6));
		ASSERT_TRUE(tb_harness_vintf_up(&h, kGuest, false, kVmid, kQg,
						2, 0x300000, 6));
		ASSERT_TRUE(tb_harness_vintf_up(&h, kOther, false, kOtherVmid,
						kQo, 2, 0x400000, 6));
		/* VINTF1: vSID 0x10 -> pSID 0x200; vSID 0x11 -> 0x201 disabled.
                 * VINTF2: vSID 0x10 -> pSID 0x300. */
		pair(kGuest, 0, 0x10, 0x200, true);
		pair(kGuest, 1, 0x11, 0x201, false);
		pair(kOther, 0, 0x10, 0x300, true);
	}
	virtual void tweak(cmdqv_config &)
	{
	}
	void TearDown() override
	{
		tb_harness_deinit(&h);
	}
	/* A fresh platform, as SetUp builds it. */
	void reset()
	{
		tb_harness_deinit(&h);
		h = tb_harness{};
		SetUp();
	}
	cmdqv_model *m()
	{
		return tb_harness_model(&h);
	}
	void pair(unsigned v, unsigned s, uint32_t vsid, uint32_t psid, bool en)
	{
		tb_harness_write(&h, C, vi_file(v) + 0x80 + 4 * s, 4, psid);
		tb_harness_write(&h, C, vi_file(v) + 0x40 + 4 * s, 4,
				 (vsid << 1) | (en ? 1 : 0));
	}
	/* Push @c then a SYNC on queue @q, publish, and run for a while. */
	void issue(unsigned q, const cmd &c)
	{
		tb_harness_push(&h, (int)q, &c);
		cmd s = tb_cmd_sync(0);
		tb_harness_push(&h, (int)q, &s);
		tb_harness_publish(&h, (int)q);
		tb_harness_run(&h, SIM_US(50));
	}
	unsigned err(unsigned q)
	{
		return (tb_harness_cons_reg(&h, (int)q) >> 24) & 0x7f;
	}
	bool err_active(unsigned q)
	{
		return tb_harness_read(&h, C, p0(q) + 0x10, 4) !=
		       tb_harness_read(&h, C, p0(q) + 0x14, 4);
	}
	tb_harness h{};
};

cmd op(uint8_t opcode)
{
	cmd c{};
	c.opcode = opcode;
	return c;
}

/* ---- the allowlist ---- */

struct AllowRow {
	uint8_t opcode;
	bool allowed;
};

class GuestAllowlist : public Isolation,
		       public ::testing::WithParamInterface<AllowRow> {};

TEST_P(GuestAllowlist, OnlyTheGuestCommandSetExecutes)
{
	const AllowRow row = GetParam();
	cmd c = op(row.opcode);
	/* legal on this platform, so only the guest filter can refuse it */
	c.sid = 0x10;
	c.vmid = kVmid;
	c.range = 0;
	c.size = 0;
	c.resp = 0;
	tb_harness_push(&h, (int)kQg, &c);
	tb_harness_publish(&h, (int)kQg);
	tb_harness_run(&h, SIM_US(50));
	if (row.allowed) {
		EXPECT_EQ(tb_harness_cons(&h, (int)kQg), 1u)
			<< cmd_name(row.opcode);
		EXPECT_FALSE(err_active(kQg));
	} else {
		EXPECT_EQ(tb_harness_cons(&h, (int)kQg), 0u)
			<< cmd_name(row.opcode);
		EXPECT_TRUE(err_active(kQg));
		EXPECT_EQ(err(kQg), (unsigned)T241_CERROR_ILL_ACCESS)
			<< cmd_name(row.opcode);
	}
	/* the same command on the hypervisor-owned queue is accepted */
	tb_harness_push(&h, (int)kQh, &c);
	tb_harness_publish(&h, (int)kQh);
	tb_harness_run(&h, SIM_US(50));
	EXPECT_EQ(tb_harness_cons(&h, (int)kQh), 1u) << cmd_name(row.opcode);
	EXPECT_FALSE(err_active(kQh));
}

std::vector<AllowRow> allow_rows()
{
	std::vector<AllowRow> v;
#define ROW(name, val)                                          \
	v.push_back({ val, val == CMDQ_OP_TLBI_NH_ASID ||       \
				   val == CMDQ_OP_TLBI_NH_VA || \
				   val == CMDQ_OP_ATC_INV ||    \
				   val == CMDQ_OP_SYNC });
	CMD_OPCODE_MAP(ROW)
#undef ROW
	/* Opcodes the platform makes ILL anyway (EL3_*, PRI_RESP without PRI,
         * RESUME/STALL_TERM without stall) are checked separately. */
	std::vector<AllowRow> out;
	for (const AllowRow &r : v)
		if (r.opcode != CMDQ_OP_TLBI_EL3_ALL &&
		    r.opcode != CMDQ_OP_TLBI_EL3_VA &&
		    r.opcode != CMDQ_OP_PRI_RESP &&
		    r.opcode != CMDQ_OP_RESUME &&
		    r.opcode != CMDQ_OP_STALL_TERM)
			out.push_back(r);
	return out;
}

INSTANTIATE_TEST_SUITE_P(EveryOpcode, GuestAllowlist,
			 ::testing::ValuesIn(allow_rows()),
			 [](const ::testing::TestParamInfo<AllowRow> &i) {
				 return std::string(cmd_name(i.param.opcode) +
						    4);
			 });

/* With PRI and the stall model, PRI_RESP, RESUME and STALL_TERM are legal:
 * the guest filter still refuses them. */
class IsolationPriStall : public Isolation {
	void tweak(cmdqv_config &c) override
	{
		c.pri = true;
		c.stall = true;
	}
};

TEST_F(IsolationPriStall, PriAndStallCommandsAreRefusedOnGuestQueues)
{
	for (uint8_t o :
	     { CMDQ_OP_PRI_RESP, CMDQ_OP_RESUME, CMDQ_OP_STALL_TERM }) {
		cmd c = op(o);
		c.sid = 0x10;
		issue(kQh, c); /* legal: the host's queue runs it */
		EXPECT_FALSE(err_active(kQh)) << cmd_name(o);
		issue(kQg, c);
		EXPECT_EQ(err(kQg), (unsigned)T241_CERROR_ILL_ACCESS)
			<< cmd_name(o);
		reset();
	}
}

TEST_F(Isolation, ArchitecturallyIllegalCommandIsIllBeforeTheFilter)
{
	/* The engine checks legality first (cmdq.c), so an unknown opcode or
         * a reserved CS is SMMU_CERROR_ILL even on a guest queue. */
	issue(kQg, op(0x00));
	EXPECT_EQ(err(kQg), (unsigned)SMMU_CERROR_ILL);
	tb_harness_ack(&h, (int)kQg);
	cmd s = tb_cmd_sync(3);
	reset();
	issue(kQg, s);
	EXPECT_EQ(err(kQg), (unsigned)SMMU_CERROR_ILL);
}

/* ---- VMID forcing ---- */

TEST_F(Isolation, GuestTlbiNhAsidGetsTheVintfVmid)
{
	for (uint16_t vm : { kVmid, kOtherVmid, (uint16_t)0 })
		ASSERT_EQ(cmdqv_tlb_add(m(), CMDQV_TLB_NH, vm, 3, 0x5000, 2),
			  CMDQV_OK);
	cmd c = op(CMDQ_OP_TLBI_NH_ASID);
	c.vmid = kOtherVmid; /* the guest names another VM: forced to its own */
	c.asid = 3;
	issue(kQg, c);
	EXPECT_FALSE(err_active(kQg));
	EXPECT_EQ(cmdqv_tlb_count(m(), kVmid), 0u);
	EXPECT_EQ(cmdqv_tlb_count(m(), kOtherVmid), 2u);
	EXPECT_EQ(cmdqv_tlb_count(m(), 0), 2u);
}

TEST_F(Isolation, GuestTlbiNhVaGetsTheVintfVmid)
{
	for (uint16_t vm : { kVmid, kOtherVmid })
		ASSERT_EQ(cmdqv_tlb_add(m(), CMDQV_TLB_NH, vm, 3, 0x5000, 2),
			  CMDQV_OK);
	cmd c = tb_cmd_tlbi_nh_va(0 /* Linux guests write 0 */, 3, 0x6000);
	issue(kQg, c);
	EXPECT_FALSE(err_active(kQg));
	EXPECT_TRUE(cmdqv_tlb_present(m(), CMDQV_TLB_NH, kVmid, 3, 0x5000));
	EXPECT_FALSE(cmdqv_tlb_present(m(), CMDQV_TLB_NH, kVmid, 3, 0x6000));
	EXPECT_TRUE(
		cmdqv_tlb_present(m(), CMDQV_TLB_NH, kOtherVmid, 3, 0x6000));
}

TEST_F(Isolation, VmidForcingFollowsTheVintfConfig)
{
	/* the host re-programs VINTF1's VMID: the next command uses it */
	ASSERT_EQ(cmdqv_tlb_add(m(), CMDQV_TLB_NH, 9, 3, 0x5000, 1), CMDQV_OK);
	ASSERT_EQ(cmdqv_tlb_add(m(), CMDQV_TLB_NH, kVmid, 3, 0x5000, 1),
		  CMDQV_OK);
	tb_harness_write(&h, C, vi_file(kGuest), 4, (9u << 1) | 1u);
	cmd c = op(CMDQ_OP_TLBI_NH_ASID);
	c.asid = 3;
	issue(kQg, c);
	EXPECT_FALSE(cmdqv_tlb_present(m(), CMDQV_TLB_NH, 9, 3, 0x5000));
	EXPECT_TRUE(cmdqv_tlb_present(m(), CMDQV_TLB_NH, kVmid, 3, 0x5000));
}

TEST_F(Isolation, HypervisorOwnedQueueKeepsTheVmidAsWritten)
{
	ASSERT_EQ(cmdqv_tlb_add(m(), CMDQV_TLB_NH, kOtherVmid, 3, 0x5000, 1),
		  CMDQV_OK);
	cmd c = op(CMDQ_OP_TLBI_NH_ASID);
	c.vmid = kOtherVmid;
	c.asid = 3;
	issue(kQh, c);
	EXPECT_FALSE(
		cmdqv_tlb_present(m(), CMDQV_TLB_NH, kOtherVmid, 3, 0x5000));
}

/* ---- SID replacement and SID miss ---- */

TEST_F(Isolation, AtcInvVirtualSidIsReplaced)
{
	for (uint32_t sid : { 0x10u, 0x200u, 0x300u })
		ASSERT_EQ(cmdqv_atc_add(m(), sid, 0x8000, 4), CMDQV_OK);
	issue(kQg, tb_cmd_atc_inv(0x10, 0x8000, 52));
	EXPECT_FALSE(err_active(kQg));
	EXPECT_EQ(cmdqv_atc_count(m(), 0x200), 0u);
	EXPECT_EQ(cmdqv_atc_count(m(), 0x10),
		  4u); /* the device numbered like the vSID */
	EXPECT_EQ(cmdqv_atc_count(m(), 0x300),
		  4u); /* the other VM's device with that vSID */
	/* the other guest's vSID 0x10 reaches its own device only */
	ASSERT_EQ(cmdqv_atc_add(m(), 0x200, 0x8000, 4), CMDQV_OK);
	issue(kQo, tb_cmd_atc_inv(0x10, 0x8000, 0));
	EXPECT_EQ(cmdqv_atc_count(m(), 0x300), 3u);
	EXPECT_EQ(cmdqv_atc_count(m(), 0x200), 4u);
}

/* Six devices, four pages each, at 0x8000. */
static void fill_six_atcs(struct cmdqv_model *m)
{
	for (uint32_t sid : { 0x10u, 0x11u, 0x12u, 0x200u, 0x201u, 0x300u })
		ASSERT_EQ(cmdqv_atc_add(m, sid, 0x8000, 4), CMDQV_OK);
}

TEST_F(Isolation, SidMissIsAnErrorAndInvalidatesNothing)
{
	auto refill = [&] {
		reset();
		fill_six_atcs(m());
	};
	ASSERT_NO_FATAL_FAILURE(fill_six_atcs(m()));
	const size_t before = cmdqv_atc_count(m(), UINT32_MAX);
	/* no pair at all */
	issue(kQg, tb_cmd_atc_inv(0x12, 0, 52));
	EXPECT_TRUE(err_active(kQg));
	EXPECT_EQ(err(kQg), (unsigned)T241_CERROR_ILL_ACCESS);
	EXPECT_EQ(tb_harness_cons(&h, (int)kQg), 0u);
	EXPECT_EQ(cmdqv_atc_count(m(), UINT32_MAX), before);
	EXPECT_TRUE(cmdqv_irq_level(m(), CMDQV_IRQ_CMDQV));
	/* Linux-style recovery: overwrite with SYNC, acknowledge */
	ASSERT_NO_FATAL_FAILURE(refill());
	/* a pair whose SID_MATCH.ENABLE is 0 does not match */
	issue(kQg, tb_cmd_atc_inv(0x11, 0, 52));
	EXPECT_EQ(err(kQg), (unsigned)T241_CERROR_ILL_ACCESS);
	EXPECT_EQ(cmdqv_atc_count(m(), UINT32_MAX), before);
	/* a physical SID used as if it were virtual misses too */
	ASSERT_NO_FATAL_FAILURE(refill());
	issue(kQg, tb_cmd_atc_inv(0x300, 0, 52));
	EXPECT_EQ(err(kQg), (unsigned)T241_CERROR_ILL_ACCESS);
	EXPECT_EQ(cmdqv_atc_count(m(), UINT32_MAX), before);
}

TEST_F(Isolation, GuestErrorStopsOnlyThatQueue)
{
	ASSERT_EQ(cmdqv_tlb_add(m(), CMDQV_TLB_NH, kVmid, 3, 0x5000, 1),
		  CMDQV_OK);
	ASSERT_EQ(cmdqv_tlb_add(m(), CMDQV_TLB_NH, kOtherVmid, 3, 0x5000, 1),
		  CMDQV_OK);
	issue(kQg, op(CMDQ_OP_CFGI_STE)); /* disallowed: queue 2 halts */
	ASSERT_TRUE(err_active(kQg));
	cmd c = op(CMDQ_OP_TLBI_NH_ASID);
	c.asid = 3;
	/* the guest's second LVCMDQ and the other guest's queue still run */
	issue(kQg + 1, c);
	issue(kQo, c);
	EXPECT_FALSE(err_active(kQg + 1));
	EXPECT_FALSE(err_active(kQo));
	EXPECT_EQ(tb_harness_cons(&h, (int)kQg + 1), 2u);
	EXPECT_EQ(tb_harness_cons(&h, (int)kQo), 2u);
	EXPECT_FALSE(cmdqv_tlb_present(m(), CMDQV_TLB_NH, kVmid, 3, 0x5000));
	EXPECT_FALSE(
		cmdqv_tlb_present(m(), CMDQV_TLB_NH, kOtherVmid, 3, 0x5000));
	/* no SMMU global error */
	EXPECT_EQ(tb_harness_read(&h, CMDQV_SPACE_SMMU, 0x60, 4),
		  tb_harness_read(&h, CMDQV_SPACE_SMMU, 0x64, 4));
	/* recovery as Linux does it: SYNC over the bad entry, GERRORN := GERROR */
	const cmdqv_queue_state st = [&] {
		cmdqv_queue_state s;
		cmdqv_queue_get(m(), 1 + kQg, &s);
		return s;
	}();
	EXPECT_TRUE(st.error);
	uint64_t dw[2];
	cmd s = tb_cmd_sync(0);
	cmd_encode(&s, dw);
	tb_mem_write64(&h.n.mem, h.vq[kQg].base, dw[0]);
	tb_mem_write64(&h.n.mem, h.vq[kQg].base + 8, dw[1]);
	tb_harness_ack(&h, (int)kQg);
	EXPECT_TRUE(tb_harness_drain(&h, (int)kQg, SIM_MS(1)));
	EXPECT_FALSE(err_active(kQg));
}

TEST_F(Isolation, GuestSyncSignalsNothingButCons)
{
	/* VCMDQs only support CS=NONE (docs/cmdqv-reference.md section 6):
	 * CS=IRQ with an
         * MSI address neither writes memory nor pulses the wired line. */
	cmd s = tb_cmd_sync(1);
	s.msiaddr = 0x700000;
	s.msidata = 0xabcd;
	tb_mem_write64(&h.n.mem, 0x700000, 0);
	uint64_t edges = cmdqv_irq_edges(m(), CMDQV_IRQ_CMD_SYNC);
	tb_harness_push(&h, (int)kQg, &s);
	tb_harness_publish(&h, (int)kQg);
	EXPECT_TRUE(tb_harness_drain(&h, (int)kQg, SIM_MS(1)));
	EXPECT_EQ(tb_mem_read64(&h.n.mem, 0x700000), 0u);
	EXPECT_EQ(cmdqv_irq_edges(m(), CMDQV_IRQ_CMD_SYNC), edges);
}

/* ---- the property (issue #2) ---- */

TEST(IsolationProperty, RandomGuestQueuesNeverTouchAnotherTenant)
{
	size_t own_tlb = 0, own_atc = 0, errors = 0, ill_access = 0,
	       commands = 0;
	for (uint64_t seed = 1; seed <= 2000; seed++) {
		tb_iso_report rep;
		ASSERT_EQ(tb_iso_run(seed, nullptr, 0, &rep), CMDQV_OK)
			<< "seed " << seed;
		ASSERT_EQ(rep.violation, 0)
			<< "seed " << seed << ": " << rep.what;
		own_tlb += rep.own_tlb_removed;
		own_atc += rep.own_atc_removed;
		errors += rep.errors;
		ill_access += rep.ill_access;
		commands += rep.commands;
	}
	/* The cases exercise the paths the property is about: the guest did
         * invalidate its own entries, and was refused many times. */
	EXPECT_GT(own_tlb, 1000u);
	EXPECT_GT(own_atc, 100u);
	EXPECT_GT(ill_access, 1000u);
	EXPECT_GT(errors, ill_access);
	EXPECT_GT(commands, 50000u);
}

TEST(IsolationProperty, RawByteQueuesNeverTouchAnotherTenant)
{
	/* The fuzzer's input path: queue contents straight from bytes. */
	for (uint64_t seed = 1; seed <= 300; seed++) {
		std::vector<uint8_t> bytes(16 * 2 * TB_ISO_QUEUE_ENTRIES);
		uint64_t x = seed * 0x9e3779b97f4a7c15ull;
		for (uint8_t &b : bytes) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			b = (uint8_t)x;
		}
		/* a guest's legitimate opcodes at the front of some entries */
		for (size_t i = 0; i < bytes.size(); i += 16 * (1 + seed % 3))
			bytes[i] = (uint8_t)(seed % 2 ? CMDQ_OP_ATC_INV :
							CMDQ_OP_TLBI_NH_ASID);
		tb_iso_report rep;
		ASSERT_EQ(tb_iso_run(seed, bytes.data(),
				     bytes.size() - seed % 200, &rep),
			  CMDQV_OK);
		ASSERT_EQ(rep.violation, 0)
			<< "seed " << seed << ": " << rep.what;
	}
}

TEST(IsolationProperty, SameSeedSameOutcome)
{
	tb_iso_report a, b;
	ASSERT_EQ(tb_iso_run(77, nullptr, 0, &a), CMDQV_OK);
	ASSERT_EQ(tb_iso_run(77, nullptr, 0, &b), CMDQV_OK);
	EXPECT_EQ(a.commands, b.commands);
	EXPECT_EQ(a.errors, b.errors);
	EXPECT_EQ(a.own_tlb_removed, b.own_tlb_removed);
	EXPECT_EQ(a.own_atc_removed, b.own_atc_removed);
}

} // namespace
