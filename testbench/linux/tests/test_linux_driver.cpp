// SPDX-License-Identifier: BSD-3-Clause
// LinuxDriver.*: Linux's arm-smmu-v3 + tegra241-cmdqv drivers, unmodified,
// on the model and simulated CPUs (docs/linux-driver.md).  Mirrors the
// reference driver's suite (testbench/driver/drv_tests.c).
#include <gtest/gtest.h>

#include <string>
#include <vector>

extern "C" {
#include "drv/lx_drv.h"
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

// 6.12.118's tegra241_cmdqv_probe() passes an uninitialised "int irq" to
// the ACPI resource walk, which sets it only while *irq <= 0.  Built as
// CONFIG_INIT_STACK_ALL_ZERO kernels are (-ftrivial-auto-var-init=zero), the
// walk finds the NVDA200C interrupt and the ISR is requested.
TEST(LinuxDriver, CmdqvIrqFoundWithZeroInitialisedStack)
{
	Platform p(true);
	ASSERT_EQ(lx_probe(p.x), 0) << p.log();
	EXPECT_EQ(lx_log_count(p.x,
			       "no interrupt. errors will not be reported"),
		  0u)
		<< p.log();
	EXPECT_EQ(lx_log_count(p.x, "failed to request irq"), 0u) << p.log();
	EXPECT_EQ(lx_counters(p.x)->irq_requests, 2u); // GERROR + CMD-QV
	EXPECT_TRUE(lx_uses_cmdqv(p.x));
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

// issue from @ncpus CPUs, @iters issues each, @batch TLBIs + SYNC per issue
struct Issue {
	lx_issue_result r{};
	~Issue()
	{
		lx_issue_result_free(&r);
	}
};

static void issue(Platform &p, unsigned ncpus, unsigned iters, unsigned batch,
		  Issue &out)
{
	lx_issue_cfg c = { ncpus, iters, batch };
	ASSERT_EQ(lx_issue_tlbi(p.x, &c, &out.r), CMDQV_OK) << p.log();
	EXPECT_EQ(out.r.failed, 0u) << p.log();
	EXPECT_EQ(out.r.issues, (uint64_t)ncpus * iters);
}

class LinuxDriverConcurrent
	: public ::testing::TestWithParam<std::tuple<bool, unsigned>> {};

TEST_P(LinuxDriverConcurrent, IssueFromCpus)
{
	bool cmdqv = std::get<0>(GetParam());
	unsigned ncpus = std::get<1>(GetParam());
	Platform p(cmdqv, ncpus);
	ASSERT_EQ(lx_probe(p.x), 0) << p.log();
	cmdqv_stats st0, st1;
	cmdqv_stats_get(lx_model(p.x), &st0);
	Issue is;
	issue(p, ncpus, 8, 3, is);
	cmdqv_stats_get(lx_model(p.x), &st1);
	// every command reached the model: TLBI_NH_ASID (0x11) and CMD_SYNC
	EXPECT_EQ(st1.by_opcode[0x11] - st0.by_opcode[0x11],
		  (uint64_t)ncpus * 8 * 3);
	EXPECT_GE(st1.by_opcode[0x46] - st0.by_opcode[0x46],
		  cmdqv ? (uint64_t)ncpus * 8 : 1u);
	EXPECT_EQ(st1.errors, st0.errors);
	EXPECT_EQ(lx_counters(p.x)->warnings, 0u) << p.log();
	if (ncpus > 2)
		// owner gathering: several CPUs' lists published by one PROD
		// write of the owner (arm_smmu_cmdq_issue_cmdlist)
		EXPECT_LT(is.r.prod_writes, is.r.issues)
			<< "PROD writes " << is.r.prod_writes;
	else
		EXPECT_LE(is.r.prod_writes, is.r.issues);
}

INSTANTIATE_TEST_SUITE_P(LinuxDriver, LinuxDriverConcurrent,
			 ::testing::Combine(::testing::Bool(),
					    ::testing::Values(1u, 2u, 4u, 8u,
							      16u)));

// With IDR0.SEV = 1 queue_poll() waits for a VCMDQ's CONS in WFE, and a
// VCMDQ CMD_SYNC is CS=NONE: only the model's vcmdq_cons_sev wake-up (or the
// 100 us event stream without it) ends the wait.  With SEV = 0 the driver
// busy-polls.
static double vcmdq_issue_us(bool sev, bool cons_sev)
{
	cmdqv_config cfg;
	cmdqv_config_defaults(&cfg);
	cfg.sev = sev;
	cfg.vcmdq_cons_sev = cons_sev;
	Platform p(true, 1, &cfg);
	EXPECT_EQ(lx_probe(p.x), 0) << p.log();
	Issue is;
	issue(p, 1, 20, 1, is);
	EXPECT_EQ(is.r.queue[0], 0); // CPU 0 -> VCMDQ0
	sim_time_t sum = 0;
	for (size_t i = 0; i < is.r.nlat; i++)
		sum += is.r.lat[i];
	return (double)sum / (double)is.r.nlat / 1e6;
}

TEST(LinuxDriver, VcmdqWaitInWfeNeedsConsSev)
{
	double woken = vcmdq_issue_us(true, true);
	double stream = vcmdq_issue_us(true, false);
	double busy = vcmdq_issue_us(false, false);
	EXPECT_LT(woken, 5.0);
	EXPECT_GT(stream, 50.0); // the event stream period ends each wait
	EXPECT_LE(stream, 100.0);
	EXPECT_LT(busy, 5.0);
}

TEST(LinuxDriver, Deterministic)
{
	std::string logs[2];
	uint64_t prods[2], ends[2];
	for (int i = 0; i < 2; i++) {
		Platform p(true, 8);
		ASSERT_EQ(lx_probe(p.x), 0);
		Issue is;
		issue(p, 8, 4, 2, is);
		logs[i] = p.log();
		prods[i] = is.r.prod_writes;
		ends[i] = is.r.t_end;
	}
	EXPECT_EQ(logs[0], logs[1]);
	EXPECT_EQ(prods[0], prods[1]);
	EXPECT_EQ(ends[0], ends[1]);
}

// an illegal command (reserved opcode 0) followed by a SYNC
static const uint64_t ill_cmd[4] = { 0x0, 0x0, 0x46, 0x0 };

struct RawJob {
	bool smmu_cmdq;
	int ret = -1;
};

static void raw_fn(struct lx *x, unsigned cpu, void *arg)
{
	RawJob *j = static_cast<RawJob *>(arg);
	(void)cpu;
	j->ret = lxd_issue_raw(lx_pdev(x), ill_cmd, 1, true, j->smmu_cmdq);
}

TEST(LinuxDriver, IllegalCommandOnSmmuCmdqRecoveredByGerror)
{
	Platform p(false);
	ASSERT_EQ(lx_probe(p.x), 0) << p.log();
	RawJob j{ true };
	ASSERT_EQ(lx_run(p.x, 1, raw_fn, &j, SIM_MS(100)), CMDQV_OK);
	EXPECT_EQ(j.ret, 0) << p.log();
	// arm_smmu_gerror_handler -> arm_smmu_cmdq_skip_err replaced it
	EXPECT_EQ(lx_log_count(p.x, "CMDQ error (cons"), 1u) << p.log();
	EXPECT_EQ(lx_log_count(p.x, "Illegal command"), 1u) << p.log();
	EXPECT_EQ(lx_log_count(p.x, "unexpected global error reported"), 1u)
		<< p.log();
	Issue is;
	issue(p, 1, 2, 2, is); // the queue works afterwards
}

TEST(LinuxDriver, IllegalCommandOnVcmdqRecoveredByCmdqvIsr)
{
	Platform p(true);
	ASSERT_EQ(lx_probe(p.x), 0) << p.log();
	ASSERT_TRUE(lx_uses_cmdqv(p.x));
	RawJob j{ false };
	ASSERT_EQ(lx_run(p.x, 1, raw_fn, &j, SIM_MS(100)), CMDQV_OK);
	EXPECT_EQ(j.ret, 0) << p.log();
	// tegra241_cmdqv_isr -> tegra241_vintf0_handle_error -> skip
	EXPECT_EQ(lx_log_count(p.x, "unexpected error reported. vintf_map: "
				    "0000000000000001"),
		  1u)
		<< p.log();
	EXPECT_EQ(lx_log_count(p.x, "Illegal command"), 1u) << p.log();
	EXPECT_EQ(lx_log_count(p.x, "unexpected global error"), 0u) << p.log();
	Issue is;
	issue(p, 1, 2, 2, is);
}

struct AtcJob {
	int ret = -1;
};

static void atc_fn(struct lx *x, unsigned cpu, void *arg)
{
	(void)cpu;
	static_cast<AtcJob *>(arg)->ret =
		lxd_atc_inv(lx_pdev(x), 0x42, 0x10000, 0x4000);
}

class LinuxDriverAtc : public ::testing::TestWithParam<bool> {};

TEST_P(LinuxDriverAtc, TimeoutIsCerrorAtcInvSync)
{
	cmdqv_config cfg;
	cmdqv_config_defaults(&cfg);
	cfg.atc_timeout = SIM_US(50);
	Platform p(GetParam(), 1, &cfg);
	ASSERT_EQ(lx_probe(p.x), 0) << p.log();
	cmdqv_model *m = lx_model(p.x);
	ASSERT_EQ(cmdqv_atc_add(m, 0x42, 0x10000, 4), CMDQV_OK);
	ASSERT_EQ(cmdqv_atc_set_silent(m, 0x42, true), CMDQV_OK);
	AtcJob j;
	// the SYNC after the ATC_INV halts the queue with CONS.ERR =
	// CERROR_ATC_INV_SYNC (3); __arm_smmu_cmdq_skip_err() leaves CONS on
	// the SYNC, which completes when repeated (the request timed out)
	ASSERT_EQ(lx_run(p.x, 1, atc_fn, &j, cmdqv_now(m) + SIM_MS(100)),
		  CMDQV_OK);
	EXPECT_EQ(lx_log_count(p.x, "CMDQ error (cons 0x03"), 1u) << p.log();
	EXPECT_EQ(lx_log_count(p.x, "ATC invalidate timeout"), 1u) << p.log();
	EXPECT_EQ(lx_log_count(p.x, GetParam() ?
					    "NVDA200C:00: unexpected error" :
					    "unexpected global error"),
		  1u)
		<< p.log();
	EXPECT_EQ(j.ret, 0) << p.log();
	cmdqv_stats st;
	cmdqv_stats_get(m, &st);
	EXPECT_EQ(st.ats_timeouts, 1u);
	Issue is;
	issue(p, 1, 2, 2, is);
}

INSTANTIATE_TEST_SUITE_P(LinuxDriver, LinuxDriverAtc, ::testing::Bool());

// The reference driver unmaps its LVCMDQs in descending order at remove.
// 6.12's tegra241_cmdqv_remove() disables each LVCMDQ and VINTF0 but never
// writes CMDQ_ALLOC: the mapping stays until the next reset rewrites it.
// 7.x unmaps them (CMDQ_ALLOC.ALLOCATED cleared) as it frees each LVCMDQ.
TEST(LinuxDriver, RemoveDisablesQueuesAndLvcmdqMappings)
{
	Platform p(true);
	ASSERT_EQ(lx_probe(p.x), 0) << p.log();
	uint32_t lidx[8];
	EXPECT_EQ(lx_lvcmdq_unmaps(p.x, lidx, 8), 0u);
	lx_remove(p.x);
	size_t n = lx_lvcmdq_unmaps(p.x, lidx, 8);
	uint64_t alloc0 = 0, alloc1 = 0, vintf = 1;
	cmdqv_mmio_peek(lx_model(p.x), CMDQV_SPACE_CMDQV, 0x200, 4, &alloc0);
	cmdqv_mmio_peek(lx_model(p.x), CMDQV_SPACE_CMDQV, 0x204, 4, &alloc1);
	cmdqv_mmio_peek(lx_model(p.x), CMDQV_SPACE_CMDQV, 0x1000, 4, &vintf);
#ifdef LX_HAS_REMOVE_NEW
	EXPECT_EQ(n, 0u) << p.log();
	EXPECT_EQ(alloc0, 0x1u); // VINTF0 LVCMDQ0, ALLOCATED
	EXPECT_EQ(alloc1, 0x3u); // VINTF0 LVCMDQ1, ALLOCATED
#else
	ASSERT_EQ(n, 2u) << p.log();
	std::string order =
		std::to_string(lidx[0]) + "," + std::to_string(lidx[1]);
	EXPECT_EQ(order, "1,0"); // descending, as the reference driver
	EXPECT_EQ(alloc0, 0x0u);
	EXPECT_EQ(alloc1, 0x2u); // LVCMDQ field kept, ALLOCATED cleared
#endif
	EXPECT_EQ(vintf & 1, 0u); // VINTF0 CONFIG.EN cleared
	uint64_t cfg = 1, cr0 = 1;
	cmdqv_mmio_peek(lx_model(p.x), CMDQV_SPACE_CMDQV, 0x0, 4, &cfg);
	cmdqv_mmio_peek(lx_model(p.x), CMDQV_SPACE_SMMU, 0x24, 4, &cr0);
	EXPECT_EQ(cfg & 1, 1u); // remove leaves CMDQV_EN set
	EXPECT_EQ(cr0 & 1, 0u); // arm_smmu_device_disable cleared SMMUEN
	EXPECT_EQ(lx_counters(p.x)->warnings, 0u) << p.log();
}

#ifdef LX_HAS_IOMMUFD
// 7.x's iommufd side driven as a VMM would: IOMMU_VIOMMU_ALLOC (a VINTF
// with the VM's VMID), IOMMU_HW_QUEUE_ALLOC (an LVCMDQ mapped to a global
// VCMDQ, BASE programmed), IOMMU_VDEVICE_ALLOC (SID_MATCH/SID_REPLACE).
// Then the guest, through its VINTF page only, enables the queue and issues
// TLBI_NH_ASID (VMID 0) + ATC_INV (its virtual SID) + SYNC: the model forces
// the VINTF's VMID and replaces the SID.
TEST(LinuxDriver, VmmVintfLvcmdqVdeviceThenGuestIssues)
{
	Platform p(true);
	ASSERT_EQ(lx_probe(p.x), 0) << p.log();
	cmdqv_model *m = lx_model(p.x);
	lxc_vm vm;
	ASSERT_EQ(lx_vmm_attach(p.x, 7, 0x42, 0x5, &vm), 0) << p.log();
	EXPECT_GE(vm.vintf, 1); // VINTF0 is the kernel's
	// the VINTF: enabled, guest-owned (no HYP_OWN), VMID 7
	uint64_t cfg = 0, match = 0, repl = 0;
	uint64_t vbase = 0x1000 + 0x100 * (uint64_t)vm.vintf;
	cmdqv_mmio_peek(m, CMDQV_SPACE_CMDQV, vbase, 4, &cfg);
	EXPECT_EQ(cfg & 1, 1u);
	EXPECT_EQ(cfg & (1u << 17), 0u);
	EXPECT_EQ((cfg >> 1) & 0xffff, 7u);
	cmdqv_mmio_peek(m, CMDQV_SPACE_CMDQV, vbase + 0x80, 4, &repl);
	cmdqv_mmio_peek(m, CMDQV_SPACE_CMDQV, vbase + 0x40, 4, &match);
	EXPECT_EQ(repl, 0x42u);
	EXPECT_EQ(match, (0x5u << 1) | 1u);

	ASSERT_EQ(cmdqv_tlb_add(m, CMDQV_TLB_NH, 7, 5, 0x10000, 1), CMDQV_OK);
	ASSERT_EQ(cmdqv_tlb_add(m, CMDQV_TLB_NH, 1, 5, 0x10000, 1), CMDQV_OK);
	ASSERT_EQ(cmdqv_atc_add(m, 0x42, 0x10000, 1), CMDQV_OK);
	ASSERT_EQ(cmdqv_atc_add(m, 0x5, 0x10000, 1), CMDQV_OK);
	const uint64_t cmds[6] = {
		0x11 | (5ull << 48),
		0, // TLBI_NH_ASID asid 5, VMID 0
		0x40 | (0x5ull << 32),
		0x10000, // ATC_INV vSID 5, one page
		0x46,
		0, // CMD_SYNC, CS=NONE
	};
	ASSERT_EQ(lx_vm_guest_submit(p.x, &vm, cmds, 3), 0) << p.log();
	cmdqv_stats st;
	cmdqv_stats_get(m, &st);
	EXPECT_EQ(st.errors, 0u) << p.log();
	EXPECT_FALSE(cmdqv_tlb_present(m, CMDQV_TLB_NH, 7, 5, 0x10000));
	EXPECT_TRUE(cmdqv_tlb_present(m, CMDQV_TLB_NH, 1, 5, 0x10000));
	EXPECT_FALSE(cmdqv_atc_present(m, 0x42, 0x10000)); // vSID 5 -> 0x42
	EXPECT_TRUE(cmdqv_atc_present(m, 0x5, 0x10000));
	EXPECT_EQ(lx_counters(p.x)->warnings, 0u) << p.log();
}
#endif

} // namespace

// ---- the host path of compare on both engines (lx_cmp_point) ----

extern "C" {
#include "paths.h"
}

namespace
{

struct HostPoint {
	cmdqv_config hw;
	path_params sw;
	wl_point pt;
	lx_cmp_side lx, bi;
	int rc = -1;
	char err[256] = "";

	HostPoint(unsigned cpus, unsigned pages, unsigned host_queues,
		  unsigned iters = 100, bool sev = true, unsigned qlog2 = 0)
	{
		cmdqv_config_defaults(&hw);
		hw.sev = sev;
		wl_params_defaults(&sw);
		if (qlog2)
			sw.queue_log2size = qlog2;
		wl_point_defaults(&pt);
		pt.path = WL_PATH_HOST;
		pt.threads = cpus;
		pt.granule_pages = pages;
		pt.iterations = iters;
		pt.host_queues = host_queues;
		rc = lx_cmp_hw(&hw, &sw, &pt, err, sizeof(err));
		if (rc == CMDQV_OK)
			rc = lx_cmp_point(&hw, &sw, &pt, &lx, &bi, err,
					  sizeof(err));
	}
};

// What both engines count must add up: every issue is timed, each writes
// PROD at most once (only owners write it, once per gathered range),
// gathered = issues - PROD-writing issues, and the issue count is the
// workload's: per unmap one TLBI list + SYNC (a page each, 64 a list) and
// one ATC_INV + SYNC.
void expect_consistent(const lx_cmp_side &s, const HostPoint &p,
		       const char *eng)
{
	uint64_t unmaps = (uint64_t)p.pt.threads * p.pt.iterations;
	uint64_t lists = (p.pt.granule_pages + 63) / 64 + 1;

	SCOPED_TRACE(eng);
	EXPECT_EQ(s.issues, unmaps * lists);
	EXPECT_EQ(s.nlat, s.issues);
	EXPECT_EQ(s.nunmap, unmaps);
	EXPECT_EQ(s.commands, unmaps * (p.pt.granule_pages + 1 + 2));
	EXPECT_LE(s.prod_writes, s.issues);
	EXPECT_EQ(s.prod_issues, s.prod_writes);
	EXPECT_EQ(s.gathered, s.issues - s.prod_issues);
	uint64_t h = 0;
	for (unsigned b = 0; b < LX_CMP_NBINS; b++)
		h += s.hist[b];
	EXPECT_EQ(h, s.issues);
	EXPECT_GT(s.iss_mean, 0.0);
	EXPECT_LE(s.iss_p50, s.iss_p99);
	EXPECT_LE(s.iss_p99, s.iss_max);
	EXPECT_GT(s.unmap_mean, s.iss_mean);
	EXPECT_EQ(s.failed, 0u);
}

} // namespace

// One CPU: nobody to gather or collide with; the two engines agree.
TEST(LinuxDriverHostPath, OneCpuBothEnginesNothingGathered)
{
	HostPoint p(1, 1, 0);
	ASSERT_EQ(p.rc, CMDQV_OK) << p.err;
	expect_consistent(p.lx, p, "linux");
	expect_consistent(p.bi, p, "builtin");
	for (const lx_cmp_side *s : { &p.lx, &p.bi }) {
		EXPECT_EQ(s->gathered, 0u);
		EXPECT_EQ(s->cas_fails, 0u);
		EXPECT_EQ(s->prod_writes, s->issues);
	}
	EXPECT_EQ(p.lx.queue_of_cpu[0], -1);
	// the costs are mapped one to one: within 1 % of each other
	EXPECT_NEAR(p.lx.unmap_mean, p.bi.unmap_mean, p.bi.unmap_mean / 100);
}

class LinuxDriverHostPathCpus
	: public ::testing::TestWithParam<std::tuple<unsigned, unsigned>> {};

// Several CPUs on one queue: both engines gather (an owner's PROD write
// publishes another CPU's list) and see failed cmpxchgs.
TEST_P(LinuxDriverHostPathCpus, GatheringInBothEngines)
{
	unsigned cpus = std::get<0>(GetParam());
	unsigned pages = std::get<1>(GetParam());
	HostPoint p(cpus, pages, 0);
	ASSERT_EQ(p.rc, CMDQV_OK) << p.err;
	expect_consistent(p.lx, p, "linux");
	expect_consistent(p.bi, p, "builtin");
	EXPECT_GT(p.lx.gathered, 0u);
	EXPECT_GT(p.bi.gathered, 0u);
	EXPECT_GT(p.lx.cas_fails, 0u);
	EXPECT_GT(p.bi.cas_fails, 0u);
	EXPECT_LT(p.lx.prod_writes, p.lx.issues);
	EXPECT_LT(p.bi.prod_writes, p.bi.issues);
	for (unsigned c = 0; c < cpus; c++)
		EXPECT_EQ(p.lx.queue_of_cpu[c], -1) << c;
}

INSTANTIATE_TEST_SUITE_P(LinuxDriver, LinuxDriverHostPathCpus,
			 ::testing::Values(std::make_tuple(8u, 1u),
					   std::make_tuple(16u, 1u),
					   std::make_tuple(4u, 16u),
					   std::make_tuple(16u, 64u)));

// VINTF0's LVCMDQs: CPU c on LVCMDQ c % 2, as the driver picks them, and
// the built-in engine's host-kernel WFE (woken by the CONS event) matches
// the driver's within 2 % at one CPU.
TEST(LinuxDriverHostPath, Vintf0QueuesByCpuAndWfeWake)
{
	HostPoint p(4, 1, 2);
	ASSERT_EQ(p.rc, CMDQV_OK) << p.err;
	expect_consistent(p.lx, p, "linux");
	expect_consistent(p.bi, p, "builtin");
	EXPECT_GE(p.lx.queue_of_cpu[0], 0);
	EXPECT_EQ(p.lx.queue_of_cpu[2], p.lx.queue_of_cpu[0]);
	EXPECT_EQ(p.lx.queue_of_cpu[3], p.lx.queue_of_cpu[1]);
	EXPECT_NE(p.lx.queue_of_cpu[0], p.lx.queue_of_cpu[1]);
	HostPoint one(1, 1, 2);
	ASSERT_EQ(one.rc, CMDQV_OK) << one.err;
	EXPECT_NEAR(one.lx.unmap_mean, one.bi.unmap_mean,
		    one.lx.unmap_mean / 50);
}

// With a stale llq.cons the queue looks full; Linux (IDR0.SEV) waits in
// WFE, which nothing but the event stream ends, and so does the built-in
// engine now: the slowest issue waits most of a 100 us tick in both.  With
// sev=0 both spin (cpu_relax, then udelay doubling) and no issue comes near.
TEST(LinuxDriverHostPath, FullLookingQueueWaitsForTheEventStream)
{
	HostPoint p(8, 16, 0);
	ASSERT_EQ(p.rc, CMDQV_OK) << p.err;
	EXPECT_GT(p.bi.full_waits, 0u);
	EXPECT_GT(p.lx.iss_max, 50000.0);
	EXPECT_GT(p.bi.iss_max, 50000.0);
	HostPoint spin(8, 16, 0, 100, false);
	ASSERT_EQ(spin.rc, CMDQV_OK) << spin.err;
	expect_consistent(spin.lx, spin, "linux, sev=0");
	expect_consistent(spin.bi, spin, "builtin, sev=0");
	EXPECT_GT(spin.bi.full_waits, 0u);
	EXPECT_LT(spin.lx.iss_max, 50000.0);
	EXPECT_LT(spin.bi.iss_max, 50000.0);
}

// A queue that is really full (16 CPUs x 65 + 2 entries in a 256-entry
// queue): CPUs refresh CONS under the exclusive lock while others wait to
// take it shared; since 6.12 a shared waiter's increment keeps further
// exclusive trylocks out, so nobody starves and both engines finish.
TEST(LinuxDriverHostPath, FullQueueNeitherEngineStarvesTheSharedLock)
{
	HostPoint p(16, 64, 0, 5, true, 8);
	ASSERT_EQ(p.rc, CMDQV_OK) << p.err;
	expect_consistent(p.lx, p, "linux");
	expect_consistent(p.bi, p, "builtin");
	EXPECT_GT(p.bi.full_waits, 0u);
}

// The same inputs give the same numbers, field by field.
TEST(LinuxDriverHostPath, Deterministic)
{
	HostPoint a(8, 1, 0, 50), b(8, 1, 0, 50);
	ASSERT_EQ(a.rc, CMDQV_OK) << a.err;
	ASSERT_EQ(b.rc, CMDQV_OK) << b.err;
	for (int e = 0; e < 2; e++) {
		const lx_cmp_side &x = e ? a.bi : a.lx, &y = e ? b.bi : b.lx;
		EXPECT_EQ(x.issues, y.issues);
		EXPECT_EQ(x.prod_writes, y.prod_writes);
		EXPECT_EQ(x.gathered, y.gathered);
		EXPECT_EQ(x.cas_fails, y.cas_fails);
		EXPECT_EQ(x.iss_mean, y.iss_mean);
		EXPECT_EQ(x.iss_p99, y.iss_p99);
		EXPECT_EQ(x.unmap_mean, y.unmap_mean);
		for (unsigned k = 0; k < LX_CMP_NBINS; k++)
			EXPECT_EQ(x.hist[k], y.hist[k]);
	}
}
