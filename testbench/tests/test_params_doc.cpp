/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_params_doc.cpp - docs/parameters.md must be exactly the output of
 * `cmdqv-sim params --markdown`, so the documentation of every parameter
 * (unit, default, source) never drifts from params.def / path_params.def.
 */
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace
{

std::string read_file(const std::string &path, bool *ok)
{
	std::ifstream in(path, std::ios::binary);
	std::ostringstream ss;
	*ok = static_cast<bool>(in);
	ss << in.rdbuf();
	return ss.str();
}

/* Run @cmd and return its standard output; *status gets the exit status. */
std::string run(const std::string &cmd, int *status)
{
	std::string out;
	FILE *p = popen(cmd.c_str(), "r");
	if (!p) {
		*status = -1;
		return out;
	}
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		out.append(buf, n);
	*status = pclose(p);
	return out;
}

/* First line where @a and @b differ (1-based), for the failure message. */
int first_difference(const std::string &a, const std::string &b,
		     std::string *la, std::string *lb)
{
	std::istringstream sa(a), sb(b);
	int line = 0;
	for (;;) {
		line++;
		bool ea = !std::getline(sa, *la), eb = !std::getline(sb, *lb);
		if (ea && eb)
			return 0;
		if (ea)
			la->assign("<end of file>");
		if (eb)
			lb->assign("<end of file>");
		if (ea || eb || *la != *lb)
			return line;
	}
}

TEST(ParamsDoc, ParametersMarkdownIsUpToDate)
{
	const std::string bin = CMDQV_BIN_DIR "/cmdqv-sim";
	const std::string doc = CMDQV_SOURCE_DIR "/docs/parameters.md";
	int status = 0;
	std::string generated = run("'" + bin + "' params --markdown", &status);
	ASSERT_EQ(status, 0)
		<< bin << " params --markdown failed (is cmdqv-sim built?)";
	ASSERT_FALSE(generated.empty());
	bool ok = false;
	std::string committed = read_file(doc, &ok);
	ASSERT_TRUE(ok) << "cannot read " << doc;
	std::string la, lb;
	int line = first_difference(committed, generated, &la, &lb);
	EXPECT_TRUE(committed == generated)
		<< "docs/parameters.md is out of date (first difference at line "
		<< line << ":\n  docs:      " << la << "\n  generated: " << lb
		<< "\n). Regenerate it with:\n  " << bin
		<< " params --markdown > " << doc;
}

TEST(ParamsDoc, PlainListingNamesEveryKeyOnce)
{
	int status = 0;
	std::string text = run("'" CMDQV_BIN_DIR "/cmdqv-sim' params", &status);
	ASSERT_EQ(status, 0);
	for (const char *key :
	     { "vintfs", "fetch_latency", "atc_timeout", "smmu_clock_mhz" }) {
		size_t at = text.find(std::string("\n") + key + " ");
		EXPECT_NE(at, std::string::npos) << key;
		EXPECT_EQ(text.find(std::string("\n") + key + " ", at + 1),
			  std::string::npos)
			<< key;
	}
}

TEST(ParamsDoc, UnknownOptionIsAnError)
{
	int status = 0;
	run("'" CMDQV_BIN_DIR "/cmdqv-sim' params --bogus 2>/dev/null",
	    &status);
	EXPECT_NE(status, 0);
}

} // namespace
