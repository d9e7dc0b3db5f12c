#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# apsim-kernel.sh - choosing the kernel apsim behaves like: --kernel, the
# host file's "kernel" line, the old --in-use-rule spelling, --version and
# "ctl status", and the files a kernel does not have.
#
# Environment: APSIM (default ./sim/apsim).  Needs /dev/fuse, else skipped.
# Output: "ok N - name" / "not ok N - name: why", then "N passed, M failed".

set -u

APSIM=${APSIM:-$PWD/sim/apsim}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$HERE/lib.sh"

UUID=0b2e5f4a-9d4c-4d0e-8f1a-1c2d3e4f5a6b
KERNELS='6.0 6.10 6.12 6.15 6.19 7.0 (default) fixed'

# ---- no daemon needed -------------------------------------------------------

it_eq "version lists the kernels, the default marked" \
	"kernels: $KERNELS" "$("$APSIM" --version | sed -n 2p)"

out=$("$APSIM" start --root /nonexistent --kernel=6.3 2>&1)
it_rc "an unknown kernel is a usage error" 2 $?
it_eq "an unknown kernel names the known ones" \
	"apsim: --kernel: expected one of 6.0 6.10 6.12 6.15 6.19 7.0 fixed, not '6.3'
Try 'apsim --help'." "$out"

# ---- Linux 6.0 -----------------------------------------------------------------

it_start_apsim --kernel=6.0
S=$IT_ROOT/sys
M=$S/devices/vfio_ap/matrix

it_eq "status names the kernel" "kernel 6.0 (Linux 6.0: dynamic configuration, no ap_config)" \
	"$(it_ctl status | head -n 1)"
it_eq "status --json names the kernel" '{"kernel":"6.0",' \
	"$(it_ctl status --json | cut -c1-16)"
echo "$UUID" > "$M/mdev_supported_types/vfio_ap-passthrough/create"
if [ -d "$M/$UUID" ] && [ ! -e "$M/$UUID/ap_config" ]; then
	it_ok "6.0: an mdev has no ap_config"
else
	it_fail "6.0: an mdev has no ap_config" "$(ls "$M/$UUID" 2>&1 | tr '\n' ' ')"
fi
case " $(ls "$M/$UUID" | tr '\n' ' ') " in
*" ap_config "*) it_fail "6.0: ap_config is not listed" "it is" ;;
*) it_ok "6.0: ap_config is not listed" ;;
esac
if [ -e "$M/features" ]; then
	it_fail "6.0: the matrix device has no features" "it has"
else
	it_ok "6.0: the matrix device has no features"
fi
if [ -e "$S/bus/ap/bindings_complete_count" ]; then
	it_fail "6.0: no bindings_complete_count" "it exists"
else
	it_ok "6.0: no bindings_complete_count"
fi
if [ -e "$S/bus/ap/features" ]; then
	it_fail "6.0: no bus/ap/features (6.4)" "it exists"
else
	it_ok "6.0: no bus/ap/features (6.4)"
fi
if [ -e "$S/devices/ap/card03/03.0000/ap_functions" ]; then
	it_fail "6.0: a queue has no ap_functions (6.4)" "it has"
else
	it_ok "6.0: a queue has no ap_functions (6.4)"
fi
it_eq "6.0: a card has ap_functions" "0x92800000" "$(cat "$S/devices/ap/card03/ap_functions")"
out=$(it_ctl irq "$UUID" 1 set 2>&1)
it_rc "6.0: the config-change IRQ index is refused" 1 $?
it_eq "6.0: ... with EOPNOTSUPP (no SET_IRQS before 6.5)" \
	"apsim ctl: irq $UUID index 1: Operation not supported" "$out"
out=$(it_ctl irq "$UUID" 0 set 2>&1)
it_rc "6.0: the request IRQ index is refused" 1 $?
it_eq "6.0: ... with EOPNOTSUPP" "apsim ctl: irq $UUID index 0: Operation not supported" "$out"
echo 1 > "$M/$UUID/remove"
"$APSIM" stop --root "$IT_ROOT" >/dev/null 2>&1

# ---- the host file's kernel line, and the old spelling ---------------------

printf 'adapter 3-6\ndomains 0-15\nkernel 6.12\n' > "$IT_TMP/k612.host"
"$APSIM" start --root "$IT_ROOT" --host "$IT_TMP/k612.host" || exit 99
it_eq "host file: kernel 6.12" "kernel 6.12 (Linux 6.12: matrix device features)" \
	"$(it_ctl status | head -n 1)"
it_eq "6.12: features" "guest_matrix hotplug ap_config" "$(cat "$M/features")"
it_eq "6.12: bus features" "APSC APXA QACT RC8A" "$(cat "$S/bus/ap/features")"
it_eq "6.12: a queue's ap_functions" "0x92800000" \
	"$(cat "$S/devices/ap/card03/03.0000/ap_functions")"
echo "$UUID" > "$M/mdev_supported_types/vfio_ap-passthrough/create"
out=$(it_ctl irq "$UUID" 1 set 2>&1)
it_eq "6.12: the config-change IRQ index is EINVAL" \
	"apsim ctl: irq $UUID index 1: Invalid argument" "$out"
it_eq "6.12: the request IRQ index is taken" "" "$(it_ctl irq "$UUID" 0 set 2>&1)"
echo 1 > "$M/$UUID/remove"
"$APSIM" stop --root "$IT_ROOT" >/dev/null 2>&1

"$APSIM" start --root "$IT_ROOT" --host "$IT_TMP/k612.host" --kernel=fixed || exit 99
it_eq "the command line wins over the host file" \
	"kernel fixed (apvirt's own: Linux 7.0 with the host-config fixes)" \
	"$(it_ctl status | head -n 1)"
"$APSIM" stop --root "$IT_ROOT" >/dev/null 2>&1

"$APSIM" start --root "$IT_ROOT" --in-use-rule=6.18 || exit 99
it_eq "--in-use-rule=6.18 is kernel 6.15" "kernel 6.15 (Linux 6.15: config-change eventfd)" \
	"$(it_ctl status | head -n 1)"
"$APSIM" stop --root "$IT_ROOT" >/dev/null 2>&1

# from here on nothing starts: the teardown only checks for mounts
ROOT=$IT_ROOT
IT_ROOT=

printf 'kernel 6.12\nin-use-rule 6.18\n' > "$IT_TMP/twice.host"
out=$("$APSIM" start --root "$ROOT" --host "$IT_TMP/twice.host" 2>&1)
it_rc "kernel and in-use-rule together: refused" 1 $?
it_eq "... naming both lines" \
	"apsim: $IT_TMP/twice.host:2: in-use-rule given twice (first on line 1)" "$out"

printf 'kernel 5.15\n' > "$IT_TMP/bad.host"
out=$("$APSIM" start --root "$ROOT" --host "$IT_TMP/bad.host" 2>&1)
it_eq "an unknown kernel in the host file" \
	"apsim: $IT_TMP/bad.host:1: kernel: expected one of 6.0 6.10 6.12 6.15 6.19 7.0 fixed" \
	"$out"

it_done
