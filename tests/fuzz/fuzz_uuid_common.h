/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz_uuid_common.h - the UUID reference shared by fuzz_create_uuid and
 * fuzz_uuid: 8-4-4-4-12 hex digits of either case.
 */
#ifndef APVIRT_FUZZ_UUID_COMMON_H
#define APVIRT_FUZZ_UUID_COMMON_H

#include "fuzz_check.h"

static inline bool uuid_is_dash_pos(int i)
{
	return i == 8 || i == 13 || i == 18 || i == 23;
}

/* Does s[0..35] have the UUID shape?  (A NUL fails either test.) */
static inline bool ref_uuid_shape(const char *s)
{
	int i;

	for (i = 0; i < APTXT_UUID_LEN; i++) {
		if (uuid_is_dash_pos(i) ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

/*
 * A parsed UUID prints as the lowercase of its text, and that text parses
 * back to it through both the strict and the create form.
 */
static inline void check_uuid_round_trip(const char *text, const u8 uuid[16])
{
	char out[APTXT_UUID_LEN + 2];
	u8 again[16];
	int i;

	aptxt_format_uuid(uuid, out);
	FUZZ_CHECK(strlen(out) == APTXT_UUID_LEN);
	for (i = 0; i < APTXT_UUID_LEN; i++)
		FUZZ_CHECK(out[i] == tolower((unsigned char)text[i]));
	FUZZ_CHECK(aptxt_parse_uuid(out, again) == 0 && !memcmp(again, uuid, 16));
	memset(again, 0, sizeof(again));
	out[APTXT_UUID_LEN] = '\n';
	FUZZ_CHECK(aptxt_parse_create_uuid(out, APTXT_UUID_LEN + 1, again) == 0);
	FUZZ_CHECK(!memcmp(again, uuid, 16));
}

#endif /* APVIRT_FUZZ_UUID_COMMON_H */
