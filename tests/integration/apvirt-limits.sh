#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# apvirt-limits.sh - apvirt at the edges of a 6.0 kernel, against apsim
# --kernel=6.0 with a host file of Na 0x3f and Nd 0x1f:
#
#   - IDs above ap_max_adapter_id / ap_max_domain_id: refused before any
#     write by the CLI, reported by validate for a definition, refused by
#     the mdevctl callout;
#   - the one-page cut of `matrix` on a kernel without ap_config (64 x 32
#     queues make 2048 lines, 511 fit): apvirt refuses to make such a
#     matrix; one made by another tool is shown with a warning, never
#     changed (auto or ordered), a change of another mdev is warned that
#     conflicts past the cut are unseen (the kernel's refusal is rolled
#     back), get attributes refuses to hand out a prefix;
#   - live modify (mdevctl >= 1.3) without ap_config: refused.
#
# Environment: APSIM, APVIRT, APVIRT_CALLOUT.  Output: TAP-ish lines, then
# "N passed, M failed".  Exit status 0, 1, 77 (no FUSE) or 99 (setup).

set -u

APSIM=${APSIM:-$PWD/sim/apsim}
APVIRT=${APVIRT:-$PWD/tools/apvirt}
APVIRT_CALLOUT=${APVIRT_CALLOUT:-$PWD/tools/apvirt-mdevctl-callout}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$HERE/lib.sh"

out='' out_rc='' out_err=''
nl='
'
T=vfio_ap-passthrough

ap() {
	timeout 120 "$APVIRT" "$@"
}

# co EVENT ACTION UUID [CONFIG]: the callout as mdevctl runs it.
co() {
	printf '%s' "${4:-}" | timeout 60 "$APVIRT_CALLOUT" -t "$T" -e "$1" -a "$2" -s none -u "$3" -p matrix
}

IT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/apvirt-lim.XXXXXX") || exit 99
cat > "$IT_TMP/host" <<'EOF'
kernel 6.0
na 0x3f
nd 0x1f
adapter 0x00-0x03 CEX8 cca
domains 0x00-0x1f
apmask 0x0
EOF
host_file=$IT_TMP/host
IT_TMP=
it_start_apsim --host "$host_file"
mv "$host_file" "$IT_TMP/" || exit 99
rmdir "$(dirname "$host_file")"
MX=$IT_ROOT/sys/devices/vfio_ap/matrix
ETC=$IT_TMP/etc
mkdir -p "$ETC/apvirt" "$ETC/mdevctl.d/matrix" "$IT_TMP/run" || exit 99
printf 'lock_timeout = 5\n' > "$ETC/apvirt/apvirt.conf"
APVIRT_SYSFS_ROOT=$IT_ROOT/sys APVIRT_ETC_ROOT=$ETC APVIRT_RUN_ROOT=$IT_TMP/run
export APVIRT_SYSFS_ROOT APVIRT_ETC_ROOT APVIRT_RUN_ROOT

it_run_cap out ap host
it_eq "host: the maxima of the host file" "max adapter 0x3f, max domain 0x001f" \
	"$(printf '%s' "$out" | head -n 1)"
for u in "$U1" "$U2"; do
	it_run_cap out ap mdev create "$u"
	it_rc "create $u" 0 "$out_rc"
done

# ---- IDs above the maxima ----
it_run_cap out ap mdev set "$U2" --adapter 0x40 --domain 0x20
it_rc "adapter 0x40, domain 0x20: exit 3" 3 "$out_rc"
it_eq "adapter 0x40, domain 0x20: one line each" \
	"error: adapter 0x40 is above ap_max_adapter_id 0x3f; this host has adapters 0x00 to 0x3f only
error: domain 0x0020 is above ap_max_domain_id 0x001f; this host has domains 0x0000 to 0x001f only
" "$out_err"
it_eq "IDs above the maxima: nothing written" "$nl" "$(cat "$MX/$U2/matrix")$nl"
printf '{"mdev_type":"%s","start":"auto","attrs":[{"assign_adapter":"0x3f"},{"assign_domain":"0x1f"},{"assign_control_domain":"0x20"}]}\n' \
	"$T" > "$ETC/mdevctl.d/matrix/$U3"
it_run_cap out ap validate
it_rc "validate: a definition above the maxima: exit 3" 3 "$out_rc"
it_eq "validate: a definition above the maxima: text" \
	"error: control domain 0x0020 is above ap_max_domain_id 0x001f; this host has control domains 0x0000 to 0x001f only
1 errors, 0 warnings
" "$out"
rm -f "$ETC/mdevctl.d/matrix/$U3"
it_run_cap out co pre define "$U3" '{"mdev_type":"vfio_ap-passthrough","start":"manual","attrs":[{"assign_adapter":"64"},{"assign_domain":"1"}]}'
it_rc "callout: define above the maxima refused" 1 "$out_rc"
it_eq "callout: define above the maxima: message" \
	"error: adapter 0x40 is above ap_max_adapter_id 0x3f; this host has adapters 0x00 to 0x3f only$nl" "$out_err"
it_eq "callout: a refused pre releases the lock" "" "$(ls "$IT_TMP/run/lock")"

# ---- live modify needs ap_config ----
it_run_cap out co live modify "$U2" '{"mdev_type":"vfio_ap-passthrough","start":"manual","attrs":[{"assign_adapter":"1"},{"assign_domain":"1"}]}'
it_rc "callout: live modify without ap_config refused" 1 "$out_rc"
it_eq "callout: live modify without ap_config: message" \
	"error: mdev $U2 has no ap_config (kernel before 6.10): it cannot be changed in one atomic write; stop and start it with the new configuration instead$nl" "$out_err"

# ---- the one-page cut of matrix ----
it_run_cap out ap mdev set "$U1" --adapter 0x00-0x3f --domain 0x00-0x1f
it_rc "apvirt refuses to make a matrix past one page: exit 1" 1 "$out_rc"
it_eq "apvirt refuses to make a matrix past one page: message" \
	"apvirt: mdev $U1: the new matrix has 64 x 32 queues, more than the one page of \`matrix\` (16384 of 4095 bytes) that a kernel without ap_config shows; it could not be read back, so it is refused$nl" \
	"$out_err"
it_eq "apvirt refuses to make a matrix past one page: nothing written" "$nl" "$(cat "$MX/$U1/matrix")$nl"
# Another tool (a shell, mdevctl start) can still make one: 96 writes.
for a in $(seq 0 63); do echo "$a" > "$MX/$U1/assign_adapter" || break; done
for d in $(seq 0 31); do echo "$d" > "$MX/$U1/assign_domain" || break; done
it_eq "the matrix file is cut at a page" "4095" "$(wc -c < "$MX/$U1/matrix")"
cut_warning="apvirt: warning: mdev $U1: its matrix is longer than the one page \`matrix\` shows and this kernel has no ap_config; the IDs beyond the cut are missing above"
it_run_cap out ap mdev show "$U1"
it_rc "show a cut matrix: exit 0" 0 "$out_rc"
it_eq "show a cut matrix: the prefix that was read" \
	"configured: adapters 0x00-0x0f domains 0x0000-0x001f control-domains -" \
	"$(printf '%s' "$out" | grep '^configured:')"
it_eq "show a cut matrix: warned" "$cut_warning$nl" "$out_err"
it_run_cap out ap mdev show "$U1" --json
it_eq "show --json: configured_complete false" '  "configured_complete": false,' \
	"$(printf '%s' "$out" | grep configured_complete)"
before=$(cat "$MX/$U1/matrix" "$MX/$U1/control_domains")
refusal="apvirt: mdev $U1: its matrix is longer than a page and this kernel has no ap_config, so the current matrix cannot be read in full; refusing to change it$nl"
it_run_cap out ap mdev set "$U1" --domain -5
it_rc "change a cut matrix: refused" 1 "$out_rc"
it_eq "change a cut matrix: message" "$refusal" "$out_err"
printf 'lock_timeout = 5\ntransaction = ordered\n' > "$ETC/apvirt/apvirt.conf"
it_run_cap out ap mdev set "$U1" --domain -5
it_rc "change a cut matrix, transaction = ordered: refused too" 1 "$out_rc"
it_eq "change a cut matrix, ordered: message" "$refusal" "$out_err"
printf 'lock_timeout = 5\n' > "$ETC/apvirt/apvirt.conf"
it_eq "change a cut matrix: nothing written" "$before" "$(cat "$MX/$U1/matrix" "$MX/$U1/control_domains")"
it_run_cap out co get attributes "$U1"
it_rc "callout get attributes of a cut matrix: refused" 1 "$out_rc"
it_eq "callout get attributes of a cut matrix: message" \
	"error: mdev $U1: its matrix is longer than a page and this kernel has no ap_config; its attributes cannot be read in full$nl" "$out_err"

# 3f.001f lies past the cut: validation cannot see it, says so, and the
# kernel's refusal is rolled back.
it_run_cap out ap mdev set "$U2" --adapter 0x3f --domain 0x1f
it_rc "a conflict past the cut: the kernel refuses, exit 1" 1 "$out_rc"
it_eq "a conflict past the cut: warned, then the kernel's refusal" \
	"warning: mdev $U1: its matrix is longer than a page and this kernel has no ap_config; conflicts beyond the first page cannot be seen
" "$out"
it_eq "a conflict past the cut: the failed write" \
	"apvirt: writing '0x001f' to $MX/$U2/assign_domain failed: Address already in use$nl" "$out_err"
it_eq "a conflict past the cut: rolled back" "$nl" "$(cat "$MX/$U2/matrix")$nl"
it_run_cap out ap validate
it_rc "validate with a cut matrix: exit 0 (a warning)" 0 "$out_rc"
it_eq "validate with a cut matrix: the warning" \
	"warning: mdev $U1: its matrix is longer than a page and this kernel has no ap_config; conflicts beyond the first page cannot be seen
0 errors, 1 warnings
" "$out"

it_done
