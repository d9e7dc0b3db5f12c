#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-symbols.sh - libapvirt's interface (TAP): the shared library
# exports exactly the functions declared in include/apvirt/, all under
# the LIBAPVIRT_ version node, and every public header compiles on its
# own with -Wall -Werror (C11 and C++ would need no other header first).
#
# The QEMU hook does not link libvirt.
#
# Environment: LIBAPVIRT_SO (the built .so), APVIRT_HOOK_BIN, CC.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
so=${LIBAPVIRT_SO:-lib/.libs/libapvirt.so}
cc=${CC:-cc}
n=0
failed=0
check() {
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		echo "$2" | sed 's/^/# /'
		failed=$((failed + 1))
	fi
}
if [ ! -f "$so" ]; then
	echo "1..0 # SKIP $so is not built (static-only build)"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/apvirt-sym.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

grep -ho '\bapv_[a-z_]*(' "$top"/include/apvirt/*.h | tr -d '(' |
	grep -v '^apv_ids_for_each$' | sort -u > "$tmp/declared"
nm -D --defined-only "$so" | awk '$2 == "T" { print $3 }' > "$tmp/exported.raw"
sed 's/@.*//' "$tmp/exported.raw" | sort -u > "$tmp/exported"

echo "1..4"
check "every exported function is declared in include/apvirt/ and vice versa" \
	"$(diff "$tmp/declared" "$tmp/exported")"
check "every exported function carries the LIBAPVIRT_ version" \
	"$(objdump -T "$so" | awk '$4 == ".text" && $NF ~ /^apv_/ && $(NF-1) !~ /^LIBAPVIRT_/')"
errs=
for h in "$top"/include/apvirt/*.h; do
	printf '#include <apvirt/%s>\n#include <apvirt/%s>\n' "${h##*/}" "${h##*/}" > "$tmp/t.c"
	"$cc" -std=c11 -Wall -Wextra -Werror -fsyntax-only -I"$top/include" "$tmp/t.c" \
		> "$tmp/err" 2>&1 || errs="$errs${h##*/}: $(head -n 3 "$tmp/err")
"
done
check "each public header compiles alone, twice, as C11" "$errs"
# The QEMU hook runs at every guest start, apvirt or not, and never calls
# libvirt: loading libvirt.so and its ~55 libraries would be most of its
# cost (docs/architecture.md §5).  libtool may leave a wrapper script.
hook=${APVIRT_HOOK_BIN:-libvirt-hooks/apvirt-qemu-hook}
[ "$(head -c 2 "$hook" 2>/dev/null)" = "#!" ] && hook=${hook%/*}/.libs/${hook##*/}
check "the QEMU hook does not load libvirt.so" \
	"$(LD_LIBRARY_PATH=${so%/*} ldd "$hook" 2>&1 | grep -e 'libvirt\.so' -e 'not found' -e 'not a dynamic')"
[ "$failed" -eq 0 ]
