/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_replay.h - replay a native command trace (docs/trace-format.md) on a
 * fresh model and measure it (docs/replay.md).
 *
 * The trace is streamed: one record at a time, a fixed-size ring of batches
 * in flight and fixed-size histograms, so memory does not grow with the
 * trace.  On the host path the trace is the host driver itself: its register
 * accesses are made as recorded and its queues are the model's.  On
 * direct, trap and eventfd the trace is a guest driver: each PROD write of
 * its queue hands the batch to the path model of paths.h (wl_feed: the
 * same actors, queues and costs as compare), and its other register
 * accesses are accesses to the emulated vSMMU, charged as exits.
 */
#ifndef CMDQV_TB_REPLAY_H
#define CMDQV_TB_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmdqv_sim/sim.h"
#include "paths.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Paths: enum wl_path of paths.h (wl_path_name, wl_path_parse), the same
 * list compare uses. */

/* ---- latency histogram ---- */

/*
 * Log-linear buckets: exact below 64 ps, then 32 sub-buckets per power of
 * two (relative resolution 1/32 ~ 3 %).  Quantiles are the upper edge of
 * the bucket holding the nearest-rank sample, capped at the exact maximum.
 */
#define TB_HIST_SUB 32
#define TB_HIST_BUCKETS (64 + 58 * TB_HIST_SUB)

/** struct tb_hist - fixed-size latency distribution (ps). */
struct tb_hist {
	uint64_t count;
	double sum;
	sim_time_t min;
	sim_time_t max;
	uint64_t bucket[TB_HIST_BUCKETS];
};

void tb_hist_add(struct tb_hist *h, sim_time_t v);
/** Nearest-rank quantile @q in [0,1] (0 if empty). */
sim_time_t tb_hist_quantile(const struct tb_hist *h, double q);
double tb_hist_mean(const struct tb_hist *h);

/* ---- results ---- */

#define TB_REPLAY_MAX_PHASES 256
#define TB_REPLAY_NAME_MAX 64

/**
 * struct tb_replay_phase - totals between two phase markers.
 * @start/@end:     simulated times the phase began and ended
 * @commands:       driver commands completed that were published in it
 * @batches:        batches published in it (>= 1 command)
 * @cmd_lat_sum:    sum of their command latencies (ps)
 * @batch_lat_sum:  sum of their batch latencies (ps)
 * @batch_lat_max:  largest batch latency (ps)
 */
struct tb_replay_phase {
	uint32_t id;
	char name[TB_REPLAY_NAME_MAX];
	sim_time_t start;
	sim_time_t end;
	uint64_t commands;
	uint64_t batches;
	double cmd_lat_sum;
	double batch_lat_sum;
	sim_time_t batch_lat_max;
};

/**
 * struct tb_replay_result - what a replay measured.
 * @records:          trace records read
 * @commands:         driver commands completed (host path: the model's
 *                    consumption; guest paths: the driver saw the issue
 *                    that carried them return)
 * @by_opcode:        @commands per opcode
 * @batches:          PROD writes that published >= 1 command
 * @prod_writes:      PROD writes of the driver
 * @hw_commands:      commands the hardware consumed in total (incl. forwarded
 *                    copies, added SYNCs and error-recovery SYNCs)
 * @injected:         commands the software paths added (guest paths: SYNCs
 *                    closing a piece on a queue switch, the VMM's and
 *                    kernel thread's SYNCs)
 * @cerror:           command errors raised by the model, by CERROR code
 * @poll_timeouts:    polls that never matched (1 s simulated)
 * @incomplete:       batches not completed at the end of the trace
 * @recoveries:       queue errors replay recovered from like Linux
 * @read_mismatches:  rd records whose value differs from the model's
 * @batch_mismatches: batch records whose count differs from the PROD delta
 * @skipped:          register records not made on the hardware (guest
 *                    paths: the guest's accesses to its emulated vSMMU)
 * @ring_stalls:      times replay had to wait because its in-flight ring was full
 * @queue_waits:      cmd records (host path) whose queue entry still held an
 *                    unconsumed command of the previous lap: replay let the
 *                    model run until it was consumed before storing the new one
 * @exits, @ioctls:   VM exits and invalidation ioctls (guest paths: the
 *                    path model's, plus one exit per trapped register access)
 * @sim_time:         simulated time at the end (ps)
 * @cmd_lat:          published (PROD write) -> completed, per command
 * @batch_lat:        published -> last command completed (host path) or
 *                    -> the driver is back from it (guest paths)
 */
struct tb_replay_result {
	uint64_t records;
	uint64_t commands;
	uint64_t by_opcode[256];
	uint64_t batches;
	uint64_t prod_writes;
	uint64_t hw_commands;
	uint64_t injected;
	uint64_t cerror[128];
	uint64_t cmd_errors;
	uint64_t poll_timeouts;
	uint64_t incomplete;
	uint64_t recoveries;
	uint64_t read_mismatches;
	uint64_t batch_mismatches;
	uint64_t skipped;
	uint64_t ring_stalls;
	uint64_t queue_waits;
	uint64_t exits;
	uint64_t ioctls;
	sim_time_t sim_time;
	struct tb_hist cmd_lat;
	struct tb_hist batch_lat;
	struct tb_replay_phase phases[TB_REPLAY_MAX_PHASES];
	size_t nphases;
	uint64_t phases_merged;
};

/**
 * struct tb_replay_options - one replay.
 * @trace:         native trace (plain or gzip)
 * @path:          where the driver's commands go
 * @set/@nset:     "KEY=VALUE" overrides of model parameters (params.def) or
 *                 path parameters (path_params.def), after the trace's
 *                 platform line
 * @pace_recorded: issue no record earlier than its recorded time (relative
 *                 to the first record); default: as soon as the previous
 *                 one is done
 * @direct_rest_smmu: direct path: the commands a guest VCMDQ does not take
 *                 go straight to the SMMU CMDQ (a driver owning it, like the
 *                 host kernel with CMDQ-V) instead of through the trapped
 *                 emulated queue
 * @record:        write what the replayed model saw as a native trace (NULL: no)
 * @timeline:      Chrome/Perfetto trace-event JSON of batches and commands (NULL: no)
 * @progress:      called every @progress_every records and at the end (may be NULL)
 */
struct tb_replay_options {
	const char *trace;
	enum wl_path path;
	const char *const *set;
	size_t nset;
	bool pace_recorded;
	bool direct_rest_smmu;
	const char *record;
	const char *timeline;
	void (*progress)(void *ctx, const struct tb_replay_result *r,
			 bool done);
	void *progress_ctx;
	uint64_t progress_every;
};

/** Zero @o and set the defaults: host path, pace asap. */
void tb_replay_options_defaults(struct tb_replay_options *o);

/**
 * Replay @o->trace into @res (zeroed first).  Returns CMDQV_OK, or a status
 * with "FILE:LINE: error: ..." (or "FILE: error: ...") in @err: malformed
 * trace (CMDQV_EPARSE), bad override or platform (CMDQV_EKEY/EVALUE),
 * unreadable/unwritable file (CMDQV_EIO).  Hardware errors the trace causes
 * are results, not failures.
 */
int tb_replay_run(const struct tb_replay_options *o,
		  struct tb_replay_result *res, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_TB_REPLAY_H */
