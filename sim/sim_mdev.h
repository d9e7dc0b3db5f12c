/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_mdev.h - the mdev and VM registry of the simulated host (sim_mdev.c):
 * the mdev core's device list, the vfio device files (open by a VM or not),
 * the blocking removal, and the KVM guests.  All under sim->reg_lock.
 */
#ifndef APVIRT_SIM_SIM_MDEV_H
#define APVIRT_SIM_SIM_MDEV_H

#include "vfio_ap_core.h"
#include "kvm_model.h"
#include "mdev_core.h"
#include "sim_parse.h"

struct sim;

/*
 * At most this many "remove" writers block in the daemon at once, each in
 * one of its worker threads (SIM_POOL_MAX, 256, in sim_daemon.c); the
 * rest of the pool stays free for the control file and the tree.  See
 * sim_mdev_remove().
 */
#define SIM_REMOVE_WAITERS_MAX	192

/* One eventfd registered with VFIO_DEVICE_SET_IRQS: the token the engine gets. */
struct sim_trigger {
	struct sim_mdev *owner;
	int index;
};

enum sim_mdev_state {
	SIM_MDEV_LIVE,		/* attributes and links present */
	SIM_MDEV_DYING,		/* remove in progress: only the directory is left */
	SIM_MDEV_GONE,		/* being freed: nothing can take a reference */
};

/* An mdev as vfio and kernfs see it; the mdev core owns ->dev, the engine ->m. */
struct sim_mdev {
	struct sim_mdev *next;
	u64 serial;			/* tells a re-created UUID from the old one */
	/*
	 * Its emulated-IOMMU group (vfio_register_emulated_iommu_dev): the
	 * lowest free number, /sys/kernel/iommu_groups/N, /dev/vfio/N.
	 */
	unsigned int group;
	u8 uuid[16];
	char name[APTXT_UUID_LEN + 1];
	struct mdevc_dev *dev;
	struct vap_mdev *m;		/* dev->drvdata */
	enum sim_mdev_state state;
	unsigned int refs;		/* attribute writes / ctl commands in flight */
	bool orphaned;			/* DYING, its remover returned: the close finishes it */
	/* the vfio device file: open by a VM (or without KVM), or closed */
	bool vfio_open;
	bool vfio_busy;			/* attach/detach in flight */
	struct sim_vm *vm;		/* the VM that opened it (NULL: none or --no-kvm) */
	struct sim_trigger trig[VAP_NUM_IRQS];
	bool trig_set[VAP_NUM_IRQS];
	u64 signals[VAP_NUM_IRQS];
};

/*
 * A KVM guest lives until "ctl vm-remove" or the daemon's end
 * (docs/apsim.1: created on first use, its CRYCB readable after the
 * detach), so their number is bounded: one more is refused with ENOSPC.
 */
#define SIM_VMS_MAX	1024

/* A KVM guest; lives until sim_vm_remove() or the daemon's end. */
struct sim_vm {
	struct sim_vm *next;
	char name[APSIM_NAME_MAX];
	struct kvmm_guest guest;
	u64 cfg_chg_signals, req_signals;
	unsigned int refs;		/* control commands using it (sim_vm_get) */
};

/* Register an mdev the mdev core just created; -ENOMEM leaves it to the caller. */
int sim_mdev_add(struct sim *s, struct mdevc_dev *dev);
/*
 * Take a reference on the mdev named @uuid.  @dying: also while a removal
 * waits (ctl detach/irq need that).  @serial: 0 = any, else must match.
 */
struct sim_mdev *sim_mdev_get(struct sim *s, const u8 uuid[16], u64 serial, bool dying);
void sim_mdev_put(struct sim *s, struct sim_mdev *sm);
/* Put after closing the vfio device: finishes an orphaned removal. */
void sim_mdev_put_closed(struct sim *s, struct sim_mdev *sm);
/* The blocking removal (§4.8): returns count or -errno. */
long sim_mdev_remove(struct sim *s, struct sim_mdev *sm, const char *buf, size_t count);
/* Snapshot of the mdev names: @live_only skips dying ones.  Free with free(). */
char (*sim_mdev_names(struct sim *s, bool live_only, size_t *n))[APTXT_UUID_LEN + 1];
/* Is there an mdev @uuid; its serial and whether it is live. */
bool sim_mdev_peek(struct sim *s, const u8 uuid[16], u64 *serial, bool *live);
/* The IOMMU group of mdev @uuid; false if there is none. */
bool sim_mdev_group_of(struct sim *s, const u8 uuid[16], unsigned int *group);
/* The mdev in IOMMU group @group (its name); false if the group does not exist. */
bool sim_mdev_in_group(struct sim *s, unsigned int group, char name[APTXT_UUID_LEN + 1]);
/* The group numbers in use, ascending.  Free with free(); NULL on -ENOMEM. */
unsigned int *sim_mdev_groups(struct sim *s, size_t *n);

/*
 * The VM named @name, with a reference for the caller (sim_vm_put); with
 * @create made on first use (*created tells).  NULL and *err: -ENOENT,
 * -EINVAL (exists with the other @has_crycb), -ENOSPC, -ENOMEM.
 */
struct sim_vm *sim_vm_get(struct sim *s, const char *name, bool create, bool has_crycb,
			  int *err, bool *created);
void sim_vm_put(struct sim *s, struct sim_vm *vm);
/* Put a VM sim_vm_get() created, freeing it if nothing else uses it. */
void sim_vm_forget(struct sim *s, struct sim_vm *vm);
/*
 * Free the VM named @name and its slot: -ENOENT if there is none, -EBUSY
 * while an mdev's vfio device is open by it or being opened or closed for
 * it (its name in @mdev), or while a control command uses it (@mdev "").
 */
int sim_vm_remove(struct sim *s, const char *name, char mdev[APTXT_UUID_LEN + 1]);

#endif /* APVIRT_SIM_SIM_MDEV_H */
