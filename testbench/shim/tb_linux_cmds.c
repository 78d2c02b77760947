/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_linux_cmds.c - Linux's strict-unmap invalidation commands
 * (tb_linux_cmds.h).
 */
#include "tb_linux_cmds.h"

#include <string.h>

void tb_linux_tlbi_begin(struct tb_tlbi_iter *it, uint64_t iova, uint64_t pages,
			 bool ril, uint16_t vmid, uint16_t asid)
{
	memset(it, 0, sizeof(*it));
	it->iova = iova;
	it->pages = pages;
	it->ril = ril;
	it->c.opcode = CMDQ_OP_TLBI_NH_VA;
	it->c.vmid = vmid;
	it->c.asid = asid;
	it->c.leaf = true;
	if (ril) {
		/* TG = (12 - 10) / 2: 4 KiB; TTL = 4 - ((12 - 3) / (12 - 3)) */
		it->c.tg = (TB_LINUX_PAGE_SHIFT - 10) / 2;
		it->c.ttl = 3;
	}
}

bool tb_linux_tlbi_next(struct tb_tlbi_iter *it, struct cmd *out)
{
	uint64_t step = 1;

	if (!it->pages)
		return false;
	it->c.addr = it->iova;
	if (it->ril) {
		/* NUM at most 31 (CMDQ_TLBI_RANGE_NUM_MAX) */
		unsigned scale = (unsigned)__builtin_ctzll(it->pages);
		uint64_t num = (it->pages >> scale) & 31;

		it->c.scale = (uint8_t)scale;
		it->c.num = (uint8_t)(num - 1);
		step = num << scale;
	}
	*out = it->c;
	it->iova += step << TB_LINUX_PAGE_SHIFT;
	it->pages -= step;
	return true;
}

uint32_t tb_linux_tlbi_range(struct cmd *out, uint32_t max, uint64_t iova,
			     uint64_t pages, bool ril, uint16_t vmid,
			     uint16_t asid)
{
	struct tb_tlbi_iter it;
	struct cmd c;
	uint32_t n = 0;

	tb_linux_tlbi_begin(&it, iova, pages, ril, vmid, asid);
	while (tb_linux_tlbi_next(&it, &c)) {
		if (n < max)
			out[n] = c;
		n++;
	}
	return n;
}

struct cmd tb_linux_atc_inv(uint32_t sid, uint64_t iova, uint64_t size)
{
	uint64_t first = iova >> TB_LINUX_PAGE_SHIFT;
	uint64_t last = (iova + size - 1) >> TB_LINUX_PAGE_SHIFT;
	unsigned log2_span = 0;
	struct cmd c;

	memset(&c, 0, sizeof(c));
	c.opcode = CMDQ_OP_ATC_INV;
	c.sid = sid;
	if (!size) {
		c.size =
			CMD_ATC_INV_SIZE_ALL; /* address 0, as Linux leaves it */
		return c;
	}
	for (uint64_t x = first ^ last; x; x >>= 1)
		log2_span++; /* fls() */
	c.addr = (first & ~((1ull << log2_span) - 1)) << TB_LINUX_PAGE_SHIFT;
	c.size = (uint8_t)log2_span;
	return c;
}
