/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bridge.h - cmdqv_tlm::bridge, a SystemC TLM-2.0 module wrapping one
 * instance of the cmdqv-sim C model (model/include/cmdqv_sim/model.h).
 *
 * The bridge is deliberately thin: it moves bytes and time between TLM
 * sockets and the model's C API and knows nothing about registers, fields
 * or commands (docs/tlm.md).  Every register behaviour lives in the model.
 *
 * Ports
 *   smmu_socket   target: the SMMU register frame (offset 0 = frame base,
 *                 size cmdqv_space_size(SMMU)); addresses are offsets, so
 *                 map it behind a router that subtracts the base.
 *   cmdqv_socket  target: the CMDQ-V window, same rules.
 *   dma_socket    initiator: every memory access the model makes (queue
 *                 fetch, MSI writes, CONS mirror).  Uses DMI when the target
 *                 grants it and honours invalidate_direct_mem_ptr.
 *   ats_socket    initiator (optional binding): PCIe ATS Invalidate
 *                 Requests, one b_transport per request carrying an
 *                 ats_inv_ext (ats_ext.h).  Left unbound, the model's
 *                 built-in endpoints answer (cmdqv_atc_*).
 *   irq_gerror, irq_cmdqv, irq_cmd_sync
 *                 interrupt outputs (levels for the first two; CMD_SYNC is a
 *                 pulse one SMMU clock cycle wide).
 *
 * Timing (loosely timed)
 *   - b_transport brings the model to sc_time_stamp() + delay, performs the
 *     access there, adds the configured access latency (mmio_read_latency /
 *     mmio_write_latency) to the annotated delay and returns.  It never calls
 *     wait(), so any LT initiator with a quantum keeper can call it.
 *   - one SC_THREAD waits for the model's next deadline (or for an access
 *     that scheduled earlier work) and runs the model there, so queue
 *     progress, interrupts and DMA happen at their simulated time.
 *   - DMA, ATS and interrupt callbacks made while the model is ahead of
 *     SystemC time (inside a decoupled initiator's access) carry that offset
 *     as annotated delay / as a timed signal update.
 *
 * Responses (set in one place, bridge.cpp respond()):
 *   TLM_OK_RESPONSE            access done (including RAZ/WI offsets)
 *   TLM_ADDRESS_ERROR_RESPONSE outside the aperture, or misaligned
 *   TLM_BURST_ERROR_RESPONSE   streaming width < length, or a length the
 *                              model does not accept
 *   TLM_BYTE_ENABLE_ERROR_RESPONSE  any disabled byte lane
 *   TLM_COMMAND_ERROR_RESPONSE never (TLM_IGNORE_COMMAND is answered OK)
 * transport_dbg reads without side effects (cmdqv_mmio_peek); debug writes
 * are refused (0 bytes transferred).
 */
#ifndef CMDQV_TLM_BRIDGE_H
#define CMDQV_TLM_BRIDGE_H

#include <cstdint>
#include <deque>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "cmdqv_sim/model.h"
#include "cmdqv_tlm/ats_ext.h"

namespace cmdqv_tlm
{

/** Picoseconds <-> sc_time (the model counts picoseconds). */
sc_core::sc_time time_from_ps(sim_time_t ps);
sim_time_t time_to_ps(const sc_core::sc_time &t);

/**
 * Little-endian payload bytes <-> value, as TLM-2.0 carries register data:
 * load_le() reads @len (<= 8) bytes at @p, store_le() writes the low @len
 * bytes of @v to @p.  Shared with the virtual platform's initiators.
 */
uint64_t load_le(const unsigned char *p, unsigned len);
void store_le(unsigned char *p, unsigned len, uint64_t v);

/** struct bridge_stats - what crossed the bridge, for tests and reports. */
struct bridge_stats {
	uint64_t reg_reads = 0; /* completed register reads (any response) */
	uint64_t reg_writes = 0;
	uint64_t reg_errors = 0; /* register accesses answered with an error */
	uint64_t dma_dmi = 0; /* DMA accesses served through a DMI pointer */
	uint64_t dma_bus = 0; /* DMA accesses sent with b_transport */
	uint64_t dma_aborts =
		0; /* DMA accesses the memory answered with an error */
	uint64_t dmi_grants = 0; /* DMI regions obtained */
	uint64_t dmi_invalidations =
		0; /* invalidate_direct_mem_ptr calls received */
	uint64_t ats_requests = 0; /* sent on ats_socket (0 when unbound) */
	uint64_t sev = 0; /* SEV events (CMD_SYNC CS=SEV) */
};

class bridge : public sc_core::sc_module {
    public:
	tlm_utils::simple_target_socket_tagged<bridge> smmu_socket;
	tlm_utils::simple_target_socket_tagged<bridge> cmdqv_socket;
	tlm_utils::simple_initiator_socket<bridge> dma_socket;
	tlm_utils::simple_initiator_socket_optional<bridge> ats_socket;
	sc_core::sc_out<bool> irq_gerror;
	sc_core::sc_out<bool> irq_cmdqv;
	sc_core::sc_out<bool> irq_cmd_sync;

	SC_HAS_PROCESS(bridge);
	/**
         * Create the module and its model from @cfg (copied).  A config the
         * model refuses is reported with SC_REPORT_ERROR (check it first
         * with cmdqv_config_validate() to handle it yourself).
         */
	bridge(const sc_core::sc_module_name &name,
	       const struct cmdqv_config &cfg);
	~bridge() override;
	bridge(const bridge &) = delete;
	bridge &operator=(const bridge &) = delete;

	/** The wrapped model: for observers and test introspection only. */
	struct cmdqv_model *model()
	{
		return m_model;
	}
	const struct cmdqv_config &config() const
	{
		return m_cfg;
	}
	/** Model time (may be ahead of sc_time_stamp() inside a decoupled access). */
	sc_core::sc_time model_time() const;
	/** Notified (delta) after every access and every time the model ran. */
	const sc_core::sc_event &progress_event() const
	{
		return m_progress;
	}
	/** Notified at the simulated time of each SEV (CMD_SYNC CS=SEV). */
	const sc_core::sc_event &sev_event() const
	{
		return m_sev_ev;
	}
	const bridge_stats &stats() const
	{
		return m_stats;
	}
	/** Extra observer of the model's trace records (NULL to detach). */
	void set_trace_observer(void (*fn)(void *ctx,
					   const struct cmdqv_trace_rec *rec),
				void *ctx);

    private:
	/** A pending interrupt-line change, applied at @at by irq_method(). */
	struct timed_level {
		sc_core::sc_time at;
		int line;
		bool level;
	};

	void b_transport(int space, tlm::tlm_generic_payload &gp,
			 sc_core::sc_time &delay);
	unsigned int transport_dbg(int space, tlm::tlm_generic_payload &gp);
	bool get_direct_mem_ptr(int space, tlm::tlm_generic_payload &gp,
				tlm::tlm_dmi &dmi);
	void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);
	tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload &gp,
					   tlm::tlm_phase &phase,
					   sc_core::sc_time &t);

	void run_thread();
	void irq_method();
	void start_of_simulation() override;

	/* Model host callbacks (ctx = this). */
	static int host_mem_read(void *ctx, uint64_t addr, void *buf,
				 uint32_t len);
	static int host_mem_write(void *ctx, uint64_t addr, const void *buf,
				  uint32_t len);
	static void host_irq(void *ctx, enum cmdqv_irq line, bool level);
	static void host_sev(void *ctx);
	static int host_ats_inv(void *ctx, const struct cmdqv_ats_req *req,
				sim_time_t *latency);
	static void host_trace(void *ctx, const struct cmdqv_trace_rec *rec);

	int dma(tlm::tlm_command cmd, uint64_t addr, uint8_t *buf,
		uint32_t len);
	sc_core::sc_time offset_now() const;
	void kick_if_earlier();
	void drive_irq(int line, bool level, const sc_core::sc_time &at);

	struct cmdqv_config m_cfg;
	struct cmdqv_host_ops m_ops;
	struct cmdqv_model *m_model = nullptr;
	void (*m_trace_fn)(void *, const struct cmdqv_trace_rec *) = nullptr;
	void *m_trace_ctx = nullptr;

	std::vector<tlm::tlm_dmi> m_dmi;
	std::deque<timed_level> m_irq_queue;
	sc_core::sc_event m_irq_ev;
	sc_core::sc_event m_kick;
	sc_core::sc_event m_progress;
	sc_core::sc_event m_sev_ev;
	sim_time_t m_armed = SIM_TIME_NEVER; /* deadline the thread waits for */
	sc_core::sc_time m_pulse; /* CMD_SYNC pulse width: one SMMU cycle */
	bridge_stats m_stats;
};

} // namespace cmdqv_tlm

#endif /* CMDQV_TLM_BRIDGE_H */
