#!/bin/bash
# kernel/s390/checkpatch.sh TREE - checkpatch.pl --strict over kernel/.
#
# Every C file and header under kernel/ must be clean except for the
# exceptions below, each one file and one checkpatch type, each with its
# reason in docs/kernel.md ("checkpatch exceptions").  An exception that no
# longer matches anything fails too, so the list stays true.
# TREE: a kernel source tree (for scripts/checkpatch.pl).
set -u
tree=${1:?usage: checkpatch.sh KERNEL_TREE}
top=$(cd "$(dirname "$0")/../.." && pwd)
exceptions=(
	"kernel/common/compat.h:PREFER_KERNEL_TYPES"
	"kernel/common/ap_bitmap.h:MACRO_ARG_REUSE"
	"kernel/ap_model/ap_zcrypt.c:MACRO_ARG_REUSE"
	"kernel/core/vfio_ap_core.h:BIT_MACRO"
	"kernel/ap_sim/include/asm/ap.h:NEW_TYPEDEFS"
	"kernel/ap_sim/include/asm/ap.h:VOLATILE"
	"kernel/ap_sim/include/asm/ap.h:MACRO_ARG_REUSE"
)
# CamelCase is reported once per name, at whichever file uses it first, so
# its exceptions name the identifier instead of a file: s390's own field
# names of struct ap_config_info.
camel_ok=("<Na>" "<Nd>")
# checkpatch caches CamelCase names in the current directory when it is a
# git tree (and needs a tree of some kind): run it in a copy that is an
# empty git repository, so the worktree stays clean.
work=$(mktemp -d /tmp/apvirt-checkpatch.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
(cd "$top" && find kernel -name '*.[ch]' -print0 | cpio -0 -pdm --quiet "$work") || exit 1
cd "$work" && git init -q . &&
	git -c user.name=apvirt -c user.email=apvirt@localhost commit -q --allow-empty -m tree ||
	exit 1
mapfile -t files < <(find kernel -name '*.[ch]' | sort)
out=$("$tree/scripts/checkpatch.pl" --strict --no-tree --terse --show-types --no-summary \
	-f "${files[@]}" 2>&1)
status=0
used=()
while IFS= read -r line; do
	[ -n "$line" ] || continue
	file=${line%%:*}
	type=$(echo "$line" | sed -n 's/^[^:]*:[0-9]*: [A-Z]*:\([A-Z_]*\):.*/\1/p')
	ok=false
	if [ "$type" = CAMELCASE ]; then
		for c in "${camel_ok[@]}"; do
			[[ "$line" == *"CamelCase: $c" ]] && ok=true && used+=("CAMELCASE $c")
		done
	fi
	for e in "${exceptions[@]}"; do
		if [ "$e" = "$file:$type" ]; then
			ok=true
			used+=("$e")
		fi
	done
	if $ok; then
		echo "excepted: $line"
	else
		echo "$line"
		status=1
	fi
done <<<"$out"
for e in "${exceptions[@]}" "${camel_ok[@]/#/CAMELCASE }"; do
	printf '%s\n' "${used[@]}" | grep -qxF "$e" || { echo "unused exception: $e"; status=1; }
done
echo "checkpatch: ${#files[@]} files, status $status"
exit $status
