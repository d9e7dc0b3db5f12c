// SPDX-License-Identifier: GPL-2.0
/*
 * ap_profile.c - the kernel profiles and the release each feature came in.
 */
#include "ap_profile.h"

const struct ap_profile ap_profiles[] = {
	{ "6.0", AP_KVER(6, 0), false, "Linux 6.0: dynamic configuration, no ap_config" },
	{ "6.10", AP_KVER(6, 10), false, "Linux 6.10: ap_config" },
	{ "6.12", AP_KVER(6, 12), false, "Linux 6.12: matrix device features" },
	{ "6.15", AP_KVER(6, 15), false, "Linux 6.15: config-change eventfd" },
	{ "6.19", AP_KVER(6, 19), false, "Linux 6.19: driver_override, in_use against all ones" },
	{ "7.0", AP_KVER(7, 0), false, "Linux 7.0: newest upstream" },
	{ "fixed", AP_KVER(7, 0), true, "apvirt's own: Linux 7.0 with the host-config fixes" },
};

const unsigned int ap_nr_profiles = ARRAY_SIZE(ap_profiles);

/* The release each feature appeared in (docs/kernel-abi.md §0.2, §6). */
static const unsigned int ap_feature_since[AP_FEAT_COUNT] = {
	[AP_FEAT_QUEUE_NUDGE] = AP_KVER(6, 7),
	[AP_FEAT_RESET_VERIFY] = AP_KVER(6, 8),
	[AP_FEAT_BINDINGS_REARM] = AP_KVER(6, 10),
	[AP_FEAT_AP_CONFIG] = AP_KVER(6, 10),
	[AP_FEAT_MATRIX_FEATURES] = AP_KVER(6, 12),
	[AP_FEAT_CFG_CHG_IRQ] = AP_KVER(6, 15),
	[AP_FEAT_NEW_SHARING_TEXT] = AP_KVER(6, 15),
	[AP_FEAT_IN_USE_ALL_ONES] = AP_KVER(6, 19),
	[AP_FEAT_DRIVER_OVERRIDE] = AP_KVER(6, 19),
	[AP_FEAT_BINDINGS_COUNT] = AP_KVER(6, 19),
	[AP_FEAT_ONLINE_CHKSTOP] = AP_KVER(6, 10),
	/* the exact release is not known; the newest read tree has them */
	[AP_FEAT_CCA_ASYM_MKVP] = AP_KVER(6, 16),
	[AP_FEAT_REQ_IRQ] = AP_KVER(6, 5),
	[AP_FEAT_BUS_FEATURES] = AP_KVER(6, 4),
	[AP_FEAT_QUEUE_AP_FUNCTIONS] = AP_KVER(6, 4),
	/* not pinned: after 6.1, by 6.12; the first profile that has it */
	[AP_FEAT_POLL_TIMEOUT_KSTRTOUL] = AP_KVER(6, 10),
};

const struct ap_profile *ap_profile_find(const char *name)
{
	unsigned int i;

	for (i = 0; name && i < ap_nr_profiles; i++)
		if (!strcmp(ap_profiles[i].name, name))
			return &ap_profiles[i];
	return NULL;
}

const struct ap_profile *ap_profile_default(void)
{
	return ap_profile_find("7.0");
}

const char *ap_profile_names(void)
{
	return "6.0 6.10 6.12 6.15 6.19 7.0 fixed";
}

bool ap_profile_has(const struct ap_profile *p, enum ap_feature f)
{
	return p->kver >= ap_feature_since[f];
}

/*
 * Every enum ap_bug entry came with 6.0 and is in every upstream profile:
 * the fixes reached mainline after 7.0 (stable 6.12.110, autumn 2026).
 */
bool ap_profile_bug(const struct ap_profile *p, enum ap_bug b)
{
	(void)b;
	return !p->fixed;
}
