// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo's simulated interrupt source: the textbooks' top half / bottom half
 * lesson with today's APIs.
 *
 * Top half: an hrtimer expiring in hard-irq context (HRTIMER_MODE_REL_HARD,
 * also on PREEMPT_RT) stands for a device interrupt. It stamps a record
 * (sequence number, time) into a small "hardware" ring and queues the bottom
 * half. It does nothing that can sleep, on PREEMPT_RT included: the ring's
 * lock is a raw_spinlock_t, because a spinlock_t becomes a sleeping lock
 * there and must not be taken in hard-irq context. Every section under it
 * is bounded (at most %MYDEMO_IRQ_RING records copied), as a raw lock
 * requires.
 *
 * Bottom half: a work item (workqueues replace tasklets, which are
 * deprecated) drains the ring into the device fifo under the write mutex,
 * like any writer, then wakes readers and sends SIGIO. A record that finds
 * the ring or the fifo full is dropped and counted as an overrun, as a UART
 * counts characters it had no room for.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/uio.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include <linux/mydemo.h>

#include "irq.h"
#include "mydemo.h"
#include "notify.h"
#include "trace.h"

/**
 * mydemo_irq_ring_push() - stamp the next record into the ring
 * @irq: the interrupt source; the caller holds @irq->lock
 *
 * The top half's part that needs no timer, apart so that KUnit can drive it.
 * @head and @tail run free and wrap at UINT_MAX + 1, a multiple of
 * %MYDEMO_IRQ_RING, so head - tail is the fill level and the slot sequence
 * goes on unbroken across the wrap. A record that finds the ring full still
 * uses up its sequence number: the reader sees the gap.
 *
 * Return: true if the record went in, false if it was dropped (counted).
 */
VISIBLE_IF_KUNIT bool mydemo_irq_ring_push(struct mydemo_irq *irq)
{
	struct mydemo_irq_record *rec;
	bool stored = false;

	lockdep_assert_held(&irq->lock);
	if (irq->head - irq->tail < MYDEMO_IRQ_RING) {
		rec = &irq->ring[irq->head++ % MYDEMO_IRQ_RING];
		rec->seq = irq->seq;
		rec->timestamp_ns = ktime_get_ns();
		stored = true;
	} else {
		irq->ring_drops++;
	}
	irq->seq++;
	return stored;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_irq_ring_push);

/**
 * mydemo_irq_ring_pop() - take every record out of the ring, oldest first
 * @irq: the interrupt source; the caller holds @irq->lock
 * @recs: room for %MYDEMO_IRQ_RING records, which is all the ring can hold
 *
 * Return: the number of records copied to @recs.
 */
VISIBLE_IF_KUNIT unsigned int mydemo_irq_ring_pop(struct mydemo_irq *irq,
						  struct mydemo_irq_record *recs)
{
	unsigned int n = 0;

	lockdep_assert_held(&irq->lock);
	while (irq->tail != irq->head)
		recs[n++] = irq->ring[irq->tail++ % MYDEMO_IRQ_RING];
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_irq_ring_pop);

static enum hrtimer_restart mydemo_irq_fire(struct hrtimer *t)
{
	struct mydemo_irq *irq = container_of(t, struct mydemo_irq, timer);
	struct mydemo_dev *md = container_of(irq, struct mydemo_dev, irq);
	unsigned long flags;

	raw_spin_lock_irqsave(&irq->lock, flags);
	/* The record just handled is number seq - 1. */
	if (mydemo_irq_ring_push(irq))
		trace_mydemo_irq(md, irq->seq - 1, irq->head - irq->tail);
	else
		trace_mydemo_overrun(md, irq->seq - 1, irq->ring_drops, true);
	raw_spin_unlock_irqrestore(&irq->lock, flags);

	queue_work(system_wq, &irq->work);
	hrtimer_forward_now(t, irq->period);
	return HRTIMER_RESTART;
}

static void mydemo_irq_work(struct work_struct *work)
{
	struct mydemo_irq *irq = container_of(work, struct mydemo_irq, work);
	struct mydemo_dev *md = container_of(irq, struct mydemo_dev, irq);
	struct mydemo_irq_record recs[MYDEMO_IRQ_RING];
	unsigned int n = 0, i, before;
	u64 stored = 0, dropped = 0;
	bool wake = false;
	struct iov_iter it;
	struct kvec kv;
	ssize_t ret;

	raw_spin_lock_irq(&irq->lock);
	n = mydemo_irq_ring_pop(irq, recs);
	raw_spin_unlock_irq(&irq->lock);
	if (!n)
		return;

	/*
	 * A writer may hold the mutex for as long as its copy from user space
	 * takes. Removal does not wait for that: it disconnects the device
	 * first and stops this source afterwards, so records that get the
	 * mutex after the device died are dropped, uncounted, as a removed
	 * device drops everything.
	 */
	mutex_lock(&md->write_mutex);
	if (mydemo_dead(md)) {
		mutex_unlock(&md->write_mutex);
		return;
	}
	for (i = 0; i < n; i++) {
		kv.iov_base = &recs[i];
		kv.iov_len = sizeof(recs[i]);
		iov_iter_kvec(&it, ITER_SOURCE, &kv, 1, sizeof(recs[i]));
		/* Whole records only: a kvec cannot fault. */
		ret = mydemo_fifo_write(&md->fifo, &it, true, &before);
		if (ret > 0) {
			/*
			 * Any record may be the one that lands in an empty
			 * fifo, not only the first: readers do not take the
			 * write mutex, and one can drain the fifo between two
			 * records of this batch and go to sleep.
			 */
			if (!before)
				wake = true;
			stored++;
		} else {
			dropped++;
			trace_mydemo_overrun(md, recs[i].seq,
					     u64_stats_read(&irq->dropped) + dropped,
					     false);
		}
	}
	u64_stats_update_begin(&irq->syncp);
	u64_stats_add(&irq->stored, stored);
	u64_stats_add(&irq->dropped, dropped);
	if (wake)
		u64_stats_inc(&irq->woke);
	u64_stats_update_end(&irq->syncp);
	mutex_unlock(&md->write_mutex);

	if (stored)
		mydemo_data_added(md, wake);
}

/**
 * mydemo_irq_init() - set up a device's (stopped) interrupt source
 * @md: the device, being created
 */
void mydemo_irq_init(struct mydemo_dev *md)
{
	struct mydemo_irq *irq = &md->irq;

	raw_spin_lock_init(&irq->lock);
	mutex_init(&irq->ctl_mutex);
	u64_stats_init(&irq->syncp);
	INIT_WORK(&irq->work, mydemo_irq_work);
	hrtimer_init(&irq->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	irq->timer.function = mydemo_irq_fire;
}

/* Stop the timer, then let the bottom half deliver what it had. */
static void mydemo_irq_halt(struct mydemo_irq *irq)
{
	hrtimer_cancel(&irq->timer);
	flush_work(&irq->work);
}

/**
 * mydemo_irq_set_rate() - switch the interrupt source on, off, or re-time it
 * @md: the device
 * @rate: interrupts per second, 1..%MYDEMO_IRQ_MAX_RATE, or 0 for off
 *
 * Synchronous: when this returns 0 after switching off, no interrupt fires
 * any more and every record taken is in the fifo or counted as an overrun.
 * Switching on from off restarts the sequence numbers at 0.
 *
 * Return: 0, -EINVAL for a bad @rate, -ENODEV once the device is removed,
 * or -ERESTARTSYS.
 */
int mydemo_irq_set_rate(struct mydemo_dev *md, unsigned int rate)
{
	struct mydemo_irq *irq = &md->irq;
	int ret = 0;

	if (rate > MYDEMO_IRQ_MAX_RATE)
		return -EINVAL;
	if (mutex_lock_interruptible(&irq->ctl_mutex))
		return -ERESTARTSYS;
	if (irq->removed) {
		ret = -ENODEV;
		goto out;
	}
	mydemo_irq_halt(irq);
	if (rate) {
		raw_spin_lock_irq(&irq->lock);
		if (!irq->rate) {
			irq->seq = 0;
			irq->head = 0;
			irq->tail = 0;
		}
		irq->period = ns_to_ktime(NSEC_PER_SEC / rate);
		raw_spin_unlock_irq(&irq->lock);
		hrtimer_start(&irq->timer, irq->period, HRTIMER_MODE_REL_HARD);
	}
	WRITE_ONCE(irq->rate, rate);
out:
	mutex_unlock(&irq->ctl_mutex);
	return ret;
}

/**
 * mydemo_irq_remove() - stop the interrupt source for good
 * @md: the device, being removed and already disconnected
 *
 * After this, nothing of the interrupt source runs and it cannot be
 * switched on again (mydemo_irq_set_rate() fails with -ENODEV). Waits for
 * the bottom half, which may wait for the write mutex: call it without
 * global locks, after mydemo_disconnect() has woken the sleepers.
 */
void mydemo_irq_remove(struct mydemo_dev *md)
{
	struct mydemo_irq *irq = &md->irq;

	mutex_lock(&irq->ctl_mutex);
	irq->removed = true;
	mydemo_irq_halt(irq);
	WRITE_ONCE(irq->rate, 0);
	mutex_unlock(&irq->ctl_mutex);
}

/**
 * mydemo_irq_rate() - current rate
 * @md: the device
 *
 * Return: interrupts per second, 0 when off.
 */
unsigned int mydemo_irq_rate(struct mydemo_dev *md)
{
	return READ_ONCE(md->irq.rate);
}

/**
 * mydemo_irq_stats() - the interrupt source's counters
 * @md: the device
 * @stored: records it put into the fifo
 * @overruns: records it dropped: the fifo was full (counted by the bottom
 *	half) or its own ring was (by the top half)
 * @woke: times its records woke the fifo's sleeping readers
 *
 * Each value whole, without waiting for the bottom half; with the device's
 * write mutex held, the three agree with the fifo.
 */
void mydemo_irq_stats(struct mydemo_dev *md, u64 *stored, u64 *overruns,
		      u64 *woke)
{
	struct mydemo_irq *irq = &md->irq;
	unsigned int start;
	u64 ring;

	raw_spin_lock_irq(&irq->lock);
	ring = irq->ring_drops;
	raw_spin_unlock_irq(&irq->lock);
	do {
		start = u64_stats_fetch_begin(&irq->syncp);
		*stored = u64_stats_read(&irq->stored);
		*overruns = ring + u64_stats_read(&irq->dropped);
		*woke = u64_stats_read(&irq->woke);
	} while (u64_stats_fetch_retry(&irq->syncp, start));
}

/**
 * mydemo_irq_reset_stats() - zero the interrupt source's counters
 * @md: the device; the caller holds its write mutex, as the bottom half
 *	does when it counts
 */
void mydemo_irq_reset_stats(struct mydemo_dev *md)
{
	struct mydemo_irq *irq = &md->irq;

	lockdep_assert_held(&md->write_mutex);
	raw_spin_lock_irq(&irq->lock);
	irq->ring_drops = 0;
	raw_spin_unlock_irq(&irq->lock);
	u64_stats_update_begin(&irq->syncp);
	u64_stats_set(&irq->stored, 0);
	u64_stats_set(&irq->dropped, 0);
	u64_stats_set(&irq->woke, 0);
	u64_stats_update_end(&irq->syncp);
}
