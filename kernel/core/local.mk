# kernel/core: the vfio_ap engine only.  Its include path holds
# kernel/common and itself: an engine file cannot include a model header.
noinst_LIBRARIES += kernel/core/libapcore.a
kernel_core_libapcore_a_CPPFLAGS = $(APCOMMON_CPPFLAGS) $(APCORE_CPPFLAGS)
kernel_core_libapcore_a_CFLAGS = $(AM_CFLAGS) $(APVIRT_KERNEL_CFLAGS)
kernel_core_libapcore_a_SOURCES = \
	kernel/core/vfio_ap_core.h \
	kernel/core/vfio_ap_core.c \
	kernel/core/vfio_ap_attrs.c
