/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - the few kernel facilities kernel/core uses, for both worlds.
 *
 * kernel/common, kernel/core and kernel/ap_model are compiled unchanged as
 * part of Linux modules and of userspace programs (apsim, unit tests,
 * fuzzers, benchmarks).  They include only kernel/common headers, their own
 * and this one.
 *
 * Userspace gets:
 *   - the fixed-width kernel types and errno values;
 *   - struct apc_mutex: a pthread mutex with a lock *rank*.  Every thread
 *     keeps a small stack of held ranks and a lock taken out of order
 *     (rank not strictly greater than the last one held) aborts with a
 *     message: a tiny lockdep that makes the order written at the top of
 *     vfio_ap_core.c checkable in every test run (ranks: lock_ranks.h);
 *   - WARN_ON_ONCE() that says what went wrong: the first time a site's
 *     condition holds it prints "WARNING: file:line: condition" to stderr,
 *     and aborts when APVIRT_WARN_ABORT=1 is set (make check, CI and the
 *     fuzzers set it), so an impossible state fails the test that reached it;
 *   - apc_zalloc()/apc_free() (kvzalloc()/kvfree() in the kernel) through a
 *     small shim that counts the bytes kernel/ code holds and can make one
 *     chosen allocation fail (apc_alloc_fail_nth()), so tests can measure
 *     the engine's memory and check every -ENOMEM path.
 */
#ifndef APVIRT_CORE_COMPAT_H
#define APVIRT_CORE_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/lockdep.h>
#include <linux/bitops.h>

struct apc_mutex {
	struct mutex m;		/* ranks are documentation here: lockdep checks */
};

#define apc_mutex_init(am, rank)	mutex_init(&(am)->m)
#define apc_mutex_destroy(am)		mutex_destroy(&(am)->m)
#define apc_mutex_lock(am)		mutex_lock(&(am)->m)
#define apc_mutex_unlock(am)		mutex_unlock(&(am)->m)
#define apc_assert_held(am)		lockdep_assert_held(&(am)->m)
#define apc_zalloc(size)		kvzalloc(size, GFP_KERNEL)
#define apc_free(ptr)			kvfree(ptr)
/* the compiler's builtin needs libgcc's __popcountdi2 on x86 modules */
#define apc_popcount64(x)		hweight64(x)

#else /* userspace */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#ifndef EOPNOTSUPP
#define EOPNOTSUPP 95
#endif

struct apc_mutex {
	pthread_mutex_t m;
	int rank;
	pthread_t owner;
	bool held;
};

void apc_mutex_init(struct apc_mutex *am, int rank);
void apc_mutex_destroy(struct apc_mutex *am);
void apc_mutex_lock(struct apc_mutex *am);
void apc_mutex_unlock(struct apc_mutex *am);
void apc_assert_held_fn(const struct apc_mutex *am, const char *what);
/*
 * pthread_cond_wait/timedwait on a ranked mutex (@deadline: CLOCK of the
 * condition variable; NULL waits without one).  Keeps the owner and the
 * held-rank stack right across the wait.  Returns 0 or ETIMEDOUT.
 */
int apc_cond_wait(pthread_cond_t *cond, struct apc_mutex *am, const struct timespec *deadline);
void apc_warn(const char *file, int line, const char *cond);
#define apc_assert_held(am) apc_assert_held_fn((am), #am)
/*
 * kvzalloc()/kvfree().  Memory from apc_zalloc() must go back through
 * apc_free() (never free()): the shim keeps the size in front of the block.
 */
void *apc_zalloc(size_t size);
void apc_free(void *ptr);
/* Bytes held through apc_zalloc() now (payload only) and the calls so far. */
size_t apc_alloc_bytes(void);
unsigned long apc_alloc_calls(void);
/*
 * Fault injection: the @n-th apc_zalloc() from now (1: the next one)
 * returns NULL, once; 0 disarms.  Process-wide.  Returns whether the
 * armed failure has been consumed since the last call that armed it.
 */
void apc_alloc_fail_nth(unsigned long n);
bool apc_alloc_failed(void);

#define WARN_ON_ONCE(cond) ({						\
	static bool __apc_warned;					\
	bool __apc_cond = !!(cond);					\
	if (__apc_cond && !__atomic_exchange_n(&__apc_warned, true, __ATOMIC_RELAXED)) \
		apc_warn(__FILE__, __LINE__, #cond);			\
	__apc_cond;							\
})
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define apc_popcount64(x)	((unsigned int)__builtin_popcountll(x))

#endif /* __KERNEL__ */

#define APC_PAGE_SIZE 4096

#endif /* APVIRT_CORE_COMPAT_H */
