#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-includes.sh - the layers of docs/architecture.md, read from the
# include lines (TAP).  The build enforces the same walls with per-target
# include paths; this test names the offending line when one is broken.
#
#   kernel/common    includes only kernel/common headers
#   kernel/core      kernel/common and kernel/core (never a model header)
#   kernel/ap_model  kernel/common and kernel/ap_model (never an engine header)
#   sim/             the public headers of both, kernel/common, sim/
#   lib/, tools/     no kernel/core or kernel/ap_model header (they see the
#                    kernel only through sysfs; kernel/common is allowed)
#   everywhere       ap_bus_priv.h only inside kernel/ap_model
#
# and the repository stands alone: no file cites a directory outside it.
set -u
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top" || exit 1

common=$(cd kernel/common && ls *.h)
core=$(cd kernel/core && ls *.h)
model=$(cd kernel/ap_model && ls *.h)
model_public=$(echo "$model" | grep -v '_priv\.h$')
simh=$(cd sim && ls *.h)

n=0
failed=0

# The tracked files (a git checkout) or every file (a tarball).
files() {
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files
	else
		find . -type f ! -path './.git/*' | sed 's|^\./||'
	fi
}

# Quoted includes of the files under $1 that are not in the allowed list $2.
bad_includes() {
	for f in "$1"/*.c "$1"/*.h; do
		[ -f "$f" ] || continue
		# the s390 kernel branch may name the real driver headers (ap_hw.h)
		awk '/^#if defined\(__KERNEL__\)/ { k = 1 } /^#(else|endif)/ { k = 0 }
		     !k && /^#include "/ { print NR ":" $0 }' "$f" |
		while IFS= read -r line; do
			hdr=$(echo "$line" | sed 's/.*#include "\([^"]*\)".*/\1/')
			echo "$2" | grep -qx "$hdr" || echo "$f:$line"
		done
	done
}

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

# lib/ and tools/: quoted includes naming an engine or model header, and
# any include path into those directories.
kernel_private() {
	for f in lib/*.c lib/*.h tools/*.c tools/*.h; do
		[ -f "$f" ] || continue
		grep -n '^#include' "$f" | while IFS= read -r line; do
			hdr=$(echo "$line" | sed 's/.*#include [<"]\([^">]*\)[">].*/\1/')
			case $hdr in
			*kernel/core/*|*kernel/ap_model/*) echo "$f:$line"; continue ;;
			esac
			echo "$core
$model" | grep -qx "${hdr##*/}" && echo "$f:$line"
		done
	done
}

echo "1..7"
check "kernel/common includes only kernel/common" \
	"$(bad_includes kernel/common "$common")"
check "kernel/core includes no model header" \
	"$(bad_includes kernel/core "$common
$core")"
check "kernel/ap_model includes no engine header" \
	"$(bad_includes kernel/ap_model "$common
$model")"
check "sim/ includes only public kernel headers and its own" \
	"$(bad_includes sim "$common
$core
$model_public
$simh")"
check "lib/ and tools/ include no kernel/core or kernel/ap_model header" \
	"$(kernel_private)"
check "ap_bus_priv.h stays inside kernel/ap_model" \
	"$(files | grep -E '\.(c|h)$' | grep -v '^kernel/ap_model/' |
	   xargs grep -ln 'ap_bus_priv\.h' 2>/dev/null)"
check "no file cites a directory outside the repository" \
	"$(files | grep -E '\.(c|h|md|sh|mk|am|ac|[0-9])$|^\.ci/|^README' |
	   grep -v '^tests/layout/check-includes.sh$' |
	   xargs grep -lP '\.\./shared|(?<!docs/)kernel-abi\.md' 2>/dev/null)"
exit 0
