/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_scenario_cmd.c - the scenario statement `cmd ADDR NAME [FIELD=VALUE...]`
 * and its command encoder (docs/scenarios.md, "Commands").
 *
 * Commands are encoded here, from the field layouts of IHI 0070 §4
 * (smmuv3-cmdq.md §3.2), independently of the core's cmd_encode(): a
 * scenario thereby also checks the core's decoder against the spec.
 */
#include "tb_scenario_parse.h"

#include <ctype.h>
#include <string.h>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/status.h"

/* ------------------------------------------------------------------ */
/* command encoding (smmuv3-cmdq.md §3.2)                             */

enum tb_field {
	F_SID,
	F_SSID,
	F_SSV,
	F_SSEC,
	F_LEAF,
	F_RANGE,
	F_VMID,
	F_ASID,
	F_ADDR,
	F_NUM,
	F_SCALE,
	F_TG,
	F_TTL,
	F_GLOBAL,
	F_SIZE,
	F_CS,
	F_MSH,
	F_MSIATTR,
	F_MSIDATA,
	F_MSIADDR,
	F_GRPID,
	F_RESP,
	F_STAG,
	F_COUNT
};

static const struct {
	const char *name;
	unsigned bits;
} fields[F_COUNT] = {
	[F_SID] = { "sid", 32 },	 [F_SSID] = { "ssid", 20 },
	[F_SSV] = { "ssv", 1 },		 [F_SSEC] = { "ssec", 1 },
	[F_LEAF] = { "leaf", 1 },	 [F_RANGE] = { "range", 5 },
	[F_VMID] = { "vmid", 16 },	 [F_ASID] = { "asid", 16 },
	[F_ADDR] = { "addr", 64 },	 [F_NUM] = { "num", 5 },
	[F_SCALE] = { "scale", 5 },	 [F_TG] = { "tg", 2 },
	[F_TTL] = { "ttl", 2 },		 [F_GLOBAL] = { "global", 1 },
	[F_SIZE] = { "size", 6 },	 [F_CS] = { "cs", 2 },
	[F_MSH] = { "msh", 2 },		 [F_MSIATTR] = { "msiattr", 4 },
	[F_MSIDATA] = { "msidata", 32 }, [F_MSIADDR] = { "msiaddr", 64 },
	[F_GRPID] = { "grpid", 9 },	 [F_RESP] = { "resp", 2 },
	[F_STAG] = { "stag", 16 },
};

#define FB(f) (1u << (f))
#define FRANGE                                                         \
	(FB(F_SCALE) | FB(F_NUM) | FB(F_ADDR) | FB(F_TG) | FB(F_TTL) | \
	 FB(F_LEAF))

/** Fields each opcode has, per smmuv3-cmdq.md §3.2 (EL3/EL2_VAA best effort, §10). */
static uint32_t opcode_fields(uint8_t op)
{
	switch (op) {
	case CMDQ_OP_PREFETCH_CONFIG:
		return FB(F_SID) | FB(F_SSID) | FB(F_SSV) | FB(F_SSEC);
	case CMDQ_OP_PREFETCH_ADDR:
		return FB(F_SID) | FB(F_SSID) | FB(F_SSV) | FB(F_SSEC) |
		       FB(F_ADDR) | FB(F_SIZE);
	case CMDQ_OP_CFGI_STE:
		return FB(F_SID) | FB(F_SSEC) | FB(F_LEAF);
	case CMDQ_OP_CFGI_STE_RANGE:
		return FB(F_SID) | FB(F_SSEC) | FB(F_RANGE);
	case CMDQ_OP_CFGI_CD:
		return FB(F_SID) | FB(F_SSID) | FB(F_SSEC) | FB(F_LEAF);
	case CMDQ_OP_CFGI_CD_ALL:
		return FB(F_SID) | FB(F_SSEC);
	case CMDQ_OP_TLBI_NH_ALL:
	case CMDQ_OP_TLBI_S12_VMALL:
		return FB(F_VMID);
	case CMDQ_OP_TLBI_NH_ASID:
		return FB(F_VMID) | FB(F_ASID);
	case CMDQ_OP_TLBI_NH_VA:
		return FB(F_VMID) | FB(F_ASID) | FRANGE;
	case CMDQ_OP_TLBI_NH_VAA:
	case CMDQ_OP_TLBI_S2_IPA:
		return FB(F_VMID) | FRANGE;
	case CMDQ_OP_TLBI_EL3_ALL:
	case CMDQ_OP_TLBI_EL2_ALL:
	case CMDQ_OP_TLBI_NSNH_ALL:
		return 0;
	case CMDQ_OP_TLBI_EL2_ASID:
		return FB(F_ASID);
	case CMDQ_OP_TLBI_EL3_VA:
	case CMDQ_OP_TLBI_EL2_VA:
		return FB(F_ASID) | FRANGE;
	case CMDQ_OP_TLBI_EL2_VAA:
		return FRANGE;
	case CMDQ_OP_ATC_INV:
		return FB(F_SID) | FB(F_SSID) | FB(F_SSV) | FB(F_GLOBAL) |
		       FB(F_ADDR) | FB(F_SIZE);
	case CMDQ_OP_PRI_RESP:
		return FB(F_SID) | FB(F_SSID) | FB(F_SSV) | FB(F_GRPID) |
		       FB(F_RESP);
	case CMDQ_OP_RESUME:
		return FB(F_SID) | FB(F_SSEC) | FB(F_RESP) | FB(F_STAG);
	case CMDQ_OP_STALL_TERM:
		return FB(F_SID) | FB(F_SSEC);
	case CMDQ_OP_SYNC:
		return FB(F_CS) | FB(F_MSH) | FB(F_MSIATTR) | FB(F_MSIDATA) |
		       FB(F_MSIADDR);
	default:
		return 0;
	}
}

static inline uint64_t dep(uint64_t word, unsigned lo, unsigned bits,
			   uint64_t v)
{
	uint64_t m = (bits >= 64 ? ~0ull : ((1ull << bits) - 1)) << lo;
	return (word & ~m) | ((v << lo) & m);
}

/** Encode per smmuv3-cmdq.md §3.2; @v[f] is used only if bit f of @given. */
static void tb_encode(uint8_t op, uint32_t given, const uint64_t v[F_COUNT],
		      uint64_t dw[2])
{
	uint64_t d0 = op, d1 = 0;
#define G(f) (given & FB(f))
	if (G(F_SID))
		d0 = dep(d0, 32, 32, v[F_SID]);
	if (G(F_SSID))
		d0 = dep(d0, 12, 20, v[F_SSID]);
	if (G(F_SSV))
		d0 = dep(d0, 11, 1, v[F_SSV]);
	if (G(F_SSEC))
		d0 = dep(d0, 10, 1, v[F_SSEC]);
	if (G(F_GLOBAL))
		d0 = dep(d0, 9, 1, v[F_GLOBAL]);
	if (G(F_VMID))
		d0 = dep(d0, 32, 16, v[F_VMID]);
	if (G(F_ASID))
		d0 = dep(d0, 48, 16, v[F_ASID]);
	if (G(F_NUM))
		d0 = dep(d0, 12, 5, v[F_NUM]);
	if (G(F_SCALE))
		d0 = dep(d0, 20, 5, v[F_SCALE]);
	if (G(F_LEAF))
		d1 = dep(d1, 0, 1, v[F_LEAF]);
	if (G(F_TTL))
		d1 = dep(d1, 8, 2, v[F_TTL]);
	if (G(F_TG))
		d1 = dep(d1, 10, 2, v[F_TG]);
	if (G(F_RANGE))
		d1 = dep(d1, 0, 5, v[F_RANGE]);
	if (G(F_ADDR)) /* VA [63:12]; IPA [51:12] */
		d1 = dep(d1, 12, op == CMDQ_OP_TLBI_S2_IPA ? 40 : 52,
			 v[F_ADDR] >> 12);
	if (G(F_SIZE))
		d1 = dep(d1, 0, op == CMDQ_OP_PREFETCH_ADDR ? 5 : 6, v[F_SIZE]);
	if (G(F_GRPID))
		d1 = dep(d1, 0, 9, v[F_GRPID]);
	if (G(F_RESP)) { /* PRI_RESP dw1[13:12]; RESUME dw0[13:12] */
		if (op == CMDQ_OP_RESUME)
			d0 = dep(d0, 12, 2, v[F_RESP]);
		else
			d1 = dep(d1, 12, 2, v[F_RESP]);
	}
	if (G(F_STAG))
		d1 = dep(d1, 0, 16, v[F_STAG]);
	if (G(F_CS))
		d0 = dep(d0, 12, 2, v[F_CS]);
	if (G(F_MSH))
		d0 = dep(d0, 22, 2, v[F_MSH]);
	if (G(F_MSIATTR))
		d0 = dep(d0, 24, 4, v[F_MSIATTR]);
	if (G(F_MSIDATA))
		d0 = dep(d0, 32, 32, v[F_MSIDATA]);
	if (G(F_MSIADDR))
		d1 = dep(d1, 2, 50, v[F_MSIADDR] >> 2);
#undef G
	dw[0] = d0;
	dw[1] = d1;
}

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
	uint32_t allowed = opcode_fields((uint8_t)op), given = 0;
	uint64_t v[F_COUNT] = { 0 };
	if (is_all)
		allowed &= ~FB(F_RANGE);
	for (int i = 3; i < p->ntok; i++) {
		char *key = p->tok[i];
		char *val = tb_scn_split_kv(key);
		if (!val)
			return tb_scn_err(p, "expected FIELD=VALUE, got '%s'",
					  key);
		int f;
		for (f = 0; f < F_COUNT; f++)
			if (!strcmp(key, fields[f].name))
				break;
		if (f == F_COUNT)
			return tb_scn_err(p, "unknown command field '%s'", key);
		if (!(allowed & FB(f)))
			return tb_scn_err(p, "field '%s' is not a field of %s",
					  key, name);
		unsigned bits = fields[f].bits;
		if (f == F_SIZE && op == CMDQ_OP_PREFETCH_ADDR)
			bits = 5;
		if (tb_scn_need_width(p, val, key, bits, &v[f]))
			return CMDQV_EPARSE;
		if (given & FB(f))
			return tb_scn_err(p, "field '%s' given twice", key);
		given |= FB(f);
	}
	if (is_all) { /* smmuv3-cmdq.md §3.2: CFGI_ALL = CFGI_STE_RANGE, Range=31 */
		v[F_RANGE] = CMD_CFGI_RANGE_ALL;
		given |= FB(F_RANGE);
	}
	tb_encode((uint8_t)op, given, v, st->dw);
	return 0;
}
