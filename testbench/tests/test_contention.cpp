/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_contention.cpp - contention between the vCPUs of one VM on the trap
 * path (testbench/paths/wl_bql.c, docs/timing-model.md section 3.3.1): the
 * vSMMU's trapped CMDQ_PROD / CMDQ_CONS accesses run under QEMU's BQL, a glibc
 * mutex shared by the VM's vCPU threads.  A second vCPU that finds it held
 * sleeps in futex_wait, the holder pays the FUTEX_WAKE system call, the
 * sleeper runs again after the wake-up latency; one vCPU alone never meets
 * any of it.  Checked from the run's counters, stages and the host ioctls it
 * makes.  On the direct path (docs/timing-model.md section 3.2.1) the vCPUs'
 * ATC_INVs go to one device, whose endpoint processes ats_inv_servers
 * invalidations at once (model/src/ats.c), and the guest builds them under
 * the domain's devices_lock, whose cache line moves between the CPUs:
 * two meet there, one never does.
 */
#include <gtest/gtest.h>

#include <vector>

#include "cmdqv_sim/cmd.h"
#include "paths.h"
#include "paths_fixture.h"

namespace
{

class Contention : public PathsTest {
    protected:
	void SetUp() override
	{
		PathsTest::SetUp();
		pt.path = WL_PATH_TRAP;
		pt.granule_pages = 1;
		pt.iterations = 40;
	}

	wl_result run()
	{
		return run_observed(nullptr);
	}

	void set(const char *key, const char *value)
	{
		ASSERT_EQ(wl_params_set(&sw, key, value, err, sizeof(err)),
			  CMDQV_OK)
			<< err;
	}

	/* run() once path parameter @key is @value */
	wl_result run_with(const char *key, const char *value)
	{
		set(key, value);
		return run();
	}
};

/* Every sample's latencies of @a and @b, in order, are identical. */
void expect_same_samples(const wl_result &a, const wl_result &b)
{
	ASSERT_EQ(a.count, b.count);
	for (size_t i = 0; i < a.count; i++) {
		EXPECT_EQ(a.samples[i].latency, b.samples[i].latency) << i;
		EXPECT_EQ(a.samples[i].start, b.samples[i].start) << i;
	}
}

TEST_F(Contention, OneVcpuNeverSleepsOnTheBqlAndIgnoresItsCosts)
{
	for (unsigned pages : { 1u, 16u }) {
		pt.granule_pages = pages;
		wl_params_defaults(&sw);
		Result def = run();
		EXPECT_EQ(def.bql_sleeps, 0u);
		EXPECT_EQ(def.bql_wakes, 0u);
		EXPECT_GT(def.exits, 0u);
		set("futex_wake_syscall", "0");
		Result zero = run_with("futex_wakeup_latency", "0");
		set("futex_wake_syscall", "50us");
		Result huge = run_with("futex_wakeup_latency", "200us");
		/* uncontended, the lock costs nothing beyond vmm_mmio */
		expect_same_samples(def, zero);
		expect_same_samples(def, huge);
	}
}

/* docs/timing-model.md section 3.3.2: the handler's lines stay on one
 * vCPU's CPU; with two they move at every change of thread, and each moved
 * access or ioctl run pays its lines, one cacheline_transfer each. */
TEST_F(Contention, HandlerStateMovesOnlyBetweenTwoVcpusCpus)
{
	for (unsigned pages : { 1u, 16u }) {
		pt.granule_pages = pages;
		pt.threads = 1;
		wl_params_defaults(&sw);
		Result def = run();
		EXPECT_EQ(def.handover_moves, 0u);
		set("vmm_handover_lines", "0");
		Result none = run_with("ioctl_handover_lines", "0");
		set("vmm_handover_lines", "1000");
		Result lots = run_with("ioctl_handover_lines", "1000");
		expect_same_samples(def, none);
		expect_same_samples(def, lots);

		pt.threads = 2;
		wl_params_defaults(&sw);
		Result two = run();
		/* the threads alternate at the lock: most unmaps move the
		 * state of several accesses and of an ioctl run */
		EXPECT_GT(two.handover_moves, two.count * 2);
		EXPECT_LE(two.handover_moves, two.exits + two.ioctls);
		set("vmm_handover_lines", "0");
		Result free = run_with("ioctl_handover_lines", "0");
		set("vmm_handover_lines", "40");
		Result dear = run_with("ioctl_handover_lines", "70");
		/* 10x the lines: the lock is held longer on every move, and
		 * the other thread waits for it */
		EXPECT_LT(free.mean_latency, two.mean_latency);
		EXPECT_GT(dear.mean_latency - two.mean_latency,
			  2.0 * (two.mean_latency - free.mean_latency));
	}
}

TEST_F(Contention, SecondVcpuSleepsAndEverySleepEndsInAWake)
{
	pt.threads = 2;
	Result r = run();
	/* the two vCPUs' exits meet at the BQL: some find it held */
	EXPECT_GT(r.bql_sleeps, r.count / 4);
	/* every thread finished, so every futex_wait was ended by a FUTEX_WAKE */
	EXPECT_EQ(r.bql_wakes, r.bql_sleeps);
}

TEST_F(Contention, TheSleeperPaysTheWakeUpLatencyAsVmmTime)
{
	pt.threads = 2;
	Result fast = run_with("futex_wakeup_latency", "0");
	Result slow = run_with("futex_wakeup_latency", "20us");
	double sleeps = (double)slow.bql_wakes / (double)slow.count;
	double d_lat = slow.mean_latency - fast.mean_latency;
	double d_vmm =
		slow.stage_mean[WL_STAGE_VMM] - fast.stage_mean[WL_STAGE_VMM];

	ASSERT_GT(sleeps, 0.2);
	/* at least half of 20 us per wake shows up, and not much more than
         * one wake-up per wake plus the other vCPU's share */
	EXPECT_GT(d_lat, 0.5 * sleeps * SIM_US(20));
	EXPECT_LT(d_lat, 3.0 * sleeps * SIM_US(20));
	/* the wait is time in QEMU: charged as vmm, on the sleeper */
	EXPECT_GT(d_vmm, 0.5 * d_lat);
}

TEST_F(Contention, FutexWakeSyscallDelaysTheUnlockingVcpu)
{
	pt.threads = 2;
	Result cheap = run_with("futex_wake_syscall", "0");
	Result dear = run_with("futex_wake_syscall", "10us");
	EXPECT_GT(dear.mean_latency, cheap.mean_latency + SIM_US(1));
	EXPECT_GT(dear.stage_mean[WL_STAGE_VMM],
		  cheap.stage_mean[WL_STAGE_VMM] + SIM_US(1));
}

/* Host commands in the order the ioctls wrote them: one entry + CMD_SYNC each. */
struct HostCmds {
	std::vector<uint8_t> ops;
	static void command(void *ctx, wl_cmd_site site, int,
			    const uint64_t dw[2], sim_time_t)
	{
		if (site == WL_SITE_HOST)
			static_cast<HostCmds *>(ctx)->ops.push_back(
				(uint8_t)(dw[0] & 0xff));
	}
};

TEST_F(Contention, TwoVcpusTrappedProdWritesSerialise)
{
	pt.threads = 2;
	pt.granule_pages = 4;
	HostCmds h;
	wl_observer o = {};
	o.ctx = &h;
	o.command = HostCmds::command;
	Result r = run_observed(&o);
	/* QEMU consumes under the BQL: one ioctl at a time, so the host SMMU
         * CMDQ sees command, SYNC, command, SYNC ... never two vCPUs'
         * commands between two SYNCs */
	ASSERT_GT(h.ops.size(), 4u);
	for (size_t i = 0; i < h.ops.size(); i++) {
		if (i % 2)
			EXPECT_EQ(h.ops[i], CMDQ_OP_SYNC) << i;
		else
			EXPECT_NE(h.ops[i], CMDQ_OP_SYNC) << i;
	}
	EXPECT_EQ(r.ioctls * 2, h.ops.size());
	EXPECT_GT(r.bql_sleeps, 0u);
}

TEST_F(Contention, GatheredVcpusPollConsWithExtraExits)
{
	/* One VM: the host ioctls are serialised by the BQL, so every gathered
         * issue is a guest one, published by another vCPU's PROD exit. */
	auto cons_reads = [](const wl_result &r) {
		double n = (double)r.count;
		double prod_exits = 2.0 - (double)r.gathered / n;
		return (double)r.exits / n - prod_exits;
	};
	Result one = run();
	EXPECT_EQ(one.gathered, 0u);
	/* one PROD exit and one successful CONS read per issue */
	EXPECT_DOUBLE_EQ(cons_reads(one), 2.0);
	pt.threads = 4;
	Result four = run();
	/* a gathered vCPU polls CONS before the owner's PROD exit has been
         * consumed: its failed reads are extra exits */
	EXPECT_GT(four.gathered, four.count / 10);
	EXPECT_GT(cons_reads(four), 2.2);
}

TEST_F(Contention, OnlyTheTrapPathHasABql)
{
	pt.threads = 2;
	for (wl_path p : { WL_PATH_DIRECT, WL_PATH_EVENTFD }) {
		pt.path = p;
		wl_params_defaults(&sw);
		Result def = run();
		set("futex_wake_syscall", "50us");
		Result huge = run_with("futex_wakeup_latency", "200us");
		EXPECT_EQ(def.bql_sleeps, 0u) << wl_path_name(p);
		expect_same_samples(def, huge);
	}
}

TEST_F(Contention, OneVcpuNeverQueuesAtTheAtsEndpoint)
{
	pt.path = WL_PATH_DIRECT;
	for (unsigned pages : { 1u, 64u }) {
		pt.granule_pages = pages;
		hw.ats_inv_servers = 1;
		Result serial = run();
		hw.ats_inv_servers = 0;
		Result unlimited = run();
		EXPECT_GT(serial.count, 0u);
		EXPECT_EQ(serial.ats_queued, 0u);
		expect_same_samples(serial, unlimited);
	}
}

TEST_F(Contention, TwoVcpusAtcInvsToOneDeviceAreAnsweredInTurn)
{
	on(WL_PATH_DIRECT, 2);
	pt.iterations = 100;
	/* a slow endpoint makes the two queues' ATC_INVs overlap often */
	hw.ats_device_latency = SIM_US(10);
	hw.ats_inv_servers = 0;
	Result par = run();
	hw.ats_inv_servers = 1;
	Result ser = run();
	EXPECT_EQ(par.ats_queued, 0u);
	EXPECT_GT(ser.ats_queued, ser.count / 10);
	/* the wait is in the CMD_SYNC behind the ATC_INV: stage atc */
	EXPECT_GT(ser.stage_mean[WL_STAGE_ATC],
		  par.stage_mean[WL_STAGE_ATC] + 0.5 * SIM_US(1));
	EXPECT_GT(ser.mean_latency, par.mean_latency + 0.5 * SIM_US(1));
	/* never more than one other request ahead: at most one service */
	EXPECT_LT(ser.stage_mean[WL_STAGE_ATC],
		  par.stage_mean[WL_STAGE_ATC] + SIM_US(10));
}

TEST_F(Contention, VmsHaveAnAtsEndpointEach)
{
	/* two VMs of one vCPU: each VM's device is its own function */
	pt.path = WL_PATH_DIRECT;
	pt.vms = 2;
	hw.ats_device_latency = SIM_US(10);
	Result r = run();
	EXPECT_GT(r.count, 0u);
	EXPECT_EQ(r.ats_queued, 0u);
}

TEST_F(Contention, OneVcpuKeepsTheDevicesLockLine)
{
	for (wl_path p : { WL_PATH_DIRECT, WL_PATH_TRAP }) {
		pt.path = p;
		wl_params_defaults(&sw);
		Result def = run();
		Result huge = run_with("cacheline_transfer", "20us");
		EXPECT_EQ(def.devlock_moves, 0u) << wl_path_name(p);
		EXPECT_EQ(def.devlock_spins, 0u) << wl_path_name(p);
		expect_same_samples(def, huge);
	}
}

TEST_F(Contention, TwoVcpusPullTheDevicesLockLineFromEachOther)
{
	on(WL_PATH_DIRECT, 2);
	pt.iterations = 100;
	Result none = run_with("cacheline_transfer", "0");
	Result dear = run_with("cacheline_transfer", "2us");
	/* the two CPUs take the lock in turn: nearly every unmap moves it */
	EXPECT_GT(dear.devlock_moves, dear.count * 8 / 10);
	/* each move is paid once by the unmap that takes the lock: the mean
	 * grows by about one transfer, more only where the other spins */
	double d = dear.mean_latency - none.mean_latency;
	EXPECT_GT(d, 0.7 * SIM_US(2));
	EXPECT_LT(d, 2.5 * SIM_US(2));
	EXPECT_GT(dear.stage_mean[WL_STAGE_GUEST_CPU],
		  none.stage_mean[WL_STAGE_GUEST_CPU] + 0.7 * SIM_US(2));
}

TEST_F(Contention, VmsHaveABqlEach)
{
	/* two VMs of one vCPU: their QEMUs never share a lock */
	pt.vms = 2;
	Result r = run();
	EXPECT_EQ(r.bql_sleeps, 0u);
}

} // namespace
