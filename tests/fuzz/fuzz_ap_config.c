// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_ap_config.c - aptxt_parse_ap_config(), the mdev ap_config write
 * (docs/kernel-abi.md §2.4, §4.5.3).
 *
 * Checked on every input:
 *  - the result agrees with a reference that does what the kernel does:
 *    kstrndup() to 201 bytes, libc strsep(",\n") for three tokens, each an
 *    absolute hex mask;
 *  - on failure none of the three outputs is written;
 *  - on success the read format is exactly 201 characters with ',' at 66
 *    and 133 and '\n' at 200, and parses back to the same three masks.
 */
#include "fuzz_check.h"

static int ref_ap_config(const uint8_t *data, size_t size, struct apbm m[3])
{
	size_t len = fuzz_text_len(data, size);
	char *copy, *rest, *tok;
	int i, rc = 0;

	if (len > APTXT_AP_CONFIG_LEN)
		len = APTXT_AP_CONFIG_LEN;
	copy = fuzz_strdup(data, len);
	rest = copy;
	for (i = 0; i < 3 && !rc; i++) {
		tok = strsep(&rest, ",\n");
		if (!tok || aptxt_parse_hexmask(tok, strlen(tok), &m[i]))
			rc = -EINVAL;
	}
	free(copy);
	return rc;
}

static void check_round_trip(const struct apbm m[3])
{
	char text[APC_PAGE_SIZE];
	struct apbm got[3];
	int n = aptxt_format_ap_config(&m[0], &m[1], &m[2], text), i;

	FUZZ_CHECK(n == APTXT_AP_CONFIG_LEN && text[n] == '\0');
	FUZZ_CHECK(text[66] == ',' && text[133] == ',' && text[200] == '\n');
	FUZZ_CHECK(aptxt_parse_ap_config(text, (size_t)n, &got[0], &got[1], &got[2]) == 0);
	for (i = 0; i < 3; i++)
		FUZZ_CHECK(apbm_equal(&got[i], &m[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apbm out[3], want[3];
	int rc, i;

	for (i = 0; i < 3; i++)
		fuzz_poison_mask(&out[i]);
	rc = aptxt_parse_ap_config((const char *)data, size, &out[0], &out[1], &out[2]);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	FUZZ_CHECK(rc == ref_ap_config(data, size, want));
	if (rc) {
		for (i = 0; i < 3; i++)
			FUZZ_CHECK(fuzz_mask_poisoned(&out[i]));
		return 0;
	}
	for (i = 0; i < 3; i++)
		FUZZ_CHECK(apbm_equal(&out[i], &want[i]));
	check_round_trip(out);
	return 0;
}
