#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm-remove.sh - "apsim ctl vm-remove NAME", through "apsim ctl" against a
# real mount, exact exit status and stderr each time:
#
#  - a VM no mdev's vfio device is open by is freed: ctl status no longer
#    lists it, crycb says ENOENT, and the name can be created again, even
#    with the other crypto-block setting;
#  - while an mdev's device is open by the VM (attached, or opened with
#    --no-crycb), EBUSY names the mdev, and nothing changes: status and the
#    VM's CRYCB read the same, the detach still works;
#  - an unknown name is ENOENT; no name, an extra word, a name of 64
#    characters or one with a '/' are EINVAL with a clear message;
#  - the VM table (1024) gets its slot back: with 1024 VMs a new one is
#    ENOSPC, after one vm-remove it attaches.
#
# Environment: APSIM (default ./sim/apsim).  Needs /dev/fuse and bash.
# Output: TAP, then "N passed, M failed".

set -u

APSIM=${APSIM:-$PWD/sim/apsim}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$HERE/lib.sh"

it_need bash

it_start_apsim
S=$IT_ROOT/sys
M=$S/devices/vfio_ap/matrix
T=$M/mdev_supported_types/vfio_ap-passthrough

vms() {
	it_ctl status | grep -c '^vm '
}

echo "$U1" >"$T/create"
echo "$U2" >"$T/create"
echo "-5" >"$S/bus/ap/apmask"
echo "-4" >"$S/bus/ap/aqmask"
echo 5 >"$M/$U1/assign_adapter"
echo 4 >"$M/$U1/assign_domain"

# ---- a VM no device is open by ----------------------------------------------

it_ctl_case "attach U1 to g1" 0 "" attach "$U1" --vm g1
it_ctl_case "detach U1" 0 "" detach "$U1"
it_eq "status lists g1, nothing open" "vm g1 crycb=yes open=-" "$(it_ctl status | grep '^vm ')"
it_ctl_case "g1 cannot be re-created without a crypto block yet" 1 \
	"apsim ctl: vm g1 exists with a crypto block: Invalid argument" \
	attach "$U1" --vm g1 --no-crycb
it_run_all "vm-remove g1 prints nothing" 0 "" it_ctl vm-remove g1
it_eq "status lists no VM" "0" "$(vms)"
it_ctl_case "crycb of the removed VM" 1 "apsim ctl: no vm g1: No such file or directory" \
	crycb --vm g1
it_ctl_case "vm-remove g1 again" 1 "apsim ctl: no vm g1: No such file or directory" vm-remove g1
it_ctl_case "the name is created again, now without a crypto block" 0 "" \
	attach "$U1" --vm g1 --no-crycb
it_eq "status lists the new g1, U1 open" "vm g1 crycb=no open=$U1" \
	"$(it_ctl status | grep '^vm ')"

# ---- while a device is open by the VM ----------------------------------------

it_ctl_case "vm-remove g1 while U1 is open by it (--no-crycb)" 1 \
	"apsim ctl: vm g1 has mdev $U1 open (detach it first): Device or resource busy" \
	vm-remove g1
it_ctl_case "detach U1 from g1" 0 "" detach "$U1"
it_ctl_case "vm-remove g1 after the detach" 0 "" vm-remove g1

it_ctl_case "attach U1 to g2" 0 "" attach "$U1" --vm g2
before_status=$(it_ctl status)
before_crycb=$(it_ctl crycb --vm g2)
it_eq "g2's CRYCB holds adapter 5 and domain 4" \
	"apm 0x0400000000000000000000000000000000000000000000000000000000000000
aqm 0x0800000000000000000000000000000000000000000000000000000000000000" \
	"$(printf '%s\n' "$before_crycb" | head -n 2)"
it_ctl_case "vm-remove g2 while U1 is attached" 1 \
	"apsim ctl: vm g2 has mdev $U1 open (detach it first): Device or resource busy" \
	vm-remove g2
it_eq "status is unchanged" "$before_status" "$(it_ctl status)"
it_eq "g2's CRYCB is unchanged" "$before_crycb" "$(it_ctl crycb --vm g2)"
it_eq "U1 is still in use" "in use" "$(cat "$S/bus/ap/devices/05.0004/status")"
it_ctl_case "U2 cannot join g2 (EPERM: g2 still has U1)" 1 \
	"apsim ctl: attach $U2: Operation not permitted" attach "$U2" --vm g2
it_ctl_case "detach U1 from g2" 0 "" detach "$U1"
it_ctl_case "vm-remove g2 after the detach" 0 "" vm-remove g2
it_eq "no VM is left" "0" "$(vms)"

# ---- bad input ---------------------------------------------------------------

it_ctl_case "vm-remove without a name" 1 "apsim ctl: usage: vm-remove NAME: Invalid argument" \
	vm-remove
it_ctl_case "vm-remove with an empty name" 1 \
	"apsim ctl: usage: vm-remove NAME: Invalid argument" vm-remove ""
it_ctl_case "vm-remove with two names" 1 "apsim ctl: usage: vm-remove NAME: Invalid argument" \
	vm-remove g1 g2
long=$(printf 'v%.0s' $(seq 64))
it_ctl_case "vm-remove with a 64-character name" 1 \
	"apsim ctl: bad VM name '$long': 1 to 63 letters, digits, '_', '.' or '-': Invalid argument" \
	vm-remove "$long"
it_ctl_case "a 63-character name is a name (unknown)" 1 \
	"apsim ctl: no vm ${long#v}: No such file or directory" vm-remove "${long#v}"
it_ctl_case "vm-remove with a '/' in the name" 1 \
	"apsim ctl: bad VM name 'a/b': 1 to 63 letters, digits, '_', '.' or '-': Invalid argument" \
	vm-remove a/b
it_ctl_case "attach gives the same message for a bad name" 1 \
	"apsim ctl: bad VM name 'a/b': 1 to 63 letters, digits, '_', '.' or '-': Invalid argument" \
	attach "$U1" --vm a/b

# ---- the slot is freed -------------------------------------------------------

seq 0 1023 | awk -v u="$U2" '{ print "attach " u " --vm vm" $1; print "detach " u }' \
	| it_ctl_batch >"$IT_TMP/batch.out"
it_eq "1024 VMs attach and detach" "" "$(cat "$IT_TMP/batch.out")"
it_ctl_case "VM 1025 is refused" 1 \
	"apsim ctl: vm extra: too many VMs (1024; vm-remove frees one): No space left on device" \
	attach "$U2" --vm extra
it_ctl_case "vm-remove vm17" 0 "" vm-remove vm17
it_eq "status lists 1023 VMs" "1023" "$(vms)"
it_ctl_case "now the new VM attaches" 0 "" attach "$U2" --vm extra
it_ctl_case "and detaches" 0 "" detach "$U2"
it_ctl_case "and the table is full again" 1 \
	"apsim ctl: vm vm17: too many VMs (1024; vm-remove frees one): No space left on device" \
	attach "$U2" --vm vm17
seq 0 1023 | sed 's|.*|vm-remove vm&|' | grep -vx 'vm-remove vm17' | it_ctl_batch >"$IT_TMP/batch.out"
it_eq "every other VM is removed" "" "$(cat "$IT_TMP/batch.out")"
it_ctl_case "vm-remove extra" 0 "" vm-remove extra
it_eq "the VM table is empty" "0" "$(vms)"

echo 1 >"$M/$U1/remove"
echo 1 >"$M/$U2/remove"
it_done
