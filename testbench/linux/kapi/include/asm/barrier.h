/* SPDX-License-Identifier: BSD-3-Clause */
/* <asm/barrier.h>: the shim's kernel API (see kapi/) */
#include <kapi/kernel.h>
