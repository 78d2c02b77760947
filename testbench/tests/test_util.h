/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_util.h - file helpers shared by the test suites that read back what
 * the CLI, the trace writer or the importer produced (test_compare.cpp,
 * test_trace.cpp, test_trace_cli.cpp, test_trace_qemu.cpp).
 */
#ifndef CMDQV_TESTS_TEST_UTIL_H
#define CMDQV_TESTS_TEST_UTIL_H

#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

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

#endif /* CMDQV_TESTS_TEST_UTIL_H */
