/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_trace_cli.cpp - the trace verbs as a user runs them: `import-qemu`,
 * `replay --json` on every path (the cmdqv-sim.replay/1 document read back
 * with jansson), `run --record` followed by replay, and the exit status and
 * single FILE:LINE message of malformed input.  The QEMU 7.2 recordings
 * it imports are committed under traces/qemu-7.2/ (see traces/README.md);
 * a missing file is a failure, not a skip.
 */
#include <unistd.h>
#include <gtest/gtest.h>
#include <jansson.h>
#include <sys/wait.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cmdqv_sim/status.h"
#include "tb_replay.h"
#include "tb_trace.h"
#include "test_util.h"

namespace
{

const std::string kBin = CMDQV_BIN_DIR "/cmdqv-sim";
const std::string kRecordings =
	std::string(CMDQV_SOURCE_DIR) + "/traces/qemu-7.2";
const std::string kScn = std::string(CMDQV_SOURCE_DIR) + "/testbench/scenarios";

std::string tmp(const std::string &name)
{
	return scratch_path("cli_" + name);
}

/* Run a shell command; returns the exit status, stderr in *err. */
int run(const std::string &cmd, std::string *err = nullptr)
{
	std::string ef = tmp("stderr.txt");
	int st = std::system((cmd + " 2>'" + ef + "'").c_str());
	if (err)
		*err = slurp(ef);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Opcode name -> count, and distinct batches, from commands.csv.gz. */
void csv_expect(const std::string &dir, std::map<std::string, uint64_t> *ops,
		size_t *batches, size_t *total)
{
	gzFile gz = gzopen(
		(kRecordings + "/" + dir + "/commands.csv.gz").c_str(), "rb");
	ASSERT_NE(gz, nullptr);
	char buf[8192];
	std::vector<std::string> hdr;
	std::set<std::string> b;
	size_t col_op = 0, col_batch = 0;
	*total = 0;
	while (gzgets(gz, buf, sizeof(buf))) {
		std::string line(buf);
		while (!line.empty() &&
		       (line.back() == '\n' || line.back() == '\r'))
			line.pop_back();
		std::vector<std::string> f;
		std::stringstream ss(line);
		std::string x;
		while (std::getline(ss, x, ','))
			f.push_back(x);
		if (hdr.empty()) {
			hdr = f;
			for (size_t i = 0; i < f.size(); i++) {
				if (f[i] == "raw_opcode")
					col_op = i;
				if (f[i] == "batch")
					col_batch = i;
			}
			continue;
		}
		std::string op = f.at(col_op);
		/* the capture tooling's names are the spec names without CMD_ (SYNC is CMD_SYNC) */
		(*ops)[op.rfind("CMD_", 0) == 0 ? op : "CMD_" + op]++;
		b.insert(f.at(col_batch));
		(*total)++;
	}
	gzclose(gz);
	*batches = b.size();
}

} // namespace

TEST(TraceCli, ImportThenReplayJsonOnEveryPath)
{
	std::map<std::string, uint64_t> ops;
	size_t batches = 0, total = 0;
	csv_expect("rebind", &ops, &batches, &total);
	ASSERT_GT(total, 0u);

	std::string tr = tmp("rebind.trace.gz");
	std::string err;
	ASSERT_EQ(run(kBin + " import-qemu '" + kRecordings +
			      "/rebind/qemu-smmu-trace.log.gz' -o '" + tr +
			      "' --cmdq-dump '" + kRecordings +
			      "/rebind/cmdq-memory.bin.gz'",
		      &err),
		  0)
		<< err;
	EXPECT_NE(err.find("words from the dump: " + std::to_string(total)),
		  std::string::npos)
		<< err;

	for (const char *path : { "host", "direct", "trap", "eventfd" }) {
		SCOPED_TRACE(path);
		std::string js = tmp(std::string("rebind_") + path + ".json");
		ASSERT_EQ(run(kBin + " replay '" + tr + "' -q --path " + path +
				      " --json '" + js + "'",
			      &err),
			  0)
			<< err;
		json_error_t je;
		json_t *root = json_load_file(js.c_str(), 0, &je);
		ASSERT_NE(root, nullptr) << je.text;
		EXPECT_STREQ(json_string_value(json_object_get(root, "schema")),
			     "cmdqv-sim.replay/1");
		EXPECT_STREQ(json_string_value(json_object_get(root, "path")),
			     path);
		json_t *cmds = json_object_get(root, "commands");
		EXPECT_EQ((size_t)json_integer_value(
				  json_object_get(cmds, "total")),
			  total);
		json_t *by = json_object_get(cmds, "by_opcode");
		EXPECT_EQ(json_object_size(by), ops.size());
		for (const auto &kv : ops)
			EXPECT_EQ((uint64_t)json_integer_value(json_object_get(
					  by, kv.first.c_str())),
				  kv.second)
				<< kv.first;
		EXPECT_EQ((size_t)json_integer_value(
				  json_object_get(root, "batches")),
			  batches);
		EXPECT_EQ(json_integer_value(json_object_get(
				  json_object_get(root, "errors"), "total")),
			  0);
		EXPECT_GT(json_real_value(json_object_get(root, "sim_time_ns")),
			  0.0);
		json_t *lat = json_object_get(
			json_object_get(root, "latency_ns"), "batch");
		double p50 = json_real_value(json_object_get(lat, "p50"));
		double p99 = json_real_value(json_object_get(lat, "p99"));
		double mx = json_real_value(json_object_get(lat, "max"));
		EXPECT_GT(p50, 0.0);
		EXPECT_LE(p50, p99);
		EXPECT_LE(p99, mx);
		json_t *phases = json_object_get(root, "phases");
		ASSERT_TRUE(json_is_array(phases));
		uint64_t sum = 0;
		std::set<std::string> names;
		for (size_t i = 0; i < json_array_size(phases); i++) {
			json_t *p = json_array_get(phases, i);
			sum += (uint64_t)json_integer_value(
				json_object_get(p, "commands"));
			names.insert(
				json_string_value(json_object_get(p, "name")));
		}
		EXPECT_EQ(sum, total);
		EXPECT_TRUE(names.count("nvme-io-dma-strict"))
			<< "phase names from the dmesg";
		EXPECT_EQ(json_object_get(root, "bench"), nullptr)
			<< "host timing only with --bench";
		json_decref(root);
	}
}

TEST(TraceCli, SameInputSameReport)
{
	std::string tr =
		std::string(CMDQV_SOURCE_DIR) + "/traces/example.trace";
	std::string a = tmp("same_a.json"), b = tmp("same_b.json");
	ASSERT_EQ(run(kBin + " replay '" + tr + "' -q --path trap --json '" +
		      a + "'"),
		  0);
	ASSERT_EQ(run(kBin + " replay '" + tr + "' -q --path trap --json '" +
		      b + "'"),
		  0);
	EXPECT_FALSE(slurp(a).empty());
	EXPECT_EQ(slurp(a), slurp(b));
}

TEST(TraceCli, MalformedInputIsOneFileLineMessageAndExit2)
{
	std::string bad = tmp("bad.trace");
	std::ofstream(bad)
		<< "cmdqv-trace 1\n0 cpu0 wr smmu 0x20 4 0\n\n0 cpu0 poll smmu 0x9c 4 0x1\n";
	std::string err;
	EXPECT_EQ(run(kBin + " replay '" + bad + "' --json '" +
			      tmp("bad.json") + "'",
		      &err),
		  2);
	EXPECT_EQ(err, bad + ":4: error: 'poll' needs 5 fields, found 4\n");
	std::ifstream j(tmp("bad.json"));
	EXPECT_FALSE(j.good()) << "no report for a failed replay";

	std::string log = tmp("bad.log");
	std::ofstream(log)
		<< "1@1.000001:smmuv3_read_mmio addr: 0x0 val:0xd40101a size: 0x4(0)\n"
		   "1@1.000002:smmuv3_write_mmio addr: 0x20 val:0x0\n";
	EXPECT_EQ(run(kBin + " import-qemu '" + log + "' -o '" +
			      tmp("bad_out.trace") + "'",
		      &err),
		  2);
	EXPECT_EQ(err.rfind(log + ":2: error: malformed smmuv3_write_mmio", 0),
		  0u)
		<< err;

	EXPECT_EQ(run(kBin + " replay '" + bad + "' --path sideways", &err), 2);
	EXPECT_NE(err.find("unknown path"), std::string::npos);
}

TEST(TraceCli, RunRecordThenReplayKeepsTheCommandStream)
{
	std::string rec = tmp("run.trace");
	std::string scn1 = kScn + "/linux_smmu_reset.scn";
	std::string scn2 = kScn + "/queue_wrap.scn";
	ASSERT_TRUE(std::ifstream(scn1).good()) << scn1;
	ASSERT_TRUE(std::ifstream(scn2).good()) << scn2;
	std::string err;
	ASSERT_EQ(run(kBin + " run -q --record '" + rec + "' '" + scn1 + "' '" +
			      scn2 + "' >/dev/null",
		      &err),
		  0)
		<< err;

	/* the recording holds commands, PROD batches and a reset between the scripts */
	size_t platform_items = 0;
	const std::vector<tb_trace_rec> recs = read_trace(rec, &platform_items);
	ASSERT_GT(platform_items, 10u);
	size_t cmds = 0, resets = 0, batches = 0;
	for (const auto &x : recs) {
		cmds += x.kind == TB_TR_CMD;
		resets += x.kind == TB_TR_RESET;
		batches += x.kind == TB_TR_BATCH && x.count;
	}
	EXPECT_GT(cmds, 0u);
	EXPECT_EQ(resets, 1u);

	std::string again = tmp("run_again.trace");
	tb_replay_options o = replay_options(rec, again);
	ReplayResult res = replay_ok(o);
	ASSERT_TRUE(res);
	EXPECT_EQ(res->batches, batches);
	EXPECT_EQ(res->cmd_errors, 0u);
	std::vector<std::string> s1, s2;
	for (const std::string *p : { &rec, &again }) {
		std::ifstream f(*p);
		std::string line;
		while (std::getline(f, line)) {
			std::stringstream ss(line);
			std::string t, src, kind, q, pos, w0, w1;
			ss >> t >> src >> kind >> q >> pos >> w0 >> w1;
			if (kind == "cmd")
				(p == &rec ? s1 : s2)
					.push_back(q + " " + pos + " " + w0 +
						   " " + w1);
		}
	}
	EXPECT_EQ(s1.size(), cmds);
	EXPECT_EQ(s2, s1);
}
