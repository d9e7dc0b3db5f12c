// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_conf.c - apv_conf_parse(), the apvirt.conf parser.
 *
 * Checked on every input: a failure leaves @out untouched and one message
 * line starting with "FILE"; a success gives only valid values (absolute
 * roots without blanks, a known mode, a timeout within bounds).
 */
#include "fuzz_lib_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apv_error err = { 0 };
	struct apv_conf c;
	int rc;

	memset(&c, 0xa5, sizeof(c));
	rc = apv_conf_parse((const char *)data, size, "f", &c, &err);
	if (rc) {
		fuzz_check_error(rc, &err);
		FUZZ_CHECK(!strncmp(err.msg, "f", 1));
		FUZZ_CHECK(c.set == 0xa5a5a5a5u);
		return 0;
	}
	FUZZ_CHECK(!(c.set & ~0x1fu));
	if (c.set & APV_CONF_HAS_SYSFS_ROOT)
		FUZZ_CHECK(c.sysfs_root[0] == '/' && !strpbrk(c.sysfs_root, " \t\n"));
	if (c.set & APV_CONF_HAS_RUN_ROOT)
		FUZZ_CHECK(c.run_root[0] == '/' && !strstr(c.run_root, "/../"));
	FUZZ_CHECK(c.txn_mode == APV_TXN_AUTO || c.txn_mode == APV_TXN_ORDERED ||
		   c.txn_mode == APV_TXN_AP_CONFIG);
	if (c.set & APV_CONF_HAS_LOCK_TIMEOUT)
		FUZZ_CHECK(c.lock_timeout <= APV_LOCK_TIMEOUT_MAX);
	return 0;
}
