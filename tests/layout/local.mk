# tests/layout: the layers of docs/architecture.md, read from the include
# lines, a repository that stands alone, docs/locking.md mirroring
# kernel/common/lock_ranks.h, libapvirt's exported symbols, and the man
# pages (each renders without a warning; every installed program has one).
TESTS += tests/layout/check-includes.sh tests/layout/check-lock-table.sh \
	tests/layout/check-symbols.sh tests/layout/check-man.sh
EXTRA_DIST += tests/layout/check-includes.sh tests/layout/check-lock-table.sh \
	tests/layout/check-symbols.sh tests/layout/check-man.sh
# check-symbols.sh reads lib/.libs/libapvirt.so, built by "all" before "check".
