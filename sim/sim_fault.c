// SPDX-License-Identifier: GPL-2.0
/*
 * sim_fault.c - fault injection: "fail PATH ERRNO [--count N]" makes the
 * next writes of a sysfs path fail with ERRNO.  Paths are stored in
 * canonical form (sim_canonical_path: the tree's fixed symlinks resolved),
 * the form in which a write reaches the FUSE layer.
 */
#include <ctype.h>
#include <limits.h>

#include "sim_fault.h"
#include "sim_state.h"

/* ---- fault injection ----------------------------------------------------- */

struct sim_link_rule {
	const char *from, *to;	/* to == NULL: an AP device name follows */
};

/* The tree's fixed symlinks, as path prefixes (each ends with '/'). */
static const struct sim_link_rule sim_link_rules[] = {
	{ "bus/mdev/devices/", "devices/vfio_ap/matrix/" },
	{ "bus/mdev/drivers/vfio_ap_mdev/", "devices/vfio_ap/matrix/" },
	{ "devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/devices/",
	  "devices/vfio_ap/matrix/" },
	{ "class/mdev_bus/matrix/", "devices/vfio_ap/matrix/" },
	{ "bus/matrix/devices/matrix/", "devices/vfio_ap/matrix/" },
	{ "bus/matrix/drivers/vfio_ap/matrix/", "devices/vfio_ap/matrix/" },
	{ "bus/ap/devices/", NULL },
	{ "bus/ap/drivers/cex4card/", NULL },
	{ "bus/ap/drivers/cex4queue/", NULL },
	{ "bus/ap/drivers/vfio_ap/", NULL },
};

/* Does @s start with the component @n lowercase hex digits long? */
static bool sim_hex_comp(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return true;
}

/*
 * "cardXX/rest" -> "devices/ap/cardXX/rest", "XX.YYYY/rest" ->
 * ".../cardXX/XX.YYYY/rest".  Only device names are links: a driver's
 * bind and unbind (or anything else) are files of the directory itself,
 * so false and @out untouched for them.
 */
static bool sim_canonical_apdev(const char *rest, char *out, size_t size)
{
	size_t n = strcspn(rest, "/");

	if (n == 6 && !strncmp(rest, "card", 4) && sim_hex_comp(rest + 4, 2))
		snprintf(out, size, "devices/ap/%s", rest);
	else if (n == 7 && rest[2] == '.' && sim_hex_comp(rest, 2) && sim_hex_comp(rest + 3, 4))
		snprintf(out, size, "devices/ap/card%.2s/%s", rest, rest);
	else
		return false;
	return true;
}

void sim_canonical_path(const char *in, char *out, size_t size)
{
	char tmp[PATH_MAX];
	size_t i, o = 0, n;
	bool again = true;
	int rounds;

	/* strip leading slashes, collapse repeated ones */
	for (i = 0; in[i] && o + 1 < sizeof(tmp); i++)
		if (in[i] != '/' || (o && tmp[o - 1] != '/'))
			tmp[o++] = in[i];
	while (o && tmp[o - 1] == '/')
		o--;
	tmp[o] = '\0';
	snprintf(out, size, "%s", tmp);
	for (rounds = 0; again && rounds < 4; rounds++) {
		again = false;
		for (i = 0; i < ARRAY_SIZE(sim_link_rules); i++) {
			n = strlen(sim_link_rules[i].from);
			if (strncmp(out, sim_link_rules[i].from, n))
				continue;
			snprintf(tmp, sizeof(tmp), "%s", out + n);
			if (sim_link_rules[i].to)
				snprintf(out, size, "%s%s", sim_link_rules[i].to, tmp);
			else if (!sim_canonical_apdev(tmp, out, size))
				continue;	/* not a device link: the path stays */
			again = true;
			break;
		}
	}
}

/*
 * A fault path is a sysfs-shaped relative path: [A-Za-z0-9._:-] components,
 * no "." or "..".  It need not exist yet (an mdev created later counts).
 */
static bool sim_fault_path_ok(const char *path)
{
	const char *comp = path, *p;
	size_t n;

	if (!*path || strlen(path) >= PATH_MAX)
		return false;
	for (p = path;; p++) {
		if (*p && *p != '/') {
			if (!isalnum((unsigned char)*p) && !strchr("._:-", *p))
				return false;
			continue;
		}
		n = (size_t)(p - comp);
		/* empty (leading, doubled or trailing '/'), "." and ".." */
		if (!n || (n == 1 && comp[0] == '.') || (n == 2 && comp[0] == '.' && comp[1] == '.'))
			return false;
		if (!*p)
			return true;
		comp = p + 1;
	}
}

int sim_fault_add(struct sim *s, const char *path, int err, unsigned int count)
{
	char canon[PATH_MAX];
	struct sim_fault *f, **pp;

	if (!sim_fault_path_ok(path))
		return -EINVAL;
	sim_canonical_path(path, canon, sizeof(canon));
	sim_reg_lock(s);
	for (pp = &s->faults; *pp && strcmp((*pp)->path, canon); pp = &(*pp)->next)
		;
	f = *pp;
	if (!f && count && s->nfaults >= SIM_FAULTS_MAX) {
		sim_reg_unlock(s);
		return -ENOSPC;
	}
	if (!f && count) {
		f = calloc(1, sizeof(*f));
		if (f)
			f->path = strdup(canon);
		if (!f || !f->path) {
			free(f);
			sim_reg_unlock(s);
			return -ENOMEM;
		}
		*pp = f;
		s->nfaults++;
	}
	if (f && !count) {
		*pp = f->next;
		free(f->path);
		free(f);
		s->nfaults--;
	} else if (f) {
		f->err = err;
		f->count = count;
	}
	sim_reg_unlock(s);
	return 0;
}

int sim_fault_take(struct sim *s, const char *path)
{
	struct sim_fault *f, **pp;
	int err = 0;

	while (*path == '/')
		path++;
	sim_reg_lock(s);
	for (pp = &s->faults; *pp && strcmp((*pp)->path, path); pp = &(*pp)->next)
		;
	f = *pp;
	if (f) {
		err = -f->err;
		if (!--f->count) {
			*pp = f->next;
			free(f->path);
			free(f);
			s->nfaults--;
		}
	}
	sim_reg_unlock(s);
	return err;
}
