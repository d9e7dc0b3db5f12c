// SPDX-License-Identifier: GPL-2.0
/*
 * apvirtd_state.c - apvd_state_*: apvirtd's per-domain memory and its
 * backoff (see apvirtd_state.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "apvirtd_state.h"

void apvd_state_init(struct apvd_state *s)
{
	s->count = 0;
}

static struct apvd_entry *state_slot(const struct apvd_state *s, const char *uuid)
{
	for (size_t i = 0; i < s->count; i++)
		if (!strcmp(s->items[i].uuid, uuid))
			return (struct apvd_entry *)&s->items[i];
	return NULL;
}

const struct apvd_entry *apvd_state_find(const struct apvd_state *s, const char *uuid)
{
	return state_slot(s, uuid);
}

int apvd_state_remember(struct apvd_state *s, const char *uuid, const struct apv_metadata *md)
{
	struct apvd_entry *e = state_slot(s, uuid);

	if (!e) {
		if (s->count == APVD_DOMAINS_MAX || strlen(uuid) > APVD_UUID_LEN)
			return -ENOSPC;
		e = &s->items[s->count++];
		memset(e, 0, sizeof(*e));
		snprintf(e->uuid, sizeof(e->uuid), "%s", uuid);
	}
	e->md = *md;
	return 0;
}

void apvd_state_forget(struct apvd_state *s, const char *uuid)
{
	struct apvd_entry *e = state_slot(s, uuid);

	if (e)
		*e = s->items[--s->count];
}

void apvd_state_clear(struct apvd_state *s)
{
	s->count = 0;
}

enum apvd_action apvd_state_decide(const struct apvd_state *s, const char *uuid,
				   const struct apv_metadata *now)
{
	const struct apvd_entry *e = apvd_state_find(s, uuid);

	if (!e)
		return APVD_APPLY;
	if (strcmp(e->md.mdev, now->mdev))
		return APVD_REFUSE_MDEV;
	if (e->md.lifecycle == now->lifecycle && apv_matrix_equal(&e->md.matrix, &now->matrix))
		return APVD_IGNORE;
	return APVD_APPLY;
}

void apvd_state_seed(struct apvd_state *s, const char *uuid, unsigned long long generation,
		     const char *digest)
{
	struct apvd_entry *e = state_slot(s, uuid);

	if (!e || e->generation || generation > APV_STATUS_GENERATION_MAX)
		return;
	e->generation = generation;
	snprintf(e->digest, sizeof(e->digest), "%s", digest);
}

void apvd_state_expect_echo(struct apvd_state *s, const char *uuid)
{
	struct apvd_entry *e = state_slot(s, uuid);

	if (e)
		e->echo_pending = true;
}

bool apvd_state_publish_unchanged(struct apvd_state *s, const char *uuid, enum apvd_cause cause,
				  const char *digest)
{
	struct apvd_entry *e = state_slot(s, uuid);

	if (!e)
		return false;
	switch (cause) {
	case APVD_CAUSE_EDIT:
		if (!e->echo_pending)
			return true;
		e->echo_pending = false;
		return false;
	case APVD_CAUSE_START:
		return true;
	case APVD_CAUSE_CONNECT:
		return strcmp(e->digest, digest) != 0;
	}
	return false;
}

unsigned long long apvd_state_next_status(struct apvd_state *s, const char *uuid,
					  const char *digest)
{
	struct apvd_entry *e = state_slot(s, uuid);

	if (!e || e->generation >= APV_STATUS_GENERATION_MAX)
		return 0;
	snprintf(e->digest, sizeof(e->digest), "%s", digest);
	return ++e->generation;
}

unsigned int apvd_backoff_ms(unsigned int attempt)
{
	unsigned int ms = APVD_BACKOFF_FIRST_MS;

	while (attempt-- && ms < APVD_BACKOFF_MAX_MS)
		ms *= 2;
	return ms < APVD_BACKOFF_MAX_MS ? ms : APVD_BACKOFF_MAX_MS;
}
