/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_qemu_int.h - internals of the QEMU log importer shared by its files:
 * tb_qemu_import.c (the two passes), tb_qemu_cmd.c (a command's words from
 * QEMU's printed fields) and tb_qemu_summary.c (the summary printer).
 */
#ifndef CMDQV_TB_QEMU_INT_H
#define CMDQV_TB_QEMU_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "cmdqv_sim/cmd.h"

/* Command word fields, for the unknown-bit masks: the public field table
 * (cmd.h). */
#define QI_W0_OPC CMDQV_FIELD_MASK(CMD_DW0_OPCODE)

/**
 * struct qi_cmd - the command being assembled from one thread's lines.
 * Detail fields are filled by the events that follow the opcode line.
 */
struct qi_cmd {
	bool active;
	bool has_opcode;
	int opcode; /* -1 unknown */
	uint32_t pos;
	unsigned long line;
	bool have_sid;
	uint32_t sid;
	bool have_range;
	uint64_t start, end;
	bool have_asid;
	uint32_t asid;
	bool have_chunks;
	bool chunks_bad;
	int64_t vmid, va_asid;
	uint64_t addr, next_addr, pages;
	uint32_t tg, ttl, leaf;
	bool irq;
	bool failed;
};

/*
 * Field @name of @op; for a name @op reserves (SSV of CFGI_CD, ASID of
 * TLBI_NH_VAA) the place any opcode gives it, as QEMU's print omits it too.
 */
const struct cmd_field_info *qi_field(int op, const char *name);
/* In-word mask of the fields @a and @b (NULL: none) of @op. */
uint64_t qi_fmask(int op, const char *a, const char *b);
/* QEMU's opcode name (QEMU 7.2 hw/arm/trace-events) to an opcode; -1 if
 * unknown. */
int qi_opcode(const char *name);
/* Fill words and the unknown-bit masks from what the log said. */
void qi_cmd_build(const struct qi_cmd *q, uint64_t w[2], uint64_t uk[2]);

#endif /* CMDQV_TB_QEMU_INT_H */
