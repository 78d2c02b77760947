/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lx_smmu.c - the translation unit that builds Linux's arm-smmu-v3.c
 * unmodified (it is #included from the configured kernel tree, so this file
 * carries none of its code), followed by the harness's entry points into its
 * static functions.  The object this produces is GPL-2.0 code.
 */
#include "arm-smmu-v3.c"

#include "lx_drv.h"

/* Build-time checks of the shim's ABI choices (docs/linux-driver.md):
 * glibc's __BIG_ENDIAN must not reach the driver (it tests it with #ifdef
 * and would set the CD's ENDI bit), and u64 is arm64's unsigned long long
 * (the driver prints it with %llx and passes it as such). */
#ifdef __BIG_ENDIAN
#error "__BIG_ENDIAN is defined: the driver would build big-endian CDs"
#endif
_Static_assert(__builtin_types_compatible_p(u64, unsigned long long),
	       "u64 must be unsigned long long");

/* ---- harness entry points (BSD-3-Clause; they only call the driver) ---- */

int lxd_probe(struct platform_device *pdev)
{
	return arm_smmu_driver.probe(pdev);
}

void lxd_remove(struct platform_device *pdev)
{
#ifdef LX_HAS_REMOVE_NEW
	arm_smmu_driver.remove_new(pdev);
#else
	arm_smmu_driver.remove(pdev);
#endif
}

bool lxd_uses_cmdqv(struct platform_device *pdev)
{
	struct arm_smmu_device *smmu = platform_get_drvdata(pdev);

	return smmu && (smmu->options & ARM_SMMU_OPT_TEGRA241_CMDQV);
}

#ifdef LX_CMD_API_ENT
/* 6.x: commands are described by struct arm_smmu_cmdq_ent */
static struct arm_smmu_cmdq_ent lx_tlbi_ent(uint16_t asid)
{
	struct arm_smmu_cmdq_ent ent = {
		.opcode = CMDQ_OP_TLBI_NH_ASID,
		.tlbi.asid = asid,
	};

	return ent;
}

int lxd_queue_for_cpu(struct platform_device *pdev)
{
	struct arm_smmu_device *smmu = platform_get_drvdata(pdev);
	struct arm_smmu_cmdq_ent ent = lx_tlbi_ent(0);
	struct arm_smmu_cmdq *cmdq = arm_smmu_get_cmdq(smmu, &ent);

	return cmdq == &smmu->cmdq ? -1 : lxc_vcmdq_index(cmdq);
}

int lxd_tlbi_asid(struct platform_device *pdev, uint16_t asid, unsigned n)
{
	struct arm_smmu_device *smmu = platform_get_drvdata(pdev);
	struct arm_smmu_cmdq_ent ent = lx_tlbi_ent(asid);
	struct arm_smmu_cmdq_batch cmds;
	unsigned i;

	arm_smmu_cmdq_batch_init(smmu, &cmds, &ent);
	for (i = 0; i < n; i++) {
		ent.tlbi.asid = (u16)(asid + i);
		arm_smmu_cmdq_batch_add(smmu, &cmds, &ent);
	}
	return arm_smmu_cmdq_batch_submit(smmu, &cmds);
}

int lxd_issue_raw(struct platform_device *pdev, const uint64_t *cmds, int n,
		  bool sync, bool smmu_cmdq)
{
	struct arm_smmu_device *smmu = platform_get_drvdata(pdev);
	struct arm_smmu_cmdq_ent ent = lx_tlbi_ent(0);
	struct arm_smmu_cmdq *cmdq = smmu_cmdq ? &smmu->cmdq :
						 arm_smmu_get_cmdq(smmu, &ent);
	u64 buf[CMDQ_BATCH_ENTRIES * CMDQ_ENT_DWORDS];

	if (n < 0 || n > CMDQ_BATCH_ENTRIES)
		return -EINVAL;
	memcpy(buf, cmds, (size_t)n * CMDQ_ENT_DWORDS * sizeof(u64));
	return arm_smmu_cmdq_issue_cmdlist(smmu, cmdq, buf, n, sync);
}

int lxd_atc_inv(struct platform_device *pdev, uint32_t sid, uint64_t iova,
		size_t size)
{
	struct arm_smmu_device *smmu = platform_get_drvdata(pdev);
	struct arm_smmu_cmdq_ent ent;

	arm_smmu_atc_inv_to_cmd(IOMMU_NO_PASID, iova, size, &ent);
	ent.atc.sid = sid;
	return arm_smmu_cmdq_issue_cmd_with_sync(smmu, &ent);
}

#else
/* 7.x: commands are built as struct arm_smmu_cmd by arm_smmu_make_cmd_*() */
static struct arm_smmu_cmd lx_tlbi_cmd(uint16_t asid)
{
	return arm_smmu_make_cmd_tlbi(CMDQ_OP_TLBI_NH_ASID, asid, 0);
}

int lxd_queue_for_cpu(struct platform_device *pdev)
{
	struct arm_smmu_device *smmu = platform_get_drvdata(pdev);
	struct arm_smmu_cmd cmd = lx_tlbi_cmd(0);
	struct arm_smmu_cmdq *cmdq = arm_smmu_get_cmdq(smmu, &cmd);

	return cmdq == &smmu->cmdq ? -1 : lxc_vcmdq_index(cmdq);
}

int lxd_tlbi_asid(struct platform_device *pdev, uint16_t asid, unsigned n)
{
	struct arm_smmu_device *smmu = platform_get_drvdata(pdev);
	struct arm_smmu_cmd cmd = lx_tlbi_cmd(asid);
	struct arm_smmu_cmdq_batch cmds;
	unsigned i;

	arm_smmu_cmdq_batch_init_cmd(smmu, &cmds, &cmd);
	for (i = 0; i < n; i++) {
		cmd = lx_tlbi_cmd((u16)(asid + i));
		arm_smmu_cmdq_batch_add_cmd_p(smmu, &cmds, &cmd);
	}
	return arm_smmu_cmdq_batch_submit(smmu, &cmds);
}

int lxd_issue_raw(struct platform_device *pdev, const uint64_t *cmds, int n,
		  bool sync, bool smmu_cmdq)
{
	struct arm_smmu_device *smmu = platform_get_drvdata(pdev);
	struct arm_smmu_cmd cmd = lx_tlbi_cmd(0);
	struct arm_smmu_cmdq *cmdq = smmu_cmdq ? &smmu->cmdq :
						 arm_smmu_get_cmdq(smmu, &cmd);
	struct arm_smmu_cmd buf[CMDQ_BATCH_ENTRIES];

	if (n < 0 || n > CMDQ_BATCH_ENTRIES)
		return -EINVAL;
	memcpy(buf, cmds, (size_t)n * sizeof(buf[0]));
	return arm_smmu_cmdq_issue_cmdlist(smmu, cmdq, buf, n, sync);
}

int lxd_atc_inv(struct platform_device *pdev, uint32_t sid, uint64_t iova,
		size_t size)
{
	struct arm_smmu_device *smmu = platform_get_drvdata(pdev);

	return arm_smmu_cmdq_issue_cmd_with_sync(
		smmu, arm_smmu_atc_inv_to_cmd(sid, IOMMU_NO_PASID, iova, size));
}
#endif

void lxd_cmdq_state(struct platform_device *pdev, uint32_t *prod,
		    uint32_t *cons, unsigned *shift)
{
	struct arm_smmu_device *smmu = platform_get_drvdata(pdev);

	*prod = smmu->cmdq.q.llq.prod;
	*cons = smmu->cmdq.q.llq.cons;
	*shift = smmu->cmdq.q.llq.max_n_shift;
}
