// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo debugfs: /sys/kernel/debug/mydemo/mydemoN/, for people debugging
 * the driver or a program that uses it (root only, as all of debugfs).
 *
 *   state		everything about the device now, with every open file and
 *			every task asleep in it
 *   wait_latency	log2 histograms of sleep and wake-up-to-run times
 *   contents		hexdump of the fifo, without consuming it
 *   fault_inject/	the kernel's fault-injection attributes (with
 *			CONFIG_FAULT_INJECTION_DEBUG_FS): fail this device's
 *			allocations and copies on demand
 *
 * Like all of debugfs this is not a stable ABI; sysfs is. Failures to
 * create the files are ignored, as debugfs callers must.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string_helpers.h>

#include "mydemo.h"

static struct dentry *mydemo_debugfs_root;

static const char *const mydemo_dir_name[MYDEMO_NR_DIRS] = {
	[MYDEMO_READ] = "read",
	[MYDEMO_WRITE] = "write",
};

/* Milliseconds from @t to now. */
static u64 mydemo_ms_since(ktime_t t)
{
	return ktime_to_ms(ktime_sub(ktime_get(), t));
}

/*
 * The tasks asleep in @mf, from the device's queue of one direction: every
 * entry there is a struct mydemo_waiter, and under the queue's lock none
 * can leave it (finish_wait() takes the lock to remove a listed entry), so
 * the task is alive. A task already woken, not yet running, is off the
 * queue and not listed.
 */
static void mydemo_show_sleepers(struct seq_file *m, struct mydemo_file *mf,
				 struct wait_queue_head *wq)
{
	struct wait_queue_entry *e;
	struct mydemo_waiter *w;

	spin_lock_irq(&wq->lock);
	list_for_each_entry(e, &wq->head, entry) {
		w = container_of(e, struct mydemo_waiter, wq);
		if (w->mf != mf)
			continue;
		seq_printf(m, "    blocked pid=%d comm=%s call=%s since_ms=%llu\n",
			   task_pid_nr(w->task), w->task->comm,
			   mydemo_dir_name[w->dir], mydemo_ms_since(w->since));
	}
	spin_unlock_irq(&wq->lock);
}

static int mydemo_state_show(struct seq_file *m, void *unused)
{
	struct mydemo_dev *md = m->private;
	struct mydemo_snapshot s;
	struct mydemo_file *mf;
	unsigned int flags;
	fmode_t mode;

	mydemo_snapshot(md, &s, false);
	seq_printf(m, "device: %s\n", dev_name(&md->dev));
	seq_printf(m, "removed: %s\n", str_yes_no(mydemo_dead(md)));
	seq_printf(m, "fifo_size: %llu\nfifo_level: %llu\n", s.fifo_size,
		   s.fifo_level);
	seq_printf(m, "atomic_size: %u\nhigh_watermark: %llu\n",
		   mydemo_fifo_atomic_size(&md->fifo), s.high_watermark);
	seq_printf(m, "readers: %d\nwriters: %d\n",
		   atomic_read(&md->nr_open[MYDEMO_READ]),
		   atomic_read(&md->nr_open[MYDEMO_WRITE]));
	seq_printf(m, "waiting_readers: %llu\nwaiting_writers: %llu\n",
		   s.waiting_readers, s.waiting_writers);
	seq_printf(m, "fasync_subscribers: %d (readers %d, writers %d)\n",
		   atomic_read(&md->fasync_count),
		   atomic_read(&md->fasync_nr[MYDEMO_READ]),
		   atomic_read(&md->fasync_nr[MYDEMO_WRITE]));
	seq_printf(m, "irq_rate: %u\n", mydemo_irq_rate(md));
	seq_printf(m, "read_mutex: %s\nwrite_mutex: %s\n",
		   mutex_is_locked(&md->read_mutex) ? "held" : "free",
		   mutex_is_locked(&md->write_mutex) ? "held" : "free");

	seq_puts(m, "files:\n");
	/* Under the lock: listed files cannot go away. */
	spin_lock(&md->files_lock);
	list_for_each_entry(mf, &md->files, node) {
		mode = mf->file->f_mode;
		/* f_flags changes under fcntl(F_SETFL); a report may race. */
		flags = data_race(mf->file->f_flags);
		seq_printf(m,
			   "  file pid=%d comm=%s mode=%s%s nonblock=%d fasync=%d open_ms=%llu\n",
			   mf->pid, mf->comm, mode & FMODE_READ ? "r" : "",
			   mode & FMODE_WRITE ? "w" : "", !!(flags & O_NONBLOCK),
			   !!(flags & FASYNC), mydemo_ms_since(mf->opened));
		mydemo_show_sleepers(m, mf, &md->read_wait);
		mydemo_show_sleepers(m, mf, &md->write_wait);
	}
	spin_unlock(&md->files_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mydemo_state);

static int mydemo_wait_latency_show(struct seq_file *m, void *unused)
{
	struct mydemo_dev *md = m->private;
	struct mydemo_wait_stats *r = &md->wait[MYDEMO_READ];
	struct mydemo_wait_stats *w = &md->wait[MYDEMO_WRITE];
	s64 v[4];
	int i;

	seq_puts(m, "# slept: from going to sleep in read()/write() to running again\n");
	seq_puts(m, "# wake: from the wake-up that selected the task to running again\n");
	seq_printf(m, "%-12s %-12s %12s %12s %12s %12s\n", "from_ns", "to_ns",
		   "read_slept", "write_slept", "read_wake", "write_wake");
	for (i = 0; i < MYDEMO_LAT_BUCKETS; i++) {
		v[0] = atomic64_read(&r->slept[i]);
		v[1] = atomic64_read(&w->slept[i]);
		v[2] = atomic64_read(&r->wake[i]);
		v[3] = atomic64_read(&w->wake[i]);
		if (!(v[0] | v[1] | v[2] | v[3]))
			continue;
		seq_printf(m, "%-12llu ", i ? 1ULL << i : 0);
		if (i < MYDEMO_LAT_BUCKETS - 1)
			seq_printf(m, "%-12llu ", 1ULL << (i + 1));
		else
			seq_printf(m, "%-12s ", "inf");
		seq_printf(m, "%12lld %12lld %12lld %12lld\n", v[0], v[1], v[2],
			   v[3]);
	}
	seq_printf(m, "interrupted: read %lld write %lld\n",
		   atomic64_read(&r->interrupted),
		   atomic64_read(&w->interrupted));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mydemo_wait_latency);

/*
 * A copy taken under the read mutex, so no reader moves the bytes away
 * meanwhile; writers go on, past what is copied.
 */
static int mydemo_contents_show(struct seq_file *m, void *unused)
{
	struct mydemo_dev *md = m->private;
	unsigned int len = 0;
	void *buf;

	if (mutex_lock_interruptible(&md->read_mutex))
		return -ERESTARTSYS;
	/* A resize needs the read mutex too: the size holds until unlock. */
	buf = kvmalloc(mydemo_fifo_size(&md->fifo), GFP_KERNEL);
	if (buf)
		len = mydemo_fifo_peek(&md->fifo, buf,
				       mydemo_fifo_size(&md->fifo));
	mutex_unlock(&md->read_mutex);
	if (!buf)
		return -ENOMEM;
	seq_hex_dump(m, "", DUMP_PREFIX_OFFSET, 16, 1, buf, len, true);
	kvfree(buf);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mydemo_contents);

/**
 * mydemo_debugfs_add() - the debugfs directory of a new device
 * @md: the device, just published
 */
void mydemo_debugfs_add(struct mydemo_dev *md)
{
	md->debugfs = debugfs_create_dir(dev_name(&md->dev), mydemo_debugfs_root);
	debugfs_create_file("state", 0400, md->debugfs, md, &mydemo_state_fops);
	debugfs_create_file("wait_latency", 0400, md->debugfs, md,
			    &mydemo_wait_latency_fops);
	debugfs_create_file("contents", 0400, md->debugfs, md,
			    &mydemo_contents_fops);
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	fault_create_debugfs_attr("fault_inject", md->debugfs, &md->fault);
#endif
}

/**
 * mydemo_debugfs_remove() - remove a device's debugfs directory
 * @md: the device, being removed
 *
 * Waits for the files' running callbacks; later calls on files still open
 * fail with -EIO, so @md may be freed afterwards.
 */
void mydemo_debugfs_remove(struct mydemo_dev *md)
{
	debugfs_remove(md->debugfs);
	md->debugfs = NULL;
}

/**
 * mydemo_debugfs_init() - create /sys/kernel/debug/mydemo
 */
void mydemo_debugfs_init(void)
{
	mydemo_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
}

/**
 * mydemo_debugfs_exit() - remove /sys/kernel/debug/mydemo, devices gone
 */
void mydemo_debugfs_exit(void)
{
	debugfs_remove(mydemo_debugfs_root);
	mydemo_debugfs_root = NULL;
}
