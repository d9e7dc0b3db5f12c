#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# remove-storm.sh - blocked removals never starve the daemon.
#
# A write to an mdev's "remove" blocks while a guest holds the vfio device
# open.  With more blocked removers than the daemon has worker threads
# (256), nothing would be left to read /dev/fuse, not even the
# "ctl detach" that releases them.  Here 300 attached mdevs are removed at
# once; then the control file must still answer, every detach must work,
# and every remover must finish with success.
#
# Environment: APSIM (default ./sim/apsim), REMOVE_STORM_N (default 300).
# Needs /dev/fuse.  Output: TAP, then "N passed, M failed".

set -u

APSIM=${APSIM:-$PWD/sim/apsim}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$HERE/lib.sh"

N=${REMOVE_STORM_N:-300}
it_start_apsim
M=$IT_ROOT/sys/devices/vfio_ap/matrix
T=$M/mdev_supported_types/vfio_ap-passthrough
W=$IT_TMP/removers
mkdir "$W" || exit 99
# the teardown stops apsim, which ends every blocked write; kill what is left
it_at_exit 'for f in "$W"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done'

uuid() {
	printf '4b0c6f3e-8d1a-4c8e-9d2f-%012x' "$1"
}

made=0
i=0
while [ "$i" -lt "$N" ]; do
	U=$(uuid "$i")
	echo "$U" >"$T/create" && it_ctl attach "$U" --vm "storm$i" && made=$((made + 1))
	i=$((i + 1))
done
it_eq "$N mdevs created and attached" "$N" "$made"

# every remover in the background, bounded in time, its status in a file
i=0
while [ "$i" -lt "$N" ]; do
	U=$(uuid "$i")
	(
		timeout 120 sh -c "echo 1 > '$M/$U/remove'"
		echo $? >"$W/$i.rc"
	) &
	echo $! >"$W/$i.pid"
	i=$((i + 1))
done

# wait (at most 30 s) until every removal has begun; a control file that
# does not answer within 10 s ends the wait and the test
ctl_t() {
	timeout 10 "$APSIM" ctl --root "$IT_ROOT" "$@"
}
waited=0
while [ "$waited" -lt 300 ]; do
	out=$(ctl_t status) || break
	[ "$(printf '%s\n' "$out" | grep -c 'state=removing')" -ge "$N" ] && break
	sleep 0.1
	waited=$((waited + 1))
done
sleep 0.5

out=$(ctl_t status 2>&1)
answers=$?
it_rc "ctl status answers while $N removals wait" 0 "$answers"
it_eq "every mdev is being removed" "$N" "$(printf '%s\n' "$out" | grep -c 'state=removing')"
out=$(timeout 10 cat "$IT_ROOT/sys/bus/ap/apmask" 2>&1)
it_rc "the tree answers while $N removals wait" 0 $?

detached=0
i=0
while [ "$answers" -eq 0 ] && [ "$i" -lt "$N" ]; do
	ctl_t detach "$(uuid "$i")" || break
	detached=$((detached + 1))
	i=$((i + 1))
done
it_eq "every detach succeeds" "$N" "$detached"
if [ "$detached" -ne "$N" ]; then
	it_done
	exit 1	# the teardown stops apsim, which ends the blocked removers
fi

# every remover ends (timeout 120 bounds each), with exit status 0
ok=0
i=0
while [ "$i" -lt "$N" ]; do
	wait "$(cat "$W/$i.pid")" 2>/dev/null
	[ "$(cat "$W/$i.rc" 2>/dev/null)" = 0 ] && ok=$((ok + 1))
	i=$((i + 1))
done
it_eq "every remover finished with success" "$N" "$ok"
it_eq "no mdev is left" "" "$(ctl_t status | grep '^mdev')"
it_eq "the matrix directory holds no mdev" "" "$(ls "$M" | grep -e '-')"
it_done
