#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mdevctl.sh - Debian's mdevctl (1.2.0) against apsim.
#
# mdevctl 1.2.0 has no MDEVCTL_ENV_ROOT: it
# always uses /sys and /etc/mdevctl.d.  The checks therefore run inside a
# private mount namespace (unshare -m) where apsim's tree is bind-mounted
# over /sys and a temporary directory over /etc/mdevctl.d (with the
# scripts.d/callouts and scripts.d/notifiers directories that mdevctl's
# start-up self check requires).  Nothing outside the namespace changes.
#
# Environment: APSIM (default ./sim/apsim); MDEVCTL: the mdevctl configure
# found.  Unset (a manual run): looked up in PATH.  Set but empty
# (configure found none): the test is skipped.  Set but not executable:
# the test fails.  Needs root (unshare -m) and /dev/fuse, else skipped.
#
# Output: TAP-ish "ok N - name" / "not ok N - name: why", then
# "N passed, M failed".  Exit status 0, 1 (a failure), 77 (skipped) or 99.

set -u

APSIM=${APSIM:-$PWD/sim/apsim}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$HERE/lib.sh"

M=/sys/devices/vfio_ap/matrix
out='' out_rc='' out_err=''

# sys_eq NAME EXPECTED PATH: the file reads EXPECTED (newlines included).
sys_eq() {
	_t=$(cat "$3" 2>&1; echo x)
	it_eq "$1" "$2" "${_t%x}"
}

nl='
'

inner() {
	if ! mount --bind "$IT_ROOT/sys" /sys || ! mount --bind "$IT_TMP/etc" /etc/mdevctl.d; then
		it_fail "namespace" "bind mounts failed"
		it_done
		return
	fi
	sys_eq "namespace: /sys is apsim" "vfio-ap$nl" \
		/sys/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/device_api
	# adapters 5 and 6 for vfio_ap (host config: 3-6 x 0-15)
	echo "-5,-6" > /sys/bus/ap/apmask || it_fail "apmask" "cannot release adapters 5 and 6"

	# ---- mdevctl types ----
	types="matrix
  vfio_ap-passthrough
    Available instances: 65536
    Device API: vfio-ap
    Name: VFIO AP Passthrough Device

"
	it_run_cap out "$MDEVCTL" types
	it_rc "types: exit status" 0 "$out_rc"
	it_eq "types: text" "$types" "$out"
	it_run_cap out "$MDEVCTL" types -p matrix
	it_eq "types -p matrix: text" "$types" "$out"
	it_run_cap out "$MDEVCTL" types --dumpjson
	it_eq "types --dumpjson" '[
  {
    "matrix": [
      {
        "vfio_ap-passthrough": {
          "available_instances": 65536,
          "device_api": "vfio-ap",
          "name": "VFIO AP Passthrough Device"
        }
      }
    ]
  }
]
' "$out"

	# ---- define: with --type and modify --addattr, and with --jsonfile ----
	it_run_cap out "$MDEVCTL" define -u "$U1" -p matrix -t vfio_ap-passthrough
	it_rc "define -t: exit status" 0 "$out_rc"
	it_run_cap out "$MDEVCTL" modify -u "$U1" --addattr assign_adapter --value 6
	it_rc "modify --addattr assign_adapter" 0 "$out_rc"
	it_run_cap out "$MDEVCTL" modify -u "$U1" --addattr assign_domain --value 0x0005
	it_rc "modify --addattr assign_domain" 0 "$out_rc"
	it_run_cap out "$MDEVCTL" modify -u "$U1" --addattr assign_control_domain --value 5
	it_rc "modify --addattr assign_control_domain" 0 "$out_rc"
	# the order matters: only in array order does this end as 05.0005
	cat > "$IT_TMP/u2.json" <<-'EOF'
	{"mdev_type": "vfio_ap-passthrough", "start": "manual",
	 "attrs": [{"assign_adapter": "6"}, {"assign_domain": "5"},
	           {"unassign_adapter": "6"}, {"assign_adapter": "0x05"},
	           {"assign_control_domain": "5"}]}
	EOF
	it_run_cap out "$MDEVCTL" define -u "$U2" -p matrix --jsonfile "$IT_TMP/u2.json"
	it_rc "define --jsonfile: exit status" 0 "$out_rc"
	it_run_cap out "$MDEVCTL" list -d
	it_eq "list -d" "$U1 matrix vfio_ap-passthrough manual
$U2 matrix vfio_ap-passthrough manual

" "$out"
	it_run_cap out "$MDEVCTL" list -d -v
	it_eq "list -d -v" "$U1 matrix vfio_ap-passthrough manual
  Attrs:
    @{0}: {\"assign_adapter\":\"6\"}
    @{1}: {\"assign_domain\":\"0x0005\"}
    @{2}: {\"assign_control_domain\":\"5\"}
$U2 matrix vfio_ap-passthrough manual
  Attrs:
    @{0}: {\"assign_adapter\":\"6\"}
    @{1}: {\"assign_domain\":\"5\"}
    @{2}: {\"unassign_adapter\":\"6\"}
    @{3}: {\"assign_adapter\":\"0x05\"}
    @{4}: {\"assign_control_domain\":\"5\"}

" "$out"
	if [ -f "/etc/mdevctl.d/matrix/$U2" ]; then
		it_ok "define: /etc/mdevctl.d/matrix/<uuid> written"
	else
		it_fail "define: /etc/mdevctl.d/matrix/<uuid> written" "file missing"
	fi
	it_run_cap out "$MDEVCTL" list
	it_eq "list: nothing active" "
" "$out"

	# ---- start: attributes written in order ----
	it_run_cap out "$MDEVCTL" start -u "$U2"
	it_rc "start: exit status" 0 "$out_rc"
	it_eq "start: no output" "" "$out$out_err"
	sys_eq "start: matrix" "05.0005$nl" "$M/$U2/matrix"
	sys_eq "start: control_domains" "0005$nl" "$M/$U2/control_domains"
	sys_eq "start: guest_matrix" "05.0005$nl" "$M/$U2/guest_matrix"
	it_run_cap out "$MDEVCTL" list
	it_eq "list" "$U2 matrix vfio_ap-passthrough manual (defined)

" "$out"
	it_run_cap out "$MDEVCTL" types
	case $out in
	*"Available instances: 65535"*) it_ok "types: one instance used" ;;
	*) it_fail "types: one instance used" "got \"$(it_show "$out")\"" ;;
	esac
	it_run_cap out "$MDEVCTL" start -u "$U1"
	it_rc "start (modify --addattr): exit status" 0 "$out_rc"
	sys_eq "start (modify --addattr): matrix" "06.0005$nl" "$M/$U1/matrix"
	sys_eq "start (modify --addattr): control_domains" "0005$nl" "$M/$U1/control_domains"

	# ---- a failing start: 05.0005 is held by U2 -> EADDRINUSE ----
	cat > "$IT_TMP/u3.json" <<-'EOF'
	{"mdev_type": "vfio_ap-passthrough", "start": "manual",
	 "attrs": [{"assign_domain": "5"}, {"assign_adapter": "5"}]}
	EOF
	it_run_cap out "$MDEVCTL" define -u "$U3" -p matrix --jsonfile "$IT_TMP/u3.json"
	it_rc "define U3: exit status" 0 "$out_rc"
	it_ctl log --clear >/dev/null
	it_run_cap out "$MDEVCTL" start -u "$U3"
	it_rc "failing start: exit status" 1 "$out_rc"
	it_eq "failing start: message" "Error: Failed to write 5 to attribute assign_adapter

Caused by:
    Address already in use (os error 98)
" "$out$out_err"
	if [ -e "$M/$U3" ]; then
		it_fail "failing start: the mdev is removed again" "$M/$U3 exists"
	else
		it_ok "failing start: the mdev is removed again"
	fi
	log=$(it_ctl log)
	case $log in
	*"vfio_ap_mdev $U3: Userspace may not assign queue 05.0005 to mdev: already assigned to $U2"*)
		it_ok "failing start: the mdev was created and the write refused" ;;
	*) it_fail "failing start: the mdev was created and the write refused" \
		"kernel log: \"$(it_show "$log")\"" ;;
	esac
	sys_eq "failing start: U2 unchanged" "05.0005$nl" "$M/$U2/matrix"
	it_run_cap out "$MDEVCTL" list
	it_eq "failing start: list" "$U1 matrix vfio_ap-passthrough manual (defined)
$U2 matrix vfio_ap-passthrough manual (defined)

" "$out"

	# ---- transient start with --jsonfile ----
	cat > "$IT_TMP/u4.json" <<-'EOF'
	{"mdev_type": "vfio_ap-passthrough", "start": "manual",
	 "attrs": [{"assign_adapter": "6"}, {"assign_domain": "6"}]}
	EOF
	it_run_cap out "$MDEVCTL" start -u "$U4" -p matrix --jsonfile "$IT_TMP/u4.json"
	it_rc "transient start: exit status" 0 "$out_rc"
	sys_eq "transient start: matrix" "06.0006$nl" "$M/$U4/matrix"
	it_run_cap out "$MDEVCTL" list -u "$U4"
	it_eq "transient start: list -u" "$U4 matrix vfio_ap-passthrough manual

" "$out"

	# ---- stop ----
	for u in "$U4" "$U1" "$U2"; do
		it_run_cap out "$MDEVCTL" stop -u "$u"
		it_rc "stop $u: exit status" 0 "$out_rc"
		if [ -e "$M/$u" ]; then
			it_fail "stop $u: removed" "$M/$u exists"
		else
			it_ok "stop $u: removed"
		fi
	done
	it_run_cap out "$MDEVCTL" list
	it_eq "list after stop" "
" "$out"
	it_run_cap out "$MDEVCTL" list -d
	it_eq "list -d after stop" "$U1 matrix vfio_ap-passthrough manual
$U2 matrix vfio_ap-passthrough manual
$U3 matrix vfio_ap-passthrough manual

" "$out"

	# ---- undefine ----
	for u in "$U1" "$U2" "$U3"; do
		it_run_cap out "$MDEVCTL" undefine -u "$u"
		it_rc "undefine $u: exit status" 0 "$out_rc"
	done
	it_run_cap out "$MDEVCTL" list -d
	it_eq "list -d after undefine" "
" "$out"
	left=$(ls /etc/mdevctl.d/matrix 2>/dev/null)
	it_eq "undefine: no definition files left" "" "$left"
	sys_eq "available_instances at the end" "65536$nl" \
		$M/mdev_supported_types/vfio_ap-passthrough/available_instances
	it_done
}

if [ "${1:-}" = --inner ]; then
	inner
	exit $?
fi

it_need_mdevctl_namespace

it_start_apsim --in-use-rule=6.19
mkdir -p "$IT_TMP/etc/scripts.d/callouts" "$IT_TMP/etc/scripts.d/notifiers" || exit 99
export APSIM MDEVCTL IT_ROOT IT_TMP
unshare -m --propagation private sh "$HERE/mdevctl.sh" --inner
