// SPDX-License-Identifier: GPL-2.0
/*
 * engine_host.c - module init and exit of vfio_ap, as tests play them.
 */
#include "engine_host.h"

int eh_init(const struct apb_host_spec *spec, const struct apb_ops *bus_ops,
	    const struct vap_env_ops *env_ops, void *env, struct apb_bus **bus,
	    struct vap_matrix_dev **md, struct mdevc *mdevc)
{
	struct ap_qci qci;

	*bus = apb_create(spec, bus_ops, env);
	if (!*bus)
		return -ENOMEM;
	/* the matrix device gets the QCI of module init, then registers */
	apb_get_qci(*bus, &qci);
	*md = vap_matrix_dev_create(&qci, apb_profile(*bus), &apb_bus_ops, *bus, env_ops, env);
	if (!*md) {
		apb_destroy(*bus);
		*bus = NULL;
		return -ENOMEM;
	}
	apb_register_driver(*bus, &vap_ap_driver_ops, *md);
	mdevc_init(mdevc, VAP_MAX_INSTANCES, &vap_mdev_parent_ops, *md);
	return 0;
}

void eh_exit(struct apb_bus *bus, struct vap_matrix_dev *md, struct mdevc *mdevc)
{
	struct mdevc_dev *d;

	while ((d = mdevc->list)) {
		struct vap_mdev *m = d->drvdata;

		if (m->open)
			vap_mdev_close(md, m);
		if (WARN_ON_ONCE(mdevc_remove(mdevc, d)))
			break;
	}
	mdevc_destroy(mdevc);
	apb_unregister_driver(bus);
	vap_matrix_dev_destroy(md);
	apb_destroy(bus);
}
