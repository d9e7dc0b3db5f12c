// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_uuid.c - aptxt_parse_uuid(), the strict UUID form tools use.
 *
 * The input is handed over as a C string (NUL appended), so reading past
 * its end is an ASan error.  Checked on every input:
 *  - accepted iff the string is exactly 36 characters of UUID shape (what
 *    ap_text.h promises);
 *  - on failure the output is untouched;
 *  - on success the UUID prints as the lowercase of the text and parses
 *    back to the same 16 bytes.
 */
#include "fuzz_uuid_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *str = fuzz_strdup(data, size);
	u8 uuid[16], before[16];
	int rc;

	memset(uuid, 0x5a, sizeof(uuid));
	memcpy(before, uuid, sizeof(uuid));
	rc = aptxt_parse_uuid(str, uuid);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	FUZZ_CHECK((rc == 0) == (ref_uuid_shape(str) && str[APTXT_UUID_LEN] == '\0'));
	if (rc)
		FUZZ_CHECK(!memcmp(uuid, before, sizeof(uuid)));
	else
		check_uuid_round_trip(str, uuid);
	free(str);
	return 0;
}
