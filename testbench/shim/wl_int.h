/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wl_int.h - internals of the invalidation-path workload (paths.h): the run
 * context, hardware queues as software sees them, and the actors (CPUs,
 * per-VM VMM threads, per-VM kernel threads, host background).  Private to
 * wl_run.c (set-up, bring-up, main loop, results) and wl_actor.c (the
 * actors' state machines).
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

#define WL_BATCH_MAX  64 /* CMDQ_BATCH_ENTRIES (smmuv3-cmdq.md §6.4) */
#define WL_CHUNK_MAX  63 /* arm_vsmmu_cache_invalidate chunk (perf-facts.md §5) */
#define WL_TRACK_LEN  32
#define WL_PAGE_SHIFT 12 /* 4 KiB guest pages (perf-facts.md §2) */

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
        struct wl_actor *owner;  /* submitter (NULL: background) */
        struct wl_actor *waiter; /* MSI-polling CPU waiting on this SYNC */
        uint8_t opcode;
        bool seen; /* CMD record received */
        sim_time_t fetched, exec_start, exec_end, done;
};

/**
 * struct wl_hwq - a hardware command queue as Linux drives it
 * (arm_smmu_cmdq): shadow PROD/CONS, a submission lock shared by all its
 * submitters (FIFO), the MMIO offsets of PROD/CONS, per-slot records.
 */
struct wl_hwq {
        char name[WL_TRACK_LEN];
        int32_t qid; /* CMDQV_QUEUE_SMMU or global VCMDQ index */
        enum cmdqv_space space;
        uint64_t prod_off, cons_off;
        uint64_t base;
        struct ring ring;
        uint32_t prod;         /* next free position (llq.prod) */
        uint32_t cons_shadow;  /* last CONS read (llq.cons), position bits */
        bool msipoll;          /* SYNC CS=IRQ writing 0 into itself, CPU waits on memory */
        uint8_t sync_cs;       /* CS of SYNCs written to this queue */
        uint32_t sync_waiters; /* CPUs waiting for a SYNC (Linux: shared cmdq lock holders) */
        struct wl_actor *lock_owner;
        struct wl_actor *lock_head, *lock_tail;
        struct wl_slot *slots;
};

/**
 * struct wl_gq - a VM's emulated (trapped) SMMU CMDQ in guest memory, used by
 * the trap and eventfd paths.  @prod is the last PROD value the guest wrote,
 * @cons the emulated CONS the VMM / kernel thread maintains.
 */
struct wl_gq {
        uint64_t base;
        struct ring ring;
        uint32_t prod;        /* guest's llq.prod (reservation) */
        uint32_t prod_reg;    /* emulated PROD register: last value written */
        uint32_t cons;        /* emulated CONS register */
        uint32_t cons_shadow; /* guest's llq.cons */
        struct wl_actor *lock_owner;
        struct wl_actor *lock_head, *lock_tail;
        struct wl_actor **owner; /* per slot: vCPU that wrote it */
};

enum wl_role { WL_ROLE_CPU, WL_ROLE_VMM, WL_ROLE_KTHREAD, WL_ROLE_BG };

/**
 * struct wl_sub - one arm_smmu_cmdq_issue_cmdlist on a hardware queue, run
 * as a sub-state machine of its actor.
 */
struct wl_sub {
        struct wl_hwq *q;
        const uint64_t (*cmds)[2];
        uint32_t n;
        bool sync;
        bool wait;               /* poll for the SYNC (false: background) */
        enum wl_stage cpu_stage; /* stage of the submitter's own CPU work */
        int state;
        int ret_state; /* actor state to resume after */
        sim_time_t lock_t0;
        uint32_t sync_pos;
        bool attr_valid; /* an earlier no-SYNC batch is not yet attributed */
        uint32_t attr_from;
        sim_time_t t_pub;
        uint32_t spin;
        sim_time_t delay;
};

/**
 * struct wl_actor - a CPU (vCPU or host CPU), a VM's VMM thread, a VM's
 * invalidation kernel thread, or the host background submitter.
 */
struct wl_actor {
        struct wl_ctx *ctx;
        enum wl_role role;
        int vm;
        uint32_t thread;
        char track[WL_TRACK_LEN];
        struct sim_event ev;
        int state;
        bool in_sub;
        struct wl_sub sub;
        struct wl_acc *acc; /* unmap being charged (NULL: none) */

        /* CPU: the benchmark loop */
        struct wl_acc own;
        sim_time_t start;
        uint64_t done;
        bool finished;
        struct wl_hwq *hwq;  /* direct/host: the queue this CPU uses */
        uint64_t (*tlbi)[2]; /* this thread's TLBIs, built once */
        uint32_t ntlbi;
        uint64_t atc[2];
        uint32_t issue_next; /* next TLBI index to issue */
        uint32_t issue_n;
        bool issue_sync;
        bool atc_done;
        const uint64_t (*issue_cmds)[2];
        uint32_t gsync_pos; /* trap/eventfd: guest SYNC position */
        bool space_wait;    /* trap/eventfd: reading CONS because the guest queue is full */
        uint32_t gspin;
        sim_time_t gdelay;

        /* trap: the request this vCPU has at the VMM */
        int req_kind; /* 0 PROD write, 1 CONS read */
        uint32_t req_prod;
        sim_time_t req_enq;
        uint32_t req_reply;
        struct wl_actor *req_next;
        struct wl_actor *glock_next; /* guest queue lock waiters */

        /* hardware queue lock waiters */
        struct wl_actor *lock_next;

        /* VMM / kernel thread */
        struct wl_actor *fifo_head, *fifo_tail;
        struct wl_actor *cur; /* VMM: request being served */
        uint64_t hcmd[WL_CHUNK_MAX][2];
        uint32_t chunk_end;
        sim_time_t wake_t0;
        struct wl_acc *served[WL_BATCH_MAX];
        uint32_t nserved;
};

/** struct wl_vm - one VM: ids, its emulated queue, its VMM / kernel thread. */
struct wl_vm {
        uint16_t vmid;
        uint32_t vsid, psid;
        uint32_t vintf; /* direct: its VINTF */
        struct wl_gq gq;
        struct wl_actor *server; /* VMM (trap) or kernel thread (eventfd) */
};

/** struct wl_ctx - one wl_run. */
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

        struct wl_result *res;
        sim_time_t t0;  /* workload start (end of bring-up) */
        uint64_t total; /* samples capacity */
        uint64_t cpus_done;
        uint64_t progress_step;
        uint64_t rng;
        int hw_error; /* CERROR seen (code + 1), 0 = none */
        int32_t hw_error_queue;
};

/* ---- wl_actor.c ---- */

/** Event callback of every actor. */
void wl_actor_fire(struct sim_kernel *k, struct sim_event *ev);
/** Start an actor at time 0 (CPUs map, background waits, servers idle). */
void wl_actor_start(struct wl_actor *a);
/** Model trace hook: record per-slot hardware times. */
void wl_trace_cmd(struct wl_ctx *c, const struct cmdqv_trace_rec *rec);
/** Model DMA write hook: wake MSI-polling waiters. */
void wl_msi_written(struct wl_ctx *c, uint64_t addr, uint32_t len);
/** Build the per-thread command templates of CPU @a. */
void wl_cpu_build_cmds(struct wl_actor *a);

#endif /* CMDQV_WL_INT_H */
