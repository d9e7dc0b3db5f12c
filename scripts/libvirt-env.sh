# SPDX-License-Identifier: GPL-2.0
# libvirt-env.sh - a real libvirtd with the apvirt hook, against apsim:
# what the demo (scripts/main-job.sh) and bench/libvirt.sh share.  Sourced
# (POSIX sh, so tests/e2e/libvirt.sh could use it too), as root.
#
#   lv_init PROGRAM             set the programs (APSIM, APVIRT, APVIRT_HOOK,
#                               APVIRTD, else the build tree below $PWD)
#                               and make the temporary directory $LV_TMP
#   lv_lock                     take the machine-wide libvirtd lock (fd 8,
#                               held until exit) and refuse (lv_die) when a
#                               libvirtd this script did not start runs
#   lv_foreign_libvirtd         the PID of a running libvirtd, else nothing
#   lv_daemon_pid NAME          the PID in /run/NAME.pid if that process is
#                               NAME (a stale file's reused PID is not)
#   lv_start_apsim              apsim in $LV_TMP/root; sets SYS and MX
#   lv_install_etc              write /etc/apvirt/apvirt.conf (apsim's sysfs,
#                               run root and audit log below $LV_TMP) and
#                               the hook /etc/libvirt/hooks/qemu.d/apvirt,
#                               keeping what they replace
#   lv_start_daemons            virtlogd (unless one runs) and libvirtd
#   lv_start_apvirtd            apvirtd --foreground, its log in $LV_ALOG
#   lv_domain_xml NAME UUID IDS a domain with <ap:matrix> (IDS: its
#                               children) for a QEMU TCG x86 guest that
#                               idles in the BIOS
#   lv_add_domain NAME          destroy and undefine NAME at cleanup
#   lv_attach UUID VM           apsim ctl attach: VM opens the mdev's vfio
#                               device, as QEMU would; closed at cleanup
#                               before the guest is destroyed (an mdev
#                               whose device is open cannot be removed)
#   lv_cleanup                  undo all of the above that was done, in
#                               reverse order: guests, daemons by their PID,
#                               the /etc files, apsim; returns non-zero if
#                               something could not be undone
#
# Every command that changes something goes through lv_do CMD (a string),
# which the caller may redefine: the demo prints it first.  The default
# runs it with its output dropped.  lv_die MESSAGE (exit 1) may be
# redefined too: tests/e2e/libvirt.sh skips instead.  Everything that can
# block is bounded by timeout(1).

LV_URI=qemu:///system
LV_NS=http://apvirt.org/xmlns/ap-matrix/1.0
LV_HOOKDIR=/etc/libvirt/hooks/qemu.d
LV_CONF=/etc/apvirt/apvirt.conf
LV_TMP=
LV_APSIM_UP=0
LV_ETC_DONE=0
LV_LIBVIRTD_PID=
LV_VIRTLOGD_PID=
LV_APVIRTD_PID=
LV_LIBVIRTD_STARTED=0
LV_VIRTLOGD_STARTED=0
LV_DOMAINS=
LV_ATTACHED=

lv_do() {
	eval "$1" >/dev/null
}

lv_die() {
	printf '%s: %s\n' "$LV_PROG" "$*" >&2
	exit 1
}

lv_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
lv_pidfile() { cat "$1" 2>/dev/null || true; }

# lv_daemon_pid NAME: the PID in $LV_PIDDIR/NAME.pid (default /run) if that
# process is NAME, else nothing.  A PID file a dead daemon left may name a
# process that reused its PID: alive, but not the daemon.
lv_daemon_pid() {
	_pid=$(lv_pidfile "${LV_PIDDIR:-/run}/$1.pid")
	case $_pid in '' | *[!0-9]*) return 0 ;; esac
	[ "$(cat "/proc/$_pid/comm" 2>/dev/null)" = "$1" ] && echo "$_pid"
	return 0
}

# lv_poll CMD...: true within 30 s (for start-up; never a figure)
lv_poll() {
	for _ in $(seq 1 300); do "$@" && return 0; sleep 0.1; done
	return 1
}

# lv_prog VAR DEFAULT: $VAR if set, else DEFAULT; absolute, executable.
lv_prog() {
	eval "_p=\${$1:-$2}"
	[ -x "$_p" ] || lv_die "$_p is not built (run make, or set $1)"
	case $_p in /*) ;; *) _p=$PWD/$_p ;; esac
	eval "$1=\$_p"
}

lv_init() {
	LV_PROG=$1
	[ "$(id -u)" -eq 0 ] || lv_die "needs root (libvirtd, /etc/libvirt/hooks, the FUSE mount)"
	PATH=$PATH:/usr/sbin:/sbin
	for _t in libvirtd virtlogd virsh qemu-system-x86_64 timeout flock fusermount3; do
		command -v "$_t" >/dev/null 2>&1 ||
			lv_die "$_t is not installed (scripts/install-deps.sh installs it)"
	done
	[ -c /dev/fuse ] || lv_die "/dev/fuse is missing"
	lv_prog APSIM sim/apsim
	lv_prog APVIRT tools/apvirt
	lv_prog APVIRT_HOOK libvirt-hooks/apvirt-qemu-hook
	lv_prog APVIRTD libvirt-hooks/apvirtd
	unset LIBVIRT_DEFAULT_URI
	LV_TMP=$(mktemp -d "${TMPDIR:-/tmp}/apvirt-lv.XXXXXX") || exit 1
	# libvirtd's children (the hook) and QEMU must traverse it.
	chmod 0755 "$LV_TMP" || exit 1
	mkdir -p "$LV_TMP/saved" "$LV_TMP/run" || exit 1
	LV_ALOG=$LV_TMP/apvirtd.log
	LV_AUDIT=$LV_TMP/audit.log
}

# A libvirtd runs that we did not start: its PID, else nothing.
lv_foreign_libvirtd() {
	_pid=$(lv_daemon_pid libvirtd)
	if [ -n "$_pid" ]; then echo "$_pid"; return; fi
	# Also one without a PID file (no procps needed).
	for _c in /proc/[0-9]*/comm; do
		[ "$(cat "$_c" 2>/dev/null)" = libvirtd ] || continue
		_pid=${_c#/proc/}
		echo "${_pid%/comm}"
		return
	done
}

lv_lock() {
	exec 8>"${APVIRT_LIBVIRTD_LOCK:-/tmp/apvirt-libvirtd.lock}"
	flock -w 1800 8 ||
		lv_die "the libvirtd lock ${APVIRT_LIBVIRTD_LOCK:-/tmp/apvirt-libvirtd.lock} stayed taken for 30 min"
	_stop="stop it first (e.g. systemctl stop libvirtd.service libvirtd.socket libvirtd-ro.socket libvirtd-admin.socket)"
	_pid=$(lv_foreign_libvirtd)
	[ -z "$_pid" ] ||
		lv_die "a libvirtd this script did not start is running (PID $_pid); it will not be touched: $_stop"
	# systemd would start its own libvirtd on the first connection.
	if [ -d /run/systemd/system ] &&
	   systemctl is-active --quiet libvirtd.socket libvirtd.service 2>/dev/null; then
		lv_die "systemd's libvirtd.socket or libvirtd.service is active; it will not be touched: $_stop"
	fi
}

lv_start_apsim() {
	mkdir -m 0755 "$LV_TMP/root" || exit 1
	LV_APSIM_UP=1
	lv_do "apsim start --root $LV_TMP/root" || {
		cat "$LV_TMP/root/apsim.log" >&2 2>/dev/null
		lv_die "apsim did not start"
	}
	SYS=$LV_TMP/root/sys
	MX=$SYS/devices/vfio_ap/matrix
}

# The transcript says "apsim", "apvirt", as a user with them installed
# would type; the daemons never see the lock's descriptor.
apsim() { timeout 60 "$APSIM" "$@" 8>&-; }
apvirt() { timeout 60 "$APVIRT" "$@"; }
virsh() { timeout 60 virsh -c "$LV_URI" "$@"; }
virtlogd() { timeout 30 virtlogd "$@" 8>&-; }
libvirtd() { timeout 30 libvirtd "$@" 8>&-; }

lv_install_etc() {
	[ ! -e "$LV_CONF" ] || cp -p "$LV_CONF" "$LV_TMP/saved/apvirt.conf" || exit 1
	[ ! -e "$LV_HOOKDIR/apvirt" ] || cp -p "$LV_HOOKDIR/apvirt" "$LV_TMP/saved/hook" || exit 1
	LV_ETC_DONE=1
	lv_do "mkdir -p /etc/apvirt $LV_HOOKDIR" || exit 1
	lv_do "printf 'sysfs_root = %s\nrun_root = %s\nlog_file = %s\nlock_timeout = 10\n' $SYS $LV_TMP/run $LV_AUDIT > $LV_CONF" ||
		exit 1
	# The build's hook is a libtool wrapper: call it by its absolute path.
	lv_do "printf '#!/bin/sh\nexec %s \"\$@\"\n' $APVIRT_HOOK > $LV_HOOKDIR/apvirt" || exit 1
	lv_do "chmod 755 $LV_HOOKDIR/apvirt" || exit 1
}

lv_libvirtd_up() {
	LV_LIBVIRTD_PID=$(lv_pidfile /run/libvirtd.pid)
	timeout 10 virsh -c "$LV_URI" version >/dev/null 2>&1
}

# Hooks first: libvirtd looks for them when it starts.
lv_start_daemons() {
	# The flags let a cleanup interrupted between a start and reading
	# the PID file find the daemon: no other one runs (lv_lock).
	if [ -z "$(lv_daemon_pid virtlogd)" ]; then
		LV_VIRTLOGD_STARTED=1
		lv_do "virtlogd -d" || lv_die "virtlogd did not start"
		LV_VIRTLOGD_PID=$(lv_pidfile /run/virtlogd.pid)
	fi
	LV_LIBVIRTD_STARTED=1
	lv_do "libvirtd -d" || lv_die "libvirtd did not start"
	lv_poll lv_libvirtd_up
	lv_alive "$LV_LIBVIRTD_PID" || lv_die "libvirtd did not come up"
}

lv_apvirtd_connected() { grep -qxF "apvirtd: connected to $LV_URI" "$LV_ALOG"; }

lv_start_apvirtd() {
	"$APVIRTD" --foreground -c "$LV_URI" 2>"$LV_ALOG" 8>&- &
	LV_APVIRTD_PID=$!
	lv_poll lv_apvirtd_connected || { cat "$LV_ALOG" >&2; lv_die "apvirtd did not connect"; }
}

lv_domain_xml() {
	cat <<XML
<domain type='qemu'>
  <name>$1</name>
  <metadata>
    <ap:matrix xmlns:ap="$LV_NS" mdev="$2" lifecycle="managed">$3</ap:matrix>
  </metadata>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <serial type='pty'/><console type='pty'/>
    <video><model type='none'/></video>
    <memballoon model='none'/>
  </devices>
</domain>
XML
}

lv_add_domain() { LV_DOMAINS="$LV_DOMAINS $1"; }

lv_attach() {
	lv_do "apsim ctl --root $LV_TMP/root attach $1 --vm $2" || return 1
	LV_ATTACHED="$LV_ATTACHED $1"
}

lv_detach() {
	lv_do "apsim ctl --root $LV_TMP/root detach $1" || return 1
	LV_ATTACHED=$(echo "$LV_ATTACHED" | sed "s/ $1//")
}

# lv_stop_pid PID NAME: SIGTERM, SIGKILL after 10 s
lv_stop_pid() {
	lv_alive "$1" || return 0
	lv_do "kill $1"
	for _ in $(seq 1 100); do lv_alive "$1" || return 0; sleep 0.1; done
	echo "$LV_PROG: $2 ($1) did not stop on SIGTERM; SIGKILL" >&2
	kill -KILL "$1"
}

lv_mounted_below() {
	awk -v p="$1" '$2 == p || index($2, p "/") == 1 { found = 1 } END { exit !found }' /proc/mounts
}

lv_cleanup() {
	_rc=0
	# A second Ctrl-C must not cut the cleanup short.
	trap '' INT TERM HUP PIPE
	cd / || true
	for _u in $LV_ATTACHED; do lv_detach "$_u" || _rc=1; done
	if [ "$LV_LIBVIRTD_STARTED" = 1 ] && [ -z "$LV_LIBVIRTD_PID" ]; then
		sleep 1
		LV_LIBVIRTD_PID=$(lv_pidfile /run/libvirtd.pid)
	fi
	if [ "$LV_VIRTLOGD_STARTED" = 1 ] && [ -z "$LV_VIRTLOGD_PID" ]; then
		LV_VIRTLOGD_PID=$(lv_pidfile /run/virtlogd.pid)
	fi
	if lv_alive "$LV_LIBVIRTD_PID"; then
		for _d in $LV_DOMAINS; do
			if [ "$(virsh domstate "$_d" 2>/dev/null | head -n 1)" = running ]; then
				lv_do "virsh destroy $_d" || _rc=1
			fi
			virsh dominfo "$_d" >/dev/null 2>&1 || continue
			lv_do "virsh undefine $_d" || _rc=1
		done
	fi
	lv_stop_pid "$LV_APVIRTD_PID" apvirtd
	lv_stop_pid "$LV_LIBVIRTD_PID" libvirtd
	lv_stop_pid "$LV_VIRTLOGD_PID" virtlogd
	LV_APVIRTD_PID='' LV_LIBVIRTD_PID='' LV_VIRTLOGD_PID=''
	LV_LIBVIRTD_STARTED=0 LV_VIRTLOGD_STARTED=0
	if [ "$LV_ETC_DONE" = 1 ]; then
		lv_do "rm -f $LV_HOOKDIR/apvirt $LV_CONF" || _rc=1
		if [ -e "$LV_TMP/saved/hook" ]; then
			lv_do "mv $LV_TMP/saved/hook $LV_HOOKDIR/apvirt" || _rc=1
		fi
		if [ -e "$LV_TMP/saved/apvirt.conf" ]; then
			lv_do "mv $LV_TMP/saved/apvirt.conf $LV_CONF" || _rc=1
		fi
		LV_ETC_DONE=0
	fi
	if [ "$LV_APSIM_UP" = 1 ]; then
		lv_do "apsim stop --root $LV_TMP/root" || _rc=1
		LV_APSIM_UP=0
	fi
	if [ -n "$LV_TMP" ]; then
		if lv_mounted_below "$LV_TMP"; then
			echo "$LV_PROG: a mount is left below $LV_TMP" >&2
			_rc=1
		else
			rm -rf "$LV_TMP"
		fi
	fi
	return $_rc
}
