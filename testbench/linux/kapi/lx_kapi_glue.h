/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lx_kapi_glue.h - the shim's kernel-side types and the harness calls that
 * need them (the harness builds firmware objects: IORT node, ACPI device,
 * platform device).
 */
#ifndef LX_KAPI_GLUE_H
#define LX_KAPI_GLUE_H

#include <linux/kernel.h>

/* Lines of the kernel log @log that contain @needle. */
unsigned kapi_log_count(const char *log, const char *needle);
void kapi_acpi_register(struct acpi_device *adev);
void kapi_irq_reset(void);
void kapi_iommufd_reset(void);
struct iommufd_vdevice;
void kapi_iommufd_bind_vdevice(struct iommufd_vdevice *vdev,
			       struct device *dev);

#endif
