// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_metadata.c - the XML parsers of libapvirt: the <ap:matrix>
 * metadata element, attach-device fragments, whole domain XML and the
 * status element apvirtd publishes (<st:status>).
 *
 * The first byte picks the parser (modulo 6: 0/1 metadata without/with
 * the implicit namespace, 2 fragment, 3 domain XML, 4/5 status
 * without/with it), the rest is its input.  Checked on every input: a
 * failure leaves @out untouched and one message line that names the
 * input; a metadata element or a status that parses formats to a text
 * that parses back to the same value (both the namespaced form and the
 * bare one libvirt takes); a fragment names at least one ID; a status
 * has a reason exactly when it is a refusal.
 */
#include "fuzz_lib_common.h"

#include "internal.h"

static void fuzz_roundtrip(const struct apv_metadata *md)
{
	struct apv_error err = { 0 };
	struct apv_metadata back;
	char *text = apv_metadata_format(md);

	FUZZ_CHECK(text != NULL);
	FUZZ_CHECK(apv_metadata_parse(text, strlen(text), "again", &back, &err) == 0);
	FUZZ_CHECK(!memcmp(&back, md, sizeof(back)));
	free(text);
	text = apv_metadata_format_bare(md);
	FUZZ_CHECK(text != NULL);
	FUZZ_CHECK(apv_metadata_parse_opts(text, strlen(text), "bare", true, &back, &err) == 0);
	FUZZ_CHECK(!memcmp(&back, md, sizeof(back)));
	free(text);
}

static void fuzz_one_metadata(const char *text, size_t len, bool implicit_ns)
{
	struct apv_error err = { 0 };
	struct apv_metadata md;
	int rc;

	memset(&md, 0xa5, sizeof(md));
	rc = apv_metadata_parse_opts(text, len, "m", implicit_ns, &md, &err);
	if (rc) {
		fuzz_check_error(rc, &err);
		FUZZ_CHECK(!strncmp(err.msg, "m: ", 3) || err.code == ENOMEM);
		FUZZ_CHECK(((unsigned char *)&md)[0] == 0xa5);
		return;
	}
	/* empty: no mdev=, left to the domain's hostdev */
	FUZZ_CHECK(!md.mdev[0] || apv_uuid_valid(md.mdev));
	fuzz_roundtrip(&md);
}

static void fuzz_one_fragment(const char *text, size_t len)
{
	struct apv_error err = { 0 };
	struct apv_matrix m;
	int rc;

	rc = apv_fragment_parse(text, len, "f", &m, &err);
	if (rc) {
		fuzz_check_error(rc, &err);
		FUZZ_CHECK(!strncmp(err.msg, "f: ", 3) || err.code == ENOMEM);
		return;
	}
	FUZZ_CHECK(!apv_matrix_empty(&m));
}

static void fuzz_one_domain(const char *text, size_t len)
{
	struct apv_error err = { 0 };
	struct apv_domain_xml dx;
	int rc;

	rc = apv_domain_xml_parse(text, len, &dx, &err);
	if (rc) {
		fuzz_check_error(rc, &err);
		return;
	}
	/* a domain without apvirt metadata is not apvirt's: nothing else is read */
	if (!dx.has_metadata) {
		FUZZ_CHECK(!dx.name[0] && !dx.ap_hostdevs);
		return;
	}
	FUZZ_CHECK(dx.name[0] && strlen(dx.name) < sizeof(dx.name));
	FUZZ_CHECK(!dx.ap_hostdevs || apv_uuid_valid(dx.hostdev_mdev));
	fuzz_roundtrip(&dx.metadata);
	rc = apv_domain_xml_check_mdev(&dx, &err);
	if (rc)
		fuzz_check_error(rc, &err);
}

static void fuzz_status_roundtrip(const struct apv_status *st, bool bare)
{
	struct apv_error err = { 0 };
	struct apv_status back;
	char *text = apv_status_format(st, bare);

	FUZZ_CHECK(text != NULL);
	memset(&back, 0, sizeof(back));
	FUZZ_CHECK(apv_status_parse(text, strlen(text), "again", bare, &back, &err) == 0);
	FUZZ_CHECK(back.result == st->result && back.generation == st->generation &&
		   back.time == st->time);
	FUZZ_CHECK(!strcmp(back.digest, st->digest) && !strcmp(back.mdev, st->mdev));
	FUZZ_CHECK(!strcmp(back.reason, st->reason));
	FUZZ_CHECK(apv_matrix_equal(&back.matrix, &st->matrix));
	free(text);
}

static void fuzz_one_status(const char *text, size_t len, bool implicit_ns)
{
	struct apv_error err = { 0 };
	struct apv_status st;
	int rc;

	memset(&st, 0xa5, sizeof(st));
	rc = apv_status_parse(text, len, "s", implicit_ns, &st, &err);
	if (rc) {
		fuzz_check_error(rc, &err);
		FUZZ_CHECK(!strncmp(err.msg, "s: ", 3) || err.code == ENOMEM);
		FUZZ_CHECK(((unsigned char *)&st)[0] == 0xa5);
		return;
	}
	FUZZ_CHECK(apv_uuid_valid(st.mdev) && strlen(st.digest) == APV_DIGEST_HEX_LEN);
	FUZZ_CHECK(st.generation >= 1 && st.generation <= APV_STATUS_GENERATION_MAX);
	FUZZ_CHECK((st.result == APV_STATUS_REFUSED) == (st.reason[0] != '\0'));
	fuzz_status_roundtrip(&st, false);
	fuzz_status_roundtrip(&st, true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;

	if (size < 1)
		return 0;
	switch (data[0] % 6) {
	case 0: fuzz_one_metadata(text, size - 1, false); break;
	case 1: fuzz_one_metadata(text, size - 1, true); break;
	case 2: fuzz_one_fragment(text, size - 1); break;
	case 3: fuzz_one_domain(text, size - 1); break;
	case 4: fuzz_one_status(text, size - 1, false); break;
	default: fuzz_one_status(text, size - 1, true); break;
	}
	return 0;
}
