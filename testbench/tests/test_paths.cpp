/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_paths.cpp - the invalidation paths and the dma_map_benchmark workload
 * (testbench/paths/paths.h): stage sequences traced through the observer,
 * direct never exits, trap's VMID/SID rewrite in the host (ioctl) stage,
 * contention at the VMM, VINTF isolation of VMs, the command stream Linux
 * builds (per-page, range, 64-command batches, ATS), determinism, and
 * errors for bad inputs.  No timing assertions on the host machine.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <malloc.h>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/status.h"
#include "paths.h"
#include "paths_fixture.h"

namespace
{

struct Span {
	std::string track, name;
	sim_time_t start, end;
};

struct Cmd {
	wl_cmd_site site;
	int vm;
	uint64_t dw[2];
	sim_time_t t;
};

/* Everything the observer reports. */
struct Recorder {
	std::vector<Span> spans;
	std::vector<Cmd> cmds;
	std::vector<cmdqv_trace_rec> cmd_recs;
	uint64_t last_done = 0, last_total = 0, progress_calls = 0;

	static void progress(void *ctx, uint64_t done, uint64_t total)
	{
		auto *r = static_cast<Recorder *>(ctx);
		r->last_done = done;
		r->last_total = total;
		r->progress_calls++;
	}
	static void span(void *ctx, const char *track, const char *name,
			 sim_time_t s, sim_time_t e)
	{
		static_cast<Recorder *>(ctx)->spans.push_back(
			{ track, name, s, e });
	}
	static void command(void *ctx, wl_cmd_site site, int vm,
			    const uint64_t dw[2], sim_time_t t)
	{
		static_cast<Recorder *>(ctx)->cmds.push_back(
			{ site, vm, { dw[0], dw[1] }, t });
	}
	static void trace(void *ctx, const cmdqv_trace_rec *rec)
	{
		if (rec->kind == CMDQV_TR_CMD)
			static_cast<Recorder *>(ctx)->cmd_recs.push_back(*rec);
	}
	wl_observer observer()
	{
		/* ctx, progress, span, command, trace; no memory, access or
		 * issue */
		return { this,	progress, span,	   command,
			 trace, nullptr,  nullptr, nullptr };
	}
};

class Paths : public PathsTest {
    protected:
	void SetUp() override
	{
		PathsTest::SetUp();
		pt.iterations = 20;
	}

	wl_result run(Recorder *rec = nullptr)
	{
		wl_observer o;
		if (rec)
			o = rec->observer();
		return run_observed(rec ? &o : nullptr);
	}

	int run_error(std::string *msg)
	{
		wl_result res;
		int r = wl_run(&hw, &sw, &pt, nullptr, &res, err, sizeof(err));
		*msg = err;
		if (r == CMDQV_OK)
			wl_result_free(&res);
		EXPECT_EQ(res.samples, nullptr);
		return r;
	}
};

/* Stages of every sample partition its latency exactly. */
void expect_partition(const wl_result &res)
{
	ASSERT_GT(res.count, 0u);
	for (size_t i = 0; i < res.count; i++) {
		sim_time_t sum = 0;
		for (unsigned s = 0; s < WL_STAGE_COUNT; s++)
			sum += res.samples[i].stage[s];
		ASSERT_EQ(sum, res.samples[i].latency) << "sample " << i;
	}
}

struct cmd decode(const uint64_t dw[2])
{
	struct cmd c;
	cmd_decode(dw, &c);
	return c;
}

TEST(PathNames, PathsAndStagesAreTheDocumentedLists)
{
	const char *paths[] = { "direct", "trap", "host", "eventfd" };
	for (unsigned i = 0; i < 4; i++) {
		enum wl_path p;
		ASSERT_EQ(wl_path_parse(paths[i], &p), 0);
		EXPECT_STREQ(wl_path_name(p), paths[i]);
	}
	enum wl_path p;
	EXPECT_EQ(wl_path_parse("vcmdq", &p), -1);
	EXPECT_EQ(wl_path_name(WL_PATH_COUNT), nullptr);

	const char *stages[] = {
		"exit",	   "vmm", "ioctl",     "host_queue_wait", "fetch",
		"execute", "atc", "sync_wait", "guest_cpu"
	};
	ASSERT_EQ((unsigned)WL_STAGE_COUNT, 9u);
	for (unsigned i = 0; i < 9; i++) {
		EXPECT_STREQ(wl_stage_name((wl_stage)i), stages[i]);
		EXPECT_NE(wl_stage_desc((wl_stage)i), nullptr);
	}
}

TEST(PathParams, EveryParameterHasUnitSourceAndDescription)
{
	ASSERT_GT(wl_param_count(), 10u);
	for (size_t i = 0; i < wl_param_count(); i++) {
		const struct cmdqv_param_info *info = wl_param_info(i);
		ASSERT_NE(info, nullptr);
		EXPECT_GT(strlen(info->unit), 0u) << info->key;
		EXPECT_GT(strlen(info->source), 0u) << info->key;
		EXPECT_GT(strlen(info->description), 0u) << info->key;
	}
	EXPECT_EQ(wl_param_info(wl_param_count()), nullptr);
}

TEST(PathParams, SetParsesUnitsAndRejectsBadInput)
{
	path_params p;
	char err[128];
	wl_params_defaults(&p);
	EXPECT_EQ(p.exit_user, SIM_NS(3000));
	ASSERT_EQ(wl_params_set(&p, "exit_user", "1.5us", err, sizeof(err)),
		  CMDQV_OK);
	EXPECT_EQ(p.exit_user, SIM_NS(1500));
	ASSERT_EQ(wl_params_set(&p, "exit_user", "250", err, sizeof(err)),
		  CMDQV_OK);
	EXPECT_EQ(p.exit_user,
		  SIM_NS(250)); /* bare number: the parameter's unit (ns) */
	ASSERT_EQ(wl_params_set(&p, "host_msipoll", "off", err, sizeof(err)),
		  CMDQV_OK);
	EXPECT_FALSE(p.host_msipoll);
	EXPECT_EQ(wl_params_set(&p, "no_such_key", "1", err, sizeof(err)),
		  CMDQV_EKEY);
	EXPECT_NE(std::string(err).find("no_such_key"), std::string::npos);
	EXPECT_EQ(wl_params_set(&p, "exit_user", "fast", err, sizeof(err)),
		  CMDQV_EVALUE);
	EXPECT_NE(std::string(err).find("exit_user"), std::string::npos);
	EXPECT_EQ(wl_params_set(&p, "poll_spin_count", "-3", err, sizeof(err)),
		  CMDQV_EVALUE);
	/* A value out of its range is refused when it is set (so a
	 * --config file's error carries FILE:LINE), not only by validate. */
	EXPECT_EQ(wl_params_set(&p, "eventfd_batch", "64", err, sizeof(err)),
		  CMDQV_EVALUE);
	EXPECT_STREQ(err, "eventfd_batch: expected 1..63, got 64");
	EXPECT_EQ(p.eventfd_batch, 63u); /* unchanged */
	EXPECT_EQ(wl_params_set(&p, "cpu_jitter", "101", err, sizeof(err)),
		  CMDQV_EVALUE);
	EXPECT_STREQ(err, "cpu_jitter: expected 0..90 percent, got 101");
	EXPECT_EQ(wl_params_set(&p, "queue_log2size", "30", err, sizeof(err)),
		  CMDQV_EVALUE);
	EXPECT_EQ(wl_params_set(&p, "eventfd_batch", "0", err, sizeof(err)),
		  CMDQV_EVALUE);
	EXPECT_EQ(wl_params_set(&p, "poll_spin_count", "0", err, sizeof(err)),
		  CMDQV_EVALUE);
	EXPECT_EQ(wl_params_set(&p, "poll_udelay_first", "0", err, sizeof(err)),
		  CMDQV_EVALUE);
	EXPECT_EQ(wl_params_validate(&p, err, sizeof(err)), CMDQV_OK);
	/* validate still checks a struct filled in directly */
	p.eventfd_batch = 64;
	EXPECT_EQ(wl_params_validate(&p, err, sizeof(err)), CMDQV_EVALUE);
	EXPECT_NE(std::string(err).find("eventfd_batch"), std::string::npos);
}

TEST_F(Paths, BadPointsAreErrorsWithAReason)
{
	std::string msg;
	pt.threads = 0;
	EXPECT_EQ(run_error(&msg), CMDQV_EINVAL);
	EXPECT_NE(msg.find("threads"), std::string::npos);

	SetUp();
	pt.strict = false;
	EXPECT_EQ(run_error(&msg), CMDQV_EINVAL);
	EXPECT_NE(msg.find("strict"), std::string::npos);

	SetUp();
	pt.path = WL_PATH_DIRECT;
	hw.vintfs = 4;
	hw.vcmdqs = 8;
	pt.vms = 4; /* VINTF0 is the host's: only 3 left */
	EXPECT_EQ(run_error(&msg), CMDQV_EINVAL);
	EXPECT_NE(msg.find("VINTF"), std::string::npos);

	SetUp();
	pt.ril = true;
	hw.ril = false;
	EXPECT_EQ(run_error(&msg), CMDQV_EINVAL);
	EXPECT_NE(msg.find("RIL"), std::string::npos);

	SetUp();
	pt.granule_pages = 0;
	EXPECT_EQ(run_error(&msg), CMDQV_EINVAL);
	EXPECT_NE(msg.find("granule"), std::string::npos);

	SetUp();
	pt.path = WL_PATH_HOST;
	pt.vms = 2;
	EXPECT_EQ(run_error(&msg), CMDQV_EINVAL);

	SetUp();
	sw.queue_log2size = 3;
	EXPECT_EQ(run_error(&msg), CMDQV_EVALUE);
	EXPECT_NE(msg.find("queue_log2size"), std::string::npos);
}

TEST_F(Paths, DirectNeverExits)
{
	Recorder rec;
	on(WL_PATH_DIRECT, 2);
	pt.granule_pages = 4;
	Result res = run(&rec);
	EXPECT_EQ(res.count, 40u);
	EXPECT_EQ(res.exits, 0u);
	EXPECT_EQ(res.ioctls, 0u);
	EXPECT_EQ(res.stage_mean[WL_STAGE_EXIT], 0.0);
	EXPECT_EQ(res.stage_mean[WL_STAGE_VMM], 0.0);
	EXPECT_EQ(res.stage_mean[WL_STAGE_IOCTL], 0.0);
	for (const Span &s : rec.spans) {
		EXPECT_NE(s.name, "exit") << s.track;
		EXPECT_EQ(s.track.find("VMM"), std::string::npos);
	}
	/* the guest's own commands went to VCMDQs, none to the SMMU CMDQ */
	ASSERT_FALSE(rec.cmd_recs.empty());
	for (const cmdqv_trace_rec &r : rec.cmd_recs)
		EXPECT_GE(r.queue, 0);
	for (const Cmd &c : rec.cmds)
		EXPECT_EQ(c.site, WL_SITE_GUEST);
	EXPECT_GT(res.stage_mean[WL_STAGE_ATC], 0.0); /* ATS on by default */
	expect_partition(res);
	EXPECT_EQ(rec.last_done, 40u);
	EXPECT_EQ(rec.last_total, 40u);
}

TEST_F(Paths, TrapStagesComeInThePathOrder)
{
	Recorder rec;
	pt.path = WL_PATH_TRAP;
	pt.iterations = 2;
	Result res = run(&rec);
	ASSERT_EQ(res.count, 2u);

	/* spans of the first unmap, in time order, VM tracks only */
	sim_time_t t0 = res.samples[0].start, t1 = t0 + res.samples[0].latency;
	std::vector<Span> v;
	for (const Span &s : rec.spans)
		if (s.start >= t0 && s.end <= t1 && s.name != "dma_map")
			v.push_back(s);
	std::stable_sort(v.begin(), v.end(), [](const Span &a, const Span &b) {
		return a.start < b.start;
	});
	std::vector<std::string> seq;
	for (const Span &s : v)
		if (seq.empty() || seq.back() != s.name)
			seq.push_back(s.name);
	auto find_from = [&](const std::string &name, size_t from) {
		for (size_t i = from; i < seq.size(); i++)
			if (seq[i] == name)
				return i;
		return seq.size();
	};
	size_t i_cpu = find_from("guest_cpu", 0);
	size_t i_exit = find_from("exit", i_cpu);
	size_t i_vmm = find_from("vmm", i_exit);
	size_t i_ioctl = find_from("ioctl", i_vmm);
	size_t i_fetch = find_from("fetch", i_ioctl);
	size_t i_exec = find_from("execute", i_fetch);
	size_t i_ioctl2 = find_from("ioctl", i_exec);
	size_t i_entry = find_from("exit", i_ioctl2);
	EXPECT_EQ(i_cpu, 0u);
	EXPECT_LT(i_entry, seq.size())
		<< "no exit -> vmm -> ioctl -> fetch -> execute -> "
		   "ioctl -> entry sequence";
	/* the first exit is the vCPU's, the VMM and ioctl stages are the VMM thread's */
	for (const Span &s : v) {
		if (s.name == "exit" || s.name == "guest_cpu") {
			EXPECT_EQ(s.track, "VM0/vCPU0");
		}
		if (s.name == "ioctl") {
			EXPECT_EQ(s.track, "VM0/VMM");
		}
		if (s.name ==
		    "vmm") { /* the VMM's work, or the vCPU waiting for it */
			EXPECT_TRUE(s.track == "VM0/VMM" ||
				    s.track == "VM0/vCPU0")
				<< s.track;
		}
	}
	/* 1 page + ATS: PROD exit and CONS-poll exit for each of the two SYNCs */
	EXPECT_EQ(res.exits, 8u);
	EXPECT_EQ(res.ioctls,
		  4u); /* one per TLBI / ATC_INV, SYNC completed locally */
	EXPECT_GT(res.stage_mean[WL_STAGE_EXIT], 0.0);
	expect_partition(res);
}

TEST_F(Paths, TrapRewritesVmidAndSidInTheHostIoctl)
{
	Recorder rec;
	pt.path = WL_PATH_TRAP;
	pt.iterations = 3;
	pt.vms = 2;
	Result res = run(&rec);
	unsigned guest = 0, host = 0;
	for (const Cmd &c : rec.cmds) {
		struct cmd d = decode(c.dw);
		if (d.opcode == CMDQ_OP_SYNC)
			continue;
		ASSERT_GE(c.vm, 0);
		if (c.site == WL_SITE_GUEST) {
			guest++;
			if (d.opcode == CMDQ_OP_TLBI_NH_VA) {
				EXPECT_EQ(d.vmid, 0u)
					<< "a Linux guest writes VMID 0";
			}
			if (d.opcode == CMDQ_OP_ATC_INV) {
				EXPECT_EQ(d.sid, 0x8u) << "virtual SID";
			}
			continue;
		}
		host++;
		if (d.opcode == CMDQ_OP_TLBI_NH_VA) {
			EXPECT_EQ(d.vmid, (unsigned)c.vm + 1)
				<< "the VM's S2 VMID";
		}
		if (d.opcode == CMDQ_OP_ATC_INV) {
			EXPECT_EQ(d.sid, 0x100u + (unsigned)c.vm)
				<< "physical SID";
		}
		/* written inside the VMM thread's ioctl stage */
		std::string track = "VM" + std::to_string(c.vm) + "/VMM";
		bool inside = false;
		for (const Span &s : rec.spans)
			if (s.track == track && s.name == "ioctl" &&
			    s.start <= c.t && c.t <= s.end)
				inside = true;
		EXPECT_TRUE(inside) << "host command at " << c.t << " outside "
				    << track << " ioctl";
	}
	EXPECT_EQ(guest, 2u * 3u * 2u);
	EXPECT_EQ(host, guest);
	/* and the hardware saw the rewritten commands on the SMMU CMDQ */
	std::set<unsigned> vmids;
	for (const cmdqv_trace_rec &r : rec.cmd_recs) {
		struct cmd d = decode(r.dw);
		EXPECT_EQ(r.queue, CMDQV_QUEUE_SMMU);
		if (d.opcode == CMDQ_OP_TLBI_NH_VA)
			vmids.insert(d.vmid);
	}
	EXPECT_EQ(vmids, (std::set<unsigned>{ 1u, 2u }));
}

TEST_F(Paths, TwoVcpusOfOneVmContendAtTheVmm)
{
	pt.path = WL_PATH_TRAP;
	pt.granule_pages = 16;
	pt.iterations = 15;
	Result one = run();
	pt.threads = 2;
	Result two = run();
	EXPECT_GT(two.mean_latency, one.mean_latency * 1.1);
	/* the extra time is queueing for the one VMM thread, directly or behind the
         * previous owner's trapped PROD write (owner hand-off, arm-smmu-v3.c:
         * arm_smmu_cmdq_issue_cmdlist()) */
	EXPECT_GT(two.stage_mean[WL_STAGE_VMM],
		  one.stage_mean[WL_STAGE_VMM] * 1.5);
	EXPECT_GT(two.stage_mean[WL_STAGE_VMM] +
			  two.stage_mean[WL_STAGE_HOST_QUEUE_WAIT] -
			  one.stage_mean[WL_STAGE_VMM] -
			  one.stage_mean[WL_STAGE_HOST_QUEUE_WAIT],
		  0.5 * (two.mean_latency - one.mean_latency));
	expect_partition(two);
}

TEST_F(Paths, DirectVmsOnSeparateVintfsDoNotSlowEachOtherDown)
{
	Recorder rec;
	pt.path = WL_PATH_DIRECT;
	pt.granule_pages = 16;
	pt.iterations = 15;
	Result one = run();
	pt.vms = 2;
	Result two = run(&rec);
	EXPECT_LT(two.mean_latency, one.mean_latency * 1.05);
	std::map<unsigned, std::set<int32_t>>
		queues_of_vm; /* by the VMID forced by HW */
	std::set<uint32_t> vms;
	for (size_t i = 0; i < two.count; i++)
		vms.insert(two.samples[i].vm);
	EXPECT_EQ(vms, (std::set<uint32_t>{ 0u, 1u }));
	std::set<int32_t> queues;
	for (const cmdqv_trace_rec &r : rec.cmd_recs)
		queues.insert(r.queue);
	EXPECT_EQ(queues.size(), 2u); /* one LVCMDQ per VM (1 vCPU each) */
	EXPECT_EQ(queues.count(CMDQV_QUEUE_SMMU), 0u);

	/* trap with two vCPUs in one VM, same point: slows down */
	pt.path = WL_PATH_TRAP;
	pt.vms = 1;
	Result t1 = run();
	pt.threads = 2;
	Result t2 = run();
	EXPECT_GT(t2.mean_latency / t1.mean_latency,
		  two.mean_latency / one.mean_latency);
}

/* Each actor does one thing at a time: its spans never overlap (timeline). */
TEST_F(Paths, SpansOfOneTrackDoNotOverlap)
{
	for (enum wl_path path :
	     { WL_PATH_DIRECT, WL_PATH_TRAP, WL_PATH_EVENTFD, WL_PATH_HOST }) {
		Recorder rec;
		on(path, 3);
		pt.granule_pages = 70;
		pt.iterations = 5;
		pt.host_background = 300000;
		Result res = run(&rec);
		std::map<std::string, std::vector<Span>> by;
		for (const Span &s : rec.spans) {
			EXPECT_LT(s.start, s.end);
			by[s.track].push_back(s);
		}
		EXPECT_GE(by.size(), 3u);
		for (auto &kv : by) {
			std::stable_sort(kv.second.begin(), kv.second.end(),
					 [](const Span &a, const Span &b) {
						 return a.start < b.start;
					 });
			for (size_t i = 1; i < kv.second.size(); i++) {
				ASSERT_GE(kv.second[i].start,
					  kv.second[i - 1].end)
					<< wl_path_name(path) << " " << kv.first
					<< ": " << kv.second[i - 1].name
					<< " overlaps " << kv.second[i].name;
			}
		}
		expect_partition(res);
	}
}

/* Queues smaller than what the threads submit: submitters wait for space,
 * no entry is overwritten before it is consumed, every command is forwarded. */
TEST_F(Paths, FullQueuesMakeSubmittersWaitNotOverwrite)
{
	sw.queue_log2size = 8; /* 256 entries */
	pt.iterations = 2;
	on(WL_PATH_HOST, 16);
	pt.granule_pages = 64; /* 16 x 65 entries in flight */
	Result h = run();
	EXPECT_EQ(h.count, 32u);
	expect_partition(h);
	EXPECT_GT(h.stage_mean[WL_STAGE_HOST_QUEUE_WAIT], 0.0);

	on(WL_PATH_TRAP, 5);
	pt.granule_pages = 100; /* 5 x 104 guest entries > 256 */
	Result t = run();
	EXPECT_EQ(t.count, 10u);
	/* per unmap: 100 TLBIs (64 without SYNC, 36 + SYNC), ATC_INV + SYNC; an ioctl
         * per TLBI/ATC_INV */
	EXPECT_EQ(t.ioctls, 10u * 101u);
	EXPECT_EQ(t.guest_cmds, 10u * 103u);
	EXPECT_EQ(t.host_cmds, 2u * t.ioctls);
	expect_partition(t);
}

TEST_F(Paths, SameSeedGivesIdenticalSamples)
{
	on(WL_PATH_TRAP, 2);
	pt.host_background = 100000;
	Result a = run();
	Result b = run();
	ASSERT_EQ(a.count, b.count);
	EXPECT_EQ(memcmp(a.samples, b.samples, a.count * sizeof(wl_sample)), 0);
	pt.seed = 99;
	Result c = run();
	ASSERT_EQ(a.count, c.count);
	EXPECT_NE(memcmp(a.samples, c.samples, a.count * sizeof(wl_sample)), 0);
}

/* Count commands per opcode written by the guest in one unmap. */
std::map<uint8_t, unsigned> guest_cmds_per_unmap(const Recorder &rec,
						 unsigned unmaps)
{
	std::map<uint8_t, unsigned> n;
	for (const Cmd &c : rec.cmds)
		if (c.site == WL_SITE_GUEST)
			n[cmd_opcode(c.dw[0])]++;
	for (auto &kv : n)
		kv.second /= unmaps;
	return n;
}

TEST_F(Paths, LinuxCommandStreamPerPageBatchesAndRanges)
{
	Recorder rec;
	pt.path = WL_PATH_DIRECT;
	pt.iterations = 2;
	pt.granule_pages =
		65; /* one full batch of 64 issued without SYNC, then 1 + SYNC */
	Result res = run(&rec);
	auto n = guest_cmds_per_unmap(rec, 2);
	EXPECT_EQ(n[CMDQ_OP_TLBI_NH_VA], 65u);
	EXPECT_EQ(n[CMDQ_OP_SYNC],
		  2u); /* TLBI SYNC + ATC SYNC: the full batch had none */
	EXPECT_EQ(n[CMDQ_OP_ATC_INV], 1u);
	/* ATC_INV comes after the TLBI SYNC, as its own batch */
	std::vector<uint8_t> ops;
	for (const Cmd &c : rec.cmds)
		ops.push_back(cmd_opcode(c.dw[0]));
	ASSERT_GE(ops.size(), 68u);
	EXPECT_EQ(ops[65], CMDQ_OP_SYNC);
	EXPECT_EQ(ops[66], CMDQ_OP_ATC_INV);
	EXPECT_EQ(ops[67], CMDQ_OP_SYNC);
	struct cmd atc = decode(rec.cmds[66].dw);
	EXPECT_EQ(
		atc.size,
		7u); /* 65 pages -> 128-page aligned span (arm-smmu-v3.c: arm_smmu_atc_inv_to_cmd()) */
	expect_partition(res);

	Recorder rr;
	pt.ril = true;
	pt.ats = false;
	pt.granule_pages = 64;
	res = run(&rr);
	n = guest_cmds_per_unmap(rr, 2);
	EXPECT_EQ(n[CMDQ_OP_TLBI_NH_VA], 1u); /* 64 pages: NUM=0, SCALE=6 */
	EXPECT_EQ(n[CMDQ_OP_ATC_INV], 0u);
	EXPECT_EQ(n[CMDQ_OP_SYNC], 1u);
	struct cmd t = decode(rr.cmds[0].dw);
	EXPECT_EQ(t.tg, 1u);
	EXPECT_EQ(t.scale, 6u);
	EXPECT_EQ(t.num, 0u);
	EXPECT_EQ(cmd_tlbi_range_pages(&t), 64u);
	EXPECT_EQ(res.stage_mean[WL_STAGE_ATC], 0.0);
}

TEST_F(Paths, HostPathUsesSmmuCmdqOrVintf0Queues)
{
	Recorder smmu, vq;
	on(WL_PATH_HOST, 2);
	Result a = run(&smmu);
	for (const cmdqv_trace_rec &r : smmu.cmd_recs)
		EXPECT_EQ(r.queue, CMDQV_QUEUE_SMMU);
	for (const Cmd &c : smmu.cmds)
		EXPECT_EQ(c.site, WL_SITE_HOST);
	EXPECT_EQ(a.exits, 0u);
	expect_partition(a);
	pt.host_queues = 2;
	Result b = run(&vq);
	std::set<int32_t> queues;
	for (const cmdqv_trace_rec &r : vq.cmd_recs)
		queues.insert(r.queue);
	EXPECT_EQ(queues.size(), 2u); /* cpu % 2 */
	EXPECT_EQ(queues.count(CMDQV_QUEUE_SMMU), 0u);
	expect_partition(b);
}

TEST_F(Paths, EventfdExitsOnlyIntoTheKernel)
{
	Recorder rec;
	pt.path = WL_PATH_EVENTFD;
	pt.granule_pages = 16;
	Result ev = run(&rec);
	EXPECT_EQ(ev.ioctls, 0u);
	EXPECT_GT(ev.exits, 0u);
	bool kthread = false;
	for (const Span &s : rec.spans)
		kthread |= s.track == "VM0/kthread";
	EXPECT_TRUE(kthread);
	/* the kernel thread batches: fewer host SYNCs than guest commands */
	unsigned host_syncs = 0;
	for (const Cmd &c : rec.cmds)
		if (c.site == WL_SITE_HOST &&
		    cmd_opcode(c.dw[0]) == CMDQ_OP_SYNC)
			host_syncs++;
	EXPECT_EQ(host_syncs, 2u * 20u);
	pt.path = WL_PATH_TRAP;
	Result tr = run();
	EXPECT_LT(ev.mean_latency, tr.mean_latency);
	expect_partition(ev);
}

TEST_F(Paths, DurationStopsNewUnmaps)
{
	pt.path = WL_PATH_DIRECT;
	pt.iterations = 100000; /* cap */
	pt.duration = SIM_US(200);
	Result res = run();
	EXPECT_GT(res.count, 5u);
	EXPECT_LT(res.count, 200u);
	for (size_t i = 0; i < res.count; i++)
		EXPECT_LT(res.samples[i].start - res.t_start, SIM_US(200));
	EXPECT_GT(res.throughput, 0.0);
}

} // namespace

namespace
{

TEST(PathParams, EveryParameterIsDocumentedInTheTimingModel)
{
	FILE *f = fopen(CMDQV_SOURCE_DIR "/docs/timing-model.md", "rb");
	ASSERT_NE(f, nullptr) << "docs/timing-model.md missing";
	std::string doc;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		doc.append(buf, n);
	fclose(f);
	for (size_t i = 0; i < wl_param_count(); i++) {
		std::string key =
			std::string("`") + wl_param_info(i)->key + "`";
		EXPECT_NE(doc.find(key), std::string::npos)
			<< key << " not documented";
	}
	for (unsigned s = 0; s < WL_STAGE_COUNT; s++) {
		std::string key =
			std::string("`") + wl_stage_name((wl_stage)s) + "`";
		EXPECT_NE(doc.find(key), std::string::npos)
			<< key << " not documented";
	}
}

} // namespace

namespace
{

/* Heap in use at each progress report (glibc mallinfo2), without allocating. */
struct HeapProbe {
	size_t used[128];
	unsigned n = 0;

	static void progress(void *ctx, uint64_t, uint64_t)
	{
		auto *p = static_cast<HeapProbe *>(ctx);
		if (p->n < 128)
			p->used[p->n++] = mallinfo2().uordblks;
	}
};

TEST(PathsHeap, NoAllocationWhileTheWorkloadRuns)
{
	cmdqv_config hw;
	path_params sw;
	wl_point pt;
	char err[256];
	cmdqv_config_defaults(&hw);
	wl_params_defaults(&sw);
	wl_point_defaults(&pt);
	pt.iterations = 150;
	pt.threads = 2;
	pt.granule_pages = 8;
	pt.host_background = 200000;
	for (enum wl_path path :
	     { WL_PATH_DIRECT, WL_PATH_TRAP, WL_PATH_EVENTFD, WL_PATH_HOST }) {
		HeapProbe probe;
		wl_observer obs = {};
		obs.ctx = &probe;
		obs.progress = HeapProbe::progress;
		pt.path = path;
		wl_result res;
		ASSERT_EQ(wl_run(&hw, &sw, &pt, &obs, &res, err, sizeof(err)),
			  CMDQV_OK)
			<< err;
		ASSERT_GT(probe.n, 10u);
		for (unsigned i = 1; i < probe.n; i++)
			EXPECT_EQ(probe.used[i], probe.used[0])
				<< wl_path_name(path)
				<< ": heap grew during the run (report " << i
				<< ")";
		wl_result_free(&res);
	}
}

} // namespace
