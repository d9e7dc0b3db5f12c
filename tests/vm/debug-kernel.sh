#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/debug-kernel.sh - the VM tier on a debug kernel (not in CI).
#
# Builds a small x86_64 kernel from Debian's linux-source-6.1 with the
# kernel's own checkers switched on (lockdep with PROVE_LOCKING,
# DEBUG_ATOMIC_SLEEP, generic KASAN, kmemleak, DEBUG_LIST, DEBUG_OBJECTS),
# then runs tests/vm/run.sh on it: the same guest script, the same
# serial-log rule (plus KASAN: and "sleeping function called from invalid
# context"), and a kmemleak scan at the guest's end in which any leak
# whose backtrace points into ap_sim or vfio_ap fails.
#
# The tree, its .config, bzImage and the installed modules are cached
# (they are only rebuilt when this script's config changes); the modules
# ap_sim.ko and vfio_ap.ko are built against it on every run, with -g so
# that a report's module frames can be resolved to file:line
# (scripts/faddr2line in the cached tree).  docs/kernel.md §2.5.
#
# Run from the build directory (make vm-debug-check does).  Environment:
#   APVIRT_KDEBUG_CACHE  cache directory (default ~/.cache/apvirt/x86-debug-6.1)
#   APVIRT_VM_TIMEOUT, APVIRT_VM_STRESS, APVIRT_VM_ONLY  as for run.sh
#                        (defaults here: 5400 s, 30 s)
#   -p                   build the kernel only, no VM run
set -u
here=$(cd "$(dirname "$0")" && pwd)
cache=${APVIRT_KDEBUG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/apvirt/x86-debug-6.1}
tarball=/usr/src/linux-source-6.1.tar.xz
tree=$cache/linux-source-6.1
mods=$cache/modules
kmake=(nice -n 10 make -C "$tree" -j"$(nproc)")
build_only=false
[ "${1:-}" = -p ] && build_only=true

die() { echo "Bail out! $*"; exit 1; }

# What the VM needs on top of x86_64_defconfig + kvm_guest.config, the
# checkers, and what is switched off to keep the build small.  Hidden
# behind a hash: a change here rebuilds the kernel.
fragment() {
	cat <<'EOF'
CONFIG_MODULES=y
CONFIG_MODULE_UNLOAD=y
CONFIG_BLK_DEV_INITRD=y
CONFIG_RD_GZIP=y
CONFIG_DEVTMPFS=y
CONFIG_TMPFS=y
CONFIG_DEBUG_FS=y
CONFIG_VIRTIO_PCI=y
CONFIG_NET_9P=y
CONFIG_NET_9P_VIRTIO=y
CONFIG_9P_FS=y
CONFIG_FUSE_FS=y
CONFIG_VFIO=y
CONFIG_VFIO_MDEV=y
CONFIG_IOMMU_SUPPORT=y
CONFIG_DEBUG_KERNEL=y
CONFIG_PROVE_LOCKING=y
CONFIG_DEBUG_ATOMIC_SLEEP=y
CONFIG_KASAN=y
CONFIG_KASAN_GENERIC=y
CONFIG_KASAN_INLINE=y
CONFIG_DEBUG_KMEMLEAK=y
CONFIG_DEBUG_KMEMLEAK_MEM_POOL_SIZE=40000
# CONFIG_DEBUG_KMEMLEAK_DEFAULT_OFF is not set
# CONFIG_DEBUG_KMEMLEAK_AUTO_SCAN is not set
CONFIG_DEBUG_LIST=y
CONFIG_DEBUG_OBJECTS=y
CONFIG_DEBUG_OBJECTS_FREE=y
CONFIG_DEBUG_OBJECTS_TIMERS=y
CONFIG_DEBUG_OBJECTS_WORK=y
CONFIG_DEBUG_OBJECTS_RCU_HEAD=y
CONFIG_DEBUG_OBJECTS_ENABLE_DEFAULT=1
CONFIG_FRAME_WARN=0
# CONFIG_DEBUG_INFO is not set
CONFIG_DEBUG_INFO_NONE=y
# CONFIG_DRM is not set
# CONFIG_SOUND is not set
# CONFIG_USB_SUPPORT is not set
# CONFIG_WLAN is not set
# CONFIG_WIRELESS is not set
# CONFIG_CFG80211 is not set
# CONFIG_ETHERNET is not set
# CONFIG_AGP is not set
# CONFIG_HID is not set
# CONFIG_INPUT_JOYSTICK is not set
# CONFIG_INPUT_TABLET is not set
# CONFIG_INPUT_TOUCHSCREEN is not set
# CONFIG_NETFILTER is not set
# CONFIG_IPV6 is not set
# CONFIG_ATA is not set
# CONFIG_SCSI is not set
# CONFIG_MD is not set
# CONFIG_EXT4_FS is not set
# CONFIG_KVM is not set
# CONFIG_FB is not set
# CONFIG_LOGO is not set
# CONFIG_SECURITY_SELINUX is not set
# CONFIG_AUDIT is not set
# CONFIG_WIRELESS is not set
# CONFIG_RFKILL is not set
# CONFIG_NETLABEL is not set
EOF
}

check_tools() {
	local t missing=
	for t in gcc make bc bison flex perl xz cpio qemu-system-x86_64; do
		command -v "$t" >/dev/null || missing="$missing $t"
	done
	[ -f "$tarball" ] || missing="$missing $tarball"
	[ -f /usr/include/openssl/ssl.h ] || missing="$missing libssl-dev"
	[ -f /usr/include/libelf.h ] || missing="$missing libelf-dev"
	[ -z "$missing" ] || die "missing:$missing (run scripts/install-deps.sh)"
}

# x86_64_defconfig + kvm_guest.config + fragment, then olddefconfig; every
# line of the fragment must survive, or the config is not what it says.
configure() {
	local line sym
	"${kmake[@]}" -s x86_64_defconfig kvm_guest.config >/dev/null || return 1
	fragment > "$cache/fragment.config"
	(cd "$tree" && scripts/kconfig/merge_config.sh -m .config "$cache/fragment.config") \
		>"$cache/merge.log" 2>&1 || return 1
	"${kmake[@]}" -s olddefconfig >/dev/null || return 1
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) sym=${line%%=*}
			grep -qx "$line" "$tree/.config" ||
				{ echo "# config: $line did not stick ($(grep "^$sym=" "$tree/.config"))"; return 1; } ;;
		esac
	done < "$cache/fragment.config"
}

# Unpack, configure, bzImage + modules, modules_install: once per fragment.
build_kernel() {
	local sum t0
	sum=$(fragment | sha256sum | cut -c1-16)
	[ -f "$tree/.apvirt-built-$sum" ] && [ -f "$tree/arch/x86/boot/bzImage" ] && return 0
	if [ ! -f "$tree/Makefile" ]; then
		echo "# unpacking $tarball into $cache"
		rm -rf "$tree" && mkdir -p "$cache" && tar -xf "$tarball" -C "$cache" || return 1
	fi
	rm -f "$tree"/.apvirt-built-*
	configure || return 1
	echo "# building bzImage + modules in $tree (nice -n 10, -j$(nproc))"
	t0=$(date +%s)
	"${kmake[@]}" -s bzImage modules >"$cache/build.log" 2>&1 ||
		{ tail -30 "$cache/build.log" | sed 's/^/# /'; return 1; }
	echo "# kernel build took $(( $(date +%s) - t0 )) s"
	rm -rf "$mods"
	"${kmake[@]}" -s INSTALL_MOD_PATH="$mods" modules_install >/dev/null || return 1
	touch "$tree/.apvirt-built-$sum"
}

check_tools
build_kernel || die "could not build the debug kernel in $tree (log: $cache/build.log)"
$build_only && exit 0

kv=$(cat "$tree/include/config/kernel.release") || die "no kernel.release in $tree"
export APVIRT_VM_KERNEL="$tree/arch/x86/boot/bzImage"
export APVIRT_VM_MODDIR="$mods/lib/modules/$kv"
export APVIRT_VM_KDIR="$tree"
export APVIRT_VM_MEM=${APVIRT_VM_MEM:-4096}
export APVIRT_VM_TIMEOUT=${APVIRT_VM_TIMEOUT:-5400}
# kmemleak: a leak report in the guest fails only if it points at our modules.
export APVIRT_VM_KMEMLEAK=1
# KASAN under TCG: a writer's last round can outlast 120 s without hanging
export APVIRT_VM_STRESS_GRACE=${APVIRT_VM_STRESS_GRACE:-900}
# -g only for ap_sim.ko and vfio_ap.ko: file:line for their frames.
export KCFLAGS=-g
exec bash "$here/run.sh"
