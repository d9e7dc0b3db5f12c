// SPDX-License-Identifier: GPL-2.0
/*
 * apvirt-mdevctl-callout.c - mdevctl's callout for vfio_ap devices,
 * installed as <sysconfdir>/mdevctl.d/scripts.d/callouts/apvirt.
 *
 * mdevctl runs every callout as
 *
 *	apvirt -t TYPE -e EVENT -a ACTION -s STATE -u UUID -p PARENT
 *
 * with the device's JSON configuration on stdin (for pre, post and live),
 * and reads the exit status: 0 go on, 2 "not my device type" (mdevctl asks
 * the next callout), anything else refuses the command.  Handled here:
 *
 *	pre  define|modify|start  validate the configuration against the
 *				  host masks, every active mdev and every
 *				  definition (not only auto-start ones);
 *				  one stderr line per problem; the s390
 *				  lock is taken for mdevctl and kept
 *	pre  stop|undefine	  the lock only
 *	post *			  release mdevctl's lock
 *	get  attributes		  the running matrix as an attrs array
 *	get  capabilities	  the versioned protocol of mdevctl >= 1.3
 *	live modify		  validate, then one atomic ap_config write
 *
 * Like s390-tools' ap-check the lock names mdevctl (our parent): it is
 * held from the pre callout to the post callout, which are two runs of
 * this program, so no other tool changes vfio_ap while mdevctl acts.
 * Only the public API of libapvirt is used.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include <apvirt/apvirt.h>

#define CALLOUT_VERSION		2		/* of mdevctl's callout protocol */
#define ARG_MAX_LEN		64

enum callout_exit {
	CALLOUT_OK = 0,
	CALLOUT_REFUSED = 1,	/* mdevctl stops the command */
	CALLOUT_NOT_MINE = 2,	/* another device type: mdevctl moves on */
};

struct callout {
	const char *type, *event, *action, *state, *uuid, *parent;
	char *input;		/* stdin, NUL-terminated */
	size_t input_len;
	pid_t mdevctl;		/* the lock's owner: our parent */
	struct apv_ctx *ctx;
	struct apv_host *host;
	struct apv_profiles profiles;
};

static const char *const supported_actions[] = {
	"define", "modify", "start", "stop", "undefine", "attributes", "capabilities",
};
static const char *const supported_events[] = { "pre", "post", "get", "live" };

/*
 * One line on stderr.  No program name: mdevctl shows a callout's stderr
 * behind the callout's file name ("apvirt: error: ...").
 */
static int refuse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int refuse(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CALLOUT_REFUSED;
}

static int refuse_err(const struct apv_error *err)
{
	return refuse("%s", err->msg[0] ? err->msg : strerror(err->code));
}

static bool is(const char *a, const char *b)
{
	return !strcmp(a, b);
}

static const char callout_help[] =
	"Usage: apvirt-mdevctl-callout -t TYPE -e EVENT -a ACTION -s STATE -u UUID -p PARENT < CONFIG\n"
	"\n"
	"mdevctl's callout for vfio_ap mdevs (installed as\n"
	"/etc/mdevctl.d/scripts.d/callouts/apvirt; mdevctl runs it, not you).\n"
	"pre define/modify/start validates the JSON configuration on stdin\n"
	"against the host and every other mdev and takes the s390 AP lock for\n"
	"mdevctl until its post event; get attributes prints the running matrix;\n"
	"live modify is one atomic ap_config write.  Exit status: 0 go on,\n"
	"1 refused (or a failure), 2 not a vfio_ap device.\n"
	"See apvirt-mdevctl-callout(8).\n";

/* The option getopt stopped at, as it was given ("-x", "--foo"). */
static int bad_option(int opt, char **argv)
{
	char shortopt[3] = { '-', (char)optopt, '\0' };
	const char *name = optopt ? shortopt : argv[optind - 1];

	if (opt == ':')
		return refuse("option '%s' needs a value", name);
	return refuse("unknown option '%s'; mdevctl runs callouts with -t -e -a -s -u -p", name);
}

/*
 * Each of -t -e -a -s -u -p exactly once, each short and printable.
 * --help alone prints the usage: returns -1 (exit 0).
 */
static int parse_args(int argc, char **argv, struct callout *c)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char **slot;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":t:e:a:s:u:p:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 't': slot = &c->type; break;
		case 'e': slot = &c->event; break;
		case 'a': slot = &c->action; break;
		case 's': slot = &c->state; break;
		case 'u': slot = &c->uuid; break;
		case 'p': slot = &c->parent; break;
		case 'h':
			fputs(callout_help, stdout);
			return -1;
		default:
			return bad_option(opt, argv);
		}
		if (*slot)
			return refuse("option -%c given twice", opt);
		if (strnlen(optarg, ARG_MAX_LEN + 1) > ARG_MAX_LEN)
			return refuse("the value of -%c is longer than %d characters", opt, ARG_MAX_LEN);
		*slot = optarg;
	}
	if (optind != argc)
		return refuse("unexpected argument '%s'", argv[optind]);
	if (!c->type || !c->event || !c->action || !c->state || !c->uuid || !c->parent)
		return refuse("missing option: mdevctl runs callouts with -t -e -a -s -u -p");
	return 0;
}

/* All of stdin, at most APV_PROFILE_MAX bytes (mdevctl sends one config). */
static int read_input(struct callout *c)
{
	size_t cap = APV_PROFILE_MAX + 1, len = 0;
	char *buf = malloc(cap + 1);
	ssize_t n;

	if (!buf)
		return refuse("out of memory");
	while (len < cap && (n = read(STDIN_FILENO, buf + len, cap - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return refuse("cannot read the configuration on stdin: %s", strerror(errno));
		}
		len += (size_t)n;
	}
	if (len > APV_PROFILE_MAX) {
		free(buf);
		return refuse("the configuration on stdin is larger than %d bytes", APV_PROFILE_MAX);
	}
	buf[len] = '\0';
	c->input = buf;
	c->input_len = len;
	return 0;
}

/* mdevctl writes stdin for everything but "get attributes". */
static bool has_input(const struct callout *c)
{
	return !is(c->event, "get") || is(c->action, "capabilities");
}

static int load_host(struct callout *c, struct apv_error *err)
{
	int rc = apv_host_read(c->ctx, &c->host, err);

	return rc ? rc : apv_profiles_load(c->ctx, &c->profiles, err);
}

/* Undo what a process killed mid-change left, before reading the host. */
static int recover(struct callout *c, const struct apv_lock *lock, struct apv_error *err)
{
	int rc = apv_txn_recover(c->ctx, lock, err);

	if (rc > 0)
		fprintf(stderr, "note: %s an interrupted change found in %s/apvirt/txn.journal%s\n",
			rc == APV_TXN_RECOVERED_FINISHED ? "finished" : "rolled back",
			apv_ctx_run_root(c->ctx),
			rc == APV_TXN_RECOVERED_PARTLY ? "; a domain's metadata may have been written: check it with apvirt dumpxml" : "");
	return rc < 0 ? rc : 0;
}

/* The configuration mdevctl sent, as the matrix it would give the mdev. */
static int parse_config(const struct callout *c, struct apv_profile **p)
{
	struct apv_error err = { 0 };

	if (apv_profile_parse(c->input, c->input_len, c->uuid, p, &err))
		return refuse("the configuration of mdev %s: %s", c->uuid, err.msg);
	if (strcmp(apv_profile_type(*p), APV_MDEV_TYPE)) {
		refuse("the configuration of mdev %s has mdev_type '%s', but -t says %s",
		       c->uuid, apv_profile_type(*p), c->type);
		apv_profile_free(*p);
		*p = NULL;
		return CALLOUT_REFUSED;
	}
	return 0;
}

/* One line per issue; CALLOUT_REFUSED if any is an error. */
static int check_matrix(const struct callout *c, const struct apv_matrix *m)
{
	struct apv_report rep;
	int rc;

	apv_report_init(&rep);
	rc = apv_validate_matrix(c->host, &c->profiles, c->uuid, m, &rep);
	for (size_t i = 0; i < rep.count; i++)
		fprintf(stderr, "%s: %s\n",
			rep.issues[i].severity == APV_ERROR ? "error" : "warning", rep.issues[i].msg);
	if (rep.dropped)
		fprintf(stderr, "error: ... and %zu more\n", rep.dropped);
	apv_report_free(&rep);
	if (rc < 0)
		return refuse("validating mdev %s: %s", c->uuid, strerror(-rc));
	return rc > 0 ? CALLOUT_REFUSED : CALLOUT_OK;
}

/* pre define|modify|start: lock for mdevctl, recover, validate. */
static int on_pre_change(struct callout *c)
{
	struct apv_error err = { 0 };
	struct apv_profile *p = NULL;
	struct apv_lock *lock = NULL;
	int rc;

	rc = parse_config(c, &p);
	if (rc)
		return rc;
	if (apv_lock_acquire_for(c->ctx, c->mdevctl, &lock, &err) < 0) {
		apv_profile_free(p);
		return refuse_err(&err);
	}
	if (recover(c, lock, &err) || load_host(c, &err))
		rc = refuse_err(&err);
	else
		rc = check_matrix(c, apv_profile_matrix(p));
	apv_profile_free(p);
	/* Refused: mdevctl runs no post callout, so nobody else would free it. */
	if (rc)
		apv_lock_release(lock);
	else
		apv_lock_keep(lock);
	return rc;
}

/* pre stop|undefine: nothing to check, but serialise with other tools. */
static int on_pre_other(struct callout *c)
{
	struct apv_error err = { 0 };
	struct apv_lock *lock = NULL;

	if (apv_lock_acquire_for(c->ctx, c->mdevctl, &lock, &err) < 0)
		return refuse_err(&err);
	apv_lock_keep(lock);
	return CALLOUT_OK;
}

static int on_post(struct callout *c)
{
	apv_lock_release_for(c->ctx, c->mdevctl);
	return CALLOUT_OK;
}

static void add_attrs(json_object *arr, const char *attr, const struct apv_ids *ids, int digits)
{
	unsigned int id;
	char value[8];

	apv_ids_for_each(id, ids) {
		json_object *o = json_object_new_object();

		snprintf(value, sizeof(value), "0x%0*x", digits, id);
		json_object_object_add(o, attr, json_object_new_string(value));
		json_object_array_add(arr, o);
	}
}

static int print_json(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return fflush(stdout) ? refuse("cannot write to stdout: %s", strerror(errno)) : CALLOUT_OK;
}

/* get attributes: what the mdev runs with, as a definition would say it. */
static int on_get_attributes(struct callout *c)
{
	struct apv_error err = { 0 };
	struct apv_lock *lock = NULL;
	const struct apv_mdev *m;
	json_object *arr;
	int rc, held;

	/* Between pre and post of a define, mdevctl already holds the lock. */
	held = apv_lock_acquire_for(c->ctx, c->mdevctl, &lock, &err);
	if (held < 0)
		return refuse_err(&err);
	if (load_host(c, &err)) {
		rc = refuse_err(&err);
		goto out;
	}
	m = apv_host_find_mdev(c->host, c->uuid);
	if (m && m->matrix_truncated) {
		rc = refuse("mdev %s: its matrix is longer than a page and this kernel has no ap_config; its attributes cannot be read in full",
			    c->uuid);
		goto out;
	}
	arr = json_object_new_array();
	if (m) {
		add_attrs(arr, "assign_adapter", &m->matrix.apm, 2);
		add_attrs(arr, "assign_domain", &m->matrix.aqm, 4);
		add_attrs(arr, "assign_control_domain", &m->matrix.adm, 4);
	}
	rc = print_json(arr);
out:
	if (held == 1)
		apv_lock_keep(lock);	/* mdevctl's own lock: its post frees it */
	else
		apv_lock_release(lock);
	return rc;
}

/* The names in @offered that are also in @ours, as a JSON array. */
static json_object *intersect(json_object *offered, const char *const *ours, size_t n)
{
	json_object *out = json_object_new_array();
	size_t len = json_object_array_length(offered);

	for (size_t i = 0; i < len && i < 64; i++) {
		const char *name = json_object_get_string(json_object_array_get_idx(offered, i));

		for (size_t k = 0; name && k < n; k++)
			if (is(name, ours[k]))
				json_object_array_add(out, json_object_new_string(name));
	}
	return out;
}

/* get capabilities: {"provides":{...}} in, {"supports":{...}} out. */
static int on_get_capabilities(struct callout *c)
{
	json_object *in, *provides, *actions, *events, *out, *supports;

	in = json_tokener_parse(c->input);
	if (!in || !json_object_object_get_ex(in, "provides", &provides) ||
	    !json_object_object_get_ex(provides, "actions", &actions) ||
	    !json_object_object_get_ex(provides, "events", &events) ||
	    !json_object_is_type(actions, json_type_array) ||
	    !json_object_is_type(events, json_type_array)) {
		json_object_put(in);
		return refuse("get capabilities: expected {\"provides\":{\"version\":N,\"actions\":[...],\"events\":[...]}} on stdin");
	}
	supports = json_object_new_object();
	json_object_object_add(supports, "version", json_object_new_int(CALLOUT_VERSION));
	json_object_object_add(supports, "actions",
			       intersect(actions, supported_actions, sizeof(supported_actions) / sizeof(supported_actions[0])));
	json_object_object_add(supports, "events",
			       intersect(events, supported_events, sizeof(supported_events) / sizeof(supported_events[0])));
	out = json_object_new_object();
	json_object_object_add(out, "supports", supports);
	json_object_put(in);
	return print_json(out);
}

/*
 * live modify (mdevctl >= 1.3, modify --live): mdevctl writes nothing
 * itself; the new matrix goes in here, validated, as one ap_config write
 * (a kernel without ap_config cannot change an mdev atomically: refused).
 * The definition is mdevctl's business (--defined), so no profile write.
 */
static int on_live_modify(struct callout *c)
{
	struct apv_txn_result *res = calloc(1, sizeof(*res));
	struct apv_error err = { 0 };
	struct apv_profile *p = NULL;
	struct apv_lock *lock = NULL;
	int rc;

	if (!res)
		return refuse("out of memory");
	rc = parse_config(c, &p);
	if (!rc && apv_lock_acquire(c->ctx, &lock, &err))
		rc = refuse_err(&err);
	if (!rc && (recover(c, lock, &err) || load_host(c, &err)))
		rc = refuse_err(&err);
	if (!rc && !apv_host_find_mdev(c->host, c->uuid))
		rc = refuse("mdev %s is not active: live modification needs a running device", c->uuid);
	if (!rc)
		rc = check_matrix(c, apv_profile_matrix(p));
	if (!rc && apv_txn_set_matrix(c->ctx, lock, c->host, c->uuid, apv_profile_matrix(p),
				      APV_TXN_ATOMIC | APV_TXN_NO_PROFILE, res, &err))
		rc = refuse_err(&err);
	apv_lock_release(lock);
	apv_profile_free(p);
	free(res);
	return rc;
}

static int dispatch(struct callout *c)
{
	if (is(c->event, "pre") &&
	    (is(c->action, "define") || is(c->action, "modify") || is(c->action, "start")))
		return on_pre_change(c);
	if (is(c->event, "pre") && (is(c->action, "stop") || is(c->action, "undefine")))
		return on_pre_other(c);
	if (is(c->event, "post"))
		return on_post(c);
	if (is(c->event, "get") && is(c->action, "attributes"))
		return on_get_attributes(c);
	if (is(c->event, "get") && is(c->action, "capabilities"))
		return on_get_capabilities(c);
	if (is(c->event, "live") && is(c->action, "modify"))
		return on_live_modify(c);
	return CALLOUT_OK;	/* notify and whatever a newer mdevctl sends */
}

int main(int argc, char **argv)
{
	struct callout c = { 0 };
	struct apv_error err = { 0 };
	int rc;

	rc = parse_args(argc, argv, &c);
	if (rc)
		return rc < 0 ? 0 : CALLOUT_REFUSED;
	/* Read stdin first: mdevctl writes it whatever we answer. */
	if (has_input(&c) && read_input(&c))
		return CALLOUT_REFUSED;
	if (!is(c.type, APV_MDEV_TYPE)) {
		free(c.input);
		return CALLOUT_NOT_MINE;
	}
	if (!is(c.parent, "matrix"))
		rc = refuse("parent '%s': vfio_ap mdevs live under 'matrix'", c.parent);
	else if (!apv_uuid_valid(c.uuid))
		rc = refuse("'%s' is not a UUID (8-4-4-4-12 hex digits)", c.uuid);
	else if (apv_ctx_new("apvirt-callout", &c.ctx, &err))
		rc = refuse_err(&err);
	else {
		c.mdevctl = getppid();
		rc = dispatch(&c);
	}
	apv_profiles_free(&c.profiles);
	apv_host_free(c.host);
	apv_ctx_free(c.ctx);
	free(c.input);
	return rc;
}
