/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The byte fifo under each mydemo device: a ring of bytes with one reader
 * and one writer at a time, whose indices need no lock (fifo.c says how).
 */
#ifndef _MYDEMO_FIFO_H
#define _MYDEMO_FIFO_H

#include <linux/compiler.h>
#include <linux/types.h>

struct iov_iter;
struct page;

/* Bounds of the fifo_size module parameter (bytes, powers of two). */
#define MYDEMO_FIFO_MIN		64U
#define MYDEMO_FIFO_MAX		(4U << 20)
/* Writes up to this many bytes are never split (cf. PIPE_BUF). */
#define MYDEMO_ATOMIC_MAX	4096U

/**
 * struct mydemo_fifo - a byte ring with one reader and one writer at a time
 * @in: free-running count of the bytes ever written; the writer's alone to
 *	move, published with release semantics once the bytes are in
 * @out: free-running count of the bytes ever taken; the reader's alone to
 *	move, published with release semantics once the bytes are out
 * @mask: size - 1 (the size is a power of two); changed only by
 *	mydemo_fifo_resize(), which excludes the reader and the writer
 * @high: the highest fill level seen (the high watermark); written by the
 *	writer, the resize and the reset, which the caller serialises
 * @pages: the bytes, in pages as a pipe keeps them: byte i of the stream
 *	lives at offset (i & mask) of the pages laid end to end (one page
 *	holds a ring smaller than a page)
 *
 * Callers serialise readers among themselves and writers among themselves
 * (mydemo uses a read and a write mutex); a reader and a writer run at once.
 */
struct mydemo_fifo {
	unsigned int in;
	unsigned int out;
	unsigned int mask;
	unsigned int high;
	struct page **pages;
};

/**
 * mydemo_fifo_size_held() - capacity, for a caller that excludes resizing
 * @f: the fifo
 *
 * mydemo_fifo_resize() runs with every reader and writer excluded, so a
 * reader or writer in the fifo reads the size with a plain load, where
 * mydemo_fifo_size() marks the load for lookers that exclude nobody.
 *
 * Return: the size in bytes.
 */
static inline unsigned int mydemo_fifo_size_held(const struct mydemo_fifo *f)
{
	return f->mask + 1;
}

int mydemo_fifo_init(struct mydemo_fifo *f, unsigned int size);
void mydemo_fifo_free(struct mydemo_fifo *f);
unsigned int mydemo_fifo_size(const struct mydemo_fifo *f);
unsigned int mydemo_fifo_atomic_size(const struct mydemo_fifo *f);
unsigned int mydemo_fifo_len(const struct mydemo_fifo *f);
void mydemo_fifo_state(const struct mydemo_fifo *f, unsigned int *size,
		       unsigned int *len);
size_t mydemo_fifo_read(struct mydemo_fifo *f, struct iov_iter *to,
			unsigned int *len_before);
ssize_t mydemo_fifo_write(struct mydemo_fifo *f, struct iov_iter *from,
			  bool atomic, unsigned int *len_before);
bool mydemo_fifo_size_valid(unsigned long size);
unsigned int mydemo_fifo_discard(struct mydemo_fifo *f);
int mydemo_fifo_resize(struct mydemo_fifo *f, struct mydemo_fifo *spare);
unsigned int mydemo_fifo_high(const struct mydemo_fifo *f);
void mydemo_fifo_reset_high(struct mydemo_fifo *f);
unsigned int mydemo_fifo_peek(const struct mydemo_fifo *f, void *buf,
			      unsigned int size);

#endif /* _MYDEMO_FIFO_H */
