// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_apqn.c - aptxt_parse_apqn(), "XX.YYYY" queue names
 * (docs/kernel-abi.md §1.1, §3.5).
 *
 * The input is handed over as a C string.  Checked on every input:
 *  - accepted iff it is exactly 7 characters: 2 hex digits, '.', 4 hex
 *    digits (either case), with the APQI at most 0xff;
 *  - on failure both outputs are untouched;
 *  - on success aptxt_format_apqn() gives back the lowercase input.
 */
#include "fuzz_check.h"

#define APQN_UNTOUCHED 0xbadu

static bool ref_apqn(const char *s, unsigned int *apid, unsigned int *apqi)
{
	int i;

	if (strlen(s) != 7 || s[2] != '.')
		return false;
	for (i = 0; i < 7; i++)
		if (i != 2 && !isxdigit((unsigned char)s[i]))
			return false;
	*apid = (unsigned int)strtoul((char[]){ s[0], s[1], '\0' }, NULL, 16);
	*apqi = (unsigned int)strtoul(s + 3, NULL, 16);
	return *apqi <= 0xff;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *str = fuzz_strdup(data, size), out[8];
	unsigned int apid = APQN_UNTOUCHED, apqi = APQN_UNTOUCHED, want_apid, want_apqi;
	bool want_ok = ref_apqn(str, &want_apid, &want_apqi);
	int rc, i;

	rc = aptxt_parse_apqn(str, &apid, &apqi);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	FUZZ_CHECK((rc == 0) == want_ok);
	if (rc) {
		FUZZ_CHECK(apid == APQN_UNTOUCHED && apqi == APQN_UNTOUCHED);
	} else {
		FUZZ_CHECK(apid == want_apid && apqi == want_apqi);
		aptxt_format_apqn(apid, apqi, out);
		for (i = 0; i < 8; i++)
			FUZZ_CHECK(out[i] == tolower((unsigned char)str[i]));
	}
	free(str);
	return 0;
}
