# SPDX-License-Identifier: GPL-2.0
# lib.sh - shared helpers of the integration tests (sourced, POSIX sh).
#
#   it_need TOOL...                 skip (77) unless every TOOL is found
#   it_need_root WHY                skip (77) unless run as root
#   it_setup_tmp                    make the temporary directory $IT_TMP
#                                   (mode 0755, so other users may traverse
#                                   it) and install the EXIT trap
#   it_at_exit COMMAND              run COMMAND (eval) first at teardown
#   it_start_apsim [apsim start options]  start apsim in a fresh temporary
#                                   root $IT_ROOT (sysfs at $IT_ROOT/sys);
#                                   the EXIT trap stops it and fails the
#                                   test if a mount is left behind
#   it_ctl WORDS...                 apsim ctl --root $IT_ROOT WORDS...
#   it_ok NAME / it_fail NAME WHY   one TAP-ish result line
#   it_eq NAME EXPECTED ACTUAL      exact text comparison
#   it_run NAME RC TEXT COMMAND...  COMMAND exits with RC and its stderr
#                                   (last newline dropped) is exactly TEXT
#   it_run_all NAME RC TEXT COMMAND...  the same for stdout and stderr
#   it_done                         "N passed, M failed"; exit status
#   it_run_cap VAR CMD...           stdout into $VAR, stderr into $VAR_err,
#                                   exit status into $VAR_rc
#   it_need_mdevctl_namespace       mdevctl, root and unshare, or skip/fail
#   it_apvirt_roots                 after it_start_apsim: SYS, MX, ETC, RUN,
#                                   LOG for libapvirt, exported as its roots
#
# The caller sets APSIM (the apsim binary) before it_start_apsim.

# UUIDs the tests give their mdevs.
U1=11111111-1111-4111-8111-111111111111
U2=22222222-2222-4222-8222-222222222222
U3=33333333-3333-4333-8333-333333333333
U4=44444444-4444-4444-8444-444444444444

IT_PASS=0
IT_FAIL=0
IT_N=0
IT_TMP=${IT_TMP:-}
IT_ROOT=${IT_ROOT:-}
IT_AT_EXIT=

it_ok() {
	IT_N=$((IT_N + 1))
	IT_PASS=$((IT_PASS + 1))
	printf 'ok %s - %s\n' "$IT_N" "$1"
}

it_fail() {
	IT_N=$((IT_N + 1))
	IT_FAIL=$((IT_FAIL + 1))
	printf 'not ok %s - %s: %s\n' "$IT_N" "$1" "$2"
}

# Show text with visible newlines, shortened, for a diagnostic.  (printf,
# never echo: dash's echo expands backslash escapes.)
it_show() {
	printf '%s' "$1" | awk 'BEGIN { ORS = "" } { if (NR > 1) print "\\n"; print } END { }' |
		cut -c1-400
}

it_eq() {
	if [ "$2" = "$3" ]; then
		it_ok "$1"
	else
		it_fail "$1" "expected \"$(it_show "$2")\" got \"$(it_show "$3")\""
	fi
}

# it_rc NAME EXPECTED ACTUAL
it_rc() {
	if [ "$2" -eq "$3" ]; then
		it_ok "$1"
	else
		it_fail "$1" "expected exit status $2 got $3"
	fi
}

# _it_status NAME RC TEXT "OUTPUTx$?": check one captured run
_it_status() {
	_got=${4##*x}
	_out=${4%x*}
	_out=${_out%
}
	if [ "$_got" -ne "$2" ]; then
		it_fail "$1" "expected exit status $2 got $_got (output \"$(it_show "$_out")\")"
	else
		it_eq "$1" "$3" "$_out"
	fi
}

it_run() {
	_n=$1 _r=$2 _t=$3
	shift 3
	_it_status "$_n" "$_r" "$_t" "$("$@" 2>&1 >/dev/null; echo "x$?")"
}

it_run_all() {
	_n=$1 _r=$2 _t=$3
	shift 3
	_it_status "$_n" "$_r" "$_t" "$("$@" 2>&1; echo "x$?")"
}

it_done() {
	echo "1..$IT_N"
	echo "$IT_PASS passed, $IT_FAIL failed"
	[ "$IT_FAIL" -eq 0 ]
}

it_ctl() {
	"$APSIM" ctl --root "$IT_ROOT" "$@"
}

# it_ctl_case NAME EXPECTED_RC EXPECTED_STDERR WORDS...: "apsim ctl" exactly
it_ctl_case() {
	_name=$1 _rc=$2 _want=$3
	shift 3
	it_run "$_name" "$_rc" "$_want" timeout 10 "$APSIM" ctl --root "$IT_ROOT" "$@"
}

# it_ctl_batch: one control command per line of stdin, each in its own
# write(2) on one descriptor of the ctl file; prints "FAILED <line>" for
# each failed command
it_ctl_batch() {
	timeout 120 bash -c 'exec 3<>"$1"
		while IFS= read -r l; do
			printf "%s\n" "$l" >&3 2>/dev/null || echo "FAILED $l"
		done' _ "$IT_ROOT/sys/kernel/debug/ap_sim/ctl"
}

# Is anything mounted at or below $1?
it_mounted_below() {
	awk -v p="$1" '$2 == p || index($2, p "/") == 1 { found = 1 } END { exit !found }' \
		/proc/mounts
}

# shellcheck disable=SC2317  # reached through the EXIT trap
it_teardown() {
	rc=$?
	trap - EXIT HUP INT TERM PIPE
	[ -z "$IT_AT_EXIT" ] || eval "$IT_AT_EXIT"
	if [ -n "$IT_ROOT" ] && [ -d "$IT_ROOT" ]; then
		"$APSIM" stop --root "$IT_ROOT" >/dev/null 2>&1 ||
			echo "# apsim stop --root $IT_ROOT failed" >&2
	fi
	if [ -n "$IT_TMP" ]; then
		if it_mounted_below "$IT_TMP"; then
			echo "not ok - teardown: a mount is left below $IT_TMP; forcing it off"
			awk -v p="$IT_TMP" 'index($2, p "/") == 1 { print $2 }' /proc/mounts |
			while read -r mnt; do
				fusermount3 -u -z "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null
			done
			rc=1
		fi
		rm -rf "$IT_TMP"
	fi
	exit "$rc"
}

it_at_exit() {
	IT_AT_EXIT="$IT_AT_EXIT
$1"
}

it_need() {
	for _tool in "$@"; do
		if ! command -v "$_tool" >/dev/null 2>&1; then
			echo "1..0 # SKIP $_tool is not available"
			exit 77
		fi
	done
}

it_need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "1..0 # SKIP needs root ($1)"
		exit 77
	fi
}

it_need_fuse() {
	if [ ! -c /dev/fuse ] || ! command -v fusermount3 >/dev/null 2>&1; then
		echo "1..0 # SKIP /dev/fuse or fusermount3 is not available"
		exit 77
	fi
	if [ ! -x "$APSIM" ]; then
		echo "$APSIM: not built" >&2
		exit 99
	fi
}

it_setup_tmp() {
	IT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/apvirt-it.XXXXXX") || exit 99
	trap it_teardown EXIT
	trap 'exit 130' HUP INT TERM PIPE
	chmod 0755 "$IT_TMP" || exit 99
}

it_start_apsim() {
	it_need_fuse
	[ -n "$IT_TMP" ] || it_setup_tmp
	IT_ROOT=$IT_TMP/root
	mkdir -m 0755 "$IT_ROOT" || exit 99
	if ! "$APSIM" start --root "$IT_ROOT" "$@"; then
		echo "apsim start failed" >&2
		cat "$IT_ROOT/apsim.log" >&2 2>/dev/null
		exit 99
	fi
}

# it_run_cap VAR CMD...: stdout (trailing newlines kept) into $VAR, stderr
# into $VAR_err, exit status into $VAR_rc.  Needs $IT_TMP.
it_run_cap() {
	_var=$1
	shift
	_out=$("$@" 2>"$IT_TMP/stderr"; _rc=$?; echo x; exit $_rc)
	_rc=$?
	eval "$_var=\${_out%x}"
	eval "${_var}_rc=$_rc"
	_err=$(cat "$IT_TMP/stderr"; echo x)
	eval "${_var}_err=\${_err%x}"
}

# it_need_mdevctl_namespace: what a test that runs Debian's mdevctl in a
# private mount namespace needs.  MDEVCTL as configure found it: unset (a
# manual run) is looked up in PATH, set but empty is a skip, set but not
# executable a failure; then root and unshare (else a skip).  Prints the
# mdevctl version as a TAP comment.
it_need_mdevctl_namespace() {
	if [ -z "${MDEVCTL+set}" ]; then
		MDEVCTL=$(command -v mdevctl || echo /usr/sbin/mdevctl)
	elif [ -z "$MDEVCTL" ]; then
		echo "1..0 # SKIP configure found no mdevctl"
		exit 77
	fi
	if [ ! -x "$MDEVCTL" ]; then
		echo "not ok 1 - mdevctl: $MDEVCTL is not executable (configure found it)"
		echo "1..1"
		echo "0 passed, 1 failed"
		exit 1
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "1..0 # SKIP needs root for unshare -m"
		exit 77
	fi
	if ! command -v unshare >/dev/null 2>&1; then
		echo "1..0 # SKIP unshare is not available"
		exit 77
	fi
	echo "# $("$MDEVCTL" --version 2>&1)"
}

# it_apvirt_roots: the roots libapvirt is pointed at (apsim's sysfs, etc
# and run below $IT_TMP) and an audit log, exported as the environment
# that wins over apvirt.conf.
it_apvirt_roots() {
	SYS=$IT_ROOT/sys
	MX=$SYS/devices/vfio_ap/matrix
	ETC=$IT_TMP/etc
	RUN=$IT_TMP/run
	LOG=$IT_TMP/audit.log
	mkdir -p "$ETC/apvirt" "$RUN" || exit 99
	APVIRT_SYSFS_ROOT=$SYS APVIRT_ETC_ROOT=$ETC APVIRT_RUN_ROOT=$RUN
	export APVIRT_SYSFS_ROOT APVIRT_ETC_ROOT APVIRT_RUN_ROOT
}
