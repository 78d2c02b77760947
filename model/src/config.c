/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config.c - the parameter table generated from params.def (config.h):
 * defaults, text parsing, per-parameter and cross-parameter validation; and
 * the generic table engine (param_table.h) it shares with the testbench's
 * path parameter table.
 *
 * Host-program mistakes only: every error is a status plus a one-line
 * reason naming the key, e.g.
 *     "vintfs: expected a power of two between 1 and 64, got 3".
 * Nothing here runs on the command path.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmdqv_sim/config.h"
#include "cmdqv_sim/param_table.h"
#include "cmdqv_sim/status.h"
#include "member.h"

static const struct cmdqv_param_row param_rows[] = {
#define X(key, kind, unit, def, src, doc) \
	CMDQV_PARAM_ROW(struct cmdqv_config, key, kind, unit, def, src, doc),
#include "cmdqv_sim/params.def"
#undef X
};

#define PARAM_COUNT (sizeof(param_rows) / sizeof(param_rows[0]))

/* ---- time units (config.h: ps|ns|us|ms|s) ---- */

struct time_unit {
	const char *name;
	uint64_t ps;
};

static const struct time_unit time_units[] = {
	{ "ps", 1 },	      { "ns", 1000 },	      { "us", 1000000 },
	{ "ms", 1000000000 }, { "s", 1000000000000 },
};

static const struct time_unit *time_unit_find(const char *name)
{
	for (size_t i = 0; i < sizeof(time_units) / sizeof(time_units[0]); i++)
		if (strcmp(time_units[i].name, name) == 0)
			return &time_units[i];
	return NULL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hand-written rather than strtoull (locale, sign and white-space handling):
 * replay parses every trace token with it, and strtoull was a quarter of
 * replay's time (tb_trace.c).  Hex shifts, decimal divides by a constant. */
int cmdqv_parse_u64(const char *text, uint64_t *out)
{
	const char *p = text;
	uint64_t v = 0;

	if (!p || !*p)
		return -1;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		if (!*p)
			return -1;
		for (; *p; p++) {
			int d = hex_value(*p);

			if (d < 0)
				return -1;
			if (v >> 60)
				return -1; /* would overflow 64 bits */
			v = v << 4 | (uint64_t)d;
		}
	} else {
		for (; *p; p++) {
			uint64_t d;

			if (!is_digit(*p))
				return -1;
			d = (uint64_t)(*p - '0');
			if (v > (UINT64_MAX - d) / 10)
				return -1; /* overflow */
			v = v * 10 + d;
		}
	}
	*out = v;
	return 0;
}

int cmdqv_parse_time(const char *text, const char *default_unit,
		     sim_time_t *out)
{
	uint64_t whole = 0, frac = 0, frac_scale = 1, ps;
	const struct time_unit *unit;
	const char *p = text;
	int ndigits = 0;

	if (!text)
		return -1;
	/* Integer part: at least one digit. */
	for (; is_digit(*p); p++, ndigits++) {
		uint64_t d = (uint64_t)(*p - '0');

		if (whole > (UINT64_MAX - d) / 10)
			return -1; /* overflow */
		whole = whole * 10 + d;
	}
	if (ndigits == 0)
		return -1;
	/* Optional fraction: at least one digit after the point.  More than
	 * twelve fractional digits can never be a whole picosecond count in any
	 * unit, so they are rejected rather than rounded. */
	if (*p == '.') {
		int fdigits = 0;

		for (p++; is_digit(*p); p++, fdigits++) {
			if (fdigits == 12)
				return -1;
			frac = frac * 10 + (uint64_t)(*p - '0');
			frac_scale *= 10;
		}
		if (fdigits == 0)
			return -1;
	}
	if (*p)
		unit = time_unit_find(p);
	else
		unit = default_unit ? time_unit_find(default_unit) : NULL;
	if (!unit)
		return -1;

	if (whole > UINT64_MAX / unit->ps)
		return -1;
	ps = whole * unit->ps;
	if (frac) {
		/* frac < frac_scale <= 10^12 and unit->ps <= 10^12: the product
		 * can reach 10^24, so split the multiply to stay in 64 bits. */
		uint64_t fps;

		if (unit->ps % frac_scale == 0) {
			fps = frac * (unit->ps / frac_scale);
		} else if (frac_scale % unit->ps == 0) {
			uint64_t div = frac_scale / unit->ps;

			if (frac % div != 0)
				return -1; /* finer than one picosecond */
			fps = frac / div;
		} else {
			return -1; /* unreachable: both are powers of ten */
		}
		if (ps > UINT64_MAX - fps)
			return -1;
		ps += fps;
	}
	*out = ps;
	return 0;
}

/* ---- per-parameter rules ---- */

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/**
 * struct param_rule - a single-parameter check.
 * @key:  parameter name
 * @min:  smallest accepted value
 * @max:  largest accepted value
 * @pow2: value must be a power of two
 * @mult: value must be a multiple of this (0 = no rule)
 * @why:  spec tag for the rule
 * @oneof: if non-NULL, the only accepted values (0-terminated list)
 */
struct param_rule {
	const char *key;
	uint64_t min, max;
	bool pow2;
	uint32_t mult;
	const char *why;
	const uint32_t *oneof;
};

/* IDR5.OAS [2:0] (IHI 0070 6.3; arm-smmu-v3.h) encodes only these sizes, 0 = 32
 * bits .. 6 = 52 bits (QEMU 7.2: OAS=4 is 44 bits, QEMU 7.2 hw/arm/smmuv3.c:
 * smmuv3_init_regs()). */
static const uint32_t oas_sizes[] = { 32, 36, 40, 42, 44, 48, 52, 0 };

/* Every U32/TIME parameter not listed accepts any value of its type. */
static const struct param_rule param_rules[] = {
	{ "cmdqs", 1, 19, false, 0,
	  "IHI 0070 6.3; arm-smmu-v3.h: IDR1.CMDQS <= 19", NULL },
	{ "eventqs", 0, 19, false, 0,
	  "QEMU 7.2 hw/arm/smmuv3.c: smmuv3_init_regs(): IDR1.EVENTQS <= 19",
	  NULL },
	{ "sidsize", 1, 32, false, 0, "IDR1.SIDSIZE: at most 32 StreamID bits",
	  NULL },
	{ "ssidsize", 0, 20, false, 0,
	  "IDR1.SSIDSIZE: at most 20 SubstreamID bits", NULL },
	{ "oas", 32, 52, false, 0, "IDR5.OAS encodings", oas_sizes },
	{ "vintfs", 1, 64, true, 0,
	  "docs/cmdqv-reference.md section 5.3: 64 VINTFs, N_VINTF = 2^PARAM[11:8]",
	  NULL },
	{ "vcmdqs", 1, 128, true, 0,
	  "docs/cmdqv-reference.md section 5.3: 128 VCMDQs, N_VCMDQ = 2^PARAM[7:4]",
	  NULL },
	{ "sids_per_vintf", 1, 16, true, 0,
	  "docs/cmdqv-reference.md section 4: the VINTF register file holds 16 SID_MATCH/SID_REPLACE pairs",
	  NULL },
	{ "vcmdq_log2size_max", 0, 19, false, 0,
	  "docs/cmdqv-reference.md section 5.2: LOG2SIZE <= 19", NULL },
	{ "smmu_clock_mhz", 1, 100000, false, 0,
	  "a clock must tick (cycle -> ps conversion)", NULL },
	{ "fetch_burst_bytes", 16, UINT32_MAX, false, 16,
	  "whole 16-byte commands per burst", NULL },
	{ "fetch_slots", 1, UINT32_MAX, false, 0,
	  "at least one fetch in flight", NULL },
	{ "fetch_buffer_entries", 1, UINT32_MAX, false, 0,
	  "room for at least one command", NULL },
	{ "arb_batch", 1, UINT32_MAX, false, 0,
	  "the arbiter must take at least one command", NULL },
	{ "ats_outstanding", 1, 32, false, 0,
	  "PCIe ATS specification (Invalidate Queue Depth, ITag): ITag 0..31",
	  NULL },
	{ "ats_inv_servers", 0, 32, false, 0,
	  "at most one request per ITag (0..31) is in the endpoint", NULL },
	{ "atc_timeout", 1, UINT64_MAX, false, 0,
	  "a zero timeout would fail every ATC_INV", NULL },
	{ "tlb_entries", 1, UINT32_MAX, false, 0, "capacity", NULL },
	{ "cfg_entries", 1, UINT32_MAX, false, 0, "capacity", NULL },
	{ "atc_entries", 1, UINT32_MAX, false, 0, "capacity", NULL },
	{ "endpoints", 1, UINT32_MAX, false, 0, "capacity", NULL },
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void
config_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static const struct param_rule *rule_find(const char *key)
{
	/* the first letter first: validate looks up every parameter */
	for (size_t i = 0; i < sizeof(param_rules) / sizeof(param_rules[0]);
	     i++)
		if (param_rules[i].key[0] == key[0] &&
		    strcmp(param_rules[i].key, key) == 0)
			return &param_rules[i];
	return NULL;
}

/* Format @v the way the user would write it for @row (TIME in ps). */
static void param_value_text(const struct cmdqv_param_row *row, uint64_t v,
			     char *buf, size_t len)
{
	if (row->info.kind == CMDQV_PARAM_TIME)
		snprintf(buf, len, "%llups", (unsigned long long)v);
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

/* Check @v against @row's rule; on failure write the reason to @err. */
static int param_check(const struct cmdqv_param_row *row, uint64_t v, char *err,
		       size_t errlen)
{
	const struct param_rule *r = rule_find(row->info.key);
	char lo[32], hi[32], got[32];
	bool ok;

	if (!r)
		return CMDQV_OK;
	ok = v >= r->min && v <= r->max && (!r->pow2 || is_pow2(v)) &&
	     (!r->mult || v % r->mult == 0);
	if (ok && r->oneof) {
		ok = false;
		for (const uint32_t *o = r->oneof; *o; o++)
			ok = ok || v == *o;
	}
	if (ok)
		return CMDQV_OK;
	param_value_text(row, r->min, lo, sizeof(lo));
	param_value_text(row, r->max, hi, sizeof(hi));
	param_value_text(row, v, got, sizeof(got));
	if (r->oneof) {
		char list[128] = "";
		size_t n = 0;

		for (const uint32_t *o = r->oneof; *o && n < sizeof(list); o++)
			n += (size_t)snprintf(list + n, sizeof(list) - n,
					      "%s%u", o == r->oneof ? "" : ", ",
					      (unsigned)*o);
		config_err(err, errlen, "%s: expected one of %s, got %s",
			   row->info.key, list, got);
	} else if (r->pow2)
		config_err(
			err, errlen,
			"%s: expected a power of two between %s and %s, got %s",
			row->info.key, lo, hi, got);
	else if (r->mult)
		config_err(err, errlen,
			   "%s: expected a multiple of %u, at least %s, got %s",
			   row->info.key, (unsigned)r->mult, lo, got);
	else if (r->max == UINT32_MAX || r->max == UINT64_MAX)
		config_err(err, errlen, "%s: expected at least %s, got %s",
			   row->info.key, lo, got);
	else
		config_err(err, errlen,
			   "%s: expected a value between %s and %s, got %s",
			   row->info.key, lo, hi, got);
	return CMDQV_EVALUE;
}

/* ---- the table engine (param_table.h) ---- */

/* The struct member a parameter kind is stored in (config.h CMDQV_KIND_CTYPE_*). */
static enum member_kind param_member_kind(enum cmdqv_param_kind kind)
{
	switch (kind) {
	case CMDQV_PARAM_BOOL:
		return MEMBER_BOOL;
	case CMDQV_PARAM_U32:
		return MEMBER_U32;
	case CMDQV_PARAM_TIME:
		break;
	}
	return MEMBER_U64; /* sim_time_t */
}

uint64_t cmdqv_param_table_get(const struct cmdqv_param_row *row,
			       const void *base)
{
	return member_get(base, row->offset, param_member_kind(row->info.kind));
}

void cmdqv_param_table_put(const struct cmdqv_param_row *row, void *base,
			   uint64_t v)
{
	member_put(base, row->offset, param_member_kind(row->info.kind), v);
}

/* Default of @row in its stored form (TIME in ps). */
static uint64_t param_default(const struct cmdqv_param_row *row)
{
	if (row->info.kind == CMDQV_PARAM_TIME) {
		const struct time_unit *u = time_unit_find(row->info.unit);

		/* .def TIME units are always one of time_units
		 * (test_config checks every params.def default). */
		return u ? row->def * u->ps : row->def;
	}
	return row->def;
}

void cmdqv_param_table_defaults(const struct cmdqv_param_row *rows, size_t n,
				void *base, size_t size)
{
	memset(base, 0, size);
	for (size_t i = 0; i < n; i++)
		cmdqv_param_table_put(&rows[i], base, param_default(&rows[i]));
}

const struct cmdqv_param_row *
cmdqv_param_table_find(const struct cmdqv_param_row *rows, size_t n,
		       const char *key)
{
	for (size_t i = 0; key && i < n; i++)
		if (strcmp(rows[i].info.key, key) == 0)
			return &rows[i];
	return NULL;
}

/* Lower-case ASCII comparison (strcasecmp is POSIX, not C11). */
static bool str_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
		char y = (*b >= 'A' && *b <= 'Z') ? (char)(*b - 'A' + 'a') : *b;

		if (x != y)
			return false;
	}
	return *a == *b;
}

static int parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = { "1", "true", "on", "yes" };
	static const char *const no[] = { "0", "false", "off", "no" };

	for (size_t i = 0; i < 4; i++) {
		if (str_ieq(text, yes[i])) {
			*out = true;
			return 0;
		}
		if (str_ieq(text, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

int cmdqv_param_table_parse(const struct cmdqv_param_row *row,
			    const char *value, uint64_t *out, char *err,
			    size_t errlen)
{
	const char *key = row->info.key;

	switch (row->info.kind) {
	case CMDQV_PARAM_BOOL: {
		bool b;

		if (parse_bool(value, &b) != 0) {
			config_err(
				err, errlen,
				"%s: expected a boolean (0/1, true/false, on/off, yes/no), got '%s'",
				key, value);
			return CMDQV_EVALUE;
		}
		*out = b;
		return CMDQV_OK;
	}
	case CMDQV_PARAM_U32:
		if (cmdqv_parse_u64(value, out) != 0 || *out > UINT32_MAX) {
			config_err(
				err, errlen,
				"%s: expected an unsigned 32-bit number (decimal or 0x hex), got "
				"'%s'",
				key, value);
			return CMDQV_EVALUE;
		}
		return CMDQV_OK;
	case CMDQV_PARAM_TIME: {
		sim_time_t t;

		if (cmdqv_parse_time(value, row->info.unit, &t) != 0) {
			config_err(
				err, errlen,
				"%s: expected a time such as 120ns or 1.5us (units ps, ns, us, "
				"ms, s; a bare number is in %s), got '%s'",
				key, row->info.unit, value);
			return CMDQV_EVALUE;
		}
		*out = t;
		return CMDQV_OK;
	}
	}
	return CMDQV_EVALUE;
}

/* ---- the hardware table ---- */

void cmdqv_config_defaults(struct cmdqv_config *cfg)
{
	cmdqv_param_table_defaults(param_rows, PARAM_COUNT, cfg, sizeof(*cfg));
}

int cmdqv_config_set(struct cmdqv_config *cfg, const char *key,
		     const char *value, char *err, size_t errlen)
{
	const struct cmdqv_param_row *row;
	uint64_t v = 0;

	if (!key || !value) {
		config_err(err, errlen, "missing key or value");
		return CMDQV_EINVAL;
	}
	row = cmdqv_param_table_find(param_rows, PARAM_COUNT, key);
	if (!row) {
		config_err(
			err, errlen,
			"unknown configuration key '%s' (see `cmdqv-sim params`)",
			key);
		return CMDQV_EKEY;
	}
	if (cmdqv_param_table_parse(row, value, &v, err, errlen) != CMDQV_OK ||
	    param_check(row, v, err, errlen) != CMDQV_OK)
		return CMDQV_EVALUE;
	cmdqv_param_table_put(row, cfg, v);
	return CMDQV_OK;
}

int cmdqv_config_validate(const struct cmdqv_config *cfg, char *err,
			  size_t errlen)
{
	for (size_t i = 0; i < PARAM_COUNT; i++) {
		const struct cmdqv_param_row *row = &param_rows[i];

		if (param_check(row, cmdqv_param_table_get(row, cfg), err,
				errlen) != CMDQV_OK)
			return CMDQV_EVALUE;
	}
	/* Cross-parameter rules. */
	if (cfg->vcmdqs < cfg->vintfs) {
		/* Every VINTF needs at least one LVCMDQ to be usable
		 * (docs/cmdqv-reference.md section 5.3: LVCMDQs per VINTF =
		 * vcmdqs / vintfs). */
		config_err(err, errlen,
			   "vcmdqs: must be at least vintfs (%u), got %u",
			   (unsigned)cfg->vintfs, (unsigned)cfg->vcmdqs);
		return CMDQV_EVALUE;
	}
	if (cfg->cmdqv && !cfg->s2p) {
		/* CMD-QV isolates guests by forcing the VINTF's VMID into their
		 * commands (docs/guest-isolation.md); without stage 2, TLBI_NH_*
		 * do not match on VMID (IHI 0070 4.4), so a guest's
		 * invalidation would reach every VM.  CMD-QV exists only on
		 * Grace, which has stage 2. */
		config_err(
			err, errlen,
			"s2p: cmdqv=1 needs stage 2 (s2p=1): without it TLB entries "
			"carry no VMID and a guest's TLBI_NH_* would reach every VM "
			"(IHI 0070 4.4; docs/guest-isolation.md); use cmdqv=0 for a "
			"stage-1-only SMMU");
		return CMDQV_EVALUE;
	}
	return CMDQV_OK;
}

size_t cmdqv_param_count(void)
{
	return PARAM_COUNT;
}

const struct cmdqv_param_info *cmdqv_param_info(size_t i)
{
	return i < PARAM_COUNT ? &param_rows[i].info : NULL;
}
