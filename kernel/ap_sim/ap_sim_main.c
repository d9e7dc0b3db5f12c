// SPDX-License-Identifier: GPL-2.0
/*
 * ap_sim_main.c - load and unload of ap_sim.ko, the x86 stand-in for
 * s390's AP bus (kernel/ap_sim/INTERFACE.md).
 *
 * Load order: the ctl's lock and line buffers, the root device
 * /sys/devices/ap, bus "ap" with cex4card and cex4queue, the bus model
 * (its first scan), the devices it found, the bus attributes, the AP
 * instructions, the ctl file.  Unload undoes it in reverse; vfio_ap
 * depends on our symbols, so it is gone by then.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "ap_sim.h"

struct ap_sim ap_sim;

static char *kernel = "";
module_param(kernel, charp, 0444);
MODULE_PARM_DESC(kernel, "the kernel release the bus behaves like (docs/kernel-abi.md §0.3; default: apsim's)");

static bool apxa = true;
module_param(apxa, bool, 0444);
MODULE_PARM_DESC(apxa, "APXA: IDs up to 255 (default), else adapters 0-63 and domains 0-15");

static int ap_sim_model_create(void)
{
	struct apb_host_spec *spec = kzalloc(sizeof(*spec), GFP_KERNEL);
	const struct ap_profile *profile = NULL;
	struct apb_bus *bus;

	if (!spec)
		return -ENOMEM;
	if (kernel[0]) {
		profile = ap_profile_find(kernel);
		if (!profile) {
			pr_err("ap_sim: unknown kernel profile '%s'\n", kernel);
			kfree(spec);
			return -EINVAL;
		}
	}
	apb_default_spec(spec);
	spec->profile = profile;
	if (!apxa) {
		spec->qci.apxa = false;
		spec->qci.na = 63;
		spec->qci.nd = 15;
	}
	bus = apb_create(spec, &ap_sim_apb_ops, &ap_sim);
	kfree(spec);
	if (!bus)
		return -ENOMEM;
	ap_sim.bus = bus;
	return 0;
}

static int __init ap_sim_init(void)
{
	int rc;

	spin_lock_init(&ap_sim.devs_lock);
	spin_lock_init(&ap_sim.vms_lock);
	INIT_LIST_HEAD(&ap_sim.vms);
	INIT_LIST_HEAD(&ap_sim.opens);
	INIT_LIST_HEAD(&ap_sim.vfio_vms);
	mutex_init(&ap_sim.ctl_mutex);
	rc = ap_sim_lines_init(&ap_sim.log) ?: ap_sim_lines_init(&ap_sim.uevents);
	if (rc)
		goto out_lines;
	ap_sim.root = root_device_register("ap");
	if (IS_ERR(ap_sim.root)) {
		rc = PTR_ERR(ap_sim.root);
		goto out_lines;
	}
	rc = ap_sim_drv_init();
	if (rc)
		goto out_root;
	rc = ap_sim_model_create();
	if (rc)
		goto out_drv;
	rc = ap_sim_dev_init();
	if (rc)
		goto out_model;
	rc = ap_sim_drv_attrs_init();
	if (rc)
		goto out_dev;
	rc = ap_sim_hw_init();
	if (rc)
		goto out_attrs;
	rc = ap_sim_ctl_init();
	if (rc)
		goto out_hw;
	pr_info("ap_sim: simulated AP bus ready (kernel %s)\n", apb_profile(ap_sim.bus)->name);
	return 0;

out_hw:
	ap_sim_hw_exit();
out_attrs:
	ap_sim_drv_attrs_exit();
out_dev:
	ap_sim_dev_exit();
out_model:
	apb_destroy(ap_sim.bus);
	ap_sim.bus = NULL;
out_drv:
	ap_sim_drv_exit();
out_root:
	root_device_unregister(ap_sim.root);
out_lines:
	ap_sim_lines_free(&ap_sim.uevents);
	ap_sim_lines_free(&ap_sim.log);
	return rc;
}

static void __exit ap_sim_exit(void)
{
	ap_sim_ctl_exit();
	ap_sim_kvm_exit();
	ap_sim_hw_exit();
	ap_sim_drv_attrs_exit();
	ap_sim_dev_exit();
	apb_destroy(ap_sim.bus);
	ap_sim.bus = NULL;
	ap_sim_drv_exit();
	root_device_unregister(ap_sim.root);
	ap_sim_lines_free(&ap_sim.uevents);
	ap_sim_lines_free(&ap_sim.log);
	mutex_destroy(&ap_sim.ctl_mutex);
}

module_init(ap_sim_init);
module_exit(ap_sim_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Simulated s390 AP bus and KVM crypto block for x86 tests of vfio_ap");
