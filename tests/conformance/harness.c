// SPDX-License-Identifier: GPL-2.0
/*
 * harness.c - files, assertions, cleanups, fixtures and the control
 * command of the conformance suite.  See harness.h.
 */
#include "harness.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct ct_target ct;

/* ---- rings of small buffers for paths and diagnostics ------------------ */

#define RING_N 32

static char *ring_next(void)
{
	static __thread char ring[RING_N][PATH_MAX];
	static __thread unsigned int next;

	return ring[next++ % RING_N];
}

const char *P(const char *fmt, ...)
{
	char *b = ring_next();
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, PATH_MAX, fmt, ap);
	va_end(ap);
	return b;
}

const char *ct_abs(const char *rel)
{
	char *b = ring_next();

	snprintf(b, PATH_MAX, "%s/%s", ct.root, rel);
	return b;
}

const char *esc(const char *s, size_t len)
{
	char *b = ring_next();
	size_t o = 0;

	for (size_t i = 0; i < len && o + 8 < PATH_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (o > 300) {
			o += (size_t)snprintf(b + o, PATH_MAX - o, "...");
			break;
		}
		if (c == '\n')
			o += (size_t)snprintf(b + o, PATH_MAX - o, "\\n");
		else if (c == '\\' || c == '"')
			o += (size_t)snprintf(b + o, PATH_MAX - o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(b + o, PATH_MAX - o, "\\x%02x", c);
		else
			b[o++] = (char)c;
	}
	b[o] = '\0';
	return b;
}

#define CT_ESHORT 100000	/* pseudo errno: write(2) accepted fewer bytes */

const char *errname(int err)
{
	static const struct { int e; const char *n; } names[] = {
		{ 0, "success" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EINTR, "EINTR" }, { EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" },
		{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" },
		{ EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" }, { EROFS, "EROFS" },
		{ ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" }, { EUSERS, "EUSERS" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EADDRINUSE, "EADDRINUSE" },
		{ EADDRNOTAVAIL, "EADDRNOTAVAIL" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ ENOTCONN, "ENOTCONN" }, { ECONNABORTED, "ECONNABORTED" },
		{ CT_ESHORT, "short write" },
	};
	char *b;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == err)
			return names[i].n;
	b = ring_next();
	snprintf(b, PATH_MAX, "errno %d", err);
	return b;
}

/* ---- ID sets ------------------------------------------------------------ */

void idset_clear(struct idset *s)
{
	memset(s, 0, sizeof(*s));
}

void idset_add(struct idset *s, unsigned int id)
{
	if (id < 256)
		s->w[id / 64] |= 1ULL << (63 - id % 64);
}

void idset_del(struct idset *s, unsigned int id)
{
	if (id < 256)
		s->w[id / 64] &= ~(1ULL << (63 - id % 64));
}

bool idset_has(const struct idset *s, unsigned int id)
{
	return id < 256 && (s->w[id / 64] >> (63 - id % 64)) & 1;
}

bool idset_empty(const struct idset *s)
{
	return !(s->w[0] | s->w[1] | s->w[2] | s->w[3]);
}

bool idset_equal(const struct idset *a, const struct idset *b)
{
	return !memcmp(a->w, b->w, sizeof(a->w));
}

unsigned int idset_count(const struct idset *s)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < 256; i++)
		n += idset_has(s, i);
	return n;
}

struct idset idset_of(int first, ...)
{
	struct idset s;
	va_list ap;

	idset_clear(&s);
	va_start(ap, first);
	for (int id = first; id >= 0; id = va_arg(ap, int))
		idset_add(&s, (unsigned int)id);
	va_end(ap);
	return s;
}

void idset_hex(const struct idset *s, char out[67])
{
	snprintf(out, 67, "0x%016llx%016llx%016llx%016llx",
		 (unsigned long long)s->w[0], (unsigned long long)s->w[1],
		 (unsigned long long)s->w[2], (unsigned long long)s->w[3]);
}

bool idset_parse_hex(const char *text, struct idset *out)
{
	struct idset s;

	if (strncmp(text, "0x", 2))
		return false;
	text += 2;
	idset_clear(&s);
	for (unsigned int i = 0; i < 64; i++) {
		int c = tolower((unsigned char)text[i]);
		unsigned int v;

		if (c >= '0' && c <= '9')
			v = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = (unsigned int)(c - 'a' + 10);
		else
			return false;
		for (unsigned int b = 0; b < 4; b++)
			if (v & (8u >> b))
				idset_add(&s, i * 4 + b);
	}
	if (text[64] != '\0' && strcmp(text + 64, "\n"))
		return false;
	*out = s;
	return true;
}

void matrix_text(const struct idset *apm, const struct idset *aqm, char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	if (!idset_empty(apm) && !idset_empty(aqm)) {
		for (unsigned int a = 0; a < 256; a++)
			for (unsigned int d = 0; d < 256 && idset_has(apm, a); d++)
				if (idset_has(aqm, d) && o < size)
					o += (size_t)snprintf(out + o, size - o, "%02x.%04x\n", a, d);
	} else if (!idset_empty(apm)) {
		for (unsigned int a = 0; a < 256; a++)
			if (idset_has(apm, a) && o < size)
				o += (size_t)snprintf(out + o, size - o, "%02x.\n", a);
	} else {
		for (unsigned int d = 0; d < 256; d++)
			if (idset_has(aqm, d) && o < size)
				o += (size_t)snprintf(out + o, size - o, ".%04x\n", d);
	}
}

void domains_text(const struct idset *adm, char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	for (unsigned int d = 0; d < 256; d++)
		if (idset_has(adm, d) && o < size)
			o += (size_t)snprintf(out + o, size - o, "%04x\n", d);
}

void ap_config_text(const struct idset *apm, const struct idset *aqm,
		    const struct idset *adm, char *out, size_t size)
{
	char a[67], q[67], c[67];

	idset_hex(apm, a);
	idset_hex(aqm, q);
	idset_hex(adm, c);
	snprintf(out, size, "%s,%s,%s\n", a, q, c);
}

/* ---- file primitives --------------------------------------------------- */

int sysfs_read(const char *rel, char *buf, size_t size)
{
	int fd = open(ct_abs(rel), O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	buf[0] = '\0';
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	return (int)n;
}

int sysfs_write(const char *rel, const char *data, size_t len)
{
	int fd = open(ct_abs(rel), O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, data, len);
	err = errno;
	if (close(fd) < 0 && n >= 0)
		return -errno;
	if (n < 0)
		return -err;
	return (size_t)n == len ? 0 : -CT_ESHORT;
}

int sysfs_write_str(const char *rel, const char *str)
{
	return sysfs_write(rel, str, strlen(str));
}

int sysfs_stat(const char *rel, unsigned int *mode)
{
	struct stat st;

	if (stat(ct_abs(rel), &st) < 0)
		return -errno;
	if (mode)
		*mode = st.st_mode;
	return 0;
}

int sysfs_lstat(const char *rel, unsigned int *mode)
{
	struct stat st;

	if (lstat(ct_abs(rel), &st) < 0)
		return -errno;
	if (mode)
		*mode = st.st_mode;
	return 0;
}

int sysfs_readlink(const char *rel, char *buf, size_t size)
{
	ssize_t n = readlink(ct_abs(rel), buf, size - 1);

	if (n < 0) {
		buf[0] = '\0';
		return -errno;
	}
	buf[n] = '\0';
	return (int)n;
}

int sysfs_driver(const char *devrel, char *name, size_t size)
{
	char link[PATH_MAX];
	int r = sysfs_readlink(P("%s/driver", devrel), link, sizeof(link));
	const char *base;

	name[0] = '\0';
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	base = strrchr(link, '/');
	snprintf(name, size, "%s", base ? base + 1 : link);
	return 0;
}

/* ---- assertions ---------------------------------------------------------- */

struct ct_state {
	bool failed, skipped;
	char msg[2048];
};
static struct ct_state cur;

void ct_reset_state(void)
{
	memset(&cur, 0, sizeof(cur));
}

bool ct_state_result(bool *skipped, const char **msg)
{
	*skipped = cur.skipped && !cur.failed;
	*msg = cur.msg;
	return !cur.failed;
}

bool ct_fail(const char *fmt, ...)
{
	va_list ap;

	if (cur.failed)
		return false;
	cur.failed = true;
	va_start(ap, fmt);
	vsnprintf(cur.msg, sizeof(cur.msg), fmt, ap);
	va_end(ap);
	return false;
}

bool ct_skip(const char *fmt, ...)
{
	va_list ap;

	if (cur.failed || cur.skipped)
		return false;
	cur.skipped = true;
	va_start(ap, fmt);
	vsnprintf(cur.msg, sizeof(cur.msg), fmt, ap);
	va_end(ap);
	return false;
}

void ct_note(const char *fmt, ...)
{
	va_list ap;

	if (!ct.verbose)
		return;
	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

bool expect(bool cond, const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	if (cond)
		return true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ct_fail("%s", msg);
}

bool expect_write(const char *rel, const char *data, size_t len, int err)
{
	int r = sysfs_write(rel, data, len);

	if (r == -err)
		return true;
	return ct_fail("write \"%s\" to %s: expected %s got %s", esc(data, len), rel,
		       errname(err), errname(-r));
}

bool expect_write_s(const char *rel, const char *str, int err)
{
	return expect_write(rel, str, strlen(str), err);
}

bool expect_read(const char *rel, const char *text)
{
	static char buf[CT_PAGE * 2];
	int r = sysfs_read(rel, buf, sizeof(buf));

	if (r < 0)
		return ct_fail("read %s: expected \"%s\" got %s", rel, esc(text, strlen(text)),
			       errname(-r));
	if (strcmp(buf, text))
		return ct_fail("read %s: expected \"%s\" got \"%s\"", rel,
			       esc(text, strlen(text)), esc(buf, (size_t)r));
	return true;
}

bool expect_absent(const char *rel)
{
	int r = sysfs_lstat(rel, NULL);

	if (r == -ENOENT)
		return true;
	return ct_fail("lstat %s: expected ENOENT got %s", rel, errname(-r));
}

static const char *type_name(unsigned int type)
{
	return type == S_IFDIR ? "directory" : type == S_IFLNK ? "symlink" :
	       type == S_IFREG ? "regular file" : "other";
}

bool expect_node(const char *rel, unsigned int type, int perm)
{
	unsigned int mode;
	int r = sysfs_lstat(rel, &mode);

	if (r < 0)
		return ct_fail("lstat %s: expected a %s got %s", rel, type_name(type), errname(-r));
	if ((mode & S_IFMT) != type)
		return ct_fail("%s: expected a %s got a %s", rel, type_name(type),
			       type_name(mode & S_IFMT));
	if (perm >= 0 && (mode & 07777) != (unsigned int)perm)
		return ct_fail("%s: expected mode %04o got %04o", rel, (unsigned int)perm,
			       mode & 07777);
	return true;
}

bool expect_link(const char *rel, const char *target)
{
	char buf[PATH_MAX];
	int r = sysfs_readlink(rel, buf, sizeof(buf));

	if (r < 0)
		return ct_fail("readlink %s: expected \"%s\" got %s", rel, target, errname(-r));
	if (strcmp(buf, target))
		return ct_fail("readlink %s: expected \"%s\" got \"%s\"", rel, target, buf);
	return true;
}

bool expect_open_errno(const char *rel, int flags, int err)
{
	int fd = open(ct_abs(rel), flags | O_CLOEXEC);
	int e = errno;

	if (fd >= 0) {
		close(fd);
		e = 0;
	}
	if (e == err)
		return true;
	return ct_fail("open %s %s: expected %s got %s", rel,
		       (flags & O_ACCMODE) == O_RDONLY ? "O_RDONLY" : "O_WRONLY",
		       errname(err), errname(e));
}

/* ---- deferred cleanup ---------------------------------------------------- */

enum ct_defer_kind { DEF_WRITE, DEF_CTL, DEF_FN };

struct ct_defer {
	enum ct_phase phase;
	enum ct_defer_kind kind;
	char rel[256];
	char text[512];
	int ignore;
	bool must_succeed;
	bool (*fn)(void *);
	void *arg;
};

#define CT_MAX_DEFER 512
static struct ct_defer defers[CT_MAX_DEFER];
static unsigned int ndefers;

static struct ct_defer *defer_slot(enum ct_phase ph, enum ct_defer_kind kind)
{
	struct ct_defer *d;

	if (ndefers == CT_MAX_DEFER) {
		ct_fail("harness: too many deferred cleanups");
		return NULL;
	}
	d = &defers[ndefers++];
	memset(d, 0, sizeof(*d));
	d->phase = ph;
	d->kind = kind;
	return d;
}

void ct_defer_write(enum ct_phase ph, const char *rel, const char *text, int ignore)
{
	struct ct_defer *d = defer_slot(ph, DEF_WRITE);

	if (!d)
		return;
	snprintf(d->rel, sizeof(d->rel), "%s", rel);
	snprintf(d->text, sizeof(d->text), "%s", text);
	d->ignore = ignore;
}

static void defer_ctl_v(enum ct_phase ph, bool must_succeed, const char *fmt, va_list ap)
{
	struct ct_defer *d = defer_slot(ph, DEF_CTL);

	if (!d)
		return;
	vsnprintf(d->text, sizeof(d->text), fmt, ap);
	d->must_succeed = must_succeed;
}

void ct_defer_ctl(enum ct_phase ph, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	defer_ctl_v(ph, true, fmt, ap);
	va_end(ap);
}

void ct_defer_ctl_quiet(enum ct_phase ph, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	defer_ctl_v(ph, false, fmt, ap);
	va_end(ap);
}

void ct_defer_fn(enum ct_phase ph, bool (*fn)(void *), void *arg)
{
	struct ct_defer *d = defer_slot(ph, DEF_FN);

	if (!d)
		return;
	d->fn = fn;
	d->arg = arg;
}

static bool saved_mask[2];

static void cleanup_failed(const char *fmt, ...) CT_PRINTF(1, 2);
static void cleanup_failed(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("# cleanup failed: %s\n", msg);
	fflush(stdout);
	ct_fail("cleanup: %s", msg);
}

void ct_run_cleanups(void)
{
	for (int ph = 0; ph < CT_PH_NR; ph++) {
		for (unsigned int i = ndefers; i-- > 0;) {
			struct ct_defer *d = &defers[i];
			const struct ct_ctl_result *res;
			int r;

			if ((int)d->phase != ph)
				continue;
			switch (d->kind) {
			case DEF_WRITE:
				r = sysfs_write_str(d->rel, d->text);
				if (r < 0 && r != -d->ignore)
					cleanup_failed("write \"%s\" to %s: %s",
						       esc(d->text, strlen(d->text)), d->rel,
						       errname(-r));
				break;
			case DEF_CTL:
				res = ctl_run("%s", d->text);
				if (res->status != 0 && d->must_succeed)
					cleanup_failed("ctl %s: exit %d: %s", d->text, res->status,
						       esc(res->err, strlen(res->err)));
				break;
			case DEF_FN:
				if (!d->fn(d->arg))
					cleanup_failed("%s", "see above");
				break;
			}
		}
	}
	ndefers = 0;
	saved_mask[0] = saved_mask[1] = false;
}

/* ---- target -------------------------------------------------------------- */

static bool env_flag(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0");
}

static bool read_uint(const char *rel, unsigned int *out)
{
	char buf[64];
	char *end;
	long v;

	if (sysfs_read(rel, buf, sizeof(buf)) <= 0)
		return false;
	v = strtol(buf, &end, 10);
	if (end == buf || v < 0)
		return false;
	*out = (unsigned int)v;
	return true;
}

static void read_qci_mask(const char *rel, struct idset *out)
{
	char buf[128];

	idset_clear(out);
	if (sysfs_read(rel, buf, sizeof(buf)) > 0)
		idset_parse_hex(buf, out);
}

/* The kernels the suite knows: docs/kernel-abi.md §0.2, written out here so
 * the suite stays independent of the code it checks. */
static const struct {
	const char *name;
	int kver;
	bool cfg_bugs;		/* §4.7 bugs 1-4: every upstream release to 7.0 */
} ct_kernels[] = {
	{ "6.0", 600, true }, { "6.10", 610, true }, { "6.12", 612, true },
	{ "6.15", 615, true }, { "6.19", 619, true }, { "7.0", 700, true },
	{ "fixed", 700, false },
};

/* Tests that need something a release brought. */
static const struct {
	const char *test;
	int since;
	const char *what;
} ct_needs[] = {
	{ "ap_config_read", 610, "ap_config (6.10)" },
	{ "ap_config_write_forms", 610, "ap_config (6.10)" },
	{ "ap_config_write_errors", 610, "ap_config (6.10)" },
	{ "ap_config_enodev", 610, "ap_config (6.10)" },
	{ "ap_config_apply", 610, "ap_config (6.10)" },
	{ "control_domains", 610, "ap_config (6.10)" },
	{ "matrix_page_cap", 610, "ap_config (6.10)" },
	{ "filter_quirk_ap_config", 610, "ap_config (6.10)" },
	{ "features_text", 612, "the matrix device's features (6.12)" },
	{ "guest_cfg_chg_eventfd", 615, "the config-change eventfd (6.15)" },
	{ "bus_driver_override", 619, "driver_override (6.19)" },
	{ "bus_driver_override_text", 619, "driver_override (6.19)" },
};

bool ct_kernel_init(void)
{
	const char *v = getenv("CONFORMANCE_KERNEL"), *b = getenv("CONFORMANCE_BASELINE");
	size_t i;

	if (!v || !*v)
		v = b && !strcmp(b, "6.18") ? "6.15" : "7.0";
	for (i = 0; i < sizeof(ct_kernels) / sizeof(ct_kernels[0]); i++) {
		if (strcmp(ct_kernels[i].name, v))
			continue;
		ct.kernel = ct_kernels[i].name;
		ct.kver = ct_kernels[i].kver;
		ct.cfg_bugs = ct_kernels[i].cfg_bugs;
		ct.baseline = ct.kver >= 619 ? 619 : 618;
		return true;
	}
	fprintf(stderr, "conformance: CONFORMANCE_KERNEL=%s: not a known kernel "
		"(6.0 6.10 6.12 6.15 6.19 7.0 fixed)\n", v);
	return false;
}

bool ct_kernel_has(int kver)
{
	return ct.kver >= kver;
}

bool ct_kernel_cfg_bugs(void)
{
	return ct.cfg_bugs;
}

bool ct_test_applies(const char *name, const char **why)
{
	size_t i;

	for (i = 0; i < sizeof(ct_needs) / sizeof(ct_needs[0]); i++) {
		if (strcmp(ct_needs[i].test, name) || ct_kernel_has(ct_needs[i].since))
			continue;
		*why = ct_needs[i].what;
		return false;
	}
	return true;
}

bool ct_target_init(void)
{
	const char *v;
	char buf[CT_PAGE];
	DIR *dir;
	struct dirent *de;

	ct.root = getenv("CONFORMANCE_SYSFS_ROOT");
	if (!ct.root || !*ct.root) {
		fprintf(stderr, "conformance: CONFORMANCE_SYSFS_ROOT is not set\n");
		return false;
	}
	v = getenv("CONFORMANCE_CTL");
	ct.ctl = v && *v ? v : NULL;
	ct.no_skip = env_flag("CONFORMANCE_NO_SKIP");
	ct.default_masks = env_flag("CONFORMANCE_DEFAULT_MASKS");
	ct.verbose = env_flag("CONFORMANCE_VERBOSE");
	/*
	 * The mdev's uevent file is the mdev core's, not vfio_ap's: 6.1's
	 * writes DRIVER= only, later ones add MDEV_TYPE= (the release is not
	 * pinned).  A target whose mdev core is older says so.
	 */
	v = getenv("CONFORMANCE_MDEV_UEVENT_TYPE");
	ct.mdev_uevent_type = !(v && !strcmp(v, "0"));
	v = getenv("CONFORMANCE_TIMEOUT");
	ct.timeout = v && atoi(v) > 0 ? (unsigned int)atoi(v) : 60;

	if (sysfs_stat(AP_BUS, NULL) < 0) {
		fprintf(stderr, "conformance: %s/%s: %s\n", ct.root, AP_BUS, strerror(errno));
		return false;
	}
	if (!read_uint(AP_BUS "/ap_max_adapter_id", &ct.bus_max_apid))
		ct.bus_max_apid = 63;
	if (!read_uint(AP_BUS "/ap_max_domain_id", &ct.bus_max_apqi))
		ct.bus_max_apqi = 15;
	/*
	 * APXA: bus/ap/features says it (6.4+).  Before, the maxima tell:
	 * without APXA the bus keeps 63/15, so other maxima mean APXA.  APXA
	 * with Na 63 and Nd 15 reads as "off", which gives the same maxima.
	 */
	if (sysfs_read(AP_BUS "/features", buf, sizeof(buf)) > 0)
		ct.apxa = strstr(buf, "APXA") != NULL;
	else
		ct.apxa = ct.bus_max_apid != 63 || ct.bus_max_apqi != 15;
	ct.apm_max = ct.apxa ? ct.bus_max_apid : 63;
	ct.aqm_max = ct.apxa ? ct.bus_max_apqi : 15;
	read_qci_mask(AP_BUS "/ap_adapter_mask", &ct.cfg_apm);
	read_qci_mask(AP_BUS "/ap_usage_domain_mask", &ct.cfg_aqm);
	read_qci_mask(AP_BUS "/ap_control_domain_mask", &ct.cfg_adm);
	mask_read("apmask", &ct.apmask);
	mask_read("aqmask", &ct.aqmask);

	dir = opendir(ct_abs("devices/ap"));
	while (dir && (de = readdir(dir))) {
		unsigned int id, type;

		if (sscanf(de->d_name, "card%2x", &id) != 1 || strlen(de->d_name) != 6)
			continue;
		if (read_uint(P("devices/ap/%s/hwtype", de->d_name), &type) && type >= 10)
			idset_add(&ct.cards, id);
	}
	if (dir)
		closedir(dir);
	return true;
}

/* ---- fixtures ------------------------------------------------------------ */

void uuid_random(char out[CT_UUID_LEN + 1])
{
	unsigned char b[16];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, b, sizeof(b)) != (ssize_t)sizeof(b)) {
		/* Not fatal: fall back to time and pid. */
		unsigned long long t = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);

		for (int i = 0; i < 16; i++)
			b[i] = (unsigned char)((t >> (i % 8 * 8)) ^ (unsigned int)rand());
	}
	if (fd >= 0)
		close(fd);
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, CT_UUID_LEN + 1,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
		 b[12], b[13], b[14], b[15]);
}

/*
 * Remove an mdev in a child process: a removal blocks while the vfio
 * device is open (§4.8), and a test that failed may have left it open.  A
 * blocked child is reported and left behind (the caller's teardown of the
 * target releases it); the suite itself never hangs here.
 */
static bool remove_mdev_cleanup(void *arg)
{
	char *uuid = arg;
	pid_t pid = fork();
	int st = -1;
	bool ok = false;

	if (pid == 0) {
		int r = sysfs_write_str(MDEV(uuid, "remove"), "1");

		_exit(r == 0 || r == -ENOENT ? 0 : (-r & 0x7f) + 1);
	}
	if (pid < 0) {
		printf("# cleanup: remove mdev %s: fork: %s\n", uuid, strerror(errno));
	} else {
		for (unsigned int t = 0; t < 1000; t++) {
			if (waitpid(pid, &st, WNOHANG) == pid)
				break;
			st = -1;
			usleep(10000);
		}
		if (st == -1)
			printf("# cleanup: remove mdev %s: still blocked after 10 s "
			       "(vfio device open?)\n", uuid);
		else if (!WIFEXITED(st) || WEXITSTATUS(st))
			printf("# cleanup: remove mdev %s: %s\n", uuid,
			       WIFEXITED(st) ? errname(WEXITSTATUS(st) - 1) : "killed");
		else
			ok = true;
	}
	free(uuid);
	return ok;
}

bool mdev_new(char uuid[CT_UUID_LEN + 1])
{
	int r;

	uuid_random(uuid);
	r = sysfs_write_str(TYPE_DIR "/create", uuid);
	if (r < 0)
		return ct_fail("create mdev %s: expected success got %s", uuid, errname(-r));
	ct_defer_fn(CT_PH_MDEV, remove_mdev_cleanup, strdup(uuid));
	return true;
}

int mdev_count(void)
{
	DIR *dir = opendir(ct_abs(TYPE_DIR "/devices"));
	struct dirent *de;
	int n = 0;

	if (!dir)
		return -errno;
	while ((de = readdir(dir)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(dir);
	return n;
}

bool mdev_attr(const char *uuid, const char *attr, unsigned int val, int err)
{
	char text[32];

	snprintf(text, sizeof(text), "%u", val);
	return expect_write_s(P(MATRIX_DIR "/%s/%s", uuid, attr), text, err);
}

bool mdev_assign_sets(const char *uuid, const struct idset *apm, const struct idset *aqm,
		      const struct idset *adm)
{
	for (unsigned int i = 0; apm && i < 256; i++)
		if (idset_has(apm, i) && !ASSIGN_A(uuid, i))
			return false;
	for (unsigned int i = 0; aqm && i < 256; i++)
		if (idset_has(aqm, i) && !ASSIGN_D(uuid, i))
			return false;
	for (unsigned int i = 0; adm && i < 256; i++)
		if (idset_has(adm, i) && !ASSIGN_C(uuid, i))
			return false;
	return true;
}

bool expect_matrix(const char *uuid, const struct idset *apm, const struct idset *aqm)
{
	static char text[CT_PAGE * 4];

	matrix_text(apm, aqm, text, sizeof(text));
	return expect_read(P(MATRIX_DIR "/%s/matrix", uuid), text);
}

bool expect_guest(const char *uuid, const struct idset *apm, const struct idset *aqm)
{
	static char text[CT_PAGE * 4];

	matrix_text(apm, aqm, text, sizeof(text));
	return expect_read(P(MATRIX_DIR "/%s/guest_matrix", uuid), text);
}

bool mask_read(const char *mask, struct idset *out)
{
	char buf[128];
	int r = sysfs_read(P(AP_BUS "/%s", mask), buf, sizeof(buf));

	if (r < 0)
		return ct_fail("read %s/%s: %s", AP_BUS, mask, errname(-r));
	if (!idset_parse_hex(buf, out))
		return ct_fail("read %s/%s: not a mask: \"%s\"", AP_BUS, mask, esc(buf, (size_t)r));
	return true;
}

bool mask_save(const char *mask)
{
	int idx = !strcmp(mask, "aqmask");
	char buf[128];
	int r;

	if (saved_mask[idx])
		return true;
	r = sysfs_read(P(AP_BUS "/%s", mask), buf, sizeof(buf));
	if (r < 0)
		return ct_fail("read %s/%s: %s", AP_BUS, mask, errname(-r));
	ct_defer_write(CT_PH_MASK, P(AP_BUS "/%s", mask), buf, 0);
	saved_mask[idx] = true;
	return true;
}

bool host_release(const char *mask, const struct idset *ids)
{
	char text[2048];
	size_t o = 0;

	if (!mask_save(mask))
		return false;
	for (unsigned int i = 0; i < 256; i++)
		if (idset_has(ids, i))
			o += (size_t)snprintf(text + o, sizeof(text) - o, "%s-%u", o ? "," : "", i);
	if (!o)
		return true;
	return expect_write_s(P(AP_BUS "/%s", mask), text, 0);
}

bool host_release_adapters(const struct idset *ids)
{
	return host_release("apmask", ids);
}

bool host_release_domains(const struct idset *ids)
{
	return host_release("aqmask", ids);
}

const char *apqn(unsigned int apid, unsigned int apqi)
{
	return P("%02x.%04x", apid, apqi);
}

const char *apqn_product(const struct idset *apm, const struct idset *aqm)
{
	char *b = ring_next();
	size_t o = 0;

	b[0] = '\0';
	for (unsigned int a = 0; a < 256; a++)
		for (unsigned int d = 0; d < 256 && idset_has(apm, a); d++)
			if (idset_has(aqm, d) && o + 10 < PATH_MAX)
				o += (size_t)snprintf(b + o, PATH_MAX - o, "%s%02x.%04x",
						      o ? " " : "", a, d);
	return b;
}

const char *queue_dev(unsigned int apid, unsigned int apqi)
{
	return P(AP_BUS "/devices/%02x.%04x", apid, apqi);
}

struct rebind {
	unsigned int apid, apqi;
	char drv[64];
};

static bool rebind_cleanup(void *arg)
{
	struct rebind *rb = arg;
	const char *other = strcmp(rb->drv, "vfio_ap") ? "vfio_ap" : "cex4queue";
	char apqn[16];
	int r;

	snprintf(apqn, sizeof(apqn), "%02x.%04x", rb->apid, rb->apqi);
	r = sysfs_write_str(P(AP_BUS "/drivers/%s/bind", rb->drv), apqn);
	if (r == -ENODEV)
		r = sysfs_write_str(P(AP_BUS "/drivers/%s/bind", other), apqn);
	if (r == -EBUSY || (r == -ENODEV && sysfs_lstat(queue_dev(rb->apid, rb->apqi), NULL) < 0))
		r = 0;	/* bound already, or the device is gone */
	if (r < 0)
		printf("# cleanup: re-bind %s: %s\n", apqn, errname(-r));
	free(rb);
	return r == 0;
}

bool queue_unbind(unsigned int apid, unsigned int apqi)
{
	struct rebind *rb = calloc(1, sizeof(*rb));
	char apqn[16];
	int r;

	if (!rb)
		return ct_fail("out of memory");
	rb->apid = apid;
	rb->apqi = apqi;
	r = sysfs_driver(queue_dev(apid, apqi), rb->drv, sizeof(rb->drv));
	if (r < 0 || !rb->drv[0]) {
		free(rb);
		return ct_fail("queue %02x.%04x: expected a driver got %s", apid, apqi,
			       r < 0 ? errname(-r) : "none");
	}
	snprintf(apqn, sizeof(apqn), "%02x.%04x", apid, apqi);
	r = sysfs_write_str(P(AP_BUS "/drivers/%s/unbind", rb->drv), apqn);
	if (r < 0) {
		ct_fail("unbind %s from %s: expected success got %s", apqn, rb->drv, errname(-r));
		free(rb);
		return false;
	}
	ct_defer_fn(CT_PH_BIND, rebind_cleanup, rb);
	return true;
}

bool queue_bind(const char *drv, unsigned int apid, unsigned int apqi, int err)
{
	char apqn[16];

	snprintf(apqn, sizeof(apqn), "%02x.%04x", apid, apqi);
	return expect_write_s(P(AP_BUS "/drivers/%s/bind", drv), apqn, err);
}

bool expect_driver(unsigned int apid, unsigned int apqi, const char *drv)
{
	char name[64];
	int r = sysfs_driver(queue_dev(apid, apqi), name, sizeof(name));

	if (r < 0)
		return ct_fail("driver of %02x.%04x: expected \"%s\" got %s", apid, apqi, drv,
			       errname(-r));
	if (strcmp(name, drv))
		return ct_fail("driver of %02x.%04x: expected \"%s\" got \"%s\"", apid, apqi, drv,
			       name);
	return true;
}

bool expect_status(unsigned int apid, unsigned int apqi, const char *status)
{
	return expect_read(P("%s/status", queue_dev(apid, apqi)), P("%s\n", status));
}

bool pick_host(unsigned int na, unsigned int nd, unsigned int *apids, unsigned int *apqis)
{
	unsigned int a = 0, d = 0;

	for (unsigned int q = 0; q <= ct.bus_max_apqi && d < nd; q++)
		if (idset_has(&ct.cfg_aqm, q))
			apqis[d++] = q;
	if (d < nd)
		return ct_skip("host has fewer than %u usage domains", nd);
	for (unsigned int p = 0; p <= ct.bus_max_apid && a < na; p++) {
		bool all = idset_has(&ct.cards, p);

		for (unsigned int i = 0; i < nd && all; i++)
			all = sysfs_lstat(queue_dev(p, apqis[i]), NULL) == 0;
		if (all)
			apids[a++] = p;
	}
	if (a < na)
		return ct_skip("host has fewer than %u CEX4+ adapters with %u domains", na, nd);
	return true;
}

bool pick_free_apid(unsigned int nth, unsigned int *apid)
{
	for (unsigned int p = ct.apm_max + 1; p-- > 0;) {
		if (idset_has(&ct.cfg_apm, p) || sysfs_lstat(P("devices/ap/card%02x", p), NULL) == 0)
			continue;
		if (nth-- == 0) {
			*apid = p;
			return true;
		}
	}
	return ct_skip("no free adapter ID");
}

bool pick_free_apqi(unsigned int nth, unsigned int *apqi)
{
	for (unsigned int q = ct.aqm_max + 1; q-- > 0;) {
		if (idset_has(&ct.cfg_aqm, q))
			continue;
		if (nth-- == 0) {
			*apqi = q;
			return true;
		}
	}
	return ct_skip("no free domain ID");
}

bool pick_cdoms(unsigned int *in, unsigned int *out)
{
	bool have_in = false, have_out = false;

	for (unsigned int c = 0; c <= ct.aqm_max; c++) {
		if (idset_has(&ct.cfg_adm, c) && !have_in) {
			*in = c;
			have_in = true;
		} else if (!idset_has(&ct.cfg_adm, c) && !have_out) {
			*out = c;
			have_out = true;
		}
	}
	if (!have_in)
		return ct_skip("host has no control domain");
	if (!have_out)
		return ct_skip("host has every control domain");
	return true;
}

/* ---- control ------------------------------------------------------------- */

bool need_ctl(void)
{
	if (ct.ctl)
		return true;
	return ct_skip("needs control (CONFORMANCE_CTL is empty)");
}

/* Collect the child's output; false when it had to be killed. */
static bool read_pipes(int outfd, int errfd, struct ct_ctl_result *res, pid_t pid,
		       unsigned int timeout_ms)
{
	size_t no = 0, ne = 0;
	struct timespec t0, t;
	struct pollfd pfd[2] = { { outfd, POLLIN, 0 }, { errfd, POLLIN, 0 } };
	int open_fds = 2;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (open_fds > 0) {
		long el;
		int r;

		clock_gettime(CLOCK_MONOTONIC, &t);
		el = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (el >= (long)timeout_ms) {
			kill(pid, SIGKILL);
			snprintf(res->err, sizeof(res->err), "timed out after %u ms", timeout_ms);
			return false;
		}
		r = poll(pfd, 2, (int)(timeout_ms - (unsigned long)el));
		if (r < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			char *buf = i ? res->err : res->out;
			size_t cap = i ? sizeof(res->err) : sizeof(res->out);
			size_t *len = i ? &ne : &no;
			char sink[512];
			ssize_t n;

			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (*len + 1 < cap)
				n = read(pfd[i].fd, buf + *len, cap - 1 - *len);
			else
				n = read(pfd[i].fd, sink, sizeof(sink));
			if (n <= 0) {
				pfd[i].fd = -1;
				open_fds--;
			} else if (*len + 1 < cap) {
				*len += (size_t)n;
				buf[*len] = '\0';
			}
		}
	}
	return true;
}

static void ctl_run_v(struct ct_ctl_result *res, const char *fmt, va_list ap)
{
	char words[1024], cmd[4096];
	int outp[2], errp[2];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st;
	char *argv[4];

	res->status = -1;
	res->out[0] = res->err[0] = '\0';
	vsnprintf(words, sizeof(words), fmt, ap);
	if (!ct.ctl) {
		snprintf(res->err, sizeof(res->err), "no control command");
		return;
	}
	snprintf(cmd, sizeof(cmd), "%s %s", ct.ctl, words);
	if (pipe2(outp, O_CLOEXEC) < 0)
		return;
	if (pipe2(errp, O_CLOEXEC) < 0) {
		close(outp[0]);
		close(outp[1]);
		return;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	argv[0] = (char *)"sh";
	argv[1] = (char *)"-c";
	argv[2] = cmd;
	argv[3] = NULL;
	st = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(outp[1]);
	close(errp[1]);
	if (st == 0) {
		bool done = read_pipes(outp[0], errp[0], res, pid, ct.timeout * 1000 / 2);

		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		res->status = done && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	} else {
		snprintf(res->err, sizeof(res->err), "posix_spawn: %s", strerror(st));
	}
	close(outp[0]);
	close(errp[0]);
	ct_note("ctl %s -> %d", words, res->status);
}

void ctl_run_into(struct ct_ctl_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctl_run_v(res, fmt, ap);
	va_end(ap);
}

const struct ct_ctl_result *ctl_run(const char *fmt, ...)
{
	static struct ct_ctl_result res;
	va_list ap;

	va_start(ap, fmt);
	ctl_run_v(&res, fmt, ap);
	va_end(ap);
	return &res;
}

const char *ctl_ok(const char *fmt, ...)
{
	static struct ct_ctl_result res;
	char words[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(words, sizeof(words), fmt, ap);
	va_end(ap);
	ctl_run_into(&res, "%s", words);
	if (res.status != 0) {
		ct_fail("ctl %s: expected success got exit %d: %s", words, res.status,
			esc(res.err, strlen(res.err)));
		return NULL;
	}
	return res.out;
}

bool ctl_err(int err, const char *fmt, ...)
{
	static struct ct_ctl_result res;
	char words[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(words, sizeof(words), fmt, ap);
	va_end(ap);
	ctl_run_into(&res, "%s", words);
	if (res.status == 0)
		return ct_fail("ctl %s: expected %s got success", words, errname(err));
	if (!strstr(res.err, strerror(err)) && !strstr(res.err, errname(err)))
		return ct_fail("ctl %s: expected %s (\"%s\") got exit %d: \"%s\"", words,
			       errname(err), strerror(err), res.status,
			       esc(res.err, strlen(res.err)));
	return true;
}

static bool parse_counter(const char *text, const char *key, unsigned long *out)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "%s ", key);
	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, pat, strlen(pat))) {
			*out = strtoul(p + strlen(pat), NULL, 10);
			return true;
		}
	return false;
}

static bool parse_mask_line(const char *text, const char *key, struct idset *out)
{
	char pat[64], hex[80];
	const char *p;

	snprintf(pat, sizeof(pat), "%s ", key);
	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, pat, strlen(pat))) {
			snprintf(hex, sizeof(hex), "%.66s", p + strlen(pat));
			return idset_parse_hex(hex, out);
		}
	return false;
}

bool ctl_crycb(const char *vm, struct crycb *out)
{
	const char *text = ctl_ok("crycb --vm %s", vm);

	if (!text)
		return false;
	if (!parse_mask_line(text, "apm", &out->apm) || !parse_mask_line(text, "aqm", &out->aqm) ||
	    !parse_mask_line(text, "adm", &out->adm) ||
	    !parse_counter(text, "updates", &out->updates) ||
	    !parse_counter(text, "cfg_chg_signals", &out->cfg_chg_signals) ||
	    !parse_counter(text, "req_signals", &out->req_signals))
		return ct_fail("ctl crycb --vm %s: unexpected output \"%s\"", vm,
			       esc(text, strlen(text)));
	return true;
}

bool expect_crycb(const char *vm, const struct idset *apm, const struct idset *aqm,
		  const struct idset *adm)
{
	struct crycb c;
	char e[67], g[67];

	if (!ctl_crycb(vm, &c))
		return false;
	if (!idset_equal(&c.apm, apm)) {
		idset_hex(apm, e);
		idset_hex(&c.apm, g);
		return ct_fail("CRYCB apm of %s: expected %s got %s", vm, e, g);
	}
	if (!idset_equal(&c.aqm, aqm)) {
		idset_hex(aqm, e);
		idset_hex(&c.aqm, g);
		return ct_fail("CRYCB aqm of %s: expected %s got %s", vm, e, g);
	}
	if (!idset_equal(&c.adm, adm)) {
		idset_hex(adm, e);
		idset_hex(&c.adm, g);
		return ct_fail("CRYCB adm of %s: expected %s got %s", vm, e, g);
	}
	return true;
}

bool guest_attach(const char *uuid, const char *vm)
{
	if (!ctl_ok("attach %s --vm %s", uuid, vm))
		return false;
	ct_defer_ctl_quiet(CT_PH_GUEST, "detach %s", uuid);
	return true;
}

const char *vm_name(const char *tag)
{
	static char names[8][64];
	static unsigned int next;
	char *n = names[next++ % 8];

	snprintf(n, sizeof(names[0]), "ct%d-%s", (int)getpid(), tag);
	return n;
}

bool log_clear(void)
{
	return ctl_ok("log --clear") != NULL;
}

bool uevents_clear(void)
{
	return ctl_ok("uevents --clear") != NULL;
}

const char *log_text(void)
{
	return ctl_ok("log");
}

const char *uevents_text(void)
{
	return ctl_ok("uevents");
}

unsigned int count_lines_containing(const char *text, const char *needle)
{
	unsigned int n = 0;

	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);

		if (memmem(p, l, needle, strlen(needle)))
			n++;
		p = nl ? nl + 1 : NULL;
	}
	return n;
}

unsigned int count_lines(const char *text, const char *line)
{
	size_t len = strlen(line);
	unsigned int n = 0;

	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);

		if (l == len && !strncmp(p, line, len))
			n++;
		p = nl ? nl + 1 : NULL;
	}
	return n;
}

static int cmp_apqn(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Sort the space-separated words of @s, dropping duplicates. */
static void sort_words(const char *s, char *out, size_t size)
{
	char words[512][16];
	unsigned int n = 0;
	size_t o = 0;

	while (*s && n < 512) {
		size_t l;

		while (*s == ' ')
			s++;
		l = strcspn(s, " ");
		if (!l)
			break;
		snprintf(words[n++], sizeof(words[0]), "%.*s", (int)(l < 15 ? l : 15), s);
		s += l;
	}
	qsort(words, n, sizeof(words[0]), cmp_apqn);
	out[0] = '\0';
	for (unsigned int i = 0; i < n; i++) {
		if (i && !strcmp(words[i], words[i - 1]))
			continue;
		o += (size_t)snprintf(out + o, size - o, "%s%s", o ? " " : "", words[i]);
		if (o >= size)
			break;
	}
}

void log_resets(const char *text, int rc, char *apqns, size_t size)
{
	static const char pfx[] = "apsim: reset queue ";
	char raw[8192];
	size_t o = 0;

	raw[0] = '\0';
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		unsigned int a, d, r;

		if (!strncmp(p, pfx, sizeof(pfx) - 1) &&
		    sscanf(p + sizeof(pfx) - 1, "%2x.%4x rc=0x%2x", &a, &d, &r) == 3 &&
		    (rc < 0 || (unsigned int)rc == r) && o + 16 < sizeof(raw))
			o += (size_t)snprintf(raw + o, sizeof(raw) - o, "%s%02x.%04x",
					      o ? " " : "", a, d);
		p = nl ? nl + 1 : NULL;
	}
	sort_words(raw, apqns, size);
}

bool expect_resets(const char *expected)
{
	char want[4096], got[4096];
	const char *text = log_text();

	if (!text)
		return false;
	sort_words(expected, want, sizeof(want));
	log_resets(text, -1, got, sizeof(got));
	if (strcmp(want, got))
		return ct_fail("queues reset: expected {%s} got {%s}", want, got);
	return true;
}

bool wait_for(bool (*cond)(void *), void *arg, unsigned int ms)
{
	for (unsigned int t = 0; t < ms; t += 10) {
		if (cond(arg))
			return true;
		usleep(10000);
	}
	return cond(arg);
}

bool guest_on_unconfigured_adapter(const char *vm, char uuid[CT_UUID_LEN + 1], unsigned int *f,
				   struct idset *F, struct idset *D)
{
	unsigned int aa[1], dd[1];

	if (!need_ctl() || !pick_host(1, 1, aa, dd) || !pick_free_apid(0, f))
		return false;
	*F = IDS((int)*f);
	*D = IDS((int)dd[0]);
	return host_release_adapters(F) && mdev_new(uuid) && mdev_assign_sets(uuid, F, D, NULL) &&
	       guest_attach(uuid, vm);
}
