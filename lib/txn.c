// SPDX-License-Identifier: GPL-2.0
/*
 * txn.c - apv_txn_*: changes to the host, all or nothing (see apv_txn.h).
 *
 * Ownership: a transaction owns its journal from apv_journal_begin() to
 * the end; on success the journal is deleted, on failure it is rolled
 * back and then deleted, and only if the rollback itself fails is it
 * left in place for the next process (which retries it).
 *
 * Signals: SIGINT, SIGTERM, SIGHUP and SIGQUIT are blocked from the
 * journal's start to the end of the transaction (sigprocmask: apvirt's
 * programs change the host from one thread), so Ctrl-C or a service stop
 * never cuts a change short; a signal that came meanwhile acts once the
 * old mask is back.  Only SIGKILL or a crash leave a journal behind.
 *
 * Test hooks: APVIRT_TEST_CRASH_AFTER_WRITE=K kills the process with
 * SIGKILL right after its K-th sysfs write, APVIRT_TEST_STOP_AFTER_WRITE=K
 * stops it there (SIGSTOP, so a test can send a signal meanwhile);
 * APVIRT_TEST_CRASH_AFTER_COMMIT=1 kills it once the commit step (the
 * metadata) is written but before the journal says "committed", and
 * APVIRT_TEST_CRASH_AFTER_COMMITTED=1 once it says so.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "host_priv.h"

#define MATRIX_DIR	"devices/vfio_ap/matrix"
#define CREATE_FILE	MATRIX_DIR "/mdev_supported_types/" APV_MDEV_TYPE "/create"

struct txn {
	const struct apv_ctx *ctx;
	struct apv_journal *journal;
	struct apv_txn_result *res;
	unsigned int flags;
	unsigned int writes;
	bool blocked;			/* @old_mask is to be restored */
	sigset_t old_mask;
};

/* A test hook: raise @sig when @var is @n. */
static void txn_test_hook(const char *var, unsigned int n, int sig)
{
	const char *v = secure_getenv(var);

	if (v && *v && strtoul(v, NULL, 10) == n)
		raise(sig);
}

static void txn_crash_hook(unsigned int writes)
{
	txn_test_hook("APVIRT_TEST_CRASH_AFTER_WRITE", writes, SIGKILL);
	txn_test_hook("APVIRT_TEST_STOP_AFTER_WRITE", writes, SIGSTOP);
}

/* The signals that would cut a change short; see the top of this file. */
static void txn_block_signals(struct txn *t)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	t->blocked = !sigprocmask(SIG_BLOCK, &set, &t->old_mask);
}

/* The end of the change: a signal held back meanwhile acts now. */
static void txn_restore_signals(struct txn *t)
{
	if (t->blocked)
		sigprocmask(SIG_SETMASK, &t->old_mask, NULL);
	t->blocked = false;
}

static void txn_note(struct txn *t, const char *attr, const char *value)
{
	struct apv_txn_write *w;

	if (!t->res || t->res->nwrites >= APV_TXN_MAX_WRITES)
		return;
	w = &t->res->writes[t->res->nwrites++];
	snprintf(w->attr, sizeof(w->attr), "%s", attr);
	snprintf(w->value, sizeof(w->value), "%s", value);
}

/*
 * One forward write: its undo goes to the journal first (durably), then
 * the write.  A dry run only notes it.
 */
static int txn_write(struct txn *t, const char *path, const char *value, const char *undo_path,
		     const char *undo_value, struct apv_error *err)
{
	const char *attr = strrchr(path, '/') + 1;
	int rc;

	txn_note(t, attr, value);
	if (t->flags & APV_TXN_DRY_RUN)
		return 0;
	rc = apv_journal_undo_write(t->journal, undo_path, undo_value, err);
	if (rc)
		return rc;
	rc = apv_sysfs_write(path, value, err);
	if (rc)
		return rc;
	txn_crash_hook(++t->writes);
	return 0;
}

static int txn_begin(struct txn *t, const char *what, struct apv_error *err)
{
	int rc;

	if (t->res)
		memset(t->res, 0, sizeof(*t->res));
	if (t->flags & APV_TXN_DRY_RUN)
		return 0;
	txn_block_signals(t);
	rc = apv_journal_begin(t->ctx, what, &t->journal, err);
	if (rc)
		txn_restore_signals(t);
	return rc;
}

/* Commit (@rc == 0) or roll back; the journal is gone afterwards unless
 * the rollback failed. */
static int txn_finish(struct txn *t, int rc, struct apv_error *err)
{
	struct apv_error rerr = { 0 }, merr = { 0 };

	if (!t->journal)
		return rc;
	if (rc && apv_journal_rollback(t->journal, &rerr)) {
		char first[APV_ERROR_MSG_MAX / 2];

		snprintf(first, sizeof(first), "%.500s", err ? err->msg : "");
		apv_journal_free(t->journal);
		t->journal = NULL;
		/* Not recoverable here: this message must replace the first. */
		apv_error_clear(err);
		return apv_error_set(err, ENOTRECOVERABLE, "%s; rolling back failed too (%.300s); the journal stays for the next apvirt run",
				     first, rerr.msg);
	}
	/*
	 * "committed" first: a process killed from here on leaves a journal
	 * that recovery finishes instead of undoing a complete change.  If
	 * it cannot be written, removing the journal below still commits.
	 */
	if (!rc && !apv_journal_mark(t->journal, true, &merr))
		txn_test_hook("APVIRT_TEST_CRASH_AFTER_COMMITTED", 1, SIGKILL);
	/*
	 * A journal that cannot be removed after a commit would make the next
	 * apvirt run roll the committed change back: say so, as an
	 * inconsistent state (exit 5), not as "nothing changed".
	 */
	if (apv_journal_end(t->journal, &rerr) && !rc)
		rc = apv_error_set(err, ENOTRECOVERABLE, "the change is made, but %s: the next apvirt run would undo it; remove the journal by hand",
				   rerr.msg);
	apv_journal_free(t->journal);
	t->journal = NULL;
	return rc;
}

static int txn_mdev_path(const struct apv_ctx *ctx, const char *uuid, const char *attr,
			 char *buf, size_t size)
{
	return apv_path_sysfs(ctx, buf, size, MATRIX_DIR "/%s/%s", uuid, attr);
}

/* unassign_@what for every ID of @ids (undo: assign_@what). */
static int txn_ids(struct txn *t, const char *uuid, const char *op, const char *undo_op,
		   const char *what, const struct apv_ids *ids, int digits, struct apv_error *err)
{
	char path[PATH_MAX], undo[PATH_MAX], attr[48], undo_attr[48], value[16];
	unsigned int id;
	int rc;

	snprintf(attr, sizeof(attr), "%s_%s", op, what);
	snprintf(undo_attr, sizeof(undo_attr), "%s_%s", undo_op, what);
	txn_mdev_path(t->ctx, uuid, attr, path, sizeof(path));
	txn_mdev_path(t->ctx, uuid, undo_attr, undo, sizeof(undo));
	apv_ids_for_each(id, ids) {
		snprintf(value, sizeof(value), "0x%0*x", digits, id);
		rc = txn_write(t, path, value, undo, value, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* What goes first, then what comes: each step a subset of old or new. */
static int txn_ordered(struct txn *t, const char *uuid, const struct apv_matrix *from,
		       const struct apv_matrix *to, struct apv_error *err)
{
	struct apv_matrix gone, come;
	int rc;

	apv_ids_andnot(&gone.apm, &from->apm, &to->apm);
	apv_ids_andnot(&gone.aqm, &from->aqm, &to->aqm);
	apv_ids_andnot(&gone.adm, &from->adm, &to->adm);
	apv_ids_andnot(&come.apm, &to->apm, &from->apm);
	apv_ids_andnot(&come.aqm, &to->aqm, &from->aqm);
	apv_ids_andnot(&come.adm, &to->adm, &from->adm);
	rc = txn_ids(t, uuid, "unassign", "assign", "adapter", &gone.apm, 2, err);
	if (!rc)
		rc = txn_ids(t, uuid, "unassign", "assign", "domain", &gone.aqm, 4, err);
	if (!rc)
		rc = txn_ids(t, uuid, "unassign", "assign", "control_domain", &gone.adm, 4, err);
	if (!rc)
		rc = txn_ids(t, uuid, "assign", "unassign", "adapter", &come.apm, 2, err);
	if (!rc)
		rc = txn_ids(t, uuid, "assign", "unassign", "domain", &come.aqm, 4, err);
	if (!rc)
		rc = txn_ids(t, uuid, "assign", "unassign", "control_domain", &come.adm, 4, err);
	return rc;
}

/* ap_config text without its newline (apv_sysfs_write adds one). */
static void txn_ap_config_value(const struct apv_matrix *m, char buf[APTXT_AP_CONFIG_LEN + 1])
{
	struct apbm apm, aqm, adm;

	apv_ids_to_apbm(&m->apm, &apm);
	apv_ids_to_apbm(&m->aqm, &aqm);
	apv_ids_to_apbm(&m->adm, &adm);
	aptxt_format_ap_config(&apm, &aqm, &adm, buf);
	buf[APTXT_AP_CONFIG_LEN - 1] = '\0';
}

static int txn_ap_config(struct txn *t, const char *uuid, const struct apv_matrix *from,
			 const struct apv_matrix *to, struct apv_error *err)
{
	char path[PATH_MAX], value[APTXT_AP_CONFIG_LEN + 1], undo[APTXT_AP_CONFIG_LEN + 1];

	txn_mdev_path(t->ctx, uuid, "ap_config", path, sizeof(path));
	txn_ap_config_value(to, value);
	txn_ap_config_value(from, undo);
	if (t->res)
		t->res->used_ap_config = true;
	return txn_write(t, path, value, path, undo, err);
}

/*
 * Read the matrix back: what the kernel now holds must be @want.  Only
 * this mdev is read: the whole host (every queue) costs a thousand
 * sysfs reads on a large machine.
 */
static int txn_verify(const struct apv_ctx *ctx, const char *uuid, const struct apv_matrix *want,
		      struct apv_error *err)
{
	struct apv_mdev m;
	int rc;

	rc = apv_host_read_one_mdev(ctx, uuid, &m, err);
	if (rc == -ENOENT)
		return apv_error_set(err, ENODEV, "mdev %s vanished during the change", uuid);
	if (rc)
		return rc;
	if (!apv_matrix_equal(&m.matrix, want))
		return apv_error_set(err, EIO, "mdev %s: the matrix read back differs from the one written",
				     uuid);
	return 0;
}

static void txn_describe(const struct apv_matrix *m, char *buf, size_t size)
{
	char a[1024], d[1536], c[1536];

	apv_ids_format(&m->apm, 2, a, sizeof(a));
	apv_ids_format(&m->aqm, 4, d, sizeof(d));
	apv_ids_format(&m->adm, 4, c, sizeof(c));
	snprintf(buf, size, "adapters %s domains %s control-domains %s", a, d, c);
}

/* Save @p; its undo restores the file as it was (or removes it). */
static int txn_save_profile(struct txn *t, const struct apv_profile *p, struct apv_error *err)
{
	char path[PATH_MAX];
	int rc;

	apv_profile_path(t->ctx, apv_profile_uuid(p), path, sizeof(path));
	rc = apv_journal_undo_file(t->journal, path, err);
	return rc ? rc : apv_profile_save(t->ctx, p, err);
}

/* The profile follows the live change; it is journaled like a write. */
static int txn_profile(struct txn *t, const char *uuid, const struct apv_matrix *want,
		       struct apv_error *err)
{
	struct apv_profile *p;
	int rc;

	rc = apv_profile_load(t->ctx, uuid, &p, err);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	if (apv_matrix_equal(apv_profile_matrix(p), want))
		goto out;
	if (t->res)
		t->res->profile_updated = true;
	if (t->flags & APV_TXN_DRY_RUN)
		goto out;
	rc = apv_profile_set_matrix(p, want, err);
	if (!rc)
		rc = txn_save_profile(t, p, err);
out:
	apv_profile_free(p);
	return rc;
}

static int txn_pick_ap_config(const struct apv_ctx *ctx, const struct apv_mdev *m,
			      unsigned int flags, bool *use, struct apv_error *err)
{
	/*
	 * Without ap_config the current matrix comes from `matrix`, cut at a
	 * page: the undo of a change would lose the IDs beyond the cut, so
	 * no mode may touch such an mdev.
	 */
	if (m->matrix_truncated)
		return apv_error_set(err, EOPNOTSUPP, "mdev %s: its matrix is longer than a page and this kernel has no ap_config, so the current matrix cannot be read in full; refusing to change it",
				     m->uuid);
	if ((flags & APV_TXN_ATOMIC) && !m->has_ap_config)
		return apv_error_set(err, EOPNOTSUPP, "mdev %s has no ap_config (kernel before 6.10): it cannot be changed in one atomic write; stop and start it with the new configuration instead",
				     m->uuid);
	switch ((flags & APV_TXN_ATOMIC) ? APV_TXN_AP_CONFIG : apv_ctx_txn_mode(ctx)) {
	case APV_TXN_ORDERED:
		*use = false;
		return 0;
	case APV_TXN_AP_CONFIG:
		if (!m->has_ap_config)
			return apv_error_set(err, EOPNOTSUPP, "mdev %s has no ap_config (kernel before 6.10) but apvirt.conf says transaction = ap_config",
					     m->uuid);
		*use = true;
		return 0;
	case APV_TXN_AUTO:
		break;
	}
	*use = m->has_ap_config;
	return 0;
}

/* Bytes of the `matrix` text the kernel would show for @m. */
static size_t txn_matrix_text_len(const struct apv_matrix *m)
{
	size_t na = apv_ids_weight(&m->apm), nd = apv_ids_weight(&m->aqm);

	if (na && nd)
		return na * nd * sizeof("AA.DDDD");	/* with its newline */
	return na * sizeof("AA.") + nd * sizeof(".DDDD");
}

/*
 * Without ap_config a matrix is read back (and later read at all) from
 * `matrix`, which the kernel cuts at one page: a matrix past that could
 * neither be verified now nor changed safely later, so it is refused.
 */
static int txn_check_readable(const struct apv_mdev *m, bool use_ap_config,
			      const struct apv_matrix *want, struct apv_error *err)
{
	size_t len = txn_matrix_text_len(want);

	if (m->has_ap_config || use_ap_config || len < APC_PAGE_SIZE)
		return 0;
	return apv_error_set(err, EFBIG, "mdev %s: the new matrix has %u x %u queues, more than the one page of `matrix` (%zu of %d bytes) that a kernel without ap_config shows; it could not be read back, so it is refused",
			     m->uuid, apv_ids_weight(&want->apm), apv_ids_weight(&want->aqm), len,
			     APC_PAGE_SIZE - 1);
}

/* The checks a live change of @m needs before anything is written. */
static int txn_plan_live(const struct apv_ctx *ctx, const struct apv_mdev *m,
			 const struct apv_matrix *want, unsigned int flags, bool *use_ap_config,
			 struct apv_error *err)
{
	int rc = txn_pick_ap_config(ctx, m, flags, use_ap_config, err);

	return rc ? rc : txn_check_readable(m, *use_ap_config, want, err);
}

static void txn_log_live(const struct apv_ctx *ctx, const char *what, const struct apv_matrix *from,
			 const struct apv_matrix *to)
{
	char before[4200], after[4200];

	txn_describe(from, before, sizeof(before));
	txn_describe(to, after, sizeof(after));
	apv_log_change(ctx, what, before, after);
}

/*
 * @c->commit writes what the journal cannot undo: "commit-start" says so
 * first, so that recovery of a journal cut short from here on can warn
 * that those writes may have been made.
 */
static int txn_commit_step(struct txn *t, const struct apv_txn_change *c, struct apv_error *err)
{
	int rc = apv_journal_mark(t->journal, false, err);

	if (!rc)
		rc = c->commit(c->arg, err);
	if (!rc)
		txn_test_hook("APVIRT_TEST_CRASH_AFTER_COMMIT", 1, SIGKILL);
	return rc;
}

int apv_txn_apply(const struct apv_ctx *ctx, const struct apv_lock *lock,
		  const struct apv_host *host, const struct apv_txn_change *c,
		  unsigned int flags, struct apv_txn_result *res, struct apv_error *err)
{
	struct txn t = { .ctx = ctx, .res = res, .flags = flags };
	const struct apv_mdev *m = NULL;
	bool use_ap_config = false, dry = flags & APV_TXN_DRY_RUN;
	char what[96];
	int rc = 0;

	(void)lock;
	if (!apv_uuid_valid(c->uuid))
		return apv_error_set(err, EINVAL, "'%.40s' is not a UUID", c->uuid);
	if (c->live) {
		m = apv_host_find_mdev(host, c->uuid);
		if (!m)
			return apv_error_set(err, ENODEV, "no active vfio_ap mdev %s", c->uuid);
		rc = txn_plan_live(ctx, m, c->live, flags, &use_ap_config, err);
		if (rc)
			return rc;
	}
	snprintf(what, sizeof(what), "mdev %s set", c->uuid);
	rc = txn_begin(&t, what, err);
	if (rc)
		return rc;
	if (m && !apv_matrix_equal(&m->matrix, c->live))
		rc = use_ap_config ? txn_ap_config(&t, m->uuid, &m->matrix, c->live, err) :
				     txn_ordered(&t, m->uuid, &m->matrix, c->live, err);
	if (!rc && c->profile)
		rc = txn_profile(&t, c->uuid, c->profile, err);
	if (!rc && m && !dry)
		rc = txn_verify(ctx, m->uuid, c->live, err);
	if (!rc && c->commit && !dry)
		rc = txn_commit_step(&t, c, err);
	rc = txn_finish(&t, rc, err);
	if (!rc && !dry && m && !apv_matrix_equal(&m->matrix, c->live))
		txn_log_live(ctx, what, &m->matrix, c->live);
	txn_restore_signals(&t);
	return rc;
}

int apv_txn_set_matrix(const struct apv_ctx *ctx, const struct apv_lock *lock,
		       const struct apv_host *host, const char *uuid,
		       const struct apv_matrix *want, unsigned int flags,
		       struct apv_txn_result *res, struct apv_error *err)
{
	const struct apv_mdev *m = apv_host_find_mdev(host, uuid);
	struct apv_txn_change c = {
		.uuid = m ? m->uuid : uuid,
		.live = want,
		.profile = (flags & APV_TXN_NO_PROFILE) ? NULL : want,
	};

	if (!m)
		return apv_error_set(err, ENODEV, "no active vfio_ap mdev %s", uuid);
	return apv_txn_apply(ctx, lock, host, &c, flags, res, err);
}

static int txn_mask(struct txn *t, const char *name, const struct apv_ids *old,
		    const struct apv_ids *new, struct apv_error *err)
{
	char path[PATH_MAX], value[80], undo[80];
	struct apbm b;

	if (apv_ids_equal(old, new))
		return 0;
	apv_path_sysfs(t->ctx, path, sizeof(path), "bus/ap/%s", name);
	apv_ids_to_apbm(new, &b);
	aptxt_format_hexmask(&b, value);
	apv_ids_to_apbm(old, &b);
	aptxt_format_hexmask(&b, undo);
	return txn_write(t, path, value, path, undo, err);
}

static int txn_verify_masks(const struct apv_ctx *ctx, const struct apv_ids *apmask,
			    const struct apv_ids *aqmask, struct apv_error *err)
{
	char path[PATH_MAX];
	struct apv_ids ap, aq;
	int rc;

	apv_path_sysfs(ctx, path, sizeof(path), "bus/ap/apmask");
	rc = apv_sysfs_read_mask(path, &ap, err);
	apv_path_sysfs(ctx, path, sizeof(path), "bus/ap/aqmask");
	if (!rc)
		rc = apv_sysfs_read_mask(path, &aq, err);
	if (!rc && (!apv_ids_equal(&ap, apmask) || !apv_ids_equal(&aq, aqmask)))
		rc = apv_error_set(err, EIO, "apmask/aqmask read back differ from what was written");
	return rc;
}

int apv_txn_set_masks(const struct apv_ctx *ctx, const struct apv_lock *lock,
		      const struct apv_host *host, const struct apv_ids *apmask,
		      const struct apv_ids *aqmask, unsigned int flags,
		      struct apv_txn_result *res, struct apv_error *err)
{
	const struct apv_bus *bus = apv_host_bus(host);
	struct txn t = { .ctx = ctx, .res = res, .flags = flags };
	char before[300], after[300], a[80], b[80];
	struct apbm m;
	int rc;

	(void)lock;
	rc = txn_begin(&t, "host masks set", err);
	if (rc)
		return rc;
	rc = txn_mask(&t, "apmask", &bus->apmask, apmask, err);
	if (!rc)
		rc = txn_mask(&t, "aqmask", &bus->aqmask, aqmask, err);
	if (!rc && !(flags & APV_TXN_DRY_RUN))
		rc = txn_verify_masks(ctx, apmask, aqmask, err);
	rc = txn_finish(&t, rc, err);
	txn_restore_signals(&t);
	if (rc || (flags & APV_TXN_DRY_RUN))
		return rc;
	apv_ids_to_apbm(&bus->apmask, &m);
	aptxt_format_hexmask(&m, a);
	apv_ids_to_apbm(&bus->aqmask, &m);
	aptxt_format_hexmask(&m, b);
	snprintf(before, sizeof(before), "apmask %s aqmask %s", a, b);
	apv_ids_to_apbm(apmask, &m);
	aptxt_format_hexmask(&m, a);
	apv_ids_to_apbm(aqmask, &m);
	aptxt_format_hexmask(&m, b);
	snprintf(after, sizeof(after), "apmask %s aqmask %s", a, b);
	if (strcmp(before, after))
		apv_log_change(ctx, "host masks", before, after);
	return 0;
}

/* Create mdev @uuid; its undo is a write of 1 to its remove file. */
static int txn_create(struct txn *t, const char *uuid, struct apv_error *err)
{
	char path[PATH_MAX], undo[PATH_MAX];

	apv_path_sysfs(t->ctx, path, sizeof(path), CREATE_FILE);
	txn_mdev_path(t->ctx, uuid, "remove", undo, sizeof(undo));
	return txn_write(t, path, uuid, undo, "1", err);
}

static int txn_create_logged(const struct apv_ctx *ctx, const char *uuid,
			     const struct apv_profile *p, struct apv_error *err)
{
	struct txn t = { .ctx = ctx };
	char what[96];
	int rc;

	if (!apv_uuid_valid(uuid))
		return apv_error_set(err, EINVAL, "'%.40s' is not a UUID", uuid);
	snprintf(what, sizeof(what), "mdev %s", uuid);
	rc = txn_begin(&t, what, err);
	if (rc)
		return rc;
	rc = txn_create(&t, uuid, err);
	if (!rc && p)
		rc = txn_save_profile(&t, p, err);
	rc = txn_finish(&t, rc, err);
	if (!rc)
		apv_log_change(ctx, what, "absent", p ? "created and defined" : "created");
	txn_restore_signals(&t);
	return rc;
}

int apv_txn_create_mdev(const struct apv_ctx *ctx, const struct apv_lock *lock,
			const char *uuid, struct apv_error *err)
{
	(void)lock;
	return txn_create_logged(ctx, uuid, NULL, err);
}

int apv_txn_create_defined(const struct apv_ctx *ctx, const struct apv_lock *lock,
			   const struct apv_profile *p, struct apv_error *err)
{
	(void)lock;
	return txn_create_logged(ctx, apv_profile_uuid(p), p, err);
}

int apv_txn_remove_mdev(const struct apv_ctx *ctx, const struct apv_lock *lock,
			const struct apv_host *host, const char *uuid, struct apv_error *err)
{
	const struct apv_mdev *m = apv_host_find_mdev(host, uuid);
	char path[PATH_MAX], what[96], before[4200];
	int rc;

	(void)lock;
	if (!m)
		return apv_error_set(err, ENODEV, "no active vfio_ap mdev %s", uuid);
	txn_mdev_path(ctx, m->uuid, "remove", path, sizeof(path));
	rc = apv_sysfs_write(path, "1", err);
	if (rc)
		return rc;
	snprintf(what, sizeof(what), "mdev %s", m->uuid);
	txn_describe(&m->matrix, before, sizeof(before));
	apv_log_change(ctx, what, before, "removed");
	return 0;
}

int apv_txn_recover(const struct apv_ctx *ctx, const struct apv_lock *lock,
		    struct apv_error *err)
{
	struct apv_journal *j;
	bool done, external;
	char what[300];
	int rc;

	(void)lock;
	rc = apv_journal_load(ctx, &j, err);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	snprintf(what, sizeof(what), "recovery of '%s'", apv_journal_what(j));
	done = apv_journal_committed(j);
	external = apv_journal_commit_started(j);
	rc = done ? 0 : apv_journal_rollback(j, err);
	if (!rc)
		rc = apv_journal_end(j, err);
	apv_journal_free(j);
	if (rc)
		return rc;
	apv_log_change(ctx, what, "interrupted", done ? "finished (it was committed)" :
		       external ? "rolled back (its commit step may have been made)" : "rolled back");
	return done ? APV_TXN_RECOVERED_FINISHED :
	       external ? APV_TXN_RECOVERED_PARTLY : APV_TXN_RECOVERED_ROLLED_BACK;
}

bool apv_txn_pending(const struct apv_ctx *ctx)
{
	char path[PATH_MAX];

	return apv_path_run(ctx, path, sizeof(path), "apvirt/txn.journal") >= 0 &&
	       access(path, F_OK) == 0;
}
