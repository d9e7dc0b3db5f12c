/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ap_bitmap.h - 256-bit AP masks with MSB-first ("inverted") numbering.
 *
 * ID 0 is the most significant bit of word 0, so printing the four words
 * as %016llx from word 0 to word 3 gives exactly the kernel's text: a mask
 * holding only ID 0 prints as 0x8000...0.  This is the layout s390 gets
 * from set_bit_inv() on big-endian longs; here it is explicit so x86 and
 * s390 print the same.
 *
 * Everything is word-wise algebra: filtering and validation over a full
 * 256 x 256 host never loop per APQN.
 */
#ifndef APVIRT_CORE_AP_BITMAP_H
#define APVIRT_CORE_AP_BITMAP_H

#include "compat.h"

#define APBM_BITS	256
#define APBM_WORDS	4

struct apbm {
	u64 w[APBM_WORDS];
};

static inline u64 apbm_bit(unsigned int id)
{
	return 1ULL << (63 - (id & 63));
}

static inline void apbm_set(struct apbm *b, unsigned int id)
{
	b->w[id >> 6] |= apbm_bit(id);
}

static inline void apbm_clear(struct apbm *b, unsigned int id)
{
	b->w[id >> 6] &= ~apbm_bit(id);
}

static inline bool apbm_test(const struct apbm *b, unsigned int id)
{
	return id < APBM_BITS && (b->w[id >> 6] & apbm_bit(id));
}

static inline void apbm_zero(struct apbm *b)
{
	memset(b, 0, sizeof(*b));
}

static inline void apbm_fill(struct apbm *b)
{
	memset(b, 0xff, sizeof(*b));
}

static inline bool apbm_empty(const struct apbm *b)
{
	return !(b->w[0] | b->w[1] | b->w[2] | b->w[3]);
}

static inline bool apbm_full(const struct apbm *b)
{
	return (b->w[0] & b->w[1] & b->w[2] & b->w[3]) == ~0ULL;
}

static inline bool apbm_equal(const struct apbm *a, const struct apbm *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* dst = a & b; returns true if the result is non-empty (like bitmap_and) */
static inline bool apbm_and(struct apbm *dst, const struct apbm *a, const struct apbm *b)
{
	int i;

	for (i = 0; i < APBM_WORDS; i++)
		dst->w[i] = a->w[i] & b->w[i];
	return !apbm_empty(dst);
}

static inline void apbm_or(struct apbm *dst, const struct apbm *a, const struct apbm *b)
{
	int i;

	for (i = 0; i < APBM_WORDS; i++)
		dst->w[i] = a->w[i] | b->w[i];
}

/* dst = a & ~b; returns true if the result is non-empty (like bitmap_andnot) */
static inline bool apbm_andnot(struct apbm *dst, const struct apbm *a, const struct apbm *b)
{
	int i;

	for (i = 0; i < APBM_WORDS; i++)
		dst->w[i] = a->w[i] & ~b->w[i];
	return !apbm_empty(dst);
}

static inline bool apbm_intersects(const struct apbm *a, const struct apbm *b)
{
	return ((a->w[0] & b->w[0]) | (a->w[1] & b->w[1]) |
		(a->w[2] & b->w[2]) | (a->w[3] & b->w[3])) != 0;
}

/* true if every bit of a is also in b */
static inline bool apbm_subset(const struct apbm *a, const struct apbm *b)
{
	return ((a->w[0] & ~b->w[0]) | (a->w[1] & ~b->w[1]) |
		(a->w[2] & ~b->w[2]) | (a->w[3] & ~b->w[3])) == 0;
}

/* Keep IDs 0..max, clear the rest. */
void apbm_limit(struct apbm *b, unsigned int max);
/* Set IDs first..last (inclusive, last < 256). */
void apbm_set_range(struct apbm *b, unsigned int first, unsigned int last);
/* First set ID >= from, or APBM_BITS if none. */
unsigned int apbm_next(const struct apbm *b, unsigned int from);
unsigned int apbm_weight(const struct apbm *b);

#define apbm_for_each(id, b) \
	for ((id) = apbm_next((b), 0); (id) < APBM_BITS; (id) = apbm_next((b), (id) + 1))

#endif /* APVIRT_CORE_AP_BITMAP_H */
