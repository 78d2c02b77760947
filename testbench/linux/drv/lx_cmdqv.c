/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lx_cmdqv.c - the translation unit that builds Linux's tegra241-cmdqv.c
 * unmodified (#included from the configured kernel tree).  The object is
 * GPL-2.0 code.
 */
#include "tegra241-cmdqv.c"

#include "lx_drv.h"

/* ---- harness entry points (BSD-3-Clause; they only read driver state) */

int lxc_vcmdq_index(struct arm_smmu_cmdq *cmdq)
{
	return container_of(cmdq, struct tegra241_vcmdq, cmdq)->idx;
}
