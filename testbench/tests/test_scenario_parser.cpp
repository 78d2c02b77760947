/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_scenario_parser.cpp - the scenario language (docs/scenarios.md):
 *  - malformed lines give "FILE:LINE: error: ..." and nothing runs;
 *  - the interpreter's time rules, checked against a scripted fake backend
 *    (so they hold for any backend, not only the native one): accesses do
 *    not advance time, poll returns at the EARLIEST event where its
 *    condition holds and fails exactly at its limit, run advances;
 *  - commands encoded by the script agree with the core's decoder;
 *  - `cmdqv-sim run` output and exit status, including deliberately failing
 *    scripts (testbench/tests/data/) whose failure must be reported on the
 *    line marked EXPECTED-FAIL.
 */
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

extern "C" {
#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/status.h"
#include "tb_mem.h"
#include "tb_native.h"
#include "tb_scenario.h"
}

namespace
{

/* ------------------------------------------------------------------ */
/* parse errors                                                        */

struct BadCase {
	const char *what;
	const char *text;
	unsigned line;
	const char *needle;
};

const BadCase kBad[] = {
	{ "unknown statement", "write32 smmu 0x20 0\nfrobnicate 1\n", 2,
	  "unknown statement 'frobnicate'" },
	{ "bad number", "write32 smmu 0x20 0x1g\n", 1, "bad number '0x1g'" },
	{ "negative number", "write32 smmu 0x20 -1\n", 1, "bad number '-1'" },
	{ "number overflow", "write64 smmu 0x20 0x10000000000000000\n", 1,
	  "number '0x10000000000000000' for value is too large" },
	{ "decimal overflow",
	  "read32 smmu 0x0\nrun 1ns\nmem write 0x0 18446744073709551616\n", 3,
	  "too large (at most 64 bits)" },
	{ "field overflow past 64 bits",
	  "cmd 0x1000 CMD_SYNC msidata=0x1ffffffffffffffffff\n", 1,
	  "too large" },
	{ "UTF-8 byte-order mark", "\xef\xbb\xbfread32 smmu 0x0 == 0\n", 1,
	  "UTF-8 byte-order mark" },
	{ "no-break space",
	  "read32 smmu\xc2\xa0"
	  "0x0 == 0\n",
	  1, "no-break space U+00A0 at column 12" },
	{ "minus sign",
	  "run 1ns\nwrite32 smmu 0x20 \xe2\x88\x92"
	  "1\n",
	  2, "minus sign U+2212" },
	{ "other character", "read32 smmu 0x0 == 0 \xc3\xa9\n", 1,
	  "character U+00E9" },
	{ "not UTF-8", "read32 smmu 0x0 == 0 \xff\n", 1,
	  "byte 0xff at column 22" },
	{ "truncated UTF-8", "read32 smmu 0x0 == \xe2\x88\n", 1, "byte 0xe2" },
	{ "control byte", "read32 smmu 0x0 \x1b[0m== 0\n", 1,
	  "control byte 0x1b at column 17" },
	{ "carriage return inside a line",
	  "read32 smmu 0x0 == 0\nmem expect 0x90 0x4\r0\n", 2,
	  "carriage return at column 20 inside the line" },
	{ "mask 0 on ==", "read32 smmu 0x24 == 0x0 mask 0x0\n", 1,
	  "mask 0x0 compares no bit: the check could never fail" },
	{ "mask 0 on poll !=", "poll32 smmu 0x24 != 0 mask 0 within 1us\n", 1,
	  "could never pass" },
	{ "mask 0 on mem poll", "mem poll 0x1000 == 0 mask 0x0 within 1us\n", 1,
	  "mask 0x0" },
	{ "duplicate config key", "config vintfs=4\nconfig vcmdqs=8 vintfs=2\n",
	  2, "config key 'vintfs' given twice (first on line 1)" },
	{ "duplicate config key, one line", "config ats=1 ats=0\n", 1,
	  "given twice" },
	{ "empty script", "", 1,
	  "the script checks nothing: it has no statement" },
	{ "only comments and config", "# nothing\nconfig vintfs=4\n\n", 3,
	  "it has no statement" },
	{ "only echo", "config ats=1\necho hello\n", 2,
	  "the script checks nothing" },
	{ "missing unit", "\n\nrun 10\n", 3, "has no unit" },
	{ "bad unit", "run 10xs\n", 1, "bad time '10xs'" },
	{ "sub-picosecond", "run 1.5ps\n", 1,
	  "time '1.5ps' is finer than a picosecond" },
	{ "sub-picosecond ns", "run 0.0001ns\n", 1, "finer than a picosecond" },
	{ "time too large", "run 18446744073709551616ps\n", 1,
	  "time '18446744073709551616ps' is too large" },
	{ "time too large in s", "run 18446745s\n", 1, "is too large" },
	{ "expect now takes no mark", "expect now = 1us\n", 1,
	  "expected 'expect now OP TIME'" },
	{ "expect elapsed form", "expect elapsed 1us\n", 1,
	  "expected 'expect elapsed [MARK] OP TIME'" },
	{ "text after the closing quote", "echo \"a\"b\n", 1,
	  "text after the closing quote" },
	{ "tlb add wraps", "tlb add vmid=1 addr=0xfffffffffffff000 pages=4\n",
	  1,
	  "4 pages from addr=0xfffffffffffff000 wrap past the top of the "
	  "64-bit address space (at most 1 from there)" },
	{ "atc add wraps", "atc add sid=1 addr=0xffffffffffffe000 pages=3\n", 1,
	  "wrap past the top" },
	{ "mem write too many words",
	  "mem write 0x1000 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 "
	  "21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 "
	  "44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62\n",
	  1, "mem write takes at most 61 words" },
	{ "config after access", "read32 smmu 0x0\nconfig vintfs=4\n", 2,
	  "config after the first access" },
	{ "unknown config key", "config nokey=1\n", 1,
	  "unknown config key 'nokey'" },
	{ "bad config value", "config vintfs=3\n", 1, "vintfs" },
	{ "CMD-QV without stage 2", "config s2p=0\nread32 smmu 0x0\n", 2,
	  "invalid configuration: s2p: cmdqv=1 needs stage 2" },
	{ "bad space", "read32 gic 0x0\n", 1, "unknown register space 'gic'" },
	{ "misaligned offset", "read32 smmu 0x22\n", 1, "not aligned" },
	{ "offset outside aperture", "read32 smmu 0x20000\n", 1,
	  "outside the smmu aperture" },
	{ "offset outside cmdqv",
	  "config vintfs=1 vcmdqs=2\nread32 cmdqv 0x50000\n", 2,
	  "outside the cmdqv aperture" },
	{ "value too wide", "write32 smmu 0x20 0x100000000\n", 1,
	  "does not fit in 32 bits" },
	{ "value outside mask", "read32 smmu 0x20 == 0x3 mask 0x1\n", 1,
	  "bits outside mask" },
	{ "bad comparison", "read32 smmu 0x20 = 1\n", 1, "expected == or !=" },
	{ "poll without within", "poll32 smmu 0x24 == 1\n", 1, "within TIME" },
	{ "poll without time", "poll32 smmu 0x24 == 1 within\n", 1,
	  "missing time" },
	{ "modify without bits", "modify32 smmu 0x20\n", 1, "set BITS" },
	{ "trailing garbage", "write32 smmu 0x20 1 2\n", 1, "unexpected '2'" },
	{ "unknown command", "cmd 0x1000 CMD_FOO\n", 1,
	  "unknown command name 'CMD_FOO'" },
	{ "unknown field", "cmd 0x1000 CMD_TLBI_NH_ALL bogus=1\n", 1,
	  "unknown command field 'bogus'" },
	{ "field of another command", "cmd 0x1000 CMD_TLBI_EL2_ALL vmid=1\n", 1,
	  "'vmid' is not a field of CMD_TLBI_EL2_ALL" },
	{ "field overflow", "cmd 0x1000 CMD_TLBI_NH_ALL vmid=0x1ffff\n", 1,
	  "vmid 0x1ffff does not fit in 16 bits" },
	{ "range on CFGI_ALL", "cmd 0x1000 CMD_CFGI_ALL range=3\n", 1,
	  "not a field" },
	{ "duplicate field", "cmd 0x1000 CMD_SYNC cs=1 cs=2\n", 1,
	  "given twice" },
	{ "misaligned command", "cmd 0x1008 CMD_SYNC\n", 1,
	  "not 16-byte aligned" },
	{ "opcode too big", "cmd 0x1000 0x100\n", 1, "bad opcode" },
	{ "unterminated string", "echo \"hello\n", 1, "unterminated string" },
	{ "mem without words", "mem write 0x1000\n", 1,
	  "at least one 64-bit word" },
	{ "mem misaligned", "mem expect 0x1004 1\n", 1, "not 8-byte aligned" },
	{ "unknown mem statement", "mem zap 0x1000\n", 1,
	  "unknown mem statement" },
	{ "tlb without addr", "tlb add vmid=1 asid=1\n", 1, "needs addr=ADDR" },
	{ "tlb without state", "tlb expect vmid=1 asid=1 addr=0\n", 1,
	  "present' or 'absent" },
	{ "tlb bad kind", "tlb add kind=el3 addr=0\n", 1, "unknown TLB kind" },
	{ "cfg without sid", "cfg add ssid=1\n", 1, "needs sid=S" },
	{ "atc latency without time", "atc latency sid=1\n", 1,
	  "exactly one TIME" },
	{ "unknown irq", "irq expect nmi asserted\n", 1,
	  "unknown interrupt 'nmi'" },
	{ "irq bad state", "irq expect gerror high\n", 1,
	  "'asserted' or 'deasserted'" },
	{ "unknown mark", "expect elapsed m1 < 1us\n", 1,
	  "no earlier 'mark m1'" },
	{ "count without op", "tlb count vmid=1\n", 1, "<op> N" },
	{ "cmdqv access without CMDQ-V",
	  "config cmdqv=0\nwrite32 smmu 0x20 0\nread32 cmdqv 0x0\n", 3,
	  "the platform has no CMDQ-V (config cmdqv=0)" },
	{ "mem fault beyond 48 bits", "mem fault 0xfffffffffff0 0x100\n", 1,
	  "fault range 0xfffffffffff0+0x100 goes beyond 48 bits" },
	{ "mem fault address beyond 48 bits",
	  "mem fault 0x1000000000000 0x10\n", 1, "goes beyond 48 bits" },
	{ "mem unfault beyond 48 bits", "mem unfault 0xfffffffffff0 0x11\n", 1,
	  "goes beyond 48 bits" },
};

class ParseError : public ::testing::TestWithParam<BadCase> {};

TEST_P(ParseError, ReportsFileLineAndReason)
{
	const BadCase &c = GetParam();
	struct tb_script *s = nullptr;
	char err[512] = "";
	int rc = tb_script_parse_string("t.scn", c.text, &s, err, sizeof(err));
	EXPECT_EQ(rc, CMDQV_EPARSE) << c.what;
	EXPECT_EQ(s, nullptr);
	std::string prefix = "t.scn:" + std::to_string(c.line) + ": error: ";
	EXPECT_EQ(std::string(err).rfind(prefix, 0), 0u)
		<< c.what << ": " << err;
	EXPECT_NE(std::strstr(err, c.needle), nullptr) << c.what << ": " << err;
	tb_script_free(s);
}

INSTANTIATE_TEST_SUITE_P(Scenario, ParseError, ::testing::ValuesIn(kBad));

TEST(ScenarioParse, EchoTextCommentsAndCrLfAreAccepted)
{
	struct tb_script *s = nullptr;
	char err[512] = "";
	ASSERT_EQ(
		tb_script_parse_string("u.scn",
				       "# caf\xc3\xa9 \xc2\xa0 comment\n"
				       "echo \"\xe2\x9c\x93 ready\"\n"
				       "echo plain \xc3\xa9\n"
				       "read32 smmu 0x0 == 0 # \xe2\x88\x92\r\n"
				       "read32 smmu 0x4 == 0\r\n",
				       &s, err, sizeof(err)),
		CMDQV_OK)
		<< err;
	EXPECT_EQ(tb_script_statement_count(s), 4u);
	tb_script_free(s);
}

TEST(ScenarioParse, NonAsciiIsNeverEchoedRaw)
{
	for (const BadCase &c : kBad) {
		char err[512] = "";
		struct tb_script *s = nullptr;
		tb_script_parse_string("t.scn", c.text, &s, err, sizeof(err));
		for (const char *e = err; *e; e++)
			EXPECT_TRUE(*e >= 0x20 && *e < 0x7f)
				<< c.what << ": byte 0x" << std::hex
				<< (unsigned)(unsigned char)*e << " in " << err;
		tb_script_free(s);
	}
}

TEST(ScenarioParse, NulByteInAFileNamesItsLine)
{
	std::string path = ::testing::TempDir() + "nul_byte.scn";
	{
		std::ofstream f(path, std::ios::binary);
		f.write("read32 smmu 0x0\nrun 1n\0s\n", 24);
	}
	struct tb_script *s = nullptr;
	char err[512] = "";
	EXPECT_EQ(tb_script_parse_file(path.c_str(), &s, err, sizeof(err)),
		  CMDQV_EPARSE);
	EXPECT_EQ(s, nullptr);
	EXPECT_EQ(std::string(err),
		  path + ":2: error: NUL byte at column 7 (not a text file)");
	std::remove(path.c_str());
}

TEST(ScenarioParse, AcceptsTheWholeGrammar)
{
	const char *text =
		"# comment\n"
		"config vintfs=4 vcmdqs=8 atc_timeout=1ms\n"
		"echo \"a # not a comment\"\n"
		"write32 smmu 0x20 0x8   # trailing comment\n"
		"write64 cmdqv 0x20000 0x200004\n"
		"read32 smmu 0x24\n"
		"read64 smmu 0x90 != 0 mask 0xff\n"
		"modify32 cmdqv 0x0 set 0x1 clear 0x2\n"
		"poll32 smmu 0x24 == 0x8 within 1.5us\n"
		"poll64 cmdqv 0x20000 != 0x1 within 2ms\n"
		"mem write 0x1000 1 2 3\n"
		"mem expect 0x1000 1 2\n"
		"mem poll 0x1000 == 1 mask 0xff within 1ns\n"
		"mem fault 0x2000 16\n"
		"mem unfault 0x2000 16\n"
		"mem clear-faults\n"
		"cmd 0x3000 CMD_TLBI_NH_VA vmid=1 asid=2 addr=0x5000 tg=1 num=3\n"
		"cmd 0x3010 TLBI_NH_ASID vmid=1 asid=2\n"
		"cmd 0x3020 CMD_CFGI_ALL\n"
		"cmd 0x3030 0x07\n"
		"cmd 0x3040 raw 0x46 0x0\n"
		"run 10ns\n"
		"tlb add kind=s2 vmid=1 addr=0x1000 pages=4\n"
		"tlb expect kind=el2 asid=1 addr=0x1000 absent\n"
		"tlb count vmid=1 >= 4\n"
		"tlb count == 4\n"
		"cfg add sid=1 ssid=2\n"
		"cfg expect sid=1 present\n"
		"atc add sid=1 addr=0x0 pages=2\n"
		"atc expect sid=1 addr=0x1000 present\n"
		"atc count sid=1 == 2\n"
		"atc latency sid=1 3us\n"
		"atc silent sid=1\n"
		"atc silent sid=1 off\n"
		"irq expect gerror deasserted\n"
		"irq expect cmd_sync asserted\n"
		"sev expect deasserted\n"
		"mark\n"
		"mark m1\n"
		"expect now >= 0ps\n"
		"expect elapsed m1 < 1s\n"
		"expect elapsed == 0ps\n";
	struct tb_script *s = nullptr;
	char err[512] = "";
	ASSERT_EQ(tb_script_parse_string("all.scn", text, &s, err, sizeof(err)),
		  CMDQV_OK)
		<< err;
	EXPECT_EQ(tb_script_statement_count(s), 40u);
	EXPECT_EQ(tb_script_config(s)->vintfs, 4u);
	EXPECT_EQ(tb_script_config(s)->atc_timeout, SIM_MS(1));
	EXPECT_STREQ(tb_script_name(s), "all.scn");
	tb_script_free(s);
}

/* ------------------------------------------------------------------ */
/* a scripted fake backend                                             */

/**
 * Fake platform: SMMU offset 0x24 takes scripted values at scripted times
 * (everything else is plain storage); writing SMMU 0x98 pulses CMD_SYNC;
 * offset 0x1c reports EADDR.  next_deadline is the next scripted change.
 */
struct Fake {
	sim_time_t now = 0;
	std::map<sim_time_t, uint64_t> changes;
	std::map<uint64_t, uint64_t> regs;
	uint64_t sync_edges = 0;
	struct tb_mem mem {};
	bool fail_create = false;
	int creates = 0, destroys = 0;
	std::vector<sim_time_t> advances;
};

int fake_create(void *b, const struct cmdqv_config *, char *err, size_t errlen)
{
	Fake *f = static_cast<Fake *>(b);
	f->creates++;
	if (f->fail_create) {
		snprintf(err, errlen, "no platform today");
		return CMDQV_EINVAL;
	}
	f->now = 0;
	return tb_mem_init(&f->mem);
}

void fake_destroy(void *b)
{
	Fake *f = static_cast<Fake *>(b);
	f->destroys++;
	tb_mem_deinit(&f->mem);
}

int fake_read(void *b, enum cmdqv_space sp, uint64_t off, unsigned, uint64_t *v)
{
	Fake *f = static_cast<Fake *>(b);
	if (off == 0x1c)
		return CMDQV_EADDR;
	if (sp == CMDQV_SPACE_SMMU && off == 0x24) {
		*v = 0;
		for (auto &c : f->changes)
			if (c.first <= f->now)
				*v = c.second;
		return CMDQV_OK;
	}
	*v = f->regs[off];
	return CMDQV_OK;
}

int fake_write(void *b, enum cmdqv_space sp, uint64_t off, unsigned, uint64_t v)
{
	Fake *f = static_cast<Fake *>(b);
	if (off == 0x1c)
		return CMDQV_EADDR;
	if (sp == CMDQV_SPACE_SMMU && off == 0x98)
		f->sync_edges++;
	f->regs[off] = v;
	return CMDQV_OK;
}

sim_time_t fake_now(void *b)
{
	return static_cast<Fake *>(b)->now;
}

sim_time_t fake_next(void *b)
{
	Fake *f = static_cast<Fake *>(b);
	auto it = f->changes.upper_bound(f->now);
	return it == f->changes.end() ? SIM_TIME_NEVER : it->first;
}

void fake_advance(void *b, sim_time_t t)
{
	Fake *f = static_cast<Fake *>(b);
	f->advances.push_back(t);
	if (t > f->now)
		f->now = t;
}

struct tb_mem *fake_mem(void *b)
{
	return &static_cast<Fake *>(b)->mem;
}

struct cmdqv_model *fake_model(void *)
{
	return nullptr;
}

bool fake_level(void *, enum cmdqv_irq)
{
	return false;
}

uint64_t fake_edges(void *b, enum cmdqv_irq line)
{
	return line == CMDQV_IRQ_CMD_SYNC ? static_cast<Fake *>(b)->sync_edges :
					    0;
}

const struct tb_backend_ops kFakeOps = {
	"fake",	    fake_create, fake_destroy, fake_read, fake_write,
	fake_now,   fake_next,	 fake_advance, fake_mem,  fake_model,
	fake_level, fake_edges,	 nullptr,
};

tb_result run_fake(Fake &f, const char *text)
{
	struct tb_script *s = nullptr;
	char err[512] = "";
	tb_result res{};
	EXPECT_EQ(tb_script_parse_string("f.scn", text, &s, err, sizeof(err)),
		  CMDQV_OK)
		<< err;
	if (!s) {
		res.outcome = TB_ERROR;
		return res;
	}
	tb_script_run(s, &kFakeOps, &f, nullptr, &res);
	tb_script_free(s);
	return res;
}

TEST(ScenarioRun, AccessesDoNotAdvanceTime)
{
	Fake f;
	tb_result r =
		run_fake(f, "write32 smmu 0x20 1\nread32 smmu 0x20 == 1\n"
			    "modify32 smmu 0x20 set 2\nread32 smmu 0x20 == 3\n"
			    "mem write 0x10 5\nexpect now == 0ps\n");
	EXPECT_EQ(r.outcome, TB_PASS) << r.msg;
	EXPECT_EQ(r.end_time, 0u);
	EXPECT_TRUE(f.advances.empty());
	EXPECT_EQ(f.creates, 1);
	EXPECT_EQ(f.destroys, 1);
}

TEST(ScenarioRun, PollReturnsAtTheEarliestEventWhereTheConditionHolds)
{
	Fake f;
	f.changes = { { 500, 0x1 }, { 1234, 0x8 }, { 2000, 0x9 } };
	tb_result r = run_fake(
		f,
		"poll32 smmu 0x24 == 0x8 within 1us\nexpect now == 1234ps\n");
	EXPECT_EQ(r.outcome, TB_PASS) << r.msg;
	EXPECT_EQ(r.end_time, 1234u);
	/* it stopped at every event on the way and never went past 1234 ps */
	std::vector<sim_time_t> want = { 500, 1234 };
	EXPECT_EQ(f.advances, want);
}

TEST(ScenarioRun, PollThatHoldsAtOnceDoesNotAdvance)
{
	Fake f;
	f.changes = { { 0, 0x8 }, { 700, 0 } };
	tb_result r = run_fake(f, "poll32 smmu 0x24 == 0x8 within 1us\n");
	EXPECT_EQ(r.outcome, TB_PASS) << r.msg;
	EXPECT_EQ(r.end_time, 0u);
}

TEST(ScenarioRun, PollFailsExactlyAtItsLimit)
{
	Fake f;
	f.changes = { { 300, 0x1 }, { 5000000, 0x8 } };
	tb_result r = run_fake(
		f, "write32 smmu 0x20 1\npoll32 smmu 0x24 == 0x8 within 1us\n");
	EXPECT_EQ(r.outcome, TB_FAIL);
	EXPECT_EQ(r.line, 2u);
	EXPECT_EQ(r.end_time, SIM_US(1));
	EXPECT_NE(std::strstr(r.msg, "still 0x1"), nullptr) << r.msg;
}

TEST(ScenarioRun, PollAtTheLimitStillPasses)
{
	Fake f;
	f.changes = { { 1000000, 0x8 } };
	tb_result r = run_fake(f, "poll32 smmu 0x24 == 0x8 within 1us\n");
	EXPECT_EQ(r.outcome, TB_PASS) << r.msg;
	EXPECT_EQ(r.end_time, SIM_US(1));
}

TEST(ScenarioRun, RunAdvancesAndMarksMeasure)
{
	Fake f;
	tb_result r = run_fake(
		f, "run 3us\nmark a\nrun 250ns\nexpect elapsed a == 250ns\n"
		   "expect elapsed == 3.25us\nexpect now > 3us\n");
	EXPECT_EQ(r.outcome, TB_PASS) << r.msg;
	EXPECT_EQ(r.end_time, SIM_NS(3250));
}

TEST(ScenarioRun, FailedCheckReportsLineExpectedAndSeen)
{
	Fake f;
	tb_result r = run_fake(
		f,
		"# c\nwrite32 smmu 0x20 0x5\nread32 smmu 0x20 == 0x4 mask 0xf\n"
		"read32 smmu 0x20 == 0x5\n");
	EXPECT_EQ(r.outcome, TB_FAIL);
	EXPECT_EQ(r.line, 3u);
	EXPECT_NE(std::strstr(r.msg,
			      "expected == 0x4 under mask 0xf, seen 0x5"),
		  nullptr)
		<< r.msg;
	EXPECT_EQ(r.statements, 2u); /* stopped at the failing check */
}

TEST(ScenarioRun, ComparisonsAndMasks)
{
	Fake f;
	tb_result r = run_fake(
		f, "write64 smmu 0x90 0xff00\nread64 smmu 0x90 != 0xff01\n"
		   "read64 smmu 0x90 == 0xf000 mask 0xf000\n");
	EXPECT_EQ(r.outcome, TB_PASS) << r.msg;
}

TEST(ScenarioRun, CmdSyncExpectCountsPulsesSinceThePreviousExpect)
{
	Fake f;
	tb_result r = run_fake(
		f,
		"irq expect cmd_sync deasserted\nwrite32 smmu 0x98 1\n"
		"irq expect cmd_sync asserted\nirq expect cmd_sync deasserted\n");
	EXPECT_EQ(r.outcome, TB_PASS) << r.msg;
	Fake g;
	r = run_fake(g,
		     "write32 smmu 0x98 1\nirq expect cmd_sync deasserted\n");
	EXPECT_EQ(r.outcome, TB_FAIL);
	EXPECT_EQ(r.line, 2u);
}

TEST(ScenarioRun, SevOnABackendThatCannotSeeItFails)
{
	Fake f;
	tb_result r = run_fake(f, "sev expect deasserted\n");
	EXPECT_EQ(r.outcome, TB_FAIL);
	EXPECT_NE(std::strstr(r.msg, "cannot observe SEV"), nullptr) << r.msg;
}

TEST(ScenarioRun, BackendErrorsAreErrorsNotFailures)
{
	Fake f;
	tb_result r = run_fake(f, "write32 smmu 0x20 1\nread32 smmu 0x1c\n");
	EXPECT_EQ(r.outcome, TB_ERROR);
	EXPECT_EQ(r.line, 2u);
	EXPECT_NE(std::strstr(r.msg, "EADDR"), nullptr) << r.msg;
	Fake g;
	g.fail_create = true;
	r = run_fake(g, "run 1ns\n");
	EXPECT_EQ(r.outcome, TB_ERROR);
	EXPECT_NE(std::strstr(r.msg, "no platform today"), nullptr) << r.msg;
	EXPECT_EQ(g.destroys, 1);
}

TEST(ScenarioRun, RunPastTheLastSimulatedTimeIsAnError)
{
	Fake f;
	/* 2^64-2 ps is the last reachable time: reaching it exactly is fine. */
	tb_result r = run_fake(f, "run 18446744073709551ns\nrun 614ps\n");
	EXPECT_EQ(r.outcome, TB_PASS) << r.msg;
	EXPECT_EQ(f.now, UINT64_MAX - 1);
	Fake g;
	r = run_fake(g, "run 18446744073709551ns\nrun 615ps\n");
	EXPECT_EQ(r.outcome, TB_ERROR);
	EXPECT_EQ(r.line, 2u);
	EXPECT_EQ(g.now, UINT64_C(18446744073709551000)); /* did not move */
	Fake h;
	r = run_fake(h, "run 18000000s\nrun 1000000s\n");
	EXPECT_EQ(r.outcome, TB_ERROR);
	EXPECT_EQ(r.line, 2u);
	EXPECT_NE(std::strstr(r.msg,
			      "run would take simulated time past its maximum"),
		  nullptr)
		<< r.msg;
	EXPECT_NE(std::strstr(r.msg, "now 18000000s, 1000000s requested"),
		  nullptr)
		<< r.msg;
	EXPECT_EQ(h.now, 18000000 * UINT64_C(1000000000000));
}

/* Every time up to 2^64-1 ps parses (the docs' limit on a run's end is
 * 2^64-2 ps, checked when it runs); the digits are not cut off early. */
TEST(ScenarioRun, TimesUpToTheLastPicosecondParse)
{
	Fake f;
	tb_result r = run_fake(f, "run 18446744073709551610ps\n");
	EXPECT_EQ(r.outcome, TB_PASS) << r.msg;
	EXPECT_EQ(f.now, UINT64_C(18446744073709551610));
	Fake g;
	r = run_fake(g, "run 18446744073709551614ps\n");
	EXPECT_EQ(r.outcome, TB_PASS) << r.msg;
	EXPECT_EQ(g.now, UINT64_MAX - 1);
	Fake h; /* parses, but its end is past the last simulated time */
	r = run_fake(h, "run 18446744073709551615ps\n");
	EXPECT_EQ(r.outcome, TB_ERROR);
	EXPECT_NE(std::strstr(r.msg, "past its maximum"), nullptr) << r.msg;
	Fake k; /* trailing zeros of a fraction are not finer */
	r = run_fake(k, "run 1.5000ns\nrun 2.000000000000000s\n");
	EXPECT_EQ(r.outcome, TB_PASS) << r.msg;
	EXPECT_EQ(k.now, UINT64_C(1500) + UINT64_C(2000000000000));
}

TEST(ScenarioRun, PollPastTheLastSimulatedTimeIsAnError)
{
	Fake f;
	tb_result r = run_fake(
		f,
		"run 1ns\npoll32 smmu 0x24 == 0x1 within 18446744073709551ns\n");
	EXPECT_EQ(r.outcome, TB_ERROR);
	EXPECT_EQ(r.line, 2u);
	EXPECT_NE(
		std::strstr(r.msg,
			    "poll would take simulated time past its maximum"),
		nullptr)
		<< r.msg;
	EXPECT_EQ(f.now, UINT64_C(1000));
	Fake g;
	r = run_fake(
		g,
		"run 1ns\nmem poll 0x1000 == 0x1 within 18446744073709551ns\n");
	EXPECT_EQ(r.outcome, TB_ERROR);
	EXPECT_NE(std::strstr(r.msg, "past its maximum"), nullptr) << r.msg;
	Fake h; /* a poll whose limit fits still fails only at its limit */
	r = run_fake(h, "poll32 smmu 0x24 == 0x1 within 18446744073709551ns\n");
	EXPECT_EQ(r.outcome, TB_FAIL) << r.msg;
	EXPECT_EQ(h.now, UINT64_C(18446744073709551000));
}

TEST(ScenarioRun, MemoryStatements)
{
	Fake f;
	tb_result r = run_fake(
		f, "mem write 0x1000 0x11 0x22\nmem expect 0x1000 0x11 0x22\n"
		   "mem expect 0x1008 0x23\n");
	EXPECT_EQ(r.outcome, TB_FAIL);
	EXPECT_EQ(r.line, 3u);
	EXPECT_NE(std::strstr(r.msg, "expected 0x23, seen 0x22"), nullptr)
		<< r.msg;
}

/* ------------------------------------------------------------------ */
/* command encoding agrees with the core's decoder                    */

struct EncCase {
	const char *cmd;
	struct cmd want;
};

struct cmd mk(uint8_t op)
{
	struct cmd c;
	std::memset(&c, 0, sizeof(c));
	c.opcode = op;
	return c;
}

std::vector<EncCase> enc_cases()
{
	std::vector<EncCase> v;
	struct cmd c = mk(CMDQ_OP_TLBI_NH_VA);
	c.vmid = 3, c.asid = 0x1234, c.addr = 0xffff123456789000ull, c.tg = 1,
	c.num = 2, c.scale = 3, c.ttl = 1, c.leaf = true;
	v.push_back(
		{ "CMD_TLBI_NH_VA vmid=3 asid=0x1234 addr=0xffff123456789000 tg=1 num=2 "
		  "scale=3 ttl=1 leaf=1",
		  c });
	c = mk(CMDQ_OP_TLBI_S2_IPA);
	c.vmid = 0xfffe, c.addr = 0xabcdef000ull, c.leaf = true;
	v.push_back(
		{ "CMD_TLBI_S2_IPA vmid=0xfffe addr=0xabcdef000 leaf=1", c });
	c = mk(CMDQ_OP_CFGI_STE_RANGE);
	c.range = 31;
	v.push_back({ "CMD_CFGI_ALL", c });
	c = mk(CMDQ_OP_CFGI_CD);
	c.sid = 0x10002, c.ssid = 0xfffff, c.leaf = true;
	v.push_back({ "CMD_CFGI_CD sid=0x10002 ssid=0xfffff leaf=1", c });
	c = mk(CMDQ_OP_ATC_INV);
	c.sid = 0x200, c.ssid = 7, c.ssv = true, c.global = true,
	c.addr = 0x7000, c.size = 52;
	v.push_back(
		{ "CMD_ATC_INV sid=0x200 ssid=7 ssv=1 global=1 addr=0x7000 size=52",
		  c });
	c = mk(CMDQ_OP_SYNC);
	c.cs = 1, c.msh = 3, c.msiattr = 0xf, c.msidata = 0xdeadbeef,
	c.msiaddr = 0x8765430ull;
	v.push_back(
		{ "CMD_SYNC cs=1 msh=3 msiattr=0xf msidata=0xdeadbeef msiaddr=0x8765430",
		  c });
	c = mk(CMDQ_OP_PRI_RESP);
	c.sid = 5, c.ssid = 6, c.ssv = true, c.grpid = 0x1ff, c.resp = 2;
	v.push_back(
		{ "CMD_PRI_RESP sid=5 ssid=6 ssv=1 grpid=0x1ff resp=2", c });
	c = mk(CMDQ_OP_RESUME);
	c.sid = 9, c.resp = 1, c.stag = 0xbeef;
	v.push_back({ "CMD_RESUME sid=9 resp=1 stag=0xbeef", c });
	c = mk(CMDQ_OP_TLBI_EL2_ASID);
	c.asid = 0xffff;
	v.push_back({ "TLBI_EL2_ASID asid=0xffff", c });
	return v;
}

void keep_destroy(void *)
{
}

TEST(ScenarioCmd, EncodingMatchesTheCoreDecoder)
{
	for (const EncCase &e : enc_cases()) {
		std::string text = std::string("cmd 0x4000 ") + e.cmd + "\n";
		struct tb_script *s = nullptr;
		char err[512] = "";
		ASSERT_EQ(tb_script_parse_string("e.scn", text.c_str(), &s, err,
						 sizeof(err)),
			  CMDQV_OK)
			<< e.cmd << ": " << err;
		/* a backend whose destroy keeps the memory, to read the words back */
		struct tb_backend_ops keep = kFakeOps;
		keep.destroy = keep_destroy;
		Fake h;
		tb_result res{};
		EXPECT_EQ(tb_script_run(s, &keep, &h, nullptr, &res), TB_PASS)
			<< res.msg;
		tb_script_free(s);
		uint64_t dw[2] = { tb_mem_read64(&h.mem, 0x4000),
				   tb_mem_read64(&h.mem, 0x4008) };
		tb_mem_deinit(&h.mem);
		struct cmd got;
		cmd_decode(dw, &got);
		const struct cmd &w = e.want;
		EXPECT_EQ(got.opcode, w.opcode) << e.cmd;
		EXPECT_EQ(got.sid, w.sid) << e.cmd;
		EXPECT_EQ(got.ssid, w.ssid) << e.cmd;
		EXPECT_EQ(got.ssv, w.ssv) << e.cmd;
		EXPECT_EQ(got.leaf, w.leaf) << e.cmd;
		EXPECT_EQ(got.global, w.global) << e.cmd;
		EXPECT_EQ(got.range, w.range) << e.cmd;
		EXPECT_EQ(got.vmid, w.vmid) << e.cmd;
		EXPECT_EQ(got.asid, w.asid) << e.cmd;
		EXPECT_EQ(got.addr, w.addr) << e.cmd;
		EXPECT_EQ(got.num, w.num) << e.cmd;
		EXPECT_EQ(got.scale, w.scale) << e.cmd;
		EXPECT_EQ(got.tg, w.tg) << e.cmd;
		EXPECT_EQ(got.ttl, w.ttl) << e.cmd;
		EXPECT_EQ(got.size, w.size) << e.cmd;
		EXPECT_EQ(got.cs, w.cs) << e.cmd;
		EXPECT_EQ(got.msh, w.msh) << e.cmd;
		EXPECT_EQ(got.msiattr, w.msiattr) << e.cmd;
		EXPECT_EQ(got.msidata, w.msidata) << e.cmd;
		EXPECT_EQ(got.msiaddr, w.msiaddr) << e.cmd;
		EXPECT_EQ(got.grpid, w.grpid) << e.cmd;
		EXPECT_EQ(got.resp, w.resp) << e.cmd;
		EXPECT_EQ(got.stag, w.stag) << e.cmd;
	}
}

/* ------------------------------------------------------------------ */
/* native backend                                                      */

void count_trace(void *ctx, const struct cmdqv_trace_rec *)
{
	++*static_cast<int *>(ctx);
}

TEST(ScenarioNative, RunsAgainstTheModelAndFeedsTheTraceObserver)
{
	const char *text = "write64 smmu 0x90 0x100004\n"
			   "write32 smmu 0x20 0x8\n"
			   "read32 smmu 0x24 == 0x0\n"
			   "poll32 smmu 0x24 == 0x8 within 1ms\n"
			   "cmd 0x100000 CMD_SYNC cs=0\n"
			   "write32 smmu 0x98 0x1\n"
			   "read32 smmu 0x9c == 0x0 mask 0x1f\n"
			   "poll32 smmu 0x9c == 0x1 mask 0x1f within 1ms\n";
	struct tb_script *s = nullptr;
	char err[512] = "";
	ASSERT_EQ(tb_script_parse_string("n.scn", text, &s, err, sizeof(err)),
		  CMDQV_OK)
		<< err;
	struct tb_native n;
	std::memset(&n, 0, sizeof(n));
	int records = 0;
	tb_native_set_trace(&n, count_trace, &records);
	for (int round = 0; round < 2;
	     round++) { /* the observer survives destroy */
		int before = records;
		tb_result res{};
		EXPECT_EQ(tb_script_run(s, &tb_native_backend, &n, nullptr,
					&res),
			  TB_PASS)
			<< res.msg;
		EXPECT_GT(res.end_time, 0u);
		EXPECT_GT(records, before);
		EXPECT_EQ(n.model, nullptr);
	}
	tb_script_free(s);
}

tb_result run_native(const char *text)
{
	struct tb_script *s = nullptr;
	char err[512] = "";
	tb_result res{};
	EXPECT_EQ(tb_script_parse_string("n.scn", text, &s, err, sizeof(err)),
		  CMDQV_OK)
		<< err;
	if (!s) {
		res.outcome = TB_ERROR;
		return res;
	}
	struct tb_native n;
	std::memset(&n, 0, sizeof(n));
	tb_script_run(s, &tb_native_backend, &n, nullptr, &res);
	tb_script_free(s);
	return res;
}

TEST(ScenarioNative, FailMessagesPrintIdsInHex)
{
	tb_result r = run_native("atc add sid=0x234 addr=0x1000\n"
				 "atc expect sid=0x234 addr=0x2000 present\n");
	EXPECT_EQ(r.outcome, TB_FAIL);
	EXPECT_NE(std::strstr(r.msg,
			      "the ATC entry sid=0x234 addr=0x2000 present"),
		  nullptr)
		<< r.msg;
	r = run_native("tlb add vmid=0x12 asid=0x234 addr=0x1000\n"
		       "tlb expect vmid=0x12 asid=0x234 addr=0x3000 present\n");
	EXPECT_EQ(r.outcome, TB_FAIL);
	EXPECT_NE(std::strstr(r.msg, "vmid=0x12 asid=0x234 addr=0x3000"),
		  nullptr)
		<< r.msg;
	r = run_native("cfg expect sid=0x234 present\n");
	EXPECT_EQ(r.outcome, TB_FAIL);
	EXPECT_NE(std::strstr(r.msg, "config entry sid=0x234 (STE) present"),
		  nullptr)
		<< r.msg;
	r = run_native("cfg expect sid=0x234 ssid=0x1f present\n");
	EXPECT_EQ(r.outcome, TB_FAIL);
	EXPECT_NE(std::strstr(r.msg,
			      "config entry sid=0x234 ssid=0x1f present"),
		  nullptr)
		<< r.msg;
}

/* A queue stopped by a PROD more than a full queue ahead of CONS would only
 * show a CONS that never moves: the FAIL says why (IHI 0070 3.5.1). */
TEST(ScenarioNative, FailOnAnInconsistentQueueSaysWhy)
{
	const char *bringup = "write64 smmu 0x90 0x4000000000100004\n"
			      "write32 smmu 0x20 0x8\n"
			      "poll32 smmu 0x24 == 0x8 within 1ms\n"
			      "cmd 0x100000 CMD_SYNC\n"
			      "cmd 0x100010 CMD_SYNC\n";
	tb_result r = run_native((std::string(bringup) +
				  "write32 smmu 0x98 0x11\n"
				  "poll32 smmu 0x9c == 0x2 mask 0x1f "
				  "within 1ms\n")
					 .c_str());
	EXPECT_EQ(r.outcome, TB_FAIL);
	EXPECT_NE(
		std::strstr(r.msg,
			    "; note: SMMU CMDQ PROD 0x11 is inconsistent with "
			    "CONS 0x0 (more than full, IHI 0070 3.5.1)"),
		nullptr)
		<< r.msg;
	/* a consistent queue gets no note */
	r = run_native((std::string(bringup) + "write32 smmu 0x98 0x2\n"
					       "poll32 smmu 0x9c == 0x3 mask "
					       "0x1f within 1ms\n")
			       .c_str());
	EXPECT_EQ(r.outcome, TB_FAIL);
	EXPECT_EQ(std::strstr(r.msg, "note:"), nullptr) << r.msg;
}

struct CapCase {
	const char *text;
	unsigned line;
	const char *needle;
};

class ScenarioCapacity : public ::testing::TestWithParam<CapCase> {};

TEST_P(ScenarioCapacity, NamesTheParameterToRaise)
{
	tb_result r = run_native(GetParam().text);
	EXPECT_EQ(r.outcome, TB_ERROR);
	EXPECT_EQ(r.line, GetParam().line);
	EXPECT_NE(std::strstr(r.msg, GetParam().needle), nullptr) << r.msg;
	EXPECT_EQ(std::strstr(r.msg, "ENOMEM"), nullptr) << r.msg;
}

const CapCase kCap[] = {
	{ "config tlb_entries=16\ntlb add vmid=1 asid=1 addr=0 pages=17\n", 2,
	  "the model's TLB is full (tlb_entries = 16); raise it with 'config tlb_entries=N'" },
	{ "config atc_entries=8\natc add sid=1 addr=0 pages=9\n", 2,
	  "ATC storage is full (atc_entries = 8); raise it with 'config atc_entries=N'" },
	{ "config endpoints=1\natc add sid=1 addr=0\natc add sid=2 addr=0\n", 3,
	  "ATS endpoint table is full (endpoints = 1)" },
	{ "config endpoints=1\natc latency sid=1 1us\natc silent sid=2\n", 3,
	  "raise it with 'config endpoints=N'" },
	{ "config cfg_entries=1\ncfg add sid=1\ncfg add sid=2\n", 3,
	  "config cache is full (cfg_entries = 1)" },
};

INSTANTIATE_TEST_SUITE_P(Scenario, ScenarioCapacity, ::testing::ValuesIn(kCap));

/* ------------------------------------------------------------------ */
/* the CLI verb                                                        */

struct CliOut {
	int status;
	std::string out;
};

CliOut cli(const std::string &args, bool merge_stderr = true)
{
	std::string cmd = std::string(CMDQV_BIN_DIR) + "/cmdqv-sim run " +
			  args + (merge_stderr ? " 2>&1" : " 2>/dev/null");
	CliOut r{ -1, "" };
	FILE *p = popen(cmd.c_str(), "r");
	if (!p)
		return r;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		r.out.append(buf, n);
	int st = pclose(p);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return r;
}

std::string data(const char *name)
{
	return std::string(CMDQV_SOURCE_DIR) + "/testbench/tests/data/" + name;
}

unsigned marked_line(const std::string &path, const char *marker)
{
	std::ifstream f(path);
	std::string line;
	unsigned n = 0;
	while (std::getline(f, line)) {
		n++;
		if (line.find(marker) != std::string::npos)
			return n;
	}
	return 0;
}

class CliFail : public ::testing::TestWithParam<const char *> {};

TEST_P(CliFail, ReportsTheMarkedLine)
{
	std::string path = data(GetParam());
	unsigned line = marked_line(path, "EXPECTED-FAIL");
	ASSERT_GT(line, 0u) << path;
	CliOut r = cli(path);
	EXPECT_EQ(r.status, 1) << r.out;
	std::string want = "FAIL " + path + ":" + std::to_string(line) + ": ";
	EXPECT_EQ(r.out.rfind(want, 0), 0u) << r.out;
	EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
}

INSTANTIATE_TEST_SUITE_P(Scenario, CliFail,
			 ::testing::Values("scenario_fail_read.scn",
					   "scenario_fail_poll.scn",
					   "scenario_fail_tlb.scn",
					   "scenario_fail_mem.scn",
					   "scenario_fail_time.scn"));

TEST(ScenarioCli, MalformedScriptRunsNothing)
{
	std::string path = data("scenario_malformed.scn");
	unsigned line = marked_line(path, "EXPECTED-ERROR");
	ASSERT_GT(line, 0u);
	CliOut r = cli(path);
	EXPECT_EQ(r.status, 2);
	std::string want = path + ":" + std::to_string(line) + ": error: ";
	EXPECT_EQ(r.out.rfind(want, 0), 0u) << r.out;
	EXPECT_EQ(r.out.find("PASS"), std::string::npos) << r.out;
	EXPECT_EQ(r.out.find("FAIL"), std::string::npos) << r.out;
}

TEST(ScenarioCli, PassFailAndExitStatusOverSeveralFiles)
{
	std::string pass = std::string(CMDQV_SOURCE_DIR) +
			   "/testbench/scenarios/msi_sync.scn";
	CliOut r = cli(pass, false);
	EXPECT_EQ(r.status, 0) << r.out;
	EXPECT_EQ(r.out, "PASS " + pass + "\n");
	r = cli(pass + " " + data("scenario_fail_tlb.scn") + " " + pass, false);
	EXPECT_EQ(r.status, 1) << r.out;
	EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 3) << r.out;
	r = cli(pass + " " + data("scenario_malformed.scn") + " " +
			data("scenario_fail_tlb.scn"),
		false);
	EXPECT_EQ(r.status, 2) << r.out;
	EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;
}

TEST(ScenarioCli, UsageErrors)
{
	CliOut r = cli("/nonexistent/x.scn");
	EXPECT_EQ(r.status, 2);
	EXPECT_NE(r.out.find("/nonexistent/x.scn: error: cannot open"),
		  std::string::npos)
		<< r.out;
	r = cli("");
	EXPECT_EQ(r.status, 2);
	r = cli("--bogus x.scn");
	EXPECT_EQ(r.status, 2);
	r = cli("--help");
	EXPECT_EQ(r.status, 0);
	EXPECT_NE(r.out.find("usage: cmdqv-sim run"), std::string::npos);
}

} // namespace
