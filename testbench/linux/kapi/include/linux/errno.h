/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <linux/errno.h>: the UAPI error numbers (the system's own header, which
 * glibc's <errno.h> also reaches) plus the kernel-internal codes.  The
 * driver translation units never include the C library's <errno.h>: its
 * errno macro would collide with nothing here, but its <linux/errno.h> is
 * this file, so both must agree; they do, because this one forwards.
 */
#ifndef KAPI_LINUX_ERRNO_H
#define KAPI_LINUX_ERRNO_H
#include_next <linux/errno.h>
#define ERESTARTSYS 512
#define EPROBE_DEFER 517
#define ENOTSUPP 524
#endif
