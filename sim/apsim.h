/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apsim.h - internal interfaces of apsim, the vfio_ap engine (kernel/core)
 * served as a FUSE tree shaped like sysfs.
 *
 * Modules:
 *   sim_state.c   the simulated host: AP bus + vfio_ap engine, the mdev and
 *                 VM registry, log and uevent buffers, fault injection
 *   sim_tree.c    the sysfs tree: path -> node, directory listings
 *   sim_fs.c      FUSE operations (sysfs open/read/write semantics)
 *   sim_ctl.c     the control file's command interpreter
 *   sim_host.c    the host description file (--host)
 *   sim_daemon.c  start (fork, mount, readiness), worker threads, stop
 *   apsim.c       command line: start, stop, ctl, --help, --version
 *
 * Lock order.  The engine's locks (ranks 5..70, ap_bus_model.h and
 * vfio_ap_core.h) come first; apsim's own locks are leaves after them:
 *
 *   [engine: dev_lock 5 -> ap_attr 10 -> guests 20 -> kvm 30 -> pqap 40
 *            -> mdevs 50 -> hw 70]
 *     -> sim->reg_lock (80)    mdev/VM registry, fault table, adapter
 *                              types; taken by engine callbacks (signal)
 *     -> sim_lines.lock (90)   log and uevent buffers; taken by engine
 *                              and bus callbacks (log, uevent, zapq)
 *
 * Both are apc_mutexes, so compat_user.c checks this order at run time: a
 * call into the engine while holding either aborts at once.  Nothing of
 * apsim is ever held across an engine call.
 */
#ifndef APVIRT_SIM_APSIM_H
#define APVIRT_SIM_APSIM_H

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <sys/types.h>

#include "ap_bus_model.h"

#define APSIM_RANK_REG		80
#define APSIM_RANK_LINES	90

#define APSIM_NAME_MAX		64	/* VM names */
#define APSIM_REQUEST_MS	100	/* default device-request period */

/* ---- growable text buffer (sim_buf.c) ------------------------------------ */

struct sim_buf {
	char *p;
	size_t len, cap;
	bool oom;		/* an append failed: the text is truncated */
};

void sim_buf_init(struct sim_buf *b);
void sim_buf_free(struct sim_buf *b);
void sim_buf_reset(struct sim_buf *b);
void sim_buf_add(struct sim_buf *b, const char *s, size_t len);
void sim_buf_printf(struct sim_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sim_buf_vprintf(struct sim_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Parse an ID as the control vocabulary takes it: C base-0, <= @max. */
int sim_parse_id(const char *s, unsigned int max, unsigned int *out);
/* Parse a VM name: [A-Za-z0-9_.-]{1,63}. */
bool sim_vm_name_ok(const char *s);
/* "type=CEX8", "CEX8", "14", "mode=ep11", "ep11": one adapter option. */
int sim_parse_adapter_opt(const char *tok, bool *is_type, u8 *raw_type, u32 *functions);
/* Functions word of a mode name (cca, ep11, accel); 0 if unknown. */
u32 sim_mode_functions(const char *mode);

/* ---- host description file (sim_host.c) ---------------------------------- */

/*
 * Fill @spec from @path (NULL: apb_default_spec()).  On error, @err gets
 * "FILE:LINE: message" and -EINVAL (or -errno for an unreadable file).
 */
int sim_host_load(const char *path, struct apb_host_spec *spec, char *err, size_t errlen);
/* The same from an open stream; @name is used in messages ("NAME:LINE: ..."). */
int sim_host_parse(FILE *f, const char *name, struct apb_host_spec *spec, char *err,
		   size_t errlen);

/* ---- the simulated host (sim_state.c) ------------------------------------ */

struct sim_lines {
	struct apc_mutex lock;
	struct sim_buf text;	/* '\n'-terminated lines */
	size_t nlines;
};

/* One eventfd registered with VFIO_DEVICE_SET_IRQS: the token the engine gets. */
struct sim_trigger {
	struct sim_mdev *owner;
	int index;
};

enum sim_mdev_state {
	SIM_MDEV_LIVE,		/* attributes and links present */
	SIM_MDEV_DYING,		/* remove in progress: only the directory is left */
	SIM_MDEV_GONE,		/* being freed: nothing can take a reference */
};

/* An mdev as the mdev core and vfio see it; the engine owns ->m. */
struct sim_mdev {
	struct sim_mdev *next;
	u64 serial;			/* tells a re-created UUID from the old one */
	u8 uuid[16];
	char name[APTXT_UUID_LEN + 1];
	struct vap_mdev *m;
	enum sim_mdev_state state;
	unsigned int refs;		/* attribute writes / ctl commands in flight */
	/* the vfio device file: open by a VM (or without KVM), or closed */
	bool vfio_open;
	bool vfio_busy;			/* attach/detach in flight */
	struct sim_vm *vm;		/* the VM that opened it (NULL: none or --no-kvm) */
	struct sim_trigger trig[VAP_NUM_IRQS];
	bool trig_set[VAP_NUM_IRQS];
	u64 signals[VAP_NUM_IRQS];
};

/* A KVM guest; lives until the daemon ends. */
struct sim_vm {
	struct sim_vm *next;
	char name[APSIM_NAME_MAX];
	struct vap_kvm kvm;
	u64 cfg_chg_signals, req_signals;
};

struct sim_fault {
	struct sim_fault *next;
	char *path;			/* canonical, relative to <root>/sys */
	int err;
	unsigned int count;
};

struct sim {
	struct apb_bus *bus;
	struct vap_matrix_dev *md;
	bool crycb_fmt2;		/* APXA: new VMs get format-2 CRYCBs */
	struct timespec start_time;
	unsigned int request_ms;

	struct apc_mutex reg_lock;	/* rank 80, see the top of this file */
	pthread_cond_t reg_cond;	/* registry changes, detach, shutdown */
	struct sim_mdev *mdevs;
	struct sim_vm *vms;
	struct sim_fault *faults;
	u64 next_serial;
	bool shutting_down;
	struct apb_adapter_spec adapter[APBM_BITS];	/* hardware types */

	struct sim_lines log, uevents;
};

struct sim *sim_create(const struct apb_host_spec *spec, unsigned int request_ms);
void sim_destroy(struct sim *s);

void sim_reg_lock(struct sim *s);
void sim_reg_unlock(struct sim *s);
/* An absolute CLOCK_MONOTONIC deadline @ms from now. */
void sim_deadline(struct timespec *ts, unsigned int ms);
/* Wait on reg_cond (reg_lock held) until woken or @deadline (NULL: none);
 * false on timeout. */
bool sim_reg_wait(struct sim *s, const struct timespec *deadline);
void sim_reg_wake(struct sim *s);
void sim_shutdown(struct sim *s);

/* Register an mdev the engine just created; -ENOMEM leaves it to the caller. */
int sim_mdev_add(struct sim *s, struct vap_mdev *m);
/*
 * Take a reference on the mdev named @uuid.  @dying: also while a removal
 * waits (ctl detach/irq need that).  @serial: 0 = any, else must match.
 */
struct sim_mdev *sim_mdev_get(struct sim *s, const u8 uuid[16], u64 serial, bool dying);
void sim_mdev_put(struct sim *s, struct sim_mdev *sm);
/* The blocking removal (§4.8): returns count or -errno. */
long sim_mdev_remove(struct sim *s, struct sim_mdev *sm, const char *buf, size_t count);
/* Snapshot of the mdev names: @live_only skips dying ones.  Free with free(). */
char (*sim_mdev_names(struct sim *s, bool live_only, size_t *n))[APTXT_UUID_LEN + 1];
/* Is there an mdev @uuid; its serial and whether it is live. */
bool sim_mdev_peek(struct sim *s, const u8 uuid[16], u64 *serial, bool *live);

struct sim_vm *sim_vm_get(struct sim *s, const char *name, bool create, bool has_crycb,
			  int *err, bool *created);
void sim_vm_forget(struct sim *s, struct sim_vm *vm);

void sim_lines_add(struct sim_lines *l, const char *line);
/* Copy all lines into @out; @clear empties the buffer in the same step. */
void sim_lines_take(struct sim_lines *l, struct sim_buf *out, bool clear);

/* Fault injection: -errno to fail this write of @path with, or 0. */
int sim_fault_take(struct sim *s, const char *path);
int sim_fault_add(struct sim *s, const char *path, int err, unsigned int count);
/* Rewrite a path through the tree's fixed symlinks (bus/mdev/devices/...). */
void sim_canonical_path(const char *in, char *out, size_t size);

/* ---- the sysfs tree (sim_tree.c) ----------------------------------------- */

enum sim_ntype { SIM_NDIR, SIM_NFILE, SIM_NLINK };

enum sim_file {
	SF_BUS_ATTR, SF_CARD_ATTR, SF_QUEUE_ATTR, SF_BIND, SF_UNBIND,
	SF_FEATURES, SF_TYPE_NAME, SF_TYPE_API, SF_TYPE_AVAIL, SF_TYPE_CREATE,
	SF_MDEV_ATTR, SF_CTL,
};

struct sim_mdev_attr;

struct sim_node {
	enum sim_ntype type;
	int kind;			/* directory class or enum sim_file */
	unsigned int mode;		/* permission bits */
	unsigned int apid, apqi;
	enum apb_drv drv;
	u8 uuid[16];			/* mdev identity */
	u64 serial;
	const struct sim_mdev_attr *mattr;
	char attr[32];			/* bus/card/queue attribute name */
	char target[128];		/* symlink target */
};

typedef int (*sim_fill_t)(void *ctx, const char *name);

int sim_resolve(struct sim *s, const char *path, struct sim_node *out);
int sim_list(struct sim *s, const struct sim_node *dir, sim_fill_t fill, void *ctx);

/* show/store of a file node: chars or count, or -errno. */
int sim_node_show(struct sim *s, const struct sim_node *n, char *page);
long sim_node_store(struct sim *s, const struct sim_node *n, const char *buf, size_t count);

/* ---- control commands (sim_ctl.c) ---------------------------------------- */

/* Run one command line; output (or "error: ...\n") into @out.  0 or -errno. */
int sim_ctl_run(struct sim *s, const char *line, size_t len, struct sim_buf *out);

/* ---- FUSE (sim_fs.c) ----------------------------------------------------- */

struct fuse_operations;
extern const struct fuse_operations sim_fs_ops;
/* Called once the kernel's INIT was answered (readiness). */
void sim_fs_set_ready_hook(void (*hook)(void *), void *arg);

/* ---- daemon (sim_daemon.c) ----------------------------------------------- */

struct sim_start_opts {
	const char *root;
	const char *host_file;
	bool foreground;
	int in_use_rule;		/* 0: from the host file, else 618 or 619 */
	unsigned int request_ms;
};

int sim_start(const struct sim_start_opts *o);
int sim_stop(const char *root);
int sim_ctl_client(const char *root, int argc, char **argv);

#endif /* APVIRT_SIM_APSIM_H */
