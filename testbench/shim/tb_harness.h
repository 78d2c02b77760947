/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_harness.h - a small driver-like helper over the native platform
 * (tb_native.h) for model tests and the benchmark: bring the SMMU CMDQ up
 * with the Linux reset sequence (arm-smmu-v3.c: arm_smmu_device_reset()), bring
 * VCMDQs up the way the Linux tegra241-cmdqv driver does
 * (docs/cmdqv-reference.md section 7), write commands into a queue's ring,
 * publish them with one PROD write, and wait for CONS by advancing simulated
 * time.  Register accesses go through the public API only, like software.
 *
 * Queue handles: TB_HQ_SMMU is the SMMU CMDQ; 0..vcmdqs-1 are global VCMDQs.
 */
#ifndef CMDQV_TB_HARNESS_H
#define CMDQV_TB_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "cmdqv_sim/cmd.h"
#include "tb_native.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TB_HQ_SMMU (-1)
#define TB_HQ_MAX 128

/**
 * struct tb_hq - software view of one queue (as a driver keeps it).
 * @base, @log2size: ring in platform memory
 * @prod:            software producer position (not yet published if ahead
 *                   of the PROD register)
 */
struct tb_hq {
	uint64_t base;
	unsigned log2size;
	uint32_t prod;
	bool up;
};

/** struct tb_harness - the native platform plus queue bookkeeping. */
struct tb_harness {
	struct tb_native n;
	struct tb_hq smmu;
	struct tb_hq vq[TB_HQ_MAX];
};

/** Create the platform (defaults if @cfg is NULL). Returns a CMDQV_* status. */
int tb_harness_init(struct tb_harness *h, const struct cmdqv_config *cfg);
/**
 * Same, but the model gets no trace observer at all (tb_native's observer
 * hook is not installed), so it builds no trace records: for benchmarks.
 */
int tb_harness_init_untraced(struct tb_harness *h,
			     const struct cmdqv_config *cfg);
void tb_harness_deinit(struct tb_harness *h);
struct cmdqv_model *tb_harness_model(struct tb_harness *h);

/* Register access at the current time (must succeed; asserts otherwise). */
uint64_t tb_harness_read(struct tb_harness *h, enum cmdqv_space sp,
			 uint64_t off, unsigned size);
void tb_harness_write(struct tb_harness *h, enum cmdqv_space sp, uint64_t off,
		      unsigned size, uint64_t val);
/** Advance simulated time by @dt. */
void tb_harness_run(struct tb_harness *h, sim_time_t dt);
/**
 * Poll a register every @step until (value & @mask) == @want, at most
 * @within; returns true on success (time has advanced).
 */
bool tb_harness_poll(struct tb_harness *h, enum cmdqv_space sp, uint64_t off,
		     unsigned size, uint64_t mask, uint64_t want,
		     sim_time_t step, sim_time_t within);

/**
 * Linux device reset for the SMMU CMDQ: CR0=0, CR1/CR2, STRTAB, CMDQ_BASE
 * (@base, @log2size), PROD=CONS=0, CR0=CMDQEN (poll CR0ACK), IRQ_CTRL with
 * GERROR_IRQEN (poll), and CR0 |= SMMUEN when @smmuen. Returns true if every
 * handshake completed.
 */
bool tb_harness_smmu_up(struct tb_harness *h, uint64_t base, unsigned log2size,
			bool smmuen);
/**
 * CMDQ-V enable, VINTF @vintf (HYP_OWN=@hyp_own, VMID=@vmid) enable, then
 * global VCMDQs @first .. @first+@count-1 mapped as LVCMDQs 0.. of that VINTF,
 * each with 2^@log2size entries at @base + i * queue bytes, enabled.
 */
bool tb_harness_vintf_up(struct tb_harness *h, unsigned vintf, bool hyp_own,
			 uint16_t vmid, unsigned first, unsigned count,
			 uint64_t base, unsigned log2size);

/** Encode @c and write it at the software PROD of queue @q (not published). */
void tb_harness_push(struct tb_harness *h, int q, const struct cmd *c);
/** Write already-encoded command words at the software PROD of @q (not published). */
void tb_harness_push_raw(struct tb_harness *h, int q, const uint64_t dw[2]);
/** Write @n encoded commands at the software PROD of @q (not published). */
void tb_harness_push_n(struct tb_harness *h, int q, const uint64_t (*dw)[2],
		       uint32_t n);
/** Write the software PROD of @q to its PROD register. */
void tb_harness_publish(struct tb_harness *h, int q);
/** Software PROD and the CONS register (position bits) of @q. */
uint32_t tb_harness_sw_prod(struct tb_harness *h, int q);
uint32_t tb_harness_cons(struct tb_harness *h, int q);
/** CONS register value of @q with the ERR field. */
uint32_t tb_harness_cons_reg(struct tb_harness *h, int q);
/** Run until CONS of @q equals its software PROD, at most @within. */
bool tb_harness_drain(struct tb_harness *h, int q, sim_time_t within);
/** Register offset of queue @q's PROD / CONS / GERRORN in its space. */
uint64_t tb_harness_prod_off(int q);
uint64_t tb_harness_cons_off(int q);
/** Acknowledge every active error of @q (SMMU GERRORN / VCMDQ GERRORN := GERROR). */
void tb_harness_ack(struct tb_harness *h, int q);

/* Command builders. */
struct cmd tb_cmd_sync(uint8_t cs);
struct cmd tb_cmd_tlbi_nh_va(uint16_t vmid, uint16_t asid, uint64_t va);
struct cmd tb_cmd_atc_inv(uint32_t sid, uint64_t addr, uint8_t size);

/**
 * tb_bench_cmds - the commands `cmdqv-sim bench` and the microbenchmarks
 * issue, encoded once: @n TLBI_NH_VA (VMID 1, ASID i % 16, VA i << 12) in
 * @tlbi[0..n-1] and a CMD_SYNC (CS=NONE) in @sync.
 */
void tb_bench_cmds(unsigned n, uint64_t (*tlbi)[2], uint64_t sync[2]);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_TB_HARNESS_H */
