// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_mask.c - aptxt_parse_mask(), the apmask/aqmask write syntax
 * (docs/kernel-abi.md §3.2), absolute and relative, against a current mask
 * the fuzzer chooses.
 *
 * Input: 32 bytes of current mask (byte k holds IDs 8k..8k+7, MSB first;
 * zero padded when the input is shorter), then the written text.
 *
 * Checked on every input:
 *  - absolute mode agrees exactly with aptxt_parse_hexmask();
 *  - relative mode agrees with a reference written from the §3.2 grammar
 *    (numbers wrap modulo 2^64 like simple_strtoul);
 *  - on failure the output is untouched, and @cur is never written;
 *  - on success the result survives two round trips: printed as an apmask
 *    line and parsed back, and rebuilt as a relative edit of @cur.
 */
#include "fuzz_check.h"

#define MASK_CUR_BYTES	(APBM_BITS / 8)

static void mask_from_bytes(const uint8_t *data, size_t size, struct apbm *m)
{
	size_t i;

	apbm_zero(m);
	for (i = 0; i < MASK_CUR_BYTES && i < size; i++)
		m->w[i / 8] |= (u64)data[i] << (56 - 8 * (i % 8));
}

/* simple_strtoul(s, &end, 0): base prefix rules of C, value wraps. */
static size_t ref_number(const char *s, size_t len, u64 *val)
{
	size_t i = 0, first;
	unsigned int base = 10;
	int d;

	if (len >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    isxdigit((unsigned char)s[2])) {
		base = 16;
		i = 2;
	} else if (len >= 1 && s[0] == '0') {
		base = 8;
	}
	first = i;
	*val = 0;
	while (i < len && (d = fuzz_hexval(s[i])) >= 0 && (unsigned int)d < base) {
		*val = *val * base + (u64)d;
		i++;
	}
	return i == first ? 0 : i;
}

/* "<sign><a>[-<z>]" terms separated by runs of ',' / '\n', last wins. */
static int ref_relative(const char *s, size_t len, struct apbm *map)
{
	size_t i = 0, n;
	u64 a, z, id;
	char sign;

	while (i < len) {
		sign = s[i++];
		if (sign != '+' && sign != '-')
			return -EINVAL;
		n = ref_number(s + i, len - i, &a);
		if (!n)
			return -EINVAL;
		i += n;
		z = a;
		if (i < len && s[i] == '-') {
			n = ref_number(s + i + 1, len - i - 1, &z);
			if (!n)
				return -EINVAL;
			i += 1 + n;
		}
		if (a > z || z >= APBM_BITS)
			return -EINVAL;
		for (id = a; id <= z; id++) {
			if (sign == '+')
				apbm_set(map, (unsigned int)id);
			else
				apbm_clear(map, (unsigned int)id);
		}
		while (i < len && (s[i] == ',' || s[i] == '\n'))
			i++;
	}
	return 0;
}

/* Rebuild @want as one relative edit of @cur: clear all, add each run. */
static void check_relative_round_trip(const struct apbm *cur, const struct apbm *want)
{
	char *text = malloc(16 + APBM_BITS * 12);
	unsigned int id, end;
	size_t at;
	struct apbm got;

	if (!text)
		abort();
	at = (size_t)sprintf(text, "-0-0xff");
	for (id = apbm_next(want, 0); id < APBM_BITS; id = apbm_next(want, end + 1)) {
		for (end = id; end + 1 < APBM_BITS && apbm_test(want, end + 1); end++)
			;
		at += (size_t)sprintf(text + at, id & 1 ? ",+0x%x-0%o" : "\n+%u-%u", id, end);
	}
	FUZZ_CHECK(aptxt_parse_mask(text, at, cur, &got) == 0);
	FUZZ_CHECK(apbm_equal(&got, want));
	free(text);
}

static void check_absolute_round_trip(const struct apbm *cur, const struct apbm *want)
{
	char line[APC_PAGE_SIZE];
	struct apbm got;
	int n = aptxt_format_mask_line(want, line);

	FUZZ_CHECK(n == 67 && line[66] == '\n');
	FUZZ_CHECK(aptxt_parse_mask(line, (size_t)n, cur, &got) == 0);
	FUZZ_CHECK(apbm_equal(&got, want));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t skip = size < MASK_CUR_BYTES ? size : MASK_CUR_BYTES;
	const char *buf = (const char *)data + skip;
	size_t count = size - skip, len = fuzz_text_len(data + skip, count);
	struct apbm cur, cur_copy, out, want;
	int rc, want_rc;

	mask_from_bytes(data, size, &cur);
	cur_copy = cur;
	fuzz_poison_mask(&out);
	rc = aptxt_parse_mask(buf, count, &cur, &out);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	FUZZ_CHECK(apbm_equal(&cur, &cur_copy));

	if (len && (buf[0] == '+' || buf[0] == '-')) {
		want = cur;
		want_rc = ref_relative(buf, len, &want);
	} else {
		fuzz_poison_mask(&want);
		want_rc = aptxt_parse_hexmask(buf, count, &want);
	}
	FUZZ_CHECK(rc == want_rc);
	if (rc) {
		FUZZ_CHECK(fuzz_mask_poisoned(&out));
		return 0;
	}
	FUZZ_CHECK(apbm_equal(&out, &want));
	check_absolute_round_trip(&cur, &out);
	check_relative_round_trip(&cur, &out);
	return 0;
}
