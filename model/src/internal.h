/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * internal.h - contracts between the blocks of the core.  Private: only
 * model/src and the project's own tests include it.
 *
 * Ownership (one author per block, one file per block):
 *   model.c   the public API (model.h): create/destroy, MMIO routing, caches
 *   model_svc.c  services every block calls (model_svc.h): time, trace,
 *             IRQ lines, DMA, SEV, ATS dispatch, stats, block lookup
 *   regs.c    generic register-table dispatcher (reg_access)
 *   smmu.c    SMMU register frame (page 0/1), IDRs, CR0/ACK, GERROR
 *   cmdq.c    queue engine: fetch, arbiter, execute, SYNC, ATS tracking, errors
 *   cache.c   TLB and config cache with every invalidation scope
 *   ats.c     built-in ATS endpoints (one ATC per StreamID)
 *   tegra241.c   CMDQ-V block: config page, VINTFs, VCMDQ pages, guest filter
 */
#ifndef CMDQV_INTERNAL_H
#define CMDQV_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/config.h"
#include "cmdqv_sim/model_types.h"
#include "cmdqv_sim/regmap.h"
#include "cmdqv_sim/ring.h"
#include "cmdqv_sim/sim.h"
#include "cmdqv_sim/status.h"
#include "model_svc.h"

/*
 * State walk (cmdqv_model_state_save/restore): every block names each piece
 * of memory it allocated at create, @n bytes at @p, always in the same order.
 * The model's whole state is in these blocks (nothing is allocated after
 * create), so copying them out and back restores the model in place.
 */
typedef void (*model_mem_fn)(void *ctx, void *p, size_t n);
/* The copy loops are no model behaviour: no coverage feedback (fuzz builds)
 * for them, so a restore costs a copy, not a traced loop. */
#if defined(__clang__) && __clang_major__ >= 13
#define MODEL_NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define MODEL_NO_COVERAGE
#endif

/* ------------------------------------------------------------------ */
/* regs.c: register behaviour as table rows, one generic dispatcher    */
/* ------------------------------------------------------------------ */

/**
 * struct reg_desc - one register of a block (offset of instance 0).
 * @wmask: bits software may write (others: RO or RES0, writes ignored)
 * @w1c:   write-1-to-clear bits (subset of @wmask)
 * @read:  current value (no side effects); NULL reads as zero
 * @write: apply the merged value ((old & ~wmask) | (val & wmask), w1c applied);
 *         NULL makes the register read-only
 */
struct reg_desc {
	const char *name;
	uint32_t offset;
	uint8_t size; /* 4 or 8 */
	uint64_t reset;
	uint64_t wmask;
	uint64_t w1c;
	uint64_t (*read)(void *obj, unsigned idx, const struct reg_desc *r);
	void (*write)(void *obj, unsigned idx, const struct reg_desc *r,
		      uint64_t val);
};

/**
 * Perform a @size (4 or 8) byte access at @off on the table @tab (sorted by
 * offset) for instance @idx of @obj.  A 4-byte access to half of an 8-byte
 * register reads or merges that half; an 8-byte access spanning two 4-byte
 * registers is split into two.  Offsets that hold no register are RAZ/WI.
 * Returns CMDQV_OK or CMDQV_ESIZE (size not 4/8 or not naturally aligned).
 */
int reg_access(const struct reg_desc *tab, size_t n, void *obj, unsigned idx,
	       uint32_t off, unsigned size, bool is_write, uint64_t *val);

/* ------------------------------------------------------------------ */
/* cmdq.c: one queue engine for the SMMU CMDQ and every VCMDQ          */
/* ------------------------------------------------------------------ */

struct cmdq_queue;
struct cmdq_ent;
struct cmdq_mark;

/**
 * struct cmdq_owner_ops - what differs between the SMMU CMDQ and a VCMDQ.
 * @error:  the engine halted @q with CERROR @code (CONS already points at the
 *          failing entry and q->err == code); the owner toggles its GERROR
 *          bit, updates error maps and interrupts.
 * @filter: called for each command before it executes; may rewrite @c
 *          (VMID forcing, SID replacement); returns 0 to execute it or a
 *          CERROR code to halt the queue on it.  NULL accepts everything.
 * @can_run: extra enable condition beyond q->enabled (e.g. VCMDQ mapped,
 *          VINTF and CMDQ-V enabled); NULL means always.  The owner calls
 *          cmdq_kick() when the condition may have become true.
 */
struct cmdq_owner_ops {
	void (*error)(struct cmdq_queue *q, uint8_t code);
	uint8_t (*filter)(struct cmdq_queue *q, struct cmd *c);
	bool (*can_run)(const struct cmdq_queue *q);
};

/**
 * struct cmdq_queue - one command queue.  The first block of fields is
 * architectural state that the owner's register code reads and writes
 * (through the cmdq_set_* calls where the engine must react); the engine's
 * private state follows and is only touched by cmdq.c.
 */
struct cmdq_queue {
	struct cmdqv_model *m;
	int32_t id; /* CMDQV_QUEUE_SMMU or global VCMDQ index */
	char name[32];
	const struct cmdq_owner_ops *ops;
	void *owner;

	/* architectural state */
	uint64_t base; /* queue base byte address (aligned) */
	struct ring ring; /* geometry from LOG2SIZE */
	uint32_t prod; /* position bits as last written */
	uint32_t cons; /* position bits of the next entry to consume */
	uint8_t err; /* CONS.ERR */
	bool enabled; /* effective enable (after the ack latency) */
	bool halted; /* a command error is active */
	/* VCMDQ: CS IRQ/SEV act as NONE (docs/cmdqv-reference.md section 6) */
	bool sync_cs_none_only;

	/* engine private state: only cmdq.c touches it (cmdq.c's author owns
         * this section of the struct) */
	struct cmdq_engine *eng;
	uint32_t slot; /* index in the engine's queue table */
	struct cmdq_ent *rb; /* read-ahead buffer, rb_cap entries (create time) */
	uint32_t rb_cap;
	uint64_t head_seq; /* entry sequence number of CONS */
	uint64_t fetch_seq; /* sequence number of the next entry to fetch */
	uint32_t fetch_pos; /* queue position of fetch_seq */
	uint32_t fetch_gen; /* bumped to drop bursts still in flight */
	uint32_t bursts; /* this queue's bursts in flight */
	bool fetch_stop; /* a fetch aborted: fetch nothing past it */
	bool exec_busy; /* head entry on the processor or SYNC waiting */
	bool sync_wait; /* head is a CMD_SYNC waiting for ATC_INVs */
	bool itag_wait; /* head is an ATC_INV waiting for a free ITag */
	bool atc_timed_out; /* an ATC_INV timed out since the last SYNC */
	uint32_t ats_pending; /* ATC_INVs of this queue in flight */
	uint32_t msi_pending; /* CMD_SYNC MSIs of this queue not yet written */
	uint32_t marks_head, marks_count; /* publish marks (PROD write times) */
	struct cmdq_mark *marks;
	struct sim_event sync_ev; /* CMD_SYNC completion once its wait is over */
};

/** Create-time init; registers the queue with the engine and its events. */
int cmdq_queue_init(struct cmdqv_model *m, struct cmdq_queue *q, int32_t id,
		    const char *name, const struct cmdq_owner_ops *ops,
		    void *owner);
void cmdq_queue_deinit(struct cmdq_queue *q);
/**
 * Back to the state cmdq_queue_init() left (no allocation; pending events
 * must already be cancelled by sim_kernel_reset()).  The owner then resets
 * its own registers.
 */
void cmdq_queue_reset(struct cmdq_queue *q);
/** BASE register changed (owner has checked it is writable). */
void cmdq_set_base(struct cmdq_queue *q, uint64_t addr, unsigned log2size);
/** CONS written by software while disabled. */
void cmdq_set_cons(struct cmdq_queue *q, uint32_t cons);
/** PROD written; starts processing when enabled, runnable and not halted. */
void cmdq_set_prod(struct cmdq_queue *q, uint32_t prod);
/** Effective enable changed (called when the enable is acknowledged). */
void cmdq_set_enabled(struct cmdq_queue *q, bool enabled);
/** Error acknowledged (GERRORN == GERROR): resume from CONS, re-fetching. */
void cmdq_resume(struct cmdq_queue *q);
/** Re-evaluate whether @q can make progress (owner's can_run may have changed). */
void cmdq_kick(struct cmdq_queue *q);
/**
 * True when no command of @q is on the command processor: after
 * cmdq_set_enabled(q, false) the owner may acknowledge the disable once this
 * holds (CONS is then stable, IHI 0070 6.3.9, 6.3.10).
 */
bool cmdq_quiescent(const struct cmdq_queue *q);
/** CONS register value: position | err << 24. */
uint32_t cmdq_cons_reg(const struct cmdq_queue *q);

struct cmdq_engine;
int cmdq_engine_create(struct cmdqv_model *m, unsigned max_queues,
		       struct cmdq_engine **out);
void cmdq_engine_destroy(struct cmdq_engine *e);
/** Power-on state (as created) for the engine and every queue it runs. */
void cmdq_engine_reset(struct cmdq_engine *e);
/** The engine's memory and each registered queue's buffers (not the queue
 * structs: their owners hold them). */
void cmdq_engine_state_walk(struct cmdq_engine *e, model_mem_fn fn, void *ctx);

/**
 * struct cmdq_engine_ops - what the engine needs from the SMMU it is part of:
 * SMMU-wide state that is the same for every queue it runs (the per-queue
 * hooks are struct cmdq_owner_ops).  Filled by the SMMU at create
 * (smmu.c), so the engine never calls up into a register block.
 * @smmu_enabled: SMMUEN is effective (ATC_INV is IGNORED otherwise, IHI 0070
 *                4.5.3 / 6.3.9)
 * @msi_abort:    a CMD_SYNC completion MSI write aborted (the SMMU raises
 *                GERROR.MSI_CMDQ_ABT_ERR)
 */
struct cmdq_engine_ops {
	bool (*smmu_enabled)(void *ctx);
	void (*msi_abort)(void *ctx);
};
/** Install the engine's ops (@ops and @ctx are borrowed); before any run. */
void cmdq_engine_set_ops(struct cmdq_engine *e,
			 const struct cmdq_engine_ops *ops, void *ctx);

/* ------------------------------------------------------------------ */
/* cache.c: TLB and config cache (IHI 0070 4.3, 4.4, 4.4.1.1)     */
/* ------------------------------------------------------------------ */

struct tlb;
struct cfgc;
int tlb_create(uint32_t capacity, struct tlb **out);
void tlb_destroy(struct tlb *t);
/** Empty, as created (no allocation). */
void tlb_reset(struct tlb *t);
void tlb_state_walk(struct tlb *t, model_mem_fn fn, void *ctx);
/* The per-VMID counts are derived from the table, not walked: before a
 * restore forget() clears those of the entries held now, after it
 * recount() counts the restored ones; consistent() checks that the counts
 * match the table (before a save) and leaves them as they were. */
void tlb_state_forget(struct tlb *t);
void tlb_state_recount(struct tlb *t);
bool tlb_state_consistent(struct tlb *t);
int tlb_insert(struct tlb *t, enum cmdqv_tlb_kind kind, uint16_t vmid,
	       uint16_t asid, uint64_t addr, uint64_t pages);
bool tlb_present(const struct tlb *t, enum cmdqv_tlb_kind kind, uint16_t vmid,
		 uint16_t asid, uint64_t addr);
size_t tlb_count(const struct tlb *t, int vmid);
/**
 * Apply the invalidation scope of a TLBI command @c (already VMID-forced)
 * on a platform with stage 2 = @s2.  Returns the number of entries removed;
 * *scanned (optional) gets the number of entries examined.
 */
size_t tlb_invalidate(struct tlb *t, const struct cmd *c, bool s2,
		      size_t *scanned);

int cfgc_create(uint32_t capacity, struct cfgc **out);
void cfgc_destroy(struct cfgc *c);
/** Empty, as created (no allocation). */
void cfgc_reset(struct cfgc *c);
void cfgc_state_walk(struct cfgc *c, model_mem_fn fn, void *ctx);
int cfgc_insert(struct cfgc *c, uint32_t sid, uint32_t ssid);
bool cfgc_present(const struct cfgc *c, uint32_t sid, uint32_t ssid);
/** Apply a CFGI_* command's scope. Returns the number of entries removed. */
size_t cfgc_invalidate(struct cfgc *c, const struct cmd *cmd);

/* ------------------------------------------------------------------ */
/* ats.c: built-in PCIe endpoints with ATCs                            */
/* ------------------------------------------------------------------ */

struct ats_eps;
int ats_eps_create(const struct cmdqv_config *cfg, struct ats_eps **out);
void ats_eps_destroy(struct ats_eps *a);
/** No endpoints and empty ATCs, as created (no allocation). */
void ats_eps_reset(struct ats_eps *a);
void ats_eps_state_walk(struct ats_eps *a, model_mem_fn fn, void *ctx);
int ats_eps_add(struct ats_eps *a, uint32_t sid, uint64_t addr, uint64_t pages);
bool ats_eps_present(const struct ats_eps *a, uint32_t sid, uint64_t addr);
size_t ats_eps_count(const struct ats_eps *a, uint32_t sid);
/* Endpoint @sid's response @latency and/or silence, those given (not NULL);
 * the endpoint is made on first use. CMDQV_OK or CMDQV_ENOMEM. */
int ats_eps_set(struct ats_eps *a, uint32_t sid, const sim_time_t *latency,
		const bool *silent);
/* The model's clock, read when a request is handed in (NULL: time 0). */
void ats_eps_set_clock(struct ats_eps *a, const sim_time_t *now);
/* Requests that waited for a busy endpoint (cfg->ats_inv_servers). */
uint64_t ats_eps_queued(const struct ats_eps *a);
/**
 * The built-in implementation of cmdqv_host_ops.ats_inv (ctx = struct
 * ats_eps *): removes the ATC entries in the request's span at once and
 * reports the endpoint's response time (its queue wait included, counted
 * from the request's arrival), or CMDQV_ATS_NO_RESPONSE if silent.
 */
int ats_eps_invalidate(void *ctx, const struct cmdqv_ats_req *req,
		       sim_time_t *latency);

/* ------------------------------------------------------------------ */
/* smmu.c: SMMU register frame                                         */
/* ------------------------------------------------------------------ */

struct smmu;
int smmu_create(struct cmdqv_model *m, struct smmu **out);
void smmu_destroy(struct smmu *s);
/**
 * Registers back to power-on (after cmdq_engine_reset() has reset the
 * SMMU's queue and sim_kernel_reset() cancelled its events).
 */
void smmu_reset(struct smmu *s);
void smmu_state_walk(struct smmu *s, model_mem_fn fn, void *ctx);
/** Access at @off in the SMMU aperture (page 1: EVTQ/PRIQ PROD/CONS only, IHI
 * 0070 6.3; arm-smmu-v3.h). */
int smmu_access(struct smmu *s, uint64_t off, unsigned size, bool is_write,
		uint64_t *val);
struct cmdq_queue *smmu_cmdq(struct smmu *s);

/* ------------------------------------------------------------------ */
/* tegra241.c: the CMDQ-V block                                           */
/* ------------------------------------------------------------------ */

struct t241_cmdqv;
int t241_create(struct cmdqv_model *m, struct t241_cmdqv **out);
void t241_destroy(struct t241_cmdqv *cv);
/** Registers back to power-on (queues: cmdq_engine_reset(); events:
 * sim_kernel_reset()). */
void t241_reset(struct t241_cmdqv *cv);
void t241_state_walk(struct t241_cmdqv *cv, model_mem_fn fn, void *ctx);
/** Size of the CMDQ-V window: 0x30000 + vintfs * 0x20000. */
uint64_t t241_size(const struct t241_cmdqv *cv);
int t241_access(struct t241_cmdqv *cv, uint64_t off, unsigned size,
		bool is_write, uint64_t *val);
/** Global VCMDQ @q (0 .. vcmdqs-1). */
struct cmdq_queue *t241_queue(struct t241_cmdqv *cv, unsigned q);

#endif /* CMDQV_INTERNAL_H */
