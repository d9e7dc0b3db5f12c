// SPDX-License-Identifier: GPL-2.0
/*
 * test_assign.c - assign/unassign stores: number syntax, limits, validation
 * and the matrix / control_domains text (docs/kernel-abi.md §2.4, §4.2;
 * checklist items 8-16).
 *
 * Standard host (fixture.h): adapter 3 is host-reserved, adapters 4-6 are
 * free (bound to vfio_ap), domains 0-15 are in the host configuration.
 */
#include "fixture.h"

#include <string.h>

static const char *const ASSIGN_ATTRS[] = {
	"assign_adapter", "unassign_adapter", "assign_domain", "unassign_domain",
	"assign_control_domain", "unassign_control_domain",
};

/* ---- item 8: number parsing -------------------------------------------- */

static void test_assign_accepts_kstrtoul_forms(void **state)
{
	static const struct {
		const char *text;
		const char *matrix;
	} ok[] = {
		{ "5", "05.\n" }, { "5\n", "05.\n" }, { "0x5", "05.\n" }, { "+5", "05.\n" },
		{ "05", "05.\n" }, { "010", "08.\n" }, { "0X0a", "0a.\n" }, { "255", "ff.\n" },
	};
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		assert_int_equal(fx_write(fx, m, "assign_adapter", ok[i].text),
				 (long)strlen(ok[i].text));
		assert_string_equal(fx_read(fx, m, "matrix"), ok[i].matrix);
		assert_int_equal(fx_write(fx, m, "unassign_adapter", ok[i].text),
				 (long)strlen(ok[i].text));
		assert_string_equal(fx_read(fx, m, "matrix"), "");
	}
}

static void test_assign_rejects_bad_numbers_with_einval(void **state)
{
	static const char *const bad[] = {
		"-1", " 5", "5 ", "5x", "", "\n", "5\n\n", "0x", "+", "five", "08",
	};
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	size_t i, a;

	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 5);
	FX_WRITE_IDS(fx, m, "assign_control_domain", 5);
	for (a = 0; a < ARRAY_SIZE(ASSIGN_ATTRS); a++)
		for (i = 0; i < ARRAY_SIZE(bad); i++)
			assert_int_equal(fx_write(fx, m, ASSIGN_ATTRS[a], bad[i]), -EINVAL);
	assert_string_equal(fx_read(fx, m, "matrix"), "05.0005\n");
	assert_string_equal(fx_read(fx, m, "control_domains"), "0005\n");
}

static void test_assign_overflow_is_erange(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	size_t a;

	for (a = 0; a < ARRAY_SIZE(ASSIGN_ATTRS); a++) {
		assert_int_equal(fx_write(fx, m, ASSIGN_ATTRS[a], "18446744073709551616"), -ERANGE);
		assert_int_equal(fx_write(fx, m, ASSIGN_ATTRS[a], "0x10000000000000000\n"), -ERANGE);
	}
	/* 2^64 - 1 parses, and is then out of range */
	assert_int_equal(fx_write(fx, m, "assign_adapter", "18446744073709551615"), -ENODEV);
	assert_string_equal(fx_read(fx, m, "matrix"), "");
	assert_string_equal(fx_read(fx, m, "control_domains"), "");
}

/* ---- item 9: limits ---------------------------------------------------- */

static void tweak_apxa_small(struct apb_host_spec *spec)
{
	spec->qci.na = 0x20;
	spec->qci.nd = 0x1f;
}

static const struct fx_variant apxa_small = { .tweak = tweak_apxa_small };

static void tweak_no_apxa(struct apb_host_spec *spec)
{
	spec->qci.apxa = false;
}

static const struct fx_variant no_apxa = { .tweak = tweak_no_apxa };

static void assert_limits(struct fx *fx, unsigned int apm_max, unsigned int aqm_max)
{
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	char ok[16], over[16];

	/* keep the APQN (apm_max, aqm_max) out of the host's reservation */
	snprintf(ok, sizeof(ok), "-%u", apm_max);
	assert_int_equal(fx_bus_write(fx, "apmask", ok), (long)strlen(ok));

	assert_int_equal(m->matrix.apm_max, apm_max);
	assert_int_equal(m->matrix.aqm_max, aqm_max);
	assert_int_equal(m->matrix.adm_max, aqm_max);

	snprintf(ok, sizeof(ok), "%u", apm_max);
	snprintf(over, sizeof(over), "%u", apm_max + 1);
	assert_int_equal(fx_write(fx, m, "assign_adapter", over), -ENODEV);
	assert_int_equal(fx_write(fx, m, "unassign_adapter", over), -ENODEV);
	assert_int_equal(fx_write(fx, m, "assign_adapter", ok), (long)strlen(ok));

	snprintf(ok, sizeof(ok), "%u", aqm_max);
	snprintf(over, sizeof(over), "%u", aqm_max + 1);
	assert_int_equal(fx_write(fx, m, "assign_domain", over), -ENODEV);
	assert_int_equal(fx_write(fx, m, "unassign_domain", over), -ENODEV);
	assert_int_equal(fx_write(fx, m, "assign_control_domain", over), -ENODEV);
	assert_int_equal(fx_write(fx, m, "unassign_control_domain", over), -ENODEV);
	assert_int_equal(fx_write(fx, m, "assign_domain", ok), (long)strlen(ok));
	assert_int_equal(fx_write(fx, m, "assign_control_domain", ok), (long)strlen(ok));
}

static void test_assign_limits_follow_qci_with_apxa(void **state)
{
	struct fx *fx = *state;

	assert_limits(fx, 0x20, 0x1f);
	assert_string_equal(fx_read(fx, fx->md->mdev_list, "matrix"), "20.001f\n");
	assert_string_equal(fx_read(fx, fx->md->mdev_list, "control_domains"), "001f\n");
}

static void test_assign_limits_without_apxa_are_63_and_15(void **state)
{
	struct fx *fx = *state;

	assert_limits(fx, 63, 15);
	assert_string_equal(fx_read(fx, fx->md->mdev_list, "matrix"), "3f.000f\n");
}

static void test_assign_limits_full_range_with_apxa_255(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(fx_write(fx, m, "assign_adapter", "256"), -ENODEV);
	assert_int_equal(fx_write(fx, m, "assign_domain", "256"), -ENODEV);
	assert_int_equal(fx_write(fx, m, "assign_control_domain", "256"), -ENODEV);
	assert_int_equal(fx_bus_write(fx, "apmask", "-255"), 4);
	FX_WRITE_IDS(fx, m, "assign_adapter", 255);
	FX_WRITE_IDS(fx, m, "assign_domain", 255);
	assert_string_equal(fx_read(fx, m, "matrix"), "ff.00ff\n");
}

/* ---- item 10: idempotence ---------------------------------------------- */

static void test_assign_twice_is_noop_success(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;

	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 4);
	FX_WRITE_IDS(fx, m, "assign_control_domain", 4);
	kvm = fx_attach(fx, m);
	fx_clear_records(fx);
	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 4);
	FX_WRITE_IDS(fx, m, "assign_control_domain", 4);
	assert_string_equal(fx_read(fx, m, "matrix"), "05.0004\n");
	assert_string_equal(fx_read(fx, m, "control_domains"), "0004\n");
	/* no side effects: no CRYCB update, no reset, no log line */
	assert_int_equal(fx->crycb_changes, 0);
	assert_int_equal(kvm->crycb_updates, 1);
	assert_string_equal(fx_resets(fx), "");
	assert_int_equal(fx_log_total(fx), 0);
}

static void test_assign_unassign_unassigned_is_success(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	fx_clear_records(fx);
	FX_WRITE_IDS(fx, m, "unassign_adapter", 5);
	FX_WRITE_IDS(fx, m, "unassign_domain", 7);
	FX_WRITE_IDS(fx, m, "unassign_control_domain", 7);
	assert_string_equal(fx_read(fx, m, "matrix"), "04.\n");
	assert_string_equal(fx_resets(fx), "");
}

/* ---- item 11: host reservation ----------------------------------------- */

static void test_assign_host_reserved_is_eaddrnotavail(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	char before[APC_PAGE_SIZE + 1];

	/* adapter 3 alone forms no APQN yet */
	FX_WRITE_IDS(fx, m, "assign_adapter", 3);
	assert_int_equal(fx_write(fx, m, "assign_domain", "1"), -EADDRNOTAVAIL);
	assert_string_equal(fx_read(fx, m, "matrix"), "03.\n");
	FX_WRITE_IDS(fx, m, "unassign_adapter", 3);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 2);
	strcpy(before, fx_read(fx, m, "ap_config"));
	assert_int_equal(fx_write(fx, m, "assign_adapter", "3"), -EADDRNOTAVAIL);
	assert_string_equal(fx_read(fx, m, "matrix"), "04.0001\n04.0002\n");
	assert_string_equal(fx_read(fx, m, "ap_config"), before);
	/* an adapter outside the host config but inside apmask is reserved too */
	assert_int_equal(fx_write(fx, m, "assign_adapter", "0x80"), -EADDRNOTAVAIL);
	assert_string_equal(fx_read(fx, m, "ap_config"), before);
}

/* ENODEV is checked before validation (§4.2). */
static void test_assign_enodev_before_eaddrnotavail(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	assert_int_equal(fx_write(fx, m, "assign_adapter", "256"), -ENODEV);
	assert_int_equal(fx_write(fx, m, "assign_adapter", "3"), -EADDRNOTAVAIL);
}

/* ---- item 12: sharing --------------------------------------------------- */

static void test_assign_shared_apqn_is_eaddrinuse(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m1 = fx_mdev(fx, FX_UUID1);
	struct vap_mdev *m2 = fx_mdev(fx, FX_UUID2);

	FX_WRITE_IDS(fx, m1, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m1, "assign_domain", 4);
	FX_WRITE_IDS(fx, m2, "assign_domain", 4);
	fx_clear_records(fx);
	assert_int_equal(fx_write(fx, m2, "assign_adapter", "5"), -EADDRINUSE);
	assert_string_equal(fx_read(fx, m2, "matrix"), ".0004\n");
	assert_string_equal(fx_read(fx, m1, "matrix"), "05.0004\n");
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN,
				      "vfio_ap_mdev " FX_UUID2 ": Userspace may not assign queue "
				      "05.0004 to mdev: already assigned to " FX_UUID1), 1);
	assert_int_equal(fx_log_total(fx), 1);
}

static void test_assign_logs_one_warning_per_conflicting_apqn(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m1 = fx_mdev(fx, FX_UUID1);
	struct vap_mdev *m2 = fx_mdev(fx, FX_UUID2);

	FX_WRITE_IDS(fx, m1, "assign_adapter", 5, 6);
	FX_WRITE_IDS(fx, m1, "assign_domain", 4, 5);
	FX_WRITE_IDS(fx, m2, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m2, "assign_domain", 6, 7);
	fx_clear_records(fx);
	/* m2 would get 05.0004 and 05.0005, both held by m1; 06 is not in m2 */
	assert_int_equal(fx_write(fx, m2, "assign_domain", "4"), -EADDRINUSE);
	assert_int_equal(fx_write(fx, m2, "assign_domain", "5"), -EADDRINUSE);
	assert_int_equal(fx_log_total(fx), 2);
	fx_clear_records(fx);
	/* adapter 6 with domains 6, 7 is free; domain 4 then conflicts on both adapters */
	FX_WRITE_IDS(fx, m2, "assign_adapter", 6);
	assert_int_equal(fx_write(fx, m2, "assign_domain", "4"), -EADDRINUSE);
	assert_int_equal(fx_log_total(fx), 2);
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN,
				      "vfio_ap_mdev " FX_UUID2 ": Userspace may not assign queue "
				      "05.0004 to mdev: already assigned to " FX_UUID1), 1);
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN,
				      "vfio_ap_mdev " FX_UUID2 ": Userspace may not assign queue "
				      "06.0004 to mdev: already assigned to " FX_UUID1), 1);
	assert_string_equal(fx_read(fx, m2, "matrix"),
			    "05.0006\n05.0007\n06.0006\n06.0007\n");
}

/* Only the first conflicting mdev (list order) is reported (§4.2). */
static void test_assign_sharing_reports_newest_owner_only(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m1 = fx_mdev(fx, FX_UUID1);
	struct vap_mdev *m2 = fx_mdev(fx, FX_UUID2);
	struct vap_mdev *m3 = fx_mdev(fx, FX_UUID3);

	FX_WRITE_IDS(fx, m1, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m1, "assign_domain", 4);
	FX_WRITE_IDS(fx, m2, "assign_adapter", 6);
	FX_WRITE_IDS(fx, m2, "assign_domain", 4);
	FX_WRITE_IDS(fx, m3, "assign_adapter", 5, 6);
	fx_clear_records(fx);
	assert_int_equal(fx_write(fx, m3, "assign_domain", "4"), -EADDRINUSE);
	/* mdev_list is newest first (list_add): m2 is the owner found */
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN,
				      "vfio_ap_mdev " FX_UUID3 ": Userspace may not assign queue "
				      "06.0004 to mdev: already assigned to " FX_UUID2), 1);
	assert_int_equal(fx_log_total(fx), 1);
	assert_string_equal(fx_read(fx, m3, "matrix"), "05.\n06.\n");
}

/* EADDRNOTAVAIL is checked before EADDRINUSE (§4.2). */
static void test_assign_reservation_checked_before_sharing(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m1 = fx_mdev(fx, FX_UUID1);
	struct vap_mdev *m2 = fx_mdev(fx, FX_UUID2);

	FX_WRITE_IDS(fx, m1, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m1, "assign_domain", 4);
	FX_WRITE_IDS(fx, m2, "assign_adapter", 3, 5);
	fx_clear_records(fx);
	assert_int_equal(fx_write(fx, m2, "assign_domain", "4"), -EADDRNOTAVAIL);
	assert_int_equal(fx_log_total(fx), 0);
}

/* ---- item 13: one-dimension overlap ------------------------------------- */

static void test_assign_overlap_in_one_dimension_allowed(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m1 = fx_mdev(fx, FX_UUID1);
	struct vap_mdev *m2 = fx_mdev(fx, FX_UUID2);
	struct vap_mdev *m3 = fx_mdev(fx, FX_UUID3);

	FX_WRITE_IDS(fx, m1, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m1, "assign_domain", 4);
	FX_WRITE_IDS(fx, m2, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m2, "assign_domain", 6);
	FX_WRITE_IDS(fx, m3, "assign_adapter", 6);
	FX_WRITE_IDS(fx, m3, "assign_domain", 4);
	assert_string_equal(fx_read(fx, m1, "matrix"), "05.0004\n");
	assert_string_equal(fx_read(fx, m2, "matrix"), "05.0006\n");
	assert_string_equal(fx_read(fx, m3, "matrix"), "06.0004\n");
	assert_int_equal(fx_log_total(fx), 0);
}

/* ---- item 14: over-provisioning ------------------------------------------ */

static void test_assign_overprovisioning_outside_host_config(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	/* adapter 0x20 and domain 0x30 are not in the host config (and not
	 * reserved: apmask has 0x20 set, so clear it first) */
	assert_int_equal(fx_bus_write(fx, "apmask", "-0x20"), 5);
	FX_WRITE_IDS(fx, m, "assign_adapter", 0x20, 4);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 0x30);
	assert_string_equal(fx_read(fx, m, "matrix"),
			    "04.0001\n04.0030\n20.0001\n20.0030\n");
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n");
}

static void test_assign_overprovisioning_unbound_queue(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(fx_vfio_unbind(fx, "05.0004"), 7);
	assert_true(fx_queue_exists(fx, 5, 4));
	assert_int_equal(fx_queue_drv(fx, 5, 4), APB_DRV_NONE);
	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 4);
	assert_string_equal(fx_read(fx, m, "matrix"), "05.0004\n");
	assert_string_equal(fx_read(fx, m, "guest_matrix"), ".0004\n");
}

/* ---- item 15: control domains ------------------------------------------- */

static void test_assign_control_domains_never_conflict(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m1 = fx_mdev(fx, FX_UUID1);
	struct vap_mdev *m2 = fx_mdev(fx, FX_UUID2);
	char want[APTXT_AP_CONFIG_LEN + 1], a[67], q[67], d[67];

	/* shared between mdevs, host-reserved (all in aqmask), outside config */
	FX_WRITE_IDS(fx, m1, "assign_control_domain", 1, 0xff, 0x20);
	FX_WRITE_IDS(fx, m2, "assign_control_domain", 1);
	assert_string_equal(fx_read(fx, m1, "control_domains"), "0001\n0020\n00ff\n");
	assert_string_equal(fx_read(fx, m2, "control_domains"), "0001\n");
	assert_string_equal(fx_read(fx, m1, "matrix"), "");
	assert_string_equal(fx_read(fx, m1, "guest_matrix"), "");
	snprintf(want, sizeof(want), "%s,%s,%s\n", fx_hexmask(a, FX_NONE), fx_hexmask(q, FX_NONE),
		 fx_hexmask(d, FX_IDS(1, 0x20, 0xff)));
	assert_string_equal(fx_read(fx, m1, "ap_config"), want);
	assert_int_equal(fx_log_total(fx), 0);
	FX_WRITE_IDS(fx, m1, "unassign_control_domain", 0x20);
	assert_string_equal(fx_read(fx, m1, "control_domains"), "0001\n00ff\n");
}

/* ---- item 16: matrix text ------------------------------------------------- */

static void test_assign_matrix_text_shapes(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_string_equal(fx_read(fx, m, "matrix"), "");
	FX_WRITE_IDS(fx, m, "assign_domain", 6, 4);
	assert_string_equal(fx_read(fx, m, "matrix"), ".0004\n.0006\n");
	FX_WRITE_IDS(fx, m, "assign_adapter", 5, 4);
	assert_string_equal(fx_read(fx, m, "matrix"),
			    "04.0004\n04.0006\n05.0004\n05.0006\n");
	FX_WRITE_IDS(fx, m, "unassign_domain", 4, 6);
	assert_string_equal(fx_read(fx, m, "matrix"), "04.\n05.\n");
	FX_WRITE_IDS(fx, m, "unassign_adapter", 4, 5);
	assert_string_equal(fx_read(fx, m, "matrix"), "");
}

static void test_assign_matrix_text_capped_at_one_page(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	char num[8];
	const char *text;
	int id;

	assert_int_equal(fx_bus_write(fx, "apmask", "0x"), 2);
	for (id = 0; id < 256; id++) {
		snprintf(num, sizeof(num), "%d", id);
		assert_int_equal(fx_write(fx, m, "assign_adapter", num), (long)strlen(num));
		assert_int_equal(fx_write(fx, m, "assign_domain", num), (long)strlen(num));
	}
	text = fx_read(fx, m, "matrix");
	assert_int_equal(strlen(text), APC_PAGE_SIZE - 1);
	assert_memory_equal(text, "00.0000\n00.0001\n", 16);
	assert_memory_equal(text + 511 * 8, "01.00ff", 7);
	/* adapters 3-6 x domains 0-15 are in the host and bound */
	text = fx_read(fx, m, "guest_matrix");
	assert_int_equal(strlen(text), 4 * 16 * 8);
	assert_memory_equal(text, "03.0000\n", 8);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_assign_accepts_kstrtoul_forms),
		FX_TEST(test_assign_rejects_bad_numbers_with_einval),
		FX_TEST(test_assign_overflow_is_erange),
		FX_TEST_VARIANT(test_assign_limits_follow_qci_with_apxa, &apxa_small),
		FX_TEST_VARIANT(test_assign_limits_without_apxa_are_63_and_15, &no_apxa),
		FX_TEST(test_assign_limits_full_range_with_apxa_255),
		FX_TEST(test_assign_twice_is_noop_success),
		FX_TEST(test_assign_unassign_unassigned_is_success),
		FX_TEST(test_assign_host_reserved_is_eaddrnotavail),
		FX_TEST(test_assign_enodev_before_eaddrnotavail),
		FX_TEST(test_assign_shared_apqn_is_eaddrinuse),
		FX_TEST(test_assign_logs_one_warning_per_conflicting_apqn),
		FX_TEST(test_assign_sharing_reports_newest_owner_only),
		FX_TEST(test_assign_reservation_checked_before_sharing),
		FX_TEST(test_assign_overlap_in_one_dimension_allowed),
		FX_TEST(test_assign_overprovisioning_outside_host_config),
		FX_TEST(test_assign_overprovisioning_unbound_queue),
		FX_TEST(test_assign_control_domains_never_conflict),
		FX_TEST(test_assign_matrix_text_shapes),
		FX_TEST(test_assign_matrix_text_capped_at_one_page),
	};

	fx_apply_test_filter(argc, argv);
	return cmocka_run_group_tests_name("assign", tests, NULL, NULL);
}
