/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_parse.h - the small parsers (sim_parse.c) shared by the host file,
 * the control commands and the command line: IDs, VM names, adapter types
 * and modes.
 */
#ifndef APVIRT_SIM_SIM_PARSE_H
#define APVIRT_SIM_SIM_PARSE_H

#include "compat.h"
#include "ap_profile.h"

#define APSIM_NAME_MAX		64	/* VM names */

/* Parse an ID as the control vocabulary takes it: C base-0, <= @max. */
int sim_parse_id(const char *s, unsigned int max, unsigned int *out);
/* Parse a VM name: [A-Za-z0-9_.-]{1,63}. */
bool sim_vm_name_ok(const char *s);
/* "type=CEX8", "CEX8", "14", "mode=ep11", "ep11": one adapter option. */
int sim_parse_adapter_opt(const char *tok, bool *is_type, u8 *raw_type, u32 *functions);
/* Functions word of a mode name (cca, ep11, accel); 0 if unknown. */
u32 sim_mode_functions(const char *mode);

/*
 * The kernel profile an old --in-use-rule / in-use-rule value stands for:
 * "6.18" is the newest release before 6.19 (6.15), "6.19" the default.
 */
const struct ap_profile *sim_profile_of_rule(const char *rule);

#endif /* APVIRT_SIM_SIM_PARSE_H */
