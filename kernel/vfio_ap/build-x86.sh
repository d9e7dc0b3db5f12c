#!/bin/bash
# kernel/vfio_ap/build-x86.sh - build vfio_ap.ko for x86 against Debian's
# linux-headers-amd64 and kernel/ap_sim (the simulated AP bus and KVM).
#
# ap_sim.ko is built first (its Module.symvers resolves the AP bus and
# guest symbols), then vfio_ap with W=1 and C=1 (sparse), in a copy of
# kernel/ so the worktree stays clean.  Prints TAP; exit 0 only if all
# passed.  docs/kernel.md describes it.
#   -o DIR   also copy ap_sim.ko and vfio_ap.ko to DIR (tests/vm loads them)
#   -k KV    kernel release (default: the newest -amd64 in /lib/modules)
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=
kv=$(ls /lib/modules 2>/dev/null | grep -- '-amd64$' | sort -V | tail -1)
while getopts o:k: opt; do
	case $opt in
	o) out=$OPTARG ;;
	k) kv=$OPTARG ;;
	*) echo "usage: $0 [-o DIR] [-k KV]" >&2; exit 2 ;;
	esac
done
kdir=/lib/modules/$kv/build
[ -n "$kv" ] && [ -d "$kdir" ] || { echo "Bail out! no kernel headers for '$kv' (linux-headers-amd64: run scripts/install-deps.sh)"; exit 1; }
command -v sparse >/dev/null || { echo "Bail out! sparse missing (run scripts/install-deps.sh)"; exit 1; }
[ -f "$top/kernel/ap_sim/Kbuild" ] || { echo "Bail out! kernel/ap_sim is not in this tree"; exit 1; }

build=$(mktemp -d /tmp/apvirt-x86.XXXXXX)
trap 'rm -rf "$build"' EXIT
mkdir -p "$build/kernel"
(cd "$top/kernel" && find common core ap_model ap_sim vfio_ap -name '*.[ch]' -o -name Kbuild |
	cpio -pdm --quiet "$build/kernel") || exit 1
n=0
status=0
fail() { echo "not ok $n - $*"; status=1; }

n=$((n + 1))
make -C "$kdir" M="$build/kernel/ap_sim" -j"$(nproc)" modules >"$build/ap_sim.log" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ -f "$build/kernel/ap_sim/Module.symvers" ]; then
	echo "ok $n - ap_sim.ko built against $kv"
else
	sed 's/^/# /' "$build/ap_sim.log"
	fail "ap_sim.ko: exit $rc"
fi

log=$build/vfio_ap.log
make -C "$kdir" M="$build/kernel/vfio_ap" W=1 C=1 -j"$(nproc)" \
	KBUILD_EXTRA_SYMBOLS="$build/kernel/ap_sim/Module.symvers" modules >"$log" 2>&1
rc=$?
sed 's/^/# /' "$log"
ko=$build/kernel/vfio_ap/vfio_ap.ko

. "$top/kernel/kbuild-checks.sh"
kbuild_log_checks x86 "$log" "$rc" "$ko"

n=$((n + 1))
deps=$(modinfo -F depends "$ko" 2>/dev/null | tr ',' '\n' | sort | paste -sd,)
prof=$(modinfo -F apvirt_profile "$ko" 2>/dev/null)
if [ "$deps" = "ap_sim,mdev,vfio" ] && [ "$prof" = fixed ]; then
	echo "ok $n - vfio_ap.ko: depends ap_sim,mdev,vfio; apvirt_profile fixed"
else
	fail "vfio_ap.ko: depends '$deps', apvirt_profile '$prof'"
fi
if [ -n "$out" ] && [ $status -eq 0 ]; then
	mkdir -p "$out" && cp "$build/kernel/ap_sim/ap_sim.ko" "$ko" "$out/" || status=1
fi
echo "1..$n"
exit $status
