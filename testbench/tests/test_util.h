/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_util.h - file and command helpers shared by the test suites that run
 * the CLI or read back what the CLI, the trace writer or the importer
 * produced (test_cli_usage.cpp, test_compare.cpp, test_trace*.cpp).
 */
#ifndef CMDQV_TESTS_TEST_UTIL_H
#define CMDQV_TESTS_TEST_UTIL_H

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "tb_replay.h"
#include "tb_trace.h"

/* The whole file at @path, "" if it cannot be read. */
inline std::string slurp(const std::string &path)
{
	std::ifstream f(path, std::ios::binary);
	std::stringstream ss;
	ss << f.rdbuf();
	return ss.str();
}

/* Whether anything exists at @path. */
inline bool exists(const std::string &path)
{
	struct stat st;
	return stat(path.c_str(), &st) == 0;
}

/* A new private directory /tmp/cmdqv-@tag-XXXXXX ("" on failure); the
 * caller removes it. */
inline std::string temp_dir(const std::string &tag)
{
	std::string tmpl = "/tmp/cmdqv-" + tag + "-XXXXXX";
	const char *d = mkdtemp(&tmpl[0]);
	return d ? d : "";
}

/* Remove @dir and everything under it. */
inline void remove_tree(const std::string &dir)
{
	std::system(("rm -rf '" + dir + "'").c_str());
}

/* A temp_dir() removed with everything in it when the scope ends, however
 * the test leaves it (a failed ASSERT too). It is the path string itself. */
struct TempDir : std::string {
	explicit TempDir(const std::string &tag)
		: std::string(temp_dir(tag))
	{
	}
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;
	~TempDir()
	{
		if (!empty())
			remove_tree(*this);
	}
};

/* @name inside this test process's scratch directory (a TempDir made on
 * first use, removed with everything in it when the process exits), for
 * suites that write many small files. */
inline std::string scratch_path(const std::string &name)
{
	static const TempDir dir("test");
	return dir + "/" + name;
}

/* The number of newlines in @s. */
inline size_t count_lines(const std::string &s)
{
	size_t n = 0;
	for (char c : s)
		n += c == '\n';
	return n;
}

/* What a command did: exit status (-1 if it did not exit), stdout, stderr. */
struct RunResult {
	int status;
	std::string out;
	std::string err;
};

/* Run the shell command @cmd with its stdout and stderr captured apart (in
 * a temporary directory removed afterwards). */
inline RunResult run_captured(const std::string &cmd)
{
	RunResult r{ -1, "", "" };
	std::string dir = temp_dir("run");
	if (dir.empty())
		return r;
	std::string o = dir + "/stdout", e = dir + "/stderr";
	int st = std::system((cmd + " >'" + o + "' 2>'" + e + "'").c_str());
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r.out = slurp(o);
	r.err = slurp(e);
	remove_tree(dir);
	return r;
}

/* A usage error from the command run with @args: exit status 2 and one
 * line on stderr (@err) that says "error:" and contains @needle. */
inline void expect_one_error_line(int status, const std::string &err,
				  const std::string &args,
				  const std::string &needle)
{
	EXPECT_EQ(status, 2) << args;
	EXPECT_EQ(count_lines(err), 1u) << args << ": " << err;
	EXPECT_NE(err.find("error:"), std::string::npos) << args << ": " << err;
	EXPECT_NE(err.find(needle), std::string::npos) << args << ": " << err;
}

/*
 * Every record of the native trace at @path, in order; the number of its
 * platform items in *@platform_items if given. A trace that does not open
 * or read fails the test (with the records read until then returned).
 */
inline std::vector<tb_trace_rec> read_trace(const std::string &path,
					    size_t *platform_items = nullptr)
{
	std::vector<tb_trace_rec> recs;
	char e[512];
	tb_trace_reader *r = nullptr;
	EXPECT_EQ(tb_trace_open(&r, path.c_str(), e, sizeof(e)), CMDQV_OK)
		<< path << ": " << e;
	if (!r)
		return recs;
	if (platform_items)
		*platform_items = tb_trace_platform_count(r);
	for (;;) {
		tb_trace_rec x;
		int rc = tb_trace_next(r, &x, e, sizeof(e));
		EXPECT_GE(rc, 0) << path << ": " << e;
		if (rc <= 0)
			break;
		recs.push_back(x);
	}
	tb_trace_close(r);
	return recs;
}

/* Replay options for @trace with the defaults, recording into @record if
 * one is given (both strings outlive the options). */
inline tb_replay_options replay_options(const std::string &trace,
					const std::string &record = "")
{
	tb_replay_options o;

	tb_replay_options_defaults(&o);
	o.trace = trace.c_str();
	o.record = record.empty() ? nullptr : record.c_str();
	return o;
}

/* A replay result, on the heap (it is large). */
using ReplayResult = std::unique_ptr<tb_replay_result>;

/*
 * The result of replaying as @o says, or null after failing the test with
 * tb_replay_run()'s message (the caller ASSERTs it is not null).
 */
inline ReplayResult replay_ok(const tb_replay_options &o)
{
	ReplayResult res(new tb_replay_result);
	char err[512];
	int rc = tb_replay_run(&o, res.get(), err, sizeof(err));
	EXPECT_EQ(rc, CMDQV_OK) << err;
	if (rc != CMDQV_OK)
		res.reset();
	return res;
}

#endif /* CMDQV_TESTS_TEST_UTIL_H */
