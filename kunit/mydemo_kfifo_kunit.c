// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the kfifo behaviour mydemo relies on and that upstream's
 * kfifo suite (new in 6.15) leaves out: wrap-around at every offset, indices
 * that run past UINT_MAX, the size kfifo_alloc() and kfifo_init() make of one
 * that is not a power of two, and kfifo_to_user()/kfifo_from_user() across
 * the wrap and against user memory that faults part-way.
 *
 * mydemo's fifo layer keeps a struct kfifo, sets it up with kfifo_init(),
 * and does its own user copies with the same rule as kfifo_to_user() and
 * kfifo_from_user(): an index moves only by the bytes that were copied. These
 * tests pin down that contract where kfifo defines it.
 *
 * Loops over offsets and lengths assert rather than expect: the first bad
 * combination ends the case and names itself, where hundreds of failed
 * expectations would bury it (and can lose kunit.py the result line).
 */
#include <kunit/test.h>
#include <linux/kfifo.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/uaccess.h>

/* Small enough to try every offset and every length exhaustively. */
#define KF_SIZE		16U
/* A user copy of this many bytes wraps for start offsets past 4. */
#define KF_LEN		12U

static void kf_exit(void *f)
{
	kfifo_free((struct kfifo *)f);
}

/* An empty byte kfifo freed when the test ends, whatever the outcome. */
static struct kfifo *kf_new(struct kunit *test, unsigned int size)
{
	struct kfifo *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_EQ(test, 0, kfifo_alloc(f, size, GFP_KERNEL));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, kf_exit, f));
	return f;
}

/*
 * Empty the fifo with both indices at @pos, as if @pos bytes had gone
 * through it: the only way to reach the index wrap at UINT_MAX in a test.
 */
static void kf_start_at(struct kfifo *f, unsigned int pos)
{
	f->kfifo.in = pos;
	f->kfifo.out = pos;
}

static void fill_pattern(u8 *buf, unsigned int len, unsigned int seed)
{
	unsigned int i;

	/* Distinct bytes within a fifo's length, different for each seed. */
	for (i = 0; i < len; i++)
		buf[i] = seed * 31 + i + 1;
}

/*
 * For every start offset of a 16-byte fifo and every length 1..16, the bytes
 * land at (offset + i) & mask, so that a write past the end wraps to the
 * start; len and avail follow every byte in and out; the bytes come out as
 * they went in. Once in one piece and out bytewise, once the other way round,
 * so that both kfifo_copy_in() and kfifo_copy_out() split at the end.
 */
static void kfifo_wrap_every_offset_test(struct kunit *test)
{
	struct kfifo *f = kf_new(test, KF_SIZE);
	u8 *data = f->kfifo.data;
	u8 in[KF_SIZE], out[KF_SIZE], b;
	unsigned int off, n, i;

	for (off = 0; off < KF_SIZE; off++) {
		for (n = 1; n <= KF_SIZE; n++) {
			fill_pattern(in, KF_SIZE, off);

			kf_start_at(f, off);
			memset(data, 0, KF_SIZE);
			KUNIT_ASSERT_EQ_MSG(test, n, kfifo_in(f, in, n),
					    "off %u len %u", off, n);
			KUNIT_ASSERT_EQ(test, n, kfifo_len(f));
			KUNIT_ASSERT_EQ(test, KF_SIZE - n, kfifo_avail(f));
			KUNIT_ASSERT_EQ(test, n == KF_SIZE, kfifo_is_full(f));
			for (i = 0; i < n; i++)
				KUNIT_ASSERT_EQ_MSG(test, in[i],
						    data[(off + i) % KF_SIZE],
						    "off %u len %u byte %u",
						    off, n, i);
			for (i = 0; i < n; i++) {
				KUNIT_ASSERT_EQ(test, 1, kfifo_out(f, &b, 1));
				KUNIT_ASSERT_EQ_MSG(test, in[i], b,
						    "off %u len %u byte %u",
						    off, n, i);
				KUNIT_ASSERT_EQ(test, n - i - 1, kfifo_len(f));
				KUNIT_ASSERT_EQ(test, KF_SIZE - (n - i - 1),
						kfifo_avail(f));
			}
			KUNIT_ASSERT_TRUE(test, kfifo_is_empty(f));

			kf_start_at(f, off);
			for (i = 0; i < n; i++) {
				KUNIT_ASSERT_EQ(test, 1, kfifo_in(f, &in[i], 1));
				KUNIT_ASSERT_EQ(test, i + 1, kfifo_len(f));
				KUNIT_ASSERT_EQ(test, KF_SIZE - (i + 1),
						kfifo_avail(f));
			}
			/* Full or not, only the room goes in. */
			KUNIT_ASSERT_EQ(test, KF_SIZE - n,
					kfifo_in(f, in, KF_SIZE));
			memset(out, 0, sizeof(out));
			KUNIT_ASSERT_EQ(test, KF_SIZE, kfifo_out(f, out, sizeof(out)));
			KUNIT_ASSERT_MEMEQ_MSG(test, in, out, n,
					       "off %u len %u", off, n);
			KUNIT_ASSERT_MEMEQ(test, in, out + n, KF_SIZE - n);
			KUNIT_ASSERT_EQ(test, 0, kfifo_len(f));
			KUNIT_ASSERT_EQ(test, KF_SIZE, kfifo_avail(f));
		}
	}
}

/*
 * The indices run free and wrap at UINT_MAX + 1, a multiple of every fifo
 * size; in - out stays the fill level when in has wrapped and out not yet.
 * mydemo's fifo layer does that subtraction itself.
 */
static void kfifo_index_wrap_test(struct kunit *test)
{
	struct kfifo *f = kf_new(test, KF_SIZE);
	u8 in[KF_SIZE], out[KF_SIZE];
	unsigned int start, i;

	for (i = 0; i <= 2 * KF_SIZE; i++) {
		start = UINT_MAX - KF_SIZE + i;
		fill_pattern(in, KF_SIZE, i);
		kf_start_at(f, start);
		KUNIT_ASSERT_EQ(test, KF_SIZE, kfifo_in(f, in, KF_SIZE));
		KUNIT_ASSERT_EQ_MSG(test, start + KF_SIZE, f->kfifo.in,
				    "start %u", start);
		KUNIT_ASSERT_EQ(test, KF_SIZE, kfifo_len(f));
		KUNIT_ASSERT_EQ(test, 0, kfifo_avail(f));
		KUNIT_ASSERT_EQ(test, 0, kfifo_in(f, in, 1));
		KUNIT_ASSERT_EQ(test, 5, kfifo_out(f, out, 5));
		KUNIT_ASSERT_EQ(test, KF_SIZE - 5, kfifo_len(f));
		KUNIT_ASSERT_EQ(test, KF_SIZE - 5, kfifo_out(f, out + 5, KF_SIZE));
		KUNIT_ASSERT_MEMEQ_MSG(test, in, out, KF_SIZE, "start %u", start);
		KUNIT_ASSERT_TRUE(test, kfifo_is_empty(f));
	}
}

/*
 * kfifo only works with power-of-two sizes. kfifo_alloc() rounds other sizes
 * up (it allocates the buffer itself, so it can make it bigger);
 * kfifo_init() rounds them down (the buffer is the caller's: it must not run
 * past its end), and the rest of the buffer is never used. Both count
 * elements, not bytes.
 *
 * mydemo depends on kfifo_init(): its buffers come from kvmalloc(), so that
 * a 4 MiB fifo needs no physically contiguous memory. It only ever passes
 * powers of two (mydemo_fifo_size_valid()), which kfifo_init() keeps as
 * they are; it refuses other sizes rather than let kfifo_init() silently
 * shrink the fifo below the size that was asked for.
 */
static void kfifo_size_rounding_test(struct kunit *test)
{
	static const struct {
		unsigned int size, alloc, init;
	} cases[] = {
		{ 2, 2, 2 }, { 3, 4, 2 }, { 5, 8, 4 }, { 63, 64, 32 },
		{ 64, 64, 64 }, { 65, 128, 64 }, { 100, 128, 64 },
		{ 127, 128, 64 }, { 4095, 4096, 2048 }, { 4096, 4096, 4096 },
		{ 4097, 8192, 4096 },
	};
	DECLARE_KFIFO_PTR(words, u32);
	struct kfifo *f;
	unsigned int i;
	u8 *buf, *src;

	buf = kunit_kzalloc(test, 4097, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	src = kunit_kzalloc(test, 4097, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_ASSERT_EQ(test, 0, kfifo_alloc(f, cases[i].size, GFP_KERNEL));
		KUNIT_EXPECT_EQ_MSG(test, cases[i].alloc, kfifo_size(f),
				    "kfifo_alloc(%u)", cases[i].size);
		kfifo_free(f);

		KUNIT_ASSERT_EQ(test, 0, kfifo_init(f, buf, cases[i].size));
		KUNIT_EXPECT_EQ_MSG(test, cases[i].init, kfifo_size(f),
				    "kfifo_init(%u)", cases[i].size);
		/* What goes in is what fits in the rounded size, no more. */
		KUNIT_EXPECT_EQ(test, cases[i].init,
				kfifo_in(f, src, cases[i].size));
	}

	/* Too small for the index trick: refused. */
	KUNIT_EXPECT_EQ(test, -EINVAL, kfifo_alloc(f, 1, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, -EINVAL, kfifo_init(f, buf, 1));

	/* 100 bytes hold 25 u32s; rounded down to 16. */
	KUNIT_ASSERT_EQ(test, 0, kfifo_init(&words, buf, 100));
	KUNIT_EXPECT_EQ(test, 16, kfifo_size(&words));
	KUNIT_EXPECT_EQ(test, sizeof(u32), kfifo_esize(&words));
	KUNIT_ASSERT_EQ(test, 0, kfifo_alloc(&words, 100, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, 128, kfifo_size(&words));
	kfifo_free(&words);
}

/*
 * User memory for the copy tests: two pages, and a guard in place of the
 * second, so that a copy running over the end of the first faults at a
 * known byte. The guard is either a hole (no VMA at all) or a PROT_NONE
 * mapping (a VMA that refuses access): two ways through the fault handler.
 */
struct guard_kind {
	bool prot_none;
	const char *desc;
};

static const struct guard_kind guard_kinds[] = {
	{ false, "unmapped" },
	{ true, "PROT_NONE" },
};

KUNIT_ARRAY_PARAM_DESC(guard_kinds, guard_kinds, desc);

static u8 __user *user_pages(struct kunit *test, bool prot_none)
{
	unsigned long addr, guard;

	addr = kunit_vm_mmap(test, NULL, 0, 2 * PAGE_SIZE,
			     PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, addr, 0, "no user memory");
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	if (prot_none) {
		guard = kunit_vm_mmap(test, NULL, addr + PAGE_SIZE, PAGE_SIZE,
				      PROT_NONE,
				      MAP_ANONYMOUS | MAP_PRIVATE | MAP_FIXED, 0);
		KUNIT_ASSERT_EQ(test, addr + PAGE_SIZE, guard);
	} else {
		KUNIT_ASSERT_EQ(test, 0, vm_munmap(addr + PAGE_SIZE, PAGE_SIZE));
	}
	return (u8 __user *)addr;
}

/*
 * Whole copies across the wrap point: at every start offset, 12 bytes go
 * from user memory into the fifo and back out to user memory unchanged; a
 * copy bigger than the room or the contents is cut to it, without an error.
 */
static void kfifo_user_wrap_test(struct kunit *test)
{
	struct kfifo *f = kf_new(test, KF_SIZE);
	u8 __user *u = user_pages(test, false);
	u8 in[KF_SIZE], out[KF_SIZE];
	unsigned int off, copied;

	for (off = 0; off < KF_SIZE; off++) {
		fill_pattern(in, KF_SIZE, off);
		KUNIT_ASSERT_EQ(test, 0, copy_to_user(u, in, KF_SIZE));
		kf_start_at(f, off);

		KUNIT_ASSERT_EQ(test, 0, kfifo_from_user(f, u, KF_LEN, &copied));
		KUNIT_ASSERT_EQ_MSG(test, KF_LEN, copied, "off %u", off);
		KUNIT_ASSERT_EQ(test, off + KF_LEN, f->kfifo.in);
		KUNIT_ASSERT_EQ(test, KF_LEN, kfifo_len(f));

		KUNIT_ASSERT_EQ(test, 0, clear_user(u + PAGE_SIZE / 2, KF_SIZE));
		KUNIT_ASSERT_EQ(test, 0, kfifo_to_user(f, u + PAGE_SIZE / 2,
						       KF_SIZE, &copied));
		KUNIT_ASSERT_EQ(test, KF_LEN, copied);
		KUNIT_ASSERT_EQ(test, off + KF_LEN, f->kfifo.out);
		KUNIT_ASSERT_EQ(test, 0, copy_from_user(out, u + PAGE_SIZE / 2,
							KF_SIZE));
		KUNIT_ASSERT_MEMEQ_MSG(test, in, out, KF_LEN, "off %u", off);

		/* Room for 16 only, whatever the length asked for. */
		KUNIT_ASSERT_EQ(test, 0, kfifo_from_user(f, u, PAGE_SIZE, &copied));
		KUNIT_ASSERT_EQ(test, KF_SIZE, copied);
		KUNIT_ASSERT_TRUE(test, kfifo_is_full(f));
		KUNIT_ASSERT_EQ(test, 0, kfifo_to_user(f, u + PAGE_SIZE / 2,
						       PAGE_SIZE / 2, &copied));
		KUNIT_ASSERT_EQ(test, KF_SIZE, copied);
		KUNIT_ASSERT_EQ(test, 0, copy_from_user(out, u + PAGE_SIZE / 2,
							KF_SIZE));
		KUNIT_ASSERT_MEMEQ(test, in, out, KF_SIZE);
	}
}

/*
 * kfifo_from_user() from a buffer with k readable bytes before the guard,
 * for every start offset and every k: the fault lands before, at and after
 * the fifo's wrap point. -EFAULT unless all 12 bytes could be read; copied
 * is k; in moves by k, out not at all; the k bytes read out in order.
 */
static void kfifo_from_user_fault_test(struct kunit *test)
{
	const struct guard_kind *g = test->param_value;
	struct kfifo *f = kf_new(test, KF_SIZE);
	u8 __user *u = user_pages(test, g->prot_none);
	u8 in[KF_LEN], out[KF_SIZE];
	unsigned int off, k, copied;
	u8 __user *src;
	int ret;

	for (off = 0; off < KF_SIZE; off++) {
		for (k = 0; k <= KF_LEN; k++) {
			fill_pattern(in, KF_LEN, off + k);
			src = u + PAGE_SIZE - k;
			KUNIT_ASSERT_EQ(test, 0, copy_to_user(src, in, k));
			kf_start_at(f, off);

			/*
			 * An int: kfifo_from_user() returns 0 or -EFAULT but
			 * as an unsigned int (its __must_check helper), so a
			 * caller that tests it for < 0 never sees the fault.
			 */
			copied = ~0U;
			ret = kfifo_from_user(f, src, KF_LEN, &copied);
			KUNIT_ASSERT_EQ_MSG(test, k < KF_LEN ? -EFAULT : 0, ret,
					    "off %u fault after %u", off, k);
			KUNIT_ASSERT_EQ_MSG(test, k, copied,
					    "off %u fault after %u", off, k);
			KUNIT_ASSERT_EQ_MSG(test, off + k, f->kfifo.in,
					    "off %u fault after %u", off, k);
			KUNIT_ASSERT_EQ(test, off, f->kfifo.out);
			KUNIT_ASSERT_EQ(test, k, kfifo_out(f, out, sizeof(out)));
			KUNIT_ASSERT_MEMEQ_MSG(test, in, out, k,
					       "off %u fault after %u", off, k);
		}
	}
}

/*
 * kfifo_to_user() into a buffer with room for k bytes before the guard,
 * 12 bytes in the fifo, for every start offset and every k: -EFAULT unless
 * all 12 went; copied is k; out moves by k, in not at all; the k bytes are
 * in user memory and the other 12 - k still in the fifo, in order.
 */
static void kfifo_to_user_fault_test(struct kunit *test)
{
	const struct guard_kind *g = test->param_value;
	struct kfifo *f = kf_new(test, KF_SIZE);
	u8 __user *u = user_pages(test, g->prot_none);
	u8 in[KF_LEN], out[KF_SIZE];
	unsigned int off, k, copied;
	u8 __user *dst;
	int ret;

	for (off = 0; off < KF_SIZE; off++) {
		for (k = 0; k <= KF_LEN; k++) {
			fill_pattern(in, KF_LEN, off + k);
			dst = u + PAGE_SIZE - k;
			KUNIT_ASSERT_EQ(test, 0, clear_user(dst, k));
			kf_start_at(f, off);
			KUNIT_ASSERT_EQ(test, KF_LEN, kfifo_in(f, in, KF_LEN));

			copied = ~0U;
			ret = kfifo_to_user(f, dst, KF_LEN, &copied);
			KUNIT_ASSERT_EQ_MSG(test, k < KF_LEN ? -EFAULT : 0, ret,
					    "off %u fault after %u", off, k);
			KUNIT_ASSERT_EQ_MSG(test, k, copied,
					    "off %u fault after %u", off, k);
			KUNIT_ASSERT_EQ_MSG(test, off + k, f->kfifo.out,
					    "off %u fault after %u", off, k);
			KUNIT_ASSERT_EQ(test, off + KF_LEN, f->kfifo.in);
			KUNIT_ASSERT_EQ(test, 0, copy_from_user(out, dst, k));
			KUNIT_ASSERT_MEMEQ_MSG(test, in, out, k,
					       "off %u fault after %u", off, k);
			KUNIT_ASSERT_EQ(test, KF_LEN - k,
					kfifo_out(f, out, sizeof(out)));
			KUNIT_ASSERT_MEMEQ_MSG(test, in + k, out, KF_LEN - k,
					       "off %u fault after %u", off, k);
		}
	}
}

static struct kunit_case mydemo_kfifo_cases[] = {
	KUNIT_CASE(kfifo_wrap_every_offset_test),
	KUNIT_CASE(kfifo_index_wrap_test),
	KUNIT_CASE(kfifo_size_rounding_test),
	KUNIT_CASE(kfifo_user_wrap_test),
	KUNIT_CASE_PARAM(kfifo_from_user_fault_test, guard_kinds_gen_params),
	KUNIT_CASE_PARAM(kfifo_to_user_fault_test, guard_kinds_gen_params),
	{}
};

static struct kunit_suite mydemo_kfifo_suite = {
	.name = "mydemo_kfifo",
	.test_cases = mydemo_kfifo_cases,
};

kunit_test_suite(mydemo_kfifo_suite);
