// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_hexmask.c - aptxt_parse_hexmask(), absolute masks (ap_hex2bitmap,
 * docs/kernel-abi.md §3.2; also the three ap_config fields, §4.5.3).
 *
 * Checked on every input:
 *  - acceptance and value agree with a reference written from the spec:
 *    optional "0x" or single "x" prefix, at most 64 hex digits filling IDs
 *    left to right, one optional '\n', nothing else;
 *  - on failure the output is untouched;
 *  - on success the mask prints as "0x" + 64 lowercase digits that parse
 *    back to the same mask, with and without the prefix and the newline.
 */
#include "fuzz_check.h"

static int ref_hexmask(const char *s, size_t len, struct apbm *m)
{
	size_t i = 0;
	unsigned int nibble = 0;
	int d;

	apbm_zero(m);
	if (len >= 2 && s[0] == '0' && s[1] == 'x')
		i = 2;
	else if (len >= 1 && s[0] == 'x')
		i = 1;
	for (; i < len && (d = fuzz_hexval(s[i])) >= 0; i++, nibble++) {
		if (nibble == APBM_BITS / 4)
			return -EINVAL;		/* a 65th digit */
		m->w[nibble / 16] |= (u64)d << (60 - 4 * (nibble % 16));
	}
	if (i < len && s[i] == '\n')
		i++;
	return i == len ? 0 : -EINVAL;
}

static void check_parses_to(const char *text, size_t n, const struct apbm *want)
{
	struct apbm got;

	fuzz_poison_mask(&got);
	FUZZ_CHECK(aptxt_parse_hexmask(text, n, &got) == 0);
	FUZZ_CHECK(apbm_equal(&got, want));
}

static void check_round_trip(const struct apbm *m)
{
	char text[APC_PAGE_SIZE];
	int n = aptxt_format_hexmask(m, text), i;

	FUZZ_CHECK(n == 66 && text[0] == '0' && text[1] == 'x' && text[66] == '\0');
	for (i = 2; i < n; i++)
		FUZZ_CHECK(isxdigit((unsigned char)text[i]) && !isupper((unsigned char)text[i]));
	check_parses_to(text, (size_t)n, m);
	check_parses_to(text + 1, (size_t)n - 1, m);	/* "x" + digits */
	check_parses_to(text + 2, (size_t)n - 2, m);	/* bare digits */
	text[n] = '\n';
	check_parses_to(text, (size_t)n + 1, m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct apbm out, want;
	int rc;

	fuzz_poison_mask(&out);
	rc = aptxt_parse_hexmask(buf, size, &out);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	FUZZ_CHECK(rc == ref_hexmask(buf, fuzz_text_len(data, size), &want));
	if (rc) {
		FUZZ_CHECK(fuzz_mask_poisoned(&out));
		return 0;
	}
	FUZZ_CHECK(apbm_equal(&out, &want));
	check_round_trip(&out);
	return 0;
}
