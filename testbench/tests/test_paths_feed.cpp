/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_paths_feed.cpp - the path model's trace-batch source (paths.h,
 * wl_feed): a batch is split as Linux's arm_smmu_cmdq_batch_add splits a
 * command list, each piece goes to the queue the path gives it (the guest
 * VCMDQ, the emulated CMDQ behind the VMM, or the SMMU CMDQ), every command
 * is reported done once and in order, and the counts say what the paths
 * added.
 */
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <vector>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/status.h"
#include "paths.h"

namespace
{

struct Wrote {
	wl_cmd_site site;
	uint8_t op;
};

/** One batch held by the test, and what the path model did with it. */
struct Batch {
	std::vector<std::array<uint64_t, 2>> cmds;
	std::vector<uint32_t> done; /* per command: times reported done */
	std::vector<sim_time_t> at;
	std::vector<Wrote> wrote;
	std::vector<int32_t> consumed_on; /* queue of every CMD record */

	void add(const cmd &c)
	{
		std::array<uint64_t, 2> w;
		cmd_encode(&c, w.data());
		cmds.push_back(w);
	}
	static void get(void *ctx, uint32_t i, uint64_t dw[2])
	{
		auto *b = static_cast<Batch *>(ctx);
		dw[0] = b->cmds[i][0];
		dw[1] = b->cmds[i][1];
	}
	static void on_done(void *ctx, uint32_t i0, uint32_t i1, sim_time_t t)
	{
		auto *b = static_cast<Batch *>(ctx);
		for (uint32_t i = i0; i < i1; i++) {
			b->done[i]++;
			b->at[i] = t;
		}
	}
	static void on_cmd(void *ctx, wl_cmd_site site, int,
			   const uint64_t dw[2], sim_time_t)
	{
		static_cast<Batch *>(ctx)->wrote.push_back(
			{ site, cmd_opcode(dw[0]) });
	}
	static void on_trace(void *ctx, const cmdqv_trace_rec *r)
	{
		if (r->kind == CMDQV_TR_CMD)
			static_cast<Batch *>(ctx)->consumed_on.push_back(
				r->queue);
	}
};

cmd mk(uint8_t op)
{
	cmd c;
	std::memset(&c, 0, sizeof(c));
	c.opcode = op;
	if (op == CMDQ_OP_TLBI_NH_VA)
		c.addr = 0x1000;
	if (op == CMDQ_OP_CFGI_STE)
		c.sid = 8;
	return c;
}

/* TLBI, SYNC, CFGI_STE, SYNC, TLBI (no SYNC) on @path; returns the counts. */
wl_feed_counts run(wl_path path, bool rest_smmu, Batch *b, wl_sample *smp)
{
	cmdqv_config hw;
	cmdqv_config_defaults(&hw);
	path_params sw;
	wl_params_defaults(&sw);
	for (uint8_t op : { CMDQ_OP_TLBI_NH_VA, CMDQ_OP_SYNC, CMDQ_OP_CFGI_STE,
			    CMDQ_OP_SYNC, CMDQ_OP_TLBI_NH_VA })
		b->add(mk(op));
	b->done.assign(b->cmds.size(), 0);
	b->at.assign(b->cmds.size(), 0);
	wl_observer obs;
	std::memset(&obs, 0, sizeof(obs));
	obs.ctx = b;
	obs.command = Batch::on_cmd;
	obs.trace = Batch::on_trace;
	wl_feed *f = nullptr;
	char e[256] = "";
	wl_feed_counts n;
	std::memset(&n, 0, sizeof(n));
	EXPECT_EQ(wl_feed_open(&f, &hw, &sw, path, rest_smmu, &obs, e,
			       sizeof(e)),
		  CMDQV_OK)
		<< e;
	if (!f)
		return n;
	wl_feed_ops ops = { b, Batch::get, Batch::on_done };
	EXPECT_EQ(wl_feed_batch(f, (uint32_t)b->cmds.size(), &ops, smp),
		  CMDQV_OK);
	wl_feed_drain(f);
	wl_feed_totals(f, &n);
	wl_feed_close(f);
	return n;
}

} // namespace

TEST(PathsFeed, EveryCommandIsDoneOnceAndInOrder)
{
	for (wl_path p : { WL_PATH_DIRECT, WL_PATH_TRAP, WL_PATH_EVENTFD }) {
		SCOPED_TRACE(wl_path_name(p));
		Batch b;
		wl_sample smp;
		run(p, false, &b, &smp);
		for (size_t i = 0; i < b.cmds.size(); i++) {
			EXPECT_EQ(b.done[i], 1u) << i;
			if (i) {
				EXPECT_GE(b.at[i], b.at[i - 1]) << i;
			}
		}
		EXPECT_GT(smp.latency, 0u);
		EXPECT_EQ(b.at.back(), smp.start + smp.latency);
		sim_time_t sum = 0;
		for (sim_time_t s : smp.stage)
			sum += s;
		EXPECT_EQ(sum, smp.latency);
	}
}

TEST(PathsFeed, DirectSendsWhatTheVcmdqTakesThereAndTheRestToTheVmm)
{
	Batch b;
	wl_sample smp;
	wl_feed_counts n = run(WL_PATH_DIRECT, false, &b, &smp);
	/* the guest wrote TLBI + its SYNC, CFGI + SYNC (emulated CMDQ), TLBI;
	 * the trace's SYNCs are replaced by the submission's own */
	std::vector<uint8_t> guest;
	for (const auto &w : b.wrote)
		if (w.site == WL_SITE_GUEST)
			guest.push_back(w.op);
	EXPECT_EQ(guest,
		  (std::vector<uint8_t>{ CMDQ_OP_TLBI_NH_VA, CMDQ_OP_SYNC,
					 CMDQ_OP_CFGI_STE, CMDQ_OP_SYNC,
					 CMDQ_OP_TLBI_NH_VA }));
	EXPECT_GT(n.exits, 0u); /* the CFGI went through the trapped queue */
	EXPECT_EQ(n.ioctls, 0u); /* QEMU turns no CFGI_STE into an ioctl */
	/* the TLBIs were consumed on a VCMDQ, nothing on the SMMU CMDQ */
	size_t on_vcmdq = 0;
	for (int32_t q : b.consumed_on) {
		EXPECT_NE(q, CMDQV_QUEUE_SMMU);
		on_vcmdq++;
	}
	EXPECT_EQ(on_vcmdq, 3u); /* TLBI, SYNC, TLBI */
}

TEST(PathsFeed, DirectRestSmmuHasNoExitsAndUsesTheSmmuCmdq)
{
	Batch b;
	wl_sample smp;
	wl_feed_counts n = run(WL_PATH_DIRECT, true, &b, &smp);
	EXPECT_EQ(n.exits, 0u);
	size_t on_smmu = 0;
	for (int32_t q : b.consumed_on)
		on_smmu += q == CMDQV_QUEUE_SMMU;
	EXPECT_EQ(on_smmu, 2u); /* CFGI_STE + its SYNC */
}

TEST(PathsFeed, TrapTurnsEachTlbiIntoOneIoctlWithItsOwnSync)
{
	Batch b;
	wl_sample smp;
	wl_feed_counts n = run(WL_PATH_TRAP, false, &b, &smp);
	EXPECT_EQ(n.ioctls, 2u); /* the two TLBIs; CFGI_STE stays in QEMU */
	/* the guest's two SYNCs are its own; the host added one per ioctl */
	EXPECT_EQ(n.injected, 2u);
	EXPECT_GT(n.exits, 0u);
}
