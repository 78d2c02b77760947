/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mem.h - memory (slab, device-managed resources, coherent DMA), device
 * registers (ioremap, readl/writel), time and delays.
 *
 * Register cookies returned by ioremap() are the physical addresses
 * themselves; readl()/writel() look the address up in the harness's table of
 * apertures and forward the access to the model through simcpu.  Coherent
 * DMA memory comes from the harness's arena, whose bus addresses the model's
 * DMA (host_ops.mem_read/mem_write) resolves.
 */
#ifndef KAPI_MEM_H
#define KAPI_MEM_H

#include "base.h"
#include "sync.h"

/* ---- gfp flags (accepted and ignored: allocation never sleeps here) ---- */
#define GFP_KERNEL 0x1u
#define GFP_ATOMIC 0x2u
#define GFP_NOWAIT 0x4u
#define __GFP_ZERO 0x100u
#define __GFP_NOWARN 0x200u
#define GFP_KERNEL_ACCOUNT GFP_KERNEL

void *kmalloc(size_t n, gfp_t gfp);
void *kzalloc(size_t n, gfp_t gfp);
void *kcalloc(size_t n, size_t sz, gfp_t gfp);
void *krealloc(const void *p, size_t n, gfp_t gfp);
void kfree(const void *p);
#define kvfree kfree
#define kvzalloc kzalloc
#define kvcalloc kcalloc
#define kmalloc_array kcalloc
#define kzalloc_node(n, g, node) kzalloc(n, g)
#define kfree_sensitive kfree
/* 7.x's typed allocators */
#define kzalloc_obj(obj, ...) kzalloc(sizeof(obj), GFP_KERNEL)
#define kzalloc_objs(obj, n, ...) kcalloc(n, sizeof(obj), GFP_KERNEL)
#define kmalloc_obj(obj, ...) kmalloc(sizeof(obj), GFP_KERNEL)
#define kmalloc_objs(obj, n, ...) kcalloc(n, sizeof(obj), GFP_KERNEL)
#define kcalloc_objs kzalloc_objs
#define kzalloc_flex(obj, m, n, ...) \
	kzalloc(struct_size(&(obj), m, n), GFP_KERNEL)

struct device;
void *devm_kmalloc(struct device *dev, size_t n, gfp_t gfp);
void *devm_kzalloc(struct device *dev, size_t n, gfp_t gfp);
void *devm_kcalloc(struct device *dev, size_t n, size_t sz, gfp_t gfp);
void *devm_krealloc(struct device *dev, void *p, size_t n, gfp_t gfp);
void devm_kfree(struct device *dev, const void *p);
unsigned long *devm_bitmap_zalloc(struct device *dev, unsigned int nbits,
				  gfp_t gfp);
int devm_add_action(struct device *dev, void (*fn)(void *), void *data);
int devm_add_action_or_reset(struct device *dev, void (*fn)(void *),
			     void *data);
void devm_remove_action(struct device *dev, void (*fn)(void *), void *data);
/** Run and free @dev's managed resources, newest first (driver detach). */
void devres_release_all(struct device *dev);
/** Drop @dev's devres records without running them (platform teardown). */
void devres_forget_all(struct device *dev);
/** Free every slab block still allocated (platform teardown). */
void kapi_free_all(void);

/* ---- coherent DMA ---- */
#define DMA_BIT_MASK(n) (((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))
#define DMA_MAPPING_ERROR (~(dma_addr_t)0)
void *dma_alloc_coherent(struct device *dev, size_t n, dma_addr_t *dma,
			 gfp_t gfp);
void dma_free_coherent(struct device *dev, size_t n, void *cpu, dma_addr_t dma);
void *dmam_alloc_coherent(struct device *dev, size_t n, dma_addr_t *dma,
			  gfp_t gfp);
void dmam_free_coherent(struct device *dev, size_t n, void *cpu,
			dma_addr_t dma);
int dma_set_mask_and_coherent(struct device *dev, u64 mask);
phys_addr_t virt_to_phys(const void *p);

/* ---- device registers ---- */
u64 kapi_mmio_read(const volatile void __iomem *a, unsigned size);
void kapi_mmio_write(volatile void __iomem *a, unsigned size, u64 v);
void __iomem *ioremap(phys_addr_t pa, size_t n);
void iounmap(volatile void __iomem *a);
#define readb_relaxed(a) ((u8)kapi_mmio_read(a, 1))
#define readw_relaxed(a) ((u16)kapi_mmio_read(a, 2))
#define readl_relaxed(a) ((u32)kapi_mmio_read(a, 4))
#define readq_relaxed(a) ((u64)kapi_mmio_read(a, 8))
#define writeb_relaxed(v, a) kapi_mmio_write(a, 1, (u8)(v))
#define writew_relaxed(v, a) kapi_mmio_write(a, 2, (u16)(v))
#define writel_relaxed(v, a) kapi_mmio_write(a, 4, (u32)(v))
#define writeq_relaxed(v, a) kapi_mmio_write(a, 8, (u64)(v))
/* the ordered forms: a barrier after a read, before a write (arm64 io.h) */
#define KAPI_RD(sz, a)                               \
	({                                           \
		u64 kapi_v_ = kapi_mmio_read(a, sz); \
		simcpu_barrier();                    \
		kapi_v_;                             \
	})
#define readb(a) ((u8)KAPI_RD(1, a))
#define readw(a) ((u16)KAPI_RD(2, a))
#define readl(a) ((u32)KAPI_RD(4, a))
#define readq(a) ((u64)KAPI_RD(8, a))
#define writel(v, a) (simcpu_barrier(), writel_relaxed(v, a))
#define writeq(v, a) (simcpu_barrier(), writeq_relaxed(v, a))
#define writew(v, a) (simcpu_barrier(), writew_relaxed(v, a))
#define writeb(v, a) (simcpu_barrier(), writeb_relaxed(v, a))

/* ---- time (ns) and delays ---- */
static inline ktime_t ktime_get(void)
{
	return (ktime_t)(simcpu_now() / 1000);
}
#define ktime_add_us(t, us) ((t) + (ktime_t)(us)*NSEC_PER_USEC)
#define ktime_add_ns(t, ns) ((t) + (ktime_t)(ns))
#define ktime_sub(a, b) ((a) - (b))
#define ktime_compare(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)
#define ktime_after(a, b) ((a) > (b))
#define ktime_before(a, b) ((a) < (b))
#define ktime_to_us(t) ((t) / NSEC_PER_USEC)
#define ktime_to_ns(t) (t)
#define ktime_us_delta(a, b) (((a) - (b)) / NSEC_PER_USEC)
#define ms_to_ktime(ms) ((ktime_t)(ms)*NSEC_PER_MSEC)
#define us_to_ktime(us) ((ktime_t)(us)*NSEC_PER_USEC)
#define ndelay(ns) simcpu_delay((u64)(ns)*1000)
#define udelay(us) simcpu_delay((u64)(us)*1000000)
#define mdelay(ms) simcpu_delay((u64)(ms)*1000000000)
#define usleep_range(lo, hi) simcpu_delay((u64)(lo)*1000000)
#define fsleep(us) udelay(us)
#define msleep(ms) mdelay(ms)
#define might_sleep_if(c) ((void)0)
#define cond_resched() ((void)0)

#endif
