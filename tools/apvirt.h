/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apvirt.h - what the verbs of the apvirt CLI share: exit codes, the
 * session (context, lock, host, profiles) and output helpers.
 */
#ifndef APVIRT_TOOLS_APVIRT_H
#define APVIRT_TOOLS_APVIRT_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include <apvirt/apvirt.h>

/* Exit codes (apvirt(8), EXIT STATUS). */
enum apvirt_exit {
	APVIRT_EXIT_OK = 0,
	APVIRT_EXIT_FAILED = 1,		/* nothing changed (rolled back) */
	APVIRT_EXIT_USAGE = 2,
	APVIRT_EXIT_CONFLICT = 3,	/* validation found conflicts */
	APVIRT_EXIT_LOCKED = 4,		/* the s390 lock stayed taken */
	APVIRT_EXIT_INCONSISTENT = 5,	/* rollback failed: journal left */
};

struct apvirt_session {
	struct apv_ctx *ctx;
	struct apv_lock *lock;		/* only for verbs that write */
	struct apv_host *host;
	struct apv_profiles profiles;
};

/* Open a session; @write takes the lock and recovers a pending journal. */
int apvirt_session_open(struct apvirt_session *s, bool write);
/* The same, the error left in @err for the caller to report (< 0). */
int apvirt_session_try(struct apvirt_session *s, bool write, struct apv_error *err);
void apvirt_session_close(struct apvirt_session *s);

/* Print "apvirt: MSG" for @err and map its errno to an exit code. */
int apvirt_fail(const struct apv_error *err);
/* The exit status for @err (4 for EBUSY, 5 for ENOTRECOVERABLE, else 1). */
int apvirt_exit_code(const struct apv_error *err);
void apvirt_recovered_note(const char *prefix, int how, const char *run_root);
int apvirt_usage_error(const char *verb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The usage error for getopt_long's '?' or ':' (option strings start with ':'). */
int apvirt_bad_option(const char *verb, int c, char **argv);

/* Print a JSON document (pretty) with a final newline; frees @obj. */
void apvirt_json_print(json_object *obj);
json_object *apvirt_json_ids(const struct apv_ids *ids);
json_object *apvirt_json_matrix(const struct apv_matrix *m);
/* known, adapters, domains, control_domains, filtered [{kind, id, reason}] */
json_object *apvirt_json_effective(const struct apv_effective *e);
/* "0x03-0x05,0x07" (digits 2) or "-" into a static buffer. */
const char *apvirt_ids_text(const struct apv_ids *ids, unsigned int digits);

/* "LABEL adapters A domains D control-domains C" */
void apvirt_print_matrix(const char *label, const struct apv_matrix *m);
/* "  adapter 0x05: REASON (...)" */
void apvirt_print_filtered(const struct apv_filtered *f);
/* Errors to stderr, warnings to stdout, "error: MSG" / "warning: MSG". */
void apvirt_print_report(const struct apv_report *rep);

/* Apply --adapter/--domain style edit lists; reports a usage error. */
int apvirt_parse_edit(const char *verb, const char *opt, const char *text,
		      struct apv_ids *add, struct apv_ids *del);

/* The verbs. */
int apvirt_cmd_host(int argc, char **argv);
int apvirt_cmd_validate(int argc, char **argv);
int apvirt_cmd_mdev(int argc, char **argv);
/* attach-device, detach-device, attach, detach, dumpxml, list */
int apvirt_cmd_domain(const char *verb, int argc, char **argv);
int apvirt_cmd_dumpxml(int argc, char **argv);
int apvirt_cmd_list(int argc, char **argv);
/* The options dumpxml and list take: 0, an exit code, or -1 after --help. */
struct apvirt_show_opts {
	const char *uri;
	bool inactive, json;
};

int apvirt_domain_opts(const char *verb, int argc, char **argv, struct apvirt_show_opts *out);

#endif /* APVIRT_TOOLS_APVIRT_H */
