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

/* ---- what the engine and the bus report: eventfds, log, uevents --------- */

/* eventfd_signal(): count it on the mdev and on the VM that holds it open. */
static void sim_env_signal(void *env, struct vap_mdev *mdev, int index, void *trigger)
{
	struct sim_trigger *t = trigger;
	struct sim *s = env;
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

static void sim_env_log(void *env, enum vap_log_level level, const struct vap_mdev *mdev,
			const char *msg)
{
	struct sim *s = env;
	char line[256];

	if (mdev)
		snprintf(line, sizeof(line), "vfio_ap_mdev %s: %s", mdev->name, msg);
	else
		snprintf(line, sizeof(line), "%s", msg);
	sim_lines_add(&s->log, line);
}

static const struct vap_env_ops sim_env_ops = {
	.signal = sim_env_signal,
	.log = sim_env_log,
};

/* KOBJ_CHANGE: "<devpath> <ENV>", the variable's own newline dropped. */
static void sim_bus_uevent(void *env, const char *devpath, const char *vars)
{
	struct sim *s = env;
	char line[256];
	size_t n;

	snprintf(line, sizeof(line), "%s %s", devpath, vars);
	n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = '\0';
	sim_lines_add(&s->uevents, line);
}

static void sim_bus_log(void *env, const char *line)
{
	struct sim *s = env;

	sim_lines_add(&s->log, line);
}

/* Every ZAPQ a driver issued, in the log (apsim's own line, not the kernel's). */
static void sim_bus_reset(void *env, unsigned int apid, unsigned int apqi, int rc)
{
	struct sim *s = env;
	char line[64];

	snprintf(line, sizeof(line), "apsim: reset queue %02x.%04x rc=0x%02x", apid, apqi,
		 (unsigned int)rc & 0xff);
	sim_lines_add(&s->log, line);
}

static const struct apb_ops sim_apb_ops = {
	.uevent = sim_bus_uevent,
	.log = sim_bus_log,
	.reset = sim_bus_reset,
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
	return apc_cond_wait(&s->reg_cond, &s->reg_lock, deadline) != ETIMEDOUT;
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

	apc_mutex_init(&s->reg_lock, APC_RANK_SIM_REG);
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
	struct ap_qci qci;

	if (!s)
		return NULL;
	if (sim_init_locks(s)) {
		free(s);
		return NULL;
	}
	clock_gettime(CLOCK_REALTIME, &s->start_time);
	s->request_ms = request_ms;
	s->bus = apb_create(spec, &sim_apb_ops, s);
	if (!s->bus)
		goto fail;
	apb_get_qci(s->bus, &qci);
	s->crycb_fmt2 = qci.apxa;
	/*
	 * vfio_ap's module init: the matrix device gets QCI, the AP driver
	 * registers with the bus, the mdev parent with the mdev core.
	 */
	s->md = vap_matrix_dev_create(&qci, apb_profile(s->bus), &apb_bus_ops, s->bus,
						&sim_env_ops, s);
	if (!s->md)
		goto fail;
	apb_register_driver(s->bus, &vap_ap_driver_ops, s->md);
	mdevc_init(&s->mdevc, VAP_MAX_INSTANCES, &vap_mdev_parent_ops, s->md);
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
			WARN_ON_ONCE(mdevc_remove(&s->mdevc, sm->dev));
		}
		free(sm);
	}
	mdevc_destroy(&s->mdevc);
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
		apb_unregister_driver(s->bus);
	vap_matrix_dev_destroy(s->md);
	apb_destroy(s->bus);
	while ((vm = s->vms)) {
		s->vms = vm->next;
		kvmm_guest_destroy(&vm->guest);
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
