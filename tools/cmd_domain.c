// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_domain.c - the domain verbs: attach-device, detach-device, attach,
 * detach, dumpxml, list.
 *
 * A domain's AP matrix lives in three places: its metadata (live and/or
 * persistent, libvirt), its mdev (sysfs) and the mdev's mdevctl profile.
 * A change touches the ones its flags select (virsh's --live, --config,
 * --current, --persistent) in one transaction (apv_txn_apply()): the
 * sysfs writes and the profile are journaled, the metadata is written
 * last, and any failure puts every part back.
 *
 * Order, and why: the other domains' metadata is read from libvirt before
 * the apvirt lock is taken (listing domains waits for a guest being
 * started, whose prepare hook waits for that lock); under the lock the
 * domain's own metadata is read again and the change planned from it, so
 * two changes to one domain never lose each other's update.  The others
 * are not read again under the lock: libvirt holds a domain's object lock
 * while its prepare hook runs (virDomainGetMetadata takes it too, job or
 * not), so that read could wait on a hook that waits for us.  Two changes
 * to two domains at once may thus both name one APQN in --config; the
 * hook refuses the second guest's start (documented in apvirt(8)).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apvirt.h"

static const char domain_help[] =
	"Usage: apvirt attach-device DOMAIN FILE [--live] [--config] [--current] [--persistent]\n"
	"       apvirt detach-device DOMAIN FILE [--live] [--config] [--current] [--persistent]\n"
	"       apvirt attach DOMAIN [--adapter LIST] [--domain LIST] [--control-domain LIST] [FLAGS]\n"
	"       apvirt detach DOMAIN [--adapter LIST] [--domain LIST] [--control-domain LIST] [FLAGS]\n"
	"       (attach-device, detach-device, attach, detach: also [--force])\n"
	"       apvirt dumpxml DOMAIN [--inactive] [--json]\n"
	"       apvirt list [--json]\n"
	"\n"
	"FILE holds one <adapter>, <domain> or <control-domain>, or a <matrix> of\n"
	"several, in namespace " APV_XML_NS "\n"
	"(xml-schemas/ap-fragment.rnc).  The flags mean what they mean to virsh:\n"
	"none is --live (a shut-off domain is refused, as virsh attach-device\n"
	"refuses it); --current is --live on a running domain and --config on\n"
	"another; --persistent is --config, plus --live if the domain runs.\n"
	"--live changes the running guest's mdev and its live metadata, --config\n"
	"the persistent metadata and the mdev's mdevctl profile.  All or nothing.\n"
	"A change made to the mdev or its profile outside apvirt is refused as\n"
	"drift unless --force (which replaces it).\n"
	"\n"
	"  -c, --connect URI           libvirt URI (default: LIBVIRT_DEFAULT_URI)\n"
	"  -a, --adapter LIST          adapters (attach, detach)\n"
	"  -d, --domain LIST           usage domains\n"
	"  -C, --control-domain LIST   control domains\n"
	"      --force                 replace a matrix changed outside apvirt\n"
	"      --inactive              dumpxml: the persistent definition only\n"
	"  -j, --json                  dumpxml, list: machine-readable output\n"
	"  -h, --help                  this text\n";

struct dom_opts {
	const char *uri;
	bool live, config, current, persistent, inactive, force, json;
	struct apv_matrix ids;		/* --adapter/--domain/--control-domain */
	bool have_ids;
};

enum { OPT_LIVE = 256, OPT_CONFIG, OPT_CURRENT, OPT_PERSISTENT, OPT_INACTIVE, OPT_FORCE };

static int dom_ids_opt(const char *verb, int c, const char *arg, struct dom_opts *o)
{
	static const char *const names[] = { "--adapter", "--domain", "--control-domain" };
	int k = c == 'a' ? 0 : c == 'd' ? 1 : 2;
	struct apv_ids *sets[3] = { &o->ids.apm, &o->ids.aqm, &o->ids.adm };
	struct apv_ids del = { 0 };
	int rc = apvirt_parse_edit(verb, names[k], arg, sets[k], &del);

	if (rc)
		return rc;
	if (!apv_ids_empty(&del))
		return apvirt_usage_error(verb, "%s: name IDs only; '-' items make no sense here (use %s)",
					  names[k], strcmp(verb, "detach") ? "detach" : "attach");
	o->have_ids = true;
	return 0;
}

static int dom_parse_opts(const char *verb, int argc, char **argv, struct dom_opts *o)
{
	static const struct option opts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "adapter", required_argument, NULL, 'a' },
		{ "domain", required_argument, NULL, 'd' },
		{ "control-domain", required_argument, NULL, 'C' },
		{ "live", no_argument, NULL, OPT_LIVE },
		{ "config", no_argument, NULL, OPT_CONFIG },
		{ "current", no_argument, NULL, OPT_CURRENT },
		{ "persistent", no_argument, NULL, OPT_PERSISTENT },
		{ "inactive", no_argument, NULL, OPT_INACTIVE },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = getopt_long(argc, argv, ":c:a:d:C:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': o->uri = optarg; break;
		case 'a': case 'd': case 'C':
			rc = dom_ids_opt(verb, c, optarg, o);
			if (rc)
				return rc;
			break;
		case OPT_LIVE: o->live = true; break;
		case OPT_CONFIG: o->config = true; break;
		case OPT_CURRENT: o->current = true; break;
		case OPT_PERSISTENT: o->persistent = true; break;
		case OPT_INACTIVE: o->inactive = true; break;
		case OPT_FORCE: o->force = true; break;
		case 'j': o->json = true; break;
		case 'h':
			fputs(domain_help, stdout);
			return -1;
		default:
			return apvirt_bad_option(verb, c, argv);
		}
	}
	return 0;
}

/* virsh's own pairwise checks and words (VSH_EXCLUSIVE_OPTIONS). */
static int dom_check_flags(const struct dom_opts *o)
{
	const char *a = NULL, *b = NULL;

	if (o->persistent && o->current)
		a = "persistent", b = "current";
	else if (o->current && o->live)
		a = "current", b = "live";
	else if (o->current && o->config)
		a = "current", b = "config";
	if (!a)
		return 0;
	fprintf(stderr, "error: Options --%s and --%s are mutually exclusive\n", a, b);
	return APVIRT_EXIT_USAGE;
}

/*
 * The APV_VIRT_* flags virsh would pass for these options.  With none,
 * virsh calls the old virDomainAttachDevice, which is --live only (and
 * fails on a shut-off domain): so is apvirt.
 */
static unsigned int dom_flags(const struct dom_opts *o, bool active)
{
	unsigned int flags = APV_VIRT_CURRENT;

	if (!o->live && !o->config && !o->current && !o->persistent)
		return APV_VIRT_LIVE;
	if (o->config || o->persistent)
		flags |= APV_VIRT_CONFIG;
	if (o->live || (o->persistent && active))
		flags |= APV_VIRT_LIVE;
	return flags;
}

/* One side (live or persistent) of a change. */
struct dom_side {
	unsigned int flag;		/* APV_VIRT_LIVE or APV_VIRT_CONFIG */
	const char *name;		/* "live", "persistent" */
	struct apv_domain_xml now;
	struct apv_metadata next;
};

struct dom_change {
	struct apv_virt_domain *dom;
	struct dom_side side[2];	/* [0] live, [1] persistent */
	unsigned int sides;		/* resolved APV_VIRT_* */
	bool attach, force;
	const struct apv_matrix *ids;
	struct apv_virt_others others;	/* attach: read before the lock */
};

/* "adapters 0x05 domains 0x0004 control-domains -" */
static const char *dom_matrix_text(const struct apv_matrix *m, char *buf, size_t size)
{
	snprintf(buf, size, "adapters %s domains %s control-domains %s",
		 apvirt_ids_text(&m->apm, 2), apvirt_ids_text(&m->aqm, 4), apvirt_ids_text(&m->adm, 4));
	return buf;
}

static bool dom_has(const struct dom_change *c, int i)
{
	return c->sides & c->side[i].flag;
}

/* Read the selected sides; each must carry metadata naming one mdev. */
static int dom_read_sides(struct dom_change *c, struct apv_error *err)
{
	const char *name = apv_virt_domain_name(c->dom);
	int rc;

	c->side[0].flag = APV_VIRT_LIVE;
	c->side[0].name = "live";
	c->side[1].flag = APV_VIRT_CONFIG;
	c->side[1].name = "persistent";
	for (int i = 0; i < 2; i++) {
		if (!dom_has(c, i))
			continue;
		rc = apv_virt_read(c->dom, c->side[i].flag, &c->side[i].now, err);
		if (!rc && !c->side[i].now.has_metadata)
			rc = apv_error_set(err, ENOENT, "domain %s has no apvirt metadata in its %s definition: add <ap:matrix xmlns:ap=\"%s\" mdev=\"UUID\" lifecycle=\"managed\"/> with virsh metadata or virsh edit",
					   name, c->side[i].name, APV_XML_NS);
		if (!rc)
			rc = apv_domain_xml_check_mdev(&c->side[i].now, err);
		if (rc)
			return rc;
	}
	if (dom_has(c, 0) && dom_has(c, 1) &&
	    strcmp(c->side[0].now.metadata.mdev, c->side[1].now.metadata.mdev))
		return apv_error_set(err, EINVAL, "domain %s: the live metadata names mdev %s, the persistent one %s; apvirt changes one mdev at a time: use --live or --config",
				     name, c->side[0].now.metadata.mdev, c->side[1].now.metadata.mdev);
	return 0;
}

/* One ID of @ids that @m lacks (attach: one it has), as "adapter 0x05". */
static bool dom_first_clash(const struct apv_matrix *m, const struct apv_matrix *ids, bool want_in,
			    char *buf, size_t size)
{
	const struct apv_ids *have[3] = { &m->apm, &m->aqm, &m->adm };
	const struct apv_ids *ask[3] = { &ids->apm, &ids->aqm, &ids->adm };
	static const char *const kinds[3] = { "adapter", "domain", "control domain" };
	unsigned int id;

	for (int k = 0; k < 3; k++)
		apv_ids_for_each(id, ask[k])
			if (apv_ids_test(have[k], id) != want_in) {
				snprintf(buf, size, "%s 0x%0*x", kinds[k], k ? 4 : 2, id);
				return true;
			}
	return false;
}

/*
 * The next metadata of each side, as virsh treats devices: attaching one
 * that is there, or detaching one that is not, is an error.
 */
static int dom_plan(struct dom_change *c, struct apv_error *err)
{
	char id[32];

	for (int i = 0; i < 2; i++) {
		struct dom_side *s = &c->side[i];

		if (!dom_has(c, i))
			continue;
		s->next = s->now.metadata;
		if (dom_first_clash(&s->next.matrix, c->ids, !c->attach, id, sizeof(id)))
			return apv_error_set(err, c->attach ? EEXIST : ENOENT, "%s is %s the %s matrix of domain %s",
					     id, c->attach ? "already in" : "not in", s->name,
					     apv_virt_domain_name(c->dom));
		if (c->attach)
			apv_matrix_merge(&s->next.matrix, c->ids);
		else
			apv_matrix_subtract(&s->next.matrix, c->ids);
	}
	return 0;
}

/*
 * Drift: the mdev's matrix (live) or its mdevctl profile (persistent) is
 * not what the metadata says, so someone changed it outside apvirt.
 * Writing metadata +/- IDs would silently undo that change; an admin
 * must see it and choose (--force replaces it).
 */
static int dom_check_drift(const struct apvirt_session *s, const struct dom_change *c,
			   struct apv_error *err)
{
	const struct apv_metadata *now;
	const struct apv_matrix *have;
	const struct apv_profile *p;
	const struct apv_mdev *m;
	char a[4200], b[4200];

	for (int i = 0; i < 2 && !c->force; i++) {
		if (!dom_has(c, i))
			continue;
		now = &c->side[i].now.metadata;
		if (i == 0) {
			m = apv_host_find_mdev(s->host, now->mdev);
			/* A matrix cut at one page (no ap_config) proves nothing. */
			have = m && !m->matrix_truncated ? &m->matrix : NULL;
		} else {
			p = apv_profiles_find(&s->profiles, now->mdev);
			have = p ? apv_profile_matrix(p) : NULL;
		}
		if (!have || apv_matrix_equal(have, &now->matrix))
			continue;
		return apv_error_set(err, EEXIST, "drift: the %s of mdev %s has %s, the %s metadata of domain %s has %s; it was changed outside apvirt: make the metadata say what you want, or use --force to replace the %s with the metadata and this change",
				     i ? "mdevctl profile" : "matrix", now->mdev, dom_matrix_text(have, a, sizeof(a)),
				     c->side[i].name, apv_virt_domain_name(c->dom),
				     dom_matrix_text(&now->matrix, b, sizeof(b)), i ? "profile" : "matrix");
	}
	return 0;
}

/* Validate every side's next matrix against the host and the others. */
static int dom_validate(const struct apvirt_session *s, const struct dom_change *c,
			struct apv_report *rep, struct apv_error *err)
{
	for (int i = 0; i < 2; i++) {
		const struct apv_metadata *md = &c->side[i].next;

		/* Both sides alike (the usual case): one check, one report. */
		if (!dom_has(c, i) || (i == 1 && dom_has(c, 0) &&
				       apv_matrix_equal(&md->matrix, &c->side[0].next.matrix)))
			continue;
		if (apv_validate_matrix(s->host, &s->profiles, md->mdev, &md->matrix, rep) < 0)
			return apv_error_set(err, ENOMEM, "out of memory");
		if (c->attach && apv_virt_others_check(&c->others, md->mdev, &md->matrix, rep) < 0)
			return apv_error_set(err, ENOMEM, "out of memory");
	}
	return 0;
}

static bool dom_metadata_equal(const struct apv_metadata *a, const struct apv_metadata *b)
{
	return !strcmp(a->mdev, b->mdev) && a->lifecycle == b->lifecycle &&
	       apv_matrix_equal(&a->matrix, &b->matrix);
}

/*
 * Put side @i's metadata back.  libvirt changes its definition in memory
 * before it saves it, so a failed write may have changed it, and a
 * failed restore may have put it back: what counts is what it reads now.
 */
static int dom_restore(const struct dom_change *c, int i, struct apv_error *err)
{
	const struct dom_side *sd = &c->side[i];
	struct apv_error rerr = { 0 };
	struct apv_domain_xml dx;

	if (!apv_virt_set_metadata(c->dom, sd->flag, &sd->now.metadata, err))
		return 0;
	if (!apv_virt_read(c->dom, sd->flag, &dx, &rerr) && dx.has_metadata &&
	    dom_metadata_equal(&dx.metadata, &sd->now.metadata))
		return 0;
	return -1;
}

/* After a failed write: put back each side written, or say what is left. */
static int dom_undo(const struct dom_change *c, int upto, struct apv_error *err)
{
	char first[APV_ERROR_MSG_MAX / 2], left[4200], was[4200];
	struct apv_error rerr = { 0 }, e = { 0 };
	int bad = -1;

	for (int i = upto; i >= 0; i--)
		if (dom_has(c, i) && dom_restore(c, i, bad < 0 ? &rerr : &e))
			bad = bad < 0 ? i : bad;
	if (bad < 0)
		return -1;
	snprintf(first, sizeof(first), "%.500s", err->msg);
	apv_error_clear(err);
	return apv_error_set(err, ENOTRECOVERABLE, "%s; putting the %s metadata of domain %s back failed too (%.300s): it is left with %s (it was %s; the mdev and its profile are rolled back): set it again with virsh metadata or virsh edit",
			     first, c->side[bad].name, apv_virt_domain_name(c->dom), rerr.msg,
			     dom_matrix_text(&c->side[bad].next.matrix, left, sizeof(left)),
			     dom_matrix_text(&c->side[bad].now.metadata.matrix, was, sizeof(was)));
}

/*
 * The metadata, written last in the transaction: live, then persistent.
 * If a write fails, every side written (the failed one too) is put back,
 * so a failure leaves no side changed; if that fails, the error is
 * ENOTRECOVERABLE (exit 5) and names the side left changed.
 */
static int dom_commit(void *arg, struct apv_error *err)
{
	struct dom_change *c = arg;

	for (int i = 0; i < 2; i++)
		if (dom_has(c, i) && apv_virt_set_metadata(c->dom, c->side[i].flag, &c->side[i].next, err))
			return dom_undo(c, i, err);
	return 0;
}

/* The sysfs, profile and metadata parts, one transaction. */
static int dom_apply(struct apvirt_session *s, struct dom_change *c, struct apv_error *err)
{
	const struct apv_metadata *live = dom_has(c, 0) ? &c->side[0].next : NULL;
	const struct apv_metadata *cfg = dom_has(c, 1) ? &c->side[1].next : NULL;
	struct apv_txn_change change = {
		.uuid = live ? live->mdev : cfg->mdev,
		.live = live ? &live->matrix : NULL,
		.profile = cfg ? &cfg->matrix : NULL,
		.commit = dom_commit,
		.arg = c,
	};
	struct apv_txn_result *res = calloc(1, sizeof(*res));
	int rc;

	if (!res)
		return apv_error_set(err, ENOMEM, "out of memory");
	if (live && !apv_host_find_mdev(s->host, live->mdev))
		rc = apv_error_set(err, ENODEV, "domain %s runs but its mdev %s is not active; start it again, or change only the persistent definition (--config)",
				   apv_virt_domain_name(c->dom), live->mdev);
	else
		rc = apv_txn_apply(s->ctx, s->lock, s->host, &change, 0, res, err);
	free(res);
	return rc;
}

/* "error: Failed to attach device from FILE" + "error: REASON", as virsh. */
static int dom_fail(const struct dom_change *c, const char *source, const struct apv_error *err,
		    int code)
{
	fprintf(stderr, "error: Failed to %s device from %s\nerror: %s\n",
		c->attach ? "attach" : "detach", source, err->msg);
	return code;
}

/* Under the apvirt lock: read, plan, check and apply, in that order. */
static int dom_change_locked(struct dom_change *c, const char *source)
{
	struct apv_error err = { 0 };
	struct apvirt_session s;
	struct apv_report rep;
	int rc;

	/* The lock or the host read failing: virsh's two lines, as any other. */
	if (apvirt_session_try(&s, true, &err))
		return dom_fail(c, source, &err, apvirt_exit_code(&err));
	apv_report_init(&rep);
	rc = dom_read_sides(c, &err);
	if (!rc)
		rc = dom_plan(c, &err);
	if (rc) {
		rc = dom_fail(c, source, &err, APVIRT_EXIT_FAILED);
	} else if (dom_check_drift(&s, c, &err)) {
		rc = dom_fail(c, source, &err, APVIRT_EXIT_CONFLICT);
	} else {
		rc = dom_validate(&s, c, &rep, &err);
		apvirt_print_report(&rep);
		if (rc)
			rc = dom_fail(c, source, &err, APVIRT_EXIT_FAILED);
		else if (rep.errors)
			rc = APVIRT_EXIT_CONFLICT;
		else if (dom_apply(&s, c, &err))
			rc = dom_fail(c, source, &err, err.code == ENOTRECOVERABLE ?
				      APVIRT_EXIT_INCONSISTENT : APVIRT_EXIT_FAILED);
		else
			printf("Device %s successfully\n", c->attach ? "attached" : "detached");
	}
	apv_report_free(&rep);
	apvirt_session_close(&s);
	return rc;
}

static int dom_change(const struct dom_opts *o, const char *name, const struct apv_matrix *ids,
		      bool attach, const char *source)
{
	struct dom_change c = { .attach = attach, .force = o->force, .ids = ids };
	struct apv_error err = { 0 };
	struct apv_virt *v = NULL;
	int rc;

	rc = dom_check_flags(o);
	if (rc)
		return rc;
	if (apv_virt_open(o->uri, &v, &err) || apv_virt_lookup(v, name, &c.dom, &err)) {
		fprintf(stderr, "error: %s\n", err.msg);
		apv_virt_close(v);
		return APVIRT_EXIT_FAILED;
	}
	rc = apv_virt_resolve_impact(c.dom, dom_flags(o, apv_virt_domain_active(c.dom)), &c.sides, &err);
	if (!rc && attach)
		rc = apv_virt_read_others(v, apv_virt_domain_name(c.dom), &c.others, &err);
	rc = rc ? dom_fail(&c, source, &err, APVIRT_EXIT_FAILED) : dom_change_locked(&c, source);
	apv_virt_others_free(&c.others);
	apv_virt_domain_free(c.dom);
	apv_virt_close(v);
	return rc;
}

/*
 * FILE into IDs.  A fragment it cannot parse is reported as virsh reports
 * a bad device XML: "error: Failed to attach device from FILE", then the
 * reason, which names the document "fragment" (FILE is on the line above).
 */
static int dom_read_fragment(bool attach, const char *file, struct apv_matrix *ids)
{
	struct apv_error err = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = fopen(file, "re");

	if (!f) {
		fprintf(stderr, "error: Failed to open file '%s': %s\n", file, strerror(errno));
		return APVIRT_EXIT_FAILED;
	}
	text = malloc(APV_METADATA_MAX + 1);
	if (text)
		len = fread(text, 1, APV_METADATA_MAX + 1, f);
	/* A directory opens, then fails to read: not an empty fragment. */
	if (text && ferror(f)) {
		fprintf(stderr, "error: Failed to read file '%s': %s\n", file, strerror(errno));
		fclose(f);
		free(text);
		return APVIRT_EXIT_FAILED;
	}
	fclose(f);
	if (!text || apv_fragment_parse(text, len, "fragment", ids, &err)) {
		fprintf(stderr, "error: Failed to %s device from %s\nerror: %s\n",
			attach ? "attach" : "detach", file, text ? err.msg : "out of memory");
		free(text);
		return APVIRT_EXIT_FAILED;
	}
	free(text);
	return 0;
}

/* What only dumpxml and list take. */
static int dom_change_opts_check(const char *verb, const struct dom_opts *o)
{
	if (o->inactive)
		return apvirt_usage_error(verb, "--inactive is for dumpxml; to change the persistent definition use --config");
	if (o->json)
		return apvirt_usage_error(verb, "--json is for dumpxml and list");
	return 0;
}

/* attach-device / detach-device DOMAIN FILE */
static int dom_device_verb(const char *verb, int argc, char **argv, bool attach)
{
	struct apv_matrix ids;
	struct dom_opts o;
	int rc = dom_parse_opts(verb, argc, argv, &o);

	if (rc)
		return rc < 0 ? APVIRT_EXIT_OK : rc;
	if (optind != argc - 2)
		return apvirt_usage_error(verb, "expected DOMAIN FILE");
	rc = dom_change_opts_check(verb, &o);
	if (rc)
		return rc;
	if (o.have_ids)
		return apvirt_usage_error(verb, "the IDs come from FILE");
	rc = dom_read_fragment(attach, argv[optind + 1], &ids);
	return rc ? rc : dom_change(&o, argv[optind], &ids, attach, argv[optind + 1]);
}

/* attach / detach DOMAIN --adapter ... */
static int dom_ids_verb(const char *verb, int argc, char **argv, bool attach)
{
	struct dom_opts o;
	int rc = dom_parse_opts(verb, argc, argv, &o);

	if (rc)
		return rc < 0 ? APVIRT_EXIT_OK : rc;
	if (optind != argc - 1)
		return apvirt_usage_error(verb, "expected one DOMAIN");
	rc = dom_change_opts_check(verb, &o);
	if (rc)
		return rc;
	if (!o.have_ids || apv_matrix_empty(&o.ids))
		return apvirt_usage_error(verb, "name at least one --adapter, --domain or --control-domain");
	return dom_change(&o, argv[optind], &o.ids, attach, "the command line");
}

int apvirt_cmd_domain(const char *verb, int argc, char **argv)
{
	if (!strcmp(verb, "attach-device") || !strcmp(verb, "detach-device"))
		return dom_device_verb(verb, argc, argv, verb[0] == 'a');
	if (!strcmp(verb, "attach") || !strcmp(verb, "detach"))
		return dom_ids_verb(verb, argc, argv, verb[0] == 'a');
	if (!strcmp(verb, "dumpxml"))
		return apvirt_cmd_dumpxml(argc, argv);
	return apvirt_cmd_list(argc, argv);
}


/* For dumpxml and list (cmd_domain_show.c). */
int apvirt_domain_opts(const char *verb, int argc, char **argv, struct apvirt_show_opts *out)
{
	struct dom_opts o;
	int rc = dom_parse_opts(verb, argc, argv, &o);

	if (rc)
		return rc;
	if (o.have_ids || o.live || o.config || o.current || o.persistent || o.force)
		return apvirt_usage_error(verb, "takes only --connect%s and --json",
					  strcmp(verb, "dumpxml") ? "" : ", --inactive");
	if (o.inactive && strcmp(verb, "dumpxml"))
		return apvirt_usage_error(verb, "--inactive is for dumpxml");
	out->uri = o.uri;
	out->inactive = o.inactive;
	out->json = o.json;
	return 0;
}
