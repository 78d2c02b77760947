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

/**
 * struct ats_inv_ext - one ATS Invalidate Request: the model's struct
 * cmdqv_ats_req (sid, ssid, ssv, global, addr, bytes - UINT64_MAX is
 * everything - and itag, same meaning) and the endpoint's answer.
 */
struct ats_inv_ext : public tlm::tlm_extension<ats_inv_ext>,
		     public cmdqv_ats_req {
	bool no_response =
		false; /* set by the endpoint: it will never complete */

	ats_inv_ext()
		: cmdqv_ats_req() /* every request field zero */
	{
	}
	/** Fill the request fields from the model's request. */
	void set_request(const struct cmdqv_ats_req &r)
	{
		static_cast<cmdqv_ats_req &>(*this) = r;
	}
	/** The request fields as the model's struct cmdqv_ats_req. */
	struct cmdqv_ats_req request() const
	{
		return *this;
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
