/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wl_int.h - internals of the invalidation-path workload (paths.h): the run
 * context, hardware queues as software sees them, and the actors (CPUs,
 * per-VM VMM threads, per-VM kernel threads, host background).  Private to
 * the files of testbench/paths, layered as listed below ("The layers").
 *
 * Every actor is an event-driven state machine with one sim_event registered
 * on the model's kernel at set-up.  Time spent by or on behalf of an unmap is
 * charged to that unmap's accumulator (struct wl_acc) stage by stage; charges
 * are clipped so that no instant is counted twice, so the stages of a sample
 * partition its latency.
 */
#ifndef CMDQV_WL_INT_H
#define CMDQV_WL_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/model.h"
#include "cmdqv_sim/ring.h"
#include "paths.h"
#include "tb_mem.h"

/* CMDQ_BATCH_ENTRIES (arm-smmu-v3.c: arm_smmu_cmdq_issue_cmdlist()) */
#define WL_BATCH_MAX 64
#define WL_CHUNK_MAX \
	63 /* arm_vsmmu_cache_invalidate chunk (arm-smmu-v3-iommufd.c) */
#define WL_TRACK_LEN 32
/* 4 KiB guest pages (NVIDIA HW QUEUE series cover letter, Msg-ID
 * cover.1750966133.git.nicolinc@nvidia.com) */
#define WL_PAGE_SHIFT 12

struct wl_ctx;
struct wl_actor;

/**
 * struct wl_acc - stage accumulator of one in-flight unmap.
 * @until: every instant before this has been charged
 * @stage: ps charged per stage
 */
struct wl_acc {
	sim_time_t until;
	sim_time_t stage[WL_STAGE_COUNT];
};

/**
 * struct wl_slot - what software knows about one queue entry: who wrote it
 * and, from the model's CMD trace record, when the hardware handled it.
 */
struct wl_slot {
	struct wl_actor *owner; /* submitter (NULL: background) */
	struct wl_actor *waiter; /* MSI-polling CPU waiting on this SYNC */
	uint8_t opcode;
	bool seen; /* CMD record received */
	sim_time_t published, fetched, exec_start, exec_end, done;
};

/**
 * struct wl_llq - Linux's software state of one command queue (struct
 * arm_smmu_cmdq, arm-smmu-v3.c: arm_smmu_cmdq_issue_cmdlist()), shared by every
 * CPU that submits to it: the 64-bit {prod, cons} word CPUs reserve slots in by
 * cmpxchg (with CMDQ_PROD_OWNED_FLAG), owner_prod for the owner hand-off, the
 * valid bitmap, and the shared/exclusive cmdq lock.  Used for hardware queues
 * (host SMMU CMDQ, LVCMDQs) and for a guest's emulated CMDQ alike.
 * @prod:     llq.prod: end of the reserved slots (position bits)
 * @owned:    CMDQ_PROD_OWNED_FLAG: an owner is gathering; a CPU reserving
 *            while it is clear becomes the next owner
 * @cons:     llq.cons: last CONS a CPU stored (position bits)
 * @ver:      bumped by every change of the {prod, cons} word, so that a
 *            cmpxchg against an older snapshot fails
 * @owner_prod: cmdq->owner_prod: where the last owner's PROD write ended
 * @shared:   holders of the lock in shared mode (CPUs waiting for a SYNC)
 * @excl:     the lock is held exclusively (a CPU refreshing CONS)
 * @valid:    per slot index: position + 1 once marked valid for that lap
 * @handoff:  owners waiting for @owner_prod to reach their first slot
 * @valid_waiter: the owner waiting for gathered slots to become valid
 */
struct wl_llq {
	struct ring ring;
	uint32_t prod;
	bool owned;
	uint32_t cons;
	uint64_t ver;
	uint32_t owner_prod;
	uint32_t shared;
	bool excl;
	uint32_t *valid;
	struct wl_actor *handoff;
	struct wl_actor *valid_waiter;
};

/**
 * struct wl_hwq - a hardware command queue (SMMU CMDQ or an LVCMDQ) as Linux
 * drives it: its struct wl_llq, the MMIO offsets of PROD/CONS, the SYNC
 * completion method, per-slot records.
 */
struct wl_hwq {
	char name[WL_TRACK_LEN];
	int32_t qid; /* CMDQV_QUEUE_SMMU or global VCMDQ index */
	enum cmdqv_space space;
	uint64_t prod_off, cons_off;
	uint64_t base;
	struct wl_llq l;
	bool msipoll; /* SYNC CS=IRQ writing 0 into itself, CPU waits on memory */
	uint8_t sync_cs; /* CS of SYNCs written to this queue */
	struct wl_slot *slots;
};

/**
 * struct wl_gq - a VM's emulated (trapped) SMMU CMDQ in guest memory, used by
 * the trap and eventfd paths.  @l is the guest driver's arm_smmu_cmdq state;
 * @prod_reg the last PROD value written to the emulated register, @cons the
 * emulated CONS the VMM / kernel thread maintains.
 */
struct wl_gq {
	uint64_t base;
	struct wl_llq l;
	uint32_t prod_reg;
	uint32_t cons;
	struct wl_actor **owner; /* per slot: vCPU that wrote it */
};

enum wl_role { WL_ROLE_CPU, WL_ROLE_VMM, WL_ROLE_KTHREAD, WL_ROLE_BG };

/**
 * struct wl_sub - one arm_smmu_cmdq_issue_cmdlist on a queue (hardware
 * queue @q, or the guest's emulated queue @g), run as a sub-state machine
 * of its actor.  @l is the queue's struct wl_llq.
 */
struct wl_sub {
	struct wl_hwq *q;
	struct wl_gq *g;
	struct wl_llq *l;
	const uint64_t (*cmds)[2];
	uint32_t n;
	bool sync;
	bool wait; /* poll for the SYNC (false: background) */
	enum wl_stage cpu_stage; /* stage of the submitter's own CPU work */
	int state;
	int ret_state; /* actor state to resume after */
	int exit_ret; /* sub state after a guest MMIO exit */
	int exit_kind; /* REQ_PROD or REQ_READ */
	sim_time_t wait_t0;
	uint64_t snap_ver; /* llq snapshot of the cmpxchg attempt */
	uint32_t start, end; /* our reserved slots [start, end) */
	bool owner;
	bool locked; /* holds the cmdq lock in shared mode */
	uint32_t gathered; /* owner: end of the gathered range */
	uint32_t lcons; /* this CPU's llq.cons while polling */
	uint32_t sync_pos;
	bool attr_valid; /* an earlier no-SYNC batch is not yet attributed */
	uint32_t attr_from;
	sim_time_t t_pub;
	sim_time_t t_begin; /* wl_sub_begin (the observer's issue start) */
	bool wfe; /* asleep in WFE: a model SEV or the event stream wakes it */
	uint32_t spin;
	sim_time_t delay;
};

/**
 * struct wl_actor_ops - how the layers below the actors (wl_cmdq.c) hand
 * control back: they know an actor's data but not its state machines.
 * @step:   continue @a in its current state (a submission returned)
 * @notify: @a is a VM's VMM / kernel thread and there is work for it
 */
struct wl_actor_ops {
	void (*step)(struct wl_actor *a);
	void (*notify)(struct wl_actor *a);
};

/* Append actor @a to the FIFO @head .. @tail linked through its field @next
 * (the BQL's sleepers, a VMM's trapped requests). */
#define WL_FIFO_PUSH(head, tail, a, next)   \
	do {                                \
		(a)->next = NULL;           \
		if (tail)                   \
			(tail)->next = (a); \
		else                        \
			(head) = (a);       \
		(tail) = (a);               \
	} while (0)

/**
 * struct wl_actor - a CPU (vCPU or host CPU), a VM's VMM thread, a VM's
 * invalidation kernel thread, or the host background submitter.
 */
struct wl_actor {
	struct wl_ctx *ctx;
	const struct wl_actor_ops *ops;
	enum wl_role role;
	int vm;
	uint32_t thread;
	char track[WL_TRACK_LEN];
	struct sim_event ev;
	int state;
	bool in_sub;
	struct wl_sub sub;
	/* the CPU's event register (a SEV while not in WFE) and when it was
	 * last cleared (an event-stream tick since then also sets it) */
	bool event_reg;
	sim_time_t evt_cleared;
	struct wl_acc *acc; /* unmap being charged (NULL: none) */

	/* CPU: the benchmark loop */
	struct wl_acc own;
	sim_time_t start;
	uint64_t done;
	bool finished;
	struct wl_hwq *hwq; /* direct/host: the queue this CPU uses */
	uint64_t (*tlbi)[2]; /* this thread's TLBIs, built once */
	uint32_t ntlbi;
	uint64_t atc[2];
	uint32_t issue_next; /* next TLBI index to issue */
	uint32_t issue_n;
	bool issue_sync;
	bool atc_done;
	const uint64_t (*issue_cmds)[2];
	struct wl_hwq *issue_hwq; /* the queue of the next issue (or issue_gq) */
	struct wl_gq *issue_gq;

	/* trap: the request this vCPU has at the VMM */
	int req_kind; /* 0 PROD write, 1 CONS read */
	uint32_t req_prod;
	sim_time_t req_enq;
	uint32_t req_reply;
	struct wl_actor *req_next;

	/* next owner waiting in the same queue's hand-off list */
	struct wl_actor *handoff_next;

	/* trap: this vCPU thread asleep on its VM's BQL (wl_bql.c) */
	struct wl_actor *bql_next;
	bool bql_woken;

	/* VMM / kernel thread */
	struct wl_actor *fifo_head, *fifo_tail;
	struct wl_actor *cur; /* VMM: request being served */
	uint64_t hcmd[WL_CHUNK_MAX][2];
	uint32_t chunk_end;
	sim_time_t wake_t0;
	struct wl_acc *served[WL_BATCH_MAX];
	uint32_t nserved;
};

/**
 * struct wl_bql - a VM's big QEMU lock as glibc's low-level lock (wl_bql.c):
 * @state 0 free, 1 locked, 2 locked and maybe contended; @holder the vCPU
 * thread holding it; @head/@tail the threads asleep in futex_wait, in order.
 */
struct wl_bql {
	uint8_t state;
	struct wl_actor *holder;
	struct wl_actor *head, *tail;
};

/** struct wl_vm - one VM: ids, its emulated queue, its VMM / kernel thread. */
struct wl_vm {
	uint16_t vmid;
	uint32_t vsid, psid;
	uint32_t vintf; /* direct: its VINTF */
	bool any_sid; /* trace batches: every SID is the device's, kept as is */
	struct wl_gq gq;
	struct wl_actor *server; /* VMM (trap) or kernel thread (eventfd) */
	struct wl_bql bql; /* trap: shared by the VM's vCPU threads */
	/* trap: vCPU thread of the last dispatched access / ioctl (whose CPU
	 * holds the VMM's and the host kernel's lines), NULL: nobody yet */
	const struct wl_actor *vmm_last, *ioctl_last;
	/* the guest's arm_smmu_domain devices_lock (spinlock) of the VM's one
	 * device domain: CPU that took it last (NULL: nobody yet), free from */
	const struct wl_actor *devlock_last;
	sim_time_t devlock_free;
};

/**
 * struct wl_feed - the trace-batch workload source (paths.h): one guest CPU
 * whose batches the caller hands over one at a time.  The CPU actor takes
 * the batch piece by piece (wl_actor.c) and fills @sample when it is done.
 * @ops:        the caller's batch (commands, completion)
 * @n:          commands in the batch; @next the next to issue; @from the
 *              first not yet reported done
 * @syncs:      the driver's CMD_SYNCs taken so far (the rest are added)
 * @last_q/@last_g: where the last piece went (a lone SYNC goes there too)
 * @idle:       the CPU is back from the batch; @sample its time
 */
struct wl_feed {
	struct wl_ctx *c;
	struct wl_result res;
	bool rest_smmu;
	struct wl_feed_ops ops;
	uint32_t n, next, from;
	uint64_t syncs;
	struct wl_hwq *last_q;
	struct wl_gq *last_g;
	bool idle;
	bool stuck;
	struct wl_sample sample;
	uint32_t nsids;
	uint32_t sids[64];
	uint64_t buf[WL_BATCH_MAX][2];
};

/** struct wl_ctx - one wl_run, or one wl_feed. */
struct wl_ctx {
	const struct cmdqv_config *hw;
	const struct path_params *sw;
	struct wl_point pt;
	const struct wl_observer *obs;
	struct cmdqv_model *m;
	struct sim_kernel *k;
	struct tb_mem mem;
	bool mem_ready;

	struct wl_hwq *hwqs; /* [0] host SMMU CMDQ, then VCMDQs in use */
	uint32_t nhwq;
	struct wl_hwq **by_vcmdq; /* global VCMDQ index -> hwq (NULL if unused) */
	struct wl_vm *vms;
	struct wl_actor *actors;
	uint32_t nactors;
	uint32_t ncpus;
	uint64_t (*tlbi_store)[2];
	uint32_t *valid_store; /* valid maps: one per hardware queue, then one per VM */

	struct wl_result *res;
	sim_time_t t0; /* workload start (end of bring-up) */
	uint64_t total; /* samples capacity */
	uint64_t cpus_done;
	uint64_t progress_step;
	uint64_t rng;
	struct wl_feed *feed; /* trace batches (NULL: the generator) */
	uint64_t syncs_written; /* CMD_SYNCs the submission wrote */
	int hw_error; /* CERROR seen (code + 1), 0 = none */
	int32_t hw_error_queue;
};

enum { REQ_PROD = 0, REQ_READ = 1 }; /* a guest's access to its emulated CMDQ */

/*
 * The layers, each calling only the ones above it in this list:
 *   wl_core.c   clock, charging, observer hooks, jitter
 *   wl_bql.c    a VM's BQL as glibc's futex mutex (trap; wakes sleepers
 *               through the model's kernel)
 *   wl_cmdq.c   Linux's queue submission (uses wl_core.c, wl_bql.c; returns to its
 *               actor through struct wl_actor_ops)
 *   wl_actor.c  the actors (use wl_cmdq.c and wl_core.c)
 *   wl_run.c    set-up, bring-up, event loop, results (uses all)
 *   wl_feed.c   trace batches handed over one at a time (uses wl_run.c's
 *               set-up and the actors; beside wl_run.c, not below it)
 */

/* ---- wl_core.c ---- */

/** The model's current time as seen by @a. */
sim_time_t wl_now(const struct wl_actor *a);
/** Wake @a after @dt. */
void wl_sleep(struct wl_actor *a, sim_time_t dt);
/** Charge [t0, t1) as @s to @acc; a gap before @t0 is SYNC wait. */
void wl_acc_charge(struct wl_acc *acc, enum wl_stage s, sim_time_t t0,
		   sim_time_t t1);
/** Charge [t0, t1) as stage @s to whatever @a works for; observer span. */
void wl_charge(struct wl_actor *a, enum wl_stage s, sim_time_t t0,
	       sim_time_t t1);
/** Count a command written by @a at @site and report it to the observer. */
void wl_emit_cmd(struct wl_actor *a, enum wl_cmd_site site,
		 const uint64_t dw[2]);
/** @a makes the register access that follows (observer's @access, if any). */
void wl_access(struct wl_actor *a);
/** splitmix64 step of the generator state @s. */
uint64_t wl_rng_next(uint64_t *s);
/** @t +- cpu_jitter percent from the run's seeded generator. */
sim_time_t wl_jitter(struct wl_ctx *c, sim_time_t t);

/* ---- wl_actor.c ---- */

/** The actors' callbacks for the layers below (wl_cmdq.c). */
extern const struct wl_actor_ops wl_actor_ops;
/** Event callback of every actor. */
void wl_actor_fire(struct sim_kernel *k, struct sim_event *ev);
/** Start an actor at time 0 (CPUs map, background waits, servers idle). */
void wl_actor_start(struct wl_actor *a);
/** Run @a's current state (its sub machine first, if it is in one). */
void wl_actor_step(struct wl_actor *a);
/** Trace batches: idle CPU @a starts the batch its feed holds, now. */
void wl_cpu_feed_start(struct wl_actor *a);
/** Build the per-thread command templates of CPU @a. */
void wl_cpu_build_cmds(struct wl_actor *a);

/* ---- wl_run.c (set-up shared by wl_run and wl_feed_open) ---- */

/** Check @pt against @hw and @sw. */
int wl_check(const struct cmdqv_config *hw, const struct path_params *sw,
	     const struct wl_point *pt, char *err, size_t errlen);
/** Allocate, build the model, bring the queues up, create the actors. */
/** The inputs of a run into @c: @total samples to @res, progress every
 *  fiftieth (wl_run and wl_feed). */
void wl_ctx_inputs(struct wl_ctx *c, const struct cmdqv_config *hw,
		   const struct path_params *sw, const struct wl_point *pt,
		   const struct wl_observer *obs, struct wl_result *res,
		   uint64_t total);
int wl_setup(struct wl_ctx *c, char *err, size_t errlen);
/** VINTF @v: SID pair @slot maps @vsid to @psid (the VMM's vDEVICE). */
int wl_map_sid(struct wl_ctx *c, uint32_t v, uint32_t slot, uint32_t vsid,
	       uint32_t psid);
/** Undo wl_setup (safe on a partial one). */
void wl_teardown(struct wl_ctx *c);

/* ---- wl_bql.c: the VM's BQL, shared by its vCPU threads (trap) ---- */

/**
 * vCPU thread @a (back in QEMU after a trapped access) takes its VM's BQL.
 * Returns true if it holds it; false if it sleeps in futex_wait: its event
 * fires when a FUTEX_WAKE has woken it, and it must call this again.
 */
bool wl_bql_lock(struct wl_actor *a);
/**
 * The holder @a drops the BQL, waking one sleeper if the lock word says it
 * was contended.  Returns the FUTEX_WAKE system call time @a pays before
 * re-entering the guest (0 when uncontended).
 */
sim_time_t wl_bql_unlock(struct wl_actor *a);

/* ---- wl_cmdq.c: arm_smmu_cmdq_issue_cmdlist (arm-smmu-v3.c) ---- */

/** Empty Linux queue state over a ring of 2^@log2size; @valid has one word per slot. */
void wl_llq_init(struct wl_llq *l, uint8_t log2size, uint32_t *valid);
/**
 * Issue @n commands (+ a CMD_SYNC if @sync) on hardware queue @q, or on the
 * emulated guest queue @g when @q is NULL; wait for the SYNC if @wait.  CPU
 * work is charged as @stage; @a resumes in its state @ret_state after.
 */
void wl_sub_begin(struct wl_actor *a, struct wl_hwq *q, struct wl_gq *g,
		  const uint64_t (*cmds)[2], uint32_t n, bool sync, bool wait,
		  enum wl_stage stage, int ret_state);
/** Run the sub machine of @a one step (from wl_actor_step). */
void wl_sub_step(struct wl_actor *a);
/** The VMM finished @r's trapped access: re-enter the guest. */
void wl_sub_trap_reply(struct wl_actor *r);
/** Model trace hook: record per-slot hardware times. */
void wl_trace_cmd(struct wl_ctx *c, const struct cmdqv_trace_rec *rec);
/** Model DMA write hook: wake MSI-polling waiters. */
void wl_msi_written(struct wl_ctx *c, uint64_t addr, uint32_t len);
/* The model sent a wake-up event (SEV): WFE sleepers wake, every other
 * CPU's event register is set (wl_cmdq.c). */
void wl_sev(struct wl_ctx *c);

#endif /* CMDQV_WL_INT_H */
