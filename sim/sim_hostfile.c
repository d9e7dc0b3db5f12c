// SPDX-License-Identifier: GPL-2.0
/*
 * sim_hostfile.c - the host description file of "apsim start --host FILE".
 *
 * Line oriented, "keyword value..." with '#' comments and blank lines:
 *
 *   adapter ID[-ID] [TYPE] [MODE]   TYPE: CEX4..CEX8 or a raw type number
 *                                   (default CEX8), MODE: cca, ep11 or
 *                                   accel (default cca); "type=" and
 *                                   "mode=" prefixes are accepted
 *   domains LIST                    usage domains (QCI aqm)
 *   control-domains LIST            control domains (QCI adm); default:
 *                                   the usage domains
 *   apxa on|off                     default on
 *   na N, nd N                      QCI Na / Nd (APXA only), default 255
 *   apmask MASK, aqmask MASK        initial bus masks, the syntax of
 *                                   /sys/bus/ap/apmask, applied to the boot
 *                                   value (all ones) in file order
 *   kernel VERSION                  the kernel profile: 6.0, 6.10, 6.12, 6.15,
 *                                   6.19, 7.0 (default) or fixed
 *   in-use-rule 6.18|6.19           old spelling: 6.18 is kernel 6.15, 6.19
 *                                   the default kernel
 *   serial ID TEXT                  a coprocessor's serial number: letters and
 *                                   digits, 8 for CCA, 16 for EP11
 *   mk ID[-ID] REGISTER STATE [VP]  a master key register of every queue of
 *                                   the adapters (zcrypt's mkvps): REGISTER
 *                                   aes-new ... asym-old (CCA), wk-cur,
 *                                   wk-new (EP11); STATE empty, partial, full
 *                                   (CCA new), empty, uncommitted, committed
 *                                   (EP11 new), invalid, valid (current,
 *                                   old); VP the verification pattern in hex
 *                                   (16, 32 or 64 digits), exactly when the
 *                                   state shows one
 *
 * LIST is IDs and ranges separated by commas or blanks, or "none".  IDs
 * are C numbers (5, 0x05, 005).  Every line is checked strictly and IDs
 * against the maxima the finished QCI gives (Na/Nd with APXA, else 63/15);
 * the first problem is reported as "FILE:LINE: message".  A NUL byte and a
 * line longer than HOST_LINE_MAX are errors, and so is a failed read: the
 * file is read into a fixed buffer, so running out of memory cannot end
 * it early either.
 */
#include <ctype.h>
#include <stdarg.h>

#include "ap_text.h"
#include "sim_hostfile.h"
#include "sim_parse.h"

/* kernel and in-use-rule both choose the profile: together they count once. */
enum host_once { HK_APXA, HK_NA, HK_ND, HK_KERNEL, HK_CDOMS, HK_COUNT };

struct host_ctx {
	const char *file;
	unsigned int line;
	struct apb_host_spec *spec;
	unsigned int adapter_line[APBM_BITS];	/* 0: not defined */
	unsigned int domain_line[APBM_BITS];
	unsigned int cdom_line[APBM_BITS];
	unsigned int once_line[HK_COUNT];
	unsigned int serial_line[APBM_BITS];
	unsigned int mk_line[APBM_BITS][APB_MK_NR];
	char *err;
	size_t errlen;
};

static int host_err(struct host_ctx *c, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int host_err(struct host_ctx *c, unsigned int line, const char *fmt, ...)
{
	int n = snprintf(c->err, c->errlen, "%s:%u: ", c->file, line);
	va_list ap;

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < c->errlen)
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* "A" or "A-B" with A <= B <= 255. */
static int host_parse_range(const char *s, unsigned int *first, unsigned int *last)
{
	char tmp[64];
	char *dash;

	if (strlen(s) >= sizeof(tmp))
		return -EINVAL;
	strcpy(tmp, s);
	dash = strchr(tmp, '-');
	if (dash)
		*dash = '\0';
	if (sim_parse_id(tmp, APBM_BITS - 1, first))
		return -EINVAL;
	if (!dash) {
		*last = *first;
		return 0;
	}
	if (sim_parse_id(dash + 1, APBM_BITS - 1, last) || *last < *first)
		return -EINVAL;
	return 0;
}

static int host_once(struct host_ctx *c, enum host_once k, const char *key)
{
	if (c->once_line[k])
		return host_err(c, c->line, "%s given twice (first on line %u)", key,
				c->once_line[k]);
	c->once_line[k] = c->line;
	return 0;
}

static int host_adapter(struct host_ctx *c, int argc, char **argv)
{
	u8 raw = AP_TYPE_CEX8;
	u32 functions = APB_FUNC_CCA;
	bool seen_type = false, seen_mode = false, is_type;
	unsigned int first, last, id;
	int i;

	if (argc < 2 || argc > 4)
		return host_err(c, c->line, "usage: adapter ID[-ID] [TYPE] [MODE]");
	if (host_parse_range(argv[1], &first, &last))
		return host_err(c, c->line, "bad adapter ID or range '%s'", argv[1]);
	for (i = 2; i < argc; i++) {
		u8 t = 0;
		u32 f = 0;

		if (sim_parse_adapter_opt(argv[i], &is_type, &t, &f) ||
		    (is_type ? seen_type : seen_mode))
			return host_err(c, c->line, "bad adapter option '%s' (expected CEX4..CEX8, a type number, cca, ep11 or accel, once each)",
					argv[i]);
		if (is_type) {
			seen_type = true;
			raw = t;
		} else {
			seen_mode = true;
			functions = f;
		}
	}
	for (id = first; id <= last; id++) {
		if (c->adapter_line[id])
			return host_err(c, c->line, "adapter 0x%02x already defined on line %u", id,
					c->adapter_line[id]);
		c->adapter_line[id] = c->line;
		apbm_set(&c->spec->qci.apm, id);
		c->spec->adapter[id].raw_type = raw;
		c->spec->adapter[id].functions = functions;
	}
	return 0;
}

/* A comma must sit between two elements (blanks around it are fine). */
static bool host_list_commas_ok(const char *text)
{
	bool elem = false;	/* an element since the last comma */

	for (; *text; text++) {
		if (*text == ',') {
			if (!elem)
				return false;
			elem = false;
		} else if (*text != ' ') {
			elem = true;
		}
	}
	return elem;
}

static int host_list_add(struct host_ctx *c, const char *word, struct apbm *m,
			 unsigned int *lines)
{
	unsigned int first, last, id;

	if (host_parse_range(word, &first, &last))
		return host_err(c, c->line, "bad ID or range '%s'", word);
	for (id = first; id <= last; id++) {
		apbm_set(m, id);
		if (!lines[id])
			lines[id] = c->line;
	}
	return 0;
}

/* LIST: IDs and ranges separated by commas and/or blanks, or "none". */
static int host_list(struct host_ctx *c, int argc, char **argv, struct apbm *m,
		     unsigned int *lines)
{
	char text[1024], *save = NULL, *w;
	size_t len = 0;
	int i, rc;

	if (argc < 2)
		return host_err(c, c->line, "%s: expected IDs, ranges or none", argv[0]);
	if (argc == 2 && !strcmp(argv[1], "none"))
		return 0;
	text[0] = '\0';
	for (i = 1; i < argc; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", i > 1 ? " " : "",
					argv[i]);
	if (len >= sizeof(text) || !host_list_commas_ok(text))
		return host_err(c, c->line, "%s: empty element in the list", argv[0]);
	for (w = strtok_r(text, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		rc = host_list_add(c, w, m, lines);
		if (rc)
			return rc;
	}
	return 0;
}

static int host_onoff(struct host_ctx *c, int argc, char **argv, bool *out)
{
	if (argc != 2 || (strcmp(argv[1], "on") && strcmp(argv[1], "off")))
		return host_err(c, c->line, "%s: expected on or off", argv[0]);
	*out = !strcmp(argv[1], "on");
	return 0;
}

static int host_max(struct host_ctx *c, int argc, char **argv, u8 *out)
{
	unsigned int v;

	if (argc != 2 || sim_parse_id(argv[1], APBM_BITS - 1, &v))
		return host_err(c, c->line, "%s: expected a number 0..255", argv[0]);
	*out = (u8)v;
	return 0;
}

static int host_mask(struct host_ctx *c, int argc, char **argv, struct apbm *mask)
{
	struct apbm new;

	if (argc != 2 || aptxt_parse_mask(argv[1], strlen(argv[1]), mask, &new))
		return host_err(c, c->line, "%s: bad mask (the syntax of /sys/bus/ap/%s)", argv[0],
				argv[0]);
	*mask = new;
	return 0;
}

static int host_rule(struct host_ctx *c, int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "6.18") && strcmp(argv[1], "6.19")))
		return host_err(c, c->line, "in-use-rule: expected 6.18 or 6.19");
	c->spec->profile = sim_profile_of_rule(argv[1]);
	return 0;
}

static int host_kernel(struct host_ctx *c, int argc, char **argv)
{
	const struct ap_profile *p = argc == 2 ? ap_profile_find(argv[1]) : NULL;

	if (!p)
		return host_err(c, c->line, "kernel: expected one of %s", ap_profile_names());
	c->spec->profile = p;
	return 0;
}

/* "serial ID TEXT": the length is checked against the mode at the end. */
static int host_serial(struct host_ctx *c, int argc, char **argv)
{
	unsigned int id, i, len = argc == 3 ? (unsigned int)strlen(argv[2]) : 0;

	if (argc != 3 || sim_parse_id(argv[1], APBM_BITS - 1, &id))
		return host_err(c, c->line, "usage: serial ID TEXT");
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)argv[2][i]))
			break;
	if (i < len || len > APB_SERIAL_MAX)
		return host_err(c, c->line, "serial: expected at most %u letters and digits",
				APB_SERIAL_MAX);
	if (c->serial_line[id])
		return host_err(c, c->line, "serial of adapter 0x%02x already given on line %u", id,
				c->serial_line[id]);
	c->serial_line[id] = c->line;
	memcpy(c->spec->fw[id].serial, argv[2], len + 1);
	return 0;
}

static u8 host_hexval(char x)
{
	return (u8)(isdigit((unsigned char)x) ? x - '0' : tolower((unsigned char)x) - 'a' + 10);
}

/* A verification pattern: an optional 0x, then exactly 2 * @len hex digits. */
static int host_vp(const char *text, unsigned int len, u8 *vp)
{
	unsigned int i;

	if (!strncmp(text, "0x", 2))
		text += 2;
	if (strlen(text) != 2 * len)
		return -EINVAL;
	for (i = 0; i < 2 * len; i++)
		if (!isxdigit((unsigned char)text[i]))
			return -EINVAL;
	for (i = 0; i < len; i++)
		vp[i] = (u8)(host_hexval(text[2 * i]) << 4 | host_hexval(text[2 * i + 1]));
	return 0;
}

/* "mk ID[-ID] REGISTER STATE [VP]": the mode is checked at the end. */
static int host_mk(struct host_ctx *c, int argc, char **argv)
{
	struct apb_mk mk = { 0 };
	unsigned int first, last, id, len;
	int reg, state;

	if (argc < 4 || argc > 5 || host_parse_range(argv[1], &first, &last))
		return host_err(c, c->line, "usage: mk ID[-ID] REGISTER STATE [PATTERN]");
	reg = apb_mk_reg_find(argv[2]);
	if (reg < 0)
		return host_err(c, c->line, "mk: unknown register '%s' (aes-, apka-, asym-new|cur|old, wk-cur, wk-new)",
				argv[2]);
	state = apb_mk_state_find(reg, argv[3]);
	if (state < 0)
		return host_err(c, c->line, "mk %s: bad state '%s'", argv[2], argv[3]);
	mk.state = (u8)state;
	len = apb_mk_vp_len(reg);
	if (!apb_mk_shows_vp(reg, mk.state) && argc == 5)
		return host_err(c, c->line, "mk %s %s: this state has no pattern", argv[2], argv[3]);
	if (apb_mk_shows_vp(reg, mk.state) && (argc != 5 || host_vp(argv[4], len, mk.vp)))
		return host_err(c, c->line, "mk %s %s: expected a pattern of %u hex digits", argv[2],
				argv[3], 2 * len);
	for (id = first; id <= last; id++) {
		if (c->mk_line[id][reg])
			return host_err(c, c->line, "mk %s of adapter 0x%02x already given on line %u",
					argv[2], id, c->mk_line[id][reg]);
		c->mk_line[id][reg] = c->line;
		c->spec->fw[id].mk[reg] = mk;
	}
	return 0;
}

static int host_keyword(struct host_ctx *c, int argc, char **argv)
{
	struct apb_host_spec *spec = c->spec;
	const char *k = argv[0];
	int rc;

	if (!strcmp(k, "adapter"))
		return host_adapter(c, argc, argv);
	if (!strcmp(k, "domains"))
		return host_list(c, argc, argv, &spec->qci.aqm, c->domain_line);
	if (!strcmp(k, "apmask"))
		return host_mask(c, argc, argv, &spec->apmask);
	if (!strcmp(k, "aqmask"))
		return host_mask(c, argc, argv, &spec->aqmask);
	if (!strcmp(k, "serial"))
		return host_serial(c, argc, argv);
	if (!strcmp(k, "mk"))
		return host_mk(c, argc, argv);
	if (!strcmp(k, "control-domains"))
		rc = host_once(c, HK_CDOMS, k) ?: host_list(c, argc, argv, &spec->qci.adm,
							     c->cdom_line);
	else if (!strcmp(k, "apxa"))
		rc = host_once(c, HK_APXA, k) ?: host_onoff(c, argc, argv, &spec->qci.apxa);
	else if (!strcmp(k, "na"))
		rc = host_once(c, HK_NA, k) ?: host_max(c, argc, argv, &spec->qci.na);
	else if (!strcmp(k, "nd"))
		rc = host_once(c, HK_ND, k) ?: host_max(c, argc, argv, &spec->qci.nd);
	else if (!strcmp(k, "in-use-rule"))
		rc = host_once(c, HK_KERNEL, k) ?: host_rule(c, argc, argv);
	else if (!strcmp(k, "kernel"))
		rc = host_once(c, HK_KERNEL, k) ?: host_kernel(c, argc, argv);
	else
		rc = host_err(c, c->line, "unknown keyword '%s'", k);
	return rc;
}

#define HOST_MAX_WORDS 64

static int host_line(struct host_ctx *c, char *text)
{
	char *argv[HOST_MAX_WORDS], *save = NULL, *w, *hash = strchr(text, '#');
	int argc = 0;

	if (hash)
		*hash = '\0';
	for (w = strtok_r(text, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == HOST_MAX_WORDS)
			return host_err(c, c->line, "too many words");
		argv[argc++] = w;
	}
	return argc ? host_keyword(c, argc, argv) : 0;
}

/* IDs of @m above @max: report the first, on the line that named it. */
static int host_check_max(struct host_ctx *c, const struct apbm *m, unsigned int max,
			  const unsigned int *lines, const char *what)
{
	unsigned int id = apbm_next(m, max + 1);

	if (id >= APBM_BITS)
		return 0;
	return host_err(c, lines[id], "%s 0x%02x is above the maximum 0x%02x", what, id, max);
}

static const char *host_mode_name(u32 mode)
{
	return mode == APB_FUNC_CCA ? "CCA" : mode == APB_FUNC_EP11 ? "EP11" : "an accelerator";
}

/* Serial numbers and key registers need a defined adapter of their mode. */
static int host_check_fw(struct host_ctx *c, unsigned int id)
{
	u32 mode = c->spec->adapter[id].functions & APB_FUNC_MODES;
	unsigned int r, want = apb_serial_len(mode);
	size_t len = strlen(c->spec->fw[id].serial);

	if (c->serial_line[id] && !c->adapter_line[id])
		return host_err(c, c->serial_line[id], "serial: adapter 0x%02x is not defined", id);
	if (c->serial_line[id] && !want)
		return host_err(c, c->serial_line[id], "serial: adapter 0x%02x is an accelerator", id);
	if (c->serial_line[id] && len != want)
		return host_err(c, c->serial_line[id], "serial of %s adapter 0x%02x: expected %u characters",
				host_mode_name(mode), id, want);
	for (r = 0; r < APB_MK_NR; r++) {
		if (!c->mk_line[id][r])
			continue;
		if (!c->adapter_line[id])
			return host_err(c, c->mk_line[id][r], "mk: adapter 0x%02x is not defined", id);
		if (apb_mk_mode(r) != mode)
			return host_err(c, c->mk_line[id][r], "mk: adapter 0x%02x is %s, not %s", id,
					host_mode_name(mode), host_mode_name(apb_mk_mode(r)));
	}
	return 0;
}

static int host_finish(struct host_ctx *c)
{
	struct ap_qci *q = &c->spec->qci;
	unsigned int max_ap, max_dom, id;
	int rc;

	if (!q->apxa && (c->once_line[HK_NA] || c->once_line[HK_ND]))
		return host_err(c, c->once_line[HK_NA] ?: c->once_line[HK_ND],
				"na and nd need apxa on");
	if (!q->apxa) {
		q->na = 0;
		q->nd = 0;
	}
	if (!c->once_line[HK_CDOMS]) {
		q->adm = q->aqm;
		memcpy(c->cdom_line, c->domain_line, sizeof(c->cdom_line));
	}
	max_ap = q->apxa && q->na ? q->na : 63;
	max_dom = q->apxa && q->nd ? q->nd : 15;
	for (id = 0; id < APBM_BITS; id++) {
		rc = host_check_fw(c, id);
		if (rc)
			return rc;
	}
	rc = host_check_max(c, &q->apm, max_ap, c->adapter_line, "adapter");
	if (!rc)
		rc = host_check_max(c, &q->aqm, max_dom, c->domain_line, "domain");
	if (!rc)
		rc = host_check_max(c, &q->adm, max_dom, c->cdom_line, "control domain");
	return rc;
}

/* An empty machine with the default scalars; the file adds the rest. */
static void host_base(struct apb_host_spec *spec)
{
	apb_default_spec(spec);
	memset(spec->adapter, 0, sizeof(spec->adapter));
	apbm_zero(&spec->qci.apm);
	apbm_zero(&spec->qci.aqm);
	apbm_zero(&spec->qci.adm);
}

#define HOST_LINE_MAX	4096	/* characters of a line, its '\n' not counted */

/*
 * The next line, without its '\n', into @text (HOST_LINE_MAX + 1 bytes):
 * 1, 0 at the end of the file, or -errno with the message set.
 */
static int host_read_line(struct host_ctx *c, FILE *f, char *text)
{
	size_t n = 0;
	int ch, err;

	while ((ch = getc(f)) != EOF && ch != '\n') {
		if (!ch)
			return host_err(c, c->line + 1, "NUL byte");
		if (n == HOST_LINE_MAX)
			return host_err(c, c->line + 1, "line longer than %d bytes", HOST_LINE_MAX);
		text[n++] = (char)ch;
	}
	if (ch == EOF && ferror(f)) {
		err = errno ? errno : EIO;
		host_err(c, c->line + 1, "read error: %s", strerror(err));
		return -err;
	}
	if (ch == EOF && !n)
		return 0;
	text[n] = '\0';
	c->line++;
	return 1;
}

static int host_parse(struct host_ctx *c, FILE *f)
{
	char text[HOST_LINE_MAX + 1];
	int rc;

	errno = 0;
	while ((rc = host_read_line(c, f, text)) > 0) {
		rc = host_line(c, text);
		if (rc)
			return rc;
	}
	return rc ?: host_finish(c);
}

int sim_hostfile_parse(FILE *f, const char *name, struct apb_host_spec *spec, char *err,
		       size_t errlen)
{
	struct host_ctx *c = calloc(1, sizeof(*c));
	int rc;

	if (!c) {
		snprintf(err, errlen, "%s: %s", name, strerror(ENOMEM));
		return -ENOMEM;
	}
	c->file = name;
	c->spec = spec;
	c->err = err;
	c->errlen = errlen;
	host_base(spec);
	rc = host_parse(c, f);
	free(c);
	return rc;
}

int sim_hostfile_load(const char *path, struct apb_host_spec *spec, char *err, size_t errlen)
{
	FILE *f;
	int rc;

	if (!path) {
		apb_default_spec(spec);
		return 0;
	}
	f = fopen(path, "r");
	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	rc = sim_hostfile_parse(f, path, spec, err, errlen);
	fclose(f);
	return rc;
}
