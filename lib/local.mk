# lib: libapvirt, shared and static (libtool), prefix apv_, one module per
# concept.  It sees the kernel only through sysfs text and may use only
# kernel/common (compiled in here once more as PIC objects through the
# convenience library below); tests/layout/check-includes.sh checks it.
LIBAPVIRT_CPPFLAGS = -I$(top_srcdir)/include $(APCOMMON_CPPFLAGS)

noinst_LTLIBRARIES = kernel/common/libapcommon-pic.la
kernel_common_libapcommon_pic_la_CPPFLAGS = $(APCOMMON_CPPFLAGS)
kernel_common_libapcommon_pic_la_SOURCES = \
	kernel/common/compat_user.c \
	kernel/common/ap_bitmap.c \
	kernel/common/ap_text.c

# Everything but the libvirt glue (virt.c) is also a convenience library:
# the QEMU hook links it, because a hook never calls libvirt and loading
# libvirt.so with its ~55 dependencies would cost the guest start of every
# domain, apvirt or not, several milliseconds.
noinst_LTLIBRARIES += lib/libapvirt-nolibvirt.la
lib_libapvirt_nolibvirt_la_CPPFLAGS = $(LIBAPVIRT_CPPFLAGS)
lib_libapvirt_nolibvirt_la_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) $(LIBXML2_CFLAGS) \
	-fvisibility=default
lib_libapvirt_nolibvirt_la_SOURCES = \
	lib/internal.h \
	lib/ctx.h \
	lib/host_priv.h \
	lib/error.c \
	lib/ids.c \
	lib/conf.c \
	lib/path.c \
	lib/ctx.c \
	lib/sysfs.c \
	lib/file.c \
	lib/log.c \
	lib/host.c \
	lib/explain.c \
	lib/profile.c \
	lib/validate.c \
	lib/lock.c \
	lib/journal.c \
	lib/txn.c \
	lib/metadata.c \
	lib/sha256.c \
	lib/status.c
lib_libapvirt_nolibvirt_la_LIBADD = kernel/common/libapcommon-pic.la $(JSONC_LIBS) \
	$(LIBXML2_LIBS) $(PTHREAD_LIBS)

lib_LTLIBRARIES = lib/libapvirt.la
lib_libapvirt_la_CPPFLAGS = $(LIBAPVIRT_CPPFLAGS)
lib_libapvirt_la_CFLAGS = $(AM_CFLAGS) $(LIBVIRT_CFLAGS) -fvisibility=default
lib_libapvirt_la_SOURCES = lib/virt.c
lib_libapvirt_la_LIBADD = lib/libapvirt-nolibvirt.la $(LIBVIRT_LIBS)
lib_libapvirt_la_LDFLAGS = $(AM_LDFLAGS) -version-info $(LIBAPVIRT_LT_VERSION) \
	-Wl,--version-script=$(top_srcdir)/lib/libapvirt.sym
EXTRA_lib_libapvirt_la_DEPENDENCIES = $(top_srcdir)/lib/libapvirt.sym

apvirtincludedir = $(includedir)/apvirt
apvirtinclude_HEADERS = \
	include/apvirt/apvirt.h \
	include/apvirt/apv_error.h \
	include/apvirt/apv_ids.h \
	include/apvirt/apv_ctx.h \
	include/apvirt/apv_host.h \
	include/apvirt/apv_explain.h \
	include/apvirt/apv_profile.h \
	include/apvirt/apv_validate.h \
	include/apvirt/apv_lock.h \
	include/apvirt/apv_txn.h \
	include/apvirt/apv_metadata.h \
	include/apvirt/apv_virt.h \
	include/apvirt/apv_status.h

pkgconfigdir = $(libdir)/pkgconfig
pkgconfig_DATA = lib/libapvirt.pc

EXTRA_DIST += lib/libapvirt.sym lib/libapvirt.pc.in
DISTCLEANFILES = lib/libapvirt.pc
