// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo sysfs: /sys/class/mydemo/mydemoN/, one value per file.
 *
 * The attributes are the class's dev_groups, so they exist before the
 * device's uevent is sent (udev sees them) and go away, with kernfs waiting
 * for running show() calls, before mydemo_dev_destroy() drops its reference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/sysfs.h>

#include "mydemo.h"

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

static ssize_t fifo_size_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%u\n", mydemo_fifo_size(&to_mydemo_dev(dev)->fifo));
}
static DEVICE_ATTR_RO(fifo_size);

static ssize_t fifo_level_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", mydemo_fifo_len(&to_mydemo_dev(dev)->fifo));
}
static DEVICE_ATTR_RO(fifo_level);

static ssize_t atomic_size_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  mydemo_fifo_atomic_size(&to_mydemo_dev(dev)->fifo));
}
static DEVICE_ATTR_RO(atomic_size);

static ssize_t fasync_subscribers_show(struct device *dev,
				       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n",
			  atomic_read(&to_mydemo_dev(dev)->fasync_count));
}
static DEVICE_ATTR_RO(fasync_subscribers);

static struct attribute *mydemo_dev_attrs[] = {
	&dev_attr_fifo_size.attr,
	&dev_attr_fifo_level.attr,
	&dev_attr_atomic_size.attr,
	&dev_attr_fasync_subscribers.attr,
	NULL
};

static const struct attribute_group mydemo_dev_group = {
	.attrs = mydemo_dev_attrs,
};

/* statistics/NAME: counter FIELD of direction DIR (rstats or wstats). */
#define MYDEMO_STAT_ATTR(name, dir, field)				\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	struct mydemo_dev *md = to_mydemo_dev(dev);			\
									\
	return sysfs_emit(buf, "%llu\n",				\
			  mydemo_stat_read(&md->dir, &md->dir.field));	\
}									\
static DEVICE_ATTR_RO(name)

MYDEMO_STAT_ATTR(bytes_read, rstats, bytes);
MYDEMO_STAT_ATTR(bytes_written, wstats, bytes);
MYDEMO_STAT_ATTR(reads, rstats, calls);
MYDEMO_STAT_ATTR(writes, wstats, calls);
MYDEMO_STAT_ATTR(reads_blocked, rstats, blocked);
MYDEMO_STAT_ATTR(writes_blocked, wstats, blocked);
MYDEMO_STAT_ATTR(reads_eagain, rstats, eagain);
MYDEMO_STAT_ATTR(writes_eagain, wstats, eagain);
/* Readers are woken by writes, writers by reads. */
MYDEMO_STAT_ATTR(read_wakeups, wstats, woke_peer);
MYDEMO_STAT_ATTR(write_wakeups, rstats, woke_peer);

static struct attribute *mydemo_stat_attrs[] = {
	&dev_attr_bytes_read.attr,
	&dev_attr_bytes_written.attr,
	&dev_attr_reads.attr,
	&dev_attr_writes.attr,
	&dev_attr_reads_blocked.attr,
	&dev_attr_writes_blocked.attr,
	&dev_attr_reads_eagain.attr,
	&dev_attr_writes_eagain.attr,
	&dev_attr_read_wakeups.attr,
	&dev_attr_write_wakeups.attr,
	NULL
};

static const struct attribute_group mydemo_stat_group = {
	.name = "statistics",
	.attrs = mydemo_stat_attrs,
};

const struct attribute_group *mydemo_dev_groups[] = {
	&mydemo_dev_group,
	&mydemo_stat_group,
	NULL
};
