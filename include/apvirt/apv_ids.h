/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apv_ids.h - sets of AP IDs (adapters or domains, 0..255) and matrices.
 *
 * The layout is the kernel's text order: ID 0 is the most significant bit
 * of w[0], so printing w[0..3] as %016llx gives the sysfs mask text.
 */
#ifndef APVIRT_APV_IDS_H
#define APVIRT_APV_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <apvirt/apv_error.h>

#ifdef __cplusplus
extern "C" {
#endif

#define APV_ID_COUNT	256

struct apv_ids {
	uint64_t w[APV_ID_COUNT / 64];
};

/* What an mdev is configured with: adapters, usage and control domains. */
struct apv_matrix {
	struct apv_ids apm;
	struct apv_ids aqm;
	struct apv_ids adm;
};

void apv_ids_zero(struct apv_ids *ids);
void apv_ids_set(struct apv_ids *ids, unsigned int id);
void apv_ids_clear(struct apv_ids *ids, unsigned int id);
bool apv_ids_test(const struct apv_ids *ids, unsigned int id);
bool apv_ids_empty(const struct apv_ids *ids);
bool apv_ids_equal(const struct apv_ids *a, const struct apv_ids *b);
unsigned int apv_ids_weight(const struct apv_ids *ids);
/* The first ID >= @from in @ids, or APV_ID_COUNT. */
unsigned int apv_ids_next(const struct apv_ids *ids, unsigned int from);
/* dst = a & b, dst = a | b, dst = a & ~b (dst may alias a or b). */
void apv_ids_and(struct apv_ids *dst, const struct apv_ids *a, const struct apv_ids *b);
void apv_ids_or(struct apv_ids *dst, const struct apv_ids *a, const struct apv_ids *b);
void apv_ids_andnot(struct apv_ids *dst, const struct apv_ids *a, const struct apv_ids *b);

#define apv_ids_for_each(id, ids) \
	for ((id) = apv_ids_next((ids), 0); (id) < APV_ID_COUNT; \
	     (id) = apv_ids_next((ids), (id) + 1))

bool apv_matrix_equal(const struct apv_matrix *a, const struct apv_matrix *b);

/*
 * Format @ids as a list of hex IDs and ranges, e.g. "0x03-0x05,0x07" with
 * @digits hex digits per ID (2 for adapters, 4 for domains); "-" when
 * empty.  Returns the length, or -ENOSPC if @size is too small.
 */
int apv_ids_format(const struct apv_ids *ids, unsigned int digits, char *buf, size_t size);

/*
 * Parse a list of ID edits as the CLI takes it:
 *
 *	LIST := ITEM [ "," ITEM ]...
 *	ITEM := [ "+" | "-" ] ID [ "-" ID ]
 *	ID   := decimal without leading zeros | "0x" hex digits (1..4)
 *
 * "+" (or no sign) adds the ID or the inclusive range, "-" removes it;
 * items apply left to right, the last one wins.  IDs must be below
 * APV_ID_COUNT.  A decimal with a leading zero ("0004") is refused: it
 * reads as hex to an lszcrypt user and as octal to the kernel.  At most
 * APV_IDLIST_MAX characters.  On success the edits are applied to @add
 * and @del, which stay disjoint (an added ID leaves @del and the other way
 * round), so several lists can be applied in a row; on failure both are
 * untouched and @err names the offending item.
 */
#define APV_IDLIST_MAX	4096
int apv_idlist_parse(const char *text, struct apv_ids *add, struct apv_ids *del,
		     struct apv_error *err);

#ifdef __cplusplus
}
#endif

#endif /* APVIRT_APV_IDS_H */
