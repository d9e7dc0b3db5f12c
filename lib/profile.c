// SPDX-License-Identifier: GPL-2.0
/*
 * profile.c - apv_profile_*: mdevctl's definitions of vfio_ap mdevs,
 * <etc>/mdevctl.d/matrix/<uuid>, read and rewritten with json-c.
 *
 * The JSON tree is kept as read, so a rewrite changes only the matrix
 * attrs and leaves every other key (and every attr apvirt does not own,
 * in its place) as it was.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "internal.h"

#define PROFILE_DIR		"mdevctl.d/matrix"
#define PROFILE_JSON_DEPTH	8	/* mdevctl's format is 3 levels deep */
#define PROFILE_VALUE_MAX	256	/* bytes of one attr value */

struct apv_profile {
	char uuid[APV_UUID_LEN + 1];
	json_object *root;
	bool autostart;
	char type[64];
	struct apv_matrix matrix;
};

/* The attrs whose effect on the matrix apvirt computes and rewrites. */
enum profile_op { OP_NONE, OP_ASSIGN, OP_UNASSIGN, OP_AP_CONFIG };

struct profile_attr {
	const char *name;
	enum profile_op op;
	size_t mask;		/* offsetof the set in struct apv_matrix */
};

static const struct profile_attr profile_attrs[] = {
	{ "assign_adapter", OP_ASSIGN, offsetof(struct apv_matrix, apm) },
	{ "unassign_adapter", OP_UNASSIGN, offsetof(struct apv_matrix, apm) },
	{ "assign_domain", OP_ASSIGN, offsetof(struct apv_matrix, aqm) },
	{ "unassign_domain", OP_UNASSIGN, offsetof(struct apv_matrix, aqm) },
	{ "assign_control_domain", OP_ASSIGN, offsetof(struct apv_matrix, adm) },
	{ "unassign_control_domain", OP_UNASSIGN, offsetof(struct apv_matrix, adm) },
	{ "ap_config", OP_AP_CONFIG, 0 },
};

static const struct profile_attr *profile_attr_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(profile_attrs); i++)
		if (!strcmp(name, profile_attrs[i].name))
			return &profile_attrs[i];
	return NULL;
}

bool apv_uuid_valid(const char *uuid)
{
	u8 bytes[16];

	return uuid && strnlen(uuid, APV_UUID_LEN + 1) == APV_UUID_LEN &&
	       !aptxt_parse_uuid(uuid, bytes);
}

/* What mdevctl start would do with one attr: the kernel's parsing. */
static int profile_apply_attr(const struct profile_attr *a, const char *value, size_t idx,
			      struct apv_matrix *m, struct apv_error *err)
{
	struct apv_ids *set = (struct apv_ids *)((char *)m + a->mask);
	struct apbm apm, aqm, adm;
	u64 id;

	if (a->op == OP_AP_CONFIG) {
		if (aptxt_parse_ap_config(value, strlen(value), &apm, &aqm, &adm))
			return apv_error_set(err, EINVAL, "attrs[%zu]: '%.80s' is not an ap_config value",
					     idx, value);
		apv_ids_from_apbm(&apm, &m->apm);
		apv_ids_from_apbm(&aqm, &m->aqm);
		apv_ids_from_apbm(&adm, &m->adm);
		return 0;
	}
	if (aptxt_kstrtoul(value, strlen(value), &id) || id >= APV_ID_COUNT)
		return apv_error_set(err, EINVAL, "attrs[%zu]: %s value '%.64s' is not an ID from 0 to 255",
				     idx, a->name, value);
	if (a->op == OP_ASSIGN)
		apv_ids_set(set, (unsigned int)id);
	else
		apv_ids_clear(set, (unsigned int)id);
	return 0;
}

/* One element of "attrs": an object with exactly one string member. */
static int profile_attr_entry(json_object *entry, size_t idx, struct apv_matrix *m,
			      struct apv_error *err)
{
	const struct profile_attr *a;
	const char *value;

	if (!json_object_is_type(entry, json_type_object) || json_object_object_length(entry) != 1)
		return apv_error_set(err, EINVAL, "attrs[%zu]: not an object with one member", idx);
	json_object_object_foreach(entry, key, val) {
		if (!json_object_is_type(val, json_type_string))
			return apv_error_set(err, EINVAL, "attrs[%zu]: the value of '%.64s' is not a string",
					     idx, key);
		value = json_object_get_string(val);
		if (strlen(value) >= PROFILE_VALUE_MAX)
			return apv_error_set(err, EINVAL, "attrs[%zu]: value longer than %d bytes",
					     idx, PROFILE_VALUE_MAX);
		a = profile_attr_find(key);
		if (a)
			return profile_apply_attr(a, value, idx, m, err);
	}
	return 0;
}

static int profile_read_attrs(json_object *attrs, struct apv_matrix *m, struct apv_error *err)
{
	size_t i, n;
	int rc;

	memset(m, 0, sizeof(*m));
	if (!attrs)
		return 0;	/* before mdevctl 1.3 "attrs" could be left out */
	if (!json_object_is_type(attrs, json_type_array))
		return apv_error_set(err, EINVAL, "\"attrs\" is not an array");
	n = json_object_array_length(attrs);
	if (n > APV_PROFILE_ATTRS_MAX)
		return apv_error_set(err, E2BIG, "more than %d attrs", APV_PROFILE_ATTRS_MAX);
	for (i = 0; i < n; i++) {
		rc = profile_attr_entry(json_object_array_get_idx(attrs, i), i, m, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int profile_read_keys(struct apv_profile *p, struct apv_error *err)
{
	json_object *type, *start, *attrs = NULL;
	const char *s;

	if (!json_object_is_type(p->root, json_type_object))
		return apv_error_set(err, EINVAL, "not a JSON object");
	if (!json_object_object_get_ex(p->root, "mdev_type", &type) ||
	    !json_object_is_type(type, json_type_string))
		return apv_error_set(err, EINVAL, "\"mdev_type\" is missing or not a string");
	s = json_object_get_string(type);
	if (strlen(s) >= sizeof(p->type))
		return apv_error_set(err, EINVAL, "\"mdev_type\" is too long");
	strcpy(p->type, s);
	if (!json_object_object_get_ex(p->root, "start", &start) ||
	    !json_object_is_type(start, json_type_string))
		return apv_error_set(err, EINVAL, "\"start\" is missing or not a string");
	s = json_object_get_string(start);
	if (strcmp(s, "auto") && strcmp(s, "manual"))
		return apv_error_set(err, EINVAL, "\"start\" is '%.32s', not auto or manual", s);
	p->autostart = !strcmp(s, "auto");
	json_object_object_get_ex(p->root, "attrs", &attrs);
	return profile_read_attrs(attrs, &p->matrix, err);
}

static bool profile_only_blanks(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

static json_object *profile_tokenize(const char *text, size_t len, struct apv_error *err)
{
	struct json_tokener *tok = json_tokener_new_ex(PROFILE_JSON_DEPTH);
	json_object *root;
	size_t end;

	if (!tok) {
		apv_error_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	root = json_tokener_parse_ex(tok, text, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (!root || json_tokener_get_error(tok) != json_tokener_success) {
		apv_error_set(err, EINVAL, "invalid JSON: %s",
			      json_tokener_error_desc(json_tokener_get_error(tok)));
		json_object_put(root);
		root = NULL;
	} else if (!profile_only_blanks(text + end, len - end)) {
		apv_error_set(err, EINVAL, "text after the JSON object");
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tok);
	return root;
}

int apv_profile_parse(const char *text, size_t len, const char *uuid,
		      struct apv_profile **out, struct apv_error *err)
{
	struct apv_profile *p;
	int rc;

	if (len > APV_PROFILE_MAX)
		return apv_error_set(err, EFBIG, "longer than %d bytes", APV_PROFILE_MAX);
	if (memchr(text, '\0', len))
		return apv_error_set(err, EINVAL, "contains a NUL byte");
	if (uuid && !apv_uuid_valid(uuid))
		return apv_error_set(err, EINVAL, "'%.40s' is not a UUID", uuid);
	p = calloc(1, sizeof(*p));
	if (!p)
		return apv_error_set(err, ENOMEM, "out of memory");
	snprintf(p->uuid, sizeof(p->uuid), "%s", uuid ? uuid : "");
	p->root = profile_tokenize(text, len, err);
	rc = p->root ? profile_read_keys(p, err) : -(err && err->code ? err->code : EINVAL);
	if (rc) {
		apv_profile_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int apv_profile_new(const char *uuid, bool autostart, struct apv_profile **out,
		    struct apv_error *err)
{
	char text[128];

	snprintf(text, sizeof(text), "{\"mdev_type\":\"%s\",\"start\":\"%s\",\"attrs\":[]}",
		 APV_MDEV_TYPE, autostart ? "auto" : "manual");
	return apv_profile_parse(text, strlen(text), uuid, out, err);
}

void apv_profile_free(struct apv_profile *p)
{
	if (!p)
		return;
	json_object_put(p->root);
	free(p);
}

const char *apv_profile_uuid(const struct apv_profile *p)
{
	return p->uuid;
}

bool apv_profile_autostart(const struct apv_profile *p)
{
	return p->autostart;
}

const char *apv_profile_type(const struct apv_profile *p)
{
	return p->type;
}

const struct apv_matrix *apv_profile_matrix(const struct apv_profile *p)
{
	return &p->matrix;
}

static int profile_append(json_object *attrs, const char *name, const char *fmt,
			  unsigned int id)
{
	json_object *entry = json_object_new_object();
	char value[16];

	if (!entry)
		return -ENOMEM;
	snprintf(value, sizeof(value), fmt, id);
	if (json_object_object_add(entry, name, json_object_new_string(value)) ||
	    json_object_array_add(attrs, entry)) {
		json_object_put(entry);
		return -ENOMEM;
	}
	return 0;
}

/* The matrix as attrs, in mdevctl's usual order, hex like lszcrypt. */
static int profile_append_matrix(json_object *attrs, const struct apv_matrix *m)
{
	unsigned int id;
	int rc = 0;

	apv_ids_for_each(id, &m->apm)
		rc = rc ? rc : profile_append(attrs, "assign_adapter", "0x%02x", id);
	apv_ids_for_each(id, &m->aqm)
		rc = rc ? rc : profile_append(attrs, "assign_domain", "0x%04x", id);
	apv_ids_for_each(id, &m->adm)
		rc = rc ? rc : profile_append(attrs, "assign_control_domain", "0x%04x", id);
	return rc;
}

/* The attrs apvirt does not own, in their order. */
static int profile_keep_foreign(json_object *old, json_object *attrs)
{
	size_t i, n = old ? json_object_array_length(old) : 0;

	for (i = 0; i < n; i++) {
		json_object *entry = json_object_array_get_idx(old, i);
		bool owned = false;

		json_object_object_foreach(entry, key, val) {
			(void)val;
			owned = profile_attr_find(key) != NULL;
		}
		if (!owned && json_object_array_add(attrs, json_object_get(entry)))
			return -ENOMEM;
	}
	return 0;
}

int apv_profile_set_matrix(struct apv_profile *p, const struct apv_matrix *m,
			   struct apv_error *err)
{
	json_object *old = NULL, *attrs = json_object_new_array();

	if (!attrs)
		return apv_error_set(err, ENOMEM, "out of memory");
	json_object_object_get_ex(p->root, "attrs", &old);
	if (profile_keep_foreign(old, attrs) || profile_append_matrix(attrs, m) ||
	    json_object_object_add(p->root, "attrs", attrs)) {
		json_object_put(attrs);
		return apv_error_set(err, ENOMEM, "out of memory");
	}
	p->matrix = *m;
	return 0;
}

char *apv_profile_to_json(const struct apv_profile *p)
{
	const char *s = json_object_to_json_string_ext(p->root, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_SPACED |
						       JSON_C_TO_STRING_NOSLASHESCAPE);
	char *out;

	if (!s || asprintf(&out, "%s\n", s) < 0)
		return NULL;
	return out;
}

int apv_profile_path(const struct apv_ctx *ctx, const char *uuid, char *buf, size_t size)
{
	return apv_path_etc(ctx, buf, size, PROFILE_DIR "/%s", uuid);
}

int apv_profile_load(const struct apv_ctx *ctx, const char *uuid, struct apv_profile **out,
		     struct apv_error *err)
{
	char path[PATH_MAX];
	_apv_autofree_ char *text = NULL;
	struct apv_error perr = { 0 };
	size_t len;
	int rc;

	if (!apv_uuid_valid(uuid))
		return apv_error_set(err, EINVAL, "'%.40s' is not a UUID", uuid);
	if (apv_profile_path(ctx, uuid, path, sizeof(path)) < 0)
		return apv_error_set(err, ENAMETOOLONG, "profile path too long");
	rc = apv_file_read(path, APV_PROFILE_MAX, &text, &len, err);
	if (rc)
		return rc;
	rc = apv_profile_parse(text, len, uuid, out, &perr);
	if (rc)
		return apv_error_set(err, perr.code, "%s: %s", path, perr.msg);
	return 0;
}

int apv_profile_save(const struct apv_ctx *ctx, const struct apv_profile *p,
		     struct apv_error *err)
{
	char path[PATH_MAX], dir[PATH_MAX];
	_apv_autofree_ char *text = apv_profile_to_json(p);
	int rc;

	if (!text)
		return apv_error_set(err, ENOMEM, "out of memory");
	if (apv_profile_path(ctx, p->uuid, path, sizeof(path)) < 0 ||
	    apv_path_etc(ctx, dir, sizeof(dir), PROFILE_DIR) < 0)
		return apv_error_set(err, ENAMETOOLONG, "profile path too long");
	rc = apv_file_mkdirs(dir, 0755, err);
	if (rc)
		return rc;
	return apv_file_replace(path, text, strlen(text), 0644, err);
}

static int profiles_add(struct apv_profiles *list, struct apv_profile *p, size_t *cap)
{
	if (list->count == *cap) {
		size_t n = *cap ? 2 * *cap : 16;
		struct apv_profile **items = realloc(list->items, n * sizeof(*items));

		if (!items)
			return -ENOMEM;
		list->items = items;
		*cap = n;
	}
	list->items[list->count++] = p;
	return 0;
}

static int profile_name_cmp(const void *a, const void *b)
{
	return strcmp((*(struct apv_profile *const *)a)->uuid,
		      (*(struct apv_profile *const *)b)->uuid);
}

int apv_profiles_load(const struct apv_ctx *ctx, struct apv_profiles *out,
		      struct apv_error *err)
{
	struct apv_profiles list = { 0 };
	struct apv_profile *p;
	char dir_path[PATH_MAX];
	struct dirent *de;
	size_t cap = 0;
	DIR *dir;
	int rc = 0;

	if (apv_path_etc(ctx, dir_path, sizeof(dir_path), PROFILE_DIR) < 0)
		return apv_error_set(err, ENAMETOOLONG, "profile path too long");
	dir = opendir(dir_path);
	if (!dir) {
		if (errno != ENOENT)
			return apv_error_set(err, errno, "cannot list %s: %s", dir_path, strerror(errno));
		*out = list;
		return 0;
	}
	while (!rc && (de = readdir(dir))) {
		if (!apv_uuid_valid(de->d_name))
			continue;	/* temp files, backups, README ... */
		if (list.count >= APV_PROFILES_MAX) {
			rc = apv_error_set(err, E2BIG, "%s: more than %d profiles", dir_path, APV_PROFILES_MAX);
			break;
		}
		rc = apv_profile_load(ctx, de->d_name, &p, err);
		if (rc == -ENOENT)
			rc = 0;	/* removed meanwhile */
		else if (!rc && profiles_add(&list, p, &cap)) {
			apv_profile_free(p);
			rc = apv_error_set(err, ENOMEM, "out of memory");
		}
	}
	closedir(dir);
	if (rc) {
		apv_profiles_free(&list);
		return rc;
	}
	if (list.count)
		qsort(list.items, list.count, sizeof(*list.items), profile_name_cmp);
	*out = list;
	return 0;
}

void apv_profiles_free(struct apv_profiles *list)
{
	for (size_t i = 0; i < list->count; i++)
		apv_profile_free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = 0;
}

const struct apv_profile *apv_profiles_find(const struct apv_profiles *list, const char *uuid)
{
	for (size_t i = 0; list && i < list->count; i++)
		if (!strcasecmp(list->items[i]->uuid, uuid))
			return list->items[i];
	return NULL;
}
