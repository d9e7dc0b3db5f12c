// SPDX-License-Identifier: GPL-2.0
/*
 * apvirt.c - the apvirt CLI: verb dispatch, the session every verb opens,
 * error and JSON output.  The verbs live in cmd_host.c and cmd_mdev.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "apvirt.h"

static const char usage_text[] =
	"Usage: apvirt VERB [OPTIONS]\n"
	"\n"
	"Host verbs:\n"
	"  host [--json]                       adapters, domains, queues and their owners\n"
	"  host reserve|release [--adapter LIST] [--domain LIST] [--dry-run]\n"
	"                                      give queues to the host drivers or to vfio_ap\n"
	"  validate [--json]                   every conflict on the host (exit 3 if any)\n"
	"  mdev list [--json]                  active and defined vfio_ap mdevs\n"
	"  mdev show UUID [--json]             configured, effective, filtered with reasons\n"
	"  mdev create [UUID] [--define [--auto]]\n"
	"  mdev remove UUID\n"
	"  mdev set UUID [--adapter [+|-]LIST]... [--domain [+|-]LIST]...\n"
	"                [--control-domain [+|-]LIST]... [--dry-run] [--json]\n"
	"\n"
	"\n"
	"Domain verbs (libvirt: -c URI or LIBVIRT_DEFAULT_URI):\n"
	"  attach-device|detach-device DOMAIN FILE [--live] [--config] [--current] [--persistent]\n"
	"                [--force]\n"
	"  attach|detach DOMAIN [--adapter LIST] [--domain LIST] [--control-domain LIST] [FLAGS]\n"
	"  dumpxml DOMAIN [--inactive] [--json]  desired, configured, effective, drift\n"
	"  list [--json]                       every domain with apvirt metadata\n"
	"\n"
	"LIST: IDs and ranges, e.g. 0x05 or +0x04-0x07,-5.  'apvirt VERB --help' for more;\n"
	"see apvirt(8).\n";

int apvirt_usage_error(const char *verb, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "apvirt %s: ", verb);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'apvirt %s --help'.\n", verb);
	return APVIRT_EXIT_USAGE;
}

/*
 * getopt_long's answer for a bad option (the option strings start with ':',
 * so getopt itself prints nothing): one message naming the option.
 */
int apvirt_bad_option(const char *verb, int c, char **argv)
{
	const char *opt = optind > 0 ? argv[optind - 1] : "?";

	if (c == ':')
		return apvirt_usage_error(verb, "option '%s' needs an argument", opt);
	return apvirt_usage_error(verb, "unknown option '%s'", opt);
}

int apvirt_fail(const struct apv_error *err)
{
	fprintf(stderr, "apvirt: %s\n", err->msg[0] ? err->msg : strerror(err->code));
	return apvirt_exit_code(err);
}

int apvirt_exit_code(const struct apv_error *err)
{
	switch (err->code) {
	case EBUSY:
		return APVIRT_EXIT_LOCKED;
	case ENOTRECOVERABLE:
		return APVIRT_EXIT_INCONSISTENT;
	default:
		return APVIRT_EXIT_FAILED;
	}
}

/* What apv_txn_recover() (@how > 0) did, on one line of stderr. */
void apvirt_recovered_note(const char *prefix, int how, const char *run_root)
{
	const char *what = how == APV_TXN_RECOVERED_FINISHED ? "finished" : "rolled back";

	fprintf(stderr, "%s: %s an interrupted change found in %s/apvirt/txn.journal", prefix, what,
		run_root);
	if (how == APV_TXN_RECOVERED_FINISHED)
		fputs(" (it was complete)", stderr);
	else if (how == APV_TXN_RECOVERED_PARTLY)
		fputs("; it was cut short while writing a domain's metadata, which may or may not have been written: check it with apvirt dumpxml, and set it with virsh metadata if it is wrong", stderr);
	fputc('\n', stderr);
}

/* Undo what a dead process left; say so, since it changes the host. */
static int session_recover(struct apvirt_session *s, struct apv_error *err)
{
	int rc = apv_txn_recover(s->ctx, s->lock, err);

	if (rc > 0)
		apvirt_recovered_note("apvirt", rc, apv_ctx_run_root(s->ctx));
	return rc < 0 ? rc : 0;
}

/*
 * A read verb that finds a journal takes the lock for a moment: a
 * transaction still running holds it (so the journal is not a leftover
 * and the reader waits for the end of the change), a dead one does not
 * (and is rolled back), so the host is never shown half changed.
 */
static int session_settle(struct apvirt_session *s, struct apv_error *err)
{
	int rc;

	if (!apv_txn_pending(s->ctx))
		return 0;
	rc = apv_lock_acquire(s->ctx, &s->lock, err);
	if (!rc)
		rc = session_recover(s, err);
	apv_lock_release(s->lock);
	s->lock = NULL;
	return rc;
}

int apvirt_session_try(struct apvirt_session *s, bool write, struct apv_error *err)
{
	int rc;

	memset(s, 0, sizeof(*s));
	rc = apv_ctx_new("apvirt", &s->ctx, err);
	if (!rc && write)
		rc = apv_lock_acquire(s->ctx, &s->lock, err);
	if (!rc)
		rc = write ? session_recover(s, err) : session_settle(s, err);
	if (!rc)
		rc = apv_host_read(s->ctx, &s->host, err);
	if (!rc)
		rc = apv_profiles_load(s->ctx, &s->profiles, err);
	if (rc)
		apvirt_session_close(s);
	return rc;
}

int apvirt_session_open(struct apvirt_session *s, bool write)
{
	struct apv_error err = { 0 };

	return apvirt_session_try(s, write, &err) ? apvirt_fail(&err) : 0;
}

void apvirt_session_close(struct apvirt_session *s)
{
	apv_profiles_free(&s->profiles);
	apv_host_free(s->host);
	apv_lock_release(s->lock);
	apv_ctx_free(s->ctx);
	memset(s, 0, sizeof(*s));
}

void apvirt_json_print(json_object *obj)
{
	puts(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_SPACED |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
}

json_object *apvirt_json_ids(const struct apv_ids *ids)
{
	json_object *arr = json_object_new_array();
	unsigned int id;

	apv_ids_for_each(id, ids)
		json_object_array_add(arr, json_object_new_int((int)id));
	return arr;
}

json_object *apvirt_json_matrix(const struct apv_matrix *m)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "adapters", apvirt_json_ids(&m->apm));
	json_object_object_add(o, "domains", apvirt_json_ids(&m->aqm));
	json_object_object_add(o, "control_domains", apvirt_json_ids(&m->adm));
	return o;
}

json_object *apvirt_json_effective(const struct apv_effective *e)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();

	json_object_object_add(o, "known", json_object_new_boolean(e->known));
	json_object_object_add(o, "adapters", apvirt_json_ids(&e->apm));
	json_object_object_add(o, "domains", apvirt_json_ids(&e->aqm));
	json_object_object_add(o, "control_domains", apvirt_json_ids(&e->adm));
	for (size_t i = 0; i < e->nfiltered; i++) {
		const struct apv_filtered *f = &e->filtered[i];
		json_object *fo = json_object_new_object();

		json_object_object_add(fo, "kind", json_object_new_string(apv_explain_kind_name(f->kind)));
		json_object_object_add(fo, "id", json_object_new_int((int)f->id));
		json_object_object_add(fo, "reason",
				       json_object_new_string(apv_explain_reason_text(f->reason)));
		json_object_array_add(arr, fo);
	}
	json_object_object_add(o, "filtered", arr);
	return o;
}

const char *apvirt_ids_text(const struct apv_ids *ids, unsigned int digits)
{
	static char buf[4][2048];
	static unsigned int next;
	char *b = buf[next++ % 4];

	if (apv_ids_format(ids, digits, b, sizeof(buf[0])) < 0)
		snprintf(b, sizeof(buf[0]), "?");
	return b;
}

void apvirt_print_filtered(const struct apv_filtered *f)
{
	int digits = f->kind == APV_ADAPTER ? 2 : 4;

	printf("  %s 0x%0*x: %s", apv_explain_kind_name(f->kind), digits, f->id,
	       apv_explain_reason_text(f->reason));
	if (f->reason == APV_FILTER_NOT_BOUND)
		printf(" (%02x.%04x is bound to %s)", f->id, f->apqi, f->driver[0] ? f->driver : "no driver");
	else if (f->reason == APV_FILTER_NO_QUEUE)
		printf(" (%02x.%04x)", f->id, f->apqi);
	printf("\n");
}

void apvirt_print_matrix(const char *label, const struct apv_matrix *m)
{
	printf("%-11s adapters %s domains %s control-domains %s\n", label,
	       apvirt_ids_text(&m->apm, 2), apvirt_ids_text(&m->aqm, 4),
	       apvirt_ids_text(&m->adm, 4));
}

void apvirt_print_report(const struct apv_report *rep)
{
	for (size_t i = 0; i < rep->count; i++)
		fprintf(rep->issues[i].severity == APV_ERROR ? stderr : stdout, "%s: %s\n",
			rep->issues[i].severity == APV_ERROR ? "error" : "warning", rep->issues[i].msg);
	if (rep->dropped)
		fprintf(stderr, "... and %zu more\n", rep->dropped);
}

int apvirt_parse_edit(const char *verb, const char *opt, const char *text,
		      struct apv_ids *add, struct apv_ids *del)
{
	struct apv_error err = { 0 };

	if (apv_idlist_parse(text, add, del, &err))
		return apvirt_usage_error(verb, "%s: %s", opt, err.msg);
	return 0;
}

static const char *const domain_verbs[] = {
	"attach-device", "detach-device", "attach", "detach", "dumpxml", "list",
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return APVIRT_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return APVIRT_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("apvirt %s (API level %d)\n", PACKAGE_VERSION, APVIRT_API_LEVEL);
		return APVIRT_EXIT_OK;
	}
	if (!strcmp(argv[1], "host"))
		return apvirt_cmd_host(argc - 1, argv + 1);
	if (!strcmp(argv[1], "validate"))
		return apvirt_cmd_validate(argc - 1, argv + 1);
	if (!strcmp(argv[1], "mdev"))
		return apvirt_cmd_mdev(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof(domain_verbs) / sizeof(domain_verbs[0]); i++)
		if (!strcmp(argv[1], domain_verbs[i]))
			return apvirt_cmd_domain(argv[1], argc - 1, argv + 1);
	fprintf(stderr, "apvirt: unknown verb '%s'\n%s", argv[1], usage_text);
	return APVIRT_EXIT_USAGE;
}
