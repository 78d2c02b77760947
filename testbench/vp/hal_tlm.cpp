/* SPDX-License-Identifier: BSD-3-Clause */
/* hal_tlm.cpp - the driver HAL over TLM (hal_tlm.h). */
#include "hal_tlm.h"

#include <cstring>

#include "hal_native.h"

using namespace sc_core;

namespace vp
{

hal_tlm::hal_tlm(platform *pl, cpu *cp)
	: p(pl)
	, c(cp)
	, dma_next(HAL_DMA_BASE)
{
}

void hal_tlm::settle()
{
	c->sync();
	platform::settle();
	p->mem.sync_faults();
}

static hal_tlm *ht(void *ctx)
{
	return static_cast<hal_tlm *>(ctx);
}

static uint64_t rd(void *ctx, enum cmdqv_space sp, uint64_t off, unsigned size)
{
	hal_tlm *h = ht(ctx);
	uint64_t v = 0;
	h->p->mem.sync_faults();
	if (h->c->read(platform::space_base(sp) + off, size, &v, true) !=
	    tlm::TLM_OK_RESPONSE) {
		h->bus_errors++;
		v = ~0ull; /* a bus error reads as all ones, as natively */
	}
	return v;
}

static void wr(void *ctx, enum cmdqv_space sp, uint64_t off, unsigned size,
	       uint64_t v)
{
	hal_tlm *h = ht(ctx);
	h->p->mem.sync_faults();
	if (h->c->write(platform::space_base(sp) + off, size, v, true) !=
	    tlm::TLM_OK_RESPONSE)
		h->bus_errors++;
}

HAL_SIZED_ACCESSORS(t, rd, wr)

static void t_delay(void *ctx, sim_time_t ps)
{
	ht(ctx)->c->delay(cmdqv_tlm::time_from_ps(ps));
}

static sim_time_t t_now(void *ctx)
{
	return cmdqv_tlm::time_to_ps(ht(ctx)->c->now());
}

static uint64_t t_dma_alloc(void *ctx, uint64_t size, uint64_t align)
{
	return hal_bump_alloc(&ht(ctx)->dma_next, size, align);
}

/* DMI pointer of the memory page holding @addr (cached; revoked pages are
 * asked for again). */
static unsigned char *page_ptr(hal_tlm *h, uint64_t addr)
{
	uint64_t page = addr & ~(uint64_t)(TB_MEM_PAGE_SIZE - 1);
	auto it = h->dmi_pages.find(page);
	if (it != h->dmi_pages.end())
		return it->second;
	unsigned char *p = h->c->dmi_ptr(MEM_BASE + page, TB_MEM_PAGE_SIZE);
	if (p)
		h->dmi_pages[page] = p;
	return p;
}

static void copy(hal_tlm *h, uint64_t addr, unsigned char *buf, size_t len,
		 bool write)
{
	/* Pointers revoked since they were cached are asked for again.
         * Faulting pages get no DMI: CPU accesses never fault (as natively),
         * so those go straight to the memory's backing store. */
	if (h->dmi_generation != h->p->mem.dmi_generation) {
		h->dmi_pages.clear();
		h->dmi_generation = h->p->mem.dmi_generation;
	}
	while (len) {
		size_t off = addr & (TB_MEM_PAGE_SIZE - 1);
		size_t n = TB_MEM_PAGE_SIZE - off < len ?
				   TB_MEM_PAGE_SIZE - off :
				   len;
		unsigned char *p = page_ptr(h, addr);
		if (p) {
			if (write)
				std::memcpy(p + off, buf, n);
			else
				std::memcpy(buf, p + off, n);
		} else if (write) {
			tb_mem_write(h->p->mem.mem(), addr, buf, n);
		} else {
			tb_mem_read(h->p->mem.mem(), addr, buf, n);
		}
		addr += n;
		buf += n;
		len -= n;
	}
}

static void t_mem_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	copy(ht(ctx), addr, (unsigned char *)const_cast<void *>(buf), len,
	     true);
}

static void t_mem_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	hal_tlm *h = ht(ctx);
	h->settle(); /* DMA writes (MSIs) made up to the CPU's time are visible */
	copy(h, addr, static_cast<unsigned char *>(buf), len, false);
}

static bool raised(hal_tlm *h, enum cmdqv_irq line)
{
	uint64_t e = h->p->irqc.edges(line);
	bool r = h->p->irqc.level(line) || e != h->edges_seen[line];
	h->edges_seen[line] = e;
	return r;
}

static bool t_irq_wait(void *ctx, enum cmdqv_irq line, sim_time_t timeout)
{
	hal_tlm *h = ht(ctx);
	h->settle();
	bool r = raised(h, line);
	if (r || timeout == 0)
		return r;
	sc_core::wait(cmdqv_tlm::time_from_ps(timeout),
		      h->p->irqc.raised(line));
	h->c->qk.reset();
	h->settle();
	return raised(h, line);
}

static unsigned t_cpu(void *ctx)
{
	return ht(ctx)->cpu_override;
}

const struct hal_ops hal_tlm_ops = {
	t_read32,    t_read64,	  t_write32,  t_write64,  t_delay, t_now,
	t_dma_alloc, t_mem_write, t_mem_read, t_irq_wait, t_cpu,
};

} // namespace vp
