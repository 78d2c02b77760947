/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kapi_core.c - the shim's memory, devres, DMA, register, log and small
 * data-structure services (see the headers in include/kapi/ for the API they implement,
 * as documented by the kernel: Documentation/driver-api/driver-model/
 * devres.rst, core-api/dma-api.rst, core-api/idr.rst, core-api/xarray.rst).
 */
#include <linux/kernel.h>
#include <stdlib.h>

#include "kapi_host.h"
#include "lx_kapi_glue.h"

static struct kapi_host *host;

void kapi_host_set(struct kapi_host *h)
{
	host = h;
}

struct kapi_host *kapi_host_get(void)
{
	return host;
}

void kapi_host_release(struct kapi_host *h)
{
	free(h->log);
	h->log = NULL;
	h->log_len = h->log_cap = 0;
}

unsigned int kapi_nr_cpus(void)
{
	if (host && host->ncpus)
		return host->ncpus;
	return host ? simcpu_ncpus(host->cpus) : 1;
}

/* this instance's number of the running CPU (its IRQ context: ncpus) */
unsigned int kapi_cpu_id(void)
{
	return simcpu_cpu_id() - (host ? host->cpu_base : 0);
}

/* ---- log ---- */

static void log_append(const char *s, size_t n)
{
	if (host->log_len + n + 1 > host->log_cap) {
		size_t cap = host->log_cap ? host->log_cap * 2 : 4096;

		while (cap < host->log_len + n + 1)
			cap *= 2;
		host->log = realloc(host->log, cap);
		host->log_cap = cap;
	}
	memcpy(host->log + host->log_len, s, n);
	host->log_len += n;
	host->log[host->log_len] = '\0';
}

void kapi_log(const struct device *dev, int level, const char *fmt, ...)
{
	char line[512];
	int n = 0;
	va_list ap;

	(void)level;
	if (fmt[0] == KERN_SOH[0] && fmt[1])
		fmt += 2;
	if (dev && dev->init_name)
		n = snprintf(line, sizeof(line), "%s: ", dev->init_name);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 2;
	if (n > 0 && line[n - 1] != '\n')
		line[n++] = '\n';
	line[n] = '\0';
	if (!host)
		return;
	log_append(line, (size_t)n);
	if (host->echo)
		fputs(line, stderr);
}

void kapi_warn(const char *file, int line, const char *cond)
{
	if (host)
		host->n.warnings++;
	kapi_log(NULL, 4, "WARNING: %s:%d: %s\n", file, line, cond);
}

char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = kmalloc((size_t)n + 1, gfp);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	char *d = s ? kmalloc(strlen(s) + 1, gfp) : NULL;

	if (d)
		strcpy(d, s);
	return d;
}

void sort(void *base, size_t num, size_t size,
	  int (*cmp)(const void *, const void *),
	  void (*swap_fn)(void *, void *, int))
{
	(void)swap_fn; /* the default swap; the drivers pass NULL */
	qsort(base, num, size, cmp);
}

int copy_struct_from_user(void *dst, size_t ksize, const void __user *src,
			  size_t usize)
{
	size_t n = ksize < usize ? ksize : usize, i;

	for (i = n; i < usize; i++) /* a larger user struct: tail must be 0 */
		if (((const u8 *)src)[i])
			return -E2BIG;
	memcpy(dst, src, n);
	memset((u8 *)dst + n, 0, ksize - n);
	return 0;
}

int copy_struct_to_user(void __user *dst, size_t usize, const void *src,
			size_t ksize, bool *ignored_trailing)
{
	size_t n = ksize < usize ? ksize : usize;

	memcpy(dst, src, n);
	if (usize > n)
		memset((u8 *)dst + n, 0, usize - n);
	if (ignored_trailing)
		*ignored_trailing = ksize > usize;
	return 0;
}

/* ---- slab ---- */

/* Every slab allocation is linked into one list so the harness can free
 * what the driver still holds when it tears the platform down without a
 * remove (kapi_free_all), as a reboot would. */
struct kapi_block {
	struct kapi_block *prev, *next;
	size_t size;
	/* payloads are 64-byte aligned, as the slab aligns a 64-byte-or-larger
	 * object (arm_smmu_device has ____cacheline_aligned members) */
	_Alignas(64) unsigned char pad[];
};

static struct kapi_block blocks = { &blocks, &blocks, 0 };

static void *block_link(struct kapi_block *b, size_t n)
{
	if (!b)
		return NULL;
	b->size = n;
	b->next = blocks.next;
	b->prev = &blocks;
	blocks.next->prev = b;
	blocks.next = b;
	return b->pad;
}

static struct kapi_block *block_of(const void *p)
{
	return (struct kapi_block *)((const char *)p -
				     offsetof(struct kapi_block, pad));
}

void *kmalloc(size_t n, gfp_t gfp)
{
	struct kapi_block *b = NULL;

	if (posix_memalign((void **)&b, 64, sizeof(*b) + n))
		return NULL;
	if (gfp & __GFP_ZERO)
		memset(b->pad, 0, n);
	return block_link(b, n);
}

void *kzalloc(size_t n, gfp_t gfp)
{
	return kmalloc(n, gfp | __GFP_ZERO);
}

void *kcalloc(size_t n, size_t sz, gfp_t gfp)
{
	size_t total;

	if (__builtin_mul_overflow(n, sz, &total))
		return NULL;
	return kzalloc(total, gfp);
}

void kfree(const void *p)
{
	struct kapi_block *b;

	if (!p)
		return;
	b = block_of(p);
	b->prev->next = b->next;
	b->next->prev = b->prev;
	free(b);
}

void *krealloc(const void *p, size_t n, gfp_t gfp)
{
	void *q;

	if (!p)
		return kmalloc(n, gfp);
	q = kmalloc(n, gfp);
	if (!q)
		return NULL;
	memcpy(q, p, min(n, block_of(p)->size));
	kfree(p);
	return q;
}

void kapi_free_all(void)
{
	while (blocks.next != &blocks)
		kfree(blocks.next->pad);
}

unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t gfp)
{
	return kcalloc(BITS_TO_LONGS(nbits), sizeof(long), gfp);
}

void bitmap_free(unsigned long *b)
{
	kfree(b);
}

unsigned long find_next_bit(const unsigned long *a, unsigned long size,
			    unsigned long off)
{
	for (; off < size; off++)
		if (test_bit(off, a))
			return off;
	return size;
}

unsigned long find_first_bit(const unsigned long *a, unsigned long size)
{
	return find_next_bit(a, size, 0);
}

unsigned long find_first_zero_bit(const unsigned long *a, unsigned long size)
{
	unsigned long i;

	for (i = 0; i < size; i++)
		if (!test_bit(i, a))
			return i;
	return size;
}

/* ---- device-managed resources: newest first ---- */

struct devres {
	struct list_head node;
	void (*action)(void *); /* NULL: @mem is a managed allocation */
	void *data;
	void *mem;
	size_t dma_len; /* managed coherent DMA: bytes, else 0 */
};

static struct devres *devres_add(struct device *dev)
{
	struct devres *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	if (!dev->devres.next)
		INIT_LIST_HEAD(&dev->devres);
	list_add(&r->node, &dev->devres);
	return r;
}

static struct devres *devres_find_mem(struct device *dev, const void *p)
{
	struct devres *r;

	if (!dev->devres.next)
		return NULL;
	list_for_each_entry(r, &dev->devres,
			    node) if (!r->action && r->mem == p) return r;
	return NULL;
}

void *devm_kmalloc(struct device *dev, size_t n, gfp_t gfp)
{
	struct devres *r;
	void *p = kmalloc(n, gfp);

	if (!p)
		return NULL;
	r = devres_add(dev);
	if (!r) {
		kfree(p);
		return NULL;
	}
	r->mem = p;
	return p;
}

void *devm_kzalloc(struct device *dev, size_t n, gfp_t gfp)
{
	return devm_kmalloc(dev, n, gfp | __GFP_ZERO);
}

void *devm_kcalloc(struct device *dev, size_t n, size_t sz, gfp_t gfp)
{
	return devm_kzalloc(dev, n * sz, gfp);
}

unsigned long *devm_bitmap_zalloc(struct device *dev, unsigned int nbits,
				  gfp_t gfp)
{
	return devm_kzalloc(dev, BITS_TO_LONGS(nbits) * sizeof(long), gfp);
}

void *devm_krealloc(struct device *dev, void *p, size_t n, gfp_t gfp)
{
	struct devres *r = p ? devres_find_mem(dev, p) : NULL;
	void *q;

	if (!p)
		return devm_kmalloc(dev, n, gfp);
	if (!r)
		return NULL; /* not a managed allocation: the kernel WARNs */
	q = krealloc(p, n, gfp);
	if (!q)
		return NULL;
	r->mem = q;
	return q;
}

void devm_kfree(struct device *dev, const void *p)
{
	struct devres *r = devres_find_mem(dev, p);

	if (!r)
		return;
	list_del(&r->node);
	kfree(r->mem);
	free(r);
}

int devm_add_action(struct device *dev, void (*fn)(void *), void *data)
{
	struct devres *r = devres_add(dev);

	if (!r)
		return -ENOMEM;
	r->action = fn;
	r->data = data;
	return 0;
}

int devm_add_action_or_reset(struct device *dev, void (*fn)(void *), void *data)
{
	int ret = devm_add_action(dev, fn, data);

	if (ret)
		fn(data);
	return ret;
}

void devm_remove_action(struct device *dev, void (*fn)(void *), void *data)
{
	struct devres *r;

	list_for_each_entry(r, &dev->devres,
			    node) if (r->action == fn && r->data == data)
	{
		list_del(&r->node);
		free(r);
		return;
	}
}

/* Empty @dev's devres list; @release: run each action and free each
 * allocation as it goes, else only drop the records (the memory itself is
 * freed by kapi_free_all()). */
static void devres_drain(struct device *dev, bool release)
{
	if (!dev->devres.next)
		return;
	while (!list_empty(&dev->devres)) {
		struct devres *r =
			list_first_entry(&dev->devres, struct devres, node);

		list_del(&r->node);
		if (release && r->action)
			r->action(r->data);
		else if (release && !r->dma_len)
			kfree(r->mem);
		free(r);
	}
}

void devres_release_all(struct device *dev)
{
	devres_drain(dev, true);
}

void devres_forget_all(struct device *dev)
{
	devres_drain(dev, false);
}

/* ---- coherent DMA: a bump allocator over the arena, naturally aligned
 * (as the page allocator aligns a power-of-two block to its size) ---- */

void *dma_alloc_coherent(struct device *dev, size_t n, dma_addr_t *dma,
			 gfp_t gfp)
{
	uint64_t align = PAGE_SIZE, off;

	(void)dev, (void)gfp;
	while (align < n && align < SZ_4G)
		align <<= 1;
	off = ALIGN(host->arena_used, align);
	if (off + n > host->arena_size) {
		kapi_log(NULL, 3, "kapi: DMA arena exhausted (%zu bytes)\n", n);
		return NULL;
	}
	host->arena_used = off + n;
	memset(host->arena + off, 0, n);
	*dma = host->arena_dma + off;
	return host->arena + off;
}

void dma_free_coherent(struct device *dev, size_t n, void *cpu, dma_addr_t dma)
{
	(void)dev, (void)n, (void)cpu,
		(void)dma; /* arena space is not reused */
}

void *dmam_alloc_coherent(struct device *dev, size_t n, dma_addr_t *dma,
			  gfp_t gfp)
{
	void *p = dma_alloc_coherent(dev, n, dma, gfp);
	struct devres *r;

	if (!p)
		return NULL;
	r = devres_add(dev);
	if (r) {
		r->mem = p;
		r->dma_len = n;
	}
	return p;
}

void dmam_free_coherent(struct device *dev, size_t n, void *cpu, dma_addr_t dma)
{
	(void)dev, (void)n, (void)cpu, (void)dma;
}

int dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	dev->coherent_dma_mask = mask;
	dev->dma_mask_v = mask;
	dev->dma_mask = &dev->dma_mask_v;
	return 0;
}

phys_addr_t virt_to_phys(const void *p)
{
	return host->arena_dma + (uint64_t)((const uint8_t *)p - host->arena);
}

void *kapi_dma_to_cpu(uint64_t dma, uint64_t len)
{
	if (!host || dma < host->arena_dma ||
	    dma + len > host->arena_dma + host->arena_size || dma + len < dma)
		return NULL;
	return host->arena + (dma - host->arena_dma);
}

/* ---- registers ---- */

void __iomem *ioremap(phys_addr_t pa, size_t n)
{
	unsigned i;

	for (i = 0; i < host->nap; i++)
		if (pa >= host->ap[i].pa &&
		    pa + n <= host->ap[i].pa + host->ap[i].size)
			return (void __iomem *)(uintptr_t)pa;
	kapi_log(NULL, 3, "kapi: ioremap of 0x%llx+0x%zx: no device there\n",
		 (unsigned long long)pa, n);
	return NULL;
}

void iounmap(volatile void __iomem *a)
{
	(void)a;
}

static const struct kapi_aperture *ap_find(uint64_t pa)
{
	unsigned i;

	for (i = 0; i < host->nap; i++)
		if (pa >= host->ap[i].pa &&
		    pa < host->ap[i].pa + host->ap[i].size)
			return &host->ap[i];
	return NULL;
}

u64 kapi_mmio_read(const volatile void __iomem *a, unsigned size)
{
	uint64_t pa = (uint64_t)(uintptr_t)a;
	const struct kapi_aperture *ap = ap_find(pa);

	host->n.mmio_reads++;
	if (!ap) {
		kapi_warn(__FILE__, __LINE__, "read outside every aperture");
		return ~0ULL;
	}
	if (ap->trap)
		return ap->trap->read(ap->trap->ctx, pa - ap->pa, size);
	return simcpu_mmio_read(ap->space, pa - ap->pa + ap->space_off, size);
}

/* PROD of a VCMDQ: page 0 of the global (0x10000) or a VINTF's logical
 * (0x30000 + 0x20000 * n) view, 0x80 bytes per queue, PROD at +4 */
static bool is_vcmdq_prod(uint64_t off)
{
	if ((off & 0x7f) != 4)
		return false;
	if (off >= 0x10000 && off < 0x20000)
		return true;
	return off >= 0x30000 && !((off - 0x30000) & 0x10000);
}

void kapi_note_cas_fail(void)
{
	unsigned cpu = simcpu_cpu_id();

	if (!host)
		return;
	host->n.cas_fails++;
	host->n.cas_fails_by_cpu[cpu < SIMCPU_MAX_CPUS ? cpu :
							 SIMCPU_MAX_CPUS]++;
}

void kapi_mmio_write(volatile void __iomem *a, unsigned size, u64 v)
{
	uint64_t pa = (uint64_t)(uintptr_t)a;
	const struct kapi_aperture *ap = ap_find(pa);
	uint64_t off;

	host->n.mmio_writes++;
	if (!ap) {
		kapi_warn(__FILE__, __LINE__, "write outside every aperture");
		return;
	}
	off = pa - ap->pa + ap->space_off;
	if (ap->space == CMDQV_SPACE_SMMU && off == 0x98)
		host->n.smmu_prod_writes++;
	else if (ap->space == CMDQV_SPACE_CMDQV && !ap->trap &&
		 is_vcmdq_prod(off))
		host->n.vcmdq_prod_writes++;
	if ((ap->space == CMDQV_SPACE_SMMU && off == 0x98) ||
	    (ap->space == CMDQV_SPACE_CMDQV && !ap->trap &&
	     is_vcmdq_prod(off))) {
		unsigned cpu = simcpu_cpu_id();

		host->n.prod_by_cpu[cpu < SIMCPU_MAX_CPUS ? cpu :
							    SIMCPU_MAX_CPUS]++;
	}
	if (ap->trap) { /* a trapped PROD write counts as one too */
		ap->trap->write(ap->trap->ctx, pa - ap->pa, size, v);
		return;
	}
	simcpu_mmio_write(ap->space, off, size, v);
}

void __iomem *devm_ioremap_resource(struct device *dev,
				    const struct resource *r)
{
	void __iomem *p = ioremap(r->start, resource_size(r));

	(void)dev;
	return p ? p : ERR_PTR(-ENOMEM);
}

/* ---- ida and xarray: flat arrays grown on demand ---- */

void ida_init(struct ida *ida)
{
	ida->map = NULL;
	ida->size = 0;
}

void ida_destroy(struct ida *ida)
{
	kfree(ida->map);
	ida_init(ida);
}

int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max,
		    gfp_t gfp)
{
	unsigned int i;

	for (i = min; i <= max; i++) {
		if (i >= ida->size) {
			unsigned int size = ida->size ? ida->size : 64;
			unsigned long *m;

			while (size <= i)
				size *= 2;
			m = kcalloc(BITS_TO_LONGS(size), sizeof(long), gfp);
			if (!m)
				return -ENOMEM;
			if (ida->map)
				memcpy(m, ida->map,
				       BITS_TO_LONGS(ida->size) * sizeof(long));
			kfree(ida->map);
			ida->map = m;
			ida->size = size;
		}
		if (!test_bit(i, ida->map)) {
			__set_bit(i, ida->map);
			return (int)i;
		}
		if (i == max)
			break;
	}
	return -ENOSPC;
}

void ida_free(struct ida *ida, unsigned int id)
{
	if (id < ida->size)
		__clear_bit(id, ida->map);
}

void xa_init_flags(struct xarray *xa, unsigned int flags)
{
	memset(xa, 0, sizeof(*xa));
	xa->flags = flags;
}

void xa_destroy(struct xarray *xa)
{
	kfree(xa->slot);
	xa->slot = NULL;
	xa->size = 0;
}

static int xa_grow(struct xarray *xa, unsigned long i)
{
	unsigned long size = xa->size ? xa->size : 16;
	void **s;

	if (i < xa->size)
		return 0;
	while (size <= i)
		size *= 2;
	s = kcalloc(size, sizeof(void *), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	if (xa->slot)
		memcpy(s, xa->slot, xa->size * sizeof(void *));
	kfree(xa->slot);
	xa->slot = s;
	xa->size = size;
	return 0;
}

void *xa_load(struct xarray *xa, unsigned long i)
{
	return i < xa->size ? xa->slot[i] : NULL;
}

void *xa_store(struct xarray *xa, unsigned long i, void *p, gfp_t gfp)
{
	void *old;

	(void)gfp;
	if (xa_grow(xa, i))
		return ERR_PTR(-ENOMEM);
	old = xa->slot[i];
	xa->slot[i] = p;
	return old;
}

void *xa_erase(struct xarray *xa, unsigned long i)
{
	return xa_store(xa, i, NULL, 0);
}

void *xa_cmpxchg(struct xarray *xa, unsigned long i, void *old, void *p,
		 gfp_t gfp)
{
	void *cur = xa_load(xa, i);

	if (cur == old)
		xa_store(xa, i, p, gfp);
	return cur;
}

int xa_insert(struct xarray *xa, unsigned long i, void *p, gfp_t gfp)
{
	if (xa_load(xa, i))
		return -EBUSY;
	return IS_ERR(xa_store(xa, i, p, gfp)) ? -ENOMEM : 0;
}

int xa_alloc(struct xarray *xa, u32 *id, void *p, struct xa_limit lim,
	     gfp_t gfp)
{
	u32 i = lim.min;

	if ((xa->flags & XA_FLAGS_ALLOC1) == XA_FLAGS_ALLOC1 && i == 0)
		i = 1;
	for (; i <= lim.max; i++) {
		if (!xa_load(xa, i)) {
			if (IS_ERR(xa_store(xa, i, p, gfp)))
				return -ENOMEM;
			*id = i;
			return 0;
		}
		if (i == lim.max)
			break;
	}
	return -EBUSY;
}

bool kapi_xa_empty(struct xarray *xa)
{
	unsigned long i;

	for (i = 0; i < xa->size; i++)
		if (xa->slot[i])
			return false;
	return true;
}

unsigned kapi_log_count(const char *log, const char *needle)
{
	const char *p = log;
	unsigned n = 0;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const char *hit = strstr(p, needle);

		if (hit && hit < p + len)
			n++;
		p += len + (e ? 1 : 0);
	}
	return n;
}
