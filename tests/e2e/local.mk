# tests/e2e: apvirt with a real libvirtd and a QEMU TCG guest.
#
#   libvirt.sh   the hook installed into /etc/libvirt/hooks/qemu.d, the
#                domain verbs, refusals and rollback, start and destroy
#                and apvirtd: virsh metadata --live edits applied or rolled
#                back, consumer.py (python3-libvirt only) and a libvirtd
#                restart (needs root; starts and stops its own
#                virtlogd/libvirtd/apvirtd)
#   consumer.py  a management stack's client: only the libvirt API
EXTRA_DIST += tests/e2e/libvirt.sh tests/e2e/consumer.py
if HAVE_FUSE3
TESTS += tests/e2e/libvirt.sh
endif
