/* SPDX-License-Identifier: BSD-3-Clause */
/* kernel.h - the whole shim API; every <linux/...> header forwards here. */
#ifndef KAPI_KERNEL_H
#define KAPI_KERNEL_H
#include <linux/errno.h>
#include "base.h"
#include "sync.h"
#include "mem.h"
#include "dev.h"
#endif
