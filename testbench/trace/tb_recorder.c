/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_recorder.c - the trace recorder (tb_trace.h): turns a model's trace
 * records and the driver memory its queues live in into native trace
 * records (docs/trace-format.md), through the writer of tb_trace.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/regmap.h"
#include "cmdqv_sim/ring.h"
#include "cmdqv_sim/status.h"
#include "tb_mem.h"
#include "tb_trace.h"
#include "tb_util.h"

/* ------------------------------------------------------------------ */
/* recorder                                                            */
/* ------------------------------------------------------------------ */

/**
 * struct tb_recorder - a recording in progress.
 * @w:          output
 * @mem:        driver memory the queues live in
 * @trk:        queue bases and PROD values as programmed
 * @src:        source token
 * @offset:     time added to model times (after tb_recorder_reset)
 * @last:       last time written
 * @records:    records written
 * @pend:       a read held back: repeated reads of one register whose value
 *              changed become one poll record (the driver's polling loop)
 * @pend_n:     reads folded into @pend
 * @pend_first: value of the first of them
 * @pend_closed: the value changed during the run (it is a poll)
 * @have_pend:  @pend is valid
 */
struct tb_recorder {
	struct tb_trace_writer *w;
	struct tb_mem *mem;
	struct tb_qtrack trk;
	char src[TB_TRACE_NAME_MAX];
	uint64_t offset;
	uint64_t last;
	uint64_t records;
	struct tb_trace_rec pend;
	uint64_t pend_n;
	uint64_t pend_first;
	bool pend_closed;
	bool have_pend;
};

int tb_recorder_open(struct tb_recorder **out, const char *path,
		     struct tb_mem *mem, const struct cmdqv_config *cfg,
		     char *err, size_t errlen)
{
	struct tb_recorder *r = calloc(1, sizeof(*r));
	char plat[TB_TRACE_LINE_MAX];

	*out = NULL;
	if (!r) {
		tb_errf(err, errlen, "%s: error: out of memory", path);
		return CMDQV_ENOMEM;
	}
	plat[0] = '\0';
	if (cfg)
		tb_trace_platform_text(cfg, plat, sizeof(plat));
	int rc = tb_trace_create(&r->w, path, plat, err, errlen);
	if (rc) {
		free(r);
		return rc;
	}
	r->mem = mem;
	snprintf(r->src, sizeof(r->src), "cpu0");
	*out = r;
	return CMDQV_OK;
}

static void tb_recorder_put(struct tb_recorder *r, struct tb_trace_rec *t,
			    const char *comment)
{
	if (t->time < r->last)
		t->time = r->last;
	r->last = t->time;
	if (!t->src[0])
		snprintf(t->src, sizeof(t->src), "%s", r->src);
	tb_trace_write(r->w, t, comment);
	r->records++;
}

static void tb_recorder_flush(struct tb_recorder *r)
{
	if (!r->have_pend)
		return;
	r->have_pend = false;
	if (r->pend_closed) {
		/* the value changed: the driver waited for it */
		r->pend.kind = TB_TR_POLL;
		r->pend.mask = r->pend.size == 8 ? UINT64_MAX : 0xFFFFFFFFu;
		tb_recorder_put(r, &r->pend, NULL);
		return;
	}
	/* the same value every time: that many plain reads (e.g. phase markers) */
	for (uint64_t i = 0; i < r->pend_n; i++)
		tb_recorder_put(r, &r->pend, NULL);
}

static void tb_recorder_emit(struct tb_recorder *r, struct tb_trace_rec *t,
			     const char *comment)
{
	tb_recorder_flush(r);
	tb_recorder_put(r, t, comment);
}

static void tb_recorder_publish(struct tb_recorder *r, int32_t queue,
				uint32_t newprod, sim_time_t t)
{
	struct tb_qtrack_queue *q = tb_qtrack_get(&r->trk, queue);
	struct ring ring = { .log2size = (uint8_t)q->log2size };
	uint32_t prod = q->prod & ring_pos_mask(ring);
	uint32_t n = ring_used(ring, newprod, prod);

	for (uint32_t i = 0; i < n; i++) {
		uint32_t pos = ring_add(ring, prod, i);
		uint64_t addr = ring_entry_addr(ring, q->base, pos);
		struct tb_trace_rec c = { .kind = TB_TR_CMD,
					  .time = t,
					  .queue = queue,
					  .pos = pos,
					  .nwords = 2 };
		c.words[0] = r->mem ? tb_mem_read64(r->mem, addr) : 0;
		c.words[1] = r->mem ? tb_mem_read64(r->mem, addr + 8) : 0;
		c.known[0] = c.known[1] = UINT64_MAX;
		tb_recorder_emit(r, &c, NULL);
	}
	struct tb_trace_rec b = { .kind = TB_TR_BATCH,
				  .time = t,
				  .queue = queue,
				  .pos = newprod,
				  .count = n };
	q->prod = newprod;
	r->pend = b; /* written after the PROD write itself (below) */
}

void tb_recorder_trace(void *ctx, const struct cmdqv_trace_rec *rec)
{
	struct tb_recorder *r = ctx;
	struct tb_trace_rec t = { 0 };
	int32_t queue;
	uint32_t newprod;

	if (rec->kind != CMDQV_TR_MMIO_READ && rec->kind != CMDQV_TR_MMIO_WRITE)
		return;
	t.kind = rec->kind == CMDQV_TR_MMIO_READ ? TB_TR_RD : TB_TR_WR;
	t.time = rec->time + r->offset;
	t.space = (enum cmdqv_space)rec->space;
	t.offset = rec->offset;
	t.size = rec->size;
	t.value = rec->value;
	if (t.kind == TB_TR_RD) {
		if (r->have_pend && r->pend.space == t.space &&
		    r->pend.offset == t.offset && r->pend.size == t.size &&
		    !strcmp(r->pend.src, r->src)) {
			/* the same register again by the same actor: one polling loop, whose
                         * last value is what the driver waited for (intermediate values are
                         * progress).  Another actor's read of it is not part of that loop. */
			r->pend_n++;
			if (t.value != r->pend_first)
				r->pend_closed = true;
			r->pend.value = t.value;
			return;
		}
		tb_recorder_flush(r);
		if (t.time < r->last)
			t.time = r->last;
		snprintf(t.src, sizeof(t.src), "%s", r->src);
		r->pend = t;
		r->pend_n = 1;
		r->pend_first = t.value;
		r->pend_closed = false;
		r->have_pend = true;
		return;
	}
	if (!tb_qtrack_write(&r->trk, t.space, t.offset, t.size, t.value,
			     &queue, &newprod)) {
		tb_recorder_emit(r, &t, NULL);
		return;
	}
	tb_recorder_flush(r);
	tb_recorder_publish(r, queue, newprod, t.time);
	struct tb_trace_rec b = r->pend;
	tb_recorder_put(r, &t, NULL);
	tb_recorder_put(r, &b, NULL);
}

void tb_recorder_reset(struct tb_recorder *r, struct tb_mem *mem)
{
	tb_recorder_reset_platform(r, mem, NULL);
}

void tb_recorder_reset_platform(struct tb_recorder *r, struct tb_mem *mem,
				const struct cmdqv_config *cfg)
{
	char plat[TB_TRACE_LINE_MAX - 64];

	tb_recorder_flush(r);
	if (mem)
		r->mem = mem;
	tb_qtrack_reset(&r->trk);
	r->offset = r->last;
	plat[0] = '\0';
	if (cfg && tb_trace_platform_text(cfg, plat, sizeof(plat)) >=
			   (int)sizeof(plat))
		plat[0] = '\0'; /* cannot happen with params.def as it is */
	tb_trace_write_reset(r->w, r->last, "host", plat);
	r->records++;
}

void tb_recorder_phase(struct tb_recorder *r, uint32_t id, const char *name)
{
	struct tb_trace_rec t = { .kind = TB_TR_PHASE,
				  .time = r->last,
				  .phase_id = id };

	tb_recorder_flush(r);
	t.time = r->last;
	if (name && tb_trace_name_ok(name))
		snprintf(t.name, sizeof(t.name), "%s", name);
	tb_recorder_emit(r, &t, NULL);
}

void tb_recorder_set_source(struct tb_recorder *r, const char *src)
{
	if (src && tb_trace_name_ok(src))
		snprintf(r->src, sizeof(r->src), "%s", src);
}

void tb_recorder_set_track(struct tb_recorder *r, const char *track)
{
	char src[TB_TRACE_NAME_MAX];
	size_t i;

	for (i = 0; track[i] && i + 1 < sizeof(src); i++)
		src[i] = track[i] == '/' ? '.' : track[i];
	src[i] = '\0';
	tb_recorder_set_source(r, src);
}

uint64_t tb_recorder_records(const struct tb_recorder *r)
{
	return r->records;
}

int tb_recorder_close(struct tb_recorder *r, char *err, size_t errlen)
{
	if (!r)
		return CMDQV_OK;
	tb_recorder_flush(r);
	int rc = tb_trace_finish(r->w, err, errlen);
	free(r);
	return rc;
}
