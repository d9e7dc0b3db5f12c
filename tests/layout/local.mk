# tests/layout: the layers of docs/architecture.md, read from the include
# lines, and a repository that stands alone.
TESTS += tests/layout/check-includes.sh tests/layout/check-symbols.sh
EXTRA_DIST += tests/layout/check-includes.sh tests/layout/check-symbols.sh
# check-symbols.sh reads lib/.libs/libapvirt.so, built by "all" before "check".
