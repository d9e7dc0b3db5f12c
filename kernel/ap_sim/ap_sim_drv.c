// SPDX-License-Identifier: GPL-2.0
/*
 * ap_sim_drv.c - bus_type "ap", its drivers, its attributes, and the AP
 * driver API of s390's ap_bus.h (include/ap_bus.h).
 *
 * The bus model decides every binding; the driver core only shows it.
 * So match() never matches (no driver core auto-probe), the drivers'
 * bind and unbind files are the model's (docs/kernel-abi.md §3.4), and a
 * device changes driver through device_driver_attach() and
 * device_release_driver() when the model says so: for cex4card and
 * cex4queue from struct apb_ops.device, for the registered AP driver from
 * the model's probe and remove calls (struct ap_driver_ops below), so that
 * vfio_ap's probe runs inside a real really_probe().
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "ap_sim.h"

/* ---- bus_type "ap" ----------------------------------------------------------- */

static int ap_sim_bus_match(struct device *dev, struct device_driver *drv)
{
	return 0;	/* the model binds, never the driver core */
}

static struct ap_driver *ap_sim_ap_drv_of(struct device *dev)
{
	struct ap_driver *ap_drv = ap_sim.ap_drv;

	return ap_drv && dev->driver == &ap_drv->driver ? ap_drv : NULL;
}

static int ap_sim_bus_probe(struct device *dev)
{
	struct ap_driver *ap_drv = ap_sim_ap_drv_of(dev);

	if (!ap_drv || !ap_drv->probe)
		return 0;
	return ap_drv->probe(to_ap_dev(dev));
}

static void ap_sim_bus_remove(struct device *dev)
{
	struct ap_driver *ap_drv = ap_sim_ap_drv_of(dev);

	if (ap_drv && ap_drv->remove)
		ap_drv->remove(to_ap_dev(dev));
}

struct bus_type ap_bus_type = {
	.name = "ap",
	.match = ap_sim_bus_match,
	.probe = ap_sim_bus_probe,
	.remove = ap_sim_bus_remove,
};
EXPORT_SYMBOL(ap_bus_type);

/* ---- driver bindings ----------------------------------------------------------- */

struct device_driver *ap_sim_drv_of(enum apb_drv drv)
{
	switch (drv) {
	case APB_DRV_CEX4CARD:
		return &ap_sim.cex4card;
	case APB_DRV_CEX4QUEUE:
		return &ap_sim.cex4queue;
	case APB_DRV_VFIO_AP:
		return ap_sim.ap_drv ? &ap_sim.ap_drv->driver : NULL;
	default:
		return NULL;
	}
}

void ap_sim_drv_mirror(struct device *dev, struct device_driver *drv)
{
	int rc;

	if (dev->driver == drv)
		return;
	if (dev->driver)
		device_release_driver(dev);
	if (!drv)
		return;
	rc = device_driver_attach(drv, dev);
	if (rc)
		dev_err(dev, "ap_sim: binding to %s failed: %d\n", drv->name, rc);
}

static enum apb_drv ap_sim_drv_id(struct device_driver *drv)
{
	if (drv == &ap_sim.cex4card)
		return APB_DRV_CEX4CARD;
	if (drv == &ap_sim.cex4queue)
		return APB_DRV_CEX4QUEUE;
	return APB_DRV_VFIO_AP;
}

/* drivers/<drv>/bind and unbind: the model's, as its bind_store() would be. */
static ssize_t bind_store(struct device_driver *drv, const char *buf, size_t count)
{
	return apb_bind_store(ap_sim.bus, ap_sim_drv_id(drv), buf, count);
}
static DRIVER_ATTR_WO(bind);

static ssize_t unbind_store(struct device_driver *drv, const char *buf, size_t count)
{
	return apb_unbind_store(ap_sim.bus, ap_sim_drv_id(drv), buf, count);
}
static DRIVER_ATTR_WO(unbind);

static struct attribute *ap_sim_drv_attrs[] = {
	&driver_attr_bind.attr,
	&driver_attr_unbind.attr,
	NULL,
};
ATTRIBUTE_GROUPS(ap_sim_drv);

static int ap_sim_drv_register(struct device_driver *drv, const char *name,
			       struct module *owner)
{
	drv->name = name;
	drv->bus = &ap_bus_type;
	drv->owner = owner;
	drv->suppress_bind_attrs = true;	/* ours are the model's */
	drv->groups = ap_sim_drv_groups;
	return driver_register(drv);
}

/* ---- the model's calls on the registered AP driver (vfio_ap) ------------------ */

static struct ap_queue *ap_sim_drv_queue(unsigned int apid, unsigned int apqi)
{
	struct ap_queue *aq = ap_sim_queue_get(apid, apqi);

	if (aq)
		put_device(&aq->ap_dev.device);	/* the model's dev_lock keeps it */
	return aq;
}

/*
 * A queue bound to the AP driver: really_probe() runs its probe.  The
 * device has no other driver in the model, so any the driver core still
 * shows goes first.
 */
static int ap_sim_drv_probe(void *drv, unsigned int apid, unsigned int apqi)
{
	struct ap_driver *ap_drv = drv;
	struct ap_queue *aq = ap_sim_drv_queue(apid, apqi);
	struct device *dev;
	int rc;

	if (!aq)
		return -ENODEV;
	dev = &aq->ap_dev.device;
	if (dev->driver)
		device_release_driver(dev);
	rc = device_driver_attach(&ap_drv->driver, dev);
	if (rc > 0)
		rc = -rc;
	if (!rc && dev->driver != &ap_drv->driver)
		rc = -ENODEV;
	return rc;
}

static void ap_sim_drv_remove(void *drv, unsigned int apid, unsigned int apqi)
{
	struct ap_queue *aq = ap_sim_drv_queue(apid, apqi);

	if (aq)
		device_release_driver(&aq->ap_dev.device);
}

static int ap_sim_drv_in_use(void *drv, const struct apbm *apm, const struct apbm *aqm)
{
	struct ap_driver *ap_drv = drv;
	struct apbm m = *apm, q = *aqm;

	if (!ap_drv->in_use)
		return 0;
	return ap_drv->in_use((unsigned long *)m.w, (unsigned long *)q.w);
}

/* struct ap_qci -> QCI block; the masks share struct apbm's layout. */
void ap_sim_qci_to_info(const struct ap_qci *q, struct ap_config_info *info)
{
	memset(info, 0, sizeof(*info));
	info->apsc = q->apsc;
	info->apxa = q->apxa;
	info->qact = q->qact;
	info->rc8a = q->rc8a;
	ap_sim_info_set_max(info, q->na, q->nd);
	BUILD_BUG_ON(sizeof(info->apm) != sizeof(q->apm));
	memcpy(info->apm, &q->apm, sizeof(info->apm));
	memcpy(info->aqm, &q->aqm, sizeof(info->aqm));
	memcpy(info->adm, &q->adm, sizeof(info->adm));
}

/* Both blocks are large for a stack under the model's callbacks. */
static int ap_sim_drv_config_cb(struct ap_driver *ap_drv, bool complete,
				const struct ap_qci *cur, const struct ap_qci *prev)
{
	struct ap_config_info *info = kmalloc_array(2, sizeof(*info), GFP_KERNEL);

	if (!info)
		return -ENOMEM;
	ap_sim_qci_to_info(cur, &info[0]);
	ap_sim_qci_to_info(prev, &info[1]);
	if (complete && ap_drv->on_scan_complete)
		ap_drv->on_scan_complete(&info[0], &info[1]);
	else if (!complete && ap_drv->on_config_changed)
		ap_drv->on_config_changed(&info[0], &info[1]);
	kfree(info);
	return 0;
}

static void ap_sim_drv_config_changed(void *drv, const struct ap_qci *cur,
				      const struct ap_qci *prev)
{
	if (ap_sim_drv_config_cb(drv, false, cur, prev))
		pr_err("ap_sim: no memory to tell %s of a config change\n",
		       ap_sim.ap_drv->driver.name);
}

static void ap_sim_drv_scan_complete(void *drv, const struct ap_qci *cur,
				     const struct ap_qci *prev)
{
	if (ap_sim_drv_config_cb(drv, true, cur, prev))
		pr_err("ap_sim: no memory to tell %s of a scan\n", ap_sim.ap_drv->driver.name);
}

/* Never called: the "status" file is the AP driver's own (ap_sim_dev.c). */
static int ap_sim_drv_status_show(void *drv, unsigned int apid, unsigned int apqi, char *buf)
{
	return -ENOENT;
}

static const struct ap_driver_ops ap_sim_drv_ops = {
	.probe = ap_sim_drv_probe,
	.remove = ap_sim_drv_remove,
	.in_use = ap_sim_drv_in_use,
	.on_config_changed = ap_sim_drv_config_changed,
	.on_scan_complete = ap_sim_drv_scan_complete,
	.queue_status_show = ap_sim_drv_status_show,
};

/* ---- the AP driver API (include/ap_bus.h) ----------------------------------------- */

int ap_driver_register(struct ap_driver *ap_drv, struct module *owner, char *name)
{
	int rc;

	if (!name || strcmp(name, "vfio_ap"))
		return -EINVAL;	/* the model knows its AP driver by this name */
	mutex_lock(&ap_sim.drv_mutex);
	if (ap_sim.ap_drv) {
		mutex_unlock(&ap_sim.drv_mutex);
		return -EBUSY;
	}
	rc = ap_sim_drv_register(&ap_drv->driver, name, owner);
	if (!rc) {
		ap_sim.ap_drv = ap_drv;
		apb_register_driver(ap_sim.bus, &ap_sim_drv_ops, ap_drv);
	}
	mutex_unlock(&ap_sim.drv_mutex);
	return rc;
}
EXPORT_SYMBOL(ap_driver_register);

void ap_driver_unregister(struct ap_driver *ap_drv)
{
	mutex_lock(&ap_sim.drv_mutex);
	if (ap_sim.ap_drv == ap_drv) {
		apb_unregister_driver(ap_sim.bus);	/* removes every queue it had */
		driver_unregister(&ap_drv->driver);
		ap_sim.ap_drv = NULL;
	}
	mutex_unlock(&ap_sim.drv_mutex);
}
EXPORT_SYMBOL(ap_driver_unregister);

struct ap_queue *ap_get_qdev(ap_qid_t qid)
{
	return ap_sim_queue_get(AP_QID_CARD(qid), AP_QID_QUEUE(qid));
}
EXPORT_SYMBOL(ap_get_qdev);

int ap_owned_by_def_drv(int card, int queue)
{
	struct apbm apm = { 0 }, aqm = { 0 };

	if (card < 0 || card >= AP_DEVICES || queue < 0 || queue >= AP_DOMAINS)
		return -EINVAL;
	apbm_set(&apm, card);
	apbm_set(&aqm, queue);
	return apb_bus_ops.owned_by_def_drv(ap_sim.bus, &apm, &aqm) ? 1 : 0;
}
EXPORT_SYMBOL(ap_owned_by_def_drv);

int ap_apqn_in_matrix_owned_by_def_drv(unsigned long *apm, unsigned long *aqm)
{
	struct apbm m, q;

	memcpy(&m, apm, sizeof(m));
	memcpy(&q, aqm, sizeof(q));
	return apb_bus_ops.owned_by_def_drv(ap_sim.bus, &m, &q) ? 1 : 0;
}
EXPORT_SYMBOL(ap_apqn_in_matrix_owned_by_def_drv);

void ap_bus_force_rescan(void)
{
	apb_scan(ap_sim.bus);
}
EXPORT_SYMBOL(ap_bus_force_rescan);

/* ---- bus attributes (docs/kernel-abi.md §3.1) --------------------------------------- */

/*
 * A bus attribute's show/store gets no attribute pointer, so each file
 * gets its own small function: slot N (the number its name ends with)
 * serves the model's bus row N.
 */
#define AP_SIM_BUS_SLOTS 32

static const struct apb_attr *ap_sim_bus_rows;
static unsigned int ap_sim_bus_nrows;
static struct bus_attribute ap_sim_bus_attrs[AP_SIM_BUS_SLOTS];
static bool ap_sim_bus_created[AP_SIM_BUS_SLOTS];

/* The row of slot function @fn ("ap_sim_bus_show_12": row 12). */
static const struct apb_attr *ap_sim_bus_row(const char *fn)
{
	unsigned int i;

	if (kstrtouint(strrchr(fn, '_') + 1, 10, &i) || i >= ap_sim_bus_nrows)
		return NULL;
	return &ap_sim_bus_rows[i];
}

static ssize_t ap_sim_bus_show(const char *fn, char *buf)
{
	const struct apb_attr *row = ap_sim_bus_row(fn);

	return row ? apb_attr_show(ap_sim.bus, APB_OBJ_BUS, row, 0, 0, buf) : -EIO;
}

static ssize_t ap_sim_bus_store(const char *fn, const char *buf, size_t count)
{
	const struct apb_attr *row = ap_sim_bus_row(fn);

	return row ? apb_attr_store(ap_sim.bus, APB_OBJ_BUS, row, 0, 0, buf, count) : -EIO;
}

#define AP_SIM_BUS_SHOW(n)						\
static ssize_t ap_sim_bus_show_##n(struct bus_type *bt, char *buf)	\
{									\
	return ap_sim_bus_show(__func__, buf);				\
}

#define AP_SIM_BUS_STORE(n)						\
static ssize_t ap_sim_bus_store_##n(struct bus_type *bt, const char *buf, size_t count) \
{									\
	return ap_sim_bus_store(__func__, buf, count);			\
}

#define AP_SIM_BUS_FNS(n) { ap_sim_bus_show_##n, ap_sim_bus_store_##n }

AP_SIM_BUS_SHOW(0) AP_SIM_BUS_STORE(0)
AP_SIM_BUS_SHOW(1) AP_SIM_BUS_STORE(1)
AP_SIM_BUS_SHOW(2) AP_SIM_BUS_STORE(2)
AP_SIM_BUS_SHOW(3) AP_SIM_BUS_STORE(3)
AP_SIM_BUS_SHOW(4) AP_SIM_BUS_STORE(4)
AP_SIM_BUS_SHOW(5) AP_SIM_BUS_STORE(5)
AP_SIM_BUS_SHOW(6) AP_SIM_BUS_STORE(6)
AP_SIM_BUS_SHOW(7) AP_SIM_BUS_STORE(7)
AP_SIM_BUS_SHOW(8) AP_SIM_BUS_STORE(8)
AP_SIM_BUS_SHOW(9) AP_SIM_BUS_STORE(9)
AP_SIM_BUS_SHOW(10) AP_SIM_BUS_STORE(10)
AP_SIM_BUS_SHOW(11) AP_SIM_BUS_STORE(11)
AP_SIM_BUS_SHOW(12) AP_SIM_BUS_STORE(12)
AP_SIM_BUS_SHOW(13) AP_SIM_BUS_STORE(13)
AP_SIM_BUS_SHOW(14) AP_SIM_BUS_STORE(14)
AP_SIM_BUS_SHOW(15) AP_SIM_BUS_STORE(15)
AP_SIM_BUS_SHOW(16) AP_SIM_BUS_STORE(16)
AP_SIM_BUS_SHOW(17) AP_SIM_BUS_STORE(17)
AP_SIM_BUS_SHOW(18) AP_SIM_BUS_STORE(18)
AP_SIM_BUS_SHOW(19) AP_SIM_BUS_STORE(19)
AP_SIM_BUS_SHOW(20) AP_SIM_BUS_STORE(20)
AP_SIM_BUS_SHOW(21) AP_SIM_BUS_STORE(21)
AP_SIM_BUS_SHOW(22) AP_SIM_BUS_STORE(22)
AP_SIM_BUS_SHOW(23) AP_SIM_BUS_STORE(23)
AP_SIM_BUS_SHOW(24) AP_SIM_BUS_STORE(24)
AP_SIM_BUS_SHOW(25) AP_SIM_BUS_STORE(25)
AP_SIM_BUS_SHOW(26) AP_SIM_BUS_STORE(26)
AP_SIM_BUS_SHOW(27) AP_SIM_BUS_STORE(27)
AP_SIM_BUS_SHOW(28) AP_SIM_BUS_STORE(28)
AP_SIM_BUS_SHOW(29) AP_SIM_BUS_STORE(29)
AP_SIM_BUS_SHOW(30) AP_SIM_BUS_STORE(30)
AP_SIM_BUS_SHOW(31) AP_SIM_BUS_STORE(31)

static const struct {
	ssize_t (*show)(struct bus_type *bt, char *buf);
	ssize_t (*store)(struct bus_type *bt, const char *buf, size_t count);
} ap_sim_bus_fns[AP_SIM_BUS_SLOTS] = {
	AP_SIM_BUS_FNS(0), AP_SIM_BUS_FNS(1), AP_SIM_BUS_FNS(2), AP_SIM_BUS_FNS(3),
	AP_SIM_BUS_FNS(4), AP_SIM_BUS_FNS(5), AP_SIM_BUS_FNS(6), AP_SIM_BUS_FNS(7),
	AP_SIM_BUS_FNS(8), AP_SIM_BUS_FNS(9), AP_SIM_BUS_FNS(10), AP_SIM_BUS_FNS(11),
	AP_SIM_BUS_FNS(12), AP_SIM_BUS_FNS(13), AP_SIM_BUS_FNS(14), AP_SIM_BUS_FNS(15),
	AP_SIM_BUS_FNS(16), AP_SIM_BUS_FNS(17), AP_SIM_BUS_FNS(18), AP_SIM_BUS_FNS(19),
	AP_SIM_BUS_FNS(20), AP_SIM_BUS_FNS(21), AP_SIM_BUS_FNS(22), AP_SIM_BUS_FNS(23),
	AP_SIM_BUS_FNS(24), AP_SIM_BUS_FNS(25), AP_SIM_BUS_FNS(26), AP_SIM_BUS_FNS(27),
	AP_SIM_BUS_FNS(28), AP_SIM_BUS_FNS(29), AP_SIM_BUS_FNS(30), AP_SIM_BUS_FNS(31),
};

/* The rows the bus's kernel profile has (e.g. no "features" before 6.4). */
static int ap_sim_bus_attrs_create(void)
{
	unsigned int i;
	int rc;

	ap_sim_bus_rows = apb_attrs(APB_OBJ_BUS, &ap_sim_bus_nrows);
	if (WARN_ON_ONCE(ap_sim_bus_nrows > AP_SIM_BUS_SLOTS))
		return -E2BIG;
	for (i = 0; i < ap_sim_bus_nrows; i++) {
		const struct apb_attr *row = &ap_sim_bus_rows[i];
		struct bus_attribute *ba = &ap_sim_bus_attrs[i];

		if (!apb_attr_present(ap_sim.bus, APB_OBJ_BUS, row, 0, 0))
			continue;
		sysfs_attr_init(&ba->attr);
		ba->attr.name = row->name;
		ba->attr.mode = row->mode;
		ba->show = row->show ? ap_sim_bus_fns[i].show : NULL;
		ba->store = row->store ? ap_sim_bus_fns[i].store : NULL;
		rc = bus_create_file(&ap_bus_type, ba);
		if (rc)
			return rc;
		ap_sim_bus_created[i] = true;
	}
	return 0;
}

static void ap_sim_bus_attrs_remove(void)
{
	unsigned int i;

	for (i = 0; i < AP_SIM_BUS_SLOTS; i++) {
		if (ap_sim_bus_created[i])
			bus_remove_file(&ap_bus_type, &ap_sim_bus_attrs[i]);
		ap_sim_bus_created[i] = false;
	}
}

/* ---- load and unload ---------------------------------------------------------------- */

/* The bus and the two default drivers, before the model exists. */
int ap_sim_drv_init(void)
{
	int rc;

	mutex_init(&ap_sim.drv_mutex);
	rc = bus_register(&ap_bus_type);
	if (rc)
		return rc;
	rc = ap_sim_drv_register(&ap_sim.cex4card, "cex4card", THIS_MODULE);
	if (rc)
		goto out_bus;
	rc = ap_sim_drv_register(&ap_sim.cex4queue, "cex4queue", THIS_MODULE);
	if (rc)
		goto out_card;
	return 0;
out_card:
	driver_unregister(&ap_sim.cex4card);
out_bus:
	bus_unregister(&ap_bus_type);
	return rc;
}

/* The bus attributes, once the model exists. */
int ap_sim_drv_attrs_init(void)
{
	int rc = ap_sim_bus_attrs_create();

	if (rc)
		ap_sim_bus_attrs_remove();
	return rc;
}

void ap_sim_drv_attrs_exit(void)
{
	ap_sim_bus_attrs_remove();
}

void ap_sim_drv_exit(void)
{
	driver_unregister(&ap_sim.cex4queue);
	driver_unregister(&ap_sim.cex4card);
	bus_unregister(&ap_bus_type);
}
