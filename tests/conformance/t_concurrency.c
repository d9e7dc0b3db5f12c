// SPDX-License-Identifier: GPL-2.0
/*
 * t_concurrency.c - parallel writers (docs/kernel-abi.md §9 items 46, 47;
 * §3.7, §5.1).  Real threads issue real write(2) calls at the same time,
 * released together by a barrier; the verdict comes from the errnos and
 * from reading the state back.
 *
 * CONFORMANCE_RACE_ROUNDS (default 200) and CONFORMANCE_STRESS_SECONDS
 * (default 3) size the tests.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned int env_uint(const char *name, unsigned int def)
{
	const char *v = getenv(name);

	return v && atoi(v) > 0 ? (unsigned int)atoi(v) : def;
}

/* One writer of a race: opens its file first, then waits at the barrier. */
struct racer {
	pthread_barrier_t *barrier;
	char path[512];
	char text[128];
	int result;		/* 0 or -errno */
};

static void *racer_main(void *arg)
{
	struct racer *r = arg;
	int fd = open(r->path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	pthread_barrier_wait(r->barrier);
	if (fd < 0) {
		r->result = -errno;
		return NULL;
	}
	n = write(fd, r->text, strlen(r->text));
	r->result = n < 0 ? -errno : 0;
	close(fd);
	return NULL;
}

/* Run two writers at once; false (with a failure) if threads fail. */
static bool race2(struct racer *r1, struct racer *r2)
{
	pthread_barrier_t b;
	pthread_t t1, t2;

	pthread_barrier_init(&b, NULL, 2);
	r1->barrier = r2->barrier = &b;
	if (pthread_create(&t1, NULL, racer_main, r1))
		return ct_fail("pthread_create failed");
	if (pthread_create(&t2, NULL, racer_main, r2)) {
		pthread_join(t1, NULL);
		return ct_fail("pthread_create failed");
	}
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	pthread_barrier_destroy(&b);
	return true;
}

static bool matrix_has(const char *u, unsigned int a, unsigned int d, bool *has)
{
	char buf[CT_PAGE + 1];
	int r = sysfs_read(MDEV(u, "matrix"), buf, sizeof(buf));

	if (r < 0)
		return ct_fail("read matrix of %s: %s", u, errname(-r));
	*has = strstr(buf, P("%s\n", apqn(a, d))) != NULL;
	return true;
}

/* Item 46: two mdevs race for the same APQN. */
static void test_race_assign_same_apqn(void)
{
	char u1[CT_UUID_LEN + 1], u2[CT_UUID_LEN + 1];
	unsigned int f, g, rounds = env_uint("CONFORMANCE_RACE_ROUNDS", 200);
	unsigned int wins[2] = { 0, 0 };
	struct idset F;

	CT_TRY(pick_free_apid(0, &f) && pick_free_apqi(0, &g));
	F = IDS((int)f);
	CT_TRY(host_release_adapters(&F));
	CT_TRY(mdev_new(u1) && mdev_new(u2));
	CT_TRY(ASSIGN_D(u1, g) && ASSIGN_D(u2, g));
	for (unsigned int i = 0; i < rounds; i++) {
		struct racer r1 = { 0 }, r2 = { 0 };
		bool h1, h2;

		snprintf(r1.path, sizeof(r1.path), "%s", ct_abs(MDEV(u1, "assign_adapter")));
		snprintf(r2.path, sizeof(r2.path), "%s", ct_abs(MDEV(u2, "assign_adapter")));
		snprintf(r1.text, sizeof(r1.text), "%u", f);
		snprintf(r2.text, sizeof(r2.text), "0x%x\n", f);
		CT_TRY(race2(&r1, &r2));
		CT_TRY(matrix_has(u1, f, g, &h1) && matrix_has(u2, f, g, &h2));
		if (!((r1.result == 0 && r2.result == -EADDRINUSE && h1 && !h2) ||
		      (r2.result == 0 && r1.result == -EADDRINUSE && h2 && !h1)))
			CT_TRY(ct_fail("round %u: expected one success and one EADDRINUSE got %s/%s, "
				       "%s in matrix of mdev 1: %s, of mdev 2: %s", i,
				       errname(-r1.result), errname(-r2.result), apqn(f, g),
				       h1 ? "yes" : "no", h2 ? "yes" : "no"));
		wins[h2]++;
		CT_TRY(UNASSIGN_A(h1 ? u1 : u2, f));
	}
	ct_note("race: mdev 1 won %u, mdev 2 won %u of %u rounds", wins[0], wins[1], rounds);
}

/* Item 46: apmask reservation races an assignment of the same APQN. */
static void test_race_reserve_vs_assign(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int f, g, rounds = env_uint("CONFORMANCE_RACE_ROUNDS", 200);
	unsigned int assign_won = 0, mask_won = 0;
	struct idset F, am, qm;

	CT_TRY(pick_free_apid(0, &f) && pick_free_apqi(0, &g));
	F = IDS((int)f);
	CT_TRY(mask_save("aqmask"));
	CT_TRY(expect_write_s(AP_BUS "/aqmask", P("+%u", g), 0));
	CT_TRY(host_release_adapters(&F));
	CT_TRY(mdev_new(u));
	CT_TRY(ASSIGN_D(u, g));
	for (unsigned int i = 0; i < rounds; i++) {
		struct racer ra = { 0 }, rm = { 0 };
		bool has, reserved;

		snprintf(ra.path, sizeof(ra.path), "%s", ct_abs(MDEV(u, "assign_adapter")));
		snprintf(ra.text, sizeof(ra.text), "%u", f);
		snprintf(rm.path, sizeof(rm.path), "%s", ct_abs(AP_BUS "/apmask"));
		snprintf(rm.text, sizeof(rm.text), "+%u", f);
		CT_TRY(race2(&ra, &rm));
		CT_TRY(matrix_has(u, f, g, &has));
		CT_TRY(mask_read("apmask", &am) && mask_read("aqmask", &qm));
		reserved = idset_has(&am, f) && idset_has(&qm, g);
		if (has && reserved)
			CT_TRY(ct_fail("round %u: %s is both assigned and host-reserved "
				       "(assign %s, apmask %s)", i, apqn(f, g), errname(-ra.result),
				       errname(-rm.result)));
		if (ra.result == 0 && rm.result == -EBUSY && has && !reserved) {
			assign_won++;
			CT_TRY(UNASSIGN_A(u, f));
		} else if (rm.result == 0 && ra.result == -EADDRNOTAVAIL && !has && reserved) {
			mask_won++;
			CT_TRY(expect_write_s(AP_BUS "/apmask", P("-%u", f), 0));
		} else {
			CT_TRY(ct_fail("round %u: expected (success, EBUSY) or (EADDRNOTAVAIL, success) "
				       "for (assign, apmask) got (%s, %s); assigned %s, reserved %s",
				       i, errname(-ra.result), errname(-rm.result), has ? "yes" : "no",
				       reserved ? "yes" : "no"));
		}
	}
	ct_note("race: assign won %u, apmask won %u of %u rounds", assign_won, mask_won, rounds);
}

/*
 * Item 47: no deadlock under a mix of every kind of writer.  Each worker
 * repeats its operation until the deadline and checks that every errno is
 * one its operation may return; the main thread waits for all of them
 * with its own deadline.
 */
struct worker {
	const char *name;
	void (*op)(struct worker *w, unsigned int iter);
	atomic_bool done;
	unsigned long ops;
	char error[512];	/* first unexpected result */
	const char *doing;	/* current operation, for a hang report */
	/* parameters */
	char u[CT_UUID_LEN + 1];
	unsigned int a, d, f;
	const char *vm;
};

static atomic_bool stop_flag;

static void worker_err(struct worker *w, const char *fmt, ...) CT_PRINTF(2, 3);
static void worker_err(struct worker *w, const char *fmt, ...)
{
	va_list ap;

	if (w->error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(w->error, sizeof(w->error), fmt, ap);
	va_end(ap);
}

/* write and accept 0 or one of the listed errnos (0-terminated). */
static void wr(struct worker *w, const char *rel, const char *text, ...)
{
	va_list ap;
	int r, e;

	w->doing = rel;
	r = sysfs_write_str(rel, text);
	w->doing = NULL;
	if (r == 0)
		return;
	va_start(ap, text);
	while ((e = va_arg(ap, int)) != 0)
		if (r == -e)
			break;
	va_end(ap);
	if (e == 0)
		worker_err(w, "write \"%s\" to %s: unexpected %s", esc(text, strlen(text)), rel,
			   errname(-r));
}

static void op_assign_adapter(struct worker *w, unsigned int i)
{
	wr(w, MDEV(w->u, i % 2 ? "unassign_adapter" : "assign_adapter"), P("%u", w->a),
	   EADDRINUSE, EADDRNOTAVAIL, 0);
}

static void op_assign_domain(struct worker *w, unsigned int i)
{
	wr(w, MDEV(w->u, i % 2 ? "unassign_domain" : "assign_domain"), P("%u", w->d),
	   EADDRINUSE, EADDRNOTAVAIL, 0);
}

/*
 * The assigned adapters and domains: from ap_config (6.10+, not cut at a
 * page), else from the "XX.YYYY" lines of matrix (enough for this test).
 */
static bool assigned_sets(const char *u, struct idset *apm, struct idset *aqm)
{
	char buf[CT_PAGE + 1], *line, *save = NULL;
	unsigned int a, d;
	int r;

	if (ct_kernel_has(610))
		return sysfs_read(MDEV(u, "ap_config"), buf, sizeof(buf)) == 201 &&
		       idset_parse_hex(P("%.66s", buf), apm) &&
		       idset_parse_hex(P("%.66s", buf + 67), aqm);
	r = sysfs_read(MDEV(u, "matrix"), buf, sizeof(buf));
	if (r < 0)
		return false;
	idset_clear(apm);
	idset_clear(aqm);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		/* "XX.YYYY", or "XX." / ".YYYY" when the other dimension is empty */
		if (sscanf(line, "%2x.%4x", &a, &d) == 2 && a < 256 && d < 256) {
			idset_add(apm, a);
			idset_add(aqm, d);
		} else if (sscanf(line, "%2x.", &a) == 1 && a < 256) {
			idset_add(apm, a);
		} else if (sscanf(line, ".%4x", &d) == 1 && d < 256) {
			idset_add(aqm, d);
		} else {
			return false;
		}
	}
	return true;
}

static void op_ap_config(struct worker *w, unsigned int i)
{
	struct idset A = IDS((int)w->a), D = IDS((int)w->d), none;
	char cfg[256];

	idset_clear(&none);
	if (i % 2)
		ap_config_text(&A, &D, &D, cfg, sizeof(cfg));
	else
		ap_config_text(&none, &D, &none, cfg, sizeof(cfg));
	wr(w, MDEV(w->u, "ap_config"), cfg, EADDRINUSE, EADDRNOTAVAIL, 0);
}

static void op_apmask(struct worker *w, unsigned int i)
{
	wr(w, AP_BUS "/apmask", P("%c%u", i % 2 ? '-' : '+', w->a), EBUSY, 0);
}

static void op_aqmask(struct worker *w, unsigned int i)
{
	wr(w, AP_BUS "/aqmask", P("%c%u", i % 2 ? '-' : '+', w->d), EBUSY, 0);
}

static void op_bind(struct worker *w, unsigned int i)
{
	const char *q = apqn(w->a, w->d);

	if (i % 2)
		wr(w, AP_BUS "/drivers/vfio_ap/bind", q, EBUSY, ENODEV, 0);
	else
		wr(w, AP_BUS "/drivers/vfio_ap/unbind", q, ENODEV, 0);
}

static void op_read(struct worker *w, unsigned int i)
{
	static const char *const attrs[] = { "matrix", "guest_matrix", "control_domains",
					     "ap_config" };
	unsigned int nattrs = ct_kernel_has(610) ? 4 : 3;	/* ap_config: 6.10 */
	char buf[CT_PAGE + 1];
	int r;

	w->doing = "read";
	r = sysfs_read(i % 5 == 4 ? P("%s/status", queue_dev(w->a, w->d)) :
		       MDEV(w->u, attrs[i % nattrs]), buf, sizeof(buf));
	w->doing = NULL;
	/* the status attribute comes and goes with the binding; a read
	 * through a file opened just before the unbind gives ENODEV */
	if (r < 0 && !(i % 5 == 4 && (r == -ENOENT || r == -ENODEV)))
		worker_err(w, "read: unexpected %s", errname(-r));
}

static void op_scan(struct worker *w, unsigned int i)
{
	(void)i;
	wr(w, AP_BUS "/scans", "1", 0);
}

static void op_ctl(struct worker *w, const char *fmt, ...) CT_PRINTF(2, 3);
static void op_ctl(struct worker *w, const char *fmt, ...)
{
	static __thread struct ct_ctl_result res;
	char words[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(words, sizeof(words), fmt, ap);
	va_end(ap);
	w->doing = words;
	ctl_run_into(&res, "%s", words);
	w->doing = NULL;
	if (res.status != 0)
		worker_err(w, "ctl %s: exit %d: %s", words, res.status, esc(res.err, strlen(res.err)));
}

static void op_config(struct worker *w, unsigned int i)
{
	if (i % 2)
		op_ctl(w, "config remove-adapter %u", w->f);
	else
		op_ctl(w, "config add-adapter %u type=CEX8", w->f);
}

static void op_attach(struct worker *w, unsigned int i)
{
	if (i % 2)
		op_ctl(w, "detach %s", w->u);
	else
		op_ctl(w, "attach %s --vm %s", w->u, w->vm);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (unsigned int i = 0; !atomic_load(&stop_flag); i++) {
		w->op(w, i);
		w->ops++;
	}
	atomic_store(&w->done, true);
	return NULL;
}

static void test_stress_no_deadlock(void)
{
	char u1[CT_UUID_LEN + 1], u2[CT_UUID_LEN + 1];
	unsigned int a[2], d[2], f, secs = env_uint("CONFORMANCE_STRESS_SECONDS", 3);
	struct idset A, D, F;
	struct worker w[11];
	pthread_t th[11];
	unsigned int n = 0, started = 0;
	const char *vm = vm_name("stress");
	struct idset ap1, aq1, ap2, aq2, am, qm;

	CT_TRY(pick_host(2, 2, a, d));
	CT_TRY(pick_free_apid(0, &f));
	A = IDS((int)a[0], (int)a[1]);
	D = IDS((int)d[0], (int)d[1]);
	F = IDS((int)f);
	(void)D;
	CT_TRY(host_release_adapters(&A));
	CT_TRY(host_release_adapters(&F));
	CT_TRY(mask_save("aqmask"));
	CT_TRY(mdev_new(u1) && mdev_new(u2));
	CT_TRY(ASSIGN_D(u1, d[0]) && ASSIGN_A(u2, a[1]));
	CT_TRY(ASSIGN_A(u1, f));
	if (ct.ctl) {
		ct_defer_ctl_quiet(CT_PH_HW, "config remove-adapter %u", f);
		ct_defer_ctl_quiet(CT_PH_GUEST, "detach %s", u1);
	}

	memset(w, 0, sizeof(w));
#define ADD(nm, fn, uu, aa, dd) do { \
		w[n].name = nm; w[n].op = fn; snprintf(w[n].u, sizeof(w[n].u), "%s", uu); \
		w[n].a = aa; w[n].d = dd; w[n].f = f; w[n].vm = vm; n++; } while (0)
	ADD("assign_adapter", op_assign_adapter, u1, a[0], d[0]);
	ADD("assign_domain", op_assign_domain, u2, a[1], d[0]);
	ADD("assign_domain2", op_assign_domain, u1, a[0], d[1]);
	if (ct_kernel_has(610))
		ADD("ap_config", op_ap_config, u2, a[0], d[1]);
	else
		ADD("assign_adapter2", op_assign_adapter, u2, a[0], d[1]);
	ADD("apmask", op_apmask, u1, a[0], d[0]);
	ADD("aqmask", op_aqmask, u1, a[0], d[1]);
	ADD("bind", op_bind, u1, a[1], d[0]);
	ADD("read", op_read, u1, a[0], d[0]);
	ADD("scan", op_scan, u1, a[0], d[0]);
	if (ct.ctl) {
		ADD("config", op_config, u1, a[0], d[0]);
		ADD("attach", op_attach, u1, a[0], d[0]);
	} else {
		ct_note("no control: host config changes and attach/detach are not exercised");
	}
#undef ADD
	atomic_store(&stop_flag, false);
	for (unsigned int i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, worker_main, &w[i]) == 0)
			started++;
		else
			break;
	if (started == n)
		sleep(secs);
	atomic_store(&stop_flag, true);
	for (unsigned int t = 0; t < 300; t++) {
		bool all = true;

		for (unsigned int i = 0; i < started; i++)
			all = all && atomic_load(&w[i].done);
		if (all)
			break;
		usleep(100000);
	}
	for (unsigned int i = 0; i < started; i++) {
		if (!atomic_load(&w[i].done)) {
			printf("# deadlock suspected: worker %s stuck in %s\n", w[i].name,
			       w[i].doing ? w[i].doing : "?");
			fflush(stdout);
			CT_TRY(ct_fail("deadlock suspected: worker %s did not finish within 30 s",
				       w[i].name));
		}
		pthread_join(th[i], NULL);
		ct_note("worker %s: %lu operations", w[i].name, w[i].ops);
	}
	CT_TRY(expect(started == n, "pthread_create failed"));
	for (unsigned int i = 0; i < n; i++)
		CT_TRY(expect(!w[i].error[0], "worker %s: %s", w[i].name, w[i].error));

	/* invariants: nothing assigned twice, nothing assigned and reserved */
	ctl_run("detach %s", u1);
	CT_TRY(mask_read("apmask", &am) && mask_read("aqmask", &qm));
	CT_TRY(expect(assigned_sets(u1, &ap1, &aq1), "the matrix of mdev 1 is unreadable"));
	CT_TRY(expect(assigned_sets(u2, &ap2, &aq2), "the matrix of mdev 2 is unreadable"));
	for (unsigned int x = 0; x < 256; x++)
		for (unsigned int y = 0; y < 256; y++) {
			bool in1 = idset_has(&ap1, x) && idset_has(&aq1, y);
			bool in2 = idset_has(&ap2, x) && idset_has(&aq2, y);
			bool res = idset_has(&am, x) && idset_has(&qm, y);

			CT_TRY(expect(!(in1 && in2), "%s is assigned to both mdevs", apqn(x, y)));
			CT_TRY(expect(!((in1 || in2) && res), "%s is assigned and host-reserved",
				      apqn(x, y)));
		}
}

const struct ct_test concurrency_tests[] = {
	{ "race_assign_same_apqn", test_race_assign_same_apqn, "46" },
	{ "race_reserve_vs_assign", test_race_reserve_vs_assign, "46" },
	{ "stress_no_deadlock", test_stress_no_deadlock, "46, 47" },
	{ NULL, NULL, NULL },
};
