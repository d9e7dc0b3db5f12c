// SPDX-License-Identifier: GPL-2.0
/*
 * test_text.c - the exact sysfs text: number, mask, ap_config and UUID
 * parsers, and the formatters (docs/kernel-abi.md §1.1, §2.3, §2.4, §3.2,
 * §4.5.3; checklist items 8, 16, 24, 25, 28-30 at the parser level).
 *
 * Expected masks come from fx_hexmask(), which computes the MSB-first text
 * digit by digit without apbm or aptxt, so a layout bug cannot cancel out.
 */
#include "fixture.h"

#include <string.h>

static const char UUID_LOWER[] = "0b2e5f4a-9d4c-4d0e-8f1a-1c2d3e4f5a6b";
static const char UUID_UPPER[] = "0B2E5F4A-9D4C-4D0E-8F1A-1C2D3E4F5A6B";
/* IDs 0 and 255: the first and the last bit of a full-length mask */
#define EDGES	"0x8000000000000000000000000000000000000000000000000000000000000001"

/* ---- helpers ---------------------------------------------------------- */

static long kstrtoul_rc(const char *text, u64 *val)
{
	return aptxt_kstrtoul(text, strlen(text), val);
}

static const char *mask_text(const struct apbm *b, char out[67])
{
	aptxt_format_hexmask(b, out);
	return out;
}

static int parse_mask_text(const char *text, const struct apbm *cur, struct apbm *out)
{
	return aptxt_parse_mask(text, strlen(text), cur, out);
}

static void assert_mask_ids(const struct apbm *got, const int *ids)
{
	char g[67], w[67];

	assert_string_equal(mask_text(got, g), fx_hexmask(w, ids));
}

static int parse_ap_config_text(const char *text, struct apbm m[3])
{
	return aptxt_parse_ap_config(text, strlen(text), &m[0], &m[1], &m[2]);
}

/* ---- bitmap layout ---------------------------------------------------- */

static void test_bitmap_msb_first_numbering(void **state)
{
	struct apbm b = fx_mask(FX_IDS(0, 63, 64, 255));

	assert_int_equal(b.w[0], 0x8000000000000001ULL);
	assert_int_equal(b.w[1], 0x8000000000000000ULL);
	assert_int_equal(b.w[2], 0);
	assert_int_equal(b.w[3], 1);
	assert_int_equal(apbm_weight(&b), 4);
	assert_int_equal(apbm_next(&b, 1), 63);
	assert_int_equal(apbm_next(&b, 65), 255);
	apbm_limit(&b, 63);
	assert_mask_ids(&b, FX_IDS(0, 63));
}

/* ---- sscanf("%d"/"%i") ----------------------------------------------- */

struct sscanf_case {
	const char *text;
	bool base0;	/* %i */
	int rc;
	int val;
};

/* The kernel's vsscanf() integer conversion, one row per rule. */
static const struct sscanf_case sscanf_cases[] = {
	{ "5", false, 0, 5 },
	{ "5\n", false, 0, 5 },
	{ "  \t\n 7", false, 0, 7 },		/* leading blanks */
	{ "\v\f\r9", false, 0, 9 },
	{ "\xa0" "3", false, 0, 3 },		/* Latin-1 NBSP is a kernel blank */
	{ "-1", false, 0, -1 },
	{ " -12x", false, 0, -12 },		/* trailing garbage ignored */
	{ "12 34", false, 0, 12 },
	{ "+1", false, -EINVAL, 0 },		/* '+' is not a digit */
	{ "+1", true, -EINVAL, 0 },
	{ "", false, -EINVAL, 0 },
	{ "\n", false, -EINVAL, 0 },
	{ "-", false, -EINVAL, 0 },
	{ "--1", false, -EINVAL, 0 },
	{ "- 1", false, -EINVAL, 0 },
	{ "x", false, -EINVAL, 0 },
	{ "0x1", false, 0, 0 },			/* %d: base 10 stops at 'x' */
	{ "0x10", true, 0, 16 },
	{ "0X1f", true, 0, 31 },
	{ "-0x10", true, 0, -16 },
	{ "010", true, 0, 8 },
	{ "08", true, 0, 0 },			/* octal stops at '8' */
	{ "0x", true, 0, 0 },			/* no hex digit: octal "0" */
	{ "0xg", true, 0, 0 },
	{ "010", false, 0, 10 },
	{ "4294967326", false, 0, 30 },		/* 2^32 + 30 truncates to int */
	{ "4294967297", false, 0, 1 },
	{ "2147483648", false, 0, -2147483647 - 1 },
	{ "18446744073709551617", false, 0, 1 },	/* wraps mod 2^64 */
	{ "-4294967296", false, 0, 0 },
	{ "000000000000000000000000000000000000000000000000000000005", false, 0, 5 },
};

static void test_text_sscanf_int_table(void **state)
{
	unsigned int i;
	int val;

	for (i = 0; i < ARRAY_SIZE(sscanf_cases); i++) {
		const struct sscanf_case *c = &sscanf_cases[i];

		int rc;

		val = 0x5eed;
		rc = aptxt_sscanf_int(c->text, strlen(c->text), c->base0, &val);
		if (rc != c->rc || val != (c->rc ? 0x5eed : c->val))
			fail_msg("case %u: rc %d val %d, expected rc %d val %d", i, rc, val, c->rc,
				 c->rc ? 0x5eed : c->val);
	}
}

/* The store's buffer ends at count or at the first NUL. */
static void test_text_sscanf_int_stops_at_count_and_nul(void **state)
{
	int val = 0;

	assert_int_equal(aptxt_sscanf_int("123", 2, false, &val), 0);
	assert_int_equal(val, 12);
	assert_int_equal(aptxt_sscanf_int("1\0" "2", 3, false, &val), 0);
	assert_int_equal(val, 1);
	assert_int_equal(aptxt_sscanf_int("  ", 1, false, &val), -EINVAL);
	assert_int_equal(aptxt_sscanf_int("-5", 1, false, &val), -EINVAL);
	assert_int_equal(aptxt_sscanf_int("0x10", 2, true, &val), 0);
	assert_int_equal(val, 0);
}

/* sscanf("%llu\n") (6.1's poll_timeout): no sign, base 10, wraps, no ERANGE. */
static void test_text_sscanf_ull(void **state)
{
	u64 val = 99;

	assert_int_equal(aptxt_sscanf_ull("+5", 2, &val), -EINVAL);
	assert_int_equal(aptxt_sscanf_ull("-5", 2, &val), -EINVAL);
	assert_int_equal(aptxt_sscanf_ull(" \n", 2, &val), -EINVAL);
	assert_int_equal(aptxt_sscanf_ull("", 0, &val), -EINVAL);
	assert_int_equal(val, 99);
	assert_int_equal(aptxt_sscanf_ull("0x10", 4, &val), 0);
	assert_int_equal(val, 0);
	assert_int_equal(aptxt_sscanf_ull(" 010 junk", 9, &val), 0);
	assert_int_equal(val, 10);
	assert_int_equal(aptxt_sscanf_ull("18446744073709551617", 20, &val), 0);
	assert_int_equal(val, 1);
	assert_int_equal(aptxt_sscanf_ull("123", 2, &val), 0);
	assert_int_equal(val, 12);
	assert_int_equal(aptxt_sscanf_ull("1\0" "2", 3, &val), 0);
	assert_int_equal(val, 1);
}

/* ---- kstrtoul (item 8) ------------------------------------------------ */

static void test_text_kstrtoul_accepts_kernel_forms(void **state)
{
	static const struct {
		const char *text;
		u64 val;
	} ok[] = {
		{ "5", 5 }, { "5\n", 5 }, { "0x5", 5 }, { "0X5", 5 }, { "+5", 5 },
		{ "05", 5 }, { "010", 8 }, { "+0x1f", 31 }, { "0", 0 }, { "0\n", 0 },
		{ "255", 255 }, { "18446744073709551615", UINT64_MAX },
		{ "0xffffffffffffffff", UINT64_MAX },
	};
	size_t i;
	u64 val;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		val = 12345;
		assert_int_equal(kstrtoul_rc(ok[i].text, &val), 0);
		assert_int_equal(val, ok[i].val);
	}
}

static void test_text_kstrtoul_rejects_with_einval(void **state)
{
	static const char *const bad[] = {
		"-1", " 5", "5 ", "5x", "", "\n", "5\n\n", "+", "++5", "-", "0x",
		"0xg", "08", "\t5", "5\r", "1 2", "0x5 ", "+ 5",
	};
	size_t i;
	u64 val;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		val = 77;
		assert_int_equal(kstrtoul_rc(bad[i], &val), -EINVAL);
		assert_int_equal(val, 77);	/* output written only on success */
	}
}

static void test_text_kstrtoul_overflow_is_erange(void **state)
{
	static const char *const big[] = {
		"18446744073709551616", "18446744073709551616\n", "0x10000000000000000",
		"99999999999999999999", "+18446744073709551616",
		/* the overflow is found before the trailing garbage */
		"99999999999999999999x",
	};
	size_t i;
	u64 val = 77;

	for (i = 0; i < ARRAY_SIZE(big); i++)
		assert_int_equal(kstrtoul_rc(big[i], &val), -ERANGE);
	assert_int_equal(val, 77);
}

static void test_text_kstrtoul_stops_at_count_and_nul(void **state)
{
	u64 val = 0;

	assert_int_equal(aptxt_kstrtoul("5x", 1, &val), 0);
	assert_int_equal(val, 5);
	/* a store gets a NUL-terminated copy: text after a NUL is not seen */
	assert_int_equal(aptxt_kstrtoul("12\0junk", 7, &val), 0);
	assert_int_equal(val, 12);
	assert_int_equal(aptxt_kstrtoul("12\n", 2, &val), 0);
	assert_int_equal(val, 12);
}

/* ---- AP bus masks, relative mode (item 29) ---------------------------- */

static void test_text_mask_relative_examples(void **state)
{
	struct apbm zero, ones, out;

	apbm_zero(&zero);
	apbm_fill(&ones);
	assert_int_equal(parse_mask_text("+0-15,+32,-128,-0xFF", &zero, &out), 0);
	assert_mask_ids(&out, FX_IDS(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 32));
	assert_int_equal(parse_mask_text("-0-255,+1-16", &ones, &out), 0);
	assert_mask_ids(&out, FX_IDS(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16));
	assert_int_equal(parse_mask_text("+0,-6,+0x47,-0xf0", &zero, &out), 0);
	assert_mask_ids(&out, FX_IDS(0, 0x47));
}

static void test_text_mask_relative_applies_to_current(void **state)
{
	struct apbm cur = fx_mask(FX_IDS(3, 200)), out;

	assert_int_equal(parse_mask_text("+4,-200", &cur, &out), 0);
	assert_mask_ids(&out, FX_IDS(3, 4));
	assert_mask_ids(&cur, FX_IDS(3, 200));	/* input untouched */
}

static void test_text_mask_relative_last_operation_wins(void **state)
{
	struct apbm zero, out;

	apbm_zero(&zero);
	assert_int_equal(parse_mask_text("+5,-5", &zero, &out), 0);
	assert_mask_ids(&out, FX_NONE);
	assert_int_equal(parse_mask_text("-5,+5", &zero, &out), 0);
	assert_mask_ids(&out, FX_IDS(5));
	assert_int_equal(parse_mask_text("+0-7,-2-5,+3", &zero, &out), 0);
	assert_mask_ids(&out, FX_IDS(0, 1, 3, 6, 7));
}

static void test_text_mask_relative_separators_and_bases(void **state)
{
	struct apbm zero, out;

	apbm_zero(&zero);
	assert_int_equal(parse_mask_text("+1\n+2,,\n,+3\n", &zero, &out), 0);
	assert_mask_ids(&out, FX_IDS(1, 2, 3));
	assert_int_equal(parse_mask_text("+010,+0x10-0x12,+255", &zero, &out), 0);
	assert_mask_ids(&out, FX_IDS(8, 16, 17, 18, 255));
	assert_int_equal(parse_mask_text("+7-7", &zero, &out), 0);
	assert_mask_ids(&out, FX_IDS(7));
}

static void test_text_mask_relative_rejects_with_einval(void **state)
{
	static const char *const bad[] = {
		"+1 ", "+ 1", "+256", "+0-256", "+5-3", "+1,2", "+1;+2", "+x", "+1-",
		"+-1", "+", "-", "+1,,-", "+1\t", "+0x100", "+1,+2 ",
	};
	struct apbm cur = fx_mask(FX_IDS(9)), out = fx_mask(FX_IDS(42));
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(parse_mask_text(bad[i], &cur, &out), -EINVAL);
		assert_mask_ids(&out, FX_IDS(42));	/* all-or-nothing */
	}
}

/* ---- AP bus masks, absolute mode (item 30) ---------------------------- */

static void test_text_mask_absolute_is_left_aligned(void **state)
{
	static const char *const forms[] = { "0x41", "x41", "41", "0x41\n", "041" };
	struct apbm ones, out;
	size_t i;

	apbm_fill(&ones);
	for (i = 0; i < 4; i++) {
		assert_int_equal(parse_mask_text(forms[i], &ones, &out), 0);
		assert_mask_ids(&out, FX_IDS(1, 7));
	}
	/* "041" is three digits: 0000 0100 0001 */
	assert_int_equal(parse_mask_text(forms[4], &ones, &out), 0);
	assert_mask_ids(&out, FX_IDS(5, 11));
}

static void test_text_mask_absolute_empty_is_all_zero(void **state)
{
	static const char *const empty[] = { "", "\n", "0x", "0x\n", "x" };
	struct apbm ones, out;
	size_t i;

	apbm_fill(&ones);
	for (i = 0; i < ARRAY_SIZE(empty); i++) {
		out = ones;
		assert_int_equal(parse_mask_text(empty[i], &ones, &out), 0);
		assert_mask_ids(&out, FX_NONE);
	}
}

static void test_text_mask_absolute_64_digits(void **state)
{
	char text[80], g[67];
	struct apbm zero, out;

	apbm_zero(&zero);
	memset(text, 'f', 64);
	text[64] = '\0';
	assert_int_equal(parse_mask_text(text, &zero, &out), 0);
	assert_true(apbm_full(&out));
	snprintf(text, sizeof(text), "%s\n", EDGES);
	assert_int_equal(parse_mask_text(text, &zero, &out), 0);
	assert_string_equal(mask_text(&out, g), EDGES);
}

static void test_text_mask_absolute_rejects_with_einval(void **state)
{
	char long_text[80];
	static const char *const bad[] = {
		"0X41", "0xzz", "0x41\n\n", "0x 41", "xx41", "0x41 ", " 0x41", "0x4g",
		"\n\n", "0x-1",
	};
	struct apbm zero, out = fx_mask(FX_IDS(42));
	size_t i;

	apbm_zero(&zero);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(parse_mask_text(bad[i], &zero, &out), -EINVAL);
	memset(long_text, '0', 65);
	long_text[65] = '\0';
	assert_int_equal(parse_mask_text(long_text, &zero, &out), -EINVAL);
	assert_int_equal(aptxt_parse_hexmask(long_text, 65, &out), -EINVAL);
	assert_mask_ids(&out, FX_IDS(42));
}

/* ---- ap_config parser (item 25) --------------------------------------- */

static void test_text_ap_config_full_length(void **state)
{
	char text[APTXT_AP_CONFIG_LEN + 1], a[67], q[67], d[67];
	struct apbm m[3];

	snprintf(text, sizeof(text), "%s,%s,%s\n", fx_hexmask(a, FX_IDS(0, 255)),
		 fx_hexmask(q, FX_IDS(4, 0x47)), fx_hexmask(d, FX_IDS(1)));
	assert_int_equal(strlen(text), APTXT_AP_CONFIG_LEN);
	assert_int_equal(parse_ap_config_text(text, m), 0);
	assert_mask_ids(&m[0], FX_IDS(0, 255));
	assert_mask_ids(&m[1], FX_IDS(4, 0x47));
	assert_mask_ids(&m[2], FX_IDS(1));
}

static void test_text_ap_config_short_masks_padded(void **state)
{
	static const char *const forms[] = {
		"0x4,0x08,0x4", "x4,x08,x4", "4,08,4", "0x4,0x08,0x4\n",
		/* text after the third separator is ignored */
		"0x4,0x08,0x4,garbage", "0x4,0x08,0x4\nrubbish",
		/* strsep quirk: "A,B\n" is three tokens, the third empty */
	};
	struct apbm m[3];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(forms); i++) {
		assert_int_equal(parse_ap_config_text(forms[i], m), 0);
		assert_mask_ids(&m[0], FX_IDS(1));
		assert_mask_ids(&m[1], FX_IDS(4));
		assert_mask_ids(&m[2], FX_IDS(1));
	}
	assert_int_equal(parse_ap_config_text("0x4,0x08\n", m), 0);
	assert_mask_ids(&m[0], FX_IDS(1));
	assert_mask_ids(&m[1], FX_IDS(4));
	assert_mask_ids(&m[2], FX_NONE);
}

static void test_text_ap_config_empty_fields_clear(void **state)
{
	static const char *const forms[] = { ",,", "0x,0x,0x", ",,\n", "x,x,x" };
	struct apbm m[3];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(forms); i++) {
		m[0] = m[1] = m[2] = fx_mask(FX_IDS(7));
		assert_int_equal(parse_ap_config_text(forms[i], m), 0);
		assert_mask_ids(&m[0], FX_NONE);
		assert_mask_ids(&m[1], FX_NONE);
		assert_mask_ids(&m[2], FX_NONE);
	}
}

static void test_text_ap_config_rejects_with_einval(void **state)
{
	char long_field[100];
	static const char *const bad[] = {
		"0x4,0x08", "0x4", "", "\n", ",", "0X4,0,0", "0x4,0xg,0", "0x4,0x08,0x4 ",
		" 0x4,0x08,0x4", "0x4;0x08;0x4",
	};
	struct apbm m[3];
	size_t i;

	m[0] = m[1] = m[2] = fx_mask(FX_IDS(7));
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(parse_ap_config_text(bad[i], m), -EINVAL);
	/* 65 hex digits in the second field */
	snprintf(long_field, sizeof(long_field), "0x1,0x%065d,0x1", 0);
	assert_int_equal(parse_ap_config_text(long_field, m), -EINVAL);
	assert_mask_ids(&m[0], FX_IDS(7));
	assert_mask_ids(&m[1], FX_IDS(7));
	assert_mask_ids(&m[2], FX_IDS(7));
}

/* ---- UUIDs (item 5) --------------------------------------------------- */

static void test_text_create_uuid_lengths(void **state)
{
	char text[40];
	u8 uuid[16];

	assert_int_equal(aptxt_parse_create_uuid(UUID_LOWER, 36, uuid), 0);
	snprintf(text, sizeof(text), "%s\n", UUID_LOWER);
	assert_int_equal(aptxt_parse_create_uuid(text, 37, uuid), 0);
	/* the 37th byte is not looked at */
	snprintf(text, sizeof(text), "%sx", UUID_LOWER);
	assert_int_equal(aptxt_parse_create_uuid(text, 37, uuid), 0);
	assert_int_equal(aptxt_parse_create_uuid(UUID_LOWER, 35, uuid), -EINVAL);
	snprintf(text, sizeof(text), "%s\n\n", UUID_LOWER);
	assert_int_equal(aptxt_parse_create_uuid(text, 38, uuid), -EINVAL);
	assert_int_equal(aptxt_parse_create_uuid("", 0, uuid), -EINVAL);
}

static void test_text_create_uuid_rejects_bad_characters(void **state)
{
	static const char *const bad[] = {
		"0b2e5f4a-9d4c-4d0e-8f1a-1c2d3e4f5a6g",
		"0b2e5f4a09d4c-4d0e-8f1a-1c2d3e4f5a6b",
		"0b2e5f4a-9d4c-4d0e-8f1a_1c2d3e4f5a6b",
		"0b2e5f4a-9d4c-4d0e-8f1a-1c2d3e4f5a6 ",
		"{b2e5f4a-9d4c-4d0e-8f1a-1c2d3e4f5a6b",
		"0b2e5f4a-9d4c-4d0e-8f1a-1c2d3e4f\0a6b",
	};
	u8 uuid[16];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(aptxt_parse_create_uuid(bad[i], 36, uuid), -EINVAL);
}

static void test_text_uuid_formats_lowercase(void **state)
{
	static const u8 want[16] = {
		0x0b, 0x2e, 0x5f, 0x4a, 0x9d, 0x4c, 0x4d, 0x0e,
		0x8f, 0x1a, 0x1c, 0x2d, 0x3e, 0x4f, 0x5a, 0x6b,
	};
	char out[APTXT_UUID_LEN + 1];
	u8 uuid[16];

	assert_int_equal(aptxt_parse_create_uuid(UUID_UPPER, 36, uuid), 0);
	assert_memory_equal(uuid, want, 16);
	aptxt_format_uuid(uuid, out);
	assert_string_equal(out, UUID_LOWER);
}

/* ---- formatters (items 16, 24, 28) ------------------------------------ */

static void test_text_format_mask_line(void **state)
{
	char buf[APC_PAGE_SIZE], want[80], hex[67];
	struct apbm b = fx_mask(FX_IDS(0));

	assert_int_equal(aptxt_format_mask_line(&b, buf), 67);
	snprintf(want, sizeof(want), "%s\n", fx_hexmask(hex, FX_IDS(0)));
	assert_string_equal(buf, want);
	assert_memory_equal(buf, "0x8000", 6);
	apbm_fill(&b);
	assert_int_equal(aptxt_format_hexmask(&b, buf), 66);
	assert_string_equal(buf, "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
}

static void test_text_format_ap_config_201_chars(void **state)
{
	struct apbm apm = fx_mask(FX_IDS(0)), aqm = fx_mask(FX_IDS(0x47)), adm = fx_mask(FX_IDS(255));
	char buf[APC_PAGE_SIZE], want[APTXT_AP_CONFIG_LEN + 1], a[67], q[67], d[67];

	assert_int_equal(aptxt_format_ap_config(&apm, &aqm, &adm, buf), APTXT_AP_CONFIG_LEN);
	snprintf(want, sizeof(want), "%s,%s,%s\n", fx_hexmask(a, FX_IDS(0)),
		 fx_hexmask(q, FX_IDS(0x47)), fx_hexmask(d, FX_IDS(255)));
	assert_string_equal(buf, want);
	assert_memory_equal(buf, "0x8000", 6);
	/* ID 0x47 = 71: hex digit 17 (0-based), weight 1 */
	assert_memory_equal(buf + 67, "0x" "00000000000000000" "1000", 23);
}

static void test_text_format_matrix_shapes(void **state)
{
	struct apbm apm = fx_mask(FX_IDS(5, 4)), aqm = fx_mask(FX_IDS(6, 4)), none;
	char buf[APC_PAGE_SIZE];

	apbm_zero(&none);
	assert_int_equal(aptxt_format_matrix(&apm, 255, &aqm, 255, buf), 32);
	assert_string_equal(buf, "04.0004\n04.0006\n05.0004\n05.0006\n");
	assert_int_equal(aptxt_format_matrix(&apm, 255, &none, 255, buf), 8);
	assert_string_equal(buf, "04.\n05.\n");
	aqm = fx_mask(FX_IDS(0x47));
	assert_int_equal(aptxt_format_matrix(&none, 255, &aqm, 255, buf), 6);
	assert_string_equal(buf, ".0047\n");
	assert_int_equal(aptxt_format_matrix(&none, 255, &none, 255, buf), 0);
	assert_string_equal(buf, "");
}

static void test_text_format_matrix_respects_maxima(void **state)
{
	struct apbm apm = fx_mask(FX_IDS(5, 64)), aqm = fx_mask(FX_IDS(15, 16));
	char buf[APC_PAGE_SIZE];

	aptxt_format_matrix(&apm, 63, &aqm, 15, buf);
	assert_string_equal(buf, "05.000f\n");
	/* IDs above the maximum do not count: domains only above the max */
	aqm = fx_mask(FX_IDS(16));
	aptxt_format_matrix(&apm, 63, &aqm, 15, buf);
	assert_string_equal(buf, "05.\n");
}

static void test_text_format_matrix_capped_at_page(void **state)
{
	struct apbm all;
	char buf[APC_PAGE_SIZE];

	apbm_fill(&all);
	assert_int_equal(aptxt_format_matrix(&all, 255, &all, 255, buf), APC_PAGE_SIZE - 1);
	assert_int_equal(strlen(buf), APC_PAGE_SIZE - 1);
	assert_memory_equal(buf, "00.0000\n00.0001\n", 16);
	/* 511 full lines, then the first 7 characters of 01.00ff */
	assert_memory_equal(buf + 511 * 8, "01.00ff", 7);
}

static void test_text_format_domains(void **state)
{
	struct apbm adm = fx_mask(FX_IDS(0, 1, 0xff));
	char buf[APC_PAGE_SIZE];

	assert_int_equal(aptxt_format_domains(&adm, 255, buf), 15);
	assert_string_equal(buf, "0000\n0001\n00ff\n");
	aptxt_format_domains(&adm, 15, buf);
	assert_string_equal(buf, "0000\n0001\n");
	apbm_zero(&adm);
	assert_int_equal(aptxt_format_domains(&adm, 255, buf), 0);
	assert_string_equal(buf, "");
}

static void test_text_apqn_round_trip(void **state)
{
	unsigned int apid = 0, apqi = 0;
	char out[8];

	aptxt_format_apqn(0x0a, 0xab, out);
	assert_string_equal(out, "0a.00ab");
	assert_int_equal(aptxt_parse_apqn("0a.00ab", &apid, &apqi), 0);
	assert_int_equal(apid, 0x0a);
	assert_int_equal(apqi, 0xab);
	assert_int_equal(aptxt_parse_apqn("0a.0100", &apid, &apqi), -EINVAL);
	assert_int_equal(aptxt_parse_apqn("0a-00ab", &apid, &apqi), -EINVAL);
	assert_int_equal(aptxt_parse_apqn("0a.00ab\n", &apid, &apqi), -EINVAL);
	assert_int_equal(aptxt_parse_apqn("0a.0g00", &apid, &apqi), -EINVAL);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bitmap_msb_first_numbering),
		cmocka_unit_test(test_text_sscanf_int_table),
		cmocka_unit_test(test_text_sscanf_int_stops_at_count_and_nul),
		cmocka_unit_test(test_text_sscanf_ull),
		cmocka_unit_test(test_text_kstrtoul_accepts_kernel_forms),
		cmocka_unit_test(test_text_kstrtoul_rejects_with_einval),
		cmocka_unit_test(test_text_kstrtoul_overflow_is_erange),
		cmocka_unit_test(test_text_kstrtoul_stops_at_count_and_nul),
		cmocka_unit_test(test_text_mask_relative_examples),
		cmocka_unit_test(test_text_mask_relative_applies_to_current),
		cmocka_unit_test(test_text_mask_relative_last_operation_wins),
		cmocka_unit_test(test_text_mask_relative_separators_and_bases),
		cmocka_unit_test(test_text_mask_relative_rejects_with_einval),
		cmocka_unit_test(test_text_mask_absolute_is_left_aligned),
		cmocka_unit_test(test_text_mask_absolute_empty_is_all_zero),
		cmocka_unit_test(test_text_mask_absolute_64_digits),
		cmocka_unit_test(test_text_mask_absolute_rejects_with_einval),
		cmocka_unit_test(test_text_ap_config_full_length),
		cmocka_unit_test(test_text_ap_config_short_masks_padded),
		cmocka_unit_test(test_text_ap_config_empty_fields_clear),
		cmocka_unit_test(test_text_ap_config_rejects_with_einval),
		cmocka_unit_test(test_text_create_uuid_lengths),
		cmocka_unit_test(test_text_create_uuid_rejects_bad_characters),
		cmocka_unit_test(test_text_uuid_formats_lowercase),
		cmocka_unit_test(test_text_format_mask_line),
		cmocka_unit_test(test_text_format_ap_config_201_chars),
		cmocka_unit_test(test_text_format_matrix_shapes),
		cmocka_unit_test(test_text_format_matrix_respects_maxima),
		cmocka_unit_test(test_text_format_matrix_capped_at_page),
		cmocka_unit_test(test_text_format_domains),
		cmocka_unit_test(test_text_apqn_round_trip),
	};

	fx_apply_test_filter(argc, argv);
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
