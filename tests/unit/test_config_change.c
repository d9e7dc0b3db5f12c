// SPDX-License-Identifier: GPL-2.0
/*
 * test_config_change.c - host AP configuration changes seen through bus
 * scans: on_config_changed / probe deferral / on_scan_complete
 * (docs/kernel-abi.md §3.6, §4.6, §4.7; checklist items 34 (deferral),
 * 37, 38, 39).
 *
 * Standard host (fixture.h): adapters 3-6 (3 host-reserved), usage and
 * control domains 0-15; apmask has every adapter but 4-6.
 */
#include "fixture.h"

#include <string.h>

static void add_cex8_adapter(struct fx *fx, unsigned int apid)
{
	assert_int_equal(apb_hw_set_adapter_type(fx->bus, apid, AP_TYPE_CEX8,
						 APB_FUNC_CCA), 0);
	assert_int_equal(apb_hw_set_adapter(fx->bus, apid, true), 0);
}

/* ---- item 37: removal ------------------------------------------------------ */

/*
 * Removing the guest's control domain: the fixed rule of §4.7 (the "fixed"
 * kernel, like a stable 6.12.110+); upstream to 7.0 keeps the domain in the
 * CRYCB (§4.7.1 item 1, test_profiles.c).
 */
static void test_config_change_removal_unplugs_in_one_update(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;

	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 2);
	FX_WRITE_IDS(fx, m, "assign_control_domain", 1, 7);
	kvm = fx_attach(fx, m);
	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_CFG_CHG_IRQ_INDEX,
					  &fx->trigger[1]), 0);
	fx_clear_records(fx);

	assert_int_equal(apb_hw_set_adapter(fx->bus, 5, false), 0);
	assert_int_equal(apb_hw_set_domain(fx->bus, 2, false), 0);
	assert_int_equal(apb_hw_set_control_domain(fx->bus, 1, false), 0);
	apb_scan(fx->bus);

	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n");
	fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1), FX_IDS(7));
	assert_int_equal(fx->crycb_changes, 1);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 1);
	/* the vanished queues are not reset (they would fail with rc 01) */
	assert_string_equal(fx_resets(fx), "");
	assert_false(fx_queue_exists(fx, 5, 1));
	assert_false(fx_queue_exists(fx, 4, 2));
	/* the assignment is kept */
	assert_string_equal(fx_read(fx, m, "matrix"),
			    "04.0001\n04.0002\n05.0001\n05.0002\n");
	assert_string_equal(fx_read(fx, m, "control_domains"), "0001\n0007\n");
	assert_int_equal(m->nr_linked, 1);
}

static void test_config_change_removal_outside_shadow_is_silent(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	fx_attach(fx, m);
	fx_clear_records(fx);
	/* adapter 6 is bound to vfio_ap but not assigned; it is in the config
	 * at the removal callback, gone when its queues are removed */
	assert_int_equal(apb_hw_set_adapter(fx->bus, 6, false), 0);
	apb_scan(fx->bus);
	assert_int_equal(fx->crycb_changes, 0);
	assert_string_equal(fx_resets(fx), "");
	assert_false(fx->md->queues[6][1].bound);
}

/* ---- item 38: addition -------------------------------------------------------- */

static void test_config_change_addition_plugs_once_per_mdev(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;

	assert_int_equal(fx_bus_write(fx, "apmask", "-7"), 2);
	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 7);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 0x11);
	FX_WRITE_IDS(fx, m, "assign_control_domain", 0x12);
	kvm = fx_attach(fx, m);
	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_CFG_CHG_IRQ_INDEX,
					  &fx->trigger[1]), 0);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n");
	fx_clear_records(fx);

	add_cex8_adapter(fx, 7);
	assert_int_equal(apb_hw_set_domain(fx->bus, 0x11, true), 0);
	assert_int_equal(apb_hw_set_control_domain(fx->bus, 0x12, true), 0);
	/* invisible until the scan */
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n");
	apb_scan(fx->bus);

	assert_string_equal(fx_read(fx, m, "guest_matrix"),
			    "04.0001\n04.0011\n07.0001\n07.0011\n");
	fx_assert_crycb(kvm, FX_IDS(4, 7), FX_IDS(1, 0x11), FX_IDS(0x12));
	/* one update for the whole addition, not one per probed queue */
	assert_int_equal(fx->crycb_changes, 1);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 1);
	assert_true(apbm_empty(&m->apm_add));
	assert_true(apbm_empty(&m->aqm_add));
	assert_true(apbm_empty(&m->adm_add));
	assert_string_equal(fx_status(fx, 7, 0x11), "in use\n");
	assert_string_equal(fx_resets(fx), "");
}

static void test_config_change_addition_for_two_mdevs(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m1 = fx_mdev(fx, FX_UUID1);
	struct vap_mdev *m2 = fx_mdev(fx, FX_UUID2);
	struct kvmm_guest *kvm1, *kvm2;

	assert_int_equal(fx_bus_write(fx, "apmask", "-7-8"), 4);
	FX_WRITE_IDS(fx, m1, "assign_adapter", 7);
	FX_WRITE_IDS(fx, m1, "assign_domain", 1);
	FX_WRITE_IDS(fx, m2, "assign_adapter", 8);
	FX_WRITE_IDS(fx, m2, "assign_domain", 1, 2);
	kvm1 = fx_attach(fx, m1);
	kvm2 = fx_attach(fx, m2);
	fx_clear_records(fx);
	add_cex8_adapter(fx, 7);
	add_cex8_adapter(fx, 8);
	apb_scan(fx->bus);
	assert_string_equal(fx_read(fx, m1, "guest_matrix"), "07.0001\n");
	assert_string_equal(fx_read(fx, m2, "guest_matrix"), "08.0001\n08.0002\n");
	assert_int_equal(kvm1->crycb_updates, 2);
	assert_int_equal(kvm2->crycb_updates, 2);
	assert_int_equal(fx->crycb_changes, 2);
}

static void test_config_change_addition_subject_to_filtering(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	/* adapter 5 is filtered (05.0001 unbound); domain 0x11 arrives */
	assert_int_equal(fx_vfio_unbind(fx, "05.0001"), 7);
	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 0x11);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n");
	assert_int_equal(apb_hw_set_domain(fx->bus, 0x11, true), 0);
	apb_scan(fx->bus);
	assert_int_equal(fx_queue_drv(fx, 5, 0x11), APB_DRV_VFIO_AP);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n04.0011\n");
}

static void test_config_change_old_adapter_types_not_plugged(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(fx_bus_write(fx, "apmask", "-8-9"), 4);
	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 8, 9);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	fx_clear_records(fx);
	/* 8: a CEX3 (type 9), 9: no type at all */
	assert_int_equal(apb_hw_set_adapter_type(fx->bus, 8, 9, APB_FUNC_CCA), 0);
	assert_int_equal(apb_hw_set_adapter(fx->bus, 8, true), 0);
	assert_int_equal(apb_hw_set_adapter(fx->bus, 9, true), 0);
	apb_scan(fx->bus);
	assert_false(fx_queue_exists(fx, 8, 1));
	assert_false(fx_queue_exists(fx, 9, 1));
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n");
	assert_true(apb_card_exists(fx->bus, 4));
	assert_false(apb_card_exists(fx->bus, 8));
}

/* ---- item 34: probe defers to scan-complete during an addition -------------- */

static void test_config_change_probe_defers_plug(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;

	assert_int_equal(fx_bus_write(fx, "apmask", "-7"), 2);
	FX_WRITE_IDS(fx, m, "assign_adapter", 7);
	FX_WRITE_IDS(fx, m, "assign_domain", 0, 1, 2, 3, 4, 5, 6, 7);
	kvm = fx_attach(fx, m);
	fx_clear_records(fx);
	add_cex8_adapter(fx, 7);
	apb_scan(fx->bus);
	/* eight queues probed, one guest update at scan-complete */
	assert_int_equal(fx->crycb_changes, 1);
	assert_int_equal(kvm->crycb_updates, 2);
	fx_assert_crycb(kvm, FX_IDS(7), FX_IDS(0, 1, 2, 3, 4, 5, 6, 7), FX_NONE);
	assert_int_equal(m->nr_linked, 8);
}

/* Outside a config change a probe plugs at once (§4.6). */
static void test_config_change_probe_plugs_without_addition(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;

	assert_int_equal(fx_vfio_unbind(fx, "05.0001"), 7);
	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	kvm = fx_attach(fx, m);
	fx_clear_records(fx);
	assert_int_equal(fx_vfio_bind(fx, "05.0001"), 7);
	assert_int_equal(fx->crycb_changes, 1);
	fx_assert_crycb(kvm, FX_IDS(5), FX_IDS(1), FX_NONE);
}

/* ---- item 39: scans only call back on a QCI change --------------------------- */

static void test_config_change_scan_applies_hw_only_at_scan(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	assert_int_equal(apb_hw_set_adapter(fx->bus, 4, false), 0);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n");
	assert_true(apbm_test(&fx->md->info.apm, 4));
	/* writing "scans" scans synchronously */
	assert_int_equal(fx_bus_write(fx, "scans", "1\n"), 2);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), ".0001\n");
	assert_false(apbm_test(&fx->md->info.apm, 4));
	assert_string_equal(fx_bus_read(fx, "scans"), "2\n");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		FX_TEST_VARIANT(test_config_change_removal_unplugs_in_one_update, &fx_kernel_fixed),
		FX_TEST(test_config_change_removal_outside_shadow_is_silent),
		FX_TEST(test_config_change_addition_plugs_once_per_mdev),
		FX_TEST(test_config_change_addition_for_two_mdevs),
		FX_TEST(test_config_change_addition_subject_to_filtering),
		FX_TEST(test_config_change_old_adapter_types_not_plugged),
		FX_TEST(test_config_change_probe_defers_plug),
		FX_TEST(test_config_change_probe_plugs_without_addition),
		FX_TEST(test_config_change_scan_applies_hw_only_at_scan),
	};

	fx_apply_test_filter(argc, argv);
	return cmocka_run_group_tests_name("config_change", tests, NULL, NULL);
}
