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
	struct kapi_fw fw;
	bool probed;
} g;

LXG_API void lxg_attach(struct kapi_host *h, const struct lxg_platform *p)
{
	memset(&g, 0, sizeof(g));
	g.h = h;
	kapi_host_set(h);
	kapi_irq_reset();
	kapi_iommufd_reset();
	/* IORT: an SMMUv3 node as a VMM's (QEMU virt's) table has it, and
	 * the NVDA200C device the VMM puts in the guest's DSDT */
	kapi_fw_build(&g.fw, &(const struct kapi_fw_desc){
				     .smmu_name = "guest arm-smmu-v3.0.auto",
				     .cmdqv_name = "guest NVDA200C:00",
				     .smmu_pa = p->smmu_pa,
				     .gerror_irq = (unsigned int)p->gerror_irq,
				     .coherent = true,
				     .cmdqv = p->cmdqv,
				     .cmdqv_pa = p->cmdqv_pa,
				     .cmdqv_size = p->cmdqv_size,
				     .cmdqv_irq = (unsigned int)p->cmdqv_irq,
			     });
}

LXG_API void lxg_detach(void)
{
	kapi_acpi_register(NULL);
	kapi_irq_reset();
	kapi_iommufd_reset();
	devres_forget_all(&g.fw.pdev.dev);
	devres_forget_all(&g.fw.cmdqv_pdev.dev);
	devres_forget_all(&g.fw.adev.dev);
	kapi_free_all();
	kapi_host_set(NULL);
	g.h = NULL;
	g.probed = false;
}

LXG_API int lxg_probe(void)
{
	int ret = lxd_probe(&g.fw.pdev);

	g.probed = ret == 0;
	return ret;
}

LXG_API void lxg_remove(void)
{
	if (!g.probed)
		return;
	lxd_remove(&g.fw.pdev);
	devres_release_all(&g.fw.pdev.dev);
	g.probed = false;
}

LXG_API bool lxg_uses_cmdqv(void)
{
	return g.probed && lxd_uses_cmdqv(&g.fw.pdev);
}

LXG_API int lxg_queue_for_cpu(void)
{
	return lxd_queue_for_cpu(&g.fw.pdev);
}

LXG_API int lxg_tlbi_asid(uint16_t asid, unsigned n)
{
	return lxd_tlbi_asid(&g.fw.pdev, asid, n);
}

LXG_API int lxg_tlbi_va(uint16_t vmid, uint16_t asid, uint64_t iova)
{
	return lxd_tlbi_va(&g.fw.pdev, vmid, asid, iova);
}

LXG_API int lxg_atc_inv(uint32_t sid, uint64_t iova, size_t size)
{
	return lxd_atc_inv(&g.fw.pdev, sid, iova, size);
}

LXG_API int lxg_cfgi_ste(uint32_t sid)
{
	return lxd_cfgi_ste(&g.fw.pdev, sid);
}

LXG_API int lxg_issue_raw(const uint64_t *cmds, int n, bool sync)
{
	return lxd_issue_raw(&g.fw.pdev, cmds, n, sync, false);
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
