// SPDX-License-Identifier: GPL-2.0
/*
 * t_hostcfg.c - host configuration changes through the control command:
 * removal and addition of adapters, domains and control domains with a
 * guest attached (docs/kernel-abi.md §9 items 37, 38; §4.7).
 *
 * To leave the host's own adapters alone, each test adds an ID that is not
 * in the configuration and removes it again (deferred, CT_PH_HW).
 */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static bool expect_one_update(const char *vm, const struct crycb *before)
{
	struct crycb c;

	if (!ctl_crycb(vm, &c))
		return false;
	return expect(c.updates == before->updates + 1,
		      "CRYCB updates of %s: expected exactly one (%lu) got %lu", vm,
		      before->updates + 1, c.updates);
}

static bool expect_no_update(const char *vm, const struct crycb *before)
{
	struct crycb c;

	if (!ctl_crycb(vm, &c))
		return false;
	return expect(c.updates == before->updates && c.cfg_chg_signals == before->cfg_chg_signals,
		      "CRYCB updates / config-change signals of %s: expected none (%lu, %lu) got "
		      "%lu, %lu", vm, before->updates, before->cfg_chg_signals, c.updates,
		      c.cfg_chg_signals);
}

/* One guest update that changes nothing, and its eventfd signal (6.15+). */
static bool expect_noop_update(const char *vm, const struct crycb *before)
{
	unsigned long sig = before->cfg_chg_signals + (ct_kernel_has(615) ? 1 : 0);
	struct crycb c;

	if (!ctl_crycb(vm, &c))
		return false;
	return expect(c.updates == before->updates + 1 && c.cfg_chg_signals == sig,
		      "CRYCB updates / config-change signals of %s: expected %lu, %lu got %lu, %lu",
		      vm, before->updates + 1, sig, c.updates, c.cfg_chg_signals) &&
	       expect(idset_equal(&c.apm, &before->apm) && idset_equal(&c.aqm, &before->aqm) &&
		      idset_equal(&c.adm, &before->adm), "CRYCB of %s changed", vm);
}

/*
 * A new mdev with these sets, attached to @vm, with the config-change
 * eventfd registered where the kernel has it (6.15+).
 */
static bool guest_with_cfg_chg(const char *vm, char u[CT_UUID_LEN + 1], const struct idset *A,
			       const struct idset *D, const struct idset *C)
{
	if (!mdev_new(u) || !mdev_assign_sets(u, A, D, C) || !guest_attach(u, vm))
		return false;
	if (ct_kernel_has(615)) {
		if (!ctl_ok("irq %s 1 set", u))
			return false;
		ct_defer_ctl(CT_PH_GUEST, "irq %s 1 clear", u);
	}
	return true;
}

/*
 * Run one host configuration change: 6.0-7.0 give the guest one update
 * that changes nothing (§4.7 bugs), "fixed" none.
 */
static bool expect_cfg_change_noop_on_6x(const char *vm, const char *change)
{
	struct crycb c;

	if (!ctl_crycb(vm, &c) || !ctl_ok("%s", change))
		return false;
	return ct_kernel_cfg_bugs() ? expect_noop_update(vm, &c) : expect_no_update(vm, &c);
}

static bool config_add(const char *what, unsigned int id)
{
	if (!ctl_ok("config add-%s %u%s", what, id, strcmp(what, "adapter") ? "" : " type=CEX8"))
		return false;
	ct_defer_ctl(CT_PH_HW, "config remove-%s %u", what, id);
	return true;
}

/* A free control domain (not in the host's control domain mask). */
static bool pick_free_cdom(unsigned int *c)
{
	for (unsigned int i = ct.aqm_max + 1; i-- > 0;)
		if (!idset_has(&ct.cfg_adm, i)) {
			*c = i;
			return true;
		}
	return ct_skip("host has every control domain");
}

/* Item 37 then 38: an adapter leaves and comes back. */
static void test_hostcfg_adapter(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int f, aa[1], dd[1];
	struct idset F, D, none;
	const char *vm = vm_name("cfgadapter");
	struct crycb c;

	CT_TRY(need_ctl());
	CT_TRY(pick_host(1, 1, aa, dd));
	CT_TRY(pick_free_apid(0, &f));
	F = IDS((int)f);
	D = IDS((int)dd[0]);
	idset_clear(&none);
	CT_TRY(host_release_adapters(&F));
	CT_TRY(config_add("adapter", f));
	CT_TRY(expect_driver(f, dd[0], "vfio_ap"));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &F, &D, NULL));
	CT_TRY(guest_attach(u, vm));
	CT_TRY(expect_crycb(vm, &F, &D, &none));

	/*
	 * removal: out of the shadow and the guest in one update, no reset.
	 * 6.0-7.0 took "the shadow is still non-empty" for "it changed": the
	 * guest's only adapter leaves the shadow but stays in its CRYCB.
	 */
	CT_TRY(ctl_crycb(vm, &c));
	CT_TRY(log_clear());
	CT_TRY(ctl_ok("config remove-adapter %u", f) != NULL);
	CT_TRY(expect_absent(P("devices/ap/card%02x", f)));
	CT_TRY(expect_guest(u, &none, &D));
	CT_TRY(expect_matrix(u, &F, &D));
	if (ct_kernel_cfg_bugs()) {
		CT_TRY(expect_crycb(vm, &F, &D, &none));
		CT_TRY(expect_no_update(vm, &c));
	} else {
		CT_TRY(expect_crycb(vm, &none, &D, &none));
		CT_TRY(expect_one_update(vm, &c));
	}
	CT_TRY(expect_resets(""));

	/* addition: hot plugged after the scan, in one update */
	CT_TRY(ctl_crycb(vm, &c));
	CT_TRY(ctl_ok("config add-adapter %u type=CEX8", f) != NULL);
	CT_TRY(expect_driver(f, dd[0], "vfio_ap"));
	CT_TRY(expect_guest(u, &F, &D));
	CT_TRY(expect_crycb(vm, &F, &D, &none));
	CT_TRY(expect_one_update(vm, &c));
	CT_TRY(expect_status(f, dd[0], "in use"));
}

/* Items 37, 38: a usage domain leaves and comes back. */
static void test_hostcfg_domain(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int g, aa[1], dd[1];
	struct idset A, G, none;
	const char *vm = vm_name("cfgdomain");
	struct crycb c;

	CT_TRY(need_ctl());
	CT_TRY(pick_host(1, 1, aa, dd));
	CT_TRY(pick_free_apqi(0, &g));
	if (g > ct.bus_max_apqi)
		CT_TRY(ct_skip("no free domain within the bus maximum"));
	A = IDS((int)aa[0]);
	G = IDS((int)g);
	idset_clear(&none);
	CT_TRY(host_release_adapters(&A));
	CT_TRY(config_add("domain", g));
	CT_TRY(expect_driver(aa[0], g, "vfio_ap"));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A, &G, NULL));
	CT_TRY(guest_attach(u, vm));
	CT_TRY(expect_crycb(vm, &A, &G, &none));

	CT_TRY(ctl_crycb(vm, &c));
	CT_TRY(log_clear());
	CT_TRY(ctl_ok("config remove-domain %u", g) != NULL);
	CT_TRY(expect_absent(queue_dev(aa[0], g)));
	/* only adapters are left in the shadow: "XX." lines */
	CT_TRY(expect_guest(u, &A, &none));
	CT_TRY(expect_matrix(u, &A, &G));
	if (ct_kernel_cfg_bugs()) {	/* the "non-empty" rule, as for adapters */
		CT_TRY(expect_crycb(vm, &A, &G, &none));
		CT_TRY(expect_no_update(vm, &c));
	} else {
		CT_TRY(expect_crycb(vm, &A, &none, &none));
		CT_TRY(expect_one_update(vm, &c));
	}
	CT_TRY(expect_resets(""));

	CT_TRY(ctl_crycb(vm, &c));
	CT_TRY(ctl_ok("config add-domain %u", g) != NULL);
	CT_TRY(expect_guest(u, &A, &G));
	CT_TRY(expect_crycb(vm, &A, &G, &none));
	CT_TRY(expect_one_update(vm, &c));
}

/* Items 37, 38: a control domain leaves and comes back. */
static void test_hostcfg_control_domain(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int c_id = 0, aa[1], dd[1];
	struct idset A, D, C, none;
	const char *vm = vm_name("cfgcdom");
	struct crycb c;

	CT_TRY(need_ctl());
	CT_TRY(pick_host(1, 1, aa, dd));
	CT_TRY(pick_free_cdom(&c_id));
	A = IDS((int)aa[0]);
	D = IDS((int)dd[0]);
	C = IDS((int)c_id);
	idset_clear(&none);
	CT_TRY(host_release_adapters(&A));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A, &D, &C));
	CT_TRY(guest_attach(u, vm));
	/* over-provisioned control domain: not in the guest yet */
	CT_TRY(expect_crycb(vm, &A, &D, &none));
	CT_TRY(ctl_crycb(vm, &c));
	CT_TRY(config_add("control-domain", c_id));
	CT_TRY(expect_crycb(vm, &A, &D, &C));
	CT_TRY(expect_one_update(vm, &c));

	CT_TRY(ctl_crycb(vm, &c));
	CT_TRY(log_clear());
	CT_TRY(ctl_ok("config remove-control-domain %u", c_id) != NULL);
	if (ct_kernel_cfg_bugs()) {
		/* AND-NOT for AND: an assigned control domain is never removed */
		CT_TRY(expect_crycb(vm, &A, &D, &C));
		CT_TRY(expect_no_update(vm, &c));
	} else {
		CT_TRY(expect_crycb(vm, &A, &D, &none));
		CT_TRY(expect_one_update(vm, &c));
	}
	CT_TRY(expect_read(MDEV(u, "control_domains"), P("%04x\n", c_id)));
	CT_TRY(expect_guest(u, &A, &D));
	CT_TRY(expect_resets(""));
}

/*
 * §4.7, 6.0-7.0: a control domain the mdev does not hold leaves the host
 * configuration.  The AND-NOT takes it for one of the mdev's: one guest
 * update that changes nothing (and its eventfd signal from 6.15 on), while
 * the guest has a control domain at all.  "fixed": nothing.
 */
static void test_hostcfg_control_domain_unassigned(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int c_id = 0, aa[1], dd[1];
	struct idset A, D, none;
	const char *vm = vm_name("cfgcdomx");

	CT_TRY(need_ctl());
	CT_TRY(pick_host(1, 1, aa, dd));
	CT_TRY(pick_free_cdom(&c_id));
	A = IDS((int)aa[0]);
	D = IDS((int)dd[0]);
	idset_clear(&none);
	CT_TRY(host_release_adapters(&A));
	/* the guest's control domain: the usage domain (in the host's adm) */
	CT_TRY(guest_with_cfg_chg(vm, u, &A, &D, &D));
	CT_TRY(expect_crycb(vm, &A, &D, &D));
	CT_TRY(config_add("control-domain", c_id));
	CT_TRY(expect_cfg_change_noop_on_6x(vm, P("config remove-control-domain %u", c_id)));
	CT_TRY(expect_crycb(vm, &A, &D, &D));
}

/*
 * §4.7, 6.0-7.0: an assigned adapter that the filter keeps out of the
 * guest leaves the host configuration: one guest update that changes
 * nothing (the "non-empty" rule), with its eventfd signal from 6.15 on.
 */
static void test_hostcfg_filtered_adapter(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int f, aa[1], dd[1];
	struct idset A, AF, D, none;
	const char *vm = vm_name("cfgfiltered");

	CT_TRY(need_ctl());
	CT_TRY(pick_host(1, 1, aa, dd));
	CT_TRY(pick_free_apid(0, &f));
	A = IDS((int)aa[0]);
	AF = IDS((int)aa[0], (int)f);
	D = IDS((int)dd[0]);
	idset_clear(&none);
	CT_TRY(host_release_adapters(&AF));
	CT_TRY(config_add("adapter", f));
	CT_TRY(guest_with_cfg_chg(vm, u, &AF, &D, NULL));
	/* f's queue leaves vfio_ap: the filter takes f out of the guest */
	CT_TRY(expect_write_s(AP_BUS "/drivers/vfio_ap/unbind", apqn(f, dd[0]), 0));
	CT_TRY(expect_crycb(vm, &A, &D, &none));
	CT_TRY(expect_cfg_change_noop_on_6x(vm, P("config remove-adapter %u", f)));
	CT_TRY(expect_crycb(vm, &A, &D, &none));
}

/* Item 38: only additions assigned to an mdev reach its guest. */
static void test_hostcfg_add_unassigned(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int f[2], aa[1], dd[2];
	struct idset F, F0, D, none;
	const char *vm = vm_name("cfgunassigned");
	struct crycb c, c1;

	CT_TRY(need_ctl());
	CT_TRY(pick_host(1, 2, aa, dd));
	CT_TRY(pick_free_apid(0, &f[0]) && pick_free_apid(1, &f[1]));
	F = IDS((int)f[0], (int)f[1]);
	F0 = IDS((int)f[0]);
	D = IDS((int)dd[0], (int)dd[1]);
	idset_clear(&none);
	CT_TRY(host_release_adapters(&F));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &F0, &D, NULL));
	CT_TRY(guest_attach(u, vm));
	CT_TRY(expect_crycb(vm, &none, &D, &none));
	CT_TRY(ctl_crycb(vm, &c));
	/* f[1] is not assigned: the guest is not touched */
	CT_TRY(config_add("adapter", f[1]));
	CT_TRY(expect_driver(f[1], dd[0], "vfio_ap"));
	CT_TRY(ctl_crycb(vm, &c1));
	CT_TRY(expect(c1.updates == c.updates, "CRYCB updates: expected %lu got %lu", c.updates,
		      c1.updates));
	CT_TRY(expect_guest(u, &none, &D));
	/* f[0] is: one update with the whole adapter */
	CT_TRY(config_add("adapter", f[0]));
	CT_TRY(expect_guest(u, &F0, &D));
	CT_TRY(expect_crycb(vm, &F0, &D, &none));
	CT_TRY(expect_one_update(vm, &c1));
}

/* Item 38: adapters of type < CEX4 are not plugged. */
static void test_hostcfg_add_old_type(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int f;
	struct idset F, D, none;
	const char *vm = vm_name("cfgtype");
	struct crycb c;

	idset_clear(&none);
	CT_TRY(guest_on_unconfigured_adapter(vm, u, &f, &F, &D));
	CT_TRY(ctl_crycb(vm, &c));
	CT_TRY(ctl_ok("config add-adapter %u type=9", f) != NULL);
	ct_defer_ctl(CT_PH_HW, "config remove-adapter %u", f);
	CT_TRY(expect_guest(u, &none, &D));
	CT_TRY(expect_crycb(vm, &none, &D, &none));
	CT_TRY(expect_matrix(u, &F, &D));
}

/* Item 38 / 34: with --no-scan nothing happens until the scan. */
static void test_hostcfg_deferred_scan(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int f;
	struct idset F, D, none;
	const char *vm = vm_name("cfgnoscan");
	struct crycb c;

	idset_clear(&none);
	CT_TRY(guest_on_unconfigured_adapter(vm, u, &f, &F, &D));
	CT_TRY(ctl_crycb(vm, &c));
	CT_TRY(ctl_ok("config add-adapter %u type=CEX8 --no-scan", f) != NULL);
	ct_defer_ctl(CT_PH_HW, "config remove-adapter %u", f);
	CT_TRY(expect_guest(u, &none, &D));
	CT_TRY(expect_crycb(vm, &none, &D, &none));
	CT_TRY(ctl_ok("scan") != NULL);
	CT_TRY(expect_guest(u, &F, &D));
	CT_TRY(expect_crycb(vm, &F, &D, &none));
	CT_TRY(expect_one_update(vm, &c));
}

const struct ct_test hostcfg_tests[] = {
	{ "hostcfg_adapter", test_hostcfg_adapter, "37, 38" },
	{ "hostcfg_domain", test_hostcfg_domain, "37, 38" },
	{ "hostcfg_control_domain", test_hostcfg_control_domain, "37, 38" },
	{ "hostcfg_control_domain_unassigned", test_hostcfg_control_domain_unassigned, "37" },
	{ "hostcfg_filtered_adapter", test_hostcfg_filtered_adapter, "37" },
	{ "hostcfg_add_unassigned", test_hostcfg_add_unassigned, "38" },
	{ "hostcfg_add_old_type", test_hostcfg_add_old_type, "36, 38" },
	{ "hostcfg_deferred_scan", test_hostcfg_deferred_scan, "34, 38, 39" },
	{ NULL, NULL, NULL },
};
