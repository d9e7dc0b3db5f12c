#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-apsim.sh - run the sysfs ABI conformance suite against apsim.
#
# apsim instances, each in its own temporary root, each declaring the
# kernel it runs (CONFORMANCE_KERNEL; the suite leaves out what that kernel
# does not have):
#   default   the default host (CEX8 0x03-0x06, domains 0-15, APXA with
#             Na = Nd = 255), the default kernel (7.0): the whole suite
#             except the tests that need small maxima
#   noapxa    a host without APXA (maxima 63/15), kernel 6.15 (the old
#             --in-use-rule=6.18 spelling): the whole suite again
#   smallmax  APXA with Na = 0x7f, Nd = 0x3f, no card in apmask: the maxima
#             tests and the ap_domain selection (bus_ap_domain_select, which
#             the other instances leave out: they boot with a domain)
#   k60       the default host as Linux 6.0: no ap_config, no features
#             (matrix or bus), no queue ap_functions, no IRQ index at all
#             (no request callback), the 6.1 poll_timeout parser, the
#             <= 6.18 in_use rule
#   fixed     the default host as the "fixed" profile
# Every instance runs with CONFORMANCE_NO_SKIP=1: on apsim nothing may skip.
#
# Environment: APSIM (default ./sim/apsim), CONFORMANCE_BIN (default
# ./tests/conformance/conformance), both relative to the build directory
# `make check` runs in; RUN_APSIM_INSTANCES (default "default noapxa
# smallmax k60 fixed") to run a subset; any CONFORMANCE_* variable is passed on.
# Extra arguments are passed to every suite run (test name patterns).
#
# Exit status: 0 all passed, 1 a test failed or the teardown left a mount
# behind, 77 FUSE is not usable here (automake's SKIP), 99 setup error.

set -u

APSIM=${APSIM:-$PWD/sim/apsim}
CONFORMANCE_BIN=${CONFORMANCE_BIN:-$PWD/tests/conformance/conformance}
INSTANCES=${RUN_APSIM_INSTANCES:-default noapxa smallmax k60 fixed}

if [ ! -c /dev/fuse ] || ! command -v fusermount3 >/dev/null 2>&1; then
	echo "1..0 # SKIP run-apsim.sh: /dev/fuse or fusermount3 is not available"
	exit 77
fi
for bin in "$APSIM" "$CONFORMANCE_BIN"; do
	if [ ! -x "$bin" ]; then
		echo "run-apsim.sh: $bin: not built" >&2
		exit 99
	fi
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/apsim-conformance.XXXXXX") || exit 99
STARTED=

# Is anything mounted at or below $1?  (/proc/mounts escapes blanks.)
mounted_below() {
	awk -v p="$1" '$2 == p || index($2, p "/") == 1 { found = 1 } END { exit !found }' \
		/proc/mounts
}

stop_all() {
	for root in $STARTED; do
		"$APSIM" stop --root "$root" >/dev/null 2>&1 ||
			echo "# apsim stop --root $root failed" >&2
	done
	STARTED=
}

# shellcheck disable=SC2317  # reached through the EXIT trap
teardown() {
	rc=$?
	trap - EXIT HUP INT TERM PIPE
	stop_all
	if mounted_below "$TMP"; then
		echo "not ok - teardown: a mount is left below $TMP; forcing it off" >&2
		awk -v p="$TMP" 'index($2, p "/") == 1 { print $2 }' /proc/mounts |
		while read -r mnt; do
			fusermount3 -u -z "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null
		done
		rc=1
	fi
	rm -rf "$TMP"
	exit "$rc"
}
trap teardown EXIT
trap 'exit 130' HUP INT TERM PIPE

# start NAME [apsim start options...]
start() {
	name=$1
	shift
	mkdir -m 0755 "$TMP/$name" || exit 99
	if ! "$APSIM" start --root "$TMP/$name" "$@"; then
		echo "run-apsim.sh: apsim start ($name) failed" >&2
		cat "$TMP/$name/apsim.log" >&2 2>/dev/null
		exit 99
	fi
	STARTED="$STARTED $TMP/$name"
}

FAILED=0
LIMIT=${RUN_APSIM_TIMEOUT:-1800}
TOTAL=0

# One TAP stream for all instances: drop each run's plan, number the
# results on from TOTAL, name them "<instance>: <test>"; the plan comes
# last.  Other lines pass through (the TAP driver only logs them).
tap_merge() {
	awk -v inst="$1" -v n="$TOTAL" -v countfile="$TMP/count" '
		/^1\.\.[0-9]+/ { next }
		/^(not )?ok [0-9]+ - / {
			neg = ($1 == "not")
			sub(/^(not )?ok [0-9]+ - /, "")
			printf "%sok %d - %s: %s\n", neg ? "not " : "", ++n, inst, $0
			next
		}
		{ print }
		END { print n > countfile }
	' "$TMP/$1.out"
	TOTAL=$(cat "$TMP/count")
}

# suite NAME KERNEL [conformance arguments...]
#
# The suite runs in the background.  Its own watchdog ends a test that
# blocks (CONFORMANCE_TIMEOUT) with "# aborting", but a thread blocked in a
# FUSE request the daemon never answers cannot die; stopping that apsim
# instance aborts the request.  The same happens after LIMIT seconds.
suite() {
	name=$1
	kernel=$2
	shift 2
	echo "# ---- apsim instance '$name' (kernel $kernel) ----"
	: > "$TMP/$name.out"
	CONFORMANCE_SYSFS_ROOT="$TMP/$name/sys" \
	CONFORMANCE_CTL="'$APSIM' ctl --root '$TMP/$name'" \
	CONFORMANCE_KERNEL=$kernel \
	CONFORMANCE_NO_SKIP=1 \
	CONFORMANCE_DEFAULT_MASKS=1 \
		"$CONFORMANCE_BIN" "$@" > "$TMP/$name.out" 2>&1 &
	pid=$!
	waited=0
	while kill -0 "$pid" 2>/dev/null; do
		if grep -q '^# aborting' "$TMP/$name.out" || [ "$waited" -ge "$LIMIT" ]; then
			sleep 2
			kill -0 "$pid" 2>/dev/null || break
			echo "# the suite is stuck in the target: stopping apsim '$name'"
			"$APSIM" stop --root "$TMP/$name" >/dev/null 2>&1
			kill -KILL "$pid" 2>/dev/null
			break
		fi
		sleep 1
		waited=$((waited + 1))
	done
	wait "$pid"
	rc=$?
	tap_merge "$name"
	[ "$rc" -eq 0 ] || FAILED=1
}

for inst in $INSTANCES; do
	case $inst in
	default)
		start default
		suite default 7.0 -x ap_config_enodev -x bus_ap_domain_select "$@"
		;;
	noapxa)
		cat > "$TMP/noapxa.host" <<-'EOF'
		# no APXA: mdev maxima 63/15; domains 12-15 stay free
		apxa off
		adapter 0x03-0x06 CEX8 cca
		adapter 0x0b CEX7 ep11
		domains 0-11
		EOF
		start noapxa --host "$TMP/noapxa.host" --in-use-rule=6.18
		suite noapxa 6.15 -x bus_ap_domain_select "$@"
		;;
	smallmax)
		cat > "$TMP/smallmax.host" <<-'EOF'
		# APXA with small Na/Nd: mdev maxima 0x7f/0x3f; no card in
		# apmask, so no ap_domain is chosen at boot
		apxa on
		na 0x7f
		nd 0x3f
		adapter 0x03-0x06 CEX8 cca
		domains 0-15
		apmask 0x
		EOF
		start smallmax --host "$TMP/smallmax.host"
		suite smallmax 7.0 'maxima' 'ap_config_enodev' 'matrix_page_cap' \
			'bus_ap_domain_select' "$@"
		;;
	k60)
		start k60 --kernel=6.0
		suite k60 6.0 -x ap_config_enodev -x bus_ap_domain_select "$@"
		;;
	fixed)
		start fixed --kernel=fixed
		suite fixed fixed -x ap_config_enodev -x bus_ap_domain_select "$@"
		;;
	*)
		echo "run-apsim.sh: unknown instance '$inst'" >&2
		exit 99
		;;
	esac
done

stop_all
TOTAL=$((TOTAL + 1))
if mounted_below "$TMP"; then
	echo "not ok $TOTAL - teardown: apsim stop left a mount below $TMP"
	FAILED=1
else
	echo "ok $TOTAL - teardown: no apsim mount left"
fi
echo "1..$TOTAL"
exit "$FAILED"
