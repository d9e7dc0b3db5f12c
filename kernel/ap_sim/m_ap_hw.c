// SPDX-License-Identifier: GPL-2.0
/* kernel/ap_model/ap_hw.c, compiled into ap_sim.ko unchanged (compat.h: __KERNEL__). */
#include "../ap_model/ap_hw.c"
