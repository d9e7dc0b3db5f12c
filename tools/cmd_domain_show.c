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

/* Where the three views disagree, comma-separated, or "none". */
static const char *view_drift(const struct dom_view *v, char *buf, size_t size)
{
	const struct apv_domain_xml *dx = v->active ? &v->live : &v->cfg;
	struct apv_matrix eff;
	size_t off = 0;

	buf[0] = '\0';
#define DRIFT(word) (off += (size_t)snprintf(buf + off, size - off, "%s%s", off ? "," : "", (word)))
	if (dx->ap_hostdevs && strcmp(dx->hostdev_mdev, v->md->mdev))
		DRIFT("hostdev");
	if (v->has_live && v->has_cfg && !apv_matrix_equal(&v->live.metadata.matrix, &v->cfg.metadata.matrix))
		DRIFT("persistent");
	if (v->active && !v->mdev)
		DRIFT("mdev-absent");
	if (v->active && v->mdev && !apv_matrix_equal(&v->mdev->matrix, &v->md->matrix))
		DRIFT("configured");
	if (v->active && v->mdev && v->eff.known) {
		eff = (struct apv_matrix){ v->eff.apm, v->eff.aqm, v->eff.adm };
		if (!apv_matrix_equal(&eff, &v->mdev->matrix))
			DRIFT("filtered");
	}
#undef DRIFT
	return off ? buf : "none";
}

static void view_print(const struct dom_view *v, bool inactive)
{
	const struct apv_metadata *desired = inactive ? &v->cfg.metadata : v->md;
	char drift[128];

	printf("domain:     %s\nstate:      %s\n", v->name, v->active ? "running" : "shut off");
	printf("mdev:       %s (lifecycle %s, %s)\n", desired->mdev,
	       apv_lifecycle_name(desired->lifecycle), v->mdev ? "active" : "not active");
	apvirt_print_matrix("desired:", &desired->matrix);
	printf("            (%s metadata)\n", inactive || !v->has_live ? "persistent" : "live");
	if (!inactive && v->has_live && v->has_cfg)
		apvirt_print_matrix("persistent:", &v->cfg.metadata.matrix);
	if (!v->mdev)
		return;
	apvirt_print_matrix("configured:", &v->mdev->matrix);
	if (!v->eff.known) {
		printf("effective:  unknown (no complete guest_matrix)\n");
	} else {
		apvirt_print_matrix("effective:", &(struct apv_matrix){ v->eff.apm, v->eff.aqm, v->eff.adm });
		printf("filtered:%s\n", v->eff.nfiltered ? "" : "   none");
		for (size_t i = 0; i < v->eff.nfiltered; i++)
			apvirt_print_filtered(&v->eff.filtered[i]);
	}
	printf("drift:      %s\n", view_drift(v, drift, sizeof(drift)));
}

/*
 * What dumpxml and list start with: their options, @operands operands,
 * libvirt and a read session.  0 (go on), -1 (--help printed: exit 0),
 * or an exit code to return; on anything but 0, @v and @s are not open.
 */
static int show_begin(const char *verb, int argc, char **argv, int operands, bool *inactive,
		      struct apv_virt **v, struct apvirt_session *s)
{
	struct apv_error err = { 0 };
	const char *uri;
	int rc = apvirt_domain_opts(verb, argc, argv, &uri, inactive);

	if (rc)
		return rc;
	if (argc - optind != operands)
		return apvirt_usage_error(verb, operands ? "expected one DOMAIN" : "takes no operand");
	if (apv_virt_open(uri, v, &err)) {
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
	bool inactive;
	int rc = show_begin("dumpxml", argc, argv, 1, &inactive, &v, &s);

	if (rc)
		return rc < 0 ? APVIRT_EXIT_OK : rc;
	if (apv_virt_lookup(v, argv[optind], &d, &err) || view_read(&s, d, &view, &err)) {
		fprintf(stderr, "error: %s\n", err.msg);
		rc = APVIRT_EXIT_FAILED;
	} else if (inactive ? !view.has_cfg : !view.md) {
		fprintf(stderr, "error: domain %s has no apvirt metadata%s\n", view.name,
			inactive ? " in its persistent definition" : "");
		rc = APVIRT_EXIT_FAILED;
	} else {
		view_print(&view, inactive);
	}
	apv_virt_domain_free(d);
	show_end(v, &s);
	return rc;
}

static void list_row(const struct dom_view *v)
{
	char drift[128];

	printf("%-20s  %-8s  %-36s  %-9s  %s\n", v->name, v->active ? "running" : "shut-off",
	       v->md->mdev, apv_lifecycle_name(v->md->lifecycle), view_drift(v, drift, sizeof(drift)));
}

int apvirt_cmd_list(int argc, char **argv)
{
	struct apv_virt_domains all = { 0 };
	struct apv_error err = { 0 };
	struct apvirt_session s;
	struct apv_virt *v;
	struct dom_view view;
	bool inactive;
	int rc = show_begin("list", argc, argv, 0, &inactive, &v, &s);

	if (rc)
		return rc < 0 ? APVIRT_EXIT_OK : rc;
	if (apv_virt_list(v, &all, &err)) {
		fprintf(stderr, "error: %s\n", err.msg);
		rc = APVIRT_EXIT_FAILED;
	}
	if (!rc)
		printf("%-20s  %-8s  %-36s  %-9s  %s\n", "DOMAIN", "STATE", "MDEV", "LIFECYCLE", "DRIFT");
	/* A domain apvirt cannot read is reported; the others are still listed. */
	for (size_t i = 0; i < all.count; i++) {
		if (view_read(&s, all.items[i], &view, &err)) {
			fprintf(stderr, "error: %s\n", err.msg);
			apv_error_clear(&err);
			rc = APVIRT_EXIT_FAILED;
		} else if (view.md) {
			list_row(&view);
		}
	}
	apv_virt_domains_free(&all);
	show_end(v, &s);
	return rc;
}
