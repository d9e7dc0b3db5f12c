// SPDX-License-Identifier: GPL-2.0
/*
 * status.c - apv_status_*, apv_metadata_digest: the status element
 * apvirtd publishes after each reconcile (see apv_status.h).
 *
 * The parser reads what a libvirt user may have written into the status
 * namespace, so it is metadata.c's hardened reader (bounded, no DTD, no
 * entities) with the same strictness.  The formatter takes any reason
 * text (an error message may quote a file name) and still produces
 * well-formed XML that parses back to the same status.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "internal.h"

#define STATUS_TIME_LEN		20	/* "2026-12-02T04:05:06Z" */
#define STATUS_TIME_BUF		80

static const char *const status_results[] = {
	[APV_STATUS_APPLIED] = "applied",
	[APV_STATUS_REFUSED] = "refused",
	[APV_STATUS_STARTED] = "started",
};

const char *apv_status_result_name(enum apv_status_result r)
{
	return (unsigned int)r < 3 ? status_results[r] : "?";
}

/* ",".join(decimal IDs), "" for none */
static size_t status_id_list(char *buf, size_t size, const struct apv_ids *ids)
{
	size_t off = 0;
	unsigned int id;

	buf[0] = '\0';
	apv_ids_for_each(id, ids)
		off += (size_t)snprintf(buf + off, size - off, "%s%u", off ? "," : "", id);
	return off;
}

void apv_metadata_digest(const struct apv_metadata *md, char out[APV_DIGEST_HEX_LEN + 1])
{
	/* 256 IDs of at most 3 digits and a comma each, per list */
	char a[APV_ID_COUNT * 4 + 1], d[APV_ID_COUNT * 4 + 1], c[APV_ID_COUNT * 4 + 1];
	char line[sizeof(a) * 3 + 128];
	int len;

	status_id_list(a, sizeof(a), &md->matrix.apm);
	status_id_list(d, sizeof(d), &md->matrix.aqm);
	status_id_list(c, sizeof(c), &md->matrix.adm);
	len = snprintf(line, sizeof(line), "mdev=%s lifecycle=%s adapters=%s domains=%s control-domains=%s",
		       md->mdev, apv_lifecycle_name(md->lifecycle), a, d, c);
	apv_sha256_hex(line, (size_t)len, out);
}

static bool status_digest_valid(const char *s)
{
	return strlen(s) == APV_DIGEST_HEX_LEN &&
	       strspn(s, "0123456789abcdef") == APV_DIGEST_HEX_LEN;
}

/*
 * The length of the UTF-8 character at @s (at most @n bytes), or 0 when
 * it is not one XML allows: overlong, a surrogate, above U+10FFFF,
 * U+FFFE, U+FFFF, or cut short.
 */
static size_t status_utf8_len(const unsigned char *s, size_t n)
{
	unsigned int cp, len, min;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, cp = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, cp = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (unsigned int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe ||
	    cp == 0xffff)
		return 0;
	return len;
}

/* @in as an attribute value: escaped, control characters blank, bad bytes '?'. */
static size_t status_escape(char *out, const char *in)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = strlen(in), off = 0, len;

	for (size_t i = 0; i < n; i += len) {
		len = status_utf8_len(s + i, n - i);
		if (!len) {
			out[off++] = '?';
			len = 1;
		} else if (len > 1) {
			memcpy(out + off, s + i, len);
			off += len;
		} else if (s[i] < 0x20 || s[i] == 0x7f) {
			out[off++] = ' ';
		} else {
			const char *e = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" :
					s[i] == '>' ? "&gt;" : s[i] == '"' ? "&quot;" : NULL;

			if (e) {
				memcpy(out + off, e, strlen(e));
				off += strlen(e);
			} else {
				out[off++] = (char)s[i];
			}
		}
	}
	out[off] = '\0';
	return off;
}

/* @buf has room for any int fields; the range check keeps it at 20 bytes */
static bool status_time_text(time_t t, char buf[STATUS_TIME_BUF])
{
	struct tm tm;

	if (t < 0 || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999)
		return false;
	snprintf(buf, STATUS_TIME_BUF, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return true;
}

static bool status_in_range(const struct apv_status *st)
{
	size_t rlen = strnlen(st->reason, sizeof(st->reason));

	if ((unsigned int)st->result > APV_STATUS_STARTED || rlen == sizeof(st->reason))
		return false;
	if (!st->generation || st->generation > APV_STATUS_GENERATION_MAX)
		return false;
	if (!apv_uuid_valid(st->mdev) || !status_digest_valid(st->digest))
		return false;
	return (st->result == APV_STATUS_REFUSED) == (rlen > 0);
}

/* Append one "  <PREFIXKIND id=.../>\n" line per ID of @ids. */
static size_t status_ids(char *buf, size_t off, size_t size, const char *prefix,
			 const char *kind, const struct apv_ids *ids, int digits)
{
	unsigned int id;

	apv_ids_for_each(id, ids)
		off += (size_t)snprintf(buf + off, size - off, "  <%s%s id=\"0x%0*x\"/>\n",
					prefix, kind, digits, id);
	return off;
}

char *apv_status_format(const struct apv_status *st, bool bare)
{
	/* an escaped byte takes 6 at most; each ID line 40 at most */
	size_t size = 512 + 6 * APV_STATUS_REASON_MAX + 3 * APV_ID_COUNT * 48, off;
	const char *prefix = bare ? "" : APV_STATUS_PREFIX ":";
	char when[STATUS_TIME_BUF], mdev[APV_UUID_LEN + 1];
	const struct apv_matrix *m = &st->matrix;
	char *buf;

	if (!status_in_range(st) || !status_time_text(st->time, when))
		return NULL;
	buf = malloc(size);
	if (!buf)
		return NULL;
	snprintf(mdev, sizeof(mdev), "%s", st->mdev);
	apv_xml_lower(mdev);
	off = (size_t)snprintf(buf, size, "<%sstatus%s%s%s result=\"%s\" generation=\"%llu\" digest=\"%s\" time=\"%s\" mdev=\"%s\"",
			       prefix, bare ? "" : " xmlns:" APV_STATUS_PREFIX "=\"",
			       bare ? "" : APV_STATUS_NS, bare ? "" : "\"",
			       apv_status_result_name(st->result), st->generation, st->digest,
			       when, mdev);
	if (st->reason[0]) {
		off += (size_t)snprintf(buf + off, size - off, " reason=\"");
		off += status_escape(buf + off, st->reason);
		off += (size_t)snprintf(buf + off, size - off, "\"");
	}
	if (apv_matrix_empty(m)) {
		snprintf(buf + off, size - off, "/>\n");
		return buf;
	}
	off += (size_t)snprintf(buf + off, size - off, ">\n");
	off = status_ids(buf, off, size, prefix, "adapter", &m->apm, 2);
	off = status_ids(buf, off, size, prefix, "domain", &m->aqm, 4);
	off = status_ids(buf, off, size, prefix, "control-domain", &m->adm, 4);
	snprintf(buf + off, size - off, "</%sstatus>\n", prefix);
	return buf;
}

/* ---- parsing ---- */

/* A decimal from 1 to APV_STATUS_GENERATION_MAX without a leading zero. */
static bool status_parse_generation(const char *s, unsigned long long *out)
{
	size_t n = strspn(s, "0123456789");

	if (n < 1 || n > 16 || s[n] || s[0] == '0')
		return false;
	*out = strtoull(s, NULL, 10);
	return *out <= APV_STATUS_GENERATION_MAX;
}

/* Exactly "YYYY-MM-DDThh:mm:ssZ", a real UTC date from 1970 on. */
static bool status_parse_time(const char *s, time_t *out)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	struct tm tm = { 0 }, back;
	time_t t;

	if (strlen(s) != STATUS_TIME_LEN)
		return false;
	for (size_t i = 0; i < STATUS_TIME_LEN; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return false;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6 || tm.tm_year < 1970)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	back = tm;
	t = timegm(&tm);
	/* timegm() normalises Feb 30 and 25:00; a real date comes back as is */
	if (t < 0 || back.tm_year != tm.tm_year || back.tm_mon != tm.tm_mon ||
	    back.tm_mday != tm.tm_mday || back.tm_hour != tm.tm_hour ||
	    back.tm_min != tm.tm_min || back.tm_sec != tm.tm_sec)
		return false;
	*out = t;
	return true;
}

static int status_result(const char *s)
{
	for (int r = 0; r < 3; r++)
		if (!strcmp(s, status_results[r]))
			return r;
	return -1;
}

/* The reason: refused only, 1 to APV_STATUS_REASON_MAX - 1 bytes, no control characters. */
static int status_reason(const struct apv_xml_where *w, const xmlNode *n, const char *s,
			 struct apv_status *st)
{
	size_t len = s ? strlen(s) : 0;

	if (st->result != APV_STATUS_REFUSED)
		return s ? apv_xml_fail(w, n, "<status result=\"%s\"> has no reason",
					apv_status_result_name(st->result)) : 0;
	if (!len)
		return apv_xml_fail(w, n, "<status result=\"refused\"> needs a reason");
	if (len >= sizeof(st->reason))
		return apv_xml_fail(w, n, "the reason has %zu bytes, more than the %zu allowed",
				    len, sizeof(st->reason) - 1);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return apv_xml_fail(w, n, "the reason has a control character");
	memcpy(st->reason, s, len + 1);
	return 0;
}

static int status_node(const struct apv_xml_where *w, const xmlNode *n, struct apv_status *out)
{
	static const char *const names[] = {
		"result", "generation", "digest", "time", "mdev", "reason",
	};
	struct apv_status st;
	const char *v[6];
	char ns[240];
	int r, rc;

	if (!apv_xml_is(w, n, "status"))
		return apv_xml_fail(w, n, "expected <status> in namespace %s, found <%s>%s", w->ns,
				    (const char *)n->name, apv_xml_ns_note(w, n, ns, sizeof(ns)));
	rc = apv_xml_attrs(w, n, names, 6, v);
	if (rc)
		return rc;
	memset(&st, 0, sizeof(st));
	r = v[0] ? status_result(v[0]) : -1;
	if (r < 0)
		return apv_xml_fail(w, n, "<status> needs result=\"applied\", \"refused\" or \"started\"");
	st.result = (enum apv_status_result)r;
	if (!v[1] || !status_parse_generation(v[1], &st.generation))
		return apv_xml_fail(w, n, "<status> needs generation=\"N\" (1 to %llu, no leading zero)",
				    APV_STATUS_GENERATION_MAX);
	if (!v[2] || !status_digest_valid(v[2]))
		return apv_xml_fail(w, n, "<status> needs digest=\"%d lower-case hex digits\"",
				    APV_DIGEST_HEX_LEN);
	memcpy(st.digest, v[2], APV_DIGEST_HEX_LEN + 1);
	if (!v[3] || !status_parse_time(v[3], &st.time))
		return apv_xml_fail(w, n, "<status> needs time=\"YYYY-MM-DDThh:mm:ssZ\" (UTC, 1970 to 9999)");
	if (!v[4] || !apv_uuid_valid(v[4]))
		return apv_xml_fail(w, n, "<status> needs mdev=\"UUID\" (8-4-4-4-12 hex digits)");
	snprintf(st.mdev, sizeof(st.mdev), "%s", v[4]);
	apv_xml_lower(st.mdev);
	rc = status_reason(w, n, v[5], &st);
	if (!rc)
		rc = apv_xml_matrix_children(w, n, &st.matrix);
	if (!rc)
		*out = st;
	return rc;
}

static int status_root(const struct apv_xml_where *w, const xmlNode *n, void *out)
{
	return status_node(w, n, out);
}

int apv_status_parse(const char *text, size_t len, const char *what, bool implicit_ns,
		     struct apv_status *out, struct apv_error *err)
{
	struct apv_xml_where w = { what ? what : "status", APV_STATUS_NS, err };

	return apv_xml_parse_root(text, len, APV_METADATA_MAX, &w, implicit_ns, status_root, out);
}
