#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# hook.sh - libvirt-hooks/apvirt-qemu-hook against apsim, fed domain XML
# on stdin as libvirtd does: a domain without apvirt metadata is left
# alone; prepare creates a managed mdev and applies the matrix, refuses a
# conflict, a disagreeing hostdev and an absent external mdev with one
# line and exit 1, changing nothing; started logs the effective matrix;
# reconnect logs drift and never fails; release removes only what apvirt
# created; a held lock makes prepare give up after 10 s, not lock_timeout.  Exact text and exit status throughout.
#
# Environment: APSIM, APVIRT, APVIRT_HOOK.  Output: TAP.

set -u
APSIM=${APSIM:-$PWD/sim/apsim}
APVIRT=${APVIRT:-$PWD/tools/apvirt}
HOOK=${APVIRT_HOOK:-$PWD/libvirt-hooks/apvirt-qemu-hook}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$HERE/lib.sh"

NS=http://apvirt.org/xmlns/ap-matrix/1.0
it_start_apsim
it_apvirt_roots
printf 'log_file = %s\nlock_timeout = 2\n' "$LOG" > "$ETC/apvirt/apvirt.conf"
timeout 60 "$APVIRT" host release --adapter 0x05-0x06 --domain 0x0004-0x0007 >/dev/null || exit 99

# domxml NAME UUID LIFECYCLE IDS-XML [HOSTDEV-UUID]
domxml() {
	printf "<domain type='qemu'>\n  <name>%s</name>\n  <metadata>\n" "$1"
	printf '    <ap:matrix xmlns:ap="%s" mdev="%s" lifecycle="%s">%s</ap:matrix>\n' "$NS" "$2" "$3" "$4"
	printf "  </metadata>\n  <devices>\n"
	[ -z "${5:-}" ] || printf "    <hostdev mode='subsystem' type='mdev' model='vfio-ap'><source><address uuid='%s'/></source></hostdev>\n" "$5"
	printf "  </devices>\n</domain>\n"
}

# hook XML-FILE DOMAIN OP SUBOP: run it as libvirtd does
hook() {
	timeout 60 "$HOOK" "$2" "$3" "$4" - < "$1"
}

last_log() { tail -n 1 "$LOG" | sed 's/^uid=[0-9]* //'; }

A5D4='<ap:adapter id="0x05"/><ap:domain id="0x0004"/>'
domxml g1 "$U1" managed "$A5D4" "$U1" > "$IT_TMP/g1.xml"
printf "<domain type='qemu'><name>plain</name><devices/></domain>\n" > "$IT_TMP/plain.xml"

# ---- not ours ----
it_run_all "no metadata: prepare exits 0 silently" 0 "" hook "$IT_TMP/plain.xml" plain prepare begin
it_run_all "other operation: exits 0 silently" 0 "" hook "$IT_TMP/g1.xml" g1 start begin
# The namespace only in a description, a name over 255 bytes and a vfio-ap
# hostdev without a UUID: still not apvirt's, so libvirt may start it.
long=$(printf '%300s' '' | tr ' ' n)
printf "<domain type='qemu'><name>%s</name><description>%s</description><devices><hostdev mode='subsystem' type='mdev' model='vfio-ap'/></devices></domain>\n" \
	"$long" "$NS" > "$IT_TMP/odd.xml"
for op in "prepare begin" "started begin" "release end" "reconnect begin"; do
	# shellcheck disable=SC2086 # two words on purpose
	it_run_all "not apvirt's, odd XML: $op exits 0 silently" 0 "" hook "$IT_TMP/odd.xml" odd $op
done
it_eq "nothing created" "" "$(ls "$MX" | grep -- -)"

# ---- prepare: create and configure ----
it_run_all "prepare g1: exit 0, silent" 0 "" hook "$IT_TMP/g1.xml" g1 prepare begin
it_eq "prepare g1: the mdev has the matrix" "05.0004" "$(cat "$MX/$U1/matrix")"
it_eq "prepare g1: recorded as created by apvirt" "g1" "$(cat "$RUN/apvirt/managed/$U1")"
it_eq "prepare g1: recorded as the mdev's user" "g1" "$(cat "$RUN/apvirt/owner/$U1")"
it_eq "prepare g1: log line" "program=apvirt-qemu-hook domain g1 prepare: mdev $U1 created, adapters 0x05 domains 0x0004 control-domains -" "$(last_log)"

# ---- started: effective matrix ----
it_ctl attach "$U1" --vm g1 || exit 99
it_run_all "started g1: exit 0" 0 "" hook "$IT_TMP/g1.xml" g1 started begin
it_eq "started g1: effective and filtered logged" "program=apvirt-qemu-hook domain g1 started: mdev $U1 effective adapters 0x05 domains 0x0004 control-domains -; filtered: none" "$(last_log)"
# libvirtd kills a guest whose started hook fails: a broken profile of an
# unrelated mdev must not matter, and started never needs the profiles.
mkdir -p "$ETC/mdevctl.d/matrix" || exit 99
printf '{bad' > "$ETC/mdevctl.d/matrix/99999999-9999-4999-8999-999999999999"
it_run_all "started g1, a broken unrelated profile: exit 0" 0 "" hook "$IT_TMP/g1.xml" g1 started begin
it_eq "started g1, a broken unrelated profile: logged as usual" "program=apvirt-qemu-hook domain g1 started: mdev $U1 effective adapters 0x05 domains 0x0004 control-domains -; filtered: none" "$(last_log)"
rm -f "$ETC/mdevctl.d/matrix/99999999-9999-4999-8999-999999999999"

# ---- refusals: nothing changes ----
before=$(ls "$MX"; cat "$MX/$U1/matrix")
domxml g2 "$U2" managed '<ap:adapter id="0x05"/><ap:domain id="0x0004"/>' > "$IT_TMP/g2.xml"
it_run_all "prepare g2, APQN of g1's mdev: one line, exit 1" 1 \
	"apvirt: domain g2: APQN 05.0004 is already assigned to mdev $U1; remove it there first: apvirt mdev set $U1 --adapter -0x05 (or --domain -0x0004)" \
	hook "$IT_TMP/g2.xml" g2 prepare begin
domxml g3 "$U3" managed "$A5D4" "$U4" > "$IT_TMP/g3.xml"
it_run_all "prepare g3, hostdev names another mdev: exit 1" 1 \
	"apvirt: domain g3: domain g3: its apvirt metadata names mdev $U3 but its vfio-ap hostdev names mdev $U4; make them agree" \
	hook "$IT_TMP/g3.xml" g3 prepare begin
domxml g4 "$U4" external '<ap:adapter id="0x06"/><ap:domain id="0x0005"/>' > "$IT_TMP/g4.xml"
it_run_all "prepare g4, external mdev absent: exit 1" 1 \
	"apvirt: domain g4: mdev $U4 is not active and its lifecycle is external: start it first (mdevctl start -u $U4)" \
	hook "$IT_TMP/g4.xml" g4 prepare begin
domxml g5 "$U3" managed '<ap:adapter id="0x03"/><ap:domain id="0x0000"/>' > "$IT_TMP/g5.xml"
it_run_all "prepare g5, host-reserved APQN: exit 1" 1 \
	"apvirt: domain g5: APQN 03.0000 is reserved for the host drivers (apmask and aqmask); give it to vfio_ap first: apvirt host release --adapter 0x03 (or --domain 0x0000)" \
	hook "$IT_TMP/g5.xml" g5 prepare begin
domxml g9 "$U1" external '<ap:adapter id="0x06"/><ap:domain id="0x0005"/>' > "$IT_TMP/g9.xml"
it_run_all "prepare g9, the mdev g1 uses: exit 1" 1 \
	"apvirt: domain g9: mdev $U1 is in use by domain g1; give this domain its own mdev (if g1 is not running, remove $RUN/apvirt/owner/$U1)" \
	hook "$IT_TMP/g9.xml" g9 prepare begin
it_eq "refusals: no mdev created, g1 unchanged" "$before" "$(ls "$MX"; cat "$MX/$U1/matrix")"
it_eq "refusals: g1's CRYCB unchanged" "apm 0x04" "$(it_ctl crycb --vm g1 | grep '^apm' | cut -c1-8)"
it_eq "refusals: g1 still recorded as the user" "g1" "$(cat "$RUN/apvirt/owner/$U1")"
it_eq "refusals: no marker" "$U1" "$(ls "$RUN/apvirt/managed")"

# ---- reconnect: drift is logged, never fatal ----
domxml g1 "$U1" managed '<ap:adapter id="0x05"/><ap:adapter id="0x06"/><ap:domain id="0x0004"/>' "$U1" > "$IT_TMP/g1b.xml"
rm -f "$RUN/apvirt/owner/$U1"
it_run_all "reconnect g1 with drift: exit 0" 0 "" hook "$IT_TMP/g1b.xml" g1 reconnect begin
it_eq "reconnect g1: recorded as the user again" "g1" "$(cat "$RUN/apvirt/owner/$U1")"
it_eq "reconnect g1: drift logged" "program=apvirt-qemu-hook domain g1 reconnect: drift: desired adapters 0x05-0x06 domains 0x0004 control-domains -, configured adapters 0x05 domains 0x0004 control-domains -" "$(last_log)"
domxml g1 "$U1" managed '<ap:adapter id="300"/>' > "$IT_TMP/bad.xml"
it_run "reconnect with bad metadata: still exit 0" 0 \
	"apvirt: domain g1: domain XML: line 4: <adapter id=\"300\">: not an ID from 0 to 255 (0x05, 5)" \
	hook "$IT_TMP/bad.xml" g1 reconnect begin
it_run "prepare with bad metadata: exit 1" 1 \
	"apvirt: domain g1: domain XML: line 4: <adapter id=\"300\">: not an ID from 0 to 255 (0x05, 5)" \
	hook "$IT_TMP/bad.xml" g1 prepare begin

# ---- a failed prepare undoes its creation, or says why it could not ----
U5=55555555-5555-4555-8555-555555555555
domxml g6 "$U5" managed '<ap:adapter id="0x06"/><ap:domain id="0x0006"/>' > "$IT_TMP/g6.xml"
G6_WRITE="writing '0x0200000000000000000000000000000000000000000000000000000000000000,0x0200000000000000000000000000000000000000000000000000000000000000,0x0000000000000000000000000000000000000000000000000000000000000000' to $IT_ROOT/sys/devices/vfio_ap/matrix/$U5/ap_config failed: Input/output error"
it_ctl fail "devices/vfio_ap/matrix/$U5/ap_config" EIO || exit 99
it_run "prepare g6, the matrix write fails: exit 1" 1 \
	"apvirt: domain g6: $G6_WRITE" \
	hook "$IT_TMP/g6.xml" g6 prepare begin
it_eq "prepare g6: the created mdev is removed again" "no" "$([ -d "$MX/$U5" ] && echo yes || echo no)"
it_eq "prepare g6: no record" "" "$(ls "$RUN/apvirt/managed" | grep "$U5")"
it_ctl fail "devices/vfio_ap/matrix/$U5/ap_config" EIO || exit 99
it_ctl fail "devices/vfio_ap/matrix/$U5/remove" EIO || exit 99
it_run "prepare g6, the matrix write and the undo fail: exit 1" 1 \
	"apvirt: domain g6: $G6_WRITE; and the mdev $U5 it created could not be removed (writing '1' to $IT_ROOT/sys/devices/vfio_ap/matrix/$U5/remove failed: Input/output error): the release of this domain removes it" \
	hook "$IT_TMP/g6.xml" g6 prepare begin
it_eq "prepare g6: the mdev it could not remove stays recorded" "g6" "$(cat "$RUN/apvirt/managed/$U5")"
it_run_all "release g6: removes it" 0 "" hook "$IT_TMP/g6.xml" g6 release end
it_eq "release g6: the mdev is gone" "no" "$([ -d "$MX/$U5" ] && echo yes || echo no)"

# ---- release: only what apvirt created ----
timeout 60 "$APVIRT" mdev create "$U4" >/dev/null || exit 99
it_run_all "release g4 (external): exit 0" 0 "" hook "$IT_TMP/g4.xml" g4 release end
it_eq "release g4: the external mdev stays" "yes" "$([ -d "$MX/$U4" ] && echo yes)"
it_ctl detach "$U1" || exit 99
it_run_all "release g1: exit 0" 0 "" hook "$IT_TMP/g1.xml" g1 release end
it_eq "release g1: the managed mdev is gone" "no" "$([ -d "$MX/$U1" ] && echo yes || echo no)"
it_eq "release g1: marker gone" "" "$(ls "$RUN/apvirt/managed")"
it_eq "release g1: no user recorded" "" "$(ls "$RUN/apvirt/owner")"
it_eq "release g1: log line" "program=apvirt-qemu-hook domain g1 release: removed mdev $U1" "$(last_log)"
it_run_all "release g1 again: nothing to do" 0 "" hook "$IT_TMP/g1.xml" g1 release end

# ---- metadata without mdev=: the UUID comes from the vfio-ap hostdev ----
domxml g7 "$U5" managed "$A5D4" "$U5" | sed "s/ mdev=\"$U5\"//" > "$IT_TMP/g7.xml"
it_eq "g7's metadata names no mdev" "0" "$(grep -c 'mdev=' "$IT_TMP/g7.xml")"
it_run_all "prepare g7, no mdev= but one hostdev: exit 0" 0 "" hook "$IT_TMP/g7.xml" g7 prepare begin
it_eq "prepare g7: the hostdev's mdev is created with the matrix" "05.0004" "$(cat "$MX/$U5/matrix")"
it_eq "prepare g7: recorded as created by apvirt" "g7" "$(cat "$RUN/apvirt/managed/$U5")"
it_run_all "release g7: exit 0" 0 "" hook "$IT_TMP/g7.xml" g7 release end
it_eq "release g7: the mdev is gone" "no" "$([ -d "$MX/$U5" ] && echo yes || echo no)"
domxml g8 "$U5" managed "$A5D4" | sed "s/ mdev=\"$U5\"//" > "$IT_TMP/g8.xml"
it_run_all "prepare g8, no mdev= and no hostdev: one line, exit 1" 1 \
	"apvirt: domain g8: domain g8: its apvirt metadata names no mdev and it has 0 vfio-ap hostdevs; name the mdev with mdev=\"UUID\", or give the domain one vfio-ap hostdev" \
	hook "$IT_TMP/g8.xml" g8 prepare begin
it_eq "prepare g8: nothing created" "no" "$([ -d "$MX/$U5" ] && echo yes || echo no)"

# ---- the lock: a short wait, whatever lock_timeout says ----
# libvirtd holds the domain while the hook runs; a long lock_timeout must
# not make a start hang on a lock someone keeps (the wait is 10 s at most).
printf 'log_file = %s\nlock_timeout = 120\n' "$LOG" > "$ETC/apvirt/apvirt.conf"
LOCK=$RUN/lock/s390apconfig.lock
sleep 100 &
holder=$!
mkdir -p "$RUN/lock" && printf '%d\n' "$holder" > "$LOCK"
it_run_all "prepare while the lock stays held: gives up after 10 s, one line" 1 \
	"apvirt: domain g1: $LOCK is held by pid $holder (sleep); gave up after 10 s (is mdevctl, ap-check or chzdev running?)" \
	hook "$IT_TMP/g1.xml" g1 prepare begin
it_eq "prepare while the lock stays held: no mdev created" "no" "$([ -d "$MX/$U1" ] && echo yes || echo no)"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
rm -f "$LOCK"

# ---- --help, for a person; the callout's options too (mdevctl-callout.sh,
# its own test, needs root) ----
CALLOUT=${APVIRT_CALLOUT:-$PWD/tools/apvirt-mdevctl-callout}
for prog in "$HOOK" "$CALLOUT"; do
	it_run_cap out "$prog" --help
	it_eq "${prog##*/} --help: exit 0, nothing on stderr" "0 " "$out_rc $out_err"
	it_eq "${prog##*/} --help: the usage on stdout" "Usage: ${prog##*/} " \
		"$(printf '%s\n' "$out" | head -n 1 | cut -d' ' -f1-2) "
done
it_run_all "hook without its arguments: usage, exit 2" 2 \
	"usage: apvirt-qemu-hook DOMAIN OPERATION SUB-OPERATION [EXTRA]... < domain.xml (or --help)" "$HOOK" g1
it_run_all "callout, unknown long option: named, exit 1" 1 \
	"error: unknown option '--bogus'; mdevctl runs callouts with -t -e -a -s -u -p" "$CALLOUT" --bogus
it_run_all "callout, unknown short option: named, exit 1" 1 \
	"error: unknown option '-x'; mdevctl runs callouts with -t -e -a -s -u -p" "$CALLOUT" -t vfio_ap-passthrough -x
it_run_all "callout, option without its value: named, exit 1" 1 \
	"error: option '-u' needs a value" "$CALLOUT" -t vfio_ap-passthrough -u

it_done
