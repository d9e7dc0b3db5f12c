/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz_check.h - what every libFuzzer target of tests/fuzz shares.
 *
 * A violated property must stop the fuzzer with a crash it can minimise,
 * so FUZZ_CHECK() prints the failed condition and abort()s; it is never
 * compiled out (unlike assert() under NDEBUG).
 */
#ifndef APVIRT_FUZZ_CHECK_H
#define APVIRT_FUZZ_CHECK_H

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)							\
	do {									\
		if (!(cond))							\
			fuzz_fail(__FILE__, __LINE__, #cond);			\
	} while (0)

static inline void __attribute__((noreturn))
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: property violated: %s\n", file, line, what);
	abort();
}

/* The text a sysfs store sees: up to @size or the first NUL. */
static inline size_t fuzz_text_len(const uint8_t *data, size_t size)
{
	const void *nul = memchr(data, '\0', size);

	return nul ? (size_t)((const uint8_t *)nul - data) : size;
}

/* A NUL-terminated heap copy for the parsers that take C strings. */
static inline char *fuzz_strdup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static inline int fuzz_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A recognisable pattern: an output still holding it was not written. */
static inline void fuzz_poison_mask(struct apbm *m)
{
	m->w[0] = 0xdeadbeefcafef00dULL;
	m->w[1] = 0x0123456789abcdefULL;
	m->w[2] = 0xfedcba9876543210ULL;
	m->w[3] = 0x5a5a5a5aa5a5a5a5ULL;
}

static inline bool fuzz_mask_poisoned(const struct apbm *m)
{
	struct apbm p;

	fuzz_poison_mask(&p);
	return apbm_equal(m, &p);
}

#endif /* APVIRT_FUZZ_CHECK_H */
