/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_util.h - small helpers of the `compare` verb that know nothing of
 * the simulation: list and switch parsing, nearest-rank percentiles, the
 * `key = value` parameter-file reader, whole-file reads and HTML escaping.
 */
#ifndef CMDQV_CLI_COMPARE_UTIL_H
#define CMDQV_CLI_COMPARE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/**
 * Parse a comma-separated list of unsigned numbers ("1,2,16") into @out
 * (at most @max entries), each in [@lo, @hi]. Duplicates are rejected.
 * Returns 0 and sets *@n, or -1 with a reason in @err.
 */
int cmp_parse_u32_list(const char *text, uint32_t lo, uint32_t hi,
		       uint32_t *out, size_t max, size_t *n, char *err,
		       size_t errlen);

/** Parse "on"/"off" (also 1/0, true/false, yes/no). Returns 0, or -1 if malformed. */
int cmp_parse_onoff(const char *text, bool *out);

/**
 * Nearest-rank percentile @p (0 < p <= 100) of @n ascending values: the
 * smallest value such that at least p % of the values are <= it. @n > 0.
 */
double cmp_percentile(const double *sorted, size_t n, double p);

/** Ascending sort of doubles (qsort with a total order). */
void cmp_sort_doubles(double *v, size_t n);

/**
 * Callback of cmp_conf_load for one `key = value` line, line @line of the
 * file. Returns 0, or -1 with a one-line reason (no file/line prefix) in
 * @err.
 */
typedef int (*cmp_conf_fn)(void *ctx, unsigned line, const char *key,
			   const char *value, char *err, size_t errlen);

/**
 * Read a parameter file: one `key = value` per line; `#` starts a comment
 * (anywhere on a line); blank lines are ignored; spaces around key and value
 * are trimmed. Calls @fn for every setting, in file order. A NUL byte, a
 * line longer than 1022 characters and a key set twice in the file (a
 * second value would silently win) are errors too. On the first problem
 * stops and writes "FILE:LINE: error: reason" into @err (the file could not
 * be read: "FILE: error: reason"). Returns 0 or -1.
 */
int cmp_conf_load(const char *path, cmp_conf_fn fn, void *ctx, char *err,
		  size_t errlen);
/** Same, for the open stream @f (not closed) of the file named @name. */
int cmp_conf_load_stream(FILE *f, const char *name, cmp_conf_fn fn, void *ctx,
			 char *err, size_t errlen);

/**
 * Read a whole file into a NUL-terminated heap buffer (caller frees).
 * Returns 0, or -1 (errno set).
 */
int cmp_read_file(const char *path, char **out, size_t *len);

/**
 * cmp_fput_escaped() - write @s to @f with each character found in @chars
 * written as the string at the same index of @as; the others as they are.
 */
void cmp_fput_escaped(FILE *f, const char *s, const char *chars,
		      const char *const *as);

/** Write @s to @f with &, <, >, " and ' escaped for HTML text and attributes. */
void cmp_html_escape(FILE *f, const char *s);

/** Create directory @path (and missing parents). Returns 0, or -1 (errno set). */
int cmp_mkdir_p(const char *path);

#endif /* CMDQV_CLI_COMPARE_UTIL_H */
