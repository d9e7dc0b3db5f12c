// SPDX-License-Identifier: GPL-2.0
/*
 * t_guest.c - a guest attached through the control command: hot plug and
 * unplug, the CRYCB, the config-change eventfd, resets, attach/detach and
 * blocking mdev removal (docs/kernel-abi.md §9 items 20-23, 42-44;
 * §4.4, §4.5, §4.8).  Every test here needs control.
 */
#include "harness.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static bool setup_host(unsigned int na, unsigned int nd, unsigned int *a, unsigned int *d,
		       struct idset *A, struct idset *D)
{
	if (!need_ctl() || !pick_host(na, nd, a, d))
		return false;
	idset_clear(A);
	idset_clear(D);
	for (unsigned int i = 0; i < na; i++)
		idset_add(A, a[i]);
	for (unsigned int i = 0; i < nd; i++)
		idset_add(D, d[i]);
	return host_release_adapters(A);
}

static bool expect_updates(const char *vm, unsigned long want)
{
	struct crycb c;

	if (!ctl_crycb(vm, &c))
		return false;
	return expect(c.updates == want, "CRYCB updates of %s: expected %lu got %lu", vm, want,
		      c.updates);
}

/* Item 20: hot plug/unplug with a guest; the CRYCB follows the shadow. */
static void test_guest_hotplug_crycb(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[2], d[2], g, c_in, c_out;
	struct idset A, D, A0, A1, D0, C, none;
	const char *vm = vm_name("hotplug");
	struct crycb c;
	unsigned long upd;

	CT_TRY(setup_host(2, 2, a, d, &A, &D));
	CT_TRY(pick_free_apqi(0, &g) && pick_cdoms(&c_in, &c_out));
	A0 = IDS((int)a[0]);
	A1 = IDS((int)a[1]);
	D0 = IDS((int)d[0]);
	C = IDS((int)c_in);
	idset_clear(&none);
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A0, &D0, &C));
	CT_TRY(guest_attach(u, vm));
	CT_TRY(expect_crycb(vm, &A0, &D0, &C));
	CT_TRY(ctl_crycb(vm, &c));
	upd = c.updates;

	CT_TRY(ASSIGN_A(u, a[1]));
	CT_TRY(expect_crycb(vm, &A, &D0, &C));
	CT_TRY(expect_updates(vm, ++upd));
	CT_TRY(ASSIGN_D(u, d[1]));
	CT_TRY(expect_crycb(vm, &A, &D, &C));
	CT_TRY(expect_updates(vm, ++upd));
	CT_TRY(UNASSIGN_A(u, a[0]));
	CT_TRY(expect_crycb(vm, &A1, &D, &C));
	CT_TRY(expect_updates(vm, ++upd));
	CT_TRY(expect_guest(u, &A1, &D));

	/* assignments that do not change the shadow do not touch the CRYCB */
	CT_TRY(ASSIGN_A(u, a[1]));
	CT_TRY(ASSIGN_C(u, c_in));
	CT_TRY(ASSIGN_C(u, c_out));
	CT_TRY(UNASSIGN_D(u, g));
	CT_TRY(expect_updates(vm, upd));
	CT_TRY(expect_crycb(vm, &A1, &D, &C));

	/* control domains are hot plugged and unplugged too */
	CT_TRY(UNASSIGN_C(u, c_in));
	CT_TRY(expect_crycb(vm, &A1, &D, &none));
	CT_TRY(expect_updates(vm, ++upd));
	CT_TRY(ASSIGN_C(u, c_in));
	CT_TRY(expect_crycb(vm, &A1, &D, &C));
	CT_TRY(expect_updates(vm, ++upd));
	CT_TRY(UNASSIGN_C(u, c_out));
	CT_TRY(expect_updates(vm, upd));
}

/* Item 20: an over-provisioned ID does not change the shadow. */
static void test_guest_overprovision_no_update(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[1], d[1], f, g;
	struct idset A, D, F, AF, DG, none;
	const char *vm = vm_name("overprov");
	struct crycb c;

	CT_TRY(setup_host(1, 1, a, d, &A, &D));
	CT_TRY(pick_free_apid(0, &f) && pick_free_apqi(0, &g));
	F = IDS((int)f);
	AF = IDS((int)a[0], (int)f);
	DG = IDS((int)d[0], (int)g);
	idset_clear(&none);
	CT_TRY(host_release_adapters(&F));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A, &D, NULL));
	CT_TRY(guest_attach(u, vm));
	CT_TRY(ctl_crycb(vm, &c));
	CT_TRY(ASSIGN_A(u, f));
	CT_TRY(ASSIGN_D(u, g));
	CT_TRY(expect_updates(vm, c.updates));
	CT_TRY(expect_crycb(vm, &A, &D, &none));
	CT_TRY(expect_matrix(u, &AF, &DG));
	CT_TRY(expect_guest(u, &A, &D));
	CT_TRY(UNASSIGN_A(u, f));
	CT_TRY(UNASSIGN_D(u, g));
	CT_TRY(expect_updates(vm, c.updates));
}

static bool expect_cfg_chg(const char *vm, unsigned long want)
{
	struct crycb c;

	if (!ctl_crycb(vm, &c))
		return false;
	return expect(c.cfg_chg_signals == want,
		      "config-change signals of %s: expected %lu got %lu", vm, want,
		      c.cfg_chg_signals);
}

/* Item 21: the config-change eventfd (IRQ index 1). */
static void test_guest_cfg_chg_eventfd(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[2], d[3];
	struct idset A, D, A0, D0, none;
	const char *vm = vm_name("cfgchg");
	struct crycb c;
	unsigned long n;

	CT_TRY(setup_host(2, 3, a, d, &A, &D));
	idset_clear(&none);
	A0 = IDS((int)a[0]);
	D0 = IDS((int)d[0]);
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A0, &D0, NULL));
	CT_TRY(guest_attach(u, vm));
	CT_TRY(ctl_crycb(vm, &c));
	n = c.cfg_chg_signals;
	/* no trigger registered: nothing is signalled */
	CT_TRY(ASSIGN_D(u, d[1]));
	CT_TRY(expect_cfg_chg(vm, n));
	CT_TRY(ctl_ok("irq %s 1 set", u) != NULL);
	ct_defer_ctl(CT_PH_GUEST, "irq %s 1 clear", u);
	CT_TRY(ASSIGN_D(u, d[2]));
	CT_TRY(expect_cfg_chg(vm, ++n));
	/* no shadow change, no signal */
	CT_TRY(ASSIGN_D(u, d[2]));
	CT_TRY(expect_cfg_chg(vm, n));
	CT_TRY(expect_guest(u, &A0, &D));
	/* detach: no signal */
	CT_TRY(ctl_ok("detach %s", u) != NULL);
	CT_TRY(expect_cfg_chg(vm, n));
	/* detached: shadow changes do not signal */
	CT_TRY(ASSIGN_A(u, a[1]));
	CT_TRY(expect_guest(u, &A, &D));
	CT_TRY(expect_cfg_chg(vm, n));
	/* re-attach: the registration survived the close and fires */
	CT_TRY(ctl_ok("attach %s --vm %s", u, vm) != NULL);
	CT_TRY(expect_cfg_chg(vm, ++n));
	CT_TRY(expect_crycb(vm, &A, &D, &none));
	/* cleared: no more signals */
	CT_TRY(ctl_ok("irq %s 1 clear", u) != NULL);
	CT_TRY(UNASSIGN_A(u, a[1]));
	CT_TRY(expect_cfg_chg(vm, n));
}

/* Item 22: hot unplug resets exactly the passed-through, linked queues. */
static void test_guest_unplug_resets(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[2], d[2];
	struct idset A, D, A0, D1, none;
	const char *vm = vm_name("unplug");

	CT_TRY(setup_host(2, 2, a, d, &A, &D));
	A0 = IDS((int)a[0]);
	D1 = IDS((int)d[1]);
	idset_clear(&none);
	/* a[1] is assigned and linked (a[1].d[0]) but filtered */
	CT_TRY(queue_unbind(a[1], d[1]));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A, &D, NULL));
	CT_TRY(expect_guest(u, &A0, &D));
	CT_TRY(guest_attach(u, vm));
	CT_TRY(log_clear());
	CT_TRY(UNASSIGN_D(u, d[0]));
	CT_TRY(expect_resets(apqn(a[0], d[0])));
	CT_TRY(expect_crycb(vm, &A0, &D1, &none));
	CT_TRY(log_clear());
	CT_TRY(UNASSIGN_A(u, a[0]));
	CT_TRY(expect_resets(apqn(a[0], d[1])));
	CT_TRY(expect_crycb(vm, &none, &D1, &none));
	/* unplugging a filtered adapter resets nothing */
	CT_TRY(log_clear());
	CT_TRY(UNASSIGN_A(u, a[1]));
	CT_TRY(expect_resets(""));
}

/* Item 23: queues newly filtered out by an assign are reset. */
static void test_guest_filter_resets(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[2], d[2];
	struct idset A, D, A1, D0, none;

	CT_TRY(setup_host(2, 2, a, d, &A, &D));
	A1 = IDS((int)a[1]);
	D0 = IDS((int)d[0]);
	idset_clear(&none);
	CT_TRY(queue_unbind(a[0], d[1]));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A, &D0, NULL));
	CT_TRY(expect_guest(u, &A, &D0));
	CT_TRY(log_clear());
	/* a[0].d[1] is unbound: a[0] leaves the shadow, a[0].d[0] is reset */
	CT_TRY(ASSIGN_D(u, d[1]));
	CT_TRY(expect_guest(u, &A1, &D));
	CT_TRY(expect_resets(apqn(a[0], d[0])));
}

/* Item 42: attach rules. */
static void test_attach_rules(void)
{
	char u1[CT_UUID_LEN + 1], u2[CT_UUID_LEN + 1], u3[CT_UUID_LEN + 1];
	unsigned int a[2], d[1];
	struct idset A, D, A0, A1, none;
	const char *vm1 = vm_name("attach1"), *vm2 = vm_name("attach2");

	CT_TRY(setup_host(2, 1, a, d, &A, &D));
	A0 = IDS((int)a[0]);
	A1 = IDS((int)a[1]);
	idset_clear(&none);
	CT_TRY(mdev_new(u1) && mdev_new(u2) && mdev_new(u3));
	CT_TRY(mdev_assign_sets(u1, &A0, &D, NULL));
	CT_TRY(mdev_assign_sets(u2, &A1, &D, NULL));
	CT_TRY(guest_attach(u1, vm1));
	CT_TRY(expect_crycb(vm1, &A0, &D, &none));
	CT_TRY(expect_status(a[0], d[0], "in use"));
	/* a second mdev for the same VM */
	ct_defer_ctl(CT_PH_GUEST, "detach %s", u2);
	CT_TRY(ctl_err(EPERM, "attach %s --vm %s", u2, vm1));
	CT_TRY(expect_crycb(vm1, &A0, &D, &none));
	CT_TRY(expect_status(a[1], d[0], "assigned"));
	/* a VM without a crypto block: success, but nothing is attached */
	CT_TRY(ctl_ok("attach %s --vm %s --no-crycb", u2, vm2) != NULL);
	CT_TRY(expect_status(a[1], d[0], "assigned"));
	/* no KVM at all */
	CT_TRY(ctl_err(EINVAL, "attach %s --no-kvm", u3));
	CT_TRY(expect_status(a[0], d[0], "in use"));
}

/* Item 43: detach zeroes the CRYCB and resets every linked queue. */
static void test_detach_resets(void)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[3], d[2], c_in, c_out;
	struct idset A, D, A01, C, none;
	const char *vm = vm_name("detach");
	struct crycb c;

	CT_TRY(setup_host(3, 2, a, d, &A, &D));
	CT_TRY(pick_cdoms(&c_in, &c_out));
	A01 = IDS((int)a[0], (int)a[1]);
	C = IDS((int)c_in);
	idset_clear(&none);
	/* a[2] is linked through a[2].d[0] but filtered */
	CT_TRY(queue_unbind(a[2], d[1]));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A, &D, &C));
	CT_TRY(expect_guest(u, &A01, &D));
	CT_TRY(guest_attach(u, vm));
	CT_TRY(expect_crycb(vm, &A01, &D, &C));
	CT_TRY(ctl_crycb(vm, &c));
	CT_TRY(log_clear());
	CT_TRY(ctl_ok("detach %s", u) != NULL);
	CT_TRY(expect_crycb(vm, &none, &none, &none));
	CT_TRY(expect_updates(vm, c.updates + 1));
	CT_TRY(expect_resets(P("%s %s %s %s %s", apqn(a[0], d[0]), apqn(a[0], d[1]),
			       apqn(a[1], d[0]), apqn(a[1], d[1]), apqn(a[2], d[0]))));
	CT_TRY(expect_matrix(u, &A, &D));
	CT_TRY(expect_guest(u, &A01, &D));
	CT_TRY(expect_status(a[0], d[0], "assigned"));
}

/* Item 44: removing an open mdev blocks until the device is closed. */
static pid_t start_remove(const char *u)
{
	pid_t pid = fork();

	if (pid == 0) {
		int r = sysfs_write_str(MDEV(u, "remove"), "1");

		_exit(r == 0 ? 0 : (-r & 0x7f) + 1);
	}
	return pid;
}

/* Wait for @pid up to @ms: 0 success, errno + 1, 128 + signal; -1: running. */
static int wait_child(pid_t pid, unsigned int ms)
{
	int st;

	for (unsigned int t = 0; t <= ms; t += 10) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		usleep(10000);
	}
	return -1;
}

/* After a failure: close the device so the removal ends, reap the child. */
static void finish_child(pid_t pid, const char *u)
{
	ctl_run("detach %s", u);
	if (wait_child(pid, 5000) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/*
 * What must hold while the removal waits for the close.  Before 6.5
 * vfio_ap has no request callback: the vfio core only waits, so the
 * guest keeps its CRYCB (@A, @D), nothing is signalled and nothing logged.
 */
static bool check_blocked(const char *u, const char *vm, const struct crycb *c0,
			  bool req_trigger, const struct idset *A, const struct idset *D)
{
	char notice[160];
	const char *log;
	struct crycb c1;
	struct idset none;

	snprintf(notice, sizeof(notice),
		 "vfio_ap_mdev %s: No device request registered, blocked until released by user", u);
	if (!expect_node(P(MATRIX_DIR "/%s", u), S_IFDIR, -1) || !ctl_crycb(vm, &c1))
		return false;
	if (!ct_kernel_has(605)) {
		idset_clear(&none);
		if (!expect_crycb(vm, A, D, &none))
			return false;
		if (!expect(c1.req_signals == c0->req_signals &&
			    c1.cfg_chg_signals == c0->cfg_chg_signals,
			    "signals: expected none before 6.5"))
			return false;
		if (!(log = log_text()))
			return false;
		return expect(count_lines(log, notice) == 0,
			      "log: expected no \"%s\" before 6.5, log is \"%s\"", notice,
			      esc(log, strlen(log)));
	}
	if (!expect(idset_empty(&c1.apm) && idset_empty(&c1.aqm) && idset_empty(&c1.adm),
		    "CRYCB of %s: expected all zero while the removal waits", vm))
		return false;
	if (ct_kernel_has(615) && !expect(c1.cfg_chg_signals > c0->cfg_chg_signals,
		    "config-change signals: expected > %lu got %lu", c0->cfg_chg_signals,
		    c1.cfg_chg_signals))
		return false;
	if (req_trigger && !expect(c1.req_signals > c0->req_signals,
				   "request signals: expected > %lu got %lu", c0->req_signals,
				   c1.req_signals))
		return false;
	if (!req_trigger && !expect(c1.req_signals == c0->req_signals,
				    "request signals: expected %lu got %lu", c0->req_signals,
				    c1.req_signals))
		return false;
	if (!(log = log_text()))
		return false;
	return expect(count_lines(log, notice) == (req_trigger ? 0u : 1u),
		      "log: expected \"%s\" %s, log is \"%s\"", notice,
		      req_trigger ? "never" : "once", esc(log, strlen(log)));
}

static void remove_blocks(bool req_trigger)
{
	char u[CT_UUID_LEN + 1];
	unsigned int a[1], d[1];
	struct idset A, D;
	const char *vm = vm_name(req_trigger ? "rmreq" : "rm");
	const char *log;
	struct crycb c0;
	pid_t pid;
	int st;

	CT_TRY(setup_host(1, 1, a, d, &A, &D));
	CT_TRY(mdev_new(u));
	CT_TRY(mdev_assign_sets(u, &A, &D, NULL));
	CT_TRY(guest_attach(u, vm));
	if (ct_kernel_has(615))		/* the config-change eventfd */
		CT_TRY(ctl_ok("irq %s 1 set", u) != NULL);
	if (req_trigger && !ct_kernel_has(605)) {
		/* no SET_IRQS before 6.5: the removal waits as without one */
		CT_TRY(ctl_err(EOPNOTSUPP, "irq %s 0 set", u));
		req_trigger = false;
	} else if (req_trigger) {
		CT_TRY(ctl_ok("irq %s 0 set", u) != NULL);
	}
	CT_TRY(ctl_crycb(vm, &c0));
	CT_TRY(log_clear());

	pid = start_remove(u);
	CT_TRY(expect(pid > 0, "fork: %s", errname(errno)));
	st = wait_child(pid, 500);
	if (st >= 0)
		CT_TRY(ct_fail("remove of an open mdev: expected to block, it returned %s",
			       st ? errname(st - 1) : "success"));
	if (!check_blocked(u, vm, &c0, req_trigger, &A, &D)) {
		finish_child(pid, u);
		return;
	}
	/* the user closes the device: the removal completes */
	if (!ctl_ok("detach %s", u)) {
		finish_child(pid, u);
		return;
	}
	st = wait_child(pid, 10000);
	if (st < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		CT_TRY(ct_fail("remove did not complete within 10 s after the detach"));
	}
	CT_TRY(expect(st == 0, "remove: expected success got %s",
		      st > 128 ? "a signal" : errname(st - 1)));
	CT_TRY(expect_absent(P(MATRIX_DIR "/%s", u)));
	CT_TRY(expect_status(a[0], d[0], "unassigned"));
	CT_TRY(expect_driver(a[0], d[0], "vfio_ap"));
	CT_TRY(log = log_text());
	CT_TRY(expect(strstr(log, P("apsim: reset queue %s", apqn(a[0], d[0]))) != NULL,
		      "log: expected a reset of %s, log is \"%s\"", apqn(a[0], d[0]),
		      esc(log, strlen(log))));
}

static void test_remove_blocks(void)
{
	remove_blocks(false);
}

static void test_remove_blocks_request(void)
{
	remove_blocks(true);
}

const struct ct_test guest_tests[] = {
	{ "guest_hotplug_crycb", test_guest_hotplug_crycb, "20" },
	{ "guest_overprovision_no_update", test_guest_overprovision_no_update, "14, 20" },
	{ "guest_cfg_chg_eventfd", test_guest_cfg_chg_eventfd, "21" },
	{ "guest_unplug_resets", test_guest_unplug_resets, "22" },
	{ "guest_filter_resets", test_guest_filter_resets, "23" },
	{ "attach_rules", test_attach_rules, "42" },
	{ "detach_resets", test_detach_resets, "43" },
	{ "remove_blocks", test_remove_blocks, "44" },
	{ "remove_blocks_request", test_remove_blocks_request, "44" },
	{ NULL, NULL, NULL },
};
