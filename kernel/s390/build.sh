#!/bin/bash
# kernel/s390/build.sh - compile and link check of kernel/vfio_ap for s390.
#
# What a real s390 host would build, on this x86 machine: Debian's
# linux-source-6.1 configured with ARCH=s390 defconfig (CONFIG_VFIO_AP=m,
# CONFIG_ZCRYPT=m, CONFIG_KVM=m), the vfio/mdev symbols from building
# M=drivers/vfio in that tree, the vmlinux, AP bus and kvm symbols from
# Debian's s390x headers package (fetched with a private apt state: the
# machine's dpkg state is not touched), then kernel/vfio_ap out of tree
# with W=1 and C=1 (sparse).  Installs nothing: the tools come from
# scripts/install-deps.sh.  docs/kernel.md describes it.
#
# Prints TAP; exit status 0 only if every test passed.
#   -p        prepare the cached tree and symvers only, no tests
# Environment:
#   APVIRT_KCACHE  cache directory (default ~/.cache/apvirt/s390-6.1);
#                  the unpacked tree (1.5 GB) is reused when present
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${APVIRT_KCACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/apvirt/s390-6.1}
tarball=/usr/src/linux-source-6.1.tar.xz
tree=$cache/linux-source-6.1
kmake=(make ARCH=s390 CROSS_COMPILE=s390x-linux-gnu- -j"$(nproc)")
prepare_only=false
[ "${1:-}" = -p ] && prepare_only=true

die() { echo "Bail out! $*"; exit 1; }

# Every tool, or one message naming what is missing.
check_tools() {
	local t missing=
	for t in s390x-linux-gnu-gcc sparse bc bison flex perl xz apt-get dpkg-deb; do
		command -v "$t" >/dev/null || missing="$missing $t"
	done
	[ -f "$tarball" ] || missing="$missing $tarball"
	[ -f /usr/include/openssl/ssl.h ] || missing="$missing libssl-dev"
	[ -f /usr/include/libelf.h ] || missing="$missing libelf-dev"
	[ -z "$missing" ] || die "missing:$missing (run scripts/install-deps.sh)"
}

# Unpack, defconfig, modules_prepare, M=drivers/vfio: once, then reused.
prepare_tree() {
	[ -f "$tree/.apvirt-prepared" ] && return 0
	echo "# preparing $tree (once)"
	rm -rf "$tree" && mkdir -p "$cache" || return 1
	tar -xf "$tarball" -C "$cache" || return 1
	"${kmake[@]}" -s -C "$tree" defconfig >/dev/null || return 1
	"${kmake[@]}" -s -C "$tree" modules_prepare || return 1
	"${kmake[@]}" -s -C "$tree" M=drivers/vfio modules || return 1
	touch "$tree/.apvirt-prepared"
}

# Debian's s390x headers: Module.symvers of vmlinux (AP bus) and kvm.
fetch_headers() {
	local a=$cache/apt hdr=$cache/s390hdr abi deb o
	ls "$hdr"/usr/src/linux-headers-*-s390x/Module.symvers >/dev/null 2>&1 && return 0
	echo "# fetching Debian's s390x kernel headers (private apt state)"
	rm -rf "$a" "$hdr"
	mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$hdr" && touch "$a/status"
	o=(-o Dir::State::Lists="$a/lists" -o Dir::Cache="$a/cache" -o Dir::State::status="$a/status"
	   -o APT::Architecture=s390x -o APT::Architectures::=s390x)
	apt-get -qq "${o[@]}" update || return 1
	abi=$(apt-cache "${o[@]}" depends linux-headers-s390x | sed -n 's/^ *Depends: \(linux-headers-.*-s390x\)$/\1/p' | head -1)
	[ -n "$abi" ] || { echo "# no linux-headers-*-s390x package"; return 1; }
	(cd "$a/cache/archives" && apt-get -qq "${o[@]}" download "$abi") || return 1
	for deb in "$a"/cache/archives/*.deb; do
		dpkg-deb -x "$deb" "$hdr" || return 1
	done
	ls "$hdr"/usr/src/linux-headers-*-s390x/Module.symvers >/dev/null
}

check_tools
prepare_tree || die "could not prepare $tree"
fetch_headers || die "could not fetch Debian's s390x headers"
$prepare_only && exit 0

# The module is built in a copy: an out-of-tree build writes its objects
# next to the sources, and the worktree must stay clean.
build=$(mktemp -d /tmp/apvirt-s390.XXXXXX)
trap 'rm -rf "$build"' EXIT
mkdir -p "$build/kernel"
cp -r "$top/kernel/common" "$top/kernel/core" "$top/kernel/vfio_ap" "$build/kernel/"
# vmlinux, the AP bus and kvm: Debian's symvers stands in for the tree's
# own (never built); vfio and mdev come from M=drivers/vfio.
cp "$(ls "$cache"/s390hdr/usr/src/linux-headers-*-s390x/Module.symvers)" "$tree/Module.symvers"
log=$build/build.log
# Not silent: the CHECK lines show that sparse ran on every file.
"${kmake[@]}" -C "$tree" M="$build/kernel/vfio_ap" W=1 C=1 \
	KBUILD_EXTRA_SYMBOLS="$tree/drivers/vfio/Module.symvers" modules >"$log" 2>&1
rc=$?
sed 's/^/# /' "$log"
ko=$build/kernel/vfio_ap/vfio_ap.ko
n=0
fail() { echo "not ok $n - $*"; status=1; }
status=0

. "$top/kernel/kbuild-checks.sh"
kbuild_log_checks s390 "$log" "$rc" "$ko"

n=$((n + 1))
kind=$(file -b "$ko" 2>/dev/null)
deps=$(modinfo -F depends "$ko" 2>/dev/null)
if [[ "$kind" == "ELF 64-bit MSB relocatable, IBM S/390"* ]] && [ "$deps" = "kvm,vfio,mdev" ]; then
	echo "ok $n - vfio_ap.ko: s390 ELF, depends kvm,vfio,mdev"
else
	fail "vfio_ap.ko: '$kind', depends '$deps'"
fi

n=$((n + 1))
prof=$(modinfo -F apvirt_profile "$ko" 2>/dev/null)
if [ "$prof" = fixed ]; then
	echo "ok $n - modinfo apvirt_profile: fixed"
else
	fail "modinfo apvirt_profile: '$prof'"
fi

n=$((n + 1))
"$here/checkpatch.sh" "$tree" >"$build/checkpatch.log" 2>&1
cprc=$?
sed 's/^/# /' "$build/checkpatch.log"
if [ $cprc -eq 0 ]; then
	echo "ok $n - checkpatch --strict over kernel/: clean"
else
	fail "checkpatch --strict over kernel/"
fi
echo "1..$n"
exit $status
