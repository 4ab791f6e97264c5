/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mydemo statistics (stats.c): the counters each direction keeps, the
 * sleepers' histograms, and the snapshot every report is made from.
 */
#ifndef _MYDEMO_STATS_H
#define _MYDEMO_STATS_H

#include <linux/atomic.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

struct mydemo_dev;

/**
 * struct mydemo_dir_stats - the counters of one direction
 * @syncp: keeps the 64-bit values whole for lockless readers on 32-bit
 * @bytes: bytes moved
 * @calls: read or write calls that moved at least one byte
 * @blocked: calls that had to sleep (once per call, however often)
 * @woke_peer: times this direction woke the other's sleepers (a read that
 *	made room for blocked writers, a write that gave data to blocked
 *	readers)
 * @faults: calls that failed with -EFAULT (or an injected copy fault); a
 *	call that moved some bytes first returns their count and is not one
 * @flushed: read side only: bytes discarded by MYDEMO_IOC_FLUSH
 *
 * The interrupt source keeps its own (struct mydemo_irq); the snapshot
 * adds them in.
 *
 * Updated only under the direction's mutex, which the I/O path holds anyway,
 * and each direction's counters sit on cache lines of their own next to
 * that mutex: an I/O dirties no line that it would not dirty without
 * statistics, and a reader and a writer on two CPUs never bounce a line of
 * counters between them. Readers of single counters (sysfs files) do not
 * take the mutex; @syncp keeps 64-bit values whole on 32-bit machines.
 */
struct mydemo_dir_stats {
	struct u64_stats_sync syncp;
	u64_stats_t bytes;
	u64_stats_t calls;
	u64_stats_t blocked;
	u64_stats_t woke_peer;
	u64_stats_t faults;
	u64_stats_t flushed;
};

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

/**
 * struct mydemo_snapshot - every counter and gauge of a device
 * @bytes_read: bytes read
 * @bytes_written: bytes written, by write() and by the interrupt source
 * @reads: read calls that returned data
 * @writes: write calls that wrote data
 * @reads_blocked: read calls that slept (once per call)
 * @writes_blocked: write calls that slept (once per call)
 * @reads_eagain: reads that failed with -EAGAIN
 * @writes_eagain: writes that failed with -EAGAIN
 * @read_wakeups: wake-ups of sleeping readers sent by writes
 * @write_wakeups: wake-ups of sleeping writers sent by reads
 * @sigio_sent: SIGIO signals sent, one per subscribed file per event
 * @faults: reads and writes that failed with -EFAULT
 * @irq_records: records the interrupt source stored
 * @overruns: records the interrupt source dropped
 * @bytes_flushed: bytes discarded by MYDEMO_IOC_FLUSH
 * @reads_interrupted: sleeps in read() ended by a signal
 * @writes_interrupted: sleeps in write() ended by a signal
 * @fifo_level: gauge: bytes in the fifo
 * @fifo_size: gauge: its size
 * @high_watermark: gauge: the highest level since creation, resize or reset
 * @waiting_readers: gauge: tasks asleep in read()
 * @waiting_writers: gauge: tasks asleep in write()
 *
 * What each value means for users: Documentation/ABI/testing/
 * sysfs-class-mydemo. The reports (the stat line, the statistics/ files,
 * MYDEMO_IOC_GET_STATS) are made from the lists in stats.c, which the build
 * checks against this structure and struct mydemo_stats.
 */
struct mydemo_snapshot {
	u64 bytes_read;
	u64 bytes_written;
	u64 reads;
	u64 writes;
	u64 reads_blocked;
	u64 writes_blocked;
	u64 reads_eagain;
	u64 writes_eagain;
	u64 read_wakeups;
	u64 write_wakeups;
	u64 sigio_sent;
	u64 faults;
	u64 irq_records;
	u64 overruns;
	u64 bytes_flushed;
	u64 reads_interrupted;
	u64 writes_interrupted;
	u64 fifo_level;
	u64 fifo_size;
	u64 high_watermark;
	u64 waiting_readers;
	u64 waiting_writers;
};

struct mydemo_stats;
struct attribute_group;

u64 mydemo_stat_read(const struct mydemo_dir_stats *s, const u64_stats_t *c);
int mydemo_snapshot(struct mydemo_dev *md, struct mydemo_snapshot *s,
		    bool consistent);
int mydemo_reset_stats(struct mydemo_dev *md);
void mydemo_stats_to_uapi(const struct mydemo_snapshot *s,
			  struct mydemo_stats *st);
int mydemo_stats_emit(const struct mydemo_snapshot *s, char *buf);
void mydemo_stats_init(void);
extern const struct attribute_group mydemo_stat_group;

#endif /* _MYDEMO_STATS_H */
