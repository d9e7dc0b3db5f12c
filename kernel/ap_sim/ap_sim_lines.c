// SPDX-License-Identifier: GPL-2.0
/*
 * ap_sim_lines.c - the ctl's "log" and "uevents": the last lines, oldest
 * first.  Lines arrive under the bus model's locks, so the ring is a leaf
 * behind a spinlock and never allocates.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ap_sim.h"

int ap_sim_lines_init(struct ap_sim_lines *l)
{
	spin_lock_init(&l->lock);
	l->first = 0;
	l->count = 0;
	l->line = kvcalloc(AP_SIM_LINES_MAX, sizeof(*l->line), GFP_KERNEL);
	return l->line ? 0 : -ENOMEM;
}

void ap_sim_lines_free(struct ap_sim_lines *l)
{
	kvfree(l->line);
	l->line = NULL;
}

/* The oldest line makes room when the ring is full. */
void ap_sim_lines_add(struct ap_sim_lines *l, const char *line)
{
	unsigned int slot;

	spin_lock(&l->lock);
	if (l->count == AP_SIM_LINES_MAX) {
		l->first = (l->first + 1) % AP_SIM_LINES_MAX;
		l->count--;
	}
	slot = (l->first + l->count) % AP_SIM_LINES_MAX;
	strscpy(l->line[slot], line, AP_SIM_LINE_MAX);
	l->count++;
	spin_unlock(&l->lock);
}

/* The worst case is allocated first: no allocation under the spinlock. */
char *ap_sim_lines_take(struct ap_sim_lines *l, bool clear, size_t *len)
{
	char *buf = kvmalloc(AP_SIM_LINES_MAX * AP_SIM_LINE_MAX + 1, GFP_KERNEL);
	unsigned int i;
	size_t n = 0;

	if (!buf)
		return NULL;
	spin_lock(&l->lock);
	for (i = 0; i < l->count; i++)
		n += scnprintf(buf + n, AP_SIM_LINES_MAX * AP_SIM_LINE_MAX + 1 - n, "%s\n",
			       l->line[(l->first + i) % AP_SIM_LINES_MAX]);
	if (clear) {
		l->first = 0;
		l->count = 0;
	}
	spin_unlock(&l->lock);
	*len = n;
	return buf;
}
