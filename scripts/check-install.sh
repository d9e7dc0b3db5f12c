#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-install.sh - make install (into a DESTDIR) puts every part of
# issue 8 in place: the library (shared, versioned), its headers and .pc
# file, the CLI, the mdevctl callout under its installed name, the man
# page and the bash completion, apvirtd with its man page and systemd unit,
# the man pages of the QEMU hook, the callout and the metadata XML
# (apvirt-matrix(5)) and the schemas; and the installed programs run
# (tests/layout/check-man.sh checks that every installed program has its
# man page, and that every page renders).  Run from
# a configured build directory (CI step 1b).  Prints "ok"/"not ok" lines
# and "N passed, M failed"; exit status 0 or 1.
set -u
dest=$(mktemp -d "${TMPDIR:-/tmp}/apvirt-install.XXXXXX") || exit 1
trap 'rm -rf "$dest"' EXIT
pass=0
fail=0
check() {
	if [ "$2" = yes ]; then
		echo "ok - $1"; pass=$((pass + 1))
	else
		echo "not ok - $1"; fail=$((fail + 1))
	fi
}
if ! timeout 600 make -s install DESTDIR="$dest" >"$dest.log" 2>&1; then
	tail -n 20 "$dest.log"
	check "make install" no
else
	check "make install" yes
fi
rm -f "$dest.log"
prefix=$(sed -n 's/^prefix = //p' Makefile)
sysconfdir=$(sed -n 's/^sysconfdir = //p' Makefile | sed "s|\${prefix}|$prefix|")
p=$dest$prefix
for f in lib/libapvirt.so.0 lib/pkgconfig/libapvirt.pc include/apvirt/apvirt.h \
	 include/apvirt/apv_txn.h bin/apvirt share/man/man8/apvirt.8 \
	 share/bash-completion/completions/apvirt sbin/apvirtd share/man/man8/apvirtd.8 \
	 share/man/man8/apvirt-qemu-hook.8 share/man/man8/apvirt-mdevctl-callout.8 \
	 share/man/man5/apvirt-matrix.5 share/apvirt/schemas/ap-matrix.rng \
	 share/apvirt/schemas/ap-fragment.rng share/apvirt/schemas/ap-common.rng; do
	check "installed: $f" "$([ -e "$p/$f" ] && echo yes || echo no)"
done
callout=$dest$sysconfdir/mdevctl.d/scripts.d/callouts/apvirt
check "installed: the callout as $sysconfdir/mdevctl.d/scripts.d/callouts/apvirt" \
	"$([ -x "$callout" ] && echo yes || echo no)"
check "installed apvirt runs (--version)" \
	"$(LD_LIBRARY_PATH=$p/lib timeout 10 "$p/bin/apvirt" --version >/dev/null 2>&1 && echo yes || echo no)"
LD_LIBRARY_PATH=$p/lib timeout 10 "$callout" -t other -e pre -a start -s none \
	-u 11111111-1111-4111-8111-111111111111 -p matrix </dev/null
check "installed callout runs (another type: exit 2)" "$([ $? -eq 2 ] && echo yes || echo no)"
unitdir=$(sed -n 's/^systemdsystemunitdir = //p' Makefile | sed "s|\${prefix}|$prefix|")
unit=$dest$unitdir/apvirtd.service
check "installed: apvirtd.service in $unitdir" "$([ -f "$unit" ] && echo yes || echo no)"
check "apvirtd.service starts the installed apvirtd" \
	"$(grep -qx "ExecStart=$prefix/sbin/apvirtd" "$unit" 2>/dev/null && echo yes || echo no)"
check "apvirtd.service is ordered after libvirtd and virtqemud" \
	"$(grep -qx "After=libvirtd.service virtqemud.service" "$unit" 2>/dev/null && echo yes || echo no)"
check "apvirtd.service pulls in no libvirt daemon (no Wants=/Requires=)" \
	"$(grep -q -E '^(Wants|Requires|BindsTo)=' "$unit" 2>/dev/null && echo no || echo yes)"
check "installed apvirtd runs (--version)" \
	"$([ "$(LD_LIBRARY_PATH=$p/lib timeout 10 "$p/sbin/apvirtd" --version 2>&1)" = "apvirtd $(sed -n 's/^PACKAGE_VERSION = //p' Makefile)" ] && echo yes || echo no)"
check "libapvirt.pc names the library" \
	"$(grep -q -- '-lapvirt' "$p/lib/pkgconfig/libapvirt.pc" && echo yes || echo no)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
