// SPDX-License-Identifier: GPL-2.0
/*
 * t_zcrypt.c - what s390-tools (lszcrypt, chzcrypt, zcryptctl) read from
 * zcrypt and the AP bus: ap_functions per type and mode, depth,
 * ap_interrupts, the online rules, request_count by queue state, the
 * coprocessor firmware files and /sys/class/zcrypt.
 *
 * s390-tools itself is not packaged for this machine's architecture, so
 * these tests assert the exact texts lszcrypt and zcryptctl parse (e.g.
 * ap_functions 0x92800000, lszcrypt -V's S--D--N-F-, for a CEX8C).
 */
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * The bits the machine adds to every card: APSC (S) and APXA (N), from
 * bus/ap/features (6.4+), else from the ap_functions of host card @apid.
 */
static unsigned int machine_bits(unsigned int apid)
{
	char buf[256];
	unsigned int fac;

	if (sysfs_read(AP_BUS "/features", buf, sizeof(buf)) > 0)
		return (strstr(buf, "APSC") ? 0x80000000u : 0) |
		       (strstr(buf, "APXA") ? 0x02000000u : 0);
	if (sysfs_read(P("devices/ap/card%02x/ap_functions", apid), buf, sizeof(buf)) <= 0 ||
	    sscanf(buf, "0x%x", &fac) != 1)
		return 0;
	return fac & 0x82000000u;
}

/* ap_functions per type and mode, on the card and on its queues. */
static void test_zcrypt_ap_functions(void)
{
	static const struct { const char *type, *mode; unsigned int fac; const char *ctype; } t[] = {
		{ "CEX8", "cca", 0x10800000, "CEX8C\n" },	/* S--D--N-F- with S, N */
		{ "CEX5", "cca", 0x10000000, "CEX5C\n" },
		{ "CEX4", "accel", 0x68000000, "CEX4A\n" },
		{ "CEX7", "ep11", 0x04000000, "CEX7P\n" },
	};
	unsigned int a[1], d[1], f, s;
	struct idset F;

	CT_TRY(need_ctl());
	CT_TRY(pick_host(1, 1, a, d));
	s = machine_bits(a[0]);
	CT_TRY(pick_free_apid(0, &f));
	F = IDS((int)f);
	CT_TRY(host_release_adapters(&F));
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *want = P("0x%08X\n", t[i].fac | s);

		CT_TRY(ctl_ok("config add-adapter %u type=%s mode=%s", f, t[i].type, t[i].mode) != NULL);
		ct_defer_ctl(CT_PH_HW, "config remove-adapter %u", f);
		CT_TRY(expect_read(P("devices/ap/card%02x/ap_functions", f), want));
		/* the queue's ap_functions came with 6.4 (first profile 6.10) */
		if (ct_kernel_has(610))
			CT_TRY(expect_read(P("%s/ap_functions", queue_dev(f, d[0])), want));
		else
			CT_TRY(expect_absent(P("%s/ap_functions", queue_dev(f, d[0]))));
		CT_TRY(expect_read(P("devices/ap/card%02x/type", f), t[i].ctype));
		CT_TRY(ctl_ok("config remove-adapter %u", f) != NULL);
	}
}

static void test_zcrypt_depth_interrupts(void)
{
	unsigned int a[1], d[1];

	CT_TRY(pick_host(1, 1, a, d));
	CT_TRY(expect_read(P("devices/ap/card%02x/depth", a[0]), "7\n"));
	CT_TRY(expect_read(AP_BUS "/ap_interrupts", "1\n"));
}

/* Online is refused only for a deconfigured card (no checkstop test). */
static void test_zcrypt_online_rules(void)
{
	unsigned int a[1], d[1];
	const char *card = NULL, *q;

	CT_TRY(need_ctl());
	CT_TRY(pick_host(1, 1, a, d));
	card = P("devices/ap/card%02x", a[0]);
	q = queue_dev(a[0], d[0]);
	ct_defer_write(CT_PH_HW, P("%s/online", card), "1", 0);
	ct_defer_write(CT_PH_HW, P("%s/config", card), "1", 0);
	ct_defer_write(CT_PH_HW, AP_BUS "/scans", "1", 0);
	ct_defer_ctl(CT_PH_HW, "chkstop %u off", a[0]);
	CT_TRY(ctl_ok("chkstop %u on", a[0]) != NULL);
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	/* a checkstop counts as offline from 6.10 on (the 6.12 source; 6.1 not) */
	CT_TRY(expect_write_s(P("%s/online", card), "1", ct_kernel_has(610) ? ENODEV : 0));
	CT_TRY(expect_write_s(P("%s/online", q), "1", ct_kernel_has(610) ? ENODEV : 0));
	CT_TRY(ctl_ok("chkstop %u off", a[0]) != NULL);
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	CT_TRY(expect_write_s(P("%s/config", card), "0", 0));
	CT_TRY(expect_write_s(P("%s/online", card), "1", ENODEV));
	CT_TRY(expect_write_s(P("%s/online", q), "1", ENODEV));
	CT_TRY(expect_read(P("%s/online", card), "0\n"));
	CT_TRY(expect_read(P("%s/online", q), "0\n"));
}

/* "-" while uninitiated: after any unbind, until cex4queue binds again. */
static void test_zcrypt_request_count(void)
{
	unsigned int a[1], d[1];
	const char *rc;

	CT_TRY(pick_host(1, 1, a, d));
	rc = P("%s/request_count", queue_dev(a[0], d[0]));
	CT_TRY(expect_driver(a[0], d[0], "cex4queue"));
	CT_TRY(expect_read(rc, "0\n"));
	CT_TRY(queue_unbind(a[0], d[0]));
	CT_TRY(expect_read(rc, "-\n"));
	CT_TRY(expect_read(P("%s/requestq_count", queue_dev(a[0], d[0])), "0\n"));
	CT_TRY(queue_bind("cex4queue", a[0], d[0], 0));
	CT_TRY(expect_read(rc, "0\n"));
	CT_TRY(expect_read(P("devices/ap/card%02x/request_count", a[0]), "0\n"));
}

/* Every line of @text matches @re (extended), and there are @n of them. */
static bool expect_lines(const char *what, const char *text, const char *re, unsigned int n)
{
	regex_t r;
	char line[256];
	unsigned int got = 0;
	bool ok = true;

	if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB))
		return ct_fail("bad regex %s", re);
	for (const char *p = text; *p && ok; got++) {
		size_t len = strcspn(p, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		ok = !regexec(&r, line, 0, NULL, 0);
		p += len + (p[len] == '\n');
	}
	regfree(&r);
	return expect(ok && got == n, "%s: expected %u lines like %s, got \"%s\"", what, n, re,
		      esc(text, strlen(text)));
}

static bool card_mode(unsigned int apid, char *mode)
{
	char buf[64];
	int r = sysfs_read(P("devices/ap/card%02x/type", apid), buf, sizeof(buf));

	if (r < 2)
		return false;
	*mode = buf[r - 2];	/* CEX8C\n */
	return true;
}

/* CCA: serialnr and mkvps (6 lines, 9 with ASYM from ~6.16). */
static bool cca_files(unsigned int apid, unsigned int apqi)
{
	static char buf[CT_PAGE];
	const char *mk = P("%s/mkvps", queue_dev(apid, apqi));
	unsigned int n = ct_kernel_has(616) ? 9 : 6;

	if (sysfs_read(P("devices/ap/card%02x/serialnr", apid), buf, sizeof(buf)) < 0)
		return ct_fail("card%02x/serialnr: unreadable", apid);
	if (!expect_lines("serialnr", buf, "^[0-9A-Za-z]{8}$", 1))
		return false;
	if (sysfs_read(mk, buf, sizeof(buf)) < 0)
		return ct_fail("read %s", mk);
	if (!expect_lines("mkvps", buf,
			  "^(AES|APKA) (NEW|CUR|OLD): (empty|partial|full|invalid|valid) 0x[0-9a-f]{16}$|"
			  "^ASYM (NEW|CUR|OLD): (empty|partial|full|invalid|valid) 0x[0-9a-f]{32}$", n))
		return false;
	if (!expect_absent(P("devices/ap/card%02x/API_ordinalnr", apid)))
		return false;
	/* a queue that takes no request: the query fails */
	ct_defer_write(CT_PH_ATTR, P("%s/online", queue_dev(apid, apqi)), "1", 0);
	if (!expect_write_s(P("%s/online", queue_dev(apid, apqi)), "0", 0))
		return false;
	return expect_read(mk, n == 9 ? "AES NEW: - -\nAES CUR: - -\nAES OLD: - -\n"
				  "APKA NEW: - -\nAPKA CUR: - -\nAPKA OLD: - -\n"
				  "ASYM NEW: - -\nASYM CUR: - -\nASYM OLD: - -\n" :
				  "AES NEW: - -\nAES CUR: - -\nAES OLD: - -\n"
				  "APKA NEW: - -\nAPKA CUR: - -\nAPKA OLD: - -\n");
}

/* EP11: serialnr (16), API_ordinalnr, FW_version, op_modes, mkvps (WK). */
static bool ep11_files(unsigned int apid, unsigned int apqi)
{
	static char buf[CT_PAGE];
	const char *card = P("devices/ap/card%02x", apid);

	if (sysfs_read(P("%s/serialnr", card), buf, sizeof(buf)) < 0 ||
	    !expect_lines("serialnr", buf, "^[0-9A-Za-z]{16}$", 1) ||
	    sysfs_read(P("%s/API_ordinalnr", card), buf, sizeof(buf)) < 0 ||
	    !expect_lines("API_ordinalnr", buf, "^[0-9]+$", 1) ||
	    sysfs_read(P("%s/FW_version", card), buf, sizeof(buf)) < 0 ||
	    !expect_lines("FW_version", buf, "^[0-9]+\\.[0-9]+$", 1) ||
	    sysfs_read(P("%s/op_modes", card), buf, sizeof(buf)) < 0)
		return ct_fail("%s: EP11 card files", card);
	if (sysfs_read(P("%s/mkvps", queue_dev(apid, apqi)), buf, sizeof(buf)) < 0)
		return ct_fail("%s/mkvps: unreadable", queue_dev(apid, apqi));
	return expect_lines("mkvps", buf,
			    "^WK CUR: (valid 0x[0-9a-f]{64}|invalid -)$|"
			    "^WK NEW: (empty -|(uncommitted|committed) 0x[0-9a-f]{64})$", 2);
}

static void test_zcrypt_firmware_files(void)
{
	unsigned int tested = 0;
	long dom;
	char buf[64], mode;

	CT_TRY(sysfs_read(AP_BUS "/ap_domain", buf, sizeof(buf)) > 0);
	dom = strtol(buf, NULL, 10);
	CT_TRY(expect(dom >= 0, "ap_domain: expected a domain, got %ld", dom));
	for (unsigned int a = 0; a <= ct.bus_max_apid; a++) {
		if (!idset_has(&ct.cards, a) || !card_mode(a, &mode) ||
		    sysfs_driver(queue_dev(a, (unsigned int)dom), buf, sizeof(buf)) ||
		    strcmp(buf, "cex4queue"))
			continue;
		if (mode == 'C')
			CT_TRY(cca_files(a, (unsigned int)dom));
		else if (mode == 'P')
			CT_TRY(ep11_files(a, (unsigned int)dom));
		else
			CT_TRY(expect_absent(P("devices/ap/card%02x/serialnr", a)));
		tested++;
	}
	CT_TRY(expect(tested > 0, "no card with a queue at ap_domain bound to cex4queue"));
}

/* /sys/class/zcrypt as zcryptctl uses it. */
static bool dir_entry_type(const char *rel, const char *name, unsigned char *type)
{
	DIR *dir = opendir(ct_abs(rel));
	struct dirent *de;
	bool found = false;

	while (dir && (de = readdir(dir)))
		if (!strcmp(de->d_name, name)) {
			*type = de->d_type;
			found = true;
		}
	if (dir)
		closedir(dir);
	return found;
}

static void test_zcrypt_class(void)
{
	const char *node = "ct_zcdn", *zeros =
		"0x0000000000000000000000000000000000000000000000000000000000000000\n";
	char buf[64];
	unsigned char type = 0;
	unsigned int major, minor;

	CT_TRY(expect_node("class/zcrypt/create", S_IFREG, 0600));
	CT_TRY(expect_node("class/zcrypt/destroy", S_IFREG, 0600));
	CT_TRY(expect(dir_entry_type("class/zcrypt", "create", &type) && type == DT_REG,
		      "class/zcrypt: create is not listed as DT_REG (%u)", type));
	ct_defer_write(CT_PH_ATTR, "class/zcrypt/destroy", node, ENOENT);
	CT_TRY(expect_write_s("class/zcrypt/create", P(" %s\n", node), 0));
	CT_TRY(expect_write_s("class/zcrypt/create", node, EEXIST));
	CT_TRY(expect_link(P("class/zcrypt/%s", node), P("../../devices/virtual/zcrypt/%s", node)));
	CT_TRY(expect(dir_entry_type("class/zcrypt", node, &type) && type == DT_LNK,
		      "class/zcrypt: %s is not listed as DT_LNK (%u)", node, type));
	CT_TRY(sysfs_read(P("class/zcrypt/%s/dev", node), buf, sizeof(buf)) > 0);
	CT_TRY(expect(sscanf(buf, "%u:%u", &major, &minor) == 2 && strchr(buf, '\n'),
		      "dev: expected \"MAJOR:MINOR\\n\" got \"%s\"", esc(buf, strlen(buf))));
	for (int i = 0; i < 4; i++) {
		static const char *const m[] = { "apmask", "aqmask", "admask", "ioctlmask" };
		const char *f = P("class/zcrypt/%s/%s", node, m[i]);

		CT_TRY(expect_node(f, S_IFREG, 0644));
		CT_TRY(expect_read(f, zeros));
	}
	CT_TRY(expect_write_s(P("class/zcrypt/%s/apmask", node), "+1\n", 0));
	CT_TRY(expect_read(P("class/zcrypt/%s/apmask", node),
			   "0x4000000000000000000000000000000000000000000000000000000000000000\n"));
	CT_TRY(expect_write_s(P("class/zcrypt/%s/aqmask", node), "+256", EINVAL));
	CT_TRY(expect_write_s("class/zcrypt/destroy", P("%s\n", node), 0));
	CT_TRY(expect_absent(P("class/zcrypt/%s", node)));
	CT_TRY(expect_write_s("class/zcrypt/destroy", node, ENOENT));
}

const struct ct_test zcrypt_tests[] = {
	{ "zcrypt_ap_functions", test_zcrypt_ap_functions, "36" },
	{ "zcrypt_depth_interrupts", test_zcrypt_depth_interrupts, "48" },
	{ "zcrypt_online_rules", test_zcrypt_online_rules, "40" },
	{ "zcrypt_request_count", test_zcrypt_request_count, "40" },
	{ "zcrypt_firmware_files", test_zcrypt_firmware_files, "40" },
	{ "zcrypt_class", test_zcrypt_class, "48" },
	{ NULL, NULL, NULL },
};
