#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/guest.sh ENV - runs inside the test VM (tests/vm/run.sh), chrooted
# into the host's root, against the guest kernel's real /sys.  Prints
# "VMTAP ok ..." / "VMTAP not ok ..." lines, which run.sh relays as TAP,
# and "APVIRT-VM-DONE" at its end.
set -u
. "$1"

AP=/sys/bus/ap
APSIM=$BUILDDIR/sim/apsim
CTL="$APSIM ctl --root /"

ok() { echo "VMTAP ok $*"; }
nok() { echo "VMTAP not ok $*"; FAILED=1; }
note() { echo "VMTAP # $*"; }
check() {	# check "description" command...
	local what=$1
	shift
	if "$@"; then ok "$what"; else nok "$what"; fi
}
FAILED=0

# The exact content of a sysfs file.
reads() {	# path expected
	local got
	got=$(cat "$1" 2>&1)
	[ "$got" = "$2" ] && return 0
	note "$1: expected '$2' got '$got'"
	return 1
}

# The driver a device is bound to ("" for none).
driver_of() {
	local l
	l=$(readlink "$1/driver" 2>/dev/null) || { echo ""; return; }
	basename "$l"
}

insmod_all() {
	local ko
	for ko in "$@"; do
		insmod "$ko" || { note "insmod $ko failed"; return 1; }
	done
}

# ---- load ------------------------------------------------------------------
check "insmod vfio, vfio_iommu_type1, mdev (Debian's)" insmod_all $VFIO_KOS
check "insmod ap_sim.ko kernel=$PROFILE" insmod "$AP_SIM_KO" kernel="$PROFILE"
# §9 item 2: without the AP instructions vfio_ap refuses to load, ENODEV.
no_instructions() {
	local out rc=0
	echo N > /sys/module/ap_sim/parameters/ap_instructions || return 1
	out=$(insmod "$VFIO_AP_KO" 2>&1) && rc=1
	echo Y > /sys/module/ap_sim/parameters/ap_instructions || return 1
	case $out in *"No such device"*) ;; *) note "insmod: '$out'"; rc=1 ;; esac
	[ ! -e /sys/devices/vfio_ap ] && [ ! -e /sys/module/vfio_ap ] || rc=1
	return $rc
}
load_vfio_ap() {
	insmod "$VFIO_AP_KO" && [ -d /sys/devices/vfio_ap/matrix ]
}
if [ -n "$VFIO_AP_KO" ]; then
	check "vfio_ap.ko without AP instructions: insmod fails with ENODEV, nothing left" no_instructions
	check "insmod vfio_ap.ko; /sys/devices/vfio_ap/matrix exists" load_vfio_ap
fi

# The default host of the bus model: CEX8C 0x03-0x06, domains 0-15.
ones=0x$(printf 'f%.0s' $(seq 64))
bus_sane() {
	reads $AP/apmask "$ones" && reads $AP/aqmask "$ones" &&
	[ -d /sys/devices/ap/card03/03.0005 ] && [ -L $AP/devices/05.000f ] &&
	[ "$(driver_of $AP/devices/03.0005)" = cex4queue ] &&
	[ "$(driver_of $AP/devices/card03)" = cex4card ] &&
	reads /sys/devices/ap/card03/03.0005/config 1
}
check "bus ap: masks, cardXX/XX.YYYY devices, cex4card/cex4queue bindings" bus_sane
check "ctl: 'apsim ctl --root /' answers status" $CTL status

# ---- the conformance suite against the real /sys ----------------------------
# Without vfio_ap only the AP bus tests apply; the ones below also need an
# mdev or the matrix device (tests/conformance/README.md, "the VM").
BUS_ONLY="bus_* zcrypt_*"
NEEDS_VFIO_AP="bus_in_use_ebusy bus_in_use_log bus_in_use_rule bus_mask_rebind
	bus_driver_override bus_driver_override_text bus_adapter_types
	bus_scan_picks_up_config bus_bindings_uevent"
# Not in the VM at all (tests/conformance/README.md, "The VM"):
# ap_config_enodev and bus_ap_domain_select as on apsim's default instance,
# zcrypt_class (no zcrypt class without zcrypt).  The 6.1 mdev core's
# uevent has no MDEV_TYPE= line: CONFORMANCE_MDEV_UEVENT_TYPE=0 below.
EXCLUDE="ap_config_enodev bus_ap_domain_select zcrypt_class"
args=()
for x in $EXCLUDE; do args+=(-x "$x"); done
if [ -z "$VFIO_AP_KO" ]; then
	for x in $NEEDS_VFIO_AP; do args+=(-x "$x"); done
	[ -n "$ONLY" ] || ONLY=$BUS_ONLY
fi
# shellcheck disable=SC2206
[ -n "$ONLY" ] && { set -f; args+=($ONLY); set +f; }
# Queues that lost their driver: without vfio_ap, a queue taken out of
# apmask/aqmask stays unbound when the mask is restored (only bound queues
# are re-probed, docs/kernel-abi.md §3.3), where vfio_ap would have taken
# it.  What an administrator does then: bind it to cex4queue again.
repair_bindings() {
	local d q b
	read -r b < $AP/bindings
	case $b in *"(complete)") return 0 ;; esac
	for d in $AP/devices/*.*; do
		[ -e "$d" ] || continue
		q=$(basename "$d")
		[ -z "$(driver_of "$d")" ] && echo "$q" > $AP/drivers/cex4queue/bind 2>/dev/null
	done
	for d in $AP/devices/card*; do
		[ -z "$(driver_of "$d")" ] && basename "$d" > $AP/drivers/cex4card/bind 2>/dev/null
	done
	return 0
}

conformance() {
	CONFORMANCE_SYSFS_ROOT=/sys CONFORMANCE_CTL="$CTL" CONFORMANCE_KERNEL=$PROFILE \
	CONFORMANCE_NO_SKIP=1 CONFORMANCE_DEFAULT_MASKS=1 CONFORMANCE_TIMEOUT=120 \
	CONFORMANCE_MDEV_UEVENT_TYPE=0 \
		timeout -k 5 900 "$BUILDDIR/tests/conformance/conformance" "$@"
}

TARGET_SHOWN=
relay() {	# conformance output file
	local line
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "conformance: ${line#ok * - }" ;;
		"not ok "*) nok "conformance: ${line#not ok * - }" ;;
		"# target "*)	# the same for every run of the binary
			[ -n "$TARGET_SHOWN" ] || note "${line#\# }"
			TARGET_SHOWN=1 ;;
		"# "*) note "${line#\# }" ;;
		esac
	done < "$1"
}

note "conformance ${args[*]}"
if [ -n "$VFIO_AP_KO" ]; then
	conformance "${args[@]}" > /tmp/conf.out 2>&1
	crc=$?
	relay /tmp/conf.out
	[ "$crc" -le 1 ] || nok "conformance: exit status $crc ($(tail -1 /tmp/conf.out))"
else
	# one test at a time, the bindings repaired in between (see above)
	for t in $(conformance -l "${args[@]}" | awk '{print $1}'); do
		conformance "$t" > /tmp/conf.out 2>&1
		crc=$?
		relay /tmp/conf.out
		[ "$crc" -le 1 ] || nok "conformance: $t: exit status $crc ($(tail -1 /tmp/conf.out))"
		repair_bindings
	done
fi
check "the bus is in its boot state after the conformance suite" bus_sane

# ---- the VFIO ioctls from real userspace -------------------------------------
# tests/vm/vfio-client.c opens an mdev as QEMU would (container, group,
# device fd) with a simulated VM designated through ap_sim's ctl
# "vfio-vm", checks docs/kernel-abi.md §9 item 45, the CRYCB and the
# device request on removal, and removes the mdev.  Adapter 0x03 leaves
# the host (apmask) for the run and comes back after it.
VUUID=6d1c0a55-7e1f-4c3a-9b2e-0a0b0c0d0e45
vfio_client_setup() {
	local m=/sys/bus/mdev/devices/$VUUID
	echo -0x3 > $AP/apmask || return 1
	[ "$(driver_of $AP/devices/03.0005)" = vfio_ap ] || { note "03.0005 not on vfio_ap"; return 1; }
	echo $VUUID > /sys/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/create &&
	echo 0x3 > $m/assign_adapter && echo 0x5 > $m/assign_domain &&
	echo 0x5 > $m/assign_control_domain
}
vfio_client_restore() {
	echo +0x3 > $AP/apmask && [ ! -e /sys/bus/mdev/devices/$VUUID ] &&
	[ "$(driver_of $AP/devices/03.0005)" = cex4queue ]
}
if [ -n "$VFIO_AP_KO" ]; then
	if [ -z "$VFIO_CLIENT" ]; then
		nok "vfio-client: not built (tests/vm/run.sh)"
	elif vfio_client_setup; then
		ok "vfio-client: mdev $VUUID with 03.0005 (control domain 5)"
		timeout -k 5 300 "$VFIO_CLIENT" /sys/kernel/debug/ap_sim/ctl $VUUID vfiovm 3 5 \
			> /tmp/vfio-client.out 2>&1
		vrc=$?
		while IFS= read -r line; do
			case $line in
			"ok "*) ok "vfio-client: ${line#ok * - }" ;;
			"not ok "*) nok "vfio-client: ${line#not ok * - }" ;;
			"# "*) note "vfio-client: ${line#\# }" ;;
			"1.."*) ;;
			*) note "vfio-client: $line" ;;
			esac
		done < /tmp/vfio-client.out
		[ "$vrc" -eq 0 ] || nok "vfio-client: exit status $vrc"
		grep -q '^1\.\.[0-9]' /tmp/vfio-client.out || nok "vfio-client: no plan (cut short)"
	else
		nok "vfio-client: mdev $VUUID with 03.0005 (control domain 5)"
	fi
	check "vfio-client: the mdev is gone, 03.0005 back on cex4queue" vfio_client_restore
	# whatever a failed run left behind, so the steps after it start clean
	[ -e /sys/bus/mdev/devices/$VUUID ] && echo 1 > /sys/bus/mdev/devices/$VUUID/remove
	echo "$ones" > $AP/apmask
	check "ctl vm-remove vfiovm" $CTL vm-remove vfiovm
	check "the bus is in its boot state after vfio-client" bus_sane
fi

# ---- concurrent stress --------------------------------------------------------
. "$SRCDIR/tests/vm/stress.sh"
run_stress "$STRESS"

# ---- remove every mdev, unload and reload twice --------------------------------
remove_mdevs() {
	local d
	for d in /sys/bus/mdev/devices/*; do
		[ -e "$d/remove" ] || continue
		echo 1 > "$d/remove" || return 1
	done
	[ -z "$(ls /sys/bus/mdev/devices 2>/dev/null)" ]
}
[ -n "$VFIO_AP_KO" ] && check "every mdev removed" remove_mdevs
unload() {
	if [ -n "$VFIO_AP_KO" ]; then rmmod vfio_ap || return 1; fi
	rmmod ap_sim || return 1
	[ ! -e /sys/bus/ap ] && [ ! -e /sys/devices/ap ] && [ ! -e /sys/kernel/debug/ap_sim ]
}
reload() {
	insmod "$AP_SIM_KO" kernel="$PROFILE" || return 1
	if [ -n "$VFIO_AP_KO" ]; then insmod "$VFIO_AP_KO" || return 1; fi
	bus_sane
}
for round in 1 2; do
	check "unload round $round: modules gone, /sys/bus/ap and debugfs gone" unload
	check "reload round $round: the bus is back in its boot state" reload
done

# ---- kmemleak (debug kernel only, tests/vm/debug-kernel.sh) ---------------------
# Every other module of that kernel is built in, so a backtrace frame in
# module space is ap_sim's or vfio_ap's: named while they are loaded, a
# bare 0xffffffffc... address once they are gone.  Two scans each time:
# kmemleak skips objects younger than 5 s and a pointer may sit in a
# register during one scan.  Leaks elsewhere are shown, not failed.
KML=/sys/kernel/debug/kmemleak
kmemleak_ours() {	# when
	local rep=/tmp/kmemleak.$1 ours=/tmp/kmemleak.$1.ours
	sleep 6
	echo scan > $KML && echo scan > $KML || { note "kmemleak: scan failed"; return 1; }
	cat $KML > "$rep" || return 1
	awk -v ours="$ours" '
		/^unreferenced object/ { flush(); blk = $0 "\n"; next }
		{ blk = blk $0 "\n" }
		function flush() {
			if (blk == "") return
			if (blk ~ /\[(ap_sim|vfio_ap)\]|\] 0xffffffffc[0-9a-f]+/) printf "%s", blk > ours
			else others++
			blk = ""
		}
		END { flush(); print others + 0 }
	' "$rep" > "$rep.others"
	note "kmemleak $1: $(grep -c '^unreferenced object' "$rep") unreferenced objects, $(cat "$rep.others") outside ap_sim/vfio_ap"
	echo clear > $KML
	[ -s "$ours" ] || return 0
	sed 's/^/kmemleak| /' "$ours" | head -60 | while IFS= read -r l; do note "$l"; done
	return 1
}
if [ "${KMEMLEAK:-0}" = 1 ]; then
	check "kmemleak is on" test -w $KML
	check "kmemleak with the modules loaded: no leak in ap_sim/vfio_ap" kmemleak_ours loaded
fi
check "final unload" unload
if [ "${KMEMLEAK:-0}" = 1 ]; then
	check "kmemleak after the final unload: no leak in ap_sim/vfio_ap" kmemleak_ours unloaded
fi

if [ "$FAILED" -ne 0 ]; then
	dmesg | sed 's/^/DMESG| /' | grep -v 'WARNING:\|BUG:\|Oops\|Call Trace\|circular' | tail -200
fi
echo "APVIRT-VM-DONE"
