// SPDX-License-Identifier: BSD-3-Clause
// LinuxDriver.*: Linux's arm-smmu-v3 + tegra241-cmdqv drivers, unmodified,
// on the model and simulated CPUs (docs/linux-driver.md).  Mirrors the
// reference driver's suite (testbench/driver/drv_tests.c).
#include <gtest/gtest.h>

#include <string>
#include <vector>

extern "C" {
#include "lx.h"
}

namespace
{

struct Platform {
	struct lx *x = nullptr;
	explicit Platform(bool cmdqv, unsigned ncpus = 1,
			  const cmdqv_config *cfg = nullptr)
	{
		struct lx_params p;
		char err[200] = "";

		lx_params_default(&p);
		p.cmdqv = cmdqv;
		p.ncpus = ncpus;
		p.cfg = cfg;
		x = lx_create(&p, err, sizeof(err));
		EXPECT_NE(x, nullptr) << err;
	}
	~Platform()
	{
		lx_destroy(x);
	}
	std::string log() const
	{
		return lx_log(x);
	}
};

TEST(LinuxDriver, ProbeWithoutCmdqv)
{
	Platform p(false);
	ASSERT_EQ(lx_probe(p.x), 0) << p.log();
	EXPECT_FALSE(lx_uses_cmdqv(p.x));
	EXPECT_EQ(lx_log_count(p.x, "found companion CMDQV"), 0u);
	// no MSI domain: the driver says it uses wired interrupts
	EXPECT_EQ(lx_log_count(p.x, "falling back to wired irqs"), 1u)
		<< p.log();
	EXPECT_EQ(lx_counters(p.x)->warnings, 0u) << p.log();
	EXPECT_EQ(lx_counters(p.x)->unsupported, 0u) << p.log();
	// arm_smmu_device_reset() enabled the SMMU and its CMDQ
	uint64_t cr0 = 0;
	ASSERT_EQ(cmdqv_mmio_peek(lx_model(p.x), CMDQV_SPACE_SMMU, 0x24, 4,
				  &cr0),
		  CMDQV_OK);
	EXPECT_EQ(cr0 & 0x9, 0x9u) << std::hex << cr0; // SMMUEN | CMDQEN
	EXPECT_EQ(lx_queue_for_cpu(p.x, 0), -1);
}

TEST(LinuxDriver, ProbeWithCmdqv)
{
	Platform p(true, 2);
	ASSERT_EQ(lx_probe(p.x), 0) << p.log();
	EXPECT_TRUE(lx_uses_cmdqv(p.x)) << p.log();
	EXPECT_EQ(lx_log_count(p.x,
			       "found companion CMDQV device: NVDA200C:00"),
		  1u)
		<< p.log();
	EXPECT_EQ(lx_log_count(p.x, "Falling back"), 0u) << p.log();
	EXPECT_EQ(lx_counters(p.x)->warnings, 0u) << p.log();
	// the CMD-QV error ISR and GERROR were both requested (6.12's irq
	// variable is zero-initialised: -ftrivial-auto-var-init=zero)
	EXPECT_EQ(lx_counters(p.x)->irq_requests, 2u) << p.log();
	EXPECT_EQ(lx_log_count(p.x, "failed to request irq"), 0u);
	EXPECT_EQ(lx_log_count(p.x, "no interrupt"), 0u);
	uint64_t cfg = 0;
	ASSERT_EQ(cmdqv_mmio_peek(lx_model(p.x), CMDQV_SPACE_CMDQV, 0x0, 4,
				  &cfg),
		  CMDQV_OK);
	EXPECT_EQ(cfg & 1, 1u); // CMDQV_EN
	// the kernel's VCMDQ choice: CPU k uses VINTF0's LVCMDQ k % 2
	int q0 = lx_queue_for_cpu(p.x, 0), q1 = lx_queue_for_cpu(p.x, 1);
	EXPECT_GE(q0, 0);
	EXPECT_GE(q1, 0);
	EXPECT_NE(q0, q1);
}

} // namespace
