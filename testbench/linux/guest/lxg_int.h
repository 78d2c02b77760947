/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lxg_int.h - inside the guest library: the entry points its own driver
 * translation unit (lxg_smmu.c) adds to the host's set (drv/lx_drv.h).
 */
#ifndef LXG_INT_H
#define LXG_INT_H

#include <stdint.h>

struct platform_device;

/** TLBI_NH_VA (leaf) with the VMID field @vmid, then a CMD_SYNC. */
int lxd_tlbi_va(struct platform_device *pdev, uint16_t vmid, uint16_t asid,
		uint64_t iova);
/** CFGI_STE (leaf) for @sid, then a CMD_SYNC. */
int lxd_cfgi_ste(struct platform_device *pdev, uint32_t sid);

#endif
