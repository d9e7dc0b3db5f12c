/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_fs.h - the FUSE operations that give the tree sysfs's open, read and
 * write semantics (sim_fs.c).
 */
#ifndef APVIRT_SIM_SIM_FS_H
#define APVIRT_SIM_SIM_FS_H

struct fuse_operations;
extern const struct fuse_operations sim_fs_ops;
/* Called once the kernel's INIT was answered (readiness). */
void sim_fs_set_ready_hook(void (*hook)(void *), void *arg);

#endif /* APVIRT_SIM_SIM_FS_H */
