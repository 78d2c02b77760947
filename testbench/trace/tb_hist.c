/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_hist.c - the fixed log-linear latency histogram of replay's results
 * (tb_replay.h).
 */
#include "tb_replay.h"

/* ------------------------------------------------------------------ */
/* histogram                                                           */
/* ------------------------------------------------------------------ */

static unsigned tb_hist_index(sim_time_t v)
{
	if (v < 64)
		return (unsigned)v;
	unsigned e = 63u - (unsigned)__builtin_clzll(v); /* >= 6 */
	unsigned sub = (unsigned)(v >> (e - 5)) & (TB_HIST_SUB - 1);
	return 64u + (e - 6u) * TB_HIST_SUB + sub;
}

static sim_time_t tb_hist_upper(unsigned i)
{
	if (i < 64)
		return i;
	unsigned e = (i - 64) / TB_HIST_SUB + 6;
	unsigned sub = (i - 64) % TB_HIST_SUB;
	sim_time_t lo = ((sim_time_t)(TB_HIST_SUB + sub)) << (e - 5);
	return lo + (((sim_time_t)1 << (e - 5)) - 1);
}

void tb_hist_add(struct tb_hist *h, sim_time_t v)
{
	if (!h->count || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += (double)v;
	h->bucket[tb_hist_index(v)]++;
}

sim_time_t tb_hist_quantile(const struct tb_hist *h, double q)
{
	if (!h->count)
		return 0;
	uint64_t rank = (uint64_t)(q * (double)h->count + 0.999999999);
	if (rank < 1)
		rank = 1;
	if (rank > h->count)
		rank = h->count;
	uint64_t acc = 0;
	for (unsigned i = 0; i < TB_HIST_BUCKETS; i++) {
		acc += h->bucket[i];
		if (acc >= rank) {
			sim_time_t u = tb_hist_upper(i);
			return u > h->max ? h->max : (u < h->min ? h->min : u);
		}
	}
	return h->max;
}

double tb_hist_mean(const struct tb_hist *h)
{
	return h->count ? h->sum / (double)h->count : 0.0;
}
