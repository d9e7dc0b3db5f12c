/* SPDX-License-Identifier: GPL-2.0 */
/*
 * harness.h - the small self-contained harness of the sysfs ABI
 * conformance suite (docs/kernel-abi.md §9).
 *
 * The suite talks to its target only through files: the sysfs tree under
 * CONFORMANCE_SYSFS_ROOT (apsim's DIR/sys, the test VM's /sys, a real
 * s390 host's /sys) with plain open/read/write/readlink/stat, and an
 * optional control command CONFORMANCE_CTL that speaks the words of
 * docs/apsim.1 (CONTROL COMMANDS) (host config changes, guest attach/detach, CRYCB
 * readout, kernel log).  It never links the engine.
 *
 * Test life cycle: every test function runs with an empty cleanup list.
 * Whatever it changes on the shared target it undoes through ct_defer_*();
 * the deferred actions run after the test, pass or fail, grouped by phase
 * (guests are detached before mdevs are removed, mdevs are removed before
 * queues are re-bound, queues are re-bound before masks are restored,
 * masks before the hardware is restored), last-in first-out within a phase.
 * A failing cleanup fails the test, so leaked state is never silent.
 *
 * Assertions record the first failure of a test ("expected X got Y") and
 * return false; tests return as soon as one fails (CT_TRY).
 */
#ifndef APVIRT_TESTS_CONFORMANCE_HARNESS_H
#define APVIRT_TESTS_CONFORMANCE_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CT_PAGE		4096
#define CT_UUID_LEN	36

/* Well-known sysfs locations, relative to the sysfs root. */
#define MATRIX_DIR	"devices/vfio_ap/matrix"
#define TYPE_DIR	MATRIX_DIR "/mdev_supported_types/vfio_ap-passthrough"
#define AP_BUS		"bus/ap"

#define CT_PRINTF(a, b)	__attribute__((format(printf, a, b)))
#define CT_WUR		__attribute__((warn_unused_result))

/* ---- ID sets: 256-bit bitmaps indexed by APID/APQI -------------------- */

struct idset {
	uint64_t w[4];
};

void idset_clear(struct idset *s);
void idset_add(struct idset *s, unsigned int id);
void idset_del(struct idset *s, unsigned int id);
bool idset_has(const struct idset *s, unsigned int id);
bool idset_empty(const struct idset *s);
bool idset_equal(const struct idset *a, const struct idset *b);
unsigned int idset_count(const struct idset *s);
/* Build a set from a list of IDs terminated by -1: IDS(3, 5, -1). */
struct idset idset_of(int first, ...);
#define IDS(...) idset_of(__VA_ARGS__, -1)
/* "0x" + 64 lowercase hex digits, MSB-first (ID 0 leftmost); 67 bytes. */
void idset_hex(const struct idset *s, char out[67]);
/* Parse "0x" + 64 hex digits (a trailing newline is tolerated). */
bool idset_parse_hex(const char *text, struct idset *out);

/*
 * Expected text of `matrix`/`guest_matrix` for these sets (§2.4): product
 * lines "%02x.%04x", or "%02x." / ".%04x" lines when one side is empty.
 */
void matrix_text(const struct idset *apm, const struct idset *aqm, char *out, size_t size);
/* Expected `control_domains`: "%04x\n" per ID. */
void domains_text(const struct idset *adm, char *out, size_t size);
/* Expected `ap_config`: three masks, 201 characters. */
void ap_config_text(const struct idset *apm, const struct idset *aqm,
		    const struct idset *adm, char *out, size_t size);

/* ---- target description ---------------------------------------------- */

struct ct_target {
	const char *root;		/* CONFORMANCE_SYSFS_ROOT */
	const char *ctl;		/* CONFORMANCE_CTL or NULL */
	bool no_skip;			/* CONFORMANCE_NO_SKIP=1: a skip fails */
	bool default_masks;		/* CONFORMANCE_DEFAULT_MASKS=1 */
	int baseline;			/* 618 or 619: the in_use rule, from kver */
	const char *kernel;		/* CONFORMANCE_KERNEL, e.g. "6.0", "fixed" */
	int kver;			/* its release as 600, 610, ..., 700 */
	bool cfg_bugs;			/* §4.7 bugs 1-4 (every upstream kernel; not "fixed") */
	unsigned int timeout;		/* per test, seconds */
	bool verbose;			/* CONFORMANCE_VERBOSE=1 */
	bool mdev_uevent_type;		/* the mdev's uevent has MDEV_TYPE= */

	/* Host as found at start-up (/sys/bus/ap). */
	bool apxa;
	unsigned int bus_max_apid, bus_max_apqi;
	unsigned int apm_max, aqm_max;	/* an mdev's maxima (§1.1) */
	struct idset cfg_apm, cfg_aqm, cfg_adm;	/* QCI masks */
	struct idset cards;		/* cardXX devices of type >= CEX4 */
	struct idset apmask, aqmask;	/* masks at start-up */
};

extern struct ct_target ct;

/*
 * The kernel the target runs, from CONFORMANCE_KERNEL ("6.0", "6.10", "6.12",
 * "6.15", "6.19", "7.0" or "fixed"; default "7.0"; the old
 * CONFORMANCE_BASELINE=6.18 means "6.15").  false: not a known kernel.
 */
bool ct_kernel_init(void);
/* Does the target's kernel have what came with release @kver (e.g. 610)? */
bool ct_kernel_has(int kver);
/*
 * Does it have the host-configuration bugs of docs/kernel-abi.md §4.7
 * (every upstream release 6.0 to 7.0; corrected only in "fixed")?
 */
bool ct_kernel_cfg_bugs(void);
/*
 * A test that needs a newer kernel than the target's does not apply: it is
 * left out of the run (it is not a skip), with *why saying what it needs.
 */
bool ct_test_applies(const char *name, const char **why);

/* Read the environment and the host; false (with a message) on error. */
bool ct_target_init(void);

/* ---- path and file primitives (return 0/length or -errno, silent) ----- */

/* Format a path relative to the sysfs root into one of a ring of buffers. */
const char *P(const char *fmt, ...) CT_PRINTF(1, 2);
/* Absolute path of a root-relative path, also from the ring. */
const char *ct_abs(const char *rel);

/* One open + one read() like a sysfs reader; NUL-terminated. */
int sysfs_read(const char *rel, char *buf, size_t size) CT_WUR;
/* One open + one write() of exactly @len bytes: 0 or -errno. */
int sysfs_write(const char *rel, const char *data, size_t len) CT_WUR;
int sysfs_write_str(const char *rel, const char *str) CT_WUR;
/* stat() / lstat(): 0 and *mode, or -errno. */
int sysfs_stat(const char *rel, unsigned int *mode) CT_WUR;
int sysfs_lstat(const char *rel, unsigned int *mode) CT_WUR;
/* readlink(): length or -errno. */
int sysfs_readlink(const char *rel, char *buf, size_t size) CT_WUR;
/* The name of the driver a device is bound to ("" when none). */
int sysfs_driver(const char *devrel, char *name, size_t size) CT_WUR;

/* ---- assertions -------------------------------------------------------- */

/* Record the first failure of the running test; always returns false. */
bool ct_fail(const char *fmt, ...) CT_PRINTF(1, 2);
/* Mark the running test skipped (with reason); returns false. */
bool ct_skip(const char *fmt, ...) CT_PRINTF(1, 2);
/* Diagnostic line "# ..." when verbose. */
void ct_note(const char *fmt, ...) CT_PRINTF(1, 2);
#define CT_TRY(x)	do { if (!(x)) return; } while (0)

bool expect(bool cond, const char *fmt, ...) CT_PRINTF(2, 3);
/* write(2) of @data (@len bytes) ends with @err (0: success). */
bool expect_write(const char *rel, const char *data, size_t len, int err);
bool expect_write_s(const char *rel, const char *str, int err);
/* The file reads exactly @text. */
bool expect_read(const char *rel, const char *text);
/* The path does not exist (lstat gives ENOENT). */
bool expect_absent(const char *rel);
/* The path exists with the given file type (S_IFDIR/S_IFREG/S_IFLNK) and,
 * if @perm is not -1, permission bits. */
bool expect_node(const char *rel, unsigned int type, int perm);
/* readlink() gives exactly @target. */
bool expect_link(const char *rel, const char *target);
/* open(O_RDONLY|O_WRONLY) fails with @err. */
bool expect_open_errno(const char *rel, int flags, int err);

/* Escape text for a diagnostic ("\n" -> "\\n"), into a ring buffer. */
const char *esc(const char *s, size_t len);
const char *errname(int err);

/* ---- deferred cleanup ------------------------------------------------- */

enum ct_phase {
	CT_PH_GUEST,	/* detach guests */
	CT_PH_MDEV,	/* remove mdevs */
	CT_PH_BIND,	/* re-bind queues, clear driver_override */
	CT_PH_MASK,	/* restore apmask/aqmask */
	CT_PH_HW,	/* restore the machine configuration */
	CT_PH_ATTR,	/* restore other attributes */
	CT_PH_NR
};

/* Write @text to @rel in phase @ph; errno @ignore (or 0) is not an error. */
void ct_defer_write(enum ct_phase ph, const char *rel, const char *text, int ignore);
/* Run a control command in phase @ph; a failure fails the test. */
void ct_defer_ctl(enum ct_phase ph, const char *fmt, ...) CT_PRINTF(2, 3);
/* The same, but a failure is ignored (e.g. "detach" of a closed device). */
void ct_defer_ctl_quiet(enum ct_phase ph, const char *fmt, ...) CT_PRINTF(2, 3);
/* Call @fn(@arg) in phase @ph; it returns false after ct_fail(). */
void ct_defer_fn(enum ct_phase ph, bool (*fn)(void *), void *arg);
/* Run all deferred actions (called by the runner after each test). */
void ct_run_cleanups(void);

/* Runner side: clear the per-test state; read the verdict after a test. */
void ct_reset_state(void);
bool ct_state_result(bool *skipped, const char **msg);

/* ---- fixtures on the target ------------------------------------------ */

/* A fresh random UUID (lowercase). */
void uuid_random(char out[CT_UUID_LEN + 1]);
/* Create an mdev with a new UUID; removal is deferred. */
bool mdev_new(char uuid[CT_UUID_LEN + 1]);
/* Number of entries in the type's devices/ directory, or -errno. */
int mdev_count(void);
/* Write @val ("%u") to <mdev>/<attr> expecting @err. */
bool mdev_attr(const char *uuid, const char *attr, unsigned int val, int err);
#define ASSIGN_A(u, id)		mdev_attr(u, "assign_adapter", id, 0)
#define ASSIGN_D(u, id)		mdev_attr(u, "assign_domain", id, 0)
#define ASSIGN_C(u, id)		mdev_attr(u, "assign_control_domain", id, 0)
#define UNASSIGN_A(u, id)	mdev_attr(u, "unassign_adapter", id, 0)
#define UNASSIGN_D(u, id)	mdev_attr(u, "unassign_domain", id, 0)
#define UNASSIGN_C(u, id)	mdev_attr(u, "unassign_control_domain", id, 0)
/* Assign every ID of the sets (adapters, then domains, then cdoms). */
bool mdev_assign_sets(const char *uuid, const struct idset *apm, const struct idset *aqm,
		      const struct idset *adm);
/* <mdev>/matrix (or guest_matrix) reads the text for these sets. */
bool expect_matrix(const char *uuid, const struct idset *apm, const struct idset *aqm);
bool expect_guest(const char *uuid, const struct idset *apm, const struct idset *aqm);

/*
 * Give IDs to vfio_ap: clear the bits from apmask/aqmask (saving the mask
 * once per test and deferring its restore).
 */
bool mask_save(const char *mask);
bool host_release(const char *mask, const struct idset *ids);
bool host_release_adapters(const struct idset *ids);
bool host_release_domains(const struct idset *ids);
/* Read a bus mask. */
bool mask_read(const char *mask, struct idset *out);

/* "<matrix dir>/<uuid>/<attr>" (ring buffer). */
#define MDEV(u, attr)	P(MATRIX_DIR "/%s/%s", (u), (attr))
/* "XX.YYYY" (ring buffer). */
const char *apqn(unsigned int apid, unsigned int apqi);
/* The APQNs of a product, space separated, ascending (ring buffer). */
const char *apqn_product(const struct idset *apm, const struct idset *aqm);
/* Queue device path "bus/ap/devices/XX.YYYY" (ring buffer). */
const char *queue_dev(unsigned int apid, unsigned int apqi);
/* Unbind a queue from its driver; re-binding it is deferred. */
bool queue_unbind(unsigned int apid, unsigned int apqi);
/* Bind a queue to @drv expecting @err. */
bool queue_bind(const char *drv, unsigned int apid, unsigned int apqi, int err);
/* The queue is bound to @drv ("" for none). */
bool expect_driver(unsigned int apid, unsigned int apqi, const char *drv);
/* The queue's status attribute reads @status ("assigned" ...). */
bool expect_status(unsigned int apid, unsigned int apqi, const char *status);

/*
 * Pick @n adapters / domains from the host configuration such that all
 * queue devices of the product exist.  Skips the test when the host is too
 * small.  @first is the index of the first one to use (to get disjoint
 * picks).
 */
bool pick_host(unsigned int na, unsigned int nd, unsigned int *apids, unsigned int *apqis);
/* An ID <= max that is not in the host configuration (nth from the top). */
bool pick_free_apid(unsigned int nth, unsigned int *apid);
bool pick_free_apqi(unsigned int nth, unsigned int *apqi);
/* A control domain in the host configuration and one outside it. */
bool pick_cdoms(unsigned int *in, unsigned int *out);

/* ---- control ---------------------------------------------------------- */

struct ct_ctl_result {
	int status;		/* exit status, -1: did not run or timed out */
	char out[65536];
	char err[4096];
};

/* Control is available (CONFORMANCE_CTL set); otherwise skip the test. */
bool need_ctl(void);
/* Run "<CTL> <words>"; result in a static buffer (valid until next call). */
const struct ct_ctl_result *ctl_run(const char *fmt, ...) CT_PRINTF(1, 2);
/* The same into a caller's buffer (for threads). */
void ctl_run_into(struct ct_ctl_result *res, const char *fmt, ...) CT_PRINTF(2, 3);
/* Run and expect success; output (or NULL after ct_fail). */
const char *ctl_ok(const char *fmt, ...) CT_PRINTF(1, 2);
/* Run and expect failure with @err (matched as strerror text in stderr). */
bool ctl_err(int err, const char *fmt, ...) CT_PRINTF(2, 3);

struct crycb {
	struct idset apm, aqm, adm;
	unsigned long updates, cfg_chg_signals, req_signals;
};
bool ctl_crycb(const char *vm, struct crycb *out);
bool expect_crycb(const char *vm, const struct idset *apm, const struct idset *aqm,
		  const struct idset *adm);
/* Attach an mdev to VM @vm; the detach is deferred. */
bool guest_attach(const char *uuid, const char *vm);
/*
 * The arrange step of the host-configuration tests: a free APID *f (not in
 * the host configuration) released to vfio_ap, assigned with one configured
 * domain to a new mdev @uuid that guest @vm has attached.  *F = {f},
 * *D = {that domain}.
 */
bool guest_on_unconfigured_adapter(const char *vm, char uuid[CT_UUID_LEN + 1], unsigned int *f,
				   struct idset *F, struct idset *D);
/* A VM name unique to this suite run. */
const char *vm_name(const char *tag);

/* Empty the kernel log / uevent list. */
bool log_clear(void);
bool uevents_clear(void);
/* Current log text (NULL after ct_fail). */
const char *log_text(void);
const char *uevents_text(void);
/* Number of lines equal to @line in @text. */
unsigned int count_lines(const char *text, const char *line);
/* Lines of @text that contain @needle. */
unsigned int count_lines_containing(const char *text, const char *needle);
/* Queues reset according to "apsim: reset queue XX.YYYY rc=0xNN" lines
 * (@rc >= 0: only those with that rc). */
void log_resets(const char *text, int rc, char *apqns, size_t size);
/* The set of reset APQNs in the log equals @expected ("03.0001 04.0001",
 * sorted ascending). */
bool expect_resets(const char *expected);

/* Wait up to @ms for the condition function to hold. */
bool wait_for(bool (*cond)(void *), void *arg, unsigned int ms);

/* ---- test table -------------------------------------------------------- */

struct ct_test {
	const char *name;
	void (*fn)(void);
	const char *items;	/* §9 items covered, for the README table */
};

/* One array per source file, terminated by {NULL}. */
extern const struct ct_test layout_tests[];
extern const struct ct_test assign_tests[];
extern const struct ct_test filter_tests[];
extern const struct ct_test apconfig_tests[];
extern const struct ct_test guest_tests[];
extern const struct ct_test bus_tests[];
extern const struct ct_test hostcfg_tests[];
extern const struct ct_test concurrency_tests[];
extern const struct ct_test zcrypt_tests[];

#endif /* APVIRT_TESTS_CONFORMANCE_HARNESS_H */
