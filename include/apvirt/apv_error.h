/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apv_error.h - how libapvirt reports a failure: once, with context.
 *
 * Every function that can fail returns 0 (or a count) on success and a
 * negative errno on failure, and fills the caller's struct apv_error with
 * the errno and one message line that names the file, APQN or owner
 * involved.  The library never prints and never exits; the caller decides
 * what to show.  A NULL struct apv_error is accepted everywhere.
 */
#ifndef APVIRT_APV_ERROR_H
#define APVIRT_APV_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

#define APV_ERROR_MSG_MAX	1024

struct apv_error {
	int code;			/* positive errno; 0: no error */
	char msg[APV_ERROR_MSG_MAX];	/* one line, no trailing newline */
};

/* Forget a previous error. */
void apv_error_clear(struct apv_error *err);

/*
 * Record @code (a positive errno) and the formatted message in @err unless
 * it already holds one (the first report, closest to the cause, wins).
 * Returns -@code so a caller can write "return apv_error_set(...)".
 */
int apv_error_set(struct apv_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif /* APVIRT_APV_ERROR_H */
