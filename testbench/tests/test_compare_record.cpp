/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_compare_record.cpp - `cmdqv-sim compare --record FILE` (issue #5):
 * the workload's observer hooks feed a tb_recorder with every register
 * access and every queue entry before the PROD write that publishes it; the
 * recording holds one platform instance per point (reset + phase), replays
 * to the same command stream per point at either pace (also when the run
 * wraps its queues), with no poll timeout when several CPUs poll CONS
 * registers, re-records to a fixed point, and changes no result of the run.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <tuple>
#include <unistd.h>
#include <vector>

#include "cmdqv_sim/config.h"
#include "cmdqv_sim/status.h"
#include "paths.h"
#include "tb_replay.h"
#include "tb_trace.h"
#include "test_util.h"

namespace
{

const std::string kBin = CMDQV_BIN_DIR "/cmdqv-sim";

/* `cmdqv-sim compare ARGS`; exit status, stderr in *err. */
int compare(const std::string &args, std::string *err = nullptr)
{
	RunResult r = run_captured("'" + kBin + "' compare " + args);
	if (err)
		*err = r.err;
	return r.status;
}

/* `compare --out D/o ARGS --record TRACE` in the directory @d: its exit
 * status (its stderr in *@err). */
int compare_recording(const std::string &d, const std::string &args,
		      const std::string &trace, std::string *err = nullptr)
{
	return compare("--out '" + d + "/o' " + args + " --record '" + trace +
			       "'",
		       err);
}

/** One point of a recording: its reset/phase and its records. */
struct Point {
	std::string phase;
	uint32_t phase_id = 0;
	size_t reset_items = 0;
	std::vector<tb_trace_rec> recs;
};

/* Read @path into points: a new one at every reset record (and the first). */
std::vector<Point> read_points(const std::string &path,
			       size_t *platform_items = nullptr)
{
	std::vector<Point> pts(1);
	for (const tb_trace_rec &x : read_trace(path, platform_items)) {
		if (x.kind == TB_TR_RESET) {
			pts.emplace_back();
			pts.back().reset_items = x.count;
			continue;
		}
		if (x.kind == TB_TR_PHASE && pts.back().phase.empty()) {
			pts.back().phase = x.name;
			pts.back().phase_id = x.phase_id;
		}
		pts.back().recs.push_back(x);
	}
	return pts;
}

/* The points of the recording `compare ARGS --record D/NAME` writes in the
 * directory @d (the run failing fails the test). */
std::vector<Point> recorded(const std::string &d, const std::string &args,
			    const std::string &name)
{
	std::string err;
	EXPECT_EQ(compare_recording(d, args, d + "/" + name, &err), 0) << err;
	return read_points(d + "/" + name);
}

/* "queue pos w0 w1" of every cmd record of @p, in order. */
std::vector<std::string> cmd_stream(const Point &p)
{
	std::vector<std::string> v;
	for (const auto &x : p.recs)
		if (x.kind == TB_TR_CMD) {
			char b[128];
			snprintf(b, sizeof(b), "%d %x %016llx %016llx", x.queue,
				 x.pos, (unsigned long long)x.words[0],
				 (unsigned long long)x.words[1]);
			v.push_back(b);
		}
	return v;
}

std::map<unsigned, uint64_t> opcodes(const std::vector<Point> &pts)
{
	std::map<unsigned, uint64_t> m;
	for (const auto &p : pts)
		for (const auto &x : p.recs)
			if (x.kind == TB_TR_CMD)
				m[cmd_opcode(x.words[0])]++;
	return m;
}

/* Replay @in on the host path, recording to @out (may be empty). */
tb_replay_result *replay(const std::string &in, const std::string &out,
			 bool paced = false)
{
	tb_replay_options o = replay_options(in);
	o.pace_recorded = paced;
	o.record = out.empty() ? nullptr : out.c_str();
	auto *res = new tb_replay_result;
	char e[512] = "";
	EXPECT_EQ(tb_replay_run(&o, res, e, sizeof(e)), CMDQV_OK) << e;
	return res;
}

/* ---- the observer hooks, without the CLI ---- */

/** A recorder attached through the wl_observer hooks, plus what the model consumed. */
struct Hooked {
	tb_recorder *rec = nullptr;
	std::string path;
	std::vector<std::string> tracks;
	std::map<int32_t, std::vector<std::tuple<uint32_t, uint64_t, uint64_t>>>
		consumed;
	int opened = 0;
	static void memory(void *ctx, tb_mem *mem, const cmdqv_config *hw)
	{
		auto *h = static_cast<Hooked *>(ctx);
		char e[256];
		if (!h->rec) {
			EXPECT_EQ(tb_recorder_open(&h->rec, h->path.c_str(),
						   mem, hw, e, sizeof(e)),
				  CMDQV_OK)
				<< e;
		} else {
			tb_recorder_reset_platform(h->rec, mem, hw);
		}
		h->opened++;
	}
	static void access(void *ctx, const char *track)
	{
		static_cast<Hooked *>(ctx)->tracks.push_back(track);
	}
	static void trace(void *ctx, const cmdqv_trace_rec *r)
	{
		auto *h = static_cast<Hooked *>(ctx);
		if (r->kind == CMDQV_TR_CMD)
			h->consumed[r->queue].emplace_back(r->pos, r->dw[0],
							   r->dw[1]);
		if (h->rec)
			tb_recorder_trace(h->rec, r);
	}
	wl_observer observer()
	{
		/* ctx; no progress, span or command; trace, memory, access;
		 * no issue */
		return { this,	nullptr, nullptr, nullptr,
			 trace, memory,	 access,  nullptr };
	}
};

class HookRecord : public ::testing::TestWithParam<
			   std::tuple<wl_path, uint32_t, uint32_t>> {};

/* Every command the model consumed is a cmd record (same queue, position and
 * words), and every register access is announced by its actor. */
TEST_P(HookRecord, EveryConsumedCommandIsRecordedBeforeItsProdWrite)
{
	cmdqv_config hw;
	path_params sw;
	wl_point pt;
	cmdqv_config_defaults(&hw);
	wl_params_defaults(&sw);
	wl_point_defaults(&pt);
	pt.path = std::get<0>(GetParam());
	pt.threads = std::get<1>(GetParam());
	pt.host_queues = std::get<2>(GetParam());
	pt.granule_pages = 3;
	pt.iterations = 6;
	Hooked h;
	const TempDir dir("cmprec");
	h.path = dir + "/hook.trace";
	wl_observer o = h.observer();
	wl_result res;
	char err[256] = "";
	ASSERT_EQ(wl_run(&hw, &sw, &pt, &o, &res, err, sizeof(err)), CMDQV_OK)
		<< err;
	uint64_t hw_cmds = res.host_cmds +
			   (pt.path == WL_PATH_DIRECT ? res.guest_cmds : 0);
	wl_result_free(&res);
	ASSERT_NE(h.rec, nullptr);
	EXPECT_EQ(h.opened, 1);
	ASSERT_EQ(tb_recorder_close(h.rec, err, sizeof(err)), CMDQV_OK) << err;
	ASSERT_FALSE(h.tracks.empty());
	EXPECT_EQ(h.tracks.front(), "host"); /* the bring-up */
	bool actor = false;
	for (const auto &t : h.tracks)
		actor |= t.find('/') != std::string::npos;
	EXPECT_TRUE(actor);

	auto pts = read_points(h.path);
	ASSERT_EQ(pts.size(), 1u);
	std::map<int32_t, std::vector<std::tuple<uint32_t, uint64_t, uint64_t>>>
		recorded;
	size_t n = 0;
	int32_t last_q = 0;
	bool pending = false;
	for (const auto &x : pts[0].recs) {
		if (x.kind == TB_TR_CMD) {
			recorded[x.queue].emplace_back(x.pos, x.words[0],
						       x.words[1]);
			n++;
			last_q = x.queue;
			pending = true;
		} else if (pending) {
			/* the records right after a queue's entries: its PROD write */
			EXPECT_EQ(x.kind, TB_TR_WR);
			pending = false;
		}
	}
	(void)last_q;
	EXPECT_EQ(n, hw_cmds);
	EXPECT_EQ(recorded, h.consumed);
	std::remove(h.path.c_str());
	rmdir(dir.c_str());
}

INSTANTIATE_TEST_SUITE_P(
	Paths, HookRecord,
	::testing::Values(std::make_tuple(WL_PATH_HOST, 2u, 0u),
			  std::make_tuple(WL_PATH_HOST, 3u, 2u),
			  std::make_tuple(WL_PATH_DIRECT, 2u, 0u),
			  std::make_tuple(WL_PATH_TRAP, 2u, 0u),
			  std::make_tuple(WL_PATH_EVENTFD, 1u, 0u)));

/* ---- the CLI ---- */

const std::string kPoints =
	" --threads 1,2 --granules 1,4 --iterations 4 --quiet";

class CompareRecord : public ::testing::Test {
    protected:
	static void SetUpTestSuite()
	{
		dir_ = temp_dir("cmprec");
		std::string err;
		std::string common =
			" --paths host,direct,trap,eventfd" + kPoints;
		status_plain_ =
			compare("--out '" + dir_ + "/plain' --timeline '" +
					dir_ + "/plain.json'" + common,
				&err);
		status_rec_ = compare("--out '" + dir_ + "/rec' --timeline '" +
					      dir_ + "/rec.json' --record '" +
					      dir_ + "/rec.trace'" + common,
				      &err_rec_);
	}
	static void TearDownTestSuite()
	{
		remove_tree(dir_);
	}
	static std::string dir_, err_rec_;
	static int status_plain_, status_rec_;
};
std::string CompareRecord::dir_, CompareRecord::err_rec_;
int CompareRecord::status_plain_, CompareRecord::status_rec_;

TEST_F(CompareRecord, ResultsAreByteIdenticalWithAndWithoutRecording)
{
	ASSERT_EQ(status_plain_, 0);
	ASSERT_EQ(status_rec_, 0) << err_rec_;
	EXPECT_EQ(err_rec_, "");
	std::string a = slurp(dir_ + "/plain/summary.json");
	ASSERT_FALSE(a.empty());
	EXPECT_EQ(slurp(dir_ + "/rec/summary.json"), a);
	EXPECT_EQ(slurp(dir_ + "/rec/samples.csv"),
		  slurp(dir_ + "/plain/samples.csv"));
	std::string tl = slurp(dir_ + "/plain.json");
	ASSERT_FALSE(tl.empty());
	EXPECT_EQ(slurp(dir_ + "/rec.json"), tl);
	EXPECT_FALSE(exists(dir_ + "/.rec.trace.tmp"));
}

TEST_F(CompareRecord, OnePlatformInstancePerPoint)
{
	ASSERT_EQ(status_rec_, 0) << err_rec_;
	size_t plat = 0;
	auto pts = read_points(dir_ + "/rec.trace", &plat);
	EXPECT_GT(plat, 10u); /* every hardware parameter */
	/* 4 paths x 2 x 2 grid points, then the claim check: 8 thread counts x 4 runs */
	ASSERT_EQ(pts.size(), 16u + 32u);
	EXPECT_EQ(pts[0].reset_items, 0u);
	for (size_t i = 0; i < pts.size(); i++) {
		if (i) {
			EXPECT_EQ(pts[i].reset_items, plat) << i;
		}
		EXPECT_EQ(pts[i].phase_id, i);
		ASSERT_FALSE(pts[i].recs.empty());
		EXPECT_EQ(pts[i].recs.front().kind, TB_TR_PHASE) << i;
		EXPECT_FALSE(cmd_stream(pts[i]).empty()) << i;
		/* the bring-up programs the SMMU first: CR0 = 0 */
		ASSERT_GT(pts[i].recs.size(), 1u);
		EXPECT_EQ(pts[i].recs[1].kind, TB_TR_WR);
		EXPECT_EQ(pts[i].recs[1].offset, 0x20u);
		EXPECT_STREQ(pts[i].recs[1].src, "host");
	}
	EXPECT_EQ(pts[0].phase, "host-t1-g1");
	EXPECT_EQ(pts[5].phase, "direct-t1-g4");
	EXPECT_EQ(pts[15].phase, "eventfd-t2-g4");
	EXPECT_EQ(pts[16].phase, "claim-host-smmu-t1");
	EXPECT_EQ(pts[47].phase, "claim-host-vintf0-t16-noats");
	/* direct points write their guests' LVCMDQs, sources are the vCPUs */
	bool vcmdq = false, vcpu = false;
	for (const auto &x : pts[6].recs) {
		vcmdq |= x.kind == TB_TR_CMD && x.queue >= 0;
		vcpu |= !strcmp(x.src, "VM0.vCPU1");
	}
	EXPECT_TRUE(vcmdq);
	EXPECT_TRUE(vcpu);
}

TEST_F(CompareRecord, ReplayGivesTheSameCommandStreamPerPoint)
{
	ASSERT_EQ(status_rec_, 0) << err_rec_;
	std::string in = dir_ + "/rec.trace", again = dir_ + "/again.trace";
	auto pts = read_points(in);
	tb_replay_result *res = replay(in, again);
	auto back = read_points(again);
	ASSERT_EQ(back.size(), pts.size());
	uint64_t total = 0;
	for (size_t i = 0; i < pts.size(); i++) {
		EXPECT_EQ(back[i].phase, pts[i].phase);
		EXPECT_EQ(cmd_stream(back[i]), cmd_stream(pts[i]))
			<< pts[i].phase;
		total += cmd_stream(pts[i]).size();
		ASSERT_LT(i, res->nphases);
		EXPECT_EQ(res->phases[i].commands, cmd_stream(pts[i]).size())
			<< pts[i].phase;
	}
	EXPECT_EQ(res->nphases, pts.size());
	EXPECT_EQ(res->commands, total);
	EXPECT_EQ(res->cmd_errors, 0u);
	EXPECT_EQ(res->incomplete, 0u);
	EXPECT_EQ(res->injected, 0u);
	auto ops = opcodes(pts);
	for (unsigned op = 0; op < 256; op++)
		EXPECT_EQ(res->by_opcode[op], ops.count(op) ? ops[op] : 0u)
			<< op;
	EXPECT_EQ(ops.size(), 3u); /* TLBI_NH_VA, ATC_INV, CMD_SYNC */
	delete res;
}

/* With one CONS register polled per point (the SMMU CMDQ: host, trap, eventfd
 * without CMDQ-V), re-recording a replay reproduces it byte for byte. */
TEST(CompareRecordCli, ReplayRecordIsAFixedPoint)
{
	const TempDir d("cmprec");
	std::string err;
	ASSERT_EQ(compare_recording(d,
				    std::string("--paths host,trap,eventfd "
						"--set cmdqv=0") +
					    kPoints,
				    d + "/r1.trace", &err),
		  0)
		<< err;
	delete replay(d + "/r1.trace", d + "/r2.trace");
	delete replay(d + "/r2.trace", d + "/r3.trace");
	std::string r2 = slurp(d + "/r2.trace");
	ASSERT_FALSE(r2.empty());
	EXPECT_EQ(slurp(d + "/r3.trace"), r2);
	auto p1 = read_points(d + "/r1.trace"),
	     p2 = read_points(d + "/r2.trace");
	ASSERT_EQ(p1.size(), 12u); /* no claim check without CMDQ-V */
	ASSERT_EQ(p2.size(), p1.size());
	for (size_t i = 0; i < p1.size(); i++)
		EXPECT_EQ(cmd_stream(p2[i]), cmd_stream(p1[i])) << i;
}

/*
 * The replay @res of the points @pts recorded @back: per point, the same
 * command stream, all of it counted in that point's phase (@wrapped: more
 * than 2048 commands, the 1024-entry queue wrapped). Their total.
 */
size_t expect_same_streams(const std::vector<Point> &pts,
			   const std::vector<Point> &back,
			   const tb_replay_result *res, bool wrapped)
{
	size_t total = 0;
	for (size_t i = 0; i < pts.size() && i < back.size(); i++) {
		auto s = cmd_stream(pts[i]);
		if (wrapped) {
			EXPECT_GT(s.size(), 2048u) << pts[i].phase;
		}
		EXPECT_EQ(cmd_stream(back[i]), s) << pts[i].phase;
		EXPECT_EQ(res->phases[i].commands, s.size()) << pts[i].phase;
		total += s.size();
	}
	return total;
}

/* A run long enough to wrap the SMMU CMDQ many times on paths whose CPUs wait
 * for their SYNC in memory (MSI polling: nothing in the trace shows the wait),
 * replayed at the recorded pace: every command consumed, none overwritten. */
TEST(CompareRecordCli, PacedReplayOfAWrappingRunKeepsEveryCommand)
{
	const TempDir d("cmprec");
	auto pts = recorded(d,
			    "--paths trap,eventfd --threads 2 --granules 16 "
			    "--iterations 60 --quiet --set cmdqv=0",
			    "r.trace");
	ASSERT_EQ(pts.size(), 2u);
	tb_replay_result *res =
		replay(d + "/r.trace", d + "/again.trace", true);
	auto back = read_points(d + "/again.trace");
	ASSERT_EQ(back.size(), pts.size());
	size_t total = expect_same_streams(pts, back, res, true);
	EXPECT_EQ(res->hw_commands, total);
	EXPECT_EQ(res->cmd_errors, 0u);
	EXPECT_EQ(res->incomplete, 0u);
	delete res;
}

/* The same kind of run at the default pace (as soon as possible): replay
 * itself waits, like Linux's submission, for a queue entry to be consumed
 * (and for the CMD_SYNC MSI Linux points at the SYNC's own entry) before it
 * stores a new command there.  Every recorded command is consumed exactly
 * once, in order, per point; nothing is overwritten (no ILL, no incomplete
 * batch). */
TEST(CompareRecordCli, AsapReplayOfAWrappingRunKeepsEveryCommand)
{
	const TempDir d("cmprec");
	auto pts = recorded(d,
			    "--paths host,trap --threads 1,2 --granules 64 "
			    "--iterations 40 --quiet --set cmdqv=0",
			    "r.trace");
	ASSERT_EQ(pts.size(), 4u);
	tb_replay_result *res = replay(d + "/r.trace", d + "/again.trace");
	auto back = read_points(d + "/again.trace");
	ASSERT_EQ(back.size(), pts.size());
	ASSERT_EQ(res->nphases, pts.size());
	size_t total = expect_same_streams(pts, back, res, true);
	EXPECT_EQ(res->commands, total);
	EXPECT_EQ(res->hw_commands, total);
	auto ops = opcodes(pts);
	for (unsigned op = 0; op < 256; op++)
		EXPECT_EQ(res->by_opcode[op], ops.count(op) ? ops[op] : 0u)
			<< op;
	EXPECT_EQ(res->cmd_errors, 0u);
	EXPECT_EQ(res->recoveries, 0u);
	EXPECT_EQ(res->incomplete, 0u);
	EXPECT_GT(res->queue_waits, 0u); /* the wait was needed */
	delete res;
}

/* Several CPUs polling CONS registers (direct with 4 vCPUs on their LVCMDQs,
 * host on VINTF0's LVCMDQs, the claim check's VINTF0 runs with up to 16
 * threads): each CPU's polls are its own records, and a replayed CONS poll
 * waits until the queue consumed past the recorded position, so nothing
 * times out; the command streams stay; re-recording settles after one
 * round (the recording of a replay of a replay is a fixed point). */
TEST(CompareRecordCli, MultiCpuPollsReplayWithoutTimeouts)
{
	const TempDir d("cmprec");
	auto pts = recorded(d,
			    "--paths direct,host --threads 4 --granules 1,4 "
			    "--iterations 6 --host-queues 2 --quiet",
			    "r1.trace");
	ASSERT_EQ(pts.size(), 4u + 32u); /* grid, then the claim check */
	tb_replay_result *res = replay(d + "/r1.trace", d + "/r2.trace");
	EXPECT_EQ(res->poll_timeouts, 0u);
	EXPECT_EQ(res->cmd_errors, 0u);
	EXPECT_EQ(res->incomplete, 0u);
	auto back = read_points(d + "/r2.trace");
	ASSERT_EQ(back.size(), pts.size());
	size_t total = expect_same_streams(pts, back, res, false);
	EXPECT_EQ(res->commands, total);
	delete res;
	res = replay(d + "/r2.trace", d + "/r3.trace");
	EXPECT_EQ(res->poll_timeouts, 0u);
	EXPECT_EQ(res->commands, total);
	delete res;
	delete replay(d + "/r3.trace", d + "/r4.trace");
	std::string r3 = slurp(d + "/r3.trace");
	ASSERT_FALSE(r3.empty());
	EXPECT_EQ(slurp(d + "/r4.trace"), r3);
}

TEST(CompareRecordCli, GzNameWritesACompressedTrace)
{
	const TempDir d("cmprec");
	std::string err;
	std::string gz = d + "/r.trace.gz";
	ASSERT_EQ(compare_recording(d,
				    "--paths host --threads 1 --granules 1 "
				    "--iterations 3 --set cmdqv=0 --quiet",
				    gz, &err),
		  0)
		<< err;
	std::string raw = slurp(gz);
	ASSERT_GE(raw.size(), 2u);
	EXPECT_EQ((unsigned char)raw[0], 0x1fu);
	EXPECT_EQ((unsigned char)raw[1], 0x8bu);
	EXPECT_FALSE(exists(d + "/.r.trace.tmp.gz"));
	auto pts = read_points(gz);
	ASSERT_EQ(pts.size(), 1u);
	EXPECT_EQ(cmd_stream(pts[0]).size(),
		  3u * 4u); /* TLBI + SYNC, ATC_INV + SYNC */
}

TEST(CompareRecordCli, BadPathOrFailedRunLeavesNoRecording)
{
	const TempDir d("cmprec");
	std::string err;
	/* a directory that does not exist: one error, before anything runs */
	EXPECT_EQ(compare("--out '" + d +
				  "/o' --paths host --quiet --record '" + d +
				  "/nodir/r.trace'",
			  &err),
		  2);
	EXPECT_NE(err.find("--record: cannot create"), std::string::npos)
		<< err;
	EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
	EXPECT_FALSE(exists(d + "/o/summary.json"));
	EXPECT_EQ(compare("--out '" + d + "/o' --record ''", &err), 2);
	EXPECT_NE(err.find("--record: empty file name"), std::string::npos)
		<< err;
	/* a point that cannot run: no recording, not even a partial one */
	EXPECT_EQ(compare_recording(
			  d,
			  "--paths host,direct --threads 1 --granules 1 "
			  "--iterations 2 --quiet --set cmdqv=0",
			  d + "/r.trace", &err),
		  2);
	EXPECT_FALSE(exists(d + "/r.trace"));
	EXPECT_FALSE(exists(d + "/.r.trace.tmp"));
}

TEST(CompareRecordCli, HelpDocumentsRecord)
{
	const TempDir dir("cmprec");
	std::string out = dir + "/help";
	ASSERT_EQ(std::system(("'" + kBin + "' compare --help >'" + out + "'")
				      .c_str()),
		  0);
	std::string h = slurp(out);
	EXPECT_NE(h.find("--record FILE"), std::string::npos);
	EXPECT_NE(h.find("reset"), std::string::npos);
	std::remove(out.c_str());
	rmdir(dir.c_str());
}

} // namespace

/*
 * Replay drives the path model: a trace recorded from a host compare point
 * (one CPU, one page, no ATS: one TLBI_NH_VA + CMD_SYNC per unmap, i.e. one
 * batch) replayed on direct, trap and eventfd gives, per batch, the latency
 * of that path's compare point without the dma_unmap CPU work the generator
 * adds (cpu_unmap_base + cpu_unmap_per_page), within the point's noise
 * (3 standard errors of its samples, or 1 %).
 */
TEST(CompareRecordCli, ReplayOnAPathGivesThatPathsComparePointLatency)
{
	const TempDir d("cmprec_lat");
	std::string tr = d + "/host.trace";
	ASSERT_EQ(compare_recording(
			  d,
			  "--paths host --threads 1 --granules 1 --ats off "
			  "--iterations 200 --quiet",
			  tr),
		  0);
	cmdqv_config hw;
	cmdqv_config_defaults(&hw);
	path_params sw;
	wl_params_defaults(&sw);
	for (wl_path p : { WL_PATH_DIRECT, WL_PATH_TRAP, WL_PATH_EVENTFD }) {
		SCOPED_TRACE(wl_path_name(p));
		wl_point pt;
		wl_point_defaults(&pt);
		pt.path = p;
		pt.threads = 1;
		pt.granule_pages = 1;
		pt.ats = false;
		pt.iterations = 200;
		wl_result r;
		char e[512] = "";
		ASSERT_EQ(wl_run(&hw, &sw, &pt, nullptr, &r, e, sizeof(e)),
			  CMDQV_OK)
			<< e;
		double var = 0;
		for (size_t i = 0; i < r.count; i++) {
			double x =
				(double)r.samples[i].latency - r.mean_latency;
			var += x * x;
		}
		double sd = r.count > 1 ?
				    std::sqrt(var / (double)(r.count - 1)) :
				    0.0;
		double want = r.mean_latency - (double)(sw.cpu_unmap_base +
							sw.cpu_unmap_per_page);
		double tol = std::max(3.0 * sd / std::sqrt((double)r.count),
				      0.01 * want);
		wl_result_free(&r);

		tb_replay_options o = replay_options(tr);
		o.path = p;
		auto *res = new tb_replay_result;
		ASSERT_EQ(tb_replay_run(&o, res, e, sizeof(e)), CMDQV_OK) << e;
		/* the first point of the recording is the compare point */
		ASSERT_GE(res->nphases, 1u);
		const tb_replay_phase &ph = res->phases[0];
		EXPECT_EQ(ph.batches, 200u);
		ASSERT_GT(ph.batches, 0u);
		double got = ph.batch_lat_sum / (double)ph.batches;
		EXPECT_NEAR(got, want, tol);
		EXPECT_EQ(res->cmd_errors + res->poll_timeouts +
				  res->incomplete,
			  0u);
		delete res;
	}
}

/*
 * replay --record on a guest path records what the path model's hardware
 * saw (as compare --record does): that recording replays on the host path
 * with every command the first replay's hardware consumed, and no error.
 */
TEST(CompareRecordCli, GuestPathReplayRecordReplaysOnTheHostPath)
{
	const TempDir d("cmprec_guestrec");
	std::string tr = d + "/host.trace";
	ASSERT_EQ(compare_recording(
			  d,
			  "--paths host --threads 1 --granules 4 --ats on "
			  "--iterations 30 --quiet",
			  tr),
		  0);
	for (wl_path p : { WL_PATH_DIRECT, WL_PATH_TRAP, WL_PATH_EVENTFD }) {
		SCOPED_TRACE(wl_path_name(p));
		std::string rec = d + "/" + wl_path_name(p) + ".trace";
		tb_replay_options o = replay_options(tr);
		o.path = p;
		o.record = rec.c_str();
		auto *a = new tb_replay_result;
		char e[512] = "";
		ASSERT_EQ(tb_replay_run(&o, a, e, sizeof(e)), CMDQV_OK) << e;
		tb_replay_result *b = replay(rec, "");
		EXPECT_EQ(b->commands, a->hw_commands);
		EXPECT_GT(b->commands, 0u);
		EXPECT_EQ(b->cmd_errors + b->poll_timeouts + b->incomplete, 0u);
		delete a;
		delete b;
	}
}
