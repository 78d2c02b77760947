#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write a synthetic native trace (docs/trace-format.md) for replay benchmarks.

A Linux-like session: SMMU CMDQ bring-up, then BATCHES strict-mode unmaps,
each PER_BATCH TLBI_NH_VA (one page each, ASID 1) + CMD_SYNC, published by one
PROD write and waited for with a CONS poll.  The queue wraps (2^LOG2 entries),
so it also exercises wrap handling.  Deterministic: same arguments, same file.

With --qemu it writes the same session as a QEMU 7.2 `-trace 'smmu*'` log
instead (the line formats of shared/traces/qemu-7.2/README.md: consume lines
per command, consume_out, then the PROD write line QEMU prints after the
drain, then the CONS read), with --vcpus QEMU vCPU threads taking turns, for
`cmdqv-sim import-qemu`: the import and its replay must give exactly BATCHES
batches, BATCHES x PER_BATCH CMD_TLBI_NH_VA and BATCHES CMD_SYNC.

usage: trace-synth.py OUT[.gz] [--batches N] [--per-batch K] [--log2 L]
                      [--qemu [--vcpus V]]
"""
import argparse
import gzip
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--batches", type=int, default=100000)
    ap.add_argument("--per-batch", type=int, default=3)
    ap.add_argument("--log2", type=int, default=10)
    ap.add_argument("--qemu", action="store_true", help="write a QEMU 7.2 smmu trace log")
    ap.add_argument("--vcpus", type=int, default=2, help="QEMU vCPU threads (--qemu)")
    a = ap.parse_args()
    if a.per_batch + 1 >= (1 << a.log2):
        sys.exit("trace-synth.py: error: a batch must fit the queue")
    if a.vcpus < 1:
        sys.exit("trace-synth.py: error: --vcpus must be at least 1")
    f = gzip.open(a.out, "wt", compresslevel=6) if a.out.endswith(".gz") else open(a.out, "w")
    if a.qemu:
        qemu_log(f, a)
        f.close()
        return
    mask = (2 << a.log2) - 1
    base = 0x80000000
    t = 0
    w = f.write
    w("cmdqv-trace 1\n# synthetic: trace-synth.py --batches %d --per-batch %d --log2 %d\n"
      % (a.batches, a.per_batch, a.log2))
    w("platform ats=0\n")
    w("0 marker phase 0 setup\n")
    w("%d cpu0 wr smmu 0x90 8 0x%x\n" % (t, (1 << 62) | base | a.log2))
    w("%d cpu0 wr smmu 0x98 4 0x0\n%d cpu0 wr smmu 0x9c 4 0x0\n" % (t, t))
    w("%d cpu0 wr smmu 0x20 4 0x8\n%d cpu0 poll smmu 0x24 4 0x8 0x8\n" % (t, t))
    w("%d marker phase 1 unmap\n" % t)
    prod = 0
    iova = 0xFFFFF000
    for b in range(a.batches):
        t += 1000000  # 1 us between unmaps in the recording (ignored by --pace asap)
        for _ in range(a.per_batch):
            # TLBI_NH_VA ASID 1, TG=4K, TTL=3, Leaf, NUM=SCALE=0: one page
            w("%d cpu0 cmd smmu 0x%x 0x0001000000000012 0x%016x\n" % (t, prod, iova | 0x701))
            iova = (iova - 0x1000) & 0xFFFFF000 or 0xFFFFF000
            prod = (prod + 1) & mask
        w("%d cpu0 cmd smmu 0x%x 0x0000000000000046 0x0000000000000000\n" % (t, prod))
        prod = (prod + 1) & mask
        w("%d cpu0 wr smmu 0x98 4 0x%x\n" % (t, prod))
        w("%d cpu0 poll smmu 0x9c 4 0x%x 0x%x\n" % (t, mask, prod))
    f.close()


def qemu_log(f, a):
    """The session as QEMU 7.2 prints it (TID@SEC.USEC:event args)."""
    n = 1 << a.log2
    clock = [1795247646000000]

    def line(tid, text):
        clock[0] += 3  # 3 us between lines
        f.write("%d@%d.%06d:%s\n" % (tid, clock[0] // 1000000, clock[0] % 1000000, text))

    def mmio(tid, wr, off, val, size=4):
        line(tid, "smmuv3_%s_mmio addr: 0x%x val:0x%x size: 0x%x(0)"
             % ("write" if wr else "read", off, val, size))

    tids = [15203 + i for i in range(a.vcpus)]
    t = tids[0]
    mmio(t, False, 0x0, 0xd40101a)  # IDR0 as QEMU 7.2 reports it
    mmio(t, False, 0x4, 0x2730010)  # IDR1
    mmio(t, True, 0x20, 0x0)
    mmio(t, False, 0x24, 0x0)
    mmio(t, True, 0x90, (1 << 62) | 0x7AD00000 | a.log2, 8)
    mmio(t, True, 0x98, 0x0)
    mmio(t, True, 0x9c, 0x0)
    line(t, "smmuv3_cmdq_consume_out prod:0, cons:0, prod_wrap:0, cons_wrap:0 ")
    mmio(t, True, 0x20, 0x8)
    mmio(t, False, 0x24, 0x8)
    pos = 0  # {wrap, index}
    iova = 0xFFFFF000
    for b in range(a.batches):
        t = tids[b % len(tids)]
        end = (pos + a.per_batch + 1) % (2 * n)
        for i in range(a.per_batch + 1):
            c = (pos + i) % (2 * n)
            line(t, "smmuv3_cmdq_consume prod=%d cons=%d prod.wrap=%d cons.wrap=%d"
                 % (end % n, c % n, end // n, c // n))
            if i < a.per_batch:
                line(t, "smmuv3_cmdq_opcode <--- SMMU_CMD_TLBI_NH_VA")
                line(t, "smmuv3_s1_range_inval vmid=0 asid=1 addr=0x%x tg=1 num_pages=0x1 "
                     "ttl=3 leaf=1" % iova)
                iova = (iova - 0x1000) & 0xFFFFF000 or 0xFFFFF000
            else:
                line(t, "smmuv3_cmdq_opcode <--- SMMU_CMD_SYNC")
        line(t, "smmuv3_cmdq_consume_out prod:%d, cons:%d, prod_wrap:%d, cons_wrap:%d "
             % (end % n, end % n, end // n, end // n))
        mmio(t, True, 0x98, end)
        mmio(t, False, 0x9c, end)
        pos = end


if __name__ == "__main__":
    main()
