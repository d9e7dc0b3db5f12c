// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_domain_show.c - apvirt dumpxml and apvirt list: a domain's AP matrix
 * as desired (its metadata), configured (its mdev's matrix) and effective
 * (guest_matrix), and where they drift apart.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apvirt.h"

/* What one domain looks like to apvirt right now. */
struct dom_view {
	const char *name;
	bool active, persistent;
	bool has_live, has_cfg;
	struct apv_domain_xml live, cfg;
	const struct apv_metadata *md;	/* live if running, else persistent */
	const struct apv_mdev *mdev;	/* NULL when not active */
	struct apv_effective eff;
};

static int view_read(const struct apvirt_session *s, const struct apv_virt_domain *d,
		     struct dom_view *out, struct apv_error *err)
{
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->name = apv_virt_domain_name(d);
	out->active = apv_virt_domain_active(d);
	out->persistent = apv_virt_domain_persistent(d);
	if (out->active)
		rc = apv_virt_read(d, APV_VIRT_LIVE, &out->live, err);
	if (!rc && out->persistent)
		rc = apv_virt_read(d, APV_VIRT_CONFIG, &out->cfg, err);
	if (rc)
		return rc;
	out->has_live = out->active && out->live.has_metadata;
	out->has_cfg = out->persistent && out->cfg.has_metadata;
	out->md = out->has_live ? &out->live.metadata : out->has_cfg ? &out->cfg.metadata : NULL;
	if (out->md)
		out->mdev = apv_host_find_mdev(s->host, out->md->mdev);
	if (out->mdev)
		apv_explain_mdev(s->host, out->mdev, &out->eff);
	return 0;
}

#define DRIFT_MAX	5

/* Where the three views disagree: up to DRIFT_MAX words, in this order. */
static size_t view_drift(const struct dom_view *v, const char *words[DRIFT_MAX])
{
	const struct apv_domain_xml *dx = v->active ? &v->live : &v->cfg;
	struct apv_matrix eff;
	size_t n = 0;

	if (dx->ap_hostdevs && strcmp(dx->hostdev_mdev, v->md->mdev))
		words[n++] = "hostdev";
	if (v->has_live && v->has_cfg && !apv_matrix_equal(&v->live.metadata.matrix, &v->cfg.metadata.matrix))
		words[n++] = "persistent";
	if (v->active && !v->mdev)
		words[n++] = "mdev-absent";
	if (v->active && v->mdev && !apv_matrix_equal(&v->mdev->matrix, &v->md->matrix))
		words[n++] = "configured";
	if (v->active && v->mdev && v->eff.known) {
		eff = (struct apv_matrix){ v->eff.apm, v->eff.aqm, v->eff.adm };
		if (!apv_matrix_equal(&eff, &v->mdev->matrix))
			words[n++] = "filtered";
	}
	return n;
}

/* The drift words comma-separated, or "none". */
static const char *view_drift_text(const struct dom_view *v, char *buf, size_t size)
{
	const char *words[DRIFT_MAX];
	size_t n = view_drift(v, words), off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s", i ? "," : "", words[i]);
	return n ? buf : "none";
}

static json_object *view_json_drift(const struct dom_view *v)
{
	json_object *arr = json_object_new_array();
	const char *words[DRIFT_MAX];
	size_t n = view_drift(v, words);

	for (size_t i = 0; i < n; i++)
		json_object_array_add(arr, json_object_new_string(words[i]));
	return arr;
}

static const char *view_state(const struct dom_view *v)
{
	return v->active ? "running" : "shut off";
}

/* --inactive: the persistent definition only, nothing of the live mdev. */
static void view_print_inactive(const struct dom_view *v)
{
	const struct apv_metadata *md = &v->cfg.metadata;

	printf("domain:     %s\nstate:      %s\n", v->name, view_state(v));
	printf("mdev:       %s (lifecycle %s)\n", md->mdev, apv_lifecycle_name(md->lifecycle));
	apvirt_print_matrix("desired:", &md->matrix);
	printf("            (persistent metadata)\n");
}

static void view_print(const struct dom_view *v)
{
	const struct apv_metadata *desired = v->md;
	char drift[128];

	printf("domain:     %s\nstate:      %s\n", v->name, view_state(v));
	printf("mdev:       %s (lifecycle %s, %s)\n", desired->mdev,
	       apv_lifecycle_name(desired->lifecycle), v->mdev ? "active" : "not active");
	apvirt_print_matrix("desired:", &desired->matrix);
	printf("            (%s metadata)\n", v->has_live ? "live" : "persistent");
	if (v->has_live && v->has_cfg)
		apvirt_print_matrix("persistent:", &v->cfg.metadata.matrix);
	if (!v->mdev) {
		printf("configured: none (mdev %s is absent)\n", desired->mdev);
	} else {
		apvirt_print_matrix("configured:", &v->mdev->matrix);
		if (!v->eff.known) {
			printf("effective:  unknown (no complete guest_matrix)\n");
		} else {
			apvirt_print_matrix("effective:", &(struct apv_matrix){ v->eff.apm, v->eff.aqm, v->eff.adm });
			printf("filtered:%s\n", v->eff.nfiltered ? "" : "   none");
			for (size_t i = 0; i < v->eff.nfiltered; i++)
				apvirt_print_filtered(&v->eff.filtered[i]);
		}
	}
	printf("drift:      %s\n", view_drift_text(v, drift, sizeof(drift)));
}

/* The keys every domain object has (dumpxml, list), added to @o. */
static json_object *view_json_head(json_object *o, const struct dom_view *v,
				   const struct apv_metadata *md)
{
	json_object_object_add(o, "domain", json_object_new_string(v->name));
	json_object_object_add(o, "state", json_object_new_string(view_state(v)));
	json_object_object_add(o, "mdev", json_object_new_string(md->mdev));
	json_object_object_add(o, "lifecycle", json_object_new_string(apv_lifecycle_name(md->lifecycle)));
	return o;
}

static void view_print_json(const struct dom_view *v, bool inactive)
{
	const struct apv_metadata *md = inactive ? &v->cfg.metadata : v->md;
	json_object *o = json_object_new_object();

	json_object_object_add(o, "api_level", json_object_new_int(APVIRT_API_LEVEL));
	view_json_head(o, v, md);
	json_object_object_add(o, "metadata", json_object_new_string(inactive || !v->has_live ?
								       "persistent" : "live"));
	json_object_object_add(o, "desired", apvirt_json_matrix(&md->matrix));
	if (!inactive) {
		json_object_object_add(o, "mdev_active", json_object_new_boolean(v->mdev != NULL));
		json_object_object_add(o, "persistent", v->has_live && v->has_cfg ?
				       apvirt_json_matrix(&v->cfg.metadata.matrix) : NULL);
		json_object_object_add(o, "configured", v->mdev ? apvirt_json_matrix(&v->mdev->matrix) : NULL);
		json_object_object_add(o, "effective", v->mdev ? apvirt_json_effective(&v->eff) : NULL);
		json_object_object_add(o, "drift", view_json_drift(v));
	}
	apvirt_json_print(o);
}

/*
 * What dumpxml and list start with: their options, @operands operands,
 * libvirt and a read session.  0 (go on), -1 (--help printed: exit 0),
 * or an exit code to return; on anything but 0, @v and @s are not open.
 */
static int show_begin(const char *verb, int argc, char **argv, int operands,
		      struct apvirt_show_opts *o, struct apv_virt **v, struct apvirt_session *s)
{
	struct apv_error err = { 0 };
	int rc = apvirt_domain_opts(verb, argc, argv, o);

	if (rc)
		return rc;
	if (argc - optind != operands)
		return apvirt_usage_error(verb, operands ? "expected one DOMAIN" : "takes no operand");
	if (apv_virt_open(o->uri, v, &err)) {
		fprintf(stderr, "error: %s\n", err.msg);
		return APVIRT_EXIT_FAILED;
	}
	rc = apvirt_session_open(s, false);
	if (rc)
		apv_virt_close(*v);
	return rc;
}

static void show_end(struct apv_virt *v, struct apvirt_session *s)
{
	apvirt_session_close(s);
	apv_virt_close(v);
}

int apvirt_cmd_dumpxml(int argc, char **argv)
{
	struct apv_virt_domain *d = NULL;
	struct apv_error err = { 0 };
	struct apvirt_session s;
	struct apv_virt *v;
	struct dom_view view;
	struct apvirt_show_opts o;
	int rc = show_begin("dumpxml", argc, argv, 1, &o, &v, &s);

	if (rc)
		return rc < 0 ? APVIRT_EXIT_OK : rc;
	if (apv_virt_lookup(v, argv[optind], &d, &err) || view_read(&s, d, &view, &err)) {
		fprintf(stderr, "error: %s\n", err.msg);
		rc = APVIRT_EXIT_FAILED;
	} else if (o.inactive ? !view.has_cfg : !view.md) {
		fprintf(stderr, "error: domain %s has no apvirt metadata%s\n", view.name,
			o.inactive ? " in its persistent definition" : "");
		rc = APVIRT_EXIT_FAILED;
	} else if (o.json) {
		view_print_json(&view, o.inactive);
	} else if (o.inactive) {
		view_print_inactive(&view);
	} else {
		view_print(&view);
	}
	apv_virt_domain_free(d);
	show_end(v, &s);
	return rc;
}

static void list_row(const struct dom_view *v, json_object *arr)
{
	json_object *o;
	char drift[128];

	if (!arr) {
		printf("%-20s  %-8s  %-36s  %-9s  %s\n", v->name, v->active ? "running" : "shut-off",
		       v->md->mdev, apv_lifecycle_name(v->md->lifecycle),
		       view_drift_text(v, drift, sizeof(drift)));
		return;
	}
	o = view_json_head(json_object_new_object(), v, v->md);
	json_object_object_add(o, "drift", view_json_drift(v));
	json_object_array_add(arr, o);
}

static void list_print_json(json_object *arr)
{
	json_object *root = json_object_new_object();

	json_object_object_add(root, "api_level", json_object_new_int(APVIRT_API_LEVEL));
	json_object_object_add(root, "domains", arr);
	apvirt_json_print(root);
}

int apvirt_cmd_list(int argc, char **argv)
{
	struct apv_virt_domains all = { 0 };
	struct apv_error err = { 0 };
	struct apvirt_session s;
	struct apv_virt *v;
	struct dom_view view;
	struct apvirt_show_opts o;
	json_object *arr = NULL;
	int rc = show_begin("list", argc, argv, 0, &o, &v, &s);

	if (rc)
		return rc < 0 ? APVIRT_EXIT_OK : rc;
	if (apv_virt_list(v, &all, &err)) {
		fprintf(stderr, "error: %s\n", err.msg);
		rc = APVIRT_EXIT_FAILED;
	}
	if (!rc && o.json)
		arr = json_object_new_array();
	else if (!rc)
		printf("%-20s  %-8s  %-36s  %-9s  %s\n", "DOMAIN", "STATE", "MDEV", "LIFECYCLE", "DRIFT");
	/* A domain apvirt cannot read is reported; the others are still listed. */
	for (size_t i = 0; i < all.count; i++) {
		if (view_read(&s, all.items[i], &view, &err)) {
			fprintf(stderr, "error: %s\n", err.msg);
			apv_error_clear(&err);
			rc = APVIRT_EXIT_FAILED;
		} else if (view.md) {
			list_row(&view, arr);
		}
	}
	if (arr)
		list_print_json(arr);
	apv_virt_domains_free(&all);
	show_end(v, &s);
	return rc;
}
