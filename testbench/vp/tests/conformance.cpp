/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * conformance.cpp - TLM-2.0 conformance of cmdqv_tlm::bridge inside the
 * virtual platform: response statuses, delay annotation without wait(),
 * model time following the annotated time, side-effect-free debug
 * transport, DMI grant / use / invalidation on the DMA socket, ATS requests
 * on the ATS socket, interrupt outputs.  One SystemC elaboration, one CPU
 * thread running the checks in order; exit status 1 on any failure.
 */
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "drv_regs.h"
#include "hal_tlm.h"

using namespace sc_core;

namespace
{

int g_failures;
int g_checks;

void check(bool ok, const char *what)
{
	g_checks++;
	if (!ok) {
		g_failures++;
		std::printf("FAIL %s\n", what);
	} else {
		std::printf("ok   %s\n", what);
	}
}

/** One raw transaction from the CPU socket; returns its response. */
struct xfer {
	tlm::tlm_response_status st;
	sc_time delay;
	uint64_t value;
};

xfer raw(vp::cpu &c, tlm::tlm_command cmd, uint64_t addr, unsigned len,
	 uint64_t value, unsigned width = 0, const unsigned char *be = nullptr,
	 unsigned be_len = 0, sc_time delay_in = SC_ZERO_TIME)
{
	unsigned char buf[16] = { 0 };
	tlm::tlm_generic_payload gp;
	for (unsigned i = 0; i < len && i < 8; i++)
		buf[i] = (unsigned char)(value >> (8 * i));
	gp.set_command(cmd);
	gp.set_address(addr);
	gp.set_data_ptr(buf);
	gp.set_data_length(len);
	gp.set_streaming_width(width ? width : len);
	gp.set_byte_enable_ptr(const_cast<unsigned char *>(be));
	gp.set_byte_enable_length(be_len);
	gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
	xfer x;
	x.delay = delay_in;
	c.socket->b_transport(gp, x.delay);
	x.st = gp.get_response_status();
	x.value = 0;
	for (unsigned i = 0; i < len && i < 8; i++)
		x.value |= (uint64_t)buf[i] << (8 * i);
	return x;
}

unsigned dbg_read(vp::cpu &c, uint64_t addr, unsigned len, uint64_t *value)
{
	unsigned char buf[8] = { 0 };
	tlm::tlm_generic_payload gp;
	gp.set_command(tlm::TLM_READ_COMMAND);
	gp.set_address(addr);
	gp.set_data_ptr(buf);
	gp.set_data_length(len);
	gp.set_streaming_width(len);
	unsigned n = c.socket->transport_dbg(gp);
	*value = 0;
	for (unsigned i = 0; i < len && i < 8; i++)
		*value |= (uint64_t)buf[i] << (8 * i);
	return n;
}

unsigned dbg_write(vp::cpu &c, uint64_t addr, unsigned len, uint64_t value)
{
	unsigned char buf[8];
	tlm::tlm_generic_payload gp;
	for (unsigned i = 0; i < 8; i++)
		buf[i] = (unsigned char)(value >> (8 * i));
	gp.set_command(tlm::TLM_WRITE_COMMAND);
	gp.set_address(addr);
	gp.set_data_ptr(buf);
	gp.set_data_length(len);
	gp.set_streaming_width(len);
	return c.socket->transport_dbg(gp);
}

const uint64_t S = vp::SMMU_BASE;

/** An initiator socket for talking to a spare endpoint model directly. */
struct ats_probe : sc_module {
	tlm_utils::simple_initiator_socket<ats_probe> socket;
	explicit ats_probe(const sc_module_name &n)
		: sc_module(n)
		, socket("socket")
	{
	}
};
ats_probe *g_probe;

/* One ATS request into the spare endpoint model. */
bool ats_to(uint32_t sid, uint64_t addr, uint64_t bytes, sc_time *lat)
{
	cmdqv_tlm::ats_inv_ext ext;
	tlm::tlm_generic_payload gp;
	sc_time d = SC_ZERO_TIME;
	ext.sid = sid;
	ext.addr = addr;
	ext.bytes = bytes;
	gp.set_command(tlm::TLM_WRITE_COMMAND);
	gp.set_address(addr);
	gp.set_extension(&ext);
	g_probe->socket->b_transport(gp, d);
	gp.clear_extension(&ext);
	*lat = d;
	return gp.is_response_ok() && !ext.no_response;
}

/* Endpoints keeping their own ATCs (no model attached). */
void check_own_endpoints(vp::pcie_endpoints &ep)
{
	sc_time lat;
	ep.add_pages(7, 0x10000, 4);
	ep.set_latency(7, sc_time(3, SC_US));
	check(ats_to(7, 0x11000, 0x2000, &lat) && lat == sc_time(3, SC_US),
	      "own-ATC endpoint answers after its configured latency");
	check(ep.present(7, 0x10000) && !ep.present(7, 0x11000) &&
		      !ep.present(7, 0x12000) && ep.present(7, 0x13000),
	      "own-ATC endpoint removed exactly the requested span");
	ep.set_silent(7, true);
	check(!ats_to(7, 0x10000, UINT64_MAX, &lat) && ep.count(7) == 0,
	      "silent endpoint invalidates but never answers (no_response)");
	tlm::tlm_generic_payload gp;
	sc_time d = SC_ZERO_TIME;
	gp.set_command(tlm::TLM_WRITE_COMMAND);
	g_probe->socket->b_transport(gp, d);
	check(gp.get_response_status() == tlm::TLM_GENERIC_ERROR_RESPONSE,
	      "a request without the ATS extension is refused");
}

void run_checks(vp::platform &p, vp::cpu &c)
{
	const struct cmdqv_config &cfg = p.bridge.config();
	sc_time rd_lat = cmdqv_tlm::time_from_ps(cfg.mmio_read_latency);
	sc_time wr_lat = cmdqv_tlm::time_from_ps(cfg.mmio_write_latency);
	uint64_t smmu_size =
		cmdqv_space_size(p.bridge.model(), CMDQV_SPACE_SMMU);
	uint64_t cmdqv_size =
		cmdqv_space_size(p.bridge.model(), CMDQV_SPACE_CMDQV);
	const unsigned char be_all[4] = { 0xff, 0xff, 0xff, 0xff };
	const unsigned char be_hole[4] = { 0xff, 0x00, 0xff, 0xff };

	/* ---- statuses ---- */
	xfer x = raw(c, tlm::TLM_READ_COMMAND, S + ARM_SMMU_IDR0, 4, 0);
	check(x.st == tlm::TLM_OK_RESPONSE, "32-bit register read answers OK");
	check(x.value != 0, "IDR0 reads a non-zero value");
	x = raw(c, tlm::TLM_READ_COMMAND, S + ARM_SMMU_CMDQ_BASE, 8, 0);
	check(x.st == tlm::TLM_OK_RESPONSE, "64-bit register read answers OK");
	x = raw(c, tlm::TLM_READ_COMMAND, S + smmu_size, 4, 0);
	check(x.st == tlm::TLM_ADDRESS_ERROR_RESPONSE,
	      "read just past the SMMU aperture: ADDRESS_ERROR");
	x = raw(c, tlm::TLM_WRITE_COMMAND, vp::CMDQV_BASE + cmdqv_size, 4, 0);
	check(x.st == tlm::TLM_ADDRESS_ERROR_RESPONSE,
	      "write just past the CMDQ-V aperture: ADDRESS_ERROR");
	x = raw(c, tlm::TLM_READ_COMMAND, S + ARM_SMMU_IDR0, 4, 0, 2);
	check(x.st == tlm::TLM_BURST_ERROR_RESPONSE,
	      "streaming width < length: BURST_ERROR");
	x = raw(c, tlm::TLM_READ_COMMAND, S + ARM_SMMU_IDR0, 4, 0, 0, be_hole,
		4);
	check(x.st == tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE,
	      "a disabled byte lane: BYTE_ENABLE_ERROR");
	x = raw(c, tlm::TLM_READ_COMMAND, S + ARM_SMMU_IDR0, 4, 0, 0, be_all,
		4);
	check(x.st == tlm::TLM_OK_RESPONSE, "all byte lanes enabled: OK");
	x = raw(c, tlm::TLM_READ_COMMAND, S + ARM_SMMU_IDR0, 2, 0);
	check(x.st == tlm::TLM_BURST_ERROR_RESPONSE,
	      "2-byte access: BURST_ERROR");
	x = raw(c, tlm::TLM_READ_COMMAND, S + ARM_SMMU_IDR0, 16, 0);
	check(x.st == tlm::TLM_BURST_ERROR_RESPONSE,
	      "16-byte access: BURST_ERROR");
	x = raw(c, tlm::TLM_READ_COMMAND, S + ARM_SMMU_IDR0 + 2, 4, 0);
	check(x.st == tlm::TLM_ADDRESS_ERROR_RESPONSE,
	      "misaligned 4-byte access: ADDRESS_ERROR");
	x = raw(c, tlm::TLM_IGNORE_COMMAND, S + ARM_SMMU_IDR0, 4, 0);
	check(x.st == tlm::TLM_OK_RESPONSE,
	      "TLM_IGNORE_COMMAND: OK, nothing done");
	x = raw(c, tlm::TLM_READ_COMMAND, S + 0x1F0, 4, 0);
	check(x.st == tlm::TLM_OK_RESPONSE && x.value == 0,
	      "offset with no register inside the aperture: OK, reads zero (RAZ)");

	/* ---- timing: latency annotated, no wait(), model at sc + delay ---- */
	sc_time t0 = sc_time_stamp();
	sc_time in = sc_time(1, SC_US);
	x = raw(c, tlm::TLM_READ_COMMAND, S + ARM_SMMU_IDR1, 4, 0, 0, nullptr,
		0, in);
	check(sc_time_stamp() == t0,
	      "b_transport does not advance SystemC time (no wait)");
	check(x.delay == in + rd_lat,
	      "read adds mmio_read_latency to the annotated delay");
	check(p.bridge.model_time() == t0 + in,
	      "the read happened at sc_time_stamp() + annotated delay");
	x = raw(c, tlm::TLM_WRITE_COMMAND, S + ARM_SMMU_CR2, 4, 0, 0, nullptr,
		0, in);
	check(x.delay == in + wr_lat,
	      "write adds mmio_write_latency to the annotated delay");

	/* ---- debug transport ---- */
	c.sync();
	vp::platform::settle();
	uint64_t v = 0, w = 0;
	uint64_t reads_before = p.bridge.stats().reg_reads;
	unsigned n = dbg_read(c, S + ARM_SMMU_IDR0, 4, &v);
	x = raw(c, tlm::TLM_READ_COMMAND, S + ARM_SMMU_IDR0, 4, 0);
	check(n == 4 && v == x.value, "debug read returns the register value");
	check(p.bridge.stats().reg_reads == reads_before + 1,
	      "debug read is not counted as a bus access");
	n = dbg_read(c, S + smmu_size, 4, &v);
	check(n == 0, "debug read outside the aperture transfers nothing");
	x = raw(c, tlm::TLM_READ_COMMAND, S + ARM_SMMU_GERRORN, 4, 0);
	n = dbg_write(c, S + ARM_SMMU_GERRORN, 4, x.value ^ 1);
	raw(c, tlm::TLM_READ_COMMAND, S + ARM_SMMU_GERRORN, 4, 0);
	w = raw(c, tlm::TLM_READ_COMMAND, S + ARM_SMMU_GERRORN, 4, 0).value;
	check(n == 0 && w == x.value,
	      "debug write is refused and changes nothing");

	/* ---- DMA: DMI granted, used, invalidated; ATS over the socket ---- */
	vp::hal_tlm h(&p, &c);
	struct drv d;
	check(drv_smmu_probe(&d, &vp::hal_tlm_ops, &h, nullptr) == 0 &&
		      drv_cmdqv_probe(&d) == 0 && drv_device_reset(&d) == 0,
	      "driver brings the platform up through the sockets");
	const cmdqv_tlm::bridge_stats &st = p.bridge.stats();
	check(st.dmi_grants > 0,
	      "the memory granted DMI to the bridge's DMA socket");
	check(st.dma_dmi > 0, "queue fetches used the DMI pointer");
	uint64_t bus0 = st.dma_bus, inval0 = st.dmi_invalidations;
	tb_mem_add_fault(p.mem.mem(), 0x40000000,
			 0x1000); /* a page nobody uses */
	p.mem.sync_faults();
	check(st.dmi_invalidations > inval0,
	      "a new fault range invalidates DMI pointers");
	struct cmd tl;
	std::memset(&tl, 0, sizeof(tl));
	tl.opcode = CMDQ_OP_TLBI_NH_ALL;
	check(drv_issue_cmdlist(&d, &d.cmdq, &tl, 1, true) == 0,
	      "commands still complete");
	check(st.dma_bus > bus0,
	      "after invalidation the bridge went back to b_transport");
	uint64_t grants = st.dmi_grants;
	check(drv_issue_cmdlist(&d, &d.cmdq, &tl, 1, true) == 0 &&
		      st.dmi_grants >= grants,
	      "and DMI is granted again");

	struct cmdqv_model *m = p.bridge.model();
	cmdqv_atc_add(m, 0x42, 0x10000, 1);
	uint64_t ats0 = p.pcie.requests;
	struct cmd ai;
	std::memset(&ai, 0, sizeof(ai));
	ai.opcode = CMDQ_OP_ATC_INV;
	ai.sid = 0x42;
	ai.addr = 0x10000;
	check(drv_issue_cmdlist(&d, &d.cmdq, &ai, 1, true) == 0,
	      "ATC_INV + SYNC complete");
	check(p.pcie.requests == ats0 + 1 && st.ats_requests > 0,
	      "the ATS request crossed the ATS socket to the endpoint");
	h.settle();
	check(cmdqv_atc_count(m, 0x42) == 0,
	      "the endpoint's ATC was invalidated");

	/* ---- interrupt outputs ---- */
	uint64_t e0 = p.irqc.edges(CMDQV_IRQ_GERROR);
	struct cmd bad;
	std::memset(&bad, 0, sizeof(bad));
	bad.opcode = 0x7F;
	check(drv_issue_cmdlist(&d, &d.cmdq, &bad, 1, true) == 0,
	      "illegal command recovered");
	check(p.irqc.edges(CMDQV_IRQ_GERROR) == e0 + 1, "irq_gerror rose once");
	h.settle();
	check(!p.irqc.level(CMDQV_IRQ_GERROR),
	      "irq_gerror fell after the GERRORN ack");
	uint64_t s0 = p.irqc.edges(CMDQV_IRQ_CMD_SYNC);
	std::memset(&bad, 0, sizeof(bad));
	bad.opcode = CMDQ_OP_SYNC;
	bad.cs = CMD_SYNC_CS_IRQ; /* MSI address 0: wired pulse only */
	check(drv_issue_cmdlist(&d, &d.cmdq, &bad, 1, true) == 0,
	      "CS=IRQ SYNC completes");
	h.settle();
	/* The driver's own MSI-polling SYNC (CS=IRQ) pulses too (IHI 0070
	 * 4.7.3). */
	check(p.irqc.edges(CMDQV_IRQ_CMD_SYNC) == s0 + 2,
	      "irq_cmd_sync pulsed once per SYNC");
	c.delay(sc_time(1, SC_US));
	h.settle();
	check(!p.irqc.level(CMDQV_IRQ_CMD_SYNC),
	      "irq_cmd_sync is low again after the pulse");
}

} // namespace

int sc_main(int, char **)
{
	sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
	struct cmdqv_config cfg;
	cmdqv_config_defaults(&cfg);
	vp::platform_opts po;
	vp::platform p("vp", cfg, po);
	vp::pcie_endpoints own("own_endpoints", sc_time(1, SC_US));
	ats_probe probe("ats_probe");
	probe.socket.bind(own.socket);
	g_probe = &probe;
	p.cpus[0]->set_body([&](vp::cpu &c) {
		run_checks(p, c);
		check_own_endpoints(own);
	});
	sc_start();
	std::printf("%d checks, %d failed\n", g_checks, g_failures);
	return g_failures ? 1 : 0;
}
