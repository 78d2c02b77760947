/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_scenario_run.c - the scenario interpreter: executes parsed statements
 * through a struct tb_backend_ops (docs/scenarios.md, "Semantics").
 *
 * Time rules: register accesses, memory and cache statements happen at the
 * current simulated time and never advance it; only "run" and "poll" do.
 * "poll" re-reads its register after every model event (it advances to
 * min(next_deadline, limit) each step), so the time at which it returns is
 * the earliest time the condition holds, exactly, on the native backend.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "cmdqv_sim/status.h"
#include "tb_mem.h"
#include "tb_scenario_int.h"

#define TB_MAX_MARKS 64

/**
 * struct tb_run - state of one run.
 * @last_edges: edge counts at the previous "irq expect cmd_sync" / "sev
 *              expect" (index TB_SEV_LINE), so each expect sees only the
 *              pulses since the previous one
 * @marks:      times recorded by "mark" (name NULL = the unnamed mark; the
 *              unnamed mark starts at time 0)
 */
struct tb_run {
	const struct tb_script *s;
	const struct tb_backend_ops *ops;
	void *b;
	const struct tb_run_opts *opts;
	struct tb_result *res;
	uint64_t last_edges[CMDQV_IRQ_COUNT + 1];
	struct {
		const char *name;
		sim_time_t t;
	} marks[TB_MAX_MARKS];
	unsigned nmarks;
};

/** Format @t in the largest unit that keeps it exact-looking ("1.25us"). */
static const char *fmt_time(char *buf, size_t len, sim_time_t t)
{
	static const struct {
		const char *unit;
		uint64_t ps;
	} u[] = { { "s", 1000000000000ull },
		  { "ms", 1000000000ull },
		  { "us", 1000000ull },
		  { "ns", 1000ull } };
	if (t == SIM_TIME_NEVER) {
		snprintf(buf, len, "never");
		return buf;
	}
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		if (t < u[i].ps)
			continue;
		uint64_t ip = t / u[i].ps, fr = t % u[i].ps;
		if (!fr) {
			snprintf(buf, len, "%" PRIu64 "%s", ip, u[i].unit);
			return buf;
		}
		char frac[24];
		int digits = u[i].ps == 1000	      ? 3 :
			     u[i].ps == 1000000	      ? 6 :
			     u[i].ps == 1000000000ull ? 9 :
							12;
		snprintf(frac, sizeof(frac), "%0*" PRIu64, digits, fr);
		for (int k = digits - 1; k > 0 && frac[k] == '0'; k--)
			frac[k] = '\0';
		snprintf(buf, len, "%" PRIu64 ".%s%s", ip, frac, u[i].unit);
		return buf;
	}
	snprintf(buf, len, "%" PRIu64 "ps", t);
	return buf;
}

/* A failed check on a queue that stopped because its PROD/CONS pair is
 * inconsistent (a PROD more than a full queue ahead of CONS, IHI 0070
 * 3.5.1) would only show a CONS that never moves: say why. */
static void note_inconsistent(struct tb_run *r, char *buf, size_t len)
{
	struct cmdqv_model *m = r->ops->model ? r->ops->model(r->b) : NULL;
	size_t nq = m ? cmdqv_queue_count(m) : 0;

	for (size_t i = 0; i < nq; i++) {
		struct cmdqv_queue_state q;

		cmdqv_queue_get(m, i, &q);
		if (!q.enabled || !q.inconsistent)
			continue;
		snprintf(buf, len,
			 "; note: %s PROD 0x%" PRIx32 " is inconsistent with "
			 "CONS 0x%" PRIx32 " (%s, IHI 0070 3.5.1): the queue "
			 "consumes nothing until PROD is rewritten",
			 q.name, q.prod, q.cons,
			 ((q.prod ^ q.cons) >> q.log2size) & 1 ?
				 "more than full" :
				 "behind CONS");
		return;
	}
}

static enum tb_outcome finish(struct tb_run *r, enum tb_outcome o,
			      const struct tb_stmt *st, const char *fmt, ...)
{
	char tb[64];
	va_list ap;
	int n = 0;
	r->res->outcome = o;
	r->res->line = st ? st->line : 0;
	if (st && st->src)
		n = snprintf(r->res->msg, sizeof(r->res->msg), "%s: ", st->src);
	if (n < 0 || (size_t)n >= sizeof(r->res->msg))
		n = 0;
	va_start(ap, fmt);
	int m = vsnprintf(r->res->msg + n, sizeof(r->res->msg) - (size_t)n, fmt,
			  ap);
	va_end(ap);
	if (m > 0 && (size_t)(n + m) < sizeof(r->res->msg) && r->ops->now &&
	    o == TB_FAIL) {
		int k = snprintf(r->res->msg + n + m,
				 sizeof(r->res->msg) - (size_t)(n + m),
				 " (at t=%s)",
				 fmt_time(tb, sizeof(tb), r->ops->now(r->b)));
		if (k > 0 && (size_t)(n + m + k) < sizeof(r->res->msg))
			note_inconsistent(r, r->res->msg + n + m + k,
					  sizeof(r->res->msg) -
						  (size_t)(n + m + k));
	}
	return o;
}

static bool cmp_holds(enum tb_cmp c, uint64_t seen, uint64_t want)
{
	switch (c) {
	case CMP_EQ:
		return seen == want;
	case CMP_NE:
		return seen != want;
	case CMP_LT:
		return seen < want;
	case CMP_LE:
		return seen <= want;
	case CMP_GT:
		return seen > want;
	case CMP_GE:
		return seen >= want;
	default:
		return true;
	}
}

/* A "count" check: @count pages of @what against the statement's bound. */
static enum tb_outcome check_count(struct tb_run *r, const struct tb_stmt *st,
				   size_t count, const char *what)
{
	if (!cmp_holds(st->cmp, count, st->value))
		return finish(r, TB_FAIL, st,
			      "expected %s %" PRIu64 " %s pages, seen %zu",
			      tb_cmp_text[st->cmp], st->value, what, count);
	return TB_PASS;
}

/* The end of a register write statement: @rc is the backend's status. */
static enum tb_outcome write_done(struct tb_run *r, const struct tb_stmt *st,
				  int rc)
{
	if (rc != CMDQV_OK)
		return finish(r, TB_ERROR, st,
			      "the %s backend refused the write: %s (%s)",
			      r->ops->name, cmdqv_strerror(rc),
			      cmdqv_status_name(rc));
	return TB_PASS;
}

static const char *space_name(enum cmdqv_space sp)
{
	return sp == CMDQV_SPACE_SMMU ? "smmu" : "cmdqv";
}

static int do_read(struct tb_run *r, const struct tb_stmt *st, uint64_t *v,
		   enum tb_outcome *o)
{
	int rc = r->ops->mmio_read(r->b, st->space, st->off, st->size, v);
	if (rc != CMDQV_OK)
		*o = finish(r, TB_ERROR, st,
			    "the %s backend refused the read of %s 0x%" PRIx64
			    ": %s (%s)",
			    r->ops->name, space_name(st->space), st->off,
			    cmdqv_strerror(rc), cmdqv_status_name(rc));
	return rc;
}

static void describe_check(char *buf, size_t len, const struct tb_stmt *st,
			   unsigned bits)
{
	uint64_t full = bits >= 64 ? ~0ull : (1ull << bits) - 1;
	if (st->mask == full)
		snprintf(buf, len, "%s 0x%" PRIx64, tb_cmp_text[st->cmp],
			 st->value);
	else
		snprintf(buf, len, "%s 0x%" PRIx64 " under mask 0x%" PRIx64,
			 tb_cmp_text[st->cmp], st->value, st->mask);
}

/* Latest time a run or poll may reach (SIM_TIME_NEVER means "no deadline"). */
#define TB_TIME_MAX (SIM_TIME_NEVER - 1)

/* A run/poll whose end is past the last representable simulated time. */
static enum tb_outcome time_overflow(struct tb_run *r, const struct tb_stmt *st,
				     sim_time_t now)
{
	char tb[64], tb2[64];
	return finish(
		r, TB_ERROR, st,
		"%s would take simulated time past its maximum (2^64-2 ps, about 213 "
		"days): now %s, %s requested",
		st->kind == ST_RUN ? "run" : "poll",
		fmt_time(tb, sizeof(tb), now),
		fmt_time(tb2, sizeof(tb2), st->time));
}

static enum tb_outcome exec_poll(struct tb_run *r, const struct tb_stmt *st)
{
	enum tb_outcome o = TB_PASS;
	sim_time_t start = r->ops->now(r->b);
	uint64_t v = 0;
	if (st->time > TB_TIME_MAX - start)
		return time_overflow(r, st, start);
	sim_time_t limit = start + st->time;
	for (;;) {
		if (st->kind == ST_MEM_POLL)
			v = tb_mem_read64(r->ops->mem(r->b), st->addr);
		else if (do_read(r, st, &v, &o))
			return o;
		if (cmp_holds(st->cmp, v & st->mask, st->value))
			return TB_PASS;
		sim_time_t now = r->ops->now(r->b);
		if (now >= limit)
			break;
		sim_time_t next = r->ops->next_deadline(r->b);
		if (next > limit)
			next = limit;
		if (next <= now) /* defensive: a backend must make progress */
			next = now + 1;
		r->ops->advance_to(r->b, next);
	}
	char want[96], tb[64];
	describe_check(want, sizeof(want), st,
		       st->kind == ST_MEM_POLL ? 64 : st->size * 8);
	return finish(r, TB_FAIL, st, "expected %s within %s, still 0x%" PRIx64,
		      want, fmt_time(tb, sizeof(tb), st->time), v);
}

static sim_time_t *find_mark(struct tb_run *r, const char *name)
{
	for (unsigned i = 0; i < r->nmarks; i++) {
		const char *n = r->marks[i].name;
		if ((!n && !name) || (n && name && !strcmp(n, name)))
			return &r->marks[i].t;
	}
	return NULL;
}

/*
 * The model's caches and endpoint table have fixed capacities (params.def,
 * "model capacity"); CMDQV_ENOMEM from a tlb/cfg/atc statement means one is
 * full.  Name the parameter to raise instead of a bare ENOMEM.
 */
static enum tb_outcome capacity_error(struct tb_run *r,
				      const struct tb_stmt *st,
				      const struct cmdqv_model *m)
{
	const struct cmdqv_config *cfg = &r->s->cfg;
	const char *what, *key;
	uint32_t cap;
	switch (st->kind) {
	case ST_TLB_ADD:
		what = "TLB", key = "tlb_entries", cap = cfg->tlb_entries;
		break;
	case ST_CFG_ADD:
		what = "config cache", key = "cfg_entries",
		cap = cfg->cfg_entries;
		break;
	case ST_ATC_ADD:
		/* Either the shared ATC storage or the endpoint table is full;
                 * a full ATC holds exactly atc_entries pages. */
		if (cmdqv_atc_count(m, UINT32_MAX) >= cfg->atc_entries) {
			what = "ATC storage", key = "atc_entries",
			cap = cfg->atc_entries;
			break;
		}
		/* fall through */
	default: /* atc latency/silent: a new endpoint */
		what = "ATS endpoint table", key = "endpoints",
		cap = cfg->endpoints;
		break;
	}
	return finish(r, TB_ERROR, st,
		      "the model's %s is full (%s = %" PRIu32
		      "); raise it with 'config %s=N' at the top of the script",
		      what, key, cap, key);
}

static enum tb_outcome exec_cache(struct tb_run *r, const struct tb_stmt *st)
{
	struct cmdqv_model *m = r->ops->model(r->b);
	const char *kinds[] = { "nh", "el2", "s2" };
	int rc = CMDQV_OK;
	bool seen;
	size_t count;
	switch (st->kind) {
	case ST_TLB_ADD:
		rc = cmdqv_tlb_add(m, st->tlb_kind, (uint16_t)st->vmid,
				   (uint16_t)st->asid, st->addr, st->pages);
		break;
	case ST_TLB_EXPECT:
		seen = cmdqv_tlb_present(m, st->tlb_kind, (uint16_t)st->vmid,
					 (uint16_t)st->asid, st->addr);
		if (seen != st->flag)
			return finish(
				r, TB_FAIL, st,
				"expected the %s TLB entry vmid=0x%x asid=0x%x addr=0x%" PRIx64
				" %s, it is %s",
				kinds[st->tlb_kind], st->vmid, st->asid,
				st->addr, st->flag ? "present" : "absent",
				seen ? "present" : "absent");
		return TB_PASS;
	case ST_TLB_COUNT:
		count = cmdqv_tlb_count(m, st->has_vmid ? (int)st->vmid : -1);
		return check_count(r, st, count, "TLB");
	case ST_CFG_ADD:
		rc = cmdqv_cfg_add(m, st->sid, st->ssid);
		break;
	case ST_CFG_EXPECT:
		seen = cmdqv_cfg_present(m, st->sid, st->ssid);
		if (seen != st->flag && st->ssid == CMDQV_SSID_NONE)
			return finish(
				r, TB_FAIL, st,
				"expected the config entry sid=0x%x (STE) %s, it is %s",
				st->sid, st->flag ? "present" : "absent",
				seen ? "present" : "absent");
		if (seen != st->flag)
			return finish(
				r, TB_FAIL, st,
				"expected the config entry sid=0x%x ssid=0x%x %s, it is %s",
				st->sid, st->ssid,
				st->flag ? "present" : "absent",
				seen ? "present" : "absent");
		return TB_PASS;
	case ST_ATC_ADD:
		rc = cmdqv_atc_add(m, st->sid, st->addr, st->pages);
		break;
	case ST_ATC_EXPECT:
		seen = cmdqv_atc_present(m, st->sid, st->addr);
		if (seen != st->flag)
			return finish(
				r, TB_FAIL, st,
				"expected the ATC entry sid=0x%x addr=0x%" PRIx64
				" %s, it is %s",
				st->sid, st->addr,
				st->flag ? "present" : "absent",
				seen ? "present" : "absent");
		return TB_PASS;
	case ST_ATC_COUNT:
		count = cmdqv_atc_count(m, st->has_sid ? st->sid : UINT32_MAX);
		return check_count(r, st, count, "ATC");
	case ST_ATC_LATENCY:
		rc = cmdqv_atc_set_latency(m, st->sid, st->time);
		break;
	case ST_ATC_SILENT:
		rc = cmdqv_atc_set_silent(m, st->sid, st->flag);
		break;
	default:
		break;
	}
	if (rc == CMDQV_ENOMEM)
		return capacity_error(r, st, m);
	if (rc != CMDQV_OK)
		return finish(r, TB_ERROR, st, "the model refused it: %s (%s)",
			      cmdqv_strerror(rc), cmdqv_status_name(rc));
	return TB_PASS;
}

static enum tb_outcome exec_irq(struct tb_run *r, const struct tb_stmt *st)
{
	static const char *const names[] = { "gerror", "cmdqv", "cmd_sync",
					     "sev" };
	bool seen;
	if (st->line_id == TB_SEV_LINE || st->line_id == CMDQV_IRQ_CMD_SYNC) {
		uint64_t edges;
		if (st->line_id == TB_SEV_LINE) {
			if (!r->ops->sev_count)
				return finish(
					r, TB_FAIL, st,
					"the %s backend cannot observe SEV events",
					r->ops->name);
			edges = r->ops->sev_count(r->b);
		} else {
			edges = r->ops->irq_edges(r->b, CMDQV_IRQ_CMD_SYNC);
		}
		uint64_t since = edges - r->last_edges[st->line_id];
		r->last_edges[st->line_id] = edges;
		seen = since > 0;
		if (seen != st->flag)
			return finish(
				r, TB_FAIL, st,
				"expected %s since the previous check, seen %" PRIu64
				" pulses",
				st->flag ? "at least one pulse" : "no pulse",
				since);
		return TB_PASS;
	}
	seen = r->ops->irq_level(r->b, (enum cmdqv_irq)st->line_id);
	if (seen != st->flag)
		return finish(r, TB_FAIL, st,
			      "expected the %s interrupt %s, it is %s",
			      names[st->line_id],
			      st->flag ? "asserted" : "deasserted",
			      seen ? "asserted" : "deasserted");
	return TB_PASS;
}

static enum tb_outcome exec_mem(struct tb_run *r, const struct tb_stmt *st)
{
	struct tb_mem *mem = r->ops->mem(r->b);
	switch (st->kind) {
	case ST_MEM_WRITE:
		for (size_t k = 0; k < st->nwords; k++)
			if (tb_mem_write64(mem, st->addr + 8 * k, st->words[k]))
				return finish(r, TB_ERROR, st,
					      "memory write failed");
		return TB_PASS;
	case ST_MEM_EXPECT:
		for (size_t k = 0; k < st->nwords; k++) {
			uint64_t v = tb_mem_read64(mem, st->addr + 8 * k);
			if (v != st->words[k])
				return finish(r, TB_FAIL, st,
					      "word %zu at 0x%" PRIx64
					      ": expected 0x%" PRIx64
					      ", seen 0x%" PRIx64,
					      k, st->addr + 8 * k, st->words[k],
					      v);
		}
		return TB_PASS;
	case ST_CMD:
		if (tb_mem_write64(mem, st->addr, st->dw[0]) ||
		    tb_mem_write64(mem, st->addr + 8, st->dw[1]))
			return finish(r, TB_ERROR, st, "memory write failed");
		return TB_PASS;
	case ST_MEM_FAULT:
		if (tb_mem_add_fault(mem, st->addr, st->len))
			return finish(r, TB_ERROR, st,
				      "too many fault ranges (at most %d)",
				      TB_MEM_MAX_FAULTS);
		return TB_PASS;
	case ST_MEM_UNFAULT: {
		unsigned kept = 0;
		for (unsigned i = 0; i < mem->nfaults; i++)
			if (mem->faults[i].addr != st->addr ||
			    mem->faults[i].len != st->len)
				mem->faults[kept++] = mem->faults[i];
		if (kept == mem->nfaults)
			return finish(r, TB_ERROR, st,
				      "no fault range 0x%" PRIx64 "+0x%" PRIx64
				      " to remove",
				      st->addr, st->len);
		mem->nfaults = kept;
		return TB_PASS;
	}
	case ST_MEM_CLEAR_FAULTS:
		tb_mem_clear_faults(mem);
		return TB_PASS;
	default:
		return TB_PASS;
	}
}

static enum tb_outcome exec_stmt(struct tb_run *r, const struct tb_stmt *st)
{
	enum tb_outcome o = TB_PASS;
	uint64_t v = 0;
	char tb[64], tb2[64], want[96];
	int rc;
	switch (st->kind) {
	case ST_WRITE:
		rc = r->ops->mmio_write(r->b, st->space, st->off, st->size,
					st->value);
		return write_done(r, st, rc);
	case ST_READ:
		if (do_read(r, st, &v, &o))
			return o;
		if (st->cmp != CMP_NONE &&
		    !cmp_holds(st->cmp, v & st->mask, st->value)) {
			describe_check(want, sizeof(want), st, st->size * 8);
			return finish(r, TB_FAIL, st,
				      "expected %s, seen 0x%" PRIx64, want, v);
		}
		return TB_PASS;
	case ST_MODIFY:
		if (do_read(r, st, &v, &o))
			return o;
		v = (v & ~st->clear) | st->set;
		rc = r->ops->mmio_write(r->b, st->space, st->off, st->size, v);
		return write_done(r, st, rc);
	case ST_POLL:
	case ST_MEM_POLL:
		return exec_poll(r, st);
	case ST_RUN: {
		sim_time_t now = r->ops->now(r->b);
		if (st->time > TB_TIME_MAX - now)
			return time_overflow(r, st, now);
		r->ops->advance_to(r->b, now + st->time);
		return TB_PASS;
	}
	case ST_MEM_WRITE:
	case ST_MEM_EXPECT:
	case ST_MEM_FAULT:
	case ST_MEM_UNFAULT:
	case ST_MEM_CLEAR_FAULTS:
	case ST_CMD:
		return exec_mem(r, st);
	case ST_IRQ_EXPECT:
	case ST_SEV_EXPECT:
		return exec_irq(r, st);
	case ST_ECHO:
		if (r->opts && r->opts->out && !r->opts->quiet)
			fprintf(r->opts->out, "%s\n", st->name);
		return TB_PASS;
	case ST_MARK: {
		sim_time_t *t = find_mark(r, st->name);
		if (!t) {
			if (r->nmarks == TB_MAX_MARKS)
				return finish(r, TB_ERROR, st,
					      "too many marks (at most %d)",
					      TB_MAX_MARKS);
			r->marks[r->nmarks].name = st->name;
			t = &r->marks[r->nmarks++].t;
		}
		*t = r->ops->now(r->b);
		return TB_PASS;
	}
	case ST_EXPECT_NOW:
	case ST_EXPECT_ELAPSED: {
		sim_time_t now = r->ops->now(r->b), seen = now;
		if (st->kind == ST_EXPECT_ELAPSED) {
			sim_time_t *t = find_mark(r, st->name);
			seen = now - (t ? *t : 0);
		}
		if (!cmp_holds(st->cmp, seen, st->time))
			return finish(r, TB_FAIL, st, "expected %s %s, seen %s",
				      tb_cmp_text[st->cmp],
				      fmt_time(tb, sizeof(tb), st->time),
				      fmt_time(tb2, sizeof(tb2), seen));
		return TB_PASS;
	}
	default:
		return exec_cache(r, st);
	}
}

enum tb_outcome tb_script_run(const struct tb_script *s,
			      const struct tb_backend_ops *ops, void *b,
			      const struct tb_run_opts *opts,
			      struct tb_result *res)
{
	struct tb_run r = {
		.s = s, .ops = ops, .b = b, .opts = opts, .res = res
	};
	char err[256] = "";
	memset(res, 0, sizeof(*res));
	if (ops->create(b, &s->cfg, err, sizeof(err))) {
		ops->destroy(b);
		return finish(&r, TB_ERROR, NULL,
			      "cannot create the %s platform: %s", ops->name,
			      err[0] ? err : "unknown reason");
	}
	enum tb_outcome o = TB_PASS;
	for (size_t i = 0; i < s->count && o == TB_PASS; i++) {
		const struct tb_stmt *st = &s->stmts[i];
		if (opts && opts->verbose && opts->out) {
			char tb[64];
			fprintf(opts->out, "%s:%u: [%s] %s\n", s->name,
				st->line, fmt_time(tb, sizeof(tb), ops->now(b)),
				st->src);
		}
		o = exec_stmt(&r, st);
		res->statements++;
	}
	res->outcome = o;
	res->end_time = ops->now(b);
	ops->destroy(b);
	return o;
}
