// SPDX-License-Identifier: GPL-2.0
/*
 * test_idlist.c - apv_idlist_parse() and apv_ids_format(): the ID edit
 * lists of the CLI, ranges, last-wins, and refusals.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apvirt/apvirt.h>

static const char *fmt(const struct apv_ids *ids, unsigned int digits)
{
	static char buf[2048];

	assert_true(apv_ids_format(ids, digits, buf, sizeof(buf)) > 0);
	return buf;
}

static void parse_ok(const char *text, const char *add, const char *del)
{
	struct apv_ids a, d;
	struct apv_error err = { 0 };

	apv_ids_zero(&a);
	apv_ids_zero(&d);
	assert_int_equal(apv_idlist_parse(text, &a, &d, &err), 0);
	assert_string_equal(fmt(&a, 2), add);
	assert_string_equal(fmt(&d, 2), del);
}

static void parse_bad(const char *text, int code, const char *msg)
{
	struct apv_ids a, d;
	struct apv_error err = { 0 };

	apv_ids_zero(&a);
	apv_ids_zero(&d);
	apv_ids_set(&a, 1);
	assert_int_equal(apv_idlist_parse(text, &a, &d, &err), -code);
	assert_string_equal(err.msg, msg);
	assert_string_equal(fmt(&a, 2), "0x01");	/* untouched */
	assert_true(apv_ids_empty(&d));
}

static void test_idlist_single(void **state)
{
	(void)state;
	parse_ok("5", "0x05", "-");
	parse_ok("0x05", "0x05", "-");
	parse_ok("+0x0004", "0x04", "-");
	parse_ok("-5", "-", "0x05");
	parse_ok("0", "0x00", "-");
	parse_ok("255", "0xff", "-");
	parse_ok("0XFF", "0xff", "-");
}

static void test_idlist_ranges(void **state)
{
	(void)state;
	parse_ok("0x04-0x07", "0x04-0x07", "-");
	parse_ok("-0x04-0x07", "-", "0x04-0x07");
	parse_ok("+1-3,-2,9", "0x01,0x03,0x09", "0x02");
	parse_ok("0-255", "0x00-0xff", "-");
}

static void test_idlist_last_wins(void **state)
{
	(void)state;
	parse_ok("+5,-5", "-", "0x05");
	parse_ok("-5,+5", "0x05", "-");
}

static void test_idlist_accumulates(void **state)
{
	struct apv_ids a, d;

	(void)state;
	apv_ids_zero(&a);
	apv_ids_zero(&d);
	assert_int_equal(apv_idlist_parse("+4-6", &a, &d, NULL), 0);
	assert_int_equal(apv_idlist_parse("-5", &a, &d, NULL), 0);
	assert_string_equal(fmt(&a, 2), "0x04,0x06");
	assert_string_equal(fmt(&d, 2), "0x05");
}

static void test_idlist_refused(void **state)
{
	(void)state;
	parse_bad("", EINVAL, "empty ID list");
	parse_bad("0x100", ERANGE, "'0x100': IDs are 0 to 255 and a range goes upwards");
	parse_bad("256", ERANGE, "'256': IDs are 0 to 255 and a range goes upwards");
	parse_bad("7-5", ERANGE, "'7-5': IDs are 0 to 255 and a range goes upwards");
	parse_bad("0004", EINVAL,
		  "'0004' is not an ID edit; write [+|-]ID[-ID] with IDs as 0x hex or decimal without leading zeros");
	parse_bad("5,", EINVAL,
		  "'' is not an ID edit; write [+|-]ID[-ID] with IDs as 0x hex or decimal without leading zeros");
	parse_bad("0x", EINVAL,
		  "'0x' is not an ID edit; write [+|-]ID[-ID] with IDs as 0x hex or decimal without leading zeros");
	parse_bad("0x00005", EINVAL,
		  "'0x00005' is not an ID edit; write [+|-]ID[-ID] with IDs as 0x hex or decimal without leading zeros");
	parse_bad(" 5", EINVAL,
		  "' 5' is not an ID edit; write [+|-]ID[-ID] with IDs as 0x hex or decimal without leading zeros");
	parse_bad("1,x", EINVAL,
		  "'x' is not an ID edit; write [+|-]ID[-ID] with IDs as 0x hex or decimal without leading zeros");
	parse_bad("++5", EINVAL,
		  "'++5' is not an ID edit; write [+|-]ID[-ID] with IDs as 0x hex or decimal without leading zeros");
}

static void test_ids_format(void **state)
{
	struct apv_ids ids;
	char small[4];

	(void)state;
	apv_ids_zero(&ids);
	assert_string_equal(fmt(&ids, 4), "-");
	apv_ids_set(&ids, 4);
	apv_ids_set(&ids, 5);
	apv_ids_set(&ids, 255);
	assert_string_equal(fmt(&ids, 4), "0x0004-0x0005,0x00ff");
	assert_int_equal(apv_ids_format(&ids, 4, small, sizeof(small)), -ENOSPC);
	assert_int_equal(apv_ids_weight(&ids), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idlist_single),
		cmocka_unit_test(test_idlist_ranges),
		cmocka_unit_test(test_idlist_last_wins),
		cmocka_unit_test(test_idlist_accumulates),
		cmocka_unit_test(test_idlist_refused),
		cmocka_unit_test(test_ids_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
