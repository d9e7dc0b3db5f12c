/* SPDX-License-Identifier: GPL-2.0 */
/*
 * asm/ap.h - s390's AP instruction wrappers, for the x86 test kernel.
 *
 * Same names and shapes as arch/s390/include/asm/ap.h of Linux 6.1, so
 * vfio_ap's glue compiles unchanged.  On s390 they are PQAP inline
 * assembly; here kernel/ap_sim answers them from its simulated machine
 * (kernel/ap_model).  Bit numbering of every mask is s390's: ID 0 is the
 * most significant bit of the first long (test_bit_inv(), struct apbm).
 */
#ifndef APVIRT_AP_SIM_ASM_AP_H
#define APVIRT_AP_SIM_ASM_AP_H

#include <linux/types.h>
#include <linux/bitops.h>

typedef unsigned int ap_qid_t;

/*
 * The AP queue status word (GR1 of PQAP).  Only the field names are
 * s390's; the layout is x86's bitfield order.
 */
struct ap_queue_status {
	unsigned int queue_empty	: 1;
	unsigned int replies_waiting	: 1;
	unsigned int queue_full		: 1;
	unsigned int _pad1		: 4;
	unsigned int irq_enabled	: 1;
	unsigned int response_code	: 8;
	unsigned int _pad2		: 16;
};

/* The interrupt control word of AQIC (GR1). */
struct ap_qirq_ctrl {
	unsigned int _res1 : 8;
	unsigned int zone  : 8;
	unsigned int ir    : 1;
	unsigned int _res2 : 4;
	unsigned int gisc  : 3;
	unsigned int _res3 : 6;
	unsigned int gf    : 2;
	unsigned int _res4 : 1;
	unsigned int gisa  : 27;
	unsigned int _res5 : 1;
	unsigned int isc   : 3;
};

/*
 * The QCI block.  apm/aqm/adm are 256-bit masks read with test_bit_inv()
 * on (unsigned long *) casts, exactly as on s390.
 */
struct ap_config_info {
	unsigned int apsc	 : 1;	/* S bit */
	unsigned int apxa	 : 1;	/* N bit */
	unsigned int qact	 : 1;	/* C bit */
	unsigned int rc8a	 : 1;	/* R bit */
	unsigned int _reserved1	 : 4;
	unsigned char _reserved2[3];
	unsigned char Na;		/* max # of APs - 1 (s390's spelling) */
	unsigned char Nd;		/* max # of domains - 1 */
	unsigned char _reserved3[10];
	unsigned int apm[8];		/* AP ID mask */
	unsigned int aqm[8];		/* AP (usage) queue mask */
	unsigned int adm[8];		/* AP (control) domain mask */
	unsigned char _reserved4[16];
} __aligned(8);

/* The maxima under s390's field names (what QCI stores in Na and Nd). */
static inline void ap_sim_info_set_max(struct ap_config_info *info, unsigned char na,
				       unsigned char nd)
{
	info->Na = na;
	info->Nd = nd;
}

/* Implemented by ap_sim.ko (kernel/ap_sim/ap_sim_hw.c). */
bool ap_sim_instructions_available(void);
struct ap_queue_status ap_sim_tapq(ap_qid_t qid, unsigned long *info);
struct ap_queue_status ap_sim_zapq(ap_qid_t qid);
struct ap_queue_status ap_sim_rapq(ap_qid_t qid);
struct ap_queue_status ap_sim_aqic(ap_qid_t qid, struct ap_qirq_ctrl qirqctrl,
				   phys_addr_t pa_ind);
int ap_sim_qci(struct ap_config_info *config);

/* The simulated machine has them unless ap_sim's ap_instructions=N. */
static inline bool ap_instructions_available(void)
{
	return ap_sim_instructions_available();
}

/*
 * TAPQ: the queue's state.  @info (may be NULL) gets the adapter type in
 * bits 32-39 counted from the left, as s390's GR2 (ap_sim fills only
 * the type and the facility bits 0-31).
 */
static inline struct ap_queue_status ap_tapq(ap_qid_t qid, unsigned long *info)
{
	return ap_sim_tapq(qid, info);
}

static inline struct ap_queue_status ap_test_queue(ap_qid_t qid, int tbit, unsigned long *info)
{
	return ap_sim_tapq(qid, info);
}

/*
 * ZAPQ.  The simulated machine completes a reset at once: an accepted
 * ZAPQ answers 00, and the next TAPQ of the queue reports the state the
 * reset ended in (docs/kernel-abi.md §1.3).  A refused one answers the
 * refusal.
 */
static inline struct ap_queue_status ap_zapq(ap_qid_t qid)
{
	return ap_sim_zapq(qid);
}

static inline struct ap_queue_status ap_rapq(ap_qid_t qid)
{
	return ap_sim_rapq(qid);
}

/* AQIC: accepted, the irq_enabled bit follows @qirqctrl.ir. */
static inline struct ap_queue_status ap_aqic(ap_qid_t qid, struct ap_qirq_ctrl qirqctrl,
					     phys_addr_t pa_ind)
{
	return ap_sim_aqic(qid, qirqctrl, pa_ind);
}

/* QCI: 0 and the configuration the bus last fetched. */
static inline int ap_qci(struct ap_config_info *config)
{
	return ap_sim_qci(config);
}

/*
 * s390's inverted bit numbers (asm/bitops.h there): bit 0 is the most
 * significant bit of the first long.  x86 has no such helpers.
 */
#ifndef CONFIG_S390
static inline void set_bit_inv(unsigned long nr, volatile unsigned long *ptr)
{
	set_bit(nr ^ (BITS_PER_LONG - 1), ptr);
}

static inline void clear_bit_inv(unsigned long nr, volatile unsigned long *ptr)
{
	clear_bit(nr ^ (BITS_PER_LONG - 1), ptr);
}

static inline bool test_bit_inv(unsigned long nr, const volatile unsigned long *ptr)
{
	return test_bit(nr ^ (BITS_PER_LONG - 1), ptr);
}

static inline unsigned long find_first_bit_inv(const unsigned long *addr, unsigned long size)
{
	unsigned long nr;

	for (nr = 0; nr < size; nr++)
		if (test_bit_inv(nr, addr))
			return nr;
	return size;
}

static inline unsigned long find_next_bit_inv(const unsigned long *addr, unsigned long size,
					      unsigned long offset)
{
	unsigned long nr;

	for (nr = offset; nr < size; nr++)
		if (test_bit_inv(nr, addr))
			return nr;
	return size;
}

#define for_each_set_bit_inv(bit, addr, size)				\
	for ((bit) = find_first_bit_inv((addr), (size));		\
	     (bit) < (size);						\
	     (bit) = find_next_bit_inv((addr), (size), (bit) + 1))
#endif

#endif /* APVIRT_AP_SIM_ASM_AP_H */
