/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * simcpu_bench.cpp - host cost of the simulated CPUs (a benchmark, not a
 * test): a bare context switch with Boost.Context fcontext and, for the
 * choice in docs/dependencies.md, with glibc swapcontext(); a scheduler
 * switch between two CPUs; and a synthetic driver-shaped loop on 16 CPUs
 * (atomic, barrier, PROD-like register write, CONS-like register read per
 * "command"), reported as commands per host second.
 *
 *   cmdqv-simcpu-bench [--benchmark_filter=...]
 */
#include <benchmark/benchmark.h>

#include <ucontext.h>

#include "simcpu_ctx.h"
#include "simcpu_fixture.h"

namespace
{

/* ---- bare switches ---- */

struct Pair {
	struct simcpu_ctx main, other;
	bool stop;
};

void fcontext_other(void *arg)
{
	Pair *p = static_cast<Pair *>(arg);
	for (;;)
		simcpu_ctx_switch(&p->other, &p->main);
}

void BM_SwitchFcontext(benchmark::State &state)
{
	Pair p = {};
	simcpu_ctx_init(&p.other, 64 * 1024, fcontext_other, &p);
	for (auto _ : state)
		simcpu_ctx_switch(&p.main, &p.other); /* there and back */
	simcpu_ctx_deinit(&p.other);
	state.SetItemsProcessed(state.iterations() * 2);
	state.SetLabel("items = one-way switches");
}
BENCHMARK(BM_SwitchFcontext);

ucontext_t uc_main, uc_other;

void uc_other_fn()
{
	for (;;)
		swapcontext(&uc_other, &uc_main);
}

void BM_SwitchSwapcontext(benchmark::State &state)
{
	static char stack[64 * 1024];
	getcontext(&uc_other);
	uc_other.uc_stack.ss_sp = stack;
	uc_other.uc_stack.ss_size = sizeof(stack);
	uc_other.uc_link = nullptr;
	makecontext(&uc_other, uc_other_fn, 0);
	for (auto _ : state)
		swapcontext(&uc_main, &uc_other);
	state.SetItemsProcessed(state.iterations() * 2);
	state.SetLabel("items = one-way switches");
}
BENCHMARK(BM_SwitchSwapcontext);

/* ---- scheduler ---- */

struct Loop {
	uint64_t iters;
};

void delay_loop(void *arg)
{
	Loop *l = static_cast<Loop *>(arg);
	for (uint64_t i = 0; i < l->iters; i++)
		simcpu_delay(SIM_NS(1));
}

/* Two CPUs stepping 1 ns each: every step switches to the other. */
void BM_SchedulerSwitch(benchmark::State &state)
{
	struct cmdqv_config cfg;
	cmdqv_config_defaults(&cfg);
	uint64_t switches = 0;
	for (auto _ : state) {
		SimcpuHost host;
		Loop l = { 100000 };
		host.init(&cfg, 2);
		simcpu_start(host.s, 0, delay_loop, &l);
		simcpu_start(host.s, 1, delay_loop, &l);
		simcpu_run(host.s, SIM_TIME_NEVER);
		switches += simcpu_stat(host.s, "switches");
		host.deinit();
	}
	state.SetItemsProcessed((int64_t)switches);
	state.SetLabel("items = scheduler switches");
}
BENCHMARK(BM_SchedulerSwitch)->Unit(benchmark::kMillisecond);

/* ---- synthetic driver loop ---- */

void command_loop(void *arg)
{
	Loop *l = static_cast<Loop *>(arg);
	for (uint64_t i = 0; i < l->iters; i++) {
		simcpu_atomic(); /* cmpxchg on the shared producer */
		simcpu_barrier(); /* dma_wmb before publishing */
		simcpu_mmio_write(CMDQV_SPACE_SMMU, 0x64, 4, 0); /* "PROD" */
		simcpu_mmio_read(CMDQV_SPACE_SMMU, 0x9c, 4); /* "CONS" */
	}
}

void BM_Mmio16Cpus(benchmark::State &state)
{
	struct cmdqv_config cfg;
	cmdqv_config_defaults(&cfg);
	const unsigned ncpus = 16;
	const uint64_t per_cpu = 20000;
	uint64_t switches = 0;
	for (auto _ : state) {
		SimcpuHost host;
		Loop l = { per_cpu };
		host.init(&cfg, ncpus);
		for (unsigned i = 0; i < ncpus; i++)
			simcpu_start(host.s, i, command_loop, &l);
		simcpu_run(host.s, SIM_TIME_NEVER);
		switches += simcpu_stat(host.s, "switches");
		host.deinit();
	}
	state.SetItemsProcessed(
		(int64_t)(state.iterations() * ncpus * per_cpu));
	state.counters["switches_per_cmd"] =
		(double)switches /
		(double)(state.iterations() * ncpus * per_cpu);
	state.SetLabel("items = commands (4 preemption points each)");
}
BENCHMARK(BM_Mmio16Cpus)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
