/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lock_ranks.h - every lock of apvirt's portable code, in acquisition order.
 *
 * One table for the engine (kernel/core), the models (kernel/ap_model) and
 * apsim (sim/), mirrored by docs/locking.md.  In userspace compat.h gives
 * each apc_mutex its rank and aborts when a lock is taken whose rank is not
 * greater than the last one held; in the kernel the ranks are only
 * documentation (lockdep checks the real locks).
 */
#ifndef APVIRT_COMMON_LOCK_RANKS_H
#define APVIRT_COMMON_LOCK_RANKS_H

enum apc_lock_rank {
	/* AP bus model: scan mutex + the driver core's device lock */
	APC_RANK_BUS_DEV = 5,
	/* ap_attr_mutex: apmask/aqmask, driver_override (AP bus) */
	APC_RANK_AP_ATTR = 10,
	/* mdev core model: the parent's device list and instance count */
	APC_RANK_MDEV_CORE = 15,
	/* matrix_dev->guests_lock (vfio_ap) */
	APC_RANK_GUESTS = 20,
	/* kvm->lock (KVM model) */
	APC_RANK_KVM = 30,
	/* kvm->arch.crypto.pqap_hook_rwsem, write side (KVM model) */
	APC_RANK_PQAP_HOOK = 40,
	/* matrix_dev->mdevs_lock (vfio_ap) */
	APC_RANK_MDEVS = 50,
	/* AP bus model: the simulated machine (firmware; never calls back) */
	APC_RANK_BUS_HW = 70,
	/* apsim: mdev/VM registry and fault table (leaf after the kernel's) */
	APC_RANK_SIM_REG = 80,
	/* apsim: log and uevent buffers (leaf) */
	APC_RANK_SIM_LINES = 90,
	/* apsim: one open file's read buffer (leaf) */
	APC_RANK_SIM_HANDLE = 95,
};

#endif /* APVIRT_COMMON_LOCK_RANKS_H */
