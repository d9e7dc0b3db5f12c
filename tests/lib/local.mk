# tests/lib: cmocka tests of libapvirt's parsers (apvirt.conf, ID lists,
# mdevctl profiles), through the public API only.
LIB_TESTS = \
	tests/lib/test_conf \
	tests/lib/test_idlist \
	tests/lib/test_profile

check_PROGRAMS += $(LIB_TESTS)
TESTS += $(LIB_TESTS)

LIB_TEST_CPPFLAGS = -I$(top_srcdir)/include
LIB_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
LIB_TEST_LDADD = lib/libapvirt.la $(CMOCKA_LIBS)

tests_lib_test_conf_SOURCES = tests/lib/test_conf.c
tests_lib_test_conf_CPPFLAGS = $(LIB_TEST_CPPFLAGS)
tests_lib_test_conf_CFLAGS = $(LIB_TEST_CFLAGS)
tests_lib_test_conf_LDADD = $(LIB_TEST_LDADD)

tests_lib_test_idlist_SOURCES = tests/lib/test_idlist.c
tests_lib_test_idlist_CPPFLAGS = $(LIB_TEST_CPPFLAGS)
tests_lib_test_idlist_CFLAGS = $(LIB_TEST_CFLAGS)
tests_lib_test_idlist_LDADD = $(LIB_TEST_LDADD)

tests_lib_test_profile_SOURCES = tests/lib/test_profile.c
tests_lib_test_profile_CPPFLAGS = $(LIB_TEST_CPPFLAGS)
tests_lib_test_profile_CFLAGS = $(LIB_TEST_CFLAGS)
tests_lib_test_profile_LDADD = $(LIB_TEST_LDADD)
