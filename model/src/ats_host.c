/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ats_host.c - public access to the built-in ATS endpoints for hosts that
 * put their own endpoint models on the ATS path (the TLM bridge's
 * ats_socket, the virtual platform's PCIe endpoints) but keep the model's
 * ATC bookkeeping, so scenario "atc" statements work on every platform.
 */
#include "internal.h"

int cmdqv_atc_invalidate(struct cmdqv_model *m, const struct cmdqv_ats_req *req,
                         sim_time_t *latency)
{
        return ats_eps_invalidate(model_ats(m), req, latency);
}
