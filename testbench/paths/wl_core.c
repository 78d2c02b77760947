/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wl_core.c - the primitives every layer of the path model shares (wl_int.h):
 * an actor's clock and timer, charging time to the unmap it works for, the
 * observer's access and command hooks, and the run's seeded jitter.  It
 * calls nothing above it: the Linux submission (wl_cmdq.c) and the actors
 * (wl_actor.c) both build on it.
 */
#include "wl_int.h"

sim_time_t wl_now(const struct wl_actor *a)
{
	return a->ctx->k->now;
}

void wl_sleep(struct wl_actor *a, sim_time_t dt)
{
	sim_schedule_in(a->ctx->k, &a->ev, dt);
}

/* ---- charging ---- */

/*
 * Charge [t0, t1) to @acc as @s.  Instants already charged are skipped; a
 * gap between what was charged and @t0 is time the CPU spent waiting on
 * the completion it polls for, so it is SYNC wait (paths.h stage list).
 */
void wl_acc_charge(struct wl_acc *acc, enum wl_stage s, sim_time_t t0,
		   sim_time_t t1)
{
	if (t0 > acc->until) {
		acc->stage[WL_STAGE_SYNC_WAIT] += t0 - acc->until;
		acc->until = t0;
	}
	if (t1 > acc->until) {
		acc->stage[s] += t1 - acc->until;
		acc->until = t1;
	}
}

void wl_charge(struct wl_actor *a, enum wl_stage s, sim_time_t t0,
	       sim_time_t t1)
{
	const struct wl_observer *obs = a->ctx->obs;

	if (t1 <= t0)
		return;
	if (obs && obs->span)
		obs->span(obs->ctx, a->track, wl_stage_name(s), t0, t1);
	if (a->role == WL_ROLE_KTHREAD) {
		for (uint32_t i = 0; i < a->nserved; i++)
			wl_acc_charge(a->served[i], s, t0, t1);
	} else if (a->acc) {
		wl_acc_charge(a->acc, s, t0, t1);
	}
}

void wl_access(struct wl_actor *a)
{
	const struct wl_observer *obs = a->ctx->obs;

	if (obs && obs->access)
		obs->access(obs->ctx, a->track);
}

/* ---- commands ---- */

void wl_emit_cmd(struct wl_actor *a, enum wl_cmd_site site,
		 const uint64_t dw[2])
{
	const struct wl_observer *obs = a->ctx->obs;

	if (site == WL_SITE_GUEST)
		a->ctx->res->guest_cmds++;
	else
		a->ctx->res->host_cmds++;
	if (obs && obs->command)
		obs->command(obs->ctx, site, a->role == WL_ROLE_BG ? -1 : a->vm,
			     dw, wl_now(a));
}

uint64_t wl_rng_next(uint64_t *s)
{
	/* splitmix64 */
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/*
 * @t +- cpu_jitter percent, uniform, from the run's seeded generator: real
 * threads are not in lock-step and exits vary; without this, identical
 * threads settle into phases that never collide.
 */
sim_time_t wl_jitter(struct wl_ctx *c, sim_time_t t)
{
	uint64_t j = c->sw->cpu_jitter;

	if (!j)
		return t;
	return t * (100 - j + wl_rng_next(&c->rng) % (2 * j + 1)) / 100;
}
