/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_mem.c - sparse memory: a chained hash of 4 KiB pages keyed by page
 * number.  Pages are allocated on first write only, so a queue that is
 * written once and fetched many times does not allocate on the fetch path.
 */
#include "tb_mem.h"

#include <stdlib.h>
#include <string.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1u << PAGE_SHIFT)

struct tb_mem_page {
	struct tb_mem_page *next; /* in its bucket */
	struct tb_mem_page *older; /* the page allocated before it */
	uint64_t pfn;
	uint8_t data[PAGE_SIZE];
};

static uint32_t hash_pfn(uint64_t pfn, uint32_t nbuckets)
{
	return (uint32_t)((pfn * 0x9E3779B97F4A7C15ull) >> 40) & (nbuckets - 1);
}

int tb_mem_init(struct tb_mem *mem)
{
	memset(mem, 0, sizeof(*mem));
	mem->nbuckets = 4096;
	mem->buckets = calloc(mem->nbuckets, sizeof(*mem->buckets));
	return mem->buckets ? 0 : -1;
}

void tb_mem_deinit(struct tb_mem *mem)
{
	if (!mem->buckets)
		return;
	for (uint32_t i = 0; i < mem->nbuckets; i++) {
		struct tb_mem_page *p = mem->buckets[i];
		while (p) {
			struct tb_mem_page *n = p->next;
			free(p);
			p = n;
		}
	}
	free(mem->buckets);
	memset(mem, 0, sizeof(*mem));
}

void tb_mem_reset(struct tb_mem *mem)
{
	struct tb_mem_page *p = mem->newest;

	/* only the buckets that hold a page: O(pages), not O(buckets) */
	while (p) {
		struct tb_mem_page *o = p->older;

		mem->buckets[hash_pfn(p->pfn, mem->nbuckets)] = NULL;
		free(p);
		p = o;
	}
	mem->newest = NULL;
	mem->npages = 0;
	memset(mem->faults, 0, sizeof(mem->faults));
	mem->nfaults = 0;
}

static struct tb_mem_page *get_page(struct tb_mem *mem, uint64_t pfn);

int tb_mem_copy(struct tb_mem *dst, const struct tb_mem *src)
{
	tb_mem_reset(dst);
	for (const struct tb_mem_page *p = src->newest; p; p = p->older) {
		struct tb_mem_page *q = get_page(dst, p->pfn);

		if (!q) {
			tb_mem_reset(dst);
			return -1;
		}
		memcpy(q->data, p->data, PAGE_SIZE);
	}
	memcpy(dst->faults, src->faults, sizeof(dst->faults));
	dst->nfaults = src->nfaults;
	return 0;
}

static struct tb_mem_page *find_page(const struct tb_mem *mem, uint64_t pfn)
{
	struct tb_mem_page *p = mem->buckets[hash_pfn(pfn, mem->nbuckets)];
	while (p && p->pfn != pfn)
		p = p->next;
	return p;
}

static struct tb_mem_page *get_page(struct tb_mem *mem, uint64_t pfn)
{
	struct tb_mem_page *p = find_page(mem, pfn);
	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	uint32_t h = hash_pfn(pfn, mem->nbuckets);
	p->pfn = pfn;
	p->next = mem->buckets[h];
	mem->buckets[h] = p;
	p->older = mem->newest;
	mem->newest = p;
	mem->npages++;
	return p;
}

static bool in_range(uint64_t addr, size_t len)
{
	uint64_t limit = 1ull << TB_MEM_ADDR_BITS;
	return addr < limit && len <= limit - addr;
}

int tb_mem_write(struct tb_mem *mem, uint64_t addr, const void *buf, size_t len)
{
	const uint8_t *src = buf;
	if (!in_range(addr, len))
		return -1;
	while (len) {
		uint64_t off = addr & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		struct tb_mem_page *p = get_page(mem, addr >> PAGE_SHIFT);
		if (!p)
			return -1;
		memcpy(p->data + off, src, n);
		addr += n;
		src += n;
		len -= n;
	}
	return 0;
}

int tb_mem_read(const struct tb_mem *mem, uint64_t addr, void *buf, size_t len)
{
	uint8_t *dst = buf;
	if (!in_range(addr, len))
		return -1;
	while (len) {
		uint64_t off = addr & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		const struct tb_mem_page *p =
			find_page(mem, addr >> PAGE_SHIFT);
		if (p)
			memcpy(dst, p->data + off, n);
		else
			memset(dst, 0, n);
		addr += n;
		dst += n;
		len -= n;
	}
	return 0;
}

/* Memory is little-endian, as the SMMU reads it (a command is two little-endian
 * 64-bit words, dw0 then dw1). */
int tb_mem_write64(struct tb_mem *mem, uint64_t addr, uint64_t value)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(value >> (8 * i));
	return tb_mem_write(mem, addr, b, sizeof(b));
}

uint64_t tb_mem_read64(const struct tb_mem *mem, uint64_t addr)
{
	uint8_t b[8];
	uint64_t v = 0;
	if (tb_mem_read(mem, addr, b, sizeof(b)))
		return 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | b[i];
	return v;
}

uint32_t tb_mem_read32(const struct tb_mem *mem, uint64_t addr)
{
	uint8_t b[4];
	if (tb_mem_read(mem, addr, b, sizeof(b)))
		return 0;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

uint8_t *tb_mem_page(struct tb_mem *mem, uint64_t addr)
{
	struct tb_mem_page *p;
	if (!in_range(addr, 1))
		return NULL;
	p = get_page(mem, addr >> PAGE_SHIFT);
	return p ? p->data : NULL;
}

int tb_mem_add_fault(struct tb_mem *mem, uint64_t addr, uint64_t len)
{
	if (mem->nfaults >= TB_MEM_MAX_FAULTS)
		return -1;
	mem->faults[mem->nfaults].addr = addr;
	mem->faults[mem->nfaults].len = len;
	mem->nfaults++;
	return 0;
}

void tb_mem_clear_faults(struct tb_mem *mem)
{
	mem->nfaults = 0;
}

bool tb_mem_faults(const struct tb_mem *mem, uint64_t addr, uint64_t len)
{
	for (unsigned i = 0; i < mem->nfaults; i++) {
		uint64_t a = mem->faults[i].addr, l = mem->faults[i].len;
		if (addr < a + l && a < addr + len)
			return true;
	}
	return false;
}

int tb_mem_dma_read(void *ctx, uint64_t addr, void *buf, uint32_t len)
{
	struct tb_mem *mem = ctx;
	if (tb_mem_faults(mem, addr, len) || !in_range(addr, len))
		return 1;
	return tb_mem_read(mem, addr, buf, len) ? 1 : 0;
}

int tb_mem_dma_write(void *ctx, uint64_t addr, const void *buf, uint32_t len)
{
	struct tb_mem *mem = ctx;
	if (tb_mem_faults(mem, addr, len) || !in_range(addr, len))
		return 1;
	return tb_mem_write(mem, addr, buf, len) ? 1 : 0;
}
