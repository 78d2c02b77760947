/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kapi_dev.c - platform devices, ACPI resources, interrupts and the IOMMU
 * core entry points the drivers call, per the kernel's documentation
 * (driver-api/driver-model/platform.rst, firmware-guide/acpi/, core-api/
 * genericirq.rst, iommu.h kernel-doc).  Interrupts are the model's wired
 * lines (there is no MSI domain, so the SMMU driver falls back to wired
 * IRQs, as it logs); each goes to the simulated CPUs' IRQ context.
 */
#include <linux/kernel.h>
#include <linux/iommu.h>
#include <linux/io-pgtable.h>
#include <stdlib.h>

#include "kapi_host.h"
#include "lx_kapi_glue.h"

const struct bus_type pci_bus_type = { .name = "pci" };
const struct bus_type platform_bus_type = { .name = "platform" };
struct dentry *iommu_debugfs_dir;

static void unsupported(const char *what)
{
	struct kapi_host *h = kapi_host_get();

	if (h)
		h->n.unsupported++;
	kapi_log(NULL, 4, "kapi: %s: not modelled by the harness\n", what);
}

void put_device(struct device *dev)
{
	if (dev)
		dev->refs--;
}

/* ---- platform device ---- */

struct resource *platform_get_resource(struct platform_device *pdev,
				       unsigned int type, unsigned int n)
{
	u32 i;

	for (i = 0; i < pdev->num_resources; i++)
		if ((pdev->resource[i].flags & type) && n-- == 0)
			return &pdev->resource[i];
	return NULL;
}

int platform_get_irq_byname_optional(struct platform_device *pdev,
				     const char *name)
{
	u32 i;

	for (i = 0; i < pdev->num_resources; i++)
		if ((pdev->resource[i].flags & IORESOURCE_IRQ) &&
		    pdev->resource[i].name &&
		    !strcmp(pdev->resource[i].name, name))
			return (int)pdev->resource[i].start;
	return -ENXIO;
}

int platform_get_irq_optional(struct platform_device *pdev, unsigned int n)
{
	struct resource *r = platform_get_resource(pdev, IORESOURCE_IRQ, n);

	return r ? (int)r->start : -ENXIO;
}

int platform_get_irq(struct platform_device *pdev, unsigned int n)
{
	int irq = platform_get_irq_optional(pdev, n);

	if (irq < 0)
		dev_err(&pdev->dev, "IRQ index %u not found\n", n);
	return irq;
}

int platform_irq_count(struct platform_device *pdev)
{
	int n = 0;

	while (platform_get_irq_optional(pdev, (unsigned int)n) > 0)
		n++;
	return n;
}

int device_property_read_u32(struct device *dev, const char *name, u32 *v)
{
	(void)dev, (void)name, (void)v;
	return -EINVAL;
}

bool device_property_read_bool(struct device *dev, const char *name)
{
	(void)dev, (void)name;
	return false;
}

int of_property_read_u32(const struct device_node *np, const char *name, u32 *v)
{
	(void)np, (void)name, (void)v;
	return -EINVAL;
}

bool of_property_read_bool(const struct device_node *np, const char *name)
{
	(void)np, (void)name;
	return false;
}

struct device *bus_find_device_by_fwnode(const struct bus_type *bus,
					 const struct fwnode_handle *fw)
{
	(void)bus, (void)fw;
	unsupported("bus_find_device_by_fwnode");
	return NULL;
}

struct device *driver_find_device_by_fwnode(struct device_driver *drv,
					    const struct fwnode_handle *fw)
{
	(void)drv, (void)fw;
	unsupported("driver_find_device_by_fwnode");
	return NULL;
}

/* ---- interrupts ---- */

enum cmdqv_irq kapi_irq_line(const struct kapi_host *h, int line)
{
	return h->virtual_irqs ? SIMCPU_VIRQ(line) : (enum cmdqv_irq)line;
}

/** struct kapi_irq - one requested Linux IRQ, bound to a model line. */
struct kapi_irq {
	irq_handler_t hard, thread;
	int irq;
	void *dev_id;
	bool used;
};

static struct kapi_irq irqs[CMDQV_IRQ_COUNT];

static int irq_hard(void *arg)
{
	struct kapi_irq *e = arg;

	return (int)e->hard(e->irq, e->dev_id);
}

static void irq_thread(void *arg)
{
	struct kapi_irq *e = arg;

	e->thread(e->irq, e->dev_id);
}

int request_threaded_irq(unsigned int irq, irq_handler_t h, irq_handler_t t,
			 unsigned long flags, const char *name, void *dev_id)
{
	struct kapi_host *host = kapi_host_get();
	int line = (int)irq - KAPI_IRQ_BASE;
	struct kapi_irq *e;

	(void)flags, (void)name;
	if (line < 0 || line >= CMDQV_IRQ_COUNT || (!h && !t))
		return -EINVAL;
	e = &irqs[line];
	if (e->used)
		return -EBUSY;
	*e = (struct kapi_irq){ h, t, (int)irq, dev_id, true };
	/* a guest's lines are the VMM's virtual ones (kapi_virq_line) */
	if (simcpu_request_irq(host->cpus, kapi_irq_line(host, line),
			       h ? irq_hard : NULL, t ? irq_thread : NULL,
			       e) != CMDQV_OK) {
		e->used = false;
		return -EBUSY;
	}
	host->n.irq_requests++;
	return 0;
}

const void *free_irq(unsigned int irq, void *dev_id)
{
	int line = (int)irq - KAPI_IRQ_BASE;

	if (line < 0 || line >= CMDQV_IRQ_COUNT || !irqs[line].used ||
	    irqs[line].dev_id != dev_id)
		return NULL;
	simcpu_free_irq(kapi_host_get()->cpus,
			kapi_irq_line(kapi_host_get(), line));
	irqs[line].used = false;
	return NULL;
}

struct devm_irq {
	unsigned int irq;
	void *dev_id;
};

static void devm_irq_release(void *p)
{
	struct devm_irq *d = p;

	free_irq(d->irq, d->dev_id);
	kfree(d);
}

int devm_request_threaded_irq(struct device *dev, unsigned int irq,
			      irq_handler_t h, irq_handler_t t,
			      unsigned long flags, const char *name,
			      void *dev_id)
{
	struct devm_irq *d;
	int ret = request_threaded_irq(irq, h, t, flags, name, dev_id);

	if (ret)
		return ret;
	d = kmalloc(sizeof(*d), GFP_KERNEL);
	if (!d) {
		free_irq(irq, dev_id);
		return -ENOMEM;
	}
	d->irq = irq;
	d->dev_id = dev_id;
	return devm_add_action_or_reset(dev, devm_irq_release, d);
}

/** Forget every IRQ binding (the harness tears down its CPUs). */
void kapi_irq_reset(void)
{
	memset(irqs, 0, sizeof(irqs));
}

int platform_device_msi_init_and_alloc_irqs(struct device *dev, unsigned int n,
					    irq_write_msi_msg_t f)
{
	(void)dev, (void)n, (void)f;
	return -ENODEV;
}

int platform_msi_domain_alloc_irqs(struct device *dev, unsigned int n,
				   irq_write_msi_msg_t f)
{
	(void)dev, (void)n, (void)f;
	return -ENODEV;
}

void platform_device_msi_free_irqs_all(struct device *dev)
{
	(void)dev;
}

void platform_msi_domain_free_irqs(struct device *dev)
{
	(void)dev;
}

int msi_get_virq(struct device *dev, unsigned int index)
{
	(void)dev, (void)index;
	return 0;
}

/* ---- ACPI: the harness registers one companion device ---- */

static struct acpi_device *acpi_devs[4];

/** Register @adev for acpi_dev_get_first_match_dev() (NULL clears all). */
void kapi_acpi_register(struct acpi_device *adev)
{
	unsigned i;

	if (!adev) {
		memset(acpi_devs, 0, sizeof(acpi_devs));
		return;
	}
	for (i = 0; i < ARRAY_SIZE(acpi_devs); i++)
		if (!acpi_devs[i]) {
			acpi_devs[i] = adev;
			return;
		}
}

struct acpi_device *acpi_dev_get_first_match_dev(const char *hid,
						 const char *uid, s64 hrv)
{
	unsigned i;

	(void)hrv;
	for (i = 0; i < ARRAY_SIZE(acpi_devs); i++)
		if (acpi_devs[i] &&
		    acpi_dev_hid_uid_match(acpi_devs[i], hid, uid)) {
			acpi_devs[i]->dev.refs++;
			return acpi_devs[i];
		}
	return NULL;
}

static void acpi_to_resource(const struct acpi_resource *a, struct resource *r)
{
	memset(r, 0, sizeof(*r));
	if (a->kind == KAPI_ACPI_RES_MEM) {
		r->start = a->start;
		r->end = a->start + a->len - 1;
		r->flags = IORESOURCE_MEM;
	} else {
		r->start = r->end = a->irq;
		r->flags = IORESOURCE_IRQ;
	}
}

/* acpi_dev_get_resources(): @preproc > 0 skips the entry, < 0 aborts, 0
 * adds it to @list; returns the number added or a negative error */
int acpi_dev_get_resources(struct acpi_device *adev, struct list_head *list,
			   int (*preproc)(struct acpi_resource *, void *),
			   void *data)
{
	unsigned i;
	int n = 0;

	for (i = 0; i < adev->ncrs; i++) {
		struct resource_entry *e;
		int ret = preproc ? preproc(&adev->crs[i], data) : 0;

		if (ret < 0) {
			acpi_dev_free_resource_list(list);
			return ret;
		}
		if (ret > 0)
			continue;
		e = kzalloc(sizeof(*e), GFP_KERNEL);
		if (!e)
			return -ENOMEM;
		acpi_to_resource(&adev->crs[i], &e->__res);
		e->res = &e->__res;
		list_add_tail(&e->node, list);
		n++;
	}
	return n;
}

void acpi_dev_free_resource_list(struct list_head *list)
{
	struct resource_entry *e, *t;

	list_for_each_entry_safe(e, t, list, node)
	{
		list_del(&e->node);
		kfree(e);
	}
}

bool acpi_dev_resource_address_space(struct acpi_resource *r,
				     struct resource_win *win)
{
	if (r->kind != KAPI_ACPI_RES_MEM)
		return false;
	acpi_to_resource(r, &win->res);
	win->offset = 0;
	return true;
}

bool acpi_dev_resource_memory(struct acpi_resource *r, struct resource *res)
{
	if (r->kind != KAPI_ACPI_RES_MEM)
		return false;
	acpi_to_resource(r, res);
	return true;
}

bool acpi_dev_resource_interrupt(struct acpi_resource *r, int index,
				 struct resource *res)
{
	if (r->kind != KAPI_ACPI_RES_IRQ || index != 0)
		return false;
	acpi_to_resource(r, res);
	return true;
}

/* ---- PCI: no PCI devices are modelled ---- */

int pci_prepare_ats(struct pci_dev *pdev, int ps)
{
	(void)pdev, (void)ps;
	return -ENODEV;
}

bool pci_ats_required(struct pci_dev *pdev)
{
	(void)pdev;
	return false;
}

int pci_enable_ats(struct pci_dev *pdev, int ps)
{
	(void)pdev, (void)ps;
	unsupported("pci_enable_ats");
	return -ENODEV;
}

void pci_disable_ats(struct pci_dev *pdev)
{
	(void)pdev;
}

bool pci_ats_supported(struct pci_dev *pdev)
{
	(void)pdev;
	return false;
}

int pci_ats_queue_depth(struct pci_dev *pdev)
{
	(void)pdev;
	return 0;
}

int pci_max_pasids(struct pci_dev *pdev)
{
	(void)pdev;
	return -ENODEV;
}

int pci_pasid_features(struct pci_dev *pdev)
{
	(void)pdev;
	return -ENODEV;
}

int pci_enable_pasid(struct pci_dev *pdev, int features)
{
	(void)pdev, (void)features;
	return -ENODEV;
}

void pci_disable_pasid(struct pci_dev *pdev)
{
	(void)pdev;
}

/* ---- the IOMMU core: registration is recorded; the domain and device
 * paths (attach, page tables) are outside the harness's scenarios ---- */

int iommu_device_register(struct iommu_device *iommu,
			  const struct iommu_ops *ops, struct device *hwdev)
{
	iommu->ops = ops;
	iommu->dev = hwdev;
	return 0;
}

void iommu_device_unregister(struct iommu_device *iommu)
{
	iommu->ops = NULL;
}

int iommu_device_sysfs_add(struct iommu_device *iommu, struct device *parent,
			   const struct attribute_group **groups,
			   const char *fmt, ...)
{
	(void)iommu, (void)parent, (void)groups, (void)fmt;
	return 0;
}

void iommu_device_sysfs_remove(struct iommu_device *iommu)
{
	(void)iommu;
}

int iommu_fwspec_add_ids(struct device *dev, const u32 *ids, int num_ids)
{
	(void)dev, (void)ids, (void)num_ids;
	unsupported("iommu_fwspec_add_ids");
	return -ENODEV;
}

struct iommu_domain *iommu_get_domain_for_dev(struct device *dev)
{
	(void)dev;
	return NULL;
}

/* 7.x: iommu_driver_get_domain_for_dev(); harmless to define on 6.12 */
struct iommu_domain *iommu_driver_get_domain_for_dev(struct device *dev);
struct iommu_domain *iommu_driver_get_domain_for_dev(struct device *dev)
{
	(void)dev;
	return NULL;
}

void dev_iommu_priv_set(struct device *dev, void *priv)
{
	(void)dev, (void)priv;
	unsupported("dev_iommu_priv_set");
}

struct iommu_group *generic_device_group(struct device *dev)
{
	(void)dev;
	unsupported("generic_device_group");
	return ERR_PTR(-ENODEV);
}

struct iommu_group *pci_device_group(struct device *dev)
{
	(void)dev;
	unsupported("pci_device_group");
	return ERR_PTR(-ENODEV);
}

struct iommu_resv_region *iommu_alloc_resv_region(phys_addr_t start,
						  size_t length, int prot,
						  enum iommu_resv_type type,
						  gfp_t gfp)
{
	(void)start, (void)length, (void)prot, (void)type, (void)gfp;
	unsupported("iommu_alloc_resv_region");
	return NULL;
}

struct io_pgtable_ops *alloc_io_pgtable_ops(enum io_pgtable_fmt fmt,
					    struct io_pgtable_cfg *cfg,
					    void *cookie)
{
	(void)fmt, (void)cfg, (void)cookie;
	unsupported("alloc_io_pgtable_ops");
	return NULL;
}

void free_io_pgtable_ops(struct io_pgtable_ops *ops)
{
	(void)ops;
}

void kapi_fw_build(struct kapi_fw *fw, const struct kapi_fw_desc *d)
{
	/* IORT SMMUv3 node, identifier 0 (NVDA200C's _UID "0") */
	fw->iort.hdr.type = ACPI_IORT_NODE_SMMU_V3;
	fw->iort.hdr.length = sizeof(fw->iort);
	fw->iort.hdr.revision = 4;
	fw->iort.hdr.identifier = 0;
	fw->iort.smmu.base_address = d->smmu_pa;
	fw->iort.smmu.flags = d->coherent ? ACPI_IORT_SMMU_V3_COHACC_OVERRIDE :
					    0;
	fw->iort.smmu.model = ACPI_IORT_SMMU_V3_GENERIC;
	fw->iort.smmu.gerr_gsiv = d->gerror_irq;
	fw->iort_ptr = &fw->iort.hdr;
	fw->res[0] = (struct resource){ .start = d->smmu_pa,
					.end = d->smmu_pa + 0x20000 - 1,
					.flags = IORESOURCE_MEM };
	fw->res[1] = (struct resource){ .start = d->gerror_irq,
					.end = d->gerror_irq,
					.name = "gerror",
					.flags = IORESOURCE_IRQ };
	fw->pdev.name = "arm-smmu-v3";
	fw->pdev.dev.init_name = d->smmu_name;
	fw->pdev.dev.platform_data = &fw->iort_ptr;
	fw->pdev.resource = fw->res;
	fw->pdev.num_resources = 2;
	kapi_acpi_register(NULL);
	if (!d->cmdqv)
		return;
	fw->crs[0] = (struct acpi_resource){ .kind = KAPI_ACPI_RES_MEM,
					     .start = d->cmdqv_pa,
					     .len = d->cmdqv_size };
	fw->crs[1] = (struct acpi_resource){ .kind = KAPI_ACPI_RES_IRQ,
					     .irq = d->cmdqv_irq };
	fw->adev.dev.init_name = d->cmdqv_name;
	fw->adev.hid = "NVDA200C";
	fw->adev.uid = "0";
	fw->adev.crs = fw->crs;
	fw->adev.ncrs = 2;
	fw->cmdqv_res[0] =
		(struct resource){ .start = d->cmdqv_pa,
				   .end = d->cmdqv_pa + d->cmdqv_size - 1,
				   .flags = IORESOURCE_MEM };
	fw->cmdqv_res[1] = (struct resource){ .start = d->cmdqv_irq,
					      .end = d->cmdqv_irq,
					      .flags = IORESOURCE_IRQ };
	fw->cmdqv_pdev.name = "NVDA200C:00";
	fw->cmdqv_pdev.dev.init_name = d->cmdqv_name;
	fw->cmdqv_pdev.resource = fw->cmdqv_res;
	fw->cmdqv_pdev.num_resources = 2;
	fw->adev.physical_node = &fw->cmdqv_pdev.dev;
	kapi_acpi_register(&fw->adev);
}
