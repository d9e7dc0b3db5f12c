#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-man.sh - the man pages (TAP):
#
#   every page of the source tree renders without a warning, through man
#   (man-db, as a user reads it) and through groff -ww;
#   make install (into a temporary DESTDIR) installs every page, and a man
#   page for every program it installs (bin, sbin, the libvirt hook and the
#   mdevctl callout, which are installed under another name);
#   every apvirt page named in a SEE ALSO is installed.
#
# Run from the build directory (make check does); SRCDIR is the source
# tree.  Needs man (man-db) and groff (groff-base).
set -u
SRCDIR=${SRCDIR:-.}
n=0
failed=0
ok() { n=$((n + 1)); printf 'ok %s - %s\n' "$n" "$1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); printf 'not ok %s - %s: %s\n' "$n" "$1" "$2"; }
check() {	# NAME CONDITION-TEXT(yes|why)
	if [ "$2" = yes ]; then ok "$1"; else not_ok "$1" "$2"; fi
}

for tool in man groff; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "1..0 # SKIP $tool is not installed (scripts/install-deps.sh installs it)"
		exit 77
	fi
done
[ -f Makefile ] || { echo "check-man: run from a configured build directory" >&2; exit 99; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/apvirt-man.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

# The man pages of the source tree: its NAME.N files.
pages() {
	(cd "$SRCDIR" && if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files '*.[1-9]'
	else
		# a tarball or a copy: the pages sit one directory down (not in
		# a _build), and are roff with a .TH line (autom4te.cache/output.1
		# is not a man page)
		find . -mindepth 2 -maxdepth 2 -type f -name '*.[1-9]' \
			! -path './autom4te.cache/*' -exec grep -l '^\.TH ' {} + | sed 's|^\./||'
	fi) | sort
}
PAGES=$(pages)
[ -n "$PAGES" ] || { echo "check-man: no man page found below $SRCDIR" >&2; exit 99; }

# Render: nothing at all on stderr counts as clean.
for p in $PAGES; do
	out=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z \
		"$SRCDIR/$p" 2>&1 >/dev/null)
	check "man --warnings renders $p cleanly" "$([ -z "$out" ] && echo yes || echo "$out" | head -n 3 | tr '\n' ' ')"
	out=$(groff -ww -man -z "$SRCDIR/$p" 2>&1)
	check "groff -ww renders $p cleanly" "$([ -z "$out" ] && echo yes || echo "$out" | head -n 3 | tr '\n' ' ')"
done

# Install into a DESTDIR.  A make of its own: not the jobserver of make check.
dest=$tmp/dest
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL timeout 600 make -s install DESTDIR="$dest" \
	>"$tmp/install.log" 2>&1; then
	ok "make install DESTDIR=..."
else
	not_ok "make install DESTDIR=..." "$(tail -n 3 "$tmp/install.log" | tr '\n' ' ')"
	echo "1..$n"
	exit 1
fi
mvar() { sed -n "s/^$1 = //p" Makefile; }
prefix=$(mvar prefix)
man=$dest$(mvar mandir | sed "s|\${datarootdir}|$(mvar datarootdir)|; s|\${prefix}|$prefix|")
sysconfdir=$(mvar sysconfdir | sed "s|\${prefix}|$prefix|")

# installed NAME.N: is it below $man/manN?
installed() {
	[ -f "$man/man${1##*.}/$1" ]
}

# The words of the Makefile's live lines: a page of a part configure left
# out (apsim without fuse3) is there only in a commented am__append line.
mk_words=$(grep -v '^[[:space:]]*#' Makefile | tr ' \t\\' '\n\n\n')
listed() {
	printf '%s\n' "$mk_words" | grep -qxF "$1"
}
for p in $PAGES; do
	b=${p##*/}
	if ! listed "$p" && grep -q "^#am__append_[0-9]* = $p\$" Makefile; then
		n=$((n + 1))
		printf 'ok %s - %s is installed # SKIP not built in this configuration\n' "$n" "$b"
		continue
	fi
	check "$b is installed" "$(installed "$b" && echo yes || echo "not in ${man#"$dest"}/man${b##*.} (add it to dist_man_MANS)")"
done

# The page of an installed program: its own name in bin and sbin; the hook
# and the callout are installed as "apvirt" where libvirt and mdevctl look.
page_of() {
	case $1 in
	"$dest$sysconfdir"/libvirt/hooks/qemu.d/*) echo apvirt-qemu-hook ;;
	"$dest$sysconfdir"/mdevctl.d/scripts.d/callouts/*) echo apvirt-mdevctl-callout ;;
	*/bin/* | */sbin/*) basename "$1" ;;
	*) echo "" ;;
	esac
}
progs=$(find "$dest" -type f -perm -u+x ! -name '*.so*' ! -name '*.la' | sort)
[ -n "$progs" ] || not_ok "make install installs programs" "none found below $dest"
for f in $progs; do
	rel=${f#"$dest"}
	name=$(page_of "$f")
	if [ -z "$name" ]; then
		not_ok "$rel has a man page" "check-man.sh does not know which page documents it"
		continue
	fi
	found=no
	for s in 1 5 8; do
		if [ -f "$man/man$s/$name.$s" ]; then found=yes; break; fi
	done
	check "$rel has a man page ($name)" "$([ $found = yes ] && echo yes || echo "no $name.[158] installed")"
done

# SEE ALSO: every apvirt or apsim page named there exists.
for p in $PAGES; do
	refs=$(sed -n '/^\.SH SEE ALSO/,/^\.SH/p' "$SRCDIR/$p" |
		sed -n 's/^\.BR \(ap[a-z\\-]*\) (\([0-9]\)).*/\1.\2/p' | sed 's/\\-/-/g')
	for r in $refs; do
		check "${p##*/}: SEE ALSO $r is installed" "$(installed "$r" && echo yes || echo "no page $r")"
	done
done

echo "1..$n"
[ "$failed" -eq 0 ]
