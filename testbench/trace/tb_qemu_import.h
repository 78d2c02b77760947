/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_tb_qemu_import.h - convert a QEMU 7.2 `-trace 'smmu*'` log (QEMU 7.2
 * hw/arm/trace-events) into a native command trace (docs/trace-format.md).
 *
 * What comes out, in the order the driver acted:
 *  - every smmuv3_read_mmio / smmuv3_write_mmio as an rd / wr record (SMMU
 *    space).  The CONS read that follows a PROD write, and the CR0ACK /
 *    IRQ_CTRLACK reads that follow CR0 / IRQ_CTRL writes, become poll
 *    records, because on a hardware model the driver has to wait there;
 *  - one cmd record per smmuv3_cmdq_consume (queue position from its
 *    cons/cons.wrap), placed before the PROD (or CR0 / GERRORN) write whose
 *    handler consumed it: QEMU prints that write after the consumption;
 *  - a batch record after every PROD write;
 *  - a phase record after each group of AIDR (0x1c) reads (the workload's
 *    phase markers: N reads = phase N).
 * Command words come from the queue memory dump when one is given, else
 * they are rebuilt from the per-command events and the bits the log does
 * not give are marked unknown (cmd "known=" masks) and counted.
 */
#ifndef CMDQV_TB_QEMU_IMPORT_H
#define CMDQV_TB_QEMU_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TB_QEMU_MAX_EVENT_NAMES \
	128 /* distinct event names counted in the summary */
#define TB_QEMU_MAX_PHASES 256 /* names read from the guest dmesg */

/**
 * struct tb_qemu_options - one import.
 * @log:         QEMU log (plain or gzip)
 * @out:         native trace to write (".gz" = compressed)
 * @dump:        queue memory dump (plain or gzip), or NULL
 * @dump_base:   physical address of the dump's first byte (@have_dump_base)
 * @dmesg:       guest dmesg with "SMMUMARK N name" lines for phase names, or NULL
 * @phase_gap_us: AIDR reads further apart than this start a new marker group
 */
struct tb_qemu_options {
	const char *log;
	const char *out;
	const char *dump;
	bool have_dump_base;
	uint64_t dump_base;
	const char *dmesg;
	uint64_t phase_gap_us;
};

/** struct tb_qemu_event_count - lines of one event name. */
struct tb_qemu_event_count {
	char name[48];
	uint64_t count;
	bool understood; /* used for the trace, or known and deliberately not needed */
};

/**
 * struct tb_qemu_summary - what the import found.
 * @lines:          lines read
 * @records:        native records written
 * @commands:       cmd records written
 * @by_opcode:      commands per opcode (CFGI_ALL counted as CFGI_STE_RANGE)
 * @batches:        PROD writes whose handler consumed >= 1 command
 * @prod_writes:    PROD writes
 * @phases:         phase markers written
 * @mmio:           register accesses written (rd + wr + poll)
 * @from_dump:      commands whose words came from the dump
 * @dump_mismatch:  commands the dump contradicted (log fields kept)
 * @partial:        commands with unknown bits (no dump, or dump mismatch)
 * @unknown_field:  per opcode, commands missing each field (names in
 *                  @unknown_text, one line per opcode)
 * @events:         per event name, lines seen
 * @nevents:        used entries of @events
 * @not_understood: lines of events the importer does not understand
 */
struct tb_qemu_summary {
	uint64_t lines;
	uint64_t records;
	uint64_t commands;
	uint64_t by_opcode[256];
	uint64_t batches;
	uint64_t prod_writes;
	uint64_t phases;
	uint64_t mmio;
	uint64_t from_dump;
	uint64_t dump_mismatch;
	uint64_t partial;
	uint64_t partial_by_opcode[256];
	uint64_t unknown_mask_w0[256];
	uint64_t unknown_mask_w1[256];
	struct tb_qemu_event_count events[TB_QEMU_MAX_EVENT_NAMES];
	size_t nevents;
	uint64_t not_understood;
};

/**
 * Run one import.  On success returns 0 and fills @s.  On a malformed or
 * truncated log returns 2 with "FILE:LINE: error: ..." in @err and removes
 * the partial output.
 */
int tb_qemu_import(const struct tb_qemu_options *o, struct tb_qemu_summary *s,
		   char *err, size_t errlen);

/** Print @s as the human summary (event counts, unknown fields) to @f. */
void tb_qemu_summary_print(const struct tb_qemu_summary *s, FILE *f);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_TB_QEMU_IMPORT_H */
