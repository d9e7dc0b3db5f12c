// SPDX-License-Identifier: GPL-2.0
/*
 * test_profile.c - apv_profile_*: mdevctl's JSON profile, parsed with the
 * attrs applied in order, rewritten keeping what apvirt does not own.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <apvirt/apvirt.h>

#define U1 "11111111-1111-4111-8111-111111111111"

static struct apv_profile *parse_ok(const char *text)
{
	struct apv_profile *p = NULL;
	struct apv_error err = { 0 };

	assert_int_equal(apv_profile_parse(text, strlen(text), U1, &p, &err), 0);
	assert_non_null(p);
	return p;
}

static void parse_bad(const char *text, const char *msg)
{
	struct apv_profile *p = NULL;
	struct apv_error err = { 0 };

	assert_true(apv_profile_parse(text, strlen(text), U1, &p, &err) < 0);
	assert_null(p);
	assert_string_equal(err.msg, msg);
}

static const char *ids(const struct apv_ids *s, unsigned int digits)
{
	static char buf[4][256];
	static int n;
	char *b = buf[n++ % 4];

	assert_true(apv_ids_format(s, digits, b, 256) > 0);
	return b;
}

static void test_profile_attrs_in_order(void **state)
{
	struct apv_profile *p;
	const struct apv_matrix *m;

	(void)state;
	/* mdevctl's integration order: 6 assigned, then taken away again */
	p = parse_ok("{\"mdev_type\":\"vfio_ap-passthrough\",\"start\":\"auto\",\"attrs\":["
		     "{\"assign_adapter\":\"6\"},{\"assign_domain\":\"5\"},"
		     "{\"unassign_adapter\":\"6\"},{\"assign_adapter\":\"0x05\"},"
		     "{\"assign_control_domain\":\"010\"},{\"foo\":\"bar\"}]}");
	m = apv_profile_matrix(p);
	assert_string_equal(ids(&m->apm, 2), "0x05");
	assert_string_equal(ids(&m->aqm, 4), "0x0005");
	assert_string_equal(ids(&m->adm, 4), "0x0008");	/* kstrtoul: octal */
	assert_true(apv_profile_autostart(p));
	assert_string_equal(apv_profile_type(p), "vfio_ap-passthrough");
	assert_string_equal(apv_profile_uuid(p), U1);
	apv_profile_free(p);
}

static void test_profile_ap_config_replaces(void **state)
{
	struct apv_profile *p;

	(void)state;
	p = parse_ok("{\"mdev_type\":\"vfio_ap-passthrough\",\"start\":\"manual\",\"attrs\":["
		     "{\"assign_adapter\":\"1\"},{\"ap_config\":\"0x04,0x08,0x08\"}]}");
	assert_string_equal(ids(&apv_profile_matrix(p)->apm, 2), "0x05");
	assert_string_equal(ids(&apv_profile_matrix(p)->aqm, 4), "0x0004");
	assert_false(apv_profile_autostart(p));
	apv_profile_free(p);
}

static void test_profile_without_attrs(void **state)
{
	struct apv_profile *p;

	(void)state;
	p = parse_ok("{\"mdev_type\":\"vfio_ap-passthrough\",\"start\":\"manual\"}");
	assert_true(apv_ids_empty(&apv_profile_matrix(p)->apm));
	apv_profile_free(p);
}

static void test_profile_rewrite_keeps_foreign(void **state)
{
	struct apv_profile *p;
	struct apv_matrix m;
	char *json;

	(void)state;
	p = parse_ok("{\"mdev_type\":\"vfio_ap-passthrough\",\"start\":\"manual\",\"x-owner\":\"ops\","
		     "\"attrs\":[{\"assign_adapter\":\"6\"},{\"vendor_knob\":\"1\"}]}");
	memset(&m, 0, sizeof(m));
	apv_ids_set(&m.apm, 5);
	apv_ids_set(&m.aqm, 4);
	apv_ids_set(&m.adm, 4);
	assert_int_equal(apv_profile_set_matrix(p, &m, NULL), 0);
	json = apv_profile_to_json(p);
	assert_string_equal(json,
		"{\n"
		"  \"mdev_type\": \"vfio_ap-passthrough\",\n"
		"  \"start\": \"manual\",\n"
		"  \"x-owner\": \"ops\",\n"
		"  \"attrs\": [\n"
		"    {\n      \"vendor_knob\": \"1\"\n    },\n"
		"    {\n      \"assign_adapter\": \"0x05\"\n    },\n"
		"    {\n      \"assign_domain\": \"0x0004\"\n    },\n"
		"    {\n      \"assign_control_domain\": \"0x0004\"\n    }\n"
		"  ]\n"
		"}\n");
	free(json);
	apv_profile_free(p);
}

static void test_profile_refused(void **state)
{
	char big[APV_PROFILE_MAX + 2];
	struct apv_profile *p = NULL;
	struct apv_error err = { 0 };

	(void)state;
	parse_bad("[]", "not a JSON object");
	parse_bad("{\"start\":\"auto\"}", "\"mdev_type\" is missing or not a string");
	parse_bad("{\"mdev_type\":\"t\"}", "\"start\" is missing or not a string");
	parse_bad("{\"mdev_type\":\"t\",\"start\":\"later\"}", "\"start\" is 'later', not auto or manual");
	parse_bad("{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":{}}", "\"attrs\" is not an array");
	parse_bad("{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":[{\"a\":\"1\",\"b\":\"2\"}]}",
		  "attrs[0]: not an object with one member");
	parse_bad("{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":[{\"assign_adapter\":5}]}",
		  "attrs[0]: the value of 'assign_adapter' is not a string");
	parse_bad("{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":[{\"assign_adapter\":\"256\"}]}",
		  "attrs[0]: assign_adapter value '256' is not an ID from 0 to 255");
	parse_bad("{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":[{\"assign_domain\":\" 5\"}]}",
		  "attrs[0]: assign_domain value ' 5' is not an ID from 0 to 255");
	parse_bad("{\"mdev_type\":\"t\",\"start\":\"auto\"} x", "text after the JSON object");
	parse_bad("{\"mdev_type\":", "invalid JSON: continue");
	parse_bad("[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]", "invalid JSON: nesting too deep");
	memset(big, ' ', sizeof(big));
	assert_int_equal(apv_profile_parse(big, sizeof(big), NULL, &p, &err), -EFBIG);
	assert_int_equal(apv_profile_parse("{}", 2, "not-a-uuid", &p, NULL), -EINVAL);
}

static void test_uuid_valid(void **state)
{
	(void)state;
	assert_true(apv_uuid_valid(U1));
	assert_true(apv_uuid_valid("0B2E5F4A-9D4C-4D0E-8F1A-1C2D3E4F5A6B"));
	assert_false(apv_uuid_valid(U1 "0"));
	assert_false(apv_uuid_valid("11111111-1111-4111-8111-11111111111"));
	assert_false(apv_uuid_valid("11111111_1111-4111-8111-111111111111"));
	assert_false(apv_uuid_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_attrs_in_order),
		cmocka_unit_test(test_profile_ap_config_replaces),
		cmocka_unit_test(test_profile_without_attrs),
		cmocka_unit_test(test_profile_rewrite_keeps_foreign),
		cmocka_unit_test(test_profile_refused),
		cmocka_unit_test(test_uuid_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
