/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctx.h - the inside of struct apv_ctx, for the modules of the library.
 */
#ifndef APVIRT_LIB_CTX_H
#define APVIRT_LIB_CTX_H

#include <limits.h>

#include "internal.h"

struct apv_ctx {
	char program[64];
	char sysfs_root[APV_ROOT_MAX];	/* "" stands for "/" */
	char etc_root[APV_ROOT_MAX];
	char run_root[APV_ROOT_MAX];
	char log_file[APV_ROOT_MAX];	/* "" for none */
	enum apv_txn_mode txn_mode;
	unsigned int lock_timeout;
};

int apv_path_root_from_env(const char *var, const char *def, char out[APV_ROOT_MAX],
			   struct apv_error *err);

#endif /* APVIRT_LIB_CTX_H */
