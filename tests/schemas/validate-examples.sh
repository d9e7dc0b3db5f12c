#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# validate-examples.sh - xml-schemas/: every good example validates
# against its schema (matrix-*, fragment-*, status-* by name) and every bad one is refused (xmllint --relaxng exit
# status 3 and the "fails to validate" line); the committed .rng files are
# exactly what trang makes of the .rnc sources.
#
# Environment: XMLLINT, TRANG (what configure found), SRCDIR (the source
# tree, default .).  Output: TAP.

set -u
SRCDIR=${SRCDIR:-.}
XMLLINT=${XMLLINT:-xmllint}
TRANG=${TRANG:-trang}
DIR=$SRCDIR/xml-schemas
n=0
failed=0

ok() { n=$((n + 1)); printf 'ok %s - %s\n' "$n" "$1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); printf 'not ok %s - %s: %s\n' "$n" "$1" "$2"; }

if ! command -v "$XMLLINT" >/dev/null 2>&1; then
	echo "1..0 # SKIP xmllint is not available"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/apvirt-schemas.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

# check FILE SCHEMA EXPECTED_RC EXPECTED_LAST_LINE
check() {
	out=$(timeout 30 "$XMLLINT" --noout --relaxng "$DIR/$2" "$1" 2>&1)
	rc=$?
	last=$(printf '%s\n' "$out" | tail -n 1)
	name="$(basename "$1") against $2"
	if [ "$rc" -ne "$3" ]; then
		not_ok "$name" "exit status $rc, expected $3 ($(printf '%s' "$out" | head -n 2 | tr '\n' ' '))"
	elif [ "$last" != "$4" ]; then
		not_ok "$name" "last line \"$last\", expected \"$4\""
	else
		ok "$name"
	fi
}

count=0
for f in "$DIR"/examples/*.xml; do
	base=$(basename "$f" .xml)
	case $base in
	matrix-*) schema=ap-matrix.rng ;;
	fragment-*) schema=ap-fragment.rng ;;
	status-*) schema=ap-status.rng ;;
	*) not_ok "$base" "example names start with matrix-, fragment- or status-"; continue ;;
	esac
	case $base in
	*-good-*) check "$f" "$schema" 0 "$f validates" ;;
	*-bad-*) check "$f" "$schema" 3 "$f fails to validate" ;;
	*) not_ok "$base" "example names say -good- or -bad-" ;;
	esac
	count=$((count + 1))
done
[ "$count" -ge 29 ] && ok "at least 29 examples ($count)" || not_ok "examples" "only $count"

# The .rng files are generated: they must match their .rnc sources.
if command -v "$TRANG" >/dev/null 2>&1; then
	for s in ap-matrix ap-fragment ap-status; do
		if timeout 120 "$TRANG" -I rnc -O rng "$DIR/$s.rnc" "$tmp/$s.rng" 2>"$tmp/err"; then
			for g in "$s" ap-common; do
				if cmp -s "$tmp/$g.rng" "$DIR/$g.rng"; then
					ok "$g.rng is trang's output of the .rnc (via $s.rnc)"
				else
					not_ok "$g.rng" "differs from trang's output; run make schemas"
				fi
			done
		else
			not_ok "trang $s.rnc" "$(head -n 1 "$tmp/err")"
		fi
	done
else
	echo "# trang not found: the .rng files were not compared with their .rnc sources"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
