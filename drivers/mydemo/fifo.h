/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The byte fifo under each mydemo device: a kfifo whose indices are guarded
 * by a spinlock, with the copies to and from user space done outside it.
 */
#ifndef _MYDEMO_FIFO_H
#define _MYDEMO_FIFO_H

#include <linux/kfifo.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct iov_iter;

/* Bounds of the fifo_size module parameter (bytes, powers of two). */
#define MYDEMO_FIFO_MIN		64U
#define MYDEMO_FIFO_MAX		(4U << 20)
/* Writes up to this many bytes are never split (cf. PIPE_BUF). */
#define MYDEMO_ATOMIC_MAX	4096U

/**
 * struct mydemo_fifo - a byte fifo with one reader and one writer at a time
 * @lock: guards @kfifo.in and @kfifo.out. Held only to read or move an index,
 *	never across a copy, so a reader and a writer never wait for each other.
 * @kfifo: the bytes. A reader copies out of [out, in) and a writer into the
 *	free space past @in; the two ranges never overlap, so the copies need
 *	no lock, and the index update under @lock publishes the data.
 * @high: the highest fill level seen (the high watermark), under @lock;
 *	kept where the level changes upwards, so it costs one compare per write
 *
 * Callers serialise readers among themselves and writers among themselves
 * (mydemo uses a read and a write mutex): kfifo allows one of each at once.
 */
struct mydemo_fifo {
	spinlock_t lock;	/* guards kfifo.in and kfifo.out */
	struct kfifo kfifo;
	unsigned int high;
};

/**
 * mydemo_fifo_size_held() - capacity, for a caller that excludes resizing
 * @f: the fifo
 *
 * mydemo_fifo_resize() runs with every reader and writer excluded, so a
 * reader or writer in the fifo reads the size without @f->lock, where
 * mydemo_fifo_size() takes it for lookers that exclude nobody.
 *
 * Return: the size in bytes.
 */
static inline unsigned int mydemo_fifo_size_held(const struct mydemo_fifo *f)
{
	return kfifo_size(&f->kfifo);
}

int mydemo_fifo_init(struct mydemo_fifo *f, unsigned int size);
void mydemo_fifo_free(struct mydemo_fifo *f);
unsigned int mydemo_fifo_size(struct mydemo_fifo *f);
unsigned int mydemo_fifo_atomic_size(struct mydemo_fifo *f);
unsigned int mydemo_fifo_len(struct mydemo_fifo *f);
void mydemo_fifo_state(struct mydemo_fifo *f, unsigned int *size,
		       unsigned int *len);
size_t mydemo_fifo_read(struct mydemo_fifo *f, struct iov_iter *to,
			unsigned int *len_before);
ssize_t mydemo_fifo_write(struct mydemo_fifo *f, struct iov_iter *from,
			  bool atomic, unsigned int *len_before);
bool mydemo_fifo_size_valid(unsigned long size);
unsigned int mydemo_fifo_discard(struct mydemo_fifo *f);
int mydemo_fifo_resize(struct mydemo_fifo *f, void **buf, unsigned int size);
unsigned int mydemo_fifo_high(struct mydemo_fifo *f);
void mydemo_fifo_reset_high(struct mydemo_fifo *f);
unsigned int mydemo_fifo_peek(struct mydemo_fifo *f, void *buf,
			      unsigned int size);

#endif /* _MYDEMO_FIFO_H */
