// SPDX-License-Identifier: BSD-3-Clause
/*
 * simcpu_ctx.cpp - context switching for the simulated CPUs.
 *
 * Boost.Context's fcontext (Debian libboost-context-dev) saves and restores
 * the callee-saved registers in a few instructions and makes no system
 * call; glibc's swapcontext() calls sigprocmask on every switch, which
 * costs more than the rest of a simulated MMIO (docs/dependencies.md has
 * the measurement).  fcontext is the layer every Boost.Context API is built
 * on; it lives in boost::context::detail but its three functions have kept
 * their signatures since Boost 1.61.
 *
 * A switch passes the suspending context as the jump's data, so the resumed
 * side stores the suspended register state where it belongs: no globals.
 * Under AddressSanitizer every switch is bracketed by
 * __sanitizer_start_switch_fiber / __sanitizer_finish_switch_fiber, so ASan
 * knows which stack is live (it would otherwise report the coroutine
 * stacks as wild accesses).
 */
#include "simcpu_ctx.h"

#include <boost/context/detail/fcontext.hpp>

#include <cstdlib>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define SIMCPU_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIMCPU_ASAN 1
#endif
#endif
#ifdef SIMCPU_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace bctx = boost::context::detail;

namespace
{

/* The running side of a switch: record where the suspended context is. */
void simcpu_ctx_arrived(struct simcpu_ctx *self, bctx::transfer_t t)
{
	struct simcpu_ctx *from = static_cast<struct simcpu_ctx *>(t.data);

	from->fctx = t.fctx;
#ifdef SIMCPU_ASAN
	const void *lo = nullptr;
	size_t bytes = 0;

	__sanitizer_finish_switch_fiber(self->asan_fake, &lo, &bytes);
	if (!from->map) {
		/* The thread's own stack: learned on the first switch. */
		from->stack_lo = lo;
		from->stack_bytes = bytes;
	}
#else
	(void)self;
#endif
}

void simcpu_ctx_trampoline(bctx::transfer_t t)
{
	struct simcpu_ctx *from = static_cast<struct simcpu_ctx *>(t.data);
	struct simcpu_ctx *self = from->next;

	simcpu_ctx_arrived(self, t);
	self->entry(self->arg);
	/* Contexts never return: returning here would end the thread. */
	std::abort();
}

} // namespace

extern "C" int simcpu_ctx_init(struct simcpu_ctx *c, size_t stack_bytes,
			       void (*entry)(void *arg), void *arg)
{
	size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
	size_t bytes = (stack_bytes + page - 1) / page * page;
	size_t total = bytes + page;
	void *map = mmap(nullptr, total, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

	if (map == MAP_FAILED)
		return -1;
	/* Guard page below the stack (stacks grow down): an overflow faults. */
	if (mprotect(map, page, PROT_NONE) != 0) {
		munmap(map, total);
		return -1;
	}
	c->map = map;
	c->map_bytes = total;
	c->stack_lo = static_cast<char *>(map) + page;
	c->stack_bytes = bytes;
	c->asan_fake = nullptr;
	c->entry = entry;
	c->arg = arg;
	c->next = nullptr;
	c->fctx = bctx::make_fcontext(static_cast<char *>(map) + total, bytes,
				      simcpu_ctx_trampoline);
	return 0;
}

extern "C" void simcpu_ctx_deinit(struct simcpu_ctx *c)
{
#ifdef SIMCPU_ASAN
	/* a context dropped while suspended leaves its frames' redzones in
	 * the shadow; clear them, or a later mapping at this address inherits
	 * them (false "unknown-crash" reports) */
	if (c->map)
		__asan_unpoison_memory_region(c->stack_lo, c->stack_bytes);
#endif
	if (c->map)
		munmap(c->map, c->map_bytes);
	c->map = nullptr;
	c->fctx = nullptr;
}

extern "C" void simcpu_ctx_switch(struct simcpu_ctx *from,
				  struct simcpu_ctx *to)
{
	from->next = to;
#ifdef SIMCPU_ASAN
	__sanitizer_start_switch_fiber(&from->asan_fake, to->stack_lo,
				       to->stack_bytes);
#endif
	bctx::transfer_t t = bctx::jump_fcontext(to->fctx, from);
	simcpu_ctx_arrived(from, t);
}
