/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * simcpu_ctx.h - execution contexts for the simulated CPUs (private to
 * testbench/linux/cpu): a guarded stack and a suspended register state,
 * switched with Boost.Context's fcontext (simcpu_ctx.cpp), with the
 * AddressSanitizer fiber annotations around every switch.
 */
#ifndef CMDQV_SIMCPU_CTX_H
#define CMDQV_SIMCPU_CTX_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct simcpu_ctx - one context.  The thread that calls simcpu_run() is a
 * context too (no stack of its own: @map == NULL).
 * @fctx:       suspended state (valid while not running)
 * @map:        mmap'd region: guard page(s) then the stack, NULL for the
 *              thread's own context
 * @map_bytes:  size of @map
 * @stack_lo:   lowest usable stack byte (for ASan; learned for the thread)
 * @stack_bytes: usable stack size
 * @asan_fake:  ASan's fake-stack handle saved across a switch
 * @entry, @arg: first function to run (never returns)
 * @next:       set by the switch to the context being entered
 */
struct simcpu_ctx {
	void *fctx;
	void *map;
	size_t map_bytes;
	const void *stack_lo;
	size_t stack_bytes;
	void *asan_fake;
	void (*entry)(void *arg);
	void *arg;
	struct simcpu_ctx *next;
};

/**
 * Allocate @stack_bytes of stack (rounded up to pages) under a PROT_NONE
 * guard page and prepare @c to run @entry(@arg) on its first switch.
 * @entry must never return.  Returns 0, or -1 if mmap fails.
 */
int simcpu_ctx_init(struct simcpu_ctx *c, size_t stack_bytes,
		    void (*entry)(void *arg), void *arg);
/** Unmap the stack (the context must not be running). */
void simcpu_ctx_deinit(struct simcpu_ctx *c);
/** Suspend @from (the running context) and resume @to. */
void simcpu_ctx_switch(struct simcpu_ctx *from, struct simcpu_ctx *to);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_SIMCPU_CTX_H */
