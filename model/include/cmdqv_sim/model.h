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
#include "model_types.h"
#include "sim.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- lifetime ---- */

/**
 * Create a model from @cfg (copied; validated with cmdqv_config_validate) and
 * @ops (borrowed). On error returns a status and, if @err, a reason.
 */
int cmdqv_model_create(const struct cmdqv_config *cfg,
		       const struct cmdqv_host_ops *ops, void *ctx,
		       struct cmdqv_model **out, char *err, size_t errlen);
void cmdqv_model_destroy(struct cmdqv_model *m);
/**
 * Reset @m in place to its power-on state with the same configuration and
 * host ops, as if just created: time 0, every pending event cancelled
 * (including host events scheduled on cmdqv_model_kernel(), which stay
 * registered), registers, queues, CMD-QV, caches, ATS endpoints, interrupt
 * levels and edge counts, and statistics back to their initial values.
 * Allocates nothing and makes no host callback (interrupt lines that were
 * high simply read low afterwards).  A run after a reset gives the same
 * trace as the same run on a freshly created model.
 */
void cmdqv_model_reset(struct cmdqv_model *m);
/**
 * Bytes a copy of the whole state of @m takes: registers, queues and their
 * read-ahead, CMD-QV, caches, ATS endpoints, time, pending events,
 * interrupt levels and counts, statistics (and the host ops, borrowed).
 */
size_t cmdqv_model_state_size(const struct cmdqv_model *m);
/**
 * Copy that state into @buf (@len == cmdqv_model_state_size()).  Returns
 * CMDQV_EINVAL for another length, CMDQV_ESTATE while a host event (one on
 * cmdqv_model_kernel() that is not the model's) is pending: it is not part
 * of the copy.  Allocates nothing.
 */
int cmdqv_model_state_save(const struct cmdqv_model *m, void *buf, size_t len);
/**
 * Put @m back, in place, to the state @buf holds, saved from this same
 * model (the copy holds its own pointers): a run afterwards gives the same
 * trace as it gave after the save.  Host events pending now are cancelled
 * (they stay registered), as by cmdqv_model_reset().  Returns CMDQV_EINVAL
 * if @len is not cmdqv_model_state_size() (a host event registered since the
 * save changes it).  Allocates nothing and makes no host callback.
 */
int cmdqv_model_state_restore(struct cmdqv_model *m, const void *buf,
			      size_t len);
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

/** Insert @pages 4 KiB leaf entries from @addr. Returns CMDQV_OK or CMDQV_ENOMEM (full). */
int cmdqv_tlb_add(struct cmdqv_model *m, enum cmdqv_tlb_kind kind,
		  uint16_t vmid, uint16_t asid, uint64_t addr, uint64_t pages);
/** True if an entry of @kind covering @addr for (vmid, asid) is present. */
bool cmdqv_tlb_present(const struct cmdqv_model *m, enum cmdqv_tlb_kind kind,
		       uint16_t vmid, uint16_t asid, uint64_t addr);
/** Number of TLB pages held, all kinds; @vmid < 0 counts every VMID. */
size_t cmdqv_tlb_count(const struct cmdqv_model *m, int vmid);

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

/** Number of queues: 1 + vcmdqs (index 0 = SMMU CMDQ, i = VCMDQ i-1). */
size_t cmdqv_queue_count(const struct cmdqv_model *m);
void cmdqv_queue_get(const struct cmdqv_model *m, size_t i,
		     struct cmdqv_queue_state *out);

void cmdqv_stats_get(const struct cmdqv_model *m, struct cmdqv_stats *out);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_SIM_MODEL_H */
