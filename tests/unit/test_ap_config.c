// SPDX-License-Identifier: GPL-2.0
/*
 * test_ap_config.c - the ap_config attribute (docs/kernel-abi.md §2.4,
 * §4.5.3; checklist items 24-26).
 *
 * Standard host (fixture.h): adapter 3 host-reserved, adapters 4-6 bound to
 * vfio_ap, usage and control domains 0-15, Na = Nd = 255.
 */
#include "fixture.h"

#include <string.h>

/* The 201-character text for three ID lists, from the independent oracle. */
static const char *config_text(char out[APTXT_AP_CONFIG_LEN + 1], const int *apm,
			       const int *aqm, const int *adm)
{
	char a[67], q[67], d[67];

	snprintf(out, APTXT_AP_CONFIG_LEN + 1, "%s,%s,%s\n", fx_hexmask(a, apm),
		 fx_hexmask(q, aqm), fx_hexmask(d, adm));
	return out;
}

static long write_config(struct fx *fx, struct vap_mdev *m, const char *text)
{
	return fx_write(fx, m, "ap_config", text);
}

/* ---- item 24: read format --------------------------------------------------- */

static void test_ap_config_read_is_msb_first(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	char want[APTXT_AP_CONFIG_LEN + 1];
	const char *got;

	assert_int_equal(fx_bus_write(fx, "apmask", "-0,-255"), 7);
	FX_WRITE_IDS(fx, m, "assign_adapter", 0);
	got = fx_read(fx, m, "ap_config");
	assert_int_equal(strlen(got), APTXT_AP_CONFIG_LEN);
	assert_memory_equal(got, "0x8000", 6);
	assert_string_equal(got, config_text(want, FX_IDS(0), FX_NONE, FX_NONE));

	FX_WRITE_IDS(fx, m, "assign_adapter", 5, 255);
	FX_WRITE_IDS(fx, m, "assign_domain", 0x47);
	FX_WRITE_IDS(fx, m, "assign_control_domain", 1, 0x80);
	assert_string_equal(fx_read(fx, m, "ap_config"),
			    "0x8400000000000000000000000000000000000000000000000000000000000001,"
			    "0x0000000000000000010000000000000000000000000000000000000000000000,"
			    "0x4000000000000000000000000000000080000000000000000000000000000000\n");
}

/* ap_config shows the matrix, not the shadow. */
static void test_ap_config_read_shows_matrix_not_shadow(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	char want[APTXT_AP_CONFIG_LEN + 1];

	assert_int_equal(fx_vfio_unbind(fx, "05.0004"), 7);
	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 4, 0x40);
	FX_WRITE_IDS(fx, m, "assign_control_domain", 0x40);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), ".0004\n");
	assert_string_equal(fx_read(fx, m, "ap_config"),
			    config_text(want, FX_IDS(5), FX_IDS(4, 0x40), FX_IDS(0x40)));
}

/* ---- item 25: write syntax ---------------------------------------------------- */

static void test_ap_config_write_full_length(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	char text[APTXT_AP_CONFIG_LEN + 1];

	config_text(text, FX_IDS(4, 5), FX_IDS(1, 2), FX_IDS(3));
	assert_int_equal(write_config(fx, m, text), APTXT_AP_CONFIG_LEN);
	assert_string_equal(fx_read(fx, m, "ap_config"), text);
	assert_string_equal(fx_read(fx, m, "matrix"),
			    "04.0001\n04.0002\n05.0001\n05.0002\n");
	assert_string_equal(fx_read(fx, m, "guest_matrix"),
			    "04.0001\n04.0002\n05.0001\n05.0002\n");
	assert_string_equal(fx_read(fx, m, "control_domains"), "0003\n");
	/* only the first 201 bytes are parsed; the write consumes everything */
	config_text(text, FX_IDS(5), FX_IDS(6), FX_NONE);
	{
		char longer[APTXT_AP_CONFIG_LEN + 8];

		snprintf(longer, sizeof(longer), "%sjunk", text);
		assert_int_equal(fx_write(fx, m, "ap_config", longer), APTXT_AP_CONFIG_LEN + 4);
		assert_string_equal(fx_read(fx, m, "matrix"), "05.0006\n");
	}
	/* without the trailing newline too */
	config_text(text, FX_IDS(6), FX_IDS(7), FX_NONE);
	assert_int_equal(fx_writen(fx, m, "ap_config", text, 200), 200);
	assert_string_equal(fx_read(fx, m, "matrix"), "06.0007\n");
}

static void test_ap_config_write_short_masks_and_prefixes(void **state)
{
	static const char *const forms[] = {
		"0x0c,0x6,0x1", "x0c,x6,x1", "0c,6,1", "0x0c,0x6,0x1\n", "0x0c,0x6,0x1,junk",
	};
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	char want[APTXT_AP_CONFIG_LEN + 1];
	size_t i;

	/* 0x0c: IDs 4, 5; 0x6: IDs 1, 2; 0x1: ID 3 */
	config_text(want, FX_IDS(4, 5), FX_IDS(1, 2), FX_IDS(3));
	for (i = 0; i < ARRAY_SIZE(forms); i++) {
		assert_int_equal(write_config(fx, m, ",,"), 2);
		assert_int_equal(write_config(fx, m, forms[i]), (long)strlen(forms[i]));
		assert_string_equal(fx_read(fx, m, "ap_config"), want);
	}
}

static void test_ap_config_write_rejects_bad_syntax(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	char before[APTXT_AP_CONFIG_LEN + 1], text[300];
	static const char *const bad[] = {
		"0X0c,0x6,0x1", "0x0c,0X6,0x1", "0x0c,0x6", "0x0c", "", "\n", "0x0c,0xg,0x1",
		"0x0c,0x6,0x1 ", " 0x0c,0x6,0x1", "0x0c;0x6;0x1",
	};
	size_t i;

	assert_int_equal(write_config(fx, m, "0x08,0x4,0x2"), 12);
	strcpy(before, fx_read(fx, m, "ap_config"));
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(write_config(fx, m, bad[i]), -EINVAL);
	/* 65 hex digits */
	snprintf(text, sizeof(text), "0x%065d,0x4,0x2", 0);
	assert_int_equal(write_config(fx, m, text), -EINVAL);
	assert_string_equal(fx_read(fx, m, "ap_config"), before);
	assert_string_equal(fx_read(fx, m, "matrix"), "04.0001\n");
}

static void test_ap_config_write_eaddrnotavail_leaves_state(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	char before[APTXT_AP_CONFIG_LEN + 1], guest[APC_PAGE_SIZE + 1];
	struct kvmm_guest *kvm;

	assert_int_equal(write_config(fx, m, "0x0c,0x6,0x1"), 12);
	kvm = fx_attach(fx, m);
	strcpy(before, fx_read(fx, m, "ap_config"));
	strcpy(guest, fx_read(fx, m, "guest_matrix"));
	fx_clear_records(fx);
	/* adapter 3 is host-reserved */
	assert_int_equal(write_config(fx, m, "0x1c,0x6,0x1"), -EADDRNOTAVAIL);
	assert_string_equal(fx_read(fx, m, "ap_config"), before);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), guest);
	assert_int_equal(fx->crycb_changes, 0);
	assert_string_equal(fx_resets(fx), "");
	fx_assert_crycb(kvm, FX_IDS(4, 5), FX_IDS(1, 2), FX_IDS(3));
}

static void test_ap_config_write_eaddrinuse_leaves_state(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m1 = fx_mdev(fx, FX_UUID1);
	struct vap_mdev *m2 = fx_mdev(fx, FX_UUID2);
	char before[APTXT_AP_CONFIG_LEN + 1];

	assert_int_equal(write_config(fx, m1, "0x04,0x4,0x0"), 12);	/* 05.0001 */
	assert_int_equal(write_config(fx, m2, "0x02,0x4,0x1"), 12);	/* 06.0001 */
	strcpy(before, fx_read(fx, m2, "ap_config"));
	fx_clear_records(fx);
	/* remove adapter 6, add adapter 5: the removal must not happen either */
	assert_int_equal(write_config(fx, m2, "0x04,0x4,0x1"), -EADDRINUSE);
	assert_string_equal(fx_read(fx, m2, "ap_config"), before);
	assert_string_equal(fx_read(fx, m2, "guest_matrix"), "06.0001\n");
	assert_string_equal(fx_resets(fx), "");
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN,
				      "vfio_ap_mdev " FX_UUID2 ": Userspace may not assign queue "
				      "05.0001 to mdev: already assigned to " FX_UUID1), 1);
	assert_int_equal(fx_log_total(fx), 1);
}

static void tweak_small_maxima(struct apb_host_spec *spec)
{
	spec->qci.na = 0x3f;
	spec->qci.nd = 0x1f;
}

static const struct fx_variant small_maxima = { .tweak = tweak_small_maxima };

static void test_ap_config_write_enodev_leaves_state(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	char before[APTXT_AP_CONFIG_LEN + 1], text[APTXT_AP_CONFIG_LEN + 1];

	assert_int_equal(fx_bus_write(fx, "apmask", "-0x40"), 5);
	assert_int_equal(write_config(fx, m, "0x08,0x4,0x2"), 12);
	strcpy(before, fx_read(fx, m, "ap_config"));
	/* adapter 0x40 > apm_max 0x3f */
	assert_int_equal(write_config(fx, m, config_text(text, FX_IDS(4, 0x40), FX_IDS(1),
							  FX_NONE)), -ENODEV);
	/* domain 0x20 > aqm_max, control domain 0x20 > adm_max */
	assert_int_equal(write_config(fx, m, config_text(text, FX_IDS(4), FX_IDS(0x20),
							  FX_NONE)), -ENODEV);
	assert_int_equal(write_config(fx, m, config_text(text, FX_IDS(4), FX_IDS(1),
							  FX_IDS(0x20))), -ENODEV);
	assert_string_equal(fx_read(fx, m, "ap_config"), before);
}

/* In ap_config, unlike assign_*, ENODEV is checked after validation (§4.2). */
static void test_ap_config_validation_before_overflow(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	char text[APTXT_AP_CONFIG_LEN + 1];

	/* adapter 0x40 is over the maximum and host-reserved (in apmask) */
	assert_int_equal(write_config(fx, m, config_text(text, FX_IDS(0x40), FX_IDS(1),
							  FX_NONE)), -EADDRNOTAVAIL);
	assert_int_equal(fx_bus_write(fx, "apmask", "-0x40"), 5);
	assert_int_equal(write_config(fx, m, config_text(text, FX_IDS(0x40), FX_IDS(1),
							  FX_NONE)), -ENODEV);
}

static void test_ap_config_write_empty_fields_clear_all(void **state)
{
	static const char *const clears[] = { ",,", "0x,0x,0x", "x,x,x\n" };
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	char zero[APTXT_AP_CONFIG_LEN + 1];
	size_t i;

	config_text(zero, FX_NONE, FX_NONE, FX_NONE);
	for (i = 0; i < ARRAY_SIZE(clears); i++) {
		assert_int_equal(write_config(fx, m, "0x0c,0x6,0x1"), 12);
		assert_int_equal(write_config(fx, m, clears[i]), (long)strlen(clears[i]));
		assert_string_equal(fx_read(fx, m, "ap_config"), zero);
		assert_string_equal(fx_read(fx, m, "matrix"), "");
		assert_string_equal(fx_read(fx, m, "guest_matrix"), "");
		assert_string_equal(fx_read(fx, m, "control_domains"), "");
		assert_int_equal(m->nr_linked, 0);
	}
}

/* ---- item 26: one atomic update ------------------------------------------------ */

static void test_ap_config_write_applies_removals_and_additions(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;

	/* adapters 4, 5 x domains 1, 2, control domain 1 */
	assert_int_equal(write_config(fx, m, "0x0c,0x6,0x4"), 12);
	kvm = fx_attach(fx, m);
	fx_clear_records(fx);
	/* -> adapters 5, 6 x domains 2, 3, control domains 2 and 0x20 (not in host) */
	assert_int_equal(write_config(fx, m, "0x06,0x3,0x2000000080"), 21);
	assert_string_equal(fx_read(fx, m, "matrix"),
			    "05.0002\n05.0003\n06.0002\n06.0003\n");
	assert_string_equal(fx_read(fx, m, "guest_matrix"),
			    "05.0002\n05.0003\n06.0002\n06.0003\n");
	assert_string_equal(fx_read(fx, m, "control_domains"), "0002\n0020\n");
	fx_assert_crycb(kvm, FX_IDS(5, 6), FX_IDS(2, 3), FX_IDS(2));
	/* removed and passed through: adapter 4 x {1, 2} and 05.0001 */
	assert_string_equal(fx_resets(fx), "04.0001,04.0002,05.0001");
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 0);	/* no trigger set */
	assert_null(fx->md->queues[4][1].mdev);
	assert_null(fx->md->queues[5][1].mdev);
	assert_ptr_equal(fx->md->queues[6][3].mdev, m);
	assert_string_equal(fx_status(fx, 4, 1), "unassigned\n");
	assert_string_equal(fx_status(fx, 6, 3), "in use\n");
}

static void test_ap_config_write_filters_what_it_adds(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;

	assert_int_equal(fx_vfio_unbind(fx, "06.0002"), 7);
	assert_int_equal(write_config(fx, m, "0x08,0x4,0x0"), 12);
	kvm = fx_attach(fx, m);
	fx_clear_records(fx);
	/* adapter 6 has the unbound 06.0002; domain 0x30 is not in the host */
	assert_int_equal(write_config(fx, m, "0x0a,0x6000000000008,0x4"), 24);
	assert_string_equal(fx_read(fx, m, "matrix"),
			    "04.0001\n04.0002\n04.0030\n06.0001\n06.0002\n06.0030\n");
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n04.0002\n");
	fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1, 2), FX_IDS(1));
	assert_string_equal(fx_resets(fx), "");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_ap_config_read_is_msb_first),
		FX_TEST(test_ap_config_read_shows_matrix_not_shadow),
		FX_TEST(test_ap_config_write_full_length),
		FX_TEST(test_ap_config_write_short_masks_and_prefixes),
		FX_TEST(test_ap_config_write_rejects_bad_syntax),
		FX_TEST(test_ap_config_write_eaddrnotavail_leaves_state),
		FX_TEST(test_ap_config_write_eaddrinuse_leaves_state),
		FX_TEST_VARIANT(test_ap_config_write_enodev_leaves_state, &small_maxima),
		FX_TEST_VARIANT(test_ap_config_validation_before_overflow, &small_maxima),
		FX_TEST(test_ap_config_write_empty_fields_clear_all),
		FX_TEST(test_ap_config_write_applies_removals_and_additions),
		FX_TEST(test_ap_config_write_filters_what_it_adds),
	};

	fx_apply_test_filter(argc, argv);
	return cmocka_run_group_tests_name("ap_config", tests, NULL, NULL);
}
