// SPDX-License-Identifier: GPL-2.0
/*
 * path.c - apv_path_*: the three roots and every path below them.  No
 * other file of the library joins "/sys", "/etc" or "/run" to anything.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "ctx.h"

/* Does the relative part climb out of its root? */
static bool path_climbs(const char *rel)
{
	const char *c = rel;

	for (;;) {
		size_t n = strcspn(c, "/");

		if (n == 2 && c[0] == '.' && c[1] == '.')
			return true;
		if (c[n] == '\0')
			return false;
		c += n + 1;
	}
}

static int path_join(const char *root, char *buf, size_t size, const char *fmt, va_list ap)
{
	char rel[PATH_MAX];
	int n;

	n = vsnprintf(rel, sizeof(rel), fmt, ap);
	if (n < 0 || (size_t)n >= sizeof(rel) || path_climbs(rel))
		return -ENAMETOOLONG;
	n = snprintf(buf, size, "%s/%s", root, rel);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return n;
}

#define APV_PATH_FN(name, field)						\
int name(const struct apv_ctx *ctx, char *buf, size_t size, const char *fmt, ...)	\
{										\
	va_list ap;								\
	int n;									\
										\
	va_start(ap, fmt);							\
	n = path_join(ctx->field, buf, size, fmt, ap);				\
	va_end(ap);								\
	return n;								\
}

APV_PATH_FN(apv_path_sysfs, sysfs_root)
APV_PATH_FN(apv_path_etc, etc_root)
APV_PATH_FN(apv_path_run, run_root)

/*
 * A root from the environment: absolute, bounded, "/" becomes "" so that
 * "<root>/<rel>" never starts with "//".
 */
int apv_path_root_from_env(const char *var, const char *def, char out[APV_ROOT_MAX],
			   struct apv_error *err)
{
	const char *v = secure_getenv(var);
	size_t n;

	if (!v || !*v)
		v = def;
	n = strlen(v);
	/* No blanks: journal lines hold paths as blank-separated words. */
	if (v[0] != '/' || n >= APV_ROOT_MAX || v[strcspn(v, " \t\n\r")])
		return apv_error_set(err, EINVAL, "%s='%.64s': must be an absolute path without blanks, shorter than %d bytes",
				     var, v, APV_ROOT_MAX);
	while (n > 1 && v[n - 1] == '/')
		n--;
	if (n == 1)
		n = 0;
	memcpy(out, v, n);
	out[n] = '\0';
	return 0;
}
