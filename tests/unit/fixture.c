// SPDX-License-Identifier: GPL-2.0
/*
 * fixture.c - the simulated host every engine unit test runs against.
 *
 * The engine is wired exactly as every host wires it: vap_matrix_dev_create()
 * with the bus model's apb_bus_ops, apb_register_driver() with
 * vap_ap_driver_ops, an mdev core with vap_mdev_parent_ops.  What the
 * engine and the models send out is recorded through their host callbacks,
 * ZAPQs per APQN included (the bus model's reset notification), so that
 * tests can say which queues a hot unplug, a detach or a filter run reset.
 */
#include "fixture.h"
#include "engine_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- host spec -------------------------------------------------------- */

void fx_spec_add_adapter(struct apb_host_spec *spec, unsigned int apid, u8 raw_type)
{
	spec->adapter[apid].raw_type = raw_type;
	spec->adapter[apid].functions = APB_FUNC_CCA;
	apbm_set(&spec->qci.apm, apid);
}

void fx_spec_standard(struct apb_host_spec *spec)
{
	unsigned int apid;

	apb_default_spec(spec);
	/* Pin down everything the tests rely on instead of trusting defaults. */
	spec->qci.apsc = true;
	spec->qci.apxa = true;
	spec->qci.qact = true;
	spec->qci.rc8a = false;
	spec->qci.apsb = false;
	spec->qci.na = 255;
	spec->qci.nd = 255;
	memset(spec->adapter, 0, sizeof(spec->adapter));
	apbm_zero(&spec->qci.apm);
	for (apid = 3; apid <= 6; apid++)
		fx_spec_add_adapter(spec, apid, AP_TYPE_CEX8);
	apbm_zero(&spec->qci.aqm);
	apbm_set_range(&spec->qci.aqm, 0, 15);
	apbm_zero(&spec->qci.adm);
	apbm_set_range(&spec->qci.adm, 0, 15);
	apbm_fill(&spec->apmask);
	apbm_clear(&spec->apmask, 4);
	apbm_clear(&spec->apmask, 5);
	apbm_clear(&spec->apmask, 6);
	apbm_fill(&spec->aqmask);
	spec->profile = ap_profile_default();
}

static void fx_tweak_kernel_60(struct apb_host_spec *spec)
{
	spec->profile = ap_profile_find("6.0");
}

const struct fx_variant fx_kernel_60 = { .tweak = fx_tweak_kernel_60 };

static void fx_tweak_kernel_fixed(struct apb_host_spec *spec)
{
	spec->profile = ap_profile_find("fixed");
}

const struct fx_variant fx_kernel_fixed = { .tweak = fx_tweak_kernel_fixed };

/* ---- what the engine and the bus send out ----------------------------- */

static void fx_record_line(struct fx *fx, int level, const char *prefix, const char *msg)
{
	struct fx_log_line *l;
	size_t len;

	pthread_mutex_lock(&fx->rec_lock);
	fx->nr_log_total++;
	if (fx->nr_log < FX_MAX_LOG) {
		l = &fx->log[fx->nr_log++];
		l->level = level;
		snprintf(l->text, sizeof(l->text), "%s%s", prefix, msg);
		/* dev_warn() text ends in "\n"; the line is what matters */
		len = strlen(l->text);
		if (len && l->text[len - 1] == '\n')
			l->text[len - 1] = '\0';
	}
	pthread_mutex_unlock(&fx->rec_lock);
}

static void fx_env_log(void *env, enum vap_log_level level, const struct vap_mdev *mdev,
		       const char *msg)
{
	char prefix[FX_LINE_MAX] = "";

	/* dev_*() on the mdev device: "<driver name> <dev_name>: " */
	if (mdev)
		snprintf(prefix, sizeof(prefix), "vfio_ap_mdev %s: ", mdev->name);
	fx_record_line(env, (int)level, prefix, msg);
}

static void fx_env_signal(void *env, struct vap_mdev *mdev, int irq_index, void *trigger)
{
	struct fx *fx = env;

	pthread_mutex_lock(&fx->rec_lock);
	if (irq_index >= 0 && irq_index < VAP_NUM_IRQS) {
		fx->signals[irq_index]++;
		fx->last_trigger[irq_index] = trigger;
	}
	pthread_mutex_unlock(&fx->rec_lock);
}

static const struct vap_env_ops fx_env_ops = {
	.signal = fx_env_signal,
	.log = fx_env_log,
};

static void fx_crycb_changed(void *env, struct kvmm_guest *guest)
{
	struct fx *fx = env;

	pthread_mutex_lock(&fx->rec_lock);
	fx->crycb_changes++;
	pthread_mutex_unlock(&fx->rec_lock);
}

static void fx_bus_uevent(void *env, const char *devpath, const char *vars)
{
	struct fx *fx = env;
	struct fx_uevent *u;

	pthread_mutex_lock(&fx->rec_lock);
	if (fx->nr_uevents < FX_MAX_UEVENTS) {
		u = &fx->uevent[fx->nr_uevents++];
		snprintf(u->devpath, sizeof(u->devpath), "%s", devpath);
		snprintf(u->env, sizeof(u->env), "%s", vars);
	}
	pthread_mutex_unlock(&fx->rec_lock);
}

static void fx_bus_log(void *env, const char *line)
{
	fx_record_line(env, -1, "", line);
}

/* ZAPQ is the one side effect the tests count per APQN. */
static void fx_bus_reset(void *env, unsigned int apid, unsigned int apqi, int rc)
{
	struct fx *fx = env;

	pthread_mutex_lock(&fx->rec_lock);
	if (apid < APBM_BITS && apqi < APBM_BITS)
		fx->zapq[apid][apqi]++;
	pthread_mutex_unlock(&fx->rec_lock);
}

static const struct apb_ops fx_apb_ops = {
	.uevent = fx_bus_uevent,
	.log = fx_bus_log,
	.reset = fx_bus_reset,
};

/* ---- setup / teardown ------------------------------------------------- */

int fx_setup(void **state)
{
	const struct fx_variant *variant = *state;
	struct fx *fx;

	fx = calloc(1, sizeof(*fx));
	if (!fx)
		return -1;
	fx->zapq = calloc(APBM_BITS, sizeof(*fx->zapq));
	if (!fx->zapq) {
		free(fx);
		return -1;
	}
	pthread_mutex_init(&fx->rec_lock, NULL);
	fx_spec_standard(&fx->spec);
	if (variant && variant->tweak)
		variant->tweak(&fx->spec);

	assert_int_equal(eh_init(&fx->spec, &fx_apb_ops, &fx_env_ops, fx, &fx->bus, &fx->md,
				 &fx->mdevc), 0);
	/* The initial scan and binding are setup, not part of any test. */
	fx_clear_records(fx);
	*state = fx;
	return 0;
}

int fx_teardown(void **state)
{
	struct fx *fx = *state;
	unsigned int i;

	eh_exit(fx->bus, fx->md, &fx->mdevc);
	for (i = 0; i < fx->nr_kvms; i++) {
		kvmm_guest_destroy(fx->kvm[i]);
		free(fx->kvm[i]);
	}
	pthread_mutex_destroy(&fx->rec_lock);
	free(fx->zapq);
	free(fx);
	return 0;
}

void fx_apply_test_filter(int argc, char **argv)
{
	const char *pattern = argc > 1 ? argv[1] : getenv("APVIRT_TEST_FILTER");

	if (pattern && *pattern)
		cmocka_set_test_filter(pattern);
}

/* ---- mdevs and attributes --------------------------------------------- */

int fx_create(struct fx *fx, const char *buf, size_t count, struct vap_mdev **out)
{
	struct mdevc_dev *d = NULL;
	int rc = mdevc_create(&fx->mdevc, buf, count, &d);

	if (!rc && out)
		*out = d->drvdata;
	return rc;
}

struct vap_mdev *fx_mdev(struct fx *fx, const char *uuid)
{
	struct vap_mdev *m = NULL;

	assert_int_equal(fx_create(fx, uuid, strlen(uuid), &m), 0);
	assert_non_null(m);
	return m;
}

struct vap_mdev *fx_find(struct fx *fx, const u8 uuid[16])
{
	struct mdevc_dev *d = mdevc_find(&fx->mdevc, uuid);

	return d ? d->drvdata : NULL;
}

/* "remove" is the mdev core's; everything else comes from vap_mdev_attrs[]. */
static long fx_remove_store(struct fx *fx, struct vap_mdev *m, const char *buf, size_t count)
{
	struct mdevc_dev *d = mdevc_find_drvdata(&fx->mdevc, m);

	assert_non_null(d);
	return mdevc_remove_store(&fx->mdevc, d, buf, count);
}

long fx_writen(struct fx *fx, struct vap_mdev *m, const char *attr, const char *buf,
	       size_t count)
{
	const struct vap_mdev_attr *a = vap_mdev_attr_find(attr);

	if (!strcmp(attr, "remove"))
		return fx_remove_store(fx, m, buf, count);
	if (!a || !a->store)
		fail_msg("no writable mdev attribute '%s'", attr);
	if (a->is_visible && !a->is_visible(fx->md))
		return -ENOENT;		/* this kernel has no such file */
	return a->store(fx->md, m, buf, count);
}

long fx_write(struct fx *fx, struct vap_mdev *m, const char *attr, const char *text)
{
	return fx_writen(fx, m, attr, text, strlen(text));
}

void fx_write_ids(struct fx *fx, struct vap_mdev *m, const char *attr, const int *ids)
{
	char num[16];

	for (; *ids >= 0; ids++) {
		snprintf(num, sizeof(num), "%d", *ids);
		assert_int_equal(fx_write(fx, m, attr, num), (long)strlen(num));
	}
}

static const char *fx_finish_read(char *buf, int n)
{
	assert_in_range(n, 0, APC_PAGE_SIZE);
	buf[n] = '\0';
	return buf;
}

const char *fx_read(struct fx *fx, struct vap_mdev *m, const char *attr)
{
	const struct vap_mdev_attr *a = vap_mdev_attr_find(attr);

	if (!a || !a->show)
		fail_msg("no readable mdev attribute '%s'", attr);
	if (a->is_visible && !a->is_visible(fx->md))
		fail_msg("mdev attribute '%s' does not exist in kernel %s", attr,
			 fx->md->profile->name);
	return fx_finish_read(fx->buf, a->show(fx->md, m, fx->buf));
}

/* ---- AP bus ----------------------------------------------------------- */

long fx_bus_write(struct fx *fx, const char *attr, const char *text)
{
	return apb_bus_attr_store(fx->bus, attr, text, strlen(text));
}

const char *fx_bus_read(struct fx *fx, const char *attr)
{
	return fx_finish_read(fx->buf2, apb_bus_attr_show(fx->bus, attr, fx->buf2));
}

const char *fx_status(struct fx *fx, unsigned int apid, unsigned int apqi)
{
	return fx_finish_read(fx->buf2, vap_queue_status_show(fx->md, apid, apqi, fx->buf2));
}

long fx_vfio_bind(struct fx *fx, const char *name)
{
	return apb_bind_store(fx->bus, APB_DRV_VFIO_AP, name, strlen(name));
}

long fx_vfio_unbind(struct fx *fx, const char *name)
{
	return apb_unbind_store(fx->bus, APB_DRV_VFIO_AP, name, strlen(name));
}

enum apb_drv fx_queue_drv(struct fx *fx, unsigned int apid, unsigned int apqi)
{
	bool exists = false;
	enum apb_drv drv = apb_queue_driver(fx->bus, apid, apqi, &exists);

	return exists ? drv : APB_DRV_NONE;
}

bool fx_queue_exists(struct fx *fx, unsigned int apid, unsigned int apqi)
{
	bool exists = false;

	apb_queue_driver(fx->bus, apid, apqi, &exists);
	return exists;
}

bool fx_queue_has_attr(struct fx *fx, unsigned int apid, unsigned int apqi, const char *attr)
{
	const struct apb_attr *a = apb_attr_find(APB_OBJ_QUEUE, attr);

	return a && apb_attr_present(fx->bus, APB_OBJ_QUEUE, a, apid, apqi);
}

/* ---- KVM -------------------------------------------------------------- */

struct kvmm_guest *fx_kvm(struct fx *fx, bool has_crycb, bool crycb_fmt2)
{
	struct kvmm_guest *kvm;

	assert_true(fx->nr_kvms < FX_MAX_KVMS);
	kvm = calloc(1, sizeof(*kvm));
	assert_non_null(kvm);
	kvmm_guest_init(kvm, has_crycb, crycb_fmt2, fx_crycb_changed, fx);
	fx->kvm[fx->nr_kvms++] = kvm;
	return kvm;
}

struct kvmm_guest *fx_attach(struct fx *fx, struct vap_mdev *m)
{
	struct kvmm_guest *kvm = fx_kvm(fx, true, true);

	assert_int_equal(vap_mdev_open(fx->md, m, &kvm->kvm), 0);
	assert_ptr_equal(m->kvm, &kvm->kvm);
	return kvm;
}

/* Independent of aptxt: the words as the kernel prints them. */
static char *fx_format_apbm(char out[67], const struct apbm *b)
{
	snprintf(out, 67, "0x%016llx%016llx%016llx%016llx",
		 (unsigned long long)b->w[0], (unsigned long long)b->w[1],
		 (unsigned long long)b->w[2], (unsigned long long)b->w[3]);
	return out;
}

void fx_assert_crycb(const struct kvmm_guest *kvm, const int *apm, const int *aqm, const int *adm)
{
	char want[67], got[67];

	assert_string_equal(fx_format_apbm(got, &kvm->crycb_apm), fx_hexmask(want, apm));
	assert_string_equal(fx_format_apbm(got, &kvm->crycb_aqm), fx_hexmask(want, aqm));
	assert_string_equal(fx_format_apbm(got, &kvm->crycb_adm), fx_hexmask(want, adm));
}

/* ---- records ---------------------------------------------------------- */

void fx_clear_records(struct fx *fx)
{
	pthread_mutex_lock(&fx->rec_lock);
	fx->nr_log = 0;
	fx->nr_log_total = 0;
	fx->nr_uevents = 0;
	memset(fx->signals, 0, sizeof(fx->signals));
	memset(fx->last_trigger, 0, sizeof(fx->last_trigger));
	fx->crycb_changes = 0;
	memset(fx->zapq, 0, APBM_BITS * sizeof(*fx->zapq));
	pthread_mutex_unlock(&fx->rec_lock);
}

unsigned int fx_log_count(struct fx *fx, int level, const char *text)
{
	unsigned int i, n = 0;

	pthread_mutex_lock(&fx->rec_lock);
	for (i = 0; i < fx->nr_log; i++)
		if (fx->log[i].level == level && !strcmp(fx->log[i].text, text))
			n++;
	pthread_mutex_unlock(&fx->rec_lock);
	return n;
}

unsigned int fx_uevent_count(struct fx *fx, const char *devpath, const char *env)
{
	unsigned int i, n = 0;

	pthread_mutex_lock(&fx->rec_lock);
	for (i = 0; i < fx->nr_uevents; i++)
		if (!strcmp(fx->uevent[i].devpath, devpath) && !strcmp(fx->uevent[i].env, env))
			n++;
	pthread_mutex_unlock(&fx->rec_lock);
	return n;
}

unsigned long fx_log_total(struct fx *fx)
{
	unsigned long n;

	pthread_mutex_lock(&fx->rec_lock);
	n = fx->nr_log_total;
	pthread_mutex_unlock(&fx->rec_lock);
	return n;
}

const char *fx_resets(struct fx *fx)
{
	const size_t room = sizeof(fx->buf2) - 16;
	unsigned int apid, apqi, n;
	size_t at = 0;

	fx->buf2[0] = '\0';
	pthread_mutex_lock(&fx->rec_lock);
	for (apid = 0; apid < APBM_BITS; apid++) {
		for (apqi = 0; apqi < APBM_BITS && at < room; apqi++) {
			n = fx->zapq[apid][apqi];
			if (!n)
				continue;
			at += (size_t)snprintf(fx->buf2 + at, sizeof(fx->buf2) - at, "%s%02x.%04x",
					       at ? "," : "", apid, apqi);
			if (n > 1)
				at += (size_t)snprintf(fx->buf2 + at, sizeof(fx->buf2) - at,
						       "*%u", n);
		}
	}
	pthread_mutex_unlock(&fx->rec_lock);
	return fx->buf2;
}

unsigned long fx_zapq_total(struct fx *fx)
{
	unsigned long n = 0;
	unsigned int apid, apqi;

	pthread_mutex_lock(&fx->rec_lock);
	for (apid = 0; apid < APBM_BITS; apid++)
		for (apqi = 0; apqi < APBM_BITS; apqi++)
			n += fx->zapq[apid][apqi];
	pthread_mutex_unlock(&fx->rec_lock);
	return n;
}

unsigned int fx_zapq(struct fx *fx, unsigned int apid, unsigned int apqi)
{
	unsigned int n;

	pthread_mutex_lock(&fx->rec_lock);
	n = fx->zapq[apid][apqi];
	pthread_mutex_unlock(&fx->rec_lock);
	return n;
}

/* ---- oracles ---------------------------------------------------------- */

char *fx_hexmask(char out[67], const int *ids)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int digit[64] = { 0 };
	int i;

	/* ID 0 is the top bit of the first hex digit (MSB-first numbering) */
	for (; *ids >= 0; ids++)
		digit[*ids / 4] |= 8u >> (*ids % 4);
	out[0] = '0';
	out[1] = 'x';
	for (i = 0; i < 64; i++)
		out[2 + i] = hex[digit[i]];
	out[66] = '\0';
	return out;
}

struct apbm fx_mask(const int *ids)
{
	struct apbm b;

	apbm_zero(&b);
	for (; *ids >= 0; ids++)
		apbm_set(&b, (unsigned int)*ids);
	return b;
}
