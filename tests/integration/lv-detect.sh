#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lv-detect.sh - scripts/libvirt-env.sh's lv_daemon_pid, which
# tests/e2e/libvirt.sh, the demo and bench/libvirt.sh use to find a
# libvirtd they did not start: a PID file counts only if its process is
# that daemon.  A stale file whose PID a process reused used to make the
# e2e test skip (a CI failure).  PID files in a directory of the test's
# own (LV_PIDDIR); the "daemon" is sleep(1) copied under the daemon's
# name, so its /proc comm is that name.  No root, no FUSE.
#
# Output: TAP.

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$HERE/lib.sh"
# shellcheck source=scripts/libvirt-env.sh
. "$HERE/../../scripts/libvirt-env.sh"

it_setup_tmp
LV_PIDDIR=$IT_TMP/run
mkdir -p "$LV_PIDDIR" || exit 99
cp "$(command -v sleep)" "$IT_TMP/libvirtd" || exit 99

sleep 60 &
other=$!
"$IT_TMP/libvirtd" 60 &
daemon=$!
it_at_exit 'kill "$other" "$daemon" 2>/dev/null'
# Wait (bounded) until the copy runs under its name.
i=0
while [ "$(cat "/proc/$daemon/comm" 2>/dev/null)" != libvirtd ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done

it_eq "no PID file: no daemon" "" "$(lv_daemon_pid libvirtd)"
echo "$other" > "$LV_PIDDIR/libvirtd.pid"
it_eq "stale PID file, its PID reused by another program: no daemon" "" "$(lv_daemon_pid libvirtd)"
echo "$daemon" > "$LV_PIDDIR/libvirtd.pid"
it_eq "PID file naming a libvirtd: its PID" "$daemon" "$(lv_daemon_pid libvirtd)"
it_eq "the same file asked for virtlogd: no daemon" "" "$(lv_daemon_pid virtlogd)"
echo "12ab" > "$LV_PIDDIR/libvirtd.pid"
it_eq "PID file that is not a number: no daemon" "" "$(lv_daemon_pid libvirtd)"
kill "$daemon"
wait "$daemon" 2>/dev/null
echo "$daemon" > "$LV_PIDDIR/libvirtd.pid"
it_eq "PID file of a dead daemon: no daemon" "" "$(lv_daemon_pid libvirtd)"

it_done
