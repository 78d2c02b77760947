/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_timeline.c - what `compare --timeline` shows (see
 * compare_timeline.h): one process per point, one track per actor or
 * queue, the first @window of each point.  The JSON itself is written by
 * the shared trace-event writer (tb_timeline.h), which escapes every
 * string; replay --timeline uses the same writer.
 */
#define _POSIX_C_SOURCE 200809L
#include "compare_timeline.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/cmd.h"
#include "tb_timeline.h"

#define CMP_TL_MAX_TRACKS 256 /* tracks per point; more share the last one */
#define CMP_TL_NAME_LEN 48

/**
 * struct cmp_timeline - one timeline file being written.
 * @w:       the writer
 * @window:  simulated time recorded per point
 * @pid:     current point (process id, from 1)
 * @ntracks: tracks named so far in this point
 * @tracks:  their names; the tid of tracks[i] is i + 1
 */
struct cmp_timeline {
	struct tb_timeline w;
	sim_time_t window;
	unsigned pid;
	unsigned ntracks;
	char tracks[CMP_TL_MAX_TRACKS][CMP_TL_NAME_LEN];
};

/* tid of @track in the current point, naming it on first use. */
static unsigned cmp_tl_track(struct cmp_timeline *tl, const char *track)
{
	for (unsigned i = 0; i < tl->ntracks; i++)
		if (!strcmp(tl->tracks[i], track))
			return i + 1;
	if (tl->ntracks == CMP_TL_MAX_TRACKS)
		return CMP_TL_MAX_TRACKS;
	snprintf(tl->tracks[tl->ntracks], CMP_TL_NAME_LEN, "%s", track);
	tl->ntracks++;
	/* Actors (VM*, host*) first, then queues, in order of appearance. */
	tb_timeline_thread(&tl->w, tl->pid, tl->ntracks, track, tl->ntracks);
	return tl->ntracks;
}

struct cmp_timeline *cmp_timeline_open(const char *path, sim_time_t window,
				       char *err, size_t errlen)
{
	struct cmp_timeline *tl = calloc(1, sizeof(*tl));

	if (!tl) {
		snprintf(err, errlen, "error: out of memory");
		return NULL;
	}
	if (tb_timeline_open(&tl->w, path, "cmdqv-sim compare", err, errlen)) {
		free(tl);
		return NULL;
	}
	tl->window = window;
	return tl;
}

void cmp_timeline_point(struct cmp_timeline *tl, const char *label)
{
	tl->pid++;
	tl->ntracks = 0;
	tb_timeline_process(&tl->w, tl->pid, label, tl->pid);
}

void cmp_timeline_span(struct cmp_timeline *tl, const char *track,
		       const char *name, sim_time_t start, sim_time_t end)
{
	if (start >= tl->window)
		return;
	tb_timeline_complete(&tl->w, tl->pid, cmp_tl_track(tl, track), name,
			     "stage", start, end, false, 0);
}

static void cmp_tl_queue_name(int32_t queue, char *buf, size_t len)
{
	if (queue == CMDQV_QUEUE_SMMU)
		snprintf(buf, len, "SMMU CMDQ");
	else
		snprintf(buf, len, "VCMDQ%d", (int)queue);
}

/* An instant event @name (category @cat) on the track of @rec's queue. */
static void cmp_tl_queue_instant(struct cmp_timeline *tl,
				 const struct cmdqv_trace_rec *rec,
				 const char *name, const char *cat)
{
	char track[CMP_TL_NAME_LEN];

	cmp_tl_queue_name(rec->queue, track, sizeof(track));
	tb_timeline_instant(&tl->w, tl->pid, cmp_tl_track(tl, track), name, cat,
			    rec->time);
}

void cmp_timeline_trace(struct cmp_timeline *tl,
			const struct cmdqv_trace_rec *rec)
{
	char track[CMP_TL_NAME_LEN], name[64];
	struct cmd c;

	if (rec->time >= tl->window)
		return;
	switch (rec->kind) {
	case CMDQV_TR_CMD:
		cmd_decode(rec->dw, &c);
		cmp_tl_queue_name(rec->queue, track, sizeof(track));
		/* The command processor's occupancy: start to end of execution. */
		tb_timeline_complete(
			&tl->w, tl->pid, cmp_tl_track(tl, track),
			cmd_name(c.opcode) ? cmd_name(c.opcode) : "CMD", "cmd",
			rec->t_exec_start, rec->t_exec_end, false, 0);
		break;
	case CMDQV_TR_FETCH:
		snprintf(name, sizeof(name), "fetch %u", rec->count);
		cmp_tl_queue_instant(tl, rec, name, "fetch");
		break;
	case CMDQV_TR_ATS_REQ:
		snprintf(track, sizeof(track), "ATS SID %u", rec->sid);
		tb_timeline_instant(&tl->w, tl->pid, cmp_tl_track(tl, track),
				    "ATS invalidate", "ats", rec->time);
		break;
	case CMDQV_TR_ATS_DONE:
		snprintf(track, sizeof(track), "ATS SID %u", rec->sid);
		tb_timeline_instant(&tl->w, tl->pid, cmp_tl_track(tl, track),
				    rec->code ? "ATS timeout" :
						"ATS completion",
				    "ats", rec->time);
		break;
	case CMDQV_TR_ERROR:
		snprintf(name, sizeof(name), "CERROR %u", rec->code);
		cmp_tl_queue_instant(tl, rec, name, "error");
		break;
	default:
		break; /* register accesses and memory writes: too many, little to see */
	}
}

int cmp_timeline_close(struct cmp_timeline *tl, char *err, size_t errlen)
{
	int rc = tb_timeline_close(&tl->w);

	if (rc)
		snprintf(err, errlen, "error: writing the timeline failed");
	free(tl);
	return rc;
}
