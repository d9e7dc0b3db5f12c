// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_journal.c - apv_journal_parse(), the undo journal a dead process
 * left (recovery trusts nothing in it).
 *
 * Checked on every input: no crash and no leak, a failure has a message;
 * the parser never writes anything (rollback is not called here).
 */
#include "fuzz_lib_common.h"

#include "internal.h"

static struct apv_ctx *fuzz_ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Roots the corpus names; no apvirt.conf is read. */
	setenv("APVIRT_SYSFS_ROOT", "/sys", 1);
	setenv("APVIRT_ETC_ROOT", "/nonexistent/etc", 1);
	setenv("APVIRT_RUN_ROOT", "/run", 1);
	if (apv_ctx_new("fuzz", &fuzz_ctx, NULL))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apv_error err = { 0 };
	struct apv_journal *j;
	int rc;

	rc = apv_journal_new_for_parse(fuzz_ctx, &j);
	FUZZ_CHECK(rc == 0);
	rc = apv_journal_parse((const char *)data, size, j, &err);
	if (rc)
		fuzz_check_error(rc, &err);
	apv_journal_free(j);
	return 0;
}
