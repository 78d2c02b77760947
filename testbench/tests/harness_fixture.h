/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * harness_fixture.h - the GoogleTest fixture shared by the suites that drive
 * one tb_harness platform like software does (test_cmdq.cpp,
 * test_smmu.cpp): the config with its defaults, the harness created on
 * demand, every model trace record kept, SMMU register access.
 */
#ifndef CMDQV_TESTS_HARNESS_FIXTURE_H
#define CMDQV_TESTS_HARNESS_FIXTURE_H

#include <gtest/gtest.h>

#include <vector>

#include "cmdqv_sim/config.h"
#include "cmdqv_sim/model.h"
#include "cmdqv_sim/status.h"
#include "tb_harness.h"

/**
 * class HarnessTest - @cfg holds the defaults at SetUp; a test may change it
 * and then calls bring_up() (usually through its suite's start()), which
 * creates @h from @cfg and records every trace record in @trace.  TearDown
 * releases @h if it was created.
 */
class HarnessTest : public ::testing::Test {
    protected:
	void SetUp() override
	{
		cmdqv_config_defaults(&cfg);
	}
	void TearDown() override
	{
		if (up)
			tb_harness_deinit(&h);
	}
	/* Create the platform from @cfg and start recording its trace. */
	void bring_up()
	{
		ASSERT_EQ(tb_harness_init(&h, &cfg), CMDQV_OK);
		up = true;
		tb_native_set_trace(&h.n, &HarnessTest::on_trace, this);
	}
	static void on_trace(void *ctx, const struct cmdqv_trace_rec *rec)
	{
		static_cast<HarnessTest *>(ctx)->trace.push_back(*rec);
	}
	/* The recorded trace records of kind @k, in order. */
	std::vector<cmdqv_trace_rec> of_kind(enum cmdqv_trace_kind k) const
	{
		std::vector<cmdqv_trace_rec> v;
		for (auto &r : trace)
			if (r.kind == k)
				v.push_back(r);
		return v;
	}
	/* @n SMMU clock cycles in picoseconds. */
	sim_time_t cycles(uint64_t n) const
	{
		return sim_cycles_to_ps(n, cfg.smmu_clock_mhz);
	}
	/* SMMU register frame access, like a CPU load/store. */
	uint64_t rd(uint64_t off, unsigned size = 4)
	{
		return tb_harness_read(&h, CMDQV_SPACE_SMMU, off, size);
	}
	void wr(uint64_t off, uint64_t v, unsigned size = 4)
	{
		tb_harness_write(&h, CMDQV_SPACE_SMMU, off, size, v);
	}

	struct cmdqv_config cfg;
	struct tb_harness h;
	bool up = false;
	std::vector<cmdqv_trace_rec> trace;
};

#endif /* CMDQV_TESTS_HARNESS_FIXTURE_H */
