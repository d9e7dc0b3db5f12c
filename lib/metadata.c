// SPDX-License-Identifier: GPL-2.0
/*
 * metadata.c - apv_metadata_*, apv_fragment_parse, apv_domain_xml_*: the
 * <ap:matrix> element, attach-device fragments and the parts of a domain
 * XML apvirt reads (see apv_metadata.h).
 *
 * Everything here parses text that an unprivileged libvirt user may have
 * written (domain metadata, a fragment file), so libxml2 runs with
 * XML_PARSE_NONET, without XML_PARSE_NOENT / DTDLOAD / DTDATTR (no entity
 * is expanded, no DTD is loaded), and a document with a DOCTYPE or an
 * entity reference is refused outright.  The size is checked before
 * libxml2 sees a byte.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "internal.h"

#define XML_OPTS	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
			 XML_PARSE_NOCDATA)

int apv_xml_fail(const struct apv_xml_where *w, const xmlNode *node, const char *fmt, ...)
{
	char msg[APV_ERROR_MSG_MAX / 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (node)
		return apv_error_set(w->err, EINVAL, "%.200s: line %ld: %s", w->what,
				     xmlGetLineNo(node), msg);
	return apv_error_set(w->err, EINVAL, "%.200s: %s", w->what, msg);
}

/* libxml2's own complaint, one line, for a document that is not XML. */
static int md_fail_syntax(const struct apv_xml_where *w, xmlParserCtxtPtr ctxt)
{
	const xmlError *e = xmlCtxtGetLastError(ctxt);
	char msg[256] = "not well-formed XML";

	if (e && e->message) {
		snprintf(msg, sizeof(msg), "%s", e->message);
		msg[strcspn(msg, "\n")] = '\0';
		return apv_error_set(w->err, EINVAL, "%.200s: line %d: %s", w->what, e->line, msg);
	}
	return apv_error_set(w->err, EINVAL, "%.200s: %s", w->what, msg);
}

/*
 * Parse @text into a document, or report why not.  A NUL byte, a text
 * above @max, a DOCTYPE (internal or external subset) are refused.
 */
int apv_xml_read(const char *text, size_t len, size_t max, const struct apv_xml_where *w,
		 xmlDocPtr *out)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;

	if (len > max)
		return apv_xml_fail(w, NULL, "%zu bytes, more than the %zu allowed", len, max);
	if (memchr(text, '\0', len))
		return apv_xml_fail(w, NULL, "a NUL byte is not XML");
	if (len == 0)
		return apv_xml_fail(w, NULL, "empty");
	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return apv_error_set(w->err, ENOMEM, "out of memory");
	doc = xmlCtxtReadMemory(ctxt, text, (int)len, NULL, NULL, XML_OPTS);
	if (!doc) {
		int rc = md_fail_syntax(w, ctxt);

		xmlFreeParserCtxt(ctxt);
		return rc;
	}
	xmlFreeParserCtxt(ctxt);
	if (doc->intSubset || doc->extSubset) {
		xmlFreeDoc(doc);
		return apv_xml_fail(w, NULL, "a DOCTYPE is not allowed");
	}
	*out = doc;
	return 0;
}

static bool md_in_ns(const struct apv_xml_where *w, const xmlNode *n)
{
	return n->ns && n->ns->href && !strcmp((const char *)n->ns->href, w->ns);
}

/*
 * Where element @n is, for "found <x>..." in a message: nothing in the
 * expected namespace, else the namespace it has, or that it has none.
 */
const char *apv_xml_ns_note(const struct apv_xml_where *w, const xmlNode *n, char *buf,
			    size_t size)
{
	if (md_in_ns(w, n))
		snprintf(buf, size, "%s", "");
	else if (n->ns && n->ns->href)
		snprintf(buf, size, " in namespace %.200s", (const char *)n->ns->href);
	else
		snprintf(buf, size, " without a namespace");
	return buf;
}

bool apv_xml_is(const struct apv_xml_where *w, const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && md_in_ns(w, n) && !strcmp((const char *)n->name, name);
}

/* Text between elements may only be blanks; comments are fine. */
static int md_check_other(const struct apv_xml_where *w, const xmlNode *n)
{
	const char *t;

	switch (n->type) {
	case XML_COMMENT_NODE:
		return 0;
	case XML_TEXT_NODE:
		for (t = (const char *)n->content; t && *t; t++)
			if (!isspace((unsigned char)*t))
				return apv_xml_fail(w, n, "unexpected text \"%.40s\"", (const char *)n->content);
		return 0;
	case XML_ENTITY_REF_NODE:
		return apv_xml_fail(w, n, "entity references are not allowed");
	default:
		return apv_xml_fail(w, n, "unexpected %s", n->type == XML_PI_NODE ?
				    "processing instruction" : "node");
	}
}

/*
 * An ID as the schema's apId: "0x" and 1-4 hex digits, or a decimal
 * without a leading zero; below 256.
 */
static bool md_parse_id(const char *s, unsigned int *id)
{
	unsigned long v = 0;
	size_t n;

	if ((s[0] == '0') && (s[1] == 'x' || s[1] == 'X')) {
		n = strspn(s + 2, "0123456789abcdefABCDEF");
		if (n < 1 || n > 4 || s[2 + n])
			return false;
		v = strtoul(s + 2, NULL, 16);
	} else {
		n = strspn(s, "0123456789");
		if (n < 1 || n > 3 || s[n] || (s[0] == '0' && n > 1))
			return false;
		v = strtoul(s, NULL, 10);
	}
	if (v >= APV_ID_COUNT)
		return false;
	*id = (unsigned int)v;
	return true;
}

/* The one attribute @name of @n, or NULL; any other attribute fails. */
int apv_xml_attrs(const struct apv_xml_where *w, const xmlNode *n, const char *const *names,
		  size_t count, const char **values)
{
	for (size_t i = 0; i < count; i++)
		values[i] = NULL;
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		size_t i;

		for (i = 0; i < count; i++)
			if (!a->ns && !strcmp((const char *)a->name, names[i]))
				break;
		if (i == count)
			return apv_xml_fail(w, n, "<%s> has no attribute '%s'", (const char *)n->name,
					    (const char *)a->name);
		values[i] = a->children && a->children->type == XML_TEXT_NODE &&
			    !a->children->next ? (const char *)a->children->content : "";
	}
	return 0;
}

static const char *const md_kinds[] = { "adapter", "domain", "control-domain" };

static struct apv_ids *md_kind_set(struct apv_matrix *m, int kind)
{
	return kind == 0 ? &m->apm : kind == 1 ? &m->aqm : &m->adm;
}

/* Which of adapter/domain/control-domain @n is, or -1. */
static int md_kind(const struct apv_xml_where *w, const xmlNode *n)
{
	for (int k = 0; k < 3; k++)
		if (apv_xml_is(w, n, md_kinds[k]))
			return k;
	return -1;
}

/* One <adapter id=.../> (or domain, control-domain) into @m. */
static int md_add_id(const struct apv_xml_where *w, const xmlNode *n, int kind,
		     struct apv_matrix *m)
{
	static const char *const names[] = { "id" };
	const char *val;
	unsigned int id;
	int rc;

	rc = apv_xml_attrs(w, n, names, 1, &val);
	if (rc)
		return rc;
	if (!val)
		return apv_xml_fail(w, n, "<%s> needs an id", md_kinds[kind]);
	if (!md_parse_id(val, &id))
		return apv_xml_fail(w, n, "<%s id=\"%.20s\">: not an ID from 0 to 255 (0x05, 5)",
				    md_kinds[kind], val);
	for (const xmlNode *c = n->children; c; c = c->next) {
		rc = c->type == XML_ELEMENT_NODE ?
		     apv_xml_fail(w, c, "<%s> has no child elements", md_kinds[kind]) :
		     md_check_other(w, c);
		if (rc)
			return rc;
	}
	if (apv_ids_test(md_kind_set(m, kind), id))
		return apv_xml_fail(w, n, "%s 0x%0*x is listed twice", md_kinds[kind], kind ? 4 : 2, id);
	apv_ids_set(md_kind_set(m, kind), id);
	return 0;
}

/* The children of a <matrix>: IDs, blanks and comments only. */
int apv_xml_matrix_children(const struct apv_xml_where *w, const xmlNode *parent,
			    struct apv_matrix *m)
{
	int rc;

	memset(m, 0, sizeof(*m));
	for (const xmlNode *c = parent->children; c; c = c->next) {
		int kind = md_kind(w, c);

		if (kind >= 0)
			rc = md_add_id(w, c, kind, m);
		else if (c->type == XML_ELEMENT_NODE)
			rc = apv_xml_fail(w, c, "unexpected element <%s>%s%s%s", (const char *)c->name,
					  md_in_ns(w, c) ? "" : " (not in the ",
					  md_in_ns(w, c) ? "" : w->ns,
					  md_in_ns(w, c) ? "" : " namespace)");
		else
			rc = md_check_other(w, c);
		if (rc)
			return rc;
	}
	return 0;
}

void apv_xml_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* The <ap:matrix> element @n of a metadata document or a domain XML. */
static int md_metadata_node(const struct apv_xml_where *w, const xmlNode *n,
			    struct apv_metadata *out)
{
	static const char *const names[] = { "mdev", "lifecycle" };
	struct apv_metadata md;
	const char *val[2];
	char ns[240];
	int rc;

	if (!apv_xml_is(w, n, "matrix"))
		return apv_xml_fail(w, n, "expected <matrix> in namespace %s, found <%s>%s", APV_XML_NS,
				    (const char *)n->name, apv_xml_ns_note(w, n, ns, sizeof(ns)));
	rc = apv_xml_attrs(w, n, names, 2, val);
	if (rc)
		return rc;
	/* No mdev: the domain's vfio-ap hostdev names it (apv_domain_xml_resolve_mdev()). */
	if (val[0] && !apv_uuid_valid(val[0]))
		return apv_xml_fail(w, n, "<matrix> needs mdev=\"UUID\" (8-4-4-4-12 hex digits), not \"%.40s\"",
				    val[0]);
	if (!val[1] || (strcmp(val[1], "managed") && strcmp(val[1], "external")))
		return apv_xml_fail(w, n, "<matrix> needs lifecycle=\"managed\" or \"external\"");
	memset(&md, 0, sizeof(md));
	snprintf(md.mdev, sizeof(md.mdev), "%s", val[0] ? val[0] : "");
	apv_xml_lower(md.mdev);
	md.lifecycle = strcmp(val[1], "managed") ? APV_LIFECYCLE_EXTERNAL : APV_LIFECYCLE_MANAGED;
	rc = apv_xml_matrix_children(w, n, &md.matrix);
	if (!rc)
		*out = md;
	return rc;
}

/* Put every element without a namespace into ours. */
int apv_xml_adopt_ns(xmlNodePtr root, const char *uri, struct apv_error *err)
{
	xmlNsPtr ns = xmlNewNs(root, (const xmlChar *)uri, NULL);

	if (!ns)
		return apv_error_set(err, ENOMEM, "out of memory");
	if (!root->ns)
		xmlSetNs(root, ns);
	for (xmlNodePtr c = root->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !c->ns)
			xmlSetNs(c, ns);
	return 0;
}

int apv_xml_parse_root(const char *text, size_t len, size_t max, const struct apv_xml_where *w,
		       bool implicit_ns,
		       int (*node)(const struct apv_xml_where *w, const xmlNode *n, void *out),
		       void *out)
{
	xmlDocPtr doc;
	int rc;

	rc = apv_xml_read(text, len, max, w, &doc);
	if (rc)
		return rc;
	if (implicit_ns && !xmlDocGetRootElement(doc)->ns)
		rc = apv_xml_adopt_ns(xmlDocGetRootElement(doc), w->ns, w->err);
	if (!rc)
		rc = node(w, xmlDocGetRootElement(doc), out);
	xmlFreeDoc(doc);
	return rc;
}

static int md_metadata_root(const struct apv_xml_where *w, const xmlNode *n, void *out)
{
	return md_metadata_node(w, n, out);
}

int apv_metadata_parse_opts(const char *text, size_t len, const char *what, bool implicit_ns,
			    struct apv_metadata *out, struct apv_error *err)
{
	struct apv_xml_where w = { what ? what : "metadata", APV_XML_NS, err };

	return apv_xml_parse_root(text, len, APV_METADATA_MAX, &w, implicit_ns,
				  md_metadata_root, out);
}

int apv_metadata_parse(const char *text, size_t len, const char *what,
		       struct apv_metadata *out, struct apv_error *err)
{
	return apv_metadata_parse_opts(text, len, what, false, out, err);
}

static int md_fragment_node(const struct apv_xml_where *w, const xmlNode *n, struct apv_matrix *out)
{
	int kind = md_kind(w, n), rc;
	char ns[240];

	memset(out, 0, sizeof(*out));
	if (kind >= 0)
		return md_add_id(w, n, kind, out);
	if (!apv_xml_is(w, n, "matrix"))
		return apv_xml_fail(w, n, "expected <adapter>, <domain>, <control-domain> or <matrix> in namespace %s, found <%s>%s",
				    APV_XML_NS, (const char *)n->name, apv_xml_ns_note(w, n, ns, sizeof(ns)));
	rc = apv_xml_attrs(w, n, NULL, 0, NULL);
	if (!rc)
		rc = apv_xml_matrix_children(w, n, out);
	if (!rc && apv_matrix_empty(out))
		rc = apv_xml_fail(w, n, "<matrix> names no adapter, domain or control domain");
	return rc;
}

int apv_fragment_parse(const char *text, size_t len, const char *what, struct apv_matrix *out,
		       struct apv_error *err)
{
	struct apv_xml_where w = { what ? what : "fragment", APV_XML_NS, err };
	struct apv_matrix m;
	xmlDocPtr doc;
	int rc;

	rc = apv_xml_read(text, len, APV_METADATA_MAX, &w, &doc);
	if (rc)
		return rc;
	rc = md_fragment_node(&w, xmlDocGetRootElement(doc), &m);
	xmlFreeDoc(doc);
	if (!rc)
		*out = m;
	return rc;
}

const char *apv_lifecycle_name(enum apv_lifecycle lc)
{
	return lc == APV_LIFECYCLE_MANAGED ? "managed" : "external";
}

/* Append one "  <PREFIXKIND id=.../>\n" line per ID of @ids. */
static size_t md_format_ids(char *buf, size_t off, size_t size, const char *prefix,
			    const char *kind, const struct apv_ids *ids, int digits)
{
	unsigned int id;

	apv_ids_for_each(id, ids)
		off += (size_t)snprintf(buf + off, size - off, "  <%s%s id=\"0x%0*x\"/>\n",
					prefix, kind, digits, id);
	return off;
}

/*
 * With @bare, no prefix and no namespace declaration: what
 * virDomainSetMetadata takes (it puts the element into the namespace
 * itself and refuses one declared in the text).
 */
static char *md_format(const struct apv_metadata *md, bool bare)
{
	/* The longest line is a control domain: 40 bytes, 768 IDs at most. */
	size_t size = 256 + 3 * APV_ID_COUNT * 48, off;
	const char *prefix = bare ? "" : APV_XML_PREFIX ":";
	const struct apv_matrix *m = &md->matrix;
	char *buf = malloc(size);

	if (!buf)
		return NULL;
	/* An mdev left to the hostdev (none parsed) stays left out. */
	off = (size_t)snprintf(buf, size, "<%smatrix%s%s%s%s%s%s lifecycle=\"%s\"%s>\n",
			       prefix, bare ? "" : " xmlns:" APV_XML_PREFIX "=\"",
			       bare ? "" : APV_XML_NS, bare ? "" : "\"", md->mdev[0] ? " mdev=\"" : "",
			       md->mdev, md->mdev[0] ? "\"" : "",
			       apv_lifecycle_name(md->lifecycle), apv_matrix_empty(m) ? "/" : "");
	if (apv_matrix_empty(m))
		return buf;
	off = md_format_ids(buf, off, size, prefix, "adapter", &m->apm, 2);
	off = md_format_ids(buf, off, size, prefix, "domain", &m->aqm, 4);
	off = md_format_ids(buf, off, size, prefix, "control-domain", &m->adm, 4);
	snprintf(buf + off, size - off, "</%smatrix>\n", prefix);
	return buf;
}

char *apv_metadata_format(const struct apv_metadata *md)
{
	return md_format(md, false);
}

char *apv_metadata_format_bare(const struct apv_metadata *md)
{
	return md_format(md, true);
}

/* ---- whole domain XML ---- */

static bool dx_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !n->ns && !strcmp((const char *)n->name, name);
}

static bool dx_attr_is(const xmlNode *n, const char *name, const char *value)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	bool eq = v && !strcmp((const char *)v, value);

	xmlFree(v);
	return eq;
}

static int dx_name(const struct apv_xml_where *w, const xmlNode *n, struct apv_domain_xml *out)
{
	xmlChar *t = xmlNodeGetContent(n);
	size_t len = t ? strlen((const char *)t) : 0;

	if (!len || len >= sizeof(out->name)) {
		xmlFree(t);
		return apv_xml_fail(w, n, "<name> must have 1 to %zu bytes", sizeof(out->name) - 1);
	}
	memcpy(out->name, t, len + 1);
	xmlFree(t);
	return 0;
}

/* <metadata>: at most one element of our namespace; others are not ours. */
static int dx_metadata(const struct apv_xml_where *w, const xmlNode *meta,
		       struct apv_domain_xml *out)
{
	for (const xmlNode *c = meta->children; c; c = c->next) {
		int rc;

		if (c->type != XML_ELEMENT_NODE || !md_in_ns(w, c))
			continue;
		if (out->has_metadata)
			return apv_xml_fail(w, c, "a second element in namespace %s", APV_XML_NS);
		rc = md_metadata_node(w, c, &out->metadata);
		if (rc)
			return rc;
		out->has_metadata = true;
	}
	return 0;
}

/* The uuid of <source><address uuid=.../></source> under @hd, or NULL. */
static const xmlNode *dx_hostdev_address(const xmlNode *hd)
{
	for (const xmlNode *s = hd->children; s; s = s->next) {
		if (!dx_is(s, "source"))
			continue;
		for (const xmlNode *a = s->children; a; a = a->next)
			if (dx_is(a, "address"))
				return a;
	}
	return NULL;
}

/* <hostdev mode='subsystem' type='mdev' model='vfio-ap'><source><address uuid=.../> */
static int dx_hostdev(const struct apv_xml_where *w, const xmlNode *hd, struct apv_domain_xml *out)
{
	const xmlNode *addr;
	xmlChar *uuid;

	if (!dx_attr_is(hd, "type", "mdev") || !dx_attr_is(hd, "model", "vfio-ap"))
		return 0;
	addr = dx_hostdev_address(hd);
	uuid = addr ? xmlGetNoNsProp(addr, (const xmlChar *)"uuid") : NULL;
	if (!uuid || !apv_uuid_valid((const char *)uuid)) {
		xmlFree(uuid);
		return apv_xml_fail(w, addr ? addr : hd, "the vfio-ap hostdev has no valid <source><address uuid=.../>");
	}
	if (++out->ap_hostdevs == 1) {
		snprintf(out->hostdev_mdev, sizeof(out->hostdev_mdev), "%s", (const char *)uuid);
		apv_xml_lower(out->hostdev_mdev);
	}
	xmlFree(uuid);
	return 0;
}

static int dx_devices(const struct apv_xml_where *w, const xmlNode *devs,
		      struct apv_domain_xml *out)
{
	for (const xmlNode *c = devs->children; c; c = c->next) {
		int rc = dx_is(c, "hostdev") ? dx_hostdev(w, c, out) : 0;

		if (rc)
			return rc;
	}
	return 0;
}

static int dx_walk(const struct apv_xml_where *w, const xmlNode *root, bool with_metadata,
		   struct apv_domain_xml *out)
{
	int rc = 0;

	if (!dx_is(root, "domain"))
		return apv_xml_fail(w, root, "the root element is <%s>, not <domain>", (const char *)root->name);
	/*
	 * The metadata first: a domain without apvirt metadata is not apvirt's,
	 * and whatever else its XML holds is none of apvirt's business (the
	 * hook must not refuse to start it, list must not stumble on it).
	 */
	for (const xmlNode *c = root->children; with_metadata && c && !rc; c = c->next)
		if (dx_is(c, "metadata"))
			rc = dx_metadata(w, c, out);
	if (rc || (with_metadata && !out->has_metadata))
		return rc;
	for (const xmlNode *c = root->children; c && !rc; c = c->next) {
		if (dx_is(c, "name"))
			rc = dx_name(w, c, out);
		else if (dx_is(c, "devices"))
			rc = dx_devices(w, c, out);
	}
	if (!rc && !out->name[0])
		rc = apv_xml_fail(w, root, "<domain> has no <name>");
	return rc;
}

int apv_domain_xml_parse_opts(const char *text, size_t len, bool with_metadata,
			      struct apv_domain_xml *out, struct apv_error *err)
{
	struct apv_xml_where w = { "domain XML", APV_XML_NS, err };
	struct apv_domain_xml dx;
	xmlDocPtr doc;
	int rc;

	rc = apv_xml_read(text, len, APV_DOMAIN_XML_MAX, &w, &doc);
	if (rc)
		return rc;
	memset(&dx, 0, sizeof(dx));
	rc = dx_walk(&w, xmlDocGetRootElement(doc), with_metadata, &dx);
	xmlFreeDoc(doc);
	if (!rc && with_metadata)
		rc = apv_domain_xml_resolve_mdev(&dx, err);
	if (!rc)
		*out = dx;
	return rc;
}

int apv_domain_xml_resolve_mdev(struct apv_domain_xml *dx, struct apv_error *err)
{
	if (!dx->has_metadata || dx->metadata.mdev[0])
		return 0;
	if (dx->ap_hostdevs != 1)
		return apv_error_set(err, EINVAL, "domain %s: its apvirt metadata names no mdev and it has %u vfio-ap hostdevs; name the mdev with mdev=\"UUID\", or give the domain one vfio-ap hostdev",
				     dx->name, dx->ap_hostdevs);
	snprintf(dx->metadata.mdev, sizeof(dx->metadata.mdev), "%s", dx->hostdev_mdev);
	return 0;
}

int apv_domain_xml_parse(const char *text, size_t len, struct apv_domain_xml *out,
			 struct apv_error *err)
{
	return apv_domain_xml_parse_opts(text, len, true, out, err);
}

int apv_domain_xml_check_mdev(const struct apv_domain_xml *dx, struct apv_error *err)
{
	if (!dx->has_metadata)
		return 0;
	if (dx->ap_hostdevs > 1)
		return apv_error_set(err, EINVAL, "domain %s has %u vfio-ap hostdevs; a guest takes one",
				     dx->name, dx->ap_hostdevs);
	if (dx->ap_hostdevs == 1 && strcmp(dx->hostdev_mdev, dx->metadata.mdev))
		return apv_error_set(err, EINVAL, "domain %s: its apvirt metadata names mdev %s but its vfio-ap hostdev names mdev %s; make them agree",
				     dx->name, dx->metadata.mdev, dx->hostdev_mdev);
	return 0;
}
