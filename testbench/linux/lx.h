/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lx.h - run Linux's arm-smmu-v3 + tegra241-cmdqv drivers (built from a
 * kernel tree at configure time) on the model, on simulated CPUs.
 *
 * The platform is what an ACPI Grace system presents: an IORT SMMUv3 node
 * (model GENERIC) probed as platform device "arm-smmu-v3" with its register
 * frame and a wired GERROR interrupt, and, with CMD-QV, an NVDA200C device
 * in the namespace whose _UID matches the IORT node's identifier, with one
 * memory window (the CMD-QV aperture) and one interrupt (the CMD-QV error
 * line).  There is no MSI domain: the driver uses wired interrupts, which
 * the simulated CPUs' IRQ context takes.
 *
 * The shim is "the kernel": one platform exists at a time (lx_create, then
 * lx_destroy before the next).  Programs linked with this library contain
 * GPL-2.0 driver code.
 */
#ifndef LX_H
#define LX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmdqv_sim/model.h>

#include "kapi/kapi_host.h"

#ifdef __cplusplus
extern "C" {
#endif

struct lx;
struct platform_device;

/** struct lx_params - how to build the platform. */
struct lx_params {
	unsigned ncpus; /* simulated CPUs, 1..SIMCPU_MAX_CPUS */
	bool cmdqv; /* present the NVDA200C companion (and the model's CMD-QV) */
	uint64_t seed; /* simcpu tie-break seed (0 = by CPU id) */
	const struct cmdqv_config *cfg; /* NULL = cmdqv_config_defaults() */
	const struct simcpu_params *cpu; /* NULL = simcpu_params_default() */
	bool echo; /* copy kernel messages to stderr */
};

void lx_params_default(struct lx_params *p);
/** Build model, CPUs and firmware tables; NULL with a reason in @err. */
struct lx *lx_create(const struct lx_params *p, char *err, size_t errlen);
void lx_destroy(struct lx *x);

/** Run the driver's probe on CPU 0 to completion; its return value. */
int lx_probe(struct lx *x);
/** Unbind: the driver's remove, then its managed resources (newest first). */
void lx_remove(struct lx *x);

/**
 * Start @fn(@x, @cpu, @arg) on CPUs 0..@ncpus-1 and run until all return
 * (or simulated time passes @limit ps); returns CMDQV_OK or
 * CMDQV_ETIMEDOUT.
 */
int lx_run(struct lx *x, unsigned ncpus,
	   void (*fn)(struct lx *x, unsigned cpu, void *arg), void *arg,
	   sim_time_t limit);
/** Continue running started work until @limit. */
int lx_continue(struct lx *x, sim_time_t limit);

struct platform_device *lx_pdev(struct lx *x);
struct cmdqv_model *lx_model(struct lx *x);
struct simcpu *lx_cpus(struct lx *x);
const struct kapi_counters *lx_counters(const struct lx *x);
/** Every kernel message so far, one per line. */
const char *lx_log(const struct lx *x);
/** Number of lines of the log containing @needle. */
unsigned lx_log_count(const struct lx *x, const char *needle);
/** The driver kept CMD-QV after probe (ARM_SMMU_OPT_TEGRA241_CMDQV). */
bool lx_uses_cmdqv(struct lx *x);
/** The queue the driver picks for a TLBI on @cpu: -1 = SMMU CMDQ, else the
 * global VCMDQ index (runs the driver's choice on that CPU). */
int lx_queue_for_cpu(struct lx *x, unsigned cpu);
/** The probe's result (after lx_probe). */
int lx_probe_result(const struct lx *x);
/** MMIO writes the model recorded to @off in @space since create. */
uint64_t lx_mmio_writes_at(const struct lx *x, enum cmdqv_space space,
			   uint64_t off);
/** Offsets of CMD-QV writes that unmapped an LVCMDQ (VINTF LVCMDQ_ALLOC
 * registers written 0 after having been mapped), in order. */
size_t lx_lvcmdq_unmaps(const struct lx *x, uint32_t *lidx, size_t max);

/* ---- workloads (lx_workload.c) ---- */

/** struct lx_issue_cfg - N CPUs each issuing TLBI batches + SYNC. */
struct lx_issue_cfg {
	unsigned ncpus;
	unsigned iters; /* issues per CPU */
	unsigned batch; /* TLBI_NH_ASID commands per issue (then a SYNC) */
};

/** struct lx_issue_result - what the driver did. */
struct lx_issue_result {
	uint64_t issues, failed; /* driver calls, and those returning != 0 */
	uint64_t commands; /* commands the driver issued (batch + SYNC) */
	uint64_t prod_writes; /* PROD register writes, SMMU CMDQ and VCMDQs */
	int queue[SIMCPU_MAX_CPUS]; /* the queue each CPU used (-1 SMMU CMDQ) */
	sim_time_t *lat; /* per issue, ps, CPU-major (ncpus * iters) */
	size_t nlat;
	sim_time_t t_start, t_end; /* simulated span */
	double host_seconds; /* wall-clock time of the run */
	double cpu_seconds; /* CPU time of the run (this process) */
};

/** Run the workload; @r->lat is malloc'd (lx_issue_result_free). */
int lx_issue_tlbi(struct lx *x, const struct lx_issue_cfg *c,
		  struct lx_issue_result *r);
void lx_issue_result_free(struct lx_issue_result *r);

/* ---- the host path of `compare` on the driver (lx_hostwl.c) ---- */

struct wl_point;
struct path_params;

/**
 * struct lx_host_cfg - the host-path workload of testbench/paths (wl_run):
 * @pt  threads (= CPUs 0..threads-1), granule_pages, ats, ril, iterations
 *      and seed (the per-CPU jitter); path, vms and host_queues are the
 *      platform's business (lx_params.cmdqv, the driver's queue choice)
 * @sw  the software costs charged around the driver's calls, as the
 *      built-in engine charges them (wl_actor.c)
 */
struct lx_host_cfg {
	const struct wl_point *pt;
	const struct path_params *sw;
};

/** struct lx_issue_rec - one arm_smmu_cmdq_issue_cmdlist() call. */
struct lx_issue_rec {
	sim_time_t start, latency; /* call time, call to return (ps) */
	uint32_t cpu;
	uint32_t ncmds; /* commands in the list (the SYNC not counted) */
	bool sync;
	uint32_t prod_writes; /* PROD writes this CPU made during the call */
	uint32_t cas_fails; /* its failed llq cmpxchg()es */
};

/**
 * struct lx_host_result - what the driver did.
 * @issues:      arm_smmu_cmdq_issue_cmdlist() calls; @failed returned != 0
 * @prod_writes: PROD register writes (SMMU CMDQ and VCMDQs)
 * @prod_issues: issues during which the calling CPU wrote PROD (owners)
 * @gathered:    @issues - @prod_issues: published by another CPU's write
 * @cas_fails:   failed cmpxchg()es of the llq slot reservation
 * @devlock_moves, @devlock_spins: as struct wl_result's
 * @iss:         every issue in completion order, @niss of them
 * @unmap_lat:   every unmap's latency (ps), @nunmap of them
 * @queue:       the queue each CPU used (-1 SMMU CMDQ, else the VCMDQ)
 */
struct lx_host_result {
	uint64_t issues, failed, prod_writes, prod_issues, gathered;
	uint64_t cas_fails, devlock_moves, devlock_spins;
	struct lx_issue_rec *iss;
	size_t niss, cap;
	sim_time_t *unmap_lat;
	size_t nunmap, unmap_cap;
	int queue[SIMCPU_MAX_CPUS];
	sim_time_t t_start, t_end;
	uint64_t (*cmds)[2]; /* the CPUs' TLBI lists (internal) */
};

/** Run the host path on the probed driver; free @r with
 * lx_host_result_free().  CMDQV_OK, CMDQV_EINVAL, CMDQV_ENOMEM or
 * CMDQV_ETIMEDOUT. */
int lx_host_unmaps(struct lx *x, const struct lx_host_cfg *c,
		   struct lx_host_result *r);
void lx_host_result_free(struct lx_host_result *r);

/**
 * struct lx_unmap_ops - where lx_unmaps() runs the same unmap loop: the
 * host path on host CPUs and the host driver, the guest paths on vCPUs and
 * the guest driver (guest/lx_guestwl.c).
 * @run:   run @fn(thread, scheduler CPU, @arg) for threads 0..@threads-1
 *         at once until all return: CMDQV_OK or the run's error
 * @issue: arm_smmu_cmdq_issue_cmdlist() of @n raw commands (+ SYNC) on the
 *         calling CPU's queue; the driver's result
 * @queue: the queue the driver picks for the calling CPU (-1 SMMU CMDQ)
 * @k:     the driver's shim counters (PROD writes, failed cmpxchg)
 * @model: the model (start and end times)
 * @sid:   the StreamID the ATC_INVs name (as the driver sees it)
 */
struct lx_unmap_ops {
	int (*run)(void *ctx, unsigned threads,
		   void (*fn)(unsigned t, unsigned cpu, void *arg), void *arg);
	int (*issue)(void *ctx, const uint64_t *cmds, int n, bool sync);
	int (*queue)(void *ctx);
	void *ctx;
	const struct kapi_counters *k;
	struct cmdqv_model *model;
	uint32_t sid;
};
int lx_unmaps(const struct lx_host_cfg *c, const struct lx_unmap_ops *ops,
	      struct lx_host_result *r);

/* ---- both engines side by side (lx_cmp.c) ---- */

/** Issue-latency histogram: bin b counts latencies in
 * [lx_cmp_edges_ns[b], lx_cmp_edges_ns[b + 1]); the last bin is open. */
#define LX_CMP_NBINS 15
extern const unsigned lx_cmp_edges_ns[LX_CMP_NBINS];

/**
 * struct lx_cmp_side - one engine's numbers at one point.
 * @issues:      arm_smmu_cmdq_issue_cmdlist() calls (the driver's, or the
 *               built-in engine's submissions)
 * @prod_writes: PROD register writes
 * @prod_issues: issues whose CPU wrote PROD itself (the owners)
 * @gathered:    issues published by another CPU's PROD write
 * @cas_fails:   failed cmpxchg()es of the llq slot reservation
 * @full_waits, @owner_waits: built-in only (struct wl_result)
 * @failed:      Linux only: calls returning != 0, plus 1 if the shim saw a
 *               WARN_ON or an unmodelled call
 * @commands:    commands the issues carried, CMD_SYNCs included
 * @nlat, @nunmap: issues and unmaps timed
 * @queue_of_cpu: Linux only: the queue the driver picked per CPU (-1 SMMU
 *               CMDQ, else the VCMDQ)
 */
struct lx_cmp_side {
	uint64_t issues, prod_writes, prod_issues, gathered, cas_fails;
	uint64_t full_waits, owner_waits;
	uint64_t exits, ioctls, bql_sleeps, bql_wakes; /* trap path: trapped
							 * accesses, host
							 * ioctls, the BQL */
	uint64_t failed;
	uint64_t commands;
	size_t nlat, nunmap;
	double iss_mean, iss_p50, iss_p99, iss_max; /* ns */
	double unmap_mean, unmap_p50, unmap_p99; /* ns */
	double throughput; /* unmaps per simulated second */
	uint64_t hist[LX_CMP_NBINS];
	int queue_of_cpu[SIMCPU_MAX_CPUS];
	char queue[48];
};

/**
 * What the point needs of the hardware both engines share: Linux's queue
 * size is IDR1.CMDQS (capped at the built-in engine's queue_log2size), RIL
 * is the point's; CMD-QV is present on the direct path, and on the host
 * path iff @pt->host_queues (which must then be VINTF0's LVCMDQ count, all
 * of which Linux uses).  Paths: host, trap, direct.  CMDQV_OK or
 * CMDQV_EINVAL with a reason.
 */
int lx_cmp_hw(struct cmdqv_config *hw, const struct path_params *sw,
	      const struct wl_point *pt, char *err, size_t errlen);
/**
 * Run the host path @pt (threads = CPUs) on a fresh platform through
 * Linux's driver (@lxs), then through the built-in engine (@bis), on @hw
 * (after lx_cmp_hw) with the software costs @sw; the simulated CPUs'
 * atomic, cpu_relax, WFE-wake and event-stream costs are taken from @sw
 * (cmdq_llq_cas, cpu_relax, msi_wake, wfe_evtstrm).  Uses the one
 * platform the shim allows.  CMDQV_OK or an error with a reason.
 */
int lx_cmp_point(const struct cmdqv_config *hw, const struct path_params *sw,
		 const struct wl_point *pt, struct lx_cmp_side *lxs,
		 struct lx_cmp_side *bis, char *err, size_t errlen);

/** A probed host platform of @ncpus CPUs for a comparison, the CPUs'
 * costs from @sw as lx_cmp_point() takes them; NULL with a reason. */
struct lx *lx_cmp_platform(const struct cmdqv_config *hw,
			   const struct path_params *sw, unsigned ncpus,
			   bool cmdqv, char *err, size_t errlen);
/** The driver's side of a point from what lx_unmaps() measured (adds to
 * @s->failed); CMDQV_OK or CMDQV_ENOMEM. */
int lx_cmp_reduce(const struct lx_host_result *r, const struct wl_point *pt,
		  struct lx_cmp_side *s);
/** The built-in engine's side of @pt (any path, one VM). */
int lx_cmp_builtin(const struct cmdqv_config *hw, const struct path_params *sw,
		   const struct wl_point *pt, struct lx_cmp_side *s, char *err,
		   size_t errlen);

struct lxc_vm;
/**
 * 7.x: set up a guest as a VMM would (lxc_vmm_attach() on CPU 0: VINTF
 * with @vmid, one LVCMDQ of 2^8 entries, vdevice @vsid -> @psid).
 * Returns the driver's result (-ENOSYS on 6.x).
 */
int lx_vmm_attach(struct lx *x, uint16_t vmid, uint32_t psid, uint32_t vsid,
		  struct lxc_vm *vm);
/**
 * The guest side, through its VINTF page only (as a guest kernel would on
 * its mapped page): write @n 2-word commands into its LVCMDQ, enable the
 * queue (first call), publish them with PROD and wait for CONS.  Returns 0,
 * or -ETIMEDOUT if CONS did not reach PROD within 1 ms.
 */
int lx_vm_guest_submit(struct lx *x, struct lxc_vm *vm, const uint64_t *cmds,
		       unsigned n);

#ifdef __cplusplus
}
#endif
#endif
