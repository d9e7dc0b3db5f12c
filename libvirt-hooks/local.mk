# libvirt-hooks: the QEMU hook (apvirt-qemu-hook), installed where
# libvirtd looks for it, <sysconfdir>/libvirt/hooks/qemu.d/apvirt.  It
# links libapvirt and never calls libvirt (a hook that does deadlocks
# libvirtd); tests/integration/hook.sh feeds it domain XML on stdin.
noinst_PROGRAMS += libvirt-hooks/apvirt-qemu-hook
libvirt_hooks_apvirt_qemu_hook_SOURCES = libvirt-hooks/apvirt-qemu-hook.c
libvirt_hooks_apvirt_qemu_hook_CPPFLAGS = -I$(top_srcdir)/include
libvirt_hooks_apvirt_qemu_hook_LDADD = lib/libapvirt.la

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
