/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fixture.h - shared cmocka fixture for the engine unit tests.
 *
 * Every test gets a fresh simulated host: an apb_bus built from an
 * apb_host_spec, a vfio_ap matrix device registered on it as the AP
 * driver, and an mdev core (kernel/ap_model/mdev_core.c) with the matrix
 * device as its parent; the fixture plays the kernel that holds them.  The fixture records everything the engine and the bus send out
 * (log lines as the kernel prints them, uevents, eventfd signals, CRYCB
 * changes, ZAPQs per APQN) so tests can assert the exact side effects of
 * one operation.  Nothing here touches the real /sys.
 *
 * The standard host (fx_spec_standard()):
 *   QCI: APSC APXA QACT, Na = Nd = 255, adapters 03-06 (CEX8C),
 *        usage domains 0-15, control domains 0-15;
 *   apmask: all ones except adapters 4, 5, 6; aqmask: all ones.
 * So every queue of adapter 3 is host-reserved (bound to cex4queue) and the
 * queues of adapters 4-6 are bound to vfio_ap.
 *
 * A test that needs another host passes a struct fx_variant as cmocka
 * prestate (FX_TEST_VARIANT); its tweak() edits the standard spec before
 * the bus is created.
 */
#ifndef APVIRT_TESTS_UNIT_FIXTURE_H
#define APVIRT_TESTS_UNIT_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vfio_ap_core.h"
#include "ap_bus_model.h"
#include "kvm_model.h"
#include "mdev_core.h"

#define FX_LINE_MAX	256
#define FX_MAX_LOG	512	/* lines kept; fx->nr_log_total counts all */
#define FX_MAX_UEVENTS	128
#define FX_MAX_KVMS	4

/* The standard UUIDs; lowercase so they double as the expected dev_name. */
#define FX_UUID1	"11111111-2222-4333-8444-555555555551"
#define FX_UUID2	"11111111-2222-4333-8444-555555555552"
#define FX_UUID3	"11111111-2222-4333-8444-555555555553"

struct fx_log_line {
	int level;		/* enum vap_log_level, or -1 for a bus line */
	char text[FX_LINE_MAX];
};

struct fx_uevent {
	char devpath[FX_LINE_MAX];
	char env[FX_LINE_MAX];
};

struct fx_variant {
	void (*tweak)(struct apb_host_spec *spec);
};

struct fx {
	struct apb_host_spec spec;
	struct apb_bus *bus;
	struct vap_matrix_dev *md;
	struct mdevc mdevc;		/* the mdev core: create, remove, instances */

	/* records, under rec_lock: the engine calls out from any thread */
	pthread_mutex_t rec_lock;
	struct fx_log_line log[FX_MAX_LOG];
	unsigned int nr_log;
	unsigned long nr_log_total;
	struct fx_uevent uevent[FX_MAX_UEVENTS];
	unsigned int nr_uevents;
	unsigned long signals[VAP_NUM_IRQS];
	void *last_trigger[VAP_NUM_IRQS];
	unsigned long crycb_changes;	/* CRYCB updates of every guest */
	unsigned int (*zapq)[APBM_BITS];	/* [apid][apqi] ZAPQs issued */

	/* eventfd stand-ins: their addresses are the triggers */
	int trigger[VAP_NUM_IRQS];

	struct kvmm_guest *kvm[FX_MAX_KVMS];
	unsigned int nr_kvms;

	char buf[APC_PAGE_SIZE + 1];
	char buf2[APC_PAGE_SIZE + 1];
};

/* ---- setup / teardown ------------------------------------------------ */

void fx_spec_standard(struct apb_host_spec *spec);
/* Make @apid a configured adapter of @raw_type (CCA functions). */
void fx_spec_add_adapter(struct apb_host_spec *spec, unsigned int apid, u8 raw_type);

int fx_setup(void **state);
int fx_teardown(void **state);

#define FX_TEST(f) \
	cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)
#define FX_TEST_VARIANT(f, variant) \
	cmocka_unit_test_prestate_setup_teardown(f, fx_setup, fx_teardown, \
						 (void *)(variant))

/* The standard host as Linux 6.0 behaves. */
extern const struct fx_variant fx_kernel_60;
/* ... and as apvirt's "fixed" kernel: the §4.7 fixes of stable kernels. */
extern const struct fx_variant fx_kernel_fixed;

/* argv[1] or $APVIRT_TEST_FILTER selects tests by name (cmocka pattern). */
void fx_apply_test_filter(int argc, char **argv);

/* ---- mdevs and their attributes -------------------------------------- */

/* Create an mdev through the mdev core (asserts success). */
struct vap_mdev *fx_mdev(struct fx *fx, const char *uuid);
/* The mdev core's "create" store: 0 and *out, or -errno. */
int fx_create(struct fx *fx, const char *buf, size_t count, struct vap_mdev **out);
/* The mdev named by @uuid (raw bytes), or NULL. */
struct vap_mdev *fx_find(struct fx *fx, const u8 uuid[16]);

/*
 * Store @text (count = strlen) / @buf[0..count) into the mdev attribute
 * @attr: assign_adapter, unassign_adapter, assign_domain, unassign_domain,
 * assign_control_domain, unassign_control_domain, ap_config, remove.
 * Returns what the store returned: count or -errno.
 */
long fx_write(struct fx *fx, struct vap_mdev *m, const char *attr, const char *text);
long fx_writen(struct fx *fx, struct vap_mdev *m, const char *attr, const char *buf,
	       size_t count);
/* Store every ID of the -1 terminated list (decimal) and assert == count. */
void fx_write_ids(struct fx *fx, struct vap_mdev *m, const char *attr, const int *ids);
#define FX_WRITE_IDS(fx, m, attr, ...) \
	fx_write_ids((fx), (m), (attr), (const int[]){ __VA_ARGS__, -1 })

/* Read matrix, guest_matrix, control_domains or ap_config: NUL-terminated. */
const char *fx_read(struct fx *fx, struct vap_mdev *m, const char *attr);

/* ---- AP bus ----------------------------------------------------------- */

long fx_bus_write(struct fx *fx, const char *attr, const char *text);
const char *fx_bus_read(struct fx *fx, const char *attr);
/* Queue "status" as vfio_ap shows it. */
const char *fx_status(struct fx *fx, unsigned int apid, unsigned int apqi);
/* /sys/bus/ap/drivers/vfio_ap/{bind,unbind}; returns count or -errno. */
long fx_vfio_bind(struct fx *fx, const char *name);
long fx_vfio_unbind(struct fx *fx, const char *name);
/* Driver of a queue device; APB_DRV_NONE also when it does not exist. */
enum apb_drv fx_queue_drv(struct fx *fx, unsigned int apid, unsigned int apqi);
bool fx_queue_exists(struct fx *fx, unsigned int apid, unsigned int apqi);
/* Is there a file @attr in the queue device's directory now? */
bool fx_queue_has_attr(struct fx *fx, unsigned int apid, unsigned int apqi, const char *attr);

/* ---- KVM -------------------------------------------------------------- */

/* The engine's handle of a model guest (NULL stays NULL). */
static inline struct ap_kvm *fx_ap(struct kvmm_guest *g)
{
	return g ? &g->kvm : NULL;
}

/* A guest owned by the fixture (destroyed in teardown). */
struct kvmm_guest *fx_kvm(struct fx *fx, bool has_crycb, bool crycb_fmt2);
/* Open the mdev with a fresh format-2 guest (asserts success). */
struct kvmm_guest *fx_attach(struct fx *fx, struct vap_mdev *m);
/* Assert the CRYCB holds exactly these IDs (-1 terminated lists). */
void fx_assert_crycb(const struct kvmm_guest *kvm, const int *apm, const int *aqm, const int *adm);
#define FX_IDS(...)	((const int[]){ __VA_ARGS__, -1 })
#define FX_NONE		((const int[]){ -1 })

/* ---- records ---------------------------------------------------------- */

/* Forget every record so far (log, uevents, signals, CRYCB changes, ZAPQs). */
void fx_clear_records(struct fx *fx);
/* Number of recorded lines exactly equal to @text at @level (-1: bus log). */
unsigned int fx_log_count(struct fx *fx, int level, const char *text);
/* Lines recorded so far (all levels, engine and bus). */
unsigned long fx_log_total(struct fx *fx);
/* Recorded uevents on @devpath whose variables are exactly @env. */
unsigned int fx_uevent_count(struct fx *fx, const char *devpath, const char *env);
/*
 * The ZAPQs since the last clear as "05.0001,05.0002" (ascending, "*N"
 * after an APQN reset N > 1 times), "" when none: one string to compare.
 */
const char *fx_resets(struct fx *fx);
unsigned long fx_zapq_total(struct fx *fx);
unsigned int fx_zapq(struct fx *fx, unsigned int apid, unsigned int apqi);

/* ---- independent oracles ---------------------------------------------- */

/* "0x" + 64 hex digits with exactly @ids set, computed without apbm/aptxt. */
char *fx_hexmask(char out[67], const int *ids);
/* A struct apbm with exactly @ids set. */
struct apbm fx_mask(const int *ids);

#endif /* APVIRT_TESTS_UNIT_FIXTURE_H */
