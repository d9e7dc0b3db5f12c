// SPDX-License-Identifier: GPL-2.0
/*
 * error.c - apv_error_*: one report per failure, the first one wins.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

void apv_error_clear(struct apv_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}

int apv_error_set(struct apv_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	char *nl;

	if (code <= 0)
		code = EIO;	/* a caller bug must still read as a failure */
	if (!err || err->code)
		return -code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	/* One line: a newline from a quoted value would split the message. */
	while ((nl = strchr(err->msg, '\n')))
		*nl = ' ';
	return -code;
}
