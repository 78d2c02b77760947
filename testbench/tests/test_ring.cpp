/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_ring.cpp - queue index arithmetic (ring.h, IHI 0070 3.5) for every
 * LOG2SIZE 0..19, checked against a reference that counts entries with
 * unbounded 64-bit producer/consumer totals: a {wrap, index} position is just
 * the total modulo 2^(LOG2SIZE+1).
 */
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "cmdqv_sim/ring.h"

namespace
{

constexpr uint32_t kConsErr = 0x7fu
			      << 24; /* CMDQ_CONS.ERR, not a position bit */

/* The register value of absolute count @n: {wrap, index}. */
uint32_t pos_of(struct ring r, uint64_t n)
{
	return (uint32_t)(n % (2ull << r.log2size));
}

/* Counts to probe around every interesting boundary of a queue of @entries. */
std::vector<uint64_t> probe_counts(uint64_t entries)
{
	std::vector<uint64_t> v;
	for (uint64_t base :
	     { (uint64_t)0, entries, 2 * entries, 3 * entries, 7 * entries })
		for (int64_t d : { -2, -1, 0, 1, 2 })
			if ((int64_t)base + d >= 0)
				v.push_back(base + d);
	v.push_back(entries / 2);
	v.push_back(entries + entries / 2);
	return v;
}

class RingSizes : public ::testing::TestWithParam<int> {
    protected:
	struct ring r {
		(uint8_t) GetParam()
	};
	uint64_t n = 1ull << GetParam();
};

TEST_P(RingSizes, Geometry)
{
	EXPECT_EQ(ring_entries(r), n);
	EXPECT_EQ(ring_pos_mask(r), 2 * n - 1);
	/* Wrap is bit LOG2SIZE, index bits below it. */
	EXPECT_EQ(ring_wrap(r, (uint32_t)n), 1u);
	EXPECT_EQ(ring_idx(r, (uint32_t)n), 0u);
	EXPECT_EQ(ring_wrap(r, (uint32_t)n - 1), 0u);
	EXPECT_EQ(ring_idx(r, (uint32_t)n - 1), n - 1);
}

TEST_P(RingSizes, EmptyFullUsedSpaceMatchReference)
{
	for (uint64_t c : probe_counts(n)) {
		for (uint64_t used :
		     { (uint64_t)0, (uint64_t)1, n / 2, n - 1, n }) {
			if (used > n)
				continue;
			uint64_t p = c + used;
			uint32_t prod = pos_of(r, p), cons = pos_of(r, c);
			SCOPED_TRACE(::testing::Message()
				     << "cons=" << c << " used=" << used);
			EXPECT_EQ(ring_empty(r, prod, cons), used == 0);
			EXPECT_EQ(ring_full(r, prod, cons), used == n);
			EXPECT_EQ(ring_used(r, prod, cons), used);
			EXPECT_EQ(ring_space(r, prod, cons), n - used);
			/* CONS.ERR bits are not part of the position. */
			EXPECT_EQ(ring_empty(r, prod, cons | kConsErr),
				  used == 0);
			EXPECT_EQ(ring_full(r, prod, cons | kConsErr),
				  used == n);
			EXPECT_EQ(ring_used(r, prod, cons | kConsErr), used);
		}
	}
}

TEST_P(RingSizes, AddWrapsAndTogglesWrapBit)
{
	for (uint64_t c : probe_counts(n)) {
		for (uint64_t k : { (uint64_t)0, (uint64_t)1, n - 1, n, n + 1,
				    2 * n, 3 * n - 1 }) {
			uint32_t got = ring_add(r, pos_of(r, c), (uint32_t)k);
			EXPECT_EQ(got, pos_of(r, c + k))
				<< "c=" << c << " k=" << k;
		}
	}
	/* Adding one entry to the last index clears the index and flips wrap. */
	uint32_t last = (uint32_t)n - 1;
	EXPECT_EQ(ring_add(r, last, 1), (uint32_t)n);
	EXPECT_EQ(ring_add(r, last | (uint32_t)n, 1), 0u);
	/* Bits above the wrap bit are dropped. */
	EXPECT_EQ(ring_add(r, kConsErr | 0u, 1) & ~ring_pos_mask(r), 0u);
}

/* Linux's "entry P consumed" test equals "P < C" for every P within one
 * queue length of the consumer (the only positions software ever asks about). */
TEST_P(RingSizes, ConsumedMatchesReference)
{
	for (uint64_t c : probe_counts(n)) {
		if (c < n)
			continue; /* keep C - N >= 0 */
		uint32_t cons = pos_of(r, c);
		auto check = [&](uint64_t p) {
			EXPECT_EQ(ring_consumed(r, cons, pos_of(r, p)), p < c)
				<< "cons=" << c << " p=" << p;
			EXPECT_EQ(ring_consumed(r, cons | kConsErr,
						pos_of(r, p)),
				  p < c);
		};
		if (n <= 1024) {
			for (uint64_t p = c - n; p < c + n; p++)
				check(p);
		} else {
			for (uint64_t p :
			     { c - n, c - n + 1, c - n / 2, c - 2, c - 1, c,
			       c + 1, c + n / 2, c + n - 2, c + n - 1 })
				check(p);
		}
	}
}

TEST_P(RingSizes, EntryAddressUsesIndexOnly)
{
	const uint64_t base =
		0x8000000000ull; /* 2^39, naturally aligned for 2^19 x 16 */
	for (uint64_t c : probe_counts(n)) {
		uint32_t pos = pos_of(r, c);
		uint64_t want = base + 16 * (c % n);
		EXPECT_EQ(ring_entry_addr(r, base, pos), want) << "c=" << c;
		EXPECT_EQ(ring_entry_addr(r, base, pos | kConsErr), want);
	}
	EXPECT_EQ(ring_entry_addr(r, base, (uint32_t)n - 1),
		  base + 16 * (n - 1));
	EXPECT_EQ(ring_entry_addr(r, base, (uint32_t)n),
		  base); /* wrapped to index 0 */
}

INSTANTIATE_TEST_SUITE_P(Log2Size, RingSizes, ::testing::Range(0, 20),
			 [](const ::testing::TestParamInfo<int> &i) {
				 return "log2size_" + std::to_string(i.param);
			 });

TEST(Ring, LinuxFreeSpaceFormula)
{
	/* IHI 0070 3.5: wraps equal -> N - (p - c); else c - p. */
	struct ring r {
		4
	};
	EXPECT_EQ(ring_space(r, 5, 3), 16u - 2u);
	EXPECT_EQ(ring_space(r, 16 | 3, 5), 5u - 3u);
	EXPECT_EQ(ring_space(r, 16 | 5, 5), 0u);
}

} // namespace
