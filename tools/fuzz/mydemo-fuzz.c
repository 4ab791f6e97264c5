// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo-fuzz: a fuzzer that knows the driver. Several processes make
 * random sequences of valid and invalid calls on /dev/mydemoN and its sysfs
 * and debugfs files: opens in every mode, reads and writes of every size
 * (0, around the atomic size and the fifo size, huge) from good and bad
 * buffers (NULL, kernel addresses, unmapped, PROT_NONE, read-only, ending
 * at a hole), readv/writev, every ioctl with good and random arguments and
 * random command numbers, fcntl (O_NONBLOCK, O_ASYNC, F_SETOWN, F_SETSIG),
 * poll and epoll, splice, devices created, resized and removed under the
 * others' feet, random strings into fifo_size, irq_rate, new_device and
 * del_device, the driver's fault_inject armed and disarmed, debugfs read.
 *
 * No O_CREAT: on a removed minor it would make a regular file in /dev that
 * hides the node of a device created later.
 *
 * Blocking calls are bounded by an interval timer whose signal (no
 * SA_RESTART) interrupts them. Each process draws from its own generator,
 * seeded from --seed and its number: a run's call sequence per process is
 * reproducible (the interleaving is not). The kernel decides what is a
 * bug (vm-run fails on any splat); the fuzzer itself fails when a call
 * returns an error outside what the driver documents for it, or succeeds
 * with a result that cannot be right whatever the other processes do: a
 * read or write of more bytes than asked, of none, or a small (atomic)
 * write split; a GET_INFO or GET_STATS structure filled in wrongly or
 * beyond its size; FIONREAD beyond the largest fifo; poll events nobody
 * asked for; a value accepted that the ABI refuses. It prints each with
 * the seed, the process and the call's number.
 *
 *   mydemo-fuzz [--seed S] [--seconds T] [--procs N] [--first M] [--last M]
 *
 * Exit status: 0, 1 when a call gave an unexpected error or result or a
 * process got stuck, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/fs.h>
#include <linux/mydemo.h>

#define SYSFS		"/sys/class/mydemo"
#define DEBUGFS		"/sys/kernel/debug/mydemo"
#define MAX_PROCS	16
#define MAX_FDS		8
#define BIG		(1024 * 1024)
#define GUARD		(64 * 1024)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* The ABI's limits (Documentation/ABI/testing/sysfs-class-mydemo). */
#define FIFO_MIN	64
#define FIFO_MAX	(4 << 20)
#define ATOMIC_MAX	4096
#define IRQ_RATE_MAX	10000
/* Bytes written after an ioctl's structure: they must stay as they were. */
#define CANARY		0xa5
#define CANARY_LEN	16

enum op {
	OP_OPEN, OP_CLOSE, OP_READ, OP_WRITE, OP_READV, OP_WRITEV, OP_IOCTL,
	OP_IOCTL_RANDOM, OP_FCNTL, OP_POLL, OP_EPOLL, OP_SPLICE, OP_MMAP,
	OP_SYSFS, OP_DEBUGFS, OP_FAULT, OP_NEW_DEL, NR_OPS
};

static const char *const op_names[NR_OPS] = {
	"open", "close", "read", "write", "readv", "writev", "ioctl",
	"ioctl-random", "fcntl", "poll", "epoll", "splice", "mmap", "sysfs",
	"debugfs", "fault_inject", "new/del_device",
};

/* Per process, in memory shared with the parent. */
struct counts {
	unsigned long long ops[NR_OPS];
	unsigned long long failed[NR_OPS];
	unsigned long long unexpected;
	unsigned long long signals;
	/* The number of the call in progress, for a stuck process's report. */
	unsigned long long calls;
	int done;
};

static struct counts *all;
static struct counts *me;
static int proc_nr;
static unsigned long long seed, call_nr;
static unsigned int first = 160, last = 199;
static uint64_t rng;

/* xorshift64*: small, fast, and the same sequence everywhere. */
static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static int chance(unsigned int percent)
{
	return below(100) < percent;
}

static unsigned int pick_minor(void)
{
	return first + below(last - first + 1);
}

/* The buffers calls get: good ones and every kind of bad one. */
static char *big, *hole_end, *readonly, *unmapped;

static void setup_buffers(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p;

	/*
	 * A guard after the big buffer: a read of a huge count may copy the
	 * whole fifo (up to 4 MiB), which must end in EFAULT at the guard,
	 * not in this program's other memory.
	 */
	big = mmap(NULL, BIG + GUARD, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	readonly = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unmapped = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (big == MAP_FAILED || p == MAP_FAILED || readonly == MAP_FAILED ||
	    unmapped == MAP_FAILED) {
		perror("mydemo-fuzz: mmap");
		exit(1);
	}
	munmap(unmapped, pg);
	mprotect(big + BIG, GUARD, PROT_NONE);
	mprotect(p + pg, pg, PROT_NONE);
	hole_end = p + pg;
	memset(big, 0x5a, BIG);
}

/* A buffer for a transfer of @len bytes: usually good, sometimes not. */
static void *pick_buf(size_t len)
{
	switch (below(12)) {
	case 0:
		return NULL;
	case 1:
		return (void *)0xffffffff81000000UL;
	case 2:
		return unmapped;
	case 3:
		return readonly;
	case 4:
		/* Ends at a PROT_NONE page: faults part-way. */
		return hole_end - below(len + 1 < 4096 ? len + 1 : 4096);
	case 5:
		return hole_end;
	case 6:
		return (void *)1;
	default:
		return big + below(64);
	}
}

static size_t pick_len(void)
{
	static const size_t sizes[] = {
		0, 1, 2, 15, 16, 63, 64, 100, 4095, 4096, 4097, 8192, 65535,
		65536, 65537, 262144, BIG - 64, 1UL << 30, 0x7ffff000, SSIZE_MAX,
		SIZE_MAX,
	};

	if (chance(30))
		return below(8192);
	return sizes[below(ARRAY_SIZE(sizes))];
}

static void on_signal(int sig)
{
	if (me)
		me->signals++;
}

/*
 * Interrupt a blocking call after 1..30 ms, or cancel (in the workers).
 * Again and again until cancelled: under TCG the first signal may come
 * before the call has begun, and the call would then sleep for good.
 */
static void arm_timer(int on)
{
	long us = on ? 1000 * (1 + below(30)) : 0;
	struct itimerval it = { { 0, us }, { 0, us } };

	if (me)
		setitimer(ITIMER_REAL, &it, NULL);
}

/* Errors a call may give, as a bit mask per errno below 64. */
static unsigned long long E(int err)
{
	unsigned long long one = 1;

	return one << err;
}

#define IO_ERRS		(E(EAGAIN) | E(EFAULT) | E(ENODEV) | E(EBADF) | E(EINTR))

static void report(enum op op, const char *what, const char *fmt, va_list ap)
{
	me->unexpected++;
	fprintf(stderr, "mydemo-fuzz: UNEXPECTED seed %llu proc %d call %llu %s: %s (",
		seed, proc_nr, call_nr, op_names[op], what);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ")\n");
}

static void check(enum op op, long ret, int err, unsigned long long allowed,
		  const char *fmt, ...)
{
	va_list ap;

	me->ops[op]++;
	if (ret >= 0)
		return;
	me->failed[op]++;
	if (err < 64 && (allowed & E(err)))
		return;
	va_start(ap, fmt);
	report(op, strerror(err), fmt, ap);
	va_end(ap);
}

/*
 * A call that succeeded (already counted by check()) with a result that
 * cannot be right, @what says why: unexpected as an error outside the ABI.
 */
static void wrong(enum op op, const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(op, what, fmt, ap);
	va_end(ap);
}

/* A fifo size the ABI accepts: a power of two in FIFO_MIN..FIFO_MAX. */
static int size_valid(unsigned long long size)
{
	return size >= FIFO_MIN && size <= FIFO_MAX && !(size & (size - 1));
}

/*
 * The value the driver's kstrtouint(buf, 0) takes @val for: an optional
 * '+', a number in base 0 that fits 32 bits, an optional newline. 0 and
 * *@v set, or -1 for a string it refuses.
 */
static int parse_uint(const char *val, unsigned long *v)
{
	const char *p = val + (*val == '+');
	char *end;

	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	*v = strtoul(p, &end, 0);
	if (errno || *v > UINT_MAX || (*end && strcmp(end, "\n")))
		return -1;
	return 0;
}

static int fds[MAX_FDS];
static unsigned int fd_minor[MAX_FDS];

/* A descriptor; *@slot (if given): its index in fds[], or -1. */
static int pick_fd_slot(int *slot)
{
	int i = below(MAX_FDS);

	/* Sometimes a closed or never-open descriptor: EBADF. */
	if (fds[i] >= 0 || chance(90)) {
		if (slot)
			*slot = i;
		return fds[i];
	}
	if (slot)
		*slot = -1;
	return 1000;
}

static int pick_fd(void)
{
	return pick_fd_slot(NULL);
}

static void do_open(void)
{
	static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDWR, 3 };
	int i = below(MAX_FDS), flags, fd;
	unsigned int minor = pick_minor();
	char path[64];

	flags = modes[below(5)];
	if (chance(60))
		flags |= O_NONBLOCK;
	if (chance(5))
		flags |= O_APPEND;
	if (chance(5))
		flags |= O_TRUNC;
	if (chance(3))
		flags |= O_DIRECT;
	if (chance(5))
		flags |= O_SYNC;
	snprintf(path, sizeof(path), "/dev/mydemo%u", minor);
	fd = open(path, flags | O_CLOEXEC, 0600);
	check(OP_OPEN, fd, errno, E(ENOENT) | E(ENODEV) | E(ENXIO) | E(ENOMEM) |
	      E(EINVAL) | E(EEXIST) | E(EINTR), "%s, flags %#x", path, flags);
	if (fd < 0)
		return;
	if (fds[i] >= 0)
		close(fds[i]);
	fds[i] = fd;
	fd_minor[i] = minor;
}

static void do_close(void)
{
	int i = below(MAX_FDS);

	if (fds[i] < 0)
		return;
	check(OP_CLOSE, close(fds[i]), errno, 0, "fd %d", fds[i]);
	fds[i] = -1;
}

/*
 * What a successful read or write of @len bytes may return, whatever the
 * other processes do: no more than asked, and no more than the largest
 * fifo holds (one call moves one fifo's worth at most); nothing only when
 * nothing was asked (an empty fifo is EAGAIN or a sleep, never 0); and
 * all of a write no longer than the smallest fifo's atomic size.
 */
static void check_count(enum op op, long ret, size_t len, const char *fmt, ...)
{
	const char *what = NULL;
	va_list ap;
	int is_write = op == OP_WRITE || op == OP_WRITEV;

	if ((size_t)ret > len)
		what = is_write ? "wrote more than it was given" : "read more than asked";
	else if (ret > FIFO_MAX)
		what = "more than the largest fifo in one call";
	else if (!ret && len)
		what = "returned 0 for a transfer of some bytes";
	else if (is_write && len <= FIFO_MIN && (size_t)ret != len)
		what = "split an atomic write";
	if (!what)
		return;
	fprintf(stderr, "mydemo-fuzz: returned %ld:\n", ret);
	va_start(ap, fmt);
	report(op, what, fmt, ap);
	va_end(ap);
}

static void do_rw(int write_op)
{
	size_t len = pick_len();
	void *buf = pick_buf(len);
	int fd = pick_fd();
	long ret;

	arm_timer(1);
	if (write_op)
		ret = syscall(SYS_write, fd, buf, len);
	else
		ret = syscall(SYS_read, fd, buf, len);
	check(write_op ? OP_WRITE : OP_READ, ret, errno, IO_ERRS,
	      "fd %d, buf %p, len %zu", fd, buf, len);
	arm_timer(0);
	if (ret >= 0)
		check_count(write_op ? OP_WRITE : OP_READ, ret, len,
			    "fd %d, buf %p, len %zu", fd, buf, len);
}

static void do_rwv(int write_op)
{
	struct iovec iov[8];
	int n = below(9), fd = pick_fd(), i;
	size_t total = 0;
	long ret;

	for (i = 0; i < n; i++) {
		iov[i].iov_len = chance(80) ? below(5000) : pick_len();
		iov[i].iov_base = pick_buf(iov[i].iov_len);
		total = total + iov[i].iov_len < total ? SIZE_MAX : total + iov[i].iov_len;
	}
	arm_timer(1);
	if (write_op)
		ret = writev(fd, iov, n);
	else
		ret = readv(fd, iov, n);
	/* Lengths that add up past SSIZE_MAX: EINVAL. */
	check(write_op ? OP_WRITEV : OP_READV, ret, errno, IO_ERRS | E(EINVAL),
	      "fd %d, %d iovecs", fd, n);
	arm_timer(0);
	if (ret >= 0)
		check_count(write_op ? OP_WRITEV : OP_READV, ret, total,
			    "fd %d, %d iovecs, %zu bytes", fd, n, total);
}

/*
 * What the driver filled in for a successful GET_INFO of the file in
 * fds[@slot]: sizes as the ABI allows them and consistent with each
 * other, the file's own minor, the reserved words zero.
 */
static const char *info_wrong(const struct mydemo_info *info, int slot)
{
	if (!size_valid(info->fifo_size))
		return "GET_INFO: fifo_size not a valid size";
	if (info->fifo_level > info->fifo_size)
		return "GET_INFO: fifo_level above fifo_size";
	if (info->atomic_size != (info->fifo_size < ATOMIC_MAX ?
				  info->fifo_size : ATOMIC_MAX))
		return "GET_INFO: atomic_size is not min(4096, fifo_size)";
	if (slot >= 0 && info->minor != fd_minor[slot])
		return "GET_INFO: another device's minor";
	if (info->irq_rate > IRQ_RATE_MAX)
		return "GET_INFO: irq_rate above the maximum";
	if (info->reserved[0] | info->reserved[1] | info->reserved[2])
		return "GET_INFO: reserved words not zero";
	return NULL;
}

/*
 * A successful GET_STATS for a structure of @size bytes (from the ioctl
 * number): this version, the size the kernel filled in (what it knows, up
 * to @size), zeroes from there to @size, nothing written beyond.
 */
static const char *stats_wrong(const unsigned char *buf, size_t size)
{
	const struct mydemo_stats *st = (const void *)buf;
	size_t n = size < sizeof(*st) ? size : sizeof(*st), i;

	if (size < MYDEMO_STATS_SIZE_V1)
		return "GET_STATS: a size below version 1's accepted";
	if (st->version != MYDEMO_STATS_VERSION)
		return "GET_STATS: another version";
	if (st->size != n)
		return "GET_STATS: size is not what was filled in";
	if (n >= offsetof(struct mydemo_stats, high_watermark) + 8 &&
	    st->high_watermark > FIFO_MAX)
		return "GET_STATS: high_watermark above the largest fifo";
	for (i = n; i < size; i++) {
		if (buf[i])
			return "GET_STATS: not zeroed after the known fields";
	}
	return NULL;
}

static void do_ioctl(void)
{
	static const unsigned long cmds[] = {
		MYDEMO_IOC_GET_INFO, MYDEMO_IOC_GET_STATS, FIONREAD,
		MYDEMO_IOC_RESET_STATS, MYDEMO_IOC_FLUSH, MYDEMO_IOC_SET_SIZE,
		MYDEMO_IOC_SET_IRQ_RATE,
	};
	static const __u32 sizes[] = { 64, 128, 4096, 8192, 65536, 1 << 20 };
	static const unsigned int stats_sizes[] = {
		0, 8, MYDEMO_STATS_SIZE_V1 - 1, MYDEMO_STATS_SIZE_V1,
		MYDEMO_STATS_SIZE_V1 + 8, sizeof(struct mydemo_stats) - 8,
		sizeof(struct mydemo_stats), sizeof(struct mydemo_stats) + 8, 4096,
	};
	unsigned long cmd = cmds[below(7)];
	int slot, fd = pick_fd_slot(&slot);
	__u32 *v = (__u32 *)(big + 8 * below(8));
	const char *what = NULL;
	size_t size = 0, i;
	int canary = 0;
	void *arg = v;
	__u32 val;
	long ret;

	if (cmd == MYDEMO_IOC_SET_SIZE)
		*v = chance(70) ? sizes[below(6)] : (__u32)rnd();
	else if (cmd == MYDEMO_IOC_SET_IRQ_RATE)
		/* Low rates: thousands of interrupts a second starve TCG. */
		*v = chance(70) ? below(3) * 50 : (__u32)rnd() | 10001;
	/* Other structure sizes: around version 1's and this one's, or any. */
	if (cmd == MYDEMO_IOC_GET_STATS && chance(30))
		cmd = _IOC(_IOC_READ, MYDEMO_IOC_MAGIC, 2,
			   chance(50) ? stats_sizes[below(ARRAY_SIZE(stats_sizes))] :
			   below(1 << _IOC_SIZEBITS));
	if (chance(15))
		arg = pick_buf(64);
	/* What the driver may write, and a canary after it. */
	if (arg == v && _IOC_DIR(cmd) == _IOC_READ) {
		size = _IOC_SIZE(cmd);
		memset(v, CANARY, size + CANARY_LEN);
		canary = 1;
	}
	val = *v;
	arm_timer(1);
	ret = ioctl(fd, cmd, arg);
	check(OP_IOCTL, ret, errno, E(ENOTTY) | E(EFAULT) | E(EINVAL) |
	      E(EBADF) | E(ENODEV) | E(EBUSY) | E(ENOMEM) | E(EINTR),
	      "fd %d, cmd %#lx, arg %p", fd, cmd, arg);
	arm_timer(0);
	if (arg != v)
		return;
	for (i = size; canary && i < size + CANARY_LEN; i++) {
		if (((unsigned char *)v)[i] != CANARY)
			what = "wrote past the size in the ioctl number";
	}
	if (!ret && !what) {
		if (cmd == MYDEMO_IOC_GET_INFO)
			what = info_wrong((const void *)v, slot);
		else if (_IOC_TYPE(cmd) == MYDEMO_IOC_MAGIC && _IOC_NR(cmd) == 2)
			what = stats_wrong((const void *)v, size);
		else if (cmd == FIONREAD && (*(int *)v < 0 || *(int *)v > FIFO_MAX))
			what = "FIONREAD: more than the largest fifo";
		else if (cmd == MYDEMO_IOC_SET_SIZE && !size_valid(val))
			what = "SET_SIZE: an invalid size accepted";
		else if (cmd == MYDEMO_IOC_SET_IRQ_RATE && val > IRQ_RATE_MAX)
			what = "SET_IRQ_RATE: a rate above the maximum accepted";
	}
	if (what)
		wrong(OP_IOCTL, what, "fd %d, cmd %#lx, value %u", fd, cmd, val);
}

/* Generic ioctls that act on the file system of /dev, not the driver. */
static int vfs_dangerous(unsigned long cmd)
{
	return cmd == FIFREEZE || cmd == FITHAW || cmd == FS_IOC_SETFLAGS ||
	       cmd == FS_IOC_FSSETXATTR || cmd == FS_IOC_SETFSLABEL;
}

static void do_ioctl_random(void)
{
	unsigned long cmd;
	int fd = pick_fd();
	void *arg;
	long ret;

	if (chance(70))
		cmd = _IOC(below(4), MYDEMO_IOC_MAGIC, below(16),
			   below(1 << _IOC_SIZEBITS));
	else
		cmd = (__u32)rnd();
	if (vfs_dangerous(cmd))
		return;
	arg = chance(50) ? pick_buf(256) : (void *)(uintptr_t)rnd();
	arm_timer(1);
	ret = ioctl(fd, cmd, arg);
	/* Not the driver's numbers: whatever the VFS says is fine. */
	me->ops[OP_IOCTL_RANDOM]++;
	if (ret < 0)
		me->failed[OP_IOCTL_RANDOM]++;
	arm_timer(0);
}

static pid_t owners[MAX_PROCS + 1];
static int nprocs;

static void do_fcntl(void)
{
	static const int sigs[] = { 0, SIGIO, SIGUSR1, SIGURG };
	int fd = pick_fd(), flags, ret;
	struct f_owner_ex ex;
	pid_t who;

	switch (below(5)) {
	case 0:
		flags = 0;
		if (chance(50))
			flags |= O_NONBLOCK;
		if (chance(50))
			flags |= O_ASYNC;
		if (chance(5))
			flags |= O_APPEND;
		if (chance(3))
			flags |= O_DIRECT;
		ret = fcntl(fd, F_SETFL, flags);
		check(OP_FCNTL, ret, errno, E(EBADF) | E(EINVAL),
		      "fd %d, F_SETFL %#x", fd, flags);
		break;
	case 1:
		/* Ourselves, a sibling, the parent, our group, or nobody. */
		who = owners[below(nprocs + 1)];
		if (chance(10))
			who = -getpgrp();
		else if (chance(10))
			who = 0;
		ret = fcntl(fd, F_SETOWN, who);
		check(OP_FCNTL, ret, errno, E(EBADF) | E(ESRCH),
		      "fd %d, F_SETOWN %d", fd, who);
		break;
	case 2:
		ex.type = below(3);
		ex.pid = owners[below(nprocs + 1)];
		ret = fcntl(fd, F_SETOWN_EX, &ex);
		check(OP_FCNTL, ret, errno, E(EBADF) | E(ESRCH) | E(EINVAL),
		      "fd %d, F_SETOWN_EX %d %d", fd, ex.type, ex.pid);
		break;
	case 3:
		ret = fcntl(fd, F_SETSIG, chance(80) ? sigs[below(4)] : SIGRTMIN + 1);
		check(OP_FCNTL, ret, errno, E(EBADF), "fd %d, F_SETSIG", fd);
		break;
	default:
		ret = fcntl(fd, F_GETFL);
		check(OP_FCNTL, ret, errno, E(EBADF), "fd %d, F_GETFL", fd);
		break;
	}
}

static void do_poll(void)
{
	int i, ret, n = 1 + below(3), ready = 0;
	struct pollfd p[3];

	for (i = 0; i < 3; i++) {
		p[i].fd = pick_fd();
		p[i].events = rnd();
	}
	ret = poll(p, n, below(3));
	check(OP_POLL, ret, errno, E(EINTR), "poll");
	if (ret < 0)
		return;
	for (i = 0; i < n; i++) {
		short r = p[i].revents;

		ready += !!r;
		/* Only what was asked for, and errors; a removed device: both. */
		if (r & ~(p[i].events | POLLERR | POLLHUP | POLLNVAL))
			wrong(OP_POLL, "events nobody asked for", "fd %d, events %#x, revents %#x",
			      p[i].fd, (unsigned short)p[i].events, (unsigned short)r);
		else if ((r & (POLLERR | POLLHUP)) && r != (POLLERR | POLLHUP))
			wrong(OP_POLL, "POLLHUP or POLLERR not alone and together",
			      "fd %d, revents %#x", p[i].fd, (unsigned short)r);
		else if ((r & POLLNVAL) && p[i].fd != 1000)
			wrong(OP_POLL, "POLLNVAL for an open file", "fd %d", p[i].fd);
	}
	if (ready != ret)
		wrong(OP_POLL, "a count other than the ready entries", "%d ready, %d returned",
		      ready, ret);
}

static void do_epoll(void)
{
	struct epoll_event ev = { .events = rnd() & (EPOLLIN | EPOLLOUT | EPOLLET |
						     EPOLLONESHOT | EPOLLRDNORM) };
	struct epoll_event out[4];
	int ep = epoll_create1(EPOLL_CLOEXEC), fd = pick_fd(), ret;

	if (ep < 0)
		return;
	ret = epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	check(OP_EPOLL, ret, errno, E(EBADF) | E(EPERM) | E(ENOMEM), "fd %d", fd);
	if (!ret) {
		ret = epoll_wait(ep, out, 4, below(3));
		check(OP_EPOLL, ret, errno, E(EINTR), "epoll_wait");
		/* One file registered: one event at most, of those asked for. */
		if (ret > 1)
			wrong(OP_EPOLL, "more events than files", "fd %d: %d", fd, ret);
		else if (ret == 1 && (out[0].events & ~(ev.events | EPOLLERR | EPOLLHUP) &
				      ~(EPOLLET | EPOLLONESHOT)))
			wrong(OP_EPOLL, "events nobody asked for", "fd %d, events %#x, got %#x",
			      fd, ev.events, out[0].events);
	}
	close(ep);
}

/*
 * splice to and from the device (copy_splice_read() and
 * iter_file_splice_write(): read and write underneath, which may sleep on
 * a file without O_NONBLOCK, whatever SPLICE_F_NONBLOCK says of the pipe).
 */
static void do_splice(void)
{
	int p[2], fd = pick_fd(), from_dev = chance(50);
	size_t len;
	long ret;

	if (pipe2(p, O_NONBLOCK | O_CLOEXEC))
		return;
	if (!from_dev && write(p[1], big, 1 + below(4096)) < 0) {
		close(p[0]);
		close(p[1]);
		return;
	}
	len = from_dev ? pick_len() & 0xffff : 1 + below(4096);
	arm_timer(1);
	if (from_dev)
		ret = splice(fd, NULL, p[1], NULL, len, SPLICE_F_NONBLOCK);
	else
		ret = splice(p[0], NULL, fd, NULL, len, SPLICE_F_NONBLOCK);
	check(OP_SPLICE, ret, errno, E(EINVAL) | E(EBADF) | E(EAGAIN) | E(EFAULT) |
	      E(ENODEV) | E(EINTR) | E(ENOMEM), "fd %d", fd);
	arm_timer(0);
	if (ret > (long)len)
		wrong(OP_SPLICE, "moved more than asked", "fd %d, %zu asked, %ld moved",
		      fd, len, ret);
	close(p[0]);
	close(p[1]);
}

static void do_mmap(void)
{
	int fd = pick_fd();
	void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);

	check(OP_MMAP, p == MAP_FAILED ? -1 : 0, errno, E(ENODEV) | E(EBADF) | E(EACCES),
	      "fd %d", fd);
	if (p != MAP_FAILED)
		munmap(p, 4096);
}

/* A random string for a sysfs number: valid, almost valid, or junk. */
static void pick_value(char *buf, size_t len, unsigned int valid)
{
	static const char *const junk[] = {
		"", "\n", "-1", "abc", "0x", "1e3", " 5", "5 ", "4294967296",
		"99999999999999999999", "0x7fffffff", "1.5", "\xff\xfe", "+7",
	};

	switch (below(4)) {
	case 0:
		snprintf(buf, len, "%s", junk[below(ARRAY_SIZE(junk))]);
		break;
	case 1:
		snprintf(buf, len, "%u\n", (unsigned int)rnd());
		break;
	default:
		snprintf(buf, len, chance(20) ? "%#x" : "%u", valid);
		break;
	}
}

static int sysfs_write(const char *path, const char *val, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	arm_timer(1);
	if (write(fd, val, len) < 0)
		ret = -errno;
	arm_timer(0);
	close(fd);
	return ret;
}

static void do_sysfs(void)
{
	static const char *const attrs[] = { "fifo_size", "irq_rate" };
	unsigned int minor = pick_minor(), a = below(2);
	char path[128], val[64];
	unsigned long v;
	int ret;

	snprintf(path, sizeof(path), SYSFS "/mydemo%u/%s", minor, attrs[a]);
	if (a == 0)
		pick_value(val, sizeof(val), 64U << below(10));
	else
		pick_value(val, sizeof(val), below(3) * 50);
	ret = sysfs_write(path, val, strlen(val));
	check(OP_SYSFS, ret, -ret, E(EINVAL) | E(ERANGE) | E(ENOENT) | E(EBUSY) |
	      E(ENOMEM) | E(EINTR) | E(ENODEV), "%s \"%s\"", path, val);
	/* Accepted (an empty write reaches no store): a number the ABI allows. */
	if (!ret && *val &&
	    (parse_uint(val, &v) || (a == 0 ? !size_valid(v) : v > IRQ_RATE_MAX)))
		wrong(OP_SYSFS, "a value accepted that the ABI refuses", "%s \"%s\"",
		      path, val);
	/* A fast interrupt source would starve the guest: not for long. */
	if (a == 1 && !ret && chance(70))
		sysfs_write(path, "0", 1);
}

/*
 * Would the driver (kstrtouint(), base 0: an optional '+', a number, an
 * optional newline) take @val for a minor outside our range?
 */
static int other_minor(const char *val)
{
	unsigned long v;

	return !parse_uint(val, &v) && v < 256 && (v < first || v > last);
}

static void do_new_del(void)
{
	char val[64];
	int add = chance(50), ret;
	unsigned long v;

	if (chance(80))
		snprintf(val, sizeof(val), "%u", pick_minor());
	else
		pick_value(val, sizeof(val), 256 + below(1000));
	/* Only our own minors: a value that is another one is not sent. */
	if (other_minor(val))
		return;
	ret = sysfs_write(add ? SYSFS "/new_device" : SYSFS "/del_device", val, strlen(val));
	check(OP_NEW_DEL, ret, -ret, E(EINVAL) | E(ERANGE) | E(EEXIST) | E(ENODEV) |
	      E(ENOMEM) | E(EINTR), "%s \"%s\"", add ? "new_device" : "del_device", val);
	/* Accepted (not an empty write): a minor below 256, as they all are. */
	if (!ret && *val && (parse_uint(val, &v) || v >= 256))
		wrong(OP_NEW_DEL, "a minor accepted that does not exist", "%s \"%s\"",
		      add ? "new_device" : "del_device", val);
}

static void do_debugfs(void)
{
	static const char *const files[] = { "state", "wait_latency", "contents" };
	char path[128];
	int fd;
	long ret;

	snprintf(path, sizeof(path), DEBUGFS "/mydemo%u/%s", pick_minor(), files[below(3)]);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		check(OP_DEBUGFS, -1, errno, E(ENOENT), "open %s", path);
		return;
	}
	arm_timer(1);
	do {
		ret = read(fd, big, chance(50) ? 4096 : BIG);
	} while (ret > 0);
	arm_timer(0);
	check(OP_DEBUGFS, ret, errno, E(EIO) | E(EINTR) | E(ENOMEM) | E(ENODEV),
	      "read %s", path);
	close(fd);
}

/* Arm or disarm the driver's own fault injection on a device. */
static void do_fault(void)
{
	char dir[128], path[192], val[32];
	int ret;

	snprintf(dir, sizeof(dir), DEBUGFS "/mydemo%u/fault_inject", pick_minor());
	snprintf(path, sizeof(path), "%s/verbose", dir);
	if (sysfs_write(path, "0", 1))
		return;
	snprintf(path, sizeof(path), "%s/times", dir);
	snprintf(val, sizeof(val), "%d", chance(80) ? (int)below(20) : -1);
	sysfs_write(path, val, strlen(val));
	snprintf(path, sizeof(path), "%s/probability", dir);
	snprintf(val, sizeof(val), "%u", chance(50) ? 0 : below(101));
	ret = sysfs_write(path, val, strlen(val));
	/*
	 * EIO: another process deleted the device between our open and our
	 * write, and debugfs fails the I/O of a file it has removed (seen
	 * with seed 1796240189, as the debugfs read above may).
	 */
	check(OP_FAULT, ret, -ret, E(ENOENT) | E(EINTR) | E(EIO), "%s %s",
	      path, val);
}

static void do_read(void)
{
	do_rw(0);
}

static void do_write(void)
{
	do_rw(1);
}

static void do_readv(void)
{
	do_rwv(0);
}

static void do_writev(void)
{
	do_rwv(1);
}

/* What a process does, and how often (weights out of their sum). */
static const struct {
	void (*fn)(void);
	unsigned int weight;
} plan[] = {
	{ do_open, 3 }, { do_close, 1 }, { do_read, 5 }, { do_write, 5 },
	{ do_readv, 2 }, { do_writev, 2 }, { do_ioctl, 4 },
	{ do_ioctl_random, 2 }, { do_fcntl, 3 }, { do_poll, 2 }, { do_epoll, 1 },
	{ do_splice, 1 }, { do_mmap, 1 }, { do_sysfs, 2 }, { do_debugfs, 2 },
	{ do_fault, 1 }, { do_new_del, 3 },
};

static unsigned int pick_step(void)
{
	unsigned int i, sum = 0, r;

	for (i = 0; i < ARRAY_SIZE(plan); i++)
		sum += plan[i].weight;
	r = below(sum);
	for (i = 0; r >= plan[i].weight; i++)
		r -= plan[i].weight;
	return i;
}

static void worker(unsigned int secs)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec start, now;
	int i;

	/* No SA_RESTART: a signal ends a blocking call with EINTR. */
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGIO, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGURG, &sa, NULL);
	sigaction(SIGRTMIN + 1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	rng = seed * 0x9E3779B97F4A7C15ULL + proc_nr + 1;
	if (!rng)
		rng = 1;
	for (i = 0; i < MAX_FDS; i++)
		fds[i] = -1;
	setup_buffers();
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (call_nr = 0;; call_nr++) {
		if (!(call_nr % 16)) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - start.tv_sec >= secs)
				break;
		}
		me->calls = call_nr;
		plan[pick_step()].fn();
	}
	me->done = 1;
}

/* Afterwards: every device in the range back, fault injection off, source off. */
static void tidy(void)
{
	char path[192], v[16];
	unsigned int m;

	for (m = first; m <= last; m++) {
		snprintf(path, sizeof(path), DEBUGFS "/mydemo%u/fault_inject/probability", m);
		sysfs_write(path, "0", 1);
		snprintf(path, sizeof(path), SYSFS "/mydemo%u/irq_rate", m);
		sysfs_write(path, "0", 1);
		snprintf(v, sizeof(v), "%u", m);
		sysfs_write(SYSFS "/del_device", v, strlen(v));
	}
}

/* The first word of /proc/@pid/@file, or "?". */
static void proc_word(pid_t pid, const char *file, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	f = fopen(path, "r");
	if (!f || !fgets(buf, len, f))
		snprintf(buf, len, "?");
	buf[strcspn(buf, "\t\n ")] = '\0';
	if (f)
		fclose(f);
}

/* Where worker @k is: its wait channel and system call. */
static void show_stuck(unsigned int k)
{
	char wchan[64], call[64];

	proc_word(owners[k], "wchan", wchan, sizeof(wchan));
	proc_word(owners[k], "syscall", call, sizeof(call));
	fprintf(stderr, "mydemo-fuzz: process %u still running 60 s after the end, ", k);
	fprintf(stderr, "at call %llu: wchan %s, syscall %s; killed\n",
		all[k].calls, wchan, call);
}

static void bad_usage(void)
{
	fputs("usage: mydemo-fuzz [--seed S] [--seconds T] [--procs N] [--first M] [--last M]\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long long total = 0, failed = 0, unexpected = 0, signals = 0;
	unsigned int secs = 60, i, k, m, stuck = 0;
	struct sigaction sa = { .sa_handler = on_signal };
	int status, running[MAX_PROCS] = { 0 };
	struct timespec t0, t1;
	double elapsed;
	char v[16];
	pid_t pid;

	nprocs = 4;
	seed = time(NULL) ^ getpid();
	for (i = 1; i < (unsigned int)argc; i++) {
		if (i + 1 >= (unsigned int)argc)
			bad_usage();
		if (!strcmp(argv[i], "--seed"))
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seconds"))
			secs = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--procs"))
			nprocs = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--first"))
			first = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--last"))
			last = strtoul(argv[++i], NULL, 0);
		else
			bad_usage();
	}
	if (nprocs < 1 || nprocs > MAX_PROCS || first > last || last > 255 || !secs)
		bad_usage();
	printf("mydemo-fuzz: seed %llu, %d processes, %u s, minors %u..%u\n",
	       seed, nprocs, secs, first, last);
	fflush(stdout);

	all = mmap(NULL, sizeof(*all) * MAX_PROCS, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (all == MAP_FAILED)
		return 1;
	/* The parent, too, may be named as a SIGIO owner. */
	signal(SIGIO, SIG_IGN);
	signal(SIGURG, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGRTMIN + 1, SIG_IGN);
	owners[nprocs] = getpid();
	/* Half the range exists at the start. */
	for (m = first; m <= last; m += 2) {
		snprintf(v, sizeof(v), "%u", m);
		sysfs_write(SYSFS "/new_device", v, strlen(v));
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < (unsigned int)nprocs; i++) {
		pid = fork();
		if (pid < 0) {
			perror("mydemo-fuzz: fork");
			return 1;
		}
		if (!pid) {
			proc_nr = i;
			me = &all[i];
			/* Siblings forked later are not known yet: they are 0 (ESRCH-free). */
			owners[i] = getpid();
			worker(secs);
			_exit(0);
		}
		owners[i] = pid;
		running[i] = 1;
	}
	/*
	 * A process stuck in the driver: reported with where it sleeps, and
	 * killed, not waited for forever. No SA_RESTART (which signal()
	 * sets): the alarm must end the wait().
	 */
	sigaction(SIGALRM, &sa, NULL);
	alarm(secs + 60);
	for (i = 0; i < (unsigned int)nprocs;) {
		pid = wait(&status);
		if (pid < 0 && errno == EINTR && !stuck) {
			for (k = 0; k < (unsigned int)nprocs; k++) {
				if (running[k]) {
					show_stuck(k);
					kill(owners[k], SIGKILL);
					stuck++;
				}
			}
			/* Killed in an interruptible sleep, they go at once. */
			alarm(30);
			continue;
		}
		if (pid < 0)
			break;
		i++;
		for (k = 0; k < (unsigned int)nprocs; k++) {
			if (owners[k] != pid)
				continue;
			running[k] = 0;
			if (!all[k].done) {
				fprintf(stderr, "mydemo-fuzz: process %u died (status %#x)\n",
					k, status);
				stuck++;
			}
		}
	}
	alarm(0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	tidy();

	for (k = 0; k < NR_OPS; k++) {
		unsigned long long n = 0, f = 0;

		for (i = 0; i < (unsigned int)nprocs; i++) {
			n += all[i].ops[k];
			f += all[i].failed[k];
		}
		printf("mydemo-fuzz: %-16s %10llu calls, %10llu failed\n", op_names[k], n, f);
		total += n;
		failed += f;
	}
	for (i = 0; i < (unsigned int)nprocs; i++) {
		unexpected += all[i].unexpected;
		signals += all[i].signals;
	}
	elapsed = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("mydemo-fuzz: seed %llu: %llu calls in %.1f s (%.0f/s), %llu failed as expected, ",
	       seed, total, elapsed, total / elapsed, failed - unexpected);
	printf("%llu signals, %llu unexpected\n", signals, unexpected);
	return unexpected || stuck ? 1 : 0;
}
