/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_scenario.h - the register-level scenario interpreter (docs/scenarios.md).
 *
 * A scenario script is parsed WHOLE first (tb_script_parse_*): every
 * malformed line is reported as "FILE:LINE: error: ..." before anything runs.
 * A parsed script is then run (tb_script_run) against a fresh platform
 * instance made through a backend: the interpreter never calls the model's
 * register, time or interrupt functions directly, only the members of
 * struct tb_backend_ops.  Two backends exist: the native one (tb_native.h,
 * direct calls into one cmdqv_model) and the SystemC virtual platform
 * (cmdqv-vp), so the same script checks both.
 *
 * Introspection of caches and ATS endpoints (tlb/cfg/atc statements) goes
 * through the cmdqv_model the backend exposes with @model: both backends
 * wrap exactly one model instance.
 */
#ifndef CMDQV_TB_SCENARIO_H
#define CMDQV_TB_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cmdqv_sim/config.h"
#include "cmdqv_sim/model.h"
#include "cmdqv_sim/sim.h"

#ifdef __cplusplus
extern "C" {
#endif

struct tb_mem;

/**
 * struct tb_backend_ops - everything the interpreter does to a platform.
 * Every callback gets @b, the backend object the caller passed to
 * tb_script_run() (e.g. a struct tb_native *).  One backend object is
 * reused for many scripts: create() builds a fresh platform in it,
 * destroy() tears it down again; no other member is called outside a
 * create()/destroy() pair.
 *
 * @name:          short name for messages ("native", "vp")
 * @create:        build a fresh platform (model at time 0, empty memory,
 *                 no faults) from @cfg (already validated; the backend may
 *                 copy it).  Return 0, or non-zero with a one-line reason
 *                 in @err (no file/line).
 * @destroy:       tear down what create() built.  Must accept a backend
 *                 whose create() failed.
 * @mmio_read:     register read of @size 4 or 8 bytes at @off in @space at
 *                 the current simulated time; must not advance time as
 *                 seen by @now (a backend whose bus adds an annotated delay
 *                 keeps it out of @now).  Return a CMDQV_* status (CMDQV_OK,
 *                 CMDQV_EADDR, CMDQV_ESIZE).
 * @mmio_write:    register write, same rules.
 * @now:           current simulated time in ps.
 * @next_deadline: earliest time the platform has work, SIM_TIME_NEVER if
 *                 idle.  Must be > @now after advance_to(@now).  A backend
 *                 that cannot know may return @now + its quantum.
 * @advance_to:    run every event due at or before @t, then @now == @t
 *                 (never called with @t < @now).
 * @mem:           the platform's physical memory (DMA target of the model):
 *                 "mem" and "cmd" statements write and check it directly
 *                 (CPU side, no fault checks) and add/clear fault ranges.
 * @model:         the model instance, for tlb/cfg/atc statements
 *                 (cmdqv_tlb_*, cmdqv_cfg_*, cmdqv_atc_*).
 * @irq_level:     current level of an interrupt line as the platform's
 *                 interrupt controller sees it.
 * @irq_edges:     rising edges seen on @line since create().
 * @sev_count:     SEV events (CMD_SYNC CS=SEV) since create(); may be NULL
 *                 if the backend cannot observe SEV ("sev expect" then
 *                 fails with a message saying so).
 */
struct tb_backend_ops {
	const char *name;
	int (*create)(void *b, const struct cmdqv_config *cfg, char *err,
		      size_t errlen);
	void (*destroy)(void *b);
	int (*mmio_read)(void *b, enum cmdqv_space space, uint64_t off,
			 unsigned size, uint64_t *value);
	int (*mmio_write)(void *b, enum cmdqv_space space, uint64_t off,
			  unsigned size, uint64_t value);
	sim_time_t (*now)(void *b);
	sim_time_t (*next_deadline)(void *b);
	void (*advance_to)(void *b, sim_time_t t);
	struct tb_mem *(*mem)(void *b);
	struct cmdqv_model *(*model)(void *b);
	bool (*irq_level)(void *b, enum cmdqv_irq line);
	uint64_t (*irq_edges)(void *b, enum cmdqv_irq line);
	uint64_t (*sev_count)(void *b);
};

/** A parsed script (opaque). */
struct tb_script;

/**
 * Parse the script in file @path.  On success returns CMDQV_OK and *@out.
 * On failure returns CMDQV_EPARSE (malformed line), CMDQV_EIO (cannot read
 * the file) or CMDQV_ENOMEM, and writes one message into @err:
 * "PATH:LINE: error: ..." (or "PATH: error: ..." when there is no line).
 * Parsing includes config validation (cmdqv_config_set/validate) and static
 * checks of register offsets against the configured apertures.
 */
int tb_script_parse_file(const char *path, struct tb_script **out, char *err,
			 size_t errlen);
/**
 * Same as tb_script_parse_file() for the @len bytes of a file's contents at
 * @text (@text[@len] must be NUL); @name is used as PATH in messages.  A NUL
 * byte among the @len is refused with its line and column, as from a file.
 */
int tb_script_parse_text(const char *name, const char *text, size_t len,
			 struct tb_script **out, char *err, size_t errlen);
/** Same as tb_script_parse_file() for in-memory @text; @name is used as PATH in messages. */
int tb_script_parse_string(const char *name, const char *text,
			   struct tb_script **out, char *err, size_t errlen);
void tb_script_free(struct tb_script *s);

/** Name given at parse time (the path). */
const char *tb_script_name(const struct tb_script *s);
/** The configuration the script's "config" statements produced (defaults otherwise). */
const struct cmdqv_config *tb_script_config(const struct tb_script *s);
/** Number of statements (comments and blank lines excluded). */
size_t tb_script_statement_count(const struct tb_script *s);

/** Outcome of running a script. */
enum tb_outcome {
	TB_PASS = 0, /* every check held */
	TB_FAIL = 1, /* a check failed: @line and @msg say which and why */
	TB_ERROR =
		2, /* host-side error while running (backend refused an access,
                         platform could not be created): @line and @msg */
};

/**
 * struct tb_result - outcome of tb_script_run().
 * @outcome: see enum tb_outcome
 * @line:    script line of the failing check or error (0 if none)
 * @msg:     "expected ... seen ..." (FAIL) or the error reason (ERROR),
 *           without file/line/prefix
 * @end_time: simulated time when the script stopped
 * @statements: statements executed
 */
struct tb_result {
	enum tb_outcome outcome;
	unsigned line;
	char msg[512];
	sim_time_t end_time;
	size_t statements;
};

/**
 * struct tb_run_opts - optional run settings (NULL = defaults).
 * @out:     where "echo" statements and @verbose print (NULL: nothing)
 * @verbose: also print every statement with the simulated time to @out
 * @quiet:   "echo" statements print nothing (-q); independent of @verbose
 */
struct tb_run_opts {
	FILE *out;
	bool verbose;
	bool quiet;
};

/**
 * Run @s once against a fresh platform made by @ops->create(@b, config).
 * Stops at the first failed check.  Always calls @ops->destroy(@b) before
 * returning.  Returns the outcome (also in @res).
 */
enum tb_outcome tb_script_run(const struct tb_script *s,
			      const struct tb_backend_ops *ops, void *b,
			      const struct tb_run_opts *opts,
			      struct tb_result *res);

/**
 * The native backend: the backend object is a struct tb_native (testbench/shim,
 * zeroed or deinitialised).
 */
extern const struct tb_backend_ops tb_native_backend;

/**
 * The native backend for many runs in a row (a fuzzer, a long list of
 * scripts): the backend object is a zeroed struct tb_native_reuse.  A run
 * whose configuration equals the previous run's gets the same model reset
 * in place (cmdqv_model_reset: the state of a new one, nothing allocated)
 * and empty memory; otherwise a new platform is built.  destroy keeps the
 * platform for the next run; tb_native_reuse_release() frees it.
 */
struct tb_native;
struct tb_native_reuse {
	struct tb_native *n;
	struct cmdqv_config cfg;
};
extern const struct tb_backend_ops tb_native_reuse_backend;
void tb_native_reuse_release(struct tb_native_reuse *r);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_TB_SCENARIO_H */
