/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_paths_cmdq.cpp - Linux's multi-CPU command submission as the paths
 * model it (testbench/paths/wl_cmdq.c, arm-smmu-v3.c:
 * arm_smmu_cmdq_issue_cmdlist()): one PROD write publishes several CPUs'
 * commands, each CPU waits only for its own CMD_SYNC, owners hand PROD over in
 * queue order with one write per gathered range, full queues make CPUs refresh
 * CONS and wait, and the same algorithm runs on a guest's emulated CMDQ.
 * Everything is checked from the model's trace (PROD writes, CONS reads,
 * consumed commands) and the run's counters; no timing of the host machine.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <vector>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/ring.h"
#include "cmdqv_sim/status.h"
#include "paths.h"
#include "paths_fixture.h"

namespace
{

constexpr uint64_t kCmdqProd =
	0x098; /* SMMU_CMDQ_PROD (IHI 0070 6.3; arm-smmu-v3.h) */
constexpr uint64_t kCmdqCons = 0x09C;
constexpr uint64_t kIova0 =
	0x10000000ull; /* thread t maps kIova0 + t * 16 MiB */

/* A command as software wrote it (observer), with the thread it belongs to. */
struct Written {
	int thread;
	sim_time_t t;
};

/*
 * Model trace records of the SMMU CMDQ and the commands host CPUs wrote.
 * PROD writes and CONS reads before the workload (bring-up) are dropped by
 * workload() once the start time is known.
 */
struct Trace {
	std::vector<cmdqv_trace_rec> cmds; /* consumed commands */
	std::vector<cmdqv_trace_rec> prods; /* PROD register writes */
	std::vector<sim_time_t> cons_reads; /* CONS register reads */
	std::vector<Written> written;

	static void trace(void *ctx, const cmdqv_trace_rec *rec)
	{
		auto *t = static_cast<Trace *>(ctx);
		if (rec->kind == CMDQV_TR_CMD && rec->queue == CMDQV_QUEUE_SMMU)
			t->cmds.push_back(*rec);
		if (rec->kind == CMDQV_TR_MMIO_WRITE &&
		    rec->space == CMDQV_SPACE_SMMU && rec->offset == kCmdqProd)
			t->prods.push_back(*rec);
		if (rec->kind == CMDQV_TR_MMIO_READ &&
		    rec->space == CMDQV_SPACE_SMMU && rec->offset == kCmdqCons)
			t->cons_reads.push_back(rec->time);
	}
	static void command(void *ctx, wl_cmd_site, int, const uint64_t dw[2],
			    sim_time_t t);
	void workload(sim_time_t t0)
	{
		std::vector<cmdqv_trace_rec> p;
		for (const cmdqv_trace_rec &r : prods)
			if (r.time >= t0)
				p.push_back(r);
		prods = p;
		std::vector<sim_time_t> c;
		for (sim_time_t t : cons_reads)
			if (t >= t0)
				c.push_back(t);
		cons_reads = c;
	}
};

/* Benchmark thread that built a TLBI_NH_VA / ATC_INV (from its IOVA), -1 for a SYNC. */
int thread_of(const cmdqv_trace_rec &r)
{
	struct cmd c;
	cmd_decode(r.dw, &c);
	if (c.opcode != CMDQ_OP_TLBI_NH_VA && c.opcode != CMDQ_OP_ATC_INV)
		return -1;
	return (int)((c.addr - kIova0) >> 24);
}

uint8_t opcode_of(const cmdqv_trace_rec &r)
{
	return cmd_opcode(r.dw[0]);
}

void Trace::command(void *ctx, wl_cmd_site, int, const uint64_t dw[2],
		    sim_time_t t)
{
	cmdqv_trace_rec r = {};
	r.dw[0] = dw[0];
	r.dw[1] = dw[1];
	if (thread_of(r) >= 0)
		static_cast<Trace *>(ctx)->written.push_back(
			{ thread_of(r), t });
}

class PathsCmdq : public PathsTest {
    protected:
	void SetUp() override
	{
		PathsTest::SetUp();
		pt.path = WL_PATH_HOST; /* host CPUs on the SMMU CMDQ */
		pt.threads = 8;
		pt.iterations = 40;
	}

	wl_result run(Trace *t = nullptr)
	{
		wl_observer o = {};
		o.ctx = t;
		o.trace = t ? Trace::trace : nullptr;
		o.command = t ? Trace::command : nullptr;
		wl_result res = run_observed(&o);
		if (t)
			t->workload(res.t_start);
		return res;
	}
	/* Sixteen CPUs contending for the queue, every command traced. */
	wl_result run_16_cpus(Trace *t)
	{
		pt.threads = 16;
		return run(t);
	}
	/* The SMMU CMDQ's ring geometry, to step positions with ring_add(). */
	ring queue_ring() const
	{
		ring rg;
		rg.log2size = (uint8_t)sw.queue_log2size;
		return rg;
	}
};

/* Every issue is either an owner's (it writes PROD) or gathered by one. */
void expect_owner_or_gathered(const wl_result &res)
{
	EXPECT_EQ(res.prod_writes + res.gathered, res.issues);
	EXPECT_GT(res.issues, 0u);
}

TEST_F(PathsCmdq, OnePRODWritePublishesSeveralCpusCommands)
{
	Trace t;
	Result res = run(&t);
	ASSERT_EQ(res.count, 8u * 40u);
	/* 2 issues per unmap (TLBI + SYNC, ATC_INV + SYNC), fewer PROD writes */
	EXPECT_EQ(res.issues, 2u * res.count);
	EXPECT_GT(res.gathered, 0u);
	EXPECT_LT(res.prod_writes, res.issues);
	expect_owner_or_gathered(res);
	EXPECT_EQ(t.prods.size(),
		  res.prod_writes); /* one MMIO write per owner */

	/* commands published by one PROD write, by thread */
	std::map<sim_time_t, std::set<int>> by_write;
	for (const cmdqv_trace_rec &r : t.cmds)
		if (thread_of(r) >= 0)
			by_write[r.t_published].insert(thread_of(r));
	unsigned shared = 0;
	for (const auto &kv : by_write)
		shared += kv.second.size() >= 2;
	EXPECT_GT(shared, 0u) << "no PROD write published two CPUs' commands";

	/* with one CPU there is nothing to gather */
	pt.threads = 1;
	Result one = run();
	EXPECT_EQ(one.gathered, 0u);
	EXPECT_EQ(one.owner_waits, 0u);
	EXPECT_EQ(one.prod_writes, one.issues);
}

/*
 * A CPU goes on (writes its next command) once its own SYNC completed,
 * never before, and not later than needed: some CPU moves on while a later
 * SYNC published by the same PROD write - another CPU's - is still pending.
 */
TEST_F(PathsCmdq, EachCpuWaitsOnlyForItsOwnSync)
{
	Trace t;
	Result res = run_16_cpus(&t);
	const ring rg = queue_ring();

	/* per thread, the times it wrote commands, ascending */
	std::map<int, std::vector<sim_time_t>> wrote;
	for (const Written &w : t.written)
		wrote[w.thread].push_back(w.t);
	unsigned early = 0, checked = 0;
	for (size_t i = 1; i < t.cmds.size(); i++) {
		const cmdqv_trace_rec &x = t.cmds[i], &prev = t.cmds[i - 1];
		if (opcode_of(x) != CMDQ_OP_SYNC || thread_of(prev) < 0 ||
		    ring_add(rg, prev.pos, 1) != x.pos)
			continue;
		int a = thread_of(prev); /* x is the SYNC ending a's list */
		const std::vector<sim_time_t> &ws = wrote[a];
		auto next = std::upper_bound(ws.begin(), ws.end(),
					     prev.t_published);
		if (next == ws.end())
			continue; /* a's last command */
		/* a wrote nothing between publishing its list and its SYNC completing */
		EXPECT_GE(*next, x.time)
			<< "thread " << a << " moved on before its SYNC";
		checked++;
		for (size_t k = i + 1; k < t.cmds.size(); k++) {
			const cmdqv_trace_rec &y = t.cmds[k];
			if (y.t_published != x.t_published)
				break;
			if (opcode_of(y) == CMDQ_OP_SYNC && y.time > *next)
				early++;
		}
	}
	EXPECT_GT(checked, res.count);
	EXPECT_GT(early, 0u)
		<< "no CPU went on before a SYNC gathered after its own";
}

TEST_F(PathsCmdq, OwnersWritePRODInQueueOrderOncePerGatheredRange)
{
	Trace t;
	Result res = run_16_cpus(&t);
	const ring rg = queue_ring();
	EXPECT_GT(res.owner_waits,
		  0u); /* owners did queue behind earlier owners */

	/* PROD writes: in time order, each moves PROD forward, never back */
	ASSERT_GT(t.prods.size(), 1u);
	uint32_t prev = 0;
	uint64_t total = 0;
	for (size_t i = 0; i < t.prods.size(); i++) {
		uint32_t p = (uint32_t)t.prods[i].value & ring_pos_mask(rg);
		uint32_t adv = ring_used(rg, p, prev);
		EXPECT_GT(adv, 0u) << "PROD write " << i << " did not advance";
		if (i) {
			EXPECT_GE(t.prods[i].time, t.prods[i - 1].time);
		}
		total += adv;
		prev = p;
	}
	/* every command written is published exactly once */
	EXPECT_EQ(total, res.host_cmds);

	/* each command was published by the first PROD write that covered it */
	std::map<sim_time_t, size_t> write_at;
	for (size_t i = 0; i < t.prods.size(); i++)
		write_at[t.prods[i].time] = i;
	uint64_t abs = 0;
	std::vector<uint64_t> ends; /* absolute end of each write */
	prev = 0;
	for (const cmdqv_trace_rec &w : t.prods) {
		uint32_t p = (uint32_t)w.value & ring_pos_mask(rg);
		abs += ring_used(rg, p, prev);
		prev = p;
		ends.push_back(abs);
	}
	uint64_t seq =
		0; /* absolute index of each consumed command, in order */
	for (const cmdqv_trace_rec &r : t.cmds) {
		auto it = write_at.find(r.t_published);
		ASSERT_NE(it, write_at.end());
		size_t w = it->second;
		EXPECT_LT(seq, ends[w]);
		if (w) {
			EXPECT_GE(seq, ends[w - 1]);
		}
		seq++;
	}
	expect_owner_or_gathered(res);
}

TEST_F(PathsCmdq, FullQueueMakesCpusRefreshConsAndWait)
{
	/* with MSI polling nobody reads the SMMU CMDQ's CONS ... */
	Trace roomy;
	pt.threads = 1;
	pt.granule_pages = 64;
	pt.iterations = 10;
	Result a = run(&roomy);
	EXPECT_EQ(a.full_waits, 0u);
	EXPECT_EQ(roomy.cons_reads.size(), 0u);

	/* ... unless a CPU finds the queue full (llq.cons is only stored by the
         * last SYNC waiter): poll_until_not_full reads CONS */
	Trace full;
	sw.queue_log2size = 8; /* 256 entries < 16 x 65 */
	pt.threads = 16;
	pt.iterations = 3;
	Result b = run(&full);
	EXPECT_EQ(b.count, 16u * 3u);
	EXPECT_GT(b.full_waits, 0u);
	EXPECT_GT(full.cons_reads.size(), 0u);
	EXPECT_GT(b.stage_mean[WL_STAGE_HOST_QUEUE_WAIT], 0.0);
	EXPECT_EQ(b.host_cmds,
		  16u * 3u * 67u); /* 64 TLBIs, SYNC, ATC_INV, SYNC */
	EXPECT_EQ(full.cmds.size(),
		  b.host_cmds); /* nothing lost or overwritten */
	expect_owner_or_gathered(b);
}

/* The guest driver runs the same code on its emulated CMDQ: only owners
 * write PROD (each write a VM exit), later owners wait for the trap of the
 * previous one. */
TEST_F(PathsCmdq, GuestEmulatedQueueUsesTheSameAlgorithm)
{
	on(WL_PATH_TRAP, 4);
	pt.iterations = 20;
	Result res = run();
	expect_owner_or_gathered(res);
	EXPECT_GT(res.owner_waits, 0u);
	/* exits: one per PROD write, the rest are CONS reads (>= 1 per waited SYNC) */
	EXPECT_GT(res.exits, res.prod_writes);
	/* host side: one issue per ioctl, all on the SMMU CMDQ */
	EXPECT_EQ(res.issues, 2u * res.count + res.ioctls);

	pt.path = WL_PATH_EVENTFD;
	Result ev = run();
	expect_owner_or_gathered(ev);
}

TEST_F(PathsCmdq, SameSeedSameSubmissionOrder)
{
	pt.threads = 16;
	pt.host_background = 200000;
	Trace t1, t2;
	Result a = run(&t1);
	Result b = run(&t2);
	ASSERT_EQ(t1.prods.size(), t2.prods.size());
	for (size_t i = 0; i < t1.prods.size(); i++) {
		EXPECT_EQ(t1.prods[i].time, t2.prods[i].time);
		EXPECT_EQ(t1.prods[i].value, t2.prods[i].value);
	}
	EXPECT_EQ(a.cas_retries, b.cas_retries);
	EXPECT_EQ(a.gathered, b.gathered);
	ASSERT_EQ(a.count, b.count);
	EXPECT_EQ(memcmp(a.samples, b.samples, a.count * sizeof(wl_sample)), 0);
}

} // namespace
