# tools: the apvirt CLI (host verbs), its man page and bash completion.
# It uses only the public API of libapvirt (include/apvirt/).
bin_PROGRAMS += tools/apvirt
tools_apvirt_SOURCES = \
	tools/apvirt.h \
	tools/apvirt.c \
	tools/cmd_host.c \
	tools/cmd_mdev.c \
	tools/cmd_domain.c \
	tools/cmd_domain_show.c
tools_apvirt_CPPFLAGS = -I$(top_srcdir)/include -I$(top_builddir)
tools_apvirt_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
tools_apvirt_LDADD = lib/libapvirt.la $(JSONC_LIBS)

dist_man_MANS += tools/apvirt.8
EXTRA_DIST += tools/apvirt.bash-completion

# bash looks a completion up by the command's name.
install-data-local: install-apvirt-completion
uninstall-local: uninstall-apvirt-completion
install-apvirt-completion:
	$(MKDIR_P) '$(DESTDIR)$(bashcompletiondir)'
	$(INSTALL_DATA) $(top_srcdir)/tools/apvirt.bash-completion '$(DESTDIR)$(bashcompletiondir)/apvirt'
uninstall-apvirt-completion:
	rm -f '$(DESTDIR)$(bashcompletiondir)/apvirt'
.PHONY: install-apvirt-completion uninstall-apvirt-completion

# The mdevctl callout.  mdevctl 1.2.0 (Debian 12) looks for callouts only
# in <sysconfdir>/mdevctl.d/scripts.d/callouts/ (1.3 and later still read
# it), where it must be called apvirt; built under a name that says what
# it is and installed under that one.
noinst_PROGRAMS += tools/apvirt-mdevctl-callout
tools_apvirt_mdevctl_callout_SOURCES = tools/apvirt-mdevctl-callout.c
tools_apvirt_mdevctl_callout_CPPFLAGS = -I$(top_srcdir)/include
tools_apvirt_mdevctl_callout_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
tools_apvirt_mdevctl_callout_LDADD = lib/libapvirt.la $(JSONC_LIBS)

dist_man_MANS += tools/apvirt-mdevctl-callout.8

mdevctlcalloutdir = $(sysconfdir)/mdevctl.d/scripts.d/callouts
install-exec-local: install-apvirt-callout
uninstall-local: uninstall-apvirt-callout
install-apvirt-callout: tools/apvirt-mdevctl-callout$(EXEEXT)
	$(MKDIR_P) '$(DESTDIR)$(mdevctlcalloutdir)'
	$(LIBTOOL) --mode=install $(INSTALL_PROGRAM) tools/apvirt-mdevctl-callout$(EXEEXT) \
		'$(DESTDIR)$(mdevctlcalloutdir)/apvirt'
uninstall-apvirt-callout:
	rm -f '$(DESTDIR)$(mdevctlcalloutdir)/apvirt'
.PHONY: install-apvirt-callout uninstall-apvirt-callout
