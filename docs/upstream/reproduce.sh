#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# reproduce.sh - show the vfio_ap host-configuration bugs of
# docs/kernel-abi.md §4.7 on apsim, for one kernel profile.
#
#   docs/upstream/reproduce.sh [KERNEL ...]    (default: 6.15 7.0)
#
# For each profile it runs five scenarios on a fresh apsim tree and prints,
# after the host configuration change, the guest's CRYCB masks, how many
# times KVM's masks were written (updates) and how many config-change
# eventfd signals were sent (cfg_chg_signals, IRQ index 1, 6.15+).
# APSIM names the apsim binary (default: sim/apsim of this tree, else the
# one in PATH).  Needs FUSE (/dev/fuse), as apsim does.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
A=${APSIM:-}
[ -n "$A" ] || { [ -x "$top/sim/apsim" ] && A=$top/sim/apsim; } || A=apsim
T=devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough
U=4b0c6f3e-8d1a-4c8e-9d2f-6a7b5c4d3e21
V=0b2e5f4a-9d4c-4d0e-8f1a-1c2d3e4f5a6b

R=
cleanup() { [ -n "$R" ] && { "$A" stop --root "$R" >/dev/null 2>&1; rm -rf "$R"; }; R=; }
trap cleanup EXIT

ctl() { "$A" ctl --root "$R" "$@"; }

# A fresh default host (adapters 3-6, domains and control domains 0-15),
# domain 4 handed to vfio_ap, mdev U with the given adapters, domain 4 and
# control domain 7, attached to guest g1 with a config-change eventfd.
setup() {	# KERNEL ADAPTER...
	local k=$1 a
	shift
	R=$(mktemp -d /tmp/apvirt-repro.XXXXXX)
	"$A" start --root "$R" --kernel="$k" || exit 1
	echo -0x0004 > "$R/sys/bus/ap/aqmask"
	echo $U > "$R/sys/$T/create"
	for a in "$@"; do
		echo "$a" > "$R/sys/devices/vfio_ap/matrix/$U/assign_adapter"
	done
	echo 4 > "$R/sys/devices/vfio_ap/matrix/$U/assign_domain"
	echo 7 > "$R/sys/devices/vfio_ap/matrix/$U/assign_control_domain"
	ctl irq $U 1 set 2>/dev/null || true	# EOPNOTSUPP on 6.0, EINVAL on 6.10/6.12
	ctl attach $U --vm g1
}

# The CRYCB counters as they are now.
counters() { ctl crycb --vm g1 | awk '$1 == "updates" || $1 == "cfg_chg_signals" { print $2 }' | tr '\n' ' '; }

# Print what one host change did to g1.
report() {	# TITLE COMMAND...
	local title=$1 before after
	shift
	before=$(counters)
	"$@"
	after=$(counters)
	printf '  %s\n' "$title"
	ctl crycb --vm g1 | awk '$1 == "apm" || $1 == "adm" { printf "    %s %s\n", $1, substr($2, 1, 6) "..." }'
	printf '    guest_matrix: %s\n' "$(tr '\n' ' ' < "$R/sys/devices/vfio_ap/matrix/$U/guest_matrix")"
	set -- $before $after
	printf '    updates +%d, cfg_chg_signals +%d\n' $(($3 - $1)) $(($4 - $2))
}

for k in "${@:-6.15 7.0}"; do
	for kk in $k; do
		echo "== --kernel=$kk"
		setup "$kk" 5
		report "item 1: control domain 7 (assigned, in the guest) leaves the host" \
			ctl config remove-control-domain 7
		cleanup
		setup "$kk" 5
		report "item 2: control domain 9 (not assigned) leaves the host" \
			ctl config remove-control-domain 9
		cleanup
		setup "$kk" 5
		report "item 3: adapter 5 (the guest's only adapter) leaves the host" \
			ctl config remove-adapter 5
		cleanup
		setup "$kk" 4 5
		echo 05.0004 > "$R/sys/bus/ap/drivers/vfio_ap/unbind"
		report "item 4: adapter 5 (assigned, filtered: 05.0004 unbound) leaves the host" \
			ctl config remove-adapter 5
		cleanup
		setup "$kk" 5
		echo $V > "$R/sys/$T/create"
		ctl log --clear > /dev/null
		report "item 1a: adapter 6 leaves the host while mdev $V is not attached" \
			ctl config remove-adapter 6
		ctl log | sed -n 's/^/    log: /p'
		cleanup
	done
done
