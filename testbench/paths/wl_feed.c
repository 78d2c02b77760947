/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wl_feed.c - the trace-batch workload source (paths.h): one VM with one
 * vCPU on a fresh model, set up by wl_setup exactly as a wl_run point of the
 * same path, whose CPU actor takes the batches the caller hands over
 * (wl_actor.c: wl_feed_next_issue) instead of generating unmaps.  Between
 * batches the caller runs the model itself (its own driver time), so the
 * VMM, kernel thread and hardware carry on as they would.
 */
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/status.h"
#include "tb_util.h"
#include "wl_int.h"

#define WL_FEED_TIMEOUT SIM_MS(1000) /* ARM_SMMU_POLL_TIMEOUT_US */

int wl_feed_open(struct wl_feed **out, const struct cmdqv_config *hw,
		 const struct path_params *sw, enum wl_path path,
		 bool rest_smmu, const struct wl_observer *obs, char *err,
		 size_t errlen)
{
	struct wl_feed *f;
	struct wl_ctx *c;
	struct wl_point pt;
	int r;

	*out = NULL;
	if (path == WL_PATH_HOST || (unsigned)path >= WL_PATH_COUNT) {
		tb_errf(err, errlen,
			"path: trace batches run on direct, trap or eventfd");
		return CMDQV_EINVAL;
	}
	wl_point_defaults(&pt);
	pt.path = path;
	pt.threads = 1;
	pt.vms = 1;
	pt.granule_pages = 1;
	pt.iterations = 1;
	pt.ats = false;
	pt.ril = false;
	if ((r = wl_check(hw, sw, &pt, err, errlen)) != CMDQV_OK)
		return r;
	f = calloc(1, sizeof(*f));
	c = calloc(1, sizeof(*c));
	if (!f || !c) {
		free(f);
		free(c);
		tb_errf(err, errlen, "out of memory");
		return CMDQV_ENOMEM;
	}
	f->c = c;
	f->rest_smmu = rest_smmu && path == WL_PATH_DIRECT;
	f->idle = true;
	c->feed = f;
	wl_ctx_inputs(c, hw, sw, &pt, obs, &f->res, 1);
	r = wl_setup(c, err, errlen);
	if (r != CMDQV_OK) {
		wl_feed_close(f);
		return r;
	}
	c->t0 = cmdqv_now(c->m);
	f->res.t_start = c->t0;
	c->vms[0].any_sid = true;
	for (uint32_t i = 0; i < c->nactors; i++) {
		struct wl_actor *a = &c->actors[i];

		if (a->role == WL_ROLE_CPU)
			a->tlbi = f->buf; /* the pieces of a batch */
		if (a->role == WL_ROLE_BG)
			continue;
		if ((a->role == WL_ROLE_VMM || a->role == WL_ROLE_KTHREAD) &&
		    path == WL_PATH_DIRECT && f->rest_smmu)
			continue;
		wl_actor_start(a);
	}
	*out = f;
	return CMDQV_OK;
}

struct cmdqv_model *wl_feed_model(struct wl_feed *f)
{
	return f->c->m;
}

/*
 * Direct: an ATC_INV names the device by the guest's StreamID; the VMM
 * created a vDEVICE for it, i.e. a SID pair of the VM's VINTF (1:1, the
 * trace's SIDs are the device's).  Set-up, not the driver's time.
 */
static void wl_feed_sids(struct wl_feed *f, uint32_t n)
{
	struct wl_ctx *c = f->c;
	uint64_t dw[2];
	struct cmd cmd;

	if (c->pt.path != WL_PATH_DIRECT)
		return;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t k;

		f->ops.get(f->ops.ctx, i, dw);
		if (cmd_opcode(dw[0]) != CMDQ_OP_ATC_INV)
			continue;
		cmd_decode(dw, &cmd);
		for (k = 0; k < f->nsids && f->sids[k] != cmd.sid; k++)
			;
		/* slot 0 is wl_setup's pair; no slot left: the hardware flags it */
		if (k < f->nsids || f->nsids + 1 >= c->hw->sids_per_vintf ||
		    f->nsids >= 64)
			continue;
		if (wl_map_sid(c, c->vms[0].vintf, f->nsids + 1, cmd.sid,
			       cmd.sid) == CMDQV_OK)
			f->sids[f->nsids++] = cmd.sid;
	}
}

int wl_feed_batch(struct wl_feed *f, uint32_t n, const struct wl_feed_ops *ops,
		  struct wl_sample *out)
{
	struct wl_ctx *c = f->c;
	struct wl_actor *cpu = &c->actors[0];
	sim_time_t start;

	memset(out, 0, sizeof(*out));
	if (f->stuck)
		return CMDQV_ETIMEDOUT;
	if (!n)
		return CMDQV_OK;
	f->ops = *ops;
	f->n = n;
	f->next = f->from = 0;
	f->last_q = cpu->hwq;
	f->last_g = cpu->hwq ? NULL : &c->vms[0].gq;
	wl_feed_sids(f, n);
	f->idle = false;
	start = cmdqv_now(c->m);
	wl_cpu_feed_start(cpu);
	while (!f->idle) {
		sim_time_t next = cmdqv_next_deadline(c->m);

		if (next == SIM_TIME_NEVER || next - start > WL_FEED_TIMEOUT) {
			f->stuck = true;
			return CMDQV_ETIMEDOUT;
		}
		cmdqv_run_until(c->m, next);
	}
	*out = f->sample;
	return CMDQV_OK;
}

void wl_feed_drain(struct wl_feed *f)
{
	struct cmdqv_model *m = f->c->m;
	sim_time_t start = cmdqv_now(m);

	for (;;) {
		sim_time_t next = cmdqv_next_deadline(m);

		if (next == SIM_TIME_NEVER || next - start > WL_FEED_TIMEOUT)
			return;
		cmdqv_run_until(m, next);
	}
}

void wl_feed_totals(const struct wl_feed *f, struct wl_feed_counts *out)
{
	out->exits = f->res.exits;
	out->ioctls = f->res.ioctls;
	out->issues = f->res.issues;
	out->injected = f->c->syncs_written > f->syncs ?
				f->c->syncs_written - f->syncs :
				0;
}

void wl_feed_close(struct wl_feed *f)
{
	if (!f)
		return;
	if (f->c) {
		wl_teardown(f->c);
		free(f->c);
	}
	free(f);
}
