// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_ap_core.c - vfio_ap dynamic configuration: the engine.
 *
 * Behaviour: docs/kernel-abi.md (newest upstream baseline).  Section
 * numbers in comments (§x.y) point there.
 *
 * Lock order (§5.1; ranks in kernel/common/lock_ranks.h, the table in
 * docs/locking.md).  Every entry point takes what it needs, in this order,
 * through the paired get_*_locks()/release_*_locks() helpers below; release
 * is in reverse:
 *
 *   ap_attr_mutex        AP bus (bus_ops->attr_lock); only assign_adapter,
 *                        assign_domain, ap_config here; the bus holds it
 *                        around in_use()
 *   -> guests_lock       mdev_list membership/iteration; using a kvm
 *                        pointer to plug/unplug
 *     -> kvm->lock       only if the mdev is attached; held around every
 *                        CRYCB update
 *       -> pqap_hook_rwsem  (write) setting/clearing the hook
 *         -> mdevs_lock  every field of every vap_mdev and of the queue
 *                        table
 *
 * Hosts: never hold an engine lock when calling in.  The AP bus calls the
 * driver callbacks (probe/remove/in_use/on_config_changed/on_scan_complete)
 * with its own device/scan lock held, which sits *before* ap_attr_mutex.
 * In userspace compat.h checks the order on every acquisition.
 *
 * Where upstream loops per APQN, this engine uses 256-bit bitmap algebra:
 * the qtable of an mdev is kept as linked[apid] bitmaps and the reset
 * state as rc_ok[apid], so filtering a full 256 x 256 matrix is 256 subset
 * tests and validation against N mdevs is N pairs of intersections.
 *
 * Memory (what a kernel can afford): nothing large is embedded or on the
 * stack.  The matrix device's queue table, rc_ok and scratch are separate
 * apc_zalloc() (kvzalloc) blocks; an mdev's qtable is allocated with its
 * first linked queue and freed with its last (see "qtable" below), so
 * 65536 mdevs without queues cost 65536 small structs.
 */
#include "vfio_ap_core.h"
#include "lock_ranks.h"

#define VAP_LOG_MAX 160

/* ---- logging ------------------------------------------------------------ */

static void vap_log(struct vap_matrix_dev *md, enum vap_log_level level,
		    const struct vap_mdev *m, const char *msg)
{
	if (md->env_ops && md->env_ops->log)
		md->env_ops->log(md->env, level, m, msg);
}

/* ---- lock helpers (§5.1) ---------------------------------------------- */

static void vap_kvm_lock(struct ap_kvm *kvm)
{
	if (kvm)
		kvm->ops->lock(kvm);
}

static void vap_kvm_unlock(struct ap_kvm *kvm)
{
	if (kvm)
		kvm->ops->unlock(kvm);
}

/*
 * lock_mdev_in_list - the mdev's kvm->lock (if attached), then mdevs_lock,
 * for a walk of mdev_list that already holds guests_lock.  Release with
 * unlock_mdev_in_list().
 */
static void lock_mdev_in_list(struct vap_matrix_dev *md, struct vap_mdev *m)
{
	apc_assert_held(&md->guests_lock);
	vap_kvm_lock(m->kvm);
	apc_mutex_lock(&md->mdevs_lock);
}

static void unlock_mdev_in_list(struct vap_matrix_dev *md, struct vap_mdev *m)
{
	apc_mutex_unlock(&md->mdevs_lock);
	vap_kvm_unlock(m->kvm);
}

/*
 * lock_mdev_list - guests_lock alone: walking mdev_list, or reading an mdev's
 * kvm pointer to choose the next lock.  Each mdev visited in the walk is then
 * locked with lock_mdev_in_list().
 */
static void lock_mdev_list(struct vap_matrix_dev *md)
{
	apc_mutex_lock(&md->guests_lock);
}

static void unlock_mdev_list(struct vap_matrix_dev *md)
{
	apc_mutex_unlock(&md->guests_lock);
}

/*
 * get_update_locks_for_mdev - guests_lock, then the mdev's kvm->lock (if
 * attached), then mdevs_lock.  @m may be NULL: no kvm lock then (what
 * create, remove, in_use and status need: the list, no guest).
 * The kvm pointer only changes under guests_lock, so reading it here is
 * safe.  Release with release_update_locks_for_mdev().
 */
static void get_update_locks_for_mdev(struct vap_matrix_dev *md, struct vap_mdev *m)
{
	apc_mutex_lock(&md->guests_lock);
	vap_kvm_lock(m ? m->kvm : NULL);
	apc_mutex_lock(&md->mdevs_lock);
}

static void release_update_locks_for_mdev(struct vap_matrix_dev *md, struct vap_mdev *m)
{
	apc_mutex_unlock(&md->mdevs_lock);
	vap_kvm_unlock(m ? m->kvm : NULL);
	apc_mutex_unlock(&md->guests_lock);
}

/*
 * get_attr_locks_for_mdev - ap_attr_mutex (the AP bus's, through bus_ops),
 * then get_update_locks_for_mdev(): the stores that validate against the
 * host's reservation (assign_adapter, assign_domain, ap_config).
 */
static void get_attr_locks_for_mdev(struct vap_matrix_dev *md, struct vap_mdev *m)
{
	md->bus_ops->attr_lock(md->bus);
	get_update_locks_for_mdev(md, m);
}

static void release_attr_locks_for_mdev(struct vap_matrix_dev *md, struct vap_mdev *m)
{
	release_update_locks_for_mdev(md, m);
	md->bus_ops->attr_unlock(md->bus);
}

/*
 * get_update_locks_for_kvm - guests_lock, kvm->lock, pqap_hook_rwsem
 * (write), mdevs_lock: attach and detach.
 */
static void get_update_locks_for_kvm(struct vap_matrix_dev *md, struct ap_kvm *kvm)
{
	apc_mutex_lock(&md->guests_lock);
	kvm->ops->lock(kvm);
	kvm->ops->pqap_hook_lock(kvm);
	apc_mutex_lock(&md->mdevs_lock);
}

static void release_update_locks_for_kvm(struct vap_matrix_dev *md, struct ap_kvm *kvm)
{
	apc_mutex_unlock(&md->mdevs_lock);
	kvm->ops->pqap_hook_unlock(kvm);
	kvm->ops->unlock(kvm);
	apc_mutex_unlock(&md->guests_lock);
}

static struct vap_mdev *vap_find_owner(struct vap_matrix_dev *md, unsigned int apid,
				       unsigned int apqi)
{
	struct vap_mdev *m;

	for (m = md->mdev_list; m; m = m->next)
		if (apbm_test(&m->matrix.apm, apid) && apbm_test(&m->matrix.aqm, apqi))
			return m;
	return NULL;
}

/*
 * get_update_locks_by_apqn - guests_lock, then the kvm->lock of the mdev
 * whose matrix holds the APQN (if attached), then mdevs_lock.  Matrices
 * only change under guests_lock, so the owner found stays the owner.
 * Return: the owning mdev or NULL.  Release with
 * release_update_locks_for_mdev(md, owner).
 */
static struct vap_mdev *get_update_locks_by_apqn(struct vap_matrix_dev *md,
						 unsigned int apid, unsigned int apqi)
{
	struct vap_mdev *m;

	apc_mutex_lock(&md->guests_lock);
	m = vap_find_owner(md, apid, apqi);
	vap_kvm_lock(m ? m->kvm : NULL);
	apc_mutex_lock(&md->mdevs_lock);
	return m;
}

/*
 * get_update_locks_for_queue - guests_lock, then the kvm->lock of the mdev
 * whose qtable holds the queue (if attached), then mdevs_lock.  The link
 * only changes under guests_lock.  Return: that mdev or NULL.  Release with
 * release_update_locks_for_mdev(md, mdev).
 */
static struct vap_mdev *get_update_locks_for_queue(struct vap_matrix_dev *md,
						   unsigned int apid, unsigned int apqi)
{
	struct vap_mdev *m;

	apc_mutex_lock(&md->guests_lock);
	m = md->queues[apid][apqi].mdev;
	vap_kvm_lock(m ? m->kvm : NULL);
	apc_mutex_lock(&md->mdevs_lock);
	return m;
}

/* ---- guest APCB (§4.4) ------------------------------------------------- */

static void vap_signal(struct vap_matrix_dev *md, struct vap_mdev *m, int index, void *trigger)
{
	if (trigger && md->env_ops && md->env_ops->signal)
		md->env_ops->signal(md->env, m, index, trigger);
}

/* vfio_ap_mdev_update_guest_apcb(): push the shadow, signal cfg change. */
static void vap_update_guest_apcb(struct vap_matrix_dev *md, struct vap_mdev *m)
{
	if (!m->kvm)
		return;
	/* kvm_arch_crypto_set_masks(), under kvm->lock */
	m->kvm->ops->set_masks(m->kvm, &m->shadow.apm, &m->shadow.aqm, &m->shadow.adm);
	vap_signal(md, m, VAP_CFG_CHG_IRQ_INDEX, m->cfg_chg_trigger);
}

/* ---- queue objects, links, resets (§4.1, §4.9) ------------------------- */

static bool vap_rc_passable(u8 rc)
{
	return rc == AP_RC_NORMAL || rc == AP_RC_DECONFIGURED || rc == AP_RC_CHECKSTOPPED;
}

static void vap_set_reset_rc(struct vap_matrix_dev *md, unsigned int apid,
			     unsigned int apqi, u8 rc)
{
	md->queues[apid][apqi].reset_rc = rc;
	if (vap_rc_passable(rc))
		apbm_set(&md->rc_ok[apid], apqi);
	else
		apbm_clear(&md->rc_ok[apid], apqi);
}

/* ZAPQ + verification; the host's bus op returns the final response code. */
/*
 * vfio_ap_mdev_reset_queue()'s WARNs (no prefix, rc in decimal): a ZAPQ
 * code outside its switch (00 02 03 04 05 0a; before 6.8 also 01, then an
 * EBUSY case) or a verifying TAPQ outside apq_status_check()'s (00 02 03
 * 04 05 35 36; the verification came with 6.8's reset rework).
 */
static void vap_warn_reset(struct vap_matrix_dev *md, unsigned int apid, unsigned int apqi,
			   int rc, bool verified)
{
	static const char zapq_ok[] = { 0, 2, 3, 4, 5, 0x0a };
	static const char tapq_ok[] = { 0, 2, 3, 4, 5, 0x35, 0x36 };
	bool v68 = ap_profile_has(md->profile, AP_FEAT_RESET_VERIFY), tapq = verified && v68;
	char msg[VAP_LOG_MAX];

	if (memchr(tapq ? tapq_ok : zapq_ok, rc, tapq ? sizeof(tapq_ok) : sizeof(zapq_ok)) ||
	    (!v68 && rc == AP_RC_Q_NOT_AVAIL))
		return;
	if (tapq)
		snprintf(msg, sizeof(msg), "failed to verify reset of queue %02x.%04x: TAPQ rc=%d",
			 apid, apqi, rc);
	else
		snprintf(msg, sizeof(msg), "PQAP/ZAPQ for %02x.%04x failed with invalid rc=%d",
			 apid, apqi, rc);
	vap_log(md, VAP_LOG_WARN, NULL, msg);
}

static u8 vap_reset_queue(struct vap_matrix_dev *md, unsigned int apid, unsigned int apqi)
{
	bool verified;
	int rc = md->bus_ops->zapq(md->bus, apid, apqi, &verified);

	vap_warn_reset(md, apid, apqi, rc, verified);
	md->reset_count++;
	vap_set_reset_rc(md, apid, apqi, (u8)rc);
	return (u8)rc;
}

/*
 * The qtable.  Upstream allocates a vfio_ap_queue per bound queue in probe
 * and only links it later, so linking never allocates.  Here the per-mdev
 * side of a link, m->linked, is one block allocated on demand: NULL while
 * nr_linked is 0.  Linking itself still cannot fail: every path that may
 * link a queue first calls vap_qtable_prepare(), before it changes
 * anything, and returns -ENOMEM with the state unchanged if that fails (as
 * a kernel sysfs store or probe does); every path that may unlink ends with
 * vap_qtable_trim().  Paths: vap_queue_probe(), vap_assign_store(),
 * vap_ap_config_store() link; the unassign stores, ap_config,
 * vap_queue_remove() and vap_mdev_remove() unlink.  Host configuration
 * changes neither link nor unlink.
 */
const struct apbm vap_no_links;

static const struct apbm *vap_linked(const struct vap_mdev *m, unsigned int apid)
{
	return vap_mdev_linked(m, apid);
}

/* Is any queue of @apm x @aqm bound to vfio_ap, i.e. would it be linked? */
static bool vap_any_bound(struct vap_matrix_dev *md, const struct apbm *apm,
			  const struct apbm *aqm)
{
	unsigned int apid, apqi;

	apbm_for_each(apid, apm)
		apbm_for_each(apqi, aqm)
			if (md->queues[apid][apqi].bound)
				return true;
	return false;
}

/*
 * Make sure linking the queues of @apm x @aqm (NULL: certainly some)
 * cannot fail.  0 or -ENOMEM; allocates only if @m has no qtable yet and a
 * queue would really be linked.
 */
static int vap_qtable_prepare(struct vap_matrix_dev *md, struct vap_mdev *m,
			      const struct apbm *apm, const struct apbm *aqm)
{
	if (m->linked || (apm && !vap_any_bound(md, apm, aqm)))
		return 0;
	m->linked = apc_zalloc(sizeof(*m->linked) * APBM_BITS);
	return m->linked ? 0 : -ENOMEM;
}

/* Free the qtable once nothing is linked. */
static void vap_qtable_trim(struct vap_mdev *m)
{
	if (m->nr_linked)
		return;
	apc_free(m->linked);
	m->linked = NULL;
}

static bool vap_is_linked(const struct vap_mdev *m, unsigned int apid, unsigned int apqi)
{
	return apbm_test(vap_linked(m, apid), apqi);
}

/*
 * vfio_ap_mdev_link_queue(): duplicate links are ignored (6.10+).  The
 * caller has run vap_qtable_prepare().
 */
static void vap_link_queue(struct vap_matrix_dev *md, struct vap_mdev *m,
			   unsigned int apid, unsigned int apqi)
{
	struct vap_queue *q = &md->queues[apid][apqi];

	/* matrices are disjoint, so a bound queue is linked to one mdev at most */
	if (!q->bound || vap_is_linked(m, apid, apqi) || WARN_ON_ONCE(q->mdev) ||
	    WARN_ON_ONCE(!m->linked))
		return;
	q->mdev = m;
	apbm_set(&m->linked[apid], apqi);
	m->nr_linked++;
}

static void vap_unlink_queue(struct vap_matrix_dev *md, struct vap_mdev *m,
			     unsigned int apid, unsigned int apqi)
{
	if (!vap_is_linked(m, apid, apqi))
		return;
	apbm_clear(&m->linked[apid], apqi);
	m->nr_linked--;
	md->queues[apid][apqi].mdev = NULL;
}

static void vap_link_adapter(struct vap_matrix_dev *md, struct vap_mdev *m, unsigned int apid)
{
	unsigned int apqi;

	apbm_for_each(apqi, &m->matrix.aqm)
		vap_link_queue(md, m, apid, apqi);
}

static void vap_link_domain(struct vap_matrix_dev *md, struct vap_mdev *m, unsigned int apqi)
{
	unsigned int apid;

	apbm_for_each(apid, &m->matrix.apm)
		vap_link_queue(md, m, apid, apqi);
}

/*
 * Reset every linked queue of @apid whose APQI is in the shadow aqm
 * (reset_queues_for_apid()).  Return: true if every reset ended with rc 0.
 */
static bool vap_reset_queues_for_apid(struct vap_matrix_dev *md, struct vap_mdev *m,
				      unsigned int apid)
{
	struct apbm todo;
	unsigned int apqi;
	bool ok = true;

	apbm_and(&todo, vap_linked(m, apid), &m->shadow.aqm);
	apbm_for_each(apqi, &todo)
		ok &= vap_reset_queue(md, apid, apqi) == AP_RC_NORMAL;
	return ok;
}

static void vap_reset_queues_for_apids(struct vap_matrix_dev *md, struct vap_mdev *m,
				       const struct apbm *apids)
{
	unsigned int apid;

	apbm_for_each(apid, apids)
		vap_reset_queues_for_apid(md, m, apid);
}

/* Reset the whole qtable (vfio_ap_mdev_reset_queues()): -EIO if any rc != 0. */
static int vap_reset_all_linked(struct vap_matrix_dev *md, struct vap_mdev *m)
{
	unsigned int apid, apqi;
	int ret = 0;

	for (apid = 0; apid < APBM_BITS && m->nr_linked; apid++)
		apbm_for_each(apqi, &m->linked[apid])
			if (vap_reset_queue(md, apid, apqi) != AP_RC_NORMAL)
				ret = -EIO;
	return ret;
}

/* ---- filtering (§4.3) ----------------------------------------------------- */

static void vap_matrix_init_max(const struct ap_qci *info, struct vap_matrix *mx)
{
	mx->apm_max = info->apxa ? info->na : 63;
	mx->aqm_max = info->apxa ? info->nd : 15;
	mx->adm_max = info->apxa ? info->nd : 15;
}

/*
 * vfio_ap_mdev_filter_matrix(): recompute shadow apm/aqm from the whole
 * matrix (6.8+).  An adapter stays only if every APQN with the in-config
 * assigned domains is linked and passable.  @apm_filtered gets the adapters
 * removed that were in the previous shadow.  Return: shadow apm/aqm changed.
 */
static bool vap_filter_matrix(struct vap_matrix_dev *md, struct vap_mdev *m,
			      struct apbm *apm_filtered)
{
	struct apbm prev_apm = m->shadow.apm, prev_aqm = m->shadow.aqm, ok;
	unsigned int apid;

	vap_matrix_init_max(&md->info, &m->shadow);
	apbm_zero(apm_filtered);
	apbm_and(&m->shadow.apm, &m->matrix.apm, &md->info.apm);
	apbm_and(&m->shadow.aqm, &m->matrix.aqm, &md->info.aqm);
	if (!apbm_empty(&m->shadow.aqm)) {
		apbm_for_each(apid, &m->shadow.apm) {
			apbm_and(&ok, vap_linked(m, apid), &md->rc_ok[apid]);
			if (apbm_subset(&m->shadow.aqm, &ok))
				continue;
			apbm_clear(&m->shadow.apm, apid);
			if (apbm_test(&prev_apm, apid))
				apbm_set(apm_filtered, apid);
		}
	}
	return !apbm_equal(&prev_apm, &m->shadow.apm) || !apbm_equal(&prev_aqm, &m->shadow.aqm);
}

/* vfio_ap_mdev_filter_cdoms(): shadow adm = matrix adm & host adm. */
static bool vap_filter_cdoms(struct vap_matrix_dev *md, struct vap_mdev *m)
{
	struct apbm prev = m->shadow.adm;

	apbm_and(&m->shadow.adm, &m->matrix.adm, &md->info.adm);
	return !apbm_equal(&prev, &m->shadow.adm);
}

/* Filter; if the shadow changed, update the guest and reset what left it. */
static void vap_filter_and_plug(struct vap_matrix_dev *md, struct vap_mdev *m, bool cdoms)
{
	struct apbm filtered;
	bool changed = vap_filter_matrix(md, m, &filtered);

	if (cdoms)
		changed |= vap_filter_cdoms(md, m);
	if (!changed)
		return;
	vap_update_guest_apcb(md, m);
	vap_reset_queues_for_apids(md, m, &filtered);
}

/* ---- hot unplug (§4.5.2) -------------------------------------------------- */

/*
 * Unlink the queues of (@apids x matrix aqm) and (matrix apm x @apqis),
 * as vfio_ap_mdev_hot_unplug_adapters()/_domains() do, collecting those that
 * were passed through (in the shadow) on @reset.
 */
static void vap_unlink_collect(struct vap_matrix_dev *md, struct vap_mdev *m,
			       unsigned int apid, const struct apbm *apqis,
			       struct apbm *reset)
{
	struct apbm linked;
	unsigned int apqi;

	if (!apbm_and(&linked, vap_linked(m, apid), apqis))
		return;
	if (apbm_test(&m->shadow.apm, apid)) {
		struct apbm passed;

		apbm_and(&passed, &linked, &m->shadow.aqm);
		apbm_or(&reset[apid], &reset[apid], &passed);
	}
	apbm_for_each(apqi, &linked)
		vap_unlink_queue(md, m, apid, apqi);
}

/* Reset the collected queues; they are unlinked already. */
static void vap_reset_collected(struct vap_matrix_dev *md, const struct apbm *reset)
{
	unsigned int apid, apqi;

	for (apid = 0; apid < APBM_BITS; apid++)
		apbm_for_each(apqi, &reset[apid])
			vap_reset_queue(md, apid, apqi);
}

static void vap_hot_unplug_adapters(struct vap_matrix_dev *md, struct vap_mdev *m,
				    const struct apbm *apids)
{
	struct apbm *reset = md->scratch;
	bool update = false;
	unsigned int apid;

	if (apbm_empty(apids))
		return;
	memset(reset, 0, sizeof(*reset) * APBM_BITS);
	apbm_for_each(apid, apids) {
		vap_unlink_collect(md, m, apid, &m->matrix.aqm, reset);
		if (apbm_test(&m->shadow.apm, apid)) {
			apbm_clear(&m->shadow.apm, apid);
			update = true;
		}
	}
	if (update)	/* only when needed, not to disturb the guest */
		vap_update_guest_apcb(md, m);
	vap_reset_collected(md, reset);
}

static void vap_hot_unplug_domains(struct vap_matrix_dev *md, struct vap_mdev *m,
				   const struct apbm *apqis)
{
	struct apbm *reset = md->scratch;
	bool update = false;
	unsigned int apid, apqi;

	if (apbm_empty(apqis))
		return;
	memset(reset, 0, sizeof(*reset) * APBM_BITS);
	apbm_for_each(apid, &m->matrix.apm)
		vap_unlink_collect(md, m, apid, apqis, reset);
	apbm_for_each(apqi, apqis) {
		if (apbm_test(&m->shadow.aqm, apqi)) {
			apbm_clear(&m->shadow.aqm, apqi);
			update = true;
		}
	}
	if (update)
		vap_update_guest_apcb(md, m);
	vap_reset_collected(md, reset);
}

/* ---- validation (§4.2) ----------------------------------------------------- */

/*
 * One warning per shared APQN.  6.15+: on the assignee, naming the other
 * mdev, or (in_use, @assignee NULL) on the mdev holding the queue.  Before:
 * one text for both, logged on the other mdev and naming that mdev itself.
 */
static void vap_log_sharing(struct vap_matrix_dev *md, struct vap_mdev *assignee,
			    struct vap_mdev *other, const struct apbm *apm, const struct apbm *aqm)
{
	bool new_text = ap_profile_has(md->profile, AP_FEAT_NEW_SHARING_TEXT);
	struct vap_mdev *dev = new_text && assignee ? assignee : other;
	char msg[VAP_LOG_MAX], apqn[8];
	unsigned int apid, apqi;

	apbm_for_each(apid, apm) {
		apbm_for_each(apqi, aqm) {
			aptxt_format_apqn(apid, apqi, apqn);
			if (!new_text)
				snprintf(msg, sizeof(msg),
					 "Userspace may not re-assign queue %s already assigned to %s",
					 apqn, other->name);
			else if (assignee)
				snprintf(msg, sizeof(msg),
					 "Userspace may not assign queue %s to mdev: already assigned to %s",
					 apqn, other->name);
			else
				snprintf(msg, sizeof(msg),
					 "Can not reserve queue %s for host driver: in use by mdev",
					 apqn);
			vap_log(md, VAP_LOG_WARN, dev, msg);
		}
	}
}

/*
 * vfio_ap_mdev_verify_no_sharing(): -EADDRINUSE if some mdev other than
 * @assignee has (apm & its apm) and (aqm & its aqm) both non-empty.  Only
 * the first conflicting mdev is reported, one line per APQN.
 */
static int vap_verify_no_sharing(struct vap_matrix_dev *md, struct vap_mdev *assignee,
				 const struct apbm *apm, const struct apbm *aqm)
{
	struct apbm a, q;
	struct vap_mdev *o;

	for (o = md->mdev_list; o; o = o->next) {
		if (o == assignee)
			continue;
		if (!apbm_and(&a, apm, &o->matrix.apm) || !apbm_and(&q, aqm, &o->matrix.aqm))
			continue;
		vap_log_sharing(md, assignee, o, &a, &q);
		return -EADDRINUSE;
	}
	return 0;
}

/* vfio_ap_mdev_validate_masks(): caller holds ap_attr_mutex + update locks. */
static int vap_validate_masks(struct vap_matrix_dev *md, struct vap_mdev *m)
{
	if (md->bus_ops->owned_by_def_drv(md->bus, &m->matrix.apm, &m->matrix.aqm))
		return -EADDRNOTAVAIL;
	return vap_verify_no_sharing(md, m, &m->matrix.apm, &m->matrix.aqm);
}

/* ---- per-mdev stores (§2.4) -------------------------------------------------- */

enum vap_dim { VAP_ADAPTER, VAP_DOMAIN, VAP_CDOM };

static struct apbm *vap_dim_mask(struct vap_matrix *mx, enum vap_dim dim)
{
	return dim == VAP_ADAPTER ? &mx->apm : dim == VAP_DOMAIN ? &mx->aqm : &mx->adm;
}

static unsigned int vap_dim_max(const struct vap_matrix *mx, enum vap_dim dim)
{
	return dim == VAP_ADAPTER ? mx->apm_max : dim == VAP_DOMAIN ? mx->aqm_max : mx->adm_max;
}

/* Parse an ID and range-check it against the mdev's maximum. */
static int vap_parse_id(const struct vap_mdev *m, enum vap_dim dim, const char *buf,
			size_t count, unsigned int *id)
{
	u64 val;
	int rc = aptxt_kstrtoul(buf, count, &val);

	if (rc)
		return rc;
	if (val > vap_dim_max(&m->matrix, dim))
		return -ENODEV;
	*id = (unsigned int)val;
	return 0;
}

/* The qtable for what assigning @id links (the ID is in the matrix already). */
static int vap_assign_prepare(struct vap_matrix_dev *md, struct vap_mdev *m, enum vap_dim dim,
			      unsigned int id)
{
	struct apbm one;

	apbm_zero(&one);
	apbm_set(&one, id);
	if (dim == VAP_ADAPTER)
		return vap_qtable_prepare(md, m, &one, &m->matrix.aqm);
	return vap_qtable_prepare(md, m, &m->matrix.apm, &one);
}

/*
 * assign_adapter / assign_domain: lock, parse, range check, no-op if set,
 * set, validate the whole matrix, allocate the qtable if the first queue
 * gets linked (roll back on error: -ENOMEM comes after the validation
 * errors), link, filter, plug.
 */
static long vap_assign_store(struct vap_matrix_dev *md, struct vap_mdev *m, enum vap_dim dim,
			     const char *buf, size_t count)
{
	struct apbm *mask = vap_dim_mask(&m->matrix, dim);
	unsigned int id;
	long ret;

	get_attr_locks_for_mdev(md, m);
	ret = vap_parse_id(m, dim, buf, count, &id);
	if (ret)
		goto done;
	ret = (long)count;
	if (apbm_test(mask, id))
		goto done;
	apbm_set(mask, id);
	ret = vap_validate_masks(md, m);
	if (!ret)
		ret = vap_assign_prepare(md, m, dim, id);
	if (ret) {
		apbm_clear(mask, id);
		goto done;
	}
	if (dim == VAP_ADAPTER)
		vap_link_adapter(md, m, id);
	else
		vap_link_domain(md, m, id);
	vap_filter_and_plug(md, m, false);
	ret = (long)count;
done:
	vap_qtable_trim(m);
	release_attr_locks_for_mdev(md, m);
	return ret;
}

static long vap_unassign_store(struct vap_matrix_dev *md, struct vap_mdev *m, enum vap_dim dim,
			       const char *buf, size_t count)
{
	struct apbm *mask = vap_dim_mask(&m->matrix, dim);
	struct apbm one;
	unsigned int id;
	long ret;

	get_update_locks_for_mdev(md, m);
	ret = vap_parse_id(m, dim, buf, count, &id);
	if (ret)
		goto done;
	ret = (long)count;
	if (!apbm_test(mask, id))
		goto done;
	apbm_clear(mask, id);
	apbm_zero(&one);
	apbm_set(&one, id);
	if (dim == VAP_ADAPTER)
		vap_hot_unplug_adapters(md, m, &one);
	else
		vap_hot_unplug_domains(md, m, &one);
	vap_qtable_trim(m);
done:
	release_update_locks_for_mdev(md, m);
	return ret;
}

long vap_assign_adapter_store(struct vap_matrix_dev *md, struct vap_mdev *m,
			      const char *buf, size_t count)
{
	return vap_assign_store(md, m, VAP_ADAPTER, buf, count);
}

long vap_unassign_adapter_store(struct vap_matrix_dev *md, struct vap_mdev *m,
				const char *buf, size_t count)
{
	return vap_unassign_store(md, m, VAP_ADAPTER, buf, count);
}

long vap_assign_domain_store(struct vap_matrix_dev *md, struct vap_mdev *m,
			     const char *buf, size_t count)
{
	return vap_assign_store(md, m, VAP_DOMAIN, buf, count);
}

long vap_unassign_domain_store(struct vap_matrix_dev *md, struct vap_mdev *m,
			       const char *buf, size_t count)
{
	return vap_unassign_store(md, m, VAP_DOMAIN, buf, count);
}

/* Control domains: no reservation or sharing checks (§2.4). */
long vap_assign_control_domain_store(struct vap_matrix_dev *md, struct vap_mdev *m,
				     const char *buf, size_t count)
{
	unsigned int id;
	long ret;

	get_update_locks_for_mdev(md, m);
	ret = vap_parse_id(m, VAP_CDOM, buf, count, &id);
	if (ret)
		goto done;
	ret = (long)count;
	if (apbm_test(&m->matrix.adm, id))
		goto done;
	apbm_set(&m->matrix.adm, id);
	if (vap_filter_cdoms(md, m))
		vap_update_guest_apcb(md, m);
done:
	release_update_locks_for_mdev(md, m);
	return ret;
}

/* No queue reset: control domains have no queues. */
long vap_unassign_control_domain_store(struct vap_matrix_dev *md, struct vap_mdev *m,
				       const char *buf, size_t count)
{
	unsigned int id;
	long ret;

	get_update_locks_for_mdev(md, m);
	ret = vap_parse_id(m, VAP_CDOM, buf, count, &id);
	if (ret)
		goto done;
	ret = (long)count;
	apbm_clear(&m->matrix.adm, id);
	if (apbm_test(&m->shadow.adm, id)) {
		apbm_clear(&m->shadow.adm, id);
		vap_update_guest_apcb(md, m);
	}
done:
	release_update_locks_for_mdev(md, m);
	return ret;
}

/* ap_matrix_overflow_check(): a set bit above a maximum gives -ENODEV. */
static int vap_overflow_check(const struct vap_matrix *mx)
{
	if (apbm_next(&mx->apm, mx->apm_max + 1) < APBM_BITS ||
	    apbm_next(&mx->aqm, mx->aqm_max + 1) < APBM_BITS ||
	    apbm_next(&mx->adm, mx->adm_max + 1) < APBM_BITS)
		return -ENODEV;
	return 0;
}

/*
 * The qtable for what ap_config links: (added adapters x new domains) and
 * (new adapters x added domains).
 */
static int vap_ap_config_prepare(struct vap_matrix_dev *md, struct vap_mdev *m,
				 const struct vap_matrix *old, const struct vap_matrix *new)
{
	struct apbm add;
	int ret;

	apbm_andnot(&add, &new->apm, &old->apm);
	ret = vap_qtable_prepare(md, m, &add, &new->aqm);
	if (ret)
		return ret;
	apbm_andnot(&add, &new->aqm, &old->aqm);
	return vap_qtable_prepare(md, m, &new->apm, &add);
}

/* Link what ap_config added, then filter adapters, domains and cdoms. */
static void vap_ap_config_apply(struct vap_matrix_dev *md, struct vap_mdev *m,
				const struct vap_matrix *old, const struct vap_matrix *new)
{
	struct apbm rem_apm, rem_aqm, add_apm, add_aqm;
	unsigned int id;

	apbm_andnot(&rem_apm, &old->apm, &new->apm);
	apbm_andnot(&rem_aqm, &old->aqm, &new->aqm);
	apbm_andnot(&add_apm, &new->apm, &old->apm);
	apbm_andnot(&add_aqm, &new->aqm, &old->aqm);
	/* unplug against the old matrix, as upstream does */
	vap_hot_unplug_adapters(md, m, &rem_apm);
	vap_hot_unplug_domains(md, m, &rem_aqm);
	m->matrix = *new;
	apbm_for_each(id, &add_apm)
		vap_link_adapter(md, m, id);
	apbm_for_each(id, &add_aqm)
		vap_link_domain(md, m, id);
	vap_filter_and_plug(md, m, true);
}

/*
 * ap_config store (§4.5.3): parse, install tentatively, validate
 * (EADDRNOTAVAIL, EADDRINUSE), overflow (ENODEV); on error restore; the
 * qtable if the first queue gets linked (ENOMEM, upstream's first error
 * for its own allocations); then unplug removals, link additions, filter
 * and plug in one update.
 */
long vap_ap_config_store(struct vap_matrix_dev *md, struct vap_mdev *m,
			 const char *buf, size_t count)
{
	struct vap_matrix old, new;
	long ret;

	get_attr_locks_for_mdev(md, m);
	old = m->matrix;
	new = old;
	ret = aptxt_parse_ap_config(buf, count, &new.apm, &new.aqm, &new.adm);
	if (ret)
		goto done;
	m->matrix = new;
	ret = vap_validate_masks(md, m);
	if (!ret)
		ret = vap_overflow_check(&m->matrix);
	m->matrix = old;
	if (!ret)
		ret = vap_ap_config_prepare(md, m, &old, &new);
	if (ret)
		goto done;
	vap_ap_config_apply(md, m, &old, &new);
	ret = (long)count;
done:
	vap_qtable_trim(m);
	release_attr_locks_for_mdev(md, m);
	return ret;
}

/* matrix / guest_matrix / control_domains: a snapshot under mdevs_lock */
static struct vap_matrix vap_snapshot(struct vap_matrix_dev *md, const struct vap_matrix *mx)
{
	struct vap_matrix copy;

	apc_mutex_lock(&md->mdevs_lock);
	copy = *mx;
	apc_mutex_unlock(&md->mdevs_lock);
	return copy;
}

/* Read without a lock upstream; a torn read is not worth modelling. */
int vap_ap_config_show(struct vap_matrix_dev *md, struct vap_mdev *m, char *buf)
{
	struct vap_matrix mx = vap_snapshot(md, &m->matrix);

	return aptxt_format_ap_config(&mx.apm, &mx.aqm, &mx.adm, buf);
}

int vap_matrix_show(struct vap_matrix_dev *md, struct vap_mdev *m, char *buf)
{
	struct vap_matrix mx = vap_snapshot(md, &m->matrix);

	return aptxt_format_matrix(&mx.apm, mx.apm_max, &mx.aqm, mx.aqm_max, buf);
}

int vap_guest_matrix_show(struct vap_matrix_dev *md, struct vap_mdev *m, char *buf)
{
	struct vap_matrix mx = vap_snapshot(md, &m->shadow);

	return aptxt_format_matrix(&mx.apm, mx.apm_max, &mx.aqm, mx.aqm_max, buf);
}

int vap_control_domains_show(struct vap_matrix_dev *md, struct vap_mdev *m, char *buf)
{
	struct vap_matrix mx = vap_snapshot(md, &m->matrix);

	return aptxt_format_domains(&mx.adm, mx.adm_max, buf);
}

bool vap_features_visible(const struct vap_matrix_dev *md)
{
	return ap_profile_has(md->profile, AP_FEAT_MATRIX_FEATURES);
}

int vap_features_show(struct vap_matrix_dev *md, char *buf)
{
	static const char features[] = "guest_matrix hotplug ap_config\n";

	memcpy(buf, features, sizeof(features));
	return (int)sizeof(features) - 1;
}

/* ---- mdev life cycle (§2.3) ---------------------------------------------- */

/* list_add(): the newest mdev first, so conflicts name the newest one. */
static void vap_mdev_list_add(struct vap_matrix_dev *md, struct vap_mdev *m)
{
	m->next = md->mdev_list;
	if (m->next)
		m->next->pprev = &m->next;
	m->pprev = &md->mdev_list;
	md->mdev_list = m;
}

/* list_del(): O(1), so removing 65536 mdevs is not 2^31 list steps. */
static void vap_mdev_list_del(struct vap_matrix_dev *md, struct vap_mdev *m)
{
	*m->pprev = m->next;
	if (m->next)
		m->next->pprev = m->pprev;
	m->next = NULL;
	m->pprev = NULL;
}

/* vfio_ap_mdev_probe(): matrix and shadow empty, maxima from info. */
int vap_mdev_probe(struct vap_matrix_dev *md, const u8 uuid[16], struct vap_mdev **out)
{
	struct vap_mdev *m = apc_zalloc(sizeof(*m));

	if (!m)
		return -ENOMEM;
	memcpy(m->uuid, uuid, 16);
	aptxt_format_uuid(uuid, m->name);
	get_update_locks_for_mdev(md, NULL);
	vap_matrix_init_max(&md->info, &m->matrix);
	vap_matrix_init_max(&md->info, &m->shadow);
	vap_mdev_list_add(md, m);
	release_update_locks_for_mdev(md, NULL);
	*out = m;
	return 0;
}

/*
 * vfio_ap_mdev_remove() once the vfio device is closed: reset and unlink
 * every linked queue, drop the mdev from the list, free it.
 */
int vap_mdev_remove(struct vap_matrix_dev *md, struct vap_mdev *m)
{
	unsigned int apid, apqi;

	get_update_locks_for_mdev(md, NULL);
	if (m->open) {
		release_update_locks_for_mdev(md, NULL);
		return -EBUSY;
	}
	vap_reset_all_linked(md, m);
	for (apid = 0; apid < APBM_BITS && m->nr_linked; apid++)
		apbm_for_each(apqi, &m->linked[apid])
			vap_unlink_queue(md, m, apid, apqi);
	vap_qtable_trim(m);
	vap_mdev_list_del(md, m);
	release_update_locks_for_mdev(md, NULL);
	apc_free(m);
	return 0;
}

/* ---- AP driver callbacks (§3.3, §4.6, §4.7) ------------------------------- */

int vap_queue_probe(struct vap_matrix_dev *md, unsigned int apid, unsigned int apqi)
{
	struct vap_mdev *m = get_update_locks_by_apqn(md, apid, apqi);
	struct vap_queue *q = &md->queues[apid][apqi];
	int ret = m ? vap_qtable_prepare(md, m, NULL, NULL) : 0;

	if (ret) {
		/* as upstream's kzalloc() of the queue: not bound, nothing changed */
		release_update_locks_for_mdev(md, m);
		return ret;
	}
	q->bound = true;
	q->mdev = NULL;
	vap_set_reset_rc(md, apid, apqi, AP_RC_NORMAL);
	if (m) {
		vap_link_queue(md, m, apid, apqi);
		vap_qtable_trim(m);
		/* a host config addition is in flight: on_scan_complete plugs */
		if (apbm_empty(&m->apm_add) && apbm_empty(&m->aqm_add))
			vap_filter_and_plug(md, m, false);
	}
	release_update_locks_for_mdev(md, m);
	return 0;
}

void vap_queue_remove(struct vap_matrix_dev *md, unsigned int apid, unsigned int apqi)
{
	struct vap_mdev *m = get_update_locks_for_queue(md, apid, apqi);
	struct vap_queue *q = &md->queues[apid][apqi];

	if (m && apbm_test(&m->shadow.apm, apid) && apbm_test(&m->shadow.aqm, apqi)) {
		/* single queues cannot be unplugged: the adapter goes */
		apbm_clear(&m->shadow.apm, apid);
		vap_update_guest_apcb(md, m);
		vap_reset_queues_for_apid(md, m, apid);
	} else if (apbm_test(&md->info.apm, apid) && apbm_test(&md->info.aqm, apqi)) {
		/* outside the host config the ZAPQ would only fail with rc 01 */
		vap_reset_queue(md, apid, apqi);
	}
	if (m) {
		vap_unlink_queue(md, m, apid, apqi);
		vap_qtable_trim(m);
	}
	q->bound = false;
	q->mdev = NULL;
	release_update_locks_for_mdev(md, m);
}

int vap_resource_in_use(struct vap_matrix_dev *md, const struct apbm *apm, const struct apbm *aqm)
{
	int ret;

	get_update_locks_for_mdev(md, NULL);
	ret = vap_verify_no_sharing(md, NULL, apm, aqm);
	release_update_locks_for_mdev(md, NULL);
	return ret;
}

/*
 * 6.0-7.0 lock the kvm of every mdev a host configuration change visits
 * without asking whether there is one: the kernel oopses.  The engine goes
 * on as the fixed kernels do and says so in the log (AP_BUG_CFG_NULL_KVM).
 */
static void vap_note_null_kvm(struct vap_matrix_dev *md, struct vap_mdev *m, const char *fn)
{
	char msg[VAP_LOG_MAX];

	if (m->kvm || !ap_profile_bug(md->profile, AP_BUG_CFG_NULL_KVM))
		return;
	snprintf(msg, sizeof(msg),
		 "apvirt model: Linux %s dereferences a NULL kvm pointer here (%s); not modelled",
		 md->profile->name, fn);
	vap_log(md, VAP_LOG_WARN, m, msg);
}

/*
 * Clear @rem from one dimension of the shadow (vfio_ap_mdev_hot_unplug_cfg()).
 * Return: whether the guest must be updated: the fix asks whether the shadow
 * changed; upstream to 7.0, bitmap_andnot()'s "is the result non-empty" was taken
 * for that (AP_BUG_HOT_UNPLUG_CFG_NONEMPTY): removing a guest's last
 * adapter left its CRYCB alone, removing a filtered one updated it anyway.
 */
static bool vap_unplug_cfg_dim(struct vap_matrix_dev *md, struct apbm *shadow,
			       const struct apbm *rem)
{
	bool had;

	if (ap_profile_bug(md->profile, AP_BUG_HOT_UNPLUG_CFG_NONEMPTY))
		return !apbm_empty(rem) && apbm_andnot(shadow, shadow, rem);
	had = apbm_intersects(shadow, rem);
	apbm_andnot(shadow, shadow, rem);
	return had;
}

/* Per-mdev step of a config removal: clear vanished IDs from the shadow. */
static void vap_cfg_remove_mdev(struct vap_matrix_dev *md, struct vap_mdev *m,
				const struct apbm *aprem, const struct apbm *aqrem,
				const struct apbm *cdrem)
{
	bool update;

	update = vap_unplug_cfg_dim(md, &m->shadow.apm, aprem);
	update |= vap_unplug_cfg_dim(md, &m->shadow.aqm, aqrem);
	update |= vap_unplug_cfg_dim(md, &m->shadow.adm, cdrem);
	/* no filtering, no reset: the queues vanish in the scan */
	if (update)
		vap_update_guest_apcb(md, m);
}

/*
 * The control domains of a removal that concern @m: those it holds.  Up to
 * 7.0, vfio_ap_mdev_cfg_remove() took those it does NOT hold (AND-NOT for
 * AND, AP_BUG_CFG_REMOVE_CDOM_ANDNOT): an assigned control domain stayed in
 * the guest, and every other mdev got a no-op update.
 */
static bool vap_cfg_remove_cdoms(struct vap_matrix_dev *md, struct vap_mdev *m,
				 const struct apbm *cdrem, struct apbm *c)
{
	if (ap_profile_bug(md->profile, AP_BUG_CFG_REMOVE_CDOM_ANDNOT))
		return apbm_andnot(c, cdrem, &m->matrix.adm);
	return apbm_and(c, cdrem, &m->matrix.adm);
}

/* vfio_ap_filter_apid_by_qtype(): drop added adapters below CEX4 or unknown. */
static void vap_filter_apid_by_qtype(struct vap_matrix_dev *md, struct apbm *apm,
				     const struct apbm *aqm)
{
	unsigned int apid, apqi;
	int rc, type;

	apbm_for_each(apid, apm) {
		apbm_for_each(apqi, aqm) {
			type = 0;
			rc = md->bus_ops->tapq(md->bus, apid, apqi, &type);
			switch (rc) {
			case AP_RC_NORMAL:
			case AP_RC_RESET_IN_PROGRESS:
			case AP_RC_DECONFIGURED:
			case AP_RC_CHECKSTOPPED:
			case AP_RC_BUSY:
				/* the APQN is valid: the type decides */
				if (type >= AP_TYPE_CEX4)
					continue;
				break;
			default:
				/* the type cannot be determined */
				break;
			}
			apbm_clear(apm, apid);
			break;
		}
	}
}

void vap_on_config_changed(struct vap_matrix_dev *md, const struct ap_qci *cur,
			   const struct ap_qci *prev)
{
	struct apbm aprem, aqrem, cdrem, apadd, aqadd, cdadd, a, q, c;
	bool rem, add, touched;
	struct vap_mdev *m;

	lock_mdev_list(md);
	rem = apbm_andnot(&aprem, &prev->apm, &cur->apm);
	rem |= apbm_andnot(&aqrem, &prev->aqm, &cur->aqm);
	rem |= apbm_andnot(&cdrem, &prev->adm, &cur->adm);
	add = apbm_andnot(&apadd, &cur->apm, &prev->apm);
	add |= apbm_andnot(&aqadd, &cur->aqm, &prev->aqm);
	add |= apbm_andnot(&cdadd, &cur->adm, &prev->adm);
	if (add && md->mdev_list)
		vap_filter_apid_by_qtype(md, &apadd, &aqadd);
	for (m = md->mdev_list; m; m = m->next) {
		lock_mdev_in_list(md, m);
		if (rem) {
			vap_note_null_kvm(md, m, "vfio_ap_mdev_cfg_remove");
			touched = apbm_and(&a, &aprem, &m->matrix.apm);
			touched |= apbm_and(&q, &aqrem, &m->matrix.aqm);
			touched |= vap_cfg_remove_cdoms(md, m, &cdrem, &c);
			if (touched)
				vap_cfg_remove_mdev(md, m, &a, &q, &c);
		}
		if (add) {
			apbm_and(&m->apm_add, &m->matrix.apm, &apadd);
			apbm_and(&m->aqm_add, &m->matrix.aqm, &aqadd);
			apbm_and(&m->adm_add, &m->matrix.adm, &cdadd);
		}
		unlock_mdev_in_list(md, m);
	}
	apc_mutex_lock(&md->mdevs_lock);
	md->info = *cur;
	apc_mutex_unlock(&md->mdevs_lock);
	unlock_mdev_list(md);
}

/* Plug what a host config addition brought, once per mdev. */
static void vap_scan_complete_mdev(struct vap_matrix_dev *md, struct vap_mdev *m)
{
	struct apbm filtered;
	bool changed = false;

	apbm_zero(&filtered);
	if (!apbm_empty(&m->apm_add) || !apbm_empty(&m->aqm_add))
		changed = vap_filter_matrix(md, m, &filtered);
	if (!apbm_empty(&m->adm_add))
		changed |= vap_filter_cdoms(md, m);
	if (changed)
		vap_update_guest_apcb(md, m);
	vap_reset_queues_for_apids(md, m, &filtered);
	apbm_zero(&m->apm_add);
	apbm_zero(&m->aqm_add);
	apbm_zero(&m->adm_add);
}

void vap_on_scan_complete(struct vap_matrix_dev *md, const struct ap_qci *cur,
			  const struct ap_qci *prev)
{
	struct vap_mdev *m;

	lock_mdev_list(md);
	for (m = md->mdev_list; m; m = m->next) {
		if (apbm_empty(&m->apm_add) && apbm_empty(&m->aqm_add) && apbm_empty(&m->adm_add))
			continue;
		lock_mdev_in_list(md, m);
		vap_note_null_kvm(md, m, "vfio_ap_mdev_hot_plug_cfg");
		vap_scan_complete_mdev(md, m);
		unlock_mdev_in_list(md, m);
	}
	unlock_mdev_list(md);
}

/* status (§2.5): the owner is found by matrix bits, not by the link. */
int vap_queue_status_show(struct vap_matrix_dev *md, unsigned int apid, unsigned int apqi,
			  char *buf)
{
	const char *s = "unassigned\n";
	struct vap_mdev *m;

	get_update_locks_for_mdev(md, NULL);
	m = vap_find_owner(md, apid, apqi);
	if (m) {
		if (m->kvm && apbm_test(&m->shadow.apm, apid) && apbm_test(&m->shadow.aqm, apqi))
			s = "in use\n";
		else
			s = "assigned\n";
	}
	release_update_locks_for_mdev(md, NULL);
	return snprintf(buf, APC_PAGE_SIZE, "%s", s);
}

/* ---- VFIO device (§2.6, §4.8) ------------------------------------------------- */

int vap_mdev_open(struct vap_matrix_dev *md, struct vap_mdev *m, struct ap_kvm *kvm)
{
	int ret = 0;

	if (!kvm)
		return -EINVAL;
	if (!kvm->has_crycb) {
		/* no crypto block: open succeeds, nothing is attached */
		get_update_locks_for_mdev(md, NULL);
		ret = m->open ? -EBUSY : 0;
		m->open = true;
		release_update_locks_for_mdev(md, NULL);
		return ret;
	}
	get_update_locks_for_kvm(md, kvm);
	if (m->open)
		ret = -EBUSY;
	else if (kvm->pqap_hook)
		ret = -EPERM;
	if (!ret) {
		kvm->pqap_hook = m;
		if (kvm->ops->set_pqap_hook)
			kvm->ops->set_pqap_hook(kvm, m);
		m->kvm = kvm;
		m->open = true;
		vap_update_guest_apcb(md, m);
	}
	release_update_locks_for_kvm(md, kvm);
	return ret;
}

void vap_mdev_close(struct vap_matrix_dev *md, struct vap_mdev *m)
{
	struct ap_kvm *kvm;

	lock_mdev_list(md);	/* the kvm pointer changes only under it */
	kvm = m->kvm;
	unlock_mdev_list(md);
	if (!kvm) {
		get_update_locks_for_mdev(md, NULL);
		m->open = false;
		release_update_locks_for_mdev(md, NULL);
		return;
	}
	get_update_locks_for_kvm(md, kvm);
	kvm->pqap_hook = NULL;
	if (kvm->ops->set_pqap_hook)
		kvm->ops->set_pqap_hook(kvm, NULL);
	kvm->ops->clear_masks(kvm);
	vap_reset_all_linked(md, m);
	m->kvm = NULL;
	m->open = false;
	release_update_locks_for_kvm(md, kvm);
}

void vap_mdev_request(struct vap_matrix_dev *md, struct vap_mdev *m, unsigned int count)
{
	char msg[VAP_LOG_MAX];

	/* before 6.5 vfio_ap has no .request: the vfio core only waits */
	if (!ap_profile_has(md->profile, AP_FEAT_REQ_IRQ))
		return;
	get_update_locks_for_mdev(md, m);
	if (m->kvm) {
		m->kvm->ops->clear_masks(m->kvm);
		vap_signal(md, m, VAP_CFG_CHG_IRQ_INDEX, m->cfg_chg_trigger);
	}
	if (m->req_trigger) {
		if (!(count % 10)) {
			snprintf(msg, sizeof(msg), "Relaying device request to user (#%u)", count);
			vap_log(md, VAP_LOG_NOTICE, m, msg);
		}
		vap_signal(md, m, VAP_REQ_IRQ_INDEX, m->req_trigger);
	} else if (count == 0) {
		vap_log(md, VAP_LOG_NOTICE, m,
			"No device request registered, blocked until released by user");
	}
	release_update_locks_for_mdev(md, m);
}

unsigned int vap_mdev_num_irqs(const struct vap_matrix_dev *md)
{
	if (!ap_profile_has(md->profile, AP_FEAT_REQ_IRQ))
		return 0;
	return ap_profile_has(md->profile, AP_FEAT_CFG_CHG_IRQ) ? 2 : 1;
}

int vap_mdev_get_irq_info(const struct vap_matrix_dev *md, unsigned int index,
			  u32 *count, u32 *flags)
{
	/* before 6.5 the ioctl falls to vfio_ap_mdev_ioctl()'s default case */
	if (!ap_profile_has(md->profile, AP_FEAT_REQ_IRQ))
		return -EOPNOTSUPP;
	if (index >= vap_mdev_num_irqs(md))
		return -EINVAL;
	*count = 1;
	*flags = VAP_IRQ_INFO_EVENTFD;
	return 0;
}

int vap_mdev_set_irq(struct vap_matrix_dev *md, struct vap_mdev *m, unsigned int index,
		     void *trigger)
{
	int ret = 0;

	/* before 6.5: no SET_IRQS case, the ioctl's default answers */
	if (!ap_profile_has(md->profile, AP_FEAT_REQ_IRQ))
		return -EOPNOTSUPP;
	apc_mutex_lock(&md->mdevs_lock);
	if (index == VAP_REQ_IRQ_INDEX)
		m->req_trigger = trigger;
	else if (index == VAP_CFG_CHG_IRQ_INDEX &&
		 ap_profile_has(md->profile, AP_FEAT_CFG_CHG_IRQ))
		m->cfg_chg_trigger = trigger;
	else
		ret = -EINVAL;
	apc_mutex_unlock(&md->mdevs_lock);
	return ret;
}

int vap_mdev_reset(struct vap_matrix_dev *md, struct vap_mdev *m)
{
	int ret;

	apc_mutex_lock(&md->mdevs_lock);
	ret = vap_reset_all_linked(md, m);
	apc_mutex_unlock(&md->mdevs_lock);
	return ret;
}

/* AQIC hook (§4.11): rc 01 unless the queue is linked to the attached mdev. */
int vap_mdev_aqic(struct vap_matrix_dev *md, struct vap_mdev *m, unsigned int apid,
		  unsigned int apqi, int (*aqic)(void *arg), void *arg)
{
	int rc = AP_RC_Q_NOT_AVAIL;

	apc_mutex_lock(&md->mdevs_lock);
	if (m->kvm && vap_is_linked(m, apid, apqi))
		rc = aqic(arg);
	apc_mutex_unlock(&md->mdevs_lock);
	return rc;
}

/* ---- driver tables ------------------------------------------------------------ */

static int vap_drv_probe(void *drv, unsigned int apid, unsigned int apqi)
{
	return vap_queue_probe(drv, apid, apqi);
}

static void vap_drv_remove(void *drv, unsigned int apid, unsigned int apqi)
{
	vap_queue_remove(drv, apid, apqi);
}

static int vap_drv_in_use(void *drv, const struct apbm *apm, const struct apbm *aqm)
{
	return vap_resource_in_use(drv, apm, aqm);
}

static void vap_drv_on_config_changed(void *drv, const struct ap_qci *cur,
				      const struct ap_qci *prev)
{
	vap_on_config_changed(drv, cur, prev);
}

static void vap_drv_on_scan_complete(void *drv, const struct ap_qci *cur,
				     const struct ap_qci *prev)
{
	vap_on_scan_complete(drv, cur, prev);
}

static int vap_drv_queue_status_show(void *drv, unsigned int apid, unsigned int apqi, char *buf)
{
	return vap_queue_status_show(drv, apid, apqi, buf);
}

/* vfio_ap_drv: what the AP bus calls (struct ap_driver). */
const struct ap_driver_ops vap_ap_driver_ops = {
	.probe = vap_drv_probe,
	.remove = vap_drv_remove,
	.in_use = vap_drv_in_use,
	.on_config_changed = vap_drv_on_config_changed,
	.on_scan_complete = vap_drv_on_scan_complete,
	.queue_status_show = vap_drv_queue_status_show,
};

static int vap_parent_probe(void *parent, const u8 uuid[16], void **drvdata)
{
	struct vap_mdev *m;
	int rc = vap_mdev_probe(parent, uuid, &m);

	if (!rc)
		*drvdata = m;
	return rc;
}

static int vap_parent_remove(void *parent, void *drvdata)
{
	return vap_mdev_remove(parent, drvdata);
}

/* vfio_ap_matrix_driver: what the mdev core calls (struct mdev_driver). */
const struct mdev_parent_ops vap_mdev_parent_ops = {
	.probe = vap_parent_probe,
	.remove = vap_parent_remove,
};

/* ---- life cycle ----------------------------------------------------------------- */

static void vap_matrix_dev_free(struct vap_matrix_dev *md)
{
	apc_free(md->queues);
	apc_free(md->rc_ok);
	apc_free(md->scratch);
	apc_free(md);
}

struct vap_matrix_dev *vap_matrix_dev_create(const struct ap_qci *info,
					     const struct ap_profile *profile,
					     const struct ap_bus_ops *bus_ops, void *bus,
					     const struct vap_env_ops *env_ops, void *env)
{
	struct vap_matrix_dev *md = apc_zalloc(sizeof(*md));

	if (!md)
		return NULL;
	md->queues = apc_zalloc(sizeof(*md->queues) * APBM_BITS);
	md->rc_ok = apc_zalloc(sizeof(*md->rc_ok) * APBM_BITS);
	md->scratch = apc_zalloc(sizeof(*md->scratch) * APBM_BITS);
	if (!md->queues || !md->rc_ok || !md->scratch) {
		vap_matrix_dev_free(md);
		return NULL;
	}
	apc_mutex_init(&md->guests_lock, APC_RANK_GUESTS);
	apc_mutex_init(&md->mdevs_lock, APC_RANK_MDEVS);
	if (info)
		md->info = *info;	/* without facility 12 it stays zero */
	md->profile = profile ? profile : ap_profile_default();
	md->bus_ops = bus_ops;
	md->bus = bus;
	md->env_ops = env_ops;
	md->env = env;
	return md;
}

void vap_matrix_dev_destroy(struct vap_matrix_dev *md)
{
	if (!md)
		return;
	/* the mdev core removes its devices before the parent goes */
	WARN_ON_ONCE(md->mdev_list);
	while (md->mdev_list) {
		struct vap_mdev *m = md->mdev_list;

		if (m->open)
			vap_mdev_close(md, m);
		vap_mdev_remove(md, m);
	}
	apc_mutex_destroy(&md->guests_lock);
	apc_mutex_destroy(&md->mdevs_lock);
	vap_matrix_dev_free(md);
}
