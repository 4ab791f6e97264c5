// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo file operations: blocking and non-blocking read and write, poll
 * and SIGIO over the device fifo.
 *
 * Waiting follows fs/pipe.c. Readers and writers sleep on their own wait
 * queue as exclusive waiters, with the device mutexes dropped. A wake-up is
 * sent only on the edge that matters (empty -> not empty for readers, "less
 * than atomic_size free" -> "at least atomic_size free" for writers), after the
 * mutex is dropped, and wakes one sleeper. The edge is judged on the fill
 * level at the moment the index moves, under the fifo lock, not when the copy
 * began: a reader may drain the fifo while a writer copies, and the write then
 * lands in an empty fifo. Whoever leaves read() (write()) while the fifo still
 * is readable (writable) passes the wake-up on to the next sleeping reader
 * (writer), so none is lost when the woken task takes less than there is, or
 * leaves on a signal.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/uio.h>

#include "mydemo.h"

static bool mydemo_dead(struct mydemo_dev *md)
{
	/* Written once by mydemo_disconnect(), read without locks. */
	return READ_ONCE(md->dead);
}

static bool mydemo_room_ok(struct mydemo_fifo *f, unsigned int len)
{
	return mydemo_fifo_size(f) - len >= mydemo_fifo_atomic_size(f);
}

static bool mydemo_readable(struct mydemo_dev *md)
{
	return mydemo_dead(md) || mydemo_fifo_len(&md->fifo);
}

/*
 * A blocked writer waits for atomic_size free bytes, the condition poll
 * reports as EPOLLOUT, whatever the size of its write: one threshold for
 * everybody is what lets the readers wake writers on a single edge.
 */
static bool mydemo_writable(struct mydemo_dev *md)
{
	return mydemo_dead(md) ||
	       mydemo_room_ok(&md->fifo, mydemo_fifo_len(&md->fifo));
}

/**
 * mydemo_wake_readers() - data arrived in an empty fifo
 * @md: the device
 *
 * Wakes one sleeping reader (they wait exclusively), the pollers, and sends
 * SIGIO with POLL_IN to the reading subscribers. Call without locks.
 */
void mydemo_wake_readers(struct mydemo_dev *md)
{
	wake_up_interruptible_poll(&md->read_wait, EPOLLIN | EPOLLRDNORM);
	wake_up_interruptible_poll(&md->read_poll, EPOLLIN | EPOLLRDNORM);
	kill_fasync(&md->fasync_readers, SIGIO, POLL_IN);
}

/* Room for an atomic write appeared: the same for the writers' side. */
static void mydemo_wake_writers(struct mydemo_dev *md)
{
	wake_up_interruptible_poll(&md->write_wait, EPOLLOUT | EPOLLWRNORM);
	wake_up_interruptible_poll(&md->write_poll, EPOLLOUT | EPOLLWRNORM);
	kill_fasync(&md->fasync_writers, SIGIO, POLL_OUT);
}

/*
 * The baton (see the top of this file): a reader leaving read() wakes the
 * next sleeping reader if data is left, a writer leaving write() the next
 * writer if room is left. Only within a direction: across directions the
 * edge wake-ups do the job, and a writer passing on to readers would wake a
 * second reader for a byte the first one is about to take. Pollers are on
 * other queues: a baton is no event for them.
 */
static void mydemo_pass_read_baton(struct mydemo_dev *md)
{
	if (wq_has_sleeper(&md->read_wait) && mydemo_readable(md))
		wake_up_interruptible_poll(&md->read_wait, EPOLLIN | EPOLLRDNORM);
}

static void mydemo_pass_write_baton(struct mydemo_dev *md)
{
	if (wq_has_sleeper(&md->write_wait) && mydemo_writable(md))
		wake_up_interruptible_poll(&md->write_wait, EPOLLOUT | EPOLLWRNORM);
}

/**
 * mydemo_room_changed() - the fifo got room other than by a read
 * @md: the device
 *
 * After a flush or a resize: if there is room for an atomic write now, wake
 * a sleeping writer, the pollers and the POLL_OUT subscribers. Neither can
 * add data, so readers have nothing new.
 */
void mydemo_room_changed(struct mydemo_dev *md)
{
	if (mydemo_writable(md))
		mydemo_wake_writers(md);
}

static void mydemo_stat_inc(struct mydemo_dir_stats *s, u64_stats_t *c)
{
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(c);
	u64_stats_update_end(&s->syncp);
}

/* Take the mutex of one direction as the caller's flags allow. */
static int mydemo_lock(struct mutex *m, struct kiocb *iocb)
{
	if (iocb->ki_flags & IOCB_NOWAIT)
		return mutex_trylock(m) ? 0 : -EAGAIN;
	return mutex_lock_interruptible(m);
}

static bool mydemo_nonblock(struct kiocb *iocb)
{
	return (iocb->ki_filp->f_flags & O_NONBLOCK) ||
	       (iocb->ki_flags & IOCB_NOWAIT);
}

static ssize_t mydemo_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct mydemo_dev *md = iocb->ki_filp->private_data;
	struct mydemo_dir_stats *st = &md->rstats;
	bool wake_writers = false;
	unsigned int before;
	ssize_t ret;
	size_t n;

	if (!iov_iter_count(to))
		return 0;

	for (;;) {
		ret = mydemo_lock(&md->read_mutex, iocb);
		if (ret)
			goto out;
		if (mydemo_dead(md)) {
			ret = -ENODEV;
			break;
		}
		n = mydemo_fifo_read(&md->fifo, to, &before);
		if (n) {
			ret = n;
			break;
		}
		if (before) {
			/* Data was there, the buffer faulted: nothing taken. */
			ret = -EFAULT;
			break;
		}
		if (mydemo_nonblock(iocb)) {
			mydemo_stat_inc(st, &st->eagain);
			ret = -EAGAIN;
			break;
		}
		mydemo_stat_inc(st, &st->blocked);
		mutex_unlock(&md->read_mutex);
		ret = wait_event_interruptible_exclusive(md->read_wait,
							 mydemo_readable(md));
		if (ret)
			goto out;
	}

	if (ret > 0) {
		wake_writers = !mydemo_room_ok(&md->fifo, before) &&
			       mydemo_room_ok(&md->fifo, before - ret);
		u64_stats_update_begin(&st->syncp);
		u64_stats_add(&st->bytes, ret);
		u64_stats_inc(&st->calls);
		if (wake_writers)
			u64_stats_inc(&st->woke_peer);
		u64_stats_update_end(&st->syncp);
	}
	mutex_unlock(&md->read_mutex);
	if (wake_writers)
		mydemo_wake_writers(md);
out:
	mydemo_pass_read_baton(md);
	/* Per-I/O messages only through dynamic debug, off by default. */
	dev_dbg(&md->dev, "read: %zd, %s[%d]\n", ret, current->comm,
		task_pid_nr(current));
	return ret;
}

static ssize_t mydemo_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct mydemo_dev *md = iocb->ki_filp->private_data;
	struct mydemo_dir_stats *st = &md->wstats;
	size_t count = iov_iter_count(from);
	bool wake_readers, slept = false;
	size_t written = 0;
	unsigned int before;
	ssize_t ret = 0, n;
	bool atomic;

	if (!count)
		return 0;

	for (;;) {
		ret = mydemo_lock(&md->write_mutex, iocb);
		if (ret)
			break;
		if (mydemo_dead(md)) {
			mutex_unlock(&md->write_mutex);
			ret = -ENODEV;
			break;
		}
		/* A whole write that fits the atomic size goes in at once. */
		atomic = count <= mydemo_fifo_atomic_size(&md->fifo);
		n = mydemo_fifo_write(&md->fifo, from, atomic, &before);
		wake_readers = n > 0 && !before;
		u64_stats_update_begin(&st->syncp);
		if (n > 0) {
			u64_stats_add(&st->bytes, n);
			if (!written)
				u64_stats_inc(&st->calls);
		}
		if (wake_readers)
			u64_stats_inc(&st->woke_peer);
		if (!n && mydemo_nonblock(iocb))
			u64_stats_inc(&st->eagain);
		else if (!n && !slept)
			u64_stats_inc(&st->blocked);
		u64_stats_update_end(&st->syncp);
		mutex_unlock(&md->write_mutex);

		if (wake_readers)
			mydemo_wake_readers(md);
		if (n < 0) {
			ret = n;
			break;
		}
		written += n;
		if (written == count)
			break;
		if (n)
			continue;
		if (mydemo_nonblock(iocb)) {
			ret = -EAGAIN;
			break;
		}
		slept = true;
		ret = wait_event_interruptible_exclusive(md->write_wait,
							 mydemo_writable(md));
		if (ret)
			break;
	}
	mydemo_pass_write_baton(md);
	dev_dbg(&md->dev, "write: %zu of %zu (%zd), %s[%d]\n", written, count,
		ret, current->comm, task_pid_nr(current));
	return written ? written : ret;
}

static __poll_t mydemo_poll(struct file *file, poll_table *wait)
{
	struct mydemo_dev *md = file->private_data;
	__poll_t mask = 0;
	unsigned int len;

	if (file->f_mode & FMODE_READ)
		poll_wait(file, &md->read_poll, wait);
	if (file->f_mode & FMODE_WRITE)
		poll_wait(file, &md->write_poll, wait);

	if (mydemo_dead(md))
		return EPOLLHUP | EPOLLERR;
	len = mydemo_fifo_len(&md->fifo);
	if ((file->f_mode & FMODE_READ) && len)
		mask |= EPOLLIN | EPOLLRDNORM;
	if ((file->f_mode & FMODE_WRITE) && mydemo_room_ok(&md->fifo, len))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

/*
 * A reader gets SIGIO with POLL_IN and a writer with POLL_OUT, from two
 * lists like fs/pipe.c, so that a write-only subscriber is not signalled
 * for data it cannot read. __fput() calls this with @on == 0 for a file
 * that still has FASYNC set, which is what unsubscribes on close.
 */
static int mydemo_fasync(int fd, struct file *file, int on)
{
	struct mydemo_dev *md = file->private_data;
	int r = 0, w = 0;

	if (file->f_mode & FMODE_READ) {
		r = fasync_helper(fd, file, on, &md->fasync_readers);
		if (r < 0)
			return r;
	}
	if (file->f_mode & FMODE_WRITE) {
		w = fasync_helper(fd, file, on, &md->fasync_writers);
		if (w < 0) {
			if (r > 0)
				fasync_helper(-1, file, 0, &md->fasync_readers);
			return w;
		}
	}
	if (r > 0 || w > 0)
		atomic_add(on ? 1 : -1, &md->fasync_count);
	return 0;
}

static int mydemo_open(struct inode *inode, struct file *file)
{
	struct mydemo_dev *md = container_of(inode->i_cdev, struct mydemo_dev,
					     cdev);

	if (mydemo_dead(md))
		return -ENODEV;
	file->private_data = md;
	/* read_iter/write_iter honour IOCB_NOWAIT (io_uring, RWF_NOWAIT). */
	file->f_mode |= FMODE_NOWAIT;
	/* No file position: lseek, pread and pwrite fail with -ESPIPE. */
	return stream_open(inode, file);
}

/**
 * mydemo_disconnect() - make a removed device fail all I/O
 * @md: the device, already gone from /dev and sysfs
 *
 * Wakes every sleeper and poller and signals every SIGIO subscriber with
 * POLL_HUP; from now on read and write fail with -ENODEV and poll reports
 * EPOLLHUP | EPOLLERR. The structure lives on until the last file is closed.
 */
void mydemo_disconnect(struct mydemo_dev *md)
{
	WRITE_ONCE(md->dead, true);
	wake_up_interruptible_all(&md->read_wait);
	wake_up_interruptible_all(&md->write_wait);
	wake_up_interruptible_all(&md->read_poll);
	wake_up_interruptible_all(&md->write_poll);
	kill_fasync(&md->fasync_readers, SIGIO, POLL_HUP);
	kill_fasync(&md->fasync_writers, SIGIO, POLL_HUP);
}

const struct file_operations mydemo_fops = {
	.owner		= THIS_MODULE,
	.open		= mydemo_open,
	.read_iter	= mydemo_read_iter,
	.write_iter	= mydemo_write_iter,
	.poll		= mydemo_poll,
	.fasync		= mydemo_fasync,
	.unlocked_ioctl	= mydemo_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};
