#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/libvirt.sh - what apvirt costs around a real libvirtd, against
# apsim, with a QEMU TCG guest running (scripts/libvirt-env.sh sets them
# up and takes them down):
#
#   baseline  a bare "virsh metadata --live --set" of a namespace apvirt
#             does not use: one virsh process, one libvirtd round trip;
#             one before every run of (a), (b) and (c), so that a change
#             of the machine's load during the run hits both sides
#   (a)       "apvirt attach-device --live" and "apvirt detach-device
#             --live" of adapter 0x06, in pairs, on the running guest, end
#             to end (the process, libvirt, validation, the sysfs write;
#             apvirtd is not running yet)
#   (b)       apvirtd: from the start of a "virsh metadata --live --set"
#             of the guest's apvirt metadata until the mdev's matrix in
#             sysfs shows it, polled in a tight loop (adding and removing
#             adapter 0x06 in turn)
#   (c)       the QEMU hook's "prepare begin", run directly with a domain
#             XML on stdin as libvirtd runs it: with apvirt metadata (it
#             creates and configures a managed mdev; a "release end",
#             not timed, removes it again) and without (a domain that is
#             not apvirt's)
#
# Each figure is the median over --runs N runs (default 50), in ms and as
# a ratio to the median of the baseline runs interleaved with it.  Figures only: no time
# is asserted; a command that fails ends the benchmark (exit 1).  The
# build's libtool wrappers are resolved to the real binaries first, so no
# wrapper script is timed.  Needs root; takes the machine-wide libvirtd
# lock and refuses to run beside a libvirtd it did not start.
#
# Environment: APSIM, APVIRT, APVIRT_HOOK, APVIRTD (default: the build
# tree below $PWD), LIBTOOL (default ./libtool), APVIRT_LIBVIRTD_LOCK.

set -u
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
RUNS=50
VM=bench-guest
HOOKVM=bench-hook
UUID=9a1e7c44-2b6d-4f0e-8c3a-5d7f1b2e4c60
HOOK_UUID=9a1e7c44-2b6d-4f0e-8c3a-5d7f1b2e4c61
BASE_NS=http://apvirt.org/xmlns/bench/1.0

usage() {
	echo "Usage: $0 [--runs N]   (N >= 5, default 50)"
	exit "$1"
}
while [ $# -gt 0 ]; do
	case $1 in
	--runs) [ $# -ge 2 ] || usage 2; RUNS=$2; shift 2 ;;
	--runs=*) RUNS=${1#--runs=}; shift ;;
	-h|--help) usage 0 ;;
	*) echo "bench-libvirt: unknown argument '$1'" >&2; usage 2 ;;
	esac
done
case $RUNS in ''|*[!0-9]*) echo "bench-libvirt: --runs '$RUNS' is not a number" >&2; exit 2 ;; esac
[ "$RUNS" -ge 5 ] && [ "$RUNS" -le 100000 ] ||
	{ echo "bench-libvirt: --runs must be 5..100000" >&2; exit 2; }

# shellcheck source=scripts/libvirt-env.sh
. "$HERE/../scripts/libvirt-env.sh"
lv_init bench-libvirt
trap 'lv_cleanup || { echo "bench-libvirt: cleanup: something could not be undone" >&2; exit 1; }' EXIT
trap 'exit 130' INT TERM HUP PIPE

die() {
	echo "bench-libvirt: $*" >&2
	exit 1
}

# A libtool wrapper runs a shell before the program: time the program.
LIBTOOL=${LIBTOOL:-$PWD/libtool}
unwrap() {	# VAR
	local p=${!1} real

	grep -q 'libtool' "$p" 2>/dev/null || return 0
	[ -x "$LIBTOOL" ] || die "$p is a libtool wrapper and $LIBTOOL is missing (set LIBTOOL)"
	real=$("$LIBTOOL" --mode=execute echo "$p") || die "cannot resolve $p"
	# shellcheck disable=SC2016  # expanded by the inner sh
	LD_LIBRARY_PATH=$("$LIBTOOL" --mode=execute sh -c 'echo "$LD_LIBRARY_PATH"' "$p")
	export LD_LIBRARY_PATH
	printf -v "$1" '%s' "$real"
}
unwrap APVIRT
unwrap APVIRT_HOOK
unwrap APVIRTD

lv_lock
START=$SECONDS
lv_start_apsim
lv_install_etc
apvirt host release --adapter 0x05-0x06 --domain 0x0004-0x0007 >/dev/null || die "apvirt host release failed"
lv_start_daemons
virsh dominfo $VM >/dev/null 2>&1 && die "libvirt already has a domain named $VM; it is left alone"
lv_domain_xml $VM $UUID '<ap:adapter id="0x05"/><ap:domain id="0x0004"/>' > "$LV_TMP/$VM.xml"
virsh define "$LV_TMP/$VM.xml" >/dev/null || die "virsh define failed"
lv_add_domain $VM
virsh start $VM >/dev/null || die "virsh start failed"
lv_attach $UUID $VM || die "apsim ctl attach failed"
MATRIX=$MX/$UUID/matrix
[ "$(cat "$MATRIX")" = 05.0004 ] || die "the hook did not configure mdev $UUID"

# ---- timing: integer microseconds from $EPOCHREALTIME, medians in ms ----
now() { printf -v "$1" '%s' "${EPOCHREALTIME/[.,]/}"; }
median_ms() {	# SAMPLE-US...
	printf '%s\n' "$@" | sort -n |
		awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m / 1000 }'
}
report() {	# NAME MEDIAN-MS BASELINE-MEDIAN-MS
	printf '  %-50s %9s ms  %6s x baseline (%s ms)\n' "$1" "$2" \
		"$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", a / b }')" "$3"
}

echo "bench-libvirt: $RUNS runs each, medians; QEMU TCG guest $VM, apsim, $(libvirtd --version)"

# ---- baseline: a bare virsh metadata --live round trip ----
# baseline ARRAY: one sample into ARRAY (apvirtd ignores this namespace)
nb=0
baseline() {
	local t0 t1

	now t0
	virsh metadata $VM --live --uri $BASE_NS --key bench --set "<ping n=\"$((nb++))\"/>" >/dev/null ||
		die "virsh metadata --live failed"
	now t1
	eval "$1+=($((t1 - t0)))"
}

# ---- (a) apvirt attach-device --live / detach-device --live ----
printf '<ap:adapter xmlns:ap="%s" id="0x06"/>\n' "$LV_NS" > "$LV_TMP/a6.xml"
att=() det=() base_a=()
for ((i = 0; i < RUNS; i++)); do
	baseline base_a
	now t0
	apvirt attach-device $VM "$LV_TMP/a6.xml" --live >/dev/null || die "apvirt attach-device failed"
	now t1
	apvirt detach-device $VM "$LV_TMP/a6.xml" --live >/dev/null || die "apvirt detach-device failed"
	now t2
	att+=($((t1 - t0)))
	det+=($((t2 - t1)))
	[ "$i" -gt 0 ] || [ "$(cat "$MATRIX")" = 05.0004 ] || die "detach-device left $(cat "$MATRIX")"
done
BASE=$(median_ms "${base_a[@]}")
report "(a) apvirt attach-device --live" "$(median_ms "${att[@]}")" "$BASE"
report "(a) apvirt detach-device --live" "$(median_ms "${det[@]}")" "$BASE"

# ---- (b) apvirtd: virsh metadata --live until sysfs shows the matrix ----
lv_start_apvirtd
setmeta() {	# IDS-XML
	virsh metadata $VM --live --uri "$LV_NS" --key ap \
		--set "<matrix mdev=\"$UUID\" lifecycle=\"managed\">$1</matrix>" >/dev/null
}
# wait_matrix WANT: spin on the attribute (no sleep); 1 after 30 s
wait_matrix() {
	local m n=0 start end

	now start
	while :; do
		read -r -d '' m < "$MATRIX"
		[ "$m" = "$1" ] && return 0
		if [ $((++n % 1000)) -eq 0 ]; then
			now end
			[ $((end - start)) -lt 30000000 ] || return 1
		fi
	done
}
M56=$'05.0004\n06.0004'
agent=() base_b=()
for ((i = 0; i < RUNS; i++)); do
	baseline base_b
	if ((i % 2)); then
		ids='<adapter id="0x05"/><domain id="0x0004"/>' want=05.0004
	else
		ids='<adapter id="0x05"/><adapter id="0x06"/><domain id="0x0004"/>' want=$M56
	fi
	now t0
	setmeta "$ids" &
	vpid=$!
	wait_matrix "$want" || { cat "$LV_ALOG" >&2; die "apvirtd did not apply the metadata within 30 s"; }
	now t1
	wait "$vpid" || die "virsh metadata --live (apvirt namespace) failed"
	agent+=($((t1 - t0)))
done
report "(b) apvirtd: virsh metadata --live to sysfs" "$(median_ms "${agent[@]}")" \
	"$(median_ms "${base_b[@]}")"
# Back to adapter 0x05 only (an even RUNS ends there already).
if [ "$(cat "$MATRIX")" != 05.0004 ]; then
	setmeta '<adapter id="0x05"/><domain id="0x0004"/>' && wait_matrix 05.0004 || die "cannot restore $VM's matrix"
fi
lv_stop_pid "$LV_APVIRTD_PID" apvirtd
LV_APVIRTD_PID=
grep -q 'refused' "$LV_ALOG" && { cat "$LV_ALOG" >&2; die "apvirtd refused an edit"; }

# ---- (c) the hook's prepare, with and without apvirt metadata ----
lv_domain_xml $HOOKVM $HOOK_UUID '<ap:adapter id="0x03"/><ap:domain id="0x0006"/>' > "$LV_TMP/hook.xml"
sed '/<metadata>/,/<\/metadata>/d' "$LV_TMP/hook.xml" > "$LV_TMP/plain.xml"
hook() {	# XML OP SUBOP
	timeout 60 "$APVIRT_HOOK" $HOOKVM "$2" "$3" - < "$1"
}
with=() without=() base_c=()
for ((i = 0; i < RUNS; i++)); do
	baseline base_c
	now t0
	hook "$LV_TMP/hook.xml" prepare begin || die "hook prepare (apvirt metadata) failed"
	now t1
	[ "$i" -gt 0 ] || [ "$(cat "$MX/$HOOK_UUID/matrix")" = 03.0006 ] ||
		die "hook prepare did not configure mdev $HOOK_UUID"
	hook "$LV_TMP/hook.xml" release end || die "hook release failed"
	[ ! -e "$MX/$HOOK_UUID" ] || die "hook release left mdev $HOOK_UUID"
	now t2
	hook "$LV_TMP/plain.xml" prepare begin || die "hook prepare (no apvirt metadata) failed"
	now t3
	with+=($((t1 - t0)))
	without+=($((t3 - t2)))
done
BASE=$(median_ms "${base_c[@]}")
report "(c) hook prepare, apvirt metadata (creates mdev)" "$(median_ms "${with[@]}")" "$BASE"
report "(c) hook prepare, no apvirt metadata" "$(median_ms "${without[@]}")" "$BASE"
printf '  %-50s %9s ms\n' "baseline: virsh metadata --live, all $nb runs" \
	"$(median_ms "${base_a[@]}" "${base_b[@]}" "${base_c[@]}")"
echo "bench-libvirt: $((SECONDS - START)) s after taking the libvirtd lock (before cleanup)"
