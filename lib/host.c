// SPDX-License-Identifier: GPL-2.0
/*
 * host.c - apv_host_*: the host model, read from sysfs in one pass.
 *
 *	bus/ap/{ap_max_adapter_id,ap_max_domain_id,apmask,aqmask}
 *	bus/ap/ap_{adapter,usage_domain,control_domain}_mask (QCI, or
 *		"not supported")
 *	bus/ap/features			(6.4+, optional)
 *	devices/ap/cardXX/{hwtype,raw_hwtype,ap_functions,config,chkstop,
 *		online,type,driver}
 *	devices/ap/cardXX/XX.YYYY/{config,chkstop,online,status,driver}
 *	devices/vfio_ap/matrix/features	(6.12+, optional)
 *	devices/vfio_ap/matrix/<uuid>/{ap_config,matrix,control_domains,
 *		guest_matrix}
 *
 * An mdev's matrix comes from ap_config where the file exists: `matrix`
 * is cut at one page, so a large matrix cannot be read from it.
 */
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "host_priv.h"

#define MATRIX_DIR	"devices/vfio_ap/matrix"

/* An optional 0/1 attribute: -1 when absent or unreadable. */
static int host_read_flag(const char *path)
{
	long v;

	/* No lstat() first: open() says ENOENT as well, one round trip less
	 * per attribute (thousands on a large host). */
	if (apv_sysfs_read_long(path, 0, 1, &v, NULL))
		return -1;
	return (int)v;
}

static unsigned int host_parse_tokens(const char *text, const char *const *names,
				      unsigned int count)
{
	char buf[256], *tok, *save = NULL;
	unsigned int flags = 0, i;

	snprintf(buf, sizeof(buf), "%s", text);
	for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		for (i = 0; i < count; i++)
			if (!strcmp(tok, names[i]))
				flags |= 1u << i;
	return flags;
}

/* An optional features file: absent (older kernel) is not an error. */
static int host_read_feature_file(const char *path, const char *const *names, unsigned int count,
				  bool *has, unsigned int *flags, struct apv_error *err)
{
	char buf[256];
	int rc = apv_sysfs_read_line(path, buf, sizeof(buf), err);

	if (rc && rc != -ENOENT)
		return rc;
	*has = !rc;
	*flags = rc ? 0 : host_parse_tokens(buf, names, count);
	return 0;
}

static int host_read_features(const struct apv_ctx *ctx, struct apv_bus *bus,
			      struct apv_error *err)
{
	static const char *const bus_names[] = { "APSC", "APXA", "QACT", "RC8A", "APSB" };
	static const char *const vfio_names[] = { "guest_matrix", "hotplug", "ap_config" };
	char path[PATH_MAX];
	int rc;

	apv_path_sysfs(ctx, path, sizeof(path), "bus/ap/features");
	rc = host_read_feature_file(path, bus_names, ARRAY_SIZE(bus_names), &bus->has_features,
				    &bus->features, err);
	if (rc)
		return rc;
	apv_path_sysfs(ctx, path, sizeof(path), MATRIX_DIR);
	bus->vfio_ap = apv_sysfs_exists(path);
	apv_path_sysfs(ctx, path, sizeof(path), MATRIX_DIR "/features");
	return host_read_feature_file(path, vfio_names, ARRAY_SIZE(vfio_names),
				      &bus->has_vfio_features, &bus->vfio_features, err);
}

/* The QCI masks; "not supported" (no QCI) leaves has_qci false. */
static int host_read_qci(const struct apv_ctx *ctx, struct apv_bus *bus, struct apv_error *err)
{
	static const char *const files[] = {
		"ap_adapter_mask", "ap_usage_domain_mask", "ap_control_domain_mask"
	};
	struct apv_ids *masks[] = { &bus->cfg_apm, &bus->cfg_aqm, &bus->cfg_adm };
	char path[PATH_MAX], buf[128];
	size_t i;
	int rc;

	apv_path_sysfs(ctx, path, sizeof(path), "bus/ap/%s", files[0]);
	rc = apv_sysfs_read_line(path, buf, sizeof(buf), err);
	if (rc)
		return rc == -ENOENT ? apv_error_set(err, ENOENT, "%s does not exist: is this an s390 host with the AP bus?", path) : rc;
	if (!strcmp(buf, "not supported"))
		return 0;
	bus->has_qci = true;
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		apv_path_sysfs(ctx, path, sizeof(path), "bus/ap/%s", files[i]);
		rc = apv_sysfs_read_mask(path, masks[i], err);
		if (rc)
			return rc;
	}
	return 0;
}

static int host_read_bus(const struct apv_ctx *ctx, struct apv_bus *bus, struct apv_error *err)
{
	char path[PATH_MAX];
	long v;
	int rc;

	rc = host_read_qci(ctx, bus, err);
	if (rc)
		return rc;
	apv_path_sysfs(ctx, path, sizeof(path), "bus/ap/ap_max_adapter_id");
	rc = apv_sysfs_read_long(path, 0, APV_ID_COUNT - 1, &v, err);
	if (rc)
		return rc;
	bus->max_apid = (unsigned int)v;
	apv_path_sysfs(ctx, path, sizeof(path), "bus/ap/ap_max_domain_id");
	rc = apv_sysfs_read_long(path, 0, APV_ID_COUNT - 1, &v, err);
	if (rc)
		return rc;
	bus->max_apqi = (unsigned int)v;
	apv_path_sysfs(ctx, path, sizeof(path), "bus/ap/apmask");
	rc = apv_sysfs_read_mask(path, &bus->apmask, err);
	if (rc)
		return rc;
	apv_path_sysfs(ctx, path, sizeof(path), "bus/ap/aqmask");
	rc = apv_sysfs_read_mask(path, &bus->aqmask, err);
	if (rc)
		return rc;
	return host_read_features(ctx, bus, err);
}

/* "cardXX" with two lowercase hex digits. */
static bool host_card_name(const char *name, unsigned int *apid)
{
	return strlen(name) == 6 && !strncmp(name, "card", 4) &&
	       sscanf(name + 4, "%2x", apid) == 1 && isxdigit((unsigned char)name[4]) &&
	       isxdigit((unsigned char)name[5]);
}

static enum apv_card_mode host_mode(uint32_t functions)
{
	if (functions & 0x10000000)
		return APV_MODE_CCA;
	if (functions & 0x04000000)
		return APV_MODE_EP11;
	if (functions & 0x08000000)
		return APV_MODE_ACCEL;
	return APV_MODE_UNKNOWN;
}

/* "CEX8C" from hwtype and mode when zcrypt's type attribute is absent. */
static void host_card_type(struct apv_card *c)
{
	static const char letters[] = { '?', 'C', 'P', 'A' };

	if (c->type[0])
		return;
	if (c->hwtype >= 10 && c->hwtype <= 14)
		snprintf(c->type, sizeof(c->type), "CEX%d%c", c->hwtype - 6, letters[c->mode]);
	else
		snprintf(c->type, sizeof(c->type), "type%d", c->hwtype);
}

static int host_read_card(const struct apv_ctx *ctx, unsigned int apid, struct apv_card *c,
			  struct apv_error *err)
{
	char path[PATH_MAX];
	long v;
	int rc;

	c->apid = apid;
	apv_path_sysfs(ctx, path, sizeof(path), "devices/ap/card%02x/hwtype", apid);
	rc = apv_sysfs_read_long(path, 0, 255, &v, err);
	if (rc)
		return rc;
	c->hwtype = (int)v;
	apv_path_sysfs(ctx, path, sizeof(path), "devices/ap/card%02x/raw_hwtype", apid);
	c->raw_hwtype = apv_sysfs_read_long(path, 0, 255, &v, NULL) ? -1 : (int)v;
	apv_path_sysfs(ctx, path, sizeof(path), "devices/ap/card%02x/ap_functions", apid);
	rc = apv_sysfs_read_long(path, 0, 0xffffffffL, &v, err);
	if (rc)
		return rc;
	c->functions = (uint32_t)v;
	c->mode = host_mode(c->functions);
	apv_path_sysfs(ctx, path, sizeof(path), "devices/ap/card%02x/config", apid);
	c->config = host_read_flag(path);
	apv_path_sysfs(ctx, path, sizeof(path), "devices/ap/card%02x/chkstop", apid);
	c->chkstop = host_read_flag(path);
	apv_path_sysfs(ctx, path, sizeof(path), "devices/ap/card%02x/online", apid);
	c->online = host_read_flag(path);
	apv_path_sysfs(ctx, path, sizeof(path), "devices/ap/card%02x/type", apid);
	if (apv_sysfs_read_line(path, c->type, sizeof(c->type), NULL))
		c->type[0] = '\0';
	host_card_type(c);
	apv_path_sysfs(ctx, path, sizeof(path), "devices/ap/card%02x/driver", apid);
	return apv_sysfs_link_name(path, c->driver, sizeof(c->driver)) ? apv_error_set(err, EIO, "cannot read the link %s", path) : 0;
}

static int host_read_queue(const struct apv_ctx *ctx, unsigned int apid, unsigned int apqi,
			   struct apv_queue *q, struct apv_error *err)
{
	char path[PATH_MAX];

	q->apid = apid;
	q->apqi = apqi;
	apv_path_sysfs(ctx, path, sizeof(path), "devices/ap/card%02x/%02x.%04x/config", apid, apid, apqi);
	q->config = host_read_flag(path);
	apv_path_sysfs(ctx, path, sizeof(path), "devices/ap/card%02x/%02x.%04x/chkstop", apid, apid, apqi);
	q->chkstop = host_read_flag(path);
	apv_path_sysfs(ctx, path, sizeof(path), "devices/ap/card%02x/%02x.%04x/online", apid, apid, apqi);
	q->online = host_read_flag(path);
	apv_path_sysfs(ctx, path, sizeof(path), "devices/ap/card%02x/%02x.%04x/status", apid, apid, apqi);
	if (apv_sysfs_read_line(path, q->status, sizeof(q->status), NULL))
		q->status[0] = '\0';
	apv_path_sysfs(ctx, path, sizeof(path), "devices/ap/card%02x/%02x.%04x/driver", apid, apid, apqi);
	if (apv_sysfs_link_name(path, q->driver, sizeof(q->driver)))
		return apv_error_set(err, EIO, "cannot read the link %s", path);
	return 0;
}

static int host_add_queue(struct apv_host *h, const struct apv_queue *q, struct apv_error *err)
{
	if (h->nqueues == h->queues_cap) {
		size_t cap = h->queues_cap ? 2 * h->queues_cap : 64;
		struct apv_queue *n = realloc(h->queues, cap * sizeof(*n));

		if (!n)
			return apv_error_set(err, ENOMEM, "out of memory");
		h->queues = n;
		h->queues_cap = cap;
	}
	h->queues[h->nqueues++] = *q;
	return 0;
}

/* The queues "XX.YYYY" of card @apid, in directory order. */
static int host_read_queues(const struct apv_ctx *ctx, struct apv_host *h, unsigned int apid,
			    struct apv_error *err)
{
	char path[PATH_MAX], want[4];
	struct dirent *de;
	unsigned int a, d;
	DIR *dir;
	int rc = 0;

	apv_path_sysfs(ctx, path, sizeof(path), "devices/ap/card%02x", apid);
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? 0 : apv_error_set(err, errno, "cannot list %s: %s", path, strerror(errno));
	snprintf(want, sizeof(want), "%02x.", apid);
	while (!rc && (de = readdir(dir))) {
		struct apv_queue q = { 0 };

		if (strlen(de->d_name) != 7 || strncmp(de->d_name, want, 3) ||
		    aptxt_parse_apqn(de->d_name, &a, &d) || a != apid)
			continue;
		rc = host_read_queue(ctx, a, d, &q, err);
		if (rc == -ENOENT)	/* the queue went away meanwhile */
			rc = 0;
		else if (!rc)
			rc = host_add_queue(h, &q, err);
	}
	closedir(dir);
	return rc;
}

static int host_read_cards(const struct apv_ctx *ctx, struct apv_host *h, struct apv_error *err)
{
	bool present[APV_ID_COUNT] = { false };
	char path[PATH_MAX];
	struct dirent *de;
	unsigned int apid;
	DIR *dir;
	int rc = 0;

	apv_path_sysfs(ctx, path, sizeof(path), "devices/ap");
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? 0 : apv_error_set(err, errno, "cannot list %s: %s", path, strerror(errno));
	while ((de = readdir(dir)))
		if (host_card_name(de->d_name, &apid))
			present[apid] = true;
	closedir(dir);
	/* Ascending APIDs, whatever the directory order. */
	for (apid = 0; !rc && apid < APV_ID_COUNT; apid++) {
		if (!present[apid])
			continue;
		rc = host_read_card(ctx, apid, &h->cards[h->ncards], err);
		if (!rc)
			h->ncards++;
		if (!rc)
			rc = host_read_queues(ctx, h, apid, err);
	}
	return rc;
}

static int host_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* @n lowercase hex digits at @s into @id (< APV_ID_COUNT). */
static bool host_hex_id(const char *s, size_t n, unsigned int *id)
{
	unsigned int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int d = host_hexval(s[i]);

		if (d < 0)
			return false;
		v = v * 16 + (unsigned int)d;
	}
	*id = v;
	return v < APV_ID_COUNT;
}

/* One line of matrix text, without its newline. */
static int host_matrix_line(const char *s, size_t n, struct apv_ids *apm, struct apv_ids *aqm)
{
	unsigned int a, d;

	if (n == 7 && s[2] == '.' && host_hex_id(s, 2, &a) && host_hex_id(s + 3, 4, &d)) {
		apv_ids_set(apm, a);
		apv_ids_set(aqm, d);
	} else if (n == 3 && s[2] == '.' && host_hex_id(s, 2, &a)) {
		apv_ids_set(apm, a);
	} else if (n == 5 && s[0] == '.' && host_hex_id(s + 1, 4, &d)) {
		apv_ids_set(aqm, d);
	} else {
		return -EINVAL;
	}
	return 0;
}

int apv_host_parse_matrix(const char *text, size_t len, struct apv_ids *apm,
			  struct apv_ids *aqm, bool *truncated)
{
	struct apv_ids a, q;
	size_t pos = 0;

	apv_ids_zero(&a);
	apv_ids_zero(&q);
	*truncated = false;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);

		if (!nl) {
			/* A show cut at a page ends in the middle of a line. */
			*truncated = true;
			break;
		}
		if (host_matrix_line(text + pos, (size_t)(nl - text - pos), &a, &q))
			return -EINVAL;
		pos = (size_t)(nl - text) + 1;
	}
	*apm = a;
	*aqm = q;
	return 0;
}

int apv_host_parse_domains(const char *text, size_t len, struct apv_ids *adm)
{
	struct apv_ids d;
	unsigned int id;
	size_t pos = 0;

	apv_ids_zero(&d);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);

		if (!nl || nl - (text + pos) != 4 || !host_hex_id(text + pos, 4, &id))
			return -EINVAL;
		apv_ids_set(&d, id);
		pos = (size_t)(nl - text) + 1;
	}
	*adm = d;
	return 0;
}

/* matrix + control_domains, for kernels without ap_config (6.0 - 6.9). */
static int host_read_mdev_lists(const struct apv_ctx *ctx, struct apv_mdev *m,
				struct apv_error *err)
{
	char path[PATH_MAX], buf[APV_SYSFS_BUF];
	size_t len;
	int rc;

	apv_path_sysfs(ctx, path, sizeof(path), MATRIX_DIR "/%s/matrix", m->uuid);
	rc = apv_sysfs_read(path, buf, sizeof(buf), &len, err);
	if (rc)
		return rc;
	if (apv_host_parse_matrix(buf, len, &m->matrix.apm, &m->matrix.aqm, &m->matrix_truncated))
		return apv_error_set(err, EINVAL, "%s: not a vfio_ap matrix", path);
	apv_path_sysfs(ctx, path, sizeof(path), MATRIX_DIR "/%s/control_domains", m->uuid);
	rc = apv_sysfs_read(path, buf, sizeof(buf), &len, err);
	if (rc)
		return rc;
	if (apv_host_parse_domains(buf, len, &m->matrix.adm))
		return apv_error_set(err, EINVAL, "%s: not a list of control domains", path);
	return 0;
}

static int host_read_ap_config(const char *path, struct apv_mdev *m, struct apv_error *err)
{
	char buf[APV_SYSFS_BUF];
	struct apbm apm, aqm, adm;
	size_t len;
	int rc;

	rc = apv_sysfs_read(path, buf, sizeof(buf), &len, err);
	if (rc)
		return rc;
	if (len != APTXT_AP_CONFIG_LEN || aptxt_parse_ap_config(buf, len, &apm, &aqm, &adm))
		return apv_error_set(err, EINVAL, "%s: '%.80s' is not an ap_config line", path, buf);
	apv_ids_from_apbm(&apm, &m->matrix.apm);
	apv_ids_from_apbm(&aqm, &m->matrix.aqm);
	apv_ids_from_apbm(&adm, &m->matrix.adm);
	return 0;
}

static int host_read_mdev(const struct apv_ctx *ctx, struct apv_mdev *m, struct apv_error *err)
{
	char path[PATH_MAX], buf[APV_SYSFS_BUF];
	size_t len;
	int rc;

	apv_path_sysfs(ctx, path, sizeof(path), MATRIX_DIR "/%s/ap_config", m->uuid);
	m->has_ap_config = apv_sysfs_exists(path);
	rc = m->has_ap_config ? host_read_ap_config(path, m, err) : host_read_mdev_lists(ctx, m, err);
	if (rc)
		return rc;
	apv_path_sysfs(ctx, path, sizeof(path), MATRIX_DIR "/%s/guest_matrix", m->uuid);
	rc = apv_sysfs_read(path, buf, sizeof(buf), &len, err);
	if (rc == -ENOENT)
		return 0;	/* before 6.0: no filtering to show */
	if (rc)
		return rc;
	m->has_guest_matrix = true;
	if (apv_host_parse_matrix(buf, len, &m->guest_apm, &m->guest_aqm, &m->guest_truncated))
		return apv_error_set(err, EINVAL, "%s: not a vfio_ap matrix", path);
	return 0;
}

int apv_host_read_one_mdev(const struct apv_ctx *ctx, const char *uuid, struct apv_mdev *m,
			   struct apv_error *err)
{
	if (!apv_uuid_valid(uuid))
		return apv_error_set(err, EINVAL, "'%.40s' is not a UUID", uuid);
	memset(m, 0, sizeof(*m));
	memcpy(m->uuid, uuid, APV_UUID_LEN);
	return host_read_mdev(ctx, m, err);
}

static int host_add_mdev(struct apv_host *h, const char *uuid, struct apv_error *err)
{
	if (h->nmdevs == h->mdevs_cap) {
		size_t cap = h->mdevs_cap ? 2 * h->mdevs_cap : 16;
		struct apv_mdev *n;

		if (cap > APV_ID_COUNT * APV_ID_COUNT)
			return apv_error_set(err, E2BIG, "more vfio_ap mdevs than the kernel allows");
		n = realloc(h->mdevs, cap * sizeof(*n));
		if (!n)
			return apv_error_set(err, ENOMEM, "out of memory");
		h->mdevs = n;
		h->mdevs_cap = cap;
	}
	memset(&h->mdevs[h->nmdevs], 0, sizeof(h->mdevs[0]));
	/* apv_uuid_valid() said: exactly APV_UUID_LEN characters */
	memcpy(h->mdevs[h->nmdevs].uuid, uuid, APV_UUID_LEN);
	h->nmdevs++;
	return 0;
}

static int host_read_mdevs(const struct apv_ctx *ctx, struct apv_host *h, struct apv_error *err)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir;
	int rc = 0;

	apv_path_sysfs(ctx, path, sizeof(path), MATRIX_DIR);
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? 0 : apv_error_set(err, errno, "cannot list %s: %s", path, strerror(errno));
	while (!rc && (de = readdir(dir))) {
		if (!apv_uuid_valid(de->d_name))
			continue;
		rc = host_add_mdev(h, de->d_name, err);
		if (rc)
			break;
		rc = host_read_mdev(ctx, &h->mdevs[h->nmdevs - 1], err);
		if (rc == -ENOENT) {
			/* Being removed: its attributes are gone already. */
			h->nmdevs--;
			rc = 0;
		}
	}
	closedir(dir);
	return rc;
}

static int host_queue_cmp(const void *a, const void *b)
{
	const struct apv_queue *x = a, *y = b;

	if (x->apid != y->apid)
		return x->apid < y->apid ? -1 : 1;
	return x->apqi < y->apqi ? -1 : x->apqi > y->apqi;
}

static int host_mdev_cmp(const void *a, const void *b)
{
	return strcmp(((const struct apv_mdev *)a)->uuid, ((const struct apv_mdev *)b)->uuid);
}

int apv_host_read(const struct apv_ctx *ctx, struct apv_host **out, struct apv_error *err)
{
	struct apv_host *h = calloc(1, sizeof(*h));
	int rc;

	if (!h)
		return apv_error_set(err, ENOMEM, "out of memory");
	rc = host_read_bus(ctx, &h->bus, err);
	if (!rc)
		rc = host_read_cards(ctx, h, err);
	if (!rc)
		rc = host_read_mdevs(ctx, h, err);
	if (rc) {
		apv_host_free(h);
		return rc;
	}
	/* qsort() and bsearch() want a real array even for zero elements. */
	if (h->nqueues)
		qsort(h->queues, h->nqueues, sizeof(*h->queues), host_queue_cmp);
	if (h->nmdevs)
		qsort(h->mdevs, h->nmdevs, sizeof(*h->mdevs), host_mdev_cmp);
	*out = h;
	return 0;
}

void apv_host_free(struct apv_host *host)
{
	if (!host)
		return;
	free(host->queues);
	free(host->mdevs);
	free(host);
}

const struct apv_bus *apv_host_bus(const struct apv_host *host)
{
	return &host->bus;
}

size_t apv_host_ncards(const struct apv_host *host)
{
	return host->ncards;
}

const struct apv_card *apv_host_card(const struct apv_host *host, size_t i)
{
	return i < host->ncards ? &host->cards[i] : NULL;
}

size_t apv_host_nqueues(const struct apv_host *host)
{
	return host->nqueues;
}

const struct apv_queue *apv_host_queue(const struct apv_host *host, size_t i)
{
	return i < host->nqueues ? &host->queues[i] : NULL;
}

const struct apv_queue *apv_host_find_queue(const struct apv_host *host, unsigned int apid,
					     unsigned int apqi)
{
	struct apv_queue key = { .apid = apid, .apqi = apqi };

	if (!host->nqueues)
		return NULL;
	return bsearch(&key, host->queues, host->nqueues, sizeof(key), host_queue_cmp);
}

size_t apv_host_nmdevs(const struct apv_host *host)
{
	return host->nmdevs;
}

const struct apv_mdev *apv_host_mdev(const struct apv_host *host, size_t i)
{
	return i < host->nmdevs ? &host->mdevs[i] : NULL;
}

const struct apv_mdev *apv_host_find_mdev(const struct apv_host *host, const char *uuid)
{
	for (size_t i = 0; i < host->nmdevs; i++)
		if (!strcasecmp(host->mdevs[i].uuid, uuid))
			return &host->mdevs[i];
	return NULL;
}

const struct apv_mdev *apv_host_owner(const struct apv_host *host, unsigned int apid,
				      unsigned int apqi)
{
	for (size_t i = 0; i < host->nmdevs; i++)
		if (apv_ids_test(&host->mdevs[i].matrix.apm, apid) &&
		    apv_ids_test(&host->mdevs[i].matrix.aqm, apqi))
			return &host->mdevs[i];
	return NULL;
}

bool apv_host_reserved(const struct apv_host *host, unsigned int apid, unsigned int apqi)
{
	return apv_ids_test(&host->bus.apmask, apid) && apv_ids_test(&host->bus.aqmask, apqi);
}

const char *apv_card_mode_name(enum apv_card_mode mode)
{
	static const char *const names[] = { "unknown", "cca", "ep11", "accel" };

	return (unsigned int)mode < ARRAY_SIZE(names) ? names[mode] : "unknown";
}
