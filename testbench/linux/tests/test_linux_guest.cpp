// SPDX-License-Identifier: BSD-3-Clause
// LinuxDriverGuest.*: a guest instance of Linux's arm-smmu-v3 +
// tegra241-cmdqv drivers (a second copy, guest/lxg.h) probes the vSMMU and
// CMD-QV a VMM presents (guest/lx_vmm.h) and issues into its VINTF page;
// the assertions read the model (docs/linux-driver.md, "The guest
// instance").
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include <cmdqv_sim/regmap.h>

#include "cmdqv_sim/config.h"
#include "drv/lx_drv.h"
#include "lx.h"
#include "lx_vmm.h"
#include "lxg.h"
#include "paths.h"
}

namespace
{

constexpr uint16_t kBystanderVmid = 1;
constexpr uint32_t kBystanderSid = 0x43;

struct GuestPlatform {
	struct lx *x = nullptr;
	struct lx_vm *vm = nullptr;
	struct lx_vm_params vp;
	explicit GuestPlatform(unsigned host_cpus = 4, unsigned vcpus = 2,
			       bool guest_cmdqv = true)
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
		lx_vm_params_default(&vp);
		vp.cpu_base = host_cpus - vcpus;
		vp.ncpus = vcpus;
		vp.cmdqv = guest_cmdqv;
		vm = lx_vm_create(x, &vp, err, sizeof(err));
		EXPECT_NE(vm, nullptr) << err;
	}
	~GuestPlatform()
	{
		lx_vm_destroy(vm);
		lx_destroy(x);
	}
	cmdqv_model *m() const
	{
		return lx_model(x);
	}
	uint64_t peek(enum cmdqv_space sp, uint64_t off) const
	{
		uint64_t v = ~0ull;
		EXPECT_EQ(cmdqv_mmio_peek(m(), sp, off, 4, &v), CMDQV_OK);
		return v;
	}
	cmdqv_queue_state host_vcmdq(unsigned lidx) const
	{
		cmdqv_queue_state q;
		cmdqv_queue_get(m(), 1 + lx_vm_host_vcmdq(vm, lidx), &q);
		return q;
	}
	std::string log() const
	{
		return std::string("host:\n") + lx_log(x) + "guest:\n" +
		       lxg_log();
	}
};

struct RawJob {
	const uint64_t *cmds;
	int n;
	int ret;
};

void raw_fn(struct lx_vm *, unsigned vcpu, void *arg)
{
	auto *j = static_cast<RawJob *>(arg);
	if (vcpu == 0)
		j->ret = lxg_issue_raw(j->cmds, j->n, true);
}

void cfgi_fn(struct lx_vm *vm, unsigned vcpu, void *arg)
{
	if (vcpu == 0)
		*static_cast<int *>(arg) = lxg_cfgi_ste(lx_vm_params(vm)->vsid);
}

TEST(LinuxDriverGuest, ProbesWithCmdqvThroughTheVmm)
{
	GuestPlatform g;
	ASSERT_NE(g.vm, nullptr);
	const uint64_t host_lines = lx_log_count(g.x, "");
	ASSERT_EQ(lx_vm_probe(g.vm), 0) << g.log();
	// the guest's own log says it found and kept the CMD-QV
	EXPECT_TRUE(lxg_uses_cmdqv()) << g.log();
	EXPECT_EQ(lxg_log_count("found companion CMDQV device: guest "
				"NVDA200C"),
		  1u)
		<< g.log();
	EXPECT_EQ(lxg_log_count("Falling back"), 0u) << g.log();
	EXPECT_EQ(lxg_log_count("allocated 4096 entries for vcmdq"), 2u)
		<< g.log();
	// ... and nothing of it went to the host kernel's log
	EXPECT_EQ(lx_log_count(g.x, ""), host_lines);
	EXPECT_EQ(lx_log_count(g.x, "guest"), 0u);
	const kapi_counters *n = lx_vm_counters(g.vm);
	EXPECT_EQ(n->warnings, 0u) << g.log();
	EXPECT_EQ(n->unsupported, 0u) << g.log();
	EXPECT_EQ(n->irq_requests, 2u); // GERROR + CMD-QV, virtual
	// the vSMMU: enabled by the guest, with what the VMM advertises
	EXPECT_EQ(lx_vm_idr(g.vm, 0) & (1u << 13), 0u); // no MSI
	EXPECT_EQ(lx_vm_idr(g.vm, 0) & (1u << 14), 0u); // no SEV
	EXPECT_EQ(lx_vm_idr(g.vm, 0) & 3u, 2u); // stage 1 only
	const struct lx_vm_stats *st = lx_vm_stats(g.vm);
	EXPECT_GE(st->by_opcode[0x04], 1u); // the reset's CFGI_ALL ...
	EXPECT_GE(st->by_opcode[0x30], 1u); // ... TLBI_NSNH_ALL
	EXPECT_EQ(st->by_opcode[0x20], 0u); // no EL2 TLBI: IDR0.HYP = 0
#ifdef LX_CMD_API_ENT
	EXPECT_EQ(st->cmdq_alloc_writes, 2u); // the guest maps 2 LVCMDQs
#else
	// 7.x also clears and sets CMDQ_ALLOCATED of each around its hardware
	// init (tegra241_vcmdq_unmap_lvcmdq() / tegra241_vcmdq_map_lvcmdq())
	EXPECT_EQ(st->cmdq_alloc_writes, 6u);
#endif
	EXPECT_EQ(st->vcmdq_base_writes, 2u); // their BASEs, translated
	EXPECT_EQ(st->vcmdq_base_refused, 0u);
	EXPECT_GE(st->vintf_config_writes, 1u);
	// the host VINTF behind the guest's: enabled, not hypervisor-owned,
	// the VM's VMID, vSID -> physical SID
	const uint64_t vb = T241_VINTF(g.vp.vintf);
	const uint64_t cfg = g.peek(CMDQV_SPACE_CMDQV, vb);
	EXPECT_EQ(cfg & 1, 1u);
	EXPECT_EQ(cfg & (1u << 17), 0u);
	EXPECT_EQ((cfg >> 1) & 0xffff, g.vp.vmid);
	EXPECT_EQ(g.peek(CMDQV_SPACE_CMDQV, vb + T241_VINTF_SID_MATCH(0)),
		  (uint64_t)(g.vp.vsid << 1 | 1));
	EXPECT_EQ(g.peek(CMDQV_SPACE_CMDQV, vb + T241_VINTF_SID_REPLACE(0)),
		  (uint64_t)g.vp.psid);
	// the guest enabled its LVCMDQs through its page: the host VCMDQs
	// behind them are enabled, at the size the guest chose
	for (unsigned l = 0; l < lx_vm_lvcmdqs(g.vm); l++) {
		cmdqv_queue_state q = g.host_vcmdq(l);
		EXPECT_TRUE(q.enabled) << l;
		EXPECT_FALSE(q.error) << l;
		EXPECT_EQ(q.log2size, 12u) << l;
	}
	// the host's own VINTF0 queues are untouched by the guest
	cmdqv_queue_state h0;
	cmdqv_queue_get(g.m(), 1, &h0);
	EXPECT_EQ(h0.log2size, 18u);
}

TEST(LinuxDriverGuest, ProbesWithoutCmdqvOnTheVsmmuAlone)
{
	GuestPlatform g(2, 1, false);
	ASSERT_NE(g.vm, nullptr);
	ASSERT_EQ(lx_vm_probe(g.vm), 0) << g.log();
	EXPECT_FALSE(lxg_uses_cmdqv());
	EXPECT_EQ(lxg_log_count("found companion CMDQV"), 0u) << g.log();
	EXPECT_EQ(lx_vm_counters(g.vm)->warnings, 0u) << g.log();
	EXPECT_EQ(lx_vm_counters(g.vm)->irq_requests, 1u); // GERROR
}

class LinuxDriverGuestIssue : public ::testing::TestWithParam<unsigned> {};

// The headline: guest vCPUs issue TLBI_NH_ASID, TLBI_NH_VA (whatever
// VMID the guest wrote) and ATC_INV (virtual SID) + CMD_SYNC through the
// guest driver into its LVCMDQs; the model forces the VM's VMID and
// replaces the SID.  Bystanders (another VMID, the VMID the guest wrote,
// another SID) survive; the host SMMU CMDQ and the VMM see none of it.
TEST_P(LinuxDriverGuestIssue, ModelForcesVmidAndReplacesSid)
{
	const unsigned vcpus = GetParam();
	GuestPlatform g(vcpus + 2, vcpus);
	ASSERT_NE(g.vm, nullptr);
	ASSERT_EQ(lx_vm_probe(g.vm), 0) << g.log();
	cmdqv_model *m = g.m();
	const uint16_t vmid = g.vp.vmid;
	for (unsigned v = 0; v < vcpus; v++) {
		const uint16_t asid = LX_VM_ASID(v), va_asid = LX_VM_VA_ASID(v);
		ASSERT_EQ(cmdqv_tlb_add(m, CMDQV_TLB_NH, vmid, asid, 0x10000,
					1),
			  CMDQV_OK);
		ASSERT_EQ(cmdqv_tlb_add(m, CMDQV_TLB_NH, kBystanderVmid, asid,
					0x10000, 1),
			  CMDQV_OK);
		ASSERT_EQ(cmdqv_tlb_add(m, CMDQV_TLB_NH, vmid, va_asid,
					LX_VM_VA(v), 1),
			  CMDQV_OK);
		ASSERT_EQ(cmdqv_tlb_add(m, CMDQV_TLB_NH, LX_VM_GUEST_VMID,
					va_asid, LX_VM_VA(v), 1),
			  CMDQV_OK);
		ASSERT_EQ(cmdqv_atc_add(m, g.vp.psid, LX_VM_ATC_VA(v), 1),
			  CMDQV_OK);
		ASSERT_EQ(cmdqv_atc_add(m, g.vp.vsid, LX_VM_ATC_VA(v), 1),
			  CMDQV_OK);
		ASSERT_EQ(cmdqv_atc_add(m, kBystanderSid, LX_VM_ATC_VA(v), 1),
			  CMDQV_OK);
	}
	cmdqv_stats s0, s1;
	cmdqv_stats_get(m, &s0);
	const uint64_t host_prod_writes = lx_counters(g.x)->smmu_prod_writes;
	const uint64_t traps =
		lx_vm_stats(g.vm)->trap_reads + lx_vm_stats(g.vm)->trap_writes;
	lx_vm_issue_result r;
	ASSERT_EQ(lx_vm_issue(g.vm, vcpus, &r), CMDQV_OK) << g.log();
	cmdqv_stats_get(m, &s1);
	for (unsigned v = 0; v < vcpus; v++) {
		SCOPED_TRACE(v);
		EXPECT_EQ(r.asid_ret[v], 0) << g.log();
		EXPECT_EQ(r.va_ret[v], 0) << g.log();
		EXPECT_EQ(r.atc_ret[v], 0) << g.log();
		// the guest driver's queue choice: vCPU v -> LVCMDQ v % 2
		EXPECT_EQ(r.queue[v], (int)(v % lx_vm_lvcmdqs(g.vm)));
		const uint16_t asid = LX_VM_ASID(v), va_asid = LX_VM_VA_ASID(v);
		EXPECT_FALSE(cmdqv_tlb_present(m, CMDQV_TLB_NH, vmid, asid,
					       0x10000));
		EXPECT_TRUE(cmdqv_tlb_present(m, CMDQV_TLB_NH, kBystanderVmid,
					      asid, 0x10000));
		EXPECT_FALSE(cmdqv_tlb_present(m, CMDQV_TLB_NH, vmid, va_asid,
					       LX_VM_VA(v)));
		EXPECT_TRUE(cmdqv_tlb_present(m, CMDQV_TLB_NH, LX_VM_GUEST_VMID,
					      va_asid, LX_VM_VA(v)));
		EXPECT_FALSE(cmdqv_atc_present(m, g.vp.psid, LX_VM_ATC_VA(v)));
		EXPECT_TRUE(cmdqv_atc_present(m, g.vp.vsid, LX_VM_ATC_VA(v)));
		EXPECT_TRUE(
			cmdqv_atc_present(m, kBystanderSid, LX_VM_ATC_VA(v)));
	}
	EXPECT_EQ(s1.errors, s0.errors) << g.log();
	// 3 issues of command + SYNC per vCPU, all on the host VCMDQs behind
	// the guest's LVCMDQs, consumed by the model
	EXPECT_EQ(s1.commands - s0.commands, 6ull * vcpus);
	EXPECT_EQ(s1.by_opcode[0x12] - s0.by_opcode[0x12], (uint64_t)vcpus);
	EXPECT_EQ(r.host_vcmdq_cmds, 6ull * vcpus);
	EXPECT_EQ(r.vsmmu_cmds, 0u);
	// no trap on the issue path, the host SMMU CMDQ untouched
	EXPECT_EQ(lx_vm_stats(g.vm)->trap_reads +
			  lx_vm_stats(g.vm)->trap_writes,
		  traps);
	EXPECT_EQ(r.host_cmdq_prod[1], r.host_cmdq_prod[0]);
	EXPECT_EQ(lx_counters(g.x)->smmu_prod_writes, host_prod_writes);
	EXPECT_EQ(lx_vm_counters(g.vm)->warnings, 0u) << g.log();
}

INSTANTIATE_TEST_SUITE_P(Vcpus, LinuxDriverGuestIssue,
			 ::testing::Values(2u, 4u));

struct HostWork {
	int ret[2][4];
};

void host_fn(struct lx *x, unsigned cpu, void *arg)
{
	auto *w = static_cast<HostWork *>(arg);
	for (unsigned i = 0; i < 4; i++)
		w->ret[cpu][i] =
			lxd_tlbi_asid(lx_pdev(x), (uint16_t)(0x50 + cpu), 1);
}

// Both kernels at once on the one scheduler: host CPUs 0-1 issue through
// the host driver (VINTF0, hypervisor-owned: the VMID field is kept) while
// vCPUs 0-1 (CPUs 2-3) issue through the guest driver.
TEST(LinuxDriverGuest, HostAndGuestKernelsIssueAtOnce)
{
	GuestPlatform g(4, 2);
	ASSERT_NE(g.vm, nullptr);
	ASSERT_EQ(lx_vm_probe(g.vm), 0) << g.log();
	cmdqv_model *m = g.m();
	for (unsigned c = 0; c < 2; c++) {
		ASSERT_EQ(cmdqv_tlb_add(m, CMDQV_TLB_NH, 0, 0x50 + c, 0x10000,
					1),
			  CMDQV_OK);
		ASSERT_EQ(cmdqv_tlb_add(m, CMDQV_TLB_NH, g.vp.vmid, 0x50 + c,
					0x10000, 1),
			  CMDQV_OK);
		ASSERT_EQ(cmdqv_tlb_add(m, CMDQV_TLB_NH, g.vp.vmid,
					LX_VM_ASID(c), 0x10000, 1),
			  CMDQV_OK);
		ASSERT_EQ(cmdqv_tlb_add(m, CMDQV_TLB_NH, 0, LX_VM_ASID(c),
					0x10000, 1),
			  CMDQV_OK);
	}
	cmdqv_queue_state h0[2], h1[2];
	cmdqv_queue_get(m, 1, &h0[0]);
	cmdqv_queue_get(m, 2, &h0[1]);
	HostWork w{};
	for (auto &row : w.ret)
		for (int &v : row)
			v = -1;
	lx_vm_issue_result r;
	ASSERT_EQ(lx_vm_issue_along(g.vm, 2, &r, 2, host_fn, &w), CMDQV_OK)
		<< g.log();
	cmdqv_queue_get(m, 1, &h1[0]);
	cmdqv_queue_get(m, 2, &h1[1]);
	for (unsigned c = 0; c < 2; c++) {
		SCOPED_TRACE(c);
		for (int v : w.ret[c])
			EXPECT_EQ(v, 0) << lx_log(g.x);
		EXPECT_EQ(r.asid_ret[c], 0) << g.log();
		EXPECT_EQ(r.va_ret[c], 0) << g.log();
		EXPECT_EQ(r.atc_ret[c], 0) << g.log();
		// the host's TLBI (VMID 0) kept its VMID; the guest's was forced
		EXPECT_FALSE(cmdqv_tlb_present(m, CMDQV_TLB_NH, 0, 0x50 + c,
					       0x10000));
		EXPECT_TRUE(cmdqv_tlb_present(m, CMDQV_TLB_NH, g.vp.vmid,
					      0x50 + c, 0x10000));
		EXPECT_FALSE(cmdqv_tlb_present(m, CMDQV_TLB_NH, g.vp.vmid,
					       LX_VM_ASID(c), 0x10000));
		EXPECT_TRUE(cmdqv_tlb_present(m, CMDQV_TLB_NH, 0, LX_VM_ASID(c),
					      0x10000));
		// host CPU c on VINTF0's LVCMDQ c (VCMDQ c): 4 x (TLBI + SYNC)
		EXPECT_EQ(h1[c].cons - h0[c].cons, 8u);
	}
	EXPECT_EQ(r.host_vcmdq_cmds, 12u);
	EXPECT_EQ(r.host_cmdq_prod[1], r.host_cmdq_prod[0]);
	EXPECT_EQ(lx_counters(g.x)->warnings, 0u) << lx_log(g.x);
	EXPECT_EQ(lx_vm_counters(g.vm)->warnings, 0u) << g.log();
}

// Without the CMD-QV the guest has only the vSMMU: every PROD write and
// CONS read traps, and the VMM forwards TLBI_NH_ASID/VA (VMID rewritten)
// and ATC_INV (SID replaced) to the host kernel's SMMU CMDQ.  The same
// invalidations as on the VINTF, with the same effect, but through the
// host queue and more slowly.
TEST(LinuxDriverGuest, WithoutCmdqvTheVmmForwardsTrappedInvalidations)
{
	sim_time_t took[2] = { 0, 0 };
	for (int with_cmdqv = 0; with_cmdqv < 2; with_cmdqv++) {
		SCOPED_TRACE(with_cmdqv);
		GuestPlatform g(4, 2, with_cmdqv != 0);
		ASSERT_NE(g.vm, nullptr);
		ASSERT_EQ(lx_vm_probe(g.vm), 0) << g.log();
		EXPECT_EQ(lxg_uses_cmdqv(), with_cmdqv != 0);
		cmdqv_model *m = g.m();
		for (unsigned v = 0; v < 2; v++) {
			cmdqv_tlb_add(m, CMDQV_TLB_NH, g.vp.vmid, LX_VM_ASID(v),
				      0x10000, 1);
			cmdqv_tlb_add(m, CMDQV_TLB_NH, kBystanderVmid,
				      LX_VM_ASID(v), 0x10000, 1);
			cmdqv_tlb_add(m, CMDQV_TLB_NH, g.vp.vmid,
				      LX_VM_VA_ASID(v), LX_VM_VA(v), 1);
			cmdqv_tlb_add(m, CMDQV_TLB_NH, LX_VM_GUEST_VMID,
				      LX_VM_VA_ASID(v), LX_VM_VA(v), 1);
			cmdqv_atc_add(m, g.vp.psid, LX_VM_ATC_VA(v), 1);
			cmdqv_atc_add(m, g.vp.vsid, LX_VM_ATC_VA(v), 1);
		}
		const struct lx_vm_stats before = *lx_vm_stats(g.vm);
		lx_vm_issue_result r;
		ASSERT_EQ(lx_vm_issue(g.vm, 2, &r), CMDQV_OK) << g.log();
		const struct lx_vm_stats *st = lx_vm_stats(g.vm);
		for (unsigned v = 0; v < 2; v++) {
			EXPECT_EQ(r.asid_ret[v], 0) << g.log();
			EXPECT_EQ(r.va_ret[v], 0) << g.log();
			EXPECT_EQ(r.atc_ret[v], 0) << g.log();
			EXPECT_EQ(r.queue[v] < 0, with_cmdqv == 0);
			EXPECT_FALSE(cmdqv_tlb_present(m, CMDQV_TLB_NH,
						       g.vp.vmid, LX_VM_ASID(v),
						       0x10000));
			EXPECT_TRUE(cmdqv_tlb_present(m, CMDQV_TLB_NH,
						      kBystanderVmid,
						      LX_VM_ASID(v), 0x10000));
			EXPECT_FALSE(cmdqv_tlb_present(
				m, CMDQV_TLB_NH, g.vp.vmid, LX_VM_VA_ASID(v),
				LX_VM_VA(v)));
			EXPECT_TRUE(cmdqv_tlb_present(
				m, CMDQV_TLB_NH, LX_VM_GUEST_VMID,
				LX_VM_VA_ASID(v), LX_VM_VA(v)));
			EXPECT_FALSE(cmdqv_atc_present(m, g.vp.psid,
						       LX_VM_ATC_VA(v)));
			EXPECT_TRUE(cmdqv_atc_present(m, g.vp.vsid,
						      LX_VM_ATC_VA(v)));
		}
		if (with_cmdqv) {
			EXPECT_EQ(st->forwarded, before.forwarded);
			EXPECT_EQ(r.host_cmdq_prod[1], r.host_cmdq_prod[0]);
		} else {
			// 3 commands and 3 SYNCs per vCPU through the VMM
			EXPECT_EQ(r.vsmmu_cmds, 12u);
			EXPECT_EQ(st->forwarded - before.forwarded, 6u);
			EXPECT_EQ(st->forward_batches - before.forward_batches,
				  6u);
			EXPECT_EQ(st->forward_failed, 0u);
			EXPECT_NE(r.host_cmdq_prod[1], r.host_cmdq_prod[0]);
		}
		took[with_cmdqv] = r.longest;
	}
	// at least one 6 us trap per issue on the trap path, none direct
	EXPECT_GT(took[0], took[1] + SIM_US(18))
		<< took[0] << " vs " << took[1];
}

// A CFGI is not for a guest VINTF: the guest driver's filter
// (tegra241_guest_vcmdq_supports_cmd) sends it to the SMMU CMDQ, i.e. the
// VMM's emulated one; no host VCMDQ sees it.
TEST(LinuxDriverGuest, FilterSendsCfgiToTheVsmmuCmdq)
{
	GuestPlatform g;
	ASSERT_NE(g.vm, nullptr);
	ASSERT_EQ(lx_vm_probe(g.vm), 0) << g.log();
	ASSERT_EQ(cmdqv_cfg_add(g.m(), g.vp.psid, 0), CMDQV_OK);
	const struct lx_vm_stats before = *lx_vm_stats(g.vm);
	cmdqv_stats s0, s1;
	cmdqv_stats_get(g.m(), &s0);
	const uint32_t cons0 = g.host_vcmdq(0).cons;
	int ret = -1;
	ASSERT_EQ(lx_vm_run(g.vm, 1, cfgi_fn, &ret,
			    cmdqv_now(g.m()) + SIM_MS(100)),
		  CMDQV_OK);
	EXPECT_EQ(ret, 0) << g.log();
	const struct lx_vm_stats *st = lx_vm_stats(g.vm);
	EXPECT_EQ(st->by_opcode[0x03] - before.by_opcode[0x03], 1u);
	EXPECT_EQ(st->by_opcode[0x46] - before.by_opcode[0x46], 1u);
	EXPECT_GT(st->cmdq_prod_writes, before.cmdq_prod_writes);
	cmdqv_stats_get(g.m(), &s1);
	EXPECT_EQ(s1.commands, s0.commands); // nothing reached the model
	EXPECT_EQ(g.host_vcmdq(0).cons, cons0);
	EXPECT_TRUE(cmdqv_cfg_present(g.m(), g.vp.psid, 0));
}

// After a guest queue error on 7.x (iommufd): the host driver reported a
// vEVENT, the VMM injected the guest's CMD-QV interrupt, and the guest's
// own tegra241_cmdqv_isr() skipped the bad command (GERROR -> GERRORN), so
// the guest's CMD_SYNC completed and the queue takes commands again.
void expect_guest_recovered(GuestPlatform &g, int ret, uint64_t vevents0)
{
	const struct lx_vm_stats *st = lx_vm_stats(g.vm);
	EXPECT_EQ(ret, 0) << g.log();
	EXPECT_EQ(lxg_log_count("CMD_SYNC timeout"), 0u) << g.log();
	EXPECT_GE(st->vevents - vevents0, 1u);
	EXPECT_GE(st->irqs_injected, 1u);
	EXPECT_GE(lxg_log_count("unexpected error reported"), 1u) << g.log();
	EXPECT_FALSE(g.host_vcmdq(0).error);
	EXPECT_FALSE(cmdqv_irq_level(g.m(), CMDQV_IRQ_CMDQV));
	// the queue works afterwards
	const uint64_t tlbi[2] = { 0x11 | (uint64_t)0x33 << 48, 0 };
	RawJob j = { tlbi, 1, -1 };
	ASSERT_EQ(lx_vm_run(g.vm, 1, raw_fn, &j,
			    cmdqv_now(g.m()) + SIM_MS(100)),
		  CMDQV_OK);
	EXPECT_EQ(j.ret, 0) << g.log();
}

// The same CFGI written past the filter straight into the guest's LVCMDQ:
// the model refuses it as the hardware does for a VINTF without HYP_OWN
// (the queue halts with CONS.ERR = the CMD-QV's ILL_ACCESS code) and the
// config cache keeps the entry.  On 6.x nothing tells the guest: its
// CMD_SYNC times out.  On 7.x the host driver reports the error to the VMM
// (vEVENT), which injects it: the guest recovers its queue itself.
TEST(LinuxDriverGuest, CfgiPastTheFilterIsIllegalOnAGuestVintf)
{
	GuestPlatform g;
	ASSERT_NE(g.vm, nullptr);
	ASSERT_EQ(lx_vm_probe(g.vm), 0) << g.log();
	ASSERT_EQ(cmdqv_cfg_add(g.m(), g.vp.psid, 0), CMDQV_OK);
	const uint64_t cmds[2] = { 0x03 | (uint64_t)g.vp.vsid << 32, 1 };
	RawJob j = { cmds, 1, 0 };
	cmdqv_stats s0, s1;
	const uint64_t ev0 = lx_vm_stats(g.vm)->vevents;
	cmdqv_stats_get(g.m(), &s0);
	ASSERT_EQ(lx_vm_run(g.vm, 1, raw_fn, &j,
			    cmdqv_now(g.m()) + SIM_MS(3000)),
		  CMDQV_OK);
	cmdqv_stats_get(g.m(), &s1);
	EXPECT_EQ(s1.errors - s0.errors, 1u);
	EXPECT_EQ(s1.by_opcode[0x03], s0.by_opcode[0x03]);
	EXPECT_TRUE(cmdqv_cfg_present(g.m(), g.vp.psid, 0));
	if (lx_vm_uses_iommufd(g.vm)) {
		expect_guest_recovered(g, j.ret, ev0);
		return;
	}
	EXPECT_EQ(j.ret, -ETIMEDOUT) << g.log();
	EXPECT_EQ(lxg_log_count("CMD_SYNC timeout"), 1u) << g.log();
	EXPECT_TRUE(g.host_vcmdq(0).error);
	const uint64_t cons =
		g.peek(CMDQV_SPACE_CMDQV, T241_VINTF_PAGE0(g.vp.vintf, 0));
	EXPECT_EQ((cons >> 24) & 0x7f, T241_CERROR_ILL_ACCESS)
		<< std::hex << cons;
	// the VM's VINTF is masked: the host's CMD-QV ISR did not run for it
	EXPECT_EQ(lx_log_count(g.x, "unexpected error reported"), 0u)
		<< g.log();
	EXPECT_FALSE(cmdqv_irq_level(g.m(), CMDQV_IRQ_CMDQV));
}

// Finding: 6.12's tegra241_cmdqv_isr() handles VINTF0's errors only.  With
// the VM's VINTF left unmasked in VINTF_INT_MASK, one guest queue error
// holds the CMD-QV line high: the host's ISR runs again and again, each
// time logging "unexpected error reported", and never clears it.  (7.x
// forwards a user VINTF's errors to the VMM, which injects them into the
// guest: the guest clears the error, and the ISR runs only a few times.)
TEST(LinuxDriverGuest, UnmaskedGuestVintfErrorStormsTheHostIsr)
{
	struct lx_params p;
	char err[200] = "";
	lx_params_default(&p);
	p.ncpus = 4;
	struct lx *x = lx_create(&p, err, sizeof(err));
	ASSERT_NE(x, nullptr) << err;
	ASSERT_EQ(lx_probe(x), 0) << lx_log(x);
	struct lx_vm_params vp;
	lx_vm_params_default(&vp);
	vp.cpu_base = 2;
	vp.ncpus = 2;
	vp.mask_vintf_irq = false;
	struct lx_vm *vm = lx_vm_create(x, &vp, err, sizeof(err));
	ASSERT_NE(vm, nullptr) << err;
	ASSERT_EQ(lx_vm_probe(vm), 0) << lxg_log();
	const uint64_t cmds[2] = { 0x03 | (uint64_t)vp.vsid << 32, 1 };
	RawJob j = { cmds, 1, 0 };
	const sim_time_t t0 = cmdqv_now(lx_model(x));
	if (lx_vm_uses_iommufd(vm)) {
		// 7.x forwards the user VINTF's error (vEVENT), the guest
		// clears it: a few host ISR runs, no storm
		EXPECT_EQ(lx_vm_run(vm, 1, raw_fn, &j, t0 + SIM_US(200)),
			  CMDQV_OK);
		EXPECT_EQ(j.ret, 0) << lxg_log();
		EXPECT_FALSE(cmdqv_irq_level(lx_model(x), CMDQV_IRQ_CMDQV));
		EXPECT_LT(lx_log_count(x, "unexpected error reported"), 10u)
			<< lx_log(x);
		EXPECT_GE(lx_vm_stats(vm)->vevents, 1u);
		lx_vm_destroy(vm);
		lx_destroy(x);
		return;
	}
	// 200 us of the guest's (1 s) CMD_SYNC wait
	EXPECT_EQ(lx_vm_run(vm, 1, raw_fn, &j, t0 + SIM_US(200)),
		  CMDQV_ETIMEDOUT);
	EXPECT_TRUE(cmdqv_irq_level(lx_model(x), CMDQV_IRQ_CMDQV));
	EXPECT_GE(lx_log_count(x, "unexpected error reported"), 10u)
		<< lx_log(x);
	EXPECT_GE(simcpu_stat(lx_cpus(x), "irq_threads"), 10u);
	lx_vm_destroy(vm);
	lx_destroy(x);
}

// An ATC_INV for a virtual SID the VMM never matched: the guest driver
// sends it to its VCMDQ (the filter allows ATC_INV), the model finds no
// SID_MATCH and halts the queue; no endpoint sees the invalidation.
TEST(LinuxDriverGuest, AtcInvForAnUnmatchedVsidIsRefused)
{
	GuestPlatform g;
	ASSERT_NE(g.vm, nullptr);
	ASSERT_EQ(lx_vm_probe(g.vm), 0) << g.log();
	const uint32_t stray = g.vp.vsid + 1;
	ASSERT_EQ(cmdqv_atc_add(g.m(), stray, 0x10000, 1), CMDQV_OK);
	ASSERT_EQ(cmdqv_atc_add(g.m(), g.vp.psid, 0x10000, 1), CMDQV_OK);
	cmdqv_stats s0, s1;
	const uint64_t ev0 = lx_vm_stats(g.vm)->vevents;
	cmdqv_stats_get(g.m(), &s0);
	int ret = 0;
	struct Job {
		static void fn(struct lx_vm *, unsigned vcpu, void *arg)
		{
			if (vcpu == 0)
				*static_cast<int *>(arg) =
					lxg_atc_inv(0x6, 0x10000, 0x1000);
		}
	};
	ASSERT_EQ(stray, 0x6u);
	ASSERT_EQ(lx_vm_run(g.vm, 1, Job::fn, &ret,
			    cmdqv_now(g.m()) + SIM_MS(3000)),
		  CMDQV_OK);
	cmdqv_stats_get(g.m(), &s1);
	EXPECT_EQ(s1.errors - s0.errors, 1u);
	EXPECT_EQ(s1.ats_requests, s0.ats_requests);
	EXPECT_TRUE(cmdqv_atc_present(g.m(), stray, 0x10000));
	EXPECT_TRUE(cmdqv_atc_present(g.m(), g.vp.psid, 0x10000));
	if (lx_vm_uses_iommufd(g.vm)) {
		expect_guest_recovered(g, ret, ev0);
		return;
	}
	EXPECT_EQ(ret, -ETIMEDOUT) << g.log();
	EXPECT_TRUE(g.host_vcmdq(0).error);
}

// 7.x: the VMM sets the guest's VINTF up through the host driver's iommufd
// side (IOMMU_VIOMMU_ALLOC -> a VINTF with the VM's VMID, HYP_OWN 0;
// IOMMU_VDEVICE_ALLOC -> SID_MATCH/SID_REPLACE; the guest driver's BASE
// writes -> IOMMU_HW_QUEUE_ALLOC, each LVCMDQ mapped by the host driver),
// the guest instance probes and issues on it, and the guest's remove (BASE
// 0, descending) destroys the HW queues.  On 6.x there is no iommufd side.
TEST(LinuxDriverGuest, IommufdMakesTheGuestsQueuesFromItsBaseWrites)
{
	GuestPlatform g;
	ASSERT_NE(g.vm, nullptr);
#ifdef LX_HAS_IOMMUFD
	ASSERT_TRUE(lx_vm_uses_iommufd(g.vm));
	ASSERT_EQ(lx_vm_probe(g.vm), 0) << g.log();
	const unsigned per = lx_vm_lvcmdqs(g.vm);
	const struct lx_vm_stats *st = lx_vm_stats(g.vm);
	EXPECT_EQ(st->hw_queue_allocs, per);
	EXPECT_EQ(st->hw_queue_refused, 0u);
	const unsigned vi = lx_vm_host_vintf(g.vm);
	EXPECT_GE(vi, 1u);
	const uint64_t cfg =
		g.peek(CMDQV_SPACE_CMDQV, T241_VINTF(vi) + T241_VINTF_CONFIG);
	EXPECT_EQ(CMDQV_FIELD_EX(cfg, T241_VINTF_CONFIG_VMID), g.vp.vmid);
	EXPECT_EQ(CMDQV_FIELD_EX(cfg, T241_VINTF_CONFIG_HYP_OWN), 0u);
	EXPECT_EQ(g.peek(CMDQV_SPACE_CMDQV,
			 T241_VINTF(vi) + T241_VINTF_SID_REPLACE(0)),
		  g.vp.psid);
	for (unsigned l = 0; l < per; l++) {
		const uint64_t a =
			g.peek(CMDQV_SPACE_CMDQV,
			       T241_CMDQ_ALLOC(lx_vm_host_vcmdq(g.vm, l)));
		EXPECT_EQ(CMDQV_FIELD_EX(a, T241_CMDQ_ALLOC_VINTF), vi);
		EXPECT_EQ(CMDQV_FIELD_EX(a, T241_CMDQ_ALLOC_LVCMDQ), l);
		EXPECT_TRUE(g.host_vcmdq(l).enabled);
	}
	lx_vm_issue_result r;
	ASSERT_EQ(lx_vm_issue(g.vm, 2, &r), CMDQV_OK) << g.log();
	for (unsigned v = 0; v < 2; v++) {
		EXPECT_EQ(r.asid_ret[v], 0);
		EXPECT_EQ(r.va_ret[v], 0);
		EXPECT_EQ(r.atc_ret[v], 0);
	}
	EXPECT_GT(r.host_vcmdq_cmds, 0u);
	struct Rm {
		static void fn(struct lx_vm *, unsigned vcpu, void *)
		{
			if (vcpu == 0)
				lxg_remove();
		}
	};
	ASSERT_EQ(lx_vm_run(g.vm, 1, Rm::fn, nullptr,
			    cmdqv_now(g.m()) + SIM_MS(100)),
		  CMDQV_OK);
	EXPECT_EQ(st->hw_queue_frees, per) << g.log();
	EXPECT_EQ(st->hw_queue_refused, 0u);
	for (unsigned l = 0; l < per; l++)
		EXPECT_FALSE(CMDQV_FIELD_EX(
			g.peek(CMDQV_SPACE_CMDQV,
			       T241_CMDQ_ALLOC(lx_vm_host_vcmdq(g.vm, l))),
			T241_CMDQ_ALLOC_ALLOCATED));
#else
	EXPECT_FALSE(lx_vm_uses_iommufd(g.vm));
	EXPECT_EQ(lx_vm_stats(g.vm)->hw_queue_allocs, 0u);
#endif
}

struct PokeJob {
	uint64_t pa, v;
	unsigned size;
};

void poke_fn(struct lx_vm *, unsigned vcpu, void *arg)
{
	auto *j = static_cast<PokeJob *>(arg);
	if (vcpu == 0)
		lxg_mmio_write(j->pa, j->size, j->v);
}

// The VMM translates what a guest writes to its LVCMDQ page 1: with the
// queue disabled (through its page 0, which is the model's), a queue base
// outside guest RAM (here the host's own SMMU CMDQ, by halves or whole) is
// refused and the host VCMDQ's BASE reads 0; one inside guest RAM goes
// through, and the queue enables again.
TEST(LinuxDriverGuest, LvcmdqBaseOutsideGuestRamIsRefused)
{
	GuestPlatform g;
	ASSERT_NE(g.vm, nullptr);
	ASSERT_EQ(lx_vm_probe(g.vm), 0) << g.log();
	uint64_t host_cmdq = 0;
	ASSERT_EQ(cmdqv_mmio_peek(g.m(), CMDQV_SPACE_SMMU, SMMU_CMDQ_BASE, 8,
				  &host_cmdq),
		  CMDQV_OK);
	const uint64_t page1 = LX_VM_CMDQV_PA + T241_VINTF_PAGE1_BASE;
	const uint64_t host_page1 = T241_VINTF_PAGE1(g.vp.vintf, 0);
	auto host_base = [&] {
		uint64_t v = ~0ull;
		cmdqv_mmio_peek(g.m(), CMDQV_SPACE_CMDQV, host_page1, 8, &v);
		return v;
	};
	const uint64_t good = host_base();
	ASSERT_NE(good, 0u);
	const uint64_t evil = (host_cmdq & ((1ull << 48) - 32)) | 8;
	// BASE is written with the queue disabled (its CONFIG, page 0)
	const uint64_t config = LX_VM_CMDQV_PA + T241_VINTF_PAGE0_BASE + 0x8;
	PokeJob off = { config, 0, 4 };
	ASSERT_EQ(lx_vm_run(g.vm, 1, poke_fn, &off,
			    cmdqv_now(g.m()) + SIM_MS(1)),
		  CMDQV_OK);
	cmdqv_run_until(g.m(), cmdqv_now(g.m()) + SIM_US(10)); // the ack
	ASSERT_FALSE(g.host_vcmdq(0).enabled);
	const uint64_t refused0 = lx_vm_stats(g.vm)->vcmdq_base_refused;
	PokeJob lo = { page1, evil & 0xffffffffull, 4 };
	PokeJob hi = { page1 + 4, evil >> 32, 4 };
	PokeJob whole = { page1, evil, 8 };
	// iommufd: the VMM makes no HW queue of it and keeps the guest's
	// own (its LVCMDQ 1 depends on it); else the host BASE is cleared
	const uint64_t after = lx_vm_uses_iommufd(g.vm) ? good : 0u;
	for (PokeJob *j : { &lo, &hi, &whole }) {
		ASSERT_EQ(lx_vm_run(g.vm, 1, poke_fn, j,
				    cmdqv_now(g.m()) + SIM_MS(1)),
			  CMDQV_OK);
		EXPECT_EQ(host_base(), after);
	}
	EXPECT_EQ(lx_vm_stats(g.vm)->vcmdq_base_refused - refused0, 3u);
	PokeJob back = { page1, good, 8 };
	ASSERT_EQ(lx_vm_run(g.vm, 1, poke_fn, &back,
			    cmdqv_now(g.m()) + SIM_MS(1)),
		  CMDQV_OK);
	EXPECT_EQ(host_base(), good);
	PokeJob on = { config, 1, 4 };
	ASSERT_EQ(lx_vm_run(g.vm, 1, poke_fn, &on,
			    cmdqv_now(g.m()) + SIM_MS(1)),
		  CMDQV_OK);
	cmdqv_run_until(g.m(), cmdqv_now(g.m()) + SIM_US(10));
	EXPECT_TRUE(g.host_vcmdq(0).enabled);
}

struct RunOut {
	std::string guest_log;
	sim_time_t end;
	uint64_t switches;
};

RunOut run_once()
{
	GuestPlatform g;
	RunOut o{};
	if (!g.vm || lx_vm_probe(g.vm) != 0)
		return o;
	lx_vm_issue_result r;
	lx_vm_issue(g.vm, 2, &r);
	o.guest_log = lxg_log();
	o.end = r.t_end;
	o.switches = simcpu_stat(lx_cpus(g.x), "switches");
	return o;
}

TEST(LinuxDriverGuest, Deterministic)
{
	RunOut a = run_once(), b = run_once();
	ASSERT_FALSE(a.guest_log.empty());
	EXPECT_EQ(a.guest_log, b.guest_log);
	EXPECT_EQ(a.end, b.end);
	EXPECT_EQ(a.switches, b.switches);
}

// The guest paths of compare (guest/lx_guestwl.c): the unmap loop through
// the guest driver's own arm_smmu_cmdq_issue_cmdlist(), trapped to a VMM
// that charges the trap path's costs (exits, the BQL, one ioctl per
// command), beside the built-in engine on the same parameters.
struct GuestPoint {
	lx_cmp_side lx{}, bi{};
	int rc = -1;
	std::string err;
};

GuestPoint guest_point(enum wl_path path, unsigned vcpus, unsigned pages,
		       uint64_t iters = 40)
{
	GuestPoint g;
	struct cmdqv_config hw;
	struct path_params sw;
	struct wl_point pt;
	char err[256] = "";

	cmdqv_config_defaults(&hw);
	wl_params_defaults(&sw);
	wl_point_defaults(&pt);
	pt.path = path;
	pt.threads = vcpus;
	pt.granule_pages = pages;
	pt.iterations = iters;
	if (lx_cmp_hw(&hw, &sw, &pt, err, sizeof(err)) != CMDQV_OK) {
		g.err = err;
		return g;
	}
	g.rc = lx_cmp_guest_point(&hw, &sw, &pt, &g.lx, &g.bi, err,
				  sizeof(err));
	g.err = err;
	return g;
}

class LinuxDriverGuestPath
	: public ::testing::TestWithParam<std::tuple<int, unsigned, unsigned>> {
};

// The real guest driver and the built-in engine agree on the trap and
// direct paths: the mean unmap latency within 3 %, the same trapped
// accesses and ioctls per unmap, every call succeeding.
TEST_P(LinuxDriverGuestPath, RealGuestDriverAgreesWithTheBuiltInEngine)
{
	auto [path, vcpus, pages] = GetParam();
	GuestPoint g = guest_point((enum wl_path)path, vcpus, pages);

	ASSERT_EQ(g.rc, CMDQV_OK) << g.err;
	EXPECT_EQ(g.lx.failed, 0u);
	ASSERT_EQ(g.lx.nunmap, 40u * vcpus);
	ASSERT_EQ(g.bi.nunmap, 40u * vcpus);
	EXPECT_NEAR(g.lx.unmap_mean, g.bi.unmap_mean, 0.03 * g.bi.unmap_mean);
	EXPECT_EQ(g.lx.issues, g.bi.issues);
	if (path == WL_PATH_TRAP) {
		// a TLBI list and an ATC_INV list: one PROD write and at least
		// one CONS read each, one ioctl per command
		EXPECT_GE(g.lx.exits, 4u * g.lx.nunmap - g.lx.gathered);
		EXPECT_NEAR((double)g.lx.exits, (double)g.bi.exits,
			    0.03 * (double)g.bi.exits);
		EXPECT_EQ(g.lx.ioctls, (uint64_t)(pages + 1) * g.lx.nunmap);
		EXPECT_EQ(g.lx.ioctls, g.bi.ioctls);
		if (vcpus > 1) {
			EXPECT_GT(g.lx.bql_sleeps, 0u);
			EXPECT_GT(g.bi.bql_sleeps, 0u);
		} else {
			EXPECT_EQ(g.lx.bql_sleeps, 0u);
		}
	} else if (path == WL_PATH_EVENTFD) {
		// PROD stores and CONS reads stay in the kernel; the kernel
		// thread issues what the vCPUs published, SYNCs dropped
		EXPECT_EQ(g.lx.bql_sleeps, 0u);
		EXPECT_GT(g.lx.ioctls, 0u); // its host issues
		EXPECT_LE(g.lx.ioctls, 2u * g.lx.nunmap);
		EXPECT_STREQ(g.lx.queue, "emulated vSMMU CMDQ");
	} else {
		EXPECT_EQ(g.lx.exits, 0u); // nothing on the way traps
		EXPECT_EQ(g.lx.ioctls, 0u);
		EXPECT_STREQ(g.lx.queue, "the VM's LVCMDQs (vcpu % 2)");
	}
}

INSTANTIATE_TEST_SUITE_P(
	Points, LinuxDriverGuestPath,
	::testing::Values(std::make_tuple((int)WL_PATH_TRAP, 1u, 1u),
			  std::make_tuple((int)WL_PATH_TRAP, 2u, 1u),
			  std::make_tuple((int)WL_PATH_TRAP, 2u, 16u),
			  std::make_tuple((int)WL_PATH_EVENTFD, 1u, 1u),
			  std::make_tuple((int)WL_PATH_EVENTFD, 2u, 1u),
			  std::make_tuple((int)WL_PATH_DIRECT, 1u, 1u),
			  std::make_tuple((int)WL_PATH_DIRECT, 2u, 16u)));

// Two vCPUs of one VM meet at QEMU's BQL and behind each other's trapped
// PROD write: on the real guest driver each unmap takes longer than with
// one vCPU (docs/timing-model.md 3.3.1), on direct hardly at all.
TEST(LinuxDriverGuestPaths, TwoVcpusWaitForEachOtherOnlyWhenTrapped)
{
	GuestPoint t1 = guest_point(WL_PATH_TRAP, 1, 1),
		   t2 = guest_point(WL_PATH_TRAP, 2, 1),
		   d1 = guest_point(WL_PATH_DIRECT, 1, 1),
		   d2 = guest_point(WL_PATH_DIRECT, 2, 1);

	ASSERT_EQ(t1.rc, CMDQV_OK) << t1.err;
	ASSERT_EQ(t2.rc, CMDQV_OK) << t2.err;
	ASSERT_EQ(d1.rc, CMDQV_OK) << d1.err;
	ASSERT_EQ(d2.rc, CMDQV_OK) << d2.err;
	EXPECT_GT(t2.lx.unmap_mean, 1.2 * t1.lx.unmap_mean);
	EXPECT_LT(d2.lx.unmap_mean, 1.05 * d1.lx.unmap_mean);
	EXPECT_GT(t1.lx.unmap_mean, 4 * d1.lx.unmap_mean);
}

TEST(LinuxDriverGuestPaths, HostIsNotAGuestPath)
{
	EXPECT_EQ(guest_point(WL_PATH_HOST, 1, 1).rc, CMDQV_EINVAL);
}

} // namespace
