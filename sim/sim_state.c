// SPDX-License-Identifier: GPL-2.0
/*
 * sim_state.c - the simulated host behind apsim: the AP bus model and the
 * vfio_ap engine wired together, the registry lock, and the life cycle of
 * the whole.  What the kernel around vfio_ap would hold lives beside it:
 * the mdev core's device list, the vfio device files (open by a VM or
 * not) and KVM guests in sim_mdev.c, the kernel log and uevents in
 * sim_lines.c, fault injection in sim_fault.c.
 */
#include <time.h>

#include "sim_fault.h"
#include "sim_lines.h"
#include "sim_mdev.h"
#include "sim_state.h"

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

void sim_timespec_add_ms(struct timespec *ts, unsigned int ms)
{
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

void sim_deadline(struct timespec *ts, unsigned int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	sim_timespec_add_ms(ts, ms);
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
