/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config.h - the kernel configuration the drivers are built with.  Options
 * the sources test with #ifdef are defined (or left undefined); options they
 * test with IS_ENABLED() in C code are given 0 or 1 explicitly, because this
 * shim's IS_ENABLED() is a plain value (it does not implement the kernel's
 * "defined-or-not" trick).
 */
#ifndef KAPI_CONFIG_H
#define KAPI_CONFIG_H

#define CONFIG_ARM64 1
#define CONFIG_64BIT 1
#define CONFIG_ACPI 1
#define CONFIG_IOMMU_API 1
#define CONFIG_TEGRA241_CMDQV 1
#define CONFIG_PCI_ATS 1
#define CONFIG_PCI_PRI 0
#define CONFIG_LOCKDEP 0
#define CONFIG_KUNIT 0
#define CONFIG_ARM_SMMU_V3_KUNIT_TEST 0
#define CONFIG_IOMMU_DEFAULT_PASSTHROUGH 0

#define IS_ENABLED(opt) (opt)
#define IS_BUILTIN(opt) (opt)
#define IS_REACHABLE(opt) (opt)

#endif
