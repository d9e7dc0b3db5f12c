// SPDX-License-Identifier: GPL-2.0
/*
 * test_metadata.c - apv_metadata_parse/format, apv_fragment_parse,
 * apv_domain_xml_parse and the matrix set operations, through the public
 * API: what is accepted, every refusal with its exact message, and
 * format/parse round trips.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <apvirt/apvirt.h>

#define NS	"http://apvirt.org/xmlns/ap-matrix/1.0"
#define UUID	"0b2e5f4a-9d4c-4d0e-8f1a-1c2d3e4f5a6b"
#define HEAD	"<ap:matrix xmlns:ap=\"" NS "\" mdev=\"" UUID "\" lifecycle=\"managed\">"

static int parse_md(const char *text, struct apv_metadata *md, struct apv_error *err)
{
	apv_error_clear(err);
	return apv_metadata_parse(text, strlen(text), "t", md, err);
}

static int parse_frag(const char *text, struct apv_matrix *m, struct apv_error *err)
{
	apv_error_clear(err);
	return apv_fragment_parse(text, strlen(text), "f", m, err);
}

static void expect_md_error(const char *text, const char *msg)
{
	struct apv_metadata md;
	struct apv_error err;

	memset(&md, 0x5a, sizeof(md));
	assert_int_equal(parse_md(text, &md, &err), -EINVAL);
	assert_int_equal(err.code, EINVAL);
	assert_string_equal(err.msg, msg);
	/* the output is untouched on failure */
	assert_int_equal(((unsigned char *)&md)[0], 0x5a);
}

static void expect_frag_error(const char *text, const char *msg)
{
	struct apv_matrix m;
	struct apv_error err;

	assert_int_equal(parse_frag(text, &m, &err), -EINVAL);
	assert_string_equal(err.msg, msg);
}

static void test_metadata_full(void **state)
{
	struct apv_metadata md;
	struct apv_error err;

	(void)state;
	assert_int_equal(parse_md(HEAD "\n  <ap:adapter id=\"0x05\"/>\n  <!-- crypto -->\n"
				  "  <ap:domain id=\"4\"/><ap:control-domain id=\"0x0004\"/>"
				  "<ap:adapter id=\"0x00ff\"/></ap:matrix>", &md, &err), 0);
	assert_string_equal(md.mdev, UUID);
	assert_int_equal(md.lifecycle, APV_LIFECYCLE_MANAGED);
	assert_int_equal(apv_ids_weight(&md.matrix.apm), 2);
	assert_true(apv_ids_test(&md.matrix.apm, 5));
	assert_true(apv_ids_test(&md.matrix.apm, 255));
	assert_true(apv_ids_test(&md.matrix.aqm, 4));
	assert_true(apv_ids_test(&md.matrix.adm, 4));
}

static void test_metadata_default_ns_upper_uuid(void **state)
{
	struct apv_metadata md;
	struct apv_error err;

	(void)state;
	assert_int_equal(parse_md("<matrix xmlns=\"" NS "\" mdev=\"0B2E5F4A-9D4C-4D0E-8F1A-1C2D3E4F5A6B\""
				  " lifecycle=\"external\"/>", &md, &err), 0);
	assert_string_equal(md.mdev, UUID);
	assert_int_equal(md.lifecycle, APV_LIFECYCLE_EXTERNAL);
	assert_true(apv_matrix_empty(&md.matrix));
}

/* No mdev=: parsed, the UUID left to the domain's hostdev. */
static void test_metadata_without_mdev(void **state)
{
	struct apv_metadata md;
	struct apv_error err;
	char *text;

	(void)state;
	assert_int_equal(parse_md("<ap:matrix xmlns:ap=\"" NS "\" lifecycle=\"managed\">"
				  "<ap:adapter id=\"5\"/></ap:matrix>", &md, &err), 0);
	assert_string_equal(md.mdev, "");
	assert_true(apv_ids_test(&md.matrix.apm, 5));
	text = apv_metadata_format(&md);
	assert_string_equal(text, "<ap:matrix xmlns:ap=\"" NS "\" lifecycle=\"managed\">\n"
			    "  <ap:adapter id=\"0x05\"/>\n</ap:matrix>\n");
	free(text);
}

static void test_metadata_refusals(void **state)
{
	(void)state;
	expect_md_error("", "t: empty");
	expect_md_error("<ap:matrix", "t: line 1: Couldn't find end of Start Tag matrix line 1");
	expect_md_error("<matrix mdev=\"" UUID "\" lifecycle=\"managed\"/>",
			"t: line 1: expected <matrix> in namespace " NS ", found <matrix> without a namespace");
	expect_md_error("<matrix xmlns=\"https://example.org/ap/1\" mdev=\"" UUID "\" lifecycle=\"managed\"/>",
			"t: line 1: expected <matrix> in namespace " NS ", found <matrix> in namespace https://example.org/ap/1");
	expect_md_error("<ap:matrix xmlns:ap=\"" NS "\" mdev=\"x\" lifecycle=\"managed\"/>",
			"t: line 1: <matrix> needs mdev=\"UUID\" (8-4-4-4-12 hex digits), not \"x\"");
	expect_md_error("<ap:matrix xmlns:ap=\"" NS "\" mdev=\"" UUID "\" lifecycle=\"auto\"/>",
			"t: line 1: <matrix> needs lifecycle=\"managed\" or \"external\"");
	expect_md_error("<ap:matrix xmlns:ap=\"" NS "\" mdev=\"" UUID "\" lifecycle=\"managed\" x=\"1\"/>",
			"t: line 1: <matrix> has no attribute 'x'");
	expect_md_error(HEAD "<ap:adapter id=\"0x100\"/></ap:matrix>",
			"t: line 1: <adapter id=\"0x100\">: not an ID from 0 to 255 (0x05, 5)");
	expect_md_error(HEAD "<ap:domain id=\"0004\"/></ap:matrix>",
			"t: line 1: <domain id=\"0004\">: not an ID from 0 to 255 (0x05, 5)");
	expect_md_error(HEAD "<ap:domain id=\" 4\"/></ap:matrix>",
			"t: line 1: <domain id=\" 4\">: not an ID from 0 to 255 (0x05, 5)");
	expect_md_error(HEAD "<ap:domain/></ap:matrix>", "t: line 1: <domain> needs an id");
	expect_md_error(HEAD "\n<ap:adapter id=\"5\"/>\n<ap:adapter id=\"0x05\"/></ap:matrix>",
			"t: line 3: adapter 0x05 is listed twice");
	expect_md_error(HEAD "<ap:queue id=\"5\"/></ap:matrix>", "t: line 1: unexpected element <queue>");
	expect_md_error(HEAD "<adapter id=\"5\"/></ap:matrix>",
			"t: line 1: unexpected element <adapter> (not in the " NS " namespace)");
	expect_md_error(HEAD "0x05</ap:matrix>", "t: line 1: unexpected text \"0x05\"");
	expect_md_error(HEAD "<ap:adapter id=\"5\"><ap:domain id=\"1\"/></ap:adapter></ap:matrix>",
			"t: line 1: <adapter> has no child elements");
}

/* No DTD, no entity: not even a harmless internal one. */
static void test_metadata_no_dtd_no_entities(void **state)
{
	(void)state;
	expect_md_error("<!DOCTYPE m [<!ENTITY e \"0x05\">]>" HEAD "<ap:adapter id=\"&e;\"/></ap:matrix>",
			"t: a DOCTYPE is not allowed");
	expect_md_error("<!DOCTYPE m SYSTEM \"http://127.0.0.1:1/x.dtd\">" HEAD "</ap:matrix>",
			"t: a DOCTYPE is not allowed");
	expect_md_error(HEAD "<ap:adapter id=\"&e;\"/></ap:matrix>",
			"t: line 1: Entity 'e' not defined");
}

static void test_metadata_limits(void **state)
{
	size_t len = APV_METADATA_MAX + 1;
	char *big = malloc(len + 1);
	struct apv_metadata md;
	struct apv_error err;

	(void)state;
	assert_non_null(big);
	memset(big, ' ', len);
	big[len] = '\0';
	apv_error_clear(&err);
	assert_int_equal(apv_metadata_parse(big, len, "t", &md, &err), -EINVAL);
	assert_string_equal(err.msg, "t: 65537 bytes, more than the 65536 allowed");
	apv_error_clear(&err);
	assert_int_equal(apv_metadata_parse("<a>\0</a>", 8, "t", &md, &err), -EINVAL);
	assert_string_equal(err.msg, "t: a NUL byte is not XML");
	free(big);
}

static void test_metadata_format_roundtrip(void **state)
{
	struct apv_metadata md = { .lifecycle = APV_LIFECYCLE_EXTERNAL }, back;
	struct apv_error err;
	char *text;

	(void)state;
	strcpy(md.mdev, UUID);
	text = apv_metadata_format(&md);
	assert_string_equal(text, "<ap:matrix xmlns:ap=\"" NS "\" mdev=\"" UUID "\" lifecycle=\"external\"/>\n");
	free(text);
	apv_ids_set(&md.matrix.apm, 5);
	apv_ids_set(&md.matrix.apm, 6);
	apv_ids_set(&md.matrix.aqm, 4);
	apv_ids_set(&md.matrix.adm, 255);
	text = apv_metadata_format(&md);
	assert_string_equal(text, "<ap:matrix xmlns:ap=\"" NS "\" mdev=\"" UUID "\" lifecycle=\"external\">\n"
			    "  <ap:adapter id=\"0x05\"/>\n  <ap:adapter id=\"0x06\"/>\n"
			    "  <ap:domain id=\"0x0004\"/>\n  <ap:control-domain id=\"0x00ff\"/>\n"
			    "</ap:matrix>\n");
	assert_int_equal(parse_md(text, &back, &err), 0);
	assert_memory_equal(&back, &md, sizeof(md));
	free(text);
}

/* Every ID of every kind: the longest element still fits and parses. */
static void test_metadata_format_full(void **state)
{
	struct apv_metadata md = { .lifecycle = APV_LIFECYCLE_MANAGED }, back;
	struct apv_error err;
	char *text;

	(void)state;
	strcpy(md.mdev, UUID);
	for (unsigned int i = 0; i < APV_ID_COUNT; i++) {
		apv_ids_set(&md.matrix.apm, i);
		apv_ids_set(&md.matrix.aqm, i);
		apv_ids_set(&md.matrix.adm, i);
	}
	text = apv_metadata_format(&md);
	assert_true(strlen(text) < APV_METADATA_MAX);
	assert_int_equal(parse_md(text, &back, &err), 0);
	assert_memory_equal(&back, &md, sizeof(md));
	free(text);
}

static void test_fragments(void **state)
{
	struct apv_matrix m;
	struct apv_error err;

	(void)state;
	assert_int_equal(parse_frag("<ap:adapter xmlns:ap=\"" NS "\" id=\"0x05\"/>", &m, &err), 0);
	assert_int_equal(apv_ids_weight(&m.apm), 1);
	assert_true(apv_ids_test(&m.apm, 5));
	assert_true(apv_ids_empty(&m.aqm) && apv_ids_empty(&m.adm));
	assert_int_equal(parse_frag("<control-domain xmlns=\"" NS "\" id=\"7\"/>", &m, &err), 0);
	assert_true(apv_ids_test(&m.adm, 7));
	assert_int_equal(parse_frag("<matrix xmlns=\"" NS "\"><adapter id=\"1\"/><domain id=\"2\"/>"
				    "<domain id=\"3\"/></matrix>", &m, &err), 0);
	assert_int_equal(apv_ids_weight(&m.apm) + apv_ids_weight(&m.aqm), 3);
	expect_frag_error("<matrix xmlns=\"" NS "\"/>",
			  "f: line 1: <matrix> names no adapter, domain or control domain");
	expect_frag_error("<matrix xmlns=\"" NS "\" mdev=\"" UUID "\"><adapter id=\"1\"/></matrix>",
			  "f: line 1: <matrix> has no attribute 'mdev'");
	expect_frag_error("<hostdev mode=\"subsystem\"/>",
			  "f: line 1: expected <adapter>, <domain>, <control-domain> or <matrix> in namespace "
			  NS ", found <hostdev> without a namespace");
	expect_frag_error("<ap:adapter xmlns:ap=\"https://example.org/ap/1\" id=\"5\"/>",
			  "f: line 1: expected <adapter>, <domain>, <control-domain> or <matrix> in namespace "
			  NS ", found <adapter> in namespace https://example.org/ap/1");
	expect_frag_error("<ap:vcpu xmlns:ap=\"" NS "\"/>",
			  "f: line 1: expected <adapter>, <domain>, <control-domain> or <matrix> in namespace "
			  NS ", found <vcpu>");
}

#define DOMAIN_HEAD "<domain type='qemu'>\n  <name>guest1</name>\n"
#define AP_HOSTDEV(u) "<hostdev mode='subsystem' type='mdev' model='vfio-ap'><source>" \
		      "<address uuid='" u "'/></source></hostdev>"

static int parse_dx(const char *text, struct apv_domain_xml *dx, struct apv_error *err)
{
	apv_error_clear(err);
	return apv_domain_xml_parse(text, strlen(text), dx, err);
}

static void test_domain_xml(void **state)
{
	struct apv_domain_xml dx;
	struct apv_error err;

	(void)state;
	assert_int_equal(parse_dx(DOMAIN_HEAD "<metadata><other:x xmlns:other='urn:x'/>" HEAD
				  "<ap:adapter id='5'/></ap:matrix></metadata><devices>"
				  "<hostdev mode='subsystem' type='pci'/>" AP_HOSTDEV(UUID)
				  "</devices></domain>", &dx, &err), 0);
	assert_string_equal(dx.name, "guest1");
	assert_true(dx.has_metadata);
	assert_true(apv_ids_test(&dx.metadata.matrix.apm, 5));
	assert_int_equal(dx.ap_hostdevs, 1);
	assert_string_equal(dx.hostdev_mdev, UUID);
	assert_int_equal(apv_domain_xml_check_mdev(&dx, &err), 0);

	assert_int_equal(parse_dx(DOMAIN_HEAD "<devices/></domain>", &dx, &err), 0);
	assert_false(dx.has_metadata);
	assert_int_equal(dx.ap_hostdevs, 0);
}

static void test_domain_xml_mdev_disagrees(void **state)
{
	struct apv_domain_xml dx;
	struct apv_error err;

	(void)state;
	assert_int_equal(parse_dx(DOMAIN_HEAD "<metadata>" HEAD "</ap:matrix></metadata><devices>"
				  AP_HOSTDEV("11111111-1111-4111-8111-111111111111")
				  "</devices></domain>", &dx, &err), 0);
	assert_int_equal(apv_domain_xml_check_mdev(&dx, &err), -EINVAL);
	assert_string_equal(err.msg, "domain guest1: its apvirt metadata names mdev " UUID
			    " but its vfio-ap hostdev names mdev 11111111-1111-4111-8111-111111111111; make them agree");
	assert_int_equal(parse_dx(DOMAIN_HEAD "<metadata>" HEAD "</ap:matrix></metadata><devices>"
				  AP_HOSTDEV(UUID) AP_HOSTDEV(UUID) "</devices></domain>", &dx, &err), 0);
	apv_error_clear(&err);
	assert_int_equal(apv_domain_xml_check_mdev(&dx, &err), -EINVAL);
	assert_string_equal(err.msg, "domain guest1 has 2 vfio-ap hostdevs; a guest takes one");
}

#define HEAD_NO_MDEV "<ap:matrix xmlns:ap=\"" NS "\" lifecycle=\"managed\">"

/* A metadata without mdev= takes the UUID of the one vfio-ap hostdev. */
static void test_domain_xml_mdev_from_hostdev(void **state)
{
	struct apv_domain_xml dx;
	struct apv_error err;

	(void)state;
	assert_int_equal(parse_dx(DOMAIN_HEAD "<metadata>" HEAD_NO_MDEV "</ap:matrix></metadata><devices>"
				  AP_HOSTDEV("11111111-1111-4111-8111-111111111111")
				  "</devices></domain>", &dx, &err), 0);
	assert_string_equal(dx.metadata.mdev, "11111111-1111-4111-8111-111111111111");
	assert_int_equal(apv_domain_xml_check_mdev(&dx, &err), 0);
	assert_int_equal(parse_dx(DOMAIN_HEAD "<metadata>" HEAD_NO_MDEV "</ap:matrix></metadata>"
				  "<devices/></domain>", &dx, &err), -EINVAL);
	assert_string_equal(err.msg, "domain guest1: its apvirt metadata names no mdev and it has 0 vfio-ap hostdevs; name the mdev with mdev=\"UUID\", or give the domain one vfio-ap hostdev");
	assert_int_equal(parse_dx(DOMAIN_HEAD "<metadata>" HEAD_NO_MDEV "</ap:matrix></metadata><devices>"
				  AP_HOSTDEV(UUID) AP_HOSTDEV(UUID) "</devices></domain>", &dx, &err), -EINVAL);
	assert_string_equal(err.msg, "domain guest1: its apvirt metadata names no mdev and it has 2 vfio-ap hostdevs; name the mdev with mdev=\"UUID\", or give the domain one vfio-ap hostdev");
}

static void test_domain_xml_refusals(void **state)
{
	struct apv_domain_xml dx;
	struct apv_error err;

	(void)state;
	assert_int_equal(parse_dx("<vm/>", &dx, &err), -EINVAL);
	assert_string_equal(err.msg, "domain XML: line 1: the root element is <vm>, not <domain>");
	assert_int_equal(parse_dx("<domain><metadata>" HEAD "</ap:matrix></metadata></domain>", &dx, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "domain XML: line 1: <domain> has no <name>");
	assert_int_equal(parse_dx(DOMAIN_HEAD "<metadata>" HEAD "</ap:matrix>" HEAD
				  "</ap:matrix></metadata></domain>", &dx, &err), -EINVAL);
	assert_string_equal(err.msg, "domain XML: line 3: a second element in namespace " NS);
	assert_int_equal(parse_dx(DOMAIN_HEAD "<metadata>" HEAD "<ap:adapter id='300'/></ap:matrix>"
				  "</metadata></domain>", &dx, &err), -EINVAL);
	assert_string_equal(err.msg, "domain XML: line 3: <adapter id=\"300\">: not an ID from 0 to 255 (0x05, 5)");
	assert_int_equal(parse_dx(DOMAIN_HEAD "<metadata>" HEAD "</ap:matrix></metadata>"
				  "<devices><hostdev type='mdev' model='vfio-ap'><source>"
				  "<address uuid='nope'/></source></hostdev></devices></domain>", &dx, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "domain XML: line 3: the vfio-ap hostdev has no valid <source><address uuid=.../>");
	assert_int_equal(parse_dx(DOMAIN_HEAD "<metadata>" HEAD "</ap:matrix></metadata>"
				  "<devices>\n<hostdev type='mdev' model='vfio-ap'/></devices></domain>",
				  &dx, &err), -EINVAL);
	assert_string_equal(err.msg, "domain XML: line 4: the vfio-ap hostdev has no valid <source><address uuid=.../>");
}

/*
 * A domain without apvirt metadata is not apvirt's: nothing else in its XML
 * is judged (the hook must let it start, whatever its name or hostdevs).
 */
static void test_domain_xml_not_ours(void **state)
{
	char name[400] = "<domain><name>", *p = name + strlen(name);
	struct apv_domain_xml dx;
	struct apv_error err;

	(void)state;
	assert_int_equal(parse_dx("<domain/>", &dx, &err), 0);
	assert_false(dx.has_metadata);
	assert_int_equal(parse_dx("<domain><description>" NS "</description><devices>"
				  "<hostdev type='mdev' model='vfio-ap'/></devices></domain>", &dx, &err), 0);
	assert_false(dx.has_metadata);
	memset(p, 'n', 300);
	strcpy(p + 300, "</name></domain>");
	assert_int_equal(parse_dx(name, &dx, &err), 0);
	assert_false(dx.has_metadata);
}

static void test_matrix_sets(void **state)
{
	struct apv_matrix a = { 0 }, b = { 0 }, gone, come;
	unsigned int apid = 0, apqi = 0;

	(void)state;
	apv_ids_set(&a.apm, 5);
	apv_ids_set(&a.aqm, 4);
	apv_ids_set(&b.apm, 6);
	apv_ids_set(&b.aqm, 4);
	assert_false(apv_matrix_overlap(&a, &b, &apid, &apqi));
	apv_matrix_merge(&b, &a);
	assert_true(apv_matrix_contains(&b, &a));
	assert_false(apv_matrix_contains(&a, &b));
	assert_true(apv_matrix_overlap(&a, &b, &apid, &apqi));
	assert_int_equal(apid, 5);
	assert_int_equal(apqi, 4);
	apv_matrix_diff(&a, &b, &gone, &come);
	assert_true(apv_matrix_empty(&gone));
	assert_int_equal(apv_ids_weight(&come.apm), 1);
	assert_true(apv_ids_test(&come.apm, 6));
	apv_matrix_subtract(&b, &a);
	assert_false(apv_ids_test(&b.apm, 5));
	assert_true(apv_ids_empty(&b.aqm));
	assert_true(apv_ids_test(&b.apm, 6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metadata_full),
		cmocka_unit_test(test_metadata_default_ns_upper_uuid),
		cmocka_unit_test(test_metadata_without_mdev),
		cmocka_unit_test(test_metadata_refusals),
		cmocka_unit_test(test_metadata_no_dtd_no_entities),
		cmocka_unit_test(test_metadata_limits),
		cmocka_unit_test(test_metadata_format_roundtrip),
		cmocka_unit_test(test_metadata_format_full),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_domain_xml),
		cmocka_unit_test(test_domain_xml_mdev_disagrees),
		cmocka_unit_test(test_domain_xml_mdev_from_hostdev),
		cmocka_unit_test(test_domain_xml_refusals),
		cmocka_unit_test(test_domain_xml_not_ours),
		cmocka_unit_test(test_matrix_sets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
