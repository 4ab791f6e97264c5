// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo statistics: reading the counters one at a time or all at once,
 * zeroing them, and every report, each made from the two lists below (the
 * sysfs "stat" line and statistics/ files, MYDEMO_IOC_GET_STATS's
 * structure).
 *
 * Where each counter lives, and why it costs the I/O path nothing extra:
 * - the read and write sides' counters (struct mydemo_dir_stats) change
 *   only under that side's mutex, which every read (write) holds anyway,
 *   on cache lines of their own;
 * - the counters of slow paths (sleeps, signals, SIGIO, EAGAIN) are
 *   atomics: they change only after a task slept, next to kill_fasync(),
 *   which takes locks of its own, or when a call fails without moving a
 *   byte (an IOCB_NOWAIT call may fail so without getting the mutex);
 * - the high watermark is kept by the fifo's writer, after it moved its
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

static void mydemo_zero_dir(struct mydemo_dir_stats *s)
{
	/* A counter added to struct mydemo_dir_stats is zeroed here too. */
	BUILD_BUG_ON(sizeof(*s) !=
		     offsetof(struct mydemo_dir_stats, bytes) + 6 * sizeof(u64_stats_t));
	u64_stats_update_begin(&s->syncp);
	u64_stats_set(&s->bytes, 0);
	u64_stats_set(&s->calls, 0);
	u64_stats_set(&s->blocked, 0);
	u64_stats_set(&s->woke_peer, 0);
	u64_stats_set(&s->faults, 0);
	u64_stats_set(&s->flushed, 0);
	u64_stats_update_end(&s->syncp);
}

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

/*
 * The values of the snapshot, in the order of the sysfs "stat" line, which
 * is an ABI (Documentation/ABI/testing/sysfs-class-mydemo): the counters,
 * then the gauges. A counter also has a file statistics/<name> and a field
 * of struct mydemo_stats; a gauge has neither (high_watermark, the one
 * gauge in struct mydemo_stats, is copied on its own).
 *
 * A new counter is a field of struct mydemo_snapshot set in
 * mydemo_snapshot(), a line in mydemo_counters and a field appended to
 * struct mydemo_stats: mydemo_stats_init() fails the build without any one
 * of the three.
 */
struct mydemo_stat_desc {
	const char *name;
	size_t snap;		/* offset in struct mydemo_snapshot */
	size_t uapi;		/* offset in struct mydemo_stats */
};

#define MYDEMO_SNAP(field)	offsetof(struct mydemo_snapshot, field)
#define MYDEMO_UAPI(field)	offsetof(struct mydemo_stats, field)

static const struct mydemo_stat_desc mydemo_counters[] = {
	{ "bytes_read", MYDEMO_SNAP(bytes_read), MYDEMO_UAPI(bytes_read) },
	{ "bytes_written", MYDEMO_SNAP(bytes_written),
	  MYDEMO_UAPI(bytes_written) },
	{ "reads", MYDEMO_SNAP(reads), MYDEMO_UAPI(reads) },
	{ "writes", MYDEMO_SNAP(writes), MYDEMO_UAPI(writes) },
	{ "reads_blocked", MYDEMO_SNAP(reads_blocked),
	  MYDEMO_UAPI(reads_blocked) },
	{ "writes_blocked", MYDEMO_SNAP(writes_blocked),
	  MYDEMO_UAPI(writes_blocked) },
	{ "reads_eagain", MYDEMO_SNAP(reads_eagain), MYDEMO_UAPI(reads_eagain) },
	{ "writes_eagain", MYDEMO_SNAP(writes_eagain),
	  MYDEMO_UAPI(writes_eagain) },
	{ "read_wakeups", MYDEMO_SNAP(read_wakeups), MYDEMO_UAPI(read_wakeups) },
	{ "write_wakeups", MYDEMO_SNAP(write_wakeups),
	  MYDEMO_UAPI(write_wakeups) },
	{ "sigio_sent", MYDEMO_SNAP(sigio_sent), MYDEMO_UAPI(sigio_sent) },
	{ "faults", MYDEMO_SNAP(faults), MYDEMO_UAPI(faults) },
	{ "irq_records", MYDEMO_SNAP(irq_records), MYDEMO_UAPI(irq_records) },
	{ "overruns", MYDEMO_SNAP(overruns), MYDEMO_UAPI(overruns) },
	{ "bytes_flushed", MYDEMO_SNAP(bytes_flushed),
	  MYDEMO_UAPI(bytes_flushed) },
	{ "reads_interrupted", MYDEMO_SNAP(reads_interrupted),
	  MYDEMO_UAPI(reads_interrupted) },
	{ "writes_interrupted", MYDEMO_SNAP(writes_interrupted),
	  MYDEMO_UAPI(writes_interrupted) },
};

static const struct mydemo_stat_desc mydemo_gauges[] = {
	{ "fifo_level", MYDEMO_SNAP(fifo_level) },
	{ "fifo_size", MYDEMO_SNAP(fifo_size) },
	{ "high_watermark", MYDEMO_SNAP(high_watermark) },
	{ "waiting_readers", MYDEMO_SNAP(waiting_readers) },
	{ "waiting_writers", MYDEMO_SNAP(waiting_writers) },
};

static u64 mydemo_stat_value(const struct mydemo_snapshot *s,
			     const struct mydemo_stat_desc *d)
{
	return *(const u64 *)((const void *)s + d->snap);
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
	unsigned int i;

	memset(st, 0, sizeof(*st));
	st->version = MYDEMO_STATS_VERSION;
	for (i = 0; i < ARRAY_SIZE(mydemo_counters); i++)
		*(u64 *)((void *)st + mydemo_counters[i].uapi) =
			mydemo_stat_value(s, &mydemo_counters[i]);
	st->high_watermark = s->high_watermark;
}

/**
 * mydemo_stats_emit() - the sysfs "stat" line of a snapshot
 * @s: the snapshot
 * @buf: the sysfs buffer
 *
 * Return: the length of the line: the counters, then the gauges.
 */
int mydemo_stats_emit(const struct mydemo_snapshot *s, char *buf)
{
	unsigned int i;
	int len = 0;

	for (i = 0; i < ARRAY_SIZE(mydemo_counters); i++)
		len += sysfs_emit_at(buf, len, "%s%llu", len ? " " : "",
				     mydemo_stat_value(s, &mydemo_counters[i]));
	for (i = 0; i < ARRAY_SIZE(mydemo_gauges); i++)
		len += sysfs_emit_at(buf, len, " %llu",
				     mydemo_stat_value(s, &mydemo_gauges[i]));
	return len + sysfs_emit_at(buf, len, "\n");
}

/* A statistics/ file: one counter. */
struct mydemo_stat_attr {
	struct device_attribute attr;
	const struct mydemo_stat_desc *desc;
};

/* Without the mutexes: a file shows one value, it never waits for I/O. */
static ssize_t mydemo_stat_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	const struct mydemo_stat_attr *sa =
		container_of(attr, struct mydemo_stat_attr, attr);
	struct mydemo_snapshot s;

	mydemo_snapshot(to_mydemo_dev(dev), &s, false);
	return sysfs_emit(buf, "%llu\n", mydemo_stat_value(&s, sa->desc));
}

static struct mydemo_stat_attr mydemo_stat_attrs[ARRAY_SIZE(mydemo_counters)];
static struct attribute *mydemo_stat_list[ARRAY_SIZE(mydemo_counters) + 1];

const struct attribute_group mydemo_stat_group = {
	.name = "statistics",
	.attrs = mydemo_stat_list,
};

/**
 * mydemo_stats_init() - make the statistics/ files, one per counter
 *
 * Call once, before the first device is created.
 */
void __init mydemo_stats_init(void)
{
	struct mydemo_stat_attr *sa;
	unsigned int i;

	/* Every value of the snapshot is in a list... */
	BUILD_BUG_ON(ARRAY_SIZE(mydemo_counters) + ARRAY_SIZE(mydemo_gauges) !=
		     sizeof(struct mydemo_snapshot) / sizeof(u64));
	/* ...and every field of struct mydemo_stats is a counter. */
	BUILD_BUG_ON(sizeof(struct mydemo_stats) !=
		     offsetof(struct mydemo_stats, bytes_read) +
		     (ARRAY_SIZE(mydemo_counters) + 1) * sizeof(__u64));

	for (i = 0; i < ARRAY_SIZE(mydemo_counters); i++) {
		sa = &mydemo_stat_attrs[i];
		sysfs_attr_init(&sa->attr.attr);
		sa->attr.attr.name = mydemo_counters[i].name;
		sa->attr.attr.mode = 0444;
		sa->attr.show = mydemo_stat_show;
		sa->desc = &mydemo_counters[i];
		mydemo_stat_list[i] = &sa->attr.attr;
	}
}
