/* SPDX-License-Identifier: GPL-2.0 */
/*
 * refmodel.h - a deliberately naive reference model of vfio_ap with dynamic
 * configuration and of the AP bus around it, written from
 * docs/kernel-abi.md (§2.3-§4.9, newest baseline) and nothing else.
 *
 * It exists to be compared with kernel/core step by step (see
 * tests/diff/test_differential.c), so it is built the opposite way: plain
 * bool arrays, one loop per APQN, no bitmap algebra and no shared rules.
 * Only the pure text helpers of ap_text.h (number/mask/UUID parsing and
 * the print formats) are shared with the engine.  bench/engine times the
 * engine against it.
 *
 * What it models:
 *  - the hardware: QCI masks, adapter types, one-shot injected reset rcs;
 *  - the AP bus: the QCI it last fetched, apmask/aqmask and their in_use
 *    veto, queue devices (registration order) and their driver
 *    (cex4queue for host-reserved APQNs, vfio_ap otherwise), bind/unbind,
 *    scans with on_config_changed/on_scan_complete;
 *  - vfio_ap: mdevs, assign/unassign, ap_config, the queue objects and
 *    their links, the shadow APCB and its filtering, hot plug/unplug,
 *    resets, attach/detach, device request, queue status;
 *  - KVM: a few guests with or without a crypto block, format 2 (256-bit)
 *    or format 0/1 (IDs 0-63 / 0-15) CRYCB masks.
 *
 * Side effects that tests compare are recorded in struct rm_events: every
 * ZAPQ (APQN and final rc), the warnings the spec prints word for word,
 * APMASK=/AQMASK= uevents.
 */
#ifndef APVIRT_TESTS_COMMON_REFMODEL_H
#define APVIRT_TESTS_COMMON_REFMODEL_H

#include "ap_text.h"

#define RM_IDS		256
/*
 * mdev slots.  bench/engine needs 256 (its largest layout); each slot costs
 * about 3 KiB.  test_differential keeps to a few live mdevs on its own.
 */
#define RM_MAX_MDEVS	256
#define RM_GUESTS	3
#define RM_MAX_RESETS	4096
#define RM_MAX_LOGS	512
#define RM_LOG_LEN	160
#define RM_MAX_UEVENTS	8
#define RM_UEVENT_LEN	96

enum rm_drv { RM_DRV_NONE, RM_DRV_CEX4QUEUE, RM_DRV_VFIO_AP };

/* The machine and the bus at "boot" (before vfio_ap is loaded). */
struct rm_config {
	bool apxa;
	unsigned int na, nd;			/* QCI Na / Nd */
	bool apm[RM_IDS], aqm[RM_IDS], adm[RM_IDS];	/* initial QCI */
	unsigned char type[RM_IDS];		/* 0: no adapter; 10..14 CEX4..8 */
	bool apmask[RM_IDS], aqmask[RM_IDS];
	bool in_use_all_ones;			/* >= 6.19 in_use rule */
	/*
	 * The kernel (docs/kernel-abi.md §0.2): kver 600..700; below 605 no
	 * request callback and no SET_IRQS (EOPNOTSUPP); below 615 the
	 * old sharing text and no config-change IRQ; cfg_bugs: the §4.7
	 * host-configuration bugs of 6.0-7.0.
	 */
	int kver;
	bool cfg_bugs;
	struct {
		bool has_crycb;
		bool fmt2;
	} guest[RM_GUESTS];
};

struct rm_reset {
	unsigned char apid, apqi, rc;
};

/* Side effects since the last rm_events_clear(). */
struct rm_events {
	struct rm_reset reset[RM_MAX_RESETS];
	unsigned int nr_resets;			/* may exceed RM_MAX_RESETS */
	char log[RM_MAX_LOGS][RM_LOG_LEN];	/* "<uuid>: <message>" */
	unsigned int nr_logs;			/* may exceed RM_MAX_LOGS */
	char uevent[RM_MAX_UEVENTS][RM_UEVENT_LEN];	/* "APMASK=0x...\n" */
	unsigned int nr_uevents;
};

struct rm_queue {
	bool exists;			/* queue device XX.YYYY registered */
	unsigned long reg_seq;		/* registration order on the bus */
	enum rm_drv drv;
	int link;			/* slot of the mdev whose qtable holds it, -1 */
	unsigned char reset_rc;		/* of the vfio_ap queue object */
};

struct rm_mdev {
	bool used;
	unsigned long seq;		/* creation order = mdev_list order */
	unsigned char uuid[16];
	char name[APTXT_UUID_LEN + 1];
	unsigned int apm_max, aqm_max, adm_max;
	bool apm[RM_IDS], aqm[RM_IDS], adm[RM_IDS];		/* matrix */
	bool s_apm[RM_IDS], s_aqm[RM_IDS], s_adm[RM_IDS];	/* shadow_apcb */
	unsigned int s_apm_max, s_aqm_max, s_adm_max;
	bool add_apm[RM_IDS], add_aqm[RM_IDS], add_adm[RM_IDS];	/* pending */
	bool open;
	int kvm;			/* attached guest, -1: none */
	bool req_trigger, cfg_trigger;
	unsigned long signals[2];	/* eventfd signals per IRQ index */
};

struct rm_guest {
	bool has_crycb, fmt2;
	int hook;			/* slot of the mdev whose pqap_hook is set */
	bool apm[RM_IDS], aqm[RM_IDS], adm[RM_IDS];	/* CRYCB */
	unsigned long updates;		/* set_masks + clear_masks */
};

struct rm {
	/* hardware */
	bool apxa;
	unsigned int na, nd;
	bool hw_apm[RM_IDS], hw_aqm[RM_IDS], hw_adm[RM_IDS];
	unsigned char hw_type[RM_IDS];
	short inject[RM_IDS][RM_IDS];	/* next ZAPQ rc, -1: none */

	/* AP bus */
	bool qci_apm[RM_IDS], qci_aqm[RM_IDS], qci_adm[RM_IDS];
	bool apmask[RM_IDS], aqmask[RM_IDS];
	bool in_use_all_ones;
	int kver;
	bool cfg_bugs;
	struct rm_queue q[RM_IDS][RM_IDS];
	unsigned long reg_counter;
	unsigned long long scans;

	/* vfio_ap */
	bool info_apm[RM_IDS], info_aqm[RM_IDS], info_adm[RM_IDS];
	struct rm_mdev m[RM_MAX_MDEVS];
	unsigned long mdev_seq;
	unsigned int nr_mdevs;

	/* KVM */
	struct rm_guest g[RM_GUESTS];

	struct rm_events ev;
};

struct rm *rm_create(const struct rm_config *cfg);
void rm_destroy(struct rm *rm);
void rm_events_clear(struct rm *rm);

/* ---- hardware (effective at the next scan) and the bus --------------- */
int rm_hw_set_adapter(struct rm *rm, unsigned int apid, bool configured);
int rm_hw_set_domain(struct rm *rm, unsigned int apqi, bool configured);
int rm_hw_set_control_domain(struct rm *rm, unsigned int id, bool configured);
int rm_hw_set_adapter_type(struct rm *rm, unsigned int apid, unsigned char type);
int rm_hw_inject_reset_rc(struct rm *rm, unsigned int apid, unsigned int apqi,
			  unsigned char rc);
void rm_scan(struct rm *rm);
/* apmask (aq = false) / aqmask (aq = true) */
long rm_mask_store(struct rm *rm, bool aq, const char *buf, size_t count);
int rm_mask_show(struct rm *rm, bool aq, char *buf);
long rm_bind_store(struct rm *rm, enum rm_drv drv, const char *buf, size_t count);
long rm_unbind_store(struct rm *rm, enum rm_drv drv, const char *buf, size_t count);
/* queue "status": -ENOENT unless the queue is bound to vfio_ap */
int rm_queue_status_show(struct rm *rm, unsigned int apid, unsigned int apqi, char *buf);

/* ---- mdevs (slot = index into rm->m) ----------------------------------- */
int rm_mdev_create(struct rm *rm, const char *buf, size_t count);	/* slot */
long rm_mdev_remove_store(struct rm *rm, int slot, const char *buf, size_t count);
int rm_available_instances_show(struct rm *rm, char *buf);
long rm_assign_adapter(struct rm *rm, int slot, const char *buf, size_t count);
long rm_unassign_adapter(struct rm *rm, int slot, const char *buf, size_t count);
long rm_assign_domain(struct rm *rm, int slot, const char *buf, size_t count);
long rm_unassign_domain(struct rm *rm, int slot, const char *buf, size_t count);
long rm_assign_control_domain(struct rm *rm, int slot, const char *buf, size_t count);
long rm_unassign_control_domain(struct rm *rm, int slot, const char *buf, size_t count);
long rm_ap_config_store(struct rm *rm, int slot, const char *buf, size_t count);
int rm_ap_config_show(struct rm *rm, int slot, char *buf);
int rm_matrix_show(struct rm *rm, int slot, char *buf);
int rm_guest_matrix_show(struct rm *rm, int slot, char *buf);
int rm_control_domains_show(struct rm *rm, int slot, char *buf);

/* ---- VFIO device ------------------------------------------------------ */
/* @guest: index into rm->g, or -1 for "no KVM" */
int rm_mdev_open(struct rm *rm, int slot, int guest);
void rm_mdev_close(struct rm *rm, int slot);
void rm_mdev_request(struct rm *rm, int slot, unsigned int count);
int rm_mdev_set_irq(struct rm *rm, int slot, unsigned int index, bool set);
int rm_mdev_reset(struct rm *rm, int slot);

/* ---- queries ---------------------------------------------------------- */
/* Slots of the live mdevs in mdev_list order; returns how many. */
int rm_mdev_order(const struct rm *rm, int out[RM_MAX_MDEVS]);
/* The mdev whose matrix holds the APQN, or -1. */
int rm_apqn_owner(const struct rm *rm, unsigned int apid, unsigned int apqi);

#endif /* APVIRT_TESTS_COMMON_REFMODEL_H */
