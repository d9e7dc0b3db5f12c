// SPDX-License-Identifier: GPL-2.0
/*
 * t_assign.c - number parsing, maxima and assignment validation
 * (docs/kernel-abi.md §9 items 8-16; §2.4, §4.2).
 *
 * Most tests use IDs outside the host configuration (over-provisioning,
 * item 14) so that they do not depend on the host's adapters; the bits are
 * cleared from apmask first because the reservation rule is a pure mask
 * rule (an ID outside the configuration is still host-reserved while its
 * mask bit is set).
 */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const assign_attrs[] = {
	"assign_adapter", "assign_domain", "assign_control_domain",
};
static const char *const unassign_attrs[] = {
	"unassign_adapter", "unassign_domain", "unassign_control_domain",
};

/* What <mdev> shows after assigning only @id through attribute @kind. */
static bool expect_single(const char *u, int kind, int id)
{
	struct idset none, one;

	idset_clear(&none);
	idset_clear(&one);
	if (id >= 0)
		idset_add(&one, (unsigned int)id);
	switch (kind) {
	case 0:
		return expect_matrix(u, &one, &none);
	case 1:
		return expect_matrix(u, &none, &one);
	default:
		return expect_read(MDEV(u, "control_domains"), id >= 0 ? P("%04x\n", id) : "");
	}
}

/* Item 8: accepted forms, for all six assign/unassign attributes. */
static void test_parse_accepted(void)
{
	static const struct { const char *text; int val; } forms[] = {
		{ "5", 5 }, { "5\n", 5 }, { "0x5", 5 }, { "0X5", 5 }, { "+5", 5 },
		{ "05", 5 }, { "010", 8 }, { "0x0a\n", 10 }, { "+0x0b", 11 }, { "0", 0 },
	};
	char u[CT_UUID_LEN + 1];

	CT_TRY(mdev_new(u));
	for (int k = 0; k < 3; k++) {
		for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
			CT_TRY(expect_write_s(MDEV(u, assign_attrs[k]), forms[i].text, 0));
			CT_TRY(expect_single(u, k, forms[i].val));
			CT_TRY(expect_write_s(MDEV(u, unassign_attrs[k]), forms[i].text, 0));
			CT_TRY(expect_single(u, k, -1));
		}
	}
}

/* Item 8: rejected forms leave the mdev unchanged. */
static void test_parse_rejected(void)
{
	static const struct { const char *text; int err; } forms[] = {
		{ "-1", EINVAL }, { " 5", EINVAL }, { "5 ", EINVAL }, { "5x", EINVAL },
		{ "\n", EINVAL }, { "5\n\n", EINVAL }, { "0x", EINVAL }, { "+", EINVAL },
		{ "+-5", EINVAL }, { "08", EINVAL }, { "0xg", EINVAL }, { "\t5", EINVAL },
		{ "18446744073709551616", ERANGE }, { "0x10000000000000000", ERANGE },
		{ "99999999999999999999x", ERANGE },
	};
	char u[CT_UUID_LEN + 1];

	CT_TRY(mdev_new(u));
	CT_TRY(ASSIGN_A(u, 1));
	CT_TRY(ASSIGN_C(u, 2));
	for (int k = 0; k < 3; k++) {
		for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
			CT_TRY(expect_write_s(MDEV(u, assign_attrs[k]), forms[i].text, forms[i].err));
			CT_TRY(expect_write_s(MDEV(u, unassign_attrs[k]), forms[i].text,
					      forms[i].err));
		}
		/* a zero-length write never reaches a sysfs store: it returns 0 */
		CT_TRY(expect_write(MDEV(u, assign_attrs[k]), "", 0, 0));
	}
	CT_TRY(expect_single(u, 0, 1));
	CT_TRY(expect_single(u, 2, 2));
}

/* Item 9: IDs above the mdev maxima give ENODEV on all six attributes. */
static void test_maxima(void)
{
	const unsigned int max[3] = { ct.apm_max, ct.aqm_max, ct.aqm_max };
	char u[CT_UUID_LEN + 1];

	CT_TRY(expect(ct.apxa || (ct.apm_max == 63 && ct.aqm_max == 15),
		      "harness: maxima without APXA must be 63/15"));
	ct_note("APXA %s: expecting maxima %u/%u/%u", ct.apxa ? "on" : "off", max[0], max[1],
		max[2]);
	CT_TRY(mdev_new(u));
	for (int k = 0; k < 3; k++) {
		const char *a = MDEV(u, assign_attrs[k]);
		const char *un = MDEV(u, unassign_attrs[k]);

		CT_TRY(expect_write_s(a, P("%u", max[k] + 1), ENODEV));
		CT_TRY(expect_write_s(un, P("%u", max[k] + 1), ENODEV));
		CT_TRY(expect_write_s(a, "256", ENODEV));
		CT_TRY(expect_write_s(a, "0xffffffffffffffff", ENODEV));
		CT_TRY(expect_write_s(un, "18446744073709551615", ENODEV));
		CT_TRY(expect_single(u, k, -1));
		CT_TRY(expect_write_s(a, P("%u", max[k]), 0));
		CT_TRY(expect_single(u, k, (int)max[k]));
		CT_TRY(expect_write_s(un, P("%u", max[k]), 0));
		CT_TRY(expect_single(u, k, -1));
	}
}

/* Item 10. */
static void test_assign_idempotent(void)
{
	char u[CT_UUID_LEN + 1];
	struct idset ap, aq, none;
	unsigned int f, g;

	CT_TRY(pick_free_apid(0, &f) && pick_free_apqi(0, &g));
	ap = IDS((int)f);
	aq = IDS((int)g);
	idset_clear(&none);
	CT_TRY(host_release_adapters(&ap));
	CT_TRY(mdev_new(u));
	CT_TRY(UNASSIGN_A(u, f));
	CT_TRY(UNASSIGN_D(u, g));
	CT_TRY(UNASSIGN_C(u, g));
	CT_TRY(expect_matrix(u, &none, &none));
	CT_TRY(ASSIGN_A(u, f));
	CT_TRY(ASSIGN_A(u, f));
	CT_TRY(ASSIGN_D(u, g));
	CT_TRY(ASSIGN_D(u, g));
	CT_TRY(ASSIGN_C(u, g));
	CT_TRY(ASSIGN_C(u, g));
	CT_TRY(expect_matrix(u, &ap, &aq));
	CT_TRY(expect_read(MDEV(u, "control_domains"), P("%04x\n", g)));
	CT_TRY(UNASSIGN_A(u, f));
	CT_TRY(UNASSIGN_A(u, f));
	CT_TRY(expect_matrix(u, &none, &aq));
}

/* Item 11: a host-reserved APQN (apmask AND aqmask) cannot be assigned. */
static void test_assign_host_reserved(void)
{
	char u1[CT_UUID_LEN + 1], u2[CT_UUID_LEN + 1];
	unsigned int a, d, f;
	struct idset A, D, F, none;

	CT_TRY(pick_host(1, 1, &a, &d));
	CT_TRY(pick_free_apid(0, &f));
	A = IDS((int)a);
	D = IDS((int)d);
	F = IDS((int)f);
	idset_clear(&none);
	/* make sure (a, d) and (f, d) are reserved */
	CT_TRY(mask_save("apmask") && mask_save("aqmask"));
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("+%u,+%u", a, f), 0));
	CT_TRY(expect_write_s(AP_BUS "/aqmask", P("+%u", d), 0));

	CT_TRY(mdev_new(u1));
	CT_TRY(ASSIGN_A(u1, a));
	CT_TRY(mdev_attr(u1, "assign_domain", d, EADDRNOTAVAIL));
	CT_TRY(expect_matrix(u1, &A, &none));
	CT_TRY(mdev_new(u2));
	CT_TRY(ASSIGN_D(u2, d));
	CT_TRY(mdev_attr(u2, "assign_adapter", a, EADDRNOTAVAIL));
	/* the mask rule applies to IDs outside the host configuration too */
	CT_TRY(mdev_attr(u2, "assign_adapter", f, EADDRNOTAVAIL));
	CT_TRY(expect_matrix(u2, &none, &D));
	/* control domains are never checked */
	CT_TRY(ASSIGN_C(u2, d));

	/* giving the adapter to vfio_ap makes the APQN assignable */
	CT_TRY(host_release_adapters(&A));
	CT_TRY(ASSIGN_D(u1, d));
	CT_TRY(expect_matrix(u1, &A, &D));
	CT_TRY(mdev_attr(u2, "assign_adapter", f, EADDRNOTAVAIL));
	CT_TRY(host_release_adapters(&F));
	CT_TRY(ASSIGN_A(u2, f));
	CT_TRY(expect_matrix(u2, &F, &D));
}

/* Item 12: sharing an APQN with another mdev gives EADDRINUSE. */
static bool setup_in_use(char u1[CT_UUID_LEN + 1], char u2[CT_UUID_LEN + 1],
			 unsigned int *f, unsigned int *g1, unsigned int *g2)
{
	struct idset F;

	if (!pick_free_apid(0, f) || !pick_free_apqi(0, g1) || !pick_free_apqi(1, g2))
		return false;
	F = IDS((int)*f);
	return host_release_adapters(&F) && mdev_new(u1) && mdev_new(u2) &&
	       ASSIGN_A(u1, *f) && ASSIGN_D(u1, *g1) && ASSIGN_D(u1, *g2) &&
	       ASSIGN_D(u2, *g1) && ASSIGN_D(u2, *g2);
}

static void test_assign_in_use(void)
{
	char u1[CT_UUID_LEN + 1], u2[CT_UUID_LEN + 1], u3[CT_UUID_LEN + 1];
	unsigned int f, g1, g2;
	struct idset F, G, none;

	CT_TRY(setup_in_use(u1, u2, &f, &g1, &g2));
	F = IDS((int)f);
	G = IDS((int)g1, (int)g2);
	idset_clear(&none);
	CT_TRY(mdev_attr(u2, "assign_adapter", f, EADDRINUSE));
	CT_TRY(expect_matrix(u2, &none, &G));
	CT_TRY(expect_matrix(u1, &F, &G));
	/* the same through assign_domain */
	CT_TRY(mdev_new(u3));
	CT_TRY(ASSIGN_A(u3, f));
	CT_TRY(mdev_attr(u3, "assign_domain", g2, EADDRINUSE));
	CT_TRY(expect_matrix(u3, &F, &none));
	/* unassign never fails for sharing */
	CT_TRY(UNASSIGN_D(u2, g1));
	CT_TRY(UNASSIGN_A(u3, f));
	/* once the owner lets go, the APQN can be taken */
	CT_TRY(UNASSIGN_A(u1, f));
	CT_TRY(ASSIGN_A(u2, f));
	G = IDS((int)g2);
	CT_TRY(expect_matrix(u2, &F, &G));
}

/*
 * The sharing warning for one APQN: 6.15+ on the assigning mdev, naming
 * the owner; before, on the owner, naming the owner itself.
 */
static const char *sharing_line(const char *assignee, const char *owner, const char *q)
{
	if (!ct_kernel_has(615))
		return P("vfio_ap_mdev %s: Userspace may not re-assign queue %s already assigned "
			 "to %s", owner, q, owner);
	return P("vfio_ap_mdev %s: Userspace may not assign queue %s to mdev: already assigned "
		 "to %s", assignee, q, owner);
}

/* Item 12: one warning per conflicting APQN (§4.2). */
static void test_assign_in_use_log(void)
{
	char u1[CT_UUID_LEN + 1], u2[CT_UUID_LEN + 1];
	unsigned int f, g1, g2;
	const char *log;

	CT_TRY(need_ctl());
	CT_TRY(setup_in_use(u1, u2, &f, &g1, &g2));
	CT_TRY(log_clear());
	CT_TRY(mdev_attr(u2, "assign_adapter", f, EADDRINUSE));
	CT_TRY(log = log_text());
	for (int i = 0; i < 2; i++) {
		const char *line = sharing_line(u2, u1, apqn(f, i ? g2 : g1));

		CT_TRY(expect(count_lines(log, line) == 1,
			      "log: expected the line \"%s\" once, log is \"%s\"", line,
			      esc(log, strlen(log))));
	}
	CT_TRY(expect(count_lines_containing(log, "vfio_ap_mdev ") == 2,
		      "log: expected two lines, log is \"%s\"", esc(log, strlen(log))));
}

/*
 * Item 12 / §4.2: mdev_list is newest first (list_add), so when several
 * mdevs hold the APQNs, the warning names the most recently created one.
 */
static void test_assign_in_use_names_newest(void)
{
	char u1[CT_UUID_LEN + 1], u2[CT_UUID_LEN + 1], u3[CT_UUID_LEN + 1];
	unsigned int f[2], g;
	struct idset F;
	const char *log, *line;

	CT_TRY(need_ctl());
	CT_TRY(pick_free_apid(0, &f[0]) && pick_free_apid(1, &f[1]) && pick_free_apqi(0, &g));
	F = IDS((int)f[0], (int)f[1]);
	CT_TRY(host_release_adapters(&F));
	CT_TRY(mdev_new(u1) && ASSIGN_A(u1, f[0]) && ASSIGN_D(u1, g));
	CT_TRY(mdev_new(u2) && ASSIGN_A(u2, f[1]) && ASSIGN_D(u2, g));
	CT_TRY(mdev_new(u3) && ASSIGN_A(u3, f[0]) && ASSIGN_A(u3, f[1]));
	CT_TRY(log_clear());
	CT_TRY(mdev_attr(u3, "assign_domain", g, EADDRINUSE));
	CT_TRY(log = log_text());
	line = sharing_line(u3, u2, apqn(f[1], g));
	CT_TRY(expect(count_lines(log, line) == 1 &&
		      count_lines_containing(log, "vfio_ap_mdev ") == 1,
		      "log: expected only the line \"%s\", log is \"%s\"", line,
		      esc(log, strlen(log))));
}

/* Item 13: overlap in one dimension only is allowed. */
static void test_assign_one_dim_overlap(void)
{
	char u1[CT_UUID_LEN + 1], u2[CT_UUID_LEN + 1], u3[CT_UUID_LEN + 1];
	unsigned int f1, f2, g1, g2;
	struct idset F1, F2, G1, G2, F;

	CT_TRY(pick_free_apid(0, &f1) && pick_free_apid(1, &f2));
	CT_TRY(pick_free_apqi(0, &g1) && pick_free_apqi(1, &g2));
	F = IDS((int)f1, (int)f2);
	F1 = IDS((int)f1);
	F2 = IDS((int)f2);
	G1 = IDS((int)g1);
	G2 = IDS((int)g2);
	CT_TRY(host_release_adapters(&F));
	CT_TRY(mdev_new(u1) && mdev_new(u2) && mdev_new(u3));
	CT_TRY(mdev_assign_sets(u1, &F1, &G1, NULL));
	CT_TRY(mdev_assign_sets(u2, &F1, &G2, NULL));
	CT_TRY(mdev_assign_sets(u3, &F2, &G1, NULL));
	CT_TRY(expect_matrix(u1, &F1, &G1));
	CT_TRY(expect_matrix(u2, &F1, &G2));
	CT_TRY(expect_matrix(u3, &F2, &G1));
	/* but closing the rectangle conflicts */
	CT_TRY(mdev_attr(u3, "assign_adapter", f1, EADDRINUSE));
	CT_TRY(expect_matrix(u3, &F2, &G1));
}

/* Item 14: over-provisioning. */
static void test_overprovision(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[2], d, f, g;
	struct idset A, AF, DG, D;

	CT_TRY(pick_host(2, 1, a, &d));
	CT_TRY(pick_free_apid(0, &f) && pick_free_apqi(0, &g));
	A = IDS((int)a[0]);
	AF = IDS((int)a[0], (int)a[1], (int)f);
	DG = IDS((int)d, (int)g);
	D = IDS((int)d);
	CT_TRY(host_release_adapters(&AF));
	/* a[1]'s queue is unbound: assignable, but filtered */
	CT_TRY(queue_unbind(a[1], d));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &AF, &DG, NULL));
	CT_TRY(expect_matrix(u, &AF, &DG));
	CT_TRY(expect_guest(u, &A, &D));
}

/* Item 15: control domains. */
static void test_control_domains(void)
{
	char u1[CT_UUID_LEN + 1], u2[CT_UUID_LEN + 1], cfg[256];
	unsigned int c1 = 0x0b, c2 = 0x03, top = ct.aqm_max;
	struct idset C, none;

	idset_clear(&none);
	C = IDS((int)c2, (int)c1, (int)top);
	/* reserved for the host as usage domains: irrelevant */
	CT_TRY(mask_save("apmask") && mask_save("aqmask"));
	CT_TRY(expect_write_s(AP_BUS "/aqmask", P("+%u,+%u", c1, c2), 0));
	CT_TRY(mdev_new(u1) && mdev_new(u2));
	CT_TRY(ASSIGN_C(u1, c1));
	CT_TRY(ASSIGN_C(u1, top));
	CT_TRY(ASSIGN_C(u1, c2));
	/* shared with another mdev: allowed */
	CT_TRY(ASSIGN_C(u2, c1));
	CT_TRY(expect_read(MDEV(u1, "control_domains"), P("%04x\n%04x\n%04x\n", c2, c1, top)));
	CT_TRY(expect_read(MDEV(u2, "control_domains"), P("%04x\n", c1)));
	CT_TRY(expect_read(MDEV(u1, "matrix"), ""));
	CT_TRY(expect_read(MDEV(u1, "guest_matrix"), ""));
	ap_config_text(&none, &none, &C, cfg, sizeof(cfg));
	CT_TRY(expect_read(MDEV(u1, "ap_config"), cfg));
	CT_TRY(UNASSIGN_C(u1, c1));
	CT_TRY(expect_read(MDEV(u1, "control_domains"), P("%04x\n%04x\n", c2, top)));
	CT_TRY(expect_read(MDEV(u2, "control_domains"), P("%04x\n", c1)));
}

/* Item 16: matrix text format. */
static void test_matrix_format(void)
{
	char u1[CT_UUID_LEN + 1], u2[CT_UUID_LEN + 1], u3[CT_UUID_LEN + 1];
	unsigned int f1, f2, g1, g2;
	struct idset F, G, none;

	CT_TRY(pick_free_apid(0, &f1) && pick_free_apid(3, &f2));
	CT_TRY(pick_free_apqi(0, &g1) && pick_free_apqi(3, &g2));
	F = IDS((int)f1, (int)f2);
	G = IDS((int)g1, (int)g2);
	idset_clear(&none);
	CT_TRY(host_release_adapters(&F));
	CT_TRY(mdev_new(u1) && mdev_new(u2) && mdev_new(u3));
	/* assigned in descending order, shown ascending */
	CT_TRY(ASSIGN_A(u1, f1) && ASSIGN_A(u1, f2));
	CT_TRY(expect_read(MDEV(u1, "matrix"), P("%02x.\n%02x.\n", f2, f1)));
	CT_TRY(ASSIGN_D(u2, g1) && ASSIGN_D(u2, g2));
	CT_TRY(expect_read(MDEV(u2, "matrix"), P(".%04x\n.%04x\n", g2, g1)));
	CT_TRY(ASSIGN_D(u1, g1) && ASSIGN_D(u1, g2));
	CT_TRY(expect_read(MDEV(u1, "matrix"),
			   P("%02x.%04x\n%02x.%04x\n%02x.%04x\n%02x.%04x\n", f2, g2, f2, g1, f1, g2,
			     f1, g1)));
	CT_TRY(expect_matrix(u1, &F, &G));
	CT_TRY(expect_read(MDEV(u3, "matrix"), ""));
}

/* Item 16: the output is capped at one page. */
static void test_matrix_page_cap(void)
{
	static char want[65536], got[CT_PAGE * 2];
	char u[CT_UUID_LEN + 1], cfg[256];
	unsigned int nd = ct.aqm_max < 63 ? ct.aqm_max + 1 : 64;
	struct idset A, D, none;
	int r;

	idset_clear(&A);
	idset_clear(&D);
	idset_clear(&none);
	for (unsigned int i = 0; i < 64; i++)
		idset_add(&A, i);
	for (unsigned int i = 0; i < nd; i++)
		idset_add(&D, i);
	CT_TRY(host_release_adapters(&A));
	CT_TRY(mdev_new(u));
	ap_config_text(&A, &D, &none, cfg, sizeof(cfg));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), cfg, 0));
	matrix_text(&A, &D, want, sizeof(want));
	r = sysfs_read(MDEV(u, "matrix"), got, sizeof(got));
	CT_TRY(expect(r >= 0, "read matrix: %s", errname(-r)));
	CT_TRY(expect(r <= CT_PAGE && r >= CT_PAGE - 9,
		      "matrix of %u APQNs: expected one page (4087..4096 bytes) got %d bytes",
		      64 * nd, r));
	CT_TRY(expect(!strncmp(got, want, (size_t)r),
		      "matrix of %u APQNs: the page is not a prefix of the full text", 64 * nd));
}

const struct ct_test assign_tests[] = {
	{ "parse_accepted", test_parse_accepted, "8" },
	{ "parse_rejected", test_parse_rejected, "8" },
	{ "maxima", test_maxima, "9" },
	{ "assign_idempotent", test_assign_idempotent, "10" },
	{ "assign_host_reserved", test_assign_host_reserved, "11" },
	{ "assign_in_use", test_assign_in_use, "12" },
	{ "assign_in_use_log", test_assign_in_use_log, "12" },
	{ "assign_in_use_names_newest", test_assign_in_use_names_newest, "12" },
	{ "assign_one_dim_overlap", test_assign_one_dim_overlap, "13" },
	{ "overprovision", test_overprovision, "14" },
	{ "control_domains", test_control_domains, "15" },
	{ "matrix_format", test_matrix_format, "16" },
	{ "matrix_page_cap", test_matrix_page_cap, "16" },
	{ NULL, NULL, NULL },
};
