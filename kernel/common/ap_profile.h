/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ap_profile.h - which Linux kernel the engine and the models behave like.
 *
 * A profile names an upstream release and says what exists there (a kernel
 * without an attribute has no file, not an error file) and how it behaves,
 * bugs included: each upstream profile is bug-compatible with its release.
 * The host-configuration bugs of docs/kernel-abi.md §4.7 are in every
 * upstream release these profiles follow, 7.0 included: their fixes reached
 * mainline after 7.0 and the stable trees from 6.12.110 on.  "fixed" is
 * apvirt's own profile (what its module runs): 7.0 with those bugs
 * corrected, the place for any correction apvirt makes beyond upstream
 * (docs/kernel-abi.md §0.3 lists them).  docs/kernel-abi.md §0.2 is the
 * history each boundary comes from.
 */
#ifndef APVIRT_COMMON_AP_PROFILE_H
#define APVIRT_COMMON_AP_PROFILE_H

#include "compat.h"

#define AP_KVER(major, minor)	((major) * 100 + (minor))

/* What a kernel has or does; each has one release it appeared in. */
enum ap_feature {
	/* 6.7: a scan "nudges" a new queue device into the operating state */
	AP_FEAT_QUEUE_NUDGE,
	/* 6.8: ZAPQ rc 01 is an invalid rc; the reset is verified by TAPQ */
	AP_FEAT_RESET_VERIFY,
	/* 6.10: BINDINGS=complete re-armed by probes and new IDs, sent by scans */
	AP_FEAT_BINDINGS_REARM,
	/*
	 * 6.10: the mdev's ap_config attribute.  6.10 also ignores duplicate
	 * link requests; that is not observable, so every profile does.
	 */
	AP_FEAT_AP_CONFIG,
	/* 6.12: the matrix device's "features" attribute */
	AP_FEAT_MATRIX_FEATURES,
	/* 6.15: VFIO_AP_CFG_CHG_IRQ_INDEX */
	AP_FEAT_CFG_CHG_IRQ,
	/* 6.15: the sharing and in-use warnings name the right mdev and queue */
	AP_FEAT_NEW_SHARING_TEXT,
	/* 6.19: in_use() gets all ones for the other dimension */
	AP_FEAT_IN_USE_ALL_ONES,
	/* 6.19: the queue attribute driver_override */
	AP_FEAT_DRIVER_OVERRIDE,
	/* 6.19: the bus attribute bindings_complete_count */
	AP_FEAT_BINDINGS_COUNT,
	/*
	 * zcrypt's card and queue "online" count a checkstop as offline: the
	 * 6.12 source has it, the 6.1 source not (release not pinned; the
	 * checkstop handling of ~6.9 makes 6.10 the first profile with it)
	 */
	AP_FEAT_ONLINE_CHKSTOP,
	/* ~6.16 (first profile 6.19): CCA mkvps has the ASYM lines */
	AP_FEAT_CCA_ASYM_MKVP,
	/*
	 * 6.5 (first profile 6.10): VFIO_AP_REQ_IRQ_INDEX, VFIO_DEVICE_GET_IRQ_INFO
	 * and SET_IRQS, and the .request callback ("s390/vfio-ap: wire in the
	 * vfio_device_ops request callback", pull s390-6.5-1).  Before it
	 * GET_INFO says num_irqs 0, the IRQ ioctls fail with EOPNOTSUPP and a
	 * removal just waits for the close.
	 */
	AP_FEAT_REQ_IRQ,
	/*
	 * 6.4 (first profile 6.10): the bus attribute "features" ("s390/ap:
	 * introduce new AP bus sysfs attribute features", pull s390-6.4-1)
	 */
	AP_FEAT_BUS_FEATURES,
	/*
	 * 6.4 (first profile 6.10): the queue attribute ap_functions ("s390/ap:
	 * filter ap card functions, new queue functions attribute", same
	 * pull); the card's ap_functions is older (the 6.1 source has it)
	 */
	AP_FEAT_QUEUE_AP_FUNCTIONS,
	/*
	 * poll_timeout is stored with kstrtoul() (0 allowed, ERANGE on
	 * overflow); before, sscanf("%llu\n") with range 1..120000000000 and
	 * no range error.  The 6.1 source has sscanf, the 6.12 source kstrtoul
	 * (release not pinned; probably 6.4's "s390/ap: introduce low
	 * frequency polling possibility", unverified; first profile 6.10)
	 */
	AP_FEAT_POLL_TIMEOUT_KSTRTOUL,
	AP_FEAT_COUNT
};

/*
 * Upstream bugs of vfio_ap's host configuration handling (§4.7), in every
 * release from 6.0 to 7.0; fixed after 7.0 and in stable 6.12.110
 * (docs/upstream/README.md: which distribution kernels have the fixes).
 * Only the "fixed" profile corrects them.
 */
enum ap_bug {
	/* vfio_ap_mdev_cfg_remove(): removed control domains AND-NOT the matrix */
	AP_BUG_CFG_REMOVE_CDOM_ANDNOT,
	/* vfio_ap_mdev_hot_unplug_cfg(): "changed" taken as "still non-empty" */
	AP_BUG_HOT_UNPLUG_CFG_NONEMPTY,
	/*
	 * cfg_remove()/hot_plug_cfg() lock the kvm of every mdev they visit,
	 * attached or not: a NULL dereference.  Not modelled: the engine goes
	 * on as "fixed" does and logs that the kernel would oops.
	 */
	AP_BUG_CFG_NULL_KVM,
	AP_BUG_COUNT
};

struct ap_profile {
	const char *name;	/* "6.0" ... "7.0", "fixed" */
	unsigned int kver;	/* AP_KVER() of the release it follows */
	bool fixed;		/* the enum ap_bug entries are corrected */
	const char *what;	/* one line for --version and ctl status */
};

/* Every profile, oldest first; the last upstream one is the default. */
extern const struct ap_profile ap_profiles[];
extern const unsigned int ap_nr_profiles;

/* By name ("6.0", "6.10", ..., "7.0", "fixed"); NULL if unknown. */
const struct ap_profile *ap_profile_find(const char *name);
/* The newest upstream release. */
const struct ap_profile *ap_profile_default(void);
/* The profile names, space separated, for messages: "6.0 6.10 ... fixed". */
const char *ap_profile_names(void);

bool ap_profile_has(const struct ap_profile *p, enum ap_feature f);
bool ap_profile_bug(const struct ap_profile *p, enum ap_bug b);

#endif /* APVIRT_COMMON_AP_PROFILE_H */
