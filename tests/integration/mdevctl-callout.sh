#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mdevctl-callout.sh - apvirt's mdevctl callout under Debian's mdevctl
# 1.2.0 against apsim: define, modify and start of a vfio_ap device that
# conflicts with the host masks, an active mdev or any definition (auto
# or manual) are refused with the callout's one line per problem and
# change nothing (no definition written or rewritten, no mdev created);
# valid ones go through; another device type is left to mdevctl (exit 2);
# the lock mdevctl holds through the callout is gone afterwards; get
# attributes (mdevctl define of a running device); and, by direct calls,
# the versioned protocol of mdevctl >= 1.3 (get capabilities, live
# modify as one ap_config write).
#
# As mdevctl.sh: a private mount namespace with apsim over /sys and a
# temporary directory over /etc/mdevctl.d, which holds the callout in
# scripts.d/callouts/apvirt (as make install puts it).
#
# Environment: APSIM, APVIRT_CALLOUT (the built callout), MDEVCTL (as in
# mdevctl.sh).  Output: TAP-ish lines, then "N passed, M failed".  Exit
# status 0, 1 (a failure), 77 (skipped) or 99 (setup).

set -u

APSIM=${APSIM:-$PWD/sim/apsim}
APVIRT_CALLOUT=${APVIRT_CALLOUT:-$PWD/tools/apvirt-mdevctl-callout}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$HERE/lib.sh"

M=/sys/devices/vfio_ap/matrix
D=/etc/mdevctl.d/matrix
T=vfio_ap-passthrough
out='' out_rc='' out_err=''
nl='
'
CALLOUT_FAILED='Error: callout script "/etc/mdevctl.d/scripts.d/callouts/apvirt" failed with return code 1
'

# Every command is bounded: a hang fails the test, not make check.
mdc() {
	timeout 60 "$MDEVCTL" "$@"
}

co() {
	timeout 60 "$APVIRT_CALLOUT" "$@"
}

# Everything a refused command must leave alone, byte for byte.
snapshot() {
	for f in "$D"/*; do
		[ -f "$f" ] && { printf '%s:' "${f##*/}"; cat "$f"; echo; }
	done
	for d in "$M"/*-*-*-*-*; do
		[ -d "$d" ] && { printf '%s:' "${d##*/}"; cat "$d/ap_config"; }
	done
	ls "$IT_TMP/run/lock" "$IT_TMP/run/apvirt" 2>/dev/null
}

# sys_eq NAME EXPECTED PATH: the file reads EXPECTED (newlines included).
sys_eq() {
	_t=$(cat "$3" 2>&1; echo x)
	it_eq "$1" "$2" "${_t%x}"
}

# refused NAME MESSAGE: the command just run (it_run_cap out) was refused
# by the callout with exactly MESSAGE (mdevctl puts "apvirt: " before it
# and its own line after) and changed nothing since $before was taken.
refused() {
	it_rc "$1: refused" 1 "$out_rc"
	it_eq "$1: one line per problem" "apvirt: $2$nl$CALLOUT_FAILED" "$out$out_err"
	it_eq "$1: nothing changed" "$before" "$(snapshot)"
}

json() {
	printf '{"mdev_type": "%s", "start": "%s", "attrs": [%s]}\n' "$T" "$1" "$2" > "$IT_TMP/cfg.json"
}

inner() {
	if ! mount --bind "$IT_ROOT/sys" /sys || ! mount --bind "$IT_TMP/etc" /etc/mdevctl.d; then
		it_fail "namespace" "bind mounts failed"
		it_done
		return
	fi
	# adapters 5 and 6 for vfio_ap (host config: 3-6 x 0-15)
	echo "-5,-6" > /sys/bus/ap/apmask || it_fail "apmask" "cannot release adapters 5 and 6"

	# ---- define ----
	json manual '{"assign_adapter": "5"}, {"assign_domain": "5"}'
	it_run_cap out mdc define -u "$U1" -p matrix --jsonfile "$IT_TMP/cfg.json"
	it_rc "define U1 (no conflict): exit status" 0 "$out_rc"
	it_eq "define U1: no output" "" "$out$out_err"
	it_eq "define U1: written" "yes" "$([ -f "$D/$U1" ] && echo yes)"
	it_eq "define U1: the lock mdevctl held is released" "" "$(ls "$IT_TMP/run/lock" | grep -v '\.break$')"
	before=$(snapshot)
	json manual '{"assign_adapter": "5"}, {"assign_domain": "4"}, {"assign_domain": "5"}'
	it_run_cap out mdc define -u "$U2" -p matrix --jsonfile "$IT_TMP/cfg.json"
	refused "define U2 overlapping U1's manual definition" \
		"error: APQN 05.0005 is defined for mdev $U1 in its mdevctl profile (start manual); change or undefine that definition first (mdevctl modify/undefine -u $U1)"
	json auto '{"assign_adapter": "0x03"}, {"assign_domain": "0x0000"}'
	it_run_cap out mdc define -u "$U2" -p matrix --jsonfile "$IT_TMP/cfg.json"
	refused "define U2 with a host-reserved APQN" \
		"error: APQN 03.0000 is reserved for the host drivers (apmask and aqmask); give it to vfio_ap first: apvirt host release --adapter 0x03 (or --domain 0x0000)"
	json manual '{"assign_adapter": "6"}, {"assign_domain": "5"}'
	it_run_cap out mdc define -u "$U2" -p matrix --jsonfile "$IT_TMP/cfg.json"
	it_rc "define U2 (06.0005): exit status" 0 "$out_rc"

	# ---- modify ----
	before=$(snapshot)
	it_run_cap out mdc modify -u "$U2" --addattr assign_adapter --value 5
	refused "modify U2 +adapter 5 (05.0005 is U1's)" \
		"error: APQN 05.0005 is defined for mdev $U1 in its mdevctl profile (start manual); change or undefine that definition first (mdevctl modify/undefine -u $U1)"
	it_run_cap out mdc modify -u "$U2" --addattr assign_domain --value 6
	it_rc "modify U2 +domain 6 (no conflict): exit status" 0 "$out_rc"
	it_eq "modify U2 +domain 6: stored" \
		'{"mdev_type":"vfio_ap-passthrough","start":"manual","attrs":[{"assign_adapter":"6"},{"assign_domain":"5"},{"assign_domain":"6"}]}' \
		"$(tr -d ' \n' < "$D/$U2")"

	# ---- start ----
	it_run_cap out mdc start -u "$U1"
	it_rc "start U1: exit status" 0 "$out_rc"
	sys_eq "start U1: matrix" "05.0005$nl" "$M/$U1/matrix"
	# (s390apconfig.lock.break stays: breakers of a stale lock flock it)
	it_eq "start U1: the lock is released" "" "$(ls "$IT_TMP/run/lock" | grep -v '\.break$')"
	before=$(snapshot)
	json manual '{"assign_adapter": "6"}, {"assign_domain": "6"}'
	it_run_cap out mdc start -u "$U3" -p matrix --jsonfile "$IT_TMP/cfg.json"
	refused "start U3 (06.0006 is in U2's definition)" \
		"error: APQN 06.0006 is defined for mdev $U2 in its mdevctl profile (start manual); change or undefine that definition first (mdevctl modify/undefine -u $U2)"
	json manual '{"assign_adapter": "5"}, {"assign_domain": "5"}, {"assign_domain": "7"}'
	it_run_cap out mdc start -u "$U3" -p matrix --jsonfile "$IT_TMP/cfg.json"
	refused "start U3 (05.0005 is U1's, active)" \
		"error: APQN 05.0005 is already assigned to mdev $U1; remove it there first: apvirt mdev set $U1 --adapter -0x05 (or --domain -0x0005)"
	json manual '{"assign_adapter": "6"}, {"assign_domain": "7"}'
	it_run_cap out mdc start -u "$U3" -p matrix --jsonfile "$IT_TMP/cfg.json"
	it_rc "start U3 (06.0007, free): exit status" 0 "$out_rc"
	sys_eq "start U3: matrix" "06.0007$nl" "$M/$U3/matrix"

	# ---- get attributes: mdevctl define of a running device ----
	it_run_cap out co -t "$T" -e get -a attributes -s none -u "$U3" -p matrix
	it_rc "get attributes: exit status" 0 "$out_rc"
	it_eq "get attributes: the running matrix" \
		'[{"assign_adapter":"0x06"},{"assign_domain":"0x0007"}]
' "$out"
	it_run_cap out mdc define -u "$U3"
	it_rc "define a running device (get attributes): exit status" 0 "$out_rc"
	it_eq "define a running device: its attributes stored" \
		'{"mdev_type":"vfio_ap-passthrough","start":"manual","attrs":[{"assign_adapter":"0x06"},{"assign_domain":"0x0007"}]}' \
		"$(tr -d ' \n' < "$D/$U3")"
	it_eq "define a running device: the lock is released" "" "$(ls "$IT_TMP/run/lock" | grep -v '\.break$')"

	# ---- another device type: exit 2, mdevctl moves on ----
	it_run_cap out co -t i915-GVTg_V5_4 -e pre -a define -s none -u "$U4" -p matrix
	it_rc "other type: exit 2" 2 "$out_rc"
	it_eq "other type: silent" "" "$out$out_err"
	it_run_cap out mdc define -u "$U4" -p matrix -t i915-GVTg_V5_4
	it_rc "define of another type through mdevctl: exit status" 0 "$out_rc"
	it_eq "define of another type: written" "yes" "$([ -f "$D/$U4" ] && echo yes)"
	it_run_cap out mdc undefine -u "$U4"
	it_rc "undefine: exit status" 0 "$out_rc"

	# ---- the versioned protocol (mdevctl >= 1.3), by direct calls ----
	it_run_cap out sh -c 'printf "%s" "$1" | "$2" -t "$3" -e get -a capabilities -s none -u "$4" -p matrix' sh \
		'{"provides":{"version":2,"actions":["start","stop","define","undefine","modify","attributes","capabilities","frobnicate"],"events":["pre","post","get","live","notify"]}}' \
		"$APVIRT_CALLOUT" "$T" "$U1"
	it_rc "get capabilities: exit status" 0 "$out_rc"
	it_eq "get capabilities: version 2 and what both sides know" \
		'{"supports":{"version":2,"actions":["start","stop","define","undefine","modify","attributes","capabilities"],"events":["pre","post","get","live"]}}
' "$out"
	it_run_cap out sh -c 'echo "{}" | "$1" -t "$2" -e get -a capabilities -s none -u "$3" -p matrix' sh \
		"$APVIRT_CALLOUT" "$T" "$U1"
	it_rc "get capabilities without provides: exit 1" 1 "$out_rc"
	json manual '{"assign_adapter": "5"}, {"assign_domain": "5"}, {"assign_domain": "8"}'
	it_run_cap out sh -c '"$1" -t "$2" -e live -a modify -s none -u "$3" -p matrix < "$4"' sh \
		"$APVIRT_CALLOUT" "$T" "$U1" "$IT_TMP/cfg.json"
	it_rc "live modify: exit status" 0 "$out_rc"
	sys_eq "live modify: one ap_config write" \
		"0x0400000000000000000000000000000000000000000000000000000000000000,0x0480000000000000000000000000000000000000000000000000000000000000,0x0000000000000000000000000000000000000000000000000000000000000000$nl" \
		"$M/$U1/ap_config"
	it_eq "live modify: the definition is mdevctl's business" \
		'{"mdev_type":"vfio_ap-passthrough","start":"manual","attrs":[{"assign_adapter":"5"},{"assign_domain":"5"}]}' \
		"$(tr -d ' \n' < "$D/$U1")"
	before=$(snapshot)
	json manual '{"assign_adapter": "5"}, {"assign_adapter": "6"}, {"assign_domain": "5"}'
	it_run_cap out sh -c '"$1" -t "$2" -e live -a modify -s none -u "$3" -p matrix < "$4"' sh \
		"$APVIRT_CALLOUT" "$T" "$U1" "$IT_TMP/cfg.json"
	it_rc "live modify with a conflict: refused" 1 "$out_rc"
	it_eq "live modify with a conflict: message" \
		"error: APQN 06.0005 is defined for mdev $U2 in its mdevctl profile (start manual); change or undefine that definition first (mdevctl modify/undefine -u $U2)
" "$out_err"
	it_eq "live modify with a conflict: nothing changed" "$before" "$(snapshot)"

	# ---- the lock: held for the parent from pre to post ----
	json manual '{"assign_adapter": "6"}, {"assign_domain": "9"}'
	LOCK=$IT_TMP/run/lock/s390apconfig.lock
	it_run_cap out sh -c '
		"$1" -t "$2" -e pre -a define -s none -u "$3" -p matrix < "$4" || exit
		echo "after pre: $(cat "$5") (parent $$)"
		"$1" -t "$2" -e get -a attributes -s none -u "$3" -p matrix > /dev/null || exit
		echo "after get attributes: $(cat "$5")"
		"$1" -t "$2" -e post -a define -s success -u "$3" -p matrix < "$4" || exit
		echo "after post: $(cat "$5" 2>/dev/null || echo unlocked)"' sh \
		"$APVIRT_CALLOUT" "$T" "$U4" "$IT_TMP/cfg.json" "$LOCK"
	parent=$(printf '%s' "$out" | sed -n 's/.*(parent \([0-9]*\))$/\1/p')
	it_eq "lock: held for the parent through get attributes, released by post" \
		"after pre: $parent (parent $parent)
after get attributes: $parent
after post: unlocked
" "$out"
	sleep 30 &
	holder=$!
	printf '%d\n' "$holder" > "$LOCK"
	it_run_cap out sh -c '"$1" -t "$2" -e pre -a define -s none -u "$3" -p matrix < "$4"' sh \
		"$APVIRT_CALLOUT" "$T" "$U4" "$IT_TMP/cfg.json"
	it_rc "lock held by another process: refused after lock_timeout" 1 "$out_rc"
	it_eq "lock held by another process: message" \
		"error: $LOCK is held by pid $holder (sleep); gave up after 5 s (is mdevctl, ap-check or chzdev running?)$nl" "$out_err"
	it_eq "lock held by another process: its lock stays" "$holder" "$(cat "$LOCK")"
	kill "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
	rm -f "$LOCK"

	# ---- bad calls ----
	it_run_cap out co -t "$T" -e pre -a start -s none -u not-a-uuid -p matrix
	it_rc "bad UUID: exit 1" 1 "$out_rc"
	it_eq "bad UUID: message" "error: 'not-a-uuid' is not a UUID (8-4-4-4-12 hex digits)$nl" "$out_err"
	it_run_cap out co -t "$T" -e pre -a start -u "$U1" -p matrix
	it_rc "missing -s: exit 1" 1 "$out_rc"

	for u in "$U3" "$U1"; do
		it_run_cap out mdc stop -u "$u"
		it_rc "stop $u: exit status" 0 "$out_rc"
	done
	it_eq "after stop: the lock is released" "" "$(ls "$IT_TMP/run/lock" | grep -v '\.break$')"
	it_done
}

if [ "${1:-}" = --inner ]; then
	inner
	exit $?
fi

it_need_mdevctl_namespace
if [ ! -x "$APVIRT_CALLOUT" ]; then
	echo "not ok 1 - $APVIRT_CALLOUT is not built"
	echo "1..1"
	echo "0 passed, 1 failed"
	exit 1
fi

it_start_apsim
mkdir -p "$IT_TMP/etc/scripts.d/callouts" "$IT_TMP/etc/scripts.d/notifiers" \
	 "$IT_TMP/etcroot/apvirt" "$IT_TMP/run/lock" || exit 99
# The built callout is a libtool wrapper that must stay where it is: the
# installed name execs it (exec: mdevctl stays its parent, the lock owner).
printf '#!/bin/sh\nexec "%s" "$@"\n' "$APVIRT_CALLOUT" > "$IT_TMP/etc/scripts.d/callouts/apvirt"
chmod 755 "$IT_TMP/etc/scripts.d/callouts/apvirt" || exit 99
# The library's /etc is a private one whose mdevctl.d is the one mdevctl sees.
ln -s "$IT_TMP/etc" "$IT_TMP/etcroot/mdevctl.d" || exit 99
printf 'lock_timeout = 5\n' > "$IT_TMP/etcroot/apvirt/apvirt.conf"
APVIRT_ETC_ROOT=$IT_TMP/etcroot APVIRT_RUN_ROOT=$IT_TMP/run
export APSIM MDEVCTL APVIRT_CALLOUT IT_ROOT IT_TMP APVIRT_ETC_ROOT APVIRT_RUN_ROOT
unset APVIRT_SYSFS_ROOT
unshare -m --propagation private sh "$HERE/mdevctl-callout.sh" --inner
