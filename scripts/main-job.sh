#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# main-job.sh - the README's "main job": a crypto adapter hot plugged into
# and out of a running libvirt guest, on apsim's simulated s390 host.
#
# On a fresh Debian 12 machine, as root, this one command installs the
# packages (scripts/install-deps.sh), builds (configure only if there is
# no Makefile yet), then, against a real libvirtd and a QEMU TCG guest:
# defines and starts a guest whose domain XML carries <ap:matrix>
# metadata (the QEMU hook creates and configures its mdev; "apsim ctl
# attach" stands in for QEMU opening it), hot plugs adapter 0x06 with
# "apvirt attach-device --live --config" and unplugs it with
# "detach-device", and shows the three views each time: apvirt dumpxml
# (desired, configured, effective), the metadata in virsh dumpxml, and the
# guest's CRYCB as apsim's KVM model holds it.
#
# Every step is printed as the command a user would type ("$ ..."),
# followed by its output; "# ..." lines explain.  Exits non-zero as soon
# as a step does not do what it should.  Whatever it started or wrote is
# undone at exit, also on failure or Ctrl-C (scripts/libvirt-env.sh): the
# guest, the daemons (by PID), apsim's mount, /etc/apvirt/apvirt.conf and
# the hook (what they replaced is put back).  It takes the machine-wide
# libvirtd lock and refuses to run beside a libvirtd it did not start.
#
# Environment: APSIM, APVIRT, APVIRT_HOOK, APVIRTD (default: the build
# tree), APVIRT_LIBVIRTD_LOCK, MAIN_JOB_NO_BUILD=1 (skip install and build).

set -u
cd "$(dirname "$0")/.." || exit 1
# a WARN_ON_ONCE in the engine or a model ends the job (as in make check)
APVIRT_WARN_ABORT=1
export APVIRT_WARN_ABORT

VM=demo-guest
UUID=4b0c6f3e-8d1a-4c8e-9d2f-6a7b5c4d3e21
Z62=00000000000000000000000000000000000000000000000000000000000000

fail() {
	printf 'main-job: FAILED: %s\n' "$*" >&2
	exit 1
}

say() {
	printf '# %s\n' "$@"
}

# run CMD: show it, run it in this shell, fail the job if it fails.
run() {
	printf '$ %s\n' "$1"
	eval "$1" || fail "$1"
}

# expect CMD TEXT: like run, and the output must contain TEXT.
expect() {
	local out

	printf '$ %s\n' "$1"
	out=$(eval "$1" 2>&1) || { printf '%s\n' "$out"; fail "$1"; }
	printf '%s\n' "$out"
	case $out in
	*"$2"*) ;;
	*) fail "expected '$2' in the output of: $1" ;;
	esac
}

# exactly CMD TEXT: like run, and the output must be TEXT.
exactly() {
	local out

	printf '$ %s\n' "$1"
	out=$(eval "$1" 2>&1) || { printf '%s\n' "$out"; fail "$1"; }
	printf '%s\n' "$out"
	[ "$out" = "$2" ] || fail "expected exactly this output of: $1
$2"
}

# same_xml CMD XML: like run, and the output is XML, but for indentation.
same_xml() {
	local out

	printf '$ %s\n' "$1"
	out=$(eval "$1" 2>&1) || { printf '%s\n' "$out"; fail "$1"; }
	printf '%s\n' "$out"
	[ "$(printf '%s\n' "$out" | sed 's/^ *//')" = "$2" ] ||
		fail "expected this XML from: $1
$2"
}

[ "$(id -u)" -eq 0 ] ||
	fail "run it as root (it installs packages, mounts apsim, starts libvirtd, writes /etc)"
if [ "${MAIN_JOB_NO_BUILD:-0}" != 1 ]; then
	say "Install the Debian packages and build."
	run "scripts/install-deps.sh"
	[ -f Makefile ] || run "./autogen.sh >/dev/null && ./configure >/dev/null"
	run "make -j$(nproc) >/dev/null"
fi

. scripts/libvirt-env.sh
# The shared setup shows what it does as commands too.
lv_do() {
	printf '$ %s\n' "$1"
	eval "$1"
}
lv_init main-job
trap 'lv_cleanup || fail "cleanup: something could not be undone"' EXIT
trap 'exit 130' INT TERM HUP PIPE
lv_lock

say "A simulated s390 host: CEX8 CCA adapters 0x03-0x06, domains 0x0000-0x000f."
lv_start_apsim
say "apvirt and its QEMU hook find apsim's sysfs through apvirt.conf."
lv_install_etc
run "cat $LV_CONF"
say "Give queues to vfio_ap: adapters 0x05-0x06 and domains 0x0004-0x0007 leave" \
    "apmask and aqmask."
run "apvirt host release --adapter 0x05-0x06 --domain 0x0004-0x0007"
lv_start_daemons
say "libvirtd $LV_LIBVIRTD_PID is up."

say "A guest whose domain XML asks for adapter 0x05 and domain 0x0004 on a" \
    "managed mdev: the hook creates the mdev when the guest starts."
lv_domain_xml $VM $UUID '
      <ap:adapter id="0x05"/>
      <ap:domain id="0x0004"/>
    ' > "$LV_TMP/$VM.xml"
run "cd $LV_TMP"
run "cat $VM.xml"
! virsh dominfo $VM >/dev/null 2>&1 ||
	fail "libvirt already has a domain named $VM; this job leaves it alone (remove it: virsh undefine $VM)"
expect "virsh define $VM.xml" "Domain '$VM' defined"
lv_add_domain $VM
expect "virsh start $VM" "Domain '$VM' started"
exactly "cat $MX/$UUID/matrix" "05.0004"
expect "grep prepare: $LV_AUDIT" "domain $VM prepare: mdev $UUID created, adapters 0x05 domains 0x0004"
say "QEMU would now open the mdev's vfio device; apsim stands in for it."
lv_attach $UUID $VM || fail "apsim ctl attach"
CRYCB="apsim ctl --root $LV_TMP/root crycb --vm $VM"
expect "$CRYCB" "apm 0x04$Z62"

desired() {	# ADAPTERS: what apvirt dumpxml shows for this matrix
	printf '%s\n' "domain:     $VM" "state:      running" \
		"mdev:       $UUID (lifecycle managed, active)" \
		"desired:    adapters $1 domains 0x0004 control-domains -" \
		"            (live metadata)" \
		"persistent: adapters $1 domains 0x0004 control-domains -" \
		"configured: adapters $1 domains 0x0004 control-domains -" \
		"effective:  adapters $1 domains 0x0004 control-domains -" \
		"filtered:   none" "drift:      none"
}
metadata() {	# ADAPTER-ID...: the <ap:matrix> element virsh dumpxml shows
	local a

	printf '<ap:matrix xmlns:ap="%s" mdev="%s" lifecycle="managed">\n' "$LV_NS" "$UUID"
	for a in "$@"; do printf '<ap:adapter id="%s"/>\n' "$a"; done
	printf '<ap:domain id="0x0004"/>\n</ap:matrix>'
}
meta() { echo "virsh dumpxml $VM${1:-} | sed -n '/<ap:matrix/,/<\/ap:matrix>/p'"; }
exactly "apvirt dumpxml $VM" "$(desired 0x05)"

say "Hot plug adapter 0x06 into the running guest, live and persistent."
printf '<ap:adapter xmlns:ap="%s" id="0x06"/>\n' "$LV_NS" > adapter6.xml
run "cat adapter6.xml"
exactly "apvirt attach-device $VM adapter6.xml --live --config" "Device attached successfully"
say "The three views: what the domain XML asks for, what the mdev is" \
    "configured with, and what the guest gets (its CRYCB)."
exactly "apvirt dumpxml $VM" "$(desired 0x05-0x06)"
same_xml "$(meta)" "$(metadata 0x05 0x06)"
same_xml "$(meta " --inactive")" "$(metadata 0x05 0x06)"
exactly "cat $MX/$UUID/matrix" "05.0004
06.0004"
expect "$CRYCB" "apm 0x06$Z62"

say "Hot unplug it again: the guest loses adapter 0x06."
exactly "apvirt detach-device $VM adapter6.xml --live --config" "Device detached successfully"
exactly "apvirt dumpxml $VM" "$(desired 0x05)"
same_xml "$(meta)" "$(metadata 0x05)"
same_xml "$(meta " --inactive")" "$(metadata 0x05)"
exactly "cat $MX/$UUID/matrix" "05.0004"
expect "$CRYCB" "apm 0x04$Z62"
expect "apsim ctl --root $LV_TMP/root log" "apsim: reset queue 06.0004 rc=0x00"

say "Stop the guest: the hook removes the mdev it created."
lv_detach $UUID || fail "apsim ctl detach"
expect "virsh destroy $VM" "Domain '$VM' destroyed"
exactly "ls $MX" "driver
features
mdev_supported_types"
expect "grep release: $LV_AUDIT" "domain $VM release: removed mdev $UUID"
expect "virsh undefine $VM" "Domain '$VM' has been undefined"
LV_DOMAINS=
say "Stop libvirtd, put /etc back, stop apsim."
trap - EXIT
lv_cleanup || fail "cleanup: something could not be undone"
say "main job: OK"
