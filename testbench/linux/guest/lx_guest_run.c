/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lx_guest_run.c - the guest kernel's invalidations (lx_vm_issue) and the
 * cmdqv-linux "guest" scenario; see lx_vmm.h.
 */
#include <stdio.h>
#include <string.h>

#include <cmdqv_sim/regmap.h>

#include "lx_vmm.h"
#include "lxg.h"

struct issue_job {
	const struct lx_vm_params *p;
	struct lx_vm_issue_result *r;
};

static void issue_fn(struct lx_vm *vm, unsigned v, void *arg)
{
	struct issue_job *j = arg;

	(void)vm;
	sim_time_t t[4];

	j->r->queue[v] = lxg_queue_for_cpu();
	t[0] = simcpu_now();
	j->r->asid_ret[v] = lxg_tlbi_asid((uint16_t)LX_VM_ASID(v), 1);
	t[1] = simcpu_now();
	j->r->va_ret[v] = lxg_tlbi_va((uint16_t)LX_VM_GUEST_VMID,
				      (uint16_t)LX_VM_VA_ASID(v), LX_VM_VA(v));
	t[2] = simcpu_now();
	j->r->atc_ret[v] = lxg_atc_inv(j->p->vsid, LX_VM_ATC_VA(v), 0x1000);
	t[3] = simcpu_now();
	j->r->lat[v][0] = t[1] - t[0];
	j->r->lat[v][1] = t[2] - t[1];
	j->r->lat[v][2] = t[3] - t[2];
}

struct raw_job {
	const uint64_t *cmds;
	int ret;
};

static void raw_fn(struct lx_vm *vm, unsigned v, void *arg)
{
	struct raw_job *j = arg;

	(void)vm;
	if (!v)
		j->ret = lxg_issue_raw(j->cmds, 1, true);
}

static uint64_t host_vcmdq_cmds(const struct lx_vm *vm)
{
	struct cmdqv_model *m = lx_model(lx_vm_x(vm));
	uint64_t n = 0;
	unsigned l;

	if (!lx_vm_params(vm)->cmdqv)
		return 0;
	for (l = 0; l < lx_vm_lvcmdqs(vm); l++) {
		struct cmdqv_queue_state q;

		cmdqv_queue_get(m, 1 + lx_vm_host_vcmdq(vm, l), &q);
		n += q.cons; /* position bits: fine for runs < queue size */
	}
	return n;
}

int lx_vm_issue(struct lx_vm *vm, unsigned nvcpus, struct lx_vm_issue_result *r)
{
	return lx_vm_issue_along(vm, nvcpus, r, 0, NULL, NULL);
}

int lx_vm_issue_along(struct lx_vm *vm, unsigned nvcpus,
		      struct lx_vm_issue_result *r, unsigned host_cpus,
		      void (*host_fn)(struct lx *x, unsigned cpu, void *arg),
		      void *host_arg)
{
	struct lx *x = lx_vm_x(vm);
	struct cmdqv_model *m = lx_model(x);
	struct issue_job j = { lx_vm_params(vm), r };
	uint64_t v0, c0;
	int rc;

	memset(r, 0, sizeof(*r));
	cmdqv_mmio_peek(m, CMDQV_SPACE_SMMU, SMMU_CMDQ_PROD, 4,
			&r->host_cmdq_prod[0]);
	v0 = host_vcmdq_cmds(vm);
	c0 = lx_vm_stats(vm)->cmds;
	r->t_start = cmdqv_now(m);
	if (host_fn && host_cpus > lx_vm_params(vm)->cpu_base)
		return CMDQV_EINVAL;
	rc = lx_vm_start(vm, nvcpus, issue_fn, &j);
	if (rc == CMDQV_OK && host_fn)
		rc = lx_run(x, host_cpus, host_fn, host_arg,
			    r->t_start + SIM_MS(1000));
	else if (rc == CMDQV_OK)
		rc = lx_continue(x, r->t_start + SIM_MS(1000));
	r->longest = lx_vm_span(vm, &r->t_start, &r->t_end);
	cmdqv_mmio_peek(m, CMDQV_SPACE_SMMU, SMMU_CMDQ_PROD, 4,
			&r->host_cmdq_prod[1]);
	r->host_vcmdq_cmds = host_vcmdq_cmds(vm) - v0;
	r->vsmmu_cmds = lx_vm_stats(vm)->cmds - c0;
	return rc;
}

/* ---- cmdqv-linux --scenario guest ---- */

#define BYSTANDER_VMID 1u
#define BYSTANDER_SID 0x43u

static void cfgi_fn(struct lx_vm *vm, unsigned v, void *arg)
{
	(void)v;
	*(int *)arg = lxg_cfgi_ste(lx_vm_params(vm)->vsid);
}

static const char *kept(bool present)
{
	return present ? "kept" : "invalidated";
}

int lx_vm_scenario(struct lx *x, unsigned nvcpus, bool quiet)
{
	struct cmdqv_model *m = lx_model(x);
	unsigned ncpus = simcpu_ncpus(lx_cpus(x)), v;
	struct lx_vm_params vp;
	struct lx_vm_issue_result r;
	const struct lx_vm_stats *st;
	struct lx_vm *vm;
	char err[200];
	int ret, bad = 0;

	lx_vm_params_default(&vp);
	if (!nvcpus || nvcpus >= ncpus) {
		printf("guest: %u vCPUs on a host of %u CPUs: use --cpus 2 or "
		       "more\n",
		       nvcpus, ncpus);
		return 1;
	}
	vp.ncpus = nvcpus;
	vp.cpu_base = ncpus - nvcpus;
	vp.cmdqv = lx_uses_cmdqv(x); /* --no-cmdqv: the vSMMU alone */
	vm = lx_vm_create(x, &vp, err, sizeof(err));
	if (!vm) {
		printf("VMM: %s\n", err);
		return 1;
	}
	printf("VMM: VM of %u vCPUs (host CPUs %u..%u), VMID %u, vSID 0x%x "
	       "-> SID 0x%x; vSMMU IDR0 0x%08x IDR1 0x%08x; ",
	       vp.ncpus, vp.cpu_base, vp.cpu_base + vp.ncpus - 1,
	       (unsigned)vp.vmid, vp.vsid, vp.psid, lx_vm_idr(vm, 0),
	       lx_vm_idr(vm, 1));
	if (vp.cmdqv)
		printf("CMD-QV: VINTF0 = host VINTF%u (LVCMDQ0 = host "
		       "VCMDQ%u), set up %s\n",
		       lx_vm_host_vintf(vm), lx_vm_host_vcmdq(vm, 0),
		       lx_vm_uses_iommufd(vm) ?
			       "through iommufd (vIOMMU, vDEVICE; a HW queue "
			       "per guest BASE write)" :
			       "by the VMM's register writes");
	else
		printf("no CMD-QV (the vSMMU CMDQ traps)\n");
	ret = lx_vm_probe(vm);
	printf("guest probe: %d, CMD-QV %s, %.3f us simulated, %llu trapped "
	       "accesses\n",
	       ret, lxg_uses_cmdqv() ? "in use" : "not used",
	       (double)lx_vm_span(vm, NULL, NULL) / 1e6,
	       (unsigned long long)(lx_vm_stats(vm)->trap_reads +
				    lx_vm_stats(vm)->trap_writes));
	if (ret) {
		bad = 1;
		goto out;
	}
	for (v = 0; v < nvcpus; v++) {
		cmdqv_tlb_add(m, CMDQV_TLB_NH, vp.vmid, (uint16_t)LX_VM_ASID(v),
			      0x10000, 1);
		cmdqv_tlb_add(m, CMDQV_TLB_NH, BYSTANDER_VMID,
			      (uint16_t)LX_VM_ASID(v), 0x10000, 1);
		cmdqv_tlb_add(m, CMDQV_TLB_NH, vp.vmid,
			      (uint16_t)LX_VM_VA_ASID(v), LX_VM_VA(v), 1);
		cmdqv_tlb_add(m, CMDQV_TLB_NH, LX_VM_GUEST_VMID,
			      (uint16_t)LX_VM_VA_ASID(v), LX_VM_VA(v), 1);
		cmdqv_atc_add(m, vp.psid, LX_VM_ATC_VA(v), 1);
		cmdqv_atc_add(m, BYSTANDER_SID, LX_VM_ATC_VA(v), 1);
	}
	if (lx_vm_issue(vm, nvcpus, &r) != CMDQV_OK)
		bad = 1;
	for (v = 0; v < nvcpus; v++) {
		bool asid = cmdqv_tlb_present(m, CMDQV_TLB_NH, vp.vmid,
					      (uint16_t)LX_VM_ASID(v), 0x10000);
		bool va = cmdqv_tlb_present(m, CMDQV_TLB_NH, vp.vmid,
					    (uint16_t)LX_VM_VA_ASID(v),
					    LX_VM_VA(v));
		bool atc = cmdqv_atc_present(m, vp.psid, LX_VM_ATC_VA(v));

		printf("vCPU %u: queue %s%d; TLBI_NH_ASID 0x%x: %d, VMID %u "
		       "entry %s, VMID %u entry %s; TLBI_NH_VA (VMID field %u)"
		       ": %d, VMID %u entry %s, VMID %u entry %s; ATC_INV vSID"
		       " 0x%x: %d, SID 0x%x %s, SID 0x%x %s\n",
		       v, r.queue[v] < 0 ? "vSMMU CMDQ " : "VCMDQ", r.queue[v],
		       LX_VM_ASID(v), r.asid_ret[v], (unsigned)vp.vmid,
		       kept(asid), BYSTANDER_VMID,
		       kept(cmdqv_tlb_present(m, CMDQV_TLB_NH, BYSTANDER_VMID,
					      (uint16_t)LX_VM_ASID(v),
					      0x10000)),
		       LX_VM_GUEST_VMID, r.va_ret[v], (unsigned)vp.vmid,
		       kept(va), LX_VM_GUEST_VMID,
		       kept(cmdqv_tlb_present(m, CMDQV_TLB_NH, LX_VM_GUEST_VMID,
					      (uint16_t)LX_VM_VA_ASID(v),
					      LX_VM_VA(v))),
		       vp.vsid, r.atc_ret[v], vp.psid, kept(atc), BYSTANDER_SID,
		       kept(cmdqv_atc_present(m, BYSTANDER_SID,
					      LX_VM_ATC_VA(v))));
		if (r.asid_ret[v] || r.va_ret[v] || r.atc_ret[v] || asid ||
		    va || atc)
			bad = 1;
	}
	for (v = 0; v < nvcpus; v++)
		printf("vCPU %u: issue latency (+ SYNC): TLBI_NH_ASID %.3f us, "
		       "TLBI_NH_VA %.3f us, ATC_INV %.3f us\n",
		       v, (double)r.lat[v][0] / 1e6, (double)r.lat[v][1] / 1e6,
		       (double)r.lat[v][2] / 1e6);
	printf("host VCMDQs behind the guest's consumed %llu commands, the "
	       "VMM's vSMMU CMDQ %llu; host SMMU CMDQ_PROD 0x%llx -> 0x%llx;"
	       " the longest vCPU %.3f us\n",
	       (unsigned long long)r.host_vcmdq_cmds,
	       (unsigned long long)r.vsmmu_cmds,
	       (unsigned long long)r.host_cmdq_prod[0],
	       (unsigned long long)r.host_cmdq_prod[1],
	       (double)r.longest / 1e6);
	st = lx_vm_stats(vm);
	{
		uint64_t c0 = st->by_opcode[0x03];
		int cfgi_ret = -1;

		lx_vm_run(vm, 1, cfgi_fn, &cfgi_ret,
			  cmdqv_now(m) + SIM_MS(100));
		printf("vCPU 0: CFGI_STE vSID 0x%x: %d, the guest driver's "
		       "filter sent it to the vSMMU CMDQ (the VMM consumed %llu)"
		       "\n",
		       vp.vsid, cfgi_ret,
		       (unsigned long long)(st->by_opcode[0x03] - c0));
		if (cfgi_ret || st->by_opcode[0x03] == c0)
			bad = 1;
	}
	if (lx_vm_uses_iommufd(vm)) {
		/* a CFGI written past the filter into the guest's VCMDQ: the
		 * host driver reports the error (vEVENT), the VMM injects it,
		 * the guest's ISR recovers the queue */
		const uint64_t bad_cmd[2] = { 0x03 | (uint64_t)vp.vsid << 32,
					      1 };
		struct raw_job rj = { bad_cmd, -1 };
		uint64_t ev0 = st->vevents;

		lx_vm_run(vm, 1, raw_fn, &rj, cmdqv_now(m) + SIM_MS(100));
		printf("vCPU 0: CFGI_STE written into its VCMDQ: %d; host "
		       "vEVENTs %llu, guest interrupts injected %llu\n",
		       rj.ret, (unsigned long long)(st->vevents - ev0),
		       (unsigned long long)st->irqs_injected);
		if (rj.ret || st->vevents == ev0)
			bad = 1;
		printf("VMM: iommufd: %llu IOMMU_HW_QUEUE_ALLOC, %llu "
		       "IOMMU_DESTROY, %llu refused\n",
		       (unsigned long long)st->hw_queue_allocs,
		       (unsigned long long)st->hw_queue_frees,
		       (unsigned long long)st->hw_queue_refused);
	}
	printf("VMM: forwarded %llu commands to the host SMMU CMDQ in %llu "
	       "issues (%llu failed), dropped %llu\n",
	       (unsigned long long)st->forwarded,
	       (unsigned long long)st->forward_batches,
	       (unsigned long long)st->forward_failed,
	       (unsigned long long)st->forward_dropped);
	if (st->forward_failed)
		bad = 1;
	printf("VMM: %llu trapped reads, %llu trapped writes, %llu vSMMU "
	       "commands (%llu CFGI_ALL, %llu TLBI_NSNH_ALL, %llu CMD_SYNC), "
	       "%llu LVCMDQ BASE writes translated, %llu CMDQ_ALLOC writes "
	       "emulated, %llu ignored accesses\n",
	       (unsigned long long)st->trap_reads,
	       (unsigned long long)st->trap_writes,
	       (unsigned long long)st->cmds,
	       (unsigned long long)st->by_opcode[0x04],
	       (unsigned long long)st->by_opcode[0x30],
	       (unsigned long long)st->by_opcode[0x46],
	       (unsigned long long)st->vcmdq_base_writes,
	       (unsigned long long)st->cmdq_alloc_writes,
	       (unsigned long long)st->ignored);
	{
		const struct kapi_counters *n = lx_vm_counters(vm);

		printf("guest shim: %llu MMIO reads, %llu writes (%llu VCMDQ "
		       "PROD writes straight to the model page, %llu vSMMU "
		       "CMDQ_PROD), %llu WARN_ONs, %llu unmodelled calls\n",
		       (unsigned long long)n->mmio_reads,
		       (unsigned long long)n->mmio_writes,
		       (unsigned long long)n->vcmdq_prod_writes,
		       (unsigned long long)n->smmu_prod_writes,
		       (unsigned long long)n->warnings,
		       (unsigned long long)n->unsupported);
		if (n->warnings || n->unsupported)
			bad = 1;
	}
	if (!quiet)
		printf("guest kernel log:\n%s", lxg_log());
out:
	lx_vm_destroy(vm);
	return bad;
}
