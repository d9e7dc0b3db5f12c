/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apv_ctx.h - a libapvirt context: where the files are and how to act.
 *
 * Every path the library touches is below one of three roots:
 *
 *	sysfs  APVIRT_SYSFS_ROOT, default /sys
 *	etc    APVIRT_ETC_ROOT,   default /etc   (mdevctl.d/matrix/, apvirt/)
 *	run    APVIRT_RUN_ROOT,   default /run   (lock/s390apconfig.lock,
 *						  apvirt/ journals)
 *
 * <etc>/apvirt/apvirt.conf may set sysfs_root, run_root and the settings
 * below (see apv_conf_parse()); an environment variable wins over the file.
 */
#ifndef APVIRT_APV_CTX_H
#define APVIRT_APV_CTX_H

#include <stddef.h>

#include <apvirt/apv_error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How a new mdev matrix reaches the kernel. */
enum apv_txn_mode {
	APV_TXN_AUTO,		/* ap_config where the mdev has it, else ordered */
	APV_TXN_ORDERED,	/* always unassign_* then assign_*, journaled */
	APV_TXN_AP_CONFIG,	/* always ap_config; fail where it is missing */
};

#define APV_ROOT_MAX		256	/* bytes of a root, NUL included */
#define APV_LOCK_TIMEOUT_MAX	3600	/* seconds */

/* What apvirt.conf holds; a field is "set" when its flag is. */
struct apv_conf {
	char sysfs_root[APV_ROOT_MAX];
	char run_root[APV_ROOT_MAX];
	char log_file[APV_ROOT_MAX];	/* audit copy of the syslog lines */
	enum apv_txn_mode txn_mode;
	unsigned int lock_timeout;	/* seconds to wait for the lock */
	unsigned int set;		/* APV_CONF_HAS_* */
};

#define APV_CONF_HAS_SYSFS_ROOT		0x01
#define APV_CONF_HAS_RUN_ROOT		0x02
#define APV_CONF_HAS_LOG_FILE		0x04
#define APV_CONF_HAS_TXN_MODE		0x08
#define APV_CONF_HAS_LOCK_TIMEOUT	0x10

#define APV_CONF_FILE_MAX	65536	/* bytes */
#define APV_CONF_LINE_MAX	1024	/* bytes of one line */

/*
 * Parse the text of an apvirt.conf:
 *
 *	# comment
 *	KEY = VALUE
 *
 * one setting per line, blanks around KEY and VALUE ignored, no quoting.
 * Keys: sysfs_root, run_root, log_file (absolute paths without "..",
 * blanks or control characters), transaction (auto | ordered | ap_config),
 * lock_timeout (seconds, 0..APV_LOCK_TIMEOUT_MAX).  An unknown or repeated
 * key, a missing "=", a bad value, a NUL byte, a line longer than
 * APV_CONF_LINE_MAX or a text longer than APV_CONF_FILE_MAX is an error
 * reported as "@fname:LINE: what".  @out is written only on success.
 */
int apv_conf_parse(const char *text, size_t len, const char *fname, struct apv_conf *out,
		   struct apv_error *err);

struct apv_ctx;

/*
 * A context for @program (its name goes into the log lines): the roots
 * from the environment and <etc>/apvirt/apvirt.conf (a missing file is
 * fine).  Free with apv_ctx_free().
 */
int apv_ctx_new(const char *program, struct apv_ctx **out, struct apv_error *err);
void apv_ctx_free(struct apv_ctx *ctx);

const char *apv_ctx_sysfs_root(const struct apv_ctx *ctx);
const char *apv_ctx_etc_root(const struct apv_ctx *ctx);
const char *apv_ctx_run_root(const struct apv_ctx *ctx);
const char *apv_ctx_program(const struct apv_ctx *ctx);
enum apv_txn_mode apv_ctx_txn_mode(const struct apv_ctx *ctx);
unsigned int apv_ctx_lock_timeout(const struct apv_ctx *ctx);
/* Override the configured wait for the lock (seconds). */
void apv_ctx_set_lock_timeout(struct apv_ctx *ctx, unsigned int seconds);

/*
 * "<root>/<formatted>" into @buf.  Returns the length or -ENAMETOOLONG;
 * the formatted part must not climb out of the root ("..").
 */
int apv_path_sysfs(const struct apv_ctx *ctx, char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int apv_path_etc(const struct apv_ctx *ctx, char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int apv_path_run(const struct apv_ctx *ctx, char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * One line "uid=U program=P TEXT" to syslog (LOG_AUTHPRIV, info) and to
 * apvirt.conf's log_file: what a hook or the agent saw and did besides
 * the changes the transactions log themselves.
 */
void apv_log_note(const struct apv_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif

#endif /* APVIRT_APV_CTX_H */
