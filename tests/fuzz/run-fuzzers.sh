#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-fuzzers.sh [SECONDS] - build every libFuzzer target ("make fuzz") and
# run each for SECONDS (default 30) on a fresh copy of its seed corpus.
#
# Prints "fuzz <name>: PASS" or "fuzz <name>: FAIL" per target, then
# "fuzz: N passed, M failed"; exits non-zero if any target failed.  The
# repository is never written: corpora, logs and crash inputs stay in a
# temporary directory, which is kept (and named) only when something failed.
#
# Environment:
#   BUILDDIR     the configured build tree (default: the source tree)
#   FUZZ_JOBS    targets run at once (default: number of CPUs)
#   FUZZ_KEEP=1  keep the temporary directory even when everything passed
#
# APVIRT_WARN_ABORT=1 is set: a WARN_ON_ONCE in the engine or a model is a
# crash, so libFuzzer keeps the input that reached the impossible state.

set -u
APVIRT_WARN_ABORT=1
export APVIRT_WARN_ABORT

secs=${1:-30}
case $secs in
''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=${BUILDDIR:-$srcdir}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
bindir=$builddir/tests/fuzz/bin

if ! make -C "$builddir" --no-print-directory fuzz >/dev/null; then
	echo "run-fuzzers: make fuzz failed in $builddir" >&2
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/apvirt-fuzz.XXXXXX") || exit 1

# Extra libFuzzer options per target: longer inputs for the engine
# sequences, a smaller cap for the parsers (the page-sized sysfs writes).
target_opts() {
	case $1 in
	engine_seq) echo "-max_len=1024 -timeout=20" ;;
	*) echo "-max_len=4096 -timeout=10" ;;
	esac
}

# run_one NAME: fuzz one target, leave its exit status in $work/NAME.rc
run_one() {
	name=$1
	dir=$work/$name
	mkdir -p "$dir/corpus" "$dir/artifacts"
	if [ -d "$srcdir/tests/fuzz/corpus/$name" ]; then
		cp "$srcdir/tests/fuzz/corpus/$name"/* "$dir/corpus/" 2>/dev/null
	fi
	# shellcheck disable=SC2046 # the options are meant to split
	"$bindir/fuzz_$name" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$dir/artifacts/" $(target_opts "$name") \
		"$dir/corpus" >"$dir/log" 2>&1
	echo $? >"$dir.rc"
}

names=
for bin in "$bindir"/fuzz_*; do
	[ -x "$bin" ] || continue
	names="$names ${bin##*/fuzz_}"
done
if [ -z "$names" ]; then
	echo "run-fuzzers: no targets in $bindir" >&2
	exit 1
fi

# At most $jobs targets at once; each one is single-threaded.
running=0
for name in $names; do
	run_one "$name" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait

passed=0
failed=0
for name in $names; do
	rc=$(cat "$work/$name.rc" 2>/dev/null || echo 1)
	if [ "$rc" = 0 ] && [ -z "$(ls "$work/$name/artifacts")" ]; then
		echo "fuzz $name: PASS"
		passed=$((passed + 1))
	else
		echo "fuzz $name: FAIL"
		echo "  exit status $rc; log $work/$name/log" >&2
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"

if [ "$failed" -eq 0 ] && [ "${FUZZ_KEEP:-0}" != 1 ]; then
	rm -rf "$work"
else
	echo "run-fuzzers: results kept in $work"
fi
[ "$failed" -eq 0 ]
