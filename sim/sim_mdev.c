// SPDX-License-Identifier: GPL-2.0
/*
 * sim_mdev.c - the mdev and VM registry of the simulated host: the mdev
 * core's device list, the vfio device files (open by a VM or not), the
 * blocking removal, and the KVM guests.
 *
 * Lifetime of an mdev (struct sim_mdev, registry under reg_lock):
 *   LIVE   created by a "create" write; attribute writes take a reference
 *          for the duration of the engine call (kernfs active references).
 *   DYING  a "remove" write claimed it: attributes and links vanish, the
 *          remover drains the references, then waits for the vfio device
 *          to be closed, calling the engine's request callback periodically
 *          (§4.8); ctl detach/irq still work.  Beyond
 *          SIM_REMOVE_WAITERS_MAX blocked removers the removal is orphaned:
 *          the writer returns at once and the detach finishes it.
 *   GONE   the engine frees it; the entry is unlinked and freed.
 */
#include "sim_mdev.h"
#include "sim_state.h"

/* ---- mdev registry ------------------------------------------------------- */

/* reg_lock held.  iommu_group_alloc() takes the lowest free id (an IDA). */
static unsigned int sim_mdev_free_group(struct sim *s)
{
	unsigned int g = 0;
	struct sim_mdev *sm;

again:
	for (sm = s->mdevs; sm; sm = sm->next) {
		if (sm->state != SIM_MDEV_GONE && sm->group == g) {
			g++;
			goto again;
		}
	}
	return g;
}

int sim_mdev_add(struct sim *s, struct mdevc_dev *dev)
{
	struct sim_mdev *sm = calloc(1, sizeof(*sm)), **pp;
	int i;

	if (!sm)
		return -ENOMEM;
	memcpy(sm->uuid, dev->uuid, sizeof(sm->uuid));
	memcpy(sm->name, dev->name, sizeof(sm->name));
	sm->dev = dev;
	sm->m = dev->drvdata;
	for (i = 0; i < VAP_NUM_IRQS; i++) {
		sm->trig[i].owner = sm;
		sm->trig[i].index = i;
	}
	sim_reg_lock(s);
	sm->serial = ++s->next_serial;
	sm->group = sim_mdev_free_group(s);
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

bool sim_mdev_group_of(struct sim *s, const u8 uuid[16], unsigned int *group)
{
	struct sim_mdev *sm;

	sim_reg_lock(s);
	sm = sim_mdev_find(s, uuid);
	if (sm)
		*group = sm->group;
	sim_reg_unlock(s);
	return sm != NULL;
}

bool sim_mdev_in_group(struct sim *s, unsigned int group, char name[APTXT_UUID_LEN + 1])
{
	struct sim_mdev *sm;

	sim_reg_lock(s);
	for (sm = s->mdevs; sm; sm = sm->next)
		if (sm->state != SIM_MDEV_GONE && sm->group == group)
			break;
	if (sm)
		memcpy(name, sm->name, APTXT_UUID_LEN + 1);
	sim_reg_unlock(s);
	return sm != NULL;
}

unsigned int *sim_mdev_groups(struct sim *s, size_t *n)
{
	unsigned int *groups, g;
	struct sim_mdev *sm;
	size_t cnt = 0, i, j;

	sim_reg_lock(s);
	for (sm = s->mdevs; sm; sm = sm->next)
		cnt++;
	groups = calloc(cnt ? cnt : 1, sizeof(*groups));
	cnt = 0;
	for (sm = s->mdevs; groups && sm; sm = sm->next)
		if (sm->state != SIM_MDEV_GONE)
			groups[cnt++] = sm->group;
	sim_reg_unlock(s);
	for (i = 1; i < cnt; i++) {	/* a handful of mdevs: insertion sort */
		g = groups[i];
		for (j = i; j > 0 && groups[j - 1] > g; j--)
			groups[j] = groups[j - 1];
		groups[j] = g;
	}
	*n = groups ? cnt : 0;
	return groups;
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

static void sim_mdev_unlink(struct sim *s, struct sim_mdev *sm);

/* The vfio device is closed: free the mdev.  Consumes the caller's reference. */
static void sim_mdev_finish(struct sim *s, struct sim_mdev *sm)
{
	long rc;

	sim_reg_lock(s);
	sim_mdev_drain(s, sm);
	sm->state = SIM_MDEV_GONE;
	sim_reg_unlock(s);
	rc = mdevc_remove(&s->mdevc, sm->dev);
	if (WARN_ON_ONCE(rc))
		fprintf(stderr, "apsim: removing %s: %s\n", sm->name, strerror((int)-rc));
	sim_mdev_unlink(s, sm);
	free(sm);
}

void sim_mdev_put_closed(struct sim *s, struct sim_mdev *sm)
{
	bool finish;

	sim_reg_lock(s);
	finish = sm->orphaned && !sm->vfio_open && !sm->vfio_busy;
	if (finish)
		sm->orphaned = false;	/* ours to finish, nobody else's */
	sim_reg_unlock(s);
	if (finish)
		sim_mdev_finish(s, sm);
	else
		sim_mdev_put(s, sm);
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
 * EINVAL (mdevc_parse_remove() decides); otherwise the device disappears
 * (device_remove_file_self: a concurrent second remover just returns
 * count) and the write blocks until the vfio device is closed.
 * Consumes the caller's reference.
 *
 * A blocked writer holds one of the daemon's worker threads, and the pool
 * is finite: were every worker blocked here, nothing would read /dev/fuse,
 * not even the "ctl detach" that ends the wait.  So at most
 * SIM_REMOVE_WAITERS_MAX writers block; a removal beyond that is orphaned,
 * the way kernfs answers a second remover of the same device: the writer
 * gets count at once, after the first device request (count 0), and the
 * mdev stays DYING until the detach that closes its vfio device finishes
 * the removal (sim_mdev_put_closed).  A bound instead of an ever-growing
 * pool: threads are a resource the daemon can run out of, a list entry is
 * not.
 */
long sim_mdev_remove(struct sim *s, struct sim_mdev *sm, const char *buf, size_t count)
{
	bool remove;
	long rc = mdevc_parse_remove(buf, count, &remove);

	if (rc || !remove) {
		sim_mdev_put(s, sm);
		return rc ? rc : (long)count;
	}
	sim_reg_lock(s);
	if (sm->state != SIM_MDEV_LIVE) {
		sim_reg_unlock(s);
		sim_mdev_put(s, sm);
		return (long)count;
	}
	sm->state = SIM_MDEV_DYING;
	sim_mdev_drain(s, sm);
	if ((sm->vfio_open || sm->vfio_busy) && s->remove_waiters >= SIM_REMOVE_WAITERS_MAX) {
		sm->orphaned = true;
		sim_reg_unlock(s);
		vap_mdev_request(s->md, sm->m, 0);
		sim_mdev_put(s, sm);	/* the detach finishes it */
		return (long)count;
	}
	s->remove_waiters++;
	sim_reg_unlock(s);

	rc = sim_mdev_wait_closed(s, sm);
	sim_reg_lock(s);
	s->remove_waiters--;
	sim_reg_unlock(s);
	if (rc) {
		sim_mdev_put(s, sm);	/* shutdown: sim_destroy() finishes it */
		return rc;
	}
	sim_mdev_finish(s, sm);
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
	if (vm && create && vm->guest.kvm.has_crycb != has_crycb)
		*err = -EINVAL;		/* a VM's crypto block is fixed at creation */
	else if (!vm && !create)
		*err = -ENOENT;
	else if (!vm && s->nvms >= SIM_VMS_MAX)
		*err = -ENOSPC;
	else if (!vm) {
		vm = calloc(1, sizeof(*vm));
		if (vm) {
			snprintf(vm->name, sizeof(vm->name), "%s", name);
			kvmm_guest_init(&vm->guest, has_crycb, s->crycb_fmt2, NULL, NULL);
			*pp = vm;
			s->nvms++;
			if (created)
				*created = true;
		} else {
			*err = -ENOMEM;
		}
	}
	if (vm && !*err)
		vm->refs++;
	sim_reg_unlock(s);
	return *err ? NULL : vm;
}

void sim_vm_put(struct sim *s, struct sim_vm *vm)
{
	sim_reg_lock(s);
	vm->refs--;
	sim_reg_unlock(s);
}

/* reg_lock held.  The mdev whose vfio device @vm holds (or claims), or NULL. */
static struct sim_mdev *sim_vm_user(struct sim *s, const struct sim_vm *vm)
{
	struct sim_mdev *sm;

	for (sm = s->mdevs; sm; sm = sm->next)
		if (sm->vm == vm)
			return sm;
	return NULL;
}

/* reg_lock held: unlink and free @vm. */
static void sim_vm_free(struct sim *s, struct sim_vm *vm)
{
	struct sim_vm **pp;

	for (pp = &s->vms; *pp; pp = &(*pp)->next) {
		if (*pp == vm) {
			*pp = vm->next;
			kvmm_guest_destroy(&vm->guest);
			free(vm);
			s->nvms--;
			return;
		}
	}
}

/*
 * Undo sim_vm_get(create) after a failed attach, so that bad input leaves
 * no VM behind -- unless something started using it in the meantime.
 */
void sim_vm_forget(struct sim *s, struct sim_vm *vm)
{
	sim_reg_lock(s);
	if (!--vm->refs && !sim_vm_user(s, vm) && !vm->guest.kvm.pqap_hook)
		sim_vm_free(s, vm);
	sim_reg_unlock(s);
}

/*
 * "ctl vm-remove".  An mdev holds its VM in ->vm from the claim of the
 * open to the end of the close (ctl_vfio_claim/release), and the engine
 * reaches the guest only through such an mdev, so a VM no mdev names and
 * no command holds is the registry's alone.
 */
int sim_vm_remove(struct sim *s, const char *name, char mdev[APTXT_UUID_LEN + 1])
{
	struct sim_mdev *sm;
	struct sim_vm *vm;
	int rc = 0;

	mdev[0] = '\0';
	sim_reg_lock(s);
	for (vm = s->vms; vm; vm = vm->next)
		if (!strcmp(vm->name, name))
			break;
	if (!vm) {
		rc = -ENOENT;
	} else if ((sm = sim_vm_user(s, vm))) {
		snprintf(mdev, APTXT_UUID_LEN + 1, "%s", sm->name);
		rc = -EBUSY;
	} else if (vm->refs || vm->guest.kvm.pqap_hook) {
		rc = -EBUSY;
	} else {
		sim_vm_free(s, vm);
	}
	sim_reg_unlock(s);
	return rc;
}
