#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# domain-flags.sh - which parts a domain verb changes for each flag set,
# as virsh means them, against apsim and libvirt's test driver (a node
# file: one running guest "gon", one shut-off guest "goff"; the driver
# keeps its state inside each apvirt process, so every run starts from
# the file).  The live side shows in the mdev's sysfs matrix, the
# persistent side in its mdevctl profile:
#
#   flags          running guest      shut-off guest
#   none           live               error: domain is not running
#   --current      live               config
#   --persistent   live + config      config
#   --live         live               error: domain is not running
#   --config       config             config
#
# Then a domain change killed after its metadata write, before and after
# its journal says "committed": rolled back with a warning, or finished.
#
# Environment: APSIM, APVIRT.  Output: TAP.

set -u
APSIM=${APSIM:-$PWD/sim/apsim}
APVIRT=${APVIRT:-$PWD/tools/apvirt}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$HERE/lib.sh"

NS=http://apvirt.org/xmlns/ap-matrix/1.0
out_rc=''
it_start_apsim
it_apvirt_roots
unset APVIRT_TEST_CRASH_AFTER_WRITE APVIRT_TEST_CRASH_AT_END
printf 'log_file = %s\nlock_timeout = 2\n' "$LOG" > "$ETC/apvirt/apvirt.conf"

ap() {
	timeout 60 "$APVIRT" "$@"
}

# guest NAME UUID DOMAIN-ID [RUNSTATE]: one test-driver domain
guest() {
	printf "<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
	printf '  <name>%s</name><memory>65536</memory><os><type>hvm</type></os>\n' "$1"
	printf '  <metadata><ap:matrix xmlns:ap="%s" mdev="%s" lifecycle="managed">' "$NS" "$2"
	printf '<ap:adapter id="0x05"/><ap:domain id="%s"/></ap:matrix></metadata>\n' "$3"
	[ -z "${4:-}" ] || printf '  <test:runstate>%s</test:runstate>\n' "$4"
	printf '</domain>\n'
}
# ghd: shut off, its metadata without mdev=, its vfio-ap hostdev names U3
ghd() {
	guest ghd "$U3" 0x0006 5 | sed -e "s/ mdev=\"$U3\"//" \
		-e "s|</domain>|<devices><hostdev mode='subsystem' type='mdev' model='vfio-ap'><source><address uuid='$U3'/></source></hostdev></devices></domain>|"
}
{
	echo '<node>'
	guest gon "$U1" 0x0004
	guest goff "$U2" 0x0005 5	# 5: VIR_DOMAIN_SHUTOFF
	ghd
	echo '</node>'
} > "$IT_TMP/node.xml"
URI=test://$IT_TMP/node.xml

ap host release --adapter 0x05-0x06 --domain 0x0004-0x0006 >/dev/null || exit 99
mdev() {
	{ ap mdev create "$1" --define && ap mdev set "$1" --adapter 0x05 --domain "$2"; } >/dev/null || exit 99
}
mdev "$U1" 0x0004
mdev "$U2" 0x0005
mdev "$U3" 0x0006

# parts UUID: "configured (sysfs) / defined (profile)" adapters of the mdev
parts() {
	ap mdev show "$1" | awk '$1 == "configured:" { c = $3 } $1 == "defined:" { d = $3 }
		END { print "sysfs " c ", profile " d }'
}

# case NAME GUEST UUID WANT-RC WANT-OUTPUT WANT-PARTS FLAGS...: attach
# adapter 0x06, check the output and which parts changed, then put both
# parts back to adapter 0x05 (apvirt mdev set changes sysfs and profile).
case_() {
	_name=$1 _g=$2 _u=$3 _rc=$4 _want=$5 _parts=$6
	shift 6
	it_run_all "$_name: exit $_rc, output" "$_rc" "$_want" ap attach "$_g" --adapter 0x06 -c "$URI" "$@"
	it_eq "$_name: what changed" "$_parts" "$(parts "$_u")"
	ap mdev set "$_u" --adapter -0x06 >/dev/null 2>&1
	[ "$(parts "$_u")" = "sysfs 0x05, profile 0x05" ] || exit 99
}

ATT="Device attached successfully"
NOTRUN="error: Failed to attach device from the command line
error: Requested operation is not valid: domain is not running"
LIVE="sysfs 0x05-0x06, profile 0x05"
CFG="sysfs 0x05, profile 0x05-0x06"
BOTH="sysfs 0x05-0x06, profile 0x05-0x06"
NONE="sysfs 0x05, profile 0x05"

it_eq "setup: both mdevs hold adapter 0x05" "$NONE $NONE" "$(parts "$U1") $(parts "$U2")"
case_ "running, no flags: --live" gon "$U1" 0 "$ATT" "$LIVE"
case_ "running, --current: --live" gon "$U1" 0 "$ATT" "$LIVE" --current
case_ "running, --live" gon "$U1" 0 "$ATT" "$LIVE" --live
case_ "running, --config" gon "$U1" 0 "$ATT" "$CFG" --config
case_ "running, --persistent: --live --config" gon "$U1" 0 "$ATT" "$BOTH" --persistent
case_ "running, --live --config" gon "$U1" 0 "$ATT" "$BOTH" --live --config
case_ "shut off, no flags: not running, as virsh" goff "$U2" 1 "$NOTRUN" "$NONE"
case_ "shut off, --current: --config" goff "$U2" 0 "$ATT" "$CFG" --current
case_ "shut off, --persistent: --config" goff "$U2" 0 "$ATT" "$CFG" --persistent
case_ "shut off, --config" goff "$U2" 0 "$ATT" "$CFG" --config
case_ "shut off, --live" goff "$U2" 1 "$NOTRUN" "$NONE" --live
# A metadata without mdev=: the mdev is the one the hostdev names.
case_ "no mdev= in the metadata: the hostdev's mdev (profile)" ghd "$U3" 0 "$ATT" "$CFG" --config
# detach-device takes the same flags through the same code.
printf '<ap:adapter xmlns:ap="%s" id="0x05"/>\n' "$NS" > "$IT_TMP/a5.xml"
it_run_all "detach-device, shut off, no flags: not running" 1 \
	"error: Failed to detach device from $IT_TMP/a5.xml
error: Requested operation is not valid: domain is not running" \
	ap detach-device goff "$IT_TMP/a5.xml" -c "$URI"
it_eq "detach-device, shut off, no flags: nothing changed" "$NONE" "$(parts "$U2")"

# The s390 lock held by another process: virsh's two lines, exit 4.
LOCK=$RUN/lock/s390apconfig.lock
mkdir -p "$RUN/lock" || exit 99
sleep 30 &
holder=$!
printf '%d\n' "$holder" > "$LOCK"
it_run_all "lock held: virsh's two lines, exit 4" 4 \
	"error: Failed to attach device from the command line
error: $LOCK is held by pid $holder (sleep); gave up after 2 s (is mdevctl, ap-check or chzdev running?)" \
	ap attach gon --adapter 0x06 -c "$URI"
kill "$holder"
wait "$holder" 2>/dev/null
rm -f "$LOCK"
it_eq "lock held: nothing changed" "$NONE" "$(parts "$U1")"

# ---- a domain change killed around its metadata write ----
# After the metadata is written but before the journal says "committed":
# rolled back, with a warning that the metadata may be new.
it_run_cap out env APVIRT_TEST_CRASH_AFTER_COMMIT=1 "$APVIRT" attach gon --adapter 0x06 -c "$URI" --live
it_rc "killed after the metadata write: SIGKILL" 137 "$out_rc"
it_run_all "killed after the metadata write: the next run rolls back and says to check the metadata" 0 \
	"apvirt: rolled back an interrupted change found in $RUN/apvirt/txn.journal; it was cut short while writing a domain's metadata, which may or may not have been written: check it with apvirt dumpxml, and set it with virsh metadata if it is wrong" \
	sh -c 'timeout 60 "$1" mdev show "$2" >/dev/null' _ "$APVIRT" "$U1"
it_eq "killed after the metadata write: the mdev is as before" "$NONE" "$(parts "$U1")"
# Once the journal says "committed": the change stands.
it_run_cap out env APVIRT_TEST_CRASH_AFTER_COMMITTED=1 "$APVIRT" attach gon --adapter 0x06 -c "$URI" \
	--live --config
it_rc "killed once committed: SIGKILL" 137 "$out_rc"
it_run_all "killed once committed: the next run finishes the change" 0 \
	"apvirt: finished an interrupted change found in $RUN/apvirt/txn.journal (it was complete)" \
	sh -c 'timeout 60 "$1" mdev show "$2" >/dev/null' _ "$APVIRT" "$U1"
it_eq "killed once committed: sysfs and profile keep the change" "$BOTH" "$(parts "$U1")"

it_done
