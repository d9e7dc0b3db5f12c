// SPDX-License-Identifier: GPL-2.0
/*
 * sim_state.c - the simulated host behind apsim: the AP bus model and the
 * vfio_ap engine wired together, plus what the kernel around vfio_ap would
 * hold: the mdev core's device list, the vfio device files (open by a VM
 * or not), KVM guests, the kernel log and uevents, and fault injection.
 *
 * Lifetime of an mdev (struct sim_mdev, registry under reg_lock):
 *   LIVE   created by a "create" write; attribute writes take a reference
 *          for the duration of the engine call (kernfs active references).
 *   DYING  a "remove" write claimed it: attributes and links vanish, the
 *          remover drains the references, then waits for the vfio device
 *          to be closed, calling the engine's request callback periodically
 *          (§4.8); ctl detach/irq still work.
 *   GONE   the engine frees it; the entry is unlinked and freed.
 */
#include <limits.h>
#include <time.h>

#include <ctype.h>

#include "apsim.h"

/* Keep at most this much log (or uevent) text; the oldest half goes first. */
#define SIM_LINES_MAX	(8u << 20)

/* ---- bus ops: apb's, with every reset reported in the log ---------------- */

static void sim_bus_attr_lock(void *priv)
{
	struct sim *s = priv;

	apb_vfio_bus_ops.attr_lock(s->bus);
}

static void sim_bus_attr_unlock(void *priv)
{
	struct sim *s = priv;

	apb_vfio_bus_ops.attr_unlock(s->bus);
}

static bool sim_bus_owned(void *priv, const struct apbm *apm, const struct apbm *aqm)
{
	struct sim *s = priv;

	return apb_vfio_bus_ops.owned_by_def_drv(s->bus, apm, aqm);
}

static int sim_bus_tapq(void *priv, unsigned int apid, unsigned int apqi, int *type)
{
	struct sim *s = priv;

	return apb_vfio_bus_ops.tapq(s->bus, apid, apqi, type);
}

static int sim_bus_zapq(void *priv, unsigned int apid, unsigned int apqi)
{
	struct sim *s = priv;
	int rc = apb_vfio_bus_ops.zapq(s->bus, apid, apqi);
	char line[64];

	snprintf(line, sizeof(line), "apsim: reset queue %02x.%04x rc=0x%02x", apid, apqi,
		 (unsigned int)rc & 0xff);
	sim_lines_add(&s->log, line);
	return rc;
}

static const struct vap_bus_ops sim_bus_ops = {
	.attr_lock = sim_bus_attr_lock,
	.attr_unlock = sim_bus_attr_unlock,
	.owned_by_def_drv = sim_bus_owned,
	.tapq = sim_bus_tapq,
	.zapq = sim_bus_zapq,
};

/* ---- host ops: eventfds and the kernel log ------------------------------- */

/* eventfd_signal(): count it on the mdev and on the VM that holds it open. */
static void sim_host_signal(void *host, struct vap_mdev *mdev, int index, void *trigger)
{
	struct sim_trigger *t = trigger;
	struct sim *s = host;
	struct sim_vm *vm;

	sim_reg_lock(s);
	t->owner->signals[t->index]++;
	vm = t->owner->vm;
	if (vm && index == VAP_CFG_CHG_IRQ_INDEX)
		vm->cfg_chg_signals++;
	else if (vm && index == VAP_REQ_IRQ_INDEX)
		vm->req_signals++;
	sim_reg_unlock(s);
}

static void sim_host_log(void *host, enum vap_log_level level, const struct vap_mdev *mdev,
			 const char *msg)
{
	struct sim *s = host;
	char line[256];

	if (mdev)
		snprintf(line, sizeof(line), "vfio_ap_mdev %s: %s", mdev->name, msg);
	else
		snprintf(line, sizeof(line), "%s", msg);
	sim_lines_add(&s->log, line);
}

static const struct vap_host_ops sim_host_ops = {
	.signal = sim_host_signal,
	.log = sim_host_log,
};

/* KOBJ_CHANGE: "<devpath> <ENV>", the variable's own newline dropped. */
static void sim_bus_uevent(void *host, const char *devpath, const char *env)
{
	struct sim *s = host;
	char line[256];
	size_t n;

	snprintf(line, sizeof(line), "%s %s", devpath, env);
	n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = '\0';
	sim_lines_add(&s->uevents, line);
}

static void sim_bus_log(void *host, const char *line)
{
	struct sim *s = host;

	sim_lines_add(&s->log, line);
}

static const struct apb_ops sim_apb_ops = {
	.uevent = sim_bus_uevent,
	.log = sim_bus_log,
};

/* ---- registry lock ------------------------------------------------------- */

void sim_reg_lock(struct sim *s)
{
	apc_mutex_lock(&s->reg_lock);
}

void sim_reg_unlock(struct sim *s)
{
	apc_mutex_unlock(&s->reg_lock);
}

void sim_deadline(struct timespec *ts, unsigned int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

bool sim_reg_wait(struct sim *s, const struct timespec *deadline)
{
	int rc = 0;

	if (!deadline)
		pthread_cond_wait(&s->reg_cond, &s->reg_lock.m);
	else
		rc = pthread_cond_timedwait(&s->reg_cond, &s->reg_lock.m, deadline);
	/* the wait dropped and re-took the mutex behind apc_mutex's back */
	s->reg_lock.owner = pthread_self();
	s->reg_lock.held = true;
	return rc != ETIMEDOUT;
}

void sim_reg_wake(struct sim *s)
{
	pthread_cond_broadcast(&s->reg_cond);
}

void sim_shutdown(struct sim *s)
{
	sim_reg_lock(s);
	s->shutting_down = true;
	sim_reg_wake(s);
	sim_reg_unlock(s);
}

/* ---- mdev registry ------------------------------------------------------- */

int sim_mdev_add(struct sim *s, struct vap_mdev *m)
{
	struct sim_mdev *sm = calloc(1, sizeof(*sm)), **pp;
	int i;

	if (!sm)
		return -ENOMEM;
	memcpy(sm->uuid, m->uuid, sizeof(sm->uuid));
	memcpy(sm->name, m->name, sizeof(sm->name));
	sm->m = m;
	for (i = 0; i < VAP_NUM_IRQS; i++) {
		sm->trig[i].owner = sm;
		sm->trig[i].index = i;
	}
	sim_reg_lock(s);
	sm->serial = ++s->next_serial;
	for (pp = &s->mdevs; *pp; pp = &(*pp)->next)
		;
	*pp = sm;
	sim_reg_unlock(s);
	return 0;
}

/* reg_lock held.  GONE entries are invisible. */
static struct sim_mdev *sim_mdev_find(struct sim *s, const u8 uuid[16])
{
	struct sim_mdev *sm;

	for (sm = s->mdevs; sm; sm = sm->next)
		if (sm->state != SIM_MDEV_GONE && !memcmp(sm->uuid, uuid, 16))
			return sm;
	return NULL;
}

struct sim_mdev *sim_mdev_get(struct sim *s, const u8 uuid[16], u64 serial, bool dying)
{
	struct sim_mdev *sm;

	sim_reg_lock(s);
	sm = sim_mdev_find(s, uuid);
	if (sm && ((serial && sm->serial != serial) ||
		   (sm->state == SIM_MDEV_DYING && !dying)))
		sm = NULL;
	if (sm)
		sm->refs++;
	sim_reg_unlock(s);
	return sm;
}

void sim_mdev_put(struct sim *s, struct sim_mdev *sm)
{
	sim_reg_lock(s);
	if (--sm->refs <= 1)
		sim_reg_wake(s);	/* a remover drains down to its own */
	sim_reg_unlock(s);
}

bool sim_mdev_peek(struct sim *s, const u8 uuid[16], u64 *serial, bool *live)
{
	struct sim_mdev *sm;

	sim_reg_lock(s);
	sm = sim_mdev_find(s, uuid);
	if (sm) {
		*serial = sm->serial;
		*live = sm->state == SIM_MDEV_LIVE;
	}
	sim_reg_unlock(s);
	return sm != NULL;
}

char (*sim_mdev_names(struct sim *s, bool live_only, size_t *n))[APTXT_UUID_LEN + 1]
{
	char (*names)[APTXT_UUID_LEN + 1];
	struct sim_mdev *sm;
	size_t cnt = 0;

	sim_reg_lock(s);
	for (sm = s->mdevs; sm; sm = sm->next)
		cnt++;
	names = calloc(cnt ? cnt : 1, sizeof(*names));
	cnt = 0;
	for (sm = s->mdevs; names && sm; sm = sm->next) {
		if (sm->state == SIM_MDEV_GONE || (live_only && sm->state != SIM_MDEV_LIVE))
			continue;
		memcpy(names[cnt++], sm->name, sizeof(*names));
	}
	sim_reg_unlock(s);
	*n = names ? cnt : 0;
	return names;
}

/* reg_lock held: wait until the caller's reference is the only one. */
static void sim_mdev_drain(struct sim *s, struct sim_mdev *sm)
{
	while (sm->refs > 1)
		sim_reg_wait(s, NULL);
}

/*
 * vfio_unregister_group_dev(): while the vfio device is open, call the
 * driver's request callback (count 0, 1, 2, ...) and wait for the close,
 * every request_ms.  The kernel waits 10 s between requests; apsim's
 * default is 100 ms so tests do not crawl.  A detach wakes us at once.
 * Return: 0 once closed, -ENODEV if the daemon is shutting down.
 */
static int sim_mdev_wait_closed(struct sim *s, struct sim_mdev *sm)
{
	struct timespec deadline;
	unsigned int count = 0;
	bool open, stop;

	sim_reg_lock(s);
	open = sm->vfio_open || sm->vfio_busy;
	sim_reg_unlock(s);
	while (open) {
		vap_mdev_request(s->md, sm->m, count++);
		sim_deadline(&deadline, s->request_ms);
		sim_reg_lock(s);
		while ((open = sm->vfio_open || sm->vfio_busy) && !s->shutting_down &&
		       sim_reg_wait(s, &deadline))
			;
		stop = s->shutting_down;
		sim_reg_unlock(s);
		if (open && stop)
			return -ENODEV;
	}
	return 0;
}

static void sim_mdev_unlink(struct sim *s, struct sim_mdev *sm)
{
	struct sim_mdev **pp;

	sim_reg_lock(s);
	for (pp = &s->mdevs; *pp; pp = &(*pp)->next) {
		if (*pp == sm) {
			*pp = sm->next;
			break;
		}
	}
	sim_reg_unlock(s);
}

/*
 * The "remove" store of the mdev core: 0 is a no-op, anything but a number
 * EINVAL (both decided by the engine); otherwise the device disappears
 * (device_remove_file_self: a concurrent second remover just returns
 * count) and the write blocks until the vfio device is closed.
 * Consumes the caller's reference.
 */
long sim_mdev_remove(struct sim *s, struct sim_mdev *sm, const char *buf, size_t count)
{
	long rc;
	u64 val;

	if (aptxt_kstrtoul(buf, count, &val) || !val) {
		rc = vap_mdev_remove_store(s->md, sm->m, buf, count);
		sim_mdev_put(s, sm);
		return rc;
	}
	sim_reg_lock(s);
	if (sm->state != SIM_MDEV_LIVE) {
		sim_reg_unlock(s);
		sim_mdev_put(s, sm);
		return (long)count;
	}
	sm->state = SIM_MDEV_DYING;
	sim_mdev_drain(s, sm);
	sim_reg_unlock(s);

	rc = sim_mdev_wait_closed(s, sm);
	if (rc) {
		sim_mdev_put(s, sm);	/* shutdown: sim_destroy() finishes it */
		return rc;
	}
	sim_reg_lock(s);
	sim_mdev_drain(s, sm);
	sm->state = SIM_MDEV_GONE;
	sim_reg_unlock(s);
	rc = vap_mdev_remove(s->md, sm->m);
	if (WARN_ON_ONCE(rc))
		fprintf(stderr, "apsim: removing %s: %s\n", sm->name, strerror((int)-rc));
	sim_mdev_unlink(s, sm);
	free(sm);
	return (long)count;
}

/* ---- VMs ----------------------------------------------------------------- */

struct sim_vm *sim_vm_get(struct sim *s, const char *name, bool create, bool has_crycb,
			  int *err, bool *created)
{
	struct sim_vm *vm, **pp;

	*err = 0;
	if (created)
		*created = false;
	sim_reg_lock(s);
	for (pp = &s->vms; *pp; pp = &(*pp)->next)
		if (!strcmp((*pp)->name, name))
			break;
	vm = *pp;
	if (vm && create && vm->kvm.has_crycb != has_crycb)
		*err = -EINVAL;		/* a VM's crypto block is fixed at creation */
	else if (!vm && !create)
		*err = -ENOENT;
	else if (!vm) {
		vm = calloc(1, sizeof(*vm));
		if (vm) {
			snprintf(vm->name, sizeof(vm->name), "%s", name);
			vap_kvm_init(&vm->kvm, has_crycb, s->crycb_fmt2, vm);
			*pp = vm;
			if (created)
				*created = true;
		} else {
			*err = -ENOMEM;
		}
	}
	sim_reg_unlock(s);
	return *err ? NULL : vm;
}

/*
 * Undo sim_vm_get(create) after a failed attach, so that bad input leaves
 * no VM behind -- unless something started using it in the meantime.
 */
void sim_vm_forget(struct sim *s, struct sim_vm *vm)
{
	struct sim_vm **pp;
	struct sim_mdev *sm;

	sim_reg_lock(s);
	for (sm = s->mdevs; sm; sm = sm->next)
		if (sm->vm == vm)
			break;
	if (!sm && !vm->kvm.pqap_hook) {
		for (pp = &s->vms; *pp; pp = &(*pp)->next) {
			if (*pp == vm) {
				*pp = vm->next;
				vap_kvm_destroy(&vm->kvm);
				free(vm);
				break;
			}
		}
	}
	sim_reg_unlock(s);
}

/* ---- log and uevent lines ------------------------------------------------ */

static void sim_lines_init(struct sim_lines *l)
{
	apc_mutex_init(&l->lock, APSIM_RANK_LINES);
	sim_buf_init(&l->text);
	l->nlines = 0;
}

static void sim_lines_destroy(struct sim_lines *l)
{
	sim_buf_free(&l->text);
	apc_mutex_destroy(&l->lock);
}

/* Drop the oldest half of the text (lock held). */
static void sim_lines_trim(struct sim_lines *l)
{
	char *cut = memchr(l->text.p + l->text.len / 2, '\n', l->text.len - l->text.len / 2);
	size_t drop;

	if (!cut)
		return;
	drop = (size_t)(cut + 1 - l->text.p);
	memmove(l->text.p, cut + 1, l->text.len - drop + 1);
	l->text.len -= drop;
}

void sim_lines_add(struct sim_lines *l, const char *line)
{
	apc_mutex_lock(&l->lock);
	sim_buf_add(&l->text, line, strlen(line));
	sim_buf_add(&l->text, "\n", 1);
	l->nlines++;
	if (l->text.len > SIM_LINES_MAX)
		sim_lines_trim(l);
	apc_mutex_unlock(&l->lock);
}

void sim_lines_take(struct sim_lines *l, struct sim_buf *out, bool clear)
{
	apc_mutex_lock(&l->lock);
	if (l->text.len)
		sim_buf_add(out, l->text.p, l->text.len);
	if (clear)
		sim_buf_reset(&l->text);
	apc_mutex_unlock(&l->lock);
}

/* ---- fault injection ----------------------------------------------------- */

struct sim_link_rule {
	const char *from, *to;	/* to == NULL: an AP device name follows */
};

/* The tree's fixed symlinks, as path prefixes (each ends with '/'). */
static const struct sim_link_rule sim_link_rules[] = {
	{ "bus/mdev/devices/", "devices/vfio_ap/matrix/" },
	{ "bus/mdev/drivers/vfio_ap_mdev/", "devices/vfio_ap/matrix/" },
	{ "devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/devices/",
	  "devices/vfio_ap/matrix/" },
	{ "class/mdev_bus/matrix/", "devices/vfio_ap/matrix/" },
	{ "bus/matrix/devices/matrix/", "devices/vfio_ap/matrix/" },
	{ "bus/matrix/drivers/vfio_ap/matrix/", "devices/vfio_ap/matrix/" },
	{ "bus/ap/devices/", NULL },
	{ "bus/ap/drivers/cex4card/", NULL },
	{ "bus/ap/drivers/cex4queue/", NULL },
	{ "bus/ap/drivers/vfio_ap/", NULL },
};

/* "cardXX/rest" -> "devices/ap/cardXX/rest", "XX.YYYY/rest" -> ".../cardXX/XX.YYYY/rest" */
static void sim_canonical_apdev(const char *rest, char *out, size_t size)
{
	if (strlen(rest) >= 7 && rest[2] == '.' && strncmp(rest, "card", 4))
		snprintf(out, size, "devices/ap/card%.2s/%s", rest, rest);
	else
		snprintf(out, size, "devices/ap/%s", rest);
}

void sim_canonical_path(const char *in, char *out, size_t size)
{
	char tmp[PATH_MAX];
	size_t i, o = 0, n;
	bool again = true;
	int rounds;

	/* strip leading slashes, collapse repeated ones */
	for (i = 0; in[i] && o + 1 < sizeof(tmp); i++)
		if (in[i] != '/' || (o && tmp[o - 1] != '/'))
			tmp[o++] = in[i];
	while (o && tmp[o - 1] == '/')
		o--;
	tmp[o] = '\0';
	snprintf(out, size, "%s", tmp);
	for (rounds = 0; again && rounds < 4; rounds++) {
		again = false;
		for (i = 0; i < ARRAY_SIZE(sim_link_rules); i++) {
			n = strlen(sim_link_rules[i].from);
			if (strncmp(out, sim_link_rules[i].from, n))
				continue;
			snprintf(tmp, sizeof(tmp), "%s", out + n);
			if (sim_link_rules[i].to)
				snprintf(out, size, "%s%s", sim_link_rules[i].to, tmp);
			else
				sim_canonical_apdev(tmp, out, size);
			again = true;
			break;
		}
	}
}

/*
 * A fault path is a sysfs-shaped relative path: [A-Za-z0-9._:-] components,
 * no "." or "..".  It need not exist yet (an mdev created later counts).
 */
static bool sim_fault_path_ok(const char *path)
{
	const char *comp = path, *p;
	size_t n;

	if (!*path || strlen(path) >= PATH_MAX)
		return false;
	for (p = path;; p++) {
		if (*p && *p != '/') {
			if (!isalnum((unsigned char)*p) && !strchr("._:-", *p))
				return false;
			continue;
		}
		n = (size_t)(p - comp);
		/* empty (leading, doubled or trailing '/'), "." and ".." */
		if (!n || (n == 1 && comp[0] == '.') || (n == 2 && comp[0] == '.' && comp[1] == '.'))
			return false;
		if (!*p)
			return true;
		comp = p + 1;
	}
}

int sim_fault_add(struct sim *s, const char *path, int err, unsigned int count)
{
	char canon[PATH_MAX];
	struct sim_fault *f, **pp;

	if (!sim_fault_path_ok(path))
		return -EINVAL;
	sim_canonical_path(path, canon, sizeof(canon));
	sim_reg_lock(s);
	for (pp = &s->faults; *pp && strcmp((*pp)->path, canon); pp = &(*pp)->next)
		;
	f = *pp;
	if (!f && count) {
		f = calloc(1, sizeof(*f));
		if (f)
			f->path = strdup(canon);
		if (!f || !f->path) {
			free(f);
			sim_reg_unlock(s);
			return -ENOMEM;
		}
		*pp = f;
	}
	if (f && !count) {
		*pp = f->next;
		free(f->path);
		free(f);
	} else if (f) {
		f->err = err;
		f->count = count;
	}
	sim_reg_unlock(s);
	return 0;
}

int sim_fault_take(struct sim *s, const char *path)
{
	struct sim_fault *f, **pp;
	int err = 0;

	while (*path == '/')
		path++;
	sim_reg_lock(s);
	for (pp = &s->faults; *pp && strcmp((*pp)->path, path); pp = &(*pp)->next)
		;
	f = *pp;
	if (f) {
		err = -f->err;
		if (!--f->count) {
			*pp = f->next;
			free(f->path);
			free(f);
		}
	}
	sim_reg_unlock(s);
	return err;
}

/* ---- life cycle ---------------------------------------------------------- */

static int sim_init_locks(struct sim *s)
{
	pthread_condattr_t ca;
	int rc;

	apc_mutex_init(&s->reg_lock, APSIM_RANK_REG);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	rc = pthread_cond_init(&s->reg_cond, &ca);
	pthread_condattr_destroy(&ca);
	sim_lines_init(&s->log);
	sim_lines_init(&s->uevents);
	return -rc;
}

struct sim *sim_create(const struct apb_host_spec *spec, unsigned int request_ms)
{
	struct sim *s = calloc(1, sizeof(*s));
	struct vap_qci qci;

	if (!s)
		return NULL;
	if (sim_init_locks(s)) {
		free(s);
		return NULL;
	}
	clock_gettime(CLOCK_REALTIME, &s->start_time);
	s->request_ms = request_ms;
	memcpy(s->adapter, spec->adapter, sizeof(s->adapter));
	s->bus = apb_create(spec, &sim_apb_ops, s);
	if (!s->bus)
		goto fail;
	apb_get_qci(s->bus, &qci);
	s->crycb_fmt2 = qci.apxa;
	/* module init: the matrix device gets QCI, then the AP driver registers */
	s->md = vap_matrix_dev_create(&qci, &sim_bus_ops, s, &sim_host_ops, s);
	if (!s->md)
		goto fail;
	apb_register_vfio(s->bus, s->md);
	return s;
fail:
	sim_destroy(s);
	return NULL;
}

/* Single-threaded again: close and remove what is left, then tear down. */
static void sim_destroy_mdevs(struct sim *s)
{
	struct sim_mdev *sm;

	while ((sm = s->mdevs)) {
		s->mdevs = sm->next;
		if (sm->state != SIM_MDEV_GONE) {
			if (sm->vfio_open)
				vap_mdev_close(s->md, sm->m);
			vap_mdev_remove(s->md, sm->m);
		}
		free(sm);
	}
}

void sim_destroy(struct sim *s)
{
	struct sim_fault *f;
	struct sim_vm *vm;

	if (!s)
		return;
	if (s->md)
		sim_destroy_mdevs(s);
	if (s->bus && s->md)
		apb_unregister_vfio(s->bus);
	vap_matrix_dev_destroy(s->md);
	apb_destroy(s->bus);
	while ((vm = s->vms)) {
		s->vms = vm->next;
		vap_kvm_destroy(&vm->kvm);
		free(vm);
	}
	while ((f = s->faults)) {
		s->faults = f->next;
		free(f->path);
		free(f);
	}
	sim_lines_destroy(&s->log);
	sim_lines_destroy(&s->uevents);
	pthread_cond_destroy(&s->reg_cond);
	apc_mutex_destroy(&s->reg_lock);
	free(s);
}
