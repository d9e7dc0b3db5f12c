/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_tree.h - the sysfs tree apsim serves (sim_tree.c): path -> node,
 * directory listings, and the show/store of file nodes.
 */
#ifndef APVIRT_SIM_SIM_TREE_H
#define APVIRT_SIM_SIM_TREE_H

#include "vfio_ap_core.h"
#include "ap_bus_model.h"

struct sim;

enum sim_ntype { SIM_NDIR, SIM_NFILE, SIM_NLINK };

enum sim_file {
	SF_BUS_ATTR, SF_CARD_ATTR, SF_QUEUE_ATTR, SF_BIND, SF_UNBIND,
	SF_FEATURES, SF_TYPE_NAME, SF_TYPE_API, SF_TYPE_AVAIL, SF_TYPE_CREATE,
	SF_MDEV_ATTR, SF_MDEV_REMOVE, SF_MDEV_UEVENT, SF_IOMMU_NAME, SF_IOMMU_RESV, SF_CTL,
	SF_ZCRYPT_ATTR, SF_ZCDN_ATTR,
};

struct sim_node {
	enum sim_ntype type;
	int kind;			/* directory class or enum sim_file */
	unsigned int mode;		/* permission bits */
	unsigned int apid, apqi;
	unsigned int group;		/* IOMMU group number */
	enum apb_drv drv;
	u8 uuid[16];			/* mdev identity */
	u64 serial;
	const struct vap_mdev_attr *mattr;	/* SF_MDEV_ATTR: the engine's row */
	const struct apb_attr *battr;		/* SF_{BUS,CARD,QUEUE}_ATTR: the model's */
	char target[128];		/* symlink target */
};

typedef int (*sim_fill_t)(void *ctx, const char *name);

int sim_resolve(struct sim *s, const char *path, struct sim_node *out);
int sim_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill, void *ctx);
/* The entry @name of directory @dir (readdir's types come from it). */
int sim_lookup(struct sim *s, const struct sim_node *dir, const char *name, struct sim_node *out);

/* show/store of a file node: chars or count, or -errno. */
int sim_node_show(struct sim *s, const struct sim_node *n, char *page);
long sim_node_store(struct sim *s, const struct sim_node *n, const char *buf, size_t count);

#endif /* APVIRT_SIM_SIM_TREE_H */
