# tests/layout: the layers of docs/architecture.md, read from the include
# lines, and a repository that stands alone.
TESTS += tests/layout/check-includes.sh
EXTRA_DIST += tests/layout/check-includes.sh
