// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_profile.c - apv_profile_parse(), mdevctl's JSON profile.
 *
 * Checked on every input: failure gives a message and no profile; a
 * parsed profile survives a round trip through apv_profile_to_json()
 * with the same matrix and start, and after apv_profile_set_matrix() the
 * written JSON parses back to exactly the matrix that was set.
 */
#include "fuzz_lib_common.h"

static struct apv_profile *reparse(const struct apv_profile *p)
{
	char *json = apv_profile_to_json(p);
	struct apv_profile *q = NULL;

	FUZZ_CHECK(json != NULL);
	FUZZ_CHECK(apv_profile_parse(json, strlen(json), NULL, &q, NULL) == 0);
	free(json);
	return q;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apv_profile *p = NULL, *q;
	struct apv_error err = { 0 };
	struct apv_matrix m;
	int rc;

	rc = apv_profile_parse((const char *)data, size, NULL, &p, &err);
	if (rc) {
		fuzz_check_error(rc, &err);
		FUZZ_CHECK(p == NULL);
		return 0;
	}
	q = reparse(p);
	FUZZ_CHECK(apv_matrix_equal(apv_profile_matrix(p), apv_profile_matrix(q)));
	FUZZ_CHECK(apv_profile_autostart(p) == apv_profile_autostart(q));
	apv_profile_free(q);
	/* A matrix derived from the input, so it varies with it. */
	m = *apv_profile_matrix(p);
	apv_ids_set(&m.apm, (unsigned int)data[0]);
	apv_ids_set(&m.adm, (unsigned int)data[size - 1]);
	FUZZ_CHECK(apv_profile_set_matrix(p, &m, NULL) == 0);
	q = reparse(p);
	FUZZ_CHECK(apv_matrix_equal(apv_profile_matrix(q), &m));
	apv_profile_free(q);
	apv_profile_free(p);
	return 0;
}
