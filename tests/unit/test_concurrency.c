// SPDX-License-Identifier: GPL-2.0
/*
 * test_concurrency.c - real threads against the engine and the bus model
 * (docs/kernel-abi.md §3.7, §5.1; checklist items 46 and 47).
 *
 * Worker threads never call cmocka asserts (they would longjmp out of the
 * wrong stack): they record results, the test thread checks them after
 * each round or after joining.  A lock taken out of order aborts the
 * process (compat_user.c); a deadlock is caught by alarm().
 */
#include "fixture.h"

#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define RACE_ROUNDS	200
#define MIXED_ITERATIONS 150
#define WATCHDOG_SECONDS 300

/* ---- invariants ------------------------------------------------------------ */

/* No APQN is both host-reserved and assigned, nor assigned twice (§5 of the
 * architecture).  Called only while no other thread runs. */
static void assert_no_conflicts(struct fx *fx)
{
	struct apbm a, q, apmask, aqmask;
	struct vap_mdev *m, *o;

	apb_get_masks(fx->bus, &apmask, &aqmask);
	for (m = fx->md->mdev_list; m; m = m->next) {
		assert_false(apbm_and(&a, &m->matrix.apm, &apmask) &&
			     apbm_and(&q, &m->matrix.aqm, &aqmask));
		for (o = m->next; o; o = o->next)
			assert_false(apbm_and(&a, &m->matrix.apm, &o->matrix.apm) &&
				     apbm_and(&q, &m->matrix.aqm, &o->matrix.aqm));
	}
}

/* ---- item 46: two mdevs race for one APQN ----------------------------------- */

struct race {
	struct fx *fx;
	pthread_barrier_t start, done;
	struct vap_mdev *m[2];
	const char *attr[2];
	const char *value[2];
	long result[RACE_ROUNDS][2];
};

struct racer {
	struct race *race;
	int index;
};

static void *racer_main(void *arg)
{
	struct racer *r = arg;
	struct race *race = r->race;
	int i = r->index, round;

	for (round = 0; round < RACE_ROUNDS; round++) {
		pthread_barrier_wait(&race->start);
		race->result[round][i] = fx_write(race->fx, race->m[i], race->attr[i],
						  race->value[i]);
		pthread_barrier_wait(&race->done);
	}
	return NULL;
}

/* Run the rounds; @undo takes back the winner's assignment between rounds. */
static void run_race(struct race *race, void (*undo)(struct race *race, int winner))
{
	struct racer racer[2] = { { race, 0 }, { race, 1 } };
	pthread_t thread[2];
	int round, i;

	assert_int_equal(pthread_barrier_init(&race->start, NULL, 3), 0);
	assert_int_equal(pthread_barrier_init(&race->done, NULL, 3), 0);
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&thread[i], NULL, racer_main, &racer[i]), 0);
	for (round = 0; round < RACE_ROUNDS; round++) {
		pthread_barrier_wait(&race->start);
		pthread_barrier_wait(&race->done);
		/* workers are parked at the next start barrier: safe to touch */
		for (i = 0; i < 2; i++)
			if (race->result[round][i] > 0)
				undo(race, i);
	}
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_join(thread[i], NULL), 0);
	pthread_barrier_destroy(&race->start);
	pthread_barrier_destroy(&race->done);
}

static void undo_assign_adapter(struct race *race, int winner)
{
	fx_write(race->fx, race->m[winner], "unassign_adapter", "5");
}

static void assert_one_winner_per_round(struct race *race, long win0, long lose0,
					long win1, long lose1)
{
	int round, wins[2] = { 0, 0 };

	for (round = 0; round < RACE_ROUNDS; round++) {
		long r0 = race->result[round][0], r1 = race->result[round][1];

		if (r0 == win0) {
			assert_int_equal(r1, lose1);
			wins[0]++;
		} else {
			assert_int_equal(r0, lose0);
			assert_int_equal(r1, win1);
			wins[1]++;
		}
	}
	assert_int_equal(wins[0] + wins[1], RACE_ROUNDS);
}

static void test_concurrency_assign_race_has_one_winner(void **state)
{
	struct fx *fx = *state;
	struct race *race = calloc(1, sizeof(*race));

	assert_non_null(race);
	race->fx = fx;
	race->m[0] = fx_mdev(fx, FX_UUID1);
	race->m[1] = fx_mdev(fx, FX_UUID2);
	FX_WRITE_IDS(fx, race->m[0], "assign_domain", 4);
	FX_WRITE_IDS(fx, race->m[1], "assign_domain", 4);
	race->attr[0] = race->attr[1] = "assign_adapter";
	race->value[0] = race->value[1] = "5";
	fx_clear_records(fx);
	run_race(race, undo_assign_adapter);
	assert_one_winner_per_round(race, 1, -EADDRINUSE, 1, -EADDRINUSE);
	/* one warning per lost round: exactly one conflicting APQN each time */
	assert_int_equal(fx_log_total(fx), RACE_ROUNDS);
	assert_string_equal(fx_read(fx, race->m[0], "matrix"), ".0004\n");
	assert_string_equal(fx_read(fx, race->m[1], "matrix"), ".0004\n");
	assert_no_conflicts(fx);
	free(race);
}

static void undo_cross(struct race *race, int winner)
{
	fx_write(race->fx, race->m[winner], winner ? "unassign_adapter" : "unassign_domain",
		 winner ? "5" : "4");
}

/* The two dimensions: m0 holds adapter 5 and adds domain 4, m1 holds
 * domain 4 and adds adapter 5. */
static void test_concurrency_cross_dimension_race(void **state)
{
	struct fx *fx = *state;
	struct race *race = calloc(1, sizeof(*race));

	assert_non_null(race);
	race->fx = fx;
	race->m[0] = fx_mdev(fx, FX_UUID1);
	race->m[1] = fx_mdev(fx, FX_UUID2);
	FX_WRITE_IDS(fx, race->m[0], "assign_adapter", 5);
	FX_WRITE_IDS(fx, race->m[1], "assign_domain", 4);
	race->attr[0] = "assign_domain";
	race->value[0] = "4\n";
	race->attr[1] = "assign_adapter";
	race->value[1] = "5";
	run_race(race, undo_cross);
	assert_one_winner_per_round(race, 2, -EADDRINUSE, 1, -EADDRINUSE);
	assert_no_conflicts(fx);
	free(race);
}

/* apmask "+5" (thread 0) against assign_adapter 5 with domain 4 (thread 1):
 * exactly one wins, and (5,4) is never reserved and assigned. */
struct mask_race {
	struct fx *fx;
	struct vap_mdev *m;
	pthread_barrier_t start, done;
	long result[RACE_ROUNDS][2];
};

struct mask_racer {
	struct mask_race *race;
	int index;
};

static void *mask_racer_main(void *arg)
{
	struct mask_racer *r = arg;
	struct mask_race *race = r->race;
	int round;

	for (round = 0; round < RACE_ROUNDS; round++) {
		pthread_barrier_wait(&race->start);
		if (r->index == 0)
			race->result[round][0] = fx_bus_write(race->fx, "apmask", "+5");
		else
			race->result[round][1] = fx_write(race->fx, race->m, "assign_adapter", "5");
		pthread_barrier_wait(&race->done);
	}
	return NULL;
}

static void test_concurrency_apmask_vs_assign(void **state)
{
	struct fx *fx = *state;
	struct mask_race *race = calloc(1, sizeof(*race));
	struct mask_racer racer[2];
	pthread_t thread[2];
	struct apbm apmask, aqmask;
	bool reserved, assigned;
	int round, i, mask_wins = 0;

	assert_non_null(race);
	race->fx = fx;
	race->m = fx_mdev(fx, FX_UUID1);
	FX_WRITE_IDS(fx, race->m, "assign_domain", 4);
	assert_int_equal(pthread_barrier_init(&race->start, NULL, 3), 0);
	assert_int_equal(pthread_barrier_init(&race->done, NULL, 3), 0);
	for (i = 0; i < 2; i++) {
		racer[i].race = race;
		racer[i].index = i;
		assert_int_equal(pthread_create(&thread[i], NULL, mask_racer_main, &racer[i]), 0);
	}
	for (round = 0; round < RACE_ROUNDS; round++) {
		pthread_barrier_wait(&race->start);
		pthread_barrier_wait(&race->done);
		apb_get_masks(fx->bus, &apmask, &aqmask);
		reserved = apbm_test(&apmask, 5) && apbm_test(&aqmask, 4);
		assigned = apbm_test(&race->m->matrix.apm, 5) && apbm_test(&race->m->matrix.aqm, 4);
		/* record a violation as an impossible result, asserted later */
		if (reserved && assigned)
			race->result[round][0] = race->result[round][1] = 1000;
		if (race->result[round][0] == 2) {
			mask_wins++;
			fx_bus_write(fx, "apmask", "-5");
		}
		if (race->result[round][1] == 1)
			fx_write(fx, race->m, "unassign_adapter", "5");
	}
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_join(thread[i], NULL), 0);
	pthread_barrier_destroy(&race->start);
	pthread_barrier_destroy(&race->done);

	for (round = 0; round < RACE_ROUNDS; round++) {
		if (race->result[round][0] == 2)
			assert_int_equal(race->result[round][1], -EADDRNOTAVAIL);
		else {
			assert_int_equal(race->result[round][0], -EBUSY);
			assert_int_equal(race->result[round][1], 1);
		}
	}
	assert_in_range(mask_wins, 0, RACE_ROUNDS);
	assert_no_conflicts(fx);
	assert_string_equal(fx_read(fx, race->m, "matrix"), ".0004\n");
	free(race);
}

/* ---- item 47: everything at once, no deadlock, no lock-order abort -------- */

struct mixed {
	struct fx *fx;
	struct vap_mdev *m1, *m2;
	struct kvmm_guest *kvm;
	long unexpected;	/* results outside the documented set */
};

static void note_unexpected(struct mixed *mx, long rc, const long *allowed)
{
	for (; *allowed != LONG_MIN; allowed++)
		if (rc == *allowed)
			return;
	__atomic_add_fetch(&mx->unexpected, 1, __ATOMIC_SEQ_CST);
}

#define ALLOWED(...)	((const long[]){ __VA_ARGS__, LONG_MIN })

static void *mixed_assign(void *arg)
{
	struct mixed *mx = arg;
	int i;

	for (i = 0; i < MIXED_ITERATIONS; i++) {
		note_unexpected(mx, fx_write(mx->fx, mx->m1, "assign_adapter", i & 1 ? "4" : "6"),
				ALLOWED(1, -EADDRNOTAVAIL));
		note_unexpected(mx, fx_write(mx->fx, mx->m1, "assign_domain", "2"),
				ALLOWED(1, -EADDRNOTAVAIL));
		note_unexpected(mx, fx_write(mx->fx, mx->m1, "unassign_adapter", i & 1 ? "6" : "4"),
				ALLOWED(1));
		note_unexpected(mx, fx_write(mx->fx, mx->m1, "ap_config",
					     i & 1 ? "0x08,0x2,0x1" : "0x0a,0x3,0x0"),
				ALLOWED(12, -EADDRNOTAVAIL));
		note_unexpected(mx, fx_write(mx->fx, mx->m1, "unassign_domain", "2"),
				ALLOWED(1));
	}
	return NULL;
}

static void *mixed_masks(void *arg)
{
	struct mixed *mx = arg;
	int i;

	for (i = 0; i < MIXED_ITERATIONS; i++) {
		note_unexpected(mx, fx_bus_write(mx->fx, "apmask", "+6"), ALLOWED(2, -EBUSY));
		note_unexpected(mx, fx_bus_write(mx->fx, "apmask", "-6"), ALLOWED(2));
		note_unexpected(mx, fx_bus_write(mx->fx, "aqmask", "+0x30"), ALLOWED(5, -EBUSY));
		note_unexpected(mx, fx_bus_write(mx->fx, "aqmask", "-0x30"), ALLOWED(5));
	}
	return NULL;
}

static void *mixed_guest(void *arg)
{
	struct mixed *mx = arg;
	struct vap_matrix_dev *md = mx->fx->md;
	int i;

	for (i = 0; i < MIXED_ITERATIONS; i++) {
		note_unexpected(mx, vap_mdev_open(md, mx->m1, fx_ap(mx->kvm)), ALLOWED(0));
		vap_mdev_set_irq(md, mx->m1, VAP_CFG_CHG_IRQ_INDEX, &mx->fx->trigger[1]);
		vap_mdev_request(md, mx->m1, (unsigned int)i);
		vap_mdev_reset(md, mx->m1);
		vap_mdev_close(md, mx->m1);
	}
	return NULL;
}

static void *mixed_hardware(void *arg)
{
	struct mixed *mx = arg;
	int i;

	for (i = 0; i < MIXED_ITERATIONS / 5; i++) {
		apb_hw_set_adapter(mx->fx->bus, 7, i & 1);
		apb_hw_set_domain(mx->fx->bus, 0x11, !(i & 1));
		apb_hw_set_control_domain(mx->fx->bus, 0x12, i & 1);
		apb_hw_inject_reset_rc(mx->fx->bus, 5, 3, AP_RC_BUSY);
		apb_scan(mx->fx->bus);
	}
	return NULL;
}

static void *mixed_binding(void *arg)
{
	struct mixed *mx = arg;
	char buf[APC_PAGE_SIZE];
	int i;

	for (i = 0; i < MIXED_ITERATIONS; i++) {
		note_unexpected(mx, fx_vfio_unbind(mx->fx, "05.0003"), ALLOWED(7, -ENODEV));
		note_unexpected(mx, fx_vfio_bind(mx->fx, "05.0003"), ALLOWED(7, -ENODEV, -EBUSY));
		vap_queue_status_show(mx->fx->md, 4, 2, buf);
		vap_guest_matrix_show(mx->fx->md, mx->m2, buf);
		apb_bus_attr_show(mx->fx->bus, "bindings", buf);
		note_unexpected(mx, fx_write(mx->fx, mx->m2, "assign_domain", "3"),
				ALLOWED(1, -EADDRINUSE));
		note_unexpected(mx, fx_write(mx->fx, mx->m2, "unassign_domain", "3"), ALLOWED(1));
	}
	return NULL;
}

static void watchdog(int sig)
{
	static const char msg[] = "test_concurrency: deadlock (watchdog expired)\n";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(2);
}

static void test_concurrency_mixed_operations_no_deadlock(void **state)
{
	static void *(*const workers[])(void *) = {
		mixed_assign, mixed_masks, mixed_guest, mixed_hardware, mixed_binding,
	};
	struct fx *fx = *state;
	struct mixed mx = { .fx = fx };
	pthread_t thread[ARRAY_SIZE(workers)];
	size_t i;

	assert_int_equal(apb_hw_set_adapter_type(fx->bus, 7, AP_TYPE_CEX8,
						 APB_FUNC_CCA), 0);
	assert_int_equal(fx_bus_write(fx, "apmask", "-7"), 2);
	mx.m1 = fx_mdev(fx, FX_UUID1);
	mx.m2 = fx_mdev(fx, FX_UUID2);
	FX_WRITE_IDS(fx, mx.m2, "assign_adapter", 5, 7);
	FX_WRITE_IDS(fx, mx.m2, "assign_domain", 1, 0x11);
	FX_WRITE_IDS(fx, mx.m2, "assign_control_domain", 0x12);
	mx.kvm = fx_kvm(fx, true, true);

	signal(SIGALRM, watchdog);
	alarm(WATCHDOG_SECONDS);
	for (i = 0; i < ARRAY_SIZE(workers); i++)
		assert_int_equal(pthread_create(&thread[i], NULL, workers[i], &mx), 0);
	for (i = 0; i < ARRAY_SIZE(workers); i++)
		assert_int_equal(pthread_join(thread[i], NULL), 0);
	alarm(0);
	signal(SIGALRM, SIG_DFL);

	assert_int_equal(mx.unexpected, 0);
	assert_false(mx.m1->open);
	assert_no_conflicts(fx);
	/* m2 was never attached, its shadow is still a subset of its matrix */
	assert_true(apbm_subset(&mx.m2->shadow.apm, &mx.m2->matrix.apm));
	assert_true(apbm_subset(&mx.m2->shadow.aqm, &mx.m2->matrix.aqm));
	assert_true(apbm_subset(&mx.m2->shadow.adm, &mx.m2->matrix.adm));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_concurrency_assign_race_has_one_winner),
		FX_TEST(test_concurrency_cross_dimension_race),
		FX_TEST(test_concurrency_apmask_vs_assign),
		FX_TEST(test_concurrency_mixed_operations_no_deadlock),
	};

	fx_apply_test_filter(argc, argv);
	return cmocka_run_group_tests_name("concurrency", tests, NULL, NULL);
}
