# tests/layout: the layers of docs/architecture.md, read from the include
# lines, a repository that stands alone, docs/locking.md mirroring
# kernel/common/lock_ranks.h, and libapvirt's exported symbols.
TESTS += tests/layout/check-includes.sh tests/layout/check-lock-table.sh \
	tests/layout/check-symbols.sh
EXTRA_DIST += tests/layout/check-includes.sh tests/layout/check-lock-table.sh \
	tests/layout/check-symbols.sh
# check-symbols.sh reads lib/.libs/libapvirt.so, built by "all" before "check".
