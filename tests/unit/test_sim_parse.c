// SPDX-License-Identifier: GPL-2.0
/*
 * test_sim_parse.c - apsim's parsers, without FUSE: the host file
 * (sim_hostfile_parse), the control commands (sim_ctl_run) and the
 * canonical form of fault paths (sim_canonical_path).  Exact return codes
 * and exact message texts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_buf.h"
#include "sim_ctl.h"
#include "sim_fault.h"
#include "sim_hostfile.h"
#include "sim_state.h"

/* ---- host file ----------------------------------------------------------- */

static int host(const char *text, size_t len, char *err, size_t errlen)
{
	struct apb_host_spec spec;
	FILE *f = fmemopen((void *)text, len, "r");
	int rc;

	assert_non_null(f);
	err[0] = '\0';
	rc = sim_hostfile_parse(f, "t", &spec, err, errlen);
	fclose(f);
	return rc;
}

/* A NUL byte anywhere is an error on its line, comments included. */
static void test_host_nul_byte(void **state)
{
	static const struct {
		const char *text;
		size_t len;
		const char *err;
	} cases[] = {
#define NUL_CASE(lit, err) { lit, sizeof(lit) - 1, err }
		NUL_CASE("\0adapter 5\n", "t:1: NUL byte"),
		NUL_CASE("adapter 5\nadapter 6\0 CEX7\ndomains 1\n", "t:2: NUL byte"),
		NUL_CASE("# a\0b\nadapter 5\n", "t:1: NUL byte"),
		NUL_CASE("adapter 5\n\0", "t:2: NUL byte"),
#undef NUL_CASE
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(host(cases[i].text, cases[i].len, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, cases[i].err);
	}
}

/* A line of @n characters (a comment) on line 2, with or without '\n'. */
static int host_long_line(size_t n, bool newline, char *err, size_t errlen)
{
	size_t len = 10 + n + 1;
	char *text = malloc(len);
	int rc;

	assert_non_null(text);
	memcpy(text, "adapter 5\n", 10);
	memset(text + 10, 'x', n);
	text[10] = '#';
	text[10 + n] = '\n';
	rc = host(text, newline ? len : len - 1, err, errlen);
	free(text);
	return rc;
}

static void test_host_line_at_cap(void **state)
{
	char err[256];

	assert_int_equal(host_long_line(4096, true, err, sizeof(err)), 0);
	assert_int_equal(host_long_line(4096, false, err, sizeof(err)), 0);
}

static void test_host_line_over_cap(void **state)
{
	char err[256];

	assert_int_equal(host_long_line(4097, true, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t:2: line longer than 4096 bytes");
	assert_int_equal(host_long_line(100000, false, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t:2: line longer than 4096 bytes");
}

/* A read that fails is an error with its errno, not the end of the file. */
static void test_host_read_error(void **state)
{
	struct apb_host_spec spec;
	char err[256];
	FILE *f = fopen("/", "r");	/* a directory: read(2) fails with EISDIR */
	int rc;

	assert_non_null(f);
	rc = sim_hostfile_parse(f, "t", &spec, err, sizeof(err));
	fclose(f);
	assert_int_equal(rc, -EISDIR);
	assert_string_equal(err, "t:1: read error: Is a directory");
}

/* ---- control commands ---------------------------------------------------- */

struct ctl_fix {
	struct sim *s;
	struct sim_buf out;
};

static int ctl_setup(void **state)
{
	struct apb_host_spec spec;
	struct ctl_fix *x = calloc(1, sizeof(*x));

	if (!x)
		return -1;
	apb_default_spec(&spec);
	x->s = sim_create(&spec, 1);
	if (!x->s) {
		free(x);
		return -1;
	}
	sim_buf_init(&x->out);
	*state = x;
	return 0;
}

static int ctl_teardown(void **state)
{
	struct ctl_fix *x = *state;

	sim_buf_free(&x->out);
	sim_destroy(x->s);
	free(x);
	return 0;
}

/* Run @len bytes of @cmd; the output stays in x->out. */
static int ctl_n(struct ctl_fix *x, const char *cmd, size_t len)
{
	sim_buf_reset(&x->out);
	return sim_ctl_run(x->s, cmd, len, &x->out);
}

static int ctl(struct ctl_fix *x, const char *cmd)
{
	return ctl_n(x, cmd, strlen(cmd));
}

static const char *out(struct ctl_fix *x)
{
	return x->out.p ? x->out.p : "";
}

#define U "4b0c6f3e-8d1a-4c8e-9d2f-6a7b5c4d3e21"

static void test_ctl_nul_after_command(void **state)
{
	struct ctl_fix *x = *state;
	static const char cmd[] = "status\0junk\n";

	assert_int_equal(ctl_n(x, cmd, sizeof(cmd) - 1), -EINVAL);
	assert_string_equal(out(x), "error: NUL byte in the command: Invalid argument\n");
	assert_int_equal(ctl_n(x, "status\n", 8), -EINVAL);	/* a trailing NUL too */
	assert_string_equal(out(x), "error: NUL byte in the command: Invalid argument\n");
	assert_int_equal(ctl_n(x, "status\n", 7), 0);
}

/* "ctl status" of a daemon with no mdev, VM or fault: the kernel line only. */
#define STATUS_EMPTY "kernel 7.0 (Linux 7.0: newest upstream)\n"

/* A NUL must not hide the rest: "fail PATH\0 EIO" changes nothing. */
static void test_ctl_nul_changes_nothing(void **state)
{
	struct ctl_fix *x = *state;
	static const char cmd[] = "fail bus/ap/apmask EIO\0 --count 0";

	assert_int_equal(ctl_n(x, cmd, sizeof(cmd) - 1), -EINVAL);
	assert_int_equal(ctl(x, "status"), 0);
	assert_string_equal(out(x), STATUS_EMPTY);
}

static void test_ctl_repeated_options(void **state)
{
	static const struct {
		const char *cmd, *opt;
	} cases[] = {
		{ "attach " U " --vm a --vm b", "--vm" },
		{ "attach " U " --vm a --no-crycb --no-crycb", "--no-crycb" },
		{ "attach " U " --no-kvm --no-kvm", "--no-kvm" },
		{ "crycb --vm a --vm b", "--vm" },
		{ "crycb --vm a --json --json", "--json" },
		{ "status --json --json", "--json" },
		{ "log --clear --clear", "--clear" },
		{ "uevents --clear --clear", "--clear" },
		{ "fail bus/ap/apmask EIO --count 1 --count 2", "--count" },
		{ "config add-domain 5 --no-scan --no-scan", "--no-scan" },
		{ "config remove-adapter 5 --no-scan --no-scan", "--no-scan" },
		{ "config add-adapter 9 --no-scan CEX7 --no-scan", "--no-scan" },
		{ "config add-adapter 9 CEX7 CEX8", "type" },
		{ "config add-adapter 9 type=CEX7 12", "type" },
		{ "config add-adapter 9 cca mode=ep11", "mode" },
	};
	struct ctl_fix *x = *state;
	char want[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(want, sizeof(want), "error: option %s given twice: Invalid argument\n",
			 cases[i].opt);
		assert_int_equal(ctl(x, cases[i].cmd), -EINVAL);
		assert_string_equal(out(x), want);
	}
	/* and nothing happened: no fault, no adapter 9, no VM */
	assert_int_equal(ctl(x, "status"), 0);
	assert_string_equal(out(x), STATUS_EMPTY);
	assert_int_equal(ctl(x, "chkstop 9 on"), -ENODEV);
}

static void test_ctl_chkstop_missing_adapter(void **state)
{
	struct ctl_fix *x = *state;

	assert_int_equal(ctl(x, "chkstop 0x10 on"), -ENODEV);
	assert_string_equal(out(x), "error: chkstop: no adapter 0x10 in the machine: No such device\n");
	assert_int_equal(ctl(x, "chkstop 0xff off"), -ENODEV);
	assert_string_equal(out(x), "error: chkstop: no adapter 0xff in the machine: No such device\n");
	assert_int_equal(ctl(x, "chkstop 256 on"), -EINVAL);
	assert_string_equal(out(x), "error: bad adapter ID '256': Invalid argument\n");
	/* the default host's adapters 3..6, also while not configured */
	assert_int_equal(ctl(x, "chkstop 5 on"), 0);
	assert_int_equal(ctl(x, "chkstop 5 off"), 0);
	assert_int_equal(ctl(x, "config remove-adapter 6"), 0);
	assert_int_equal(ctl(x, "chkstop 6 on"), 0);
	/* an adapter added later exists from then on */
	assert_int_equal(ctl(x, "config add-adapter 0x10 --no-scan"), 0);
	assert_int_equal(ctl(x, "chkstop 0x10 on"), 0);
}

/* ---- fault paths --------------------------------------------------------- */

static void test_canonical_paths(void **state)
{
	static const char *const cases[][2] = {
		{ "bus/ap/drivers/vfio_ap/bind", "bus/ap/drivers/vfio_ap/bind" },
		{ "bus/ap/drivers/vfio_ap/unbind", "bus/ap/drivers/vfio_ap/unbind" },
		{ "bus/ap/drivers/cex4card/bind", "bus/ap/drivers/cex4card/bind" },
		{ "bus/ap/drivers/cex4queue/unbind", "bus/ap/drivers/cex4queue/unbind" },
		{ "bus/ap/drivers/vfio_ap/05.0004/status", "devices/ap/card05/05.0004/status" },
		{ "bus/ap/drivers/cex4card/card05/online", "devices/ap/card05/online" },
		{ "bus/ap/devices/card05/online", "devices/ap/card05/online" },
		{ "bus/ap/devices/0a.00ff/online", "devices/ap/card0a/0a.00ff/online" },
		{ "bus/mdev/devices/" U "/remove", "devices/vfio_ap/matrix/" U "/remove" },
		{ "/bus//ap/apmask/", "bus/ap/apmask" },
	};
	char out[4096];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sim_canonical_path(cases[i][0], out, sizeof(out));
		assert_string_equal(out, cases[i][1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_nul_byte),
		cmocka_unit_test(test_host_line_at_cap),
		cmocka_unit_test(test_host_line_over_cap),
		cmocka_unit_test(test_host_read_error),
		cmocka_unit_test_setup_teardown(test_ctl_nul_after_command, ctl_setup, ctl_teardown),
		cmocka_unit_test_setup_teardown(test_ctl_nul_changes_nothing, ctl_setup, ctl_teardown),
		cmocka_unit_test_setup_teardown(test_ctl_repeated_options, ctl_setup, ctl_teardown),
		cmocka_unit_test_setup_teardown(test_ctl_chkstop_missing_adapter, ctl_setup,
						ctl_teardown),
		cmocka_unit_test(test_canonical_paths),
	};

	return cmocka_run_group_tests_name("sim_parse", tests, NULL, NULL);
}
