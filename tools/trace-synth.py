#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write a synthetic native trace (docs/trace-format.md) for replay benchmarks.

A Linux-like session: SMMU CMDQ bring-up, then BATCHES strict-mode unmaps,
each PER_BATCH TLBI_NH_VA (one page each, ASID 1) + CMD_SYNC, published by one
PROD write and waited for with a CONS poll.  The queue wraps (2^LOG2 entries),
so it also exercises wrap handling.  Deterministic: same arguments, same file.

usage: trace-synth.py OUT[.gz] [--batches N] [--per-batch K] [--log2 L]
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
    a = ap.parse_args()
    if a.per_batch + 1 >= (1 << a.log2):
        sys.exit("trace-synth.py: error: a batch must fit the queue")
    f = gzip.open(a.out, "wt", compresslevel=6) if a.out.endswith(".gz") else open(a.out, "w")
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


if __name__ == "__main__":
    main()
