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

/*
 * Take the lock on behalf of process @owner, as s390-tools' ap-check does
 * for the mdevctl that runs it: the lock names @owner and stays held
 * after this process exits, from the pre callout to the post callout
 * (or until @owner dies and the lock turns stale).  Returns 0 when taken
 * now, 1 when the lock already named @owner (an earlier callout of the
 * same mdevctl took it), or a negative errno as apv_lock_acquire().
 */
int apv_lock_acquire_for(const struct apv_ctx *ctx, pid_t owner, struct apv_lock **out,
			 struct apv_error *err);
/* Free the handle and leave the lock held (for its owner to release). */
void apv_lock_keep(struct apv_lock *lock);
/* Remove the lock if it names @owner: 1 if removed, 0 if not held by it. */
int apv_lock_release_for(const struct apv_ctx *ctx, pid_t owner);

#ifdef __cplusplus
}
#endif

#endif /* APVIRT_APV_LOCK_H */
