/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * paths.h - the guest invalidation paths (direct VCMDQ, trapped vSMMU, host,
 * eventfd) as timed software actors on one simulated hardware instance, and
 * the two workload sources that drive them: the dma_map_benchmark generator
 * (wl_run, dma_map_benchmark (Linux kernel/dma/map_benchmark.c) and its
 * published results) and trace batches handed over one at a time (wl_feed, what
 * replay uses).  The path model knows no file format.
 *
 * wl_run() builds a fresh model (cmdqv_model_create with @hw), a tb_mem, and
 * brings the SMMU CMDQ, CMDQ-V, VINTFs and LVCMDQs up through register writes
 * as Linux does.  Then every vCPU (or host CPU) loops dma_map -> dma_unmap;
 * each unmap issues the commands Linux issues (TLBIs per page or by range,
 * ATC_INV when the device has ATS, CMD_SYNCs) over the chosen path, and its
 * latency and per-stage breakdown are recorded.  Every software cost is a
 * struct path_params field (path_params.def); every hardware cost comes from
 * the model.  Documented in docs/timing-model.md.
 *
 * Runs are deterministic: the same inputs give identical samples.  All
 * memory is allocated in wl_run() set-up; no allocation per unmap/command.
 */
#ifndef CMDQV_TB_PATHS_H
#define CMDQV_TB_PATHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmdqv_sim/config.h"
#include "cmdqv_sim/model.h"
#include "cmdqv_sim/sim.h"

#ifdef __cplusplus
extern "C" {
#endif

struct tb_mem;

/* ---- paths ---- */

/* X(ENUM, name): the paths, in report order. */
#define WL_PATH_MAP(X)                                                            \
	X(DIRECT, "direct") /* guest LVCMDQ on its own VINTF, no exit */          \
	X(TRAP,                                                                   \
	  "trap") /* emulated vSMMU CMDQ, VM exit, QEMU, one ioctl per command */ \
	X(HOST,                                                                   \
	  "host") /* host kernel on the SMMU CMDQ or VINTF0 LVCMDQs (cpu % n) */  \
	X(EVENTFD,                                                                \
	  "eventfd") /* ioeventfd PROD, kernel thread consumes the guest queue */

enum wl_path {
#define WL_PATH_ENUM(e, n) WL_PATH_##e,
	WL_PATH_MAP(WL_PATH_ENUM)
#undef WL_PATH_ENUM
		WL_PATH_COUNT
};

/** "direct", "trap", "host", "eventfd"; NULL if out of range. */
const char *wl_path_name(enum wl_path p);
/** Parse a path name. Returns 0, or -1 if unknown. */
int wl_path_parse(const char *name, enum wl_path *out);

/* ---- stages: where an unmap's time goes ---- */

/*
 * X(ENUM, name, description).  The stages of one unmap partition its
 * latency: for every sample, the sum of stage[] equals latency (exactly).
 */
#define WL_STAGE_MAP(X)                                                                          \
	X(EXIT, "exit",                                                                          \
	  "VM exit and entry (trap: user-space; eventfd: in-kernel)")                            \
	X(VMM, "vmm",                                                                            \
	  "VMM / kernel-thread work, waiting for the BQL (trap) or kernel thread")               \
	X(IOCTL, "ioctl",                                                                        \
	  "invalidation ioctl: syscall, validation, VMID/SID rewrite")                           \
	X(HOST_QUEUE_WAIT, "host_queue_wait",                                                    \
	  "waiting for a queue: slot reservation, the previous owner's PROD write, free space, " \
	  "or other submitters' commands ahead")                                                 \
	X(FETCH, "fetch", "published until fetched by the SMMU")                                 \
	X(EXECUTE, "execute",                                                                    \
	  "SMMU executing the commands (TLBI, ATC_INV send, SYNC)")                              \
	X(ATC, "atc", "CMD_SYNC waiting for ATS invalidation completions")                       \
	X(SYNC_WAIT, "sync_wait",                                                                \
	  "CMD_SYNC done until the CPU sees it (CONS poll back-off, MMIO reads, MSI wake)")      \
	X(GUEST_CPU, "guest_cpu",                                                                \
	  "CPU work of dma_unmap: IOVA, page table, building commands")

enum wl_stage {
#define WL_STAGE_ENUM(e, n, d) WL_STAGE_##e,
	WL_STAGE_MAP(WL_STAGE_ENUM)
#undef WL_STAGE_ENUM
		WL_STAGE_COUNT
};

/** Stage name ("exit", ...), NULL if out of range. */
const char *wl_stage_name(enum wl_stage s);
/** One-line description of the stage, NULL if out of range. */
const char *wl_stage_desc(enum wl_stage s);

/* ---- software parameters (path_params.def) ---- */

/** struct path_params - one field per path_params.def row (TIME fields in ps). */
struct path_params {
#define X(key, kind, unit, def, src, doc) CMDQV_KIND_CTYPE_##kind key;
#include "path_params.def"
#undef X
};

/** Fill @p with the calibrated defaults. */
void wl_params_defaults(struct path_params *p);
/**
 * Set @key to @value (text), same syntax as cmdqv_config_set (TIME values
 * take ps|ns|us|ms|s, a bare number is in the parameter's unit).  Returns
 * CMDQV_OK, CMDQV_EKEY (unknown key: the caller may try cmdqv_config_set) or
 * CMDQV_EVALUE, with a one-line reason in @err.
 */
int wl_params_set(struct path_params *p, const char *key, const char *value,
		  char *err, size_t errlen);
/** Cross-parameter checks. Returns CMDQV_OK or CMDQV_EVALUE with a reason. */
int wl_params_validate(const struct path_params *p, char *err, size_t errlen);
/** Number of parameters and their documentation, in path_params.def order. */
size_t wl_param_count(void);
const struct cmdqv_param_info *wl_param_info(size_t i);

/* ---- one workload point ---- */

/**
 * struct wl_point - what to run.
 * @path:           the path every VM (or the host) uses
 * @threads:        benchmark threads = vCPUs per VM (host path: host CPUs)
 * @granule_pages:  4 KiB pages per map/unmap (dma_map_benchmark -g)
 * @strict:         strict mode (iommu.strict=1); only true is supported
 * @ats:            the device has ATS: ATC_INV + CMD_SYNC after the TLBI SYNC
 * @ril:            range invalidation: range TLBIs (IHI 0070 4.4.1.1;
 * arm-smmu-v3.c: __arm_smmu_tlb_inv_range()) instead of one TLBI_NH_VA per page
 * @vms:            VMs running the benchmark at once (each its own VINTF on
 *                  direct, its own emulated queue + VMM thread on trap and
 *                  eventfd); must be 1 on the host path
 * @iterations:     unmaps per thread; with @duration != 0 the cap
 * @duration:       simulated run time in ps (0: run @iterations); a thread
 *                  starts no new unmap after it
 * @host_background: host background submissions (bg_cmds TLBIs + SYNC) per
 *                  simulated second on the SMMU CMDQ, 0 = none
 * @seed:           seed for background arrival times
 * @host_queues:    host path: 0 = SMMU CMDQ, n = VINTF0 LVCMDQs, cpu % n
 */
struct wl_point {
	enum wl_path path;
	uint32_t threads;
	uint32_t granule_pages;
	bool strict;
	bool ats;
	bool ril;
	uint32_t vms;
	uint64_t iterations;
	sim_time_t duration;
	uint64_t host_background;
	uint64_t seed;
	uint32_t host_queues;
};

/** Defaults: trap, 1 thread, 1 page, strict, ATS on, RIL off, 1 VM, 200 iterations. */
void wl_point_defaults(struct wl_point *pt);

/* ---- results ---- */

/**
 * struct wl_sample - one dma_unmap_single call.
 * @start:   simulated time the unmap started
 * @latency: start to return, ps
 * @thread:  thread (vCPU) index inside its VM
 * @vm:      VM index (0 on the host path)
 * @stage:   latency split by stage; sums to @latency
 */
struct wl_sample {
	sim_time_t start;
	sim_time_t latency;
	uint32_t thread;
	uint32_t vm;
	sim_time_t stage[WL_STAGE_COUNT];
};

/**
 * struct wl_result - everything a run measured.  Samples are in completion
 * order (deterministic).  Free with wl_result_free().
 * @samples/@count: unmaps recorded; allocated once for the known maximum
 * @t_start:        model time the workload started (end of the bring-up);
 *                  sample starts, observer spans and trace records are all
 *                  absolute model times
 * @sim_time:       simulated time from @t_start to the end of the last unmap
 * @throughput:     unmaps per simulated second, all threads and VMs
 * @mean_latency:   mean of samples[].latency, ps
 * @stage_mean:     mean of samples[].stage[s], ps
 * @exits, @ioctls: VM exits and invalidation ioctls made
 * @guest_cmds:     commands written by guest drivers (any queue)
 * @host_cmds:      commands written by host software to hardware queues
 * @issues:         arm_smmu_cmdq_issue_cmdlist calls, every Linux queue
 *                  (guest and host; arm-smmu-v3.c:
 * arm_smmu_cmdq_issue_cmdlist())
 * @prod_writes:    PROD writes made by owners (one per gathered range)
 * @gathered:       issues whose commands another CPU's PROD write published
 * @owner_waits:    owners that waited for the previous owner's PROD write
 * @cas_retries:    slot reservations whose cmpxchg failed and was retried
 * @full_waits:     reservations that found the queue full (CONS refresh or
 *                  wait for another CPU's refresh)
 * @bql_sleeps:     trap: vCPU threads that found their VM's BQL held and
 *                  slept in futex_wait (each retry after a wake counts)
 * @bql_wakes:      trap: FUTEX_WAKEs that woke a sleeping vCPU thread
 * @handover_moves: trap: accesses and ioctls whose VMM / host-kernel lines
 *                  came from another vCPU thread's CPU (vmm_handover_lines,
 *                  ioctl_handover_lines)
 * @devlock_moves:  unmaps whose CPU took the domain's devices_lock after
 *                  another CPU (its cache line moved; cacheline_transfer)
 * @devlock_spins:  of those, the ones that found it held and spun
 * @ats_queued:     ATS Invalidate Requests that found their endpoint busy
 *                  and waited (ats_inv_servers, model/src/ats.c)
 */
struct wl_result {
	struct wl_point point;
	struct wl_sample *samples;
	size_t count;
	size_t capacity;
	sim_time_t t_start;
	sim_time_t sim_time;
	double throughput;
	double mean_latency;
	double stage_mean[WL_STAGE_COUNT];
	uint64_t exits;
	uint64_t ioctls;
	uint64_t guest_cmds;
	uint64_t host_cmds;
	uint64_t issues;
	uint64_t prod_writes;
	uint64_t gathered;
	uint64_t owner_waits;
	uint64_t cas_retries;
	uint64_t full_waits;
	uint64_t bql_sleeps;
	uint64_t bql_wakes;
	uint64_t handover_moves;
	uint64_t devlock_moves;
	uint64_t devlock_spins;
	uint64_t ats_queued;
};

void wl_result_free(struct wl_result *r);

/* ---- observation ---- */

/** Where a command was written (for the observer's @command callback). */
enum wl_cmd_site {
	WL_SITE_GUEST =
		0, /* by a guest driver into its queue (LVCMDQ or emulated CMDQ) */
	WL_SITE_HOST =
		1, /* by host software (kernel ioctl, kthread, host driver) to HW */
};

/**
 * struct wl_observer - optional callbacks (any may be NULL), called with @ctx.
 * Zero-initialise it: fields added later must read as NULL.  Strings are
 * owned by wl_run and valid during the callback only.
 * @progress: unmaps done out of @total (the cap), called every few percent
 * @span:     an actor spent [start, end) in a stage; @track names the actor
 *            ("VM0/vCPU1", "VM0/VMM", "VM0/kthread", "host/CPU0",
 *            "host/background"), @name is a stage name
 * @command:  a command was written: @site, @vm (-1: host background), the
 *            16 bytes exactly as written, and the time
 * @trace:    every model trace record (queue activity), passed through
 * @memory:   once per run, after the run's memory exists and before the
 *            first register access of the bring-up: @mem is the memory the
 *            drivers write their queue entries into (valid until wl_run
 *            returns; read it, do not write it) and @hw the platform.  With
 *            @trace this is what a tb_recorder needs: it reads the entries a
 *            PROD write publishes from @mem before that write's record.
 * @access:   the register accesses whose MMIO trace records come next are
 *            made by the actor @track: called with "host" once before the
 *            bring-up, then before every register access an actor makes
 * @issue:    a CPU actor's arm_smmu_cmdq_issue_cmdlist returned: @track,
 *            when it was called (@start) and returned (@end), @n commands
 *            (+ the CMD_SYNC if @sync), and whether it wrote PROD itself
 *            (@owner; false: gathered by another CPU's PROD write)
 */
struct wl_observer {
	void *ctx;
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void (*span)(void *ctx, const char *track, const char *name,
		     sim_time_t start, sim_time_t end);
	void (*command)(void *ctx, enum wl_cmd_site site, int vm,
			const uint64_t dw[2], sim_time_t t);
	void (*trace)(void *ctx, const struct cmdqv_trace_rec *rec);
	void (*memory)(void *ctx, struct tb_mem *mem,
		       const struct cmdqv_config *hw);
	void (*access)(void *ctx, const char *track);
	void (*issue)(void *ctx, const char *track, sim_time_t start,
		      sim_time_t end, uint32_t n, bool sync, bool owner);
};

/**
 * Run @pt on a fresh model built from @hw with software costs @sw.
 * @obs may be NULL.  On success fills @out (caller frees with
 * wl_result_free) and returns CMDQV_OK.  Errors (bad point or parameters,
 * hardware that cannot host the point, e.g. too few VINTFs, a queue that
 * never completes) return a status with a one-line reason in @err and leave
 * @out empty.
 */
int wl_run(const struct cmdqv_config *hw, const struct path_params *sw,
	   const struct wl_point *pt, const struct wl_observer *obs,
	   struct wl_result *out, char *err, size_t errlen);

/* ---- workload source: trace batches ---- */

/*
 * The path model's second workload source (the first is wl_run's
 * dma_map_benchmark generator): a guest with one vCPU on @path whose
 * command batches the caller hands over one at a time, as a trace replays
 * them (docs/replay.md).  The same actors, queues and costs run them as in
 * wl_run: Linux's submission on the guest's queue (the VM's emulated CMDQ
 * on trap/eventfd; on direct its VCMDQ, with what a VCMDQ does not take
 * sent through the emulated CMDQ, or with @rest_smmu straight to the SMMU
 * CMDQ), the VMM or kernel thread behind it, the model behind all.  The
 * feed knows no file format; nothing is allocated per batch.
 */
struct wl_feed;

/**
 * struct wl_feed_ops - one batch as the caller holds it.
 * @get:  command @i (0-based, the driver's CMD_SYNCs included) of the batch
 * @done: the driver saw commands [@i0, @i1) complete at @t (the return of
 *        the arm_smmu_cmdq_issue_cmdlist that carried them)
 */
struct wl_feed_ops {
	void *ctx;
	void (*get)(void *ctx, uint32_t i, uint64_t dw[2]);
	void (*done)(void *ctx, uint32_t i0, uint32_t i1, sim_time_t t);
};

/**
 * struct wl_feed_counts - totals of a feed so far.
 * @exits, @ioctls: VM exits and invalidation ioctls
 * @injected:       CMD_SYNCs the software paths wrote that are not the
 *                  driver's (pieces closed on a queue switch, the VMM's and
 *                  kernel thread's own SYNCs)
 * @issues:         arm_smmu_cmdq_issue_cmdlist calls, every queue
 */
struct wl_feed_counts {
	uint64_t exits;
	uint64_t ioctls;
	uint64_t injected;
	uint64_t issues;
};

/**
 * Build a fresh model from @hw and bring its queues up for @path (not
 * host: a trace on the host path is the host driver itself).  @obs as for
 * wl_run (progress is not called).  Returns CMDQV_OK or a status with a
 * reason in @err.
 */
int wl_feed_open(struct wl_feed **out, const struct cmdqv_config *hw,
		 const struct path_params *sw, enum wl_path path,
		 bool rest_smmu, const struct wl_observer *obs, char *err,
		 size_t errlen);
/** The feed's model (its clock; run it to let simulated time pass). */
struct cmdqv_model *wl_feed_model(struct wl_feed *f);
/**
 * The driver writes PROD for a batch of @n commands (@ops) now; returns when
 * it is back, with the batch's time in @out (start = the PROD write).
 * CMDQV_ETIMEDOUT if it is not back within 1 s simulated (a queue stopped);
 * the feed takes no batch after that.
 */
int wl_feed_batch(struct wl_feed *f, uint32_t n, const struct wl_feed_ops *ops,
		  struct wl_sample *out);
/** Run until nothing is left to do, at most 1 s simulated. */
void wl_feed_drain(struct wl_feed *f);
void wl_feed_totals(const struct wl_feed *f, struct wl_feed_counts *out);
void wl_feed_close(struct wl_feed *f);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_TB_PATHS_H */
