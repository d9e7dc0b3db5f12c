// SPDX-License-Identifier: GPL-2.0
/*
 * journal.c - apv_journal_*: the undo log of one transaction,
 * <run>/apvirt/txn.journal, one line per step, each fsynced before the
 * write it undoes is made:
 *
 *	apvirt-journal 1
 *	what mdev 0b2e5f4a-... set
 *	undo-write /sys/devices/vfio_ap/matrix/<uuid>/unassign_adapter 0x05
 *	undo-file /etc/mdevctl.d/matrix/<uuid> /run/apvirt/txn.backup.0
 *	undo-file /etc/mdevctl.d/matrix/<uuid> absent
 *	commit-start
 *	committed
 *
 * "commit-start" comes before a transaction writes what no undo step
 * covers (a domain's metadata, through libvirt), "committed" once every
 * part is written: a committed journal is finished by recovery (the
 * change stands), any other is undone.
 *
 * Undo runs the steps backwards.  Every undo write is idempotent, so a
 * step recorded but never made (the process died in between) is undone
 * harmlessly.  Recovery trusts nothing in the file: paths must lie below
 * the roots and end in an attribute apvirt writes, values must be IDs or
 * masks.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "ctx.h"

#define JOURNAL_MAGIC		"apvirt-journal 1"
#define JOURNAL_MAX		(1024 * 1024)
#define JOURNAL_STEPS_MAX	(APV_TXN_MAX_WRITES + 8)
#define JOURNAL_PATH_MAX	512
#define JOURNAL_VALUE_MAX	(APTXT_AP_CONFIG_LEN + 8)

enum journal_kind { STEP_WRITE, STEP_FILE };

struct journal_step {
	enum journal_kind kind;
	char path[JOURNAL_PATH_MAX];
	char arg[JOURNAL_PATH_MAX];	/* the undo value, or backup / "absent" */
};

struct apv_journal {
	const struct apv_ctx *ctx;
	char path[PATH_MAX];
	char what[256];
	int fd;				/* -1 for a loaded journal */
	size_t nsteps;
	struct journal_step *steps;
	unsigned int backups;
	bool commit_started;		/* "commit-start" seen */
	bool committed;			/* "committed" seen */
};

/* The attributes an undo may write: nothing else under sysfs. */
static const char *const journal_attrs[] = {
	"assign_adapter", "unassign_adapter", "assign_domain", "unassign_domain",
	"assign_control_domain", "unassign_control_domain", "ap_config", "apmask", "aqmask",
	"create", "remove",
};

static bool journal_below(const char *path, const char *root)
{
	size_t n = strlen(root);

	return !strncmp(path, root, n) && path[n] == '/' && !strstr(path, "/../") &&
	       !strstr(path, "/./");
}

static bool journal_write_ok(const struct apv_ctx *ctx, const char *path, const char *value)
{
	const char *base = strrchr(path, '/');

	if (!journal_below(path, ctx->sysfs_root) || !base || !*value ||
	    strspn(value, "0123456789abcdefABCDEFx,") != strlen(value))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(journal_attrs); i++)
		if (!strcmp(base + 1, journal_attrs[i]))
			return true;
	return false;
}

static bool journal_file_ok(const struct apv_ctx *ctx, const char *path, const char *backup)
{
	char dir[JOURNAL_PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/apvirt", ctx->run_root);
	return journal_below(path, ctx->etc_root) &&
	       (!strcmp(backup, "absent") ||
		(journal_below(backup, dir) && !strchr(backup + strlen(dir) + 1, '/')));
}

static int journal_add(struct apv_journal *j, enum journal_kind kind, const char *path,
		       const char *arg, struct apv_error *err)
{
	struct journal_step *s;

	if (j->nsteps >= JOURNAL_STEPS_MAX)
		return apv_error_set(err, E2BIG, "journal: more than %d steps", JOURNAL_STEPS_MAX);
	if (strlen(path) >= JOURNAL_PATH_MAX || strlen(arg) >= JOURNAL_PATH_MAX)
		return apv_error_set(err, ENAMETOOLONG, "journal: path too long");
	if (!j->steps) {
		j->steps = calloc(JOURNAL_STEPS_MAX, sizeof(*j->steps));
		if (!j->steps)
			return apv_error_set(err, ENOMEM, "out of memory");
	}
	s = &j->steps[j->nsteps++];
	s->kind = kind;
	strcpy(s->path, path);
	strcpy(s->arg, arg);
	return 0;
}

/* Append one line and make it durable before the caller goes on. */
static int journal_append(struct apv_journal *j, const char *line, struct apv_error *err)
{
	size_t len = strlen(line);
	ssize_t n = write(j->fd, line, len);

	if (n != (ssize_t)len || fdatasync(j->fd))
		return apv_error_set(err, errno ? errno : EIO, "cannot write the journal %s: %s",
				     j->path, strerror(errno ? errno : EIO));
	return 0;
}

/* Bounded copy: "what" is a label, cutting it is harmless. */
static void journal_set_what(struct apv_journal *j, const char *what)
{
	size_t n = strnlen(what, sizeof(j->what) - 1);

	memcpy(j->what, what, n);
	j->what[n] = '\0';
}

/* Keep the step in memory and append its line, durably. */
static int journal_record(struct apv_journal *j, enum journal_kind kind, const char *path,
			  const char *arg, struct apv_error *err)
{
	char line[2 * JOURNAL_PATH_MAX + 16];
	int rc;

	rc = journal_add(j, kind, path, arg, err);
	if (rc)
		return rc;
	if (snprintf(line, sizeof(line), "%s %s %s\n",
		     kind == STEP_WRITE ? "undo-write" : "undo-file", path, arg) >= (int)sizeof(line))
		return apv_error_set(err, ENAMETOOLONG, "journal: path too long");
	return journal_append(j, line, err);
}

static int journal_dir(const struct apv_ctx *ctx, char *buf, size_t size)
{
	return apv_path_run(ctx, buf, size, "apvirt");
}

int apv_journal_begin(const struct apv_ctx *ctx, const char *what, struct apv_journal **out,
		      struct apv_error *err)
{
	char dir[PATH_MAX], line[300];
	struct apv_journal *j;
	int rc;

	j = calloc(1, sizeof(*j));
	if (!j)
		return apv_error_set(err, ENOMEM, "out of memory");
	j->ctx = ctx;
	j->fd = -1;
	journal_set_what(j, what);
	journal_dir(ctx, dir, sizeof(dir));
	apv_path_run(ctx, j->path, sizeof(j->path), "apvirt/txn.journal");
	rc = apv_file_mkdirs(dir, 0700, err);
	if (!rc) {
		j->fd = open(j->path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
		if (j->fd < 0)
			rc = apv_error_set(err, errno, errno == EEXIST ?
					   "%s exists: an interrupted transaction was not rolled back" :
					   "cannot create %s: %s", j->path, strerror(errno));
	}
	if (!rc) {
		snprintf(line, sizeof(line), JOURNAL_MAGIC "\nwhat %s\n", j->what);
		rc = journal_append(j, line, err);
	}
	if (rc) {
		apv_journal_free(j);
		return rc;
	}
	*out = j;
	return 0;
}

int apv_journal_undo_write(struct apv_journal *j, const char *path, const char *undo_value,
			   struct apv_error *err)
{
	if (!journal_write_ok(j->ctx, path, undo_value))
		return apv_error_set(err, EINVAL, "journal: refusing to record '%s' for %s",
				     undo_value, path);
	return journal_record(j, STEP_WRITE, path, undo_value, err);
}

int apv_journal_undo_file(struct apv_journal *j, const char *path, struct apv_error *err)
{
	char backup[PATH_MAX];
	_apv_autofree_ char *text = NULL;
	size_t len;
	int rc;

	rc = apv_file_read(path, APV_PROFILE_MAX, &text, &len, err);
	if (rc && rc != -ENOENT)
		return rc;
	if (rc == -ENOENT) {
		snprintf(backup, sizeof(backup), "absent");
	} else {
		apv_path_run(j->ctx, backup, sizeof(backup), "apvirt/txn.backup.%u", j->backups++);
		rc = apv_file_replace(backup, text, len, 0600, err);
		if (rc)
			return rc;
	}
	return journal_record(j, STEP_FILE, path, backup, err);
}

/* Put the profile back as the backup has it (or remove it). */
static int journal_undo_file(const struct journal_step *s, struct apv_error *err)
{
	_apv_autofree_ char *text = NULL, *now = NULL;
	size_t len, now_len;
	int rc;

	if (!strcmp(s->arg, "absent")) {
		/* Absent already (the save never came): nothing to remove, and
		 * unlink() in a read-only directory would fail with EROFS. */
		if (access(s->path, F_OK) && errno == ENOENT)
			return 0;
		if (unlink(s->path) && errno != ENOENT)
			return apv_error_set(err, errno, "cannot remove %s: %s", s->path, strerror(errno));
		return 0;
	}
	rc = apv_file_read(s->arg, APV_PROFILE_MAX, &text, &len, err);
	if (rc == -ENOENT)
		return apv_error_set(err, ENOENT, "the backup %s of %s is missing", s->arg, s->path);
	if (rc)
		return rc;
	/*
	 * Unchanged (the save failed or never came): nothing to write.  This
	 * also keeps a rollback working where the save failed because the
	 * directory cannot be written at all.
	 */
	if (!apv_file_read(s->path, APV_PROFILE_MAX, &now, &now_len, NULL) && now_len == len &&
	    !memcmp(now, text, len))
		return 0;
	return apv_file_replace(s->path, text, len, 0644, err);
}

/* An mdev create is undone by its remove; an mdev already gone is done. */
static int journal_undo_write(const struct journal_step *s, struct apv_error *err)
{
	const char *base = strrchr(s->path, '/') + 1;
	struct apv_error e = { 0 };
	int rc = apv_sysfs_write(s->path, s->arg, &e);

	if (!rc || (rc == -ENOENT && !strcmp(base, "remove")))
		return 0;
	return apv_error_set(err, -rc, "%s", e.msg);
}

int apv_journal_rollback(struct apv_journal *j, struct apv_error *err)
{
	int rc, first = 0;

	/* Go on after a failed step: undo as much as possible, report the first. */
	for (size_t i = j->nsteps; i-- > 0;) {
		const struct journal_step *s = &j->steps[i];

		if (s->kind == STEP_WRITE)
			rc = journal_undo_write(s, err);
		else
			rc = journal_undo_file(s, err);
		if (rc && !first)
			first = rc;
	}
	return first;
}

int apv_journal_mark(struct apv_journal *j, bool committed, struct apv_error *err)
{
	int rc = journal_append(j, committed ? "committed\n" : "commit-start\n", err);

	if (!rc && committed)
		j->committed = true;
	else if (!rc)
		j->commit_started = true;
	return rc;
}

bool apv_journal_committed(const struct apv_journal *j)
{
	return j->committed;
}

bool apv_journal_commit_started(const struct apv_journal *j)
{
	return j->commit_started;
}

/* Test hook: APVIRT_TEST_CRASH_AT_END=1 dies between journal and backups. */
static void journal_crash_hook(void)
{
	const char *v = secure_getenv("APVIRT_TEST_CRASH_AT_END");

	if (v && !strcmp(v, "1"))
		raise(SIGKILL);
}

/*
 * The journal goes first and its removal is synced before any backup it
 * names is deleted: a crash in between leaves stray backups (harmless),
 * never a journal whose recovery would miss its backups.
 */
int apv_journal_end(struct apv_journal *j, struct apv_error *err)
{
	char path[PATH_MAX], dir[PATH_MAX];
	int fd;

	if (j->fd >= 0) {
		close(j->fd);
		j->fd = -1;
	}
	snprintf(path, sizeof(path), "%s", j->path);
	if (unlink(path) && errno != ENOENT)
		return apv_error_set(err, errno, "cannot remove the journal %s: %s", path, strerror(errno));
	journal_dir(j->ctx, dir, sizeof(dir));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	journal_crash_hook();
	for (size_t i = 0; i < j->nsteps; i++)
		if (j->steps[i].kind == STEP_FILE && strcmp(j->steps[i].arg, "absent"))
			unlink(j->steps[i].arg);
	return 0;
}

void apv_journal_free(struct apv_journal *j)
{
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd);
	free(j->steps);
	free(j);
}

/* One "KEYWORD A B" line into a step. */
static int journal_parse_step(struct apv_journal *j, char *line, unsigned int lineno,
			      struct apv_error *err)
{
	char *save = NULL, *kw, *a, *b;

	kw = strtok_r(line, " ", &save);
	a = strtok_r(NULL, " ", &save);
	b = strtok_r(NULL, " ", &save);
	if (!kw || !a || !b || strtok_r(NULL, " ", &save))
		return apv_error_set(err, EINVAL, "journal line %u: expected 'KEYWORD PATH VALUE'", lineno);
	if (!strcmp(kw, "undo-write") && journal_write_ok(j->ctx, a, b))
		return journal_add(j, STEP_WRITE, a, b, err);
	if (!strcmp(kw, "undo-file") && journal_file_ok(j->ctx, a, b))
		return journal_add(j, STEP_FILE, a, b, err);
	return apv_error_set(err, EINVAL, "journal line %u: not an undo step apvirt writes", lineno);
}

int apv_journal_parse(const char *text, size_t len, struct apv_journal *j,
		      struct apv_error *err)
{
	char line[2 * JOURNAL_PATH_MAX + 32];
	unsigned int lineno = 0;
	size_t pos = 0;
	int rc;

	if (len > JOURNAL_MAX || memchr(text, '\0', len))
		return apv_error_set(err, EINVAL, "journal: too long or not text");
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

		lineno++;
		if (!nl)
			break;	/* the line being written when the process died */
		if (n >= sizeof(line))
			return apv_error_set(err, EINVAL, "journal line %u: too long", lineno);
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos += n + 1;
		if (lineno == 1) {
			if (strcmp(line, JOURNAL_MAGIC))
				return apv_error_set(err, EINVAL, "journal: not an apvirt journal");
		} else if (lineno == 2 && !strncmp(line, "what ", 5)) {
			journal_set_what(j, line + 5);
		} else if (!strcmp(line, "commit-start")) {
			j->commit_started = true;
		} else if (!strcmp(line, "committed")) {
			j->committed = true;
		} else if (j->committed) {
			return apv_error_set(err, EINVAL, "journal line %u: a step after 'committed'", lineno);
		} else {
			rc = journal_parse_step(j, line, lineno, err);
			if (rc)
				return rc;
		}
	}
	if (lineno == 0)
		return apv_error_set(err, EINVAL, "journal: empty");
	return 0;
}

int apv_journal_new_for_parse(const struct apv_ctx *ctx, struct apv_journal **out)
{
	struct apv_journal *j = calloc(1, sizeof(*j));

	if (!j)
		return -ENOMEM;
	j->ctx = ctx;
	j->fd = -1;
	apv_path_run(ctx, j->path, sizeof(j->path), "apvirt/txn.journal");
	*out = j;
	return 0;
}

int apv_journal_load(const struct apv_ctx *ctx, struct apv_journal **out,
		     struct apv_error *err)
{
	_apv_autofree_ char *text = NULL;
	struct apv_journal *j;
	size_t len;
	int rc;

	if (apv_journal_new_for_parse(ctx, &j))
		return apv_error_set(err, ENOMEM, "out of memory");
	rc = apv_file_read(j->path, JOURNAL_MAX, &text, &len, err);
	if (!rc)
		rc = apv_journal_parse(text, len, j, err);
	if (rc) {
		if (rc != -ENOENT && err)
			apv_error_set(err, -rc, "%s", j->path);	/* keeps the first message */
		apv_journal_free(j);
		return rc;
	}
	*out = j;
	return 0;
}

const char *apv_journal_what(const struct apv_journal *j)
{
	return j->what;
}
