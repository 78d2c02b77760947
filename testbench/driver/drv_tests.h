/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * drv_tests.h - the driver-level test suite, written once and run on both
 * HALs: natively (gtest, testbench/tests/driver_test.cpp) and on the SystemC
 * platform (testbench/vp/tests/driver_vp.cpp), which also checks that both
 * runs agree on every outcome and, within the quantum, on every time.
 */
#ifndef CMDQV_DRV_TESTS_H
#define CMDQV_DRV_TESTS_H

#include "cmdqv_sim/config.h"
#include "drv.h"
#include "tb_mem.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct drv_env - what a test may touch besides the HAL.
 * @model:   the model, settled at the CPU's current time (introspection:
 *           TLB/ATC contents, fault injection on endpoints)
 * @mem:     the platform memory (fault ranges)
 * @set_cpu: make the driver run on CPU @cpu from now on
 */
struct drv_env {
	const struct hal_ops *hal;
	void *ctx;
	struct cmdqv_model *(*model)(void *ctx);
	struct tb_mem *(*mem)(void *ctx);
	void (*set_cpu)(void *ctx, unsigned cpu);
};

#define DRV_TEST_MAX_OBS 32

/**
 * struct drv_test_result - outcome and observations of one run.
 * @pass/@msg:  verdict (first failed check)
 * @values:     observed values (counters, register values) in check order
 * @times:      CPU times (ps) at the test's checkpoints
 */
struct drv_test_result {
	bool pass;
	char msg[256];
	unsigned nvalues, ntimes;
	uint64_t values[DRV_TEST_MAX_OBS];
	sim_time_t times[DRV_TEST_MAX_OBS];
};

/** struct drv_test - one test: config tweaks and body. */
struct drv_test {
	const char *name;
	void (*config)(struct cmdqv_config *cfg); /* may be NULL */
	void (*run)(const struct drv_env *env, struct drv_test_result *res);
};

size_t drv_test_count(void);
const struct drv_test *drv_test_get(size_t i);
const struct drv_test *drv_test_find(const char *name);
/** The config a test runs with (defaults + its tweaks). */
void drv_test_config(const struct drv_test *t, struct cmdqv_config *cfg);
/** Run @t on a fresh native platform. */
void drv_test_run_native(const struct drv_test *t, struct drv_test_result *res);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_DRV_TESTS_H */
