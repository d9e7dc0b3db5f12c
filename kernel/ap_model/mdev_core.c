// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_core.c - what drivers/vfio/mdev does around a parent driver
 * (docs/kernel-abi.md §2.3): parse the UUID written to "create", refuse a
 * duplicate (-EEXIST) and a full type (-EUSERS), probe the parent, count
 * instances; parse "remove" and remove through the parent.
 */
#include "mdev_core.h"
#include "lock_ranks.h"

void mdevc_init(struct mdevc *c, unsigned int max_instances, const struct mdev_parent_ops *ops,
		void *parent)
{
	memset(c, 0, sizeof(*c));
	c->tail = &c->list;
	apc_mutex_init(&c->lock, APC_RANK_MDEV_CORE);
	c->max_instances = max_instances;
	c->ops = ops;
	c->parent = parent;
}

void mdevc_destroy(struct mdevc *c)
{
	WARN_ON_ONCE(c->list);
	apc_mutex_destroy(&c->lock);
}

int mdevc_available_instances_show(struct mdevc *c, char *buf)
{
	unsigned int n;

	apc_mutex_lock(&c->lock);
	n = c->max_instances - c->nr;
	apc_mutex_unlock(&c->lock);
	return snprintf(buf, APC_PAGE_SIZE, "%u\n", n);
}

static struct mdevc_dev **mdevc_bucket(struct mdevc *c, const u8 uuid[16])
{
	unsigned int h = 0, i;

	for (i = 0; i < 16; i++)
		h = h * 31 + uuid[i];
	return &c->hash[h & ((1U << MDEVC_HASH_BITS) - 1)];
}

static struct mdevc_dev *mdevc_find_locked(struct mdevc *c, const u8 uuid[16])
{
	struct mdevc_dev *d;

	for (d = *mdevc_bucket(c, uuid); d; d = d->hnext)
		if (!memcmp(d->uuid, uuid, 16))
			return d;
	return NULL;
}

struct mdevc_dev *mdevc_find(struct mdevc *c, const u8 uuid[16])
{
	struct mdevc_dev *d;

	apc_mutex_lock(&c->lock);
	d = mdevc_find_locked(c, uuid);
	apc_mutex_unlock(&c->lock);
	return d;
}

struct mdevc_dev *mdevc_find_drvdata(struct mdevc *c, const void *drvdata)
{
	struct mdevc_dev *d;

	apc_mutex_lock(&c->lock);
	for (d = c->list; d && d->drvdata != drvdata; d = d->next)
		;
	apc_mutex_unlock(&c->lock);
	return d;
}

static void mdevc_append(struct mdevc *c, struct mdevc_dev *dev)
{
	struct mdevc_dev **bucket = mdevc_bucket(c, dev->uuid);

	*c->tail = dev;
	c->tail = &dev->next;
	dev->hnext = *bucket;
	*bucket = dev;
	c->nr++;
}

/* Duplicate, then room: the order of mdev_device_create(). */
static int mdevc_add_locked(struct mdevc *c, struct mdevc_dev *dev)
{
	if (mdevc_find_locked(c, dev->uuid))
		return -EEXIST;
	if (c->nr >= c->max_instances)
		return -EUSERS;
	return c->ops->probe(c->parent, dev->uuid, &dev->drvdata);
}

int mdevc_create(struct mdevc *c, const char *buf, size_t count, struct mdevc_dev **out)
{
	struct mdevc_dev *dev;
	u8 uuid[16];
	int rc = aptxt_parse_create_uuid(buf, count, uuid);

	if (rc)
		return rc;
	dev = apc_zalloc(sizeof(*dev));	/* before any state changes */
	if (!dev)
		return -ENOMEM;
	memcpy(dev->uuid, uuid, 16);
	aptxt_format_uuid(uuid, dev->name);
	apc_mutex_lock(&c->lock);
	rc = mdevc_add_locked(c, dev);
	if (!rc)
		mdevc_append(c, dev);
	apc_mutex_unlock(&c->lock);
	if (rc) {
		apc_free(dev);
		return rc;
	}
	if (out)
		*out = dev;
	return 0;
}

int mdevc_parse_remove(const char *buf, size_t count, bool *remove)
{
	u64 val;

	if (aptxt_kstrtoul(buf, count, &val))
		return -EINVAL;
	*remove = val != 0;
	return 0;
}

static void mdevc_unlink_locked(struct mdevc *c, struct mdevc_dev *dev)
{
	struct mdevc_dev **pp;

	for (pp = mdevc_bucket(c, dev->uuid); *pp; pp = &(*pp)->hnext) {
		if (*pp == dev) {
			*pp = dev->hnext;
			break;
		}
	}
	for (pp = &c->list; *pp; pp = &(*pp)->next) {
		if (*pp == dev) {
			*pp = dev->next;
			if (c->tail == &dev->next)
				c->tail = pp;
			c->nr--;
			return;
		}
	}
}

int mdevc_remove(struct mdevc *c, struct mdevc_dev *dev)
{
	int rc;

	apc_mutex_lock(&c->lock);
	rc = c->ops->remove(c->parent, dev->drvdata);
	if (!rc)
		mdevc_unlink_locked(c, dev);
	apc_mutex_unlock(&c->lock);
	if (!rc)
		apc_free(dev);
	return rc;
}

long mdevc_remove_store(struct mdevc *c, struct mdevc_dev *dev, const char *buf, size_t count)
{
	bool remove;
	int rc = mdevc_parse_remove(buf, count, &remove);

	if (rc)
		return rc;
	if (remove)
		rc = mdevc_remove(c, dev);
	return rc ? rc : (long)count;
}
