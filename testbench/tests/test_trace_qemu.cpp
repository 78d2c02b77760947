/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_trace_qemu.cpp - import-qemu on the QEMU 7.2 recordings committed
 * under traces/qemu-7.2/ (see traces/README.md) and replay of the result on
 * every path.  A missing recording is a failure, not a skip.
 *
 * Expected values are computed here from commands.csv.gz beside each log
 * (read with zlib), never written into the test: opcode counts, raw words
 * per queue index, batch count (distinct batch ids), phase of every command.
 * Corrupt and truncated logs must be FILE:LINE errors.
 */
#include <unistd.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/status.h"
#include "tb_qemu_import.h"
#include "tb_replay.h"
#include "tb_trace.h"
#include "test_util.h"

namespace
{

const std::string kRecordings =
	std::string(CMDQV_SOURCE_DIR) + "/traces/qemu-7.2";

std::string tmp_path(const std::string &name)
{
	return scratch_path("qemu_" + name);
}

/* All lines of a (gzip or plain) text file. */
std::vector<std::string> gz_lines(const std::string &path)
{
	std::vector<std::string> out;
	gzFile gz = gzopen(path.c_str(), "rb");
	EXPECT_NE(gz, nullptr) << path;
	if (!gz)
		return out;
	char buf[8192];
	while (gzgets(gz, buf, sizeof(buf))) {
		std::string s(buf);
		while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
			s.pop_back();
		out.push_back(s);
	}
	gzclose(gz);
	return out;
}

std::vector<std::string> split(const std::string &s, char sep)
{
	std::vector<std::string> f;
	std::stringstream ss(s);
	std::string x;
	while (std::getline(ss, x, sep))
		f.push_back(x);
	if (!s.empty() && s.back() == sep)
		f.push_back("");
	return f;
}

/** One row of commands.csv: what the capture tooling saw. */
struct CsvCmd {
	uint32_t qidx;
	uint64_t w0, w1;
	std::string phase;
	std::string batch;
};

std::vector<CsvCmd> read_csv(const std::string &dir)
{
	std::vector<std::string> lines =
		gz_lines(kRecordings + "/" + dir + "/commands.csv.gz");
	std::vector<CsvCmd> out;
	if (lines.empty())
		return out;
	std::vector<std::string> hdr = split(lines[0], ',');
	std::map<std::string, size_t> col;
	for (size_t i = 0; i < hdr.size(); i++)
		col[hdr[i]] = i;
	for (const char *need :
	     { "qidx", "raw_w0", "raw_w1", "phase", "batch" })
		EXPECT_TRUE(col.count(need)) << need;
	for (size_t i = 1; i < lines.size(); i++) {
		std::vector<std::string> f = split(lines[i], ',');
		CsvCmd c;
		c.qidx = (uint32_t)std::stoul(f.at(col["qidx"]));
		c.w0 = std::stoull(f.at(col["raw_w0"]), nullptr, 16);
		c.w1 = std::stoull(f.at(col["raw_w1"]), nullptr, 16);
		c.phase = f.at(col["phase"]);
		c.batch = f.at(col["batch"]);
		out.push_back(c);
	}
	return out;
}

/** A command record of an imported trace, with the phase it fell in. */
struct TrCmd {
	tb_trace_rec r;
	std::string phase;
};

std::vector<TrCmd> read_trace_cmds(const std::string &path,
				   uint64_t *batches_nonempty)
{
	std::vector<TrCmd> out;
	std::string phase;
	*batches_nonempty = 0;
	for (const tb_trace_rec &r : read_trace(path)) {
		if (r.kind == TB_TR_PHASE)
			phase = r.name;
		if (r.kind == TB_TR_BATCH && r.count)
			(*batches_nonempty)++;
		if (r.kind == TB_TR_CMD)
			out.push_back({ r, phase });
	}
	return out;
}

/* Import options for @log into @out (both outlive the options), the
 * recordings' 200 ms phase gap, nothing else. */
tb_qemu_options import_options(const std::string &log, const std::string &out)
{
	tb_qemu_options o;

	std::memset(&o, 0, sizeof(o));
	o.log = log.c_str();
	o.out = out.c_str();
	o.phase_gap_us = 200000;
	return o;
}

std::string import(const std::string &dir, bool dump, tb_qemu_summary *s)
{
	std::string out =
		tmp_path(dir + (dump ? "_dump" : "_log") + ".trace.gz");
	std::string log = kRecordings + "/" + dir + "/qemu-smmu-trace.log.gz";
	std::string dmp = kRecordings + "/" + dir + "/cmdq-memory.bin.gz";
	std::string dmesg = kRecordings + "/" + dir + "/guest-dmesg.txt";
	tb_qemu_options o = import_options(log, out);
	o.dump = dump ? dmp.c_str() : nullptr;
	o.dmesg = dmesg.c_str();
	char err[1024] = "";
	EXPECT_EQ(tb_qemu_import(&o, s, err, sizeof(err)), 0) << err;
	return out;
}

uint8_t csv_opcode(const CsvCmd &c)
{
	return cmd_opcode(c.w0);
}

void check_import(const std::string &dir)
{
	std::vector<CsvCmd> csv = read_csv(dir);
	ASSERT_FALSE(csv.empty());
	std::set<std::string> csv_batches;
	uint64_t want_ops[256] = { 0 };
	for (const auto &c : csv) {
		csv_batches.insert(c.batch);
		want_ops[csv_opcode(c)]++;
	}
	for (bool dump : { false, true }) {
		SCOPED_TRACE(dir + (dump ? " with dump" : " log only"));
		auto *s = new tb_qemu_summary;
		std::string tr = import(dir, dump, s);
		uint64_t nb = 0;
		std::vector<TrCmd> got = read_trace_cmds(tr, &nb);
		ASSERT_EQ(got.size(), csv.size());
		EXPECT_EQ(s->commands, csv.size());
		EXPECT_EQ(s->batches, csv_batches.size());
		EXPECT_EQ(nb, csv_batches.size());
		EXPECT_EQ(s->not_understood, 0u);
		for (int op = 0; op < 256; op++)
			EXPECT_EQ(s->by_opcode[op], want_ops[op])
				<< "opcode " << op;
		if (dump) {
			EXPECT_EQ(s->from_dump, csv.size());
			EXPECT_EQ(s->partial, 0u);
		} else {
			EXPECT_GT(s->partial,
				  0u); /* SYNC MSI fields are not in the log */
		}
		for (size_t i = 0; i < csv.size(); i++) {
			const tb_trace_rec &r = got[i].r;
			EXPECT_EQ(r.queue, CMDQV_QUEUE_SMMU);
			EXPECT_EQ(r.pos & 0xffff, csv[i].qidx) << i;
			/* every bit the trace claims to know equals the real word */
			EXPECT_EQ((r.words[0] ^ csv[i].w0) & r.known[0], 0u)
				<< i;
			EXPECT_EQ((r.words[1] ^ csv[i].w1) & r.known[1], 0u)
				<< i;
			if (dump) {
				EXPECT_EQ(r.words[0], csv[i].w0) << i;
				EXPECT_EQ(r.words[1], csv[i].w1) << i;
			}
			/* the opcode is always known and right */
			EXPECT_EQ(r.known[0] & 0xff, 0xffu) << i;
			EXPECT_EQ(got[i].phase, csv[i].phase) << i;
		}
		delete s;
	}
}

} // namespace

TEST(QemuImport, BootRecordingMatchesCommandsCsv)
{
	check_import("boot");
}

TEST(QemuImport, RebindRecordingMatchesCommandsCsv)
{
	check_import("rebind");
}

namespace
{

/* Write @lines (with newlines) to a plain file. */
std::string write_lines(const std::string &name,
			const std::vector<std::string> &lines)
{
	std::string p = tmp_path(name);
	std::ofstream f(p);
	for (const auto &l : lines)
		f << l << "\n";
	return p;
}

std::string import_error(const std::string &log)
{
	std::string out = log + ".out.trace";
	tb_qemu_options o = import_options(log, out);
	auto *s = new tb_qemu_summary;
	char err[1024] = "";
	EXPECT_EQ(tb_qemu_import(&o, s, err, sizeof(err)), 2);
	delete s;
	std::ifstream partial(out);
	EXPECT_FALSE(partial.good()) << "partial output left behind";
	return err;
}

size_t find_line(const std::vector<std::string> &lines,
		 const std::string &needle, size_t from = 0)
{
	for (size_t i = from; i < lines.size(); i++)
		if (lines[i].find(needle) != std::string::npos)
			return i;
	return std::string::npos;
}

} // namespace

TEST(QemuImport, CorruptLogsAreFileLineErrors)
{
	std::vector<std::string> lines =
		gz_lines(kRecordings + "/boot/qemu-smmu-trace.log.gz");
	ASSERT_GT(lines.size(), 100u);

	/* a line that is not a trace line */
	auto bad = lines;
	bad[41] = "this is not a trace line";
	std::string p = write_lines("garbage.log", bad);
	std::string e = import_error(p);
	EXPECT_EQ(e.rfind(p + ":42: error:", 0), 0u) << e;

	/* a queue index that jumps backwards */
	size_t i = find_line(lines, "smmuv3_cmdq_consume prod=10 cons=9 ");
	ASSERT_NE(i, std::string::npos);
	bad = lines;
	bad[i].replace(bad[i].find("cons=9 "), 7, "cons=7 ");
	p = write_lines("backwards.log", bad);
	e = import_error(p);
	EXPECT_EQ(e.rfind(p + ":" + std::to_string(i + 1) +
				  ": error: non-monotonic",
			  0),
		  0u)
		<< e;

	/* malformed arguments of an event the importer needs */
	i = find_line(lines, "smmuv3_write_mmio addr: 0x98");
	bad = lines;
	bad[i] = bad[i].substr(0, bad[i].find("size:"));
	p = write_lines("args.log", bad);
	e = import_error(p);
	EXPECT_EQ(
		e.rfind(p + ":" + std::to_string(i + 1) + ": error: malformed",
			0),
		0u)
		<< e;

	/* cut inside a batch: consumed commands with no register write after them */
	i = find_line(lines, "smmuv3_cmdq_opcode <--- SMMU_CMD_SYNC", 200);
	bad.assign(lines.begin(), lines.begin() + (long)i + 1);
	p = write_lines("cut.log", bad);
	e = import_error(p);
	EXPECT_NE(e.find("truncated log"), std::string::npos) << e;

	/* a truncated gzip file */
	std::string raw = slurp(kRecordings + "/boot/qemu-smmu-trace.log.gz");
	p = tmp_path("trunc.log.gz");
	std::ofstream(p, std::ios::binary) << raw.substr(0, raw.size() * 2 / 3);
	e = import_error(p);
	EXPECT_EQ(e.rfind(p + ":", 0), 0u) << e;
	EXPECT_NE(e.find("truncated gzip"), std::string::npos) << e;

	/* an event nobody knows is counted and reported, not an error */
	bad = lines;
	bad.insert(bad.begin() + 3,
		   "15200@1795247645.226830:smmuv3_brand_new_event x=1");
	p = write_lines("unknown.log", bad);
	std::string out = p + ".out.trace";
	tb_qemu_options o = import_options(p, out);
	auto *s = new tb_qemu_summary;
	char err[1024] = "";
	EXPECT_EQ(tb_qemu_import(&o, s, err, sizeof(err)), 0) << err;
	EXPECT_EQ(s->not_understood, 1u);
	bool listed = false;
	for (size_t k = 0; k < s->nevents; k++)
		if (!std::strcmp(s->events[k].name, "smmuv3_brand_new_event"))
			listed = !s->events[k].understood &&
				 s->events[k].count == 1;
	EXPECT_TRUE(listed);
	delete s;
}

TEST(QemuImport, LostProdWriteLineIsAnErrorNotAMergedBatch)
{
	std::vector<std::string> lines =
		gz_lines(kRecordings + "/boot/qemu-smmu-trace.log.gz");
	/* the third PROD write line lost: its commands would join the next batch */
	size_t i = 0;
	for (int k = 0; k < 3; k++)
		i = find_line(lines, "smmuv3_write_mmio addr: 0x98 ",
			      k ? i + 1 : 0);
	ASSERT_NE(i, std::string::npos);
	auto bad = lines;
	bad.erase(bad.begin() + (long)i);
	size_t next = find_line(bad, "smmuv3_cmdq_consume ", i);
	ASSERT_NE(next, std::string::npos);
	/* it is reported where the next batch starts (or at the next MMIO line of that
         * thread, whichever comes first), with the line of the orphan consume_out */
	size_t out = find_line(bad, "smmuv3_cmdq_consume_out", i - 3);
	ASSERT_LT(out, i);
	size_t mmio = find_line(bad, "_mmio ", i);
	size_t at = std::min(next, mmio);
	std::string p = write_lines("lostprod.log", bad);
	std::string e = import_error(p);
	EXPECT_EQ(e.rfind(p + ":" + std::to_string(at + 1) + ": error: ", 0),
		  0u)
		<< e;
	EXPECT_NE(e.find("consume_out at line " + std::to_string(out + 1)),
		  std::string::npos)
		<< e;
	EXPECT_NE(e.find("0x98"), std::string::npos) << e;

	/* the log cut right after a consume_out */
	bad.assign(lines.begin(), lines.begin() + (long)out + 1);
	p = write_lines("cutout.log", bad);
	e = import_error(p);
	EXPECT_NE(e.find("truncated log"), std::string::npos) << e;

	/* a log with no SMMUv3 event at all (empty, or the wrong trace) */
	p = write_lines("empty.log", {});
	e = import_error(p);
	EXPECT_EQ(e.rfind(p + ":1: error: no QEMU SMMUv3 trace events", 0), 0u)
		<< e;
	p = write_lines(
		"other.log",
		{ "15200@1795247645.226830:smmu_add_mr smmuv3-iommu-memory-region-0-0",
		  "15200@1795247645.226831:virtio_blk_req_complete x=1" });
	e = import_error(p);
	EXPECT_EQ(e.rfind(p + ":1: error: no QEMU SMMUv3 trace events", 0), 0u)
		<< e;
}

namespace
{

void replay_on_every_path(const std::string &dir)
{
	std::vector<CsvCmd> csv = read_csv(dir);
	std::set<std::string> csv_batches;
	uint64_t want_ops[256] = { 0 };
	for (const auto &c : csv) {
		csv_batches.insert(c.batch);
		want_ops[csv_opcode(c)]++;
	}
	auto *s = new tb_qemu_summary;
	std::string tr = import(dir, true, s);
	delete s;
	auto *res = new tb_replay_result;
	for (unsigned p = 0; p < WL_PATH_COUNT; p++) {
		SCOPED_TRACE(dir + " on " + wl_path_name((wl_path)p));
		tb_replay_options o = replay_options(tr);
		o.path = (wl_path)p;
		std::string rec = tmp_path(dir + "_replayed_" +
					   wl_path_name(o.path) + ".trace");
		if (o.path == WL_PATH_HOST)
			o.record = rec.c_str();
		char err[512];
		ASSERT_EQ(tb_replay_run(&o, res, err, sizeof(err)), CMDQV_OK)
			<< err;
		EXPECT_EQ(res->commands, csv.size());
		for (int op = 0; op < 256; op++)
			EXPECT_EQ(res->by_opcode[op], want_ops[op])
				<< "opcode " << op;
		EXPECT_EQ(res->batches, csv_batches.size());
		EXPECT_EQ(res->cmd_errors, 0u);
		EXPECT_EQ(res->poll_timeouts, 0u);
		EXPECT_EQ(res->incomplete, 0u);
		EXPECT_EQ(res->cmd_lat.count, csv.size());
		EXPECT_EQ(res->batch_lat.count, csv_batches.size());
		EXPECT_GT(res->sim_time, 0u);
		uint64_t phase_cmds = 0;
		for (size_t k = 0; k < res->nphases; k++)
			phase_cmds += res->phases[k].commands;
		EXPECT_EQ(phase_cmds, csv.size());
		if (o.path == WL_PATH_HOST) {
			/* the model consumed exactly the driver's words, in order */
			EXPECT_EQ(res->hw_commands, csv.size());
			uint64_t nb = 0;
			std::vector<TrCmd> again = read_trace_cmds(rec, &nb);
			ASSERT_EQ(again.size(), csv.size());
			for (size_t k = 0; k < csv.size(); k++) {
				EXPECT_EQ(again[k].r.words[0], csv[k].w0) << k;
				EXPECT_EQ(again[k].r.words[1], csv[k].w1) << k;
				EXPECT_EQ(again[k].r.pos & 0xffff, csv[k].qidx)
					<< k;
			}
			EXPECT_EQ(nb, csv_batches.size());
		} else {
			EXPECT_GT(res->hw_commands, 0u);
		}
		if (o.path == WL_PATH_TRAP) {
			EXPECT_GT(res->ioctls, 0u);
		}
	}
	delete res;
}

} // namespace

TEST(QemuReplay, BootOnEveryPathKeepsCountsAndWords)
{
	replay_on_every_path("boot");
}

TEST(QemuReplay, RebindOnEveryPathKeepsCountsAndWords)
{
	replay_on_every_path("rebind");
}

TEST(QemuReplay, LogOnlyImportReplaysWithTheSameCounts)
{
	std::vector<CsvCmd> csv = read_csv("boot");
	auto *s = new tb_qemu_summary;
	std::string tr = import("boot", false, s);
	delete s;
	ReplayResult res = replay_ok(replay_options(tr));
	ASSERT_TRUE(res);
	EXPECT_EQ(res->commands, csv.size());
	EXPECT_EQ(res->cmd_errors, 0u);
	EXPECT_EQ(res->poll_timeouts, 0u);
}

TEST(QemuReplay, SlowerFetchMakesBatchesSlower)
{
	auto *s = new tb_qemu_summary;
	std::string tr = import("boot", true, s);
	delete s;
	tb_replay_options o = replay_options(tr);
	ReplayResult a = replay_ok(o);
	const char *set[] = { "fetch_latency=2us" };
	o.set = set;
	o.nset = 1;
	ReplayResult b = replay_ok(o);
	ASSERT_TRUE(a && b);
	EXPECT_GT(tb_hist_mean(&b->batch_lat),
		  tb_hist_mean(&a->batch_lat) + 1000000.0);
	EXPECT_EQ(a->commands, b->commands);
}

TEST(QemuReplay, DirectWithTheRestOnTheSmmuCmdqHasNoExits)
{
	std::vector<CsvCmd> csv = read_csv("boot");
	uint64_t want_ops[256] = { 0 };
	for (const auto &c : csv)
		want_ops[csv_opcode(c)]++;
	auto *s = new tb_qemu_summary;
	std::string tr = import("boot", true, s);
	delete s;
	auto *res = new tb_replay_result;
	tb_replay_options o = replay_options(tr);
	o.path = WL_PATH_DIRECT;
	o.direct_rest_smmu = true;
	char err[512];
	ASSERT_EQ(tb_replay_run(&o, res, err, sizeof(err)), CMDQV_OK) << err;
	EXPECT_EQ(res->commands, csv.size());
	for (int op = 0; op < 256; op++)
		EXPECT_EQ(res->by_opcode[op], want_ops[op]) << "opcode " << op;
	EXPECT_EQ(res->exits, 0u);
	EXPECT_EQ(res->ioctls, 0u);
	EXPECT_EQ(res->cmd_errors + res->poll_timeouts + res->incomplete, 0u);
	/* the non-guest commands went to the SMMU CMDQ, the rest to the VCMDQ */
	EXPECT_GE(res->hw_commands, csv.size());
	delete res;
}

namespace
{

/*
 * A QEMU 7.2 -trace 'smmu*' log made up the way QEMU prints one (the
 * README's line formats): a 2^log2-entry CMDQ, two vCPU threads taking turns,
 * @batches strict-mode unmaps of 1-3 TLBI_NH_VA + CMD_SYNC, each consumed
 * inside its PROD write (consume lines, consume_out, then the write line)
 * and followed by the CONS read.  Long enough to wrap the queue many times.
 */
std::string synth_qemu_log(const std::string &name, unsigned log2,
			   unsigned batches, uint64_t *tlbis, uint64_t *syncs)
{
	std::string p = tmp_path(name);
	std::ofstream f(p);
	uint64_t us = 1795247646000000ull;
	unsigned tids[2] = { 15203, 15204 };
	auto pre = [&](unsigned tid) {
		char b[64];
		us += 3;
		snprintf(b, sizeof(b), "%u@%llu.%06llu:", tid,
			 (unsigned long long)(us / 1000000),
			 (unsigned long long)(us % 1000000));
		return std::string(b);
	};
	auto mmio = [&](unsigned tid, bool wr, unsigned off, uint64_t v,
			unsigned size) {
		char b[160];
		snprintf(b, sizeof(b),
			 "smmuv3_%s_mmio addr: 0x%x val:0x%llx size: 0x%x(0)\n",
			 wr ? "write" : "read", off, (unsigned long long)v,
			 size);
		f << pre(tid) << b;
	};
	unsigned n = 1u << log2;
	mmio(tids[0], false, 0x0, 0xd40101a, 4);
	mmio(tids[0], false, 0x4, 0x2730010, 4);
	mmio(tids[0], true, 0x20, 0, 4);
	mmio(tids[0], false, 0x24, 0, 4);
	mmio(tids[0], true, 0x90, 0x400000007ad00000ull | log2, 8);
	mmio(tids[0], true, 0x98, 0, 4);
	mmio(tids[0], true, 0x9c, 0, 4);
	f << pre(tids[0])
	  << "smmuv3_cmdq_consume_out prod:0, cons:0, prod_wrap:0, cons_wrap:0 \n";
	mmio(tids[0], true, 0x20, 0x8, 4);
	mmio(tids[0], false, 0x24, 0x8, 4);
	uint32_t pos = 0; /* {wrap, index} */
	uint64_t iova = 0xfffff000;
	*tlbis = *syncs = 0;
	for (unsigned b = 0; b < batches; b++) {
		unsigned tid = tids[b % 2];
		unsigned k = 1 + b % 3;
		uint32_t end = (pos + k + 1) & (2 * n - 1);
		char l[200];
		for (unsigned i = 0; i <= k; i++) {
			uint32_t c = (pos + i) & (2 * n - 1);
			snprintf(
				l, sizeof(l),
				"smmuv3_cmdq_consume prod=%u cons=%u prod.wrap=%u cons.wrap=%u\n",
				end & (n - 1), c & (n - 1), end >> log2,
				c >> log2);
			f << pre(tid) << l;
			if (i < k) {
				f << pre(tid)
				  << "smmuv3_cmdq_opcode <--- SMMU_CMD_TLBI_NH_VA\n";
				snprintf(
					l, sizeof(l),
					"smmuv3_s1_range_inval vmid=0 asid=1 addr=0x%llx tg=1 "
					"num_pages=0x1 ttl=3 leaf=1\n",
					(unsigned long long)iova);
				f << pre(tid) << l;
				iova -= 0x1000;
				++*tlbis;
			} else {
				f << pre(tid)
				  << "smmuv3_cmdq_opcode <--- SMMU_CMD_SYNC\n";
				++*syncs;
			}
		}
		snprintf(
			l, sizeof(l),
			"smmuv3_cmdq_consume_out prod:%u, cons:%u, prod_wrap:%u, cons_wrap:%u \n",
			end & (n - 1), end & (n - 1), end >> log2, end >> log2);
		f << pre(tid) << l;
		mmio(tid, true, 0x98, end, 4);
		mmio(tid, false, 0x9c, end, 4);
		pos = end;
	}
	return p;
}

} // namespace

TEST(QemuImport, SyntheticLogThatWrapsItsQueueImportsAndReplaysExactly)
{
	const unsigned batches =
		900; /* 2700 commands in a 64-entry queue: 42 laps */
	uint64_t tlbis = 0, syncs = 0;
	std::string log =
		synth_qemu_log("wrap.log", 6, batches, &tlbis, &syncs);
	std::string tr = log + ".trace";
	tb_qemu_options o = import_options(log, tr);
	auto *s = new tb_qemu_summary;
	char err[1024] = "";
	ASSERT_EQ(tb_qemu_import(&o, s, err, sizeof(err)), 0) << err;
	EXPECT_EQ(s->commands, tlbis + syncs);
	EXPECT_EQ(s->by_opcode[CMDQ_OP_TLBI_NH_VA], tlbis);
	EXPECT_EQ(s->by_opcode[CMDQ_OP_SYNC], syncs);
	EXPECT_EQ(s->batches, batches);
	EXPECT_EQ(s->prod_writes, batches + 1u);
	delete s;
	auto *res = new tb_replay_result;
	for (unsigned p = 0; p < WL_PATH_COUNT; p++) {
		SCOPED_TRACE(wl_path_name((wl_path)p));
		tb_replay_options ro;
		tb_replay_options_defaults(&ro);
		ro.trace = tr.c_str();
		ro.path = (wl_path)p;
		ASSERT_EQ(tb_replay_run(&ro, res, err, sizeof(err)), CMDQV_OK)
			<< err;
		EXPECT_EQ(res->commands, tlbis + syncs);
		EXPECT_EQ(res->by_opcode[CMDQ_OP_TLBI_NH_VA], tlbis);
		EXPECT_EQ(res->by_opcode[CMDQ_OP_SYNC], syncs);
		EXPECT_EQ(res->batches, batches);
		EXPECT_EQ(res->batch_lat.count, batches);
		EXPECT_EQ(res->cmd_errors, 0u);
		EXPECT_EQ(res->poll_timeouts, 0u);
		EXPECT_EQ(res->incomplete, 0u);
		if (ro.path == WL_PATH_HOST) {
			EXPECT_EQ(res->hw_commands, tlbis + syncs);
		}
	}
	delete res;
}
