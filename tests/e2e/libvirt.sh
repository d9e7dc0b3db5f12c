#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# libvirt.sh - apvirt end to end with a real libvirtd and a real QEMU TCG
# x86_64 guest (it idles in SeaBIOS), against apsim:
#
#   start     the hook (installed as /etc/libvirt/hooks/qemu.d/apvirt)
#             creates the managed mdev and applies the matrix; `apsim ctl
#             attach` stands in for QEMU opening the vfio device
#   attach    apvirt attach-device --live --config: the guest's CRYCB, the
#             live and persistent metadata (virsh dumpxml) and the mdevctl
#             profile all show the adapter; detach-device takes it away
#   refusals  an APQN of another mdev, an APQN in another (shut off)
#             guest's metadata, --live on a shut-off guest, a failed sysfs
#             write: refused or rolled back, nothing changes anywhere
#   agent     apvirtd --foreground: a virsh metadata --live edit that
#             takes an APQN of another mdev is rolled back and logged, one
#             that adds an adapter reaches the mdev and the CRYCB; after
#             each reconcile the live <st:status> (its own namespace) says
#             applied or refused, why, the matrix in effect, the digest of
#             the edit and the next generation, and nothing else writes
#             it (no loop on its own writes, a user's write there is not
#             an edit); a consumer speaking only the libvirt API
#             (consumer.py) waits for the status with its edit's digest and
#             reads refused and the reason, then applied; libvirtd
#             restarts: the guest runs on, apvirtd reconnects, continues
#             the generations and applies the next edit; a guest started
#             gets a "started" status; SIGTERM stops it with exit status 0
#   destroy   release removes the managed mdev
#
# The harness starts virtlogd and libvirtd itself, writes
# /etc/apvirt/apvirt.conf (the hook runs as libvirtd's child and sees no
# environment) and puts back whatever it replaced; every daemon it started
# is stopped by its PID, also on failure.  Every command is bounded.
#
# Environment: APSIM, APVIRT, APVIRT_HOOK, APVIRTD.  Output: TAP.  Skips (77) only
# without root, FUSE, libvirtd, virsh or qemu-system-x86_64, or when a
# libvirtd that this test did not start is running.

set -u
APSIM=${APSIM:-$PWD/sim/apsim}
APVIRT=${APVIRT:-$PWD/tools/apvirt}
HOOK=${APVIRT_HOOK:-$PWD/libvirt-hooks/apvirt-qemu-hook}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$HERE/../integration/lib.sh"

it_need_root "libvirtd, /etc/libvirt/hooks"
PATH=$PATH:/usr/sbin:/sbin
it_need libvirtd virtlogd virsh qemu-system-x86_64 timeout flock
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
pidof_file() { cat "$1" 2>/dev/null || true; }
# One libvirtd per machine: every user of it in the tree (this test, the
# demo, bench/libvirt) takes the same lock and looks for a foreign libvirtd
# the same way (scripts/libvirt-env.sh: lv_lock, which checks that the PID
# in /run/libvirtd.pid is a libvirtd, so a stale file is no false skip),
# so runs from several work trees queue instead of skipping.  Only its
# lock and detection are used here: a refusal is a skip.
# shellcheck source=scripts/libvirt-env.sh
. "$HERE/../../scripts/libvirt-env.sh"
LV_PROG=libvirt.sh
lv_die() { echo "1..0 # SKIP $*"; exit 77; }
lv_lock

URI=qemu:///system
G1=apvirt-e2e-g1
G2=apvirt-e2e-g2
NS=http://apvirt.org/xmlns/ap-matrix/1.0
HOOKDIR=/etc/libvirt/hooks/qemu.d
CONF=/etc/apvirt/apvirt.conf
vs() { timeout 60 virsh -q -c "$URI" "$@"; }
ap() { timeout 60 "$APVIRT" "$@"; }

it_start_apsim
# The CLI gets the roots from the environment, the hook from apvirt.conf.
it_apvirt_roots
SAVE=$IT_TMP/saved
mkdir -p "$ETC/mdevctl.d/matrix" "$SAVE" || exit 99

# ---- put back what the harness changes, stop what it started ----
LIBVIRTD_PID='' VIRTLOGD_PID='' APVIRTD_PID=''
stop_pid() {	# PID NAME
	alive "$1" || return 0
	kill -TERM "$1"
	for _ in $(seq 1 100); do alive "$1" || return 0; sleep 0.1; done
	echo "# $2 ($1) did not stop on SIGTERM; SIGKILL"
	kill -KILL "$1"
}
QEMU_ETC=/etc/libvirt/qemu
RO_MOUNTED=''
cleanup() {
	[ -z "$RO_MOUNTED" ] || umount "$QEMU_ETC"
	for g in $G1 $G2; do
		vs destroy "$g" >/dev/null 2>&1
		vs undefine "$g" >/dev/null 2>&1
	done
	stop_pid "$APVIRTD_PID" apvirtd
	stop_pid "$LIBVIRTD_PID" libvirtd
	stop_pid "$VIRTLOGD_PID" virtlogd
	rm -f "$HOOKDIR/apvirt"
	[ ! -e "$SAVE/hook" ] || mv "$SAVE/hook" "$HOOKDIR/apvirt"
	rm -f "$CONF"
	[ ! -e "$SAVE/apvirt.conf" ] || mv "$SAVE/apvirt.conf" "$CONF"
}
it_at_exit cleanup

# The hook and the CLI see one configuration: sysfs is apsim's.
[ ! -e "$CONF" ] || cp -p "$CONF" "$SAVE/apvirt.conf"
[ ! -e "$HOOKDIR/apvirt" ] || cp -p "$HOOKDIR/apvirt" "$SAVE/hook"
mkdir -p /etc/apvirt "$HOOKDIR" || exit 99
printf 'sysfs_root = %s\nrun_root = %s\nlog_file = %s\nlock_timeout = 10\n' "$SYS" "$RUN" "$LOG" |
	tee "$CONF" > "$ETC/apvirt/apvirt.conf"
# The build's hook is a libtool wrapper: call it by its absolute path.
printf '#!/bin/sh\nexec %s "$@"\n' "$HOOK" > "$HOOKDIR/apvirt"
chmod 755 "$HOOKDIR/apvirt"
unset LIBVIRT_DEFAULT_URI

# ---- daemons (hooks in place first: libvirtd looks for them at start) ----
if [ -z "$(lv_daemon_pid virtlogd)" ]; then
	timeout 30 virtlogd -d || exit 99
	VIRTLOGD_PID=$(pidof_file /run/virtlogd.pid)
fi
# start_libvirtd WHAT: start it and wait (bounded) until it answers
start_libvirtd() {
	timeout 30 libvirtd -d || exit 99
	for _ in $(seq 1 600); do
		LIBVIRTD_PID=$(pidof_file /run/libvirtd.pid)
		timeout 10 virsh -c "$URI" version >/dev/null 2>&1 && break
		sleep 0.1
	done
	alive "$LIBVIRTD_PID" || { echo "libvirtd did not $1" >&2; exit 99; }
}
start_libvirtd "come up"
echo "# libvirtd $LIBVIRTD_PID ready"
for g in $G1 $G2; do vs destroy "$g" >/dev/null 2>&1; vs undefine "$g" >/dev/null 2>&1; done

ap host release --adapter 0x05-0x06 --domain 0x0004-0x0007 >/dev/null || exit 99

# domain NAME UUID IDS-XML
domain_xml() {
	cat <<XML
<domain type='qemu'>
  <name>$1</name>
  <metadata>
    <ap:matrix xmlns:ap="$NS" mdev="$2" lifecycle="managed">$3</ap:matrix>
  </metadata>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <serial type='pty'/><console type='pty'/>
    <video><model type='none'/></video>
    <memballoon model='none'/>
  </devices>
</domain>
XML
}
domain_xml $G1 "$U1" '<ap:adapter id="0x05"/><ap:domain id="0x0004"/>' > "$IT_TMP/g1.xml"
domain_xml $G2 "$U3" '<ap:adapter id="0x05"/><ap:domain id="0x0005"/>' > "$IT_TMP/g2.xml"
vs define "$IT_TMP/g1.xml" >/dev/null || exit 99
vs define "$IT_TMP/g2.xml" >/dev/null || exit 99

crycb_apm() { it_ctl crycb --vm $G1 | sed -n 's/^apm //p'; }
meta() {	# DOMAIN [--inactive]: the apvirt metadata lines of virsh dumpxml
	vs dumpxml "$@" | sed -n '/<ap:matrix/,/<\/ap:matrix>/p' | sed 's/^ *//'
}
profile_attrs() { tr -d ' \n' < "$ETC/mdevctl.d/matrix/$U1"; echo; }
snapshot() {
	ls "$MX"; cat "$MX/$U1/matrix"; it_ctl crycb --vm $G1
	meta $G1; meta $G1 --inactive; meta $G2 --inactive; profile_attrs
}
# The same without the CRYCB's update counter: a change rolled back
# updates the CRYCB twice and leaves it as it was.
state() { snapshot | grep -v '^updates '; }

# ---- start ----
it_run_all "start: virsh start succeeds" 0 "Domain '$G1' started
" timeout 60 virsh -c "$URI" start $G1
it_eq "start: the hook created the mdev with the matrix" "05.0004" "$(cat "$MX/$U1/matrix" 2>&1)"
it_ctl attach "$U1" --vm $G1 || exit 99
it_eq "start: the guest's CRYCB has adapter 0x05" \
	"0x0400000000000000000000000000000000000000000000000000000000000000" "$(crycb_apm)"
it_eq "start: the hook logged the effective matrix" \
	"program=apvirt-qemu-hook domain $G1 started: mdev $U1 effective adapters 0x05 domains 0x0004 control-domains -; filtered: none" \
	"$(grep 'started:' "$LOG" | tail -n 1 | sed 's/^uid=[0-9]* //')"
printf '{"mdev_type": "vfio_ap-passthrough", "start": "manual", "attrs": [{"assign_adapter": "0x05"}, {"assign_domain": "0x0004"}]}\n' \
	> "$ETC/mdevctl.d/matrix/$U1"

# ---- attach, detach ----
printf '<ap:adapter xmlns:ap="%s" id="0x06"/>\n' "$NS" > "$IT_TMP/a6.xml"
it_run_all "attach-device --live --config" 0 "Device attached successfully" \
	ap attach-device $G1 "$IT_TMP/a6.xml" --live --config
it_eq "attach: sysfs matrix" "05.0004
06.0004" "$(cat "$MX/$U1/matrix")"
it_eq "attach: the guest's CRYCB has adapters 0x05 and 0x06" \
	"0x0600000000000000000000000000000000000000000000000000000000000000" "$(crycb_apm)"
M56="<ap:matrix xmlns:ap=\"$NS\" mdev=\"$U1\" lifecycle=\"managed\">
<ap:adapter id=\"0x05\"/>
<ap:adapter id=\"0x06\"/>
<ap:domain id=\"0x0004\"/>
</ap:matrix>"
it_eq "attach: virsh dumpxml (live metadata)" "$M56" "$(meta $G1)"
it_eq "attach: virsh dumpxml --inactive (persistent metadata)" "$M56" "$(meta $G1 --inactive)"
it_eq "attach: the mdevctl profile" \
	'{"mdev_type":"vfio_ap-passthrough","start":"manual","attrs":[{"assign_adapter":"0x05"},{"assign_adapter":"0x06"},{"assign_domain":"0x0004"}]}' \
	"$(profile_attrs)"
it_run_all "dumpxml: desired, configured, effective" 0 "domain:     $G1
state:      running
mdev:       $U1 (lifecycle managed, active)
desired:    adapters 0x05-0x06 domains 0x0004 control-domains -
            (live metadata)
persistent: adapters 0x05-0x06 domains 0x0004 control-domains -
configured: adapters 0x05-0x06 domains 0x0004 control-domains -
effective:  adapters 0x05-0x06 domains 0x0004 control-domains -
filtered:   none
drift:      none" ap dumpxml $G1
it_run_all "list" 0 "DOMAIN                STATE     MDEV                                  LIFECYCLE  DRIFT
$G1         running   $U1  managed    none
$G2         shut-off  $U3  managed    none" ap list
it_run_all "attach-device again: already there" 1 "error: Failed to attach device from $IT_TMP/a6.xml
error: adapter 0x06 is already in the live matrix of domain $G1" \
	ap attach-device $G1 "$IT_TMP/a6.xml" --live --config
it_run_all "detach-device --live --config" 0 "Device detached successfully" \
	ap detach-device $G1 "$IT_TMP/a6.xml" --live --config
it_eq "detach: sysfs matrix" "05.0004" "$(cat "$MX/$U1/matrix")"
it_eq "detach: CRYCB" "0x0400000000000000000000000000000000000000000000000000000000000000" "$(crycb_apm)"
it_eq "detach: persistent metadata" "<ap:matrix xmlns:ap=\"$NS\" mdev=\"$U1\" lifecycle=\"managed\">
<ap:adapter id=\"0x05\"/>
<ap:domain id=\"0x0004\"/>
</ap:matrix>" "$(meta $G1 --inactive)"
it_eq "detach: the mdevctl profile" \
	'{"mdev_type":"vfio_ap-passthrough","start":"manual","attrs":[{"assign_adapter":"0x05"},{"assign_domain":"0x0004"}]}' \
	"$(profile_attrs)"

# ---- the views: dumpxml (--inactive, --json), list --json ----
it_run_all "dumpxml --inactive: the persistent definition only" 0 "domain:     $G1
state:      running
mdev:       $U1 (lifecycle managed)
desired:    adapters 0x05 domains 0x0004 control-domains -
            (persistent metadata)" ap dumpxml $G1 --inactive
it_run_all "dumpxml of a shut-off domain: its mdev is absent, said so" 0 "domain:     $G2
state:      shut off
mdev:       $U3 (lifecycle managed, not active)
desired:    adapters 0x05 domains 0x0005 control-domains -
            (persistent metadata)
configured: none (mdev $U3 is absent)
drift:      none" ap dumpxml $G2
it_run_all "dumpxml of an unknown domain" 1 "error: failed to get domain 'apvirt-e2e-nope'" \
	ap dumpxml apvirt-e2e-nope
# The JSON, parsed by python3 and printed back with sorted keys.
canon() { python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))'; }
M5J='{"adapters": [5], "control_domains": [], "domains": [4]}'
it_eq "list --json" "{\"api_level\": 1, \"domains\": [{\"domain\": \"$G1\", \"drift\": [], \"lifecycle\": \"managed\", \"mdev\": \"$U1\", \"state\": \"running\"}, {\"domain\": \"$G2\", \"drift\": [], \"lifecycle\": \"managed\", \"mdev\": \"$U3\", \"state\": \"shut off\"}]}" \
	"$(ap list --json | canon)"
it_eq "dumpxml --json" "{\"api_level\": 1, \"configured\": $M5J, \"desired\": $M5J, \"domain\": \"$G1\", \"drift\": [], \"effective\": {\"adapters\": [5], \"control_domains\": [], \"domains\": [4], \"filtered\": [], \"known\": true}, \"lifecycle\": \"managed\", \"mdev\": \"$U1\", \"mdev_active\": true, \"metadata\": \"live\", \"persistent\": $M5J, \"state\": \"running\"}" \
	"$(ap dumpxml $G1 --json | canon)"
it_eq "dumpxml --inactive --json" "{\"api_level\": 1, \"desired\": $M5J, \"domain\": \"$G1\", \"lifecycle\": \"managed\", \"mdev\": \"$U1\", \"metadata\": \"persistent\", \"state\": \"running\"}" \
	"$(ap dumpxml $G1 --inactive --json | canon)"

# ---- two attaches to one domain at once: neither update is lost ----
ap host release --adapter 0x04 >/dev/null || exit 99
LOCK=$RUN/lock/s390apconfig.lock
mkdir -p "$RUN/lock"
sleep 60 &
holder=$!
printf '%d\n' "$holder" > "$LOCK"
ap attach $G1 --adapter 0x04 --live --config > "$IT_TMP/c4.out" 2>&1 &
c4=$!
ap attach $G1 --adapter 0x06 --live --config > "$IT_TMP/c6.out" 2>&1 &
c6=$!
# Both read the domain before the lock frees; the wait bounds nothing tested.
sleep 2
kill "$holder"; wait "$holder" 2>/dev/null
wait "$c4"; r4=$?
wait "$c6"; r6=$?
it_eq "concurrent attaches: both succeed" "0 Device attached successfully 0 Device attached successfully" \
	"$r4 $(cat "$IT_TMP/c4.out") $r6 $(cat "$IT_TMP/c6.out")"
M456="<ap:matrix xmlns:ap=\"$NS\" mdev=\"$U1\" lifecycle=\"managed\">
<ap:adapter id=\"0x04\"/>
<ap:adapter id=\"0x05\"/>
<ap:adapter id=\"0x06\"/>
<ap:domain id=\"0x0004\"/>
</ap:matrix>"
it_eq "concurrent attaches: the live metadata has both" "$M456" "$(meta $G1)"
it_eq "concurrent attaches: the persistent metadata has both" "$M456" "$(meta $G1 --inactive)"
it_eq "concurrent attaches: the mdev has both" "04.0004
05.0004
06.0004" "$(cat "$MX/$U1/matrix")"
it_run_all "concurrent attaches: undone" 0 "Device detached successfully" \
	ap detach $G1 --adapter 0x04,0x06 --live --config

# ---- a guest starts while an attach waits for the lock ----
# The attach reads the other domains before it takes the lock, so it never
# waits for G2 (held by libvirtd while G2's prepare hook waits for the lock).
sleep 60 &
holder=$!
printf '%d\n' "$holder" > "$LOCK"
timeout 60 virsh -c "$URI" start $G2 > "$IT_TMP/s2.out" 2>&1 &
s2=$!
ap attach $G1 --adapter 0x06 --live > "$IT_TMP/c6.out" 2>&1 &
c6=$!
sleep 2
kill "$holder"; wait "$holder" 2>/dev/null
wait "$s2"; r2=$?
wait "$c6"; r6=$?
it_eq "start during an attach: the guest starts" "0 Domain '$G2' started" "$r2 $(cat "$IT_TMP/s2.out")"
it_eq "start during an attach: the attach succeeds" "0 Device attached successfully" "$r6 $(cat "$IT_TMP/c6.out")"
ap detach $G1 --adapter 0x06 --live >/dev/null || exit 99
ap mdev remove "$U3" >/dev/null || exit 99
it_run_all "dumpxml: a running guest whose mdev is absent" 0 "domain:     $G2
state:      running
mdev:       $U3 (lifecycle managed, not active)
desired:    adapters 0x05 domains 0x0005 control-domains -
            (live metadata)
persistent: adapters 0x05 domains 0x0005 control-domains -
configured: none (mdev $U3 is absent)
drift:      mdev-absent" ap dumpxml $G2
vs destroy $G2 >/dev/null || exit 99

# ---- the same mdev in two domains' metadata ----
vs metadata $G2 --config --uri "$NS" --key ap \
	--set "<matrix mdev=\"$U1\" lifecycle=\"managed\"><adapter id=\"0x03\"/><domain id=\"0x0009\"/></matrix>" || exit 99
it_run_all "attach: another domain's metadata names the same mdev, exit 3" 3 \
	"error: mdev $U1 is also named by the persistent metadata of domain $G2; give each domain its own mdev" \
	ap attach $G1 --adapter 0x06 --config
vs metadata $G2 --config --uri "$NS" --key ap \
	--set "<matrix mdev=\"$U3\" lifecycle=\"managed\"><adapter id=\"0x05\"/><domain id=\"0x0005\"/></matrix>" || exit 99

# ---- drift: a change made outside apvirt is not silently undone ----
before=$(state)
echo 0x0006 > "$MX/$U1/assign_domain" || exit 99
it_run_all "drift in the mdev: refused, exit 3" 3 "error: Failed to attach device from the command line
error: drift: the matrix of mdev $U1 has adapters 0x05 domains 0x0004,0x0006 control-domains -, the live metadata of domain $G1 has adapters 0x05 domains 0x0004 control-domains -; it was changed outside apvirt: make the metadata say what you want, or use --force to replace the matrix with the metadata and this change" \
	ap attach $G1 --control-domain 0x0004 --live
it_eq "drift in the mdev: the mdev keeps the outside change" "05.0004
05.0006" "$(cat "$MX/$U1/matrix")"
it_run_all "drift in the mdev: --force replaces it" 0 "Device attached successfully" \
	ap attach $G1 --control-domain 0x0004 --live --force
it_eq "drift in the mdev: --force: the mdev has the metadata and the change" "05.0004" "$(cat "$MX/$U1/matrix")"
ap detach $G1 --control-domain 0x0004 --live >/dev/null || exit 99
cp "$ETC/mdevctl.d/matrix/$U1" "$IT_TMP/profile" || exit 99
printf '{"mdev_type": "vfio_ap-passthrough", "start": "manual", "attrs": [{"assign_adapter": "0x05"}, {"assign_domain": "0x0004"}, {"assign_domain": "0x0006"}]}\n' \
	> "$ETC/mdevctl.d/matrix/$U1"
it_run_all "drift in the profile: refused, exit 3" 3 "error: Failed to attach device from the command line
error: drift: the mdevctl profile of mdev $U1 has adapters 0x05 domains 0x0004,0x0006 control-domains -, the persistent metadata of domain $G1 has adapters 0x05 domains 0x0004 control-domains -; it was changed outside apvirt: make the metadata say what you want, or use --force to replace the profile with the metadata and this change" \
	ap attach $G1 --control-domain 0x0004 --config
cp "$IT_TMP/profile" "$ETC/mdevctl.d/matrix/$U1" || exit 99
it_eq "drift: afterwards sysfs, CRYCB, metadata and profile as before" "$before" "$(state)"

# ---- libvirt refuses the metadata write: every part is put back ----
before=$(state)
# A read-only /etc/libvirt/qemu: libvirtd cannot save the persistent
# definition (it has changed it in memory already).
mount --bind "$QEMU_ETC" "$QEMU_ETC" && RO_MOUNTED=1 && mount -o remount,bind,ro "$QEMU_ETC" || exit 99
it_run_cap out ap attach $G1 --domain 0x0006 --live --config
umount "$QEMU_ETC" && RO_MOUNTED=''
it_eq "persistent write fails (read-only config dir): exit 1, libvirt's reason" "1 error: Failed to attach device from the command line
error: cannot write the metadata: Failed to create file '$QEMU_ETC/$G1.xml.new': Read-only file system" "$out_rc $(printf '%s' "$out_err")"
it_eq "persistent write fails: sysfs, CRYCB, both metadata and profile put back" "$before" "$(state)"
# The test hook sends the 2nd metadata write (persistent) through a
# read-only connection: libvirt refuses it with its own error.
FORBIDDEN="cannot write the metadata: operation forbidden: read only access prevents virDomainSetMetadata"
it_run_all "persistent write refused by libvirt: exit 1" 1 "error: Failed to attach device from the command line
error: $FORBIDDEN" env APVIRT_TEST_METADATA_READONLY=2 "$APVIRT" attach $G1 --domain 0x0006 --live --config
it_eq "persistent write refused: sysfs, CRYCB, both metadata and profile put back" "$before" "$(state)"
# ... and the 4th too (the 3rd puts the persistent one back, the 4th the
# live one): the live metadata stays changed: exit 5, one message.
it_run_all "persistent write and live restore refused: exit 5" 5 "error: Failed to attach device from the command line
error: $FORBIDDEN; putting the live metadata of domain $G1 back failed too ($FORBIDDEN): it is left with adapters 0x05 domains 0x0004,0x0006 control-domains - (it was adapters 0x05 domains 0x0004 control-domains -; the mdev and its profile are rolled back): set it again with virsh metadata or virsh edit" \
	env APVIRT_TEST_METADATA_READONLY=2,4 "$APVIRT" attach $G1 --domain 0x0006 --live --config
it_eq "restore refused: the mdev is rolled back" "05.0004" "$(cat "$MX/$U1/matrix")"
it_eq "restore refused: the live metadata is what the message says" "<ap:matrix xmlns:ap=\"$NS\" mdev=\"$U1\" lifecycle=\"managed\">
<ap:adapter id=\"0x05\"/>
<ap:domain id=\"0x0004\"/>
<ap:domain id=\"0x0006\"/>
</ap:matrix>" "$(meta $G1)"
vs metadata $G1 --live --uri "$NS" --key ap \
	--set "<matrix mdev=\"$U1\" lifecycle=\"managed\"><adapter id=\"0x05\"/><domain id=\"0x0004\"/></matrix>" || exit 99
it_eq "restore refused: after the admin's fix, all as before" "$before" "$(state)"

# ---- refusals: nothing changes anywhere ----
ap mdev create "$U2" >/dev/null && ap mdev set "$U2" --adapter 0x06 --domain 0x0004 >/dev/null || exit 99
before=$(snapshot)
it_run_all "conflict: APQN of another mdev, exit 3" 3 \
	"error: APQN 06.0004 is already assigned to mdev $U2; remove it there first: apvirt mdev set $U2 --adapter -0x06 (or --domain -0x0004)" \
	ap attach $G1 --adapter 0x06 --live --config
it_run_all "conflict: APQN in shut-off $G2's metadata, exit 3" 3 \
	"error: APQN 05.0005 is in the matrix of domain $G2 (mdev $U3); detach it there first: apvirt detach $G2 --adapter 0x05" \
	ap attach $G1 --domain 0x0005 --persistent
it_run_all "--live on a shut-off domain" 1 "error: Failed to attach device from the command line
error: Requested operation is not valid: domain is not running" \
	ap attach $G2 --adapter 0x06 --live
it_run_all "--current with --live" 2 "error: Options --current and --live are mutually exclusive" \
	ap attach $G1 --adapter 0x06 --current --live
it_ctl fail "devices/vfio_ap/matrix/$U1/ap_config" EIO >/dev/null || exit 99
Z62=00000000000000000000000000000000000000000000000000000000000000
it_run "a failed sysfs write: rolled back" 1 "error: Failed to attach device from the command line
error: writing '0x04$Z62,0x09$Z62,0x00$Z62' to $MX/$U1/ap_config failed: Input/output error" \
	ap attach $G1 --domain 0x0007 --live --config
it_eq "refusals: sysfs, CRYCB, metadata and profile unchanged" "$before" "$(snapshot)"

# ---- apvirtd: virsh metadata --live edits applied or rolled back ----
APVIRTD=${APVIRTD:-$PWD/libvirt-hooks/apvirtd}
ALOG=$IT_TMP/apvirtd.log
poll() {	# CMD...: true within 30 s (bounded; no wall-clock assertion)
	for _ in $(seq 1 300); do "$@" && return 0; sleep 0.1; done
	return 1
}
logged() { grep -qxF "$1" "$ALOG"; }
"$APVIRTD" --foreground -c "$URI" 2>"$ALOG" &
APVIRTD_PID=$!
poll logged "apvirtd: connected to $URI" || { cat "$ALOG" >&2; exit 99; }
echo "# apvirtd $APVIRTD_PID connected"
SNS=http://apvirt.org/xmlns/ap-status/1.0
# status DOMAIN: its live status as virsh prints it, the time checked
# (UTC, RFC 3339) and replaced by T; a bad time stays and fails the test
status() {
	vs metadata "$1" --live --uri "$SNS" 2>&1 |
		sed -E 's/ time="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"/ time="T"/'
}
# status_is DOMAIN GENERATION: poll for it (apvirtd writes it after the edit)
status_is() { status "$1" | grep -qF " generation=\"$2\" "; }
# digest MDEV ADAPTERS DOMAINS: apvirt-matrix(5)'s digest, by sha256sum
digest() {
	printf 'mdev=%s lifecycle=managed adapters=%s domains=%s control-domains=' "$1" "$2" "$3" |
		sha256sum | cut -d' ' -f1
}
# want RESULT GENERATION DIGEST REASON IDS [MDEV]: the status expected
want() {
	r=''
	[ -z "$4" ] || r=" reason=\"$4\""
	printf '<status result="%s" generation="%s" digest="%s" time="T" mdev="%s"%s>\n%s\n</status>' \
		"$1" "$2" "$3" "${6:-$U1}" "$r" "$5"
}
X5='  <adapter id="0x05"/>
  <domain id="0x0004"/>'
X56='  <adapter id="0x05"/>
  <adapter id="0x06"/>
  <domain id="0x0004"/>'
D5=$(digest "$U1" 5 4)
D56=$(digest "$U1" 5,6 4)
D56_45=$(digest "$U1" 5,6 4,5)
poll status_is $G1 1
it_eq "agent: at connect it publishes $G1's status" "$(want applied 1 "$D5" '' "$X5")" "$(status $G1)"
setmeta() {	# IDS-XML: G1's live metadata through plain virsh
	vs metadata $G1 --live --uri "$NS" --key ap \
		--set "<matrix mdev=\"$U1\" lifecycle=\"managed\">$1</matrix>"
}
before=$(snapshot)
M5="<ap:matrix xmlns:ap=\"$NS\" mdev=\"$U1\" lifecycle=\"managed\">
<ap:adapter id=\"0x05\"/>
<ap:domain id=\"0x0004\"/>
</ap:matrix>"
it_run_all "agent: virsh metadata --live with an APQN of another mdev" 0 "" \
	setmeta '<adapter id="0x05"/><adapter id="0x06"/><domain id="0x0004"/>'
REFUSED="apvirtd: domain $G1: refused the live metadata (APQN 06.0004 is already assigned to mdev $U2; remove it there first: apvirt mdev set $U2 --adapter -0x06 (or --domain -0x0004)); restored adapters 0x05 domains 0x0004 control-domains -"
poll logged "$REFUSED"
it_eq "agent: the refusal is logged with its reason" "$REFUSED" "$(grep -F 'refused' "$ALOG")"
poll status_is $G1 2
it_eq "agent: the status says refused, why, and the matrix still in effect" \
	"$(want refused 2 "$D56" "APQN 06.0004 is already assigned to mdev $U2; remove it there first: apvirt mdev set $U2 --adapter -0x06 (or --domain -0x0004)" "$X5")" \
	"$(status $G1)"
it_eq "agent: the live metadata is rolled back" "$M5" "$(meta $G1)"
it_eq "agent: refused edit: sysfs, CRYCB, metadata and profile unchanged" "$before" "$(snapshot)"

ap mdev remove "$U2" >/dev/null || exit 99
it_run_all "agent: virsh metadata --live adds adapter 0x06" 0 "" \
	setmeta '<adapter id="0x05"/><adapter id="0x06"/><domain id="0x0004"/>'
C56=0x0600000000000000000000000000000000000000000000000000000000000000
apm_is() { [ "$(crycb_apm)" = "$1" ]; }
poll apm_is $C56
it_eq "agent: the guest's CRYCB has adapters 0x05 and 0x06" "$C56" "$(crycb_apm)"
it_eq "agent: the mdev's matrix" "05.0004
06.0004" "$(cat "$MX/$U1/matrix")"
it_eq "agent: the live metadata stays as set" "$M56" "$(meta $G1)"
it_eq "agent: the change is logged" \
	"apvirtd: domain $G1: applied the live metadata: mdev $U1 adapters 0x05-0x06 domains 0x0004 control-domains -" \
	"$(grep -F 'applied' "$ALOG")"
it_eq "agent: its own restore write was not applied again" "1" "$(grep -c 'refused' "$ALOG")"
poll status_is $G1 3
# generation 3: neither the restore's echo nor its own status writes
# published a status of their own
it_eq "agent: the status says applied, the next generation" "$(want applied 3 "$D56" '' "$X56")" \
	"$(status $G1)"
it_run_all "agent: virsh metadata --live, the same matrix again" 0 "" \
	setmeta '<adapter id="0x05"/><adapter id="0x06"/><domain id="0x0004"/>'
poll status_is $G1 4
it_eq "agent: nothing to do is applied too" "$(want applied 4 "$D56" '' "$X56")" "$(status $G1)"
# A user's write into the status namespace is not an edit: apvirtd does
# not reconcile (the consumer's status below is generation 5, not 6).
it_run_all "agent: virsh metadata --live into the status namespace" 0 "" \
	vs metadata $G1 --live --uri "$SNS" --key st --set '<status result="bogus"/>'

# ---- a consumer that only speaks the libvirt API (python3-libvirt) ----
PY=${PYTHON3_LIBVIRT:-/usr/bin/python3}
consumer() {	# IDS-XML
	timeout 60 "$PY" "$HERE/consumer.py" "$URI" $G1 \
		"<matrix mdev=\"$U1\" lifecycle=\"managed\">$1</matrix>"
}
BARE56="<matrix mdev=\"$U1\" lifecycle=\"managed\">
  <adapter id=\"0x05\"/>
  <adapter id=\"0x06\"/>
  <domain id=\"0x0004\"/>
</matrix>"
ap mdev create "$U2" >/dev/null && ap mdev set "$U2" --adapter 0x05 --domain 0x0005 >/dev/null || exit 99
before=$(snapshot)
WHY2="APQN 05.0005 is already assigned to mdev $U2; remove it there first: apvirt mdev set $U2 --adapter -0x05 (or --domain -0x0005)"
REFUSED2="apvirtd: domain $G1: refused the live metadata ($WHY2); restored adapters 0x05-0x06 domains 0x0004 control-domains -"
it_run_all "consumer: an APQN of another mdev: its status says refused and why" 0 "result: refused
reason: $WHY2
effect: adapters=5,6 domains=4 control-domains=
$BARE56" \
	consumer '<adapter id="0x05"/><adapter id="0x06"/><domain id="0x0004"/><domain id="0x0005"/>'
it_eq "consumer: the status it read, generation 5" "$(want refused 5 "$D56_45" "$WHY2" "$X56")" \
	"$(status $G1)"
poll logged "$REFUSED2"
it_eq "consumer: the refusal is logged" "$REFUSED2" "$(grep -F 'refused' "$ALOG" | tail -n 1)"
it_eq "consumer: refused: sysfs, CRYCB, metadata and profile unchanged" "$before" "$(snapshot)"
ap mdev remove "$U2" >/dev/null || exit 99
it_run_all "consumer: detach adapter 0x06: its status says applied" 0 "result: applied
effect: adapters=5 domains=4 control-domains=
<matrix mdev=\"$U1\" lifecycle=\"managed\">
  <adapter id=\"0x05\"/>
  <domain id=\"0x0004\"/>
</matrix>" consumer '<adapter id="0x05"/><domain id="0x0004"/>'
it_eq "consumer: the status it read, generation 6" "$(want applied 6 "$D5" '' "$X5")" "$(status $G1)"
C5=0x0400000000000000000000000000000000000000000000000000000000000000
poll apm_is $C5
it_eq "consumer: the guest's CRYCB lost adapter 0x06" "$C5" "$(crycb_apm)"
it_eq "consumer: the mdev's matrix" "05.0004" "$(cat "$MX/$U1/matrix")"

# ---- libvirtd restarts: the guest survives, apvirtd reconnects ----
stop_pid "$LIBVIRTD_PID" libvirtd
LIBVIRTD_PID=
start_libvirtd "come back"
it_run_all "restart: the guest still runs" 0 "running
" timeout 60 virsh -c "$URI" domstate $G1
poll logged "apvirtd: reconnected to $URI"
it_eq "restart: apvirtd logged the reconnect" "apvirtd: reconnected to $URI" \
	"$(grep -F 'reconnected' "$ALOG")"
it_run_all "restart: virsh metadata --live adds adapter 0x06 again" 0 "" \
	setmeta '<adapter id="0x05"/><adapter id="0x06"/><domain id="0x0004"/>'
poll apm_is $C56
it_eq "restart: the edit reached the guest's CRYCB" "$C56" "$(crycb_apm)"
poll status_is $G1 7
it_eq "restart: the generations go on from the status the guest has" \
	"$(want applied 7 "$D56" '' "$X56")" "$(status $G1)"
it_eq "restart: the mdev's matrix" "05.0004
06.0004" "$(cat "$MX/$U1/matrix")"

before=$(snapshot)
REFUSED3="apvirtd: domain $G1: refused the live metadata (APQN 05.0005 is in the matrix of domain $G2 (mdev $U3); detach it there first: apvirt detach $G2 --adapter 0x05); restored adapters 0x05-0x06 domains 0x0004 control-domains -"
it_run_all "agent: virsh metadata --live with an APQN in shut-off $G2's metadata" 0 "" \
	setmeta '<adapter id="0x05"/><adapter id="0x06"/><domain id="0x0004"/><domain id="0x0005"/>'
poll logged "$REFUSED3"
it_eq "agent: the refusal names the other domain" "$REFUSED3" "$(grep -F 'refused' "$ALOG" | tail -n 1)"
it_eq "agent: refused: sysfs, CRYCB, metadata and profile unchanged" "$before" "$(snapshot)"
it_eq "agent: three refusals, each logged once (no restore loop)" "3" "$(grep -c 'refused' "$ALOG")"
poll status_is $G1 8
it_eq "agent: the status names the other domain" \
	"$(want refused 8 "$D56_45" "APQN 05.0005 is in the matrix of domain $G2 (mdev $U3); detach it there first: apvirt detach $G2 --adapter 0x05" "$X56")" \
	"$(status $G1)"

# ---- a guest starts while apvirtd runs: its first status says started ----
it_run_all "agent: virsh start $G2" 0 "Domain '$G2' started
" timeout 60 virsh -c "$URI" start $G2
poll status_is $G2 1
it_eq "agent: $G2's status says started, with its matrix" \
	"$(want started 1 "$(digest "$U3" 5 5)" '' '  <adapter id="0x05"/>
  <domain id="0x0005"/>' "$U3")" "$(status $G2)"
vs destroy $G2 >/dev/null || exit 99
kill -TERM "$APVIRTD_PID"
wait "$APVIRTD_PID"
it_eq "agent: SIGTERM: exit status 0" "0" "$?"
APVIRTD_PID=
it_eq "agent: SIGTERM: the last log line" "apvirtd: stopping on signal 15" "$(tail -n 1 "$ALOG")"

# ---- destroy ----
it_ctl detach "$U1" || exit 99
it_run_all "destroy: virsh destroy succeeds" 0 "Domain '$G1' destroyed
" timeout 60 virsh -c "$URI" destroy $G1
it_eq "destroy: release removed the managed mdev" "no" "$([ -e "$MX/$U1" ] && echo yes || echo no)"
it_eq "destroy: release logged" "program=apvirt-qemu-hook domain $G1 release: removed mdev $U1" \
	"$(grep 'release:' "$LOG" | tail -n 1 | sed 's/^uid=[0-9]* //')"

it_done
