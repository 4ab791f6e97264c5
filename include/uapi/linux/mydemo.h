/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mydemo: the user-space API of the /dev/mydemoN fifo devices.
 *
 * Every structure has the same layout for 32- and 64-bit programs (fixed
 * width fields, 64-bit fields 8-byte aligned, explicit padding), so 32-bit
 * programs use the same ioctls on a 64-bit kernel. Usable from C and C++.
 */
#ifndef _UAPI_LINUX_MYDEMO_H
#define _UAPI_LINUX_MYDEMO_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define MYDEMO_IOC_MAGIC	0xE7

/**
 * struct mydemo_info - MYDEMO_IOC_GET_INFO
 * @fifo_size: capacity in bytes
 * @fifo_level: bytes in the fifo when the ioctl ran
 * @atomic_size: writes of at most this many bytes are never split
 * @minor: the device's minor number (N in /dev/mydemoN)
 * @irq_rate: rate of the simulated interrupt source in Hz, 0 when off
 * @reserved: zero
 */
struct mydemo_info {
	__u32 fifo_size;
	__u32 fifo_level;
	__u32 atomic_size;
	__u32 minor;
	__u32 irq_rate;
	__u32 reserved[3];
};

/* struct mydemo_stats.version: bumped when fields are appended. */
#define MYDEMO_STATS_VERSION	2

/**
 * struct mydemo_stats - MYDEMO_IOC_GET_STATS: the device's counters
 * @version: %MYDEMO_STATS_VERSION of the kernel that filled it in
 * @size: bytes the kernel filled in (sizeof(struct mydemo_stats) as it knew it)
 * @bytes_read: bytes read
 * @bytes_written: bytes written (by write(2) and by the interrupt source)
 * @reads: read calls that returned data
 * @writes: write calls that wrote data
 * @reads_blocked: read calls that slept waiting for data (once per call)
 * @writes_blocked: write calls that slept waiting for room (once per call)
 * @reads_eagain: reads that failed with EAGAIN (a non-blocking read of an
 *	empty fifo, or an IOCB_NOWAIT read that found the fifo busy)
 * @writes_eagain: writes that failed with EAGAIN (a partial write is not
 *	one: it returns its count)
 * @read_wakeups: wake-ups of sleeping readers sent by writes
 * @write_wakeups: wake-ups of sleeping writers sent by reads
 * @irq_records: records the interrupt source put in the fifo
 * @overruns: records the interrupt source dropped: fifo or buffer full
 * @sigio_sent: SIGIO signals sent, one per subscribed file per event
 *	(version 2 and later, as all below)
 * @faults: reads and writes that failed with EFAULT (a partial copy is not
 *	one: it returns its count)
 * @bytes_flushed: bytes discarded by %MYDEMO_IOC_FLUSH
 * @reads_interrupted: sleeps in read ended by a signal
 * @writes_interrupted: sleeps in write ended by a signal
 * @high_watermark: the highest fill level, in bytes, since the device was
 *	created, resized or its counters reset
 *
 * New fields are only ever appended. The ioctl number encodes the size of
 * the structure a program was built with; the kernel accepts every size from
 * version 1's on, fills in what it knows up to that size and zeroes the
 * rest, and says in @size how many bytes it filled in. So programs built
 * against an older or a newer header keep working.
 */
struct mydemo_stats {
	__u32 version;
	__u32 size;
	__u64 bytes_read;
	__u64 bytes_written;
	__u64 reads;
	__u64 writes;
	__u64 reads_blocked;
	__u64 writes_blocked;
	__u64 reads_eagain;
	__u64 writes_eagain;
	__u64 read_wakeups;
	__u64 write_wakeups;
	__u64 irq_records;
	__u64 overruns;
	__u64 sigio_sent;
	__u64 faults;
	__u64 bytes_flushed;
	__u64 reads_interrupted;
	__u64 writes_interrupted;
	__u64 high_watermark;
};

/* sizeof(struct mydemo_stats) in version 1: the smallest size accepted. */
#define MYDEMO_STATS_SIZE_V1	104

/**
 * struct mydemo_irq_record - what the simulated interrupt source writes
 * @seq: record number since the source was switched on, from 0
 * @timestamp_ns: CLOCK_MONOTONIC time of the interrupt, in ns
 *
 * Records are written whole (they are smaller than atomic_size); a gap in
 * @seq is a record dropped as an overrun.
 */
struct mydemo_irq_record {
	__u64 seq;
	__u64 timestamp_ns;
};

/* Any open file; *arg gets the info / the counters. */
#define MYDEMO_IOC_GET_INFO	_IOR(MYDEMO_IOC_MAGIC, 1, struct mydemo_info)
#define MYDEMO_IOC_GET_STATS	_IOR(MYDEMO_IOC_MAGIC, 2, struct mydemo_stats)
/* A file open for writing: zero the counters / discard the contents. */
#define MYDEMO_IOC_RESET_STATS	_IO(MYDEMO_IOC_MAGIC, 3)
#define MYDEMO_IOC_FLUSH	_IO(MYDEMO_IOC_MAGIC, 4)
/*
 * CAP_SYS_ADMIN: resize the fifo to *arg bytes (a power of two in
 * 64..4194304), keeping its contents; EBUSY if they do not fit.
 */
#define MYDEMO_IOC_SET_SIZE	_IOW(MYDEMO_IOC_MAGIC, 5, __u32)
/* CAP_SYS_ADMIN: interrupt source rate in Hz (1..10000), 0 stops it. */
#define MYDEMO_IOC_SET_IRQ_RATE	_IOW(MYDEMO_IOC_MAGIC, 6, __u32)

#endif /* _UAPI_LINUX_MYDEMO_H */
