// SPDX-License-Identifier: GPL-2.0
/*
 * test_conf.c - apv_conf_parse(): the apvirt.conf grammar, every error
 * with FILE:LINE, and nothing written on failure.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apvirt/apvirt.h>

static int parse(const char *text, struct apv_conf *c, struct apv_error *err)
{
	return apv_conf_parse(text, strlen(text), "apvirt.conf", c, err);
}

static void expect_error(const char *text, int code, const char *msg)
{
	struct apv_conf c;
	struct apv_error err = { 0 };

	memset(&c, 0x5a, sizeof(c));
	assert_int_equal(parse(text, &c, &err), -code);
	assert_int_equal(err.code, code);
	assert_string_equal(err.msg, msg);
	assert_int_equal(c.set, 0x5a5a5a5a);	/* untouched */
}

static void test_conf_all_keys(void **state)
{
	struct apv_conf c;
	struct apv_error err = { 0 };

	(void)state;
	assert_int_equal(parse("# apvirt\n\n  sysfs_root = /tmp/ap/sys  \n"
			       "run_root=/run/x\nlog_file = /var/log/apvirt.log\r\n"
			       "\ttransaction = ordered\nlock_timeout = 3600", &c, &err), 0);
	assert_string_equal(c.sysfs_root, "/tmp/ap/sys");
	assert_string_equal(c.run_root, "/run/x");
	assert_string_equal(c.log_file, "/var/log/apvirt.log");
	assert_int_equal(c.txn_mode, APV_TXN_ORDERED);
	assert_int_equal(c.lock_timeout, 3600);
	assert_int_equal(c.set, APV_CONF_HAS_SYSFS_ROOT | APV_CONF_HAS_RUN_ROOT |
			 APV_CONF_HAS_LOG_FILE | APV_CONF_HAS_TXN_MODE | APV_CONF_HAS_LOCK_TIMEOUT);
}

static void test_conf_empty(void **state)
{
	struct apv_conf c;

	(void)state;
	assert_int_equal(parse("", &c, NULL), 0);
	assert_int_equal(c.set, 0);
	assert_int_equal(c.txn_mode, APV_TXN_AUTO);
}

static void test_conf_transaction_values(void **state)
{
	struct apv_conf c;

	(void)state;
	assert_int_equal(parse("transaction = auto", &c, NULL), 0);
	assert_int_equal(c.txn_mode, APV_TXN_AUTO);
	assert_int_equal(parse("transaction = ap_config", &c, NULL), 0);
	assert_int_equal(c.txn_mode, APV_TXN_AP_CONFIG);
}

static void test_conf_unknown_key(void **state)
{
	(void)state;
	expect_error("# x\nsysfs = /sys\n", EINVAL, "apvirt.conf:2: unknown key 'sysfs'");
}

static void test_conf_repeated_key(void **state)
{
	(void)state;
	expect_error("lock_timeout = 1\nlock_timeout = 2\n", EINVAL,
		     "apvirt.conf:2: 'lock_timeout' is set twice");
}

static void test_conf_missing_equals(void **state)
{
	(void)state;
	expect_error("transaction ordered\n", EINVAL, "apvirt.conf:1: expected 'key = value'");
}

static void test_conf_bad_values(void **state)
{
	(void)state;
	expect_error("transaction = sometimes", EINVAL,
		     "apvirt.conf:1: bad value 'sometimes' for 'transaction': expected auto, ordered or ap_config");
	expect_error("lock_timeout = 3601", EINVAL,
		     "apvirt.conf:1: bad value '3601' for 'lock_timeout': expected a number of seconds from 0 to 3600");
	expect_error("lock_timeout = -1", EINVAL,
		     "apvirt.conf:1: bad value '-1' for 'lock_timeout': expected a number of seconds from 0 to 3600");
	expect_error("lock_timeout =", EINVAL,
		     "apvirt.conf:1: bad value '' for 'lock_timeout': expected a number of seconds from 0 to 3600");
	expect_error("sysfs_root = sys", EINVAL,
		     "apvirt.conf:1: bad value 'sys' for 'sysfs_root': expected an absolute path without blanks, '.' or '..'");
	expect_error("run_root = /run/../etc", EINVAL,
		     "apvirt.conf:1: bad value '/run/../etc' for 'run_root': expected an absolute path without blanks, '.' or '..'");
	expect_error("run_root = /run/a b", EINVAL,
		     "apvirt.conf:1: bad value '/run/a b' for 'run_root': expected an absolute path without blanks, '.' or '..'");
}

static void test_conf_bounds(void **state)
{
	char big[APV_CONF_FILE_MAX + 2];
	char line[APV_CONF_LINE_MAX + 8];
	struct apv_conf c;
	struct apv_error err = { 0 };

	(void)state;
	memset(big, '#', sizeof(big));
	assert_int_equal(apv_conf_parse(big, sizeof(big), "f", &c, &err), -EFBIG);
	assert_string_equal(err.msg, "f: longer than 65536 bytes");
	memset(line, '#', sizeof(line));
	line[sizeof(line) - 1] = '\0';
	expect_error(line, EINVAL, "apvirt.conf:1: line longer than 1024 bytes");
	apv_error_clear(&err);
	assert_int_equal(apv_conf_parse("a\0b", 3, "f", &c, &err), -EINVAL);
	assert_string_equal(err.msg, "f: contains a NUL byte");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_all_keys),
		cmocka_unit_test(test_conf_empty),
		cmocka_unit_test(test_conf_transaction_values),
		cmocka_unit_test(test_conf_unknown_key),
		cmocka_unit_test(test_conf_repeated_key),
		cmocka_unit_test(test_conf_missing_equals),
		cmocka_unit_test(test_conf_bad_values),
		cmocka_unit_test(test_conf_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
