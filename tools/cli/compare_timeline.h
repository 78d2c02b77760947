/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_timeline.h - `compare --timeline FILE`: Chrome / Perfetto
 * trace-event JSON (the "JSON Object Format" with a traceEvents array) of
 * what happened during each workload point: the actors' stages (vCPUs, VMM
 * threads, kernel threads) and the hardware queues' activity (commands
 * executing, fetch bursts, ATS requests, errors). Each point is one
 * "process"; each actor or queue is one "thread" track. Written as a
 * stream, so memory does not grow with the run; only events that start in
 * the first @window of each point are kept so files stay openable.
 * Format: docs/output-formats.md.
 */
#ifndef CMDQV_CLI_COMPARE_TIMELINE_H
#define CMDQV_CLI_COMPARE_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "cmdqv_sim/model.h"
#include "cmdqv_sim/sim.h"

struct cmp_timeline;

/**
 * Start writing @path (created or truncated). @window: simulated time per
 * point to record (SIM_TIME_NEVER = everything). Returns NULL with a
 * message in @err on failure.
 */
struct cmp_timeline *cmp_timeline_open(const char *path, sim_time_t window,
				       char *err, size_t errlen);

/** Begin a new point (a new process track named @label). */
void cmp_timeline_point(struct cmp_timeline *tl, const char *label);

/** An actor spent [@start, @end) in stage @name; @track names the actor. */
void cmp_timeline_span(struct cmp_timeline *tl, const char *track,
		       const char *name, sim_time_t start, sim_time_t end);

/** One model trace record (queue activity). */
void cmp_timeline_trace(struct cmp_timeline *tl,
			const struct cmdqv_trace_rec *rec);

/**
 * Finish the document and close the file. Returns 0, or -1 with a message
 * in @err if any write failed. Always frees @tl.
 */
int cmp_timeline_close(struct cmp_timeline *tl, char *err, size_t errlen);

#endif /* CMDQV_CLI_COMPARE_TIMELINE_H */
