/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * model_types.h - the data types a model instance shares with its host and
 * its hardware blocks: address spaces, interrupt lines, ATS requests, trace
 * records, host callbacks, cache kinds, queue state and statistics.
 *
 * No functions: the host API is model.h (which includes this header); the
 * blocks inside the model see these types without seeing the API.
 */
#ifndef CMDQV_SIM_MODEL_TYPES_H
#define CMDQV_SIM_MODEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim.h"

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
 * @trace_kinds: 0 = every kind to @trace; else the kinds it wants, a mask
 *             of (1u << enum cmdqv_trace_kind): the model builds no record
 *             of the others (a host that watches register writes only does
 *             not pay for a record per read and per command)
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
	uint32_t trace_kinds;
};

/** TLB entry kinds. */
enum cmdqv_tlb_kind {
	CMDQV_TLB_NH =
		0, /* stage 1 (or nested S1+S2) entry: VMID + ASID + VA */
	CMDQV_TLB_EL2 = 1, /* EL2 entry: ASID + VA, no VMID */
	CMDQV_TLB_S2 = 2, /* stage-2 only entry: VMID + IPA */
};

#define CMDQV_SSID_NONE UINT32_MAX /* config-cache entry for the STE itself */

/** struct cmdqv_queue_state - a queue as an observer (VCD, progress) sees it. */
struct cmdqv_queue_state {
	const char *name; /* "SMMU CMDQ", "VCMDQ5" ... (owned by the model) */
	int32_t queue;
	bool enabled;
	bool error; /* an error is active (queue halted) */
	uint32_t prod; /* position bits only */
	uint32_t cons; /* position bits only */
	uint32_t used; /* published, not consumed (> 2^log2size if inconsistent) */
	uint32_t log2size;
	/* PROD and CONS are in an inconsistent state (PROD more than a full
	 * queue ahead of CONS, or behind it): nothing is consumed until a write
	 * makes them consistent (IHI 0070 3.5.1; docs/register-map.md) */
	bool inconsistent;
};

/** struct cmdqv_stats - totals since create. */
struct cmdqv_stats {
	uint64_t commands; /* commands consumed, all queues */
	uint64_t by_opcode[256];
	uint64_t fetch_bursts;
	uint64_t errors; /* command errors raised */
	uint64_t ats_requests;
	uint64_t ats_timeouts;
	uint64_t msi_writes;
	uint64_t ats_queued; /* ATS requests that waited for a busy endpoint (built-in endpoints) */
	/* PROD writes to an enabled queue, and queue enables, that left its
	 * PROD/CONS pair inconsistent: it then consumes nothing (IHI 0070 3.5.1) */
	uint64_t inconsistent_indexes;
};

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_SIM_MODEL_TYPES_H */
