// SPDX-License-Identifier: GPL-2.0
/*
 * ctx.c - apv_ctx_*: the roots and settings one libapvirt user works with.
 *
 * Precedence: environment (APVIRT_*_ROOT), then <etc>/apvirt/apvirt.conf,
 * then the defaults.  The environment wins so that a test, or an admin
 * trying something, can redirect a tool without editing /etc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "ctx.h"

#define APV_LOCK_TIMEOUT_DEFAULT	60	/* s390-tools waits about 90 s */

static bool env_set(const char *var)
{
	const char *v = secure_getenv(var);

	return v && *v;
}

/* Apply <etc>/apvirt/apvirt.conf, if there is one. */
static int ctx_load_conf(struct apv_ctx *ctx, struct apv_error *err)
{
	char path[PATH_MAX];
	struct apv_conf conf;
	_apv_autofree_ char *text = NULL;
	size_t len;
	int rc;

	if (apv_path_etc(ctx, path, sizeof(path), "apvirt/apvirt.conf") < 0)
		return apv_error_set(err, ENAMETOOLONG, "%s/apvirt/apvirt.conf: path too long",
				     ctx->etc_root);
	rc = apv_file_read(path, APV_CONF_FILE_MAX, &text, &len, err);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	rc = apv_conf_parse(text, len, path, &conf, err);
	if (rc)
		return rc;
	if ((conf.set & APV_CONF_HAS_SYSFS_ROOT) && !env_set("APVIRT_SYSFS_ROOT"))
		snprintf(ctx->sysfs_root, sizeof(ctx->sysfs_root), "%s",
			 strcmp(conf.sysfs_root, "/") ? conf.sysfs_root : "");
	if ((conf.set & APV_CONF_HAS_RUN_ROOT) && !env_set("APVIRT_RUN_ROOT"))
		snprintf(ctx->run_root, sizeof(ctx->run_root), "%s",
			 strcmp(conf.run_root, "/") ? conf.run_root : "");
	if (conf.set & APV_CONF_HAS_LOG_FILE)
		snprintf(ctx->log_file, sizeof(ctx->log_file), "%s", conf.log_file);
	if (conf.set & APV_CONF_HAS_TXN_MODE)
		ctx->txn_mode = conf.txn_mode;
	if (conf.set & APV_CONF_HAS_LOCK_TIMEOUT)
		ctx->lock_timeout = conf.lock_timeout;
	return 0;
}

int apv_ctx_new(const char *program, struct apv_ctx **out, struct apv_error *err)
{
	struct apv_ctx *ctx = calloc(1, sizeof(*ctx));
	int rc;

	if (!ctx)
		return apv_error_set(err, ENOMEM, "out of memory");
	snprintf(ctx->program, sizeof(ctx->program), "%s", program ? program : "libapvirt");
	ctx->txn_mode = APV_TXN_AUTO;
	ctx->lock_timeout = APV_LOCK_TIMEOUT_DEFAULT;
	rc = apv_path_root_from_env("APVIRT_SYSFS_ROOT", "/sys", ctx->sysfs_root, err);
	if (!rc)
		rc = apv_path_root_from_env("APVIRT_ETC_ROOT", "/etc", ctx->etc_root, err);
	if (!rc)
		rc = apv_path_root_from_env("APVIRT_RUN_ROOT", "/run", ctx->run_root, err);
	if (!rc)
		rc = ctx_load_conf(ctx, err);
	if (rc) {
		free(ctx);
		return rc;
	}
	*out = ctx;
	return 0;
}

void apv_ctx_free(struct apv_ctx *ctx)
{
	free(ctx);
}

/* "" stands for "/" inside; callers get the real name. */
static const char *ctx_root_name(const char *root)
{
	return *root ? root : "/";
}

const char *apv_ctx_sysfs_root(const struct apv_ctx *ctx)
{
	return ctx_root_name(ctx->sysfs_root);
}

const char *apv_ctx_etc_root(const struct apv_ctx *ctx)
{
	return ctx_root_name(ctx->etc_root);
}

const char *apv_ctx_run_root(const struct apv_ctx *ctx)
{
	return ctx_root_name(ctx->run_root);
}

const char *apv_ctx_program(const struct apv_ctx *ctx)
{
	return ctx->program;
}

enum apv_txn_mode apv_ctx_txn_mode(const struct apv_ctx *ctx)
{
	return ctx->txn_mode;
}

unsigned int apv_ctx_lock_timeout(const struct apv_ctx *ctx)
{
	return ctx->lock_timeout;
}

void apv_ctx_set_lock_timeout(struct apv_ctx *ctx, unsigned int seconds)
{
	ctx->lock_timeout = seconds > APV_LOCK_TIMEOUT_MAX ? APV_LOCK_TIMEOUT_MAX : seconds;
}

const char *apv_ctx_log_file(const struct apv_ctx *ctx)
{
	return ctx->log_file;
}
