# kernel/vfio_ap: the Linux module, built by Kbuild outside automake.
#   make s390-check   s390 compile, link and style check (kernel/s390/build.sh)
#   make x86-module   ap_sim.ko + vfio_ap.ko for x86 (kernel/vfio_ap/build-x86.sh),
#                     copied to kernel-modules/ in the build directory
# Both print TAP and install nothing: scripts/install-deps.sh has the tools.
s390-check:
	$(top_srcdir)/kernel/s390/build.sh

x86-module:
	$(top_srcdir)/kernel/vfio_ap/build-x86.sh -o $(abs_top_builddir)/kernel-modules

.PHONY: s390-check x86-module
EXTRA_DIST += kernel/vfio_ap/Kbuild kernel/vfio_ap/local.mk kernel/vfio_ap/INTERFACE.md \
	kernel/vfio_ap/vfio_ap_glue.h kernel/vfio_ap/vfio_ap_main.c \
	kernel/vfio_ap/vfio_ap_mdev.c kernel/vfio_ap/vfio_ap_queue.c \
	kernel/vfio_ap/vfio_ap_s390.c kernel/vfio_ap/vfio_ap_sim.c \
	kernel/vfio_ap/build-x86.sh kernel/s390/build.sh kernel/s390/checkpatch.sh kernel/kbuild-checks.sh \
	docs/kernel.md
clean-local: clean-kernel-modules
clean-kernel-modules:
	rm -rf kernel-modules
.PHONY: clean-kernel-modules
