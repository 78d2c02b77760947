/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lxg_guest.c - the guest kernel's side of the guest library (see lxg.h):
 * its firmware tables (IORT SMMUv3 node, NVDA200C device), built from what
 * the VMM presents, and the exported lxg_* calls into its copy of the
 * drivers.  Everything else in the library is hidden (-fvisibility=hidden).
 */
#include "lxg.h"

#include <string.h>

#include "drv/lx_drv.h"
#include "kapi/kapi_host.h"
#include "kapi/lx_kapi_glue.h"
#include "lxg_int.h"

#define LXG_API __attribute__((visibility("default")))

/** The guest's firmware objects and devices (one guest at a time). */
static struct {
	struct kapi_host *h;
	struct {
		struct acpi_iort_node hdr;
		struct acpi_iort_smmu_v3 smmu;
	} __attribute__((packed)) iort;
	struct acpi_iort_node *iort_ptr;
	struct resource res[2];
	struct platform_device pdev;
	struct acpi_resource crs[2];
	struct acpi_device adev;
	struct resource cmdqv_res[2];
	struct platform_device cmdqv_pdev;
	bool probed;
} g;

LXG_API void lxg_attach(struct kapi_host *h, const struct lxg_platform *p)
{
	memset(&g, 0, sizeof(g));
	g.h = h;
	kapi_host_set(h);
	kapi_irq_reset();
	kapi_iommufd_reset();
	kapi_acpi_register(NULL);

	/* IORT: an SMMUv3 node as a VMM's (QEMU virt's) table has it */
	g.iort.hdr.type = ACPI_IORT_NODE_SMMU_V3;
	g.iort.hdr.length = sizeof(g.iort);
	g.iort.hdr.revision = 4;
	g.iort.hdr.identifier = 0;
	g.iort.smmu.base_address = p->smmu_pa;
	g.iort.smmu.flags = ACPI_IORT_SMMU_V3_COHACC_OVERRIDE;
	g.iort.smmu.model = ACPI_IORT_SMMU_V3_GENERIC;
	g.iort.smmu.gerr_gsiv = (u32)p->gerror_irq;
	g.iort_ptr = &g.iort.hdr;
	g.res[0] = (struct resource){ .start = p->smmu_pa,
				      .end = p->smmu_pa + 0x20000 - 1,
				      .flags = IORESOURCE_MEM };
	g.res[1] = (struct resource){ .start = (u64)p->gerror_irq,
				      .end = (u64)p->gerror_irq,
				      .name = "gerror",
				      .flags = IORESOURCE_IRQ };
	g.pdev.name = "arm-smmu-v3";
	g.pdev.dev.init_name = "guest arm-smmu-v3.0.auto";
	g.pdev.dev.platform_data = &g.iort_ptr;
	g.pdev.resource = g.res;
	g.pdev.num_resources = 2;
	if (!p->cmdqv)
		return;

	/* the NVDA200C device the VMM puts in the guest's DSDT */
	g.crs[0] = (struct acpi_resource){ .kind = KAPI_ACPI_RES_MEM,
					   .start = p->cmdqv_pa,
					   .len = p->cmdqv_size };
	g.crs[1] = (struct acpi_resource){ .kind = KAPI_ACPI_RES_IRQ,
					   .irq = p->cmdqv_irq };
	g.adev.dev.init_name = "guest NVDA200C:00";
	g.adev.hid = "NVDA200C";
	g.adev.uid = "0";
	g.adev.crs = g.crs;
	g.adev.ncrs = 2;
	g.cmdqv_res[0] =
		(struct resource){ .start = p->cmdqv_pa,
				   .end = p->cmdqv_pa + p->cmdqv_size - 1,
				   .flags = IORESOURCE_MEM };
	g.cmdqv_res[1] = (struct resource){ .start = (u64)p->cmdqv_irq,
					    .end = (u64)p->cmdqv_irq,
					    .flags = IORESOURCE_IRQ };
	g.cmdqv_pdev.name = "NVDA200C:00";
	g.cmdqv_pdev.dev.init_name = "guest NVDA200C:00";
	g.cmdqv_pdev.resource = g.cmdqv_res;
	g.cmdqv_pdev.num_resources = 2;
	g.adev.physical_node = &g.cmdqv_pdev.dev;
	kapi_acpi_register(&g.adev);
}

LXG_API void lxg_detach(void)
{
	kapi_acpi_register(NULL);
	kapi_irq_reset();
	kapi_iommufd_reset();
	devres_forget_all(&g.pdev.dev);
	devres_forget_all(&g.cmdqv_pdev.dev);
	devres_forget_all(&g.adev.dev);
	kapi_free_all();
	kapi_host_set(NULL);
	g.h = NULL;
	g.probed = false;
}

LXG_API int lxg_probe(void)
{
	int ret = lxd_probe(&g.pdev);

	g.probed = ret == 0;
	return ret;
}

LXG_API void lxg_remove(void)
{
	if (!g.probed)
		return;
	lxd_remove(&g.pdev);
	devres_release_all(&g.pdev.dev);
	g.probed = false;
}

LXG_API bool lxg_uses_cmdqv(void)
{
	return g.probed && lxd_uses_cmdqv(&g.pdev);
}

LXG_API int lxg_queue_for_cpu(void)
{
	return lxd_queue_for_cpu(&g.pdev);
}

LXG_API int lxg_tlbi_asid(uint16_t asid, unsigned n)
{
	return lxd_tlbi_asid(&g.pdev, asid, n);
}

LXG_API int lxg_tlbi_va(uint16_t vmid, uint16_t asid, uint64_t iova)
{
	return lxd_tlbi_va(&g.pdev, vmid, asid, iova);
}

LXG_API int lxg_atc_inv(uint32_t sid, uint64_t iova, size_t size)
{
	return lxd_atc_inv(&g.pdev, sid, iova, size);
}

LXG_API int lxg_cfgi_ste(uint32_t sid)
{
	return lxd_cfgi_ste(&g.pdev, sid);
}

LXG_API int lxg_issue_raw(const uint64_t *cmds, int n, bool sync)
{
	return lxd_issue_raw(&g.pdev, cmds, n, sync, false);
}

LXG_API void lxg_mmio_write(uint64_t pa, unsigned size, uint64_t v)
{
	kapi_mmio_write((volatile void __iomem *)(uintptr_t)pa, size, v);
}

LXG_API const char *lxg_log(void)
{
	return g.h && g.h->log ? g.h->log : "";
}

LXG_API unsigned lxg_log_count(const char *needle)
{
	return kapi_log_count(lxg_log(), needle);
}
