// SPDX-License-Identifier: GPL-2.0
/*
 * test_differential.c - seeded differential test: kernel/core (vfio_ap
 * engine + AP bus model) against tests/common/refmodel.c.
 *
 * Each step draws one random operation, applies it to both sides and
 * compares the return value/errno, then every observable: matrix,
 * guest_matrix, control_domains and ap_config of every mdev, mdev_list
 * order, available_instances, apmask/aqmask, queue devices, their driver,
 * queue objects (link, last reset rc) and status, CRYCB contents and
 * update counts, eventfd signals, the set of ZAPQs issued (APQN + rc), the
 * conflict warnings and APMASK=/AQMASK= uevents.  Then it checks the
 * invariants of docs/kernel-abi.md §4 on the engine.
 *
 * Usage: test_differential [seed [steps]]
 *   DIFF_SEED=<n>   run this seed only (argv[1] wins)
 *   DIFF_STEPS=<n>  steps per seed (default 20000)
 *   DIFF_VERBOSE=1  print every operation
 *   DIFF_KERNEL=<k> the kernel profile for every seed (6.0 ... 7.0, fixed)
 * Without a seed the fixed seeds in default_seeds[] run, each on its own
 * kernel (seed_kernels[]) and covering the three QCI shapes (seed % 3).
 *
 * On a mismatch it prints the seed, the step, the operation, both
 * results and the last operations, and exits 1.
 */
#include <ctype.h>
#include <stdarg.h>

#include "vfio_ap_core.h"
#include "ap_bus_model.h"
#include "kvm_model.h"
#include "mdev_core.h"
#include "refmodel.h"
#include "engine_host.h"

#define DEFAULT_STEPS	20000
#define HISTORY		48
#define OPLEN		512
/* live mdevs at most; the model has room for RM_MAX_MDEVS (bench/engine) */
#define MAX_LIVE_MDEVS	5

/* seed % 3: QCI shape; 1-4 cover every value */
static const unsigned long long default_seeds[] = { 1, 2, 3, 4 };
/* the kernel of a seed: seed % 4 (CI runs 6.0, 6.15, the newest and fixed) */
static const char *const seed_kernels[] = { "fixed", "6.15", "7.0", "6.0" };

/* The profile the run follows, and the same facts for the reference model. */
static const struct ap_profile *seed_profile(unsigned long long seed)
{
	const char *k = getenv("DIFF_KERNEL");

	return ap_profile_find(k && *k ? k : seed_kernels[seed % 4]);
}

/* IDs the test works with: 0-7 most of the time, these now and then */
static const unsigned int rare_ids[] = { 8, 15, 16, 63, 64, 127, 200, 254, 255 };
#define NR_SMALL	8
#define NR_INTEREST	(NR_SMALL + (unsigned int)ARRAY_SIZE(rare_ids))

static const unsigned char inject_rcs[] = { 0x00, 0x01, 0x03, 0x04, 0x06, 0x07 };

/* ------------------------------------------------------------------------
 * random numbers (splitmix64)
 */

struct rng {
	u64 s;
};

static u64 rnd64(struct rng *r)
{
	u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int rnd(struct rng *r, unsigned int n)
{
	return (unsigned int)(rnd64(r) % n);
}

static bool chance(struct rng *r, unsigned int percent)
{
	return rnd(r, 100) < percent;
}

static unsigned int interest_id(unsigned int i)
{
	return i < NR_SMALL ? i : rare_ids[i - NR_SMALL];
}

/* mostly 0-7, sometimes one of rare_ids */
static unsigned int pick_id(struct rng *r)
{
	if (chance(r, 88))
		return rnd(r, NR_SMALL);
	return rare_ids[rnd(r, ARRAY_SIZE(rare_ids))];
}

/* ------------------------------------------------------------------------
 * the engine side
 */

struct eng {
	struct apb_bus *bus;
	struct vap_matrix_dev *md;
	struct mdevc mdevc;			/* the mdev core */
	struct kvmm_guest kvm[RM_GUESTS];
	struct vap_mdev *mdev[RM_MAX_MDEVS];	/* same slots as the model */
	unsigned long signals[RM_MAX_MDEVS][2];
	struct rm_events ev;			/* recorded like the model's */
};

static int eng_slot(const struct eng *e, const struct vap_mdev *m)
{
	int i;

	for (i = 0; i < RM_MAX_MDEVS; i++)
		if (m && e->mdev[i] == m)
			return i;
	return -1;
}

static void diff_signal(void *env, struct vap_mdev *mdev, int irq_index, void *trigger)
{
	struct eng *e = env;
	int slot = eng_slot(e, mdev);

	if (slot >= 0 && irq_index >= 0 && irq_index < 2)
		e->signals[slot][irq_index]++;
}

/* Only the messages the spec gives word for word are compared. */
static bool diff_log_compared(const char *msg)
{
	return strstr(msg, "Can not reserve queue") ||
	       strstr(msg, "Userspace may not assign queue") ||
	       strstr(msg, "Userspace may not re-assign queue") ||
	       strstr(msg, "No device request registered");
}

static void diff_log(void *env, enum vap_log_level level, const struct vap_mdev *mdev,
		     const char *msg)
{
	struct rm_events *ev = &((struct eng *)env)->ev;

	if (!diff_log_compared(msg))
		return;
	if (ev->nr_logs < RM_MAX_LOGS)
		snprintf(ev->log[ev->nr_logs], RM_LOG_LEN, "%s: %s",
			 mdev ? mdev->name : "-", msg);
	ev->nr_logs++;
}

static const struct vap_env_ops diff_env_ops = {
	.signal = diff_signal,
	.log = diff_log,
};

static void diff_uevent(void *env, const char *devpath, const char *vars)
{
	struct rm_events *ev = &((struct eng *)env)->ev;

	if (strncmp(vars, "APMASK=", 7) && strncmp(vars, "AQMASK=", 7))
		return;
	if (ev->nr_uevents < RM_MAX_UEVENTS)
		snprintf(ev->uevent[ev->nr_uevents], RM_UEVENT_LEN, "%s", vars);
	ev->nr_uevents++;
}

static void diff_bus_log(void *env, const char *line)
{
}

/* every ZAPQ, recorded like the model's */
static void diff_reset(void *env, unsigned int apid, unsigned int apqi, int rc)
{
	struct rm_events *ev = &((struct eng *)env)->ev;

	if (ev->nr_resets < RM_MAX_RESETS) {
		ev->reset[ev->nr_resets].apid = (unsigned char)apid;
		ev->reset[ev->nr_resets].apqi = (unsigned char)apqi;
		ev->reset[ev->nr_resets].rc = (unsigned char)rc;
	}
	ev->nr_resets++;
}

static const struct apb_ops diff_apb_ops = {
	.uevent = diff_uevent,
	.log = diff_bus_log,
	.reset = diff_reset,
};

/* ------------------------------------------------------------------------
 * one run
 */

enum op_kind {
	OP_ASSIGN_ADAPTER, OP_UNASSIGN_ADAPTER, OP_ASSIGN_DOMAIN, OP_UNASSIGN_DOMAIN,
	OP_ASSIGN_CDOM, OP_UNASSIGN_CDOM, OP_AP_CONFIG, OP_MASK, OP_BIND, OP_HOSTCFG,
	OP_SCAN, OP_ATTACH, OP_RESET, OP_INJECT, OP_SET_IRQ, OP_CREATE, OP_REMOVE, NR_OPS
};

static const char *const op_names[NR_OPS] = {
	"assign_adapter", "unassign_adapter", "assign_domain", "unassign_domain",
	"assign_cdom", "unassign_cdom", "ap_config", "mask", "bind", "hostcfg", "scan",
	"attach", "reset", "inject", "set_irq", "create", "remove",
};

struct run {
	unsigned long long seed;
	unsigned long step;
	struct rng r;
	struct rm *rm;
	struct eng *e;
	char op[OPLEN];
	size_t oplen;
	char history[HISTORY][OPLEN];
	unsigned long nr_ops[NR_OPS];
};

static void op_add(struct run *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void op_add(struct run *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->oplen >= OPLEN - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->op + t->oplen, OPLEN - t->oplen, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->oplen += (size_t)n < OPLEN - t->oplen ? (size_t)n : OPLEN - 1 - t->oplen;
}

/* A write buffer as C text: newlines, NULs and quotes made visible. */
static void op_add_buf(struct run *t, const char *buf, size_t count)
{
	char tmp[OPLEN];
	size_t i, o = 0;

	for (i = 0; i < count && o < sizeof(tmp) - 8; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == '\n') {
			tmp[o++] = '\\';
			tmp[o++] = 'n';
		} else if (c == '"' || c == '\\') {
			tmp[o++] = '\\';
			tmp[o++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			o += (size_t)snprintf(tmp + o, sizeof(tmp) - o, "\\x%02x", c);
		} else {
			tmp[o++] = (char)c;
		}
	}
	tmp[o] = '\0';
	op_add(t, "\"%s\"", tmp);
}

static void print_history(const struct run *t)
{
	unsigned long first = t->step >= HISTORY ? t->step - HISTORY + 1 : 0;
	unsigned long s;

	fprintf(stderr, "last operations (step: operation):\n");
	for (s = first; s <= t->step; s++)
		fprintf(stderr, "  %lu: %s\n", s, t->history[s % HISTORY]);
}

static void fail(struct run *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

static unsigned int seeds_done;	/* TAP numbering */

static void fail(struct run *t, const char *fmt, ...)
{
	va_list ap;

	memcpy(t->history[t->step % HISTORY], t->op, OPLEN);
	fprintf(stderr, "\nDIFFERENTIAL MISMATCH: seed %llu, step %lu\n", t->seed, t->step);
	fprintf(stderr, "operation: %s\n", t->op);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	print_history(t);
	fprintf(stderr, "reproduce: DIFF_SEED=%llu DIFF_STEPS=%lu %s\n", t->seed, t->step,
		"tests/diff/test_differential");
	printf("not ok %u - seed %llu: mismatch at step %lu (details on stderr)\n",
	       seeds_done + 1, t->seed, t->step);
	exit(1);
}

static void check_ret(struct run *t, const char *what, long eng, long model)
{
	if (eng != model)
		fail(t, "%s: engine returned %ld (%s), model %ld (%s)", what, eng,
		     eng < 0 ? strerror((int)-eng) : "ok", model,
		     model < 0 ? strerror((int)-model) : "ok");
}

static void check_text(struct run *t, const char *what, const char *eng, int eng_len,
		       const char *model, int model_len)
{
	if (eng_len != model_len || memcmp(eng, model, (size_t)(eng_len > 0 ? eng_len : 0)))
		fail(t, "%s differs\n--- engine (%d):\n%.*s\n--- model (%d):\n%.*s", what, eng_len,
		     eng_len > 0 ? eng_len : 0, eng, model_len, model_len > 0 ? model_len : 0,
		     model);
}

/* ------------------------------------------------------------------------
 * configuration of the simulated machine
 */

static void make_config(unsigned long long seed, struct rng *r, struct rm_config *cfg,
			struct apb_host_spec *spec)
{
	unsigned int shape = (unsigned int)(seed % 3), id, i, lim_ap, lim_aq;

	memset(cfg, 0, sizeof(*cfg));
	switch (shape) {
	case 0:		/* APXA, full 256 x 256 */
		cfg->apxa = true;
		cfg->na = 255;
		cfg->nd = 255;
		break;
	case 1:		/* APXA with smaller Na/Nd */
		cfg->apxa = true;
		cfg->na = 8 + rnd(r, 248);
		cfg->nd = 8 + rnd(r, 248);
		break;
	default:	/* no APXA: 63 / 15, Na/Nd are not looked at */
		cfg->apxa = false;
		cfg->na = rnd(r, 256);
		cfg->nd = rnd(r, 256);
		break;
	}
	lim_ap = cfg->apxa ? cfg->na : 63;
	lim_aq = cfg->apxa ? cfg->nd : 15;

	for (id = 0; id < RM_IDS; id++)
		cfg->type[id] = (unsigned char)(10 + rnd(r, 5));
	for (i = 0; i < NR_INTEREST; i++) {
		id = interest_id(i);
		if (chance(r, 8))
			cfg->type[id] = 0;
		else if (chance(r, 8))
			cfg->type[id] = 9;	/* older than CEX4 */
		if (id <= lim_ap && chance(r, 70))
			cfg->apm[id] = true;
		if (id <= lim_aq && chance(r, 70))
			cfg->aqm[id] = true;
		if (id <= lim_aq && chance(r, 50))
			cfg->adm[id] = true;
	}
	for (id = 0; id < RM_IDS; id++) {
		cfg->apmask[id] = true;
		cfg->aqmask[id] = true;
	}
	for (i = 0; i < NR_INTEREST; i++) {
		id = interest_id(i);
		if (chance(r, i < NR_SMALL ? 50 : 20))
			cfg->apmask[id] = false;
		if (chance(r, i < NR_SMALL ? 50 : 20))
			cfg->aqmask[id] = false;
	}
	cfg->in_use_all_ones = ap_profile_has(seed_profile(seed), AP_FEAT_IN_USE_ALL_ONES);
	cfg->kver = (int)seed_profile(seed)->kver;
	cfg->cfg_bugs = ap_profile_bug(seed_profile(seed), AP_BUG_CFG_REMOVE_CDOM_ANDNOT);
	cfg->guest[0].has_crycb = true;
	cfg->guest[0].fmt2 = true;
	cfg->guest[1].has_crycb = true;
	cfg->guest[1].fmt2 = false;
	cfg->guest[2].has_crycb = false;

	/* the same machine for the engine's bus */
	memset(spec, 0, sizeof(*spec));
	spec->qci.apsc = true;
	spec->qci.apxa = cfg->apxa;
	spec->qci.qact = true;
	spec->qci.rc8a = true;
	spec->qci.na = (u8)cfg->na;
	spec->qci.nd = (u8)cfg->nd;
	for (id = 0; id < RM_IDS; id++) {
		if (cfg->apm[id])
			apbm_set(&spec->qci.apm, id);
		if (cfg->aqm[id])
			apbm_set(&spec->qci.aqm, id);
		if (cfg->adm[id])
			apbm_set(&spec->qci.adm, id);
		if (cfg->apmask[id])
			apbm_set(&spec->apmask, id);
		if (cfg->aqmask[id])
			apbm_set(&spec->aqmask, id);
		spec->adapter[id].raw_type = cfg->type[id];
		spec->adapter[id].functions = cfg->type[id] ? APB_FUNC_CCA : 0;
	}
	spec->profile = seed_profile(seed);
}

static struct eng *eng_create(const struct rm_config *cfg, const struct apb_host_spec *spec)
{
	struct eng *e = calloc(1, sizeof(*e));
	int i;

	if (!e || eh_init(spec, &diff_apb_ops, &diff_env_ops, e, &e->bus, &e->md, &e->mdevc))
		abort();
	for (i = 0; i < RM_GUESTS; i++)
		kvmm_guest_init(&e->kvm[i], cfg->guest[i].has_crycb, cfg->guest[i].fmt2, NULL,
				NULL);
	return e;
}

static void eng_destroy(struct eng *e)
{
	int i;

	eh_exit(e->bus, e->md, &e->mdevc);
	for (i = 0; i < RM_GUESTS; i++)
		kvmm_guest_destroy(&e->kvm[i]);
	free(e);
}

/* ------------------------------------------------------------------------
 * input generators
 */

static const char *const garbage_numbers[] = {
	"", "\n", "-1", " 5", "5 ", "5x", "0x", "+", "++5", "5\n\n", "09", "0b1",
	"18446744073709551616", "99999999999999999999999", "0x1ffffffffffffffff",
	"\t3", "3\t", "1e3", "0x-1", "- 3",
};

/* A number as a sysfs write: mostly valid IDs, some out of range, garbage. */
static size_t gen_number(struct rng *r, char *buf, size_t size)
{
	unsigned long long v;
	unsigned int p = rnd(r, 100);

	if (p < 6) {
		const char *g = garbage_numbers[rnd(r, ARRAY_SIZE(garbage_numbers))];

		return (size_t)snprintf(buf, size, "%s", g);
	}
	if (p < 82) {
		v = rnd(r, NR_SMALL);
	} else if (p < 93) {
		v = rare_ids[rnd(r, ARRAY_SIZE(rare_ids))];
	} else if (p < 97) {
		v = rnd(r, 256);
	} else {
		static const unsigned long long big[] = {
			256, 257, 1000, 65535, 65536, 1ULL << 40, ~0ULL,
		};
		v = big[rnd(r, ARRAY_SIZE(big))];
	}

	switch (rnd(r, 9)) {
	case 0:
		return (size_t)snprintf(buf, size, "%llu\n", v);
	case 1:
		return (size_t)snprintf(buf, size, "0x%llx", v);
	case 2:
		return (size_t)snprintf(buf, size, "0X%llX\n", v);
	case 3:
		return (size_t)snprintf(buf, size, "+%llu", v);
	case 4:
		return (size_t)snprintf(buf, size, "0%llo", v);
	case 5: {
		/* the store sees text up to the first NUL */
		size_t n = (size_t)snprintf(buf, size, "%llu", v);

		memcpy(buf + n, "\0zz", 3);
		return n + 3;
	}
	default:
		return (size_t)snprintf(buf, size, "%llu", v);
	}
}

static void bools_to_apbm(const bool *v, struct apbm *b)
{
	unsigned int id;

	apbm_zero(b);
	for (id = 0; id < RM_IDS; id++)
		if (v[id])
			apbm_set(b, id);
}

/* 256-bit mask over the interest IDs, each set with @percent. */
static void gen_mask(struct rng *r, struct apbm *b, unsigned int percent_small,
		     unsigned int percent_rare)
{
	unsigned int i;

	apbm_zero(b);
	for (i = 0; i < NR_INTEREST; i++)
		if (chance(r, i < NR_SMALL ? percent_small : percent_rare))
			apbm_set(b, interest_id(i));
}

/* "0x" + 64 hex digits, optionally shortened or with another prefix */
static size_t fmt_hexmask(struct rng *r, const struct apbm *b, char *buf, bool allow_variants)
{
	char hex[80];
	size_t n, len;

	aptxt_format_hexmask(b, hex);		/* "0x" + 64 */
	n = 66;
	if (allow_variants && chance(r, 40))	/* drop trailing zero digits */
		while (n > 2 && hex[n - 1] == '0')
			n--;
	if (allow_variants && chance(r, 10)) {
		len = (size_t)sprintf(buf, "x%.*s", (int)(n - 2), hex + 2);
	} else if (allow_variants && chance(r, 10)) {
		len = (size_t)sprintf(buf, "%.*s", (int)(n - 2), hex + 2);
	} else {
		memcpy(buf, hex, n);
		len = n;
	}
	buf[len] = '\0';
	return len;
}

static size_t gen_relative_mask(struct rng *r, char *buf)
{
	static const char *const seps[] = { ",", "\n", ",,", ",\n" };
	unsigned int terms = 1 + rnd(r, 3), i;
	size_t n = 0;

	for (i = 0; i < terms; i++) {
		unsigned int a = pick_id(r), b;
		const char *fmt = chance(r, 70) ? "%u" : chance(r, 50) ? "0x%x" : "0%o";

		if (i)
			n += (size_t)sprintf(buf + n, "%s", seps[rnd(r, ARRAY_SIZE(seps))]);
		buf[n++] = chance(r, 50) ? '+' : '-';
		n += (size_t)sprintf(buf + n, fmt, a);
		if (chance(r, 25)) {
			b = a + rnd(r, 4);
			if (b > 255)
				b = 255;
			n += (size_t)sprintf(buf + n, "-%u", b);
		}
	}
	if (chance(r, 40))
		buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

static const char *const bad_masks[] = {
	"+1 ", "+256", "+5-3", "+1,2", "+0x", "+", "-", "+1-", "+1x", " +1", "+1,+300",
	"0X80", "0x8g", "0x 1", "0x12\n\n", "+1;+2", "+-1", "++1", "+0-256", "ff ",
	"0x00000000000000000000000000000000000000000000000000000000000000000",
};

static size_t gen_mask_write(struct rng *r, const struct rm *rm, bool aq, char *buf)
{
	const bool *cur = aq ? rm->aqmask : rm->apmask;
	unsigned int p = rnd(r, 100), id, flips;
	struct apbm b;
	size_t n;

	if (p < 2) {
		static const char *const whole[] = { "-0-255", "+0-255", "-0-255,+1-16\n",
						     "+0-0xff,-0x10-0x1f" };

		return (size_t)sprintf(buf, "%s", whole[rnd(r, ARRAY_SIZE(whole))]);
	}
	if (p < 50)
		return gen_relative_mask(r, buf);
	if (p < 60)
		return (size_t)sprintf(buf, "%s", bad_masks[rnd(r, ARRAY_SIZE(bad_masks))]);
	if (p < 62) {
		static const char *const zeros[] = { "", "\n", "0x", "0x\n", "x" };

		return (size_t)sprintf(buf, "%s", zeros[rnd(r, ARRAY_SIZE(zeros))]);
	}
	/* absolute: the current mask with a few small IDs flipped */
	apbm_zero(&b);
	for (id = 0; id < RM_IDS; id++)
		if (cur[id])
			apbm_set(&b, id);
	if (p < 66) {
		apbm_fill(&b);
	} else {
		for (flips = 1 + rnd(r, 2); flips; flips--) {
			id = pick_id(r);
			if (apbm_test(&b, id))
				apbm_clear(&b, id);
			else
				apbm_set(&b, id);
		}
	}
	n = fmt_hexmask(r, &b, buf, true);
	if (chance(r, 50))
		buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

static const char *const bad_configs[] = {
	"0x80,0x80", "0X80,0x80,0x80", "0x8g,,", " 0x1,,", "", "\n", "0x80\n0x80",
	"0x80,0x80,0x00000000000000000000000000000000000000000000000000000000000000000",
	"0x80,0x80,zz", "0x80 ,0x80,0x80", "-1,,",
};

static size_t gen_ap_config(struct rng *r, struct rm *rm, int slot, char *buf)
{
	unsigned int p = rnd(r, 100), id;
	struct apbm apm, aqm, adm;
	size_t n = 0;

	if (p < 10) {
		/* the current configuration, unchanged: still re-filters */
		return (size_t)rm_ap_config_show(rm, slot, buf);
	}
	if (p < 16) {
		static const char *const clear[] = { ",,", "0x,0x,0x", ",,\n", "x,x,x\n" };

		return (size_t)sprintf(buf, "%s", clear[rnd(r, ARRAY_SIZE(clear))]);
	}
	if (p < 26)
		return (size_t)sprintf(buf, "%s", bad_configs[rnd(r, ARRAY_SIZE(bad_configs))]);
	if (p < 29) {
		/* dense masks: big products, page-capped matrix text, ENODEV */
		for (id = 0; id < RM_IDS; id++) {
			if (chance(r, 50))
				apbm_set(&apm, id);
			else
				apbm_clear(&apm, id);
			if (chance(r, 50))
				apbm_set(&aqm, id);
			else
				apbm_clear(&aqm, id);
			if (chance(r, 50))
				apbm_set(&adm, id);
			else
				apbm_clear(&adm, id);
		}
		if (chance(r, 50)) {
			apbm_limit(&apm, rm->m[slot].apm_max);
			apbm_limit(&aqm, rm->m[slot].aqm_max);
			apbm_limit(&adm, rm->m[slot].adm_max);
		}
		goto format;
	}

	if (p < 50) {
		/* the current configuration with one ID flipped */
		struct apbm *which;

		bools_to_apbm(rm->m[slot].apm, &apm);
		bools_to_apbm(rm->m[slot].aqm, &aqm);
		bools_to_apbm(rm->m[slot].adm, &adm);
		which = p < 35 ? &apm : p < 45 ? &aqm : &adm;
		id = pick_id(r);
		if (apbm_test(which, id))
			apbm_clear(which, id);
		else
			apbm_set(which, id);
	} else {
		gen_mask(r, &apm, 25, 3);
		gen_mask(r, &aqm, 25, 3);
		gen_mask(r, &adm, 20, 3);
	}
format:
	n += fmt_hexmask(r, &apm, buf + n, true);
	buf[n++] = ',';
	n += fmt_hexmask(r, &aqm, buf + n, true);
	buf[n++] = ',';
	n += fmt_hexmask(r, &adm, buf + n, true);
	if (chance(r, 60))
		buf[n++] = '\n';
	else if (chance(r, 10))
		n += (size_t)sprintf(buf + n, ",ignored");
	buf[n] = '\0';
	return n;
}

/* ------------------------------------------------------------------------
 * return-code statistics (so a run shows it was not vacuous)
 */

enum { ST_OK, ST_EINVAL, ST_ERANGE, ST_ENODEV, ST_EADDRNOTAVAIL, ST_EADDRINUSE, ST_EBUSY,
       ST_EPERM, ST_EIO, ST_EEXIST, ST_OTHER, NR_ST };
static const char *const st_names[NR_ST] = {
	"ok", "EINVAL", "ERANGE", "ENODEV", "EADDRNOTAVAIL", "EADDRINUSE", "EBUSY", "EPERM",
	"EIO", "EEXIST", "other",
};

struct stats {
	unsigned long ret[NR_ST];
	unsigned long resets, in_use_steps, crycb_updates, plugged_steps;
};

static struct stats stats;

static void count_ret(long ret)
{
	int st;

	switch (ret) {
	case -EINVAL: st = ST_EINVAL; break;
	case -ERANGE: st = ST_ERANGE; break;
	case -ENODEV: st = ST_ENODEV; break;
	case -EADDRNOTAVAIL: st = ST_EADDRNOTAVAIL; break;
	case -EADDRINUSE: st = ST_EADDRINUSE; break;
	case -EBUSY: st = ST_EBUSY; break;
	case -EPERM: st = ST_EPERM; break;
	case -EIO: st = ST_EIO; break;
	case -EEXIST: st = ST_EEXIST; break;
	default: st = ret >= 0 ? ST_OK : ST_OTHER; break;
	}
	stats.ret[st]++;
}

static void same_ret(struct run *t, const char *what, long eng, long model)
{
	check_ret(t, what, eng, model);
	count_ret(model);
	op_add(t, " -> %ld", model);
}

/* ------------------------------------------------------------------------
 * operations: each applies one thing to both sides and compares the result
 */

static int live_slots(const struct run *t, int out[RM_MAX_MDEVS])
{
	return rm_mdev_order(t->rm, out);
}

static int pick_slot(struct run *t)
{
	int order[RM_MAX_MDEVS], n = live_slots(t, order);

	return n ? order[rnd(&t->r, (unsigned int)n)] : -1;
}

typedef long (*eng_store_fn)(struct vap_matrix_dev *md, struct vap_mdev *m, const char *buf,
			     size_t count);
typedef long (*rm_store_fn)(struct rm *rm, int slot, const char *buf, size_t count);

/* The engine's side is the row of vap_mdev_attrs[] that the host would serve. */
static void do_store(struct run *t, int slot, const char *name, rm_store_fn mf,
		     const char *buf, size_t n)
{
	eng_store_fn ef = vap_mdev_attr_find(name)->store;
	long er, mr;

	op_add(t, "mdev%d %s ", slot, name);
	op_add_buf(t, buf, n);
	er = ef(t->e->md, t->e->mdev[slot], buf, n);
	mr = mf(t->rm, slot, buf, n);
	same_ret(t, name, er, mr);
}

static void op_create(struct run *t);

static void op_assign(struct run *t, unsigned int which)
{
	static const struct {
		const char *name;
		rm_store_fn mf;
	} attrs[] = {
		{ "assign_adapter", rm_assign_adapter },
		{ "unassign_adapter", rm_unassign_adapter },
		{ "assign_domain", rm_assign_domain },
		{ "unassign_domain", rm_unassign_domain },
		{ "assign_control_domain", rm_assign_control_domain },
		{ "unassign_control_domain", rm_unassign_control_domain },
	};
	int slot = pick_slot(t);
	char buf[64];
	size_t n;

	if (slot < 0) {
		op_create(t);
		return;
	}
	n = gen_number(&t->r, buf, sizeof(buf));
	do_store(t, slot, attrs[which].name, attrs[which].mf, buf, n);
}

static void op_ap_config(struct run *t)
{
	int slot = pick_slot(t);
	char buf[1024];
	size_t n;

	if (slot < 0) {
		op_create(t);
		return;
	}
	if (!vap_mdev_attr_find("ap_config")->is_visible(t->e->md)) {
		op_add(t, "(this kernel has no ap_config) ");
		return;
	}
	n = gen_ap_config(&t->r, t->rm, slot, buf);
	do_store(t, slot, "ap_config", rm_ap_config_store, buf, n);
}

static const char *drv_name(enum rm_drv drv)
{
	return drv == RM_DRV_VFIO_AP ? "vfio_ap" : drv == RM_DRV_CEX4QUEUE ? "cex4queue" : "-";
}

static enum apb_drv to_apb_drv(enum rm_drv drv)
{
	return drv == RM_DRV_VFIO_AP ? APB_DRV_VFIO_AP :
	       drv == RM_DRV_CEX4QUEUE ? APB_DRV_CEX4QUEUE : APB_DRV_NONE;
}

static void do_bind(struct run *t, bool bind, enum rm_drv drv, const char *buf, size_t n)
{
	long er, mr;

	op_add(t, "%s %s ", drv_name(drv), bind ? "bind" : "unbind");
	op_add_buf(t, buf, n);
	if (bind) {
		er = apb_bind_store(t->e->bus, to_apb_drv(drv), buf, n);
		mr = rm_bind_store(t->rm, drv, buf, n);
	} else {
		er = apb_unbind_store(t->e->bus, to_apb_drv(drv), buf, n);
		mr = rm_unbind_store(t->rm, drv, buf, n);
	}
	same_ret(t, bind ? "bind" : "unbind", er, mr);
}

/* A queue device in the interest set with driver @drv (any if NONE+any). */
static bool pick_queue(struct run *t, bool any_drv, enum rm_drv drv, unsigned int *apid,
		       unsigned int *apqi)
{
	unsigned int cand[NR_INTEREST * NR_INTEREST], n = 0, i, j;

	for (i = 0; i < NR_INTEREST; i++)
		for (j = 0; j < NR_INTEREST; j++) {
			const struct rm_queue *q = &t->rm->q[interest_id(i)][interest_id(j)];

			if (q->exists && (any_drv || q->drv == drv))
				cand[n++] = i * NR_INTEREST + j;
		}
	if (!n)
		return false;
	i = cand[rnd(&t->r, n)];
	*apid = interest_id(i / NR_INTEREST);
	*apqi = interest_id(i % NR_INTEREST);
	return true;
}

static size_t queue_name(struct rng *r, unsigned int apid, unsigned int apqi, char *buf)
{
	aptxt_format_apqn(apid, apqi, buf);
	if (chance(r, 30)) {
		strcat(buf, "\n");
		return 8;
	}
	return 7;
}

static void op_bind(struct run *t)
{
	static const char *const bad_names[] = {
		"card03", "card03\n", "03.0004x", "3.4", "0A.0001", "zz", "", "\n", "ff.ffff",
		"03.0004\n\n", " 03.0004", "03,0004",
	};
	unsigned int p = rnd(&t->r, 100), a, d;
	enum rm_drv drv = chance(&t->r, 50) ? RM_DRV_VFIO_AP : RM_DRV_CEX4QUEUE;
	char buf[32];
	size_t n;

	if (p < 40 && pick_queue(t, false, RM_DRV_VFIO_AP, &a, &d)) {
		n = queue_name(&t->r, a, d, buf);
		do_bind(t, false, RM_DRV_VFIO_AP, buf, n);
	} else if (p < 55 && pick_queue(t, false, RM_DRV_CEX4QUEUE, &a, &d)) {
		n = queue_name(&t->r, a, d, buf);
		do_bind(t, false, RM_DRV_CEX4QUEUE, buf, n);
	} else if (p < 85 && pick_queue(t, false, RM_DRV_NONE, &a, &d)) {
		n = queue_name(&t->r, a, d, buf);
		do_bind(t, true, drv, buf, n);
	} else if (p < 93 && pick_queue(t, true, RM_DRV_NONE, &a, &d)) {
		n = queue_name(&t->r, a, d, buf);
		do_bind(t, chance(&t->r, 50), drv, buf, n);
	} else {
		const char *b = bad_names[rnd(&t->r, ARRAY_SIZE(bad_names))];

		do_bind(t, chance(&t->r, 50), drv, b, strlen(b));
	}
}

/*
 * Upstream does not define what a mask change does to a queue left without
 * a driver (§3.4), so every such queue is bound to its proper driver first.
 */
static void rebind_unbound(struct run *t)
{
	unsigned int a, d;
	char buf[16];

	for (a = 0; a < RM_IDS; a++)
		for (d = 0; d < RM_IDS; d++) {
			const struct rm_queue *q = &t->rm->q[a][d];
			bool reserved = t->rm->apmask[a] && t->rm->aqmask[d];

			if (!q->exists || q->drv != RM_DRV_NONE)
				continue;
			aptxt_format_apqn(a, d, buf);
			do_bind(t, true, reserved ? RM_DRV_CEX4QUEUE : RM_DRV_VFIO_AP, buf, 7);
			op_add(t, "; ");
		}
}

static void op_mask(struct run *t)
{
	bool aq = chance(&t->r, 50);
	const char *attr = aq ? "aqmask" : "apmask";
	char buf[256];
	long er, mr;
	size_t n;

	rebind_unbound(t);
	n = gen_mask_write(&t->r, t->rm, aq, buf);
	op_add(t, "%s ", attr);
	op_add_buf(t, buf, n);
	er = apb_bus_attr_store(t->e->bus, attr, buf, n);
	mr = rm_mask_store(t->rm, aq, buf, n);
	if (mr == -EBUSY)
		stats.in_use_steps++;
	same_ret(t, attr, er, mr);
}

static void op_scan_both(struct run *t)
{
	if (chance(&t->r, 50)) {
		long er = apb_bus_attr_store(t->e->bus, "scans", "1\n", 2);

		op_add(t, "write scans");
		rm_scan(t->rm);
		same_ret(t, "scans", er, 2);
	} else {
		op_add(t, "scan");
		apb_scan(t->e->bus);
		rm_scan(t->rm);
	}
}

static void op_hostcfg(struct run *t)
{
	static const unsigned char types[] = { 0, 9, 10, 11, 12, 13, 14 };
	unsigned int changes = 1 + rnd(&t->r, 3);
	long er, mr;

	while (changes--) {
		unsigned int kind = rnd(&t->r, 10), id = pick_id(&t->r);
		bool on;

		if (kind < 4) {
			on = !t->rm->hw_apm[id];
			op_add(t, "hw adapter %u %s; ", id, on ? "on" : "off");
			er = apb_hw_set_adapter(t->e->bus, id, on);
			mr = rm_hw_set_adapter(t->rm, id, on);
		} else if (kind < 7) {
			on = !t->rm->hw_aqm[id];
			op_add(t, "hw domain %u %s; ", id, on ? "on" : "off");
			er = apb_hw_set_domain(t->e->bus, id, on);
			mr = rm_hw_set_domain(t->rm, id, on);
		} else if (kind < 9) {
			on = !t->rm->hw_adm[id];
			op_add(t, "hw control domain %u %s; ", id, on ? "on" : "off");
			er = apb_hw_set_control_domain(t->e->bus, id, on);
			mr = rm_hw_set_control_domain(t->rm, id, on);
		} else {
			unsigned char type = types[rnd(&t->r, ARRAY_SIZE(types))];

			/* only adapters outside the configuration change type */
			if (t->rm->hw_apm[id] || t->rm->qci_apm[id])
				continue;
			op_add(t, "hw adapter %u type %u; ", id, type);
			er = apb_hw_set_adapter_type(t->e->bus, id, type,
						     type ? APB_FUNC_CCA : 0);
			mr = rm_hw_set_adapter_type(t->rm, id, type);
		}
		check_ret(t, "hw change", er, mr);
	}
	op_scan_both(t);
}

static void op_attach(struct run *t)
{
	int slot = pick_slot(t), g;
	struct rm_mdev *m;
	unsigned int p = rnd(&t->r, 100);
	long er, mr;

	if (slot < 0) {
		op_create(t);
		return;
	}
	m = &t->rm->m[slot];
	if (m->open) {
		if (p < 12) {
			/* open twice, with a guest that has no hook set */
			g = (int)rnd(&t->r, RM_GUESTS);
			if (t->rm->g[g].hook < 0) {
				op_add(t, "mdev%d open again guest%d", slot, g);
				er = vap_mdev_open(t->e->md, t->e->mdev[slot], &t->e->kvm[g].kvm);
				mr = rm_mdev_open(t->rm, slot, g);
				same_ret(t, "open", er, mr);
				return;
			}
		}
		if (p < 25) {
			op_add(t, "mdev%d request(0); ", slot);
			vap_mdev_request(t->e->md, t->e->mdev[slot], 0);
			rm_mdev_request(t->rm, slot, 0);
		}
		op_add(t, "mdev%d close", slot);
		vap_mdev_close(t->e->md, t->e->mdev[slot]);
		rm_mdev_close(t->rm, slot);
		return;
	}
	g = p < 5 ? -1 : (int)rnd(&t->r, RM_GUESTS);
	op_add(t, "mdev%d open guest%d", slot, g);
	er = vap_mdev_open(t->e->md, t->e->mdev[slot], g < 0 ? NULL : &t->e->kvm[g].kvm);
	mr = rm_mdev_open(t->rm, slot, g);
	same_ret(t, "open", er, mr);
}

static void inject(struct run *t, unsigned int apid, unsigned int apqi)
{
	unsigned char rc = inject_rcs[rnd(&t->r, ARRAY_SIZE(inject_rcs))];
	long er, mr;

	op_add(t, "inject %02x.%04x rc %u; ", apid, apqi, rc);
	er = apb_hw_inject_reset_rc(t->e->bus, apid, apqi, rc);
	mr = rm_hw_inject_reset_rc(t->rm, apid, apqi, rc);
	check_ret(t, "inject", er, mr);
}

static void op_reset(struct run *t)
{
	int slot = pick_slot(t);
	unsigned int a, d, k;
	long er, mr;

	if (slot < 0) {
		op_create(t);
		return;
	}
	for (k = chance(&t->r, 60) ? 1 + rnd(&t->r, 2) : 0; k; k--) {
		unsigned int tries;

		/* prefer the mdev's own linked queues */
		for (tries = 0; tries < 8; tries++) {
			if (pick_queue(t, true, RM_DRV_NONE, &a, &d) && t->rm->q[a][d].link == slot)
				break;
		}
		if (tries < 8)
			inject(t, a, d);
	}
	op_add(t, "mdev%d VFIO_DEVICE_RESET", slot);
	er = vap_mdev_reset(t->e->md, t->e->mdev[slot]);
	mr = rm_mdev_reset(t->rm, slot);
	same_ret(t, "reset", er, mr);
}

static void op_inject(struct run *t)
{
	unsigned int a, d;

	if (!chance(&t->r, 70) || !pick_queue(t, true, RM_DRV_NONE, &a, &d)) {
		a = pick_id(&t->r);
		d = pick_id(&t->r);
	}
	inject(t, a, d);
}

static void op_set_irq(struct run *t)
{
	static const unsigned int idx[] = { 0, 1, 0, 1, 2, 3 };
	int slot = pick_slot(t);
	unsigned int index = idx[rnd(&t->r, ARRAY_SIZE(idx))];
	bool set = chance(&t->r, 65);
	long er, mr;

	if (slot < 0) {
		op_create(t);
		return;
	}
	op_add(t, "mdev%d SET_IRQS index %u %s", slot, index, set ? "eventfd" : "-1");
	er = vap_mdev_set_irq(t->e->md, t->e->mdev[slot], index,
			      set ? (void *)&t->e->signals[slot] : NULL);
	mr = rm_mdev_set_irq(t->rm, slot, index, set);
	same_ret(t, "set_irq", er, mr);
}

static size_t gen_uuid(struct run *t, char *buf)
{
	unsigned int p = rnd(&t->r, 100), i;
	int order[RM_MAX_MDEVS], n = live_slots(t, order);
	unsigned char uuid[16];
	size_t len;

	if (p < 10 && n) {
		/* an existing one, maybe in uppercase: EEXIST */
		len = (size_t)sprintf(buf, "%s", t->rm->m[order[rnd(&t->r, (unsigned int)n)]].name);
		if (chance(&t->r, 50))
			for (i = 0; i < len; i++)
				buf[i] = (char)toupper((unsigned char)buf[i]);
		return len;
	}
	for (i = 0; i < 16; i++)
		uuid[i] = (unsigned char)rnd(&t->r, 256);
	aptxt_format_uuid(uuid, buf);
	len = APTXT_UUID_LEN;
	if (p < 18) {
		static const char *const bad[] = { "short", "long", "char", "dash" };
		const char *how = bad[rnd(&t->r, ARRAY_SIZE(bad))];

		if (!strcmp(how, "short"))
			len--;
		else if (!strcmp(how, "long"))
			len += (size_t)sprintf(buf + len, "\n\n");
		else if (!strcmp(how, "char"))
			buf[rnd(&t->r, APTXT_UUID_LEN)] = 'g';
		else
			buf[8] = '0';
		buf[len] = '\0';
		return len;
	}
	if (chance(&t->r, 15))
		for (i = 0; i < len; i++)
			buf[i] = (char)toupper((unsigned char)buf[i]);
	if (chance(&t->r, 50))
		buf[len++] = '\n';
	buf[len] = '\0';
	return len;
}

static void op_create(struct run *t)
{
	int order[RM_MAX_MDEVS];
	struct mdevc_dev *out = NULL;
	char buf[64];
	long er, mr;
	size_t n;

	if (live_slots(t, order) >= MAX_LIVE_MDEVS) {
		op_add(t, "(full) ");
		return;
	}
	n = gen_uuid(t, buf);
	op_add(t, "create ");
	op_add_buf(t, buf, n);
	er = mdevc_create(&t->e->mdevc, buf, n, &out);
	mr = rm_mdev_create(t->rm, buf, n);
	same_ret(t, "create", er, mr < 0 ? mr : 0);
	if (mr >= 0) {
		t->e->mdev[mr] = out->drvdata;
		t->e->signals[mr][0] = 0;
		t->e->signals[mr][1] = 0;
		op_add(t, " = mdev%ld %s", mr, t->rm->m[mr].name);
	}
}

static void do_remove(struct run *t, int slot, const char *buf)
{
	size_t n = strlen(buf);
	long er, mr;

	op_add(t, "mdev%d remove ", slot);
	op_add_buf(t, buf, n);
	er = mdevc_remove_store(&t->e->mdevc, mdevc_find_drvdata(&t->e->mdevc, t->e->mdev[slot]),
				buf, n);
	mr = rm_mdev_remove_store(t->rm, slot, buf, n);
	same_ret(t, "remove", er, mr);
	if (mr > 0 && !t->rm->m[slot].used)
		t->e->mdev[slot] = NULL;
}

static void op_remove(struct run *t)
{
	static const char *const vals[] = { "1", "1\n", "0", "x", "0x1", "-1", "", "2",
					    "99999999999999999999999" };
	int slot = pick_slot(t);

	if (slot < 0) {
		op_create(t);
		return;
	}
	do_remove(t, slot, vals[rnd(&t->r, ARRAY_SIZE(vals))]);
	if (t->rm->m[slot].used && t->rm->m[slot].open && chance(&t->r, 70)) {
		/* what the kernel host does while remove blocks */
		op_add(t, "; request(0); close; ");
		vap_mdev_request(t->e->md, t->e->mdev[slot], 0);
		rm_mdev_request(t->rm, slot, 0);
		vap_mdev_close(t->e->md, t->e->mdev[slot]);
		rm_mdev_close(t->rm, slot);
		do_remove(t, slot, "1");
	}
}


static const unsigned int op_weight[NR_OPS] = {
	[OP_ASSIGN_ADAPTER] = 13, [OP_UNASSIGN_ADAPTER] = 5, [OP_ASSIGN_DOMAIN] = 13,
	[OP_UNASSIGN_DOMAIN] = 5, [OP_ASSIGN_CDOM] = 4, [OP_UNASSIGN_CDOM] = 3,
	[OP_AP_CONFIG] = 8, [OP_MASK] = 9, [OP_BIND] = 9, [OP_HOSTCFG] = 8, [OP_SCAN] = 1,
	[OP_ATTACH] = 7, [OP_RESET] = 4, [OP_INJECT] = 3, [OP_SET_IRQ] = 2, [OP_CREATE] = 4,
	[OP_REMOVE] = 2,
};

static void do_op(struct run *t)
{
	unsigned int total = 0, x, k;

	for (k = 0; k < NR_OPS; k++)
		total += op_weight[k];
	x = rnd(&t->r, total);
	for (k = 0; x >= op_weight[k]; k++)
		x -= op_weight[k];
	t->nr_ops[k]++;

	switch (k) {
	case OP_ASSIGN_ADAPTER:
	case OP_UNASSIGN_ADAPTER:
	case OP_ASSIGN_DOMAIN:
	case OP_UNASSIGN_DOMAIN:
	case OP_ASSIGN_CDOM:
	case OP_UNASSIGN_CDOM:
		op_assign(t, k - OP_ASSIGN_ADAPTER);
		break;
	case OP_AP_CONFIG:
		op_ap_config(t);
		break;
	case OP_MASK:
		op_mask(t);
		break;
	case OP_BIND:
		op_bind(t);
		break;
	case OP_HOSTCFG:
		op_hostcfg(t);
		break;
	case OP_SCAN:
		op_scan_both(t);
		break;
	case OP_ATTACH:
		op_attach(t);
		break;
	case OP_RESET:
		op_reset(t);
		break;
	case OP_INJECT:
		op_inject(t);
		break;
	case OP_SET_IRQ:
		op_set_irq(t);
		break;
	case OP_CREATE:
		op_create(t);
		break;
	default:
		op_remove(t);
		break;
	}
}

/* ------------------------------------------------------------------------
 * comparison of everything observable
 */

static int cmp_reset(const void *pa, const void *pb)
{
	const struct rm_reset *a = pa, *b = pb;

	if (a->apid != b->apid)
		return a->apid - b->apid;
	if (a->apqi != b->apqi)
		return a->apqi - b->apqi;
	return a->rc - b->rc;
}

static void format_resets(const struct rm_events *ev, char *out, size_t size)
{
	unsigned int i, n = ev->nr_resets < RM_MAX_RESETS ? ev->nr_resets : RM_MAX_RESETS;
	size_t o = 0;

	out[0] = '\0';
	for (i = 0; i < n && o + 16 < size; i++)
		o += (size_t)snprintf(out + o, size - o, " %02x.%04x(rc %u)", ev->reset[i].apid,
				      ev->reset[i].apqi, ev->reset[i].rc);
}

static void compare_events(struct run *t)
{
	struct rm_events *ee = &t->e->ev, *me = &t->rm->ev;
	unsigned int i, n;

	n = me->nr_resets < RM_MAX_RESETS ? me->nr_resets : RM_MAX_RESETS;
	qsort(ee->reset, ee->nr_resets < RM_MAX_RESETS ? ee->nr_resets : RM_MAX_RESETS,
	      sizeof(ee->reset[0]), cmp_reset);
	qsort(me->reset, n, sizeof(me->reset[0]), cmp_reset);
	if (ee->nr_resets != me->nr_resets ||
	    memcmp(ee->reset, me->reset, n * sizeof(me->reset[0]))) {
		static char eb[8192], mb[8192];

		format_resets(ee, eb, sizeof(eb));
		format_resets(me, mb, sizeof(mb));
		fail(t, "queue resets (ZAPQ) differ\n engine (%u):%s\n model  (%u):%s",
		     ee->nr_resets, eb, me->nr_resets, mb);
	}
	stats.resets += n;

	if (ee->nr_logs != me->nr_logs)
		fail(t, "number of warnings differs: engine %u, model %u (first: engine \"%s\", model \"%s\")",
		     ee->nr_logs, me->nr_logs, ee->nr_logs ? ee->log[0] : "",
		     me->nr_logs ? me->log[0] : "");
	n = me->nr_logs < RM_MAX_LOGS ? me->nr_logs : RM_MAX_LOGS;
	for (i = 0; i < n; i++)
		if (strcmp(ee->log[i], me->log[i]))
			fail(t, "warning %u differs\n engine: %s\n model:  %s", i, ee->log[i],
			     me->log[i]);

	if (ee->nr_uevents != me->nr_uevents)
		fail(t, "number of APMASK/AQMASK uevents differs: engine %u, model %u",
		     ee->nr_uevents, me->nr_uevents);
	n = me->nr_uevents < RM_MAX_UEVENTS ? me->nr_uevents : RM_MAX_UEVENTS;
	for (i = 0; i < n; i++)
		if (strcmp(ee->uevent[i], me->uevent[i]))
			fail(t, "uevent differs\n engine: %s\n model:  %s", ee->uevent[i],
			     me->uevent[i]);
}

static int eng_guest_index(const struct eng *e, const struct ap_kvm *kvm)
{
	int i;

	for (i = 0; i < RM_GUESTS; i++)
		if (kvm == &e->kvm[i].kvm)
			return i;
	return kvm ? -2 : -1;
}

static void compare_mdevs(struct run *t)
{
	static char eb[APC_PAGE_SIZE], mb[APC_PAGE_SIZE];
	int order[RM_MAX_MDEVS], n = live_slots(t, order), i, slot, el, ml;
	struct eng *e = t->e;
	const struct vap_mdev *m;
	char what[64];

	for (i = 0, m = e->md->mdev_list; m; m = m->next, i++) {
		slot = eng_slot(e, m);
		if (i >= n || slot != order[i])
			fail(t, "mdev_list position %d: engine has mdev%d, model mdev%d", i, slot,
			     i < n ? order[i] : -1);
	}
	if (i != n || e->mdevc.nr != (unsigned int)n)
		fail(t, "number of mdevs: engine %d (mdev core count %u), model %d", i,
		     e->mdevc.nr, n);

	el = mdevc_available_instances_show(&e->mdevc, eb);
	ml = rm_available_instances_show(t->rm, mb);
	check_text(t, "available_instances", eb, el, mb, ml);

	for (i = 0; i < n; i++) {
		struct vap_mdev *em;
		struct rm_mdev *mm;

		slot = order[i];
		em = e->mdev[slot];
		mm = &t->rm->m[slot];
#define CMP_SHOW(attr, efn, mfn)						\
		do {								\
			el = efn(e->md, em, eb);				\
			ml = mfn(t->rm, slot, mb);				\
			snprintf(what, sizeof(what), "mdev%d %s", slot, attr);	\
			check_text(t, what, eb, el, mb, ml);			\
		} while (0)
		CMP_SHOW("matrix", vap_matrix_show, rm_matrix_show);
		CMP_SHOW("guest_matrix", vap_guest_matrix_show, rm_guest_matrix_show);
		CMP_SHOW("control_domains", vap_control_domains_show, rm_control_domains_show);
		CMP_SHOW("ap_config", vap_ap_config_show, rm_ap_config_show);
#undef CMP_SHOW
		if (em->open != mm->open || eng_guest_index(e, em->kvm) != mm->kvm)
			fail(t, "mdev%d open/attached: engine %d/guest%d, model %d/guest%d", slot,
			     em->open, eng_guest_index(e, em->kvm), mm->open, mm->kvm);
		if (e->signals[slot][0] != mm->signals[0] || e->signals[slot][1] != mm->signals[1])
			fail(t, "mdev%d eventfd signals (req, cfg_chg): engine %lu/%lu, model %lu/%lu",
			     slot, e->signals[slot][0], e->signals[slot][1], mm->signals[0],
			     mm->signals[1]);
	}
}

static void compare_guests(struct run *t)
{
	struct eng *e = t->e;
	int i;

	for (i = 0; i < RM_GUESTS; i++) {
		const struct kvmm_guest *k = &e->kvm[i];
		const struct rm_guest *g = &t->rm->g[i];
		struct apbm apm, aqm, adm;
		char a1[80], a2[80], q1[80], q2[80], d1[80], d2[80];
		int hook = eng_slot(e, k->kvm.pqap_hook);

		if (!k->kvm.pqap_hook)
			hook = -1;
		if (hook != g->hook)
			fail(t, "guest%d pqap_hook: engine mdev%d, model mdev%d", i, hook, g->hook);
		bools_to_apbm(g->apm, &apm);
		bools_to_apbm(g->aqm, &aqm);
		bools_to_apbm(g->adm, &adm);
		if (apbm_equal(&apm, &k->crycb_apm) && apbm_equal(&aqm, &k->crycb_aqm) &&
		    apbm_equal(&adm, &k->crycb_adm) && k->crycb_updates == g->updates)
			continue;
		aptxt_format_hexmask(&k->crycb_apm, a1);
		aptxt_format_hexmask(&apm, a2);
		aptxt_format_hexmask(&k->crycb_aqm, q1);
		aptxt_format_hexmask(&aqm, q2);
		aptxt_format_hexmask(&k->crycb_adm, d1);
		aptxt_format_hexmask(&adm, d2);
		fail(t, "guest%d CRYCB differs\n engine: updates %lu\n  apm %s\n  aqm %s\n  adm %s\n"
		     " model: updates %lu\n  apm %s\n  aqm %s\n  adm %s", i, k->crycb_updates, a1,
		     q1, d1, g->updates, a2, q2, d2);
	}
}

static void compare_bus(struct run *t)
{
	static char eb[APC_PAGE_SIZE], mb[APC_PAGE_SIZE];
	struct eng *e = t->e;
	unsigned int i, j;
	int el, ml;

	el = apb_bus_attr_show(e->bus, "apmask", eb);
	ml = rm_mask_show(t->rm, false, mb);
	check_text(t, "apmask", eb, el, mb, ml);
	el = apb_bus_attr_show(e->bus, "aqmask", eb);
	ml = rm_mask_show(t->rm, true, mb);
	check_text(t, "aqmask", eb, el, mb, ml);

	for (i = 0; i < NR_INTEREST; i++) {
		for (j = 0; j < NR_INTEREST; j++) {
			unsigned int a = interest_id(i), d = interest_id(j);
			const struct rm_queue *mq = &t->rm->q[a][d];
			const struct vap_queue *eq = &e->md->queues[a][d];
			bool exists, mbound;
			enum apb_drv drv = apb_queue_driver(e->bus, a, d, &exists);
			char what[64];

			if (exists != mq->exists || (exists && drv != to_apb_drv(mq->drv)))
				fail(t, "queue %02x.%04x: engine exists %d driver %s, model exists %d driver %s",
				     a, d, exists, apb_drv_name(drv), mq->exists, drv_name(mq->drv));
			mbound = mq->exists && mq->drv == RM_DRV_VFIO_AP;
			if (eq->bound != mbound)
				fail(t, "queue %02x.%04x: engine queue object %d, model %d", a, d,
				     eq->bound, mbound);
			if (mbound && (eng_slot(e, eq->mdev) != mq->link ||
				       eq->reset_rc != mq->reset_rc))
				fail(t, "queue %02x.%04x: engine linked to mdev%d rc %u, model mdev%d rc %u",
				     a, d, eng_slot(e, eq->mdev), eq->reset_rc, mq->link,
				     mq->reset_rc);
			el = apb_queue_attr_show(e->bus, a, d, "status", eb);
			ml = rm_queue_status_show(t->rm, a, d, mb);
			if (el == ml && (el < 0 || !memcmp(eb, mb, (size_t)el)))
				continue;
			snprintf(what, sizeof(what), "queue %02x.%04x status", a, d);
			if (el < 0 || ml < 0)
				check_ret(t, what, el, ml);
			check_text(t, what, eb, el, mb, ml);
		}
	}
}

/* §4 invariants, on the engine's own state */
static void check_invariants(struct run *t)
{
	struct eng *e = t->e;
	const struct vap_matrix_dev *md = e->md;
	const struct vap_mdev *m, *o;
	struct apbm apmask, aqmask;
	unsigned int a, d;

	apb_get_masks(e->bus, &apmask, &aqmask);
	for (m = md->mdev_list; m; m = m->next) {
		int slot = eng_slot(e, m);

		if (apbm_intersects(&m->matrix.apm, &apmask) &&
		    apbm_intersects(&m->matrix.aqm, &aqmask)) {
			apbm_for_each(a, &m->matrix.apm)
				apbm_for_each(d, &m->matrix.aqm)
					if (apbm_test(&apmask, a) && apbm_test(&aqmask, d))
						fail(t, "invariant: %02x.%04x host-reserved and assigned to mdev%d",
						     a, d, slot);
		}
		for (o = m->next; o; o = o->next)
			if (apbm_intersects(&m->matrix.apm, &o->matrix.apm) &&
			    apbm_intersects(&m->matrix.aqm, &o->matrix.aqm))
				fail(t, "invariant: mdev%d and mdev%d share an APQN", slot,
				     eng_slot(e, o));
		/* 6.0-7.0 keep an assigned control domain the host lost (§4.7) */
		if (!apbm_subset(&m->shadow.apm, &m->matrix.apm) ||
		    !apbm_subset(&m->shadow.aqm, &m->matrix.aqm) ||
		    !apbm_subset(&m->shadow.adm, &m->matrix.adm) ||
		    !apbm_subset(&m->shadow.apm, &md->info.apm) ||
		    !apbm_subset(&m->shadow.aqm, &md->info.aqm) ||
		    (!apbm_subset(&m->shadow.adm, &md->info.adm) &&
		     !ap_profile_bug(md->profile, AP_BUG_CFG_REMOVE_CDOM_ANDNOT)))
			fail(t, "invariant: mdev%d shadow not within matrix and host config", slot);
		/*
		 * Every passed-through queue is bound and linked.  Its reset rc is
		 * only checked when the filter runs (§4.3, §4.9): a failed reset
		 * outside a filter event does not unplug by itself.
		 */
		apbm_for_each(a, &m->shadow.apm)
			apbm_for_each(d, &m->shadow.aqm)
				if (!md->queues[a][d].bound || md->queues[a][d].mdev != m)
					fail(t, "invariant: mdev%d passes %02x.%04x, which is not bound and linked",
					     slot, a, d);
		if (!apbm_empty(&m->apm_add) || !apbm_empty(&m->aqm_add) || !apbm_empty(&m->adm_add))
			fail(t, "invariant: mdev%d has pending additions outside a scan", slot);
		/* 6.0-7.0 may leave the CRYCB behind the shadow (§4.7, "non-empty") */
		if (m->kvm && !ap_profile_bug(md->profile, AP_BUG_HOT_UNPLUG_CFG_NONEMPTY)) {
			struct apbm apm = m->shadow.apm, aqm = m->shadow.aqm, adm = m->shadow.adm;
			const struct kvmm_guest *g = kvmm_guest_of(m->kvm);

			if (!g->crycb_fmt2) {
				apbm_limit(&apm, 63);
				apbm_limit(&aqm, 15);
				apbm_limit(&adm, 15);
			}
			if (!apbm_equal(&apm, &g->crycb_apm) || !apbm_equal(&aqm, &g->crycb_aqm) ||
			    !apbm_equal(&adm, &g->crycb_adm))
				fail(t, "invariant: mdev%d attached but CRYCB != shadow", slot);
		}
	}
}

/* How much of the run had a guest with something plugged in. */
static void count_coverage(struct run *t)
{
	int order[RM_MAX_MDEVS], n = live_slots(t, order), i;
	unsigned int id;

	for (i = 0; i < n; i++) {
		const struct rm_mdev *m = &t->rm->m[order[i]];

		if (m->kvm < 0)
			continue;
		for (id = 0; id < RM_IDS && !m->s_apm[id]; id++)
			;
		if (id < RM_IDS) {
			stats.plugged_steps++;
			return;
		}
	}
}

static void compare_all(struct run *t)
{
	compare_events(t);
	compare_mdevs(t);
	compare_guests(t);
	compare_bus(t);
	check_invariants(t);
	count_coverage(t);
}

/* ------------------------------------------------------------------------
 * main
 */

static void run_seed(unsigned long long seed, unsigned long steps, bool verbose)
{
	static struct run t;
	struct apb_host_spec spec;
	struct rm_config cfg;
	unsigned int k;

	memset(&t, 0, sizeof(t));
	t.seed = seed;
	t.r.s = seed * 0x2545f4914f6cdd1dULL + 0x1234567ULL;
	make_config(seed, &t.r, &cfg, &spec);
	t.rm = rm_create(&cfg);
	if (!t.rm)
		abort();
	t.e = eng_create(&cfg, &spec);
	snprintf(t.op, OPLEN, "boot");
	compare_all(&t);

	for (t.step = 1; t.step <= steps; t.step++) {
		t.op[0] = '\0';
		t.oplen = 0;
		rm_events_clear(t.rm);
		t.e->ev.nr_resets = t.e->ev.nr_logs = t.e->ev.nr_uevents = 0;
		do_op(&t);
		if (verbose)
			printf("%lu: %s\n", t.step, t.op);
		compare_all(&t);
		memcpy(t.history[t.step % HISTORY], t.op, OPLEN);
	}

	for (k = 0; k < RM_GUESTS; k++)
		stats.crycb_updates += t.rm->g[k].updates;
	/* TAP: one result per seed (automake's TAP driver counts them) */
	printf("ok %u - seed %llu: %lu steps (kernel %s, QCI %s Na %u Nd %u):", ++seeds_done,
	       seed, steps, t.e->md->profile->name,
	       cfg.apxa ? "APXA" : "no-APXA", cfg.na, cfg.nd);
	for (k = 0; k < NR_OPS; k++)
		printf(" %s %lu", op_names[k], t.nr_ops[k]);
	printf("\n");
	eng_destroy(t.e);
	rm_destroy(t.rm);
}

static bool parse_ull(const char *s, unsigned long long *v)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end;
}

int main(int argc, char **argv)
{
	unsigned long long seed = 0, steps = DEFAULT_STEPS, v;
	bool have_seed = false, verbose = getenv("DIFF_VERBOSE") != NULL;
	unsigned int i, k;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1) {
		if (!parse_ull(argv[1], &seed)) {
			fprintf(stderr, "usage: %s [seed [steps]]\n", argv[0]);
			return 2;
		}
		have_seed = true;
	} else if (getenv("DIFF_SEED")) {
		if (!parse_ull(getenv("DIFF_SEED"), &seed)) {
			fprintf(stderr, "bad DIFF_SEED\n");
			return 2;
		}
		have_seed = true;
	}
	if (argc > 2 ? parse_ull(argv[2], &v) : parse_ull(getenv("DIFF_STEPS"), &v))
		steps = v;

	printf("1..%u\n", have_seed ? 1u : (unsigned int)ARRAY_SIZE(default_seeds));
	if (have_seed) {
		printf("differential: seed %llu, %llu steps\n", seed, steps);
		run_seed(seed, (unsigned long)steps, verbose);
		i = 1;
	} else {
		printf("differential: seeds");
		for (i = 0; i < ARRAY_SIZE(default_seeds); i++)
			printf(" %llu", default_seeds[i]);
		printf(", %llu steps each\n", steps);
		for (i = 0; i < ARRAY_SIZE(default_seeds); i++)
			run_seed(default_seeds[i], (unsigned long)steps, verbose);
	}

	printf("# %u seed(s) x %llu steps; results:", i, steps);
	for (k = 0; k < NR_ST; k++)
		printf(" %s %lu", st_names[k], stats.ret[k]);
	printf("; ZAPQs %lu; in_use vetoes %lu; CRYCB updates %lu; steps with a plugged guest %lu\n",
	       stats.resets, stats.in_use_steps, stats.crycb_updates, stats.plugged_steps);
	return 0;
}
