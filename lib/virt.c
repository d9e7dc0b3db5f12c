// SPDX-License-Identifier: GPL-2.0
/*
 * virt.c - apv_virt_*: the libvirt glue (see apv_virt.h).
 *
 * libvirt reports errors by printing them unless an error function is
 * set; the library must never print, so every connection gets a silent
 * one and each failure is copied into the caller's struct apv_error.
 *
 * Test hook: APVIRT_TEST_METADATA_READONLY (apv_virt_set_metadata()).
 */
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "internal.h"

_Static_assert(APV_VIRT_LIVE == VIR_DOMAIN_AFFECT_LIVE, "LIVE is libvirt's");
_Static_assert(APV_VIRT_CONFIG == VIR_DOMAIN_AFFECT_CONFIG, "CONFIG is libvirt's");
_Static_assert(APV_VIRT_CURRENT == VIR_DOMAIN_AFFECT_CURRENT, "CURRENT is libvirt's");

struct apv_virt {
	virConnectPtr conn;
};

struct apv_virt_domain {
	virDomainPtr dom;
	char name[APV_DOMAIN_NAME_MAX];
};

static void virt_quiet(void *opaque, virErrorPtr e)
{
	(void)opaque;
	(void)e;
}

/* libvirt's last error as "@what: message". */
static int virt_fail(struct apv_error *err, int code, const char *what)
{
	const char *msg = virGetLastErrorMessage();

	return apv_error_set(err, code, "%s: %s", what, msg ? msg : "unknown libvirt error");
}

int apv_virt_open(const char *uri, struct apv_virt **out, struct apv_error *err)
{
	struct apv_virt *v = calloc(1, sizeof(*v));

	if (!v)
		return apv_error_set(err, ENOMEM, "out of memory");
	virSetErrorFunc(NULL, virt_quiet);
	v->conn = virConnectOpen(uri);
	if (!v->conn) {
		free(v);
		return virt_fail(err, ECONNREFUSED, "cannot connect to libvirt");
	}
	*out = v;
	return 0;
}

void apv_virt_close(struct apv_virt *v)
{
	if (!v)
		return;
	virConnectClose(v->conn);
	free(v);
}

static int virt_wrap(virDomainPtr dom, struct apv_virt_domain **out, struct apv_error *err)
{
	struct apv_virt_domain *d = calloc(1, sizeof(*d));
	const char *name = virDomainGetName(dom);

	if (!d || !name) {
		free(d);
		virDomainFree(dom);
		return apv_error_set(err, ENOMEM, "out of memory");
	}
	d->dom = dom;
	snprintf(d->name, sizeof(d->name), "%s", name);
	*out = d;
	return 0;
}

/*
 * Only VIR_ERR_NO_DOMAIN means the domain does not exist (virsh's words);
 * anything else (a dropped connection, a denied access) is libvirt's own
 * message, so an admin does not go looking for a domain that is there.
 */
static int virt_lookup_fail(const char *name, struct apv_error *err)
{
	char what[APV_DOMAIN_NAME_MAX + 32];
	int code = virGetLastErrorCode();

	if (code == VIR_ERR_NO_DOMAIN)
		return apv_error_set(err, ENOENT, "failed to get domain '%s'", name);
	snprintf(what, sizeof(what), "cannot look up domain '%s'", name);
	return virt_fail(err, code == VIR_ERR_OPERATION_DENIED || code == VIR_ERR_ACCESS_DENIED ||
			 code == VIR_ERR_AUTH_FAILED ? EACCES : EIO, what);
}

int apv_virt_lookup(struct apv_virt *v, const char *name, struct apv_virt_domain **out,
		    struct apv_error *err)
{
	virDomainPtr dom;

	if (!name || !*name || strlen(name) >= APV_DOMAIN_NAME_MAX)
		return apv_error_set(err, EINVAL, "a domain name has 1 to %d bytes", APV_DOMAIN_NAME_MAX - 1);
	dom = virDomainLookupByName(v->conn, name);
	if (!dom && apv_uuid_valid(name) && virGetLastErrorCode() == VIR_ERR_NO_DOMAIN)
		dom = virDomainLookupByUUIDString(v->conn, name);
	if (!dom)
		return virt_lookup_fail(name, err);
	return virt_wrap(dom, out, err);
}

void apv_virt_domain_free(struct apv_virt_domain *d)
{
	if (!d)
		return;
	virDomainFree(d->dom);
	free(d);
}

const char *apv_virt_domain_name(const struct apv_virt_domain *d)
{
	return d->name;
}

bool apv_virt_domain_active(const struct apv_virt_domain *d)
{
	return virDomainIsActive(d->dom) == 1;
}

bool apv_virt_domain_persistent(const struct apv_virt_domain *d)
{
	return virDomainIsPersistent(d->dom) == 1;
}

int apv_virt_resolve_impact(const struct apv_virt_domain *d, unsigned int flags,
			    unsigned int *out, struct apv_error *err)
{
	bool active = apv_virt_domain_active(d);

	if (flags & ~(unsigned int)(APV_VIRT_LIVE | APV_VIRT_CONFIG))
		return apv_error_set(err, EINVAL, "unsupported flags (0x%x)", flags);
	if (flags == APV_VIRT_CURRENT)
		flags = active ? APV_VIRT_LIVE : APV_VIRT_CONFIG;
	/* libvirt's own words (virDomainObjUpdateModificationImpact) */
	if ((flags & APV_VIRT_LIVE) && !active)
		return apv_error_set(err, EINVAL, "Requested operation is not valid: domain is not running");
	if ((flags & APV_VIRT_CONFIG) && !apv_virt_domain_persistent(d))
		return apv_error_set(err, EINVAL, "Requested operation is not valid: transient domains do not have any persistent config");
	*out = flags;
	return 0;
}

/* The metadata of one side; found false when the domain has none. */
static int virt_get_metadata(const struct apv_virt_domain *d, unsigned int side,
			     struct apv_domain_xml *out, struct apv_error *err)
{
	char what[APV_DOMAIN_NAME_MAX + 48];
	char *text;
	int rc;

	text = virDomainGetMetadata(d->dom, VIR_DOMAIN_METADATA_ELEMENT, APV_XML_NS, side);
	if (!text) {
		if (virGetLastErrorCode() == VIR_ERR_NO_DOMAIN_METADATA)
			return 0;
		return virt_fail(err, EIO, "cannot read the metadata");
	}
	snprintf(what, sizeof(what), "%s metadata of domain %s",
		 side == APV_VIRT_LIVE ? "live" : "persistent", d->name);
	rc = apv_metadata_parse_opts(text, strlen(text), what, true, &out->metadata, err);
	free(text);
	out->has_metadata = rc == 0;
	return rc;
}

int apv_virt_read(const struct apv_virt_domain *d, unsigned int side,
		  struct apv_domain_xml *out, struct apv_error *err)
{
	char what[APV_DOMAIN_NAME_MAX + 64];
	struct apv_error perr = { 0 };
	struct apv_metadata metadata;
	struct apv_domain_xml dx;
	bool has_metadata;
	char *xml;
	int rc;

	if (side != APV_VIRT_LIVE && side != APV_VIRT_CONFIG)
		return apv_error_set(err, EINVAL, "read one side: live or config");
	/*
	 * The metadata as virDomainGetMetadata gives it, the hostdevs from the
	 * XML.  A domain without apvirt metadata whose XML apvirt cannot read
	 * is not apvirt's: it is reported as such, not as an error.
	 */
	memset(&dx, 0, sizeof(dx));
	rc = virt_get_metadata(d, side, &dx, err);
	if (rc)
		return rc;
	xml = virDomainGetXMLDesc(d->dom, side == APV_VIRT_CONFIG ? VIR_DOMAIN_XML_INACTIVE : 0);
	if (!xml) {
		snprintf(what, sizeof(what), "cannot read the XML of domain %s", d->name);
		return virt_fail(err, EIO, what);
	}
	metadata = dx.metadata;
	has_metadata = dx.has_metadata;
	rc = apv_domain_xml_parse_opts(xml, strlen(xml), false, &dx, &perr);
	free(xml);
	if (rc && has_metadata)
		return apv_error_set(err, perr.code, "domain %s: %s", d->name, perr.msg);
	if (rc) {
		memset(&dx, 0, sizeof(dx));
		snprintf(dx.name, sizeof(dx.name), "%s", d->name);
	}
	dx.metadata = metadata;
	dx.has_metadata = has_metadata;
	rc = apv_domain_xml_resolve_mdev(&dx, err);
	if (!rc)
		*out = dx;
	return rc;
}

/*
 * Test hook: APVIRT_TEST_METADATA_READONLY=K[,K...] sends the K-th
 * metadata write of this process (1-based) through a read-only connection
 * to the same libvirt, so that libvirt itself refuses it ("operation
 * forbidden"): a real refusal, to test what apvirt does after one.
 */
static bool virt_write_refused_by_test(void)
{
	static unsigned int writes;
	const char *v = secure_getenv("APVIRT_TEST_METADATA_READONLY");
	char *end;

	writes++;
	while (v && *v) {
		if (strtoul(v, &end, 10) == writes && end != v)
			return true;
		v = *end == ',' ? end + 1 : NULL;
	}
	return false;
}

static int virt_set(virDomainPtr dom, const char *text, unsigned int sides)
{
	return virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, text,
				    text ? APV_XML_PREFIX : NULL, APV_XML_NS, sides);
}

/* virt_set() through a read-only connection: libvirt refuses it. */
static int virt_set_readonly(virDomainPtr dom, const char *text, unsigned int sides,
			     struct apv_error *err)
{
	char *uri = virConnectGetURI(virDomainGetConnect(dom)), uuid[VIR_UUID_STRING_BUFLEN];
	virConnectPtr ro = uri ? virConnectOpenReadOnly(uri) : NULL;
	virDomainPtr d = NULL;
	int rc = 0;

	if (ro && virDomainGetUUIDString(dom, uuid) == 0)
		d = virDomainLookupByUUIDString(ro, uuid);
	/* Before the frees below, which reset libvirt's last error. */
	if (!d || virt_set(d, text, sides) < 0)
		rc = virt_fail(err, EIO, "cannot write the metadata");
	if (d)
		virDomainFree(d);
	if (ro)
		virConnectClose(ro);
	free(uri);
	return rc;
}

int apv_virt_set_metadata(const struct apv_virt_domain *d, unsigned int sides,
			  const struct apv_metadata *md, struct apv_error *err)
{
	char *text = md ? apv_metadata_format_bare(md) : NULL;
	int rc = 0;

	if (md && !text)
		return apv_error_set(err, ENOMEM, "out of memory");
	if ((sides & ~(unsigned int)(APV_VIRT_LIVE | APV_VIRT_CONFIG)) || !sides)
		rc = apv_error_set(err, EINVAL, "write live, config or both");
	else if (virt_write_refused_by_test())
		rc = virt_set_readonly(d->dom, text, sides, err);
	else if (virt_set(d->dom, text, sides) < 0)
		rc = virt_fail(err, EIO, "cannot write the metadata");
	free(text);
	return rc;
}

/*
 * The status is written to the live definition only: it describes this
 * run of the guest, and a persistent copy would outlive what it says.
 */
int apv_virt_set_status(const struct apv_virt_domain *d, const struct apv_status *st,
			struct apv_error *err)
{
	char *text = apv_status_format(st, true);
	int rc = 0;

	if (!text)
		return apv_error_set(err, EINVAL, "the status of domain %s is out of range", d->name);
	if (virDomainSetMetadata(d->dom, VIR_DOMAIN_METADATA_ELEMENT, text, APV_STATUS_PREFIX,
				 APV_STATUS_NS, VIR_DOMAIN_AFFECT_LIVE) < 0)
		rc = virt_fail(err, EIO, "cannot write the status");
	free(text);
	return rc;
}

int apv_virt_read_status(const struct apv_virt_domain *d, struct apv_status *out, bool *found,
			 struct apv_error *err)
{
	char what[APV_DOMAIN_NAME_MAX + 32];
	char *text;
	int rc;

	*found = false;
	text = virDomainGetMetadata(d->dom, VIR_DOMAIN_METADATA_ELEMENT, APV_STATUS_NS,
				    VIR_DOMAIN_AFFECT_LIVE);
	if (!text) {
		if (virGetLastErrorCode() == VIR_ERR_NO_DOMAIN_METADATA)
			return 0;
		return virt_fail(err, EIO, "cannot read the status");
	}
	snprintf(what, sizeof(what), "status of domain %s", d->name);
	rc = apv_status_parse(text, strlen(text), what, true, out, err);
	free(text);
	*found = rc == 0;
	return rc;
}

static int virt_by_name(const void *a, const void *b)
{
	const struct apv_virt_domain *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

int apv_virt_list(struct apv_virt *v, struct apv_virt_domains *out, struct apv_error *err)
{
	virDomainPtr *doms = NULL;
	int n, rc = 0;

	memset(out, 0, sizeof(*out));
	n = virConnectListAllDomains(v->conn, &doms, 0);
	if (n < 0)
		return virt_fail(err, EIO, "cannot list the domains");
	if (n > APV_VIRT_DOMAINS_MAX)
		rc = apv_error_set(err, E2BIG, "%d domains, more than the %d apvirt lists", n,
				   APV_VIRT_DOMAINS_MAX);
	if (!rc && n) {
		out->items = calloc((size_t)n, sizeof(*out->items));
		if (!out->items)
			rc = apv_error_set(err, ENOMEM, "out of memory");
	}
	for (int i = 0; i < n; i++) {
		if (!rc)
			rc = virt_wrap(doms[i], &out->items[out->count++], err);
		else
			virDomainFree(doms[i]);
	}
	free(doms);
	if (rc) {
		apv_virt_domains_free(out);
		return rc;
	}
	qsort(out->items, out->count, sizeof(*out->items), virt_by_name);
	return 0;
}

void apv_virt_domains_free(struct apv_virt_domains *list)
{
	for (size_t i = 0; i < list->count; i++)
		apv_virt_domain_free(list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

/* Append one side's metadata of @d to @out (apv_virt_read_others()). */
static int virt_others_add(struct apv_virt_others *out, const struct apv_virt_domain *d,
			   unsigned int side, const struct apv_metadata *md, struct apv_error *err)
{
	struct apv_virt_other *o;

	if (out->count == out->alloc) {
		size_t n = out->alloc ? out->alloc * 2 : 16;
		struct apv_virt_other *items = realloc(out->items, n * sizeof(*items));

		if (!items)
			return apv_error_set(err, ENOMEM, "out of memory");
		out->items = items;
		out->alloc = n;
	}
	o = &out->items[out->count++];
	snprintf(o->name, sizeof(o->name), "%s", d->name);
	o->side = side;
	o->metadata = *md;
	return 0;
}

static int virt_others_read_one(const struct apv_virt_domain *d, struct apv_virt_others *out,
				struct apv_error *err)
{
	static const unsigned int sides[2] = { APV_VIRT_LIVE, APV_VIRT_CONFIG };
	struct apv_domain_xml dx;
	int rc;

	for (int i = 0; i < 2; i++) {
		if (sides[i] == APV_VIRT_LIVE ? !apv_virt_domain_active(d) :
		    !apv_virt_domain_persistent(d))
			continue;
		rc = apv_virt_read(d, sides[i], &dx, err);
		if (!rc && dx.has_metadata)
			rc = virt_others_add(out, d, sides[i], &dx.metadata, err);
		if (rc)
			return rc;
	}
	return 0;
}

int apv_virt_read_others(struct apv_virt *v, const char *self, struct apv_virt_others *out,
			 struct apv_error *err)
{
	struct apv_virt_domains all;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = apv_virt_list(v, &all, err);
	for (size_t i = 0; !rc && i < all.count; i++)
		if (strcmp(apv_virt_domain_name(all.items[i]), self))
			rc = virt_others_read_one(all.items[i], out, err);
	apv_virt_domains_free(&all);
	if (rc)
		apv_virt_others_free(out);
	return rc;
}

void apv_virt_others_free(struct apv_virt_others *list)
{
	free(list->items);
	memset(list, 0, sizeof(*list));
}

static int virt_other_issue(struct apv_report *rep, const struct apv_virt_other *o,
			    const char *uuid, const struct apv_matrix *want)
{
	unsigned int apid, apqi;

	/* The hook refuses to start a guest on an mdev another one uses. */
	if (!strcmp(o->metadata.mdev, uuid))
		return apv_report_add_error(rep, APV_ISSUE_OTHER_DOMAIN, -1, -1, uuid, o->name,
					    "mdev %s is also named by the %s metadata of domain %s; give each domain its own mdev",
					    uuid, o->side == APV_VIRT_LIVE ? "live" : "persistent", o->name);
	if (!apv_matrix_overlap(&o->metadata.matrix, want, &apid, &apqi))
		return 0;
	return apv_report_add_error(rep, APV_ISSUE_OTHER_DOMAIN, (int)apid, (int)apqi, uuid, o->name,
				    "APQN %02x.%04x is in the matrix of domain %s (mdev %s); detach it there first: apvirt detach %s --adapter 0x%02x",
				    apid, apqi, o->name, o->metadata.mdev, o->name, apid);
}

int apv_virt_others_check(const struct apv_virt_others *others, const char *uuid,
			  const struct apv_matrix *want, struct apv_report *rep)
{
	size_t before = rep->errors;

	/* The first conflict is enough: its message says how to free it. */
	for (size_t i = 0; i < others->count && rep->errors == before; i++)
		if (virt_other_issue(rep, &others->items[i], uuid, want))
			return -ENOMEM;
	return (int)(rep->errors - before);
}

int apv_virt_check_others(struct apv_virt *v, const char *self, const char *uuid,
			  const struct apv_matrix *want, struct apv_report *rep,
			  struct apv_error *err)
{
	struct apv_virt_others others;
	int rc = apv_virt_read_others(v, self, &others, err);

	if (rc)
		return rc;
	rc = apv_virt_others_check(&others, uuid, want, rep);
	apv_virt_others_free(&others);
	return rc < 0 ? apv_error_set(err, ENOMEM, "out of memory") : rc;
}
