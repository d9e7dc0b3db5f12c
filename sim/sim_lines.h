/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_lines.h - the simulated kernel log and uevent lines (sim_lines.c):
 * a bounded buffer of '\n'-terminated lines under its own lock, rank
 * APC_RANK_SIM_LINES (kernel/common/lock_ranks.h, docs/locking.md).
 */
#ifndef APVIRT_SIM_SIM_LINES_H
#define APVIRT_SIM_SIM_LINES_H

#include "compat.h"
#include "sim_buf.h"

struct sim_lines {
	struct apc_mutex lock;
	struct sim_buf text;	/* '\n'-terminated lines */
	size_t nlines;
};

void sim_lines_init(struct sim_lines *l);
void sim_lines_destroy(struct sim_lines *l);
void sim_lines_add(struct sim_lines *l, const char *line);
/* Copy all lines into @out; @clear empties the buffer in the same step. */
void sim_lines_take(struct sim_lines *l, struct sim_buf *out, bool clear);

#endif /* APVIRT_SIM_SIM_LINES_H */
