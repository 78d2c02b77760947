/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_scenario.c - parser and interpreter of scenario scripts
 * (grammar: docs/scenarios.md).
 *
 * Two phases, so that a malformed script never runs halfway: the parser
 * turns every line into a struct tb_stmt (checking numbers, units, widths,
 * offsets against the configured apertures, command names and fields) and
 * builds the configuration; the interpreter then executes the statements
 * through a struct tb_backend_ops.
 *
 * Commands are encoded here, from the field layouts of IHI 0070 4.2-4.7;
 * arm-smmu-v3.h, independently of the core's cmd_encode(): a scenario thereby
 * also checks the core's decoder against the spec.
 */
#include "tb_scenario_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/status.h"
#include "tb_mem.h"
#include "tb_util.h"

const char *const tb_cmp_text[] = { "", "==", "!=", "<", "<=", ">", ">=" };

/* ------------------------------------------------------------------ */
/* parser state and errors                                             */

#define TB_MAX_TOKENS 64

struct tb_parser {
	struct tb_script *s;
	unsigned line;
	char *tok[TB_MAX_TOKENS];
	int ntok;
	char *rest_after_first; /* raw text after the first token (echo) */
	bool accessed; /* a non-config statement was seen */
	bool cfg_validated;
	char *err;
	size_t errlen;
};

static int perr(struct tb_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tb_verrf_at(p->err, p->errlen, p->s->name, p->line, fmt, ap);
	va_end(ap);
	return CMDQV_EPARSE;
}

/* C11 has no strdup/strndup. */
static char *tb_strndup(const char *t, size_t n)
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

static char *tb_strdup(const char *t)
{
	return tb_strndup(t, strlen(t));
}

/* ------------------------------------------------------------------ */
/* number, time and keyword parsing                                    */

/**
 * A time: decimal number (optionally with a fraction) immediately followed
 * by ps|ns|us|ms|s.  Returns 0, -1 if malformed, -2 if the unit is missing,
 * -3 if not a whole number of picoseconds or too large.
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
	for (; isdigit((unsigned char)*c); c++) {
		if (ip > (UINT64_MAX - 9) / 10)
			return -3;
		ip = ip * 10 + (uint64_t)(*c - '0');
	}
	if (*c == '.') {
		c++;
		if (!isdigit((unsigned char)*c))
			return -1;
		for (; isdigit((unsigned char)*c); c++) {
			if (nfrac >= 12)
				return -3;
			frac = frac * 10 + (uint64_t)(*c - '0');
			nfrac++;
		}
	}
	if (!*c)
		return -2;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(c, units[i].unit))
			continue;
		if (nfrac > units[i].digits)
			return -3; /* finer than a picosecond */
		/* the fraction scaled to picoseconds: digits == log10(ps per unit) */
		uint64_t fps = frac;
		for (unsigned k = nfrac; k < units[i].digits; k++)
			fps *= 10;
		if (ip > (UINT64_MAX - fps) / units[i].ps)
			return -3;
		*out = ip * units[i].ps + fps;
		return 0;
	}
	return -1;
}

static int need_time(struct tb_parser *p, const char *t, const char *what,
		     sim_time_t *out)
{
	int r = parse_time(t, out);
	if (r == 0)
		return 0;
	if (r == -2)
		return perr(
			p,
			"%s '%s' has no unit (write e.g. %sns; units: ps ns us ms s)",
			what, t, t);
	if (r == -3)
		return perr(
			p,
			"%s '%s' is not a whole number of picoseconds or too large",
			what, t);
	return perr(p,
		    "bad %s '%s' (expected a number with a unit ps|ns|us|ms|s)",
		    what, t);
}

static int need_u64(struct tb_parser *p, const char *t, const char *what,
		    uint64_t *out)
{
	if (!t)
		return perr(p, "missing %s", what);
	if (cmdqv_parse_u64(t, out))
		return perr(
			p,
			"bad number '%s' for %s (decimal or 0x hex expected)",
			t, what);
	return 0;
}

static int need_width(struct tb_parser *p, const char *t, const char *what,
		      unsigned bits, uint64_t *out)
{
	int r = need_u64(p, t, what, out);
	if (r)
		return r;
	if (bits < 64 && (*out >> bits))
		return perr(p, "%s 0x%llx does not fit in %u bits", what,
			    (unsigned long long)*out, bits);
	return 0;
}

/** Split "key=value" in place; returns value or NULL. */
static char *split_kv(char *tok)
{
	char *eq = strchr(tok, '=');
	if (!eq || eq == tok)
		return NULL;
	*eq = '\0';
	return eq + 1;
}

static int parse_space(struct tb_parser *p, const char *t,
		       enum cmdqv_space *out)
{
	if (!t)
		return perr(p, "missing register space (smmu or cmdqv)");
	if (!strcmp(t, "smmu"))
		*out = CMDQV_SPACE_SMMU;
	else if (!strcmp(t, "cmdqv"))
		*out = CMDQV_SPACE_CMDQV;
	else
		return perr(
			p,
			"unknown register space '%s' (expected smmu or cmdqv)",
			t);
	return 0;
}

static int parse_cmp(const char *t, enum tb_cmp *out)
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
		return 0x20000;
	return cfg->cmdqv ? 0x30000 + (uint64_t)cfg->vintfs * 0x20000 : 0;
}

static int check_access(struct tb_parser *p, enum cmdqv_space sp, uint64_t off,
			unsigned size)
{
	uint64_t lim = space_size(&p->s->cfg, sp);
	if (sp == CMDQV_SPACE_CMDQV && !p->s->cfg.cmdqv)
		return perr(
			p,
			"the platform has no CMDQ-V (config cmdqv=0), so there is no cmdqv "
			"register space to access");
	if (off % size)
		return perr(
			p, "offset 0x%llx is not aligned to the %u-byte access",
			(unsigned long long)off, size);
	if (off >= lim || lim - off < size)
		return perr(
			p,
			"offset 0x%llx is outside the %s aperture (size 0x%llx)",
			(unsigned long long)off,
			sp == CMDQV_SPACE_SMMU ? "smmu" : "cmdqv",
			(unsigned long long)lim);
	return 0;
}

/* ------------------------------------------------------------------ */
/* command encoding (IHI 0070 4.2-4.7;
 * arm-smmu-v3.h)                             */

/* Fields per opcode: the public field table (cmd.h, cmd_field_*). */

/** Opcode for a name (with or without CMD_ prefix) or a number; -1 if unknown. */
static int lookup_opcode(const char *name, bool *is_all)
{
	static const struct {
		const char *name;
		uint8_t op;
	} table[] = {
#define TB_OPNAME(n, v) { #n, v },
		CMD_OPCODE_MAP(TB_OPNAME)
#undef TB_OPNAME
	};
	const char *n = name;
	*is_all = false;
	if (!strncmp(n, "CMD_", 4))
		n += 4;
	if (!strcmp(n, "CFGI_ALL")) {
		*is_all = true;
		return CMDQ_OP_CFGI_STE_RANGE;
	}
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(n, table[i].name))
			return table[i].op;
	return -1;
}

/* ------------------------------------------------------------------ */
/* statement parsers                                                   */

static struct tb_stmt *new_stmt(struct tb_parser *p, enum tb_stmt_kind kind)
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

static unsigned access_size(const char *verb)
{
	size_t n = strlen(verb);
	if (n > 2 && !strcmp(verb + n - 2, "32"))
		return 4;
	if (n > 2 && !strcmp(verb + n - 2, "64"))
		return 8;
	return 0;
}

/* Parse "==|!= VALUE [mask MASK]" starting at token @i; returns next index or -1. */
static int parse_check(struct tb_parser *p, int i, struct tb_stmt *st,
		       unsigned bits, bool required)
{
	if (i >= p->ntok) {
		if (required) {
			perr(p, "missing comparison (== or != VALUE)");
			return -1;
		}
		return i;
	}
	if (parse_cmp(p->tok[i], &st->cmp) ||
	    (st->cmp != CMP_EQ && st->cmp != CMP_NE)) {
		perr(p, "expected == or != before '%s'", p->tok[i]);
		return -1;
	}
	if (need_width(p, i + 1 < p->ntok ? p->tok[i + 1] : NULL, "value", bits,
		       &st->value))
		return -1;
	i += 2;
	if (i < p->ntok && !strcmp(p->tok[i], "mask")) {
		if (need_width(p, i + 1 < p->ntok ? p->tok[i + 1] : NULL,
			       "mask", bits, &st->mask))
			return -1;
		i += 2;
		if (st->value & ~st->mask) {
			perr(p, "value 0x%llx has bits outside mask 0x%llx",
			     (unsigned long long)st->value,
			     (unsigned long long)st->mask);
			return -1;
		}
	} else if (bits < 64) {
		st->mask = (1ull << bits) - 1;
	}
	return i;
}

static int parse_reg(struct tb_parser *p, const char *verb)
{
	unsigned size = access_size(verb);
	enum tb_stmt_kind kind;
	if (!strncmp(verb, "write", 5))
		kind = ST_WRITE;
	else if (!strncmp(verb, "read", 4))
		kind = ST_READ;
	else if (!strncmp(verb, "modify", 6))
		kind = ST_MODIFY;
	else
		kind = ST_POLL;
	struct tb_stmt *st = new_stmt(p, kind);
	if (!st)
		return CMDQV_ENOMEM;
	unsigned bits = size * 8;
	st->size = size;
	if (parse_space(p, p->ntok > 1 ? p->tok[1] : NULL, &st->space))
		return CMDQV_EPARSE;
	if (need_u64(p, p->ntok > 2 ? p->tok[2] : NULL, "register offset",
		     &st->off))
		return CMDQV_EPARSE;
	if (check_access(p, st->space, st->off, size))
		return CMDQV_EPARSE;
	int i = 3;
	switch (kind) {
	case ST_WRITE:
		if (need_width(p, p->ntok > 3 ? p->tok[3] : NULL, "value", bits,
			       &st->value))
			return CMDQV_EPARSE;
		i = 4;
		break;
	case ST_READ:
		i = parse_check(p, 3, st, bits, false);
		if (i < 0)
			return CMDQV_EPARSE;
		break;
	case ST_MODIFY:
		while (i < p->ntok && (!strcmp(p->tok[i], "set") ||
				       !strcmp(p->tok[i], "clear"))) {
			uint64_t *dst = p->tok[i][0] == 's' ? &st->set :
							      &st->clear;
			if (need_width(p,
				       i + 1 < p->ntok ? p->tok[i + 1] : NULL,
				       p->tok[i], bits, dst))
				return CMDQV_EPARSE;
			i += 2;
		}
		if (i == 3)
			return perr(p,
				    "%s needs 'set BITS' and/or 'clear BITS'",
				    verb);
		break;
	default: /* poll */
		i = parse_check(p, 3, st, bits, true);
		if (i < 0)
			return CMDQV_EPARSE;
		if (i >= p->ntok || strcmp(p->tok[i], "within"))
			return perr(
				p,
				"%s needs 'within TIME' after the comparison",
				verb);
		if (i + 1 >= p->ntok)
			return perr(p, "missing time after 'within'");
		if (need_time(p, p->tok[i + 1], "time", &st->time))
			return CMDQV_EPARSE;
		i += 2;
		break;
	}
	if (i < p->ntok)
		return perr(p, "unexpected '%s' at the end of %s", p->tok[i],
			    verb);
	return 0;
}

static int parse_mem(struct tb_parser *p)
{
	const char *sub = p->ntok > 1 ? p->tok[1] : "";
	if (!strcmp(sub, "write") || !strcmp(sub, "expect")) {
		struct tb_stmt *st = new_stmt(p, sub[0] == 'w' ? ST_MEM_WRITE :
								 ST_MEM_EXPECT);
		if (!st)
			return CMDQV_ENOMEM;
		if (need_u64(p, p->ntok > 2 ? p->tok[2] : NULL, "address",
			     &st->addr))
			return CMDQV_EPARSE;
		if (st->addr % 8)
			return perr(p, "address 0x%llx is not 8-byte aligned",
				    (unsigned long long)st->addr);
		if (p->ntok < 4)
			return perr(p, "mem %s needs at least one 64-bit word",
				    sub);
		st->nwords = (size_t)(p->ntok - 3);
		st->words = calloc(st->nwords, sizeof(uint64_t));
		if (!st->words)
			return CMDQV_ENOMEM;
		for (size_t k = 0; k < st->nwords; k++)
			if (need_u64(p, p->tok[3 + k], "word", &st->words[k]))
				return CMDQV_EPARSE;
		if ((st->addr >> 48) ||
		    ((1ull << 48) - st->addr) / 8 < st->nwords)
			return perr(
				p, "memory range at 0x%llx goes beyond 48 bits",
				(unsigned long long)st->addr);
		return 0;
	}
	if (!strcmp(sub, "poll")) {
		/* mem poll ADDR ==|!= WORD64 [mask MASK] within TIME */
		struct tb_stmt *st = new_stmt(p, ST_MEM_POLL);
		if (!st)
			return CMDQV_ENOMEM;
		if (need_u64(p, p->ntok > 2 ? p->tok[2] : NULL, "address",
			     &st->addr))
			return CMDQV_EPARSE;
		if (st->addr % 8)
			return perr(p, "address 0x%llx is not 8-byte aligned",
				    (unsigned long long)st->addr);
		int i = parse_check(p, 3, st, 64, true);
		if (i < 0)
			return CMDQV_EPARSE;
		if (i >= p->ntok || strcmp(p->tok[i], "within"))
			return perr(
				p,
				"mem poll needs 'within TIME' after the comparison");
		if (i + 1 >= p->ntok)
			return perr(p, "missing time after 'within'");
		if (need_time(p, p->tok[i + 1], "time", &st->time))
			return CMDQV_EPARSE;
		if (i + 2 < p->ntok)
			return perr(p, "unexpected '%s' at the end of mem poll",
				    p->tok[i + 2]);
		return 0;
	}
	if (!strcmp(sub, "fault") || !strcmp(sub, "unfault")) {
		struct tb_stmt *st = new_stmt(
			p, sub[0] == 'f' ? ST_MEM_FAULT : ST_MEM_UNFAULT);
		if (!st)
			return CMDQV_ENOMEM;
		if (need_u64(p, p->ntok > 2 ? p->tok[2] : NULL, "address",
			     &st->addr) ||
		    need_u64(p, p->ntok > 3 ? p->tok[3] : NULL, "length",
			     &st->len))
			return CMDQV_EPARSE;
		if (st->len == 0)
			return perr(p, "fault length must not be zero");
		/* Same 48-bit physical space as mem write (tb_mem.h). */
		if ((st->addr >> 48) || st->len > (1ull << 48) - st->addr)
			return perr(
				p,
				"fault range 0x%llx+0x%llx goes beyond 48 bits",
				(unsigned long long)st->addr,
				(unsigned long long)st->len);
		if (p->ntok > 4)
			return perr(p, "unexpected '%s' after mem %s ADDR LEN",
				    p->tok[4], sub);
		return 0;
	}
	if (!strcmp(sub, "clear-faults")) {
		if (p->ntok > 2)
			return perr(p, "unexpected '%s' after mem clear-faults",
				    p->tok[2]);
		return new_stmt(p, ST_MEM_CLEAR_FAULTS) ? 0 : CMDQV_ENOMEM;
	}
	return perr(
		p,
		"unknown mem statement '%s' (write, expect, poll, fault, unfault, clear-faults)",
		sub);
}

static int parse_cmd(struct tb_parser *p)
{
	struct tb_stmt *st = new_stmt(p, ST_CMD);
	if (!st)
		return CMDQV_ENOMEM;
	if (need_u64(p, p->ntok > 1 ? p->tok[1] : NULL, "command address",
		     &st->addr))
		return CMDQV_EPARSE;
	if (st->addr % 16)
		return perr(p, "command address 0x%llx is not 16-byte aligned",
			    (unsigned long long)st->addr);
	if (st->addr >> 48)
		return perr(p, "command address 0x%llx is beyond 48 bits",
			    (unsigned long long)st->addr);
	if (p->ntok < 3)
		return perr(p, "missing command name");
	const char *name = p->tok[2];
	/* cmd ADDR raw W0 W1: two literal words */
	if (!strcmp(name, "raw")) {
		if (p->ntok != 5)
			return perr(
				p,
				"cmd ADDR raw needs exactly two 64-bit words");
		if (need_u64(p, p->tok[3], "word 0", &st->dw[0]) ||
		    need_u64(p, p->tok[4], "word 1", &st->dw[1]))
			return CMDQV_EPARSE;
		return 0;
	}
	bool is_all = false;
	int op;
	uint64_t num;
	if (isdigit((unsigned char)name[0])) {
		if (cmdqv_parse_u64(name, &num) || num > 0xff)
			return perr(
				p,
				"bad opcode '%s' (a name or a number 0..0xff)",
				name);
		op = (int)num;
	} else {
		op = lookup_opcode(name, &is_all);
		if (op < 0)
			return perr(p, "unknown command name '%s'", name);
	}
	uint32_t given = 0; /* bit i: field i of the opcode's layout */
	st->dw[0] = CMDQV_FIELD_PREP(CMD_DW0_OPCODE, op);
	st->dw[1] = 0;
	for (int i = 3; i < p->ntok; i++) {
		char *key = p->tok[i];
		char *val = split_kv(key);
		if (!val)
			return perr(p, "expected FIELD=VALUE, got '%s'", key);
		const struct cmd_field_info *f;
		unsigned fi;
		for (fi = 0; (f = cmd_field_at((uint8_t)op, fi)) != NULL; fi++)
			if (!strcmp(key, f->name))
				break;
		if (!f && !cmd_field_name_known(key))
			return perr(p, "unknown command field '%s'", key);
		if (!f || (is_all && !strcmp(key, "range")))
			return perr(p, "field '%s' is not a field of %s", key,
				    name);
		uint64_t x;
		if (need_width(p, val, key, f->addr ? 64 : f->width, &x))
			return CMDQV_EPARSE;
		if (given & (1u << fi))
			return perr(p, "field '%s' given twice", key);
		given |= 1u << fi;
		cmd_field_deposit(st->dw, f, x);
	}
	if (is_all) /* CFGI_ALL = CFGI_STE_RANGE with Range = 31 */
		cmd_field_deposit(st->dw, cmd_field_find((uint8_t)op, "range"),
				  CMD_CFGI_RANGE_ALL);
	return 0;
}

/* Parse key=value arguments of the cache statements into @st. */
static int parse_cache_args(struct tb_parser *p, struct tb_stmt *st, int from,
			    uint32_t allowed, bool want_state)
{
	bool have_state = false;
	for (int i = from; i < p->ntok; i++) {
		char *tok = p->tok[i];
		if (want_state &&
		    (!strcmp(tok, "present") || !strcmp(tok, "absent"))) {
			if (have_state || i != p->ntok - 1)
				return perr(p, "'%s' must be the last word",
					    tok);
			st->flag = tok[0] == 'p';
			have_state = true;
			continue;
		}
		char *val = split_kv(tok);
		if (!val)
			return perr(p, "expected KEY=VALUE, got '%s'", tok);
		uint64_t x;
		if (!strcmp(tok, "kind") && (allowed & 1)) {
			if (!strcmp(val, "nh"))
				st->tlb_kind = CMDQV_TLB_NH;
			else if (!strcmp(val, "el2"))
				st->tlb_kind = CMDQV_TLB_EL2;
			else if (!strcmp(val, "s2"))
				st->tlb_kind = CMDQV_TLB_S2;
			else
				return perr(
					p,
					"unknown TLB kind '%s' (nh, el2 or s2)",
					val);
		} else if (!strcmp(tok, "vmid") && (allowed & 2)) {
			if (need_width(p, val, "vmid", 16, &x))
				return CMDQV_EPARSE;
			st->vmid = (uint32_t)x;
			st->has_vmid = true;
		} else if (!strcmp(tok, "asid") && (allowed & 4)) {
			if (need_width(p, val, "asid", 16, &x))
				return CMDQV_EPARSE;
			st->asid = (uint32_t)x;
		} else if (!strcmp(tok, "addr") && (allowed & 8)) {
			if (need_width(p, val, "addr", 64, &st->addr))
				return CMDQV_EPARSE;
			st->has_addr = true;
		} else if (!strcmp(tok, "pages") && (allowed & 16)) {
			if (need_u64(p, val, "pages", &st->pages))
				return CMDQV_EPARSE;
			if (st->pages == 0)
				return perr(p, "pages must be at least 1");
		} else if (!strcmp(tok, "sid") && (allowed & 32)) {
			if (need_width(p, val, "sid", 32, &x))
				return CMDQV_EPARSE;
			st->sid = (uint32_t)x;
			st->has_sid = true;
		} else if (!strcmp(tok, "ssid") && (allowed & 64)) {
			if (need_width(p, val, "ssid", 20, &x))
				return CMDQV_EPARSE;
			st->ssid = (uint32_t)x;
		} else {
			return perr(p, "unexpected argument '%s'", tok);
		}
	}
	if (want_state && !have_state)
		return perr(p, "missing 'present' or 'absent' at the end");
	return 0;
}

/* Parse "== N" / "!= N" count checks at token @i. */
static int parse_count_check(struct tb_parser *p, int i, struct tb_stmt *st)
{
	if (i + 2 != p->ntok || parse_cmp(p->tok[i], &st->cmp))
		return perr(
			p,
			"expected '<op> N' at the end (op: == != < <= > >=)");
	return need_u64(p, p->tok[i + 1], "count", &st->value);
}

static int parse_tlb_cfg_atc(struct tb_parser *p, const char *what)
{
	const char *sub = p->ntok > 1 ? p->tok[1] : "";
	bool tlb = !strcmp(what, "tlb"), cfg = !strcmp(what, "cfg");
	bool add = !strcmp(sub, "add"), expect = !strcmp(sub, "expect");
	struct tb_stmt *st;
	if (!strcmp(sub, "count") && !cfg) {
		/* tlb count [vmid=V] OP N | atc count [sid=S] OP N */
		st = new_stmt(p, tlb ? ST_TLB_COUNT : ST_ATC_COUNT);
		if (!st)
			return CMDQV_ENOMEM;
		int i = 2;
		if (i < p->ntok && isalpha((unsigned char)p->tok[i][0]) &&
		    strchr(p->tok[i], '=')) {
			char *key = p->tok[i];
			char *val = split_kv(key);
			uint64_t x;
			if (tlb && !strcmp(key, "vmid")) {
				if (need_width(p, val, "vmid", 16, &x))
					return CMDQV_EPARSE;
				st->vmid = (uint32_t)x;
				st->has_vmid = true;
			} else if (!tlb && !strcmp(key, "sid")) {
				if (need_width(p, val, "sid", 32, &x))
					return CMDQV_EPARSE;
				st->sid = (uint32_t)x;
				st->has_sid = true;
			} else {
				return perr(p, "unexpected argument '%s'", key);
			}
			i++;
		}
		return parse_count_check(p, i, st);
	}
	if (!strcmp(what, "atc") &&
	    (!strcmp(sub, "latency") || !strcmp(sub, "silent"))) {
		st = new_stmt(p,
			      sub[0] == 'l' ? ST_ATC_LATENCY : ST_ATC_SILENT);
		if (!st)
			return CMDQV_ENOMEM;
		st->flag = true;
		if (p->ntok < 3 || strncmp(p->tok[2], "sid=", 4))
			return perr(p, "atc %s needs sid=S", sub);
		split_kv(p->tok[2]);
		uint64_t x;
		if (need_width(p, p->tok[2] + 4, "sid", 32, &x))
			return CMDQV_EPARSE;
		st->sid = (uint32_t)x;
		if (st->kind == ST_ATC_LATENCY) {
			if (p->ntok != 4)
				return perr(
					p,
					"atc latency sid=S needs exactly one TIME");
			return need_time(p, p->tok[3], "latency", &st->time);
		}
		if (p->ntok == 4 &&
		    (!strcmp(p->tok[3], "off") || !strcmp(p->tok[3], "on"))) {
			st->flag = p->tok[3][1] == 'n';
			return 0;
		}
		if (p->ntok != 3)
			return perr(p, "unexpected '%s' after atc silent sid=S",
				    p->tok[3]);
		return 0;
	}
	if (!add && !expect)
		return perr(p, "unknown %s statement '%s'", what, sub);
	enum tb_stmt_kind k = tlb ? (add ? ST_TLB_ADD : ST_TLB_EXPECT) :
			      cfg ? (add ? ST_CFG_ADD : ST_CFG_EXPECT) :
				    (add ? ST_ATC_ADD : ST_ATC_EXPECT);
	st = new_stmt(p, k);
	if (!st)
		return CMDQV_ENOMEM;
	st->pages = 1;
	st->ssid = CMDQV_SSID_NONE;
	uint32_t allowed = tlb ? (1 | 2 | 4 | 8) : cfg ? (32 | 64) : (32 | 8);
	if (add && !cfg)
		allowed |= 16;
	if (parse_cache_args(p, st, 2, allowed, expect))
		return CMDQV_EPARSE;
	if (!cfg && !st->has_addr)
		return perr(p, "%s %s needs addr=ADDR", what, sub);
	if (!tlb && !st->has_sid)
		return perr(p, "%s %s needs sid=S", what, sub);
	return 0;
}

static int parse_irq(struct tb_parser *p, bool sev)
{
	struct tb_stmt *st = new_stmt(p, sev ? ST_SEV_EXPECT : ST_IRQ_EXPECT);
	if (!st)
		return CMDQV_ENOMEM;
	int i = 2;
	if (p->ntok < 2 || strcmp(p->tok[1], "expect"))
		return perr(p, "expected '%s expect ...'", sev ? "sev" : "irq");
	if (sev) {
		st->line_id = TB_SEV_LINE;
	} else {
		const char *l = p->ntok > 2 ? p->tok[2] : "";
		if (!strcmp(l, "gerror"))
			st->line_id = CMDQV_IRQ_GERROR;
		else if (!strcmp(l, "cmdqv"))
			st->line_id = CMDQV_IRQ_CMDQV;
		else if (!strcmp(l, "cmd_sync"))
			st->line_id = CMDQV_IRQ_CMD_SYNC;
		else
			return perr(
				p,
				"unknown interrupt '%s' (gerror, cmdqv or cmd_sync)",
				l);
		i = 3;
	}
	if (i + 1 != p->ntok ||
	    (strcmp(p->tok[i], "asserted") && strcmp(p->tok[i], "deasserted")))
		return perr(p,
			    "expected 'asserted' or 'deasserted' at the end");
	st->flag = p->tok[i][0] == 'a';
	return 0;
}

static int parse_expect(struct tb_parser *p)
{
	const char *sub = p->ntok > 1 ? p->tok[1] : "";
	int i = 2;
	struct tb_stmt *st;
	if (!strcmp(sub, "now")) {
		st = new_stmt(p, ST_EXPECT_NOW);
	} else if (!strcmp(sub, "elapsed")) {
		st = new_stmt(p, ST_EXPECT_ELAPSED);
		if (st && p->ntok == 5) {
			bool known = false;
			for (size_t k = 0; k + 1 < p->s->count; k++)
				if (p->s->stmts[k].kind == ST_MARK &&
				    p->s->stmts[k].name &&
				    !strcmp(p->s->stmts[k].name, p->tok[2]))
					known = true;
			if (!known)
				return perr(p, "no earlier 'mark %s'",
					    p->tok[2]);
			st->name = tb_strdup(p->tok[2]);
			if (!st->name)
				return CMDQV_ENOMEM;
			i = 3;
		}
	} else {
		return perr(p, "unknown expect statement '%s' (now or elapsed)",
			    sub);
	}
	if (!st)
		return CMDQV_ENOMEM;
	if (i + 2 != p->ntok || parse_cmp(p->tok[i], &st->cmp))
		return perr(
			p,
			"expected 'expect %s [MARK] OP TIME' (op: == != < <= > >=)",
			sub);
	return need_time(p, p->tok[i + 1], "time", &st->time);
}

/** Unquote echo text: "..." with the quotes removed, or the bare rest of the line. */
static int parse_echo(struct tb_parser *p, const char *rest)
{
	struct tb_stmt *st = new_stmt(p, ST_ECHO);
	if (!st)
		return CMDQV_ENOMEM;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	size_t n = strlen(rest);
	while (n && (rest[n - 1] == ' ' || rest[n - 1] == '\t'))
		n--;
	if (n && rest[0] == '"') {
		if (n < 2 || rest[n - 1] != '"')
			return perr(p, "unterminated string");
		rest++;
		n -= 2;
		if (memchr(rest, '"', n))
			return perr(p, "stray '\"' inside the echo string");
	}
	st->name = tb_strndup(rest, n);
	return st->name ? 0 : CMDQV_ENOMEM;
}

static int parse_config(struct tb_parser *p)
{
	if (p->accessed)
		return perr(
			p,
			"config after the first access (config statements must come "
			"before every other statement)");
	if (p->ntok < 2)
		return perr(p, "config needs KEY=VALUE");
	for (int i = 1; i < p->ntok; i++) {
		char *val = split_kv(p->tok[i]);
		char why[256] = "";
		if (!val)
			return perr(p, "expected KEY=VALUE, got '%s'",
				    p->tok[i]);
		int r = cmdqv_config_set(&p->s->cfg, p->tok[i], val, why,
					 sizeof(why));
		if (r == CMDQV_EKEY)
			return perr(p, "unknown config key '%s'", p->tok[i]);
		if (r)
			return perr(p, "config %s=%s: %s", p->tok[i], val,
				    why[0] ? why : cmdqv_strerror(r));
	}
	return 0;
}

static int validate_config(struct tb_parser *p)
{
	char why[256] = "";
	if (p->cfg_validated)
		return 0;
	p->cfg_validated = true;
	if (cmdqv_config_validate(&p->s->cfg, why, sizeof(why)))
		return perr(p, "invalid configuration: %s", why);
	return 0;
}

/* Parse one line (already stripped of its comment); may be empty. */
static int parse_line(struct tb_parser *p, char *text)
{
	char *src_copy = tb_strdup(text);
	if (!src_copy)
		return CMDQV_ENOMEM;
	char *rest = NULL;
	p->ntok = 0;
	for (char *c = text; *c;) {
		while (*c == ' ' || *c == '\t' || *c == '\r')
			c++;
		if (!*c)
			break;
		if (p->ntok == TB_MAX_TOKENS) {
			free(src_copy);
			return perr(p,
				    "too many words on one line (at most %d)",
				    TB_MAX_TOKENS);
		}
		p->tok[p->ntok++] = c;
		while (*c && *c != ' ' && *c != '\t' && *c != '\r')
			c++;
		if (*c)
			*c++ = '\0';
		if (p->ntok == 1)
			rest = src_copy + (c - text);
	}
	if (p->ntok == 0) {
		free(src_copy);
		return 0;
	}
	const char *verb = p->tok[0];
	size_t before = p->s->count;
	int r;
	if (!strcmp(verb, "config")) {
		free(src_copy);
		return parse_config(p);
	}
	if (strcmp(verb, "echo")) {
		p->accessed = true;
		r = validate_config(p);
		if (r) {
			free(src_copy);
			return r;
		}
	}
	if (!strcmp(verb, "write32") || !strcmp(verb, "write64") ||
	    !strcmp(verb, "read32") || !strcmp(verb, "read64") ||
	    !strcmp(verb, "modify32") || !strcmp(verb, "modify64") ||
	    !strcmp(verb, "poll32") || !strcmp(verb, "poll64"))
		r = parse_reg(p, verb);
	else if (!strcmp(verb, "mem"))
		r = parse_mem(p);
	else if (!strcmp(verb, "cmd"))
		r = parse_cmd(p);
	else if (!strcmp(verb, "run")) {
		struct tb_stmt *st = new_stmt(p, ST_RUN);
		if (!st)
			r = CMDQV_ENOMEM;
		else if (p->ntok != 2)
			r = perr(p, "run needs exactly one TIME");
		else
			r = need_time(p, p->tok[1], "time", &st->time);
	} else if (!strcmp(verb, "tlb") || !strcmp(verb, "cfg") ||
		   !strcmp(verb, "atc"))
		r = parse_tlb_cfg_atc(p, verb);
	else if (!strcmp(verb, "irq"))
		r = parse_irq(p, false);
	else if (!strcmp(verb, "sev"))
		r = parse_irq(p, true);
	else if (!strcmp(verb, "expect"))
		r = parse_expect(p);
	else if (!strcmp(verb, "mark")) {
		struct tb_stmt *st = new_stmt(p, ST_MARK);
		if (!st)
			r = CMDQV_ENOMEM;
		else if (p->ntok > 2)
			r = perr(p, "mark takes at most one NAME");
		else {
			st->name = p->ntok == 2 ? tb_strdup(p->tok[1]) : NULL;
			r = (p->ntok == 2 && !st->name) ? CMDQV_ENOMEM : 0;
		}
	} else if (!strcmp(verb, "echo"))
		r = parse_echo(p, rest ? rest : "");
	else
		r = perr(p, "unknown statement '%s'", verb);
	if (p->s->count > before) {
		struct tb_stmt *st = &p->s->stmts[p->s->count - 1];
		st->src = src_copy;
		/* trim the source text for messages */
		size_t n = strlen(st->src);
		while (n && isspace((unsigned char)st->src[n - 1]))
			st->src[--n] = '\0';
		char *b = st->src;
		while (isspace((unsigned char)*b))
			b++;
		memmove(st->src, b, strlen(b) + 1);
	} else {
		free(src_copy);
	}
	return r;
}

static int parse_text(struct tb_script *s, const char *text, char *err,
		      size_t errlen)
{
	struct tb_parser p = { .s = s, .err = err, .errlen = errlen };
	const char *c = text;
	int r = 0;
	while (*c) {
		const char *eol = strchr(c, '\n');
		size_t n = eol ? (size_t)(eol - c) : strlen(c);
		p.line++;
		char *line = tb_strndup(c, n);
		if (!line)
			return CMDQV_ENOMEM;
		/* strip the comment, but not inside an echo string */
		bool inq = false;
		for (char *q = line; *q; q++) {
			if (*q == '"')
				inq = !inq;
			else if (*q == '#' && !inq) {
				*q = '\0';
				break;
			}
		}
		r = parse_line(&p, line);
		free(line);
		if (r)
			return r;
		c += n;
		if (*c == '\n')
			c++;
	}
	if (!p.cfg_validated) {
		char why[256] = "";
		if (cmdqv_config_validate(&s->cfg, why, sizeof(why))) {
			snprintf(err, errlen,
				 "%s: error: invalid configuration: %s",
				 s->name, why);
			return CMDQV_EPARSE;
		}
	}
	return 0;
}

int tb_script_parse_string(const char *name, const char *text,
			   struct tb_script **out, char *err, size_t errlen)
{
	struct tb_script *s = calloc(1, sizeof(*s));
	if (err && errlen)
		err[0] = '\0';
	if (!s || !(s->name = tb_strdup(name ? name : "<string>"))) {
		free(s);
		snprintf(err, errlen, "%s: error: out of memory",
			 name ? name : "<string>");
		return CMDQV_ENOMEM;
	}
	cmdqv_config_defaults(&s->cfg);
	char dummy[8];
	int r = parse_text(s, text, err ? err : dummy,
			   err ? errlen : sizeof(dummy));
	if (r) {
		if (r == CMDQV_ENOMEM)
			snprintf(err, errlen, "%s: error: out of memory",
				 s->name);
		tb_script_free(s);
		return r;
	}
	*out = s;
	return CMDQV_OK;
}

int tb_script_parse_file(const char *path, struct tb_script **out, char *err,
			 size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: error: cannot open: %s", path,
			 strerror(errno));
		return CMDQV_EIO;
	}
	errno = 0;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (len + 1 < cap)
			break;
		char *nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	int ioerr = ferror(f) ? (errno ? errno : EIO) : 0;
	fclose(f);
	if (!buf) {
		snprintf(err, errlen, "%s: error: out of memory", path);
		return CMDQV_ENOMEM;
	}
	if (ioerr) {
		free(buf);
		snprintf(err, errlen, "%s: error: cannot read: %s", path,
			 strerror(ioerr));
		return CMDQV_EIO;
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		free(buf);
		snprintf(err, errlen, "%s: error: not a text file (NUL byte)",
			 path);
		return CMDQV_EPARSE;
	}
	int r = tb_script_parse_string(path, buf, out, err, errlen);
	free(buf);
	return r;
}

void tb_script_free(struct tb_script *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->count; i++) {
		free(s->stmts[i].src);
		free(s->stmts[i].words);
		free(s->stmts[i].name);
	}
	free(s->stmts);
	free(s->name);
	free(s);
}

const char *tb_script_name(const struct tb_script *s)
{
	return s->name;
}

const struct cmdqv_config *tb_script_config(const struct tb_script *s)
{
	return &s->cfg;
}

size_t tb_script_statement_count(const struct tb_script *s)
{
	return s->count;
}
