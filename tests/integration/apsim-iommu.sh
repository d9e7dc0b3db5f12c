#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# apsim-iommu.sh - each mdev's emulated-IOMMU group, as libvirt finds it:
# /sys/bus/mdev/devices/<uuid>/iommu_group -> .../kernel/iommu_groups/N,
# N the lowest free number (iommu_group_alloc() uses an IDA), freed with
# the mdev.  libvirt opens /dev/vfio/N from that N.
#
# Environment: APSIM (default ./sim/apsim).  Needs /dev/fuse, else skipped.

set -u

APSIM=${APSIM:-$PWD/sim/apsim}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$HERE/lib.sh"

U1=11111111-2222-4333-8444-555555555551
U2=11111111-2222-4333-8444-555555555552
U3=11111111-2222-4333-8444-555555555553

it_start_apsim
S=$IT_ROOT/sys
CREATE=$S/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/create

group_of() {
	basename "$(readlink "$S/bus/mdev/devices/$1/iommu_group")"
}

echo "$U1" > "$CREATE"
echo "$U2" > "$CREATE"
it_eq "the first mdev gets group 0" 0 "$(group_of "$U1")"
it_eq "the second gets group 1" 1 "$(group_of "$U2")"
it_eq "iommu_groups lists both" "0 1" "$(ls "$S/kernel/iommu_groups" | tr '\n' ' ' | sed 's/ $//')"
it_eq "group 1 holds the second mdev" "$U2" "$(ls "$S/kernel/iommu_groups/1/devices")"
it_eq "the group's name" "vfio-noiommu" "$(cat "$S/kernel/iommu_groups/0/name")"
echo 1 > "$S/devices/vfio_ap/matrix/$U1/remove"
if [ -e "$S/kernel/iommu_groups/0" ]; then
	it_fail "removing the mdev frees its group" "kernel/iommu_groups/0 is still there"
else
	it_ok "removing the mdev frees its group"
fi
echo "$U3" > "$CREATE"
it_eq "the lowest free number is taken again" 0 "$(group_of "$U3")"
echo change > "$S/devices/vfio_ap/matrix/$U3/uevent"
it_eq "a uevent write gives a synthetic event" \
	"devices/vfio_ap/matrix/$U3 ACTION=change" "$(it_ctl uevents | tail -n 1)"
echo 1 > "$S/devices/vfio_ap/matrix/$U2/remove"
echo 1 > "$S/devices/vfio_ap/matrix/$U3/remove"
it_done
