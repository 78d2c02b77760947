/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_outfile.cpp - crash-safe outputs: tb_outfile (write under a
 * temporary name, rename when complete) and the tools killed in the middle
 * of a run: no final-named partial file, a previous complete file intact.
 */
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "tb_outfile.h"
#include "test_util.h"

namespace
{

const std::string kBin = CMDQV_BIN_DIR "/cmdqv-sim";

TEST(Outfile, WrittenUnderATemporaryNameAndRenamed)
{
	const TempDir d("outfile");
	std::string path = d + "/r.json";
	struct tb_outfile f;
	char err[8300];

	std::ofstream(path) << "old complete file\n";
	ASSERT_EQ(tb_outfile_begin(&f, path.c_str(), err, sizeof(err)), 0)
		<< err;
	EXPECT_EQ(std::string(tb_outfile_name(&f)), d + "/.r.json.tmp");
	EXPECT_TRUE(exists(d + "/.r.json.tmp")); /* created: writability */
	std::ofstream(tb_outfile_name(&f)) << "new\n";
	EXPECT_EQ(slurp(path), "old complete file\n"); /* until the commit */
	ASSERT_EQ(tb_outfile_commit(&f, err, sizeof(err)), 0) << err;
	EXPECT_EQ(slurp(path), "new\n");
	EXPECT_FALSE(exists(d + "/.r.json.tmp"));

	/* a failed run: the previous file stays, no temporary */
	ASSERT_EQ(tb_outfile_begin(&f, path.c_str(), err, sizeof(err)), 0);
	std::ofstream(tb_outfile_name(&f)) << "partial";
	tb_outfile_abort(&f);
	EXPECT_EQ(slurp(path), "new\n");
	EXPECT_FALSE(exists(d + "/.r.json.tmp"));

	/* compressed names keep their suffix (the writer compresses by it) */
	ASSERT_EQ(tb_outfile_begin(&f, (d + "/t.trace.gz").c_str(), err,
				   sizeof(err)),
		  0);
	EXPECT_EQ(std::string(tb_outfile_name(&f)), d + "/.t.trace.tmp.gz");
	tb_outfile_abort(&f);

	/* stdout passes through; a directory or a missing one is refused */
	ASSERT_EQ(tb_outfile_begin(&f, "-", err, sizeof(err)), 0);
	EXPECT_EQ(std::string(tb_outfile_name(&f)), "-");
	EXPECT_EQ(tb_outfile_commit(&f, err, sizeof(err)), 0);
	EXPECT_NE(tb_outfile_begin(&f, d.c_str(), err, sizeof(err)), 0);
	EXPECT_NE(std::string(err).find("is a directory"), std::string::npos);
	EXPECT_NE(tb_outfile_begin(&f, (d + "/no/x").c_str(), err, sizeof(err)),
		  0);
	EXPECT_NE(std::string(err).find("cannot create"), std::string::npos);
}

/* tb_outfile_check_uses(): an output may not be an input or another output,
 * by file identity, not by the string. */
TEST(Outfile, OutputsMayNotBeInputsOrEachOther)
{
	const TempDir d("outuses");
	std::string in = d + "/in.trace", out = d + "/out.json";
	char err[3 * TB_OUTFILE_PATH_MAX + 64];
	auto check = [&](std::vector<tb_outfile_use> u) {
		err[0] = '\0';
		return tb_outfile_check_uses(u.data(), u.size(), err,
					     sizeof(err));
	};

	std::ofstream(in) << "input\n";
	ASSERT_EQ(link(in.c_str(), (d + "/hard").c_str()), 0);
	ASSERT_EQ(symlink(in.c_str(), (d + "/soft").c_str()), 0);
	ASSERT_EQ(mkdir((d + "/sub").c_str(), 0777), 0);
	/* distinct files, NULL and "-" (stdin/stdout) skipped; two inputs may
	 * be one file */
	EXPECT_EQ(check({ { "TRACE", in.c_str(), false, false },
			  { "--json", out.c_str(), true, false },
			  { "--record", nullptr, true, false },
			  { "--timeline", "-", true, false },
			  { "--json2", "-", true, false },
			  { "--config", in.c_str(), false, false } }),
		  0)
		<< err;
	/* the same file under other names: ./x, d/sub/../x, a hard link, a
	 * symbolic link */
	for (const std::string &alias :
	     { in, d + "/./in.trace", d + "/sub/../in.trace", d + "/hard",
	       d + "/soft", d + "//in.trace" }) {
		EXPECT_EQ(check({ { "--record", alias.c_str(), true, false },
				  { "TRACE", in.c_str(), false, false } }),
			  -1)
			<< alias;
		EXPECT_EQ(std::string(err), "--record '" + alias +
						    "' and TRACE '" + in +
						    "' are the same file");
	}
	/* two outputs that do not exist yet: the same resolved path */
	std::string rel = d + "/sub/../new.json";
	EXPECT_EQ(
		check({ { "--record", (d + "/new.json").c_str(), true, false },
			{ "--json", rel.c_str(), true, false } }),
		-1);
	EXPECT_NE(std::string(err).find("are the same file"), std::string::npos)
		<< err;
	EXPECT_EQ(
		check({ { "--record", (d + "/no/dir/x").c_str(), true, false },
			{ "--json", (d + "/no/./dir/x").c_str(), true,
			  false } }),
		-1);
	EXPECT_EQ(check({ { "--record", (d + "/a").c_str(), true, false },
			  { "--json", (d + "/b").c_str(), true, false } }),
		  0)
		<< err;
	/* an output whose temporary is an input */
	std::string tmp = d + "/.victim.tmp";
	std::ofstream(tmp) << "input\n";
	EXPECT_EQ(check({ { "-o", (d + "/victim").c_str(), true, false },
			  { "LOG", tmp.c_str(), false, false } }),
		  -1);
	EXPECT_NE(std::string(err).find("would write its temporary"),
		  std::string::npos)
		<< err;
	/* an output inside a directory the run fills */
	EXPECT_EQ(
		check({ { "--out's plots/", (d + "/sub").c_str(), true, true },
			{ "--record", (d + "/sub/x.gp").c_str(), true,
			  false } }),
		-1);
	EXPECT_EQ(std::string(err), "--record '" + d +
					    "/sub/x.gp' is inside --out's "
					    "plots/ '" +
					    d + "/sub'");
	EXPECT_EQ(
		check({ { "--out's plots/", (d + "/sub").c_str(), true, true },
			{ "--record", (d + "/x.gp").c_str(), true, false } }),
		0)
		<< err;
}

/* Start `cmdqv-sim ARGS...` with stdout/stderr to files in @d. */
pid_t spawn(const std::string &d, const std::vector<std::string> &args)
{
	pid_t pid = fork();
	if (pid == 0) {
		std::vector<char *> av;
		av.push_back((char *)"cmdqv-sim");
		for (const auto &a : args)
			av.push_back((char *)a.c_str());
		av.push_back(nullptr);
		std::signal(SIGINT, SIG_DFL);
		if (!std::freopen((d + "/stdout").c_str(), "w", stdout) ||
		    !std::freopen((d + "/stderr").c_str(), "w", stderr))
			_exit(99);
		execv(kBin.c_str(), av.data());
		_exit(98);
	}
	return pid;
}

int run(const std::string &d, const std::vector<std::string> &args)
{
	pid_t pid = spawn(d, args);
	int ws = 0;
	if (pid < 0 || waitpid(pid, &ws, 0) != pid)
		return -1;
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

/* Wait (no time limit of its own) until @path exists (and has content if
 * @content), the child still running; false if the child ended first. */
bool wait_for(pid_t pid, const std::string &path, bool content)
{
	struct stat st;
	int ws;
	while (stat(path.c_str(), &st) != 0 || (content && st.st_size == 0)) {
		if (waitpid(pid, &ws, WNOHANG) != 0)
			return false;
		usleep(5000);
	}
	return true;
}

/*
 * replay writing --record, --timeline and --json, killed (SIGINT: the
 * handler runs; SIGKILL: nothing runs) while it rewrites them: each final
 * name still holds the previous complete file, byte for byte.
 */
void replay_killed(int sig)
{
	const TempDir d("killreplay");
	std::string trace = CMDQV_SOURCE_DIR "/traces/example.trace";
	std::vector<std::string> outs = { d + "/r.trace", d + "/t.json",
					  d + "/r.json" };
	std::vector<std::string> args = { "replay",   trace,	"-q",
					  "--record", outs[0],	"--timeline",
					  outs[1],    "--json", outs[2] };
	ASSERT_EQ(run(d, args), 0) << slurp(d + "/stderr");
	std::vector<std::string> before;
	for (const auto &o : outs) {
		before.push_back(slurp(o));
		ASSERT_FALSE(before.back().empty()) << o;
	}
	/* a long run (the replay repeated) over the same files */
	args.push_back("--bench");
	args.push_back("1000");
	pid_t pid = spawn(d, args);
	ASSERT_GT(pid, 0);
	ASSERT_TRUE(wait_for(pid, d + "/.r.trace.tmp", true))
		<< "the run ended before it could be interrupted: "
		<< slurp(d + "/stderr");
	kill(pid, sig);
	int ws = 0;
	ASSERT_EQ(waitpid(pid, &ws, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(ws) && WTERMSIG(ws) == sig) << ws;
	for (size_t i = 0; i < outs.size(); i++)
		EXPECT_EQ(slurp(outs[i]), before[i]) << outs[i];
	if (sig == SIGINT) {
		for (const char *t :
		     { "/.r.trace.tmp", "/.t.json.tmp", "/.r.json.tmp" })
			EXPECT_FALSE(exists(d + t)) << t;
		EXPECT_NE(slurp(d + "/stderr").find("interrupted"),
			  std::string::npos);
	}
}

TEST(CrashSafe, ReplayInterruptedKeepsThePreviousFiles)
{
	replay_killed(SIGINT);
}

TEST(CrashSafe, ReplayKilledKeepsThePreviousFiles)
{
	replay_killed(SIGKILL);
}

/* compare killed by SIGKILL: the previous --record and --timeline are
 * intact; the output directory holds no report.html (a run starts by
 * removing the old results, docs/output-formats.md). */
TEST(CrashSafe, CompareKilledKeepsThePreviousRecordAndTimeline)
{
	const TempDir d("killcompare");
	std::string rec = d + "/c.trace", tl = d + "/c.json";
	std::vector<std::string> args = {
		"compare",   "--out", d + "/out",   "--paths", "direct",
		"--threads", "1",     "--granules", "1",       "--quiet",
		"--record",  rec,     "--timeline", tl,	       "--iterations"
	};
	std::vector<std::string> small = args, big = args;
	small.push_back("5");
	big.push_back("10000000");
	ASSERT_EQ(run(d, small), 0) << slurp(d + "/stderr");
	std::string rec0 = slurp(rec), tl0 = slurp(tl);
	ASSERT_FALSE(rec0.empty());
	ASSERT_FALSE(tl0.empty());
	pid_t pid = spawn(d, big);
	ASSERT_GT(pid, 0);
	/* created empty when the run starts, after the old results went */
	ASSERT_TRUE(wait_for(pid, d + "/out/.samples.csv.tmp", false))
		<< slurp(d + "/stderr");
	kill(pid, SIGKILL);
	int ws = 0;
	ASSERT_EQ(waitpid(pid, &ws, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL);
	EXPECT_EQ(slurp(rec), rec0);
	EXPECT_EQ(slurp(tl), tl0);
	for (const char *f : { "report.html", "summary.json", "samples.csv" })
		EXPECT_FALSE(exists(d + "/out/" + f)) << f;
}

} // namespace
