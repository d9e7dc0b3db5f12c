// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_host.c - apvirt host [reserve|release], apvirt validate.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "apvirt.h"

static const char host_help[] =
	"Usage: apvirt host [--json]\n"
	"       apvirt host reserve|release [--adapter LIST]... [--domain LIST]... [--dry-run]\n"
	"\n"
	"Without a sub-verb: the AP bus, every card (type, mode, state, driver) and\n"
	"every queue (driver host or vfio_ap, owning mdev, state), like lszcrypt.\n"
	"\n"
	"reserve: add the IDs to apmask/aqmask, so their queues go to the host's\n"
	"  drivers; refused (exit 3) when an mdev holds one of them.\n"
	"release: remove them, so their queues go to vfio_ap.\n"
	"\n"
	"  -a, --adapter LIST   adapters, e.g. 0x05 or 0x04-0x07\n"
	"  -d, --domain LIST    usage domains\n"
	"  -n, --dry-run        show the writes, change nothing\n"
	"  -j, --json           machine-readable output\n"
	"  -h, --help           this text\n";

static const char validate_help[] =
	"Usage: apvirt validate [--json]\n"
	"\n"
	"Every conflict between the host masks, the active vfio_ap mdevs and the\n"
	"mdevctl definitions in /etc/mdevctl.d/matrix.  Exit status 0: none,\n"
	"3: at least one error (warnings alone do not count).\n";

static const char *queue_state(const struct apv_queue *q)
{
	if (q->status[0])
		return q->status;
	if (q->online == 1)
		return "online";
	if (q->online == 0)
		return "offline";
	return "-";
}

static const char *card_state(const struct apv_card *c)
{
	if (c->config == 0)
		return "deconfig";
	if (c->chkstop == 1)
		return "chkstop";
	if (c->online == 1)
		return "online";
	if (c->online == 0)
		return "offline";
	return "-";
}

/* "host" for the zcrypt drivers, "vfio_ap", or "-" when unbound. */
static const char *queue_side(const struct apv_queue *q)
{
	if (!q->driver[0])
		return "-";
	return strcmp(q->driver, "vfio_ap") ? "host" : "vfio_ap";
}

static void host_print_bus(const struct apv_bus *b)
{
	printf("max adapter 0x%02x, max domain 0x%04x\n", b->max_apid, b->max_apqi);
	printf("apmask (host adapters): %s\n", apvirt_ids_text(&b->apmask, 2));
	printf("aqmask (host domains):  %s\n", apvirt_ids_text(&b->aqmask, 4));
	if (b->has_qci)
		printf("configuration: adapters %s domains %s control-domains %s\n",
		       apvirt_ids_text(&b->cfg_apm, 2), apvirt_ids_text(&b->cfg_aqm, 4),
		       apvirt_ids_text(&b->cfg_adm, 4));
	else
		printf("configuration: not supported (no QCI)\n");
	if (b->vfio_ap && !b->has_vfio_features) {
		/* Before 6.12: nothing to read; what an mdev has decides. */
		printf("vfio_ap: loaded (no features file: a kernel before 6.12; ap_config is looked for per mdev)\n");
		return;
	}
	printf("vfio_ap: %s%s%s%s\n", b->vfio_ap ? "loaded" : "not loaded",
	       (b->vfio_features & APV_VFIO_FEAT_GUEST_MATRIX) ? " guest_matrix" : "",
	       (b->vfio_features & APV_VFIO_FEAT_HOTPLUG) ? " hotplug" : "",
	       (b->vfio_features & APV_VFIO_FEAT_AP_CONFIG) ? " ap_config" : "");
}

static void host_print(const struct apv_host *h)
{
	size_t i;

	host_print_bus(apv_host_bus(h));
	printf("\nCARD  TYPE    MODE   STATE     DRIVER\n");
	for (i = 0; i < apv_host_ncards(h); i++) {
		const struct apv_card *c = apv_host_card(h, i);

		printf("%02x    %-7s %-6s %-9s %s\n", c->apid, c->type, apv_card_mode_name(c->mode),
		       card_state(c), c->driver[0] ? c->driver : "-");
	}
	printf("\nQUEUE    DRIVER   OWNER                                 STATE\n");
	for (i = 0; i < apv_host_nqueues(h); i++) {
		const struct apv_queue *q = apv_host_queue(h, i);
		const struct apv_mdev *m = apv_host_owner(h, q->apid, q->apqi);

		printf("%02x.%04x  %-8s %-37s %s\n", q->apid, q->apqi, queue_side(q),
		       m ? m->uuid : "-", queue_state(q));
	}
}

static json_object *host_json_bus(const struct apv_bus *b)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "max_adapter", json_object_new_int((int)b->max_apid));
	json_object_object_add(o, "max_domain", json_object_new_int((int)b->max_apqi));
	json_object_object_add(o, "apmask", apvirt_json_ids(&b->apmask));
	json_object_object_add(o, "aqmask", apvirt_json_ids(&b->aqmask));
	json_object_object_add(o, "qci", json_object_new_boolean(b->has_qci));
	json_object_object_add(o, "config_adapters", apvirt_json_ids(&b->cfg_apm));
	json_object_object_add(o, "config_domains", apvirt_json_ids(&b->cfg_aqm));
	json_object_object_add(o, "config_control_domains", apvirt_json_ids(&b->cfg_adm));
	json_object_object_add(o, "vfio_ap", json_object_new_boolean(b->vfio_ap));
	json_object_object_add(o, "vfio_features_file", json_object_new_boolean(b->has_vfio_features));
	/* null: no features file to tell (before 6.12); see each mdev. */
	json_object_object_add(o, "ap_config", b->has_vfio_features ?
			       json_object_new_boolean(!!(b->vfio_features & APV_VFIO_FEAT_AP_CONFIG)) : NULL);
	return o;
}

static json_object *host_json_queue(const struct apv_host *h, const struct apv_queue *q)
{
	const struct apv_mdev *m = apv_host_owner(h, q->apid, q->apqi);
	json_object *o = json_object_new_object();
	char apqn[16];

	snprintf(apqn, sizeof(apqn), "%02x.%04x", q->apid, q->apqi);
	json_object_object_add(o, "apqn", json_object_new_string(apqn));
	json_object_object_add(o, "driver", json_object_new_string(q->driver));
	json_object_object_add(o, "owner", m ? json_object_new_string(m->uuid) : NULL);
	json_object_object_add(o, "state", json_object_new_string(queue_state(q)));
	return o;
}

static void host_print_json(const struct apv_host *h)
{
	json_object *root = json_object_new_object(), *cards = json_object_new_array();

	json_object_object_add(root, "api_level", json_object_new_int(APVIRT_API_LEVEL));
	json_object_object_add(root, "bus", host_json_bus(apv_host_bus(h)));
	for (size_t i = 0; i < apv_host_ncards(h); i++) {
		const struct apv_card *c = apv_host_card(h, i);
		json_object *o = json_object_new_object(), *queues = json_object_new_array();

		json_object_object_add(o, "id", json_object_new_int((int)c->apid));
		json_object_object_add(o, "type", json_object_new_string(c->type));
		json_object_object_add(o, "mode", json_object_new_string(apv_card_mode_name(c->mode)));
		json_object_object_add(o, "state", json_object_new_string(card_state(c)));
		json_object_object_add(o, "driver", json_object_new_string(c->driver));
		for (size_t k = 0; k < apv_host_nqueues(h); k++)
			if (apv_host_queue(h, k)->apid == c->apid)
				json_object_array_add(queues, host_json_queue(h, apv_host_queue(h, k)));
		json_object_object_add(o, "queues", queues);
		json_object_array_add(cards, o);
	}
	json_object_object_add(root, "cards", cards);
	apvirt_json_print(root);
}

static void print_report(const struct apv_report *rep)
{
	for (size_t i = 0; i < rep->count; i++)
		printf("%s: %s\n", rep->issues[i].severity == APV_ERROR ? "error" : "warning",
		       rep->issues[i].msg);
	if (rep->dropped)
		printf("... and %zu more\n", rep->dropped);
}

/* Edit the masks; reserve sets the IDs, release clears them. */
static int host_masks(int argc, char **argv, bool reserve)
{
	static const struct option opts[] = {
		{ "adapter", required_argument, NULL, 'a' },
		{ "domain", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *verb = reserve ? "host reserve" : "host release";
	struct apv_ids ap_add, ap_del, aq_add, aq_del, apmask, aqmask;
	struct apv_txn_result res;
	struct apv_error err = { 0 };
	struct apv_report rep;
	struct apvirt_session s;
	bool dry = false;
	int c, rc;

	apv_ids_zero(&ap_add);
	apv_ids_zero(&ap_del);
	apv_ids_zero(&aq_add);
	apv_ids_zero(&aq_del);
	while ((c = getopt_long(argc, argv, ":a:d:nh", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
		case 'd':
			rc = apvirt_parse_edit(verb, c == 'a' ? "--adapter" : "--domain", optarg,
					       c == 'a' ? &ap_add : &aq_add, c == 'a' ? &ap_del : &aq_del);
			if (rc)
				return rc;
			break;
		case 'n':
			dry = true;
			break;
		case 'h':
			fputs(host_help, stdout);
			return APVIRT_EXIT_OK;
		default:
			return apvirt_bad_option(verb, c, argv);
		}
	}
	if (optind != argc)
		return apvirt_usage_error(verb, "unexpected argument '%s'", argv[optind]);
	if (!apv_ids_empty(&ap_del) || !apv_ids_empty(&aq_del))
		return apvirt_usage_error(verb, "IDs are listed without '-' here");
	if (apv_ids_empty(&ap_add) && apv_ids_empty(&aq_add))
		return apvirt_usage_error(verb, "give --adapter or --domain");
	rc = apvirt_session_open(&s, true);
	if (rc)
		return rc;
	apmask = apv_host_bus(s.host)->apmask;
	aqmask = apv_host_bus(s.host)->aqmask;
	if (reserve) {
		apv_ids_or(&apmask, &apmask, &ap_add);
		apv_ids_or(&aqmask, &aqmask, &aq_add);
	} else {
		apv_ids_andnot(&apmask, &apmask, &ap_add);
		apv_ids_andnot(&aqmask, &aqmask, &aq_add);
	}
	apv_report_init(&rep);
	rc = reserve ? apv_validate_reserve(s.host, &s.profiles, &apmask, &aqmask, &rep) : 0;
	print_report(&rep);
	if (rc > 0) {
		rc = APVIRT_EXIT_CONFLICT;
	} else if (rc < 0) {
		fprintf(stderr, "apvirt: out of memory\n");
		rc = APVIRT_EXIT_FAILED;
	} else {
		rc = apv_txn_set_masks(s.ctx, s.lock, s.host, &apmask, &aqmask,
				       dry ? APV_TXN_DRY_RUN : 0, &res, &err);
		for (unsigned int i = 0; !rc && i < res.nwrites; i++)
			printf("%s %s %s\n", dry ? "would write" : "wrote", res.writes[i].attr,
			       res.writes[i].value);
		if (!rc && !res.nwrites)
			printf("nothing to change: apmask and aqmask are as asked\n");
		rc = rc ? apvirt_fail(&err) : APVIRT_EXIT_OK;
	}
	apv_report_free(&rep);
	apvirt_session_close(&s);
	return rc;
}

/* --json and --help only: the read verbs' options. */
static int read_opts(const char *verb, const char *help, int argc, char **argv, bool *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*json = false;
	while ((c = getopt_long(argc, argv, ":jh", opts, NULL)) != -1) {
		if (c == 'j') {
			*json = true;
		} else if (c == 'h') {
			fputs(help, stdout);
			return -1;
		} else {
			return apvirt_bad_option(verb, c, argv);
		}
	}
	return 0;
}

int apvirt_cmd_host(int argc, char **argv)
{
	struct apvirt_session s;
	bool json;
	int rc;

	if (argc > 1 && !strcmp(argv[1], "reserve"))
		return host_masks(argc - 1, argv + 1, true);
	if (argc > 1 && !strcmp(argv[1], "release"))
		return host_masks(argc - 1, argv + 1, false);
	rc = read_opts("host", host_help, argc, argv, &json);
	if (rc)
		return rc < 0 ? APVIRT_EXIT_OK : rc;
	if (optind != argc)
		return apvirt_usage_error("host", "unknown sub-verb '%s'", argv[optind]);
	rc = apvirt_session_open(&s, false);
	if (rc)
		return rc;
	if (json)
		host_print_json(s.host);
	else
		host_print(s.host);
	apvirt_session_close(&s);
	return APVIRT_EXIT_OK;
}

static json_object *report_json(const struct apv_report *rep)
{
	json_object *root = json_object_new_object(), *arr = json_object_new_array();

	json_object_object_add(root, "api_level", json_object_new_int(APVIRT_API_LEVEL));
	for (size_t i = 0; i < rep->count; i++) {
		const struct apv_issue *is = &rep->issues[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "severity",
				       json_object_new_string(is->severity == APV_ERROR ? "error" : "warning"));
		json_object_object_add(o, "subject", json_object_new_string(is->subject));
		json_object_object_add(o, "owner", json_object_new_string(is->owner));
		json_object_object_add(o, "adapter", is->apid < 0 ? NULL : json_object_new_int(is->apid));
		json_object_object_add(o, "domain", is->apqi < 0 ? NULL : json_object_new_int(is->apqi));
		json_object_object_add(o, "message", json_object_new_string(is->msg));
		json_object_array_add(arr, o);
	}
	json_object_object_add(root, "issues", arr);
	json_object_object_add(root, "errors", json_object_new_int64((int64_t)rep->errors));
	json_object_object_add(root, "warnings", json_object_new_int64((int64_t)rep->warnings));
	return root;
}

int apvirt_cmd_validate(int argc, char **argv)
{
	struct apvirt_session s;
	struct apv_report rep;
	bool json;
	int rc;

	rc = read_opts("validate", validate_help, argc, argv, &json);
	if (rc)
		return rc < 0 ? APVIRT_EXIT_OK : rc;
	if (optind != argc)
		return apvirt_usage_error("validate", "unexpected argument '%s'", argv[optind]);
	rc = apvirt_session_open(&s, false);
	if (rc)
		return rc;
	apv_report_init(&rep);
	rc = apv_validate_host(s.host, &s.profiles, &rep);
	if (rc < 0) {
		fprintf(stderr, "apvirt: out of memory\n");
		rc = APVIRT_EXIT_FAILED;
	} else {
		if (json) {
			apvirt_json_print(report_json(&rep));
		} else {
			print_report(&rep);
			printf("%zu errors, %zu warnings\n", rep.errors, rep.warnings);
		}
		rc = rep.errors ? APVIRT_EXIT_CONFLICT : APVIRT_EXIT_OK;
	}
	apv_report_free(&rep);
	apvirt_session_close(&s);
	return rc;
}
