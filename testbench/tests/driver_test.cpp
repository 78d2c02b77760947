/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * driver_test.cpp - the reference driver's test suite (drv_tests.c) on the
 * native HAL.  The same tests run on the SystemC platform as
 * vp.driver.<name> (testbench/vp/tests/driver_vp.cpp), which also checks
 * that both runs agree.
 */
#include <gtest/gtest.h>

#include <string>

#include "drv_tests.h"

namespace
{

class DriverSuite : public ::testing::TestWithParam<size_t> {};

TEST_P(DriverSuite, RunsOnNativeHal)
{
	const struct drv_test *t = drv_test_get(GetParam());
	ASSERT_NE(t, nullptr);
	struct drv_test_result res;
	drv_test_run_native(t, &res);
	EXPECT_TRUE(res.pass) << t->name << ": " << res.msg;
	EXPECT_GT(res.ntimes, 0u) << t->name << " recorded no checkpoint";
}

TEST_P(DriverSuite, IsDeterministic)
{
	const struct drv_test *t = drv_test_get(GetParam());
	ASSERT_NE(t, nullptr);
	struct drv_test_result a, b;
	drv_test_run_native(t, &a);
	drv_test_run_native(t, &b);
	ASSERT_EQ(a.nvalues, b.nvalues);
	ASSERT_EQ(a.ntimes, b.ntimes);
	for (unsigned i = 0; i < a.nvalues; i++)
		EXPECT_EQ(a.values[i], b.values[i]) << "value " << i;
	for (unsigned i = 0; i < a.ntimes; i++)
		EXPECT_EQ(a.times[i], b.times[i]) << "checkpoint " << i;
}

std::string test_name(const ::testing::TestParamInfo<size_t> &info)
{
	return drv_test_get(info.param)->name;
}

INSTANTIATE_TEST_SUITE_P(Driver, DriverSuite,
			 ::testing::Range<size_t>(0, drv_test_count()),
			 test_name);

TEST(DriverSuiteTable, HasTheLinuxSequences)
{
	const char *names[] = { "reset",       "host_tlbi",   "unmap_strict",
				"guest_vintf", "recover_ill", "recover_abt",
				"recover_atc", "teardown" };
	for (const char *n : names)
		EXPECT_NE(drv_test_find(n), nullptr) << n;
}

} // namespace
