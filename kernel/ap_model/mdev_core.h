/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdev_core.h - the mdev core's part of an mdev parent, for hosts without
 * drivers/vfio/mdev: the type's "create" and "available_instances", each
 * device's "remove", the UUID registry and the instance count.
 * kernel/common/mdev_if.h is the seam to the parent driver.
 */
#ifndef APVIRT_AP_MODEL_MDEV_CORE_H
#define APVIRT_AP_MODEL_MDEV_CORE_H

#include "mdev_if.h"
#include "ap_text.h"

struct mdevc_dev {
	struct mdevc_dev *next;		/* creation order */
	struct mdevc_dev *hnext;	/* same UUID hash bucket */
	u8 uuid[16];
	char name[APTXT_UUID_LEN + 1];	/* dev_name(): lowercase UUID */
	void *drvdata;			/* the parent driver's object */
};

#define MDEVC_HASH_BITS	10

/*
 * The kernel keeps one list and walks it for a duplicate UUID.  The model
 * adds a tail pointer and UUID hash buckets, same answers, so that a test
 * can fill a type of 65536 instances without 2^31 list steps.
 */
struct mdevc {
	struct apc_mutex lock;		/* mdev_list_lock (APC_RANK_MDEV_CORE) */
	const struct mdev_parent_ops *ops;
	void *parent;
	unsigned int max_instances, nr;
	struct mdevc_dev *list;
	struct mdevc_dev **tail;	/* &next of the last device, or &list */
	struct mdevc_dev *hash[1 << MDEVC_HASH_BITS];
};

void mdevc_init(struct mdevc *c, unsigned int max_instances, const struct mdev_parent_ops *ops,
		void *parent);
/* Every device must have been removed. */
void mdevc_destroy(struct mdevc *c);

/* available_instances: "%u\n". */
int mdevc_available_instances_show(struct mdevc *c, char *buf);
/*
 * create: 0 and *out, or -EINVAL (length not 36/37, bad UUID), -EEXIST
 * (UUID in use), -EUSERS (no instances left), or the probe's -errno.
 */
int mdevc_create(struct mdevc *c, const char *buf, size_t count, struct mdevc_dev **out);
/* The device named @uuid, or NULL. */
struct mdevc_dev *mdevc_find(struct mdevc *c, const u8 uuid[16]);
/* The device whose driver object is @drvdata, or NULL. */
struct mdevc_dev *mdevc_find_drvdata(struct mdevc *c, const void *drvdata);
/* "remove" text: 0 and *remove (any non-zero number), or -EINVAL. */
int mdevc_parse_remove(const char *buf, size_t count, bool *remove);
/* Remove @dev through the parent: 0, or its -errno (-EBUSY: still open). */
int mdevc_remove(struct mdevc *c, struct mdevc_dev *dev);
/*
 * The whole "remove" store for a host that cannot wait for a close:
 * count, -EINVAL, or -EBUSY while the vfio device is open.
 */
long mdevc_remove_store(struct mdevc *c, struct mdevc_dev *dev, const char *buf, size_t count);

#endif /* APVIRT_AP_MODEL_MDEV_CORE_H */
