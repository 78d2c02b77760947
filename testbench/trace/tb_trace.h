/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_trace.h - the native command trace (docs/trace-format.md): a streaming
 * reader and writer for the versioned line-oriented text format, and a
 * recorder that turns a model run (its trace records plus the queue entries
 * the driver placed in memory) into such a trace.
 *
 * The reader holds one line at a time (constant memory whatever the trace
 * length) and reads plain or gzip-compressed files alike (zlib gzopen).  A
 * malformed line is reported as "FILE:LINE: error: ..." and the reader stops.
 */
#ifndef CMDQV_TB_TRACE_H
#define CMDQV_TB_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmdqv_sim/config.h"
#include "cmdqv_sim/model.h"

#ifdef __cplusplus
extern "C" {
#endif

struct tb_mem;

/** Format version written in the header line "cmdqv-trace 1". */
#define TB_TRACE_VERSION 1
/** Longest line the reader accepts, in bytes (longer is a FILE:LINE error). */
#define TB_TRACE_LINE_MAX 4096
/** Most 64-bit words one "mw" record carries. */
#define TB_TRACE_MW_MAX 16
/** Longest source, phase or platform token. */
#define TB_TRACE_NAME_MAX 64

/** Record kinds (the KIND column). */
enum tb_trace_kind {
	TB_TR_RD, /* rd SPACE OFF SIZE VALUE: register read, VALUE as observed */
	TB_TR_WR, /* wr SPACE OFF SIZE VALUE: register write */
	TB_TR_POLL, /* poll SPACE OFF SIZE MASK VALUE: read until (reg & MASK) == VALUE */
	TB_TR_MW, /* mw ADDR W0 [W1 ...]: CPU write of 64-bit little-endian words */
	TB_TR_CMD, /* cmd QUEUE POS W0 W1 [known=M0:M1]: driver placed a command */
	TB_TR_PHASE, /* phase ID [NAME]: workload phase starts */
	TB_TR_BATCH, /* batch QUEUE PROD N: the preceding PROD write published N commands */
	TB_TR_RESET, /* reset [KEY=VALUE...]: a new platform instance starts (fresh model) */
};

/**
 * struct tb_trace_rec - one record, decoded.  Only the fields of @kind are
 * meaningful; the reader zeroes the others.
 * @time:      simulated time in picoseconds (non-decreasing along a trace)
 * @src:       actor that made the access ("cpu0", "smmu", ...)
 * @space:     register aperture (rd/wr/poll)
 * @offset:    register offset (rd/wr/poll)
 * @size:      access size in bytes, 4 or 8 (rd/wr/poll)
 * @value:     value read/written/expected (rd/wr/poll)
 * @mask:      poll mask
 * @addr:      first byte written (mw)
 * @words:     mw: @nwords words; cmd: words[0..1] = dw0, dw1
 * @nwords:    number of words (mw: 1..TB_TRACE_MW_MAX, cmd: 2)
 * @known:     cmd: bits of dw0/dw1 the source really knew (all ones unless
 *             the importer had to reconstruct the command from a log)
 * @queue:     cmd/batch: CMDQV_QUEUE_SMMU or a global VCMDQ number
 * @pos:       cmd: queue position {wrap, index}; batch: the PROD value
 * @count:     batch: commands published; reset: platform items it carries
 * @phase_id:  phase number
 * @name:      phase name ("" if none)
 */
struct tb_trace_rec {
	enum tb_trace_kind kind;
	uint64_t time;
	char src[TB_TRACE_NAME_MAX];
	enum cmdqv_space space;
	uint64_t offset;
	uint32_t size;
	uint64_t value;
	uint64_t mask;
	uint64_t addr;
	uint64_t words[TB_TRACE_MW_MAX];
	uint32_t nwords;
	uint64_t known[2];
	int32_t queue;
	uint32_t pos;
	uint32_t count;
	uint32_t phase_id;
	char name[TB_TRACE_NAME_MAX];
};

/* ---- reader ---- */

struct tb_trace_reader;

/**
 * Open @path (plain or gzip; "-" is stdin), check the header line and read
 * the optional "platform" line.  Returns CMDQV_OK, CMDQV_EIO (cannot open)
 * or CMDQV_EPARSE, with "FILE:LINE: error: ..." (or "FILE: error: ...") in
 * @err.
 */
int tb_trace_open(struct tb_trace_reader **out, const char *path, char *err,
		  size_t errlen);
/**
 * Read the next record into @rec.  Returns 1 for a record, 0 at the end of
 * the trace, or a negative CMDQV_* status (-CMDQV_EPARSE for a malformed
 * line, -CMDQV_EIO for a read error or truncated gzip stream) with the
 * message in @err.  Comment and blank lines are skipped.
 */
int tb_trace_next(struct tb_trace_reader *r, struct tb_trace_rec *rec,
		  char *err, size_t errlen);
/** Line number of the last line returned (1-based). */
unsigned long tb_trace_line(const struct tb_trace_reader *r);
/** File name as given to tb_trace_open. */
const char *tb_trace_path(const struct tb_trace_reader *r);
/** Number of "KEY=VALUE" items of the platform line (0 if there is none). */
size_t tb_trace_platform_count(const struct tb_trace_reader *r);
/** Item @i of the platform line. */
void tb_trace_platform_get(const struct tb_trace_reader *r, size_t i,
			   const char **key, const char **value);
/**
 * Apply the platform line to @cfg with cmdqv_config_set().  A key the model
 * does not know is an error ("FILE:LINE: error: platform: ...").
 */
int tb_trace_platform_apply(const struct tb_trace_reader *r,
			    struct cmdqv_config *cfg, char *err, size_t errlen);
/**
 * Apply the platform items of the last "reset" record read (none: no-op) to
 * @cfg, which the caller has set to defaults + tb_trace_platform_apply().
 */
int tb_trace_reset_apply(const struct tb_trace_reader *r,
			 struct cmdqv_config *cfg, char *err, size_t errlen);
void tb_trace_close(struct tb_trace_reader *r);

/* ---- writer ---- */

struct tb_trace_writer;

/**
 * Create @path ("-" is stdout).  A name ending in ".gz" is written
 * gzip-compressed.  @platform is the text after "platform " (NULL or "" for
 * no platform line).  Writes the header.
 */
int tb_trace_create(struct tb_trace_writer **out, const char *path,
		    const char *platform, char *err, size_t errlen);
/**
 * Append @rec.  @comment (may be NULL) is written after " # " on the same
 * line; a cmd record without comment gets its decode (cmd_format) there.
 * A reset record is written without platform items (tb_trace_write_reset).
 */
int tb_trace_write(struct tb_trace_writer *w, const struct tb_trace_rec *rec,
		   const char *comment);
/** Append a reset record carrying @platform (KEY=VALUE text, may be NULL). */
int tb_trace_write_reset(struct tb_trace_writer *w, uint64_t time,
			 const char *src, const char *platform);
/** Append a "# text" comment line. */
int tb_trace_comment(struct tb_trace_writer *w, const char *text);
/** Flush and close; returns CMDQV_OK or CMDQV_EIO (message in @err). Frees @w. */
int tb_trace_finish(struct tb_trace_writer *w, char *err, size_t errlen);

/**
 * Format @rec as one line (without newline) into @buf.  Returns the length
 * needed (snprintf convention).
 */
int tb_trace_format(const struct tb_trace_rec *rec, const char *comment,
		    char *buf, size_t len);
/**
 * Parse one record line (no header, no comment-only line) into @rec.
 * Returns CMDQV_OK or CMDQV_EPARSE with a reason (no file/line) in @err.
 */
int tb_trace_parse(const char *line, struct tb_trace_rec *rec, char *err,
		   size_t errlen);

/** Queue token: "smmu" for CMDQV_QUEUE_SMMU, "vcmdqN" otherwise, into @buf. */
void tb_trace_queue_name(int32_t queue, char *buf, size_t len);
/** A source / name token: [A-Za-z0-9_.:-]+, shorter than TB_TRACE_NAME_MAX. */
bool tb_trace_name_ok(const char *s);

/**
 * Platform line text for @cfg: every parameter of params.def as KEY=VALUE
 * (TIME values in ps).  Returns the length needed (snprintf convention).
 */
int tb_trace_platform_text(const struct cmdqv_config *cfg, char *buf,
			   size_t len);

/* ---- queue tracker ---- */

#define TB_QTRACK_QUEUES 129 /* SMMU CMDQ + up to 128 VCMDQs */

/** struct tb_qtrack_queue - a queue as its driver programmed it. */
struct tb_qtrack_queue {
	uint64_t base; /* address of entry 0 */
	uint32_t log2size; /* capped at 19 */
	uint32_t prod; /* last PROD written ({wrap, index} bits) */
	bool based; /* a base register write was seen */
};

/**
 * struct tb_qtrack - follows register writes to know every queue's base,
 * size and PROD (SMMU CMDQ_BASE/PROD, VCMDQ BASE_L/H and PROD_INDX through
 * the global pages or a VINTF's pages mapped by CMDQ_ALLOC).  Used by the
 * recorder and by replay.  Zero it (or tb_qtrack_reset) to start.
 */
struct tb_qtrack {
	struct tb_qtrack_queue
		q[TB_QTRACK_QUEUES]; /* [0] SMMU, [1 + n] VCMDQ n */
	uint32_t alloc[TB_QTRACK_QUEUES - 1]; /* CMDQ_ALLOC(q) as written */
};

/** Which queue register an offset is. */
enum tb_qreg { TB_QREG_NONE, TB_QREG_BASE, TB_QREG_PROD, TB_QREG_CONS };

void tb_qtrack_reset(struct tb_qtrack *t);
/** The tracked state of @queue (CMDQV_QUEUE_SMMU or a VCMDQ), NULL if out of range. */
struct tb_qtrack_queue *tb_qtrack_get(struct tb_qtrack *t, int32_t queue);
/** Classify a register offset; sets *@queue unless TB_QREG_NONE. */
enum tb_qreg tb_qtrack_reg(const struct tb_qtrack *t, enum cmdqv_space space,
			   uint64_t off, int32_t *queue);
/**
 * Follow one register write (base and CMDQ_ALLOC writes update the state).
 * Returns true for a PROD write, with *@queue and *@newprod (position bits);
 * the caller updates tb_qtrack_get()->prod when it has used the old value.
 */
bool tb_qtrack_write(struct tb_qtrack *t, enum cmdqv_space space, uint64_t off,
		     uint32_t size, uint64_t value, int32_t *queue,
		     uint32_t *newprod);

/* ---- recorder ---- */

struct tb_recorder;

/**
 * Start recording into @path.  @mem is the memory the driver writes its
 * queues into (the recorder reads newly published entries from it when it
 * sees a PROD write); @cfg is written as the platform line.  Attach
 * tb_recorder_trace (ctx = the recorder) as the model's trace observer, e.g.
 * with tb_native_set_trace().
 */
int tb_recorder_open(struct tb_recorder **out, const char *path,
		     struct tb_mem *mem, const struct cmdqv_config *cfg,
		     char *err, size_t errlen);
/**
 * Trace observer: writes rd/wr records (consecutive reads of one register
 * become one poll record ending at the last value), and cmd + batch records
 * around PROD writes.
 */
void tb_recorder_trace(void *ctx, const struct cmdqv_trace_rec *rec);
/**
 * A new platform instance starts (a fresh model with memory @mem, NULL to keep
 * the current one): writes a "reset" record, forgets queue bases, and offsets
 * later times so the trace stays monotonic.  Not needed for the first one.
 */
void tb_recorder_reset(struct tb_recorder *r, struct tb_mem *mem);
/**
 * Like tb_recorder_reset, and the reset record carries @cfg's platform items
 * (a replay rebuilds the model with them), for hosts whose platforms differ.
 */
void tb_recorder_reset_platform(struct tb_recorder *r, struct tb_mem *mem,
				const struct cmdqv_config *cfg);
/** Write a phase marker at the last recorded time. */
void tb_recorder_phase(struct tb_recorder *r, uint32_t id, const char *name);
/** Source token written on records (default "cpu0"). */
void tb_recorder_set_source(struct tb_recorder *r, const char *src);
/**
 * Source token from a path-model track name: "VM0/vCPU0" -> "VM0.vCPU0"
 * (a SOURCE has no '/').
 */
void tb_recorder_set_track(struct tb_recorder *r, const char *track);
/** Records written so far. */
uint64_t tb_recorder_records(const struct tb_recorder *r);
/** Finish the file; reports the first write error if any. Frees @r. */
int tb_recorder_close(struct tb_recorder *r, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_TB_TRACE_H */
