/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ap_text.h - exact parsers and formatters for the vfio_ap / AP bus sysfs
 * text (docs/kernel-abi.md §2.3, §2.4, §3.1, §3.2, §4.5.3).
 *
 * Parsers take (buf, count) as a sysfs store receives them: the text ends
 * at count or at the first NUL, whichever comes first.  They return 0 or a
 * negative errno, never print, and write their output only on success.
 *
 * Formatters write into a page buffer (APC_PAGE_SIZE) and return the number
 * of characters, capped like scnprintf at PAGE_SIZE - 1.
 */
#ifndef APVIRT_CORE_AP_TEXT_H
#define APVIRT_CORE_AP_TEXT_H

#include "ap_bitmap.h"

#define APTXT_AP_CONFIG_LEN	201	/* 3 x (0x + 64 hex) + 2 commas + \n */
#define APTXT_UUID_LEN		36

/*
 * kstrtoul(buf, 0, &val) as sysfs stores use it: optional '+', 0x/0X hex,
 * leading 0 octal, else decimal; exactly one trailing '\n' allowed.
 * -EINVAL for anything else (incl. empty, "\n", spaces, '-'), -ERANGE when
 * the digits overflow 64 bits (checked before trailing garbage).
 */
int aptxt_kstrtoul(const char *buf, size_t count, u64 *val);

/*
 * sscanf(buf, "%d\n", &val) == 1 (@base0 false) or "%i\n" (@base0 true),
 * as the kernel's vsscanf() does it: leading white space (the kernel's
 * isspace(), Latin-1 NBSP included) is skipped, one '-' is taken, then a
 * decimal digit must follow ('+' and "" are -EINVAL).  %i picks the base
 * like C (0x, 0); %d reads "0x1" as 0.  The digits accumulate modulo 2^64
 * with no length limit or range error, the result is truncated to int
 * (4294967326 gives 30) and whatever follows the digits is ignored.
 */
int aptxt_sscanf_int(const char *buf, size_t count, bool base0, int *val);
/*
 * sscanf(buf, "%llu\n", &val) == 1: leading white space skipped, then a
 * decimal digit must follow ('+', '-' and "" are -EINVAL); the digits
 * accumulate modulo 2^64 with no range error ("18446744073709551617"
 * gives 1), "0x10" reads as 0 and whatever follows the digits is ignored.
 */
int aptxt_sscanf_ull(const char *buf, size_t count, u64 *val);
/* The kernel's isspace() (lib/ctype.c): Latin-1 NBSP counts as a blank. */
bool aptxt_isspace(char c);

/*
 * AP bus mask write (ap_parse_bitmap_str): the first character picks the
 * mode.  '+' or '-': relative, applied to a copy of @cur, terms
 * "<sign><num>[-<num>]" separated by runs of ',' or '\n', last wins, e.g.
 * "+0-15,+32,-128,-0xFF".  Anything else: absolute hex, see
 * aptxt_parse_hexmask().  @out is written only on success.
 */
int aptxt_parse_mask(const char *buf, size_t count, const struct apbm *cur, struct apbm *out);

/*
 * Absolute hex mask (ap_hex2bitmap): optional "0x" or a single "x" (not
 * "0X"), then up to 64 hex digits filling IDs left to right (zero padded on
 * the right), one optional trailing '\n'.  Empty, "\n", "0x" are valid
 * (all zero).  More digits or any other character: -EINVAL.
 */
int aptxt_parse_hexmask(const char *buf, size_t count, struct apbm *out);

/*
 * ap_config write: the first APTXT_AP_CONFIG_LEN bytes are split like
 * strsep(",\n"); the first three tokens are absolute hex masks (apm, aqm,
 * adm).  Fewer than three tokens or a bad token: -EINVAL.  Text after the
 * third separator is ignored.  Note the strsep quirk: "A,B\n" has the three
 * tokens "A", "B" and "".
 */
int aptxt_parse_ap_config(const char *buf, size_t count,
			  struct apbm *apm, struct apbm *aqm, struct apbm *adm);

/*
 * UUID as the mdev core's create takes it: count must be 36 or 37; the
 * first 36 characters must be 8-4-4-4-12 hex digits (either case); a 37th
 * byte is not looked at.  @uuid gets the 16 bytes.
 */
int aptxt_parse_create_uuid(const char *buf, size_t count, u8 uuid[16]);
/* Strict form for tools and paths: a string of exactly 36 characters. */
int aptxt_parse_uuid(const char *str, u8 uuid[16]);
/* Lowercase 8-4-4-4-12, NUL terminated, 37 bytes. */
void aptxt_format_uuid(const u8 uuid[16], char out[APTXT_UUID_LEN + 1]);

/* "0x" + 64 lowercase hex digits (no newline); returns 66. */
int aptxt_format_hexmask(const struct apbm *b, char *buf);
/* apmask/aqmask read: "0x" + 64 hex + "\n". */
int aptxt_format_mask_line(const struct apbm *b, char *buf);
/* ap_config read: exactly 201 characters. */
int aptxt_format_ap_config(const struct apbm *apm, const struct apbm *aqm,
			   const struct apbm *adm, char *buf);
/*
 * matrix / guest_matrix: APQN product lines "%02x.%04x\n" (APID outer),
 * or "%02x.\n" / ".%04x\n" when one dimension is empty; bits above
 * apm_max / aqm_max are not shown; capped at one page like scnprintf.
 */
int aptxt_format_matrix(const struct apbm *apm, unsigned int apm_max,
			const struct apbm *aqm, unsigned int aqm_max, char *buf);
/* control_domains: "%04x\n" per ID <= adm_max. */
int aptxt_format_domains(const struct apbm *adm, unsigned int adm_max, char *buf);
/* APQN text "%02x.%04x", NUL terminated, 8 bytes. */
void aptxt_format_apqn(unsigned int apid, unsigned int apqi, char out[8]);
/* Parse "XX.YYYY" (hex, exactly 2 + 1 + 4 characters). */
int aptxt_parse_apqn(const char *str, unsigned int *apid, unsigned int *apqi);

#endif /* APVIRT_CORE_AP_TEXT_H */
