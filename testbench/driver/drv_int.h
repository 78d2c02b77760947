/* SPDX-License-Identifier: BSD-3-Clause */
/* drv_int.h - helpers shared by drv.c (SMMU) and drv_cmdqv.c (CMDQ-V). */
#ifndef CMDQV_DRV_INT_H
#define CMDQV_DRV_INT_H

#include "drv.h"

uint32_t drv_rd32(struct drv *d, enum cmdqv_space sp, uint64_t off);
uint64_t drv_rd64(struct drv *d, enum cmdqv_space sp, uint64_t off);
void drv_wr32(struct drv *d, enum cmdqv_space sp, uint64_t off, uint32_t v);
void drv_wr64(struct drv *d, enum cmdqv_space sp, uint64_t off, uint64_t v);
void drv_log(struct drv *d, const char *msg);
int drv_poll_reg(struct drv *d, enum cmdqv_space sp, uint64_t off,
		 uint32_t mask, uint32_t want);
int drv_cmdq_alloc(struct drv *d, struct drv_cmdq *q, unsigned log2);
void drv_build_sync(const struct drv *d, const struct drv_cmdq *q, uint32_t pos,
		    bool msipoll, uint64_t dw[2]);
bool drv_supports(const struct drv_cmdq *q, uint8_t opcode);
void drv_cmdq_skip_err(struct drv *d, struct drv_cmdq *q);

#endif /* CMDQV_DRV_INT_H */
