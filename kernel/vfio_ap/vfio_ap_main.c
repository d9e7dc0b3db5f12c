// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap_main.c - apvirt's vfio_ap: module life cycle and matrix device.
 *
 * The sysfs layout is upstream's (docs/kernel-abi.md §2.1): a root device
 * "vfio_ap", under it the device "matrix" on bus "matrix", bound to the
 * driver "vfio_ap", which is the mdev parent.  The behaviour is the
 * engine's (kernel/core) with the "fixed" profile: upstream's newest
 * release with its host-configuration bugs corrected (§0.3).
 *
 * Lock order: vfio_ap_glue.h.
 */
/* no pr_fmt: the reset warnings have no prefix, as upstream's */
#include <linux/module.h>
#include <linux/eventfd.h>
#include <linux/slab.h>

#include "vfio_ap_glue.h"

struct vap_glue vap_glue;

/* ---- the engine's environment -------------------------------------- */

static void vap_env_signal(void *env, struct vap_mdev *m, int irq_index, void *trigger)
{
	if (trigger == &vap_arch_trigger)
		vap_arch_signal(m->host, irq_index);
	else
		eventfd_signal(trigger, 1);
}

/*
 * Lines about an mdev are dev_*() on the mdev ("vfio_ap_mdev <uuid>: ...").
 * The only lines without one are the reset warnings of §4.9.  Upstream
 * prints them as full WARN splats without a prefix; apvirt prints the same
 * text with pr_warn() and no prefix: an AP firmware code is the machine's
 * state, not a kernel bug, and must not taint the kernel or panic one
 * booted with panic_on_warn.
 */
static void vap_env_log(void *env, enum vap_log_level level, const struct vap_mdev *m,
			const char *msg)
{
	struct vap_kdev *kd = m ? m->host : NULL;
	char *line;

	line = m ? kasprintf(GFP_KERNEL, "vfio_ap_mdev %s: %s", m->name, msg) : NULL;
	vap_arch_log(line ? line : msg);
	kfree(line);
	if (!kd) {
		pr_warn("%s\n", msg);
		return;
	}
	switch (level) {
	case VAP_LOG_WARN:
		dev_warn(kd->vdev.dev, "%s\n", msg);
		break;
	case VAP_LOG_NOTICE:
		dev_notice(kd->vdev.dev, "%s\n", msg);
		break;
	default:
		dev_info(kd->vdev.dev, "%s\n", msg);
		break;
	}
}

static const struct vap_env_ops vap_env_ops = {
	.signal = vap_env_signal,
	.log = vap_env_log,
};

/* ---- the matrix device: bus "matrix", driver "vfio_ap" ------------- */

static struct bus_type vap_matrix_bus = {
	.name = "matrix",
};

static ssize_t features_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return vap_features_show(vap_glue.md, buf);
}
static DEVICE_ATTR_RO(features);

static struct attribute *vap_matrix_attrs[] = {
	&dev_attr_features.attr,
	NULL,
};

/* "features" came with 6.12; the engine's profile decides. */
static umode_t vap_matrix_attr_visible(struct kobject *kobj, struct attribute *attr, int n)
{
	return vap_features_visible(vap_glue.md) ? attr->mode : 0;
}

static const struct attribute_group vap_matrix_group = {
	.attrs = vap_matrix_attrs,
	.is_visible = vap_matrix_attr_visible,
};

static const struct attribute_group *vap_matrix_groups[] = {
	&vap_matrix_group,
	NULL,
};

/* Binding the matrix device makes it the mdev parent: vfio_ap-passthrough. */
static int vap_matrix_probe(struct device *dev)
{
	return vap_mdev_register(&vap_glue);
}

/* int in 6.1's struct device_driver; nothing to report */
static int vap_matrix_remove(struct device *dev)
{
	vap_mdev_unregister(&vap_glue);
	return 0;
}

static struct device_driver vap_matrix_driver = {
	.name = VAP_DRV_NAME,
	.bus = &vap_matrix_bus,
	.owner = THIS_MODULE,
	.probe = vap_matrix_probe,
	.remove = vap_matrix_remove,
	.dev_groups = vap_matrix_groups,
};

static void vap_matrix_release(struct device *dev)
{
	/* static: nothing to free */
}

static int vap_matrix_dev_register(struct vap_glue *g)
{
	int ret;

	g->root = root_device_register(VAP_DRV_NAME);
	if (IS_ERR(g->root))
		return PTR_ERR(g->root);
	ret = bus_register(&vap_matrix_bus);
	if (ret)
		goto err_root;
	ret = driver_register(&vap_matrix_driver);
	if (ret)
		goto err_bus;
	g->matrix.parent = g->root;
	g->matrix.bus = &vap_matrix_bus;
	g->matrix.release = vap_matrix_release;
	dev_set_name(&g->matrix, "%s", "matrix");
	ret = device_register(&g->matrix);
	if (ret) {
		put_device(&g->matrix);
		goto err_drv;
	}
	return 0;

err_drv:
	driver_unregister(&vap_matrix_driver);
err_bus:
	bus_unregister(&vap_matrix_bus);
err_root:
	root_device_unregister(g->root);
	return ret;
}

static void vap_matrix_dev_unregister(struct vap_glue *g)
{
	device_unregister(&g->matrix);
	driver_unregister(&vap_matrix_driver);
	bus_unregister(&vap_matrix_bus);
	root_device_unregister(g->root);
}

/* ---- module ---------------------------------------------------------- */

static const struct ap_profile *vap_profile(void)
{
	const struct ap_profile *p = ap_profile_find(VAP_PROFILE);

	return WARN_ON_ONCE(!p) ? ap_profile_default() : p;
}

static int __init vap_init(void)
{
	struct vap_glue *g = &vap_glue;
	const struct ap_profile *p = vap_profile();
	struct ap_qci info;
	int ret;

	ret = vap_read_qci(&info);
	if (ret)
		return ret;
	g->md = vap_matrix_dev_create(&info, p, &vap_kbus_ops, NULL, &vap_env_ops, g);
	if (!g->md)
		return -ENOMEM;
	ret = vap_arch_init(g);
	if (ret)
		goto err_md;
	ret = vap_matrix_dev_register(g);
	if (ret)
		goto err_arch;
	ret = vap_queue_driver_register();
	if (ret)
		goto err_matrix;
	pr_info(KBUILD_MODNAME ": apvirt engine, kernel profile %s: %s\n", p->name, p->what);
	return 0;

err_matrix:
	vap_matrix_dev_unregister(g);
err_arch:
	vap_arch_exit();
err_md:
	vap_matrix_dev_destroy(g->md);
	return ret;
}

static void __exit vap_exit(void)
{
	/* queues first: their remove() resets what mdevs still hold */
	vap_queue_driver_unregister();
	vap_matrix_dev_unregister(&vap_glue);
	vap_arch_exit();
	vap_matrix_dev_destroy(vap_glue.md);
}

module_init(vap_init);
module_exit(vap_exit);

MODULE_AUTHOR("apvirt");
MODULE_DESCRIPTION("VFIO AP device driver (apvirt engine, kernel profile " VAP_PROFILE ")");
MODULE_INFO(apvirt_profile, VAP_PROFILE);
MODULE_LICENSE("GPL v2");
