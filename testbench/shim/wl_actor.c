/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wl_actor.c - the software actors of the invalidation paths, as event-driven
 * state machines on the model's kernel (wl_int.h):
 *
 *   CPU      a guest vCPU (direct, trap, eventfd) or a host CPU (host) running
 *            dma_map_benchmark: map -> unmap (perf-facts.md §6); an unmap
 *            issues Linux's command batches (smmuv3-cmdq.md §4.1, §6.4)
 *   VMM      one per VM on trap: QEMU's vSMMU, a FIFO server of trapped
 *            PROD writes and CONS reads, one ioctl per command (cmdq §8.1)
 *   KTHREAD  one per VM on eventfd: consumes the guest queue asynchronously
 *   BG       host background traffic on the SMMU CMDQ
 *
 * A CPU submitting to a hardware queue runs the "sub" machine, Linux's
 * arm_smmu_cmdq_issue_cmdlist: lock (shared FIFO), write, PROD, then poll
 * CONS with queue_poll's back-off or wait for the MSI write (cmdq §5).
 * When the SYNC is seen, the interval since publication is split into
 * fetch / queue wait / execute / ATC / SYNC wait from the model's per-command
 * trace times (wl_walk).
 */
#include <string.h>

#include "cmdqv_sim/cmd.h"
#include "wl_int.h"

/* ---- states ---- */

enum {
        C_MAP,
        C_UNMAP,
        C_ISSUE,
        C_SUBMIT,
        C_SUB_RET,
        C_GLOCK_WAIT,
        C_GLOCK_HOLD,
        C_GPUBLISH,
        C_TRAP_ENQ,
        C_BLOCKED,
        C_TRAP_ENTRY,
        C_TRAP_AFTER,
        C_EVT_RET,
        C_GPOLL_CHECK,
        C_GPOLL_READ,
        C_GPOLL_GOT,
        C_END,
        C_DONE,
};

enum { V_IDLE, V_DEQ, V_DISPATCHED, V_CMD, V_CMD_DO, V_SUBMIT, V_IOCTL_RET, V_CMD_NEXT };

enum { K_IDLE, K_RUN, K_SUBMIT, K_DONE };

enum { B_WAIT, B_GO };

enum { U_LOCK, U_LOCK_WAIT, U_HOLD, U_PUBLISH, U_RELEASE, U_POLL, U_READ_ISSUE, U_READ_SAMPLE };

enum { REQ_PROD = 0, REQ_READ = 1 };

static void wl_step(struct wl_actor *a);

static sim_time_t wl_now(const struct wl_actor *a)
{
        return a->ctx->k->now;
}

static void wl_sleep(struct wl_actor *a, sim_time_t dt)
{
        sim_schedule_in(a->ctx->k, &a->ev, dt);
}

/* ---- charging ---- */

/*
 * Charge [t0, t1) to @acc as @s.  Instants already charged are skipped; a
 * gap between what was charged and @t0 is time the CPU spent waiting on
 * the completion it polls for, so it is SYNC wait (paths.h stage list).
 */
static void wl_acc_charge(struct wl_acc *acc, enum wl_stage s, sim_time_t t0, sim_time_t t1)
{
        if (t0 > acc->until) {
                acc->stage[WL_STAGE_SYNC_WAIT] += t0 - acc->until;
                acc->until = t0;
        }
        if (t1 > acc->until) {
                acc->stage[s] += t1 - acc->until;
                acc->until = t1;
        }
}

static void wl_charge(struct wl_actor *a, enum wl_stage s, sim_time_t t0, sim_time_t t1)
{
        const struct wl_observer *obs = a->ctx->obs;

        if (t1 <= t0)
                return;
        if (obs && obs->span)
                obs->span(obs->ctx, a->track, wl_stage_name(s), t0, t1);
        if (a->role == WL_ROLE_KTHREAD) {
                for (uint32_t i = 0; i < a->nserved; i++)
                        wl_acc_charge(a->served[i], s, t0, t1);
        } else if (a->acc) {
                wl_acc_charge(a->acc, s, t0, t1);
        }
}

/* Spend @dt of CPU time in stage @s, then continue in @next. */
static void wl_busy(struct wl_actor *a, enum wl_stage s, sim_time_t dt, int next)
{
        sim_time_t now = wl_now(a);

        wl_charge(a, s, now, now + dt);
        a->state = next;
        wl_sleep(a, dt);
}

static void wl_sub_busy(struct wl_actor *a, enum wl_stage s, sim_time_t dt, int next)
{
        sim_time_t now = wl_now(a);

        wl_charge(a, s, now, now + dt);
        a->sub.state = next;
        wl_sleep(a, dt);
}

/* ---- commands ---- */

static void wl_emit_cmd(struct wl_actor *a, enum wl_cmd_site site, const uint64_t dw[2])
{
        const struct wl_observer *obs = a->ctx->obs;

        if (site == WL_SITE_GUEST)
                a->ctx->res->guest_cmds++;
        else
                a->ctx->res->host_cmds++;
        if (obs && obs->command)
                obs->command(obs->ctx, site, a->role == WL_ROLE_BG ? -1 : a->vm, dw, wl_now(a));
}

/* CMD_SYNC as Linux builds it for @cs (smmuv3-cmdq.md §3.2, §5). */
static void wl_build_sync(uint64_t dw[2], uint8_t cs, uint64_t msiaddr)
{
        struct cmd c;

        memset(&c, 0, sizeof(c));
        c.opcode = CMDQ_OP_SYNC;
        c.cs = cs;
        if (msiaddr) {
                /* MSI polling: MSIAddress = the SYNC entry, MSIData = 0, MSH=ISH, MSIAttr=WB
                 * (smmuv3-cmdq.md §5). */
                c.msiaddr = msiaddr;
                c.msidata = 0;
                c.msh = 3;
                c.msiattr = 0xF;
        }
        cmd_encode(&c, dw);
}

/*
 * Linux's TLBI list for an unmap of @pages 4 KiB pages at @iova
 * (__arm_smmu_tlb_inv_range, smmuv3-cmdq.md §4.3): one TLBI_NH_VA per page
 * without RIL; with RIL, ranges of (NUM+1) << SCALE pages, TG=4K, TTL=3
 * (leaf).  Returns the number of commands written to @out.
 */
static uint32_t wl_build_tlbis(uint64_t (*out)[2], uint64_t iova, uint64_t pages, bool ril,
                               uint16_t vmid, uint16_t asid)
{
        struct cmd c;
        uint32_t n = 0;

        memset(&c, 0, sizeof(c));
        c.opcode = CMDQ_OP_TLBI_NH_VA;
        c.vmid = vmid;
        c.asid = asid;
        c.leaf = true;
        if (!ril) {
                for (uint64_t p = 0; p < pages; p++) {
                        c.addr = iova + (p << WL_PAGE_SHIFT);
                        cmd_encode(&c, out[n++]);
                }
                return n;
        }
        c.tg = 1;  /* (12 - 10) / 2: 4 KiB leaf granule */
        c.ttl = 3; /* 4 - ((12 - 3) / (12 - 3)) */
        while (pages) {
                unsigned scale = (unsigned)__builtin_ctzll(pages);
                uint64_t num = (pages >> scale) & 31;

                c.scale = (uint8_t)scale;
                c.num = (uint8_t)(num - 1);
                c.addr = iova;
                cmd_encode(&c, out[n++]);
                iova += num << (scale + WL_PAGE_SHIFT);
                pages -= num << scale;
        }
        return n;
}

/* ATC_INV span for [iova, iova + pages) as Linux computes it (smmuv3-cmdq.md §4.2). */
static void wl_build_atc(uint64_t dw[2], uint64_t iova, uint64_t pages, uint32_t sid)
{
        uint64_t first = iova >> WL_PAGE_SHIFT, last = first + pages - 1;
        unsigned log2_span = first == last ? 0 : 64u - (unsigned)__builtin_clzll(first ^ last);
        struct cmd c;

        memset(&c, 0, sizeof(c));
        c.opcode = CMDQ_OP_ATC_INV;
        c.sid = sid;
        c.size = (uint8_t)log2_span;
        c.addr = (first & ~((1ull << log2_span) - 1)) << WL_PAGE_SHIFT;
        cmd_encode(&c, dw);
}

void wl_cpu_build_cmds(struct wl_actor *a)
{
        struct wl_ctx *c = a->ctx;
        const struct wl_point *pt = &c->pt;
        bool host = pt->path == WL_PATH_HOST;
        /* Each thread's buffer has its own IOVA; the IOVA caches hand the
         * same one back every iteration (perf-facts.md §6: one buffer per
         * thread, mapped again and again). */
        uint64_t iova = 0x10000000ull + ((uint64_t)a->thread << 24);
        uint32_t sid = host ? c->vms[0].psid : c->vms[a->vm].vsid;

        /* VMID 0: the host's own, and what a Linux guest writes (the VINTF on
         * direct, the ioctl on trap/eventfd, replaces it; tegra241-cmdqv.md §6) */
        a->ntlbi = wl_build_tlbis(a->tlbi, iova, pt->granule_pages, pt->ril, 0, 1);
        wl_build_atc(a->atc, iova, pt->granule_pages, sid);
}

/* ---- hardware queue lock (FIFO) ---- */

static void wl_hwq_lock_release(struct wl_actor *a)
{
        struct wl_hwq *q = a->sub.q;
        struct wl_actor *next = q->lock_head;

        q->lock_owner = NULL;
        if (!next)
                return;
        q->lock_head = next->lock_next;
        if (!q->lock_head)
                q->lock_tail = NULL;
        next->lock_next = NULL;
        q->lock_owner = next;
        wl_charge(next, WL_STAGE_HOST_QUEUE_WAIT, next->sub.lock_t0, wl_now(a));
        next->sub.state = U_HOLD;
        wl_sleep(next, 0);
}

/* ---- the submission machine (arm_smmu_cmdq_issue_cmdlist) ---- */

static void wl_sub_step(struct wl_actor *a);

static void wl_sub_begin(struct wl_actor *a, struct wl_hwq *q, const uint64_t (*cmds)[2],
                         uint32_t n, bool sync, bool wait, enum wl_stage stage, int ret_state)
{
        struct wl_sub *s = &a->sub;

        a->in_sub = true;
        s->q = q;
        s->cmds = cmds;
        s->n = n;
        s->sync = sync;
        s->wait = wait;
        s->cpu_stage = stage;
        s->ret_state = ret_state;
        s->state = U_LOCK;
        wl_sub_step(a);
}

static void wl_sub_return(struct wl_actor *a)
{
        a->in_sub = false;
        a->state = a->sub.ret_state;
        wl_step(a);
}

static void wl_seg(struct wl_actor *a, enum wl_stage s, sim_time_t *cur, sim_time_t end,
                   sim_time_t t1)
{
        if (end > t1)
                end = t1;
        if (end > *cur) {
                wl_charge(a, s, *cur, end);
                *cur = end;
        }
}

/*
 * Split [t0, t1) - from publishing the SYNC's batch to seeing it complete -
 * by what the hardware was doing for the entries [from, end).
 */
static void wl_walk(struct wl_actor *a, struct wl_hwq *q, uint32_t from, uint32_t end,
                    sim_time_t t0, sim_time_t t1)
{
        sim_time_t cur = t0;
        bool atc = false;

        for (uint32_t pos = from; pos != end; pos = ring_add(q->ring, pos, 1)) {
                const struct wl_slot *s = &q->slots[ring_idx(q->ring, pos)];

                if (!s->seen)
                        continue;
                if (s->opcode == CMDQ_OP_ATC_INV)
                        atc = true;
                if (s->owner != a) {
                        /* another submitter's command ahead of our SYNC */
                        wl_seg(a, WL_STAGE_HOST_QUEUE_WAIT, &cur, s->done, t1);
                        continue;
                }
                wl_seg(a, WL_STAGE_FETCH, &cur, s->fetched, t1);
                wl_seg(a, WL_STAGE_HOST_QUEUE_WAIT, &cur, s->exec_start, t1);
                wl_seg(a, WL_STAGE_EXECUTE, &cur, s->exec_end, t1);
                if (s->opcode == CMDQ_OP_SYNC) {
                        wl_seg(a, atc ? WL_STAGE_ATC : WL_STAGE_SYNC_WAIT, &cur, s->done, t1);
                        atc = false;
                } else {
                        wl_seg(a, WL_STAGE_EXECUTE, &cur, s->done, t1);
                }
        }
        wl_seg(a, WL_STAGE_SYNC_WAIT, &cur, t1, t1);
}

static enum wl_cmd_site wl_site(const struct wl_actor *a)
{
        if (a->role == WL_ROLE_CPU && a->ctx->pt.path == WL_PATH_DIRECT)
                return WL_SITE_GUEST;
        return WL_SITE_HOST;
}

static void wl_sub_publish(struct wl_actor *a)
{
        struct wl_ctx *c = a->ctx;
        struct wl_sub *s = &a->sub;
        struct wl_hwq *q = s->q;
        uint32_t need = s->n + (s->sync ? 1u : 0u);
        uint32_t first = q->prod;
        uint64_t v;

        if (ring_space(q->ring, q->prod, q->cons_shadow) < need) {
                /* arm_smmu_cmdq_poll_until_not_full: refresh CONS from HW only with
                 * the exclusive lock, i.e. when nobody waits for a SYNC (whose entry
                 * must not be reused before it is seen); else wait for them */
                if (!q->sync_waiters &&
                    cmdqv_mmio_read(c->m, q->space, q->cons_off, 4, &v) == CMDQV_OK)
                        q->cons_shadow = (uint32_t)v & ring_pos_mask(q->ring);
                if (ring_space(q->ring, q->prod, q->cons_shadow) < need) {
                        sim_time_t now = wl_now(a);

                        wl_charge(a, WL_STAGE_HOST_QUEUE_WAIT, now, now + c->sw->poll_udelay_first);
                        wl_sleep(a, c->sw->poll_udelay_first);
                        return; /* state stays U_PUBLISH: retry */
                }
        }
        for (uint32_t i = 0; i < need; i++) {
                struct wl_slot *sl = &q->slots[ring_idx(q->ring, q->prod)];
                uint64_t addr = ring_entry_addr(q->ring, q->base, q->prod);
                uint64_t dw[2];

                if (i < s->n) {
                        dw[0] = s->cmds[i][0];
                        dw[1] = s->cmds[i][1];
                } else {
                        wl_build_sync(dw, q->sync_cs, q->msipoll ? addr : 0);
                        s->sync_pos = q->prod;
                }
                tb_mem_write64(&c->mem, addr, dw[0]);
                tb_mem_write64(&c->mem, addr + 8, dw[1]);
                memset(sl, 0, sizeof(*sl));
                sl->owner = a;
                sl->opcode = (uint8_t)(dw[0] & 0xff);
                wl_emit_cmd(a, wl_site(a), dw);
                q->prod = ring_add(q->ring, q->prod, 1);
        }
        cmdqv_mmio_write(c->m, q->space, q->prod_off, 4, q->prod);
        if (!s->attr_valid) {
                s->attr_from = first;
                s->attr_valid = true;
        }
        wl_sub_busy(a, s->cpu_stage, c->hw->mmio_write_latency, U_RELEASE);
}

static void wl_sub_step(struct wl_actor *a)
{
        struct wl_ctx *c = a->ctx;
        const struct path_params *sw = c->sw;
        struct wl_sub *s = &a->sub;
        struct wl_hwq *q = s->q;
        uint64_t v;

        switch (s->state) {
        case U_LOCK:
                if (!q->lock_owner) {
                        q->lock_owner = a;
                        s->state = U_HOLD;
                        wl_sub_step(a);
                        return;
                }
                a->lock_next = NULL;
                if (q->lock_tail)
                        q->lock_tail->lock_next = a;
                else
                        q->lock_head = a;
                q->lock_tail = a;
                s->lock_t0 = wl_now(a);
                s->state = U_LOCK_WAIT; /* woken by wl_hwq_lock_release */
                return;
        case U_LOCK_WAIT:
                return;
        case U_HOLD:
                wl_sub_busy(a, s->cpu_stage, sw->cmdq_lock_hold, U_PUBLISH);
                return;
        case U_PUBLISH:
                wl_sub_publish(a);
                return;
        case U_RELEASE:
                /* from here on the CPU waits: the walk splits [now, seen) */
                s->t_pub = wl_now(a);
                wl_hwq_lock_release(a);
                if (!s->sync || !s->wait) {
                        if (s->sync)
                                s->attr_valid = false;
                        wl_sub_return(a);
                        return;
                }
                q->sync_waiters++;
                s->spin = 0;
                s->delay = sw->poll_udelay_first;
                s->state = U_POLL;
                wl_sub_step(a);
                return;
        case U_POLL: {
                bool done;

                if (q->msipoll) {
                        uint64_t addr = ring_entry_addr(q->ring, q->base, s->sync_pos);

                        done = tb_mem_read32(&c->mem, addr) == 0;
                        if (!done) {
                                /* __arm_smmu_cmdq_poll_until_msi: WFE on the line until the
                                 * MSI write (wl_msi_written) or the event stream wakes us */
                                q->slots[ring_idx(q->ring, s->sync_pos)].waiter = a;
                                wl_sleep(a, sw->wfe_evtstrm);
                                return;
                        }
                } else {
                        done = ring_consumed(q->ring, q->cons_shadow, s->sync_pos);
                        if (!done) {
                                /* queue_poll: cpu_relax x (spin_count - 1), then udelay
                                 * doubling; the spin count restarts after each udelay */
                                if (++s->spin < sw->poll_spin_count) {
                                        wl_sleep(a, sw->cpu_relax);
                                } else {
                                        wl_sleep(a, s->delay);
                                        s->delay *= 2;
                                        s->spin = 0;
                                }
                                s->state = U_READ_ISSUE;
                                return;
                        }
                }
                q->slots[ring_idx(q->ring, s->sync_pos)].waiter = NULL;
                q->sync_waiters--;
                if (!ring_consumed(q->ring, q->cons_shadow, s->sync_pos))
                        q->cons_shadow = ring_add(q->ring, s->sync_pos, 1);
                if (a->role != WL_ROLE_BG)
                        wl_walk(a, q, s->attr_from, ring_add(q->ring, s->sync_pos, 1), s->t_pub,
                                wl_now(a));
                s->attr_valid = false;
                wl_sub_return(a);
                return;
        }
        case U_READ_ISSUE:
                /* readl(cons_reg): the value is sampled half-way through the read */
                s->state = U_READ_SAMPLE;
                wl_sleep(a, c->hw->mmio_read_latency / 2);
                return;
        case U_READ_SAMPLE:
                if (cmdqv_mmio_read(c->m, q->space, q->cons_off, 4, &v) == CMDQV_OK) {
                        uint32_t cons = (uint32_t)v & ring_pos_mask(q->ring);

                        /* Keep the shared shadow monotonic (several readers). */
                        if (ring_used(q->ring, q->prod, cons) <=
                            ring_used(q->ring, q->prod, q->cons_shadow))
                                q->cons_shadow = cons;
                }
                s->state = U_POLL;
                wl_sleep(a, c->hw->mmio_read_latency - c->hw->mmio_read_latency / 2);
                return;
        }
}

/* ---- trace and DMA hooks ---- */

void wl_trace_cmd(struct wl_ctx *c, const struct cmdqv_trace_rec *rec)
{
        struct wl_hwq *q;
        struct wl_slot *s;

        if (rec->kind == CMDQV_TR_ERROR && !c->hw_error) {
                c->hw_error = (int)rec->code + 1;
                c->hw_error_queue = rec->queue;
                return;
        }
        if (rec->kind != CMDQV_TR_CMD)
                return;
        if (rec->queue == CMDQV_QUEUE_SMMU)
                q = &c->hwqs[0];
        else if (rec->queue >= 0 && (uint32_t)rec->queue < c->hw->vcmdqs)
                q = c->by_vcmdq[rec->queue];
        else
                return;
        if (!q)
                return;
        s = &q->slots[ring_idx(q->ring, rec->pos)];
        s->seen = true;
        s->fetched = rec->t_fetched;
        s->exec_start = rec->t_exec_start;
        s->exec_end = rec->t_exec_end;
        s->done = rec->time;
}

void wl_msi_written(struct wl_ctx *c, uint64_t addr, uint32_t len)
{
        struct wl_hwq *q = &c->hwqs[0];
        uint64_t bytes = (uint64_t)ring_entries(q->ring) << 4;
        struct wl_actor *w;

        (void)len;
        if (!q->msipoll || addr < q->base || addr >= q->base + bytes)
                return;
        w = q->slots[(addr - q->base) >> 4].waiter;
        if (w)
                sim_schedule_in(c->k, &w->ev, c->sw->msi_wake);
}

/* ---- guest emulated queue (trap, eventfd) ---- */

static struct wl_gq *wl_gq_of(struct wl_actor *a)
{
        return &a->ctx->vms[a->vm].gq;
}

static void wl_glock_release(struct wl_actor *a)
{
        struct wl_gq *g = wl_gq_of(a);
        struct wl_actor *next = g->lock_head;

        g->lock_owner = NULL;
        if (!next)
                return;
        g->lock_head = next->glock_next;
        if (!g->lock_head)
                g->lock_tail = NULL;
        next->glock_next = NULL;
        g->lock_owner = next;
        wl_charge(next, WL_STAGE_HOST_QUEUE_WAIT, next->sub.lock_t0, wl_now(a));
        next->state = C_GLOCK_HOLD;
        wl_sleep(next, 0);
}

static void wl_server_notify(struct wl_actor *srv)
{
        struct wl_ctx *c = srv->ctx;

        if (srv->role == WL_ROLE_VMM) {
                if (srv->state == V_IDLE) {
                        srv->state = V_DEQ;
                        wl_sleep(srv, 0);
                }
        } else if (srv->state == K_IDLE) {
                srv->state = K_RUN;
                srv->wake_t0 = wl_now(srv);
                wl_sleep(srv, c->sw->kthread_wake);
        }
}

/* Write the issue's commands and its SYNC into the emulated queue. */
static void wl_gpublish(struct wl_actor *a)
{
        struct wl_ctx *c = a->ctx;
        struct wl_gq *g = wl_gq_of(a);
        uint32_t need = a->issue_n + (a->issue_sync ? 1u : 0u);

        for (uint32_t i = 0; i < need; i++) {
                uint64_t addr = ring_entry_addr(g->ring, g->base, g->prod);
                uint64_t dw[2];

                if (i < a->issue_n) {
                        dw[0] = a->issue_cmds[i][0];
                        dw[1] = a->issue_cmds[i][1];
                } else {
                        /* The vSMMU has no MSI and no SEV (QEMU 7.2 IDR0, smmuv3-cmdq.md
                         * §1.1): Linux still asks for CS=SEV and polls CONS. */
                        wl_build_sync(dw, CMD_SYNC_CS_SEV, 0);
                        a->gsync_pos = g->prod;
                }
                tb_mem_write64(&c->mem, addr, dw[0]);
                tb_mem_write64(&c->mem, addr + 8, dw[1]);
                g->owner[ring_idx(g->ring, g->prod)] = a;
                wl_emit_cmd(a, WL_SITE_GUEST, dw);
                g->prod = ring_add(g->ring, g->prod, 1);
        }
        a->req_prod = g->prod;
}

/* ---- CPU: the dma_map_benchmark thread ---- */

static uint64_t wl_rng_next(uint64_t *s)
{
        /* splitmix64 */
        uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
}

/*
 * @t +- cpu_jitter percent, uniform, from the run's seeded generator: real
 * threads are not in lock-step and exits vary; without this, identical
 * threads settle into phases that never collide.
 */
static sim_time_t wl_jitter(struct wl_ctx *c, sim_time_t t)
{
        uint64_t j = c->sw->cpu_jitter;

        if (!j)
                return t;
        return t * (100 - j + wl_rng_next(&c->rng) % (2 * j + 1)) / 100;
}

static void wl_cpu_record(struct wl_actor *a)
{
        struct wl_ctx *c = a->ctx;
        struct wl_result *r = c->res;
        sim_time_t now = wl_now(a);
        struct wl_sample *smp;
        const struct wl_observer *obs = c->obs;

        wl_acc_charge(&a->own, WL_STAGE_GUEST_CPU, now, now); /* close any gap */
        a->acc = NULL;
        if (r->count < r->capacity) {
                smp = &r->samples[r->count++];
                smp->start = a->start;
                smp->latency = now - a->start;
                smp->thread = a->thread;
                smp->vm = (uint32_t)a->vm;
                memcpy(smp->stage, a->own.stage, sizeof(smp->stage));
        }
        a->done++;
        if (now > r->sim_time)
                r->sim_time = now;
        if (obs && obs->progress && (r->count % c->progress_step == 0 || r->count == c->total))
                obs->progress(obs->ctx, r->count, c->total);
}

static void wl_gpoll_init(struct wl_actor *a)
{
        a->gspin = 0;
        a->gdelay = a->ctx->sw->poll_udelay_first;
        a->state = C_GPOLL_CHECK;
}

static void wl_cpu_step(struct wl_actor *a)
{
        struct wl_ctx *c = a->ctx;
        const struct path_params *sw = c->sw;
        const struct wl_point *pt = &c->pt;
        sim_time_t now = wl_now(a);
        struct wl_gq *g;

        switch (a->state) {
        case C_MAP:
                if (a->done >= pt->iterations || (pt->duration && now - c->t0 >= pt->duration)) {
                        a->state = C_DONE;
                        a->finished = true;
                        c->cpus_done++;
                        return;
                }
                {
                        sim_time_t t = sw->cpu_map_base + sw->cpu_map_per_page * pt->granule_pages;

                        t = wl_jitter(c, t);

                        if (c->obs && c->obs->span)
                                c->obs->span(c->obs->ctx, a->track, "dma_map", now, now + t);
                        a->state = C_UNMAP;
                        wl_sleep(a, t);
                }
                return;
        case C_UNMAP:
                a->start = now;
                memset(&a->own, 0, sizeof(a->own));
                a->own.until = now;
                a->acc = &a->own;
                a->issue_next = 0;
                a->atc_done = !pt->ats;
                wl_busy(a, WL_STAGE_GUEST_CPU,
                        sw->cpu_unmap_base + sw->cpu_unmap_per_page * pt->granule_pages, C_ISSUE);
                return;
        case C_ISSUE: {
                uint32_t k;

                if (a->issue_next < a->ntlbi) {
                        /* arm_smmu_cmdq_batch_add issues a full batch without SYNC */
                        k = a->ntlbi - a->issue_next;
                        if (k > WL_BATCH_MAX)
                                k = WL_BATCH_MAX;
                        a->issue_cmds = (const uint64_t(*)[2]) & a->tlbi[a->issue_next];
                        a->issue_next += k;
                        a->issue_sync = a->issue_next == a->ntlbi;
                } else if (!a->atc_done) {
                        /* arm_smmu_atc_inv_domain after the TLBI SYNC (cmdq §4.1) */
                        k = 1;
                        a->issue_cmds = (const uint64_t(*)[2])a->atc;
                        a->issue_sync = true;
                        a->atc_done = true;
                } else {
                        a->state = C_END;
                        wl_step(a);
                        return;
                }
                a->issue_n = k;
                wl_busy(a, WL_STAGE_GUEST_CPU,
                        k * sw->cpu_cmd_build + sw->cpu_issue_base +
                            (k + (a->issue_sync ? 1 : 0)) * sw->cpu_cmd_write,
                        C_SUBMIT);
                return;
        }
        case C_SUBMIT:
                if (pt->path == WL_PATH_DIRECT || pt->path == WL_PATH_HOST) {
                        wl_sub_begin(a, a->hwq, a->issue_cmds, a->issue_n, a->issue_sync, true,
                                     WL_STAGE_GUEST_CPU, C_SUB_RET);
                        return;
                }
                g = wl_gq_of(a);
                if (ring_space(g->ring, g->prod, g->cons_shadow) <
                    a->issue_n + (a->issue_sync ? 1u : 0u)) {
                        /* poll_until_not_full: read the emulated CONS (an exit) */
                        a->space_wait = true;
                        a->state = C_GPOLL_READ;
                        wl_step(a);
                        return;
                }
                if (!g->lock_owner) {
                        g->lock_owner = a;
                        a->state = C_GLOCK_HOLD;
                        wl_step(a);
                        return;
                }
                a->glock_next = NULL;
                if (g->lock_tail)
                        g->lock_tail->glock_next = a;
                else
                        g->lock_head = a;
                g->lock_tail = a;
                a->sub.lock_t0 = now;
                a->state = C_GLOCK_WAIT;
                return;
        case C_SUB_RET:
                a->state = C_ISSUE;
                wl_step(a);
                return;
        case C_GLOCK_WAIT:
        case C_BLOCKED:
        case C_DONE:
                return;
        case C_GLOCK_HOLD:
                wl_busy(a, WL_STAGE_GUEST_CPU, sw->cmdq_lock_hold, C_GPUBLISH);
                return;
        case C_GPUBLISH:
                g = wl_gq_of(a);
                if (ring_space(g->ring, g->prod, g->cons_shadow) <
                    a->issue_n + (a->issue_sync ? 1u : 0u)) {
                        /* another vCPU took the space meanwhile: start over */
                        wl_glock_release(a);
                        a->state = C_SUBMIT;
                        wl_step(a);
                        return;
                }
                wl_gpublish(a);
                wl_glock_release(a);
                c->res->exits++;
                if (pt->path == WL_PATH_TRAP) {
                        a->req_kind = REQ_PROD;
                        wl_busy(a, WL_STAGE_EXIT, wl_jitter(c, sw->exit_user), C_TRAP_ENQ);
                        return;
                }
                /* eventfd: the ioeventfd store is seen in the kernel at once */
                if (ring_used(g->ring, a->req_prod, g->cons) <=
                    ring_used(g->ring, g->prod, g->cons))
                        g->prod_reg = a->req_prod;
                wl_server_notify(c->vms[a->vm].server);
                wl_busy(a, WL_STAGE_EXIT, wl_jitter(c, sw->exit_kernel), C_EVT_RET);
                return;
        case C_TRAP_ENQ: {
                struct wl_actor *srv = c->vms[a->vm].server;

                a->req_enq = now;
                a->req_next = NULL;
                if (srv->fifo_tail)
                        srv->fifo_tail->req_next = a;
                else
                        srv->fifo_head = a;
                srv->fifo_tail = a;
                a->state = C_BLOCKED; /* the VMM resumes us in C_TRAP_ENTRY */
                wl_server_notify(srv);
                return;
        }
        case C_TRAP_ENTRY:
                wl_busy(a, WL_STAGE_EXIT, wl_jitter(c, sw->entry_user), C_TRAP_AFTER);
                return;
        case C_TRAP_AFTER:
                if (a->req_kind == REQ_READ) {
                        a->state = C_GPOLL_GOT;
                } else if (a->issue_sync) {
                        wl_gpoll_init(a);
                } else {
                        a->state = C_ISSUE;
                }
                wl_step(a);
                return;
        case C_EVT_RET:
                if (a->issue_sync)
                        wl_gpoll_init(a);
                else
                        a->state = C_ISSUE;
                wl_step(a);
                return;
        case C_GPOLL_CHECK:
                g = wl_gq_of(a);
                if (ring_consumed(g->ring, g->cons_shadow, a->gsync_pos)) {
                        a->state = C_ISSUE;
                        wl_step(a);
                        return;
                }
                a->state = C_GPOLL_READ;
                if (++a->gspin < sw->poll_spin_count) {
                        wl_sleep(a, sw->cpu_relax);
                } else {
                        wl_sleep(a, a->gdelay);
                        a->gdelay *= 2;
                        a->gspin = 0;
                }
                return;
        case C_GPOLL_READ:
                c->res->exits++;
                if (pt->path == WL_PATH_TRAP) {
                        /* every read of the emulated CONS exits to QEMU (cmdq §8.1) */
                        a->req_kind = REQ_READ;
                        wl_busy(a, WL_STAGE_EXIT, wl_jitter(c, sw->exit_user), C_TRAP_ENQ);
                        return;
                }
                /* eventfd: CONS is emulated in the kernel; the CPU waits (the kernel
                 * thread's work is charged by it), the tail is SYNC wait */
                a->state = C_GPOLL_GOT;
                wl_sleep(a, wl_jitter(c, sw->exit_kernel));
                return;
        case C_GPOLL_GOT:
                g = wl_gq_of(a);
                if (pt->path == WL_PATH_EVENTFD)
                        a->req_reply = g->cons; /* value as the exit returns */
                if (ring_used(g->ring, g->prod, a->req_reply) <=
                    ring_used(g->ring, g->prod, g->cons_shadow))
                        g->cons_shadow = a->req_reply;
                a->state = a->space_wait ? C_SUBMIT : C_GPOLL_CHECK;
                a->space_wait = false;
                wl_step(a);
                return;
        case C_END:
                wl_cpu_record(a);
                a->state = C_MAP;
                wl_step(a);
                return;
        }
}

/* ---- VMM: QEMU's vSMMU for one VM (trap) ---- */

/* arm_vsmmu_convert_user_cmd: VMID and StreamID rewrite (smmuv3-cmdq.md §8.1). */
static bool wl_convert(const struct wl_vm *vm, const uint64_t in[2], uint64_t out[2])
{
        struct cmd c;

        cmd_decode(in, &c);
        switch (c.opcode) {
        case CMDQ_OP_TLBI_NH_VA:
        case CMDQ_OP_TLBI_NH_VAA:
        case CMDQ_OP_TLBI_NH_ASID:
        case CMDQ_OP_TLBI_NH_ALL:
                c.vmid = vm->vmid;
                break;
        case CMDQ_OP_ATC_INV:
        case CMDQ_OP_CFGI_CD:
        case CMDQ_OP_CFGI_CD_ALL:
                if (c.sid != vm->vsid)
                        return false; /* -EIO: no vDEVICE for this vSID */
                c.sid = vm->psid;
                break;
        default:
                return false;
        }
        cmd_encode(&c, out);
        return true;
}

static void wl_gq_read(struct wl_ctx *c, const struct wl_gq *g, uint32_t pos, uint64_t dw[2])
{
        uint64_t addr = ring_entry_addr(g->ring, g->base, pos);

        dw[0] = tb_mem_read64(&c->mem, addr);
        dw[1] = tb_mem_read64(&c->mem, addr + 8);
}

static void wl_vmm_step(struct wl_actor *a)
{
        struct wl_ctx *c = a->ctx;
        const struct path_params *sw = c->sw;
        struct wl_vm *vm = &c->vms[a->vm];
        struct wl_gq *g = &vm->gq;
        struct wl_actor *r = a->cur;
        sim_time_t now = wl_now(a);
        uint64_t dw[2];
        struct cmd cmd;

        switch (a->state) {
        case V_IDLE:
                return;
        case V_DEQ:
                r = a->fifo_head;
                if (!r) {
                        a->state = V_IDLE;
                        a->acc = NULL;
                        return;
                }
                a->fifo_head = r->req_next;
                if (!a->fifo_head)
                        a->fifo_tail = NULL;
                a->cur = r;
                a->acc = &r->own;
                /* waiting for the VM's one VMM thread (BQL / vSMMU mutex): the blocked
                 * vCPU's time, shown on its own track */
                wl_charge(r, WL_STAGE_VMM, r->req_enq, now);
                wl_busy(a, WL_STAGE_VMM, sw->vmm_mmio, V_DISPATCHED);
                return;
        case V_DISPATCHED:
                if (r->req_kind == REQ_READ) {
                        r->req_reply = g->cons;
                        goto reply;
                }
                if (ring_used(g->ring, r->req_prod, g->cons) <=
                    ring_used(g->ring, g->prod, g->cons))
                        g->prod_reg = r->req_prod;
                a->state = V_CMD;
                wl_step(a);
                return;
        case V_CMD:
                /* QEMU consumes the whole queue inside the PROD write (cmdq §6.2) */
                if (g->cons == g->prod_reg) {
                        r->req_reply = g->cons;
                        goto reply;
                }
                wl_busy(a, WL_STAGE_VMM, sw->vmm_cmd, V_CMD_DO);
                return;
        case V_CMD_DO:
                wl_gq_read(c, g, g->cons, dw);
                cmd_decode(dw, &cmd);
                if (cmd.opcode == CMDQ_OP_SYNC || !wl_convert(vm, dw, a->hcmd[0])) {
                        /* CMD_SYNC is completed locally: each ioctl already synced */
                        a->state = V_CMD_NEXT;
                        wl_step(a);
                        return;
                }
                c->res->ioctls++;
                wl_busy(a, WL_STAGE_IOCTL,
                        sw->ioctl_syscall / 2 + sw->ioctl_convert + sw->cpu_issue_base +
                            2 * sw->cpu_cmd_write,
                        V_SUBMIT);
                return;
        case V_SUBMIT:
                /* one entry, then CMD_SYNC, on the host SMMU CMDQ (entry_num = 1) */
                wl_sub_begin(a, &c->hwqs[0], (const uint64_t(*)[2])a->hcmd, 1, true, true,
                             WL_STAGE_IOCTL, V_IOCTL_RET);
                return;
        case V_IOCTL_RET:
                wl_busy(a, WL_STAGE_IOCTL, sw->ioctl_syscall - sw->ioctl_syscall / 2, V_CMD_NEXT);
                return;
        case V_CMD_NEXT:
                g->cons = ring_add(g->ring, g->cons, 1);
                a->state = V_CMD;
                wl_step(a);
                return;
        }
        return;
reply:
        a->cur = NULL;
        a->acc = NULL;
        r->state = C_TRAP_ENTRY;
        wl_sleep(r, 0);
        a->state = V_DEQ;
        wl_step(a);
}

/* ---- kernel thread: eventfd ---- */

static void wl_served_add(struct wl_actor *a, struct wl_actor *owner)
{
        if (!owner || !owner->acc)
                return;
        for (uint32_t i = 0; i < a->nserved; i++)
                if (a->served[i] == owner->acc)
                        return;
        if (a->nserved < WL_BATCH_MAX)
                a->served[a->nserved++] = owner->acc;
}

static void wl_kthread_step(struct wl_actor *a)
{
        struct wl_ctx *c = a->ctx;
        const struct path_params *sw = c->sw;
        struct wl_vm *vm = &c->vms[a->vm];
        struct wl_gq *g = &vm->gq;
        sim_time_t now = wl_now(a);
        uint32_t pos, n = 0;
        uint64_t dw[2];

        switch (a->state) {
        case K_IDLE:
                return;
        case K_RUN:
                if (g->cons == g->prod_reg) {
                        a->state = K_IDLE;
                        a->nserved = 0;
                        return;
                }
                a->nserved = 0;
                for (pos = g->cons; pos != g->prod_reg && n < sw->eventfd_batch;
                     pos = ring_add(g->ring, pos, 1)) {
                        wl_served_add(a, g->owner[ring_idx(g->ring, pos)]);
                        wl_gq_read(c, g, pos, dw);
                        if ((dw[0] & 0xff) == CMDQ_OP_SYNC)
                                continue;
                        if (wl_convert(vm, dw, a->hcmd[n]))
                                n++;
                }
                a->chunk_end = pos;
                if (a->wake_t0 != SIM_TIME_NEVER) {
                        wl_charge(a, WL_STAGE_VMM, a->wake_t0, now);
                        a->wake_t0 = SIM_TIME_NEVER;
                }
                if (!n) {
                        g->cons = a->chunk_end;
                        wl_step(a);
                        return;
                }
                a->sub.n = n;
                wl_busy(a, WL_STAGE_VMM,
                        n * sw->kthread_cmd + sw->cpu_issue_base + (n + 1) * sw->cpu_cmd_write,
                        K_SUBMIT);
                return;
        case K_SUBMIT:
                wl_sub_begin(a, &c->hwqs[0], (const uint64_t(*)[2])a->hcmd, a->sub.n, true, true,
                             WL_STAGE_VMM, K_DONE);
                return;
        case K_DONE:
                g->cons = a->chunk_end;
                a->state = K_RUN;
                wl_step(a);
                return;
        }
}

/* ---- host background traffic ---- */

static void wl_bg_step(struct wl_actor *a)
{
        struct wl_ctx *c = a->ctx;

        switch (a->state) {
        case B_WAIT: {
                /* Uniform on (0, 2/rate): mean 1/rate, deterministic per seed. */
                uint64_t mean = 1000000000000ull / c->pt.host_background;
                uint64_t u = wl_rng_next(&c->rng) % 1000000ull;

                a->state = B_GO;
                wl_sleep(a, 1 + (mean * 2 * u) / 1000000ull);
                return;
        }
        case B_GO:
                wl_sub_begin(a, &c->hwqs[0], (const uint64_t(*)[2])a->hcmd, c->sw->bg_cmds, true,
                             false, WL_STAGE_HOST_QUEUE_WAIT, B_WAIT);
                return;
        }
}

/* ---- dispatch ---- */

static void wl_step(struct wl_actor *a)
{
        if (a->in_sub) {
                wl_sub_step(a);
                return;
        }
        switch (a->role) {
        case WL_ROLE_CPU:
                wl_cpu_step(a);
                break;
        case WL_ROLE_VMM:
                wl_vmm_step(a);
                break;
        case WL_ROLE_KTHREAD:
                wl_kthread_step(a);
                break;
        case WL_ROLE_BG:
                wl_bg_step(a);
                break;
        }
}

void wl_actor_fire(struct sim_kernel *k, struct sim_event *ev)
{
        (void)k;
        wl_step((struct wl_actor *)ev->arg);
}

void wl_actor_start(struct wl_actor *a)
{
        switch (a->role) {
        case WL_ROLE_CPU:
                a->state = C_MAP;
                wl_sleep(a, 0);
                break;
        case WL_ROLE_VMM:
                a->state = V_IDLE;
                break;
        case WL_ROLE_KTHREAD:
                a->state = K_IDLE;
                a->wake_t0 = SIM_TIME_NEVER;
                break;
        case WL_ROLE_BG: {
                struct cmd cmd;

                memset(&cmd, 0, sizeof(cmd));
                cmd.opcode = CMDQ_OP_TLBI_NH_VA;
                cmd.asid = 2; /* some host DMA domain */
                for (uint32_t i = 0; i < a->ctx->sw->bg_cmds; i++) {
                        cmd.addr = 0x80000000ull + ((uint64_t)i << WL_PAGE_SHIFT);
                        cmd_encode(&cmd, a->hcmd[i]);
                }
                a->state = B_WAIT;
                wl_sleep(a, 0);
                break;
        }
        }
}
