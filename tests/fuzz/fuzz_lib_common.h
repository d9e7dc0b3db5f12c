/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz_lib_common.h - what the libapvirt fuzz targets share.
 */
#ifndef APVIRT_FUZZ_LIB_COMMON_H
#define APVIRT_FUZZ_LIB_COMMON_H

#include "fuzz_check.h"

#include <apvirt/apvirt.h>

/* A failed call must leave a message that names what went wrong. */
static inline void fuzz_check_error(int rc, const struct apv_error *err)
{
	FUZZ_CHECK(rc < 0);
	FUZZ_CHECK(err->code == -rc);
	FUZZ_CHECK(err->msg[0] != '\0');
	FUZZ_CHECK(strchr(err->msg, '\n') == NULL);
}

#endif /* APVIRT_FUZZ_LIB_COMMON_H */
