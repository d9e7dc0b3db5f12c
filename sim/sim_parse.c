// SPDX-License-Identifier: GPL-2.0
/*
 * sim_parse.c - the small parsers shared by the host file, the control
 * commands and the command line.
 */
#include <ctype.h>
#include <strings.h>

#include "ap_bus_model.h"
#include "sim_parse.h"

int sim_parse_id(const char *s, unsigned int max, unsigned int *out)
{
	unsigned long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

bool sim_vm_name_ok(const char *s)
{
	size_t i, len = strlen(s);

	if (!len || len >= APSIM_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return false;
	return true;
}

u32 sim_mode_functions(const char *mode)
{
	if (!strcasecmp(mode, "cca"))
		return APB_FUNC_CCA;
	if (!strcasecmp(mode, "ep11"))
		return APB_FUNC_EP11;
	if (!strcasecmp(mode, "accel"))
		return APB_FUNC_ACCEL;
	return 0;
}

/* CEX4..CEX8 (any case) or a raw type number 0..255. */
static int sim_parse_type(const char *s, u8 *raw)
{
	unsigned int v;

	if (!strncasecmp(s, "CEX", 3) && s[3] >= '4' && s[3] <= '8' && !s[4]) {
		*raw = (u8)(AP_TYPE_CEX4 + (s[3] - '4'));
		return 0;
	}
	/* raw type 0 means "no adapter" to the bus model: not a type */
	if (sim_parse_id(s, 255, &v) || !v)
		return -EINVAL;
	*raw = (u8)v;
	return 0;
}

int sim_parse_adapter_opt(const char *tok, bool *is_type, u8 *raw_type, u32 *functions)
{
	if (!strncmp(tok, "type=", 5)) {
		*is_type = true;
		return sim_parse_type(tok + 5, raw_type);
	}
	if (!strncmp(tok, "mode=", 5)) {
		*is_type = false;
		*functions = sim_mode_functions(tok + 5);
		return *functions ? 0 : -EINVAL;
	}
	*functions = sim_mode_functions(tok);
	if (*functions) {
		*is_type = false;
		return 0;
	}
	*is_type = true;
	return sim_parse_type(tok, raw_type);
}

const struct ap_profile *sim_profile_of_rule(const char *rule)
{
	return !strcmp(rule, "6.18") ? ap_profile_find("6.15") : ap_profile_default();
}
