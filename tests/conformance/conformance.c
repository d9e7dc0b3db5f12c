// SPDX-License-Identifier: GPL-2.0
/*
 * conformance.c - runner of the sysfs ABI conformance suite.
 *
 * usage: conformance [-l] [-x PATTERN]... [PATTERN]...
 *
 *   PATTERN   run only tests whose name matches one of the fnmatch(3)
 *             patterns (default: all)
 *   -x PAT    exclude tests matching PAT
 *   -l        list the selected tests with the §9 items they cover
 *
 * Environment: CONFORMANCE_SYSFS_ROOT (required), CONFORMANCE_CTL,
 * CONFORMANCE_NO_SKIP, CONFORMANCE_DEFAULT_MASKS, CONFORMANCE_BASELINE,
 * CONFORMANCE_TIMEOUT, CONFORMANCE_VERBOSE; see README.md.
 *
 * Output is TAP: "1..N", then "ok N - name", "not ok N - name: expected X
 * got Y" or "ok N - name # SKIP reason", then "P passed, F failed, S
 * skipped".  Exit status 1 if any test failed, 2 on a usage error.
 */
#include "harness.h"

#include <fnmatch.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct ct_test *const groups[] = {
	layout_tests, assign_tests, filter_tests, apconfig_tests,
	guest_tests, bus_tests, hostcfg_tests, concurrency_tests, zcrypt_tests,
};

#define MAX_TESTS 256

static const struct ct_test *selected[MAX_TESTS];
static unsigned int nselected;
static unsigned int passed, failed, skipped;

/* Watchdog: a test that blocks longer than ct.timeout ends the run. */
static atomic_long deadline;		/* CLOCK_MONOTONIC seconds, 0: idle */
static atomic_uint running_index;

static long now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void *watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		long d = atomic_load(&deadline);

		if (d && now_s() > d) {
			unsigned int i = atomic_load(&running_index);

			printf("not ok %u - %s: timed out after %u s (blocked syscall or deadlock)\n",
			       i + 1, selected[i]->name, ct.timeout);
			printf("# aborting: state of the target is unknown, cleanups not run\n");
			printf("%u passed, %u failed, %u skipped\n", passed, failed + 1, skipped);
			fflush(stdout);
			_exit(1);
		}
		usleep(100000);
	}
	return NULL;
}

static bool matches(const char *name, char **pats, int n)
{
	for (int i = 0; i < n; i++)
		if (!fnmatch(pats[i], name, 0))
			return true;
	return false;
}

static void usage(void)
{
	fprintf(stderr, "usage: conformance [-l] [-x PATTERN]... [PATTERN]...\n");
}

int main(int argc, char **argv)
{
	char *excl[64], *incl[64];
	int nexcl = 0, nincl = 0, opt;
	bool list = false;
	pthread_t wd;

	while ((opt = getopt(argc, argv, "lx:h")) != -1) {
		switch (opt) {
		case 'l':
			list = true;
			break;
		case 'x':
			if (nexcl < 64)
				excl[nexcl++] = optarg;
			break;
		default:
			usage();
			return 2;
		}
	}
	for (int i = optind; i < argc && nincl < 64; i++)
		incl[nincl++] = argv[i];

	if (!ct_kernel_init())
		return 2;
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		for (const struct ct_test *t = groups[g]; t->name; t++) {
			const char *why;

			if (nincl && !matches(t->name, incl, nincl))
				continue;
			if (matches(t->name, excl, nexcl))
				continue;
			if (!ct_test_applies(t->name, &why)) {
				printf("# %s: not in Linux %s (needs %s)\n", t->name, ct.kernel, why);
				continue;
			}
			if (nselected < MAX_TESTS)
				selected[nselected++] = t;
		}
	if (list) {
		for (unsigned int i = 0; i < nselected; i++)
			printf("%-40s %s\n", selected[i]->name, selected[i]->items);
		return 0;
	}
	if (!ct_target_init())
		return 2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%u\n", nselected);
	printf("# target %s, control %s, kernel %s, APXA %s, mdev maxima %u/%u\n",
	       ct.root, ct.ctl ? ct.ctl : "(none)", ct.kernel,
	       ct.apxa ? "on" : "off", ct.apm_max, ct.aqm_max);
	if (pthread_create(&wd, NULL, watchdog, NULL) == 0)
		pthread_detach(wd);

	for (unsigned int i = 0; i < nselected; i++) {
		const struct ct_test *t = selected[i];
		const char *msg;
		bool skip, ok;
		long t0 = now_ms();

		ct_reset_state();
		atomic_store(&running_index, i);
		atomic_store(&deadline, now_s() + (long)ct.timeout);
		t->fn();
		ct_run_cleanups();
		atomic_store(&deadline, 0);
		ct_note("%s: %ld ms", t->name, now_ms() - t0);
		ok = ct_state_result(&skip, &msg);
		if (!ok) {
			failed++;
			printf("not ok %u - %s: %s\n", i + 1, t->name, msg);
		} else if (skip && ct.no_skip) {
			failed++;
			printf("not ok %u - %s: skipped, but CONFORMANCE_NO_SKIP is set: %s\n",
			       i + 1, t->name, msg);
		} else if (skip) {
			skipped++;
			printf("ok %u - %s # SKIP %s\n", i + 1, t->name, msg);
		} else {
			passed++;
			printf("ok %u - %s\n", i + 1, t->name);
		}
	}
	printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
