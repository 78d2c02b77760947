/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_reset.cpp - cmdqv_model_reset(): a model that ran one workload and
 * was reset behaves, byte for byte, like a freshly created one, and the
 * reset allocates nothing.
 */
#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cmdqv_sim/model.h"
#include "cmdqv_sim/regmap.h"
#include "cmdqv_sim/status.h"
#include "model_inst.h"
#include "tb_harness.h"

namespace
{

const uint64_t QBASE = 0x100000, VQBASE = 0x200000;

/* Every field of every record, as text: equal strings = equal traces. */
void trace_append(void *ctx, const struct cmdqv_trace_rec *r)
{
	auto *out = static_cast<std::string *>(ctx);
	char line[512];

	snprintf(line, sizeof(line),
		 "%d %" PRIu64 " %d %u %u %" PRIx64 " %" PRIx64
		 " %u %u %" PRIx64 " %" PRIx64 " %u %u %" PRIu64 " %" PRIu64
		 " %" PRIu64 " %" PRIu64 "\n",
		 (int)r->kind, r->time, r->queue, r->space, r->size, r->offset,
		 r->value, r->pos, r->count, r->dw[0], r->dw[1], r->code,
		 r->sid, r->t_published, r->t_fetched, r->t_exec_start,
		 r->t_exec_end);
	*out += line;
}

void init(struct tb_harness *h, std::string *trace)
{
	struct cmdqv_config cfg;

	cmdqv_config_defaults(&cfg);
	ASSERT_EQ(tb_harness_init(h, &cfg), CMDQV_OK);
	tb_native_set_trace(&h->n, trace_append, trace);
}

/*
 * Workload A leaves as much state behind as it can: cache and ATC
 * entries, a silent endpoint, a halted queue with GERROR active and its
 * interrupt raised, the CMD-QV enabled with a guest VINTF, and work still
 * in flight (fetches, ATS requests, a CMD_SYNC waiting) when it stops.
 */
void workload_a(struct tb_harness *h)
{
	struct cmdqv_model *m = tb_harness_model(h);
	uint64_t ill[2] = { 0x7f, 0 }; /* no such opcode: CERROR_ILL */

	cmdqv_tlb_add(m, CMDQV_TLB_NH, 1, 1, 0x1000, 64);
	cmdqv_cfg_add(m, 5, CMDQV_SSID_NONE);
	cmdqv_atc_add(m, 2, 0x4000, 8);
	cmdqv_atc_add(m, 9, 0x4000, 8); /* never invalidated */
	cmdqv_atc_set_silent(m, 3, true);
	cmdqv_atc_set_latency(m, 2, SIM_US(7));
	ASSERT_TRUE(tb_harness_smmu_up(h, QBASE, 6, true));
	ASSERT_TRUE(tb_harness_vintf_up(h, 1, false, 9, 0, 2, VQBASE, 6));
	ASSERT_TRUE(
		tb_harness_vintf_up(h, 0, true, 0, 2, 2, VQBASE + 0x10000, 6));
	tb_harness_write(h, CMDQV_SPACE_SMMU, SMMU_IRQ_CTRL, 4, 1);
	/* SMMU CMDQ: halts at once, GERROR.CMDQ_ERR and its interrupt */
	tb_harness_push_raw(h, -1, ill);
	tb_harness_publish(h, -1);
	/* guest LVCMDQ: illegal for a guest (ILL_ACCESS, CMD-QV error) */
	tb_harness_push_raw(h, 0, ill);
	tb_harness_publish(h, 0);
	/* host VCMDQ 2: invalidations still in flight when A stops */
	for (int i = 0; i < 20; i++) {
		struct cmd t = tb_cmd_tlbi_nh_va(1, 1, 0x1000u * i);
		struct cmd a = tb_cmd_atc_inv(i % 2 ? 2 : 3, 0, 52);

		tb_harness_push(h, 2, &t);
		tb_harness_push(h, 2, &a);
	}
	struct cmd s = tb_cmd_sync(0);
	tb_harness_push(h, 2, &s);
	tb_harness_publish(h, 2);
	tb_harness_run(h, SIM_US(3)); /* stop in the middle of it */
}

/* Workload B: the mixed run of the determinism test, on every queue, also
 * reaching the endpoints A configured. */
void workload_b(struct tb_harness *h)
{
	ASSERT_TRUE(tb_harness_smmu_up(h, QBASE, 8, true));
	ASSERT_TRUE(tb_harness_vintf_up(h, 0, true, 0, 0, 3, VQBASE, 8));
	cmdqv_atc_set_latency(tb_harness_model(h), 1, SIM_US(3));
	for (int q = -1; q < 3; q++) {
		for (int i = 0; i < 30; i++) {
			struct cmd t = tb_cmd_tlbi_nh_va(1, 1, 0x1000u * i);
			/* SIDs 2 and 3 were set up differently by A */
			struct cmd a = tb_cmd_atc_inv(i == 14 ? 3 :
						      i == 21 ? 2 :
								1,
						      0, 52);
			struct cmd s = tb_cmd_sync(0);

			tb_harness_push(h, q, &t);
			if (i % 7 == 0)
				tb_harness_push(h, q, &a);
			if (i % 5 == 4)
				tb_harness_push(h, q, &s);
		}
		tb_harness_publish(h, q);
	}
	tb_native_run_idle(&h->n, SIM_MS(10));
}

/* The host side of a power cycle: fresh memory and driver bookkeeping. */
void host_reset(struct tb_harness *h)
{
	tb_mem_deinit(&h->n.mem);
	ASSERT_EQ(tb_mem_init(&h->n.mem), 0);
	memset(h->n.irq_level, 0, sizeof(h->n.irq_level));
	memset(h->n.irq_edges, 0, sizeof(h->n.irq_edges));
	h->n.sev_count = 0;
	memset(&h->smmu, 0, sizeof(h->smmu));
	memset(h->vq, 0, sizeof(h->vq));
}

TEST(ModelReset, SecondRunTraceIsByteIdenticalToAFreshModel)
{
	struct tb_harness fresh, reused;
	std::string t_fresh, t_first, t_reused;

	init(&fresh, &t_fresh);
	workload_b(&fresh);
	tb_harness_deinit(&fresh);

	init(&reused, &t_first);
	workload_a(&reused);
	struct cmdqv_model *m = tb_harness_model(&reused);
	ASSERT_NE(cmdqv_next_deadline(m), SIM_TIME_NEVER); /* work in flight */
	ASSERT_TRUE(cmdqv_irq_level(m, CMDQV_IRQ_GERROR));
	cmdqv_model_reset(m);
	host_reset(&reused);
	tb_native_set_trace(&reused.n, trace_append, &t_reused);

	EXPECT_EQ(cmdqv_now(m), 0u);
	EXPECT_EQ(cmdqv_next_deadline(m), SIM_TIME_NEVER);
	EXPECT_FALSE(cmdqv_irq_level(m, CMDQV_IRQ_GERROR));
	EXPECT_EQ(cmdqv_tlb_count(m, -1), 0u);
	EXPECT_FALSE(cmdqv_cfg_present(m, 5, CMDQV_SSID_NONE));
	EXPECT_EQ(cmdqv_atc_count(m, UINT32_MAX), 0u);
	struct cmdqv_stats st;
	cmdqv_stats_get(m, &st);
	EXPECT_EQ(st.commands, 0u);

	workload_b(&reused);
	tb_harness_deinit(&reused);

	ASSERT_GT(t_fresh.size(), 1000u);
	ASSERT_FALSE(t_first.empty());
	EXPECT_TRUE(t_reused == t_fresh)
		<< "the run after a reset differs from a fresh model's ("
		<< t_reused.size() << " vs " << t_fresh.size() << " bytes)";
}

/*
 * No allocation: the instance keeps every block and buffer (same pointers,
 * same event-heap capacity) and, with glibc, the heap in use does not
 * change across the reset.
 */
TEST(ModelReset, AllocatesNothingAndKeepsEveryBuffer)
{
	struct tb_harness h;
	std::string trace;

	init(&h, &trace);
	workload_a(&h);
	struct cmdqv_model *m = tb_harness_model(&h);
	const struct cmdqv_model before = *m;

#ifdef __GLIBC__
	struct mallinfo2 a = mallinfo2();
#endif
	cmdqv_model_reset(m);
#ifdef __GLIBC__
	struct mallinfo2 b = mallinfo2();
	EXPECT_EQ(a.uordblks, b.uordblks);
	EXPECT_EQ(a.hblkhd, b.hblkhd);
#endif
	EXPECT_EQ(m->eng, before.eng);
	EXPECT_EQ(m->smmu, before.smmu);
	EXPECT_EQ(m->tlb, before.tlb);
	EXPECT_EQ(m->cfgc, before.cfgc);
	EXPECT_EQ(m->ats, before.ats);
	EXPECT_EQ(m->cv, before.cv);
	EXPECT_EQ(m->k.heap, before.k.heap);
	EXPECT_EQ(m->k.capacity, before.k.capacity);
	EXPECT_EQ(m->k.count, 0u);
	EXPECT_EQ(memcmp(&m->cfg, &before.cfg, sizeof(m->cfg)), 0);
	tb_harness_deinit(&h);
}

/* The host's side of a snapshot: memory and driver bookkeeping. */
struct host_copy {
	struct tb_mem mem;
	struct tb_native n;
	struct tb_hq smmu, vq[TB_HQ_MAX];
};

void host_save(const struct tb_harness *h, struct host_copy *c)
{
	ASSERT_EQ(tb_mem_copy(&c->mem, &h->n.mem), 0);
	c->n = h->n;
	c->smmu = h->smmu;
	memcpy(c->vq, h->vq, sizeof(c->vq));
}

void host_restore(struct tb_harness *h, const struct host_copy *c)
{
	struct tb_mem keep = h->n.mem;

	ASSERT_EQ(tb_mem_copy(&keep, &c->mem), 0);
	h->n = c->n;
	h->n.mem = keep;
	h->smmu = c->smmu;
	memcpy(h->vq, c->vq, sizeof(h->vq));
}

void host_event(struct sim_kernel *k, struct sim_event *ev)
{
	(void)k;
	(void)ev;
}

/*
 * cmdqv_model_state_save/restore: a model saved with work in flight (A's
 * fetches, ATS requests, a waiting CMD_SYNC, a halted queue, cache entries)
 * and restored after running on gives, for the same run, the same trace
 * byte for byte; a save after the restore gives the same bytes; the restore
 * allocates nothing; a pending host event refuses the save.
 */
TEST(ModelState, RestoreRunsLikeTheSavedModel)
{
	struct tb_harness h;
	struct host_copy hc;
	std::string t_a, t_first, t_again;

	init(&h, &t_a);
	workload_a(&h);
	struct cmdqv_model *m = tb_harness_model(&h);
	ASSERT_NE(cmdqv_next_deadline(m), SIM_TIME_NEVER); /* work in flight */
	const size_t n = cmdqv_model_state_size(m);
	ASSERT_GT(n, sizeof(struct cmdqv_model));
	std::vector<uint8_t> snap(n), again(n);
	EXPECT_EQ(cmdqv_model_state_save(m, snap.data(), n - 1), CMDQV_EINVAL);
	ASSERT_EQ(cmdqv_model_state_save(m, snap.data(), n), CMDQV_OK);
	ASSERT_EQ(tb_mem_init(&hc.mem), 0);
	host_save(&h, &hc);
	const sim_time_t t_saved = cmdqv_now(m);

	tb_native_set_trace(&h.n, trace_append, &t_first);
	workload_b(&h);
	EXPECT_GT(cmdqv_now(m), t_saved);

#ifdef __GLIBC__
	struct mallinfo2 a = mallinfo2();
#endif
	ASSERT_EQ(cmdqv_model_state_restore(m, snap.data(), n), CMDQV_OK);
#ifdef __GLIBC__
	struct mallinfo2 b = mallinfo2();
	EXPECT_EQ(a.uordblks, b.uordblks);
	EXPECT_EQ(a.hblkhd, b.hblkhd);
#endif
	EXPECT_EQ(cmdqv_now(m), t_saved);
	ASSERT_EQ(cmdqv_model_state_save(m, again.data(), n), CMDQV_OK);
	EXPECT_TRUE(snap == again) << "a save after the restore differs";
	host_restore(&h, &hc);
	tb_native_set_trace(&h.n, trace_append, &t_again);
	workload_b(&h);

	ASSERT_GT(t_first.size(), 1000u);
	EXPECT_TRUE(t_again == t_first)
		<< "the run after a restore differs from the run after the "
		   "save ("
		<< t_again.size() << " vs " << t_first.size() << " bytes)";

	/* a host event is not part of the copy: pending, it refuses the
	 * save; registered, it changes the size (an older copy is refused) */
	struct sim_event ev;
	struct sim_kernel *k = cmdqv_model_kernel(m);
	ASSERT_EQ(sim_event_register(k, &ev, host_event, nullptr), 0);
	const size_t n2 = cmdqv_model_state_size(m);
	EXPECT_NE(n2, n);
	EXPECT_EQ(cmdqv_model_state_restore(m, snap.data(), n), CMDQV_EINVAL);
	std::vector<uint8_t> snap2(n2);
	sim_schedule_at(k, &ev, cmdqv_now(m) + SIM_US(1));
	EXPECT_EQ(cmdqv_model_state_save(m, snap2.data(), n2), CMDQV_ESTATE);
	sim_cancel(k, &ev);
	EXPECT_EQ(cmdqv_model_state_save(m, snap2.data(), n2), CMDQV_OK);
	tb_mem_deinit(&hc.mem);
	tb_harness_deinit(&h);
}

} // namespace
