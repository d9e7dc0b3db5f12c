// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_apsim.c - apsim's path resolution, attribute stores and control
 * commands, without FUSE (sim_resolve, sim_node_store/show, sim_ctl_run).
 *
 * The input is lines; the first byte of a line picks the step:
 *   'c' rest-of-line     a control command ("config remove-adapter 5", ...)
 *   'w' PATH '\t' DATA   write DATA (rest of line, '\n' appended when the
 *                        line is followed by another) to <root>/sys/PATH
 *   'r' PATH             read <root>/sys/PATH
 * Checked after every step:
 *  - a control command returns 0 or -errno, its output starts with
 *    "error: " exactly when it failed; one with a NUL byte fails (EINVAL);
 *  - a store returns -errno or a count no larger than what was written,
 *    a show -errno or at most a page;
 *  - no APQN is both host-reserved (apmask and aqmask) and in an mdev's
 *    matrix, and no APQN is in two matrices (docs/architecture.md §5 invariants), read
 *    back through the same text a user would read.
 * Writes to an mdev's "remove" are skipped while any vfio device is open:
 * the store would block until a detach, as on the kernel.
 */
#include "fuzz_check.h"
#include "sim_buf.h"
#include "sim_ctl.h"
#include "sim_mdev.h"
#include "sim_state.h"
#include "sim_tree.h"

#define MAX_STEPS 64

struct fz {
	struct sim *s;
	struct sim_buf out;
	char page[APC_PAGE_SIZE + 1];
};

static bool any_open(struct sim *s)
{
	struct sim_mdev *sm;

	for (sm = s->mdevs; sm; sm = sm->next)
		if (sm->vfio_open || sm->vfio_busy)
			return true;
	return false;
}

static void step_ctl(struct fz *z, const char *line, size_t len)
{
	int rc;

	sim_buf_reset(&z->out);
	rc = sim_ctl_run(z->s, line, len, &z->out);
	FUZZ_CHECK(rc <= 0);
	if (memchr(line, '\0', len < APC_PAGE_SIZE ? len : APC_PAGE_SIZE))
		FUZZ_CHECK(rc == -EINVAL);
	FUZZ_CHECK((rc < 0) == (z->out.len >= 7 && !memcmp(z->out.p, "error: ", 7)));
}

static void step_write(struct fz *z, const char *line, size_t len, bool newline)
{
	const char *tab = memchr(line, '\t', len);
	char path[512], data[APC_PAGE_SIZE + 2];
	const char *base;
	struct sim_node n;
	size_t plen, dlen;
	long rc;

	if (!tab || (size_t)(tab - line) >= sizeof(path))
		return;
	plen = (size_t)(tab - line);
	memcpy(path, line, plen);
	path[plen] = '\0';
	dlen = len - plen - 1;
	if (dlen > APC_PAGE_SIZE)
		dlen = APC_PAGE_SIZE;
	memcpy(data, tab + 1, dlen);
	if (newline && dlen < APC_PAGE_SIZE)
		data[dlen++] = '\n';
	if (sim_resolve(z->s, path, &n) || n.type != SIM_NFILE || n.kind == SF_CTL)
		return;
	base = strrchr(path, '/');
	if (!strcmp(base ? base + 1 : path, "remove") && any_open(z->s))
		return;
	rc = sim_node_store(z->s, &n, data, dlen);
	FUZZ_CHECK(rc < 0 || (size_t)rc <= dlen);
}

static void step_read(struct fz *z, const char *line, size_t len)
{
	char path[512];
	struct sim_node n;
	int rc;

	if (len >= sizeof(path))
		return;
	memcpy(path, line, len);
	path[len] = '\0';
	if (sim_resolve(z->s, path, &n) || n.type != SIM_NFILE || n.kind == SF_CTL)
		return;
	rc = sim_node_show(z->s, &n, z->page);
	FUZZ_CHECK(rc < APC_PAGE_SIZE);
}

/* The invariants, from the text of bus/ap/apmask|aqmask and ap_config. */
static void check_invariants(struct fz *z)
{
	struct apbm apmask, aqmask, apm[64], aqm[64], a, q;
	struct sim_mdev *sm;
	struct apbm adm;
	unsigned int nm = 0, i, j;

	FUZZ_CHECK(apb_bus_attr_show(z->s->bus, "apmask", z->page) == 67);
	FUZZ_CHECK(!aptxt_parse_hexmask(z->page, 67, &apmask));
	FUZZ_CHECK(apb_bus_attr_show(z->s->bus, "aqmask", z->page) == 67);
	FUZZ_CHECK(!aptxt_parse_hexmask(z->page, 67, &aqmask));
	for (sm = z->s->mdevs; sm && nm < 64; sm = sm->next) {
		if (sm->state != SIM_MDEV_LIVE)
			continue;
		FUZZ_CHECK(vap_ap_config_show(z->s->md, sm->m, z->page) == APTXT_AP_CONFIG_LEN);
		FUZZ_CHECK(!aptxt_parse_ap_config(z->page, APTXT_AP_CONFIG_LEN, &apm[nm], &aqm[nm],
						  &adm));
		nm++;
	}
	for (i = 0; i < nm; i++) {
		/* overrides (6.19) decide per queue: the mask rule does not apply */
		if (!apb_nr_overrides(z->s->bus))
			FUZZ_CHECK(!(apbm_intersects(&apm[i], &apmask) &&
				     apbm_intersects(&aqm[i], &aqmask)));
		for (j = i + 1; j < nm; j++)
			FUZZ_CHECK(!(apbm_and(&a, &apm[i], &apm[j]) && apbm_and(&q, &aqm[i], &aqm[j])));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct apb_host_spec spec;
	const char *p = (const char *)data, *end = p + size, *nl;
	struct fz z;
	unsigned int steps = 0;

	if (!spec.qci.apsc)
		apb_default_spec(&spec);
	z.s = sim_create(&spec, 1);
	FUZZ_CHECK(z.s != NULL);
	sim_buf_init(&z.out);
	while (p < end && steps++ < MAX_STEPS) {
		size_t len;

		nl = memchr(p, '\n', (size_t)(end - p));
		len = (size_t)((nl ? nl : end) - p);
		if (len) {
			if (*p == 'c')
				step_ctl(&z, p + 1, len - 1);
			else if (*p == 'w')
				step_write(&z, p + 1, len - 1, nl != NULL);
			else if (*p == 'r')
				step_read(&z, p + 1, len - 1);
			check_invariants(&z);
		}
		p += len + (nl != NULL);
	}
	sim_buf_free(&z.out);
	sim_destroy(z.s);
	return 0;
}
