#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# shell-errors.sh - what an administrator's shell shows on apsim.
#
# `echo 0x05 > .../assign_adapter` must fail on apsim exactly as on a real
# host: the kernel's errno travels back through write(2), and the shell
# prints its strerror text ("bash: line 1: echo: write error: Address already in
# use") with exit status 1.  The checks compare
# exit status and the errno text; the prefix is bash's own.  dash's echo
# reports every write error as "I/O error", so for dash only the exit
# status is compared.
#
# Environment: APSIM (default ./sim/apsim).  Needs /dev/fuse, else skipped.
# Output: "ok N - name" / "not ok N - name: why", then "N passed, M failed".

set -u

APSIM=${APSIM:-$PWD/sim/apsim}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$HERE/lib.sh"

if ! command -v bash >/dev/null 2>&1; then
	echo "1..0 # SKIP bash is not available"
	exit 77
fi

it_start_apsim --in-use-rule=6.19
S=$IT_ROOT/sys
M=$S/devices/vfio_ap/matrix
T=$M/mdev_supported_types/vfio_ap-passthrough
U1=$(cat /proc/sys/kernel/random/uuid)
U2=$(cat /proc/sys/kernel/random/uuid)

# sh_case NAME SHELL COMMAND EXPECTED_RC EXPECTED_STDERR
sh_case() {
	_err=$("$2" -c "$3" 2>&1 >/dev/null; echo "x$?")
	_rc=${_err##*x}
	_err=${_err%x*}
	if [ "$_rc" -ne "$4" ]; then
		it_fail "$1" "expected exit status $4 got $_rc (stderr \"$(it_show "$_err")\")"
	elif [ "$2" = bash ] && [ "$_err" != "$5" ]; then
		it_fail "$1" "expected \"$(it_show "$5")\" got \"$(it_show "$_err")\""
	else
		it_ok "$1"
	fi
}

# werr NAME VALUE FILE ERRNO_TEXT: bash's echo fails with that errno text
werr() {
	sh_case "$1" bash "echo $2 > '$3'" 1 "bash: line 1: echo: write error: $4
"
}

# wok NAME VALUE FILE: bash's echo succeeds silently
wok() {
	sh_case "$1" bash "echo $2 > '$3'" 0 ""
}

wok "create mdev 1" "$U1" "$T/create"
wok "create mdev 2" "$U2" "$T/create"
werr "create: EEXIST" "$U1" "$T/create" "File exists"
werr "create: EINVAL" "not-a-uuid" "$T/create" "Invalid argument"
wok "apmask: give adapters 5 and 6 to vfio_ap" "-5,-6" "$S/bus/ap/apmask"
wok "assign_adapter 0x05" 0x05 "$M/$U1/assign_adapter"
wok "assign_domain 4" 4 "$M/$U1/assign_domain"
wok "assign_domain 4 (mdev 2)" 4 "$M/$U2/assign_domain"
it_eq "matrix" "05.0004" "$(cat "$M/$U1/matrix")"
werr "assign_adapter: EADDRINUSE" 0x05 "$M/$U2/assign_adapter" "Address already in use"
wok "apmask: reserve adapter 6 again" "+6" "$S/bus/ap/apmask"
werr "assign_adapter: EADDRNOTAVAIL" 6 "$M/$U2/assign_adapter" "Cannot assign requested address"
werr "assign_adapter: ENODEV" 256 "$M/$U1/assign_adapter" "No such device"
werr "assign_adapter: EINVAL" xyz "$M/$U1/assign_adapter" "Invalid argument"
werr "assign_adapter: ERANGE" 18446744073709551616 "$M/$U1/assign_adapter" \
	"Numerical result out of range"
werr "apmask: EBUSY" +5 "$S/bus/ap/apmask" "Device or resource busy"
werr "aqmask: EINVAL" "+256" "$S/bus/ap/aqmask" "Invalid argument"
werr "config_time: EINVAL" 4 "$S/bus/ap/config_time" "Invalid argument"

# other writers: bash's printf, coreutils echo, and dash
sh_case "bash printf: EADDRINUSE" bash "printf 5 > '$M/$U2/assign_adapter'" 1 \
	"bash: line 1: printf: write error: Address already in use
"
sh_case "/bin/echo: EADDRINUSE" bash "/bin/echo 5 > '$M/$U2/assign_adapter'" 1 \
	"/bin/echo: write error: Address already in use
"
sh_case "dash echo: exit status" dash "echo 5 > '$M/$U2/assign_adapter'" 1 ""
sh_case "dash echo: success" dash "echo 5 > '$M/$U2/unassign_adapter'" 0 ""

# opening a read-only attribute for writing
sh_case "matrix: EACCES on open" bash "echo 1 > '$M/$U1/matrix'" 1 \
	"bash: line 1: $M/$U1/matrix: Permission denied
"
# remove
wok "remove mdev 2" 1 "$M/$U2/remove"
if [ -e "$M/$U2" ]; then
	it_fail "mdev 2 is gone" "$M/$U2 exists"
else
	it_ok "mdev 2 is gone"
fi
werr "remove: EINVAL" abc "$M/$U1/remove" "Invalid argument"
wok "remove mdev 1" 1 "$M/$U1/remove"
it_done
