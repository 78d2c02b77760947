/* SPDX-License-Identifier: BSD-3-Clause */
/* <linux/fwnode.h>: the shim's kernel API (see kapi/) */
#include <kapi/kernel.h>
