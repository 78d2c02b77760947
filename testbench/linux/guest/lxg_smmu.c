/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lxg_smmu.c - the guest copy's arm-smmu-v3 translation unit: the host's
 * (drv/lx_smmu.c, which #includes the kernel's arm-smmu-v3.c unmodified)
 * plus the two commands the guest issues that the host harness does not
 * (TLBI_NH_VA, CFGI_STE), built with the driver's own command path.  The
 * object is GPL-2.0 code; it is linked into the guest library only.
 */
#include "../drv/lx_smmu.c"

#include "lxg_int.h"

#ifdef LX_CMD_API_ENT
int lxd_tlbi_va(struct platform_device *pdev, uint16_t vmid, uint16_t asid,
		uint64_t iova)
{
	struct arm_smmu_device *smmu = platform_get_drvdata(pdev);
	struct arm_smmu_cmdq_ent ent = {
		.opcode = CMDQ_OP_TLBI_NH_VA,
		.tlbi = { .asid = asid,
			  .vmid = vmid,
			  .leaf = true,
			  .addr = iova },
	};

	return arm_smmu_cmdq_issue_cmd_with_sync(smmu, &ent);
}

int lxd_cfgi_ste(struct platform_device *pdev, uint32_t sid)
{
	struct arm_smmu_device *smmu = platform_get_drvdata(pdev);
	struct arm_smmu_cmdq_ent ent = {
		.opcode = CMDQ_OP_CFGI_STE,
		.cfgi = { .sid = sid, .leaf = true },
	};

	return arm_smmu_cmdq_issue_cmd_with_sync(smmu, &ent);
}
#else
/* 7.x: the driver's own command builders and field masks */
int lxd_tlbi_va(struct platform_device *pdev, uint16_t vmid, uint16_t asid,
		uint64_t iova)
{
	struct arm_smmu_device *smmu = platform_get_drvdata(pdev);
	struct arm_smmu_cmd cmd =
		arm_smmu_make_cmd_tlbi(CMDQ_OP_TLBI_NH_VA, asid, vmid);

	cmd.data[1] |= CMDQ_TLBI_1_LEAF | (iova & CMDQ_TLBI_1_VA_MASK);
	return arm_smmu_cmdq_issue_cmd_with_sync(smmu, cmd);
}

int lxd_cfgi_ste(struct platform_device *pdev, uint32_t sid)
{
	struct arm_smmu_device *smmu = platform_get_drvdata(pdev);

	return arm_smmu_cmdq_issue_cmd_with_sync(
		smmu, arm_smmu_make_cmd_cfgi_ste(sid, true));
}
#endif
