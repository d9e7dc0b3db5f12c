// SPDX-License-Identifier: GPL-2.0
/*
 * ap_sim_dev.c - the card and queue devices of the simulated AP bus.
 *
 * /sys/devices/ap/cardXX and /sys/devices/ap/cardXX/XX.YYYY follow the bus
 * model (kernel/ap_model/ap_bus.c): the model tells every device that
 * appears, vanishes or changes driver through struct apb_ops.device,
 * under its device lock, and this file registers, unregisters and binds
 * the struct device at once.  The attribute files are the model's rows
 * (docs/kernel-abi.md §3.5); which of them exist is the row's predicate,
 * evaluated again at every driver change.
 *
 * A show or store breaks kernfs' active protection before it takes the
 * model's device lock: the device lock's holder may be unregistering that
 * very device, and device_del() would otherwise wait for the handler.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "ap_sim.h"

/* One model row as a device attribute file. */
struct ap_sim_attr {
	struct device_attribute da;
	const struct apb_attr *row;
};

struct ap_sim_group {
	enum apb_obj obj;
	unsigned int n;
	struct ap_sim_attr *attrs;
	struct attribute **list;
	struct attribute_group grp;
	const struct attribute_group *groups[2];
	struct device_type type;
};

static struct ap_sim_group ap_sim_card_grp = { .obj = APB_OBJ_CARD };
static struct ap_sim_group ap_sim_queue_grp = { .obj = APB_OBJ_QUEUE };

/* The APQN of a card (apqi 0) or queue device. */
static enum apb_obj ap_sim_dev_ids(struct device *dev, unsigned int *apid, unsigned int *apqi)
{
	if (dev->type == &ap_sim_card_grp.type) {
		*apid = to_ap_card(dev)->id;
		*apqi = 0;
		return APB_OBJ_CARD;
	}
	*apid = AP_QID_CARD(to_ap_queue(dev)->qid);
	*apqi = AP_QID_QUEUE(to_ap_queue(dev)->qid);
	return APB_OBJ_QUEUE;
}

static ssize_t ap_sim_attr_show(struct device *dev, struct device_attribute *da, char *buf)
{
	struct ap_sim_attr *a = container_of(da, struct ap_sim_attr, da);
	struct kernfs_node *kn = sysfs_break_active_protection(&dev->kobj, &da->attr);
	unsigned int apid, apqi;
	enum apb_obj obj = ap_sim_dev_ids(dev, &apid, &apqi);
	int n;

	n = apb_attr_show(ap_sim.bus, obj, a->row, apid, apqi, buf);
	if (kn)
		sysfs_unbreak_active_protection(kn);
	return n;
}

static ssize_t ap_sim_attr_store(struct device *dev, struct device_attribute *da,
				 const char *buf, size_t count)
{
	struct ap_sim_attr *a = container_of(da, struct ap_sim_attr, da);
	struct kernfs_node *kn = sysfs_break_active_protection(&dev->kobj, &da->attr);
	unsigned int apid, apqi;
	enum apb_obj obj = ap_sim_dev_ids(dev, &apid, &apqi);
	long rc;

	rc = apb_attr_store(ap_sim.bus, obj, a->row, apid, apqi, buf, count);
	if (kn)
		sysfs_unbreak_active_protection(kn);
	return rc;
}

/*
 * Called while the group is created or updated, which happens only with
 * the model's device lock held (or before anything else runs, at load):
 * the row's predicate may read the model directly.
 */
static umode_t ap_sim_attr_visible(struct kobject *kobj, struct attribute *attr, int i)
{
	struct device *dev = kobj_to_dev(kobj);
	struct ap_sim_attr *a = container_of(attr, struct ap_sim_attr, da.attr);
	unsigned int apid, apqi;

	ap_sim_dev_ids(dev, &apid, &apqi);
	if (a->row->is_visible && !a->row->is_visible(ap_sim.bus, apid, apqi))
		return 0;
	return attr->mode;
}

/*
 * The rows of @g->obj, except the queue's "status": the registered AP
 * driver (vfio_ap) adds that file itself in its probe, as upstream does.
 */
static int ap_sim_group_init(struct ap_sim_group *g, const char *type_name)
{
	const struct apb_attr *rows = apb_attrs(g->obj, &g->n);
	unsigned int i, k = 0;

	g->attrs = kcalloc(g->n, sizeof(*g->attrs), GFP_KERNEL);
	g->list = kcalloc(g->n + 1, sizeof(*g->list), GFP_KERNEL);
	if (!g->attrs || !g->list)
		return -ENOMEM;
	for (i = 0; i < g->n; i++) {
		struct ap_sim_attr *a = &g->attrs[k];

		if (g->obj == APB_OBJ_QUEUE && !strcmp(rows[i].name, "status"))
			continue;
		sysfs_attr_init(&a->da.attr);
		a->row = &rows[i];
		a->da.attr.name = rows[i].name;
		a->da.attr.mode = rows[i].mode;
		a->da.show = rows[i].show ? ap_sim_attr_show : NULL;
		a->da.store = rows[i].store ? ap_sim_attr_store : NULL;
		g->list[k++] = &a->da.attr;
	}
	g->grp.attrs = g->list;
	g->grp.is_visible = ap_sim_attr_visible;
	g->groups[0] = &g->grp;
	g->type.name = type_name;
	g->type.groups = g->groups;
	return 0;
}

static void ap_sim_group_free(struct ap_sim_group *g)
{
	kfree(g->attrs);
	kfree(g->list);
}

/* ---- device life cycle --------------------------------------------------- */

static void ap_sim_card_release(struct device *dev)
{
	kfree(to_ap_card(dev));
}

static void ap_sim_queue_release(struct device *dev)
{
	kfree(to_ap_queue(dev));
}

static void ap_sim_card_add(unsigned int apid)
{
	struct apb_adapter_spec hw = { 0 };
	struct ap_card *ac = kzalloc(sizeof(*ac), GFP_KERNEL);
	int rc;

	if (!ac) {
		pr_err("ap_sim: card%02x: no memory for the device\n", apid);
		return;
	}
	apb_hw_get_adapter_type(ap_sim.bus, apid, &hw);
	ac->id = apid;
	ac->raw_hwtype = hw.raw_type;
	ac->ap_dev.device_type = min_t(int, hw.raw_type, AP_DEVICE_TYPE_CEX8);
	ac->functions = hw.functions;
	ac->queue_depth = 8;
	ac->config = true;
	ac->ap_dev.device.bus = &ap_bus_type;
	ac->ap_dev.device.parent = ap_sim.root;
	ac->ap_dev.device.type = &ap_sim_card_grp.type;
	ac->ap_dev.device.release = ap_sim_card_release;
	dev_set_name(&ac->ap_dev.device, "card%02x", apid);
	rc = device_register(&ac->ap_dev.device);
	if (rc) {
		pr_err("ap_sim: card%02x: device_register: %d\n", apid, rc);
		put_device(&ac->ap_dev.device);
		return;
	}
	spin_lock(&ap_sim.devs_lock);
	ap_sim.card[apid] = ac;
	spin_unlock(&ap_sim.devs_lock);
}

static void ap_sim_queue_add(unsigned int apid, unsigned int apqi)
{
	struct ap_card *ac = ap_sim.card[apid];
	struct ap_queue *aq;
	int rc;

	if (!ac)
		return;		/* its card could not be registered: said so */
	aq = kzalloc(sizeof(*aq), GFP_KERNEL);
	if (!aq) {
		pr_err("ap_sim: %02x.%04x: no memory for the device\n", apid, apqi);
		return;
	}
	spin_lock_init(&aq->lock);
	aq->card = ac;
	aq->qid = AP_MKQID(apid, apqi);
	aq->config = true;
	aq->ap_dev.device_type = ac->ap_dev.device_type;
	aq->ap_dev.device.bus = &ap_bus_type;
	aq->ap_dev.device.parent = &ac->ap_dev.device;
	aq->ap_dev.device.type = &ap_sim_queue_grp.type;
	aq->ap_dev.device.release = ap_sim_queue_release;
	dev_set_name(&aq->ap_dev.device, "%02x.%04x", apid, apqi);
	rc = device_register(&aq->ap_dev.device);
	if (rc) {
		pr_err("ap_sim: %02x.%04x: device_register: %d\n", apid, apqi, rc);
		put_device(&aq->ap_dev.device);
		return;
	}
	spin_lock(&ap_sim.devs_lock);
	ap_sim.queue[ap_sim_qidx(apid, apqi)] = aq;
	spin_unlock(&ap_sim.devs_lock);
}

static struct device *ap_sim_dev_take(unsigned int apid, int apqi)
{
	struct device *dev = NULL;

	spin_lock(&ap_sim.devs_lock);
	if (apqi < 0 && ap_sim.card[apid]) {
		dev = &ap_sim.card[apid]->ap_dev.device;
		ap_sim.card[apid] = NULL;
	} else if (apqi >= 0 && ap_sim.queue[ap_sim_qidx(apid, apqi)]) {
		dev = &ap_sim.queue[ap_sim_qidx(apid, apqi)]->ap_dev.device;
		ap_sim.queue[ap_sim_qidx(apid, apqi)] = NULL;
	}
	spin_unlock(&ap_sim.devs_lock);
	return dev;
}

static struct device *ap_sim_dev_find(unsigned int apid, int apqi)
{
	struct ap_queue *aq;

	if (!ap_sim.queue)
		return NULL;
	if (apqi < 0)
		return ap_sim.card[apid] ? &ap_sim.card[apid]->ap_dev.device : NULL;
	aq = ap_sim.queue[ap_sim_qidx(apid, apqi)];
	return aq ? &aq->ap_dev.device : NULL;
}

/* The queue device of @apid.@apqi with a reference, or NULL. */
struct ap_queue *ap_sim_queue_get(unsigned int apid, unsigned int apqi)
{
	struct ap_queue *aq;

	if (apid >= AP_DEVICES || apqi >= AP_DOMAINS || !ap_sim.queue)
		return NULL;
	spin_lock(&ap_sim.devs_lock);
	aq = ap_sim.queue[ap_sim_qidx(apid, apqi)];
	if (aq)
		get_device(&aq->ap_dev.device);
	spin_unlock(&ap_sim.devs_lock);
	return aq;
}

static void ap_sim_dev_bind(unsigned int apid, int apqi, enum apb_drv drv)
{
	struct device *dev = ap_sim_dev_find(apid, apqi);

	if (!dev)
		return;
	ap_sim_drv_mirror(dev, ap_sim_drv_of(drv));
	/* the zcrypt files come and go with the driver */
	if (sysfs_update_group(&dev->kobj, apqi < 0 ? &ap_sim_card_grp.grp : &ap_sim_queue_grp.grp))
		pr_err("ap_sim: %s: attribute update failed\n", dev_name(dev));
}

/* struct apb_ops.device: the model's dev_lock is held. */
static void ap_sim_dev_event(void *env, enum apb_dev_event ev, unsigned int apid, int apqi,
			     enum apb_drv drv)
{
	struct device *dev;

	if (!ap_sim.bus)
		return;		/* apb_create()'s first scan: see ap_sim_dev_populate() */
	switch (ev) {
	case APB_DEV_ADD:
		if (apqi < 0)
			ap_sim_card_add(apid);
		else
			ap_sim_queue_add(apid, apqi);
		break;
	case APB_DEV_DEL:
		dev = ap_sim_dev_take(apid, apqi);
		if (dev)
			device_unregister(dev);
		break;
	case APB_DEV_BIND:
		ap_sim_dev_bind(apid, apqi, drv);
		break;
	}
}

/* ---- uevents, log lines and resets from the model ------------------------ */

/* The kobject of "devices/ap", "devices/ap/cardXX" or ".../XX.YYYY". */
static struct kobject *ap_sim_devpath_kobj(const char *devpath)
{
	unsigned int apid, apqi;
	struct device *dev = NULL;

	if (!strcmp(devpath, "devices/ap"))
		return &ap_sim.root->kobj;
	if (sscanf(devpath, "devices/ap/card%2x/%2x.%4x", &apid, &apqi, &apqi) == 3 &&
	    apid < AP_DEVICES && apqi < AP_DOMAINS)
		dev = ap_sim_dev_find(apid, apqi);
	else if (sscanf(devpath, "devices/ap/card%2x", &apid) == 1 && apid < AP_DEVICES)
		dev = ap_sim_dev_find(apid, -1);
	return dev ? &dev->kobj : NULL;
}

#define AP_SIM_UEVENT_VARS	4

/*
 * A KOBJ_CHANGE uevent on the device, and a line for the ctl "uevents":
 * "<devpath> <VARS>", the newline a mask variable carries dropped.
 */
static void ap_sim_uevent(void *env, const char *devpath, const char *vars)
{
	char line[AP_SIM_LINE_MAX], copy[AP_SIM_LINE_MAX], *envp[AP_SIM_UEVENT_VARS + 1];
	struct kobject *kobj = ap_sim_devpath_kobj(devpath);
	char *p = copy, *w;
	unsigned int n = 0;
	size_t len;

	snprintf(line, sizeof(line), "%s %s", devpath, vars);
	len = strlen(line);
	while (len && line[len - 1] == '\n')
		line[--len] = '\0';
	ap_sim_lines_add(&ap_sim.uevents, line);
	if (!kobj)
		return;
	strscpy(copy, vars, sizeof(copy));
	while ((w = strsep(&p, " ")) && n < AP_SIM_UEVENT_VARS)
		if (*w)
			envp[n++] = w;
	envp[n] = NULL;
	kobject_uevent_env(kobj, KOBJ_CHANGE, envp);
}

static void ap_sim_log_line(void *env, const char *line)
{
	pr_info("%s\n", line);
	ap_sim_lines_add(&ap_sim.log, line);
}

/* Every ZAPQ, in the ctl "log" with apsim's own line. */
static void ap_sim_reset(void *env, unsigned int apid, unsigned int apqi, int rc)
{
	char line[64];

	snprintf(line, sizeof(line), "apsim: reset queue %02x.%04x rc=0x%02x", apid, apqi,
		 (unsigned int)rc & 0xff);
	ap_sim_lines_add(&ap_sim.log, line);
}

const struct apb_ops ap_sim_apb_ops = {
	.uevent = ap_sim_uevent,
	.log = ap_sim_log_line,
	.reset = ap_sim_reset,
	.device = ap_sim_dev_event,
};

/* ---- load and unload ----------------------------------------------------- */

/*
 * The model's first scan ran inside apb_create(), before ap_sim.bus was
 * known: register what it found now.  Nothing else runs yet.
 */
static void ap_sim_dev_populate(void)
{
	unsigned int apid, apqi;
	enum apb_drv drv;
	bool exists;

	for (apid = 0; apid < AP_DEVICES; apid++) {
		if (!apb_card_exists(ap_sim.bus, apid))
			continue;
		ap_sim_card_add(apid);
		if (apb_card_bound(ap_sim.bus, apid))
			ap_sim_dev_bind(apid, -1, APB_DRV_CEX4CARD);
		for (apqi = 0; apqi < AP_DOMAINS; apqi++) {
			drv = apb_queue_driver(ap_sim.bus, apid, apqi, &exists);
			if (!exists)
				continue;
			ap_sim_queue_add(apid, apqi);
			if (drv != APB_DRV_NONE)
				ap_sim_dev_bind(apid, apqi, drv);
		}
	}
}

int ap_sim_dev_init(void)
{
	ap_sim.queue = kvcalloc(AP_DEVICES * AP_DOMAINS, sizeof(*ap_sim.queue), GFP_KERNEL);
	if (!ap_sim.queue)
		return -ENOMEM;
	if (ap_sim_group_init(&ap_sim_card_grp, "ap_card") ||
	    ap_sim_group_init(&ap_sim_queue_grp, "ap_queue")) {
		ap_sim_dev_exit();
		return -ENOMEM;
	}
	ap_sim_dev_populate();
	return 0;
}

/* After the model is gone: every device still registered goes. */
void ap_sim_dev_exit(void)
{
	unsigned int apid, apqi;
	struct device *dev;

	for (apid = 0; ap_sim.queue && apid < AP_DEVICES; apid++) {
		for (apqi = 0; apqi < AP_DOMAINS; apqi++) {
			dev = ap_sim_dev_take(apid, apqi);
			if (dev)
				device_unregister(dev);
		}
		dev = ap_sim_dev_take(apid, -1);
		if (dev)
			device_unregister(dev);
	}
	kvfree(ap_sim.queue);
	ap_sim.queue = NULL;
	ap_sim_group_free(&ap_sim_card_grp);
	ap_sim_group_free(&ap_sim_queue_grp);
}
