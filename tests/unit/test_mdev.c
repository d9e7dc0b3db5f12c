// SPDX-License-Identifier: GPL-2.0
/*
 * test_mdev.c - matrix device and mdev life cycle (docs/kernel-abi.md §2.2,
 * §2.3; checklist items 3-7).
 */
#include "fixture.h"

#include <string.h>

static const char ZERO_AP_CONFIG[] =
	"0x0000000000000000000000000000000000000000000000000000000000000000,"
	"0x0000000000000000000000000000000000000000000000000000000000000000,"
	"0x0000000000000000000000000000000000000000000000000000000000000000\n";

static const char *available(struct fx *fx)
{
	int n = mdevc_available_instances_show(&fx->mdevc, fx->buf);

	assert_in_range(n, 1, APC_PAGE_SIZE);
	fx->buf[n] = '\0';
	return fx->buf;
}

static struct vap_mdev *find(struct fx *fx, const char *uuid)
{
	u8 raw[16];

	assert_int_equal(aptxt_parse_uuid(uuid, raw), 0);
	return fx_find(fx, raw);
}

static int create(struct fx *fx, const char *buf, size_t count)
{
	struct vap_mdev *m = NULL;

	return fx_create(fx, buf, count, &m);
}

/* item 3 */
static void test_mdev_features_text(void **state)
{
	struct fx *fx = *state;
	int n = vap_features_show(fx->md, fx->buf);

	assert_int_equal(n, 31);
	fx->buf[n] = '\0';
	assert_string_equal(fx->buf, "guest_matrix hotplug ap_config\n");
}

/* item 4 */
static void test_mdev_available_instances_counts_live_mdevs(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m;

	assert_string_equal(available(fx), "65536\n");
	m = fx_mdev(fx, FX_UUID1);
	fx_mdev(fx, FX_UUID2);
	assert_string_equal(available(fx), "65534\n");
	assert_int_equal(fx_write(fx, m, "remove", "1"), 1);
	assert_string_equal(available(fx), "65535\n");
}

/* item 5 */
static void test_mdev_create_accepts_36_and_37_bytes(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = NULL;

	assert_int_equal(fx_create(fx, FX_UUID1, 36, &m), 0);
	assert_non_null(m);
	assert_string_equal(m->name, FX_UUID1);
	assert_ptr_equal(find(fx, FX_UUID1), m);
	m = NULL;
	assert_int_equal(fx_create(fx, FX_UUID2 "\n", 37, &m), 0);
	assert_non_null(m);
	assert_string_equal(m->name, FX_UUID2);
	assert_int_equal(fx->mdevc.nr, 2);
}

static void test_mdev_create_rejects_bad_length_and_uuid(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(create(fx, FX_UUID1, 35), -EINVAL);
	assert_int_equal(create(fx, FX_UUID1 "\n\n", 38), -EINVAL);
	assert_int_equal(create(fx, "", 0), -EINVAL);
	assert_int_equal(create(fx, "11111111-2222-4333-8444-55555555555g", 36), -EINVAL);
	assert_int_equal(create(fx, "11111111+2222-4333-8444-555555555551", 36), -EINVAL);
	assert_int_equal(create(fx, "111111112-222-4333-8444-555555555551", 36), -EINVAL);
	assert_int_equal(fx->mdevc.nr, 0);
	assert_string_equal(available(fx), "65536\n");
}

static void test_mdev_create_duplicate_is_eexist(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(create(fx, FX_UUID1, 36), -EEXIST);
	assert_int_equal(create(fx, FX_UUID1 "\n", 37), -EEXIST);
	/* the same UUID in upper case is the same UUID */
	assert_int_equal(create(fx, "11111111-2222-4333-8444-55555555555A", 36), 0);
	assert_int_equal(create(fx, "11111111-2222-4333-8444-55555555555a", 36), -EEXIST);
	assert_int_equal(fx->mdevc.nr, 2);
	assert_ptr_equal(find(fx, FX_UUID1), m);
}

static void test_mdev_create_names_in_lowercase(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = NULL;

	assert_int_equal(fx_create(fx, "0B2E5F4A-9D4C-4D0E-8F1A-1C2D3E4F5A6B", 36, &m), 0);
	assert_string_equal(m->name, "0b2e5f4a-9d4c-4d0e-8f1a-1c2d3e4f5a6b");
}

/* item 6 */
static void test_mdev_new_mdev_is_empty(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_string_equal(fx_read(fx, m, "matrix"), "");
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "");
	assert_string_equal(fx_read(fx, m, "control_domains"), "");
	assert_int_equal(strlen(fx_read(fx, m, "ap_config")), 201);
	assert_string_equal(fx_read(fx, m, "ap_config"), ZERO_AP_CONFIG);
	assert_null(m->kvm);
}

/* The maxima are the host's QCI Na/Nd (§1.1): IDs up to them are valid. */
static void test_mdev_maxima_come_from_host_qci(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(m->matrix.apm_max, 255);
	assert_int_equal(m->matrix.aqm_max, 255);
	assert_int_equal(m->matrix.adm_max, 255);
}

/* item 7 */
static void test_mdev_remove_zero_is_noop(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(fx_write(fx, m, "remove", "0"), 1);
	assert_int_equal(fx_write(fx, m, "remove", "0\n"), 2);
	assert_int_equal(fx_write(fx, m, "remove", "0x0"), 3);
	assert_ptr_equal(find(fx, FX_UUID1), m);
	assert_string_equal(available(fx), "65535\n");
}

static void test_mdev_remove_non_number_is_einval(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	static const char *const bad[] = {
		"yes", "", "\n", "-1", " 1", "1 ", "1x", "18446744073709551616",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(fx_write(fx, m, "remove", bad[i]), -EINVAL);
	assert_ptr_equal(find(fx, FX_UUID1), m);
}

static void test_mdev_remove_one_removes(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m1 = fx_mdev(fx, FX_UUID1);
	struct vap_mdev *m2 = fx_mdev(fx, FX_UUID2);

	assert_int_equal(fx_write(fx, m1, "remove", "1\n"), 2);
	assert_null(find(fx, FX_UUID1));
	assert_ptr_equal(find(fx, FX_UUID2), m2);
	assert_ptr_equal(fx->md->mdev_list, m2);
	/* any non-zero number removes */
	assert_int_equal(fx_write(fx, m2, "remove", "0x10"), 4);
	assert_null(find(fx, FX_UUID2));
	assert_string_equal(available(fx), "65536\n");
	/* the UUID is free again */
	fx_mdev(fx, FX_UUID1);
}

/* Removal resets and unlinks the mdev's queues (§4.8); status follows. */
static void test_mdev_remove_resets_and_unlinks_queues(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 2);
	assert_string_equal(fx_status(fx, 4, 1), "assigned\n");
	assert_int_equal(m->nr_linked, 2);
	fx_clear_records(fx);
	assert_int_equal(fx_write(fx, m, "remove", "1"), 1);
	assert_string_equal(fx_resets(fx), "04.0001,04.0002");
	assert_string_equal(fx_status(fx, 4, 1), "unassigned\n");
	assert_string_equal(fx_status(fx, 4, 2), "unassigned\n");
	assert_null(fx->md->queues[4][1].mdev);
	assert_null(fx->md->queues[4][2].mdev);
	/* the queues stay bound to vfio_ap */
	assert_int_equal(fx_queue_drv(fx, 4, 1), APB_DRV_VFIO_AP);
}

/*
 * The type holds VAP_MAX_INSTANCES (65536) mdevs, then -EUSERS (§2.3).
 * Memory: an mdev without queues is its struct vap_mdev and the mdev
 * core's struct mdevc_dev, nothing more (no qtable: kernel/core's "The
 * qtable").  So the bytes the engine and the model hold for 65536 of them
 * may not exceed 65536 x (both sizes); with today's sizes that is well
 * under 64 MiB, which is also asserted (the embedded 8 KiB qtable made it
 * 65536 x 8.4 KiB = 0.5 GiB).
 */
static void test_mdev_65536_then_eusers_in_bounded_memory(void **state)
{
	const size_t per_mdev = sizeof(struct vap_mdev) + sizeof(struct mdevc_dev);
	struct fx *fx = *state;
	char uuid[APTXT_UUID_LEN + 1];
	size_t before = apc_alloc_bytes(), held;
	unsigned int i;

	for (i = 0; i < VAP_MAX_INSTANCES; i++) {
		snprintf(uuid, sizeof(uuid), "00000000-0000-4000-8000-%012x", i);
		assert_int_equal(create(fx, uuid, APTXT_UUID_LEN), 0);
	}
	assert_string_equal(available(fx), "0\n");
	held = apc_alloc_bytes() - before;
	assert_true(held <= (size_t)VAP_MAX_INSTANCES * per_mdev);
	assert_true(held < (size_t)64 << 20);
	/* full: -EUSERS after the duplicate check, nothing allocated */
	assert_int_equal(create(fx, FX_UUID1, strlen(FX_UUID1)), -EUSERS);
	assert_int_equal(create(fx, uuid, APTXT_UUID_LEN), -EEXIST);
	assert_int_equal(apc_alloc_bytes() - before, held);
	assert_null(find(fx, FX_UUID1));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_mdev_features_text),
		FX_TEST(test_mdev_available_instances_counts_live_mdevs),
		FX_TEST(test_mdev_create_accepts_36_and_37_bytes),
		FX_TEST(test_mdev_create_rejects_bad_length_and_uuid),
		FX_TEST(test_mdev_create_duplicate_is_eexist),
		FX_TEST(test_mdev_create_names_in_lowercase),
		FX_TEST(test_mdev_new_mdev_is_empty),
		FX_TEST(test_mdev_maxima_come_from_host_qci),
		FX_TEST(test_mdev_remove_zero_is_noop),
		FX_TEST(test_mdev_remove_non_number_is_einval),
		FX_TEST(test_mdev_remove_one_removes),
		FX_TEST(test_mdev_remove_resets_and_unlinks_queues),
		FX_TEST(test_mdev_65536_then_eusers_in_bounded_memory),
	};

	fx_apply_test_filter(argc, argv);
	return cmocka_run_group_tests_name("mdev", tests, NULL, NULL);
}
