/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bridge.cpp - cmdqv_tlm::bridge: TLM-2.0 sockets and SystemC time around
 * one cmdqv_model.  No register knowledge lives here (the bridge contains
 * no register names, field macros or spec logic); it only converts
 * payloads to cmdqv_mmio_* calls, model callbacks to transactions and
 * signals, and picoseconds to sc_time.
 */
#include "cmdqv_tlm/bridge.h"

#include <cmath>
#include <cstring>

#include "cmdqv_sim/status.h"

using namespace sc_core;

namespace cmdqv_tlm
{

/* ---- time ---- */

/* Picoseconds per SystemC resolution unit (1 with the default 1 ps). */
static uint64_t resolution_ps()
{
	double ps = sc_get_time_resolution().to_seconds() * 1e12;
	uint64_t r = (uint64_t)std::llround(ps);
	return r ? r : 1;
}

sc_time time_from_ps(sim_time_t ps)
{
	return sc_time::from_value(ps / resolution_ps());
}

sim_time_t time_to_ps(const sc_time &t)
{
	return (sim_time_t)t.value() * resolution_ps();
}

/* ---- little-endian payload data <-> register value ---- */

uint64_t load_le(const unsigned char *p, unsigned len)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < len; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

void store_le(unsigned char *p, unsigned len, uint64_t v)
{
	for (unsigned i = 0; i < len; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* The widest register access the bridge can carry in one value. */
static const unsigned max_access_bytes = sizeof(uint64_t);

/*
 * Bus-level checks that do not depend on the model: returns the response
 * a payload gets before the model is asked, TLM_INCOMPLETE_RESPONSE if the
 * model must decide.
 */
static tlm::tlm_response_status
check_payload(const tlm::tlm_generic_payload &gp)
{
	unsigned len = gp.get_data_length();
	if (gp.get_streaming_width() < len)
		return tlm::TLM_BURST_ERROR_RESPONSE;
	if (const unsigned char *be = gp.get_byte_enable_ptr()) {
		unsigned be_len = gp.get_byte_enable_length();
		for (unsigned i = 0; i < len; i++)
			if (be_len == 0 || be[i % be_len] != TLM_BYTE_ENABLED)
				return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
	}
	if (len == 0 || len > max_access_bytes || !gp.get_data_ptr())
		return tlm::TLM_BURST_ERROR_RESPONSE;
	return tlm::TLM_INCOMPLETE_RESPONSE;
}

/* Model status of an access -> TLM response. */
static tlm::tlm_response_status
model_response(int status, const tlm::tlm_generic_payload &gp)
{
	switch (status) {
	case CMDQV_OK:
		return tlm::TLM_OK_RESPONSE;
	case CMDQV_EADDR:
		return tlm::TLM_ADDRESS_ERROR_RESPONSE;
	case CMDQV_ESIZE:
		/* A misaligned access is an address problem; an aligned one
                 * of a width the model lacks is a data-length problem. */
		if (gp.get_address() % gp.get_data_length())
			return tlm::TLM_ADDRESS_ERROR_RESPONSE;
		return tlm::TLM_BURST_ERROR_RESPONSE;
	default:
		return tlm::TLM_GENERIC_ERROR_RESPONSE;
	}
}

/* The one place a register payload's response status is set. */
static void respond(tlm::tlm_generic_payload &gp, tlm::tlm_response_status st)
{
	gp.set_response_status(st);
}

/* ---- construction ---- */

bridge::bridge(const sc_module_name &name, const struct cmdqv_config &cfg)
	: sc_module(name)
	, smmu_socket("smmu_socket")
	, cmdqv_socket("cmdqv_socket")
	, dma_socket("dma_socket")
	, ats_socket("ats_socket")
	, irq_gerror("irq_gerror")
	, irq_cmdqv("irq_cmdqv")
	, irq_cmd_sync("irq_cmd_sync")
	, m_cfg(cfg)
{
	/* every host callback, in struct cmdqv_host_ops order */
	m_ops = { host_mem_read, host_mem_write, host_irq, host_sev,
		  host_ats_inv,	 host_trace,	 0 /* every trace kind */ };

	char err[256] = "";
	int rc = cmdqv_model_create(&m_cfg, &m_ops, this, &m_model, err,
				    sizeof(err));
	if (rc != CMDQV_OK) {
		m_model = nullptr;
		SC_REPORT_ERROR(this->name(),
				err[0] ? err : cmdqv_strerror(rc));
	}
	/* The CMD_SYNC line is a pulse one SMMU clock wide (derived from the
         * model's clock parameter, not a constant of its own); the width is
         * not architected, interrupts are edge-triggered (IHI 0070 4.7.3), so
         * any non-zero width shows one edge per pulse. */
	m_pulse = time_from_ps(sim_cycles_to_ps(1, m_cfg.smmu_clock_mhz));

	smmu_socket.register_b_transport(this, &bridge::b_transport,
					 CMDQV_SPACE_SMMU);
	cmdqv_socket.register_b_transport(this, &bridge::b_transport,
					  CMDQV_SPACE_CMDQV);
	smmu_socket.register_transport_dbg(this, &bridge::transport_dbg,
					   CMDQV_SPACE_SMMU);
	cmdqv_socket.register_transport_dbg(this, &bridge::transport_dbg,
					    CMDQV_SPACE_CMDQV);
	smmu_socket.register_get_direct_mem_ptr(
		this, &bridge::get_direct_mem_ptr, CMDQV_SPACE_SMMU);
	cmdqv_socket.register_get_direct_mem_ptr(
		this, &bridge::get_direct_mem_ptr, CMDQV_SPACE_CMDQV);
	dma_socket.register_invalidate_direct_mem_ptr(
		this, &bridge::invalidate_direct_mem_ptr);
	dma_socket.register_nb_transport_bw(this, &bridge::nb_transport_bw);
	ats_socket.register_nb_transport_bw(this, &bridge::nb_transport_bw);

	SC_THREAD(run_thread);
	SC_METHOD(irq_method);
	sensitive << m_irq_ev;
	dont_initialize();
}

bridge::~bridge()
{
	if (m_model)
		cmdqv_model_destroy(m_model);
}

void bridge::start_of_simulation()
{
	if (!m_model)
		return;
	/* Initial line levels, applied at time zero by irq_method. */
	drive_irq(CMDQV_IRQ_GERROR, cmdqv_irq_level(m_model, CMDQV_IRQ_GERROR),
		  SC_ZERO_TIME);
	drive_irq(CMDQV_IRQ_CMDQV, cmdqv_irq_level(m_model, CMDQV_IRQ_CMDQV),
		  SC_ZERO_TIME);
	drive_irq(CMDQV_IRQ_CMD_SYNC, false, SC_ZERO_TIME);
}

void bridge::set_trace_observer(void (*fn)(void *,
					   const struct cmdqv_trace_rec *),
				void *ctx)
{
	m_trace_fn = fn;
	m_trace_ctx = ctx;
}

sc_time bridge::model_time() const
{
	return m_model ? time_from_ps(cmdqv_now(m_model)) : SC_ZERO_TIME;
}

/* How far the model is ahead of SystemC time (zero if it is not). */
sc_time bridge::offset_now() const
{
	sc_time mt = model_time();
	sc_time st = sc_time_stamp();
	return mt > st ? mt - st : SC_ZERO_TIME;
}

/* ---- target side ---- */

void bridge::b_transport(int space, tlm::tlm_generic_payload &gp,
			 sc_time &delay)
{
	tlm::tlm_response_status st = check_payload(gp);
	bool is_read = gp.get_command() == tlm::TLM_READ_COMMAND;
	bool is_write = gp.get_command() == tlm::TLM_WRITE_COMMAND;

	if (st == tlm::TLM_INCOMPLETE_RESPONSE && !is_read && !is_write)
		st = tlm::TLM_OK_RESPONSE; /* TLM_IGNORE_COMMAND: nothing to do */
	if (st == tlm::TLM_INCOMPLETE_RESPONSE && !m_model)
		st = tlm::TLM_GENERIC_ERROR_RESPONSE;
	if (st == tlm::TLM_INCOMPLETE_RESPONSE) {
		enum cmdqv_space sp = (enum cmdqv_space)space;
		unsigned len = gp.get_data_length();
		uint64_t value = 0;
		int rc;

		/* The access happens at the initiator's local time. */
		cmdqv_run_until(m_model, time_to_ps(sc_time_stamp() + delay));
		if (is_read) {
			rc = cmdqv_mmio_read(m_model, sp, gp.get_address(), len,
					     &value);
			if (rc == CMDQV_OK)
				store_le(gp.get_data_ptr(), len, value);
			delay += time_from_ps(m_cfg.mmio_read_latency);
			m_stats.reg_reads++;
		} else {
			value = load_le(gp.get_data_ptr(), len);
			rc = cmdqv_mmio_write(m_model, sp, gp.get_address(),
					      len, value);
			delay += time_from_ps(m_cfg.mmio_write_latency);
			m_stats.reg_writes++;
		}
		st = model_response(rc, gp);
		kick_if_earlier();
		m_progress.notify(SC_ZERO_TIME);
	}
	if (st != tlm::TLM_OK_RESPONSE)
		m_stats.reg_errors++;
	gp.set_dmi_allowed(false);
	respond(gp, st);
}

unsigned int bridge::transport_dbg(int space, tlm::tlm_generic_payload &gp)
{
	unsigned len = gp.get_data_length();
	uint64_t value = 0;

	/* Debug writes are refused: a register write can have side effects. */
	if (!m_model || gp.get_command() != tlm::TLM_READ_COMMAND ||
	    !gp.get_data_ptr() || len == 0 || len > max_access_bytes)
		return 0;
	if (cmdqv_mmio_peek(m_model, (enum cmdqv_space)space, gp.get_address(),
			    len, &value) != CMDQV_OK)
		return 0;
	store_le(gp.get_data_ptr(), len, value);
	return len;
}

bool bridge::get_direct_mem_ptr(int space, tlm::tlm_generic_payload &gp,
				tlm::tlm_dmi &dmi)
{
	(void)space;
	(void)gp;
	/* Registers have side effects: no DMI anywhere in the aperture. */
	dmi.allow_none();
	dmi.set_start_address(0);
	dmi.set_end_address(~(sc_dt::uint64)0);
	return false;
}

/* ---- model time ---- */

void bridge::kick_if_earlier()
{
	if (cmdqv_next_deadline(m_model) < m_armed)
		m_kick.notify(SC_ZERO_TIME);
}

void bridge::run_thread()
{
	if (!m_model)
		return;
	for (;;) {
		sim_time_t d = cmdqv_next_deadline(m_model);
		sim_time_t now = time_to_ps(sc_time_stamp());

		m_armed = d;
		if (d == SIM_TIME_NEVER)
			wait(m_kick);
		else if (d > now)
			wait(time_from_ps(d - now), m_kick);
		else
			wait(SC_ZERO_TIME); /* due now: yield once, then run */
		m_armed = SIM_TIME_NEVER;
		cmdqv_run_until(m_model, time_to_ps(sc_time_stamp()));
		m_progress.notify(SC_ZERO_TIME);
	}
}

/* ---- interrupts: levels applied at their simulated time ---- */

void bridge::drive_irq(int line, bool level, const sc_time &at)
{
	/* Changes arrive in time order (model time never goes back). */
	m_irq_queue.push_back({ at, line, level });
	sc_time now = sc_time_stamp();
	m_irq_ev.notify(m_irq_queue.front().at > now ?
				m_irq_queue.front().at - now :
				SC_ZERO_TIME);
}

void bridge::irq_method()
{
	sc_out<bool> *lines[CMDQV_IRQ_COUNT] = { &irq_gerror, &irq_cmdqv,
						 &irq_cmd_sync };
	sc_time now = sc_time_stamp();

	/* Apply every change due now; a line written twice keeps the last
         * value, so a pulse's fall is always queued at a later time. */
	while (!m_irq_queue.empty() && m_irq_queue.front().at <= now) {
		const timed_level &c = m_irq_queue.front();
		lines[c.line]->write(c.level);
		m_irq_queue.pop_front();
	}
	if (!m_irq_queue.empty())
		m_irq_ev.notify(m_irq_queue.front().at - now);
}

void bridge::host_irq(void *ctx, enum cmdqv_irq line, bool level)
{
	bridge *b = static_cast<bridge *>(ctx);
	sc_time at = sc_time_stamp() + b->offset_now();

	if (line == CMDQV_IRQ_CMD_SYNC) {
		/* A pulse: rise now, fall one SMMU cycle later. */
		if (!level)
			return;
		b->drive_irq(line, true, at);
		b->drive_irq(line, false, at + b->m_pulse);
		return;
	}
	b->drive_irq(line, level, at);
}

void bridge::host_sev(void *ctx)
{
	bridge *b = static_cast<bridge *>(ctx);
	b->m_stats.sev++;
	b->m_sev_ev.notify(b->offset_now());
}

void bridge::host_trace(void *ctx, const struct cmdqv_trace_rec *rec)
{
	bridge *b = static_cast<bridge *>(ctx);
	if (b->m_trace_fn)
		b->m_trace_fn(b->m_trace_ctx, rec);
}

/* ---- DMA initiator ---- */

int bridge::dma(tlm::tlm_command cmd, uint64_t addr, uint8_t *buf, uint32_t len)
{
	bool rd = cmd == tlm::TLM_READ_COMMAND;
	uint64_t last = addr + len - 1;

	for (const tlm::tlm_dmi &d : m_dmi) {
		if (addr < d.get_start_address() || last > d.get_end_address())
			continue;
		if (rd ? !d.is_read_allowed() : !d.is_write_allowed())
			continue;
		unsigned char *p =
			d.get_dmi_ptr() + (addr - d.get_start_address());
		if (rd)
			std::memcpy(buf, p, len);
		else
			std::memcpy(p, buf, len);
		m_stats.dma_dmi++;
		return 0;
	}

	tlm::tlm_generic_payload gp;
	sc_time delay = offset_now();
	gp.set_command(cmd);
	gp.set_address(addr);
	gp.set_data_ptr(buf);
	gp.set_data_length(len);
	gp.set_streaming_width(len);
	gp.set_byte_enable_ptr(nullptr);
	gp.set_dmi_allowed(false);
	gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
	dma_socket->b_transport(gp, delay);
	m_stats.dma_bus++;
	/* The model times its own memory accesses (fetch_latency,
         * msi_latency); the memory's annotated delay is not added. */
	if (gp.is_response_error()) {
		m_stats.dma_aborts++;
		return 1;
	}
	if (gp.is_dmi_allowed()) {
		tlm::tlm_dmi d;
		tlm::tlm_generic_payload req;
		req.set_command(cmd);
		req.set_address(addr);
		if (dma_socket->get_direct_mem_ptr(req, d)) {
			m_dmi.push_back(d);
			m_stats.dmi_grants++;
		}
	}
	return 0;
}

void bridge::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end)
{
	m_stats.dmi_invalidations++;
	for (size_t i = 0; i < m_dmi.size();) {
		if (m_dmi[i].get_start_address() <= end &&
		    m_dmi[i].get_end_address() >= start)
			m_dmi.erase(m_dmi.begin() + (long)i);
		else
			i++;
	}
}

tlm::tlm_sync_enum bridge::nb_transport_bw(tlm::tlm_generic_payload &gp,
					   tlm::tlm_phase &phase, sc_time &t)
{
	(void)gp;
	(void)phase;
	(void)t;
	/* Only b_transport is issued; a backward call is a protocol error of
         * the target.  Completing it keeps the target's state machine sane. */
	return tlm::TLM_COMPLETED;
}

int bridge::host_mem_read(void *ctx, uint64_t addr, void *buf, uint32_t len)
{
	return static_cast<bridge *>(ctx)->dma(
		tlm::TLM_READ_COMMAND, addr, static_cast<uint8_t *>(buf), len);
}

int bridge::host_mem_write(void *ctx, uint64_t addr, const void *buf,
			   uint32_t len)
{
	/* b_transport takes a non-const data pointer; a write target only
         * reads it, so a bounded copy keeps the const promise. */
	uint8_t tmp[256];
	if (len > sizeof(tmp)) {
		std::vector<uint8_t> big((const uint8_t *)buf,
					 (const uint8_t *)buf + len);
		return static_cast<bridge *>(ctx)->dma(tlm::TLM_WRITE_COMMAND,
						       addr, big.data(), len);
	}
	std::memcpy(tmp, buf, len);
	return static_cast<bridge *>(ctx)->dma(tlm::TLM_WRITE_COMMAND, addr,
					       tmp, len);
}

/* ---- ATS initiator ---- */

int bridge::host_ats_inv(void *ctx, const struct cmdqv_ats_req *req,
			 sim_time_t *latency)
{
	bridge *b = static_cast<bridge *>(ctx);

	if (b->ats_socket.size() == 0)
		return cmdqv_atc_invalidate(b->m_model, req, latency);

	ats_inv_ext ext;
	ext.set_request(*req);

	tlm::tlm_generic_payload gp;
	sc_time start = b->offset_now();
	sc_time delay = start;
	gp.set_command(tlm::TLM_WRITE_COMMAND);
	gp.set_address(req->addr);
	gp.set_data_ptr(nullptr);
	gp.set_data_length(0);
	gp.set_streaming_width(0);
	gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
	gp.set_extension(&ext);
	b->ats_socket->b_transport(gp, delay);
	gp.clear_extension(&ext);
	b->m_stats.ats_requests++;

	if (ext.no_response || gp.is_response_error())
		return CMDQV_ATS_NO_RESPONSE;
	*latency = time_to_ps(delay > start ? delay - start : SC_ZERO_TIME);
	return CMDQV_ATS_COMPLETES;
}

} // namespace cmdqv_tlm
