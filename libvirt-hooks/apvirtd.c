// SPDX-License-Identifier: GPL-2.0
/*
 * apvirtd.c - the apvirt event agent (apvirtd(8)).
 *
 * Makes plain libvirt API edits of a running guest's live apvirt metadata
 * (virDomainSetMetadata, virsh metadata --live) take effect: on every
 * METADATA_CHANGE event for the apvirt namespace it reads the domain's
 * live metadata and, if it differs from what the agent remembers for the
 * domain, gives the mdev that matrix in one transaction (apv_txn_apply(),
 * as apvirt attach-device --live does).  If that cannot be done it writes
 * the remembered metadata back, so live metadata never claims what the
 * guest does not have; libvirt reports that write as one more event, which
 * finds the remembered metadata and is ignored (apvirtd_state.h).
 *
 * The remembered metadata of a domain is initialised from the effective
 * state (the live metadata with the mdev's configured matrix) when the
 * agent connects and when the domain starts.
 *
 * After each reconcile the outcome goes into the domain's live metadata
 * as an <st:status> (apv_status.h) in a namespace of its own, whose
 * events the agent ignores: applied, refused (after the restore write,
 * whose echo then publishes nothing) or started, with the digest of the
 * metadata reconciled so that a client can match it to its edit.
 *
 * Two connections: one for events (keepalive, close callback), one for
 * the library's libvirt glue (apv_virt_*).  When libvirtd goes away both
 * are dropped and reopened with bounded exponential backoff.  SIGTERM and
 * SIGINT reach the event loop through a self-pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <apvirt/apvirt.h>

#include "config.h"
#include "apvirtd_state.h"

#define KEEPALIVE_INTERVAL	5	/* seconds between keepalive probes */
#define KEEPALIVE_COUNT		3	/* unanswered probes before close */
#define MATRIX_TEXT_MAX		2700	/* "adapters A domains D control-domains C" */

static const char usage_text[] =
	"Usage: apvirtd [--foreground] [-c URI]\n"
	"\n"
	"Applies edits of a running guest's live apvirt metadata\n"
	"(" APV_XML_NS ") to its mdev, rolls back\n"
	"the ones that cannot be applied, and publishes the outcome as the guest's\n"
	"live status (" APV_STATUS_NS ").\n"
	"\n"
	"  -f, --foreground     log to stderr as well (default: syslog only)\n"
	"  -c, --connect URI    libvirt URI (default: LIBVIRT_DEFAULT_URI, then libvirt's)\n"
	"  -h, --help           this text\n"
	"  -V, --version        the version\n";

struct agent {
	const char *uri;
	bool foreground;
	struct apv_ctx *ctx;
	virConnectPtr conn;		/* events */
	struct apv_virt *virt;		/* reads and writes */
	int cb_meta, cb_life;
	bool lost;			/* the close callback fired */
	bool was_connected;
	unsigned int attempt;		/* failed connects in a row */
	int timer;			/* reconnect timeout, -1 when none */
	int sig_pipe[2];
	int sig_watch;
	int quit_signal;		/* 0 while running */
	struct apvd_state state;
};

static int sig_write_fd = -1;

/* libvirt prints its errors unless told otherwise; the agent logs them. */
static void agent_quiet(void *opaque, virErrorPtr e)
{
	(void)opaque;
	(void)e;
}

static void agent_on_signal(int sig)
{
	unsigned char b = (unsigned char)sig;
	int saved = errno;

	if (write(sig_write_fd, &b, 1) < 0) {
		/* the pipe is full: a signal is pending already */
	}
	errno = saved;
}

static void agent_log(const struct agent *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* One line to syslog and apvirt.conf's log_file, and to stderr in --foreground. */
static void agent_log(const struct agent *a, const char *fmt, ...)
{
	char line[APV_ERROR_MSG_MAX + MATRIX_TEXT_MAX + 256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	apv_log_note(a->ctx, "%s", line);
	if (a->foreground) {
		fprintf(stderr, "apvirtd: %s\n", line);
		fflush(stderr);
	}
}

/* "adapters A domains D control-domains C" into @buf[MATRIX_TEXT_MAX] */
static void agent_matrix_text(const struct apv_matrix *m, char buf[static MATRIX_TEXT_MAX])
{
	char a[512], d[1024], c[1024];

	_Static_assert(MATRIX_TEXT_MAX > sizeof(a) + sizeof(d) + sizeof(c) + 40, "room for any matrix");
	if (apv_ids_format(&m->apm, 2, a, sizeof(a)) < 0)
		snprintf(a, sizeof(a), "?");
	if (apv_ids_format(&m->aqm, 4, d, sizeof(d)) < 0)
		snprintf(d, sizeof(d), "?");
	if (apv_ids_format(&m->adm, 4, c, sizeof(c)) < 0)
		snprintf(c, sizeof(c), "?");
	snprintf(buf, MATRIX_TEXT_MAX, "adapters %s domains %s control-domains %s", a, d, c);
}

/*
 * Continue the generations of the status the domain has (apvirtd
 * restarted, libvirtd came back): a client correlating by generation
 * never sees it go back while the guest runs.
 */
static void agent_seed_status(struct agent *a, const struct apv_virt_domain *d, const char *uuid)
{
	struct apv_error err = { 0 };
	struct apv_status st;
	bool found;

	if (apv_virt_read_status(d, &st, &found, &err))
		agent_log(a, "domain %s: %s; the next status starts at generation 1",
			  apv_virt_domain_name(d), err.msg);
	else if (found)
		apvd_state_seed(&a->state, uuid, st.generation, st.digest);
}

/*
 * Publish the outcome of a reconcile of @reconciled as the domain's live
 * status: @result, the matrix @effect of mdev @mdev now in effect, and
 * for a refusal its @reason.  A failure is logged and changes nothing
 * else: the status reports, it does not decide.
 */
static void agent_publish(struct agent *a, const struct apv_virt_domain *d, const char *uuid,
			  enum apv_status_result result, const struct apv_metadata *reconciled,
			  const char *mdev, const struct apv_matrix *effect, const char *reason)
{
	struct apv_error err = { 0 };
	struct apv_status st;

	memset(&st, 0, sizeof(st));
	st.result = result;
	apv_metadata_digest(reconciled, st.digest);
	st.generation = apvd_state_next_status(&a->state, uuid, st.digest);
	st.time = time(NULL);
	snprintf(st.mdev, sizeof(st.mdev), "%s", mdev);
	st.matrix = *effect;
	if (result == APV_STATUS_REFUSED)
		snprintf(st.reason, sizeof(st.reason), "%s", reason);
	if (!st.generation)
		agent_log(a, "domain %s: no status generation left; not published",
			  apv_virt_domain_name(d));
	else if (apv_virt_set_status(d, &st, &err))
		agent_log(a, "domain %s: %s", apv_virt_domain_name(d), err.msg);
}

/*
 * Remember the effective state of a running domain: its live metadata
 * with the matrix its mdev has now (when the mdev is active).
 */
static void agent_remember_effective(struct agent *a, const struct apv_virt_domain *d,
				     const char *uuid, const struct apv_metadata *live)
{
	const char *name = apv_virt_domain_name(d);
	struct apv_metadata md = *live;
	struct apv_error err = { 0 };
	struct apv_host *host = NULL;
	const struct apv_mdev *m;

	if (apv_host_read(a->ctx, &host, &err)) {
		agent_log(a, "domain %s: %s", name, err.msg);
	} else {
		m = apv_host_find_mdev(host, live->mdev);
		if (m)
			md.matrix = m->matrix;
		else
			agent_log(a, "domain %s: mdev %s is not active", name, live->mdev);
	}
	apv_host_free(host);
	if (apvd_state_remember(&a->state, uuid, &md)) {
		agent_log(a, "domain %s: more than %d domains to remember; its edits are not watched",
			  name, APVD_DOMAINS_MAX);
		return;
	}
	agent_seed_status(a, d, uuid);
}

/* The first error of @rep as one line. */
static void agent_report_reason(const struct apv_report *rep, char *buf, size_t size)
{
	for (size_t i = 0; i < rep->count; i++)
		if (rep->issues[i].severity == APV_ERROR) {
			snprintf(buf, size, "%s", rep->issues[i].msg);
			return;
		}
	snprintf(buf, size, "%zu validation errors", rep->errors);
}

/*
 * Give mdev @md->mdev of domain @name the matrix @md->matrix under the
 * lock, validated as apvirt attach-device validates it (the host, the
 * other mdevs and definitions, the other domains' metadata), in one
 * transaction; else -1 and the reason.  The other domains are read before
 * the lock: listing them waits for a guest being started, whose prepare
 * hook waits for the lock.
 */
static int agent_apply(struct agent *a, const char *name, const struct apv_metadata *md,
		       char *reason, size_t size)
{
	struct apv_txn_change change = { .uuid = md->mdev, .live = &md->matrix };
	struct apv_profiles profiles = { 0 };
	struct apv_txn_result *res = NULL;
	struct apv_virt_others others = { 0 };
	struct apv_error err = { 0 };
	struct apv_host *host = NULL;
	struct apv_lock *lock = NULL;
	struct apv_report rep;
	int rc;

	apv_report_init(&rep);
	rc = apv_virt_read_others(a->virt, name, &others, &err);
	if (!rc)
		rc = apv_lock_acquire(a->ctx, &lock, &err);
	if (!rc)
		rc = apv_txn_recover(a->ctx, lock, &err);
	if (rc >= 0)
		rc = apv_host_read(a->ctx, &host, &err);
	if (!rc)
		rc = apv_profiles_load(a->ctx, &profiles, &err);
	if (!rc && !apv_host_find_mdev(host, md->mdev))
		rc = apv_error_set(&err, ENODEV, "mdev %s is not active", md->mdev);
	if (!rc && apv_validate_matrix(host, &profiles, md->mdev, &md->matrix, &rep) < 0)
		rc = apv_error_set(&err, ENOMEM, "out of memory");
	if (!rc && !rep.errors && apv_virt_others_check(&others, md->mdev, &md->matrix, &rep) < 0)
		rc = apv_error_set(&err, ENOMEM, "out of memory");
	if (rc) {
		snprintf(reason, size, "%s", err.msg);
	} else if (rep.errors) {
		agent_report_reason(&rep, reason, size);
		rc = -1;
	} else {
		res = calloc(1, sizeof(*res));
		if (!res)
			rc = apv_error_set(&err, ENOMEM, "out of memory");
		else
			rc = apv_txn_apply(a->ctx, lock, host, &change, 0, res, &err);
		if (rc)
			snprintf(reason, size, "%s", err.msg);
	}
	free(res);
	apv_report_free(&rep);
	apv_profiles_free(&profiles);
	apv_host_free(host);
	apv_lock_release(lock);
	apv_virt_others_free(&others);
	return rc ? -1 : 0;
}

/*
 * Bring domain @uuid's mdev in line with its live metadata, or roll that
 * back; then publish the outcome as its status (not when nothing was
 * reconciled: the domain is gone, not running, not apvirt's, unreadable).
 */
static void agent_reconcile(struct agent *a, const char *uuid, enum apvd_cause cause)
{
	struct apv_virt_domain *d = NULL;
	struct apv_error err = { 0 };
	struct apv_domain_xml dx;
	const struct apvd_entry *e;
	char reason[APV_STATUS_REASON_MAX], why[APV_STATUS_REASON_MAX], text[MATRIX_TEXT_MAX];
	char digest[APV_DIGEST_HEX_LEN + 1];
	struct apv_metadata before;
	const char *name;

	if (!a->virt)
		return;
	if (apv_virt_lookup(a->virt, uuid, &d, &err)) {
		if (err.code == ENOENT)
			apvd_state_forget(&a->state, uuid);
		else
			agent_log(a, "domain %s: %s", uuid, err.msg);
		return;
	}
	name = apv_virt_domain_name(d);
	if (!apv_virt_domain_active(d)) {
		apvd_state_forget(&a->state, uuid);
		goto out;
	}
	if (apv_virt_read(d, APV_VIRT_LIVE, &dx, &err)) {
		agent_log(a, "domain %s: %s", name, err.msg);
		goto out;
	}
	if (!dx.has_metadata) {
		apvd_state_forget(&a->state, uuid);
		goto out;
	}
	if (!apvd_state_find(&a->state, uuid))
		agent_remember_effective(a, d, uuid, &dx.metadata);
	e = apvd_state_find(&a->state, uuid);
	if (!e)
		goto out;
	switch (apvd_state_decide(&a->state, uuid, &dx.metadata)) {
	case APVD_IGNORE:
		apv_metadata_digest(&dx.metadata, digest);
		if (apvd_state_publish_unchanged(&a->state, uuid, cause, digest))
			agent_publish(a, d, uuid, cause == APVD_CAUSE_START ? APV_STATUS_STARTED :
				      APV_STATUS_APPLIED, &dx.metadata, e->md.mdev, &e->md.matrix, NULL);
		goto out;
	case APVD_REFUSE_MDEV:
		snprintf(reason, sizeof(reason), "it names mdev %s, the guest has mdev %s",
			 dx.metadata.mdev, e->md.mdev);
		break;
	case APVD_APPLY:
		if (!agent_apply(a, name, &dx.metadata, reason, sizeof(reason))) {
			apvd_state_remember(&a->state, uuid, &dx.metadata);
			agent_matrix_text(&dx.metadata.matrix, text);
			agent_log(a, "domain %s: applied the live metadata: mdev %s %s",
				  name, dx.metadata.mdev, text);
			agent_publish(a, d, uuid, APV_STATUS_APPLIED, &dx.metadata, dx.metadata.mdev,
				      &dx.metadata.matrix, NULL);
			goto out;
		}
		break;
	}
	before = e->md;
	agent_matrix_text(&before.matrix, text);
	if (apv_virt_set_metadata(d, APV_VIRT_LIVE, &before, &err)) {
		agent_log(a, "domain %s: refused the live metadata (%s); restoring the previous one failed: %s",
			  name, reason, err.msg);
		/* the status says what the metadata no longer does; cut to fit */
		if (snprintf(why, sizeof(why), "%s; restoring the previous metadata failed: %s",
			     reason, err.msg) >= (int)sizeof(why))
			why[sizeof(why) - 1] = '\0';
		memcpy(reason, why, sizeof(reason));
	} else {
		apvd_state_expect_echo(&a->state, uuid);
		agent_log(a, "domain %s: refused the live metadata (%s); restored %s",
			  name, reason, text);
	}
	agent_publish(a, d, uuid, APV_STATUS_REFUSED, &dx.metadata, before.mdev, &before.matrix,
		      reason);
out:
	apv_virt_domain_free(d);
}

static void agent_on_metadata(virConnectPtr conn, virDomainPtr dom, int type, const char *nsuri,
			      void *opaque)
{
	char uuid[VIR_UUID_STRING_BUFLEN];

	(void)conn;
	/*
	 * The matrix namespace only: the agent's own status writes
	 * (APV_STATUS_NS) come back as events too and must not loop.
	 */
	if (type != VIR_DOMAIN_METADATA_ELEMENT || !nsuri || strcmp(nsuri, APV_XML_NS))
		return;
	if (virDomainGetUUIDString(dom, uuid) == 0)
		agent_reconcile(opaque, uuid, APVD_CAUSE_EDIT);
}

static int agent_on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
			      void *opaque)
{
	struct agent *a = opaque;
	char uuid[VIR_UUID_STRING_BUFLEN];

	(void)conn;
	(void)detail;
	if (virDomainGetUUIDString(dom, uuid))
		return 0;
	switch (event) {
	case VIR_DOMAIN_EVENT_STARTED:
		/* Start from the effective state, as at connect. */
		apvd_state_forget(&a->state, uuid);
		agent_reconcile(a, uuid, APVD_CAUSE_START);
		break;
	case VIR_DOMAIN_EVENT_STOPPED:
	case VIR_DOMAIN_EVENT_UNDEFINED:
		apvd_state_forget(&a->state, uuid);
		break;
	default:
		break;
	}
	return 0;
}

static void agent_on_close(virConnectPtr conn, int reason, void *opaque)
{
	struct agent *a = opaque;

	(void)conn;
	(void)reason;
	a->lost = true;
}

static void agent_disconnect(struct agent *a)
{
	if (a->conn) {
		if (a->cb_meta >= 0)
			virConnectDomainEventDeregisterAny(a->conn, a->cb_meta);
		if (a->cb_life >= 0)
			virConnectDomainEventDeregisterAny(a->conn, a->cb_life);
		virConnectUnregisterCloseCallback(a->conn, agent_on_close);
		virConnectClose(a->conn);
	}
	apv_virt_close(a->virt);
	a->conn = NULL;
	a->virt = NULL;
	a->cb_meta = a->cb_life = -1;
	a->lost = false;
	apvd_state_clear(&a->state);
}

static const char *agent_uri_text(const struct agent *a)
{
	return a->uri ? a->uri : "the default URI";
}

/* Connect, subscribe, and take every running domain's effective state. */
static int agent_connect(struct agent *a, struct apv_error *err)
{
	struct apv_virt_domains all = { 0 };
	const char *msg;

	a->conn = virConnectOpen(a->uri);
	if (!a->conn) {
		msg = virGetLastErrorMessage();
		apv_error_set(err, ECONNREFUSED, "cannot connect to libvirt: %s",
			      msg ? msg : "unknown libvirt error");
		goto fail;
	}
	if (virConnectRegisterCloseCallback(a->conn, agent_on_close, a, NULL) ||
	    virConnectSetKeepAlive(a->conn, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT) < 0) {
		msg = virGetLastErrorMessage();
		apv_error_set(err, EIO, "libvirt keepalive: %s", msg ? msg : "unknown libvirt error");
		goto fail;
	}
	a->cb_meta = virConnectDomainEventRegisterAny(a->conn, NULL,
						      VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
						      VIR_DOMAIN_EVENT_CALLBACK(agent_on_metadata),
						      a, NULL);
	a->cb_life = virConnectDomainEventRegisterAny(a->conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
						      VIR_DOMAIN_EVENT_CALLBACK(agent_on_lifecycle),
						      a, NULL);
	if (a->cb_meta < 0 || a->cb_life < 0) {
		msg = virGetLastErrorMessage();
		apv_error_set(err, EIO, "libvirt events: %s", msg ? msg : "unknown libvirt error");
		goto fail;
	}
	if (apv_virt_open(a->uri, &a->virt, err) || apv_virt_list(a->virt, &all, err))
		goto fail;
	for (size_t i = 0; i < all.count; i++) {
		char uuid[VIR_UUID_STRING_BUFLEN];
		virDomainPtr dom;

		if (!apv_virt_domain_active(all.items[i]))
			continue;
		dom = virDomainLookupByName(a->conn, apv_virt_domain_name(all.items[i]));
		if (!dom)
			continue;
		if (!virDomainGetUUIDString(dom, uuid))
			agent_reconcile(a, uuid, APVD_CAUSE_CONNECT);
		virDomainFree(dom);
	}
	apv_virt_domains_free(&all);
	return 0;
fail:
	agent_disconnect(a);
	return -1;
}

static void agent_on_timer(int timer, void *opaque);

static void agent_arm(struct agent *a, int ms)
{
	if (a->timer >= 0)
		virEventUpdateTimeout(a->timer, ms);
	else
		a->timer = virEventAddTimeout(ms, agent_on_timer, a, NULL);
}

static void agent_try_connect(struct agent *a)
{
	struct apv_error err = { 0 };
	unsigned int ms;

	if (agent_connect(a, &err)) {
		ms = apvd_backoff_ms(a->attempt++);
		agent_log(a, "%s; retrying in %u ms", err.msg, ms);
		agent_arm(a, (int)ms);
		return;
	}
	agent_log(a, "%s %s", a->was_connected ? "reconnected to" : "connected to",
		  agent_uri_text(a));
	a->was_connected = true;
	a->attempt = 0;
	agent_arm(a, -1);
}

static void agent_on_timer(int timer, void *opaque)
{
	struct agent *a = opaque;

	(void)timer;
	agent_arm(a, -1);
	if (!a->conn)
		agent_try_connect(a);
}

static void agent_on_sigpipe(int watch, int fd, int events, void *opaque)
{
	struct agent *a = opaque;
	unsigned char b;

	(void)watch;
	(void)events;
	if (read(fd, &b, 1) == 1)
		a->quit_signal = b;
}

static int agent_signals(struct agent *a)
{
	struct sigaction sa;

	if (pipe2(a->sig_pipe, O_CLOEXEC | O_NONBLOCK))
		return -errno;
	sig_write_fd = a->sig_pipe[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = agent_on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL))
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	a->sig_watch = virEventAddHandle(a->sig_pipe[0], VIR_EVENT_HANDLE_READABLE,
					 agent_on_sigpipe, a, NULL);
	return a->sig_watch < 0 ? -EIO : 0;
}

static int agent_parse(struct agent *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "connect", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "fc:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'f': a->foreground = true; break;
		case 'c': a->uri = optarg; break;
		case 'h': fputs(usage_text, stdout); return 0;
		case 'V': printf("apvirtd %s\n", PACKAGE_VERSION); return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "apvirtd: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	return -1;
}

int main(int argc, char **argv)
{
	static struct agent a;
	struct apv_error err = { 0 };
	int rc;

	a.cb_meta = a.cb_life = a.timer = a.sig_watch = -1;
	apvd_state_init(&a.state);
	rc = agent_parse(&a, argc, argv);
	if (rc >= 0)
		return rc;
	if (!a.uri)
		a.uri = getenv("LIBVIRT_DEFAULT_URI");
	if (a.uri && !*a.uri)
		a.uri = NULL;
	if (apv_ctx_new("apvirtd", &a.ctx, &err)) {
		fprintf(stderr, "apvirtd: %s\n", err.msg);
		return 1;
	}
	virSetErrorFunc(NULL, agent_quiet);
	if (virInitialize() < 0 || virEventRegisterDefaultImpl() < 0) {
		fprintf(stderr, "apvirtd: cannot initialise libvirt's event loop\n");
		apv_ctx_free(a.ctx);
		return 1;
	}
	if (agent_signals(&a)) {
		fprintf(stderr, "apvirtd: cannot set up signal handling: %s\n", strerror(errno));
		apv_ctx_free(a.ctx);
		return 1;
	}
	agent_log(&a, "starting (%s)", agent_uri_text(&a));
	agent_try_connect(&a);
	while (!a.quit_signal) {
		if (virEventRunDefaultImpl() < 0)
			break;
		if (a.lost) {
			agent_disconnect(&a);
			agent_log(&a, "lost the connection to %s; reconnecting", agent_uri_text(&a));
			agent_try_connect(&a);
		}
	}
	agent_log(&a, "stopping on signal %d", a.quit_signal);
	agent_disconnect(&a);
	if (a.timer >= 0)
		virEventRemoveTimeout(a.timer);
	virEventRemoveHandle(a.sig_watch);
	apv_ctx_free(a.ctx);
	return a.quit_signal ? 0 : 1;
}
