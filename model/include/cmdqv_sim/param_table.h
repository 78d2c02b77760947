/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * param_table.h - the one engine behind every X-macro parameter table: the
 * hardware table (params.def -> struct cmdqv_config, config.c) and the
 * testbench's path/workload table (path_params.def -> struct path_params,
 * testbench/paths/wl_params.c).
 *
 * A table is a const array of struct cmdqv_param_row, one per .def row,
 * each naming the offset of its field in a plain struct whose field types are
 * CMDQV_KIND_CTYPE_<kind>.  The engine fills defaults, finds rows by key,
 * parses text by kind and reads/writes the field; per-table rules (ranges,
 * cross-parameter checks) and the unknown-key message stay with the owner.
 * Implemented in model/src/config.c (it shares the time units and the
 * boolean spellings with cmdqv_config_set()).
 */
#ifndef CMDQV_SIM_PARAM_TABLE_H
#define CMDQV_SIM_PARAM_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct cmdqv_param_row - one .def row plus where its field lives.
 * @info:   the public documentation (key, kind, unit, default text, source)
 * @offset: offsetof(<table struct>, key)
 * @def:    default value in @info.unit (TIME: converted to ps by
 *          cmdqv_param_table_defaults())
 */
struct cmdqv_param_row {
	struct cmdqv_param_info info;
	size_t offset;
	uint64_t def;
};

/**
 * CMDQV_PARAM_ROW - the initializer of one row, for use as the body of the
 * .def file's X macro:
 *     #define X(key, kind, unit, def, src, doc) \
 *             CMDQV_PARAM_ROW(struct cmdqv_config, key, kind, unit, def, src, doc),
 */
#define CMDQV_PARAM_ROW(type, key, kind, unit, def, src, doc)       \
	{                                                           \
		{ #key, CMDQV_PARAM_##kind, unit, #def, src, doc }, \
			offsetof(type, key), (def)                  \
	}

/** Zero @base (@size bytes) and store every row's default into it. */
void cmdqv_param_table_defaults(const struct cmdqv_param_row *rows, size_t n,
				void *base, size_t size);

/** The row named @key, or NULL. */
const struct cmdqv_param_row *
cmdqv_param_table_find(const struct cmdqv_param_row *rows, size_t n,
		       const char *key);

/**
 * Parse @value for @row into its stored form (BOOL 0/1, U32, TIME in ps).
 * Syntax as cmdqv_config_set() (config.h).  Returns CMDQV_OK, or CMDQV_EVALUE
 * with a one-line reason naming the key in @err (may be NULL).
 */
int cmdqv_param_table_parse(const struct cmdqv_param_row *row,
			    const char *value, uint64_t *out, char *err,
			    size_t errlen);

/** Read @row's field of @base in its stored form. */
uint64_t cmdqv_param_table_get(const struct cmdqv_param_row *row,
			       const void *base);

/** Write @v (stored form, from cmdqv_param_table_parse()) into @row's field of @base. */
void cmdqv_param_table_put(const struct cmdqv_param_row *row, void *base,
			   uint64_t v);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_SIM_PARAM_TABLE_H */
