// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo notifications: who is woken and signalled when a write adds data,
 * a read or a flush makes room, or the device goes away.
 *
 * Sleeping readers and writers are woken on the edges only, one at a time
 * (they wait exclusively): empty -> not empty for readers, "less than
 * atomic_size free" -> "at least atomic_size free" for writers; whoever
 * leaves read() (write()) while the fifo is still readable (writable)
 * passes the baton to the next sleeper of its side, so none is lost when
 * the woken task takes less than there is, or leaves on a signal.
 *
 * Pollers and SIGIO subscribers are told as fs/pipe.c tells them, which
 * programs rely on: every write that adds data is an event for pollers (an
 * edge-triggered epoll reader that left data unread hears of the next
 * write, as pipes do since 5.14) and a POLL_IN signal for SIGIO
 * subscribers; every read that takes data is a POLL_OUT signal for the
 * writers' subscribers. Only a device that was
 * ever polled pays for the per-write poller wake-up (poll_usage, as pipes
 * have it). Sleeping tasks are not pollers: they stay on the edges.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/wait.h>

#include "mydemo.h"
#include "notify.h"
#include "trace.h"

/**
 * mydemo_readable() - may a sleeping or polling reader go on
 * @md: the device
 *
 * Return: true when the fifo holds data or the device is gone.
 */
bool mydemo_readable(struct mydemo_dev *md)
{
	return mydemo_dead(md) || mydemo_fifo_len(&md->fifo);
}

/**
 * mydemo_writable() - may a sleeping or polling writer go on
 * @md: the device
 *
 * A blocked writer waits for atomic_size free bytes, the condition poll
 * reports as EPOLLOUT, whatever the size of its write: one threshold for
 * everybody is what lets the readers wake writers on a single edge.
 *
 * Return: true when atomic_size bytes are free or the device is gone.
 */
bool mydemo_writable(struct mydemo_dev *md)
{
	unsigned int size, len;

	mydemo_fifo_state(&md->fifo, &size, &len);
	return mydemo_dead(md) || mydemo_room_ok(size, len);
}

/**
 * mydemo_signal_subscribers() - SIGIO to the subscribers of one side
 * @md: the device
 * @dir: %MYDEMO_READ: the readers' subscribers; %MYDEMO_WRITE: the writers'
 * @band: POLL_IN, POLL_OUT or POLL_HUP, for si_band
 *
 * Through mydemo_signal(). sigio_sent counts one per subscriber, as many
 * signals as kill_fasync() sends unless a file subscribes or unsubscribes
 * at this very moment.
 */
void mydemo_signal_subscribers(struct mydemo_dev *md, enum mydemo_dir dir,
			       int band)
{
	struct fasync_struct **fa = dir == MYDEMO_READ ? &md->fasync_readers :
							 &md->fasync_writers;
	int n = atomic_read(&md->fasync_nr[dir]);

	if (!n)
		return;
	atomic64_add(n, &md->sigio_sent);
	trace_mydemo_fasync(md, MYDEMO_FASYNC_SIGNAL, band, n);
	kill_fasync(fa, SIGIO, band);
}

/*
 * Wake a queue only if someone is on it: when a reader keeps up with a
 * writer, nearly every write is an edge, and each edge took the locks of
 * two queues (sleepers, pollers) that are empty unless someone waits or
 * polls. No wake-up is lost: a sleeper queues itself (prepare_to_wait_event(),
 * poll_wait()), passes a full barrier and then tests the fifo; the waker
 * moved the index, passed a full barrier and then looks at the queue here
 * (wq_has_sleeper()), so either the sleeper sees the index moved or the
 * waker sees the sleeper. A sleeper's barrier is set_current_state()'s,
 * a poller's the smp_mb() after poll_wait() in mydemo_poll().
 */
static void mydemo_wake(struct wait_queue_head *wq, __poll_t key)
{
	if (wq_has_sleeper(wq))
		wake_up_interruptible_poll(wq, key);
}

/**
 * mydemo_data_added() - a write put data into the fifo
 * @md: the device
 * @was_empty: the fifo was empty before: the edge sleeping readers wait for
 *
 * On the edge, wakes one sleeping reader (they wait exclusively). Wakes the
 * pollers on the edge and, once anyone has polled the device, on every
 * write; sends SIGIO with POLL_IN to the reading subscribers on every
 * write. Call without locks.
 */
void mydemo_data_added(struct mydemo_dev *md, bool was_empty)
{
	if (was_empty)
		mydemo_wake(&md->read_wait, EPOLLIN | EPOLLRDNORM);
	if (was_empty || READ_ONCE(md->poll_usage))
		mydemo_wake(&md->read_poll, EPOLLIN | EPOLLRDNORM);
	mydemo_signal(md, MYDEMO_READ, POLL_IN);
}

/**
 * mydemo_wake_writers() - room for an atomic write appeared
 * @md: the device
 *
 * Wakes one sleeping writer (they wait exclusively) and the pollers.
 */
void mydemo_wake_writers(struct mydemo_dev *md)
{
	mydemo_wake(&md->write_wait, EPOLLOUT | EPOLLWRNORM);
	mydemo_wake(&md->write_poll, EPOLLOUT | EPOLLWRNORM);
}

/**
 * mydemo_pass_baton() - wake the next sleeper of a side if it may go on
 * @md: the device
 * @dir: the side of the task that leaves read() or write()
 *
 * Through mydemo_pass_read_baton() and mydemo_pass_write_baton(), which
 * found a sleeper. A reader leaving read() wakes the next sleeping reader
 * if data is left, a writer leaving write() the next writer if room is
 * left. Only within a side: across sides the edge wake-ups do the job, and
 * a writer passing on to readers would wake a second reader for a byte the
 * first one is about to take. Pollers are on other queues: a baton is no
 * event for them.
 */
void mydemo_pass_baton(struct mydemo_dev *md, enum mydemo_dir dir)
{
	if (dir == MYDEMO_READ && mydemo_readable(md))
		wake_up_interruptible_poll(&md->read_wait, EPOLLIN | EPOLLRDNORM);
	else if (dir == MYDEMO_WRITE && mydemo_writable(md))
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
	if (mydemo_writable(md)) {
		mydemo_wake_writers(md);
		mydemo_signal(md, MYDEMO_WRITE, POLL_OUT);
	}
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
	mydemo_signal(md, MYDEMO_READ, POLL_HUP);
	mydemo_signal(md, MYDEMO_WRITE, POLL_HUP);
}
