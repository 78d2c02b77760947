/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_config.cpp - configuration (config.h): defaults equal params.def,
 * cmdqv_config_set parsing and errors, cmdqv_config_validate rules, and the
 * number/time parsers.
 */
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ostream>
#include <initializer_list>
#include <string>
#include <vector>

#include "cmdqv_sim/config.h"
#include "cmdqv_sim/model.h"
#include "cmdqv_sim/status.h"

namespace
{

/* The test's own unit table (config.h: ps|ns|us|ms|s). */
uint64_t unit_ps(const std::string &u)
{
	if (u == "ps")
		return 1;
	if (u == "ns")
		return 1000;
	if (u == "us")
		return 1000000;
	if (u == "ms")
		return 1000000000;
	if (u == "s")
		return 1000000000000;
	return 0;
}

struct Row {
	const char *key;
	enum cmdqv_param_kind kind;
	const char *unit;
	const char *def_text;
	uint64_t def;
	const char *src;
	const char *doc;
};

const std::vector<Row> &rows()
{
	static const std::vector<Row> r = {
#define X(key, kind, unit, def, src, doc) \
	{ #key, CMDQV_PARAM_##kind, unit, #def, (uint64_t)(def), src, doc },
#include "cmdqv_sim/params.def"
#undef X
	};
	return r;
}

/* Value of @key in @cfg, via the struct member (not via config.c). */
uint64_t member(const struct cmdqv_config &cfg, const std::string &key)
{
#define X(k, kind, unit, def, src, doc) \
	if (key == #k)                  \
		return (uint64_t)cfg.k;
#include "cmdqv_sim/params.def"
#undef X
	ADD_FAILURE() << "no member " << key;
	return 0;
}

TEST(ConfigDefaults, EveryFieldEqualsParamsDef)
{
	struct cmdqv_config cfg;
	std::memset(&cfg, 0x5a, sizeof(cfg));
	cmdqv_config_defaults(&cfg);
	for (const Row &r : rows()) {
		uint64_t want = r.def;
		if (r.kind == CMDQV_PARAM_TIME) {
			ASSERT_NE(unit_ps(r.unit), 0u)
				<< r.key << ": TIME unit " << r.unit;
			want *= unit_ps(r.unit);
		}
		EXPECT_EQ(member(cfg, r.key), want) << r.key;
	}
}

TEST(ConfigDefaults, KnownSpotValues)
{
	struct cmdqv_config cfg;
	cmdqv_config_defaults(&cfg);
	EXPECT_EQ(cfg.mmio_read_latency, SIM_NS(200));
	EXPECT_EQ(cfg.atc_timeout, SIM_MS(60000)); /* one minute */
	EXPECT_EQ(cfg.vintfs, 64u);
	EXPECT_EQ(cfg.vcmdqs, 128u);
	EXPECT_TRUE(cfg.s1p);
	EXPECT_FALSE(cfg.pri);
}

TEST(ConfigDefaults, DefaultsValidate)
{
	struct cmdqv_config cfg;
	cmdqv_config_defaults(&cfg);
	char err[256] = "";
	EXPECT_EQ(cmdqv_config_validate(&cfg, err, sizeof(err)), CMDQV_OK)
		<< err;
}

TEST(ConfigParams, InfoListsEveryRowInOrder)
{
	ASSERT_EQ(cmdqv_param_count(), rows().size());
	for (size_t i = 0; i < rows().size(); i++) {
		const struct cmdqv_param_info *p = cmdqv_param_info(i);
		const Row &r = rows()[i];
		ASSERT_NE(p, nullptr);
		EXPECT_STREQ(p->key, r.key);
		EXPECT_EQ(p->kind, r.kind) << r.key;
		EXPECT_STREQ(p->unit, r.unit) << r.key;
		EXPECT_STREQ(p->default_text, r.def_text) << r.key;
		EXPECT_STREQ(p->source, r.src) << r.key;
		EXPECT_STREQ(p->description, r.doc) << r.key;
		EXPECT_GT(std::strlen(p->source), 0u) << r.key;
	}
	EXPECT_EQ(cmdqv_param_info(rows().size()), nullptr);
}

TEST(ConfigParams, EveryDefaultRoundTripsThroughSet)
{
	/* Setting each key to its documented default text gives the default. */
	struct cmdqv_config a, b;
	cmdqv_config_defaults(&a);
	std::memset(&b, 0, sizeof(b));
	cmdqv_config_defaults(&b);
	for (size_t i = 0; i < cmdqv_param_count(); i++) {
		const struct cmdqv_param_info *p = cmdqv_param_info(i);
		char err[256] = "";
		ASSERT_EQ(cmdqv_config_set(&b, p->key, p->default_text, err,
					   sizeof(err)),
			  CMDQV_OK)
			<< p->key << ": " << err;
		EXPECT_EQ(member(b, p->key), member(a, p->key)) << p->key;
	}
}

/* ---- cmdqv_config_set ---- */

class ConfigSet : public ::testing::Test {
    protected:
	void SetUp() override
	{
		cmdqv_config_defaults(&cfg);
		cmdqv_config_defaults(&orig);
	}
	int set(const char *k, const char *v)
	{
		err[0] = '\0';
		return cmdqv_config_set(&cfg, k, v, err, sizeof(err));
	}
	bool unchanged() const
	{
		for (const Row &r : rows())
			if (member(cfg, r.key) != member(orig, r.key))
				return false;
		return true;
	}
	/* Every one of @bad is refused for @key, leaves the configuration as it
	 * was and names the key in the message. */
	void expect_rejected(const char *key,
			     std::initializer_list<const char *> bad)
	{
		const std::string named = std::string(key) + ":";
		for (const char *v : bad) {
			cmdqv_config_defaults(&cfg);
			EXPECT_EQ(set(key, v), CMDQV_EVALUE) << key << "=" << v;
			EXPECT_TRUE(unchanged()) << key << "=" << v;
			EXPECT_NE(std::string(err).find(named),
				  std::string::npos)
				<< err;
		}
	}
	struct cmdqv_config cfg, orig;
	char err[256];
};

TEST_F(ConfigSet, Booleans)
{
	const std::pair<const char *, bool> ok[] = {
		{ "0", false },	    { "1", true },   { "true", true },
		{ "false", false }, { "on", true },  { "off", false },
		{ "yes", true },    { "no", false }, { "TRUE", true },
		{ "Off", false },
	};
	for (auto &c : ok) {
		ASSERT_EQ(set("pri", c.first), CMDQV_OK)
			<< c.first << ": " << err;
		EXPECT_EQ(cfg.pri, c.second) << c.first;
	}
	expect_rejected("pri", { "", "2", "maybe", "truee", " 1" });
}

TEST_F(ConfigSet, Numbers)
{
	EXPECT_EQ(set("exec_cycles", "17"), CMDQV_OK) << err;
	EXPECT_EQ(cfg.exec_cycles, 17u);
	EXPECT_EQ(set("exec_cycles", "0x20"), CMDQV_OK) << err;
	EXPECT_EQ(cfg.exec_cycles, 32u);
	EXPECT_EQ(set("exec_cycles", "0XfF"), CMDQV_OK) << err;
	EXPECT_EQ(cfg.exec_cycles, 255u);
	EXPECT_EQ(set("exec_cycles", "4294967295"), CMDQV_OK) << err;
	EXPECT_EQ(cfg.exec_cycles, UINT32_MAX);
	expect_rejected("exec_cycles", { "", "-1", "4294967296", "12ns", "1.5",
					 "0x", "abc", "1 " });
}

TEST_F(ConfigSet, TimesWithAndWithoutUnits)
{
	EXPECT_EQ(set("fetch_latency", "1.5us"), CMDQV_OK) << err;
	EXPECT_EQ(cfg.fetch_latency, SIM_NS(1500));
	EXPECT_EQ(set("fetch_latency", "250"), CMDQV_OK)
		<< err; /* bare: in ns */
	EXPECT_EQ(cfg.fetch_latency, SIM_NS(250));
	EXPECT_EQ(set("atc_timeout", "2"), CMDQV_OK) << err; /* bare: in ms */
	EXPECT_EQ(cfg.atc_timeout, SIM_MS(2));
	EXPECT_EQ(set("atc_timeout", "1s"), CMDQV_OK) << err;
	EXPECT_EQ(cfg.atc_timeout, SIM_MS(1000));
	EXPECT_EQ(set("msi_latency", "0ps"), CMDQV_OK) << err;
	EXPECT_EQ(cfg.msi_latency, 0u);
	expect_rejected("fetch_latency", { "", "ns", "12 ns", "12xs", "1.5.5us",
					   "0.0001ps", "-3ns" });
}

TEST_F(ConfigSet, UnknownKey)
{
	EXPECT_EQ(set("lvcmdqs", "2"), CMDQV_EKEY); /* only params.def keys */
	EXPECT_NE(std::string(err).find("lvcmdqs"), std::string::npos) << err;
	EXPECT_EQ(set("", "2"), CMDQV_EKEY);
	EXPECT_EQ(set("VINTFS", "2"), CMDQV_EKEY); /* keys are exact */
	EXPECT_TRUE(unchanged());
}

TEST_F(ConfigSet, ErrorIsOneLineNamingKeyRuleAndValue)
{
	EXPECT_EQ(set("vintfs", "3"), CMDQV_EVALUE);
	EXPECT_STREQ(err,
		     "vintfs: expected a power of two between 1 and 64, got 3");
	EXPECT_TRUE(unchanged());
	for (const Row &r : rows()) {
		set(r.key, "garbage");
		EXPECT_EQ(std::string(err).find('\n'), std::string::npos)
			<< err;
		EXPECT_EQ(std::string(err).rfind(std::string(r.key) + ": ", 0),
			  0u)
			<< err;
	}
}

TEST_F(ConfigSet, ErrorBufferMayBeSmallOrAbsent)
{
	char tiny[8];
	EXPECT_EQ(cmdqv_config_set(&cfg, "vintfs", "3", tiny, sizeof(tiny)),
		  CMDQV_EVALUE);
	EXPECT_EQ(std::strlen(tiny), sizeof(tiny) - 1);
	EXPECT_EQ(cmdqv_config_set(&cfg, "vintfs", "3", nullptr, 0),
		  CMDQV_EVALUE);
	EXPECT_EQ(cmdqv_config_set(&cfg, "vintfs", "8", nullptr, 0), CMDQV_OK);
	EXPECT_EQ(cfg.vintfs, 8u);
}

/* ---- single-parameter rules, checked by set and by validate ---- */

struct Rule {
	const char *key;
	std::vector<const char *> good;
	std::vector<const char *> bad;
};

void PrintTo(const Rule &r, std::ostream *os)
{
	*os << r.key;
}

class ConfigRule : public ::testing::TestWithParam<Rule> {};

TEST_P(ConfigRule, SetAcceptsGoodRejectsBad)
{
	const Rule &r = GetParam();
	const struct {
		const std::vector<const char *> &values;
		int rc;
	} sets[] = { { r.good, CMDQV_OK }, { r.bad, CMDQV_EVALUE } };
	for (const auto &set : sets)
		for (const char *v : set.values) {
			struct cmdqv_config cfg;
			cmdqv_config_defaults(&cfg);
			char err[256] = "";
			EXPECT_EQ(cmdqv_config_set(&cfg, r.key, v, err,
						   sizeof(err)),
				  set.rc)
				<< r.key << "=" << v << ": " << err;
			/* a refusal names the key */
			if (set.rc != CMDQV_OK) {
				EXPECT_NE(std::string(err).find(r.key),
					  std::string::npos)
					<< err;
			}
		}
}

/* validate() applies the same rules to a struct filled directly. */
TEST_P(ConfigRule, ValidateRejectsBadStoredValues)
{
	const Rule &r = GetParam();
	for (const char *v : r.bad) {
		struct cmdqv_config cfg;
		cmdqv_config_defaults(&cfg);
		uint64_t n = std::strtoull(v, nullptr, 0);
#define X(k, kind, unit, def, src, doc) \
	if (std::string(r.key) == #k)   \
		cfg.k = (decltype(cfg.k))n;
#include "cmdqv_sim/params.def"
#undef X
		char err[256] = "";
		EXPECT_EQ(cmdqv_config_validate(&cfg, err, sizeof(err)),
			  CMDQV_EVALUE)
			<< r.key << "=" << v;
		EXPECT_NE(std::string(err).find(r.key), std::string::npos)
			<< err;
	}
}

INSTANTIATE_TEST_SUITE_P(
	Rules, ConfigRule,
	::testing::Values(
		Rule{ "vintfs",
		      { "1", "2", "32", "64" },
		      { "0", "3", "48", "128" } },
		Rule{ "vcmdqs", { "64", "128" }, { "0", "96", "256" } },
		Rule{ "sids_per_vintf",
		      { "1", "2", "16" },
		      { "0", "17", "32" } },
		Rule{ "cmdqs", { "1", "8", "19" }, { "0", "20" } },
		Rule{ "vcmdq_log2size_max", { "0", "19" }, { "20" } },
		Rule{ "smmu_clock_mhz", { "1", "1000", "3000" }, { "0" } },
		Rule{ "ats_outstanding", { "1", "32" }, { "0", "33" } },
		Rule{ "fetch_burst_bytes",
		      { "16", "64", "48", "4096" },
		      { "0", "8", "24", "65" } },
		Rule{ "arb_batch", { "1", "1000" }, { "0" } },
		Rule{ "fetch_slots", { "1" }, { "0" } },
		Rule{ "fetch_buffer_entries", { "1" }, { "0" } },
		Rule{ "tlb_entries", { "1" }, { "0" } },
		Rule{ "cfg_entries", { "1" }, { "0" } },
		Rule{ "atc_entries", { "1" }, { "0" } },
		Rule{ "endpoints", { "1" }, { "0" } },
		Rule{ "sidsize", { "1", "32" }, { "0", "33" } },
		Rule{ "ssidsize", { "0", "20" }, { "21" } },
		Rule{ "eventqs", { "0", "19" }, { "20" } },
		Rule{ "oas",
		      { "32", "36", "44", "48", "52" },
		      { "0", "31", "45", "53", "64" } },
		Rule{ "atc_timeout", { "1ps", "1s" }, { "0" } }),
	[](const ::testing::TestParamInfo<Rule> &i) {
		return std::string(i.param.key);
	});

TEST(ConfigValidate, VcmdqsAtLeastVintfs)
{
	struct cmdqv_config cfg;
	cmdqv_config_defaults(&cfg);
	char err[256] = "";
	ASSERT_EQ(cmdqv_config_set(&cfg, "vcmdqs", "32", err, sizeof(err)),
		  CMDQV_OK)
		<< err;
	/* vintfs = 64 by default: each VINTF would get half a queue. */
	EXPECT_EQ(cmdqv_config_validate(&cfg, err, sizeof(err)), CMDQV_EVALUE);
	EXPECT_NE(std::string(err).find("vcmdqs"), std::string::npos) << err;
	ASSERT_EQ(cmdqv_config_set(&cfg, "vintfs", "32", err, sizeof(err)),
		  CMDQV_OK)
		<< err;
	EXPECT_EQ(cmdqv_config_validate(&cfg, err, sizeof(err)), CMDQV_OK)
		<< err;
}

/* CMD-QV isolates guests by VMID; without stage 2 nothing matches on the
 * VMID (IHI 0070 4.4), so the combination is refused
 * (docs/guest-isolation.md, "Stage 2 is required"). */
TEST(ConfigValidate, CmdqvNeedsStage2)
{
	struct cmdqv_config cfg;
	cmdqv_config_defaults(&cfg);
	char err[512] = "";
	ASSERT_TRUE(cfg.cmdqv && cfg.s2p);
	cfg.s2p = false;
	EXPECT_EQ(cmdqv_config_validate(&cfg, err, sizeof(err)), CMDQV_EVALUE);
	EXPECT_EQ(std::string(err).rfind("s2p: cmdqv=1 needs stage 2", 0), 0u)
		<< err;
	struct cmdqv_model *m = nullptr;
	EXPECT_EQ(cmdqv_model_create(&cfg, nullptr, nullptr, &m, err,
				     sizeof(err)),
		  CMDQV_EVALUE);
	EXPECT_EQ(m, nullptr);
	cfg.cmdqv = false; /* a stage-1-only SMMU without CMD-QV is fine */
	EXPECT_EQ(cmdqv_config_validate(&cfg, err, sizeof(err)), CMDQV_OK)
		<< err;
}

/* ---- parsers ---- */

struct TimeCase {
	const char *text;
	const char *unit;
	int rc;
	uint64_t ps;
};

TEST(ConfigParse, Time)
{
	const TimeCase cases[] = {
		{ "500ps", nullptr, 0, 500 },
		{ "12ns", nullptr, 0, 12000 },
		{ "1.5us", nullptr, 0, 1500000 },
		{ "3ms", nullptr, 0, 3000000000ull },
		{ "2s", nullptr, 0, 2000000000000ull },
		{ "0.5ns", nullptr, 0, 500 },
		{ "0.001ns", nullptr, 0, 1 },
		{ "1.000000000001s", nullptr, 0, 1000000000001ull },
		{ "007ns", nullptr, 0, 7000 },
		{ "18446744073709551615ps", nullptr, 0, UINT64_MAX },
		{ "42", "ns", 0, 42000 },
		{ "42", "us", 0, 42000000 },
		{ "42ps", "ns", 0, 42 }, /* an explicit unit wins */
		{ "42", nullptr, -1, 0 },
		{ "42", "furlongs", -1, 0 },
		{ "", nullptr, -1, 0 },
		{ "ns", nullptr, -1, 0 },
		{ ".5ns", nullptr, -1, 0 },
		{ "5.ns", nullptr, -1, 0 },
		{ "0.0005ns", nullptr, -1, 0 }, /* below one picosecond */
		{ "1.0000000000001s", nullptr, -1, 0 },
		{ "18446744073709551616ps", nullptr, -1, 0 }, /* 2^64 */
		{ "18446745s", nullptr, -1, 0 }, /* overflows ps */
		{ "18446744073.709551616s", nullptr, -1, 0 }, /* 2^64 ps */
		{ "12 ns", nullptr, -1, 0 },
		{ "12NS", nullptr, -1, 0 },
		{ "+12ns", nullptr, -1, 0 },
	};
	for (const TimeCase &c : cases) {
		sim_time_t t = 12345;
		int rc = cmdqv_parse_time(c.text, c.unit, &t);
		EXPECT_EQ(rc, c.rc) << "'" << c.text << "'";
		if (c.rc == 0)
			EXPECT_EQ(t, c.ps) << "'" << c.text << "'";
		else
			EXPECT_EQ(t, 12345u) << "output touched on error: '"
					     << c.text << "'";
	}
}

TEST(ConfigParse, U64)
{
	const std::pair<const char *, uint64_t> ok[] = {
		{ "0", 0 },
		{ "42", 42 },
		{ "0x2a", 42 },
		{ "0X2A", 42 },
		{ "18446744073709551615", UINT64_MAX },
		{ "0xffffffffffffffff", UINT64_MAX },
		{ "0x0000000000000000000001", 1 },
	};
	for (auto &c : ok) {
		uint64_t v = 7;
		EXPECT_EQ(cmdqv_parse_u64(c.first, &v), 0) << c.first;
		EXPECT_EQ(v, c.second) << c.first;
	}
	for (const char *bad :
	     { "", "0x", "-1", "+1", "1 ", " 1", "12a", "0x1g",
	       "18446744073709551616", "0x10000000000000000", "1e3" }) {
		uint64_t v = 7;
		EXPECT_EQ(cmdqv_parse_u64(bad, &v), -1) << "'" << bad << "'";
		EXPECT_EQ(v, 7u) << bad;
	}
}

TEST(Status, NamesAndMessages)
{
	EXPECT_STREQ(cmdqv_status_name(CMDQV_OK), "OK");
	EXPECT_STREQ(cmdqv_status_name(CMDQV_EKEY), "EKEY");
	EXPECT_STREQ(cmdqv_strerror(CMDQV_EKEY), "unknown configuration key");
	EXPECT_STREQ(cmdqv_strerror(CMDQV_OK), "success");
	for (int s = 0; s < CMDQV_STATUS_COUNT; s++) {
		EXPECT_NE(cmdqv_status_name(s), nullptr);
		EXPECT_GT(std::strlen(cmdqv_strerror(s)), 0u);
	}
	EXPECT_NE(cmdqv_status_name(-1), nullptr);
	EXPECT_NE(cmdqv_strerror(CMDQV_STATUS_COUNT), nullptr);
}

} // namespace
