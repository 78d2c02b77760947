/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_determinism.cpp - the same run twice gives byte-identical files:
 * compare (every file of the output directory, the plots included, and its
 * --timeline and --record), replay (--record, --timeline, --json) and
 * cmdqv-vp (--vcd, --record). Small inputs: each runs in seconds.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <dirent.h>
#include <string>
#include <sys/wait.h>
#include <vector>

#include "test_util.h"

namespace
{

const std::string kBin = CMDQV_BIN_DIR;

/* Run @cmd in a shell (stdout/stderr into @d/log); its exit status. */
int sh(const std::string &d, const std::string &cmd)
{
	int st = std::system((cmd + " >'" + d + "/log' 2>&1").c_str());
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The regular files of @dir and its subdirectories, relative names. */
void list_files(const std::string &dir, const std::string &rel,
		std::vector<std::string> *out)
{
	DIR *d = opendir((dir + "/" + rel).c_str());
	if (!d)
		return;
	while (struct dirent *e = readdir(d)) {
		std::string n = e->d_name;
		if (n == "." || n == "..")
			continue;
		std::string r = rel.empty() ? n : rel + "/" + n;
		struct stat st;
		if (stat((dir + "/" + r).c_str(), &st))
			continue;
		if (S_ISDIR(st.st_mode))
			list_files(dir, r, out);
		else
			out->push_back(r);
	}
	closedir(d);
}

/* Every file under @a is under @b with the same bytes, and no more. */
void expect_same_tree(const std::string &a, const std::string &b)
{
	std::vector<std::string> fa, fb;
	list_files(a, "", &fa);
	list_files(b, "", &fb);
	std::sort(fa.begin(), fa.end());
	std::sort(fb.begin(), fb.end());
	EXPECT_EQ(fa, fb);
	EXPECT_FALSE(fa.empty());
	for (const auto &f : fa) {
		std::string x = slurp(a + "/" + f);
		EXPECT_FALSE(x.empty()) << f;
		EXPECT_TRUE(x == slurp(b + "/" + f))
			<< f << " differs between two identical runs";
	}
}

TEST(Determinism, CompareTwiceGivesIdenticalFiles)
{
	const TempDir d("det-compare");
	for (const char *run : { "a", "b" }) {
		std::string r = d + "/" + run;
		ASSERT_EQ(sh(d, "mkdir -p '" + r + "' && '" + kBin +
					"/cmdqv-sim' compare --out '" + r +
					"/out' --paths trap,eventfd,direct "
					"--threads 1,2 --granules 1,16 "
					"--iterations 20 --background 20000 "
					"--quiet --timeline '" +
					r + "/t.json' --record '" + r +
					"/r.trace.gz'"),
			  0)
			<< slurp(d + "/log");
	}
	expect_same_tree(d + "/a", d + "/b");
}

TEST(Determinism, ReplayTwiceGivesIdenticalFiles)
{
	const TempDir d("det-replay");
	std::string trace = CMDQV_SOURCE_DIR "/traces/qemu72-rebind.trace.gz";
	for (const char *path : { "host", "direct", "trap", "eventfd" })
		for (const char *run : { "a", "b" }) {
			std::string r = d + "/" + path + "/" + run;
			ASSERT_EQ(sh(d, "mkdir -p '" + r + "' && '" + kBin +
						"/cmdqv-sim' replay '" + trace +
						"' --path " + path +
						" -q --record '" + r +
						"/r.trace' --timeline '" + r +
						"/t.json' --json '" + r +
						"/r.json'"),
				  0)
				<< path << ": " << slurp(d + "/log");
		}
	for (const char *path : { "host", "direct", "trap", "eventfd" }) {
		SCOPED_TRACE(path);
		expect_same_tree(d + "/" + path + "/a", d + "/" + path + "/b");
	}
}

TEST(Determinism, VpTwiceGivesIdenticalVcdAndRecording)
{
	std::string vp = kBin + "/cmdqv-vp";
	if (!exists(vp))
		GTEST_SKIP() << "built without the TLM platform";
	const TempDir d("det-vp");
	std::string scn = CMDQV_SOURCE_DIR "/testbench/vp/tests/vcd_smoke.scn";
	for (const char *run : { "a", "b" }) {
		std::string r = d + "/" + run;
		ASSERT_EQ(sh(d, "mkdir -p '" + r + "' && '" + vp + "' '" + scn +
					"' --vcd '" + r + "/q.vcd' --record '" +
					r + "/r.trace'"),
			  0)
			<< slurp(d + "/log");
	}
	expect_same_tree(d + "/a", d + "/b");
}

} // namespace
