// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo sysfs: /sys/class/mydemo/mydemoN/, one value per file.
 *
 * The attributes are the class's dev_groups, so they exist before the
 * device's uevent is sent (udev sees them) and go away, with kernfs waiting
 * for running show() calls, before mydemo_dev_destroy() drops its reference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/device.h>
#include <linux/stddef.h>
#include <linux/sysfs.h>

#include "mydemo.h"
#include "stats.h"

static ssize_t fifo_size_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%u\n", mydemo_fifo_size(&to_mydemo_dev(dev)->fifo));
}

/* As MYDEMO_IOC_SET_SIZE; the file's mode (0644) leaves it to root. */
static ssize_t fifo_size_store(struct device *dev, struct device_attribute *attr,
			       const char *buf, size_t count)
{
	unsigned int size;
	int ret;

	ret = kstrtouint(buf, 0, &size);
	if (ret)
		return ret;
	ret = mydemo_set_size(to_mydemo_dev(dev), size);
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(fifo_size);

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

static ssize_t high_watermark_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", mydemo_fifo_high(&to_mydemo_dev(dev)->fifo));
}
static DEVICE_ATTR_RO(high_watermark);

static ssize_t mydemo_show_atomic(char *buf, atomic_t *v)
{
	return sysfs_emit(buf, "%d\n", atomic_read(v));
}

static ssize_t readers_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return mydemo_show_atomic(buf, &to_mydemo_dev(dev)->nr_open[MYDEMO_READ]);
}
static DEVICE_ATTR_RO(readers);

static ssize_t writers_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return mydemo_show_atomic(buf, &to_mydemo_dev(dev)->nr_open[MYDEMO_WRITE]);
}
static DEVICE_ATTR_RO(writers);

static ssize_t waiting_readers_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return mydemo_show_atomic(buf,
				  &to_mydemo_dev(dev)->wait[MYDEMO_READ].waiting);
}
static DEVICE_ATTR_RO(waiting_readers);

static ssize_t waiting_writers_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return mydemo_show_atomic(buf,
				  &to_mydemo_dev(dev)->wait[MYDEMO_WRITE].waiting);
}
static DEVICE_ATTR_RO(waiting_writers);

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

/*
 * Every counter and gauge on one line, in the order of the lists in
 * stats.c, read with both device mutexes held: one consistent
 * snapshot, as /sys/block/<dev>/stat gives, for tools that diff two reads.
 */
static ssize_t stat_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct mydemo_snapshot s;
	int ret;

	ret = mydemo_snapshot(to_mydemo_dev(dev), &s, true);
	return ret ? ret : mydemo_stats_emit(&s, buf);
}
static DEVICE_ATTR_RO(stat);

static struct attribute *mydemo_dev_attrs[] = {
	&dev_attr_fifo_size.attr,
	&dev_attr_fifo_level.attr,
	&dev_attr_atomic_size.attr,
	&dev_attr_high_watermark.attr,
	&dev_attr_readers.attr,
	&dev_attr_writers.attr,
	&dev_attr_fasync_subscribers.attr,
	&dev_attr_waiting_readers.attr,
	&dev_attr_waiting_writers.attr,
	&dev_attr_irq_rate.attr,
	&dev_attr_stat.attr,
	NULL
};

static const struct attribute_group mydemo_dev_group = {
	.attrs = mydemo_dev_attrs,
};

const struct attribute_group *mydemo_dev_groups[] = {
	&mydemo_dev_group,
	&mydemo_stat_group,
	NULL
};
