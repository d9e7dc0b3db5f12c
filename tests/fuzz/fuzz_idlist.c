// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_idlist.c - apv_idlist_parse(), the CLI's "+0x04-0x07,-5" lists.
 *
 * Checked on every input: failure leaves both sets untouched with a
 * message; success gives disjoint sets, and the added set printed by
 * apv_ids_format() parses back to itself.
 */
#include "fuzz_lib_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strdup(data, size), buf[4096];
	struct apv_ids add, del, both, again, none;
	struct apv_error err = { 0 };
	int rc;

	apv_ids_zero(&add);
	apv_ids_zero(&del);
	apv_ids_set(&add, 200);
	rc = apv_idlist_parse(text, &add, &del, &err);
	if (rc) {
		fuzz_check_error(rc, &err);
		FUZZ_CHECK(apv_ids_weight(&add) == 1 && apv_ids_test(&add, 200));
		FUZZ_CHECK(apv_ids_empty(&del));
		free(text);
		return 0;
	}
	apv_ids_and(&both, &add, &del);
	FUZZ_CHECK(apv_ids_empty(&both));
	if (!apv_ids_empty(&add)) {
		FUZZ_CHECK(apv_ids_format(&add, 2, buf, sizeof(buf)) > 0);
		apv_ids_zero(&again);
		apv_ids_zero(&none);
		FUZZ_CHECK(apv_idlist_parse(buf, &again, &none, NULL) == 0);
		FUZZ_CHECK(apv_ids_equal(&again, &add) && apv_ids_empty(&none));
	}
	free(text);
	return 0;
}
