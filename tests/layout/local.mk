# tests/layout: the layers of docs/architecture.md, read from the include
# lines, a repository that stands alone, and docs/locking.md mirroring
# kernel/common/lock_ranks.h.
TESTS += tests/layout/check-includes.sh tests/layout/check-lock-table.sh
EXTRA_DIST += tests/layout/check-includes.sh tests/layout/check-lock-table.sh
