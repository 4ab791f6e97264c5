/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mydemo notifications (notify.c): waking sleepers and pollers, SIGIO.
 */
#ifndef _MYDEMO_NOTIFY_H
#define _MYDEMO_NOTIFY_H

#include <linux/minmax.h>
#include <linux/types.h>

#include "mydemo.h"

/* At least the atomic size free in a fifo of @size bytes holding @len. */
static inline bool mydemo_room_ok(unsigned int size, unsigned int len)
{
	return size - len >= min(size, MYDEMO_ATOMIC_MAX);
}

bool mydemo_readable(struct mydemo_dev *md);
bool mydemo_writable(struct mydemo_dev *md);
void mydemo_signal(struct mydemo_dev *md, enum mydemo_dir dir, int band);
void mydemo_wake_writers(struct mydemo_dev *md);
void mydemo_pass_read_baton(struct mydemo_dev *md);
void mydemo_pass_write_baton(struct mydemo_dev *md);
void mydemo_data_added(struct mydemo_dev *md, bool was_empty);
void mydemo_room_changed(struct mydemo_dev *md);
void mydemo_disconnect(struct mydemo_dev *md);

#endif /* _MYDEMO_NOTIFY_H */
