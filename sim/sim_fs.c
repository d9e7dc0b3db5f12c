// SPDX-License-Identifier: GPL-2.0
/*
 * sim_fs.c - FUSE operations that make the tree behave like sysfs
 * (kernfs + sysfs_kf_* in fs/kernfs/file.c and fs/sysfs/file.c):
 *
 *  open    sysfs sets KERNFS_ROOT_EXTRA_OPEN_PERM_CHECK, so the mode bits
 *          are enforced even for root: opening a 0200 attribute for reading
 *          or a 0444 attribute for writing fails with EACCES.  Every open
 *          gets direct_io, so each read(2)/write(2) reaches us.
 *  read    a read at offset 0 runs the show method and keeps the text for
 *          reads at higher offsets of the same open file (seq_file).
 *  write   a zero-length write returns 0 without reaching the store
 *          (sysfs_kf_write); at most PAGE_SIZE (4096) bytes reach the store,
 *          NUL-terminated, and write(2) returns what the store returned, so
 *          a longer write(2) is short and the writer sends the rest as
 *          another store call; a store error is the write's errno.
 *  stat    attributes are 4096 bytes long; truncate (O_TRUNC of a shell
 *          redirection) is accepted and does nothing.
 *  ctl     kernel/debug/ap_sim/ctl: a write runs one command and returns
 *          its errno; reads return the output of the last command.
 *
 * Nothing is cached by the kernel: entry, attribute and negative timeouts
 * are 0, so devices and mdevs appear and vanish immediately, and every stat
 * sees the state of the moment, as sysfs does.
 */
#define FUSE_USE_VERSION 31

#include <fuse.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include "sim_buf.h"
#include "sim_ctl.h"
#include "sim_fault.h"
#include "sim_fs.h"
#include "sim_state.h"
#include "sim_tree.h"

struct sim_handle {
	struct sim_node node;
	struct apc_mutex lock;		/* leaf; never held across an engine call */
	struct sim_buf text;		/* show output (seq_file) or ctl output */
	off_t base;			/* ctl: file offset where the output starts */
};

static void (*sim_ready_hook)(void *);
static void *sim_ready_arg;

void sim_fs_set_ready_hook(void (*hook)(void *), void *arg)
{
	sim_ready_hook = hook;
	sim_ready_arg = arg;
}

static struct sim *sim_fs(void)
{
	return fuse_get_context()->private_data;
}

static struct sim_handle *sim_fh(const struct fuse_file_info *fi)
{
	return (struct sim_handle *)(uintptr_t)fi->fh;
}

static void *sim_fs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	/*
	 * sysfs content changes behind the kernel's back: cached dentries,
	 * attributes or negative lookups would show mdevs after their removal
	 * and hide new queue devices, so no caching at all.
	 */
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->direct_io = 1;
	cfg->kernel_cache = 0;
	cfg->use_ino = 0;
	if (sim_ready_hook)
		sim_ready_hook(sim_ready_arg);
	return fuse_get_context()->private_data;
}

static void sim_fs_stat(const struct sim *s, const struct sim_node *n, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	/* sysfs files are root's: here the daemon's user's (root, as a rule) */
	st->st_uid = geteuid();
	st->st_gid = getegid();
	st->st_atim = st->st_mtim = st->st_ctim = s->start_time;
	st->st_blksize = APC_PAGE_SIZE;
	switch (n->type) {
	case SIM_NDIR:
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		break;
	case SIM_NLINK:
		st->st_mode = S_IFLNK | 0777;
		st->st_nlink = 1;
		break;
	case SIM_NFILE:
		st->st_mode = S_IFREG | n->mode;
		st->st_nlink = 1;
		st->st_size = APC_PAGE_SIZE;
		break;
	}
}

static int sim_fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	struct sim *s = sim_fs();
	struct sim_node n;
	int rc = sim_resolve(s, path, &n);

	if (rc)
		return rc;
	sim_fs_stat(s, &n, st);
	return 0;
}

static int sim_fs_readlink(const char *path, char *buf, size_t size)
{
	struct sim_node n;
	int rc = sim_resolve(sim_fs(), path, &n);

	if (rc)
		return rc;
	if (n.type != SIM_NLINK)
		return -EINVAL;
	snprintf(buf, size, "%s", n.target);
	return 0;
}

/* kernfs_fop_open() with KERNFS_ROOT_EXTRA_OPEN_PERM_CHECK. */
static int sim_open_allowed(const struct sim_node *n, int flags)
{
	int acc = flags & O_ACCMODE;

	if ((acc == O_RDONLY || acc == O_RDWR) && !(n->mode & 0444))
		return -EACCES;
	if ((acc == O_WRONLY || acc == O_RDWR) && !(n->mode & 0222))
		return -EACCES;
	return 0;
}

static int sim_fs_open(const char *path, struct fuse_file_info *fi)
{
	struct sim_handle *h;
	struct sim_node n;
	int rc = sim_resolve(sim_fs(), path, &n);

	if (rc)
		return rc;
	if (n.type != SIM_NFILE)
		return -EISDIR;
	rc = sim_open_allowed(&n, fi->flags);
	if (rc)
		return rc;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->node = n;
	apc_mutex_init(&h->lock, APC_RANK_SIM_HANDLE);
	sim_buf_init(&h->text);
	fi->fh = (uintptr_t)h;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	return 0;
}

static int sim_fs_release(const char *path, struct fuse_file_info *fi)
{
	struct sim_handle *h = sim_fh(fi);

	sim_buf_free(&h->text);
	apc_mutex_destroy(&h->lock);
	free(h);
	return 0;
}

/* Copy from the handle's text at @off. */
static int sim_fs_copy_out(struct sim_handle *h, char *buf, size_t size, off_t off)
{
	size_t n = 0;

	apc_mutex_lock(&h->lock);
	if (off >= 0 && (size_t)off < h->text.len) {
		n = h->text.len - (size_t)off;
		if (n > size)
			n = size;
		memcpy(buf, h->text.p + off, n);
	}
	apc_mutex_unlock(&h->lock);
	return (int)n;
}

/*
 * The output of a command starts at the file offset its write ended at, so
 * a plain write(2) + read(2) on one descriptor sees all of it; a reader that
 * seeks back below that offset reads from the start of the output.
 */
static int sim_fs_ctl_read(struct sim_handle *h, char *buf, size_t size, off_t off)
{
	off_t base;

	apc_mutex_lock(&h->lock);
	base = h->base;
	apc_mutex_unlock(&h->lock);
	return sim_fs_copy_out(h, buf, size, off >= base ? off - base : off);
}

static int sim_fs_read(const char *path, char *buf, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	struct sim_handle *h = sim_fh(fi);
	char page[APC_PAGE_SIZE];
	bool fresh;
	int n;

	if (h->node.kind == SF_CTL)
		return sim_fs_ctl_read(h, buf, size, off);
	apc_mutex_lock(&h->lock);
	fresh = off == 0 || !h->text.p;
	apc_mutex_unlock(&h->lock);
	if (fresh) {
		n = sim_node_show(sim_fs(), &h->node, page);
		if (n < 0)
			return n;
		if (n > APC_PAGE_SIZE)
			n = APC_PAGE_SIZE;
		apc_mutex_lock(&h->lock);
		sim_buf_reset(&h->text);
		sim_buf_add(&h->text, page, (size_t)n);
		apc_mutex_unlock(&h->lock);
	}
	return sim_fs_copy_out(h, buf, size, off);
}

static int sim_fs_ctl_write(struct sim_handle *h, const char *buf, size_t size, off_t off)
{
	struct sim_buf out, old;
	int rc;

	sim_buf_init(&out);
	if (size > APC_PAGE_SIZE) {
		sim_buf_printf(&out, "error: command longer than %d bytes: %s\n", APC_PAGE_SIZE,
			       strerror(EINVAL));
		rc = -EINVAL;
	} else {
		rc = sim_ctl_run(sim_fs(), buf, size, &out);
	}
	if (!out.p)
		sim_buf_add(&out, "", 0);
	apc_mutex_lock(&h->lock);
	old = h->text;
	h->text = out;
	h->base = off + (off_t)(rc ? 0 : size);
	apc_mutex_unlock(&h->lock);
	sim_buf_free(&old);
	return rc ? rc : (int)size;
}

static int sim_fs_write(const char *path, const char *buf, size_t size, off_t off,
			struct fuse_file_info *fi)
{
	struct sim_handle *h = sim_fh(fi);
	struct sim *s = sim_fs();
	char page[APC_PAGE_SIZE + 1];
	size_t len;
	long rc;

	if (h->node.kind == SF_CTL)
		return sim_fs_ctl_write(h, buf, size, off);
	if (!size)
		return 0;
	len = size < APC_PAGE_SIZE ? size : APC_PAGE_SIZE;
	rc = sim_fault_take(s, path);
	if (rc)
		return (int)rc;
	memcpy(page, buf, len);
	page[len] = '\0';
	rc = sim_node_store(s, &h->node, page, len);
	return (int)rc;
}

static int sim_fs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	struct sim_node n;
	int rc = sim_resolve(sim_fs(), path, &n);

	if (rc)
		return rc;
	return n.type == SIM_NDIR ? -EISDIR : 0;
}

static int sim_fs_utimens(const char *path, const struct timespec tv[2],
			  struct fuse_file_info *fi)
{
	struct sim_node n;

	return sim_resolve(sim_fs(), path, &n);
}

struct sim_fs_fill {
	void *buf;
	fuse_fill_dir_t filler;
	struct sim *s;
	const struct sim_node *dir;
};

/* Each entry with its type: readers such as zcryptctl go by d_type. */
static int sim_fs_fill_one(void *ctx, const char *name)
{
	struct sim_fs_fill *f = ctx;
	struct sim_node n;
	struct stat st;

	if (sim_lookup(f->s, f->dir, name, &n))
		return 0;	/* gone since the listing began */
	memset(&st, 0, sizeof(st));
	st.st_mode = n.type == SIM_NDIR ? S_IFDIR : n.type == SIM_NLINK ? S_IFLNK : S_IFREG;
	return f->filler(f->buf, name, &st, 0, 0);
}

static int sim_fs_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
			  struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	struct sim *s = sim_fs();
	struct sim_node n;
	struct sim_fs_fill f = { buf, filler, s, &n };
	int rc = sim_resolve(s, path, &n);

	if (rc)
		return rc;
	if (n.type != SIM_NDIR)
		return -ENOTDIR;
	if (filler(buf, ".", NULL, 0, 0) || filler(buf, "..", NULL, 0, 0))
		return 0;
	return sim_list(s, &n, sim_fs_fill_one, &f);
}

/* sysfs directories have no create: a new name is EACCES (vfs_create). */
static int sim_fs_refuse_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	return -EACCES;
}

/* ... and no mkdir, unlink, rmdir, rename, symlink, link, mknod: EPERM. */
static int sim_fs_refuse_mkdir(const char *path, mode_t mode)
{
	return -EPERM;
}

/* unlink and rmdir */
static int sim_fs_refuse_remove(const char *path)
{
	return -EPERM;
}

static int sim_fs_refuse_rename(const char *from, const char *to, unsigned int flags)
{
	return -EPERM;
}

/* symlink and link */
static int sim_fs_refuse_link(const char *target, const char *path)
{
	return -EPERM;
}

const struct fuse_operations sim_fs_ops = {
	.init		= sim_fs_init,
	.getattr	= sim_fs_getattr,
	.readlink	= sim_fs_readlink,
	.open		= sim_fs_open,
	.read		= sim_fs_read,
	.write		= sim_fs_write,
	.release	= sim_fs_release,
	.truncate	= sim_fs_truncate,
	.utimens	= sim_fs_utimens,
	.readdir	= sim_fs_readdir,
	.create		= sim_fs_refuse_create,
	.mkdir		= sim_fs_refuse_mkdir,
	.rmdir		= sim_fs_refuse_remove,
	.unlink		= sim_fs_refuse_remove,
	.rename		= sim_fs_refuse_rename,
	.symlink	= sim_fs_refuse_link,
	.link		= sim_fs_refuse_link,
};
