// SPDX-License-Identifier: GPL-2.0
/*
 * ap_text.c - the sysfs text of vfio_ap and the AP bus, parsed and printed
 * exactly as the kernel does (docs/kernel-abi.md §2.3, §2.4, §3.2, §4.5.3).
 *
 * The kernel hands a store a NUL-terminated copy of the write, so every
 * parser here stops at @count or at the first NUL.
 */
#include "ap_text.h"

static const char aptxt_hex[] = "0123456789abcdef";

static int aptxt_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Effective string length: up to @count or the first NUL. */
static size_t aptxt_len(const char *buf, size_t count)
{
	const char *nul = memchr(buf, '\0', count);

	return nul ? (size_t)(nul - buf) : count;
}

/*
 * _parse_integer_fixup_radix() for base 0: "0x"/"0X" followed by a hex
 * digit selects 16 (and skips the prefix), a leading '0' selects 8.
 */
static unsigned int aptxt_radix(const char *s, size_t len, size_t *skip)
{
	*skip = 0;
	if (len >= 1 && s[0] == '0') {
		if (len >= 3 && (s[1] == 'x' || s[1] == 'X') && aptxt_hexval(s[2]) >= 0) {
			*skip = 2;
			return 16;
		}
		return 8;
	}
	return 10;
}

/*
 * _parse_integer(): digits of @base from @s; *val wraps modulo 2^64 like
 * the kernel's accumulator and *overflow tells whether it did.  Returns
 * the number of digits consumed.
 */
static size_t aptxt_digits(const char *s, size_t len, unsigned int base, u64 *val, bool *overflow)
{
	size_t i;
	u64 res = 0;

	*overflow = false;
	for (i = 0; i < len; i++) {
		int d = aptxt_hexval(s[i]);

		if (d < 0 || (unsigned int)d >= base)
			break;
		if (res > (~0ULL - (u64)d) / base)
			*overflow = true;
		res = res * base + (u64)d;
	}
	*val = res;
	return i;
}

int aptxt_kstrtoul(const char *buf, size_t count, u64 *val)
{
	size_t len = aptxt_len(buf, count), skip, n;
	const char *s = buf;
	unsigned int base;
	bool overflow;
	u64 res;

	if (len && s[0] == '+') {
		s++;
		len--;
	}
	base = aptxt_radix(s, len, &skip);
	s += skip;
	len -= skip;
	n = aptxt_digits(s, len, base, &res, &overflow);
	if (overflow)
		return -ERANGE;
	if (n == 0)
		return -EINVAL;
	if (n < len && s[n] == '\n')
		n++;
	if (n != len)
		return -EINVAL;
	*val = res;
	return 0;
}

bool aptxt_isspace(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (unsigned char)c == 0xa0;
}

static bool aptxt_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * vsscanf()'s integer conversion: skip_spaces(), an optional '-' that must
 * be followed by a digit, then simple_strntoll(), whose overflow flag the
 * kernel drops ("FIXME" in simple_strntoull()), stored through an int *.
 */
int aptxt_sscanf_int(const char *buf, size_t count, bool base0, int *val)
{
	size_t len = aptxt_len(buf, count), i = 0, skip = 0;
	unsigned int base = 10;
	bool neg = false, overflow;
	u64 v;

	while (i < len && aptxt_isspace(buf[i]))
		i++;
	if (i < len && buf[i] == '-') {
		neg = true;
		i++;
	}
	if (i == len || !aptxt_isdigit(buf[i]))
		return -EINVAL;
	if (base0)
		base = aptxt_radix(buf + i, len - i, &skip);
	aptxt_digits(buf + i + skip, len - i - skip, base, &v, &overflow);
	if (neg)
		v = -v;
	*val = (int)(u32)v;	/* *va_arg(args, int *) = val.s */
	return 0;
}

/* vsscanf()'s unsigned conversion: no sign at all, simple_strntoull(). */
int aptxt_sscanf_ull(const char *buf, size_t count, u64 *val)
{
	size_t len = aptxt_len(buf, count), i = 0;
	bool overflow;

	while (i < len && aptxt_isspace(buf[i]))
		i++;
	if (i == len || !aptxt_isdigit(buf[i]))
		return -EINVAL;
	aptxt_digits(buf + i, len - i, 10, val, &overflow);
	return 0;
}

/* simple_strtoul(s, &end, 0): wraps silently, consumes no sign. */
static size_t aptxt_simple_strtoul(const char *s, size_t len, u64 *val)
{
	size_t skip, n;
	unsigned int base = aptxt_radix(s, len, &skip);
	bool overflow;

	n = aptxt_digits(s + skip, len - skip, base, val, &overflow);
	return n ? n + skip : 0;
}

/*
 * Relative mask edit (modify_bitmap): terms "+a", "-a", "+a-z", "-a-z"
 * applied in order to @map, each followed by any run of ',' or '\n'.
 * Numbers in C base 0; a <= z < 256.  Example "+0-15,+32,-128,-0xFF".
 */
static int aptxt_modify_mask(const char *s, size_t len, struct apbm *map)
{
	size_t i = 0, n;
	u64 a, z, id;
	char sign;

	while (i < len) {
		sign = s[i++];
		if (sign != '+' && sign != '-')
			return -EINVAL;
		n = aptxt_simple_strtoul(s + i, len - i, &a);
		if (!n || a >= APBM_BITS)
			return -EINVAL;
		i += n;
		z = a;
		if (i < len && s[i] == '-') {
			i++;
			n = aptxt_simple_strtoul(s + i, len - i, &z);
			if (!n || a > z || z >= APBM_BITS)
				return -EINVAL;
			i += n;
		}
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

/* hex2bitmap() on an already length-bounded string. */
static int aptxt_hex2mask(const char *s, size_t len, struct apbm *map)
{
	size_t i = 0;
	unsigned int bit = 0;
	int d;

	apbm_zero(map);
	if (len >= 2 && s[0] == '0' && s[1] == 'x')
		i = 1;
	if (i < len && s[i] == 'x')
		i++;
	for (; i < len && bit < APBM_BITS; i++, bit += 4) {
		d = aptxt_hexval(s[i]);
		if (d < 0)
			break;
		map->w[bit >> 6] |= (u64)d << (60 - (bit & 63));
	}
	if (i < len && s[i] == '\n')
		i++;
	return i == len ? 0 : -EINVAL;
}

int aptxt_parse_hexmask(const char *buf, size_t count, struct apbm *out)
{
	struct apbm tmp;
	int rc = aptxt_hex2mask(buf, aptxt_len(buf, count), &tmp);

	if (!rc)
		*out = tmp;
	return rc;
}

int aptxt_parse_mask(const char *buf, size_t count, const struct apbm *cur, struct apbm *out)
{
	size_t len = aptxt_len(buf, count);
	struct apbm tmp;
	int rc;

	if (len && (buf[0] == '+' || buf[0] == '-')) {
		tmp = *cur;
		rc = aptxt_modify_mask(buf, len, &tmp);
	} else {
		rc = aptxt_hex2mask(buf, len, &tmp);
	}
	if (!rc)
		*out = tmp;
	return rc;
}

/* strsep(&s, ",\n") over [*pos, len): token bounds, or false at the end. */
static bool aptxt_strsep(const char *s, size_t len, size_t *pos, bool *done,
			 size_t *tok, size_t *toklen)
{
	size_t i;

	if (*done)
		return false;
	*tok = *pos;
	for (i = *pos; i < len && s[i] != ',' && s[i] != '\n'; i++)
		;
	*toklen = i - *pos;
	if (i < len)
		*pos = i + 1;
	else
		*done = true;
	return true;
}

int aptxt_parse_ap_config(const char *buf, size_t count,
			  struct apbm *apm, struct apbm *aqm, struct apbm *adm)
{
	size_t len = aptxt_len(buf, count), pos = 0, tok, toklen;
	struct apbm m[3];
	bool done = false;
	int i;

	if (len > APTXT_AP_CONFIG_LEN)
		len = APTXT_AP_CONFIG_LEN;	/* kstrndup(buf, AP_CONFIG_STRLEN) */
	for (i = 0; i < 3; i++) {
		if (!aptxt_strsep(buf, len, &pos, &done, &tok, &toklen))
			return -EINVAL;
		if (aptxt_hex2mask(buf + tok, toklen, &m[i]))
			return -EINVAL;
	}
	*apm = m[0];
	*aqm = m[1];
	*adm = m[2];
	return 0;
}

int aptxt_parse_uuid(const char *str, u8 uuid[16])
{
	static const u8 pos[16] = { 0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34 };
	u8 tmp[16];
	int i, hi, lo;

	for (i = 0; i < APTXT_UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (str[i] != '-')
				return -EINVAL;
		} else if (aptxt_hexval(str[i]) < 0) {
			return -EINVAL;
		}
	}
	if (str[APTXT_UUID_LEN] != '\0')
		return -EINVAL;
	for (i = 0; i < 16; i++) {
		hi = aptxt_hexval(str[pos[i]]);
		lo = aptxt_hexval(str[pos[i] + 1]);
		tmp[i] = (u8)(hi << 4 | lo);
	}
	memcpy(uuid, tmp, 16);
	return 0;
}

int aptxt_parse_create_uuid(const char *buf, size_t count, u8 uuid[16])
{
	char tmp[APTXT_UUID_LEN + 1];

	if (count < APTXT_UUID_LEN || count > APTXT_UUID_LEN + 1)
		return -EINVAL;
	memcpy(tmp, buf, APTXT_UUID_LEN);	/* a NUL inside fails the hex test */
	tmp[APTXT_UUID_LEN] = '\0';
	return aptxt_parse_uuid(tmp, uuid);
}

void aptxt_format_uuid(const u8 uuid[16], char out[APTXT_UUID_LEN + 1])
{
	int i, o = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = aptxt_hex[uuid[i] >> 4];
		out[o++] = aptxt_hex[uuid[i] & 15];
	}
	out[o] = '\0';
}

int aptxt_format_hexmask(const struct apbm *b, char *buf)
{
	int i, j, o = 0;

	buf[o++] = '0';
	buf[o++] = 'x';
	for (i = 0; i < APBM_WORDS; i++)
		for (j = 60; j >= 0; j -= 4)
			buf[o++] = aptxt_hex[(b->w[i] >> j) & 15];
	buf[o] = '\0';
	return o;
}

int aptxt_format_mask_line(const struct apbm *b, char *buf)
{
	int n = aptxt_format_hexmask(b, buf);

	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

int aptxt_format_ap_config(const struct apbm *apm, const struct apbm *aqm,
			   const struct apbm *adm, char *buf)
{
	int n = aptxt_format_hexmask(apm, buf);

	buf[n++] = ',';
	n += aptxt_format_hexmask(aqm, buf + n);
	buf[n++] = ',';
	n += aptxt_format_hexmask(adm, buf + n);
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

void aptxt_format_apqn(unsigned int apid, unsigned int apqi, char out[8])
{
	out[0] = aptxt_hex[(apid >> 4) & 15];
	out[1] = aptxt_hex[apid & 15];
	out[2] = '.';
	out[3] = aptxt_hex[(apqi >> 12) & 15];
	out[4] = aptxt_hex[(apqi >> 8) & 15];
	out[5] = aptxt_hex[(apqi >> 4) & 15];
	out[6] = aptxt_hex[apqi & 15];
	out[7] = '\0';
}

int aptxt_parse_apqn(const char *str, unsigned int *apid, unsigned int *apqi)
{
	int i, d;
	unsigned int a = 0, q = 0;

	for (i = 0; i < 7; i++) {
		if (i == 2) {
			if (str[i] != '.')
				return -EINVAL;
			continue;
		}
		d = aptxt_hexval(str[i]);
		if (d < 0)
			return -EINVAL;
		if (i < 2)
			a = a << 4 | (unsigned int)d;
		else
			q = q << 4 | (unsigned int)d;
	}
	if (str[7] != '\0' || q > 0xff)
		return -EINVAL;
	*apid = a;
	*apqi = q;
	return 0;
}

/* scnprintf into a page: append @s, keep the NUL, never past the page. */
static int aptxt_page_append(char *buf, int at, const char *s, int n)
{
	int room = APC_PAGE_SIZE - 1 - at;

	if (room <= 0)
		return at;
	if (n > room)
		n = room;
	memcpy(buf + at, s, (size_t)n);
	buf[at + n] = '\0';
	return at + n;
}

int aptxt_format_matrix(const struct apbm *apm, unsigned int apm_max,
			const struct apbm *aqm, unsigned int aqm_max, char *buf)
{
	struct apbm a = *apm, q = *aqm;
	unsigned int apid, apqi;
	char line[9];
	int at = 0;

	apbm_limit(&a, apm_max);
	apbm_limit(&q, aqm_max);
	buf[0] = '\0';
	if (!apbm_empty(&a) && !apbm_empty(&q)) {
		apbm_for_each(apid, &a) {
			apbm_for_each(apqi, &q) {
				if (at >= APC_PAGE_SIZE - 1)
					return at;
				aptxt_format_apqn(apid, apqi, line);
				line[7] = '\n';
				at = aptxt_page_append(buf, at, line, 8);
			}
		}
	} else if (!apbm_empty(&a)) {
		apbm_for_each(apid, &a) {
			line[0] = aptxt_hex[apid >> 4];
			line[1] = aptxt_hex[apid & 15];
			line[2] = '.';
			line[3] = '\n';
			at = aptxt_page_append(buf, at, line, 4);
		}
	} else if (!apbm_empty(&q)) {
		apbm_for_each(apqi, &q) {
			aptxt_format_apqn(0, apqi, line);
			line[7] = '\n';
			at = aptxt_page_append(buf, at, line + 2, 6);
		}
	}
	return at;
}

int aptxt_format_domains(const struct apbm *adm, unsigned int adm_max, char *buf)
{
	struct apbm d = *adm;
	unsigned int id;
	char line[8];
	int at = 0;

	apbm_limit(&d, adm_max);
	buf[0] = '\0';
	apbm_for_each(id, &d) {
		aptxt_format_apqn(0, id, line);
		line[7] = '\n';
		at = aptxt_page_append(buf, at, line + 3, 5);
	}
	return at;
}
