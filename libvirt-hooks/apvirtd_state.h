/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apvirtd_state.h - apvd_state_*: what apvirtd remembers per domain (the
 * live metadata it last applied, or found in effect), the decision an
 * event leads to, and the reconnect backoff.  Pure logic, no libvirt,
 * no sysfs: tests/lib/test_apvirtd_state.c covers it.
 *
 * The remembered metadata is what makes the agent's own restore write
 * harmless: libvirt reports it as one more METADATA_CHANGE, the live
 * metadata then equals the remembered one, and the event is ignored.
 */
#ifndef APVIRT_APVIRTD_STATE_H
#define APVIRT_APVIRTD_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include <apvirt/apv_metadata.h>
#include <apvirt/apv_status.h>

#define APVD_UUID_LEN		36		/* a libvirt domain UUID, as text */
#define APVD_DOMAINS_MAX	4096		/* domains remembered at once */

#define APVD_BACKOFF_FIRST_MS	250		/* first reconnect wait */
#define APVD_BACKOFF_MAX_MS	30000		/* waits never grow beyond */

struct apvd_entry {
	char uuid[APVD_UUID_LEN + 1];
	struct apv_metadata md;			/* the live metadata in effect */
	unsigned long long generation;		/* of the last status published */
	char digest[APV_DIGEST_HEX_LEN + 1];	/* of the last status, "" if none */
	bool echo_pending;			/* a restore write's event is due */
};

struct apvd_state {
	size_t count;
	struct apvd_entry items[APVD_DOMAINS_MAX];
};

enum apvd_action {
	APVD_IGNORE,		/* the live metadata is the remembered one */
	APVD_APPLY,		/* reconcile the mdev with it */
	APVD_REFUSE_MDEV,	/* it names another mdev than the guest has */
};

void apvd_state_init(struct apvd_state *s);
/* The entry of domain @uuid, or NULL. */
const struct apvd_entry *apvd_state_find(const struct apvd_state *s, const char *uuid);
/* Remember @md for @uuid (replacing); -ENOSPC when the table is full. */
int apvd_state_remember(struct apvd_state *s, const char *uuid, const struct apv_metadata *md);
/* Forget @uuid (stopped, undefined, metadata removed); no-op if unknown. */
void apvd_state_forget(struct apvd_state *s, const char *uuid);
/* Forget everything (a new connection starts from the effective state). */
void apvd_state_clear(struct apvd_state *s);

/*
 * What to do with live metadata @now of domain @uuid: ignore it if it is
 * what is remembered (same mdev, lifecycle and matrix), refuse it if it
 * names another mdev than the remembered one, apply it otherwise (also
 * when nothing is remembered).
 */
enum apvd_action apvd_state_decide(const struct apvd_state *s, const char *uuid,
				   const struct apv_metadata *now);

/* ---- the status (apv_status.h) ---- */

/* Why the agent reconciles a domain. */
enum apvd_cause {
	APVD_CAUSE_EDIT,	/* a METADATA_CHANGE event for the matrix */
	APVD_CAUSE_START,	/* the guest started */
	APVD_CAUSE_CONNECT,	/* the agent (re)connected to libvirt */
};

/*
 * Continue from the status a domain already has (an agent restarted):
 * its generation and digest.  Only for an entry with no status yet.
 */
void apvd_state_seed(struct apvd_state *s, const char *uuid, unsigned long long generation,
		     const char *digest);

/*
 * The agent rolled @uuid's live metadata back: the event that write
 * causes finds nothing to do and must not publish a status over the
 * refusal (the client reading it would see "applied").
 */
void apvd_state_expect_echo(struct apvd_state *s, const char *uuid);

/*
 * Whether a reconcile of @uuid that found nothing to do (APVD_IGNORE)
 * publishes a status for metadata with @digest: after an edit, yes,
 * unless it is the echo of the agent's own restore (consumed here); at
 * start, yes; at connect, only when the last status is not about @digest
 * already (an edit made while the agent was away).  False for an
 * unknown domain.
 */
bool apvd_state_publish_unchanged(struct apvd_state *s, const char *uuid, enum apvd_cause cause,
				  const char *digest);

/*
 * A status about metadata @digest is being published for @uuid: the
 * generation it carries (one more than the last; 0 for an unknown domain
 * or when the generations are used up).
 */
unsigned long long apvd_state_next_status(struct apvd_state *s, const char *uuid,
					  const char *digest);

/*
 * Milliseconds to wait before reconnect attempt @attempt (0 = the first
 * retry): APVD_BACKOFF_FIRST_MS doubled per attempt, at most
 * APVD_BACKOFF_MAX_MS.
 */
unsigned int apvd_backoff_ms(unsigned int attempt);

#endif /* APVIRT_APVIRTD_STATE_H */
