// SPDX-License-Identifier: GPL-2.0
/*
 * test_bus.c - the AP bus side as vfio_ap sees it: apmask/aqmask syntax,
 * the in_use veto, re-binding, driver matching, scans and the bus
 * attributes (docs/kernel-abi.md §3; checklist items 28-33, 36, 39, 40, 48,
 * 49).
 *
 * Standard host (fixture.h): apmask = all ones except 4-6, aqmask = all ones.
 */
#include "fixture.h"

#include <string.h>

#define ALL_F "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\n"

static const char *mask_line(char out[68], const int *ids)
{
	fx_hexmask(out, ids);
	out[66] = '\n';
	out[67] = '\0';
	return out;
}

/* "0x" + 64 hex + "\n" for the complement of @ids (all-ones minus some). */
static const char *mask_line_without(char out[68], const int *ids)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	mask_line(out, ids);
	for (i = 2; i < 66; i++) {
		int v = out[i] <= '9' ? out[i] - '0' : out[i] - 'a' + 10;

		out[i] = hex[~v & 15];
	}
	return out;
}

static void tweak_default_masks(struct apb_host_spec *spec)
{
	apbm_fill(&spec->apmask);
	apbm_fill(&spec->aqmask);
}

static const struct fx_variant default_masks = { .tweak = tweak_default_masks };

/* ---- item 28: mask read ---------------------------------------------------- */

static void test_bus_masks_default_all_ones(void **state)
{
	struct fx *fx = *state;

	assert_string_equal(fx_bus_read(fx, "apmask"), ALL_F);
	assert_string_equal(fx_bus_read(fx, "aqmask"), ALL_F);
	/* everything is host-reserved: nothing went to vfio_ap */
	assert_int_equal(fx_queue_drv(fx, 5, 4), APB_DRV_CEX4QUEUE);
}

static void test_bus_mask_read_is_msb_first(void **state)
{
	struct fx *fx = *state;
	char want[68];

	assert_string_equal(fx_bus_read(fx, "apmask"), mask_line_without(want, FX_IDS(4, 5, 6)));
	assert_int_equal(strlen(fx_bus_read(fx, "apmask")), 67);
	assert_memory_equal(fx_bus_read(fx, "apmask"), "0xf1ff", 6);
}

/* ---- item 29: relative mode -------------------------------------------------- */

static void test_bus_mask_relative_writes(void **state)
{
	struct fx *fx = *state;
	char want[68];

	assert_int_equal(fx_bus_write(fx, "aqmask", "-0-255,+1-16"), 12);
	assert_string_equal(fx_bus_read(fx, "aqmask"),
			    mask_line(want, FX_IDS(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)));
	assert_int_equal(fx_bus_write(fx, "aqmask", "+0,-6,+0x47,-0xf0\n"), 18);
	assert_string_equal(fx_bus_read(fx, "aqmask"),
			    mask_line(want, FX_IDS(0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14,
						   15, 16, 0x47)));
	/* octal, and the last operation wins */
	assert_int_equal(fx_bus_write(fx, "aqmask", "-0-255\n+010,-010,+011"), 21);
	assert_string_equal(fx_bus_read(fx, "aqmask"), mask_line(want, FX_IDS(9)));
}

static void test_bus_mask_relative_rejects_with_einval(void **state)
{
	static const char *const bad[] = {
		"+1 ", "+256", "+0-256", "+5-3", "+1,2", "+", "+ 1", "+1;+2", "-x",
	};
	struct fx *fx = *state;
	char before[68];
	size_t i;

	strcpy(before, fx_bus_read(fx, "apmask"));
	fx_clear_records(fx);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(fx_bus_write(fx, "apmask", bad[i]), -EINVAL);
	assert_string_equal(fx_bus_read(fx, "apmask"), before);
	assert_int_equal(fx->nr_uevents, 0);
}

/* ---- item 30: absolute mode ---------------------------------------------------- */

static void test_bus_mask_absolute_writes(void **state)
{
	struct fx *fx = *state;
	char want[68];

	assert_int_equal(fx_bus_write(fx, "apmask", "0x41"), 4);
	assert_string_equal(fx_bus_read(fx, "apmask"), mask_line(want, FX_IDS(1, 7)));
	assert_int_equal(fx_bus_write(fx, "apmask", "x8"), 2);
	assert_string_equal(fx_bus_read(fx, "apmask"), mask_line(want, FX_IDS(0)));
	assert_int_equal(fx_bus_write(fx, "apmask", ALL_F), 67);
	assert_string_equal(fx_bus_read(fx, "apmask"), ALL_F);
	assert_int_equal(fx_bus_write(fx, "apmask", "\n"), 1);
	assert_string_equal(fx_bus_read(fx, "apmask"), mask_line(want, FX_NONE));
	assert_int_equal(fx_bus_write(fx, "apmask", "ff"), 2);
	assert_int_equal(apb_bus_attr_store(fx->bus, "apmask", "", 0), 0);
	assert_string_equal(fx_bus_read(fx, "apmask"), mask_line(want, FX_NONE));
}

static void test_bus_mask_absolute_rejects_with_einval(void **state)
{
	struct fx *fx = *state;
	char text[80], before[68];

	strcpy(before, fx_bus_read(fx, "apmask"));
	snprintf(text, sizeof(text), "0x%065d", 0);
	assert_int_equal(fx_bus_write(fx, "apmask", text), -EINVAL);
	assert_int_equal(fx_bus_write(fx, "apmask", "0X41"), -EINVAL);
	assert_int_equal(fx_bus_write(fx, "apmask", "0xzz"), -EINVAL);
	assert_int_equal(fx_bus_write(fx, "apmask", "0x41 "), -EINVAL);
	assert_string_equal(fx_bus_read(fx, "apmask"), before);
}

/* ---- item 31: the in_use veto ------------------------------------------------------ */

static void test_bus_apmask_reserving_assigned_apqn_is_ebusy(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	char before[68];

	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 4, 6);
	strcpy(before, fx_bus_read(fx, "apmask"));
	fx_clear_records(fx);
	assert_int_equal(fx_bus_write(fx, "apmask", "+5"), -EBUSY);
	assert_string_equal(fx_bus_read(fx, "apmask"), before);
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN, "vfio_ap_mdev " FX_UUID1
				      ": Can not reserve queue 05.0004 for host driver: in use by mdev"), 1);
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN, "vfio_ap_mdev " FX_UUID1
				      ": Can not reserve queue 05.0006 for host driver: in use by mdev"), 1);
	assert_int_equal(fx_log_total(fx), 2);
	assert_int_equal(fx->nr_uevents, 0);
	assert_int_equal(fx_queue_drv(fx, 5, 4), APB_DRV_VFIO_AP);
	/* absolute mode is vetoed the same way */
	assert_int_equal(fx_bus_write(fx, "apmask", ALL_F), -EBUSY);
	assert_string_equal(fx_bus_read(fx, "apmask"), before);
}

static void test_bus_clearing_mask_bits_never_refused(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);
	char want[68];

	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 4);
	assert_int_equal(fx_bus_write(fx, "apmask", "-3"), 2);
	assert_int_equal(fx_bus_write(fx, "aqmask", "-4-5"), 4);
	assert_string_equal(fx_bus_read(fx, "apmask"), mask_line_without(want, FX_IDS(3, 4, 5, 6)));
	assert_string_equal(fx_bus_read(fx, "aqmask"), mask_line_without(want, FX_IDS(4, 5)));
	/* a write that sets an unrelated bit is fine */
	assert_int_equal(fx_bus_write(fx, "apmask", "+3"), 2);
	assert_int_equal(fx_log_total(fx), 0);
}

static void test_bus_aqmask_reserving_assigned_apqn_is_ebusy(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(fx_bus_write(fx, "aqmask", "-4"), 2);
	assert_int_equal(fx_bus_write(fx, "apmask", "+4-6"), 4);
	assert_int_equal(fx_queue_drv(fx, 5, 4), APB_DRV_VFIO_AP);
	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 4);
	fx_clear_records(fx);
	assert_int_equal(fx_bus_write(fx, "aqmask", "+4"), -EBUSY);
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN, "vfio_ap_mdev " FX_UUID1
				      ": Can not reserve queue 05.0004 for host driver: in use by mdev"), 1);
	assert_int_equal(fx_log_total(fx), 1);
}

static void test_bus_in_use_reports_newest_mdev_only(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m1 = fx_mdev(fx, FX_UUID1);
	struct vap_mdev *m2 = fx_mdev(fx, FX_UUID2);

	FX_WRITE_IDS(fx, m1, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m1, "assign_domain", 4);
	FX_WRITE_IDS(fx, m2, "assign_adapter", 6);
	FX_WRITE_IDS(fx, m2, "assign_domain", 4);
	fx_clear_records(fx);
	assert_int_equal(fx_bus_write(fx, "apmask", "+5-6"), -EBUSY);
	/* mdev_list is newest first (list_add): m2 is reported */
	assert_int_equal(fx_log_count(fx, VAP_LOG_WARN, "vfio_ap_mdev " FX_UUID2
				      ": Can not reserve queue 06.0004 for host driver: in use by mdev"), 1);
	assert_int_equal(fx_log_total(fx), 1);
	/* the engine's in_use callback directly: -EADDRINUSE */
	{
		struct apbm apm = fx_mask(FX_IDS(6)), aqm = fx_mask(FX_IDS(4, 9));

		assert_int_equal(vap_resource_in_use(fx->md, &apm, &aqm), -EADDRINUSE);
		aqm = fx_mask(FX_IDS(9));
		assert_int_equal(vap_resource_in_use(fx->md, &apm, &aqm), 0);
	}
}

/* ---- item 32: the in_use "other dimension" across 6.19 ----------------------------- */

/* §3.3: an mdev holds (5,4); APID 5 is not in apmask, domain 4 not in aqmask. */
static void in_use_scenario(struct fx *fx)
{
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_int_equal(fx_bus_write(fx, "aqmask", "-4"), 2);
	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 4);
	fx_clear_records(fx);
}

static void tweak_in_use_618(struct apb_host_spec *spec)
{
	spec->profile = ap_profile_find("6.15");	/* the newest before 6.19 */
}

static const struct fx_variant in_use_618 = { .tweak = tweak_in_use_618 };

static void test_bus_in_use_all_ones_619(void **state)
{
	struct fx *fx = *state;
	char want[68];

	in_use_scenario(fx);
	assert_int_equal(fx_bus_write(fx, "apmask", "+5"), -EBUSY);
	assert_string_equal(fx_bus_read(fx, "apmask"), mask_line_without(want, FX_IDS(4, 5, 6)));
	assert_int_equal(fx_log_total(fx), 1);
}

static void test_bus_in_use_current_mask_618(void **state)
{
	struct fx *fx = *state;
	char want[68];

	in_use_scenario(fx);
	/* domain 4 is not in aqmask: APID 5 may be reserved */
	assert_int_equal(fx_bus_write(fx, "apmask", "+5"), 2);
	assert_string_equal(fx_bus_read(fx, "apmask"), mask_line_without(want, FX_IDS(4, 6)));
	assert_int_equal(fx_log_total(fx), 0);
	/* and (5,4) is still not host-reserved: its queue stays with vfio_ap */
	assert_int_equal(fx_queue_drv(fx, 5, 4), APB_DRV_VFIO_AP);
	assert_int_equal(fx_queue_drv(fx, 5, 3), APB_DRV_CEX4QUEUE);
	/* now reserving domain 4 conflicts through the current apmask */
	assert_int_equal(fx_bus_write(fx, "aqmask", "+4"), -EBUSY);
	assert_int_equal(fx_log_total(fx), 1);
}

static void test_bus_in_use_aqmask_618(void **state)
{
	struct fx *fx = *state;

	in_use_scenario(fx);
	/* adapter 5 is not in apmask: domain 4 may be reserved before 6.19 */
	assert_int_equal(fx_bus_write(fx, "aqmask", "+4"), 2);
	assert_int_equal(fx_queue_drv(fx, 5, 4), APB_DRV_VFIO_AP);
	assert_int_equal(fx_queue_drv(fx, 3, 4), APB_DRV_CEX4QUEUE);
}

static void test_bus_in_use_aqmask_619(void **state)
{
	struct fx *fx = *state;

	in_use_scenario(fx);
	assert_int_equal(fx_bus_write(fx, "aqmask", "+4"), -EBUSY);
	assert_int_equal(fx_log_total(fx), 1);
}

/* ---- item 33: re-binding and uevents --------------------------------------------- */

static void test_bus_mask_change_rebinds_and_emits_uevent(void **state)
{
	struct fx *fx = *state;
	char env[96], line[68];
	unsigned int apqi;

	assert_int_equal(fx_bus_write(fx, "apmask", "-5"), 2);
	for (apqi = 0; apqi < 16; apqi++) {
		assert_int_equal(fx_queue_drv(fx, 5, apqi), APB_DRV_VFIO_AP);
		assert_int_equal(fx_queue_drv(fx, 4, apqi), APB_DRV_CEX4QUEUE);
	}
	assert_int_equal(fx->nr_uevents, 1);
	snprintf(env, sizeof(env), "APMASK=%s", mask_line_without(line, FX_IDS(5)));
	assert_string_equal(fx->uevent[0].env, env);
	assert_string_equal(fx->uevent[0].devpath, "devices/ap");
	assert_memory_equal(env, "APMASK=0xfbff", 13);

	/* unchanged: no uevent, no rebinding */
	fx_clear_records(fx);
	assert_int_equal(fx_bus_write(fx, "apmask", "-5"), 2);
	assert_int_equal(fx_bus_write(fx, "apmask", mask_line_without(line, FX_IDS(5))), 67);
	assert_int_equal(fx->nr_uevents, 0);
	assert_string_equal(fx_resets(fx), "");

	/* taking them back: a reset each on the way out of vfio_ap */
	assert_int_equal(fx_bus_write(fx, "aqmask", "-0-255,+0-7"), 11);
	assert_int_equal(fx_queue_drv(fx, 5, 7), APB_DRV_VFIO_AP);
	assert_int_equal(fx_queue_drv(fx, 5, 8), APB_DRV_VFIO_AP);
	assert_int_equal(fx_queue_drv(fx, 4, 8), APB_DRV_VFIO_AP);
	assert_int_equal(fx_queue_drv(fx, 4, 7), APB_DRV_CEX4QUEUE);
	snprintf(env, sizeof(env), "AQMASK=%s",
		 mask_line(line, FX_IDS(0, 1, 2, 3, 4, 5, 6, 7)));
	assert_int_equal(fx_uevent_count(fx, "devices/ap", env), 1);
	fx_clear_records(fx);
	assert_int_equal(fx_bus_write(fx, "apmask", "+5"), 2);
	assert_int_equal(fx_queue_drv(fx, 5, 7), APB_DRV_CEX4QUEUE);
	assert_int_equal(fx_queue_drv(fx, 5, 8), APB_DRV_VFIO_AP);
	assert_string_equal(fx_resets(fx),
			    "05.0000,05.0001,05.0002,05.0003,05.0004,05.0005,05.0006,05.0007");
}

/* ---- item 36: driver matching ----------------------------------------------------- */

static void tweak_mixed_types(struct apb_host_spec *spec)
{
	fx_spec_add_adapter(spec, 0x10, 9);	/* CEX3C: below CEX4 */
	fx_spec_add_adapter(spec, 0x11, 10);	/* CEX4 */
	fx_spec_add_adapter(spec, 0x12, 11);	/* CEX5 */
	fx_spec_add_adapter(spec, 0x13, 15);	/* newer than CEX8, QACT maps it */
	apbm_set_range(&spec->apmask, 0, 255);
	apbm_clear(&spec->apmask, 0x10);
	apbm_clear(&spec->apmask, 0x11);
	apbm_clear(&spec->apmask, 0x12);
	apbm_clear(&spec->apmask, 0x13);
}

static const struct fx_variant mixed_types = { .tweak = tweak_mixed_types };

static void test_bus_only_cex4_to_cex8_queues_bind(void **state)
{
	struct fx *fx = *state;

	assert_false(fx_queue_exists(fx, 0x10, 1));
	assert_false(apb_card_exists(fx->bus, 0x10));
	assert_int_equal(fx_queue_drv(fx, 0x11, 1), APB_DRV_VFIO_AP);
	assert_int_equal(fx_queue_drv(fx, 0x12, 1), APB_DRV_VFIO_AP);
	assert_int_equal(fx_queue_drv(fx, 0x13, 1), APB_DRV_VFIO_AP);
	assert_true(fx->md->queues[0x11][1].bound);
	assert_false(fx->md->queues[0x10][1].bound);
}

static void test_bus_cards_never_bind_to_vfio(void **state)
{
	struct fx *fx = *state;

	assert_true(apb_card_exists(fx->bus, 5));
	assert_int_equal(fx_vfio_bind(fx, "card05"), -ENODEV);
	assert_int_equal(apb_unbind_store(fx->bus, APB_DRV_CEX4CARD, "card05", 6), 6);
	assert_int_equal(fx_vfio_bind(fx, "card05\n"), -ENODEV);
	assert_int_equal(apb_bind_store(fx->bus, APB_DRV_CEX4CARD, "card05", 6), 6);
	assert_int_equal(fx_vfio_unbind(fx, "card05"), -ENODEV);
}

/* ---- item 39: scans -------------------------------------------------------------- */

static void test_bus_scans_count_and_force(void **state)
{
	struct fx *fx = *state;

	assert_string_equal(fx_bus_read(fx, "scans"), "1\n");
	/* hardware changes are invisible until a scan */
	assert_int_equal(apb_hw_set_adapter(fx->bus, 4, false), 0);
	assert_true(apb_card_exists(fx->bus, 4));
	assert_int_equal(fx_bus_write(fx, "scans", "1"), 1);
	assert_string_equal(fx_bus_read(fx, "scans"), "2\n");
	assert_false(apb_card_exists(fx->bus, 4));
	assert_false(fx_queue_exists(fx, 4, 1));
	apb_scan(fx->bus);
	assert_string_equal(fx_bus_read(fx, "scans"), "3\n");
}

/* ---- item 40: devices and card config ------------------------------------------- */

static void test_bus_devices_follow_qci(void **state)
{
	struct fx *fx = *state;

	assert_false(apb_card_exists(fx->bus, 7));
	assert_int_equal(apb_hw_set_adapter_type(fx->bus, 7, AP_TYPE_CEX8,
						 APB_FUNC_CCA), 0);
	assert_int_equal(apb_hw_set_adapter(fx->bus, 7, true), 0);
	assert_int_equal(apb_hw_set_domain(fx->bus, 0x20, true), 0);
	apb_scan(fx->bus);
	assert_true(apb_card_exists(fx->bus, 7));
	assert_true(fx_queue_exists(fx, 7, 0x20));
	assert_true(fx_queue_exists(fx, 4, 0x20));
	assert_int_equal(fx_queue_drv(fx, 7, 0x20), APB_DRV_CEX4QUEUE);
	assert_int_equal(fx_queue_drv(fx, 4, 0x20), APB_DRV_VFIO_AP);
	assert_int_equal(apb_hw_set_domain(fx->bus, 0x20, false), 0);
	apb_scan(fx->bus);
	assert_false(fx_queue_exists(fx, 7, 0x20));
	assert_true(fx_queue_exists(fx, 7, 0x1));
	assert_false(fx->md->queues[4][0x20].bound);
}

static void tweak_adapter_2a(struct apb_host_spec *spec)
{
	fx_spec_add_adapter(spec, 0x2a, AP_TYPE_CEX8);
	apbm_clear(&spec->apmask, 0x2a);
}

static const struct fx_variant adapter_2a = { .tweak = tweak_adapter_2a };

static void test_bus_card_config_toggles_and_emits_uevent(void **state)
{
	struct fx *fx = *state;
	char buf[APC_PAGE_SIZE];
	int n;

	assert_int_equal(apb_card_attr_store(fx->bus, 0x2a, "config", "0\n", 2), 2);
	assert_int_equal(fx_uevent_count(fx, "devices/ap/card2a", "CONFIG=0"), 1);
	/* the queues see TAPQ rc 03 at the rescan */
	assert_int_equal(fx_uevent_count(fx, "devices/ap/card2a/2a.000b", "CONFIG=0"), 1);
	n = apb_card_attr_show(fx->bus, 0x2a, "config", buf);
	buf[n] = '\0';
	assert_string_equal(buf, "0\n");
	n = apb_queue_attr_show(fx->bus, 0x2a, 0xb, "config", buf);
	buf[n] = '\0';
	assert_string_equal(buf, "0\n");
	assert_int_equal(apb_card_attr_store(fx->bus, 0x2a, "config", "2", 1), -EINVAL);
	assert_int_equal(apb_card_attr_store(fx->bus, 0x2a, "config", "x", 1), -EINVAL);
	fx_clear_records(fx);
	assert_int_equal(apb_card_attr_store(fx->bus, 0x2a, "config", "1", 1), 1);
	assert_int_equal(fx_uevent_count(fx, "devices/ap/card2a", "CONFIG=1"), 1);
	assert_int_equal(fx_uevent_count(fx, "devices/ap/card2a/2a.000b", "CONFIG=1"), 1);
	/* queue config is read-only */
	assert_int_equal(apb_queue_attr_store(fx->bus, 0x2a, 0xb, "config", "0", 1), -EACCES);
}

static long queue_write(struct fx *fx, unsigned int apid, unsigned int apqi, const char *attr,
			const char *text);
static const char *queue_read(struct fx *fx, unsigned int apid, unsigned int apqi,
			      const char *attr);

static const char *card_read(struct fx *fx, unsigned int apid, const char *attr)
{
	int n = apb_card_attr_show(fx->bus, apid, attr, fx->buf);

	assert_true(n >= 0);
	fx->buf[n] = '\0';
	return fx->buf;
}

static long card_write(struct fx *fx, unsigned int apid, const char *attr, const char *text)
{
	return apb_card_attr_store(fx->bus, apid, attr, text, strlen(text));
}

/* Upstream item 9: every accepted write sends CONFIG=, "+1" is not a number. */
static void test_bus_card_config_uevent_every_write(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(card_write(fx, 0x2a, "config", "1"), 1);
	assert_int_equal(fx_uevent_count(fx, "devices/ap/card2a", "CONFIG=1"), 1);
	assert_int_equal(card_write(fx, 0x2a, "config", " 1\n"), 3);
	assert_int_equal(fx_uevent_count(fx, "devices/ap/card2a", "CONFIG=1"), 2);
	/* the unchanged writes changed nothing else */
	assert_int_equal(fx_uevent_count(fx, "devices/ap/card2a/2a.000b", "CONFIG=1"), 0);
	assert_string_equal(card_read(fx, 0x2a, "config"), "1\n");
	fx_clear_records(fx);
	assert_int_equal(card_write(fx, 0x2a, "config", "+1"), -EINVAL);
	assert_int_equal(card_write(fx, 0x2a, "config", "+0"), -EINVAL);
	assert_int_equal(fx->nr_uevents, 0);
	/* %d reads "0x1" as 0: it deconfigures */
	assert_int_equal(card_write(fx, 0x2a, "config", "0x1"), 3);
	assert_string_equal(card_read(fx, 0x2a, "config"), "0\n");
	assert_int_equal(fx_uevent_count(fx, "devices/ap/card2a", "CONFIG=0"), 1);
	/* 2^32 + 1 truncates to 1: it configures */
	assert_int_equal(card_write(fx, 0x2a, "config", "4294967297"), 10);
	assert_string_equal(card_read(fx, 0x2a, "config"), "1\n");
	assert_int_equal(card_write(fx, 0x2a, "config", "-0"), 2);
	assert_string_equal(card_read(fx, 0x2a, "config"), "0\n");
}

/* Upstream item 10: config_time, ap_domain and online parse as sscanf(). */
static void test_bus_sscanf_attrs(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(fx_bus_write(fx, "config_time", "+30"), -EINVAL);
	assert_int_equal(fx_bus_write(fx, "config_time", "\t 60 seconds"), 12);
	assert_string_equal(fx_bus_read(fx, "config_time"), "60\n");
	assert_int_equal(fx_bus_write(fx, "config_time", "4294967326"), 10);
	assert_string_equal(fx_bus_read(fx, "config_time"), "30\n");
	assert_int_equal(fx_bus_write(fx, "config_time", "0x10"), -EINVAL);
	assert_int_equal(fx_bus_write(fx, "config_time",
				      "000000000000000000000000000000000000000000000000000007"), 54);
	assert_string_equal(fx_bus_read(fx, "config_time"), "7\n");
	assert_int_equal(fx_bus_write(fx, "ap_domain", "010"), 3);
	assert_string_equal(fx_bus_read(fx, "ap_domain"), "8\n");
	assert_int_equal(fx_bus_write(fx, "ap_domain", "08"), 2);
	assert_string_equal(fx_bus_read(fx, "ap_domain"), "0\n");
	assert_int_equal(fx_bus_write(fx, "ap_domain", "+1"), -EINVAL);
	assert_int_equal(fx_bus_write(fx, "ap_domain", " 0xb junk"), 9);
	assert_string_equal(fx_bus_read(fx, "ap_domain"), "11\n");
	assert_int_equal(fx_bus_write(fx, "ap_domain", "4294967298"), 10);
	assert_string_equal(fx_bus_read(fx, "ap_domain"), "2\n");
	assert_int_equal(card_write(fx, 3, "online", "+0"), -EINVAL);
	assert_int_equal(card_write(fx, 3, "online", "4294967296"), 10);
	assert_string_equal(card_read(fx, 3, "online"), "0\n");
	assert_int_equal(card_write(fx, 3, "online", " 1 "), 3);
	assert_string_equal(card_read(fx, 3, "online"), "1\n");
	assert_int_equal(queue_write(fx, 3, 1, "online", "+1"), -EINVAL);
	assert_int_equal(queue_write(fx, 3, 1, "online", "-4294967296"), 11);
	assert_string_equal(queue_read(fx, 3, 1, "online"), "0\n");
}

/* Device names are "%02x" / "%02x.%04x": matching by name is exact (§3.5). */
static void test_bus_device_names_are_lowercase_hex(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(fx_queue_drv(fx, 0x2a, 0xb), APB_DRV_VFIO_AP);
	assert_int_equal(fx_vfio_unbind(fx, "2A.000B"), -ENODEV);
	assert_int_equal(fx_vfio_unbind(fx, "2a.000B"), -ENODEV);
	assert_int_equal(fx_vfio_unbind(fx, "2a.000b"), 7);
	assert_int_equal(fx_vfio_bind(fx, "2A.000B\n"), -ENODEV);
	assert_int_equal(fx_vfio_bind(fx, "2a.000b\n"), 8);
	assert_int_equal(apb_unbind_store(fx->bus, APB_DRV_CEX4CARD, "card2A", 6), -ENODEV);
	assert_int_equal(apb_unbind_store(fx->bus, APB_DRV_CEX4CARD, "card2a", 6), 6);
}

/* ---- item 48: bus attributes ----------------------------------------------------- */

static void test_bus_config_time_range(void **state)
{
	struct fx *fx = *state;

	assert_string_equal(fx_bus_read(fx, "config_time"), "30\n");
	assert_int_equal(fx_bus_write(fx, "config_time", "4"), -EINVAL);
	assert_int_equal(fx_bus_write(fx, "config_time", "121"), -EINVAL);
	assert_int_equal(fx_bus_write(fx, "config_time", "x"), -EINVAL);
	assert_int_equal(fx_bus_write(fx, "config_time", "5\n"), 2);
	assert_string_equal(fx_bus_read(fx, "config_time"), "5\n");
	assert_int_equal(fx_bus_write(fx, "config_time", "120"), 3);
	assert_string_equal(fx_bus_read(fx, "config_time"), "120\n");
}

/* Upstream item 11: kstrtoul(); past 2^64 - 1 it is ERANGE, not EINVAL. */
static void test_bus_poll_timeout_kstrtoul(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(fx_bus_write(fx, "poll_timeout", "18446744073709551616"), -ERANGE);
	assert_int_equal(fx_bus_write(fx, "poll_timeout", "0x10000000000000000"), -ERANGE);
	assert_int_equal(fx_bus_write(fx, "poll_timeout", "18446744073709551615"), -EINVAL);
	assert_int_equal(fx_bus_write(fx, "poll_timeout", "120000000001"), -EINVAL);
	assert_int_equal(fx_bus_write(fx, "poll_timeout", "5 "), -EINVAL);
	assert_int_equal(fx_bus_write(fx, "poll_timeout", "-5"), -EINVAL);
	assert_string_equal(fx_bus_read(fx, "poll_timeout"), "250000\n");
	assert_int_equal(fx_bus_write(fx, "poll_timeout", "+5\n"), 3);
	assert_string_equal(fx_bus_read(fx, "poll_timeout"), "5\n");
}

static void test_bus_ap_domain_rules(void **state)
{
	struct fx *fx = *state;

	assert_string_equal(fx_bus_read(fx, "ap_domain"), "0\n");
	assert_int_equal(fx_bus_write(fx, "ap_domain", "0x10"), 4);
	assert_string_equal(fx_bus_read(fx, "ap_domain"), "16\n");
	assert_int_equal(fx_bus_write(fx, "ap_domain", "256"), -EINVAL);
	assert_int_equal(fx_bus_write(fx, "ap_domain", "-1"), -EINVAL);
	assert_int_equal(fx_bus_write(fx, "aqmask", "-3"), 2);
	assert_int_equal(fx_bus_write(fx, "ap_domain", "3"), -EINVAL);
	assert_string_equal(fx_bus_read(fx, "ap_domain"), "16\n");
}

static void test_bus_bindings_and_features(void **state)
{
	struct fx *fx = *state;

	/* 4 adapters x 16 domains, all bound */
	assert_string_equal(fx_bus_read(fx, "bindings"), "64/64 (complete)\n");
	assert_int_equal(fx_vfio_unbind(fx, "05.0001"), 7);
	assert_string_equal(fx_bus_read(fx, "bindings"), "63/64\n");
	assert_string_equal(fx_bus_read(fx, "bindings_complete_count"), "1\n");
	fx_clear_records(fx);
	assert_int_equal(fx_vfio_bind(fx, "05.0001"), 7);
	assert_string_equal(fx_bus_read(fx, "bindings"), "64/64 (complete)\n");
	/* 6.10+: the probe re-arms, the next scan sends the uevent */
	assert_string_equal(fx_bus_read(fx, "bindings_complete_count"), "1\n");
	assert_int_equal(fx->nr_uevents, 0);
	apb_scan(fx->bus);
	assert_string_equal(fx_bus_read(fx, "bindings_complete_count"), "2\n");
	/* one uevent carries both variables, as the kernel sends them */
	assert_int_equal(fx_uevent_count(fx, "devices/ap", "BINDINGS=complete COMPLETECOUNT=2"), 1);
	assert_string_equal(fx_bus_read(fx, "features"), "APSC APXA QACT\n");
	assert_string_equal(fx_bus_read(fx, "ap_adapter_mask"),
			    "0x1e00000000000000000000000000000000000000000000000000000000000000\n");
	assert_string_equal(fx_bus_read(fx, "ap_usage_domain_mask"),
			    "0xffff000000000000000000000000000000000000000000000000000000000000\n");
	assert_string_equal(fx_bus_read(fx, "ap_control_domain_mask"),
			    "0xffff000000000000000000000000000000000000000000000000000000000000\n");
	assert_string_equal(fx_bus_read(fx, "ap_max_adapter_id"), "255\n");
	assert_string_equal(fx_bus_read(fx, "ap_max_domain_id"), "255\n");
	assert_int_equal(fx_bus_write(fx, "features", "x"), -EACCES);
}

/* Uevents whose variables start with @prefix, on any device. */
static unsigned int count_env_prefix(struct fx *fx, const char *prefix)
{
	unsigned int i, n = 0;

	for (i = 0; i < fx->nr_uevents; i++)
		if (!strncmp(fx->uevent[i].env, prefix, strlen(prefix)))
			n++;
	return n;
}

/* Upstream item 7 (6.10+): probes and new IDs re-arm, scans send. */
static void test_bus_bindings_rearm_and_scan(void **state)
{
	struct fx *fx = *state;

	/* a plain scan with everything bound sends nothing */
	apb_scan(fx->bus);
	assert_int_equal(count_env_prefix(fx, "BINDINGS="), 0);
	/* a mask change re-probes; all are bound again before any scan */
	assert_int_equal(fx_bus_write(fx, "apmask", "+4"), 2);
	assert_int_equal(count_env_prefix(fx, "BINDINGS="), 0);
	apb_scan(fx->bus);
	assert_int_equal(fx_uevent_count(fx, "devices/ap", "BINDINGS=complete COMPLETECOUNT=2"), 1);
	apb_scan(fx->bus);
	assert_int_equal(count_env_prefix(fx, "BINDINGS="), 1);
	/* unbinding alone does not re-arm */
	assert_int_equal(fx_vfio_unbind(fx, "05.0001"), 7);
	assert_int_equal(apb_unbind_store(fx->bus, APB_DRV_CEX4QUEUE, "03.0001", 7), 7);
	assert_int_equal(apb_bind_store(fx->bus, APB_DRV_CEX4QUEUE, "03.0001", 7), 7);
	apb_scan(fx->bus);
	assert_int_equal(count_env_prefix(fx, "BINDINGS="), 1);
	assert_int_equal(fx_vfio_bind(fx, "05.0001"), 7);
	apb_scan(fx->bus);
	assert_int_equal(fx_uevent_count(fx, "devices/ap", "BINDINGS=complete COMPLETECOUNT=3"), 1);
	/* a new adapter: all its queues bind during the scan, one uevent */
	assert_int_equal(apb_hw_set_adapter_type(fx->bus, 7, AP_TYPE_CEX8, APB_FUNC_CCA), 0);
	assert_int_equal(apb_hw_set_adapter(fx->bus, 7, true), 0);
	apb_scan(fx->bus);
	assert_int_equal(fx_uevent_count(fx, "devices/ap", "BINDINGS=complete COMPLETECOUNT=4"), 1);
	assert_int_equal(count_env_prefix(fx, "BINDINGS="), 3);
	assert_string_equal(fx_bus_read(fx, "bindings_complete_count"), "4\n");
}

/* Upstream item 7 before 6.9: every successful probe that leaves all bound. */
static void test_bus_bindings_per_probe_60(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(fx_vfio_unbind(fx, "05.0001"), 7);
	apb_scan(fx->bus);
	assert_int_equal(count_env_prefix(fx, "BINDINGS="), 0);
	assert_int_equal(fx_vfio_bind(fx, "05.0001"), 7);
	assert_int_equal(fx_uevent_count(fx, "devices/ap", "BINDINGS=complete COMPLETECOUNT=2"), 1);
	/* scans after the first send nothing by themselves */
	apb_scan(fx->bus);
	assert_int_equal(count_env_prefix(fx, "BINDINGS="), 1);
	/* a new adapter: the card and each of its 16 queues, one per probe */
	assert_int_equal(apb_hw_set_adapter_type(fx->bus, 7, AP_TYPE_CEX8, APB_FUNC_CCA), 0);
	assert_int_equal(apb_hw_set_adapter(fx->bus, 7, true), 0);
	apb_scan(fx->bus);
	assert_int_equal(count_env_prefix(fx, "BINDINGS="), 18);
	assert_int_equal(fx_uevent_count(fx, "devices/ap", "BINDINGS=complete COMPLETECOUNT=19"), 1);
}

/* Upstream item 6: a card needs a configured usage domain with TAPQ info. */
static void test_bus_card_needs_usage_domain(void **state)
{
	struct fx *fx = *state;
	unsigned int apqi;

	for (apqi = 0; apqi < 16; apqi++)
		assert_int_equal(apb_hw_set_domain(fx->bus, apqi, false), 0);
	apb_scan(fx->bus);
	assert_false(apb_card_exists(fx->bus, 3));
	assert_false(apb_card_exists(fx->bus, 5));
	assert_string_equal(fx_bus_read(fx, "bindings"), "0/0 (complete)\n");
	assert_int_equal(apb_hw_set_domain(fx->bus, 9, true), 0);
	apb_scan(fx->bus);
	assert_true(apb_card_exists(fx->bus, 3));
	assert_true(fx_queue_exists(fx, 3, 9));
	assert_false(fx_queue_exists(fx, 3, 1));
}

/* Upstream item 6: config and chkstop of a new card come from TAPQ. */
static void test_bus_card_state_from_first_answer(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(card_write(fx, 0x2a, "config", "0"), 1);
	assert_int_equal(apb_hw_set_adapter(fx->bus, 0x2a, false), 0);
	apb_scan(fx->bus);
	assert_false(apb_card_exists(fx->bus, 0x2a));
	assert_int_equal(apb_hw_set_adapter(fx->bus, 0x2a, true), 0);
	apb_scan(fx->bus);
	/* TAPQ 03: the card comes back deconfigured */
	assert_string_equal(card_read(fx, 0x2a, "config"), "0\n");
	assert_string_equal(queue_read(fx, 0x2a, 0xb, "config"), "0\n");
	/* TAPQ 04 wins over 03: checkstopped reads configured */
	assert_int_equal(apb_hw_set_chkstop(fx->bus, 0x2a, true), 0);
	assert_int_equal(apb_hw_set_adapter(fx->bus, 0x2a, false), 0);
	apb_scan(fx->bus);
	assert_int_equal(apb_hw_set_adapter(fx->bus, 0x2a, true), 0);
	apb_scan(fx->bus);
	assert_string_equal(card_read(fx, 0x2a, "chkstop"), "1\n");
	assert_string_equal(card_read(fx, 0x2a, "config"), "1\n");
}

/* Upstream item 8: checkstop on/off sends no CONFIG= uevent. */
static void test_bus_chkstop_sends_no_uevent(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(apb_hw_set_chkstop(fx->bus, 0x2a, true), 0);
	apb_scan(fx->bus);
	assert_string_equal(card_read(fx, 0x2a, "chkstop"), "1\n");
	assert_string_equal(queue_read(fx, 0x2a, 0xb, "chkstop"), "1\n");
	assert_int_equal(count_env_prefix(fx, "CONFIG="), 0);
	assert_int_equal(apb_hw_set_chkstop(fx->bus, 0x2a, false), 0);
	apb_scan(fx->bus);
	assert_string_equal(card_read(fx, 0x2a, "chkstop"), "0\n");
	assert_string_equal(queue_read(fx, 0x2a, 0xb, "chkstop"), "0\n");
	assert_int_equal(count_env_prefix(fx, "CONFIG="), 0);
}

/* Upstream item 8: a queue's config change in a checkstop scan waits a scan. */
static void test_bus_queue_config_after_chkstop_scan(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(card_write(fx, 0x2a, "config", "0"), 1);
	assert_string_equal(queue_read(fx, 0x2a, 0xb, "config"), "0\n");
	assert_int_equal(apb_hw_set_chkstop(fx->bus, 0x2a, true), 0);
	fx_clear_records(fx);
	/* configure: the rescan sees TAPQ 04 everywhere */
	assert_int_equal(card_write(fx, 0x2a, "config", "1"), 1);
	assert_int_equal(fx_uevent_count(fx, "devices/ap/card2a", "CONFIG=1"), 1);
	assert_string_equal(card_read(fx, 0x2a, "chkstop"), "1\n");
	assert_string_equal(queue_read(fx, 0x2a, 0xb, "chkstop"), "1\n");
	assert_string_equal(queue_read(fx, 0x2a, 0xb, "config"), "0\n");
	assert_int_equal(fx_uevent_count(fx, "devices/ap/card2a/2a.000b", "CONFIG=1"), 0);
	apb_scan(fx->bus);
	assert_string_equal(queue_read(fx, 0x2a, 0xb, "config"), "1\n");
	assert_int_equal(fx_uevent_count(fx, "devices/ap/card2a/2a.000b", "CONFIG=1"), 1);
}

static void tweak_nothing_reserved(struct apb_host_spec *spec)
{
	apbm_zero(&spec->apmask);
}

static const struct fx_variant nothing_reserved = { .tweak = tweak_nothing_reserved };

/* Upstream item 16: ap_domain needs a host card answering TAPQ 00. */
static void test_bus_ap_domain_selection(void **state)
{
	struct fx *fx = *state;

	assert_string_equal(fx_bus_read(fx, "ap_domain"), "-1\n");
	assert_int_equal(apb_hw_set_chkstop(fx->bus, 3, true), 0);
	assert_int_equal(fx_bus_write(fx, "aqmask", "-0"), 2);
	assert_int_equal(fx_bus_write(fx, "apmask", "+3"), 2);
	apb_scan(fx->bus);
	assert_string_equal(fx_bus_read(fx, "ap_domain"), "-1\n");	/* TAPQ 04 */
	assert_int_equal(apb_hw_set_chkstop(fx->bus, 3, false), 0);
	assert_string_equal(fx_bus_read(fx, "ap_domain"), "-1\n");	/* until a scan */
	apb_scan(fx->bus);
	assert_string_equal(fx_bus_read(fx, "ap_domain"), "1\n");	/* 0 is not in aqmask */
	/* never reset: not by aqmask, not by the configuration */
	assert_int_equal(fx_bus_write(fx, "aqmask", "-1"), 2);
	assert_int_equal(apb_hw_set_domain(fx->bus, 1, false), 0);
	apb_scan(fx->bus);
	assert_string_equal(fx_bus_read(fx, "ap_domain"), "1\n");
}

static void tweak_no_qci(struct apb_host_spec *spec)
{
	memset(&spec->qci, 0, sizeof(spec->qci));
}

static const struct fx_variant no_qci = { .tweak = tweak_no_qci };

static void test_bus_without_qci(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, FX_UUID1);

	assert_string_equal(fx_bus_read(fx, "features"), "-\n");
	assert_string_equal(fx_bus_read(fx, "ap_adapter_mask"), "not supported\n");
	assert_string_equal(fx_bus_read(fx, "ap_max_adapter_id"), "63\n");
	assert_string_equal(fx_bus_read(fx, "ap_max_domain_id"), "15\n");
	/* without QCI vfio_ap's host info is all zero: nothing passes (§1.1) */
	assert_int_equal(fx_bus_write(fx, "apmask", "-5"), 2);
	FX_WRITE_IDS(fx, m, "assign_adapter", 5);
	FX_WRITE_IDS(fx, m, "assign_domain", 1);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "");
	assert_int_equal(m->matrix.apm_max, 63);
	assert_int_equal(m->matrix.aqm_max, 15);
}

/* ---- item 49: driver_override (6.19+ baseline) ------------------------------ */

static long queue_write(struct fx *fx, unsigned int apid, unsigned int apqi, const char *attr,
			const char *text)
{
	return apb_queue_attr_store(fx->bus, apid, apqi, attr, text, strlen(text));
}

static const char *queue_read(struct fx *fx, unsigned int apid, unsigned int apqi,
			      const char *attr)
{
	int n = apb_queue_attr_show(fx->bus, apid, apqi, attr, fx->buf);

	assert_true(n >= 0);
	fx->buf[n] = '\0';
	return fx->buf;
}

static void test_bus_driver_override_needs_all_ones_masks(void **state)
{
	struct fx *fx = *state;

	/* standard host: apmask is not all ones */
	assert_string_equal(queue_read(fx, 3, 1, "driver_override"), "\n");
	assert_int_equal(queue_write(fx, 3, 1, "driver_override", "vfio_ap\n"), -EINVAL);
	assert_string_equal(queue_read(fx, 3, 1, "driver_override"), "\n");
	assert_int_equal(fx_bus_write(fx, "apmask", "+4-6"), 4);
	assert_int_equal(queue_write(fx, 3, 1, "driver_override", "vfio_ap\n"), 8);
	assert_string_equal(queue_read(fx, 3, 1, "driver_override"), "vfio_ap\n");
}

static void test_bus_mask_write_einval_while_override(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(queue_write(fx, 5, 2, "driver_override", "vfio_ap"), 7);
	assert_int_equal(fx_bus_write(fx, "apmask", "-5"), -EINVAL);
	assert_int_equal(fx_bus_write(fx, "aqmask", "0x"), -EINVAL);
	assert_string_equal(fx_bus_read(fx, "apmask"), ALL_F);
	/* an empty name clears the override; masks work again */
	assert_int_equal(queue_write(fx, 5, 2, "driver_override", "\n"), 1);
	assert_string_equal(queue_read(fx, 5, 2, "driver_override"), "\n");
	assert_int_equal(fx_bus_write(fx, "apmask", "-5"), 2);
}

static void test_bus_override_pins_binding(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, "aaaaaaaa-0000-0000-0000-000000000049");

	/* all queues host-reserved; the override does not re-bind by itself */
	assert_int_equal(queue_write(fx, 5, 2, "driver_override", "vfio_ap\n"), 8);
	assert_int_equal(fx_queue_drv(fx, 5, 2), APB_DRV_CEX4QUEUE);
	/* the masks still say "host": only the named driver may bind now */
	assert_int_equal(apb_unbind_store(fx->bus, APB_DRV_CEX4QUEUE, "05.0002", 7), 7);
	assert_int_equal(apb_bind_store(fx->bus, APB_DRV_CEX4QUEUE, "05.0002", 7), -ENODEV);
	assert_int_equal(fx_vfio_bind(fx, "05.0002"), 7);
	assert_int_equal(fx_queue_drv(fx, 5, 2), APB_DRV_VFIO_AP);
	/* owned_by_def_drv: the overridden APQN is free, its neighbours are not */
	assert_int_equal(fx_write(fx, m, "assign_adapter", "5"), 1);
	assert_int_equal(fx_write(fx, m, "assign_domain", "2"), 1);
	assert_string_equal(fx_read(fx, m, "guest_matrix"), "05.0002\n");
	assert_int_equal(fx_write(fx, m, "assign_domain", "3"), -EADDRNOTAVAIL);
	assert_string_equal(fx_read(fx, m, "matrix"), "05.0002\n");
}

static void test_bus_override_bound_to_default_is_host_owned(void **state)
{
	struct fx *fx = *state;
	struct vap_mdev *m = fx_mdev(fx, "aaaaaaaa-0000-0000-0000-000000000050");

	assert_int_equal(queue_write(fx, 6, 7, "driver_override", "cex4queue"), 9);
	assert_int_equal(fx_queue_drv(fx, 6, 7), APB_DRV_CEX4QUEUE);
	assert_int_equal(fx_write(fx, m, "assign_adapter", "6"), 1);
	assert_int_equal(fx_write(fx, m, "assign_domain", "7"), -EADDRNOTAVAIL);
}

/* Upstream item 12: driver_set_override()'s text rules, a page long. */
static void test_bus_driver_override_text_rules(void **state)
{
	struct fx *fx = *state;
	static char big[APC_PAGE_SIZE + 1];
	long n;

	assert_int_equal(queue_write(fx, 5, 2, "driver_override", "my driver\n"), 10);
	assert_string_equal(queue_read(fx, 5, 2, "driver_override"), "my driver\n");
	assert_int_equal(apb_queue_attr_store(fx->bus, 5, 2, "driver_override", "ab\0cd\n", 6), 6);
	assert_string_equal(queue_read(fx, 5, 2, "driver_override"), "ab\n");
	assert_int_equal(queue_write(fx, 5, 2, "driver_override", " x\ny\n"), 5);
	assert_string_equal(queue_read(fx, 5, 2, "driver_override"), " x\n");
	/* a leading newline clears, so does an empty name */
	assert_int_equal(queue_write(fx, 5, 2, "driver_override", "\nvfio_ap"), 8);
	assert_string_equal(queue_read(fx, 5, 2, "driver_override"), "\n");
	assert_int_equal(apb_nr_overrides(fx->bus), 0);
	assert_int_equal(queue_write(fx, 5, 2, "driver_override", "vfio_ap"), 7);
	assert_int_equal(apb_queue_attr_store(fx->bus, 5, 2, "driver_override", "\0x", 2), 2);
	assert_int_equal(apb_nr_overrides(fx->bus), 0);
	/* count >= PAGE_SIZE - 1 is refused, one less is a 4094-byte name */
	memset(big, 'v', APC_PAGE_SIZE);
	n = apb_queue_attr_store(fx->bus, 5, 2, "driver_override", big, APC_PAGE_SIZE - 1);
	assert_int_equal(n, -EINVAL);
	n = apb_queue_attr_store(fx->bus, 5, 2, "driver_override", big, APC_PAGE_SIZE - 2);
	assert_int_equal(n, APC_PAGE_SIZE - 2);
	n = apb_queue_attr_show(fx->bus, 5, 2, "driver_override", fx->buf);
	assert_int_equal(n, APC_PAGE_SIZE - 1);
	assert_int_equal(fx->buf[APC_PAGE_SIZE - 2], '\n');
	assert_int_equal(apb_nr_overrides(fx->bus), 1);
	/* the queue device goes, its override with it */
	assert_int_equal(apb_hw_set_domain(fx->bus, 2, false), 0);
	apb_scan(fx->bus);
	assert_int_equal(apb_nr_overrides(fx->bus), 0);
}

static void test_bus_no_driver_override_before_619(void **state)
{
	struct fx *fx = *state;
	char buf[APC_PAGE_SIZE];

	assert_int_equal(apb_queue_attr_show(fx->bus, 3, 1, "driver_override", buf), -ENOENT);
	assert_int_equal(queue_write(fx, 3, 1, "driver_override", "vfio_ap"), -ENOENT);
}

static void tweak_kernel_610(struct apb_host_spec *spec)
{
	spec->profile = ap_profile_find("6.10");
}

static const struct fx_variant kernel_610 = { .tweak = tweak_kernel_610 };

/*
 * 6.4 brought the bus's features and the queue's ap_functions: 6.0 has
 * neither file (the card's ap_functions it has), the first profile with
 * them is 6.10.
 */
static void test_bus_no_features_before_64(void **state)
{
	struct fx *fx = *state;
	char buf[APC_PAGE_SIZE];

	assert_int_equal(apb_bus_attr_show(fx->bus, "features", buf), -ENOENT);
	assert_int_equal(fx_bus_write(fx, "features", "x"), -ENOENT);
	assert_int_equal(apb_queue_attr_show(fx->bus, 3, 1, "ap_functions", buf), -ENOENT);
	assert_int_equal(apb_queue_attr_show(fx->bus, 5, 2, "ap_functions", buf), -ENOENT);
	assert_string_equal(card_read(fx, 3, "ap_functions"), "0x92800000\n");
	assert_string_equal(fx_bus_read(fx, "ap_max_adapter_id"), "255\n");
}

static void test_bus_features_from_610(void **state)
{
	struct fx *fx = *state;

	assert_string_equal(fx_bus_read(fx, "features"), "APSC APXA QACT\n");
	assert_string_equal(queue_read(fx, 3, 1, "ap_functions"), "0x92800000\n");
	assert_string_equal(card_read(fx, 3, "ap_functions"), "0x92800000\n");
}

/*
 * poll_timeout before kstrtoul (the 6.1 source): sscanf("%llu\n"), then
 * 1..120000000000 or -EINVAL; no -ERANGE, the digits wrap modulo 2^64.
 */
static void test_bus_poll_timeout_sscanf_60(void **state)
{
	struct fx *fx = *state;
	static const char *const bad[] = {
		"0", "+5", "-5", "", "\n", "x", "0x10", "120000000001",
		"18446744073709551616",		/* 2^64 wraps to 0 */
		"18446744073709551615",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(fx_bus_write(fx, "poll_timeout", bad[i]), -EINVAL);
	assert_string_equal(fx_bus_read(fx, "poll_timeout"), "250000\n");
	/* 2^64 + 1 wraps to 1 */
	assert_int_equal(fx_bus_write(fx, "poll_timeout", "18446744073709551617"), 20);
	assert_string_equal(fx_bus_read(fx, "poll_timeout"), "1\n");
	/* blanks before, anything after the digits */
	assert_int_equal(fx_bus_write(fx, "poll_timeout", " \t5 x"), 5);
	assert_string_equal(fx_bus_read(fx, "poll_timeout"), "5\n");
	assert_int_equal(fx_bus_write(fx, "poll_timeout", "010\n"), 4);
	assert_string_equal(fx_bus_read(fx, "poll_timeout"), "10\n");
	assert_int_equal(fx_bus_write(fx, "poll_timeout", "120000000000"), 12);
	assert_string_equal(fx_bus_read(fx, "poll_timeout"), "120000000000\n");
}

/* kstrtoul from the 6.10 profile on: 0 is taken, 2^64 is -ERANGE. */
static void test_bus_poll_timeout_kstrtoul_610(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(fx_bus_write(fx, "poll_timeout", "18446744073709551616"), -ERANGE);
	assert_int_equal(fx_bus_write(fx, "poll_timeout", "5 x"), -EINVAL);
	assert_int_equal(fx_bus_write(fx, "poll_timeout", "0"), 1);
	assert_string_equal(fx_bus_read(fx, "poll_timeout"), "0\n");
	assert_int_equal(fx_bus_write(fx, "poll_timeout", "0x10"), 4);
	assert_string_equal(fx_bus_read(fx, "poll_timeout"), "16\n");
}

static void test_bus_poll_thread_kstrtobool(void **state)
{
	struct fx *fx = *state;
	static const char *const on[] = { "1", "y", "Y", "t", "T", "e", "E", "on", "ON\n", "yes" };
	static const char *const off[] = { "0", "n", "N", "f", "F", "d", "D", "off", "Of" };
	static const char *const bad[] = { "", "2", "x", "o", "o\n", " 1", "-1" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(on); i++) {
		assert_int_equal(fx_bus_write(fx, "poll_thread", "0"), 1);
		assert_int_equal(fx_bus_write(fx, "poll_thread", on[i]), (long)strlen(on[i]));
		assert_string_equal(fx_bus_read(fx, "poll_thread"), "1\n");
	}
	for (i = 0; i < ARRAY_SIZE(off); i++) {
		assert_int_equal(fx_bus_write(fx, "poll_thread", "1"), 1);
		assert_int_equal(fx_bus_write(fx, "poll_thread", off[i]), (long)strlen(off[i]));
		assert_string_equal(fx_bus_read(fx, "poll_thread"), "0\n");
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(fx_bus_write(fx, "poll_thread", bad[i]), -EINVAL);
		assert_string_equal(fx_bus_read(fx, "poll_thread"), "0\n");
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		FX_TEST_VARIANT(test_bus_masks_default_all_ones, &default_masks),
		FX_TEST(test_bus_mask_read_is_msb_first),
		FX_TEST(test_bus_mask_relative_writes),
		FX_TEST(test_bus_mask_relative_rejects_with_einval),
		FX_TEST(test_bus_mask_absolute_writes),
		FX_TEST(test_bus_mask_absolute_rejects_with_einval),
		FX_TEST(test_bus_apmask_reserving_assigned_apqn_is_ebusy),
		FX_TEST(test_bus_clearing_mask_bits_never_refused),
		FX_TEST(test_bus_aqmask_reserving_assigned_apqn_is_ebusy),
		FX_TEST(test_bus_in_use_reports_newest_mdev_only),
		FX_TEST(test_bus_in_use_all_ones_619),
		FX_TEST_VARIANT(test_bus_in_use_current_mask_618, &in_use_618),
		FX_TEST_VARIANT(test_bus_in_use_aqmask_618, &in_use_618),
		FX_TEST(test_bus_in_use_aqmask_619),
		FX_TEST_VARIANT(test_bus_mask_change_rebinds_and_emits_uevent, &default_masks),
		FX_TEST_VARIANT(test_bus_only_cex4_to_cex8_queues_bind, &mixed_types),
		FX_TEST(test_bus_cards_never_bind_to_vfio),
		FX_TEST(test_bus_scans_count_and_force),
		FX_TEST(test_bus_devices_follow_qci),
		FX_TEST_VARIANT(test_bus_card_config_toggles_and_emits_uevent, &adapter_2a),
		FX_TEST_VARIANT(test_bus_device_names_are_lowercase_hex, &adapter_2a),
		FX_TEST(test_bus_config_time_range),
		FX_TEST(test_bus_poll_timeout_kstrtoul),
		FX_TEST_VARIANT(test_bus_card_config_uevent_every_write, &adapter_2a),
		FX_TEST(test_bus_sscanf_attrs),
		FX_TEST(test_bus_poll_thread_kstrtobool),
		FX_TEST(test_bus_ap_domain_rules),
		FX_TEST(test_bus_bindings_and_features),
		FX_TEST_VARIANT(test_bus_without_qci, &no_qci),
		FX_TEST(test_bus_bindings_rearm_and_scan),
		FX_TEST_VARIANT(test_bus_bindings_per_probe_60, &fx_kernel_60),
		FX_TEST_VARIANT(test_bus_no_features_before_64, &fx_kernel_60),
		FX_TEST_VARIANT(test_bus_features_from_610, &kernel_610),
		FX_TEST_VARIANT(test_bus_poll_timeout_sscanf_60, &fx_kernel_60),
		FX_TEST_VARIANT(test_bus_poll_timeout_kstrtoul_610, &kernel_610),
		FX_TEST(test_bus_card_needs_usage_domain),
		FX_TEST_VARIANT(test_bus_card_state_from_first_answer, &adapter_2a),
		FX_TEST_VARIANT(test_bus_chkstop_sends_no_uevent, &adapter_2a),
		FX_TEST_VARIANT(test_bus_queue_config_after_chkstop_scan, &adapter_2a),
		FX_TEST_VARIANT(test_bus_ap_domain_selection, &nothing_reserved),
		FX_TEST(test_bus_driver_override_needs_all_ones_masks),
		FX_TEST_VARIANT(test_bus_mask_write_einval_while_override, &default_masks),
		FX_TEST_VARIANT(test_bus_override_pins_binding, &default_masks),
		FX_TEST_VARIANT(test_bus_override_bound_to_default_is_host_owned, &default_masks),
		FX_TEST_VARIANT(test_bus_driver_override_text_rules, &default_masks),
		FX_TEST_VARIANT(test_bus_no_driver_override_before_619, &in_use_618),
	};

	fx_apply_test_filter(argc, argv);
	return cmocka_run_group_tests_name("bus", tests, NULL, NULL);
}
