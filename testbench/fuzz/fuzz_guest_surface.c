/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_guest_surface.c - libFuzzer target for guest isolation over the whole
 * guest-reachable surface.  The input is a program of guest and host
 * operations on the isolation platform of tb_isolation.h: the host's VINTF0
 * and two guests, VM1 = VINTF1 and VM2 = VINTF2, two LVCMDQs each.
 *
 *   guest: 32/64-bit writes and reads anywhere in its VINTF page 0 (LVCMDQ
 *          CONS, PROD, CONFIG, STATUS, GERROR, GERRORN, unmapped slots),
 *          queue entries (raw bytes or generated hostile commands) published
 *          with PROD, Linux-style error recovery
 *   time:  advance by a chosen step, or until the guests' queues are idle
 *   host:  SID_MATCH / SID_REPLACE changes (either order), VINTF disable and
 *          enable, LVCMDQ unmap and remap (CMDQ_ALLOC), CMDQV_EN off and on,
 *          a full host reset and bring-up
 *
 * Oracles, checked after every time step and at the end:
 *  - no TLB entry of a VMID whose VM did not act (the bystander VMID, VMID 0
 *    and the EL2 entries never), no config-cache entry, and no ATC entry of a
 *    StreamID outside the union, over the program, of the enabled
 *    SID_REPLACE values of the VINTFs whose guests acted, is gone
 *    (tb_iso_check_caches);
 *  - errors stay on the acting guests' queues: the SMMU GERROR never
 *    toggles, CMDQ_ERR_MAP names only the acting guests' VCMDQs and
 *    VINTF_ERR_MAP only their VINTFs; the GERROR line never rises, no
 *    CMD_SYNC interrupt and no SEV (a guest's CS=IRQ/SEV acts as NONE);
 *  - no guest access within its page is refused by the model;
 *  - at the end, with the host's state restored, the host's queue and each
 *    guest's first queue, re-initialised one at a time while the others
 *    keep whatever state the program left, complete a CMD_SYNC: no queue
 *    is stalled by another;
 *  - and the sanitizers' own findings, or a crash.
 * "Acted" means the guest wrote to its page at least once: a VM that did
 * nothing may lose nothing.
 *
 * The platform is built once and reset in place (fz_platform_reset,
 * cmdqv_model_reset); the layout comes from the input's first two bytes.
 * The platform brought up for a layout is saved (cmdqv_model_state_save and
 * the host's side) and restored for the next input with the same layout.
 * With FUZZ_VERIFY_SNAPSHOT set in the environment every input runs twice,
 * on a fresh bring-up and on its restored copy, with the model traced, and
 * both runs must give the same trace and the same verdict.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/regmap.h"
#include "cmdqv_sim/status.h"
#include "fuzz_util.h"
#include "tb_harness.h"
#include "tb_isolation.h"
#include "tb_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Register offsets: cmdqv_sim/regmap.h. */
#define FZ_VI_CONFIG(v) (T241_VINTF(v) + T241_VINTF_CONFIG)
#define FZ_VI_STATUS(v) (T241_VINTF(v) + T241_VINTF_STATUS)
#define FZ_VI_SID_MATCH(v, s) (T241_VINTF(v) + T241_VINTF_SID_MATCH(s))
#define FZ_VI_SID_REPLACE(v, s) (T241_VINTF(v) + T241_VINTF_SID_REPLACE(s))

#define FZ_LOG2SIZE 6u
#define FZ_ENTRIES 64u
#define FZ_POS_MASK 0x7Fu /* wrap bit + 6 index bits */
#define FZ_VMS 2u
#define FZ_MAX_OPS 256u
#define FZ_MAX_RESETS 2u
#define FZ_SETTLE SIM_MS(1)

/* Global VCMDQs of each VINTF (tb_isolation.c layout). */
static const unsigned fz_first_q[3] = { 0, 2, 4 };
static const uint64_t fz_qbase[3] = { TB_ISO_QBASE_HOST, TB_ISO_QBASE_GUEST,
				      TB_ISO_QBASE_OTHER };

/** struct fz_in - the input, read front to back; exhausted reads give 0. */
struct fz_in {
	const uint8_t *p;
	size_t n;
};

static uint8_t fz_u8(struct fz_in *in)
{
	uint8_t b;

	if (!in->n)
		return 0;
	b = *in->p++;
	in->n--;
	return b;
}

static uint32_t fz_u32(struct fz_in *in)
{
	uint32_t v = 0;

	for (unsigned k = 0; k < 4; k++)
		v |= (uint32_t)fz_u8(in) << (8 * k);
	return v;
}

/**
 * struct fz_state - one program's bookkeeping.
 * @lay:      the platform layout
 * @vmid:     VMID of VINTF v (index 0 = host)
 * @acted:    the guest of VINTF 1 + i wrote to its page
 * @sid_ever: per VINTF 1 + i, per SID of tb_iso_sids(): some enabled pair of
 *            that VINTF replaced to it at some time
 * @pair:     current SID_MATCH / SID_REPLACE values per guest VINTF
 * @prod:     the guests' software PROD per (VM, LVCMDQ)
 * @resets:   host resets so far (each is a whole bring-up: a few per
 *            program find what many would, at a fraction of the time)
 */
struct fz_state {
	struct tb_iso_layout lay;
	uint16_t vmid[3];
	bool acted[FZ_VMS];
	uint32_t sids[TB_ISO_MAX_SIDS];
	size_t nsids;
	bool sid_ever[FZ_VMS][TB_ISO_MAX_SIDS];
	uint32_t match[FZ_VMS][TB_ISO_PAIRS], replace[FZ_VMS][TB_ISO_PAIRS];
	uint32_t prod[FZ_VMS][2];
	unsigned resets;
	struct tb_iso_report rep;
};

static struct tb_harness *fz_h;
static struct cmdqv_config fz_cfg;

/*
 * Brought-up platforms, one per layout seed, most recently used kept: the
 * model's whole state (cmdqv_model_state_save), the memory, the host's
 * queue bookkeeping and the program's state right after fz_bringup() and
 * tb_iso_populate().  Restoring one is a copy; building it is a reset and
 * the whole bring-up (the same steps a snapshot was saved after).
 */
#define FZ_SNAPS 512u
#define FZ_SEEDS 65536u

struct fz_snap {
	uint32_t seed; /* layout seed - 1, FZ_SEEDS: empty */
	uint64_t used;
	void *model;
	struct tb_mem mem;
	struct tb_harness h; /* .n.mem not used */
	struct fz_state st;
};

static struct fz_snap *fz_snaps;
static uint16_t *fz_snap_of; /* seed - 1 -> slot + 1, 0: none */
static size_t fz_state_bytes;
static uint64_t fz_clock;
static bool fz_verify; /* FUZZ_VERIFY_SNAPSHOT */
static uint64_t fz_hash; /* FNV-1a of the trace records (fz_verify) */

static void fz_trace_hash(void *ctx, const struct cmdqv_trace_rec *r)
{
	const uint64_t f[] = { (uint64_t)r->kind,
			       r->time,
			       (uint64_t)r->queue,
			       r->space,
			       r->size,
			       r->offset,
			       r->value,
			       r->pos,
			       r->count,
			       r->dw[0],
			       r->dw[1],
			       r->code,
			       r->sid,
			       r->t_published,
			       r->t_fetched,
			       r->t_exec_start,
			       r->t_exec_end };

	(void)ctx;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		for (unsigned b = 0; b < 64; b += 8) {
			fz_hash ^= (f[i] >> b) & 0xFFu;
			fz_hash *= UINT64_C(0x100000001b3);
		}
}

static void fz_hash_word(uint64_t v)
{
	for (unsigned b = 0; b < 64; b += 8) {
		fz_hash ^= (v >> b) & 0xFFu;
		fz_hash *= UINT64_C(0x100000001b3);
	}
}

static void fz_fail(struct fz_state *st, const char *fmt, ...)
{
	va_list ap;

	if (st->rep.violation)
		return;
	st->rep.violation = 1;
	va_start(ap, fmt);
	vsnprintf(st->rep.what, sizeof(st->rep.what), fmt, ap);
	va_end(ap);
}

/*
 * Bring the platform back to time 0 with empty caches: the model is reset
 * in place (cmdqv_model_reset: power-on state, nothing allocated), the
 * memory emptied, the host's interrupt and SEV counters cleared.
 */
static int fz_platform_reset(struct tb_harness *h)
{
	struct tb_native *n = &h->n;
	int rc;

	if (!n->model) {
		if (!fz_verify)
			return tb_harness_init_untraced(h, &fz_cfg);
		rc = tb_harness_init(h, &fz_cfg);
		tb_native_set_trace(n, fz_trace_hash, NULL);
		return rc;
	}
	tb_native_reset(n);
	return CMDQV_OK;
}

static void fz_pair_note(struct fz_state *st, unsigned vm, unsigned s)
{
	if (!(st->match[vm][s] & 1u))
		return;
	for (size_t i = 0; i < st->nsids; i++)
		if (st->sids[i] == (st->replace[vm][s] & 0xFFFFFu))
			st->sid_ever[vm][i] = true;
}

static void fz_pairs_note(struct fz_state *st, unsigned vm)
{
	for (unsigned s = 0; s < TB_ISO_PAIRS; s++)
		fz_pair_note(st, vm, s);
}

static void fz_pairs_init(struct fz_state *st)
{
	const struct tb_iso_layout *c = &st->lay;

	memset(st->match, 0, sizeof(st->match));
	memset(st->replace, 0, sizeof(st->replace));
	for (unsigned s = 0; s < c->npairs; s++) {
		st->replace[0][s] = c->psid[s];
		st->match[0][s] = (c->vsid[s] << 1) | (c->pair_en[s] ? 1u : 0u);
	}
	for (unsigned s = 0; s < TB_ISO_PAIRS; s++) {
		st->replace[1][s] = 0x200u + s;
		st->match[1][s] = (c->other_vsid[s] << 1) | 1u;
	}
	fz_pairs_note(st, 0);
	fz_pairs_note(st, 1);
}

static int fz_mmio_read(uint64_t off, unsigned size, uint64_t *v)
{
	return cmdqv_mmio_read(fz_h->n.model, CMDQV_SPACE_CMDQV, off, size, v);
}

static uint64_t fz_rd(enum cmdqv_space sp, uint64_t off)
{
	uint64_t v = 0;

	cmdqv_mmio_read(fz_h->n.model, sp, off, 4, &v);
	return v;
}

static void fz_wr(enum cmdqv_space sp, uint64_t off, uint64_t v)
{
	cmdqv_mmio_write(fz_h->n.model, sp, off, 4, v);
}

/* Errors and interrupts only where an acting guest's queues are. */
static void fz_check_errors(struct fz_state *st)
{
	uint64_t vmap = fz_rd(CMDQV_SPACE_CMDQV, T241_VINTF_ERR_MAP);
	uint64_t qmap = fz_rd(CMDQV_SPACE_CMDQV, T241_CMDQ_ERR_MAP);
	uint64_t vok = 0, qok = 0;
	struct tb_native *n = &fz_h->n;

	for (unsigned vm = 0; vm < FZ_VMS; vm++)
		if (st->acted[vm]) {
			vok |= UINT64_C(1) << (1 + vm);
			qok |= UINT64_C(3) << fz_first_q[1 + vm];
		}
	if (vmap & ~vok)
		fz_fail(st,
			"VINTF_ERR_MAP 0x%llx names a VINTF whose guest did "
			"nothing",
			(unsigned long long)vmap);
	if (qmap & ~qok)
		fz_fail(st,
			"CMDQ_ERR_MAP0 0x%llx names a queue no acting guest "
			"owns",
			(unsigned long long)qmap);
	if (fz_rd(CMDQV_SPACE_SMMU, SMMU_GERROR) !=
	    fz_rd(CMDQV_SPACE_SMMU, SMMU_GERRORN))
		fz_fail(st, "SMMU GERROR toggled by a guest");
	if (n->irq_edges[CMDQV_IRQ_GERROR])
		fz_fail(st, "the GERROR interrupt rose");
	if (n->irq_edges[CMDQV_IRQ_CMD_SYNC])
		fz_fail(st, "a guest CMD_SYNC pulsed the CMD_SYNC interrupt");
	if (n->sev_count)
		fz_fail(st, "a guest CMD_SYNC sent an SEV");
}

static uint64_t fz_lv(unsigned vm, unsigned l, uint32_t reg)
{
	return T241_VINTF_PAGE0(1 + vm, 0) + T241_VCMDQ_STRIDE * l + reg;
}

static void fz_guest_access(struct fz_state *st, unsigned vm, uint64_t off,
			    unsigned size, bool write, uint64_t v)
{
	uint64_t addr = T241_VINTF_PAGE0(1 + vm, 0) + off;
	int rc;

	if (write) {
		st->acted[vm] = true;
		rc = cmdqv_mmio_write(fz_h->n.model, CMDQV_SPACE_CMDQV, addr,
				      size, v);
		if (off < 2 * T241_VCMDQ_STRIDE &&
		    off % T241_VCMDQ_STRIDE == T241_VCMDQ_PROD_INDX)
			st->prod[vm][off / T241_VCMDQ_STRIDE] = (uint32_t)v &
								FZ_POS_MASK;
	} else {
		uint64_t got;

		rc = fz_mmio_read(addr, size, &got);
	}
	if (rc != CMDQV_OK)
		fz_fail(st,
			"guest %s of VINTF%u page 0 +0x%llx (%u bytes) refused "
			"(%s)",
			write ? "write" : "read", 1 + vm,
			(unsigned long long)off, size, cmdqv_strerror(rc));
}

/* Entries at the guest's software PROD, then PROD := it (no VM exit). */
static void fz_guest_push(struct fz_state *st, unsigned vm, unsigned l,
			  const uint64_t (*dw)[2], unsigned n)
{
	uint64_t base = fz_qbase[1 + vm] + (uint64_t)l * FZ_ENTRIES * 16u;

	for (unsigned i = 0; i < n; i++) {
		uint32_t idx = st->prod[vm][l] & (FZ_ENTRIES - 1);

		tb_mem_write64(&fz_h->n.mem, base + 16u * idx, dw[i][0]);
		tb_mem_write64(&fz_h->n.mem, base + 16u * idx + 8, dw[i][1]);
		st->prod[vm][l] = (st->prod[vm][l] + 1) & FZ_POS_MASK;
	}
	fz_guest_access(st, vm, T241_VCMDQ_STRIDE * l + T241_VCMDQ_PROD_INDX, 4,
			true, st->prod[vm][l]);
}

/* Linux's recovery: the failing entry becomes CMD_SYNC, GERRORN := GERROR. */
static void fz_guest_recover(struct fz_state *st, unsigned vm, unsigned l)
{
	uint64_t ge = fz_rd(CMDQV_SPACE_CMDQV, fz_lv(vm, l, T241_VCMDQ_GERROR));
	uint64_t gn =
		fz_rd(CMDQV_SPACE_CMDQV, fz_lv(vm, l, T241_VCMDQ_GERRORN));
	uint32_t cons = (uint32_t)fz_rd(CMDQV_SPACE_CMDQV,
					fz_lv(vm, l, T241_VCMDQ_CONS_INDX));
	uint64_t at = fz_qbase[1 + vm] + (uint64_t)l * FZ_ENTRIES * 16u +
		      16u * (cons & (FZ_ENTRIES - 1));

	if (ge == gn)
		return;
	tb_mem_write64(&fz_h->n.mem, at, CMDQ_OP_SYNC);
	tb_mem_write64(&fz_h->n.mem, at + 8, 0);
	fz_guest_access(st, vm, T241_VCMDQ_STRIDE * l + T241_VCMDQ_GERRORN, 4,
			true, ge);
}

static void fz_run(sim_time_t dt)
{
	struct cmdqv_model *m = fz_h->n.model;

	cmdqv_run_until(m, cmdqv_now(m) + dt);
}

/* Event-driven: until nothing is scheduled or @limit elapsed. */
static void fz_run_idle(sim_time_t limit)
{
	tb_native_run_idle(&fz_h->n, cmdqv_now(fz_h->n.model) + limit);
}

static bool fz_poll(uint64_t off, uint64_t mask, uint64_t want)
{
	struct cmdqv_model *m = fz_h->n.model;
	sim_time_t end = cmdqv_now(m) + FZ_SETTLE;

	for (;;) {
		sim_time_t next;

		if ((fz_rd(CMDQV_SPACE_CMDQV, off) & mask) == want)
			return true;
		next = cmdqv_next_deadline(m);
		if (next == SIM_TIME_NEVER || next > end)
			return false;
		cmdqv_run_until(m, next);
	}
}

static void fz_host_vintf(struct fz_state *st, unsigned v, bool en)
{
	fz_wr(CMDQV_SPACE_CMDQV, FZ_VI_CONFIG(v),
	      ((uint32_t)st->vmid[v] << 1) | (v == 0 ? 1u << 17 : 0) |
		      (en ? 1u : 0u));
}

static uint32_t fz_alloc_val(unsigned q)
{
	unsigned v = q / 2, l = q % 2;

	return 1u | (l << 1) | (v << 15);
}

/* The host puts back what the program may have changed: CMDQV_EN, every
 * VINTF's CONFIG and pairs, every CMDQ_ALLOC. */
static void fz_host_restore(struct fz_state *st)
{
	fz_wr(CMDQV_SPACE_CMDQV, T241_CONFIG,
	      fz_rd(CMDQV_SPACE_CMDQV, T241_CONFIG) | 1u);
	if (!fz_poll(T241_STATUS, 1, 1))
		fz_fail(st, "CMDQV_EN did not come back");
	for (unsigned v = 0; v < 3; v++) {
		fz_host_vintf(st, v, true);
		if (!fz_poll(FZ_VI_STATUS(v), 1, 1))
			fz_fail(st, "VINTF%u did not come back", v);
	}
	for (unsigned q = 0; q < 6; q++)
		fz_wr(CMDQV_SPACE_CMDQV, T241_CMDQ_ALLOC(q), fz_alloc_val(q));
}

/* Re-initialise global VCMDQ @q alone and run one CMD_SYNC through it. */
static void fz_queue_alive(struct fz_state *st, unsigned q)
{
	const enum cmdqv_space C = CMDQV_SPACE_CMDQV;
	uint64_t base = fz_qbase[q / 2] + (uint64_t)(q % 2) * FZ_ENTRIES * 16u;

	fz_wr(C, T241_VCMDQ_PAGE0(q) + T241_VCMDQ_CONFIG, 0);
	if (!fz_poll(T241_VCMDQ_PAGE0(q) + T241_VCMDQ_STATUS, 1, 0)) {
		fz_fail(st, "VCMDQ%u did not stop when disabled", q);
		return;
	}
	fz_wr(C, T241_VCMDQ_PAGE0(q) + T241_VCMDQ_GERRORN,
	      fz_rd(C, T241_VCMDQ_PAGE0(q) + T241_VCMDQ_GERROR));
	fz_wr(C, T241_VCMDQ_PAGE0(q) + T241_VCMDQ_PROD_INDX, 0);
	fz_wr(C, T241_VCMDQ_PAGE0(q) + T241_VCMDQ_CONS_INDX, 0);
	cmdqv_mmio_write(fz_h->n.model, C, T241_VCMDQ_PAGE1(q), 8,
			 base | FZ_LOG2SIZE);
	tb_mem_write64(&fz_h->n.mem, base, CMDQ_OP_SYNC);
	tb_mem_write64(&fz_h->n.mem, base + 8, 0);
	fz_wr(C, T241_VCMDQ_PAGE0(q) + T241_VCMDQ_CONFIG, 1);
	if (!fz_poll(T241_VCMDQ_PAGE0(q) + T241_VCMDQ_STATUS, 1, 1)) {
		fz_fail(st, "VCMDQ%u did not re-enable", q);
		return;
	}
	fz_wr(C, T241_VCMDQ_PAGE0(q) + T241_VCMDQ_PROD_INDX, 1);
	if (!fz_poll(T241_VCMDQ_PAGE0(q) + T241_VCMDQ_CONS_INDX, 0xFFFFFu, 1))
		fz_fail(st,
			"VCMDQ%u is stalled: a CMD_SYNC did not complete in "
			"1 ms after re-initialisation (CONS 0x%llx)",
			q,
			(unsigned long long)fz_rd(
				C, T241_VCMDQ_PAGE0(q) + T241_VCMDQ_CONS_INDX));
}

static bool fz_bringup(struct fz_state *st)
{
	memset(fz_h->vq, 0, sizeof(fz_h->vq));
	if (!tb_iso_bringup(fz_h, &st->lay))
		return false;
	fz_pairs_init(st);
	memset(st->prod, 0, sizeof(st->prod));
	return true;
}

/* One operation; returns false when the input is used up. */
static bool fz_step(struct fz_state *st, struct fz_in *in)
{
	uint8_t op, b;
	unsigned vm, l;

	if (!in->n)
		return false;
	op = fz_u8(in);
	b = fz_u8(in);
	vm = b & 1u;
	l = (b >> 1) & 1u;
	switch (op % 13) {
	case 0: { /* guest write to a register of its LVCMDQ l */
		static const uint32_t regs[] = {
			T241_VCMDQ_CONS_INDX, T241_VCMDQ_PROD_INDX,
			T241_VCMDQ_CONFIG,    T241_VCMDQ_STATUS,
			T241_VCMDQ_GERROR,    T241_VCMDQ_GERRORN
		};
		uint32_t reg = regs[(b >> 2) % 6];

		fz_guest_access(st, vm, T241_VCMDQ_STRIDE * l + reg, 4, true,
				fz_u32(in));
		break;
	}
	case 1: { /* guest write anywhere in its page 0, 4 or 8 bytes */
		unsigned size = (b & 2u) ? 8 : 4;
		uint64_t off = (fz_u8(in) | (uint64_t)fz_u8(in) << 8) &
			       (T241_PAGE_SIZE - size);
		uint64_t v = fz_u32(in);

		if (size == 8)
			v |= (uint64_t)fz_u32(in) << 32;
		fz_guest_access(st, vm, off, size, true, v);
		break;
	}
	case 2: { /* guest read anywhere in its page 0 */
		unsigned size = (b & 2u) ? 8 : 4;
		uint64_t off = (fz_u8(in) | (uint64_t)fz_u8(in) << 8) &
			       (T241_PAGE_SIZE - size);

		fz_guest_access(st, vm, off, size, false, 0);
		break;
	}
	case 3: { /* raw queue entries, published */
		uint64_t dw[4][2];
		unsigned n = 1 + ((b >> 2) & 3u);

		for (unsigned i = 0; i < n; i++) {
			uint8_t e[16];

			for (unsigned k = 0; k < 16; k++)
				e[k] = fz_u8(in);
			tb_cmd_load_le(e, dw[i]);
		}
		fz_guest_push(st, vm, l, dw, n);
		break;
	}
	case 4:
	case 5: { /* generated hostile commands, published */
		uint64_t dw[8][2];
		unsigned n = 1 + ((b >> 2) & 7u);

		for (unsigned i = 0; i < n; i++) {
			uint64_t seed = fz_u8(in) | (uint64_t)fz_u8(in) << 8;

			tb_iso_gen_entry(seed * 2 + vm, &st->lay, dw[i]);
		}
		fz_guest_push(st, vm, l, dw, n);
		break;
	}
	case 6: /* guest recovery */
		fz_guest_recover(st, vm, l);
		break;
	case 7: { /* time */
		static const sim_time_t step[4] = { SIM_NS(10), SIM_NS(200),
						    SIM_US(2), SIM_US(50) };

		fz_run(step[(b >> 2) & 3u] * (1 + (b >> 4)));
		fz_check_errors(st);
		break;
	}
	case 8: { /* host: one SID pair of a guest VINTF */
		unsigned s = (b >> 2) % TB_ISO_PAIRS;
		uint8_t which = fz_u8(in), vs = fz_u8(in);
		uint32_t psid = st->sids[which % st->nsids];
		uint32_t match = ((uint32_t)(vs & 0x7F) % 40u) << 1 |
				 ((b >> 6) & 1u);

		if (b & 0x80u) { /* MATCH first: a window with the old psid */
			st->match[vm][s] = match;
			fz_pair_note(st, vm, s);
			fz_wr(CMDQV_SPACE_CMDQV, FZ_VI_SID_MATCH(1 + vm, s),
			      match);
		}
		st->replace[vm][s] = psid;
		fz_pair_note(st, vm, s);
		fz_wr(CMDQV_SPACE_CMDQV, FZ_VI_SID_REPLACE(1 + vm, s), psid);
		if (!(b & 0x80u)) {
			st->match[vm][s] = match;
			fz_pair_note(st, vm, s);
			fz_wr(CMDQV_SPACE_CMDQV, FZ_VI_SID_MATCH(1 + vm, s),
			      match);
		}
		break;
	}
	case 9: /* host: VINTF disable / enable */
		fz_host_vintf(st, 1 + vm, (b >> 2) & 1u);
		break;
	case 10: { /* host: unmap / remap one guest LVCMDQ */
		unsigned q = fz_first_q[1 + vm] + l;

		fz_wr(CMDQV_SPACE_CMDQV, T241_CMDQ_ALLOC(q),
		      (b >> 2) & 1u ? fz_alloc_val(q) : 0);
		break;
	}
	case 11: /* host: CMDQV_EN off / on */
		fz_wr(CMDQV_SPACE_CMDQV, T241_CONFIG,
		      (fz_rd(CMDQV_SPACE_CMDQV, T241_CONFIG) & ~1u) |
			      ((b >> 2) & 1u));
		break;
	case 12:
		if ((b >> 2) & 1u) {
			/* run until idle (at most 200 us), then check */
			fz_run_idle(SIM_US(200));
			fz_check_errors(st);
		} else if (st->resets++ < FZ_MAX_RESETS) {
			/* host reset: CMDQ-V and SMMU off, full bring-up */
			fz_wr(CMDQV_SPACE_CMDQV, T241_CONFIG, 0);
			fz_wr(CMDQV_SPACE_SMMU, SMMU_CR0, 0);
			fz_run(SIM_US(5));
			if (!fz_bringup(st))
				fz_fail(st, "host bring-up after a reset "
					    "failed");
		}
		break;
	}
	return true;
}

/* A reset platform brought up for layout seed 1 + @seed, then saved. */
static void fz_snap_build(struct fz_state *st, uint32_t seed)
{
	struct fz_snap *sn = NULL;
	unsigned i;

	if (fz_platform_reset(fz_h) != CMDQV_OK)
		fuzz_die("fuzz_guest_surface", "platform setup failed");
	memset(st, 0, sizeof(*st));
	tb_iso_layout_gen(1 + (uint64_t)seed, &st->lay);
	st->lay.sparse = true;
	st->vmid[0] = 0;
	st->vmid[1] = st->lay.vmid[0];
	st->vmid[2] = st->lay.vmid[1];
	st->nsids = tb_iso_sids(&st->lay, st->sids, TB_ISO_MAX_SIDS);
	if (!fz_bringup(st))
		fuzz_die("fuzz_guest_surface", "platform bring-up failed");
	tb_iso_populate(fz_h->n.model, &st->lay, &st->rep);

	if (!fz_snaps) {
		fz_state_bytes = cmdqv_model_state_size(fz_h->n.model);
		fz_snaps = calloc(FZ_SNAPS, sizeof(*fz_snaps));
		fz_snap_of = calloc(FZ_SEEDS, sizeof(*fz_snap_of));
		if (!fz_snaps || !fz_snap_of)
			fuzz_die("fuzz_guest_surface", "out of memory");
		for (i = 0; i < FZ_SNAPS; i++)
			fz_snaps[i].seed = FZ_SEEDS;
	}
	/* the seed's slot, an empty one, else the least recently used */
	if (fz_snap_of[seed])
		sn = &fz_snaps[fz_snap_of[seed] - 1];
	for (i = 0; !fz_snap_of[seed] && i < FZ_SNAPS; i++)
		if (!sn || fz_snaps[i].used < sn->used)
			sn = &fz_snaps[i];
	if (sn->seed < FZ_SEEDS)
		fz_snap_of[sn->seed] = 0;
	if (!sn->model) {
		sn->model = malloc(fz_state_bytes);
		if (!sn->model || tb_mem_init(&sn->mem) != 0)
			fuzz_die("fuzz_guest_surface", "out of memory");
	}
	if (cmdqv_model_state_save(fz_h->n.model, sn->model, fz_state_bytes) !=
		    CMDQV_OK ||
	    tb_mem_copy(&sn->mem, &fz_h->n.mem) != 0)
		fuzz_die("fuzz_guest_surface", "cannot save the platform");
	sn->h = *fz_h;
	sn->st = *st;
	sn->seed = seed;
	sn->used = ++fz_clock;
	fz_snap_of[seed] = (uint16_t)(sn - fz_snaps + 1);
}

/* The saved platform of layout seed 1 + @seed, if there is one. */
static bool fz_snap_restore(struct fz_state *st, uint32_t seed)
{
	struct fz_snap *sn;
	struct tb_mem mem;

	if (!fz_snap_of || !fz_snap_of[seed])
		return false;
	sn = &fz_snaps[fz_snap_of[seed] - 1];
	if (cmdqv_model_state_restore(fz_h->n.model, sn->model,
				      fz_state_bytes) != CMDQV_OK ||
	    tb_mem_copy(&fz_h->n.mem, &sn->mem) != 0)
		fuzz_die("fuzz_guest_surface", "cannot restore the platform");
	mem = fz_h->n.mem;
	*fz_h = sn->h;
	fz_h->n.mem = mem;
	*st = sn->st;
	sn->used = ++fz_clock;
	return true;
}

/* What the trace does not show: cache contents (also the per-VMID counts
 * a VMID-scoped invalidation uses), statistics, time. */
static void fz_verify_digest(const struct fz_state *st)
{
	struct cmdqv_model *m = fz_h->n.model;
	struct cmdqv_stats s;

	fz_hash_word(cmdqv_now(m));
	fz_hash_word(cmdqv_tlb_count(m, -1));
	for (unsigned v = 0; v < 3; v++)
		fz_hash_word(cmdqv_tlb_count(m, st->vmid[v]));
	fz_hash_word(cmdqv_tlb_count(m, st->lay.vmid[2]));
	fz_hash_word(cmdqv_atc_count(m, UINT32_MAX));
	for (size_t i = 0; i < st->nsids; i++) {
		fz_hash_word(cmdqv_atc_count(m, st->sids[i]));
		fz_hash_word(
			cmdqv_cfg_present(m, st->sids[i], CMDQV_SSID_NONE));
		fz_hash_word(cmdqv_cfg_present(m, st->sids[i], 0));
	}
	cmdqv_stats_get(m, &s);
	fz_hash_word(s.commands);
	fz_hash_word(s.errors);
	fz_hash_word(s.fetch_bursts);
	fz_hash_word(s.ats_requests);
	fz_hash_word(s.ats_timeouts);
	fz_hash_word(s.msi_writes);
	fz_hash_word(s.ats_queued);
}

/* The program after the layout bytes, then the final checks. */
static void fz_program(struct fz_state *st, struct fz_in in)
{
	struct tb_iso_allow allow;
	unsigned ops = 0;

	while (ops++ < FZ_MAX_OPS && !st->rep.violation && fz_step(st, &in))
		;
	fz_run_idle(SIM_US(200));
	fz_check_errors(st);

	/* Caches: only what an acting guest may remove. */
	memset(&allow, 0, sizeof(allow));
	for (unsigned vm = 0; vm < FZ_VMS; vm++) {
		if (!st->acted[vm])
			continue;
		allow.vmid_may_go[vm] = true;
		for (size_t i = 0; i < st->nsids; i++)
			allow.sid_may_go[i] |= st->sid_ever[vm][i];
	}
	tb_iso_check_caches(fz_h->n.model, &st->lay, &allow, &st->rep);

	/* Liveness: each queue alone, the others as the program left them. */
	if (!st->rep.violation) {
		fz_host_restore(st);
		fz_queue_alive(st, 0);
		fz_queue_alive(st, 2);
		fz_queue_alive(st, 4);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_state st;
	struct fz_in in = { data, size };
	uint64_t seed;

	if (!fz_h) {
		fz_verify = getenv("FUZZ_VERIFY_SNAPSHOT") != NULL;
		fz_h = calloc(1, sizeof(*fz_h));
		if (!fz_h)
			abort();
		tb_iso_config(&fz_cfg);
		/* the SEV a VCMDQ's CONS update sends by default (params.def)
		 * would hide a guest CMD_SYNC CS=SEV that is not turned into
		 * CS=NONE: off, so any SEV is a violation */
		fz_cfg.vcmdq_cons_sev = false;
		/* the sparse layout holds ~70 TLB, ~230 config and ~340 ATC
		 * entries; whole-cache scans (reset, wide invalidations) cost
		 * the capacity */
		fz_cfg.tlb_entries = 512;
		fz_cfg.cfg_entries = 512;
		fz_cfg.atc_entries = 1024;
	}
	seed = fz_u8(&in) | (uint64_t)fz_u8(&in) << 8;
	if (fz_verify) {
		uint64_t h1;
		struct tb_iso_report r1;

		fz_snap_build(&st, (uint32_t)seed);
		fz_hash = UINT64_C(0xcbf29ce484222325);
		fz_program(&st, in);
		fz_verify_digest(&st);
		h1 = fz_hash;
		r1 = st.rep;
		if (!fz_snap_restore(&st, (uint32_t)seed))
			fuzz_die("fuzz_guest_surface", "no saved platform");
		fz_hash = UINT64_C(0xcbf29ce484222325);
		fz_program(&st, in);
		fz_verify_digest(&st);
		if (fz_hash != h1 || r1.violation != st.rep.violation ||
		    r1.own_tlb_removed != st.rep.own_tlb_removed ||
		    r1.own_atc_removed != st.rep.own_atc_removed ||
		    strcmp(r1.what, st.rep.what))
			fuzz_die(
				"fuzz_guest_surface",
				"the run on the restored platform differs from "
				"the run on a fresh bring-up");
	} else {
		if (!fz_snap_restore(&st, (uint32_t)seed))
			fz_snap_build(&st, (uint32_t)seed);
		fz_program(&st, in);
	}
	if (st.rep.violation)
		fuzz_die("fuzz_guest_surface: isolation violated", st.rep.what);
	return 0;
}
