// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo ioctls (include/uapi/linux/mydemo.h).
 *
 * Who may do what: reading information or counters needs only an open file;
 * changing what other users of the device see (zeroing the counters,
 * discarding the contents) needs a file open for writing, as writing data
 * does; resizing the fifo (kernel memory, up to 4 MiB) and the interrupt
 * source (timer interrupts) need CAP_SYS_ADMIN.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <asm/ioctls.h>
#include <linux/uaccess.h>

#include <linux/mydemo.h>

#include "mydemo.h"

static void mydemo_get_info(struct mydemo_dev *md, struct mydemo_info *info)
{
	memset(info, 0, sizeof(*info));
	info->fifo_size = mydemo_fifo_size(&md->fifo);
	info->fifo_level = mydemo_fifo_len(&md->fifo);
	info->atomic_size = mydemo_fifo_atomic_size(&md->fifo);
	info->minor = MINOR(md->dev.devt);
	info->irq_rate = mydemo_irq_rate(md);
}

static void mydemo_get_stats(struct mydemo_dev *md, struct mydemo_stats *st)
{
	const struct mydemo_dir_stats *r = &md->rstats, *w = &md->wstats;

	memset(st, 0, sizeof(*st));
	st->version = MYDEMO_STATS_VERSION;
	st->size = sizeof(*st);
	st->bytes_read = mydemo_stat_read(r, &r->bytes);
	st->bytes_written = mydemo_stat_read(w, &w->bytes);
	st->reads = mydemo_stat_read(r, &r->calls);
	st->writes = mydemo_stat_read(w, &w->calls);
	st->reads_blocked = mydemo_stat_read(r, &r->blocked);
	st->writes_blocked = mydemo_stat_read(w, &w->blocked);
	st->reads_eagain = mydemo_stat_read(r, &r->eagain);
	st->writes_eagain = mydemo_stat_read(w, &w->eagain);
	st->read_wakeups = mydemo_stat_read(w, &w->woke_peer);
	st->write_wakeups = mydemo_stat_read(r, &r->woke_peer);
	st->irq_records = mydemo_stat_read(w, &w->irq_records);
	st->overruns = mydemo_overruns(md);
}

static void mydemo_zero_stats(struct mydemo_dir_stats *s)
{
	u64_stats_update_begin(&s->syncp);
	u64_stats_set(&s->bytes, 0);
	u64_stats_set(&s->calls, 0);
	u64_stats_set(&s->blocked, 0);
	u64_stats_set(&s->eagain, 0);
	u64_stats_set(&s->woke_peer, 0);
	u64_stats_set(&s->irq_records, 0);
	u64_stats_set(&s->overruns, 0);
	u64_stats_update_end(&s->syncp);
}

/* Each side's counters change only under that side's mutex. */
static int mydemo_reset_stats(struct mydemo_dev *md)
{
	if (mutex_lock_interruptible(&md->read_mutex))
		return -ERESTARTSYS;
	mydemo_zero_stats(&md->rstats);
	mutex_unlock(&md->read_mutex);
	if (mutex_lock_interruptible(&md->write_mutex))
		return -ERESTARTSYS;
	mydemo_zero_stats(&md->wstats);
	mutex_unlock(&md->write_mutex);
	mydemo_irq_reset_stats(md);
	return 0;
}

static int mydemo_flush(struct mydemo_dev *md)
{
	if (mutex_lock_interruptible(&md->read_mutex))
		return -ERESTARTSYS;
	mydemo_fifo_discard(&md->fifo);
	mutex_unlock(&md->read_mutex);
	mydemo_room_changed(md);
	return 0;
}

/**
 * mydemo_set_size() - resize a device's fifo, keeping its contents
 * @md: the device
 * @size: new size in bytes
 *
 * Holds both the write and the read mutex (in that order, the only place
 * that takes both), so no reader or writer is inside the fifo meanwhile.
 *
 * Return: 0, -EINVAL, -ENOMEM, -EBUSY when the contents do not fit, or
 * -ERESTARTSYS.
 */
static int mydemo_set_size(struct mydemo_dev *md, unsigned int size)
{
	int ret;

	if (!mydemo_fifo_size_valid(size))
		return -EINVAL;
	if (mutex_lock_interruptible(&md->write_mutex))
		return -ERESTARTSYS;
	if (mutex_lock_interruptible(&md->read_mutex)) {
		mutex_unlock(&md->write_mutex);
		return -ERESTARTSYS;
	}
	ret = mydemo_fifo_resize(&md->fifo, size);
	mutex_unlock(&md->read_mutex);
	mutex_unlock(&md->write_mutex);
	/* More room may let blocked writers go on. */
	if (!ret)
		mydemo_room_changed(md);
	return ret;
}

/**
 * mydemo_ioctl() - the device's unlocked_ioctl (and, through
 * compat_ptr_ioctl(), compat_ioctl)
 * @file: an open /dev/mydemoN
 * @cmd: MYDEMO_IOC_* or FIONREAD
 * @arg: user pointer, or unused
 *
 * Return: 0 (FIONREAD: 0), -ENOTTY for an unknown @cmd, -EFAULT for a bad
 * pointer, -EINVAL for a bad value, -EBADF/-EPERM when not allowed, -ENODEV
 * once the device is removed.
 */
long mydemo_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct mydemo_dev *md = file->private_data;
	void __user *argp = (void __user *)arg;
	union {
		struct mydemo_info info;
		struct mydemo_stats stats;
	} u;
	u32 val;

	if (READ_ONCE(md->dead))
		return -ENODEV;

	switch (cmd) {
	case MYDEMO_IOC_GET_INFO:
		mydemo_get_info(md, &u.info);
		return copy_to_user(argp, &u.info, sizeof(u.info)) ? -EFAULT : 0;
	case MYDEMO_IOC_GET_STATS:
		mydemo_get_stats(md, &u.stats);
		return copy_to_user(argp, &u.stats, sizeof(u.stats)) ? -EFAULT : 0;
	case FIONREAD:
		return put_user((int)mydemo_fifo_len(&md->fifo), (int __user *)argp);
	case MYDEMO_IOC_RESET_STATS:
		if (!(file->f_mode & FMODE_WRITE))
			return -EBADF;
		return mydemo_reset_stats(md);
	case MYDEMO_IOC_FLUSH:
		if (!(file->f_mode & FMODE_WRITE))
			return -EBADF;
		return mydemo_flush(md);
	case MYDEMO_IOC_SET_SIZE:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		if (get_user(val, (u32 __user *)argp))
			return -EFAULT;
		return mydemo_set_size(md, val);
	case MYDEMO_IOC_SET_IRQ_RATE:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		if (get_user(val, (u32 __user *)argp))
			return -EFAULT;
		return mydemo_irq_set_rate(md, val);
	default:
		return -ENOTTY;
	}
}
