# SPDX-License-Identifier: GPL-2.0
# kbuild-checks.sh - sourced by kernel/s390/build.sh and
# kernel/vfio_ap/build-x86.sh: the three TAP results read off one Kbuild
# log (W=1 C=1 V=1 output).  The caller defines n, fail() and status.
#
# kbuild_log_checks ARCH LOG RC KO
kbuild_log_checks() {
	local arch=$1 log=$2 rc=$3 ko=$4 warn undef srcs checked

	n=$((n + 1))
	warn=$(grep -c -i -E 'warning|error' "$log")
	if [ "$rc" -eq 0 ] && [ "$warn" -eq 0 ] && [ -f "$ko" ]; then
		echo "ok $n - $arch build W=1 C=1: 0 warnings"
	else
		fail "$arch build W=1 C=1: exit $rc, $warn warnings/errors"
	fi

	n=$((n + 1))
	undef=$(grep -c 'undefined!' "$log")
	if [ "$rc" -eq 0 ] && [ "$undef" -eq 0 ]; then
		echo "ok $n - $arch modpost: 0 unresolved symbols"
	else
		fail "$arch modpost: $undef unresolved symbols"
	fi

	n=$((n + 1))
	srcs=$(grep '^  CC \[M\] .*\.o$' "$log" | grep -vc '\.mod\.o$')
	checked=$(grep -c '^  CHECK ' "$log")
	if [ "$checked" -gt 0 ] && [ "$checked" -eq "$srcs" ]; then
		echo "ok $n - sparse (C=1) checked all $srcs sources"
	else
		fail "sparse (C=1) checked $checked of $srcs sources"
	fi
}
