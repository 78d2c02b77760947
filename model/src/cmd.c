/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd.c - SMMUv3 command decode/encode (cmd.h, IHI 0070 4.1; arm-smmu-v3.h).
 *
 * Layouts are data: every command field is declared once below as a
 * (word, shift, len) field plus the struct cmd member it lands in, and every
 * opcode lists the fields it has.  cmd_decode() and cmd_encode() are the same
 * loop over that list in opposite directions, so they cannot disagree.
 * Bit positions are the Linux ones (IHI 0070 4.2-4.7; arm-smmu-v3.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cmdqv_sim/regmap.h"
#include "cmdqv_sim/cmd.h"
#include "member.h"

/* ---- dw0 fields (IHI 0070 4.1, 4.2-4.7; arm-smmu-v3.h) ---- */
#define CMD0_GLOBAL 9, 1 /* ATC_INV */
#define CMD0_SSEC 10, 1
#define CMD0_SSV 11, 1
#define CMD0_SSID 12, 20
#define CMD0_NUM 12, 5 /* range TLBIs */
/* range TLBIs; [25:20] only with IDR5.DS (IHI 0070 4.4.1.1) */
#define CMD0_SCALE 20, 5
#define CMD0_SID 32, 32
#define CMD0_VMID 32, 16
#define CMD0_ASID 48, 16
#define CMD0_SYNC_CS 12, 2
#define CMD0_SYNC_MSH 22, 2
#define CMD0_SYNC_MSIATTR 24, 4
#define CMD0_SYNC_MSIDATA 32, 32
#define CMD0_RESUME_RESP 12, 2 /* Linux CMDQ_RESUME_0_RESP (Action) */

/* ---- dw1 fields ---- */
#define CMD1_LEAF 0, 1
#define CMD1_STE_RANGE 0, 5
#define CMD1_TTL 8, 2
#define CMD1_TG 10, 2
#define CMD1_ADDR 12, 52 /* VA / ATC / prefetch address [63:12] */
#define CMD1_IPA 12, 40 /* TLBI_S2_IPA [51:12] */
#define CMD1_ATC_SIZE 0, 6
#define CMD1_PREFETCH_SZ 0, 5
/* [51:2]; G.b widens to [55:2] (IHI 0070 4.7.3) */
#define CMD1_SYNC_MSIADDR 2, 50
#define CMD1_PRI_GRPID 0, 9
/* Linux; QEMU's macro reads [12:11] (IHI 0070 4.2-4.7; arm-smmu-v3.h) */
#define CMD1_PRI_RESP 12, 2
#define CMD1_RESUME_STAG 0, 16

/**
 * struct cmd_field - one command field.
 * @word:    0 or 1 (dw0/dw1)
 * @shift:   least significant bit in the word
 * @len:     width in bits
 * @inplace: the value is a byte address whose bits sit at their own
 *           positions (value = field << shift); otherwise right-aligned
 * @type:    C type of the struct cmd member (member.h)
 * @offset:  offsetof(struct cmd, member)
 */
struct cmd_field {
	struct cmd_field_info info;
	enum member_kind type;
	size_t offset;
};

/* Field identifiers; each is one bit in an opcode's field set. */
enum cmd_fid {
	F_SID,
	F_SSID,
	F_SSV,
	F_SSEC,
	F_GLOBAL,
	F_VMID,
	F_ASID,
	F_NUM,
	F_SCALE,
	F_LEAF,
	F_TTL,
	F_TG,
	F_VA,
	F_IPA,
	F_STE_RANGE,
	F_ATC_SIZE,
	F_PREFETCH_SIZE,
	F_SYNC_CS,
	F_SYNC_MSH,
	F_SYNC_MSIATTR,
	F_SYNC_MSIDATA,
	F_SYNC_MSIADDR,
	F_PRI_GRPID,
	F_PRI_RESP,
	F_RESUME_RESP,
	F_RESUME_STAG,
	F_COUNT
};

#define FLD_(w, sh, ln, inpl, ty, member)                            \
	{                                                            \
		.info = { .name = #member,                           \
			  .word = (w),                               \
			  .lsb = (sh),                               \
			  .width = (ln),                             \
			  .addr = (inpl) },                          \
		.type = (ty), .offset = offsetof(struct cmd, member) \
	}
/* FIELD(word, F, type, member): F is a "shift, len" macro from above. */
#define FIELD(w, F, ty, member) FLD_(w, F, false, ty, member)
#define ADDR_FIELD(w, F, ty, member) FLD_(w, F, true, ty, member)

static const struct cmd_field cmd_fields[F_COUNT] = {
	[F_SID] = FIELD(0, CMD0_SID, MEMBER_U32, sid),
	[F_SSID] = FIELD(0, CMD0_SSID, MEMBER_U32, ssid),
	[F_SSV] = FIELD(0, CMD0_SSV, MEMBER_BOOL, ssv),
	[F_SSEC] = FIELD(0, CMD0_SSEC, MEMBER_BOOL, ssec),
	[F_GLOBAL] = FIELD(0, CMD0_GLOBAL, MEMBER_BOOL, global),
	[F_VMID] = FIELD(0, CMD0_VMID, MEMBER_U16, vmid),
	[F_ASID] = FIELD(0, CMD0_ASID, MEMBER_U16, asid),
	[F_NUM] = FIELD(0, CMD0_NUM, MEMBER_U8, num),
	[F_SCALE] = FIELD(0, CMD0_SCALE, MEMBER_U8, scale),
	[F_LEAF] = FIELD(1, CMD1_LEAF, MEMBER_BOOL, leaf),
	[F_TTL] = FIELD(1, CMD1_TTL, MEMBER_U8, ttl),
	[F_TG] = FIELD(1, CMD1_TG, MEMBER_U8, tg),
	[F_VA] = ADDR_FIELD(1, CMD1_ADDR, MEMBER_U64, addr),
	[F_IPA] = ADDR_FIELD(1, CMD1_IPA, MEMBER_U64, addr),
	[F_STE_RANGE] = FIELD(1, CMD1_STE_RANGE, MEMBER_U8, range),
	[F_ATC_SIZE] = FIELD(1, CMD1_ATC_SIZE, MEMBER_U8, size),
	[F_PREFETCH_SIZE] = FIELD(1, CMD1_PREFETCH_SZ, MEMBER_U8, size),
	[F_SYNC_CS] = FIELD(0, CMD0_SYNC_CS, MEMBER_U8, cs),
	[F_SYNC_MSH] = FIELD(0, CMD0_SYNC_MSH, MEMBER_U8, msh),
	[F_SYNC_MSIATTR] = FIELD(0, CMD0_SYNC_MSIATTR, MEMBER_U8, msiattr),
	[F_SYNC_MSIDATA] = FIELD(0, CMD0_SYNC_MSIDATA, MEMBER_U32, msidata),
	[F_SYNC_MSIADDR] =
		ADDR_FIELD(1, CMD1_SYNC_MSIADDR, MEMBER_U64, msiaddr),
	[F_PRI_GRPID] = FIELD(1, CMD1_PRI_GRPID, MEMBER_U16, grpid),
	[F_PRI_RESP] = FIELD(1, CMD1_PRI_RESP, MEMBER_U8, resp),
	[F_RESUME_RESP] = FIELD(0, CMD0_RESUME_RESP, MEMBER_U8, resp),
	[F_RESUME_STAG] = FIELD(1, CMD1_RESUME_STAG, MEMBER_U16, stag),
};

#define FS(f) (UINT32_C(1) << F_##f)

/* Field sets shared by several opcodes. */
#define FS_RANGE                                  \
	(FS(NUM) | FS(SCALE) | FS(TG) | FS(TTL) | \
	 FS(LEAF)) /* IHI 0070 4.1, 4.4.1.1; arm-smmu-v3.h; arm-smmu-v3.c: __arm_smmu_tlb_inv_range() */
#define FS_VA (FS(VA) | FS_RANGE)

/**
 * struct cmd_layout - what one opcode carries.
 * @name:   spec name ("CMD_SYNC"); NULL for opcodes not in the table
 * @fields: set of enum cmd_fid bits
 */
struct cmd_layout {
	const char *name;
	uint32_t fields;
};

#define LAYOUT(op, f) [CMDQ_OP_##op] = { "CMD_" #op, (f) }

/* IHI 0070 4.2-4.7; arm-smmu-v3.h; every row of CMD_OPCODE_MAP appears here
 * (test_cmd checks it). */
static const struct cmd_layout cmd_layouts[256] = {
	/* PREFETCH_*: SID plus the generic SSec/SSV/SubstreamID of IHI 0070
	 * 4.1; arm-smmu-v3.h and IHI 0070 4.2 ("SSV=1 without substreams",
	 * "SSec rules apply") (inferred; Linux encodes only the SID of
	 * PREFETCH_CONFIG). */
	LAYOUT(PREFETCH_CONFIG, FS(SID) | FS(SSID) | FS(SSV) | FS(SSEC)),
	LAYOUT(PREFETCH_ADDR, FS(SID) | FS(SSID) | FS(SSV) | FS(SSEC) | FS(VA) |
				      FS(PREFETCH_SIZE)),
	LAYOUT(CFGI_STE, FS(SID) | FS(SSEC) | FS(LEAF)),
	LAYOUT(CFGI_STE_RANGE, FS(SID) | FS(SSEC) | FS(STE_RANGE)),
	LAYOUT(CFGI_CD, FS(SID) | FS(SSID) | FS(SSEC) | FS(LEAF)),
	/* SSec: QEMU checks it on every CFGI_* (IHI 0070 4.1;
	 * arm-smmu-v3.h). */
	LAYOUT(CFGI_CD_ALL, FS(SID) | FS(SSEC)),
	LAYOUT(TLBI_NH_ALL, FS(VMID)),
	LAYOUT(TLBI_NH_ASID, FS(ASID) | FS(VMID)),
	LAYOUT(TLBI_NH_VA, FS(ASID) | FS(VMID) | FS_VA),
	LAYOUT(TLBI_NH_VAA, FS(VMID) | FS_VA),
	LAYOUT(TLBI_EL3_ALL, 0),
	/* EL3_VA / EL2_VAA: no consulted source encodes them; use the NH_VA
	 * word positions without ASID/VMID (IHI 0070 4.2-4.7; arm-smmu-v3.h,
	 * inferred). */
	LAYOUT(TLBI_EL3_VA, FS_VA),
	LAYOUT(TLBI_EL2_ALL, 0),
	LAYOUT(TLBI_EL2_ASID, FS(ASID)),
	LAYOUT(TLBI_EL2_VA, FS(ASID) | FS_VA),
	LAYOUT(TLBI_EL2_VAA, FS_VA),
	LAYOUT(TLBI_S12_VMALL, FS(VMID)),
	LAYOUT(TLBI_S2_IPA, FS(VMID) | FS(IPA) | FS_RANGE),
	LAYOUT(TLBI_NSNH_ALL, 0),
	LAYOUT(ATC_INV, FS(SID) | FS(SSID) | FS(SSV) | FS(GLOBAL) | FS(VA) |
				FS(ATC_SIZE)),
	LAYOUT(PRI_RESP,
	       FS(SID) | FS(SSID) | FS(SSV) | FS(PRI_GRPID) | FS(PRI_RESP)),
	LAYOUT(RESUME, FS(SID) | FS(SSEC) | FS(RESUME_RESP) | FS(RESUME_STAG)),
	LAYOUT(STALL_TERM, FS(SID) | FS(SSEC)),
	LAYOUT(SYNC, FS(SYNC_CS) | FS(SYNC_MSH) | FS(SYNC_MSIATTR) |
			     FS(SYNC_MSIDATA) | FS(SYNC_MSIADDR)),
};

void cmd_decode(const uint64_t dw[2], struct cmd *out)
{
	const struct cmd_layout *l;

	memset(out, 0, sizeof(*out));
	out->opcode = (uint8_t)CMDQV_FIELD_EX(dw[0], CMD_DW0_OPCODE);
	l = &cmd_layouts[out->opcode];
	/* Visit only the opcode's own fields (this runs once per executed
         * command, the engine's hot path). */
	for (uint32_t set = l->fields; set; set &= set - 1) {
		const struct cmd_field *f = &cmd_fields[__builtin_ctz(set)];
		uint64_t v;

		v = cmdqv_fld_ex(dw[f->info.word], f->info.lsb, f->info.width);
		if (f->info.addr)
			v <<= f->info.lsb;
		member_put(out, f->offset, f->type, v);
	}
}

void cmd_encode(const struct cmd *c, uint64_t dw[2])
{
	const struct cmd_layout *l = &cmd_layouts[c->opcode];

	dw[0] = CMDQV_FIELD_DP(UINT64_C(0), CMD_DW0_OPCODE, c->opcode);
	dw[1] = 0;
	for (unsigned i = 0; i < F_COUNT; i++) {
		const struct cmd_field *f = &cmd_fields[i];
		uint64_t v;

		if (!(l->fields & (UINT32_C(1) << i)))
			continue;
		v = member_get(c, f->offset, f->type);
		/* cmd_field_deposit truncates to the field width (cmd.h
		 * contract). */
		cmd_field_deposit(dw, &f->info, v);
	}
}

const struct cmd_field_info *cmd_field_at(uint8_t opcode, unsigned i)
{
	for (uint32_t set = cmd_layouts[opcode].fields; set; set &= set - 1)
		if (i-- == 0)
			return &cmd_fields[__builtin_ctz(set)].info;
	return NULL;
}

const struct cmd_field_info *cmd_field_find(uint8_t opcode, const char *name)
{
	const struct cmd_field_info *f;

	for (unsigned i = 0; (f = cmd_field_at(opcode, i)) != NULL; i++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

bool cmd_field_name_known(const char *name)
{
	for (unsigned i = 0; i < F_COUNT; i++)
		if (strcmp(cmd_fields[i].info.name, name) == 0)
			return true;
	return false;
}

const char *cmd_name(uint8_t opcode)
{
	return cmd_layouts[opcode].name;
}

bool cmd_opcode_known(uint8_t opcode)
{
	return cmd_layouts[opcode].name != NULL;
}

int cmd_opcode_by_name(const char *name, bool *is_all)
{
	static const char prefix[] = "CMD_";
	const size_t plen = sizeof(prefix) - 1;

	if (is_all)
		*is_all = false;
	if (!name)
		return -1;
	if (strncmp(name, prefix, plen) == 0)
		name += plen;
	/* CFGI_ALL is CFGI_STE_RANGE with Range=31 (IHI 0070 4.1;
	 * arm-smmu-v3.h: CMDQ_OP_*). */
	if (strcmp(name, "CFGI_ALL") == 0) {
		if (is_all)
			*is_all = true;
		return CMDQ_OP_CFGI_STE_RANGE;
	}
	for (unsigned op = 0; op < 256; op++) {
		const char *n = cmd_layouts[op].name;

		if (n && strcmp(n + plen, name) == 0)
			return (int)op;
	}
	return -1;
}

/* Granule shift of a range TLBI: TG*2 + 10, TG=0 taken as 4 KB as QEMU does
 * (IHI 0070 4.4.1.1; arm-smmu-v3.c: __arm_smmu_tlb_inv_range()). */
static unsigned cmd_granule_shift(const struct cmd *c)
{
	return c->tg ? (unsigned)c->tg * 2 + 10 : 12;
}

static bool cmd_has(const struct cmd *c, enum cmd_fid f)
{
	return (cmd_layouts[c->opcode].fields & (UINT32_C(1) << f)) != 0;
}

uint64_t cmd_tlbi_range_pages(const struct cmd *c)
{
	/* IHI 0070 4.4.1.1; arm-smmu-v3.c: __arm_smmu_tlb_inv_range(): (NUM+1)
	 * * 2^SCALE granules when TG != 0. SCALE <= 31 and NUM <= 31, so this
	 * fits in 37 bits. */
	if (c->tg == 0)
		return 1;
	return ((uint64_t)(c->num & 31) + 1) << (c->scale & 63);
}

/* 2^shift bytes, saturated at UINT64_MAX. */
static uint64_t cmd_pow2_sat(unsigned shift)
{
	return shift >= 64 ? UINT64_MAX : CMDQV_BIT(shift);
}

uint64_t cmd_range_bytes(const struct cmd *c)
{
	if (c->opcode == CMDQ_OP_ATC_INV) {
		/* 4 KB * 2^Size; Size >= 52 is "everything" (arm-smmu-v3.c:
		 * arm_smmu_atc_inv_to_cmd(); IHI 0070 4.5.1). */
		if (c->size >= CMD_ATC_INV_SIZE_ALL)
			return UINT64_MAX;
		return cmd_pow2_sat(12u + c->size);
	}
	if (c->opcode == CMDQ_OP_PREFETCH_ADDR) {
		/* Same 4 KB * 2^Size convention as ATC_INV (inferred; the
		 * consulted sources define only the field, IHI 0070 4.2-4.7;
		 * arm-smmu-v3.h). */
		return cmd_pow2_sat(12u + c->size);
	}
	if (cmd_has(c, F_TG)) {
		uint64_t pages = cmd_tlbi_range_pages(c);
		unsigned gs = cmd_granule_shift(c);

		/* pages < 2^37 and gs <= 16: no overflow. */
		return pages << gs;
	}
	return 0;
}

/* Append to a bounded buffer, tracking the length that was needed. */
struct cmd_fmt {
	char *buf;
	unsigned len;
	int used;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
cmd_fmt_add(struct cmd_fmt *f, const char *fmt, ...)
{
	va_list ap;
	size_t room = 0;
	char *dst = NULL;
	int n;

	if (f->used < 0)
		return;
	if (f->buf && (unsigned)f->used < f->len) {
		room = f->len - (unsigned)f->used;
		dst = f->buf + f->used;
	}
	va_start(ap, fmt);
	n = vsnprintf(dst, room, fmt, ap);
	va_end(ap);
	f->used = n < 0 ? -1 : f->used + n;
}

int cmd_format(const struct cmd *c, char *buf, unsigned len)
{
	struct cmd_fmt f = { buf, len, 0 };
	const struct cmd_layout *l = &cmd_layouts[c->opcode];

	if (buf && len)
		buf[0] = '\0';
	if (!l->name) {
		cmd_fmt_add(&f, "CMD_UNKNOWN opcode=0x%02x", c->opcode);
		return f.used;
	}
	cmd_fmt_add(&f, "%s", l->name);
	if (c->opcode == CMDQ_OP_CFGI_STE_RANGE &&
	    c->range == CMD_CFGI_RANGE_ALL)
		cmd_fmt_add(&f, " (CFGI_ALL)");

	/* Print in a fixed, reader-friendly order: who, what, how much. */
	if (cmd_has(c, F_SID))
		cmd_fmt_add(&f, " sid=0x%x", (unsigned)c->sid);
	if (cmd_has(c, F_SSID))
		cmd_fmt_add(&f, " ssid=0x%x", (unsigned)c->ssid);
	if (cmd_has(c, F_SSV))
		cmd_fmt_add(&f, " ssv=%d", c->ssv);
	if (cmd_has(c, F_SSEC))
		cmd_fmt_add(&f, " ssec=%d", c->ssec);
	if (cmd_has(c, F_GLOBAL))
		cmd_fmt_add(&f, " global=%d", c->global);
	if (cmd_has(c, F_VMID))
		cmd_fmt_add(&f, " vmid=%u", (unsigned)c->vmid);
	if (cmd_has(c, F_ASID))
		cmd_fmt_add(&f, " asid=%u", (unsigned)c->asid);
	if (cmd_has(c, F_VA) || cmd_has(c, F_IPA))
		cmd_fmt_add(&f, " addr=0x%llx", (unsigned long long)c->addr);
	if (cmd_has(c, F_TG))
		cmd_fmt_add(&f,
			    " num=%u scale=%u tg=%u ttl=%u leaf=%d pages=%llu",
			    (unsigned)c->num, (unsigned)c->scale,
			    (unsigned)c->tg, (unsigned)c->ttl, c->leaf,
			    (unsigned long long)cmd_tlbi_range_pages(c));
	else if (cmd_has(c, F_LEAF))
		cmd_fmt_add(&f, " leaf=%d", c->leaf);
	if (cmd_has(c, F_STE_RANGE))
		cmd_fmt_add(&f, " range=%u", (unsigned)c->range);
	if (cmd_has(c, F_ATC_SIZE) || cmd_has(c, F_PREFETCH_SIZE))
		cmd_fmt_add(&f, " size=%u", (unsigned)c->size);
	if (cmd_has(c, F_SYNC_CS))
		cmd_fmt_add(
			&f,
			" cs=%u msh=%u msiattr=0x%x msidata=0x%x msiaddr=0x%llx",
			(unsigned)c->cs, (unsigned)c->msh, (unsigned)c->msiattr,
			(unsigned)c->msidata, (unsigned long long)c->msiaddr);
	if (cmd_has(c, F_PRI_GRPID))
		cmd_fmt_add(&f, " grpid=%u resp=%u", (unsigned)c->grpid,
			    (unsigned)c->resp);
	if (cmd_has(c, F_RESUME_STAG))
		cmd_fmt_add(&f, " resp=%u stag=0x%x", (unsigned)c->resp,
			    (unsigned)c->stag);
	return f.used;
}
