/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apv_lock.h - the s390-tools AP configuration lock,
 * <run>/lock/s390apconfig.lock, shared with ap-check and chzdev.
 *
 * Protocol (s390-tools libutil/util_lockfile.c): the owner's PID and a
 * newline go into a uniquely named temporary file beside the lock, which
 * is then link()ed to the lock path; link() is the atomic step.  A lock
 * is stale when its PID does not exist (kill(pid, 0) gives ESRCH), or when
 * no PID has appeared in it for 120 seconds; a stale lock is removed.
 * Release removes the lock only if it still holds the owner's PID.
 */
#ifndef APVIRT_APV_LOCK_H
#define APVIRT_APV_LOCK_H

#include <sys/types.h>

#include <apvirt/apv_ctx.h>
#include <apvirt/apv_error.h>

#ifdef __cplusplus
extern "C" {
#endif

#define APV_LOCK_NAME		"s390apconfig.lock"
#define APV_LOCK_PID_WAIT	120	/* seconds a lock may stay without a PID */

struct apv_lock;

/*
 * Take the lock for this process, waiting up to apv_ctx_lock_timeout()
 * seconds with short randomised pauses.  -EBUSY with a message naming the
 * holder's PID (and command) when it stays held.
 */
int apv_lock_acquire(const struct apv_ctx *ctx, struct apv_lock **out, struct apv_error *err);
/* Release (only if the lock still names us) and free; NULL is fine. */
void apv_lock_release(struct apv_lock *lock);

#ifdef __cplusplus
}
#endif

#endif /* APVIRT_APV_LOCK_H */
