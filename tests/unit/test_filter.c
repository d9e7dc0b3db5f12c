// SPDX-License-Identifier: GPL-2.0
/*
 * test_filter.c - the shadow APCB (guest_matrix) filter (docs/kernel-abi.md
 * §4.3, §4.9, §4.10; checklist items 17, 18, 19, 23, 41).
 *
 * Standard host (fixture.h): adapters 4-6 bound to vfio_ap, domains 0-15.
 */
#include "fixture.h"

#include <string.h>

/* ---- item 17 ---------------------------------------------------------- */

static void test_filter_full_product_when_all_passable(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 2);
	assert_string_equal(fx_read(fx, m, "guest_matrix"),
			    "04.0001\n04.0002\n05.0001\n05.0002\n");
}

static void test_filter_adapter_needs_every_apqn_bound(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(fx_vfio_unbind(fx, "05.0002"), 7);
	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	/* 05.0001 alone is fine */
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n05.0001\n");
	/* with domain 2 the adapter has an unbound APQN: the whole adapter goes,
	 * the domain stays (domains are filtered only by the host config) */
	FX_WRITE_IDS(fx, m, "assign_domain", 2);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n04.0002\n");
	assert_string_equal(fx_read(fx, m, "matrix"),
			    "04.0001\n04.0002\n05.0001\n05.0002\n");
}

static void test_filter_ids_outside_host_config(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(fx_bus_write(fx, "apmask", "-0x30"), 5);
	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 0x30);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 0x20);
	/* 0x30 is not in the host config; domain 0x20 neither, and since it is
	 * not checked it does not filter adapter 4 (no queue 04.0020 exists) */
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n");
}

static void test_filter_adapters_only_and_domains_only(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(fx_vfio_unbind(fx, "05.0002"), 7);
	/* no domains: no APQN is checked, every in-config adapter shows */
	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5, 7);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.\n05.\n");
	FX_WRITE_IDS(fx, m, "unassign_adapter", 4, 5, 7);
	FX_WRITE_IDS(fx, m, "assign_domain", 2, 0x40);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), ".0002\n");
}

/* ---- item 18: CVE-2024-26620 -------------------------------------------- */

static void tweak_cve_host(struct apb_host_spec *spec)
{
	fx_spec_add_adapter(spec, 0x14, AP_TYPE_CEX8);
	fx_spec_add_adapter(spec, 0x16, AP_TYPE_CEX8);
	apbm_clear(&spec->apmask, 0x14);
	apbm_clear(&spec->apmask, 0x16);
}

static const struct fx_variant cve_host = { .tweak = tweak_cve_host };

static void test_filter_cve_2024_26620_whole_matrix(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;

	FX_WRITE_IDS(fx, m, "assign_adapter", 0x14, 0x16);
	FX_WRITE_IDS(fx, m, "assign_domain", 4, 5, 6);
	kvm = fx_attach(fx, m);
	assert_string_equal(fx_read(fx, m, "guest_matrix"),
			    "14.0004\n14.0005\n14.0006\n16.0004\n16.0005\n16.0006\n");
	FX_WRITE_IDS(fx, m, "unassign_domain", 4);
	assert_string_equal(fx_read(fx, m, "guest_matrix"),
			    "14.0005\n14.0006\n16.0005\n16.0006\n");
	assert_int_equal(fx_vfio_unbind(fx, "16.0005"), 7);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "14.0005\n14.0006\n");
	/* the 6.0-6.7 incremental filter only looked at domain 4 here */
	FX_WRITE_IDS(fx, m, "assign_domain", 4);
	assert_string_equal(fx_read(fx, m, "guest_matrix"),
			    "14.0004\n14.0005\n14.0006\n");
	fx_assert_crycb(kvm, FX_IDS(0x14), FX_IDS(4, 5, 6), FX_NONE);
	assert_string_equal(fx_status(fx, 0x16, 4), "assigned\n");
	assert_string_equal(fx_status(fx, 0x14, 4), "in use\n");
}

/* ---- item 19: the unassign quirk ------------------------------------------ */

/* Adapters 4 and 5, domains 1 and 2, with 05.0002 unbound before assigning:
 * adapter 5 is filtered.  Unassigning domain 2 does not bring it back. */
static void quirk_setup(struct fx *fx, struct vap_mdev *m)
{
	assert_int_equal(fx_vfio_unbind(fx, "05.0002"), 7);
	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 2);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n04.0002\n");
	FX_WRITE_IDS(fx, m, "unassign_domain", 2);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n");
}

static void test_filter_quirk_unassign_does_not_restore(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;

	quirk_setup(fx, m);
	/* 05.0001 is bound and passable, yet adapter 5 stays out */
	assert_string_equal(fx_read(fx, m, "matrix"), "04.0001\n05.0001\n");
	assert_int_equal(fx_queue_drv(fx, 5, 1), APB_DRV_VFIO_AP);
	/* a control domain assignment filters only control domains */
	FX_WRITE_IDS(fx, m, "assign_control_domain", 1);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n");
	/* neither does an unassign of something else */
	FX_WRITE_IDS(fx, m, "unassign_control_domain", 1);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n");
	/* nor an attach: set_kvm pushes the existing shadow, unfiltered */
	kvm = fx_attach(fx, m);
	fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1), FX_NONE);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n");
}

static void test_filter_quirk_restored_by_assign(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	quirk_setup(fx, m);
	FX_WRITE_IDS(fx, m, "assign_domain", 3);
	assert_string_equal(fx_read(fx, m, "guest_matrix"),
			    "04.0001\n04.0003\n05.0001\n05.0003\n");
}

static void test_filter_quirk_restored_by_bind(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	/* a second unbound queue in the matrix: adapter 6 */
	assert_int_equal(fx_vfio_unbind(fx, "06.0001"), 7);
	FX_WRITE_IDS(fx, m, "assign_adapter", 6);
	quirk_setup(fx, m);
	/* binding 06.0001 runs the filter over the whole matrix */
	assert_int_equal(fx_vfio_bind(fx, "06.0001"), 7);
	assert_string_equal(fx_read(fx, m, "guest_matrix"),
			    "04.0001\n05.0001\n06.0001\n");
}

static void test_filter_quirk_restored_by_ap_config(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	char config[APTXT_AP_CONFIG_LEN + 1];

	quirk_setup(fx, m);
	/* the same configuration again: accepted, and it still filters */
	strcpy(config, fx_read(fx, m, "ap_config"));
	assert_int_equal(fx_write(fx, m, "ap_config", config), APTXT_AP_CONFIG_LEN);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n05.0001\n");
}

/* ---- item 23: newly filtered queues are reset ------------------------------- */

static void test_filter_newly_filtered_queues_are_reset(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;

	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	kvm = fx_attach(fx, m);
	/* 05.0002 is not assigned yet: unbinding it resets only that queue */
	fx_clear_records(fx);
	assert_int_equal(fx_vfio_unbind(fx, "05.0002"), 7);
	assert_string_equal(fx_resets(fx), "05.0002");
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n05.0001\n");

	fx_clear_records(fx);
	FX_WRITE_IDS(fx, m, "assign_domain", 2);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n04.0002\n");
	/* adapter 5 left the shadow: its linked queues in the new shadow aqm
	 * are reset (05.0002 is not linked, so it is not) */
	assert_string_equal(fx_resets(fx), "05.0001");
	assert_int_equal(fx->crycb_changes, 1);
	fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1, 2), FX_NONE);
}

static void test_filter_unchanged_shadow_resets_nothing(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(fx_vfio_unbind(fx, "05.0002"), 7);
	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 2);
	fx_clear_records(fx);
	/* adapter 5 was never in the shadow: filtering it again resets nothing */
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n04.0002\n");
	assert_string_equal(fx_resets(fx), "");
}

/* ---- item 41: reset response codes ------------------------------------------- */

static void reset_with_rc(struct fx *fx, struct vap_mdev *m, unsigned int apid,
			  unsigned int apqi, u8 rc, int want)
{
	assert_int_equal(apb_hw_inject_reset_rc(fx->bus, apid, apqi, rc), 0);
	assert_int_equal(vap_mdev_reset(fx->md, m), want);
	assert_int_equal(fx->md->queues[apid][apqi].reset_rc, rc);
}

static void test_filter_deconfigured_and_checkstopped_stay_passable(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	/* VFIO_DEVICE_RESET reports EIO for rc 3 and 4 as for any rc != 0 */
	reset_with_rc(fx, m, 5, 1, AP_RC_DECONFIGURED, -EIO);
	FX_WRITE_IDS(fx, m, "assign_domain", 2);	/* a filter run */
	assert_string_equal(fx_read(fx, m, "guest_matrix"),
			    "04.0001\n04.0002\n05.0001\n05.0002\n");
	reset_with_rc(fx, m, 5, 1, AP_RC_CHECKSTOPPED, -EIO);
	FX_WRITE_IDS(fx, m, "assign_domain", 3);
	assert_string_equal(fx_read(fx, m, "guest_matrix"),
			    "04.0001\n04.0002\n04.0003\n05.0001\n05.0002\n05.0003\n");
}

static void test_filter_failed_reset_filters_adapter(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	reset_with_rc(fx, m, 5, 1, AP_RC_INVALID_ADDRESS, -EIO);
	FX_WRITE_IDS(fx, m, "assign_domain", 2);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n04.0002\n");
	/* a successful reset makes it passable again (next filter run) */
	assert_int_equal(vap_mdev_reset(fx->md, m), 0);
	assert_int_equal(fx->md->queues[5][1].reset_rc, AP_RC_NORMAL);
	FX_WRITE_IDS(fx, m, "assign_domain", 3);
	assert_string_equal(fx_read(fx, m, "guest_matrix"),
			    "04.0001\n04.0002\n04.0003\n05.0001\n05.0002\n05.0003\n");
}

static void test_filter_busy_reset_retries_to_final_state(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	/* rc 05 (busy) is not final: verification ends in the queue's state */
	assert_int_equal(apb_hw_inject_reset_rc(fx->bus, 5, 1, AP_RC_BUSY), 0);
	assert_int_equal(vap_mdev_reset(fx->md, m), 0);
	assert_int_equal(fx->md->queues[5][1].reset_rc, AP_RC_NORMAL);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "05.0001\n");
}

/* An mdev holding queue 05.0001, the records cleared. */
static struct vap_mdev *mdev_0501(struct fx *fx)
{
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	fx_clear_records(fx);
	return m;
}

/* Upstream item 13: the reset WARN texts, rc in decimal, no prefix. */
static void test_filter_reset_invalid_rc_warns(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = mdev_0501(fx);

	reset_with_rc(fx, m, 5, 1, AP_RC_INVALID_ADDRESS, -EIO);
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN,
				      "PQAP/ZAPQ for 05.0001 failed with invalid rc=6"), 1);
	reset_with_rc(fx, m, 5, 1, AP_RC_Q_NOT_AVAIL, -EIO);	/* 6.8+: 01 too */
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN,
				      "PQAP/ZAPQ for 05.0001 failed with invalid rc=1"), 1);
	reset_with_rc(fx, m, 5, 1, 0x0c, -EIO);
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN,
				      "PQAP/ZAPQ for 05.0001 failed with invalid rc=12"), 1);
	/* the valid codes say nothing */
	reset_with_rc(fx, m, 5, 1, AP_RC_DECONFIGURED, -EIO);
	reset_with_rc(fx, m, 5, 1, AP_RC_CHECKSTOPPED, -EIO);
	assert_int_equal(vap_mdev_reset(fx->md, m), 0);
	assert_int_equal(fx_log_total(fx), 3);
}

/* Upstream item 13: an accepted ZAPQ whose verifying TAPQ is not valid. */
static void test_filter_reset_verify_warns(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = mdev_0501(fx);

	/* the domain leaves the machine: TAPQ says 01 from now on */
	assert_int_equal(apb_hw_set_domain(fx->bus, 1, false), 0);
	assert_int_equal(apb_hw_inject_reset_rc(fx->bus, 5, 1, AP_RC_BUSY), 0);
	assert_int_equal(vap_mdev_reset(fx->md, m), -EIO);
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN,
				      "failed to verify reset of queue 05.0001: TAPQ rc=1"), 1);
	assert_int_equal(fx_log_total(fx), 1);
}

/* Before 6.8, ZAPQ 01 was an EBUSY case and nothing verified the reset. */
static void test_filter_reset_warns_60(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = mdev_0501(fx);

	reset_with_rc(fx, m, 5, 1, AP_RC_Q_NOT_AVAIL, -EIO);
	assert_int_equal(fx_log_total(fx), 0);
	reset_with_rc(fx, m, 5, 1, AP_RC_INVALID_ADDRESS, -EIO);
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN,
				      "PQAP/ZAPQ for 05.0001 failed with invalid rc=6"), 1);
	assert_int_equal(apb_hw_set_domain(fx->bus, 1, false), 0);
	assert_int_equal(apb_hw_inject_reset_rc(fx->bus, 5, 1, AP_RC_BUSY), 0);
	assert_int_equal(vap_mdev_reset(fx->md, m), -EIO);
	assert_int_equal(fx_log_total(fx), 1);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_filter_full_product_when_all_passable),
		FX_TEST(test_filter_adapter_needs_every_apqn_bound),
		FX_TEST(test_filter_ids_outside_host_config),
		FX_TEST(test_filter_adapters_only_and_domains_only),
		FX_TEST_VARIANT(test_filter_cve_2024_26620_whole_matrix, &cve_host),
		FX_TEST(test_filter_quirk_unassign_does_not_restore),
		FX_TEST(test_filter_quirk_restored_by_assign),
		FX_TEST(test_filter_quirk_restored_by_bind),
		FX_TEST(test_filter_quirk_restored_by_ap_config),
		FX_TEST(test_filter_newly_filtered_queues_are_reset),
		FX_TEST(test_filter_unchanged_shadow_resets_nothing),
		FX_TEST(test_filter_deconfigured_and_checkstopped_stay_passable),
		FX_TEST(test_filter_failed_reset_filters_adapter),
		FX_TEST(test_filter_busy_reset_retries_to_final_state),
		FX_TEST(test_filter_reset_invalid_rc_warns),
		FX_TEST(test_filter_reset_verify_warns),
		FX_TEST_VARIANT(test_filter_reset_warns_60, &fx_kernel_60),
	};

	fx_apply_test_filter(argc, argv);
	return cmocka_run_group_tests_name("filter", tests, NULL, NULL);
}
