/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ap_bus_model.h - a simulated s390 AP bus and the machine behind it.
 *
 * Used where there is no real AP bus: sim/apsim, the tests and (later)
 * kernel/ap_sim on x86.  It follows docs/kernel-abi.md §3 as the kernel of
 * its profile (kernel/common/ap_profile.h) does.
 *
 * Two layers (ap_hw.c and ap_bus.c, the attributes in ap_bus_attrs.c):
 *  - the *machine*: what QCI would report now, adapter types and
 *    functions, card configure state, checkstop, one-shot reset response
 *    codes.  Changed by apb_hw_*(); invisible to the bus until a scan.
 *  - the *bus*: the QCI it last fetched, apmask/aqmask, card and queue
 *    devices, their drivers (cex4queue = DEFAULT, and the one registered
 *    AP driver: vfio_ap), scans, the bus attributes.  A registered driver
 *    gets its struct ap_driver_ops calls (kernel/common/ap_bus_if.h) and
 *    calls back through apb_bus_ops; the model never names the driver.
 *
 * Locks (kernel/common/lock_ranks.h): dev_lock (APC_RANK_BUS_DEV) ->
 * ap_attr_mutex (APC_RANK_AP_ATTR) -> [driver locks] -> hw_lock
 * (APC_RANK_BUS_HW).  dev_lock is held while the bus calls the driver's
 * probe/remove and the config callbacks; ap_attr_mutex is never held
 * across device changes.
 */
#ifndef APVIRT_AP_MODEL_AP_BUS_MODEL_H
#define APVIRT_AP_MODEL_AP_BUS_MODEL_H

#include "ap_hw.h"
#include "ap_bus_if.h"
#include "ap_profile.h"

enum apb_drv { APB_DRV_NONE, APB_DRV_CEX4QUEUE, APB_DRV_VFIO_AP, APB_DRV_CEX4CARD };

enum apb_dev_event { APB_DEV_ADD, APB_DEV_DEL, APB_DEV_BIND };

/* One adapter of the simulated machine. */
struct apb_adapter_spec {
	u8 raw_type;		/* 0 = no adapter; 10..14 CEX4..CEX8 */
	u32 functions;		/* the mode: APB_FUNC_CCA, _ACCEL or _EP11 */
};

/*
 * ap_functions, TAPQ GR2 bits 0-15 counted from the left.  An adapter spec
 * names only the mode; the machine adds the rest (apb_hw_view_fac()).
 */
#define APB_FUNC_APSC		0x80000000u	/* special command bit */
#define APB_FUNC_MEX4K		0x40000000u	/* RSA ME up to 4K */
#define APB_FUNC_CRT4K		0x20000000u	/* RSA CRT up to 4K */
#define APB_FUNC_CCA		0x10000000u	/* CCA coprocessor */
#define APB_FUNC_ACCEL		0x08000000u	/* accelerator */
#define APB_FUNC_EP11		0x04000000u	/* EP11 coprocessor */
#define APB_FUNC_APXA		0x02000000u	/* 256 APs and domains */
#define APB_FUNC_CLASS_FULL	0x00800000u	/* class: full function set */
#define APB_FUNC_MODES		(APB_FUNC_CCA | APB_FUNC_ACCEL | APB_FUNC_EP11)

/*
 * The master key registers zcrypt's mkvps shows: CCA's AES, APKA and ASYM
 * (new, current, old) and EP11's wrapping key (current, new).
 */
enum apb_mk_reg {
	APB_MK_AES_NEW, APB_MK_AES_CUR, APB_MK_AES_OLD,
	APB_MK_APKA_NEW, APB_MK_APKA_CUR, APB_MK_APKA_OLD,
	APB_MK_ASYM_NEW, APB_MK_ASYM_CUR, APB_MK_ASYM_OLD,
	APB_MK_WK_CUR, APB_MK_WK_NEW,
	APB_MK_NR
};

#define APB_MK_VP_MAX	32	/* WK; AES and APKA 8, ASYM 16 bytes */

struct apb_mk {
	/*
	 * NEW: 0 empty, 1 partial (CCA) / uncommitted (EP11), 2 full /
	 * committed; CUR and OLD: 0 invalid, 1 valid
	 */
	u8 state;
	u8 vp[APB_MK_VP_MAX];	/* verification pattern, shown when set */
};

#define APB_SERIAL_MAX	16	/* EP11; CCA serial numbers have 8 */

/* What a coprocessor's firmware answers zcrypt's queries with. */
struct apb_fw_spec {
	char serial[APB_SERIAL_MAX + 1];	/* "": apsim's default */
	struct apb_mk mk[APB_MK_NR];		/* every queue of the adapter */
};

/* The register named @name ("aes-new" ... "wk-new"), or -1. */
int apb_mk_reg_find(const char *name);
/* The state named @name ("empty", "valid", ...) of @reg, or -1. */
int apb_mk_state_find(enum apb_mk_reg reg, const char *name);
/* Bytes of @reg's verification pattern. */
unsigned int apb_mk_vp_len(enum apb_mk_reg reg);
/* Does @state of @reg show its verification pattern (else zeros or "-")? */
bool apb_mk_shows_vp(enum apb_mk_reg reg, unsigned int state);
/* The mode an adapter needs for @reg: APB_FUNC_CCA or APB_FUNC_EP11. */
u32 apb_mk_mode(enum apb_mk_reg reg);
/* The serial number length of a mode: 8 (CCA), 16 (EP11), 0 (none). */
unsigned int apb_serial_len(u32 mode);

struct apb_host_spec {
	struct ap_qci qci;			/* initial QCI (APXA, Na, Nd, masks) */
	struct apb_adapter_spec adapter[APBM_BITS];
	struct apb_fw_spec fw[APBM_BITS];	/* CCA and EP11 adapters */
	struct apbm apmask, aqmask;		/* initial bus masks */
	const struct ap_profile *profile;	/* NULL: ap_profile_default() */
};

/*
 * What the bus reports to the program it runs in (@env: apsim, a test), not
 * to the simulated s390 host it describes.  May be NULL, and so may each op.
 */
struct apb_ops {
	/*
	 * One KOBJ_CHANGE uevent on @devpath (e.g. "devices/ap").  @vars holds
	 * its variables separated by single spaces, e.g. "CONFIG=0" or
	 * "BINDINGS=complete COMPLETECOUNT=2"; APMASK=/AQMASK= values end
	 * with the newline the kernel puts inside the variable.
	 */
	void (*uevent)(void *env, const char *devpath, const char *vars);
	void (*log)(void *env, const char *line);
	/* A ZAPQ a driver issued ended with @rc (after its verification). */
	void (*reset)(void *env, unsigned int apid, unsigned int apqi, int rc);
	/*
	 * The devices as a kernel holds them (kernel/ap_sim registers a
	 * struct device for each), told under the bus's device lock: card
	 * (@apqi < 0) or queue @apid.@apqi appeared (APB_DEV_ADD), vanished
	 * (APB_DEV_DEL, after its unbind), or now has driver @drv
	 * (APB_DEV_BIND; APB_DRV_NONE: unbound).  A bind to the registered
	 * AP driver is not told: that driver's probe is the event.  The host
	 * must not call back into the bus from here.
	 */
	void (*device)(void *env, enum apb_dev_event ev, unsigned int apid, int apqi,
		       enum apb_drv drv);
};

struct apb_bus;

/* The ap_bus_ops a driver gets together with the bus (its @bus argument). */
extern const struct ap_bus_ops apb_bus_ops;

/*
 * Fill @spec with the default host: CEX8C 0x03-0x06, domains 0-15, APXA
 * Na = Nd = 255, masks all ones.
 */
void apb_default_spec(struct apb_host_spec *spec);

/* Create the bus and run the initial scan (cex4queue binds what it may). */
struct apb_bus *apb_create(const struct apb_host_spec *spec, const struct apb_ops *ops, void *env);
void apb_destroy(struct apb_bus *bus);

/*
 * A byte copy of a quiescent bus (no lock held, nothing running on it), for
 * fuzzers that restart every input from a pristine state: apb_dup() makes
 * one (NULL on -ENOMEM), apb_copy() puts it back over the bus it came from
 * (0, or -ENOMEM with @dst's driver_override names dropped).  Both copy the
 * driver_override names, which the bus allocates.
 */
struct apb_bus *apb_dup(const struct apb_bus *bus);
int apb_copy(struct apb_bus *dst, const struct apb_bus *src);

/*
 * ap_attr_mutex itself, for a host that gives drivers the real API
 * (kernel/ap_sim: ap_bus.h's ap_perms_mutex is this lock).
 */
struct apc_mutex *apb_attr_mutex(struct apb_bus *bus);

/* The QCI the bus currently holds (a driver's module init copy). */
void apb_get_qci(struct apb_bus *bus, struct ap_qci *out);

/*
 * Register / unregister the AP driver (ap_driver_register): probes / removes
 * every queue it may own.  @drv is its private data for every call.
 */
void apb_register_driver(struct apb_bus *bus, const struct ap_driver_ops *ops, void *drv);
void apb_unregister_driver(struct apb_bus *bus);

/* One synchronous bus scan (§3.6). */
void apb_scan(struct apb_bus *bus);

/* ---- machine changes (take effect at the next scan) -------------------- */
/*
 * Add/remove an ID to/from the machine's configuration (QCI). -ENODEV if
 * the ID is above Na/Nd (or 63/15 without APXA).
 */
int apb_hw_set_adapter(struct apb_bus *bus, unsigned int apid, bool configured);
int apb_hw_set_domain(struct apb_bus *bus, unsigned int apqi, bool configured);
int apb_hw_set_control_domain(struct apb_bus *bus, unsigned int id, bool configured);
/* Change an adapter's hardware type/functions (0: none). */
int apb_hw_set_adapter_type(struct apb_bus *bus, unsigned int apid, u8 raw_type, u32 functions);
/* The machine's adapter @apid (type 0: none).  -ENODEV above 255. */
int apb_hw_get_adapter_type(struct apb_bus *bus, unsigned int apid, struct apb_adapter_spec *out);
int apb_hw_set_chkstop(struct apb_bus *bus, unsigned int apid, bool chkstop);
/* The response code the next ZAPQ of this APQN ends with (one shot). */
int apb_hw_inject_reset_rc(struct apb_bus *bus, unsigned int apid, unsigned int apqi, u8 rc);

/* ---- driver bind/unbind (/sys/bus/ap/drivers/<drv>/{bind,unbind}) ------ */
/* @drv: APB_DRV_CEX4CARD, APB_DRV_CEX4QUEUE or APB_DRV_VFIO_AP.
 * @name: "XX.YYYY" or "cardXX", a trailing '\n' is tolerated.
 * bind: -ENODEV (no such device, no match, reservation mismatch),
 * -EBUSY (already bound).  unbind: -ENODEV unless bound to @drv.
 */
long apb_bind_store(struct apb_bus *bus, enum apb_drv drv, const char *buf, size_t count);
long apb_unbind_store(struct apb_bus *bus, enum apb_drv drv, const char *buf, size_t count);

/* ---- attributes: bus (§3.1), card and queue devices (§3.5) -------------- */

/*
 * APB_OBJ_ZCRYPT: /sys/class/zcrypt's own files (create, destroy);
 * APB_OBJ_ZCDN: one zcrypt device node, @apid its minor.
 */
enum apb_obj { APB_OBJ_BUS, APB_OBJ_CARD, APB_OBJ_QUEUE, APB_OBJ_ZCRYPT, APB_OBJ_ZCDN };

/*
 * One row per attribute file, as a DEVICE_ATTR/BUS_ATTR would be.  show
 * and store run with what the row needs locked by apb_attr_show/store
 * (dev_lock for card and queue rows, which also checks the device still
 * exists); is_visible (NULL: always) decides whether the file exists on a
 * device now: the zcrypt attributes while bound to the zcrypt driver (the
 * firmware ones on CCA/EP11 coprocessors only), "status" while bound to
 * the registered driver, "driver_override" from 6.19 on.  @apid/@apqi are
 * ignored for bus and zcrypt class rows; a zcrypt node's row gets its
 * minor as @apid.
 */
struct apb_attr {
	const char *name;
	unsigned short mode;		/* 0444, 0644 or 0200 */
	int (*show)(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf);
	long (*store)(struct apb_bus *bus, unsigned int apid, unsigned int apqi, const char *buf,
		      size_t count);
	bool (*is_visible)(struct apb_bus *bus, unsigned int apid, unsigned int apqi);
};

/* The rows of an object kind, in name order; *n gets their number. */
const struct apb_attr *apb_attrs(enum apb_obj obj, unsigned int *n);
/* The row named @name, or NULL. */
const struct apb_attr *apb_attr_find(enum apb_obj obj, const char *name);
/* Does the file exist on that device now (device exists, row visible)? */
bool apb_attr_present(struct apb_bus *bus, enum apb_obj obj, const struct apb_attr *a,
		      unsigned int apid, unsigned int apqi);
/* chars / count, or -errno: -ENOENT gone, -EIO no show, -EACCES no store. */
int apb_attr_show(struct apb_bus *bus, enum apb_obj obj, const struct apb_attr *a,
		  unsigned int apid, unsigned int apqi, char *buf);
long apb_attr_store(struct apb_bus *bus, enum apb_obj obj, const struct apb_attr *a,
		    unsigned int apid, unsigned int apqi, const char *buf, size_t count);

/* By name, for tests and tools: -ENOENT for an unknown or absent file. */
int apb_bus_attr_show(struct apb_bus *bus, const char *attr, char *buf);
long apb_bus_attr_store(struct apb_bus *bus, const char *attr, const char *buf, size_t count);
int apb_card_attr_show(struct apb_bus *bus, unsigned int apid, const char *attr, char *buf);
long apb_card_attr_store(struct apb_bus *bus, unsigned int apid, const char *attr,
			 const char *buf, size_t count);
int apb_queue_attr_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			const char *attr, char *buf);
long apb_queue_attr_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			  const char *attr, const char *buf, size_t count);

/* ---- zcrypt device nodes (/sys/class/zcrypt) ----------------------------- */
#define APB_ZCDN_MAX		256	/* ZCRYPT_MAX_MINOR_NODES */
#define APB_ZCDN_NAME_MAX	32	/* ZCDN_MAX_NAME, NUL included */

/* Node @minor's name into @name (APB_ZCDN_NAME_MAX bytes); false: none. */
bool apb_zcdn_name(struct apb_bus *bus, unsigned int minor, char *name);
/* The minor of the node named @name, or -ENOENT. */
int apb_zcdn_find(struct apb_bus *bus, const char *name);

/* ---- snapshot queries for hosts (take the lock they need) --------------- */
bool apb_card_exists(struct apb_bus *bus, unsigned int apid);
bool apb_card_bound(struct apb_bus *bus, unsigned int apid);	/* to cex4card */
enum apb_drv apb_queue_driver(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			      bool *exists);
const char *apb_drv_name(enum apb_drv drv);
void apb_get_masks(struct apb_bus *bus, struct apbm *apmask, struct apbm *aqmask);
/* The kernel the bus behaves like (fixed at creation). */
const struct ap_profile *apb_profile(struct apb_bus *bus);
/* Queues with a driver_override set. */
unsigned int apb_nr_overrides(struct apb_bus *bus);

#endif /* APVIRT_AP_MODEL_AP_BUS_MODEL_H */
