// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_mdev.c - apvirt mdev list|show|create|remove|set.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "apvirt.h"

static const char mdev_help[] =
	"Usage: apvirt mdev list [--json]\n"
	"       apvirt mdev show UUID [--json]\n"
	"       apvirt mdev create [UUID] [--define [--auto]]\n"
	"       apvirt mdev remove UUID\n"
	"       apvirt mdev set UUID [--adapter LIST]... [--domain LIST]...\n"
	"                       [--control-domain LIST]... [--dry-run] [--json]\n"
	"\n"
	"set changes the matrix of an active mdev in one transaction: validated\n"
	"first (exit 3 on a conflict), then one ap_config write or ordered\n"
	"unassign/assign writes, all rolled back on any error; its mdevctl\n"
	"profile, if there is one, follows.  LIST items are [+|-]ID[-ID]:\n"
	"'+' (or none) adds, '-' removes, e.g. --adapter +0x04-0x07,-5.\n"
	"\n"
	"  -a, --adapter LIST          adapters\n"
	"  -d, --domain LIST           usage domains\n"
	"  -C, --control-domain LIST   control domains\n"
	"  -n, --dry-run               show the writes, change nothing\n"
	"      --define                also write an mdevctl profile (create)\n"
	"      --auto                  ... with start auto\n"
	"  -j, --json                  machine-readable output\n"
	"  -h, --help                  this text\n";

/* The owning state of one UUID: active, defined, or both. */
static const char *mdev_state(const struct apvirt_session *s, const char *uuid)
{
	bool active = apv_host_find_mdev(s->host, uuid) != NULL;
	bool defined = apv_profiles_find(&s->profiles, uuid) != NULL;

	return active ? (defined ? "active,defined" : "active") : "defined";
}

/*
 * A kernel without ap_config shows the matrix only through `matrix`, cut
 * at one page: what was read is a prefix, never to be taken as the whole.
 */
static void mdev_warn_truncated(const struct apv_mdev *m)
{
	fprintf(stderr, "apvirt: warning: mdev %s: its matrix is longer than the one page `matrix` shows and this kernel has no ap_config; the IDs beyond the cut are missing above\n",
		m->uuid);
}

static int mdev_show_one(const struct apvirt_session *s, const char *uuid, bool json)
{
	const struct apv_mdev *m = apv_host_find_mdev(s->host, uuid);
	const struct apv_profile *p = apv_profiles_find(&s->profiles, uuid);
	struct apv_effective e;
	json_object *o;

	if (!m && !p) {
		fprintf(stderr, "apvirt: no vfio_ap mdev %s, active or defined\n", uuid);
		return APVIRT_EXIT_FAILED;
	}
	if (m)
		apv_explain_mdev(s->host, m, &e);
	if (json) {
		o = json_object_new_object();
		json_object_object_add(o, "api_level", json_object_new_int(APVIRT_API_LEVEL));
		json_object_object_add(o, "uuid", json_object_new_string(m ? m->uuid : apv_profile_uuid(p)));
		json_object_object_add(o, "state", json_object_new_string(mdev_state(s, uuid)));
		json_object_object_add(o, "configured", m ? apvirt_json_matrix(&m->matrix) : NULL);
		if (m)
			json_object_object_add(o, "configured_complete",
					       json_object_new_boolean(!m->matrix_truncated));
		json_object_object_add(o, "effective", m ? apvirt_json_effective(&e) : NULL);
		json_object_object_add(o, "defined", p ? apvirt_json_matrix(apv_profile_matrix(p)) : NULL);
		apvirt_json_print(o);
		return APVIRT_EXIT_OK;
	}
	printf("mdev:       %s\nstate:      %s\n", m ? m->uuid : apv_profile_uuid(p), mdev_state(s, uuid));
	if (p) {
		printf("profile:    start %s\n", apv_profile_autostart(p) ? "auto" : "manual");
		apvirt_print_matrix("defined:", apv_profile_matrix(p));
	}
	if (!m)
		return APVIRT_EXIT_OK;
	apvirt_print_matrix("configured:", &m->matrix);
	if (m->matrix_truncated)
		mdev_warn_truncated(m);
	if (!e.known) {
		printf("effective:  unknown (no complete guest_matrix)\n");
		return APVIRT_EXIT_OK;
	}
	apvirt_print_matrix("effective:", &(struct apv_matrix){ e.apm, e.aqm, e.adm });
	printf("filtered:%s\n", e.nfiltered ? "" : "   none");
	for (size_t i = 0; i < e.nfiltered; i++)
		apvirt_print_filtered(&e.filtered[i]);
	return APVIRT_EXIT_OK;
}

/* Every UUID once: the active mdevs, then definitions without one. */
static int mdev_list(const struct apvirt_session *s, bool json)
{
	json_object *arr = json_object_new_array();
	size_t i;

	if (!json)
		printf("%-36s  %-14s  %-9s  %-13s  %s\n", "UUID", "STATE", "ADAPTERS", "DOMAINS", "CONTROL-DOMAINS");
	for (i = 0; i < apv_host_nmdevs(s->host) + s->profiles.count; i++) {
		const struct apv_mdev *m = i < apv_host_nmdevs(s->host) ? apv_host_mdev(s->host, i) : NULL;
		const struct apv_profile *p = m ? NULL : s->profiles.items[i - apv_host_nmdevs(s->host)];
		const char *uuid = m ? m->uuid : apv_profile_uuid(p);
		const struct apv_matrix *mx = m ? &m->matrix : apv_profile_matrix(p);
		json_object *o;

		if (!m && apv_host_find_mdev(s->host, uuid))
			continue;
		if (m && m->matrix_truncated)
			mdev_warn_truncated(m);
		if (!json) {
			printf("%-36s  %-14s  %-9s  %-13s  %s\n", uuid, mdev_state(s, uuid),
			       apvirt_ids_text(&mx->apm, 2), apvirt_ids_text(&mx->aqm, 4),
			       apvirt_ids_text(&mx->adm, 4));
			continue;
		}
		o = apvirt_json_matrix(mx);
		json_object_object_add(o, "uuid", json_object_new_string(uuid));
		json_object_object_add(o, "state", json_object_new_string(mdev_state(s, uuid)));
		json_object_object_add(o, "complete", json_object_new_boolean(!m || !m->matrix_truncated));
		json_object_array_add(arr, o);
	}
	if (json)
		apvirt_json_print(arr);
	else
		json_object_put(arr);
	return APVIRT_EXIT_OK;
}

struct mdev_opts {
	bool json, dry_run, define, autostart;
	struct apv_ids add[3], del[3];	/* adapters, domains, control domains */
};

static int mdev_parse_opts(const char *verb, int argc, char **argv, struct mdev_opts *o)
{
	static const struct option opts[] = {
		{ "adapter", required_argument, NULL, 'a' },
		{ "domain", required_argument, NULL, 'd' },
		{ "control-domain", required_argument, NULL, 'C' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "define", no_argument, NULL, 'D' },
		{ "auto", no_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const names[] = { "--adapter", "--domain", "--control-domain" };
	int c, k, rc;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, ":a:d:C:njh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': case 'd': case 'C':
			k = c == 'a' ? 0 : c == 'd' ? 1 : 2;
			rc = apvirt_parse_edit(verb, names[k], optarg, &o->add[k], &o->del[k]);
			if (rc)
				return rc;
			break;
		case 'n': o->dry_run = true; break;
		case 'j': o->json = true; break;
		case 'D': o->define = true; break;
		case 'A': o->autostart = true; break;
		case 'h':
			fputs(mdev_help, stdout);
			return -1;
		default:
			return apvirt_bad_option(verb, c, argv);
		}
	}
	return 0;
}

/* Exactly one UUID operand (or none, when @optional). */
static int mdev_uuid_arg(const char *verb, int argc, char **argv, bool optional, const char **uuid)
{
	*uuid = NULL;
	if (optind == argc && optional)
		return 0;
	if (optind != argc - 1)
		return apvirt_usage_error(verb, "expected one UUID");
	if (!apv_uuid_valid(argv[optind]))
		return apvirt_usage_error(verb, "'%s' is not a UUID (8-4-4-4-12 hex digits)", argv[optind]);
	*uuid = argv[optind];
	return 0;
}

static void mdev_apply_edits(const struct mdev_opts *o, struct apv_matrix *m)
{
	struct apv_ids *sets[3] = { &m->apm, &m->aqm, &m->adm };

	for (int k = 0; k < 3; k++) {
		apv_ids_andnot(sets[k], sets[k], &o->del[k]);
		apv_ids_or(sets[k], sets[k], &o->add[k]);
	}
}

static int mdev_set(const struct mdev_opts *o, const char *uuid)
{
	struct apv_txn_result *res = calloc(1, sizeof(*res));
	struct apv_error err = { 0 };
	const struct apv_mdev *m;
	struct apvirt_session s;
	struct apv_report rep;
	struct apv_matrix want;
	int rc;

	if (!res)
		return APVIRT_EXIT_FAILED;
	rc = apvirt_session_open(&s, true);
	if (rc) {
		free(res);
		return rc;
	}
	apv_report_init(&rep);
	m = apv_host_find_mdev(s.host, uuid);
	if (!m) {
		rc = APVIRT_EXIT_FAILED;
		fprintf(stderr, "apvirt: no active vfio_ap mdev %s; create it first: apvirt mdev create %s\n",
			uuid, uuid);
		goto out;
	}
	want = m->matrix;
	mdev_apply_edits(o, &want);
	rc = apv_validate_matrix(s.host, &s.profiles, m->uuid, &want, &rep);
	apvirt_print_report(&rep);
	if (rc) {
		rc = rc > 0 ? APVIRT_EXIT_CONFLICT : APVIRT_EXIT_FAILED;
		goto out;
	}
	rc = apv_txn_set_matrix(s.ctx, s.lock, s.host, m->uuid, &want,
				o->dry_run ? APV_TXN_DRY_RUN : 0, res, &err);
	if (rc) {
		rc = apvirt_fail(&err);
		goto out;
	}
	for (unsigned int i = 0; !o->json && i < res->nwrites; i++)
		printf("%s %s %s\n", o->dry_run ? "would write" : "wrote", res->writes[i].attr,
		       res->writes[i].value);
	if (res->profile_updated && !o->json)
		printf("%s the mdevctl profile\n", o->dry_run ? "would update" : "updated");
	if (o->dry_run) {
		rc = APVIRT_EXIT_OK;
		goto out;
	}
	/* Show the outcome as the kernel and the profile have it now. */
	apv_host_free(s.host);
	s.host = NULL;
	apv_profiles_free(&s.profiles);
	if (apv_host_read(s.ctx, &s.host, &err) || apv_profiles_load(s.ctx, &s.profiles, &err))
		rc = apvirt_fail(&err);
	else
		rc = mdev_show_one(&s, uuid, o->json);
out:
	apv_report_free(&rep);
	apvirt_session_close(&s);
	free(res);
	return rc;
}

static int mdev_random_uuid(char out[APV_UUID_LEN + 1])
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -1;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);	/* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	snprintf(out, APV_UUID_LEN + 1,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
		 b[12], b[13], b[14], b[15]);
	return 0;
}

static int mdev_create(const struct mdev_opts *o, const char *arg)
{
	struct apv_error err = { 0 };
	struct apv_profile *p = NULL;
	struct apvirt_session s;
	char uuid[APV_UUID_LEN + 1];
	int rc;

	if (arg)
		snprintf(uuid, sizeof(uuid), "%s", arg);
	else if (mdev_random_uuid(uuid))
		return APVIRT_EXIT_FAILED;
	rc = apvirt_session_open(&s, true);
	if (rc)
		return rc;
	if (apv_host_find_mdev(s.host, uuid)) {
		fprintf(stderr, "apvirt: mdev %s exists already\n", uuid);
		rc = APVIRT_EXIT_FAILED;
	} else if (o->define && apv_profiles_find(&s.profiles, uuid)) {
		fprintf(stderr, "apvirt: mdev %s is defined already\n", uuid);
		rc = APVIRT_EXIT_FAILED;
	} else {
		/* With --define: the mdev and its profile, both or neither. */
		if (o->define) {
			rc = apv_profile_new(uuid, o->autostart, &p, &err);
			if (!rc)
				rc = apv_txn_create_defined(s.ctx, s.lock, p, &err);
			apv_profile_free(p);
		} else {
			rc = apv_txn_create_mdev(s.ctx, s.lock, uuid, &err);
		}
		rc = rc ? apvirt_fail(&err) : (printf("%s\n", uuid), APVIRT_EXIT_OK);
	}
	apvirt_session_close(&s);
	return rc;
}

static int mdev_remove(const char *uuid)
{
	struct apv_error err = { 0 };
	struct apvirt_session s;
	int rc;

	rc = apvirt_session_open(&s, true);
	if (rc)
		return rc;
	rc = apv_txn_remove_mdev(s.ctx, s.lock, s.host, uuid, &err) ? apvirt_fail(&err) :
	     APVIRT_EXIT_OK;
	apvirt_session_close(&s);
	return rc;
}

int apvirt_cmd_mdev(int argc, char **argv)
{
	struct apvirt_session s;
	struct mdev_opts o;
	const char *sub, *uuid, *verb;
	char vbuf[32];
	int rc;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(mdev_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? APVIRT_EXIT_USAGE : APVIRT_EXIT_OK;
	}
	sub = argv[1];
	snprintf(vbuf, sizeof(vbuf), "mdev %s", sub);
	verb = vbuf;
	rc = mdev_parse_opts(verb, argc - 1, argv + 1, &o);
	if (rc)
		return rc < 0 ? APVIRT_EXIT_OK : rc;
	argc--;
	argv++;
	if (!strcmp(sub, "list") || !strcmp(sub, "show")) {
		bool list = !strcmp(sub, "list");

		if (list ? optind != argc : (rc = mdev_uuid_arg(verb, argc, argv, false, &uuid)) != 0)
			return list ? apvirt_usage_error(verb, "unexpected argument '%s'", argv[optind]) : rc;
		rc = apvirt_session_open(&s, false);
		if (rc)
			return rc;
		rc = list ? mdev_list(&s, o.json) : mdev_show_one(&s, uuid, o.json);
		apvirt_session_close(&s);
		return rc;
	}
	if (!strcmp(sub, "set") || !strcmp(sub, "remove") || !strcmp(sub, "create")) {
		rc = mdev_uuid_arg(verb, argc, argv, !strcmp(sub, "create"), &uuid);
		if (rc)
			return rc;
		if (!strcmp(sub, "create"))
			return mdev_create(&o, uuid);
		return !strcmp(sub, "set") ? mdev_set(&o, uuid) : mdev_remove(uuid);
	}
	return apvirt_usage_error("mdev", "unknown sub-verb '%s'", sub);
}
