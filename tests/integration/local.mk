# tests/integration: real userspace tools against apsim.
#
#   mdevctl.sh       Debian's mdevctl 1.2.0 in a private mount namespace
#                    with apsim bind-mounted over /sys (needs root)
#   shell-errors.sh  the errno texts a shell prints for failing writes
#   apsim-kernel.sh  choosing the kernel profile; what 6.0 does not have
#   completion.sh    tools/apvirt.bash-completion, word by word (no FUSE)
#   apsim-iommu.sh   each mdev's emulated-IOMMU group and its numbering
#   apvirt.sh        the apvirt CLI and libapvirt: verbs, conflicts, failed
#                    and interrupted transactions, the s390 lock
#   apvirt-6.0.sh    apvirt.sh against apsim --kernel=6.0 (no ap_config, no
#                    matrix features file: the ordered path by itself)
#   apvirt-limits.sh IDs above ap_max_*, the one-page cut of `matrix` on
#                    6.0, live modify without ap_config
#   mdevctl-callout.sh  apvirt's mdevctl callout under Debian's mdevctl
#                    1.2.0 (private mount namespace, needs root)
#   root-safety.sh   untrusted --root directories, planted links, stale
#                    pid files (needs root)
#   permissions.sh   another user's view: world-readable attributes,
#                    root-only writes and ctl (needs root, setpriv)
#   remove-storm.sh  300 blocked removals at once: ctl and the tree still
#                    answer, every detach and every remover completes
#   hook.sh          libvirt-hooks/apvirt-qemu-hook fed domain XML on stdin:
#                    prepare, started, reconnect, release, refusals
#   ctl-limits.sh    fault errnos (real Linux ones only), faults on bind/unbind,
#                    the bounded fault and VM tables
#   vm-remove.sh     ctl vm-remove: frees an unused VM and its slot, EBUSY
#                    while an mdev is open by it, ENOENT, bad names
#   domain-flags.sh  the domain verbs' --live/--config/--current/--persistent
#                    (and none) on a running and a shut-off guest, against
#                    libvirt's test driver: which of sysfs and profile change
#   lv-detect.sh     scripts/libvirt-env.sh's foreign-daemon detection: a
#                    stale PID file whose PID was reused is no libvirtd
#   apvirtd.sh       apvirtd's options, and its reconnect backoff against a
#                    libvirt it cannot reach; SIGTERM exits 0 (no FUSE)
#
# All but apvirtd.sh, completion.sh and lv-detect.sh need FUSE.  APSIM and MDEVCTL (what configure found) come from
# AM_TESTS_ENVIRONMENT in the top Makefile.am.

# The tests that need FUSE (apsim).
INTEGRATION_FUSE_TESTS = \
	tests/integration/mdevctl.sh \
	tests/integration/shell-errors.sh \
	tests/integration/apsim-kernel.sh \
	tests/integration/apsim-iommu.sh \
	tests/integration/apvirt.sh \
	tests/integration/apvirt-6.0.sh \
	tests/integration/apvirt-limits.sh \
	tests/integration/mdevctl-callout.sh \
	tests/integration/root-safety.sh \
	tests/integration/permissions.sh \
	tests/integration/remove-storm.sh \
	tests/integration/ctl-limits.sh \
	tests/integration/vm-remove.sh \
	tests/integration/hook.sh \
	tests/integration/domain-flags.sh
INTEGRATION_PLAIN_TESTS = tests/integration/apvirtd.sh tests/integration/completion.sh \
	tests/integration/lv-detect.sh

EXTRA_DIST += \
	tests/integration/README.md \
	tests/integration/lib.sh \
	$(INTEGRATION_FUSE_TESTS) \
	$(INTEGRATION_PLAIN_TESTS)

TESTS += $(INTEGRATION_PLAIN_TESTS)

if HAVE_FUSE3
TESTS += $(INTEGRATION_FUSE_TESTS)
endif
