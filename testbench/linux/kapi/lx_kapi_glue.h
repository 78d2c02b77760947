/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lx_kapi_glue.h - the shim's kernel-side types and the harness calls that
 * need them (the harness builds firmware objects: IORT node, ACPI device,
 * platform device).
 */
#ifndef LX_KAPI_GLUE_H
#define LX_KAPI_GLUE_H

#include <linux/kernel.h>

/**
 * struct kapi_fw - the firmware objects of one SMMUv3 and its CMD-QV as an
 * ACPI Arm system describes them: the IORT SMMUv3 node (header + data) and
 * the pointer platform_data holds, the SMMU's platform device and its
 * resources, the NVDA200C device with its _CRS and the platform device it
 * enumerates (7.x probes the CMD-QV through acpi_get_first_physical_node()).
 */
struct kapi_fw {
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
};

/** What kapi_fw_build() describes; the names must outlive @fw. */
struct kapi_fw_desc {
	const char *smmu_name; /* the SMMU platform device's device name */
	const char *cmdqv_name; /* the NVDA200C devices' device name */
	u64 smmu_pa; /* SMMU register frame, 128 KiB */
	unsigned int gerror_irq;
	bool coherent; /* IORT COHACC override */
	bool cmdqv; /* an NVDA200C device too */
	u64 cmdqv_pa, cmdqv_size;
	unsigned int cmdqv_irq;
};

/* Fill @fw from @d and register its ACPI device (or none). */
void kapi_fw_build(struct kapi_fw *fw, const struct kapi_fw_desc *d);

/* Lines of the kernel log @log that contain @needle. */
unsigned kapi_log_count(const char *log, const char *needle);
void kapi_acpi_register(struct acpi_device *adev);
void kapi_irq_reset(void);
void kapi_iommufd_reset(void);
struct iommufd_vdevice;
void kapi_iommufd_bind_vdevice(struct iommufd_vdevice *vdev,
			       struct device *dev);

#endif
