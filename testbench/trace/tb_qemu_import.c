/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_qemu_import.c - QEMU 7.2 smmu* trace log -> native trace (tb_qemu_import.h).
 *
 * Two streaming passes over the log, each holding one line:
 *  1. syntax check, IDR values (for the platform line) and the AIDR read
 *     groups (phase markers; a group can only be closed by looking ahead);
 *  2. conversion.  Per QEMU thread a small state: the command being
 *     assembled from its consume/opcode/detail lines and the batch opened
 *     by its first consume line, closed by that thread's next write_mmio
 *     (QEMU prints the write after the consumption it caused,
 *     QEMU 7.2 hw/arm/trace-events).
 * Memory is constant in the log length except for the dump (read whole,
 * bounded by the largest queue: 2^19 entries x 16 bytes).
 */
#define _POSIX_C_SOURCE 200809L /* strdup, unlink */
#include "tb_qemu_import.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/regmap.h"
#include "cmdqv_sim/ring.h"
#include "tb_gzline.h"
#include "tb_qemu_int.h"
#include "tb_trace.h"
#include "tb_util.h"

#define QI_LINE_MAX 4096
#define QI_MAX_TIDS 256 /* QEMU threads that print smmu events (vCPUs, I/O) */
#define QI_DUMP_MAX \
	((size_t)16 << 20) /* 2^20 entries x 16 bytes, above any CMDQ */
#define QI_DEFAULT_L2S 19 /* IDR1.CMDQS max when no CMDQ_BASE write is seen */

/* SMMU register offsets and fields: cmdqv_sim/regmap.h. */

/* ------------------------------------------------------------------ */

/** struct qi_line - one parsed log line (pointers into the line buffer). */
struct qi_line {
	bool has_tid;
	uint32_t tid;
	uint64_t t_us;
	char event[48];
	const char *args;
};

/** struct qi_group - one run of AIDR reads (a phase marker). */
struct qi_group {
	unsigned long last_line;
	uint64_t last_us;
	uint32_t count;
};

/** struct qi_tid - per QEMU thread state. */
struct qi_tid {
	uint32_t tid;
	int cpu; /* -1 until the thread writes its first record */
	char src[16];
	struct qi_cmd cur;
	bool batch_open;
	uint64_t batch_ps;
	uint32_t batch_n;
	int last_wr_off; /* offset of this thread's previous MMIO if it was a write, else -1 */
	bool drained; /* smmuv3_cmdq_consume_out seen, the write that drained not yet */
	unsigned long drained_line; /* line of that consume_out */
};

/** struct qi_ctx - one import in progress. */
struct qi_ctx {
	const struct tb_qemu_options *o;
	struct tb_qemu_summary *s;
	gzFile gz;
	char buf[QI_LINE_MAX + 2];
	unsigned long line;
	struct qi_tid tids[QI_MAX_TIDS];
	int ntids;
	int ncpus;
	struct qi_group *groups; /* one per marker group: few, grown as found */
	int ngroups;
	int cap_groups;
	int next_group;
	struct {
		uint32_t id;
		char name[TB_TRACE_NAME_MAX];
	} marks[TB_QEMU_MAX_PHASES];
	int nmarks;
	bool have_idr[6];
	uint32_t idr[6];
	bool have_t0;
	uint64_t t0_us;
	uint64_t last_ps;
	struct tb_trace_writer *w;
	uint8_t *dump;
	size_t dump_len;
	uint64_t dump_base;
	bool have_dump_base;
	bool have_qbase;
	uint64_t qbase;
	uint32_t log2size;
	bool have_last_pos;
	uint32_t last_pos;
	bool retry_ok;
	int prefix_mode; /* 0 unknown, 1 every line has TID@TIME:, 2 none has */
	uint64_t smmuv3_lines; /* pass 1: lines of smmuv3_* events */
	char *err;
	size_t errlen;
};

static int qi_fail(struct qi_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tb_verrf_at(c->err, c->errlen, c->o->log, c->line, fmt, ap);
	va_end(ap);
	return 2;
}

/* ------------------------------------------------------------------ */
/* line reading and syntax                                             */
/* ------------------------------------------------------------------ */

/* 1 = line in c->buf, 0 = EOF, 2 = error (message set). */
static int qi_getline(struct qi_ctx *c)
{
	struct tb_gzline_why why;

	switch (tb_gzline(c->gz, c->buf, sizeof(c->buf), &why)) {
	case TB_GZL_EOF:
		return 0;
	case TB_GZL_EIO:
		c->line++;
		return qi_fail(c, "read failed: %s%s", why.zmsg,
			       why.truncated ? " (truncated gzip file)" : "");
	case TB_GZL_LONG:
		c->line++;
		return qi_fail(c, "line longer than %d bytes", QI_LINE_MAX);
	case TB_GZL_EIO_LAST:
		c->line++;
		return qi_fail(c, "read failed: %s (truncated gzip file)",
			       why.zmsg);
	case TB_GZL_LINE:
		break;
	}
	c->line++;
	if (why.unterminated)
		return qi_fail(c, "incomplete last line (truncated log?)");
	return 1;
}

static bool qi_digits(const char **p, uint64_t *v, int maxd)
{
	int n = 0;
	uint64_t x = 0;

	while (isdigit((unsigned char)**p) && n < maxd) {
		x = x * 10 + (uint64_t)(**p - '0');
		(*p)++;
		n++;
	}
	*v = x;
	return n > 0 && !isdigit((unsigned char)**p);
}

/* "TID@SEC.USEC:event args" or "event args" (QEMU 7.2 hw/arm/trace-events). 0
 * ok, -1 bad. */
static int qi_parse_line(const char *s, struct qi_line *l)
{
	const char *p = s;
	uint64_t v, sec, usec;

	memset(l, 0, sizeof(*l));
	if (isdigit((unsigned char)*p)) {
		if (!qi_digits(&p, &v, 10) || *p != '@' || v > UINT32_MAX)
			return -1;
		l->has_tid = true;
		l->tid = (uint32_t)v;
		p++;
		if (!qi_digits(&p, &sec, 12) || *p != '.')
			return -1;
		p++;
		const char *u = p;
		if (!qi_digits(&p, &usec, 6) || p - u != 6 || *p != ':')
			return -1;
		p++;
		l->t_us = sec * 1000000ull + usec;
	}
	size_t n = 0;
	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	if (n == 0 || n >= sizeof(l->event) || (p[n] && p[n] != ' '))
		return -1;
	memcpy(l->event, p, n);
	l->event[n] = '\0';
	l->args = p[n] ? p + n + 1 : p + n;
	return 0;
}

/* Parse c->buf; every line must have the shape of the first (-msg timestamp=on or not). */
static int qi_check_line(struct qi_ctx *c, struct qi_line *l)
{
	if (qi_parse_line(c->buf, l))
		return qi_fail(
			c, "not a QEMU trace line ('TID@SEC.USEC:event args')");
	int mode = l->has_tid ? 1 : 2;
	if (!c->prefix_mode)
		c->prefix_mode = mode;
	if (mode != c->prefix_mode)
		return qi_fail(
			c,
			"not a QEMU trace line: %s 'TID@SEC.USEC:' prefix unlike the first line",
			l->has_tid ? "has a" : "lacks the");
	return 0;
}

/* Count an event line in the summary. */
static void qi_count_event(struct qi_ctx *c, const char *name, bool understood)
{
	struct tb_qemu_summary *s = c->s;

	if (!understood)
		s->not_understood++;
	for (size_t i = 0; i < s->nevents; i++)
		if (!strcmp(s->events[i].name, name)) {
			s->events[i].count++;
			return;
		}
	if (s->nevents == TB_QEMU_MAX_EVENT_NAMES) {
		/* the last slot gathers the rest, so nothing is dropped */
		snprintf(s->events[TB_QEMU_MAX_EVENT_NAMES - 1].name,
			 sizeof(s->events[0].name), "(other events)");
		s->events[TB_QEMU_MAX_EVENT_NAMES - 1].count++;
		s->events[TB_QEMU_MAX_EVENT_NAMES - 1].understood = false;
		return;
	}
	snprintf(s->events[s->nevents].name, sizeof(s->events[0].name), "%s",
		 name);
	s->events[s->nevents].count = 1;
	s->events[s->nevents].understood = understood;
	s->nevents++;
}

/* smmuv3_read_mmio / write_mmio: "addr: 0x%x val:0x%x size: 0x%x(%d)". */
static int qi_parse_mmio(const char *a, uint64_t *off, uint64_t *val,
			 unsigned *size)
{
	unsigned sz;
	int res, n = -1;

	if (sscanf(a, "addr: 0x%" SCNx64 " val:0x%" SCNx64 " size: 0x%x(%d)%n",
		   off, val, &sz, &res, &n) != 4 ||
	    n < 0 || a[n] != '\0')
		return -1;
	/* a native trace holds only naturally aligned 4/8-byte accesses whose
	 * value fits the access */
	if ((sz != 4 && sz != 8) || *off % sz || (sz == 4 && *val >> 32))
		return -1;
	*size = sz;
	return 0;
}

/* ------------------------------------------------------------------ */
/* pass 1                                                              */
/* ------------------------------------------------------------------ */

static int qi_open_log(struct qi_ctx *c)
{
	c->gz = gzopen(c->o->log, "rb");
	c->line = 0;
	c->prefix_mode = 0;
	if (!c->gz) {
		snprintf(c->err, c->errlen, "%s: error: cannot open",
			 c->o->log);
		return 2;
	}
	gzbuffer(c->gz, 1 << 16);
	return 0;
}

static int qi_pass1(struct qi_ctx *c)
{
	struct qi_line l;
	int rc;
	struct qi_group *g = NULL;

	if ((rc = qi_open_log(c)))
		return rc;
	while ((rc = qi_getline(c)) == 1) {
		if (!c->buf[0])
			continue;
		if (qi_check_line(c, &l))
			return 2;
		if (!strncmp(l.event, "smmuv3_", 7))
			c->smmuv3_lines++;
		if (strcmp(l.event, "smmuv3_read_mmio") &&
		    strcmp(l.event, "smmuv3_write_mmio"))
			continue;
		uint64_t off, val;
		unsigned size;
		if (qi_parse_mmio(l.args, &off, &val, &size))
			return qi_fail(c, "malformed %s arguments '%s'",
				       l.event, l.args);
		if (l.event[7] != 'r')
			continue;
		if (off <= SMMU_IDR5 && off % 4 == 0 && off / 4 < 6) {
			c->have_idr[off / 4] = true;
			c->idr[off / 4] = (uint32_t)val;
		}
		if (off != SMMU_AIDR)
			continue;
		/* phase markers: N AIDR reads before phase N (README of the traces) */
		if (g && l.t_us - g->last_us <= c->o->phase_gap_us) {
			g->count++;
		} else {
			if (c->ngroups == c->cap_groups) {
				int cap = c->cap_groups ? 2 * c->cap_groups :
							  64;
				struct qi_group *ng = realloc(
					c->groups, (size_t)cap * sizeof(*ng));
				if (!ng)
					return qi_fail(c, "out of memory");
				c->groups = ng;
				c->cap_groups = cap;
			}
			g = &c->groups[c->ngroups++];
			g->count = 1;
		}
		g->last_line = c->line;
		g->last_us = l.t_us;
	}
	gzclose(c->gz);
	c->gz = NULL;
	if (rc == 0 && !c->smmuv3_lines) {
		/* an empty or unrelated file is not an empty SMMU session */
		tb_errf_at(
			c->err, c->errlen, c->o->log, 1,
			"no QEMU SMMUv3 trace events (smmuv3_*) in %lu line%s "
			"(not a -trace 'smmu*' log?)",
			c->line, c->line == 1 ? "" : "s");
		return 2;
	}
	return rc == 0 ? 0 : rc;
}

/* ------------------------------------------------------------------ */
/* output helpers                                                      */
/* ------------------------------------------------------------------ */

static uint64_t qi_time_ps(struct qi_ctx *c, const struct qi_line *l)
{
	if (!l->has_tid)
		return c->last_ps;
	if (!c->have_t0) {
		c->have_t0 = true;
		c->t0_us = l->t_us;
	}
	uint64_t ps = l->t_us >= c->t0_us ? (l->t_us - c->t0_us) * 1000000ull :
					    0;
	/* host threads' clocks interleave slightly: keep the trace monotonic */
	return ps < c->last_ps ? c->last_ps : ps;
}

static void qi_emit(struct qi_ctx *c, struct tb_trace_rec *r,
		    const char *comment)
{
	if (r->time < c->last_ps)
		r->time = c->last_ps;
	c->last_ps = r->time;
	tb_trace_write(c->w, r, comment);
	c->s->records++;
}

static struct qi_tid *qi_tid_get(struct qi_ctx *c, uint32_t tid)
{
	for (int i = 0; i < c->ntids; i++)
		if (c->tids[i].tid == tid)
			return &c->tids[i];
	if (c->ntids == QI_MAX_TIDS)
		return NULL;
	struct qi_tid *t = &c->tids[c->ntids++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->cpu = -1;
	t->last_wr_off = -1;
	return t;
}

/* Source name of a thread; numbered in order of its first record (vCPU threads). */
static const char *qi_src(struct qi_ctx *c, struct qi_tid *t)
{
	if (t->cpu < 0) {
		char text[96];
		t->cpu = c->ncpus++;
		snprintf(text, sizeof(text), "cpu%d = QEMU thread %" PRIu32,
			 t->cpu, t->tid);
		tb_trace_comment(c->w, text);
	}
	snprintf(t->src, sizeof(t->src), "cpu%d", t->cpu);
	return t->src;
}

/* Geometry of the SMMU CMDQ as the log last programmed it. */
static struct ring qi_ring(const struct qi_ctx *c)
{
	struct ring r = { .log2size = (uint8_t)c->log2size };

	return r;
}

/* ------------------------------------------------------------------ */
/* command reconstruction (decoding: tb_qemu_cmd.c)                    */
/* ------------------------------------------------------------------ */

static int qi_cmd_finish(struct qi_ctx *c, struct qi_tid *t)
{
	struct qi_cmd *q = &t->cur;
	struct tb_qemu_summary *s = c->s;
	uint64_t w[2], uk[2];
	char comment[200];

	if (!q->active)
		return 0;
	q->active = false;
	if (!q->has_opcode)
		return 0; /* consume line of a halted queue: no command read (QEMU 7.2 hw/arm/trace-events) */
	qi_cmd_build(q, w, uk);
	bool from_dump = false;
	if (c->dump) {
		uint64_t qbase = c->have_qbase ? c->qbase : c->dump_base;
		uint64_t addr = ring_entry_addr(qi_ring(c), qbase, q->pos);
		if (addr >= c->dump_base &&
		    addr - c->dump_base + 16 <= c->dump_len) {
			const uint8_t *e = c->dump + (addr - c->dump_base);
			uint64_t d[2] = { 0, 0 };
			for (int i = 7; i >= 0; i--) {
				d[0] = d[0] << 8 | e[i];
				d[1] = d[1] << 8 | e[8 + i];
			}
			/* the dump holds the last lap only: accept it where it agrees */
			if (((d[0] ^ w[0]) & ~uk[0]) == 0 &&
			    ((d[1] ^ w[1]) & ~uk[1]) == 0) {
				w[0] = d[0];
				w[1] = d[1];
				uk[0] = uk[1] = 0;
				from_dump = true;
				s->from_dump++;
			} else {
				s->dump_mismatch++;
			}
		}
	}
	struct tb_trace_rec r = { .kind = TB_TR_CMD,
				  .time = t->batch_ps,
				  .queue = CMDQV_QUEUE_SMMU,
				  .pos = q->pos,
				  .nwords = 2 };
	snprintf(r.src, sizeof(r.src), "%s", qi_src(c, t));
	r.words[0] = w[0];
	r.words[1] = w[1];
	r.known[0] = ~uk[0];
	r.known[1] = ~uk[1];
	uint8_t op = q->opcode >= 0 ? (uint8_t)q->opcode : 0;
	if (uk[0] || uk[1]) {
		s->partial++;
		s->partial_by_opcode[op]++;
		s->unknown_mask_w0[op] |= uk[0];
		s->unknown_mask_w1[op] |= uk[1];
	}
	struct cmd k;
	cmd_decode(w, &k);
	int n = cmd_format(&k, comment, sizeof(comment));
	if (n >= 0 && (size_t)n < sizeof(comment))
		snprintf(comment + n, sizeof(comment) - (size_t)n, "%s%s%s",
			 from_dump ? " [dump]" : "",
			 (uk[0] || uk[1]) ? " [partial]" : "",
			 q->failed ? " [error]" : "");
	qi_emit(c, &r, comment);
	s->commands++;
	s->by_opcode[op]++;
	t->batch_n++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* pass 2                                                              */
/* ------------------------------------------------------------------ */

static void qi_emit_phase(struct qi_ctx *c, uint32_t id, const char *name,
			  uint64_t t)
{
	struct tb_trace_rec r = { .kind = TB_TR_PHASE,
				  .time = t,
				  .phase_id = id };

	snprintf(r.src, sizeof(r.src), "marker");
	if (name)
		snprintf(r.name, sizeof(r.name), "%s", name);
	qi_emit(c, &r, NULL);
	c->s->phases++;
}

static const char *qi_mark_name(const struct qi_ctx *c, uint32_t id, int *idx)
{
	for (int i = 0; i < c->nmarks; i++)
		if (c->marks[i].id == id) {
			if (idx)
				*idx = i;
			return c->marks[i].name;
		}
	return NULL;
}

/* A marker group of @n reads; the dmesg may show it was two back-to-back marks. */
static void qi_phase_group(struct qi_ctx *c, uint32_t n, uint64_t t)
{
	if (qi_mark_name(c, n, NULL) || !c->nmarks) {
		qi_emit_phase(c, n, qi_mark_name(c, n, NULL), t);
		return;
	}
	for (int i = 0; i + 1 < c->nmarks; i++)
		if (c->marks[i].id + c->marks[i + 1].id == n) {
			qi_emit_phase(c, c->marks[i].id, c->marks[i].name, t);
			qi_emit_phase(c, c->marks[i + 1].id,
				      c->marks[i + 1].name, t);
			return;
		}
	qi_emit_phase(c, n, NULL, t);
}

static int qi_on_mmio(struct qi_ctx *c, const struct qi_line *l,
		      struct qi_tid *t)
{
	uint64_t off = 0, val = 0;
	unsigned size = 0;
	bool wr = l->event[7] == 'w';

	if (qi_parse_mmio(l->args, &off, &val,
			  &size)) /* checked in pass 1 already */
		return qi_fail(c, "malformed %s arguments '%s'", l->event,
			       l->args);
	qi_count_event(c, l->event, true);
	int rc = qi_cmd_finish(c, t);
	if (rc)
		return rc;
	if (t->drained) {
		/* QEMU drains the queue only inside a CMDQ_PROD, CR0 or GERRORN write and
                 * prints that write right after smmuv3_cmdq_consume_out (QEMU
                 * 7.2 hw/arm/trace-events) */
		if (!wr || (off != SMMU_CMDQ_PROD && off != SMMU_CR0 &&
			    off != SMMU_GERRORN))
			return qi_fail(
				c,
				"smmuv3_cmdq_consume_out at line %lu is followed by %s "
				"0x%" PRIx64
				", not by the CMDQ_PROD (0x98), CR0 (0x20) "
				"or GERRORN (0x64) write that drained the queue "
				"(lost log line?)",
				t->drained_line, l->event, off);
		t->drained = false;
	}
	uint64_t now = qi_time_ps(c, l);
	struct tb_trace_rec r = { .kind = wr ? TB_TR_WR : TB_TR_RD,
				  .space = CMDQV_SPACE_SMMU,
				  .offset = off,
				  .size = size,
				  .value = val };
	snprintf(r.src, sizeof(r.src), "%s", qi_src(c, t));
	/* the write happened before the consumption it caused (QEMU 7.2
	 * hw/arm/trace-events) */
	r.time = wr && t->batch_open ? t->batch_ps : now;
	if (!wr) {
		/* reads the driver repeats until they match: poll records */
		if (off == SMMU_CMDQ_CONS && t->last_wr_off == SMMU_CMDQ_PROD) {
			r.kind = TB_TR_POLL;
			r.mask = ring_pos_mask(qi_ring(c));
			r.value = val & r.mask;
		} else if ((off == SMMU_CR0ACK && t->last_wr_off == SMMU_CR0) ||
			   (off == SMMU_IRQ_CTRLACK &&
			    t->last_wr_off == SMMU_IRQ_CTRL)) {
			r.kind = TB_TR_POLL;
			r.mask = 0xFFFFFFFFu;
		} else if (off == SMMU_GBPA && t->last_wr_off == SMMU_GBPA) {
			r.kind = TB_TR_POLL; /* GBPA.UPDATE clears when done */
			r.mask = (uint32_t)CMDQV_FIELD_MASK(SMMU_GBPA_UPDATE);
			r.value = val & r.mask;
		}
	}
	if (wr && off == SMMU_CMDQ_BASE && size == 8) {
		/* QEMU caps LOG2SIZE at 19 */
		c->have_qbase = true;
		c->qbase = val & CMDQV_FIELD_MASK(SMMU_Q_BASE_ADDR);
		c->log2size =
			(uint32_t)CMDQV_FIELD_EX(val, SMMU_Q_BASE_LOG2SIZE);
		if (c->log2size > QI_DEFAULT_L2S)
			c->log2size = QI_DEFAULT_L2S;
		c->have_last_pos = false;
	}
	if (wr && off == SMMU_CMDQ_CONS)
		c->have_last_pos = false;
	qi_emit(c, &r, NULL);
	c->s->mmio++;
	if (wr && off == SMMU_CMDQ_PROD) {
		struct tb_trace_rec b = { .kind = TB_TR_BATCH,
					  .time = r.time,
					  .queue = CMDQV_QUEUE_SMMU,
					  .pos = (uint32_t)val &
						 ring_pos_mask(qi_ring(c)),
					  .count = t->batch_n };
		snprintf(b.src, sizeof(b.src), "%s", qi_src(c, t));
		qi_emit(c, &b, NULL);
		c->s->prod_writes++;
		if (t->batch_n)
			c->s->batches++;
	}
	if (wr) {
		t->batch_open = false;
		t->batch_n = 0;
	}
	t->last_wr_off = wr ? (int)off : -1;
	/* phase marker after the last AIDR read of a group */
	if (!wr && off == SMMU_AIDR && c->next_group < c->ngroups &&
	    c->groups[c->next_group].last_line == c->line) {
		qi_phase_group(c, c->groups[c->next_group].count, r.time);
		c->next_group++;
	}
	return 0;
}

static int qi_on_consume(struct qi_ctx *c, const struct qi_line *l,
			 struct qi_tid *t)
{
	int prod, cons, pw, cw, n = -1;

	if (sscanf(l->args, "prod=%d cons=%d prod.wrap=%d cons.wrap=%d%n",
		   &prod, &cons, &pw, &cw, &n) != 4 ||
	    n < 0 || l->args[n] || prod < 0 || cons < 0 ||
	    (pw != 0 && pw != 1) || (cw != 0 && cw != 1))
		return qi_fail(c,
			       "malformed smmuv3_cmdq_consume arguments '%s'",
			       l->args);
	struct ring ring = qi_ring(c);
	if ((uint32_t)cons >= ring_entries(ring) ||
	    (uint32_t)prod >= ring_entries(ring))
		return qi_fail(c, "queue index %d outside a 2^%u-entry queue",
			       cons, c->log2size);
	int rc = qi_cmd_finish(c, t);
	if (rc)
		return rc;
	if (t->drained)
		return qi_fail(
			c,
			"commands consumed without the register write that consumed them: "
			"smmuv3_cmdq_consume_out at line %lu is not followed by a "
			"CMDQ_PROD (0x98), CR0 (0x20) or GERRORN (0x64) smmuv3_write_mmio "
			"(lost log line?)",
			t->drained_line);
	uint32_t pos = ((uint32_t)cw << c->log2size) | (uint32_t)cons;
	if (c->have_last_pos) {
		uint32_t expect = ring_add(ring, c->last_pos, 1);
		bool retry = c->retry_ok && pos == c->last_pos;
		if (pos != expect && !retry)
			return qi_fail(
				c,
				"non-monotonic queue index: cons=%d wrap=%d after index %u "
				"wrap %u (expected index %u wrap %u)",
				cons, cw, ring_idx(ring, c->last_pos),
				ring_wrap(ring, c->last_pos),
				ring_idx(ring, expect),
				ring_wrap(ring, expect));
	}
	if (!t->batch_open) {
		t->batch_open = true;
		t->batch_ps = qi_time_ps(c, l);
		t->batch_n = 0;
	}
	memset(&t->cur, 0, sizeof(t->cur));
	t->cur.active = true;
	t->cur.opcode = -1;
	t->cur.pos = pos;
	t->cur.line = c->line;
	return 0;
}

/* Record that this position was really consumed (an opcode line followed). */
static void qi_consumed(struct qi_ctx *c, struct qi_tid *t)
{
	c->last_pos = t->cur.pos;
	c->have_last_pos = true;
	c->retry_ok = false;
}

static int qi_need_cmd(struct qi_ctx *c, const struct qi_line *l,
		       struct qi_tid *t)
{
	if (!t->cur.active || !t->cur.has_opcode)
		return qi_fail(
			c, "%s without a command being consumed (corrupt log?)",
			l->event);
	return 0;
}

/*
 * Event @e whose arguments @a are one number, exactly @fmt (one %u or %x,
 * then %n): the number in *@v and *@have set; else the malformed-arguments
 * error.
 */
static int qi_one_number(struct qi_ctx *c, const char *e, const char *a,
			 const char *fmt, uint32_t *v, bool *have)
{
	unsigned x;
	int n = -1;

	if (sscanf(a, fmt, &x, &n) != 1 || n < 0 || a[n])
		return qi_fail(c, "malformed %s arguments '%s'", e, a);
	*v = x;
	*have = true;
	return 0;
}

static int qi_on_cmd_event(struct qi_ctx *c, const struct qi_line *l,
			   struct qi_tid *t)
{
	struct qi_cmd *q = &t->cur;
	const char *a = l->args;
	const char *e = l->event;
	int n = -1, rc;

	if (!strcmp(e, "smmuv3_cmdq_opcode")) {
		if (!q->active || q->has_opcode)
			return qi_fail(
				c,
				"smmuv3_cmdq_opcode without its smmuv3_cmdq_consume line");
		if (strncmp(a, "<--- ", 5) || !a[5])
			return qi_fail(
				c,
				"malformed smmuv3_cmdq_opcode arguments '%s'",
				a);
		q->has_opcode = true;
		q->opcode = qi_opcode(a + 5);
		qi_consumed(c, t);
		return 0;
	}
	if (!strcmp(e, "smmuv3_cmdq_consume_out")) {
		int p, cs, pw, cw;
		if (sscanf(a, "prod:%d, cons:%d, prod_wrap:%d, cons_wrap:%d%n",
			   &p, &cs, &pw, &cw, &n) != 4 ||
		    n < 0)
			return qi_fail(
				c,
				"malformed smmuv3_cmdq_consume_out arguments '%s'",
				a);
		if ((rc = qi_cmd_finish(c, t)))
			return rc;
		if (t->drained)
			return qi_fail(
				c,
				"second smmuv3_cmdq_consume_out without the register write "
				"of the one at line %lu (lost log line?)",
				t->drained_line);
		t->drained = true;
		t->drained_line = c->line;
		if (!t->batch_open) {
			/* a CR0 write that found the queue empty (QEMU 7.2
			 * hw/arm/trace-events) */
			t->batch_open = true;
			t->batch_ps = qi_time_ps(c, l);
			t->batch_n = 0;
		}
		return 0;
	}
	if ((rc = qi_need_cmd(c, l, t)))
		return rc;
	if (!strcmp(e, "smmuv3_s1_range_inval") ||
	    !strcmp(e, "smmuv3_range_inval")) {
		int vmid, asid, tg, ttl, leaf, stage;
		uint64_t addr, pages;
		int k = sscanf(a,
			       "vmid=%d asid=%d addr=0x%" SCNx64
			       " tg=%d num_pages=0x%" SCNx64
			       " ttl=%d leaf=%d%n",
			       &vmid, &asid, &addr, &tg, &pages, &ttl, &leaf,
			       &n);
		if (k != 7 || n < 0 ||
		    (a[n] && sscanf(a + n, " stage=%d", &stage) != 1))
			return qi_fail(c, "malformed %s arguments '%s'", e, a);
		if (!q->have_chunks) {
			q->have_chunks = true;
			q->vmid = vmid;
			q->va_asid = asid;
			q->addr = addr;
			q->tg = (uint32_t)tg & 3;
			q->ttl = (uint32_t)ttl & 3;
			q->leaf = (uint32_t)leaf & 1;
		} else if (addr != q->next_addr) {
			q->chunks_bad = true;
		}
		q->pages += pages;
		q->next_addr = addr + (pages << (q->tg ? q->tg * 2 + 10 : 12));
		return 0;
	}
	if (!strcmp(e, "smmuv3_cmdq_tlbi_nh_asid"))
		return qi_one_number(c, e, a, "asid=%u%n", &q->asid,
				     &q->have_asid);
	if (!strcmp(e, "smmuv3_cmdq_tlbi_nh") ||
	    !strcmp(e, "smmuv3_cmdq_tlbi_nsnh"))
		return 0;
	if (!strcmp(e, "smmuv3_cmdq_cfgi_ste"))
		return qi_one_number(c, e, a, "streamid= 0x%x%n", &q->sid,
				     &q->have_sid);
	if (!strcmp(e, "smmuv3_cmdq_cfgi_ste_range")) {
		uint64_t s0, s1;
		if (sscanf(a, "start=0x%" SCNx64 " - end=0x%" SCNx64 "%n", &s0,
			   &s1, &n) != 2 ||
		    n < 0 || a[n] || s1 < s0)
			return qi_fail(c, "malformed %s arguments '%s'", e, a);
		q->have_range = true;
		q->start = s0;
		q->end = s1;
		return 0;
	}
	if (!strcmp(e, "smmuv3_cmdq_cfgi_cd"))
		return qi_one_number(c, e, a, "sid=0x%x%n", &q->sid,
				     &q->have_sid);
	if (!strcmp(e, "smmuv3_unhandled_cmd")) {
		int type;
		if (sscanf(a, "Unhandled command type=%d%n", &type, &n) != 1 ||
		    n < 0 || a[n] || type < 0 || type > 255)
			return qi_fail(c, "malformed %s arguments '%s'", e, a);
		if (q->opcode < 0)
			q->opcode = type;
		return 0;
	}
	if (!strcmp(e, "smmuv3_cmdq_consume_error")) {
		q->failed = true;
		c->retry_ok =
			true; /* the queue halts on this entry; it is read again */
		return 0;
	}
	return 0;
}

static bool qi_is_cmd_event(const char *e)
{
	static const char *const names[] = {
		"smmuv3_cmdq_opcode",	      "smmuv3_cmdq_consume_out",
		"smmuv3_s1_range_inval",      "smmuv3_range_inval",
		"smmuv3_cmdq_tlbi_nh_asid",   "smmuv3_cmdq_tlbi_nh",
		"smmuv3_cmdq_tlbi_nsnh",      "smmuv3_cmdq_cfgi_ste",
		"smmuv3_cmdq_cfgi_ste_range", "smmuv3_cmdq_cfgi_cd",
		"smmuv3_unhandled_cmd",	      "smmuv3_cmdq_consume_error",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(e, names[i]))
			return true;
	return false;
}

/* Events the importer knows and deliberately does not need (translation, caches). */
static bool qi_is_known_other(const char *e)
{
	static const char *const prefixes[] = {
		"smmu_add_mr",
		"smmu_ptw_",
		"smmu_get_pte",
		"smmu_iotlb_",
		"smmu_inv_notifiers",
		"smmuv3_translate_",
		"smmuv3_config_cache",
		"smmuv3_find_ste",
		"smmuv3_get_ste",
		"smmuv3_get_cd",
		"smmuv3_decode_cd",
		"smmuv3_record_event",
		"smmuv3_notify_flag",
		"smmuv3_inv_notifiers",
		"smmuv3_write_gerror",
		"smmuv3_trigger_irq",
		"smmuv3_propagate_event",
		"smmu_configs_inv",
		"smmu_config_cache_inv",
		"smmu_reset_exit",
	};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(e, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static int qi_pass2(struct qi_ctx *c)
{
	struct qi_line l;
	int rc;

	if ((rc = qi_open_log(c)))
		return rc;
	while ((rc = qi_getline(c)) == 1) {
		if (!c->buf[0])
			continue;
		c->s->lines++;
		if (qi_check_line(c, &l))
			return 2;
		struct qi_tid *t = qi_tid_get(c, l.tid);
		if (!t)
			return qi_fail(c, "more than %d QEMU threads",
				       QI_MAX_TIDS);
		if (!strcmp(l.event, "smmuv3_read_mmio") ||
		    !strcmp(l.event, "smmuv3_write_mmio")) {
			if ((rc = qi_on_mmio(c, &l, t)))
				return rc;
		} else if (!strcmp(l.event, "smmuv3_cmdq_consume")) {
			qi_count_event(c, l.event, true);
			if ((rc = qi_on_consume(c, &l, t)))
				return rc;
		} else if (qi_is_cmd_event(l.event)) {
			qi_count_event(c, l.event, true);
			if ((rc = qi_on_cmd_event(c, &l, t)))
				return rc;
		} else if (!strcmp(l.event, "smmuv3_trigger_irq")) {
			qi_count_event(c, l.event, true);
			int irq;
			if (t->cur.active && t->cur.has_opcode &&
			    sscanf(l.args, "irq=%d", &irq) == 1 && irq == 2)
				t->cur.irq =
					true; /* CMD_SYNC CS=IRQ (QEMU 7.2 hw/arm/trace-events) */
		} else {
			qi_count_event(c, l.event, qi_is_known_other(l.event));
		}
	}
	if (rc)
		return rc;
	for (int i = 0; i < c->ntids; i++) {
		struct qi_tid *t = &c->tids[i];
		if ((rc = qi_cmd_finish(c, t)))
			return rc;
		if (t->drained)
			return qi_fail(
				c,
				"log ends after smmuv3_cmdq_consume_out at line %lu of QEMU "
				"thread %d without the register write that drained the "
				"queue (truncated log?)",
				t->drained_line, (int)t->tid);
		if (t->batch_open && t->batch_n)
			return qi_fail(
				c,
				"log ends inside a batch of QEMU thread %d: %u command(s) consumed "
				"but no register write follows (truncated log?)",
				(int)t->tid, t->batch_n);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* inputs besides the log                                              */
/* ------------------------------------------------------------------ */

static int qi_load_dump(struct qi_ctx *c)
{
	const char *path = c->o->dump;
	gzFile gz = gzopen(path, "rb");

	if (!gz) {
		snprintf(c->err, c->errlen, "%s: error: cannot open", path);
		return 2;
	}
	c->dump = malloc(QI_DUMP_MAX + 1);
	if (!c->dump) {
		gzclose(gz);
		snprintf(c->err, c->errlen, "%s: error: out of memory", path);
		return 2;
	}
	size_t total = 0;
	for (;;) {
		int n = gzread(gz, c->dump + total,
			       (unsigned)(QI_DUMP_MAX + 1 - total));
		if (n < 0) {
			int zerr;
			snprintf(c->err, c->errlen,
				 "%s: error: read failed: %s", path,
				 gzerror(gz, &zerr));
			gzclose(gz);
			return 2;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > QI_DUMP_MAX) {
			gzclose(gz);
			snprintf(
				c->err, c->errlen,
				"%s: error: larger than %zu bytes (the biggest queue)",
				path, QI_DUMP_MAX);
			return 2;
		}
	}
	int zerr;
	const char *msg = gzerror(gz, &zerr);
	if (zerr != Z_OK && zerr != Z_STREAM_END) {
		snprintf(c->err, c->errlen,
			 "%s: error: read failed: %s (truncated gzip file?)",
			 path, msg);
		gzclose(gz);
		return 2;
	}
	gzclose(gz);
	if (total % 16) {
		snprintf(
			c->err, c->errlen,
			"%s: error: size %zu is not a whole number of 16-byte entries",
			path, total);
		return 2;
	}
	c->dump_len = total;
	if (c->o->have_dump_base) {
		c->dump_base = c->o->dump_base;
		c->have_dump_base = true;
		return 0;
	}
	/* cmdq-dump-info.txt beside the dump ("cmdq_base=0x...") */
	char info[4096];
	const char *slash = strrchr(path, '/');
	int dl = slash ? (int)(slash - path + 1) : 0;
	snprintf(info, sizeof(info), "%.*scmdq-dump-info.txt", dl, path);
	FILE *f = fopen(info, "r");
	if (f) {
		char line[512];
		while (fgets(line, sizeof(line), f)) {
			const char *p = strstr(line, "cmdq_base=");
			unsigned long long v;
			if (p && sscanf(p, "cmdq_base=%llx", &v) == 1) {
				c->dump_base = v;
				c->have_dump_base = true;
			}
		}
		fclose(f);
	}
	return 0;
}

static void qi_load_marks(struct qi_ctx *c)
{
	FILE *f = fopen(c->o->dmesg, "r");
	char line[1024];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && c->nmarks < TB_QEMU_MAX_PHASES) {
		const char *p = strstr(line, "SMMUMARK ");
		unsigned id;
		char name[TB_TRACE_NAME_MAX];
		if (p && sscanf(p, "SMMUMARK %u %63s", &id, name) == 2) {
			c->marks[c->nmarks].id = id;
			snprintf(c->marks[c->nmarks].name,
				 sizeof(c->marks[0].name), "%s", name);
			c->nmarks++;
		}
	}
	fclose(f);
}

/* Platform line from the IDR values the driver read (IHI 0070 6.3;
 * arm-smmu-v3.h). */
static void qi_platform(const struct qi_ctx *c, char *buf, size_t len)
{
	size_t n = 0;

#define QI_P(...) \
	n += (size_t)snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__)
	buf[0] = '\0';
	if (c->have_idr[0]) {
		uint32_t v = c->idr[0];
		QI_P("s2p=%u s1p=%u coherent=%u asid16=%u ats=%u msi=%u sev=%u hyp=%u pri=%u "
		     "vmid16=%u stall=%u",
		     v & 1, (v >> 1) & 1, (v >> 4) & 1, (v >> 12) & 1,
		     (v >> 10) & 1, (v >> 13) & 1, (v >> 14) & 1, (v >> 9) & 1,
		     (v >> 16) & 1, (v >> 18) & 1,
		     ((v >> 24) & 3) == 1 ? 0u : 1u);
	}
	if (c->have_idr[1] && n < len) {
		uint32_t v = c->idr[1];
		unsigned cq = (v >> 21) & 0x1F, eq = (v >> 16) & 0x1F,
			 sid = v & 0x3F;
		/* the architecture caps the queues at 2^19 entries (IHI 0070
		 * 6.3; arm-smmu-v3.h) */
		QI_P("%scmdqs=%u eventqs=%u sidsize=%u", n ? " " : "",
		     cq > 19 ? 19 : (cq ? cq : 1), eq > 19 ? 19 : eq,
		     sid > 32 ? 32 : (sid ? sid : 1));
	}
	if (c->have_idr[3] && n < len)
		QI_P("%sril=%u", n ? " " : "", (c->idr[3] >> 10) & 1);
	if (c->have_idr[5] && n < len) {
		static const unsigned oas_bits[8] = { 32, 36, 40, 42,
						      44, 48, 52, 52 };
		QI_P("%soas=%u", n ? " " : "", oas_bits[c->idr[5] & 7]);
	}
	if (n && n < len)
		QI_P(" cmdqv=0"); /* QEMU 7.2 has no CMDQ-V */
#undef QI_P
}

int tb_qemu_import(const struct tb_qemu_options *o, struct tb_qemu_summary *s,
		   char *err, size_t errlen)
{
	struct qi_ctx *c = calloc(1, sizeof(*c));
	char plat[1024];
	int rc;

	memset(s, 0, sizeof(*s));
	if (!c) {
		snprintf(err, errlen, "%s: error: out of memory", o->log);
		return 2;
	}
	c->o = o;
	c->s = s;
	c->err = err;
	c->errlen = errlen;
	c->log2size = QI_DEFAULT_L2S;
	if (o->dmesg)
		qi_load_marks(c);
	rc = o->dump ? qi_load_dump(c) : 0;
	if (!rc)
		rc = qi_pass1(c);
	if (!rc) {
		qi_platform(c, plat, sizeof(plat));
		char why[512];
		if (tb_trace_create(&c->w, o->out, plat, why, sizeof(why))) {
			snprintf(err, errlen, "%s", why);
			rc = 2;
		}
	}
	if (!rc) {
		char text[600];
		snprintf(text, sizeof(text),
			 "imported by cmdqv-sim import-qemu from %s", o->log);
		tb_trace_comment(c->w, text);
		if (o->dump) {
			snprintf(text, sizeof(text),
				 "command words from %s (base 0x%" PRIx64 ")",
				 o->dump, c->dump_base);
			tb_trace_comment(c->w, text);
		} else {
			tb_trace_comment(
				c->w,
				"no queue dump: command words rebuilt from the log, "
				"known= marks the bits it gave");
		}
		tb_trace_comment(
			c->w,
			"times: host microseconds of the log, relative to its first line, in ps");
		qi_emit_phase(c, 0, "boot", 0);
		rc = qi_pass2(c);
	}
	if (c->gz)
		gzclose(c->gz);
	if (c->w) {
		char why[512];
		if (tb_trace_finish(c->w, why, sizeof(why)) && !rc) {
			snprintf(err, errlen, "%s", why);
			rc = 2;
		}
		if (rc && strcmp(o->out, "-"))
			unlink(o->out); /* no partial output passed off as complete */
	}
	free(c->dump);
	free(c->groups);
	free(c);
	return rc;
}
