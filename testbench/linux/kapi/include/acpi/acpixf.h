/* SPDX-License-Identifier: BSD-3-Clause */
/* <acpi/acpixf.h>: the shim's kernel API (see kapi/) */
#include <kapi/kernel.h>
