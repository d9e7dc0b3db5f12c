#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# permissions.sh - apsim's tree as other users see it, like sysfs: every
# user may read the attributes and walk the tree, only root writes, and
# the control file (0600) is root's alone.  apsim mounts with allow_other
# (no /etc/fuse.conf needed for root) and default_permissions (the kernel
# checks the modes).
#
# The unprivileged user is nobody (65534), through setpriv.  The root and
# its parent are 0755 so that nobody can reach the mount.
#
# Environment: APSIM (default ./sim/apsim).  Needs root, /dev/fuse, setpriv.
# Output: TAP, then "N passed, M failed".

set -u

APSIM=${APSIM:-$PWD/sim/apsim}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$HERE/lib.sh"

it_need_root "another user's view of a root mount"
it_need setpriv bash

it_start_apsim
S=$IT_ROOT/sys
CTL=$S/kernel/debug/ap_sim/ctl

# as_nobody COMMAND...: run as uid/gid 65534 without supplementary groups
as_nobody() {
	timeout 20 setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

# nobody_case NAME EXPECTED_RC EXPECTED_OUTPUT COMMAND...: stdout+stderr
nobody_case() {
	_name=$1 _rc=$2 _want=$3
	shift 3
	it_run_all "$_name" "$_rc" "$_want" as_nobody "$@"
}

it_eq "the root is 0755" "755" "$(stat -c %a "$IT_ROOT")"
it_eq "its parent is 0755" "755" "$(stat -c %a "$IT_TMP")"
it_eq "apmask: mode and owner" "644 root root" "$(stat -c '%a %U %G' "$S/bus/ap/apmask")"
it_eq "ctl: mode and owner" "600 root root" "$(stat -c '%a %U %G' "$CTL")"

APMASK=$(cat "$S/bus/ap/apmask")
nobody_case "nobody reads bus/ap/apmask" 0 "$APMASK" cat "$S/bus/ap/apmask"
nobody_case "nobody reads a card attribute" 0 "$(cat "$S/devices/ap/card05/hwtype")" \
	cat "$S/devices/ap/card05/hwtype"
nobody_case "nobody lists devices/ap" 0 "$(ls "$S/devices/ap")" ls "$S/devices/ap"
nobody_case "nobody follows bus/ap/devices/card05" 0 "$(cat "$S/devices/ap/card05/type")" \
	cat "$S/bus/ap/devices/card05/type"
nobody_case "nobody writing bus/ap/apmask: EACCES" 1 \
	"bash: line 1: $S/bus/ap/apmask: Permission denied" \
	bash -c "echo -5 > '$S/bus/ap/apmask'"
it_eq "apmask is unchanged" "$APMASK" "$(cat "$S/bus/ap/apmask")"
nobody_case "nobody reading the control file: EACCES" 1 \
	"cat: $CTL: Permission denied" cat "$CTL"
nobody_case "nobody writing the control file: EACCES" 1 \
	"bash: line 1: $CTL: Permission denied" bash -c "echo status > '$CTL'"
nobody_case "nobody creating an mdev: EACCES" 1 \
	"bash: line 1: $S/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/create: Permission denied" \
	bash -c "cat /proc/sys/kernel/random/uuid > '$S/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/create'"

# root keeps its rights, and sysfs's mode check on open even for root
if echo -5 >"$S/bus/ap/apmask" 2>/dev/null; then
	it_ok "root writes bus/ap/apmask"
else
	it_fail "root writes bus/ap/apmask" "the write failed"
fi
it_eq "root runs a control command" "" "$(it_ctl scan 2>&1)"
_err=$(cat "$S/bus/ap/drivers/vfio_ap/bind" 2>&1)
it_eq "root reading a write-only attribute: EACCES" \
	"cat: $S/bus/ap/drivers/vfio_ap/bind: Permission denied" "$_err"
it_done
