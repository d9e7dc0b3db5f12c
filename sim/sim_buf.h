/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_buf.h - apsim's growable text buffer (sim_buf.c): show output, control
 * command replies and the log and uevent lines are built in one.
 */
#ifndef APVIRT_SIM_SIM_BUF_H
#define APVIRT_SIM_SIM_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct sim_buf {
	char *p;
	size_t len, cap;
	bool oom;		/* an append failed: the text is truncated */
};

void sim_buf_init(struct sim_buf *b);
void sim_buf_free(struct sim_buf *b);
void sim_buf_reset(struct sim_buf *b);
void sim_buf_add(struct sim_buf *b, const char *s, size_t len);
void sim_buf_printf(struct sim_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sim_buf_vprintf(struct sim_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#endif /* APVIRT_SIM_SIM_BUF_H */
