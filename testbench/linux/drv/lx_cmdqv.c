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

#ifdef LX_HAS_IOMMUFD
#include "../kapi/lx_kapi_glue.h"

int lxc_viommu_alloc(struct platform_device *pdev, uint16_t vmid, uint32_t psid,
		     uint32_t vsid, struct lxc_vm *vm)
{
	struct arm_smmu_device *smmu = platform_get_drvdata(pdev);
	struct iommu_viommu_tegra241_cmdqv data = { 0 };
	struct iommu_user_data user = {
		.type = IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV,
		.uptr = &data,
		.len = sizeof(data),
	};
	struct iommufd_viommu *viommu;
	struct iommufd_vdevice *vdev;
	struct arm_smmu_master *master;
	struct dev_iommu *di;
	struct device *dev;
	struct arm_vsmmu *vsmmu;
	struct tegra241_vintf *vintf;
	size_t size;
	int ret;

	memset(vm, 0, sizeof(*vm));
	if (!smmu->impl_ops || !smmu->impl_ops->get_viommu_size)
		return -ENODEV;
	/* IOMMU_VIOMMU_ALLOC: the core allocates the driver's structure */
	size = smmu->impl_ops->get_viommu_size(
		IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV);
	if (!size)
		return -EOPNOTSUPP;
	viommu = kzalloc(size, GFP_KERNEL);
	viommu->type = IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV;
	viommu->iommu_dev = &smmu->iommu;
	refcount_set(&viommu->obj.users, 1);
	xa_init(&viommu->vdevs);
	INIT_LIST_HEAD(&viommu->veventqs);
	vsmmu = container_of(viommu, struct arm_vsmmu, core);
	vsmmu->smmu = smmu;
	vsmmu->vmid = vmid; /* arm_vsmmu_init() takes it from the S2 parent */
	ret = smmu->impl_ops->vsmmu_init(vsmmu, &user);
	if (ret) {
		kfree(viommu);
		return ret;
	}
	vintf = viommu_to_vintf(viommu);
	vm->viommu = viommu;
	vm->vintf = vintf->idx;

	/* IOMMU_VDEVICE_ALLOC for a device with one physical StreamID */
	master = kzalloc(sizeof(*master), GFP_KERNEL);
	master->streams = kzalloc(sizeof(*master->streams), GFP_KERNEL);
	master->streams[0].id = psid;
	master->num_streams = 1;
	master->smmu = smmu;
	di = kzalloc(sizeof(*di), GFP_KERNEL);
	di->priv = master;
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	dev->init_name = "guest-dev";
	dev->iommu = di;
	master->dev = dev;
	vdev = kzalloc(viommu->ops->vdevice_size, GFP_KERNEL);
	vdev->viommu = viommu;
	vdev->virt_id = vsid;
	kapi_iommufd_bind_vdevice(vdev, dev);
	ret = viommu->ops->vdevice_init(vdev);
	if (ret)
		return ret;
	vm->vdev = vdev;
	return 0;
}

int lxc_hw_queue_alloc(struct lxc_vm *vm, unsigned lidx, uint64_t pa,
		       uint64_t len)
{
	struct iommufd_viommu *viommu = vm->viommu;
	struct iommufd_hw_queue *hwq;
	int ret;

	if (!viommu || lidx >= LXC_VM_MAX_QUEUES)
		return -EINVAL;
	if (vm->hwq[lidx])
		return -EEXIST;
	hwq = kzalloc(viommu->ops->get_hw_queue_size(
			      viommu, IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV),
		      GFP_KERNEL);
	hwq->viommu = viommu;
	hwq->type = IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV;
	hwq->length = (size_t)len;
	hwq->base_addr = pa; /* guest PA == host PA here (identity stage 2) */
	refcount_set(&hwq->obj.users, 1);
	ret = viommu->ops->hw_queue_init_phys(hwq, lidx, pa);
	if (ret) {
		kfree(hwq);
		return ret;
	}
	vm->hwq[lidx] = hwq;
	return 0;
}

void lxc_hw_queue_free(struct lxc_vm *vm, unsigned lidx)
{
	struct iommufd_hw_queue *hwq =
		lidx < LXC_VM_MAX_QUEUES ? vm->hwq[lidx] : NULL;

	if (!hwq)
		return;
	if (hwq->destroy)
		hwq->destroy(hwq);
	kfree(hwq);
	vm->hwq[lidx] = NULL;
}

void lxc_viommu_free(struct lxc_vm *vm)
{
	struct iommufd_viommu *viommu = vm->viommu;
	struct iommufd_vdevice *vdev = vm->vdev;
	int l;

	for (l = LXC_VM_MAX_QUEUES - 1; l >= 0; l--)
		lxc_hw_queue_free(vm, (unsigned)l);
	if (vdev && vdev->destroy)
		vdev->destroy(vdev);
	if (viommu && viommu->ops->destroy)
		viommu->ops->destroy(viommu);
	memset(vm, 0, sizeof(*vm));
}

int lxc_vmm_attach(struct platform_device *pdev, uint16_t vmid, uint32_t psid,
		   uint32_t vsid, unsigned log2size, struct lxc_vm *vm)
{
	struct arm_smmu_device *smmu = platform_get_drvdata(pdev);
	struct tegra241_vintf *vintf;
	dma_addr_t pa;
	size_t len = (size_t)16 << log2size;
	int ret = lxc_viommu_alloc(pdev, vmid, psid, vsid, vm);

	if (ret)
		return ret;
	vintf = viommu_to_vintf((struct iommufd_viommu *)vm->viommu);
	/* IOMMU_HW_QUEUE_ALLOC: guest queue memory, then the driver's init */
	vm->queue = dma_alloc_coherent(smmu->dev, len, &pa, GFP_KERNEL);
	ret = lxc_hw_queue_alloc(vm, 0, pa, len);
	if (ret)
		return ret;
	vm->hw_queue = vm->hwq[0];
	vm->queue_pa = pa;
	vm->log2size = log2size;
	vm->lidx = 0;
	vm->vcmdq_page0 = TEGRA241_VINTFi_LVCMDQ_PAGE0(vintf->idx, 0);
	return 0;
}
#else
int lxc_vmm_attach(struct platform_device *pdev, uint16_t vmid, uint32_t psid,
		   uint32_t vsid, unsigned log2size, struct lxc_vm *vm)
{
	(void)pdev, (void)vmid, (void)psid, (void)vsid, (void)log2size;
	memset(vm, 0, sizeof(*vm));
	return -ENOSYS;
}

int lxc_viommu_alloc(struct platform_device *pdev, uint16_t vmid, uint32_t psid,
		     uint32_t vsid, struct lxc_vm *vm)
{
	(void)pdev, (void)vmid, (void)psid, (void)vsid;
	memset(vm, 0, sizeof(*vm));
	return -ENOSYS;
}

int lxc_hw_queue_alloc(struct lxc_vm *vm, unsigned lidx, uint64_t pa,
		       uint64_t len)
{
	(void)vm, (void)lidx, (void)pa, (void)len;
	return -ENOSYS;
}

void lxc_hw_queue_free(struct lxc_vm *vm, unsigned lidx)
{
	(void)vm, (void)lidx;
}

void lxc_viommu_free(struct lxc_vm *vm)
{
	memset(vm, 0, sizeof(*vm));
}
#endif
