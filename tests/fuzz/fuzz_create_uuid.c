// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_create_uuid.c - aptxt_parse_create_uuid(), the mdev type's
 * "create" write (docs/kernel-abi.md §2.3).
 *
 * Checked on every input (the whole input is the write, count = size):
 *  - accepted iff count is 36 or 37 and the first 36 bytes have the UUID
 *    shape; the 37th byte is never looked at;
 *  - on failure the output is untouched;
 *  - on success the UUID prints as the lowercase of the text and parses
 *    back to the same 16 bytes.
 */
#include "fuzz_uuid_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const u8 untouched[16] = { 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
					  0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5 };
	const char *buf = (const char *)data;
	bool want_ok;
	u8 uuid[16];
	int rc;

	memcpy(uuid, untouched, sizeof(uuid));
	rc = aptxt_parse_create_uuid(buf, size, uuid);
	want_ok = (size == APTXT_UUID_LEN || size == APTXT_UUID_LEN + 1) && ref_uuid_shape(buf);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	FUZZ_CHECK((rc == 0) == want_ok);
	if (rc) {
		FUZZ_CHECK(!memcmp(uuid, untouched, sizeof(uuid)));
		return 0;
	}
	check_uuid_round_trip(buf, uuid);
	return 0;
}
