/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apv_status.h - the status apvirtd(8) publishes in a running guest's
 * live libvirt metadata after each reconcile (xml-schemas/ap-status.rnc,
 * apvirt-matrix(5)), in its own namespace so that its writes never look
 * like an edit of the matrix:
 *
 *	<st:status xmlns:st="http://apvirt.org/xmlns/ap-status/1.0"
 *		   result="applied|refused|started" generation="7"
 *		   digest="SHA-256 hex" time="2026-12-02T04:05:06Z"
 *		   mdev="UUID" reason="why (refused only)">
 *	  <st:adapter id="0x05"/> <st:domain id="0x0004"/> ...
 *	</st:status>
 *
 * The children are the matrix in effect afterwards.  The digest is
 * apv_metadata_digest() of the <ap:matrix> the agent reconciled, so that
 * a client can tell that a status answers its own edit: SHA-256 of the
 * line "mdev=UUID lifecycle=LC adapters=A domains=D control-domains=C",
 * UUID in lower case, each list the IDs in decimal, ascending, separated
 * by commas, empty when there are none.
 *
 * The parser is as strict as apv_metadata_parse(): bounded, no DTD, no
 * entities, every element in the namespace, nothing unknown; a reason
 * exactly when the result is "refused".
 */
#ifndef APVIRT_APV_STATUS_H
#define APVIRT_APV_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <apvirt/apv_error.h>
#include <apvirt/apv_ids.h>
#include <apvirt/apv_metadata.h>

#ifdef __cplusplus
extern "C" {
#endif

#define APV_STATUS_NS		"http://apvirt.org/xmlns/ap-status/1.0"
#define APV_STATUS_PREFIX	"st"		/* the key libvirt stores it under */
#define APV_DIGEST_HEX_LEN	64		/* SHA-256 in hex */
#define APV_STATUS_REASON_MAX	1024		/* bytes of a reason, NUL included */
#define APV_STATUS_GENERATION_MAX 9007199254740991ULL	/* 2^53 - 1: exact in JSON too */

enum apv_status_result {
	APV_STATUS_APPLIED,	/* the edit (or nothing to do) is in effect */
	APV_STATUS_REFUSED,	/* the edit was refused and rolled back */
	APV_STATUS_STARTED,	/* the guest started with this matrix */
};

struct apv_status {
	enum apv_status_result result;
	unsigned long long generation;	/* 1 and up, per guest run */
	char digest[APV_DIGEST_HEX_LEN + 1];	/* lower-case hex */
	time_t time;			/* UTC seconds */
	char mdev[APV_UUID_LEN + 1];	/* lower case */
	struct apv_matrix matrix;	/* in effect afterwards */
	char reason[APV_STATUS_REASON_MAX];	/* "" unless refused */
};

/* "applied", "refused", "started" */
const char *apv_status_result_name(enum apv_status_result r);

/* The digest of @md (see above) into @out. */
void apv_metadata_digest(const struct apv_metadata *md, char out[APV_DIGEST_HEX_LEN + 1]);

/*
 * The element as apvirt writes it (prefixed, with its xmlns), or with
 * @bare as virDomainSetMetadata takes it (no prefix, no xmlns).  A reason
 * longer than fits is cut at a character boundary; control characters
 * become blanks and bytes that are not UTF-8 become '?', so any text
 * gives well-formed XML.  malloc'ed; NULL when out of memory or when @st
 * is out of range (generation 0 or above the maximum, a time before 1970
 * or after 9999, an invalid UUID or digest, a reason with another result).
 */
char *apv_status_format(const struct apv_status *st, bool bare);

/*
 * Parse a status element; @implicit_ns takes elements without a
 * namespace as ours (what virDomainGetMetadata returns).  @what names the
 * input in error messages.  @out is written only on success.
 */
int apv_status_parse(const char *text, size_t len, const char *what, bool implicit_ns,
		     struct apv_status *out, struct apv_error *err);

#ifdef __cplusplus
}
#endif

#endif /* APVIRT_APV_STATUS_H */
