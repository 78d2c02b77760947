/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_scenario_cmd.c - the scenario statement `cmd ADDR NAME [FIELD=VALUE...]`
 * and its command encoder (docs/scenarios.md, "Commands").
 *
 * Fields are placed with the public per-opcode field table (cmd.h,
 * cmd_field_*).
 */
#include "tb_scenario_parse.h"

#include <ctype.h>
#include <string.h>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/status.h"

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

int tb_scn_parse_cmd(struct tb_parser *p)
{
	struct tb_stmt *st = tb_scn_new_stmt(p, ST_CMD);
	if (!st)
		return CMDQV_ENOMEM;
	if (tb_scn_need_u64(p, p->ntok > 1 ? p->tok[1] : NULL,
			    "command address", &st->addr))
		return CMDQV_EPARSE;
	if (st->addr % 16)
		return tb_scn_err(
			p, "command address 0x%llx is not 16-byte aligned",
			(unsigned long long)st->addr);
	if (st->addr >> 48)
		return tb_scn_err(p, "command address 0x%llx is beyond 48 bits",
				  (unsigned long long)st->addr);
	if (p->ntok < 3)
		return tb_scn_err(p, "missing command name");
	const char *name = p->tok[2];
	/* cmd ADDR raw W0 W1: two literal words */
	if (!strcmp(name, "raw")) {
		if (p->ntok != 5)
			return tb_scn_err(
				p,
				"cmd ADDR raw needs exactly two 64-bit words");
		if (tb_scn_need_u64(p, p->tok[3], "word 0", &st->dw[0]) ||
		    tb_scn_need_u64(p, p->tok[4], "word 1", &st->dw[1]))
			return CMDQV_EPARSE;
		return 0;
	}
	bool is_all = false;
	int op;
	uint64_t num;
	if (isdigit((unsigned char)name[0])) {
		if (cmdqv_parse_u64(name, &num) || num > 0xff)
			return tb_scn_err(
				p,
				"bad opcode '%s' (a name or a number 0..0xff)",
				name);
		op = (int)num;
	} else {
		op = lookup_opcode(name, &is_all);
		if (op < 0)
			return tb_scn_err(p, "unknown command name '%s'", name);
	}
	uint32_t given = 0; /* bit i: field i of the opcode's layout */
	st->dw[0] = CMDQV_FIELD_PREP(CMD_DW0_OPCODE, op);
	st->dw[1] = 0;
	for (int i = 3; i < p->ntok; i++) {
		char *key = p->tok[i];
		char *val = tb_scn_split_kv(key);
		if (!val)
			return tb_scn_err(p, "expected FIELD=VALUE, got '%s'",
					  key);
		const struct cmd_field_info *f;
		unsigned fi;
		for (fi = 0; (f = cmd_field_at((uint8_t)op, fi)) != NULL; fi++)
			if (!strcmp(key, f->name))
				break;
		if (!f && !cmd_field_name_known(key))
			return tb_scn_err(p, "unknown command field '%s'", key);
		if (!f || (is_all && !strcmp(key, "range")))
			return tb_scn_err(p, "field '%s' is not a field of %s",
					  key, name);
		uint64_t x;
		if (tb_scn_need_width(p, val, key, f->addr ? 64 : f->width, &x))
			return CMDQV_EPARSE;
		if (given & (1u << fi))
			return tb_scn_err(p, "field '%s' given twice", key);
		given |= 1u << fi;
		cmd_field_deposit(st->dw, f, x);
	}
	if (is_all) /* CFGI_ALL = CFGI_STE_RANGE with Range = 31 */
		cmd_field_deposit(st->dw, cmd_field_find((uint8_t)op, "range"),
				  CMD_CFGI_RANGE_ALL);
	return 0;
}
