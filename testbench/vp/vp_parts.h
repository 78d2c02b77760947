/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vp_parts.h - the building blocks of the cmdqv virtual platform (docs/tlm.md):
 * a DMI-capable memory over tb_mem, an address router, an interrupt
 * controller, PCIe endpoints answering ATS invalidations, and a CPU actor
 * (an SC_THREAD with a quantum keeper that runs host code).
 *
 * Like the bridge, these parts are generic bus components: they know
 * addresses, bytes and time, never registers.
 */
#ifndef CMDQV_VP_PARTS_H
#define CMDQV_VP_PARTS_H

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "cmdqv_sim/model.h"
#include "cmdqv_tlm/ats_ext.h"
#include "tb_mem.h"

namespace vp
{

/**
 * class memory - physical memory backed by a struct tb_mem (the same memory
 * the scenario interpreter reads and writes directly).  Any number of
 * initiators bind to @socket.  Grants DMI per tb_mem page except on pages
 * that overlap a fault range; DMA into a fault range answers
 * TLM_ADDRESS_ERROR_RESPONSE.  Adds no delay (the model times its own
 * memory accesses; CPU stores to DMA memory are free, as natively).
 * Fault ranges may be changed directly in the tb_mem: call sync_faults()
 * afterwards (or before the next access) to revoke DMI pointers.
 */
class memory : public sc_core::sc_module {
    public:
	tlm_utils::multi_passthrough_target_socket<memory> socket;

	explicit memory(const sc_core::sc_module_name &name);
	~memory() override;
	struct tb_mem *mem()
	{
		return &m_mem;
	}
	/** Revoke every DMI pointer if the fault list changed since the last call. */
	void sync_faults();
	/** Revoke every DMI pointer now. */
	void invalidate_all();

	uint64_t dmi_grants = 0;
	uint64_t dmi_refusals = 0;
	uint64_t dmi_generation =
		0; /* incremented each time DMI pointers are revoked */

    private:
	void b_transport(int id, tlm::tlm_generic_payload &gp,
			 sc_core::sc_time &delay);
	bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload &gp,
				tlm::tlm_dmi &dmi);
	unsigned int transport_dbg(int id, tlm::tlm_generic_payload &gp);

	struct tb_mem m_mem;
	std::vector<uint64_t> m_fault_snapshot;
};

/**
 * class router - forwards each transaction to the target whose range holds
 * its address, with the range base subtracted; translates DMI regions and
 * invalidations back.  Unmapped addresses answer TLM_ADDRESS_ERROR_RESPONSE.
 * Targets are bound to @out in the order of add_range() calls.
 */
class router : public sc_core::sc_module {
    public:
	tlm_utils::multi_passthrough_target_socket<router> in;
	tlm_utils::multi_passthrough_initiator_socket<router> out;

	explicit router(const sc_core::sc_module_name &name);
	/** Map [@base, @base + @size) to the next bound target; returns its index. */
	unsigned add_range(uint64_t base, uint64_t size);

    private:
	struct range {
		uint64_t base, size;
	};
	int decode(uint64_t addr) const;
	void b_transport(int id, tlm::tlm_generic_payload &gp,
			 sc_core::sc_time &delay);
	bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload &gp,
				tlm::tlm_dmi &dmi);
	unsigned int transport_dbg(int id, tlm::tlm_generic_payload &gp);
	void invalidate_direct_mem_ptr(int id, sc_dt::uint64 start,
				       sc_dt::uint64 end);

	std::vector<range> m_ranges;
};

/**
 * class intc - interrupt controller: one input per line, level and
 * rising-edge count per line, and an event per line for waiting CPUs.
 */
class intc : public sc_core::sc_module {
    public:
	sc_core::sc_vector<sc_core::sc_in<bool>> irq;

	SC_HAS_PROCESS(intc);
	intc(const sc_core::sc_module_name &name, unsigned lines);
	bool level(unsigned line) const;
	uint64_t edges(unsigned line) const;
	/** Notified on each rising edge of @line. */
	const sc_core::sc_event &raised(unsigned line) const;

    private:
	void sample();
	std::vector<bool> m_level;
	std::vector<uint64_t> m_edges;
	std::vector<sc_core::sc_event> m_raised;
};

/**
 * class pcie_endpoints - the PCIe functions behind the SMMU, one ATC per
 * StreamID, answering ATS invalidations (cmdqv_tlm::ats_inv_ext) on
 * @socket.  Two bookkeeping modes:
 *  - wrap a model (set_model): the model's built-in ATCs hold the entries,
 *    latencies and silent flags (cmdqv_atc_*), so scenario "atc" statements
 *    see what the TLM path did;
 *  - own (no model): this module keeps each endpoint's pages, latency and
 *    silent flag itself (add_pages / set_latency / set_silent).
 * The response time is added to the annotated delay; a silent endpoint sets
 * no_response.  Requests without the extension get TLM_GENERIC_ERROR_RESPONSE.
 */
class pcie_endpoints : public sc_core::sc_module {
    public:
	tlm_utils::simple_target_socket<pcie_endpoints> socket;

	pcie_endpoints(const sc_core::sc_module_name &name,
		       const sc_core::sc_time &latency);
	void set_model(struct cmdqv_model *m)
	{
		m_model = m;
	}
	void add_pages(uint32_t sid, uint64_t addr, uint64_t pages);
	bool present(uint32_t sid, uint64_t addr) const;
	size_t count(uint32_t sid) const;
	void set_latency(uint32_t sid, const sc_core::sc_time &latency);
	void set_silent(uint32_t sid, bool silent);
	uint64_t requests = 0;

    private:
	struct endpoint {
		std::set<uint64_t> pages; /* 4 KiB page numbers held by the ATC */
		sc_core::sc_time latency;
		bool silent = false;
	};
	endpoint &ep(uint32_t sid);
	void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);

	struct cmdqv_model *m_model = nullptr;
	sc_core::sc_time m_default_latency;
	std::map<uint32_t, endpoint> m_eps;
};

/**
 * class cpu - a CPU-side actor: one SC_THREAD that runs @body with a
 * quantum keeper, and an initiator socket for its loads and stores.
 * read()/write() call b_transport with the local time offset as delay; with
 * @account_latency the returned delay becomes the CPU's new local time (a
 * driver stalls on its accesses), otherwise the CPU's time is unchanged
 * (scenario semantics: an access takes no time from the script's view).
 */
class cpu : public sc_core::sc_module {
    public:
	tlm_utils::simple_initiator_socket<cpu> socket;
	tlm_utils::tlm_quantumkeeper qk;

	SC_HAS_PROCESS(cpu);
	cpu(const sc_core::sc_module_name &name, unsigned id);
	void set_body(std::function<void(cpu &)> body)
	{
		m_body = std::move(body);
	}
	unsigned id() const
	{
		return m_id;
	}
	/** Current time of this CPU (global time + local offset). */
	sc_core::sc_time now() const
	{
		return qk.get_current_time();
	}
	/** Load/store of @size bytes; returns the TLM response status. */
	tlm::tlm_response_status read(uint64_t addr, unsigned size,
				      uint64_t *value, bool account_latency);
	tlm::tlm_response_status write(uint64_t addr, unsigned size,
				       uint64_t value, bool account_latency);
	/** Advance local time by @d, synchronising when the quantum is used up. */
	void delay(const sc_core::sc_time &d);
	/** Bring global time up to this CPU's time. */
	void sync();
	/** A DMI pointer covering [@addr, @addr + @len) or nullptr. */
	unsigned char *dmi_ptr(uint64_t addr, uint64_t len);

	bool stop_when_done = true; /* sc_stop() after the body returns */

    private:
	void run();
	tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr,
					unsigned size, uint64_t *value,
					bool account_latency);
	unsigned m_id;
	std::function<void(cpu &)> m_body;
};

} // namespace vp

#endif /* CMDQV_VP_PARTS_H */
