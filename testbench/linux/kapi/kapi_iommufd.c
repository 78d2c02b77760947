/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kapi_iommufd.c - the iommufd driver-core helpers 7.x's tegra241-cmdqv
 * calls from its vIOMMU callbacks (include/linux/iommufd.h kernel-doc):
 * object dependencies, mmap offsets for the VINTF page, vdevice -> device.
 * The harness plays the VMM and iommufd core: it allocates the objects and
 * calls the driver's ops itself.  Empty when the sources have no iommufd
 * side (6.x).
 */
#include <linux/kernel.h>

#ifdef LX_HAS_IOMMUFD
#include <linux/iommu.h>
#include <linux/iommufd.h>

#include "kapi_host.h"
#include "lx_kapi_glue.h"

#define KAPI_MAX_VDEVS 16

static struct {
	struct iommufd_vdevice *vdev;
	struct device *dev;
} vdevs[KAPI_MAX_VDEVS];
static unsigned long next_mmap_offset;

void kapi_iommufd_bind_vdevice(struct iommufd_vdevice *vdev, struct device *dev)
{
	unsigned i;

	for (i = 0; i < KAPI_MAX_VDEVS; i++)
		if (!vdevs[i].vdev || vdevs[i].vdev == vdev) {
			vdevs[i].vdev = vdev;
			vdevs[i].dev = dev;
			return;
		}
}

int _iommufd_object_depend(struct iommufd_object *obj_dependent,
			   struct iommufd_object *obj_depended)
{
	(void)obj_dependent;
	refcount_inc(&obj_depended->users);
	return 0;
}

void _iommufd_object_undepend(struct iommufd_object *obj_dependent,
			      struct iommufd_object *obj_depended)
{
	(void)obj_dependent;
	refcount_dec_and_test(&obj_depended->users);
}

int _iommufd_alloc_mmap(struct iommufd_ctx *ictx, struct iommufd_object *owner,
			phys_addr_t mmio_addr, size_t length,
			unsigned long *offset)
{
	(void)ictx, (void)owner, (void)mmio_addr;
	*offset = next_mmap_offset;
	next_mmap_offset += ALIGN(length, PAGE_SIZE);
	return 0;
}

void _iommufd_destroy_mmap(struct iommufd_ctx *ictx,
			   struct iommufd_object *owner, unsigned long offset)
{
	(void)ictx, (void)owner, (void)offset;
}

struct device *iommufd_vdevice_to_device(struct iommufd_vdevice *vdev)
{
	unsigned i;

	for (i = 0; i < KAPI_MAX_VDEVS; i++)
		if (vdevs[i].vdev == vdev)
			return vdevs[i].dev;
	return NULL;
}

struct device *iommufd_viommu_find_dev(struct iommufd_viommu *viommu,
				       unsigned long vdev_id)
{
	unsigned i;

	for (i = 0; i < KAPI_MAX_VDEVS; i++)
		if (vdevs[i].vdev && vdevs[i].vdev->viommu == viommu &&
		    vdevs[i].vdev->virt_id == vdev_id)
			return vdevs[i].dev;
	return NULL;
}

int iommufd_viommu_get_vdev_id(struct iommufd_viommu *viommu,
			       struct device *dev, unsigned long *vdev_id)
{
	unsigned i;

	for (i = 0; i < KAPI_MAX_VDEVS; i++)
		if (vdevs[i].vdev && vdevs[i].vdev->viommu == viommu &&
		    vdevs[i].dev == dev) {
			*vdev_id = (unsigned long)vdevs[i].vdev->virt_id;
			return 0;
		}
	return -ENOENT;
}

int iommufd_viommu_report_event(struct iommufd_viommu *viommu,
				enum iommu_veventq_type type, void *event_data,
				size_t data_len)
{
	struct kapi_host *h = kapi_host_get();

	(void)viommu;
	kapi_log(NULL, 6, "iommufd: vEVENT type %d reported to the VMM\n",
		 (int)type);
	if (h && h->vevent)
		h->vevent(h->vevent_ctx, (int)type, event_data, data_len);
	return 0;
}

void kapi_iommufd_reset(void)
{
	memset(vdevs, 0, sizeof(vdevs));
	next_mmap_offset = 0;
}
#else
void kapi_iommufd_reset(void);
void kapi_iommufd_reset(void)
{
}
#endif
