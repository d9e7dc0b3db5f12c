// SPDX-License-Identifier: GPL-2.0
/*
 * test_virt.c - apv_virt_* against libvirt's test driver (test:///default,
 * one in-process state shared by every connection of this process): the
 * metadata read and written per side, the hostdev UUID, the resolution of
 * CURRENT/LIVE/CONFIG with libvirt's refusals, lookups and the listing.
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
#include <libvirt/libvirt.h>

#include <apvirt/apvirt.h>

#define URI	"test:///default"
#define UUID	"0b2e5f4a-9d4c-4d0e-8f1a-1c2d3e4f5a6b"

/* A shut-off persistent domain "zoff" and a running transient "ztrans". */
static const char off_xml[] =
	"<domain type='test'><name>zoff</name><memory>65536</memory>"
	"<os><type>hvm</type></os><devices>"
	"<hostdev mode='subsystem' type='mdev' model='vfio-ap'><source>"
	"<address uuid='" UUID "'/></source></hostdev></devices></domain>";
static const char trans_xml[] =
	"<domain type='test'><name>ztrans</name><memory>65536</memory>"
	"<os><type>hvm</type></os></domain>";

struct fixture {
	virConnectPtr conn;		/* the test's own handle on the state */
	struct apv_virt *v;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct apv_error err = { 0 };
	virDomainPtr d;

	f->conn = virConnectOpen(URI);
	assert_non_null(f->conn);
	d = virDomainDefineXML(f->conn, off_xml);
	assert_non_null(d);
	virDomainFree(d);
	d = virDomainCreateXML(f->conn, trans_xml, 0);
	assert_non_null(d);
	virDomainFree(d);
	assert_int_equal(apv_virt_open(URI, &f->v, &err), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	apv_virt_close(f->v);
	virConnectClose(f->conn);
	free(f);
	return 0;
}

static struct apv_virt_domain *lookup(struct fixture *f, const char *name)
{
	struct apv_virt_domain *d = NULL;
	struct apv_error err = { 0 };

	assert_int_equal(apv_virt_lookup(f->v, name, &d, &err), 0);
	return d;
}

static void test_lookup(void **state)
{
	struct fixture *f = *state;
	struct apv_virt_domain *d = lookup(f, "test");
	struct apv_error err = { 0 };

	assert_string_equal(apv_virt_domain_name(d), "test");
	assert_true(apv_virt_domain_active(d));
	assert_true(apv_virt_domain_persistent(d));
	apv_virt_domain_free(d);
	assert_int_equal(apv_virt_lookup(f->v, "nope", &d, &err), -ENOENT);
	assert_string_equal(err.msg, "failed to get domain 'nope'");
}

static void test_impact(void **state)
{
	struct fixture *f = *state;
	struct apv_virt_domain *run = lookup(f, "test"), *off = lookup(f, "zoff"),
			       *trans = lookup(f, "ztrans");
	struct apv_error err = { 0 };
	unsigned int got = 99;

	assert_int_equal(apv_virt_resolve_impact(run, APV_VIRT_CURRENT, &got, &err), 0);
	assert_int_equal(got, APV_VIRT_LIVE);
	assert_int_equal(apv_virt_resolve_impact(off, APV_VIRT_CURRENT, &got, &err), 0);
	assert_int_equal(got, APV_VIRT_CONFIG);
	assert_int_equal(apv_virt_resolve_impact(run, APV_VIRT_LIVE | APV_VIRT_CONFIG, &got, &err), 0);
	assert_int_equal(got, APV_VIRT_LIVE | APV_VIRT_CONFIG);
	assert_int_equal(apv_virt_resolve_impact(off, APV_VIRT_LIVE, &got, &err), -EINVAL);
	assert_string_equal(err.msg, "Requested operation is not valid: domain is not running");
	apv_error_clear(&err);
	assert_int_equal(apv_virt_resolve_impact(trans, APV_VIRT_CONFIG, &got, &err), -EINVAL);
	assert_string_equal(err.msg, "Requested operation is not valid: transient domains do not have any persistent config");
	apv_virt_domain_free(run);
	apv_virt_domain_free(off);
	apv_virt_domain_free(trans);
}

static void test_metadata_sides(void **state)
{
	struct fixture *f = *state;
	struct apv_virt_domain *d = lookup(f, "test");
	struct apv_metadata md = { .lifecycle = APV_LIFECYCLE_MANAGED };
	struct apv_domain_xml live, cfg;
	struct apv_error err = { 0 };

	strcpy(md.mdev, UUID);
	apv_ids_set(&md.matrix.apm, 5);
	assert_int_equal(apv_virt_read(d, APV_VIRT_LIVE, &live, &err), 0);
	assert_false(live.has_metadata);
	assert_int_equal(apv_virt_set_metadata(d, APV_VIRT_LIVE, &md, &err), 0);
	assert_int_equal(apv_virt_read(d, APV_VIRT_LIVE, &live, &err), 0);
	assert_int_equal(apv_virt_read(d, APV_VIRT_CONFIG, &cfg, &err), 0);
	assert_true(live.has_metadata);
	assert_memory_equal(&live.metadata, &md, sizeof(md));
	assert_false(cfg.has_metadata);

	apv_ids_set(&md.matrix.aqm, 4);
	assert_int_equal(apv_virt_set_metadata(d, APV_VIRT_LIVE | APV_VIRT_CONFIG, &md, &err), 0);
	assert_int_equal(apv_virt_read(d, APV_VIRT_CONFIG, &cfg, &err), 0);
	assert_true(cfg.has_metadata);
	assert_memory_equal(&cfg.metadata, &md, sizeof(md));

	assert_int_equal(apv_virt_set_metadata(d, APV_VIRT_LIVE, NULL, &err), 0);
	assert_int_equal(apv_virt_read(d, APV_VIRT_LIVE, &live, &err), 0);
	assert_false(live.has_metadata);
	assert_int_equal(apv_virt_read(d, APV_VIRT_CONFIG, &cfg, &err), 0);
	assert_true(cfg.has_metadata);
	apv_virt_domain_free(d);
}

/* Metadata someone else wrote that apvirt cannot accept is an error. */
static void test_metadata_foreign_bad(void **state)
{
	struct fixture *f = *state;
	struct apv_virt_domain *d = lookup(f, "zoff");
	virDomainPtr dom = virDomainLookupByName(f->conn, "zoff");
	struct apv_domain_xml cfg;
	struct apv_error err = { 0 };

	assert_int_equal(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT,
					      "<matrix mdev='" UUID "' lifecycle='sometimes'/>", "ap",
					      APV_XML_NS, VIR_DOMAIN_AFFECT_CONFIG), 0);
	assert_int_equal(apv_virt_read(d, APV_VIRT_CONFIG, &cfg, &err), -EINVAL);
	assert_string_equal(err.msg, "persistent metadata of domain zoff: line 1: <matrix> needs lifecycle=\"managed\" or \"external\"");
	assert_int_equal(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, NULL, NULL,
					      APV_XML_NS, VIR_DOMAIN_AFFECT_CONFIG), 0);
	apv_error_clear(&err);
	assert_int_equal(apv_virt_read(d, APV_VIRT_CONFIG, &cfg, &err), 0);
	assert_false(cfg.has_metadata);
	assert_int_equal(cfg.ap_hostdevs, 1);
	assert_string_equal(cfg.hostdev_mdev, UUID);
	virDomainFree(dom);
	apv_virt_domain_free(d);
}

/*
 * Metadata without mdev=: the UUID of the domain's one vfio-ap hostdev
 * (zoff has one); a domain without a hostdev (ztrans) cannot have it.
 */
static void test_metadata_mdev_from_hostdev(void **state)
{
	struct fixture *f = *state;
	struct apv_virt_domain *d = lookup(f, "zoff"), *t = lookup(f, "ztrans");
	virDomainPtr dom = virDomainLookupByName(f->conn, "zoff");
	virDomainPtr tdom = virDomainLookupByName(f->conn, "ztrans");
	struct apv_domain_xml dx;
	struct apv_error err = { 0 };

	assert_int_equal(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT,
					      "<matrix lifecycle='external'><adapter id='5'/></matrix>", "ap",
					      APV_XML_NS, VIR_DOMAIN_AFFECT_CONFIG), 0);
	assert_int_equal(apv_virt_read(d, APV_VIRT_CONFIG, &dx, &err), 0);
	assert_true(dx.has_metadata);
	assert_string_equal(dx.metadata.mdev, UUID);
	assert_true(apv_ids_test(&dx.metadata.matrix.apm, 5));
	assert_int_equal(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, NULL, NULL,
					      APV_XML_NS, VIR_DOMAIN_AFFECT_CONFIG), 0);
	assert_int_equal(virDomainSetMetadata(tdom, VIR_DOMAIN_METADATA_ELEMENT,
					      "<matrix lifecycle='external'/>", "ap", APV_XML_NS,
					      VIR_DOMAIN_AFFECT_LIVE), 0);
	assert_int_equal(apv_virt_read(t, APV_VIRT_LIVE, &dx, &err), -EINVAL);
	assert_string_equal(err.msg, "domain ztrans: its apvirt metadata names no mdev and it has 0 vfio-ap hostdevs; name the mdev with mdev=\"UUID\", or give the domain one vfio-ap hostdev");
	assert_int_equal(virDomainSetMetadata(tdom, VIR_DOMAIN_METADATA_ELEMENT, NULL, NULL,
					      APV_XML_NS, VIR_DOMAIN_AFFECT_LIVE), 0);
	virDomainFree(dom);
	virDomainFree(tdom);
	apv_virt_domain_free(d);
	apv_virt_domain_free(t);
}

/*
 * The status: written live only, in its own namespace (the matrix
 * metadata is untouched), read back equal; absent is not an error, a
 * malformed one is, and one out of range is never written.
 */
static void test_status(void **state)
{
	struct fixture *f = *state;
	struct apv_virt_domain *d = lookup(f, "ztrans");
	virDomainPtr dom = virDomainLookupByName(f->conn, "ztrans");
	struct apv_status st, back;
	struct apv_domain_xml live;
	struct apv_error err = { 0 };
	bool found = true;

	assert_int_equal(apv_virt_read_status(d, &back, &found, &err), 0);
	assert_false(found);
	memset(&st, 0, sizeof(st));
	st.result = APV_STATUS_REFUSED;
	st.generation = 3;
	memset(st.digest, 'a', APV_DIGEST_HEX_LEN);
	st.time = 1796184306;
	strcpy(st.mdev, UUID);
	apv_ids_set(&st.matrix.apm, 5);
	strcpy(st.reason, "APQN 06.0004 is already assigned to mdev x & y");
	assert_int_equal(apv_virt_set_status(d, &st, &err), 0);
	assert_int_equal(apv_virt_read_status(d, &back, &found, &err), 0);
	assert_true(found);
	assert_memory_equal(&back, &st, sizeof(st));
	assert_int_equal(apv_virt_read(d, APV_VIRT_LIVE, &live, &err), 0);
	assert_false(live.has_metadata);

	st.generation = 0;
	assert_int_equal(apv_virt_set_status(d, &st, &err), -EINVAL);
	assert_string_equal(err.msg, "the status of domain ztrans is out of range");
	assert_int_equal(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT,
					      "<status result='bogus'/>", "st", APV_STATUS_NS,
					      VIR_DOMAIN_AFFECT_LIVE), 0);
	apv_error_clear(&err);
	assert_int_equal(apv_virt_read_status(d, &back, &found, &err), -EINVAL);
	assert_false(found);
	assert_string_equal(err.msg, "status of domain ztrans: line 1: <status> needs result=\"applied\", \"refused\" or \"started\"");
	assert_int_equal(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, NULL, NULL,
					      APV_STATUS_NS, VIR_DOMAIN_AFFECT_LIVE), 0);
	virDomainFree(dom);
	apv_virt_domain_free(d);
}

static void test_list(void **state)
{
	struct fixture *f = *state;
	struct apv_virt_domains all;
	struct apv_error err = { 0 };

	assert_int_equal(apv_virt_list(f->v, &all, &err), 0);
	assert_int_equal(all.count, 3);
	assert_string_equal(apv_virt_domain_name(all.items[0]), "test");
	assert_string_equal(apv_virt_domain_name(all.items[1]), "zoff");
	assert_string_equal(apv_virt_domain_name(all.items[2]), "ztrans");
	apv_virt_domains_free(&all);
	assert_int_equal(all.count, 0);
}

static void test_open_bad_uri(void **state)
{
	struct apv_virt *v = NULL;
	struct apv_error err = { 0 };

	(void)state;
	assert_int_equal(apv_virt_open("nosuchdriver:///x", &v, &err), -ECONNREFUSED);
	assert_non_null(strstr(err.msg, "cannot connect to libvirt: "));
	assert_null(v);
}

/*
 * Another domain's metadata naming another mdev with a shared APQN is one
 * error, and so is one naming the same mdev (its prepare hook would refuse
 * to share it); the domain itself and a disjoint matrix are none.
 */
static void test_check_others(void **state)
{
	struct fixture *f = *state;
	virDomainPtr dom = virDomainLookupByName(f->conn, "zoff");
	struct apv_matrix want = { 0 };
	struct apv_error err = { 0 };
	struct apv_report rep;

	assert_int_equal(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT,
					      "<matrix mdev='11111111-1111-4111-8111-111111111111' lifecycle='managed'>"
					      "<adapter id='0x05'/><adapter id='0x07'/><domain id='0x0004'/></matrix>",
					      "ap", APV_XML_NS, VIR_DOMAIN_AFFECT_CONFIG), 0);
	apv_ids_set(&want.apm, 7);
	apv_ids_set(&want.aqm, 4);
	apv_report_init(&rep);
	assert_int_equal(apv_virt_check_others(f->v, "test", UUID, &want, &rep, &err), 1);
	assert_int_equal(rep.errors, 1);
	assert_int_equal(rep.count, 1);
	assert_int_equal(rep.issues[0].kind, APV_ISSUE_OTHER_DOMAIN);
	assert_int_equal(rep.issues[0].apid, 7);
	assert_int_equal(rep.issues[0].apqi, 4);
	assert_string_equal(rep.issues[0].owner, "zoff");
	assert_string_equal(rep.issues[0].msg, "APQN 07.0004 is in the matrix of domain zoff (mdev 11111111-1111-4111-8111-111111111111); detach it there first: apvirt detach zoff --adapter 0x07");
	apv_report_free(&rep);
	/* the same mdev: a conflict naming the other domain */
	apv_report_init(&rep);
	assert_int_equal(apv_virt_check_others(f->v, "test", "11111111-1111-4111-8111-111111111111",
					       &want, &rep, &err), 1);
	assert_int_equal(rep.errors, 1);
	assert_int_equal(rep.issues[0].kind, APV_ISSUE_OTHER_DOMAIN);
	assert_int_equal(rep.issues[0].apid, -1);
	assert_string_equal(rep.issues[0].owner, "zoff");
	assert_string_equal(rep.issues[0].msg, "mdev 11111111-1111-4111-8111-111111111111 is also named by the persistent metadata of domain zoff; give each domain its own mdev");
	apv_report_free(&rep);
	/* ... but not the domain's own metadata */
	assert_int_equal(apv_virt_check_others(f->v, "zoff", "11111111-1111-4111-8111-111111111111",
					       &want, &rep, &err), 0);
	/* disjoint */
	apv_ids_clear(&want.aqm, 4);
	apv_ids_set(&want.aqm, 5);
	assert_int_equal(apv_virt_check_others(f->v, "test", UUID, &want, &rep, &err), 0);
	assert_int_equal(rep.errors, 0);
	assert_int_equal(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, NULL, NULL,
					      APV_XML_NS, VIR_DOMAIN_AFFECT_CONFIG), 0);
	virDomainFree(dom);
}

/*
 * The others are read once and checked later without libvirt: what the
 * check sees is the snapshot, whatever libvirt holds by then.
 */
static void test_others_snapshot(void **state)
{
	struct fixture *f = *state;
	virDomainPtr dom = virDomainLookupByName(f->conn, "zoff");
	struct apv_virt_others others;
	struct apv_matrix want = { 0 };
	struct apv_error err = { 0 };
	struct apv_report rep;

	assert_int_equal(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT,
					      "<matrix mdev='11111111-1111-4111-8111-111111111111' lifecycle='managed'>"
					      "<adapter id='0x05'/><domain id='0x0004'/></matrix>",
					      "ap", APV_XML_NS, VIR_DOMAIN_AFFECT_CONFIG), 0);
	/* "test" keeps the metadata test_metadata_sides gave it: leave it out */
	assert_int_equal(apv_virt_read_others(f->v, "test", &others, &err), 0);
	assert_int_equal(others.count, 1);
	assert_string_equal(others.items[0].name, "zoff");
	assert_int_equal(others.items[0].side, APV_VIRT_CONFIG);
	assert_string_equal(others.items[0].metadata.mdev, "11111111-1111-4111-8111-111111111111");
	assert_int_equal(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, NULL, NULL,
					      APV_XML_NS, VIR_DOMAIN_AFFECT_CONFIG), 0);
	apv_ids_set(&want.apm, 5);
	apv_ids_set(&want.aqm, 4);
	apv_report_init(&rep);
	assert_int_equal(apv_virt_others_check(&others, UUID, &want, &rep), 1);
	assert_string_equal(rep.issues[0].msg, "APQN 05.0004 is in the matrix of domain zoff (mdev 11111111-1111-4111-8111-111111111111); detach it there first: apvirt detach zoff --adapter 0x05");
	apv_report_free(&rep);
	apv_virt_others_free(&others);
	assert_int_equal(others.count, 0);
	assert_null(others.items);
	virDomainFree(dom);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_impact),
		cmocka_unit_test(test_metadata_sides),
		cmocka_unit_test(test_metadata_foreign_bad),
		cmocka_unit_test(test_metadata_mdev_from_hostdev),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_open_bad_uri),
		cmocka_unit_test(test_check_others),
		cmocka_unit_test(test_others_snapshot),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
