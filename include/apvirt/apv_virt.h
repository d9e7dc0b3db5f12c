/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apv_virt.h - libapvirt's glue to libvirt: find a domain, read and write
 * its apvirt metadata (live and/or persistent), read its vfio-ap hostdev.
 *
 * The only module of the library that calls libvirt.  Hooks must not use
 * it: libvirtd waits for a hook, so a hook calling back into libvirtd
 * deadlocks; a hook reads the domain XML on stdin (apv_domain_xml_parse()).
 */
#ifndef APVIRT_APV_VIRT_H
#define APVIRT_APV_VIRT_H

#include <stdbool.h>
#include <stddef.h>

#include <apvirt/apv_error.h>
#include <apvirt/apv_metadata.h>
#include <apvirt/apv_status.h>
#include <apvirt/apv_validate.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Which definition a call reads or changes; the values of libvirt's
 * VIR_DOMAIN_AFFECT_* (CURRENT: live if the domain runs, else config).
 */
#define APV_VIRT_CURRENT	0x0
#define APV_VIRT_LIVE		0x1
#define APV_VIRT_CONFIG		0x2

#define APV_VIRT_DOMAINS_MAX	65536	/* domains listed from one connection */

struct apv_virt;
struct apv_virt_domain;

/*
 * Connect to @uri; NULL means libvirt's default (LIBVIRT_DEFAULT_URI, then
 * its own choice).  libvirt's messages go to @err, never to stderr.
 */
int apv_virt_open(const char *uri, struct apv_virt **out, struct apv_error *err);
void apv_virt_close(struct apv_virt *v);

/* A domain by name or UUID; -ENOENT ("no domain NAME") when unknown. */
int apv_virt_lookup(struct apv_virt *v, const char *name, struct apv_virt_domain **out,
		    struct apv_error *err);
void apv_virt_domain_free(struct apv_virt_domain *d);
const char *apv_virt_domain_name(const struct apv_virt_domain *d);
bool apv_virt_domain_active(const struct apv_virt_domain *d);
bool apv_virt_domain_persistent(const struct apv_virt_domain *d);

/*
 * Turn @flags (APV_VIRT_*) into the definitions a change affects, as
 * libvirt does for every API taking VIR_DOMAIN_AFFECT_*: CURRENT becomes
 * LIVE on a running domain and CONFIG on another; LIVE on a domain that
 * does not run and CONFIG on a transient one are refused with libvirt's
 * words (-EINVAL).
 */
int apv_virt_resolve_impact(const struct apv_virt_domain *d, unsigned int flags,
			    unsigned int *out, struct apv_error *err);

/*
 * Read one definition (@side: APV_VIRT_LIVE or APV_VIRT_CONFIG): the
 * metadata through virDomainGetMetadata (has_metadata false when there is
 * none) and the vfio-ap hostdevs from the domain XML.
 */
int apv_virt_read(const struct apv_virt_domain *d, unsigned int side,
		  struct apv_domain_xml *out, struct apv_error *err);

/*
 * Write @md as the domain's metadata in each definition of @sides
 * (LIVE, CONFIG or both, already resolved); NULL removes it.
 */
int apv_virt_set_metadata(const struct apv_virt_domain *d, unsigned int sides,
			  const struct apv_metadata *md, struct apv_error *err);

/*
 * Publish @st as the domain's live status (apv_status.h); only apvirtd
 * does.  -EINVAL when @st is out of range, -EIO with libvirt's words.
 */
int apv_virt_set_status(const struct apv_virt_domain *d, const struct apv_status *st,
			struct apv_error *err);
/* Read the live status; @found false (and 0) when there is none. */
int apv_virt_read_status(const struct apv_virt_domain *d, struct apv_status *out, bool *found,
			 struct apv_error *err);

/* Every domain of the connection (active and defined), sorted by name. */
struct apv_virt_domains {
	size_t count;
	struct apv_virt_domain **items;
};

int apv_virt_list(struct apv_virt *v, struct apv_virt_domains *out, struct apv_error *err);
void apv_virt_domains_free(struct apv_virt_domains *list);

/*
 * The apvirt metadata of every domain but one, read in one go, so that a
 * caller can read libvirt first and check later under the apvirt lock
 * without calling libvirt there (a guest being started holds its domain
 * in libvirtd while its prepare hook waits for that lock).
 */
struct apv_virt_other {
	char name[APV_DOMAIN_NAME_MAX];
	unsigned int side;		/* APV_VIRT_LIVE or APV_VIRT_CONFIG */
	struct apv_metadata metadata;
};

struct apv_virt_others {
	size_t count, alloc;
	struct apv_virt_other *items;	/* by domain name, live before config */
};

/*
 * Read the live metadata of every running domain and the persistent one
 * of every defined domain, except @self's (a name).
 */
int apv_virt_read_others(struct apv_virt *v, const char *self, struct apv_virt_others *out,
			 struct apv_error *err);
void apv_virt_others_free(struct apv_virt_others *list);

/*
 * A conflict no sysfs check can see, in @others: a domain whose metadata
 * names mdev @uuid too (its prepare hook would refuse to share it), or
 * one whose matrix shares an APQN with @want, perhaps a guest that does
 * not run now.  The first such conflict becomes one APV_ISSUE_OTHER_DOMAIN
 * error in @rep naming the domain (for an APQN, with the command that
 * frees it).  Returns the number of errors added (0 or 1), or -ENOMEM.
 */
int apv_virt_others_check(const struct apv_virt_others *others, const char *uuid,
			  const struct apv_matrix *want, struct apv_report *rep);

/* apv_virt_read_others() and apv_virt_others_check() in one call. */
int apv_virt_check_others(struct apv_virt *v, const char *self, const char *uuid,
			  const struct apv_matrix *want, struct apv_report *rep,
			  struct apv_error *err);

#ifdef __cplusplus
}
#endif

#endif /* APVIRT_APV_VIRT_H */
