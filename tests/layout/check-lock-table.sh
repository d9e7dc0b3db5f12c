#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-lock-table.sh - docs/locking.md mirrors kernel/common/lock_ranks.h:
# every enumerator with its rank in both, in the same order (TAP).
set -u
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top" || exit 1

header=$(sed -n 's/^[[:space:]]*\(APC_RANK_[A-Z_]*\) = \([0-9]*\),.*/\2 \1/p' \
	kernel/common/lock_ranks.h)
doc=$(sed -n 's/^| \([0-9]*\) | `\(APC_RANK_[A-Z_]*\)` |.*/\1 \2/p' docs/locking.md)

echo "1..2"
if [ -n "$header" ]; then
	echo "ok 1 - lock_ranks.h has ranks"
else
	echo "not ok 1 - lock_ranks.h has ranks: none found"
fi
if [ "$header" = "$doc" ]; then
	echo "ok 2 - docs/locking.md lists the same ranks in the same order"
else
	echo "not ok 2 - docs/locking.md lists the same ranks in the same order"
	echo "# lock_ranks.h:"; echo "$header" | sed 's/^/#   /'
	echo "# docs/locking.md:"; echo "$doc" | sed 's/^/#   /'
fi
