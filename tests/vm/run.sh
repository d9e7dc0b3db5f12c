#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/run.sh - the VM tier: apvirt's kernel modules in a real Linux.
#
# Boots Debian's own x86 kernel under QEMU TCG with a busybox initramfs
# that mounts this machine's root read-only over 9p and chroots into it
# (so the programs built here run inside), loads vfio, vfio_iommu_type1,
# mdev, kernel/ap_sim and, when it exists, kernel/vfio_ap, and runs
# tests/vm/guest.sh there: the conformance suite against the guest's real
# /sys, the VFIO ioctls from userspace (tests/vm/vfio-client.c, built
# here), a concurrent stress, and module unload/reload.
#
# Output is TAP on stdout: the guest's results relayed, then the serial
# log checks.  Pass/fail comes from the guest's markers and from the
# absence of BUG:, Oops, WARNING:, Call Trace and "possible circular
# locking" in the serial log, never from QEMU's exit code.  On failure the
# log is kept and its path printed.
#
# Run from the build directory (make vm-check does).  Environment:
#   APVIRT_VM_CACHE    the kernel image cache (default /var/tmp/apvirt-vm-cache)
#   APVIRT_VM_TIMEOUT  seconds before the guest is stopped (default 1500)
#   APVIRT_VM_STRESS   stress seconds (default 30)
#   APVIRT_VM_STRESS_GRACE  seconds a stress writer may run past the end
#                      before it counts as hung (default 120)
#   APVIRT_VM_ONLY     conformance patterns to run (default: all that apply)
#   APVIRT_VM_VFIO_AP  the vfio_ap module's sources (default kernel/vfio_ap)
#   APVIRT_VM_KERNEL   another kernel image to boot (tests/vm/debug-kernel.sh);
#                      then also APVIRT_VM_MODDIR (its /lib/modules/RELEASE)
#                      and APVIRT_VM_KDIR (its build tree, for the modules)
#   APVIRT_VM_MEM      guest memory in MB (default 1536)
#   APVIRT_VM_KMEMLEAK 1: the guest ends with kmemleak scans (needs kmemleak)
#   srcdir             the source tree (default: this script's ../..)
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${srcdir:-$(cd "$here/../.." && pwd)}
srcdir=$(cd "$srcdir" && pwd)
builddir=$(pwd)
CACHE=${APVIRT_VM_CACHE:-/var/tmp/apvirt-vm-cache}
TIMEOUT=${APVIRT_VM_TIMEOUT:-1500}
STRESS=${APVIRT_VM_STRESS:-30}
STRESS_GRACE=${APVIRT_VM_STRESS_GRACE:-120}
n=0
failed=0

tap() {	# tap ok|not-ok description
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=1
	fi
}

bail() {
	echo "not ok $((n + 1)) - vm: $*"
	echo "1..$((n + 1))"
	[ -n "${WORK:-}" ] && echo "# kept: $WORK"
	exit 1
}

for tool in qemu-system-x86_64 cpio gzip apt-get dpkg-deb modinfo flock; do
	command -v "$tool" >/dev/null 2>&1 || bail "$tool is missing (scripts/install-deps.sh)"
done
[ -x /bin/busybox ] || bail "/bin/busybox is missing (busybox-static)"
for bin in sim/apsim tests/conformance/conformance; do
	[ -x "$builddir/$bin" ] || bail "$builddir/$bin is not built (run from the build directory)"
done

# ---- the kernel: headers installed, image extracted (never installed) ----
if [ -n "${APVIRT_VM_KERNEL:-}" ]; then
	VMLINUZ=$APVIRT_VM_KERNEL
	MODDIR=${APVIRT_VM_MODDIR:?APVIRT_VM_MODDIR must come with APVIRT_VM_KERNEL}
	KDIR=${APVIRT_VM_KDIR:?APVIRT_VM_KDIR must come with APVIRT_VM_KERNEL}
	KV=$(basename "$MODDIR")
	[ -f "$VMLINUZ" ] && [ -d "$MODDIR" ] && [ -f "$KDIR/Module.symvers" ] ||
		bail "APVIRT_VM_KERNEL/MODDIR/KDIR: $VMLINUZ, $MODDIR or $KDIR/Module.symvers is missing"
	tap ok "vm: kernel $KV image $VMLINUZ"
else
KV=$(ls /lib/modules 2>/dev/null | grep -- '-amd64$' | sort -V | tail -1)
[ -n "$KV" ] && [ -d "/lib/modules/$KV/build" ] ||
	bail "no /lib/modules/*-amd64/build: install linux-headers-amd64"
KDIR=/lib/modules/$KV/build
mkdir -p "$CACHE" || bail "cannot create $CACHE"
IMG=$CACHE/$KV
(
	flock -w 600 9 || exit 1
	if [ ! -f "$IMG/.done" ]; then
		rm -rf "$IMG" && mkdir -p "$IMG/deb" || exit 1
		ver=$(dpkg-query -W -f='${Version}' "linux-headers-$KV" 2>/dev/null)
		cd "$IMG/deb" || exit 1
		apt-get download "linux-image-$KV${ver:+=$ver}" >/dev/null 2>&1 ||
			apt-get download "linux-image-$KV" >/dev/null 2>&1 ||
			{ apt-get -o DPkg::Lock::Timeout=900 update >/dev/null 2>&1 &&
			  apt-get download "linux-image-$KV"; } || exit 1
		dpkg-deb -x ./linux-image-"$KV"_*.deb "$IMG/root" || exit 1
		rm -rf "$IMG/deb"
		touch "$IMG/.done"
	fi
) 9>"$CACHE/.lock" || bail "cannot get linux-image-$KV (apt-get download + dpkg-deb -x)"
VMLINUZ=$IMG/root/boot/vmlinuz-$KV
MODDIR=$IMG/root/lib/modules/$KV
[ -f "$VMLINUZ" ] || bail "$VMLINUZ is missing"
tap ok "vm: kernel $KV image in $IMG"
fi

# not under /tmp: the guest mounts its own tmpfs there
WORK=$(mktemp -d /var/tmp/apvirt-vm.XXXXXX) || bail "mktemp"
chmod 755 "$WORK"
LOG=$WORK/serial.log

# ---- modules: built from a copy, so the source tree stays clean ----------
mkdir -p "$WORK/kbuild"
cp -r "$srcdir/kernel/common" "$srcdir/kernel/core" "$srcdir/kernel/ap_model" \
	"$srcdir/kernel/ap_sim" "$WORK/kbuild/" || bail "copying kernel/"
VFIO_AP_SRC=${APVIRT_VM_VFIO_AP:-$srcdir/kernel/vfio_ap}
[ -f "$VFIO_AP_SRC/Kbuild" ] && cp -r "$VFIO_AP_SRC" "$WORK/kbuild/vfio_ap"
if make -C "$KDIR" M="$WORK/kbuild/ap_sim" W=1 modules > "$WORK/build-ap_sim.log" 2>&1; then
	if grep -q 'warning:' "$WORK/build-ap_sim.log"; then
		grep 'warning:' "$WORK/build-ap_sim.log" | sed 's/^/# /'
		tap not-ok "vm: ap_sim.ko builds W=1 without warnings"
	else
		tap ok "vm: ap_sim.ko builds W=1 without warnings"
	fi
else
	sed 's/^/# /' "$WORK/build-ap_sim.log" | tail -30
	bail "ap_sim.ko does not build (log: $WORK/build-ap_sim.log)"
fi
# The kernel release both modules behave like (docs/kernel-abi.md §0.3):
# vfio_ap's engine profile (its modinfo apvirt_profile), which ap_sim's
# bus model and the conformance suite's expectations then follow.
VFIO_AP_KO=
PROFILE=
if [ -d "$WORK/kbuild/vfio_ap" ]; then
	if make -C "$KDIR" M="$WORK/kbuild/vfio_ap" W=1 \
		KBUILD_EXTRA_SYMBOLS="$WORK/kbuild/ap_sim/Module.symvers" modules \
		> "$WORK/build-vfio_ap.log" 2>&1; then
		VFIO_AP_KO=$(ls "$WORK"/kbuild/vfio_ap/*.ko 2>/dev/null | head -1)
		tap ok "vm: kernel/vfio_ap builds against ap_sim"
		PROFILE=$(modinfo -F apvirt_profile "$VFIO_AP_KO" 2>/dev/null)
	else
		sed 's/^/# /' "$WORK/build-vfio_ap.log" | tail -30
		tap not-ok "vm: kernel/vfio_ap builds against ap_sim (log: $WORK/build-vfio_ap.log)"
	fi
else
	echo "# kernel/vfio_ap is not in this tree: ap_sim alone, vfio_ap tests left out"
fi

# The VFIO client (tests/vm/vfio-client.c), built here, run in the guest.
VFIO_CLIENT=
if [ -n "$VFIO_AP_KO" ]; then
	if ${CC:-cc} -std=c11 -Wall -Wextra -Werror -O2 -o "$WORK/vfio-client" \
		"$srcdir/tests/vm/vfio-client.c" > "$WORK/build-vfio-client.log" 2>&1; then
		VFIO_CLIENT=$WORK/vfio-client
		tap ok "vm: tests/vm/vfio-client.c builds"
	else
		sed 's/^/# /' "$WORK/build-vfio-client.log" | tail -30
		tap not-ok "vm: tests/vm/vfio-client.c builds"
	fi
fi

# The modules of Debian's kernel in load order, dependencies first.
moddeps() {	# name...
	local m dep f
	for m in "$@"; do
		case " $LOADED " in *" $m "*) continue ;; esac
		f=$(find "$MODDIR/kernel" -name "$m.ko" -print -quit)
		if [ -z "$f" ]; then	# built in
			LOADED="$LOADED $m"
			continue
		fi
		for dep in $(modinfo -F depends "$f" | tr ',' ' '); do
			moddeps "$dep"
		done
		LOADED="$LOADED $m"
		ORDER="$ORDER $f"
	done
}
LOADED= ORDER=
moddeps virtio_pci 9pnet_virtio 9p
NINEP_KOS=$ORDER
ORDER=
moddeps vfio vfio_iommu_type1 mdev
VFIO_KOS=$ORDER

# ---- initramfs: busybox, the 9p modules, /init ---------------------------
INITRD=$WORK/initrd
mkdir -p "$INITRD"/{bin,dev,proc,sys,host,lib/modules}
cp /bin/busybox "$INITRD/bin/busybox"
for ko in $NINEP_KOS; do cp "$ko" "$INITRD/lib/modules/"; done
{
	echo '#!/bin/busybox sh'
	echo '/bin/busybox --install -s /bin'
	echo 'mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs dev /dev'
	for ko in $NINEP_KOS; do echo "insmod /lib/modules/$(basename "$ko")"; done
	echo 'if ! mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=none hostroot /host; then'
	echo '	echo "APVIRT-VM: 9p mount failed"; poweroff -f; fi'
	echo 'mount -t proc proc /host/proc; mount -t sysfs sysfs /host/sys'
	echo 'mount -t devtmpfs dev /host/dev; mount -t tmpfs tmp /host/tmp'
	echo 'mount -t debugfs debugfs /host/sys/kernel/debug'
	echo 'mount -t tmpfs run /host/run'
	echo 'ln -sf /proc/self/fd /host/dev/fd'
	printf 'chroot /host /bin/bash %q %q\n' "$srcdir/tests/vm/guest.sh" "$WORK/guest.env"
	echo 'echo "APVIRT-VM: guest.sh exited $?"'
	echo 'poweroff -f'
} > "$INITRD/init"
chmod 755 "$INITRD/init"
(cd "$INITRD" && find . | cpio -o -H newc --quiet | gzip -1) > "$WORK/initrd.cpio.gz" ||
	bail "packing the initramfs"

cat > "$WORK/guest.env" <<ENV
BUILDDIR=$(printf %q "$builddir")
SRCDIR=$(printf %q "$srcdir")
VFIO_KOS="$VFIO_KOS"
AP_SIM_KO=$(printf %q "$WORK/kbuild/ap_sim/ap_sim.ko")
VFIO_AP_KO=$(printf %q "$VFIO_AP_KO")
VFIO_CLIENT=$(printf %q "$VFIO_CLIENT")
PROFILE=${PROFILE:-7.0}
STRESS=$STRESS
STRESS_GRACE=$STRESS_GRACE
ONLY="${APVIRT_VM_ONLY:-}"
KMEMLEAK=${APVIRT_VM_KMEMLEAK:-0}
ENV

# ---- boot ----------------------------------------------------------------
echo "# booting $KV under TCG (serial log: $LOG)"
timeout -k 10 "$TIMEOUT" qemu-system-x86_64 -accel tcg -nographic -no-reboot \
	-m "${APVIRT_VM_MEM:-1536}" -smp 2 \
	-net none -kernel "$VMLINUZ" -initrd "$WORK/initrd.cpio.gz" \
	-append 'console=ttyS0 panic=-1 oops=panic loglevel=5 printk.time=0' \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	< /dev/null > "$LOG" 2>&1
qrc=$?
[ "$qrc" -eq 124 ] && echo "# QEMU stopped after ${TIMEOUT}s"

# ---- results -------------------------------------------------------------
tr -d '\r' < "$LOG" > "$LOG.txt"
while IFS= read -r line; do
	case $line in
	"VMTAP ok "*) tap ok "vm: ${line#VMTAP ok }" ;;
	"VMTAP not ok "*) tap not-ok "vm: ${line#VMTAP not ok }" ;;
	"VMTAP # "*) echo "${line#VMTAP }" ;;
	esac
done < <(grep -a '^VMTAP ' "$LOG.txt")
if grep -aq '^APVIRT-VM-DONE$' "$LOG.txt"; then
	tap ok "vm: the guest ran to its end marker"
else
	tap not-ok "vm: the guest ran to its end marker (missing APVIRT-VM-DONE)"
fi
# vfio_ap's reset WARN for a response code outside the ABI is upstream's
# own WARN() (docs/kernel-abi.md §4.9): the suite provokes it on purpose
# (reset_invalid_rc_log), and a queue whose adapter left the machine's
# configuration answers ZAPQ with 01 until the next scan removes it.
# Those splats, and only those, are expected; they are counted and each
# one's message is shown.  Anything else fails the run.
awk -v out="$WORK/expected-warns" '
	/-+\[ cut here \]-+/ { pending = $0; next }
	pending != "" {
		if ($0 ~ /^PQAP\/ZAPQ for [0-9a-f][0-9a-f]\.[0-9a-f][0-9a-f][0-9a-f][0-9a-f] failed with invalid rc=[0-9]+$/) {
			print $0 > out; skip = 1
		} else {
			print pending
		}
		pending = ""
	}
	skip { if ($0 ~ /^---\[ end trace/) skip = 0; next }
	{ print }
' "$LOG.txt" > "$LOG.checked"
if [ -s "$WORK/expected-warns" ]; then
	echo "# $(wc -l < "$WORK/expected-warns") expected reset WARN(s) of vfio_ap (invalid ZAPQ rc):"
	sort "$WORK/expected-warns" | uniq -c | sed 's/^/#   /'
fi
# KASAN and DEBUG_ATOMIC_SLEEP only report on a debug kernel.
bad=$(grep -aE 'BUG:|Oops|WARNING:|Call Trace|possible circular locking|KASAN:|sleeping function called from invalid context' \
	"$LOG.checked" | head -5)
if [ -z "$bad" ]; then
	tap ok "vm: serial log has no BUG/Oops/WARNING/Call Trace/lockdep/KASAN report"
else
	echo "$bad" | sed 's/^/# /'
	tap not-ok "vm: serial log has no BUG/Oops/WARNING/Call Trace/lockdep/KASAN report"
fi
echo "1..$n"
if [ "$failed" -ne 0 ]; then
	echo "# kept: $WORK (serial log $LOG)"
	exit 1
fi
rm -rf "$WORK"
exit 0
