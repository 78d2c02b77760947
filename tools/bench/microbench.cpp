/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * microbench.cpp - Google Benchmark micro-benchmarks of the core's hot path
 * (docs/performance.md): the pieces `cmdqv-sim bench` measures end to end,
 * one at a time, with Google Benchmark's repetitions and statistics.
 *
 *   BM_CmdDecode        the pure descriptor decoder (cmd_decode), per command
 *   BM_CmdqBatch/0      one strict-mode unmap batch (31 TLBI_NH_VA + a
 *                       CMD_SYNC) through the SMMU CMDQ: write, PROD, run
 *                       until CONS has passed it (event-driven drain; the
 *                       model untraced)
 *   BM_CmdqBatch/16     the same batch on each of 16 VCMDQs of VINTF0, all
 *                       contending for the one command processor
 *
 * items_per_second is commands per host second.  Run:
 *   build/bin/cmdqv-microbench [--benchmark_repetitions=5 ...]
 */
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <memory>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/status.h"
#include "tb_harness.h"

namespace
{

constexpr uint64_t kQueueBase = 0x10000000;
constexpr unsigned kLog2Size = 12; /* 4096 entries per queue */
constexpr unsigned kPerSync = 31; /* TLBIs per CMD_SYNC, as cmdqv-sim bench */
constexpr unsigned kPatterns = 256; /* distinct TLBI_NH_VA commands */
constexpr sim_time_t kDrainLimit = SIM_MS(1); /* a batch takes ~0.4 us */

struct Patterns {
	uint64_t tlbi[kPatterns][2];
	uint64_t sync[2];
	Patterns()
	{
		tb_bench_cmds(kPatterns, tlbi, sync);
	}
};

void BM_CmdDecode(benchmark::State &state)
{
	static const Patterns p;
	struct cmd out;
	unsigned i = 0;

	for (auto _ : state) {
		cmd_decode(p.tlbi[i++ % kPatterns], &out);
		benchmark::DoNotOptimize(out);
	}
	state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CmdDecode);

/* state.range(0): 0 = the SMMU CMDQ, else that many VCMDQs of VINTF0. */
void BM_CmdqBatch(benchmark::State &state)
{
	static const Patterns p;
	const unsigned nvq = (unsigned)state.range(0);
	const unsigned nq = nvq ? nvq : 1;
	struct cmdqv_config cfg;
	auto h = std::make_unique<struct tb_harness>();
	uint64_t issued = 0;

	cmdqv_config_defaults(&cfg);
	if (nvq)
		cfg.vintfs = cfg.vcmdqs / 16; /* 16 LVCMDQs per VINTF */
	if (tb_harness_init_untraced(h.get(), &cfg) != CMDQV_OK) {
		state.SkipWithError("platform create failed");
		return;
	}
	if (!tb_harness_smmu_up(h.get(), kQueueBase, kLog2Size, true) ||
	    (nvq &&
	     !tb_harness_vintf_up(h.get(), 0, true, 0, 0, nvq,
				  kQueueBase + ((uint64_t)16 << kLog2Size),
				  kLog2Size))) {
		tb_harness_deinit(h.get());
		state.SkipWithError("queue bring-up failed");
		return;
	}
	for (auto _ : state) {
		for (unsigned i = 0; i < nq; i++) {
			int q = nvq ? (int)i : TB_HQ_SMMU;

			for (unsigned c = 0; c < kPerSync; c++)
				tb_harness_push_raw(
					h.get(), q,
					p.tlbi[(issued + c) % kPatterns]);
			tb_harness_push_raw(h.get(), q, p.sync);
			tb_harness_publish(h.get(), q);
			issued += kPerSync + 1;
		}
		for (unsigned i = 0; i < nq; i++) {
			int q = nvq ? (int)i : TB_HQ_SMMU;

			if (!tb_harness_drain(h.get(), q, kDrainLimit)) {
				state.SkipWithError("queue did not drain");
				break;
			}
		}
	}
	state.SetItemsProcessed((int64_t)issued);
	tb_harness_deinit(h.get());
}
BENCHMARK(BM_CmdqBatch)->Arg(0)->Arg(16);

} // namespace

BENCHMARK_MAIN();
