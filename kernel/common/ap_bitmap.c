// SPDX-License-Identifier: GPL-2.0
/*
 * ap_bitmap.c - out-of-line helpers for MSB-first 256-bit AP masks.
 */
#include "ap_bitmap.h"

static inline unsigned int apbm_clz64(u64 x)
{
	return (unsigned int)__builtin_clzll(x);	/* x != 0 */
}

void apbm_limit(struct apbm *b, unsigned int max)
{
	unsigned int word, keep;

	if (max >= APBM_BITS - 1)
		return;
	word = (max + 1) >> 6;
	keep = (max + 1) & 63;
	if (keep)
		b->w[word] &= ~0ULL << (64 - keep);
	else
		b->w[word] = 0;
	for (word++; word < APBM_WORDS; word++)
		b->w[word] = 0;
}

void apbm_set_range(struct apbm *b, unsigned int first, unsigned int last)
{
	unsigned int id;

	for (id = first; id <= last && id < APBM_BITS; id++)
		apbm_set(b, id);
}

unsigned int apbm_next(const struct apbm *b, unsigned int from)
{
	unsigned int word;
	u64 bits;

	if (from >= APBM_BITS)
		return APBM_BITS;
	word = from >> 6;
	bits = b->w[word] & (~0ULL >> (from & 63));
	while (!bits) {
		if (++word == APBM_WORDS)
			return APBM_BITS;
		bits = b->w[word];
	}
	return word * 64 + apbm_clz64(bits);
}

unsigned int apbm_weight(const struct apbm *b)
{
	return (unsigned int)(apc_popcount64(b->w[0]) + apc_popcount64(b->w[1]) +
			      apc_popcount64(b->w[2]) + apc_popcount64(b->w[3]));
}
