#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# root-safety.sh - what apsim (run as root) does with a --root it cannot
# trust, and whom "apsim stop" signals.
#
#  - a root writable by group or others, or owned by another user, is
#    refused by start and stop with a clear message, and nothing in it is
#    created or followed;
#  - apsim.log, apsim.pid or sys planted as symbolic links are refused and
#    their targets stay untouched (no log appended, no mount over them);
#  - stop unmounts only apsim's own mount at exactly DIR/sys: a file
#    system mounted on top of it stays;
#  - stop with a stale pid file naming an unrelated process (even one
#    whose command line says "apsim") signals nobody.
#
# Environment: APSIM (default ./sim/apsim).  Needs root and /dev/fuse.
# Output: TAP, then "N passed, M failed".

set -u

APSIM=${APSIM:-$PWD/sim/apsim}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$HERE/lib.sh"

it_need_root "chown, mount"
it_need bash
it_need_fuse
it_setup_tmp
T=$IT_TMP

# run NAME EXPECTED_RC EXPECTED_STDERR apsim-args...: exact status and stderr
run() {
	_name=$1 _rc=$2 _want=$3
	shift 3
	it_run "$_name" "$_rc" "$_want" timeout 30 "$APSIM" "$@"
}

# nothing_mounted NAME DIR: no mount at or below DIR
nothing_mounted() {
	if it_mounted_below "$2"; then
		it_fail "$1" "something is mounted at or below $2"
	else
		it_ok "$1"
	fi
}

# ---- roots writable by others, or not ours ----------------------------------

for mode in 0777 1777 0775 0757; do
	R=$T/root-$mode
	mkdir "$R" && chmod "$mode" "$R"
	run "start refuses a root of mode $mode" 1 \
		"apsim: $R: writable by group or others (mode $mode); refusing it as --root" \
		start --root "$R"
	it_eq "root of mode $mode: nothing created in it" "" "$(ls -A "$R")"
	nothing_mounted "root of mode $mode: nothing mounted" "$R"
done
run "stop refuses a world-writable root" 1 \
	"apsim: $T/root-0777: writable by group or others (mode 0777); refusing it as --root" \
	stop --root "$T/root-0777"

R=$T/root-nobody
mkdir -m 0755 "$R" && chown 65534 "$R"
run "start refuses a root owned by another user" 1 \
	"apsim: $R: owned by uid 65534, not by the caller (uid 0); refusing it as --root" \
	start --root "$R"
it_eq "root owned by another user: nothing created in it" "" "$(ls -A "$R")"

# ---- planted symbolic links -------------------------------------------------

# planted ENTRY: DIR/ENTRY links to an existing file: refused, file untouched
planted() {
	printf 'victim\n' >"$T/victim-$1"
	R=$T/root-$1
	mkdir -m 0755 "$R" && ln -s "$T/victim-$1" "$R/$1"
	run "start refuses a symlinked $1" 1 \
		"apsim: $R/$1: is a symbolic link; refusing to follow it" start --root "$R"
	it_eq "symlinked $1: its target is untouched" "victim" "$(cat "$T/victim-$1")"
	nothing_mounted "symlinked $1: nothing mounted" "$R"
}
planted apsim.log
planted apsim.pid

R=$T/root-dangling
mkdir -m 0755 "$R" && ln -s "$T/created.log" "$R/apsim.log"
run "start refuses a dangling symlinked apsim.log" 1 \
	"apsim: $R/apsim.log: is a symbolic link; refusing to follow it" start --root "$R"
if [ -e "$T/created.log" ]; then
	it_fail "dangling apsim.log: its target is not created" "$T/created.log exists"
else
	it_ok "dangling apsim.log: its target is not created"
fi

mkdir -m 0755 "$T/victim-dir"
R=$T/root-sys
mkdir -m 0755 "$R" && ln -s "$T/victim-dir" "$R/sys"
run "start refuses a symlinked sys" 1 \
	"apsim: $R/sys: is a symbolic link; refusing to follow it" start --root "$R"
nothing_mounted "symlinked sys: nothing mounted over its target" "$T/victim-dir"
it_eq "symlinked sys: no log written" "" "$(cat "$R/apsim.log" 2>/dev/null)"

# stop with a stale pid file and sys pointing at someone else's mount
mkdir -m 0755 "$T/victim-mnt"
if mount -t tmpfs -o size=1m apsim-victim "$T/victim-mnt"; then
	it_at_exit "umount -l '$T/victim-mnt' 2>/dev/null"
	R=$T/root-stale-sys
	mkdir -m 0755 "$R" && ln -s "$T/victim-mnt" "$R/sys" && echo 1 >"$R/apsim.pid"
	run "stop with sys linked to another mount: not running" 1 \
		"apsim: $R: not running" stop --root "$R"
	if awk -v p="$T/victim-mnt" '$2 == p { f = 1 } END { exit !f }' /proc/mounts; then
		it_ok "stop leaves the mount that sys links to"
	else
		it_fail "stop leaves the mount that sys links to" "$T/victim-mnt was unmounted"
	fi
else
	it_fail "mount a tmpfs victim" "mount -t tmpfs failed"
fi

# ---- stop unmounts only apsim's own mount -----------------------------------

R=$T/root-stacked
mkdir -m 0755 "$R"
if timeout 30 "$APSIM" start --root "$R"; then
	IT_ROOT=$R	# the teardown stops it
	if mount -t tmpfs -o size=1m apsim-stacked "$R/sys"; then
		echo marker >"$R/sys/marker"
		it_at_exit "umount -l '$R/sys' 2>/dev/null"
		run "stop with another file system on top of sys" 1 \
			"apsim: $R/sys: the file system on top is not apsim's; leaving it mounted" \
			stop --root "$R"
		it_eq "the file system on top of sys stays mounted" "marker" \
			"$(cat "$R/sys/marker" 2>/dev/null)"
		umount "$R/sys"
		run "stop again, with the other file system gone" 0 \
			"apsim: removed the stale mount at $R/sys" stop --root "$R"
		nothing_mounted "nothing left mounted at sys" "$R"
	else
		it_fail "stack a tmpfs on sys" "mount -t tmpfs failed"
	fi
else
	it_fail "start apsim in a safe root" "apsim start failed"
fi

# ---- stale pid files --------------------------------------------------------

bash -c 'exec -a apsim-fake sleep 60' &
FAKE=$!
it_at_exit "kill $FAKE 2>/dev/null"
sleep 0.2
it_eq "the fake process' command line names apsim" "apsim-fake" \
	"$(tr '\0' ' ' </proc/$FAKE/cmdline | cut -d' ' -f1)"
R=$T/root-stale
mkdir -m 0755 "$R" "$R/sys" && echo "$FAKE" >"$R/apsim.pid"
run "stop with a stale pid file: not running" 1 "apsim: $R: not running" stop --root "$R"
if kill -0 "$FAKE" 2>/dev/null; then
	it_ok "stop with a stale pid file signals nobody"
else
	it_fail "stop with a stale pid file signals nobody" "pid $FAKE ($(cat /proc/$FAKE/cmdline 2>/dev/null)) is gone"
fi
echo "$FAKE" >"$R/apsim.pid"
if timeout 30 "$APSIM" start --root "$R" 2>"$T/start.err"; then
	it_ok "start with a stale pid file"
	DPID=$(cat "$R/apsim.pid")
	if [ "$DPID" != "$FAKE" ] && kill -0 "$DPID" 2>/dev/null; then
		it_ok "the pid file names the new daemon"
	else
		it_fail "the pid file names the new daemon" "it says \"$DPID\""
	fi
	run "stop the daemon" 0 "" stop --root "$R"
	nothing_mounted "stopped: nothing mounted" "$R"
else
	it_fail "start with a stale pid file" "$(cat "$T/start.err")"
fi
if kill -0 "$FAKE" 2>/dev/null; then
	it_ok "the fake process survived start and stop"
else
	it_fail "the fake process survived start and stop" "pid $FAKE is gone"
fi
it_done
