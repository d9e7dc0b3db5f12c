#!/bin/sh
# The README's test command: install dependencies, build, run `make check`.
# Extra arguments go to ./configure (CI adds --enable-werror --enable-all-deps).
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
./autogen.sh
./configure "$@"
make -j"$(nproc)"
make -j"$(nproc)" check
