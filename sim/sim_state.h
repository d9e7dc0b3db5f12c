/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_state.h - the simulated host behind apsim (sim_state.c): the AP bus
 * model and the vfio_ap engine wired together in struct sim, its life
 * cycle and the registry lock.
 *
 * Lock order (kernel/common/lock_ranks.h, docs/locking.md).  The kernel's
 * locks come first; apsim's own locks are leaves after them:
 *
 *   [bus dev_lock 5 -> ap_attr 10 -> mdev core 15 -> guests 20 -> kvm 30
 *    -> pqap 40 -> mdevs 50 -> hw 70]
 *     -> sim->reg_lock (80)    mdev/VM registry, fault table; taken by
 *                              engine callbacks (signal)
 *     -> sim_lines.lock (90)   log and uevent buffers; taken by engine
 *                              and bus callbacks (log, uevent, reset)
 *
 * Both are apc_mutexes, so compat_user.c checks this order at run time: a
 * call into the engine while holding either aborts at once.  Nothing of
 * apsim is ever held across an engine call.
 */
#ifndef APVIRT_SIM_SIM_STATE_H
#define APVIRT_SIM_SIM_STATE_H

#include <time.h>

#include "vfio_ap_core.h"
#include "ap_bus_model.h"
#include "mdev_core.h"
#include "lock_ranks.h"
#include "sim_lines.h"

struct sim_mdev;
struct sim_vm;
struct sim_fault;

struct sim {
	struct apb_bus *bus;
	struct vap_matrix_dev *md;
	struct mdevc mdevc;		/* the mdev core: create, remove, instances */
	bool crycb_fmt2;		/* APXA: new VMs get format-2 CRYCBs */
	struct timespec start_time;
	unsigned int request_ms;

	struct apc_mutex reg_lock;	/* rank 80, see the top of this file */
	pthread_cond_t reg_cond;	/* registry changes, detach, shutdown */
	struct sim_mdev *mdevs;
	struct sim_vm *vms;
	struct sim_fault *faults;
	unsigned int remove_waiters;	/* "remove" writers blocked (sim_mdev.c) */
	unsigned int nvms, nfaults;	/* bounded: SIM_VMS_MAX, SIM_FAULTS_MAX */
	u64 next_serial;
	bool shutting_down;

	struct sim_lines log, uevents;
};

struct sim *sim_create(const struct apb_host_spec *spec, unsigned int request_ms);
void sim_destroy(struct sim *s);

void sim_reg_lock(struct sim *s);
void sim_reg_unlock(struct sim *s);
/* Move @ts @ms milliseconds later. */
void sim_timespec_add_ms(struct timespec *ts, unsigned int ms);
/* An absolute CLOCK_MONOTONIC deadline @ms from now. */
void sim_deadline(struct timespec *ts, unsigned int ms);
/* Wait on reg_cond (reg_lock held) until woken or @deadline (NULL: none);
 * false on timeout. */
bool sim_reg_wait(struct sim *s, const struct timespec *deadline);
void sim_reg_wake(struct sim *s);
void sim_shutdown(struct sim *s);

#endif /* APVIRT_SIM_SIM_STATE_H */
