/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apv_profile.h - mdevctl's stored definitions of vfio_ap mdevs,
 * <etc>/mdevctl.d/matrix/<uuid>:
 *
 *	{ "mdev_type": "vfio_ap-passthrough", "start": "auto"|"manual",
 *	  "attrs": [ {"assign_adapter": "0x05"}, {"assign_domain": "4"}, ... ] }
 *
 * The matrix a profile defines is what mdevctl start would write: the
 * attrs applied in order (assign_*, unassign_*, ap_config).  Rewriting a
 * profile replaces only those attrs and keeps every other key and attr.
 */
#ifndef APVIRT_APV_PROFILE_H
#define APVIRT_APV_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include <apvirt/apv_ctx.h>
#include <apvirt/apv_error.h>
#include <apvirt/apv_ids.h>

#ifdef __cplusplus
extern "C" {
#endif

#define APV_PROFILE_MAX		65536	/* bytes of one profile file */
#define APV_PROFILE_ATTRS_MAX	4096	/* entries of "attrs" */
#define APV_PROFILES_MAX	4096	/* profiles read from one directory */
#define APV_MDEV_TYPE		"vfio_ap-passthrough"

struct apv_profile;

/*
 * Parse the text of one profile (bounded, strict: the keys mdevctl
 * requires, attrs as single-key objects with string values, numbers as
 * the kernel's kstrtoul takes them and below 256).  @uuid may be NULL.
 */
int apv_profile_parse(const char *text, size_t len, const char *uuid,
		      struct apv_profile **out, struct apv_error *err);
/* A new "manual" profile without attrs. */
int apv_profile_new(const char *uuid, bool autostart, struct apv_profile **out,
		    struct apv_error *err);
void apv_profile_free(struct apv_profile *p);

const char *apv_profile_uuid(const struct apv_profile *p);
bool apv_profile_autostart(const struct apv_profile *p);
const char *apv_profile_type(const struct apv_profile *p);
const struct apv_matrix *apv_profile_matrix(const struct apv_profile *p);
/* Replace the matrix attrs: adapters, domains, control domains, in hex. */
int apv_profile_set_matrix(struct apv_profile *p, const struct apv_matrix *m,
			   struct apv_error *err);
/* Pretty-printed JSON with a final newline; free() it. */
char *apv_profile_to_json(const struct apv_profile *p);

/* Read <etc>/mdevctl.d/matrix/<uuid>; -ENOENT (unreported) when absent. */
int apv_profile_load(const struct apv_ctx *ctx, const char *uuid, struct apv_profile **out,
		     struct apv_error *err);
/* Write it atomically: temp file, fsync, rename, fsync of the directory. */
int apv_profile_save(const struct apv_ctx *ctx, const struct apv_profile *p,
		     struct apv_error *err);
int apv_profile_path(const struct apv_ctx *ctx, const char *uuid, char *buf, size_t size);

/* Every profile in <etc>/mdevctl.d/matrix (files named by a UUID). */
struct apv_profiles {
	size_t count;
	struct apv_profile **items;
};

int apv_profiles_load(const struct apv_ctx *ctx, struct apv_profiles *out,
		      struct apv_error *err);
void apv_profiles_free(struct apv_profiles *list);
const struct apv_profile *apv_profiles_find(const struct apv_profiles *list, const char *uuid);

/* A strict 36-character UUID (8-4-4-4-12 hex)? */
bool apv_uuid_valid(const char *uuid);

#ifdef __cplusplus
}
#endif

#endif /* APVIRT_APV_PROFILE_H */
