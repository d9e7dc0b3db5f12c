// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_metadata.c - the XML parsers of libapvirt: the <ap:matrix>
 * metadata element, attach-device fragments and whole domain XML.
 *
 * The first byte picks the parser, the rest is its input.  Checked on
 * every input: a failure leaves @out untouched and one message line that
 * names the input; a metadata element that parses formats to a text that
 * parses back to the same value (both the namespaced form and the bare
 * one libvirt takes); a fragment names at least one ID.
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
	FUZZ_CHECK(apv_uuid_valid(md.mdev));
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;

	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0: fuzz_one_metadata(text, size - 1, false); break;
	case 1: fuzz_one_metadata(text, size - 1, true); break;
	case 2: fuzz_one_fragment(text, size - 1); break;
	default: fuzz_one_domain(text, size - 1); break;
	}
	return 0;
}
