#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# main-job.sh - the README's "main job": vfio_ap dynamic configuration,
# step by step, on apsim's simulated s390 host.
#
# Builds nothing: run "make" first.  The apsim binary comes from $APSIM
# (default ./sim/apsim).  Every step is printed as the command a user would
# type ("$ ..."), followed by its output; "# ..." lines explain.  Exits
# non-zero as soon as a step does not behave as shown; apsim is always
# stopped and its temporary root removed (trap).

set -u
# a WARN_ON_ONCE in the engine or a model ends the job (as in make check)
APVIRT_WARN_ABORT=1
export APVIRT_WARN_ABORT

APSIM=${APSIM:-./sim/apsim}
UUID=4b0c6f3e-8d1a-4c8e-9d2f-6a7b5c4d3e21
VM=guest1

if [ ! -x "$APSIM" ]; then
	echo "main-job: $APSIM is not executable (run make, or set APSIM)" >&2
	exit 1
fi
APSIM=$(realpath "$APSIM")
ROOT=$(mktemp -d "${TMPDIR:-/tmp}/apsim-main.XXXXXX") || exit 1
SYS=$ROOT/sys
M=devices/vfio_ap/matrix/$UUID
started=0

# The transcript says "apsim ...", as a user with apsim installed would type.
apsim() {
	"$APSIM" "$@"
}

cleanup() {
	cd /
	if [ "$started" = 1 ]; then
		"$APSIM" stop --root "$ROOT" || echo "main-job: apsim stop failed" >&2
	fi
	rm -f "$ROOT/apsim.log" "$ROOT/apsim.pid"
	rmdir "$SYS" "$ROOT" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

fail() {
	printf 'main-job: FAILED: %s\n' "$*" >&2
	exit 1
}

say() {
	printf '# %s\n' "$@"
}

# run CMD: show it, run it in this shell, fail the job if it fails.
run() {
	printf '$ %s\n' "$1"
	eval "$1" || fail "$1"
}

# refused CMD TEXT: show it, expect it to fail with an error naming TEXT.
refused() {
	local out

	printf '$ %s\n' "$1"
	if out=$(bash -c "$1" 2>&1); then
		fail "expected a failure: $1"
	fi
	printf '%s\n' "$out"
	case $out in
	*"$2"*) ;;
	*) fail "expected '$2' from: $1" ;;
	esac
}

# expect CMD TEXT: like run, and the output must contain TEXT.
expect() {
	local out

	printf '$ %s\n' "$1"
	out=$(eval "$1" 2>&1) || { printf '%s\n' "$out"; fail "$1"; }
	printf '%s\n' "$out"
	case $out in
	*"$2"*) ;;
	*) fail "expected '$2' in the output of: $1" ;;
	esac
}

say "vfio_ap dynamic configuration on a simulated s390 host (apsim)." \
    "Default host: CEX8 CCA adapters 0x03-0x06, usage and control domains 0x0000-0x000f."
run "apsim start --root $ROOT"
started=1
run "cd $SYS"
run "cat bus/ap/apmask bus/ap/aqmask bus/ap/bindings"
run "ls bus/ap/drivers/vfio_ap"

say "A queue stays with the host (zcrypt's cex4queue) while its adapter is in apmask" \
    "AND its domain is in aqmask, so the masks hand queues to vfio_ap by whole" \
    "rows (adapters) or columns (domains): on this 4 x 16 host no mask edit frees" \
    "exactly two queues.  The guest will use 05.0004, then 06.0004, 05.0005 and" \
    "06.0005.  Clearing domains 4 and 5 in aqmask frees the 8 queues 03..06 x" \
    "0004..0005, the smallest set holding those four; clearing adapters 5 and 6" \
    "in apmask instead would free all 32 of their queues."
run "echo -0x0004-0x0005 > bus/ap/aqmask"
run "cat bus/ap/aqmask"
expect "ls bus/ap/drivers/vfio_ap" "06.0005"
expect "cat devices/ap/card05/05.0004/status" "unassigned"

say "Create an mdev and give it adapter 5, domain 4 and control domain 4."
run "echo $UUID > devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/create"
run "ls $M"
run "echo 0x05 > $M/assign_adapter"
run "echo 0x0004 > $M/assign_domain"
run "echo 0x0004 > $M/assign_control_domain"
expect "cat $M/matrix" "05.0004"
say "Refused: 05.0006 still belongs to the host (EADDRNOTAVAIL)."
refused "echo 0x0006 > $M/assign_domain" "Cannot assign requested address"

say "Attach a guest: QEMU opens the mdev's vfio device for KVM guest '$VM'."
run "apsim ctl --root $ROOT attach $UUID --vm $VM"
expect "cat $M/guest_matrix" "05.0004"
expect "apsim ctl --root $ROOT crycb --vm $VM" "apm 0x0400"
expect "cat devices/ap/card05/05.0004/status" "in use"

say "Hot plug adapter 0x06 and domain 0x0005 while the guest runs."
run "echo 0x06 > $M/assign_adapter"
run "echo 0x0005 > $M/assign_domain"
expect "cat $M/guest_matrix" "06.0005"
expect "apsim ctl --root $ROOT crycb --vm $VM" "aqm 0x0c00"
say "Refused: the host may not take domain 4 back while the mdev holds it (EBUSY)."
refused "echo +0x0004 > bus/ap/aqmask" "Device or resource busy"

say "Hot unplug adapter 0x06: the guest loses it, its queues are reset."
run "echo 0x06 > $M/unassign_adapter"
expect "cat $M/guest_matrix" "05.0005"
expect "apsim ctl --root $ROOT crycb --vm $VM" "apm 0x0400"
expect "apsim ctl --root $ROOT log" "apsim: reset queue 06.0005 rc=0x00"

say "Detach the guest, remove the mdev, stop the simulator."
run "apsim ctl --root $ROOT detach $UUID"
run "echo 1 > $M/remove"
run "ls devices/vfio_ap/matrix"
run "cd /"
run "apsim stop --root $ROOT"
started=0
say "main job: OK"
