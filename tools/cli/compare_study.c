/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_study.c - the contention study (compare_study.h): sensitivity of
 * the calibration cells to one parameter at a time, and the scaling curves
 * to 64 vCPUs and 16 VMs with a band from the assumed contention
 * parameters.  Plain wl_run() calls on the run's parameters; values are
 * rounded before they enter the tree so the JSON stays byte-identical.
 */
#include "compare_study.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmdqv_sim/status.h"

#define CMP_STUDY_ITERS 200 /* unmaps per thread for every study run */

/**
 * struct cmp_knob - one parameter the study moves: @low and @high as
 * --set values; @band: it is assumed and matters only under contention, so
 * it spans the scaling band (the one-thread calibration does not fix it).
 */
struct cmp_knob {
	const char *key;
	const char *low;
	const char *high;
	bool band;
};

static const struct cmp_knob cmp_knobs[] = {
	{ "futex_wakeup_latency", "2us", "8us", true },
	{ "futex_wake_syscall", "500ns", "2us", true },
	{ "cond_wake", "25ns", "200ns", true },
	{ "cpu_jitter", "10", "40", true },
	{ "cacheline_transfer", "50ns", "200ns", true },
	{ "vmm_handover_lines", "2", "8", true },
	{ "ioctl_handover_lines", "3", "14", true },
	{ "ats_inv_servers", "1", "2", true },
	{ "vmm_mmio", "150ns", "600ns", false },
	{ "exit_user", "1150ns", "3600ns", false },
	{ "mmio_read_latency", "100ns", "400ns", false },
	{ "ats_device_latency", "500ns", "2us", false },
};
#define CMP_NKNOBS (sizeof(cmp_knobs) / sizeof(cmp_knobs[0]))

/* The cells of the measured table: paths x threads x granules. */
static const enum wl_path cmp_cell_paths[] = { WL_PATH_TRAP, WL_PATH_DIRECT };
static const unsigned cmp_cell_threads[] = { 1, 2 };
static const unsigned cmp_cell_granules[] = { 1, 16, 64 };
#define CMP_NCELLS (2 * 2 * 3)

static const enum wl_path cmp_curve_paths[] = { WL_PATH_TRAP, WL_PATH_EVENTFD,
						WL_PATH_DIRECT };
static const unsigned cmp_curve_vcpus[] = { 1, 2, 4, 8, 16, 32, 64 };
static const unsigned cmp_curve_vms[] = { 1, 2, 4, 8, 16 };
#define CMP_NCURVE_PATHS 3
#define CMP_NVCPUS (sizeof(cmp_curve_vcpus) / sizeof(cmp_curve_vcpus[0]))
#define CMP_NVMS (sizeof(cmp_curve_vms) / sizeof(cmp_curve_vms[0]))

struct cmp_study {
	struct cmdqv_config hw;
	struct path_params sw;
	struct wl_point base;
	const struct cmp_study_hooks *hooks;
	char *err;
	size_t errlen;
};

/* The base cells and each knob's low and high cells (sensitivity), then
 * three runs (base, band low, band high) per curve point (scaling). */
size_t cmp_study_runs(void)
{
	return CMP_NCELLS * (1 + 2 * CMP_NKNOBS) +
	       3 * CMP_NCURVE_PATHS * (CMP_NVCPUS + CMP_NVMS);
}

static json_t *cmp_study_ns(double ps)
{
	return json_real(round(ps / 100.0) / 10.0);
}

static json_t *cmp_study_pct(double v)
{
	return json_real(round(v * 100.0) / 100.0);
}

/* Set @key to @value in the hardware or software parameters. */
static int cmp_study_set(struct cmdqv_config *hw, struct path_params *sw,
			 const char *key, const char *value, char *err,
			 size_t errlen)
{
	int r = wl_params_set(sw, key, value, err, errlen);

	if (r == CMDQV_EKEY)
		r = cmdqv_config_set(hw, key, value, err, errlen);
	return r;
}

/* Mean unmap latency (ps) of one run, or a negative value on failure. */
static double cmp_study_mean(struct cmp_study *st,
			     const struct cmdqv_config *hw,
			     const struct path_params *sw, enum wl_path path,
			     unsigned threads, unsigned vms, unsigned granule)
{
	struct wl_point pt = st->base;
	struct wl_result res;
	double mean;
	char e[256];

	pt.path = path;
	pt.threads = threads;
	pt.vms = vms;
	pt.granule_pages = granule;
	/* a fixed number of iterations, nothing in the background */
	pt.iterations = CMP_STUDY_ITERS;
	pt.duration = pt.host_background = 0;
	if (st->hooks && st->hooks->step) {
		snprintf(e, sizeof(e),
			 "study: %s, %u vCPU%s, %u VM%s, %u page%s",
			 wl_path_name(path), threads, threads == 1 ? "" : "s",
			 vms, vms == 1 ? "" : "s", granule,
			 granule == 1 ? "" : "s");
		st->hooks->step(st->hooks->ctx, e);
	}
	if (wl_run(hw, sw, &pt, st->hooks ? st->hooks->obs : NULL, &res, e,
		   sizeof(e)) != CMDQV_OK) {
		snprintf(
			st->err, st->errlen,
			"contention study: %s, %u vCPU%s, %u VM%s, %u page%s: %s",
			wl_path_name(path), threads, threads == 1 ? "" : "s",
			vms, vms == 1 ? "" : "s", granule,
			granule == 1 ? "" : "s", e);
		return -1.0;
	}
	mean = res.mean_latency;
	wl_result_free(&res);
	return mean;
}

/* The 12 cells at @hw/@sw into @out (ps). Returns 0 or -1. */
static int cmp_study_cells(struct cmp_study *st, const struct cmdqv_config *hw,
			   const struct path_params *sw, double *out)
{
	size_t i = 0;

	for (size_t a = 0; a < 2; a++)
		for (size_t t = 0; t < 2; t++)
			for (size_t g = 0; g < 3; g++, i++) {
				out[i] = cmp_study_mean(st, hw, sw,
							cmp_cell_paths[a],
							cmp_cell_threads[t], 1,
							cmp_cell_granules[g]);
				if (out[i] < 0)
					return -1;
			}
	return 0;
}

static const char *cmp_study_source(const char *key)
{
	for (size_t i = 0; i < wl_param_count(); i++)
		if (!strcmp(wl_param_info(i)->key, key))
			return wl_param_info(i)->source;
	for (size_t i = 0; i < cmdqv_param_count(); i++)
		if (!strcmp(cmdqv_param_info(i)->key, key))
			return cmdqv_param_info(i)->source;
	return "";
}

static json_t *cmp_study_sensitivity(struct cmp_study *st)
{
	double base[CMP_NCELLS], lo[CMP_NCELLS], hi[CMP_NCELLS];
	json_t *o = json_object(), *cells = json_array(), *knobs = json_array();
	size_t i = 0;

	json_object_set_new(o, "cells", cells);
	json_object_set_new(o, "parameters", knobs);
	if (cmp_study_cells(st, &st->hw, &st->sw, base))
		goto fail;
	for (size_t a = 0; a < 2; a++)
		for (size_t t = 0; t < 2; t++)
			for (size_t g = 0; g < 3; g++, i++) {
				json_t *c = json_object();

				json_object_set_new(
					c, "path",
					json_string(wl_path_name(
						cmp_cell_paths[a])));
				json_object_set_new(
					c, "threads",
					json_integer(cmp_cell_threads[t]));
				json_object_set_new(
					c, "granule_pages",
					json_integer(cmp_cell_granules[g]));
				json_object_set_new(c, "mean_ns",
						    cmp_study_ns(base[i]));
				json_array_append_new(cells, c);
			}
	for (size_t k = 0; k < CMP_NKNOBS; k++) {
		const struct cmp_knob *kn = &cmp_knobs[k];
		struct cmdqv_config hw;
		struct path_params sw;
		json_t *ko = json_object(), *d = json_array();

		json_array_append_new(knobs, ko);
		json_object_set_new(ko, "key", json_string(kn->key));
		json_object_set_new(ko, "low", json_string(kn->low));
		json_object_set_new(ko, "high", json_string(kn->high));
		json_object_set_new(ko, "band", json_boolean(kn->band));
		json_object_set_new(ko, "source",
				    json_string(cmp_study_source(kn->key)));
		json_object_set_new(ko, "cells", d);
		for (int side = 0; side < 2; side++) {
			hw = st->hw;
			sw = st->sw;
			if (cmp_study_set(&hw, &sw, kn->key,
					  side ? kn->high : kn->low, st->err,
					  st->errlen) != CMDQV_OK)
				goto fail;
			if (cmp_study_cells(st, &hw, &sw, side ? hi : lo))
				goto fail;
		}
		for (i = 0; i < CMP_NCELLS; i++) {
			json_t *c = json_object();

			json_object_set_new(c, "low_ns", cmp_study_ns(lo[i]));
			json_object_set_new(c, "high_ns", cmp_study_ns(hi[i]));
			json_object_set_new(c, "low_pct",
					    cmp_study_pct(100.0 *
							  (lo[i] - base[i]) /
							  base[i]));
			json_object_set_new(c, "high_pct",
					    cmp_study_pct(100.0 *
							  (hi[i] - base[i]) /
							  base[i]));
			json_array_append_new(d, c);
		}
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* One curve family: x = vCPUs of one VM (@by_vms false) or VMs of 1 vCPU. */
static json_t *cmp_study_curves(struct cmp_study *st,
				const struct cmdqv_config *hw_lo,
				const struct path_params *sw_lo,
				const struct cmdqv_config *hw_hi,
				const struct path_params *sw_hi, bool by_vms)
{
	const unsigned *xs = by_vms ? cmp_curve_vms : cmp_curve_vcpus;
	size_t nx = by_vms ? CMP_NVMS : CMP_NVCPUS;
	json_t *o = json_object(), *x = json_array(), *series = json_array();

	json_object_set_new(o, "x", x);
	json_object_set_new(o, "series", series);
	for (size_t i = 0; i < nx; i++)
		json_array_append_new(x, json_integer(xs[i]));
	for (size_t p = 0; p < CMP_NCURVE_PATHS; p++) {
		json_t *s = json_object(), *mean = json_array(),
		       *lo = json_array(), *hi = json_array();

		json_object_set_new(
			s, "path",
			json_string(wl_path_name(cmp_curve_paths[p])));
		json_object_set_new(s, "mean_ns", mean);
		json_object_set_new(s, "band_low_ns", lo);
		json_object_set_new(s, "band_high_ns", hi);
		json_array_append_new(series, s);
		for (size_t i = 0; i < nx; i++) {
			unsigned th = by_vms ? 1 : xs[i],
				 vms = by_vms ? xs[i] : 1;
			double v[3];

			v[0] = cmp_study_mean(st, &st->hw, &st->sw,
					      cmp_curve_paths[p], th, vms, 1);
			v[1] = cmp_study_mean(st, hw_lo, sw_lo,
					      cmp_curve_paths[p], th, vms, 1);
			v[2] = cmp_study_mean(st, hw_hi, sw_hi,
					      cmp_curve_paths[p], th, vms, 1);
			if (v[0] < 0 || v[1] < 0 || v[2] < 0) {
				json_decref(o);
				return NULL;
			}
			json_array_append_new(mean, cmp_study_ns(v[0]));
			json_array_append_new(
				lo, cmp_study_ns(fmin(v[0], fmin(v[1], v[2]))));
			json_array_append_new(
				hi, cmp_study_ns(fmax(v[0], fmax(v[1], v[2]))));
		}
	}
	return o;
}

json_t *cmp_study_run(const struct cmdqv_config *hw,
		      const struct path_params *sw, const struct wl_point *base,
		      const struct cmp_study_hooks *hooks, char *err,
		      size_t errlen)
{
	struct cmp_study st = { .hw = *hw,
				.sw = *sw,
				.base = *base,
				.hooks = hooks,
				.err = err,
				.errlen = errlen };
	struct cmdqv_config hw_lo = *hw, hw_hi = *hw;
	struct path_params sw_lo = *sw, sw_hi = *sw;
	json_t *o = json_object(), *band = json_array(), *sens, *sc, *c;

	json_object_set_new(o, "iterations", json_integer(CMP_STUDY_ITERS));
	json_object_set_new(o, "granule_pages", json_integer(1));
	for (size_t k = 0; k < CMP_NKNOBS; k++) {
		const struct cmp_knob *kn = &cmp_knobs[k];
		json_t *b;

		if (!kn->band)
			continue;
		if (cmp_study_set(&hw_lo, &sw_lo, kn->key, kn->low, err,
				  errlen) != CMDQV_OK ||
		    cmp_study_set(&hw_hi, &sw_hi, kn->key, kn->high, err,
				  errlen) != CMDQV_OK)
			goto fail;
		b = json_object();
		json_object_set_new(b, "key", json_string(kn->key));
		json_object_set_new(b, "low", json_string(kn->low));
		json_object_set_new(b, "high", json_string(kn->high));
		json_array_append_new(band, b);
	}
	json_object_set_new(o, "band_parameters", band);
	sens = cmp_study_sensitivity(&st);
	if (!sens)
		goto fail;
	json_object_set_new(o, "sensitivity", sens);
	sc = json_object();
	json_object_set_new(o, "scaling", sc);
	c = cmp_study_curves(&st, &hw_lo, &sw_lo, &hw_hi, &sw_hi, false);
	if (!c)
		goto fail;
	json_object_set_new(sc, "vcpus", c);
	c = cmp_study_curves(&st, &hw_lo, &sw_lo, &hw_hi, &sw_hi, true);
	if (!c)
		goto fail;
	json_object_set_new(sc, "vms", c);
	return o;
fail:
	json_decref(o);
	return NULL;
}
