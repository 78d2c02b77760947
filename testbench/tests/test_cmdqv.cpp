/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cmdqv.cpp - the CMDQ-V block as software sees it through registers
 * (docs/cmdqv-reference.md sections 2, 3, 4, 5, 6, 7; tegra241-cmdqv.c:
 * tegra241_cmdqv_isr()): PARAM from the configuration, reset values, the CONFIG
 * -> STATUS handshakes after cmdqv_ack_cycles, the global and per-VINTF views
 * of one queue, dropped accesses to unmapped logical slots, CMDQ_ALLOC and
 * VINTF fields, the queue run condition, enable bits that reset nothing, error
 * maps and the CMD-V interrupt with its mask.
 */
#include <gtest/gtest.h>

#include <cstdint>

extern "C" {
#include "internal.h"
#include "tb_harness.h"
}

namespace
{

constexpr enum cmdqv_space C = CMDQV_SPACE_CMDQV;

/* docs/cmdqv-reference.md sections 3, 4, 5 offsets */
constexpr uint64_t kConfig = 0x0, kParam = 0x4, kStatus = 0x8;
constexpr uint64_t kVintfErrMap = 0x14, kIntMask = 0x1c, kCmdqErrMap = 0x24;
uint64_t alloc(unsigned q)
{
	return 0x200 + 4 * q;
}
uint64_t vi(unsigned v, uint64_t r)
{
	return 0x1000 + 0x100 * v + r;
}
uint64_t gp0(unsigned q, uint64_t r)
{
	return 0x10000 + 0x80 * q + r;
}
uint64_t gp1(unsigned q, uint64_t r)
{
	return 0x20000 + 0x80 * q + r;
}
uint64_t lp0(unsigned i, unsigned l, uint64_t r)
{
	return 0x30000 + 0x20000 * i + 0x80 * l + r;
}
uint64_t lp1(unsigned i, unsigned l, uint64_t r)
{
	return 0x40000 + 0x20000 * i + 0x80 * l + r;
}
constexpr uint64_t kCons = 0x0, kProd = 0x4, kQConfig = 0x8, kQStatus = 0xc,
		   kGerror = 0x10, kGerrorn = 0x14;
constexpr uint64_t kViConfig = 0x0, kViStatus = 0x4, kSidMatch = 0x40,
		   kSidReplace = 0x80, kLvErrMap = 0xc0;

uint32_t alloc_val(unsigned v, unsigned l, bool allocated)
{
	return (v << 15) | (l << 1) | (allocated ? 1u : 0u);
}

class Cmdqv : public ::testing::Test {
    protected:
	void SetUp() override
	{
		cmdqv_config_defaults(&cfg);
		tweak(cfg);
		ASSERT_EQ(tb_harness_init(&h, &cfg), CMDQV_OK);
		ack = sim_cycles_to_ps(cfg.cmdqv_ack_cycles,
				       cfg.smmu_clock_mhz);
	}
	virtual void tweak(cmdqv_config &)
	{
	}
	void TearDown() override
	{
		tb_harness_deinit(&h);
	}
	uint64_t r32(uint64_t off)
	{
		return tb_harness_read(&h, C, off, 4);
	}
	uint64_t r64(uint64_t off)
	{
		return tb_harness_read(&h, C, off, 8);
	}
	void w32(uint64_t off, uint64_t v)
	{
		tb_harness_write(&h, C, off, 4, v);
	}
	void w64(uint64_t off, uint64_t v)
	{
		tb_harness_write(&h, C, off, 8, v);
	}
	void run(sim_time_t dt)
	{
		tb_harness_run(&h, dt);
	}
	cmdqv_model *m()
	{
		return tb_harness_model(&h);
	}
	/* VINTF @v enabled (guest-owned unless @hyp), queue @q mapped at
         * (v, l), 16 entries at @base, enabled. */
	void bring_up(unsigned v, unsigned q, unsigned l, uint64_t base,
		      bool hyp, uint16_t vmid)
	{
		w32(vi(v, kViConfig),
		    (hyp ? 1u << 17 : 0) | (uint32_t)vmid << 1 | 1u);
		w32(alloc(q), alloc_val(v, l, true));
		w64(gp1(q, 0), base | 4);
		w32(gp0(q, kQConfig), 1);
		run(ack);
		ASSERT_EQ(r32(vi(v, kViStatus)) & 1, 1u);
		ASSERT_EQ(r32(gp0(q, kQStatus)) & 1, 1u);
	}
	/* Write commands at entries [from, from+n) of the ring at @base. */
	void put(uint64_t base, unsigned idx, const cmd &c)
	{
		uint64_t dw[2];
		cmd_encode(&c, dw);
		tb_mem_write64(&h.n.mem, base + 16 * idx, dw[0]);
		tb_mem_write64(&h.n.mem, base + 16 * idx + 8, dw[1]);
	}
	cmdqv_config cfg{};
	tb_harness h{};
	sim_time_t ack = 0;
	cmdqv_stats stats{};
};

/* ---- PARAM, reset values ---- */

struct ParamRow {
	unsigned vintfs, vcmdqs, sids;
	uint32_t param;
};

class CmdqvParam : public ::testing::TestWithParam<ParamRow> {};

TEST_P(CmdqvParam, ParamReportsTheConfiguredCounts)
{
	const ParamRow row = GetParam();
	cmdqv_config cfg;
	cmdqv_config_defaults(&cfg);
	cfg.vintfs = row.vintfs;
	cfg.vcmdqs = row.vcmdqs;
	cfg.sids_per_vintf = row.sids;
	tb_harness h{};
	ASSERT_EQ(tb_harness_init(&h, &cfg), CMDQV_OK);
	EXPECT_EQ(tb_harness_read(&h, C, kParam, 4), row.param);
	/* read-only */
	tb_harness_write(&h, C, kParam, 4, 0xffffffff);
	EXPECT_EQ(tb_harness_read(&h, C, kParam, 4), row.param);
	EXPECT_EQ(cmdqv_space_size(tb_harness_model(&h), CMDQV_SPACE_CMDQV),
		  0x30000u + row.vintfs * 0x20000u);
	tb_harness_deinit(&h);
}

INSTANTIATE_TEST_SUITE_P(
	Configs, CmdqvParam,
	::testing::Values(ParamRow{ 64, 128, 16, 0x4671 }, /* Grace-like */
			  ParamRow{ 1, 2, 16, 0x4011 }, /* QEMU's guest */
			  ParamRow{ 4, 8, 4, 0x2231 },
			  ParamRow{ 2, 2, 1, 0x0111 },
			  ParamRow{ 8, 16, 16, 0x4341 }));

TEST(CmdqvConfig, MoreSidPairsThanTheVintfFileHoldsIsRejected)
{
	/* docs/cmdqv-reference.md section 4: 16 SID_MATCH/SID_REPLACE pairs fit
	 * the file. */
	cmdqv_config cfg;
	cmdqv_config_defaults(&cfg);
	char err[160];
	EXPECT_EQ(cmdqv_config_set(&cfg, "sids_per_vintf", "32", err,
				   sizeof(err)),
		  CMDQV_EVALUE);
	EXPECT_EQ(cfg.sids_per_vintf, 16u);
}

TEST_F(Cmdqv, ResetValues)
{
	/* QEMU's reset values, the only published ones (docs/cmdqv-reference.md
	 * section 3) */
	EXPECT_EQ(r32(kConfig), 0x00020083u);
	EXPECT_EQ(r32(kStatus), 1u);
	EXPECT_EQ(r32(kVintfErrMap + 4), 0u);
	EXPECT_EQ(r32(kVintfErrMap), 0u);
	EXPECT_EQ(r32(kIntMask), 0u);
	for (unsigned w = 0; w < 4; w++)
		EXPECT_EQ(r32(kCmdqErrMap + 4 * w), 0u);
	for (unsigned q = 0; q < cfg.vcmdqs; q++)
		EXPECT_EQ(r32(alloc(q)), 0u) << q;
	for (unsigned v = 0; v < cfg.vintfs; v++) {
		EXPECT_EQ(r32(vi(v, kViConfig)), 0u);
		EXPECT_EQ(r32(vi(v, kViStatus)), 0u);
	}
	for (uint64_t r = 0; r < 0x18; r += 4)
		EXPECT_EQ(r32(gp0(5, r)), 0u) << r;
	EXPECT_EQ(r64(gp1(5, 0)), 0u);
	EXPECT_EQ(r64(gp1(5, 8)), 0u);
	EXPECT_FALSE(cmdqv_irq_level(m(), CMDQV_IRQ_CMDQV));
}

TEST_F(Cmdqv, ConfigStoresItsFieldsOnly)
{
	w32(kConfig, 0xffffffff);
	EXPECT_EQ(r32(kConfig), 0x001fffffu);
	w32(kConfig,
	    0x00020403); /* NVIDIA's earlier QEMU branch reset value, other batch encoding */
	EXPECT_EQ(r32(kConfig), 0x00020403u);
}

/* ---- handshakes (tegra241-cmdqv.c: tegra241_cmdqv_write_config()) ---- */

TEST_F(Cmdqv, CmdqvEnabledFollowsConfigAfterTheAckLatency)
{
	w32(kConfig, r32(kConfig) & ~1u);
	EXPECT_EQ(r32(kConfig) & 1, 0u);
	EXPECT_EQ(r32(kStatus) & 1, 1u); /* not yet */
	run(ack - 1);
	EXPECT_EQ(r32(kStatus) & 1, 1u);
	run(1);
	EXPECT_EQ(r32(kStatus) & 1, 0u);
	w32(kConfig, r32(kConfig) | 1u);
	EXPECT_EQ(r32(kStatus) & 1, 0u);
	run(ack);
	EXPECT_EQ(r32(kStatus) & 1, 1u);
}

TEST_F(Cmdqv, VintfEnableOkFollowsEnableAfterTheAckLatency)
{
	w32(vi(3, kViConfig), (0x1234u << 1) | 1u);
	EXPECT_EQ(r32(vi(3, kViConfig)), (0x1234u << 1) | 1u);
	EXPECT_EQ(r32(vi(3, kViStatus)) & 1, 0u);
	run(ack - 1);
	EXPECT_EQ(r32(vi(3, kViStatus)) & 1, 0u);
	run(1);
	EXPECT_EQ(r32(vi(3, kViStatus)) & 1, 1u);
	EXPECT_EQ(r32(vi(2, kViStatus)) & 1, 0u); /* only that VINTF */
	w32(vi(3, kViConfig), 0);
	run(ack);
	EXPECT_EQ(r32(vi(3, kViStatus)) & 1, 0u);
}

TEST_F(Cmdqv, VintfConfigFields)
{
	w32(vi(1, kViConfig), 0xffffffff);
	EXPECT_EQ(r32(vi(1, kViConfig)),
		  0x0003ffffu); /* ENABLE, VMID[16:1], HYP_OWN */
	/* HYP_OWN is kept as written (the model cannot tell a guest access) */
	w32(vi(1, kViConfig), 1u << 17);
	EXPECT_EQ(r32(vi(1, kViConfig)), 1u << 17);
	/* STATUS is read-only */
	w32(vi(1, kViStatus), 0xffffffff);
	run(ack);
	EXPECT_EQ(r32(vi(1, kViStatus)), 0u);
}

TEST_F(Cmdqv, VcmdqEnableOkFollowsCmdqEnAfterTheAckLatency)
{
	w32(gp0(7, kQConfig), 1);
	EXPECT_EQ(r32(gp0(7, kQConfig)), 1u);
	EXPECT_EQ(r32(gp0(7, kQStatus)), 0u);
	run(ack - 1);
	EXPECT_EQ(r32(gp0(7, kQStatus)), 0u);
	run(1);
	EXPECT_EQ(r32(gp0(7, kQStatus)), 1u);
	w32(gp0(7, kQConfig), 0);
	run(ack);
	EXPECT_EQ(r32(gp0(7, kQStatus)), 0u);
}

TEST_F(Cmdqv, DisableAcknowledgesOnceConsIsStable)
{
	/* A whole-TLB TLBI costs tlbi_scan_cycles, longer than the ack
         * latency: CMDQ_EN_OK falls only once it is consumed (IHI 0070 6.3.9,
         * 6.3.10 applied to VCMDQs), so CONS no longer moves after that. */
	ASSERT_GT(cfg.tlbi_scan_cycles, 2 * cfg.cmdqv_ack_cycles);
	bring_up(0, 0, 0, 0x100000, true, 0);
	ASSERT_EQ(cmdqv_tlb_add(m(), CMDQV_TLB_NH, 1, 1, 0x1000, 1), CMDQV_OK);
	cmd c{};
	c.opcode = CMDQ_OP_TLBI_NH_ALL;
	c.vmid = 1;
	put(0x100000, 0, c);
	w32(gp0(0, kProd), 1);
	/* until the command is on the processor */
	sim_time_t t = 0;
	cmdqv_queue_state st{};
	while (t < SIM_US(10)) {
		run(SIM_NS(1));
		t += SIM_NS(1);
		if (cmdqv_stats_get(m(), &stats), stats.fetch_bursts > 0)
			break;
	}
	run(sim_cycles_to_ps(cfg.exec_cycles, cfg.smmu_clock_mhz));
	ASSERT_EQ(r32(gp0(0, kCons)), 0u);
	w32(gp0(0, kQConfig), 0);
	while (r32(gp0(0, kQStatus)) & 1) {
		ASSERT_LT(t, SIM_US(10));
		run(SIM_NS(1));
		t += SIM_NS(1);
	}
	const uint64_t cons = r32(gp0(0, kCons));
	EXPECT_EQ(cons, 1u);
	run(SIM_US(10));
	EXPECT_EQ(r32(gp0(0, kCons)), cons);
	EXPECT_FALSE(cmdqv_tlb_present(m(), CMDQV_TLB_NH, 1, 1, 0x1000));
	cmdqv_queue_get(m(), 1, &st);
	EXPECT_FALSE(st.enabled);
}

/* ---- the two views (docs/cmdqv-reference.md section 2) ---- */

TEST_F(Cmdqv, GlobalAndLogicalViewsAreTheSameQueue)
{
	/* VCMDQ 5 -> VINTF 2, LVCMDQ 1 */
	w32(alloc(5), alloc_val(2, 1, true));
	EXPECT_EQ(r32(alloc(5)), alloc_val(2, 1, true));
	/* BASE as two 32-bit halves through the global view ... */
	w32(gp1(5, 0x0), 0x00345004);
	w32(gp1(5, 0x4), 0x0012);
	/* ... reads as one 64-bit value through the logical view */
	EXPECT_EQ(r64(lp1(2, 1, 0)), 0x0000001200345004ull);
	EXPECT_EQ(r32(lp1(2, 1, 4)), 0x12u);
	w64(lp1(2, 1, 8), 0x0000abcd12345678ull);
	EXPECT_EQ(r32(gp1(5, 8)), 0x12345678u);
	EXPECT_EQ(r32(gp1(5, 0xc)), 0xabcdu);
	/* page 0 */
	w32(lp0(2, 1, kProd), 3);
	EXPECT_EQ(r32(gp0(5, kProd)), 3u);
	w32(gp0(5, kQConfig), 1);
	EXPECT_EQ(r32(lp0(2, 1, kQConfig)), 1u);
	run(ack);
	EXPECT_EQ(r32(lp0(2, 1, kQStatus)), 1u);
	/* the neighbouring logical slot is not this queue */
	EXPECT_EQ(r32(lp0(2, 0, kProd)), 0u);
}

TEST_F(Cmdqv, LastVintfAndLastQueueAtTheEndOfTheWindow)
{
	/* Grace-like: VCMDQ 127 -> VINTF 63 / LVCMDQ 1, the last page of the window */
	const unsigned q = cfg.vcmdqs - 1, v = cfg.vintfs - 1;
	ASSERT_EQ(lp1(v, 1, 0) + 0x10000 - 0x80, cmdqv_space_size(m(), C));
	w32(alloc(q), alloc_val(v, 1, true));
	w64(lp1(v, 1, 0), 0xfedcba980004ull);
	EXPECT_EQ(r64(gp1(q, 0)), 0xfedcba980004ull);
	w32(gp0(q, kProd), 0x11);
	EXPECT_EQ(r32(lp0(v, 1, kProd)), 0x11u);
	w32(vi(v, kSidMatch + 4 * 15), 0x3);
	EXPECT_EQ(r32(0x1000 + 0x100 * v + 0x40 + 4 * 15), 0x3u);
	/* the VINTF file after the last one is a hole */
	w32(vi(v + 1, kViConfig), 1);
	EXPECT_EQ(r32(vi(v + 1, kViConfig)), 0u);
}

TEST_F(Cmdqv, UnmappedLogicalSlotAccessesAreDropped)
{
	w64(gp1(5, 0), 0x100004); /* 16 entries: PROD holds 5 position bits */
	w32(gp0(5, kProd), 7);
	/* not allocated yet: the logical view reaches nothing */
	w32(alloc(5), alloc_val(2, 1, false));
	EXPECT_EQ(r32(lp0(2, 1, kProd)), 0u);
	w32(lp0(2, 1, kProd), 9);
	w64(lp1(2, 1, 0), 0x200004);
	EXPECT_EQ(r32(gp0(5, kProd)), 7u);
	EXPECT_EQ(r64(gp1(5, 0)), 0x100004u);
	/* mapped: reachable; unmapped again: dropped again */
	w32(alloc(5), alloc_val(2, 1, true));
	EXPECT_EQ(r32(lp0(2, 1, kProd)), 7u);
	w32(alloc(5), alloc_val(2, 1, false));
	EXPECT_EQ(r32(lp0(2, 1, kProd)), 0u);
	/* slots beyond the 7-bit LVCMDQ field are never mapped */
	EXPECT_EQ(r32(lp0(2, 0, 0x80 * 200 + kProd)), 0u);
	/* whole-window reads of an unmapped slot return zero at every offset */
	for (uint64_t r = 0; r < 0x80; r += 8)
		EXPECT_EQ(r64(lp0(3, 0, r)), 0u);
}

TEST_F(Cmdqv, CmdqAllocFieldsAndVintfQueueCount)
{
	w32(alloc(0), 0xffffffff);
	EXPECT_EQ(r32(alloc(0)),
		  0x001f80ffu); /* ALLOCATED, LVCMDQ[7:1], VINTF[20:15] */
	w32(alloc(0), 0);
	/* VI_NUM_LVCMDQ counts the LVCMDQs mapped to a VINTF */
	w32(alloc(0), alloc_val(1, 0, true));
	w32(alloc(1), alloc_val(1, 1, true));
	w32(alloc(2), alloc_val(1, 2, false));
	EXPECT_EQ((r32(vi(1, kViStatus)) >> 16) & 0xff, 2u);
	EXPECT_EQ((r32(vi(0, kViStatus)) >> 16) & 0xff, 0u);
	w32(alloc(1), alloc_val(1, 1, false)); /* descending unmap */
	EXPECT_EQ((r32(vi(1, kViStatus)) >> 16) & 0xff, 1u);
	/* CMDQ_ALLOC beyond vcmdqs is RAZ/WI */
	w32(alloc(cfg.vcmdqs), 1);
	EXPECT_EQ(r32(alloc(cfg.vcmdqs)), 0u);
	/* 64-bit access over two CMDQ_ALLOC registers, low half first */
	w64(alloc(6),
	    ((uint64_t)alloc_val(3, 1, true) << 32) | alloc_val(3, 0, true));
	EXPECT_EQ(r32(alloc(6)), alloc_val(3, 0, true));
	EXPECT_EQ(r32(alloc(7)), alloc_val(3, 1, true));
}

TEST_F(Cmdqv, SidPairsHoldTheirFieldsAndOnlyTheConfiguredCount)
{
	w32(vi(4, kSidMatch + 4 * 15), 0xffffffff);
	w32(vi(4, kSidReplace + 4 * 15), 0xffffffff);
	EXPECT_EQ(r32(vi(4, kSidMatch + 4 * 15)), 0x001fffffu);
	EXPECT_EQ(r32(vi(4, kSidReplace + 4 * 15)), 0x000fffffu);
	EXPECT_EQ(r32(vi(5, kSidMatch + 4 * 15)), 0u); /* per VINTF */
	/* GLB_FILT_* and holes are RAZ/WI */
	w32(vi(4, 0xc), 0xffffffff);
	EXPECT_EQ(r32(vi(4, 0xc)), 0u);
}

class CmdqvFewSids : public Cmdqv {
	void tweak(cmdqv_config &c) override
	{
		c.sids_per_vintf = 4;
	}
};

TEST_F(CmdqvFewSids, PairsBeyondTheCountAreRazWi)
{
	w32(vi(0, kSidMatch + 4 * 3), 0x21);
	w32(vi(0, kSidMatch + 4 * 4), 0x23);
	w32(vi(0, kSidReplace + 4 * 4), 0x5);
	EXPECT_EQ(r32(vi(0, kSidMatch + 4 * 3)), 0x21u);
	EXPECT_EQ(r32(vi(0, kSidMatch + 4 * 4)), 0u);
	EXPECT_EQ(r32(vi(0, kSidReplace + 4 * 4)), 0u);
}

TEST_F(Cmdqv, AccessSizeAndRangeAreHostErrors)
{
	uint64_t v = 0;
	EXPECT_EQ(cmdqv_mmio_read(m(), C, kVintfErrMap, 8, &v),
		  CMDQV_ESIZE); /* not 8-aligned */
	EXPECT_EQ(cmdqv_mmio_read(m(), C, 0x2, 4, &v), CMDQV_ESIZE);
	EXPECT_EQ(cmdqv_mmio_read(m(), C, 0x0, 2, &v), CMDQV_ESIZE);
	EXPECT_EQ(cmdqv_mmio_read(m(), C, cmdqv_space_size(m(), C), 4, &v),
		  CMDQV_EADDR);
	EXPECT_EQ(cmdqv_mmio_read(m(), C, cmdqv_space_size(m(), C) - 4, 4, &v),
		  CMDQV_OK);
}

/* ---- queue state and the run condition ---- */

TEST_F(Cmdqv, BaseAndConsAreGuardedByTheEnableProdIsNot)
{
	w64(gp1(1, 0), 0x100004);
	w32(gp0(1, kCons), 3);
	EXPECT_EQ(r32(gp0(1, kCons)) & 0xfffff, 3u);
	w32(gp0(1, kQConfig), 1);
	/* during the handshake and while enabled: ignored */
	w64(gp1(1, 0), 0x200004);
	w32(gp0(1, kCons), 5);
	run(ack);
	w64(gp1(1, 0), 0x300004);
	w32(gp0(1, kCons), 6);
	EXPECT_EQ(r64(gp1(1, 0)), 0x100004u);
	EXPECT_EQ(r32(gp0(1, kCons)) & 0xfffff, 3u);
	w32(gp0(1, kProd), 3);
	EXPECT_EQ(r32(gp0(1, kProd)), 3u);
	/* disabled again: writable */
	w32(gp0(1, kQConfig), 0);
	run(ack);
	w64(gp1(1, 0), 0x300005);
	EXPECT_EQ(r64(gp1(1, 0)), 0x300005u);
}

TEST_F(Cmdqv, EnableBitsDoNotResetOtherRegisters)
{
	/* tegra241-cmdqv.c: tegra241_vcmdq_hw_init(),
	 * tegra241_vcmdq_hw_deinit() (Linux patch Msg-ID
	 * 20260129224341.1594785-1-nicolinc@nvidia.com) */
	bring_up(1, 2, 0, 0x100000, false, 7);
	w32(vi(1, kSidReplace), 0x55);
	w32(vi(1, kSidMatch), 0x21);
	put(0x100000, 0, cmd{}); /* opcode 0: ILL */
	w32(gp0(2, kProd), 1);
	run(SIM_US(10));
	const uint64_t cons = r32(gp0(2, kCons)), gerror = r32(gp0(2, kGerror));
	ASSERT_NE(gerror, 0u);
	w32(gp0(2, kQConfig), 0);
	w32(vi(1, kViConfig), 7u << 1);
	w32(kConfig, r32(kConfig) & ~1u);
	run(ack);
	EXPECT_EQ(r32(gp0(2, kQStatus)), 0u);
	EXPECT_EQ(r32(gp0(2, kCons)), cons);
	EXPECT_EQ(r32(gp0(2, kProd)), 1u);
	EXPECT_EQ(r32(gp0(2, kGerror)), gerror);
	EXPECT_EQ(r64(gp1(2, 0)), 0x100004u);
	EXPECT_EQ(r32(vi(1, kSidReplace)), 0x55u);
	EXPECT_EQ(r32(vi(1, kSidMatch)), 0x21u);
	EXPECT_EQ(r32(alloc(2)), alloc_val(1, 0, true));
}

/* Each of the four conditions alone keeps the queue from consuming. */
enum class Missing { None, CmdqvEn, Allocated, VintfEnable, CmdqEn };

class CmdqvRunCondition : public Cmdqv,
			  public ::testing::WithParamInterface<Missing> {};

TEST_P(CmdqvRunCondition, QueueRunsOnlyWhenEverythingIsEnabled)
{
	const Missing miss = GetParam();
	const unsigned q = 3, v = 1;
	if (miss == Missing::CmdqvEn)
		w32(kConfig, r32(kConfig) & ~1u);
	w32(vi(v, kViConfig), miss == Missing::VintfEnable ? 0u : 1u);
	w32(alloc(q), alloc_val(v, 0, miss != Missing::Allocated));
	w64(gp1(q, 0), 0x100004);
	w32(gp0(q, kQConfig), miss == Missing::CmdqEn ? 0u : 1u);
	run(ack);
	put(0x100000, 0, tb_cmd_sync(0));
	put(0x100000, 1, tb_cmd_sync(0));
	w32(gp0(q, kProd), 2);
	run(SIM_US(100));
	if (miss == Missing::None) {
		EXPECT_EQ(r32(gp0(q, kCons)), 2u);
		return;
	}
	EXPECT_EQ(r32(gp0(q, kCons)), 0u);
	/* supplying the missing piece starts it, with no further PROD write */
	switch (miss) {
	case Missing::CmdqvEn:
		w32(kConfig, r32(kConfig) | 1u);
		break;
	case Missing::Allocated:
		w32(alloc(q), alloc_val(v, 0, true));
		break;
	case Missing::VintfEnable:
		w32(vi(v, kViConfig), 1u);
		break;
	case Missing::CmdqEn:
		w32(gp0(q, kQConfig), 1u);
		break;
	case Missing::None:
		break;
	}
	run(SIM_US(100));
	EXPECT_EQ(r32(gp0(q, kCons)), 2u);
}

INSTANTIATE_TEST_SUITE_P(Conditions, CmdqvRunCondition,
			 ::testing::Values(Missing::None, Missing::CmdqvEn,
					   Missing::Allocated,
					   Missing::VintfEnable,
					   Missing::CmdqEn));

/* ---- errors, maps, interrupt (tegra241-cmdqv.c: tegra241_cmdqv_isr()) ---- */

class CmdqvErrors : public Cmdqv {
    protected:
	/* VCMDQ @q mapped to (v, l), guest-owned; an ILL_ACCESS command. */
	void fail(unsigned v, unsigned q, unsigned l, uint64_t base)
	{
		bring_up(v, q, l, base, false, 9);
		cmd c{};
		c.opcode = CMDQ_OP_CFGI_STE;
		put(base, 0, c);
		w32(gp0(q, kProd), 1);
		run(SIM_US(10));
	}
};

TEST_F(CmdqvErrors, ErrorTogglesGerrorAndSetsEveryMap)
{
	fail(40, 100, 3, 0x100000);
	EXPECT_EQ(r32(gp0(100, kCons)),
		  0x04000000u); /* ERR = ILL_ACCESS, CONS on the entry */
	EXPECT_EQ(r32(gp0(100, kGerror)), 1u);
	EXPECT_EQ(r32(gp0(100, kGerrorn)), 0u);
	/* CMDQ_ERR_MAP: global queue 100 = word 3 bit 4 */
	EXPECT_EQ(r32(kCmdqErrMap + 12), 1u << 4);
	EXPECT_EQ(r32(kCmdqErrMap + 8), 0u);
	/* LVCMDQ_ERR_MAP of VINTF 40: logical 3, readable as 32 or 64 bits */
	EXPECT_EQ(r32(vi(40, kLvErrMap)), 1u << 3);
	EXPECT_EQ(r64(vi(40, kLvErrMap)), 1u << 3);
	EXPECT_EQ(r64(vi(40, kLvErrMap + 8)), 0u);
	EXPECT_EQ(r32(vi(39, kLvErrMap)), 0u);
	/* VINTF STATUS.STATUS = 1 (VCMDQ error) */
	EXPECT_EQ((r32(vi(40, kViStatus)) >> 1) & 7, 1u);
	/* VINTF_ERR_MAP: VINTF 40 = high word bit 8 */
	EXPECT_EQ(r32(kVintfErrMap), 0u);
	EXPECT_EQ(r32(kVintfErrMap + 4), 1u << 8);
	EXPECT_TRUE(cmdqv_irq_level(m(), CMDQV_IRQ_CMDQV));
}

TEST_F(CmdqvErrors, InterruptMaskHidesTheVintfNotTheMaps)
{
	fail(40, 100, 3, 0x100000);
	ASSERT_TRUE(cmdqv_irq_level(m(), CMDQV_IRQ_CMDQV));
	w32(kIntMask + 4, 1u << 8);
	EXPECT_EQ(r32(kIntMask + 4), 1u << 8);
	EXPECT_FALSE(cmdqv_irq_level(m(), CMDQV_IRQ_CMDQV));
	EXPECT_EQ(r32(kVintfErrMap + 4), 1u << 8);
	/* masking another VINTF does not help */
	w32(kIntMask + 4, 1u << 9);
	EXPECT_TRUE(cmdqv_irq_level(m(), CMDQV_IRQ_CMDQV));
	w32(kIntMask + 4, 0);
	EXPECT_TRUE(cmdqv_irq_level(m(), CMDQV_IRQ_CMDQV));
}

TEST_F(CmdqvErrors, AcknowledgeClearsTheMapsAndResumes)
{
	fail(1, 2, 0, 0x100000);
	const uint64_t edges = cmdqv_irq_edges(m(), CMDQV_IRQ_CMDQV);
	EXPECT_EQ(edges, 1u);
	/* a second error on another queue of the same VINTF while active */
	bring_up(1, 3, 1, 0x200000, false, 9);
	put(0x200000, 0, cmd{});
	w32(gp0(3, kProd), 1);
	run(SIM_US(10));
	EXPECT_EQ(r32(vi(1, kLvErrMap)), 3u);
	EXPECT_EQ(r32(gp0(3, kCons)),
		  0x01000000u); /* opcode 0: SMMU_CERROR_ILL */
	/* recover queue 2 the Linux way: SYNC over the entry, GERRORN := GERROR */
	put(0x100000, 0, tb_cmd_sync(0));
	w32(gp0(2, kGerrorn), r32(gp0(2, kGerror)));
	run(SIM_US(10));
	EXPECT_EQ(r32(gp0(2, kCons)) & 0xfffff, 1u);
	EXPECT_EQ(r32(vi(1, kLvErrMap)), 2u);
	EXPECT_EQ(r32(kCmdqErrMap), 1u << 3);
	EXPECT_TRUE(cmdqv_irq_level(
		m(), CMDQV_IRQ_CMDQV)); /* queue 3 still in error */
	put(0x200000, 0, tb_cmd_sync(0));
	w32(gp0(3, kGerrorn), r32(gp0(3, kGerror)));
	run(SIM_US(10));
	EXPECT_EQ(r32(vi(1, kLvErrMap)), 0u);
	EXPECT_EQ(r32(kCmdqErrMap), 0u);
	EXPECT_EQ(r32(kVintfErrMap), 0u);
	EXPECT_EQ((r32(vi(1, kViStatus)) >> 1) & 7, 0u);
	EXPECT_FALSE(cmdqv_irq_level(m(), CMDQV_IRQ_CMDQV));
	EXPECT_EQ(cmdqv_irq_edges(m(), CMDQV_IRQ_CMDQV), 1u);
	/* a new error toggles GERROR back (toggle, not set) */
	put(0x100000, 1, cmd{});
	w32(gp0(2, kProd), 2);
	run(SIM_US(10));
	EXPECT_EQ(r32(gp0(2, kGerror)), 0u);
	EXPECT_EQ(r32(gp0(2, kGerrorn)), 1u);
	EXPECT_TRUE(cmdqv_irq_level(m(), CMDQV_IRQ_CMDQV));
	EXPECT_EQ(cmdqv_irq_edges(m(), CMDQV_IRQ_CMDQV), 2u);
}

TEST_F(CmdqvErrors, WritingGerrornWithoutAnActiveErrorDoesNothingVisible)
{
	bring_up(1, 2, 0, 0x100000, false, 9);
	w32(gp0(2, kGerrorn), 0);
	EXPECT_EQ(r32(kCmdqErrMap), 0u);
	EXPECT_FALSE(cmdqv_irq_level(m(), CMDQV_IRQ_CMDQV));
	EXPECT_EQ(r32(gp0(2, kGerror)), 0u); /* read-only */
	w32(gp0(2, kGerror), 7);
	EXPECT_EQ(r32(gp0(2, kGerror)), 0u);
}

TEST_F(Cmdqv, HypervisorOwnedQueueRunsEveryCommand)
{
	ASSERT_EQ(cmdqv_cfg_add(m(), 0x42, CMDQV_SSID_NONE), CMDQV_OK);
	ASSERT_EQ(cmdqv_tlb_add(m(), CMDQV_TLB_S2, 3, 0, 0x9000, 1), CMDQV_OK);
	bring_up(0, 0, 0, 0x100000, true, 0);
	cmd a{};
	a.opcode = CMDQ_OP_CFGI_STE;
	a.sid = 0x42;
	cmd b{};
	b.opcode = CMDQ_OP_TLBI_S12_VMALL;
	b.vmid = 3;
	put(0x100000, 0, a);
	put(0x100000, 1, b);
	put(0x100000, 2, tb_cmd_sync(0));
	w32(gp0(0, kProd), 3);
	run(SIM_US(20));
	EXPECT_EQ(r32(gp0(0, kCons)), 3u);
	EXPECT_FALSE(cmdqv_cfg_present(m(), 0x42, CMDQV_SSID_NONE));
	EXPECT_FALSE(cmdqv_tlb_present(m(), CMDQV_TLB_S2, 3, 0, 0x9000));
}

} // namespace
