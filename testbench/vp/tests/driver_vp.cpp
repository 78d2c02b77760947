/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * driver_vp.cpp - one driver test (drv_tests.c) on the SystemC platform, and
 * the agreement check: the same test on the native HAL must give the same
 * verdict, the same observed values, and checkpoint times that differ by
 * no more than the quantum.
 *
 * usage: cmdqv_vp_driver TEST [QUANTUM]     (QUANTUM e.g. 1us; default 0)
 */
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "drv_tests.h"
#include "hal_tlm.h"

using namespace sc_core;

namespace
{

vp::hal_tlm *g_hal;

struct cmdqv_model *tlm_model(void *ctx)
{
	vp::hal_tlm *h = static_cast<vp::hal_tlm *>(ctx);
	h->settle();
	return h->p->bridge.model();
}

struct tb_mem *tlm_mem(void *ctx)
{
	vp::hal_tlm *h = static_cast<vp::hal_tlm *>(ctx);
	h->settle();
	return h->p->mem.mem();
}

void tlm_set_cpu(void *ctx, unsigned cpu)
{
	static_cast<vp::hal_tlm *>(ctx)->cpu_override = cpu;
}

} // namespace

int sc_main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		std::fprintf(stderr, "usage: %s TEST [QUANTUM]\n", argv[0]);
		return 2;
	}
	const struct drv_test *t = drv_test_find(argv[1]);
	if (!t) {
		std::fprintf(stderr, "%s: no driver test '%s'\n", argv[0],
			     argv[1]);
		return 2;
	}
	sim_time_t quantum = 0;
	if (argc == 3 && cmdqv_parse_time(argv[2], nullptr, &quantum)) {
		std::fprintf(stderr, "%s: bad quantum '%s'\n", argv[0],
			     argv[2]);
		return 2;
	}
	sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);

	struct drv_test_result nat, tlm;
	drv_test_run_native(t, &nat);

	struct cmdqv_config cfg;
	drv_test_config(t, &cfg);
	vp::platform_opts po;
	po.quantum = cmdqv_tlm::time_from_ps(quantum);
	vp::platform p("vp", cfg, po);
	vp::hal_tlm h(&p, p.cpus[0].get());
	g_hal = &h;
	std::memset(&tlm, 0, sizeof(tlm));
	tlm.pass = true;
	struct drv_env env = { &vp::hal_tlm_ops, &h, tlm_model, tlm_mem,
			       tlm_set_cpu };
	p.cpus[0]->set_body([&](vp::cpu &) { t->run(&env, &tlm); });
	sc_start();

	int status = 0;
	std::printf("%s native: %s%s%s\n", t->name, nat.pass ? "PASS" : "FAIL ",
		    nat.pass ? "" : nat.msg, "");
	std::printf("%s tlm:    %s%s\n", t->name, tlm.pass ? "PASS" : "FAIL ",
		    tlm.pass ? "" : tlm.msg);
	if (!nat.pass || !tlm.pass)
		status = 1;
	if (nat.nvalues != tlm.nvalues || nat.ntimes != tlm.ntimes) {
		std::printf("disagree: %u/%u values, %u/%u checkpoints\n",
			    nat.nvalues, tlm.nvalues, nat.ntimes, tlm.ntimes);
		status = 1;
	}
	for (unsigned i = 0; i < nat.nvalues && i < tlm.nvalues; i++)
		if (nat.values[i] != tlm.values[i]) {
			std::printf("disagree: value %u native 0x%" PRIx64
				    " tlm 0x%" PRIx64 "\n",
				    i, nat.values[i], tlm.values[i]);
			status = 1;
		}
	for (unsigned i = 0; i < nat.ntimes && i < tlm.ntimes; i++) {
		sim_time_t a = nat.times[i], b = tlm.times[i];
		sim_time_t diff = a > b ? a - b : b - a;
		std::printf("checkpoint %u: native %" PRIu64 " ps, tlm %" PRIu64
			    " ps\n",
			    i, a, b);
		if (diff > quantum) {
			std::printf(
				"disagree: checkpoint %u differs by %" PRIu64
				" ps > quantum %" PRIu64 " ps\n",
				i, diff, quantum);
			status = 1;
		}
	}
	std::printf("%s\n", status ? "FAIL" : "PASS");
	return status;
}
