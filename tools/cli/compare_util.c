/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_util.c - helpers of the `compare` verb that know nothing of the
 * simulation. See compare_util.h for the contracts.
 */
#define _POSIX_C_SOURCE 200809L
#include "compare_util.h"
#include "tb_util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

int cmp_parse_u32_list(const char *text, uint32_t lo, uint32_t hi,
		       uint32_t *out, size_t max, size_t *n, char *err,
		       size_t errlen)
{
	const char *p = text;
	size_t count = 0;

	if (!*p) {
		snprintf(err, errlen, "empty list");
		return -1;
	}
	for (;;) {
		char *end;
		unsigned long long v;

		if (!isdigit((unsigned char)*p)) {
			snprintf(
				err, errlen,
				"'%s' is not a comma-separated list of numbers",
				text);
			return -1;
		}
		errno = 0;
		v = strtoull(p, &end, 10);
		if (errno || (*end && *end != ',')) {
			snprintf(
				err, errlen,
				"'%s' is not a comma-separated list of numbers",
				text);
			return -1;
		}
		if (v < lo || v > hi) {
			snprintf(err, errlen, "%llu is out of range %u..%u", v,
				 lo, hi);
			return -1;
		}
		for (size_t i = 0; i < count; i++) {
			if (out[i] == v) {
				snprintf(err, errlen, "%llu is listed twice",
					 v);
				return -1;
			}
		}
		if (count == max) {
			snprintf(err, errlen, "more than %zu values", max);
			return -1;
		}
		out[count++] = (uint32_t)v;
		if (!*end)
			break;
		p = end + 1;
	}
	*n = count;
	return 0;
}

int cmp_parse_onoff(const char *text, bool *out)
{
	static const char *const on[] = { "on", "1", "true", "yes" };
	static const char *const off[] = { "off", "0", "false", "no" };

	for (size_t i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
		if (!strcmp(text, on[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(text, off[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

double cmp_percentile(const double *sorted, size_t n, double p)
{
	/* Nearest rank: rank = ceil(p/100 * n), 1-based. */
	double r = ceil(p / 100.0 * (double)n);
	size_t rank = r < 1.0 ? 1 : (size_t)r;

	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

static int cmp_double_order(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void cmp_sort_doubles(double *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_double_order);
}

static char *cmp_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int cmp_conf_read(FILE *f, const char *path, cmp_conf_fn fn, void *ctx,
			 char *err, size_t errlen);

int cmp_conf_load(const char *path, cmp_conf_fn fn, void *ctx, char *err,
		  size_t errlen)
{
	char raw[1024];
	FILE *f = fopen(path, "r");
	int rc;

	if (!f) {
		snprintf(raw, sizeof(raw), "%s: error: cannot open: %s", path,
			 strerror(errno));
		rc = -1;
	} else {
		rc = cmp_conf_read(f, path, fn, ctx, raw, sizeof(raw));
		fclose(f);
	}
	/* the message may quote the file: never pass its bytes through raw */
	if (rc)
		tb_msg_escape(err, errlen, raw);
	return rc;
}

int cmp_conf_load_stream(FILE *f, const char *name, cmp_conf_fn fn, void *ctx,
			 char *err, size_t errlen)
{
	char raw[1024];
	int rc = cmp_conf_read(f, name, fn, ctx, raw, sizeof(raw));

	if (rc)
		tb_msg_escape(err, errlen, raw);
	return rc;
}

/* Keys already set by one parameter file, with their lines. */
struct cmp_conf_seen {
	char **key;
	unsigned *line;
	size_t n, cap;
};

static void cmp_conf_seen_free(struct cmp_conf_seen *sn)
{
	for (size_t i = 0; i < sn->n; i++)
		free(sn->key[i]);
	free(sn->key);
	free(sn->line);
}

/* The line @key was first set on in this file, or 0; remembers it (on line
 * @lineno) otherwise.  -1 if out of memory. */
static long cmp_conf_seen_add(struct cmp_conf_seen *sn, const char *key,
			      unsigned lineno)
{
	char *k;

	for (size_t i = 0; i < sn->n; i++)
		if (!strcmp(sn->key[i], key))
			return (long)sn->line[i];
	if (sn->n == sn->cap) {
		size_t cap = sn->cap ? sn->cap * 2 : 32;
		char **nk = realloc(sn->key, cap * sizeof(*nk));

		if (!nk)
			return -1;
		sn->key = nk;
		unsigned *nl = realloc(sn->line, cap * sizeof(*nl));

		if (!nl)
			return -1;
		sn->line = nl;
		sn->cap = cap;
	}
	k = malloc(strlen(key) + 1);
	if (!k)
		return -1;
	strcpy(k, key);
	sn->key[sn->n] = k;
	sn->line[sn->n++] = lineno;
	return 0;
}

static int cmp_conf_lines(FILE *f, const char *path, cmp_conf_fn fn, void *ctx,
			  struct cmp_conf_seen *sn, char *err, size_t errlen)
{
	/* the longest line accepted, without its line end */
	enum { CMP_CONF_LINE_MAX = 1022 };
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	char why[512];
	unsigned lineno = 0;
	int rc = 0;

	errno = 0;
	while ((got = getline(&line, &cap, f)) >= 0) {
		size_t len = (size_t)got;
		const char *nul;
		char *hash, *eq, *key, *value;
		long first;

		lineno++;
		if (len && line[len - 1] == '\n')
			len--;
		if (len && line[len - 1] == '\r')
			len--;
		/* A NUL would end the line early and silently (the C string
		 * functions stop there): refuse it as the scenario parser
		 * does. */
		nul = memchr(line, '\0', len);
		if (nul) {
			snprintf(err, errlen,
				 "%s:%u: error: NUL byte at column %zu (not a "
				 "text file)",
				 path, lineno, (size_t)(nul - line) + 1);
			rc = -1;
			break;
		}
		if (len > CMP_CONF_LINE_MAX) {
			snprintf(err, errlen,
				 "%s:%u: error: line longer than %d characters",
				 path, lineno, CMP_CONF_LINE_MAX);
			rc = -1;
			break;
		}
		line[len] = '\0';
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		key = cmp_trim(line);
		if (!*key)
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			snprintf(
				err, errlen,
				"%s:%u: error: expected 'key = value', got '%s'",
				path, lineno, key);
			rc = -1;
			break;
		}
		*eq = '\0';
		value = cmp_trim(eq + 1);
		key = cmp_trim(key);
		if (!*key || !*value) {
			snprintf(err, errlen, "%s:%u: error: %s", path, lineno,
				 *key ? "missing value after '='" :
					"missing key before '='");
			rc = -1;
			break;
		}
		why[0] = '\0';
		if (fn(ctx, lineno, key, value, why, sizeof(why))) {
			snprintf(err, errlen, "%s:%u: error: %s", path, lineno,
				 why[0] ? why : "invalid setting");
			rc = -1;
			break;
		}
		/* Within one file a second value would silently replace the
		 * first (a later file or --set may override on purpose). */
		first = cmp_conf_seen_add(sn, key, lineno);
		if (first) {
			if (first < 0)
				snprintf(err, errlen,
					 "%s:%u: error: out of memory", path,
					 lineno);
			else
				snprintf(err, errlen,
					 "%s:%u: error: '%s' is set twice in "
					 "this file (first on line %ld)",
					 path, lineno, key, first);
			rc = -1;
			break;
		}
		errno = 0;
	}
	free(line);
	if (!rc && ferror(f)) {
		snprintf(err, errlen, "%s: error: read failed: %s", path,
			 strerror(errno ? errno : EIO));
		rc = -1;
	}
	return rc;
}

static int cmp_conf_read(FILE *f, const char *path, cmp_conf_fn fn, void *ctx,
			 char *err, size_t errlen)
{
	struct cmp_conf_seen sn = { 0 };
	int rc = cmp_conf_lines(f, path, fn, ctx, &sn, err, errlen);

	cmp_conf_seen_free(&sn);
	return rc;
}

int cmp_read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, used = 0;

	if (!f)
		return -1;
	for (;;) {
		size_t got;

		if (cap - used < 4096) {
			char *nb = realloc(buf, cap ? cap * 2 : 65536);

			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return -1;
			}
			buf = nb;
			cap = cap ? cap * 2 : 65536;
		}
		got = fread(buf + used, 1, cap - used - 1, f);
		used += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return -1;
	}
	fclose(f);
	buf[used] = '\0';
	*out = buf;
	if (len)
		*len = used;
	return 0;
}

void cmp_fput_escaped(FILE *f, const char *s, const char *chars,
		      const char *const *as)
{
	for (; *s; s++) {
		const char *hit = strchr(chars, *s);

		if (hit)
			fputs(as[hit - chars], f);
		else
			fputc(*s, f);
	}
}

void cmp_html_escape(FILE *f, const char *s)
{
	static const char *const as[] = { "&amp;", "&lt;", "&gt;", "&quot;",
					  "&#39;" };

	cmp_fput_escaped(f, s, "&<>\"'", as);
}

int cmp_mkdir_p(const char *path)
{
	char buf[4096];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0777) && errno != EEXIST)
		return -1;
	struct stat st;
	if (stat(buf, &st))
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR; /* a file of that name is in the way */
		return -1;
	}
	return 0;
}
