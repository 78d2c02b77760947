/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_trace.cpp - the native trace format (docs/trace-format.md): parser
 * and writer round trips, malformed input reported as FILE:LINE, gzip input
 * (including a truncated stream), the platform line, and the recorder on a
 * real model run (record -> replay -> record gives the same command stream).
 */
#include <unistd.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/config.h"
#include "cmdqv_sim/model.h"
#include "cmdqv_sim/status.h"
#include "tb_native.h"
#include "tb_replay.h"
#include "tb_trace.h"
#include "test_util.h"

namespace
{

std::string tmp_path(const std::string &name)
{
	return scratch_path("trace_" + name);
}

void write_file(const std::string &path, const std::string &text)
{
	std::ofstream f(path, std::ios::binary);
	f << text;
}

/* Read every record; returns the status of the first failure (0 = all read). */
int read_all(const std::string &path, std::vector<tb_trace_rec> *out,
	     std::string *err)
{
	char e[512] = "";
	tb_trace_reader *r = nullptr;
	int rc = tb_trace_open(&r, path.c_str(), e, sizeof(e));
	if (rc) {
		*err = e;
		return rc;
	}
	for (;;) {
		tb_trace_rec rec;
		rc = tb_trace_next(r, &rec, e, sizeof(e));
		if (rc < 0) {
			*err = e;
			tb_trace_close(r);
			return -rc;
		}
		if (rc == 0)
			break;
		if (out)
			out->push_back(rec);
	}
	tb_trace_close(r);
	return 0;
}

/* The error for a trace whose line @bad_line (1-based) is @line. */
std::string error_for(const std::string &name, const std::string &body)
{
	std::string path = tmp_path(name);
	write_file(path, body);
	std::string err;
	EXPECT_NE(read_all(path, nullptr, &err), 0) << body;
	return err;
}

const char *kHeader = "cmdqv-trace 1\n";

/* cpu0 brings up a 16-entry SMMU CMDQ at address 0: BASE, PROD, CONS, CR0.CMDQEN, CR0ACK. */
const std::string kCmdqUp = "0 cpu0 wr smmu 0x90 8 0x40000004\n"
			    "0 cpu0 wr smmu 0x98 4 0x0\n"
			    "0 cpu0 wr smmu 0x9c 4 0x0\n"
			    "0 cpu0 wr smmu 0x20 4 0x8\n"
			    "0 cpu0 poll smmu 0x24 4 0x8 0x8\n";

/* Replay @path with default options. */
int replay_file(const std::string &path, tb_replay_result *res, char *err,
		size_t errlen)
{
	tb_replay_options o = replay_options(path);
	return tb_replay_run(&o, res, err, errlen);
}

} // namespace

TEST(TraceFormat, EveryKindRoundTripsThroughWriterAndReader)
{
	std::vector<tb_trace_rec> in(8);
	for (auto &r : in)
		std::memset(&r, 0, sizeof(r));
	in[0].kind = TB_TR_WR;
	in[0].time = 5;
	std::strcpy(in[0].src, "cpu1");
	in[0].space = CMDQV_SPACE_SMMU;
	in[0].offset = 0x90;
	in[0].size = 8;
	in[0].value = 0x400000007ad00010ull;
	in[1].kind = TB_TR_RD;
	in[1].time = 6;
	std::strcpy(in[1].src, "cpu0");
	in[1].space = CMDQV_SPACE_CMDQV;
	in[1].offset = 0x10004;
	in[1].size = 4;
	in[1].value = 0x12;
	in[2].kind = TB_TR_POLL;
	in[2].time = 7;
	std::strcpy(in[2].src, "cpu0");
	in[2].space = CMDQV_SPACE_SMMU;
	in[2].offset = 0x9c;
	in[2].size = 4;
	in[2].mask = 0xfffff;
	in[2].value = 3;
	in[3].kind = TB_TR_MW;
	in[3].time = 8;
	std::strcpy(in[3].src, "cpu0");
	in[3].addr = 0x1000;
	in[3].nwords = 3;
	in[3].words[0] = 1;
	in[3].words[1] = UINT64_MAX;
	in[3].words[2] = 0x8000000000000000ull;
	in[4].kind = TB_TR_CMD;
	in[4].time = 9;
	std::strcpy(in[4].src, "cpu0");
	in[4].queue = 7;
	in[4].pos = 0x10003;
	in[4].nwords = 2;
	in[4].words[0] = 0x000100000031a012ull;
	in[4].words[1] = 0xffd00701ull;
	in[4].known[0] = 0xff;
	in[4].known[1] = UINT64_MAX;
	in[5].kind = TB_TR_PHASE;
	in[5].time = 9;
	std::strcpy(in[5].src, "marker");
	in[5].phase_id = 14;
	std::strcpy(in[5].name, "nvme-io");
	in[6].kind = TB_TR_BATCH;
	in[6].time = 10;
	std::strcpy(in[6].src, "cpu0");
	in[6].queue = CMDQV_QUEUE_SMMU;
	in[6].pos = 0x4;
	in[6].count = 2;
	in[7].kind = TB_TR_RESET;
	in[7].time = 10;
	std::strcpy(in[7].src, "host");

	for (const char *name : { "rt.trace", "rt.trace.gz" }) {
		std::string path = tmp_path(name);
		char err[256];
		tb_trace_writer *w = nullptr;
		ASSERT_EQ(tb_trace_create(&w, path.c_str(), "cmdqs=16 ats=0",
					  err, sizeof(err)),
			  CMDQV_OK)
			<< err;
		for (const auto &r : in)
			ASSERT_EQ(tb_trace_write(w, &r, nullptr), CMDQV_OK);
		ASSERT_EQ(tb_trace_finish(w, err, sizeof(err)), CMDQV_OK)
			<< err;

		std::string raw = slurp(path);
		bool gz = std::string(name).find(".gz") != std::string::npos;
		ASSERT_GE(raw.size(), 2u);
		EXPECT_EQ((unsigned char)raw[0] == 0x1f &&
				  (unsigned char)raw[1] == 0x8b,
			  gz);

		tb_trace_reader *r = nullptr;
		ASSERT_EQ(tb_trace_open(&r, path.c_str(), err, sizeof(err)),
			  CMDQV_OK)
			<< err;
		ASSERT_EQ(tb_trace_platform_count(r), 2u);
		const char *k, *v;
		tb_trace_platform_get(r, 1, &k, &v);
		EXPECT_STREQ(k, "ats");
		EXPECT_STREQ(v, "0");
		for (size_t i = 0; i < in.size(); i++) {
			tb_trace_rec o;
			ASSERT_EQ(tb_trace_next(r, &o, err, sizeof(err)), 1)
				<< err;
			EXPECT_EQ(o.kind, in[i].kind) << i;
			EXPECT_EQ(o.time, in[i].time) << i;
			EXPECT_STREQ(o.src, in[i].src) << i;
			switch (o.kind) {
			case TB_TR_RD:
			case TB_TR_WR:
			case TB_TR_POLL:
				EXPECT_EQ(o.space, in[i].space);
				EXPECT_EQ(o.offset, in[i].offset);
				EXPECT_EQ(o.size, in[i].size);
				EXPECT_EQ(o.value, in[i].value);
				EXPECT_EQ(o.mask, in[i].mask);
				break;
			case TB_TR_MW:
				EXPECT_EQ(o.addr, in[i].addr);
				ASSERT_EQ(o.nwords, in[i].nwords);
				for (unsigned j = 0; j < o.nwords; j++)
					EXPECT_EQ(o.words[j], in[i].words[j]);
				break;
			case TB_TR_CMD:
				EXPECT_EQ(o.queue, in[i].queue);
				EXPECT_EQ(o.pos, in[i].pos);
				EXPECT_EQ(o.words[0], in[i].words[0]);
				EXPECT_EQ(o.words[1], in[i].words[1]);
				EXPECT_EQ(o.known[0], in[i].known[0]);
				EXPECT_EQ(o.known[1], in[i].known[1]);
				break;
			case TB_TR_PHASE:
				EXPECT_EQ(o.phase_id, in[i].phase_id);
				EXPECT_STREQ(o.name, in[i].name);
				break;
			case TB_TR_BATCH:
				EXPECT_EQ(o.queue, in[i].queue);
				EXPECT_EQ(o.pos, in[i].pos);
				EXPECT_EQ(o.count, in[i].count);
				break;
			case TB_TR_RESET:
				break;
			}
		}
		tb_trace_rec o;
		EXPECT_EQ(tb_trace_next(r, &o, err, sizeof(err)), 0);
		tb_trace_close(r);
	}
}

TEST(TraceFormat, NumbersUseAllSixtyFourBits)
{
	tb_trace_rec r;
	char err[256];
	ASSERT_EQ(
		tb_trace_parse(
			"18446744073709551615 cpu0 mw 0x1000 0xFFFFFFFFFFFFFFFF 0 "
			"18446744073709551615",
			&r, err, sizeof(err)),
		CMDQV_OK)
		<< err;
	EXPECT_EQ(r.time, UINT64_MAX);
	EXPECT_EQ(r.words[0], UINT64_MAX);
	EXPECT_EQ(r.words[1], 0u);
	EXPECT_EQ(r.words[2], UINT64_MAX);
}

TEST(TraceFormat, DecodedCommentIsIgnoredAndKnownDefaultsToAllBits)
{
	tb_trace_rec r;
	char err[256];
	ASSERT_EQ(
		tb_trace_parse(
			"12 cpu0 cmd smmu 0x1 0x46 0 # CMD_SYNC cs=7 nonsense",
			&r, err, sizeof(err)),
		CMDQV_OK)
		<< err;
	EXPECT_EQ(r.kind, TB_TR_CMD);
	EXPECT_EQ(r.words[0], 0x46u);
	EXPECT_EQ(r.known[0], UINT64_MAX);
	EXPECT_EQ(r.known[1], UINT64_MAX);
}

TEST(TraceFormat, MalformedLinesAreFileLineErrors)
{
	struct {
		const char *name;
		std::string body;
		std::string where; /* ":LINE: error:" expected */
		const char *reason;
	} cases[] = {
		{ "hdr", "hello\n", ":1: error:", "not a cmdqv trace" },
		{ "ver", "cmdqv-trace 2\n", ":1: error:", "version 2" },
		{ "empty", "", ":1: error:", "empty file" },
		{ "kind",
		  std::string(kHeader) + "# c\n\n0 cpu0 zap smmu 0 4 0\n",
		  ":4: error:", "unknown record kind 'zap'" },
		{ "num", std::string(kHeader) + "0 cpu0 wr smmu 0x9z 4 0\n",
		  ":2: error:", "bad register offset" },
		{ "align", std::string(kHeader) + "0 cpu0 wr smmu 0x92 4 0\n",
		  ":2: error:", "not aligned" },
		{ "size", std::string(kHeader) + "0 cpu0 rd smmu 0x90 2 0\n",
		  ":2: error:", "bad access size" },
		{ "space", std::string(kHeader) + "0 cpu0 rd gpu 0x90 4 0\n",
		  ":2: error:", "unknown register space" },
		{ "wide",
		  std::string(kHeader) + "0 cpu0 wr smmu 0x98 4 0x100000000\n",
		  ":2: error:", "does not fit" },
		{ "fields", std::string(kHeader) + "0 cpu0 wr smmu 0x98 4\n",
		  ":2: error:", "needs 4 fields" },
		{ "queue",
		  std::string(kHeader) + "0 cpu0 cmd vcmdq200 0 0x46 0\n",
		  ":2: error:", "unknown queue" },
		{ "pos",
		  std::string(kHeader) + "0 cpu0 cmd smmu 0x100000 0x46 0\n",
		  ":2: error:", "bad queue position" },
		{ "known",
		  std::string(kHeader) + "0 cpu0 cmd smmu 0 0x46 0 kn=1:2\n",
		  ":2: error:", "known=M0:M1" },
		{ "time",
		  std::string(kHeader) +
			  "10 cpu0 rd smmu 0 4 0\n9 cpu0 rd smmu 0 4 0\n",
		  ":3: error:", "goes backwards" },
		{ "ptime", std::string(kHeader) + "-1 cpu0 rd smmu 0 4 0\n",
		  ":2: error:", "bad time" },
		{ "plat",
		  std::string(kHeader) +
			  "0 cpu0 rd smmu 0 4 0\nplatform ats=0\n",
		  ":3: error:", "before the first record" },
		{ "pitem", std::string(kHeader) + "platform ats\n",
		  ":2: error:", "not KEY=VALUE" },
		{ "mw", std::string(kHeader) + "0 cpu0 mw 0x1004 1\n",
		  ":2: error:", "8-byte aligned" },
		{ "hexovf",
		  std::string(kHeader) +
			  "0 cpu0 mw 0x1000 0x10000000000000000\n",
		  ":2: error:", "bad word" },
		{ "decovf",
		  std::string(kHeader) +
			  "18446744073709551616 cpu0 rd smmu 0 4 0\n",
		  ":2: error:", "bad time" },
		{ "hexempty", std::string(kHeader) + "0 cpu0 rd smmu 0x 4 0\n",
		  ":2: error:", "bad register offset" },
		{ "src", std::string(kHeader) + "0 cpu$ rd smmu 0 4 0\n",
		  ":2: error:", "bad source" },
		{ "long",
		  std::string(kHeader) + "0 cpu0 rd smmu 0 4 0 #" +
			  std::string(5000, 'x') + "\n",
		  ":2: error:", "longer than" },
	};
	for (const auto &c : cases) {
		std::string path = tmp_path(std::string("bad_") + c.name);
		std::string err =
			error_for(std::string("bad_") + c.name, c.body);
		EXPECT_EQ(err.rfind(path + c.where, 0), 0u)
			<< c.name << ": " << err;
		EXPECT_NE(err.find(c.reason), std::string::npos)
			<< c.name << ": " << err;
	}
}

TEST(TraceFormat, TruncatedGzipIsAnErrorNotTheEnd)
{
	std::string full = tmp_path("trunc_full.trace.gz");
	char err[256];
	tb_trace_writer *w = nullptr;
	ASSERT_EQ(tb_trace_create(&w, full.c_str(), nullptr, err, sizeof(err)),
		  CMDQV_OK);
	for (int i = 0; i < 20000; i++) {
		tb_trace_rec r;
		std::memset(&r, 0, sizeof(r));
		r.kind = TB_TR_RD;
		r.time = (uint64_t)i * 1000;
		r.space = CMDQV_SPACE_SMMU;
		r.offset = 0x9c;
		r.size = 4;
		r.value = (uint64_t)i * 2654435761u &
			  0xFFFFFFFFu; /* poorly compressible */
		ASSERT_EQ(tb_trace_write(w, &r, nullptr), CMDQV_OK);
	}
	ASSERT_EQ(tb_trace_finish(w, err, sizeof(err)), CMDQV_OK);
	std::vector<tb_trace_rec> recs;
	std::string e;
	ASSERT_EQ(read_all(full, &recs, &e), 0) << e;
	EXPECT_EQ(recs.size(), 20000u);

	std::string raw = slurp(full);
	std::string cut = tmp_path("trunc_cut.trace.gz");
	write_file(cut, raw.substr(0, raw.size() / 2));
	recs.clear();
	EXPECT_EQ(read_all(cut, &recs, &e), CMDQV_EIO);
	EXPECT_LT(recs.size(), 20000u);
	EXPECT_EQ(e.rfind(cut + ":", 0), 0u) << e;
	EXPECT_NE(e.find("truncated gzip"), std::string::npos) << e;
	/* the line number is the one after the last complete record */
	EXPECT_NE(e.find(":" + std::to_string(recs.size() + 2) + ": error:"),
		  std::string::npos)
		<< e;
}

TEST(TraceFormat, PlatformLineConfiguresTheModelAndRejectsUnknownKeys)
{
	std::string ok = tmp_path("plat_ok.trace");
	write_file(
		ok,
		std::string(kHeader) +
			"# c\nplatform ats=0 cmdqs=12 fetch_latency=250ns\n");
	char err[256];
	tb_trace_reader *r = nullptr;
	ASSERT_EQ(tb_trace_open(&r, ok.c_str(), err, sizeof(err)), CMDQV_OK)
		<< err;
	cmdqv_config cfg;
	cmdqv_config_defaults(&cfg);
	ASSERT_EQ(tb_trace_platform_apply(r, &cfg, err, sizeof(err)), CMDQV_OK)
		<< err;
	EXPECT_FALSE(cfg.ats);
	EXPECT_EQ(cfg.cmdqs, 12u);
	EXPECT_EQ(cfg.fetch_latency, SIM_NS(250));
	tb_trace_close(r);

	std::string bad = tmp_path("plat_bad.trace");
	write_file(bad,
		   std::string(kHeader) + "\nplatform ats=0 warp_drive=1\n");
	ASSERT_EQ(tb_trace_open(&r, bad.c_str(), err, sizeof(err)), CMDQV_OK)
		<< err;
	cmdqv_config_defaults(&cfg);
	EXPECT_NE(tb_trace_platform_apply(r, &cfg, err, sizeof(err)), CMDQV_OK);
	EXPECT_EQ(std::string(err).rfind(bad + ":3: error: platform:", 0), 0u)
		<< err;
	tb_trace_close(r);

	/* the recorder's platform text applies back to the same configuration */
	cmdqv_config a, b;
	cmdqv_config_defaults(&a);
	a.fetch_latency = SIM_NS(77);
	a.vintfs = 8;
	char text[4096];
	ASSERT_LT(tb_trace_platform_text(&a, text, sizeof(text)),
		  (int)sizeof(text));
	std::string p = tmp_path("plat_text.trace");
	write_file(p, std::string(kHeader) + "platform " + text + "\n");
	ASSERT_EQ(tb_trace_open(&r, p.c_str(), err, sizeof(err)), CMDQV_OK)
		<< err;
	cmdqv_config_defaults(&b);
	ASSERT_EQ(tb_trace_platform_apply(r, &b, err, sizeof(err)), CMDQV_OK)
		<< err;
	EXPECT_EQ(std::memcmp(&a, &b, sizeof(a)), 0);
	tb_trace_close(r);
}

namespace
{

/* A small driver session on a native model with a recorder attached. */
struct Session {
	tb_native n;
	tb_recorder *rec = nullptr;

	explicit Session(const std::string &path)
	{
		std::memset(&n, 0, sizeof(n));
		char err[256];
		cmdqv_config cfg;
		cmdqv_config_defaults(&cfg);
		EXPECT_EQ(tb_recorder_open(&rec, path.c_str(), &n.mem, &cfg,
					   err, sizeof(err)),
			  CMDQV_OK)
			<< err;
		tb_native_set_trace(&n, tb_recorder_trace, rec);
		EXPECT_EQ(tb_native_init(&n, &cfg, err, sizeof(err)), CMDQV_OK)
			<< err;
	}
	~Session()
	{
		tb_native_deinit(&n);
	}
	uint64_t rd(uint64_t off)
	{
		uint64_t v = 0;
		cmdqv_mmio_read(n.model, CMDQV_SPACE_SMMU, off, 4, &v);
		cmdqv_run_until(n.model, cmdqv_now(n.model) + SIM_NS(100));
		return v;
	}
	void wr(uint64_t off, uint64_t v, unsigned size = 4)
	{
		cmdqv_mmio_write(n.model, CMDQV_SPACE_SMMU, off, size, v);
		cmdqv_run_until(n.model, cmdqv_now(n.model) + SIM_NS(20));
	}
	void close()
	{
		char err[256];
		tb_native_run_idle(&n, cmdqv_now(n.model) + SIM_MS(1));
		EXPECT_EQ(tb_recorder_close(rec, err, sizeof(err)), CMDQV_OK)
			<< err;
		rec = nullptr;
	}
};

std::vector<std::string> cmd_stream(const std::string &path)
{
	std::vector<tb_trace_rec> recs;
	std::string e;
	EXPECT_EQ(read_all(path, &recs, &e), 0) << e;
	std::vector<std::string> out;
	char buf[256];
	for (const auto &r : recs)
		if (r.kind == TB_TR_CMD) {
			snprintf(buf, sizeof(buf), "%d %x %016llx %016llx",
				 r.queue, r.pos, (unsigned long long)r.words[0],
				 (unsigned long long)r.words[1]);
			out.push_back(buf);
		}
	return out;
}

} // namespace

TEST(TraceRecorder, RecordReplayRecordKeepsTheCommandStream)
{
	const uint64_t base = 0x40000000;
	std::string first = tmp_path("rec1.trace");
	std::vector<uint64_t> expected_words;
	{
		Session s(first);
		/* Linux order (IHI 0070 6.3.26-6.3.28): BASE, PROD/CONS,
		 * CMDQEN */
		s.wr(0x90, base | 6, 8);
		s.wr(0x98, 0);
		s.wr(0x9c, 0);
		s.wr(0x20, 0x8);
		while (s.rd(0x24) != 0x8)
			;
		uint32_t prod = 0;
		for (int batch = 0; batch < 5; batch++) {
			for (int i = 0; i <= batch; i++) {
				cmd c;
				std::memset(&c, 0, sizeof(c));
				c.opcode = CMDQ_OP_TLBI_NH_ASID;
				c.asid = (uint16_t)(batch * 10 + i);
				uint64_t w[2];
				cmd_encode(&c, w);
				tb_mem_write64(&s.n.mem,
					       base + 16 * (prod & 63), w[0]);
				tb_mem_write64(&s.n.mem,
					       base + 16 * (prod & 63) + 8,
					       w[1]);
				expected_words.push_back(w[0]);
				prod = (prod + 1) & 127;
			}
			tb_mem_write64(&s.n.mem, base + 16 * (prod & 63),
				       CMDQ_OP_SYNC);
			tb_mem_write64(&s.n.mem, base + 16 * (prod & 63) + 8,
				       0);
			expected_words.push_back(CMDQ_OP_SYNC);
			prod = (prod + 1) & 127;
			s.wr(0x98, prod);
			while ((s.rd(0x9c) & 127) != prod)
				;
		}
		tb_recorder_phase(s.rec, 3, "tail");
		s.close();
	}
	std::vector<std::string> s1 = cmd_stream(first);
	ASSERT_EQ(s1.size(), expected_words.size());
	for (size_t i = 0; i < s1.size(); i++) {
		char want[32];
		snprintf(want, sizeof(want), "%016llx",
			 (unsigned long long)expected_words[i]);
		EXPECT_NE(s1[i].find(want), std::string::npos)
			<< i << ": " << s1[i];
	}
	std::string text = slurp(first);
	EXPECT_NE(text.find(" poll smmu 0x9c 4 "), std::string::npos);
	EXPECT_NE(text.find(" batch smmu 0x"), std::string::npos);

	std::string second = tmp_path("rec2.trace");
	tb_replay_options o = replay_options(first, second);
	ReplayResult res = replay_ok(o);
	ASSERT_TRUE(res);
	EXPECT_EQ(res->commands, expected_words.size());
	EXPECT_EQ(res->batches, 5u);
	EXPECT_EQ(res->poll_timeouts, 0u);
	EXPECT_EQ(res->cmd_errors, 0u);
	ASSERT_EQ(res->nphases, 2u);
	EXPECT_EQ(res->phases[1].id, 3u);
	EXPECT_EQ(cmd_stream(second), s1);

	/* and once more: replaying the replay's recording reproduces it byte for byte */
	std::string third = tmp_path("rec3.trace");
	o.trace = second.c_str();
	o.record = third.c_str();
	ASSERT_TRUE(replay_ok(o));
	EXPECT_EQ(slurp(third), slurp(second));
}

TEST(TraceReplay, MalformedRecordStopsReplayWithFileLine)
{
	std::string p = tmp_path("replay_bad.trace");
	write_file(p,
		   std::string(kHeader) +
			   "0 cpu0 wr smmu 0x20 4 0\n0 cpu0 wr smmu 0x98 4\n");
	auto *res = new tb_replay_result;
	char err[512];
	EXPECT_EQ(replay_file(p, res, err, sizeof(err)), CMDQV_EPARSE);
	EXPECT_EQ(std::string(err).rfind(p + ":3: error:", 0), 0u) << err;
	delete res;
}

TEST(TraceReplay, HistogramQuantilesAreWithinOneBucket)
{
	tb_hist h;
	std::memset(&h, 0, sizeof(h));
	for (uint64_t v = 1; v <= 1000; v++)
		tb_hist_add(&h, v * 1000); /* 1 .. 1000 ns */
	EXPECT_EQ(h.count, 1000u);
	EXPECT_DOUBLE_EQ(tb_hist_mean(&h), 500500.0);
	EXPECT_EQ(h.max, 1000000u);
	auto near = [](sim_time_t got, double want) {
		return got >= want &&
		       (double)got <= want * (1.0 + 1.0 / TB_HIST_SUB) + 1;
	};
	EXPECT_TRUE(near(tb_hist_quantile(&h, 0.5), 500000))
		<< tb_hist_quantile(&h, 0.5);
	EXPECT_TRUE(near(tb_hist_quantile(&h, 0.9), 900000))
		<< tb_hist_quantile(&h, 0.9);
	EXPECT_TRUE(near(tb_hist_quantile(&h, 0.99), 990000))
		<< tb_hist_quantile(&h, 0.99);
	EXPECT_EQ(tb_hist_quantile(&h, 1.0), 1000000u);
}

TEST(TraceReplay, ResetRecordRebuildsTheModelWithItsPlatform)
{
	/* the same ATC_INV + SYNC twice; the second platform has no ATS, where
         * ATC_INV is illegal (IHI 0070 4.5.1) */
	std::string seg =
		kCmdqUp +
		"0 cpu0 cmd smmu 0x0 0x0000000800000040 0x0000000000000034\n"
		"0 cpu0 cmd smmu 0x1 0x0000000000000046 0x0\n"
		"0 cpu0 wr smmu 0x98 4 0x2\n";
	std::string p = tmp_path("reset_platform.trace");
	write_file(p, std::string(kHeader) + "platform ats=1\n" + seg +
			      "0 host reset ats=0\n" + seg);
	auto *res = new tb_replay_result;
	char err[512];
	ASSERT_EQ(replay_file(p, res, err, sizeof(err)), CMDQV_OK) << err;
	EXPECT_EQ(res->batches, 2u);
	EXPECT_EQ(res->cmd_errors, 1u);
	EXPECT_EQ(res->cerror[1], 1u); /* SMMU_CERROR_ILL */

	/* an unknown key in a reset record is an error with its line */
	write_file(p,
		   std::string(kHeader) + seg + "0 host reset flux=1\n" + seg);
	EXPECT_EQ(replay_file(p, res, err, sizeof(err)), CMDQV_EKEY);
	EXPECT_EQ(std::string(err).rfind(p + ":10: error: reset platform:", 0),
		  0u)
		<< err;
	delete res;
}

TEST(TraceReplay, EveryPhaseMarkerIsReportedEvenWhenEmpty)
{
	/* markers at the same time as the next one (an empty phase, like the rebind
         * recording's 11 workload-done right before 12 collect) keep their own entry */
	std::string p = tmp_path("phases.trace");
	write_file(p, std::string(kHeader) +
			      "0 marker phase 0 boot\n"
			      "0 marker phase 1 empty-first\n" +
			      kCmdqUp +
			      "0 marker phase 2 work\n"
			      "0 cpu0 cmd smmu 0x0 0x0000000000000046 0x0\n"
			      "0 cpu0 wr smmu 0x98 4 0x1\n"
			      "0 cpu0 poll smmu 0x9c 4 0x1f 0x1\n"
			      "0 marker phase 11 workload-done\n"
			      "0 marker phase 12 collect\n");
	auto *res = new tb_replay_result;
	char err[512];
	ASSERT_EQ(replay_file(p, res, err, sizeof(err)), CMDQV_OK) << err;
	const uint32_t ids[] = { 0, 1, 2, 11, 12 };
	const char *names[] = { "boot", "empty-first", "work", "workload-done",
				"collect" };
	ASSERT_EQ(res->nphases, 5u);
	for (size_t i = 0; i < 5; i++) {
		EXPECT_EQ(res->phases[i].id, ids[i]) << i;
		EXPECT_STREQ(res->phases[i].name, names[i]) << i;
		EXPECT_EQ(res->phases[i].commands, i == 2 ? 1u : 0u) << i;
	}
	EXPECT_EQ(res->commands, 1u);
	delete res;
}

TEST(TraceReplay, ConsPollWaitsUntilConsumedNotForAnExactValue)
{
	/* two CPUs' batches published back to back, then the first CPU's CONS poll for the
         * end of its own batch: the queue consumes both in one go, so CONS goes from 0 to
         * 4 without ever reading 2.  The poll is satisfied once CONS has passed 2
         * (Linux's queue_consumed), not timed out waiting for an exact 2. */
	std::string p = tmp_path("cons_poll.trace");
	write_file(p, std::string(kHeader) + kCmdqUp +
			      "0 cpu0 cmd smmu 0x0 0x0000000000000004 0x1f\n"
			      "0 cpu0 cmd smmu 0x1 0x0000000000000046 0x0\n"
			      "0 cpu0 wr smmu 0x98 4 0x2\n"
			      "0 cpu1 cmd smmu 0x2 0x0000000000000004 0x1f\n"
			      "0 cpu1 cmd smmu 0x3 0x0000000000000046 0x0\n"
			      "0 cpu1 wr smmu 0x98 4 0x4\n"
			      "0 cpu0 poll smmu 0x9c 4 0xffffffff 0x2\n"
			      "0 cpu1 poll smmu 0x9c 4 0xffffffff 0x4\n");
	auto *res = new tb_replay_result;
	char err[512];
	ASSERT_EQ(replay_file(p, res, err, sizeof(err)), CMDQV_OK) << err;
	EXPECT_EQ(res->commands, 4u);
	EXPECT_EQ(res->poll_timeouts, 0u);
	EXPECT_EQ(res->incomplete, 0u);
	delete res;
}

TEST(TraceRecorder, APollOnlyFoldsReadsOfOneSource)
{
	/* one actor's polling loop is one poll record; reads of the same register by
         * several actors taking turns are each actor's own reads */
	std::string p = tmp_path("poll_sources.trace");
	char err[256];
	tb_recorder *rec = nullptr;
	ASSERT_EQ(tb_recorder_open(&rec, p.c_str(), nullptr, nullptr, err,
				   sizeof(err)),
		  CMDQV_OK)
		<< err;
	auto rd = [&](const char *src, uint64_t t, uint64_t v) {
		cmdqv_trace_rec r;
		std::memset(&r, 0, sizeof(r));
		r.kind = CMDQV_TR_MMIO_READ;
		r.time = t;
		r.space = CMDQV_SPACE_SMMU;
		r.offset = 0x9c;
		r.size = 4;
		r.value = v;
		tb_recorder_set_source(rec, src);
		tb_recorder_trace(rec, &r);
	};
	rd("cpuA", 10, 0);
	rd("cpuA", 20, 1);
	rd("cpuA", 30, 2); /* cpuA polled until 2 */
	rd("cpuB", 40, 2);
	rd("cpuC", 50, 3);
	rd("cpuB", 60, 4);
	rd("cpuC", 70, 4);
	ASSERT_EQ(tb_recorder_close(rec, err, sizeof(err)), CMDQV_OK) << err;
	std::vector<tb_trace_rec> recs;
	std::string e;
	ASSERT_EQ(read_all(p, &recs, &e), 0) << e;
	ASSERT_EQ(recs.size(), 5u);
	EXPECT_EQ(recs[0].kind, TB_TR_POLL);
	EXPECT_STREQ(recs[0].src, "cpuA");
	EXPECT_EQ(recs[0].value, 2u);
	EXPECT_EQ(recs[0].time, 10u);
	const char *srcs[] = { "cpuB", "cpuC", "cpuB", "cpuC" };
	const uint64_t vals[] = { 2, 3, 4, 4 };
	for (size_t i = 1; i < 5; i++) {
		EXPECT_EQ(recs[i].kind, TB_TR_RD) << i;
		EXPECT_STREQ(recs[i].src, srcs[i - 1]) << i;
		EXPECT_EQ(recs[i].value, vals[i - 1]) << i;
	}
}
