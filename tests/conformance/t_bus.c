// SPDX-License-Identifier: GPL-2.0
/*
 * t_bus.c - the AP bus: masks and in_use, binding, device naming, card
 * config, scans, bus attributes and driver_override (docs/kernel-abi.md §9
 * items 28-33, 36, 39, 40, 48, 49; §3).
 */
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool is_mask_text(const char *s)
{
	if (strncmp(s, "0x", 2) || strlen(s) != 67 || s[66] != '\n')
		return false;
	for (int i = 2; i < 66; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

static bool expect_mask(const char *mask, const struct idset *want)
{
	char hex[67];

	idset_hex(want, hex);
	return expect_read(P(AP_BUS "/%s", mask), P("%s\n", hex));
}

/* Item 28: format of apmask/aqmask. */
static void test_bus_mask_format(void)
{
	static const char *const masks[] = { "apmask", "aqmask" };
	char buf[256];

	for (int i = 0; i < 2; i++) {
		int r = sysfs_read(P(AP_BUS "/%s", masks[i]), buf, sizeof(buf));

		CT_TRY(expect(r >= 0, "read %s: %s", masks[i], errname(-r)));
		CT_TRY(expect(is_mask_text(buf), "%s: expected \"0x\" + 64 lowercase hex + \"\\n\" got \"%s\"",
			      masks[i], esc(buf, (size_t)r)));
		CT_TRY(expect_node(P(AP_BUS "/%s", masks[i]), S_IFREG, 0644));
	}
}

/* Item 28: the default masks are all ones. */
static void test_bus_mask_default(void)
{
	struct idset all;

	if (!ct.default_masks)
		CT_TRY(ct_skip("the target's masks are not known to be the defaults "
			       "(set CONFORMANCE_DEFAULT_MASKS=1)"));
	memset(&all, 0xff, sizeof(all));
	CT_TRY(expect(idset_equal(&ct.apmask, &all), "apmask at start: expected all ones"));
	CT_TRY(expect(idset_equal(&ct.aqmask, &all), "aqmask at start: expected all ones"));
	CT_TRY(expect_mask("apmask", &all));
	CT_TRY(expect_mask("aqmask", &all));
}

/* Items 29, 30: relative and absolute writes (on aqmask and apmask). */
static bool mask_writes(const char *mask)
{
	static const char *const bad[] = {
		"+5 ", " +5", "+256", "+0-256", "+5-3", "+1,2", "+", "+0x", "+5-", "+5,-",
		"+5;+6", "-1\t", "+0xfg", "0X41", "0x4g", "0x41 ", "41\n\n",
		"0x11111111111111111111111111111111111111111111111111111111111111111",
	};
	char m[64];
	struct idset want, all;
	char h64[80];

	snprintf(m, sizeof(m), AP_BUS "/%s", mask);
	memset(&all, 0xff, sizeof(all));
	if (!mask_save(mask))
		return false;
	/* relative */
	idset_clear(&want);
	if (!expect_write_s(m, "-0-255", 0) || !expect_mask(mask, &want))
		return false;
	want = IDS(1, 8, 16);
	if (!expect_write_s(m, "+1,+0x10,+010", 0) || !expect_mask(mask, &want))
		return false;
	want = IDS(1, 3, 4, 5, 7, 8, 16);
	if (!expect_write_s(m, "+3-5\n+7", 0) || !expect_mask(mask, &want))
		return false;
	want = IDS(1, 3, 4, 5, 7, 8, 16, 20);
	if (!expect_write_s(m, "+20,,\n,+21,-21\n", 0) || !expect_mask(mask, &want))
		return false;
	if (!expect_write_s(m, "-0-255,+1-16", 0))
		return false;
	idset_clear(&want);
	for (unsigned int i = 1; i <= 16; i++)
		idset_add(&want, i);
	if (!expect_mask(mask, &want))
		return false;
	/* last operation wins */
	if (!expect_write_s(m, "+0-15,+32,-128,-0xFF,-5,+5,+9,-9", 0))
		return false;
	for (unsigned int i = 0; i <= 15; i++)
		idset_add(&want, i);
	idset_add(&want, 32);
	idset_del(&want, 9);
	if (!expect_mask(mask, &want))
		return false;
	if (!expect_write_s(m, "+255", 0))
		return false;
	idset_add(&want, 255);
	if (!expect_mask(mask, &want))
		return false;
	/* absolute */
	want = IDS(1, 7);
	if (!expect_write_s(m, "0x41", 0) || !expect_mask(mask, &want))
		return false;
	idset_clear(&want);
	if (!expect_write_s(m, "\n", 0) || !expect_mask(mask, &want))
		return false;
	want = IDS(1, 7);
	if (!expect_write_s(m, "41\n", 0) || !expect_mask(mask, &want))
		return false;
	idset_clear(&want);
	if (!expect_write_s(m, "0x", 0) || !expect_mask(mask, &want))
		return false;
	want = IDS(1, 7);
	if (!expect_write_s(m, "x41", 0) || !expect_mask(mask, &want))
		return false;
	idset_clear(&want);
	if (!expect_write_s(m, "0x\n", 0) || !expect_mask(mask, &want))
		return false;
	want = IDS(0, 4, 255);
	memset(h64, '0', 64);
	h64[0] = '8';
	h64[1] = '8';
	h64[63] = '1';
	h64[64] = '\0';
	if (!expect_write_s(m, P("0x%s\n", h64), 0) || !expect_mask(mask, &want))
		return false;
	if (!expect_write_s(m, "0xFFFF", 0))
		return false;
	idset_clear(&want);
	for (unsigned int i = 0; i < 16; i++)
		idset_add(&want, i);
	if (!expect_mask(mask, &want))
		return false;
	/* rejected: the mask is unchanged */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!expect_write_s(m, bad[i], EINVAL))
			return false;
	if (!expect_mask(mask, &want))
		return false;
	/* a zero-length write never reaches a sysfs store: it returns 0 */
	if (!expect_write(m, "", 0, 0) || !expect_mask(mask, &want))
		return false;
	return expect_write_s(m, P("0x%s", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"), 0) &&
	       expect_mask(mask, &all);
}

static void test_bus_mask_syntax_aqmask(void)
{
	CT_TRY(mask_writes("aqmask"));
}

static void test_bus_mask_syntax_apmask(void)
{
	CT_TRY(mask_writes("apmask"));
}

/* Item 31: reserving an assigned APQN gives EBUSY; clearing never fails. */
static bool setup_in_use(char u[CT_UUID_LEN + 1], unsigned int *f, unsigned int *g)
{
	struct idset F, G;

	if (!pick_free_apid(0, f) || !pick_free_apqi(0, &g[0]) || !pick_free_apqi(1, &g[1]))
		return false;
	F = IDS((int)*f);
	G = IDS((int)g[0], (int)g[1]);
	return mask_save("aqmask") && expect_write_s(AP_BUS "/aqmask", P("+%u,+%u", g[0], g[1]), 0) &&
	       host_release_adapters(&F) && mdev_new(u) && mdev_assign_sets(u, &F, &G, NULL);
}

static void test_bus_in_use_ebusy(void)
{
	char u[CT_UUID_LEN + 1], u2[CT_UUID_LEN + 1], before[128], after[128], hex[67];
	unsigned int f, g[2], f2, g2;
	struct idset am, F2, G2;

	CT_TRY(setup_in_use(u, &f, g));
	CT_TRY(pick_free_apid(1, &f2) && pick_free_apqi(2, &g2));
	CT_TRY(sysfs_read(AP_BUS "/apmask", before, sizeof(before)) > 0);
	/* apmask: relative, mixed with a harmless bit, and absolute */
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("+%u", f), EBUSY));
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("-%u,+%u", f2, f), EBUSY));
	CT_TRY(mask_read("apmask", &am));
	idset_add(&am, f);
	idset_hex(&am, hex);
	CT_TRY(expect_write_s(AP_BUS "/apmask", hex, EBUSY));
	CT_TRY(sysfs_read(AP_BUS "/apmask", after, sizeof(after)) > 0);
	CT_TRY(expect(!strcmp(before, after), "apmask changed by a refused write: \"%s\" -> \"%s\"",
		      esc(before, strlen(before)), esc(after, strlen(after))));
	/* clearing bits, or setting bits of unassigned IDs, is never refused */
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("-%u", f2), 0));
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("+%u", f2), 0));
	CT_TRY(expect_write_s(AP_BUS "/aqmask", P("-%u", g[0]), 0));

	/* aqmask: (f2, g2) assigned with f2 reserved and g2 given to vfio_ap */
	F2 = IDS((int)f2);
	G2 = IDS((int)g2);
	CT_TRY(host_release_domains(&G2));
	CT_TRY(mdev_new(u2));
	CT_TRY(mdev_assign_sets(u2, &F2, &G2, NULL));
	CT_TRY(expect_write_s(AP_BUS "/aqmask", P("+%u", g2), EBUSY));
	CT_TRY(expect_matrix(u2, &F2, &G2));
	/* after the mdev lets go the reservation succeeds */
	CT_TRY(UNASSIGN_D(u2, g2));
	CT_TRY(expect_write_s(AP_BUS "/aqmask", P("+%u", g2), 0));
}

/* Item 31: one warning per conflicting APQN, on the owning mdev. */
static void test_bus_in_use_log(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int f, g[2];
	const char *log;

	CT_TRY(need_ctl());
	CT_TRY(setup_in_use(u, &f, g));
	CT_TRY(log_clear());
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("+%u", f), EBUSY));
	CT_TRY(log = log_text());
	for (int i = 0; i < 2; i++) {
		/* before 6.15 the sharing text served the in_use check too */
		const char *line = ct_kernel_has(615) ?
			P("vfio_ap_mdev %s: Can not reserve queue %s for host driver: in use by mdev",
			  u, apqn(f, g[i])) :
			P("vfio_ap_mdev %s: Userspace may not re-assign queue %s already "
			  "assigned to %s", u, apqn(f, g[i]), u);

		CT_TRY(expect(count_lines(log, line) == 1,
			      "log: expected the line \"%s\" once, log is \"%s\"", line,
			      esc(log, strlen(log))));
	}
}

/* Item 32: the in_use "other dimension" (§3.3) by baseline. */
static void test_bus_in_use_rule(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int f, g;
	struct idset F, G;

	CT_TRY(pick_free_apid(0, &f) && pick_free_apqi(0, &g));
	F = IDS((int)f);
	G = IDS((int)g);
	CT_TRY(host_release_adapters(&F));
	CT_TRY(host_release_domains(&G));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &F, &G, NULL));
	if (ct.baseline == 618) {
		/* g is not in aqmask: (f, g) would not be reserved */
		CT_TRY(expect_write_s(AP_BUS "/apmask", P("+%u", f), 0));
		CT_TRY(expect_matrix(u, &F, &G));
		/* and the symmetric write is now refused */
		CT_TRY(expect_write_s(AP_BUS "/aqmask", P("+%u", g), EBUSY));
	} else {
		CT_TRY(expect_write_s(AP_BUS "/apmask", P("+%u", f), EBUSY));
		CT_TRY(expect_write_s(AP_BUS "/aqmask", P("+%u", g), EBUSY));
	}
}

/* Item 33: a mask change re-binds queues. */
static void test_bus_mask_rebind(void)
{
	unsigned int a[1], d[2];

	CT_TRY(pick_host(1, 2, a, d));
	CT_TRY(mask_save("apmask") && mask_save("aqmask"));
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("+%u", a[0]), 0));
	CT_TRY(expect_write_s(AP_BUS "/aqmask", P("+%u,+%u", d[0], d[1]), 0));
	CT_TRY(expect_driver(a[0], d[0], "cex4queue"));
	CT_TRY(expect_write_s(AP_BUS "/aqmask", P("-%u", d[0]), 0));
	CT_TRY(expect_driver(a[0], d[0], "vfio_ap"));
	CT_TRY(expect_driver(a[0], d[1], "cex4queue"));
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("-%u", a[0]), 0));
	CT_TRY(expect_driver(a[0], d[1], "vfio_ap"));
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("+%u", a[0]), 0));
	CT_TRY(expect_driver(a[0], d[0], "vfio_ap"));
	CT_TRY(expect_driver(a[0], d[1], "cex4queue"));
	CT_TRY(expect_write_s(AP_BUS "/aqmask", P("+%u", d[0]), 0));
	CT_TRY(expect_driver(a[0], d[0], "cex4queue"));
}

/* Item 33: the change uevent, and none for an unchanged write. */
static void test_bus_mask_uevent(void)
{
	unsigned int f;
	struct idset am;
	char hex[67];
	const char *ev;

	CT_TRY(need_ctl());
	CT_TRY(pick_free_apid(0, &f));
	CT_TRY(mask_save("apmask"));
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("+%u", f), 0));
	CT_TRY(uevents_clear());
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("-%u", f), 0));
	CT_TRY(mask_read("apmask", &am));
	idset_hex(&am, hex);
	CT_TRY(ev = uevents_text());
	CT_TRY(expect(count_lines(ev, P("devices/ap APMASK=%s", hex)) == 1,
		      "uevents: expected \"devices/ap APMASK=%s\" once, got \"%s\"", hex,
		      esc(ev, strlen(ev))));
	CT_TRY(uevents_clear());
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("-%u", f), 0));
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("%s\n", hex), 0));
	CT_TRY(ev = uevents_text());
	CT_TRY(expect(!strstr(ev, "APMASK="), "uevents: expected none for unchanged writes, got \"%s\"",
		      esc(ev, strlen(ev))));
	CT_TRY(mask_save("aqmask"));
	CT_TRY(expect_write_s(AP_BUS "/aqmask", "+0", 0));
	CT_TRY(uevents_clear());
	CT_TRY(expect_write_s(AP_BUS "/aqmask", "-0", 0));
	CT_TRY(mask_read("aqmask", &am));
	idset_hex(&am, hex);
	CT_TRY(ev = uevents_text());
	CT_TRY(expect(count_lines(ev, P("devices/ap AQMASK=%s", hex)) == 1,
		      "uevents: expected \"devices/ap AQMASK=%s\" once, got \"%s\"", hex,
		      esc(ev, strlen(ev))));
}

/* Item 36: only CEX4..CEX8 queues get devices / bind to vfio_ap. */
static void test_bus_adapter_types(void)
{
	static const struct { const char *type; unsigned int hw; } types[] = {
		{ "CEX4", 10 }, { "CEX5", 11 }, { "CEX6", 12 }, { "CEX7", 13 }, { "CEX8", 14 },
	};
	unsigned int f, dd[1], aa[1];
	struct idset F;

	CT_TRY(need_ctl());
	CT_TRY(pick_host(1, 1, aa, dd));
	CT_TRY(pick_free_apid(0, &f));
	F = IDS((int)f);
	CT_TRY(host_release_adapters(&F));
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		CT_TRY(ctl_ok("config add-adapter %u type=%s", f, types[i].type) != NULL);
		ct_defer_ctl(CT_PH_HW, "config remove-adapter %u", f);
		CT_TRY(expect_read(P("devices/ap/card%02x/hwtype", f), P("%u\n", types[i].hw)));
		CT_TRY(expect_driver(f, dd[0], "vfio_ap"));
		CT_TRY(expect_status(f, dd[0], "unassigned"));
		/* the card itself never goes to vfio_ap */
		CT_TRY(expect_write_s(AP_BUS "/drivers/vfio_ap/bind", P("card%02x", f), ENODEV));
		CT_TRY(ctl_ok("config remove-adapter %u", f) != NULL);
		CT_TRY(expect_absent(P("devices/ap/card%02x", f)));
		CT_TRY(expect_absent(queue_dev(f, dd[0])));
	}
	/* a raw type below CEX4 (9 = CEX3C) gets no device at all */
	CT_TRY(ctl_ok("config add-adapter %u type=9", f) != NULL);
	CT_TRY(expect_absent(P("devices/ap/card%02x", f)));
	CT_TRY(expect_absent(queue_dev(f, dd[0])));
}

/* Item 39: scans. */
static unsigned long read_scans(void)
{
	char buf[64];

	if (sysfs_read(AP_BUS "/scans", buf, sizeof(buf)) <= 0)
		return (unsigned long)-1;
	return strtoul(buf, NULL, 10);
}

static void test_bus_scans(void)
{
	unsigned long n = read_scans(), m;
	char buf[64];
	int r;

	r = sysfs_read(AP_BUS "/scans", buf, sizeof(buf));
	CT_TRY(expect(r > 1 && buf[r - 1] == '\n', "scans: expected \"%%llu\\n\" got \"%s\"",
		      esc(buf, r > 0 ? (size_t)r : 0)));
	CT_TRY(expect_node(AP_BUS "/scans", S_IFREG, 0644));
	/* the write returns after its scan; a periodic scan (config_time) may
	 * add more, so the count is a lower bound */
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	m = read_scans();
	CT_TRY(expect(m >= n + 1 && m != (unsigned long)-1,
		      "scans after a write: expected >= %lu got %lu", n + 1, m));
	CT_TRY(expect_write_s(AP_BUS "/scans", "anything\n", 0));
	CT_TRY(expect(read_scans() >= m + 1, "scans after a write: expected >= %lu got %lu", m + 1,
		      read_scans()));
}

/* Item 39: the configuration is only picked up by a scan. */
static void test_bus_scan_picks_up_config(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int f;
	struct idset F, D, none;
	const char *vm = vm_name("scan");
	struct crycb c0, c1;

	idset_clear(&none);
	CT_TRY(guest_on_unconfigured_adapter(vm, u, &f, &F, &D));
	CT_TRY(ctl_crycb(vm, &c0));
	/* a scan without a QCI change: no callbacks, no CRYCB update */
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	CT_TRY(ctl_crycb(vm, &c1));
	CT_TRY(expect(c1.updates == c0.updates, "CRYCB updates after a plain scan: expected %lu got %lu",
		      c0.updates, c1.updates));
	CT_TRY(ctl_ok("config add-adapter %u type=CEX8 --no-scan", f) != NULL);
	ct_defer_ctl(CT_PH_HW, "config remove-adapter %u", f);
	CT_TRY(expect_absent(P("devices/ap/card%02x", f)));
	CT_TRY(expect_guest(u, &none, &D));
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	CT_TRY(expect_node(P("devices/ap/card%02x", f), S_IFDIR, -1));
	CT_TRY(expect_guest(u, &F, &D));
	CT_TRY(expect_crycb(vm, &F, &D, &none));
}

/* Item 40: device naming and links. */
static void test_bus_device_naming(void)
{
	DIR *dir = opendir(ct_abs("devices/ap"));
	struct dirent *de;
	unsigned int ncards = 0;

	CT_TRY(expect(dir != NULL, "opendir devices/ap: %s", errname(errno)));
	while ((de = readdir(dir))) {
		unsigned int id;
		DIR *cd;
		struct dirent *qe;

		if (strncmp(de->d_name, "card", 4))
			continue;
		if (!expect(strlen(de->d_name) == 6 && strspn(de->d_name + 4, "0123456789abcdef") == 2,
			    "devices/ap/%s: expected cardXX (lowercase hex)", de->d_name))
			break;
		sscanf(de->d_name + 4, "%2x", &id);
		ncards++;
		if (!expect_link(P(AP_BUS "/devices/%s", de->d_name),
				 P("../../../devices/ap/%s", de->d_name)))
			break;
		cd = opendir(ct_abs(P("devices/ap/%s", de->d_name)));
		while (cd && (qe = readdir(cd))) {
			unsigned int qa, qd;

			if (sscanf(qe->d_name, "%2x.%4x", &qa, &qd) != 2)
				continue;
			if (!expect(strlen(qe->d_name) == 7 && qa == id &&
				    !strcmp(qe->d_name, apqn(qa, qd)),
				    "devices/ap/%s/%s: expected %02x.YYYY in lowercase hex", de->d_name,
				    qe->d_name, id) ||
			    !expect_link(P(AP_BUS "/devices/%s", qe->d_name),
					 P("../../../devices/ap/%s/%s", de->d_name, qe->d_name)))
				break;
		}
		if (cd)
			closedir(cd);
	}
	closedir(dir);
	CT_TRY(expect(ncards == idset_count(&ct.cards) || ncards > 0,
		      "devices/ap: expected card devices"));
}

/* Item 40: devices appear and disappear with the configuration. */
static void test_bus_config_add_remove(void)
{
	unsigned int f, g;

	CT_TRY(need_ctl());
	CT_TRY(pick_free_apid(0, &f) && pick_free_apqi(0, &g));
	if (g > ct.bus_max_apqi)
		CT_TRY(pick_free_apqi(1, &g));
	CT_TRY(ctl_ok("config add-adapter %u type=CEX8", f) != NULL);
	ct_defer_ctl(CT_PH_HW, "config remove-adapter %u", f);
	CT_TRY(ctl_ok("config add-domain %u", g) != NULL);
	ct_defer_ctl(CT_PH_HW, "config remove-domain %u", g);
	CT_TRY(expect_node(P("devices/ap/card%02x", f), S_IFDIR, -1));
	CT_TRY(expect_node(P("devices/ap/card%02x/%02x.%04x", f, f, g), S_IFDIR, -1));
	CT_TRY(expect_link(queue_dev(f, g), P("../../../devices/ap/card%02x/%02x.%04x", f, f, g)));
	for (unsigned int a = 0; a <= ct.bus_max_apid; a++)
		if (idset_has(&ct.cards, a))
			CT_TRY(expect_node(P("devices/ap/card%02x/%s", a, apqn(a, g)), S_IFDIR, -1));
	CT_TRY(ctl_ok("config remove-domain %u", g) != NULL);
	CT_TRY(expect_absent(P("devices/ap/card%02x/%02x.%04x", f, f, g)));
	CT_TRY(expect_node(P("devices/ap/card%02x", f), S_IFDIR, -1));
	CT_TRY(ctl_ok("config remove-adapter %u", f) != NULL);
	CT_TRY(expect_absent(P("devices/ap/card%02x", f)));
	CT_TRY(expect_absent(P(AP_BUS "/devices/card%02x", f)));
}

/* Item 40: card config toggles; queue config is read-only. */
static void test_bus_card_config(void)
{
	unsigned int a[1], d[1];
	char cfg[64];

	CT_TRY(pick_host(1, 1, a, d));
	snprintf(cfg, sizeof(cfg), "devices/ap/card%02x/config", a[0]);
	CT_TRY(expect_read(cfg, "1\n"));
	CT_TRY(expect_node(cfg, S_IFREG, 0644));
	ct_defer_write(CT_PH_HW, cfg, "1", 0);
	CT_TRY(expect_write_s(cfg, "2", EINVAL));
	CT_TRY(expect_write_s(cfg, "x", EINVAL));
	CT_TRY(expect_write_s(cfg, "-1", EINVAL));
	CT_TRY(expect_write_s(cfg, "0", 0));
	CT_TRY(expect_read(cfg, "0\n"));
	CT_TRY(expect_write_s(cfg, "1\n", 0));
	CT_TRY(expect_read(cfg, "1\n"));
	CT_TRY(expect_read(P("%s/config", queue_dev(a[0], d[0])), "1\n"));
	CT_TRY(expect_node(P("%s/config", queue_dev(a[0], d[0])), S_IFREG, 0444));
	CT_TRY(expect_open_errno(P("%s/config", queue_dev(a[0], d[0])), O_WRONLY, EACCES));
}

/* Item 40: CONFIG= uevents; queue config follows at the next scan. */
static void test_bus_card_config_uevent(void)
{
	unsigned int a[1], d[1];
	const char *ev;
	char cfg[64];

	CT_TRY(need_ctl());
	CT_TRY(pick_host(1, 1, a, d));
	snprintf(cfg, sizeof(cfg), "devices/ap/card%02x/config", a[0]);
	ct_defer_write(CT_PH_HW, AP_BUS "/scans", "1", 0);
	ct_defer_write(CT_PH_HW, cfg, "1", 0);
	CT_TRY(uevents_clear());
	CT_TRY(expect_write_s(cfg, "0", 0));
	CT_TRY(ev = uevents_text());
	CT_TRY(expect(count_lines(ev, P("devices/ap/card%02x CONFIG=0", a[0])) == 1,
		      "uevents: expected \"devices/ap/card%02x CONFIG=0\" once, got \"%s\"", a[0],
		      esc(ev, strlen(ev))));
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	CT_TRY(expect_read(P("%s/config", queue_dev(a[0], d[0])), "0\n"));
	CT_TRY(uevents_clear());
	CT_TRY(expect_write_s(cfg, "1", 0));
	CT_TRY(ev = uevents_text());
	CT_TRY(expect(count_lines(ev, P("devices/ap/card%02x CONFIG=1", a[0])) == 1,
		      "uevents: expected \"devices/ap/card%02x CONFIG=1\" once, got \"%s\"", a[0],
		      esc(ev, strlen(ev))));
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	CT_TRY(expect_read(P("%s/config", queue_dev(a[0], d[0])), "1\n"));
}

static bool read_int(const char *rel, long *out);

/* Upstream item 9: CONFIG= after every accepted write; "+1" is EINVAL. */
static void test_bus_card_config_every_write(void)
{
	unsigned int a[1], d[1];
	const char *ev, *line;
	char cfg[64];

	CT_TRY(need_ctl());
	CT_TRY(pick_host(1, 1, a, d));
	snprintf(cfg, sizeof(cfg), "devices/ap/card%02x/config", a[0]);
	ct_defer_write(CT_PH_HW, cfg, "1", 0);
	line = P("devices/ap/card%02x CONFIG=1", a[0]);
	CT_TRY(uevents_clear());
	CT_TRY(expect_write_s(cfg, "1", 0));
	CT_TRY(expect_write_s(cfg, " 1\n", 0));
	CT_TRY(expect_write_s(cfg, "+1", EINVAL));
	CT_TRY(ev = uevents_text());
	CT_TRY(expect(count_lines(ev, line) == 2, "uevents: expected \"%s\" twice, got \"%s\"", line,
		      esc(ev, strlen(ev))));
	/* %d reads "0x1" as 0 and 2^32 + 1 as 1 */
	CT_TRY(expect_write_s(cfg, "0x1", 0));
	CT_TRY(expect_read(cfg, "0\n"));
	CT_TRY(expect_write_s(cfg, "4294967297", 0));
	CT_TRY(expect_read(cfg, "1\n"));
}

/* Upstream items 10, 11: sscanf() and kstrtoul() forms of the bus attributes. */
static void test_bus_number_forms(void)
{
	unsigned int a[1], d[1];
	char saved[64], ct_saved[64];
	long cur;

	CT_TRY(pick_host(1, 1, a, d));
	CT_TRY(sysfs_read(AP_BUS "/config_time", ct_saved, sizeof(ct_saved)) > 0);
	ct_defer_write(CT_PH_ATTR, AP_BUS "/config_time", ct_saved, 0);
	CT_TRY(expect_write_s(AP_BUS "/config_time", "+30", EINVAL));
	CT_TRY(expect_write_s(AP_BUS "/config_time", "0x10", EINVAL));
	CT_TRY(expect_write_s(AP_BUS "/config_time", " \t42 seconds", 0));
	CT_TRY(expect_read(AP_BUS "/config_time", "42\n"));
	CT_TRY(expect_write_s(AP_BUS "/config_time", "4294967326", 0));
	CT_TRY(expect_read(AP_BUS "/config_time", "30\n"));
	CT_TRY(sysfs_read(AP_BUS "/poll_timeout", saved, sizeof(saved)) > 0);
	ct_defer_write(CT_PH_ATTR, AP_BUS "/poll_timeout", saved, 0);
	if (ct_kernel_has(610)) {	/* kstrtoul (after 6.1; first profile 6.10) */
		CT_TRY(expect_write_s(AP_BUS "/poll_timeout", "18446744073709551616", ERANGE));
		CT_TRY(expect_write_s(AP_BUS "/poll_timeout", "18446744073709551615", EINVAL));
		CT_TRY(expect_write_s(AP_BUS "/poll_timeout", "5 ", EINVAL));
		CT_TRY(expect_write_s(AP_BUS "/poll_timeout", "+5\n", 0));
		CT_TRY(expect_read(AP_BUS "/poll_timeout", "5\n"));
		CT_TRY(expect_write_s(AP_BUS "/poll_timeout", "0", 0));
		CT_TRY(expect_read(AP_BUS "/poll_timeout", "0\n"));
	} else {			/* sscanf("%llu\n"), 1..120e9, as in 6.1 */
		CT_TRY(expect_write_s(AP_BUS "/poll_timeout", "18446744073709551616", EINVAL));
		CT_TRY(expect_write_s(AP_BUS "/poll_timeout", "18446744073709551615", EINVAL));
		CT_TRY(expect_write_s(AP_BUS "/poll_timeout", "+5\n", EINVAL));
		CT_TRY(expect_write_s(AP_BUS "/poll_timeout", "0", EINVAL));
		CT_TRY(expect_write_s(AP_BUS "/poll_timeout", "0x10", EINVAL));
		CT_TRY(expect_write_s(AP_BUS "/poll_timeout", "5 ", 0));
		CT_TRY(expect_read(AP_BUS "/poll_timeout", "5\n"));
		CT_TRY(expect_write_s(AP_BUS "/poll_timeout", "18446744073709551617", 0));
		CT_TRY(expect_read(AP_BUS "/poll_timeout", "1\n"));
	}
	CT_TRY(read_int(AP_BUS "/ap_domain", &cur));
	CT_TRY(expect_write_s(AP_BUS "/ap_domain", P("+%u", d[0]), EINVAL));
	if (cur < 0)
		return;		/* -1 cannot be written back */
	CT_TRY(sysfs_read(AP_BUS "/ap_domain", saved, sizeof(saved)) > 0);
	ct_defer_write(CT_PH_ATTR, AP_BUS "/ap_domain", saved, 0);
	CT_TRY(expect_write_s(AP_BUS "/ap_domain", P(" 0%o tail", d[0]), 0));
	CT_TRY(expect_read(AP_BUS "/ap_domain", P("%u\n", d[0])));
	CT_TRY(expect_write_s(AP_BUS "/ap_domain", P("%llu", (1ULL << 32) + d[0]), 0));
	CT_TRY(expect_read(AP_BUS "/ap_domain", P("%u\n", d[0])));
}

/* Lines of @text that start with @prefix. */
static unsigned int count_prefixed(const char *text, const char *prefix)
{
	unsigned int n = 0;
	size_t len = strlen(prefix);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, prefix, len))
			n++;
	return n;
}

/* Upstream item 6: no configured usage domain, no card devices. */
static void test_bus_card_needs_domain(void)
{
	unsigned int a[1], d[1];

	CT_TRY(need_ctl());
	CT_TRY(pick_host(1, 1, a, d));
	for (unsigned int q = 0; q <= ct.bus_max_apqi; q++) {
		if (!idset_has(&ct.cfg_aqm, q))
			continue;
		CT_TRY(ctl_ok("config remove-domain %u --no-scan", q) != NULL);
		ct_defer_ctl(CT_PH_HW, "config add-domain %u", q);
	}
	CT_TRY(expect_node(P("devices/ap/card%02x", a[0]), S_IFDIR, -1));
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	CT_TRY(expect_absent(P("devices/ap/card%02x", a[0])));
	CT_TRY(expect_absent(P(AP_BUS "/devices/card%02x", a[0])));
	CT_TRY(expect_read(AP_BUS "/bindings", "0/0 (complete)\n"));
	CT_TRY(ctl_ok("config add-domain %u", d[0]) != NULL);
	CT_TRY(expect_node(P("devices/ap/card%02x/%s", a[0], apqn(a[0], d[0])), S_IFDIR, -1));
}

/* Upstream item 8: checkstop on and off send no CONFIG= uevent. */
static void test_bus_chkstop_no_uevent(void)
{
	unsigned int a[1], d[1];
	const char *ev;

	CT_TRY(need_ctl());
	CT_TRY(pick_host(1, 1, a, d));
	ct_defer_write(CT_PH_HW, AP_BUS "/scans", "1", 0);
	ct_defer_ctl(CT_PH_HW, "chkstop %u off", a[0]);
	CT_TRY(uevents_clear());
	CT_TRY(ctl_ok("chkstop %u on", a[0]) != NULL);
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	CT_TRY(expect_read(P("devices/ap/card%02x/chkstop", a[0]), "1\n"));
	CT_TRY(expect_read(P("%s/chkstop", queue_dev(a[0], d[0])), "1\n"));
	CT_TRY(expect_read(P("devices/ap/card%02x/config", a[0]), "1\n"));
	CT_TRY(ctl_ok("chkstop %u off", a[0]) != NULL);
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	CT_TRY(expect_read(P("%s/chkstop", queue_dev(a[0], d[0])), "0\n"));
	CT_TRY(ev = uevents_text());
	CT_TRY(expect(!strstr(ev, "CONFIG="), "uevents: expected no CONFIG=, got \"%s\"",
		      esc(ev, strlen(ev))));
}

/* The one BINDINGS uevent in @ev: its COMPLETECOUNT, or -1 after ct_fail. */
static long bindings_uevent(const char *ev, unsigned int want_lines)
{
	const char *pfx = "devices/ap BINDINGS=complete COMPLETECOUNT=", *p;
	unsigned int n = count_prefixed(ev, pfx);

	if (n != want_lines) {
		ct_fail("uevents: expected %u BINDINGS=complete, got \"%s\"", want_lines,
			esc(ev, strlen(ev)));
		return -1;
	}
	p = n ? strstr(ev, pfx) : NULL;
	return p ? strtol(p + strlen(pfx), NULL, 10) : 0;
}

/*
 * Upstream item 7.  6.10+: a re-probe re-arms and the next scan sends one
 * uevent; a plain scan sends none.  6.0: every successful probe that
 * leaves all bound sends one at once.
 */
static void test_bus_bindings_uevent(void)
{
	unsigned int a[1], d[1];
	const char *ev;
	long n1, n2;

	CT_TRY(need_ctl());
	CT_TRY(pick_host(1, 1, a, d));
	CT_TRY(queue_unbind(a[0], d[0]));
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	CT_TRY(uevents_clear());
	CT_TRY(queue_bind("cex4queue", a[0], d[0], 0));
	CT_TRY(ev = uevents_text());
	if (!ct_kernel_has(610)) {
		CT_TRY((n1 = bindings_uevent(ev, 1)) >= 0);
		CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
		CT_TRY(ev = uevents_text());
		CT_TRY(bindings_uevent(ev, 1) >= 0);
		return;
	}
	CT_TRY(bindings_uevent(ev, 0) >= 0);
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	CT_TRY(ev = uevents_text());
	CT_TRY((n1 = bindings_uevent(ev, 1)) >= 0);
	if (ct_kernel_has(619))
		CT_TRY(expect_read(AP_BUS "/bindings_complete_count", P("%ld\n", n1)));
	CT_TRY(uevents_clear());
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	CT_TRY(ev = uevents_text());
	CT_TRY(bindings_uevent(ev, 0) >= 0);
	/* a mask change re-probes: one uevent at the next scan */
	CT_TRY(mask_save("apmask"));
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("-%u", a[0]), 0));
	CT_TRY(ev = uevents_text());
	CT_TRY(bindings_uevent(ev, 0) >= 0);
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	CT_TRY(ev = uevents_text());
	CT_TRY((n2 = bindings_uevent(ev, 1)) >= 0);
	CT_TRY(expect(n2 == n1 + 1, "COMPLETECOUNT: expected %ld got %ld", n1 + 1, n2));
}

/* Upstream item 16: once chosen, ap_domain is never reset. */
static void test_bus_ap_domain_kept(void)
{
	long cur;

	CT_TRY(need_ctl());
	CT_TRY(read_int(AP_BUS "/ap_domain", &cur));
	CT_TRY(expect(cur >= 0, "ap_domain: expected a domain on this host, got -1"));
	CT_TRY(mask_save("aqmask"));
	CT_TRY(expect_write_s(AP_BUS "/aqmask", P("-%ld", cur), 0));
	CT_TRY(ctl_ok("config remove-domain %ld", cur) != NULL);
	ct_defer_ctl(CT_PH_HW, "config add-domain %ld", cur);
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	CT_TRY(expect_read(AP_BUS "/ap_domain", P("%ld\n", cur)));
}

/*
 * Upstream item 16 on a host whose apmask holds no card (ap_domain -1):
 * scans choose the lowest configured domain in aqmask that a configured
 * card in apmask answers with TAPQ 00.
 */
static void test_bus_ap_domain_select(void)
{
	unsigned int a[1], d[1], low = 0;
	long cur;

	CT_TRY(need_ctl());
	CT_TRY(read_int(AP_BUS "/ap_domain", &cur));
	CT_TRY(expect(cur == -1, "ap_domain: expected -1 (no card in apmask), got %ld", cur));
	CT_TRY(pick_host(1, 1, a, d));
	while (!idset_has(&ct.cfg_aqm, low) || !idset_has(&ct.aqmask, low))
		low++;
	ct_defer_ctl(CT_PH_HW, "chkstop %u off", a[0]);
	CT_TRY(ctl_ok("chkstop %u on", a[0]) != NULL);
	CT_TRY(mask_save("apmask"));
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("+%u", a[0]), 0));
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	CT_TRY(expect_read(AP_BUS "/ap_domain", "-1\n"));	/* TAPQ 04 */
	CT_TRY(ctl_ok("chkstop %u off", a[0]) != NULL);
	CT_TRY(expect_read(AP_BUS "/ap_domain", "-1\n"));	/* until a scan */
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	CT_TRY(expect_read(AP_BUS "/ap_domain", P("%u\n", low)));
}

/* Item 48: the other AP bus attributes. */
static bool read_int(const char *rel, long *out)
{
	char buf[64], *end;
	int r = sysfs_read(rel, buf, sizeof(buf));

	if (r <= 0)
		return ct_fail("read %s: %s", rel, r < 0 ? errname(-r) : "empty");
	*out = strtol(buf, &end, 10);
	if (end == buf || strcmp(end, "\n"))
		return ct_fail("%s: expected \"%%d\\n\" got \"%s\"", rel, esc(buf, (size_t)r));
	return true;
}

static void test_bus_attrs(void)
{
	static const char *const qci[] = {
		"ap_adapter_mask", "ap_usage_domain_mask", "ap_control_domain_mask",
	};
	static const char *const order[] = { "APSC", "APXA", "QACT", "RC8A", "APSB" };
	char buf[512], saved[64];
	long v;
	int r;

	for (int i = 0; i < 3; i++) {
		r = sysfs_read(P(AP_BUS "/%s", qci[i]), buf, sizeof(buf));
		CT_TRY(expect(r > 0 && (is_mask_text(buf) || !strcmp(buf, "not supported\n")),
			      "%s: expected 64 hex digits or \"not supported\" got \"%s\"", qci[i],
			      esc(buf, r > 0 ? (size_t)r : 0)));
		CT_TRY(expect_open_errno(P(AP_BUS "/%s", qci[i]), O_WRONLY, EACCES));
	}
	CT_TRY(read_int(AP_BUS "/ap_max_adapter_id", &v));
	CT_TRY(read_int(AP_BUS "/ap_max_domain_id", &v));
	CT_TRY(read_int(AP_BUS "/ap_interrupts", &v));
	CT_TRY(expect(v == 0 || v == 1, "ap_interrupts: expected 0 or 1 got %ld", v));
	CT_TRY(read_int(AP_BUS "/poll_thread", &v));
	CT_TRY(expect(v == 0 || v == 1, "poll_thread: expected 0 or 1 got %ld", v));

	/* features (6.4; first profile 6.10): a subset in this order */
	if (!ct_kernel_has(610)) {
		CT_TRY(expect_absent(AP_BUS "/features"));
		r = 0;
	} else {
		r = sysfs_read(AP_BUS "/features", buf, sizeof(buf));
		CT_TRY(expect(r > 0 && buf[r - 1] == '\n', "features: expected a line got \"%s\"",
			      esc(buf, r > 0 ? (size_t)r : 0)));
		CT_TRY(expect_node(AP_BUS "/features", S_IFREG, 0444));
	}
	if (r > 0 && strcmp(buf, "-\n")) {
		size_t pos = 0;
		char *save, *tok;
		unsigned int k = 0;

		buf[r - 1] = '\0';
		for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			while (k < 5 && strcmp(order[k], tok))
				k++;
			CT_TRY(expect(k < 5, "features: \"%s\" unknown or out of order", tok));
			k++;
			pos++;
		}
		CT_TRY(expect(pos > 0, "features: empty"));
	}

	/* bindings */
	r = sysfs_read(AP_BUS "/bindings", buf, sizeof(buf));
	{
		unsigned int n, m;
		char tail[64] = "";

		CT_TRY(expect(r > 0 && sscanf(buf, "%u/%u%63[^\n]", &n, &m, tail) >= 2 &&
			      n <= m && (!tail[0] || !strcmp(tail, " (complete)")),
			      "bindings: expected \"n/m\" or \"n/m (complete)\" got \"%s\"",
			      esc(buf, r > 0 ? (size_t)r : 0)));
	}
	if (ct_kernel_has(619))
		CT_TRY(read_int(AP_BUS "/bindings_complete_count", &v));
	else
		CT_TRY(expect_absent(AP_BUS "/bindings_complete_count"));

	/* config_time: 5..120 */
	CT_TRY(sysfs_read(AP_BUS "/config_time", saved, sizeof(saved)) > 0);
	ct_defer_write(CT_PH_ATTR, AP_BUS "/config_time", saved, 0);
	CT_TRY(expect_write_s(AP_BUS "/config_time", "5", 0));
	CT_TRY(expect_read(AP_BUS "/config_time", "5\n"));
	CT_TRY(expect_write_s(AP_BUS "/config_time", "120\n", 0));
	CT_TRY(expect_read(AP_BUS "/config_time", "120\n"));
	CT_TRY(expect_write_s(AP_BUS "/config_time", "4", EINVAL));
	CT_TRY(expect_write_s(AP_BUS "/config_time", "121", EINVAL));
	CT_TRY(expect_write_s(AP_BUS "/config_time", "x", EINVAL));
	CT_TRY(expect_read(AP_BUS "/config_time", "120\n"));

	/* poll_timeout: <= 120e9 */
	CT_TRY(sysfs_read(AP_BUS "/poll_timeout", saved, sizeof(saved)) > 0);
	ct_defer_write(CT_PH_ATTR, AP_BUS "/poll_timeout", saved, 0);
	CT_TRY(expect_write_s(AP_BUS "/poll_timeout", "120000000000", 0));
	CT_TRY(expect_read(AP_BUS "/poll_timeout", "120000000000\n"));
	CT_TRY(expect_write_s(AP_BUS "/poll_timeout", "120000000001", EINVAL));
	CT_TRY(expect_write_s(AP_BUS "/poll_timeout", "x", EINVAL));
}

/* Item 48: ap_domain must be <= max and in aqmask. */
static void test_bus_ap_domain(void)
{
	char saved[64];
	long cur;
	unsigned int d[1], a[1];

	CT_TRY(pick_host(1, 1, a, d));
	CT_TRY(read_int(AP_BUS "/ap_domain", &cur));
	CT_TRY(sysfs_read(AP_BUS "/ap_domain", saved, sizeof(saved)) > 0);
	CT_TRY(expect_write_s(AP_BUS "/ap_domain", P("%u", ct.bus_max_apqi + 1), EINVAL));
	CT_TRY(expect_write_s(AP_BUS "/ap_domain", "-1", EINVAL));
	CT_TRY(expect_write_s(AP_BUS "/ap_domain", "x", EINVAL));
	CT_TRY(mask_save("aqmask"));
	CT_TRY(expect_write_s(AP_BUS "/aqmask", P("-%u", d[0]), 0));
	CT_TRY(expect_write_s(AP_BUS "/ap_domain", P("%u", d[0]), EINVAL));
	if (cur < 0) {
		ct_note("ap_domain is -1 and cannot be restored: valid write not tried");
		return;
	}
	ct_defer_write(CT_PH_ATTR, AP_BUS "/ap_domain", saved, 0);
	CT_TRY(expect_write_s(AP_BUS "/aqmask", P("+%u", d[0]), 0));
	CT_TRY(expect_write_s(AP_BUS "/ap_domain", P("0x%x", d[0]), 0));
	CT_TRY(expect_read(AP_BUS "/ap_domain", P("%u\n", d[0])));
}

/* Item 48: bindings is complete only when every queue has a driver. */
static void test_bus_bindings(void)
{
	unsigned int a[1], d[1], n, m;
	char buf[64];

	CT_TRY(pick_host(1, 1, a, d));
	CT_TRY(sysfs_read(AP_BUS "/bindings", buf, sizeof(buf)) > 0);
	/* the host's size is not known here: take it from the text, then
	 * compare the whole text */
	CT_TRY(expect(sscanf(buf, "%u/%u", &n, &m) == 2 && n > 0,
		      "bindings: expected \"n/m...\" got \"%s\"", esc(buf, strlen(buf))));
	CT_TRY(expect_read(AP_BUS "/bindings", P("%u/%u (complete)\n", m, m)));
	CT_TRY(queue_unbind(a[0], d[0]));
	CT_TRY(expect_read(AP_BUS "/bindings", P("%u/%u\n", m - 1, m)));
}

/* Item 49: driver_override (6.19+). */
struct override_ctx {
	unsigned int apid, apqi;
};

static bool override_cleanup(void *arg)
{
	struct override_ctx *o = arg;
	char drv[64];
	int r;

	r = sysfs_driver(queue_dev(o->apid, o->apqi), drv, sizeof(drv));
	if (r == 0 && drv[0])
		r = sysfs_write_str(P(AP_BUS "/drivers/%s/unbind", drv), apqn(o->apid, o->apqi));
	if (r == 0)
		r = sysfs_write_str(P("%s/driver_override", queue_dev(o->apid, o->apqi)), "\n");
	if (r == 0)
		r = sysfs_write_str(AP_BUS "/drivers/cex4queue/bind", apqn(o->apid, o->apqi));
	if (r == -EBUSY)
		r = 0;
	if (r < 0)
		printf("# cleanup: driver_override of %s: %s\n", apqn(o->apid, o->apqi),
		       errname(-r));
	free(o);
	return r == 0;
}

/*
 * A host queue *a.*d for a driver_override test: skips unless both masks
 * are all ones; clearing the override and re-binding is deferred.
 * @ovr gets the file's path.
 */
static bool override_setup(unsigned int *a, unsigned int *d, char *ovr, size_t size)
{
	struct idset all, am, qm;
	struct override_ctx *o;

	if (!pick_host(1, 1, a, d))
		return false;
	memset(&all, 0xff, sizeof(all));
	if (!mask_read("apmask", &am) || !mask_read("aqmask", &qm))
		return false;
	if (!idset_equal(&am, &all) || !idset_equal(&qm, &all))
		return ct_skip("the masks are not all ones");
	snprintf(ovr, size, "%s/driver_override", queue_dev(*a, *d));
	o = calloc(1, sizeof(*o));
	if (!expect(o != NULL, "out of memory"))
		return false;
	o->apid = *a;
	o->apqi = *d;
	ct_defer_fn(CT_PH_BIND, override_cleanup, o);
	return true;
}

static void test_bus_driver_override(void)
{
	unsigned int a[1], d[1];
	char ovr[64], drv[64];

	if (ct.baseline < 619)
		CT_TRY(ct_skip("driver_override exists from 6.19 only"));
	CT_TRY(override_setup(a, d, ovr, sizeof(ovr)));
	CT_TRY(expect_read(ovr, "\n"));
	/* not while a mask is not all ones */
	CT_TRY(mask_save("apmask"));
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("-%u", a[0]), 0));
	CT_TRY(expect_write_s(ovr, "vfio_ap", EINVAL));
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("+%u", a[0]), 0));
	CT_TRY(expect_write_s(ovr, "vfio_ap\n", 0));
	CT_TRY(expect_read(ovr, "vfio_ap\n"));
	/* masks are frozen while an override is set */
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("-%u", a[0]), EINVAL));
	CT_TRY(expect_write_s(AP_BUS "/aqmask", P("+%u", d[0]), EINVAL));
	/* the override pins the binding regardless of the (reserving) masks;
	 * whether the write re-probes at once is not specified */
	CT_TRY(expect(sysfs_driver(queue_dev(a[0], d[0]), drv, sizeof(drv)) == 0,
		      "driver of %s: unreadable", apqn(a[0], d[0])));
	if (drv[0])
		CT_TRY(expect_write_s(P(AP_BUS "/drivers/%s/unbind", drv), apqn(a[0], d[0]), 0));
	CT_TRY(queue_bind("cex4queue", a[0], d[0], ENODEV));
	CT_TRY(queue_bind("vfio_ap", a[0], d[0], 0));
	CT_TRY(expect_driver(a[0], d[0], "vfio_ap"));
}

/* Upstream item 12: driver_set_override()'s text rules (6.19+). */
static void test_bus_driver_override_text(void)
{
	static char big[CT_PAGE];
	unsigned int a[1], d[1];
	char ovr[64];

	CT_TRY(override_setup(a, d, ovr, sizeof(ovr)));
	CT_TRY(expect_write_s(ovr, "two words\n", 0));
	CT_TRY(expect_read(ovr, "two words\n"));
	CT_TRY(expect_write(ovr, "ab\0cd", 5, 0));
	CT_TRY(expect_read(ovr, "ab\n"));
	CT_TRY(expect_write_s(ovr, "x\ny", 0));
	CT_TRY(expect_read(ovr, "x\n"));
	CT_TRY(expect_write_s(ovr, "\nvfio_ap", 0));
	CT_TRY(expect_read(ovr, "\n"));
	/* count >= PAGE_SIZE - 1 is EINVAL; PAGE_SIZE - 2 bytes fit */
	memset(big, 'v', sizeof(big));
	CT_TRY(expect_write(ovr, big, CT_PAGE - 1, EINVAL));
	CT_TRY(expect_write(ovr, big, CT_PAGE - 2, 0));
	big[CT_PAGE - 2] = '\n';
	big[CT_PAGE - 1] = '\0';
	CT_TRY(expect_read(ovr, big));
}

const struct ct_test bus_tests[] = {
	{ "bus_mask_format", test_bus_mask_format, "28" },
	{ "bus_mask_default", test_bus_mask_default, "28" },
	{ "bus_mask_syntax_apmask", test_bus_mask_syntax_apmask, "29, 30" },
	{ "bus_mask_syntax_aqmask", test_bus_mask_syntax_aqmask, "29, 30" },
	{ "bus_in_use_ebusy", test_bus_in_use_ebusy, "31" },
	{ "bus_in_use_log", test_bus_in_use_log, "31" },
	{ "bus_in_use_rule", test_bus_in_use_rule, "32" },
	{ "bus_mask_rebind", test_bus_mask_rebind, "33" },
	{ "bus_mask_uevent", test_bus_mask_uevent, "33" },
	{ "bus_adapter_types", test_bus_adapter_types, "36" },
	{ "bus_scans", test_bus_scans, "39" },
	{ "bus_scan_picks_up_config", test_bus_scan_picks_up_config, "39" },
	{ "bus_device_naming", test_bus_device_naming, "40" },
	{ "bus_config_add_remove", test_bus_config_add_remove, "40" },
	{ "bus_card_config", test_bus_card_config, "40" },
	{ "bus_card_config_uevent", test_bus_card_config_uevent, "40" },
	{ "bus_card_config_every_write", test_bus_card_config_every_write, "40" },
	{ "bus_number_forms", test_bus_number_forms, "48" },
	{ "bus_card_needs_domain", test_bus_card_needs_domain, "40" },
	{ "bus_chkstop_no_uevent", test_bus_chkstop_no_uevent, "40" },
	{ "bus_bindings_uevent", test_bus_bindings_uevent, "48" },
	{ "bus_ap_domain_kept", test_bus_ap_domain_kept, "48" },
	{ "bus_ap_domain_select", test_bus_ap_domain_select, "48" },
	{ "bus_attrs", test_bus_attrs, "48" },
	{ "bus_ap_domain", test_bus_ap_domain, "48" },
	{ "bus_bindings", test_bus_bindings, "48" },
	{ "bus_driver_override", test_bus_driver_override, "49" },
	{ "bus_driver_override_text", test_bus_driver_override_text, "49" },
	{ NULL, NULL, NULL },
};
