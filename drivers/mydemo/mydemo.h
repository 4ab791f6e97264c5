/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mydemo: types shared by the files of the driver.
 */
#ifndef _MYDEMO_H
#define _MYDEMO_H

#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fault-inject.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/wait.h>

#include <linux/mydemo.h>

#include "fifo.h"
#include "irq.h"
#include "stats.h"

/* Minors that alloc_chrdev_region() reserves: the bound of ndevices. */
#define MYDEMO_MAX_DEVICES	256

/* Index of the per-direction arrays below. */
enum mydemo_dir {
	MYDEMO_READ,
	MYDEMO_WRITE,
	MYDEMO_NR_DIRS,
};

/**
 * struct mydemo_file - an open file of a device (file->private_data)
 * @md: the device
 * @file: the file
 * @node: in mydemo_dev.files, under mydemo_dev.files_lock
 * @pid: thread group that opened the file (init namespace)
 * @comm: its command name then
 * @opened: CLOCK_MONOTONIC time of the open
 *
 * All but @node is fixed at open.
 */
struct mydemo_file {
	struct mydemo_dev *md;
	struct file *file;
	struct list_head node;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	ktime_t opened;
};

/**
 * struct mydemo_waiter - a task asleep in read() or write(), on its stack
 * @wq: its entry in the device's read_wait or write_wait; every entry of
 *	those two queues is one of these, which is how debugfs lists the
 *	sleepers (under the queue's lock, while the task cannot leave)
 * @mf: the file it sleeps in
 * @task: the task (current)
 * @dir: %MYDEMO_READ or %MYDEMO_WRITE
 * @since: when it went to sleep
 * @woken: when a wake-up selected it, 0 if none did (yet); written by the
 *	waker under the wait queue's lock, read by the task after finish_wait()
 */
struct mydemo_waiter {
	struct wait_queue_entry wq;
	struct mydemo_file *mf;
	struct task_struct *task;
	enum mydemo_dir dir;
	ktime_t since;
	ktime_t woken;
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
 * @fasync_mutex: serialises ->fasync(): a file is on both its lists or on
 *	none, and @fasync_count and @fasync_nr follow the lists
 * @fasync_count: files subscribed to SIGIO
 * @fasync_nr: files on @fasync_readers and on @fasync_writers, for counting
 *	the signals sent
 * @poll_usage: someone has polled the device: from then on every write
 *	wakes the pollers, not only the empty -> not empty edge
 * @sigio_sent: signals sent: each event counts once per subscriber
 * @eagain: calls that failed with -EAGAIN, by direction: atomics, because an
 *	IOCB_NOWAIT call that finds the direction's mutex taken counts too
 * @dead: set once when the device is removed; read locklessly in every wait
 *	condition
 * @files_lock: guards @files
 * @files: open files (struct mydemo_file)
 * @nr_open: open files by direction: an O_RDWR file counts in both
 * @wait: sleepers' statistics, by direction
 * @debugfs: the device's debugfs directory, or an error pointer
 * @fault: fault injection for this device's allocations and copies
 * @rstats: read-side counters, beside @read_mutex
 * @wstats: write-side counters, beside @write_mutex
 * @irq: the simulated interrupt source
 * @removing: a removal has claimed the device (main.c), under
 *	mydemo_devs_lock
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
	struct mutex fasync_mutex;	/* the two lists and their counters */
	atomic_t fasync_count;
	atomic_t fasync_nr[MYDEMO_NR_DIRS];
	bool poll_usage;
	atomic64_t sigio_sent;
	atomic64_t eagain[MYDEMO_NR_DIRS];
	bool dead;
	spinlock_t files_lock;		/* files */
	struct list_head files;
	atomic_t nr_open[MYDEMO_NR_DIRS];
	struct mydemo_wait_stats wait[MYDEMO_NR_DIRS];
	struct dentry *debugfs;
#ifdef CONFIG_FAULT_INJECTION
	struct fault_attr fault;
#endif
	struct mydemo_dir_stats rstats ____cacheline_aligned_in_smp;
	struct mydemo_dir_stats wstats ____cacheline_aligned_in_smp;
	struct mydemo_irq irq ____cacheline_aligned_in_smp;
	bool removing;
};

static inline struct mydemo_dev *to_mydemo_dev(struct device *dev)
{
	return container_of(dev, struct mydemo_dev, dev);
}

static inline struct mydemo_dev *mydemo_file_dev(struct file *file)
{
	return ((struct mydemo_file *)file->private_data)->md;
}

/* Removed: written once by mydemo_disconnect(), read without locks. */
static inline bool mydemo_dead(const struct mydemo_dev *md)
{
	return READ_ONCE(md->dead);
}

static inline unsigned int mydemo_minor(const struct mydemo_dev *md)
{
	return MINOR(md->dev.devt);
}

/*
 * Should this allocation or copy fail? Only when the kernel has fault
 * injection and someone armed /sys/kernel/debug/mydemo/mydemoN/fault_inject.
 */
static inline bool mydemo_should_fail(struct mydemo_dev *md, ssize_t size)
{
#ifdef CONFIG_FAULT_INJECTION
	return should_fail(&md->fault, size);
#else
	return false;
#endif
}

static inline void mydemo_fault_init(struct mydemo_dev *md)
{
#ifdef CONFIG_FAULT_INJECTION
	md->fault = (struct fault_attr)FAULT_ATTR_INITIALIZER;
#endif
}

extern const struct file_operations mydemo_fops;
extern const struct attribute_group *mydemo_dev_groups[];

long mydemo_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

void mydemo_get_info(struct mydemo_dev *md, struct mydemo_info *info);
int mydemo_flush(struct mydemo_dev *md);
int mydemo_set_size(struct mydemo_dev *md, unsigned int size);

void mydemo_debugfs_init(void);
void mydemo_debugfs_exit(void);
void mydemo_debugfs_add(struct mydemo_dev *md);
void mydemo_debugfs_remove(struct mydemo_dev *md);

#endif /* _MYDEMO_H */
