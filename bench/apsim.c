// SPDX-License-Identifier: GPL-2.0
/*
 * bench/apsim.c - what a sysfs round trip through apsim costs.
 *
 *   latency     one assign_adapter write plus one guest_matrix read, each
 *               open/write-or-read/close as a tool does it (the adapter is
 *               unassigned again outside the timed part): median and p99
 *   throughput  two threads, each alternating assign_adapter and
 *               unassign_adapter on its own mdev (same adapters, disjoint
 *               domains, so they contend for the engine's locks only)
 *
 * Starts and stops its own apsim: --apsim PATH, else $APSIM, else
 * ./sim/apsim.  Prints figures only; "make bench-apsim" runs it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MATRIX	"/devices/vfio_ap/matrix"
#define TYPE	MATRIX "/mdev_supported_types/vfio_ap-passthrough"
#define MDEV_A	"6c9a1e5e-0d1b-4d6e-9a47-4b3f1c2d0a01"
#define MDEV_B	"6c9a1e5e-0d1b-4d6e-9a47-4b3f1c2d0a02"

struct bench {
	const char *apsim;
	char root[64];
	char sys[128];
	unsigned int ops;
	bool started;
};

struct writer {
	const struct bench *b;
	const char *uuid;
	unsigned int ops;
	int err;
};

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int sys_write(const struct bench *b, const char *rel, const char *text)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s%s", b->sys, rel);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		err = errno;
	close(fd);
	return err;
}

static int sys_read(const struct bench *b, const char *rel, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s%s", b->sys, rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		err = errno;
	else
		buf[n] = '\0';
	close(fd);
	return err;
}

static int run_apsim(const struct bench *b, const char *verb)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		execl(b->apsim, b->apsim, verb, "--root", b->root, (char *)NULL);
		fprintf(stderr, "bench-apsim: %s: %s\n", b->apsim, strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int check(int err, const char *what)
{
	if (err)
		fprintf(stderr, "bench-apsim: %s: %s\n", what, strerror(err));
	return err;
}

/* All four adapters to vfio_ap; mdev A gets domain 4, mdev B domain 5. */
static int setup(struct bench *b)
{
	if (check(sys_write(b, "/bus/ap/apmask", "-3-6"), "apmask") ||
	    check(sys_write(b, TYPE "/create", MDEV_A), "create A") ||
	    check(sys_write(b, TYPE "/create", MDEV_B), "create B") ||
	    check(sys_write(b, MATRIX "/" MDEV_A "/assign_domain", "4"), "assign_domain A") ||
	    check(sys_write(b, MATRIX "/" MDEV_B "/assign_domain", "5"), "assign_domain B"))
		return -1;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int bench_latency(const struct bench *b)
{
	const char *assign = MATRIX "/" MDEV_A "/assign_adapter";
	const char *unassign = MATRIX "/" MDEV_A "/unassign_adapter";
	const char *guest = MATRIX "/" MDEV_A "/guest_matrix";
	double *lat = calloc(b->ops, sizeof(*lat)), t0;
	char buf[4096];
	unsigned int i;
	int err = 0;

	if (!lat)
		return check(ENOMEM, "latency");
	for (i = 0; !err && i < b->ops; i++) {
		t0 = now_us();
		err = sys_write(b, assign, "5") ?: sys_read(b, guest, buf, sizeof(buf));
		lat[i] = now_us() - t0;
		if (!err && strncmp(buf, "05.0004", 7))
			err = EPROTO;
		if (!err)
			err = sys_write(b, unassign, "5");
	}
	if (!check(err, "latency loop")) {
		qsort(lat, b->ops, sizeof(*lat), cmp_double);
		printf("assign_adapter + guest_matrix read: median %.1f us, p99 %.1f us (%u ops)\n",
		       lat[b->ops / 2], lat[(size_t)((double)b->ops * 0.99)], b->ops);
	}
	free(lat);
	return err;
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	char assign[160], unassign[160], id[8];
	unsigned int i;

	snprintf(assign, sizeof(assign), MATRIX "/%s/assign_adapter", w->uuid);
	snprintf(unassign, sizeof(unassign), MATRIX "/%s/unassign_adapter", w->uuid);
	for (i = 0; !w->err && i < w->ops; i++) {
		snprintf(id, sizeof(id), "%u", 3 + (i / 2) % 4);
		w->err = sys_write(w->b, i % 2 ? unassign : assign, id);
	}
	return NULL;
}

static int bench_throughput(const struct bench *b)
{
	struct writer w[2] = { { b, MDEV_A, b->ops * 4, 0 }, { b, MDEV_B, b->ops * 4, 0 } };
	pthread_t tid[2];
	double t0, secs;
	int i, err = 0;

	t0 = now_us();
	for (i = 0; i < 2; i++)
		if (pthread_create(&tid[i], NULL, writer_main, &w[i]))
			return check(EAGAIN, "pthread_create");
	for (i = 0; i < 2; i++) {
		pthread_join(tid[i], NULL);
		err = err ?: w[i].err;
	}
	secs = (now_us() - t0) / 1e6;
	if (!check(err, "throughput loop"))
		printf("2 writers on 2 mdevs: %.0f writes/s (%u writes in %.3f s)\n",
		       (double)(w[0].ops + w[1].ops) / secs, w[0].ops + w[1].ops, secs);
	return err;
}

static void cleanup(const struct bench *b)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/apsim.log", b->root);
	unlink(path);
	rmdir(b->sys);
	rmdir(b->root);
}

static int parse_args(int argc, char **argv, struct bench *b)
{
	static const struct option opts[] = {
		{ "apsim", required_argument, NULL, 'a' },
		{ "ops", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	b->apsim = getenv("APSIM") && *getenv("APSIM") ? getenv("APSIM") : "./sim/apsim";
	b->ops = 2000;
	while ((c = getopt_long(argc, argv, "a:n:h", opts, NULL)) != -1) {
		if (c == 'a') {
			b->apsim = optarg;
		} else if (c == 'n' && atoi(optarg) >= 1000) {
			b->ops = (unsigned int)atoi(optarg);
		} else {
			fprintf(stderr, "usage: %s [--apsim PATH] [--ops N>=1000]\n", argv[0]);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct bench b = { 0 };
	int rc = 1;

	if (parse_args(argc, argv, &b))
		return 2;
	snprintf(b.root, sizeof(b.root), "/tmp/apsim-bench.XXXXXX");
	if (!mkdtemp(b.root)) {
		check(errno, "mkdtemp");
		return 1;
	}
	snprintf(b.sys, sizeof(b.sys), "%s/sys", b.root);
	if (run_apsim(&b, "start")) {
		fprintf(stderr, "bench-apsim: %s start failed\n", b.apsim);
		goto out;
	}
	if (!setup(&b) && !bench_latency(&b) && !bench_throughput(&b))
		rc = 0;
	if (run_apsim(&b, "stop"))
		rc = 1;
out:
	cleanup(&b);
	return rc;
}
