/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_calib.h - the measured values the comparison is held against: the
 * one table of hardware measurements (Linux commit 918eb5c856f6; NVIDIA HW
 * QUEUE series cover letter, Msg-ID cover.1750966133.git.nicolinc@nvidia.com)
 * used by the report's calibration section and summary.json's "calibration"
 * array.
 */
#ifndef CMDQV_CLI_COMPARE_CALIB_H
#define CMDQV_CLI_COMPARE_CALIB_H

#include <stddef.h>

/**
 * struct cmp_calib_row - one measured row of NVIDIA HW QUEUE series cover
 * letter, Msg-ID cover.1750966133.git.nicolinc@nvidia.com: the average
 * dma_map_benchmark unmap latency in a Grace guest for one granule.
 * @granule_pages:  granule in 4 KiB guest pages (4 KB -> 1, 64 KB -> 16...)
 * @granule_label:  the granule as the source prints it ("4 KB")
 * @threads:        dma_map_benchmark -t
 * @trap_ns:        bypass_vcmdq=1: every command trapped (path "trap")
 * @direct_ns:      bypass_vcmdq=0: invalidations on the VCMDQ (path "direct")
 */
struct cmp_calib_row {
	unsigned granule_pages;
	const char *granule_label;
	unsigned threads;
	double trap_ns;
	double direct_ns;
};

/** Where the rows come from (printed in the report and the JSON). */
extern const char cmp_calib_source[];

/** The measured rows, in the source's order. */
size_t cmp_calib_count(void);
const struct cmp_calib_row *cmp_calib_row(size_t i);

/**
 * The headline claim of Linux commit 918eb5c856f6: guest VCMDQ versus trapped
 * CMDQ takes 70 % - 90 % less invalidation time (DMA unmap tests in a guest).
 */
extern const double cmp_claim_reduction_lo_pct;
extern const double cmp_claim_reduction_hi_pct;
extern const char cmp_claim_source[];

/**
 * The contention claim of Linux commit 918eb5c856f6 (the only public contention
 * data point): in-kernel use of VINTF0's VCMDQs takes "up to 20 %" less
 * invalidation time in multi-threaded DMA-unmap tests than everything on the
 * single SMMU CMDQ.  No raw data, thread counts or device are given; the
 * check runs the host path at @cmp_contention_threads with the SMMU CMDQ and
 * with all of VINTF0's LVCMDQs, at @cmp_contention_granule pages.
 */
extern const double cmp_contention_claim_max_pct;
extern const char cmp_contention_source[];
extern const unsigned cmp_contention_threads[];
extern const size_t cmp_contention_nthreads;
extern const unsigned cmp_contention_granule;

#endif /* CMDQV_CLI_COMPARE_CALIB_H */
