// SPDX-License-Identifier: GPL-2.0
/*
 * t_filter.c - guest_matrix filtering, queue binding and queue status
 * (docs/kernel-abi.md §9 items 17-19, 27, 34-36, 41; §2.5, §4.3, §4.6).
 *
 * These tests need real queue devices: they pick adapters and domains from
 * the host configuration (pick_host) and give the adapters to vfio_ap by
 * clearing their apmask bits.
 */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Pick @na adapters x @nd domains, give the adapters to vfio_ap. */
static bool setup_host(unsigned int na, unsigned int nd, unsigned int *a, unsigned int *d,
		       struct idset *A, struct idset *D)
{
	if (!pick_host(na, nd, a, d))
		return false;
	idset_clear(A);
	idset_clear(D);
	for (unsigned int i = 0; i < na; i++)
		idset_add(A, a[i]);
	for (unsigned int i = 0; i < nd; i++)
		idset_add(D, d[i]);
	if (!host_release_adapters(A))
		return false;
	for (unsigned int i = 0; i < na; i++)
		for (unsigned int j = 0; j < nd; j++)
			if (!expect_driver(a[i], d[j], "vfio_ap"))
				return false;
	return true;
}

/* Item 17: adapters and domains are filtered by the host configuration. */
static void test_filter_host_config(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[2], d[2], f, g;
	struct idset A, D, AF, DG;

	CT_TRY(setup_host(2, 2, a, d, &A, &D));
	CT_TRY(pick_free_apid(0, &f) && pick_free_apqi(0, &g));
	AF = A;
	DG = D;
	idset_add(&AF, f);
	idset_add(&DG, g);
	CT_TRY(host_release_adapters(&AF));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &AF, &DG, NULL));
	CT_TRY(expect_matrix(u, &AF, &DG));
	CT_TRY(expect_guest(u, &A, &D));
}

/* Item 17: one unbound APQN filters its whole adapter; domains stay. */
static void test_filter_unbound(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[2], d[3];
	struct idset A, D, A0, D2;

	CT_TRY(setup_host(2, 3, a, d, &A, &D));
	A0 = IDS((int)a[0]);
	D2 = IDS((int)d[0], (int)d[1]);
	CT_TRY(queue_unbind(a[1], d[1]));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A, &D2, NULL));
	CT_TRY(expect_guest(u, &A0, &D2));
	/* another assignment re-filters the whole matrix: still filtered */
	CT_TRY(ASSIGN_D(u, d[2]));
	CT_TRY(expect_guest(u, &A0, &D));
	CT_TRY(expect_matrix(u, &A, &D));
}

/* Item 18: the CVE-2024-26620 scenario must not leak the adapter. */
static void test_filter_cve_2024_26620(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[2], d[3];
	struct idset A, D, A0, D12;

	CT_TRY(setup_host(2, 3, a, d, &A, &D));
	A0 = IDS((int)a[0]);
	D12 = IDS((int)d[1], (int)d[2]);
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A, &D, NULL));
	CT_TRY(expect_guest(u, &A, &D));
	CT_TRY(UNASSIGN_D(u, d[0]));
	CT_TRY(expect_guest(u, &A, &D12));
	CT_TRY(queue_unbind(a[1], d[1]));
	CT_TRY(expect_guest(u, &A0, &D12));
	CT_TRY(ASSIGN_D(u, d[0]));
	CT_TRY(expect_guest(u, &A0, &D));
}

/*
 * Item 19: after the offending domain is unassigned the adapter stays
 * filtered until the next filtering event (assign / ap_config / bind).
 */
static bool setup_quirk(char u[CT_UUID_LEN + 1], unsigned int *a, unsigned int *d)
{
	struct idset A, D, A0, D0, D01;

	if (!setup_host(2, 3, a, d, &A, &D))
		return false;
	A0 = IDS((int)a[0]);
	D0 = IDS((int)d[0]);
	D01 = IDS((int)d[0], (int)d[1]);
	return queue_unbind(a[1], d[1]) && mdev_new(u) && mdev_assign_sets(u, &A, &D01, NULL) &&
	       expect_guest(u, &A0, &D01) && UNASSIGN_D(u, d[1]) && expect_guest(u, &A0, &D0);
}

static void test_filter_quirk_assign(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[2], d[3];
	struct idset A, A0, D0, D02;

	CT_TRY(setup_quirk(u, a, d));
	A = IDS((int)a[0], (int)a[1]);
	A0 = IDS((int)a[0]);
	D0 = IDS((int)d[0]);
	D02 = IDS((int)d[0], (int)d[2]);
	/* an assign that is a no-op does not filter; nor does a bus scan
	 * without a configuration change (item 39) */
	CT_TRY(ASSIGN_A(u, a[1]));
	CT_TRY(expect_guest(u, &A0, &D0));
	CT_TRY(expect_write_s(AP_BUS "/scans", "1", 0));
	CT_TRY(expect_guest(u, &A0, &D0));
	CT_TRY(ASSIGN_D(u, d[2]));
	CT_TRY(expect_guest(u, &A, &D02));
}

static void test_filter_quirk_ap_config(void)
{
	char u[CT_UUID_LEN + 1], cfg[256];
	unsigned int a[2], d[3];
	struct idset A, D0, none;

	CT_TRY(setup_quirk(u, a, d));
	A = IDS((int)a[0], (int)a[1]);
	D0 = IDS((int)d[0]);
	idset_clear(&none);
	/* writing the unchanged configuration runs the filter */
	ap_config_text(&A, &D0, &none, cfg, sizeof(cfg));
	CT_TRY(expect_read(MDEV(u, "ap_config"), cfg));
	CT_TRY(expect_write_s(MDEV(u, "ap_config"), cfg, 0));
	CT_TRY(expect_guest(u, &A, &D0));
}

static void test_filter_quirk_bind(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[2], d[2];
	struct idset A, D, D0, none;

	CT_TRY(setup_host(2, 2, a, d, &A, &D));
	D0 = IDS((int)d[0]);
	idset_clear(&none);
	CT_TRY(queue_unbind(a[0], d[0]));
	CT_TRY(queue_unbind(a[1], d[1]));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A, &D, NULL));
	CT_TRY(expect_guest(u, &none, &D));
	CT_TRY(UNASSIGN_D(u, d[1]));
	CT_TRY(expect_guest(u, &none, &D0));
	/* binding a queue of the matrix runs the filter for the whole matrix */
	CT_TRY(queue_bind("vfio_ap", a[0], d[0], 0));
	CT_TRY(expect_guest(u, &A, &D0));
}

/* Item 27: the queue status attribute without a guest. */
static void test_queue_status(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[3], d[1];
	struct idset A, D, A01;

	CT_TRY(pick_host(3, 1, a, d));
	A01 = IDS((int)a[0], (int)a[1]);
	D = IDS((int)d[0]);
	CT_TRY(host_release_adapters(&A01));
	(void)A;
	CT_TRY(expect_driver(a[0], d[0], "vfio_ap"));
	CT_TRY(expect_status(a[0], d[0], "unassigned"));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A01, &D, NULL));
	CT_TRY(expect_status(a[0], d[0], "assigned"));
	CT_TRY(expect_status(a[1], d[0], "assigned"));
	/* a queue of the host driver has no status but the zcrypt online */
	CT_TRY(expect_driver(a[2], d[0], "cex4queue"));
	CT_TRY(expect_absent(P("%s/status", queue_dev(a[2], d[0]))));
	CT_TRY(expect_node(P("%s/online", queue_dev(a[2], d[0])), S_IFREG, -1));
	CT_TRY(expect_absent(P("%s/online", queue_dev(a[0], d[0]))));
	CT_TRY(UNASSIGN_A(u, a[1]));
	CT_TRY(expect_status(a[1], d[0], "unassigned"));
}

/* Item 27: "in use" needs an attached guest AND the APQN in the shadow. */
static void test_queue_status_in_use(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[2], d[2];
	struct idset A, D;
	const char *vm = vm_name("status");

	CT_TRY(need_ctl());
	CT_TRY(setup_host(2, 2, a, d, &A, &D));
	CT_TRY(queue_unbind(a[1], d[1]));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A, &D, NULL));
	CT_TRY(expect_status(a[0], d[0], "assigned"));
	CT_TRY(guest_attach(u, vm));
	CT_TRY(expect_status(a[0], d[0], "in use"));
	CT_TRY(expect_status(a[0], d[1], "in use"));
	/* a[1] is filtered out of the shadow */
	CT_TRY(expect_status(a[1], d[0], "assigned"));
	CT_TRY(ctl_ok("detach %s", u) != NULL);
	CT_TRY(expect_status(a[0], d[0], "assigned"));
}

/* Item 34: binding an assigned queue links it and hot plugs its adapter. */
static void test_bind_hotplug(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[1], d[2];
	struct idset A, D, none;

	CT_TRY(setup_host(1, 2, a, d, &A, &D));
	idset_clear(&none);
	CT_TRY(queue_unbind(a[0], d[0]));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A, &D, NULL));
	CT_TRY(expect_guest(u, &none, &D));
	CT_TRY(expect_absent(P("%s/status", queue_dev(a[0], d[0]))));
	CT_TRY(queue_bind("vfio_ap", a[0], d[0], 0));
	CT_TRY(expect_guest(u, &A, &D));
	CT_TRY(expect_status(a[0], d[0], "assigned"));
}

/* Item 34 with a guest: the CRYCB follows the hot plug. */
static void test_bind_hotplug_attached(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[1], d[2];
	struct idset A, D, none;
	const char *vm = vm_name("bind");

	CT_TRY(need_ctl());
	CT_TRY(setup_host(1, 2, a, d, &A, &D));
	idset_clear(&none);
	CT_TRY(queue_unbind(a[0], d[0]));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A, &D, NULL));
	CT_TRY(guest_attach(u, vm));
	CT_TRY(expect_crycb(vm, &none, &D, &none));
	CT_TRY(queue_bind("vfio_ap", a[0], d[0], 0));
	CT_TRY(expect_crycb(vm, &A, &D, &none));
	CT_TRY(expect_status(a[0], d[0], "in use"));
}

/* Items 35, 36: driver core rules of bind/unbind on the AP bus. */
static void test_bind_rules(void)
{
	unsigned int a[2], d[1];
	struct idset A0;

	CT_TRY(pick_host(2, 1, a, d));
	A0 = IDS((int)a[0]);
	CT_TRY(mask_save("apmask") && mask_save("aqmask"));
	CT_TRY(expect_write_s(AP_BUS "/apmask", P("+%u", a[1]), 0));
	CT_TRY(expect_write_s(AP_BUS "/aqmask", P("+%u", d[0]), 0));
	CT_TRY(host_release_adapters(&A0));
	/* cards never bind to vfio_ap */
	CT_TRY(expect_write_s(AP_BUS "/drivers/vfio_ap/bind", P("card%02x", a[0]), ENODEV));
	/* no such device */
	CT_TRY(expect_write_s(AP_BUS "/drivers/vfio_ap/bind", "zz.zzzz", ENODEV));
	/* already bound */
	CT_TRY(queue_bind("vfio_ap", a[0], d[0], EBUSY));
	CT_TRY(queue_bind("cex4queue", a[1], d[0], EBUSY));
	/* unbind from a driver the device is not bound to */
	CT_TRY(expect_write_s(AP_BUS "/drivers/vfio_ap/unbind", apqn(a[1], d[0]), ENODEV));
	CT_TRY(expect_write_s(AP_BUS "/drivers/cex4queue/unbind", apqn(a[0], d[0]), ENODEV));
	/* the reservation decides which driver may probe a queue */
	CT_TRY(queue_unbind(a[1], d[0]));
	CT_TRY(expect_driver(a[1], d[0], ""));
	CT_TRY(queue_bind("vfio_ap", a[1], d[0], ENODEV));
	CT_TRY(queue_bind("cex4queue", a[1], d[0], 0));
	CT_TRY(queue_unbind(a[0], d[0]));
	CT_TRY(queue_bind("cex4queue", a[0], d[0], ENODEV));
	CT_TRY(queue_bind("vfio_ap", a[0], d[0], 0));
	CT_TRY(expect_driver(a[0], d[0], "vfio_ap"));
}

/* Item 35: unbinding a passed-through queue unplugs its whole adapter. */
static void test_unbind_unplug(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[2], d[2];
	struct idset A, D, A1;

	CT_TRY(setup_host(2, 2, a, d, &A, &D));
	A1 = IDS((int)a[1]);
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A, &D, NULL));
	CT_TRY(expect_guest(u, &A, &D));
	CT_TRY(queue_unbind(a[0], d[0]));
	CT_TRY(expect_guest(u, &A1, &D));
	CT_TRY(expect_matrix(u, &A, &D));
}

/* Item 35: which queues the unbind resets, with a guest attached. */
static void test_unbind_resets(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[3], d[2];
	struct idset A, D, A01, A1, none;
	const char *vm = vm_name("unbind");

	CT_TRY(need_ctl());
	CT_TRY(setup_host(3, 2, a, d, &A, &D));
	A01 = IDS((int)a[0], (int)a[1]);
	A1 = IDS((int)a[1]);
	idset_clear(&none);
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A01, &D, NULL));
	CT_TRY(guest_attach(u, vm));
	CT_TRY(expect_crycb(vm, &A01, &D, &none));
	CT_TRY(log_clear());
	CT_TRY(queue_unbind(a[0], d[0]));
	CT_TRY(expect_crycb(vm, &A1, &D, &none));
	CT_TRY(expect_resets(P("%s %s", apqn(a[0], d[0]), apqn(a[0], d[1]))));
	/* a queue outside every shadow is reset alone (it is in the config) */
	CT_TRY(log_clear());
	CT_TRY(queue_unbind(a[2], d[0]));
	CT_TRY(expect_resets(apqn(a[2], d[0])));
	CT_TRY(expect_crycb(vm, &A1, &D, &none));
}

/* Item 41: reset rc 3/4 keeps a queue passable, any other rc filters it. */
static bool reset_with_rc(const char *u, const char *vm, unsigned int a, unsigned int d,
			  unsigned int rc)
{
	const char *log;

	if (!ctl_ok("reset-rc %s 0x%02x", apqn(a, d), rc) || !log_clear() ||
	    !ctl_ok("attach %s --vm %s", u, vm) || !ctl_ok("detach %s", u))
		return false;
	if (!(log = log_text()))
		return false;
	return expect(count_lines(log, P("apsim: reset queue %s rc=0x%02x", apqn(a, d), rc)) >= 1,
		      "log: expected a reset of %s with rc=0x%02x, log is \"%s\"", apqn(a, d), rc,
		      esc(log, strlen(log)));
}

static void test_reset_rc_passable(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[1], d[2];
	struct idset A, D, D0, none;
	const char *vm = vm_name("resetrc");

	CT_TRY(need_ctl());
	CT_TRY(setup_host(1, 2, a, d, &A, &D));
	D0 = IDS((int)d[0]);
	idset_clear(&none);
	CT_TRY(mdev_new(u));
	ct_defer_ctl(CT_PH_GUEST, "reset-rc %s 0", apqn(a[0], d[0]));
	CT_TRY(mdev_assign_sets(u, &A, &D0, NULL));
	for (unsigned int rc = 3; rc <= 4; rc++) {
		CT_TRY(reset_with_rc(u, vm, a[0], d[0], rc));
		/* re-filter: unassign and assign a domain */
		CT_TRY(UNASSIGN_D(u, d[1]));
		CT_TRY(ASSIGN_D(u, d[1]));
		CT_TRY(expect_guest(u, &A, &D));
	}
	CT_TRY(reset_with_rc(u, vm, a[0], d[0], 0x01));
	CT_TRY(UNASSIGN_D(u, d[1]));
	CT_TRY(ASSIGN_D(u, d[1]));
	CT_TRY(expect_guest(u, &none, &D));
	/* a successful reset makes it passable again */
	CT_TRY(reset_with_rc(u, vm, a[0], d[0], 0x00));
	CT_TRY(UNASSIGN_D(u, d[1]));
	CT_TRY(ASSIGN_D(u, d[1]));
	CT_TRY(expect_guest(u, &A, &D));
}

/* Upstream item 13: the reset WARN text for an invalid ZAPQ rc (decimal). */
static void test_reset_invalid_rc_log(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[1], d[1];
	struct idset A, D;
	const char *vm = vm_name("resetwarn"), *log, *line;

	CT_TRY(need_ctl());
	CT_TRY(setup_host(1, 1, a, d, &A, &D));
	CT_TRY(mdev_new(u));
	ct_defer_ctl(CT_PH_GUEST, "reset-rc %s 0", apqn(a[0], d[0]));
	CT_TRY(mdev_assign_sets(u, &A, &D, NULL));
	CT_TRY(reset_with_rc(u, vm, a[0], d[0], 0x0c));
	CT_TRY(log = log_text());
	line = P("PQAP/ZAPQ for %s failed with invalid rc=12", apqn(a[0], d[0]));
	CT_TRY(expect(count_lines(log, line) == 1, "log: expected \"%s\" once, log is \"%s\"", line,
		      esc(log, strlen(log))));
	CT_TRY(reset_with_rc(u, vm, a[0], d[0], 0x03));
	CT_TRY(log = log_text());
	CT_TRY(expect(!strstr(log, "invalid rc"), "log: expected no WARN for rc 3, log is \"%s\"",
		      esc(log, strlen(log))));
}

const struct ct_test filter_tests[] = {
	{ "filter_host_config", test_filter_host_config, "14, 17" },
	{ "filter_unbound", test_filter_unbound, "14, 17" },
	{ "filter_cve_2024_26620", test_filter_cve_2024_26620, "18" },
	{ "filter_quirk_assign", test_filter_quirk_assign, "19, 39" },
	{ "filter_quirk_ap_config", test_filter_quirk_ap_config, "19" },
	{ "filter_quirk_bind", test_filter_quirk_bind, "19, 34" },
	{ "reset_invalid_rc_log", test_reset_invalid_rc_log, "41" },
	{ "queue_status", test_queue_status, "27" },
	{ "queue_status_in_use", test_queue_status_in_use, "27" },
	{ "bind_hotplug", test_bind_hotplug, "34" },
	{ "bind_hotplug_attached", test_bind_hotplug_attached, "34" },
	{ "bind_rules", test_bind_rules, "35, 36" },
	{ "unbind_unplug", test_unbind_unplug, "35" },
	{ "unbind_resets", test_unbind_resets, "35" },
	{ "reset_rc_passable", test_reset_rc_passable, "41" },
	{ NULL, NULL, NULL },
};
