/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vp_parts.cpp - memory, router, interrupt controller, PCIe endpoints and
 * CPU actor of the virtual platform.  Generic TLM-2.0 LT components.
 */
#include "vp_parts.h"

#include <cstring>

#include "cmdqv_tlm/bridge.h"

using namespace sc_core;

namespace vp
{

/* ------------------------------------------------------------------ */
/* memory                                                              */
/* ------------------------------------------------------------------ */

memory::memory(const sc_module_name &name)
	: sc_module(name)
	, socket("socket")
{
	if (tb_mem_init(&m_mem))
		SC_REPORT_FATAL(this->name(), "cannot allocate memory");
	socket.register_b_transport(this, &memory::b_transport);
	socket.register_get_direct_mem_ptr(this, &memory::get_direct_mem_ptr);
	socket.register_transport_dbg(this, &memory::transport_dbg);
}

memory::~memory()
{
	tb_mem_deinit(&m_mem);
}

void memory::invalidate_all()
{
	dmi_generation++;
	for (unsigned i = 0; i < socket.size(); i++)
		socket[i]->invalidate_direct_mem_ptr(0, ~(sc_dt::uint64)0);
}

void memory::sync_faults()
{
	std::vector<uint64_t> now;
	for (unsigned i = 0; i < m_mem.nfaults; i++) {
		now.push_back(m_mem.faults[i].addr);
		now.push_back(m_mem.faults[i].len);
	}
	if (now == m_fault_snapshot)
		return;
	m_fault_snapshot = now;
	invalidate_all();
}

void memory::b_transport(int id, tlm::tlm_generic_payload &gp, sc_time &delay)
{
	(void)id;
	(void)delay; /* no memory latency: see the class comment */
	uint64_t addr = gp.get_address();
	unsigned len = gp.get_data_length();
	unsigned char *data = gp.get_data_ptr();
	unsigned char *be = gp.get_byte_enable_ptr();
	unsigned be_len = gp.get_byte_enable_length();
	tlm::tlm_response_status st = tlm::TLM_OK_RESPONSE;

	if (gp.get_streaming_width() < len)
		st = tlm::TLM_BURST_ERROR_RESPONSE;
	else if (tb_mem_faults(&m_mem, addr, len))
		st = tlm::TLM_ADDRESS_ERROR_RESPONSE;
	else if (gp.is_read() || gp.is_write()) {
		for (unsigned i = 0; i < len && st == tlm::TLM_OK_RESPONSE;
		     i++) {
			if (be && be_len && be[i % be_len] != TLM_BYTE_ENABLED)
				continue;
			int rc = gp.is_read() ? tb_mem_read(&m_mem, addr + i,
							    data + i, 1) :
						tb_mem_write(&m_mem, addr + i,
							     data + i, 1);
			if (rc)
				st = tlm::TLM_ADDRESS_ERROR_RESPONSE;
		}
	}
	if (st == tlm::TLM_OK_RESPONSE &&
	    !tb_mem_faults(&m_mem, addr & ~(uint64_t)(TB_MEM_PAGE_SIZE - 1),
			   TB_MEM_PAGE_SIZE))
		gp.set_dmi_allowed(true);
	gp.set_response_status(st);
}

bool memory::get_direct_mem_ptr(int id, tlm::tlm_generic_payload &gp,
				tlm::tlm_dmi &dmi)
{
	(void)id;
	uint64_t page = gp.get_address() & ~(uint64_t)(TB_MEM_PAGE_SIZE - 1);
	dmi.set_start_address(page);
	dmi.set_end_address(page + TB_MEM_PAGE_SIZE - 1);
	unsigned char *p = nullptr;
	if (!tb_mem_faults(&m_mem, page, TB_MEM_PAGE_SIZE))
		p = tb_mem_page(&m_mem, page);
	if (!p) {
		dmi.allow_none();
		dmi_refusals++;
		return false;
	}
	dmi.set_dmi_ptr(p);
	dmi.allow_read_write();
	dmi.set_read_latency(SC_ZERO_TIME);
	dmi.set_write_latency(SC_ZERO_TIME);
	dmi_grants++;
	return true;
}

unsigned int memory::transport_dbg(int id, tlm::tlm_generic_payload &gp)
{
	(void)id;
	int rc = gp.is_read() ?
			 tb_mem_read(&m_mem, gp.get_address(),
				     gp.get_data_ptr(), gp.get_data_length()) :
			 tb_mem_write(&m_mem, gp.get_address(),
				      gp.get_data_ptr(), gp.get_data_length());
	return rc ? 0 : gp.get_data_length();
}

/* ------------------------------------------------------------------ */
/* router                                                              */
/* ------------------------------------------------------------------ */

router::router(const sc_module_name &name)
	: sc_module(name)
	, in("in")
	, out("out")
{
	in.register_b_transport(this, &router::b_transport);
	in.register_get_direct_mem_ptr(this, &router::get_direct_mem_ptr);
	in.register_transport_dbg(this, &router::transport_dbg);
	out.register_invalidate_direct_mem_ptr(
		this, &router::invalidate_direct_mem_ptr);
}

unsigned router::add_range(uint64_t base, uint64_t size)
{
	m_ranges.push_back({ base, size });
	return (unsigned)m_ranges.size() - 1;
}

int router::decode(uint64_t addr) const
{
	for (size_t i = 0; i < m_ranges.size(); i++)
		if (addr >= m_ranges[i].base &&
		    addr - m_ranges[i].base < m_ranges[i].size)
			return (int)i;
	return -1;
}

void router::b_transport(int id, tlm::tlm_generic_payload &gp, sc_time &delay)
{
	(void)id;
	uint64_t addr = gp.get_address();
	int t = decode(addr);
	if (t < 0) {
		gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
		return;
	}
	gp.set_address(addr - m_ranges[t].base);
	out[t]->b_transport(gp, delay);
	gp.set_address(addr);
}

bool router::get_direct_mem_ptr(int id, tlm::tlm_generic_payload &gp,
				tlm::tlm_dmi &dmi)
{
	(void)id;
	uint64_t addr = gp.get_address();
	int t = decode(addr);
	if (t < 0) {
		dmi.allow_none();
		return false;
	}
	const range &r = m_ranges[t];
	gp.set_address(addr - r.base);
	bool ok = out[t]->get_direct_mem_ptr(gp, dmi);
	gp.set_address(addr);
	/* Back to this router's address space, clipped to the range. */
	uint64_t s = dmi.get_start_address(), e = dmi.get_end_address();
	if (e > r.size - 1)
		e = r.size - 1;
	dmi.set_start_address(s + r.base);
	dmi.set_end_address(e + r.base);
	return ok;
}

unsigned int router::transport_dbg(int id, tlm::tlm_generic_payload &gp)
{
	(void)id;
	uint64_t addr = gp.get_address();
	int t = decode(addr);
	if (t < 0)
		return 0;
	gp.set_address(addr - m_ranges[t].base);
	unsigned n = out[t]->transport_dbg(gp);
	gp.set_address(addr);
	return n;
}

void router::invalidate_direct_mem_ptr(int id, sc_dt::uint64 start,
				       sc_dt::uint64 end)
{
	const range &r = m_ranges[id];
	uint64_t s = start + r.base;
	uint64_t e = end >= r.size - 1 ? r.base + r.size - 1 : end + r.base;
	for (unsigned i = 0; i < in.size(); i++)
		in[i]->invalidate_direct_mem_ptr(s, e);
}

/* ------------------------------------------------------------------ */
/* interrupt controller                                                */
/* ------------------------------------------------------------------ */

intc::intc(const sc_module_name &name, unsigned lines)
	: sc_module(name)
	, irq("irq", lines)
	, m_level(lines, false)
	, m_edges(lines, 0)
	, m_raised(lines)
{
	SC_METHOD(sample);
	for (unsigned i = 0; i < lines; i++)
		sensitive << irq[i];
	dont_initialize();
}

void intc::sample()
{
	for (unsigned i = 0; i < irq.size(); i++) {
		bool v = irq[i].read();
		if (v && !m_level[i]) {
			m_edges[i]++;
			m_raised[i].notify(SC_ZERO_TIME);
		}
		m_level[i] = v;
	}
}

bool intc::level(unsigned line) const
{
	return m_level[line];
}

uint64_t intc::edges(unsigned line) const
{
	return m_edges[line];
}

const sc_event &intc::raised(unsigned line) const
{
	return m_raised[line];
}

/* ------------------------------------------------------------------ */
/* PCIe endpoints                                                      */
/* ------------------------------------------------------------------ */

pcie_endpoints::pcie_endpoints(const sc_module_name &name,
			       const sc_time &latency)
	: sc_module(name)
	, socket("socket")
	, m_default_latency(latency)
{
	socket.register_b_transport(this, &pcie_endpoints::b_transport);
}

pcie_endpoints::endpoint &pcie_endpoints::ep(uint32_t sid)
{
	auto it = m_eps.find(sid);
	if (it == m_eps.end()) {
		endpoint e;
		e.latency = m_default_latency;
		it = m_eps.emplace(sid, e).first;
	}
	return it->second;
}

void pcie_endpoints::add_pages(uint32_t sid, uint64_t addr, uint64_t pages)
{
	endpoint &e = ep(sid);
	for (uint64_t i = 0; i < pages; i++)
		e.pages.insert((addr >> 12) + i);
}

bool pcie_endpoints::present(uint32_t sid, uint64_t addr) const
{
	auto it = m_eps.find(sid);
	return it != m_eps.end() && it->second.pages.count(addr >> 12);
}

size_t pcie_endpoints::count(uint32_t sid) const
{
	auto it = m_eps.find(sid);
	return it == m_eps.end() ? 0 : it->second.pages.size();
}

void pcie_endpoints::set_latency(uint32_t sid, const sc_time &latency)
{
	ep(sid).latency = latency;
}

void pcie_endpoints::set_silent(uint32_t sid, bool silent)
{
	ep(sid).silent = silent;
}

/* @delay + @lat, or the end of SystemC time if that does not fit: an endpoint
 * too slow to represent never answers in time instead of wrapping round to a
 * short delay (as the model's own latencies saturate, sim_time_add()). */
static void add_saturating(sc_time &delay, const sc_time &lat)
{
	const sc_time end = sc_core::sc_max_time();
	delay = lat > end - delay ? end : delay + lat;
}

void pcie_endpoints::b_transport(tlm::tlm_generic_payload &gp, sc_time &delay)
{
	cmdqv_tlm::ats_inv_ext *x = nullptr;
	gp.get_extension(x);
	if (!x) {
		gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
		return;
	}
	requests++;
	if (m_model) {
		struct cmdqv_ats_req req = x->request();
		sim_time_t lat = 0;
		if (cmdqv_atc_invalidate(m_model, &req, &lat) ==
		    CMDQV_ATS_NO_RESPONSE)
			x->no_response = true;
		else
			add_saturating(delay, cmdqv_tlm::time_from_ps(lat));
	} else {
		endpoint &e = ep(x->sid);
		uint64_t first = x->addr >> 12;
		uint64_t n = x->bytes == UINT64_MAX ? UINT64_MAX :
						      (x->bytes + 4095) >> 12;
		for (auto it = e.pages.begin(); it != e.pages.end();) {
			if (*it >= first &&
			    (n == UINT64_MAX || *it - first < n))
				it = e.pages.erase(it);
			else
				++it;
		}
		if (e.silent)
			x->no_response = true;
		else
			add_saturating(delay, e.latency);
	}
	gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

/* ------------------------------------------------------------------ */
/* CPU actor                                                           */
/* ------------------------------------------------------------------ */

cpu::cpu(const sc_module_name &name, unsigned id)
	: sc_module(name)
	, socket("socket")
	, m_id(id)
{
	SC_THREAD(run);
}

void cpu::run()
{
	qk.reset();
	if (m_body)
		m_body(*this);
	qk.sync();
	if (stop_when_done) {
		/* One resolution step more, so trace files record the values
                 * settled at the last time point before the simulation stops. */
		wait(sc_get_time_resolution());
		sc_stop();
	}
}

tlm::tlm_response_status cpu::access(tlm::tlm_command cmd, uint64_t addr,
				     unsigned size, uint64_t *value,
				     bool account_latency)
{
	tlm::tlm_generic_payload gp;
	unsigned char buf[8] = { 0 };
	sc_time delay = qk.get_local_time();

	if (size > sizeof(buf))
		return tlm::TLM_BURST_ERROR_RESPONSE;
	if (cmd == tlm::TLM_WRITE_COMMAND)
		cmdqv_tlm::store_le(buf, size, *value);
	gp.set_command(cmd);
	gp.set_address(addr);
	gp.set_data_ptr(buf);
	gp.set_data_length(size);
	gp.set_streaming_width(size);
	gp.set_byte_enable_ptr(nullptr);
	gp.set_dmi_allowed(false);
	gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
	socket->b_transport(gp, delay);
	if (cmd == tlm::TLM_READ_COMMAND && gp.is_response_ok())
		*value = cmdqv_tlm::load_le(buf, size);
	if (account_latency) {
		qk.set(delay);
		if (qk.need_sync())
			qk.sync();
	}
	return gp.get_response_status();
}

tlm::tlm_response_status cpu::read(uint64_t addr, unsigned size,
				   uint64_t *value, bool account_latency)
{
	return access(tlm::TLM_READ_COMMAND, addr, size, value,
		      account_latency);
}

tlm::tlm_response_status cpu::write(uint64_t addr, unsigned size,
				    uint64_t value, bool account_latency)
{
	return access(tlm::TLM_WRITE_COMMAND, addr, size, &value,
		      account_latency);
}

void cpu::delay(const sc_time &d)
{
	qk.inc(d);
	if (qk.need_sync())
		qk.sync();
}

void cpu::sync()
{
	qk.sync();
}

unsigned char *cpu::dmi_ptr(uint64_t addr, uint64_t len)
{
	tlm::tlm_generic_payload gp;
	tlm::tlm_dmi dmi;
	gp.set_command(tlm::TLM_READ_COMMAND);
	gp.set_address(addr);
	if (!socket->get_direct_mem_ptr(gp, dmi) ||
	    !dmi.is_read_write_allowed())
		return nullptr;
	if (addr < dmi.get_start_address() ||
	    addr + len - 1 > dmi.get_end_address())
		return nullptr;
	return dmi.get_dmi_ptr() + (addr - dmi.get_start_address());
}

} // namespace vp
