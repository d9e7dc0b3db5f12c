// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap_attrs.c - the per-mdev attribute group (docs/kernel-abi.md §2.4).
 *
 * One row per file of devices/vfio_ap/matrix/<uuid>/ that vfio_ap owns, as
 * upstream's vfio_ap_mdev_attrs[].  "remove", "mdev_type" and the links
 * belong to the mdev core and the driver core, not to this table.
 */
#include "vfio_ap_core.h"

/* ap_config came with 6.10. */
static bool vap_has_ap_config(const struct vap_matrix_dev *md)
{
	return ap_profile_has(md->profile, AP_FEAT_AP_CONFIG);
}

const struct vap_mdev_attr vap_mdev_attrs[] = {
	{ "ap_config", 0644, vap_ap_config_show, vap_ap_config_store, vap_has_ap_config },
	{ "assign_adapter", 0200, NULL, vap_assign_adapter_store, NULL },
	{ "assign_control_domain", 0200, NULL, vap_assign_control_domain_store, NULL },
	{ "assign_domain", 0200, NULL, vap_assign_domain_store, NULL },
	{ "control_domains", 0444, vap_control_domains_show, NULL, NULL },
	{ "guest_matrix", 0444, vap_guest_matrix_show, NULL, NULL },
	{ "matrix", 0444, vap_matrix_show, NULL, NULL },
	{ "unassign_adapter", 0200, NULL, vap_unassign_adapter_store, NULL },
	{ "unassign_control_domain", 0200, NULL, vap_unassign_control_domain_store, NULL },
	{ "unassign_domain", 0200, NULL, vap_unassign_domain_store, NULL },
};

const unsigned int vap_nr_mdev_attrs = ARRAY_SIZE(vap_mdev_attrs);

const struct vap_mdev_attr *vap_mdev_attr_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < vap_nr_mdev_attrs; i++)
		if (!strcmp(vap_mdev_attrs[i].name, name))
			return &vap_mdev_attrs[i];
	return NULL;
}
