/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.cpp - an out-of-tree virtual platform using only the installed
 * headers and libraries: one bridge, a 1 MiB DMI-capable memory, a CPU
 * thread that enables the SMMU command queue, publishes TLBI + CMD_SYNC and
 * polls CONS (register offsets from IHI 0070 6.3; arm-smmu-v3.h).  Prints PASS
 * and exits 0 when the SYNC completes and the memory granted DMI to the bridge.
 */
#include <cstdio>
#include <cstring>
#include <vector>

#include <cmdqv_sim/cmd.h>
#include <cmdqv_tlm/bridge.h>

using namespace sc_core;

struct ram : sc_module {
	tlm_utils::simple_target_socket<ram> socket;
	std::vector<unsigned char> bytes;
	explicit ram(const sc_module_name &n)
		: sc_module(n)
		, socket("socket")
		, bytes(1 << 20)
	{
		socket.register_b_transport(this, &ram::b_transport);
		socket.register_get_direct_mem_ptr(this, &ram::get_dmi);
	}
	void b_transport(tlm::tlm_generic_payload &gp, sc_time &)
	{
		uint64_t a = gp.get_address();
		if (a + gp.get_data_length() > bytes.size()) {
			gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
			return;
		}
		if (gp.is_read())
			std::memcpy(gp.get_data_ptr(), &bytes[a],
				    gp.get_data_length());
		else
			std::memcpy(&bytes[a], gp.get_data_ptr(),
				    gp.get_data_length());
		gp.set_dmi_allowed(true);
		gp.set_response_status(tlm::TLM_OK_RESPONSE);
	}
	bool get_dmi(tlm::tlm_generic_payload &, tlm::tlm_dmi &d)
	{
		d.set_dmi_ptr(bytes.data());
		d.set_start_address(0);
		d.set_end_address(bytes.size() - 1);
		d.allow_read_write();
		return true;
	}
};

struct cpu : sc_module {
	tlm_utils::simple_initiator_socket<cpu> socket; /* SMMU frame */
	tlm_utils::simple_initiator_socket<cpu>
		cmdqv_socket; /* CMDQ-V window (unused) */
	ram *mem = nullptr;
	bool passed = false;
	SC_HAS_PROCESS(cpu);
	explicit cpu(const sc_module_name &n)
		: sc_module(n)
		, socket("socket")
		, cmdqv_socket("cmdqv_socket")
	{
		SC_THREAD(run);
	}
	uint32_t access(bool write, uint64_t off, unsigned len, uint64_t v)
	{
		unsigned char b[8];
		std::memcpy(b, &v, sizeof(b)); /* little-endian host */
		tlm::tlm_generic_payload gp;
		sc_time d = SC_ZERO_TIME;
		gp.set_command(write ? tlm::TLM_WRITE_COMMAND :
				       tlm::TLM_READ_COMMAND);
		gp.set_address(off);
		gp.set_data_ptr(b);
		gp.set_data_length(len);
		gp.set_streaming_width(len);
		socket->b_transport(gp, d);
		wait(d); /* no quantum keeper here: synchronise on every access */
		uint32_t r;
		std::memcpy(&r, b, sizeof(r));
		return gp.is_response_ok() ? r : 0xFFFFFFFFu;
	}
	void run()
	{
		const uint64_t q = 0x10000; /* 16-entry queue in ram */
		access(true, 0x90, 8, (1ull << 62) | q | 4); /* CMDQ_BASE */
		access(true, 0x98, 4, 0); /* CMDQ_PROD */
		access(true, 0x9C, 4, 0); /* CMDQ_CONS */
		access(true, 0x20, 4, 0x8); /* CR0.CMDQEN */
		while (access(false, 0x24, 4, 0) != 0x8) /* CR0ACK */
			wait(1, SC_US);
		struct cmd c[2];
		std::memset(c, 0, sizeof(c));
		c[0].opcode = CMDQ_OP_TLBI_NSNH_ALL;
		c[1].opcode = CMDQ_OP_SYNC;
		for (int i = 0; i < 2; i++) {
			uint64_t dw[2];
			cmd_encode(&c[i], dw);
			std::memcpy(&mem->bytes[q + 16 * i], dw, 16);
		}
		access(true, 0x98, 4, 2); /* publish */
		for (int i = 0; i < 1000 && !passed; i++) {
			passed = (access(false, 0x9C, 4, 0) & 0x1F) == 2;
			wait(100, SC_NS);
		}
		sc_stop();
	}
};

int sc_main(int, char **)
{
	struct cmdqv_config cfg;
	cmdqv_config_defaults(&cfg);
	cmdqv_tlm::bridge smmu("smmu", cfg);
	ram mem("mem");
	cpu cpu0("cpu0");
	sc_signal<bool> gerror("gerror"), cmdqv("cmdqv"), sync("sync");
	cpu0.mem = &mem;
	cpu0.socket.bind(
		smmu.smmu_socket); /* SMMU frame at address 0 for this CPU */
	smmu.dma_socket.bind(mem.socket);
	smmu.irq_gerror.bind(gerror);
	smmu.irq_cmdqv.bind(cmdqv);
	smmu.irq_cmd_sync.bind(sync);
	cpu0.cmdqv_socket.bind(
		smmu.cmdqv_socket); /* a real platform routes both */
	sc_start();
	std::printf("%s: SYNC %s at %s, %llu DMI grants\n",
		    cpu0.passed ? "PASS" : "FAIL",
		    cpu0.passed ? "completed" : "did not complete",
		    sc_time_stamp().to_string().c_str(),
		    (unsigned long long)smmu.stats().dmi_grants);
	return cpu0.passed && smmu.stats().dmi_grants > 0 ? 0 : 1;
}
