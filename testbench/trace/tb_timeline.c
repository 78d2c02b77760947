/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_timeline.c - trace-event JSON writer (tb_timeline.h).
 *
 * Streamed by hand rather than built with jansson because a timeline can
 * hold millions of events; every string written comes either from a fixed
 * literal or through tb_tl_string(), which escapes it.
 */
#define _POSIX_C_SOURCE 200809L
#include "tb_timeline.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

/* Write @s as a JSON string (quotes included). */
static void tb_tl_string(FILE *f, const char *s)
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
static void tb_tl_us(FILE *f, sim_time_t ps)
{
	fprintf(f, "%" PRIu64 ".%06" PRIu64, ps / 1000000u, ps % 1000000u);
}

static void tb_tl_sep(struct tb_timeline *tl)
{
	fputs(tl->first ? "\n" : ",\n", tl->f);
	tl->first = false;
}

int tb_timeline_open(struct tb_timeline *tl, const char *path,
		     const char *generator, char *err, size_t errlen)
{
	tl->f = fopen(path, "w");
	tl->first = true;
	if (!tl->f) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
		return -1;
	}
	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":",
	      tl->f);
	tb_tl_string(tl->f, generator);
	fputs(",\"time\":\"simulated\"},\"traceEvents\":[", tl->f);
	return 0;
}

/* The name and sort-index metadata events of @kind "process" (@tid < 0)
 * or "thread". */
static void tb_tl_meta(struct tb_timeline *tl, const char *kind, unsigned pid,
		       long tid, const char *name, unsigned sort)
{
	char ids[48];

	if (tid < 0)
		snprintf(ids, sizeof(ids), "\"pid\":%u", pid);
	else
		snprintf(ids, sizeof(ids), "\"pid\":%u,\"tid\":%ld", pid, tid);
	tb_tl_sep(tl);
	fprintf(tl->f,
		"{\"ph\":\"M\",\"name\":\"%s_name\",%s,\"args\":{\"name\":",
		kind, ids);
	tb_tl_string(tl->f, name);
	fputs("}}", tl->f);
	tb_tl_sep(tl);
	fprintf(tl->f,
		"{\"ph\":\"M\",\"name\":\"%s_sort_index\",%s,"
		"\"args\":{\"sort_index\":%u}}",
		kind, ids, sort);
}

void tb_timeline_process(struct tb_timeline *tl, unsigned pid, const char *name,
			 unsigned sort)
{
	tb_tl_meta(tl, "process", pid, -1, name, sort);
}

void tb_timeline_thread(struct tb_timeline *tl, unsigned pid, unsigned tid,
			const char *name, unsigned sort)
{
	tb_tl_meta(tl, "thread", pid, (long)tid, name, sort);
}

/* An event's opening: @head ("{\"ph\":...,"), name, cat, pid, tid, ts. */
static void tb_tl_event(struct tb_timeline *tl, const char *head, unsigned pid,
			unsigned tid, const char *name, const char *cat,
			sim_time_t ts)
{
	tb_tl_sep(tl);
	fputs(head, tl->f);
	fputs("\"name\":", tl->f);
	tb_tl_string(tl->f, name);
	fputs(",\"cat\":", tl->f);
	tb_tl_string(tl->f, cat);
	fprintf(tl->f, ",\"pid\":%u,\"tid\":%u,\"ts\":", pid, tid);
	tb_tl_us(tl->f, ts);
}

void tb_timeline_complete(struct tb_timeline *tl, unsigned pid, unsigned tid,
			  const char *name, const char *cat, sim_time_t start,
			  sim_time_t end, bool has_n, uint64_t n)
{
	tb_tl_event(tl, "{\"ph\":\"X\",", pid, tid, name, cat, start);
	fputs(",\"dur\":", tl->f);
	tb_tl_us(tl->f, end > start ? end - start : 0);
	if (has_n)
		fprintf(tl->f, ",\"args\":{\"n\":%" PRIu64 "}", n);
	fputc('}', tl->f);
}

void tb_timeline_instant(struct tb_timeline *tl, unsigned pid, unsigned tid,
			 const char *name, const char *cat, sim_time_t t)
{
	tb_tl_event(tl, "{\"ph\":\"i\",\"s\":\"t\",", pid, tid, name, cat, t);
	fputc('}', tl->f);
}

int tb_timeline_close(struct tb_timeline *tl)
{
	int rc = 0;

	if (!tl->f)
		return 0;
	fputs("\n]}\n", tl->f);
	if (ferror(tl->f))
		rc = -1;
	if (fclose(tl->f))
		rc = -1;
	tl->f = NULL;
	return rc;
}
