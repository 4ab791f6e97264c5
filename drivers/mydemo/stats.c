// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo statistics: reading the counters one at a time or all at once,
 * zeroing them, and every report made from the list of them in stats.h
 * (the sysfs "stat" line and statistics/ files, MYDEMO_IOC_GET_STATS's
 * structure): the only file that expands that list.
 *
 * Where each counter lives, and why it costs the I/O path nothing extra:
 * - the read and write sides' counters (struct mydemo_dir_stats) change
 *   only under that side's mutex, which every read (write) holds anyway,
 *   on cache lines of their own;
 * - the counters of slow paths (sleeps, signals, SIGIO, EAGAIN) are
 *   atomics: they change only after a task slept, next to kill_fasync(),
 *   which takes locks of its own, or when a call fails without moving a
 *   byte (an IOCB_NOWAIT call may fail so without getting the mutex);
 * - the high watermark is kept by the fifo under the lock that moves its
 *   index.
 * mydemo_snapshot() with @consistent takes both mutexes (write, then read,
 * as everywhere), so no I/O is half-counted in it: bytes_written equals
 * bytes_read + bytes_flushed + fifo_level on a device whose counters were
 * never reset.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/stddef.h>
#include <linux/sysfs.h>

#include "mydemo.h"
#include "stats.h"

/**
 * mydemo_stat_read() - read one counter of a direction, whole
 * @s: the direction's counters
 * @c: the counter, a member of @s
 *
 * Return: the counter's value; never torn, even on 32-bit machines.
 */
u64 mydemo_stat_read(const struct mydemo_dir_stats *s, const u64_stats_t *c)
{
	unsigned int start;
	u64 v;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		v = u64_stats_read(c);
	} while (u64_stats_fetch_retry(&s->syncp, start));
	return v;
}

static int mydemo_lock_both(struct mydemo_dev *md)
{
	if (mutex_lock_interruptible(&md->write_mutex))
		return -ERESTARTSYS;
	if (mutex_lock_interruptible(&md->read_mutex)) {
		mutex_unlock(&md->write_mutex);
		return -ERESTARTSYS;
	}
	return 0;
}

static void mydemo_unlock_both(struct mydemo_dev *md)
{
	mutex_unlock(&md->read_mutex);
	mutex_unlock(&md->write_mutex);
}

/**
 * mydemo_snapshot() - every counter and gauge of a device
 * @md: the device
 * @s: filled in
 * @consistent: hold both device mutexes meanwhile, so that no read or write
 *	is in the middle of being counted; otherwise each value is read on
 *	its own, without waiting for anyone
 *
 * Return: 0, or -ERESTARTSYS if a signal came while waiting for a mutex.
 */
int mydemo_snapshot(struct mydemo_dev *md, struct mydemo_snapshot *s,
		    bool consistent)
{
	const struct mydemo_dir_stats *r = &md->rstats, *w = &md->wstats;
	u64 irq_woke;

	if (consistent && mydemo_lock_both(md))
		return -ERESTARTSYS;
	/* The interrupt source writes too: its records count as written. */
	mydemo_irq_stats(md, &s->irq_records, &s->overruns, &irq_woke);
	s->bytes_read = mydemo_stat_read(r, &r->bytes);
	s->bytes_written = mydemo_stat_read(w, &w->bytes) +
			   s->irq_records * sizeof(struct mydemo_irq_record);
	s->reads = mydemo_stat_read(r, &r->calls);
	s->writes = mydemo_stat_read(w, &w->calls);
	s->reads_blocked = mydemo_stat_read(r, &r->blocked);
	s->writes_blocked = mydemo_stat_read(w, &w->blocked);
	s->reads_eagain = atomic64_read(&md->eagain[MYDEMO_READ]);
	s->writes_eagain = atomic64_read(&md->eagain[MYDEMO_WRITE]);
	/* Readers are woken by writes, writers by reads. */
	s->read_wakeups = mydemo_stat_read(w, &w->woke_peer) + irq_woke;
	s->write_wakeups = mydemo_stat_read(r, &r->woke_peer);
	s->sigio_sent = atomic64_read(&md->sigio_sent);
	s->faults = mydemo_stat_read(r, &r->faults) +
		    mydemo_stat_read(w, &w->faults);
	s->bytes_flushed = mydemo_stat_read(r, &r->flushed);
	s->reads_interrupted = atomic64_read(&md->wait[MYDEMO_READ].interrupted);
	s->writes_interrupted = atomic64_read(&md->wait[MYDEMO_WRITE].interrupted);
	s->fifo_level = mydemo_fifo_len(&md->fifo);
	s->fifo_size = mydemo_fifo_size(&md->fifo);
	s->high_watermark = mydemo_fifo_high(&md->fifo);
	s->waiting_readers = atomic_read(&md->wait[MYDEMO_READ].waiting);
	s->waiting_writers = atomic_read(&md->wait[MYDEMO_WRITE].waiting);
	if (consistent)
		mydemo_unlock_both(md);
	return 0;
}

#define MYDEMO_ZERO(name) u64_stats_set(&s->name, 0);
static void mydemo_zero_dir(struct mydemo_dir_stats *s)
{
	u64_stats_update_begin(&s->syncp);
	MYDEMO_DIR_COUNTERS(MYDEMO_ZERO)
	u64_stats_update_end(&s->syncp);
}

#undef MYDEMO_ZERO

static void mydemo_zero_wait(struct mydemo_wait_stats *ws)
{
	unsigned int i;

	for (i = 0; i < MYDEMO_LAT_BUCKETS; i++) {
		atomic64_set(&ws->slept[i], 0);
		atomic64_set(&ws->wake[i], 0);
	}
	atomic64_set(&ws->interrupted, 0);
}

/**
 * mydemo_reset_stats() - zero every counter of a device
 * @md: the device
 *
 * The gauges (level, waiters, open files) stay; the high watermark restarts
 * from the level now. Both mutexes are held, so the sides' counters are
 * zeroed at one point of the byte stream.
 *
 * Return: 0 or -ERESTARTSYS.
 */
int mydemo_reset_stats(struct mydemo_dev *md)
{
	if (mydemo_lock_both(md))
		return -ERESTARTSYS;
	mydemo_zero_dir(&md->rstats);
	mydemo_zero_dir(&md->wstats);
	mydemo_irq_reset_stats(md);
	mydemo_fifo_reset_high(&md->fifo);
	mydemo_unlock_both(md);
	mydemo_zero_wait(&md->wait[MYDEMO_READ]);
	mydemo_zero_wait(&md->wait[MYDEMO_WRITE]);
	atomic64_set(&md->sigio_sent, 0);
	atomic64_set(&md->eagain[MYDEMO_READ], 0);
	atomic64_set(&md->eagain[MYDEMO_WRITE], 0);
	return 0;
}

/**
 * mydemo_stats_to_uapi() - the MYDEMO_IOC_GET_STATS structure of a snapshot
 * @s: the snapshot
 * @st: filled in whole: version, every counter and high_watermark (the one
 *	gauge in it); @st->size is the caller's to set
 */
void mydemo_stats_to_uapi(const struct mydemo_snapshot *s,
			  struct mydemo_stats *st)
{
#define MYDEMO_COPY(name) st->name = s->name;
#define MYDEMO_COUNT(name) + 1
#define MYDEMO_SKIP(name)
	/* A counter missing from the uapi structure fails the build below. */
	BUILD_BUG_ON(sizeof(*st) != offsetof(struct mydemo_stats, bytes_read) +
		     (1 MYDEMO_SNAPSHOT(MYDEMO_COUNT, MYDEMO_SKIP)) * sizeof(__u64));
	memset(st, 0, sizeof(*st));
	st->version = MYDEMO_STATS_VERSION;
	MYDEMO_SNAPSHOT(MYDEMO_COPY, MYDEMO_SKIP)
	st->high_watermark = s->high_watermark;
}

/**
 * mydemo_stats_emit() - the sysfs "stat" line of a snapshot
 * @s: the snapshot
 * @buf: the sysfs buffer
 *
 * Return: the length of the line: every value, in the order of the list.
 */
int mydemo_stats_emit(const struct mydemo_snapshot *s, char *buf)
{
	int len = 0;

#define MYDEMO_EMIT(name) \
	len += sysfs_emit_at(buf, len, "%s%llu", len ? " " : "", s->name);
	MYDEMO_SNAPSHOT(MYDEMO_EMIT, MYDEMO_EMIT)
	return len + sysfs_emit_at(buf, len, "\n");
}

/* A statistics/ file: one counter, a member of struct mydemo_snapshot. */
struct mydemo_stat_attr {
	struct device_attribute attr;
	size_t offset;
};

/* Without the mutexes: a file shows one value, it never waits for I/O. */
static ssize_t mydemo_stat_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	const struct mydemo_stat_attr *sa =
		container_of(attr, struct mydemo_stat_attr, attr);
	struct mydemo_snapshot s;

	mydemo_snapshot(to_mydemo_dev(dev), &s, false);
	return sysfs_emit(buf, "%llu\n", *(u64 *)((void *)&s + sa->offset));
}

/* The files, one per counter of the list, and the group that holds them. */
#define MYDEMO_STAT(name)						\
	static struct mydemo_stat_attr mydemo_stat_##name = {		\
		.attr = __ATTR(name, 0444, mydemo_stat_show, NULL),	\
		.offset = offsetof(struct mydemo_snapshot, name),	\
	};
MYDEMO_SNAPSHOT(MYDEMO_STAT, MYDEMO_SKIP)

#define MYDEMO_STAT_ATTR(name) &mydemo_stat_##name.attr.attr,
static struct attribute *mydemo_stat_attrs[] = {
	MYDEMO_SNAPSHOT(MYDEMO_STAT_ATTR, MYDEMO_SKIP)
	NULL
};

const struct attribute_group mydemo_stat_group = {
	.name = "statistics",
	.attrs = mydemo_stat_attrs,
};
