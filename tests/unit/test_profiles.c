// SPDX-License-Identifier: GPL-2.0
/*
 * test_profiles.c - what the kernel profiles change in the engine
 * (kernel/common/ap_profile.h; docs/kernel-abi.md §0.2, §4.2, §4.7):
 *
 *  - bugs 1-4 of §4.7 in every upstream release from 6.0 to 7.0, fixed
 *    only in apvirt's "fixed" profile: removed control domains are AND-NOT
 *    the matrix, and "the shadow is still non-empty" stands for "the
 *    shadow changed";
 *  - the NULL kvm of 6.0-7.0's host configuration handling: not
 *    modelled, logged;
 *  - the sharing / in-use warnings before and after 6.15;
 *  - the request IRQ, its ioctls and the request callback from 6.5 on
 *    (first profile 6.10), the config-change IRQ index from 6.15 on;
 *  - the profile table itself.
 *
 * Standard host (fixture.h): adapters 3-6 (3 host-reserved), usage and
 * control domains 0-15.  Each test runs on the kernel its variant names.
 */
#include "fixture.h"

#include <string.h>

/*
 * One variant per profile, with what the test expects of it written out
 * here rather than asked of ap_profile_bug(): the fixes of §4.7 reached
 * mainline after 7.0, so every upstream profile has bugs 1-4.
 */
struct kernel_variant {
	struct fx_variant fx;
	const char *name;
	bool cfg_bugs;
};

#define KERNEL_VARIANT(var, kname, bugs)				\
	static void var##_tweak(struct apb_host_spec *spec)		\
	{								\
		spec->profile = ap_profile_find(kname);			\
	}								\
	static const struct kernel_variant var = {			\
		.fx = { .tweak = var##_tweak }, .name = kname, .cfg_bugs = bugs	\
	}

KERNEL_VARIANT(k60, "6.0", true);
KERNEL_VARIANT(k610, "6.10", true);
KERNEL_VARIANT(k612, "6.12", true);
KERNEL_VARIANT(k615, "6.15", true);
KERNEL_VARIANT(k619, "6.19", true);
KERNEL_VARIANT(k70, "7.0", true);
KERNEL_VARIANT(kfixed, "fixed", false);

static const struct kernel_variant *const kernel_variants[] = {
	&k60, &k610, &k612, &k615, &k619, &k70, &kfixed,
};

/* Whether the running test's kernel has bugs 1-4, from the table above. */
static bool buggy(struct fx *fx)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kernel_variants); i++)
		if (!strcmp(kernel_variants[i]->name, fx->md->profile->name))
			return kernel_variants[i]->cfg_bugs;
	fail_msg("no expectation for kernel %s", fx->md->profile->name);
	return false;
}

/* An attached guest on adapters @a.., domain 1, control domain 1; records cleared. */
static struct kvmm_guest *guest_on(struct fx *fx, struct vap_mdev *m, const int *apids)
{
	struct kvmm_guest *kvm;

	fx_write_ids(fx, m, "assign_adapter", apids);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	FX_WRITE_IDS(fx, m, "assign_control_domain", 1);
	kvm = fx_attach(fx, m);
	if (ap_profile_has(fx->md->profile, AP_FEAT_CFG_CHG_IRQ))
		assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_CFG_CHG_IRQ_INDEX,
						  &fx->trigger[1]), 0);
	fx_clear_records(fx);
	return kvm;
}

/* ---- bug 1: an assigned control domain leaves the host ----------------------- */

static void test_profile_cdom_removal(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm = guest_on(fx, m, FX_IDS(4));

	assert_int_equal(apb_hw_set_control_domain(fx->bus, 1, false), 0);
	apb_scan(fx->bus);
	if (buggy(fx)) {
		/* AND-NOT: the assigned domain is not "removed"; the guest keeps it */
		fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1), FX_IDS(1));
		assert_int_equal(fx->crycb_changes, 0);
		assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 0);
		/* ... until the next cdom filtering: an ap_config write, or before
		 * 6.10 the assignment of another control domain */
		if (ap_profile_has(fx->md->profile, AP_FEAT_AP_CONFIG)) {
			assert_int_equal(fx_write(fx, m, "ap_config",
						  fx_read(fx, m, "ap_config")), 201);
			fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1), FX_NONE);
			assert_string_equal(fx_read(fx, m, "control_domains"), "0001\n");
		} else {
			assert_int_equal(fx_write(fx, m, "assign_control_domain", "2"), 1);
			fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1), FX_IDS(2));
			assert_string_equal(fx_read(fx, m, "control_domains"), "0001\n0002\n");
		}
		assert_int_equal(fx->crycb_changes, 1);
		return;
	}
	fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1), FX_NONE);
	assert_int_equal(fx->crycb_changes, 1);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 1);
	/* the assignment is kept */
	assert_string_equal(fx_read(fx, m, "control_domains"), "0001\n");
}

/* ---- bug 2: a control domain the mdev does not hold leaves the host ------------ */

static void test_profile_cdom_removal_unassigned(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm = guest_on(fx, m, FX_IDS(4));
	bool cfg_chg = ap_profile_has(fx->md->profile, AP_FEAT_CFG_CHG_IRQ);

	assert_int_equal(apb_hw_set_control_domain(fx->bus, 9, false), 0);
	apb_scan(fx->bus);
	fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1), FX_IDS(1));
	/* upstream (to 7.0): one update that changes nothing (the shadow adm is non-empty) */
	assert_int_equal(fx->crycb_changes, buggy(fx) ? 1 : 0);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], buggy(fx) && cfg_chg ? 1 : 0);
}

/* ---- bug 3: a guest's only adapter leaves the host ---------------------------- */

static void test_profile_last_adapter_removal(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm = guest_on(fx, m, FX_IDS(5));

	assert_int_equal(apb_hw_set_adapter(fx->bus, 5, false), 0);
	apb_scan(fx->bus);
	/* the shadow loses it in every kernel ... */
	assert_string_equal(fx_read(fx, m, "guest_matrix"), ".0001\n");
	if (buggy(fx)) {
		/* ... but "non-empty" was taken for "changed": no update */
		fx_assert_crycb(kvm, FX_IDS(5), FX_IDS(1), FX_IDS(1));
		assert_int_equal(fx->crycb_changes, 0);
	} else {
		fx_assert_crycb(kvm, FX_NONE, FX_IDS(1), FX_IDS(1));
		assert_int_equal(fx->crycb_changes, 1);
	}
}

/* Same rule, the guest's only domain. */
static void test_profile_last_domain_removal(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm = guest_on(fx, m, FX_IDS(5));

	assert_int_equal(apb_hw_set_domain(fx->bus, 1, false), 0);
	apb_scan(fx->bus);
	fx_assert_crycb(kvm, FX_IDS(5), buggy(fx) ? FX_IDS(1) : FX_NONE, FX_IDS(1));
	assert_int_equal(fx->crycb_changes, buggy(fx) ? 0 : 1);
}

/* ---- bug 4: an assigned but filtered adapter leaves the host ------------------ */

static void test_profile_filtered_adapter_removal(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm = guest_on(fx, m, FX_IDS(4, 5));
	bool cfg_chg = ap_profile_has(fx->md->profile, AP_FEAT_CFG_CHG_IRQ);

	/* 05.0001 leaves vfio_ap: adapter 5 is filtered, 4 stays plugged */
	assert_int_equal(fx_vfio_unbind(fx, "05.0001"), 7);
	fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1), FX_IDS(1));
	fx_clear_records(fx);
	assert_int_equal(apb_hw_set_adapter(fx->bus, 5, false), 0);
	apb_scan(fx->bus);
	fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1), FX_IDS(1));
	assert_int_equal(fx->crycb_changes, buggy(fx) ? 1 : 0);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], buggy(fx) && cfg_chg ? 1 : 0);
}

/* ---- the NULL kvm of 6.0-7.0 ----------------------------------------------------- */

static const char *null_kvm_note(struct fx *fx)
{
	static char text[256];

	snprintf(text, sizeof(text), "vfio_ap_mdev " FX_UUID2 ": apvirt model: Linux %s "
		 "dereferences a NULL kvm pointer here (vfio_ap_mdev_cfg_remove); not modelled",
		 fx->md->profile->name);
	return text;
}

static void test_profile_null_kvm_noted(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	guest_on(fx, m, FX_IDS(4));
	fx_mdev(fx, FX_UUID2);		/* not attached */
	fx_clear_records(fx);
	assert_int_equal(apb_hw_set_adapter(fx->bus, 6, false), 0);
	apb_scan(fx->bus);
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN, null_kvm_note(fx)), 1);
	assert_int_equal(fx_log_total(fx), 1);
}

static void test_profile_null_kvm_fixed(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	guest_on(fx, m, FX_IDS(4));
	fx_mdev(fx, FX_UUID2);
	fx_clear_records(fx);
	assert_int_equal(apb_hw_set_adapter(fx->bus, 6, false), 0);
	apb_scan(fx->bus);
	assert_int_equal(fx_log_total(fx), 0);
}

/* ---- the sharing warnings before 6.15 ------------------------------------------ */

static void test_profile_old_sharing_text(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m1 = fx_mdev(fx, FX_UUID1), *m2 = fx_mdev(fx, FX_UUID2);

	FX_WRITE_IDS(fx, m1, "assign_adapter", 4);
	FX_WRITE_IDS(fx, m1, "assign_domain", 1);
	FX_WRITE_IDS(fx, m2, "assign_domain", 1);
	fx_clear_records(fx);
	assert_int_equal(fx_write(fx, m2, "assign_adapter", "4"), -EADDRINUSE);
	/* on the other mdev, naming itself */
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN, "vfio_ap_mdev " FX_UUID1
				      ": Userspace may not re-assign queue 04.0001 already "
				      "assigned to " FX_UUID1), 1);
	fx_clear_records(fx);
	/* in_use: the same text */
	assert_int_equal(fx_bus_write(fx, "apmask", "+4"), -EBUSY);
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN, "vfio_ap_mdev " FX_UUID1
				      ": Userspace may not re-assign queue 04.0001 already "
				      "assigned to " FX_UUID1), 1);
	assert_int_equal(fx_log_total(fx), 1);
}

/* ---- the config-change IRQ index ----------------------------------------------- */

static void test_profile_no_cfg_chg_irq_before_615(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_CFG_CHG_IRQ_INDEX, &fx->trigger[1]),
			 -EINVAL);
	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_REQ_IRQ_INDEX, &fx->trigger[0]), 0);
	assert_null(m->cfg_chg_trigger);
}

/* ---- the request IRQ (6.5; first profile 6.10) ---------------------------------- */

#define NO_REQ_NOTICE	"vfio_ap_mdev " FX_UUID1 \
			": No device request registered, blocked until released by user"

/*
 * 6.0's vfio_ap has no request callback and no IRQ ioctls: GET_INFO says
 * num_irqs 0, GET_IRQ_INFO and SET_IRQS fall to the ioctl's default case
 * (EOPNOTSUPP) for every index, and a removal waiting for the close
 * leaves the guest's CRYCB alone, signals nothing and logs nothing.
 */
static void test_profile_no_req_irq_before_65(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;
	u32 count = 7, flags = 7;
	unsigned int i;

	assert_int_equal(vap_mdev_num_irqs(fx->md), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(vap_mdev_get_irq_info(fx->md, i, &count, &flags), -EOPNOTSUPP);
		assert_int_equal(vap_mdev_set_irq(fx->md, m, i, &fx->trigger[0]), -EOPNOTSUPP);
		assert_int_equal(vap_mdev_set_irq(fx->md, m, i, NULL), -EOPNOTSUPP);
	}
	assert_int_equal(count, 7);
	assert_int_equal(flags, 7);
	assert_null(m->req_trigger);
	assert_null(m->cfg_chg_trigger);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	kvm = fx_attach(fx, m);
	fx_clear_records(fx);
	assert_int_equal(fx_write(fx, m, "remove", "1"), -EBUSY);
	for (i = 0; i < 12; i++)
		vap_mdev_request(fx->md, m, i);
	fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1), FX_NONE);
	assert_int_equal(fx->crycb_changes, 0);
	assert_int_equal(fx->signals[VAP_REQ_IRQ_INDEX], 0);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 0);
	assert_int_equal(fx_log_total(fx), 0);
	/* the close still ends it */
	vap_mdev_close(fx->md, m);
	fx_assert_crycb(kvm, FX_NONE, FX_NONE, FX_NONE);
	assert_int_equal(fx_write(fx, m, "remove", "1"), 1);
	assert_int_equal(fx->mdevc.nr, 0);
}

/* 6.10 (6.5-6.14): one IRQ, the request index; index 1 is EINVAL. */
static void test_profile_req_irq_from_65(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;
	u32 count = 0, flags = 0;

	assert_int_equal(vap_mdev_num_irqs(fx->md), 1);
	assert_int_equal(vap_mdev_get_irq_info(fx->md, VAP_REQ_IRQ_INDEX, &count, &flags), 0);
	assert_int_equal(count, 1);
	assert_int_equal(flags, VAP_IRQ_INFO_EVENTFD);
	assert_int_equal(vap_mdev_get_irq_info(fx->md, VAP_CFG_CHG_IRQ_INDEX, &count, &flags),
			 -EINVAL);
	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_CFG_CHG_IRQ_INDEX, &fx->trigger[1]),
			 -EINVAL);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	kvm = fx_attach(fx, m);
	fx_clear_records(fx);
	/* no trigger: the CRYCB is cleared, the notice logged once */
	vap_mdev_request(fx->md, m, 0);
	vap_mdev_request(fx->md, m, 1);
	fx_assert_crycb(kvm, FX_NONE, FX_NONE, FX_NONE);
	assert_int_equal(fx_log_count(fx, VAP_LOG_NOTICE, NO_REQ_NOTICE), 1);
	assert_int_equal(fx_log_total(fx), 1);
	/* a trigger: relayed */
	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_REQ_IRQ_INDEX, &fx->trigger[0]), 0);
	vap_mdev_request(fx->md, m, 2);
	assert_int_equal(fx->signals[VAP_REQ_IRQ_INDEX], 1);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 0);
}

/* 6.15 on: both indexes. */
static void test_profile_two_irqs_from_615(void **state)
{
	struct fx *fx = *state;
	u32 count = 0, flags = 0;

	assert_int_equal(vap_mdev_num_irqs(fx->md), 2);
	assert_int_equal(vap_mdev_get_irq_info(fx->md, VAP_CFG_CHG_IRQ_INDEX, &count, &flags), 0);
	assert_int_equal(count, 1);
	assert_int_equal(flags, VAP_IRQ_INFO_EVENTFD);
	assert_int_equal(vap_mdev_get_irq_info(fx->md, 2, &count, &flags), -EINVAL);
}

/* ---- the table ------------------------------------------------------------------ */

static void test_profile_table(void **state)
{
	char names[128] = "";
	unsigned int i;

	for (i = 0; i < ap_nr_profiles; i++) {
		if (i)
			strcat(names, " ");
		strcat(names, ap_profiles[i].name);
	}
	assert_string_equal(names, ap_profile_names());
	assert_string_equal(ap_profile_default()->name, "7.0");
	assert_null(ap_profile_find("6.3"));
	assert_null(ap_profile_find(NULL));
	assert_false(ap_profile_has(ap_profile_find("6.0"), AP_FEAT_AP_CONFIG));
	assert_true(ap_profile_has(ap_profile_find("6.10"), AP_FEAT_AP_CONFIG));
	assert_false(ap_profile_has(ap_profile_find("6.10"), AP_FEAT_MATRIX_FEATURES));
	assert_true(ap_profile_has(ap_profile_find("6.12"), AP_FEAT_MATRIX_FEATURES));
	assert_false(ap_profile_has(ap_profile_find("6.0"), AP_FEAT_REQ_IRQ));
	assert_true(ap_profile_has(ap_profile_find("6.10"), AP_FEAT_REQ_IRQ));
	assert_false(ap_profile_has(ap_profile_find("6.0"), AP_FEAT_BUS_FEATURES));
	assert_true(ap_profile_has(ap_profile_find("6.10"), AP_FEAT_BUS_FEATURES));
	assert_false(ap_profile_has(ap_profile_find("6.0"), AP_FEAT_QUEUE_AP_FUNCTIONS));
	assert_true(ap_profile_has(ap_profile_find("6.10"), AP_FEAT_QUEUE_AP_FUNCTIONS));
	assert_false(ap_profile_has(ap_profile_find("6.0"), AP_FEAT_POLL_TIMEOUT_KSTRTOUL));
	assert_true(ap_profile_has(ap_profile_find("6.10"), AP_FEAT_POLL_TIMEOUT_KSTRTOUL));
	assert_false(ap_profile_has(ap_profile_find("6.12"), AP_FEAT_CFG_CHG_IRQ));
	assert_true(ap_profile_has(ap_profile_find("6.15"), AP_FEAT_NEW_SHARING_TEXT));
	assert_false(ap_profile_has(ap_profile_find("6.15"), AP_FEAT_IN_USE_ALL_ONES));
	assert_true(ap_profile_has(ap_profile_find("6.19"), AP_FEAT_DRIVER_OVERRIDE));
	for (i = 0; i < ARRAY_SIZE(kernel_variants); i++) {
		const struct ap_profile *p = ap_profile_find(kernel_variants[i]->name);
		bool bugs = kernel_variants[i]->cfg_bugs;

		assert_non_null(p);
		assert_int_equal(ap_profile_bug(p, AP_BUG_CFG_REMOVE_CDOM_ANDNOT), bugs);
		assert_int_equal(ap_profile_bug(p, AP_BUG_HOT_UNPLUG_CFG_NONEMPTY), bugs);
		assert_int_equal(ap_profile_bug(p, AP_BUG_CFG_NULL_KVM), bugs);
	}
	assert_int_equal(ARRAY_SIZE(kernel_variants), ap_nr_profiles);
	assert_string_equal(ap_profile_find("7.0")->what, "Linux 7.0: newest upstream");
	assert_string_equal(ap_profile_find("fixed")->what,
			    "apvirt's own: Linux 7.0 with the host-config fixes");
}

#define ON(test, variant)	FX_TEST_VARIANT(test, &variant.fx)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		ON(test_profile_cdom_removal, k60),
		ON(test_profile_cdom_removal, k610),
		ON(test_profile_cdom_removal, k612),
		ON(test_profile_cdom_removal, k615),
		ON(test_profile_cdom_removal, k619),
		ON(test_profile_cdom_removal, k70),
		ON(test_profile_cdom_removal, kfixed),
		ON(test_profile_cdom_removal_unassigned, k60),
		ON(test_profile_cdom_removal_unassigned, k610),
		ON(test_profile_cdom_removal_unassigned, k612),
		ON(test_profile_cdom_removal_unassigned, k615),
		ON(test_profile_cdom_removal_unassigned, k619),
		ON(test_profile_cdom_removal_unassigned, k70),
		ON(test_profile_cdom_removal_unassigned, kfixed),
		ON(test_profile_last_adapter_removal, k60),
		ON(test_profile_last_adapter_removal, k610),
		ON(test_profile_last_adapter_removal, k612),
		ON(test_profile_last_adapter_removal, k615),
		ON(test_profile_last_adapter_removal, k619),
		ON(test_profile_last_adapter_removal, k70),
		ON(test_profile_last_adapter_removal, kfixed),
		ON(test_profile_last_domain_removal, k60),
		ON(test_profile_last_domain_removal, k610),
		ON(test_profile_last_domain_removal, k612),
		ON(test_profile_last_domain_removal, k615),
		ON(test_profile_last_domain_removal, k619),
		ON(test_profile_last_domain_removal, k70),
		ON(test_profile_last_domain_removal, kfixed),
		ON(test_profile_filtered_adapter_removal, k60),
		ON(test_profile_filtered_adapter_removal, k610),
		ON(test_profile_filtered_adapter_removal, k612),
		ON(test_profile_filtered_adapter_removal, k615),
		ON(test_profile_filtered_adapter_removal, k619),
		ON(test_profile_filtered_adapter_removal, k70),
		ON(test_profile_filtered_adapter_removal, kfixed),
		ON(test_profile_null_kvm_noted, k60),
		ON(test_profile_null_kvm_noted, k610),
		ON(test_profile_null_kvm_noted, k612),
		ON(test_profile_null_kvm_noted, k615),
		ON(test_profile_null_kvm_noted, k619),
		ON(test_profile_null_kvm_noted, k70),
		ON(test_profile_null_kvm_fixed, kfixed),
		ON(test_profile_old_sharing_text, k60),
		ON(test_profile_no_cfg_chg_irq_before_615, k610),
		ON(test_profile_no_req_irq_before_65, k60),
		ON(test_profile_req_irq_from_65, k610),
		ON(test_profile_two_irqs_from_615, k615),
		ON(test_profile_two_irqs_from_615, k70),
		cmocka_unit_test(test_profile_table),
	};

	fx_apply_test_filter(argc, argv);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
