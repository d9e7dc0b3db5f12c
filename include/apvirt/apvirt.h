/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apvirt.h - libapvirt, live reconfiguration of s390 AP (crypto) queues
 * for KVM guests through vfio_ap.  Include this header; link with
 * `pkg-config --libs libapvirt`.
 */
#ifndef APVIRT_APVIRT_H
#define APVIRT_APVIRT_H

#include <apvirt/apv_error.h>
#include <apvirt/apv_ids.h>
#include <apvirt/apv_ctx.h>
#include <apvirt/apv_host.h>
#include <apvirt/apv_explain.h>
#include <apvirt/apv_profile.h>
#include <apvirt/apv_validate.h>
#include <apvirt/apv_lock.h>
#include <apvirt/apv_txn.h>
#include <apvirt/apv_metadata.h>
#include <apvirt/apv_virt.h>
#include <apvirt/apv_status.h>

/* Bumped whenever a public structure changes incompatibly. */
#define APVIRT_API_LEVEL	1

#endif /* APVIRT_APVIRT_H */
