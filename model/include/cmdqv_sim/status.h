/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * status.h - typed status codes for host-program mistakes (bad argument, bad
 * config, malformed input, access outside every aperture).  0 is success.
 * Guest/driver mistakes are never a status: they are hardware state.
 */
#ifndef CMDQV_SIM_STATUS_H
#define CMDQV_SIM_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, message): the one list of status codes. */
#define CMDQV_STATUS_MAP(X)                                 \
	X(OK, "success")                                    \
	X(EINVAL, "invalid argument")                       \
	X(ENOMEM, "out of memory")                          \
	X(EADDR, "address outside every register aperture") \
	X(ESIZE, "unsupported access size or alignment")    \
	X(EKEY, "unknown configuration key")                \
	X(EVALUE, "invalid configuration value")            \
	X(ESTATE, "operation not allowed in this state")    \
	X(EPARSE, "malformed input")                        \
	X(EIO, "input/output error")                        \
	X(ETIMEDOUT, "timed out")

enum cmdqv_status {
#define CMDQV_STATUS_ENUM(name, msg) CMDQV_##name,
	CMDQV_STATUS_MAP(CMDQV_STATUS_ENUM)
#undef CMDQV_STATUS_ENUM
		CMDQV_STATUS_COUNT
};

/** Short symbolic name ("EADDR"), never NULL. */
const char *cmdqv_status_name(int status);
/** Human-readable message, never NULL. */
const char *cmdqv_strerror(int status);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_SIM_STATUS_H */
