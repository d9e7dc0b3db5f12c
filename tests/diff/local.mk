# tests/diff: the seeded differential test (engine + AP bus model against
# the reference model tests/common/refmodel.[ch], docs/kernel-abi.md
# §2.3-§4.9).  DIFF_SEED / DIFF_STEPS / DIFF_VERBOSE select one seed, the
# step count and a trace; without DIFF_SEED the program runs its fixed
# seed list.
check_PROGRAMS += tests/diff/test_differential
TESTS += tests/diff/test_differential
tests_diff_test_differential_SOURCES = \
	tests/common/refmodel.h \
	tests/common/refmodel.c \
	tests/common/engine_host.h \
	tests/common/engine_host.c \
	tests/diff/test_differential.c
tests_diff_test_differential_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/common
tests_diff_test_differential_LDADD = $(APHOST_LIBS)
