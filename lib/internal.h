/* SPDX-License-Identifier: GPL-2.0 */
/*
 * internal.h - what the modules of libapvirt share and do not export.
 *
 * The library sees the kernel only through sysfs text; from kernel/ it
 * uses the pure text and bitmap helpers of kernel/common (ap_text.h), the
 * exact parsers and formatters the kernel's attributes are defined by.
 */
#ifndef APVIRT_LIB_INTERNAL_H
#define APVIRT_LIB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <apvirt/apvirt.h>

#include "ap_bitmap.h"
#include "ap_text.h"

/* struct apv_ids and struct apbm share one layout (MSB-first words). */
_Static_assert(sizeof(struct apv_ids) == sizeof(struct apbm), "apv_ids is an apbm");

static inline void apv_ids_to_apbm(const struct apv_ids *in, struct apbm *out)
{
	memcpy(out->w, in->w, sizeof(out->w));
}

static inline void apv_ids_from_apbm(const struct apbm *in, struct apv_ids *out)
{
	memcpy(out->w, in->w, sizeof(out->w));
}

/* Cleanup helpers in the style of systemd's _cleanup_. */
static inline void apv_freep(void *p)
{
	free(*(void **)p);
}
#define _apv_autofree_ __attribute__((cleanup(apv_freep)))

/* ---- sysfs.c: bounded attribute I/O ---- */

/* One page, as a sysfs show produces at most, plus room for the NUL. */
#define APV_SYSFS_BUF	(APC_PAGE_SIZE + 1)

/*
 * Read an attribute with a single read() (a second read of a kernfs file
 * may see a new value).  The text is NUL-terminated; a NUL inside it is
 * -EINVAL.  -ENOENT for a missing file (not reported: absent is not
 * failed), -EFBIG if it does not fit @size - 1.
 */
int apv_sysfs_read(const char *path, char *buf, size_t size, size_t *len, struct apv_error *err);
/* The first line without its newline; a second line is -EINVAL. */
int apv_sysfs_read_line(const char *path, char *buf, size_t size, struct apv_error *err);
/* A decimal or 0x hex number, as the kernel prints it (%d, %u, 0x%08X). */
int apv_sysfs_read_long(const char *path, long min, long max, long *val,
			struct apv_error *err);
/* A mask "0x" + up to 64 hex digits (apmask, ap_adapter_mask, ...). */
int apv_sysfs_read_mask(const char *path, struct apv_ids *ids, struct apv_error *err);
/*
 * Write @value and a newline in one write(); the whole count must be
 * accepted, else the errno (or -EIO for a short write) is returned and
 * reported with the path and value.
 */
int apv_sysfs_write(const char *path, const char *value, struct apv_error *err);
bool apv_sysfs_exists(const char *path);
/* The last component of the symlink @path ("" if it does not exist). */
int apv_sysfs_link_name(const char *path, char *buf, size_t size);

/* ---- file.c: whole small files and atomic replacement ---- */

/* Read a regular file of at most @max bytes; malloc'ed, NUL-terminated. */
int apv_file_read(const char *path, size_t max, char **text, size_t *len,
		  struct apv_error *err);
/* Temp file beside @path, fsync, rename over @path, fsync the directory. */
int apv_file_replace(const char *path, const char *text, size_t len, mode_t mode,
		     struct apv_error *err);
/* mkdir -p for a directory below a root that exists. */
int apv_file_mkdirs(const char *path, mode_t mode, struct apv_error *err);

/* ---- log.c: one syslog line per change ---- */

/* "uid=U program=P WHAT: BEFORE -> AFTER" to syslog (and log_file). */
void apv_log_change(const struct apv_ctx *ctx, const char *what, const char *before,
		    const char *after);
const char *apv_ctx_log_file(const struct apv_ctx *ctx);

/* ---- journal.c: the undo log of one transaction ---- */

struct apv_journal;

/* Start <run>/apvirt/txn.journal (fails if one is left: recover first). */
int apv_journal_begin(const struct apv_ctx *ctx, const char *what, struct apv_journal **out,
		      struct apv_error *err);
/* Record, durably, how to undo the write to @path that comes next. */
int apv_journal_undo_write(struct apv_journal *j, const char *path, const char *undo_value,
			   struct apv_error *err);
/*
 * Record how to restore @path (a profile) before it is replaced: a copy
 * of its bytes goes beside the journal, or "absent" if it does not exist.
 */
int apv_journal_undo_file(struct apv_journal *j, const char *path, struct apv_error *err);
/* Undo the recorded steps in reverse order (also for a dead process). */
int apv_journal_rollback(struct apv_journal *j, struct apv_error *err);
/*
 * Append, durably, "commit-start" (@committed false: what follows is
 * written outside the journal) or "committed" (every part is written).
 */
int apv_journal_mark(struct apv_journal *j, bool committed, struct apv_error *err);
bool apv_journal_committed(const struct apv_journal *j);
bool apv_journal_commit_started(const struct apv_journal *j);
/* The transaction is complete (or rolled back): delete the journal. */
int apv_journal_end(struct apv_journal *j, struct apv_error *err);
void apv_journal_free(struct apv_journal *j);
/* Load a journal a dead process left; -ENOENT if there is none. */
int apv_journal_load(const struct apv_ctx *ctx, struct apv_journal **out,
		     struct apv_error *err);
/* An empty journal to parse into (load, and the fuzzer). */
int apv_journal_new_for_parse(const struct apv_ctx *ctx, struct apv_journal **out);
/* Parse a journal's text (bounded, strict); used by load and the fuzzer. */
int apv_journal_parse(const char *text, size_t len, struct apv_journal *j,
		      struct apv_error *err);
const char *apv_journal_what(const struct apv_journal *j);

/* ---- metadata.c ---- */

/*
 * The hardened XML reading metadata.c and status.c share (libxml2's
 * struct _xmlDoc and _xmlNode: this header does not need libxml2's).
 * @ns is the namespace the elements must be in.
 */
struct _xmlDoc;
struct _xmlNode;
struct apv_xml_where {
	const char *what;		/* names the input: "WHAT: line N: ..." */
	const char *ns;
	struct apv_error *err;
};

int apv_xml_fail(const struct apv_xml_where *w, const struct _xmlNode *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Parse @text (at most @max bytes; no NUL, no DOCTYPE) into a document. */
int apv_xml_read(const char *text, size_t len, size_t max, const struct apv_xml_where *w,
		 struct _xmlDoc **out);
/* An element @name in @w->ns? */
bool apv_xml_is(const struct apv_xml_where *w, const struct _xmlNode *n, const char *name);
/* "", " in namespace URI" or " without a namespace": where @n is. */
const char *apv_xml_ns_note(const struct apv_xml_where *w, const struct _xmlNode *n, char *buf,
			    size_t size);
/* The attributes @names of @n (NULL when absent); any other one fails. */
int apv_xml_attrs(const struct apv_xml_where *w, const struct _xmlNode *n,
		  const char *const *names, size_t count, const char **values);
/* The adapter, domain and control-domain children of @parent, nothing else. */
int apv_xml_matrix_children(const struct apv_xml_where *w, const struct _xmlNode *parent,
			    struct apv_matrix *m);
/* Put @root and its element children without a namespace into @uri. */
int apv_xml_adopt_ns(struct _xmlNode *root, const char *uri, struct apv_error *err);
/*
 * Read @text (apv_xml_read(), at most @max bytes), put an unqualified root
 * into @w->ns when @implicit_ns, and hand the root to @node.
 */
int apv_xml_parse_root(const char *text, size_t len, size_t max, const struct apv_xml_where *w,
		       bool implicit_ns,
		       int (*node)(const struct apv_xml_where *w, const struct _xmlNode *n, void *out),
		       void *out);
void apv_xml_lower(char *s);

/*
 * virDomainGetMetadata returns the element without its namespace (libvirt
 * chose it by the namespace already): @implicit_ns takes elements without
 * one as ours.  Elements in another namespace are still refused.
 */
int apv_metadata_parse_opts(const char *text, size_t len, const char *what, bool implicit_ns,
			    struct apv_metadata *out, struct apv_error *err);
/* The element as virDomainSetMetadata takes it: no prefix, no xmlns. */
char *apv_metadata_format_bare(const struct apv_metadata *md);

/*
 * apv_domain_xml_parse(), optionally without looking at <metadata> (the
 * libvirt glue reads the metadata through virDomainGetMetadata instead).
 */
int apv_domain_xml_parse_opts(const char *text, size_t len, bool with_metadata,
			      struct apv_domain_xml *out, struct apv_error *err);

/* ---- sha256.c ---- */

#define APV_SHA256_HEX_LEN	64
void apv_sha256_hex(const void *data, size_t len, char out[static APV_SHA256_HEX_LEN + 1]);

/* Add an error issue to @rep (validate.c); -ENOMEM or 0. */
int apv_report_add_error(struct apv_report *rep, enum apv_issue_kind kind, int apid, int apqi,
			 const char *subject, const char *owner, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

#endif /* APVIRT_LIB_INTERNAL_H */
