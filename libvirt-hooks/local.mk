# libvirt-hooks: the QEMU hook (apvirt-qemu-hook), installed where
# libvirtd looks for it, <sysconfdir>/libvirt/hooks/qemu.d/apvirt.  It
# links libapvirt without its libvirt glue and never calls libvirt (a
# hook that does deadlocks libvirtd); tests/integration/hook.sh feeds it
# domain XML on stdin.
noinst_PROGRAMS += libvirt-hooks/apvirt-qemu-hook
libvirt_hooks_apvirt_qemu_hook_SOURCES = libvirt-hooks/apvirt-qemu-hook.c
libvirt_hooks_apvirt_qemu_hook_CPPFLAGS = -I$(top_srcdir)/include
libvirt_hooks_apvirt_qemu_hook_LDADD = lib/libapvirt-nolibvirt.la

dist_man_MANS += libvirt-hooks/apvirt-qemu-hook.8

libvirthookdir = $(sysconfdir)/libvirt/hooks/qemu.d
install-exec-local: install-apvirt-qemu-hook
uninstall-local: uninstall-apvirt-qemu-hook
install-apvirt-qemu-hook: libvirt-hooks/apvirt-qemu-hook$(EXEEXT)
	$(MKDIR_P) '$(DESTDIR)$(libvirthookdir)'
	$(LIBTOOL) --mode=install $(INSTALL_PROGRAM) libvirt-hooks/apvirt-qemu-hook$(EXEEXT) \
		'$(DESTDIR)$(libvirthookdir)/apvirt'
uninstall-apvirt-qemu-hook:
	rm -f '$(DESTDIR)$(libvirthookdir)/apvirt'
.PHONY: install-apvirt-qemu-hook uninstall-apvirt-qemu-hook

# apvirtd, the event agent (apvirtd(8)): a libvirt client, run by systemd
# (apvirtd.service) or by hand with --foreground.
sbin_PROGRAMS += libvirt-hooks/apvirtd
libvirt_hooks_apvirtd_SOURCES = libvirt-hooks/apvirtd.c \
	libvirt-hooks/apvirtd_state.c libvirt-hooks/apvirtd_state.h
libvirt_hooks_apvirtd_CPPFLAGS = -I$(top_srcdir)/include
libvirt_hooks_apvirtd_CFLAGS = $(AM_CFLAGS) $(LIBVIRT_CFLAGS)
libvirt_hooks_apvirtd_LDADD = lib/libapvirt.la $(LIBVIRT_LIBS)
dist_man_MANS += libvirt-hooks/apvirtd.8

systemdsystemunit_DATA = libvirt-hooks/apvirtd.service
CLEANFILES += libvirt-hooks/apvirtd.service
EXTRA_DIST += libvirt-hooks/apvirtd.service.in
libvirt-hooks/apvirtd.service: libvirt-hooks/apvirtd.service.in Makefile
	$(MKDIR_P) libvirt-hooks
	sed -e 's|@sbindir[@]|$(sbindir)|g' $(srcdir)/libvirt-hooks/apvirtd.service.in > $@
