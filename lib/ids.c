// SPDX-License-Identifier: GPL-2.0
/*
 * ids.c - apv_ids_*, apv_matrix_*: ID sets, and apv_idlist_parse(), the
 * "+0x04-0x07,-5" edit lists of the CLI.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

void apv_ids_zero(struct apv_ids *ids)
{
	memset(ids, 0, sizeof(*ids));
}

void apv_ids_set(struct apv_ids *ids, unsigned int id)
{
	if (id < APV_ID_COUNT)
		ids->w[id >> 6] |= apbm_bit(id);
}

void apv_ids_clear(struct apv_ids *ids, unsigned int id)
{
	if (id < APV_ID_COUNT)
		ids->w[id >> 6] &= ~apbm_bit(id);
}

bool apv_ids_test(const struct apv_ids *ids, unsigned int id)
{
	return id < APV_ID_COUNT && (ids->w[id >> 6] & apbm_bit(id));
}

bool apv_ids_empty(const struct apv_ids *ids)
{
	return !(ids->w[0] | ids->w[1] | ids->w[2] | ids->w[3]);
}

bool apv_ids_equal(const struct apv_ids *a, const struct apv_ids *b)
{
	return !memcmp(a, b, sizeof(*a));
}

unsigned int apv_ids_weight(const struct apv_ids *ids)
{
	struct apbm b;

	apv_ids_to_apbm(ids, &b);
	return apbm_weight(&b);
}

unsigned int apv_ids_next(const struct apv_ids *ids, unsigned int from)
{
	struct apbm b;

	apv_ids_to_apbm(ids, &b);
	return apbm_next(&b, from);
}

void apv_ids_and(struct apv_ids *dst, const struct apv_ids *a, const struct apv_ids *b)
{
	for (int i = 0; i < 4; i++)
		dst->w[i] = a->w[i] & b->w[i];
}

void apv_ids_or(struct apv_ids *dst, const struct apv_ids *a, const struct apv_ids *b)
{
	for (int i = 0; i < 4; i++)
		dst->w[i] = a->w[i] | b->w[i];
}

void apv_ids_andnot(struct apv_ids *dst, const struct apv_ids *a, const struct apv_ids *b)
{
	for (int i = 0; i < 4; i++)
		dst->w[i] = a->w[i] & ~b->w[i];
}

bool apv_matrix_equal(const struct apv_matrix *a, const struct apv_matrix *b)
{
	return apv_ids_equal(&a->apm, &b->apm) && apv_ids_equal(&a->aqm, &b->aqm) &&
	       apv_ids_equal(&a->adm, &b->adm);
}

/* The last ID of the run of set IDs that starts at @first. */
static unsigned int ids_run_end(const struct apv_ids *ids, unsigned int first)
{
	unsigned int last = first;

	while (last + 1 < APV_ID_COUNT && apv_ids_test(ids, last + 1))
		last++;
	return last;
}

int apv_ids_format(const struct apv_ids *ids, unsigned int digits, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int id, last;
	int n;

	if (size == 0)
		return -ENOSPC;
	buf[0] = '\0';
	if (apv_ids_empty(ids))
		return snprintf(buf, size, "-") < (int)size ? 1 : -ENOSPC;
	for (id = apv_ids_next(ids, 0); id < APV_ID_COUNT; id = apv_ids_next(ids, last + 1)) {
		last = ids_run_end(ids, id);
		if (last == id)
			n = snprintf(buf + len, size - len, "%s0x%0*x", len ? "," : "",
				     (int)digits, id);
		else
			n = snprintf(buf + len, size - len, "%s0x%0*x-0x%0*x", len ? "," : "",
				     (int)digits, id, (int)digits, last);
		if (n < 0 || (size_t)n >= size - len)
			return -ENOSPC;
		len += (size_t)n;
	}
	return (int)len;
}

/*
 * One ID of a list: "0x" and 1..4 hex digits, or a decimal without a
 * leading zero.  Returns the characters used, 0 if there is no valid ID.
 */
static size_t idlist_number(const char *s, unsigned int *id)
{
	unsigned long val = 0;
	size_t i = 0, first;
	unsigned int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	first = i;
	for (;; i++) {
		int d;

		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (base == 16 && s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (base == 16 && s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			break;
		if (i - first >= 4)
			return 0;	/* no ID needs more than 4 digits */
		val = val * base + (unsigned long)d;
	}
	if (i == first || (base == 10 && s[0] == '0' && i > 1))
		return 0;
	*id = (unsigned int)val;
	return i;
}

/* Apply one item "[+|-]ID[-ID]" at @s; its length into @used. */
static int idlist_item(const char *s, size_t *used, struct apv_ids *add, struct apv_ids *del,
		       struct apv_error *err)
{
	unsigned int first, last, id;
	bool remove = false;
	size_t i = 0, n;
	int len = (int)strcspn(s, ",");

	if (s[0] == '+' || s[0] == '-') {
		remove = s[0] == '-';
		i = 1;
	}
	n = idlist_number(s + i, &first);
	if (!n)
		goto bad;
	i += n;
	last = first;
	if (s[i] == '-') {
		n = idlist_number(s + i + 1, &last);
		if (!n)
			goto bad;
		i += n + 1;
	}
	if (s[i] != '\0' && s[i] != ',')
		goto bad;
	if (first >= APV_ID_COUNT || last >= APV_ID_COUNT || first > last)
		return apv_error_set(err, ERANGE,
				     "'%.*s': IDs are 0 to 255 and a range goes upwards", len, s);
	for (id = first; id <= last; id++) {
		apv_ids_set(remove ? del : add, id);
		apv_ids_clear(remove ? add : del, id);
	}
	*used = i;
	return 0;
bad:
	return apv_error_set(err, EINVAL,
			     "'%.*s' is not an ID edit; write [+|-]ID[-ID] with IDs as 0x hex or decimal without leading zeros",
			     len, s);
}

int apv_idlist_parse(const char *text, struct apv_ids *add, struct apv_ids *del,
		     struct apv_error *err)
{
	struct apv_ids a = *add, d = *del;
	size_t len = strnlen(text, APV_IDLIST_MAX + 1), i = 0, n = 0;
	int rc;

	if (len > APV_IDLIST_MAX)
		return apv_error_set(err, EINVAL, "ID list longer than %d characters",
				     APV_IDLIST_MAX);
	if (len == 0)
		return apv_error_set(err, EINVAL, "empty ID list");
	for (;;) {
		rc = idlist_item(text + i, &n, &a, &d, err);
		if (rc)
			return rc;
		i += n;
		if (text[i] == '\0')
			break;
		i++;	/* the comma */
	}
	*add = a;
	*del = d;
	return 0;
}

/* ---- matrices as sets (apv_metadata.h) ---- */

void apv_matrix_merge(struct apv_matrix *dst, const struct apv_matrix *add)
{
	apv_ids_or(&dst->apm, &dst->apm, &add->apm);
	apv_ids_or(&dst->aqm, &dst->aqm, &add->aqm);
	apv_ids_or(&dst->adm, &dst->adm, &add->adm);
}

void apv_matrix_subtract(struct apv_matrix *dst, const struct apv_matrix *del)
{
	apv_ids_andnot(&dst->apm, &dst->apm, &del->apm);
	apv_ids_andnot(&dst->aqm, &dst->aqm, &del->aqm);
	apv_ids_andnot(&dst->adm, &dst->adm, &del->adm);
}

void apv_matrix_diff(const struct apv_matrix *from, const struct apv_matrix *to,
		     struct apv_matrix *gone, struct apv_matrix *come)
{
	*gone = *from;
	apv_matrix_subtract(gone, to);
	*come = *to;
	apv_matrix_subtract(come, from);
}

bool apv_matrix_empty(const struct apv_matrix *m)
{
	return apv_ids_empty(&m->apm) && apv_ids_empty(&m->aqm) && apv_ids_empty(&m->adm);
}

bool apv_matrix_contains(const struct apv_matrix *whole, const struct apv_matrix *part)
{
	struct apv_matrix rest = *part;

	apv_matrix_subtract(&rest, whole);
	return apv_matrix_empty(&rest);
}

bool apv_matrix_overlap(const struct apv_matrix *a, const struct apv_matrix *b,
			unsigned int *apid, unsigned int *apqi)
{
	struct apv_ids apm, aqm;

	apv_ids_and(&apm, &a->apm, &b->apm);
	apv_ids_and(&aqm, &a->aqm, &b->aqm);
	if (apv_ids_empty(&apm) || apv_ids_empty(&aqm))
		return false;
	*apid = apv_ids_next(&apm, 0);
	*apqi = apv_ids_next(&aqm, 0);
	return true;
}
