// SPDX-License-Identifier: GPL-2.0
/*
 * test_zcrypt.c - what s390-tools read from zcrypt and the AP bus: the
 * ap_functions facility word per type and mode, depth, the online rules,
 * request_count by queue state, ap_interrupts, the coprocessor firmware
 * files (serialnr, API_ordinalnr, FW_version, op_modes, mkvps) and the
 * /sys/class/zcrypt device nodes.
 *
 * Standard host (fixture.h): CEX8C 03-06, domains 0-15, apmask all ones
 * except 4-6 (their queues belong to vfio_ap).
 */
#include "fixture.h"

#include <string.h>

static const char *card_read(struct fx *fx, unsigned int apid, const char *attr)
{
	int n = apb_card_attr_show(fx->bus, apid, attr, fx->buf);

	if (n < 0)
		return NULL;
	fx->buf[n] = '\0';
	return fx->buf;
}

static const char *queue_read(struct fx *fx, unsigned int apid, unsigned int apqi,
			      const char *attr)
{
	int n = apb_queue_attr_show(fx->bus, apid, apqi, attr, fx->buf);

	if (n < 0)
		return NULL;
	fx->buf[n] = '\0';
	return fx->buf;
}

static long card_write(struct fx *fx, unsigned int apid, const char *attr, const char *text)
{
	return apb_card_attr_store(fx->bus, apid, attr, text, strlen(text));
}

static long queue_write(struct fx *fx, unsigned int apid, unsigned int apqi, const char *attr,
			const char *text)
{
	return apb_queue_attr_store(fx->bus, apid, apqi, attr, text, strlen(text));
}

static void add_adapter(struct fx *fx, unsigned int apid, u8 type, u32 mode)
{
	assert_int_equal(apb_hw_set_adapter_type(fx->bus, apid, type, mode), 0);
	assert_int_equal(apb_hw_set_adapter(fx->bus, apid, true), 0);
	apb_scan(fx->bus);
	assert_true(apb_card_exists(fx->bus, apid));
}

/* ---- ap_functions and depth ---------------------------------------------- */

static void test_zcrypt_ap_functions_per_type_and_mode(void **state)
{
	static const struct { u8 type; u32 mode; const char *fac, *ctype; } cases[] = {
		{ 14, APB_FUNC_CCA, "0x92800000\n", "CEX8C\n" },	/* S--D--N-F- */
		{ 13, APB_FUNC_CCA, "0x92800000\n", "CEX7C\n" },
		{ 11, APB_FUNC_CCA, "0x92000000\n", "CEX5C\n" },	/* S--D--N--- */
		{ 10, APB_FUNC_ACCEL, "0xEA000000\n", "CEX4A\n" },	/* SMC-A-N--- */
		{ 14, APB_FUNC_ACCEL, "0xEA000000\n", "CEX8A\n" },
		{ 13, APB_FUNC_EP11, "0x86000000\n", "CEX7P\n" },	/* S----XN--- */
	};
	struct fx *fx = *state;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		add_adapter(fx, 0x10 + i, cases[i].type, cases[i].mode);
		assert_string_equal(card_read(fx, 0x10 + i, "ap_functions"), cases[i].fac);
		assert_string_equal(queue_read(fx, 0x10 + i, 1, "ap_functions"), cases[i].fac);
		assert_string_equal(card_read(fx, 0x10 + i, "type"), cases[i].ctype);
	}
	assert_string_equal(card_read(fx, 3, "ap_functions"), "0x92800000\n");
}

static void tweak_no_apsc_apxa(struct apb_host_spec *spec)
{
	spec->qci.apsc = false;
	spec->qci.apxa = false;
	spec->qci.na = 0;
	spec->qci.nd = 0;
}

static const struct fx_variant no_apsc_apxa = { .tweak = tweak_no_apsc_apxa };

/* S and N follow the machine's APSC and APXA. */
static void test_zcrypt_ap_functions_follow_qci(void **state)
{
	struct fx *fx = *state;

	assert_string_equal(card_read(fx, 3, "ap_functions"), "0x10800000\n");
}

static void test_zcrypt_depth_is_qd(void **state)
{
	struct fx *fx = *state;

	assert_string_equal(card_read(fx, 3, "depth"), "7\n");
	assert_string_equal(fx_bus_read(fx, "ap_interrupts"), "1\n");
}

/* ---- online -------------------------------------------------------------- */

/*
 * zcrypt online: refused while deconfigured; while checkstopped too from
 * 6.10 on (the 6.12 source tests it, the 6.1 source does not), where a
 * checkstopped card or queue also reads offline.
 */
static void test_zcrypt_online_refused_when_checkstopped(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(apb_hw_set_chkstop(fx->bus, 3, true), 0);
	apb_scan(fx->bus);
	assert_int_equal(card_write(fx, 3, "online", "0"), 1);
	assert_int_equal(card_write(fx, 3, "online", "1"), -ENODEV);
	assert_int_equal(queue_write(fx, 3, 2, "online", "1"), -ENODEV);
	assert_string_equal(card_read(fx, 3, "online"), "0\n");
	assert_int_equal(apb_hw_set_chkstop(fx->bus, 3, false), 0);
	apb_scan(fx->bus);
	assert_int_equal(card_write(fx, 3, "online", "1"), 1);
	assert_string_equal(card_read(fx, 3, "online"), "1\n");
}

static void test_zcrypt_online_refused_only_when_deconfigured(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(apb_hw_set_chkstop(fx->bus, 3, true), 0);
	apb_scan(fx->bus);
	assert_int_equal(card_write(fx, 3, "online", "0"), 1);
	assert_int_equal(card_write(fx, 3, "online", "1"), 1);	/* 6.0: no checkstop test */
	assert_int_equal(queue_write(fx, 3, 2, "online", "1"), 1);
	assert_int_equal(apb_hw_set_chkstop(fx->bus, 3, false), 0);
	apb_scan(fx->bus);
	assert_int_equal(card_write(fx, 3, "config", "0"), 1);
	assert_int_equal(card_write(fx, 3, "online", "1"), -ENODEV);
	assert_int_equal(queue_write(fx, 3, 2, "online", "1"), -ENODEV);
	/* online reads 0 while deconfigured */
	assert_string_equal(card_read(fx, 3, "online"), "0\n");
	assert_string_equal(queue_read(fx, 3, 2, "online"), "0\n");
	assert_int_equal(card_write(fx, 3, "config", "1"), 1);
	assert_string_equal(card_read(fx, 3, "online"), "1\n");
}

/* The card's ONLINE= always; its queues' only where the value changed. */
static void test_zcrypt_card_online_uevents(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(queue_write(fx, 3, 2, "online", "0"), 1);
	fx_clear_records(fx);
	assert_int_equal(card_write(fx, 3, "online", "0"), 1);
	assert_int_equal(fx_uevent_count(fx, "devices/ap/card03", "ONLINE=0"), 1);
	assert_int_equal(fx_uevent_count(fx, "devices/ap/card03/03.0001", "ONLINE=0"), 1);
	assert_int_equal(fx_uevent_count(fx, "devices/ap/card03/03.0002", "ONLINE=0"), 0);
	assert_int_equal(fx->nr_uevents, 16);
}

/* ---- request_count ---------------------------------------------------------- */

static void test_zcrypt_request_count_by_queue_state(void **state)
{
	struct fx *fx = *state;

	/* bound to cex4queue: counted */
	assert_string_equal(queue_read(fx, 3, 1, "request_count"), "0\n");
	/* created by a scan while vfio_ap took it: nudged (6.7+) */
	assert_string_equal(queue_read(fx, 5, 1, "request_count"), "0\n");
	assert_string_equal(queue_read(fx, 5, 1, "requestq_count"), "0\n");
	/* any unbind makes it uninitiated, whatever binds next */
	assert_int_equal(fx_bus_write(fx, "apmask", "-3"), 2);
	assert_int_equal(fx_queue_drv(fx, 3, 1), APB_DRV_VFIO_AP);
	assert_string_equal(queue_read(fx, 3, 1, "request_count"), "-\n");
	assert_string_equal(queue_read(fx, 3, 1, "pendingq_count"), "0\n");
	assert_int_equal(fx_bus_write(fx, "apmask", "+3"), 2);
	assert_string_equal(queue_read(fx, 3, 1, "request_count"), "0\n");
	/* the card counter has no "-" */
	assert_string_equal(card_read(fx, 5, "request_count"), "0\n");
}

/* Before 6.7 nothing nudged a new queue: "-" until cex4queue binds it. */
static void test_zcrypt_request_count_60(void **state)
{
	struct fx *fx = *state;

	assert_string_equal(queue_read(fx, 5, 1, "request_count"), "-\n");
	assert_string_equal(queue_read(fx, 3, 1, "request_count"), "0\n");
}

/* A queue created deconfigured is not nudged either. */
static void test_zcrypt_request_count_deconfigured_queue(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(card_write(fx, 5, "config", "0"), 1);
	assert_int_equal(apb_hw_set_domain(fx->bus, 0x20, true), 0);
	apb_scan(fx->bus);
	assert_string_equal(queue_read(fx, 5, 0x20, "request_count"), "-\n");
	assert_string_equal(queue_read(fx, 4, 0x20, "request_count"), "0\n");
}

/* ---- firmware files --------------------------------------------------------- */

static void tweak_firmware(struct apb_host_spec *spec)
{
	static const u8 wk[32] = { 0xaa, 0xbb, [31] = 0x1f };

	fx_spec_add_adapter(spec, 0x0b, 13);
	spec->adapter[0x0b].functions = APB_FUNC_EP11;
	fx_spec_add_adapter(spec, 0x0c, 14);
	spec->adapter[0x0c].functions = APB_FUNC_ACCEL;
	memcpy(spec->fw[3].serial, "93AABD52", 9);
	spec->fw[3].mk[APB_MK_AES_CUR].state = 1;
	memcpy(spec->fw[3].mk[APB_MK_AES_CUR].vp, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);
	spec->fw[3].mk[APB_MK_APKA_NEW].state = 1;	/* partial: no pattern */
	spec->fw[3].mk[APB_MK_ASYM_OLD].state = 1;
	spec->fw[3].mk[APB_MK_ASYM_OLD].vp[15] = 0x42;
	spec->fw[0x0b].mk[APB_MK_WK_CUR].state = 1;
	memcpy(spec->fw[0x0b].mk[APB_MK_WK_CUR].vp, wk, sizeof(wk));
	spec->fw[0x0b].mk[APB_MK_WK_NEW].state = 2;
}

static const struct fx_variant firmware = { .tweak = tweak_firmware };

static const char cca_mkvps[] =
	"AES NEW: empty 0x0000000000000000\n"
	"AES CUR: valid 0x0123456789abcdef\n"
	"AES OLD: invalid 0x0000000000000000\n"
	"APKA NEW: partial 0x0000000000000000\n"
	"APKA CUR: invalid 0x0000000000000000\n"
	"APKA OLD: invalid 0x0000000000000000\n"
	"ASYM NEW: empty 0x00000000000000000000000000000000\n"
	"ASYM CUR: invalid 0x00000000000000000000000000000000\n"
	"ASYM OLD: valid 0x00000000000000000000000000000042\n";

static const char cca_failed[] =
	"AES NEW: - -\nAES CUR: - -\nAES OLD: - -\n"
	"APKA NEW: - -\nAPKA CUR: - -\nAPKA OLD: - -\n"
	"ASYM NEW: - -\nASYM CUR: - -\nASYM OLD: - -\n";

static void test_zcrypt_cca_firmware_files(void **state)
{
	struct fx *fx = *state;

	assert_string_equal(card_read(fx, 3, "serialnr"), "93AABD52\n");
	assert_null(card_read(fx, 3, "API_ordinalnr"));	/* EP11 only */
	assert_string_equal(queue_read(fx, 3, 1, "mkvps"), cca_mkvps);
	assert_null(queue_read(fx, 3, 1, "op_modes"));
	/* vfio_ap's queues take no zcrypt request: an empty line */
	assert_string_equal(card_read(fx, 4, "serialnr"), "\n");
	/* zcrypt's again, and no serial given: apsim's own */
	assert_int_equal(fx_bus_write(fx, "apmask", "+4"), 2);
	assert_string_equal(card_read(fx, 4, "serialnr"), "APSIMC04\n");
	/* a queue that cannot take requests: the query fails */
	assert_int_equal(queue_write(fx, 3, 1, "online", "0"), 1);
	assert_string_equal(queue_read(fx, 3, 1, "mkvps"), cca_failed);
	/* serialnr asks the queue at ap_domain (0) */
	assert_string_equal(card_read(fx, 3, "serialnr"), "93AABD52\n");
	assert_int_equal(queue_write(fx, 3, 0, "online", "0"), 1);
	assert_string_equal(card_read(fx, 3, "serialnr"), "\n");
	/* only zcrypt's queues carry mkvps; accelerators none of these */
	assert_null(queue_read(fx, 5, 1, "mkvps"));
	assert_null(card_read(fx, 0x0c, "serialnr"));
	assert_null(queue_read(fx, 0x0c, 1, "mkvps"));
}

static void test_zcrypt_ep11_firmware_files(void **state)
{
	struct fx *fx = *state;
	char want[256];

	assert_string_equal(card_read(fx, 0x0b, "serialnr"), "APSIMP000000000B\n");
	assert_string_equal(card_read(fx, 0x0b, "API_ordinalnr"), "7\n");
	assert_string_equal(card_read(fx, 0x0b, "FW_version"), "7.15\n");
	assert_string_equal(card_read(fx, 0x0b, "op_modes"), "\n");
	assert_string_equal(queue_read(fx, 0x0b, 2, "op_modes"), "\n");
	snprintf(want, sizeof(want), "WK CUR: valid 0xaabb%058x1f\nWK NEW: committed 0x%064x\n",
		 0, 0);
	assert_string_equal(queue_read(fx, 0x0b, 2, "mkvps"), want);
	/* a card with no usable queue answers nothing */
	assert_int_equal(card_write(fx, 0x0b, "online", "0"), 1);
	assert_string_equal(card_read(fx, 0x0b, "serialnr"), "\n");
	assert_string_equal(card_read(fx, 0x0b, "FW_version"), "\n");
	assert_string_equal(queue_read(fx, 0x0b, 2, "mkvps"), "WK CUR: - -\nWK NEW: - -\n");
}

static void tweak_firmware_615(struct apb_host_spec *spec)
{
	tweak_firmware(spec);
	spec->profile = ap_profile_find("6.15");
}

static const struct fx_variant firmware_615 = { .tweak = tweak_firmware_615 };

/* The ASYM lines are newer than 6.15. */
static void test_zcrypt_cca_mkvps_without_asym(void **state)
{
	struct fx *fx = *state;

	assert_string_equal(queue_read(fx, 3, 1, "mkvps"),
			    "AES NEW: empty 0x0000000000000000\n"
			    "AES CUR: valid 0x0123456789abcdef\n"
			    "AES OLD: invalid 0x0000000000000000\n"
			    "APKA NEW: partial 0x0000000000000000\n"
			    "APKA CUR: invalid 0x0000000000000000\n"
			    "APKA OLD: invalid 0x0000000000000000\n");
}

/* ---- /sys/class/zcrypt ---------------------------------------------------------- */

static long zc_write(struct fx *fx, const char *attr, const char *text)
{
	const struct apb_attr *a = apb_attr_find(APB_OBJ_ZCRYPT, attr);

	return apb_attr_store(fx->bus, APB_OBJ_ZCRYPT, a, 0, 0, text, strlen(text));
}

static const char *zcdn_read(struct fx *fx, unsigned int minor, const char *attr)
{
	const struct apb_attr *a = apb_attr_find(APB_OBJ_ZCDN, attr);
	int n = apb_attr_show(fx->bus, APB_OBJ_ZCDN, a, minor, 0, fx->buf);

	if (n < 0)
		return NULL;
	fx->buf[n] = '\0';
	return fx->buf;
}

static long zcdn_write(struct fx *fx, unsigned int minor, const char *attr, const char *text)
{
	const struct apb_attr *a = apb_attr_find(APB_OBJ_ZCDN, attr);

	return apb_attr_store(fx->bus, APB_OBJ_ZCDN, a, minor, 0, text, strlen(text));
}

static void test_zcrypt_class_nodes(void **state)
{
	struct fx *fx = *state;
	char name[APB_ZCDN_NAME_MAX];
	const struct apb_attr *create = apb_attr_find(APB_OBJ_ZCRYPT, "create");

	assert_non_null(create);
	assert_int_equal(create->mode, 0600);
	assert_int_equal(apb_attr_show(fx->bus, APB_OBJ_ZCRYPT, create, 0, 0, fx->buf), -EIO);
	assert_int_equal(zc_write(fx, "create", "  my_node \n"), 11);
	assert_int_equal(apb_zcdn_find(fx->bus, "my_node"), 0);
	assert_int_equal(zc_write(fx, "create", "\n"), 1);
	assert_true(apb_zcdn_name(fx->bus, 1, name));
	assert_string_equal(name, "zcrypt_1");
	assert_int_equal(zc_write(fx, "create", "my_node"), -EEXIST);
	assert_int_equal(zc_write(fx, "create", "create"), -EEXIST);
	assert_string_equal(zcdn_read(fx, 0, "dev"), "241:0\n");
	assert_string_equal(zcdn_read(fx, 1, "apmask"),
			    "0x0000000000000000000000000000000000000000000000000000000000000000\n");
	assert_int_equal(zcdn_write(fx, 1, "apmask", "+3"), 2);
	assert_int_equal(zcdn_write(fx, 1, "ioctlmask", "0xff"), 4);
	assert_int_equal(zcdn_write(fx, 1, "admask", "+256"), -EINVAL);
	assert_string_equal(zcdn_read(fx, 1, "apmask"),
			    "0x1000000000000000000000000000000000000000000000000000000000000000\n");
	assert_string_equal(zcdn_read(fx, 1, "ioctlmask"),
			    "0xff00000000000000000000000000000000000000000000000000000000000000\n");
	/* names are cut to 31 characters; a '/' becomes '!' */
	assert_int_equal(zc_write(fx, "create", "a/b"), 3);
	assert_int_equal(apb_zcdn_find(fx->bus, "a!b"), 2);
	assert_int_equal(zc_write(fx, "create", "0123456789012345678901234567890123"), 34);
	assert_int_equal(apb_zcdn_find(fx->bus, "0123456789012345678901234567890"), 3);
	assert_int_equal(zc_write(fx, "destroy", " zcrypt_1\n"), 10);
	assert_null(zcdn_read(fx, 1, "dev"));
	assert_int_equal(zc_write(fx, "destroy", "zcrypt_1"), -ENOENT);
	/* the lowest free minor again */
	assert_int_equal(zc_write(fx, "create", ""), 0);
	assert_int_equal(apb_zcdn_find(fx->bus, "zcrypt_1"), 1);
}

static void test_zcrypt_class_full(void **state)
{
	struct fx *fx = *state;
	unsigned int i;

	for (i = 0; i < APB_ZCDN_MAX; i++)
		assert_int_equal(zc_write(fx, "create", "\n"), 1);
	assert_int_equal(zc_write(fx, "create", "one_more"), -ENOSPC);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_zcrypt_ap_functions_per_type_and_mode),
		FX_TEST_VARIANT(test_zcrypt_ap_functions_follow_qci, &no_apsc_apxa),
		FX_TEST(test_zcrypt_depth_is_qd),
		FX_TEST_VARIANT(test_zcrypt_online_refused_only_when_deconfigured, &fx_kernel_60),
		FX_TEST(test_zcrypt_online_refused_when_checkstopped),
		FX_TEST(test_zcrypt_card_online_uevents),
		FX_TEST(test_zcrypt_request_count_by_queue_state),
		FX_TEST_VARIANT(test_zcrypt_request_count_60, &fx_kernel_60),
		FX_TEST(test_zcrypt_request_count_deconfigured_queue),
		FX_TEST_VARIANT(test_zcrypt_cca_firmware_files, &firmware),
		FX_TEST_VARIANT(test_zcrypt_ep11_firmware_files, &firmware),
		FX_TEST_VARIANT(test_zcrypt_cca_mkvps_without_asym, &firmware_615),
		FX_TEST(test_zcrypt_class_nodes),
		FX_TEST(test_zcrypt_class_full),
	};

	fx_apply_test_filter(argc, argv);
	return cmocka_run_group_tests_name("zcrypt", tests, NULL, NULL);
}
