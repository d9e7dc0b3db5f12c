// SPDX-License-Identifier: GPL-2.0
/*
 * apsim.c - command line of apsim, the vfio_ap engine as a FUSE sysfs
 * simulator: start, stop, ctl, --help, --version (see docs/apsim.1).
 *
 * Exit status: 0 success, 1 failure, 2 usage error.
 *
 * Modules (each with its own header):
 *   sim_state.c     the simulated host: AP bus + vfio_ap engine, registry lock
 *   sim_mdev.c      the mdev and VM registry, the blocking removal
 *   sim_lines.c     kernel log and uevent buffers
 *   sim_fault.c     fault injection
 *   sim_tree.c      the sysfs tree: path -> node, directory listings
 *   sim_fs.c        FUSE operations (sysfs open/read/write semantics)
 *   sim_ctl.c       the control file's command interpreter
 *   sim_hostfile.c  the host description file (--host)
 *   sim_parse.c     IDs, VM names, adapter types and modes
 *   sim_buf.c       growable text buffer
 *   sim_daemon.c    start (fork, mount, readiness), worker threads, stop
 *   sim_client.c    apsim ctl
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "sim_client.h"
#include "sim_daemon.h"
#include "sim_parse.h"

#define APSIM_EXIT_USAGE 2

static const char apsim_usage[] =
	"Usage: apsim start --root DIR [--host FILE] [--foreground]\n"
	"                   [--kernel=VERSION] [--request-interval=MS]\n"
	"       apsim stop --root DIR\n"
	"       apsim ctl --root DIR COMMAND [ARG...]\n"
	"       apsim --help | --version\n"
	"\n"
	"Serve the vfio_ap engine as a sysfs tree at DIR/sys (FUSE).\n"
	"\n"
	"  start   mount DIR/sys and return once it is ready; the daemon logs to\n"
	"          DIR/apsim.log and writes its pid to DIR/apsim.pid\n"
	"  stop    unmount DIR/sys and wait for the daemon to exit\n"
	"  ctl     run one control command (\"apsim ctl --root DIR help\" lists them)\n"
	"\n"
	"  -r, --root DIR            the directory holding the sys mount point\n"
	"  -H, --host FILE           host description (default: CEX8 CCA adapters\n"
	"                            0x03-0x06, domains 0x0000-0x000f, APXA)\n"
	"  -f, --foreground          do not detach; log to stderr\n"
	"      --kernel=VERSION      the kernel to behave like: 6.0, 6.10, 6.12,\n"
	"                            6.15, 6.19, 7.0 (default) or fixed\n"
	"      --in-use-rule=RULE    old spelling: 6.18 is --kernel=6.15, 6.19\n"
	"                            the default kernel\n"
	"      --request-interval=MS period of device requests while a removal\n"
	"                            waits for a detach (default 100)\n"
	"  -h, --help                show this help\n"
	"  -V, --version             show the version\n";

static int apsim_bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "apsim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'apsim --help'.\n");
	return APSIM_EXIT_USAGE;
}

static int apsim_bad_kernel(const char *arg)
{
	fprintf(stderr, "apsim: --kernel: expected one of %s, not '%s'\nTry 'apsim --help'.\n",
		ap_profile_names(), arg);
	return APSIM_EXIT_USAGE;
}

enum { OPT_IN_USE_RULE = 256, OPT_REQUEST_INTERVAL, OPT_KERNEL };

static const struct option apsim_start_opts[] = {
	{ "root", required_argument, NULL, 'r' },
	{ "host", required_argument, NULL, 'H' },
	{ "foreground", no_argument, NULL, 'f' },
	{ "in-use-rule", required_argument, NULL, OPT_IN_USE_RULE },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "request-interval", required_argument, NULL, OPT_REQUEST_INTERVAL },
	{ NULL, 0, NULL, 0 },
};

static int apsim_start_opt(int c, struct sim_start_opts *o)
{
	unsigned int ms;

	switch (c) {
	case 'r':
		o->root = optarg;
		return 0;
	case 'H':
		o->host_file = optarg;
		return 0;
	case 'f':
		o->foreground = true;
		return 0;
	case OPT_IN_USE_RULE:
		if (strcmp(optarg, "6.18") && strcmp(optarg, "6.19"))
			return apsim_bad_usage("--in-use-rule: expected 6.18 or 6.19, not '%s'", optarg);
		o->profile = sim_profile_of_rule(optarg);
		return 0;
	case OPT_KERNEL:
		o->profile = ap_profile_find(optarg);
		if (!o->profile)
			return apsim_bad_kernel(optarg);
		return 0;
	case OPT_REQUEST_INTERVAL:
		if (sim_parse_id(optarg, 600000, &ms) || !ms)
			return apsim_bad_usage("--request-interval: expected 1..600000 ms, not '%s'",
					       optarg);
		o->request_ms = ms;
		return 0;
	}
	return APSIM_EXIT_USAGE;
}

static int apsim_cmd_start(int argc, char **argv)
{
	struct sim_start_opts o = { .request_ms = APSIM_REQUEST_MS };
	int c, rc;

	while ((c = getopt_long(argc, argv, "r:H:f", apsim_start_opts, NULL)) != -1) {
		if (c == '?')
			return apsim_bad_usage("%s: bad option", "start");
		rc = apsim_start_opt(c, &o);
		if (rc)
			return rc;
	}
	if (optind != argc)
		return apsim_bad_usage("start: unexpected argument '%s'", argv[optind]);
	if (!o.root)
		return apsim_bad_usage("%s: --root DIR is required", "start");
	return sim_start(&o);
}

/* "--root DIR" for stop and ctl; ctl stops at the first word of the command. */
static int apsim_root_opt(int argc, char **argv, const char *cmd, const char **root)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*root = NULL;
	while ((c = getopt_long(argc, argv, "+r:", opts, NULL)) != -1) {
		if (c != 'r')
			return apsim_bad_usage("%s: bad option", cmd);
		*root = optarg;
	}
	if (!*root)
		return apsim_bad_usage("%s: --root DIR is required", cmd);
	return 0;
}

static int apsim_cmd_stop(int argc, char **argv)
{
	const char *root;
	int rc = apsim_root_opt(argc, argv, "stop", &root);

	if (rc)
		return rc;
	if (optind != argc)
		return apsim_bad_usage("stop: unexpected argument '%s'", argv[optind]);
	return sim_stop(root);
}

static int apsim_cmd_ctl(int argc, char **argv)
{
	const char *root;
	int rc = apsim_root_opt(argc, argv, "ctl", &root);

	if (rc)
		return rc;
	if (optind == argc)
		return apsim_bad_usage("%s: a command is required (try 'help')", "ctl");
	return sim_ctl_client(root, argc - optind, argv + optind);
}

/* The version, and the kernels a daemon can be started as (the default marked). */
static void apsim_version(void)
{
	const struct ap_profile *def = ap_profile_default();
	unsigned int i;

	printf("apsim (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
	printf("kernels:");
	for (i = 0; i < ap_nr_profiles; i++)
		printf(" %s%s", ap_profiles[i].name, &ap_profiles[i] == def ? " (default)" : "");
	printf("\n");
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return apsim_bad_usage("%s", "a command is required");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(apsim_usage, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		apsim_version();
		return 0;
	}
	if (!strcmp(argv[1], "start"))
		return apsim_cmd_start(argc - 1, argv + 1);
	if (!strcmp(argv[1], "stop"))
		return apsim_cmd_stop(argc - 1, argv + 1);
	if (!strcmp(argv[1], "ctl"))
		return apsim_cmd_ctl(argc - 1, argv + 1);
	return apsim_bad_usage("unknown command '%s'", argv[1]);
}
