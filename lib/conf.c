// SPDX-License-Identifier: GPL-2.0
/*
 * conf.c - apv_conf_*: the apvirt.conf parser.  Pure: text in, struct
 * out, never prints, writes @out only on success (see apv_ctx.h for the
 * grammar).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct conf_key {
	const char *name;
	unsigned int flag;
	int (*parse)(const char *value, struct apv_conf *conf);
	const char *expected;	/* for the error message */
};

/*
 * An absolute path without "." or ".." components, blanks or control
 * characters: a root or a log file, never anything a shell would split.
 */
static bool conf_path_ok(const char *v)
{
	const char *c;

	if (v[0] != '/' || strlen(v) >= APV_ROOT_MAX)
		return false;
	for (c = v; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f)
			return false;
	for (c = v; (c = strchr(c, '/')); c++) {
		size_t n = strcspn(c + 1, "/");

		if ((n == 1 && c[1] == '.') || (n == 2 && c[1] == '.' && c[2] == '.'))
			return false;
	}
	return true;
}

static int conf_path(const char *v, char out[APV_ROOT_MAX])
{
	if (!conf_path_ok(v))
		return -EINVAL;
	snprintf(out, APV_ROOT_MAX, "%s", v);
	return 0;
}

static int conf_sysfs_root(const char *v, struct apv_conf *c)
{
	return conf_path(v, c->sysfs_root);
}

static int conf_run_root(const char *v, struct apv_conf *c)
{
	return conf_path(v, c->run_root);
}

static int conf_log_file(const char *v, struct apv_conf *c)
{
	return conf_path(v, c->log_file);
}

static int conf_transaction(const char *v, struct apv_conf *c)
{
	if (!strcmp(v, "auto"))
		c->txn_mode = APV_TXN_AUTO;
	else if (!strcmp(v, "ordered"))
		c->txn_mode = APV_TXN_ORDERED;
	else if (!strcmp(v, "ap_config"))
		c->txn_mode = APV_TXN_AP_CONFIG;
	else
		return -EINVAL;
	return 0;
}

static int conf_lock_timeout(const char *v, struct apv_conf *c)
{
	unsigned long n = 0;
	const char *d;

	if (!*v || strlen(v) > 4)
		return -EINVAL;
	for (d = v; *d; d++) {
		if (*d < '0' || *d > '9')
			return -EINVAL;
		n = n * 10 + (unsigned long)(*d - '0');
	}
	if (n > APV_LOCK_TIMEOUT_MAX)
		return -EINVAL;
	c->lock_timeout = (unsigned int)n;
	return 0;
}

#define CONF_PATH_EXPECTED "an absolute path without blanks, '.' or '..'"

static const struct conf_key conf_keys[] = {
	{ "sysfs_root", APV_CONF_HAS_SYSFS_ROOT, conf_sysfs_root, CONF_PATH_EXPECTED },
	{ "run_root", APV_CONF_HAS_RUN_ROOT, conf_run_root, CONF_PATH_EXPECTED },
	{ "log_file", APV_CONF_HAS_LOG_FILE, conf_log_file, CONF_PATH_EXPECTED },
	{ "transaction", APV_CONF_HAS_TXN_MODE, conf_transaction, "auto, ordered or ap_config" },
	{ "lock_timeout", APV_CONF_HAS_LOCK_TIMEOUT, conf_lock_timeout,
	  "a number of seconds from 0 to 3600" },
};

/* Strip blanks (space, tab) at both ends, in place. */
static char *conf_trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* One line (NUL-terminated, no newline) into @c. */
static int conf_line(char *line, const char *fname, unsigned int lineno, struct apv_conf *c,
		     struct apv_error *err)
{
	char *eq, *key, *value;
	size_t i;

	key = conf_trim(line);
	if (*key == '\0' || *key == '#')
		return 0;
	eq = strchr(key, '=');
	if (!eq)
		return apv_error_set(err, EINVAL, "%s:%u: expected 'key = value'", fname, lineno);
	*eq = '\0';
	key = conf_trim(key);
	value = conf_trim(eq + 1);
	for (i = 0; i < ARRAY_SIZE(conf_keys); i++) {
		if (strcmp(key, conf_keys[i].name))
			continue;
		if (c->set & conf_keys[i].flag)
			return apv_error_set(err, EINVAL, "%s:%u: '%s' is set twice", fname,
					     lineno, key);
		if (conf_keys[i].parse(value, c))
			return apv_error_set(err, EINVAL, "%s:%u: bad value '%.64s' for '%s': expected %s",
					     fname, lineno, value, key, conf_keys[i].expected);
		c->set |= conf_keys[i].flag;
		return 0;
	}
	return apv_error_set(err, EINVAL, "%s:%u: unknown key '%.64s'", fname, lineno, key);
}

int apv_conf_parse(const char *text, size_t len, const char *fname, struct apv_conf *out,
		   struct apv_error *err)
{
	char line[APV_CONF_LINE_MAX + 1];
	struct apv_conf c = { .txn_mode = APV_TXN_AUTO };
	unsigned int lineno = 0;
	size_t pos = 0;
	int rc;

	if (len > APV_CONF_FILE_MAX)
		return apv_error_set(err, EFBIG, "%s: longer than %d bytes", fname,
				     APV_CONF_FILE_MAX);
	if (memchr(text, '\0', len))
		return apv_error_set(err, EINVAL, "%s: contains a NUL byte", fname);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

		lineno++;
		if (n > APV_CONF_LINE_MAX)
			return apv_error_set(err, EINVAL, "%s:%u: line longer than %d bytes",
					     fname, lineno, APV_CONF_LINE_MAX);
		memcpy(line, text + pos, n);
		line[n] = '\0';
		rc = conf_line(line, fname, lineno, &c, err);
		if (rc)
			return rc;
		pos += n + 1;
	}
	*out = c;
	return 0;
}
