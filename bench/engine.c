// SPDX-License-Identifier: GPL-2.0
/*
 * bench/engine - how fast the vfio_ap engine (with the AP bus model) does
 * the operations whose cost grows with the host and the number of mdevs,
 * next to the naive reference model tests/common/refmodel.[ch]: bool
 * arrays and per-APQN loops, written from docs/kernel-abi.md, and the very
 * model tests/diff/test_differential checks step by step against the
 * engine.  The reference timed here is the verified one.
 *
 * Host: 256 CEX8C adapters x 256 domains, APXA, Na = Nd = 255.  Adapters
 * 240-255 are reserved for the host (apmask), the rest belong to vfio_ap.
 * Adapters 0-127 x all domains are split into 1, 16 or 256 disjoint mdev
 * matrices: rows of adapters (8 x 16 rows at most) times columns of
 * domains.  Nothing is attached.  Timed, on the first mdev:
 *
 *   assign+unassign adapter   adapter 200 in and out (validate, link,
 *                             filter, then unplug)
 *   ap_config write           adding / removing adapter 200 in turn
 *   apmask reserve, refused   "+127": held by an mdev of the last row,
 *                             in_use says -EBUSY
 *   apmask reserve + undo     "+230" then "-230": 256 queues move to the
 *                             host driver and back
 *
 * Each cell is the median of repeated runs (CLOCK_MONOTONIC), bounded by a
 * time budget so the whole table takes well under a minute.  The reference
 * is only worth timing if it does the same work, so before timing a layout
 * every operation runs twice on both sides, and after each run the two
 * must agree on the ZAPQs issued, every mdev's matrix and shadow and every
 * queue's driver, link and last reset rc; every timed run must return the
 * expected result, and the state must still agree at the end.  Otherwise
 * the program says where they differ and exits 1.  Not a test; nothing
 * asserts timings.
 *
 * Then the engine's memory on the same host, in bytes that kernel/ code
 * holds through apc_zalloc() (counted by compat_user.c's shim): the matrix
 * device, an mdev without linked queues, an mdev with linked queues, and
 * what a full type of 65536 mdevs without queues costs the engine.
 */
#include <stdarg.h>
#include <time.h>

#include "vfio_ap_core.h"
#include "ap_bus_model.h"
#include "mdev_core.h"
#include "refmodel.h"
#include "engine_host.h"

#define BENCH_FREE_ADAPTER	200
#define BENCH_HOST_ADAPTER	230	/* free, given to the host and back */
#define BENCH_OWNED_ADAPTER	127	/* in the last row of mdevs */
#define BENCH_MIN_REPS		5
#define BENCH_MAX_REPS		2000
#define BENCH_BUDGET_NS		400000000LL	/* per cell */

struct bench {
	unsigned int nr_mdevs;
	struct apb_bus *bus;
	struct vap_matrix_dev *md;
	struct mdevc mdevc;		/* the mdev core */
	struct vap_mdev *m0;
	struct rm *rm;
	int r0;			/* slot of the first mdev in the model */
	char cfg_base[APC_PAGE_SIZE], cfg_plus[APC_PAGE_SIZE];
	unsigned long rep;
	unsigned long log_lines;
};

static void bench_die(const char *what)
{
	fprintf(stderr, "bench/engine: %s\n", what);
	exit(1);
}

static void bench_disagree(const char *when, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bench/engine: engine and reference model disagree %s: ", when);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void bench_expect(long got, long want, const char *what)
{
	if (got != want) {
		fprintf(stderr, "bench/engine: %s returned %ld, expected %ld\n", what, got, want);
		exit(1);
	}
}

/* ---- host callbacks: count, do not print -------------------------------- */

static void bench_vap_log(void *env, enum vap_log_level level, const struct vap_mdev *mdev,
			  const char *msg)
{
	struct bench *b = env;

	b->log_lines++;
}

static void bench_uevent(void *env, const char *devpath, const char *vars)
{
}

static const struct vap_env_ops bench_env_ops = { .log = bench_vap_log };
static const struct apb_ops bench_bus_ops = { .uevent = bench_uevent };

/* ---- setup --------------------------------------------------------------- */

static void bench_host_spec(struct apb_host_spec *spec)
{
	unsigned int apid;

	apb_default_spec(spec);
	apbm_fill(&spec->qci.apm);
	apbm_fill(&spec->qci.aqm);
	apbm_fill(&spec->qci.adm);
	for (apid = 0; apid < APBM_BITS; apid++) {
		spec->adapter[apid].raw_type = AP_TYPE_CEX8;
		spec->adapter[apid].functions = APB_FUNC_CCA;
	}
	apbm_zero(&spec->apmask);
	apbm_set_range(&spec->apmask, 240, 255);
	apbm_fill(&spec->aqmask);
}

/* mdev @i of @n: a row of adapters times a column of domains. */
static void bench_layout(unsigned int i, unsigned int n, struct apbm *apm, struct apbm *aqm)
{
	unsigned int rows = n < 16 ? n : 16, cols = n / rows;
	unsigned int per_row = 128 / rows, per_col = 256 / cols;
	unsigned int row = i / cols, col = i % cols;

	apbm_zero(apm);
	apbm_zero(aqm);
	apbm_set_range(apm, row * per_row, row * per_row + per_row - 1);
	apbm_set_range(aqm, col * per_col, col * per_col + per_col - 1);
}

static void bench_create_mdevs(struct bench *b)
{
	char uuid[APTXT_UUID_LEN + 1], cfg[APC_PAGE_SIZE];
	struct apbm apm, aqm;
	struct mdevc_dev *d;
	struct vap_mdev *m;
	unsigned int i;
	int n, r;

	for (i = 0; i < b->nr_mdevs; i++) {
		snprintf(uuid, sizeof(uuid), "00000000-0000-4000-8000-%012x", i);
		if (mdevc_create(&b->mdevc, uuid, APTXT_UUID_LEN, &d))
			bench_die("mdev create failed");
		m = d->drvdata;
		r = rm_mdev_create(b->rm, uuid, APTXT_UUID_LEN);
		if (r < 0)
			bench_expect(r, 0, "reference create");
		bench_layout(i, b->nr_mdevs, &apm, &aqm);
		n = aptxt_format_ap_config(&apm, &aqm, &aqm, cfg);
		bench_expect(vap_ap_config_store(b->md, m, cfg, (size_t)n), n, "engine ap_config");
		bench_expect(rm_ap_config_store(b->rm, r, cfg, (size_t)n), n, "reference ap_config");
		if (!i) {
			b->m0 = m;
			b->r0 = r;
			memcpy(b->cfg_base, cfg, sizeof(cfg));
			apbm_set(&apm, BENCH_FREE_ADAPTER);
			aptxt_format_ap_config(&apm, &aqm, &aqm, b->cfg_plus);
		}
	}
}

/* The same machine for the reference model (no guests: nothing attaches). */
static void bench_ref_config(const struct apb_host_spec *spec, struct rm_config *cfg)
{
	unsigned int id;

	memset(cfg, 0, sizeof(*cfg));
	cfg->apxa = spec->qci.apxa;
	cfg->na = spec->qci.na;
	cfg->nd = spec->qci.nd;
	for (id = 0; id < RM_IDS; id++) {
		cfg->apm[id] = apbm_test(&spec->qci.apm, id);
		cfg->aqm[id] = apbm_test(&spec->qci.aqm, id);
		cfg->adm[id] = apbm_test(&spec->qci.adm, id);
		cfg->type[id] = spec->adapter[id].raw_type;
		cfg->apmask[id] = apbm_test(&spec->apmask, id);
		cfg->aqmask[id] = apbm_test(&spec->aqmask, id);
	}
	cfg->in_use_all_ones = ap_profile_has(spec->profile, AP_FEAT_IN_USE_ALL_ONES);
}

static void bench_setup(struct bench *b, unsigned int nr_mdevs)
{
	struct apb_host_spec spec;
	struct rm_config cfg;

	memset(b, 0, sizeof(*b));
	b->nr_mdevs = nr_mdevs;
	bench_host_spec(&spec);
	if (eh_init(&spec, &bench_bus_ops, &bench_env_ops, b, &b->bus, &b->md, &b->mdevc))
		bench_die("out of memory");
	if (nr_mdevs > RM_MAX_MDEVS)
		bench_die("more mdevs than the reference model has slots (RM_MAX_MDEVS)");
	bench_ref_config(&spec, &cfg);
	b->rm = rm_create(&cfg);
	if (!b->rm)
		bench_die("out of memory");
	bench_create_mdevs(b);
}

static bool bench_same_ids(const struct apbm *ids, const bool *ref)
{
	unsigned int id;

	for (id = 0; id < RM_IDS; id++)
		if (apbm_test(ids, id) != ref[id])
			return false;
	return true;
}

/*
 * The state the benchmarked operations change, on both sides: every mdev's
 * matrix and shadow (in mdev_list order), every queue's vfio_ap queue
 * object, its link and its last reset rc.
 */
static void bench_compare(struct bench *b, const char *when)
{
	const struct vap_mdev *eng[RM_MAX_MDEVS] = { NULL }, *m;
	int order[RM_MAX_MDEVS], n = rm_mdev_order(b->rm, order), i = 0;
	unsigned int a, d;

	for (m = b->md->mdev_list; m; m = m->next, i++) {
		const struct rm_mdev *r = i < n ? &b->rm->m[order[i]] : NULL;

		if (!r || strcmp(m->name, r->name))
			bench_disagree(when, "mdev %d is %s in the engine, %s in the model", i,
				       m->name, r ? r->name : "missing");
		eng[order[i]] = m;
		if (!bench_same_ids(&m->matrix.apm, r->apm) ||
		    !bench_same_ids(&m->matrix.aqm, r->aqm) ||
		    !bench_same_ids(&m->matrix.adm, r->adm))
			bench_disagree(when, "matrix of mdev %s", m->name);
		if (!bench_same_ids(&m->shadow.apm, r->s_apm) ||
		    !bench_same_ids(&m->shadow.aqm, r->s_aqm) ||
		    !bench_same_ids(&m->shadow.adm, r->s_adm))
			bench_disagree(when, "guest matrix (shadow) of mdev %s", m->name);
	}
	if (i != n)
		bench_disagree(when, "the engine has %d mdevs, the model %d", i, n);

	for (a = 0; a < RM_IDS; a++) {
		for (d = 0; d < RM_IDS; d++) {
			const struct vap_queue *eq = &b->md->queues[a][d];
			const struct rm_queue *rq = &b->rm->q[a][d];
			bool bound = rq->exists && rq->drv == RM_DRV_VFIO_AP;

			if (eq->bound != bound)
				bench_disagree(when, "queue %02x.%04x bound to vfio_ap: engine %d, model %d",
					       a, d, eq->bound, bound);
			if (bound && (eq->mdev != (rq->link < 0 ? NULL : eng[rq->link]) ||
				      eq->reset_rc != rq->reset_rc))
				bench_disagree(when, "queue %02x.%04x: link or last reset rc", a, d);
		}
	}
}

static void bench_teardown(struct bench *b)
{
	bench_compare(b, "after timing");
	eh_exit(b->bus, b->md, &b->mdevc);
	rm_destroy(b->rm);
}

/* ---- the operations, engine and reference -------------------------------- */

#define ADAPTER_TEXT	"200\n"

static void eng_assign_cycle(struct bench *b)
{
	size_t n = strlen(ADAPTER_TEXT);

	bench_expect(vap_assign_adapter_store(b->md, b->m0, ADAPTER_TEXT, n), (long)n, "assign");
	bench_expect(vap_unassign_adapter_store(b->md, b->m0, ADAPTER_TEXT, n), (long)n, "unassign");
}

static void ref_assign_cycle(struct bench *b)
{
	size_t n = strlen(ADAPTER_TEXT);

	bench_expect(rm_assign_adapter(b->rm, b->r0, ADAPTER_TEXT, n), (long)n, "ref assign");
	bench_expect(rm_unassign_adapter(b->rm, b->r0, ADAPTER_TEXT, n), (long)n, "ref unassign");
}

/* Odd runs add adapter 200, even runs take it away again. */
static const char *bench_next_cfg(struct bench *b)
{
	return b->rep++ & 1 ? b->cfg_base : b->cfg_plus;
}

static void eng_ap_config(struct bench *b)
{
	const char *cfg = bench_next_cfg(b);

	bench_expect(vap_ap_config_store(b->md, b->m0, cfg, APTXT_AP_CONFIG_LEN),
		     APTXT_AP_CONFIG_LEN, "ap_config");
}

static void ref_ap_config(struct bench *b)
{
	const char *cfg = bench_next_cfg(b);

	bench_expect(rm_ap_config_store(b->rm, b->r0, cfg, APTXT_AP_CONFIG_LEN),
		     APTXT_AP_CONFIG_LEN, "ref ap_config");
}

#define RESERVE_OWNED	"+127\n"
#define RESERVE_FREE	"+230\n"
#define RELEASE_FREE	"-230\n"

static void eng_apmask_refused(struct bench *b)
{
	bench_expect(apb_bus_attr_store(b->bus, "apmask", RESERVE_OWNED, strlen(RESERVE_OWNED)),
		     -EBUSY, "apmask refused");
}

static void ref_apmask_refused(struct bench *b)
{
	bench_expect(rm_mask_store(b->rm, false, RESERVE_OWNED, strlen(RESERVE_OWNED)), -EBUSY,
		     "ref apmask refused");
}

static void eng_apmask_cycle(struct bench *b)
{
	size_t n = strlen(RESERVE_FREE);

	bench_expect(apb_bus_attr_store(b->bus, "apmask", RESERVE_FREE, n), (long)n, "apmask +");
	bench_expect(apb_bus_attr_store(b->bus, "apmask", RELEASE_FREE, n), (long)n, "apmask -");
}

static void ref_apmask_cycle(struct bench *b)
{
	size_t n = strlen(RESERVE_FREE);

	bench_expect(rm_mask_store(b->rm, false, RESERVE_FREE, n), (long)n, "ref apmask +");
	bench_expect(rm_mask_store(b->rm, false, RELEASE_FREE, n), (long)n, "ref apmask -");
}

/* ---- timing ----------------------------------------------------------------- */

static long long bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int bench_cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Median of repeated runs, in microseconds; one untimed warm-up run. */
static double bench_median_us(struct bench *b, void (*op)(struct bench *))
{
	static long long samples[BENCH_MAX_REPS];
	long long start = bench_now_ns(), t;
	int n = 0;

	b->rep = 0;
	op(b);
	while (n < BENCH_MAX_REPS &&
	       (n < BENCH_MIN_REPS || bench_now_ns() - start < BENCH_BUDGET_NS)) {
		t = bench_now_ns();
		op(b);
		samples[n++] = bench_now_ns() - t;
	}
	if (b->rep & 1)
		op(b);		/* leave the ap_config cycle where it started */
	qsort(samples, (size_t)n, sizeof(samples[0]), bench_cmp_ll);
	return (n & 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2) / 1000.0;
}

struct bench_op {
	const char *name;
	void (*engine)(struct bench *b);
	void (*reference)(struct bench *b);
};

static const struct bench_op bench_ops[] = {
	{ "assign+unassign adapter", eng_assign_cycle, ref_assign_cycle },
	{ "ap_config write", eng_ap_config, ref_ap_config },
	{ "apmask reserve, refused", eng_apmask_refused, ref_apmask_refused },
	{ "apmask reserve + undo", eng_apmask_cycle, ref_apmask_cycle },
};

/*
 * Before timing: each operation twice on both sides (the ap_config cycle
 * needs two runs to come back), comparing the ZAPQs issued and the state
 * after each run.
 */
static void bench_check(struct bench *b)
{
	unsigned long eng_resets;
	char when[96];
	unsigned int j, k;

	bench_compare(b, "after setup");
	for (j = 0; j < ARRAY_SIZE(bench_ops); j++) {
		for (k = 0; k < 2; k++) {
			snprintf(when, sizeof(when), "after \"%s\" (run %u, %u mdevs)",
				 bench_ops[j].name, k + 1, b->nr_mdevs);
			eng_resets = b->md->reset_count;
			b->rep = k;
			bench_ops[j].engine(b);
			eng_resets = b->md->reset_count - eng_resets;
			rm_events_clear(b->rm);
			b->rep = k;
			bench_ops[j].reference(b);
			if (eng_resets != b->rm->ev.nr_resets)
				bench_disagree(when, "ZAPQs: engine %lu, model %u", eng_resets,
					       b->rm->ev.nr_resets);
			bench_compare(b, when);
		}
	}
}

static size_t bench_mdev_bytes(struct vap_matrix_dev *md, const char *cfg, struct vap_mdev **out)
{
	static const u8 uuid[16] = { 0xbe, 0x4c };
	size_t before = apc_alloc_bytes();
	long n = (long)strlen(cfg);

	if (vap_mdev_probe(md, uuid, out))
		bench_die("out of memory");
	if (*cfg)
		bench_expect(vap_ap_config_store(md, *out, cfg, (size_t)n), n, "memory ap_config");
	return apc_alloc_bytes() - before;
}

static void bench_memory(struct bench *b)
{
	char cfg[APC_PAGE_SIZE];
	struct apb_host_spec spec;
	struct vap_matrix_dev *md;
	struct apb_bus *bus;
	struct vap_mdev *m;
	struct apbm apm, aqm;
	struct mdevc mdevc;
	size_t before, md_bytes, unlinked, linked;

	bench_host_spec(&spec);
	before = apc_alloc_bytes();
	md = vap_matrix_dev_create(NULL, NULL, NULL, NULL, NULL, NULL);
	if (!md)
		bench_die("out of memory");
	md_bytes = apc_alloc_bytes() - before;
	vap_matrix_dev_destroy(md);

	memset(b, 0, sizeof(*b));	/* the callbacks count into it */
	if (eh_init(&spec, &bench_bus_ops, &bench_env_ops, b, &bus, &md, &mdevc))
		bench_die("out of memory");
	unlinked = bench_mdev_bytes(md, "", &m);
	vap_mdev_remove(md, m);
	bench_layout(0, 1, &apm, &aqm);
	aptxt_format_ap_config(&apm, &aqm, &aqm, cfg);
	linked = bench_mdev_bytes(md, cfg, &m);
	printf("\nmemory: bytes held through apc_zalloc (kvzalloc in the kernel)\n");
	printf("%-40s %12zu  (struct %zu + queue table %zu + rc_ok, scratch %zu each)\n",
	       "matrix device", md_bytes, sizeof(*md), sizeof(*md->queues) * APBM_BITS,
	       sizeof(*md->rc_ok) * APBM_BITS);
	printf("%-40s %12zu\n", "mdev, no queue linked", unlinked);
	printf("%-40s %12zu  (%u queues linked: struct + qtable)\n", "mdev, queues linked", linked,
	       m->nr_linked);
	printf("%-40s %12zu  (%.1f MiB)\n", "65536 mdevs, no queue linked",
	       unlinked * VAP_MAX_INSTANCES, (double)unlinked * VAP_MAX_INSTANCES / (1 << 20));
	vap_mdev_remove(md, m);
	eh_exit(bus, md, &mdevc);
}

int main(void)
{
	static const unsigned int mdev_counts[] = { 1, 16, 256 };
	struct bench b;
	long long start = bench_now_ns();
	double eng, ref;
	unsigned int i, j;

	printf("host: 256 adapters x 256 domains (APXA, Na = Nd = 255), apmask 240-255;\n"
	       "mdevs split adapters 0-127 x domains 0-255; medians in microseconds\n"
	       "reference: tests/common/refmodel (the model test_differential verifies);\n"
	       "each layout is checked first: both sides must agree on ZAPQs, matrices, queues\n\n");
	printf("%-26s %6s %12s %12s %9s\n", "operation", "mdevs", "engine us", "reference us",
	       "ratio");
	for (i = 0; i < ARRAY_SIZE(mdev_counts); i++) {
		bench_setup(&b, mdev_counts[i]);
		bench_check(&b);
		for (j = 0; j < ARRAY_SIZE(bench_ops); j++) {
			eng = bench_median_us(&b, bench_ops[j].engine);
			ref = bench_median_us(&b, bench_ops[j].reference);
			printf("%-26s %6u %12.1f %12.1f %8.1fx\n", bench_ops[j].name,
			       mdev_counts[i], eng, ref, eng > 0 ? ref / eng : 0.0);
			fflush(stdout);
		}
		bench_teardown(&b);
	}
	bench_memory(&b);
	printf("\ntotal %.1f s\n", (double)(bench_now_ns() - start) / 1e9);
	return 0;
}
