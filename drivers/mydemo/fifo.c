// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo's byte fifo.
 *
 * kfifo needs no lock for one reader and one writer, but it reads and writes
 * its in/out indices with plain accesses from both sides at once: a data race
 * by the kernel's memory model, which KCSAN reports. So mydemo keeps the kfifo
 * but moves its indices only under a spinlock held for a few instructions, and
 * copies the bytes outside that lock, from or into the part of the buffer that
 * the other side leaves alone until it sees the index move. The lock's
 * release/acquire pairs order the copy before the other side's use of it.
 *
 * A copy that faults part-way moves the index only by what was copied, so no
 * byte is lost from the fifo and no half-copied byte enters it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <kunit/visibility.h>

#include "fifo.h"

/**
 * mydemo_fifo_size_valid() - is @size usable as a fifo size?
 * @size: bytes
 *
 * Return: true for a power of two in [%MYDEMO_FIFO_MIN, %MYDEMO_FIFO_MAX].
 * kfifo itself would silently round other values down.
 */
bool mydemo_fifo_size_valid(unsigned long size)
{
	return size >= MYDEMO_FIFO_MIN && size <= MYDEMO_FIFO_MAX &&
	       is_power_of_2(size);
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_size_valid);

/**
 * mydemo_fifo_init() - allocate an empty fifo
 * @f: the fifo
 * @size: bytes, see mydemo_fifo_size_valid()
 *
 * The buffer comes from kvmalloc() rather than kfifo_alloc()'s kmalloc(), so
 * a 4 MiB fifo does not need 1024 physically contiguous pages.
 *
 * Return: 0, -EINVAL for a bad @size or -ENOMEM.
 */
int mydemo_fifo_init(struct mydemo_fifo *f, unsigned int size)
{
	void *buf;

	if (!mydemo_fifo_size_valid(size))
		return -EINVAL;
	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	spin_lock_init(&f->lock);
	f->high = 0;
	return kfifo_init(&f->kfifo, buf, size);
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_init);

/**
 * mydemo_fifo_free() - free the buffer of a fifo from mydemo_fifo_init()
 * @f: the fifo; no reader or writer may use it any more
 */
void mydemo_fifo_free(struct mydemo_fifo *f)
{
	kvfree(f->kfifo.kfifo.data);
	f->kfifo.kfifo.data = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_free);

/**
 * mydemo_fifo_size() - capacity in bytes
 * @f: the fifo
 *
 * Under the lock because mydemo_fifo_resize() changes it while pollers and
 * sysfs readers may look.
 *
 * Return: the size given to mydemo_fifo_init() or mydemo_fifo_resize().
 */
unsigned int mydemo_fifo_size(struct mydemo_fifo *f)
{
	unsigned int size;

	spin_lock(&f->lock);
	size = kfifo_size(&f->kfifo);
	spin_unlock(&f->lock);
	return size;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_size);

/**
 * mydemo_fifo_state() - size and fill level, read together
 * @f: the fifo
 * @size: set to the size
 * @len: set to the fill level
 *
 * One lock hold, so a report never shows a level that does not fit the size
 * (a resize may run between two separate reads).
 */
void mydemo_fifo_state(struct mydemo_fifo *f, unsigned int *size,
		       unsigned int *len)
{
	spin_lock(&f->lock);
	*size = kfifo_size(&f->kfifo);
	*len = kfifo_len(&f->kfifo);
	spin_unlock(&f->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_state);

/**
 * mydemo_fifo_atomic_size() - largest write that is never split
 * @f: the fifo
 *
 * Return: min(%MYDEMO_ATOMIC_MAX, size): a write this small either goes in
 * whole, contiguous in the byte stream, or waits.
 */
unsigned int mydemo_fifo_atomic_size(struct mydemo_fifo *f)
{
	return min(mydemo_fifo_size(f), MYDEMO_ATOMIC_MAX);
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_atomic_size);

/**
 * mydemo_fifo_len() - bytes in the fifo now
 * @f: the fifo
 *
 * Return: the fill level; stale as soon as the lock is dropped, so callers
 * use it for reports and wait conditions, never to size a copy.
 */
unsigned int mydemo_fifo_len(struct mydemo_fifo *f)
{
	unsigned int len;

	spin_lock(&f->lock);
	len = kfifo_len(&f->kfifo);
	spin_unlock(&f->lock);
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_len);

/**
 * mydemo_fifo_read() - move bytes from the fifo into an iterator
 * @f: the fifo; the caller is its only reader until this returns
 * @to: destination, at most iov_iter_count(@to) bytes are taken
 * @len_before: set to the fill level just before this call moved the index,
 *	read under the same lock hold as the move, so that the caller's
 *	"did this cross an edge" test is exact even while a writer runs;
 *	when nothing moved, the level seen
 *
 * May sleep (faulting in user pages). Only the bytes that reached @to leave
 * the fifo: if @to faults part-way, the rest stays for the next read.
 *
 * Return: bytes moved; 0 when the fifo was empty or @to faulted at once
 * (tell the two apart with @len_before).
 */
size_t mydemo_fifo_read(struct mydemo_fifo *f, struct iov_iter *to,
			unsigned int *len_before)
{
	struct __kfifo *k = &f->kfifo.kfifo;
	unsigned int out, len, off, n, done = 0;
	size_t copied;

	spin_lock(&f->lock);
	out = k->out;
	len = k->in - out;
	spin_unlock(&f->lock);

	*len_before = len;
	len = min_t(size_t, len, iov_iter_count(to));
	while (done < len) {
		off = (out + done) & k->mask;
		n = min(len - done, k->mask + 1 - off);
		copied = copy_to_iter(k->data + off, n, to);
		done += copied;
		if (copied < n)
			break;
	}

	if (done) {
		spin_lock(&f->lock);
		*len_before = k->in - k->out;
		k->out += done;
		spin_unlock(&f->lock);
	}
	return done;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_read);

/**
 * mydemo_fifo_write() - move bytes from an iterator into the fifo
 * @f: the fifo; the caller is its only writer until this returns
 * @from: source, all of it for an atomic write
 * @atomic: all of @from or nothing: used for writes of at most the atomic
 *	size, so that they are never split or interleaved
 * @len_before: set to the fill level just before this call moved the index
 *	(see mydemo_fifo_read()); when nothing moved, the level seen
 *
 * May sleep (faulting in user pages).
 *
 * Return: bytes moved in; 0 when there is no room (for an atomic write: not
 * room for all of it); -EFAULT when @from faulted before the first byte, or
 * anywhere in an atomic write, which then leaves the fifo as it was.
 */
ssize_t mydemo_fifo_write(struct mydemo_fifo *f, struct iov_iter *from,
			  bool atomic, unsigned int *len_before)
{
	struct __kfifo *k = &f->kfifo.kfifo;
	unsigned int in, len, room, off, n, done = 0;
	size_t want, copied;

	spin_lock(&f->lock);
	in = k->in;
	len = in - k->out;
	spin_unlock(&f->lock);

	*len_before = len;
	room = k->mask + 1 - len;
	want = iov_iter_count(from);
	if (atomic && want > room)
		return 0;
	want = min_t(size_t, want, room);
	while (done < want) {
		off = (in + done) & k->mask;
		n = min_t(size_t, want - done, k->mask + 1 - off);
		copied = copy_from_iter(k->data + off, n, from);
		done += copied;
		if (copied < n)
			break;
	}

	if (done < want && (atomic || !done)) {
		iov_iter_revert(from, done);
		return -EFAULT;
	}
	if (done) {
		spin_lock(&f->lock);
		*len_before = k->in - k->out;
		k->in += done;
		f->high = max(f->high, k->in - k->out);
		spin_unlock(&f->lock);
	}
	return done;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_write);

/**
 * mydemo_fifo_discard() - empty the fifo
 * @f: the fifo; the caller is its only reader until this returns
 *
 * Return: bytes discarded.
 */
unsigned int mydemo_fifo_discard(struct mydemo_fifo *f)
{
	unsigned int len;

	spin_lock(&f->lock);
	len = kfifo_len(&f->kfifo);
	kfifo_reset_out(&f->kfifo);
	spin_unlock(&f->lock);
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_discard);

/**
 * mydemo_fifo_resize() - move the contents into a new buffer
 * @f: the fifo; the caller excludes every reader and writer
 * @buf: in: a buffer of @size bytes from kvmalloc(), allocated before the
 *	caller excluded anyone (up to 4 MiB, and the allocation may sleep);
 *	out: the buffer the caller frees with kvfree() once it has let them in
 *	again: the old one when the fifo took @buf, else @buf itself
 * @size: new size, see mydemo_fifo_size_valid()
 *
 * The contents move to the start of the new buffer, in order. The high
 * watermark restarts from the level now: a level seen in a larger fifo
 * says nothing about this one, and the watermark never exceeds the size.
 *
 * Return: 0, -EINVAL for a bad @size, or -EBUSY when the contents do not fit
 * in @size; the fifo is then unchanged.
 */
int mydemo_fifo_resize(struct mydemo_fifo *f, void **buf, unsigned int size)
{
	unsigned int len;
	void *old;

	if (!mydemo_fifo_size_valid(size))
		return -EINVAL;
	if (mydemo_fifo_len(f) > size)
		return -EBUSY;
	/*
	 * No reader or writer runs, so the contents stay put while they are
	 * copied; only the index update is seen by lockless lookers (sysfs,
	 * poll), so only it is under the lock.
	 */
	len = kfifo_out_peek(&f->kfifo, *buf, size);
	old = f->kfifo.kfifo.data;

	spin_lock(&f->lock);
	kfifo_init(&f->kfifo, *buf, size);
	f->kfifo.kfifo.in = len;
	f->high = len;
	spin_unlock(&f->lock);

	*buf = old;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_resize);

/**
 * mydemo_fifo_high() - the high watermark
 * @f: the fifo
 *
 * Return: the highest fill level since mydemo_fifo_init(), the last resize or
 * the last mydemo_fifo_reset_high().
 */
unsigned int mydemo_fifo_high(struct mydemo_fifo *f)
{
	unsigned int high;

	spin_lock(&f->lock);
	high = f->high;
	spin_unlock(&f->lock);
	return high;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_high);

/**
 * mydemo_fifo_reset_high() - restart the high watermark from the level now
 * @f: the fifo
 */
void mydemo_fifo_reset_high(struct mydemo_fifo *f)
{
	spin_lock(&f->lock);
	f->high = kfifo_len(&f->kfifo);
	spin_unlock(&f->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_reset_high);

/**
 * mydemo_fifo_peek() - copy the oldest bytes without taking them
 * @f: the fifo; the caller excludes other readers (writers may go on: they
 *	only add past what is copied here)
 * @buf: kernel buffer
 * @size: its size
 *
 * Return: bytes copied, min(@size, fill level).
 */
unsigned int mydemo_fifo_peek(struct mydemo_fifo *f, void *buf,
			      unsigned int size)
{
	struct __kfifo *k = &f->kfifo.kfifo;
	unsigned int out, len, off, n;

	spin_lock(&f->lock);
	out = k->out;
	len = min(k->in - out, size);
	spin_unlock(&f->lock);

	off = out & k->mask;
	n = min(len, k->mask + 1 - off);
	memcpy(buf, k->data + off, n);
	memcpy(buf + n, k->data, len - n);
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_peek);
