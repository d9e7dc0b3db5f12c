# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tests/vm/stress.sh - sourced by guest.sh: run_stress SECONDS runs
# concurrent writers against the guest's AP bus (and vfio_ap when loaded)
# for SECONDS, then checks that every writer finished, that nothing hung,
# and that the bus returns to its boot state once the changes are undone.
#
# Writers: apmask/aqmask (relative and absolute), cex4queue bind/unbind,
# host configuration changes (ctl config), scans, readers of every card and
# queue file; with vfio_ap: mdevs assigned and unassigned, ap_config
# writes, attach/detach of a guest.  Every write may fail with the errnos
# the ABI allows (EBUSY, ENODEV, EADDRINUSE, ...): what counts is that
# the kernel stays sane and consistent, which the serial log and the final
# checks judge.

stress_until() { [ "$(date +%s)" -lt "$STRESS_END" ]; }

w() { echo "$2" > "$1" 2>/dev/null; }

st_masks() {
	while stress_until; do
		w $AP/apmask -0x06; w $AP/aqmask -0x0e
		w $AP/apmask +0x06; w $AP/aqmask +0x0e
		w $AP/aqmask "$ones"; w $AP/apmask "$ones"
	done
}

st_bind() {
	while stress_until; do
		w $AP/drivers/cex4queue/unbind 04.0003; w $AP/drivers/cex4queue/bind 04.0003
		w $AP/drivers/cex4card/unbind card05; w $AP/drivers/cex4card/bind card05
	done
}

st_hostcfg() {
	while stress_until; do
		$CTL config remove-domain 13 >/dev/null 2>&1
		$CTL config remove-adapter 6 >/dev/null 2>&1
		$CTL config add-domain 13 >/dev/null 2>&1
		$CTL config add-adapter 6 type=CEX8 >/dev/null 2>&1
		$CTL config remove-control-domain 2 --no-scan >/dev/null 2>&1
		$CTL scan >/dev/null 2>&1
		$CTL config add-control-domain 2 >/dev/null 2>&1
	done
}

st_read() {
	local f
	while stress_until; do
		for f in /sys/devices/ap/card0[3-6]/* /sys/devices/ap/card0[3-6]/*.000[0-3]/* $AP/*; do
			[ -f "$f" ] && cat "$f" >/dev/null 2>&1
		done
	done
}

ST_UUID=6f3c2a10-0000-4000-8000-0000000000a1
ST_UUID2=6f3c2a10-0000-4000-8000-0000000000a2
ST_VM=stress-vm
MATRIX=/sys/devices/vfio_ap/matrix
zeros=$(printf '0%.0s' $(seq 60))
# ap_config texts: adapter 0x05, domain 0x0e, control domain 0x02; empty
ST_CFG="0x04${zeros}00,0x0002${zeros},0x2${zeros}000"
ST_CFG0="0x${zeros}0000,0x${zeros}0000,0x${zeros}0000"

# Two mdevs fight over the same APQNs (EADDRINUSE), one of them attached.
st_mdev() {	# uuid
	local m=$MATRIX/$1
	while stress_until; do
		w $m/assign_adapter 0x05; w $m/assign_domain 0x0e; w $m/assign_control_domain 0x02
		w $m/unassign_domain 0x0e; w $m/unassign_adapter 0x05
		w $m/ap_config "$ST_CFG"
		cat $m/matrix $m/guest_matrix >/dev/null 2>&1
		w $m/ap_config "$ST_CFG0"
	done
}

st_guest() {
	while stress_until; do
		$CTL attach $ST_UUID --vm $ST_VM >/dev/null 2>&1
		$CTL crycb --vm $ST_VM >/dev/null 2>&1
		$CTL detach $ST_UUID >/dev/null 2>&1
	done
}

# Undo whatever the writers left half-done, then compare with the boot state.
stress_restore() {
	if [ -n "$VFIO_AP_KO" ]; then
		$CTL detach $ST_UUID >/dev/null 2>&1
		$CTL vm-remove $ST_VM >/dev/null 2>&1
		w $MATRIX/$ST_UUID/remove 1
		w $MATRIX/$ST_UUID2/remove 1
	fi
	$CTL config add-domain 13 >/dev/null 2>&1
	$CTL config add-adapter 6 type=CEX8 >/dev/null 2>&1
	$CTL config add-control-domain 2 >/dev/null 2>&1
	w $AP/aqmask "$ones"; w $AP/apmask "$ones"
	w $AP/drivers/cex4card/bind card05
	w $AP/drivers/cex4queue/bind 04.0003
	$CTL scan >/dev/null 2>&1
	[ -n "$VFIO_AP_KO" ] || repair_bindings
}

stress_state() {
	local d
	for d in /sys/bus/ap/devices/*; do
		echo "$(basename "$d") $(driver_of "$d") $(cat "$d/config" 2>/dev/null)"
	done
	cat $AP/apmask $AP/aqmask $AP/ap_control_domain_mask $AP/ap_usage_domain_mask
}

run_stress() {
	local secs=$1 pids=() p before after hung=0 deadline
	before=$(stress_state)
	if [ -n "$VFIO_AP_KO" ]; then
		for p in $ST_UUID $ST_UUID2; do
			echo "$p" > $MATRIX/mdev_supported_types/vfio_ap-passthrough/create ||
				nok "stress: create the stress mdev $p"
		done
	fi
	STRESS_END=$(( $(date +%s) + secs ))
	note "stress: ${secs}s"
	st_masks & pids+=($!)
	st_bind & pids+=($!)
	st_hostcfg & pids+=($!)
	st_read & pids+=($!)
	if [ -n "$VFIO_AP_KO" ]; then
		st_mdev $ST_UUID & pids+=($!)
		st_mdev $ST_UUID2 & pids+=($!)
		st_guest & pids+=($!)
	fi
	# every writer ends within the grace (120 s; longer on a KASAN kernel,
	# where one sysfs snapshot takes minutes) of the end, or something hangs
	deadline=$(( STRESS_END + ${STRESS_GRACE:-120} ))
	for p in "${pids[@]}"; do
		while kill -0 "$p" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
			sleep 1
		done
		kill -0 "$p" 2>/dev/null && hung=1
	done
	if [ "$hung" -eq 0 ]; then
		ok "stress: ${#pids[@]} concurrent writers for ${secs}s, none hung"
	else
		nok "stress: a writer still runs ${STRESS_GRACE:-120} s after the end (hang)"
		echo w > /proc/sysrq-trigger 2>/dev/null
		return
	fi
	stress_restore
	after=$(stress_state)
	if [ "$before" = "$after" ]; then
		ok "stress: the bus is back in its state before the stress"
	else
		nok "stress: the bus is back in its state before the stress"
		diff <(echo "$before") <(echo "$after") | head -20 | sed 's/^/VMTAP # /'
	fi
}
