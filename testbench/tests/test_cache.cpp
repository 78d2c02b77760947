/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cache.cpp - the TLB and config-cache models (cache.c): the exact
 * scope of every TLBI and CFGI command (IHI 0070 4.3, 4.4, 4.4.1.1),
 * table-driven, plus a randomised differential test of the entry set
 * against a plain reference list.
 *
 * Each table row states the scope in its own words (a predicate over the
 * populated entries), independently of how cache.c stores or finds them.
 */
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

extern "C" {
#include "cache_set.h"
#include "internal.h"
#include "tb_harness.h"
}

namespace
{

constexpr uint64_t kPage = 4096;
constexpr uint64_t kA = 0x100000; /* a mapped IOVA */
constexpr uint64_t kB = 0x40000000; /* far from kA */
constexpr uint64_t kTop = 0xFFFFFFFFFFFFF000ull; /* last 4 KiB page */

struct Ent {
	cmdqv_tlb_kind kind;
	uint16_t vmid;
	uint16_t asid;
	uint64_t addr;
};

std::string ent_str(const Ent &e)
{
	static const char *kinds[] = { "NH", "EL2", "S2" };
	char buf[96];
	snprintf(buf, sizeof(buf), "%s vmid=%u asid=%u addr=0x%llx",
		 kinds[e.kind], e.vmid, e.asid, (unsigned long long)e.addr);
	return buf;
}

/* The population every scope row starts from.  EL2 entries carry no VMID
 * and S2 entries no ASID (their values are stored as 0). */
std::vector<Ent> population()
{
	std::vector<Ent> v;
	const uint64_t pages[] = { 0,
				   kA,
				   kA + kPage,
				   kA + 2 * kPage,
				   kA + 3 * kPage,
				   kA + 15 * kPage,
				   kA + 16 * kPage,
				   kB,
				   kTop };
	for (uint64_t a : pages) {
		for (uint16_t vmid : { 1, 2 })
			for (uint16_t asid : { 10, 11 })
				v.push_back({ CMDQV_TLB_NH, vmid, asid, a });
		for (uint16_t asid : { 10, 11 })
			v.push_back({ CMDQV_TLB_EL2, 0, asid, a });
		for (uint16_t vmid : { 1, 2 })
			v.push_back({ CMDQV_TLB_S2, vmid, 0, a });
	}
	return v;
}

cmd make(uint8_t op)
{
	cmd c{};
	c.opcode = op;
	return c;
}
cmd va(uint8_t op, uint16_t vmid, uint16_t asid, uint64_t addr, uint8_t tg = 0,
       uint8_t num = 0, uint8_t scale = 0)
{
	cmd c = tb_cmd_tlbi_nh_va(vmid, asid, addr); /* leaf, TTL 0 */
	c.opcode = op;
	c.tg = tg;
	c.num = num;
	c.scale = scale;
	return c;
}

bool in(uint64_t a, uint64_t first, uint64_t bytes)
{
	return a >= first && a - first < bytes;
}

struct ScopeRow {
	const char *name;
	cmd c;
	bool s2;
	std::function<bool(const Ent &)> removes;
};

bool nh(const Ent &e)
{
	return e.kind == CMDQV_TLB_NH;
}
bool el2(const Ent &e)
{
	return e.kind == CMDQV_TLB_EL2;
}
bool s2k(const Ent &e)
{
	return e.kind == CMDQV_TLB_S2;
}

std::vector<ScopeRow> scope_rows()
{
	std::vector<ScopeRow> r;
	r.push_back({ "NH_ALL(vmid=1)", va(CMDQ_OP_TLBI_NH_ALL, 1, 0, 0), true,
		      [](const Ent &e) { return nh(e) && e.vmid == 1; } });
	r.push_back({ "NH_ASID(vmid=1,asid=10)",
		      va(CMDQ_OP_TLBI_NH_ASID, 1, 10, 0), true,
		      [](const Ent &e) {
			      return nh(e) && e.vmid == 1 && e.asid == 10;
		      } });
	r.push_back({ "NH_VA TG=0 single entry",
		      va(CMDQ_OP_TLBI_NH_VA, 1, 10, kA + kPage), true,
		      [](const Ent &e) {
			      return nh(e) && e.vmid == 1 && e.asid == 10 &&
				     e.addr == kA + kPage;
		      } });
	r.push_back({ "NH_VA 4K NUM=1 SCALE=0 (2 pages)",
		      va(CMDQ_OP_TLBI_NH_VA, 2, 11, kA + kPage, 1, 1, 0), true,
		      [](const Ent &e) {
			      return nh(e) && e.vmid == 2 && e.asid == 11 &&
				     in(e.addr, kA + kPage, 2 * kPage);
		      } });
	r.push_back({ "NH_VA 4K NUM=0 SCALE=1 (2 pages)",
		      va(CMDQ_OP_TLBI_NH_VA, 1, 10, kA, 1, 0, 1), true,
		      [](const Ent &e) {
			      return nh(e) && e.vmid == 1 && e.asid == 10 &&
				     in(e.addr, kA, 2 * kPage);
		      } });
	r.push_back({ "NH_VA 16K granule (4 pages)",
		      va(CMDQ_OP_TLBI_NH_VA, 1, 10, kA, 2, 0, 0), true,
		      [](const Ent &e) {
			      return nh(e) && e.vmid == 1 && e.asid == 10 &&
				     in(e.addr, kA, 16384);
		      } });
	r.push_back({ "NH_VA 64K granule (16 pages)",
		      va(CMDQ_OP_TLBI_NH_VA, 1, 10, kA, 3, 0, 0), true,
		      [](const Ent &e) {
			      return nh(e) && e.vmid == 1 && e.asid == 10 &&
				     in(e.addr, kA, 65536);
		      } });
	r.push_back({ "NH_VA huge range (table walk path)",
		      va(CMDQ_OP_TLBI_NH_VA, 1, 10, 0, 1, 31, 20), true,
		      [](const Ent &e) {
			      return nh(e) && e.vmid == 1 && e.asid == 10 &&
				     in(e.addr, 0, (32ull << 20) * kPage);
		      } });
	r.push_back({ "NH_VA range at the top does not wrap",
		      va(CMDQ_OP_TLBI_NH_VA, 1, 10, kTop, 1, 31, 5), true,
		      [](const Ent &e) {
			      return nh(e) && e.vmid == 1 && e.asid == 10 &&
				     e.addr == kTop;
		      } });
	r.push_back({ "NH_VAA(vmid=2) every ASID",
		      va(CMDQ_OP_TLBI_NH_VAA, 2, 0, kA), true,
		      [](const Ent &e) {
			      return nh(e) && e.vmid == 2 && e.addr == kA;
		      } });
	r.push_back({ "NH_VAA range",
		      va(CMDQ_OP_TLBI_NH_VAA, 1, 0, kA, 1, 3, 0), true,
		      [](const Ent &e) {
			      return nh(e) && e.vmid == 1 &&
				     in(e.addr, kA, 4 * kPage);
		      } });
	r.push_back({ "EL2_ALL", make(CMDQ_OP_TLBI_EL2_ALL), true, el2 });
	r.push_back({ "EL2_ASID(11)", va(CMDQ_OP_TLBI_EL2_ASID, 0, 11, 0), true,
		      [](const Ent &e) { return el2(e) && e.asid == 11; } });
	r.push_back({ "EL2_VA(asid=10)",
		      va(CMDQ_OP_TLBI_EL2_VA, 0, 10, kA + 2 * kPage), true,
		      [](const Ent &e) {
			      return el2(e) && e.asid == 10 &&
				     e.addr == kA + 2 * kPage;
		      } });
	r.push_back({ "EL2_VA range",
		      va(CMDQ_OP_TLBI_EL2_VA, 0, 11, kA, 1, 1, 1), true,
		      [](const Ent &e) {
			      return el2(e) && e.asid == 11 &&
				     in(e.addr, kA, 4 * kPage);
		      } });
	r.push_back({ "EL2_VAA every ASID",
		      va(CMDQ_OP_TLBI_EL2_VAA, 0, 0, kA + 3 * kPage), true,
		      [](const Ent &e) {
			      return el2(e) && e.addr == kA + 3 * kPage;
		      } });
	r.push_back({ "S12_VMALL(vmid=2): NH and S2 of the VMID",
		      va(CMDQ_OP_TLBI_S12_VMALL, 2, 0, 0), true,
		      [](const Ent &e) {
			      return (nh(e) || s2k(e)) && e.vmid == 2;
		      } });
	r.push_back({ "S2_IPA single: S2 only, combined NH entries stay",
		      va(CMDQ_OP_TLBI_S2_IPA, 1, 0, kA + kPage), true,
		      [](const Ent &e) {
			      return s2k(e) && e.vmid == 1 &&
				     e.addr == kA + kPage;
		      } });
	r.push_back({ "S2_IPA range",
		      va(CMDQ_OP_TLBI_S2_IPA, 2, 0, kA, 1, 15, 0), true,
		      [](const Ent &e) {
			      return s2k(e) && e.vmid == 2 &&
				     in(e.addr, kA, 16 * kPage);
		      } });
	r.push_back({ "NSNH_ALL: NH and S2 of every VMID, not EL2",
		      make(CMDQ_OP_TLBI_NSNH_ALL), true,
		      [](const Ent &e) { return nh(e) || s2k(e); } });
	r.push_back({ "EL3_ALL: nothing modelled", make(CMDQ_OP_TLBI_EL3_ALL),
		      true, [](const Ent &) { return false; } });
	r.push_back({ "EL3_VA: nothing modelled",
		      va(CMDQ_OP_TLBI_EL3_VA, 0, 0, kA), true,
		      [](const Ent &) { return false; } });
	/* IHI 0070 4.4: without stage 2 the VMID is not matched by NH_* */
	r.push_back({ "no S2: NH_ALL ignores the VMID",
		      va(CMDQ_OP_TLBI_NH_ALL, 1, 0, 0), false, nh });
	r.push_back({ "no S2: NH_ASID ignores the VMID",
		      va(CMDQ_OP_TLBI_NH_ASID, 1, 10, 0), false,
		      [](const Ent &e) { return nh(e) && e.asid == 10; } });
	r.push_back({ "no S2: NH_VA ignores the VMID",
		      va(CMDQ_OP_TLBI_NH_VA, 7, 10, kA), false,
		      [](const Ent &e) {
			      return nh(e) && e.asid == 10 && e.addr == kA;
		      } });
	r.push_back({ "no S2: NH_VAA ignores the VMID",
		      va(CMDQ_OP_TLBI_NH_VAA, 7, 0, kB), false,
		      [](const Ent &e) { return nh(e) && e.addr == kB; } });
	return r;
}

class TlbScope : public ::testing::TestWithParam<size_t> {};

TEST_P(TlbScope, RemovesExactlyTheCommandsScope)
{
	const ScopeRow row = scope_rows()[GetParam()];
	struct tlb *t = nullptr;
	ASSERT_EQ(tlb_create(4096, &t), CMDQV_OK);
	const std::vector<Ent> pop = population();
	for (const Ent &e : pop)
		ASSERT_EQ(tlb_insert(t, e.kind, e.vmid, e.asid, e.addr, 1),
			  CMDQV_OK);
	ASSERT_EQ(tlb_count(t, -1), pop.size());

	size_t expect_removed = 0;
	for (const Ent &e : pop)
		expect_removed += row.removes(e);
	size_t scanned = 0;
	EXPECT_EQ(tlb_invalidate(t, &row.c, row.s2, &scanned), expect_removed)
		<< row.name;
	for (const Ent &e : pop)
		EXPECT_EQ(tlb_present(t, e.kind, e.vmid, e.asid, e.addr),
			  !row.removes(e))
			<< row.name << ": " << ent_str(e);
	EXPECT_EQ(tlb_count(t, -1), pop.size() - expect_removed);
	size_t vm1 = 0;
	for (const Ent &e : pop)
		vm1 += e.kind != CMDQV_TLB_EL2 && e.vmid == 1 &&
		       !row.removes(e);
	EXPECT_EQ(tlb_count(t, 1), vm1) << row.name;
	tlb_destroy(t);
}

/* A test name for row @index called @name: non-alphanumerics become '_'. */
std::string param_name(const std::string &name, size_t index)
{
	std::string out;
	for (char ch : name)
		out += isalnum((unsigned char)ch) ? ch : '_';
	return out + "_" + std::to_string(index);
}

/* The test name of row @info.param of the table @rows() returns. */
template <auto rows>
std::string row_name(const ::testing::TestParamInfo<size_t> &info)
{
	return param_name(rows()[info.param].name, info.param);
}

/* Suite @suite once for every row of the table @rows() returns. */
#define INSTANTIATE_FOR_ROWS(prefix, suite, rows)                            \
	INSTANTIATE_TEST_SUITE_P(prefix, suite,                              \
				 ::testing::Range<size_t>(0, rows().size()), \
				 row_name<rows>)

INSTANTIATE_FOR_ROWS(EveryTlbi, TlbScope, scope_rows);

TEST(Tlb, NonTlbiCommandsRemoveNothing)
{
	struct tlb *t = nullptr;
	ASSERT_EQ(tlb_create(64, &t), CMDQV_OK);
	ASSERT_EQ(tlb_insert(t, CMDQV_TLB_NH, 1, 1, kA, 4), CMDQV_OK);
	for (uint8_t op :
	     { CMDQ_OP_CFGI_STE, CMDQ_OP_CFGI_STE_RANGE, CMDQ_OP_CFGI_CD,
	       CMDQ_OP_CFGI_CD_ALL, CMDQ_OP_ATC_INV, CMDQ_OP_SYNC,
	       CMDQ_OP_PREFETCH_CONFIG, CMDQ_OP_PREFETCH_ADDR, CMDQ_OP_PRI_RESP,
	       CMDQ_OP_RESUME, CMDQ_OP_STALL_TERM }) {
		cmd c = va(op, 1, 1, kA);
		c.range = 31;
		c.size = 52;
		EXPECT_EQ(tlb_invalidate(t, &c, true, nullptr), 0u)
			<< cmd_name(op);
	}
	EXPECT_EQ(tlb_count(t, -1), 4u);
	tlb_destroy(t);
}

TEST(Tlb, InsertIsIdempotentAndCapacityIsFixed)
{
	struct tlb *t = nullptr;
	ASSERT_EQ(tlb_create(8, &t), CMDQV_OK);
	EXPECT_EQ(tlb_insert(t, CMDQV_TLB_NH, 3, 4, kA, 8), CMDQV_OK);
	EXPECT_EQ(tlb_insert(t, CMDQV_TLB_NH, 3, 4, kA, 8),
		  CMDQV_OK); /* already there */
	EXPECT_EQ(tlb_count(t, 3), 8u);
	EXPECT_EQ(tlb_insert(t, CMDQV_TLB_NH, 3, 4, kB, 1), CMDQV_ENOMEM);
	EXPECT_FALSE(tlb_present(t, CMDQV_TLB_NH, 3, 4, kB));
	/* A removal makes room again. */
	cmd c = va(CMDQ_OP_TLBI_NH_VA, 3, 4, kA);
	EXPECT_EQ(tlb_invalidate(t, &c, true, nullptr), 1u);
	EXPECT_EQ(tlb_insert(t, CMDQV_TLB_NH, 3, 4, kB, 1), CMDQV_OK);
	tlb_destroy(t);
}

TEST(Tlb, EntryCoversItsWholePage)
{
	struct tlb *t = nullptr;
	ASSERT_EQ(tlb_create(8, &t), CMDQV_OK);
	ASSERT_EQ(tlb_insert(t, CMDQV_TLB_NH, 1, 1, kA + 0x123, 1), CMDQV_OK);
	EXPECT_TRUE(tlb_present(t, CMDQV_TLB_NH, 1, 1, kA));
	EXPECT_TRUE(tlb_present(t, CMDQV_TLB_NH, 1, 1, kA + 0xfff));
	EXPECT_FALSE(tlb_present(t, CMDQV_TLB_NH, 1, 1, kA + 0x1000));
	EXPECT_FALSE(tlb_present(t, CMDQV_TLB_NH, 2, 1, kA));
	EXPECT_FALSE(tlb_present(t, CMDQV_TLB_NH, 1, 2, kA));
	EXPECT_FALSE(tlb_present(t, CMDQV_TLB_S2, 1, 1, kA));
	tlb_destroy(t);
}

TEST(Tlb, ByAddressInvalidationVisitsFewEntries)
{
	/* A full TLB: a single-page NH_VA must not examine every entry. */
	struct tlb *t = nullptr;
	ASSERT_EQ(tlb_create(4096, &t), CMDQV_OK);
	for (uint16_t vmid = 0; vmid < 16; vmid++)
		ASSERT_EQ(tlb_insert(t, CMDQV_TLB_NH, vmid, 1, kA, 256),
			  CMDQV_OK);
	ASSERT_EQ(tlb_count(t, -1), 4096u);
	cmd c = va(CMDQ_OP_TLBI_NH_VA, 5, 1, kA + 7 * kPage);
	size_t scanned = 0;
	EXPECT_EQ(tlb_invalidate(t, &c, true, &scanned), 1u);
	EXPECT_GT(scanned, 0u);
	EXPECT_LT(scanned, 64u);
	tlb_destroy(t);
}

/* ---- randomised differential test of the entry set ---- */

struct Ref {
	std::vector<Ent> ents;
	bool has(const Ent &e) const
	{
		for (const Ent &x : ents)
			if (x.kind == e.kind && x.vmid == e.vmid &&
			    x.asid == e.asid && x.addr == e.addr)
				return true;
		return false;
	}
};

Ent norm(Ent e)
{
	if (e.kind == CMDQV_TLB_EL2)
		e.vmid = 0;
	if (e.kind == CMDQV_TLB_S2)
		e.asid = 0;
	e.addr &= ~(kPage - 1);
	return e;
}

TEST(Tlb, RandomOperationsMatchAReferenceList)
{
	for (uint32_t seed = 1; seed <= 40; seed++) {
		std::mt19937 rng(seed);
		const uint32_t cap = 16 + seed * 3;
		struct tlb *t = nullptr;
		ASSERT_EQ(tlb_create(cap, &t), CMDQV_OK);
		Ref ref;
		auto rnd = [&](uint32_t n) { return (uint32_t)(rng() % n); };
		for (int step = 0; step < 3000; step++) {
			if (rnd(3) != 0) {
				Ent e = norm({ (cmdqv_tlb_kind)rnd(3),
					       (uint16_t)rnd(3),
					       (uint16_t)rnd(3),
					       kA + rnd(24) * kPage });
				bool had = ref.has(e);
				int rc = tlb_insert(t, e.kind, e.vmid, e.asid,
						    e.addr, 1);
				if (had || ref.ents.size() < cap) {
					ASSERT_EQ(rc, CMDQV_OK);
					if (!had)
						ref.ents.push_back(e);
				} else {
					ASSERT_EQ(rc, CMDQV_ENOMEM);
				}
			} else {
				static const uint8_t ops[] = {
					CMDQ_OP_TLBI_NH_ALL,
					CMDQ_OP_TLBI_NH_ASID,
					CMDQ_OP_TLBI_NH_VA,
					CMDQ_OP_TLBI_NH_VAA,
					CMDQ_OP_TLBI_EL2_VA,
					CMDQ_OP_TLBI_EL2_VAA,
					CMDQ_OP_TLBI_S2_IPA,
					CMDQ_OP_TLBI_S12_VMALL,
					CMDQ_OP_TLBI_EL2_ASID
				};
				uint8_t op = ops[rnd(sizeof(ops))];
				uint8_t tg = (uint8_t)rnd(2);
				cmd c = va(op, (uint16_t)rnd(3),
					   (uint16_t)rnd(3),
					   kA + rnd(24) * kPage, tg,
					   (uint8_t)rnd(4), (uint8_t)rnd(2));
				bool s2 = rnd(4) != 0;
				uint64_t span = tg ? cmd_range_bytes(&c) : 1;
				auto gone = [&](const Ent &e) {
					bool n = e.kind == CMDQV_TLB_NH,
					     x = e.kind == CMDQV_TLB_EL2,
					     s = e.kind == CMDQV_TLB_S2;
					bool vm = e.vmid == c.vmid,
					     as = e.asid == c.asid,
					     rg = in(e.addr, c.addr, span);
					switch (op) {
					case CMDQ_OP_TLBI_NH_ALL:
						return n && (!s2 || vm);
					case CMDQ_OP_TLBI_NH_ASID:
						return n && (!s2 || vm) && as;
					case CMDQ_OP_TLBI_NH_VA:
						return n && (!s2 || vm) && as &&
						       rg;
					case CMDQ_OP_TLBI_NH_VAA:
						return n && (!s2 || vm) && rg;
					case CMDQ_OP_TLBI_EL2_VA:
						return x && as && rg;
					case CMDQ_OP_TLBI_EL2_VAA:
						return x && rg;
					case CMDQ_OP_TLBI_EL2_ASID:
						return x && as;
					case CMDQ_OP_TLBI_S2_IPA:
						return s && vm && rg;
					case CMDQ_OP_TLBI_S12_VMALL:
						return (n || s) && vm;
					}
					return false;
				};
				size_t expect = 0;
				std::vector<Ent> keep;
				for (const Ent &e : ref.ents) {
					if (gone(e))
						expect++;
					else
						keep.push_back(e);
				}
				ASSERT_EQ(tlb_invalidate(t, &c, s2, nullptr),
					  expect)
					<< "seed " << seed << " step " << step;
				ref.ents = keep;
			}
			ASSERT_EQ(tlb_count(t, -1), ref.ents.size());
		}
		for (const Ent &e : ref.ents)
			ASSERT_TRUE(
				tlb_present(t, e.kind, e.vmid, e.asid, e.addr))
				<< "seed " << seed << " " << ent_str(e);
		for (uint16_t vmid = 0; vmid < 3; vmid++) {
			size_t n = 0;
			for (const Ent &e : ref.ents)
				n += e.kind != CMDQV_TLB_EL2 && e.vmid == vmid;
			ASSERT_EQ(tlb_count(t, vmid), n);
		}
		tlb_destroy(t);
	}
}

/* ---- config cache ---- */

struct CfgEnt {
	uint32_t sid;
	uint32_t ssid;
};

std::vector<CfgEnt> cfg_population()
{
	std::vector<CfgEnt> v;
	for (uint32_t sid : { 0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 0x100u,
			      0x80000000u, 0xFFFFFFFFu })
		for (uint32_t ssid : { (uint32_t)CMDQV_SSID_NONE, 0u, 5u })
			v.push_back({ sid, ssid });
	return v;
}

struct CfgRow {
	const char *name;
	cmd c;
	std::function<bool(const CfgEnt &)> removes;
};

cmd cfgi(uint8_t op, uint32_t sid, uint32_t ssid = 0, uint8_t range = 0)
{
	cmd c = make(op);
	c.sid = sid;
	c.ssid = ssid;
	c.range = range;
	c.leaf = true;
	return c;
}

std::vector<CfgRow> cfg_rows()
{
	const uint32_t none = CMDQV_SSID_NONE;
	return {
		{ "CFGI_STE(2): the STE and its CDs", cfgi(CMDQ_OP_CFGI_STE, 2),
		  [](const CfgEnt &e) { return e.sid == 2; } },
		{ "CFGI_STE(0xFFFFFFFF)", cfgi(CMDQ_OP_CFGI_STE, 0xFFFFFFFFu),
		  [](const CfgEnt &e) { return e.sid == 0xFFFFFFFFu; } },
		{ "CFGI_STE_RANGE(sid=3,range=0): SIDs 2..3",
		  cfgi(CMDQ_OP_CFGI_STE_RANGE, 3, 0, 0),
		  [](const CfgEnt &e) { return e.sid == 2 || e.sid == 3; } },
		{ "CFGI_STE_RANGE(sid=5,range=1): SIDs 4..7",
		  cfgi(CMDQ_OP_CFGI_STE_RANGE, 5, 0, 1),
		  [](const CfgEnt &e) { return e.sid >= 4 && e.sid <= 7; } },
		{ "CFGI_STE_RANGE(sid=0x1ff,range=7): SIDs 0x100..0x1ff",
		  cfgi(CMDQ_OP_CFGI_STE_RANGE, 0x1ff, 0, 7),
		  [](const CfgEnt &e) {
			  return e.sid >= 0x100 && e.sid <= 0x1ff;
		  } },
		{ "CFGI_STE_RANGE(range=30): the lower 2^31 SIDs",
		  cfgi(CMDQ_OP_CFGI_STE_RANGE, 0x1234, 0, 30),
		  [](const CfgEnt &e) { return e.sid < 0x80000000u; } },
		{ "CFGI_ALL (range=31)",
		  cfgi(CMDQ_OP_CFGI_STE_RANGE, 0x1234, 0, 31),
		  [](const CfgEnt &) { return true; } },
		{ "CFGI_CD(1, 5)", cfgi(CMDQ_OP_CFGI_CD, 1, 5),
		  [](const CfgEnt &e) { return e.sid == 1 && e.ssid == 5; } },
		{ "CFGI_CD(1, 0)", cfgi(CMDQ_OP_CFGI_CD, 1, 0),
		  [](const CfgEnt &e) { return e.sid == 1 && e.ssid == 0; } },
		{ "CFGI_CD_ALL(6): every CD of the SID, not its STE",
		  cfgi(CMDQ_OP_CFGI_CD_ALL, 6),
		  [none](const CfgEnt &e) {
			  return e.sid == 6 && e.ssid != none;
		  } },
		{ "TLBI_NSNH_ALL leaves the config cache",
		  cfgi(CMDQ_OP_TLBI_NSNH_ALL, 0),
		  [](const CfgEnt &) { return false; } },
		{ "ATC_INV leaves the config cache", cfgi(CMDQ_OP_ATC_INV, 2),
		  [](const CfgEnt &) { return false; } },
	};
}

class CfgScope : public ::testing::TestWithParam<size_t> {};

TEST_P(CfgScope, RemovesExactlyTheCommandsScope)
{
	const CfgRow row = cfg_rows()[GetParam()];
	struct cfgc *c = nullptr;
	ASSERT_EQ(cfgc_create(1024, &c), CMDQV_OK);
	const auto pop = cfg_population();
	for (const CfgEnt &e : pop)
		ASSERT_EQ(cfgc_insert(c, e.sid, e.ssid), CMDQV_OK);
	size_t expect = 0;
	for (const CfgEnt &e : pop)
		expect += row.removes(e);
	EXPECT_EQ(cfgc_invalidate(c, &row.c), expect) << row.name;
	for (const CfgEnt &e : pop)
		EXPECT_EQ(cfgc_present(c, e.sid, e.ssid), !row.removes(e))
			<< row.name << ": sid=" << e.sid << " ssid=" << e.ssid;
	cfgc_destroy(c);
}

INSTANTIATE_FOR_ROWS(EveryCfgi, CfgScope, cfg_rows);

TEST(ConfigCache, CapacityIsFixed)
{
	struct cfgc *c = nullptr;
	ASSERT_EQ(cfgc_create(2, &c), CMDQV_OK);
	EXPECT_EQ(cfgc_insert(c, 1, CMDQV_SSID_NONE), CMDQV_OK);
	EXPECT_EQ(cfgc_insert(c, 1, 0), CMDQV_OK);
	EXPECT_EQ(cfgc_insert(c, 1, 0), CMDQV_OK);
	EXPECT_EQ(cfgc_insert(c, 2, 0), CMDQV_ENOMEM);
	EXPECT_FALSE(cfgc_present(c, 2, 0));
	cfgc_destroy(c);
}

/* ---- the entry set itself ---- */

TEST(CacheSet, ClusterRemovalKeepsOtherKeysReachable)
{
	/* Hash on the tag only: every entry of one tag lands in one cluster,
         * and deleting from the middle of a cluster must keep later
         * entries (of other tags, displaced into it) findable. */
	struct cache_set s;
	ASSERT_EQ(cache_set_init(&s, 64, CACHE_HASH_TAG), CMDQV_OK);
	for (uint32_t tag = 0; tag < 8; tag++)
		for (uint64_t p = 0; p < 8; p++) {
			cache_ent e{};
			e.tag = tag;
			e.page = p;
			ASSERT_EQ(cache_set_insert(&s, &e, nullptr), CMDQV_OK);
		}
	cache_ent key{};
	key.tag = 3;
	EXPECT_EQ(cache_set_remove_cluster(&s, &key, nullptr, nullptr, nullptr,
					   nullptr, nullptr),
		  8u);
	for (uint32_t tag = 0; tag < 8; tag++)
		for (uint64_t p = 0; p < 8; p++) {
			cache_ent e{};
			e.tag = tag;
			e.page = p;
			EXPECT_EQ(cache_set_find(&s, &e), tag != 3)
				<< tag << "/" << p;
		}
	EXPECT_EQ(s.live, 56u);
	cache_set_clear(&s);
	EXPECT_EQ(s.live, 0u);
	cache_set_deinit(&s);
}

} // namespace
