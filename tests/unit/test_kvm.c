// SPDX-License-Identifier: GPL-2.0
/*
 * test_kvm.c - attach (open_device), detach (close_device), the device
 * request and removal of an open mdev, VFIO_DEVICE_RESET
 * (docs/kernel-abi.md §2.6, §4.8, §4.9; checklist items 42-44, and the
 * engine side of 45).
 *
 * Standard host (fixture.h): adapters 4-6 bound to vfio_ap, domains 0-15.
 */
#include "fixture.h"

#include <string.h>
#include <unistd.h>

#define NO_REQ_NOTICE	"vfio_ap_mdev " FX_UUID1 \
			": No device request registered, blocked until released by user"

/* ---- item 42: attach --------------------------------------------------------- */

static void test_kvm_attach_sets_crycb_to_shadow(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm = fx_kvm(fx, true, true);

	assert_int_equal(fx_vfio_unbind(fx, "06.0002"), 7);
	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 6);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 2, 0x40);
	FX_WRITE_IDS(fx, m, "assign_control_domain", 3, 0x40);
	fx_clear_records(fx);
	assert_int_equal(vap_mdev_open(fx->md, m, fx_ap(kvm)), 0);
	assert_ptr_equal(m->kvm, fx_ap(kvm));
	assert_ptr_equal(kvm->kvm.pqap_hook, m);
	/* the shadow, not the matrix: no adapter 6, no domain/cdom 0x40 */
	fx_assert_crycb(kvm, FX_IDS(4), FX_IDS(1, 2), FX_IDS(3));
	assert_int_equal(fx->crycb_changes, 1);
	assert_string_equal(fx_resets(fx), "");
	assert_string_equal(fx_status(fx, 4, 2), "in use\n");
}

static void test_kvm_second_mdev_same_vm_is_eperm(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m1 = fx_mdev(fx, FX_UUID1);
	struct vap_mdev *m2 = fx_mdev(fx, FX_UUID2);
	struct kvmm_guest *kvm = fx_attach(fx, m1);

	FX_WRITE_IDS(fx, m2, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m2, "assign_domain", 5);
	fx_clear_records(fx);
	assert_int_equal(vap_mdev_open(fx->md, m2, fx_ap(kvm)), -EPERM);
	assert_null(m2->kvm);
	assert_false(m2->open);
	assert_ptr_equal(kvm->kvm.pqap_hook, m1);
	assert_int_equal(fx->crycb_changes, 0);
	assert_string_equal(fx_status(fx, 5, 5), "assigned\n");
	/* once m1 is detached, m2 may attach */
	vap_mdev_close(fx->md, m1);
	assert_int_equal(vap_mdev_open(fx->md, m2, fx_ap(kvm)), 0);
	fx_assert_crycb(kvm, FX_IDS(5), FX_IDS(5), FX_NONE);
}

static void test_kvm_vm_without_crycb_opens_unattached(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm = fx_kvm(fx, false, true);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	fx_clear_records(fx);
	assert_int_equal(vap_mdev_open(fx->md, m, fx_ap(kvm)), 0);
	assert_null(m->kvm);
	assert_null(kvm->kvm.pqap_hook);
	assert_int_equal(kvm->crycb_updates, 0);
	assert_string_equal(fx_status(fx, 4, 1), "assigned\n");
	FX_WRITE_IDS(fx, m, "assign_domain", 2);
	assert_int_equal(fx->crycb_changes, 0);
	vap_mdev_close(fx->md, m);
	assert_string_equal(fx_resets(fx), "");
}

static void test_kvm_open_without_kvm_is_einval(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(vap_mdev_open(fx->md, m, NULL), -EINVAL);
	assert_false(m->open);
	assert_null(m->kvm);
}

static void test_kvm_open_twice_is_ebusy(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm = fx_attach(fx, m);
	struct kvmm_guest *other = fx_kvm(fx, true, true);

	assert_int_equal(vap_mdev_open(fx->md, m, fx_ap(other)), -EBUSY);
	assert_ptr_equal(m->kvm, fx_ap(kvm));
	assert_null(other->kvm.pqap_hook);
}

/* ---- item 43: detach --------------------------------------------------------- */

static void test_kvm_detach_zeroes_crycb_and_resets_linked(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;

	/* 06.0002 unbound: adapter 6 filtered, 06.0001 linked all the same */
	assert_int_equal(fx_vfio_unbind(fx, "06.0002"), 7);
	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 6);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 2);
	FX_WRITE_IDS(fx, m, "assign_control_domain", 3);
	kvm = fx_attach(fx, m);
	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_CFG_CHG_IRQ_INDEX,
					  &fx->trigger[1]), 0);
	fx_clear_records(fx);
	vap_mdev_close(fx->md, m);
	fx_assert_crycb(kvm, FX_NONE, FX_NONE, FX_NONE);
	assert_int_equal(fx->crycb_changes, 1);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 0);
	/* all linked queues, passed through or not */
	assert_string_equal(fx_resets(fx), "04.0001,04.0002,06.0001");
	assert_null(m->kvm);
	assert_false(m->open);
	assert_null(kvm->kvm.pqap_hook);
	/* assignments and the shadow survive */
	assert_string_equal(fx_read(fx, m, "matrix"),
			    "04.0001\n04.0002\n06.0001\n06.0002\n");
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "04.0001\n04.0002\n");
	assert_string_equal(fx_read(fx, m, "control_domains"), "0003\n");
	assert_string_equal(fx_status(fx, 4, 1), "assigned\n");
}

/* ---- item 44: request and removal of an open mdev ------------------------------ */

static void test_kvm_remove_while_open_waits_for_close(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm;

	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 2);
	kvm = fx_attach(fx, m);
	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_CFG_CHG_IRQ_INDEX,
					  &fx->trigger[1]), 0);
	fx_clear_records(fx);
	/* the engine reports "still open"; the kernel host blocks and requests */
	assert_int_equal(fx_write(fx, m, "remove", "1"), -EBUSY);
	assert_int_equal(vap_mdev_remove(fx->md, m), -EBUSY);
	assert_int_equal(fx->mdevc.nr, 1);
	assert_string_equal(fx_resets(fx), "");

	vap_mdev_request(fx->md, m, 0);
	fx_assert_crycb(kvm, FX_NONE, FX_NONE, FX_NONE);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 1);
	assert_int_equal(fx_log_count(fx, VAP_LOG_NOTICE, NO_REQ_NOTICE), 1);
	vap_mdev_request(fx->md, m, 1);
	vap_mdev_request(fx->md, m, 2);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 3);
	assert_int_equal(fx_log_count(fx, VAP_LOG_NOTICE, NO_REQ_NOTICE), 1);	/* once */
	assert_int_equal(fx_log_total(fx), 1);
	assert_int_equal(fx->signals[VAP_REQ_IRQ_INDEX], 0);

	/* user space closes: the close resets, the removal completes */
	vap_mdev_close(fx->md, m);
	assert_string_equal(fx_resets(fx), "04.0001,04.0002");
	fx_clear_records(fx);
	assert_int_equal(fx_write(fx, m, "remove", "1"), 1);
	assert_string_equal(fx_resets(fx), "04.0001,04.0002");
	assert_int_equal(fx->mdevc.nr, 0);
	assert_string_equal(fx_status(fx, 4, 1), "unassigned\n");
	assert_null(fx->md->queues[4][1].mdev);
	assert_int_equal(fx_queue_drv(fx, 4, 1), APB_DRV_VFIO_AP);
}

static void test_kvm_request_relays_to_registered_eventfd(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	unsigned int count;

	fx_attach(fx, m);
	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_REQ_IRQ_INDEX, &fx->trigger[0]), 0);
	fx_clear_records(fx);
	for (count = 0; count <= 10; count++)
		vap_mdev_request(fx->md, m, count);
	assert_int_equal(fx->signals[VAP_REQ_IRQ_INDEX], 11);
	assert_ptr_equal(fx->last_trigger[VAP_REQ_IRQ_INDEX], &fx->trigger[0]);
	/* no config-change trigger registered */
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 0);
	assert_int_equal(fx->crycb_changes, 11);
	/* every 10th request is logged */
	assert_int_equal(fx_log_count(fx, VAP_LOG_NOTICE, "vfio_ap_mdev " FX_UUID1
				      ": Relaying device request to user (#0)"), 1);
	assert_int_equal(fx_log_count(fx, VAP_LOG_NOTICE, "vfio_ap_mdev " FX_UUID1
				      ": Relaying device request to user (#10)"), 1);
	assert_int_equal(fx_log_total(fx), 2);
}

static void test_kvm_request_while_detached(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_CFG_CHG_IRQ_INDEX,
					  &fx->trigger[1]), 0);
	vap_mdev_request(fx->md, m, 0);
	assert_int_equal(fx->crycb_changes, 0);
	assert_int_equal(fx->signals[VAP_CFG_CHG_IRQ_INDEX], 0);
	assert_int_equal(fx_log_count(fx, VAP_LOG_NOTICE, NO_REQ_NOTICE), 1);
}

/* The kernel host's blocking removal: request until user space closes. */
struct remover {
	struct fx *fx;
	struct vap_mdev *m;
	long result;
	unsigned int requests;
};

static void *remove_blocking(void *arg)
{
	struct remover *r = arg;
	long rc;

	while ((rc = fx_write(r->fx, r->m, "remove", "1")) == -EBUSY) {
		vap_mdev_request(r->fx->md, r->m, r->requests++);
		usleep(1000);
	}
	r->result = rc;
	return NULL;
}

static bool request_signalled(struct fx *fx)
{
	bool signalled;

	pthread_mutex_lock(&fx->rec_lock);
	signalled = fx->signals[VAP_REQ_IRQ_INDEX] > 0;
	pthread_mutex_unlock(&fx->rec_lock);
	return signalled;
}

static void test_kvm_blocking_remove_completes_after_close(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct remover r = { .fx = fx, .m = m };
	pthread_t thread;

	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 5);
	fx_attach(fx, m);
	assert_int_equal(vap_mdev_set_irq(fx->md, m, VAP_REQ_IRQ_INDEX, &fx->trigger[0]), 0);
	fx_clear_records(fx);
	assert_int_equal(pthread_create(&thread, NULL, remove_blocking, &r), 0);
	/* "user space" sees the request eventfd and closes the device */
	while (!request_signalled(fx))
		usleep(1000);
	vap_mdev_close(fx->md, m);
	assert_int_equal(pthread_join(thread, NULL), 0);
	assert_int_equal(r.result, 1);
	assert_true(r.requests >= 1);
	assert_int_equal(fx->mdevc.nr, 0);
	assert_string_equal(fx_status(fx, 5, 5), "unassigned\n");
}

/* ---- item 45 (engine side): VFIO_DEVICE_RESET -------------------------------------- */

static void test_kvm_device_reset_eio_for_any_nonzero_rc(void **state)
{
	static const u8 rcs[] = { AP_RC_DECONFIGURED, AP_RC_CHECKSTOPPED, AP_RC_Q_NOT_AVAIL,
				  AP_RC_INVALID_ADDRESS };
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	size_t i;

	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	fx_clear_records(fx);
	assert_int_equal(vap_mdev_reset(fx->md, m), 0);
	assert_string_equal(fx_resets(fx), "04.0001,05.0001");
	for (i = 0; i < ARRAY_SIZE(rcs); i++) {
		assert_int_equal(apb_hw_inject_reset_rc(fx->bus, 5, 1, rcs[i]), 0);
		assert_int_equal(vap_mdev_reset(fx->md, m), -EIO);
		assert_int_equal(fx->md->queues[5][1].reset_rc, rcs[i]);
		assert_int_equal(fx->md->queues[4][1].reset_rc, AP_RC_NORMAL);
	}
	assert_int_equal(vap_mdev_reset(fx->md, m), 0);
}

static void test_kvm_reset_count_matches_zapqs(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	unsigned long before = fx->md->reset_count;

	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5, 6);
	FX_WRITE_IDS(fx, m, "assign_domain", 1, 2);
	fx_clear_records(fx);
	assert_int_equal(vap_mdev_reset(fx->md, m), 0);
	assert_int_equal(fx->md->reset_count - before, 6);
	assert_int_equal(fx_zapq_total(fx), 6);
	assert_int_equal(fx_zapq(fx, 6, 2), 1);
}

/* ---- the PQAP hook and AQIC routing (§4.11; item 45's engine side) ------------- */

/* A model guest whose ops also record set_pqap_hook (the s390 module's op). */
struct hook_rec {
	struct ap_kvm_ops ops;
	void *owner;
	unsigned int calls;
};

static struct hook_rec hook_rec;

static void hook_rec_set(struct ap_kvm *kvm, void *owner)
{
	(void)kvm;
	hook_rec.owner = owner;
	hook_rec.calls++;
}

static int aqic_rc;
static unsigned int aqic_calls;

static int aqic_fn(void *arg)
{
	assert_ptr_equal(arg, &aqic_calls);
	aqic_calls++;
	return aqic_rc;
}

static void test_kvm_pqap_hook_follows_attach(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *kvm = fx_kvm(fx, true, true);

	memset(&hook_rec, 0, sizeof(hook_rec));
	hook_rec.ops = *kvm->kvm.ops;
	hook_rec.ops.set_pqap_hook = hook_rec_set;
	kvm->kvm.ops = &hook_rec.ops;
	assert_int_equal(vap_mdev_open(fx->md, m, fx_ap(kvm)), 0);
	assert_ptr_equal(hook_rec.owner, m);
	assert_int_equal(hook_rec.calls, 1);
	/* a refused open leaves the hook alone */
	assert_int_equal(vap_mdev_open(fx->md, fx_mdev(fx, FX_UUID2), fx_ap(kvm)), -EPERM);
	assert_int_equal(hook_rec.calls, 1);
	vap_mdev_close(fx->md, m);
	assert_null(hook_rec.owner);
	assert_int_equal(hook_rec.calls, 2);
}

static void test_kvm_aqic_only_for_linked_queues_of_attached(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	aqic_calls = 0;
	aqic_rc = AP_RC_NORMAL;
	/* linked but not attached: rc 01, the host AQIC is not issued */
	assert_int_equal(vap_mdev_aqic(fx->md, m, 4, 1, aqic_fn, &aqic_calls), AP_RC_Q_NOT_AVAIL);
	assert_int_equal(aqic_calls, 0);
	fx_attach(fx, m);
	assert_int_equal(vap_mdev_aqic(fx->md, m, 4, 1, aqic_fn, &aqic_calls), AP_RC_NORMAL);
	assert_int_equal(aqic_calls, 1);
	aqic_rc = AP_RC_INVALID_ADDRESS;
	assert_int_equal(vap_mdev_aqic(fx->md, m, 4, 1, aqic_fn, &aqic_calls),
			 AP_RC_INVALID_ADDRESS);
	/* not linked (domain 2 unassigned, adapter 3 host-owned): rc 01 */
	assert_int_equal(vap_mdev_aqic(fx->md, m, 4, 2, aqic_fn, &aqic_calls), AP_RC_Q_NOT_AVAIL);
	assert_int_equal(vap_mdev_aqic(fx->md, m, 3, 1, aqic_fn, &aqic_calls), AP_RC_Q_NOT_AVAIL);
	/* unbound from vfio_ap: unlinked, so rc 01 although still assigned */
	assert_int_equal(fx_vfio_unbind(fx, "04.0001"), 7);
	assert_int_equal(vap_mdev_aqic(fx->md, m, 4, 1, aqic_fn, &aqic_calls), AP_RC_Q_NOT_AVAIL);
	assert_int_equal(aqic_calls, 2);
	vap_mdev_close(fx->md, m);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_kvm_attach_sets_crycb_to_shadow),
		FX_TEST(test_kvm_second_mdev_same_vm_is_eperm),
		FX_TEST(test_kvm_vm_without_crycb_opens_unattached),
		FX_TEST(test_kvm_open_without_kvm_is_einval),
		FX_TEST(test_kvm_open_twice_is_ebusy),
		FX_TEST(test_kvm_detach_zeroes_crycb_and_resets_linked),
		FX_TEST(test_kvm_remove_while_open_waits_for_close),
		FX_TEST(test_kvm_request_relays_to_registered_eventfd),
		FX_TEST(test_kvm_request_while_detached),
		FX_TEST(test_kvm_blocking_remove_completes_after_close),
		FX_TEST(test_kvm_device_reset_eio_for_any_nonzero_rc),
		FX_TEST(test_kvm_reset_count_matches_zapqs),
		FX_TEST(test_kvm_pqap_hook_follows_attach),
		FX_TEST(test_kvm_aqic_only_for_linked_queues_of_attached),
	};

	fx_apply_test_filter(argc, argv);
	return cmocka_run_group_tests_name("kvm", tests, NULL, NULL);
}
