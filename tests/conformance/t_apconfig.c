// SPDX-License-Identifier: GPL-2.0
/*
 * t_apconfig.c - the per-mdev ap_config attribute (docs/kernel-abi.md §9
 * items 24-26; §2.4, §4.5.3).
 */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static struct idset none_set(void)
{
	struct idset s;

	idset_clear(&s);
	return s;
}

static bool expect_config(const char *u, const struct idset *apm, const struct idset *aqm,
			  const struct idset *adm)
{
	char text[256];

	ap_config_text(apm, aqm, adm, text, sizeof(text));
	return expect_read(MDEV(u, "ap_config"), text);
}

/* Item 24: read format, MSB-first. */
static void test_ap_config_read(void)
{
	char u[CT_UUID_LEN + 1], buf[512];
	unsigned int top = ct.apm_max;
	struct idset A, D, C;
	int r;

	A = IDS(0, (int)top);
	CT_TRY(host_release_adapters(&A));
	CT_TRY(mdev_new(u));
	CT_TRY(ASSIGN_A(u, 0));
	r = sysfs_read(MDEV(u, "ap_config"), buf, sizeof(buf));
	CT_TRY(expect(r == 201, "ap_config: expected 201 characters got %d", r));
	CT_TRY(expect(!strncmp(buf, "0x8000", 6), "ap_config: expected \"0x8000...\" got \"%s\"",
		      esc(buf, (size_t)r)));
	CT_TRY(ASSIGN_A(u, top));
	CT_TRY(ASSIGN_D(u, 1));
	CT_TRY(ASSIGN_D(u, 0x0a));
	CT_TRY(ASSIGN_C(u, 2));
	D = IDS(1, 0x0a);
	C = IDS(2);
	CT_TRY(expect_config(u, &A, &D, &C));
	r = sysfs_read(MDEV(u, "ap_config"), buf, sizeof(buf));
	CT_TRY(expect(r == 201 && !strncmp(buf + 67, "0x4020", 6) && !strncmp(buf + 134, "0x2000", 6),
		      "ap_config: expected \"...,0x4020...,0x2000...\" got \"%s\"",
		      esc(buf, (size_t)r)));
	if (top == 255)
		CT_TRY(expect(!strncmp(buf + 62, "0001,", 5),
			      "ap_config: adapter 255 must be the last bit: \"%s\"",
			      esc(buf, (size_t)r)));
}

/* Item 25: accepted write forms. */
static void test_ap_config_write_forms(void)
{
	char u[CT_UUID_LEN + 1], full[256], h65[80];
	struct idset A, D, C, none = none_set();
	unsigned int f;

	CT_TRY(pick_free_apid(0, &f));
	A = IDS(0, (int)f);
	D = IDS(1, 4);
	C = IDS(2, 5);
	CT_TRY(host_release_adapters(&A));
	CT_TRY(mdev_new(u));

	/* full length, with and without the newline */
	ap_config_text(&A, &D, &C, full, sizeof(full));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), full, 0));
	CT_TRY(expect_config(u, &A, &D, &C));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), ",,", 0));
	CT_TRY(expect_config(u, &none, &none, &none));
	CT_TRY(expect_write(MDEV(u, "ap_config"), full, 200, 0));
	CT_TRY(expect_config(u, &A, &D, &C));

	/* short masks are padded on the right */
	A = IDS(0);
	D = IDS(1, 4);
	C = IDS(2, 5);
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), "0x8,0x48,0x24", 0));
	CT_TRY(expect_config(u, &A, &D, &C));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), "0x,0x,0x\n", 0));
	CT_TRY(expect_config(u, &none, &none, &none));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), "x8,x48,x24\n", 0));
	CT_TRY(expect_config(u, &A, &D, &C));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), ",,\n", 0));
	CT_TRY(expect_config(u, &none, &none, &none));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), "8,48,24", 0));
	CT_TRY(expect_config(u, &A, &D, &C));
	/* text after the third field is ignored */
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), "0x8,0x48,0x2,whatever", 0));
	C = IDS(2);
	CT_TRY(expect_config(u, &A, &D, &C));

	/* rejected forms leave the mdev unchanged */
	memset(h65, 'f', 65);
	h65[65] = '\0';
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), "0X8,0x48,0x2", EINVAL));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), P("0x%s,0x,0x", h65), EINVAL));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), P("0x,0x%s,0x", h65), EINVAL));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), "0x8,0x48", EINVAL));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), "0x8", EINVAL));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), "0x8,0xg,0x2", EINVAL));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), "0x8 ,0x48,0x2", EINVAL));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), "+0,+1,+2", EINVAL));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), "\n", EINVAL));
	CT_TRY(expect_config(u, &A, &D, &C));

	/* ",," clears everything */
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), ",,", 0));
	CT_TRY(expect_config(u, &none, &none, &none));
	CT_TRY(expect_read(MDEV(u, "matrix"), ""));
	CT_TRY(expect_read(MDEV(u, "control_domains"), ""));
}

/* Item 25: EADDRNOTAVAIL and EADDRINUSE leave the state unchanged. */
static void test_ap_config_write_errors(void)
{
	char u1[CT_UUID_LEN + 1], u2[CT_UUID_LEN + 1], cfg[256];
	unsigned int f[3], g[2];
	struct idset F0, F01, F02, F12, G0, G01, C, none = none_set();

	for (unsigned int i = 0; i < 3; i++)
		CT_TRY(pick_free_apid(i, &f[i]));
	CT_TRY(pick_free_apqi(0, &g[0]) && pick_free_apqi(1, &g[1]));
	F0 = IDS((int)f[0]);
	F01 = IDS((int)f[0], (int)f[1]);
	F02 = IDS((int)f[0], (int)f[2]);
	F12 = IDS((int)f[1], (int)f[2]);
	G0 = IDS((int)g[0]);
	G01 = IDS((int)g[0], (int)g[1]);
	C = IDS(3);
	/* f[0], f[1] for vfio_ap; (f[2], g) stays host-reserved */
	CT_TRY(mask_save("aqmask"));
	CT_TRY(expect_write_s(AP_BUS "/aqmask", P("+%u,+%u", g[0], g[1]), 0));
	CT_TRY(mask_save("apmask"));
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("+%u", f[2]), 0));
	CT_TRY(host_release_adapters(&F01));
	CT_TRY(mdev_new(u1) && mdev_new(u2));
	CT_TRY(mdev_assign_sets(u1, &F0, &G0, NULL));
	CT_TRY(mdev_assign_sets(u2, &F01, &none, &C));
	CT_TRY(expect_config(u2, &F01, &none, &C));

	/* in use by u1 */
	ap_config_text(&F01, &G0, &C, cfg, sizeof(cfg));
	CT_TRY(expect_write_s(MDEV(u2, "ap_config"), cfg, EADDRINUSE));
	CT_TRY(expect_config(u2, &F01, &none, &C));
	/* host-reserved (checked first) */
	ap_config_text(&F12, &G01, &none, cfg, sizeof(cfg));
	CT_TRY(expect_write_s(MDEV(u2, "ap_config"), cfg, EADDRNOTAVAIL));
	CT_TRY(expect_config(u2, &F01, &none, &C));
	ap_config_text(&F02, &G0, &none, cfg, sizeof(cfg));
	CT_TRY(expect_write_s(MDEV(u2, "ap_config"), cfg, EADDRNOTAVAIL));
	CT_TRY(expect_config(u2, &F01, &none, &C));
	CT_TRY(expect_config(u1, &F0, &G0, &none));
}

/* Item 25: a set bit above the maxima gives ENODEV, after validation. */
static void test_ap_config_enodev(void)
{
	char u[CT_UUID_LEN + 1], cfg[256];
	struct idset A, D, B, none = none_set();

	if (ct.apm_max >= 255 && ct.aqm_max >= 255)
		CT_TRY(ct_skip("unreachable: the mdev maxima are 255 (run against a host "
			       "without APXA or with smaller Na/Nd)"));
	CT_TRY(mdev_new(u));
	A = IDS(1);
	D = IDS(2);
	CT_TRY(host_release_adapters(&A));
	CT_TRY(mdev_assign_sets(u, &A, &D, NULL));
	if (ct.apm_max < 255) {
		B = IDS(1, (int)ct.apm_max + 1);
		CT_TRY(host_release_adapters(&B));
		ap_config_text(&B, &D, &none, cfg, sizeof(cfg));
		CT_TRY(expect_write_s(MDEV(u, "ap_config"), cfg, ENODEV));
		/* the bit above the maximum is host-reserved: validation first */
		CT_TRY(mask_save("apmask"));
		CT_TRY(expect_write_s(AP_BUS "/apmask", P("+%u", ct.apm_max + 1), 0));
		CT_TRY(expect_write_s(MDEV(u, "ap_config"), cfg, EADDRNOTAVAIL));
	}
	if (ct.aqm_max < 255) {
		B = IDS(2, (int)ct.aqm_max + 1);
		ap_config_text(&A, &B, &none, cfg, sizeof(cfg));
		CT_TRY(expect_write_s(MDEV(u, "ap_config"), cfg, ENODEV));
		ap_config_text(&A, &D, &B, cfg, sizeof(cfg));
		CT_TRY(expect_write_s(MDEV(u, "ap_config"), cfg, ENODEV));
	}
	CT_TRY(expect_config(u, &A, &D, &none));
}

/* Item 26: one write applies removals and additions and re-filters. */
static void test_ap_config_apply(void)
{
	char u[CT_UUID_LEN + 1], cfg[256];
	unsigned int a[3], d[2], cin = 0, cout = 0;
	struct idset A, A01, A12, A1, D0, D01, Cin, Cboth, none = none_set();
	const char *vm = vm_name("apconfig");

	CT_TRY(need_ctl());
	CT_TRY(pick_host(3, 2, a, d));
	CT_TRY(pick_cdoms(&cin, &cout));
	A01 = IDS((int)a[0], (int)a[1]);
	A12 = IDS((int)a[1], (int)a[2]);
	A1 = IDS((int)a[1]);
	D0 = IDS((int)d[0]);
	D01 = IDS((int)d[0], (int)d[1]);
	Cin = IDS((int)cin);
	Cboth = IDS((int)cin, (int)cout);
	A = IDS((int)a[0], (int)a[1], (int)a[2]);
	CT_TRY(host_release_adapters(&A));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A01, &D0, NULL));
	CT_TRY(guest_attach(u, vm));
	CT_TRY(expect_crycb(vm, &A01, &D0, &none));
	/* a[2].d[1] unbound: a[2] is added but filtered */
	CT_TRY(queue_unbind(a[2], d[1]));
	CT_TRY(log_clear());
	ap_config_text(&A12, &D01, &Cboth, cfg, sizeof(cfg));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), cfg, 0));
	CT_TRY(expect_config(u, &A12, &D01, &Cboth));
	CT_TRY(expect_guest(u, &A1, &D01));
	CT_TRY(expect_crycb(vm, &A1, &D01, &Cin));
	/* the removed adapter's passed-through queue was reset */
	CT_TRY(expect_resets(apqn(a[0], d[0])));
	CT_TRY(expect_status(a[1], d[1], "in use"));
	CT_TRY(expect_status(a[2], d[0], "assigned"));
	CT_TRY(expect_status(a[0], d[0], "unassigned"));
}

const struct ct_test apconfig_tests[] = {
	{ "ap_config_read", test_ap_config_read, "24" },
	{ "ap_config_write_forms", test_ap_config_write_forms, "25" },
	{ "ap_config_write_errors", test_ap_config_write_errors, "25" },
	{ "ap_config_enodev", test_ap_config_enodev, "9, 25" },
	{ "ap_config_apply", test_ap_config_apply, "26" },
	{ NULL, NULL, NULL },
};
