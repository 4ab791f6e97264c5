/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mydemo notifications (notify.c): waking sleepers and pollers, SIGIO.
 */
#ifndef _MYDEMO_NOTIFY_H
#define _MYDEMO_NOTIFY_H

#include <linux/minmax.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "mydemo.h"

/*
 * At least the atomic size free in a fifo of @size bytes holding @len. A
 * reader's level before its move can exceed the size (fifo.c): no room.
 */
static inline bool mydemo_room_ok(unsigned int size, unsigned int len)
{
	return len <= size && size - len >= min(size, MYDEMO_ATOMIC_MAX);
}

bool mydemo_readable(struct mydemo_dev *md);
bool mydemo_writable(struct mydemo_dev *md);
void mydemo_signal_subscribers(struct mydemo_dev *md, enum mydemo_dir dir,
			       int band);
void mydemo_wake_writers(struct mydemo_dev *md);
void mydemo_pass_baton(struct mydemo_dev *md, enum mydemo_dir dir);
void mydemo_data_added(struct mydemo_dev *md, bool was_empty);
void mydemo_room_changed(struct mydemo_dev *md);
void mydemo_disconnect(struct mydemo_dev *md);

/*
 * Every read and write ends with the two checks below; inline, the common
 * case (nobody subscribed, nobody else asleep on that side) is a load and a
 * branch instead of a call.
 */

/**
 * mydemo_signal() - SIGIO to the subscribers of one side, if there are any
 * @md: the device
 * @dir: %MYDEMO_READ: the readers' subscribers; %MYDEMO_WRITE: the writers'
 * @band: POLL_IN, POLL_OUT or POLL_HUP, for si_band
 */
static inline void mydemo_signal(struct mydemo_dev *md, enum mydemo_dir dir,
				 int band)
{
	if (atomic_read(&md->fasync_nr[dir]))
		mydemo_signal_subscribers(md, dir, band);
}

/**
 * mydemo_pass_read_baton() - a reader leaves read(): wake the next if data is left
 * @md: the device
 *
 * See mydemo_pass_baton().
 */
static inline void mydemo_pass_read_baton(struct mydemo_dev *md)
{
	if (wq_has_sleeper(&md->read_wait))
		mydemo_pass_baton(md, MYDEMO_READ);
}

/**
 * mydemo_pass_write_baton() - a writer leaves write(): wake the next if room is left
 * @md: the device
 */
static inline void mydemo_pass_write_baton(struct mydemo_dev *md)
{
	if (wq_has_sleeper(&md->write_wait))
		mydemo_pass_baton(md, MYDEMO_WRITE);
}

#endif /* _MYDEMO_NOTIFY_H */
