/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mydemo's simulated interrupt source (irq.c): its state, embedded in each
 * device, and what the rest of the driver may ask of it.
 */
#ifndef _MYDEMO_IRQ_H
#define _MYDEMO_IRQ_H

#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>

#include <linux/mydemo.h>

struct mydemo_dev;

/* Records the simulated device's own buffer holds between bottom halves. */
#define MYDEMO_IRQ_RING		32
#define MYDEMO_IRQ_MAX_RATE	10000

/**
 * struct mydemo_irq - the simulated interrupt source of a device (irq.c)
 * @timer: the "interrupt": an hrtimer expiring in hard-irq context
 * @work: the bottom half, moving records from @ring into the fifo
 * @lock: guards @ring, @head, @tail, @seq and @ring_drops; taken in hard-irq
 *	context (on PREEMPT_RT too), so raw, and elsewhere with interrupts
 *	disabled
 * @ring: the device's own small buffer
 * @head: next slot the top half fills (free-running)
 * @tail: next slot the bottom half empties (free-running)
 * @seq: number of the next record
 * @ring_drops: records lost because @ring was full
 * @period: time between interrupts; changed only while @timer is stopped
 * @ctl_mutex: serialises switching on and off, guards @removed
 * @rate: interrupts per second, 0 when off; written under @ctl_mutex,
 *	read locklessly for reports
 * @removed: the device is gone: the source stays off
 * @syncp: keeps the 64-bit counters below whole for 32-bit readers
 * @stored: records the bottom half put into the fifo
 * @dropped: records it dropped because the fifo was full
 * @woke: times a record woke the fifo's sleeping readers
 *
 * The source's counters are its own (the device's statistics add them up):
 * the bottom half changes @stored, @dropped and @woke under the device's
 * write mutex, which it holds to store records anyway.
 */
struct mydemo_irq {
	struct hrtimer timer;
	struct work_struct work;
	raw_spinlock_t lock;	/* see above: taken in hard-irq context */
	struct mydemo_irq_record ring[MYDEMO_IRQ_RING];
	unsigned int head;
	unsigned int tail;
	u64 seq;
	u64 ring_drops;
	ktime_t period;
	struct mutex ctl_mutex;	/* see above */
	unsigned int rate;
	bool removed;
	struct u64_stats_sync syncp;
	u64_stats_t stored;
	u64_stats_t dropped;
	u64_stats_t woke;
};

void mydemo_irq_init(struct mydemo_dev *md);
int mydemo_irq_set_rate(struct mydemo_dev *md, unsigned int rate);
void mydemo_irq_remove(struct mydemo_dev *md);
unsigned int mydemo_irq_rate(struct mydemo_dev *md);
void mydemo_irq_stats(struct mydemo_dev *md, u64 *stored, u64 *overruns,
		      u64 *woke);
void mydemo_irq_reset_stats(struct mydemo_dev *md);

#if IS_ENABLED(CONFIG_KUNIT)
/* Static in irq.c unless KUnit may test them. */
bool mydemo_irq_ring_push(struct mydemo_irq *irq);
unsigned int mydemo_irq_ring_pop(struct mydemo_irq *irq,
				 struct mydemo_irq_record *recs);
#endif

#endif /* _MYDEMO_IRQ_H */
