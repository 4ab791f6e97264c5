/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mydemo statistics (stats.c): the counters each direction keeps, the
 * sleepers' histograms, and the one list every report is made from. The
 * lists are expanded in stats.c only.
 */
#ifndef _MYDEMO_STATS_H
#define _MYDEMO_STATS_H

#include <linux/atomic.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

struct mydemo_dev;

/*
 * The counters of one direction, struct mydemo_dir_stats, X(name):
 *   bytes        bytes moved
 *   calls        read or write calls that moved at least one byte
 *   blocked      calls that had to sleep (once per call, however often)
 *   woke_peer    times this direction woke the other's sleepers (a read
 *                that made room for blocked writers, a write that gave
 *                data to blocked readers)
 *   faults       calls that failed with -EFAULT (or an injected copy
 *                fault); a call that moved some bytes first returns their
 *                count and is not one
 *   flushed      read side only: bytes discarded by MYDEMO_IOC_FLUSH
 *
 * The interrupt source keeps its own (struct mydemo_irq); the snapshot
 * adds them in.
 *
 * Updated only under the direction's mutex, which the I/O path holds anyway,
 * and each direction's counters sit on cache lines of their own next to
 * that mutex: an I/O dirties no line that it would not dirty without
 * statistics, and a reader and a writer on two CPUs never bounce a line of
 * counters between them. Readers of single counters (sysfs files) do not
 * take the mutex; the u64_stats sequence (syncp) keeps 64-bit values whole
 * on 32-bit machines.
 */
#define MYDEMO_DIR_COUNTERS(X)						\
	X(bytes) X(calls) X(blocked) X(woke_peer) X(faults) X(flushed)

#define MYDEMO_DIR_FIELD(name) u64_stats_t name;
struct mydemo_dir_stats {
	struct u64_stats_sync syncp;

	MYDEMO_DIR_COUNTERS(MYDEMO_DIR_FIELD)
};

#undef MYDEMO_DIR_FIELD

/* log2 buckets of nanoseconds: [2^i, 2^(i+1)) ns, the last one open. */
#define MYDEMO_LAT_BUCKETS	40

/**
 * struct mydemo_wait_stats - how long sleepers slept, per direction
 * @slept: time from going to sleep in read()/write() to running again
 * @wake: time from the wake-up call to running again (scheduling delay)
 * @interrupted: waits ended by a signal (the call then returns -ERESTARTSYS
 *	or the bytes it had already written)
 * @waiting: tasks asleep now
 *
 * Changed only when a task has slept, never on the I/O fast path, so plain
 * atomics cost nothing measurable here.
 */
struct mydemo_wait_stats {
	atomic64_t slept[MYDEMO_LAT_BUCKETS];
	atomic64_t wake[MYDEMO_LAT_BUCKETS];
	atomic64_t interrupted;
	atomic_t waiting;
};

/*
 * Every value of a device's snapshot (struct mydemo_snapshot), in the order
 * of the sysfs "stat" file, which is an ABI
 * (Documentation/ABI/testing/sysfs-class-mydemo):
 *   COUNTER(name)  a counter: a file statistics/<name>, a field of struct
 *                  mydemo_stats (MYDEMO_IOC_GET_STATS), zeroed by a reset
 *   GAUGE(name)    how things are now; high_watermark is in struct
 *                  mydemo_stats too (ioctl.c)
 * A new counter is one line here, a field appended to struct mydemo_stats,
 * and its value in mydemo_snapshot(); the build fails without the field.
 */
#define MYDEMO_SNAPSHOT(COUNTER, GAUGE)					\
	COUNTER(bytes_read) COUNTER(bytes_written)			\
	COUNTER(reads) COUNTER(writes)					\
	COUNTER(reads_blocked) COUNTER(writes_blocked)			\
	COUNTER(reads_eagain) COUNTER(writes_eagain)			\
	COUNTER(read_wakeups) COUNTER(write_wakeups)			\
	COUNTER(sigio_sent) COUNTER(faults)				\
	COUNTER(irq_records) COUNTER(overruns)				\
	COUNTER(bytes_flushed)						\
	COUNTER(reads_interrupted) COUNTER(writes_interrupted)		\
	GAUGE(fifo_level) GAUGE(fifo_size) GAUGE(high_watermark)	\
	GAUGE(waiting_readers) GAUGE(waiting_writers)

#define MYDEMO_SNAPSHOT_FIELD(name) u64 name;
struct mydemo_snapshot {
	MYDEMO_SNAPSHOT(MYDEMO_SNAPSHOT_FIELD, MYDEMO_SNAPSHOT_FIELD)
};

#undef MYDEMO_SNAPSHOT_FIELD

struct mydemo_stats;
struct attribute_group;

u64 mydemo_stat_read(const struct mydemo_dir_stats *s, const u64_stats_t *c);
int mydemo_snapshot(struct mydemo_dev *md, struct mydemo_snapshot *s,
		    bool consistent);
int mydemo_reset_stats(struct mydemo_dev *md);
void mydemo_stats_to_uapi(const struct mydemo_snapshot *s,
			  struct mydemo_stats *st);
int mydemo_stats_emit(const struct mydemo_snapshot *s, char *buf);
extern const struct attribute_group mydemo_stat_group;

#endif /* _MYDEMO_STATS_H */
