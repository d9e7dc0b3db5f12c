# kernel/common: bitmaps, sysfs text, compat, AP hardware definitions and
# the seams (ap_bus_if.h, ap_kvm.h, mdev_if.h).  The only kernel/ code that
# lib/ and tools may link.
noinst_LIBRARIES += kernel/common/libapcommon.a
kernel_common_libapcommon_a_CPPFLAGS = $(APCOMMON_CPPFLAGS)
kernel_common_libapcommon_a_CFLAGS = $(AM_CFLAGS) $(APVIRT_KERNEL_CFLAGS)
kernel_common_libapcommon_a_SOURCES = \
	kernel/common/compat.h \
	kernel/common/compat_user.c \
	kernel/common/lock_ranks.h \
	kernel/common/ap_bitmap.h \
	kernel/common/ap_bitmap.c \
	kernel/common/ap_text.h \
	kernel/common/ap_text.c \
	kernel/common/ap_hw.h \
	kernel/common/ap_bus_if.h \
	kernel/common/ap_kvm.h \
	kernel/common/mdev_if.h \
	kernel/common/ap_profile.h \
	kernel/common/ap_profile.c
