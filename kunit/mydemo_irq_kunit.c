// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the ring of the simulated interrupt source (irq.c): the
 * top half pushes records in hard-irq context, the bottom half pops them all.
 * The timer and the work item are left out: the tests call the two ring
 * functions directly, under the lock as their callers do, and check what
 * a reader of the fifo relies on: records in order, a full ring dropping
 * the newest and counting it, a gap in the sequence numbers for each drop,
 * and all of that unchanged when the free-running indices wrap at UINT_MAX.
 */
#include <kunit/test.h>
#include <linux/spinlock.h>

#include "../drivers/mydemo/mydemo.h"

#define RING	MYDEMO_IRQ_RING

static struct mydemo_irq *irq_new(struct kunit *test)
{
	struct mydemo_irq *irq = kunit_kzalloc(test, sizeof(*irq), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, irq);
	raw_spin_lock_init(&irq->lock);
	return irq;
}

/* Push @n records as @n interrupts would; return how many were stored. */
static unsigned int push(struct mydemo_irq *irq, unsigned int n)
{
	unsigned int stored = 0;
	unsigned long flags;

	while (n--) {
		raw_spin_lock_irqsave(&irq->lock, flags);
		stored += mydemo_irq_ring_push(irq);
		raw_spin_unlock_irqrestore(&irq->lock, flags);
	}
	return stored;
}

static unsigned int pop(struct mydemo_irq *irq, struct mydemo_irq_record *recs)
{
	unsigned int n;

	raw_spin_lock_irq(&irq->lock);
	n = mydemo_irq_ring_pop(irq, recs);
	raw_spin_unlock_irq(&irq->lock);
	return n;
}

/*
 * Records 0..n-1 of @recs carry the sequence numbers @seq, @seq + 1, ...
 * and times that never go back. The first wrong record ends the case: one
 * message says more than a page of them.
 */
static void expect_records(struct kunit *test,
			   const struct mydemo_irq_record *recs,
			   unsigned int n, u64 seq)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ_MSG(test, seq + i, recs[i].seq, "record %u", i);
		if (i)
			KUNIT_ASSERT_GE(test, recs[i].timestamp_ns,
					recs[i - 1].timestamp_ns);
	}
}

/* A ring filled to the brim drains completely, oldest first. */
static void irq_ring_fill_drain_test(struct kunit *test)
{
	struct mydemo_irq *irq = irq_new(test);
	struct mydemo_irq_record recs[RING];

	KUNIT_EXPECT_EQ(test, 0, pop(irq, recs));
	KUNIT_EXPECT_EQ(test, RING, push(irq, RING));
	KUNIT_EXPECT_EQ(test, RING, irq->head - irq->tail);
	KUNIT_EXPECT_EQ(test, 0, irq->ring_drops);

	memset(recs, 0xff, sizeof(recs));
	KUNIT_ASSERT_EQ(test, RING, pop(irq, recs));
	expect_records(test, recs, RING, 0);
	KUNIT_EXPECT_GT(test, recs[0].timestamp_ns, 0);
	KUNIT_EXPECT_EQ(test, irq->head, irq->tail);
	KUNIT_EXPECT_EQ(test, 0, pop(irq, recs));

	/* Emptied, it takes a full ring again, numbered on. */
	KUNIT_EXPECT_EQ(test, RING, push(irq, RING));
	KUNIT_ASSERT_EQ(test, RING, pop(irq, recs));
	expect_records(test, recs, RING, RING);
}

/*
 * A full ring drops the newest records (the device had nowhere to put
 * them), counts each, and still numbers them: the reader sees the gap.
 * Draining does not reset the count.
 */
static void irq_ring_full_drops_test(struct kunit *test)
{
	struct mydemo_irq *irq = irq_new(test);
	struct mydemo_irq_record recs[RING];

	KUNIT_EXPECT_EQ(test, RING, push(irq, RING + 5));
	KUNIT_EXPECT_EQ(test, 5, irq->ring_drops);
	KUNIT_EXPECT_EQ(test, RING + 5, irq->seq);
	KUNIT_EXPECT_EQ(test, RING, irq->head - irq->tail);

	KUNIT_ASSERT_EQ(test, RING, pop(irq, recs));
	expect_records(test, recs, RING, 0);
	KUNIT_EXPECT_EQ(test, 5, irq->ring_drops);

	KUNIT_EXPECT_EQ(test, 3, push(irq, 3));
	KUNIT_ASSERT_EQ(test, 3, pop(irq, recs));
	expect_records(test, recs, 3, RING + 5);
	KUNIT_EXPECT_EQ(test, 5, irq->ring_drops);
}

/*
 * Bursts of every size from 0 to one over the ring, each drained by one
 * bottom half: the slots wrap round the ring at a different place each
 * time and nothing is lost but the one record too many.
 */
static void irq_ring_bursts_test(struct kunit *test)
{
	struct mydemo_irq *irq = irq_new(test);
	struct mydemo_irq_record recs[RING];
	unsigned int n, got;
	u64 seq = 0, drops = 0;

	for (n = 0; n <= RING + 1; n++) {
		got = push(irq, n);
		KUNIT_EXPECT_EQ(test, min_t(unsigned int, n, RING), got);
		KUNIT_ASSERT_EQ(test, got, pop(irq, recs));
		expect_records(test, recs, got, seq);
		seq += n;
		drops += n - got;
		KUNIT_EXPECT_EQ(test, drops, irq->ring_drops);
	}
	KUNIT_EXPECT_EQ(test, seq, irq->seq);
}

/*
 * head and tail run free: starting at every point near UINT_MAX, a full
 * ring, a drop and a drain behave as anywhere else. This holds because
 * UINT_MAX + 1 is a multiple of the ring's size, so slot head % RING moves
 * on by one across the wrap.
 */
static void irq_ring_index_wrap_test(struct kunit *test)
{
	struct mydemo_irq *irq = irq_new(test);
	struct mydemo_irq_record recs[RING];
	unsigned int i, start;
	u64 seq;

	for (i = 0; i <= 2 * RING + 2; i++) {
		start = UINT_MAX - RING - 1 + i;
		irq->head = start;
		irq->tail = start;
		seq = irq->seq;

		KUNIT_EXPECT_EQ_MSG(test, RING - 1, push(irq, RING - 1),
				    "start %u", start);
		KUNIT_EXPECT_EQ(test, 1, push(irq, 2));
		KUNIT_EXPECT_EQ_MSG(test, RING, irq->head - irq->tail,
				    "start %u", start);
		KUNIT_EXPECT_EQ(test, start + RING, irq->head);
		KUNIT_ASSERT_EQ_MSG(test, RING, pop(irq, recs),
				    "start %u", start);
		expect_records(test, recs, RING, seq);
		KUNIT_EXPECT_EQ(test, start + RING, irq->tail);
		KUNIT_EXPECT_EQ(test, i + 1, irq->ring_drops);
	}
}

static struct kunit_case mydemo_irq_ring_cases[] = {
	KUNIT_CASE(irq_ring_fill_drain_test),
	KUNIT_CASE(irq_ring_full_drops_test),
	KUNIT_CASE(irq_ring_bursts_test),
	KUNIT_CASE(irq_ring_index_wrap_test),
	{}
};

static struct kunit_suite mydemo_irq_ring_suite = {
	.name = "mydemo_irq_ring",
	.test_cases = mydemo_irq_ring_cases,
};

kunit_test_suite(mydemo_irq_ring_suite);
