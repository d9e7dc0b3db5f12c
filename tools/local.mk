# tools: the apvirt CLI (host verbs), its man page and bash completion.
# It uses only the public API of libapvirt (include/apvirt/).
bin_PROGRAMS += tools/apvirt
tools_apvirt_SOURCES = \
	tools/apvirt.h \
	tools/apvirt.c \
	tools/cmd_host.c \
	tools/cmd_mdev.c
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
