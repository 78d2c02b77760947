/* SPDX-License-Identifier: BSD-3-Clause */
/* <kunit/visibility.h>: the shim's kernel API (see kapi/) */
#include <kapi/kernel.h>
