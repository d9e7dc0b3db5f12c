// SPDX-License-Identifier: GPL-2.0
/*
 * test_hotplug.c - hot plug and unplug with a guest attached, the queue
 * status attribute, and binding/unbinding of assigned queues
 * (docs/kernel-abi.md §2.5, §4.4-§4.6; checklist items 20-22, 27, 34, 35).
 *
 * Standard host (fixture.h): adapters 4-6 bound to vfio_ap, domains 0-15.
 */
#include "fixture.h"

#include <string.h>

/* ---- item 20: CRYCB follows the shadow --------------------------------- */

static void test_hotplug_assign_updates_crycb_exactly(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm = fx_attach(fx, m);

	fx_assert_crycb(kvm, FX_NONE, FX_NONE, FX_NONE);
	fx_clear_records(fx);
	/* never EBUSY while attached */
	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	assert_int_equal(fx->crycb_changes, 1);
	fx_assert_crycb(kvm, FX_IDS(4), FX_NONE, FX_NONE);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	assert_int_equal(fx->crycb_changes, 2);
	fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1), FX_NONE);
	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_control_domain", 2);
	assert_int_equal(fx->crycb_changes, 4);
	fx_assert_crycb(kvm, FX_IDS(4, 5), FX_IDS(1), FX_IDS(2));
	FX_WRITE_IDS(fx, m, "unassign_adapter", 4);
	FX_WRITE_IDS(fx, m, "unassign_domain", 1);
	FX_WRITE_IDS(fx, m, "unassign_control_domain", 2);
	assert_int_equal(fx->crycb_changes, 7);
	fx_assert_crycb(kvm, FX_IDS(5), FX_NONE, FX_NONE);
	assert_int_equal(kvm->crycb_updates, 8);	/* attach + 7 */
}

static void test_hotplug_assign_without_shadow_change_leaves_crycb(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;

	assert_int_equal(fx_vfio_unbind(fx, "06.0001"), 7);
	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	kvm = fx_attach(fx, m);
	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_CFG_CHG_IRQ_INDEX,
					  &fx->trigger[1]), 0);
	fx_clear_records(fx);
	/* not in the host config, filtered (unbound 06.0001), control domain
	 * outside the host: the shadow does not change */
	FX_WRITE_IDS(fx, m, "assign_domain", 0x40);
	FX_WRITE_IDS(fx, m, "assign_adapter", 6);
	FX_WRITE_IDS(fx, m, "assign_control_domain", 0x40);
	FX_WRITE_IDS(fx, m, "unassign_adapter", 6);
	FX_WRITE_IDS(fx, m, "unassign_domain", 0x40);
	FX_WRITE_IDS(fx, m, "unassign_control_domain", 0x40);
	assert_int_equal(fx->crycb_changes, 0);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 0);
	assert_int_equal(kvm->crycb_updates, 1);
	fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1), FX_NONE);
}

static void tweak_wide_host(struct apb_host_spec *spec)
{
	fx_spec_add_adapter(spec, 0x45, AP_TYPE_CEX8);
	apbm_clear(&spec->apmask, 0x45);
	apbm_set_range(&spec->qci.aqm, 0, 0x1f);
	apbm_set_range(&spec->qci.adm, 0, 0x1f);
}

static const struct fx_variant wide_host = { .tweak = tweak_wide_host };

/* Format 0/1 CRYCBs hold only IDs 0-63 and 0-15 (§4.4). */
static void test_hotplug_crycb_format1_truncates_masks(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm = fx_kvm(fx, true, false);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 0x45);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 0x11);
	FX_WRITE_IDS(fx, m, "assign_control_domain", 2, 0x12);
	assert_string_equal(fx_read(fx, m, "guest_matrix"),
			    "04.0001\n04.0011\n45.0001\n45.0011\n");
	assert_int_equal(vap_mdev_open(fx->md, m, fx_ap(kvm)), 0);
	fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1), FX_IDS(2));
}

/* ---- item 21: the config-change eventfd ------------------------------- */

static void test_hotplug_cfg_chg_eventfd_rules(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm = fx_kvm(fx, true, true);

	/* first open: nothing registered yet, nothing signalled */
	assert_int_equal(vap_mdev_open(fx->md, m, fx_ap(kvm)), 0);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 0);
	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_CFG_CHG_IRQ_INDEX,
					  &fx->trigger[1]), 0);
	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 1);
	assert_ptr_equal(fx->last_trigger[VAP_CFG_CHG_IRQ_INDEX], &fx->trigger[1]);
	/* no shadow change, no signal */
	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 1);
	/* detach does not signal */
	vap_mdev_close(fx->md, m);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 1);
	/* detached: shadow changes do not signal */
	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 1);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n05.0001\n");
	/* the registration survived close: re-attach signals */
	assert_int_equal(vap_mdev_open(fx->md, m, fx_ap(kvm)), 0);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 2);
	fx_assert_crycb(kvm, FX_IDS(4, 5), FX_IDS(1), FX_NONE);
	/* cleared: no more signals */
	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_CFG_CHG_IRQ_INDEX, NULL), 0);
	FX_WRITE_IDS(fx, m, "assign_domain", 2);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 2);
	assert_int_equal(fx->signals[VAP_REQ_IRQ_INDEX], 0);
}

static void test_hotplug_set_irq_rejects_bad_index(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_NUM_IRQS, &fx->trigger[0]), -EINVAL);
	assert_int_equal(vap_mdev_set_irq(fx->md, m, 7, &fx->trigger[0]), -EINVAL);
	assert_null(m->req_trigger);
	assert_null(m->cfg_chg_trigger);
	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_REQ_IRQ_INDEX, &fx->trigger[0]), 0);
	assert_ptr_equal(m->req_trigger, &fx->trigger[0]);
}

/* ---- item 22: hot unplug resets exactly what was passed through ---------- */

static void test_hotplug_unplug_resets_passed_through_only(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;

	/* adapter 6 is assigned but filtered: 06.0001 is unbound */
	assert_int_equal(fx_vfio_unbind(fx, "06.0001"), 7);
	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5, 6);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 2);
	kvm = fx_attach(fx, m);
	assert_string_equal(fx_read(fx, m, "guest_matrix"),
			    "04.0001\n04.0002\n05.0001\n05.0002\n");

	fx_clear_records(fx);
	FX_WRITE_IDS(fx, m, "unassign_domain", 2);
	assert_string_equal(fx_resets(fx), "04.0002,05.0002");	/* not 06.0002 */
	assert_int_equal(fx->crycb_changes, 1);
	fx_assert_crycb(kvm, FX_IDS(4, 5), FX_IDS(1), FX_NONE);
	/* out of the qtable (the back pointer itself is not ABI, §4.1) */
	assert_false(apbm_test(vap_mdev_linked(m, 6), 2));

	fx_clear_records(fx);
	FX_WRITE_IDS(fx, m, "unassign_adapter", 4);
	assert_string_equal(fx_resets(fx), "04.0001");
	fx_assert_crycb(kvm, FX_IDS(5), FX_IDS(1), FX_NONE);

	/* a filtered adapter leaves without reset and without a guest update */
	fx_clear_records(fx);
	FX_WRITE_IDS(fx, m, "unassign_adapter", 6);
	assert_string_equal(fx_resets(fx), "");
	assert_int_equal(fx->crycb_changes, 0);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "05.0001\n");
}

static void test_hotplug_unplug_detached_resets_passed_through(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	fx_clear_records(fx);
	/* the shadow exists without a guest too; its queues are reset */
	FX_WRITE_IDS(fx, m, "unassign_adapter", 5);
	assert_string_equal(fx_resets(fx), "05.0001");
	assert_int_equal(fx->crycb_changes, 0);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n");
}

/* ---- item 27: queue status ------------------------------------------------- */

static void test_hotplug_queue_status_values(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	char buf[APC_PAGE_SIZE];
	int n;

	assert_string_equal(fx_status(fx, 5, 1), "unassigned\n");
	assert_int_equal(fx_vfio_unbind(fx, "06.0001"), 7);
	FX_WRITE_IDS(fx, m, "assign_adapter", 5, 6);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	assert_string_equal(fx_status(fx, 5, 1), "assigned\n");
	assert_string_equal(fx_status(fx, 5, 2), "unassigned\n");
	fx_attach(fx, m);
	assert_string_equal(fx_status(fx, 5, 1), "in use\n");
	/* attached, assigned, but the adapter is filtered: not in use */
	assert_string_equal(fx_status(fx, 6, 1), "assigned\n");
	/* the bus shows the same text through the queue device */
	n = apb_queue_attr_show(fx->bus, 5, 1, "status", buf);
	assert_int_equal(n, 7);
	buf[n] = '\0';
	assert_string_equal(buf, "in use\n");
	vap_mdev_close(fx->md, m);
	assert_string_equal(fx_status(fx, 5, 1), "assigned\n");
}

static void test_hotplug_status_exists_only_on_vfio_queues(void **state)
{
	struct fx *fx = *state;
	char buf[APC_PAGE_SIZE];

	/* 03.0001 is bound to cex4queue */
	assert_int_equal(fx_queue_drv(fx, 3, 1), APB_DRV_CEX4QUEUE);
	assert_int_equal(apb_queue_attr_show(fx->bus, 3, 1, "status", buf), -ENOENT);
	assert_false(fx_queue_has_attr(fx, 3, 1, "status"));
	assert_true(fx_queue_has_attr(fx, 4, 1, "status"));
	/* unbound: no status either */
	assert_int_equal(fx_vfio_unbind(fx, "04.0001"), 7);
	assert_int_equal(apb_queue_attr_show(fx->bus, 4, 1, "status", buf), -ENOENT);
}

/* ---- item 34: binding an assigned queue ------------------------------------ */

static void test_hotplug_bind_plugs_adapter(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;

	assert_int_equal(fx_vfio_unbind(fx, "05.0004"), 7);
	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 4);
	kvm = fx_attach(fx, m);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0004\n");
	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_CFG_CHG_IRQ_INDEX,
					  &fx->trigger[1]), 0);
	fx_clear_records(fx);
	assert_int_equal(fx_vfio_bind(fx, "05.0004\n"), 8);
	assert_ptr_equal(fx->md->queues[5][4].mdev, m);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0004\n05.0004\n");
	fx_assert_crycb(kvm, FX_IDS(4, 5), FX_IDS(4), FX_NONE);
	assert_int_equal(fx->crycb_changes, 1);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 1);
	assert_string_equal(fx_status(fx, 5, 4), "in use\n");
	assert_string_equal(fx_resets(fx), "");
}

static void test_hotplug_bind_waits_for_every_apqn(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(fx_vfio_unbind(fx, "05.0004"), 7);
	assert_int_equal(fx_vfio_unbind(fx, "05.0005"), 7);
	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 4, 5);
	assert_int_equal(fx_vfio_bind(fx, "05.0004"), 7);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), ".0004\n.0005\n");
	assert_int_equal(fx_vfio_bind(fx, "05.0005"), 7);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "05.0004\n05.0005\n");
}

static void test_hotplug_bind_errors(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(fx_vfio_bind(fx, "05.0004"), -EBUSY);		/* bound already */
	assert_int_equal(fx_vfio_bind(fx, "03.0004"), -EBUSY);		/* cex4queue has it */
	assert_int_equal(fx_vfio_unbind(fx, "03.0004"), -ENODEV);	/* not ours */
	assert_int_equal(apb_unbind_store(fx->bus, APB_DRV_CEX4QUEUE, "03.0004", 7), 7);
	assert_int_equal(fx_vfio_bind(fx, "03.0004"), -ENODEV);	/* reserved */
	assert_int_equal(fx_vfio_bind(fx, "07.0004"), -ENODEV);	/* no device */
	assert_int_equal(fx_vfio_bind(fx, "05.0100"), -ENODEV);
}

/* ---- item 35: unbinding a passed-through queue ------------------------------ */

static void test_hotplug_unbind_unplugs_whole_adapter(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;

	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 2);
	kvm = fx_attach(fx, m);
	fx_clear_records(fx);
	assert_int_equal(fx_vfio_unbind(fx, "05.0001"), 7);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n04.0002\n");
	fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1, 2), FX_NONE);
	assert_int_equal(fx->crycb_changes, 1);
	/* every passed-through queue of adapter 5 is reset, the unbound one too */
	assert_string_equal(fx_resets(fx), "05.0001,05.0002");
	assert_false(apbm_test(vap_mdev_linked(m, 5), 1));
	assert_true(apbm_test(vap_mdev_linked(m, 5), 2));
	assert_string_equal(fx_read(fx, m, "matrix"),
			    "04.0001\n04.0002\n05.0001\n05.0002\n");
	assert_string_equal(fx_status(fx, 5, 2), "assigned\n");
}

static void test_hotplug_unbind_outside_shadow_resets_only_itself(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	fx_attach(fx, m);
	fx_clear_records(fx);
	/* not assigned at all, but in the host config */
	assert_int_equal(fx_vfio_unbind(fx, "06.0003"), 7);
	assert_string_equal(fx_resets(fx), "06.0003");
	assert_int_equal(fx->crycb_changes, 0);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n");
}

static void test_hotplug_unbind_filtered_queue_no_guest_change(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(fx_vfio_unbind(fx, "05.0002"), 7);
	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 2);
	fx_attach(fx, m);
	fx_clear_records(fx);
	/* 05.0001 is linked and assigned but adapter 5 is not in the shadow */
	assert_int_equal(fx_vfio_unbind(fx, "05.0001"), 7);
	assert_string_equal(fx_resets(fx), "05.0001");
	assert_int_equal(fx->crycb_changes, 0);
	assert_false(apbm_test(vap_mdev_linked(m, 5), 1));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_hotplug_assign_updates_crycb_exactly),
		FX_TEST(test_hotplug_assign_without_shadow_change_leaves_crycb),
		FX_TEST_VARIANT(test_hotplug_crycb_format1_truncates_masks, &wide_host),
		FX_TEST(test_hotplug_cfg_chg_eventfd_rules),
		FX_TEST(test_hotplug_set_irq_rejects_bad_index),
		FX_TEST(test_hotplug_unplug_resets_passed_through_only),
		FX_TEST(test_hotplug_unplug_detached_resets_passed_through),
		FX_TEST(test_hotplug_queue_status_values),
		FX_TEST(test_hotplug_status_exists_only_on_vfio_queues),
		FX_TEST(test_hotplug_bind_plugs_adapter),
		FX_TEST(test_hotplug_bind_waits_for_every_apqn),
		FX_TEST(test_hotplug_bind_errors),
		FX_TEST(test_hotplug_unbind_unplugs_whole_adapter),
		FX_TEST(test_hotplug_unbind_outside_shadow_resets_only_itself),
		FX_TEST(test_hotplug_unbind_filtered_queue_no_guest_change),
	};

	fx_apply_test_filter(argc, argv);
	return cmocka_run_group_tests_name("hotplug", tests, NULL, NULL);
}
