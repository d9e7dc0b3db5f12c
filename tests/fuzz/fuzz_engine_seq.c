// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_engine_seq.c - the vfio_ap engine and the AP bus model driven by a
 * fuzzed sequence of sysfs writes and machine events.
 *
 * Every input starts from the same small host (APXA, Na = Nd = 15; see
 * seq_host_spec()) with the engine registered as the bus's vfio_ap driver.
 * The first byte picks the AP bus's in_use rule (bit 0 clear: 6.19+, the
 * other dimension is all ones; set: <= 6.18, the other mask as it is);
 * the rest is read as a sequence of steps:
 *
 *   byte 0   operation: op = b % SEQ_NR_OPS, sel = b / SEQ_NR_OPS picks a
 *            variant (which store, which attribute, which driver)
 *   byte 1   argument: which mdev, which ID, which device
 *   byte 2   payload length; 0 means "synthesise a plausible payload from
 *            the argument", so valid writes are easy to reach
 *   payload  the bytes written
 *
 * After every step the invariants of docs/kernel-abi.md and
 * docs/architecture.md §5 are checked (check_invariants()); every store
 * is checked for its exact return value against a small oracle where the
 * spec makes one cheap (validation order of assign/ap_config, in_use of
 * apmask/aqmask); and every failed store must leave all read-back text
 * (every mdev, bus, card and queue attribute) and the guests' CRYCBs
 * unchanged.  Any violation abort()s.
 */
#include "vfio_ap_core.h"
#include "ap_bus_model.h"
#include "kvm_model.h"
#include "mdev_core.h"
#include "fuzz_check.h"

#define SEQ_MAX_ID		15	/* Na = Nd of the fuzzed host */
#define SEQ_MAX_STEPS		48
#define SEQ_MAX_MDEVS		6
#define SEQ_NR_KVMS		3
#define SEQ_SNAP_SIZE		(256 * 1024)
#define SEQ_MAX_ATTRS		32
#define SEQ_UEVENT_MAX		128

/* The seeds in corpus/engine_seq use these numbers: add new ones at the end. */
enum seq_op {
	OP_MDEV_STORE,		/* sel: which per-mdev store */
	OP_AP_CONFIG,
	OP_APMASK,
	OP_AQMASK,
	OP_BUS_ATTR,		/* arg: any bus attribute */
	OP_MDEV_CREATE,
	OP_OPEN,
	OP_CLOSE,
	OP_VFIO_RESET,
	OP_BIND,		/* sel: driver, bind or unbind */
	OP_CARD_ATTR,
	OP_QUEUE_ATTR,
	OP_HW_CONFIG,		/* sel: adapter, domain or control domain; scan or not */
	OP_HW_ADAPTER,		/* sel: type change or checkstop; then scan */
	OP_HW_INJECT_RC,
	OP_SCAN,
	OP_REQUEST,		/* device request while open, then close */
	OP_SET_IRQ,		/* sel: index; arg: trigger or clear */
	SEQ_NR_OPS
};

static const char *const seq_op_names[SEQ_NR_OPS] = {
	"mdev_store", "ap_config", "apmask", "aqmask", "bus_attr", "mdev_create", "open", "close",
	"vfio_reset", "bind", "card_attr", "queue_attr", "hw_config", "hw_adapter",
	"hw_inject_rc", "scan", "request", "set_irq",
};

static bool seq_trace;

enum seq_dim { DIM_ADAPTER, DIM_DOMAIN, DIM_CDOM, DIM_NONE };

/* The oracle's view of a store; the store itself is the engine's table row. */
struct seq_store {
	const char *name;
	enum seq_dim dim;
	bool assign;
};

static const struct seq_store seq_stores[] = {
	{ "assign_adapter", DIM_ADAPTER, true },
	{ "unassign_adapter", DIM_ADAPTER, false },
	{ "assign_domain", DIM_DOMAIN, true },
	{ "unassign_domain", DIM_DOMAIN, false },
	{ "assign_control_domain", DIM_CDOM, true },
	{ "unassign_control_domain", DIM_CDOM, false },
	{ "remove", DIM_NONE, false },		/* the mdev core's */
};

static const char *const seq_uuids[] = {
	"11111111-2222-3333-4444-555555555555",
	"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
	"0b2e5f4a-9d4c-4d0e-8f1a-1c2d3e4f5a6b",
	"AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE",	/* a duplicate in upper case */
	"00000000-0000-0000-0000-000000000000",
};

struct seq_state {
	struct apb_bus *bus;
	struct vap_matrix_dev *md;
	struct mdevc mdevc;		/* the mdev core */
	struct kvmm_guest kvm[SEQ_NR_KVMS];
	unsigned int mask_uevents;	/* APMASK=/AQMASK= uevents seen */
	char last_mask_uevent[SEQ_UEVENT_MAX];
	char *before, *after;		/* snapshots around a store */
};

/* ---- host ------------------------------------------------------------- */

static void seq_uevent(void *env, const char *devpath, const char *vars)
{
	struct seq_state *s = env;

	if (!strncmp(vars, "APMASK=", 7) || !strncmp(vars, "AQMASK=", 7)) {
		s->mask_uevents++;
		snprintf(s->last_mask_uevent, sizeof(s->last_mask_uevent), "%s", vars);
	}
}

/* Eventfds: registered triggers only; config change only while attached. */
static void seq_signal(void *env, struct vap_mdev *mdev, int irq_index, void *trigger)
{
	FUZZ_CHECK(trigger);
	if (irq_index == VAP_CFG_CHG_IRQ_INDEX) {
		FUZZ_CHECK(trigger == mdev->cfg_chg_trigger);
		FUZZ_CHECK(mdev->kvm);
	} else {
		FUZZ_CHECK(irq_index == VAP_REQ_IRQ_INDEX && trigger == mdev->req_trigger);
	}
}

static struct vap_mdev *seq_mdev_by_name(struct seq_state *s, const char *name)
{
	struct vap_mdev *m;

	for (m = s->md->mdev_list; m; m = m->next)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

static bool seq_holds(const struct vap_mdev *m, unsigned int apid, unsigned int apqi)
{
	return m && apbm_test(&m->matrix.apm, apid) && apbm_test(&m->matrix.aqm, apqi);
}

/*
 * The two conflict warnings of §4.2 and §3.3 name an APQN that the named
 * (or the logging) mdev really holds.
 */
static void seq_vap_log(void *env, enum vap_log_level level, const struct vap_mdev *mdev,
			const char *msg)
{
	static const char assign[] = "Userspace may not assign queue ";
	static const char assigned_to[] = " to mdev: already assigned to ";
	static const char reserve[] = "Can not reserve queue ";
	static const char in_use[] = " for host driver: in use by mdev";
	struct seq_state *s = env;
	unsigned int apid, apqi;
	char apqn[8];

	FUZZ_CHECK(msg && *msg);
	if (!strncmp(msg, assign, sizeof(assign) - 1)) {
		msg += sizeof(assign) - 1;
		snprintf(apqn, sizeof(apqn), "%.7s", msg);
		FUZZ_CHECK(level == VAP_LOG_WARN && !aptxt_parse_apqn(apqn, &apid, &apqi));
		FUZZ_CHECK(!strncmp(msg + 7, assigned_to, sizeof(assigned_to) - 1));
		msg += 7 + sizeof(assigned_to) - 1;
		FUZZ_CHECK(seq_mdev_by_name(s, msg) != mdev);
		FUZZ_CHECK(seq_holds(seq_mdev_by_name(s, msg), apid, apqi));
	} else if (!strncmp(msg, reserve, sizeof(reserve) - 1)) {
		msg += sizeof(reserve) - 1;
		snprintf(apqn, sizeof(apqn), "%.7s", msg);
		FUZZ_CHECK(level == VAP_LOG_WARN && !aptxt_parse_apqn(apqn, &apid, &apqi));
		FUZZ_CHECK(!strcmp(msg + 7, in_use));
		FUZZ_CHECK(seq_holds(mdev, apid, apqi));
	}
}

static const struct apb_ops seq_bus_ops = {
	.uevent = seq_uevent,
};

static const struct vap_env_ops seq_env_ops = {
	.signal = seq_signal,
	.log = seq_vap_log,
};

/*
 * Adapters 1-3 CEX8C, 5 CEX4A, 6 too old for a device, 9 newer than CEX8
 * (QACT maps it), 7 CEX7P installed but not configured (hot plug);
 * domains 0-5, control domains 0-7.  Adapter 1 and 10-15 are reserved
 * for the host; everything else may go to vfio_ap.
 */
static void seq_host_spec(struct apb_host_spec *spec)
{
	static const struct { u8 id, type; u32 fn; } adapters[] = {
		{ 1, AP_TYPE_CEX8, APB_FUNC_CCA },
		{ 2, AP_TYPE_CEX8, APB_FUNC_CCA },
		{ 3, AP_TYPE_CEX8, APB_FUNC_CCA },
		{ 5, AP_TYPE_CEX4, APB_FUNC_ACCEL },
		{ 6, 8, APB_FUNC_ACCEL },
		{ 7, 13, APB_FUNC_EP11 },
		{ 9, 15, APB_FUNC_CCA },
	};
	unsigned int i;

	apb_default_spec(spec);
	spec->qci.na = SEQ_MAX_ID;
	spec->qci.nd = SEQ_MAX_ID;
	apbm_zero(&spec->qci.apm);
	apbm_zero(&spec->qci.aqm);
	apbm_zero(&spec->qci.adm);
	memset(spec->adapter, 0, sizeof(spec->adapter));
	for (i = 0; i < ARRAY_SIZE(adapters); i++) {
		spec->adapter[adapters[i].id].raw_type = adapters[i].type;
		spec->adapter[adapters[i].id].functions = adapters[i].fn;
		if (adapters[i].id != 7)
			apbm_set(&spec->qci.apm, adapters[i].id);
	}
	apbm_set_range(&spec->qci.aqm, 0, 5);
	apbm_set_range(&spec->qci.adm, 0, 7);
	apbm_zero(&spec->apmask);
	apbm_set(&spec->apmask, 1);
	apbm_set_range(&spec->apmask, 10, SEQ_MAX_ID);
	apbm_fill(&spec->aqmask);
}

/*
 * The bus and the matrix device are 3 MB of 256 x 256 tables.  Allocating
 * them per input costs fresh pages every time (ASan maps large chunks
 * directly) and held the fuzzer at ~150 runs/s, so the world is built once
 * and every input starts from a byte copy of its pristine state.  That is
 * exact: both objects live at the same addresses, all their locks are
 * free at the copy, and the only other allocations, the mdevs and their
 * qtables, are removed through the engine at the end of every input.  The
 * matrix device's tables are blocks of their own (seq_md_copy()).
 */
struct seq_world {
	struct apb_bus *bus, *bus_pristine;
	struct vap_matrix_dev *md, *md_pristine;
};

/*
 * The kernels a sequence runs on, picked by its first byte: 7.0 (in_use
 * against all ones), 6.15 (the current mask), 6.0 (no request callback, no
 * IRQs) and "fixed" (the §4.7 corrections).
 */
static const char *const seq_kernels[] = { "7.0", "6.15", "6.0", "fixed" };
static struct seq_world seq_worlds[ARRAY_SIZE(seq_kernels)];

static void *seq_dup(const void *obj, size_t size)
{
	void *copy = malloc(size);

	FUZZ_CHECK(copy);
	return memcpy(copy, obj, size);
}

/* The matrix device and its tables; @dst keeps its own table blocks. */
static void seq_md_copy(struct vap_matrix_dev *dst, const struct vap_matrix_dev *src)
{
	struct vap_matrix_dev keep = *dst;

	memcpy(dst, src, sizeof(*dst));
	dst->queues = keep.queues;
	dst->rc_ok = keep.rc_ok;
	dst->scratch = keep.scratch;
	memcpy(dst->queues, src->queues, sizeof(*src->queues) * APBM_BITS);
	memcpy(dst->rc_ok, src->rc_ok, sizeof(*src->rc_ok) * APBM_BITS);
	memcpy(dst->scratch, src->scratch, sizeof(*src->scratch) * APBM_BITS);
}

static void seq_world_create(struct seq_state *s, struct seq_world *w,
			     const struct ap_profile *profile)
{
	struct apb_host_spec spec;
	struct ap_qci qci;

	seq_host_spec(&spec);
	spec.profile = profile;
	w->bus = apb_create(&spec, &seq_bus_ops, s);
	FUZZ_CHECK(w->bus);
	apb_get_qci(w->bus, &qci);
	w->md = vap_matrix_dev_create(&qci, apb_profile(w->bus), &apb_bus_ops, w->bus,
						&seq_env_ops, s);
	FUZZ_CHECK(w->md);
	apb_register_driver(w->bus, &vap_ap_driver_ops, w->md);
	w->bus_pristine = apb_dup(w->bus);
	FUZZ_CHECK(w->bus_pristine);
	w->md_pristine = seq_dup(w->md, sizeof(*w->md));
	w->md_pristine->queues = seq_dup(w->md->queues, sizeof(*w->md->queues) * APBM_BITS);
	w->md_pristine->rc_ok = seq_dup(w->md->rc_ok, sizeof(*w->md->rc_ok) * APBM_BITS);
	w->md_pristine->scratch = seq_dup(w->md->scratch, sizeof(*w->md->scratch) * APBM_BITS);
}

static void seq_setup(struct seq_state *s, unsigned int variant)
{
	static char before[SEQ_SNAP_SIZE], after[SEQ_SNAP_SIZE];
	struct seq_world *w = &seq_worlds[variant];

	memset(s, 0, sizeof(*s));
	s->before = before;
	s->after = after;
	if (!w->bus)
		seq_world_create(s, w, ap_profile_find(seq_kernels[variant]));
	if (apb_copy(w->bus, w->bus_pristine))
		abort();	/* out of memory: not a finding */
	seq_md_copy(w->md, w->md_pristine);
	s->bus = w->bus;
	s->md = w->md;
	mdevc_init(&s->mdevc, VAP_MAX_INSTANCES, &vap_mdev_parent_ops, s->md);
	kvmm_guest_init(&s->kvm[0], true, true, NULL, NULL);	/* format 2 CRYCB */
	kvmm_guest_init(&s->kvm[1], true, false, NULL, NULL);	/* format 0/1: 0-63 / 0-15 */
	kvmm_guest_init(&s->kvm[2], false, false, NULL, NULL);	/* no crypto block */
}

/* Detach every guest and remove every mdev: what a host does at exit. */
static void seq_teardown(struct seq_state *s)
{
	unsigned int apid, apqi, i;
	struct vap_mdev *m;

	for (m = s->md->mdev_list; m; m = m->next)
		if (m->open)
			vap_mdev_close(s->md, m);
	while (s->mdevc.list)
		FUZZ_CHECK(mdevc_remove(&s->mdevc, s->mdevc.list) == 0);
	FUZZ_CHECK(s->mdevc.nr == 0 && !s->md->mdev_list);
	mdevc_destroy(&s->mdevc);
	for (apid = 0; apid <= SEQ_MAX_ID; apid++)
		for (apqi = 0; apqi <= SEQ_MAX_ID; apqi++)
			FUZZ_CHECK(!s->md->queues[apid][apqi].mdev);
	for (i = 0; i < SEQ_NR_KVMS; i++) {
		FUZZ_CHECK(!s->kvm[i].kvm.pqap_hook);
		kvmm_guest_destroy(&s->kvm[i]);
	}
}

static struct vap_mdev *seq_mdev(struct seq_state *s, unsigned int n)
{
	struct vap_mdev *m;
	unsigned int i;

	if (!s->mdevc.nr)
		return NULL;
	n %= s->mdevc.nr;
	for (m = s->md->mdev_list, i = 0; m && i < n; m = m->next, i++)
		;
	return m;
}

static int seq_mdev_index(struct seq_state *s, const struct vap_mdev *want)
{
	const struct vap_mdev *m;
	int i = 0;

	for (m = s->md->mdev_list; m; m = m->next, i++)
		if (m == want)
			return i;
	return -1;
}

/* ---- snapshots: everything a failed store must not change ------------- */

struct seq_snap {
	char *buf;
	size_t at;
};

/* Append "what=text|"; plain copies, ASan's printf interceptors are slow. */
static void snap_add(struct seq_snap *sn, const char *what, const char *text, int n)
{
	size_t wlen = strlen(what), tlen = n > 0 ? (size_t)n : 0;

	FUZZ_CHECK(sn->at + wlen + tlen + 3 < SEQ_SNAP_SIZE);
	memcpy(sn->buf + sn->at, what, wlen);
	sn->at += wlen;
	sn->buf[sn->at++] = '=';
	memcpy(sn->buf + sn->at, text, tlen);
	sn->at += tlen;
	sn->buf[sn->at++] = '|';
	sn->buf[sn->at] = '\0';
}

/* A file of the engine's table exists on this kernel (its predicate says). */
static bool seq_attr_visible(struct seq_state *s, const struct vap_mdev_attr *a)
{
	return !a->is_visible || a->is_visible(s->md);
}

static void snap_mdevs(struct seq_state *s, struct seq_snap *sn)
{
	char page[APC_PAGE_SIZE];
	struct vap_mdev *m;
	unsigned int i;

	snap_add(sn, "available_instances", page, mdevc_available_instances_show(&s->mdevc, page));
	snap_add(sn, "features", page, vap_features_show(s->md, page));
	for (m = s->md->mdev_list; m; m = m->next) {
		snap_add(sn, m->name, "", 0);
		for (i = 0; i < vap_nr_mdev_attrs; i++)
			if (vap_mdev_attrs[i].show && seq_attr_visible(s, &vap_mdev_attrs[i]))
				snap_add(sn, vap_mdev_attrs[i].name, page,
					 vap_mdev_attrs[i].show(s->md, m, page));
		snprintf(page, sizeof(page), "open=%d kvm=%ld", m->open,
			 m->kvm ? (long)(kvmm_guest_of(m->kvm) - s->kvm) : -1L);
		snap_add(sn, "vfio", page, (int)strlen(page));
	}
}

static void snap_guests(struct seq_state *s, struct seq_snap *sn)
{
	char page[APC_PAGE_SIZE];
	unsigned int i;

	for (i = 0; i < SEQ_NR_KVMS; i++) {
		struct kvmm_guest *k = &s->kvm[i];

		snap_add(sn, "crycb", page, aptxt_format_ap_config(&k->crycb_apm, &k->crycb_aqm,
								   &k->crycb_adm, page));
		snprintf(page, sizeof(page), "hook=%d", seq_mdev_index(s, k->kvm.pqap_hook));
		snap_add(sn, "pqap", page, (int)strlen(page));
	}
}

/* Every readable attribute file the object has now, through the model's rows. */
static void snap_attrs(struct seq_state *s, struct seq_snap *sn, enum apb_obj obj,
		       unsigned int apid, unsigned int apqi)
{
	char page[APC_PAGE_SIZE];
	unsigned int i, n;
	const struct apb_attr *t = apb_attrs(obj, &n);

	for (i = 0; i < n; i++)
		if ((t[i].mode & 0444) && apb_attr_present(s->bus, obj, &t[i], apid, apqi))
			snap_add(sn, t[i].name, page,
				 apb_attr_show(s->bus, obj, &t[i], apid, apqi, page));
}

static void snap_bus(struct seq_state *s, struct seq_snap *sn)
{
	snap_attrs(s, sn, APB_OBJ_BUS, 0, 0);
}

static void snap_devices(struct seq_state *s, struct seq_snap *sn)
{
	unsigned int apid, apqi;
	const char *drv;
	bool exists;

	for (apid = 0; apid <= SEQ_MAX_ID; apid++) {
		snap_attrs(s, sn, APB_OBJ_CARD, apid, 0);
		for (apqi = 0; apqi <= SEQ_MAX_ID; apqi++) {
			drv = apb_drv_name(apb_queue_driver(s->bus, apid, apqi, &exists));
			snap_add(sn, exists ? "queue" : "none", drv, (int)strlen(drv));
			snap_attrs(s, sn, APB_OBJ_QUEUE, apid, apqi);
		}
	}
}

static void seq_snapshot(struct seq_state *s, char *buf)
{
	struct seq_snap sn = { .buf = buf, .at = 0 };

	buf[0] = '\0';
	snap_mdevs(s, &sn);
	snap_guests(s, &sn);
	snap_bus(s, &sn);
	snap_devices(s, &sn);
}

static void check_unchanged(struct seq_state *s)
{
	seq_snapshot(s, s->after);
	if (strcmp(s->before, s->after)) {
		fprintf(stderr, "before: %s\nafter:  %s\n", s->before, s->after);
		FUZZ_CHECK(!"a failed store changed read-back state");
	}
}

/* ---- invariants --------------------------------------------------------- */

static void read_bus_mask(struct seq_state *s, const char *attr, struct apbm *m)
{
	char page[APC_PAGE_SIZE];
	int n = apb_bus_attr_show(s->bus, attr, page);

	FUZZ_CHECK(n == 67);
	FUZZ_CHECK(aptxt_parse_hexmask(page, (size_t)n, m) == 0);
}

static bool matrices_overlap(const struct vap_matrix *a, const struct vap_matrix *b)
{
	return apbm_intersects(&a->apm, &b->apm) && apbm_intersects(&a->aqm, &b->aqm);
}

/* No APQN host-reserved and assigned; no APQN in two matrices. */
static void check_ownership(struct seq_state *s)
{
	struct apbm apmask, aqmask;
	struct vap_mdev *m, *o;

	read_bus_mask(s, "apmask", &apmask);
	read_bus_mask(s, "aqmask", &aqmask);
	for (m = s->md->mdev_list; m; m = m->next) {
		FUZZ_CHECK(!(apbm_intersects(&m->matrix.apm, &apmask) &&
			     apbm_intersects(&m->matrix.aqm, &aqmask)));
		for (o = m->next; o; o = o->next)
			FUZZ_CHECK(!matrices_overlap(&m->matrix, &o->matrix));
	}
}

/* Links (§4.1): exactly the bound queues of the matrix, back pointers agree. */
static void check_links(struct seq_state *s, struct vap_mdev *m)
{
	unsigned int apid, apqi, nr = 0;
	struct apbm want;

	for (apid = 0; apid < APBM_BITS; apid++) {
		apbm_zero(&want);
		if (apbm_test(&m->matrix.apm, apid))
			for (apqi = 0; apqi <= SEQ_MAX_ID; apqi++)
				if (apbm_test(&m->matrix.aqm, apqi) && s->md->queues[apid][apqi].bound)
					apbm_set(&want, apqi);
		FUZZ_CHECK(apbm_equal(vap_mdev_linked(m, apid), &want));
		apbm_for_each(apqi, &want)
			FUZZ_CHECK(s->md->queues[apid][apqi].mdev == m);
		nr += apbm_weight(&want);
	}
	FUZZ_CHECK(m->nr_linked == nr);
	/* the qtable exists exactly while a queue is linked */
	FUZZ_CHECK(!m->linked == !nr);
}

/* shadow <= matrix & host config, and every passed-through queue linked. */
static void check_shadow(struct seq_state *s, struct vap_mdev *m)
{
	const struct ap_qci *info = &s->md->info;
	struct apbm cap;
	unsigned int apid, apqi;

	apbm_and(&cap, &m->matrix.apm, &info->apm);
	FUZZ_CHECK(apbm_subset(&m->shadow.apm, &cap));
	apbm_and(&cap, &m->matrix.aqm, &info->aqm);
	FUZZ_CHECK(apbm_subset(&m->shadow.aqm, &cap));
	/* 6.0-7.0 keep an assigned control domain the host lost (§4.7) */
	if (ap_profile_bug(s->md->profile, AP_BUG_CFG_REMOVE_CDOM_ANDNOT))
		cap = m->matrix.adm;
	else
		apbm_and(&cap, &m->matrix.adm, &info->adm);
	FUZZ_CHECK(apbm_subset(&m->shadow.adm, &cap));
	apbm_for_each(apid, &m->shadow.apm)
		apbm_for_each(apqi, &m->shadow.aqm)
			FUZZ_CHECK(apbm_test(vap_mdev_linked(m, apid), apqi));
}

static void check_crycb_is(const struct kvmm_guest *k, const struct vap_matrix *apcb)
{
	struct vap_matrix want = *apcb;

	if (!k->crycb_fmt2) {
		apbm_limit(&want.apm, 63);
		apbm_limit(&want.aqm, 15);
		apbm_limit(&want.adm, 15);
	}
	FUZZ_CHECK(apbm_equal(&k->crycb_apm, &want.apm));
	FUZZ_CHECK(apbm_equal(&k->crycb_aqm, &want.aqm));
	FUZZ_CHECK(apbm_equal(&k->crycb_adm, &want.adm));
}

/* An attached guest's CRYCB is the shadow; a detached guest's is empty. */
static void check_guests(struct seq_state *s)
{
	static const struct vap_matrix empty;
	struct vap_mdev *m;
	unsigned int i;

	for (i = 0; i < SEQ_NR_KVMS; i++) {
		struct kvmm_guest *k = &s->kvm[i];
		struct vap_mdev *owner = NULL;

		for (m = s->md->mdev_list; m; m = m->next) {
			if (m->kvm != &k->kvm)
				continue;
			FUZZ_CHECK(!owner);	/* one mdev per guest */
			owner = m;
		}
		FUZZ_CHECK(k->kvm.pqap_hook == owner);
		if (owner) {
			FUZZ_CHECK(owner->open && k->kvm.has_crycb);
			/* 6.0-7.0: the CRYCB may lag a host removal ("non-empty" rule) */
			if (!ap_profile_bug(s->md->profile, AP_BUG_HOT_UNPLUG_CFG_NONEMPTY))
				check_crycb_is(k, &owner->shadow);
		} else {
			check_crycb_is(k, &empty);
		}
	}
}

/* The bus and the engine agree on bindings; drivers follow the masks. */
static void check_bindings(struct seq_state *s)
{
	struct apbm apmask, aqmask;
	unsigned int apid, apqi;
	enum apb_drv drv;
	bool exists, reserved;

	read_bus_mask(s, "apmask", &apmask);
	read_bus_mask(s, "aqmask", &aqmask);
	for (apid = 0; apid <= SEQ_MAX_ID; apid++) {
		for (apqi = 0; apqi <= SEQ_MAX_ID; apqi++) {
			drv = apb_queue_driver(s->bus, apid, apqi, &exists);
			reserved = apbm_test(&apmask, apid) && apbm_test(&aqmask, apqi);
			FUZZ_CHECK(exists || drv == APB_DRV_NONE);
			FUZZ_CHECK((drv == APB_DRV_VFIO_AP) == s->md->queues[apid][apqi].bound);
			if (drv == APB_DRV_VFIO_AP)
				FUZZ_CHECK(!reserved);
			if (drv == APB_DRV_CEX4QUEUE)
				FUZZ_CHECK(reserved);
		}
	}
}

/* The queue "status" text follows §2.5 exactly. */
static void check_status(struct seq_state *s)
{
	char page[APC_PAGE_SIZE];
	unsigned int apid, apqi;
	const char *want;
	struct vap_mdev *m;

	for (apid = 0; apid <= SEQ_MAX_ID; apid++) {
		for (apqi = 0; apqi <= SEQ_MAX_ID; apqi++) {
			if (!s->md->queues[apid][apqi].bound)
				continue;
			want = "unassigned\n";
			for (m = s->md->mdev_list; m; m = m->next) {
				if (!apbm_test(&m->matrix.apm, apid) || !apbm_test(&m->matrix.aqm, apqi))
					continue;
				want = m->kvm && apbm_test(&m->shadow.apm, apid) &&
				       apbm_test(&m->shadow.aqm, apqi) ? "in use\n" : "assigned\n";
			}
			FUZZ_CHECK(apb_queue_attr_show(s->bus, apid, apqi, "status", page) ==
				   (int)strlen(want));
			FUZZ_CHECK(!strcmp(page, want));
		}
	}
}

static void check_invariants(struct seq_state *s)
{
	char page[APC_PAGE_SIZE], want[16];
	struct ap_qci qci;
	struct vap_mdev *m;
	unsigned int nr = 0;

	check_ownership(s);
	apb_get_qci(s->bus, &qci);
	FUZZ_CHECK(apbm_equal(&qci.apm, &s->md->info.apm));
	FUZZ_CHECK(apbm_equal(&qci.aqm, &s->md->info.aqm));
	FUZZ_CHECK(apbm_equal(&qci.adm, &s->md->info.adm));
	for (m = s->md->mdev_list; m; m = m->next, nr++) {
		check_links(s, m);
		check_shadow(s, m);
		FUZZ_CHECK(apbm_empty(&m->apm_add) && apbm_empty(&m->aqm_add) &&
			   apbm_empty(&m->adm_add));
	}
	FUZZ_CHECK(nr == s->mdevc.nr);
	snprintf(want, sizeof(want), "%u\n", VAP_MAX_INSTANCES - nr);
	FUZZ_CHECK(mdevc_available_instances_show(&s->mdevc, page) == (int)strlen(want));
	FUZZ_CHECK(!strcmp(page, want));
	check_guests(s);
	check_bindings(s);
	check_status(s);
}

/* ---- oracles for store results ----------------------------------------- */

static bool seq_reserved(struct seq_state *s, const struct apbm *apm, const struct apbm *aqm)
{
	struct apbm apmask, aqmask;

	read_bus_mask(s, "apmask", &apmask);
	read_bus_mask(s, "aqmask", &aqmask);
	return apbm_intersects(apm, &apmask) && apbm_intersects(aqm, &aqmask);
}

static bool seq_shared(struct seq_state *s, const struct vap_mdev *self, const struct vap_matrix *mx)
{
	const struct vap_mdev *o;

	for (o = s->md->mdev_list; o; o = o->next)
		if (o != self && matrices_overlap(mx, &o->matrix))
			return true;
	return false;
}

/* Validation order of §4.2: reservation, then sharing. */
static long expect_validated(struct seq_state *s, const struct vap_mdev *m,
			     const struct vap_matrix *mx, long ok)
{
	if (seq_reserved(s, &mx->apm, &mx->aqm))
		return -EADDRNOTAVAIL;
	if (seq_shared(s, m, mx))
		return -EADDRINUSE;
	return ok;
}

static struct apbm *dim_mask(struct vap_matrix *mx, enum seq_dim dim)
{
	return dim == DIM_ADAPTER ? &mx->apm : dim == DIM_DOMAIN ? &mx->aqm : &mx->adm;
}

/* §2.4 table: EINVAL/ERANGE, ENODEV, no-op if unchanged, then validation. */
static long expect_id_store(struct seq_state *s, const struct vap_mdev *m,
			    const struct seq_store *st, const char *buf, size_t count)
{
	struct vap_matrix mx = m->matrix;
	unsigned int max = st->dim == DIM_ADAPTER ? mx.apm_max :
			   st->dim == DIM_DOMAIN ? mx.aqm_max : mx.adm_max;
	u64 id;
	int rc = aptxt_kstrtoul(buf, count, &id);

	if (rc)
		return rc;
	if (id > max)
		return -ENODEV;
	if (!st->assign || st->dim == DIM_CDOM || apbm_test(dim_mask(&mx, st->dim), (unsigned int)id))
		return (long)count;
	apbm_set(dim_mask(&mx, st->dim), (unsigned int)id);
	return expect_validated(s, m, &mx, (long)count);
}

/* §4.5.3: EINVAL, EADDRNOTAVAIL, EADDRINUSE, then ENODEV for overflow. */
static long expect_ap_config(struct seq_state *s, const struct vap_mdev *m, const char *buf,
			     size_t count)
{
	struct vap_matrix mx = m->matrix;
	long rc;

	if (aptxt_parse_ap_config(buf, count, &mx.apm, &mx.aqm, &mx.adm))
		return -EINVAL;
	rc = expect_validated(s, m, &mx, (long)count);
	if (rc < 0)
		return rc;
	if (apbm_next(&mx.apm, mx.apm_max + 1) < APBM_BITS ||
	    apbm_next(&mx.aqm, mx.aqm_max + 1) < APBM_BITS ||
	    apbm_next(&mx.adm, mx.adm_max + 1) < APBM_BITS)
		return -ENODEV;
	return rc;
}

/*
 * §3.3: in_use() sees the newly reserved IDs and, for the other dimension,
 * all ones (>= 6.19) or the other mask as it is (<= 6.18).
 */
static long expect_mask_store(struct seq_state *s, bool adapters, const char *buf, size_t count,
			      struct apbm *new)
{
	struct apbm cur, other, newly;
	const struct vap_mdev *m;

	read_bus_mask(s, adapters ? "apmask" : "aqmask", &cur);
	read_bus_mask(s, adapters ? "aqmask" : "apmask", &other);
	if (ap_profile_has(apb_profile(s->bus), AP_FEAT_IN_USE_ALL_ONES))
		apbm_fill(&other);
	if (aptxt_parse_mask(buf, count, &cur, new))
		return -EINVAL;
	if (!apbm_andnot(&newly, new, &cur))
		return (long)count;
	for (m = s->md->mdev_list; m; m = m->next) {
		const struct vap_matrix *mx = &m->matrix;

		if (adapters ? apbm_intersects(&newly, &mx->apm) && apbm_intersects(&other, &mx->aqm) :
			       apbm_intersects(&newly, &mx->aqm) && apbm_intersects(&other, &mx->apm))
			return -EBUSY;
	}
	return (long)count;
}

/*
 * After a filtering store (§4.3) with no reset in between, the shadow is
 * exactly the filter of the whole matrix.
 */
static void check_filtered(struct seq_state *s, const struct vap_mdev *m)
{
	const struct ap_qci *info = &s->md->info;
	struct apbm apm, aqm;
	unsigned int apid, apqi;
	u8 rc;

	apbm_and(&apm, &m->matrix.apm, &info->apm);
	apbm_and(&aqm, &m->matrix.aqm, &info->aqm);
	apbm_for_each(apid, &apm) {
		apbm_for_each(apqi, &aqm) {
			rc = s->md->queues[apid][apqi].reset_rc;
			if (!apbm_test(vap_mdev_linked(m, apid), apqi) ||
			    !(rc == AP_RC_NORMAL || rc == AP_RC_DECONFIGURED ||
			      rc == AP_RC_CHECKSTOPPED)) {
				apbm_clear(&apm, apid);
				break;
			}
		}
	}
	FUZZ_CHECK(apbm_equal(&m->shadow.apm, &apm));
	FUZZ_CHECK(apbm_equal(&m->shadow.aqm, &aqm));
}

/* Which queues vfio_ap has, to tell afterwards which ones it probed. */
struct seq_bound {
	bool q[SEQ_MAX_ID + 1][SEQ_MAX_ID + 1];
	unsigned long resets;
};

static void seq_bound_save(struct seq_state *s, struct seq_bound *b)
{
	unsigned int apid, apqi;

	for (apid = 0; apid <= SEQ_MAX_ID; apid++)
		for (apqi = 0; apqi <= SEQ_MAX_ID; apqi++)
			b->q[apid][apqi] = s->md->queues[apid][apqi].bound;
	b->resets = s->md->reset_count;
}

/*
 * A probe of a queue some mdev owns filters that mdev's whole matrix
 * (§4.6).  Checked when nothing was reset meanwhile: an unbind resets,
 * and its unplug is the one change filtering does not undo.
 */
static void check_probed_owners(struct seq_state *s, const struct seq_bound *b)
{
	unsigned int apid, apqi;
	struct vap_mdev *m;
	bool probed;

	if (b->resets != s->md->reset_count)
		return;
	for (m = s->md->mdev_list; m; m = m->next) {
		probed = false;
		apbm_for_each(apid, &m->matrix.apm)
			apbm_for_each(apqi, &m->matrix.aqm)
				probed |= !b->q[apid][apqi] && s->md->queues[apid][apqi].bound;
		if (probed)
			check_filtered(s, m);
	}
}

/*
 * A bus scan.  When the host config gained IDs an mdev holds and nothing
 * was reset, scan-complete has filtered that mdev's whole matrix (§4.7).
 * Added adapters go through the type check only together with added
 * domains, so mdevs that gained adapters alone are checked only then.
 */
static void seq_scan(struct seq_state *s)
{
	unsigned long resets = s->md->reset_count;
	struct apbm apadd, aqadd;
	struct ap_qci old, cur;
	struct vap_mdev *m;
	bool domains;

	apb_get_qci(s->bus, &old);
	apb_scan(s->bus);
	apb_get_qci(s->bus, &cur);
	if (resets != s->md->reset_count)
		return;
	apbm_andnot(&apadd, &cur.apm, &old.apm);
	domains = apbm_andnot(&aqadd, &cur.aqm, &old.aqm);
	for (m = s->md->mdev_list; m; m = m->next)
		if (apbm_intersects(&aqadd, &m->matrix.aqm) ||
		    (!domains && apbm_intersects(&apadd, &m->matrix.apm)))
			check_filtered(s, m);
}

/* ---- steps ---------------------------------------------------------------- */

struct seq_step {
	unsigned int op, sel, arg;
	const char *buf;
	size_t count;
	char synth[APTXT_AP_CONFIG_LEN + 1];
};

static void seq_trace_result(long rc)
{
	if (seq_trace)
		fprintf(stderr, "  -> %ld\n", rc);
}

/*
 * Before a store: remember everything it must not change if it fails.
 * Stores with an oracle pass the expected result; snapshots are taken
 * only when a failure is expected (or possible: pass -1).
 */
static void store_begin(struct seq_state *s, long want)
{
	if (want < 0)
		seq_snapshot(s, s->before);
}

/* After a store: the exact expected result; a failure changed nothing. */
static long store_end(struct seq_state *s, long want, long rc)
{
	if (seq_trace || rc != want)
		fprintf(stderr, "  -> %ld (expected %ld)\n", rc, want);
	FUZZ_CHECK(rc == want);
	if (rc < 0)
		check_unchanged(s);
	return rc;
}

/* Without a payload in the input, write the number @v. */
static void step_number(struct seq_step *st, unsigned int v)
{
	if (st->buf)
		return;
	snprintf(st->synth, sizeof(st->synth), "%u\n", v);
	st->buf = st->synth;
	st->count = strlen(st->synth);
}

/* "remove" goes to the mdev core, every other store to the engine's row. */
static long seq_mdev_store(struct seq_state *s, const struct seq_store *store, struct vap_mdev *m,
			   const char *buf, size_t count)
{
	if (store->dim == DIM_NONE)
		return mdevc_remove_store(&s->mdevc, mdevc_find_drvdata(&s->mdevc, m), buf, count);
	return vap_mdev_attr_find(store->name)->store(s->md, m, buf, count);
}

static void do_mdev_store(struct seq_state *s, struct seq_step *st)
{
	const struct seq_store *store = &seq_stores[st->sel % ARRAY_SIZE(seq_stores)];
	struct vap_mdev *m = seq_mdev(s, st->arg);
	struct vap_matrix before;
	unsigned long resets;
	long want, rc;
	u64 v;

	if (!m)
		return;
	if (store->dim == DIM_NONE) {
		step_number(st, st->arg >> 7);
		want = aptxt_kstrtoul(st->buf, st->count, &v) ? -EINVAL :
		       v && m->open ? -EBUSY : (long)st->count;
	} else {
		step_number(st, (st->arg >> 3) % (SEQ_MAX_ID + 5));
		want = expect_id_store(s, m, store, st->buf, st->count);
	}
	if (seq_trace)
		fprintf(stderr, "  %s on mdev %d\n", store->name, seq_mdev_index(s, m));
	before = m->matrix;
	resets = s->md->reset_count;
	store_begin(s, want);
	rc = store_end(s, want, seq_mdev_store(s, store, m, st->buf, st->count));
	if (rc < 0 || !store->assign || store->dim == DIM_CDOM)
		return;		/* m may be gone after "remove" */
	/* a newly set bit filtered the whole matrix */
	if ((!apbm_equal(&before.apm, &m->matrix.apm) || !apbm_equal(&before.aqm, &m->matrix.aqm)) &&
	    resets == s->md->reset_count)
		check_filtered(s, m);
}

static void do_ap_config(struct seq_state *s, struct seq_step *st)
{
	const struct vap_mdev_attr *a = vap_mdev_attr_find("ap_config");
	struct vap_mdev *m = seq_mdev(s, st->arg);
	unsigned long resets;
	long want, rc;

	if (!m || !seq_attr_visible(s, a))
		return;
	if (!st->buf) {
		snprintf(st->synth, sizeof(st->synth), "0x%02x,0x%02x,0x%02x\n", st->arg,
			 (st->arg * 37u) & 0xfc, st->arg ^ 0x5a);
		st->buf = st->synth;
		st->count = strlen(st->synth);
	}
	resets = s->md->reset_count;
	want = expect_ap_config(s, m, st->buf, st->count);
	store_begin(s, want);
	rc = store_end(s, want, a->store(s->md, m, st->buf, st->count));
	if (rc > 0 && resets == s->md->reset_count)
		check_filtered(s, m);
}

static void do_mask_store(struct seq_state *s, struct seq_step *st, bool adapters)
{
	const char *attr = adapters ? "apmask" : "aqmask";
	char line[APC_PAGE_SIZE];
	unsigned int uevents = s->mask_uevents;
	struct seq_bound bound;
	struct apbm cur, new;
	long want, rc;

	if (!st->buf) {
		snprintf(st->synth, sizeof(st->synth), "%c%u", st->arg & 0x80 ? '-' : '+',
			 st->arg & SEQ_MAX_ID);
		st->buf = st->synth;
		st->count = strlen(st->synth);
	}
	read_bus_mask(s, attr, &cur);
	want = expect_mask_store(s, adapters, st->buf, st->count, &new);
	seq_bound_save(s, &bound);
	store_begin(s, want);
	rc = store_end(s, want, apb_bus_attr_store(s->bus, attr, st->buf, st->count));
	check_probed_owners(s, &bound);
	if (rc < 0 || apbm_equal(&cur, &new)) {
		FUZZ_CHECK(s->mask_uevents == uevents);
		return;
	}
	/* one KOBJ_CHANGE with the new mask, newline inside the variable */
	FUZZ_CHECK(s->mask_uevents == uevents + 1);
	aptxt_format_mask_line(&new, line);
	FUZZ_CHECK(!strcmp(s->last_mask_uevent + 7, line));
	read_bus_mask(s, attr, &cur);
	FUZZ_CHECK(apbm_equal(&cur, &new));
}

static void do_bus_attr(struct seq_state *s, struct seq_step *st)
{
	unsigned int n;
	const struct apb_attr *a = apb_attrs(APB_OBJ_BUS, &n);
	const char *attr;
	long rc;

	a += st->arg % n;
	attr = a->name;
	/* a file the kernel does not have (bindings_complete_count before 6.19) */
	if (!apb_attr_present(s->bus, APB_OBJ_BUS, a, 0, 0))
		return;
	if (!strcmp(attr, "apmask") || !strcmp(attr, "aqmask")) {
		do_mask_store(s, st, attr[1] == 'p');
		return;
	}
	step_number(st, st->sel);
	store_begin(s, -1);
	rc = apb_bus_attr_store(s->bus, attr, st->buf, st->count);
	seq_trace_result(rc);
	if (!(a->mode & 0200))
		FUZZ_CHECK(rc == -EACCES);
	FUZZ_CHECK(rc == (long)st->count || rc == -EINVAL || rc == -EACCES);
	if (rc < 0)
		check_unchanged(s);
}

static void do_create(struct seq_state *s, struct seq_step *st)
{
	const char *text = seq_uuids[st->arg % ARRAY_SIZE(seq_uuids)];
	struct mdevc_dev *d = NULL;
	struct vap_mdev *m;
	u8 uuid[16];
	long want;

	if (s->mdevc.nr >= SEQ_MAX_MDEVS)
		return;
	if (!st->buf) {
		st->buf = text;
		st->count = APTXT_UUID_LEN + (st->arg & 0x80 ? 1 : 0);	/* 37th byte: NUL */
	}
	want = aptxt_parse_create_uuid(st->buf, st->count, uuid) ? -EINVAL :
	       mdevc_find(&s->mdevc, uuid) ? -EEXIST : 0;
	store_begin(s, want);
	if (store_end(s, want, mdevc_create(&s->mdevc, st->buf, st->count, &d)))
		return;
	m = d->drvdata;
	FUZZ_CHECK(m && mdevc_find(&s->mdevc, uuid) == d);
	FUZZ_CHECK(apbm_empty(&m->matrix.apm) && apbm_empty(&m->matrix.aqm) &&
		   apbm_empty(&m->matrix.adm));
	FUZZ_CHECK(m->matrix.apm_max == SEQ_MAX_ID && m->matrix.aqm_max == SEQ_MAX_ID);
}

static void do_open(struct seq_state *s, struct seq_step *st)
{
	struct vap_mdev *m = seq_mdev(s, st->arg), *o;
	struct ap_kvm *kvm = (st->arg >> 4) % 4 < SEQ_NR_KVMS ? &s->kvm[(st->arg >> 4) % 4].kvm : NULL;
	long want = 0;

	if (!m)
		return;
	if (!kvm)
		want = -EINVAL;
	else if (m->open)
		want = -EBUSY;
	for (o = s->md->mdev_list; !want && kvm && kvm->has_crycb && o; o = o->next)
		if (o->kvm == kvm)
			want = -EPERM;
	store_begin(s, want);
	if (store_end(s, want, vap_mdev_open(s->md, m, kvm)) == 0)
		FUZZ_CHECK(m->open && m->kvm == (kvm->has_crycb ? kvm : NULL));
}

static void do_close(struct seq_state *s, struct seq_step *st)
{
	struct vap_mdev *m = seq_mdev(s, st->arg);
	struct vap_matrix shadow;

	if (!m || !m->open)
		return;
	shadow = m->shadow;
	vap_mdev_close(s->md, m);
	/* detach keeps the assignments and the guest_matrix (§4.8) */
	FUZZ_CHECK(!m->open && !m->kvm);
	FUZZ_CHECK(apbm_equal(&shadow.apm, &m->shadow.apm) && apbm_equal(&shadow.aqm, &m->shadow.aqm));
}

static void do_vfio_reset(struct seq_state *s, struct seq_step *st)
{
	struct vap_mdev *m = seq_mdev(s, st->arg);
	unsigned int apid, apqi;
	int rc, want = 0;

	if (!m)
		return;
	rc = vap_mdev_reset(s->md, m);
	for (apid = 0; apid <= SEQ_MAX_ID; apid++)
		apbm_for_each(apqi, vap_mdev_linked(m, apid))
			if (s->md->queues[apid][apqi].reset_rc != AP_RC_NORMAL)
				want = -EIO;
	FUZZ_CHECK(rc == want);
}

static void do_bind(struct seq_state *s, struct seq_step *st)
{
	static const enum apb_drv drivers[] = { APB_DRV_VFIO_AP, APB_DRV_CEX4QUEUE, APB_DRV_CEX4CARD };
	enum apb_drv drv = drivers[(st->sel >> 1) % ARRAY_SIZE(drivers)];
	bool bind = st->sel & 1;
	struct seq_bound bound;
	long rc;

	if (!st->buf) {
		if (drv == APB_DRV_CEX4CARD)
			snprintf(st->synth, sizeof(st->synth), "card%02x\n", st->arg & SEQ_MAX_ID);
		else
			snprintf(st->synth, sizeof(st->synth), "%02x.%04x", st->arg >> 4,
				 st->arg & SEQ_MAX_ID);
		st->buf = st->synth;
		st->count = strlen(st->synth);
	}
	seq_bound_save(s, &bound);
	store_begin(s, -1);
	rc = bind ? apb_bind_store(s->bus, drv, st->buf, st->count) :
		    apb_unbind_store(s->bus, drv, st->buf, st->count);
	seq_trace_result(rc);
	FUZZ_CHECK(rc == (long)st->count || rc == -ENODEV || (bind && rc == -EBUSY));
	if (rc < 0)
		check_unchanged(s);
	check_probed_owners(s, &bound);
}

static void do_device_attr(struct seq_state *s, struct seq_step *st, bool card)
{
	const struct apb_attr *present[SEQ_MAX_ATTRS], *a;
	enum apb_obj obj = card ? APB_OBJ_CARD : APB_OBJ_QUEUE;
	unsigned int apid = card ? st->arg & SEQ_MAX_ID : st->arg >> 4;
	unsigned int apqi = card ? 0 : st->arg & SEQ_MAX_ID;
	unsigned int i, n, nt;
	const struct apb_attr *t = apb_attrs(obj, &nt);
	long rc;

	for (i = n = 0; i < nt && n < SEQ_MAX_ATTRS; i++)
		if (apb_attr_present(s->bus, obj, &t[i], apid, apqi))
			present[n++] = &t[i];
	if (!n)
		return;
	a = present[st->sel % n];
	step_number(st, st->sel & 1);
	store_begin(s, -1);
	rc = apb_attr_store(s->bus, obj, a, apid, apqi, st->buf, st->count);
	seq_trace_result(rc);
	FUZZ_CHECK(rc == (long)st->count || rc == -EINVAL || rc == -ENODEV || rc == -EACCES);
	if (!(a->mode & 0200))
		FUZZ_CHECK(rc == -EACCES);
	if (rc < 0)
		check_unchanged(s);
}

static void do_hw_config(struct seq_state *s, struct seq_step *st)
{
	unsigned int id = st->arg & 0x1f;	/* above Na/Nd: -ENODEV */
	bool on = st->arg & 0x80;
	int rc;

	switch (st->sel % 3) {
	case 0:
		rc = apb_hw_set_adapter(s->bus, id, on);
		break;
	case 1:
		rc = apb_hw_set_domain(s->bus, id, on);
		break;
	default:
		rc = apb_hw_set_control_domain(s->bus, id, on);
		break;
	}
	FUZZ_CHECK(rc == (id > SEQ_MAX_ID ? -ENODEV : 0));
	if (!(st->sel / 3 & 1))	/* else several changes meet in one scan */
		seq_scan(s);
}

static void do_hw_adapter(struct seq_state *s, struct seq_step *st)
{
	static const u8 types[] = { 0, 8, AP_TYPE_CEX4, 12, AP_TYPE_CEX8, 15 };
	unsigned int apid = st->arg & SEQ_MAX_ID;

	if (st->sel & 1)
		FUZZ_CHECK(apb_hw_set_chkstop(s->bus, apid, st->arg & 0x80) == 0);
	else
		FUZZ_CHECK(apb_hw_set_adapter_type(s->bus, apid, types[(st->sel >> 1) % ARRAY_SIZE(types)],
						   APB_FUNC_CCA) == 0);
	seq_scan(s);
}

static void do_inject_rc(struct seq_state *s, struct seq_step *st)
{
	static const u8 codes[] = { AP_RC_NORMAL, AP_RC_Q_NOT_AVAIL, AP_RC_RESET_IN_PROGRESS,
				    AP_RC_DECONFIGURED, AP_RC_CHECKSTOPPED, AP_RC_BUSY,
				    AP_RC_INVALID_ADDRESS, AP_RC_STATE_CHANGE };

	FUZZ_CHECK(apb_hw_inject_reset_rc(s->bus, st->arg >> 4, st->arg & SEQ_MAX_ID,
					  codes[st->sel % ARRAY_SIZE(codes)]) == 0);
}

/* The vfio core's request loop ends once user space closes the device. */
static void do_request(struct seq_state *s, struct seq_step *st)
{
	struct vap_mdev *m = seq_mdev(s, st->arg);
	struct kvmm_guest *kvm;
	struct apbm apm, aqm, adm;

	if (!m || !m->open)
		return;
	kvm = m->kvm ? kvmm_guest_of(m->kvm) : NULL;
	if (kvm) {
		apm = kvm->crycb_apm;
		aqm = kvm->crycb_aqm;
		adm = kvm->crycb_adm;
	}
	vap_mdev_request(s->md, m, st->sel);
	/* before 6.5 there is no request callback: the CRYCB stays as it was */
	if (kvm && ap_profile_has(s->md->profile, AP_FEAT_REQ_IRQ))
		FUZZ_CHECK(apbm_empty(&kvm->crycb_apm) && apbm_empty(&kvm->crycb_aqm) &&
			   apbm_empty(&kvm->crycb_adm));
	else if (kvm)
		FUZZ_CHECK(apbm_equal(&kvm->crycb_apm, &apm) && apbm_equal(&kvm->crycb_aqm, &aqm) &&
			   apbm_equal(&kvm->crycb_adm, &adm));
	vap_mdev_close(s->md, m);
}

static void do_set_irq(struct seq_state *s, struct seq_step *st)
{
	static char triggers[2];
	struct vap_mdev *m = seq_mdev(s, st->arg);
	unsigned int index = st->sel % 3;
	void *trigger = st->arg & 0x80 ? NULL : &triggers[index & 1];
	const struct ap_profile *p = s->md->profile;
	int want = index == VAP_REQ_IRQ_INDEX ||
		   (index == VAP_CFG_CHG_IRQ_INDEX && ap_profile_has(p, AP_FEAT_CFG_CHG_IRQ)) ?
		   0 : -EINVAL;

	if (!ap_profile_has(p, AP_FEAT_REQ_IRQ))
		want = -EOPNOTSUPP;	/* no SET_IRQS before 6.5 */
	if (m)
		FUZZ_CHECK(vap_mdev_set_irq(s->md, m, index, trigger) == want);
}

static void seq_run_step(struct seq_state *s, struct seq_step *st)
{
	if (seq_trace)
		fprintf(stderr, "step %s sel=%u arg=0x%02x payload=\"%.*s\"\n", seq_op_names[st->op],
			st->sel, st->arg, st->buf ? (int)st->count : 0, st->buf ? st->buf : "");
	switch (st->op) {
	case OP_MDEV_STORE:
		do_mdev_store(s, st);
		break;
	case OP_AP_CONFIG:
		do_ap_config(s, st);
		break;
	case OP_APMASK:
	case OP_AQMASK:
		do_mask_store(s, st, st->op == OP_APMASK);
		break;
	case OP_BUS_ATTR:
		do_bus_attr(s, st);
		break;
	case OP_MDEV_CREATE:
		do_create(s, st);
		break;
	case OP_OPEN:
		do_open(s, st);
		break;
	case OP_CLOSE:
		do_close(s, st);
		break;
	case OP_VFIO_RESET:
		do_vfio_reset(s, st);
		break;
	case OP_BIND:
		do_bind(s, st);
		break;
	case OP_CARD_ATTR:
	case OP_QUEUE_ATTR:
		do_device_attr(s, st, st->op == OP_CARD_ATTR);
		break;
	case OP_HW_CONFIG:
		do_hw_config(s, st);
		break;
	case OP_HW_ADAPTER:
		do_hw_adapter(s, st);
		break;
	case OP_HW_INJECT_RC:
		do_inject_rc(s, st);
		break;
	case OP_REQUEST:
		do_request(s, st);
		break;
	case OP_SET_IRQ:
		do_set_irq(s, st);
		break;
	default:
		seq_scan(s);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct seq_state s;	/* the bus and engine keep a pointer */
	struct seq_step st;
	size_t at = 1, len;
	int steps = 0;

	if (!size)
		return 0;
	seq_trace = getenv("APVIRT_FUZZ_TRACE") != NULL;
	seq_setup(&s, data[0] % ARRAY_SIZE(seq_kernels));
	check_invariants(&s);
	while (at + 3 <= size && steps++ < SEQ_MAX_STEPS) {
		memset(&st, 0, sizeof(st));
		st.op = data[at] % SEQ_NR_OPS;
		st.sel = data[at] / SEQ_NR_OPS;
		st.arg = data[at + 1];
		len = data[at + 2];
		at += 3;
		if (len > size - at)
			len = size - at;
		if (len) {
			st.buf = (const char *)data + at;
			st.count = len;
		}
		at += len;
		seq_run_step(&s, &st);
		check_invariants(&s);
	}
	seq_teardown(&s);
	return 0;
}
