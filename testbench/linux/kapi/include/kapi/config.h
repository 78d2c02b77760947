/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config.h - the kernel configuration the drivers are built with.  Options
 * the sources test with #ifdef are defined (or left undefined); options they
 * test with IS_ENABLED() are listed as KAPI_ON_CONFIG_* with 0 or 1.
 */
#ifndef KAPI_CONFIG_H
#define KAPI_CONFIG_H

/* options tested with #ifdef: defined when on */
#define CONFIG_ARM64 1
#define CONFIG_64BIT 1
#define CONFIG_ACPI 1
#define CONFIG_IOMMU_API 1
#define CONFIG_TEGRA241_CMDQV 1
#define CONFIG_PCI_ATS 1

/* IS_ENABLED(CONFIG_X) reads KAPI_ON_CONFIG_X (the ## keeps CONFIG_X from
 * expanding); an option missing here is a compile error in C code, 0 in #if */
#define IS_ENABLED(opt) KAPI_ON_##opt
#define IS_BUILTIN(opt) KAPI_ON_##opt
#define IS_REACHABLE(opt) KAPI_ON_##opt
#define KAPI_ON_CONFIG_ARM64 1
#define KAPI_ON_CONFIG_64BIT 1
#define KAPI_ON_CONFIG_ACPI 1
#define KAPI_ON_CONFIG_IOMMU_API 1
#define KAPI_ON_CONFIG_TEGRA241_CMDQV 1
#define KAPI_ON_CONFIG_PCI_ATS 1
#define KAPI_ON_CONFIG_PCI_PRI 0
#define KAPI_ON_CONFIG_LOCKDEP 0
#define KAPI_ON_CONFIG_KUNIT 0
#define KAPI_ON_CONFIG_ARM_SMMU_V3_KUNIT_TEST 0
#define KAPI_ON_CONFIG_ARM_SMMU_V3_SVA 0
#define KAPI_ON_CONFIG_ARM_SMMU_V3_IOMMUFD 0
#define KAPI_ON_CONFIG_IOMMU_DEFAULT_PASSTHROUGH 0
#define KAPI_ON_CONFIG_IOMMU_SVA 0
#define KAPI_ON_CONFIG_IOMMU_IOPF 0
#define KAPI_ON_CONFIG_IOMMU_DMA 0
#define KAPI_ON_CONFIG_PCI 0
#define KAPI_ON_CONFIG_OF 0
#define KAPI_ON_CONFIG_TEGRA264_CMDQV 0

/* the iommufd driver-core helpers, for 7.x's vIOMMU side (set by configure
 * when the sources have it) */
#ifdef LX_HAS_IOMMUFD
#define CONFIG_IOMMUFD 1
#define CONFIG_IOMMUFD_DRIVER_CORE 1
#define KAPI_ON_CONFIG_IOMMUFD 1
#define KAPI_ON_CONFIG_IOMMUFD_DRIVER_CORE 1
#else
#define KAPI_ON_CONFIG_IOMMUFD 0
#define KAPI_ON_CONFIG_IOMMUFD_DRIVER_CORE 0
#endif

#endif
