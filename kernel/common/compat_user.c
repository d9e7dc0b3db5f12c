// SPDX-License-Identifier: GPL-2.0
/*
 * compat_user.c - userspace half of compat.h: ranked mutexes, WARN_ON_ONCE,
 * the counting and failing allocator behind apc_zalloc().
 *
 * Why ranks: the engine's lock order (vfio_ap_core.c, top comment) is the
 * kernel's.  apsim runs the engine from many FUSE threads; checking the
 * order on every acquisition turns a would-be deadlock into an immediate,
 * named failure in tests instead of a hang in CI.
 */
#include "compat.h"

#define APC_MAX_HELD 16

static __thread int held_rank[APC_MAX_HELD];
static __thread int held_count;

static void apc_lock_order_violation(const struct apc_mutex *am)
{
	fprintf(stderr, "apvirt core: lock order violation: taking rank %d while holding rank %d\n",
		am->rank, held_count ? held_rank[held_count - 1] : -1);
	abort();
}

void apc_mutex_init(struct apc_mutex *am, int rank)
{
	pthread_mutex_init(&am->m, NULL);
	am->rank = rank;
	am->held = false;
}

void apc_mutex_destroy(struct apc_mutex *am)
{
	pthread_mutex_destroy(&am->m);
}

void apc_mutex_lock(struct apc_mutex *am)
{
	if (held_count && held_rank[held_count - 1] >= am->rank)
		apc_lock_order_violation(am);
	if (held_count == APC_MAX_HELD)
		apc_lock_order_violation(am);
	pthread_mutex_lock(&am->m);
	am->owner = pthread_self();
	am->held = true;
	held_rank[held_count++] = am->rank;
}

void apc_mutex_unlock(struct apc_mutex *am)
{
	int i;

	/* Release need not be LIFO (kernel code never relies on it either). */
	for (i = held_count - 1; i >= 0; i--) {
		if (held_rank[i] == am->rank) {
			for (; i < held_count - 1; i++)
				held_rank[i] = held_rank[i + 1];
			held_count--;
			break;
		}
	}
	am->held = false;
	pthread_mutex_unlock(&am->m);
}

/* The wait drops and re-takes the mutex: the rank stays on our stack. */
int apc_cond_wait(pthread_cond_t *cond, struct apc_mutex *am, const struct timespec *deadline)
{
	int rc = 0;

	apc_assert_held_fn(am, __func__);
	am->held = false;
	if (!deadline)
		pthread_cond_wait(cond, &am->m);
	else
		rc = pthread_cond_timedwait(cond, &am->m, deadline);
	am->owner = pthread_self();
	am->held = true;
	return rc;
}

void apc_warn(const char *file, int line, const char *cond)
{
	const char *stop = getenv("APVIRT_WARN_ABORT");

	fprintf(stderr, "WARNING: %s:%d: %s\n", file, line, cond);
	if (stop && !strcmp(stop, "1"))
		abort();
}

void apc_assert_held_fn(const struct apc_mutex *am, const char *what)
{
	if (!am->held || !pthread_equal(am->owner, pthread_self())) {
		fprintf(stderr, "apvirt core: %s not held\n", what);
		abort();
	}
}

/*
 * apc_zalloc(): calloc() with the size kept in a header, so apc_free() can
 * take it off the byte count.  The header keeps max_align_t alignment.
 */
union apc_alloc_hdr {
	size_t size;
	max_align_t align;
};

static size_t apc_bytes;
static unsigned long apc_calls;
static unsigned long apc_fail_at;	/* apc_calls value that fails; 0: none */
static bool apc_fail_hit;

void *apc_zalloc(size_t size)
{
	unsigned long call = __atomic_add_fetch(&apc_calls, 1, __ATOMIC_RELAXED);
	unsigned long at = call;
	union apc_alloc_hdr *h;

	if (__atomic_compare_exchange_n(&apc_fail_at, &at, 0, false, __ATOMIC_RELAXED,
					__ATOMIC_RELAXED)) {
		__atomic_store_n(&apc_fail_hit, true, __ATOMIC_RELAXED);
		return NULL;
	}
	h = calloc(1, sizeof(*h) + size);
	if (!h)
		return NULL;
	h->size = size;
	__atomic_add_fetch(&apc_bytes, size, __ATOMIC_RELAXED);
	return h + 1;
}

void apc_free(void *ptr)
{
	union apc_alloc_hdr *h;

	if (!ptr)
		return;
	h = (union apc_alloc_hdr *)ptr - 1;
	__atomic_sub_fetch(&apc_bytes, h->size, __ATOMIC_RELAXED);
	free(h);
}

size_t apc_alloc_bytes(void)
{
	return __atomic_load_n(&apc_bytes, __ATOMIC_RELAXED);
}

unsigned long apc_alloc_calls(void)
{
	return __atomic_load_n(&apc_calls, __ATOMIC_RELAXED);
}

void apc_alloc_fail_nth(unsigned long n)
{
	unsigned long now = __atomic_load_n(&apc_calls, __ATOMIC_RELAXED);

	__atomic_store_n(&apc_fail_hit, false, __ATOMIC_RELAXED);
	__atomic_store_n(&apc_fail_at, n ? now + n : 0, __ATOMIC_RELAXED);
}

bool apc_alloc_failed(void)
{
	return __atomic_load_n(&apc_fail_hit, __ATOMIC_RELAXED);
}
