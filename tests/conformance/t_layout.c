// SPDX-License-Identifier: GPL-2.0
/*
 * t_layout.c - sysfs layout, features, the mdev type and the mdev life
 * cycle (docs/kernel-abi.md §9 items 1, 3-7; §2.1-§2.4).
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Item 1: the directories and links of the vfio_ap layout. */
static void test_layout_paths(void)
{
	CT_TRY(expect_node("devices/vfio_ap", S_IFDIR, -1));
	CT_TRY(expect_node(MATRIX_DIR, S_IFDIR, -1));
	CT_TRY(expect_node(MATRIX_DIR "/mdev_supported_types", S_IFDIR, -1));
	CT_TRY(expect_node(TYPE_DIR, S_IFDIR, -1));
	CT_TRY(expect_node(TYPE_DIR "/devices", S_IFDIR, -1));
	CT_TRY(expect_link("bus/matrix/devices/matrix", "../../../devices/vfio_ap/matrix"));
	CT_TRY(expect_node("bus/matrix/drivers/vfio_ap", S_IFDIR, -1));
	CT_TRY(expect_link(MATRIX_DIR "/driver", "../../../bus/matrix/drivers/vfio_ap"));
	CT_TRY(expect_link("class/mdev_bus/matrix", "../../devices/vfio_ap/matrix"));
	CT_TRY(expect_node("bus/mdev/drivers/vfio_ap_mdev", S_IFDIR, -1));
	CT_TRY(expect_node("bus/mdev/devices", S_IFDIR, -1));
	CT_TRY(expect_node(AP_BUS "/drivers/vfio_ap", S_IFDIR, -1));
	CT_TRY(expect_node(AP_BUS "/drivers/vfio_ap/bind", S_IFREG, 0200));
	CT_TRY(expect_node(AP_BUS "/drivers/vfio_ap/unbind", S_IFREG, 0200));
	CT_TRY(expect_node(AP_BUS "/devices", S_IFDIR, -1));
	CT_TRY(expect_node("devices/ap", S_IFDIR, -1));
}

/* Items 1, 3, 4: attribute files of the matrix device and the type. */
static void test_layout_attr_modes(void)
{
	if (ct_kernel_has(612))
		CT_TRY(expect_node(MATRIX_DIR "/features", S_IFREG, 0444));
	else
		CT_TRY(expect_absent(MATRIX_DIR "/features"));
	CT_TRY(expect_node(TYPE_DIR "/create", S_IFREG, 0200));
	CT_TRY(expect_node(TYPE_DIR "/name", S_IFREG, 0444));
	CT_TRY(expect_node(TYPE_DIR "/device_api", S_IFREG, 0444));
	CT_TRY(expect_node(TYPE_DIR "/available_instances", S_IFREG, 0444));
	CT_TRY(expect_open_errno(TYPE_DIR "/create", O_RDONLY, EACCES));
	CT_TRY(expect_open_errno(TYPE_DIR "/name", O_WRONLY, EACCES));
	if (ct_kernel_has(612))
		CT_TRY(expect_open_errno(MATRIX_DIR "/features", O_WRONLY, EACCES));
}

/* Item 3. */
static void test_features_text(void)
{
	CT_TRY(expect_read(MATRIX_DIR "/features", "guest_matrix hotplug ap_config\n"));
}

static bool expect_instances(int n)
{
	return expect_read(TYPE_DIR "/available_instances", P("%d\n", 65536 - n));
}

/* Item 4. */
static void test_type_attrs(void)
{
	char u1[CT_UUID_LEN + 1], u2[CT_UUID_LEN + 1];
	int n = mdev_count();

	CT_TRY(expect(n >= 0, "count %s/devices: %s", TYPE_DIR, errname(-n)));
	CT_TRY(expect_read(TYPE_DIR "/name", "VFIO AP Passthrough Device\n"));
	CT_TRY(expect_read(TYPE_DIR "/device_api", "vfio-ap\n"));
	CT_TRY(expect_absent(TYPE_DIR "/description"));
	CT_TRY(expect_instances(n));
	CT_TRY(mdev_new(u1));
	CT_TRY(expect_instances(n + 1));
	CT_TRY(mdev_new(u2));
	CT_TRY(expect_instances(n + 2));
	CT_TRY(expect_write_s(MDEV(u1, "remove"), "1", 0));
	CT_TRY(expect_instances(n + 1));
	CT_TRY(expect_write_s(MDEV(u2, "remove"), "1", 0));
	CT_TRY(expect_instances(n));
}

static bool remove_cleanup(void *arg)
{
	int r = sysfs_write_str(MDEV((const char *)arg, "remove"), "1");

	return r == 0 || r == -ENOENT;
}

/* Create through a raw write; the removal of @lower is deferred. */
static bool create_raw(const char *text, size_t len, int err, const char *lower)
{
	static char keep[16][CT_UUID_LEN + 1];
	static unsigned int nkeep;

	if (!expect_write(TYPE_DIR "/create", text, len, err))
		return false;
	if (!err && lower) {
		char *k = keep[nkeep++ % 16];

		snprintf(k, CT_UUID_LEN + 1, "%s", lower);
		ct_defer_fn(CT_PH_MDEV, remove_cleanup, k);
	}
	return true;
}

/* Item 5. */
static void test_create_uuid_forms(void)
{
	char u[CT_UUID_LEN + 1], upper[CT_UUID_LEN + 1], buf[64];
	int n = mdev_count();

	/* 36 bytes and 37 bytes (trailing newline) */
	uuid_random(u);
	CT_TRY(create_raw(u, 36, 0, u));
	CT_TRY(expect_node(P(MATRIX_DIR "/%s", u), S_IFDIR, -1));
	CT_TRY(create_raw(u, 36, EEXIST, NULL));
	uuid_random(u);
	snprintf(buf, sizeof(buf), "%s\n", u);
	CT_TRY(create_raw(buf, 37, 0, u));
	CT_TRY(expect_node(P(MATRIX_DIR "/%s", u), S_IFDIR, -1));
	CT_TRY(create_raw(buf, 37, EEXIST, NULL));

	/* upper case is accepted; the device is named in lower case */
	for (size_t i = 0; i < sizeof(upper); i++)
		upper[i] = (u[i] >= 'a' && u[i] <= 'f') ? (char)(u[i] - 32) : u[i];
	CT_TRY(create_raw(upper, 36, EEXIST, NULL));
	uuid_random(u);
	for (size_t i = 0; i < sizeof(upper); i++)
		upper[i] = (u[i] >= 'a' && u[i] <= 'f') ? (char)(u[i] - 32) : u[i];
	CT_TRY(create_raw(upper, 36, 0, u));
	CT_TRY(expect_node(P(MATRIX_DIR "/%s", u), S_IFDIR, -1));

	/* wrong lengths */
	uuid_random(u);
	CT_TRY(create_raw(u, 35, EINVAL, NULL));
	snprintf(buf, sizeof(buf), "%s\n\n", u);
	CT_TRY(create_raw(buf, 38, EINVAL, NULL));
	CT_TRY(create_raw("\n", 1, EINVAL, NULL));

	/* unparsable UUIDs of the right length */
	snprintf(buf, sizeof(buf), "%s", u);
	buf[0] = 'g';
	CT_TRY(create_raw(buf, 36, EINVAL, NULL));
	snprintf(buf, sizeof(buf), "%s", u);
	buf[8] = '0';
	CT_TRY(create_raw(buf, 36, EINVAL, NULL));
	snprintf(buf, sizeof(buf), "%s", u);
	buf[0] = '-';
	CT_TRY(create_raw(buf, 36, EINVAL, NULL));
	CT_TRY(expect_absent(P(MATRIX_DIR "/%s", u)));
	CT_TRY(expect(mdev_count() == n + 3, "%s/devices: expected %d entries got %d",
		      TYPE_DIR, n + 3, mdev_count()));
}

/* Items 1, 6: the links of a new mdev. */
static void test_create_links(void)
{
	char u[CT_UUID_LEN + 1];

	CT_TRY(mdev_new(u));
	CT_TRY(expect_node(P(MATRIX_DIR "/%s", u), S_IFDIR, -1));
	CT_TRY(expect_link(P("bus/mdev/devices/%s", u), P("../../../devices/vfio_ap/matrix/%s", u)));
	CT_TRY(expect_link(P(TYPE_DIR "/devices/%s", u), P("../../../%s", u)));
	CT_TRY(expect_link(MDEV(u, "mdev_type"), "../mdev_supported_types/vfio_ap-passthrough"));
	CT_TRY(expect_link(MDEV(u, "driver"), "../../../../bus/mdev/drivers/vfio_ap_mdev"));
	/* the attributes are reachable through the bus link */
	CT_TRY(expect_read(P("bus/mdev/devices/%s/matrix", u), ""));
}

/*
 * The driver core's and the emulated IOMMU's part of an mdev directory
 * (docs/kernel-abi.md §2.3): subsystem, uevent, power/, and iommu_group,
 * the group libvirt turns into /dev/vfio/N.
 */
static void test_mdev_device_links(void)
{
	char u[CT_UUID_LEN + 1], buf[CT_PAGE], *base;
	const char *group;
	int r;

	CT_TRY(mdev_new(u));
	CT_TRY(expect_link(MDEV(u, "subsystem"), "../../../../bus/mdev"));
	CT_TRY(expect_node(MDEV(u, "power"), S_IFDIR, -1));
	CT_TRY(expect_node(MDEV(u, "uevent"), S_IFREG, 0644));
	CT_TRY(expect_read(MDEV(u, "uevent"), ct.mdev_uevent_type ?
			   "DRIVER=vfio_ap_mdev\nMDEV_TYPE=vfio_ap-passthrough\n" :
			   "DRIVER=vfio_ap_mdev\n"));
	CT_TRY(expect_write_s(MDEV(u, "uevent"), "bogus", EINVAL));
	r = sysfs_readlink(MDEV(u, "iommu_group"), buf, sizeof(buf));
	CT_TRY(expect(r > 0, "readlink iommu_group: %s", errname(r < 0 ? -r : 0)));
	base = strrchr(buf, '/');
	CT_TRY(expect(!strncmp(buf, "../../../../kernel/iommu_groups/", 32) && base &&
		      base[1] >= '0' && base[1] <= '9',
		      "iommu_group: expected ../../../../kernel/iommu_groups/N got \"%s\"", buf));
	group = P("kernel/iommu_groups/%s", base + 1);
	CT_TRY(expect_read(P("%s/name", group), "vfio-noiommu\n"));
	CT_TRY(expect_link(P("%s/devices/%s", group, u), P("../../../../devices/vfio_ap/matrix/%s", u)));
}

/* Item 6. */
static void test_mdev_new_empty(void)
{
	static const char *const wo[] = {
		"assign_adapter", "unassign_adapter", "assign_domain", "unassign_domain",
		"assign_control_domain", "unassign_control_domain", "remove",
	};
	static const char *const ro[] = { "matrix", "guest_matrix", "control_domains" };
	char u[CT_UUID_LEN + 1], cfg[256];
	struct idset none;

	idset_clear(&none);
	CT_TRY(mdev_new(u));
	CT_TRY(expect_read(MDEV(u, "matrix"), ""));
	CT_TRY(expect_read(MDEV(u, "guest_matrix"), ""));
	CT_TRY(expect_read(MDEV(u, "control_domains"), ""));
	ap_config_text(&none, &none, &none, cfg, sizeof(cfg));
	CT_TRY(expect(strlen(cfg) == 201, "harness: ap_config text is %zu chars", strlen(cfg)));
	if (ct_kernel_has(610))		/* ap_config came with 6.10 */
		CT_TRY(expect_read(MDEV(u, "ap_config"), cfg));
	else
		CT_TRY(expect_absent(MDEV(u, "ap_config")));
	for (size_t i = 0; i < sizeof(wo) / sizeof(wo[0]); i++) {
		CT_TRY(expect_node(MDEV(u, wo[i]), S_IFREG, 0200));
		CT_TRY(expect_open_errno(MDEV(u, wo[i]), O_RDONLY, EACCES));
	}
	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
		CT_TRY(expect_node(MDEV(u, ro[i]), S_IFREG, 0444));
		CT_TRY(expect_open_errno(MDEV(u, ro[i]), O_WRONLY, EACCES));
	}
	if (ct_kernel_has(610))
		CT_TRY(expect_node(MDEV(u, "ap_config"), S_IFREG, 0644));
	/* attributes that do not exist (§2.4) */
	CT_TRY(expect_absent(MDEV(u, "queues")));
	CT_TRY(expect_absent(MDEV(u, "status")));
}

/* Item 7. */
static void test_mdev_remove(void)
{
	char u[CT_UUID_LEN + 1];
	int n;

	CT_TRY(mdev_new(u));
	n = mdev_count();
	CT_TRY(expect_write_s(MDEV(u, "remove"), "0", 0));
	CT_TRY(expect_write_s(MDEV(u, "remove"), "0\n", 0));
	CT_TRY(expect_write_s(MDEV(u, "remove"), "0x0", 0));
	CT_TRY(expect_node(P(MATRIX_DIR "/%s", u), S_IFDIR, -1));
	CT_TRY(expect_write_s(MDEV(u, "remove"), "abc", EINVAL));
	CT_TRY(expect_write_s(MDEV(u, "remove"), "-1", EINVAL));
	CT_TRY(expect_write_s(MDEV(u, "remove"), " 1", EINVAL));
	CT_TRY(expect_write_s(MDEV(u, "remove"), "1 ", EINVAL));
	CT_TRY(expect_write_s(MDEV(u, "remove"), "\n", EINVAL));
	/* a zero-length write never reaches a sysfs store: it returns 0 */
	CT_TRY(expect_write(MDEV(u, "remove"), "", 0, 0));
	CT_TRY(expect_node(P(MATRIX_DIR "/%s", u), S_IFDIR, -1));
	CT_TRY(expect(mdev_count() == n, "mdev count changed: %d -> %d", n, mdev_count()));
	CT_TRY(expect_write_s(MDEV(u, "remove"), "1\n", 0));
	CT_TRY(expect_absent(P(MATRIX_DIR "/%s", u)));
	CT_TRY(expect_absent(P("bus/mdev/devices/%s", u)));
	CT_TRY(expect_absent(P(TYPE_DIR "/devices/%s", u)));
	CT_TRY(expect(mdev_count() == n - 1, "mdev count: expected %d got %d", n - 1,
		      mdev_count()));
	/* any non-zero number removes */
	CT_TRY(mdev_new(u));
	CT_TRY(expect_write_s(MDEV(u, "remove"), "0x10", 0));
	CT_TRY(expect_absent(P(MATRIX_DIR "/%s", u)));
}

/*
 * What the target's kernel has and has not (docs/kernel-abi.md §0.2): a
 * kernel without an attribute has no file.  The mdev's ap_config and the
 * matrix device's features are checked by mdev_new_empty and
 * layout_attr_modes, bindings_complete_count by the bus attribute test.
 */
static void test_kernel_surface(void)
{
	unsigned int a[1], d[1];
	char u[CT_UUID_LEN + 1], card[64];
	const char *q;
	int r;

	CT_TRY(pick_host(1, 1, a, d));
	q = queue_dev(a[0], d[0]);
	if (ct_kernel_has(619))
		CT_TRY(expect_node(P("%s/driver_override", q), S_IFREG, 0644));
	else
		CT_TRY(expect_absent(P("%s/driver_override", q)));
	/*
	 * 6.4 (first profile 6.10): bus/ap/features and the queue's
	 * ap_functions, which shows the card's (a host without SE).  The
	 * card's ap_functions is older.
	 */
	r = sysfs_read(P("devices/ap/card%02x/ap_functions", a[0]), card, sizeof(card));
	CT_TRY(expect(r == 11 && !strncmp(card, "0x", 2) && card[10] == '\n',
		      "card ap_functions: expected \"0x%%08X\\n\" got \"%s\"",
		      esc(card, r > 0 ? (size_t)r : 0)));
	if (ct_kernel_has(610)) {
		CT_TRY(expect_node(AP_BUS "/features", S_IFREG, 0444));
		CT_TRY(expect_node(P("%s/ap_functions", q), S_IFREG, 0444));
		CT_TRY(expect_read(P("%s/ap_functions", q), card));
	} else {
		CT_TRY(expect_absent(AP_BUS "/features"));
		CT_TRY(expect_absent(P("%s/ap_functions", q)));
	}
	CT_TRY(need_ctl());
	CT_TRY(mdev_new(u));
	/*
	 * VFIO_DEVICE_SET_IRQS: none before 6.5 (the ioctl's default case,
	 * EOPNOTSUPP, for every index); the request index from 6.5 (first
	 * profile 6.10), the config-change index from 6.15.
	 */
	if (!ct_kernel_has(605)) {
		CT_TRY(ctl_err(EOPNOTSUPP, "irq %s 0 set", u));
		CT_TRY(ctl_err(EOPNOTSUPP, "irq %s 0 clear", u));
		CT_TRY(ctl_err(EOPNOTSUPP, "irq %s 1 set", u));
		return;
	}
	if (ct_kernel_has(615)) {
		CT_TRY(ctl_ok("irq %s 1 set", u) != NULL);
		CT_TRY(ctl_ok("irq %s 1 clear", u) != NULL);
	} else {
		CT_TRY(ctl_err(EINVAL, "irq %s 1 set", u));
	}
	CT_TRY(ctl_ok("irq %s 0 set", u) != NULL);
	CT_TRY(ctl_ok("irq %s 0 clear", u) != NULL);
	CT_TRY(ctl_err(EINVAL, "irq %s 2 set", u));
}

const struct ct_test layout_tests[] = {
	{ "layout_paths", test_layout_paths, "1" },
	{ "layout_attr_modes", test_layout_attr_modes, "1, 3, 4" },
	{ "features_text", test_features_text, "3" },
	{ "type_attrs", test_type_attrs, "4" },
	{ "create_uuid_forms", test_create_uuid_forms, "5" },
	{ "create_links", test_create_links, "1, 6" },
	{ "mdev_new_empty", test_mdev_new_empty, "6" },
	{ "mdev_remove", test_mdev_remove, "7" },
	{ "kernel_surface", test_kernel_surface, "0.2" },
	{ "mdev_device_links", test_mdev_device_links, "6" },
	{ NULL, NULL, NULL },
};
