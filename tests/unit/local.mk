# tests/unit: cmocka unit tests of the engine (kernel/core), one program per
# topic, all sharing tests/unit/fixture.{c,h}.  See tests/unit/README.md.
UNIT_TESTS = \
	tests/unit/test_text \
	tests/unit/test_compat \
	tests/unit/test_mdev \
	tests/unit/test_memory \
	tests/unit/test_assign \
	tests/unit/test_filter \
	tests/unit/test_ap_config \
	tests/unit/test_hotplug \
	tests/unit/test_bus \
	tests/unit/test_zcrypt \
	tests/unit/test_config_change \
	tests/unit/test_kvm \
	tests/unit/test_concurrency \
	tests/unit/test_profiles

check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
EXTRA_DIST += tests/unit/README.md

UNIT_FIXTURE = tests/unit/fixture.c tests/unit/fixture.h \
	tests/common/engine_host.c tests/common/engine_host.h
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
UNIT_LDADD = $(APHOST_LIBS) $(CMOCKA_LIBS)

tests_unit_test_text_SOURCES = tests/unit/test_text.c $(UNIT_FIXTURE)
tests_unit_test_text_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_text_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/common
tests_unit_test_text_LDADD = $(UNIT_LDADD)

tests_unit_test_compat_SOURCES = tests/unit/test_compat.c $(UNIT_FIXTURE)
tests_unit_test_compat_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_compat_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/common
tests_unit_test_compat_LDADD = $(UNIT_LDADD)

tests_unit_test_mdev_SOURCES = tests/unit/test_mdev.c $(UNIT_FIXTURE)
tests_unit_test_mdev_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mdev_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/common
tests_unit_test_mdev_LDADD = $(UNIT_LDADD)

tests_unit_test_memory_SOURCES = tests/unit/test_memory.c $(UNIT_FIXTURE)
tests_unit_test_memory_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_memory_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/common
tests_unit_test_memory_LDADD = $(UNIT_LDADD)

tests_unit_test_assign_SOURCES = tests/unit/test_assign.c $(UNIT_FIXTURE)
tests_unit_test_assign_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_assign_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/common
tests_unit_test_assign_LDADD = $(UNIT_LDADD)

tests_unit_test_filter_SOURCES = tests/unit/test_filter.c $(UNIT_FIXTURE)
tests_unit_test_filter_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_filter_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/common
tests_unit_test_filter_LDADD = $(UNIT_LDADD)

tests_unit_test_ap_config_SOURCES = tests/unit/test_ap_config.c $(UNIT_FIXTURE)
tests_unit_test_ap_config_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ap_config_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/common
tests_unit_test_ap_config_LDADD = $(UNIT_LDADD)

tests_unit_test_hotplug_SOURCES = tests/unit/test_hotplug.c $(UNIT_FIXTURE)
tests_unit_test_hotplug_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_hotplug_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/common
tests_unit_test_hotplug_LDADD = $(UNIT_LDADD)

tests_unit_test_bus_SOURCES = tests/unit/test_bus.c $(UNIT_FIXTURE)
tests_unit_test_bus_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_bus_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/common
tests_unit_test_bus_LDADD = $(UNIT_LDADD)

tests_unit_test_config_change_SOURCES = tests/unit/test_config_change.c $(UNIT_FIXTURE)
tests_unit_test_config_change_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_config_change_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/common
tests_unit_test_config_change_LDADD = $(UNIT_LDADD)

tests_unit_test_kvm_SOURCES = tests/unit/test_kvm.c $(UNIT_FIXTURE)
tests_unit_test_kvm_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_kvm_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/common
tests_unit_test_kvm_LDADD = $(UNIT_LDADD)

tests_unit_test_concurrency_SOURCES = tests/unit/test_concurrency.c $(UNIT_FIXTURE)
tests_unit_test_concurrency_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_concurrency_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/common
tests_unit_test_concurrency_LDADD = $(UNIT_LDADD)

tests_unit_test_profiles_SOURCES = tests/unit/test_profiles.c $(UNIT_FIXTURE)
tests_unit_test_profiles_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_profiles_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/common
tests_unit_test_profiles_LDADD = $(UNIT_LDADD)

# Every unit test under valgrind memcheck: any error or leak fails.
UNIT_VALGRIND_FLAGS = --quiet --error-exitcode=1 --leak-check=full \
	--show-leak-kinds=definite,indirect,possible \
	--errors-for-leak-kinds=definite,indirect,possible

check-unit-valgrind: $(UNIT_TESTS)
	@test -n "$(VALGRIND)" || { echo "valgrind not found by configure" >&2; exit 1; }
	@failed=; for t in $(UNIT_TESTS); do \
		if $(VALGRIND) $(UNIT_VALGRIND_FLAGS) ./$$t > $$t.valgrind.log 2>&1; then \
			echo "PASS: $$t (valgrind)"; \
		else \
			echo "FAIL: $$t (valgrind), see $$t.valgrind.log"; failed="$$failed $$t"; \
		fi; \
	done; test -z "$$failed"

CLEANFILES += tests/unit/*.valgrind.log
.PHONY: check-unit-valgrind

# apsim's parsers (host file, control commands, fault paths): the FUSE-free
# part of sim/ under cmocka.
UNIT_TESTS += tests/unit/test_sim_parse
tests_unit_test_sim_parse_SOURCES = tests/unit/test_sim_parse.c \
	sim/sim_buf.c sim/sim_parse.c sim/sim_hostfile.c sim/sim_state.c sim/sim_mdev.c \
	sim/sim_lines.c sim/sim_fault.c sim/sim_tree.c sim/sim_ctl.c
tests_unit_test_sim_parse_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sim_parse_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/sim
tests_unit_test_sim_parse_LDADD = $(UNIT_LDADD)

tests_unit_test_zcrypt_SOURCES = tests/unit/test_zcrypt.c $(UNIT_FIXTURE)
tests_unit_test_zcrypt_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_zcrypt_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/common
tests_unit_test_zcrypt_LDADD = $(UNIT_LDADD)
