/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * model.h - one instance of the hardware model: an SMMUv3 command queue with
 * the Tegra241 CMDQ-V extension, TLB/config caches and ATS endpoints.
 *
 * The model owns no main loop (TinyEMU style): hosts (CLI, SystemC bridge,
 * tests) make register accesses at the current simulated time, then advance
 * time with cmdqv_run_until(), using cmdqv_next_deadline() to know when the
 * model has work.  A register access never advances time and never runs a
 * queue to completion; it only updates state and schedules events.
 *
 * The model never prints, never exits and keeps no globals.  All memory is
 * allocated in cmdqv_model_create(); the command path does not allocate.
 */
#ifndef CMDQV_SIM_MODEL_H
#define CMDQV_SIM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmd.h"
#include "config.h"
#include "sim.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cmdqv_model;

/** Register apertures. */
enum cmdqv_space {
	CMDQV_SPACE_SMMU =
		0, /* SMMU register frame: page 0 + page 1 (IHI 0070 6.3; arm-smmu-v3.h) */
	/* CMDQ-V window (docs/cmdqv-reference.md section 2) */
	CMDQV_SPACE_CMDQV = 1,
};

/** Interrupt outputs. */
enum cmdqv_irq {
	CMDQV_IRQ_GERROR =
		0, /* SMMU global error, wired (level while an enabled error is active) */
	CMDQV_IRQ_CMDQV =
		1, /* CMDQ-V error line (level while an unmasked VINTF error is set) */
	CMDQV_IRQ_CMD_SYNC = 2, /* CMD_SYNC CS=IRQ wired line (pulsed) */
	CMDQV_IRQ_COUNT
};

/** Queue identifier in trace records and queue queries. */
#define CMDQV_QUEUE_SMMU \
	(-1) /* the SMMU's own CMDQ; 0..vcmdqs-1 are global VCMDQs */

/** struct cmdqv_ats_req - one PCIe ATS Invalidate Request leaving the SMMU. */
struct cmdqv_ats_req {
	uint32_t sid; /* physical StreamID (after SID replacement) */
	uint32_t ssid; /* PASID, valid if ssv */
	bool ssv;
	bool global;
	uint64_t addr; /* first byte of the span, aligned to it */
	uint64_t bytes; /* span in bytes (UINT64_MAX for "all") */
	uint8_t itag; /* 0..ats_outstanding-1 */
};

/** Return values of cmdqv_host_ops.ats_inv. */
enum cmdqv_ats_result {
	CMDQV_ATS_COMPLETES = 0, /* completion arrives after *latency */
	CMDQV_ATS_NO_RESPONSE = 1, /* the endpoint never answers (silent) */
};

/** Kinds of trace record (observability, recording, timelines). */
enum cmdqv_trace_kind {
	CMDQV_TR_MMIO_READ, /* space, offset, size, value */
	CMDQV_TR_MMIO_WRITE, /* space, offset, size, value */
	CMDQV_TR_MEM_WRITE, /* a DMA write made by the model: offset=addr, size, value (<= 8 bytes) */
	CMDQV_TR_FETCH, /* queue, pos = first entry, count: a fetch burst completed */
	CMDQV_TR_CMD, /* queue, pos, dw, t_*: a command consumed (CONS moved past it) */
	CMDQV_TR_ATS_REQ, /* queue, sid, offset=addr, value=bytes: request sent */
	CMDQV_TR_ATS_DONE, /* sid, code: 0 completed, 1 timed out */
	CMDQV_TR_ERROR, /* queue, pos, code (CERROR): queue halted */
	CMDQV_TR_IRQ, /* line (in code), value = level */
};

/**
 * struct cmdqv_trace_rec - one observable event. Fields not meaningful for
 * the kind are zero.  Times are simulated picoseconds.
 */
struct cmdqv_trace_rec {
	enum cmdqv_trace_kind kind;
	sim_time_t time;
	int32_t queue; /* CMDQV_QUEUE_SMMU or global VCMDQ index */
	uint32_t space; /* enum cmdqv_space for MMIO records */
	uint32_t size; /* access size in bytes */
	uint64_t offset; /* register offset or memory address */
	uint64_t value;
	uint32_t pos; /* queue position {wrap,index} of the command */
	uint32_t count; /* commands in a fetch burst */
	uint64_t dw[2]; /* raw command words as fetched (before any rewrite) */
	uint32_t code; /* CERROR, ATS outcome or interrupt line */
	uint32_t sid;
	sim_time_t t_published; /* CMD: PROD write that published it */
	sim_time_t t_fetched; /* CMD: fetch burst completed */
	sim_time_t t_exec_start; /* CMD: command processor started it */
	sim_time_t t_exec_end; /* CMD: processor finished (SYNC: wait began) */
};

/**
 * struct cmdqv_host_ops - what the host gives the model. Callbacks are
 * borrowed for the model's lifetime and called with @ctx.
 * @mem_read:  DMA read (queue fetch); 0 = ok, non-zero = external abort
 * @mem_write: DMA write (MSI, CONS mirror); 0 = ok, non-zero = abort
 * @irq:       interrupt line change (may be NULL)
 * @sev:       SEV event from CMD_SYNC CS=SEV (may be NULL)
 * @ats_inv:   send one ATS invalidation to an endpoint; return an
 *             enum cmdqv_ats_result and set *latency (endpoint response time,
 *             not counting ats_link_latency). NULL = the model's built-in
 *             endpoints (see cmdqv_atc_*).
 * @trace:     observer of every trace record (may be NULL)
 */
struct cmdqv_host_ops {
	int (*mem_read)(void *ctx, uint64_t addr, void *buf, uint32_t len);
	int (*mem_write)(void *ctx, uint64_t addr, const void *buf,
			 uint32_t len);
	void (*irq)(void *ctx, enum cmdqv_irq line, bool level);
	void (*sev)(void *ctx);
	int (*ats_inv)(void *ctx, const struct cmdqv_ats_req *req,
		       sim_time_t *latency);
	void (*trace)(void *ctx, const struct cmdqv_trace_rec *rec);
};

/* ---- lifetime ---- */

/**
 * Create a model from @cfg (copied; validated with cmdqv_config_validate) and
 * @ops (borrowed). On error returns a status and, if @err, a reason.
 */
int cmdqv_model_create(const struct cmdqv_config *cfg,
		       const struct cmdqv_host_ops *ops, void *ctx,
		       struct cmdqv_model **out, char *err, size_t errlen);
void cmdqv_model_destroy(struct cmdqv_model *m);
/** The configuration the model runs with. */
const struct cmdqv_config *cmdqv_model_config(const struct cmdqv_model *m);

/* ---- time ---- */

sim_time_t cmdqv_now(const struct cmdqv_model *m);
/** Earliest time the model (or an actor on its kernel) has work, or SIM_TIME_NEVER. */
sim_time_t cmdqv_next_deadline(const struct cmdqv_model *m);
/** Run all work due at or before @t; afterwards cmdqv_now() == max(now, @t). */
void cmdqv_run_until(struct cmdqv_model *m, sim_time_t t);
/** The event kernel, so hosts can schedule their own actors on model time. */
struct sim_kernel *cmdqv_model_kernel(struct cmdqv_model *m);

/* ---- register access ---- */

/** Size in bytes of an aperture (SMMU: 0x20000; CMDQ-V: 0x30000 + vintfs*0x20000). */
uint64_t cmdqv_space_size(const struct cmdqv_model *m, enum cmdqv_space space);

/**
 * Register read/write of @size 4 or 8 bytes at @offset, naturally aligned.
 * Returns CMDQV_OK, CMDQV_EADDR (outside the aperture) or CMDQV_ESIZE.
 * Offsets inside the aperture that hold no register read as zero and ignore
 * writes (RAZ/WI) and return CMDQV_OK. Accesses to an unmapped logical VCMDQ
 * slot are dropped (read zero) and return CMDQV_OK.
 */
int cmdqv_mmio_read(struct cmdqv_model *m, enum cmdqv_space space,
		    uint64_t offset, unsigned size, uint64_t *value);
int cmdqv_mmio_write(struct cmdqv_model *m, enum cmdqv_space space,
		     uint64_t offset, unsigned size, uint64_t value);
/** Read without side effects and without trace (debug transport). */
int cmdqv_mmio_peek(const struct cmdqv_model *m, enum cmdqv_space space,
		    uint64_t offset, unsigned size, uint64_t *value);

/* ---- interrupts ---- */

/** Current level of @line (CMD_SYNC is a pulse: always false between calls). */
bool cmdqv_irq_level(const struct cmdqv_model *m, enum cmdqv_irq line);
/** Number of rising edges seen on @line since create. */
uint64_t cmdqv_irq_edges(const struct cmdqv_model *m, enum cmdqv_irq line);

/* ---- caches, for tests and scenarios (not timed) ---- */

/** TLB entry kinds. */
enum cmdqv_tlb_kind {
	CMDQV_TLB_NH =
		0, /* stage 1 (or nested S1+S2) entry: VMID + ASID + VA */
	CMDQV_TLB_EL2 = 1, /* EL2 entry: ASID + VA, no VMID */
	CMDQV_TLB_S2 = 2, /* stage-2 only entry: VMID + IPA */
};

/** Insert @pages 4 KiB leaf entries from @addr. Returns CMDQV_OK or CMDQV_ENOMEM (full). */
int cmdqv_tlb_add(struct cmdqv_model *m, enum cmdqv_tlb_kind kind,
		  uint16_t vmid, uint16_t asid, uint64_t addr, uint64_t pages);
/** True if an entry of @kind covering @addr for (vmid, asid) is present. */
bool cmdqv_tlb_present(const struct cmdqv_model *m, enum cmdqv_tlb_kind kind,
		       uint16_t vmid, uint16_t asid, uint64_t addr);
/** Number of TLB pages held, all kinds; @vmid < 0 counts every VMID. */
size_t cmdqv_tlb_count(const struct cmdqv_model *m, int vmid);

#define CMDQV_SSID_NONE UINT32_MAX /* config-cache entry for the STE itself */
int cmdqv_cfg_add(struct cmdqv_model *m, uint32_t sid, uint32_t ssid);
bool cmdqv_cfg_present(const struct cmdqv_model *m, uint32_t sid,
		       uint32_t ssid);

/** Built-in ATS endpoints: one ATC per StreamID, created on first use. */
int cmdqv_atc_add(struct cmdqv_model *m, uint32_t sid, uint64_t addr,
		  uint64_t pages);
bool cmdqv_atc_present(const struct cmdqv_model *m, uint32_t sid,
		       uint64_t addr);
/** ATC pages held by @sid (any SID if @sid == UINT32_MAX). */
size_t cmdqv_atc_count(const struct cmdqv_model *m, uint32_t sid);
/** Endpoint response time for @sid (default ats_device_latency). */
int cmdqv_atc_set_latency(struct cmdqv_model *m, uint32_t sid,
			  sim_time_t latency);
/** Make @sid's endpoint never answer invalidations (fault injection). */
int cmdqv_atc_set_silent(struct cmdqv_model *m, uint32_t sid, bool silent);

/**
 * What the built-in endpoint of @req->sid does with one ATS invalidation:
 * removes the ATC pages in the request's span and returns
 * CMDQV_ATS_COMPLETES with *@latency = the endpoint's response time, or
 * CMDQV_ATS_NO_RESPONSE if it is silent.  For hosts whose own endpoint
 * models (cmdqv_host_ops.ats_inv, e.g. the TLM bridge's ATS socket) want to
 * keep the built-in ATC bookkeeping (cmdqv_atc_*).  Not timed.
 */
int cmdqv_atc_invalidate(struct cmdqv_model *m, const struct cmdqv_ats_req *req,
			 sim_time_t *latency);

/* ---- observation ---- */

/** struct cmdqv_queue_state - a queue as an observer (VCD, progress) sees it. */
struct cmdqv_queue_state {
	const char *name; /* "SMMU CMDQ", "VCMDQ5" ... (owned by the model) */
	int32_t queue;
	bool enabled;
	bool error; /* an error is active (queue halted) */
	uint32_t prod; /* position bits only */
	uint32_t cons; /* position bits only */
	uint32_t used; /* published, not consumed */
	uint32_t log2size;
};
/** Number of queues: 1 + vcmdqs (index 0 = SMMU CMDQ, i = VCMDQ i-1). */
size_t cmdqv_queue_count(const struct cmdqv_model *m);
void cmdqv_queue_get(const struct cmdqv_model *m, size_t i,
		     struct cmdqv_queue_state *out);

/** struct cmdqv_stats - totals since create. */
struct cmdqv_stats {
	uint64_t commands; /* commands consumed, all queues */
	uint64_t by_opcode[256];
	uint64_t fetch_bursts;
	uint64_t errors; /* command errors raised */
	uint64_t ats_requests;
	uint64_t ats_timeouts;
	uint64_t msi_writes;
};
void cmdqv_stats_get(const struct cmdqv_model *m, struct cmdqv_stats *out);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_SIM_MODEL_H */
