// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap_mdev.c - the mdev parent, its type and the VFIO device.
 *
 * The mdev core (6.1 parent API: mdev_register_parent()) owns "create" and
 * "remove", parses UUIDs and counts instances; the engine probes and
 * removes.  The per-mdev attributes come from the engine's table
 * (vap_mdev_attrs[], docs/kernel-abi.md §2.4), one device attribute per
 * row.  The VFIO device's open/close are the guest's attach and detach
 * (§4.8), its ioctls those of §2.6.
 *
 * Lock order: vfio_ap_glue.h.  The engine takes its own locks; nothing
 * here holds one of them when calling it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/eventfd.h>
#include <linux/uaccess.h>

#include "vfio_ap_glue.h"

static const struct vfio_device_ops vap_vfio_ops;

/* Every registered mdev, for lookups by UUID (vap_kdev_call()). */
static LIST_HEAD(vap_kdevs);
static DEFINE_MUTEX(vap_kdevs_lock);

int vap_kdev_call(const guid_t *uuid, int (*fn)(struct vap_kdev *kd, void *arg), void *arg)
{
	struct vap_kdev *kd;
	int ret = -ENOENT;

	mutex_lock(&vap_kdevs_lock);
	list_for_each_entry(kd, &vap_kdevs, node) {
		if (guid_equal(&to_mdev_device(kd->vdev.dev)->uuid, uuid)) {
			ret = fn(kd, arg);
			break;
		}
	}
	mutex_unlock(&vap_kdevs_lock);
	return ret;
}

static struct vap_kdev *vap_kdev_of(struct device *dev)
{
	return dev_get_drvdata(dev);
}

/* ---- per-mdev attributes, from the engine's table -------------------- */

struct vap_dev_attr {
	struct device_attribute attr;
	const struct vap_mdev_attr *row;
};

#define VAP_MAX_ATTRS	16

static struct vap_dev_attr vap_attrs[VAP_MAX_ATTRS];
static struct attribute *vap_attr_ptrs[VAP_MAX_ATTRS + 1];

static const struct vap_mdev_attr *vap_row(struct device_attribute *attr)
{
	return container_of(attr, struct vap_dev_attr, attr)->row;
}

static ssize_t vap_attr_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return vap_row(attr)->show(vap_glue.md, vap_kdev_of(dev)->m, buf);
}

static ssize_t vap_attr_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t count)
{
	return vap_row(attr)->store(vap_glue.md, vap_kdev_of(dev)->m, buf, count);
}

static umode_t vap_attr_visible(struct kobject *kobj, struct attribute *a, int n)
{
	const struct vap_mdev_attr *row = vap_attrs[n].row;

	if (row->is_visible && !row->is_visible(vap_glue.md))
		return 0;
	return a->mode;
}

static const struct attribute_group vap_mdev_group = {
	.attrs = vap_attr_ptrs,
	.is_visible = vap_attr_visible,
};

static const struct attribute_group *vap_mdev_groups[] = {
	&vap_mdev_group,
	NULL,
};

static int vap_attrs_init(void)
{
	unsigned int i;

	if (WARN_ON_ONCE(vap_nr_mdev_attrs > VAP_MAX_ATTRS))
		return -E2BIG;
	for (i = 0; i < vap_nr_mdev_attrs; i++) {
		struct vap_dev_attr *a = &vap_attrs[i];

		a->row = &vap_mdev_attrs[i];
		sysfs_attr_init(&a->attr.attr);
		a->attr.attr.name = a->row->name;
		a->attr.attr.mode = a->row->mode;
		a->attr.show = a->row->show ? vap_attr_show : NULL;
		a->attr.store = a->row->store ? vap_attr_store : NULL;
		vap_attr_ptrs[i] = &a->attr.attr;
	}
	vap_attr_ptrs[i] = NULL;
	return 0;
}

/* ---- mdev probe and remove (§2.3) ------------------------------------ */

/*
 * The mdev core parses the UUID with guid_parse(): a guid_t keeps the first
 * three fields little-endian.  The engine wants the 16 bytes in text order
 * (RFC 4122), as it prints them in dev_name() order.
 */
static void vap_uuid_bytes(const guid_t *g, u8 uuid[16])
{
	static const u8 text_order[16] = { 3, 2, 1, 0, 5, 4, 7, 6,
					   8, 9, 10, 11, 12, 13, 14, 15 };
	unsigned int i;

	for (i = 0; i < 16; i++)
		uuid[i] = g->b[text_order[i]];
}

static int vap_mdev_dev_probe(struct mdev_device *mdev)
{
	struct vap_kdev *kd;
	u8 uuid[16];
	int ret;

	kd = vfio_alloc_device(vap_kdev, vdev, &mdev->dev, &vap_vfio_ops);
	if (IS_ERR(kd))
		return PTR_ERR(kd);
	mutex_init(&kd->irq_lock);
	init_waitqueue_head(&kd->closed);
	vap_uuid_bytes(&mdev->uuid, uuid);
	ret = vap_mdev_probe(vap_glue.md, uuid, &kd->m);
	if (ret)
		goto err_put;
	kd->m->host = kd;
	vap_arch_kdev_init(kd);
	dev_set_drvdata(&mdev->dev, kd);
	ret = vfio_register_emulated_iommu_dev(&kd->vdev);
	if (ret)
		goto err_remove;
	mutex_lock(&vap_kdevs_lock);
	list_add(&kd->node, &vap_kdevs);
	mutex_unlock(&vap_kdevs_lock);
	return 0;

err_remove:
	vap_mdev_remove(vap_glue.md, kd->m);
err_put:
	vfio_put_device(&kd->vdev);
	return ret;
}

char vap_arch_trigger;

static void vap_put_trigger(void *trigger)
{
	if (trigger && trigger != &vap_arch_trigger)
		eventfd_ctx_put(trigger);
}

#define VAP_REQUEST_INTERVAL	(10 * HZ)	/* as the vfio core's */

/*
 * Leave vap_kdevs once no guest holds the device: a guest attached without
 * the VFIO file (kernel/ap_sim on x86) gets a device request every 10 s
 * until it detaches, as vfio_unregister_group_dev() does for a VFIO open.
 */
static void vap_wait_detached(struct vap_kdev *kd)
{
	unsigned int count = 0;

	for (;;) {
		mutex_lock(&vap_kdevs_lock);
		if (!READ_ONCE(kd->m->open)) {
			list_del(&kd->node);
			mutex_unlock(&vap_kdevs_lock);
			return;
		}
		mutex_unlock(&vap_kdevs_lock);
		vap_mdev_request(vap_glue.md, kd->m, count++);
		wait_event_timeout(kd->closed, !READ_ONCE(kd->m->open), VAP_REQUEST_INTERVAL);
	}
}

/*
 * vfio_unregister_group_dev() sends requests until userspace closes the
 * device (§4.8); then the engine resets and unlinks the mdev's queues.
 */
static void vap_mdev_dev_remove(struct mdev_device *mdev)
{
	struct vap_kdev *kd = dev_get_drvdata(&mdev->dev);

	mutex_lock(&vap_kdevs_lock);
	kd->removing = true;
	mutex_unlock(&vap_kdevs_lock);
	vfio_unregister_group_dev(&kd->vdev);
	vap_wait_detached(kd);
	WARN_ON_ONCE(vap_mdev_remove(vap_glue.md, kd->m));
	vap_put_trigger(kd->req_trigger);
	vap_put_trigger(kd->cfg_trigger);
	vfio_put_device(&kd->vdev);
}

static struct mdev_driver vap_mdev_driver = {
	.device_api = VFIO_DEVICE_API_AP_STRING,
	.max_instances = VAP_MAX_INSTANCES,
	.driver = {
		.name = "vfio_ap_mdev",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = vap_mdev_groups,
	},
	.probe = vap_mdev_dev_probe,
	.remove = vap_mdev_dev_remove,
};

static struct mdev_type vap_passthrough_type = {
	.sysfs_name = "passthrough",
	.pretty_name = "VFIO AP Passthrough Device",
};

static struct mdev_type *vap_mdev_types[] = {
	&vap_passthrough_type,
};

int vap_mdev_register(struct vap_glue *g)
{
	int ret = vap_attrs_init();

	if (ret)
		return ret;
	ret = mdev_register_driver(&vap_mdev_driver);
	if (ret)
		return ret;
	ret = mdev_register_parent(&g->parent, &g->matrix, &vap_mdev_driver, vap_mdev_types,
				   ARRAY_SIZE(vap_mdev_types));
	if (ret)
		mdev_unregister_driver(&vap_mdev_driver);
	return ret;
}

void vap_mdev_unregister(struct vap_glue *g)
{
	mdev_unregister_parent(&g->parent);
	mdev_unregister_driver(&vap_mdev_driver);
}

/* ---- attach and detach (§4.8) ---------------------------------------- */

/* The guest @kvm opens the device: 0 or the engine's -errno. */
int vap_kdev_attach(struct vap_kdev *kd, struct ap_kvm *kvm)
{
	int ret;

	if (!kvm)
		return -EINVAL;
	ret = vap_mdev_open(vap_glue.md, kd->m, kvm);
	if (ret) {
		vap_arch_kvm_put(kd, kvm);
		return ret;
	}
	kd->kvm = kvm;
	return 0;
}

/* Detach whatever guest holds the device open (no-op when closed). */
void vap_kdev_detach(struct vap_kdev *kd)
{
	struct ap_kvm *kvm = kd->kvm;

	if (!kd->m->open)
		return;
	vap_mdev_close(vap_glue.md, kd->m);
	kd->kvm = NULL;
	if (kvm)
		vap_arch_kvm_put(kd, kvm);
	wake_up(&kd->closed);
}

static struct vap_kdev *vap_kdev_of_vdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct vap_kdev, vdev);
}

static int vap_open_device(struct vfio_device *vdev)
{
	struct vap_kdev *kd = vap_kdev_of_vdev(vdev);

	return vap_kdev_attach(kd, vap_arch_kvm_get(kd));
}

static void vap_close_device(struct vfio_device *vdev)
{
	vap_kdev_detach(vap_kdev_of_vdev(vdev));
}

static void vap_request(struct vfio_device *vdev, unsigned int count)
{
	vap_mdev_request(vap_glue.md, vap_kdev_of_vdev(vdev)->m, count);
}

static void vap_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length)
{
	vap_arch_dma_unmap(vap_kdev_of_vdev(vdev), iova, length);
}

/* Mandatory in 6.1: the vfio core frees the device through it. */
static void vap_release(struct vfio_device *vdev)
{
	vfio_free_device(vdev);
}

/* ---- ioctls (§2.6) ---------------------------------------------------- */

static long vap_ioctl_get_info(unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_AP | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = 0;
	info.num_irqs = vap_mdev_num_irqs(vap_glue.md);
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static long vap_ioctl_get_irq_info(unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;
	int ret;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	ret = vap_mdev_get_irq_info(vap_glue.md, info.index, &info.count, &info.flags);
	if (ret)
		return ret;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

/* The eventfd of SET_IRQS: fd -1 clears (NULL), fd >= 0 sets, else EINVAL. */
static void *vap_irq_trigger(unsigned long arg, unsigned long minsz, int *err)
{
	struct eventfd_ctx *ctx;
	s32 fd;

	*err = 0;
	if (get_user(fd, (s32 __user *)(arg + minsz))) {
		*err = -EFAULT;
		return NULL;
	}
	if (fd == -1)
		return NULL;
	if (fd < 0) {
		*err = -EINVAL;
		return NULL;
	}
	ctx = eventfd_ctx_fdget(fd);
	if (IS_ERR(ctx)) {
		*err = PTR_ERR(ctx);
		return NULL;
	}
	return ctx;
}

static void **vap_trigger_slot(struct vap_kdev *kd, unsigned int index)
{
	return index == VAP_REQ_IRQ_INDEX ? &kd->req_trigger : &kd->cfg_trigger;
}

/*
 * The engine stores the trigger; the glue holds the eventfd reference:
 * the old one is put once the engine has let go of it (set_irq returned,
 * mdevs_lock released), so a signal never races with the put.  On error
 * the caller still owns @trigger.
 */
int vap_kdev_set_trigger(struct vap_kdev *kd, unsigned int index, void *trigger)
{
	void **slot;
	int ret;

	mutex_lock(&kd->irq_lock);
	ret = vap_mdev_set_irq(vap_glue.md, kd->m, index, trigger);
	if (!ret) {
		slot = vap_trigger_slot(kd, index);
		vap_put_trigger(*slot);
		*slot = trigger;
	}
	mutex_unlock(&kd->irq_lock);
	return ret;
}

static long vap_ioctl_set_irqs(struct vap_kdev *kd, unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	u32 want = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	struct vfio_irq_set hdr;
	void *trigger;
	int ret;

	if (!vap_mdev_num_irqs(vap_glue.md))
		return -EOPNOTSUPP;	/* before 6.5: the default case */
	if (copy_from_user(&hdr, (void __user *)arg, minsz))
		return -EFAULT;
	if (hdr.argsz < minsz + sizeof(s32) || hdr.flags != want ||
	    hdr.index >= vap_mdev_num_irqs(vap_glue.md))
		return -EINVAL;
	trigger = vap_irq_trigger(arg, minsz, &ret);
	if (ret)
		return ret;
	ret = vap_kdev_set_trigger(kd, hdr.index, trigger);
	if (ret)
		vap_put_trigger(trigger);
	return ret;
}

static long vap_ioctl(struct vfio_device *vdev, unsigned int cmd, unsigned long arg)
{
	struct vap_kdev *kd = vap_kdev_of_vdev(vdev);

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return vap_ioctl_get_info(arg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return vap_ioctl_get_irq_info(arg);
	case VFIO_DEVICE_SET_IRQS:
		return vap_ioctl_set_irqs(kd, arg);
	case VFIO_DEVICE_RESET:
		return vap_mdev_reset(vap_glue.md, kd->m);
	default:
		return -EOPNOTSUPP;
	}
}

static const struct vfio_device_ops vap_vfio_ops = {
	.name = "vfio-ap-mdev",
	.release = vap_release,
	.open_device = vap_open_device,
	.close_device = vap_close_device,
	.ioctl = vap_ioctl,
	.request = vap_request,
	.dma_unmap = vap_dma_unmap,
};
