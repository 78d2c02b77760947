/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_ats.cpp - the built-in ATS endpoints (ats.c): one ATC per StreamID,
 * the span an invalidation removes (arm-smmu-v3.c: arm_smmu_atc_inv_to_cmd();
 * IHI 0070 4.5.1), per-SID response time, the silent-device fault mode and the
 * fixed storage limits.
 */
#include <gtest/gtest.h>

#include <cstdint>

extern "C" {
#include "internal.h"
}

namespace
{

constexpr uint64_t kPage = 4096;

class AtsTest : public ::testing::Test {
    protected:
	void SetUp() override
	{
		cmdqv_config_defaults(&cfg);
		cfg.endpoints = 4;
		cfg.atc_entries = 256;
		ASSERT_EQ(ats_eps_create(&cfg, &a), CMDQV_OK);
	}
	void TearDown() override
	{
		ats_eps_destroy(a);
	}
	/* One request as the SMMU builds it from ATC_INV Address/Size. */
	static cmdqv_ats_req req(uint32_t sid, uint64_t addr,
				 unsigned size_log2)
	{
		cmdqv_ats_req r{};
		r.sid = sid;
		r.bytes = size_log2 >= 52 ? UINT64_MAX : (kPage << size_log2);
		r.addr = size_log2 >= 52 ? 0 : addr & ~(r.bytes - 1);
		return r;
	}
	int inv(const cmdqv_ats_req &r, sim_time_t *lat)
	{
		return ats_eps_invalidate(a, &r, lat);
	}
	cmdqv_config cfg{};
	ats_eps *a = nullptr;
};

TEST_F(AtsTest, EachStreamIdHasItsOwnAtc)
{
	ASSERT_EQ(ats_eps_add(a, 7, 0x10000, 4), CMDQV_OK);
	ASSERT_EQ(ats_eps_add(a, 8, 0x10000, 2), CMDQV_OK);
	EXPECT_TRUE(ats_eps_present(a, 7, 0x13000));
	EXPECT_TRUE(ats_eps_present(a, 7, 0x13fff));
	EXPECT_FALSE(ats_eps_present(a, 7, 0x14000));
	EXPECT_FALSE(ats_eps_present(a, 8, 0x12000));
	EXPECT_FALSE(ats_eps_present(a, 9, 0x10000));
	EXPECT_EQ(ats_eps_count(a, 7), 4u);
	EXPECT_EQ(ats_eps_count(a, 8), 2u);
	EXPECT_EQ(ats_eps_count(a, 9), 0u);
	EXPECT_EQ(ats_eps_count(a, UINT32_MAX), 6u);
	/* adding a page twice holds it once */
	ASSERT_EQ(ats_eps_add(a, 7, 0x10000, 1), CMDQV_OK);
	EXPECT_EQ(ats_eps_count(a, 7), 4u);
}

TEST_F(AtsTest, InvalidationRemovesItsSpanOfThatSidOnly)
{
	ASSERT_EQ(ats_eps_add(a, 7, 0, 16), CMDQV_OK);
	ASSERT_EQ(ats_eps_add(a, 8, 0, 16), CMDQV_OK);
	sim_time_t lat = 0;
	/* Size=2: 4 pages at 0x8000 (aligned to the span) */
	EXPECT_EQ(inv(req(7, 0x9000, 2), &lat), CMDQV_ATS_COMPLETES);
	for (uint64_t p = 0; p < 16; p++) {
		EXPECT_EQ(ats_eps_present(a, 7, p * kPage), p < 8 || p >= 12)
			<< p;
		EXPECT_TRUE(ats_eps_present(a, 8, p * kPage)) << p;
	}
	EXPECT_EQ(ats_eps_count(a, 7), 12u);
	/* Size=0: one page */
	EXPECT_EQ(inv(req(7, 0x3000, 0), &lat), CMDQV_ATS_COMPLETES);
	EXPECT_FALSE(ats_eps_present(a, 7, 0x3000));
	EXPECT_TRUE(ats_eps_present(a, 7, 0x2000));
	EXPECT_TRUE(ats_eps_present(a, 7, 0x4000));
	EXPECT_EQ(ats_eps_count(a, 7), 11u);
}

TEST_F(AtsTest, SizeAllRemovesEverythingOfTheSid)
{
	ASSERT_EQ(ats_eps_add(a, 7, 0, 8), CMDQV_OK);
	ASSERT_EQ(ats_eps_add(a, 7, 0xFFFFFFFFF000ull, 1), CMDQV_OK);
	ASSERT_EQ(ats_eps_add(a, 8, 0, 8), CMDQV_OK);
	sim_time_t lat = 0;
	EXPECT_EQ(inv(req(7, 0, 52), &lat), CMDQV_ATS_COMPLETES);
	EXPECT_EQ(ats_eps_count(a, 7), 0u);
	EXPECT_EQ(ats_eps_count(a, 8), 8u);
}

TEST_F(AtsTest, LargeSpanTakesTheTableWalkPath)
{
	/* 2^30 pages: more than the table holds, so the whole set is
         * walked; only SID 7's pages in the span go. */
	ASSERT_EQ(ats_eps_add(a, 7, 0, 8), CMDQV_OK);
	ASSERT_EQ(ats_eps_add(a, 7, 1ull << 45, 2), CMDQV_OK);
	ASSERT_EQ(ats_eps_add(a, 8, 0, 8), CMDQV_OK);
	sim_time_t lat = 0;
	EXPECT_EQ(inv(req(7, 0, 30), &lat), CMDQV_ATS_COMPLETES);
	EXPECT_EQ(ats_eps_count(a, 7), 2u);
	EXPECT_TRUE(ats_eps_present(a, 7, 1ull << 45));
	EXPECT_EQ(ats_eps_count(a, 8), 8u);
}

TEST_F(AtsTest, ResponseTimeIsPerSidWithTheConfiguredDefault)
{
	sim_time_t lat = 0;
	ASSERT_EQ(ats_eps_add(a, 7, 0, 1), CMDQV_OK);
	EXPECT_EQ(inv(req(7, 0, 0), &lat), CMDQV_ATS_COMPLETES);
	EXPECT_EQ(lat, cfg.ats_device_latency);
	ASSERT_EQ(ats_eps_set_latency(a, 7, SIM_US(5)), CMDQV_OK);
	EXPECT_EQ(inv(req(7, 0, 0), &lat), CMDQV_ATS_COMPLETES);
	EXPECT_EQ(lat, SIM_US(5));
	/* an SID never seen answers after the default, without an ATC */
	EXPECT_EQ(inv(req(100, 0, 0), &lat), CMDQV_ATS_COMPLETES);
	EXPECT_EQ(lat, cfg.ats_device_latency);
	EXPECT_EQ(ats_eps_count(a, 100), 0u);
}

TEST_F(AtsTest, SilentDeviceNeverAnswersAndInvalidatesNothing)
{
	ASSERT_EQ(ats_eps_add(a, 7, 0, 4), CMDQV_OK);
	ASSERT_EQ(ats_eps_set_silent(a, 7, true), CMDQV_OK);
	sim_time_t lat = 12345;
	EXPECT_EQ(inv(req(7, 0, 52), &lat), CMDQV_ATS_NO_RESPONSE);
	EXPECT_EQ(ats_eps_count(a, 7), 4u);
	ASSERT_EQ(ats_eps_set_silent(a, 7, false), CMDQV_OK);
	EXPECT_EQ(inv(req(7, 0, 52), &lat), CMDQV_ATS_COMPLETES);
	EXPECT_EQ(ats_eps_count(a, 7), 0u);
}

TEST_F(AtsTest, EndpointAndEntryStorageIsFixed)
{
	for (uint32_t sid = 0; sid < cfg.endpoints; sid++)
		ASSERT_EQ(ats_eps_add(a, sid, 0, 1), CMDQV_OK);
	EXPECT_EQ(ats_eps_add(a, 99, 0, 1), CMDQV_ENOMEM);
	EXPECT_EQ(ats_eps_set_latency(a, 99, SIM_NS(1)), CMDQV_ENOMEM);
	EXPECT_EQ(ats_eps_set_silent(a, 99, true), CMDQV_ENOMEM);
	/* existing endpoints still work */
	EXPECT_EQ(ats_eps_set_latency(a, 2, SIM_NS(1)), CMDQV_OK);
	/* entries: atc_entries in total */
	EXPECT_EQ(ats_eps_add(a, 0, kPage, cfg.atc_entries), CMDQV_ENOMEM);
	EXPECT_EQ(ats_eps_count(a, UINT32_MAX), cfg.atc_entries);
	sim_time_t lat = 0;
	EXPECT_EQ(inv(req(0, 0, 52), &lat), CMDQV_ATS_COMPLETES);
	EXPECT_EQ(ats_eps_add(a, 1, kPage, 1), CMDQV_OK);
}

} // namespace
