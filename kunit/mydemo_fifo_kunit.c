// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for mydemo's fifo layer (drivers/mydemo/fifo.c) and the kfifo
 * behaviour it relies on: wrap-around at every offset, all-or-nothing atomic
 * writes, partial reads, copies from and to user memory that fault part-way
 * without losing or inventing a byte, discarding, and resizing with contents.
 */
#include <kunit/test.h>
#include <linux/mman.h>
#include <linux/mm.h>
#include <linux/uio.h>
#include <linux/uaccess.h>

#include "../drivers/mydemo/fifo.h"

#define SMALL	MYDEMO_FIFO_MIN

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

	/* kfifo would round 100 down to 64; the fifo layer refuses instead. */
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

	KUNIT_EXPECT_EQ(test, -EINVAL, mydemo_fifo_resize(f, 100));
	KUNIT_EXPECT_EQ(test, -EINVAL, mydemo_fifo_resize(f, 32));
	KUNIT_EXPECT_EQ(test, SMALL, mydemo_fifo_size(f));

	KUNIT_ASSERT_EQ(test, 0, mydemo_fifo_resize(f, 128));
	KUNIT_EXPECT_EQ(test, 128, mydemo_fifo_size(f));
	KUNIT_EXPECT_EQ(test, 128, mydemo_fifo_atomic_size(f));
	KUNIT_EXPECT_EQ(test, sizeof(in), mydemo_fifo_len(f));
	/* Room for exactly 128 - 50 more. */
	KUNIT_EXPECT_EQ(test, 78, put(f, out, sizeof(out), false, &before));
	KUNIT_EXPECT_EQ(test, 128, mydemo_fifo_len(f));
	KUNIT_EXPECT_EQ(test, -EBUSY, mydemo_fifo_resize(f, SMALL));
	KUNIT_EXPECT_EQ(test, 128, mydemo_fifo_size(f));
	KUNIT_EXPECT_EQ(test, sizeof(in), get(f, out, sizeof(in), &before));
	KUNIT_EXPECT_MEMEQ(test, in, out, sizeof(in));
}

static struct kunit_case mydemo_fifo_cases[] = {
	KUNIT_CASE(fifo_size_valid_test),
	KUNIT_CASE(fifo_init_test),
	KUNIT_CASE(fifo_wrap_every_offset_test),
	KUNIT_CASE(fifo_atomic_write_test),
	KUNIT_CASE(fifo_partial_read_test),
	KUNIT_CASE(fifo_user_read_fault_test),
	KUNIT_CASE(fifo_user_write_fault_test),
	KUNIT_CASE(fifo_discard_test),
	KUNIT_CASE(fifo_resize_test),
	{}
};

static struct kunit_suite mydemo_fifo_suite = {
	.name = "mydemo_fifo",
	.test_cases = mydemo_fifo_cases,
};

kunit_test_suite(mydemo_fifo_suite);

MODULE_DESCRIPTION("KUnit tests for the mydemo fifo layer");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
