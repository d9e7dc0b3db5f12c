# tests/conformance: the sysfs ABI conformance suite (docs/kernel-abi.md §9).
#
# The suite is one C program that only reads and writes files under a
# sysfs root; it is built on every `make check` so that it can be copied to
# the other targets (test VM, real host).  `make check` runs it against
# apsim through run-apsim.sh when FUSE is available.

check_PROGRAMS += tests/conformance/conformance
tests_conformance_conformance_SOURCES = \
	tests/conformance/harness.h \
	tests/conformance/harness.c \
	tests/conformance/conformance.c \
	tests/conformance/t_layout.c \
	tests/conformance/t_assign.c \
	tests/conformance/t_filter.c \
	tests/conformance/t_apconfig.c \
	tests/conformance/t_guest.c \
	tests/conformance/t_bus.c \
	tests/conformance/t_hostcfg.c \
	tests/conformance/t_concurrency.c \
	tests/conformance/t_zcrypt.c
tests_conformance_conformance_LDADD = $(PTHREAD_LIBS)

EXTRA_DIST += \
	tests/conformance/README.md \
	tests/conformance/run-apsim.sh

if HAVE_FUSE3
TESTS += tests/conformance/run-apsim.sh
endif
