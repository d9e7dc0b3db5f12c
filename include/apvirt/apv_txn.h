/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apv_txn.h - changes to the host, all or nothing.
 *
 * Every change runs under the s390 lock (struct apv_lock) and is one
 * transaction: a list of sysfs writes (and at most one profile rewrite),
 * each preceded by its undo record in <run>/apvirt/txn.journal (fsynced).
 * On any error the writes done so far are undone in reverse order; a
 * transaction cut short by a killed process is undone by the next process
 * that takes the lock (apv_txn_recover()).  Every undo write is
 * idempotent (unassign of an ID never assigned, an absolute mask, a whole
 * ap_config), so replaying one that had not happened yet is harmless.
 *
 * A new mdev matrix is one ap_config write where the mdev has the file
 * (and the context does not force ordered writes); otherwise unassign_*
 * writes for what goes, then assign_* writes for what comes: every
 * intermediate matrix is a subset of the old or the new one, so no step
 * can be refused for a conflict the whole change does not have.
 */
#ifndef APVIRT_APV_TXN_H
#define APVIRT_APV_TXN_H

#include <stdbool.h>

#include <apvirt/apv_ctx.h>
#include <apvirt/apv_error.h>
#include <apvirt/apv_host.h>
#include <apvirt/apv_ids.h>
#include <apvirt/apv_lock.h>
#include <apvirt/apv_profile.h>

#ifdef __cplusplus
extern "C" {
#endif

#define APV_TXN_MAX_WRITES	(3 * 2 * APV_ID_COUNT + 4)

enum apv_txn_flags {
	APV_TXN_DRY_RUN = 0x1,		/* plan only: nothing is written */
	APV_TXN_NO_PROFILE = 0x2,	/* leave the mdevctl profile alone */
	APV_TXN_ATOMIC = 0x4,		/* one ap_config write or nothing,
					 * whatever apvirt.conf says */
};

/* One planned or done write, for the caller to show. */
struct apv_txn_write {
	char attr[32];			/* "assign_adapter", "ap_config", ... */
	char value[208];
};

struct apv_txn_result {
	bool used_ap_config;
	bool profile_updated;
	unsigned int nwrites;
	struct apv_txn_write writes[APV_TXN_MAX_WRITES];
};

/*
 * Give mdev @uuid the matrix @want (already validated by the caller).
 * Also rewrites its mdevctl profile when one exists (unless
 * APV_TXN_NO_PROFILE).  @lock proves the caller holds the lock.
 */
int apv_txn_set_matrix(const struct apv_ctx *ctx, const struct apv_lock *lock,
		       const struct apv_host *host, const char *uuid,
		       const struct apv_matrix *want, unsigned int flags,
		       struct apv_txn_result *res, struct apv_error *err);

/*
 * One change of a guest's AP matrix everywhere it lives, all or nothing:
 * the active mdev's matrix (sysfs), its mdevctl profile (when one exists)
 * and, last, whatever @commit writes (the domain metadata, through
 * libvirt).  If @commit fails, the sysfs writes and the profile are rolled
 * back through the journal; @commit itself must leave nothing behind when
 * it fails.  A process killed inside @commit (only SIGKILL or a crash:
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT wait for the end of the change)
 * leaves the sysfs and profile part to apv_txn_recover(), which returns
 * APV_TXN_RECOVERED_PARTLY; what @commit had written stays.  Once @commit
 * returned 0 the journal says "committed" and recovery keeps the change.
 */
struct apv_txn_change {
	const char *uuid;			/* the mdev */
	const struct apv_matrix *live;		/* NULL: leave the active mdev alone */
	const struct apv_matrix *profile;	/* NULL: leave the mdevctl profile alone */
	int (*commit)(void *arg, struct apv_error *err);	/* NULL: none */
	void *arg;
};

int apv_txn_apply(const struct apv_ctx *ctx, const struct apv_lock *lock,
		  const struct apv_host *host, const struct apv_txn_change *change,
		  unsigned int flags, struct apv_txn_result *res, struct apv_error *err);

/* Write apmask and aqmask (absolute), both or neither. */
int apv_txn_set_masks(const struct apv_ctx *ctx, const struct apv_lock *lock,
		      const struct apv_host *host, const struct apv_ids *apmask,
		      const struct apv_ids *aqmask, unsigned int flags,
		      struct apv_txn_result *res, struct apv_error *err);

/* Create an mdev (write its UUID to the type's create file). */
int apv_txn_create_mdev(const struct apv_ctx *ctx, const struct apv_lock *lock,
			const char *uuid, struct apv_error *err);
/*
 * Create the mdev of profile @p and save @p as its mdevctl definition,
 * both or neither: if the profile cannot be saved, the new mdev is
 * removed again (and a process killed in between is undone by the next
 * apv_txn_recover()).
 */
int apv_txn_create_defined(const struct apv_ctx *ctx, const struct apv_lock *lock,
			   const struct apv_profile *p, struct apv_error *err);
/* Remove an mdev (write 1 to its remove file). */
int apv_txn_remove_mdev(const struct apv_ctx *ctx, const struct apv_lock *lock,
			const struct apv_host *host, const char *uuid, struct apv_error *err);

/*
 * Undo what an interrupted transaction left behind (its journal), then
 * delete the journal; a journal that says "committed" (every part was
 * written, the process died while removing it) is only deleted.  Returns
 * 0 if none was there, else one of APV_TXN_RECOVERED_*.  Called by
 * whoever takes the lock before it reads the host.
 */
enum {
	APV_TXN_RECOVERED_ROLLED_BACK = 1,	/* undone; no commit step had begun */
	APV_TXN_RECOVERED_FINISHED,		/* it was committed: it stands */
	APV_TXN_RECOVERED_PARTLY,		/* undone, but it was cut short in
						 * its commit step (the domain
						 * metadata), which may be written */
};
int apv_txn_recover(const struct apv_ctx *ctx, const struct apv_lock *lock,
		    struct apv_error *err);

/*
 * Is a journal waiting in <run>/apvirt?  Either a transaction is running
 * right now (its process holds the lock) or one was cut short; taking the
 * lock and calling apv_txn_recover() tells which and cleans up.
 */
bool apv_txn_pending(const struct apv_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif /* APVIRT_APV_TXN_H */
