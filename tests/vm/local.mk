# tests/vm: the VM tier (kernel/ap_sim and kernel/vfio_ap in Debian's
# kernel under QEMU TCG).  Not part of "make check": it needs
# linux-headers-amd64, qemu-system-x86, busybox-static and the network
# for "apt-get download" of the kernel image, and takes minutes.
# "make vm-check" runs it; .ci/run has it as its own step.
EXTRA_DIST += tests/vm/run.sh tests/vm/guest.sh tests/vm/stress.sh tests/vm/vfio-client.c \
	tests/vm/debug-kernel.sh \
	kernel/ap_sim/INTERFACE.md kernel/ap_sim/Kbuild kernel/ap_sim/Makefile \
	kernel/ap_sim/ap_sim.h kernel/ap_sim/ap_sim_main.c kernel/ap_sim/ap_sim_dev.c \
	kernel/ap_sim/ap_sim_drv.c kernel/ap_sim/ap_sim_hw.c kernel/ap_sim/ap_sim_kvm.c \
	kernel/ap_sim/ap_sim_ctl.c kernel/ap_sim/ap_sim_lines.c \
	kernel/ap_sim/m_ap_bitmap.c kernel/ap_sim/m_ap_text.c kernel/ap_sim/m_ap_profile.c \
	kernel/ap_sim/m_ap_hw.c kernel/ap_sim/m_ap_bus.c kernel/ap_sim/m_ap_bus_attrs.c \
	kernel/ap_sim/m_ap_zcrypt.c kernel/ap_sim/m_kvm_model.c \
	kernel/ap_sim/include/ap_bus.h kernel/ap_sim/include/ap_sim_kvm.h \
	kernel/ap_sim/include/asm/ap.h

vm-check: all tests/conformance/conformance
	srcdir='$(abs_top_srcdir)' $(SHELL) $(top_srcdir)/tests/vm/run.sh

# The same tier on a debug kernel (lockdep, KASAN, kmemleak) built from
# linux-source-6.1: not in CI, it takes most of an hour on 2 cores
# (docs/kernel.md §2.5).
vm-debug-check: all tests/conformance/conformance
	srcdir='$(abs_top_srcdir)' $(SHELL) $(top_srcdir)/tests/vm/debug-kernel.sh

.PHONY: vm-check vm-debug-check
