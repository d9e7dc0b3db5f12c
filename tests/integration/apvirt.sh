#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# apvirt.sh - the apvirt CLI and libapvirt against a real apsim mount:
# every verb with exact text and exit status; conflicts refused before
# anything is written; every write of an ordered change failed in turn
# (apsim ctl fail) and a process killed after every write (the
# APVIRT_TEST_CRASH_AFTER_WRITE hook), each leaving sysfs and the mdevctl
# profile byte-identical to before; the s390 lock against a live foreign
# holder and stale locks.
#
# Environment: APSIM, APVIRT (the binaries; default ./sim/apsim,
# ./tools/apvirt).  Output: TAP-ish lines, then "N passed, M failed".
# Exit status 0, 1 (a failure), 77 (no FUSE: skipped) or 99 (setup).

set -u

APSIM=${APSIM:-$PWD/sim/apsim}
APVIRT=${APVIRT:-$PWD/tools/apvirt}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$HERE/lib.sh"

out='' out_rc='' out_err=''
nl='
'

# Every apvirt run is bounded: a hang fails the test instead of make check.
ap() {
	timeout 60 "$APVIRT" "$@"
}

# APVIRT_IT_KERNEL=6.0 (apvirt-6.0.sh): a kernel without ap_config and
# without the matrix device's features file; every check runs there too,
# with the texts that differ chosen below.
KERNEL=${APVIRT_IT_KERNEL:-7.0}
case $KERNEL in
6.0)	HAS_AP_CONFIG=no
	VFIO_FEATURES=" (no features file: a kernel before 6.12; ap_config is looked for per mdev)" ;;
*)	HAS_AP_CONFIG=yes VFIO_FEATURES=" guest_matrix hotplug ap_config" ;;
esac
echo "# kernel $KERNEL"
it_start_apsim --kernel="$KERNEL"
it_apvirt_roots
unset APVIRT_TEST_CRASH_AFTER_WRITE

conf() {
	printf 'log_file = %s\nlock_timeout = 2\n%s' "$LOG" "${1:-}" > "$ETC/apvirt/apvirt.conf"
}
conf

# ---- host ----
it_run_cap out ap host
it_rc "host: exit status" 0 "$out_rc"
it_eq "host: bus and cards" "max adapter 0xff, max domain 0x00ff
apmask (host adapters): 0x00-0xff
aqmask (host domains):  0x0000-0x00ff
configuration: adapters 0x03-0x06 domains 0x0000-0x000f control-domains 0x0000-0x000f
vfio_ap: loaded$VFIO_FEATURES

CARD  TYPE    MODE   STATE     DRIVER
03    CEX8C   cca    online    cex4card
04    CEX8C   cca    online    cex4card
05    CEX8C   cca    online    cex4card
06    CEX8C   cca    online    cex4card
" "$(printf '%s' "$out" | sed -n '1,12p')$nl"
it_eq "host: 64 queues, all with the host driver" "64" \
	"$(printf '%s' "$out" | grep -c '^0[3-6]\.00[0-9a-f][0-9a-f]  host     -  *online$')"

it_run_cap out ap host release --adapter 0x05-0x06 --domain 0x0004-0x0007
it_rc "host release: exit status" 0 "$out_rc"
it_eq "host release: the two mask writes" "wrote apmask 0xf9ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
wrote aqmask 0xf0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
" "$out"
it_eq "host release: apmask in sysfs" \
	"0xf9ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" "$(cat "$SYS/bus/ap/apmask")"
it_eq "host release: one log line per change" \
	"uid=$(id -u) program=apvirt host masks: apmask 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff aqmask 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff -> apmask 0xf9ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff aqmask 0xf0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" \
	"$(cat "$LOG")"
it_run_cap out ap host
it_eq "host: queue 05.0004 now with vfio_ap" "05.0004  vfio_ap  -                                     unassigned" \
	"$(printf '%s' "$out" | grep '^05\.0004')"
it_run_cap out ap host --json
it_rc "host --json: exit status" 0 "$out_rc"
it_eq "host --json: api level" '  "api_level": 1,' "$(printf '%s' "$out" | grep '"api_level"')"
if [ $HAS_AP_CONFIG = yes ]; then
	caps='    "vfio_features_file": true,
    "ap_config": true'
else
	caps='    "vfio_features_file": false,
    "ap_config": null'
fi
it_eq "host --json: capabilities ($KERNEL)" "$caps" "$(printf '%s' "$out" | grep -A1 '"vfio_features_file"')"
it_eq "host --json: a queue" '          "apqn": "05.0004",
          "driver": "vfio_ap",
          "owner": null,
          "state": "unassigned"' "$(printf '%s' "$out" | grep -A3 '"apqn": "05.0004"')"

# ---- mdev create / set / show / list ----
it_run_cap out ap mdev create "$U1" --define
it_rc "mdev create --define: exit status" 0 "$out_rc"
it_eq "mdev create: prints the UUID" "$U1$nl" "$out"
it_eq "mdev create: the mdev exists" "yes" "$([ -d "$MX/$U1" ] && echo yes)"
it_eq "mdev create --define: logged" "uid=$(id -u) program=apvirt mdev $U1: absent -> created and defined" \
	"$(tail -n 1 "$LOG")"
it_run_cap out ap mdev set "$U1" --adapter 0x05 --domain 4 -C 0x0004
it_rc "mdev set: exit status" 0 "$out_rc"
if [ $HAS_AP_CONFIG = yes ]; then
	writes="wrote ap_config 0x0400000000000000000000000000000000000000000000000000000000000000,0x0800000000000000000000000000000000000000000000000000000000000000,0x0800000000000000000000000000000000000000000000000000000000000000"
else
	writes="wrote assign_adapter 0x05
wrote assign_domain 0x0004
wrote assign_control_domain 0x0004"
fi
it_eq "mdev set: the writes ($KERNEL), profile, outcome" "$writes
updated the mdevctl profile
mdev:       $U1
state:      active,defined
profile:    start manual
defined:    adapters 0x05 domains 0x0004 control-domains 0x0004
configured: adapters 0x05 domains 0x0004 control-domains 0x0004
effective:  adapters 0x05 domains 0x0004 control-domains 0x0004
filtered:   none
" "$out"
it_eq "mdev set: the profile" '{
  "mdev_type": "vfio_ap-passthrough",
  "start": "manual",
  "attrs": [
    {
      "assign_adapter": "0x05"
    },
    {
      "assign_domain": "0x0004"
    },
    {
      "assign_control_domain": "0x0004"
    }
  ]
}' "$(cat "$ETC/mdevctl.d/matrix/$U1")"
it_eq "mdev set: logged before -> after" \
	"uid=$(id -u) program=apvirt mdev $U1 set: adapters - domains - control-domains - -> adapters 0x05 domains 0x0004 control-domains 0x0004" \
	"$(tail -n 1 "$LOG")"

# A configured adapter outside the host configuration is filtered.
it_run_cap out ap mdev set "$U1" --adapter +0x07
it_rc "mdev set +0x07: exit status" 0 "$out_rc"
it_run_cap out ap mdev show "$U1"
it_eq "mdev show: filtered with the reason" "mdev:       $U1
state:      active,defined
profile:    start manual
defined:    adapters 0x05,0x07 domains 0x0004 control-domains 0x0004
configured: adapters 0x05,0x07 domains 0x0004 control-domains 0x0004
effective:  adapters 0x05 domains 0x0004 control-domains 0x0004
filtered:
  adapter 0x07: not in the host's AP configuration
" "$out"
it_run_cap out ap mdev show "$U1" --json
it_eq "mdev show --json: the filtered entry" "        \"kind\": \"adapter\",
        \"id\": 7,
        \"reason\": \"not in the host's AP configuration\"" \
	"$(printf '%s' "$out" | grep -A2 '"kind": "adapter"')"
# A queue unbound from vfio_ap filters its adapter.
printf '05.0004' > "$SYS/bus/ap/drivers/vfio_ap/unbind"
it_run_cap out ap mdev show "$U1"
it_eq "mdev show: unbound queue" "  adapter 0x05: queue not bound to vfio_ap (05.0004 is bound to no driver)" \
	"$(printf '%s' "$out" | grep '^  adapter 0x05')"
printf '05.0004' > "$SYS/bus/ap/drivers/vfio_ap/bind"
it_run_cap out ap mdev set "$U1" --adapter -7
it_rc "mdev set -7: exit status" 0 "$out_rc"

it_run_cap out ap mdev create "$U2"
it_rc "mdev create (no profile): exit status" 0 "$out_rc"
it_run_cap out ap mdev list
it_eq "mdev list" "UUID                                  STATE           ADAPTERS   DOMAINS        CONTROL-DOMAINS
$U1  active,defined  0x05       0x0004         0x0004
$U2  active          -          -              -
" "$out"

# ---- conflicts: refused before anything is written ----
it_run_cap out ap mdev set "$U2" --adapter 5 --domain 4
it_rc "conflict with an active mdev: exit 3" 3 "$out_rc"
it_eq "conflict with an active mdev: message" \
	"error: APQN 05.0004 is already assigned to mdev $U1; remove it there first: apvirt mdev set $U1 --adapter -0x05 (or --domain -0x0004)$nl" "$out_err"
it_eq "conflict with an active mdev: nothing written" "$nl" "$(cat "$MX/$U2/matrix")$nl"
it_run_cap out ap mdev set "$U2" --adapter 3 --domain 0
it_rc "host-reserved APQN: exit 3" 3 "$out_rc"
it_eq "host-reserved APQN: message" \
	"error: APQN 03.0000 is reserved for the host drivers (apmask and aqmask); give it to vfio_ap first: apvirt host release --adapter 0x03 (or --domain 0x0000)$nl" "$out_err"
mkdir -p "$ETC/mdevctl.d/matrix"
printf '{"mdev_type":"vfio_ap-passthrough","start":"auto","attrs":[{"assign_adapter":"6"},{"assign_domain":"0x05"}]}\n' \
	> "$ETC/mdevctl.d/matrix/$U3"
it_run_cap out ap mdev set "$U2" --adapter 6 --domain 5
it_rc "conflict with a defined mdev: exit 3" 3 "$out_rc"
it_eq "conflict with a defined mdev: message" \
	"error: APQN 06.0005 is defined for mdev $U3 in its mdevctl profile (start auto); change or undefine that definition first (mdevctl modify/undefine -u $U3)$nl" "$out_err"
rm -f "$ETC/mdevctl.d/matrix/$U3"
it_run_cap out ap mdev set "$U2" --control-domain 7
it_rc "control domain without usage domain: allowed" 0 "$out_rc"
it_eq "control domain without usage domain: warning" \
	"warning: mdev $U2 has control domains but no usage domain: its guest can run no crypto request and mdevctl's ap-check refuses to start it; add one with --domain" \
	"$(printf '%s' "$out" | head -n 1)"
it_run_cap out ap mdev set "$U2" --adapter 0x100
it_rc "ID above 255: usage error" 2 "$out_rc"
it_eq "ID above 255: message" "apvirt mdev set: --adapter: '0x100': IDs are 0 to 255 and a range goes upwards
Try 'apvirt mdev set --help'.
" "$out_err"
it_run_cap out ap mdev set "$U2" --domain 0004
it_rc "ambiguous leading zero: usage error" 2 "$out_rc"
it_run_cap out ap host reserve --adapter 5
it_rc "host reserve of a used adapter: exit 3" 3 "$out_rc"
it_eq "host reserve of a used adapter: message" \
	"error: adapter 0x05 cannot be reserved for the host: mdev $U1 holds APQN 05.0004; remove it there first: apvirt mdev set $U1 --adapter -0x05$nl" "$out"

# ---- validate ----
it_run_cap out ap validate
it_rc "validate, no conflict: exit 0" 0 "$out_rc"
it_eq "validate, no conflict: text" "warning: mdev $U2 has control domains but no usage domain: its guest can run no crypto request and mdevctl's ap-check refuses to start it; add one with --domain
0 errors, 1 warnings
" "$out"
printf '{"mdev_type":"vfio_ap-passthrough","start":"manual","attrs":[{"assign_adapter":"5"},{"assign_domain":"4"},{"assign_domain":"5"}]}\n' \
	> "$ETC/mdevctl.d/matrix/$U4"
it_run_cap out ap validate
it_rc "validate with conflicts: exit 3" 3 "$out_rc"
it_eq "validate with conflicts: every one" "warning: mdev $U2 has control domains but no usage domain: its guest can run no crypto request and mdevctl's ap-check refuses to start it; add one with --domain
error: APQN 05.0004 is defined for mdev $U4 in its mdevctl profile (start manual); change or undefine that definition first (mdevctl modify/undefine -u $U4)
error: APQN 05.0004 is already assigned to mdev $U1; remove it there first: apvirt mdev set $U1 --adapter -0x05 (or --domain -0x0004)
2 errors, 1 warnings
" "$out"
rm -f "$ETC/mdevctl.d/matrix/$U4"

# ---- failing writes: all or nothing ----
# snapshot: every file a change could touch, byte for byte
snapshot() {
	for f in "$MX/$U1/ap_config" "$MX/$U1/matrix" "$MX/$U1/control_domains" \
		 "$MX/$U1/guest_matrix" "$SYS/bus/ap/apmask" "$SYS/bus/ap/aqmask"; do
		[ -e "$f" ] || [ "${f##*/}" != ap_config ] || continue	# 6.0
		printf '%s:' "${f##*/}"; cat "$f"
	done
	cat "$ETC/mdevctl.d/matrix/$U1"
	ls "$RUN/apvirt" 2>/dev/null
}
before=$(snapshot)

if [ $HAS_AP_CONFIG = yes ]; then
	# ap_config (the default where the file exists): one write, refused whole.
	it_ctl fail "devices/vfio_ap/matrix/$U1/ap_config" EIO
	it_run_cap out ap mdev set "$U1" --adapter 6 --domain 5
	it_rc "ap_config write fails: exit 1" 1 "$out_rc"
	it_eq "ap_config write fails: message" "apvirt: writing '0x0600000000000000000000000000000000000000000000000000000000000000,0x0c00000000000000000000000000000000000000000000000000000000000000,0x0800000000000000000000000000000000000000000000000000000000000000' to $MX/$U1/ap_config failed: Input/output error$nl" "$out_err"
	it_eq "ap_config write fails: sysfs and profile unchanged" "$before" "$(snapshot)"
	# The ordered path, forced: {05}x{0004}/{0004} -> {06}x{0005}/{0005}
	# is six writes, each to its own attribute.
	conf "transaction = ordered$nl"
else
	# No ap_config: asking for it is refused before anything is written,
	# and the default (auto) takes the ordered path by itself.
	conf "transaction = ap_config$nl"
	it_run_cap out ap mdev set "$U1" --adapter 6 --domain 5
	it_rc "transaction = ap_config without ap_config: exit 1" 1 "$out_rc"
	it_eq "transaction = ap_config without ap_config: message" \
		"apvirt: mdev $U1 has no ap_config (kernel before 6.10) but apvirt.conf says transaction = ap_config$nl" "$out_err"
	it_eq "transaction = ap_config without ap_config: nothing changed" "$before" "$(snapshot)"
	conf
fi
# Fail each ordered write in turn.
it_run_cap out ap mdev set "$U1" --adapter -5,+6 --domain -4,+5 --control-domain -4,+5 --dry-run
it_eq "ordered plan: unassign, then assign" "would write unassign_adapter 0x05
would write unassign_domain 0x0004
would write unassign_control_domain 0x0004
would write assign_adapter 0x06
would write assign_domain 0x0005
would write assign_control_domain 0x0005
would update the mdevctl profile
" "$out"
it_eq "dry run: nothing changed" "$before" "$(snapshot)"
k=0
for step in unassign_adapter:0x05 unassign_domain:0x0004 unassign_control_domain:0x0004 \
	    assign_adapter:0x06 assign_domain:0x0005 assign_control_domain:0x0005; do
	k=$((k + 1))
	attr=${step%%:*}
	it_ctl fail "devices/vfio_ap/matrix/$U1/$attr" EADDRINUSE
	it_run_cap out ap mdev set "$U1" --adapter -5,+6 --domain -4,+5 --control-domain -4,+5
	it_rc "ordered write $k ($attr) fails: exit 1" 1 "$out_rc"
	it_eq "ordered write $k ($attr) fails: message" \
		"apvirt: writing '${step#*:}' to $MX/$U1/$attr failed: Address already in use$nl" "$out_err"
	it_eq "ordered write $k ($attr) fails: sysfs and profile byte-identical" "$before" "$(snapshot)"
done

# A process killed after write k: the next one rolls back.
for k in 1 2 3 4 5 6; do
	it_run_cap out env APVIRT_TEST_CRASH_AFTER_WRITE=$k "$APVIRT" mdev set "$U1" \
		--adapter -5,+6 --domain -4,+5 --control-domain -4,+5
	it_rc "killed after write $k: SIGKILL" 137 "$out_rc"
	it_eq "killed after write $k: journal left" "txn.journal" "$(ls "$RUN/apvirt")"
	# Odd k: a read verb finds the journal, takes the lock and rolls back
	# (it never shows a host half changed); even k: the next writer.
	if [ $((k % 2)) -eq 1 ]; then
		it_run_cap out ap mdev show "$U1"
		how="a read verb (mdev show)"
	else
		it_run_cap out ap mdev set "$U1" --dry-run
		how="the next writer"
	fi
	it_eq "killed after write $k: $how rolls back" \
		"apvirt: rolled back an interrupted change found in $RUN/apvirt/txn.journal$nl" "$out_err"
	it_eq "killed after write $k: sysfs and profile byte-identical" "$before" "$(snapshot)"
done
it_eq "recovery is logged" \
	"uid=$(id -u) program=apvirt recovery of 'mdev $U1 set': interrupted -> rolled back" \
	"$(tail -n 1 "$LOG")"

# The whole ordered change still works when nothing fails.  Killed after
# the journal is gone but before its backups: committed, nothing to recover.
it_run_cap out env APVIRT_TEST_CRASH_AT_END=1 "$APVIRT" mdev set "$U1" \
	--adapter -5,+6 --domain -4,+5 --control-domain -4,+5
it_rc "killed at the end: SIGKILL" 137 "$out_rc"
it_eq "killed at the end: no journal, only its backup left" "txn.backup.0" "$(ls "$RUN/apvirt")"
it_run_cap out ap mdev show "$U1"
it_rc "killed at the end: the next command works" 0 "$out_rc"
it_eq "killed at the end: nothing to roll back" "" "$out_err"
it_eq "killed at the end: the change stands" "06.0005 0005" \
	"$(cat "$MX/$U1/matrix") $(cat "$MX/$U1/control_domains")"
it_run_cap out ap mdev set "$U1" --adapter -6,+5 --domain -5,+4 --control-domain -5,+4
it_rc "killed at the end: changed back" 0 "$out_rc"
# Killed once the journal says "committed" but before it is removed: the
# next run finishes the change instead of undoing a complete one.
it_run_cap out env APVIRT_TEST_CRASH_AFTER_COMMITTED=1 "$APVIRT" mdev set "$U1" \
	--adapter -5,+6 --domain -4,+5 --control-domain -4,+5
it_rc "killed once committed: SIGKILL" 137 "$out_rc"
it_eq "killed once committed: the journal ends with 'committed'" "txn.backup.0 txn.journal committed" \
	"$(ls "$RUN/apvirt" | tr '\n' ' ')$(tail -n 1 "$RUN/apvirt/txn.journal")"
it_run_cap out ap mdev show "$U1"
it_eq "killed once committed: the next run finishes it" \
	"apvirt: finished an interrupted change found in $RUN/apvirt/txn.journal (it was complete)$nl" "$out_err"
it_eq "killed once committed: the change stands, journal and backup gone" "06.0005 0005 " \
	"$(cat "$MX/$U1/matrix") $(cat "$MX/$U1/control_domains") $(ls "$RUN/apvirt")"
it_eq "killed once committed: logged" \
	"uid=$(id -u) program=apvirt recovery of 'mdev $U1 set': interrupted -> finished (it was committed)" \
	"$(tail -n 1 "$LOG")"
ap mdev set "$U1" --adapter -6,+5 --domain -5,+4 --control-domain -5,+4 >/dev/null || exit 99
# SIGTERM (as Ctrl-C, a hangup or a service stop) during a change waits for
# its end: stopped after its first write, sent SIGTERM, continued, the
# process completes the change and only then dies of the signal.
APVIRT_TEST_STOP_AFTER_WRITE=1 "$APVIRT" mdev set "$U1" --adapter -5,+6 --domain -4,+5 \
	--control-domain -4,+5 > "$IT_TMP/term.out" 2>&1 &
pid=$!
i=0
while [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" != T ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -TERM "$pid"
kill -CONT "$pid"
wait "$pid"
rc=$?
it_eq "SIGTERM during a change: it completes, then the signal acts (143)" "143 06.0005 0005 " \
	"$rc $(cat "$MX/$U1/matrix") $(cat "$MX/$U1/control_domains") $(ls "$RUN/apvirt")"
it_eq "SIGTERM during a change: logged as a complete change" \
	"uid=$(id -u) program=apvirt mdev $U1 set: adapters 0x05 domains 0x0004 control-domains 0x0004 -> adapters 0x06 domains 0x0005 control-domains 0x0005" \
	"$(tail -n 1 "$LOG")"
ap mdev set "$U1" --adapter -6,+5 --domain -5,+4 --control-domain -5,+4 >/dev/null || exit 99
it_run_cap out ap mdev set "$U1" --adapter -5,+6 --domain -4,+5 --control-domain -4,+5
it_rc "ordered change: exit 0" 0 "$out_rc"
it_eq "ordered change: the kernel reads the new matrix" "06.0005 0005" \
	"$(cat "$MX/$U1/matrix") $(cat "$MX/$U1/control_domains")"
conf

# ---- a profile that cannot be written (root: a read-only bind mount) ----
# ro_profiles CMD...: CMD in a private mount namespace where the mdevctl
# profile directory is read-only (EROFS, which root does not override).
ro_profiles() {
	timeout 60 unshare -m --propagation private sh -c \
		'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && shift && exec "$@"' \
		sh "$ETC/mdevctl.d/matrix" "$@"
}
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null 2>&1; then
	before=$(snapshot)
	it_run_cap out ro_profiles "$APVIRT" mdev set "$U1" --adapter +5
	it_rc "profile write fails after the sysfs writes: exit 1" 1 "$out_rc"
	it_eq "profile write fails: message" \
		"apvirt: cannot create a file beside $ETC/mdevctl.d/matrix/$U1: Read-only file system$nl" "$out_err"
	it_eq "profile write fails: sysfs and profile byte-identical" "$before" "$(snapshot)"
	it_run_cap out ro_profiles "$APVIRT" mdev create "$U3" --define
	it_rc "create --define, profile write fails: exit 1" 1 "$out_rc"
	it_eq "create --define, profile write fails: message" \
		"apvirt: cannot create a file beside $ETC/mdevctl.d/matrix/$U3: Read-only file system$nl" "$out_err"
	it_eq "create --define, profile write fails: the mdev is removed again" "no" \
		"$([ -e "$MX/$U3" ] && echo yes || echo no)"
	it_eq "create --define, profile write fails: no profile, no journal" "" \
		"$(ls "$ETC/mdevctl.d/matrix" | grep "$U3"; ls "$RUN/apvirt")"
else
	echo "# not root: the read-only profile directory checks are left out"
fi
# Killed between the create and the profile: the next run removes the mdev.
it_run_cap out env APVIRT_TEST_CRASH_AFTER_WRITE=1 "$APVIRT" mdev create "$U3" --define
it_rc "create --define killed after the create: SIGKILL" 137 "$out_rc"
it_eq "create --define killed: the mdev exists, the journal is left" "yes txn.journal" \
	"$([ -e "$MX/$U3" ] && echo yes) $(ls "$RUN/apvirt")"
it_run_cap out ap host
it_eq "create --define killed: the next run rolls back" \
	"apvirt: rolled back an interrupted change found in $RUN/apvirt/txn.journal$nl" "$out_err"
it_eq "create --define killed: mdev and profile gone" "no no" \
	"$([ -e "$MX/$U3" ] && echo yes || echo no) $([ -e "$ETC/mdevctl.d/matrix/$U3" ] && echo yes || echo no)"

# ---- the syslog line itself (root: /dev/log of a private /dev) ----
if [ "$(id -u)" -eq 0 ] && command -v socat >/dev/null 2>&1; then
	socat -u UNIX-RECV:"$IT_TMP/log.sock" OPEN:"$IT_TMP/syslog",creat,append &
	sink=$!
	i=0
	while [ ! -S "$IT_TMP/log.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	it_run_cap out timeout 60 unshare -m --propagation private sh -c \
		'mount -t tmpfs tmpfs /dev && ln -s "$1" /dev/log && shift && exec "$@"' \
		sh "$IT_TMP/log.sock" "$APVIRT" mdev set "$U1" --control-domain +6
	it_rc "syslog: the change: exit 0" 0 "$out_rc"
	i=0
	while [ ! -s "$IT_TMP/syslog" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	kill "$sink" 2>/dev/null
	wait "$sink" 2>/dev/null
	# <authpriv.notice = 85>, the timestamp, the ident, then the line.
	it_eq "syslog: authpriv.notice, ident and the line" \
		"<85>TIME apvirt: uid=0 program=apvirt mdev $U1 set: adapters 0x06 domains 0x0005 control-domains 0x0005 -> adapters 0x06 domains 0x0005 control-domains 0x0005-0x0006" \
		"$(sed 's/^<85>[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] /<85>TIME /' "$IT_TMP/syslog")"
	it_eq "syslog: the same line in log_file" \
		"uid=0 program=apvirt mdev $U1 set: adapters 0x06 domains 0x0005 control-domains 0x0005 -> adapters 0x06 domains 0x0005 control-domains 0x0005-0x0006" \
		"$(tail -n 1 "$LOG")"
else
	echo "# not root or no socat: the syslog check is left out"
fi

# ---- the s390 lock ----
LOCK=$RUN/lock/s390apconfig.lock
sleep 30 &
holder=$!
printf '%d\n' "$holder" > "$LOCK"
it_run_cap out ap mdev set "$U1" --dry-run
it_rc "live foreign holder: exit 4" 4 "$out_rc"
it_eq "live foreign holder: message names the pid" \
	"apvirt: $LOCK is held by pid $holder (sleep); gave up after 2 s (is mdevctl, ap-check or chzdev running?)$nl" "$out_err"
it_eq "live foreign holder: its lock stays" "$holder" "$(cat "$LOCK")"
# A journal while its writer still holds the lock: a change is running,
# so a read verb waits for it and, when it does not end, says so.
mkdir -p "$RUN/apvirt"
printf 'apvirt-journal 1\nwhat mdev %s set\n' "$U1" > "$RUN/apvirt/txn.journal"
it_run_cap out ap host
it_rc "read verb during a running change: exit 4" 4 "$out_rc"
it_eq "read verb during a running change: message" \
	"apvirt: $LOCK is held by pid $holder (sleep); gave up after 2 s (is mdevctl, ap-check or chzdev running?)$nl" "$out_err"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
it_run_cap out ap host
it_rc "holder gone: the read verb rolls the journal back, exit 0" 0 "$out_rc"
it_eq "holder gone: said so" \
	"apvirt: rolled back an interrupted change found in $RUN/apvirt/txn.journal$nl" "$out_err"
printf '%d\n' "$holder" > "$LOCK"
it_run_cap out ap mdev set "$U1" --dry-run
it_rc "stale lock (dead pid): cleared, exit 0" 0 "$out_rc"
it_eq "stale lock (dead pid): released afterwards" "no" "$([ -e "$LOCK" ] && echo yes || echo no)"
: > "$LOCK"
touch -d '-5 minutes' "$LOCK"
it_run_cap out ap mdev set "$U1" --dry-run
it_rc "stale lock (no pid for 5 min): cleared, exit 0" 0 "$out_rc"
: > "$LOCK"
it_run_cap out ap mdev set "$U1" --dry-run
it_rc "fresh lock without a pid: wait, exit 4" 4 "$out_rc"
rm -f "$LOCK"

# ---- remove, usage ----
it_run_cap out ap mdev remove "$U2"
it_rc "mdev remove: exit 0" 0 "$out_rc"
it_eq "mdev remove: gone" "no" "$([ -e "$MX/$U2" ] && echo yes || echo no)"
it_run_cap out ap mdev remove "$U2"
it_rc "mdev remove of an absent mdev: exit 1" 1 "$out_rc"
it_eq "mdev remove of an absent mdev: message" "apvirt: no active vfio_ap mdev $U2$nl" "$out_err"
it_run_cap out ap mdev show not-a-uuid
it_rc "bad UUID: exit 2" 2 "$out_rc"
it_run_cap out ap frobnicate
it_rc "unknown verb: exit 2" 2 "$out_rc"
for v in host validate "mdev set"; do
	# shellcheck disable=SC2086 # "mdev set" is two words on purpose
	it_run_cap out ap $v --help
	it_rc "$v --help: exit 0" 0 "$out_rc"
done
# A bad option: one message naming it (getopt's own line is not printed).
it_run_cap out ap attach g1 --adapter
it_rc "option without its argument: exit 2" 2 "$out_rc"
it_eq "option without its argument: one message" \
	"apvirt attach: option '--adapter' needs an argument${nl}Try 'apvirt attach --help'.$nl" "$out_err"
it_run_cap out ap mdev set "$U1" --bogus
it_rc "unknown option: exit 2" 2 "$out_rc"
it_eq "unknown option: one message" \
	"apvirt mdev set: unknown option '--bogus'${nl}Try 'apvirt mdev set --help'.$nl" "$out_err"
it_run_cap out ap host -x
it_eq "unknown short option: one message" \
	"apvirt host: unknown option '-x'${nl}Try 'apvirt host --help'.$nl" "$out_err"
# -C is the control domain and -c the libvirt URI in every verb, as in virsh:
# mdev set does not take -c.
it_run_cap out ap mdev set "$U1" -c 4 --dry-run
it_eq "mdev set -c: not an option (it is --connect elsewhere)" \
	"apvirt mdev set: unknown option '-c'${nl}Try 'apvirt mdev set --help'.$nl" "$out_err"
# The domain verbs print their help and stop: no libvirt, no operands needed
# (list --help used to go on with an unopened connection and crash).
for v in attach-device detach-device attach detach dumpxml list; do
	it_run_cap out ap $v --help
	it_rc "$v --help: exit 0" 0 "$out_rc"
	it_eq "$v --help: nothing on stderr" "" "$out_err"
	it_eq "$v --help: the domain verbs' usage" \
		"Usage: apvirt attach-device DOMAIN FILE [--live] [--config] [--current] [--persistent]" \
		"$(printf '%s\n' "$out" | head -n 1)"
done
# The domain verbs' own checks, made before libvirt is reached.
it_run_cap out ap attach-device g1 "$IT_TMP"
it_rc "attach-device FILE is a directory: exit 1" 1 "$out_rc"
it_eq "attach-device FILE is a directory: unreadable, not empty" \
	"error: Failed to read file '$IT_TMP': Is a directory$nl" "$out_err"
# A bad fragment: virsh's two lines, the file named once.
: > "$IT_TMP/empty.xml"
it_run_cap out ap attach-device g1 "$IT_TMP/empty.xml"
it_rc "attach-device, empty FILE: exit 1" 1 "$out_rc"
it_eq "attach-device, empty FILE: virsh's two lines" \
	"error: Failed to attach device from $IT_TMP/empty.xml${nl}error: fragment: empty$nl" "$out_err"
printf '<ap:adapter xmlns:ap="https://example.org/ap/1" id="5"/>\n' > "$IT_TMP/ns.xml"
it_run_cap out ap detach-device g1 "$IT_TMP/ns.xml"
it_eq "detach-device, fragment in another namespace: names the one it has" \
	"error: Failed to detach device from $IT_TMP/ns.xml${nl}error: fragment: line 1: expected <adapter>, <domain>, <control-domain> or <matrix> in namespace http://apvirt.org/xmlns/ap-matrix/1.0, found <adapter> in namespace https://example.org/ap/1$nl" \
	"$out_err"
printf '<adapter id="5"/>\n' > "$IT_TMP/ns.xml"
it_run_cap out ap attach-device g1 "$IT_TMP/ns.xml"
it_eq "attach-device, fragment without a namespace: says so" \
	"error: Failed to attach device from $IT_TMP/ns.xml${nl}error: fragment: line 1: expected <adapter>, <domain>, <control-domain> or <matrix> in namespace http://apvirt.org/xmlns/ap-matrix/1.0, found <adapter> without a namespace$nl" \
	"$out_err"
# '-' items: the other verb is the one to use.
it_run_cap out ap detach g1 --adapter 0x05,-0x06
it_rc "detach with a '-' item: exit 2" 2 "$out_rc"
it_eq "detach with a '-' item: use attach" \
	"apvirt detach: --adapter: name IDs only; '-' items make no sense here (use attach)${nl}Try 'apvirt detach --help'.$nl" "$out_err"
it_run_cap out ap attach g1 --domain -4
it_eq "attach with a '-' item: use detach" \
	"apvirt attach: --domain: name IDs only; '-' items make no sense here (use detach)${nl}Try 'apvirt attach --help'.$nl" "$out_err"
printf '<ap:adapter xmlns:ap="http://apvirt.org/xmlns/ap-matrix/1.0" id="0x05"/>\n' > "$IT_TMP/a5.xml"
for v in "attach-device g1 $IT_TMP/a5.xml" "detach g1 --adapter 5"; do
	# shellcheck disable=SC2086 # words on purpose
	it_run_cap out ap $v --inactive
	it_rc "${v%% *} --inactive: exit 2" 2 "$out_rc"
	it_eq "${v%% *} --inactive: says what to use" \
		"apvirt ${v%% *}: --inactive is for dumpxml; to change the persistent definition use --config${nl}Try 'apvirt ${v%% *} --help'.$nl" "$out_err"
	# shellcheck disable=SC2086
	it_run_cap out ap $v --json
	it_eq "${v%% *} --json: a usage error" \
		"apvirt ${v%% *}: --json is for dumpxml and list${nl}Try 'apvirt ${v%% *} --help'.$nl" "$out_err"
done
it_run_cap out ap list --force
it_eq "list --force: a usage error" \
	"apvirt list: takes only --connect and --json${nl}Try 'apvirt list --help'.$nl" "$out_err"
printf 'transaction = sometimes\n' > "$ETC/apvirt/apvirt.conf"
it_run_cap out ap host
it_rc "bad apvirt.conf: exit 1" 1 "$out_rc"
it_eq "bad apvirt.conf: FILE:LINE message" \
	"apvirt: $ETC/apvirt/apvirt.conf:1: bad value 'sometimes' for 'transaction': expected auto, ordered or ap_config$nl" "$out_err"

it_done
