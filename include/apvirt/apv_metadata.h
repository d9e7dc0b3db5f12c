/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apv_metadata.h - the guest's AP matrix in its libvirt domain XML
 * (docs/architecture.md section 4, xml-schemas/ap-matrix.rnc):
 *
 *	<ap:matrix xmlns:ap="http://apvirt.org/xmlns/ap-matrix/1.0"
 *		   mdev="UUID" lifecycle="managed|external">
 *	  <ap:adapter id="0x05"/> <ap:domain id="0x0004"/>
 *	  <ap:control-domain id="0x0004"/>
 *	</ap:matrix>
 *
 * and the attach-device fragments (xml-schemas/ap-fragment.rnc): one
 * <adapter>, <domain> or <control-domain>, or a <matrix> of several
 * without attributes.
 *
 * The parsers are libxml2 with untrusted input in mind: bounded size, no
 * network, no DTD, no entity expansion, every element and attribute in
 * the right namespace, nothing unknown.  They accept exactly what the
 * schemas accept and also refuse an ID listed twice.
 */
#ifndef APVIRT_APV_METADATA_H
#define APVIRT_APV_METADATA_H

#include <stdbool.h>
#include <stddef.h>

#include <apvirt/apv_error.h>
#include <apvirt/apv_host.h>
#include <apvirt/apv_ids.h>

#ifdef __cplusplus
extern "C" {
#endif

#define APV_XML_NS		"http://apvirt.org/xmlns/ap-matrix/1.0"
#define APV_XML_PREFIX		"ap"		/* the key libvirt stores it under */
#define APV_METADATA_MAX	65536		/* bytes of a metadata element or fragment */
#define APV_DOMAIN_XML_MAX	(8 * 1024 * 1024)	/* bytes of a whole domain XML */
#define APV_DOMAIN_NAME_MAX	256		/* bytes of a domain name, NUL included */

enum apv_lifecycle {
	APV_LIFECYCLE_MANAGED,		/* apvirt creates and removes the mdev */
	APV_LIFECYCLE_EXTERNAL,		/* mdevctl or the admin owns it */
};

struct apv_metadata {
	char mdev[APV_UUID_LEN + 1];	/* lower case; parsed without mdev=: "" */
	enum apv_lifecycle lifecycle;
	struct apv_matrix matrix;	/* desired */
};

/*
 * Parse an <ap:matrix> metadata element.  @what names the input in error
 * messages ("metadata of guest1").  @out is written only on success.
 */
int apv_metadata_parse(const char *text, size_t len, const char *what,
		       struct apv_metadata *out, struct apv_error *err);

/*
 * Parse an attach-device fragment into the IDs it names (@out is zeroed
 * first).  An empty <matrix/> names nothing and is refused.
 */
int apv_fragment_parse(const char *text, size_t len, const char *what,
		       struct apv_matrix *out, struct apv_error *err);

/*
 * The element as apvirt writes it: prefix "ap", IDs in hex (2 digits for
 * adapters, 4 for domains), one per line, a final newline.  malloc'ed;
 * NULL only when out of memory.
 */
char *apv_metadata_format(const struct apv_metadata *md);

const char *apv_lifecycle_name(enum apv_lifecycle lc);

/* What apvirt reads from a whole domain XML (hooks, the libvirt glue). */
struct apv_domain_xml {
	char name[APV_DOMAIN_NAME_MAX];
	bool has_metadata;		/* an <ap:matrix> in <metadata> */
	struct apv_metadata metadata;
	unsigned int ap_hostdevs;	/* <hostdev type='mdev' model='vfio-ap'> */
	char hostdev_mdev[APV_UUID_LEN + 1];	/* the first one's UUID, lower case */
};

/*
 * Parse a domain XML (as libvirt gives it to a hook on stdin or through
 * virDomainGetXMLDesc): the name, the apvirt metadata (validated as
 * apv_metadata_parse() does) and the vfio-ap mdev hostdevs; a metadata
 * without mdev= gets the hostdev's (apv_domain_xml_resolve_mdev()).
 */
int apv_domain_xml_parse(const char *text, size_t len, struct apv_domain_xml *out,
			 struct apv_error *err);

/*
 * A metadata without mdev= (apv_metadata_parse() leaves mdev empty)
 * takes the UUID of the domain's vfio-ap hostdev, which must be exactly
 * one; with none or several it is EINVAL.  Anything else is left alone.
 */
int apv_domain_xml_resolve_mdev(struct apv_domain_xml *dx, struct apv_error *err);

/*
 * The metadata and the guest's vfio-ap hostdev must name the same mdev;
 * a guest has at most one vfio-ap hostdev (QEMU takes one).  A guest
 * without a hostdev is fine (x86 test guests, a hostdev added later).
 */
int apv_domain_xml_check_mdev(const struct apv_domain_xml *dx, struct apv_error *err);

/* ---- matrices as sets of IDs ---- */

/* dst |= add, dst &= ~del (adapters, domains, control domains alike). */
void apv_matrix_merge(struct apv_matrix *dst, const struct apv_matrix *add);
void apv_matrix_subtract(struct apv_matrix *dst, const struct apv_matrix *del);
/* What leaves (@from but not @to) and what comes (@to but not @from). */
void apv_matrix_diff(const struct apv_matrix *from, const struct apv_matrix *to,
		     struct apv_matrix *gone, struct apv_matrix *come);
bool apv_matrix_empty(const struct apv_matrix *m);
/* Every ID of @part in @whole? */
bool apv_matrix_contains(const struct apv_matrix *whole, const struct apv_matrix *part);
/*
 * The first APQN (lowest adapter, then domain) both matrices hold, or
 * false when they share none.
 */
bool apv_matrix_overlap(const struct apv_matrix *a, const struct apv_matrix *b,
			unsigned int *apid, unsigned int *apqi);

#ifdef __cplusplus
}
#endif

#endif /* APVIRT_APV_METADATA_H */
