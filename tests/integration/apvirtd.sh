#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# apvirtd.sh - apvirtd without a libvirtd: its options, and a libvirt it
# cannot reach: it logs each attempt with the next backoff wait (250 ms,
# doubled), keeps running, and exits 0 on SIGTERM.  Every wait is
# bounded; no wall-clock assertion.  Environment: APVIRTD.  Output: TAP.
set -u
APVIRTD=${APVIRTD:-$PWD/libvirt-hooks/apvirtd}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$HERE/lib.sh"
it_need timeout
it_setup_tmp
# Its own empty configuration, whatever the machine has in /etc/apvirt.
APVIRT_ETC_ROOT=$IT_TMP/etc APVIRT_RUN_ROOT=$IT_TMP/run APVIRT_SYSFS_ROOT=$IT_TMP/sys
export APVIRT_ETC_ROOT APVIRT_RUN_ROOT APVIRT_SYSFS_ROOT
mkdir -p "$APVIRT_ETC_ROOT" "$APVIRT_RUN_ROOT" "$APVIRT_SYSFS_ROOT" || exit 99
VERSION=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "${BUILDDIR:-$PWD}/config.h")

it_run_all "--version" 0 "apvirtd $VERSION" timeout 10 "$APVIRTD" --version
it_eq "--help: the usage line" "Usage: apvirtd [--foreground] [-c URI]" \
	"$(timeout 10 "$APVIRTD" --help | head -n 1)"
it_run "an argument: exit 2" 2 "apvirtd: unexpected argument 'extra'" timeout 10 "$APVIRTD" extra

URI="qemu+unix:///system?socket=$IT_TMP/no-libvirtd.sock"
NOSOCK="cannot connect to libvirt: Failed to connect socket to '$IT_TMP/no-libvirtd.sock': No such file or directory"
LOGF=$IT_TMP/apvirtd.log
"$APVIRTD" --foreground -c "$URI" 2>"$LOGF" &
PID=$!
it_at_exit "kill -KILL $PID 2>/dev/null"
for _ in $(seq 1 300); do
	[ "$(grep -c 'retrying' "$LOGF")" -ge 3 ] && break
	sleep 0.1
done
kill -TERM "$PID"
wait "$PID"
it_eq "unreachable libvirt, SIGTERM: exit status 0" "0" "$?"
it_eq "unreachable libvirt: each attempt logged with the next wait, doubling" \
	"apvirtd: starting ($URI)
apvirtd: $NOSOCK; retrying in 250 ms
apvirtd: $NOSOCK; retrying in 500 ms
apvirtd: $NOSOCK; retrying in 1000 ms" "$(head -n 4 "$LOGF")"
it_eq "SIGTERM: the last line" "apvirtd: stopping on signal 15" "$(tail -n 1 "$LOGF")"
it_done
