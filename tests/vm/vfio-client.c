// SPDX-License-Identifier: GPL-2.0
/*
 * tests/vm/vfio-client.c - the VFIO side of a QEMU guest, from real
 * userspace, against vfio_ap in the test VM (tests/vm/guest.sh runs it).
 *
 *   vfio-client CTL UUID VM APID APQI
 *
 * CTL is ap_sim's control file, UUID an mdev with adapter APID, domain
 * APQI and control domain APQI assigned (and its queue bound to vfio_ap),
 * VM a name for the simulated guest.  The client opens the container and
 * the mdev's group, designates VM for the VFIO open (ctl "vfio-vm", x86
 * has no KVM), and checks docs/kernel-abi.md §9 item 45 (§2.6, §4.9) on
 * the device fd, the CRYCB while open and after close, and the device
 * request on removal (§4.8).  It removes the mdev at its end.
 *
 * Output: TAP ("ok N - ...", "# ..." notes, the plan last); exit 0 when
 * every check passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/vfio.h>

#define MASK_HEX	64	/* 256 bits */
#define REQ_WAIT_MS	60000	/* a bound, not a timing assertion */

static const char *ctl_path, *uuid, *vm;
static unsigned int apid, apqi;
static int ntests, nfailed;

static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	ntests++;
	if (!ok)
		nfailed++;
	printf("%sok %d - ", ok ? "" : "not ", ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void note(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* An ioctl's result as an errno: 0 or the errno it failed with. */
static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? errno : 0;
}

/* One errno check: @got must be @want (0 for success). */
static bool expect_errno(int got, int want, const char *what)
{
	if (got != want)
		note("%s: expected %s, got %s", what, want ? strerrorname_np(want) : "success",
		     got ? strerrorname_np(got) : "success");
	return got == want;
}

/*
 * One ctl command: 0 and its answer in @out (@size bytes), or the errno
 * the write failed with (its "error: ..." line in @out).
 */
static int ctl(char *out, size_t size, const char *fmt, ...)
{
	char cmd[256];
	ssize_t n, len = 0;
	va_list ap;
	int fd, err = 0;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fd = open(ctl_path, O_RDWR);
	if (fd < 0)
		return errno;
	if (write(fd, cmd, strlen(cmd)) < 0)
		err = errno;
	while ((size_t)len + 1 < size && (n = read(fd, out + len, size - len - 1)) > 0)
		len += n;
	out[len] = '\0';
	close(fd);
	return err;
}

/* The CRYCB line @key ("apm ", ...) of "crycb --vm VM" must be @want. */
static bool crycb_line(const char *text, const char *key, const char *want)
{
	const char *l = strstr(text, key);
	size_t n = strlen(want);

	if (l && !strncmp(l + strlen(key), want, n) && l[strlen(key) + n] == '\n')
		return true;
	note("crycb: expected '%s%s' in '%s'", key, want, text);
	return false;
}

static bool crycb_is(const char *apm, const char *aqm, const char *adm)
{
	char out[1024];
	int err = ctl(out, sizeof(out), "crycb --vm %s", vm);

	if (err) {
		note("crycb --vm %s: %s (%s)", vm, strerrorname_np(err), out);
		return false;
	}
	return crycb_line(out, "apm ", apm) & crycb_line(out, "aqm ", aqm) &
	       crycb_line(out, "adm ", adm);
}

/*
 * "0x" + 64 hex digits with bit @bit set, s390 order (bit 0 leftmost);
 * no bit for a negative @bit.
 */
static void mask_hex(char *buf, int bit)
{
	int i;

	strcpy(buf, "0x");
	for (i = 0; i < MASK_HEX; i++)
		buf[2 + i] = bit >= 0 && i == bit / 4 ? "0123456789abcdef"[8 >> (bit % 4)] : '0';
	buf[2 + MASK_HEX] = '\0';
}

/* ---- container, group, device -------------------------------------------- */

struct vfio {
	int container, group;
};

static bool vfio_setup(struct vfio *v)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char link[PATH_MAX], path[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/iommu_group", uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		note("readlink %s: %s", path, strerror(errno));
		return false;
	}
	link[n] = '\0';
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));
	v->container = open("/dev/vfio/vfio", O_RDWR);
	v->group = open(path, O_RDWR);
	if (v->container < 0 || v->group < 0) {
		note("open /dev/vfio/vfio or %s: %s", path, strerror(errno));
		return false;
	}
	note("group %s", path);
	return expect_errno(ioctl(v->container, VFIO_GET_API_VERSION) == VFIO_API_VERSION ? 0 : -1,
			    0, "VFIO_GET_API_VERSION") &&
	       expect_errno(ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) == 1 ? 0 : -1,
			    0, "VFIO_CHECK_EXTENSION(VFIO_TYPE1_IOMMU)") &&
	       expect_errno(xioctl(v->group, VFIO_GROUP_GET_STATUS, &st), 0, "GROUP_GET_STATUS") &&
	       expect_errno(st.flags & VFIO_GROUP_FLAGS_VIABLE ? 0 : -1, 0, "group viable") &&
	       expect_errno(xioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container), 0,
			    "GROUP_SET_CONTAINER") &&
	       expect_errno(ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU) < 0 ? errno : 0,
			    0, "VFIO_SET_IOMMU(VFIO_TYPE1_IOMMU)");
}

/* VFIO_GROUP_GET_DEVICE_FD: the fd, or -errno. */
static int device_open(struct vfio *v)
{
	int fd = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, uuid);

	return fd < 0 ? -errno : fd;
}

/* ---- item 45 ------------------------------------------------------------- */

static void check_get_info(int dev)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	int err = xioctl(dev, VFIO_DEVICE_GET_INFO, &info);

	tap(expect_errno(err, 0, "GET_INFO") &&
	    info.flags == (VFIO_DEVICE_FLAGS_AP | VFIO_DEVICE_FLAGS_RESET) &&
	    info.num_regions == 0 && info.num_irqs == 2,
	    "GET_INFO: flags AP|RESET, 0 regions, 2 IRQs (flags 0x%x, %u, %u)", info.flags,
	    info.num_regions, info.num_irqs);
	info.argsz = 8;
	tap(expect_errno(xioctl(dev, VFIO_DEVICE_GET_INFO, &info), EINVAL, "GET_INFO argsz 8"),
	    "GET_INFO with argsz below its size: EINVAL");
}

static void check_irq_info(int dev)
{
	struct vfio_irq_info info;
	unsigned int index;
	int err;

	for (index = 0; index < 2; index++) {
		info = (struct vfio_irq_info){ .argsz = sizeof(info), .index = index };
		err = xioctl(dev, VFIO_DEVICE_GET_IRQ_INFO, &info);
		tap(expect_errno(err, 0, "GET_IRQ_INFO") && info.count == 1 &&
		    info.flags == VFIO_IRQ_INFO_EVENTFD,
		    "GET_IRQ_INFO index %u: count 1, flags EVENTFD (count %u, flags 0x%x)", index,
		    info.count, info.flags);
	}
	for (index = 2; index != 0; index = index == 2 ? UINT32_MAX : 0) {
		info = (struct vfio_irq_info){ .argsz = sizeof(info), .index = index };
		err = xioctl(dev, VFIO_DEVICE_GET_IRQ_INFO, &info);
		tap(expect_errno(err, EINVAL, "GET_IRQ_INFO"), "GET_IRQ_INFO index %u: EINVAL",
		    index);
	}
}

struct irq_set {
	struct vfio_irq_set hdr;
	int32_t fd;
};

static int set_irq(int dev, uint32_t argsz, uint32_t flags, uint32_t index, int32_t fd)
{
	struct irq_set s = {
		.hdr = { .argsz = argsz, .flags = flags, .index = index, .start = 0, .count = 1 },
		.fd = fd,
	};

	return xioctl(dev, VFIO_DEVICE_SET_IRQS, &s);
}

#define TRIGGER_EVENTFD	(VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER)

static void check_set_irqs(int dev)
{
	const uint32_t sz = sizeof(struct irq_set);
	int efd = eventfd(0, EFD_CLOEXEC);
	unsigned int index;

	for (index = 0; index < 2; index++) {
		tap(expect_errno(set_irq(dev, sz, TRIGGER_EVENTFD, index, efd), 0, "set"),
		    "SET_IRQS index %u, eventfd: set", index);
		tap(expect_errno(set_irq(dev, sz, TRIGGER_EVENTFD, index, -1), 0, "clear"),
		    "SET_IRQS index %u, fd -1: cleared", index);
		tap(expect_errno(set_irq(dev, sz, TRIGGER_EVENTFD, index, -1), 0, "clear"),
		    "SET_IRQS index %u, fd -1 again: cleared", index);
	}
	tap(expect_errno(set_irq(dev, sz, TRIGGER_EVENTFD, 0, -2), EINVAL, "fd -2"),
	    "SET_IRQS fd -2: EINVAL");
	tap(expect_errno(set_irq(dev, sz, TRIGGER_EVENTFD, 2, efd), EINVAL, "index 2"),
	    "SET_IRQS index 2: EINVAL");
	tap(expect_errno(set_irq(dev, sz, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, 0,
				 efd), EINVAL, "DATA_NONE"),
	    "SET_IRQS DATA_NONE|ACTION_TRIGGER: EINVAL");
	tap(expect_errno(set_irq(dev, sz, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_MASK, 0,
				 efd), EINVAL, "ACTION_MASK"),
	    "SET_IRQS DATA_EVENTFD|ACTION_MASK: EINVAL");
	tap(expect_errno(set_irq(dev, sizeof(struct vfio_irq_set), TRIGGER_EVENTFD, 0, efd), EINVAL,
			 "argsz without the fd"),
	    "SET_IRQS argsz without room for the fd: EINVAL");
	close(efd);
}

static void check_reset(int dev)
{
	char out[256];
	int err;

	tap(expect_errno(xioctl(dev, VFIO_DEVICE_RESET, NULL), 0, "RESET"), "RESET: 0");
	err = ctl(out, sizeof(out), "reset-rc %02x.%04x 3", apid, apqi);
	if (err)
		note("reset-rc: %s (%s)", strerrorname_np(err), out);
	tap(!err && expect_errno(xioctl(dev, VFIO_DEVICE_RESET, NULL), EIO, "RESET"),
	    "RESET with queue %02x.%04x's reset rc 3 (ctl reset-rc): EIO", apid, apqi);
	tap(expect_errno(xioctl(dev, VFIO_DEVICE_RESET, NULL), 0, "RESET"),
	    "RESET once the injected rc is used up: 0");
}

static void check_unknown(int dev)
{
	struct vfio_region_info r = { .argsz = sizeof(r) };

	tap(expect_errno(xioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &r), EOPNOTSUPP,
			 "GET_REGION_INFO"), "GET_REGION_INFO (not the glue's): EOPNOTSUPP");
	tap(expect_errno(xioctl(dev, _IO(VFIO_TYPE, VFIO_BASE + 60), NULL), EOPNOTSUPP,
			 "VFIO_BASE + 60"), "an unknown ioctl (VFIO_BASE + 60): EOPNOTSUPP");
}

/* ---- removal while open (§4.8) -------------------------------------------- */

/*
 * A child that writes "1" to the mdev's remove: its pid.  The child
 * closes its copy of the device fd @dev first, else it would hold the
 * device open itself and its own removal would wait for it forever.
 */
static pid_t remove_async(int dev)
{
	char path[PATH_MAX];
	pid_t pid = fork();
	int fd;

	if (pid)
		return pid;
	close(dev);
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/remove", uuid);
	fd = open(path, O_WRONLY);
	_exit(fd >= 0 && write(fd, "1", 1) == 1 ? 0 : 1);
}

static void check_remove(struct vfio *v)
{
	struct pollfd p = { .events = POLLIN };
	char path[PATH_MAX];
	uint64_t count = 0;
	int dev = device_open(v), status = -1;
	bool fired, reaped;
	pid_t pid;

	p.fd = eventfd(0, EFD_CLOEXEC);
	tap(dev >= 0 && expect_errno(set_irq(dev, sizeof(struct irq_set), TRIGGER_EVENTFD, 0, p.fd),
				     0, "SET_IRQS"),
	    "reopened, request eventfd set (index 0)");
	if (dev < 0)
		return;
	pid = remove_async(dev);
	fired = poll(&p, 1, REQ_WAIT_MS) == 1 && read(p.fd, &count, sizeof(count)) == 8;
	tap(fired && count >= 1, "remove while open: the request eventfd fires (count %llu)",
	    (unsigned long long)count);
	tap(waitpid(pid, &status, WNOHANG) == 0, "removal waits for the device fd to close");
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", uuid);
	close(dev);
	reaped = waitpid(pid, &status, 0) == pid;
	tap(reaped && WIFEXITED(status) && !WEXITSTATUS(status),
	    "once closed, the remove write completes (status 0x%x)", status);
	tap(access(path, F_OK) < 0 && errno == ENOENT, "the mdev is gone");
	close(p.fd);
}

/* ---- main ---------------------------------------------------------------- */

static void run(struct vfio *v)
{
	char apm[3 + MASK_HEX], aqm[3 + MASK_HEX], none[3 + MASK_HEX], out[512];
	char want[160];
	int dev, err;

	mask_hex(apm, apid);
	mask_hex(aqm, apqi);
	mask_hex(none, -1);
	tap(expect_errno(-device_open(v), EINVAL, "GET_DEVICE_FD"),
	    "GET_DEVICE_FD without a designated VM: EINVAL (no KVM)");
	snprintf(want, sizeof(want), "error: mdev %s has no VFIO VM: No such file or directory\n",
		 uuid);
	err = ctl(out, sizeof(out), "vfio-vm %s --none", uuid);
	tap(err == ENOENT && !strcmp(out, want), "ctl vfio-vm --none without one: ENOENT, '%.*s'",
	    (int)strcspn(out, "\n"), out);
	err = ctl(out, sizeof(out), "vfio-vm %s --vm %s", uuid, vm);
	tap(!err, "ctl vfio-vm %s --vm %s", uuid, vm);
	dev = device_open(v);
	tap(dev >= 0, "GET_DEVICE_FD with VM %s designated: a device fd (%s)", vm,
	    dev >= 0 ? "ok" : strerrorname_np(-dev));
	if (dev < 0)
		return;
	tap(crycb_is(apm, aqm, aqm), "while open: the CRYCB of %s holds the mdev's matrix", vm);
	check_get_info(dev);
	check_irq_info(dev);
	check_set_irqs(dev);
	check_reset(dev);
	check_unknown(dev);
	close(dev);
	tap(crycb_is(none, none, none), "closed: the CRYCB of %s is cleared", vm);
	check_remove(v);
	err = ctl(out, sizeof(out), "vfio-vm %s --none", uuid);
	tap(!err, "ctl vfio-vm %s --none", uuid);
	tap(device_open(v) < 0, "the removed mdev's device cannot be opened");
}

int main(int argc, char **argv)
{
	struct vfio v = { -1, -1 };

	if (argc != 6) {
		fprintf(stderr, "usage: vfio-client CTL UUID VM APID APQI\n");
		return 2;
	}
	ctl_path = argv[1];
	uuid = argv[2];
	vm = argv[3];
	apid = strtoul(argv[4], NULL, 0);
	apqi = strtoul(argv[5], NULL, 0);
	tap(vfio_setup(&v), "container and group: type1 IOMMU set for the mdev's group");
	if (!nfailed)
		run(&v);
	close(v.group);
	close(v.container);
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
