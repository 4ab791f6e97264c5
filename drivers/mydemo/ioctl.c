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
#include "stats.h"

static_assert(offsetof(struct mydemo_stats, sigio_sent) == MYDEMO_STATS_SIZE_V1);

/*
 * MYDEMO_IOC_GET_STATS for a structure of @size bytes (from the ioctl
 * number): what this kernel knows up to @size, zeroes beyond it.
 */
static int mydemo_get_stats(struct mydemo_dev *md, void __user *argp,
			    size_t size)
{
	struct mydemo_stats st;
	struct mydemo_snapshot s;
	size_t n = min(size, sizeof(st));
	int ret;

	if (size < MYDEMO_STATS_SIZE_V1)
		return -ENOTTY;
	ret = mydemo_snapshot(md, &s, true);
	if (ret)
		return ret;
	mydemo_stats_to_uapi(&s, &st);
	st.size = n;
	if (copy_to_user(argp, &st, n))
		return -EFAULT;
	if (size > n && clear_user(argp + n, size - n))
		return -EFAULT;
	return 0;
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
	struct mydemo_dev *md = mydemo_file_dev(file);
	void __user *argp = (void __user *)arg;
	struct mydemo_info info;
	u32 val;

	if (mydemo_dead(md))
		return -ENODEV;

	/* Any size of struct mydemo_stats, older or newer (see the uapi). */
	if (_IOC_TYPE(cmd) == MYDEMO_IOC_MAGIC &&
	    _IOC_NR(cmd) == _IOC_NR(MYDEMO_IOC_GET_STATS) &&
	    _IOC_DIR(cmd) == _IOC_READ)
		return mydemo_get_stats(md, argp, _IOC_SIZE(cmd));

	switch (cmd) {
	case MYDEMO_IOC_GET_INFO:
		mydemo_get_info(md, &info);
		return copy_to_user(argp, &info, sizeof(info)) ? -EFAULT : 0;
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
