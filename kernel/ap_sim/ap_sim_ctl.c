// SPDX-License-Identifier: GPL-2.0
/*
 * ap_sim_ctl.c - /sys/kernel/debug/ap_sim/ctl: what hardware, KVM and
 * QEMU would do to the host, in apsim's vocabulary (docs/apsim.1), so
 * that "apsim ctl --root /" drives the test VM as it drives apsim.
 *
 * One write is one command.  Its answer is read back on the same open
 * file, from the write's end on: on success the command's output (empty
 * for a change), on failure one line "error: <what>: <strerror text>"
 * and the write itself fails with that errno.  Commands run one at a
 * time (ctl_mutex, the first lock of docs/locking.md's order).
 *
 *   config add-adapter ID [type=T] [mode=M] [--no-scan]
 *   config remove-adapter|add-domain|remove-domain ID [--no-scan]
 *   config add-control-domain|remove-control-domain ID [--no-scan]
 *   scan | chkstop ID on|off | reset-rc APQN RC
 *   attach UUID --vm NAME [--no-crycb] | attach UUID --no-kvm | detach UUID
 *   irq UUID INDEX set|clear | crycb --vm NAME [--json] | vm-remove NAME
 *   vfio-vm UUID --vm NAME [--no-crycb] | vfio-vm UUID --none
 *   log [--clear] | uevents [--clear] | status [--json] | help
 *
 * apsim's "fail" (FUSE fault injection) has no kernel counterpart: it
 * answers EOPNOTSUPP.
 */
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ap_sim.h"
#include "ap_text.h"

#define CTL_MAX_WORDS	32
#define CTL_OUT_MAX	(AP_SIM_LINES_MAX * AP_SIM_LINE_MAX + 1)
#define CTL_CONFIG_USAGE \
	"config add-adapter ID [type=T] [mode=M] | remove-adapter ID | add-domain ID | remove-domain ID | add-control-domain ID | remove-control-domain ID  [--no-scan]"

/* One command's words and its answer. */
struct ctl {
	int argc;
	char **argv;
	char *out;		/* kvmalloc'd, CTL_OUT_MAX */
	size_t len;
};

static __printf(2, 3) void ctl_printf(struct ctl *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	c->len += vscnprintf(c->out + c->len, CTL_OUT_MAX - c->len, fmt, ap);
	va_end(ap);
}

/* ---- errors: the C library's text, as apsim prints it ------------------------ */

static const struct {
	int err;
	const char *text;
} ctl_errnos[] = {
	{ EPERM, "Operation not permitted" },
	{ ENOENT, "No such file or directory" },
	{ EIO, "Input/output error" },
	{ ENXIO, "No such device or address" },
	{ E2BIG, "Argument list too long" },
	{ EAGAIN, "Resource temporarily unavailable" },
	{ ENOMEM, "Cannot allocate memory" },
	{ EACCES, "Permission denied" },
	{ EFAULT, "Bad address" },
	{ EBUSY, "Device or resource busy" },
	{ EEXIST, "File exists" },
	{ ENODEV, "No such device" },
	{ EINVAL, "Invalid argument" },
	{ ENOSPC, "No space left on device" },
	{ ERANGE, "Numerical result out of range" },
	{ EOPNOTSUPP, "Operation not supported" },
	{ EADDRINUSE, "Address already in use" },
	{ EADDRNOTAVAIL, "Cannot assign requested address" },
	{ ETIMEDOUT, "Connection timed out" },
	{ EUSERS, "Too many users" },
};

static __printf(3, 4) int ctl_fail(struct ctl *c, int err, const char *fmt, ...)
{
	va_list ap;
	size_t i;

	c->len = 0;
	ctl_printf(c, "error: ");
	va_start(ap, fmt);
	c->len += vscnprintf(c->out + c->len, CTL_OUT_MAX - c->len, fmt, ap);
	va_end(ap);
	for (i = 0; i < ARRAY_SIZE(ctl_errnos); i++)
		if (ctl_errnos[i].err == err)
			break;
	if (i < ARRAY_SIZE(ctl_errnos))
		ctl_printf(c, ": %s\n", ctl_errnos[i].text);
	else
		ctl_printf(c, ": errno %d\n", err);
	return -err;
}

static int ctl_usage(struct ctl *c, const char *usage)
{
	return ctl_fail(c, EINVAL, "usage: %s", usage);
}

/* ---- words ------------------------------------------------------------------- */

/* A number as strtoul(s, &end, 0) with nothing after it, at most @max. */
static int ctl_parse_id(const char *s, unsigned int max, unsigned int *out)
{
	unsigned int v;

	if (!s || !isdigit(s[0]) || kstrtouint(s, 0, &v) || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static bool ctl_flag(struct ctl *c, int from, const char *flag)
{
	int i;

	for (i = from; i < c->argc; i++)
		if (!strcmp(c->argv[i], flag))
			return true;
	return false;
}

static const char *ctl_opt(struct ctl *c, int from, const char *opt)
{
	int i;

	for (i = from; i + 1 < c->argc; i++)
		if (!strcmp(c->argv[i], opt))
			return c->argv[i + 1];
	return NULL;
}

#define CTL_MAX_KNOWN	8

/*
 * Every word from @from on is one of @known (an option taking a value
 * ends in '='), each at most once; else the usage or "option X given
 * twice" (a repeated option never silently wins).
 */
static int ctl_only(struct ctl *c, int from, const char *const *known, const char *usage)
{
	bool seen[CTL_MAX_KNOWN] = { false };
	size_t n, k;
	int i;

	for (i = from; i < c->argc; i++) {
		for (k = 0; k < CTL_MAX_KNOWN && known[k]; k++) {
			n = strlen(known[k]);
			if (known[k][n - 1] == '=' && !strncmp(c->argv[i], known[k], n - 1) &&
			    !c->argv[i][n - 1] && i + 1 < c->argc)
				break;
			if (!strcmp(c->argv[i], known[k]))
				break;
		}
		if (k == CTL_MAX_KNOWN || !known[k])
			return ctl_usage(c, usage);
		n = strlen(known[k]);
		if (seen[k])
			return ctl_fail(c, EINVAL, "option %.*s given twice",
					(int)(known[k][n - 1] == '=' ? n - 1 : n), known[k]);
		seen[k] = true;
		if (known[k][n - 1] == '=')
			i++;
	}
	return 0;
}

static int ctl_uuid(struct ctl *c, const char *word, guid_t *uuid)
{
	if (!word || strlen(word) != UUID_STRING_LEN || guid_parse(word, uuid))
		return ctl_fail(c, EINVAL, "bad UUID '%s'", word ? word : "");
	return 0;
}

static int ctl_vm_name(struct ctl *c, const char *name)
{
	size_t i, len = strlen(name);
	bool ok = len && len < AP_SIM_NAME_MAX;

	for (i = 0; ok && i < len; i++)
		ok = isalnum(name[i]) || strchr("_.-", name[i]);
	if (ok)
		return 0;
	return ctl_fail(c, EINVAL, "bad VM name '%s': 1 to %d letters, digits, '_', '.' or '-'",
			name, AP_SIM_NAME_MAX - 1);
}

/* ---- config, scan, chkstop, reset-rc ------------------------------------------------ */

static u32 ctl_mode_functions(const char *mode)
{
	if (!strcasecmp(mode, "cca"))
		return APB_FUNC_CCA;
	if (!strcasecmp(mode, "ep11"))
		return APB_FUNC_EP11;
	if (!strcasecmp(mode, "accel"))
		return APB_FUNC_ACCEL;
	return 0;
}

/* CEX4..CEX8 (any case) or a raw type 1..255. */
static int ctl_parse_type(const char *s, u8 *raw)
{
	unsigned int v;

	if (!strncasecmp(s, "CEX", 3) && s[3] >= '4' && s[3] <= '8' && !s[4]) {
		*raw = (u8)AP_TYPE_CEX(s[3] - '0');
		return 0;
	}
	if (ctl_parse_id(s, 255, &v) || !v)
		return -EINVAL;
	*raw = (u8)v;
	return 0;
}

static int ctl_parse_adapter_opt(const char *tok, bool *is_type, u8 *raw, u32 *functions)
{
	if (!strncmp(tok, "type=", 5)) {
		*is_type = true;
		return ctl_parse_type(tok + 5, raw);
	}
	if (!strncmp(tok, "mode=", 5)) {
		*is_type = false;
		*functions = ctl_mode_functions(tok + 5);
		return *functions ? 0 : -EINVAL;
	}
	*functions = ctl_mode_functions(tok);
	if (*functions) {
		*is_type = false;
		return 0;
	}
	*is_type = true;
	return ctl_parse_type(tok, raw);
}

/* add-adapter: the adapter's current type unless given, CEX8 CCA for a new one. */
static int ctl_adapter_type(struct ctl *c, unsigned int id, u8 *raw, u32 *functions)
{
	bool is_type, seen_type = false, seen_mode = false, seen_noscan = false;
	struct apb_adapter_spec hw;
	u32 f = 0;
	u8 t = 0;
	int i, rc = apb_hw_get_adapter_type(ap_sim.bus, id, &hw);

	if (rc)
		return rc;
	*raw = hw.raw_type;
	*functions = hw.functions;
	if (!*raw) {
		*raw = AP_TYPE_CEX8;
		*functions = APB_FUNC_CCA;
	}
	for (i = 3; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "--no-scan")) {
			if (seen_noscan)
				return ctl_fail(c, EINVAL, "option --no-scan given twice");
			seen_noscan = true;
			continue;
		}
		if (ctl_parse_adapter_opt(c->argv[i], &is_type, &t, &f))
			return ctl_fail(c, EINVAL, "bad adapter option '%s'", c->argv[i]);
		if (is_type ? seen_type : seen_mode)
			return ctl_fail(c, EINVAL, "option %s given twice",
					is_type ? "type" : "mode");
		if (is_type) {
			seen_type = true;
			*raw = t;
		} else {
			seen_mode = true;
			*functions = f;
		}
	}
	return 0;
}

static int ctl_config_adapter(struct ctl *c, unsigned int id, bool add)
{
	u32 functions = 0;
	u8 raw = 0;
	int rc;

	if (add) {
		rc = ctl_adapter_type(c, id, &raw, &functions);
		if (rc)
			return rc;
	}
	rc = apb_hw_set_adapter(ap_sim.bus, id, add);
	if (rc || !add)
		return rc;
	return apb_hw_set_adapter_type(ap_sim.bus, id, raw, functions);
}

enum ctl_dim { CTL_ADAPTER, CTL_DOMAIN, CTL_CDOM };

static const struct {
	const char *name;
	enum ctl_dim dim;
	bool add;
} ctl_config_ops[] = {
	{ "add-adapter", CTL_ADAPTER, true },
	{ "remove-adapter", CTL_ADAPTER, false },
	{ "add-domain", CTL_DOMAIN, true },
	{ "remove-domain", CTL_DOMAIN, false },
	{ "add-control-domain", CTL_CDOM, true },
	{ "remove-control-domain", CTL_CDOM, false },
};

static int ctl_config(struct ctl *c)
{
	static const char *const known[] = { "--no-scan", NULL };
	unsigned int id;
	size_t i;
	int rc;

	if (c->argc < 3)
		return ctl_usage(c, CTL_CONFIG_USAGE);
	for (i = 0; i < ARRAY_SIZE(ctl_config_ops); i++)
		if (!strcmp(c->argv[1], ctl_config_ops[i].name))
			break;
	if (i == ARRAY_SIZE(ctl_config_ops))
		return ctl_usage(c, CTL_CONFIG_USAGE);
	if (ctl_parse_id(c->argv[2], APBM_BITS - 1, &id))
		return ctl_fail(c, EINVAL, "bad ID '%s'", c->argv[2]);
	if (ctl_config_ops[i].dim != CTL_ADAPTER || !ctl_config_ops[i].add) {
		rc = ctl_only(c, 3, known, CTL_CONFIG_USAGE);
		if (rc)
			return rc;
	}
	switch (ctl_config_ops[i].dim) {
	case CTL_ADAPTER:
		rc = ctl_config_adapter(c, id, ctl_config_ops[i].add);
		break;
	case CTL_DOMAIN:
		rc = apb_hw_set_domain(ap_sim.bus, id, ctl_config_ops[i].add);
		break;
	default:
		rc = apb_hw_set_control_domain(ap_sim.bus, id, ctl_config_ops[i].add);
		break;
	}
	if (rc == -ENODEV)
		return ctl_fail(c, ENODEV, "0x%02x is above the machine's maximum ID", id);
	if (rc)
		return c->len ? rc : ctl_fail(c, -rc, "config %s", c->argv[1]);
	if (!ctl_flag(c, 3, "--no-scan"))
		apb_scan(ap_sim.bus);
	return 0;
}

static int ctl_scan(struct ctl *c)
{
	if (c->argc != 1)
		return ctl_usage(c, "scan");
	apb_scan(ap_sim.bus);
	return 0;
}

static int ctl_chkstop(struct ctl *c)
{
	struct apb_adapter_spec hw;
	unsigned int id;

	if (c->argc != 3 || (strcmp(c->argv[2], "on") && strcmp(c->argv[2], "off")))
		return ctl_usage(c, "chkstop ID on|off");
	if (ctl_parse_id(c->argv[1], APBM_BITS - 1, &id))
		return ctl_fail(c, EINVAL, "bad adapter ID '%s'", c->argv[1]);
	if (apb_hw_get_adapter_type(ap_sim.bus, id, &hw) || !hw.raw_type)
		return ctl_fail(c, ENODEV, "chkstop: no adapter 0x%02x in the machine", id);
	return apb_hw_set_chkstop(ap_sim.bus, id, !strcmp(c->argv[2], "on"));
}

static int ctl_reset_rc(struct ctl *c)
{
	unsigned int apid, apqi, rc;

	if (c->argc != 3)
		return ctl_usage(c, "reset-rc APQN RC");
	if (aptxt_parse_apqn(c->argv[1], &apid, &apqi))
		return ctl_fail(c, EINVAL, "bad APQN '%s'", c->argv[1]);
	if (ctl_parse_id(c->argv[2], 255, &rc))
		return ctl_fail(c, EINVAL, "bad response code '%s'", c->argv[2]);
	return apb_hw_inject_reset_rc(ap_sim.bus, apid, apqi, (u8)rc);
}

/* ---- the vfio device: attach, detach, irq ------------------------------------------- */

/* vms_lock held */
static struct ap_sim_open *ctl_open_find(const guid_t *uuid)
{
	struct ap_sim_open *o;

	list_for_each_entry(o, &ap_sim.opens, node)
		if (guid_equal(&o->uuid, uuid))
			return o;
	return NULL;
}

/* An mdev-level error of vfio_ap's guest ops, in apsim's words. */
static int ctl_mdev_err(struct ctl *c, int rc, const char *cmd, const char *uuid)
{
	if (rc == -ENOENT)
		return ctl_fail(c, ENOENT, "no mdev %s", uuid);
	return ctl_fail(c, -rc, "%s %s", cmd, uuid);
}

static int ctl_no_vfio_ap(struct ctl *c, const char *uuid)
{
	return ctl_fail(c, ENOENT, "no mdev %s (vfio_ap is not loaded)", uuid);
}

/*
 * Remember that @uuid is open for @kvm, whose reference the record takes
 * over (dropped if @uuid has a record already: *added is false).  Noted
 * before vfio_ap's open, which may signal the guest already.
 */
static int ctl_open_note(const guid_t *uuid, struct ap_sim_kvm *kvm, bool *added)
{
	struct ap_sim_open *o = kzalloc(sizeof(*o), GFP_KERNEL), *old;

	*added = false;
	if (!o)
		return -ENOMEM;
	o->uuid = *uuid;
	o->kvm = kvm;
	spin_lock(&ap_sim.vms_lock);
	old = ctl_open_find(uuid);
	if (!old)
		list_add_tail(&o->node, &ap_sim.opens);
	spin_unlock(&ap_sim.vms_lock);
	if (old) {		/* attached again */
		kfree(o);
		if (kvm)
			ap_sim_kvm_put(kvm);
	}
	*added = !old;
	return 0;
}

static int ctl_attach(struct ctl *c)
{
	static const char *const known[] = { "--vm=", "--no-crycb", "--no-kvm", NULL };
	static const char usage[] = "attach UUID --vm NAME [--no-crycb] | attach UUID --no-kvm";
	bool no_kvm, no_crycb, created = false, added;
	struct ap_sim_kvm *kvm = NULL;
	const char *vm;
	guid_t uuid;
	int rc;

	if (c->argc < 3)
		return ctl_usage(c, usage);
	rc = ctl_only(c, 2, known, usage);
	if (rc)
		return rc;
	no_kvm = ctl_flag(c, 2, "--no-kvm");
	no_crycb = ctl_flag(c, 2, "--no-crycb");
	vm = ctl_opt(c, 2, "--vm");
	if (!vm == !no_kvm || (no_kvm && no_crycb))
		return ctl_usage(c, usage);
	rc = (vm ? ctl_vm_name(c, vm) : 0) ?: ctl_uuid(c, c->argv[1], &uuid);
	if (rc)
		return rc;
	if (!ap_sim.guest_ops)
		return ctl_no_vfio_ap(c, c->argv[1]);
	if (vm) {
		rc = ap_sim_kvm_create(vm, !no_crycb, &kvm, &created);
		if (rc == -EINVAL)
			return ctl_fail(c, EINVAL, "vm %s exists %s a crypto block", vm,
					no_crycb ? "with" : "without");
		if (rc == -ENOSPC)
			return ctl_fail(c, ENOSPC, "vm %s: too many VMs (%d; vm-remove frees one)",
					vm, AP_SIM_VMS_MAX);
		if (rc)
			return ctl_fail(c, -rc, "vm %s", vm);
	}
	rc = ctl_open_note(&uuid, kvm, &added);
	if (rc) {
		if (kvm)
			ap_sim_kvm_put(kvm);
	} else {
		rc = ap_sim.guest_ops->open(&uuid, kvm);
		if (!rc)
			return 0;
		if (added)
			ap_sim_guest_closed(&uuid);	/* drops the record's reference */
	}
	if (created) {
		char busy[UUID_STRING_LEN + 1];

		ap_sim_kvm_remove(vm, busy);	/* a failed attach leaves no VM */
	}
	return ctl_mdev_err(c, rc, "attach", c->argv[1]);
}

static int ctl_detach(struct ctl *c)
{
	guid_t uuid;
	int rc;

	if (c->argc != 2)
		return ctl_usage(c, "detach UUID");
	rc = ctl_uuid(c, c->argv[1], &uuid);
	if (rc)
		return rc;
	if (!ap_sim.guest_ops)
		return ctl_no_vfio_ap(c, c->argv[1]);
	rc = ap_sim.guest_ops->close(&uuid);
	if (rc == -EINVAL)
		return ctl_fail(c, EINVAL, "mdev %s is not attached", c->argv[1]);
	if (rc)
		return ctl_mdev_err(c, rc, "detach", c->argv[1]);
	ap_sim_guest_closed(&uuid);
	return 0;
}

static int ctl_irq(struct ctl *c)
{
	struct ap_sim_open *o;
	unsigned int index;
	guid_t uuid;
	bool set;
	int rc;

	if (c->argc != 4 || (strcmp(c->argv[3], "set") && strcmp(c->argv[3], "clear")))
		return ctl_usage(c, "irq UUID INDEX set|clear");
	if (ctl_parse_id(c->argv[2], 255, &index))
		return ctl_fail(c, EINVAL, "bad IRQ index '%s'", c->argv[2]);
	set = !strcmp(c->argv[3], "set");
	rc = ctl_uuid(c, c->argv[1], &uuid);
	if (rc)
		return rc;
	if (!ap_sim.guest_ops)
		return ctl_no_vfio_ap(c, c->argv[1]);
	rc = ap_sim.guest_ops->set_irq(&uuid, index, set);
	if (rc == -ENOENT)
		return ctl_fail(c, ENOENT, "no mdev %s", c->argv[1]);
	if (rc)
		return ctl_fail(c, -rc, "irq %s index %u", c->argv[1], index);
	spin_lock(&ap_sim.vms_lock);
	o = ctl_open_find(&uuid);
	if (o && index < ARRAY_SIZE(o->irq))
		o->irq[index] = set;
	spin_unlock(&ap_sim.vms_lock);
	return 0;
}

/*
 * The guest a VFIO open of UUID from userspace gets (x86 has no KVM to
 * hand one over): the VM is created now, as attach creates it, so the
 * open finds it; the designation itself is kept by name.
 */
static int ctl_vfio_vm(struct ctl *c)
{
	static const char *const known[] = { "--vm=", "--no-crycb", "--none", NULL };
	static const char usage[] = "vfio-vm UUID --vm NAME [--no-crycb] | vfio-vm UUID --none";
	bool none, no_crycb, created;
	struct ap_sim_kvm *kvm;
	const char *vm;
	guid_t uuid;
	int rc;

	if (c->argc < 3)
		return ctl_usage(c, usage);
	rc = ctl_only(c, 2, known, usage);
	if (rc)
		return rc;
	none = ctl_flag(c, 2, "--none");
	no_crycb = ctl_flag(c, 2, "--no-crycb");
	vm = ctl_opt(c, 2, "--vm");
	if (!vm == !none || (none && no_crycb))
		return ctl_usage(c, usage);
	rc = (vm ? ctl_vm_name(c, vm) : 0) ?: ctl_uuid(c, c->argv[1], &uuid);
	if (rc)
		return rc;
	if (none) {
		if (ap_sim_vfio_vm_clear(&uuid))
			return ctl_fail(c, ENOENT, "mdev %s has no VFIO VM", c->argv[1]);
		return 0;
	}
	rc = ap_sim_kvm_create(vm, !no_crycb, &kvm, &created);
	if (rc == -EINVAL)
		return ctl_fail(c, EINVAL, "vm %s exists %s a crypto block", vm,
				no_crycb ? "with" : "without");
	if (rc == -ENOSPC)
		return ctl_fail(c, ENOSPC, "vm %s: too many VMs (%d; vm-remove frees one)",
				vm, AP_SIM_VMS_MAX);
	if (rc)
		return ctl_fail(c, -rc, "vm %s", vm);
	ap_sim_kvm_put(kvm);		/* the VM list keeps it */
	rc = ap_sim_vfio_vm_set(&uuid, vm);
	if (rc && created) {
		char busy[UUID_STRING_LEN + 1];

		ap_sim_kvm_remove(vm, busy);	/* a failed command leaves no VM */
	}
	return rc ? ctl_fail(c, -rc, "vfio-vm %s", c->argv[1]) : 0;
}

void ap_sim_guest_signal(const guid_t *uuid, unsigned int index)
{
	struct ap_sim_open *o;

	spin_lock(&ap_sim.vms_lock);
	o = ctl_open_find(uuid);
	if (o && o->kvm && index == 1)
		o->kvm->cfg_chg_signals++;
	else if (o && o->kvm && index == 0)
		o->kvm->req_signals++;
	spin_unlock(&ap_sim.vms_lock);
}
EXPORT_SYMBOL(ap_sim_guest_signal);

/* ---- readouts --------------------------------------------------------------------- */

static void ctl_mask(struct ctl *c, const char *key, const struct apbm *m, bool json)
{
	char hex[APTXT_AP_CONFIG_LEN];

	aptxt_format_hexmask(m, hex);
	if (json)
		ctl_printf(c, "\"%s\":\"%s\",", key, hex);
	else
		ctl_printf(c, "%s %s\n", key, hex);
}

static int ctl_crycb(struct ctl *c)
{
	static const char *const known[] = { "--vm=", "--json", NULL };
	const char *name = ctl_opt(c, 1, "--vm");
	bool json = ctl_flag(c, 1, "--json");
	struct kvmm_crycb crycb;
	struct ap_sim_kvm *kvm;
	unsigned long cfg, req;
	int rc = ctl_only(c, 1, known, "crycb --vm NAME [--json]");

	if (rc)
		return rc;
	if (!name)
		return ctl_usage(c, "crycb --vm NAME [--json]");
	kvm = ap_sim_kvm_find(name);
	if (!kvm)
		return ctl_fail(c, ENOENT, "no vm %s", name);
	kvmm_guest_crycb(&kvm->guest, &crycb);
	spin_lock(&ap_sim.vms_lock);
	cfg = kvm->cfg_chg_signals;
	req = kvm->req_signals;
	spin_unlock(&ap_sim.vms_lock);
	ap_sim_kvm_put(kvm);
	if (json)
		ctl_printf(c, "{");
	ctl_mask(c, "apm", &crycb.apm, json);
	ctl_mask(c, "aqm", &crycb.aqm, json);
	ctl_mask(c, "adm", &crycb.adm, json);
	ctl_printf(c, json ? "\"updates\":%lu,\"cfg_chg_signals\":%lu,\"req_signals\":%lu}\n" :
		   "updates %lu\ncfg_chg_signals %lu\nreq_signals %lu\n",
		   crycb.updates, cfg, req);
	return 0;
}

static int ctl_vm_remove(struct ctl *c)
{
	char uuid[UUID_STRING_LEN + 1];
	int rc;

	if (c->argc != 2)
		return ctl_usage(c, "vm-remove NAME");
	rc = ctl_vm_name(c, c->argv[1]);
	if (rc)
		return rc;
	rc = ap_sim_kvm_remove(c->argv[1], uuid);
	if (rc == -ENOENT)
		return ctl_fail(c, ENOENT, "no vm %s", c->argv[1]);
	if (rc == -EBUSY)
		return ctl_fail(c, EBUSY, "vm %s has mdev %s open (detach it first)", c->argv[1],
				uuid);
	return rc;
}

static int ctl_lines(struct ctl *c, struct ap_sim_lines *l, const char *usage)
{
	static const char *const known[] = { "--clear", NULL };
	size_t len;
	char *text;
	int rc = ctl_only(c, 1, known, usage);

	if (rc)
		return rc;
	text = ap_sim_lines_take(l, ctl_flag(c, 1, "--clear"), &len);
	if (!text)
		return ctl_fail(c, ENOMEM, "%s", c->argv[0]);
	len = min(len, (size_t)(CTL_OUT_MAX - 1 - c->len));
	memcpy(c->out + c->len, text, len);
	c->len += len;
	c->out[c->len] = '\0';
	kvfree(text);
	return 0;
}

static int ctl_log(struct ctl *c)
{
	return ctl_lines(c, &ap_sim.log, "log [--clear]");
}

static int ctl_uevents(struct ctl *c)
{
	return ctl_lines(c, &ap_sim.uevents, "uevents [--clear]");
}

static int ctl_fail_cmd(struct ctl *c)
{
	return ctl_fail(c, EOPNOTSUPP, "fail: fault injection exists in apsim (FUSE) only");
}

/* The mdevs the ctl has open and the guests, as apsim's status shows them. */
static void ctl_status_lists(struct ctl *c, bool json)
{
	struct ap_sim_open *o;
	struct ap_sim_kvm *kvm;
	bool first = true, any;

	spin_lock(&ap_sim.vms_lock);
	list_for_each_entry(o, &ap_sim.opens, node) {
		if (json)
			ctl_printf(c, "%s{\"uuid\":\"%pUl\",\"state\":\"live\",", first ? "" : ",",
				   &o->uuid);
		if (json)
			ctl_printf(c, "\"open\":\"%s\",\"irq\":[%s,%s]}",
				   o->kvm ? o->kvm->name : "", o->irq[0] ? "true" : "false",
				   o->irq[1] ? "true" : "false");
		else
			ctl_printf(c, "mdev %pUl state=live open=%s irq0=%s irq1=%s\n", &o->uuid,
				   o->kvm ? o->kvm->name : "?", o->irq[0] ? "set" : "-",
				   o->irq[1] ? "set" : "-");
		first = false;
	}
	if (json)
		ctl_printf(c, "],\"vms\":[");
	first = true;
	list_for_each_entry(kvm, &ap_sim.vms, node) {
		if (json)
			ctl_printf(c, "%s{\"name\":\"%s\",\"crycb\":%s,\"mdevs\":[",
				   first ? "" : ",", kvm->name,
				   kvm->guest.kvm.has_crycb ? "true" : "false");
		else
			ctl_printf(c, "vm %s crycb=%s open=", kvm->name,
				   kvm->guest.kvm.has_crycb ? "yes" : "no");
		any = false;
		list_for_each_entry(o, &ap_sim.opens, node) {
			if (o->kvm != kvm)
				continue;
			ctl_printf(c, json ? "%s\"%pUl\"" : "%s%pUl", any ? "," : "", &o->uuid);
			any = true;
		}
		ctl_printf(c, json ? "]}" : any ? "\n" : "-\n");
		first = false;
	}
	spin_unlock(&ap_sim.vms_lock);
}

static int ctl_status(struct ctl *c)
{
	static const char *const known[] = { "--json", NULL };
	const struct ap_profile *p = apb_profile(ap_sim.bus);
	bool json = ctl_flag(c, 1, "--json");
	int rc = ctl_only(c, 1, known, "status [--json]");

	if (rc)
		return rc;
	if (json)
		ctl_printf(c, "{\"kernel\":\"%s\",\"mdevs\":[", p->name);
	else
		ctl_printf(c, "kernel %s (%s)\n", p->name, p->what);
	ctl_status_lists(c, json);
	if (json)
		ctl_printf(c, "],\"faults\":[]}\n");
	return 0;
}

static int ctl_help(struct ctl *c);

static const struct {
	const char *name;
	int (*run)(struct ctl *c);
	const char *usage;
} ctl_cmds[] = {
	{ "config", ctl_config, CTL_CONFIG_USAGE },
	{ "scan", ctl_scan, "scan" },
	{ "chkstop", ctl_chkstop, "chkstop ID on|off" },
	{ "reset-rc", ctl_reset_rc, "reset-rc APQN RC" },
	{ "attach", ctl_attach, "attach UUID --vm NAME [--no-crycb] | attach UUID --no-kvm" },
	{ "detach", ctl_detach, "detach UUID" },
	{ "irq", ctl_irq, "irq UUID INDEX set|clear" },
	{ "crycb", ctl_crycb, "crycb --vm NAME [--json]" },
	{ "vm-remove", ctl_vm_remove, "vm-remove NAME" },
	{ "vfio-vm", ctl_vfio_vm, "vfio-vm UUID --vm NAME [--no-crycb] | vfio-vm UUID --none" },
	{ "log", ctl_log, "log [--clear]" },
	{ "uevents", ctl_uevents, "uevents [--clear]" },
	{ "fail", ctl_fail_cmd, "fail PATH ERRNO [--count N] (apsim only)" },
	{ "status", ctl_status, "status [--json]" },
	{ "help", ctl_help, "help" },
};

static int ctl_help(struct ctl *c)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ctl_cmds); i++)
		ctl_printf(c, "%s\n", ctl_cmds[i].usage);
	return 0;
}

/* Split @text in place at blanks, as apsim does. */
static int ctl_split(char *text, char **argv)
{
	int argc = 0;
	char *w;

	while ((w = strsep(&text, " \t\r\n"))) {
		if (!*w)
			continue;
		if (argc == CTL_MAX_WORDS)
			return -E2BIG;
		argv[argc++] = w;
	}
	return argc;
}

/* Run the command in @text (NUL-terminated, @len bytes before the NUL). */
static int ctl_run(struct ctl *c, char *text, size_t len)
{
	char *argv[CTL_MAX_WORDS];
	size_t i;
	int rc;

	c->argv = argv;
	if (strlen(text) != len)
		return ctl_fail(c, EINVAL, "NUL byte in the command");
	c->argc = ctl_split(text, argv);
	if (c->argc < 0)
		return ctl_fail(c, E2BIG, "more than %d words", CTL_MAX_WORDS);
	if (!c->argc)
		return ctl_fail(c, EINVAL, "empty command");
	for (i = 0; i < ARRAY_SIZE(ctl_cmds); i++)
		if (!strcmp(argv[0], ctl_cmds[i].name))
			break;
	if (i == ARRAY_SIZE(ctl_cmds))
		return ctl_fail(c, EINVAL, "unknown command '%s' (try help)", argv[0]);
	rc = ctl_cmds[i].run(c);
	if (rc < 0 && !c->len)
		rc = ctl_fail(c, -rc, "%s", argv[0]);
	return rc;
}

/* ---- the file --------------------------------------------------------------------- */

/* One open file: the answer of its last command, read from @base on. */
struct ctl_file {
	struct mutex lock;	/* readers and writers of one open file */
	char *reply;
	size_t len;
	loff_t base;
};

static int ctl_open(struct inode *inode, struct file *file)
{
	struct ctl_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	file->private_data = f;
	return 0;
}

static int ctl_release(struct inode *inode, struct file *file)
{
	struct ctl_file *f = file->private_data;

	kvfree(f->reply);
	mutex_destroy(&f->lock);
	kfree(f);
	return 0;
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf, size_t count, loff_t *ppos)
{
	struct ctl_file *f = file->private_data;
	struct ctl c = { 0 };
	size_t len = min_t(size_t, count, PAGE_SIZE);
	char *text;
	int rc;

	text = memdup_user_nul(ubuf, len);
	if (IS_ERR(text))
		return PTR_ERR(text);
	c.out = kvmalloc(CTL_OUT_MAX, GFP_KERNEL);
	if (!c.out) {
		kfree(text);
		return -ENOMEM;
	}
	c.out[0] = '\0';
	mutex_lock(&ap_sim.ctl_mutex);
	rc = ctl_run(&c, text, len);
	mutex_unlock(&ap_sim.ctl_mutex);
	kfree(text);
	mutex_lock(&f->lock);
	kvfree(f->reply);
	f->reply = c.out;
	f->len = c.len;
	/* a failed write leaves the offset, a good one moves it past the command */
	f->base = rc < 0 ? *ppos : *ppos + count;
	mutex_unlock(&f->lock);
	if (rc < 0)
		return rc;
	*ppos += count;
	return count;
}

static ssize_t ctl_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	struct ctl_file *f = file->private_data;
	loff_t rel = *ppos - f->base;
	ssize_t n = 0;

	mutex_lock(&f->lock);
	if (rel < 0)
		rel = 0;
	if (f->reply && rel < f->len) {
		n = min_t(size_t, count, f->len - rel);
		if (copy_to_user(ubuf, f->reply + rel, n))
			n = -EFAULT;
		else
			*ppos = f->base + rel + n;
	}
	mutex_unlock(&f->lock);
	return n;
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = ctl_open,
	.release = ctl_release,
	.read = ctl_read,
	.write = ctl_write,
	.llseek = default_llseek,
};

int ap_sim_ctl_init(void)
{
	mutex_init(&ap_sim.ctl_mutex);
	ap_sim.debugfs = debugfs_create_dir("ap_sim", NULL);
	debugfs_create_file("ctl", 0600, ap_sim.debugfs, NULL, &ctl_fops);
	return 0;
}

void ap_sim_ctl_exit(void)
{
	debugfs_remove_recursive(ap_sim.debugfs);
	ap_sim.debugfs = NULL;
}

/* ---- the guest ops of vfio_ap ------------------------------------------------------- */

int ap_sim_register_guest_ops(const struct ap_sim_guest_ops *ops)
{
	int rc = 0;

	mutex_lock(&ap_sim.ctl_mutex);
	if (ap_sim.guest_ops)
		rc = -EBUSY;
	else
		ap_sim.guest_ops = ops;
	mutex_unlock(&ap_sim.ctl_mutex);
	return rc;
}
EXPORT_SYMBOL(ap_sim_register_guest_ops);

/* vfio_ap is going: what the ctl had open is closed with it. */
void ap_sim_unregister_guest_ops(const struct ap_sim_guest_ops *ops)
{
	struct ap_sim_open *o, *on;
	LIST_HEAD(gone);

	mutex_lock(&ap_sim.ctl_mutex);
	if (ap_sim.guest_ops == ops) {
		ap_sim.guest_ops = NULL;
		spin_lock(&ap_sim.vms_lock);
		list_splice_init(&ap_sim.opens, &gone);
		spin_unlock(&ap_sim.vms_lock);
	}
	mutex_unlock(&ap_sim.ctl_mutex);
	list_for_each_entry_safe(o, on, &gone, node) {
		list_del(&o->node);
		if (o->kvm)
			ap_sim_kvm_put(o->kvm);
		kfree(o);
	}
}
EXPORT_SYMBOL(ap_sim_unregister_guest_ops);

void ap_sim_guest_closed(const guid_t *uuid)
{
	struct ap_sim_open *o;

	spin_lock(&ap_sim.vms_lock);
	o = ctl_open_find(uuid);
	if (o)
		list_del(&o->node);
	spin_unlock(&ap_sim.vms_lock);
	if (o && o->kvm)
		ap_sim_kvm_put(o->kvm);
	kfree(o);
}
EXPORT_SYMBOL(ap_sim_guest_closed);

void ap_sim_log(const char *line)
{
	ap_sim_lines_add(&ap_sim.log, line);
}
EXPORT_SYMBOL(ap_sim_log);
