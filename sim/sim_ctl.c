// SPDX-License-Identifier: GPL-2.0
/*
 * sim_ctl.c - the commands of kernel/debug/ap_sim/ctl: what hardware, KVM
 * and QEMU would do to the host (the vocabulary is fixed by the project;
 * kernel/ap_sim speaks the same words).  One write is one command; on
 * success its output is the text below, on failure one line
 * "error: <what>: <strerror>" and the write fails with that errno.
 *
 *   config add-adapter ID [TYPE] [MODE] [--no-scan]   (TYPE: type=CEX4..CEX8
 *   config remove-adapter ID [--no-scan]                or a number; MODE:
 *   config add-domain|remove-domain ID [--no-scan]      mode=cca|ep11|accel)
 *   config add-control-domain|remove-control-domain ID [--no-scan]
 *   scan
 *   chkstop ID on|off
 *   reset-rc APQN RC
 *   attach UUID --vm NAME [--no-crycb] | attach UUID --no-kvm
 *   detach UUID
 *   irq UUID INDEX set|clear
 *   crycb --vm NAME [--json]
 *   vm-remove NAME
 *   log [--clear], uevents [--clear]
 *   fail PATH ERRNO [--count N]
 *   status [--json]
 *   help
 *
 * Mutating commands print nothing.  A command with a NUL byte is refused,
 * and so is an option given twice (none silently wins).
 */
#include <stdarg.h>
#include <strings.h>

#include "sim_buf.h"
#include "sim_ctl.h"
#include "sim_fault.h"
#include "sim_lines.h"
#include "sim_mdev.h"
#include "sim_parse.h"
#include "sim_state.h"

#define CTL_MAX_WORDS 32
#define CTL_CONFIG_USAGE \
	"config add-adapter ID [type=T] [mode=M] | remove-adapter ID | add-domain ID | remove-domain ID | add-control-domain ID | remove-control-domain ID  [--no-scan]"

struct ctl {
	struct sim *s;
	struct sim_buf *out;
	int argc;
	char **argv;
};

static int ctl_fail(struct ctl *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* One error line; the errno text is always part of it. */
static int ctl_fail(struct ctl *c, int err, const char *fmt, ...)
{
	va_list ap;

	sim_buf_reset(c->out);
	sim_buf_add(c->out, "error: ", 7);
	va_start(ap, fmt);
	sim_buf_vprintf(c->out, fmt, ap);
	va_end(ap);
	sim_buf_printf(c->out, ": %s\n", strerror(err));
	return -err;
}

static int ctl_usage(struct ctl *c, const char *usage)
{
	return ctl_fail(c, EINVAL, "usage: %s", usage);
}

/* ---- errno names --------------------------------------------------------- */

#define CTL_ERRNO(e) { #e, e }

static const struct {
	const char *name;
	int err;
} ctl_errnos[] = {
	CTL_ERRNO(EPERM), CTL_ERRNO(ENOENT), CTL_ERRNO(EINTR), CTL_ERRNO(EIO),
	CTL_ERRNO(ENXIO), CTL_ERRNO(E2BIG), CTL_ERRNO(EBADF), CTL_ERRNO(EAGAIN),
	CTL_ERRNO(ENOMEM), CTL_ERRNO(EACCES), CTL_ERRNO(EFAULT), CTL_ERRNO(EBUSY),
	CTL_ERRNO(EEXIST), CTL_ERRNO(ENODEV), CTL_ERRNO(ENOTDIR), CTL_ERRNO(EISDIR),
	CTL_ERRNO(EINVAL), CTL_ERRNO(ENOSPC), CTL_ERRNO(EROFS), CTL_ERRNO(ERANGE),
	CTL_ERRNO(ENOSYS), CTL_ERRNO(EOPNOTSUPP), CTL_ERRNO(EADDRINUSE),
	CTL_ERRNO(EADDRNOTAVAIL), CTL_ERRNO(ENOTCONN), CTL_ERRNO(ETIMEDOUT),
	CTL_ERRNO(EUSERS), CTL_ERRNO(ECANCELED), CTL_ERRNO(EPROTO), CTL_ERRNO(ENOTTY),
	CTL_ERRNO(ERESTART),
};

/*
 * The errnos a fault may carry: apsim's choice, the real Linux errnos, 1
 * to EHWPOISON (133).  FUSE itself would pass on any of 1..511 to the
 * writer; it is not the limit here.  Beyond 511 a fault would break the
 * write: fuse_dev_do_write() refuses a reply with "oh.error <= -512"
 * (-1000 in older kernels) before matching it to its request, so the
 * writer would wait for good, and libfuse turns 1000 and above into
 * ERANGE.  134..511 would arrive, but are no Linux errnos (strerror()
 * has no text for them), so apsim refuses them as well.
 */
#define CTL_ERRNO_MAX	EHWPOISON

static int ctl_parse_errno(const char *s, int *err)
{
	unsigned int v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ctl_errnos); i++) {
		if (!strcasecmp(s, ctl_errnos[i].name)) {
			*err = ctl_errnos[i].err;
			return 0;
		}
	}
	if (sim_parse_id(s, CTL_ERRNO_MAX, &v) || !v)
		return -EINVAL;
	*err = (int)v;
	return 0;
}

static const char *ctl_errno_name(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ctl_errnos); i++)
		if (ctl_errnos[i].err == err)
			return ctl_errnos[i].name;
	return NULL;
}

/* ---- argument helpers ---------------------------------------------------- */

static bool ctl_flag(struct ctl *c, int from, const char *flag)
{
	int i;

	for (i = from; i < c->argc; i++)
		if (!strcmp(c->argv[i], flag))
			return true;
	return false;
}

/* The word after @opt (e.g. "--vm NAME"), or NULL. */
static const char *ctl_opt(struct ctl *c, int from, const char *opt)
{
	int i;

	for (i = from; i + 1 < c->argc; i++)
		if (!strcmp(c->argv[i], opt))
			return c->argv[i + 1];
	return NULL;
}

#define CTL_MAX_KNOWN	8

static int ctl_twice(struct ctl *c, const char *opt)
{
	return ctl_fail(c, EINVAL, "option %s given twice", opt);
}

/*
 * Every word from @from on must be one of @known (options with a value:
 * "--vm="), each at most once: else the usage, or "option X given twice"
 * (a repeated option never silently wins).  0 if the words are fine.
 */
static int ctl_only(struct ctl *c, int from, const char *const *known, const char *usage)
{
	bool seen[CTL_MAX_KNOWN] = { false };
	char name[32];
	size_t n, k;
	int i;

	for (i = from; i < c->argc; i++) {
		for (k = 0; known[k] && k < CTL_MAX_KNOWN; k++) {
			n = strlen(known[k]);
			if (n && known[k][n - 1] == '=' && !strncmp(c->argv[i], known[k], n - 1) &&
			    !c->argv[i][n - 1] && i + 1 < c->argc)
				break;
			if (!strcmp(c->argv[i], known[k]))
				break;
		}
		if (!known[k] || k == CTL_MAX_KNOWN)
			return ctl_usage(c, usage);
		n = strlen(known[k]);
		if (seen[k]) {
			snprintf(name, sizeof(name), "%.*s", (int)(known[k][n - 1] == '=' ? n - 1 : n),
				 known[k]);
			return ctl_twice(c, name);
		}
		seen[k] = true;
		if (known[k][n - 1] == '=')
			i++;	/* its value */
	}
	return 0;
}

static int ctl_uuid(struct ctl *c, const char *word, u8 uuid[16])
{
	if (!word || aptxt_parse_uuid(word, uuid))
		return ctl_fail(c, EINVAL, "bad UUID '%s'", word ? word : "");
	return 0;
}

/* A live (or, with @dying, also a dying) mdev by the UUID in @word. */
static int ctl_mdev(struct ctl *c, const char *word, bool dying, struct sim_mdev **out)
{
	u8 uuid[16];
	int rc = ctl_uuid(c, word, uuid);

	if (rc)
		return rc;
	*out = sim_mdev_get(c->s, uuid, 0, dying);
	if (*out)
		return 0;
	if (!dying && (*out = sim_mdev_get(c->s, uuid, 0, true))) {
		sim_mdev_put(c->s, *out);
		return ctl_fail(c, ENODEV, "mdev %s is being removed", word);
	}
	return ctl_fail(c, ENOENT, "no mdev %s", word);
}

/* ---- config, scan, chkstop, reset-rc ------------------------------------- */

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

/* add-adapter options: the adapter's current type unless given, CEX8 CCA for a new one. */
static int ctl_adapter_type(struct ctl *c, unsigned int id, u8 *raw, u32 *functions)
{
	struct apb_adapter_spec hw;
	bool is_type, seen_type = false, seen_mode = false, seen_noscan = false;
	u8 t = 0;
	u32 f = 0;
	int i, rc = apb_hw_get_adapter_type(c->s->bus, id, &hw);

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
				return ctl_twice(c, "--no-scan");
			seen_noscan = true;
			continue;
		}
		if (sim_parse_adapter_opt(c->argv[i], &is_type, &t, &f))
			return ctl_fail(c, EINVAL, "bad adapter option '%s'", c->argv[i]);
		if (is_type ? seen_type : seen_mode)
			return ctl_twice(c, is_type ? "type" : "mode");
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
	u32 functions;
	u8 raw;
	int rc;

	if (add) {
		rc = ctl_adapter_type(c, id, &raw, &functions);
		if (rc)
			return rc;
	}
	rc = apb_hw_set_adapter(c->s->bus, id, add);
	if (rc || !add)
		return rc;
	return apb_hw_set_adapter_type(c->s->bus, id, raw, functions);
}

static int ctl_config(struct ctl *c)
{
	static const char usage[] = CTL_CONFIG_USAGE;
	unsigned int id;
	size_t i;
	int rc;

	if (c->argc < 3)
		return ctl_usage(c, usage);
	for (i = 0; i < ARRAY_SIZE(ctl_config_ops); i++)
		if (!strcmp(c->argv[1], ctl_config_ops[i].name))
			break;
	if (i == ARRAY_SIZE(ctl_config_ops))
		return ctl_usage(c, usage);
	if (sim_parse_id(c->argv[2], APBM_BITS - 1, &id))
		return ctl_fail(c, EINVAL, "bad ID '%s'", c->argv[2]);
	if (ctl_config_ops[i].dim != CTL_ADAPTER || !ctl_config_ops[i].add) {
		static const char *const known[] = { "--no-scan", NULL };

		rc = ctl_only(c, 3, known, usage);
		if (rc)
			return rc;
	}
	switch (ctl_config_ops[i].dim) {
	case CTL_ADAPTER:
		rc = ctl_config_adapter(c, id, ctl_config_ops[i].add);
		break;
	case CTL_DOMAIN:
		rc = apb_hw_set_domain(c->s->bus, id, ctl_config_ops[i].add);
		break;
	default:
		rc = apb_hw_set_control_domain(c->s->bus, id, ctl_config_ops[i].add);
		break;
	}
	if (rc == -ENODEV)
		return ctl_fail(c, ENODEV, "0x%02x is above the machine's maximum ID", id);
	if (rc)
		return c->out->len ? rc : ctl_fail(c, -rc, "config %s", c->argv[1]);
	if (!ctl_flag(c, 3, "--no-scan"))
		apb_scan(c->s->bus);
	return 0;
}

static int ctl_scan(struct ctl *c)
{
	if (c->argc != 1)
		return ctl_usage(c, "scan");
	apb_scan(c->s->bus);
	return 0;
}

static int ctl_chkstop(struct ctl *c)
{
	struct apb_adapter_spec hw;
	unsigned int id;

	if (c->argc != 3 || (strcmp(c->argv[2], "on") && strcmp(c->argv[2], "off")))
		return ctl_usage(c, "chkstop ID on|off");
	if (sim_parse_id(c->argv[1], APBM_BITS - 1, &id))
		return ctl_fail(c, EINVAL, "bad adapter ID '%s'", c->argv[1]);
	/* an adapter the machine has (configured or not): it has a type */
	if (apb_hw_get_adapter_type(c->s->bus, id, &hw) || !hw.raw_type)
		return ctl_fail(c, ENODEV, "chkstop: no adapter 0x%02x in the machine", id);
	return apb_hw_set_chkstop(c->s->bus, id, !strcmp(c->argv[2], "on"));
}

static int ctl_reset_rc(struct ctl *c)
{
	unsigned int apid, apqi, rc;

	if (c->argc != 3)
		return ctl_usage(c, "reset-rc APQN RC");
	if (aptxt_parse_apqn(c->argv[1], &apid, &apqi))
		return ctl_fail(c, EINVAL, "bad APQN '%s'", c->argv[1]);
	if (sim_parse_id(c->argv[2], 255, &rc))
		return ctl_fail(c, EINVAL, "bad response code '%s'", c->argv[2]);
	return apb_hw_inject_reset_rc(c->s->bus, apid, apqi, (u8)rc);
}

/* ---- the vfio device: attach, detach, irq -------------------------------- */

/* A VM name as the commands take it, or EINVAL saying what a name is. */
static int ctl_vm_name(struct ctl *c, const char *name)
{
	if (sim_vm_name_ok(name))
		return 0;
	return ctl_fail(c, EINVAL, "bad VM name '%s': 1 to %d letters, digits, '_', '.' or '-'",
			name, APSIM_NAME_MAX - 1);
}

/* Claim the vfio device file of @sm for an open or close. */
static int ctl_vfio_claim(struct ctl *c, struct sim_mdev *sm, bool want_open, struct sim_vm *vm)
{
	int rc = 0;

	sim_reg_lock(c->s);
	if (sm->vfio_busy)
		rc = ctl_fail(c, EBUSY, "mdev %s: another attach or detach is in progress",
			      sm->name);
	else if (!want_open && !sm->vfio_open)
		rc = ctl_fail(c, EINVAL, "mdev %s is not attached", sm->name);
	if (!rc) {
		sm->vfio_busy = true;
		if (want_open && !sm->vfio_open)
			sm->vm = vm;	/* signals during the open count for @vm */
	}
	sim_reg_unlock(c->s);
	return rc;
}

static void ctl_vfio_release(struct ctl *c, struct sim_mdev *sm, bool open, struct sim_vm *vm)
{
	sim_reg_lock(c->s);
	sm->vfio_open = open;
	sm->vm = vm;
	sm->vfio_busy = false;
	sim_reg_wake(c->s);
	sim_reg_unlock(c->s);
}

struct ctl_attach_opts {
	const char *vm_name;	/* NULL: --no-kvm */
	bool has_crycb;
};

/* Options only; nothing is created before the mdev is known to exist. */
static int ctl_attach_parse(struct ctl *c, struct ctl_attach_opts *o)
{
	static const char *const known[] = { "--vm=", "--no-crycb", "--no-kvm", NULL };
	static const char usage[] = "attach UUID --vm NAME [--no-crycb] | attach UUID --no-kvm";
	bool no_kvm = ctl_flag(c, 2, "--no-kvm"), no_crycb = ctl_flag(c, 2, "--no-crycb");
	int rc = ctl_only(c, 2, known, usage);

	if (rc)
		return rc;
	o->vm_name = ctl_opt(c, 2, "--vm");
	o->has_crycb = !no_crycb;
	if (!o->vm_name == !no_kvm || (no_kvm && no_crycb))
		return ctl_usage(c, usage);
	return o->vm_name ? ctl_vm_name(c, o->vm_name) : 0;
}

/* The guest: found, or created on first use (*created tells which). */
static int ctl_attach_vm(struct ctl *c, const struct ctl_attach_opts *o, struct sim_vm **vm,
			 bool *created)
{
	int err;

	*vm = NULL;
	*created = false;
	if (!o->vm_name)
		return 0;
	*vm = sim_vm_get(c->s, o->vm_name, true, o->has_crycb, &err, created);
	if (err == -EINVAL)
		return ctl_fail(c, EINVAL, "vm %s exists %s a crypto block", o->vm_name,
				o->has_crycb ? "without" : "with");
	if (err == -ENOSPC)
		return ctl_fail(c, ENOSPC, "vm %s: too many VMs (%d; vm-remove frees one)",
				o->vm_name, SIM_VMS_MAX);
	return err ? ctl_fail(c, -err, "vm %s", o->vm_name) : 0;
}

static int ctl_attach(struct ctl *c)
{
	struct ctl_attach_opts opts;
	struct sim_mdev *sm;
	struct sim_vm *vm;
	bool was_open, created;
	int rc;

	if (c->argc < 3)
		return ctl_usage(c, "attach UUID --vm NAME [--no-crycb] | attach UUID --no-kvm");
	rc = ctl_attach_parse(c, &opts) ?: ctl_mdev(c, c->argv[1], false, &sm);
	if (rc)
		return rc;
	rc = ctl_attach_vm(c, &opts, &vm, &created);
	if (!rc)
		rc = ctl_vfio_claim(c, sm, true, vm);
	if (!rc) {
		was_open = sm->vfio_open;	/* stable while claimed */
		rc = vap_mdev_open(c->s->md, sm->m, vm ? &vm->guest.kvm : NULL);
		if (was_open)
			ctl_vfio_release(c, sm, true, sm->vm);
		else
			ctl_vfio_release(c, sm, !rc, rc ? NULL : vm);
		if (rc)
			rc = ctl_fail(c, -rc, "attach %s", sm->name);
	}
	if (rc && created)
		sim_vm_forget(c->s, vm);	/* a failed attach leaves no VM behind */
	else if (vm)
		sim_vm_put(c->s, vm);
	sim_mdev_put(c->s, sm);
	return rc;
}

static int ctl_detach(struct ctl *c)
{
	struct sim_mdev *sm;
	int rc;

	if (c->argc != 2)
		return ctl_usage(c, "detach UUID");
	rc = ctl_mdev(c, c->argv[1], true, &sm);
	if (rc)
		return rc;
	rc = ctl_vfio_claim(c, sm, false, NULL);
	if (!rc) {
		vap_mdev_close(c->s->md, sm->m);
		ctl_vfio_release(c, sm, false, NULL);
	}
	sim_mdev_put_closed(c->s, sm);	/* may finish an orphaned removal */
	return rc;
}

static int ctl_irq(struct ctl *c)
{
	struct sim_mdev *sm;
	unsigned int index;
	bool set;
	int rc;

	if (c->argc != 4 || (strcmp(c->argv[3], "set") && strcmp(c->argv[3], "clear")))
		return ctl_usage(c, "irq UUID INDEX set|clear");
	if (sim_parse_id(c->argv[2], 255, &index))
		return ctl_fail(c, EINVAL, "bad IRQ index '%s'", c->argv[2]);
	set = !strcmp(c->argv[3], "set");
	rc = ctl_mdev(c, c->argv[1], true, &sm);
	if (rc)
		return rc;
	rc = vap_mdev_set_irq(c->s->md, sm->m, index,
			      set ? &sm->trig[index < VAP_NUM_IRQS ? index : 0] : NULL);
	if (rc) {
		rc = ctl_fail(c, -rc, "irq %s index %u", sm->name, index);
	} else {
		sim_reg_lock(c->s);
		sm->trig_set[index] = set;
		sim_reg_unlock(c->s);
	}
	sim_mdev_put(c->s, sm);
	return rc;
}

/* ---- readouts: crycb, log, uevents, status ------------------------------- */

static void ctl_mask(struct sim_buf *out, const char *key, const struct apbm *m, bool json)
{
	char hex[APTXT_AP_CONFIG_LEN];

	aptxt_format_hexmask(m, hex);
	if (json)
		sim_buf_printf(out, "\"%s\":\"%s\",", key, hex);
	else
		sim_buf_printf(out, "%s %s\n", key, hex);
}

static int ctl_crycb(struct ctl *c)
{
	static const char *const known[] = { "--vm=", "--json", NULL };
	const char *name = ctl_opt(c, 1, "--vm");
	bool json = ctl_flag(c, 1, "--json");
	struct kvmm_crycb crycb;
	u64 cfg, req;
	struct sim_vm *vm;
	int err;

	err = ctl_only(c, 1, known, "crycb --vm NAME [--json]");
	if (err)
		return err;
	if (!name)
		return ctl_usage(c, "crycb --vm NAME [--json]");
	vm = sim_vm_get(c->s, name, false, false, &err, NULL);
	if (!vm)
		return ctl_fail(c, -err, "no vm %s", name);
	kvmm_guest_crycb(&vm->guest, &crycb);
	sim_reg_lock(c->s);
	cfg = vm->cfg_chg_signals;
	req = vm->req_signals;
	sim_reg_unlock(c->s);
	sim_vm_put(c->s, vm);
	if (json)
		sim_buf_add(c->out, "{", 1);
	ctl_mask(c->out, "apm", &crycb.apm, json);
	ctl_mask(c->out, "aqm", &crycb.aqm, json);
	ctl_mask(c->out, "adm", &crycb.adm, json);
	sim_buf_printf(c->out, json ? "\"updates\":%lu,\"cfg_chg_signals\":%llu,\"req_signals\":%llu}\n" :
		       "updates %lu\ncfg_chg_signals %llu\nreq_signals %llu\n",
		       crycb.updates, (unsigned long long)cfg, (unsigned long long)req);
	return 0;
}

/* Free a VM that no mdev's vfio device is open by, and its slot. */
static int ctl_vm_remove(struct ctl *c)
{
	char mdev[APTXT_UUID_LEN + 1];
	const char *name;
	int rc;

	if (c->argc != 2)
		return ctl_usage(c, "vm-remove NAME");
	name = c->argv[1];
	rc = ctl_vm_name(c, name);
	if (rc)
		return rc;
	rc = sim_vm_remove(c->s, name, mdev);
	if (rc == -ENOENT)
		return ctl_fail(c, ENOENT, "no vm %s", name);
	if (rc == -EBUSY && mdev[0])
		return ctl_fail(c, EBUSY, "vm %s has mdev %s open (detach it first)", name, mdev);
	if (rc == -EBUSY)
		return ctl_fail(c, EBUSY, "vm %s is in use by another control command", name);
	return rc ? ctl_fail(c, -rc, "vm-remove %s", name) : 0;
}

static int ctl_lines(struct ctl *c, struct sim_lines *l, const char *usage)
{
	static const char *const known[] = { "--clear", NULL };

	int rc = ctl_only(c, 1, known, usage);

	if (rc)
		return rc;
	sim_lines_take(l, c->out, ctl_flag(c, 1, "--clear"));
	return 0;
}

static int ctl_log(struct ctl *c)
{
	return ctl_lines(c, &c->s->log, "log [--clear]");
}

static int ctl_uevents(struct ctl *c)
{
	return ctl_lines(c, &c->s->uevents, "uevents [--clear]");
}

static int ctl_fail_cmd(struct ctl *c)
{
	static const char *const known[] = { "--count=", NULL };
	const char *count_word = ctl_opt(c, 3, "--count");
	unsigned int count = 1;
	int err, rc;

	if (c->argc < 3)
		return ctl_usage(c, "fail PATH ERRNO [--count N]");
	rc = ctl_only(c, 3, known, "fail PATH ERRNO [--count N]");
	if (rc)
		return rc;
	if (ctl_parse_errno(c->argv[2], &err))
		return ctl_fail(c, EINVAL, "bad errno '%s': apsim takes only real Linux errnos, 1 to %d (EHWPOISON)",
				c->argv[2], CTL_ERRNO_MAX);
	if (count_word && sim_parse_id(count_word, 1u << 30, &count))
		return ctl_fail(c, EINVAL, "bad count '%s'", count_word);
	rc = sim_fault_add(c->s, c->argv[1], err, count);
	if (rc == -EINVAL)
		return ctl_fail(c, EINVAL, "bad path '%s': a path relative to <root>/sys", c->argv[1]);
	if (rc == -ENOSPC)
		return ctl_fail(c, ENOSPC, "fail %s: the fault table is full (%d faults)", c->argv[1],
				SIM_FAULTS_MAX);
	return rc ? ctl_fail(c, -rc, "fail %s", c->argv[1]) : 0;
}

static const char *ctl_state_name(enum sim_mdev_state st)
{
	return st == SIM_MDEV_LIVE ? "live" : "removing";
}

static void ctl_status_mdevs(struct ctl *c, bool json)
{
	struct sim_mdev *sm;
	bool first = true;

	for (sm = c->s->mdevs; sm; sm = sm->next) {
		if (sm->state == SIM_MDEV_GONE)
			continue;
		if (json)
			sim_buf_printf(c->out, "%s{\"uuid\":\"%s\",\"state\":\"%s\",\"open\":%s%s%s,\"irq\":[%s,%s]}",
				       first ? "" : ",", sm->name, ctl_state_name(sm->state),
				       sm->vfio_open ? "\"" : "",
				       sm->vfio_open ? (sm->vm ? sm->vm->name : "") : "null",
				       sm->vfio_open ? "\"" : "",
				       sm->trig_set[0] ? "true" : "false",
				       sm->trig_set[1] ? "true" : "false");
		else
			sim_buf_printf(c->out, "mdev %s state=%s open=%s irq0=%s irq1=%s\n",
				       sm->name, ctl_state_name(sm->state),
				       sm->vfio_open ? (sm->vm ? sm->vm->name : "?") : "-",
				       sm->trig_set[0] ? "set" : "-", sm->trig_set[1] ? "set" : "-");
		first = false;
	}
}

static void ctl_status_vm_mdevs(struct ctl *c, const struct sim_vm *vm, bool json)
{
	struct sim_mdev *sm;
	bool first = true;

	for (sm = c->s->mdevs; sm; sm = sm->next) {
		if (sm->state == SIM_MDEV_GONE || !sm->vfio_open || sm->vm != vm)
			continue;
		sim_buf_printf(c->out, json ? "%s\"%s\"" : "%s%s", first ? "" : ",", sm->name);
		first = false;
	}
	if (first && !json)
		sim_buf_add(c->out, "-", 1);
}

static void ctl_status_vms(struct ctl *c, bool json)
{
	struct sim_vm *vm;

	for (vm = c->s->vms; vm; vm = vm->next) {
		if (json)
			sim_buf_printf(c->out, "%s{\"name\":\"%s\",\"crycb\":%s,\"mdevs\":[",
				       vm == c->s->vms ? "" : ",", vm->name,
				       vm->guest.kvm.has_crycb ? "true" : "false");
		else
			sim_buf_printf(c->out, "vm %s crycb=%s open=", vm->name,
				       vm->guest.kvm.has_crycb ? "yes" : "no");
		ctl_status_vm_mdevs(c, vm, json);
		sim_buf_add(c->out, json ? "]}" : "\n", json ? 2 : 1);
	}
}

static void ctl_status_faults(struct ctl *c, bool json)
{
	const struct sim_fault *f;
	const char *name;

	for (f = c->s->faults; f; f = f->next) {
		name = ctl_errno_name(f->err);
		if (json)
			sim_buf_printf(c->out, "%s{\"path\":\"%s\",\"errno\":%d,\"count\":%u}",
				       f == c->s->faults ? "" : ",", f->path, f->err, f->count);
		else if (name)
			sim_buf_printf(c->out, "fault %s errno=%s count=%u\n", f->path, name,
				       f->count);
		else
			sim_buf_printf(c->out, "fault %s errno=%d count=%u\n", f->path, f->err,
				       f->count);
	}
}

/* The kernel profile the daemon runs (fixed for its life). */
static void ctl_status_kernel(struct ctl *c, bool json)
{
	const struct ap_profile *p = apb_profile(c->s->bus);

	if (json)
		sim_buf_printf(c->out, "{\"kernel\":\"%s\",", p->name);
	else
		sim_buf_printf(c->out, "kernel %s (%s)\n", p->name, p->what);
}

static int ctl_status(struct ctl *c)
{
	static const char *const known[] = { "--json", NULL };
	bool json = ctl_flag(c, 1, "--json");

	int rc = ctl_only(c, 1, known, "status [--json]");

	if (rc)
		return rc;
	ctl_status_kernel(c, json);
	sim_reg_lock(c->s);
	if (json)
		sim_buf_add(c->out, "\"mdevs\":[", 9);
	ctl_status_mdevs(c, json);
	if (json)
		sim_buf_add(c->out, "],\"vms\":[", 9);
	ctl_status_vms(c, json);
	if (json)
		sim_buf_add(c->out, "],\"faults\":[", 12);
	ctl_status_faults(c, json);
	if (json)
		sim_buf_add(c->out, "]}\n", 3);
	sim_reg_unlock(c->s);
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
	{ "log", ctl_log, "log [--clear]" },
	{ "uevents", ctl_uevents, "uevents [--clear]" },
	{ "fail", ctl_fail_cmd, "fail PATH ERRNO [--count N]" },
	{ "status", ctl_status, "status [--json]" },
	{ "help", ctl_help, "help" },
};

static int ctl_help(struct ctl *c)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ctl_cmds); i++)
		sim_buf_printf(c->out, "%s\n", ctl_cmds[i].usage);
	return 0;
}

static int ctl_split(char *text, char **argv)
{
	char *save = NULL, *w;
	int argc = 0;

	for (w = strtok_r(text, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == CTL_MAX_WORDS)
			return -E2BIG;
		argv[argc++] = w;
	}
	return argc;
}

int sim_ctl_run(struct sim *s, const char *line, size_t len, struct sim_buf *out)
{
	char text[APC_PAGE_SIZE + 1], *argv[CTL_MAX_WORDS];
	struct ctl c = { s, out, 0, argv };
	size_t i;
	int rc;

	if (len > APC_PAGE_SIZE)
		len = APC_PAGE_SIZE;
	/* a NUL would end the words early and hide the rest of the command */
	if (memchr(line, '\0', len))
		return ctl_fail(&c, EINVAL, "NUL byte in the command");
	memcpy(text, line, len);
	text[len] = '\0';
	c.argc = ctl_split(text, argv);
	if (c.argc < 0)
		return ctl_fail(&c, E2BIG, "more than %d words", CTL_MAX_WORDS);
	if (!c.argc)
		return ctl_fail(&c, EINVAL, "empty command");
	for (i = 0; i < ARRAY_SIZE(ctl_cmds); i++)
		if (!strcmp(argv[0], ctl_cmds[i].name))
			break;
	if (i == ARRAY_SIZE(ctl_cmds))
		return ctl_fail(&c, EINVAL, "unknown command '%s' (try help)", argv[0]);
	rc = ctl_cmds[i].run(&c);
	if (rc < 0 && !out->len)
		rc = ctl_fail(&c, -rc, "%s", argv[0]);
	return rc;
}
