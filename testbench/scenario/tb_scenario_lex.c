/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_scenario_lex.c - the lexical layer of the scenario parser
 * (docs/scenarios.md, "Lexical rules"): error messages with FILE:LINE,
 * numbers, times, register spaces and offsets, comparison operators, the
 * statement array, and the check that a line holds only ASCII (a byte that
 * is not is named, never echoed raw).
 */
#include "tb_scenario_parse.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/regmap.h"
#include "cmdqv_sim/status.h"
#include "tb_util.h"

const char *const tb_cmp_text[] = { "", "==", "!=", "<", "<=", ">", ">=" };

/* ------------------------------------------------------------------ */
/* parser state and errors                                             */

int tb_scn_err(struct tb_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tb_verrf_at(p->err, p->errlen, p->s->name, p->line, fmt, ap);
	va_end(ap);
	return CMDQV_EPARSE;
}

/* C11 has no strdup/strndup. */
char *tb_scn_strndup(const char *t, size_t n)
{
	size_t len = 0;
	while (len < n && t[len])
		len++;
	char *d = malloc(len + 1);
	if (d) {
		memcpy(d, t, len);
		d[len] = '\0';
	}
	return d;
}

char *tb_scn_strdup(const char *t)
{
	return tb_scn_strndup(t, strlen(t));
}

/* ------------------------------------------------------------------ */
/* number, time and keyword parsing                                    */

/**
 * A time: decimal number (optionally with a fraction) immediately followed
 * by ps|ns|us|ms|s.  Returns 0, -1 if malformed, -2 if the unit is missing,
 * -3 if finer than a picosecond, -4 if more than 2^64-1 ps.
 */
static int parse_time(const char *t, sim_time_t *out)
{
	static const struct {
		const char *unit;
		uint64_t ps;
		unsigned digits; /* fraction digits that still give whole ps */
	} units[] = { { "ps", 1, 0 },
		      { "ns", 1000, 3 },
		      { "us", 1000000, 6 },
		      { "ms", 1000000000ull, 9 },
		      { "s", 1000000000000ull, 12 } };
	uint64_t ip = 0, frac = 0;
	unsigned nfrac = 0;
	const char *c = t;
	if (!isdigit((unsigned char)*c))
		return -1;
	bool big = false; /* the integer part alone exceeds 64 bits */
	for (; isdigit((unsigned char)*c); c++) {
		uint64_t d = (uint64_t)(*c - '0');

		if (ip > (UINT64_MAX - d) / 10)
			big = true;
		else
			ip = ip * 10 + d;
	}
	if (*c == '.') {
		c++;
		if (!isdigit((unsigned char)*c))
			return -1;
		for (; isdigit((unsigned char)*c); c++) {
			/* trailing zeros add no precision */
			if (nfrac >= 12 && *c != '0')
				return -3;
			if (nfrac < 12) {
				frac = frac * 10 + (uint64_t)(*c - '0');
				nfrac++;
			}
		}
	}
	if (!*c)
		return -2;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(c, units[i].unit))
			continue;
		/* the fraction scaled to picoseconds: digits == log10(ps per
		 * unit); digits past them must be zeros */
		uint64_t fps = frac;
		for (unsigned k = nfrac; k > units[i].digits; k--) {
			if (fps % 10)
				return -3; /* finer than a picosecond */
			fps /= 10;
		}
		for (unsigned k = nfrac; k < units[i].digits; k++)
			fps *= 10;
		if (big || ip > (UINT64_MAX - fps) / units[i].ps)
			return -4;
		*out = ip * units[i].ps + fps;
		return 0;
	}
	return -1;
}

int tb_scn_need_time(struct tb_parser *p, const char *t, const char *what,
		     sim_time_t *out)
{
	int r = parse_time(t, out);
	if (r == 0)
		return 0;
	if (r == -2)
		return tb_scn_err(
			p,
			"%s '%s' has no unit (write e.g. %sns; units: ps ns us ms s)",
			what, t, t);
	if (r == -3)
		return tb_scn_err(
			p,
			"%s '%s' is finer than a picosecond (times are whole "
			"picoseconds)",
			what, t);
	if (r == -4)
		return tb_scn_err(p,
				  "%s '%s' is too large (more than 2^64-1 ps)",
				  what, t);
	return tb_scn_err(
		p, "bad %s '%s' (expected a number with a unit ps|ns|us|ms|s)",
		what, t);
}

/* @t is written like a number (0x and hex digits, or decimal digits), so
 * cmdqv_parse_u64() refusing it means it does not fit. */
static bool tb_scn_is_digits(const char *t)
{
	bool hex = t[0] == '0' && (t[1] == 'x' || t[1] == 'X');
	const char *c = hex ? t + 2 : t;

	if (!*c)
		return false;
	for (; *c; c++)
		if (hex ? !isxdigit((unsigned char)*c) :
			  !isdigit((unsigned char)*c))
			return false;
	return true;
}

int tb_scn_need_u64(struct tb_parser *p, const char *t, const char *what,
		    uint64_t *out)
{
	if (!t)
		return tb_scn_err(p, "missing %s", what);
	if (cmdqv_parse_u64(t, out) && tb_scn_is_digits(t))
		return tb_scn_err(
			p, "number '%s' for %s is too large (at most 64 bits)",
			t, what);
	if (cmdqv_parse_u64(t, out))
		return tb_scn_err(
			p,
			"bad number '%s' for %s (decimal or 0x hex expected)",
			t, what);
	return 0;
}

int tb_scn_need_width(struct tb_parser *p, const char *t, const char *what,
		      unsigned bits, uint64_t *out)
{
	int r = tb_scn_need_u64(p, t, what, out);
	if (r)
		return r;
	if (bits < 64 && (*out >> bits))
		return tb_scn_err(p, "%s 0x%llx does not fit in %u bits", what,
				  (unsigned long long)*out, bits);
	return 0;
}

/** Split "key=value" in place; returns value or NULL. */
char *tb_scn_split_kv(char *tok)
{
	char *eq = strchr(tok, '=');
	if (!eq || eq == tok)
		return NULL;
	*eq = '\0';
	return eq + 1;
}

int tb_scn_parse_space(struct tb_parser *p, const char *t,
		       enum cmdqv_space *out)
{
	if (!t)
		return tb_scn_err(p, "missing register space (smmu or cmdqv)");
	if (!strcmp(t, "smmu"))
		*out = CMDQV_SPACE_SMMU;
	else if (!strcmp(t, "cmdqv"))
		*out = CMDQV_SPACE_CMDQV;
	else
		return tb_scn_err(
			p,
			"unknown register space '%s' (expected smmu or cmdqv)",
			t);
	return 0;
}

int tb_scn_parse_cmp(const char *t, enum tb_cmp *out)
{
	for (int i = CMP_EQ; i <= CMP_GE; i++)
		if (t && !strcmp(t, tb_cmp_text[i])) {
			*out = (enum tb_cmp)i;
			return 0;
		}
	return -1;
}

/** Aperture size the configuration implies (model.h, docs/cmdqv-reference.md
 * section 2). */
static uint64_t space_size(const struct cmdqv_config *cfg, enum cmdqv_space sp)
{
	if (sp == CMDQV_SPACE_SMMU)
		return SMMU_PAGE1 + SMMU_PAGE_SIZE;
	return cfg->cmdqv ? T241_VINTF_PAGE0(cfg->vintfs, 0) : 0;
}

int tb_scn_check_access(struct tb_parser *p, enum cmdqv_space sp, uint64_t off,
			unsigned size)
{
	uint64_t lim = space_size(&p->s->cfg, sp);
	if (sp == CMDQV_SPACE_CMDQV && !p->s->cfg.cmdqv)
		return tb_scn_err(
			p,
			"the platform has no CMDQ-V (config cmdqv=0), so there is no cmdqv "
			"register space to access");
	if (off % size)
		return tb_scn_err(
			p, "offset 0x%llx is not aligned to the %u-byte access",
			(unsigned long long)off, size);
	if (off >= lim || lim - off < size)
		return tb_scn_err(
			p,
			"offset 0x%llx is outside the %s aperture (size 0x%llx)",
			(unsigned long long)off,
			sp == CMDQV_SPACE_SMMU ? "smmu" : "cmdqv",
			(unsigned long long)lim);
	return 0;
}

/* ------------------------------------------------------------------ */
/* statement parsers                                                   */

struct tb_stmt *tb_scn_new_stmt(struct tb_parser *p, enum tb_stmt_kind kind)
{
	struct tb_script *s = p->s;
	if (s->count == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64;
		struct tb_stmt *n = realloc(s->stmts, ncap * sizeof(*n));
		if (!n)
			return NULL;
		s->stmts = n;
		s->cap = ncap;
	}
	struct tb_stmt *st = &s->stmts[s->count++];
	memset(st, 0, sizeof(*st));
	st->kind = kind;
	st->line = p->line;
	st->mask = ~0ull;
	return st;
}

/* ------------------------------------------------------------------ */
/* non-ASCII input                                                     */

/* Length and code point of the UTF-8 sequence at @b, or 0 if malformed
 * (overlong forms, surrogates and values above U+10FFFF are malformed). */
static unsigned utf8_decode(const unsigned char *b, uint32_t *cp)
{
	unsigned n, k;
	uint32_t v;

	if (b[0] >= 0xC2 && b[0] <= 0xDF) {
		n = 2;
		v = b[0] & 0x1Fu;
	} else if (b[0] >= 0xE0 && b[0] <= 0xEF) {
		n = 3;
		v = b[0] & 0x0Fu;
	} else if (b[0] >= 0xF0 && b[0] <= 0xF4) {
		n = 4;
		v = b[0] & 0x07u;
	} else {
		return 0;
	}
	for (k = 1; k < n; k++) {
		if ((b[k] & 0xC0u) != 0x80u)
			return 0;
		v = v << 6 | (b[k] & 0x3Fu);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && v < 0x10000) ||
	    (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF)
		return 0;
	*cp = v;
	return n;
}

/* Characters that pass for ASCII in an editor, by name. */
static const char *utf8_name(uint32_t cp)
{
	static const struct {
		uint32_t cp;
		const char *name;
	} names[] = {
		{ 0x00A0, "no-break space" },
		{ 0x00AD, "soft hyphen" },
		{ 0x2002, "en space" },
		{ 0x2003, "em space" },
		{ 0x2009, "thin space" },
		{ 0x200B, "zero-width space" },
		{ 0x2010, "hyphen" },
		{ 0x2013, "en dash" },
		{ 0x2014, "em dash" },
		{ 0x2018, "left single quotation mark" },
		{ 0x2019, "right single quotation mark" },
		{ 0x201C, "left double quotation mark" },
		{ 0x201D, "right double quotation mark" },
		{ 0x202F, "narrow no-break space" },
		{ 0x2212, "minus sign" },
		{ 0x3000, "ideographic space" },
		{ 0xFEFF, "UTF-8 byte-order mark" },
		{ 0xFF10, "fullwidth digit zero" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].cp == cp)
			return names[i].name;
	return "character";
}

int tb_scn_check_ascii(struct tb_parser *p, const char *text)
{
	const unsigned char *b = (const unsigned char *)text;

	for (size_t i = 0; b[i]; i++) {
		uint32_t cp = 0;
		unsigned n;

		if (b[i] == '\t' || (b[i] >= 0x20 && b[i] < 0x7F))
			continue;
		if (b[i] == '\r' && !b[i + 1])
			continue; /* the CR of a CR LF line end */
		if (b[i] == '\r')
			return tb_scn_err(
				p,
				"carriage return at column %zu inside the line "
				"(only a CR LF line end may hold one)",
				i + 1);
		if (b[i] < 0x20 || b[i] == 0x7F)
			return tb_scn_err(
				p,
				"control byte 0x%02x at column %zu (scripts are "
				"ASCII text)",
				b[i], i + 1);
		n = utf8_decode(b + i, &cp);
		if (n && cp == 0xFEFF && p->line == 1 && i == 0)
			return tb_scn_err(
				p,
				"UTF-8 byte-order mark at the start of the file "
				"(scripts are ASCII: save without a BOM)");
		if (n)
			return tb_scn_err(
				p,
				"non-ASCII %s U+%04X at column %zu (scripts are "
				"ASCII outside comments and echo text)",
				utf8_name(cp), (unsigned)cp, i + 1);
		return tb_scn_err(
			p,
			"byte 0x%02x at column %zu is not ASCII (nor UTF-8); "
			"scripts are ASCII text",
			b[i], i + 1);
	}
	return 0;
}
