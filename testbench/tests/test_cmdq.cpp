/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cmdq.cpp - the queue engine (cmdq.c) driven like software drives it:
 * asynchronous fetch, in-order completion, CMD_SYNC waiting for ATC_INV
 * completions, CS signalling, error halting and recovery, ITag limits,
 * arbiter batching and fairness, queue wrap, trace determinism
 * (IHI 0070 3.5, 4.7.3, 3.5.6.1, 7.1; arm-smmu-v3.c:
 * arm_smmu_cmdq_build_sync_cmd(); docs/cmdqv-reference.md section 6).
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <vector>

#include "cmdqv_sim/model.h"
#include "cmdqv_sim/status.h"
#include "harness_fixture.h"
#include "tb_harness.h"

namespace
{

constexpr enum cmdqv_space S = CMDQV_SPACE_SMMU;
constexpr uint64_t QBASE = 0x100000;
constexpr uint64_t VQBASE = 0x400000;
constexpr int Q = TB_HQ_SMMU;

struct cmd raw_cmd(uint8_t opcode)
{
	struct cmd c;
	std::memset(&c, 0, sizeof(c));
	c.opcode = opcode;
	return c;
}

class Cmdq : public HarnessTest {
    protected:
	/* Platform with the SMMU CMDQ up (2^@log2 entries), SMMUEN as asked. */
	void start(unsigned log2 = 8, bool smmuen = true)
	{
		bring_up();
		if (HasFatalFailure())
			return;
		ASSERT_TRUE(tb_harness_smmu_up(&h, QBASE, log2, smmuen));
		trace.clear();
	}
	void push(int q, const struct cmd &c)
	{
		tb_harness_push(&h, q, &c);
	}
	/* A CMD_SYNC with CS=IRQ whose MSI writes @data to @addr. */
	void push_msi_sync(int q, uint64_t addr, uint32_t data)
	{
		struct cmd s = tb_cmd_sync(CMD_SYNC_CS_IRQ);

		s.msiaddr = addr;
		s.msidata = data;
		push(q, s);
	}
	/* Publish @q's PROD and run until it drains (at most @limit). */
	bool publish_drain(int q, sim_time_t limit = SIM_US(10))
	{
		tb_harness_publish(&h, q);
		return tb_harness_drain(&h, q, limit);
	}
	uint32_t err(int q)
	{
		return (tb_harness_cons_reg(&h, q) >> 24) & 0x7f;
	}
};

TEST_F(Cmdq, ProdWriteNeverCompletesWorkInZeroTime)
{
	start();
	sim_time_t t0 = cmdqv_now(h.n.model);
	cmdqv_tlb_add(h.n.model, CMDQV_TLB_NH, 1, 2, 0x5000, 1);
	push(Q, tb_cmd_tlbi_nh_va(1, 2, 0x5000));
	push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	tb_harness_publish(&h, Q);
	EXPECT_EQ(cmdqv_now(h.n.model), t0);
	EXPECT_EQ(tb_harness_cons(&h, Q), 0u);
	EXPECT_TRUE(cmdqv_tlb_present(h.n.model, CMDQV_TLB_NH, 1, 2, 0x5000));
	EXPECT_GT(cmdqv_next_deadline(h.n.model), t0);
	ASSERT_TRUE(tb_harness_drain(&h, Q, SIM_US(10)));
	EXPECT_GT(cmdqv_now(h.n.model), t0);
	EXPECT_FALSE(cmdqv_tlb_present(h.n.model, CMDQV_TLB_NH, 1, 2, 0x5000));
}

TEST_F(Cmdq, ConsAdvancesInOrderAsCommandsComplete)
{
	start();
	for (int i = 0; i < 10; i++)
		push(Q, tb_cmd_tlbi_nh_va(1, 1, 0x1000u * (i + 1)));
	push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	ASSERT_TRUE(publish_drain(Q));
	auto cmds = of_kind(CMDQV_TR_CMD);
	ASSERT_EQ(cmds.size(), 11u);
	for (size_t i = 0; i < cmds.size(); i++) {
		EXPECT_EQ(cmds[i].pos, i);
		EXPECT_EQ(cmds[i].queue, CMDQV_QUEUE_SMMU);
		EXPECT_LE(cmds[i].t_published, cmds[i].t_fetched);
		EXPECT_LT(cmds[i].t_fetched, cmds[i].t_exec_start + 1);
		EXPECT_LT(cmds[i].t_exec_start, cmds[i].t_exec_end);
		EXPECT_LE(cmds[i].t_exec_end, cmds[i].time);
		if (i) {
			EXPECT_LE(cmds[i - 1].time, cmds[i].t_exec_start);
		}
	}
	EXPECT_EQ(cmd_opcode(cmds.back().dw[0]), (uint8_t)CMDQ_OP_SYNC);
}

TEST_F(Cmdq, FetchLatencyFollowsParameters)
{
	start();
	push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	tb_harness_publish(&h, Q);
	sim_time_t t0 = cmdqv_now(h.n.model);
	ASSERT_TRUE(tb_harness_drain(&h, Q, SIM_US(10)));
	auto f = of_kind(CMDQV_TR_FETCH);
	ASSERT_EQ(f.size(), 1u);
	EXPECT_EQ(f[0].time - t0,
		  cfg.fetch_latency + cycles(cfg.fetch_beat_cycles));
	auto c = of_kind(CMDQV_TR_CMD);
	ASSERT_EQ(c.size(), 1u);
	EXPECT_EQ(c[0].t_exec_end - c[0].t_exec_start,
		  cycles(cfg.exec_cycles + cfg.sync_cycles));
}

TEST_F(Cmdq, FetchBurstsAreAlignedAndNeverCrossTheRingEnd)
{
	start(3); /* 8 entries */
	for (int i = 0; i < 6; i++)
		push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	ASSERT_TRUE(publish_drain(Q));
	/* Now start at index 6: bursts 6..7 (ring end) then 0..3, 4..5. */
	trace.clear();
	for (int i = 0; i < 8; i++)
		push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	ASSERT_TRUE(publish_drain(Q));
	auto f = of_kind(CMDQV_TR_FETCH);
	unsigned per_burst = cfg.fetch_burst_bytes / 16;
	uint32_t total = 0;
	for (auto &b : f) {
		uint32_t idx = b.pos & 7;
		EXPECT_LE(b.count, per_burst);
		EXPECT_LE(idx % per_burst + b.count, per_burst);
		EXPECT_LE(idx + b.count, 8u);
		total += b.count;
	}
	EXPECT_EQ(total, 8u);
}

TEST_F(Cmdq, QueueWrapsAndConsFollows)
{
	start(2); /* 4 entries */
	cmdqv_tlb_add(h.n.model, CMDQV_TLB_NH, 3, 3, 0x10000, 1);
	for (int round = 0; round < 5; round++) {
		push(Q, tb_cmd_tlbi_nh_va(3, 3, 0x10000));
		push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
		push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
		tb_harness_publish(&h, Q);
		ASSERT_TRUE(tb_harness_drain(&h, Q, SIM_US(10)))
			<< "round " << round;
	}
	/* 15 commands on a 4-entry ring: index 3, wrap bit toggled 3 times. */
	EXPECT_EQ(tb_harness_cons(&h, Q), 15u & 7u);
	struct cmdqv_stats st;
	cmdqv_stats_get(h.n.model, &st);
	EXPECT_EQ(st.commands, 15u);
}

TEST_F(Cmdq, SingleEntryQueueWraps)
{
	start(0); /* LOG2SIZE 0: one entry, the wrap bit is bit 0 */
	for (int i = 0; i < 5; i++) {
		push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
		tb_harness_publish(&h, Q);
		ASSERT_TRUE(tb_harness_drain(&h, Q, SIM_US(10))) << i;
	}
	EXPECT_EQ(tb_harness_cons(&h, Q), 1u);
	struct cmdqv_stats st;
	cmdqv_stats_get(h.n.model, &st);
	EXPECT_EQ(st.commands, 5u);
}

TEST_F(Cmdq, FullQueueIsConsumedCompletely)
{
	start(2);
	for (int i = 0; i < 4; i++)
		push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	tb_harness_publish(&h, Q); /* PROD = 4: index 0, wrap 1: full */
	EXPECT_EQ(rd(0x98), 4u);
	ASSERT_TRUE(tb_harness_drain(&h, Q, SIM_US(10)));
	EXPECT_EQ(tb_harness_cons(&h, Q), 4u);
}

TEST_F(Cmdq, TlbiAndCfgiTakeEffectWhenConsumed)
{
	start();
	struct cmdqv_model *m = h.n.model;
	cmdqv_tlb_add(m, CMDQV_TLB_NH, 7, 1, 0x1000, 1);
	cmdqv_tlb_add(m, CMDQV_TLB_NH, 8, 1, 0x1000, 1);
	cmdqv_cfg_add(m, 0x10, CMDQV_SSID_NONE);
	cmdqv_cfg_add(m, 0x11, CMDQV_SSID_NONE);
	struct cmd c = raw_cmd(CMDQ_OP_TLBI_S12_VMALL);
	c.vmid = 7;
	push(Q, c);
	c = raw_cmd(CMDQ_OP_CFGI_STE);
	c.sid = 0x10;
	c.leaf = true;
	push(Q, c);
	push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	ASSERT_TRUE(publish_drain(Q));
	EXPECT_FALSE(cmdqv_tlb_present(m, CMDQV_TLB_NH, 7, 1, 0x1000));
	EXPECT_TRUE(cmdqv_tlb_present(m, CMDQV_TLB_NH, 8, 1, 0x1000));
	EXPECT_FALSE(cmdqv_cfg_present(m, 0x10, CMDQV_SSID_NONE));
	EXPECT_TRUE(cmdqv_cfg_present(m, 0x11, CMDQV_SSID_NONE));
}

TEST_F(Cmdq, TlbiCostGrowsWithRangeAndIsCappedByScan)
{
	start();
	struct cmd small = tb_cmd_tlbi_nh_va(1, 1, 0x100000);
	small.tg = 1;
	small.num = 1; /* 2 pages */
	struct cmd big = small;
	big.num = 31;
	big.scale = 10; /* 32 << 10 pages */
	push(Q, small);
	push(Q, big);
	push(Q, raw_cmd(CMDQ_OP_TLBI_NSNH_ALL));
	ASSERT_TRUE(publish_drain(Q));
	auto c = of_kind(CMDQV_TR_CMD);
	ASSERT_EQ(c.size(), 3u);
	EXPECT_EQ(c[0].t_exec_end - c[0].t_exec_start,
		  cycles(cfg.exec_cycles + 2 * cfg.tlbi_va_cycles));
	EXPECT_EQ(c[1].t_exec_end - c[1].t_exec_start,
		  cycles(cfg.exec_cycles + cfg.tlbi_scan_cycles));
	EXPECT_EQ(c[2].t_exec_end - c[2].t_exec_start,
		  cycles(cfg.exec_cycles + cfg.tlbi_scan_cycles));
}

TEST_F(Cmdq, SyncCompletesOnlyAfterEarlierAtcInvCompletions)
{
	start();
	struct cmdqv_model *m = h.n.model;
	const sim_time_t dev = SIM_US(20);
	cmdqv_atc_add(m, 5, 0x8000, 4);
	cmdqv_atc_set_latency(m, 5, dev);
	push(Q, tb_cmd_atc_inv(5, 0x8000, 2));
	push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	tb_harness_publish(&h, Q);
	tb_harness_run(&h, SIM_US(5));
	EXPECT_EQ(tb_harness_cons(&h, Q),
		  1u); /* ATC_INV consumed, SYNC waiting */
	ASSERT_TRUE(tb_harness_drain(&h, Q, SIM_US(100)));
	auto req = of_kind(CMDQV_TR_ATS_REQ);
	auto done = of_kind(CMDQV_TR_ATS_DONE);
	ASSERT_EQ(req.size(), 1u);
	ASSERT_EQ(done.size(), 1u);
	EXPECT_EQ(done[0].code, 0u);
	EXPECT_EQ(done[0].time - req[0].time, 2 * cfg.ats_link_latency + dev);
	auto c = of_kind(CMDQV_TR_CMD);
	ASSERT_EQ(c.size(), 2u);
	EXPECT_GE(c[1].time, done[0].time + cycles(cfg.sync_cycles));
	EXPECT_FALSE(cmdqv_atc_present(m, 5, 0x8000));
}

TEST_F(Cmdq, SyncWithoutAtcInvDoesNotWaitForOtherQueues)
{
	cfg.vintfs = 8; /* 16 LVCMDQs per VINTF */
	start();
	ASSERT_TRUE(tb_harness_vintf_up(&h, 0, true, 0, 0, 2, VQBASE, 8));
	cmdqv_atc_set_latency(h.n.model, 9, SIM_US(50));
	push(Q, tb_cmd_atc_inv(9, 0, 52));
	push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	tb_harness_publish(&h, Q);
	push(0, tb_cmd_sync(CMD_SYNC_CS_NONE));
	tb_harness_publish(&h, 0);
	ASSERT_TRUE(tb_harness_drain(&h, 0, SIM_US(5)));
	tb_harness_run(&h, SIM_US(5));
	EXPECT_EQ(tb_harness_cons(&h, Q), 1u); /* its own SYNC still waits */
}

TEST_F(Cmdq, SlowEndpointStallsOnlyItsQueue)
{
	cfg.vintfs = 8;
	start();
	ASSERT_TRUE(tb_harness_vintf_up(&h, 0, true, 0, 0, 2, VQBASE, 8));
	struct cmdqv_model *m = h.n.model;
	cmdqv_atc_set_latency(m, 0x20, SIM_MS(1));
	/* VCMDQ0: slow device; VCMDQ1: TLBIs + SYNCs published after it. */
	push(0, tb_cmd_atc_inv(0x20, 0, 52));
	push(0, tb_cmd_sync(CMD_SYNC_CS_NONE));
	push(0, tb_cmd_tlbi_nh_va(1, 1, 0x1000));
	tb_harness_publish(&h, 0);
	tb_harness_run(&h, SIM_US(1));
	for (int i = 0; i < 20; i++) {
		push(1, tb_cmd_tlbi_nh_va(2, 2, 0x1000u * i));
		push(1, tb_cmd_sync(CMD_SYNC_CS_NONE));
	}
	tb_harness_publish(&h, 1);
	ASSERT_TRUE(tb_harness_drain(&h, 1, SIM_US(20)));
	EXPECT_EQ(tb_harness_cons(&h, 0), 1u); /* still on its SYNC */
	ASSERT_TRUE(tb_harness_drain(&h, 0, SIM_MS(2)));
	EXPECT_GE(cmdqv_now(m), SIM_MS(1));
}

TEST_F(Cmdq, AtcTimeoutRaisesAtcInvSyncAtNextSync)
{
	cfg.atc_timeout = SIM_US(100);
	start();
	struct cmdqv_model *m = h.n.model;
	cmdqv_atc_set_silent(m, 6, true);
	cmdqv_tlb_add(m, CMDQV_TLB_NH, 1, 1, 0x3000, 1);
	push(Q, tb_cmd_atc_inv(6, 0, 52));
	push(Q, tb_cmd_tlbi_nh_va(1, 1, 0x3000));
	push(Q, tb_cmd_sync(CMD_SYNC_CS_SEV));
	tb_harness_publish(&h, Q);
	tb_harness_run(&h, SIM_US(99));
	EXPECT_EQ(tb_harness_cons(&h, Q), 2u);
	EXPECT_EQ(rd(0x60) & 1, 0u);
	tb_harness_run(&h, SIM_US(5));
	EXPECT_EQ(tb_harness_cons(&h, Q), 2u); /* CONS on the SYNC */
	EXPECT_EQ(err(Q), 3u); /* SMMU_CERROR_ATC_INV_SYNC */
	EXPECT_EQ(rd(0x60) & 1, 1u);
	EXPECT_EQ(h.n.sev_count, 0u); /* no signal */
	EXPECT_FALSE(cmdqv_tlb_present(m, CMDQV_TLB_NH, 1, 1,
				       0x3000)); /* TLBI took effect */
	auto done = of_kind(CMDQV_TR_ATS_DONE);
	ASSERT_EQ(done.size(), 1u);
	EXPECT_EQ(done[0].code, 1u);
	/* Acknowledge: the SYNC is retried and completes (no new timeouts). */
	tb_harness_ack(&h, Q);
	ASSERT_TRUE(tb_harness_drain(&h, Q, SIM_US(10)));
	EXPECT_EQ(h.n.sev_count, 1u);
}

TEST_F(Cmdq, IllegalCommandHaltsQueueUntilGerrornAck)
{
	start();
	push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	push(Q, raw_cmd(0x07)); /* QEMU's CFGI_ALL symbol: reserved */
	push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	tb_harness_publish(&h, Q);
	tb_harness_run(&h, SIM_US(10));
	EXPECT_EQ(tb_harness_cons(&h, Q), 1u);
	EXPECT_EQ(err(Q), 1u);
	EXPECT_EQ(rd(0x60) & 1, 1u);
	auto e = of_kind(CMDQV_TR_ERROR);
	ASSERT_EQ(e.size(), 1u);
	EXPECT_EQ(e[0].pos, 1u);
	EXPECT_EQ(e[0].code, 1u);
	/* Nothing is consumed while halted, however long we wait. */
	tb_harness_run(&h, SIM_MS(1));
	EXPECT_EQ(tb_harness_cons(&h, Q), 1u);
	/* Linux recovery: overwrite the bad entry with a SYNC, ack GERRORN. */
	uint64_t dw[2];
	struct cmd s = tb_cmd_sync(CMD_SYNC_CS_NONE);
	cmd_encode(&s, dw);
	tb_mem_write64(&h.n.mem, QBASE + 16, dw[0]);
	tb_mem_write64(&h.n.mem, QBASE + 24, dw[1]);
	sim_time_t t_ack = cmdqv_now(h.n.model);
	tb_harness_ack(&h, Q);
	EXPECT_EQ(tb_harness_cons(&h, Q),
		  1u); /* the ack does not run anything */
	ASSERT_TRUE(tb_harness_drain(&h, Q, SIM_US(10)));
	EXPECT_EQ(err(Q), 0u);
	auto c = of_kind(CMDQV_TR_CMD);
	ASSERT_EQ(c.size(), 3u);
	EXPECT_GT(c[1].t_fetched, t_ack); /* re-fetched after the ack */
	EXPECT_EQ(c[1].dw[0], dw[0]);
}

struct IllCase {
	const char *name;
	uint8_t opcode;
	void (*tweak)(struct cmdqv_config *, struct cmd *);
};

void no_tweak(struct cmdqv_config *, struct cmd *)
{
}

const IllCase ill_cases[] = {
	{ "reserved_0x00", 0x00, no_tweak },
	{ "reserved_0x50", 0x50, no_tweak },
	{ "impl_defined_0x80", 0x80, no_tweak },
	{ "el3_all", CMDQ_OP_TLBI_EL3_ALL, no_tweak },
	{ "el3_va", CMDQ_OP_TLBI_EL3_VA, no_tweak },
	{ "el2_without_hyp", CMDQ_OP_TLBI_EL2_ALL,
	  [](struct cmdqv_config *c, struct cmd *) { c->hyp = false; } },
	/* a stage-1-only SMMU has no CMD-QV (cmdqv_config_validate) */
	{ "s12_without_s2p", CMDQ_OP_TLBI_S12_VMALL,
	  [](struct cmdqv_config *c, struct cmd *) {
		  c->s2p = false;
		  c->cmdqv = false;
	  } },
	{ "s2_ipa_without_s2p", CMDQ_OP_TLBI_S2_IPA,
	  [](struct cmdqv_config *c, struct cmd *) {
		  c->s2p = false;
		  c->cmdqv = false;
	  } },
	{ "nh_without_s1p", CMDQ_OP_TLBI_NH_ASID,
	  [](struct cmdqv_config *c, struct cmd *) { c->s1p = false; } },
	{ "cfgi_cd_without_s1p", CMDQ_OP_CFGI_CD,
	  [](struct cmdqv_config *c, struct cmd *) { c->s1p = false; } },
	{ "ssec", CMDQ_OP_CFGI_STE,
	  [](struct cmdqv_config *, struct cmd *x) { x->ssec = true; } },
	{ "cs3", CMDQ_OP_SYNC,
	  [](struct cmdqv_config *, struct cmd *x) { x->cs = 3; } },
	{ "pri_resp_without_pri", CMDQ_OP_PRI_RESP, no_tweak },
	{ "pri_resp_resp3", CMDQ_OP_PRI_RESP,
	  [](struct cmdqv_config *c, struct cmd *x) {
		  c->pri = true;
		  x->resp = 3;
	  } },
	{ "resume_without_stall", CMDQ_OP_RESUME, no_tweak },
	{ "stall_term_without_stall", CMDQ_OP_STALL_TERM, no_tweak },
	{ "atc_inv_without_ats", CMDQ_OP_ATC_INV,
	  [](struct cmdqv_config *c, struct cmd *) { c->ats = false; } },
	{ "atc_inv_size_53", CMDQ_OP_ATC_INV,
	  [](struct cmdqv_config *, struct cmd *x) { x->size = 53; } },
	{ "range_tlbi_tg_without_num_scale_ttl", CMDQ_OP_TLBI_NH_VA,
	  [](struct cmdqv_config *, struct cmd *x) { x->tg = 1; } },
};

class CmdqIll : public Cmdq, public ::testing::WithParamInterface<IllCase> {};

TEST_P(CmdqIll, IsCerrorIll)
{
	struct cmd c = raw_cmd(GetParam().opcode);
	GetParam().tweak(&cfg, &c);
	start();
	push(Q, c);
	tb_harness_publish(&h, Q);
	tb_harness_run(&h, SIM_US(10));
	EXPECT_EQ(tb_harness_cons(&h, Q), 0u);
	EXPECT_EQ(err(Q), 1u);
	EXPECT_EQ(rd(0x60) & 1, 1u);
}

INSTANTIATE_TEST_SUITE_P(Legality, CmdqIll, ::testing::ValuesIn(ill_cases),
			 [](const ::testing::TestParamInfo<IllCase> &i) {
				 return std::string(i.param.name);
			 });

TEST_F(Cmdq, Cs3IsIllegal)
{
	start();
	push(Q, tb_cmd_sync(3));
	tb_harness_publish(&h, Q);
	tb_harness_run(&h, SIM_US(10));
	EXPECT_EQ(tb_harness_cons(&h, Q), 0u);
	EXPECT_EQ(err(Q), 1u);
	EXPECT_EQ(cmdqv_irq_edges(h.n.model, CMDQV_IRQ_CMD_SYNC), 0u);
}

TEST_F(Cmdq, ProdBehindConsConsumesNothing)
{
	start(4);
	for (int i = 0; i < 4; i++)
		push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	ASSERT_TRUE(publish_drain(Q));
	/* PROD moved back behind CONS (same wrap): an inconsistent pair, CU
         * (IHI 0070 6.3.26-6.3.28); the model consumes nothing. */
	tb_harness_write(&h, S, 0x98, 4, 2);
	tb_harness_run(&h, SIM_US(10));
	EXPECT_EQ(tb_harness_cons(&h, Q), 4u);
	EXPECT_EQ(err(Q), 0u);
	/* ... and says so (IHI 0070 3.5.1; docs/register-map.md) */
	struct cmdqv_stats st;
	struct cmdqv_queue_state qs;
	cmdqv_stats_get(h.n.model, &st);
	EXPECT_EQ(st.inconsistent_indexes, 1u);
	cmdqv_queue_get(h.n.model, 0, &qs);
	EXPECT_TRUE(qs.inconsistent);
}

/* PROD more than a full queue ahead of CONS (WR > RD, wrap bits different):
 * the other inconsistent state of IHI 0070 3.5.1.  Nothing runs (not even
 * the published commands), no error; counted and flagged; a consistent
 * PROD write resumes exactly the published commands. */
TEST_F(Cmdq, ProdMoreThanFullConsumesNothingAndIsCounted)
{
	start(4); /* 16 entries */
	push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	struct cmdqv_stats st;
	struct cmdqv_queue_state qs;
	cmdqv_stats_get(h.n.model, &st);
	EXPECT_EQ(st.inconsistent_indexes, 0u);
	tb_harness_write(&h, S, 0x98, 4, 0x11);
	tb_harness_run(&h, SIM_MS(10));
	EXPECT_EQ(tb_harness_cons(&h, Q), 0u);
	EXPECT_EQ(err(Q), 0u);
	cmdqv_stats_get(h.n.model, &st);
	EXPECT_EQ(st.inconsistent_indexes, 1u);
	EXPECT_EQ(st.commands, 0u);
	EXPECT_EQ(st.fetch_bursts, 0u); /* nothing was even read */
	EXPECT_EQ(st.errors, 0u);
	cmdqv_queue_get(h.n.model, 0, &qs);
	EXPECT_TRUE(qs.inconsistent);
	EXPECT_EQ(qs.prod, 0x11u);
	EXPECT_EQ(qs.cons, 0u);
	EXPECT_GT(qs.used, 16u);
	tb_harness_write(&h, S, 0x98, 4, 0x2);
	tb_harness_run(&h, SIM_US(10));
	EXPECT_EQ(tb_harness_cons(&h, Q), 2u);
	EXPECT_EQ(err(Q), 0u);
	cmdqv_stats_get(h.n.model, &st);
	EXPECT_EQ(st.commands, 2u);
	EXPECT_EQ(st.inconsistent_indexes, 1u);
	cmdqv_queue_get(h.n.model, 0, &qs);
	EXPECT_FALSE(qs.inconsistent);
}

/* While the queue is disabled software may pass through an inconsistent
 * pair between its PROD and CONS writes: not counted.  Enabling with the
 * pair still inconsistent is. */
TEST_F(Cmdq, InconsistentPairWhileDisabledCountsOnlyAtEnable)
{
	start(4);
	tb_harness_write(&h, S, 0x20, 4, 0x1); /* CMDQEN off, SMMUEN kept */
	tb_harness_run(&h, SIM_US(10));
	tb_harness_write(&h, S, 0x98, 4, 0x5); /* PROD 5, CONS 0: fine */
	tb_harness_write(&h, S, 0x9c, 4, 0x7); /* PROD behind CONS */
	tb_harness_write(&h, S, 0x98, 4, 0x18); /* WR 8 > RD 7, wraps differ */
	struct cmdqv_stats st;
	cmdqv_stats_get(h.n.model, &st);
	EXPECT_EQ(st.inconsistent_indexes, 0u); /* disabled */
	tb_harness_write(&h, S, 0x20, 4, 0x9);
	tb_harness_run(&h, SIM_US(10));
	cmdqv_stats_get(h.n.model, &st);
	EXPECT_EQ(st.inconsistent_indexes, 1u); /* enabled inconsistent */
	EXPECT_EQ(st.commands, 0u);
	EXPECT_EQ(tb_harness_cons(&h, Q), 7u);
	EXPECT_EQ(err(Q), 0u);
}

TEST_F(Cmdq, HintsAndLegalPriRespAreConsumedWithoutEffect)
{
	cfg.pri = true;
	cfg.stall = true;
	start();
	cmdqv_cfg_add(h.n.model, 1, CMDQV_SSID_NONE);
	struct cmd p = raw_cmd(CMDQ_OP_PREFETCH_CONFIG);
	p.sid = 1;
	push(Q, p);
	push(Q, raw_cmd(CMDQ_OP_PREFETCH_ADDR));
	struct cmd r = raw_cmd(CMDQ_OP_PRI_RESP);
	r.resp = 2;
	push(Q, r);
	push(Q, raw_cmd(CMDQ_OP_RESUME));
	push(Q, raw_cmd(CMDQ_OP_STALL_TERM));
	ASSERT_TRUE(publish_drain(Q));
	EXPECT_TRUE(cmdqv_cfg_present(h.n.model, 1, CMDQV_SSID_NONE));
	struct cmdqv_stats st;
	cmdqv_stats_get(h.n.model, &st);
	EXPECT_EQ(st.errors, 0u);
	EXPECT_EQ(st.by_opcode[CMDQ_OP_PRI_RESP], 1u);
}

TEST_F(Cmdq, RangeTlbiFieldsIgnoredWithoutRil)
{
	cfg.ril = false;
	start();
	struct cmd c = tb_cmd_tlbi_nh_va(1, 1, 0x1000);
	c.tg = 1; /* would be ILL with RIL */
	push(Q, c);
	ASSERT_TRUE(publish_drain(Q));
}

TEST_F(Cmdq, FetchAbortRetriedAfterAck)
{
	start();
	tb_mem_add_fault(&h.n.mem, QBASE + 2 * 16, 16);
	for (int i = 0; i < 4; i++)
		push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	tb_harness_publish(&h, Q);
	tb_harness_run(&h, SIM_US(10));
	EXPECT_EQ(tb_harness_cons(&h, Q), 2u); /* older entries executed */
	EXPECT_EQ(err(Q), 2u); /* SMMU_CERROR_ABT */
	EXPECT_EQ(rd(0x60) & 1, 1u);
	tb_harness_run(&h, SIM_MS(1));
	EXPECT_EQ(tb_harness_cons(&h, Q), 2u);
	tb_mem_clear_faults(&h.n.mem);
	tb_harness_ack(&h, Q); /* no PROD write: the entry is re-fetched */
	ASSERT_TRUE(tb_harness_drain(&h, Q, SIM_US(10)));
}

TEST_F(Cmdq, FetchAbortAgainAfterAckIfStillFaulting)
{
	start();
	tb_mem_add_fault(&h.n.mem, QBASE, 16);
	push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	tb_harness_publish(&h, Q);
	tb_harness_run(&h, SIM_US(10));
	EXPECT_EQ(err(Q), 2u);
	tb_harness_ack(&h, Q);
	tb_harness_run(&h, SIM_US(10));
	EXPECT_EQ(tb_harness_cons(&h, Q), 0u);
	EXPECT_EQ((rd(0x60) ^ rd(0x64)) & 1, 1u); /* active again */
	struct cmdqv_stats st;
	cmdqv_stats_get(h.n.model, &st);
	EXPECT_EQ(st.errors, 2u);
}

TEST_F(Cmdq, SyncIrqWritesMsiData)
{
	start();
	struct cmd s = tb_cmd_sync(CMD_SYNC_CS_IRQ);
	s.msiaddr = 0x7000;
	s.msidata = 0xfeedf00d;
	push(Q, s);
	ASSERT_TRUE(publish_drain(Q));
	sim_time_t t_cons = cmdqv_now(h.n.model);
	EXPECT_EQ(tb_mem_read32(&h.n.mem, 0x7000), 0u); /* CONS passes first */
	tb_harness_run(&h, cfg.msi_latency);
	EXPECT_EQ(tb_mem_read32(&h.n.mem, 0x7000), 0xfeedf00du);
	auto w = of_kind(CMDQV_TR_MEM_WRITE);
	ASSERT_EQ(w.size(), 1u);
	EXPECT_EQ(w[0].time, t_cons + cfg.msi_latency);
	EXPECT_EQ(w[0].size, 4u);
	/* The SYNC's own wired line pulses whatever MSIAddress holds (IHI 0070
	 * 4.7.3). */
	EXPECT_EQ(cmdqv_irq_edges(h.n.model, CMDQV_IRQ_CMD_SYNC), 1u);
}

TEST_F(Cmdq, SyncIrqWiredPulseAtCompletionNotAfterMsi)
{
	cfg.msi_latency = SIM_US(1);
	start();
	push_msi_sync(Q, 0x7000, 7);
	ASSERT_TRUE(publish_drain(Q));
	/* CONS has passed the SYNC: the pulse is there, the MSI not yet. */
	EXPECT_EQ(cmdqv_irq_edges(h.n.model, CMDQV_IRQ_CMD_SYNC), 1u);
	EXPECT_EQ(tb_mem_read32(&h.n.mem, 0x7000), 0u);
	tb_harness_run(&h, cfg.msi_latency);
	EXPECT_EQ(tb_mem_read32(&h.n.mem, 0x7000), 7u);
	EXPECT_EQ(cmdqv_irq_edges(h.n.model, CMDQV_IRQ_CMD_SYNC), 1u);
}

TEST_F(Cmdq, SyncIrqWiredOffPulsesOnlyWithoutMsi)
{
	cfg.sync_irq_wired = false; /* issue #2's reading */
	start();
	push_msi_sync(Q, 0x7000, 9);
	ASSERT_TRUE(publish_drain(Q));
	tb_harness_run(&h, cfg.msi_latency);
	EXPECT_EQ(tb_mem_read32(&h.n.mem, 0x7000), 9u);
	EXPECT_EQ(cmdqv_irq_edges(h.n.model, CMDQV_IRQ_CMD_SYNC), 0u);
	push(Q, tb_cmd_sync(CMD_SYNC_CS_IRQ)); /* MSIAddress 0: wired */
	ASSERT_TRUE(publish_drain(Q));
	EXPECT_EQ(cmdqv_irq_edges(h.n.model, CMDQV_IRQ_CMD_SYNC), 1u);
}

TEST_F(Cmdq, SyncWaitsForEarlierSyncsMsiWrites)
{
	cfg.msi_latency = SIM_US(1);
	start();
	push_msi_sync(Q, 0x7000, 1);
	push_msi_sync(Q, 0x7004, 2);
	ASSERT_TRUE(publish_drain(Q));
	tb_harness_run(&h, SIM_US(2));
	auto w = of_kind(CMDQV_TR_MEM_WRITE);
	auto c = of_kind(CMDQV_TR_CMD);
	ASSERT_EQ(w.size(), 2u);
	ASSERT_EQ(c.size(), 2u);
	/* A SYNC completes only once earlier SYNCs' MSIs are visible (IHI 0070
	 * 4.7.3). */
	EXPECT_GE(c[1].time, w[0].time + cycles(cfg.sync_cycles));
	EXPECT_EQ(w[0].time, c[0].time + cfg.msi_latency);
	EXPECT_EQ(tb_mem_read32(&h.n.mem, 0x7000), 1u);
	EXPECT_EQ(tb_mem_read32(&h.n.mem, 0x7004), 2u);
}

TEST_F(Cmdq, SyncIrqWithoutMsiPulsesWiredLine)
{
	cfg.msi = false;
	start();
	push_msi_sync(Q, 0x7000, 0);
	push(Q, tb_cmd_sync(CMD_SYNC_CS_IRQ)); /* MSIAddress 0: wired too */
	ASSERT_TRUE(publish_drain(Q));
	tb_harness_run(&h, SIM_US(1));
	EXPECT_EQ(cmdqv_irq_edges(h.n.model, CMDQV_IRQ_CMD_SYNC), 2u);
	EXPECT_FALSE(cmdqv_irq_level(h.n.model, CMDQV_IRQ_CMD_SYNC));
	EXPECT_EQ(of_kind(CMDQV_TR_MEM_WRITE).size(), 0u);
}

TEST_F(Cmdq, SyncMsiAbortSetsMsiCmdqAbtErr)
{
	start();
	tb_mem_add_fault(&h.n.mem, 0x7000, 4);
	push_msi_sync(Q, 0x7000, 0);
	ASSERT_TRUE(publish_drain(Q));
	tb_harness_run(&h, cfg.msi_latency);
	EXPECT_EQ(rd(0x60) & 0x10, 0x10u);
	EXPECT_EQ(rd(0x60) & 1, 0u);
}

TEST_F(Cmdq, SyncSevSignalsOnlyWithSev)
{
	start();
	push(Q, tb_cmd_sync(CMD_SYNC_CS_SEV));
	ASSERT_TRUE(publish_drain(Q));
	EXPECT_EQ(h.n.sev_count, 1u);
}

TEST_F(Cmdq, SyncSevWithoutSevActsAsNone)
{
	cfg.sev = false;
	start();
	push(Q, tb_cmd_sync(CMD_SYNC_CS_SEV));
	ASSERT_TRUE(publish_drain(Q));
	EXPECT_EQ(h.n.sev_count, 0u);
	EXPECT_EQ(rd(0x60), 0u);
}

TEST_F(Cmdq, VcmdqSyncIrqActsAsNone)
{
	cfg.vintfs = 8;
	cfg.vcmdq_cons_sev =
		false; /* only the CS field: no SEV per CONS move */
	start();
	ASSERT_TRUE(tb_harness_vintf_up(&h, 0, true, 0, 0, 1, VQBASE, 8));
	push_msi_sync(0, 0x7000, 5);
	push(0, tb_cmd_sync(CMD_SYNC_CS_SEV));
	tb_harness_publish(&h, 0);
	ASSERT_TRUE(tb_harness_drain(&h, 0, SIM_US(10)));
	tb_harness_run(&h, SIM_US(1));
	EXPECT_EQ(tb_mem_read32(&h.n.mem, 0x7000), 0u);
	EXPECT_EQ(h.n.sev_count, 0u);
	EXPECT_EQ(cmdqv_irq_edges(h.n.model, CMDQV_IRQ_CMD_SYNC), 0u);
}

TEST_F(Cmdq, AtcInvIgnoredWhileSmmuDisabled)
{
	start(8, false);
	cmdqv_atc_add(h.n.model, 3, 0x1000, 1);
	push(Q, tb_cmd_atc_inv(3, 0, 52));
	push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	ASSERT_TRUE(publish_drain(Q));
	EXPECT_TRUE(cmdqv_atc_present(h.n.model, 3, 0x1000));
	EXPECT_EQ(of_kind(CMDQV_TR_ATS_REQ).size(), 0u);
}

TEST_F(Cmdq, ItagLimitMakesTheQueueWait)
{
	cfg.ats_outstanding = 2;
	start();
	const sim_time_t dev = SIM_US(10);
	cmdqv_atc_set_latency(h.n.model, 4, dev);
	for (int i = 0; i < 4; i++)
		push(Q, tb_cmd_atc_inv(4, 0x1000u * i, 0));
	push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	tb_harness_publish(&h, Q);
	ASSERT_TRUE(tb_harness_drain(&h, Q, SIM_US(100)));
	auto req = of_kind(CMDQV_TR_ATS_REQ);
	auto done = of_kind(CMDQV_TR_ATS_DONE);
	ASSERT_EQ(req.size(), 4u);
	ASSERT_EQ(done.size(), 4u);
	/* The third request goes out only after the first completion. */
	EXPECT_GE(req[2].time, done[0].time);
	EXPECT_LT(req[1].time, done[0].time);
	for (auto &r : req)
		EXPECT_LT(r.code, 2u); /* ITag within ats_outstanding */
}

TEST_F(Cmdq, ItagWaitDoesNotHoldTheProcessor)
{
	cfg.ats_outstanding = 1;
	cfg.vintfs = 8;
	start();
	ASSERT_TRUE(tb_harness_vintf_up(&h, 0, true, 0, 0, 1, VQBASE, 8));
	cmdqv_atc_set_latency(h.n.model, 4, SIM_US(500));
	push(Q, tb_cmd_atc_inv(4, 0, 0));
	push(Q, tb_cmd_atc_inv(4, 0x1000, 0));
	tb_harness_publish(&h, Q);
	tb_harness_run(&h, SIM_US(2));
	EXPECT_EQ(tb_harness_cons(&h, Q), 1u);
	push(0, tb_cmd_sync(CMD_SYNC_CS_NONE));
	tb_harness_publish(&h, 0);
	ASSERT_TRUE(tb_harness_drain(&h, 0, SIM_US(5)));
	ASSERT_TRUE(tb_harness_drain(&h, Q, SIM_MS(2)));
}

TEST_F(Cmdq, DisableStopsFetchingAndKeepsConsStable)
{
	start();
	for (int i = 0; i < 100; i++)
		push(Q, tb_cmd_tlbi_nh_va(1, 1, 0x1000u * i));
	tb_harness_publish(&h, Q);
	tb_harness_run(&h, SIM_NS(300));
	tb_harness_write(&h, S, 0x20, 4, 0x0);
	/* CONS is stable once CR0ACK shows the disable (IHI 0070 6.3.9,
	 * 6.3.10). */
	ASSERT_TRUE(
		tb_harness_poll(&h, S, 0x24, 4, 0x8, 0, cycles(1), SIM_US(1)));
	uint32_t cons = tb_harness_cons(&h, Q);
	EXPECT_LT(cons, 100u);
	tb_harness_run(&h, SIM_US(100));
	EXPECT_EQ(tb_harness_cons(&h, Q), cons);
	/* Re-enable: consumption resumes from CONS. */
	tb_harness_write(&h, S, 0x20, 4, 0x8);
	ASSERT_TRUE(tb_harness_drain(&h, Q, SIM_US(100)));
}

TEST_F(Cmdq, NothingRunsWhileDisabled)
{
	ASSERT_EQ(tb_harness_init(&h, &cfg), CMDQV_OK);
	up = true;
	tb_harness_write(&h, S, 0x90, 8, QBASE | 4);
	h.smmu.base = QBASE;
	h.smmu.log2size = 4;
	push(Q, tb_cmd_sync(CMD_SYNC_CS_NONE));
	tb_harness_publish(&h, Q);
	tb_harness_run(&h, SIM_MS(1));
	EXPECT_EQ(tb_harness_cons(&h, Q), 0u);
	EXPECT_EQ(cmdqv_next_deadline(h.n.model), SIM_TIME_NEVER);
}

/* Two hyp-owned VCMDQs with a long stream each, published together. */
class CmdqArb : public Cmdq {
    protected:
	std::vector<int32_t> serve_order(unsigned nq, unsigned per_q)
	{
		cfg.vintfs = 8;
		start();
		EXPECT_TRUE(
			tb_harness_vintf_up(&h, 0, true, 0, 0, nq, VQBASE, 10));
		for (unsigned q = 0; q < nq; q++) {
			for (unsigned i = 0; i < per_q; i++)
				push((int)q,
				     tb_cmd_tlbi_nh_va(1, 1, 0x1000u * i));
			tb_harness_publish(&h, (int)q);
		}
		for (unsigned q = 0; q < nq; q++)
			EXPECT_TRUE(tb_harness_drain(&h, (int)q, SIM_MS(10)));
		std::vector<int32_t> order;
		for (auto &r : of_kind(CMDQV_TR_CMD))
			order.push_back(r.queue);
		return order;
	}
};

TEST_F(CmdqArb, BatchLimitBoundsRunsFromOneQueue)
{
	cfg.arb_batch = 4;
	cfg.fetch_slots = 16; /* both queues read ahead from the start */
	auto order = serve_order(2, 64);
	ASSERT_EQ(order.size(), 128u);
	size_t run = 1, longest = 1, switches = 0;
	for (size_t i = 1; i < order.size(); i++) {
		if (order[i] == order[i - 1]) {
			run++;
		} else {
			run = 1;
			switches++;
		}
		longest = std::max(longest, run);
	}
	EXPECT_LE(longest, 4u);
	EXPECT_GE(switches, 128u / 4 - 2);
}

TEST_F(CmdqArb, RoundRobinIsFair)
{
	cfg.arb_batch = 8;
	auto order = serve_order(3, 96);
	ASSERT_EQ(order.size(), 288u);
	/* Within any prefix, the served counts differ by at most one batch
         * (plus the fetch ramp at the start). */
	std::map<int32_t, int> n;
	for (size_t i = 0; i < order.size(); i++) {
		n[order[i]]++;
		if (i >= 48 && i < 240) {
			int lo = 1 << 30, hi = 0;
			for (int q = 0; q < 3; q++) {
				lo = std::min(lo, n[q]);
				hi = std::max(hi, n[q]);
			}
			EXPECT_LE(hi - lo, 2 * 8) << "at " << i;
		}
	}
}

TEST_F(CmdqArb, SwitchCostIsCharged)
{
	cfg.arb_batch = 1;
	cfg.arb_switch_cycles = 50;
	auto order = serve_order(2, 8);
	auto c = of_kind(CMDQV_TR_CMD);
	ASSERT_EQ(c.size(), 16u);
	int charged = 0;
	for (size_t i = 1; i < c.size(); i++)
		if (c[i].queue != c[i - 1].queue &&
		    c[i].t_exec_start >=
			    c[i - 1].time + cycles(cfg.arb_switch_cycles))
			charged++;
	EXPECT_GE(charged, 10);
}

/* Same inputs, byte-identical trace. */
std::vector<cmdqv_trace_rec> run_mixed(const struct cmdqv_config &base)
{
	struct cmdqv_config cfg = base;
	cfg.vintfs = 8;
	struct tb_harness h;
	std::vector<cmdqv_trace_rec> tr;
	EXPECT_EQ(tb_harness_init(&h, &cfg), CMDQV_OK);
	tb_native_set_trace(
		&h.n,
		[](void *ctx, const struct cmdqv_trace_rec *r) {
			static_cast<std::vector<cmdqv_trace_rec> *>(ctx)
				->push_back(*r);
		},
		&tr);
	EXPECT_TRUE(tb_harness_smmu_up(&h, QBASE, 8, true));
	EXPECT_TRUE(tb_harness_vintf_up(&h, 0, true, 0, 0, 3, VQBASE, 8));
	cmdqv_atc_set_latency(h.n.model, 1, SIM_US(3));
	for (int q = -1; q < 3; q++) {
		for (int i = 0; i < 30; i++) {
			struct cmd t = tb_cmd_tlbi_nh_va(1, 1, 0x1000u * i);
			struct cmd a = tb_cmd_atc_inv(1, 0, 52);
			struct cmd s = tb_cmd_sync(0);
			tb_harness_push(&h, q, &t);
			if (i % 7 == 0)
				tb_harness_push(&h, q, &a);
			if (i % 5 == 4)
				tb_harness_push(&h, q, &s);
		}
		tb_harness_publish(&h, q);
	}
	tb_native_run_idle(&h.n, SIM_MS(10));
	tb_harness_deinit(&h);
	return tr;
}

bool same(const cmdqv_trace_rec &x, const cmdqv_trace_rec &y)
{
	return x.kind == y.kind && x.time == y.time && x.queue == y.queue &&
	       x.space == y.space && x.size == y.size && x.offset == y.offset &&
	       x.value == y.value && x.pos == y.pos && x.count == y.count &&
	       x.dw[0] == y.dw[0] && x.dw[1] == y.dw[1] && x.code == y.code &&
	       x.sid == y.sid && x.t_published == y.t_published &&
	       x.t_fetched == y.t_fetched && x.t_exec_start == y.t_exec_start &&
	       x.t_exec_end == y.t_exec_end;
}

TEST(CmdqDeterminism, TraceIsByteIdenticalAcrossRuns)
{
	struct cmdqv_config cfg;
	cmdqv_config_defaults(&cfg);
	auto a = run_mixed(cfg);
	auto b = run_mixed(cfg);
	ASSERT_GT(a.size(), 100u);
	ASSERT_EQ(a.size(), b.size());
	for (size_t i = 0; i < a.size(); i++)
		ASSERT_TRUE(same(a[i], b[i])) << "record " << i;
}

} // namespace

namespace
{

/*
 * Property: random driver behaviour (random command words, PROD writes,
 * enables, acknowledgements, fetch faults, endpoint latencies) never breaks
 * the queue invariants: CONS only moves forward towards PROD, one entry per
 * consumed command; ERR is non-zero only while GERROR.CMDQ_ERR is active;
 * nothing is consumed while an error is active; time only advances in run.
 */
TEST(CmdqProperty, RandomTrafficKeepsQueueInvariants)
{
	uint64_t all_commands = 0, all_errors = 0, all_timeouts = 0;

	for (uint32_t seed = 1; seed <= 40; seed++) {
		struct cmdqv_config cfg;
		cmdqv_config_defaults(&cfg);
		cfg.atc_timeout = SIM_US(50);
		cfg.fetch_buffer_entries = 1 + seed % 9;
		cfg.fetch_slots = 1 + seed % 3;
		struct tb_harness h;
		ASSERT_EQ(tb_harness_init(&h, &cfg), CMDQV_OK);
		ASSERT_TRUE(tb_harness_smmu_up(&h, QBASE, 4, seed % 2));
		uint64_t x = seed * 0x9E3779B97F4A7C15ull;
		auto rnd = [&x]() {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			return x;
		};
		static const uint8_t ops[] = {
			CMDQ_OP_TLBI_NH_VA,   CMDQ_OP_TLBI_NH_ASID,
			CMDQ_OP_CFGI_STE,     CMDQ_OP_ATC_INV,
			CMDQ_OP_SYNC,	      CMDQ_OP_TLBI_S2_IPA,
			CMDQ_OP_TLBI_EL2_ALL, 0x07
		};
		struct cmdqv_stats st;
		uint32_t cons = 0;
		uint64_t consumed = 0;
		for (int step = 0; step < 300; step++) {
			uint64_t r = rnd();
			switch (r % 8) {
			case 0:
			case 1:
			case 2: {
				uint64_t dw[2] = { rnd(), rnd() };
				if ((r >> 8) % 8) {
					/* mostly well-formed commands */
					struct cmd c;
					std::memset(&c, 0, sizeof(c));
					c.opcode = ops[(r >> 12) % 8];
					c.sid = (uint32_t)(dw[0] & 3);
					c.vmid = (uint16_t)(dw[0] >> 8) & 3;
					c.asid = (uint16_t)(dw[0] >> 16) & 3;
					c.addr = (dw[1] & 0xff) << 12;
					c.size = (uint8_t)(dw[1] >> 8) % 54;
					c.cs = (uint8_t)((dw[1] >> 16) % 3);
					c.leaf = true;
					cmd_encode(&c, dw);
				}
				/* never overfill the 16-entry ring */
				if (((tb_harness_sw_prod(&h, Q) - cons) &
				     0x1f) < 16)
					tb_harness_push_raw(&h, Q, dw);
				break;
			}
			case 3:
				tb_harness_publish(&h, Q);
				break;
			case 4: {
				/* Linux recovery: an ILL entry becomes a SYNC, then ack. */
				uint32_t cr = tb_harness_cons_reg(&h, Q);
				if (((cr >> 24) & 0x7f) == 1) {
					struct cmd sy =
						tb_cmd_sync(CMD_SYNC_CS_NONE);
					uint64_t w[2];
					cmd_encode(&sy, w);
					tb_mem_write64(&h.n.mem,
						       QBASE + 16 * (cr & 15),
						       w[0]);
					tb_mem_write64(&h.n.mem,
						       QBASE + 16 * (cr & 15) +
							       8,
						       w[1]);
				}
				uint32_t g = (uint32_t)tb_harness_read(&h, S,
								       0x60, 4);
				tb_harness_write(&h, S, 0x64, 4, g);
				break;
			}
			case 5:
				if ((r >> 8) % 16 == 0)
					tb_mem_add_fault(
						&h.n.mem,
						QBASE + 16 * ((r >> 12) % 16),
						16);
				else if ((r >> 8) % 16 == 1)
					tb_mem_clear_faults(&h.n.mem);
				else
					cmdqv_atc_set_silent(
						h.n.model,
						(uint32_t)(r >> 20) & 3,
						(r >> 24) % 4 == 0);
				break;
			case 6:
				if ((r >> 8) % 8 == 0)
					tb_harness_write(&h, S, 0x20, 4,
							 ((r >> 12) & 1) ? 9 :
									   1);
				break;
			default:
				break;
			}
			sim_time_t t0 = cmdqv_now(h.n.model);
			uint32_t g0 =
				(uint32_t)(tb_harness_read(&h, S, 0x60, 4) ^
					   tb_harness_read(&h, S, 0x64, 4));
			EXPECT_EQ(cmdqv_now(h.n.model), t0);
			tb_harness_run(&h, SIM_NS(50 + (rnd() % 4000)));
			uint32_t now_cons = tb_harness_cons(&h, Q);
			uint32_t prod =
				(uint32_t)tb_harness_read(&h, S, 0x98, 4);
			uint32_t moved = (now_cons - cons) & 0x1f;
			/* CONS moves forward, never past PROD. */
			EXPECT_LE(moved, (prod - cons) & 0x1f)
				<< "seed " << seed;
			cmdqv_stats_get(h.n.model, &st);
			EXPECT_EQ(st.commands - consumed, moved)
				<< "seed " << seed;
			uint32_t cons_reg = tb_harness_cons_reg(&h, Q);
			uint32_t active =
				(uint32_t)(tb_harness_read(&h, S, 0x60, 4) ^
					   tb_harness_read(&h, S, 0x64, 4));
			if ((cons_reg >> 24) & 0x7f) {
				EXPECT_TRUE(active & 1) << "seed " << seed;
			}
			if (g0 & active & 1) {
				EXPECT_EQ(moved, 0u)
					<< "seed " << seed; /* halted */
			}
			cons = now_cons;
			consumed = st.commands;
		}
		all_commands += st.commands;
		all_errors += st.errors;
		all_timeouts += st.ats_timeouts;
		tb_harness_deinit(&h);
	}
	/* The traffic really exercised consumption and the error paths. */
	EXPECT_GT(all_commands, 1000u);
	EXPECT_GT(all_errors, 20u);
	EXPECT_GT(all_timeouts, 0u);
	std::printf(
		"random traffic: %llu commands, %llu errors, %llu ATS timeouts\n",
		(unsigned long long)all_commands,
		(unsigned long long)all_errors,
		(unsigned long long)all_timeouts);
}

} // namespace
