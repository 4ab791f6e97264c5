/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mydemo tracepoints: `trace-cmd record -e mydemo` (or
 * /sys/kernel/tracing/events/mydemo/) shows every open, I/O call, sleep,
 * wake-up, SIGIO, interrupt and overrun of every device.
 *
 * Events that share a shape are classes. A tracepoint runs with preemption
 * disabled, where a spinlock_t (a sleeping lock on PREEMPT_RT) must not be
 * taken: values that need a lock to read (the fill level, the size) are
 * passed in by the caller, which reads them under
 * trace_<event>_enabled() so that a disabled event still costs only a
 * patched-out branch.
 * Enumerations are printed through __print_symbolic() with plain numbers so
 * that trace-cmd can decode them without TRACE_DEFINE_ENUM.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mydemo

#if !defined(_MYDEMO_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MYDEMO_TRACE_H

#include <linux/tracepoint.h>

#include "mydemo.h"

/* mydemo_fasync actions */
#define MYDEMO_FASYNC_SUBSCRIBE		0
#define MYDEMO_FASYNC_UNSUBSCRIBE	1
#define MYDEMO_FASYNC_SIGNAL		2

#define mydemo_show_dir(d)	__print_symbolic(d, { 0, "read" }, { 1, "write" })

DECLARE_EVENT_CLASS(mydemo_file_class,
	TP_PROTO(struct mydemo_dev *md, struct file *file),
	TP_ARGS(md, file),
	TP_STRUCT__entry(
		__field(unsigned int, minor)
		__field(unsigned int, mode)
		__field(unsigned int, flags)
	),
	TP_fast_assign(
		__entry->minor = mydemo_minor(md);
		__entry->mode = (file->f_mode & FMODE_READ ? 1 : 0) |
				(file->f_mode & FMODE_WRITE ? 2 : 0);
		__entry->flags = file->f_flags;
	),
	TP_printk("minor=%u mode=%s flags=0x%x", __entry->minor,
		  __print_symbolic(__entry->mode, { 0, "-" }, { 1, "r" },
				   { 2, "w" }, { 3, "rw" }),
		  __entry->flags)
);

DEFINE_EVENT(mydemo_file_class, mydemo_open,
	TP_PROTO(struct mydemo_dev *md, struct file *file),
	TP_ARGS(md, file));

DEFINE_EVENT(mydemo_file_class, mydemo_release,
	TP_PROTO(struct mydemo_dev *md, struct file *file),
	TP_ARGS(md, file));

DECLARE_EVENT_CLASS(mydemo_io_class,
	TP_PROTO(struct mydemo_dev *md, size_t requested, ssize_t done,
		 unsigned int level),
	TP_ARGS(md, requested, done, level),
	TP_STRUCT__entry(
		__field(unsigned int, minor)
		__field(unsigned int, level)
		__field(size_t, requested)
		__field(ssize_t, done)
	),
	TP_fast_assign(
		__entry->minor = mydemo_minor(md);
		__entry->level = level;
		__entry->requested = requested;
		__entry->done = done;
	),
	TP_printk("minor=%u requested=%zu done=%zd level=%u", __entry->minor,
		  __entry->requested, __entry->done, __entry->level)
);

/* One per read() call (also readv, io_uring): done is bytes or -errno. */
DEFINE_EVENT(mydemo_io_class, mydemo_read,
	TP_PROTO(struct mydemo_dev *md, size_t requested, ssize_t done,
		 unsigned int level),
	TP_ARGS(md, requested, done, level));

DEFINE_EVENT(mydemo_io_class, mydemo_write,
	TP_PROTO(struct mydemo_dev *md, size_t requested, ssize_t done,
		 unsigned int level),
	TP_ARGS(md, requested, done, level));

/* A task goes to sleep in read() or write(). */
TRACE_EVENT(mydemo_wait,
	TP_PROTO(struct mydemo_dev *md, enum mydemo_dir dir, unsigned int level),
	TP_ARGS(md, dir, level),
	TP_STRUCT__entry(
		__field(unsigned int, minor)
		__field(unsigned int, dir)
		__field(unsigned int, level)
	),
	TP_fast_assign(
		__entry->minor = mydemo_minor(md);
		__entry->dir = dir;
		__entry->level = level;
	),
	TP_printk("minor=%u dir=%s level=%u", __entry->minor,
		  mydemo_show_dir(__entry->dir), __entry->level)
);

/*
 * It runs again: waited_ns since mydemo_wait, wake_ns since the wake-up
 * that selected it (0 if none did: a signal, or the condition came true
 * before it slept), ret 0 or -ERESTARTSYS.
 */
TRACE_EVENT(mydemo_wake,
	TP_PROTO(struct mydemo_dev *md, enum mydemo_dir dir, u64 waited_ns,
		 u64 wake_ns, int ret),
	TP_ARGS(md, dir, waited_ns, wake_ns, ret),
	TP_STRUCT__entry(
		__field(unsigned int, minor)
		__field(unsigned int, dir)
		__field(u64, waited_ns)
		__field(u64, wake_ns)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->minor = mydemo_minor(md);
		__entry->dir = dir;
		__entry->waited_ns = waited_ns;
		__entry->wake_ns = wake_ns;
		__entry->ret = ret;
	),
	TP_printk("minor=%u dir=%s waited_ns=%llu wake_ns=%llu ret=%d",
		  __entry->minor, mydemo_show_dir(__entry->dir),
		  __entry->waited_ns, __entry->wake_ns, __entry->ret)
);

/*
 * SIGIO: a file subscribes or unsubscribes (band 0), or an event is
 * signalled with band POLL_IN (1), POLL_OUT (2) or POLL_HUP (6) to
 * @subscribers files.
 */
TRACE_EVENT(mydemo_fasync,
	TP_PROTO(struct mydemo_dev *md, int action, int band, int subscribers),
	TP_ARGS(md, action, band, subscribers),
	TP_STRUCT__entry(
		__field(unsigned int, minor)
		__field(int, action)
		__field(int, band)
		__field(int, subscribers)
	),
	TP_fast_assign(
		__entry->minor = mydemo_minor(md);
		__entry->action = action;
		__entry->band = band;
		__entry->subscribers = subscribers;
	),
	TP_printk("minor=%u action=%s band=%s subscribers=%d", __entry->minor,
		  __print_symbolic(__entry->action, { 0, "subscribe" },
				   { 1, "unsubscribe" }, { 2, "signal" }),
		  __print_symbolic(__entry->band, { 0, "0" }, { 1, "POLL_IN" },
				   { 2, "POLL_OUT" }, { 6, "POLL_HUP" }),
		  __entry->subscribers)
);

/* The simulated interrupt (hard-irq context): record @seq, @ring queued. */
TRACE_EVENT(mydemo_irq,
	TP_PROTO(struct mydemo_dev *md, u64 seq, unsigned int ring),
	TP_ARGS(md, seq, ring),
	TP_STRUCT__entry(
		__field(unsigned int, minor)
		__field(unsigned int, ring)
		__field(u64, seq)
	),
	TP_fast_assign(
		__entry->minor = mydemo_minor(md);
		__entry->ring = ring;
		__entry->seq = seq;
	),
	TP_printk("minor=%u seq=%llu ring=%u", __entry->minor, __entry->seq,
		  __entry->ring)
);

/*
 * Record @seq dropped: where=ring when the interrupt found the device's
 * ring full, where=fifo when the bottom half found the fifo full;
 * @overruns counts the drops of that kind so far.
 */
TRACE_EVENT(mydemo_overrun,
	TP_PROTO(struct mydemo_dev *md, u64 seq, u64 overruns, bool in_ring),
	TP_ARGS(md, seq, overruns, in_ring),
	TP_STRUCT__entry(
		__field(unsigned int, minor)
		__field(bool, in_ring)
		__field(u64, seq)
		__field(u64, overruns)
	),
	TP_fast_assign(
		__entry->minor = mydemo_minor(md);
		__entry->in_ring = in_ring;
		__entry->seq = seq;
		__entry->overruns = overruns;
	),
	TP_printk("minor=%u seq=%llu overruns=%llu where=%s", __entry->minor,
		  __entry->seq, __entry->overruns,
		  __entry->in_ring ? "ring" : "fifo")
);

DECLARE_EVENT_CLASS(mydemo_device_class,
	TP_PROTO(struct mydemo_dev *md, unsigned int fifo_size),
	TP_ARGS(md, fifo_size),
	TP_STRUCT__entry(
		__field(unsigned int, minor)
		__field(unsigned int, fifo_size)
	),
	TP_fast_assign(
		__entry->minor = mydemo_minor(md);
		__entry->fifo_size = fifo_size;
	),
	TP_printk("minor=%u fifo_size=%u", __entry->minor, __entry->fifo_size)
);

DEFINE_EVENT(mydemo_device_class, mydemo_device_add,
	TP_PROTO(struct mydemo_dev *md, unsigned int fifo_size),
	TP_ARGS(md, fifo_size));

DEFINE_EVENT(mydemo_device_class, mydemo_device_remove,
	TP_PROTO(struct mydemo_dev *md, unsigned int fifo_size),
	TP_ARGS(md, fifo_size));

#endif /* _MYDEMO_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
