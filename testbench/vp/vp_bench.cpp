/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vp_bench.cpp - cmdqv-vp-bench: simulation speed through TLM (commands
 * simulated per host second, C core alone and through TLM).  The workload
 * is the one of `cmdqv-sim bench --case smmu` (docs/performance.md): a
 * stream of CMD_TLBI_NH_VA with a CMD_SYNC (CS=NONE) after every 31,
 * through the SMMU CMDQ (4096 entries).  Here a CPU actor publishes them:
 * commands are stored into platform memory, PROD is a b_transport through
 * the router and the bridge, the model fetches through the DMA socket
 * (DMI), CONS is read back through TLM, and time advances in 20 us steps of
 * the CPU's quantum keeper.
 *
 * usage: cmdqv-vp-bench [--commands N] [--quantum TIME]
 *
 * Reports CPU time (CLOCK_PROCESS_CPUTIME_ID) as the figure of merit, as
 * cmdqv-sim bench does.  Not a test: nothing here is timed by ctest.
 */
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

#include "cmdqv_sim/ring.h"
#include "tb_outfile.h"
#include "drv_regs.h"
#include "vp_platform.h"

using namespace sc_core;

namespace
{

const unsigned kLog2 = 12; /* 4096-entry SMMU CMDQ, as cmdqv-sim bench */
const unsigned kPerSync = 31; /* TLBIs per CMD_SYNC (Linux strict batch) */
const uint64_t kQueue = 0x1000000; /* queue base, aligned to its 64 KiB */
const sc_time kStep(20, SC_US); /* CPU time step between publications */

double cpu_seconds()
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double wall_seconds()
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct bench_result {
	bool ok = false;
	uint64_t commands = 0;
	double cpu_s = 0, wall_s = 0;
	sim_time_t sim_ps = 0;
	char why[128] = "";
};

uint32_t rd32(vp::cpu &c, uint64_t off)
{
	uint64_t v = 0;
	c.read(vp::SMMU_BASE + off, 4, &v, true);
	return (uint32_t)v;
}

void wr(vp::cpu &c, uint64_t off, unsigned size, uint64_t v)
{
	c.write(vp::SMMU_BASE + off, size, v, true);
}

void run(vp::platform &p, vp::cpu &c, uint64_t target, bench_result &r)
{
	struct ring ring = { (uint8_t)kLog2 };
	struct tb_mem *mem = p.mem.mem();

	/* Bring-up, short form of arm-smmu-v3.c: arm_smmu_device_reset(). */
	wr(c, ARM_SMMU_CR0, 4, 0);
	wr(c, ARM_SMMU_CMDQ_BASE, 8, Q_BASE_RWA | kQueue | kLog2);
	wr(c, ARM_SMMU_CMDQ_PROD, 4, 0);
	wr(c, ARM_SMMU_CMDQ_CONS, 4, 0);
	wr(c, ARM_SMMU_CR0, 4, CR0_CMDQEN);
	for (int i = 0; i < 1000 && rd32(c, ARM_SMMU_CR0ACK) != CR0_CMDQEN; i++)
		c.delay(sc_time(1, SC_US));

	/* 256 distinct TLBIs and the SYNC, encoded once (host-side cost). */
	std::vector<uint8_t> enc(257 * 16);
	for (unsigned i = 0; i <= 256; i++) {
		struct cmd k;
		uint64_t dw[2];
		std::memset(&k, 0, sizeof(k));
		if (i < 256) {
			k.opcode = CMDQ_OP_TLBI_NH_VA;
			k.asid = (uint16_t)(i & 15);
			k.addr = 0x100000ull + (uint64_t)i * 0x1000;
			k.leaf = true;
		} else {
			k.opcode = CMDQ_OP_SYNC;
			k.cs = CMD_SYNC_CS_NONE;
		}
		cmd_encode(&k, dw);
		for (int b = 0; b < 16; b++)
			enc[i * 16 + b] = (uint8_t)(dw[b / 8] >> (8 * (b % 8)));
	}

	double c0 = cpu_seconds(), w0 = wall_seconds();
	sim_time_t t0 = cmdqv_tlm::time_to_ps(c.now());
	uint32_t prod = 0, cons = 0;
	uint64_t issued = 0, n = 0;
	while (issued < target) {
		cons = rd32(c, ARM_SMMU_CMDQ_CONS) & ring_pos_mask(ring);
		if (rd32(c, ARM_SMMU_GERROR) & GERROR_CMDQ_ERR) {
			std::snprintf(r.why, sizeof(r.why),
				      "command error, CONS 0x%x", cons);
			return;
		}
		uint32_t space = ring_space(ring, prod, cons);
		uint32_t batch = kPerSync + 1;
		uint32_t add = 0;
		while (space - add >= batch && issued + add < target) {
			for (uint32_t k = 0; k < batch; k++, n++) {
				uint32_t pos = ring_add(ring, prod, add + k);
				const uint8_t *src =
					&enc[(k == kPerSync ? 256 : (n % 256)) *
					     16];
				tb_mem_write(mem,
					     ring_entry_addr(ring, kQueue, pos),
					     src, 16);
			}
			add += batch;
		}
		if (add) {
			prod = ring_add(ring, prod, add);
			issued += add;
			wr(c, ARM_SMMU_CMDQ_PROD, 4, prod);
		}
		c.delay(kStep);
	}
	/* Drain. */
	for (int i = 0; i < 1000000; i++) {
		cons = rd32(c, ARM_SMMU_CMDQ_CONS) & ring_pos_mask(ring);
		if (ring_empty(ring, prod, cons))
			break;
		c.delay(kStep);
	}
	c.sync();
	r.cpu_s = cpu_seconds() - c0;
	r.wall_s = wall_seconds() - w0;
	r.sim_ps = cmdqv_tlm::time_to_ps(c.now()) - t0;
	r.commands = issued;
	r.ok = ring_empty(ring, prod, cons);
	if (!r.ok)
		std::snprintf(r.why, sizeof(r.why), "queue did not drain");
}

void usage(FILE *f)
{
	std::fprintf(
		f,
		"usage: cmdqv-vp-bench [--commands N] [--quantum TIME]\n"
		"\n"
		"Simulated commands per host CPU second through the TLM platform:\n"
		"cmdqv-sim bench --case smmu's stream, published by a CPU actor\n"
		"(docs/tlm.md, docs/performance.md).\n"
		"\n"
		"options:\n"
		"  --commands N    commands to run, 1..1000000000 [1000000]\n"
		"  --quantum TIME  the CPU's global quantum, e.g. 100ns [0]\n"
		"  -h, --help      this text\n"
		"\n"
		"exit status: 0 done, 1 the queue did not drain, 2 bad arguments.\n");
}

} // namespace

/* --commands: at most what cmdqv-sim bench takes (docs/performance.md) */
constexpr uint64_t kMaxCommands = 1000000000;

int sc_main(int argc, char **argv)
{
	uint64_t commands = 1000000;
	sim_time_t quantum = 0;
	for (int i = 1; i < argc; i++) {
		if (!std::strcmp(argv[i], "--commands") && i + 1 < argc) {
			/* cmdqv_parse_u64(): too large for 64 bits is an
			 * error; the limit is cmdqv-sim bench's */
			const char *v = argv[++i];
			if (cmdqv_parse_u64(v, &commands) || commands == 0 ||
			    commands > kMaxCommands) {
				std::fprintf(
					stderr,
					"cmdqv-vp-bench: error: --commands: expected "
					"a number 1..%" PRIu64 ", got '%s'\n",
					kMaxCommands, v);
				return 2;
			}
		} else if (!std::strcmp(argv[i], "--quantum") && i + 1 < argc) {
			if (cmdqv_parse_time(argv[++i], nullptr, &quantum)) {
				std::fprintf(
					stderr,
					"cmdqv-vp-bench: error: bad --quantum '%s'\n",
					argv[i]);
				return 2;
			}
		} else if (!std::strcmp(argv[i], "--help") ||
			   !std::strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else {
			bool known = !std::strcmp(argv[i], "--commands") ||
				     !std::strcmp(argv[i], "--quantum");
			if (known)
				std::fprintf(
					stderr,
					"cmdqv-vp-bench: error: %s needs a "
					"value (see --help)\n",
					argv[i]);
			else
				std::fprintf(stderr,
					     "cmdqv-vp-bench: error: unknown "
					     "option '%s' (see --help)\n",
					     argv[i]);
			return 2;
		}
	}
	sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);

	struct cmdqv_config cfg;
	cmdqv_config_defaults(&cfg);
	vp::platform_opts po;
	po.quantum = cmdqv_tlm::time_from_ps(quantum);
	vp::platform p("vp", cfg, po);
	bench_result r;
	p.cpus[0]->set_body([&](vp::cpu &c) { run(p, c, commands, r); });
	sc_start();

	if (!r.ok) {
		std::fprintf(stderr, "cmdqv-vp-bench: %s\n", r.why);
		return 1;
	}
	const cmdqv_tlm::bridge_stats &st = p.bridge.stats();
	std::printf("case smmu-tlm: commands %" PRIu64
		    " cpu_s %.3f wall_s %.3f "
		    "M_commands_per_cpu_s %.2f simulated_ms %.3f\n",
		    r.commands, r.cpu_s, r.wall_s,
		    (double)r.commands / r.cpu_s / 1e6, (double)r.sim_ps / 1e9);
	std::printf("bridge: reg_reads %" PRIu64 " reg_writes %" PRIu64
		    " dma_dmi %" PRIu64 " dma_bus %" PRIu64
		    " dmi_grants %" PRIu64 "\n",
		    st.reg_reads, st.reg_writes, st.dma_dmi, st.dma_bus,
		    st.dmi_grants);
	return 0;
}

/* No SystemC banner in the report (see vp_main.cpp). */
int main(int argc, char **argv)
{
	setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 0);
	/* the report is complete only once stdout is closed */
	return tb_outfile_close_stdout("cmdqv-vp-bench",
				       sc_core::sc_elab_and_sim(argc, argv));
}
