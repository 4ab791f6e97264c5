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
#include <linux/stddef.h>
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

static ssize_t irq_rate_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%u\n", mydemo_irq_rate(to_mydemo_dev(dev)));
}

static ssize_t irq_rate_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t count)
{
	unsigned int rate;
	int ret;

	ret = kstrtouint(buf, 0, &rate);
	if (ret)
		return ret;
	ret = mydemo_irq_set_rate(to_mydemo_dev(dev), rate);
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(irq_rate);

static ssize_t overruns_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%llu\n", mydemo_overruns(to_mydemo_dev(dev)));
}
static DEVICE_ATTR_RO(overruns);

static struct attribute *mydemo_dev_attrs[] = {
	&dev_attr_fifo_size.attr,
	&dev_attr_fifo_level.attr,
	&dev_attr_atomic_size.attr,
	&dev_attr_fasync_subscribers.attr,
	&dev_attr_irq_rate.attr,
	NULL
};

static const struct attribute_group mydemo_dev_group = {
	.attrs = mydemo_dev_attrs,
};

/* A statistics/ file: one counter of the read or the write side. */
struct mydemo_stat_attr {
	struct device_attribute attr;
	bool write_side;
	size_t offset;		/* of the u64_stats_t in mydemo_dir_stats */
};

static ssize_t mydemo_stat_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	const struct mydemo_stat_attr *sa =
		container_of(attr, struct mydemo_stat_attr, attr);
	struct mydemo_dev *md = to_mydemo_dev(dev);
	const struct mydemo_dir_stats *s =
		sa->write_side ? &md->wstats : &md->rstats;

	return sysfs_emit(buf, "%llu\n",
			  mydemo_stat_read(s, (const void *)s + sa->offset));
}

#define MYDEMO_STAT(_name, _write_side, _field)				\
	struct mydemo_stat_attr mydemo_stat_##_name = {			\
		.attr = __ATTR(_name, 0444, mydemo_stat_show, NULL),	\
		.write_side = _write_side,				\
		.offset = offsetof(struct mydemo_dir_stats, _field),	\
	}

static MYDEMO_STAT(bytes_read, false, bytes);
static MYDEMO_STAT(bytes_written, true, bytes);
static MYDEMO_STAT(reads, false, calls);
static MYDEMO_STAT(writes, true, calls);
static MYDEMO_STAT(reads_blocked, false, blocked);
static MYDEMO_STAT(writes_blocked, true, blocked);
static MYDEMO_STAT(reads_eagain, false, eagain);
static MYDEMO_STAT(writes_eagain, true, eagain);
/* Readers are woken by writes, writers by reads. */
static MYDEMO_STAT(read_wakeups, true, woke_peer);
static MYDEMO_STAT(write_wakeups, false, woke_peer);
static MYDEMO_STAT(irq_records, true, irq_records);

static struct attribute *mydemo_stat_attrs[] = {
	&mydemo_stat_bytes_read.attr.attr,
	&mydemo_stat_bytes_written.attr.attr,
	&mydemo_stat_reads.attr.attr,
	&mydemo_stat_writes.attr.attr,
	&mydemo_stat_reads_blocked.attr.attr,
	&mydemo_stat_writes_blocked.attr.attr,
	&mydemo_stat_reads_eagain.attr.attr,
	&mydemo_stat_writes_eagain.attr.attr,
	&mydemo_stat_read_wakeups.attr.attr,
	&mydemo_stat_write_wakeups.attr.attr,
	&mydemo_stat_irq_records.attr.attr,
	&dev_attr_overruns.attr,
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
