/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cmd.cpp - SMMUv3 command encode/decode (cmd.h).
 *
 * The field layouts below are transcribed from IHI 0070 4.2-4.7; arm-smmu-v3.h
 * (Linux positions) independently of model/src/cmd.c, so a wrong position on
 * either side fails.  Round trips use random values masked to each field's
 * width; known vectors are real words written by Linux 6.1 under QEMU 7.2
 * (traces/qemu-7.2/, described in traces/README.md; commands.csv.gz).
 */
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "cmdqv_sim/cmd.h"

namespace
{

/* Members of struct cmd a field can land in. */
enum class M {
	sid,
	ssid,
	ssv,
	ssec,
	leaf,
	global,
	range,
	vmid,
	asid,
	addr,
	num,
	scale,
	tg,
	ttl,
	size,
	cs,
	msh,
	msiattr,
	msidata,
	msiaddr,
	grpid,
	resp,
	stag
};

uint64_t get(const struct cmd &c, M m)
{
	switch (m) {
	case M::sid:
		return c.sid;
	case M::ssid:
		return c.ssid;
	case M::ssv:
		return c.ssv;
	case M::ssec:
		return c.ssec;
	case M::leaf:
		return c.leaf;
	case M::global:
		return c.global;
	case M::range:
		return c.range;
	case M::vmid:
		return c.vmid;
	case M::asid:
		return c.asid;
	case M::addr:
		return c.addr;
	case M::num:
		return c.num;
	case M::scale:
		return c.scale;
	case M::tg:
		return c.tg;
	case M::ttl:
		return c.ttl;
	case M::size:
		return c.size;
	case M::cs:
		return c.cs;
	case M::msh:
		return c.msh;
	case M::msiattr:
		return c.msiattr;
	case M::msidata:
		return c.msidata;
	case M::msiaddr:
		return c.msiaddr;
	case M::grpid:
		return c.grpid;
	case M::resp:
		return c.resp;
	case M::stag:
		return c.stag;
	}
	return 0;
}

void set(struct cmd &c, M m, uint64_t v)
{
	switch (m) {
	case M::sid:
		c.sid = (uint32_t)v;
		break;
	case M::ssid:
		c.ssid = (uint32_t)v;
		break;
	case M::ssv:
		c.ssv = v != 0;
		break;
	case M::ssec:
		c.ssec = v != 0;
		break;
	case M::leaf:
		c.leaf = v != 0;
		break;
	case M::global:
		c.global = v != 0;
		break;
	case M::range:
		c.range = (uint8_t)v;
		break;
	case M::vmid:
		c.vmid = (uint16_t)v;
		break;
	case M::asid:
		c.asid = (uint16_t)v;
		break;
	case M::addr:
		c.addr = v;
		break;
	case M::num:
		c.num = (uint8_t)v;
		break;
	case M::scale:
		c.scale = (uint8_t)v;
		break;
	case M::tg:
		c.tg = (uint8_t)v;
		break;
	case M::ttl:
		c.ttl = (uint8_t)v;
		break;
	case M::size:
		c.size = (uint8_t)v;
		break;
	case M::cs:
		c.cs = (uint8_t)v;
		break;
	case M::msh:
		c.msh = (uint8_t)v;
		break;
	case M::msiattr:
		c.msiattr = (uint8_t)v;
		break;
	case M::msidata:
		c.msidata = (uint32_t)v;
		break;
	case M::msiaddr:
		c.msiaddr = v;
		break;
	case M::grpid:
		c.grpid = (uint16_t)v;
		break;
	case M::resp:
		c.resp = (uint8_t)v;
		break;
	case M::stag:
		c.stag = (uint16_t)v;
		break;
	}
}

/* One field: word, bits [hi:lo]; "address" fields keep their bits in place
 * (the member is a byte address whose low bits are zero). */
struct Field {
	M member;
	int word;
	int hi, lo;
	bool address;
};

uint64_t mask(int hi, int lo)
{
	uint64_t m = (hi == 63) ? ~0ull : ((1ull << (hi + 1)) - 1);
	return m & ~((1ull << lo) - 1);
}

struct Layout {
	const char *name;
	uint8_t opcode;
	std::vector<Field> fields;
};

/* IHI 0070 4.2-4.7; arm-smmu-v3.h (and IHI 0070 4.1; arm-smmu-v3.h for the
 * generic SSec/SSV positions). */
const Field SID{ M::sid, 0, 63, 32, false };
const Field SSID{ M::ssid, 0, 31, 12, false };
const Field SSV{ M::ssv, 0, 11, 11, false };
const Field SSEC{ M::ssec, 0, 10, 10, false };
const Field VMID{ M::vmid, 0, 47, 32, false };
const Field ASID{ M::asid, 0, 63, 48, false };
const Field NUM{ M::num, 0, 16, 12, false };
const Field SCALE{ M::scale, 0, 24, 20, false };
const Field LEAF{ M::leaf, 1, 0, 0, false };
const Field TTL{ M::ttl, 1, 9, 8, false };
const Field TG{ M::tg, 1, 11, 10, false };
const Field VA{ M::addr, 1, 63, 12, true };

const std::vector<Layout> &layouts()
{
	static const std::vector<Layout> l = {
		{ "CMD_PREFETCH_CONFIG", 0x01, { SID, SSID, SSV, SSEC } },
		{ "CMD_PREFETCH_ADDR",
		  0x02,
		  { SID, SSID, SSV, SSEC, VA, { M::size, 1, 4, 0, false } } },
		{ "CMD_CFGI_STE", 0x03, { SID, SSEC, LEAF } },
		{ "CMD_CFGI_STE_RANGE",
		  0x04,
		  { SID, SSEC, { M::range, 1, 4, 0, false } } },
		{ "CMD_CFGI_CD", 0x05, { SID, SSID, SSEC, LEAF } },
		{ "CMD_CFGI_CD_ALL", 0x06, { SID, SSEC } },
		{ "CMD_TLBI_NH_ALL", 0x10, { VMID } },
		{ "CMD_TLBI_NH_ASID", 0x11, { ASID, VMID } },
		{ "CMD_TLBI_NH_VA",
		  0x12,
		  { ASID, VMID, NUM, SCALE, VA, TG, TTL, LEAF } },
		{ "CMD_TLBI_NH_VAA",
		  0x13,
		  { VMID, NUM, SCALE, VA, TG, TTL, LEAF } },
		{ "CMD_TLBI_EL3_ALL", 0x18, {} },
		{ "CMD_TLBI_EL3_VA", 0x1A, { NUM, SCALE, VA, TG, TTL, LEAF } },
		{ "CMD_TLBI_EL2_ALL", 0x20, {} },
		{ "CMD_TLBI_EL2_ASID", 0x21, { ASID } },
		{ "CMD_TLBI_EL2_VA",
		  0x22,
		  { ASID, NUM, SCALE, VA, TG, TTL, LEAF } },
		{ "CMD_TLBI_EL2_VAA", 0x23, { NUM, SCALE, VA, TG, TTL, LEAF } },
		{ "CMD_TLBI_S12_VMALL", 0x28, { VMID } },
		{ "CMD_TLBI_S2_IPA",
		  0x2A,
		  { VMID,
		    NUM,
		    SCALE,
		    { M::addr, 1, 51, 12, true },
		    TG,
		    TTL,
		    LEAF } },
		{ "CMD_TLBI_NSNH_ALL", 0x30, {} },
		{ "CMD_ATC_INV",
		  0x40,
		  { SID,
		    SSID,
		    SSV,
		    { M::global, 0, 9, 9, false },
		    VA,
		    { M::size, 1, 5, 0, false } } },
		{ "CMD_PRI_RESP",
		  0x41,
		  { SID,
		    SSID,
		    SSV,
		    { M::grpid, 1, 8, 0, false },
		    { M::resp, 1, 13, 12, false } } },
		{ "CMD_RESUME",
		  0x44,
		  { SID,
		    SSEC,
		    { M::resp, 0, 13, 12, false },
		    { M::stag, 1, 15, 0, false } } },
		{ "CMD_STALL_TERM", 0x45, { SID, SSEC } },
		{ "CMD_SYNC",
		  0x46,
		  { { M::cs, 0, 13, 12, false },
		    { M::msh, 0, 23, 22, false },
		    { M::msiattr, 0, 27, 24, false },
		    { M::msidata, 0, 63, 32, false },
		    { M::msiaddr, 1, 51, 2, true } } },
	};
	return l;
}

/* gtest prints parameters with this (instead of a byte dump). */
void PrintTo(const Layout &l, std::ostream *os)
{
	*os << l.name;
}

/* The test's own extraction of field @f from @dw. */
uint64_t extract(const uint64_t dw[2], const Field &f)
{
	uint64_t v = dw[f.word] & mask(f.hi, f.lo);
	return f.address ? v : v >> f.lo;
}

class CmdLayout : public ::testing::TestWithParam<Layout> {};

TEST_P(CmdLayout, NameAndOpcodeAgree)
{
	const Layout &l = GetParam();
	ASSERT_NE(cmd_name(l.opcode), nullptr);
	EXPECT_STREQ(cmd_name(l.opcode), l.name);
	EXPECT_TRUE(cmd_opcode_known(l.opcode));
	bool all = true;
	EXPECT_EQ(cmd_opcode_by_name(l.name, &all), l.opcode);
	EXPECT_FALSE(all);
	EXPECT_EQ(cmd_opcode_by_name(l.name + 4, nullptr),
		  l.opcode); /* without "CMD_" */
}

/* Decode random words: each field equals the test's own extraction, every
 * member the opcode does not have is zero, and re-encoding gives back exactly
 * the bits of the opcode's fields. */
TEST_P(CmdLayout, DecodeRandomWordsMatchesSpecPositions)
{
	const Layout &l = GetParam();
	std::mt19937_64 rng(l.opcode * 1000003ull);
	uint64_t keep[2] = { 0xff, 0 };
	for (const Field &f : l.fields)
		keep[f.word] |= mask(f.hi, f.lo);
	for (int iter = 0; iter < 500; iter++) {
		uint64_t dw[2] = { (rng() & ~0xffull) | l.opcode, rng() };
		struct cmd c;
		std::memset(&c, 0xa5,
			    sizeof(c)); /* decode must clear everything */
		cmd_decode(dw, &c);
		EXPECT_EQ(c.opcode, l.opcode);
		struct cmd expect;
		std::memset(&expect, 0, sizeof(expect));
		expect.opcode = l.opcode;
		for (const Field &f : l.fields)
			set(expect, f.member, extract(dw, f));
		for (int m = 0; m <= (int)M::stag; m++)
			ASSERT_EQ(get(c, (M)m), get(expect, (M)m))
				<< l.name << " member #" << m << " w0=0x"
				<< std::hex << dw[0] << " w1=0x" << dw[1];
		uint64_t out[2];
		cmd_encode(&c, out);
		EXPECT_EQ(out[0], dw[0] & keep[0]) << l.name;
		EXPECT_EQ(out[1], dw[1] & keep[1]) << l.name;
	}
}

/* Encode random field values masked to the field widths, decode, compare. */
TEST_P(CmdLayout, EncodeDecodeRoundTrip)
{
	const Layout &l = GetParam();
	std::mt19937_64 rng(l.opcode + 77);
	for (int iter = 0; iter < 500; iter++) {
		struct cmd c;
		std::memset(&c, 0, sizeof(c));
		c.opcode = l.opcode;
		for (const Field &f : l.fields) {
			uint64_t v = rng() & mask(f.hi, f.lo);
			set(c, f.member, f.address ? v : v >> f.lo);
		}
		uint64_t dw[2];
		cmd_encode(&c, dw);
		EXPECT_EQ(cmd_opcode(dw[0]), l.opcode);
		for (const Field &f : l.fields)
			EXPECT_EQ(extract(dw, f), get(c, f.member)) << l.name;
		struct cmd back;
		cmd_decode(dw, &back);
		EXPECT_EQ(std::memcmp(&back, &c, sizeof(c)), 0) << l.name;
	}
}

/* Values wider than a field are truncated to it; fields the opcode lacks are
 * ignored by the encoder. */
TEST_P(CmdLayout, EncodeTruncatesAndIgnoresForeignFields)
{
	const Layout &l = GetParam();
	struct cmd c;
	std::memset(&c, 0xff, sizeof(c));
	c.ssv = c.ssec = c.leaf = c.global = true;
	c.opcode = l.opcode;
	uint64_t dw[2];
	cmd_encode(&c, dw);
	uint64_t keep[2] = { 0xff, 0 };
	for (const Field &f : l.fields)
		keep[f.word] |= mask(f.hi, f.lo);
	EXPECT_EQ(dw[0], (keep[0] & ~0xffull) | l.opcode) << l.name;
	EXPECT_EQ(dw[1], keep[1]) << l.name;
}

INSTANTIATE_TEST_SUITE_P(AllOpcodes, CmdLayout, ::testing::ValuesIn(layouts()),
			 [](const ::testing::TestParamInfo<Layout> &i) {
				 return std::string(i.param.name + 4);
			 });

/* The public field table (cmd_field_*) is the one decode and encode use:
 * a field deposited through it decodes to all-ones in its member and
 * re-encodes to the same words; the fields do not overlap. */
TEST_P(CmdLayout, PublicFieldTableDrivesDecodeAndEncode)
{
	const Layout &l = GetParam();
	const struct cmd_field_info *f;
	uint64_t seen[2] = { 0, 0 };

	for (unsigned i = 0; (f = cmd_field_at(l.opcode, i)) != nullptr; i++) {
		uint64_t dw[2] = { l.opcode, 0 }, back[2];
		struct cmd c;

		EXPECT_EQ(cmd_field_find(l.opcode, f->name), f) << f->name;
		EXPECT_TRUE(cmd_field_name_known(f->name));
		ASSERT_LT(f->word, 2u);
		EXPECT_EQ(seen[f->word] & cmd_field_mask(f), 0u)
			<< l.name << " " << f->name << " overlaps";
		seen[f->word] |= cmd_field_mask(f);
		cmd_field_deposit(dw, f, UINT64_MAX);
		EXPECT_EQ(dw[f->word] & cmd_field_mask(f), cmd_field_mask(f));
		EXPECT_EQ(cmd_opcode(dw[0]), l.opcode);
		cmd_decode(dw, &c);
		cmd_encode(&c, back);
		EXPECT_EQ(back[0], dw[0]) << l.name << " " << f->name;
		EXPECT_EQ(back[1], dw[1]) << l.name << " " << f->name;
	}
	EXPECT_EQ(cmd_field_find(l.opcode, "no_such_field"), nullptr);
	EXPECT_FALSE(cmd_field_name_known("no_such_field"));
}

TEST(Cmd, TableCoversEveryOpcodeAndNothingElse)
{
	std::vector<bool> listed(256, false);
	for (const Layout &l : layouts())
		listed[l.opcode] = true;
#define CHECK_LISTED(name, val) EXPECT_TRUE(listed[val]) << #name;
	CMD_OPCODE_MAP(CHECK_LISTED)
#undef CHECK_LISTED
	for (int op = 0; op < 256; op++) {
		EXPECT_EQ(cmd_opcode_known((uint8_t)op), listed[op])
			<< "opcode " << op;
		EXPECT_EQ(cmd_name((uint8_t)op) != nullptr, listed[op])
			<< "opcode " << op;
	}
}

TEST(Cmd, UnknownOpcodeDecodesToOpcodeOnly)
{
	/* 0x07 is QEMU 7.2's bogus CFGI_ALL value (IHI 0070 4.1; arm-smmu-v3.h:
	 * CMDQ_OP_*). */
	for (uint8_t op : { 0x00, 0x07, 0x14, 0x80, 0xff }) {
		uint64_t dw[2] = { ~0ull << 8 | op, ~0ull };
		struct cmd c;
		cmd_decode(dw, &c);
		struct cmd zero;
		std::memset(&zero, 0, sizeof(zero));
		zero.opcode = op;
		EXPECT_EQ(std::memcmp(&c, &zero, sizeof(c)), 0) << (int)op;
		EXPECT_EQ(cmd_name(op), nullptr);
		uint64_t out[2];
		cmd_encode(&c, out);
		EXPECT_EQ(out[0], op);
		EXPECT_EQ(out[1], 0u);
	}
}

TEST(Cmd, NameLookup)
{
	bool all = false;
	EXPECT_EQ(cmd_opcode_by_name("CMD_CFGI_ALL", &all),
		  CMDQ_OP_CFGI_STE_RANGE);
	EXPECT_TRUE(all);
	all = false;
	EXPECT_EQ(cmd_opcode_by_name("CFGI_ALL", &all), CMDQ_OP_CFGI_STE_RANGE);
	EXPECT_TRUE(all);
	EXPECT_EQ(cmd_opcode_by_name("CFGI_ALL", nullptr),
		  CMDQ_OP_CFGI_STE_RANGE);
	EXPECT_EQ(cmd_opcode_by_name("CMD_CFGI_STE_RANGE", &all),
		  CMDQ_OP_CFGI_STE_RANGE);
	EXPECT_FALSE(all);
	EXPECT_EQ(cmd_opcode_by_name("CMD_SYNC", nullptr), CMDQ_OP_SYNC);
	EXPECT_EQ(cmd_opcode_by_name("SYNC", nullptr), CMDQ_OP_SYNC);
	EXPECT_EQ(cmd_opcode_by_name("CMD_", nullptr), -1);
	EXPECT_EQ(cmd_opcode_by_name("", nullptr), -1);
	EXPECT_EQ(cmd_opcode_by_name("cmd_sync", nullptr),
		  -1); /* names are exact */
	EXPECT_EQ(cmd_opcode_by_name("CMD_SYNCX", nullptr), -1);
	EXPECT_EQ(cmd_opcode_by_name("CMD_CMD_SYNC", nullptr), -1);
	EXPECT_EQ(cmd_opcode_by_name(nullptr, &all), -1);
	EXPECT_FALSE(all);
}

/* ---- real words (QEMU 7.2 hw/arm/trace-events, traces/qemu-7.2) ---- */

struct cmd decode2(uint64_t w0, uint64_t w1)
{
	uint64_t dw[2] = { w0, w1 };
	struct cmd c;
	cmd_decode(dw, &c);
	return c;
}

TEST(CmdKnownVectors, TlbiNhVaRange216Pages)
{
	/* README: one range TLBI, QEMU prints chunks 0x80+0x40+0x10+0x8. */
	struct cmd c = decode2(0x000100000031a012ull, 0x00000000ffd00701ull);
	EXPECT_EQ(c.opcode, CMDQ_OP_TLBI_NH_VA);
	EXPECT_EQ(c.asid, 1);
	EXPECT_EQ(c.vmid, 0);
	EXPECT_EQ(c.num, 26);
	EXPECT_EQ(c.scale, 3);
	EXPECT_EQ(c.tg, 1);
	EXPECT_EQ(c.ttl, 3);
	EXPECT_TRUE(c.leaf);
	EXPECT_EQ(c.addr, 0xffd00000ull);
	EXPECT_EQ(cmd_tlbi_range_pages(&c), 216u);
	EXPECT_EQ(cmd_tlbi_range_pages(&c), 0x80u + 0x40u + 0x10u + 0x8u);
	EXPECT_EQ(cmd_range_bytes(&c), 216u * 4096u);
	uint64_t dw[2];
	cmd_encode(&c, dw);
	EXPECT_EQ(dw[0], 0x000100000031a012ull);
	EXPECT_EQ(dw[1], 0x00000000ffd00701ull);
}

TEST(CmdKnownVectors, SyncSev)
{
	struct cmd c = decode2(0x000000000fc02046ull, 0);
	EXPECT_EQ(c.opcode, CMDQ_OP_SYNC);
	EXPECT_EQ(c.cs, CMD_SYNC_CS_SEV);
	EXPECT_EQ(c.msh, 3);
	EXPECT_EQ(c.msiattr, 0xf);
	EXPECT_EQ(c.msidata, 0u);
	EXPECT_EQ(c.msiaddr, 0u);
}

TEST(CmdKnownVectors, BootSequenceFromCommandsCsv)
{
	/* traces/qemu-7.2/boot/commands.csv: raw words and the recorder's
         * own field decode. */
	struct cmd c = decode2(0x0000000000000004ull,
			       0x000000000000001full); /* CFGI_ALL */
	EXPECT_EQ(c.opcode, CMDQ_OP_CFGI_STE_RANGE);
	EXPECT_EQ(c.sid, 0u);
	EXPECT_EQ(c.range, CMD_CFGI_RANGE_ALL);

	c = decode2(0x0000000000000030ull, 0);
	EXPECT_EQ(c.opcode, CMDQ_OP_TLBI_NSNH_ALL);

	c = decode2(0x0000000800000003ull, 0x0000000000000001ull);
	EXPECT_EQ(c.opcode, CMDQ_OP_CFGI_STE);
	EXPECT_EQ(c.sid, 8u);
	EXPECT_TRUE(c.leaf);

	c = decode2(0x0000000800000001ull, 0);
	EXPECT_EQ(c.opcode, CMDQ_OP_PREFETCH_CONFIG);
	EXPECT_EQ(c.sid, 8u);
	EXPECT_EQ(c.ssid, 0u);
	EXPECT_FALSE(c.ssv);

	c = decode2(0x0001000000000011ull, 0);
	EXPECT_EQ(c.opcode, CMDQ_OP_TLBI_NH_ASID);
	EXPECT_EQ(c.asid, 1);
	EXPECT_EQ(c.vmid, 0);

	c = decode2(0x0001000000000012ull, 0x00000000ffff6701ull);
	EXPECT_EQ(c.opcode, CMDQ_OP_TLBI_NH_VA);
	EXPECT_EQ(c.asid, 1);
	EXPECT_EQ(c.addr, 0xffff6000ull);
	EXPECT_EQ(c.num, 0);
	EXPECT_EQ(c.scale, 0);
	EXPECT_EQ(c.tg, 1);
	EXPECT_EQ(c.ttl, 3);
	EXPECT_TRUE(c.leaf);
	EXPECT_EQ(cmd_tlbi_range_pages(&c), 1u); /* csv num_pages = 1 */
}

/* ---- ranges ---- */

TEST(CmdRange, TlbiPagesAndGranules)
{
	struct cmd c;
	std::memset(&c, 0, sizeof(c));
	c.opcode = CMDQ_OP_TLBI_S2_IPA;
	c.num = 31;
	c.scale = 31;
	c.tg = 0; /* no range semantics: one 4 KB page */
	EXPECT_EQ(cmd_tlbi_range_pages(&c), 1u);
	EXPECT_EQ(cmd_range_bytes(&c), 4096u);
	c.tg = 1;
	EXPECT_EQ(cmd_tlbi_range_pages(&c), 32ull << 31); /* no overflow */
	EXPECT_EQ(cmd_range_bytes(&c), (32ull << 31) << 12);
	c.num = 1;
	c.scale = 2;
	c.tg = 2; /* 16 KB */
	EXPECT_EQ(cmd_tlbi_range_pages(&c), 8u);
	EXPECT_EQ(cmd_range_bytes(&c), 8u * 16384u);
	c.tg = 3; /* 64 KB */
	EXPECT_EQ(cmd_range_bytes(&c), 8u * 65536u);
}

TEST(CmdRange, AtcInvSpan)
{
	struct cmd c;
	std::memset(&c, 0, sizeof(c));
	c.opcode = CMDQ_OP_ATC_INV;
	c.size = 0;
	EXPECT_EQ(cmd_range_bytes(&c), 4096u);
	c.size = 9;
	EXPECT_EQ(cmd_range_bytes(&c), 4096u << 9);
	c.size = 51;
	EXPECT_EQ(cmd_range_bytes(&c), 1ull << 63);
	c.size = CMD_ATC_INV_SIZE_ALL; /* everything */
	EXPECT_EQ(cmd_range_bytes(&c), UINT64_MAX);
	c.size = 63;
	EXPECT_EQ(cmd_range_bytes(&c), UINT64_MAX);
}

TEST(CmdRange, CommandsWithoutAddressHaveNoSpan)
{
	for (uint8_t op : { CMDQ_OP_SYNC, CMDQ_OP_TLBI_NH_ASID,
			    CMDQ_OP_CFGI_STE, CMDQ_OP_TLBI_NSNH_ALL }) {
		struct cmd c;
		std::memset(&c, 0, sizeof(c));
		c.opcode = op;
		EXPECT_EQ(cmd_range_bytes(&c), 0u) << (int)op;
	}
}

/* ---- formatting ---- */

TEST(CmdFormat, OneLineWithFields)
{
	struct cmd c = decode2(0x000100000031a012ull, 0x00000000ffd00701ull);
	char buf[256];
	int n = cmd_format(&c, buf, sizeof(buf));
	std::string s(buf);
	EXPECT_EQ(n, (int)s.size());
	EXPECT_EQ(s.rfind("CMD_TLBI_NH_VA ", 0), 0u) << s;
	EXPECT_NE(s.find("asid=1"), std::string::npos) << s;
	EXPECT_NE(s.find("addr=0xffd00000"), std::string::npos) << s;
	EXPECT_NE(s.find("num=26"), std::string::npos) << s;
	EXPECT_NE(s.find("scale=3"), std::string::npos) << s;
	EXPECT_EQ(s.find('\n'), std::string::npos);

	c = decode2(0x0000000000000004ull, 0x1f);
	cmd_format(&c, buf, sizeof(buf));
	EXPECT_NE(std::string(buf).find("CFGI_ALL"), std::string::npos) << buf;

	c = decode2(0x07, 0);
	cmd_format(&c, buf, sizeof(buf));
	EXPECT_NE(std::string(buf).find("0x07"), std::string::npos) << buf;
}

TEST(CmdFormat, TruncatesSafelyAndReportsNeededLength)
{
	struct cmd c = decode2(0x000000000fc02046ull, 0);
	char full[256];
	int n = cmd_format(&c, full, sizeof(full));
	ASSERT_GT(n, 10);
	char small[8];
	std::memset(small, 'x', sizeof(small));
	EXPECT_EQ(cmd_format(&c, small, sizeof(small)), n);
	EXPECT_EQ(std::string(small),
		  std::string(full, 7)); /* NUL-terminated prefix */
	EXPECT_EQ(cmd_format(&c, nullptr, 0), n);
}

} // namespace
