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
 * level the fifo reports after the index moved (fifo.c), not when the copy
 * began: a reader may drain the fifo while a writer copies, and the write then
 * lands in an empty fifo. Whoever leaves read() (write()) while the fifo still
 * is readable (writable) passes the wake-up on to the next sleeping reader
 * (writer), so none is lost when the woken task takes less than there is, or
 * leaves on a signal.
 *
 * Who is woken and signalled when, and how: notify.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "compat.h"
#include "mydemo.h"
#include "notify.h"
#include "trace.h"

static void mydemo_stat_inc(struct mydemo_dir_stats *s, u64_stats_t *c)
{
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(c);
	u64_stats_update_end(&s->syncp);
}

static unsigned int mydemo_lat_bucket(u64 ns)
{
	return ns ? min_t(unsigned int, ilog2(ns), MYDEMO_LAT_BUCKETS - 1) : 0;
}

/*
 * The wake-up of a sleeping reader or writer: note when it was selected,
 * for the wake-up-to-run latency, then wake it as an exclusive waiter is
 * normally woken. The stamp is written before the task can see itself off
 * the queue (autoremove_wake_function() removes the entry with release
 * semantics, finish_wait() checks with acquire, or takes the queue lock).
 */
static int mydemo_wake_function(struct wait_queue_entry *wq, unsigned int mode,
				int sync, void *key)
{
	struct mydemo_waiter *w = container_of(wq, struct mydemo_waiter, wq);

	w->woken = ktime_get();
	return autoremove_wake_function(wq, mode, sync, key);
}

static bool mydemo_ready(struct mydemo_dev *md, enum mydemo_dir dir)
{
	return dir == MYDEMO_READ ? mydemo_readable(md) : mydemo_writable(md);
}

/*
 * Sleep until the fifo is readable (writable) or a signal comes, as
 * wait_event_interruptible_exclusive() would, and account for it: counted
 * in waiting_readers/_writers, timed, and traced. Its own wait entry (the
 * macro has none to offer) carries what debugfs lists and the stamp of the
 * wake-up, for the wake-up-to-run time.
 *
 * Return: 0, or -ERESTARTSYS on a signal.
 */
static int mydemo_sleep(struct mydemo_file *mf, enum mydemo_dir dir)
{
	struct mydemo_dev *md = mf->md;
	wait_queue_head_t *wq = dir == MYDEMO_READ ? &md->read_wait :
						     &md->write_wait;
	struct mydemo_wait_stats *ws = &md->wait[dir];
	struct mydemo_waiter w = { .mf = mf, .task = current, .dir = dir };
	u64 waited, wake = 0;
	long ret;

	init_wait_entry(&w.wq, WQ_FLAG_EXCLUSIVE);
	w.wq.func = mydemo_wake_function;
	w.since = ktime_get();
	atomic_inc(&ws->waiting);
	if (trace_mydemo_wait_enabled())
		trace_mydemo_wait(md, dir, mydemo_fifo_len(&md->fifo));

	for (;;) {
		/* Queues the entry, or fails with -ERESTARTSYS on a signal. */
		ret = prepare_to_wait_event(wq, &w.wq, TASK_INTERRUPTIBLE);
		if (mydemo_ready(md, dir)) {
			ret = 0;
			break;
		}
		if (ret)
			break;
		schedule();
	}
	finish_wait(wq, &w.wq);

	waited = ktime_to_ns(ktime_sub(ktime_get(), w.since));
	if (w.woken)
		wake = ktime_to_ns(ktime_sub(ktime_get(), w.woken));
	atomic_dec(&ws->waiting);
	atomic64_inc(&ws->slept[mydemo_lat_bucket(waited)]);
	if (w.woken)
		atomic64_inc(&ws->wake[mydemo_lat_bucket(wake)]);
	if (ret)
		atomic64_inc(&ws->interrupted);
	trace_mydemo_wake(md, dir, waited, wake, ret);
	return ret;
}

/*
 * Take the mutex of one direction as the caller's flags allow. A signal
 * while waiting for it ends the call as a signal in mydemo_sleep() does,
 * with -ERESTARTSYS: mutex_lock_interruptible() says -EINTR, which reached
 * the program as EINTR even when its handler had SA_RESTART. An
 * IOCB_NOWAIT call that finds the mutex taken fails with -EAGAIN like one
 * that finds the fifo empty (full), and counts as one.
 */
static int mydemo_lock(struct mydemo_dev *md, enum mydemo_dir dir,
		       struct kiocb *iocb)
{
	struct mutex *m = dir == MYDEMO_READ ? &md->read_mutex :
					       &md->write_mutex;

	if (iocb->ki_flags & IOCB_NOWAIT) {
		if (mutex_trylock(m))
			return 0;
		atomic64_inc(&md->eagain[dir]);
		return -EAGAIN;
	}
	return mutex_lock_interruptible(m) ? -ERESTARTSYS : 0;
}

static bool mydemo_nonblock(struct kiocb *iocb)
{
	return (iocb->ki_filp->f_flags & O_NONBLOCK) ||
	       (iocb->ki_flags & IOCB_NOWAIT);
}

static ssize_t mydemo_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct mydemo_file *mf = iocb->ki_filp->private_data;
	struct mydemo_dev *md = mf->md;
	struct mydemo_dir_stats *st = &md->rstats;
	size_t count = iov_iter_count(to);
	bool wake_writers = false, slept = false;
	unsigned int before, size;
	ssize_t ret;
	size_t n;

	if (!count)
		return 0;

	for (;;) {
		ret = mydemo_lock(md, MYDEMO_READ, iocb);
		if (ret)
			goto out;
		if (mydemo_dead(md)) {
			ret = -ENODEV;
			break;
		}
		/*
		 * An injected fault acts as a buffer faulting at its start
		 * (on an empty fifo it has no effect). should_fail() returns
		 * at once while fault injection is not armed.
		 */
		if (mydemo_should_fail(md, count)) {
			n = 0;
			before = mydemo_fifo_len(&md->fifo);
		} else {
			n = mydemo_fifo_read(&md->fifo, to, &before);
		}
		if (n) {
			ret = n;
			break;
		}
		if (before) {
			/* Data was there, the buffer faulted: nothing taken. */
			mydemo_stat_inc(st, &st->faults);
			ret = -EFAULT;
			break;
		}
		if (mydemo_nonblock(iocb)) {
			atomic64_inc(&md->eagain[MYDEMO_READ]);
			ret = -EAGAIN;
			break;
		}
		/* A call that slept counts once, however often it slept. */
		if (!slept)
			mydemo_stat_inc(st, &st->blocked);
		slept = true;
		mutex_unlock(&md->read_mutex);
		ret = mydemo_sleep(mf, MYDEMO_READ);
		if (ret)
			goto out;
	}

	if (ret > 0) {
		/* A resize holds both mutexes: the size is stable here. */
		size = mydemo_fifo_size_held(&md->fifo);
		wake_writers = !mydemo_room_ok(size, before) &&
			       mydemo_room_ok(size, before - ret);
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
	/* As a pipe: every read that took data is news for writers. */
	if (ret > 0)
		mydemo_signal(md, MYDEMO_WRITE, POLL_OUT);
out:
	mydemo_pass_read_baton(md);
	if (trace_mydemo_read_enabled())
		trace_mydemo_read(md, count, ret, mydemo_fifo_len(&md->fifo));
	/* Per-I/O messages only through dynamic debug, off by default. */
	dev_dbg(&md->dev, "read: %zd, %s[%d]\n", ret, current->comm,
		task_pid_nr(current));
	return ret;
}

static ssize_t mydemo_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct mydemo_file *mf = iocb->ki_filp->private_data;
	struct mydemo_dev *md = mf->md;
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
		ret = mydemo_lock(md, MYDEMO_WRITE, iocb);
		if (ret)
			break;
		if (mydemo_dead(md)) {
			mutex_unlock(&md->write_mutex);
			ret = -ENODEV;
			break;
		}
		/*
		 * A whole write that fits the atomic size goes in at once.
		 * The size is stable under the write mutex.
		 */
		atomic = count <= min(mydemo_fifo_size_held(&md->fifo),
				      MYDEMO_ATOMIC_MAX);
		/* An injected fault acts as a buffer faulting at once. */
		if (mydemo_should_fail(md, count - written)) {
			n = -EFAULT;
			before = mydemo_fifo_len(&md->fifo);
		} else {
			n = mydemo_fifo_write(&md->fifo, from, atomic, &before);
		}
		wake_readers = n > 0 && !before;
		u64_stats_update_begin(&st->syncp);
		if (n > 0) {
			u64_stats_add(&st->bytes, n);
			if (!written)
				u64_stats_inc(&st->calls);
		}
		if (wake_readers)
			u64_stats_inc(&st->woke_peer);
		/*
		 * Whole calls are counted, by how they end: a fault or a
		 * full fifo after some bytes went in ends the call with that
		 * partial count, which is neither an -EFAULT nor an -EAGAIN.
		 */
		if (n < 0 && !written)
			u64_stats_inc(&st->faults);
		if (!n && !written && mydemo_nonblock(iocb))
			atomic64_inc(&md->eagain[MYDEMO_WRITE]);
		else if (!n && !slept && !mydemo_nonblock(iocb))
			u64_stats_inc(&st->blocked);
		u64_stats_update_end(&st->syncp);
		mutex_unlock(&md->write_mutex);

		if (n > 0)
			mydemo_data_added(md, wake_readers);
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
		ret = mydemo_sleep(mf, MYDEMO_WRITE);
		if (ret)
			break;
	}
	mydemo_pass_write_baton(md);
	if (trace_mydemo_write_enabled())
		trace_mydemo_write(md, count, written ? written : ret,
				   mydemo_fifo_len(&md->fifo));
	dev_dbg(&md->dev, "write: %zu of %zu (%zd), %s[%d]\n", written, count,
		ret, current->comm, task_pid_nr(current));
	return written ? written : ret;
}

static __poll_t mydemo_poll(struct file *file, poll_table *wait)
{
	struct mydemo_dev *md = mydemo_file_dev(file);
	unsigned int size, len;
	__poll_t mask = 0;

	if (file->f_mode & FMODE_READ) {
		/*
		 * A write that lands in a non-empty fifo wakes pollers only
		 * from now on. A write racing with this first poll is seen
		 * either way: it crossed the empty edge (a wake-up) or the
		 * fifo held data already, which this poll reports.
		 */
		if (!READ_ONCE(md->poll_usage))
			WRITE_ONCE(md->poll_usage, true);
		poll_wait(file, &md->read_poll, wait);
	}
	if (file->f_mode & FMODE_WRITE)
		poll_wait(file, &md->write_poll, wait);
	/*
	 * Queued before the fifo is tested: pairs with the barrier between a
	 * writer's (reader's) index move and its wq_has_sleeper() (notify.c),
	 * as sock_poll_wait() does for sockets.
	 */
	smp_mb();

	if (mydemo_dead(md))
		return EPOLLHUP | EPOLLERR;
	mydemo_fifo_state(&md->fifo, &size, &len);
	if ((file->f_mode & FMODE_READ) && len)
		mask |= EPOLLIN | EPOLLRDNORM;
	if ((file->f_mode & FMODE_WRITE) && mydemo_room_ok(size, len))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

/*
 * A reader gets SIGIO with POLL_IN and a writer with POLL_OUT, from two
 * lists like fs/pipe.c, so that a write-only subscriber is not signalled
 * for data it cannot read.
 *
 * The VFS calls ->fasync() without any lock (fcntl(F_SETFL) from two
 * threads of one process, on one file, run it at once), and fasync_helper()
 * makes each list consistent on its own but not the two lists and the
 * counters together: without fasync_mutex, one thread could add the file to
 * one list while another removed it from the other, and the counters went
 * below zero. Under the mutex a file is on both of its lists or on none,
 * and the counters follow the lists exactly.
 */
static int mydemo_fasync(int fd, struct file *file, int on)
{
	struct mydemo_dev *md = mydemo_file_dev(file);
	int r = 0, w = 0, n;

	mutex_lock(&md->fasync_mutex);
	if (file->f_mode & FMODE_READ) {
		r = fasync_helper(fd, file, on, &md->fasync_readers);
		if (r < 0)
			goto out;
	}
	if (file->f_mode & FMODE_WRITE) {
		w = fasync_helper(fd, file, on, &md->fasync_writers);
		if (w < 0) {
			if (r > 0)
				fasync_helper(-1, file, 0, &md->fasync_readers);
			r = w;
			goto out;
		}
	}
	if (r > 0)
		atomic_add(on ? 1 : -1, &md->fasync_nr[MYDEMO_READ]);
	if (w > 0)
		atomic_add(on ? 1 : -1, &md->fasync_nr[MYDEMO_WRITE]);
	if (r > 0 || w > 0) {
		n = atomic_add_return(on ? 1 : -1, &md->fasync_count);
		trace_mydemo_fasync(md, on ? MYDEMO_FASYNC_SUBSCRIBE :
				    MYDEMO_FASYNC_UNSUBSCRIBE, 0, n);
	}
	r = 0;
out:
	mutex_unlock(&md->fasync_mutex);
	return r;
}

static int mydemo_open(struct inode *inode, struct file *file)
{
	struct mydemo_dev *md = container_of(inode->i_cdev, struct mydemo_dev,
					     cdev);
	struct mydemo_file *mf;

	if (mydemo_dead(md))
		return -ENODEV;
	mf = mydemo_should_fail(md, sizeof(*mf)) ? NULL :
	     kzalloc(sizeof(*mf), GFP_KERNEL);
	if (!mf)
		return -ENOMEM;
	mf->md = md;
	mf->file = file;
	mf->pid = task_tgid_nr(current);
	get_task_comm(mf->comm, current);
	mf->opened = ktime_get();
	file->private_data = mf;
	/* read_iter/write_iter honour IOCB_NOWAIT (io_uring, RWF_NOWAIT). */
	file->f_mode |= FMODE_NOWAIT;
	/* No file position: lseek, pread and pwrite fail with -ESPIPE. */
	stream_open(inode, file);

	spin_lock(&md->files_lock);
	list_add_tail(&mf->node, &md->files);
	spin_unlock(&md->files_lock);
	if (file->f_mode & FMODE_READ)
		atomic_inc(&md->nr_open[MYDEMO_READ]);
	if (file->f_mode & FMODE_WRITE)
		atomic_inc(&md->nr_open[MYDEMO_WRITE]);
	trace_mydemo_open(md, file);
	return 0;
}

static int mydemo_release(struct inode *inode, struct file *file)
{
	struct mydemo_file *mf = file->private_data;
	struct mydemo_dev *md = mf->md;

	/*
	 * __fput() has unsubscribed a file whose FASYNC flag is set, but
	 * fcntl(F_SETFL) updates the flag after ->fasync() returns, with no
	 * lock across the two: two threads racing there can leave a file
	 * subscribed with the flag clear. Unsubscribe whatever the flag says
	 * (a no-op for a file on neither list), or the list would keep a
	 * pointer to a freed file and the counter would never drop.
	 */
	mydemo_fasync(-1, file, 0);
	trace_mydemo_release(md, file);
	if (file->f_mode & FMODE_READ)
		atomic_dec(&md->nr_open[MYDEMO_READ]);
	if (file->f_mode & FMODE_WRITE)
		atomic_dec(&md->nr_open[MYDEMO_WRITE]);
	spin_lock(&md->files_lock);
	list_del(&mf->node);
	spin_unlock(&md->files_lock);
	kfree(mf);
	return 0;
}

const struct file_operations mydemo_fops = {
	.owner		= THIS_MODULE,
	.open		= mydemo_open,
	.release	= mydemo_release,
	.read_iter	= mydemo_read_iter,
	.write_iter	= mydemo_write_iter,
	.poll		= mydemo_poll,
	.splice_read	= mydemo_splice_read,
	.splice_write	= iter_file_splice_write,
	.fasync		= mydemo_fasync,
	.unlocked_ioctl	= mydemo_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};
