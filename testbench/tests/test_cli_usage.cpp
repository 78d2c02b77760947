/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cli_usage.cpp - the cmdqv-sim verbs' usage errors: ONE line on
 * stderr naming the problem, exit status 2, nothing on stdout; options may
 * follow the scenario files of `run`; `replay --set` is the same as
 * `replay --config KEY=VALUE`.
 */
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <csignal>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "test_util.h"

namespace
{

using CliRun = RunResult;

/* `cmdqv-sim ARGS` with stdout and stderr captured separately. */
CliRun sim(const std::string &args)
{
	return run_captured(std::string(CMDQV_BIN_DIR) + "/cmdqv-sim " + args +
			    " </dev/null");
}

std::string scn(const char *name)
{
	return std::string(CMDQV_SOURCE_DIR) + "/testbench/scenarios/" + name;
}

std::string trace(const char *name)
{
	return std::string(CMDQV_SOURCE_DIR) + "/traces/" + name;
}

void expect_one_line(const std::string &args, const std::string &needle)
{
	CliRun r = sim(args);
	expect_one_error_line(r.status, r.err, args, needle);
	EXPECT_EQ(r.out, "") << args;
}

TEST(CliUsage, EveryVerbGivesOneErrorLine)
{
	expect_one_line("frobnicate", "frobnicate");
	expect_one_line("run", "no scenario file");
	expect_one_line("run --bogus x.scn", "--bogus");
	expect_one_line("run " + scn("readme_example.scn") + " --record",
			"--record");
	expect_one_line("run --record - " + scn("readme_example.scn"),
			"--record -");
	expect_one_line("replay", "no TRACE");
	expect_one_line("replay " + trace("example.trace") +
				" --record - --json -",
			"stdout");
	expect_one_line("replay " + trace("example.trace") + " --bogus",
			"--bogus");
	expect_one_line("replay " + trace("example.trace") + " --path",
			"--path");
	expect_one_line("replay " + trace("example.trace") + " other.trace",
			"other.trace");
	expect_one_line(
		"replay " + trace("example.trace") + " --set no_such_key=1",
		"cmdqv-sim replay: error: unknown configuration key 'no_such_key'");
	expect_one_line(
		"replay " + trace("example.trace") +
			" --json /nonexistent-dir/r.json",
		"replay: error: --json: cannot create /nonexistent-dir/r.json");
	expect_one_line("import-qemu", "no LOG");
	expect_one_line("import-qemu log.gz", "-o FILE");
	expect_one_line("import-qemu log.gz -o x --bogus", "--bogus");
	expect_one_line("bench --bogus", "--bogus");
	expect_one_line("params --bogus", "--bogus");
}

/* Every entry of @d with its bytes ("<dir>" for a directory), one per line:
 * what a refused run must leave as it was. */
std::string dir_state(const std::string &d)
{
	CliRun r = run_captured("cd '" + d +
				"' && for f in .* *; do if [ -d \"$f\" ]; then "
				"echo \"$f <dir>\"; else echo \"$f\"; "
				"cksum < \"$f\"; fi; done");
	return r.out;
}

/* An output that is an input (by file identity: ./x, a hard link) or that
 * another output also writes is refused before anything is written: one
 * line naming both, exit status 2, every file as it was. */
TEST(CliUsage, AnOutputOverAnInputOrAnotherOutputIsRefused)
{
	const TempDir d("clash");
	std::ofstream(d + "/s.trace.gz", std::ios::binary)
		<< slurp(trace("qemu72-boot.trace.gz"));
	std::ofstream(d + "/log.txt") << "a QEMU log\n";
	std::ofstream(d + "/a.scn") << "echo hi\nread32 smmu 0x0\n";
	std::ofstream(d + "/c.cfg") << "fetch_latency = 5us\n";
	ASSERT_EQ(link((d + "/s.trace.gz").c_str(), (d + "/hard.gz").c_str()),
		  0);
	const std::string before = dir_state(d);
	ASSERT_NE(before.find("s.trace.gz"), std::string::npos) << before;
	const char *cases[][3] = {
		{ "replay s.trace.gz --record s.trace.gz -q",
		  "--record 's.trace.gz' and TRACE 's.trace.gz' are the same file",
		  "" },
		{ "replay s.trace.gz --json ./s.trace.gz -q",
		  "--json './s.trace.gz' and TRACE", "" },
		{ "replay s.trace.gz --timeline hard.gz -q",
		  "--timeline 'hard.gz' and TRACE", "" },
		{ "replay s.trace.gz --record x --json x -q",
		  "--record 'x' and --json 'x'", "" },
		{ "replay s.trace.gz --json x --timeline ./x -q",
		  "--timeline './x' and --json 'x'", "" },
		{ "import-qemu log.txt -o log.txt -q",
		  "-o 'log.txt' and LOG 'log.txt'", "" },
		{ "run --record a.scn a.scn",
		  "--record 'a.scn' and SCRIPT 'a.scn'", "" },
		{ "compare --out D --config c.cfg --record c.cfg --quiet",
		  "--record 'c.cfg' and --config 'c.cfg'", "" },
		{ "compare --out D --record D/summary.json --quiet",
		  "--record 'D/summary.json' and --out's summary.json", "" },
		{ "compare --out D --timeline D/plots/unmap.gp --quiet",
		  "--timeline 'D/plots/unmap.gp' is inside --out's plots/",
		  "" },
		{ "--record a.scn a.scn", "--record 'a.scn' and SCRIPT 'a.scn'",
		  "vp" },
		{ "--vcd v a.scn --record ./v", "--vcd 'v' and --record './v'",
		  "vp" },
	};
	for (auto &c : cases) {
		std::string prog = std::string(CMDQV_BIN_DIR) +
				   (*c[2] ? "/cmdqv-vp" : "/cmdqv-sim");
		if (*c[2] && !exists(prog))
			continue; /* built without the TLM platform */
		CliRun r = run_captured("cd '" + d + "' && '" + prog + "' " +
					c[0] + " </dev/null");
		expect_one_error_line(r.status, r.err, c[0], c[1]);
		EXPECT_NE(r.err.find("nothing written"), std::string::npos)
			<< r.err;
		EXPECT_EQ(r.out, "") << c[0];
		EXPECT_EQ(dir_state(d), before) << c[0];
	}
}

/* Results on a stdout that cannot take them (a full disk: /dev/full) are
 * lost: exit status 2 and one line, for every program and verb. */
/* @err without the three-line warning AddressSanitizer prints when a
 * SystemC coroutine switches stacks in a forked cmdqv-vp child (sanitizer
 * builds only; it is not the program's message). */
static std::string without_asan_stack_warning(const std::string &err)
{
	std::istringstream in(err);
	std::string line, out;
	while (std::getline(in, line)) {
		if (line.find(
			    "ASan is ignoring requested __asan_handle_no_return") !=
			    std::string::npos ||
		    line == "False positive error reports may follow" ||
		    line.rfind(
			    "For details see https://github.com/google/sanitizers",
			    0) == 0)
			continue;
		out += line + "\n";
	}
	return out;
}

TEST(CliUsage, AFailedWriteToStdoutIsAnError)
{
	if (!exists("/dev/full"))
		GTEST_SKIP() << "no /dev/full";
	const TempDir d("stdout");
	std::string bin = CMDQV_BIN_DIR, t = trace("qemu72-rebind.trace.gz");
	std::string s = scn("readme_example.scn");
	std::vector<std::string> cmds = {
		"cmdqv-sim replay " + t + " --json -",
		"cmdqv-sim replay " + t,
		"cmdqv-sim run " + s,
		"cmdqv-sim run " + s + " " + s,
		"cmdqv-sim params",
		"cmdqv-sim params --help",
		"cmdqv-sim --help",
		"cmdqv-sim bench --commands 1000 --case smmu",
		"cmdqv-sim compare --out " + d +
			"/out --paths direct --threads 1 --granules 1 "
			"--iterations 5",
		"cmdqv-vp " + s,
		"cmdqv-vp " + s + " " + s,
		"cmdqv-linux --scenario probe --quiet",
	};
	for (const std::string &c : cmds) {
		std::string prog = c.substr(0, c.find(' '));
		if (!exists(bin + "/" + prog))
			continue; /* not built here */
		/* the braces: run_captured() redirects the group's stdout */
		CliRun r = run_captured("{ '" + bin + "/" + prog + "'" +
					c.substr(c.find(' ')) +
					" </dev/null >/dev/full; }");
		expect_one_error_line(r.status,
				      without_asan_stack_warning(r.err), c,
				      "cannot write to stdout");
	}
	/* a program that writes nothing to stdout does not need it */
	CliRun r = run_captured("{ " + bin + "/cmdqv-sim replay " + t +
				" -q >&-; }");
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.err, "");
}

/* A number too large for 64 bits is an error like any bad number, for every
 * numeric option, not the largest value (bench --commands 2^64 ran for
 * ever); bench --commands has an upper limit. */
TEST(CliUsage, NumbersTooLargeAreErrorsNotSaturated)
{
	const std::string big = "99999999999999999999",
			  b64 = "18446744073709551616";
	std::string t = trace("example.trace"), bin = CMDQV_BIN_DIR;
	for (const std::string &v :
	     { big, b64, std::string("1000000001"), std::string("1e3"),
	       std::string("-5"), std::string("0") })
		expect_one_line("bench --commands " + v,
				"--commands: expected a number 1..1000000000, "
				"got '" +
					v + "'");
	expect_one_line("bench --per-sync " + b64, "--per-sync");
	expect_one_line("replay " + t + " --bench " + big, "--bench");
	expect_one_line("import-qemu log.gz -o x --phase-gap-ms " + b64,
			"bad gap");
	expect_one_line("import-qemu log.gz -o x --cmdq-base 0x1" +
				std::string(16, '0'),
			"bad address");
	for (const char *o : { "--seed ", "--iterations ", "--vms ",
			       "--background ", "--host-queues " })
		expect_one_line("compare --out /nonexistent-dir/x " +
					std::string(o) + b64,
				std::string(o).substr(0, std::strlen(o) - 1));
	expect_one_line("compare --out /nonexistent-dir/x --threads 1," + big,
			"--threads");
	expect_one_line("compare --out /nonexistent-dir/x --duration " + big +
				"s",
			"--duration");
	struct {
		const char *prog;
		std::string args, needle;
	} other[] = {
		{ "cmdqv-vp", "--quantum " + big + "s x.scn", "--quantum" },
		{ "cmdqv-vp-bench", "--commands " + big, "--commands" },
		{ "cmdqv-linux", "--seed " + b64, "--seed" },
		{ "cmdqv-linux", "--cpus -1", "--cpus" },
		{ "cmdqv-linux", "--compare-host --seed " + b64, "--seed" },
		{ "cmdqv-linux", "--compare-host --iterations " + big,
		  "--iterations" },
		{ "cmdqv-linux", "--compare-host --cpus 1," + big, "--cpus" },
	};
	for (auto &c : other) {
		std::string prog = bin + "/" + c.prog;
		if (!exists(prog))
			continue; /* not built here */
		CliRun r = run_captured(prog + " " + c.args + " </dev/null");
		EXPECT_EQ(r.status, 2) << c.prog << " " << c.args;
		EXPECT_EQ(count_lines(r.err), 1u) << c.args << ": " << r.err;
		EXPECT_NE(r.err.find(c.needle), std::string::npos)
			<< c.args << ": " << r.err;
		EXPECT_EQ(r.out, "") << c.args;
	}
}

/* Limits of the workload are checked before the output directory is touched
 * (they used to fail at the first point, after the old results were gone). */
TEST(CliUsage, CompareChecksWorkloadLimitsUpFront)
{
	char dir[] = "/tmp/cmdqv_cli_limits_XXXXXX";
	ASSERT_NE(mkdtemp(dir), nullptr);
	std::string out = std::string(dir) + "/out";
	const char *bad[][2] = {
		{ "--threads 65", "--threads" },
		{ "--iterations 10000001", "--iterations" },
		{ "--vms 64", "--vms" },
		{ "--background 100000001",
		  "compare: error: --background: '100000001' is not a number in "
		  "0..100000000" },
		{ "--vms 63 --threads 64 --iterations 20000", "samples" },
		{ "--timeline /tmp", "--timeline: /tmp is a directory" },
		{ "--set ats=0", "the SMMU has none (ats=0)" },
		{ "--paths trap,direct --set cmdqv=0",
		  "direct, 1 thread, 1 page: path direct needs" },
		{ "--record /tmp", "--record: /tmp is a directory" },
	};
	for (auto &b : bad) {
		expect_one_line("compare --quiet --out " + out + " " + b[0],
				b[1]);
		struct stat st;
		EXPECT_NE(stat(out.c_str(), &st), 0) << b[0];
	}
	std::system(("rm -rf '" + std::string(dir) + "'").c_str());
}

TEST(CliUsage, RunTakesOptionsAfterTheScripts)
{
	std::string s = scn("readme_example.scn");
	CliRun r = sim("run " + s + " -q");
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out, "PASS " + s + "\n");
	EXPECT_EQ(r.err, "");
	/* `--` ends the options: a script named like an option is a file. */
	r = sim("run -- " + s);
	EXPECT_EQ(r.status, 0) << r.err;
}

/* getopt_long: every verb takes `--name=value` as `--name value`, options
 * after the operands, `--` before an operand that looks like an option, and
 * names what is wrong with an option in one line. */
TEST(CliUsage, OptionsParseTheGetoptLongWay)
{
	std::string t = trace("example.trace");
	CliRun a = sim("replay " + t + " --json - -q --set fetch_latency=5us");
	CliRun b = sim("replay --json=- --set=fetch_latency=5us " + t + " -q");
	ASSERT_EQ(a.status, 0) << a.err;
	EXPECT_EQ(a.out, b.out) << b.err;
	CliRun c = sim("replay -q -- " + t + " --json -");
	EXPECT_EQ(c.status, 2); /* after --, "--json" is a second TRACE */
	EXPECT_NE(c.err.find("more than one TRACE"), std::string::npos)
		<< c.err;
	/* --bench keeps its optional count as the next argument, before or
	 * after the trace */
	CliRun d = sim("replay " + t + " --bench 2 -q");
	CliRun e = sim("replay --bench 2 " + t + " -q");
	ASSERT_EQ(d.status, 0) << d.err;
	ASSERT_EQ(e.status, 0) << e.err;
	EXPECT_NE((d.out + d.err).find("best of 2"), std::string::npos)
		<< d.err;
	EXPECT_NE((e.out + e.err).find("best of 2"), std::string::npos)
		<< e.err;
	CliRun f = sim("params --markdown");
	CliRun g = sim("params --mark"); /* an unambiguous prefix */
	ASSERT_EQ(f.status, 0) << f.err;
	EXPECT_EQ(f.out, g.out);
	expect_one_line("run " + scn("readme_example.scn") + " -x", "'-x'");
	expect_one_line("run -qx " + scn("readme_example.scn"), "'-x'");
	expect_one_line("replay " + t + " --quiet=1", "--quiet takes no value");
	expect_one_line("replay " + t + " --json", "--json needs a value");
	expect_one_line("import-qemu log.gz -o", "-o needs a value");
	expect_one_line("bench --case", "--case needs a value");
	expect_one_line("bench extra", "unexpected argument 'extra'");
	expect_one_line("params extra", "unexpected argument 'extra'");
	expect_one_line("compare --out /nonexistent-dir/x stray",
			"unexpected argument 'stray'");
	expect_one_line("compare --vms", "--vms needs a value");
	for (const char *verb :
	     { "run", "replay", "import-qemu", "bench", "params", "compare" }) {
		CliRun h = sim(std::string(verb) + " --help");
		EXPECT_EQ(h.status, 0) << verb;
		EXPECT_EQ(h.out.rfind("usage: cmdqv-sim ", 0), 0u) << verb;
	}
}

/* --help of every program: the usage on stdout, nothing on stderr, exit
 * status 0; each verb's names -h and its exit status and fits 80 columns. */
TEST(CliUsage, EveryProgramAnswersHelp)
{
	std::string bin = CMDQV_BIN_DIR;
	for (const char *verb :
	     { "run", "replay", "import-qemu", "bench", "params", "compare" }) {
		CliRun h = sim(std::string(verb) + " --help");
		EXPECT_EQ(h.status, 0) << verb;
		EXPECT_EQ(h.err, "") << verb;
		EXPECT_NE(h.out.find("-h, --help"), std::string::npos) << verb;
		EXPECT_NE(h.out.find("\nexit status: "), std::string::npos)
			<< verb;
		if (std::string(verb) == "import-qemu")
			continue;
		std::istringstream lines(h.out);
		for (std::string l; std::getline(lines, l);)
			EXPECT_LE(l.size(), 80u) << verb << ": " << l;
	}
	struct {
		const char *prog, *args, *needle;
	} other[] = {
		{ "cmdqv-vp", "--help", "usage: cmdqv-vp " },
		{ "cmdqv-vp-bench", "--help", "usage: cmdqv-vp-bench " },
		{ "cmdqv-vp-bench", "-h", "usage: cmdqv-vp-bench " },
		{ "cmdqv-linux", "--help",
		  "cmdqv-linux --compare-host [--path host|trap|eventfd|direct]" },
		{ "cmdqv-linux", "-h", "usage: cmdqv-linux " },
		{ "cmdqv-linux", "--compare-host --help",
		  "usage: cmdqv-linux --compare-host [--path "
		  "host|trap|eventfd|direct]" },
	};
	for (auto &c : other) {
		std::string prog = bin + "/" + c.prog;
		if (!exists(prog))
			continue; /* not built here */
		CliRun r = run_captured(prog + " " + c.args + " </dev/null");
		EXPECT_EQ(r.status, 0) << c.prog << " " << c.args;
		EXPECT_EQ(r.err, "") << c.prog << " " << c.args;
		EXPECT_NE(r.out.find(c.needle), std::string::npos)
			<< c.prog << " " << c.args << ": " << r.out;
	}
	/* a mistake is one line, worded as cmdqv-sim words it */
	struct {
		const char *prog, *args, *needle;
	} bad[] = {
		{ "cmdqv-vp", "x.scn --record", "--record needs a value" },
		{ "cmdqv-vp", "--quantum= x.scn", "bad --quantum" },
		{ "cmdqv-vp-bench", "--commands", "--commands needs a value" },
		{ "cmdqv-vp-bench", "--bogus", "unknown option '--bogus'" },
		{ "cmdqv-linux", "--bogus", "unknown option '--bogus'" },
		{ "cmdqv-linux", "--cpus", "--cpus needs a value" },
		{ "cmdqv-linux", "--scenario", "--scenario needs a value" },
		{ "cmdqv-linux", "--compare-host --bogus 1",
		  "unknown option '--bogus'" },
		{ "cmdqv-linux", "--compare-host --json",
		  "--json needs a value" },
	};
	for (auto &c : bad) {
		std::string prog = bin + "/" + c.prog;
		if (!exists(prog))
			continue;
		CliRun r = run_captured(prog + " " + c.args + " </dev/null");
		expect_one_error_line(r.status, r.err,
				      std::string(c.prog) + " " + c.args,
				      c.needle);
		EXPECT_EQ(r.out, "") << c.prog << " " << c.args;
	}
}

/* run and cmdqv-vp: -q silences echo and -v prints every statement, in any
 * order and spelling (-v used to turn echo back on after -q). */
TEST(CliUsage, QuietAndVerboseAreIndependent)
{
	const TempDir d("quiet");
	std::string e = d + "/e.scn";
	std::ofstream(e) << "echo hi\nread32 smmu 0x0\n";
	for (const char *prog : { "cmdqv-sim run", "cmdqv-vp" }) {
		std::string p = std::string(CMDQV_BIN_DIR) + "/" + prog;
		if (!exists(p.substr(0, p.find(' '))))
			continue; /* built without the TLM platform */
		for (const char *f :
		     { "-v -q", "-q -v", "-vq", "-qv", "--quiet --verbose" }) {
			CliRun r = run_captured(p + " " + f + " " + e);
			EXPECT_EQ(r.status, 0) << prog << " " << f << r.err;
			EXPECT_EQ(r.out.find("\nhi\n"), std::string::npos)
				<< prog << " " << f << ": " << r.out;
			EXPECT_NE(r.out.find("[0ps] echo hi\n"),
				  std::string::npos)
				<< prog << " " << f << ": " << r.out;
		}
		CliRun v = run_captured(p + " -v " + e);
		EXPECT_NE(v.out.find("\nhi\n"), std::string::npos) << v.out;
		CliRun q = run_captured(p + " -q " + e);
		EXPECT_EQ(q.out, "PASS " + e + "\n");
	}
}

/* --record of a run that stopped with an error (exit status 2): neither run
 * nor cmdqv-vp leaves a recording (a previous file stays as it was); a run
 * whose check failed (exit status 1) is complete and recorded by both. */
TEST(CliUsage, RecordOfARunThatBrokeIsNotWritten)
{
	const TempDir d("recerr");
	std::string broke = d + "/broke.scn", fails = d + "/fails.scn";
	std::ofstream(broke)
		<< "config tlb_entries=4\ntlb add vmid=1 addr=0x0 pages=5\n";
	std::ofstream(fails) << "read32 smmu 0x60 == 0x1\n";
	for (const char *prog : { "cmdqv-sim run", "cmdqv-vp" }) {
		std::string p = std::string(CMDQV_BIN_DIR) + "/" + prog;
		if (!exists(p.substr(0, p.find(' '))))
			continue; /* built without the TLM platform */
		std::string rec = d + "/r.trace", old = "previous file\n";
		CliRun r = run_captured(p + " --record " + rec + " " + broke);
		expect_one_error_line(r.status, r.err, prog, "TLB is full");
		EXPECT_FALSE(exists(rec)) << prog;
		EXPECT_FALSE(exists(d + "/.r.trace.tmp")) << prog;
		std::ofstream(rec) << old;
		r = run_captured(p + " --record " + rec + " " + broke);
		EXPECT_EQ(r.status, 2) << prog;
		EXPECT_EQ(slurp(rec), old) << prog;
		r = run_captured(p + " --record " + rec + " " + fails);
		EXPECT_EQ(r.status, 1) << prog << r.err;
		EXPECT_EQ(slurp(rec).rfind("cmdqv-trace 1\n", 0), 0u) << prog;
		std::remove(rec.c_str());
	}
}

/* `replay --record -`: stdout is the recording alone, no text report in it. */
TEST(CliUsage, ReplayRecordToStdoutIsOnlyTheTrace)
{
	CliRun r = sim("replay " + trace("example.trace") + " --record -");
	ASSERT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out.rfind("cmdqv-trace 1\n", 0), 0u)
		<< r.out.substr(0, 200);
	EXPECT_EQ(r.out.find("replay (host path)"), std::string::npos);
}

TEST(CliUsage, RunRecordThatCannotBeCreatedIsOneLine)
{
	std::string s = scn("readme_example.scn");
	CliRun r = sim("run " + s + " " + s +
		       " --record /nonexistent-dir/x.trace");
	EXPECT_EQ(r.status, 2);
	EXPECT_EQ(count_lines(r.err), 1u) << r.err;
	EXPECT_NE(r.err.find("/nonexistent-dir/x.trace"), std::string::npos)
		<< r.err;
	EXPECT_EQ(r.out.find("PASS"), std::string::npos) << r.out;
}

TEST(CliUsage, ReplaySetEqualsConfig)
{
	std::string t = trace("example.trace");
	CliRun a = sim("replay " + t + " --json - -q --set fetch_latency=5us");
	CliRun b =
		sim("replay " + t + " --json - -q --config fetch_latency=5us");
	CliRun c = sim("replay " + t + " --json - -q");
	ASSERT_EQ(a.status, 0) << a.err;
	ASSERT_EQ(b.status, 0) << b.err;
	ASSERT_EQ(c.status, 0) << c.err;
	EXPECT_EQ(a.out, b.out);
	EXPECT_NE(a.out, c.out); /* the override took effect */
	EXPECT_NE(a.out.find("\"commands\""), std::string::npos) << a.out;
}

/* Ctrl-C during compare: one line, death by SIGINT, no temporary file left,
 * nothing that looks like a complete run.  Waits (without a time limit of its
 * own) until the run has started writing, then interrupts it. */
TEST(CliUsage, CompareInterruptedLeavesNoTemporaries)
{
	char dir[] = "/tmp/cmdqv_cli_sigint_XXXXXX";
	ASSERT_NE(mkdtemp(dir), nullptr);
	std::string d(dir), out = d + "/out";
	pid_t pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		std::signal(SIGINT, SIG_DFL);
		if (!std::freopen((d + "/err").c_str(), "w", stderr))
			_exit(99);
		execl((std::string(CMDQV_BIN_DIR) + "/cmdqv-sim").c_str(),
		      "cmdqv-sim", "compare", "--out", out.c_str(), "--paths",
		      "direct", "--threads", "1", "--granules", "1",
		      "--iterations", "10000000", "--quiet", (char *)nullptr);
		_exit(98);
	}
	struct stat st;
	int ws = 0;
	while (stat((out + "/.samples.csv.tmp").c_str(), &st) != 0) {
		ASSERT_EQ(waitpid(pid, &ws, WNOHANG), 0) << slurp(d + "/err");
		usleep(10000);
	}
	kill(pid, SIGINT);
	ASSERT_EQ(waitpid(pid, &ws, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGINT) << ws;
	std::string err = slurp(d + "/err");
	EXPECT_EQ(count_lines(err.substr(err.find_first_not_of('\n'))), 1u)
		<< err;
	EXPECT_NE(err.find("interrupted"), std::string::npos) << err;
	EXPECT_NE(stat((out + "/.samples.csv.tmp").c_str(), &st), 0);
	EXPECT_NE(stat((out + "/summary.json").c_str(), &st), 0);
	EXPECT_NE(stat((out + "/report.html").c_str(), &st), 0);
	std::system(("rm -rf '" + d + "'").c_str());
}

} // namespace
