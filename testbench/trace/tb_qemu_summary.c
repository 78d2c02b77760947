/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_qemu_summary.c - the importer's summary printer (tb_qemu_import.h).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cmdqv_sim/cmd.h"
#include "tb_qemu_import.h"
#include "tb_qemu_int.h"

/* Fields of @op (IHI 0070 4.2-4.7; arm-smmu-v3.h) the unknown masks touch. */
static void qi_print_fields(FILE *f, uint8_t op, uint64_t m0, uint64_t m1)
{
	/* @fa, @fb: fields of the public table; both NULL: the whole word
	 * (dw0 without the opcode). */
	static const struct {
		int op; /* -1: any opcode not listed before */
		int word;
		const char *fa, *fb;
		const char *name;
	} fields[] = {
		{ CMDQ_OP_PREFETCH_CONFIG, 0, "sid", NULL, "SID" },
		{ CMDQ_OP_PREFETCH_CONFIG, 0, "ssid", "ssv", "SSID/SSV" },
		{ CMDQ_OP_CFGI_STE, 0, "sid", NULL, "SID" },
		{ CMDQ_OP_CFGI_STE, 1, "leaf", NULL, "Leaf" },
		{ CMDQ_OP_CFGI_STE_RANGE, 0, "sid", NULL, "SID" },
		{ CMDQ_OP_CFGI_STE_RANGE, 1, "range", NULL, "Range" },
		{ CMDQ_OP_CFGI_CD, 0, "sid", NULL, "SID" },
		{ CMDQ_OP_CFGI_CD, 0, "ssid", "ssv", "SSID/SSV" },
		{ CMDQ_OP_CFGI_CD, 1, "leaf", NULL, "Leaf" },
		{ CMDQ_OP_CFGI_CD_ALL, 0, "sid", NULL, "SID" },
		{ CMDQ_OP_TLBI_NH_ALL, 0, "vmid", NULL, "VMID" },
		{ CMDQ_OP_TLBI_NH_ASID, 0, "vmid", NULL, "VMID" },
		{ CMDQ_OP_TLBI_NH_ASID, 0, "asid", NULL, "ASID" },
		{ CMDQ_OP_TLBI_NH_VA, 0, "vmid", NULL, "VMID" },
		{ CMDQ_OP_TLBI_NH_VA, 0, "asid", NULL, "ASID" },
		{ CMDQ_OP_TLBI_NH_VA, 0, "num", "scale", "NUM/SCALE" },
		{ CMDQ_OP_TLBI_NH_VA, 1, NULL, NULL, "Addr/TG/TTL/Leaf" },
		{ CMDQ_OP_TLBI_NH_VAA, 0, "vmid", NULL, "VMID" },
		{ CMDQ_OP_TLBI_NH_VAA, 0, "num", "scale", "NUM/SCALE" },
		{ CMDQ_OP_TLBI_NH_VAA, 1, NULL, NULL, "Addr/TG/TTL/Leaf" },
		{ CMDQ_OP_SYNC, 0, "cs", NULL, "CS" },
		{ CMDQ_OP_SYNC, 0, "msh", NULL, "MSH" },
		{ CMDQ_OP_SYNC, 0, "msiattr", NULL, "MSIAttr" },
		{ CMDQ_OP_SYNC, 0, "msidata", NULL, "MSIData" },
		{ CMDQ_OP_SYNC, 1, "msiaddr", NULL, "MSIAddress" },
		{ -1, 0, NULL, NULL, "all fields of dw0" },
		{ -1, 1, NULL, NULL, "all of dw1" },
	};
	const char *name = cmd_name(op);
	bool any = false, listed = false;

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i].op == op)
			listed = true;
	fprintf(f, "  %-22s", name ? name : "(unknown opcode)");
	if ((m0 & QI_W0_OPC) && !name)
		fprintf(f, " opcode,");
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (fields[i].op != (listed ? op : -1))
			continue;
		uint64_t m = fields[i].word ? m1 : m0;
		uint64_t fm = fields[i].fa ?
				      qi_fmask(op, fields[i].fa, fields[i].fb) :
			      fields[i].word ? UINT64_MAX :
					       ~QI_W0_OPC;
		if (m & fm) {
			fprintf(f, "%s%s", any ? ", " : " ", fields[i].name);
			any = true;
		}
	}
	fprintf(f, " unknown (written as 0)\n");
}

void tb_qemu_summary_print(const struct tb_qemu_summary *s, FILE *f)
{
	fprintf(f,
		"import-qemu: %" PRIu64 " lines, %" PRIu64 " records: %" PRIu64
		" commands in %" PRIu64 " batches (%" PRIu64
		" PROD writes), %" PRIu64 " register accesses, %" PRIu64
		" phase markers\n",
		s->lines, s->records, s->commands, s->batches, s->prod_writes,
		s->mmio, s->phases);
	for (int op = 0; op < 256; op++)
		if (s->by_opcode[op]) {
			const char *n = cmd_name((uint8_t)op);
			fprintf(f, "  %-22s %" PRIu64 "\n",
				n ? n : "(unknown opcode)", s->by_opcode[op]);
		}
	if (s->from_dump || s->dump_mismatch)
		fprintf(f,
			"words from the dump: %" PRIu64
			", dump disagreed with the log: %" PRIu64 "\n",
			s->from_dump, s->dump_mismatch);
	if (s->partial) {
		fprintf(f,
			"%" PRIu64
			" commands have fields the log does not give (use --cmdq-dump):\n",
			s->partial);
		for (int op = 0; op < 256; op++)
			if (s->partial_by_opcode[op])
				qi_print_fields(f, (uint8_t)op,
						s->unknown_mask_w0[op],
						s->unknown_mask_w1[op]);
	}
	fprintf(f, "events used or known: ");
	bool first = true;
	for (size_t i = 0; i < s->nevents; i++)
		if (s->events[i].understood) {
			fprintf(f, "%s%s=%" PRIu64, first ? "" : ", ",
				s->events[i].name, s->events[i].count);
			first = false;
		}
	fprintf(f, "\n");
	if (s->not_understood) {
		fprintf(f,
			"NOT understood (%" PRIu64 " lines, not converted): ",
			s->not_understood);
		first = true;
		for (size_t i = 0; i < s->nevents; i++)
			if (!s->events[i].understood) {
				fprintf(f, "%s%s=%" PRIu64, first ? "" : ", ",
					s->events[i].name, s->events[i].count);
				first = false;
			}
		fprintf(f, "\n");
	}
}
