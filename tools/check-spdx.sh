#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Every source file the project ships must carry an SPDX license header in its
# first three lines. Prints offenders and exits 1 if any.
set -eu
cd "${1:-$(dirname "$0")/..}"
bad=0
for f in $(git ls-files '*.c' '*.h' '*.cpp' '*.hpp' '*.def' '*.sh' '*.scn' 'CMakeLists.txt' \
        '*/CMakeLists.txt' 'Makefile' '.ci/run' '*.cmake' '*.in' '*.gp' '*.py' '*.j2' '*.css' 2>/dev/null); do
        [ -f "$f" ] || continue
        if ! head -n 3 "$f" | grep -q 'SPDX-License-Identifier: BSD-3-Clause'; then
                echo "missing SPDX header: $f"
                bad=1
        fi
done
if [ "$bad" -eq 0 ]; then echo "spdx: every source file has an SPDX header"; fi
exit "$bad"
