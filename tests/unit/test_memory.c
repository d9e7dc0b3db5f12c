// SPDX-License-Identifier: GPL-2.0
/*
 * test_memory.c - the engine's memory, as a kernel module needs it: the
 * per-mdev qtable exists only while a queue is linked, and every
 * allocation of create, probe, assign and ap_config can fail with -ENOMEM
 * and nothing changed (kernel/core/vfio_ap_core.c, "The qtable").
 *
 * Fault injection is compat_user.c's apc_alloc_fail_nth(): each test makes
 * the 1st, 2nd, ... allocation of one operation fail until the operation
 * succeeds, and after each failure reads back everything a user sees
 * (matrix, guest_matrix, control_domains, ap_config, the guest's CRYCB,
 * queue drivers, ZAPQs) plus the qtable and the bytes the engine holds.
 */
#include "fixture.h"

#include <stdlib.h>
#include <string.h>

#define QTABLE_BYTES	(sizeof(struct apbm) * APBM_BITS)

/* What a user (and the qtable) shows of one mdev, its guest and the host. */
struct mem_snap {
	char matrix[APC_PAGE_SIZE + 1];
	char guest_matrix[APC_PAGE_SIZE + 1];
	char control_domains[APC_PAGE_SIZE + 1];
	char ap_config[APC_PAGE_SIZE + 1];
	struct kvmm_crycb crycb;
	enum apb_drv drv[APBM_BITS];	/* the queues of adapter 4: bus driver, */
	bool bound[APBM_BITS];		/* bound in the engine */
	unsigned int nr_linked;
	bool has_qtable;
	struct apbm linked[APBM_BITS];
	unsigned long zapqs;
	size_t bytes;
};

static void copy_attr(struct fx *fx, struct vap_mdev *m, const char *attr, char *out)
{
	snprintf(out, APC_PAGE_SIZE + 1, "%s", fx_read(fx, m, attr));
}

static void snap(struct fx *fx, struct vap_mdev *m, struct kvmm_guest *g, struct mem_snap *s)
{
	unsigned int id;

	memset(s, 0, sizeof(*s));
	copy_attr(fx, m, "matrix", s->matrix);
	copy_attr(fx, m, "guest_matrix", s->guest_matrix);
	copy_attr(fx, m, "control_domains", s->control_domains);
	copy_attr(fx, m, "ap_config", s->ap_config);
	if (g)
		kvmm_guest_crycb(g, &s->crycb);
	for (id = 0; id < APBM_BITS; id++) {
		s->drv[id] = fx_queue_drv(fx, 4, id);
		s->bound[id] = fx->md->queues[4][id].bound;
		s->linked[id] = *vap_mdev_linked(m, id);
	}
	s->nr_linked = m->nr_linked;
	s->has_qtable = m->linked;
	s->zapqs = fx_zapq_total(fx);
	s->bytes = apc_alloc_bytes();
}

static void assert_snap_equal(const struct mem_snap *a, const struct mem_snap *b)
{
	assert_string_equal(a->matrix, b->matrix);
	assert_string_equal(a->guest_matrix, b->guest_matrix);
	assert_string_equal(a->control_domains, b->control_domains);
	assert_string_equal(a->ap_config, b->ap_config);
	assert_memory_equal(&a->crycb, &b->crycb, sizeof(a->crycb));
	assert_memory_equal(a->drv, b->drv, sizeof(a->drv));
	assert_memory_equal(a->bound, b->bound, sizeof(a->bound));
	assert_int_equal(a->nr_linked, b->nr_linked);
	assert_int_equal(a->has_qtable, b->has_qtable);
	assert_memory_equal(a->linked, b->linked, sizeof(a->linked));
	assert_int_equal(a->zapqs, b->zapqs);
	assert_int_equal(a->bytes, b->bytes);
}

/* One operation on @m, as text written to @attr (an mdev attribute or "bind"). */
struct mem_op {
	const char *attr;
	const char *text;
};

static long run_op(struct fx *fx, struct vap_mdev *m, const struct mem_op *op)
{
	if (!strcmp(op->attr, "bind"))
		return fx_vfio_bind(fx, op->text);
	return fx_write(fx, m, op->attr, op->text);
}

/*
 * Fail the 1st, 2nd, ... allocation of @op until it runs without a
 * failure: every failed run must return -ENOMEM and change nothing.  The
 * last run must return strlen(text).  Return: how many allocations the
 * operation made (the failures seen).
 */
static unsigned int fail_each_allocation(struct fx *fx, struct vap_mdev *m,
					 struct kvmm_guest *g, const struct mem_op *op)
{
	struct mem_snap *before = calloc(1, sizeof(*before));
	struct mem_snap *after = calloc(1, sizeof(*after));
	unsigned int n;
	bool failed;
	long rc;

	assert_non_null(before);
	assert_non_null(after);
	for (n = 1;; n++) {
		snap(fx, m, g, before);
		apc_alloc_fail_nth(n);
		rc = run_op(fx, m, op);
		failed = apc_alloc_failed();
		apc_alloc_fail_nth(0);
		if (!failed)
			break;
		assert_int_equal(rc, -ENOMEM);
		snap(fx, m, g, after);
		assert_snap_equal(before, after);
	}
	assert_int_equal(rc, (long)strlen(op->text));
	free(before);
	free(after);
	return n - 1;
}

/* An attached mdev holding domains 1 and 2 and control domain 1, no adapter. */
static struct vap_mdev *mdev_without_adapters(struct fx *fx, struct kvmm_guest **g)
{
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	FX_WRITE_IDS(fx, m, "assign_domain", 1, 2);
	FX_WRITE_IDS(fx, m, "assign_control_domain", 1);
	*g = fx_attach(fx, m);
	assert_null(m->linked);
	return m;
}

static void test_memory_new_mdev_has_no_qtable(void **state)
{
	struct fx *fx = *state;
	size_t before = apc_alloc_bytes();
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_null(m->linked);
	assert_int_equal(m->nr_linked, 0);
	/* the mdev core's device and the engine's mdev, nothing else */
	assert_int_equal(apc_alloc_bytes() - before,
			 sizeof(struct mdevc_dev) + sizeof(struct vap_mdev));
	assert_true(sizeof(struct vap_mdev) < 1024);
}

/* assign_adapter links the first queues: one allocation, -ENOMEM first. */
static void test_memory_assign_adapter_enomem_changes_nothing(void **state)
{
	static const struct mem_op op = { "assign_adapter", "4" };
	struct fx *fx = *state;
	struct kvmm_guest *g;
	struct vap_mdev *m = mdev_without_adapters(fx, &g);

	assert_int_equal(fail_each_allocation(fx, m, g, &op), 1);
	assert_int_equal(m->nr_linked, 2);
	assert_non_null(m->linked);
	fx_assert_crycb(g, FX_IDS(4), FX_IDS(1, 2), FX_IDS(1));
}

static void test_memory_assign_domain_enomem_changes_nothing(void **state)
{
	static const struct mem_op op = { "assign_domain", "1" };
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *g;

	FX_WRITE_IDS(fx, m, "assign_adapter", 4, 5);
	g = fx_attach(fx, m);
	assert_null(m->linked);
	assert_int_equal(fail_each_allocation(fx, m, g, &op), 1);
	assert_int_equal(m->nr_linked, 2);
	fx_assert_crycb(g, FX_IDS(4, 5), FX_IDS(1), FX_NONE);
}

static void test_memory_ap_config_enomem_changes_nothing(void **state)
{
	struct fx *fx = *state;
	char cfg[3 * 67 + 1], apm[67], aqm[67], adm[67];
	struct mem_op op = { "ap_config", cfg };
	struct kvmm_guest *g;
	struct vap_mdev *m = mdev_without_adapters(fx, &g);

	snprintf(cfg, sizeof(cfg), "%s,%s,%s\n", fx_hexmask(apm, FX_IDS(4, 5)),
		 fx_hexmask(aqm, FX_IDS(1, 3)), fx_hexmask(adm, FX_IDS(2)));
	assert_int_equal(fail_each_allocation(fx, m, g, &op), 1);
	assert_int_equal(m->nr_linked, 4);
	fx_assert_crycb(g, FX_IDS(4, 5), FX_IDS(1, 3), FX_IDS(2));
}

/* Once the qtable exists, linking more allocates nothing. */
static void test_memory_more_links_allocate_nothing(void **state)
{
	static const struct mem_op op = { "assign_adapter", "5" };
	struct fx *fx = *state;
	struct kvmm_guest *g;
	struct vap_mdev *m = mdev_without_adapters(fx, &g);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	assert_int_equal(fail_each_allocation(fx, m, g, &op), 0);
	assert_int_equal(m->nr_linked, 4);
}

/* Assigning IDs without queues bound to vfio_ap links nothing: no qtable. */
static void test_memory_no_bound_queue_no_qtable(void **state)
{
	/* domain 0x20 is outside the host configuration: no queue device */
	static const struct mem_op op = { "assign_domain", "0x20" };
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *g;

	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	g = fx_attach(fx, m);
	assert_int_equal(fail_each_allocation(fx, m, g, &op), 0);
	assert_null(m->linked);
	assert_int_equal(m->nr_linked, 0);
}

/* The qtable goes with the last link, whichever path unlinks it. */
static void test_memory_qtable_freed_with_last_link(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	size_t empty = apc_alloc_bytes();

	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	assert_int_equal(apc_alloc_bytes() - empty, QTABLE_BYTES);
	FX_WRITE_IDS(fx, m, "unassign_adapter", 4);
	assert_null(m->linked);
	assert_int_equal(apc_alloc_bytes(), empty);

	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	assert_int_equal(fx_vfio_unbind(fx, "04.0001"), 7);	/* queue remove */
	assert_null(m->linked);
	assert_int_equal(apc_alloc_bytes(), empty);

	assert_int_equal(fx_vfio_bind(fx, "04.0001"), 7);	/* probe links again */
	assert_non_null(m->linked);
	assert_int_equal(fx_write(fx, m, "ap_config", ",,"), 2);
	assert_null(m->linked);
	assert_int_equal(apc_alloc_bytes(), empty);
}

/*
 * A probe that cannot allocate the owner's qtable fails: the queue stays
 * without a driver, the guest sees nothing; the next bind works.
 */
static void test_memory_probe_enomem_leaves_queue_unbound(void **state)
{
	static const struct mem_op op = { "bind", "04.0001" };
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	struct kvmm_guest *g;

	FX_WRITE_IDS(fx, m, "assign_adapter", 4);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	g = fx_attach(fx, m);
	assert_int_equal(fx_vfio_unbind(fx, "04.0001"), 7);
	assert_null(m->linked);
	fx_assert_crycb(g, FX_NONE, FX_IDS(1), FX_NONE);
	assert_int_equal(fail_each_allocation(fx, m, g, &op), 1);
	assert_int_equal(fx_queue_drv(fx, 4, 1), APB_DRV_VFIO_AP);
	assert_true(fx->md->queues[4][1].bound);
	assert_ptr_equal(fx->md->queues[4][1].mdev, m);
	fx_assert_crycb(g, FX_IDS(4), FX_IDS(1), FX_NONE);
}

/* create: the mdev core's device, then the engine's mdev; -ENOMEM each. */
static void test_memory_create_enomem_changes_nothing(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = NULL;
	unsigned int n;
	size_t bytes;
	bool failed;
	u8 raw[16];
	int rc;

	assert_int_equal(aptxt_parse_uuid(FX_UUID1, raw), 0);
	for (n = 1;; n++) {
		bytes = apc_alloc_bytes();
		apc_alloc_fail_nth(n);
		rc = fx_create(fx, FX_UUID1, strlen(FX_UUID1), &m);
		failed = apc_alloc_failed();
		apc_alloc_fail_nth(0);
		if (!failed)
			break;
		assert_int_equal(rc, -ENOMEM);
		assert_int_equal(apc_alloc_bytes(), bytes);
		assert_null(fx_find(fx, raw));
		assert_null(fx->md->mdev_list);
		assert_int_equal(fx->mdevc.nr, 0);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n - 1, 2);
	assert_ptr_equal(fx_find(fx, raw), m);
}

/* vap_matrix_dev_create(): NULL on any failed allocation, nothing leaked. */
static void test_memory_matrix_dev_create_enomem_leaks_nothing(void **state)
{
	struct fx *fx = *state;
	struct vap_matrix_dev *md;
	size_t bytes = apc_alloc_bytes();
	unsigned int n;
	bool failed;

	for (n = 1;; n++) {
		apc_alloc_fail_nth(n);
		md = vap_matrix_dev_create(&fx->md->info, NULL, &apb_bus_ops, fx->bus, NULL, NULL);
		failed = apc_alloc_failed();
		apc_alloc_fail_nth(0);
		if (!failed)
			break;
		assert_null(md);
		assert_int_equal(apc_alloc_bytes(), bytes);
	}
	assert_non_null(md);
	assert_int_equal(n - 1, 4);	/* the struct, queues, rc_ok, scratch */
	/* what it holds: the struct and its three tables, nothing per mdev */
	assert_int_equal(apc_alloc_bytes() - bytes,
			 sizeof(*md) + sizeof(*md->queues) * APBM_BITS + 2 * QTABLE_BYTES);
	assert_true(sizeof(*md) < 1024);
	vap_matrix_dev_destroy(md);
	assert_int_equal(apc_alloc_bytes(), bytes);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_memory_new_mdev_has_no_qtable),
		FX_TEST(test_memory_assign_adapter_enomem_changes_nothing),
		FX_TEST(test_memory_assign_domain_enomem_changes_nothing),
		FX_TEST(test_memory_ap_config_enomem_changes_nothing),
		FX_TEST(test_memory_more_links_allocate_nothing),
		FX_TEST(test_memory_no_bound_queue_no_qtable),
		FX_TEST(test_memory_qtable_freed_with_last_link),
		FX_TEST(test_memory_probe_enomem_leaves_queue_unbound),
		FX_TEST(test_memory_create_enomem_changes_nothing),
		FX_TEST(test_memory_matrix_dev_create_enomem_leaks_nothing),
	};

	fx_apply_test_filter(argc, argv);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
