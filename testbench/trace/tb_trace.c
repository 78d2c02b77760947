/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_trace.c - native trace format: record parser and formatter, reader,
 * writer, queue tracker (docs/trace-format.md).  The recorder is
 * tb_recorder.c.
 *
 * The reader keeps one line buffer and the platform line; nothing grows with
 * the trace.  zlib's gzopen/gzgets read plain files transparently, so the
 * same code path serves .gz and plain text; a gzip stream that ends early is
 * reported (gzerror) instead of being taken for the end of the trace.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "tb_trace.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/config.h" /* cmdqv_parse_u64 */
#include "cmdqv_sim/regmap.h"
#include "cmdqv_sim/ring.h"
#include "cmdqv_sim/status.h"
#include "tb_gzline.h"
#include "tb_mem.h"
#include "tb_util.h"

#define TB_TRACE_PLATFORM_MAX 128 /* KEY=VALUE items on the platform line */
#define TB_TRACE_MAX_TOKENS \
	(TB_TRACE_PLATFORM_MAX + 4) /* a reset record's platform items */

/* ------------------------------------------------------------------ */
/* small parsing helpers                                                */
/* ------------------------------------------------------------------ */

/* A source / name token: [A-Za-z0-9_.:-]+, shorter than TB_TRACE_NAME_MAX. */
bool tb_trace_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= TB_TRACE_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && c != '_' && c != '.' && c != ':' && c != '-')
			return false;
	}
	return true;
}

static int tb_trace_parse_space(const char *s, enum cmdqv_space *out)
{
	if (!strcmp(s, "smmu")) {
		*out = CMDQV_SPACE_SMMU;
		return 0;
	}
	if (!strcmp(s, "cmdqv")) {
		*out = CMDQV_SPACE_CMDQV;
		return 0;
	}
	return -1;
}

static int tb_trace_parse_queue(const char *s, int32_t *out)
{
	uint64_t v;

	if (!strcmp(s, "smmu")) {
		*out = CMDQV_QUEUE_SMMU;
		return 0;
	}
	if (strncmp(s, "vcmdq", 5) || !isdigit((unsigned char)s[5]))
		return -1;
	if (cmdqv_parse_u64(s + 5, &v) || v > 127)
		return -1;
	*out = (int32_t)v;
	return 0;
}

void tb_trace_queue_name(int32_t queue, char *buf, size_t len)
{
	if (queue == CMDQV_QUEUE_SMMU)
		snprintf(buf, len, "smmu");
	else
		snprintf(buf, len, "vcmdq%" PRId32, queue);
}

static const char *tb_trace_space_name(enum cmdqv_space s)
{
	return s == CMDQV_SPACE_CMDQV ? "cmdqv" : "smmu";
}

/* Split @line in place at blanks, stopping at '#'. Returns the token count or -1. */
static int tb_trace_split(char *line, char **tok, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p || *p == '#')
			break;
		if (n == max)
			return -1;
		tok[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' &&
		       *p != '\n')
			p++;
		if (*p)
			*p++ = '\0';
		else
			break;
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* record parse / format                                               */
/* ------------------------------------------------------------------ */

static int tb_trace_parse_reg(char **tok, int ntok, int want,
			      struct tb_trace_rec *rec, char *err,
			      size_t errlen)
{
	const char *kind = tok[2];
	uint64_t size;

	if (ntok != want) {
		tb_errf(err, errlen, "'%s' needs %d fields, found %d", kind,
			want - 3, ntok - 3);
		return CMDQV_EPARSE;
	}
	if (tb_trace_parse_space(tok[3], &rec->space)) {
		tb_errf(err, errlen,
			"unknown register space '%s' (smmu or cmdqv)", tok[3]);
		return CMDQV_EPARSE;
	}
	if (cmdqv_parse_u64(tok[4], &rec->offset)) {
		tb_errf(err, errlen, "bad register offset '%s'", tok[4]);
		return CMDQV_EPARSE;
	}
	if (cmdqv_parse_u64(tok[5], &size) || (size != 4 && size != 8)) {
		tb_errf(err, errlen, "bad access size '%s' (4 or 8)", tok[5]);
		return CMDQV_EPARSE;
	}
	rec->size = (uint32_t)size;
	if (rec->offset % size) {
		tb_errf(err, errlen,
			"offset 0x%" PRIx64 " not aligned to size %u",
			rec->offset, rec->size);
		return CMDQV_EPARSE;
	}
	int vi = want - 1;
	if (rec->kind == TB_TR_POLL && cmdqv_parse_u64(tok[6], &rec->mask)) {
		tb_errf(err, errlen, "bad poll mask '%s'", tok[6]);
		return CMDQV_EPARSE;
	}
	if (cmdqv_parse_u64(tok[vi], &rec->value)) {
		tb_errf(err, errlen, "bad value '%s'", tok[vi]);
		return CMDQV_EPARSE;
	}
	if (size == 4 && (rec->value >> 32 || rec->mask >> 32)) {
		tb_errf(err, errlen, "value does not fit a 4-byte access");
		return CMDQV_EPARSE;
	}
	return CMDQV_OK;
}

static int tb_trace_parse_cmd(char **tok, int ntok, struct tb_trace_rec *rec,
			      char *err, size_t errlen)
{
	uint64_t pos;

	if (ntok != 7 && ntok != 8) {
		tb_errf(err, errlen,
			"'cmd' needs QUEUE POS W0 W1 [known=M0:M1]");
		return CMDQV_EPARSE;
	}
	if (tb_trace_parse_queue(tok[3], &rec->queue)) {
		tb_errf(err, errlen, "unknown queue '%s' (smmu or vcmdqN)",
			tok[3]);
		return CMDQV_EPARSE;
	}
	if (cmdqv_parse_u64(tok[4], &pos) || pos > 0xFFFFF) {
		tb_errf(err, errlen,
			"bad queue position '%s' (20 bits: wrap + index)",
			tok[4]);
		return CMDQV_EPARSE;
	}
	rec->pos = (uint32_t)pos;
	if (cmdqv_parse_u64(tok[5], &rec->words[0]) ||
	    cmdqv_parse_u64(tok[6], &rec->words[1])) {
		tb_errf(err, errlen, "bad command word");
		return CMDQV_EPARSE;
	}
	rec->nwords = 2;
	rec->known[0] = rec->known[1] = UINT64_MAX;
	if (ntok == 8) {
		char *colon;
		if (strncmp(tok[7], "known=", 6) ||
		    !(colon = strchr(tok[7] + 6, ':'))) {
			tb_errf(err, errlen, "bad attribute '%s' (known=M0:M1)",
				tok[7]);
			return CMDQV_EPARSE;
		}
		*colon = '\0';
		if (cmdqv_parse_u64(tok[7] + 6, &rec->known[0]) ||
		    cmdqv_parse_u64(colon + 1, &rec->known[1])) {
			tb_errf(err, errlen, "bad known= mask");
			return CMDQV_EPARSE;
		}
	}
	return CMDQV_OK;
}

int tb_trace_parse(const char *line, struct tb_trace_rec *rec, char *err,
		   size_t errlen)
{
	char buf[TB_TRACE_LINE_MAX];
	char *tok[TB_TRACE_MAX_TOKENS];
	uint64_t v;

	memset(rec, 0, sizeof(*rec));
	if (strlen(line) >= sizeof(buf)) {
		tb_errf(err, errlen, "line longer than %d bytes",
			TB_TRACE_LINE_MAX);
		return CMDQV_EPARSE;
	}
	strcpy(buf, line);
	int ntok = tb_trace_split(buf, tok, TB_TRACE_MAX_TOKENS);
	if (ntok < 0) {
		tb_errf(err, errlen, "too many fields");
		return CMDQV_EPARSE;
	}
	if (ntok == 1 && !strcmp(tok[0], "reset")) {
		/* "reset" may stand alone; time and source are optional */
		rec->kind = TB_TR_RESET;
		return CMDQV_OK;
	}
	if (ntok < 3) {
		tb_errf(err, errlen, "expected 'TIME SOURCE KIND ...'");
		return CMDQV_EPARSE;
	}
	if (cmdqv_parse_u64(tok[0], &rec->time)) {
		tb_errf(err, errlen, "bad time '%s' (integer picoseconds)",
			tok[0]);
		return CMDQV_EPARSE;
	}
	if (!tb_trace_name_ok(tok[1])) {
		tb_errf(err, errlen, "bad source '%s'", tok[1]);
		return CMDQV_EPARSE;
	}
	strcpy(rec->src, tok[1]);
	const char *kind = tok[2];
	if (!strcmp(kind, "rd")) {
		rec->kind = TB_TR_RD;
		return tb_trace_parse_reg(tok, ntok, 7, rec, err, errlen);
	}
	if (!strcmp(kind, "wr")) {
		rec->kind = TB_TR_WR;
		return tb_trace_parse_reg(tok, ntok, 7, rec, err, errlen);
	}
	if (!strcmp(kind, "poll")) {
		rec->kind = TB_TR_POLL;
		return tb_trace_parse_reg(tok, ntok, 8, rec, err, errlen);
	}
	if (!strcmp(kind, "mw")) {
		rec->kind = TB_TR_MW;
		if (ntok < 5 || ntok > 4 + TB_TRACE_MW_MAX) {
			tb_errf(err, errlen, "'mw' needs ADDR and 1..%d words",
				TB_TRACE_MW_MAX);
			return CMDQV_EPARSE;
		}
		if (cmdqv_parse_u64(tok[3], &rec->addr) || rec->addr % 8 ||
		    rec->addr >> 48) {
			tb_errf(err, errlen,
				"bad address '%s' (8-byte aligned, 48 bits)",
				tok[3]);
			return CMDQV_EPARSE;
		}
		rec->nwords = (uint32_t)(ntok - 4);
		for (uint32_t i = 0; i < rec->nwords; i++)
			if (cmdqv_parse_u64(tok[4 + i], &rec->words[i])) {
				tb_errf(err, errlen, "bad word '%s'",
					tok[4 + i]);
				return CMDQV_EPARSE;
			}
		return CMDQV_OK;
	}
	if (!strcmp(kind, "cmd")) {
		rec->kind = TB_TR_CMD;
		return tb_trace_parse_cmd(tok, ntok, rec, err, errlen);
	}
	if (!strcmp(kind, "phase")) {
		rec->kind = TB_TR_PHASE;
		if (ntok != 4 && ntok != 5) {
			tb_errf(err, errlen, "'phase' needs ID [NAME]");
			return CMDQV_EPARSE;
		}
		if (cmdqv_parse_u64(tok[3], &v) || v > UINT32_MAX) {
			tb_errf(err, errlen, "bad phase id '%s'", tok[3]);
			return CMDQV_EPARSE;
		}
		rec->phase_id = (uint32_t)v;
		if (ntok == 5) {
			if (!tb_trace_name_ok(tok[4])) {
				tb_errf(err, errlen, "bad phase name '%s'",
					tok[4]);
				return CMDQV_EPARSE;
			}
			strcpy(rec->name, tok[4]);
		}
		return CMDQV_OK;
	}
	if (!strcmp(kind, "batch")) {
		rec->kind = TB_TR_BATCH;
		if (ntok != 6) {
			tb_errf(err, errlen, "'batch' needs QUEUE PROD N");
			return CMDQV_EPARSE;
		}
		if (tb_trace_parse_queue(tok[3], &rec->queue)) {
			tb_errf(err, errlen, "unknown queue '%s'", tok[3]);
			return CMDQV_EPARSE;
		}
		if (cmdqv_parse_u64(tok[4], &v) || v > 0xFFFFF) {
			tb_errf(err, errlen, "bad PROD value '%s'", tok[4]);
			return CMDQV_EPARSE;
		}
		rec->pos = (uint32_t)v;
		if (cmdqv_parse_u64(tok[5], &v) || v > (1u << 20)) {
			tb_errf(err, errlen, "bad command count '%s'", tok[5]);
			return CMDQV_EPARSE;
		}
		rec->count = (uint32_t)v;
		return CMDQV_OK;
	}
	if (!strcmp(kind, "reset")) {
		rec->kind = TB_TR_RESET;
		for (int i = 3; i < ntok; i++) {
			const char *eq = strchr(tok[i], '=');
			if (!eq || eq == tok[i] || !eq[1]) {
				tb_errf(err, errlen,
					"reset platform item '%s' is not KEY=VALUE",
					tok[i]);
				return CMDQV_EPARSE;
			}
		}
		rec->count =
			(uint32_t)(ntok -
				   3); /* platform items, see tb_trace_reset_apply */
		return CMDQV_OK;
	}
	tb_errf(err, errlen, "unknown record kind '%s'", kind);
	return CMDQV_EPARSE;
}

/*
 * snprintf at offset *@n of @buf (@len bytes; @buf may be NULL), adding to
 * *@n what the text needs even when it does not fit: snprintf's contract
 * for the whole line, piece by piece.
 */
__attribute__((format(printf, 4, 5))) static void
tb_append(char *buf, size_t len, int *n, const char *fmt, ...)
{
	char scratch[1];
	bool fits = buf && (size_t)*n < len;
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(fits ? buf + *n : scratch, fits ? len - (size_t)*n : 0,
		      fmt, ap);
	va_end(ap);
	*n += k > 0 ? k : 0;
}
int tb_trace_format(const struct tb_trace_rec *rec, const char *comment,
		    char *buf, size_t len)
{
	char tb_scratch[1];
	char q[24];
	int n = 0;
	char dec[160];

#define TB_APPEND(...)                                                   \
	do {                                                             \
		int k_ = snprintf(                                       \
			(buf && (size_t)n < len) ? buf + n : tb_scratch, \
			(buf && (size_t)n < len) ? len - (size_t)n : 0,  \
			__VA_ARGS__);                                    \
		n += k_ > 0 ? k_ : 0;                                    \
	} while (0)

	if (rec->kind == TB_TR_RESET) {
		TB_APPEND("%" PRIu64 " %s reset", rec->time,
			  rec->src[0] ? rec->src : "host");
	} else {
		TB_APPEND("%" PRIu64 " %s ", rec->time,
			  rec->src[0] ? rec->src : "cpu0");
	}
	switch (rec->kind) {
	case TB_TR_RD:
	case TB_TR_WR:
		TB_APPEND("%s %s 0x%" PRIx64 " %u 0x%" PRIx64,
			  rec->kind == TB_TR_RD ? "rd" : "wr",
			  tb_trace_space_name(rec->space), rec->offset,
			  rec->size, rec->value);
		break;
	case TB_TR_POLL:
		TB_APPEND("poll %s 0x%" PRIx64 " %u 0x%" PRIx64 " 0x%" PRIx64,
			  tb_trace_space_name(rec->space), rec->offset,
			  rec->size, rec->mask, rec->value);
		break;
	case TB_TR_MW:
		TB_APPEND("mw 0x%" PRIx64, rec->addr);
		for (uint32_t i = 0; i < rec->nwords && i < TB_TRACE_MW_MAX;
		     i++)
			TB_APPEND(" 0x%016" PRIx64, rec->words[i]);
		break;
	case TB_TR_CMD:
		tb_trace_queue_name(rec->queue, q, sizeof(q));
		TB_APPEND("cmd %s 0x%" PRIx32 " 0x%016" PRIx64 " 0x%016" PRIx64,
			  q, rec->pos, rec->words[0], rec->words[1]);
		if (rec->known[0] != UINT64_MAX || rec->known[1] != UINT64_MAX)
			TB_APPEND(" known=0x%" PRIx64 ":0x%" PRIx64,
				  rec->known[0], rec->known[1]);
		if (!comment) {
			struct cmd c;
			cmd_decode(rec->words, &c);
			cmd_format(&c, dec, sizeof(dec));
			comment = dec;
		}
		break;
	case TB_TR_PHASE:
		TB_APPEND("phase %" PRIu32, rec->phase_id);
		if (rec->name[0])
			TB_APPEND(" %s", rec->name);
		break;
	case TB_TR_BATCH:
		tb_trace_queue_name(rec->queue, q, sizeof(q));
		TB_APPEND("batch %s 0x%" PRIx32 " %" PRIu32, q, rec->pos,
			  rec->count);
		break;
	case TB_TR_RESET:
		break;
	}
	if (comment && *comment)
		TB_APPEND(" # %s", comment);
#undef TB_APPEND
	return n;
}

/* ------------------------------------------------------------------ */
/* reader                                                              */
/* ------------------------------------------------------------------ */

/**
 * struct tb_trace_reader - one open trace.
 * @gz:        zlib stream (plain files read transparently)
 * @path:      name for messages
 * @line:      current line number
 * @buf:       the current line
 * @plat:      copy of the platform line text, split in place into @pkey/@pval
 * @nplat:     platform items
 * @plat_line: line number of the platform line
 * @pending:   a record line was read while looking for the platform line
 * @last_time: time of the previous record (monotonic check)
 */
struct tb_trace_reader {
	gzFile gz;
	char *path;
	unsigned long line;
	char buf[TB_TRACE_LINE_MAX + 2];
	char plat[TB_TRACE_LINE_MAX];
	const char *pkey[TB_TRACE_PLATFORM_MAX];
	const char *pval[TB_TRACE_PLATFORM_MAX];
	size_t nplat;
	unsigned long plat_line;
	char rplat[TB_TRACE_LINE_MAX];
	const char *rkey[TB_TRACE_PLATFORM_MAX];
	const char *rval[TB_TRACE_PLATFORM_MAX];
	size_t nrplat;
	unsigned long rplat_line;
	bool pending;
	uint64_t last_time;
};

/* Read one line into r->buf. 1 = line, 0 = EOF, <0 = error (message set). */
static int tb_trace_getline(struct tb_trace_reader *r, char *err, size_t errlen)
{
	struct tb_gzline_why why;
	size_t n;

	switch (tb_gzline(r->gz, r->buf, sizeof(r->buf), &why)) {
	case TB_GZL_EOF:
		return 0;
	case TB_GZL_EIO:
		tb_errf_at(err, errlen, r->path, r->line + 1,
			   "read failed: %s%s", why.zmsg,
			   why.truncated ? " (truncated gzip file?)" : "");
		return -CMDQV_EIO;
	case TB_GZL_LONG:
		r->line++;
		tb_errf_at(err, errlen, r->path, r->line,
			   "line longer than %d bytes", TB_TRACE_LINE_MAX);
		return -CMDQV_EPARSE;
	case TB_GZL_EIO_LAST:
		r->line++;
		tb_errf_at(err, errlen, r->path, r->line, "read failed: %s%s",
			   why.zmsg,
			   why.truncated ? " (truncated gzip file?)" : "");
		return -CMDQV_EIO;
	case TB_GZL_LINE:
		break;
	}
	r->line++;
	n = strlen(r->buf);
	if (memchr(r->buf, '\0', n) != NULL || strlen(r->buf) != n) {
		tb_errf_at(err, errlen, r->path, r->line,
			   "NUL byte in a text line");
		return -CMDQV_EPARSE;
	}
	return 1;
}

static bool tb_trace_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0' || *s == '#';
}

/* Split KEY=VALUE items of @text into @store, @key/@val (TB_TRACE_PLATFORM_MAX each). */
static int tb_trace_items(struct tb_trace_reader *r, const char *text,
			  char *store, const char **key, const char **val,
			  size_t *count, char *err, size_t errlen)
{
	char *tok[TB_TRACE_PLATFORM_MAX];

	snprintf(store, TB_TRACE_LINE_MAX, "%s", text);
	int n = tb_trace_split(store, tok, TB_TRACE_PLATFORM_MAX);
	if (n < 0) {
		tb_errf_at(err, errlen, r->path, r->line,
			   "more than %d platform items",
			   TB_TRACE_PLATFORM_MAX);
		return CMDQV_EPARSE;
	}
	for (int i = 0; i < n; i++) {
		char *eq = strchr(tok[i], '=');
		if (!eq || eq == tok[i] || !eq[1]) {
			tb_errf_at(err, errlen, r->path, r->line,
				   "platform item '%s' is not KEY=VALUE",
				   tok[i]);
			return CMDQV_EPARSE;
		}
		*eq = '\0';
		key[i] = tok[i];
		val[i] = eq + 1;
	}
	*count = (size_t)n;
	return CMDQV_OK;
}

static int tb_trace_parse_platform(struct tb_trace_reader *r, const char *text,
				   char *err, size_t errlen)
{
	r->plat_line = r->line;
	return tb_trace_items(r, text, r->plat, r->pkey, r->pval, &r->nplat,
			      err, errlen);
}

int tb_trace_open(struct tb_trace_reader **out, const char *path, char *err,
		  size_t errlen)
{
	struct tb_trace_reader *r = calloc(1, sizeof(*r));
	int rc;

	*out = NULL;
	if (!r || !(r->path = strdup(path))) {
		free(r);
		tb_errf(err, errlen, "%s: error: out of memory", path);
		return CMDQV_ENOMEM;
	}
	r->gz = strcmp(path, "-") ? gzopen(path, "rb") : gzdopen(0, "rb");
	if (!r->gz) {
		tb_errf(err, errlen, "%s: error: cannot open: %s", path,
			errno ? strerror(errno) : "out of memory");
		tb_trace_close(r);
		return CMDQV_EIO;
	}
	gzbuffer(r->gz, 1 << 16);
	rc = tb_trace_getline(r, err, errlen);
	if (rc <= 0) {
		if (rc == 0)
			tb_errf(err, errlen,
				"%s:1: error: empty file (expected 'cmdqv-trace %d')",
				path, TB_TRACE_VERSION);
		tb_trace_close(r);
		return rc == 0 ? CMDQV_EPARSE : -rc;
	}
	unsigned ver;
	char extra;
	if (sscanf(r->buf, "cmdqv-trace %u %c", &ver, &extra) != 1) {
		tb_errf(err, errlen,
			"%s:1: error: not a cmdqv trace (expected header 'cmdqv-trace %d')",
			path, TB_TRACE_VERSION);
		tb_trace_close(r);
		return CMDQV_EPARSE;
	}
	if (ver != TB_TRACE_VERSION) {
		tb_errf(err, errlen,
			"%s:1: error: trace format version %u not supported (this program reads %d)",
			path, ver, TB_TRACE_VERSION);
		tb_trace_close(r);
		return CMDQV_EPARSE;
	}
	/* optional platform line before the first record */
	for (;;) {
		rc = tb_trace_getline(r, err, errlen);
		if (rc < 0) {
			tb_trace_close(r);
			return -rc;
		}
		if (rc == 0)
			break;
		if (tb_trace_blank(r->buf))
			continue;
		if (!strncmp(r->buf, "platform", 8) &&
		    (r->buf[8] == ' ' || !r->buf[8])) {
			char *hash = strchr(r->buf, '#');
			if (hash)
				*hash = '\0';
			rc = tb_trace_parse_platform(r, r->buf + 8, err,
						     errlen);
			if (rc) {
				tb_trace_close(r);
				return rc;
			}
			continue;
		}
		r->pending = true;
		break;
	}
	*out = r;
	return CMDQV_OK;
}

int tb_trace_next(struct tb_trace_reader *r, struct tb_trace_rec *rec,
		  char *err, size_t errlen)
{
	char why[256];

	for (;;) {
		if (r->pending) {
			r->pending = false;
		} else {
			int rc = tb_trace_getline(r, err, errlen);
			if (rc <= 0)
				return rc;
		}
		if (tb_trace_blank(r->buf))
			continue;
		if (!strncmp(r->buf, "platform", 8) &&
		    (r->buf[8] == ' ' || !r->buf[8])) {
			tb_errf_at(
				err, errlen, r->path, r->line,
				"'platform' must come before the first record");
			return -CMDQV_EPARSE;
		}
		if (tb_trace_parse(r->buf, rec, why, sizeof(why))) {
			tb_errf_at(err, errlen, r->path, r->line, "%s", why);
			return -CMDQV_EPARSE;
		}
		if (rec->kind != TB_TR_RESET && rec->time < r->last_time) {
			tb_errf_at(err, errlen, r->path, r->line,
				   "time %" PRIu64
				   " goes backwards (previous %" PRIu64 ")",
				   rec->time, r->last_time);
			return -CMDQV_EPARSE;
		}
		if (rec->kind == TB_TR_RESET) {
			rec->time = r->last_time;
			r->nrplat = 0;
			r->rplat_line = r->line;
			const char *p = rec->count ? strstr(r->buf, "reset") :
						     NULL;
			if (p) {
				char *hash = strchr(r->buf, '#');
				if (hash)
					*hash = '\0';
				int rc = tb_trace_items(r, p + 5, r->rplat,
							r->rkey, r->rval,
							&r->nrplat, err,
							errlen);
				if (rc)
					return -rc;
			}
		}
		r->last_time = rec->time;
		return 1;
	}
}

unsigned long tb_trace_line(const struct tb_trace_reader *r)
{
	return r->line;
}

const char *tb_trace_path(const struct tb_trace_reader *r)
{
	return r->path;
}

size_t tb_trace_platform_count(const struct tb_trace_reader *r)
{
	return r->nplat;
}

void tb_trace_platform_get(const struct tb_trace_reader *r, size_t i,
			   const char **key, const char **value)
{
	*key = i < r->nplat ? r->pkey[i] : NULL;
	*value = i < r->nplat ? r->pval[i] : NULL;
}

/* Applies @n key=value pairs to @cfg; errors name @what and @line. */
static int apply_pairs(const struct tb_trace_reader *r, const char *const *keys,
		       const char *const *vals, size_t n, unsigned long line,
		       const char *what, struct cmdqv_config *cfg, char *err,
		       size_t errlen)
{
	char why[256];

	for (size_t i = 0; i < n; i++) {
		int rc = cmdqv_config_set(cfg, keys[i], vals[i], why,
					  sizeof(why));
		if (rc) {
			tb_errf_at(err, errlen, r->path, line, "%s: %s", what,
				   why);
			return rc;
		}
	}
	return CMDQV_OK;
}

int tb_trace_platform_apply(const struct tb_trace_reader *r,
			    struct cmdqv_config *cfg, char *err, size_t errlen)
{
	return apply_pairs(r, r->pkey, r->pval, r->nplat, r->plat_line,
			   "platform", cfg, err, errlen);
}

int tb_trace_reset_apply(const struct tb_trace_reader *r,
			 struct cmdqv_config *cfg, char *err, size_t errlen)
{
	return apply_pairs(r, r->rkey, r->rval, r->nrplat, r->rplat_line,
			   "reset platform", cfg, err, errlen);
}

void tb_trace_close(struct tb_trace_reader *r)
{
	if (!r)
		return;
	if (r->gz)
		gzclose(r->gz);
	free(r->path);
	free(r);
}

/* ------------------------------------------------------------------ */
/* writer                                                              */
/* ------------------------------------------------------------------ */

/**
 * struct tb_trace_writer - one trace being written.
 * @gz:     zlib stream; "wT" (transparent) for plain text
 * @path:   name for messages
 * @failed: a write failed (reported by tb_trace_finish)
 */
struct tb_trace_writer {
	gzFile gz;
	char *path;
	bool failed;
};

int tb_trace_create(struct tb_trace_writer **out, const char *path,
		    const char *platform, char *err, size_t errlen)
{
	struct tb_trace_writer *w = calloc(1, sizeof(*w));
	size_t n = strlen(path);
	const char *mode = (n > 3 && !strcmp(path + n - 3, ".gz")) ? "wb6" :
								     "wbT";

	*out = NULL;
	if (!w || !(w->path = strdup(path))) {
		free(w);
		tb_errf(err, errlen, "%s: error: out of memory", path);
		return CMDQV_ENOMEM;
	}
	errno = 0;
	w->gz = strcmp(path, "-") ? gzopen(path, mode) : gzdopen(1, "wbT");
	if (!w->gz) {
		tb_errf(err, errlen, "%s: error: cannot create: %s", path,
			errno ? strerror(errno) : "out of memory");
		free(w->path);
		free(w);
		return CMDQV_EIO;
	}
	gzbuffer(w->gz, 1 << 16);
	if (gzprintf(w->gz, "cmdqv-trace %d\n", TB_TRACE_VERSION) <= 0)
		w->failed = true;
	if (platform && *platform &&
	    gzprintf(w->gz, "platform %s\n", platform) <= 0)
		w->failed = true;
	*out = w;
	return CMDQV_OK;
}

int tb_trace_write(struct tb_trace_writer *w, const struct tb_trace_rec *rec,
		   const char *comment)
{
	char line[TB_TRACE_LINE_MAX];
	int n = tb_trace_format(rec, comment, line, sizeof(line) - 1);

	if (n < 0 || (size_t)n >= sizeof(line) - 1)
		n = (int)strlen(line); /* over-long comment: keep what fitted */
	line[n++] = '\n';
	if (gzwrite(w->gz, line, (unsigned)n) != n) {
		w->failed = true;
		return CMDQV_EIO;
	}
	return CMDQV_OK;
}

int tb_trace_write_reset(struct tb_trace_writer *w, uint64_t time,
			 const char *src, const char *platform)
{
	if (gzprintf(w->gz, "%" PRIu64 " %s reset%s%s\n", time,
		     src && *src ? src : "host",
		     platform && *platform ? " " : "",
		     platform ? platform : "") <= 0) {
		w->failed = true;
		return CMDQV_EIO;
	}
	return CMDQV_OK;
}

int tb_trace_comment(struct tb_trace_writer *w, const char *text)
{
	if (gzprintf(w->gz, "# %s\n", text) <= 0) {
		w->failed = true;
		return CMDQV_EIO;
	}
	return CMDQV_OK;
}

int tb_trace_finish(struct tb_trace_writer *w, char *err, size_t errlen)
{
	int rc = CMDQV_OK;

	if (!w)
		return CMDQV_OK;
	if (gzclose(w->gz) != Z_OK || w->failed) {
		tb_errf(err, errlen, "%s: error: write failed", w->path);
		rc = CMDQV_EIO;
	}
	free(w->path);
	free(w);
	return rc;
}

int tb_trace_platform_text(const struct cmdqv_config *cfg, char *buf,
			   size_t len)
{
	int n = 0;

#define TB_PLAT_APPEND(...) tb_append(buf, len, &n, __VA_ARGS__)
#define TB_PLAT_BOOL(key) \
	TB_PLAT_APPEND("%s%s=%d", n ? " " : "", #key, cfg->key ? 1 : 0)
#define TB_PLAT_U32(key) \
	TB_PLAT_APPEND("%s%s=%" PRIu32, n ? " " : "", #key, cfg->key)
#define TB_PLAT_TIME(key) \
	TB_PLAT_APPEND("%s%s=%" PRIu64 "ps", n ? " " : "", #key, cfg->key)
#define X(key, kind, unit, def, src, doc) TB_PLAT_##kind(key);
#include "cmdqv_sim/params.def"
#undef X
#undef TB_PLAT_BOOL
#undef TB_PLAT_U32
#undef TB_PLAT_TIME
#undef TB_PLAT_APPEND
	return n;
}

/* ------------------------------------------------------------------ */
/* queue tracker                                                       */
/* ------------------------------------------------------------------ */

/* Register offsets and fields: cmdqv_sim/regmap.h. */

void tb_qtrack_reset(struct tb_qtrack *t)
{
	memset(t, 0, sizeof(*t));
}

struct tb_qtrack_queue *tb_qtrack_get(struct tb_qtrack *t, int32_t queue)
{
	if (queue == CMDQV_QUEUE_SMMU)
		return &t->q[0];
	if (queue < 0 || queue >= TB_QTRACK_QUEUES - 1)
		return NULL;
	return &t->q[1 + queue];
}

/* Global VCMDQ for a CMDQ-V offset: page 0 or 1, register offset in the queue's block. */
static int tb_qtrack_vcmdq(const struct tb_qtrack *t, uint64_t off, bool *page0,
			   uint32_t *reg)
{
	if (off >= T241_VCMDQ_PAGE0_BASE && off < T241_VINTF_PAGE0_BASE) {
		/* docs/cmdqv-reference.md section 2: global page 0 at 0x10000,
		 * page 1 at 0x20000 */
		uint64_t rel = off - T241_VCMDQ_PAGE0_BASE;
		*page0 = rel < T241_PAGE_SIZE;
		rel %= T241_PAGE_SIZE;
		*reg = (uint32_t)(rel % T241_VCMDQ_STRIDE);
		uint64_t q = rel / T241_VCMDQ_STRIDE;
		return q < TB_QTRACK_QUEUES - 1 ? (int)q : -1;
	}
	if (off >= T241_VINTF_PAGE0_BASE) {
		/* VINTF i page 0/1, logical queue l at + 0x80*l, mapped through CMDQ_ALLOC */
		uint64_t rel = off - T241_VINTF_PAGE0_BASE;
		uint32_t vintf = (uint32_t)(rel / T241_VINTF_PAGE_STRIDE);
		rel %= T241_VINTF_PAGE_STRIDE;
		*page0 = rel < T241_PAGE_SIZE;
		rel %= T241_PAGE_SIZE;
		*reg = (uint32_t)(rel % T241_VCMDQ_STRIDE);
		uint32_t lq = (uint32_t)(rel / T241_VCMDQ_STRIDE);
		for (int q = 0; q < TB_QTRACK_QUEUES - 1; q++) {
			uint32_t a = t->alloc[q];
			if (CMDQV_FIELD_EX(a, T241_CMDQ_ALLOC_ALLOCATED) &&
			    CMDQV_FIELD_EX(a, T241_CMDQ_ALLOC_LVCMDQ) == lq &&
			    CMDQV_FIELD_EX(a, T241_CMDQ_ALLOC_VINTF) == vintf)
				return q;
		}
	}
	return -1;
}

enum tb_qreg tb_qtrack_reg(const struct tb_qtrack *t, enum cmdqv_space space,
			   uint64_t off, int32_t *queue)
{
	bool page0;
	uint32_t reg;

	if (space == CMDQV_SPACE_SMMU) {
		*queue = CMDQV_QUEUE_SMMU;
		if (off >= SMMU_PAGE1) /* no CMDQ registers in page 1 */
			return TB_QREG_NONE;
		if (off == SMMU_CMDQ_BASE || off == SMMU_CMDQ_BASE + 4)
			return TB_QREG_BASE;
		if (off == SMMU_CMDQ_PROD)
			return TB_QREG_PROD;
		if (off == SMMU_CMDQ_CONS)
			return TB_QREG_CONS;
		return TB_QREG_NONE;
	}
	int vq = tb_qtrack_vcmdq(t, off, &page0, &reg);
	if (vq < 0)
		return TB_QREG_NONE;
	*queue = vq;
	if (!page0)
		return reg == 0 || reg == 4 ? TB_QREG_BASE : TB_QREG_NONE;
	if (reg == T241_VCMDQ_PROD_INDX)
		return TB_QREG_PROD;
	if (reg == T241_VCMDQ_CONS_INDX)
		return TB_QREG_CONS;
	return TB_QREG_NONE;
}

bool tb_qtrack_write(struct tb_qtrack *t, enum cmdqv_space space, uint64_t off,
		     uint32_t size, uint64_t value, int32_t *queue,
		     uint32_t *newprod)
{
	int32_t qid;

	if (space == CMDQV_SPACE_CMDQV && off >= T241_CMDQ_ALLOC(0) &&
	    off < T241_CMDQ_ALLOC(TB_QTRACK_QUEUES - 1) && size == 4) {
		t->alloc[(off - T241_CMDQ_ALLOC(0)) / 4] = (uint32_t)value;
		return false;
	}
	enum tb_qreg kind = tb_qtrack_reg(t, space, off, &qid);
	struct tb_qtrack_queue *q = tb_qtrack_get(t, qid);
	if (kind == TB_QREG_NONE || !q)
		return false;
	bool low = space == CMDQV_SPACE_SMMU ?
			   (off % SMMU_PAGE_SIZE) == SMMU_CMDQ_BASE :
			   (off % T241_VCMDQ_STRIDE) == 0;
	if (kind == TB_QREG_BASE) {
		/* The register as written so far (its ADDR and LOG2SIZE fields):
		 * SMMU CMDQ_BASE, or the two halves of a VCMDQ's BASE_L/H. */
		bool smmu = space == CMDQV_SPACE_SMMU;
		uint64_t reg = q->base | q->log2size;

		if (size == 8)
			reg = value;
		else if (low)
			reg = (reg & ~0xFFFFFFFFull) | (uint32_t)value;
		else
			reg = (reg & 0xFFFFFFFFull) |
			      ((uint64_t)(uint32_t)value << 32);
		q->base = reg & (smmu ? CMDQV_FIELD_MASK(SMMU_Q_BASE_ADDR) :
					CMDQV_FIELD_MASK(T241_VCMDQ_BASE_ADDR));
		q->log2size =
			(uint32_t)(smmu ? CMDQV_FIELD_EX(reg,
							 SMMU_Q_BASE_LOG2SIZE) :
					  CMDQV_FIELD_EX(
						  reg,
						  T241_VCMDQ_BASE_LOG2SIZE));
		if (q->log2size > 19)
			q->log2size = 19;
		q->based = true;
		return false;
	}
	if (kind == TB_QREG_PROD) {
		struct ring ring = { .log2size = (uint8_t)q->log2size };

		*queue = qid;
		*newprod = (uint32_t)value & ring_pos_mask(ring);
		return true;
	}
	return false;
}
