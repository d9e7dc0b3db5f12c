# tests/lib: cmocka tests of libapvirt's parsers (apvirt.conf, ID lists,
# mdevctl profiles, domain metadata and fragments) and of its libvirt glue
# (against libvirt's in-process test driver), through the public API only.
LIB_TESTS = \
	tests/lib/test_conf \
	tests/lib/test_idlist \
	tests/lib/test_profile \
	tests/lib/test_metadata \
	tests/lib/test_status \
	tests/lib/test_virt \
	tests/lib/test_apvirtd_state

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

tests_lib_test_metadata_SOURCES = tests/lib/test_metadata.c
tests_lib_test_metadata_CPPFLAGS = $(LIB_TEST_CPPFLAGS)
tests_lib_test_metadata_CFLAGS = $(LIB_TEST_CFLAGS)
tests_lib_test_metadata_LDADD = $(LIB_TEST_LDADD)

tests_lib_test_status_SOURCES = tests/lib/test_status.c
tests_lib_test_status_CPPFLAGS = $(LIB_TEST_CPPFLAGS)
tests_lib_test_status_CFLAGS = $(LIB_TEST_CFLAGS)
tests_lib_test_status_LDADD = $(LIB_TEST_LDADD)

# The test drives the test driver's state through libvirt directly too.
tests_lib_test_virt_SOURCES = tests/lib/test_virt.c
tests_lib_test_virt_CPPFLAGS = $(LIB_TEST_CPPFLAGS)
tests_lib_test_virt_CFLAGS = $(LIB_TEST_CFLAGS) $(LIBVIRT_CFLAGS)
tests_lib_test_virt_LDADD = $(LIB_TEST_LDADD) $(LIBVIRT_LIBS)

# apvirtd's pure logic (remembered state, loop avoidance, backoff).
tests_lib_test_apvirtd_state_SOURCES = tests/lib/test_apvirtd_state.c \
	libvirt-hooks/apvirtd_state.c libvirt-hooks/apvirtd_state.h
tests_lib_test_apvirtd_state_CPPFLAGS = $(LIB_TEST_CPPFLAGS)
tests_lib_test_apvirtd_state_CFLAGS = $(LIB_TEST_CFLAGS)
tests_lib_test_apvirtd_state_LDADD = $(LIB_TEST_LDADD)
