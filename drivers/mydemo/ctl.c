// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo device operations: what the ioctls (ioctl.c) and the sysfs files
 * (sysfs.c) do, which only marshal their arguments and check who may. The
 * statistics' operations are in stats.c, the interrupt source's in irq.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include <linux/mydemo.h>

#include "mydemo.h"
#include "notify.h"
#include "stats.h"

/**
 * mydemo_get_info() - what MYDEMO_IOC_GET_INFO reports
 * @md: the device
 * @info: filled in whole; size and level from one look at the fifo
 */
void mydemo_get_info(struct mydemo_dev *md, struct mydemo_info *info)
{
	unsigned int size, len;

	memset(info, 0, sizeof(*info));
	mydemo_fifo_state(&md->fifo, &size, &len);
	info->fifo_size = size;
	info->fifo_level = len;
	info->atomic_size = min(size, MYDEMO_ATOMIC_MAX);
	info->minor = MINOR(md->dev.devt);
	info->irq_rate = mydemo_irq_rate(md);
}

/**
 * mydemo_flush() - discard a device's contents
 * @md: the device
 *
 * Under the read mutex, as a read that takes everything; counted in
 * bytes_flushed. Writers waiting for room are woken.
 *
 * Return: 0 or -ERESTARTSYS.
 */
int mydemo_flush(struct mydemo_dev *md)
{
	struct mydemo_dir_stats *st = &md->rstats;
	unsigned int n;

	if (mutex_lock_interruptible(&md->read_mutex))
		return -ERESTARTSYS;
	n = mydemo_fifo_discard(&md->fifo);
	u64_stats_update_begin(&st->syncp);
	u64_stats_add(&st->flushed, n);
	u64_stats_update_end(&st->syncp);
	mutex_unlock(&md->read_mutex);
	mydemo_room_changed(md);
	return 0;
}

/**
 * mydemo_set_size() - resize a device's fifo, keeping its contents
 * @md: the device
 * @size: new size in bytes
 *
 * Holds both the write and the read mutex (in that order, as everywhere),
 * so no reader or writer is inside the fifo meanwhile. For the ioctl and
 * the sysfs fifo_size file.
 *
 * Return: 0, -EINVAL, -ENOMEM, -EBUSY when the contents do not fit, or
 * -ERESTARTSYS.
 */
int mydemo_set_size(struct mydemo_dev *md, unsigned int size)
{
	struct mydemo_fifo spare;
	int ret;

	if (!mydemo_fifo_size_valid(size))
		return -EINVAL;
	/* Before the mutexes: up to 1024 pages, and allocating may sleep. */
	if (mydemo_should_fail(md, size))
		return -ENOMEM;
	ret = mydemo_fifo_init(&spare, size);
	if (ret)
		return ret;
	if (mutex_lock_interruptible(&md->write_mutex)) {
		ret = -ERESTARTSYS;
		goto out;
	}
	if (mutex_lock_interruptible(&md->read_mutex)) {
		mutex_unlock(&md->write_mutex);
		ret = -ERESTARTSYS;
		goto out;
	}
	ret = mydemo_fifo_resize(&md->fifo, &spare);
	mutex_unlock(&md->read_mutex);
	mutex_unlock(&md->write_mutex);
	/* More room may let blocked writers go on. */
	if (!ret)
		mydemo_room_changed(md);
out:
	/* The old pages, or the new ones if the fifo did not take them. */
	mydemo_fifo_free(&spare);
	return ret;
}
