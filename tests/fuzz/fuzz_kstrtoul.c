// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_kstrtoul.c - aptxt_kstrtoul(), the number syntax of every
 * assign/unassign/remove store (docs/kernel-abi.md §2.4).
 *
 * Checked on every input:
 *  - the result (0, -EINVAL or -ERANGE) and the value equal a reference
 *    written from the grammar in the spec, which leans on libc strtoull()
 *    for the digits;
 *  - an accepted input, minus its one optional '\n', is also accepted in
 *    full by strtoull(s, &end, 0) with the same value;
 *  - the output is written only on success;
 * and aptxt_sscanf_int(), sscanf("%d"/"%i"), on the same input, in both
 * bases, against a reference written from the kernel's vsscanf(): kernel
 * blanks, one '-', a decimal digit next, digits of the base accumulated
 * in an unsigned 64-bit value (which wraps), negated, truncated to int.
 */
#include <errno.h>

#include "fuzz_check.h"

#define KSTRTOUL_UNTOUCHED 0x5eed5eed5eed5eedULL

static bool in_base(char c, unsigned int base)
{
	int d = fuzz_hexval(c);

	return d >= 0 && (unsigned int)d < base;
}

/* Digits [s, s + n) of @base through strtoull: -ERANGE on overflow. */
static int digits_value(const char *s, size_t n, unsigned int base, u64 *val)
{
	char *copy = fuzz_strdup((const uint8_t *)s, n);
	int rc = 0;

	errno = 0;
	*val = strtoull(copy, NULL, (int)base);
	if (errno == ERANGE)
		rc = -ERANGE;
	free(copy);
	return rc;
}

/* kstrtoul(buf, 0) as §2.4 describes it, independently of ap_text.c. */
static int ref_kstrtoul(const char *s, size_t len, u64 *val)
{
	size_t i = 0, start;
	unsigned int base = 10;
	int rc;

	if (i < len && s[i] == '+')
		i++;
	if (i + 2 < len && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
	    isxdigit((unsigned char)s[i + 2])) {
		base = 16;
		i += 2;
	} else if (i < len && s[i] == '0') {
		base = 8;
	}
	start = i;
	while (i < len && in_base(s[i], base))
		i++;
	rc = digits_value(s + start, i - start, base, val);
	if (rc)
		return rc;		/* overflow wins over trailing garbage */
	if (i == start)
		return -EINVAL;
	if (i < len && s[i] == '\n')
		i++;
	return i == len ? 0 : -EINVAL;
}

static void check_against_strtoull(const char *s, size_t len, u64 val)
{
	char *copy, *end;
	u64 libc;

	if (len && s[len - 1] == '\n')
		len--;
	copy = fuzz_strdup((const uint8_t *)s, len);
	errno = 0;
	libc = strtoull(copy, &end, 0);
	FUZZ_CHECK(errno == 0);
	FUZZ_CHECK(*end == '\0');
	FUZZ_CHECK(libc == val);
	free(copy);
}

static bool ref_isspace(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' ||
	       c == 0xa0;
}

static int ref_sscanf(const char *s, size_t len, bool base0, int *val)
{
	size_t i = 0;
	unsigned int base = 10;
	bool neg = false;
	u64 v = 0;

	while (i < len && ref_isspace((unsigned char)s[i]))
		i++;
	if (i < len && s[i] == '-') {
		neg = true;
		i++;
	}
	if (i == len || !isdigit((unsigned char)s[i]))
		return -EINVAL;
	if (base0 && s[i] == '0') {
		base = 8;
		if (i + 2 < len && (s[i + 1] | 0x20) == 'x' && isxdigit((unsigned char)s[i + 2])) {
			base = 16;
			i += 2;
		}
	}
	for (; i < len && in_base(s[i], base); i++)
		v = v * base + (u64)fuzz_hexval(s[i]);
	*val = (int)(uint32_t)(neg ? 0 - v : v);
	return 0;
}

static void check_sscanf(const char *buf, size_t size, size_t len)
{
	int base0, val, want, rc;

	for (base0 = 0; base0 <= 1; base0++) {
		val = want = 0x5eed;
		rc = aptxt_sscanf_int(buf, size, base0, &val);
		FUZZ_CHECK(rc == ref_sscanf(buf, len, base0, &want));
		FUZZ_CHECK(val == want);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	size_t len = fuzz_text_len(data, size);
	u64 val = KSTRTOUL_UNTOUCHED, want = 0;
	int rc, want_rc;

	check_sscanf(buf, size, len);
	rc = aptxt_kstrtoul(buf, size, &val);
	want_rc = ref_kstrtoul(buf, len, &want);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	FUZZ_CHECK(rc == want_rc);
	if (rc) {
		FUZZ_CHECK(val == KSTRTOUL_UNTOUCHED);
		return 0;
	}
	FUZZ_CHECK(val == want);
	check_against_strtoull(buf, len, val);
	return 0;
}
