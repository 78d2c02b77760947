/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config.h - platform configuration and timing parameters of one model
 * instance, generated from params.def.  Hosts fill a struct cmdqv_config with
 * cmdqv_config_defaults(), override keys with cmdqv_config_set() (the
 * scenario "config" statement and --config files use it) and pass it to
 * cmdqv_model_create(), which copies it.
 */
#ifndef CMDQV_SIM_CONFIG_H
#define CMDQV_SIM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CMDQV_KIND_CTYPE_BOOL bool
#define CMDQV_KIND_CTYPE_U32 uint32_t
#define CMDQV_KIND_CTYPE_TIME sim_time_t

/** struct cmdqv_config - one field per params.def row (TIME fields in ps). */
struct cmdqv_config {
#define X(key, kind, unit, def, src, doc) CMDQV_KIND_CTYPE_##kind key;
#include "params.def"
#undef X
};

enum cmdqv_param_kind { CMDQV_PARAM_BOOL, CMDQV_PARAM_U32, CMDQV_PARAM_TIME };

/** struct cmdqv_param_info - documentation of one parameter. */
struct cmdqv_param_info {
	const char *key;
	enum cmdqv_param_kind kind;
	const char *unit; /* "ns", "cycles", "bool", ... */
	const char *default_text; /* "120" (in @unit) */
	const char *source;
	const char *description;
};

/** Fill @cfg with the defaults (the Grace-like platform). */
void cmdqv_config_defaults(struct cmdqv_config *cfg);

/**
 * Set @key to @value (text).  Numbers are decimal or 0x hex; booleans are
 * 0/1/true/false/on/off/yes/no; TIME values need a unit suffix ps|ns|us|ms|s
 * (a bare number is taken in the parameter's default unit).
 * Returns CMDQV_OK, CMDQV_EKEY or CMDQV_EVALUE; on error writes a one-line
 * reason (without file/line) into @err.
 */
int cmdqv_config_set(struct cmdqv_config *cfg, const char *key,
		     const char *value, char *err, size_t errlen);

/**
 * Check cross-parameter rules (powers of two, vcmdqs >= vintfs, ranges).
 * Returns CMDQV_OK or CMDQV_EVALUE with a reason in @err.
 */
int cmdqv_config_validate(const struct cmdqv_config *cfg, char *err,
			  size_t errlen);

/** Number of parameters and their documentation, in params.def order. */
size_t cmdqv_param_count(void);
const struct cmdqv_param_info *cmdqv_param_info(size_t i);

/**
 * Parse a time "12ns", "1.5us", "3ms", "2s", "500ps" into picoseconds.
 * With @default_unit non-NULL a bare number is taken in that unit.
 * Returns 0 on success, -1 if malformed.
 */
int cmdqv_parse_time(const char *text, const char *default_unit,
		     sim_time_t *out);
/** Parse an unsigned decimal or 0x-hex number. Returns 0 or -1. */
int cmdqv_parse_u64(const char *text, uint64_t *out);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_SIM_CONFIG_H */
