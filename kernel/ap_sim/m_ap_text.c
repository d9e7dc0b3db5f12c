// SPDX-License-Identifier: GPL-2.0
/* kernel/common/ap_text.c, compiled into ap_sim.ko unchanged (compat.h: __KERNEL__). */
#include "../common/ap_text.c"
