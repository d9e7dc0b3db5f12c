// SPDX-License-Identifier: GPL-2.0
/*
 * test_status.c - the status apvirtd publishes (apv_status_format/parse,
 * apv_metadata_digest), through the public API: digests checked against
 * SHA-256 computed elsewhere (python3 hashlib) at every block-boundary
 * length, the exact text written, round trips through awkward reasons,
 * and every refusal of the parser with its exact message.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <apvirt/apvirt.h>

#define NS	"http://apvirt.org/xmlns/ap-status/1.0"
#define MDEV	"0d3e0d6b-5e51-4b8a-9c83-6bd4a5d1f7a1"
#define DIG	"358eb966d4b7e43b2f70c253b90242addc5ec6abfe6392b273f47f5c59e62d7f"
#define T0	1796184306	/* 2026-12-02T04:05:06Z */
#define ATTRS	"result=\"applied\" generation=\"7\" digest=\"" DIG "\" time=\"2026-12-02T04:05:06Z\" mdev=\"" MDEV "\""
#define HEAD	"<st:status xmlns:st=\"" NS "\" "

static struct apv_metadata md_of(const unsigned int *ad, size_t nad, const unsigned int *cd,
				 size_t ncd, enum apv_lifecycle lc)
{
	struct apv_metadata md;

	memset(&md, 0, sizeof(md));
	snprintf(md.mdev, sizeof(md.mdev), "%s", MDEV);
	md.lifecycle = lc;
	for (size_t i = 0; i < nad; i++)
		apv_ids_set(&md.matrix.apm, ad[i]);
	for (size_t i = 0; i < ncd; i++)
		apv_ids_set(&md.matrix.adm, cd[i]);
	return md;
}

static void expect_digest(const struct apv_metadata *md, const char *want)
{
	char got[APV_DIGEST_HEX_LEN + 1];

	memset(got, 'x', sizeof(got));
	apv_metadata_digest(md, got);
	assert_string_equal(got, want);
}

/* The line hashed is 97, 95, 119, 120, 127, 128 and 2883 bytes long. */
static void test_digest(void **state)
{
	static const unsigned int a56[] = { 5, 6 }, d4[] = { 4 };
	static const unsigned int a8[] = { 1, 2, 10, 11, 12, 13, 14, 15 };
	static const unsigned int a10[] = { 1, 10, 11, 12, 13, 14, 15, 16, 17, 18 };
	static const unsigned int a11[] = { 1, 2, 10, 11, 12, 13, 14, 15, 16, 17, 18 };
	static const unsigned int c40[] = { 40 }, c200[] = { 200 };
	struct apv_metadata md;

	(void)state;
	md = md_of(a56, 2, NULL, 0, APV_LIFECYCLE_MANAGED);
	apv_ids_set(&md.matrix.aqm, 4);
	expect_digest(&md, DIG);
	md = md_of(NULL, 0, NULL, 0, APV_LIFECYCLE_EXTERNAL);
	expect_digest(&md, "f5b7a4bade07563a24d5202730d520ad8f967b818b7dff41cc7bf0c3600eb1fd");
	md = md_of(a8, 8, c40, 1, APV_LIFECYCLE_MANAGED);
	apv_ids_set(&md.matrix.aqm, d4[0]);
	expect_digest(&md, "4523f64f559b169e38caafd927e08d1bde6cfd2fc5b529f8742e63ae12e2ff9d");
	md = md_of(a8, 8, c200, 1, APV_LIFECYCLE_MANAGED);
	apv_ids_set(&md.matrix.aqm, 4);
	expect_digest(&md, "bba2170121aa2ab03bf8eb7d72a402bb2f085c1a7eaa24cd03438072d043235e");
	md = md_of(a10, 10, c200, 1, APV_LIFECYCLE_MANAGED);
	apv_ids_set(&md.matrix.aqm, 4);
	expect_digest(&md, "ac03b46caf587a4cd3de67952883a82c7a82ef89918246b45f5c654716eb678a");
	md = md_of(a11, 11, c40, 1, APV_LIFECYCLE_MANAGED);
	apv_ids_set(&md.matrix.aqm, 4);
	expect_digest(&md, "c20589c6f6bd3c1ff7d080de045db57c350116812019c71a180a68786e698792");
	/* every ID: the longest line there is */
	md = md_of(NULL, 0, NULL, 0, APV_LIFECYCLE_MANAGED);
	for (unsigned int id = 0; id < APV_ID_COUNT; id++) {
		apv_ids_set(&md.matrix.apm, id);
		apv_ids_set(&md.matrix.aqm, id);
		apv_ids_set(&md.matrix.adm, id);
	}
	expect_digest(&md, "4b98524eae36252896650a7221bdbcdc8a23e2623d5baed17bf33e3eac634502");
}

static struct apv_status status_of(enum apv_status_result r, const char *reason)
{
	struct apv_status st;

	memset(&st, 0, sizeof(st));
	st.result = r;
	st.generation = 7;
	snprintf(st.digest, sizeof(st.digest), "%s", DIG);
	st.time = T0;
	snprintf(st.mdev, sizeof(st.mdev), "%s", MDEV);
	apv_ids_set(&st.matrix.apm, 5);
	apv_ids_set(&st.matrix.aqm, 4);
	apv_ids_set(&st.matrix.adm, 0xab);
	snprintf(st.reason, sizeof(st.reason), "%s", reason ? reason : "");
	return st;
}

static void roundtrip(const struct apv_status *st, bool bare)
{
	struct apv_error err = { 0 };
	struct apv_status back;
	char *text = apv_status_format(st, bare);

	assert_non_null(text);
	memset(&back, 0x5a, sizeof(back));
	assert_int_equal(apv_status_parse(text, strlen(text), "again", bare, &back, &err), 0);
	assert_int_equal(back.result, st->result);
	assert_true(back.generation == st->generation);
	assert_string_equal(back.digest, st->digest);
	assert_true(back.time == st->time);
	assert_string_equal(back.mdev, st->mdev);
	assert_true(apv_matrix_equal(&back.matrix, &st->matrix));
	assert_string_equal(back.reason, st->reason);
	free(text);
}

static void test_format_applied(void **state)
{
	struct apv_status st = status_of(APV_STATUS_APPLIED, NULL);
	char *text;

	(void)state;
	text = apv_status_format(&st, false);
	assert_string_equal(text, HEAD ATTRS ">\n"
			    "  <st:adapter id=\"0x05\"/>\n"
			    "  <st:domain id=\"0x0004\"/>\n"
			    "  <st:control-domain id=\"0x00ab\"/>\n"
			    "</st:status>\n");
	free(text);
	text = apv_status_format(&st, true);
	assert_string_equal(text, "<status " ATTRS ">\n"
			    "  <adapter id=\"0x05\"/>\n"
			    "  <domain id=\"0x0004\"/>\n"
			    "  <control-domain id=\"0x00ab\"/>\n"
			    "</status>\n");
	free(text);
	roundtrip(&st, false);
	roundtrip(&st, true);
	/* an empty matrix, the last representable second, the top generation */
	memset(&st.matrix, 0, sizeof(st.matrix));
	st.result = APV_STATUS_STARTED;
	st.time = 253402300799;
	st.generation = APV_STATUS_GENERATION_MAX;
	text = apv_status_format(&st, true);
	assert_string_equal(text, "<status result=\"started\" generation=\"9007199254740991\" digest=\"" DIG
			    "\" time=\"9999-12-31T23:59:59Z\" mdev=\"" MDEV "\"/>\n");
	free(text);
	roundtrip(&st, true);
}

/* Any reason text gives well-formed XML that reads back as written. */
static void test_format_refused_reason(void **state)
{
	struct apv_status st = status_of(APV_STATUS_REFUSED, "APQN 05.0005 <x> & \"y\" 'z' \xc3\xa9");
	char *text;

	(void)state;
	text = apv_status_format(&st, true);
	assert_string_equal(text, "<status result=\"refused\" generation=\"7\" digest=\"" DIG
			    "\" time=\"2026-12-02T04:05:06Z\" mdev=\"" MDEV
			    "\" reason=\"APQN 05.0005 &lt;x&gt; &amp; &quot;y&quot; 'z' \xc3\xa9\">\n"
			    "  <adapter id=\"0x05\"/>\n"
			    "  <domain id=\"0x0004\"/>\n"
			    "  <control-domain id=\"0x00ab\"/>\n"
			    "</status>\n");
	free(text);
	roundtrip(&st, true);
	roundtrip(&st, false);

	/* control characters become blanks, bytes that are not UTF-8 '?' */
	st = status_of(APV_STATUS_REFUSED, "a\tb\nc\x7f" "d\xff" "e\xc3" "f\xed\xa0\x80" "g\xef\xbf\xbe");
	text = apv_status_format(&st, true);
	assert_non_null(strstr(text, " reason=\"a b c d?e?f???g???\">"));
	free(text);
	/* a reason that fills the buffer, all escaped */
	memset(st.reason, '&', sizeof(st.reason) - 1);
	st.reason[sizeof(st.reason) - 1] = '\0';
	roundtrip(&st, true);
}

static void test_format_out_of_range(void **state)
{
	struct apv_status st;

	(void)state;
	st = status_of(APV_STATUS_APPLIED, "a reason with applied");
	assert_null(apv_status_format(&st, true));
	st = status_of(APV_STATUS_REFUSED, NULL);
	assert_null(apv_status_format(&st, true));
	st = status_of(APV_STATUS_APPLIED, NULL);
	st.generation = 0;
	assert_null(apv_status_format(&st, true));
	st.generation = APV_STATUS_GENERATION_MAX + 1;
	assert_null(apv_status_format(&st, true));
	st = status_of(APV_STATUS_APPLIED, NULL);
	st.time = -1;
	assert_null(apv_status_format(&st, true));
	st.time = 253402300800;		/* year 10000 */
	assert_null(apv_status_format(&st, true));
	st = status_of(APV_STATUS_APPLIED, NULL);
	st.digest[0] = 'A';
	assert_null(apv_status_format(&st, true));
	st = status_of(APV_STATUS_APPLIED, NULL);
	st.mdev[8] = 'x';
	assert_null(apv_status_format(&st, true));
	st = status_of(APV_STATUS_APPLIED, NULL);
	st.result = (enum apv_status_result)3;
	assert_null(apv_status_format(&st, true));
	assert_string_equal(apv_status_result_name(APV_STATUS_APPLIED), "applied");
	assert_string_equal(apv_status_result_name(APV_STATUS_REFUSED), "refused");
	assert_string_equal(apv_status_result_name(APV_STATUS_STARTED), "started");
}

static void test_parse_good(void **state)
{
	const char *text = HEAD "result=\"refused\" generation=\"12\" digest=\"" DIG
		"\" time=\"2024-02-29T00:00:00Z\" mdev=\"0D3E0D6B-5E51-4B8A-9C83-6BD4A5D1F7A1\" reason=\"no &amp; never\">"
		"<!-- what is in effect --> <st:domain id=\"9\"/>\n</st:status>";
	struct apv_error err = { 0 };
	struct apv_status st;

	(void)state;
	assert_int_equal(apv_status_parse(text, strlen(text), "s", false, &st, &err), 0);
	assert_int_equal(st.result, APV_STATUS_REFUSED);
	assert_true(st.generation == 12);
	assert_true(st.time == 1709164800);
	assert_string_equal(st.mdev, MDEV);
	assert_string_equal(st.reason, "no & never");
	assert_true(apv_ids_test(&st.matrix.aqm, 9));
	assert_int_equal(apv_ids_weight(&st.matrix.aqm) + apv_ids_weight(&st.matrix.apm) +
			 apv_ids_weight(&st.matrix.adm), 1);
}

static void expect_error(const char *text, bool implicit_ns, const char *msg)
{
	struct apv_error err = { 0 };
	struct apv_status st;

	memset(&st, 0x5a, sizeof(st));
	assert_int_equal(apv_status_parse(text, strlen(text), "s", implicit_ns, &st, &err), -EINVAL);
	assert_int_equal(err.code, EINVAL);
	assert_string_equal(err.msg, msg);
	assert_int_equal(((unsigned char *)&st)[0], 0x5a);
}

#define A(result, gen, dig, time) \
	"<status result=\"" result "\" generation=\"" gen "\" digest=\"" dig "\" time=\"" time "\" mdev=\"" MDEV "\""

static void test_parse_refusals(void **state)
{
	static const char *const bad_times[] = {
		"2026-02-30T00:00:00Z", "2026-12-02T24:00:00Z", "2026-12-02 04:05:06Z",
		"2026-12-02T04:05:06", "1969-12-31T23:59:59Z", "2026-12-02T04:05:06+00:00",
		"2026-13-01T00:00:00Z", "2026-12-02T04:05:60Z", "+026-12-02T04:05:06Z",
	};
	static const char *const bad_gens[] = { "0", "07", "9007199254740992", "-1", "1e3", "" };
	char text[512];

	(void)state;
	expect_error("", true, "s: empty");
	expect_error("<status", true, "s: line 1: Couldn't find end of Start Tag status line 1");
	expect_error("<!DOCTYPE status><status/>", true, "s: a DOCTYPE is not allowed");
	expect_error("<status/>", false,
		     "s: line 1: expected <status> in namespace " NS ", found <status> without a namespace");
	expect_error("<ap:matrix xmlns:ap=\"http://apvirt.org/xmlns/ap-matrix/1.0\"/>", false,
		     "s: line 1: expected <status> in namespace " NS ", found <matrix> in namespace http://apvirt.org/xmlns/ap-matrix/1.0");
	expect_error("<status/>", true,
		     "s: line 1: <status> needs result=\"applied\", \"refused\" or \"started\"");
	expect_error(A("done", "1", DIG, "2026-12-02T04:05:06Z") "/>", true,
		     "s: line 1: <status> needs result=\"applied\", \"refused\" or \"started\"");
	for (size_t i = 0; i < sizeof(bad_gens) / sizeof(bad_gens[0]); i++) {
		snprintf(text, sizeof(text), A("applied", "%s", DIG, "2026-12-02T04:05:06Z") "/>",
			 bad_gens[i]);
		expect_error(text, true, "s: line 1: <status> needs generation=\"N\" (1 to 9007199254740991, no leading zero)");
	}
	expect_error(A("applied", "1", "358EB966D4B7E43B2F70C253B90242ADDC5EC6ABFE6392B273F47F5C59E62D7F",
		       "2026-12-02T04:05:06Z") "/>", true,
		     "s: line 1: <status> needs digest=\"64 lower-case hex digits\"");
	expect_error(A("applied", "1", "358eb966", "2026-12-02T04:05:06Z") "/>", true,
		     "s: line 1: <status> needs digest=\"64 lower-case hex digits\"");
	for (size_t i = 0; i < sizeof(bad_times) / sizeof(bad_times[0]); i++) {
		snprintf(text, sizeof(text), A("applied", "1", DIG, "%s") "/>", bad_times[i]);
		expect_error(text, true, "s: line 1: <status> needs time=\"YYYY-MM-DDThh:mm:ssZ\" (UTC, 1970 to 9999)");
	}
	expect_error("<status result=\"applied\" generation=\"1\" digest=\"" DIG
		     "\" time=\"2026-12-02T04:05:06Z\" mdev=\"0d3e0d6b\"/>", true,
		     "s: line 1: <status> needs mdev=\"UUID\" (8-4-4-4-12 hex digits)");
	expect_error(A("applied", "1", DIG, "2026-12-02T04:05:06Z") " reason=\"x\"/>", true,
		     "s: line 1: <status result=\"applied\"> has no reason");
	expect_error(A("started", "1", DIG, "2026-12-02T04:05:06Z") " reason=\"\"/>", true,
		     "s: line 1: <status result=\"started\"> has no reason");
	expect_error(A("refused", "1", DIG, "2026-12-02T04:05:06Z") "/>", true,
		     "s: line 1: <status result=\"refused\"> needs a reason");
	expect_error(A("refused", "1", DIG, "2026-12-02T04:05:06Z") " reason=\"a&#9;b\"/>", true,
		     "s: line 1: the reason has a control character");
	expect_error(A("applied", "1", DIG, "2026-12-02T04:05:06Z") " when=\"now\"/>", true,
		     "s: line 1: <status> has no attribute 'when'");
	expect_error(A("applied", "1", DIG, "2026-12-02T04:05:06Z") "><matrix/></status>", true,
		     "s: line 1: unexpected element <matrix>");
	expect_error(A("applied", "1", DIG, "2026-12-02T04:05:06Z")
		     "><ap:adapter xmlns:ap=\"http://apvirt.org/xmlns/ap-matrix/1.0\" id=\"5\"/></status>", true,
		     "s: line 1: unexpected element <adapter> (not in the " NS " namespace)");
	expect_error(A("applied", "1", DIG, "2026-12-02T04:05:06Z")
		     "><adapter id=\"5\"/><adapter id=\"0x05\"/></status>", true,
		     "s: line 1: adapter 0x05 is listed twice");
	expect_error(A("applied", "1", DIG, "2026-12-02T04:05:06Z") ">text</status>", true,
		     "s: line 1: unexpected text \"text\"");
}

static void test_parse_long_reason(void **state)
{
	size_t n = APV_STATUS_REASON_MAX + 200;
	char *text = malloc(n + 512), *p;
	struct apv_error err = { 0 };
	struct apv_status st;

	(void)state;
	assert_non_null(text);
	p = text + sprintf(text, A("refused", "1", DIG, "2026-12-02T04:05:06Z") " reason=\"");
	memset(p, 'r', APV_STATUS_REASON_MAX);
	strcpy(p + APV_STATUS_REASON_MAX, "\"/>");
	assert_int_equal(apv_status_parse(text, strlen(text), "s", true, &st, &err), -EINVAL);
	assert_string_equal(err.msg, "s: line 1: the reason has 1024 bytes, more than the 1023 allowed");
	/* one byte less fits */
	strcpy(p + APV_STATUS_REASON_MAX - 1, "\"/>");
	apv_error_clear(&err);
	assert_int_equal(apv_status_parse(text, strlen(text), "s", true, &st, &err), 0);
	assert_int_equal(strlen(st.reason), APV_STATUS_REASON_MAX - 1);
	free(text);
	/* the size bound applies before libxml2 sees a byte */
	text = calloc(1, APV_METADATA_MAX + 2);
	assert_non_null(text);
	memset(text, ' ', APV_METADATA_MAX + 1);
	apv_error_clear(&err);
	assert_int_equal(apv_status_parse(text, APV_METADATA_MAX + 1, "s", true, &st, &err), -EINVAL);
	assert_string_equal(err.msg, "s: 65537 bytes, more than the 65536 allowed");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_format_applied),
		cmocka_unit_test(test_format_refused_reason),
		cmocka_unit_test(test_format_out_of_range),
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_parse_long_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
