/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_scenario_parse.h - the parser's state and helpers, shared by the
 * scenario parser's files: tb_scenario_lex.c (lexical rules, messages),
 * tb_scenario_cmd.c (the cmd statement and its encoder) and tb_scenario.c
 * (the other statements, the file).  Private to testbench/scenario/.
 */
#ifndef CMDQV_TB_SCENARIO_PARSE_H
#define CMDQV_TB_SCENARIO_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tb_scenario_int.h"

#define TB_MAX_TOKENS 64
#define TB_MAX_CONFIG_KEYS 128 /* more than params.def has rows */
#define TB_CONFIG_KEY_LEN 48

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
	/* config keys given so far and their lines (a key may be given once) */
	char cfg_key[TB_MAX_CONFIG_KEYS][TB_CONFIG_KEY_LEN];
	unsigned cfg_line[TB_MAX_CONFIG_KEYS];
	unsigned ncfg;
};

/** Report "FILE:LINE: error: ..." for the current line; returns CMDQV_EPARSE. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int tb_scn_err(struct tb_parser *p, const char *fmt, ...);
/** strndup/strdup (C11 has neither); NULL when out of memory. */
char *tb_scn_strndup(const char *t, size_t n);
char *tb_scn_strdup(const char *t);

/* Each need_* reports its own error (returns non-zero) or stores *@out. */
int tb_scn_need_time(struct tb_parser *p, const char *t, const char *what,
		     sim_time_t *out);
int tb_scn_need_u64(struct tb_parser *p, const char *t, const char *what,
		    uint64_t *out);
int tb_scn_need_width(struct tb_parser *p, const char *t, const char *what,
		      unsigned bits, uint64_t *out);
/** Split "key=value" in place; returns value or NULL. */
char *tb_scn_split_kv(char *tok);
int tb_scn_parse_space(struct tb_parser *p, const char *t,
		       enum cmdqv_space *out);
/** Operator of @t (no message); -1 if @t is none. */
int tb_scn_parse_cmp(const char *t, enum tb_cmp *out);
int tb_scn_check_access(struct tb_parser *p, enum cmdqv_space sp, uint64_t off,
			unsigned size);
/**
 * tb_scn_check_ascii - refuse a byte outside printable ASCII (tab allowed,
 * and a CR as the last byte: a CR LF line end) in @text, naming it: "UTF-8 byte-order mark", "no-break space U+00A0",
 * "character U+XXXX", "control byte 0xNN" or "byte 0xNN", with its column.
 * Returns 0 or CMDQV_EPARSE (message set).
 */
int tb_scn_check_ascii(struct tb_parser *p, const char *text);
/** Append a statement of @kind on the current line; NULL when out of memory. */
struct tb_stmt *tb_scn_new_stmt(struct tb_parser *p, enum tb_stmt_kind kind);
/** The cmd statement (tb_scenario_cmd.c). */
int tb_scn_parse_cmd(struct tb_parser *p);

#endif /* CMDQV_TB_SCENARIO_PARSE_H */
