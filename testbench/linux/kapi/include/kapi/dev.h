/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dev.h - devices, platform devices and resources, interrupts, the ACPI
 * objects the drivers look up (IORT node, NVDA200C companion, _CRS
 * resources), and the small kernel services they use (ida, xarray, work,
 * notifiers, debugfs, modules).  Only what the two drivers reach; anything
 * a path outside the harness's scenarios needs is declared and reported as
 * unsupported at run time (kapi_stubs.c).
 */
#ifndef KAPI_DEV_H
#define KAPI_DEV_H

#include "base.h"
#include "mem.h"
#include "sync.h"

struct module;
#define THIS_MODULE ((struct module *)0)
#define MODULE_DEVICE_TABLE(t, n)
#define MODULE_DESCRIPTION(s)
#define MODULE_AUTHOR(s)
#define MODULE_ALIAS(s)
#define MODULE_LICENSE(s)
#define MODULE_IMPORT_NS(s)
#define module_param(n, t, p)
#define module_param_named(n, v, t, p)
#define MODULE_PARM_DESC(n, d)
#define module_init(f)
#define module_exit(f)
#define module_driver(drv, reg, unreg, ...)
#define builtin_platform_driver(d)
#define module_platform_driver(d)
#define subsys_initcall(f)
#define late_initcall(f)
#define arch_initcall(f)
static inline bool try_module_get(struct module *m)
{
	(void)m;
	return true;
}
#define module_put(m) ((void)(m))

struct fwnode_handle {
	const char *name;
};
struct device_node {
	struct fwnode_handle fwnode;
	const char *name;
};
struct dev_iommu;
struct iommu_group;
struct device_driver {
	const char *name;
	const void *of_match_table;
	bool suppress_bind_attrs;
};
struct attribute_group;
struct bus_type {
	const char *name;
};

/** struct device - the fields the drivers and iommu.h touch, plus devres. */
struct device {
	const char *init_name;
	struct device *parent;
	struct device_node *of_node;
	struct fwnode_handle *fwnode;
	void *platform_data;
	void *driver_data;
	struct dev_iommu *iommu;
	struct iommu_group *iommu_group;
	const struct bus_type *bus;
	struct device_driver *driver;
	struct {
		void *domain;
	} msi;
	u64 dma_mask_v;
	u64 *dma_mask;
	u64 coherent_dma_mask;
	struct list_head devres; /* kapi: managed resources, newest first */
	int refs;
};
#define dev_name(d) ((d)->init_name)
#define dev_get_platdata(d) ((d)->platform_data)
#define dev_get_drvdata(d) ((d)->driver_data)
#define dev_set_drvdata(d, p) ((d)->driver_data = (p))
#define dev_fwnode(d) ((d)->fwnode)
#define dev_of_node(d) ((d)->of_node)
#define dev_is_pci(d) ((d)->bus == &pci_bus_type)
#define dev_to_node(d) 0
#define get_device(d) (d)
void put_device(struct device *dev);
#define device_link_add(a, b, f) NULL
#define device_iommu_mapped(d) ((d)->iommu_group != NULL)
#define fwnode_handle_put(f) ((void)(f))
#define of_node_put(n) ((void)(n))
#define of_node_get(n) (n)
#define of_fwnode_handle(n) (&(n)->fwnode)
#define is_of_node(f) false
#define to_of_node(f) ((struct device_node *)NULL)
struct of_device_id {
	char compatible[128];
	const void *data;
};
struct of_phandle_args {
	struct device_node *np;
	int args_count;
	u32 args[16];
};
int of_property_read_u32(const struct device_node *np, const char *name,
			 u32 *v);
bool of_property_read_bool(const struct device_node *np, const char *name);
#define of_dma_is_coherent(n) true
#define of_device_is_compatible(n, c) 0
#define of_match_ptr(p) (p)
#define of_parse_phandle(n, p, i) NULL
#define of_find_device_by_node(n) ((struct platform_device *)NULL)

/* ---- resources ---- */
#define IORESOURCE_MEM 0x200
#define IORESOURCE_IRQ 0x400
struct resource {
	resource_size_t start, end;
	const char *name;
	unsigned long flags;
};
struct resource_win {
	struct resource res;
	resource_size_t offset;
};
struct resource_entry {
	struct list_head node;
	struct resource *res;
	resource_size_t offset;
	struct resource __res;
};
#define DEFINE_RES_MEM(s, n) \
	((struct resource){  \
		.start = (s), .end = (s) + (n)-1, .flags = IORESOURCE_MEM })
static inline resource_size_t resource_size(const struct resource *r)
{
	return r->end - r->start + 1;
}
void __iomem *devm_ioremap_resource(struct device *dev,
				    const struct resource *r);

/* ---- platform devices ---- */
struct platform_device {
	const char *name;
	int id;
	struct device dev;
	u32 num_resources;
	struct resource *resource;
};
struct platform_device_id {
	char name[20];
	unsigned long driver_data;
};
/** struct platform_driver - 6.12 has remove_new(), 7.x remove() (void). */
struct platform_driver {
	int (*probe)(struct platform_device *);
	void (*remove)(struct platform_device *);
	void (*remove_new)(struct platform_device *);
	void (*shutdown)(struct platform_device *);
	struct device_driver driver;
	const struct platform_device_id *id_table;
};
#define to_platform_device(d) container_of(d, struct platform_device, dev)
#define platform_get_drvdata(p) dev_get_drvdata(&(p)->dev)
#define platform_set_drvdata(p, v) dev_set_drvdata(&(p)->dev, v)
struct resource *platform_get_resource(struct platform_device *pdev,
				       unsigned int type, unsigned int n);
int platform_get_irq_byname_optional(struct platform_device *pdev,
				     const char *name);
int platform_get_irq_optional(struct platform_device *pdev, unsigned int n);
int platform_get_irq(struct platform_device *pdev, unsigned int n);
int platform_irq_count(struct platform_device *pdev);
#define platform_driver_register(d) 0
#define platform_driver_unregister(d) ((void)(d))
#define dev_is_platform(d) true

/* ---- interrupts ---- */
typedef enum irqreturn {
	IRQ_NONE = 0,
	IRQ_HANDLED = 1,
	IRQ_WAKE_THREAD = 2,
} irqreturn_t;
typedef irqreturn_t (*irq_handler_t)(int, void *);
#define IRQF_ONESHOT 0x2000u
#define IRQF_SHARED 0x80u
int request_threaded_irq(unsigned int irq, irq_handler_t h, irq_handler_t t,
			 unsigned long flags, const char *name, void *dev_id);
static inline int request_irq(unsigned int irq, irq_handler_t h,
			      unsigned long flags, const char *name,
			      void *dev_id)
{
	return request_threaded_irq(irq, h, NULL, flags, name, dev_id);
}
const void *free_irq(unsigned int irq, void *dev_id);
int devm_request_threaded_irq(struct device *dev, unsigned int irq,
			      irq_handler_t h, irq_handler_t t,
			      unsigned long flags, const char *name,
			      void *dev_id);
static inline int devm_request_irq(struct device *dev, unsigned int irq,
				   irq_handler_t h, unsigned long flags,
				   const char *name, void *dev_id)
{
	return devm_request_threaded_irq(dev, irq, h, NULL, flags, name,
					 dev_id);
}
#define synchronize_irq(i) ((void)(i))
#define disable_irq(i) ((void)(i))
#define enable_irq(i) ((void)(i))

/* MSI: no MSI domain exists, the driver falls back to wired interrupts */
struct msi_msg {
	u32 address_lo, address_hi, data;
};
struct msi_desc {
	u16 msi_index;
	unsigned int irq;
	struct device *dev;
};
typedef void (*irq_write_msi_msg_t)(struct msi_desc *desc, struct msi_msg *msg);
#define msi_desc_to_dev(d) ((d)->dev)
int platform_device_msi_init_and_alloc_irqs(struct device *dev, unsigned int n,
					    irq_write_msi_msg_t f);
int platform_msi_domain_alloc_irqs(struct device *dev, unsigned int n,
				   irq_write_msi_msg_t f);
void platform_device_msi_free_irqs_all(struct device *dev);
void platform_msi_domain_free_irqs(struct device *dev);
int msi_get_virq(struct device *dev, unsigned int index);
#define dev_get_msi_domain(d) ((d)->msi.domain)

/* ---- ACPI: the objects the drivers read (layouts from the ACPI and IORT
 * specifications: IORT node header and SMMUv3 node, DEN 0049) ---- */
typedef u32 acpi_status;
typedef void *acpi_handle;
#define AE_OK 0
#define ACPI_SUCCESS(s) ((s) == AE_OK)
#define ACPI_FAILURE(s) ((s) != AE_OK)
struct acpi_iort_node {
	u8 type;
	u16 length;
	u8 revision;
	u32 identifier;
	u32 mapping_count;
	u32 mapping_offset;
	char node_data[];
} __packed;
struct acpi_iort_smmu_v3 {
	u64 base_address;
	u32 flags;
	u32 reserved;
	u64 vatos_address;
	u32 model;
	u32 event_gsiv;
	u32 pri_gsiv;
	u32 gerr_gsiv;
	u32 sync_gsiv;
	u32 pxm;
	u32 id_mapping_index;
} __packed;
#define ACPI_IORT_NODE_SMMU_V3 0x04
#define ACPI_IORT_SMMU_V3_GENERIC 0x00000000
#define ACPI_IORT_SMMU_V3_HISILICON_HI161X 0x00000001
#define ACPI_IORT_SMMU_V3_CAVIUM_CN99XX 0x00000002
#define ACPI_IORT_SMMU_V3_COHACC_OVERRIDE (1)
#define ACPI_IORT_SMMU_V3_HTTU_OVERRIDE (3 << 1)
#define ACPI_IORT_SMMU_V3_PXM_VALID (1 << 3)
#define ACPI_IORT_SMMU_V3_DEVICEID_VALID (1 << 4)

/** struct acpi_resource - one _CRS entry: a memory window or an interrupt. */
enum kapi_acpi_res_kind { KAPI_ACPI_RES_MEM, KAPI_ACPI_RES_IRQ };
struct acpi_resource {
	enum kapi_acpi_res_kind kind;
	u64 start, len; /* MEM */
	u32 irq; /* IRQ (Linux IRQ number) */
};
/** struct acpi_device - an ACPI namespace device (NVDA200C) and its _CRS. */
struct acpi_device {
	struct device dev;
	const char *hid;
	const char *uid;
	struct acpi_resource *crs;
	unsigned int ncrs;
	struct device *physical_node; /* the platform device it enumerates */
};
#define acpi_get_first_physical_node(a) ((a)->physical_node)
#define to_acpi_device(d) container_of(d, struct acpi_device, dev)
#define ACPI_COMPANION(d) ((struct acpi_device *)NULL)
#define has_acpi_companion(d) false
#define acpi_disabled 0
struct acpi_device *acpi_dev_get_first_match_dev(const char *hid,
						 const char *uid, s64 hrv);
int acpi_dev_get_resources(struct acpi_device *adev, struct list_head *list,
			   int (*preproc)(struct acpi_resource *, void *),
			   void *data);
void acpi_dev_free_resource_list(struct list_head *list);
bool acpi_dev_resource_address_space(struct acpi_resource *r,
				     struct resource_win *win);
bool acpi_dev_resource_memory(struct acpi_resource *r, struct resource *res);
bool acpi_dev_resource_interrupt(struct acpi_resource *r, int index,
				 struct resource *res);
#define acpi_dev_put(a) put_device(&(a)->dev)
#define acpi_device_hid(a) ((a)->hid)
static inline bool acpi_dev_hid_uid_match(struct acpi_device *a,
					  const char *hid, const char *uid)
{
	return !strcmp(a->hid, hid) && (!uid || !strcmp(a->uid, uid));
}

/* ---- PCI (no PCI bus is modelled: ATS and PRI paths see none) ---- */
struct pci_bus {
	int number;
};
struct pci_dev {
	struct device dev;
	struct pci_bus *bus;
	unsigned int devfn;
	bool ats_enabled, pasid_enabled, pri_enabled;
	u16 vendor, device;
};
extern const struct bus_type pci_bus_type;
extern const struct bus_type platform_bus_type;
#define to_pci_dev(d) container_of(d, struct pci_dev, dev)
#define pci_dev_id(p) ((u16)(((p)->bus->number << 8) | (p)->devfn))
int pci_prepare_ats(struct pci_dev *pdev, int ps);
bool pci_ats_required(struct pci_dev *pdev);
int pci_enable_ats(struct pci_dev *pdev, int ps);
void pci_disable_ats(struct pci_dev *pdev);
bool pci_ats_supported(struct pci_dev *pdev);
int pci_ats_queue_depth(struct pci_dev *pdev);
int pci_enable_pri(struct pci_dev *pdev, u32 reqs);
void pci_disable_pri(struct pci_dev *pdev);
int pci_reset_pri(struct pci_dev *pdev);
bool pci_pri_supported(struct pci_dev *pdev);
int pci_max_pasids(struct pci_dev *pdev);
int pci_pasid_features(struct pci_dev *pdev);
int pci_enable_pasid(struct pci_dev *pdev, int features);
void pci_disable_pasid(struct pci_dev *pdev);
int pci_prg_resp_pasid_required(struct pci_dev *pdev);
bool pci_device_is_present(struct pci_dev *pdev);
int pci_for_each_dma_alias(struct pci_dev *pdev,
			   int (*fn)(struct pci_dev *, u16, void *),
			   void *data);
#define PCI_DEVID(bus, devfn) ((((u16)(bus)) << 8) | (devfn))
#define PCI_BUS_NUM(x) (((x) >> 8) & 0xff)
#define PCI_FUNC(devfn) ((devfn)&0x07)
#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_PASID_CAP_EXEC 0x02
#define PCI_PASID_CAP_PRIV 0x04

/* ---- small services ---- */
struct ida {
	unsigned long *map;
	unsigned int size;
};
#define DEFINE_IDA(n) struct ida n = { NULL, 0 }
void ida_init(struct ida *ida);
void ida_destroy(struct ida *ida);
int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max,
		    gfp_t gfp);
#define ida_alloc_max(ida, max, gfp) ida_alloc_range(ida, 0, max, gfp)
#define ida_alloc(ida, gfp) ida_alloc_range(ida, 0, INT_MAX, gfp)
void ida_free(struct ida *ida, unsigned int id);

/** struct xarray - an id -> pointer map (a small array here). */
struct xarray {
	spinlock_t xa_lock;
	unsigned int flags;
	void **slot;
	unsigned long size;
};
struct xa_limit {
	u32 max, min;
};
#define XA_LIMIT(lo, hi) ((struct xa_limit){ .max = (hi), .min = (lo) })
#define XA_FLAGS_ALLOC 0x1u
#define XA_FLAGS_ALLOC1 0x3u
#define DEFINE_XARRAY_ALLOC1(n) struct xarray n = { .flags = XA_FLAGS_ALLOC1 }
#define DEFINE_XARRAY_ALLOC(n) struct xarray n = { .flags = XA_FLAGS_ALLOC }
#define DEFINE_XARRAY(n) struct xarray n = { .flags = 0 }
void xa_init_flags(struct xarray *xa, unsigned int flags);
#define xa_init(xa) xa_init_flags(xa, 0)
void xa_destroy(struct xarray *xa);
void *xa_load(struct xarray *xa, unsigned long i);
void *xa_store(struct xarray *xa, unsigned long i, void *p, gfp_t gfp);
void *xa_erase(struct xarray *xa, unsigned long i);
void *xa_cmpxchg(struct xarray *xa, unsigned long i, void *old, void *p,
		 gfp_t gfp);
int xa_alloc(struct xarray *xa, u32 *id, void *p, struct xa_limit lim,
	     gfp_t gfp);
int xa_insert(struct xarray *xa, unsigned long i, void *p, gfp_t gfp);
#define __xa_store xa_store
#define __xa_erase xa_erase
#define __xa_cmpxchg xa_cmpxchg
#define __xa_alloc xa_alloc
#define xa_lock(xa) spin_lock(&(xa)->xa_lock)
#define xa_unlock(xa) spin_unlock(&(xa)->xa_lock)
#define xa_lock_irqsave(xa, f) spin_lock_irqsave(&(xa)->xa_lock, f)
#define xa_unlock_irqrestore(xa, f) spin_unlock_irqrestore(&(xa)->xa_lock, f)
#define xa_is_err(p) IS_ERR(p)
#define xa_err(p) ((int)PTR_ERR_OR_ZERO(p))
#define xa_empty(xa) kapi_xa_empty(xa)
bool kapi_xa_empty(struct xarray *xa);
#define xa_for_each(xa, i, e)                  \
	for ((i) = 0; (i) < (xa)->size; (i)++) \
		if (((e) = (xa)->slot[i]) != NULL)

struct work_struct {
	void (*func)(struct work_struct *);
};
struct workqueue_struct;
#define INIT_WORK(w, f) ((w)->func = (f))
#define queue_work(wq, w) ((w)->func(w), true)
#define flush_work(w) ((void)(w))
#define cancel_work_sync(w) ((void)(w), false)
struct rcu_head {
	void *next;
};
struct notifier_block {
	int (*notifier_call)(struct notifier_block *, unsigned long, void *);
};
struct mm_struct;
struct iopf_queue;
struct kref {
	refcount_t refcount;
};
struct mmu_notifier {
	void *ops;
};
enum irq_domain_bus_token { DOMAIN_BUS_ANY = 0, DOMAIN_BUS_PLATFORM_MSI };
struct irq_domain;
/* "user" memory is the harness's own address space */
int copy_struct_from_user(void *dst, size_t ksize, const void __user *src,
			  size_t usize);
int copy_struct_to_user(void __user *dst, size_t usize, const void *src,
			size_t ksize, bool *ignored_trailing);
#define copy_from_user(d, s, n) (memcpy(d, s, n), 0UL)
#define copy_to_user(d, s, n) (memcpy(d, s, n), 0UL)
static inline bool cpus_have_cap(unsigned int cap)
{
	(void)cap;
	return false; /* the harness's CPUs run the host at EL1, no VHE */
}
#define ARM64_HAS_VIRT_HOST_EXTN 0
#define PCI_VENDOR_ID_HUAWEI 0x19e5
int device_property_read_u32(struct device *dev, const char *name, u32 *v);
bool device_property_read_bool(struct device *dev, const char *name);
struct device *bus_find_device_by_fwnode(const struct bus_type *bus,
					 const struct fwnode_handle *fw);
struct device *driver_find_device_by_fwnode(struct device_driver *drv,
					    const struct fwnode_handle *fw);
struct dentry;
extern struct dentry *iommu_debugfs_dir;
#define debugfs_create_dir(n, p) ((struct dentry *)NULL)
#define debugfs_create_bool(n, m, p, v) ((void)(v))
#define debugfs_remove_recursive(d) ((void)(d))
#define is_kdump_kernel() false
#define capable(c) true

/* scatterlists and iova_bitmap appear only in iommu.h's prototypes */
struct scatterlist {
	unsigned long page_link;
	unsigned int offset, length;
	dma_addr_t dma_address;
};
struct sg_table {
	struct scatterlist *sgl;
	unsigned int nents, orig_nents;
};
struct iova_bitmap;
typedef int (*iova_bitmap_fn_t)(struct iova_bitmap *bitmap, unsigned long iova,
				size_t length, void *opaque);
static inline void iova_bitmap_set(struct iova_bitmap *b, u64 iova,
				   size_t length)
{
	(void)b, (void)iova, (void)length;
}
struct page;
#define NUMA_NO_NODE (-1)
#define ioctl_dummy 0

#endif
