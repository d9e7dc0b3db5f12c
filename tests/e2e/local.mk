# tests/e2e: apvirt with a real libvirtd and a QEMU TCG guest.
#
#   libvirt.sh   the hook installed into /etc/libvirt/hooks/qemu.d, the
#                domain verbs, refusals and rollback, start and destroy
#                (needs root; starts and stops its own virtlogd/libvirtd)
EXTRA_DIST += tests/e2e/libvirt.sh tests/e2e/consumer.py
if HAVE_FUSE3
TESTS += tests/e2e/libvirt.sh
endif
