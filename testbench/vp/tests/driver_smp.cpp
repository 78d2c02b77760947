/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * driver_smp.cpp - two CPU actors running the reference driver at the same
 * time on the virtual platform (a case only the platform can show): CPU0
 * brings the SMMU and CMDQ-V up, then both CPUs issue TLBI lists with a
 * SYNC, each on the LVCMDQ Linux gives it (cpu % N), each with its own
 * quantum keeper.  Checks that both finish without errors, that their
 * submissions overlapped in simulated time, and that every targeted TLB
 * page is gone while the others stay.
 *
 * usage: cmdqv_vp_driver_smp [QUANTUM]
 */
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "drv.h"
#include "hal_tlm.h"

using namespace sc_core;

namespace
{

const unsigned kLists = 40; /* command lists per CPU */
const unsigned kPerList = 8; /* TLBIs per list */
const uint64_t kBase = 0x1000000;

/** struct cpu_run - one CPU's driver state, submission window and outcome. */
struct cpu_run {
	struct drv d;
	sim_time_t start = 0, end = 0;
	int rc = 0;
	char log[256] = "";
};

struct cmd tlbi(uint64_t addr)
{
	struct cmd c;
	std::memset(&c, 0, sizeof(c));
	c.opcode = CMDQ_OP_TLBI_NH_VA;
	c.asid = 1;
	c.addr = addr;
	c.leaf = true;
	return c;
}

/* Invalidate this CPU's pages: CPU c owns pages [c*kLists*kPerList, ...). */
void issue_all(unsigned cpu, cpu_run &r, vp::hal_tlm &h)
{
	r.start = cmdqv_tlm::time_to_ps(h.c->now());
	for (unsigned i = 0; i < kLists && r.rc == 0; i++) {
		struct cmd c[kPerList];
		for (unsigned k = 0; k < kPerList; k++)
			c[k] = tlbi(kBase +
				    ((uint64_t)(cpu * kLists + i) * kPerList +
				     k) * 0x1000);
		r.rc = drv_issue_batch(&r.d, 0, c, kPerList);
	}
	r.end = cmdqv_tlm::time_to_ps(h.c->now());
	std::snprintf(r.log, sizeof(r.log), "%s", r.d.log);
}

} // namespace

int sc_main(int argc, char **argv)
{
	sim_time_t quantum = 0;
	if (argc > 2 ||
	    (argc == 2 && cmdqv_parse_time(argv[1], nullptr, &quantum))) {
		std::fprintf(stderr, "usage: %s [QUANTUM]\n", argv[0]);
		return 2;
	}
	sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);

	struct cmdqv_config cfg;
	cmdqv_config_defaults(&cfg);
	vp::platform_opts po;
	po.cpus = 2;
	po.quantum = cmdqv_tlm::time_from_ps(quantum);
	vp::platform p("vp", cfg, po);
	vp::hal_tlm h0(&p, p.cpus[0].get()), h1(&p, p.cpus[1].get());
	h1.cpu_override = 1;
	cpu_run r0, r1;
	sc_event ready, done1;
	bool up = false, finished1 = false;
	const unsigned total = 2 * kLists * kPerList;

	p.cpus[0]->stop_when_done = false;
	p.cpus[1]->stop_when_done = false;
	p.cpus[0]->set_body([&](vp::cpu &c) {
		up = drv_smmu_probe(&r0.d, &vp::hal_tlm_ops, &h0, nullptr) ==
			     0 &&
		     drv_cmdqv_probe(&r0.d) == 0 &&
		     drv_device_reset(&r0.d) == 0;
		h0.settle();
		cmdqv_tlb_add(p.bridge.model(), CMDQV_TLB_NH, 0, 1, kBase,
			      total + 16);
		/* CPU1 runs the same driver state on its own HAL; the two
                 * only touch their own LVCMDQ from now on. */
		r1.d = r0.d;
		r1.d.ctx = &h1;
		ready.notify(SC_ZERO_TIME);
		if (up)
			issue_all(0, r0, h0);
		c.sync();
		if (!finished1)
			wait(done1);
		sc_stop();
	});
	p.cpus[1]->set_body([&](vp::cpu &c) {
		wait(ready);
		c.qk.reset();
		if (up)
			issue_all(1, r1, h1);
		c.sync();
		finished1 = true;
		done1.notify(SC_ZERO_TIME);
	});
	sc_start();

	int fails = 0;
	auto check = [&](bool ok, const char *what) {
		std::printf("%s %s\n", ok ? "ok  " : "FAIL", what);
		fails += !ok;
	};
	check(up, "CPU0 brought the platform up");
	check(r0.rc == 0, "CPU0's command lists completed");
	check(r1.rc == 0, "CPU1's command lists completed");
	if (r0.rc || r1.rc)
		std::printf("logs: '%s' '%s'\n", r0.log, r1.log);
	std::printf("CPU0 %" PRIu64 "..%" PRIu64 " ps, CPU1 %" PRIu64
		    "..%" PRIu64 " ps\n",
		    r0.start, r0.end, r1.start, r1.end);
	check(r0.start < r1.end && r1.start < r0.end,
	      "the two CPUs submitted concurrently");
	check(r0.d.vintf[0].lvcmdq[0].issued == kLists &&
		      r1.d.vintf[0].lvcmdq[1].issued == kLists,
	      "each CPU used its own LVCMDQ (cpu % N)");
	struct cmdqv_model *m = p.bridge.model();
	bool gone = true, kept = true;
	for (unsigned i = 0; i < total + 16; i++) {
		bool present = cmdqv_tlb_present(m, CMDQV_TLB_NH, 0, 1,
						 kBase + i * 0x1000ull);
		if (i < total && present)
			gone = false;
		if (i >= total && !present)
			kept = false;
	}
	check(gone, "every page the CPUs invalidated is gone");
	check(kept, "pages nobody invalidated are still there");
	check(r0.d.errs.ill + r0.d.errs.abt + r0.d.errs.atc_timeout +
			      r1.d.errs.ill + r1.d.errs.abt +
			      r1.d.errs.atc_timeout ==
		      0,
	      "no command errors");
	std::printf("%s\n", fails ? "FAIL" : "PASS");
	return fails ? 1 : 0;
}
