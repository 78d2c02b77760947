/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * paths_fixture.h - the GoogleTest fixture shared by the suites that run the
 * invalidation paths and the dma_map_benchmark workload (test_paths.cpp,
 * test_paths_cmdq.cpp): hardware, path and workload parameters at their
 * defaults, and one wl_run() that expects success.
 */
#ifndef CMDQV_TESTS_PATHS_FIXTURE_H
#define CMDQV_TESTS_PATHS_FIXTURE_H

#include <gtest/gtest.h>

#include "cmdqv_sim/config.h"
#include "cmdqv_sim/status.h"
#include "paths.h"

/*
 * struct Result - a wl_result that frees its samples when it goes out of
 * scope (also when an ASSERT ends the test); assigning a new result frees
 * the one it held.
 */
struct Result : wl_result {
	Result(const wl_result &r)
		: wl_result(r)
	{
	}
	Result(const Result &) = delete;
	Result &operator=(const wl_result &r)
	{
		wl_result_free(this);
		static_cast<wl_result &>(*this) = r;
		return *this;
	}
	~Result()
	{
		wl_result_free(this);
	}
};

/**
 * class PathsTest - @hw, @sw and @pt hold their defaults at SetUp (a suite's
 * SetUp calls this one first, then narrows @pt); @err holds the last reason.
 */
class PathsTest : public ::testing::Test {
    protected:
	cmdqv_config hw;
	path_params sw;
	wl_point pt;
	char err[256];

	void SetUp() override
	{
		cmdqv_config_defaults(&hw);
		wl_params_defaults(&sw);
		wl_point_defaults(&pt);
		err[0] = 0;
	}

	/* The point runs on @path with @threads vCPUs (host CPUs on the host
	 * path). */
	void on(wl_path path, uint32_t threads)
	{
		pt.path = path;
		pt.threads = threads;
	}

	/* wl_run() of the current parameters with observer @o (may be NULL);
         * a failure is a test failure naming the reason. */
	wl_result run_observed(const wl_observer *o)
	{
		wl_result res;
		int r = wl_run(&hw, &sw, &pt, o, &res, err, sizeof(err));
		EXPECT_EQ(r, CMDQV_OK) << err;
		return res;
	}
};

#endif /* CMDQV_TESTS_PATHS_FIXTURE_H */
