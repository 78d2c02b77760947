/* SPDX-License-Identifier: BSD-3-Clause */
/* <linux/err.h>: the shim's kernel API (see kapi/) */
#include <kapi/kernel.h>
