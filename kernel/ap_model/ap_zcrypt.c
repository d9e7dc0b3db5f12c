// SPDX-License-Identifier: GPL-2.0
/*
 * ap_zcrypt.c - what zcrypt adds to the AP bus model: the answers CCA and
 * EP11 coprocessor firmware gives zcrypt's queries (zcrypt_cex4.c's
 * serialnr, API_ordinalnr, FW_version, op_modes and mkvps) and the device
 * nodes of /sys/class/zcrypt (zcrypt_api.c's create, destroy and the
 * per-node masks).  The rows naming these functions are in ap_bus_attrs.c.
 *
 * A query is a request through zcrypt, so it is answered only while a
 * queue can take one: bound to cex4queue, online, configured, not
 * checkstopped, and its card too.  CCA asks the queue at ap_domain, EP11
 * any queue of the card; otherwise the card files print an empty line
 * and mkvps "- -".
 */
#include "ap_bus_priv.h"

/* EP11 firmware facts no source gives for a real card: made-up shapes. */
#define APB_EP11_API_ORDINAL	7
#define APB_EP11_FW_VERSION	0x070f	/* 7.15 */
#define APB_EP11_OP_MODES	0	/* no mode set: an empty line */
/* a dynamic char major, as alloc_chrdev_region() might give zcrypt */
#define APB_ZCRYPT_MAJOR	241

/* ---- master key registers ---------------------------------------------- */

struct apb_mk_desc {
	const char *name;	/* host file */
	const char *label;	/* mkvps */
	unsigned int vp_len;
	u32 mode;
	bool is_new;
};

static const struct apb_mk_desc apb_mk_regs[APB_MK_NR] = {
	[APB_MK_AES_NEW] = { "aes-new", "AES NEW", 8, APB_FUNC_CCA, true },
	[APB_MK_AES_CUR] = { "aes-cur", "AES CUR", 8, APB_FUNC_CCA, false },
	[APB_MK_AES_OLD] = { "aes-old", "AES OLD", 8, APB_FUNC_CCA, false },
	[APB_MK_APKA_NEW] = { "apka-new", "APKA NEW", 8, APB_FUNC_CCA, true },
	[APB_MK_APKA_CUR] = { "apka-cur", "APKA CUR", 8, APB_FUNC_CCA, false },
	[APB_MK_APKA_OLD] = { "apka-old", "APKA OLD", 8, APB_FUNC_CCA, false },
	[APB_MK_ASYM_NEW] = { "asym-new", "ASYM NEW", 16, APB_FUNC_CCA, true },
	[APB_MK_ASYM_CUR] = { "asym-cur", "ASYM CUR", 16, APB_FUNC_CCA, false },
	[APB_MK_ASYM_OLD] = { "asym-old", "ASYM OLD", 16, APB_FUNC_CCA, false },
	[APB_MK_WK_CUR] = { "wk-cur", "WK CUR", 32, APB_FUNC_EP11, false },
	[APB_MK_WK_NEW] = { "wk-new", "WK NEW", 32, APB_FUNC_EP11, true },
};

/* The state words, by state number: CCA new, EP11 new, current/old. */
static const char *const apb_mk_new_cca[] = { "empty", "partial", "full" };
static const char *const apb_mk_new_ep11[] = { "empty", "uncommitted", "committed" };
static const char *const apb_mk_cur[] = { "invalid", "valid" };

static const char *const *apb_mk_words(enum apb_mk_reg reg, unsigned int *n)
{
	const struct apb_mk_desc *d = &apb_mk_regs[reg];

	if (!d->is_new) {
		*n = ARRAY_SIZE(apb_mk_cur);
		return apb_mk_cur;
	}
	*n = ARRAY_SIZE(apb_mk_new_cca);
	return d->mode == APB_FUNC_CCA ? apb_mk_new_cca : apb_mk_new_ep11;
}

int apb_mk_reg_find(const char *name)
{
	unsigned int r;

	for (r = 0; r < APB_MK_NR; r++)
		if (!strcmp(apb_mk_regs[r].name, name))
			return (int)r;
	return -1;
}

int apb_mk_state_find(enum apb_mk_reg reg, const char *name)
{
	unsigned int i, n;
	const char *const *words = apb_mk_words(reg, &n);

	for (i = 0; i < n; i++)
		if (!strcmp(words[i], name))
			return (int)i;
	return -1;
}

unsigned int apb_mk_vp_len(enum apb_mk_reg reg)
{
	return apb_mk_regs[reg].vp_len;
}

/*
 * CCA copies the pattern for a full new or a valid current/old register;
 * EP11 for a valid current or any new key but an empty one.
 */
bool apb_mk_shows_vp(enum apb_mk_reg reg, unsigned int state)
{
	const struct apb_mk_desc *d = &apb_mk_regs[reg];

	if (!d->is_new)
		return state == 1;
	return d->mode == APB_FUNC_CCA ? state == 2 : state >= 1;
}

u32 apb_mk_mode(enum apb_mk_reg reg)
{
	return apb_mk_regs[reg].mode;
}

unsigned int apb_serial_len(u32 mode)
{
	return mode == APB_FUNC_CCA ? 8 : mode == APB_FUNC_EP11 ? APB_SERIAL_MAX : 0;
}

/* ---- who can answer (dev_lock held) ------------------------------------- */

static u32 apb_card_mode(const struct apb_bus *bus, unsigned int apid)
{
	return bus->card[apid].functions & APB_FUNC_MODES;
}

static bool apb_queue_usable(const struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	const struct apb_queue_dev *q = &bus->queue[apid][apqi];
	const struct apb_card_dev *c = &bus->card[apid];

	return q->exists && q->drv == APB_DRV_CEX4QUEUE && q->online && q->config &&
	       !q->chkstop && c->bound && c->online && c->config && !c->chkstop;
}

/* cca_get_info() asks (card, ap_domain); ep11_get_card_info() any domain. */
static bool apb_card_answers(const struct apb_bus *bus, unsigned int apid)
{
	unsigned int apqi;

	if (apb_card_mode(bus, apid) == APB_FUNC_CCA)
		return bus->ap_domain >= 0 &&
		       apb_queue_usable(bus, apid, (unsigned int)bus->ap_domain);
	for (apqi = 0; apqi < APBM_BITS; apqi++)
		if (apb_queue_usable(bus, apid, apqi))
			return true;
	return false;
}

/* The zcrypt_cex4 groups: serialnr on CCA and EP11, the rest EP11 only. */
bool apb_card_is_coproc(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	return bus->card[apid].bound && apb_card_mode(bus, apid) != APB_FUNC_ACCEL;
}

bool apb_card_is_ep11(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	return bus->card[apid].bound && apb_card_mode(bus, apid) == APB_FUNC_EP11;
}

bool apb_queue_is_coproc(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	return bus->queue[apid][apqi].drv == APB_DRV_CEX4QUEUE &&
	       apb_card_mode(bus, apid) != APB_FUNC_ACCEL;
}

bool apb_queue_is_ep11(struct apb_bus *bus, unsigned int apid, unsigned int apqi)
{
	return bus->queue[apid][apqi].drv == APB_DRV_CEX4QUEUE &&
	       apb_card_mode(bus, apid) == APB_FUNC_EP11;
}

/* ---- card files ----------------------------------------------------------- */

/* CCA: the 8 characters of STATICSA; EP11: "%16.16s".  "": apsim's own. */
int apb_card_serialnr_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf)
{
	struct apb_fw_spec fw;

	if (!apb_card_answers(bus, apid))
		return APB_SHOW("%s\n", "");
	apb_hw_get_fw(bus, apid, &fw);
	if (fw.serial[0])
		return APB_SHOW("%s\n", fw.serial);
	if (apb_card_mode(bus, apid) == APB_FUNC_CCA)
		return APB_SHOW("APSIMC%02X\n", apid);
	return APB_SHOW("APSIMP00000000%02X\n", apid);
}

int apb_card_api_ordinalnr_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
				char *buf)
{
	if (!apb_card_answers(bus, apid))
		return APB_SHOW("%s\n", "");
	return APB_SHOW("%u\n", APB_EP11_API_ORDINAL);
}

int apb_card_fw_version_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			     char *buf)
{
	if (!apb_card_answers(bus, apid))
		return APB_SHOW("%s\n", "");
	return APB_SHOW("%d.%d\n", APB_EP11_FW_VERSION >> 8, APB_EP11_FW_VERSION & 0xff);
}

/* The names of the set op_mode bits, blank separated. */
static int apb_op_modes_text(unsigned int modes, char *buf)
{
	static const char *const names[] = {
		"FIPS2009", "BSI2009", "FIPS2011", "BSI2011", "SIGG-IMPORT", "SIGG",
		"BSICC2017", "FIPS2021", "FIPS2024",
	};
	unsigned int i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (modes & (1u << i))
			n += snprintf(buf + n, APC_PAGE_SIZE - n, "%s%s", n ? " " : "", names[i]);
	return n + snprintf(buf + n, APC_PAGE_SIZE - n, "\n");
}

int apb_card_op_modes_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf)
{
	return apb_op_modes_text(apb_card_answers(bus, apid) ? APB_EP11_OP_MODES : 0, buf);
}

/* ---- queue files ------------------------------------------------------------ */

/* One mkvps line; @mk NULL when the query failed ("- -"). */
static int apb_mk_line(enum apb_mk_reg reg, const struct apb_mk *mk, char *buf)
{
	const struct apb_mk_desc *d = &apb_mk_regs[reg];
	char hex[2 * APB_MK_VP_MAX + 1];
	unsigned int i, n;
	bool vp;

	if (!mk)
		return APB_SHOW("%s: - -\n", d->label);
	vp = apb_mk_shows_vp(reg, mk->state);
	for (i = 0; i < d->vp_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", vp ? mk->vp[i] : 0);
	if (d->mode == APB_FUNC_EP11 && !vp)	/* EP11 prints "-" instead of zeros */
		snprintf(hex, sizeof(hex), "-");
	return APB_SHOW("%s: %s %s%s\n", d->label, apb_mk_words(reg, &n)[mk->state],
			vp || d->mode == APB_FUNC_CCA ? "0x" : "", hex);
}

/*
 * CCA: AES and APKA (new, current, old), and ASYM where the kernel has
 * it; EP11: the wrapping key, current then new.
 */
int apb_queue_mkvps_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf)
{
	bool ep11 = apb_card_mode(bus, apid) == APB_FUNC_EP11;
	bool asym = ap_profile_has(bus->profile, AP_FEAT_CCA_ASYM_MKVP);
	enum apb_mk_reg r, first = ep11 ? APB_MK_WK_CUR : APB_MK_AES_NEW;
	enum apb_mk_reg last = ep11 ? APB_MK_WK_NEW : asym ? APB_MK_ASYM_OLD : APB_MK_APKA_OLD;
	bool ok = apb_queue_usable(bus, apid, apqi);
	struct apb_fw_spec fw;
	int n = 0;

	apb_hw_get_fw(bus, apid, &fw);
	for (r = first; r <= last; r++)
		n += apb_mk_line(r, ok ? &fw.mk[r] : NULL, buf + n);
	return n;
}

int apb_queue_op_modes_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf)
{
	return apb_op_modes_text(apb_queue_usable(bus, apid, apqi) ? APB_EP11_OP_MODES : 0, buf);
}

/* ---- /sys/class/zcrypt ------------------------------------------------------ */

/* zcdn_{create,destroy}_store(): skip_spaces(), strscpy() into 32, strim(). */
static void apb_zcdn_parse_name(const char *buf, size_t count, char *name)
{
	size_t len = strnlen(buf, count), i = 0, n;

	while (i < len && aptxt_isspace(buf[i]))
		i++;
	n = len - i < APB_ZCDN_NAME_MAX - 1 ? len - i : APB_ZCDN_NAME_MAX - 1;
	memcpy(name, buf + i, n);
	name[n] = '\0';
	while (n && aptxt_isspace(name[n - 1]))
		name[--n] = '\0';
}

static int apb_zcdn_lookup(const struct apb_bus *bus, const char *name)
{
	unsigned int minor;

	for (minor = 0; minor < APB_ZCDN_MAX; minor++)
		if (bus->zcdn[minor].name[0] && !strcmp(bus->zcdn[minor].name, name))
			return (int)minor;
	return -ENOENT;
}

/*
 * zcdn_create(): EEXIST for a taken name, the lowest free minor (ENOSPC
 * when all 256 are used), "zcrypt_<minor>" for an empty name.  The device
 * core then turns '/' into '!' and refuses a name its directories hold.
 */
static int apb_zcdn_add(struct apb_bus *bus, const char *want)
{
	struct apb_zcdn *z;
	unsigned int minor;
	char *p;

	if (want[0] && apb_zcdn_lookup(bus, want) >= 0)
		return -EEXIST;
	for (minor = 0; minor < APB_ZCDN_MAX && bus->zcdn[minor].name[0]; minor++)
		;
	if (minor == APB_ZCDN_MAX)
		return -ENOSPC;
	z = &bus->zcdn[minor];
	if (want[0])
		snprintf(z->name, sizeof(z->name), "%s", want);
	else
		snprintf(z->name, sizeof(z->name), "zcrypt_%u", minor);
	for (p = z->name; (p = strchr(p, '/')); )
		*p = '!';
	if (apb_zcdn_lookup(bus, z->name) != (int)minor || !strcmp(z->name, "create") ||
	    !strcmp(z->name, "destroy") || !strcmp(z->name, ".") || !strcmp(z->name, "..")) {
		memset(z, 0, sizeof(*z));
		return -EEXIST;
	}
	return 0;
}

static int apb_zcdn_remove(struct apb_bus *bus, const char *name)
{
	int minor = apb_zcdn_lookup(bus, name);

	if (minor >= 0)
		memset(&bus->zcdn[minor], 0, sizeof(bus->zcdn[minor]));
	return minor < 0 ? minor : 0;
}

/* create and destroy: a name, then @op under dev_lock. */
static long apb_zcdn_name_store(struct apb_bus *bus, const char *buf, size_t count,
				int (*op)(struct apb_bus *bus, const char *name))
{
	char name[APB_ZCDN_NAME_MAX];
	int rc;

	apb_zcdn_parse_name(buf, count, name);
	apc_mutex_lock(&bus->dev_lock);
	rc = op(bus, name);
	apc_mutex_unlock(&bus->dev_lock);
	return rc ? rc : (long)count;
}

long apb_zcdn_create_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			   const char *buf, size_t count)
{
	return apb_zcdn_name_store(bus, buf, count, apb_zcdn_add);
}

long apb_zcdn_destroy_store(struct apb_bus *bus, unsigned int apid, unsigned int apqi,
			    const char *buf, size_t count)
{
	return apb_zcdn_name_store(bus, buf, count, apb_zcdn_remove);
}

/* The rows below run under dev_lock on an existing node (@apid = minor). */
int apb_zcdn_dev_show(struct apb_bus *bus, unsigned int apid, unsigned int apqi, char *buf)
{
	return APB_SHOW("%u:%u\n", APB_ZCRYPT_MAJOR, apid);
}

/* The masks: the text of the bus masks, and ap_parse_mask_str() to store. */
static long apb_zcdn_mask_store(struct apbm *mask, const char *buf, size_t count)
{
	struct apbm new;
	int rc = aptxt_parse_mask(buf, count, mask, &new);

	if (rc)
		return rc;
	*mask = new;
	return (long)count;
}

#define APB_ZCDN_MASK(field)							\
int apb_zcdn_##field##_show(struct apb_bus *bus, unsigned int apid,		\
			    unsigned int apqi, char *buf)			\
{										\
	return aptxt_format_mask_line(&bus->zcdn[apid].field, buf);		\
}										\
long apb_zcdn_##field##_store(struct apb_bus *bus, unsigned int apid,		\
			      unsigned int apqi, const char *buf, size_t count)	\
{										\
	return apb_zcdn_mask_store(&bus->zcdn[apid].field, buf, count);	\
}

APB_ZCDN_MASK(apmask)
APB_ZCDN_MASK(aqmask)
APB_ZCDN_MASK(admask)
APB_ZCDN_MASK(ioctlmask)

bool apb_zcdn_name(struct apb_bus *bus, unsigned int minor, char *name)
{
	bool used;

	if (minor >= APB_ZCDN_MAX)
		return false;
	apc_mutex_lock(&bus->dev_lock);
	used = bus->zcdn[minor].name[0];
	if (used)
		memcpy(name, bus->zcdn[minor].name, APB_ZCDN_NAME_MAX);
	apc_mutex_unlock(&bus->dev_lock);
	return used;
}

int apb_zcdn_find(struct apb_bus *bus, const char *name)
{
	int minor;

	apc_mutex_lock(&bus->dev_lock);
	minor = apb_zcdn_lookup(bus, name);
	apc_mutex_unlock(&bus->dev_lock);
	return minor;
}
