/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_scenario_int.h - parsed scenario statements, shared by the parser
 * (tb_scenario.c) and the interpreter (tb_scenario_run.c).  Not for other
 * users: the public interface is tb_scenario.h.
 */
#ifndef CMDQV_TB_SCENARIO_INT_H
#define CMDQV_TB_SCENARIO_INT_H

#include "tb_scenario.h"

/* ------------------------------------------------------------------ */
/* statements                                                          */

enum tb_stmt_kind {
	ST_WRITE,
	ST_READ,
	ST_MODIFY,
	ST_POLL,
	ST_MEM_WRITE,
	ST_MEM_EXPECT,
	ST_MEM_POLL,
	ST_MEM_FAULT,
	ST_MEM_UNFAULT,
	ST_MEM_CLEAR_FAULTS,
	ST_CMD,
	ST_RUN,
	ST_TLB_ADD,
	ST_TLB_EXPECT,
	ST_TLB_COUNT,
	ST_CFG_ADD,
	ST_CFG_EXPECT,
	ST_ATC_ADD,
	ST_ATC_EXPECT,
	ST_ATC_COUNT,
	ST_ATC_LATENCY,
	ST_ATC_SILENT,
	ST_IRQ_EXPECT,
	ST_SEV_EXPECT,
	ST_ECHO,
	ST_MARK,
	ST_EXPECT_NOW,
	ST_EXPECT_ELAPSED,
};

/** Comparison operators of checks. */
enum tb_cmp { CMP_NONE, CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

/** Text of each operator, indexed by enum tb_cmp. */
extern const char *const tb_cmp_text[];

/** Pseudo interrupt "line" for the SEV event of CMD_SYNC CS=SEV. */
#define TB_SEV_LINE CMDQV_IRQ_COUNT

/**
 * struct tb_stmt - one parsed statement.  Only the members the kind uses
 * are meaningful.
 * @src:    the statement text as written (comment stripped), for messages
 * @space, @size, @off: register access (size in bytes)
 * @value:  write value, comparison value, memory/command address, count
 * @mask:   comparison mask (all ones if none was given)
 * @set, @clear: modify bits
 * @cmp:    comparison operator (CMP_NONE: read without check)
 * @time:   run / poll limit / expected time, in ps
 * @words, @nwords: mem write/expect words
 * @len:    fault range length
 * @dw:     encoded command
 * @tlb_kind, @vmid, @asid, @sid, @ssid, @addr, @pages: cache statements
 * @has_vmid, @has_sid, @has_addr: the argument was given
 * @flag:   present / asserted / silent
 * @line_id: interrupt line (TB_SEV_LINE for SEV)
 * @name:   mark name ("" = default mark), echo text
 */
struct tb_stmt {
	enum tb_stmt_kind kind;
	unsigned line;
	char *src;
	enum cmdqv_space space;
	unsigned size;
	uint64_t off;
	uint64_t value;
	uint64_t mask;
	uint64_t set, clear;
	enum tb_cmp cmp;
	sim_time_t time;
	uint64_t *words;
	size_t nwords;
	uint64_t len;
	uint64_t dw[2];
	enum cmdqv_tlb_kind tlb_kind;
	uint32_t vmid, asid, sid, ssid;
	uint64_t addr, pages;
	bool has_vmid, has_sid, has_addr;
	bool flag;
	int line_id;
	char *name;
};

struct tb_script {
	char *name;
	struct cmdqv_config cfg;
	struct tb_stmt *stmts;
	size_t count, cap;
};

#endif /* CMDQV_TB_SCENARIO_INT_H */
