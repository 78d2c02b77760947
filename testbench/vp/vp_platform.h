/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vp_platform.h - the cmdqv virtual platform (docs/tlm.md):
 *
 *     cpu[i] --> router --+--> bridge.smmu_socket   (SMMU frame)
 *                         +--> bridge.cmdqv_socket  (CMDQ-V window)
 *                         +--> memory               (physical memory)
 *     bridge.dma_socket --------> memory (DMI capable)
 *     bridge.ats_socket --------> pcie_endpoints (ATCs)
 *     bridge.irq_* --> signals --> intc
 *
 * plus the scenario backend (tb_backend_ops over TLM, for cmdqv-vp) and an
 * optional VCD of queue state and interrupt lines.
 */
#ifndef CMDQV_VP_PLATFORM_H
#define CMDQV_VP_PLATFORM_H

#include <memory>
#include <string>
#include <vector>

#include "cmdqv_tlm/bridge.h"
#include "tb_scenario.h"
#include "vp_parts.h"

namespace vp
{

/* Physical address map.  Memory covers tb_mem's 48 bits; each register
 * aperture gets a window much larger than itself, so an offset past the
 * aperture reaches the bridge and is refused there (TLM address error). */
constexpr uint64_t MEM_BASE = 0;
constexpr uint64_t MEM_SIZE = 1ull << TB_MEM_ADDR_BITS;
constexpr uint64_t MMIO_WINDOW = 1ull << 40;
constexpr uint64_t SMMU_BASE = MEM_BASE + MEM_SIZE;
constexpr uint64_t CMDQV_BASE = SMMU_BASE + MMIO_WINDOW;

/** struct platform_opts - build options. */
struct platform_opts {
	unsigned cpus = 1; /* CPU actors */
	bool own_atc =
		false; /* endpoints keep their own ATCs (else wrap the model's) */
	bool ats_over_tlm =
		true; /* bind the bridge's ATS socket to the endpoints */
	sc_core::sc_time quantum =
		sc_core::SC_ZERO_TIME; /* global quantum (0: none) */
	std::string vcd_path; /* VCD file ("" = none) */
};

class vcd_writer;

/** class platform - the whole VP around one bridge. */
class platform : public sc_core::sc_module {
    public:
	cmdqv_tlm::bridge bridge;
	memory mem;
	router bus;
	intc irqc;
	pcie_endpoints pcie;
	sc_core::sc_signal<bool> irq_sig[CMDQV_IRQ_COUNT];
	std::vector<std::unique_ptr<cpu>> cpus;

	platform(const sc_core::sc_module_name &name,
		 const struct cmdqv_config &cfg, const platform_opts &opts);
	~platform() override;
	static uint64_t space_base(enum cmdqv_space space)
	{
		return space == CMDQV_SPACE_SMMU ? SMMU_BASE : CMDQV_BASE;
	}
	/**
         * Let every process due at the current time run (signals, the bridge
         * thread, the interrupt controller) so what a CPU observes next is
         * settled.  Call from a CPU thread after sync().
         */
	static void settle();

    private:
	std::unique_ptr<vcd_writer> m_vcd;
};

/**
 * struct vp_backend - the scenario backend over a platform: every register
 * access is a b_transport from CPU 0; time moves with its quantum keeper.
 * tb_script_run() must be called from CPU 0's thread.  create() accepts
 * only the config the platform was built with (SystemC elaborates once per
 * process, so cmdqv-vp builds one platform per script).
 */
struct vp_backend {
	platform *p = nullptr;
	cpu *c = nullptr;
};

extern const struct tb_backend_ops vp_backend_ops;

/** TLM response of a register access -> CMDQV_* status (as the native backend returns). */
int vp_status_from_tlm(tlm::tlm_response_status st, uint64_t off,
		       unsigned size);

} // namespace vp

#endif /* CMDQV_VP_PLATFORM_H */
