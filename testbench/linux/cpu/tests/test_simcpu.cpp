/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_simcpu.cpp - the simulated CPUs (simcpu.h): the context with the
 * smallest local time runs, ties by id or by seed, same inputs give the
 * same event log, MMIO reaches the model in time order and after the model
 * events due first, the IRQ context runs while a CPU has IRQs off, WFE
 * wakes on SEV (model, CPU), on a monitored store and on the event stream,
 * delays and costs, run limits, restarts and the stack guard.  Also the
 * model's vcmdq_cons_sev parameter seen from a CPU polling a VCMDQ in WFE.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "simcpu_fixture.h"

namespace
{

constexpr uint64_t QBASE = 0x100000;
constexpr uint64_t VQBASE = 0x400000;
constexpr uint64_t SMMU_GERROR = 0x60, SMMU_GERRORN = 0x64;
constexpr uint64_t SMMU_IDR0 = 0x0;

struct Step {
	sim_time_t t;
	unsigned id;
	bool operator==(const Step &o) const
	{
		return t == o.t && id == o.id;
	}
};

class Simcpu : public ::testing::Test {
    protected:
	void SetUp() override
	{
		cmdqv_config_defaults(&cfg);
		simcpu_params_default(&params);
	}
	void TearDown() override
	{
		host.deinit();
	}
	void start(unsigned ncpus, uint64_t seed = 0)
	{
		ASSERT_TRUE(host.init(&cfg, ncpus, &params, seed));
		s = host.s;
	}
	struct cmdqv_config cfg;
	struct simcpu_params params;
	SimcpuHost host;
	struct simcpu *s = nullptr;
};

/* ---- ordering ---- */

struct Stepper {
	std::vector<Step> *log;
	uint64_t step_ps;
	unsigned steps;
};

void stepper_fn(void *arg)
{
	Stepper *st = static_cast<Stepper *>(arg);
	for (unsigned i = 0; i < st->steps; i++) {
		st->log->push_back({ simcpu_now(), simcpu_cpu_id() });
		simcpu_delay(st->step_ps);
	}
}

TEST_F(Simcpu, SmallestLocalTimeRunsFirst)
{
	start(3);
	std::vector<Step> log;
	Stepper st[3] = { { &log, SIM_NS(30), 10 },
			  { &log, SIM_NS(20), 10 },
			  { &log, SIM_NS(50), 10 } };
	for (unsigned i = 0; i < 3; i++)
		ASSERT_EQ(simcpu_start(s, i, stepper_fn, &st[i]), CMDQV_OK);
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	ASSERT_EQ(log.size(), 30u);
	for (size_t i = 1; i < log.size(); i++) {
		ASSERT_LE(log[i - 1].t, log[i].t) << "step " << i;
		if (log[i - 1].t == log[i].t) {
			EXPECT_LT(log[i - 1].id, log[i].id) << "step " << i;
		}
	}
	/* CPU 2 (50 ns steps) ends last, at 450 ns for its 10th step. */
	EXPECT_EQ(log.back().id, 2u);
	EXPECT_EQ(log.back().t, SIM_NS(450));
	EXPECT_GT(simcpu_stat(s, "switches"), 10u);
}

TEST_F(Simcpu, TiesGoToTheLowerCpuId)
{
	start(4);
	std::vector<Step> log;
	Stepper st[4];
	/* Started in reverse order: the order of start must not matter. */
	for (int i = 3; i >= 0; i--) {
		st[i] = { &log, SIM_NS(10), 5 };
		ASSERT_EQ(simcpu_start(s, (unsigned)i, stepper_fn, &st[i]),
			  CMDQV_OK);
	}
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	ASSERT_EQ(log.size(), 20u);
	for (size_t i = 0; i < log.size(); i++) {
		EXPECT_EQ(log[i].t, SIM_NS(10) * (i / 4)) << i;
		EXPECT_EQ(log[i].id, i % 4) << i;
	}
}

std::vector<Step> seeded_ties(uint64_t seed)
{
	struct cmdqv_config cfg;
	SimcpuHost host;
	std::vector<Step> log;
	Stepper st[4];

	cmdqv_config_defaults(&cfg);
	EXPECT_TRUE(host.init(&cfg, 4, nullptr, seed));
	for (unsigned i = 0; i < 4; i++) {
		st[i] = { &log, SIM_NS(10), 8 };
		simcpu_start(host.s, i, stepper_fn, &st[i]);
	}
	EXPECT_EQ(simcpu_run(host.s, SIM_TIME_NEVER), CMDQV_OK);
	host.deinit();
	return log;
}

TEST_F(Simcpu, SeededTieBreakIsReproducibleAndStillInTimeOrder)
{
	std::vector<Step> a = seeded_ties(7), b = seeded_ties(7),
			  byid = seeded_ties(0);
	ASSERT_EQ(a.size(), 32u);
	EXPECT_TRUE(a == b);
	EXPECT_FALSE(a == byid); /* some tie went another way */
	for (size_t i = 1; i < a.size(); i++)
		EXPECT_LE(a[i - 1].t, a[i].t);
	/* Every CPU still runs once per 10 ns round. */
	for (size_t r = 0; r < 8; r++) {
		std::vector<unsigned> ids;
		for (size_t i = 0; i < 4; i++)
			ids.push_back(a[r * 4 + i].id);
		std::sort(ids.begin(), ids.end());
		EXPECT_EQ(ids, (std::vector<unsigned>{ 0, 1, 2, 3 }));
	}
}

/* ---- determinism and MMIO order ---- */

/* A CPU that mixes register accesses, atomics, barriers and delays. */
struct Mixer {
	uint64_t rng;
	unsigned iters;
};

uint64_t mix_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

void mixer_fn(void *arg)
{
	Mixer *mx = static_cast<Mixer *>(arg);
	for (unsigned i = 0; i < mx->iters; i++) {
		switch (mix_next(&mx->rng) % 5) {
		case 0:
			simcpu_mmio_read(CMDQV_SPACE_SMMU, SMMU_IDR0, 4);
			break;
		case 1:
			simcpu_mmio_write(CMDQV_SPACE_SMMU, SMMU_GERRORN, 4, 0);
			break;
		case 2:
			simcpu_atomic();
			break;
		case 3:
			simcpu_barrier();
			break;
		default:
			simcpu_delay(SIM_PS(mix_next(&mx->rng) % 50000));
		}
	}
}

void log_to_string(void *ctx, sim_time_t t, unsigned id, const char *what,
		   uint64_t a, uint64_t b)
{
	std::string *out = static_cast<std::string *>(ctx);
	char line[128];
	std::snprintf(line, sizeof(line), "%llu %u %s %llx %llx\n",
		      (unsigned long long)t, id, what, (unsigned long long)a,
		      (unsigned long long)b);
	out->append(line);
}

std::string mixed_run(uint64_t seed, std::vector<cmdqv_trace_rec> *mmio)
{
	struct cmdqv_config cfg;
	SimcpuHost host;
	std::string out;
	Mixer mx[8];

	cmdqv_config_defaults(&cfg);
	EXPECT_TRUE(host.init(&cfg, 8, nullptr, seed));
	host.record_mmio = true;
	simcpu_set_log(host.s, log_to_string, &out);
	for (unsigned i = 0; i < 8; i++) {
		mx[i] = { 0x1234567ull + 977 * i, 400 };
		simcpu_start(host.s, i, mixer_fn, &mx[i]);
	}
	EXPECT_EQ(simcpu_run(host.s, SIM_TIME_NEVER), CMDQV_OK);
	if (mmio)
		*mmio = host.mmio;
	host.deinit();
	return out;
}

TEST_F(Simcpu, SameInputsGiveIdenticalEventLogs)
{
	std::string a = mixed_run(0, nullptr), b = mixed_run(0, nullptr);
	EXPECT_GT(a.size(), 10000u);
	EXPECT_EQ(a, b);
	std::string c = mixed_run(99, nullptr), d = mixed_run(99, nullptr);
	EXPECT_EQ(c, d);
}

TEST_F(Simcpu, EveryMmioReachesTheModelInTimeOrder)
{
	std::vector<cmdqv_trace_rec> mmio;
	mixed_run(0, &mmio);
	ASSERT_GT(mmio.size(), 1000u);
	for (size_t i = 1; i < mmio.size(); i++)
		ASSERT_LE(mmio[i - 1].time, mmio[i].time) << "access " << i;
}

/* A model event due when a CPU gets there runs before the CPU's access. */
struct ModelFlag {
	struct sim_event ev;
	bool set;
	sim_time_t seen_at;
	bool seen;
};

void model_flag_fire(struct sim_kernel *k, struct sim_event *ev)
{
	(void)k;
	static_cast<ModelFlag *>(ev->arg)->set = true;
}

void flag_checker_fn(void *arg)
{
	ModelFlag *f = static_cast<ModelFlag *>(arg);
	simcpu_delay(SIM_US(1));
	f->seen = f->set;
	f->seen_at = simcpu_now();
}

TEST_F(Simcpu, ModelEventsDueFirstRunBeforeTheContext)
{
	start(1);
	ModelFlag f = {};
	struct sim_kernel *k = cmdqv_model_kernel(host.model());
	ASSERT_EQ(sim_event_register(k, &f.ev, model_flag_fire, &f), 0);
	sim_schedule_at(k, &f.ev, SIM_US(1));
	ASSERT_EQ(simcpu_start(s, 0, flag_checker_fn, &f), CMDQV_OK);
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	EXPECT_EQ(f.seen_at, SIM_US(1));
	EXPECT_TRUE(f.seen);
}

/* ---- costs, delays, limits, restarts ---- */

struct CostProbe {
	sim_time_t t[8];
};

void cost_fn(void *arg)
{
	CostProbe *p = static_cast<CostProbe *>(arg);
	p->t[0] = simcpu_now();
	simcpu_mmio_read(CMDQV_SPACE_SMMU, SMMU_IDR0, 4);
	p->t[1] = simcpu_now();
	simcpu_mmio_write(CMDQV_SPACE_SMMU, SMMU_GERRORN, 4, 0);
	p->t[2] = simcpu_now();
	simcpu_atomic();
	p->t[3] = simcpu_now();
	simcpu_barrier();
	p->t[4] = simcpu_now();
	simcpu_cpu_relax();
	p->t[5] = simcpu_now();
	simcpu_delay(SIM_NS(1500));
	p->t[6] = simcpu_now();
	simcpu_charge(SIM_PS(7));
	p->t[7] = simcpu_now();
}

TEST_F(Simcpu, EachOperationChargesItsParameter)
{
	cfg.mmio_read_latency = SIM_NS(333);
	cfg.mmio_write_latency = SIM_NS(44);
	params.atomic_ps = 21000;
	params.barrier_ps = 11000;
	params.cpu_relax_ps = 3000;
	start(1);
	EXPECT_EQ(simcpu_params(s)->mmio_read_ps, SIM_NS(333));
	CostProbe p = {};
	ASSERT_EQ(simcpu_start(s, 0, cost_fn, &p), CMDQV_OK);
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	EXPECT_EQ(p.t[1] - p.t[0], SIM_NS(333));
	EXPECT_EQ(p.t[2] - p.t[1], SIM_NS(44));
	EXPECT_EQ(p.t[3] - p.t[2], 21000u);
	EXPECT_EQ(p.t[4] - p.t[3], 11000u);
	EXPECT_EQ(p.t[5] - p.t[4], 3000u);
	EXPECT_EQ(p.t[6] - p.t[5], SIM_NS(1500));
	EXPECT_EQ(p.t[7] - p.t[6], 7u);
	EXPECT_EQ(simcpu_stat(s, "mmio_reads"), 1u);
	EXPECT_EQ(simcpu_stat(s, "mmio_writes"), 1u);
	EXPECT_EQ(simcpu_stat(s, "delays"), 1u);
	EXPECT_EQ(simcpu_stat(s, "no_such_counter"), UINT64_MAX);
}

TEST_F(Simcpu, MmioOutsideTheApertureReadsAllOnes)
{
	start(1);
	struct R {
		uint64_t v;
	} r = {};
	ASSERT_EQ(simcpu_start(
			  s, 0,
			  [](void *a) {
				  static_cast<R *>(a)->v = simcpu_mmio_read(
					  CMDQV_SPACE_SMMU, 0x7ffff000, 4);
			  },
			  &r),
		  CMDQV_OK);
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	EXPECT_EQ(r.v, 0xffffffffu);
	EXPECT_EQ(simcpu_stat(s, "mmio_errors"), 1u);
}

TEST_F(Simcpu, RunStopsAtTheLimitAndContinues)
{
	start(2);
	std::vector<Step> log;
	Stepper st[2] = { { &log, SIM_US(1), 100 }, { &log, SIM_US(3), 10 } };
	simcpu_start(s, 0, stepper_fn, &st[0]);
	simcpu_start(s, 1, stepper_fn, &st[1]);
	ASSERT_EQ(simcpu_run(s, SIM_US(50)), CMDQV_ETIMEDOUT);
	ASSERT_FALSE(log.empty());
	EXPECT_LE(log.back().t, SIM_US(50));
	size_t at_limit = log.size();
	/* CPU 0 logged 0..50 us, CPU 1 ran to the end (10 steps, 27 us). */
	EXPECT_EQ(at_limit, 51u + 10u);
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	EXPECT_EQ(log.size(), 110u);
	EXPECT_EQ(log.back().t, SIM_US(99));
}

TEST_F(Simcpu, StartRefusesABusyCpuAndRestartsAnIdleOne)
{
	start(2);
	std::vector<Step> log;
	Stepper st = { &log, SIM_NS(10), 3 };
	EXPECT_EQ(simcpu_start(s, 2, stepper_fn, &st), CMDQV_EINVAL);
	ASSERT_EQ(simcpu_start(s, 0, stepper_fn, &st), CMDQV_OK);
	EXPECT_EQ(simcpu_start(s, 0, stepper_fn, &st), CMDQV_ESTATE);
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	ASSERT_EQ(simcpu_start(s, 0, stepper_fn, &st), CMDQV_OK);
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	ASSERT_EQ(log.size(), 6u);
	/* The second run starts where the CPU's time was. */
	EXPECT_EQ(log[3].t, SIM_NS(30));
	EXPECT_EQ(log[5].t, SIM_NS(50));
}

/* ---- interrupts ---- */

struct IrqProbe {
	unsigned hard_calls = 0, thread_calls = 0;
	bool hard_in_irq = false, thread_in_irq = true;
	bool hard_in_irq_ctx = false;
	unsigned handler_cpu = 0;
	unsigned ack_on_call = 1; /* acknowledge GERROR on this thread call */
	sim_time_t handled_at = 0;
	bool done = false;
	/* CPU 0's view */
	bool cpu_saw_done_with_irqs_off = false;
	sim_time_t cpu_done_at = 0;
};

int irq_hard(void *arg)
{
	IrqProbe *p = static_cast<IrqProbe *>(arg);
	p->hard_calls++;
	p->hard_in_irq = simcpu_in_irq();
	p->hard_in_irq_ctx = simcpu_in_irq_context();
	p->handler_cpu = simcpu_cpu_id();
	return SIMCPU_IRQ_WAKE_THREAD;
}

void irq_thread(void *arg)
{
	IrqProbe *p = static_cast<IrqProbe *>(arg);
	p->thread_calls++;
	p->thread_in_irq = simcpu_in_irq();
	if (p->thread_calls < p->ack_on_call)
		return; /* leave the level line high */
	uint64_t g = simcpu_mmio_read(CMDQV_SPACE_SMMU, SMMU_GERROR, 4);
	simcpu_mmio_write(CMDQV_SPACE_SMMU, SMMU_GERRORN, 4, g);
	p->handled_at = simcpu_now();
	p->done = true;
}

/* CPU 0: IRQs off, publish an illegal command, spin until the handler ran. */
struct IllegalIssue {
	SimcpuHost *host;
	IrqProbe *probe;
};

void illegal_issue_fn(void *arg)
{
	IllegalIssue *x = static_cast<IllegalIssue *>(arg);
	struct cmd c;

	unsigned long flags = simcpu_local_irq_save();
	std::memset(&c, 0, sizeof(c));
	c.opcode = 0x07; /* reserved opcode: CERROR_ILL */
	tb_harness_push(&x->host->h, TB_HQ_SMMU, &c);
	simcpu_mmio_write(CMDQV_SPACE_SMMU, tb_harness_prod_off(TB_HQ_SMMU), 4,
			  tb_harness_sw_prod(&x->host->h, TB_HQ_SMMU));
	while (!x->probe->done && simcpu_now() < SIM_MS(1))
		simcpu_cpu_relax();
	x->probe->cpu_saw_done_with_irqs_off = x->probe->done &&
					       simcpu_irqs_disabled();
	x->probe->cpu_done_at = simcpu_now();
	simcpu_local_irq_restore(flags);
}

/* One CPU, the SMMU queue up; run() lets the CPU issue the illegal command. */
class SimcpuIrq : public Simcpu {
    protected:
	void SetUp() override
	{
		Simcpu::SetUp();
		ASSERT_NO_FATAL_FAILURE(start(1));
		ASSERT_TRUE(tb_harness_smmu_up(&host.h, QBASE, 8, true));
	}
	void run(IrqProbe &probe)
	{
		IllegalIssue x = { &host, &probe };
		ASSERT_EQ(simcpu_start(s, 0, illegal_issue_fn, &x), CMDQV_OK);
		ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	}
	/* Claim the GERROR line for @probe: irq_thread, and irq_hard if @hard. */
	int claim(IrqProbe &probe, bool hard)
	{
		return simcpu_request_irq(s, CMDQV_IRQ_GERROR,
					  hard ? irq_hard : nullptr, irq_thread,
					  &probe);
	}
};

TEST_F(SimcpuIrq, IrqContextRunsWhileTheCpuHasIrqsOff)
{
	IrqProbe probe;
	ASSERT_EQ(claim(probe, true), CMDQV_OK);
	EXPECT_EQ(claim(probe, true), CMDQV_ESTATE);
	ASSERT_NO_FATAL_FAILURE(run(probe));
	EXPECT_TRUE(probe.cpu_saw_done_with_irqs_off);
	EXPECT_EQ(probe.hard_calls, 1u);
	EXPECT_EQ(probe.thread_calls, 1u);
	EXPECT_TRUE(probe.hard_in_irq);
	EXPECT_TRUE(probe.hard_in_irq_ctx);
	EXPECT_FALSE(probe.thread_in_irq);
	EXPECT_EQ(probe.handler_cpu, 1u); /* ncpus: the IRQ context */
	EXPECT_FALSE(cmdqv_irq_level(host.model(), CMDQV_IRQ_GERROR));
	EXPECT_EQ(simcpu_stat(s, "irqs"), 1u);
	EXPECT_EQ(simcpu_stat(s, "irq_threads"), 1u);
	/* The CPU saw the flag at its first relax after the handler ended. */
	EXPECT_GE(probe.cpu_done_at, probe.handled_at);
	EXPECT_LT(probe.cpu_done_at,
		  probe.handled_at + simcpu_params(s)->cpu_relax_ps + 1);
	/* Entry and thread wake-up costs lie between the error and the ack. */
	EXPECT_GE(probe.handled_at, params.irq_entry_ps + params.irq_thread_ps);
}

TEST_F(SimcpuIrq, LevelLineStillHighRunsTheHandlersAgain)
{
	IrqProbe probe;
	probe.ack_on_call = 3;
	ASSERT_EQ(claim(probe, false), CMDQV_OK);
	ASSERT_NO_FATAL_FAILURE(run(probe));
	EXPECT_TRUE(probe.done);
	EXPECT_EQ(probe.thread_calls, 3u);
	EXPECT_EQ(simcpu_stat(s, "irqs"), 3u);
}

TEST_F(SimcpuIrq, UnclaimedLineIsCountedAndIgnored)
{
	IrqProbe probe;
	ASSERT_NO_FATAL_FAILURE(run(probe));
	EXPECT_FALSE(probe.done); /* nobody acknowledged: CPU gave up at 1 ms */
	EXPECT_EQ(simcpu_stat(s, "irq_unclaimed"), 1u);
	EXPECT_EQ(simcpu_stat(s, "irqs"), 0u);
}

/* ---- WFE and SEV ---- */

/* One per cache line: WFE monitors watch 64-byte granules. */
struct alignas(64) WfeProbe {
	volatile int flag = 0;
	sim_time_t woke_at = 0;
	sim_time_t signal_at = SIM_US(3);
	unsigned wfes = 0;
};

void wfe_waiter_fn(void *arg)
{
	WfeProbe *p = static_cast<WfeProbe *>(arg);
	while (!p->flag) {
		simcpu_wfe();
		p->wfes++;
	}
	p->woke_at = simcpu_now();
}

void sev_sender_fn(void *arg)
{
	WfeProbe *p = static_cast<WfeProbe *>(arg);
	simcpu_delay(p->signal_at);
	p->flag = 1;
	simcpu_sev();
}

TEST_F(Simcpu, CpuSevWakesAnotherCpusWfe)
{
	start(2);
	WfeProbe p;
	simcpu_start(s, 0, sev_sender_fn, &p);
	simcpu_start(s, 1, wfe_waiter_fn, &p);
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	EXPECT_EQ(p.woke_at, SIM_US(3));
	EXPECT_EQ(p.wfes, 1u);
	EXPECT_EQ(simcpu_stat(s, "wfe_sev_wakes"), 1u);
	EXPECT_EQ(simcpu_stat(s, "wfe_stream_wakes"), 0u);
}

TEST_F(Simcpu, WfeWithoutAnEventSleepsToTheNextEventStreamTick)
{
	start(2);
	WfeProbe p;
	p.signal_at = SIM_US(250); /* flag set, but no SEV: plain store */
	simcpu_start(
		s, 0,
		[](void *a) {
			WfeProbe *q = static_cast<WfeProbe *>(a);
			simcpu_delay(q->signal_at);
			q->flag = 1;
		},
		&p);
	simcpu_start(s, 1, wfe_waiter_fn, &p);
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	/* Ticks at 100, 200, 300 us: the third sees the flag. */
	EXPECT_EQ(p.woke_at, SIM_US(300));
	EXPECT_EQ(p.wfes, 3u);
	EXPECT_EQ(simcpu_stat(s, "wfe_stream_wakes"), 3u);
}

TEST_F(Simcpu, EventStreamTickSetsTheEventRegisterOutsideWfe)
{
	start(1);
	struct T {
		sim_time_t after_first, after_second;
	} t = {};
	simcpu_start(
		s, 0,
		[](void *a) {
			T *x = static_cast<T *>(a);
			simcpu_delay(
				SIM_US(150)); /* the tick at 100 us passes */
			simcpu_wfe(); /* returns at once */
			x->after_first = simcpu_now();
			simcpu_wfe(); /* sleeps to 200 us */
			x->after_second = simcpu_now();
		},
		&t);
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	EXPECT_EQ(t.after_first, SIM_US(150));
	EXPECT_EQ(t.after_second, SIM_US(200));
	EXPECT_EQ(simcpu_stat(s, "wfe_immediate"), 1u);
}

TEST_F(Simcpu, SevBeforeWfeMakesItReturnAtOnce)
{
	start(1);
	sim_time_t at = 0;
	simcpu_start(
		s, 0,
		[](void *a) {
			simcpu_sev(); /* sets this PE's event register too */
			simcpu_wfe();
			*static_cast<sim_time_t *>(a) = simcpu_now();
		},
		&at);
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	EXPECT_EQ(at, 0u);
	EXPECT_EQ(simcpu_stat(s, "wfe_immediate"), 1u);
}

void monitor_waiter_fn(void *arg)
{
	WfeProbe *p = static_cast<WfeProbe *>(arg);
	while (!p->flag) {
		simcpu_wfe_on(&p->flag);
		p->wfes++;
	}
	p->woke_at = simcpu_now();
}

TEST_F(Simcpu, StoreToAMonitoredGranuleWakesWfeOn)
{
	start(3);
	WfeProbe p, other;
	simcpu_start(
		s, 0,
		[](void *a) {
			WfeProbe *q = static_cast<WfeProbe *>(a);
			simcpu_delay(SIM_US(2));
			q->flag = 1;
			simcpu_notify(&q->flag);
			simcpu_atomic();
		},
		&p);
	simcpu_start(s, 1, monitor_waiter_fn, &p);
	/* CPU 2 watches another object: a store elsewhere does not wake it. */
	other.signal_at = SIM_US(150);
	simcpu_start(s, 2, monitor_waiter_fn, &other);
	ASSERT_EQ(simcpu_run(s, SIM_US(120)), CMDQV_ETIMEDOUT);
	EXPECT_EQ(p.woke_at, SIM_US(2));
	EXPECT_EQ(p.wfes, 1u);
	EXPECT_EQ(other.wfes, 1u); /* woke only at the 100 us tick */
	EXPECT_EQ(simcpu_stat(s, "wfe_notify_wakes"), 1u);
	other.flag = 1; /* let CPU 2 finish at its next tick */
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	EXPECT_EQ(other.woke_at, SIM_US(200));
}

/* The model writes memory (a DMA store) at 5 us; the host forwards it. */
struct DmaStore {
	struct sim_event ev;
	SimcpuHost *host;
	WfeProbe *p;
};

void dma_store_fire(struct sim_kernel *k, struct sim_event *ev)
{
	DmaStore *d = static_cast<DmaStore *>(ev->arg);
	(void)k;
	d->p->flag = 1;
	simcpu_model_store(d->host->s, &d->p->flag, sizeof(d->p->flag));
}

TEST_F(Simcpu, ModelStoreToAMonitoredGranuleWakesWfeOn)
{
	start(1);
	WfeProbe p;
	DmaStore d = { {}, &host, &p };
	struct sim_kernel *k = cmdqv_model_kernel(host.model());
	ASSERT_EQ(sim_event_register(k, &d.ev, dma_store_fire, &d), 0);
	sim_schedule_at(k, &d.ev, SIM_US(5));
	simcpu_start(s, 0, monitor_waiter_fn, &p);
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	EXPECT_EQ(p.woke_at, SIM_US(5));
	EXPECT_EQ(simcpu_stat(s, "wfe_notify_wakes"), 1u);
}

/*
 * A CPU publishes TLBI + ATC_INV + CMD_SYNC (CS=NONE, as VCMDQs require) to
 * VCMDQ 0 and waits for CONS the way arm-smmu-v3.c's queue_poll() does with
 * IDR0.SEV = 1: read CONS, WFE, read again.  The endpoint answers after
 * 10 us, so the CPU is asleep in WFE when the SYNC completes.
 */
struct VcmdqPoll {
	SimcpuHost *host;
	sim_time_t start, end;
	unsigned polls;
};

void vcmdq_poll_fn(void *arg)
{
	VcmdqPoll *v = static_cast<VcmdqPoll *>(arg);
	struct tb_harness *h = &v->host->h;

	struct cmd tlbi = tb_cmd_tlbi_nh_va(1, 1, 0);
	struct cmd atc = tb_cmd_atc_inv(5, 0, 52);
	tb_harness_push(h, 0, &tlbi);
	tb_harness_push(h, 0, &atc);
	struct cmd sync = tb_cmd_sync(CMD_SYNC_CS_NONE);
	tb_harness_push(h, 0, &sync);
	uint32_t prod = tb_harness_sw_prod(h, 0);
	v->start = simcpu_now();
	simcpu_mmio_write(CMDQV_SPACE_CMDQV, tb_harness_prod_off(0), 4, prod);
	for (;;) {
		uint32_t cons = (uint32_t)simcpu_mmio_read(
			CMDQV_SPACE_CMDQV, tb_harness_cons_off(0), 4);
		v->polls++;
		if ((cons & 0xfffff) == prod)
			break;
		simcpu_wfe();
	}
	v->end = simcpu_now();
}

class SimcpuVcmdq : public Simcpu,
		    public ::testing::WithParamInterface<bool> {};

TEST_P(SimcpuVcmdq, WaitForConsEndsAtTheModelSevOrTheEventStream)
{
	bool cons_sev = GetParam();
	cfg.vintfs = 8;
	cfg.vcmdq_cons_sev = cons_sev;
	start(1);
	ASSERT_TRUE(tb_harness_smmu_up(&host.h, QBASE, 8, true)); /* SMMUEN */
	ASSERT_TRUE(tb_harness_vintf_up(&host.h, 0, true, 0, 0, 1, VQBASE, 8));
	cmdqv_atc_set_latency(host.model(), 5, SIM_US(10));
	VcmdqPoll v = { &host, 0, 0, 0 };
	ASSERT_EQ(simcpu_start(s, 0, vcmdq_poll_fn, &v), CMDQV_OK);
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	uint64_t period = params.wfe_event_stream_ps;
	ASSERT_LT(v.start, period);
	if (cons_sev) {
		/* The endpoint's 10 us, two link crossings, a CONS read. */
		EXPECT_GT(v.end - v.start, SIM_US(10));
		EXPECT_LT(v.end - v.start, SIM_US(13));
		EXPECT_GE(simcpu_stat(s, "wfe_sev_wakes"), 1u);
		EXPECT_EQ(simcpu_stat(s, "wfe_stream_wakes"), 0u);
		std::printf("cons_sev=1: wait %llu ps, %u CONS reads, %llu SEV "
			    "wakes, %llu immediate\n",
			    (unsigned long long)(v.end - v.start), v.polls,
			    (unsigned long long)simcpu_stat(s, "wfe_sev_wakes"),
			    (unsigned long long)simcpu_stat(s,
							    "wfe_immediate"));
		EXPECT_EQ(simcpu_stat(s, "model_sevs"),
			  3u); /* each CONS move */
	} else {
		/* One event-stream period: the tick, then one CONS read. */
		EXPECT_EQ(v.end, period + simcpu_params(s)->mmio_read_ps);
		EXPECT_EQ(simcpu_stat(s, "wfe_sev_wakes"), 0u);
		EXPECT_EQ(simcpu_stat(s, "wfe_stream_wakes"), 1u);
		EXPECT_EQ(simcpu_stat(s, "model_sevs"), 0u);
		EXPECT_EQ(v.polls, 2u);
	}
}

INSTANTIATE_TEST_SUITE_P(ConsSev, SimcpuVcmdq, ::testing::Bool());

/* With IDR0.SEV = 0 the model sends no event even if vcmdq_cons_sev = 1. */
TEST_F(Simcpu, NoVcmdqSevWithoutIdr0Sev)
{
	cfg.vintfs = 8;
	cfg.sev = false;
	start(1);
	ASSERT_TRUE(tb_harness_smmu_up(&host.h, QBASE, 8, true)); /* SMMUEN */
	ASSERT_TRUE(tb_harness_vintf_up(&host.h, 0, true, 0, 0, 1, VQBASE, 8));
	VcmdqPoll v = { &host, 0, 0, 0 };
	ASSERT_EQ(simcpu_start(s, 0, vcmdq_poll_fn, &v), CMDQV_OK);
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	EXPECT_EQ(simcpu_stat(s, "model_sevs"), 0u);
}

/*
 * Linux's MSI polling on the SMMU CMDQ (__arm_smmu_cmdq_poll_until_msi):
 * the CMD_SYNC (CS=IRQ) writes its MSI into memory the CPU watches with
 * smp_cond_load_relaxed; the host forwards the model's DMA write.
 */
struct MsiPoll {
	SimcpuHost *host;
	uint64_t msi_addr;
	sim_time_t start, end;
};

void msi_poll_fn(void *arg)
{
	MsiPoll *m = static_cast<MsiPoll *>(arg);
	struct tb_harness *h = &m->host->h;
	volatile uint32_t *word = reinterpret_cast<volatile uint32_t *>(
		tb_mem_page(&h->n.mem, m->msi_addr) + (m->msi_addr & 0xfff));
	struct cmd sync = tb_cmd_sync(CMD_SYNC_CS_IRQ);

	sync.msiaddr = m->msi_addr;
	sync.msidata = 1;
	tb_harness_push(h, TB_HQ_SMMU, &sync);
	m->start = simcpu_now();
	simcpu_mmio_write(CMDQV_SPACE_SMMU, tb_harness_prod_off(TB_HQ_SMMU), 4,
			  tb_harness_sw_prod(h, TB_HQ_SMMU));
	while (*word != 1)
		simcpu_wfe_on(word);
	m->end = simcpu_now();
}

TEST_F(Simcpu, CmdSyncMsiWrittenByTheModelWakesTheWaitingCpu)
{
	start(1);
	ASSERT_TRUE(tb_harness_smmu_up(&host.h, QBASE, 8, true));
	MsiPoll m = { &host, 0x7000, 0, 0 };
	ASSERT_EQ(simcpu_start(s, 0, msi_poll_fn, &m), CMDQV_OK);
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	EXPECT_EQ(simcpu_stat(s, "wfe_notify_wakes"), 1u);
	EXPECT_EQ(simcpu_stat(s, "wfe_stream_wakes"), 0u);
	EXPECT_GE(simcpu_stat(s, "model_stores"), 1u);
	/* PROD write, fetch, SYNC, the MSI's own latency: microseconds. */
	EXPECT_GT(m.end - m.start, cfg.msi_latency);
	EXPECT_LT(m.end - m.start, SIM_US(5));
}

TEST_F(Simcpu, WfeWithNothingToWakeItIsADeadlock)
{
	params.wfe_event_stream_ps = 0; /* no event stream */
	start(1);
	simcpu_start(
		s, 0, [](void *) { simcpu_wfe(); }, nullptr);
	EXPECT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_ESTATE);
}

/* A test-and-set lock with WFE on the lock word, as arm64 spins: 16 CPUs
 * each take it 100 times around a critical section with a register read. */
struct alignas(64) TasLock {
	volatile int locked;
	int counter;
	int inside;
	bool overlap;
};

void tas_fn(void *arg)
{
	TasLock *l = static_cast<TasLock *>(arg);
	for (int i = 0; i < 100; i++) {
		for (;;) {
			simcpu_atomic(); /* the swap itself */
			if (!l->locked) {
				l->locked = 1;
				break;
			}
			while (l->locked)
				simcpu_wfe_on(&l->locked);
		}
		if (l->inside++)
			l->overlap = true;
		int v = l->counter;
		simcpu_mmio_read(CMDQV_SPACE_SMMU, SMMU_IDR0, 4);
		l->counter = v + 1;
		l->inside--;
		simcpu_barrier(); /* store-release */
		l->locked = 0;
		simcpu_notify(&l->locked);
	}
}

TEST_F(Simcpu, SixteenCpusShareALockWokenByStores)
{
	start(16);
	TasLock l = {};
	for (unsigned i = 0; i < 16; i++)
		simcpu_start(s, i, tas_fn, &l);
	ASSERT_EQ(simcpu_run(s, SIM_TIME_NEVER), CMDQV_OK);
	EXPECT_EQ(l.counter, 1600);
	EXPECT_FALSE(l.overlap);
	EXPECT_GT(simcpu_stat(s, "wfe_notify_wakes"), 100u);
	/* Critical sections are serial: at least 1600 register reads long. */
	EXPECT_GE(cmdqv_now(host.model()),
		  1600 * simcpu_params(s)->mmio_read_ps);
}

/* ---- stacks ---- */

int deep(int n)
{
	volatile char pad[1024];
	pad[0] = (char)n;
	if (n == 0)
		return pad[0];
	return deep(n - 1) + pad[0];
}

TEST(SimcpuDeathTest, StackOverflowHitsTheGuardPage)
{
	GTEST_FLAG_SET(death_test_style, "threadsafe");
	EXPECT_DEATH(
		{
			struct cmdqv_config cfg;
			struct simcpu_params p;
			SimcpuHost host;
			cmdqv_config_defaults(&cfg);
			simcpu_params_default(&p);
			p.stack_bytes = 64 * 1024;
			host.init(&cfg, 1, &p);
			simcpu_start(
				host.s, 0,
				[](void *) {
					std::fprintf(stderr, "%d\n",
						     deep(1000));
				},
				nullptr);
			simcpu_run(host.s, SIM_TIME_NEVER);
		},
		"");
}

} // namespace
