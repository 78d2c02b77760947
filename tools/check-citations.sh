#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Citations must be to what a reader can open: the Arm SMMUv3 specification
# (IHI 0070, by section number), Linux and QEMU by file and function, public
# commits and mailing-list messages, or this repository's own docs.  This
# fails if a tracked file names the private research notes the project was
# written from, or carries a section sign (the form those citations took;
# the project writes "IHI 0070 4.7.3" and "docs/PAGE.md section N").
# Prints every offending line and exits 1 if any.
set -eu
cd "${1:-$(dirname "$0")/..}"
# the names are split so that this script does not match itself
n1="smmuv3""-cmdq"; n2="tegra241""-cmdqv"; n3="perf""-facts"
sect=$(printf '\302\247')
pat="${n1}\\.md|${n2}\\.md|${n3}\\.md|shared/""spec|${sect}|&""sect;"
if git grep -nIE "$pat" -- . ':(exclude)traces/qemu-7.2' ; then
        echo "citations: the lines above cite private notes; cite IHI 0070, Linux/QEMU files or docs/ instead"
        exit 1
fi
echo "citations: no reference to private notes"
