// SPDX-License-Identifier: BSD-3-Clause
// LinuxDriverGuest.*: a guest instance of Linux's arm-smmu-v3 +
// tegra241-cmdqv drivers (a second copy, guest/lxg.h) probes the vSMMU and
// CMD-QV a VMM presents (guest/lx_vmm.h) and issues into its VINTF page;
// the assertions read the model (docs/linux-driver.md, "The guest
// instance").
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include "lx.h"
#include "lx_vmm.h"
#include "lxg.h"
}

namespace
{

struct GuestPlatform {
	struct lx *x = nullptr;
	struct lx_vm *vm = nullptr;
	explicit GuestPlatform(unsigned host_cpus = 4, unsigned vcpus = 2)
	{
		struct lx_params p;
		char err[200] = "";

		lx_params_default(&p);
		p.ncpus = host_cpus;
		x = lx_create(&p, err, sizeof(err));
		EXPECT_NE(x, nullptr) << err;
		if (!x)
			return;
		EXPECT_EQ(lx_probe(x), 0) << lx_log(x);
		struct lx_vm_params vp;
		lx_vm_params_default(&vp);
		vp.cpu_base = host_cpus - vcpus;
		vp.ncpus = vcpus;
		vm = lx_vm_create(x, &vp, err, sizeof(err));
		EXPECT_NE(vm, nullptr) << err;
	}
	~GuestPlatform()
	{
		lx_vm_destroy(vm);
		lx_destroy(x);
	}
	std::string log() const
	{
		return std::string("host:\n") + lx_log(x) + "guest:\n" +
		       lxg_log();
	}
};

TEST(LinuxDriverGuest, ProbesWithCmdqvThroughTheVmm)
{
	GuestPlatform g;
	ASSERT_NE(g.vm, nullptr);
	ASSERT_EQ(lx_vm_probe(g.vm), 0) << g.log();
	EXPECT_TRUE(lxg_uses_cmdqv()) << g.log();
	EXPECT_EQ(lxg_log_count("found companion CMDQV"), 1u) << g.log();
}

} // namespace
