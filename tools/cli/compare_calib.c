/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_calib.c - the measured table, kept in exactly one place.
 *
 * NVIDIA HW QUEUE series cover letter, Msg-ID
 * cover.1750966133.git.nicolinc@nvidia.com (HW): NVIDIA's cover letters of the
 * "iommufd: Add HW QUEUE support / Tegra CMDQV part 2" series v3-v9 (2025; e.g.
 * v7 Msg-ID cover.1750966133.git.nicolinc@nvidia.com). Guest OS on Grace,
 * `dma_map_benchmark -g <granule> -t <threads>`, average unmap latency per
 * call; bypass_vcmdq=1 (trapped SMMU CMDQ) versus bypass_vcmdq=0 (VCMDQ). The
 * granule is converted to 4 KiB pages assuming a 4 KiB guest page (NVIDIA HW
 * QUEUE series cover letter, Msg-ID cover.1750966133.git.nicolinc@nvidia.com,
 * the slopes derived from it assume that, they are not measured).
 */
#include "compare_calib.h"

const char cmp_calib_source[] =
	"NVIDIA, cover letters of \"iommufd: Add HW QUEUE support / "
	"Tegra CMDQV part 2\" v3-v9 (2025), Grace guest, dma_map_benchmark average unmap "
	"latency, bypass_vcmdq=1 (trap) vs 0 (VCMDQ)";

static const struct cmp_calib_row cmp_calib_rows[] = {
	/* granule pages, label, threads, trap (ns), direct (ns) */
	{ 1, "4 KB", 1, 35700.0, 5300.0 },
	{ 16, "64 KB", 1, 68900.0, 9900.0 },
	{ 64, "256 KB", 1, 187100.0, 18000.0 },
};

/* Linux commit 918eb5c856f6: torvalds/linux commit 918eb5c856f6 message;
 * repeated in the cover letters. */
const double cmp_claim_reduction_lo_pct = 70.0;
const double cmp_claim_reduction_hi_pct = 90.0;
const char cmp_claim_source[] =
	"Linux commit 918eb5c856f6 (tegra241-cmdqv), \"70% - 90% less "
	"invalidation time\" for guest VCMDQ vs trapped nested SMMUv3 CMDQ";

/* Linux commit 918eb5c856f6: same commit message, "up to 20%" for VINTF0 in the
 * host kernel. */
const double cmp_contention_claim_max_pct = 20.0;
const char cmp_contention_source[] =
	"Linux commit 918eb5c856f6 (tegra241-cmdqv), in-kernel use of VINTF0's "
	"VCMDQs gives \"up to 20%\" less invalidation time in multi-threaded DMA-unmap tests "
	"versus everything on the single SMMU CMDQ (no raw data, thread counts or device given)";
/* 3, 5 and 6 too: where the gain crosses 0 and 20 % (the report names the
 * thread counts at which the claim holds) */
const unsigned cmp_contention_threads[] = { 1, 2, 3, 4, 5, 6, 8, 16 };
const size_t cmp_contention_nthreads =
	sizeof(cmp_contention_threads) / sizeof(cmp_contention_threads[0]);
const unsigned cmp_contention_granule = 1;

size_t cmp_calib_count(void)
{
	return sizeof(cmp_calib_rows) / sizeof(cmp_calib_rows[0]);
}

const struct cmp_calib_row *cmp_calib_row(size_t i)
{
	return i < cmp_calib_count() ? &cmp_calib_rows[i] : 0;
}
