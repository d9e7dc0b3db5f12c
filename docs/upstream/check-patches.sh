#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-patches.sh - check docs/upstream/ against Debian's Linux source.
#
#   docs/upstream/check-patches.sh [TARBALL]
#
# TARBALL defaults to /usr/src/linux-source-6.1.tar.xz; if that is missing
# it is installed with "apt-get install -y linux-source-6.1" (root, Debian's
# archive only: no other network access).  Another tree of the same shape
# works too, e.g. /usr/src/linux-source-6.12.tar.xz.
#
# 1. Unpacks only drivers/s390/crypto/ into a temporary directory, makes it
#    a git repository and commits the pristine files.
# 2. Checks the series, docs/upstream/NNNN-*.patch in order: each must pass
#    "git apply --check" (and "patch -p1 --dry-run" where patch exists) on
#    the tree with the earlier patches applied; it is then applied.
# 3. Looks in the resulting vfio_ap_ops.c for the code of each bug of
#    docs/kernel-abi.md §4.7 / §4.8 and prints fixed, PRESENT or n/a.
#
# Exit status: 0 if every patch applies and no bug is left PRESENT; 1 if a
# patch fails (its name is printed) or a bug is present that no patch of
# the series fixes; 2 on a setup error.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tarball=${1:-/usr/src/linux-source-6.1.tar.xz}

if [ ! -f "$tarball" ]; then
	if [ "$tarball" = /usr/src/linux-source-6.1.tar.xz ]; then
		echo "check-patches: $tarball missing; installing linux-source-6.1" >&2
		apt-get install -y linux-source-6.1 >&2 ||
			{ apt-get update >&2 && apt-get install -y linux-source-6.1 >&2; } ||
			{ echo "check-patches: cannot install linux-source-6.1" >&2; exit 2; }
	fi
	[ -f "$tarball" ] || { echo "check-patches: no $tarball" >&2; exit 2; }
fi

work=$(mktemp -d /tmp/check-patches.XXXXXX)
trap 'rm -rf "$work"' EXIT
tar -xJf "$tarball" -C "$work" --wildcards '*/drivers/s390/crypto/*' ||
	{ echo "check-patches: cannot unpack drivers/s390/crypto from $tarball" >&2; exit 2; }
src=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n 1)
ops=$src/drivers/s390/crypto/vfio_ap_ops.c
[ -f "$ops" ] || { echo "check-patches: no drivers/s390/crypto/vfio_ap_ops.c in $tarball" >&2; exit 2; }

cd "$src" || exit 2
export GIT_AUTHOR_NAME=check-patches GIT_AUTHOR_EMAIL=check-patches@example.invalid
export GIT_COMMITTER_NAME=check-patches GIT_COMMITTER_EMAIL=check-patches@example.invalid
{ git init -q && git add -A && git commit -q -m "pristine $(basename "$src") drivers/s390/crypto"; } ||
	{ echo "check-patches: git failed" >&2; exit 2; }
echo "tree: $(basename "$tarball") -> $(basename "$src")/drivers/s390/crypto ($(grep -c '' "$ops") lines in vfio_ap_ops.c)"

status=0

# ---- the series ----------------------------------------------------------
shopt -s nullglob
series=("$here"/[0-9][0-9][0-9][0-9]-*.patch)
if [ ${#series[@]} -eq 0 ]; then
	echo "series: empty (no docs/upstream/NNNN-*.patch)"
fi
for p in "${series[@]}"; do
	name=$(basename "$p")
	if ! git apply --check "$p" 2>"$work/err"; then
		echo "FAILED: $name does not apply (git apply --check):"
		sed 's/^/  /' "$work/err"
		exit 1
	fi
	if command -v patch >/dev/null && ! patch -p1 --dry-run -s < "$p" >"$work/err" 2>&1; then
		echo "FAILED: $name does not apply (patch -p1 --dry-run):"
		sed 's/^/  /' "$work/err"
		exit 1
	fi
	git apply "$p" && git add -A && git commit -q -m "$name"
	echo "applies: $name"
done

# ---- the bugs ---------------------------------------------------------------
# body FUNC: the lines of FUNC's definition in vfio_ap_ops.c (empty if absent)
body() {
	awk -v f="$1" '
		!in_f && $0 ~ ("^[a-z].*[ *]" f "\\(") && $0 !~ /;[ \t]*$/ { in_f = 1 }
		in_f { print }
		in_f && /^}/ { exit }' "$ops"
}

# unguarded FUNC: kvm->lock taken without "if (matrix_mdev->kvm)" just before
unguarded() {
	body "$1" | awk '
		/mutex_lock\(&matrix_mdev->kvm->lock\)/ && prev !~ /if \(matrix_mdev->kvm\)/ { bad = 1 }
		NF { prev = $0 }
		END { exit !bad }'
}

verdict() {	# NAME STATE WHAT
	printf '%-8s %-52s %s\n' "$2" "$1" "$3"
	[ "$2" = PRESENT ] && status=1
	return 0
}

b=$(body vfio_ap_mdev_cfg_remove)
if grep -q 'bitmap_andnot(cdrem' <<<"$b"; then
	verdict "items 1-2: cfg_remove control domains AND-NOT" PRESENT "vfio_ap_mdev_cfg_remove() uses bitmap_andnot(cdrem, ...)"
elif grep -q 'bitmap_and(cdrem' <<<"$b"; then
	verdict "items 1-2: cfg_remove control domains AND-NOT" fixed "bitmap_and(cdrem, ...)"
else
	verdict "items 1-2: cfg_remove control domains AND-NOT" n/a "no vfio_ap_mdev_cfg_remove()"
fi

b=$(body vfio_ap_mdev_hot_unplug_cfg)
if grep -q 'do_hotplug |= bitmap_andnot' <<<"$b"; then
	verdict "items 3-4: hot_unplug_cfg non-empty for changed" PRESENT "vfio_ap_mdev_hot_unplug_cfg() takes bitmap_andnot()'s result"
elif grep -q 'bitmap_intersects' <<<"$b"; then
	verdict "items 3-4: hot_unplug_cfg non-empty for changed" fixed "bitmap_intersects(shadow, rem)"
else
	verdict "items 3-4: hot_unplug_cfg non-empty for changed" n/a "no vfio_ap_mdev_hot_unplug_cfg()"
fi

bad=
for f in vfio_ap_mdev_cfg_remove vfio_ap_mdev_hot_plug_cfg vfio_ap_on_scan_complete; do
	unguarded $f && bad="$bad $f()"
done
if [ -n "$bad" ]; then
	verdict "item 1a: NULL kvm on a host config change" PRESENT "kvm->lock without a NULL check in$bad"
else
	verdict "item 1a: NULL kvm on a host config change" fixed "every kvm->lock checks matrix_mdev->kvm"
fi

b=$(body vfio_ap_mdev_hot_plug_cfg)
if ! grep -q 'apm_filtered' <<<"$b"; then
	verdict "item 17: uninitialised apm_filtered" n/a "hot_plug_cfg() has no apm_filtered (no 6.8 reset of filtered queues)"
elif grep -q -e 'bitmap_zero(apm_filtered' -e 'bitmap_clear(apm_filtered' <<<"$b"; then
	verdict "item 17: uninitialised apm_filtered" fixed "hot_plug_cfg() zeroes apm_filtered"
else
	verdict "item 17: uninitialised apm_filtered" PRESENT "hot_plug_cfg() may pass an uninitialised apm_filtered"
fi

b=$(body vfio_ap_mdev_set_kvm)
hook=$(grep -n 'pqap_hook = &matrix_mdev->pqap_hook' <<<"$b" | head -n 1 | cut -d: -f1)
eperm=$(grep -n 'return -EPERM' <<<"$b" | head -n 1 | cut -d: -f1)
if [ -z "$hook" ] || [ -z "$eperm" ]; then
	verdict "set_kvm: hook installed before the EPERM check" n/a "pattern not found in vfio_ap_mdev_set_kvm()"
elif [ "$hook" -lt "$eperm" ]; then
	verdict "set_kvm: hook installed before the EPERM check" PRESENT "a rejected mdev's pqap_hook stays installed"
else
	verdict "set_kvm: hook installed before the EPERM check" fixed "EPERM before the hook is installed"
fi

if [ $status -ne 0 ]; then
	echo "check-patches: a bug is PRESENT that no patch of the series fixes"
else
	echo "check-patches: OK (${#series[@]} patches; no known bug left)"
fi
exit $status
