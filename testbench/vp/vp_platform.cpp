/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vp_platform.cpp - wiring of the virtual platform, the VCD writer and the
 * scenario backend over TLM.
 */
#include "vp_platform.h"

#include <cstdio>
#include <cstring>

#include "cmdqv_sim/status.h"

using namespace sc_core;

namespace vp
{

/* ------------------------------------------------------------------ */
/* VCD of queue state and interrupt lines                              */
/* ------------------------------------------------------------------ */

/**
 * class vcd_writer - samples every queue (cmdqv_queue_get: generic state,
 * no register knowledge) after each model step into signals, and traces
 * them with the interrupt lines into a VCD file.
 */
class vcd_writer : public sc_module {
    public:
	SC_HAS_PROCESS(vcd_writer);
	vcd_writer(const sc_module_name &name, platform &p,
		   const std::string &path)
		: sc_module(name)
		, m_p(p)
		, m_path(path)
	{
		struct cmdqv_model *m = p.bridge.model();
		size_t n = m ? cmdqv_queue_count(m) : 0;
		/* SystemC appends ".vcd" to the name it is given; it writes a
                 * temporary file that the destructor copies to @path. */
		std::string base = path + ".tmp";
		m_written = base + ".vcd";
		m_tf = sc_create_vcd_trace_file(base.c_str());
		m_tf->set_time_unit(1, SC_PS);
		m_q.resize(n);
		for (size_t i = 0; i < n; i++) {
			struct cmdqv_queue_state s;
			cmdqv_queue_get(m, i, &s);
			std::string nm;
			for (const char *c = s.name; c && *c; c++)
				nm += (*c == ' ' || *c == '/') ? '_' : *c;
			if (nm.empty())
				nm = "queue" + std::to_string(i);
			sc_trace(m_tf, m_q[i].prod, nm + ".prod");
			sc_trace(m_tf, m_q[i].cons, nm + ".cons");
			sc_trace(m_tf, m_q[i].used, nm + ".occupancy");
			sc_trace(m_tf, m_q[i].enabled, nm + ".enabled");
			sc_trace(m_tf, m_q[i].error, nm + ".error");
		}
		sc_trace(m_tf, p.irq_sig[CMDQV_IRQ_GERROR], "irq.gerror");
		sc_trace(m_tf, p.irq_sig[CMDQV_IRQ_CMDQV], "irq.cmdqv");
		sc_trace(m_tf, p.irq_sig[CMDQV_IRQ_CMD_SYNC], "irq.cmd_sync");
		SC_METHOD(sample);
		sensitive << p.bridge.progress_event();
	}
	~vcd_writer() override
	{
		sc_close_vcd_trace_file(m_tf);
		copy_without_date(m_written, m_path);
		std::remove(m_written.c_str());
	}

    private:
	/*
         * SystemC stamps the VCD header's $date with the wall clock; replace
         * it so the same run gives a byte-identical file (determinism).
         */
	static void copy_without_date(const std::string &from,
				      const std::string &to)
	{
		std::FILE *in = std::fopen(from.c_str(), "r");
		std::FILE *out = in ? std::fopen(to.c_str(), "w") : nullptr;
		char line[4096];
		bool in_date = false;

		while (out && std::fgets(line, sizeof(line), in)) {
			if (in_date && std::strncmp(line, "$end", 4)) {
				std::fputs(
					"     (not recorded: deterministic output)\n",
					out);
				in_date = false;
				continue;
			}
			in_date = !std::strncmp(line, "$date", 5);
			std::fputs(line, out);
		}
		if (out)
			std::fclose(out);
		if (in)
			std::fclose(in);
	}

	/** Traced values of one queue. */
	struct qsig {
		uint32_t prod = 0, cons = 0, used = 0;
		bool enabled = false, error = false;
	};
	void sample()
	{
		struct cmdqv_model *m = m_p.bridge.model();
		for (size_t i = 0; i < m_q.size(); i++) {
			struct cmdqv_queue_state s;
			cmdqv_queue_get(m, i, &s);
			m_q[i].prod = s.prod;
			m_q[i].cons = s.cons;
			m_q[i].used = s.used;
			m_q[i].enabled = s.enabled;
			m_q[i].error = s.error;
		}
	}

	platform &m_p;
	std::string m_path, m_written;
	sc_trace_file *m_tf = nullptr;
	/* Plain variables traced by value: sc_trace samples them at the end
         * of each time step, after sample() ran. */
	std::vector<qsig> m_q;
};

/* ------------------------------------------------------------------ */
/* platform                                                            */
/* ------------------------------------------------------------------ */

platform::platform(const sc_module_name &name, const struct cmdqv_config &cfg,
		   const platform_opts &opts)
	: sc_module(name)
	, bridge("bridge", cfg)
	, mem("mem")
	, bus("bus")
	, irqc("irqc", CMDQV_IRQ_COUNT)
	, pcie("pcie", cmdqv_tlm::time_from_ps(cfg.ats_device_latency))
{
	if (opts.quantum != SC_ZERO_TIME)
		tlm_utils::tlm_quantumkeeper::set_global_quantum(opts.quantum);

	for (unsigned i = 0; i < opts.cpus; i++) {
		std::string n = "cpu" + std::to_string(i);
		cpus.emplace_back(new cpu(n.c_str(), i));
		cpus.back()->socket.bind(bus.in);
	}
	bus.add_range(SMMU_BASE, MMIO_WINDOW);
	bus.out.bind(bridge.smmu_socket);
	bus.add_range(CMDQV_BASE, MMIO_WINDOW);
	bus.out.bind(bridge.cmdqv_socket);
	bus.add_range(MEM_BASE, MEM_SIZE);
	bus.out.bind(mem.socket);
	bridge.dma_socket.bind(mem.socket);
	if (opts.ats_over_tlm)
		bridge.ats_socket.bind(pcie.socket);
	if (!opts.own_atc)
		pcie.set_model(bridge.model());

	bridge.irq_gerror.bind(irq_sig[CMDQV_IRQ_GERROR]);
	bridge.irq_cmdqv.bind(irq_sig[CMDQV_IRQ_CMDQV]);
	bridge.irq_cmd_sync.bind(irq_sig[CMDQV_IRQ_CMD_SYNC]);
	for (unsigned i = 0; i < CMDQV_IRQ_COUNT; i++)
		irqc.irq[i].bind(irq_sig[i]);

	if (!opts.vcd_path.empty())
		m_vcd.reset(new vcd_writer("vcd", *this, opts.vcd_path));
}

platform::~platform() = default;

void platform::settle()
{
	/* Bounded: a model that keeps scheduling zero-delay work must not
         * hang the observer. */
	for (int i = 0; i < 64 && sc_pending_activity_at_current_time(); i++)
		sc_core::wait(SC_ZERO_TIME);
}

/* ------------------------------------------------------------------ */
/* scenario backend                                                    */
/* ------------------------------------------------------------------ */

int vp_status_from_tlm(tlm::tlm_response_status st, uint64_t off, unsigned size)
{
	switch (st) {
	case tlm::TLM_OK_RESPONSE:
		return CMDQV_OK;
	case tlm::TLM_ADDRESS_ERROR_RESPONSE:
		/* the bridge answers a misaligned access with an address error */
		return size && off % size ? CMDQV_ESIZE : CMDQV_EADDR;
	case tlm::TLM_BURST_ERROR_RESPONSE:
	case tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE:
		return CMDQV_ESIZE;
	default:
		return CMDQV_EIO;
	}
}

static vp_backend *be(void *b)
{
	return static_cast<vp_backend *>(b);
}

/* Bring global time to the CPU's time and let due processes run. */
static void observe(vp_backend *v)
{
	v->c->sync();
	platform::settle();
	v->p->mem.sync_faults();
}

/* Field by field (params.def), so padding bytes never matter. */
static bool same_config(const struct cmdqv_config *a,
			const struct cmdqv_config *b)
{
#define X(key, kind, unit, def, src, doc) \
	if (a->key != b->key)             \
		return false;
#include "cmdqv_sim/params.def"
#undef X
	return true;
}

static int op_create(void *b, const struct cmdqv_config *cfg, char *err,
		     size_t errlen)
{
	vp_backend *v = be(b);
	if (!v->p || !v->c) {
		std::snprintf(err, errlen, "no virtual platform was built");
		return CMDQV_ESTATE;
	}
	if (!same_config(cfg, &v->p->bridge.config())) {
		std::snprintf(
			err, errlen,
			"the virtual platform was built for another configuration");
		return CMDQV_ESTATE;
	}
	if (!v->p->bridge.model()) {
		std::snprintf(err, errlen, "the model could not be created");
		return CMDQV_ESTATE;
	}
	return CMDQV_OK;
}

static void op_destroy(void *b)
{
	(void)b; /* the platform lives until sc_main returns */
}

static int op_mmio_read(void *b, enum cmdqv_space space, uint64_t off,
			unsigned size, uint64_t *value)
{
	vp_backend *v = be(b);
	v->p->mem.sync_faults();
	tlm::tlm_response_status st = v->c->read(
		platform::space_base(space) + off, size, value, false);
	return vp_status_from_tlm(st, off, size);
}

static int op_mmio_write(void *b, enum cmdqv_space space, uint64_t off,
			 unsigned size, uint64_t value)
{
	vp_backend *v = be(b);
	v->p->mem.sync_faults();
	tlm::tlm_response_status st = v->c->write(
		platform::space_base(space) + off, size, value, false);
	return vp_status_from_tlm(st, off, size);
}

static sim_time_t op_now(void *b)
{
	return cmdqv_tlm::time_to_ps(be(b)->c->now());
}

static sim_time_t op_next_deadline(void *b)
{
	vp_backend *v = be(b);
	observe(v);
	return cmdqv_next_deadline(v->p->bridge.model());
}

static void op_advance_to(void *b, sim_time_t t)
{
	vp_backend *v = be(b);
	sim_time_t global = cmdqv_tlm::time_to_ps(sc_time_stamp());
	if (t < global)
		t = global;
	v->c->qk.set(cmdqv_tlm::time_from_ps(t - global));
	if (v->c->qk.need_sync())
		v->c->qk.sync();
}

static struct tb_mem *op_mem(void *b)
{
	vp_backend *v = be(b);
	observe(v);
	return v->p->mem.mem();
}

static struct cmdqv_model *op_model(void *b)
{
	vp_backend *v = be(b);
	observe(v);
	return v->p->bridge.model();
}

static bool op_irq_level(void *b, enum cmdqv_irq line)
{
	vp_backend *v = be(b);
	observe(v);
	return v->p->irqc.level(line);
}

static uint64_t op_irq_edges(void *b, enum cmdqv_irq line)
{
	vp_backend *v = be(b);
	observe(v);
	return v->p->irqc.edges(line);
}

static uint64_t op_sev_count(void *b)
{
	vp_backend *v = be(b);
	observe(v);
	return v->p->bridge.stats().sev;
}

const struct tb_backend_ops vp_backend_ops = {
	"vp",	       op_create, op_destroy,	    op_mmio_read,
	op_mmio_write, op_now,	  op_next_deadline, op_advance_to,
	op_mem,	       op_model,  op_irq_level,	    op_irq_edges,
	op_sev_count,
};

} // namespace vp
