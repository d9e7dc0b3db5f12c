// SPDX-License-Identifier: GPL-2.0
/*
 * sim_buf.c - a growable text buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_buf.h"

void sim_buf_init(struct sim_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void sim_buf_free(struct sim_buf *b)
{
	free(b->p);
	sim_buf_init(b);
}

void sim_buf_reset(struct sim_buf *b)
{
	b->len = 0;
	b->oom = false;
	if (b->p)
		b->p[0] = '\0';
}

/* Make room for @more characters plus the NUL. */
static bool sim_buf_grow(struct sim_buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	if (b->len + more + 1 <= b->cap)
		return true;
	while (cap < b->len + more + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void sim_buf_add(struct sim_buf *b, const char *s, size_t len)
{
	if (!sim_buf_grow(b, len))
		return;
	memcpy(b->p + b->len, s, len);
	b->len += len;
	b->p[b->len] = '\0';
}

void sim_buf_vprintf(struct sim_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0 || !sim_buf_grow(b, (size_t)n))
		return;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sim_buf_printf(struct sim_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sim_buf_vprintf(b, fmt, ap);
	va_end(ap);
}
