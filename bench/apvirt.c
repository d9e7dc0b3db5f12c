// SPDX-License-Identifier: GPL-2.0
/*
 * bench/apvirt.c - one hot plug of 4 adapters and 8 domains into the mdev
 * of a running guest, done two ways, against apsim:
 *
 *   apvirt      one "apvirt mdev set" (a process: lock, validation, one
 *               ap_config write where the kernel has it, read back)
 *   attributes  the same change as 4 assign_adapter and 8 assign_domain
 *               writes (open/write/close each, as a shell or mdevctl does)
 *
 * For each way: the median wall time over N runs (the change is undone
 * outside the timed part after every run) and how many times the guest's
 * CRYCB was updated per change (apsim ctl crycb --vm NAME, "updates").
 * Figures only: nothing is asserted.
 *
 * Starts and stops its own apsim (--apsim PATH, else $APSIM, else
 * ./sim/apsim; --kernel VERSION passed on), or uses a running one
 * (--root DIR: its adapters 0x00-0x04 and domains 0x0000-0x0008 must not
 * be the host's, and the mdev and guest it makes stay).  "make
 * bench-apvirt" runs it.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MDEV_UUID	"7d3f0c2a-5b1e-4c9d-8a6f-2e4b1d0c9a01"
#define VM_NAME		"bench-guest"
#define CMD_TIMEOUT	"60"		/* seconds, for every command run */
#define RUNS_MIN	20
#define RUNS_MAX	100000
#define ADD_ADAPTERS	"+0x01-0x04"
#define ADD_DOMAINS	"+0x0001-0x0008"
#define DEL_ADAPTERS	"-0x01-0x04"
#define DEL_DOMAINS	"-0x0001-0x0008"

/* The test machine: 16 adapters, 32 domains, all queues for vfio_ap. */
static const char host_file[] =
	"adapter 0x00-0x0f CEX8 cca\n"
	"domains 0x00-0x1f\n"
	"apmask 0x0\n";

struct bench {
	const char *apsim, *apvirt, *kernel;
	char tmp[64];			/* our temporary directory */
	char root[PATH_MAX];		/* apsim --root */
	char mdev_dir[PATH_MAX + 128];	/* <sys>/devices/vfio_ap/matrix/<uuid> */
	unsigned int runs;
	bool own_apsim, started;
};

struct way {
	const char *name;
	int (*apply)(const struct bench *b, bool add);
	double *ms;
	long *updates;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * Run argv; stdout into @out (NUL-terminated; NULL: to /dev/null),
 * stderr passed through.  Returns the exit status, or
 * -1 if the command could not run or was killed.
 */
static int run(char *const argv[], char *out, size_t size)
{
	int fd[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(fd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		/* Output not wanted goes nowhere (never a closed pipe: SIGPIPE). */
		int to = out ? fd[1] : open("/dev/null", O_WRONLY | O_CLOEXEC);

		if (to < 0 || dup2(to, STDOUT_FILENO) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	while (out && len + 1 < size && (n = read(fd[0], out + len, size - 1 - len)) > 0)
		len += (size_t)n;
	if (out)
		out[len] = '\0';
	close(fd[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

#define ARGS_MAX	16

/* @prog and the NULL-terminated arguments after @out, under timeout(1). */
static int runv(const char *prog, char *out, size_t size, ...)
{
	char *argv[ARGS_MAX + 4] = { "timeout", CMD_TIMEOUT, (char *)prog };
	size_t n = 3;
	va_list ap;

	va_start(ap, size);
	while (n < ARGS_MAX + 3 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	return run(argv, out, size);
}

/* The guest's CRYCB update count, or -1. */
static long crycb_updates(const struct bench *b)
{
	char out[1024], *p;

	if (runv(b->apsim, out, sizeof(out), "ctl", "--root", b->root, "crycb", "--vm", VM_NAME,
		 NULL))
		return -1;
	p = strstr(out, "\nupdates ");
	return p ? strtol(p + 9, NULL, 10) : -1;
}

/* One attribute write, open/write/close as a tool does it. */
static int attr_write(const struct bench *b, const char *attr, unsigned int id)
{
	char path[sizeof(((struct bench *)0)->mdev_dir) + 32], text[16];
	int fd, len, err = 0;

	snprintf(path, sizeof(path), "%s/%s", b->mdev_dir, attr);
	len = snprintf(text, sizeof(text), "0x%x\n", id);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (write(fd, text, (size_t)len) != len)
		err = errno ? errno : EIO;
	close(fd);
	return err;
}

/* Both lists in one apvirt mdev set: one transaction. */
static int by_apvirt(const struct bench *b, bool add)
{
	return runv(b->apvirt, NULL, 0, "mdev", "set", MDEV_UUID,
		    "--adapter", add ? ADD_ADAPTERS : DEL_ADAPTERS,
		    "--domain", add ? ADD_DOMAINS : DEL_DOMAINS, NULL);
}

static int by_attributes(const struct bench *b, bool add)
{
	unsigned int id;
	int err = 0;

	for (id = 1; !err && id <= 4; id++)
		err = attr_write(b, add ? "assign_adapter" : "unassign_adapter", id);
	for (id = 1; !err && id <= 8; id++)
		err = attr_write(b, add ? "assign_domain" : "unassign_domain", id);
	if (err)
		fprintf(stderr, "bench-apvirt: attribute write: %s\n", strerror(err));
	return err;
}

/* One timed change and its untimed undo; the CRYCB updates it caused. */
static int measure(const struct bench *b, const struct way *w, unsigned int i)
{
	long before = crycb_updates(b), after;
	double t0 = now_ms();

	if (w->apply(b, true)) {
		fprintf(stderr, "bench-apvirt: %s: the change failed in run %u\n", w->name, i + 1);
		return -1;
	}
	w->ms[i] = now_ms() - t0;
	after = crycb_updates(b);
	if (before < 0 || after < 0 || w->apply(b, false)) {
		fprintf(stderr, "bench-apvirt: %s: reading the CRYCB or undoing failed in run %u\n",
			w->name, i + 1);
		return -1;
	}
	w->updates[i] = after - before;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

static void report(const struct way *w, unsigned int runs)
{
	qsort(w->ms, runs, sizeof(*w->ms), cmp_double);
	qsort(w->updates, runs, sizeof(*w->updates), cmp_long);
	printf("%-52s median %8.3f ms  (min %.3f, max %.3f)  CRYCB updates per change: median %ld (min %ld, max %ld)\n",
	       w->name, w->ms[runs / 2], w->ms[0], w->ms[runs - 1], w->updates[runs / 2],
	       w->updates[0], w->updates[runs - 1]);
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");
	int rc;

	if (!f)
		return -1;
	rc = fputs(text, f) < 0;
	return fclose(f) || rc ? -1 : 0;
}

/* Our own apsim and the roots apvirt works below. */
static int setup_dirs(struct bench *b)
{
	char path[PATH_MAX];

	snprintf(b->tmp, sizeof(b->tmp), "/tmp/apvirt-bench.XXXXXX");
	if (!mkdtemp(b->tmp))
		return -1;
	snprintf(path, sizeof(path), "%s/etc", b->tmp);
	if (mkdir(path, 0755))
		return -1;
	setenv("APVIRT_ETC_ROOT", path, 1);
	snprintf(path, sizeof(path), "%s/run", b->tmp);
	if (mkdir(path, 0755))
		return -1;
	setenv("APVIRT_RUN_ROOT", path, 1);
	if (!b->own_apsim)
		return 0;
	snprintf(b->root, sizeof(b->root), "%s/apsim", b->tmp);
	snprintf(path, sizeof(path), "%s/host", b->tmp);
	return mkdir(b->root, 0755) || write_file(path, host_file) ? -1 : 0;
}

static int start_apsim(struct bench *b)
{
	char host[PATH_MAX], kernel[64];

	snprintf(host, sizeof(host), "%s/host", b->tmp);
	snprintf(kernel, sizeof(kernel), "--kernel=%s", b->kernel ? b->kernel : "");
	if (runv(b->apsim, NULL, 0, "start", "--root", b->root, "--host", host,
		 b->kernel ? kernel : NULL, NULL))
		return -1;
	b->started = true;
	return 0;
}

/* The mdev with queue 00.0000, attached to the guest. */
static int setup_guest(struct bench *b)
{
	char sys[PATH_MAX + 8];

	snprintf(sys, sizeof(sys), "%s/sys", b->root);
	setenv("APVIRT_SYSFS_ROOT", sys, 1);
	snprintf(b->mdev_dir, sizeof(b->mdev_dir), "%s/devices/vfio_ap/matrix/%s", sys, MDEV_UUID);
	if (!b->own_apsim && runv(b->apvirt, NULL, 0, "host", "release", "--adapter", "0x00-0x04",
				  "--domain", "0x0000-0x0008", NULL))
		return -1;
	if (runv(b->apvirt, NULL, 0, "mdev", "create", MDEV_UUID, NULL) ||
	    runv(b->apvirt, NULL, 0, "mdev", "set", MDEV_UUID, "--adapter", "0x00",
		 "--domain", "0x0000", NULL))
		return -1;
	return runv(b->apsim, NULL, 0, "ctl", "--root", b->root, "attach", MDEV_UUID,
		    "--vm", VM_NAME, NULL) ? -1 : 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Every exit path: our apsim stopped, our directory gone. */
static void cleanup(struct bench *b)
{
	if (b->started && runv(b->apsim, NULL, 0, "stop", "--root", b->root, NULL))
		fprintf(stderr, "bench-apvirt: apsim stop --root %s failed\n", b->root);
	/* FTW_MOUNT: never into a mount a failed stop left behind. */
	if (b->tmp[0])
		nftw(b->tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

static int usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--apsim PATH] [--apvirt PATH] [--kernel VERSION | --root DIR] [--runs N>=%d]\n",
		prog, RUNS_MIN);
	return 2;
}

static int parse_args(int argc, char **argv, struct bench *b)
{
	static const struct option opts[] = {
		{ "apsim", required_argument, NULL, 'a' },
		{ "apvirt", required_argument, NULL, 'v' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "root", required_argument, NULL, 'r' },
		{ "runs", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	long n;
	int c;

	b->apsim = getenv("APSIM") && *getenv("APSIM") ? getenv("APSIM") : "./sim/apsim";
	b->apvirt = getenv("APVIRT") && *getenv("APVIRT") ? getenv("APVIRT") : "./tools/apvirt";
	b->runs = RUNS_MIN;
	b->own_apsim = true;
	while ((c = getopt_long(argc, argv, "a:v:k:r:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': b->apsim = optarg; break;
		case 'v': b->apvirt = optarg; break;
		case 'k': b->kernel = optarg; break;
		case 'r':
			if (strlen(optarg) >= sizeof(b->root) - 64)
				return usage(argv[0]);
			snprintf(b->root, sizeof(b->root), "%s", optarg);
			b->own_apsim = false;
			break;
		case 'n':
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *end || n < RUNS_MIN || n > RUNS_MAX)
				return usage(argv[0]);
			b->runs = (unsigned int)n;
			break;
		default:
			return usage(argv[0]);
		}
	}
	if (optind != argc || (b->kernel && !b->own_apsim))
		return usage(argv[0]);
	return 0;
}

static int bench_ways(const struct bench *b)
{
	double *ms = calloc(2 * (size_t)b->runs, sizeof(*ms));
	long *up = calloc(2 * (size_t)b->runs, sizeof(*up));
	struct way ways[2] = {
		{ "apvirt mdev set (1 process, 1 transaction)", by_apvirt, ms, up },
		{ "assign_adapter x4 + assign_domain x8 (in-process)", by_attributes, ms + b->runs,
		  up + b->runs },
	};
	int rc = 0;

	if (!ms || !up)
		rc = -1;
	/* Interleaved, so drift (caches, other load) hits both ways alike. */
	for (unsigned int i = 0; !rc && i < b->runs; i++)
		rc = measure(b, &ways[0], i) || measure(b, &ways[1], i) ? -1 : 0;
	if (!rc) {
		printf("4 adapters + 8 domains hot plugged into the mdev of a running guest, %u runs each (apsim kernel %s)\n",
		       b->runs, b->kernel ? b->kernel : "default");
		report(&ways[0], b->runs);
		report(&ways[1], b->runs);
	}
	free(ms);
	free(up);
	return rc;
}

int main(int argc, char **argv)
{
	struct bench b = { 0 };
	int rc;

	rc = parse_args(argc, argv, &b);
	if (rc)
		return rc;
	rc = 1;
	if (setup_dirs(&b))
		fprintf(stderr, "bench-apvirt: cannot set up %s: %s\n", b.tmp, strerror(errno));
	else if (b.own_apsim && start_apsim(&b))
		fprintf(stderr, "bench-apvirt: %s start failed\n", b.apsim);
	else if (setup_guest(&b))
		fprintf(stderr, "bench-apvirt: setting up the mdev and the guest failed\n");
	else if (!bench_ways(&b))
		rc = 0;
	cleanup(&b);
	return rc;
}
