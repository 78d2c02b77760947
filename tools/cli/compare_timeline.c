/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_timeline.c - trace-event JSON writer (see compare_timeline.h).
 *
 * Streamed by hand rather than built with jansson because a timeline can
 * hold millions of events; every string written comes either from a fixed
 * table or through cmp_tl_string(), which escapes it. Timestamps are in
 * microseconds (the format's unit) with picosecond digits.
 */
#define _POSIX_C_SOURCE 200809L
#include "compare_timeline.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/cmd.h"

#define CMP_TL_MAX_TRACKS 256 /* tracks per point; more share the last one */
#define CMP_TL_NAME_LEN 48

/**
 * struct cmp_timeline - one timeline file being written.
 * @f:       the output
 * @window:  simulated time recorded per point
 * @pid:     current point (process id, from 1)
 * @ntracks: tracks named so far in this point
 * @tracks:  their names; the tid of tracks[i] is i + 1
 * @first:   no event written yet (no comma needed)
 */
struct cmp_timeline {
	FILE *f;
	sim_time_t window;
	unsigned pid;
	unsigned ntracks;
	char tracks[CMP_TL_MAX_TRACKS][CMP_TL_NAME_LEN];
	bool first;
};

/* Write @s as a JSON string (quotes included). */
static void cmp_tl_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Picoseconds as the format's microseconds, exactly. */
static void cmp_tl_us(FILE *f, sim_time_t ps)
{
	fprintf(f, "%" PRIu64 ".%06" PRIu64, ps / 1000000u, ps % 1000000u);
}

static void cmp_tl_sep(struct cmp_timeline *tl)
{
	fputs(tl->first ? "\n" : ",\n", tl->f);
	tl->first = false;
}

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
	cmp_tl_sep(tl);
	fprintf(tl->f,
		"{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%u,\"tid\":%u,"
		"\"args\":{\"name\":",
		tl->pid, tl->ntracks);
	cmp_tl_string(tl->f, track);
	fputs("}}", tl->f);
	cmp_tl_sep(tl);
	/* Actors (VM*, host*) first, then queues, in order of appearance. */
	fprintf(tl->f,
		"{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":%u,\"tid\":%u,"
		"\"args\":{\"sort_index\":%u}}",
		tl->pid, tl->ntracks, tl->ntracks);
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
	tl->f = fopen(path, "w");
	if (!tl->f) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
		free(tl);
		return NULL;
	}
	tl->window = window;
	tl->first = true;
	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"cmdqv-sim compare\","
	      "\"time\":\"simulated\"},\"traceEvents\":[",
	      tl->f);
	return tl;
}

void cmp_timeline_point(struct cmp_timeline *tl, const char *label)
{
	tl->pid++;
	tl->ntracks = 0;
	cmp_tl_sep(tl);
	fprintf(tl->f,
		"{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%u,\"args\":{\"name\":",
		tl->pid);
	cmp_tl_string(tl->f, label);
	fputs("}}", tl->f);
	cmp_tl_sep(tl);
	fprintf(tl->f,
		"{\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":%u,"
		"\"args\":{\"sort_index\":%u}}",
		tl->pid, tl->pid);
}

static void cmp_tl_complete(struct cmp_timeline *tl, unsigned tid,
			    const char *name, const char *cat, sim_time_t start,
			    sim_time_t end)
{
	cmp_tl_sep(tl);
	fputs("{\"ph\":\"X\",\"name\":", tl->f);
	cmp_tl_string(tl->f, name);
	fprintf(tl->f, ",\"cat\":\"%s\",\"pid\":%u,\"tid\":%u,\"ts\":", cat,
		tl->pid, tid);
	cmp_tl_us(tl->f, start);
	fputs(",\"dur\":", tl->f);
	cmp_tl_us(tl->f, end > start ? end - start : 0);
	fputc('}', tl->f);
}

static void cmp_tl_instant(struct cmp_timeline *tl, unsigned tid,
			   const char *name, const char *cat, sim_time_t t)
{
	cmp_tl_sep(tl);
	fputs("{\"ph\":\"i\",\"s\":\"t\",\"name\":", tl->f);
	cmp_tl_string(tl->f, name);
	fprintf(tl->f, ",\"cat\":\"%s\",\"pid\":%u,\"tid\":%u,\"ts\":", cat,
		tl->pid, tid);
	cmp_tl_us(tl->f, t);
	fputc('}', tl->f);
}

void cmp_timeline_span(struct cmp_timeline *tl, const char *track,
		       const char *name, sim_time_t start, sim_time_t end)
{
	if (start >= tl->window)
		return;
	cmp_tl_complete(tl, cmp_tl_track(tl, track), name, "stage", start, end);
}

static void cmp_tl_queue_name(int32_t queue, char *buf, size_t len)
{
	if (queue == CMDQV_QUEUE_SMMU)
		snprintf(buf, len, "SMMU CMDQ");
	else
		snprintf(buf, len, "VCMDQ%d", (int)queue);
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
		cmp_tl_complete(tl, cmp_tl_track(tl, track), cmd_name(c.opcode),
				"cmd", rec->t_exec_start, rec->t_exec_end);
		break;
	case CMDQV_TR_FETCH:
		cmp_tl_queue_name(rec->queue, track, sizeof(track));
		snprintf(name, sizeof(name), "fetch %u", rec->count);
		cmp_tl_instant(tl, cmp_tl_track(tl, track), name, "fetch",
			       rec->time);
		break;
	case CMDQV_TR_ATS_REQ:
		snprintf(track, sizeof(track), "ATS SID %u", rec->sid);
		cmp_tl_instant(tl, cmp_tl_track(tl, track), "ATS invalidate",
			       "ats", rec->time);
		break;
	case CMDQV_TR_ATS_DONE:
		snprintf(track, sizeof(track), "ATS SID %u", rec->sid);
		cmp_tl_instant(tl, cmp_tl_track(tl, track),
			       rec->code ? "ATS timeout" : "ATS completion",
			       "ats", rec->time);
		break;
	case CMDQV_TR_ERROR:
		cmp_tl_queue_name(rec->queue, track, sizeof(track));
		snprintf(name, sizeof(name), "CERROR %u", rec->code);
		cmp_tl_instant(tl, cmp_tl_track(tl, track), name, "error",
			       rec->time);
		break;
	default:
		break; /* register accesses and memory writes: too many, little to see */
	}
}

int cmp_timeline_close(struct cmp_timeline *tl, char *err, size_t errlen)
{
	int rc = 0;

	fputs("\n]}\n", tl->f);
	if (ferror(tl->f))
		rc = -1;
	if (fclose(tl->f))
		rc = -1;
	if (rc)
		snprintf(err, errlen, "error: writing the timeline failed");
	free(tl);
	return rc;
}
