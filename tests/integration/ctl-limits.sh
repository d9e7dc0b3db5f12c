#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ctl-limits.sh - fault injection and the control file's tables, through
# "apsim ctl" against a real mount:
#
#  - "fail PATH ERRNO" accepts only real Linux errnos (1..133), apsim's
#    choice: FUSE would pass on 134..511, which are no errnos, while a
#    larger one would leave the writer hanging in the kernel (512..999) or
#    turn into ERANGE (1000 and up); all are refused at "fail" time;
#  - faults on bus/ap/drivers/<drv>/bind and unbind fire (they are files,
#    not links to devices), while the device links still resolve;
#  - the fault table and the VM table are bounded (1024 each): one more
#    is refused with ENOSPC and a clear message; a removed fault frees its
#    slot, an existing VM can still be used.
#
# No write ever reaches a file with an undeliverable fault: a test that
# finds one accepted removes it at once.
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

# werr NAME VALUE FILE ERRNO_TEXT: bash's echo fails with that text
werr() {
	_err=$(timeout 10 bash -c "echo $2 > '$3'" 2>&1)
	it_eq "$1" "bash: line 1: echo: write error: $4" "$_err"
}

faults() {
	it_ctl status | grep '^fault' | wc -l
}

# ---- only real Linux errnos --------------------------------------------------

for e in 134 511 512 999 1000 4095; do
	it_ctl_case "fail: errno $e is refused" 1 \
		"apsim ctl: bad errno '$e': apsim takes only real Linux errnos, 1 to 133 (EHWPOISON): Invalid argument" \
		fail bus/ap/apmask "$e"
	# never leave an undeliverable fault behind: a write would hang for good
	it_ctl fail bus/ap/apmask EIO --count 0
done
it_eq "no fault was registered" "0" "$(faults)"
it_ctl_case "fail: errno 133 is accepted" 0 "" fail bus/ap/apmask 133
werr "errno 133 reaches the writer" +5 "$S/bus/ap/apmask" "Memory page has hardware error"
it_ctl_case "fail: errno 1 is accepted" 0 "" fail bus/ap/apmask 1
werr "errno 1 reaches the writer" +5 "$S/bus/ap/apmask" "Operation not permitted"

# ---- faults on the drivers' bind and unbind files ---------------------------

it_eq "apmask: give adapter 5 to vfio_ap" "" "$(bash -c "echo -5 > '$S/bus/ap/apmask'" 2>&1)"
for f in vfio_ap/bind vfio_ap/unbind cex4queue/bind cex4queue/unbind cex4card/bind cex4card/unbind; do
	it_ctl_case "fail bus/ap/drivers/$f" 0 "" fail "bus/ap/drivers/$f" EIO
	it_eq "status lists the fault under its own path" \
		"fault bus/ap/drivers/$f errno=EIO count=1" "$(it_ctl status | grep '^fault')"
	werr "a write to bus/ap/drivers/$f fails with EIO" 05.0004 "$S/bus/ap/drivers/$f" \
		"Input/output error"
	it_eq "the fault on bus/ap/drivers/$f is used up" "0" "$(faults)"
done
it_ctl_case "fail through a device link" 0 "" fail bus/ap/devices/card05/online EIO --count 2
it_eq "status shows the device's own path" "fault devices/ap/card05/online errno=EIO count=2" \
	"$(it_ctl status | grep '^fault')"
werr "the fault fires on the device's file" 1 "$S/devices/ap/card05/online" "Input/output error"
werr "and through the link" 1 "$S/bus/ap/devices/card05/online" "Input/output error"
it_eq "the device link's fault is used up" "0" "$(faults)"

# ---- the fault table is bounded ---------------------------------------------

seq 0 1023 | sed 's|.*|fail devices/ap/card05/f& EIO|' | it_ctl_batch >"$IT_TMP/batch.out"
it_eq "1024 faults are accepted" "" "$(cat "$IT_TMP/batch.out")"
it_eq "status lists 1024 faults" "1024" "$(faults)"
it_ctl_case "fault 1025 is refused" 1 \
	"apsim ctl: fail devices/ap/card05/f1024: the fault table is full (1024 faults): No space left on device" \
	fail devices/ap/card05/f1024 EIO
it_ctl_case "an existing fault can still be changed" 0 "" fail devices/ap/card05/f7 EBUSY --count 3
it_ctl_case "an existing fault can be removed" 0 "" fail devices/ap/card05/f7 EIO --count 0
it_ctl_case "its slot takes a new fault" 0 "" fail devices/ap/card05/f1024 EIO
seq 0 1024 | sed 's|.*|fail devices/ap/card05/f& EIO --count 0|' | it_ctl_batch >/dev/null
it_eq "every fault removed" "0" "$(faults)"

# ---- the VM table is bounded ------------------------------------------------

U=4b0c6f3e-8d1a-4c8e-9d2f-6a7b5c4d3e21
echo "$U" >"$T/create"
seq 0 1023 | awk -v u="$U" '{ print "attach " u " --vm vm" $1; print "detach " u }' \
	| it_ctl_batch >"$IT_TMP/batch.out"
it_eq "1024 VMs attach and detach" "" "$(cat "$IT_TMP/batch.out")"
it_eq "status lists 1024 VMs" "1024" "$(it_ctl status | grep -c '^vm ')"
it_ctl_case "VM 1025 is refused" 1 \
	"apsim ctl: vm vm1024: too many VMs (1024; vm-remove frees one): No space left on device" \
	attach "$U" --vm vm1024
it_eq "the refused VM does not exist" "apsim ctl: no vm vm1024: No such file or directory" \
	"$(it_ctl crycb --vm vm1024 2>&1)"
it_ctl_case "an existing VM attaches again" 0 "" attach "$U" --vm vm17
it_ctl_case "and detaches" 0 "" detach "$U"
it_done
