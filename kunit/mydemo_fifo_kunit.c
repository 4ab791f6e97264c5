// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for mydemo's fifo (drivers/mydemo/fifo.c): wrap-around at
 * every offset and across the indices' wrap at UINT_MAX, all-or-nothing
 * atomic writes, partial reads, copies from and to user memory that fault
 * part-way without losing or inventing a byte, discarding, resizing with
 * contents, and a reader and a writer running at once on the lockless ring.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/mm.h>
#include <linux/uio.h>
#include <linux/uaccess.h>

#include "../drivers/mydemo/fifo.h"
#include "../drivers/mydemo/notify.h"

#define SMALL	MYDEMO_FIFO_MIN
/* A fifo bigger than the atomic size, which is then ATOMIC. */
#define BIG	65536U
#define ATOMIC	MYDEMO_ATOMIC_MAX

static void fifo_exit(void *f)
{
	mydemo_fifo_free(f);
}

/* A fifo freed when the test ends, whatever the outcome. */
static struct mydemo_fifo *fifo_new(struct kunit *test, unsigned int size)
{
	struct mydemo_fifo *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_EQ(test, 0, mydemo_fifo_init(f, size));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, fifo_exit, f));
	return f;
}

/*
 * A resize as the driver does one: a spare fifo of the new size made first
 * (which refuses a bad size), then freed with whichever pages the fifo did
 * not keep.
 */
static int resize(struct mydemo_fifo *f, unsigned int size)
{
	struct mydemo_fifo spare;
	int ret;

	ret = mydemo_fifo_init(&spare, size);
	if (ret)
		return ret;
	ret = mydemo_fifo_resize(f, &spare);
	mydemo_fifo_free(&spare);
	return ret;
}

static ssize_t put(struct mydemo_fifo *f, const void *buf, size_t len,
		   bool atomic, unsigned int *before)
{
	struct kvec kv = { .iov_base = (void *)buf, .iov_len = len };
	struct iov_iter it;

	iov_iter_kvec(&it, ITER_SOURCE, &kv, 1, len);
	return mydemo_fifo_write(f, &it, atomic, before);
}

static size_t get(struct mydemo_fifo *f, void *buf, size_t len,
		  unsigned int *before)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct iov_iter it;

	iov_iter_kvec(&it, ITER_DEST, &kv, 1, len);
	return mydemo_fifo_read(f, &it, before);
}

/*
 * The loops over offsets and levels below assert rather than expect: the
 * first bad combination ends the case and names itself, where hundreds of
 * failed expectations would bury it (and can lose kunit.py the result line).
 */

/*
 * Empty @f with both indices at @pos, as if @pos bytes had gone through:
 * puts the wrap point anywhere, and reaches the index wrap at UINT_MAX.
 */
static void fifo_start_at(struct mydemo_fifo *f, unsigned int pos)
{
	f->in = pos;
	f->out = pos;
}

static void fill_pattern(u8 *buf, unsigned int len, unsigned int seed)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		buf[i] = seed * 31 + i + 1;
}

static void fifo_size_valid_test(struct kunit *test)
{
	static const struct {
		unsigned long size;
		bool ok;
	} cases[] = {
		{ 0, false }, { 1, false }, { 32, false }, { 63, false },
		{ 64, true }, { 65, false }, { 96, false }, { 4096, true },
		{ 65536, true }, { 4U << 20, true }, { (4U << 20) + 1, false },
		{ 8U << 20, false }, { ULONG_MAX, false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test, cases[i].ok,
				    mydemo_fifo_size_valid(cases[i].size),
				    "size %lu", cases[i].size);
}

static void fifo_init_test(struct kunit *test)
{
	struct mydemo_fifo f;
	struct mydemo_fifo *g;

	/* Not a power of two: refused, not rounded. */
	KUNIT_EXPECT_EQ(test, -EINVAL, mydemo_fifo_init(&f, 100));

	g = fifo_new(test, SMALL);
	KUNIT_EXPECT_EQ(test, SMALL, mydemo_fifo_size(g));
	KUNIT_EXPECT_EQ(test, SMALL, mydemo_fifo_atomic_size(g));
	KUNIT_EXPECT_EQ(test, 0, mydemo_fifo_len(g));

	g = fifo_new(test, 65536);
	KUNIT_EXPECT_EQ(test, 4096, mydemo_fifo_atomic_size(g));
}

/*
 * For every start offset of a 64-byte fifo, a 50-byte write (which wraps for
 * offsets past 14) reads back identical, and the levels seen are right.
 */
static void fifo_wrap_every_offset_test(struct kunit *test)
{
	u8 in[50], out[SMALL], junk[SMALL];
	unsigned int off, i, before;
	struct mydemo_fifo *f;

	for (off = 0; off < SMALL; off++) {
		f = fifo_new(test, SMALL);
		KUNIT_ASSERT_EQ(test, off, put(f, junk, off, false, &before));
		KUNIT_ASSERT_EQ(test, off, get(f, junk, off, &before));
		KUNIT_ASSERT_EQ(test, off, before);

		for (i = 0; i < sizeof(in); i++)
			in[i] = off * 31 + i;
		KUNIT_EXPECT_EQ(test, sizeof(in), put(f, in, sizeof(in), true, &before));
		KUNIT_EXPECT_EQ(test, 0, before);
		KUNIT_EXPECT_EQ(test, sizeof(in), mydemo_fifo_len(f));

		memset(out, 0, sizeof(out));
		KUNIT_EXPECT_EQ(test, sizeof(in), get(f, out, sizeof(out), &before));
		KUNIT_EXPECT_EQ(test, sizeof(in), before);
		KUNIT_EXPECT_MEMEQ_MSG(test, in, out, sizeof(in), "offset %u", off);
		KUNIT_EXPECT_EQ(test, 0, mydemo_fifo_len(f));
	}
}

/* An atomic write goes in whole or not at all; a plain one fills the room. */
static void fifo_atomic_write_test(struct kunit *test)
{
	struct mydemo_fifo *f = fifo_new(test, SMALL);
	u8 buf[SMALL] = { 0 };
	unsigned int before;

	KUNIT_ASSERT_EQ(test, 60, put(f, buf, 60, true, &before));
	KUNIT_EXPECT_EQ(test, 0, put(f, buf, 5, true, &before));
	KUNIT_EXPECT_EQ(test, 60, before);
	KUNIT_EXPECT_EQ(test, 60, mydemo_fifo_len(f));
	KUNIT_EXPECT_EQ(test, 4, put(f, buf, 5, false, &before));
	KUNIT_EXPECT_EQ(test, SMALL, mydemo_fifo_len(f));
	/* Full: nothing goes in either way. */
	KUNIT_EXPECT_EQ(test, 0, put(f, buf, 1, false, &before));
	KUNIT_EXPECT_EQ(test, 0, put(f, buf, 1, true, &before));
}

/*
 * At every fill level of a 64-byte fifo, an atomic write of every size up to
 * the atomic size (here the whole fifo) goes in whole when it fits and not
 * at all when it does not: the fifo keeps its level, the iterator its
 * bytes (the caller retries with it after sleeping). The start offset
 * changes with each pair, so the write wraps at many different places.
 */
static void fifo_atomic_every_level_test(struct kunit *test)
{
	struct mydemo_fifo *f = fifo_new(test, SMALL);
	u8 old[SMALL], in[SMALL], out[2 * SMALL];
	unsigned int level, w, before;
	struct iov_iter it;
	struct kvec kv;
	bool fits;
	ssize_t ret;

	KUNIT_ASSERT_EQ(test, SMALL, mydemo_fifo_atomic_size(f));
	for (level = 0; level <= SMALL; level++) {
		for (w = 1; w <= SMALL; w++) {
			fill_pattern(old, level, level);
			fill_pattern(in, w, 100 + w);
			fifo_start_at(f, level * 7 + w * 3);
			KUNIT_ASSERT_EQ(test, level,
					put(f, old, level, false, &before));

			kv.iov_base = in;
			kv.iov_len = w;
			iov_iter_kvec(&it, ITER_SOURCE, &kv, 1, w);
			ret = mydemo_fifo_write(f, &it, true, &before);
			fits = w <= SMALL - level;
			KUNIT_ASSERT_EQ_MSG(test, fits ? w : 0, ret,
					    "level %u write %u", level, w);
			KUNIT_ASSERT_EQ(test, fits ? 0 : w, iov_iter_count(&it));
			KUNIT_ASSERT_EQ(test, level, before);
			KUNIT_ASSERT_EQ_MSG(test, level + (fits ? w : 0),
					    mydemo_fifo_len(f),
					    "level %u write %u", level, w);

			KUNIT_ASSERT_EQ(test, level + (fits ? w : 0),
					get(f, out, sizeof(out), &before));
			KUNIT_ASSERT_MEMEQ(test, old, out, level);
			if (fits)
				KUNIT_ASSERT_MEMEQ_MSG(test, in, out + level, w,
						       "level %u write %u",
						       level, w);
		}
	}
}

/*
 * In a 64 KiB fifo the atomic size (4096) is smaller than the fifo: at each
 * fill level around those where writes of 4096, 4095 and 1 bytes stop
 * fitting, they go in whole or not at all.
 */
static void fifo_atomic_boundary_test(struct kunit *test)
{
	static const unsigned int levels[] = {
		BIG - ATOMIC - 2, BIG - ATOMIC - 1, BIG - ATOMIC,
		BIG - ATOMIC + 1, BIG - ATOMIC + 2, BIG - 2, BIG - 1, BIG,
	};
	static const unsigned int writes[] = { ATOMIC, ATOMIC - 1, 1 };
	struct mydemo_fifo *f = fifo_new(test, BIG);
	unsigned int i, j, level, w, before, expect;
	u8 *old, *in, *out;

	KUNIT_ASSERT_EQ(test, ATOMIC, mydemo_fifo_atomic_size(f));
	old = kunit_kmalloc(test, BIG, GFP_KERNEL);
	in = kunit_kmalloc(test, ATOMIC, GFP_KERNEL);
	out = kunit_kmalloc(test, BIG, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, old);
	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, out);
	fill_pattern(old, BIG, 1);
	fill_pattern(in, ATOMIC, 2);

	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		for (j = 0; j < ARRAY_SIZE(writes); j++) {
			level = levels[i];
			w = writes[j];
			fifo_start_at(f, level * 13);
			KUNIT_ASSERT_EQ(test, level,
					put(f, old, level, false, &before));
			expect = w <= BIG - level ? w : 0;
			KUNIT_ASSERT_EQ_MSG(test, expect,
					    put(f, in, w, true, &before),
					    "level %u write %u", level, w);
			KUNIT_ASSERT_EQ(test, level + expect, mydemo_fifo_len(f));
			KUNIT_ASSERT_EQ(test, level + expect,
					get(f, out, BIG, &before));
			KUNIT_ASSERT_MEMEQ(test, old, out, level);
			KUNIT_ASSERT_MEMEQ(test, in, out + level, expect);
		}
	}
}

/*
 * The fifo layer does its own index arithmetic (in - out, in + done, & mask)
 * on free-running indices: across their wrap at UINT_MAX a wrapping write
 * and a read in two parts still see the right levels and bytes.
 */
static void fifo_index_wrap_test(struct kunit *test)
{
	struct mydemo_fifo *f = fifo_new(test, SMALL);
	u8 in[50], out[50];
	unsigned int i, start, before;

	for (i = 0; i <= 2 * SMALL; i++) {
		start = UINT_MAX - SMALL + i;
		fill_pattern(in, sizeof(in), i);
		fifo_start_at(f, start);
		KUNIT_ASSERT_EQ(test, 10, put(f, in, 10, true, &before));
		KUNIT_ASSERT_EQ_MSG(test, 40,
				    put(f, in + 10, 40, true, &before),
				    "start %u", start);
		KUNIT_ASSERT_EQ(test, 10, before);
		/* Room for 14 more, however the indices compare. */
		KUNIT_ASSERT_EQ(test, 0, put(f, in, 15, true, &before));
		KUNIT_ASSERT_EQ(test, 50, mydemo_fifo_len(f));
		KUNIT_ASSERT_EQ(test, 20, get(f, out, 20, &before));
		KUNIT_ASSERT_EQ(test, 50, before);
		KUNIT_ASSERT_EQ(test, 30, get(f, out + 20, 30, &before));
		KUNIT_ASSERT_EQ(test, 30, before);
		KUNIT_ASSERT_MEMEQ_MSG(test, in, out, sizeof(in), "start %u",
				       start);
		KUNIT_ASSERT_EQ(test, start + 50, f->out);
	}
}

/* A short read takes the oldest bytes and leaves the rest in order. */
static void fifo_partial_read_test(struct kunit *test)
{
	struct mydemo_fifo *f = fifo_new(test, SMALL);
	u8 in[30], out[30];
	unsigned int i, before;

	for (i = 0; i < sizeof(in); i++)
		in[i] = i + 1;
	KUNIT_ASSERT_EQ(test, sizeof(in), put(f, in, sizeof(in), true, &before));
	KUNIT_EXPECT_EQ(test, 10, get(f, out, 10, &before));
	KUNIT_EXPECT_MEMEQ(test, in, out, 10);
	KUNIT_EXPECT_EQ(test, 20, mydemo_fifo_len(f));
	KUNIT_EXPECT_EQ(test, 20, get(f, out + 10, 20, &before));
	KUNIT_EXPECT_MEMEQ(test, in, out, sizeof(in));
	/* Empty: nothing to read, and the level says why. */
	KUNIT_EXPECT_EQ(test, 0, get(f, out, 1, &before));
	KUNIT_EXPECT_EQ(test, 0, before);
}

/*
 * User memory for the fault tests: two pages, the second unmapped again, so
 * that a buffer running over the end of the first faults at a known byte.
 */
static char __user *user_page(struct kunit *test)
{
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, 0, 2 * PAGE_SIZE,
			     PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, addr, 0, "no user memory");
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	KUNIT_ASSERT_EQ(test, 0, vm_munmap(addr + PAGE_SIZE, PAGE_SIZE));
	return (char __user *)addr;
}

/* A read into a buffer that faults after 10 bytes takes exactly those 10. */
static void fifo_user_read_fault_test(struct kunit *test)
{
	struct mydemo_fifo *f = fifo_new(test, SMALL);
	char __user *u = user_page(test);
	char __user *tail = u + PAGE_SIZE - 10;
	u8 in[30], out[30];
	unsigned int i, before;
	struct iov_iter it;

	for (i = 0; i < sizeof(in); i++)
		in[i] = 0x40 + i;
	KUNIT_ASSERT_EQ(test, sizeof(in), put(f, in, sizeof(in), true, &before));

	iov_iter_ubuf(&it, ITER_DEST, tail, sizeof(in));
	KUNIT_EXPECT_EQ(test, 10, mydemo_fifo_read(f, &it, &before));
	KUNIT_EXPECT_EQ(test, 20, mydemo_fifo_len(f));
	KUNIT_ASSERT_EQ(test, 0, copy_from_user(out, tail, 10));
	KUNIT_EXPECT_MEMEQ(test, in, out, 10);

	/* Faulting at once takes nothing; the data was there (before != 0). */
	iov_iter_ubuf(&it, ITER_DEST, u + PAGE_SIZE, 5);
	KUNIT_EXPECT_EQ(test, 0, mydemo_fifo_read(f, &it, &before));
	KUNIT_EXPECT_EQ(test, 20, before);

	KUNIT_EXPECT_EQ(test, 20, get(f, out + 10, 20, &before));
	KUNIT_EXPECT_MEMEQ(test, in, out, sizeof(in));
}

/*
 * A write from a buffer that faults after 10 bytes: an atomic write commits
 * nothing, a plain one commits the 10 bytes it could copy.
 */
static void fifo_user_write_fault_test(struct kunit *test)
{
	struct mydemo_fifo *f = fifo_new(test, SMALL);
	char __user *u = user_page(test);
	char __user *tail = u + PAGE_SIZE - 10;
	u8 in[10], out[SMALL];
	unsigned int i, before;
	struct iov_iter it;

	for (i = 0; i < sizeof(in); i++)
		in[i] = 0x70 + i;
	KUNIT_ASSERT_EQ(test, 0, copy_to_user(tail, in, sizeof(in)));

	iov_iter_ubuf(&it, ITER_SOURCE, tail, 30);
	KUNIT_EXPECT_EQ(test, -EFAULT, mydemo_fifo_write(f, &it, true, &before));
	KUNIT_EXPECT_EQ(test, 0, mydemo_fifo_len(f));

	iov_iter_ubuf(&it, ITER_SOURCE, tail, 30);
	KUNIT_EXPECT_EQ(test, 10, mydemo_fifo_write(f, &it, false, &before));
	KUNIT_EXPECT_EQ(test, 10, mydemo_fifo_len(f));
	KUNIT_EXPECT_EQ(test, 10, get(f, out, sizeof(out), &before));
	KUNIT_EXPECT_MEMEQ(test, in, out, sizeof(in));

	/* Nothing readable at all: -EFAULT either way, fifo untouched. */
	iov_iter_ubuf(&it, ITER_SOURCE, u + PAGE_SIZE, 5);
	KUNIT_EXPECT_EQ(test, -EFAULT, mydemo_fifo_write(f, &it, false, &before));
	KUNIT_EXPECT_EQ(test, 0, mydemo_fifo_len(f));
}

/* Discarding empties the fifo and says how much went. */
static void fifo_discard_test(struct kunit *test)
{
	struct mydemo_fifo *f = fifo_new(test, SMALL);
	u8 buf[40] = { 0 };
	unsigned int before;

	KUNIT_ASSERT_EQ(test, 40, put(f, buf, 40, true, &before));
	KUNIT_EXPECT_EQ(test, 40, mydemo_fifo_discard(f));
	KUNIT_EXPECT_EQ(test, 0, mydemo_fifo_len(f));
	KUNIT_EXPECT_EQ(test, 0, mydemo_fifo_discard(f));
	/* The room is back. */
	KUNIT_EXPECT_EQ(test, SMALL, put(f, buf, SMALL, false, &before));
}

/*
 * Discarding wrapped contents at every offset and fill level: all of them
 * go, the write side's index stays where it was, and the fifo takes and
 * gives back a full load afterwards.
 */
static void fifo_discard_wrapped_test(struct kunit *test)
{
	struct mydemo_fifo *f = fifo_new(test, SMALL);
	u8 in[SMALL], out[SMALL];
	unsigned int off, len, before;

	for (off = 0; off < SMALL; off++) {
		for (len = 0; len <= SMALL; len++) {
			fill_pattern(in, SMALL, off + len);
			fifo_start_at(f, off);
			KUNIT_ASSERT_EQ(test, len, put(f, in, len, false, &before));
			KUNIT_ASSERT_EQ_MSG(test, len, mydemo_fifo_discard(f),
					    "off %u len %u", off, len);
			KUNIT_ASSERT_EQ(test, 0, mydemo_fifo_len(f));
			KUNIT_ASSERT_EQ(test, off + len, f->in);
			KUNIT_ASSERT_EQ(test, 0, get(f, out, 1, &before));

			KUNIT_ASSERT_EQ(test, SMALL, put(f, in, SMALL, true, &before));
			KUNIT_ASSERT_EQ(test, 0, before);
			KUNIT_ASSERT_EQ(test, SMALL, get(f, out, SMALL, &before));
			KUNIT_ASSERT_MEMEQ_MSG(test, in, out, SMALL,
					       "off %u len %u", off, len);
		}
	}
}

/*
 * Check that @f holds exactly @len bytes, those of @in, and then works as
 * an empty fifo of @size: it takes @size bytes, not one more, and gives them
 * back in order. That catches indices left inconsistent with the buffer.
 */
static void expect_contents(struct kunit *test, struct mydemo_fifo *f,
			    unsigned int size, const u8 *in, unsigned int len,
			    const char *what, unsigned int off)
{
	u8 *buf = kunit_kmalloc(test, 2 * size + 1, GFP_KERNEL);
	unsigned int before;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ_MSG(test, size, mydemo_fifo_size(f), "%s off %u len %u",
			    what, off, len);
	KUNIT_ASSERT_EQ_MSG(test, len, mydemo_fifo_len(f), "%s off %u len %u",
			    what, off, len);
	KUNIT_ASSERT_EQ(test, len, get(f, buf, size + 1, &before));
	KUNIT_ASSERT_MEMEQ_MSG(test, in, buf, len, "%s off %u len %u",
			       what, off, len);

	fill_pattern(buf, size + 1, off);
	KUNIT_ASSERT_EQ(test, size, put(f, buf, size + 1, false, &before));
	KUNIT_ASSERT_EQ(test, 0, put(f, buf, 1, false, &before));
	KUNIT_ASSERT_EQ(test, size, get(f, buf + size, size + 1, &before));
	KUNIT_ASSERT_MEMEQ(test, buf, buf + size, size);
	kunit_kfree(test, buf);
}

/*
 * Resizing with contents that start at every offset of the old buffer, so
 * that they wrap at every place: growing 64 -> 128 and shrinking 128 -> 64
 * keep them in order and leave a working fifo of the new size; shrinking
 * below the contents fails with -EBUSY and leaves the fifo as it was.
 */
static void fifo_resize_wrapped_test(struct kunit *test)
{
	static const unsigned int lens[] = { 0, 1, 33, 63, 64, 65, 127, 128 };
	struct mydemo_fifo *f = fifo_new(test, SMALL);
	unsigned int off, i, len, before;
	u8 in[2 * SMALL];

	for (off = 0; off < 2 * SMALL; off++) {
		for (i = 0; i < ARRAY_SIZE(lens); i++) {
			len = lens[i];
			fill_pattern(in, len, off + len);

			if (len <= SMALL && off < SMALL) {
				KUNIT_ASSERT_EQ(test, 0, resize(f, SMALL));
				fifo_start_at(f, off);
				KUNIT_ASSERT_EQ(test, len,
						put(f, in, len, false, &before));
				KUNIT_ASSERT_EQ_MSG(test, 0,
						    resize(f, 2 * SMALL),
						    "grow off %u len %u", off, len);
				/* The indices stay: lookers see one level. */
				KUNIT_ASSERT_EQ(test, off, f->out);
				KUNIT_ASSERT_EQ(test, off + len, f->in);
				expect_contents(test, f, 2 * SMALL, in, len,
						"grow", off);
			}

			KUNIT_ASSERT_EQ(test, 0, resize(f, 2 * SMALL));
			fifo_start_at(f, off);
			KUNIT_ASSERT_EQ(test, len, put(f, in, len, false, &before));
			if (len <= SMALL) {
				KUNIT_ASSERT_EQ_MSG(test, 0,
						    resize(f, SMALL),
						    "shrink off %u len %u", off, len);
				expect_contents(test, f, SMALL, in, len,
						"shrink", off);
			} else {
				KUNIT_ASSERT_EQ_MSG(test, -EBUSY,
						    resize(f, SMALL),
						    "shrink off %u len %u", off, len);
				KUNIT_ASSERT_EQ(test, off, f->out);
				expect_contents(test, f, 2 * SMALL, in, len,
						"refused shrink", off);
			}
		}
	}
}

/* Sizes the fifo layer refuses, contents or not, leaving the fifo alone. */
static void fifo_resize_einval_test(struct kunit *test)
{
	static const unsigned int sizes[] = {
		0, 1, 2, 32, 63, 65, 96, 100, 4095, MYDEMO_FIFO_MAX + 1,
		MYDEMO_FIFO_MAX * 2, UINT_MAX,
	};
	struct mydemo_fifo *f = fifo_new(test, SMALL);
	unsigned int i, before;
	u8 in[40];

	fill_pattern(in, sizeof(in), 7);
	fifo_start_at(f, 50);
	KUNIT_ASSERT_EQ(test, sizeof(in), put(f, in, sizeof(in), true, &before));
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		KUNIT_EXPECT_EQ_MSG(test, -EINVAL,
				    resize(f, sizes[i]),
				    "size %u", sizes[i]);
		KUNIT_EXPECT_EQ(test, 50, f->out);
	}
	expect_contents(test, f, SMALL, in, sizeof(in), "einval", 50);
}

/*
 * Resizing keeps wrapped-around contents in order, refuses sizes the
 * contents do not fit in, and leaves the fifo alone when it refuses.
 */
static void fifo_resize_test(struct kunit *test)
{
	struct mydemo_fifo *f = fifo_new(test, SMALL);
	u8 in[50], out[128], junk[40];
	unsigned int i, before;

	/* Move the indices so that the 50 bytes wrap around the end. */
	KUNIT_ASSERT_EQ(test, 40, put(f, junk, 40, true, &before));
	KUNIT_ASSERT_EQ(test, 40, get(f, junk, 40, &before));
	for (i = 0; i < sizeof(in); i++)
		in[i] = 0xa0 + i;
	KUNIT_ASSERT_EQ(test, sizeof(in), put(f, in, sizeof(in), true, &before));

	KUNIT_EXPECT_EQ(test, -EINVAL, resize(f, 100));
	KUNIT_EXPECT_EQ(test, -EINVAL, resize(f, 32));
	KUNIT_EXPECT_EQ(test, SMALL, mydemo_fifo_size(f));

	KUNIT_ASSERT_EQ(test, 0, resize(f, 128));
	KUNIT_EXPECT_EQ(test, 128, mydemo_fifo_size(f));
	KUNIT_EXPECT_EQ(test, 128, mydemo_fifo_atomic_size(f));
	KUNIT_EXPECT_EQ(test, sizeof(in), mydemo_fifo_len(f));
	/* Room for exactly 128 - 50 more. */
	KUNIT_EXPECT_EQ(test, 78, put(f, out, sizeof(out), false, &before));
	KUNIT_EXPECT_EQ(test, 128, mydemo_fifo_len(f));
	KUNIT_EXPECT_EQ(test, -EBUSY, resize(f, SMALL));
	KUNIT_EXPECT_EQ(test, 128, mydemo_fifo_size(f));
	KUNIT_EXPECT_EQ(test, sizeof(in), get(f, out, sizeof(in), &before));
	KUNIT_EXPECT_MEMEQ(test, in, out, sizeof(in));
}

/*
 * The high watermark: the highest level any write reached, unchanged by
 * reads, discards and failed writes, restarted from the level by a reset.
 */
static void fifo_high_watermark_test(struct kunit *test)
{
	struct mydemo_fifo *f = fifo_new(test, 64);
	unsigned int before;
	u8 buf[64] = { 0 };

	KUNIT_EXPECT_EQ(test, 0U, mydemo_fifo_high(f));
	KUNIT_ASSERT_EQ(test, 40, put(f, buf, 40, true, &before));
	KUNIT_EXPECT_EQ(test, 40U, mydemo_fifo_high(f));
	KUNIT_ASSERT_EQ(test, 30U, get(f, buf, 30, &before));
	KUNIT_EXPECT_EQ(test, 40U, mydemo_fifo_high(f));
	/* 10 + 20 = 30 stays below the mark. */
	KUNIT_ASSERT_EQ(test, 20, put(f, buf, 20, true, &before));
	KUNIT_EXPECT_EQ(test, 40U, mydemo_fifo_high(f));
	/* A refused atomic write (35 > 34 free) does not move it. */
	KUNIT_ASSERT_EQ(test, 0, put(f, buf, 35, true, &before));
	KUNIT_EXPECT_EQ(test, 40U, mydemo_fifo_high(f));
	/* A non-atomic write fills up: 64. */
	KUNIT_ASSERT_EQ(test, 34, put(f, buf, 64, false, &before));
	KUNIT_EXPECT_EQ(test, 64U, mydemo_fifo_high(f));
	mydemo_fifo_discard(f);
	KUNIT_EXPECT_EQ(test, 64U, mydemo_fifo_high(f));
	KUNIT_ASSERT_EQ(test, 5, put(f, buf, 5, true, &before));
	mydemo_fifo_reset_high(f);
	KUNIT_EXPECT_EQ(test, 5U, mydemo_fifo_high(f));
}

/* peek copies the oldest bytes in order, across the wrap, taking none. */
static void fifo_peek_test(struct kunit *test)
{
	struct mydemo_fifo *f = fifo_new(test, 64);
	u8 in[48], out[64];
	unsigned int pos, before;

	fill_pattern(in, sizeof(in), 7);
	for (pos = 0; pos < 64; pos++) {
		fifo_start_at(f, pos);
		KUNIT_EXPECT_EQ(test, 0U, mydemo_fifo_peek(f, out, sizeof(out)));
		KUNIT_ASSERT_EQ(test, sizeof(in), put(f, in, sizeof(in), true,
						      &before));
		memset(out, 0, sizeof(out));
		/* A smaller buffer gets the oldest bytes. */
		KUNIT_ASSERT_EQ(test, 10U, mydemo_fifo_peek(f, out, 10));
		KUNIT_ASSERT_EQ(test, 0, memcmp(in, out, 10));
		KUNIT_ASSERT_EQ(test, sizeof(in),
				mydemo_fifo_peek(f, out, sizeof(out)));
		KUNIT_ASSERT_EQ(test, 0, memcmp(in, out, sizeof(in)));
		KUNIT_ASSERT_EQ(test, sizeof(in), mydemo_fifo_len(f));
		/* And the bytes are still there to be read. */
		memset(out, 0, sizeof(out));
		KUNIT_ASSERT_EQ(test, sizeof(in), get(f, out, sizeof(out), &before));
		KUNIT_ASSERT_EQ(test, 0, memcmp(in, out, sizeof(in)));
	}
}

/*
 * A writer thread and this test as the reader, at once, on a small ring:
 * every byte arrives once and in order, and the levels each side reports
 * stay within what the other side can have done meanwhile. On an SMP
 * kernel the two run on two CPUs; under KCSAN any unmarked access to the
 * indices shows up as a race; a publishing store that overtook its copy
 * shows up here as a wrong byte.
 */
#ifdef CONFIG_KCSAN
/* KCSAN watches one access in thousands (skip_watch): give it many. */
#define SPSC_BYTES	(16U << 20)
#else
#define SPSC_BYTES	(256U << 10)
#endif
#define SPSC_SIZE	256U

struct spsc {
	struct mydemo_fifo *f;
	struct task_struct *writer;
	const char *error;	/* the writer's first complaint */
	unsigned int bad;	/* with the value it saw */
	bool done;		/* the writer has put in every byte */
};

static u8 spsc_byte(unsigned int pos)
{
	return pos * 7 + (pos >> 8);
}

/* Chunk lengths that vary, cross the wrap and sometimes exceed the room. */
static unsigned int spsc_chunk(unsigned int i)
{
	return 1 + (i * 37) % (SPSC_SIZE / 2 + 7);
}

static int spsc_writer(void *data)
{
	struct spsc *s = data;
	unsigned int pos = 0, i = 0, before, k, n;
	u8 buf[SPSC_SIZE / 2 + 7];
	ssize_t ret;

	while (pos < SPSC_BYTES && !kthread_should_stop()) {
		n = min(spsc_chunk(i++), SPSC_BYTES - pos);
		for (k = 0; k < n; k++)
			buf[k] = spsc_byte(pos + k);
		ret = put(s->f, buf, n, i & 1, &before);
		if (ret < 0 || before > SPSC_SIZE ||
		    mydemo_fifo_len(s->f) > SPSC_SIZE) {
			s->error = "write failed or level above the size";
			s->bad = ret < 0 ? -ret : before;
			break;
		}
		pos += ret;
		if (!ret)
			usleep_range(10, 20);	/* full: let the reader run */
	}
	if (pos == SPSC_BYTES)	/* release: every byte is in before this */
		smp_store_release(&s->done, true);
	/* Stay until stopped, so kthread_stop() finds the thread. */
	while (!kthread_should_stop())
		schedule_timeout_idle(1);
	return 0;
}

static void spsc_stop(void *data)
{
	struct spsc *s = data;

	kthread_stop(s->writer);
	put_task_struct(s->writer);
}

static void fifo_spsc_concurrent_test(struct kunit *test)
{
	struct spsc *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	unsigned int pos = 0, before, k, n;
	bool done = false;
	u8 buf[SPSC_SIZE];

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->f = fifo_new(test, SPSC_SIZE);
	s->writer = kthread_run(spsc_writer, s, "mydemo-spsc");
	KUNIT_ASSERT_FALSE(test, IS_ERR(s->writer));
	get_task_struct(s->writer);
	/* Registered after the fifo: the writer stops before it is freed. */
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, spsc_stop, s));

	while (pos < SPSC_BYTES) {
		n = get(s->f, buf, 1 + pos % sizeof(buf), &before);
		KUNIT_ASSERT_PTR_EQ_MSG(test, NULL, s->error, "writer: %u",
					s->bad);
		for (k = 0; k < n; k++)
			KUNIT_ASSERT_EQ_MSG(test, spsc_byte(pos + k), buf[k],
					    "byte %u", pos + k);
		/* It took n bytes that were there before: */
		KUNIT_ASSERT_GE_MSG(test, before, n, "at %u", pos);
		/* and the writer can have refilled at most what it took. */
		KUNIT_ASSERT_LE_MSG(test, before, SPSC_SIZE + n, "at %u", pos);
		pos += n;
		if (n)
			continue;
		/*
		 * Empty. If the writer had finished before this read, the
		 * rest was there: a byte was lost.
		 */
		KUNIT_ASSERT_FALSE_MSG(test, done, "bytes after %u lost", pos);
		/* Pairs with the writer's release. */
		done = smp_load_acquire(&s->done);
		if (!done)
			usleep_range(10, 20);	/* let the writer run */
	}
	KUNIT_EXPECT_EQ(test, 0U, mydemo_fifo_len(s->f));
	KUNIT_EXPECT_LE(test, mydemo_fifo_high(s->f), SPSC_SIZE);
}

/*
 * The writers' edge (notify.h) on the levels the fifo reports: room means
 * atomic_size bytes free; a reader's level before its move, which exceeds
 * the size when the writer refilled at once, means no room (it must not
 * wrap around to plenty).
 */
static void fifo_room_ok_test(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, mydemo_room_ok(BIG, 0));
	KUNIT_EXPECT_TRUE(test, mydemo_room_ok(BIG, BIG - ATOMIC));
	KUNIT_EXPECT_FALSE(test, mydemo_room_ok(BIG, BIG - ATOMIC + 1));
	KUNIT_EXPECT_FALSE(test, mydemo_room_ok(BIG, BIG));
	KUNIT_EXPECT_FALSE(test, mydemo_room_ok(BIG, BIG + 100));
	/* A fifo smaller than the atomic size: room means empty. */
	KUNIT_EXPECT_TRUE(test, mydemo_room_ok(SMALL, 0));
	KUNIT_EXPECT_FALSE(test, mydemo_room_ok(SMALL, 1));
	KUNIT_EXPECT_FALSE(test, mydemo_room_ok(SMALL, SMALL + 10));
}

static struct kunit_case mydemo_fifo_cases[] = {
	KUNIT_CASE(fifo_size_valid_test),
	KUNIT_CASE(fifo_init_test),
	KUNIT_CASE(fifo_wrap_every_offset_test),
	KUNIT_CASE(fifo_atomic_write_test),
	KUNIT_CASE(fifo_atomic_every_level_test),
	KUNIT_CASE(fifo_atomic_boundary_test),
	KUNIT_CASE(fifo_index_wrap_test),
	KUNIT_CASE(fifo_partial_read_test),
	KUNIT_CASE(fifo_user_read_fault_test),
	KUNIT_CASE(fifo_user_write_fault_test),
	KUNIT_CASE(fifo_discard_test),
	KUNIT_CASE(fifo_discard_wrapped_test),
	KUNIT_CASE(fifo_resize_test),
	KUNIT_CASE(fifo_resize_wrapped_test),
	KUNIT_CASE(fifo_resize_einval_test),
	KUNIT_CASE(fifo_high_watermark_test),
	KUNIT_CASE(fifo_peek_test),
	KUNIT_CASE(fifo_room_ok_test),
	KUNIT_CASE_SLOW(fifo_spsc_concurrent_test),
	{}
};

static struct kunit_suite mydemo_fifo_suite = {
	.name = "mydemo_fifo",
	.test_cases = mydemo_fifo_cases,
};

kunit_test_suite(mydemo_fifo_suite);

MODULE_DESCRIPTION("KUnit tests for mydemo: fifo, interrupt ring");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
