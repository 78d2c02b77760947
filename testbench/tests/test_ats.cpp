/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_ats.cpp - the built-in ATS endpoints (ats.c): one ATC per StreamID,
 * the span an invalidation removes (arm-smmu-v3.c: arm_smmu_atc_inv_to_cmd();
 * IHI 0070 4.5.1), per-SID response time, the silent-device fault mode and the
 * fixed storage limits (with unlimited servers), and an endpoint's invalidation
 * servers: requests beyond ats_inv_servers wait, in arrival order.
 */
#include <gtest/gtest.h>

#include <cstdint>

extern "C" {
#include "internal.h"
}

namespace
{

/* ats_eps_set() of one setting. */
int set_latency(struct ats_eps *a, uint32_t sid, sim_time_t latency)
{
	return ats_eps_set(a, sid, &latency, nullptr);
}
int set_silent(struct ats_eps *a, uint32_t sid, bool silent)
{
	return ats_eps_set(a, sid, nullptr, &silent);
}

constexpr uint64_t kPage = 4096;

class AtsTest : public ::testing::Test {
    protected:
	void SetUp() override
	{
		cmdqv_config_defaults(&cfg);
		cfg.endpoints = 4;
		cfg.atc_entries = 256;
		cfg.ats_inv_servers = 0; /* contents, not timing */
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
	ASSERT_EQ(set_latency(a, 7, SIM_US(5)), CMDQV_OK);
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
	ASSERT_EQ(set_silent(a, 7, true), CMDQV_OK);
	sim_time_t lat = 12345;
	EXPECT_EQ(inv(req(7, 0, 52), &lat), CMDQV_ATS_NO_RESPONSE);
	EXPECT_EQ(ats_eps_count(a, 7), 4u);
	ASSERT_EQ(set_silent(a, 7, false), CMDQV_OK);
	EXPECT_EQ(inv(req(7, 0, 52), &lat), CMDQV_ATS_COMPLETES);
	EXPECT_EQ(ats_eps_count(a, 7), 0u);
}

TEST_F(AtsTest, EndpointAndEntryStorageIsFixed)
{
	for (uint32_t sid = 0; sid < cfg.endpoints; sid++)
		ASSERT_EQ(ats_eps_add(a, sid, 0, 1), CMDQV_OK);
	EXPECT_EQ(ats_eps_add(a, 99, 0, 1), CMDQV_ENOMEM);
	EXPECT_EQ(set_latency(a, 99, SIM_NS(1)), CMDQV_ENOMEM);
	EXPECT_EQ(set_silent(a, 99, true), CMDQV_ENOMEM);
	/* existing endpoints still work */
	EXPECT_EQ(set_latency(a, 2, SIM_NS(1)), CMDQV_OK);
	/* entries: atc_entries in total */
	EXPECT_EQ(ats_eps_add(a, 0, kPage, cfg.atc_entries), CMDQV_ENOMEM);
	EXPECT_EQ(ats_eps_count(a, UINT32_MAX), cfg.atc_entries);
	sim_time_t lat = 0;
	EXPECT_EQ(inv(req(0, 0, 52), &lat), CMDQV_ATS_COMPLETES);
	EXPECT_EQ(ats_eps_add(a, 1, kPage, 1), CMDQV_OK);
}

/* Endpoints with @servers invalidation servers and a clock the test moves. */
class AtsServerTest : public AtsTest {
    protected:
	void make(uint32_t servers)
	{
		ats_eps_destroy(a);
		cfg.ats_inv_servers = servers;
		ASSERT_EQ(ats_eps_create(&cfg, &a), CMDQV_OK);
		ats_eps_set_clock(a, &now);
	}
	sim_time_t lat_at(sim_time_t t, uint32_t sid)
	{
		sim_time_t lat = 0;
		now = t;
		EXPECT_EQ(inv(req(sid, 0, 0), &lat), CMDQV_ATS_COMPLETES);
		return lat;
	}
	sim_time_t now = 0;
};

TEST_F(AtsServerTest, OneServerAnswersRequestsToOneFunctionInTurn)
{
	make(1);
	const sim_time_t d = cfg.ats_device_latency;
	/* one alone: the device time, as with unlimited servers */
	EXPECT_EQ(lat_at(SIM_US(10), 7), d);
	/* two sent together: the second waits for the first */
	EXPECT_EQ(lat_at(SIM_US(20), 7), d);
	EXPECT_EQ(lat_at(SIM_US(20), 7), 2 * d);
	/* sent a quarter of the device time later: it waits the rest */
	EXPECT_EQ(lat_at(SIM_US(30), 7), d);
	EXPECT_EQ(lat_at(SIM_US(30) + d / 4, 7), d + d - d / 4);
	EXPECT_EQ(ats_eps_queued(a), 2u);
	/* another function has servers of its own, also without ATC state */
	EXPECT_EQ(lat_at(SIM_US(40), 7), d);
	EXPECT_EQ(lat_at(SIM_US(40), 8), d);
	EXPECT_EQ(ats_eps_queued(a), 2u);
	/* an idle endpoint is not slowed by its history */
	EXPECT_EQ(lat_at(SIM_US(50), 7), d);
	EXPECT_EQ(ats_eps_count(a, 8), 0u);
}

TEST_F(AtsServerTest, TwoServersTakeTwoAtOnceAndUnlimitedNeverWaits)
{
	const sim_time_t d = cfg.ats_device_latency;
	make(2);
	EXPECT_EQ(lat_at(SIM_US(1), 7), d);
	EXPECT_EQ(lat_at(SIM_US(1), 7), d);
	EXPECT_EQ(lat_at(SIM_US(1), 7), 2 * d);
	EXPECT_EQ(ats_eps_queued(a), 1u);
	make(0);
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(lat_at(SIM_US(1), 7), d);
	EXPECT_EQ(ats_eps_queued(a), 0u);
}

TEST_F(AtsServerTest, ResetLeavesEveryServerIdle)
{
	make(1);
	const sim_time_t d = cfg.ats_device_latency;
	EXPECT_EQ(lat_at(SIM_US(50), 7), d);
	EXPECT_EQ(lat_at(SIM_US(50), 7), 2 * d);
	ats_eps_reset(a);
	EXPECT_EQ(ats_eps_queued(a), 0u);
	/* the clock starts again at 0: nothing left busy from before */
	EXPECT_EQ(lat_at(0, 7), d);
	EXPECT_EQ(lat_at(0, 8), d);
	EXPECT_EQ(ats_eps_queued(a), 0u);
}

TEST_F(AtsServerTest, PerFunctionLatencyIsTheServiceTime)
{
	make(1);
	ASSERT_EQ(set_latency(a, 7, SIM_US(3)), CMDQV_OK);
	EXPECT_EQ(lat_at(SIM_US(1), 7), SIM_US(3));
	EXPECT_EQ(lat_at(SIM_US(1), 7), SIM_US(6));
	/* a silent function takes no server */
	ASSERT_EQ(set_silent(a, 9, true), CMDQV_OK);
	sim_time_t lat = 0;
	now = SIM_US(100);
	EXPECT_EQ(inv(req(9, 0, 0), &lat), CMDQV_ATS_NO_RESPONSE);
	ASSERT_EQ(set_silent(a, 9, false), CMDQV_OK);
	EXPECT_EQ(lat_at(SIM_US(100), 9), cfg.ats_device_latency);
}

} // namespace
