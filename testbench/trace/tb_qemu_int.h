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

/* Command word fields (smmuv3-cmdq.md §3.2), for the unknown-bit masks. */
#define QI_W0_OPC 0xFFull
#define QI_W0_SID 0xFFFFFFFF00000000ull
#define QI_W0_SSID 0x00000000FFFFF000ull
#define QI_W0_SSV (1ull << 11)
#define QI_W0_VMID 0x0000FFFF00000000ull
#define QI_W0_ASID 0xFFFF000000000000ull
#define QI_W0_NUM (0x1Full << 12)
#define QI_W0_SCALE (0x1Full << 20)
#define QI_W0_CS (0x3ull << 12)
#define QI_W0_MSH (0x3ull << 22)
#define QI_W0_MSIATT (0xFull << 24)
#define QI_W1_LEAF 1ull
#define QI_W1_RANGE 0x1Full
#define QI_W1_MSIADR 0x000FFFFFFFFFFFFCull

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

/* QEMU's opcode name (smmuv3-cmdq.md §9.2) to an opcode; -1 if unknown. */
int qi_opcode(const char *name);
/* Fill words and the unknown-bit masks from what the log said. */
void qi_cmd_build(const struct qi_cmd *q, uint64_t w[2], uint64_t uk[2]);

#endif /* CMDQV_TB_QEMU_INT_H */
