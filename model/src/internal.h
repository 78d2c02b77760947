/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * internal.h - contracts between the blocks of the core.  Private: only
 * model/src and the project's own tests include it.
 *
 * Ownership (one author per block, one file per block):
 *   model.c   struct cmdqv_model, public API glue, IRQ/trace/DMA helpers
 *   regs.c    generic register-table dispatcher (reg_access)
 *   smmu.c    SMMU register frame (page 0/1), IDRs, CR0/ACK, GERROR
 *   cmdq.c    queue engine: fetch, arbiter, execute, SYNC, ATS tracking, errors
 *   cache.c   TLB and config cache with every invalidation scope
 *   ats.c     built-in ATS endpoints (one ATC per StreamID)
 *   cmdqv.c   CMDQ-V block: config page, VINTFs, VCMDQ pages, guest filter
 */
#ifndef CMDQV_INTERNAL_H
#define CMDQV_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/config.h"
#include "cmdqv_sim/model.h"
#include "cmdqv_sim/ring.h"
#include "cmdqv_sim/sim.h"

/* CERROR codes in CONS.ERR [30:24] (IHI 0070 7.1, docs/cmdqv-reference.md
 * section 5.1). */
#define CERROR_NONE 0
#define CERROR_ILL 1
#define CERROR_ABT 2
#define CERROR_ATC_INV_SYNC 3
#define CERROR_ILL_ACCESS 4 /* Tegra241 VCMDQ only */

/* ------------------------------------------------------------------ */
/* model.c: instance-wide helpers used by every block                  */
/* ------------------------------------------------------------------ */

const struct cmdqv_config *model_cfg(const struct cmdqv_model *m);
struct sim_kernel *model_kernel(struct cmdqv_model *m);
/** SMMU cycles -> picoseconds at cfg->smmu_clock_mhz. */
sim_time_t model_cycles(const struct cmdqv_model *m, uint64_t cycles);
/** True if the host observes trace records (lets hot paths skip building them). */
bool model_tracing(const struct cmdqv_model *m);
/** Deliver a trace record to the host's observer (no-op without one); fills ->time. */
void model_trace(struct cmdqv_model *m, struct cmdqv_trace_rec *rec);
/** Set an interrupt line's level; calls ops->irq and traces only on change. */
void model_irq_set(struct cmdqv_model *m, enum cmdqv_irq line, bool level);
/** Pulse a line (rising then falling edge at the current time). */
void model_irq_pulse(struct cmdqv_model *m, enum cmdqv_irq line);
/** DMA through the host: 0 ok, non-zero abort. */
int model_dma_read(struct cmdqv_model *m, uint64_t addr, void *buf,
		   uint32_t len);
int model_dma_write(struct cmdqv_model *m, uint64_t addr, const void *buf,
		    uint32_t len);
/**
 * Send one ATS invalidation: through the host's ops->ats_inv, or the built-in
 * endpoints (ats_eps_invalidate) when the host gives none.  Returns an
 * enum cmdqv_ats_result and the endpoint's response time in *latency.
 */
int model_ats_inv(struct cmdqv_model *m, const struct cmdqv_ats_req *req,
		  sim_time_t *latency);
/** SEV from CMD_SYNC CS=SEV. */
void model_sev(struct cmdqv_model *m);
/** Statistics owned by the model, updated by blocks. */
struct cmdqv_stats *model_stats(struct cmdqv_model *m);
/** Blocks, for cross-block calls. */
struct cmdq_engine *model_engine(struct cmdqv_model *m);
struct smmu *model_smmu(struct cmdqv_model *m);
struct tlb *model_tlb(struct cmdqv_model *m);
struct cfgc *model_cfgc(struct cmdqv_model *m);
struct ats_eps *model_ats(struct cmdqv_model *m);
struct cmdqv_hw *
model_cmdqv(struct cmdqv_model *m); /* NULL when cfg->cmdqv == 0 */

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

/* ------------------------------------------------------------------ */
/* cache.c: TLB and config cache (IHI 0070 4.3, 4.4, 4.4.1.1)     */
/* ------------------------------------------------------------------ */

struct tlb;
struct cfgc;
int tlb_create(uint32_t capacity, struct tlb **out);
void tlb_destroy(struct tlb *t);
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
int ats_eps_add(struct ats_eps *a, uint32_t sid, uint64_t addr, uint64_t pages);
bool ats_eps_present(const struct ats_eps *a, uint32_t sid, uint64_t addr);
size_t ats_eps_count(const struct ats_eps *a, uint32_t sid);
int ats_eps_set_latency(struct ats_eps *a, uint32_t sid, sim_time_t latency);
int ats_eps_set_silent(struct ats_eps *a, uint32_t sid, bool silent);
/**
 * The built-in implementation of cmdqv_host_ops.ats_inv (ctx = struct
 * ats_eps *): removes the ATC entries in the request's span at once and
 * reports the endpoint's response time, or CMDQV_ATS_NO_RESPONSE if silent.
 */
int ats_eps_invalidate(void *ctx, const struct cmdqv_ats_req *req,
		       sim_time_t *latency);

/* ------------------------------------------------------------------ */
/* smmu.c: SMMU register frame                                         */
/* ------------------------------------------------------------------ */

struct smmu;
int smmu_create(struct cmdqv_model *m, struct smmu **out);
void smmu_destroy(struct smmu *s);
/** Access at @off in the SMMU aperture (page 1: EVTQ/PRIQ PROD/CONS only, IHI
 * 0070 6.3; arm-smmu-v3.h). */
int smmu_access(struct smmu *s, uint64_t off, unsigned size, bool is_write,
		uint64_t *val);
struct cmdq_queue *smmu_cmdq(struct smmu *s);
/** True while SMMUEN is effective (ATC_INV is IGNORED otherwise, IHI 0070
 * 6.3.9.6). */
bool smmu_enabled(const struct smmu *s);
/**
 * Activate global error @bit (a GERROR field, e.g. SMMU_GERROR_MSI_CMDQ_ABT)
 * if it is not already active, with its interrupt (IHI 0070 6.3.19, 6.3.20).
 */
void smmu_gerror_raise(struct smmu *s, unsigned bit);
#define SMMU_GERROR_CMDQ_ERR_BIT 0
#define SMMU_GERROR_MSI_CMDQ_ABT_BIT 4
#define SMMU_GERROR_MSI_GERROR_ABT_BIT 7

/* ------------------------------------------------------------------ */
/* cmdqv.c: the CMDQ-V block                                           */
/* ------------------------------------------------------------------ */

struct cmdqv_hw;
int cmdqv_hw_create(struct cmdqv_model *m, struct cmdqv_hw **out);
void cmdqv_hw_destroy(struct cmdqv_hw *cv);
/** Size of the CMDQ-V window: 0x30000 + vintfs * 0x20000. */
uint64_t cmdqv_hw_size(const struct cmdqv_hw *cv);
int cmdqv_hw_access(struct cmdqv_hw *cv, uint64_t off, unsigned size,
		    bool is_write, uint64_t *val);
/** Global VCMDQ @q (0 .. vcmdqs-1). */
struct cmdq_queue *cmdqv_hw_queue(struct cmdqv_hw *cv, unsigned q);

#endif /* CMDQV_INTERNAL_H */
