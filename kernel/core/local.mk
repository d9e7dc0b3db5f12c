# kernel/core: the engine, built as a static library for userspace hosts.
noinst_LIBRARIES += kernel/core/libapcore.a
kernel_core_libapcore_a_SOURCES = \
	kernel/core/compat.h \
	kernel/core/compat_user.c \
	kernel/core/ap_bitmap.h \
	kernel/core/ap_bitmap.c \
	kernel/core/ap_text.h \
	kernel/core/ap_text.c \
	kernel/core/vfio_ap_core.h \
	kernel/core/vfio_ap_core.c \
	kernel/core/ap_bus_model.h \
	kernel/core/ap_bus_model.c
APCORE_LIBS = kernel/core/libapcore.a $(PTHREAD_LIBS)
