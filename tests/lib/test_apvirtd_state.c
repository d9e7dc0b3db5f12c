// SPDX-License-Identifier: GPL-2.0
/*
 * test_apvirtd_state.c - apvirtd's per-domain memory (the loop avoidance:
 * its own restore write is ignored), its decisions and the reconnect
 * backoff.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apvirt/apvirt.h>

#include "../../libvirt-hooks/apvirtd_state.h"

#define D1 "11111111-2222-4333-8444-555555555555"
#define D2 "aaaaaaaa-2222-4333-8444-555555555555"
#define M1 "0d3e0d6b-5e51-4b8a-9c83-6bd4a5d1f7a1"
#define M2 "0d3e0d6b-5e51-4b8a-9c83-6bd4a5d1f7a2"

static struct apvd_state state;

static struct apv_metadata md(const char *mdev, unsigned int adapter)
{
	struct apv_metadata m;

	memset(&m, 0, sizeof(m));
	snprintf(m.mdev, sizeof(m.mdev), "%s", mdev);
	m.lifecycle = APV_LIFECYCLE_MANAGED;
	apv_ids_set(&m.matrix.apm, adapter);
	apv_ids_set(&m.matrix.aqm, 4);
	return m;
}

static void test_unknown_domain_applies(void **st)
{
	struct apv_metadata a = md(M1, 5);

	(void)st;
	apvd_state_init(&state);
	assert_null(apvd_state_find(&state, D1));
	assert_int_equal(apvd_state_decide(&state, D1, &a), APVD_APPLY);
}

/* An edit applies; the agent's own restore write comes back and is ignored. */
static void test_restore_event_ignored(void **st)
{
	struct apv_metadata before = md(M1, 5), edit = md(M1, 6);

	(void)st;
	apvd_state_init(&state);
	assert_int_equal(apvd_state_remember(&state, D1, &before), 0);
	assert_int_equal(apvd_state_decide(&state, D1, &edit), APVD_APPLY);
	/* refused: the metadata is written back to @before, one more event */
	assert_int_equal(apvd_state_decide(&state, D1, &before), APVD_IGNORE);
	/* applied: remembered, the same event again is a no-op */
	assert_int_equal(apvd_state_remember(&state, D1, &edit), 0);
	assert_int_equal(apvd_state_decide(&state, D1, &edit), APVD_IGNORE);
	assert_int_equal(apvd_state_decide(&state, D1, &before), APVD_APPLY);
	assert_int_equal(state.count, 1);
}

static void test_lifecycle_change_applies(void **st)
{
	struct apv_metadata a = md(M1, 5), b = md(M1, 5);

	(void)st;
	apvd_state_init(&state);
	apvd_state_remember(&state, D1, &a);
	b.lifecycle = APV_LIFECYCLE_EXTERNAL;
	assert_int_equal(apvd_state_decide(&state, D1, &b), APVD_APPLY);
}

static void test_other_mdev_refused(void **st)
{
	struct apv_metadata a = md(M1, 5), b = md(M2, 5);

	(void)st;
	apvd_state_init(&state);
	apvd_state_remember(&state, D1, &a);
	assert_int_equal(apvd_state_decide(&state, D1, &b), APVD_REFUSE_MDEV);
}

static void test_domains_apart_and_forget(void **st)
{
	struct apv_metadata a = md(M1, 5), b = md(M2, 6);

	(void)st;
	apvd_state_init(&state);
	apvd_state_remember(&state, D1, &a);
	apvd_state_remember(&state, D2, &b);
	assert_int_equal(state.count, 2);
	assert_string_equal(apvd_state_find(&state, D2)->md.mdev, M2);
	assert_int_equal(apvd_state_decide(&state, D2, &b), APVD_IGNORE);
	apvd_state_forget(&state, D1);
	assert_null(apvd_state_find(&state, D1));
	assert_int_equal(state.count, 1);
	assert_int_equal(apvd_state_decide(&state, D2, &b), APVD_IGNORE);
	apvd_state_forget(&state, D1);		/* unknown: no-op */
	assert_int_equal(state.count, 1);
	apvd_state_clear(&state);
	assert_int_equal(state.count, 0);
	assert_int_equal(apvd_state_decide(&state, D2, &b), APVD_APPLY);
}

static void test_full_table(void **st)
{
	struct apv_metadata a = md(M1, 5);
	char uuid[APVD_UUID_LEN + 1];

	(void)st;
	apvd_state_init(&state);
	for (unsigned int i = 0; i < APVD_DOMAINS_MAX; i++) {
		snprintf(uuid, sizeof(uuid), "%08x-2222-4333-8444-555555555555", i);
		assert_int_equal(apvd_state_remember(&state, uuid, &a), 0);
	}
	assert_int_equal(apvd_state_remember(&state, D2, &a), -ENOSPC);
	/* an known domain is still updated */
	assert_int_equal(apvd_state_remember(&state, "00000007-2222-4333-8444-555555555555", &a), 0);
	assert_int_equal(state.count, APVD_DOMAINS_MAX);
}

#define DA "aaaa000000000000000000000000000000000000000000000000000000000000"
#define DB "bbbb000000000000000000000000000000000000000000000000000000000000"

/* Generations count up per domain from 1, or from the status it has. */
static void test_status_generations(void **st)
{
	struct apv_metadata a = md(M1, 5);

	(void)st;
	apvd_state_init(&state);
	assert_true(apvd_state_next_status(&state, D1, DA) == 0);	/* unknown */
	assert_int_equal(apvd_state_remember(&state, D1, &a), 0);
	assert_int_equal(apvd_state_remember(&state, D2, &a), 0);
	apvd_state_seed(&state, D2, 41, DB);
	assert_true(apvd_state_next_status(&state, D1, DA) == 1);
	assert_true(apvd_state_next_status(&state, D1, DB) == 2);
	assert_string_equal(apvd_state_find(&state, D1)->digest, DB);
	assert_true(apvd_state_next_status(&state, D2, DA) == 42);
	/* a second seed does not go back; remembering keeps the count */
	apvd_state_seed(&state, D2, 3, DB);
	assert_int_equal(apvd_state_remember(&state, D2, &a), 0);
	assert_true(apvd_state_next_status(&state, D2, DA) == 43);
	/* the last generation there is, then none */
	apvd_state_forget(&state, D2);
	assert_int_equal(apvd_state_remember(&state, D2, &a), 0);
	apvd_state_seed(&state, D2, APV_STATUS_GENERATION_MAX - 1, DB);
	assert_true(apvd_state_next_status(&state, D2, DA) == APV_STATUS_GENERATION_MAX);
	assert_true(apvd_state_next_status(&state, D2, DA) == 0);
	/* forgotten (the guest stopped): a new run starts at 1 */
	apvd_state_forget(&state, D1);
	assert_int_equal(apvd_state_remember(&state, D1, &a), 0);
	assert_true(apvd_state_next_status(&state, D1, DA) == 1);
}

/*
 * "Nothing to do" publishes after an edit, but not for the echo of the
 * agent's own restore (it would cover the refusal); always at start; at
 * connect only when the last status is about other metadata.
 */
static void test_status_unchanged(void **st)
{
	struct apv_metadata a = md(M1, 5);

	(void)st;
	apvd_state_init(&state);
	assert_false(apvd_state_publish_unchanged(&state, D1, APVD_CAUSE_EDIT, DA));
	assert_int_equal(apvd_state_remember(&state, D1, &a), 0);
	assert_true(apvd_state_publish_unchanged(&state, D1, APVD_CAUSE_EDIT, DA));
	apvd_state_expect_echo(&state, D1);
	assert_false(apvd_state_publish_unchanged(&state, D1, APVD_CAUSE_EDIT, DA));
	/* one echo per restore */
	assert_true(apvd_state_publish_unchanged(&state, D1, APVD_CAUSE_EDIT, DA));
	/* an edit applied before the echo arrives leaves it pending */
	apvd_state_expect_echo(&state, D1);
	assert_int_equal(apvd_state_remember(&state, D1, &a), 0);
	assert_false(apvd_state_publish_unchanged(&state, D1, APVD_CAUSE_EDIT, DA));
	assert_true(apvd_state_publish_unchanged(&state, D1, APVD_CAUSE_START, DA));
	assert_true(apvd_state_publish_unchanged(&state, D1, APVD_CAUSE_CONNECT, DA));
	assert_true(apvd_state_next_status(&state, D1, DA) == 1);
	assert_false(apvd_state_publish_unchanged(&state, D1, APVD_CAUSE_CONNECT, DA));
	assert_true(apvd_state_publish_unchanged(&state, D1, APVD_CAUSE_CONNECT, DB));
}

static void test_backoff(void **st)
{
	(void)st;
	assert_int_equal(apvd_backoff_ms(0), 250);
	assert_int_equal(apvd_backoff_ms(1), 500);
	assert_int_equal(apvd_backoff_ms(2), 1000);
	assert_int_equal(apvd_backoff_ms(6), 16000);
	assert_int_equal(apvd_backoff_ms(7), 30000);
	assert_int_equal(apvd_backoff_ms(8), 30000);
	assert_int_equal(apvd_backoff_ms(4000000000u), 30000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_domain_applies),
		cmocka_unit_test(test_restore_event_ignored),
		cmocka_unit_test(test_lifecycle_change_applies),
		cmocka_unit_test(test_other_mdev_refused),
		cmocka_unit_test(test_domains_apart_and_forget),
		cmocka_unit_test(test_full_table),
		cmocka_unit_test(test_status_generations),
		cmocka_unit_test(test_status_unchanged),
		cmocka_unit_test(test_backoff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
