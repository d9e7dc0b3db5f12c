// SPDX-License-Identifier: GPL-2.0
/*
 * sim_lines.c - the simulated kernel log and uevent lines: appended by the
 * engine's and the bus model's callbacks, read (and cleared) by the
 * control commands "log" and "uevents".
 */
#include "sim_buf.h"
#include "sim_lines.h"
#include "sim_state.h"

/* Keep at most this much log (or uevent) text; the oldest half goes first. */
#define SIM_LINES_MAX	(8u << 20)

/* ---- log and uevent lines ------------------------------------------------ */

void sim_lines_init(struct sim_lines *l)
{
	apc_mutex_init(&l->lock, APC_RANK_SIM_LINES);
	sim_buf_init(&l->text);
	l->nlines = 0;
}

void sim_lines_destroy(struct sim_lines *l)
{
	sim_buf_free(&l->text);
	apc_mutex_destroy(&l->lock);
}

/* Drop the oldest half of the text (lock held). */
static void sim_lines_trim(struct sim_lines *l)
{
	char *cut = memchr(l->text.p + l->text.len / 2, '\n', l->text.len - l->text.len / 2);
	size_t drop;

	if (!cut)
		return;
	drop = (size_t)(cut + 1 - l->text.p);
	memmove(l->text.p, cut + 1, l->text.len - drop + 1);
	l->text.len -= drop;
}

void sim_lines_add(struct sim_lines *l, const char *line)
{
	apc_mutex_lock(&l->lock);
	sim_buf_add(&l->text, line, strlen(line));
	sim_buf_add(&l->text, "\n", 1);
	l->nlines++;
	if (l->text.len > SIM_LINES_MAX)
		sim_lines_trim(l);
	apc_mutex_unlock(&l->lock);
}

void sim_lines_take(struct sim_lines *l, struct sim_buf *out, bool clear)
{
	apc_mutex_lock(&l->lock);
	if (l->text.len)
		sim_buf_add(out, l->text.p, l->text.len);
	if (clear)
		sim_buf_reset(&l->text);
	apc_mutex_unlock(&l->lock);
}
