#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# apvirt-6.0.sh - apvirt.sh against apsim --kernel=6.0: no ap_config (the
# matrix comes from matrix + control_domains, changes take the ordered
# path by themselves), no matrix features file; every verb, every failed
# ordered write and every kill between writes, byte-identical afterwards.
APVIRT_IT_KERNEL=6.0
export APVIRT_IT_KERNEL
exec sh "$(cd "$(dirname "$0")" && pwd)/apvirt.sh" "$@"
