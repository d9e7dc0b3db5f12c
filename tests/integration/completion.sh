#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# completion.sh - tools/apvirt.bash-completion: what <TAB> offers after
# each verb, exactly.  No apvirt, virsh or FUSE needed: PATH holds only a
# virsh stand-in that names two domains.  Output: TAP.

# no "set -u": completion functions run in interactive shells, without it
HERE=$(cd "$(dirname "$0")" && pwd)
COMPLETION=${APVIRT_COMPLETION:-$HERE/../../tools/apvirt.bash-completion}
n=0
fails=0
tmp=$(mktemp -d /tmp/apvirt-completion.XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin" "$tmp/files" || exit 99
printf '#!/bin/sh\n[ "$*" = "list --all --name" ] && printf "g1\\ng2\\n"\n' > "$tmp/bin/virsh"
chmod +x "$tmp/bin/virsh"
: > "$tmp/files/frag.xml"
PATH=$tmp/bin:/usr/bin:/bin
# shellcheck source=tools/apvirt.bash-completion
. "$COMPLETION"

# offers "WORDS..." EXPECTED: complete the last word of the line
offers() {
	local line=$1 want=$2 got
	read -r -a COMP_WORDS <<< "$line"
	case $line in *' ') COMP_WORDS+=("") ;; esac
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_apvirt
	got="${COMPREPLY[*]}"
	n=$((n + 1))
	if [ "$got" = "$want" ]; then
		echo "ok $n - '$line'"
	else
		echo "not ok $n - '$line': expected \"$want\" got \"$got\""
		fails=$((fails + 1))
	fi
}

offers "apvirt " "host validate mdev attach-device detach-device attach detach dumpxml list --help --version"
offers "apvirt att" "attach-device attach"
offers "apvirt attach-device " "g1 g2"
offers "apvirt attach-device g1 $tmp/files/fr" "$tmp/files/frag.xml"
offers "apvirt attach-device g1 f.xml --l" "--live"
offers "apvirt detach-device g2 f.xml --c" "--config --current --connect"
offers "apvirt attach g1 --" "--adapter --domain --control-domain --live --config --current --persistent --force --connect --help"
offers "apvirt attach g1 --adapter " ""
offers "apvirt dumpxml " "g1 g2"
offers "apvirt dumpxml g1 --" "--inactive --json --connect --help"
offers "apvirt list --" "--json --connect --help"
offers "apvirt mdev " "list show create remove set --help"
echo "1..$n"
[ "$fails" -eq 0 ]
