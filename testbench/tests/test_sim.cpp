/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sim.cpp - the event kernel (sim.h): (deadline, seq) ordering, FIFO on
 * equal deadlines, cancel, reschedule, run_until semantics, next_deadline,
 * events scheduled from callbacks, and no allocation after registration.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "cmdqv_sim/sim.h"

namespace
{

/* An event owner that records, into a shared log, its id and the time it ran. */
struct Actor {
	struct sim_event ev;
	int id;
	std::vector<std::pair<int, sim_time_t>> *log;
};

void actor_fire(struct sim_kernel *k, struct sim_event *ev)
{
	Actor *a = static_cast<Actor *>(ev->arg);
	a->log->emplace_back(a->id, k->now);
}

class SimTest : public ::testing::Test {
    protected:
	void SetUp() override
	{
		ASSERT_EQ(sim_kernel_init(&k), 0);
	}
	void TearDown() override
	{
		sim_kernel_deinit(&k);
	}
	/* Register @n actors; the vector is sized first so addresses stay put. */
	void make_actors(size_t n)
	{
		actors.resize(n);
		for (size_t i = 0; i < n; i++) {
			actors[i].id = (int)i;
			actors[i].log = &log;
			ASSERT_EQ(sim_event_register(&k, &actors[i].ev,
						     actor_fire, &actors[i]),
				  0);
		}
	}
	std::vector<int> ids() const
	{
		std::vector<int> v;
		for (auto &e : log)
			v.push_back(e.first);
		return v;
	}

	struct sim_kernel k;
	std::vector<Actor> actors;
	std::vector<std::pair<int, sim_time_t>> log;
};

TEST_F(SimTest, InitialStateIsEmptyAtTimeZero)
{
	EXPECT_EQ(k.now, 0u);
	EXPECT_EQ(sim_next_deadline(&k), SIM_TIME_NEVER);
	EXPECT_EQ(sim_run_until(&k, SIM_NS(10)), 0u);
	EXPECT_EQ(k.now, SIM_NS(10));
}

TEST_F(SimTest, RegisterLeavesEventIdle)
{
	make_actors(1);
	EXPECT_FALSE(sim_event_pending(&actors[0].ev));
	EXPECT_EQ(actors[0].ev.fn, &actor_fire);
	EXPECT_EQ(actors[0].ev.arg, &actors[0]);
}

TEST_F(SimTest, RunsInDeadlineOrder)
{
	make_actors(5);
	const sim_time_t t[5] = { 50, 10, 40, 20, 30 };
	for (int i = 0; i < 5; i++)
		sim_schedule_at(&k, &actors[i].ev, SIM_NS(t[i]));
	EXPECT_EQ(sim_next_deadline(&k), SIM_NS(10));
	EXPECT_EQ(sim_run_until(&k, SIM_TIME_NEVER), 5u);
	EXPECT_EQ(ids(), (std::vector<int>{ 1, 3, 4, 2, 0 }));
	for (auto &e : log)
		EXPECT_EQ(e.second, SIM_NS(t[e.first]));
	EXPECT_EQ(k.now, SIM_NS(50)); /* NEVER leaves now at the last event */
	EXPECT_EQ(k.dispatched, 5u);
}

TEST_F(SimTest, EqualDeadlinesRunInScheduleOrder)
{
	make_actors(8);
	const int order[8] = { 5, 2, 7, 0, 3, 6, 1, 4 };
	for (int i : order)
		sim_schedule_at(&k, &actors[i].ev, SIM_NS(100));
	sim_run_until(&k, SIM_NS(100));
	EXPECT_EQ(ids(), std::vector<int>(order, order + 8));
}

TEST_F(SimTest, RandomScheduleMatchesStableSort)
{
	/* A larger mix of deadlines with many ties: the run order must be the
         * stable sort of the schedule order by deadline. */
	const size_t n = 257;
	make_actors(n);
	std::mt19937 rng(12345);
	std::vector<std::pair<sim_time_t, int>> expect;
	for (size_t i = 0; i < n; i++) {
		int who = (int)((i * 7919) % n);
		sim_time_t t = rng() % 16;
		sim_schedule_at(&k, &actors[who].ev, t);
		expect.emplace_back(t, who);
	}
	std::stable_sort(expect.begin(), expect.end(),
			 [](auto &a, auto &b) { return a.first < b.first; });
	sim_run_until(&k, SIM_TIME_NEVER);
	ASSERT_EQ(log.size(), n);
	for (size_t i = 0; i < n; i++) {
		EXPECT_EQ(log[i].first, expect[i].second) << "position " << i;
		EXPECT_EQ(log[i].second, expect[i].first) << "position " << i;
	}
}

TEST_F(SimTest, CancelRemovesOnlyThatEvent)
{
	make_actors(4);
	for (int i = 0; i < 4; i++)
		sim_schedule_at(&k, &actors[i].ev, SIM_NS(10 * (i + 1)));
	sim_cancel(&k, &actors[0].ev); /* the heap root */
	sim_cancel(&k, &actors[2].ev); /* an inner node */
	EXPECT_FALSE(sim_event_pending(&actors[0].ev));
	EXPECT_FALSE(sim_event_pending(&actors[2].ev));
	EXPECT_TRUE(sim_event_pending(&actors[1].ev));
	sim_cancel(&k, &actors[2].ev); /* cancelling twice is a no-op */
	EXPECT_EQ(k.count, 2u);
	EXPECT_EQ(sim_next_deadline(&k), SIM_NS(20));
	sim_run_until(&k, SIM_TIME_NEVER);
	EXPECT_EQ(ids(), (std::vector<int>{ 1, 3 }));
}

TEST_F(SimTest, RescheduleMovesEventAndRenewsSequence)
{
	make_actors(3);
	sim_schedule_at(&k, &actors[0].ev, SIM_NS(10));
	sim_schedule_at(&k, &actors[1].ev, SIM_NS(20));
	sim_schedule_at(&k, &actors[2].ev, SIM_NS(20));
	/* Actor 0 moves to 20: it was scheduled last, so it runs last. */
	sim_schedule_at(&k, &actors[0].ev, SIM_NS(20));
	EXPECT_EQ(k.count, 3u);
	/* Actor 2 moves earlier than everyone. */
	sim_schedule_at(&k, &actors[2].ev, SIM_NS(5));
	EXPECT_EQ(sim_next_deadline(&k), SIM_NS(5));
	sim_run_until(&k, SIM_TIME_NEVER);
	EXPECT_EQ(ids(), (std::vector<int>{ 2, 1, 0 }));
	EXPECT_EQ(log[0].second, SIM_NS(5));
}

TEST_F(SimTest, RunUntilStopsAtBoundaryAndSetsNow)
{
	make_actors(3);
	sim_schedule_at(&k, &actors[0].ev, SIM_NS(10));
	sim_schedule_at(&k, &actors[1].ev, SIM_NS(20));
	sim_schedule_at(&k, &actors[2].ev, SIM_NS(21));
	EXPECT_EQ(sim_run_until(&k, SIM_NS(20)), 2u); /* deadline <= t runs */
	EXPECT_EQ(k.now, SIM_NS(20));
	EXPECT_TRUE(sim_event_pending(&actors[2].ev));
	EXPECT_EQ(sim_next_deadline(&k), SIM_NS(21));
	/* Running to an earlier time never moves time backwards. */
	EXPECT_EQ(sim_run_until(&k, SIM_NS(15)), 0u);
	EXPECT_EQ(k.now, SIM_NS(20));
	/* With nothing due, now still advances to t. */
	EXPECT_EQ(sim_run_until(&k, SIM_PS(20999)), 0u);
	EXPECT_EQ(k.now, SIM_PS(20999));
}

TEST_F(SimTest, ScheduleInThePastIsClampedToNow)
{
	make_actors(1);
	sim_run_until(&k, SIM_US(1));
	sim_schedule_at(&k, &actors[0].ev, SIM_NS(3));
	EXPECT_EQ(actors[0].ev.deadline, SIM_US(1));
	sim_schedule_in(&k, &actors[0].ev, SIM_NS(7));
	EXPECT_EQ(actors[0].ev.deadline, SIM_US(1) + SIM_NS(7));
}

TEST_F(SimTest, ScheduleInSaturatesBelowNever)
{
	make_actors(1);
	sim_run_until(&k, SIM_MS(1));
	sim_schedule_in(&k, &actors[0].ev, SIM_TIME_NEVER);
	/* A far-future event is still reported as pending. */
	EXPECT_NE(sim_next_deadline(&k), SIM_TIME_NEVER);
	EXPECT_GT(sim_next_deadline(&k), SIM_MS(1));
}

/* A periodic actor that reschedules itself from its own callback, plus one
 * that schedules a zero-delay follower: both must run inside one run_until. */
struct Chain {
	struct sim_event ev;
	struct sim_event follower;
	int ticks = 0;
	int follower_runs = 0;
	sim_time_t period = SIM_NS(10);
	sim_time_t follower_at = 0;
};

void chain_tick(struct sim_kernel *k, struct sim_event *ev)
{
	Chain *c = static_cast<Chain *>(ev->arg);
	c->ticks++;
	if (c->ticks < 5)
		sim_schedule_in(k, ev, c->period);
	if (c->ticks == 2)
		sim_schedule_in(k, &c->follower, 0);
}

void chain_follower(struct sim_kernel *k, struct sim_event *ev)
{
	Chain *c = static_cast<Chain *>(ev->arg);
	c->follower_runs++;
	c->follower_at = k->now;
}

TEST_F(SimTest, EventsScheduledFromCallbacksRunInSameCall)
{
	Chain c;
	ASSERT_EQ(sim_event_register(&k, &c.ev, chain_tick, &c), 0);
	ASSERT_EQ(sim_event_register(&k, &c.follower, chain_follower, &c), 0);
	sim_schedule_at(&k, &c.ev, SIM_NS(10));
	/* Ticks at 10, 20, 30, 40, 50; the 6th would be at 60 but stops. */
	EXPECT_EQ(sim_run_until(&k, SIM_NS(45)), 5u); /* 4 ticks + follower */
	EXPECT_EQ(c.ticks, 4);
	EXPECT_EQ(c.follower_runs, 1);
	EXPECT_EQ(c.follower_at, SIM_NS(20)); /* zero delay: same time */
	EXPECT_EQ(sim_next_deadline(&k), SIM_NS(50));
	EXPECT_EQ(sim_run_until(&k, SIM_TIME_NEVER), 1u);
	EXPECT_EQ(c.ticks, 5);
	EXPECT_FALSE(sim_event_pending(&c.ev));
}

TEST_F(SimTest, CallbackMayCancelAnotherDueEvent)
{
	make_actors(2);
	struct Canceller {
		struct sim_event ev;
		struct sim_event *victim;
	} cn;
	ASSERT_EQ(sim_event_register(
			  &k, &cn.ev,
			  [](struct sim_kernel *kk, struct sim_event *ev) {
				  sim_cancel(kk,
					     static_cast<Canceller *>(ev->arg)
						     ->victim);
			  },
			  &cn),
		  0);
	cn.victim = &actors[1].ev;
	sim_schedule_at(&k, &cn.ev, SIM_NS(10));
	sim_schedule_at(&k, &actors[1].ev,
			SIM_NS(10)); /* same time, later seq */
	sim_schedule_at(&k, &actors[0].ev, SIM_NS(11));
	sim_run_until(&k, SIM_TIME_NEVER);
	EXPECT_EQ(ids(), (std::vector<int>{ 0 }));
}

TEST_F(SimTest, HeapStorageOnlyGrowsAtRegistration)
{
	make_actors(64);
	EXPECT_EQ(k.capacity, 64u);
	struct sim_event **storage = k.heap;
	std::mt19937 rng(7);
	/* Heavy schedule / reschedule / cancel / run traffic. */
	for (int round = 0; round < 200; round++) {
		for (auto &a : actors) {
			switch (rng() % 3) {
			case 0:
				sim_schedule_in(&k, &a.ev, rng() % 1000);
				break;
			case 1:
				sim_cancel(&k, &a.ev);
				break;
			default:
				if (!sim_event_pending(&a.ev))
					sim_schedule_in(&k, &a.ev, rng() % 50);
			}
		}
		EXPECT_LE(k.count, k.capacity);
		sim_run_until(&k, k.now + 100);
	}
	/* The storage array was never reallocated and never grew. */
	EXPECT_EQ(k.heap, storage);
	EXPECT_EQ(k.capacity, 64u);
	/* Deadlines popped in non-decreasing order throughout. */
	for (size_t i = 1; i < log.size(); i++)
		ASSERT_LE(log[i - 1].second, log[i].second) << "at " << i;
}

TEST_F(SimTest, DeinitDropsPendingEvents)
{
	make_actors(2);
	sim_schedule_at(&k, &actors[0].ev, SIM_NS(1));
	sim_kernel_deinit(&k);
	EXPECT_FALSE(sim_event_pending(&actors[0].ev));
	EXPECT_EQ(k.heap, nullptr);
	ASSERT_EQ(sim_kernel_init(&k), 0); /* TearDown deinitialises again */
}

TEST(SimClock, CyclesToPsRoundsToNearest)
{
	EXPECT_EQ(sim_cycles_to_ps(1, 1000), 1000u);
	EXPECT_EQ(sim_cycles_to_ps(3, 1500), 2000u);
	EXPECT_EQ(sim_cycles_to_ps(1, 3000), 333u); /* 333.33 */
	EXPECT_EQ(sim_cycles_to_ps(2, 3000), 667u); /* 666.67 */
}

} // namespace
