/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_timeline.h - a streamed Chrome / Perfetto trace-event JSON writer
 * (the "JSON Object Format": an object with a traceEvents array), shared by
 * `compare --timeline` and `replay --timeline`.  Every string passes through
 * one escaping routine; times are simulated picoseconds written as the
 * format's microseconds, exactly.  Nothing is kept in memory but the file.
 */
#ifndef CMDQV_TB_TIMELINE_H
#define CMDQV_TB_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cmdqv_sim/sim.h"

#ifdef __cplusplus
extern "C" {
#endif

/** struct tb_timeline - one timeline file being written. */
struct tb_timeline {
	FILE *f;
	bool first; /* no event written yet (no comma needed) */
};

/**
 * Create @path and write the document head; @generator goes into
 * otherData.generator.  Returns 0, or -1 with a message in @err.
 */
int tb_timeline_open(struct tb_timeline *tl, const char *path,
		     const char *generator, char *err, size_t errlen);
/** Name process @pid @name and give it sort index @sort. */
void tb_timeline_process(struct tb_timeline *tl, unsigned pid, const char *name,
			 unsigned sort);
/** Name thread @tid of @pid @name and give it sort index @sort. */
void tb_timeline_thread(struct tb_timeline *tl, unsigned pid, unsigned tid,
			const char *name, unsigned sort);
/**
 * A complete event @name of category @cat on (@pid, @tid) over
 * [@start, @end); with @has_n an argument "n": @n.
 */
void tb_timeline_complete(struct tb_timeline *tl, unsigned pid, unsigned tid,
			  const char *name, const char *cat, sim_time_t start,
			  sim_time_t end, bool has_n, uint64_t n);
/** An instant event (thread scope). */
void tb_timeline_instant(struct tb_timeline *tl, unsigned pid, unsigned tid,
			 const char *name, const char *cat, sim_time_t t);
/** Finish the document and close the file: 0, or -1 if a write failed. */
int tb_timeline_close(struct tb_timeline *tl);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_TB_TIMELINE_H */
