/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd.h - SMMUv3 command encode/decode (IHI 0070 4.1; arm-smmu-v3.h).
 *
 * A command is two little-endian 64-bit words.  cmd_decode() is a pure
 * function from the words to a plain struct holding every field any opcode
 * defines; cmd_encode() is its inverse for the fields the opcode has
 * (fields the opcode does not have are ignored; values wider than the field
 * are truncated to the bits the field holds).  No bitfield structs.
 */
#ifndef CMDQV_SIM_CMD_H
#define CMDQV_SIM_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "field.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(NAME, opcode): every opcode of IHI 0070 4.1; arm-smmu-v3.h: CMDQ_OP_*
 * (CFGI_ALL is CFGI_STE_RANGE with range=31 and has no opcode of its own). */
#define CMD_OPCODE_MAP(X)        \
	X(PREFETCH_CONFIG, 0x01) \
	X(PREFETCH_ADDR, 0x02)   \
	X(CFGI_STE, 0x03)        \
	X(CFGI_STE_RANGE, 0x04)  \
	X(CFGI_CD, 0x05)         \
	X(CFGI_CD_ALL, 0x06)     \
	X(TLBI_NH_ALL, 0x10)     \
	X(TLBI_NH_ASID, 0x11)    \
	X(TLBI_NH_VA, 0x12)      \
	X(TLBI_NH_VAA, 0x13)     \
	X(TLBI_EL3_ALL, 0x18)    \
	X(TLBI_EL3_VA, 0x1A)     \
	X(TLBI_EL2_ALL, 0x20)    \
	X(TLBI_EL2_ASID, 0x21)   \
	X(TLBI_EL2_VA, 0x22)     \
	X(TLBI_EL2_VAA, 0x23)    \
	X(TLBI_S12_VMALL, 0x28)  \
	X(TLBI_S2_IPA, 0x2A)     \
	X(TLBI_NSNH_ALL, 0x30)   \
	X(ATC_INV, 0x40)         \
	X(PRI_RESP, 0x41)        \
	X(RESUME, 0x44)          \
	X(STALL_TERM, 0x45)      \
	X(SYNC, 0x46)

enum cmd_opcode {
#define CMD_OPCODE_ENUM(name, val) CMDQ_OP_##name = val,
	CMD_OPCODE_MAP(CMD_OPCODE_ENUM)
#undef CMD_OPCODE_ENUM
};

/** CMD_SYNC completion signal (CS field). */
enum cmd_sync_cs {
	CMD_SYNC_CS_NONE = 0,
	CMD_SYNC_CS_IRQ = 1,
	CMD_SYNC_CS_SEV = 2
};

/** Range value of CFGI_STE_RANGE meaning "all StreamIDs" (CFGI_ALL). */
#define CMD_CFGI_RANGE_ALL 31
/** ATC_INV size meaning "invalidate everything". */
#define CMD_ATC_INV_SIZE_ALL 52

/**
 * struct cmd - every field of every command, decoded.  Fields an opcode does
 * not define are zero after cmd_decode().  Addresses are byte addresses.
 */
struct cmd {
	uint8_t opcode;
	uint32_t sid; /* StreamID, dw0[63:32] */
	uint32_t ssid; /* SubstreamID, dw0[31:12] */
	bool ssv; /* dw0[11] */
	bool ssec; /* dw0[10] */
	bool leaf; /* dw1[0] */
	bool global; /* ATC_INV dw0[9] */
	uint8_t range; /* CFGI_STE_RANGE dw1[4:0] */
	uint16_t vmid; /* dw0[47:32] */
	uint16_t asid; /* dw0[63:48] */
	uint64_t addr; /* VA dw1[63:12], IPA dw1[51:12], ATC/prefetch dw1[63:12] */
	uint8_t num; /* dw0[16:12] */
	uint8_t scale; /* dw0[24:20] */
	uint8_t tg; /* dw1[11:10] */
	uint8_t ttl; /* dw1[9:8] */
	uint8_t size; /* ATC_INV / PREFETCH_ADDR dw1[5:0] / [4:0] */
	uint8_t cs; /* SYNC dw0[13:12] */
	uint8_t msh; /* SYNC dw0[23:22] */
	uint8_t msiattr; /* SYNC dw0[27:24] */
	uint32_t msidata; /* SYNC dw0[63:32] */
	uint64_t msiaddr; /* SYNC dw1[51:2] as a byte address */
	uint16_t grpid; /* PRI_RESP dw1[8:0] */
	uint8_t resp; /* PRI_RESP dw1[13:12]; RESUME action dw0[13:12] */
	uint16_t stag; /* RESUME dw1[15:0] */
};

/** The opcode field of dw0 (IHI 0070, 4.1.1), common to every command. */
#define CMD_DW0_OPCODE 0, 8

/** cmd_opcode() - the opcode of the command whose first word is @dw0. */
static inline uint8_t cmd_opcode(uint64_t dw0)
{
	return (uint8_t)CMDQV_FIELD_EX(dw0, CMD_DW0_OPCODE);
}

/**
 * struct cmd_field_info - one field of one opcode's layout, as the public
 * field table (cmd.c) declares it; decode, encode, the scenario language
 * and the trace importers all read this one table.
 * @name:  the struct cmd member it decodes to ("sid", "addr", "size", ...)
 * @word:  0 or 1 (dw0 / dw1)
 * @lsb:   least significant bit in the word
 * @width: width in bits
 * @addr:  the value is a byte address whose bits sit at their own positions
 *         (value = field << lsb); otherwise right-aligned
 */
struct cmd_field_info {
	const char *name;
	uint8_t word;
	uint8_t lsb;
	uint8_t width;
	bool addr;
};

/**
 * cmd_field_at() - field @i (0, 1, ...) of @opcode's layout, in table
 * order; NULL once @i is past the last field (or for an unknown opcode).
 */
const struct cmd_field_info *cmd_field_at(uint8_t opcode, unsigned i);
/** cmd_field_find() - @opcode's field called @name, or NULL if it has none. */
const struct cmd_field_info *cmd_field_find(uint8_t opcode, const char *name);
/** cmd_field_name_known() - true if some opcode has a field called @name. */
bool cmd_field_name_known(const char *name);
/** cmd_field_mask() - in-word mask of field @f. */
static inline uint64_t cmd_field_mask(const struct cmd_field_info *f)
{
	return CMDQV_FLD_MASK_(f->lsb, f->width);
}
/**
 * cmd_field_deposit() - put @v into field @f of @dw (an address field takes
 * the byte address and keeps its bits [lsb + width - 1 : lsb]); @v is
 * truncated to the field width.
 */
static inline void cmd_field_deposit(uint64_t dw[2],
				     const struct cmd_field_info *f, uint64_t v)
{
	dw[f->word] = cmdqv_fld_dp(dw[f->word], f->lsb, f->width,
				   f->addr ? v >> f->lsb : v);
}

/**
 * cmd_guest_allowed() - true if @opcode is in the guest command set of the
 * Tegra241 CMD-QV: the commands a guest-owned VCMDQ (its VINTF has
 * HYP_OWN = 0) may issue; any other opcode halts the queue with
 * T241_CERROR_ILL_ACCESS.  Linux keeps the same list for its guest queues
 * (tegra241-cmdqv.c: tegra241_guest_vcmdq_supports_cmd()).
 */
static inline bool cmd_guest_allowed(uint8_t opcode)
{
	switch (opcode) {
	case CMDQ_OP_TLBI_NH_ASID:
	case CMDQ_OP_TLBI_NH_VA:
	case CMDQ_OP_ATC_INV:
	case CMDQ_OP_SYNC:
		return true;
	default:
		return false;
	}
}

/** Decode two command words. Pure; never fails (unknown opcodes keep only opcode). */
void cmd_decode(const uint64_t dw[2], struct cmd *out);
/** Encode @c into two words (zero-filled, then the opcode's fields). */
void cmd_encode(const struct cmd *c, uint64_t dw[2]);

/** Spec name ("CMD_TLBI_NH_VA"), or NULL for an opcode not in the table. */
const char *cmd_name(uint8_t opcode);
/**
 * Opcode for @name; accepts "CMD_TLBI_NH_VA", "TLBI_NH_VA" and "CMD_CFGI_ALL"
 * (reported as CFGI_STE_RANGE; *is_all set if non-NULL). Returns -1 if unknown.
 */
int cmd_opcode_by_name(const char *name, bool *is_all);
/** True if @opcode is in the opcode table. */
bool cmd_opcode_known(uint8_t opcode);

/**
 * Number of granule pages a TLBI range command covers: (NUM+1)*2^SCALE when
 * TG != 0, else 1.  Granule shift = TG*2 + 10 (TG=1: 4 KiB).
 */
uint64_t cmd_tlbi_range_pages(const struct cmd *c);
/** Byte span of the command's address range (granule pages or ATC span). */
uint64_t cmd_range_bytes(const struct cmd *c);

/**
 * Write a one-line human-readable decode ("CMD_TLBI_NH_VA vmid=1 asid=2
 * addr=0x1000 ...") into @buf. Returns the length that was needed (snprintf
 * convention).
 */
int cmd_format(const struct cmd *c, char *buf, unsigned len);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_SIM_CMD_H */
