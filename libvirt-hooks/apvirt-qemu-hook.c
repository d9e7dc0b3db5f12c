// SPDX-License-Identifier: GPL-2.0
/*
 * apvirt-qemu-hook.c - libvirt's QEMU hook for apvirt, installed as
 * /etc/libvirt/hooks/qemu.d/apvirt.  libvirtd runs it as
 *
 *	apvirt DOMAIN OPERATION SUB-OPERATION -
 *
 * with the domain XML on stdin and waits for it, so it never calls back
 * into libvirt (that would deadlock): everything it needs is in the XML
 * and in sysfs, found through /etc/apvirt/apvirt.conf like every apvirt
 * program.
 *
 *	prepare begin	 validate; refuse an mdev another domain uses; create
 *			 the mdev if lifecycle="managed" and it is absent;
 *			 apply the desired matrix.  A failure is exit 1 and
 *			 one line on stderr, which libvirt shows as the reason
 *			 the guest did not start.
 *	started begin	 log the effective matrix and what is filtered; never
 *			 fails (libvirtd would kill the guest)
 *	release end	 forget the domain as the mdev's user; remove the
 *			 mdev if apvirt created it
 *	reconnect begin	 record the user again, log drift; never fails
 *
 * A domain without apvirt metadata costs one scan of its XML for the
 * namespace and nothing else.  Which mdevs apvirt created is kept in
 * <run>/apvirt/managed/<uuid>, which domain uses an mdev in
 * <run>/apvirt/owner/<uuid> (each holds the domain's name), so release
 * never removes an mdev someone else made and prepare never rewrites the
 * mdev of a running guest.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <apvirt/apvirt.h>

#define PROGRAM	"apvirt-qemu-hook"

/*
 * The longest the hook waits for the apvirt lock, whatever lock_timeout
 * says: libvirtd holds the domain while the hook runs, so anything that
 * reads that domain waits too (an apvirt change holding the lock may be
 * one of them).  A start fails after this with one line, not a hang.
 */
#define HOOK_LOCK_WAIT	10	/* seconds */

struct hook {
	const char *name;		/* argv[1]: the domain, before any parsing */
	const char *op, *subop;
	struct apv_domain_xml dx;
	struct apv_ctx *ctx;
	struct apv_lock *lock;
	struct apv_host *host;
	struct apv_profiles profiles;
	struct apv_error err;
};

/* The one line libvirt shows, then exit 1. */
static int hook_fail(const struct hook *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int hook_fail(const struct hook *h, const char *fmt, ...)
{
	char msg[APV_ERROR_MSG_MAX + 256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "apvirt: domain %s: %s\n", h->dx.name[0] ? h->dx.name : h->name, msg);
	if (h->ctx)
		apv_log_note(h->ctx, "domain %s %s %s failed: %s", h->dx.name, h->op, h->subop, msg);
	return 1;
}

/* Read all of stdin, at most APV_DOMAIN_XML_MAX bytes. */
static int hook_read_stdin(char **text, size_t *len)
{
	size_t cap = APV_DOMAIN_XML_MAX + 1, n = 0;
	char *buf = malloc(cap);
	ssize_t r;

	if (!buf)
		return -ENOMEM;
	while (n < cap && (r = read(STDIN_FILENO, buf + n, cap - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return -errno;
		}
		n += (size_t)r;
	}
	*text = buf;
	*len = n;
	return 0;
}

static const char *matrix_text(const struct apv_matrix *m, char *buf, size_t size)
{
	char a[1024], d[1536], c[1536];

	apv_ids_format(&m->apm, 2, a, sizeof(a));
	apv_ids_format(&m->aqm, 4, d, sizeof(d));
	apv_ids_format(&m->adm, 4, c, sizeof(c));
	snprintf(buf, size, "adapters %s domains %s control-domains %s", a, d, c);
	return buf;
}

/*
 * Two records per mdev under <run>/apvirt/, each holding a domain name:
 *  managed/<uuid>  apvirt created the mdev for that domain (release removes it);
 *  owner/<uuid>    that domain uses the mdev from prepare to release, so the
 *                  prepare of another domain naming it must not rewrite it
 *                  under a running guest (libvirt's own in-use check of the
 *                  hostdev comes after the prepare hook).
 */
static const char REC_MANAGED[] = "managed";
static const char REC_OWNER[] = "owner";

static int rec_path(const struct hook *h, const char *kind, char *buf, size_t size)
{
	return apv_path_run(h->ctx, buf, size, "apvirt/%s/%s", kind, h->dx.metadata.mdev);
}

static int rec_mkdirs(const struct hook *h, const char *kind)
{
	char dir[PATH_MAX];

	if (apv_path_run(h->ctx, dir, sizeof(dir), "apvirt") < 0)
		return -ENAMETOOLONG;
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	if (apv_path_run(h->ctx, dir, sizeof(dir), "apvirt/%s", kind) < 0)
		return -ENAMETOOLONG;
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

static int rec_write(const struct hook *h, const char *kind)
{
	char path[PATH_MAX];
	FILE *f;
	int rc = rec_mkdirs(h, kind);

	if (rc)
		return rc;
	if (rec_path(h, kind, path, sizeof(path)) < 0)
		return -ENAMETOOLONG;
	f = fopen(path, "we");
	if (!f)
		return -errno;
	fprintf(f, "%s\n", h->dx.name);
	return fclose(f) ? -errno : 0;
}

/* The domain a record names ("" when there is none). */
static void rec_read(const struct hook *h, const char *kind, char *name, size_t size)
{
	char path[PATH_MAX];
	FILE *f;

	name[0] = '\0';
	if (rec_path(h, kind, path, sizeof(path)) < 0 || !(f = fopen(path, "re")))
		return;
	if (!fgets(name, (int)size, f))
		name[0] = '\0';
	fclose(f);
	name[strcspn(name, "\n")] = '\0';
}

static bool rec_names_domain(const struct hook *h, const char *kind)
{
	char name[APV_DOMAIN_NAME_MAX + 2];

	rec_read(h, kind, name, sizeof(name));
	return !strcmp(name, h->dx.name);
}

static void rec_remove(const struct hook *h, const char *kind)
{
	char path[PATH_MAX];

	if (rec_path(h, kind, path, sizeof(path)) >= 0)
		unlink(path);
}

static int hook_session(struct hook *h, bool lock, bool profiles)
{
	int rc = 0;

	if (lock) {
		if (apv_ctx_lock_timeout(h->ctx) > HOOK_LOCK_WAIT)
			apv_ctx_set_lock_timeout(h->ctx, HOOK_LOCK_WAIT);
		rc = apv_lock_acquire(h->ctx, &h->lock, &h->err);
		if (!rc && apv_txn_recover(h->ctx, h->lock, &h->err) < 0)
			rc = -1;
	}
	if (!rc)
		rc = apv_host_read(h->ctx, &h->host, &h->err);
	if (!rc && profiles)
		rc = apv_profiles_load(h->ctx, &h->profiles, &h->err);
	return rc;
}

static void hook_reread_host(struct hook *h)
{
	apv_host_free(h->host);
	h->host = NULL;
	if (apv_host_read(h->ctx, &h->host, &h->err))
		h->host = NULL;
}

/* The first error of a validation, or 0. */
static int hook_validate(struct hook *h, char *msg, size_t size)
{
	struct apv_report rep;
	int rc;

	apv_report_init(&rep);
	rc = apv_validate_matrix(h->host, &h->profiles, h->dx.metadata.mdev,
				 &h->dx.metadata.matrix, &rep);
	for (size_t i = 0; rc > 0 && i < rep.count; i++)
		if (rep.issues[i].severity == APV_ERROR) {
			snprintf(msg, size, "%s", rep.issues[i].msg);
			break;
		}
	if (rc < 0)
		snprintf(msg, size, "out of memory");
	apv_report_free(&rep);
	return rc;
}

/* Undo a creation of this prepare when a later step fails. */
/*
 * Undo a creation of this prepare when a later step fails, then fail with
 * @why.  If the mdev cannot be removed, its record stays (so release
 * removes it later) and the message says so.
 */
static int hook_undo_create(struct hook *h, const char *why)
{
	struct apv_error err = { 0 };

	hook_reread_host(h);
	if (!h->host)
		snprintf(err.msg, sizeof(err.msg), "cannot read the host");
	else if (!apv_host_find_mdev(h->host, h->dx.metadata.mdev) ||
		 !apv_txn_remove_mdev(h->ctx, h->lock, h->host, h->dx.metadata.mdev, &err)) {
		rec_remove(h, REC_MANAGED);
		return hook_fail(h, "%s", why);
	}
	return hook_fail(h, "%s; and the mdev %s it created could not be removed (%s): the release of this domain removes it",
			 why, h->dx.metadata.mdev, err.msg);
}

/*
 * The record comes first: a record of an absent mdev is harmless, an mdev
 * without a record would never be removed.
 */
static int hook_create(struct hook *h)
{
	const char *uuid = h->dx.metadata.mdev;
	char why[APV_ERROR_MSG_MAX + 64];

	if (h->dx.metadata.lifecycle == APV_LIFECYCLE_EXTERNAL)
		return hook_fail(h, "mdev %s is not active and its lifecycle is external: start it first (mdevctl start -u %s)",
				 uuid, uuid);
	if (rec_write(h, REC_MANAGED))
		return hook_fail(h, "cannot record that apvirt creates mdev %s", uuid);
	if (apv_txn_create_mdev(h->ctx, h->lock, uuid, &h->err)) {
		rec_remove(h, REC_MANAGED);
		return hook_fail(h, "cannot create mdev %s: %s", uuid, h->err.msg);
	}
	hook_reread_host(h);
	if (!h->host) {
		snprintf(why, sizeof(why), "%s", h->err.msg);
		return hook_undo_create(h, why);
	}
	return 0;
}

/*
 * Another domain uses the mdev (from its prepare to its release): refuse,
 * since applying this domain's matrix would change that guest's CRYCB.
 */
static bool hook_owned_by_other(struct hook *h)
{
	char owner[APV_DOMAIN_NAME_MAX + 2], path[PATH_MAX];

	rec_read(h, REC_OWNER, owner, sizeof(owner));
	if (!owner[0] || !strcmp(owner, h->dx.name))
		return false;
	if (rec_path(h, REC_OWNER, path, sizeof(path)) < 0)
		path[0] = '\0';
	hook_fail(h, "mdev %s is in use by domain %s; give this domain its own mdev (if %s is not running, remove %s)",
		  h->dx.metadata.mdev, owner, owner, path);
	return true;
}

static int hook_prepare(struct hook *h)
{
	const char *uuid = h->dx.metadata.mdev;
	char msg[APV_ISSUE_MSG_MAX], m[4200];
	bool created = false;
	int rc;

	if (apv_domain_xml_check_mdev(&h->dx, &h->err) || hook_session(h, true, true))
		return hook_fail(h, "%s", h->err.msg);
	if (hook_owned_by_other(h))
		return 1;
	rc = hook_validate(h, msg, sizeof(msg));
	if (rc)
		return hook_fail(h, "%s", msg);
	if (!apv_host_find_mdev(h->host, uuid)) {
		if (hook_create(h))
			return 1;
		created = true;
	}
	if (apv_txn_set_matrix(h->ctx, h->lock, h->host, uuid, &h->dx.metadata.matrix,
			       APV_TXN_NO_PROFILE, NULL, &h->err)) {
		if (created)
			return hook_undo_create(h, h->err.msg);
		return hook_fail(h, "%s", h->err.msg);
	}
	if (rec_write(h, REC_OWNER))
		apv_log_note(h->ctx, "domain %s prepare: cannot record it as the user of mdev %s",
			     h->dx.name, uuid);
	apv_log_note(h->ctx, "domain %s prepare: mdev %s %s, %s", h->dx.name, uuid,
		     created ? "created" : "present", matrix_text(&h->dx.metadata.matrix, m, sizeof(m)));
	return 0;
}

/* "adapter 0x06 (not in the host's AP configuration), ..." */
static void effective_text(const struct apv_effective *e, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < e->nfiltered && off < size; i++) {
		const struct apv_filtered *f = &e->filtered[i];

		off += (size_t)snprintf(buf + off, size - off, "%s%s 0x%0*x (%s)", i ? ", " : "",
					apv_explain_kind_name(f->kind), f->kind == APV_ADAPTER ? 2 : 4,
					f->id, apv_explain_reason_text(f->reason));
	}
	if (!off)
		snprintf(buf, size, "none");
}

/*
 * started and reconnect: what the guest gets; reconnect also the drift.
 * Only a report: libvirt kills a guest whose started hook fails, so
 * whatever goes wrong here is logged and the exit status is 0.
 */
static int hook_report(struct hook *h, bool drift)
{
	const struct apv_mdev *m;
	struct apv_effective e;
	char eff[4200], filt[4096], want[4200], have[4200];

	if (hook_session(h, false, false)) {
		apv_log_note(h->ctx, "domain %s %s: cannot report: %s", h->dx.name, h->op, h->err.msg);
		return 0;
	}
	m = apv_host_find_mdev(h->host, h->dx.metadata.mdev);
	if (!m) {
		apv_log_note(h->ctx, "domain %s %s: drift: mdev %s is not active", h->dx.name, h->op,
			     h->dx.metadata.mdev);
		return 0;
	}
	apv_explain_mdev(h->host, m, &e);
	effective_text(&e, filt, sizeof(filt));
	if (e.known)
		matrix_text(&(struct apv_matrix){ e.apm, e.aqm, e.adm }, eff, sizeof(eff));
	else
		snprintf(eff, sizeof(eff), "unknown");
	apv_log_note(h->ctx, "domain %s %s: mdev %s effective %s; filtered: %s", h->dx.name, h->op,
		     m->uuid, eff, filt);
	if (drift && !apv_matrix_equal(&m->matrix, &h->dx.metadata.matrix))
		apv_log_note(h->ctx, "domain %s %s: drift: desired %s, configured %s", h->dx.name, h->op,
			     matrix_text(&h->dx.metadata.matrix, want, sizeof(want)),
			     matrix_text(&m->matrix, have, sizeof(have)));
	return 0;
}

/* reconnect: a running guest uses its mdev, also if /run was cleared. */
static void hook_reclaim_owner(struct hook *h)
{
	char owner[APV_DOMAIN_NAME_MAX + 2];

	rec_read(h, REC_OWNER, owner, sizeof(owner));
	if (!owner[0] && rec_write(h, REC_OWNER))
		apv_log_note(h->ctx, "domain %s reconnect: cannot record it as the user of mdev %s",
			     h->dx.name, h->dx.metadata.mdev);
	else if (owner[0] && strcmp(owner, h->dx.name))
		apv_log_note(h->ctx, "domain %s reconnect: mdev %s is recorded as used by domain %s",
			     h->dx.name, h->dx.metadata.mdev, owner);
}

static int hook_release(struct hook *h)
{
	if (rec_names_domain(h, REC_OWNER))
		rec_remove(h, REC_OWNER);
	if (!rec_names_domain(h, REC_MANAGED))
		return 0;
	if (hook_session(h, true, false))
		return hook_fail(h, "%s", h->err.msg);
	if (apv_host_find_mdev(h->host, h->dx.metadata.mdev) &&
	    apv_txn_remove_mdev(h->ctx, h->lock, h->host, h->dx.metadata.mdev, &h->err))
		return hook_fail(h, "%s", h->err.msg);
	rec_remove(h, REC_MANAGED);
	apv_log_note(h->ctx, "domain %s release: removed mdev %s", h->dx.name, h->dx.metadata.mdev);
	return 0;
}

static bool hook_is(const struct hook *h, const char *op, const char *subop)
{
	return !strcmp(h->op, op) && !strcmp(h->subop, subop);
}

/* Parse stdin; 0 with no metadata means "not ours": exit 0. */
static int hook_load(struct hook *h, bool *ours)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	*ours = false;
	rc = hook_read_stdin(&text, &len);
	if (rc)
		return hook_fail(h, "cannot read the domain XML on stdin: %s", strerror(-rc));
	if (!memmem(text, len, APV_XML_NS, strlen(APV_XML_NS))) {
		free(text);
		return 0;
	}
	rc = apv_domain_xml_parse(text, len, &h->dx, &h->err);
	free(text);
	if (rc)
		return hook_fail(h, "%s", h->err.msg);
	*ours = h->dx.has_metadata;
	return 0;
}

static int hook_run(struct hook *h)
{
	bool ours;
	int rc = hook_load(h, &ours);

	if (rc || !ours)
		return rc;
	if (apv_ctx_new(PROGRAM, &h->ctx, &h->err))
		return hook_fail(h, "%s", h->err.msg);
	if (hook_is(h, "prepare", "begin"))
		return hook_prepare(h);
	if (hook_is(h, "started", "begin"))
		return hook_report(h, false);
	if (hook_is(h, "release", "end"))
		return hook_release(h);
	hook_reclaim_owner(h);		/* reconnect begin */
	return hook_report(h, true);
}

static void hook_free(struct hook *h)
{
	apv_profiles_free(&h->profiles);
	apv_host_free(h->host);
	apv_lock_release(h->lock);
	apv_ctx_free(h->ctx);
}

static const char hook_help[] =
	"Usage: " PROGRAM " DOMAIN OPERATION SUB-OPERATION [EXTRA]... < domain.xml\n"
	"\n"
	"libvirt's QEMU hook for apvirt (installed as\n"
	"/etc/libvirt/hooks/qemu.d/apvirt; libvirtd runs it, not you).  For a\n"
	"domain whose XML has apvirt metadata: prepare begin validates, creates\n"
	"the mdev if lifecycle=\"managed\" and it is absent, and applies the\n"
	"matrix, refusing the start on a conflict; started begin logs the\n"
	"effective matrix; reconnect begin logs drift; release end removes an\n"
	"mdev apvirt created.  Every other call does nothing.\n"
	"Exit status: 0, or 1 when prepare refuses.  See apvirt-qemu-hook(8).\n";

int main(int argc, char **argv)
{
	struct hook h;
	int rc;

	memset(&h, 0, sizeof(h));
	/* libvirtd always passes 4 arguments or more: this is a person. */
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(hook_help, stdout);
		return 0;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: %s DOMAIN OPERATION SUB-OPERATION [EXTRA]... < domain.xml (or --help)\n",
			PROGRAM);
		return 2;
	}
	h.name = argv[1];
	h.op = argv[2];
	h.subop = argv[3];
	/* Only these four concern apvirt; every other call is a no-op. */
	if (!hook_is(&h, "prepare", "begin") && !hook_is(&h, "started", "begin") &&
	    !hook_is(&h, "release", "end") && !hook_is(&h, "reconnect", "begin"))
		return 0;
	rc = hook_run(&h);
	hook_free(&h);
	/*
	 * Only prepare may refuse.  libvirtd kills a running guest whose
	 * reconnect or started hook fails, and a failed release changes
	 * nothing: what went wrong is on stderr and in the log.
	 */
	return hook_is(&h, "prepare", "begin") || hook_is(&h, "release", "end") ? rc : 0;
}
