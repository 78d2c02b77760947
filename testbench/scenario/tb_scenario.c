/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_scenario.c - the scenario parser's statements and files
 * (grammar: docs/scenarios.md).
 *
 * Two phases, so that a malformed script never runs halfway: the parser
 * turns every line into a struct tb_stmt (checking numbers, units, widths,
 * offsets against the configured apertures, command names and fields) and
 * builds the configuration; the interpreter (tb_scenario_run.c) then
 * executes the statements through a struct tb_backend_ops.  The lexical
 * layer is tb_scenario_lex.c, the cmd statement tb_scenario_cmd.c.
 */
#include "tb_scenario_parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/status.h"
#include "tb_mem.h"
#include "tb_util.h"

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
			tb_scn_err(p, "missing comparison (== or != VALUE)");
			return -1;
		}
		return i;
	}
	if (tb_scn_parse_cmp(p->tok[i], &st->cmp) ||
	    (st->cmp != CMP_EQ && st->cmp != CMP_NE)) {
		tb_scn_err(p, "expected == or != before '%s'", p->tok[i]);
		return -1;
	}
	if (tb_scn_need_width(p, i + 1 < p->ntok ? p->tok[i + 1] : NULL,
			      "value", bits, &st->value))
		return -1;
	i += 2;
	if (i < p->ntok && !strcmp(p->tok[i], "mask")) {
		if (tb_scn_need_width(p, i + 1 < p->ntok ? p->tok[i + 1] : NULL,
				      "mask", bits, &st->mask))
			return -1;
		i += 2;
		if (st->mask == 0) {
			tb_scn_err(p,
				   "mask 0x0 compares no bit: the check could "
				   "never %s",
				   st->cmp == CMP_EQ ? "fail" : "pass");
			return -1;
		}
		if (st->value & ~st->mask) {
			tb_scn_err(p,
				   "value 0x%llx has bits outside mask 0x%llx",
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
	struct tb_stmt *st = tb_scn_new_stmt(p, kind);
	if (!st)
		return CMDQV_ENOMEM;
	unsigned bits = size * 8;
	st->size = size;
	if (tb_scn_parse_space(p, p->ntok > 1 ? p->tok[1] : NULL, &st->space))
		return CMDQV_EPARSE;
	if (tb_scn_need_u64(p, p->ntok > 2 ? p->tok[2] : NULL,
			    "register offset", &st->off))
		return CMDQV_EPARSE;
	if (tb_scn_check_access(p, st->space, st->off, size))
		return CMDQV_EPARSE;
	int i = 3;
	switch (kind) {
	case ST_WRITE:
		if (tb_scn_need_width(p, p->ntok > 3 ? p->tok[3] : NULL,
				      "value", bits, &st->value))
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
			if (tb_scn_need_width(
				    p, i + 1 < p->ntok ? p->tok[i + 1] : NULL,
				    p->tok[i], bits, dst))
				return CMDQV_EPARSE;
			i += 2;
		}
		if (i == 3)
			return tb_scn_err(
				p, "%s needs 'set BITS' and/or 'clear BITS'",
				verb);
		break;
	default: /* poll */
		i = parse_check(p, 3, st, bits, true);
		if (i < 0)
			return CMDQV_EPARSE;
		if (i >= p->ntok || strcmp(p->tok[i], "within"))
			return tb_scn_err(
				p,
				"%s needs 'within TIME' after the comparison",
				verb);
		if (i + 1 >= p->ntok)
			return tb_scn_err(p, "missing time after 'within'");
		if (tb_scn_need_time(p, p->tok[i + 1], "time", &st->time))
			return CMDQV_EPARSE;
		i += 2;
		break;
	}
	if (i < p->ntok)
		return tb_scn_err(p, "unexpected '%s' at the end of %s",
				  p->tok[i], verb);
	return 0;
}

/* The 8-byte aligned ADDR of "mem SUB ADDR ...". */
static int mem_addr(struct tb_parser *p, struct tb_stmt *st)
{
	if (tb_scn_need_u64(p, p->ntok > 2 ? p->tok[2] : NULL, "address",
			    &st->addr))
		return CMDQV_EPARSE;
	if (st->addr % 8)
		return tb_scn_err(p, "address 0x%llx is not 8-byte aligned",
				  (unsigned long long)st->addr);
	return 0;
}

static int parse_mem(struct tb_parser *p)
{
	const char *sub = p->ntok > 1 ? p->tok[1] : "";
	int rc;
	if (!strcmp(sub, "write") || !strcmp(sub, "expect")) {
		struct tb_stmt *st = tb_scn_new_stmt(
			p, sub[0] == 'w' ? ST_MEM_WRITE : ST_MEM_EXPECT);
		if (!st)
			return CMDQV_ENOMEM;
		rc = mem_addr(p, st);
		if (rc)
			return rc;
		if (p->ntok < 4)
			return tb_scn_err(
				p, "mem %s needs at least one 64-bit word",
				sub);
		st->nwords = (size_t)(p->ntok - 3);
		st->words = calloc(st->nwords, sizeof(uint64_t));
		if (!st->words)
			return CMDQV_ENOMEM;
		for (size_t k = 0; k < st->nwords; k++)
			if (tb_scn_need_u64(p, p->tok[3 + k], "word",
					    &st->words[k]))
				return CMDQV_EPARSE;
		if ((st->addr >> 48) ||
		    ((1ull << 48) - st->addr) / 8 < st->nwords)
			return tb_scn_err(
				p, "memory range at 0x%llx goes beyond 48 bits",
				(unsigned long long)st->addr);
		return 0;
	}
	if (!strcmp(sub, "poll")) {
		/* mem poll ADDR ==|!= WORD64 [mask MASK] within TIME */
		struct tb_stmt *st = tb_scn_new_stmt(p, ST_MEM_POLL);
		if (!st)
			return CMDQV_ENOMEM;
		rc = mem_addr(p, st);
		if (rc)
			return rc;
		int i = parse_check(p, 3, st, 64, true);
		if (i < 0)
			return CMDQV_EPARSE;
		if (i >= p->ntok || strcmp(p->tok[i], "within"))
			return tb_scn_err(
				p,
				"mem poll needs 'within TIME' after the comparison");
		if (i + 1 >= p->ntok)
			return tb_scn_err(p, "missing time after 'within'");
		if (tb_scn_need_time(p, p->tok[i + 1], "time", &st->time))
			return CMDQV_EPARSE;
		if (i + 2 < p->ntok)
			return tb_scn_err(
				p, "unexpected '%s' at the end of mem poll",
				p->tok[i + 2]);
		return 0;
	}
	if (!strcmp(sub, "fault") || !strcmp(sub, "unfault")) {
		struct tb_stmt *st = tb_scn_new_stmt(
			p, sub[0] == 'f' ? ST_MEM_FAULT : ST_MEM_UNFAULT);
		if (!st)
			return CMDQV_ENOMEM;
		if (tb_scn_need_u64(p, p->ntok > 2 ? p->tok[2] : NULL,
				    "address", &st->addr) ||
		    tb_scn_need_u64(p, p->ntok > 3 ? p->tok[3] : NULL, "length",
				    &st->len))
			return CMDQV_EPARSE;
		if (st->len == 0)
			return tb_scn_err(p, "fault length must not be zero");
		/* Same 48-bit physical space as mem write (tb_mem.h). */
		if ((st->addr >> 48) || st->len > (1ull << 48) - st->addr)
			return tb_scn_err(
				p,
				"fault range 0x%llx+0x%llx goes beyond 48 bits",
				(unsigned long long)st->addr,
				(unsigned long long)st->len);
		if (p->ntok > 4)
			return tb_scn_err(
				p, "unexpected '%s' after mem %s ADDR LEN",
				p->tok[4], sub);
		return 0;
	}
	if (!strcmp(sub, "clear-faults")) {
		if (p->ntok > 2)
			return tb_scn_err(
				p, "unexpected '%s' after mem clear-faults",
				p->tok[2]);
		return tb_scn_new_stmt(p, ST_MEM_CLEAR_FAULTS) ? 0 :
								 CMDQV_ENOMEM;
	}
	return tb_scn_err(
		p,
		"unknown mem statement '%s' (write, expect, poll, fault, unfault, clear-faults)",
		sub);
}

/* Parse key=value arguments of the cache statements into @st. */
/* A keyword of a closed set and the value it stands for. */
struct scn_word {
	const char *name;
	int value;
};

/* Looks @s up in @words; its value through @out, false if not there. */
static bool scn_word(const char *s, const struct scn_word *words, size_t n,
		     int *out)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(s, words[i].name)) {
			*out = words[i].value;
			return true;
		}
	}
	return false;
}

static int parse_cache_args(struct tb_parser *p, struct tb_stmt *st, int from,
			    uint32_t allowed, bool want_state)
{
	bool have_state = false;
	for (int i = from; i < p->ntok; i++) {
		char *tok = p->tok[i];
		if (want_state &&
		    (!strcmp(tok, "present") || !strcmp(tok, "absent"))) {
			if (have_state || i != p->ntok - 1)
				return tb_scn_err(
					p, "'%s' must be the last word", tok);
			st->flag = tok[0] == 'p';
			have_state = true;
			continue;
		}
		char *val = tb_scn_split_kv(tok);
		if (!val)
			return tb_scn_err(p, "expected KEY=VALUE, got '%s'",
					  tok);
		uint64_t x;
		if (!strcmp(tok, "kind") && (allowed & 1)) {
			static const struct scn_word kinds[] = {
				{ "nh", CMDQV_TLB_NH },
				{ "el2", CMDQV_TLB_EL2 },
				{ "s2", CMDQV_TLB_S2 },
			};
			int k;

			if (!scn_word(val, kinds,
				      sizeof(kinds) / sizeof(kinds[0]), &k))
				return tb_scn_err(
					p,
					"unknown TLB kind '%s' (nh, el2 or s2)",
					val);
			st->tlb_kind = (enum cmdqv_tlb_kind)k;
		} else if (!strcmp(tok, "vmid") && (allowed & 2)) {
			if (tb_scn_need_width(p, val, "vmid", 16, &x))
				return CMDQV_EPARSE;
			st->vmid = (uint32_t)x;
			st->has_vmid = true;
		} else if (!strcmp(tok, "asid") && (allowed & 4)) {
			if (tb_scn_need_width(p, val, "asid", 16, &x))
				return CMDQV_EPARSE;
			st->asid = (uint32_t)x;
		} else if (!strcmp(tok, "addr") && (allowed & 8)) {
			if (tb_scn_need_width(p, val, "addr", 64, &st->addr))
				return CMDQV_EPARSE;
			st->has_addr = true;
		} else if (!strcmp(tok, "pages") && (allowed & 16)) {
			if (tb_scn_need_u64(p, val, "pages", &st->pages))
				return CMDQV_EPARSE;
			if (st->pages == 0)
				return tb_scn_err(p,
						  "pages must be at least 1");
		} else if (!strcmp(tok, "sid") && (allowed & 32)) {
			if (tb_scn_need_width(p, val, "sid", 32, &x))
				return CMDQV_EPARSE;
			st->sid = (uint32_t)x;
			st->has_sid = true;
		} else if (!strcmp(tok, "ssid") && (allowed & 64)) {
			if (tb_scn_need_width(p, val, "ssid", 20, &x))
				return CMDQV_EPARSE;
			st->ssid = (uint32_t)x;
		} else {
			return tb_scn_err(p, "unexpected argument '%s'", tok);
		}
	}
	if (want_state && !have_state)
		return tb_scn_err(p,
				  "missing 'present' or 'absent' at the end");
	return 0;
}

/* Parse "== N" / "!= N" count checks at token @i. */
static int parse_count_check(struct tb_parser *p, int i, struct tb_stmt *st)
{
	if (i + 2 != p->ntok || tb_scn_parse_cmp(p->tok[i], &st->cmp))
		return tb_scn_err(
			p,
			"expected '<op> N' at the end (op: == != < <= > >=)");
	return tb_scn_need_u64(p, p->tok[i + 1], "count", &st->value);
}

static int parse_tlb_cfg_atc(struct tb_parser *p, const char *what)
{
	const char *sub = p->ntok > 1 ? p->tok[1] : "";
	bool tlb = !strcmp(what, "tlb"), cfg = !strcmp(what, "cfg");
	bool add = !strcmp(sub, "add"), expect = !strcmp(sub, "expect");
	struct tb_stmt *st;
	if (!strcmp(sub, "count") && !cfg) {
		/* tlb count [vmid=V] OP N | atc count [sid=S] OP N */
		st = tb_scn_new_stmt(p, tlb ? ST_TLB_COUNT : ST_ATC_COUNT);
		if (!st)
			return CMDQV_ENOMEM;
		int i = 2;
		if (i < p->ntok && isalpha((unsigned char)p->tok[i][0]) &&
		    strchr(p->tok[i], '=')) {
			char *key = p->tok[i];
			char *val = tb_scn_split_kv(key);
			uint64_t x;
			if (tlb && !strcmp(key, "vmid")) {
				if (tb_scn_need_width(p, val, "vmid", 16, &x))
					return CMDQV_EPARSE;
				st->vmid = (uint32_t)x;
				st->has_vmid = true;
			} else if (!tlb && !strcmp(key, "sid")) {
				if (tb_scn_need_width(p, val, "sid", 32, &x))
					return CMDQV_EPARSE;
				st->sid = (uint32_t)x;
				st->has_sid = true;
			} else {
				return tb_scn_err(p, "unexpected argument '%s'",
						  key);
			}
			i++;
		}
		return parse_count_check(p, i, st);
	}
	if (!strcmp(what, "atc") &&
	    (!strcmp(sub, "latency") || !strcmp(sub, "silent"))) {
		st = tb_scn_new_stmt(p, sub[0] == 'l' ? ST_ATC_LATENCY :
							ST_ATC_SILENT);
		if (!st)
			return CMDQV_ENOMEM;
		st->flag = true;
		if (p->ntok < 3 || strncmp(p->tok[2], "sid=", 4))
			return tb_scn_err(p, "atc %s needs sid=S", sub);
		tb_scn_split_kv(p->tok[2]);
		uint64_t x;
		if (tb_scn_need_width(p, p->tok[2] + 4, "sid", 32, &x))
			return CMDQV_EPARSE;
		st->sid = (uint32_t)x;
		if (st->kind == ST_ATC_LATENCY) {
			if (p->ntok != 4)
				return tb_scn_err(
					p,
					"atc latency sid=S needs exactly one TIME");
			return tb_scn_need_time(p, p->tok[3], "latency",
						&st->time);
		}
		if (p->ntok == 4 &&
		    (!strcmp(p->tok[3], "off") || !strcmp(p->tok[3], "on"))) {
			st->flag = p->tok[3][1] == 'n';
			return 0;
		}
		if (p->ntok != 3)
			return tb_scn_err(
				p, "unexpected '%s' after atc silent sid=S",
				p->tok[3]);
		return 0;
	}
	if (!add && !expect)
		return tb_scn_err(p, "unknown %s statement '%s'", what, sub);
	enum tb_stmt_kind k = tlb ? (add ? ST_TLB_ADD : ST_TLB_EXPECT) :
			      cfg ? (add ? ST_CFG_ADD : ST_CFG_EXPECT) :
				    (add ? ST_ATC_ADD : ST_ATC_EXPECT);
	st = tb_scn_new_stmt(p, k);
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
		return tb_scn_err(p, "%s %s needs addr=ADDR", what, sub);
	/* 4 KiB pages from addr: past the last page they would wrap to 0 */
	if (add && !cfg &&
	    st->pages > (UINT64_MAX >> 12) - (st->addr >> 12) + 1)
		return tb_scn_err(
			p,
			"%llu pages from addr=0x%llx wrap past the top of the "
			"64-bit address space (at most %llu from there)",
			(unsigned long long)st->pages,
			(unsigned long long)st->addr,
			(unsigned long long)((UINT64_MAX >> 12) -
					     (st->addr >> 12) + 1));
	if (!tlb && !st->has_sid)
		return tb_scn_err(p, "%s %s needs sid=S", what, sub);
	return 0;
}

static int parse_irq(struct tb_parser *p, bool sev)
{
	struct tb_stmt *st =
		tb_scn_new_stmt(p, sev ? ST_SEV_EXPECT : ST_IRQ_EXPECT);
	if (!st)
		return CMDQV_ENOMEM;
	int i = 2;
	if (p->ntok < 2 || strcmp(p->tok[1], "expect"))
		return tb_scn_err(p, "expected '%s expect ...'",
				  sev ? "sev" : "irq");
	if (sev) {
		st->line_id = TB_SEV_LINE;
	} else {
		static const struct scn_word lines[] = {
			{ "gerror", CMDQV_IRQ_GERROR },
			{ "cmdqv", CMDQV_IRQ_CMDQV },
			{ "cmd_sync", CMDQV_IRQ_CMD_SYNC },
		};
		const char *l = p->ntok > 2 ? p->tok[2] : "";
		if (!scn_word(l, lines, sizeof(lines) / sizeof(lines[0]),
			      &st->line_id))
			return tb_scn_err(
				p,
				"unknown interrupt '%s' (gerror, cmdqv or cmd_sync)",
				l);
		i = 3;
	}
	if (i + 1 != p->ntok ||
	    (strcmp(p->tok[i], "asserted") && strcmp(p->tok[i], "deasserted")))
		return tb_scn_err(
			p, "expected 'asserted' or 'deasserted' at the end");
	st->flag = p->tok[i][0] == 'a';
	return 0;
}

static int parse_expect(struct tb_parser *p)
{
	const char *sub = p->ntok > 1 ? p->tok[1] : "";
	int i = 2;
	struct tb_stmt *st;
	if (!strcmp(sub, "now")) {
		st = tb_scn_new_stmt(p, ST_EXPECT_NOW);
	} else if (!strcmp(sub, "elapsed")) {
		st = tb_scn_new_stmt(p, ST_EXPECT_ELAPSED);
		if (st && p->ntok == 5) {
			bool known = false;
			for (size_t k = 0; k + 1 < p->s->count; k++)
				if (p->s->stmts[k].kind == ST_MARK &&
				    p->s->stmts[k].name &&
				    !strcmp(p->s->stmts[k].name, p->tok[2]))
					known = true;
			if (!known)
				return tb_scn_err(p, "no earlier 'mark %s'",
						  p->tok[2]);
			st->name = tb_scn_strdup(p->tok[2]);
			if (!st->name)
				return CMDQV_ENOMEM;
			i = 3;
		}
	} else {
		return tb_scn_err(
			p, "unknown expect statement '%s' (now or elapsed)",
			sub);
	}
	if (!st)
		return CMDQV_ENOMEM;
	if (i + 2 != p->ntok || tb_scn_parse_cmp(p->tok[i], &st->cmp))
		return tb_scn_err(
			p, "expected 'expect %s OP TIME' (op: == != < <= > >=)",
			st->kind == ST_EXPECT_NOW ? "now" : "elapsed [MARK]");
	return tb_scn_need_time(p, p->tok[i + 1], "time", &st->time);
}

/** Unquote echo text: "..." with the quotes removed, or the bare rest of the line. */
static int parse_echo(struct tb_parser *p, const char *rest)
{
	struct tb_stmt *st = tb_scn_new_stmt(p, ST_ECHO);
	if (!st)
		return CMDQV_ENOMEM;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	size_t n = strlen(rest);
	while (n && (rest[n - 1] == ' ' || rest[n - 1] == '\t'))
		n--;
	if (n && rest[0] == '"') {
		if (n < 2 || rest[n - 1] != '"') {
			const char *close = memchr(rest + 1, '"', n - 1);

			if (!close)
				return tb_scn_err(p, "unterminated string");
			return tb_scn_err(
				p,
				"text after the closing quote (put all of the "
				"echo text inside the quotes)");
		}
		rest++;
		n -= 2;
		if (memchr(rest, '"', n))
			return tb_scn_err(p,
					  "stray '\"' inside the echo string");
	}
	st->name = tb_scn_strndup(rest, n);
	return st->name ? 0 : CMDQV_ENOMEM;
}

/* A key given twice would silently take the last value: refuse it. */
static int config_key_once(struct tb_parser *p, const char *key)
{
	for (unsigned k = 0; k < p->ncfg; k++)
		if (!strcmp(p->cfg_key[k], key))
			return tb_scn_err(
				p,
				"config key '%s' given twice (first on line %u)",
				key, p->cfg_line[k]);
	if (p->ncfg == TB_MAX_CONFIG_KEYS || strlen(key) >= TB_CONFIG_KEY_LEN)
		return tb_scn_err(p, "too many config keys");
	strcpy(p->cfg_key[p->ncfg], key);
	p->cfg_line[p->ncfg++] = p->line;
	return 0;
}

static int parse_config(struct tb_parser *p)
{
	if (p->accessed)
		return tb_scn_err(
			p,
			"config after the first access (config statements must come "
			"before every other statement)");
	if (p->ntok < 2)
		return tb_scn_err(p, "config needs KEY=VALUE");
	for (int i = 1; i < p->ntok; i++) {
		char *val = tb_scn_split_kv(p->tok[i]);
		char why[256] = "";
		if (!val)
			return tb_scn_err(p, "expected KEY=VALUE, got '%s'",
					  p->tok[i]);
		int r = cmdqv_config_set(&p->s->cfg, p->tok[i], val, why,
					 sizeof(why));
		if (r == CMDQV_EKEY)
			return tb_scn_err(p, "unknown config key '%s'",
					  p->tok[i]);
		if (r)
			return tb_scn_err(p, "config %s=%s: %s", p->tok[i], val,
					  why[0] ? why : cmdqv_strerror(r));
		r = config_key_once(p, p->tok[i]);
		if (r)
			return r;
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
		return tb_scn_err(p, "invalid configuration: %s", why);
	return 0;
}

/* Parse one line (already stripped of its comment); may be empty. */
static int parse_line(struct tb_parser *p, char *text)
{
	char *src_copy = tb_scn_strdup(text);
	if (!src_copy)
		return CMDQV_ENOMEM;
	char *rest = NULL;
	const char *lead = text + strspn(text, " \t");
	/* echo text is printed as written; everything else is ASCII */
	if (strncmp(lead, "echo", 4) ||
	    (lead[4] && lead[4] != ' ' && lead[4] != '\t' && lead[4] != '\r')) {
		int r = tb_scn_check_ascii(p, text);
		if (r) {
			free(src_copy);
			return r;
		}
	}
	p->ntok = 0;
	for (char *c = text; *c;) {
		while (*c == ' ' || *c == '\t' || *c == '\r')
			c++;
		if (!*c)
			break;
		if (p->ntok == TB_MAX_TOKENS) {
			free(src_copy);
			if (!strcmp(p->tok[0], "mem") &&
			    (!strcmp(p->tok[1], "write") ||
			     !strcmp(p->tok[1], "expect")))
				return tb_scn_err(
					p,
					"mem %s takes at most %d words; give the "
					"rest to another mem %s",
					p->tok[1], TB_MAX_TOKENS - 3,
					p->tok[1]);
			return tb_scn_err(
				p, "too many words on one line (at most %d)",
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
		r = tb_scn_parse_cmd(p);
	else if (!strcmp(verb, "run")) {
		struct tb_stmt *st = tb_scn_new_stmt(p, ST_RUN);
		if (!st)
			r = CMDQV_ENOMEM;
		else if (p->ntok != 2)
			r = tb_scn_err(p, "run needs exactly one TIME");
		else
			r = tb_scn_need_time(p, p->tok[1], "time", &st->time);
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
		struct tb_stmt *st = tb_scn_new_stmt(p, ST_MARK);
		if (!st)
			r = CMDQV_ENOMEM;
		else if (p->ntok > 2)
			r = tb_scn_err(p, "mark takes at most one NAME");
		else {
			st->name = p->ntok == 2 ? tb_scn_strdup(p->tok[1]) :
						  NULL;
			r = (p->ntok == 2 && !st->name) ? CMDQV_ENOMEM : 0;
		}
	} else if (!strcmp(verb, "echo"))
		r = parse_echo(p, rest ? rest : "");
	else
		r = tb_scn_err(p, "unknown statement '%s'", verb);
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

/* Whether @s does anything but echo: a script without a statement (empty,
 * comments, config and echo only) checks nothing, and passing it would say
 * nothing.  A script that only drives the model (writes, run) is fine: it
 * is how a trace is recorded with `--record`. */
static bool script_does_something(const struct tb_script *s)
{
	for (size_t i = 0; i < s->count; i++)
		if (s->stmts[i].kind != ST_ECHO)
			return true;
	return false;
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
		char *line = tb_scn_strndup(c, n);
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
	if (!script_does_something(s)) {
		if (p.line == 0)
			p.line = 1; /* an empty file: its first line */
		return tb_scn_err(
			&p, "the script checks nothing: it has no statement "
			    "(only comments, config or echo)");
	}
	if (!p.cfg_validated) {
		char why[256] = "";
		if (cmdqv_config_validate(&s->cfg, why, sizeof(why)))
			return tb_scn_err(&p, "invalid configuration: %s", why);
	}
	return 0;
}

int tb_script_parse_string(const char *name, const char *text,
			   struct tb_script **out, char *err, size_t errlen)
{
	struct tb_script *s = calloc(1, sizeof(*s));
	if (err && errlen)
		err[0] = '\0';
	if (!s || !(s->name = tb_scn_strdup(name ? name : "<string>"))) {
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
	int r = tb_script_parse_text(path, buf, len, out, err, errlen);
	free(buf);
	return r;
}

int tb_script_parse_text(const char *name, const char *text, size_t len,
			 struct tb_script **out, char *err, size_t errlen)
{
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		unsigned long line = 1;
		const char *bol = text;
		for (const char *c = text; c < nul; c++)
			if (*c == '\n') {
				line++;
				bol = c + 1;
			}
		tb_errf_at(err, errlen, name, line,
			   "NUL byte at column %zu (not a text file)",
			   (size_t)(nul - bol) + 1);
		return CMDQV_EPARSE;
	}
	return tb_script_parse_string(name, text, out, err, errlen);
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
