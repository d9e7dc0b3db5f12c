// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_host_file.c - apsim's host description file (sim_hostfile_parse()).
 *
 * Checked on every input:
 *  - the result is 0 or -EINVAL, never anything else;
 *  - an error message is "fuzz:LINE: ..." with LINE between 1 and the
 *    number of lines read;
 *  - an accepted file describes a machine the bus model can boot: every
 *    ID within the maxima the file set (Na/Nd with APXA, else 63/15),
 *    every configured adapter with a type, and apb_create() succeeds;
 *  - the firmware lines fit their adapters: a serial number only on a
 *    defined CCA (8 characters) or EP11 (16) adapter, letters and digits;
 *    a key register set only on an adapter of its mode, with a state the
 *    register has and no pattern bytes where the state shows none;
 *  - parsing is deterministic: the same text gives the same spec;
 *  - no accepted file holds a NUL byte or a line over 4096 characters.
 */
#include "fuzz_check.h"
#include "sim_hostfile.h"

static int parse(const uint8_t *data, size_t size, struct apb_host_spec *spec, char *err,
		 size_t errlen)
{
	FILE *f = fmemopen((void *)data, size, "r");
	int rc;

	if (!f)
		abort();
	rc = sim_hostfile_parse(f, "fuzz", spec, err, errlen);
	fclose(f);
	return rc;
}

static unsigned int count_lines(const uint8_t *data, size_t size)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < size; i++)
		n += data[i] == '\n';
	return n + (size && data[size - 1] != '\n');
}

static size_t longest_line(const uint8_t *data, size_t size)
{
	size_t i, len = 0, max = 0;

	for (i = 0; i < size; i++) {
		len = data[i] == '\n' ? 0 : len + 1;
		if (len > max)
			max = len;
	}
	return max;
}

static void check_error(const char *err, const uint8_t *data, size_t size)
{
	unsigned long line;
	char *end;

	FUZZ_CHECK(!strncmp(err, "fuzz:", 5));
	line = strtoul(err + 5, &end, 10);
	FUZZ_CHECK(end != err + 5 && end[0] == ':' && end[1] == ' ' && end[2]);
	FUZZ_CHECK(line >= 1 && line <= count_lines(data, size) + 1);
}

static void check_fw(const struct apb_host_spec *spec, unsigned int id)
{
	const struct apb_fw_spec *fw = &spec->fw[id];
	u32 mode = spec->adapter[id].functions & APB_FUNC_MODES;
	static const u8 zero[APB_MK_VP_MAX];
	size_t i, len = strnlen(fw->serial, sizeof(fw->serial));
	unsigned int r;

	FUZZ_CHECK(len < sizeof(fw->serial));
	if (len) {
		FUZZ_CHECK(spec->adapter[id].raw_type != 0);
		FUZZ_CHECK(len == (mode == APB_FUNC_CCA ? 8 : mode == APB_FUNC_EP11 ? 16 : 0));
	}
	for (i = 0; i < len; i++)
		FUZZ_CHECK(isalnum((unsigned char)fw->serial[i]));
	for (r = 0; r < APB_MK_NR; r++) {
		const struct apb_mk *mk = &fw->mk[r];
		bool is_new = r == APB_MK_AES_NEW || r == APB_MK_APKA_NEW || r == APB_MK_ASYM_NEW ||
			      r == APB_MK_WK_NEW;

		if (!mk->state && !memcmp(mk->vp, zero, sizeof(zero)))
			continue;	/* not set (or set to the default) */
		FUZZ_CHECK(spec->adapter[id].raw_type != 0);
		FUZZ_CHECK(mode == (r >= APB_MK_WK_CUR ? APB_FUNC_EP11 : APB_FUNC_CCA));
		FUZZ_CHECK(mk->state <= (is_new ? 2 : 1));
		if (!apb_mk_shows_vp(r, mk->state))
			FUZZ_CHECK(!memcmp(mk->vp, zero, sizeof(zero)));
		FUZZ_CHECK(!memcmp(mk->vp + apb_mk_vp_len(r), zero,
				   APB_MK_VP_MAX - apb_mk_vp_len(r)));
	}
}

static void check_machine(const struct apb_host_spec *spec)
{
	const struct ap_qci *q = &spec->qci;
	unsigned int max_ap = q->apxa && q->na ? q->na : 63;
	unsigned int max_dom = q->apxa && q->nd ? q->nd : 15;
	unsigned int id;
	struct apb_bus *bus;

	FUZZ_CHECK(apbm_next(&q->apm, max_ap + 1) == APBM_BITS);
	FUZZ_CHECK(apbm_next(&q->aqm, max_dom + 1) == APBM_BITS);
	FUZZ_CHECK(apbm_next(&q->adm, max_dom + 1) == APBM_BITS);
	apbm_for_each(id, &q->apm)
		FUZZ_CHECK(spec->adapter[id].raw_type != 0);
	for (id = 0; id < APBM_BITS; id++)
		check_fw(spec, id);
	bus = apb_create(spec, NULL, NULL);
	FUZZ_CHECK(bus != NULL);
	apb_destroy(bus);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct apb_host_spec spec, again;
	char err[512], err2[512];
	int rc, rc2;

	if (size > 4096)	/* a host file is a few lines; keep runs fast */
		return 0;
	err[0] = err2[0] = '\0';
	rc = parse(data, size, &spec, err, sizeof(err));
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	rc2 = parse(data, size, &again, err2, sizeof(err2));
	FUZZ_CHECK(rc2 == rc && !strcmp(err, err2));
	if (rc) {
		check_error(err, data, size);
		return 0;
	}
	FUZZ_CHECK(!memcmp(&spec, &again, sizeof(spec)));
	FUZZ_CHECK(!memchr(data, '\0', size));
	FUZZ_CHECK(longest_line(data, size) <= 4096);
	check_machine(&spec);
	return 0;
}
