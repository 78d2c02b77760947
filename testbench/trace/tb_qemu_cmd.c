/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_qemu_cmd.c - a command's two words rebuilt from the fields QEMU 7.2
 * prints for it (tb_qemu_int.h), with masks of the bits the log does not
 * show.
 */
#include <stdio.h>
#include <string.h>

#include "cmdqv_sim/cmd.h"
#include "tb_qemu_int.h"

/*
 * Field @name of @op; for a name @op reserves (SSV of CFGI_CD, ASID of
 * TLBI_NH_VAA) the place any opcode gives it, as QEMU's print omits it too.
 */
const struct cmd_field_info *qi_field(int op, const char *name)
{
	const struct cmd_field_info *f = cmd_field_find((uint8_t)op, name);

	for (unsigned o = 0; !f && o < 256; o++)
		f = cmd_field_find((uint8_t)o, name);
	return f;
}

/* In-word mask of the fields @a and @b (NULL: none) of @op. */
uint64_t qi_fmask(int op, const char *a, const char *b)
{
	const struct cmd_field_info *fa = qi_field(op, a);
	const struct cmd_field_info *fb = b ? qi_field(op, b) : NULL;

	return (fa ? cmd_field_mask(fa) : 0) | (fb ? cmd_field_mask(fb) : 0);
}

int qi_opcode(const char *name)
{
	char buf[64];

	if (strncmp(name, "SMMU_CMD_", 9))
		return -1;
	name += 9;
	if (!strcmp(name, "CFGI_ALL"))
		return 0x07; /* QEMU enum artefact (IHI 0070 4.1; arm-smmu-v3.h: CMDQ_OP_*): raw opcode 7 */
	if (!strcmp(name, "NONE"))
		return 0x00;
	snprintf(buf, sizeof(buf), "CMD_%s", name);
	int op = cmd_opcode_by_name(buf, NULL);
	return op >= 0 ? op : cmd_opcode_by_name(name, NULL);
}

void qi_cmd_build(const struct qi_cmd *q, uint64_t w[2], uint64_t uk[2])
{
	struct cmd k;

	memset(&k, 0, sizeof(k));
	uk[0] = uk[1] = 0;
	if (q->opcode < 0) {
		w[0] = w[1] = 0;
		uk[0] = uk[1] = UINT64_MAX;
		return;
	}
	k.opcode = (uint8_t)q->opcode;
	switch (q->opcode) {
	case CMDQ_OP_PREFETCH_CONFIG:
		uk[0] = qi_fmask(q->opcode, "sid", NULL) |
			qi_fmask(q->opcode, "ssid", "ssv");
		break;
	case CMDQ_OP_CFGI_STE:
		k.sid = q->sid;
		uk[0] = q->have_sid ? 0 : qi_fmask(q->opcode, "sid", NULL);
		uk[1] = qi_fmask(q->opcode, "leaf",
				 NULL); /* QEMU does not print Leaf */
		break;
	case CMDQ_OP_CFGI_STE_RANGE:
		if (q->have_range) {
			uint64_t span = q->end - q->start + 1;
			int r = 0;
			while (r < 32 && (2ull << r) < span)
				r++;
			k.sid = (uint32_t)q->start;
			k.range = (uint8_t)r;
			if ((2ull << r) != span)
				uk[1] = qi_fmask(q->opcode, "range", NULL);
		} else {
			uk[0] = qi_fmask(q->opcode, "sid", NULL);
			uk[1] = qi_fmask(q->opcode, "range", NULL);
		}
		break;
	case CMDQ_OP_CFGI_CD:
		k.sid = q->sid;
		uk[0] = (q->have_sid ? 0 : qi_fmask(q->opcode, "sid", NULL)) |
			qi_fmask(q->opcode, "ssid", "ssv");
		uk[1] = qi_fmask(q->opcode, "leaf", NULL);
		break;
	case CMDQ_OP_CFGI_CD_ALL:
		k.sid = q->sid;
		uk[0] = q->have_sid ? 0 : qi_fmask(q->opcode, "sid", NULL);
		break;
	case CMDQ_OP_TLBI_NH_ALL:
		uk[0] = qi_fmask(q->opcode, "vmid",
				 NULL); /* QEMU 7.2 prints no VMID */
		break;
	case CMDQ_OP_TLBI_NH_ASID:
		k.asid = (uint16_t)q->asid;
		uk[0] = qi_fmask(q->opcode, "vmid", NULL) |
			(q->have_asid ? 0 : qi_fmask(q->opcode, "asid", NULL));
		break;
	case CMDQ_OP_TLBI_NH_VA:
	case CMDQ_OP_TLBI_NH_VAA:
		if (!q->have_chunks) {
			uk[0] = qi_fmask(q->opcode, "vmid", "asid") |
				qi_fmask(q->opcode, "num", "scale");
			uk[1] = UINT64_MAX;
			break;
		}
		k.vmid = (uint16_t)q->vmid;
		k.asid = q->opcode == CMDQ_OP_TLBI_NH_VA ?
				 (uint16_t)q->va_asid :
				 0;
		k.addr = q->addr;
		k.tg = (uint8_t)q->tg;
		k.ttl = (uint8_t)q->ttl;
		k.leaf = q->leaf != 0;
		if (q->tg && !q->chunks_bad && q->pages) {
			/* QEMU splits (NUM+1)<<SCALE pages into aligned chunks
                         * (QEMU 7.2 hw/arm/trace-events); Linux picks SCALE =
                         * ffs(pages). */
			uint32_t scale = (uint32_t)__builtin_ctzll(q->pages);
			uint64_t num = q->pages >> scale;
			if (num >= 1 && num <= 32) {
				k.scale = (uint8_t)scale;
				k.num = (uint8_t)(num - 1);
			} else {
				uk[0] |= qi_fmask(q->opcode, "num", "scale");
			}
		} else if (q->tg) {
			uk[0] |= qi_fmask(q->opcode, "num", "scale");
		}
		break;
	case CMDQ_OP_SYNC:
		k.cs = q->irq ? CMD_SYNC_CS_IRQ : CMD_SYNC_CS_NONE;
		/* CS=SEV and CS=NONE print the same; MSI fields never printed */
		uk[0] = (q->irq ? 0 : qi_fmask(q->opcode, "cs", NULL)) |
			qi_fmask(q->opcode, "msh", "msiattr") |
			qi_fmask(q->opcode, "msidata", NULL);
		uk[1] = qi_fmask(q->opcode, "msiaddr", NULL);
		break;
	case CMDQ_OP_TLBI_NSNH_ALL:
	case CMDQ_OP_TLBI_EL2_ALL:
		break;
	default:
		uk[0] = ~QI_W0_OPC;
		uk[1] = UINT64_MAX;
		break;
	}
	cmd_encode(&k, w);
	w[0] = CMDQV_FIELD_DP(w[0], CMD_DW0_OPCODE, q->opcode);
	w[0] &= ~uk[0];
	w[1] &= ~uk[1];
}

/* Emit the thread's pending command, if any, as a cmd record. */
