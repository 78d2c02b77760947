/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_mem.h - flat, sparse 48-bit physical memory for hosts of the model (CLI,
 * tests, paths, replay): 4 KiB pages allocated on first write, unwritten
 * memory reads as zero, and fault ranges where every DMA access aborts.
 * Plugs into struct cmdqv_host_ops via tb_mem_dma_read / tb_mem_dma_write.
 */
#ifndef CMDQV_TB_MEM_H
#define CMDQV_TB_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TB_MEM_ADDR_BITS 48
#define TB_MEM_MAX_FAULTS 16

struct tb_mem_page;

/** struct tb_mem - sparse memory; opaque except for the fault list. */
struct tb_mem {
	struct tb_mem_page **buckets; /* hash of 4 KiB pages */
	uint32_t nbuckets;
	size_t npages;
	struct tb_mem_page *newest; /* every page, newest first */
	struct {
		uint64_t addr, len;
	} faults[TB_MEM_MAX_FAULTS];
	unsigned nfaults;
};

int tb_mem_init(struct tb_mem *mem);
void tb_mem_deinit(struct tb_mem *mem);
/**
 * Back to what tb_mem_init() gives (every page freed, reads zero, no fault
 * range) in time proportional to the pages written, not to the hash size.
 */
void tb_mem_reset(struct tb_mem *mem);
/**
 * Make @dst (initialised) hold what @src holds: the same bytes at every
 * address and the same fault ranges (@dst's own pages are freed first).
 * Returns 0, or -1 if memory is exhausted (then @dst is reset).
 */
int tb_mem_copy(struct tb_mem *dst, const struct tb_mem *src);

/** CPU-side accesses (never fault). Return 0, or -1 if outside 48 bits / no memory. */
int tb_mem_write(struct tb_mem *mem, uint64_t addr, const void *buf,
		 size_t len);
int tb_mem_read(const struct tb_mem *mem, uint64_t addr, void *buf, size_t len);
int tb_mem_write64(struct tb_mem *mem, uint64_t addr, uint64_t value);
uint64_t tb_mem_read64(const struct tb_mem *mem, uint64_t addr);
uint32_t tb_mem_read32(const struct tb_mem *mem, uint64_t addr);

/** Pages are this big and aligned to it (the unit a DMI pointer can cover). */
#define TB_MEM_PAGE_SIZE 4096u

/**
 * Host pointer to the TB_MEM_PAGE_SIZE bytes of the page holding @addr
 * (allocated, zeroed, on first use), for hosts that hand out direct memory
 * pointers (TLM DMI).  Stays valid until tb_mem_deinit() or tb_mem_reset().
 * NULL if @addr is outside 48 bits or memory is exhausted.  Fault ranges are
 * not checked.
 */
uint8_t *tb_mem_page(struct tb_mem *mem, uint64_t addr);

/** Make DMA accesses touching [addr, addr+len) abort. Returns 0 or -1 if full. */
int tb_mem_add_fault(struct tb_mem *mem, uint64_t addr, uint64_t len);
void tb_mem_clear_faults(struct tb_mem *mem);
bool tb_mem_faults(const struct tb_mem *mem, uint64_t addr, uint64_t len);

/** DMA callbacks for cmdqv_host_ops (ctx = struct tb_mem *): 0 ok, 1 abort. */
int tb_mem_dma_read(void *ctx, uint64_t addr, void *buf, uint32_t len);
int tb_mem_dma_write(void *ctx, uint64_t addr, const void *buf, uint32_t len);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_TB_MEM_H */
