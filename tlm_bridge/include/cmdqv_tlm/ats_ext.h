/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ats_ext.h - the TLM-2.0 payload extension that carries one PCIe ATS
 * Invalidate Request from the bridge's ats_socket to an endpoint model.
 *
 * Protocol (loosely timed, b_transport only):
 *  - command TLM_WRITE_COMMAND, address = the span's first byte, data length
 *    0, no data pointer; the extension is mandatory (an endpoint answers
 *    TLM_GENERIC_ERROR_RESPONSE without it);
 *  - the endpoint adds its response time (invalidate + send the completion)
 *    to the annotated delay and never calls wait(); the bridge takes
 *    "delay after - delay before" as the endpoint latency;
 *  - an endpoint that will never answer (silent device, fault injection)
 *    sets @no_response; the model then times the request out;
 *  - a response status other than TLM_OK_RESPONSE is treated as a silent
 *    endpoint too (the request is lost on the link).
 */
#ifndef CMDQV_TLM_ATS_EXT_H
#define CMDQV_TLM_ATS_EXT_H

#include <cstdint>

#include <tlm>

#include "cmdqv_sim/model.h"

namespace cmdqv_tlm
{

/** struct ats_inv_ext - fields of one ATS Invalidate Request. */
struct ats_inv_ext : public tlm::tlm_extension<ats_inv_ext> {
	uint32_t sid = 0; /* physical StreamID (requester of the endpoint) */
	uint32_t ssid = 0; /* PASID, meaningful if ssv */
	bool ssv = false; /* PASID prefix present */
	bool global = false; /* global invalidate (with ssv) */
	uint64_t addr = 0; /* first byte of the span */
	uint64_t bytes = 0; /* span length in bytes; UINT64_MAX = everything */
	uint8_t itag = 0; /* invalidation tag */
	bool no_response =
		false; /* set by the endpoint: it will never complete */

	/** Fill the request fields from the model's request (same meaning). */
	void set_request(const struct cmdqv_ats_req &r)
	{
		sid = r.sid;
		ssid = r.ssid;
		ssv = r.ssv;
		global = r.global;
		addr = r.addr;
		bytes = r.bytes;
		itag = r.itag;
	}
	/** The request fields as the model's struct cmdqv_ats_req. */
	struct cmdqv_ats_req request() const
	{
		struct cmdqv_ats_req r = {};
		r.sid = sid;
		r.ssid = ssid;
		r.ssv = ssv;
		r.global = global;
		r.addr = addr;
		r.bytes = bytes;
		r.itag = itag;
		return r;
	}

	tlm::tlm_extension_base *clone() const override
	{
		return new ats_inv_ext(*this);
	}
	void copy_from(const tlm::tlm_extension_base &other) override
	{
		*this = static_cast<const ats_inv_ext &>(other);
	}
};

} // namespace cmdqv_tlm

#endif /* CMDQV_TLM_ATS_EXT_H */
