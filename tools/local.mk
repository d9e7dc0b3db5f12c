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
bashcompletion_DATA = tools/apvirt.bash-completion
EXTRA_DIST += tools/apvirt.bash-completion
