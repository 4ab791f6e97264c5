// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo's byte fifo: a power-of-two ring with free-running indices, one
 * reader and one writer at a time, and no lock.
 *
 * Why not kfifo: kfifo reads and writes its in/out indices with plain
 * accesses from both sides at once (a data race by the kernel's memory
 * model, which KCSAN reports), and it has no iov_iter interface, so partial
 * copies that fault would have to reach into struct __kfifo. The ring here
 * is the one of Documentation/core-api/circular-buffers.rst:
 *
 *   the writer loads @out with acquire (the reader has finished copying the
 *   bytes before it, so they may be overwritten), copies into the free
 *   space past @in, and publishes @in with release (the bytes are there
 *   before the index says so); the reader does the mirror image.
 *
 * The bytes live in pages, as a pipe's do, and are copied with
 * copy_page_to_iter() and copy_page_from_iter(): a copy from a kmalloc()ed
 * or vmalloc()ed buffer goes through the hardened-usercopy check of the
 * object around it (a slab or vmap area lookup), which costs more than the
 * copy of a small write itself; a page needs no such check.
 *
 * Each side moves only its own index, and only by what was copied: a copy
 * that faults part-way leaves the rest for the next call, so no byte is lost
 * from the fifo and no half-copied byte enters it.
 *
 * The caller wakes the other side on an edge (empty -> not empty, not room
 * -> room), judged on the level this call returns in @len_before. To be
 * safe that level is read after a full barrier that follows the publishing
 * store: against a sleeper, which queues itself (a store), passes a full
 * barrier (set_current_state()) and then tests the fifo (loads both
 * indices), this is the store-buffering pattern, so either the sleeper sees
 * the index move or the mover sees the level the sleeper saw, and calls it
 * an edge. The barrier is the only atomic instruction per I/O here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/highmem.h>
#include <linux/kcsan-checks.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <kunit/visibility.h>

#include "compat.h"
#include "fifo.h"

/**
 * mydemo_fifo_size_valid() - is @size usable as a fifo size?
 * @size: bytes
 *
 * Return: true for a power of two in [%MYDEMO_FIFO_MIN, %MYDEMO_FIFO_MAX].
 */
bool mydemo_fifo_size_valid(unsigned long size)
{
	return size >= MYDEMO_FIFO_MIN && size <= MYDEMO_FIFO_MAX &&
	       is_power_of_2(size);
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_size_valid);

static unsigned int mydemo_fifo_nr_pages(unsigned int size)
{
	return DIV_ROUND_UP(size, PAGE_SIZE);
}

static void mydemo_fifo_put_pages(struct page **pages, unsigned int n)
{
	while (n--)
		__free_page(pages[n]);
	kvfree(pages);
}

/**
 * mydemo_fifo_init() - allocate an empty fifo
 * @f: the fifo
 * @size: bytes, see mydemo_fifo_size_valid()
 *
 * Return: 0, -EINVAL for a bad @size or -ENOMEM.
 */
int mydemo_fifo_init(struct mydemo_fifo *f, unsigned int size)
{
	unsigned int i, n = mydemo_fifo_nr_pages(size);
	struct page **pages;

	if (!mydemo_fifo_size_valid(size))
		return -EINVAL;
	/* Up to 1024 pointers: kvcalloc() needs no contiguous pages for them. */
	pages = kvcalloc(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i]) {
			mydemo_fifo_put_pages(pages, i);
			return -ENOMEM;
		}
	}
	f->pages = pages;
	f->in = 0;
	f->out = 0;
	f->mask = size - 1;
	f->high = 0;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_init);

/**
 * mydemo_fifo_free() - free the pages of a fifo
 * @f: a fifo from mydemo_fifo_init(), or zeroed memory; no reader or
 *	writer may use it any more
 */
void mydemo_fifo_free(struct mydemo_fifo *f)
{
	if (f->pages)
		mydemo_fifo_put_pages(f->pages,
				      mydemo_fifo_nr_pages(f->mask + 1));
	f->pages = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_free);

/*
 * Where stream position @pos lives: its page and the offset in it, and how
 * many of the next @len bytes follow it there (up to the end of the page or
 * of a ring smaller than a page).
 */
static unsigned int mydemo_fifo_chunk(const struct mydemo_fifo *f,
				      unsigned int pos, unsigned int len,
				      struct page **page, unsigned int *off)
{
	unsigned int o = pos & f->mask;

	*page = f->pages[o / PAGE_SIZE];
	*off = offset_in_page(o);
	return min3(len, f->mask + 1 - o, (unsigned int)PAGE_SIZE - *off);
}

/**
 * mydemo_fifo_size() - capacity in bytes
 * @f: the fifo
 *
 * A marked load: mydemo_fifo_resize() may change the size while pollers and
 * sysfs readers look.
 *
 * Return: the size given to mydemo_fifo_init() or mydemo_fifo_resize().
 */
unsigned int mydemo_fifo_size(const struct mydemo_fifo *f)
{
	return READ_ONCE(f->mask) + 1;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_size);

/*
 * The level for a looker that excludes nobody. @out first, with acquire:
 * the reader read an @in at least as large before it published this @out,
 * so the @in loaded next is too, and the level is never negative. Both
 * sides may move between the two loads, so the difference can exceed any
 * level the fifo had: it is cut at the size.
 */
static unsigned int mydemo_fifo_level(const struct mydemo_fifo *f,
				      unsigned int size)
{
	/* Pairs with the reader's release of @out: see above. */
	unsigned int out = smp_load_acquire(&f->out);

	return min(READ_ONCE(f->in) - out, size);
}

/**
 * mydemo_fifo_state() - size and fill level, read together
 * @f: the fifo
 * @size: set to the size
 * @len: set to the fill level, at most *@size
 */
void mydemo_fifo_state(const struct mydemo_fifo *f, unsigned int *size,
		       unsigned int *len)
{
	*size = mydemo_fifo_size(f);
	*len = mydemo_fifo_level(f, *size);
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_state);

/**
 * mydemo_fifo_atomic_size() - largest write that is never split
 * @f: the fifo
 *
 * Return: min(%MYDEMO_ATOMIC_MAX, size): a write this small either goes in
 * whole, contiguous in the byte stream, or waits.
 */
unsigned int mydemo_fifo_atomic_size(const struct mydemo_fifo *f)
{
	return min(mydemo_fifo_size(f), MYDEMO_ATOMIC_MAX);
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_atomic_size);

/**
 * mydemo_fifo_len() - bytes in the fifo now
 * @f: the fifo
 *
 * Return: the fill level; stale as soon as it is read, so callers use it for
 * reports and wait conditions, never to size a copy.
 */
unsigned int mydemo_fifo_len(const struct mydemo_fifo *f)
{
	return mydemo_fifo_level(f, mydemo_fifo_size(f));
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_len);

/**
 * mydemo_fifo_read() - move bytes from the fifo into an iterator
 * @f: the fifo; the caller is its only reader until this returns
 * @to: destination, at most iov_iter_count(@to) bytes are taken
 * @len_before: set to the fill level before this call's move, counted with
 *	@in read after the move and a full barrier (see the top of this file),
 *	so that it may exceed the size by up to the bytes taken, when the
 *	writer filled the room at once; when nothing moved, the level seen
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
	/* Pairs with the writer's release: the bytes before @in are there. */
	unsigned int in = smp_load_acquire(&f->in);
	unsigned int out = f->out;
	unsigned int len, off, n, done = 0;
	struct page *page;
	size_t copied;

	ASSERT_EXCLUSIVE_WRITER(f->out);
	len = min_t(size_t, in - out, iov_iter_count(to));
	while (done < len) {
		n = mydemo_fifo_chunk(f, out + done, len - done, &page, &off);
		copied = mydemo_copy_page_to_iter(page, off, n, to);
		done += copied;
		if (copied < n)
			break;
	}

	if (done) {
		/* Pairs with the writer's acquire: these bytes are copied out. */
		smp_store_release(&f->out, out + done);
		smp_mb();	/* the move before the load of @in: see above */
		in = READ_ONCE(f->in);
	}
	*len_before = in - out;
	return done;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_read);

/**
 * mydemo_fifo_write() - move bytes from an iterator into the fifo
 * @f: the fifo; the caller is its only writer until this returns
 * @from: source, all of it for an atomic write
 * @atomic: all of @from or nothing: used for writes of at most the atomic
 *	size, so that they are never split or interleaved
 * @len_before: set to the fill level before this call's move, counted with
 *	@out read after the move and a full barrier (see the top of this
 *	file): 0 also when the reader has already taken some of these bytes;
 *	when nothing moved, the level seen
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
	/* Pairs with the reader's release: the bytes before @out are copied. */
	unsigned int out = smp_load_acquire(&f->out);
	unsigned int in = f->in;
	unsigned int room, want, off, n, done = 0;
	struct page *page;
	size_t copied;

	ASSERT_EXCLUSIVE_WRITER(f->in);
	*len_before = in - out;
	room = f->mask + 1 - (in - out);
	if (atomic && iov_iter_count(from) > room)
		return 0;
	want = min_t(size_t, iov_iter_count(from), room);
	while (done < want) {
		n = mydemo_fifo_chunk(f, in + done, want - done, &page, &off);
		copied = copy_page_from_iter(page, off, n, from);
		done += copied;
		if (copied < n)
			break;
	}

	if (done < want && (atomic || !done)) {
		iov_iter_revert(from, done);
		return -EFAULT;
	}
	if (done) {
		/* Pairs with the reader's acquire: these bytes are in. */
		smp_store_release(&f->in, in + done);
		smp_mb();	/* the move before the load of @out: see above */
		out = READ_ONCE(f->out);
		/* The reader may have taken some of these bytes already. */
		*len_before = (int)(in - out) > 0 ? in - out : 0;
		/* A level that was there when @out was loaded. */
		if (in + done - out > f->high)
			WRITE_ONCE(f->high, in + done - out);
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
	/* Pairs with the writer's release: the bytes before @in are there. */
	unsigned int in = smp_load_acquire(&f->in);
	unsigned int out = f->out;

	ASSERT_EXCLUSIVE_WRITER(f->out);
	/* Release: the writer may reuse the room once it sees this. */
	smp_store_release(&f->out, in);
	return in - out;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_discard);

/**
 * mydemo_fifo_resize() - move the contents into the pages of another fifo
 * @f: the fifo; the caller excludes every reader and writer
 * @spare: an empty fifo of the new size from mydemo_fifo_init(), made before
 *	the caller excluded anyone (up to 1024 pages, and allocating may
 *	sleep); on success it holds @f's old pages. The caller frees it with
 *	mydemo_fifo_free() once it has let them in again, either way.
 *
 * The indices stay as they are and each byte moves to its place in the new
 * ring, so a looker that reads the level meanwhile sees the one level there
 * is. The high watermark restarts from that level: a level seen in a larger
 * fifo says nothing about this one, and the watermark never exceeds the size.
 *
 * Return: 0, or -EBUSY when the contents do not fit in the new size; the
 * fifo is then unchanged.
 */
int mydemo_fifo_resize(struct mydemo_fifo *f, struct mydemo_fifo *spare)
{
	unsigned int len = f->in - f->out;
	unsigned int pos, n, soff, doff;
	struct page *src, *dst, **pages;
	unsigned int mask;

	if (len > spare->mask + 1)
		return -EBUSY;
	for (pos = f->out; pos != f->in; pos += n) {
		n = mydemo_fifo_chunk(f, pos, f->in - pos, &src, &soff);
		n = mydemo_fifo_chunk(spare, pos, n, &dst, &doff);
		memcpy_page(dst, doff, src, soff, n);
	}
	pages = f->pages;
	mask = f->mask;
	f->pages = spare->pages;
	WRITE_ONCE(f->mask, spare->mask);
	WRITE_ONCE(f->high, len);
	spare->pages = pages;
	spare->mask = mask;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_resize);

/**
 * mydemo_fifo_high() - the high watermark
 * @f: the fifo
 *
 * Return: the highest fill level seen since mydemo_fifo_init(), the last
 * resize or the last mydemo_fifo_reset_high(), as the writer saw it right
 * after its write (a reader running at once may make it lower than the
 * level was for an instant, never higher).
 */
unsigned int mydemo_fifo_high(const struct mydemo_fifo *f)
{
	return READ_ONCE(f->high);
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_high);

/**
 * mydemo_fifo_reset_high() - restart the high watermark from the level now
 * @f: the fifo; the caller excludes the writer
 */
void mydemo_fifo_reset_high(struct mydemo_fifo *f)
{
	WRITE_ONCE(f->high, mydemo_fifo_len(f));
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_reset_high);

/**
 * mydemo_fifo_peek() - copy the oldest bytes without taking them
 * @f: the fifo; the caller excludes other readers and resizing (writers may
 *	go on: they only add past what is copied here)
 * @buf: kernel buffer
 * @size: its size
 *
 * Return: bytes copied, min(@size, fill level).
 */
unsigned int mydemo_fifo_peek(const struct mydemo_fifo *f, void *buf,
			      unsigned int size)
{
	/* Pairs with the writer's release: the bytes before @in are there. */
	unsigned int in = smp_load_acquire(&f->in);
	unsigned int len = min(in - f->out, size);
	unsigned int off, n, done;
	struct page *page;

	for (done = 0; done < len; done += n) {
		n = mydemo_fifo_chunk(f, f->out + done, len - done, &page, &off);
		memcpy_from_page(buf + done, page, off, n);
	}
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(mydemo_fifo_peek);
