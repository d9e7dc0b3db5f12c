// SPDX-License-Identifier: GPL-2.0
/*
 * sim_tree.c - the sysfs tree apsim serves, in the manner of a mock's plan.
 *
 * Paths are relative to the mount point (<root>/sys).  Modes are sysfs's:
 * 0444 read-only, 0200 write-only, 0644 read-write attributes, 0755
 * directories, 0777 symlinks.
 *
 *   bus/ap/<attr>                        §3.1 (the model's apb_attrs(APB_OBJ_BUS))
 *   bus/ap/devices/cardXX                -> ../../../devices/ap/cardXX
 *   bus/ap/devices/XX.YYYY               -> ../../../devices/ap/cardXX/XX.YYYY
 *   bus/ap/drivers/{cex4card,cex4queue,vfio_ap}/{bind,unbind}   0200
 *   bus/ap/drivers/<drv>/<dev>           -> ../../../../devices/ap/...
 *   bus/mdev/devices/<uuid>              -> ../../../devices/vfio_ap/matrix/<uuid>
 *   bus/mdev/drivers/vfio_ap_mdev/<uuid> -> ../../../../devices/vfio_ap/matrix/<uuid>
 *   bus/matrix/devices/matrix            -> ../../../devices/vfio_ap/matrix
 *   bus/matrix/drivers/vfio_ap/matrix    -> ../../../../devices/vfio_ap/matrix
 *   class/mdev_bus/matrix                -> ../../devices/vfio_ap/matrix
 *   devices/ap/cardXX/<attr>             §3.5 card attributes (APB_OBJ_CARD rows
 *                                        present on the card), driver link
 *   devices/ap/cardXX/XX.YYYY/<attr>     §3.5 queue attributes (APB_OBJ_QUEUE;
 *                                        status while bound to vfio_ap, §2.5),
 *                                        driver link
 *   devices/vfio_ap/matrix/features      §2.2
 *   devices/vfio_ap/matrix/driver        -> ../../../bus/matrix/drivers/vfio_ap
 *   devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/
 *       name, device_api, available_instances (0444), create (0200),
 *       devices/<uuid> -> ../../../<uuid>          (§2.3, no description)
 *   devices/vfio_ap/matrix/<uuid>/       §2.4 attributes (the engine's
 *       vap_mdev_attrs[]), remove (the mdev core's), uevent, power/ (empty),
 *       mdev_type -> ../mdev_supported_types/vfio_ap-passthrough,
 *       driver -> ../../../../bus/mdev/drivers/vfio_ap_mdev,
 *       subsystem -> ../../../../bus/mdev,
 *       iommu_group -> ../../../../kernel/iommu_groups/N
 *   kernel/iommu_groups/N/               name ("vfio-noiommu"), reserved_regions
 *       (empty), devices/<uuid> -> ../../../../devices/vfio_ap/matrix/<uuid>
 *                                        (the emulated-IOMMU group of each mdev,
 *                                        the lowest free N: libvirt's /dev/vfio/N)
 *   class/zcrypt/{create,destroy}        0600, write-only (zcrypt_api.c)
 *   class/zcrypt/<node>                  -> ../../devices/virtual/zcrypt/<node>
 *   devices/virtual/zcrypt/<node>/       dev, apmask, aqmask, admask,
 *                                        ioctlmask (APB_OBJ_ZCDN rows),
 *                                        subsystem -> ../../../../class/zcrypt
 *   kernel/debug/ap_sim/ctl              0600, the control file
 *
 * While an mdev's removal blocks, its directory stays but is empty and every
 * link to it is gone, as in the kernel (attributes and links are removed
 * before the driver's remove callback waits for the vfio device).
 */
#include <limits.h>
#include <stdarg.h>

#include "sim_mdev.h"
#include "sim_state.h"
#include "sim_tree.h"

enum sim_dir {
	SD_ROOT, SD_BUS, SD_BUS_AP, SD_AP_DEVICES, SD_AP_DRIVERS, SD_AP_DRIVER,
	SD_BUS_MDEV, SD_MDEV_DEVICES, SD_MDEV_DRIVERS, SD_MDEV_DRIVER,
	SD_BUS_MATRIX, SD_MATRIX_DEVICES, SD_MATRIX_DRIVERS, SD_MATRIX_DRIVER,
	SD_CLASS, SD_CLASS_MDEV_BUS, SD_DEVICES, SD_DEVICES_AP, SD_CARD, SD_QUEUE,
	SD_DEVICES_VFIO_AP, SD_MATRIX, SD_TYPES, SD_TYPE, SD_TYPE_DEVICES, SD_MDEV,
	SD_KERNEL, SD_DEBUG, SD_AP_SIM, SD_MDEV_POWER, SD_IOMMU_GROUPS, SD_IOMMU_GROUP,
	SD_IOMMU_GROUP_DEVICES, SD_CLASS_ZCRYPT, SD_DEVICES_VIRTUAL, SD_VIRTUAL_ZCRYPT, SD_ZCDN,
	SD_COUNT
};

#define SIM_TYPE_DIR	"vfio_ap-passthrough"

/* ---- fixed entries ------------------------------------------------------- */

struct sim_entry {
	enum sim_dir parent;
	const char *name;
	enum sim_ntype type;
	int kind;		/* enum sim_dir for directories, enum sim_file for files */
	unsigned int mode;
	const char *target;
	enum apb_drv drv;
	bool (*visible)(struct sim *s);	/* NULL: always there */
};

static bool sim_has_features(struct sim *s)
{
	return vap_features_visible(s->md);
}

#define SIM_DIR(p, n, k)	{ p, n, SIM_NDIR, k, 0755, NULL, APB_DRV_NONE, NULL }
#define SIM_DRV(p, n, d)	{ p, n, SIM_NDIR, SD_AP_DRIVER, 0755, NULL, d, NULL }
#define SIM_FILE(p, n, k, m)	{ p, n, SIM_NFILE, k, m, NULL, APB_DRV_NONE, NULL }
#define SIM_LINK(p, n, t)	{ p, n, SIM_NLINK, 0, 0777, t, APB_DRV_NONE, NULL }

static const struct sim_entry sim_fixed[] = {
	SIM_DIR(SD_ROOT, "bus", SD_BUS),
	SIM_DIR(SD_ROOT, "class", SD_CLASS),
	SIM_DIR(SD_ROOT, "devices", SD_DEVICES),
	SIM_DIR(SD_ROOT, "kernel", SD_KERNEL),
	SIM_DIR(SD_BUS, "ap", SD_BUS_AP),
	SIM_DIR(SD_BUS, "matrix", SD_BUS_MATRIX),
	SIM_DIR(SD_BUS, "mdev", SD_BUS_MDEV),
	SIM_DIR(SD_BUS_AP, "devices", SD_AP_DEVICES),
	SIM_DIR(SD_BUS_AP, "drivers", SD_AP_DRIVERS),
	SIM_DRV(SD_AP_DRIVERS, "cex4card", APB_DRV_CEX4CARD),
	SIM_DRV(SD_AP_DRIVERS, "cex4queue", APB_DRV_CEX4QUEUE),
	SIM_DRV(SD_AP_DRIVERS, "vfio_ap", APB_DRV_VFIO_AP),
	SIM_FILE(SD_AP_DRIVER, "bind", SF_BIND, 0200),
	SIM_FILE(SD_AP_DRIVER, "unbind", SF_UNBIND, 0200),
	SIM_DIR(SD_BUS_MDEV, "devices", SD_MDEV_DEVICES),
	SIM_DIR(SD_BUS_MDEV, "drivers", SD_MDEV_DRIVERS),
	SIM_DIR(SD_MDEV_DRIVERS, "vfio_ap_mdev", SD_MDEV_DRIVER),
	SIM_DIR(SD_BUS_MATRIX, "devices", SD_MATRIX_DEVICES),
	SIM_DIR(SD_BUS_MATRIX, "drivers", SD_MATRIX_DRIVERS),
	SIM_LINK(SD_MATRIX_DEVICES, "matrix", "../../../devices/vfio_ap/matrix"),
	SIM_DIR(SD_MATRIX_DRIVERS, "vfio_ap", SD_MATRIX_DRIVER),
	SIM_LINK(SD_MATRIX_DRIVER, "matrix", "../../../../devices/vfio_ap/matrix"),
	SIM_DIR(SD_CLASS, "mdev_bus", SD_CLASS_MDEV_BUS),
	SIM_DIR(SD_CLASS, "zcrypt", SD_CLASS_ZCRYPT),
	SIM_LINK(SD_CLASS_MDEV_BUS, "matrix", "../../devices/vfio_ap/matrix"),
	SIM_DIR(SD_DEVICES, "ap", SD_DEVICES_AP),
	SIM_DIR(SD_DEVICES, "vfio_ap", SD_DEVICES_VFIO_AP),
	SIM_DIR(SD_DEVICES, "virtual", SD_DEVICES_VIRTUAL),
	SIM_DIR(SD_DEVICES_VIRTUAL, "zcrypt", SD_VIRTUAL_ZCRYPT),
	SIM_DIR(SD_DEVICES_VFIO_AP, "matrix", SD_MATRIX),
	SIM_LINK(SD_MATRIX, "driver", "../../../bus/matrix/drivers/vfio_ap"),
	{ SD_MATRIX, "features", SIM_NFILE, SF_FEATURES, 0444, NULL, APB_DRV_NONE,
	  sim_has_features },
	SIM_DIR(SD_MATRIX, "mdev_supported_types", SD_TYPES),
	SIM_DIR(SD_TYPES, SIM_TYPE_DIR, SD_TYPE),
	SIM_FILE(SD_TYPE, "available_instances", SF_TYPE_AVAIL, 0444),
	SIM_FILE(SD_TYPE, "create", SF_TYPE_CREATE, 0200),
	SIM_FILE(SD_TYPE, "device_api", SF_TYPE_API, 0444),
	SIM_DIR(SD_TYPE, "devices", SD_TYPE_DEVICES),
	SIM_FILE(SD_TYPE, "name", SF_TYPE_NAME, 0444),
	SIM_DIR(SD_KERNEL, "debug", SD_DEBUG),
	SIM_DIR(SD_KERNEL, "iommu_groups", SD_IOMMU_GROUPS),
	SIM_DIR(SD_IOMMU_GROUP, "devices", SD_IOMMU_GROUP_DEVICES),
	SIM_FILE(SD_IOMMU_GROUP, "name", SF_IOMMU_NAME, 0444),
	SIM_FILE(SD_IOMMU_GROUP, "reserved_regions", SF_IOMMU_RESV, 0444),
	SIM_DIR(SD_DEBUG, "ap_sim", SD_AP_SIM),
	SIM_FILE(SD_AP_SIM, "ctl", SF_CTL, 0600),
};

/* ---- node construction and names ----------------------------------------- */

/* A child inherits its parent's device identity (APQN, driver, mdev). */
static void sim_child(const struct sim_node *parent, struct sim_node *c, enum sim_ntype type,
		      int kind, unsigned int mode)
{
	*c = *parent;
	c->type = type;
	c->kind = kind;
	c->mode = mode;
	c->mattr = NULL;
	c->battr = NULL;
	c->target[0] = '\0';
}

static void sim_link(const struct sim_node *parent, struct sim_node *c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void sim_link(const struct sim_node *parent, struct sim_node *c, const char *fmt, ...)
{
	va_list ap;

	sim_child(parent, c, SIM_NLINK, 0, 0777);
	va_start(ap, fmt);
	vsnprintf(c->target, sizeof(c->target), fmt, ap);
	va_end(ap);
}

static void sim_attr(const struct sim_node *parent, struct sim_node *c, int kind,
		     unsigned int mode)
{
	sim_child(parent, c, SIM_NFILE, kind, mode);
}

static const enum apb_obj sim_obj_of_kind[] = {
	[SF_BUS_ATTR] = APB_OBJ_BUS, [SF_CARD_ATTR] = APB_OBJ_CARD,
	[SF_QUEUE_ATTR] = APB_OBJ_QUEUE, [SF_ZCRYPT_ATTR] = APB_OBJ_ZCRYPT,
	[SF_ZCDN_ATTR] = APB_OBJ_ZCDN,
};

/* A bus, card or queue attribute file, if the device has it now. */
static int sim_apb_attr_lookup(struct sim *s, const struct sim_node *dir, int kind,
			       const char *name, struct sim_node *out)
{
	enum apb_obj obj = sim_obj_of_kind[kind];
	const struct apb_attr *a = apb_attr_find(obj, name);

	if (!a || !apb_attr_present(s->bus, obj, a, dir->apid, dir->apqi))
		return -ENOENT;
	sim_attr(dir, out, kind, a->mode);
	out->battr = a;
	return 0;
}

/* The attribute files a device has now, in table order; 1 if @fill stopped. */
static int sim_apb_attr_list(struct sim *s, const struct sim_node *dir, enum apb_obj obj,
			     sim_fill_t fill, void *ctx)
{
	unsigned int i, n;
	const struct apb_attr *t = apb_attrs(obj, &n);

	for (i = 0; i < n; i++)
		if (apb_attr_present(s->bus, obj, &t[i], dir->apid, dir->apqi) &&
		    fill(ctx, t[i].name))
			return 1;
	return 0;
}

static bool sim_lower_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* "cardXX", two lowercase hex digits. */
static bool sim_card_name(const char *name, unsigned int *apid)
{
	if (strlen(name) != 6 || strncmp(name, "card", 4) || !sim_lower_hex(name + 4, 2))
		return false;
	*apid = (unsigned int)strtoul(name + 4, NULL, 16);
	return true;
}

/* "XX.YYYY", lowercase hex. */
static bool sim_queue_name(const char *name, unsigned int *apid, unsigned int *apqi)
{
	if (strlen(name) != 7 || name[2] != '.' || !sim_lower_hex(name, 2) ||
	    !sim_lower_hex(name + 3, 4))
		return false;
	return !aptxt_parse_apqn(name, apid, apqi);
}

/* A lowercase UUID that names an mdev: its identity into @c. */
static bool sim_mdev_name(struct sim *s, const char *name, struct sim_node *c, bool *live)
{
	char canon[APTXT_UUID_LEN + 1];

	if (aptxt_parse_uuid(name, c->uuid))
		return false;
	aptxt_format_uuid(c->uuid, canon);
	if (strcmp(canon, name))
		return false;
	return sim_mdev_peek(s, c->uuid, &c->serial, live);
}

/*
 * Cards carry the zcrypt attributes ("online", ...) exactly while bound to
 * cex4card; the bus model has no other public query for a card's driver.
 */
static bool sim_card_bound(struct sim *s, unsigned int apid)
{
	return apb_card_bound(s->bus, apid);
}

/* ---- dynamic directories ------------------------------------------------- */

struct sim_dir_class {
	int (*lookup)(struct sim *s, const struct sim_node *dir, const char *name,
		      struct sim_node *out);
	int (*list)(struct sim *s, const struct sim_node *dir, sim_fill_t fill, void *ctx);
};

static int bus_ap_lookup(struct sim *s, const struct sim_node *dir, const char *name,
			 struct sim_node *out)
{
	return sim_apb_attr_lookup(s, dir, SF_BUS_ATTR, name, out);
}

static int bus_ap_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill, void *ctx)
{
	sim_apb_attr_list(s, dir, APB_OBJ_BUS, fill, ctx);
	return 0;
}

static bool sim_queue_exists(struct sim *s, unsigned int apid, unsigned int apqi,
			     enum apb_drv *drv)
{
	bool exists;
	enum apb_drv d = apb_queue_driver(s->bus, apid, apqi, &exists);

	if (drv)
		*drv = d;
	return exists;
}

/* Walk the AP devices: @fn(card, apid, apqi) with apqi = -1 for the card. */
static int sim_for_each_apdev(struct sim *s, int (*fn)(struct sim *s, unsigned int apid, int apqi,
						       void *arg), void *arg)
{
	unsigned int apid, apqi;
	int rc;

	for (apid = 0; apid < APBM_BITS; apid++) {
		if (!apb_card_exists(s->bus, apid))
			continue;
		rc = fn(s, apid, -1, arg);
		for (apqi = 0; !rc && apqi < APBM_BITS; apqi++)
			if (sim_queue_exists(s, apid, apqi, NULL))
				rc = fn(s, apid, (int)apqi, arg);
		if (rc)
			return rc;
	}
	return 0;
}

struct sim_apdev_fill {
	sim_fill_t fill;
	void *ctx;
	bool cards, queues;
	enum apb_drv drv;	/* APB_DRV_NONE: any */
};

static int sim_apdev_fill_one(struct sim *s, unsigned int apid, int apqi, void *arg)
{
	struct sim_apdev_fill *f = arg;
	enum apb_drv drv = APB_DRV_NONE;
	char name[16];

	if (apqi < 0) {
		if (!f->cards || (f->drv != APB_DRV_NONE && !sim_card_bound(s, apid)))
			return 0;
		snprintf(name, sizeof(name), "card%02x", apid);
		return f->fill(f->ctx, name);
	}
	if (!f->queues)
		return 0;
	if (f->drv != APB_DRV_NONE && (!sim_queue_exists(s, apid, (unsigned int)apqi, &drv) ||
				       drv != f->drv))
		return 0;
	aptxt_format_apqn(apid, (unsigned int)apqi, name);
	return f->fill(f->ctx, name);
}

/* bus/ap/devices/<dev> and bus/ap/drivers/<drv>/<dev>: links to devices/ap. */
static int sim_apdev_link(struct sim *s, const struct sim_node *dir, const char *name,
			  struct sim_node *out, const char *up, enum apb_drv want)
{
	unsigned int apid, apqi;
	enum apb_drv drv;

	if (sim_card_name(name, &apid)) {
		if (!apb_card_exists(s->bus, apid) ||
		    (want != APB_DRV_NONE && (want != APB_DRV_CEX4CARD || !sim_card_bound(s, apid))))
			return -ENOENT;
		sim_link(dir, out, "%sdevices/ap/card%02x", up, apid);
		return 0;
	}
	if (!sim_queue_name(name, &apid, &apqi) || !sim_queue_exists(s, apid, apqi, &drv) ||
	    (want != APB_DRV_NONE && drv != want))
		return -ENOENT;
	sim_link(dir, out, "%sdevices/ap/card%02x/%s", up, apid, name);
	return 0;
}

static int ap_devices_lookup(struct sim *s, const struct sim_node *dir, const char *name,
			     struct sim_node *out)
{
	return sim_apdev_link(s, dir, name, out, "../../../", APB_DRV_NONE);
}

static int ap_devices_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill, void *ctx)
{
	struct sim_apdev_fill f = { fill, ctx, true, true, APB_DRV_NONE };

	sim_for_each_apdev(s, sim_apdev_fill_one, &f);
	return 0;
}

static int ap_driver_lookup(struct sim *s, const struct sim_node *dir, const char *name,
			    struct sim_node *out)
{
	return sim_apdev_link(s, dir, name, out, "../../../../", dir->drv);
}

static int ap_driver_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill, void *ctx)
{
	bool card = dir->drv == APB_DRV_CEX4CARD;
	struct sim_apdev_fill f = { fill, ctx, card, !card, dir->drv };

	sim_for_each_apdev(s, sim_apdev_fill_one, &f);
	return 0;
}

static int devices_ap_lookup(struct sim *s, const struct sim_node *dir, const char *name,
			     struct sim_node *out)
{
	unsigned int apid;

	if (!sim_card_name(name, &apid) || !apb_card_exists(s->bus, apid))
		return -ENOENT;
	sim_child(dir, out, SIM_NDIR, SD_CARD, 0755);
	out->apid = apid;
	return 0;
}

static int devices_ap_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill, void *ctx)
{
	struct sim_apdev_fill f = { fill, ctx, true, false, APB_DRV_NONE };

	sim_for_each_apdev(s, sim_apdev_fill_one, &f);
	return 0;
}

static int card_lookup(struct sim *s, const struct sim_node *dir, const char *name,
		       struct sim_node *out)
{
	unsigned int apid, apqi;

	if (!sim_apb_attr_lookup(s, dir, SF_CARD_ATTR, name, out))
		return 0;
	if (!strcmp(name, "driver") && sim_card_bound(s, dir->apid)) {
		sim_link(dir, out, "../../../bus/ap/drivers/cex4card");
		return 0;
	}
	if (!sim_queue_name(name, &apid, &apqi) || apid != dir->apid ||
	    !sim_queue_exists(s, apid, apqi, NULL))
		return -ENOENT;
	sim_child(dir, out, SIM_NDIR, SD_QUEUE, 0755);
	out->apqi = apqi;
	return 0;
}

static int card_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill, void *ctx)
{
	unsigned int apqi;
	char qname[8];

	if (sim_apb_attr_list(s, dir, APB_OBJ_CARD, fill, ctx))
		return 0;
	if (sim_card_bound(s, dir->apid) && fill(ctx, "driver"))
		return 0;
	for (apqi = 0; apqi < APBM_BITS; apqi++) {
		if (!sim_queue_exists(s, dir->apid, apqi, NULL))
			continue;
		aptxt_format_apqn(dir->apid, apqi, qname);
		if (fill(ctx, qname))
			return 0;
	}
	return 0;
}

static int queue_lookup(struct sim *s, const struct sim_node *dir, const char *name,
			struct sim_node *out)
{
	enum apb_drv drv;

	if (!sim_apb_attr_lookup(s, dir, SF_QUEUE_ATTR, name, out))
		return 0;
	if (strcmp(name, "driver") || !sim_queue_exists(s, dir->apid, dir->apqi, &drv) ||
	    drv == APB_DRV_NONE)
		return -ENOENT;
	sim_link(dir, out, "../../../../bus/ap/drivers/%s", apb_drv_name(drv));
	return 0;
}

static int queue_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill, void *ctx)
{
	enum apb_drv drv;

	if (sim_apb_attr_list(s, dir, APB_OBJ_QUEUE, fill, ctx))
		return 0;
	if (sim_queue_exists(s, dir->apid, dir->apqi, &drv) && drv != APB_DRV_NONE)
		fill(ctx, "driver");
	return 0;
}

static int sim_fill_mdevs(struct sim *s, bool live_only, sim_fill_t fill, void *ctx)
{
	size_t i, n;
	char (*names)[APTXT_UUID_LEN + 1] = sim_mdev_names(s, live_only, &n);

	if (!names)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (fill(ctx, names[i]))
			break;
	free(names);
	return 0;
}

static int sim_live_mdev_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill,
			      void *ctx)
{
	return sim_fill_mdevs(s, true, fill, ctx);
}

/* A link to a live mdev: "<up>devices/vfio_ap/matrix/<uuid>" or a type link. */
static int sim_mdev_link(struct sim *s, const struct sim_node *dir, const char *name,
			 struct sim_node *out, const char *up)
{
	bool live;

	sim_child(dir, out, SIM_NLINK, 0, 0777);
	if (!sim_mdev_name(s, name, out, &live) || !live)
		return -ENOENT;
	snprintf(out->target, sizeof(out->target), "%s%s", up, name);
	return 0;
}

static int mdev_devices_lookup(struct sim *s, const struct sim_node *dir, const char *name,
			       struct sim_node *out)
{
	return sim_mdev_link(s, dir, name, out, "../../../devices/vfio_ap/matrix/");
}

static int mdev_driver_lookup(struct sim *s, const struct sim_node *dir, const char *name,
			      struct sim_node *out)
{
	return sim_mdev_link(s, dir, name, out, "../../../../devices/vfio_ap/matrix/");
}

static int type_devices_lookup(struct sim *s, const struct sim_node *dir, const char *name,
			       struct sim_node *out)
{
	return sim_mdev_link(s, dir, name, out, "../../../");
}

static int matrix_lookup(struct sim *s, const struct sim_node *dir, const char *name,
			 struct sim_node *out)
{
	bool live;

	sim_child(dir, out, SIM_NDIR, SD_MDEV, 0755);
	return sim_mdev_name(s, name, out, &live) ? 0 : -ENOENT;
}

static int matrix_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill, void *ctx)
{
	return sim_fill_mdevs(s, false, fill, ctx);
}

static bool sim_mdev_live(struct sim *s, const struct sim_node *dir)
{
	u64 serial;
	bool live;

	return sim_mdev_peek(s, dir->uuid, &serial, &live) && live && serial == dir->serial;
}

static int sim_mdev_group_link(struct sim *s, const struct sim_node *dir, struct sim_node *out)
{
	unsigned int group;

	if (!sim_mdev_group_of(s, dir->uuid, &group))
		return -ENOENT;
	sim_link(dir, out, "../../../../kernel/iommu_groups/%u", group);
	return 0;
}

/* ---- kernel/iommu_groups ------------------------------------------------- */

static int iommu_groups_lookup(struct sim *s, const struct sim_node *dir, const char *name,
			       struct sim_node *out)
{
	char uuid[APTXT_UUID_LEN + 1], canon[16];
	unsigned int group;

	if (sim_parse_id(name, UINT32_MAX, &group))
		return -ENOENT;
	snprintf(canon, sizeof(canon), "%u", group);
	if (strcmp(name, canon) || !sim_mdev_in_group(s, group, uuid))
		return -ENOENT;
	sim_child(dir, out, SIM_NDIR, SD_IOMMU_GROUP, 0755);
	out->group = group;
	return 0;
}

static int iommu_groups_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill,
			     void *ctx)
{
	size_t i, n;
	unsigned int *groups = sim_mdev_groups(s, &n);
	char name[16];

	if (!groups)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%u", groups[i]);
		if (fill(ctx, name))
			break;
	}
	free(groups);
	return 0;
}

static int iommu_group_devices_lookup(struct sim *s, const struct sim_node *dir,
				      const char *name, struct sim_node *out)
{
	char uuid[APTXT_UUID_LEN + 1];

	if (!sim_mdev_in_group(s, dir->group, uuid) || strcmp(uuid, name))
		return -ENOENT;
	sim_link(dir, out, "../../../../devices/vfio_ap/matrix/%s", uuid);
	return 0;
}

static int iommu_group_devices_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill,
				    void *ctx)
{
	char uuid[APTXT_UUID_LEN + 1];

	if (sim_mdev_in_group(s, dir->group, uuid))
		fill(ctx, uuid);
	return 0;
}

static bool sim_mdev_attr_visible(struct sim *s, const struct vap_mdev_attr *a)
{
	return !a->is_visible || a->is_visible(s->md);
}

/* vfio_ap's attribute group, then the mdev core's "remove" and links. */
static int mdev_lookup(struct sim *s, const struct sim_node *dir, const char *name,
		       struct sim_node *out)
{
	const struct vap_mdev_attr *a = vap_mdev_attr_find(name);

	if (!sim_mdev_live(s, dir))
		return -ENOENT;
	if (a && sim_mdev_attr_visible(s, a)) {
		sim_attr(dir, out, SF_MDEV_ATTR, a->mode);
		out->mattr = a;
		return 0;
	}
	if (!strcmp(name, "remove"))
		sim_attr(dir, out, SF_MDEV_REMOVE, 0200);
	else if (!strcmp(name, "uevent"))
		sim_attr(dir, out, SF_MDEV_UEVENT, 0644);
	else if (!strcmp(name, "power"))
		sim_child(dir, out, SIM_NDIR, SD_MDEV_POWER, 0755);
	else if (!strcmp(name, "subsystem"))
		sim_link(dir, out, "../../../../bus/mdev");
	else if (!strcmp(name, "iommu_group"))
		return sim_mdev_group_link(s, dir, out);
	else if (!strcmp(name, "mdev_type"))
		sim_link(dir, out, "../mdev_supported_types/" SIM_TYPE_DIR);
	else if (!strcmp(name, "driver"))
		sim_link(dir, out, "../../../../bus/mdev/drivers/vfio_ap_mdev");
	else
		return -ENOENT;
	return 0;
}

static int mdev_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill, void *ctx)
{
	/* the mdev core's and the driver core's entries */
	static const char *const core_files[] = {
		"remove", "uevent", "power", "mdev_type", "driver", "subsystem", "iommu_group",
	};
	unsigned int i;

	if (!sim_mdev_live(s, dir))
		return 0;
	for (i = 0; i < vap_nr_mdev_attrs; i++)
		if (sim_mdev_attr_visible(s, &vap_mdev_attrs[i]) && fill(ctx, vap_mdev_attrs[i].name))
			return 0;
	for (i = 0; i < ARRAY_SIZE(core_files); i++)
		if (fill(ctx, core_files[i]))
			return 0;
	return 0;
}

/* ---- /sys/class/zcrypt and its device nodes ---------------------------------- */

static int sim_fill_zcdns(struct sim *s, sim_fill_t fill, void *ctx)
{
	char name[APB_ZCDN_NAME_MAX];
	unsigned int minor;

	for (minor = 0; minor < APB_ZCDN_MAX; minor++)
		if (apb_zcdn_name(s->bus, minor, name) && fill(ctx, name))
			return 1;
	return 0;
}

static int class_zcrypt_lookup(struct sim *s, const struct sim_node *dir, const char *name,
			       struct sim_node *out)
{
	if (!sim_apb_attr_lookup(s, dir, SF_ZCRYPT_ATTR, name, out))
		return 0;
	if (apb_zcdn_find(s->bus, name) < 0)
		return -ENOENT;
	sim_link(dir, out, "../../devices/virtual/zcrypt/%s", name);
	return 0;
}

static int class_zcrypt_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill,
			     void *ctx)
{
	if (!sim_apb_attr_list(s, dir, APB_OBJ_ZCRYPT, fill, ctx))
		sim_fill_zcdns(s, fill, ctx);
	return 0;
}

static int virtual_zcrypt_lookup(struct sim *s, const struct sim_node *dir, const char *name,
				 struct sim_node *out)
{
	int minor = apb_zcdn_find(s->bus, name);

	if (minor < 0)
		return -ENOENT;
	sim_child(dir, out, SIM_NDIR, SD_ZCDN, 0755);
	out->apid = (unsigned int)minor;
	return 0;
}

static int virtual_zcrypt_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill,
			       void *ctx)
{
	sim_fill_zcdns(s, fill, ctx);
	return 0;
}

static int zcdn_lookup(struct sim *s, const struct sim_node *dir, const char *name,
		       struct sim_node *out)
{
	char node[APB_ZCDN_NAME_MAX];

	if (!sim_apb_attr_lookup(s, dir, SF_ZCDN_ATTR, name, out))
		return 0;
	if (strcmp(name, "subsystem") || !apb_zcdn_name(s->bus, dir->apid, node))
		return -ENOENT;
	sim_link(dir, out, "../../../../class/zcrypt");
	return 0;
}

static int zcdn_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill, void *ctx)
{
	if (!sim_apb_attr_list(s, dir, APB_OBJ_ZCDN, fill, ctx))
		fill(ctx, "subsystem");
	return 0;
}

static const struct sim_dir_class sim_dir_classes[SD_COUNT] = {
	[SD_BUS_AP] = { bus_ap_lookup, bus_ap_list },
	[SD_AP_DEVICES] = { ap_devices_lookup, ap_devices_list },
	[SD_AP_DRIVER] = { ap_driver_lookup, ap_driver_list },
	[SD_MDEV_DEVICES] = { mdev_devices_lookup, sim_live_mdev_list },
	[SD_MDEV_DRIVER] = { mdev_driver_lookup, sim_live_mdev_list },
	[SD_DEVICES_AP] = { devices_ap_lookup, devices_ap_list },
	[SD_CARD] = { card_lookup, card_list },
	[SD_QUEUE] = { queue_lookup, queue_list },
	[SD_MATRIX] = { matrix_lookup, matrix_list },
	[SD_TYPE_DEVICES] = { type_devices_lookup, sim_live_mdev_list },
	[SD_MDEV] = { mdev_lookup, mdev_list },
	[SD_IOMMU_GROUPS] = { iommu_groups_lookup, iommu_groups_list },
	[SD_IOMMU_GROUP_DEVICES] = { iommu_group_devices_lookup, iommu_group_devices_list },
	[SD_CLASS_ZCRYPT] = { class_zcrypt_lookup, class_zcrypt_list },
	[SD_VIRTUAL_ZCRYPT] = { virtual_zcrypt_lookup, virtual_zcrypt_list },
	[SD_ZCDN] = { zcdn_lookup, zcdn_list },
};

/* ---- resolution and listing ---------------------------------------------- */

int sim_lookup(struct sim *s, const struct sim_node *dir, const char *name,
	       struct sim_node *out)
{
	const struct sim_entry *e;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sim_fixed); i++) {
		e = &sim_fixed[i];
		if ((int)e->parent != dir->kind || strcmp(e->name, name) ||
		    (e->visible && !e->visible(s)))
			continue;
		sim_child(dir, out, e->type, e->kind, e->mode);
		if (e->target)
			snprintf(out->target, sizeof(out->target), "%s", e->target);
		if (e->drv != APB_DRV_NONE)
			out->drv = e->drv;
		return 0;
	}
	if (!sim_dir_classes[dir->kind].lookup)
		return -ENOENT;
	return sim_dir_classes[dir->kind].lookup(s, dir, name, out);
}

int sim_resolve(struct sim *s, const char *path, struct sim_node *out)
{
	struct sim_node cur = { .type = SIM_NDIR, .kind = SD_ROOT, .mode = 0755 }, next;
	char comp[NAME_MAX + 1];
	size_t len;
	int rc;

	for (;;) {
		while (*path == '/')
			path++;
		if (!*path)
			break;
		len = strcspn(path, "/");
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		if (cur.type != SIM_NDIR)
			return -ENOTDIR;
		memcpy(comp, path, len);
		comp[len] = '\0';
		rc = sim_lookup(s, &cur, comp, &next);
		if (rc)
			return rc;
		cur = next;
		path += len;
	}
	*out = cur;
	return 0;
}

int sim_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill, void *ctx)
{
	size_t i;

	if (dir->type != SIM_NDIR)
		return -ENOTDIR;
	for (i = 0; i < ARRAY_SIZE(sim_fixed); i++)
		if ((int)sim_fixed[i].parent == dir->kind &&
		    (!sim_fixed[i].visible || sim_fixed[i].visible(s)) && fill(ctx, sim_fixed[i].name))
			return 0;
	if (!sim_dir_classes[dir->kind].list)
		return 0;
	return sim_dir_classes[dir->kind].list(s, dir, fill, ctx);
}

/* ---- show and store ------------------------------------------------------ */

/* A device vanished between lookup and I/O: kernfs answers ENODEV. */
static long sim_gone(long rc)
{
	return rc == -ENOENT ? -ENODEV : rc;
}

static int sim_mdev_show(struct sim *s, const struct sim_node *n, char *page)
{
	struct sim_mdev *sm = sim_mdev_get(s, n->uuid, n->serial, false);
	int rc;

	if (!sm)
		return -ENODEV;
	rc = n->mattr->show(s->md, sm->m, page);
	sim_mdev_put(s, sm);
	return rc;
}

/* A bus, card or queue attribute through the model's table row. */
static int sim_apb_show(struct sim *s, const struct sim_node *n, char *page)
{
	enum apb_obj obj = sim_obj_of_kind[n->kind];

	return apb_attr_show(s->bus, obj, n->battr, n->apid, n->apqi, page);
}

static long sim_apb_store(struct sim *s, const struct sim_node *n, const char *buf,
			  size_t count)
{
	enum apb_obj obj = sim_obj_of_kind[n->kind];

	return apb_attr_store(s->bus, obj, n->battr, n->apid, n->apqi, buf, count);
}

int sim_node_show(struct sim *s, const struct sim_node *n, char *page)
{
	if (n->type != SIM_NFILE)
		return -EISDIR;
	switch (n->kind) {
	case SF_BUS_ATTR:
	case SF_ZCRYPT_ATTR:
		return sim_apb_show(s, n, page);
	case SF_CARD_ATTR:
	case SF_QUEUE_ATTR:
	case SF_ZCDN_ATTR:
		return (int)sim_gone(sim_apb_show(s, n, page));
	case SF_FEATURES:
		return vap_features_show(s->md, page);
	case SF_TYPE_NAME:
		return snprintf(page, APC_PAGE_SIZE, "VFIO AP Passthrough Device\n");
	case SF_TYPE_API:
		return snprintf(page, APC_PAGE_SIZE, "vfio-ap\n");
	case SF_TYPE_AVAIL:
		return mdevc_available_instances_show(&s->mdevc, page);
	case SF_MDEV_ATTR:
		if (n->mattr->show)
			return sim_mdev_show(s, n, page);
		break;
	case SF_MDEV_UEVENT:	/* dev_uevent(), then the mdev bus's uevent */
		return snprintf(page, APC_PAGE_SIZE,
				"DRIVER=vfio_ap_mdev\nMDEV_TYPE=" SIM_TYPE_DIR "\n");
	case SF_IOMMU_NAME:
		return snprintf(page, APC_PAGE_SIZE, "vfio-noiommu\n");
	case SF_IOMMU_RESV:
		return 0;
	}
	return -EIO;	/* dev_attr_show() without a show method */
}

/*
 * Writing "uevent" asks for a synthetic event (kobject_synth_uevent()): an
 * action name, optionally followed by more words; anything else is EINVAL.
 */
static long sim_synth_uevent(struct sim *s, const struct sim_node *n, const char *buf,
			     size_t count)
{
	static const char *const actions[] = {
		"add", "remove", "change", "move", "online", "offline", "bind", "unbind",
	};
	char uuid[APTXT_UUID_LEN + 1], line[128];
	size_t len = strcspn(buf, " \n"), i;

	for (i = 0; i < ARRAY_SIZE(actions); i++) {
		if (len != strlen(actions[i]) || strncmp(buf, actions[i], len))
			continue;
		aptxt_format_uuid(n->uuid, uuid);
		snprintf(line, sizeof(line), "devices/vfio_ap/matrix/%s ACTION=%s", uuid,
			 actions[i]);
		sim_lines_add(&s->uevents, line);
		return (long)count;
	}
	return -EINVAL;
}

/* mdev core create: the core's device and the engine's probe, then the files. */
static long sim_create_store(struct sim *s, const char *buf, size_t count)
{
	struct mdevc_dev *dev;
	int rc = mdevc_create(&s->mdevc, buf, count, &dev);

	if (rc)
		return rc;
	rc = sim_mdev_add(s, dev);
	if (rc) {
		mdevc_remove(&s->mdevc, dev);
		return rc;
	}
	return (long)count;
}

static long sim_mdev_store(struct sim *s, const struct sim_node *n, const char *buf,
			   size_t count)
{
	struct sim_mdev *sm = sim_mdev_get(s, n->uuid, n->serial, false);
	long rc;

	if (!sm)
		return -ENODEV;
	if (n->kind == SF_MDEV_REMOVE)
		return sim_mdev_remove(s, sm, buf, count);	/* consumes the reference */
	rc = n->mattr->store(s->md, sm->m, buf, count);
	sim_mdev_put(s, sm);
	return rc;
}

long sim_node_store(struct sim *s, const struct sim_node *n, const char *buf, size_t count)
{
	if (n->type != SIM_NFILE)
		return -EISDIR;
	switch (n->kind) {
	case SF_BUS_ATTR:
	case SF_ZCRYPT_ATTR:
		return sim_apb_store(s, n, buf, count);
	case SF_CARD_ATTR:
	case SF_QUEUE_ATTR:
	case SF_ZCDN_ATTR:
		return sim_gone(sim_apb_store(s, n, buf, count));
	case SF_BIND:
		return apb_bind_store(s->bus, n->drv, buf, count);
	case SF_UNBIND:
		return apb_unbind_store(s->bus, n->drv, buf, count);
	case SF_TYPE_CREATE:
		return sim_create_store(s, buf, count);
	case SF_MDEV_REMOVE:
		return sim_mdev_store(s, n, buf, count);
	case SF_MDEV_UEVENT:
		return sim_synth_uevent(s, n, buf, count);
	case SF_MDEV_ATTR:
		if (n->mattr->store)
			return sim_mdev_store(s, n, buf, count);
		break;
	}
	return -EIO;	/* dev_attr_store() without a store method */
}
