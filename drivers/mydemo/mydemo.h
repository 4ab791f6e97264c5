/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mydemo: types shared by the files of the driver.
 */
#ifndef _MYDEMO_H
#define _MYDEMO_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/mutex.h>
#include <linux/u64_stats_sync.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <linux/mydemo.h>

#include "fifo.h"

/* Minors that alloc_chrdev_region() reserves: the bound of ndevices. */
#define MYDEMO_MAX_DEVICES	256

/**
 * struct mydemo_dir_stats - counters of one direction (read or write)
 * @syncp: lets a 32-bit reader see each 64-bit counter whole
 * @bytes: bytes moved
 * @calls: read or write calls that moved at least one byte
 * @blocked: calls that had to sleep
 * @eagain: calls that failed with -EAGAIN
 * @woke_peer: times this direction woke the other's sleepers (a read that
 *	made room for blocked writers, a write that gave data to blocked readers)
 * @irq_records: write side only: records the interrupt source stored
 * @overruns: write side only: records it dropped because the fifo was full
 *
 * Updated only under the direction's mutex, which the I/O path holds anyway:
 * no extra cache line is shared by CPUs doing I/O, and readers of the
 * statistics (sysfs) never take the mutex.
 */
struct mydemo_dir_stats {
	struct u64_stats_sync syncp;
	u64_stats_t bytes;
	u64_stats_t calls;
	u64_stats_t blocked;
	u64_stats_t eagain;
	u64_stats_t woke_peer;
	u64_stats_t irq_records;
	u64_stats_t overruns;
};

/* Records the simulated device's own buffer holds between bottom halves. */
#define MYDEMO_IRQ_RING		32
#define MYDEMO_IRQ_MAX_RATE	10000

/**
 * struct mydemo_irq - the simulated interrupt source of a device (irq.c)
 * @timer: the "interrupt": an hrtimer expiring in hard-irq context
 * @work: the bottom half, moving records from @ring into the fifo
 * @lock: guards @ring, @head, @tail, @seq and @ring_drops; taken in hard-irq
 *	context, so elsewhere with interrupts disabled
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
 */
struct mydemo_irq {
	struct hrtimer timer;
	struct work_struct work;
	spinlock_t lock;		/* see above: taken in hard-irq context */
	struct mydemo_irq_record ring[MYDEMO_IRQ_RING];
	unsigned int head;
	unsigned int tail;
	u64 seq;
	u64 ring_drops;
	ktime_t period;
	struct mutex ctl_mutex;	/* see above */
	unsigned int rate;
	bool removed;
};

/**
 * struct mydemo_dev - one /dev/mydemoN
 * @dev: the device; its release callback frees this structure
 * @cdev: the character device; an open file pins it, and through it @dev
 * @fifo: the bytes written and not yet read
 * @read_mutex: one reader in @fifo at a time; also guards @rstats
 * @write_mutex: one writer in @fifo at a time, which is what makes a write of
 *	at most the atomic size atomic; also guards @wstats
 * @read_wait: readers asleep in read(), waiting for data (exclusively)
 * @write_wait: writers asleep in write(), waiting for room (exclusively)
 * @read_poll: pollers of readability (poll, select, epoll)
 * @write_poll: pollers of writability. Separate from the queues of sleeping
 *	tasks so that passing the baton to the next sleeper is no event for
 *	edge-triggered epoll.
 * @fasync_readers: files of readers that asked for SIGIO (POLL_IN)
 * @fasync_writers: files of writers that asked for SIGIO (POLL_OUT)
 * @fasync_count: files subscribed to SIGIO
 * @dead: set once when the device is removed; read locklessly in every wait
 *	condition
 * @rstats: read-side counters
 * @wstats: write-side counters
 * @irq: the simulated interrupt source
 */
struct mydemo_dev {
	struct device dev;
	struct cdev cdev;
	struct mydemo_fifo fifo;
	struct mutex read_mutex;	/* one reader at a time, rstats */
	struct mutex write_mutex;	/* one writer at a time, wstats */
	wait_queue_head_t read_wait;
	wait_queue_head_t write_wait;
	wait_queue_head_t read_poll;
	wait_queue_head_t write_poll;
	struct fasync_struct *fasync_readers;
	struct fasync_struct *fasync_writers;
	atomic_t fasync_count;
	bool dead;
	struct mydemo_dir_stats rstats;
	struct mydemo_dir_stats wstats;
	struct mydemo_irq irq;
};

static inline struct mydemo_dev *to_mydemo_dev(struct device *dev)
{
	return container_of(dev, struct mydemo_dev, dev);
}

extern const struct file_operations mydemo_fops;
extern const struct attribute_group *mydemo_dev_groups[];

void mydemo_disconnect(struct mydemo_dev *md);
void mydemo_wake_readers(struct mydemo_dev *md);
void mydemo_room_changed(struct mydemo_dev *md);
u64 mydemo_stat_read(const struct mydemo_dir_stats *s, const u64_stats_t *c);

long mydemo_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

void mydemo_irq_init(struct mydemo_dev *md);
int mydemo_irq_set_rate(struct mydemo_dev *md, unsigned int rate);
void mydemo_irq_remove(struct mydemo_dev *md);
unsigned int mydemo_irq_rate(struct mydemo_dev *md);
u64 mydemo_overruns(struct mydemo_dev *md);
void mydemo_irq_reset_stats(struct mydemo_dev *md);

#if IS_ENABLED(CONFIG_KUNIT)
/* Static in irq.c unless KUnit may test them. */
bool mydemo_irq_ring_push(struct mydemo_irq *irq);
unsigned int mydemo_irq_ring_pop(struct mydemo_irq *irq,
				 struct mydemo_irq_record *recs);
#endif

#endif /* _MYDEMO_H */
