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
 * returns an error outside what the driver documents for it, and prints
 * it with the seed, the process and the call's number.
 *
 *   mydemo-fuzz [--seed S] [--seconds T] [--procs N] [--first M] [--last M]
 *
 * Exit status: 0, 1 when a call gave an unexpected error or a process got
 * stuck, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
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

/* Interrupt a blocking call after 1..30 ms, or cancel (in the workers). */
static void arm_timer(int on)
{
	struct itimerval it = { { 0, 0 }, { 0, on ? 1000 * (1 + below(30)) : 0 } };

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
	me->unexpected++;
	fprintf(stderr, "mydemo-fuzz: UNEXPECTED seed %llu proc %d call %llu %s: %s (",
		seed, proc_nr, call_nr, op_names[op], strerror(err));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ")\n");
}

static int fds[MAX_FDS];
static unsigned int fd_minor[MAX_FDS];

static int pick_fd(void)
{
	int i = below(MAX_FDS);

	/* Sometimes a closed or never-open descriptor: EBADF. */
	return fds[i] >= 0 || chance(90) ? fds[i] : 1000;
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
}

static void do_rwv(int write_op)
{
	struct iovec iov[8];
	int n = below(9), fd = pick_fd(), i;
	long ret;

	for (i = 0; i < n; i++) {
		iov[i].iov_len = chance(80) ? below(5000) : pick_len();
		iov[i].iov_base = pick_buf(iov[i].iov_len);
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
}

static void do_ioctl(void)
{
	static const unsigned long cmds[] = {
		MYDEMO_IOC_GET_INFO, MYDEMO_IOC_GET_STATS, FIONREAD,
		MYDEMO_IOC_RESET_STATS, MYDEMO_IOC_FLUSH, MYDEMO_IOC_SET_SIZE,
		MYDEMO_IOC_SET_IRQ_RATE,
	};
	static const __u32 sizes[] = { 64, 128, 4096, 8192, 65536, 1 << 20 };
	unsigned long cmd = cmds[below(7)];
	int fd = pick_fd();
	__u32 *v = (__u32 *)(big + 8 * below(8));
	void *arg = v;
	long ret;

	if (cmd == MYDEMO_IOC_SET_SIZE)
		*v = chance(70) ? sizes[below(6)] : (__u32)rnd();
	else if (cmd == MYDEMO_IOC_SET_IRQ_RATE)
		/* Low rates: thousands of interrupts a second starve TCG. */
		*v = chance(70) ? below(3) * 50 : (__u32)rnd() | 10001;
	if (cmd == MYDEMO_IOC_GET_STATS && chance(30))
		cmd = _IOC(_IOC_READ, MYDEMO_IOC_MAGIC, 2, below(1 << _IOC_SIZEBITS));
	if (chance(15))
		arg = pick_buf(64);
	arm_timer(1);
	ret = ioctl(fd, cmd, arg);
	check(OP_IOCTL, ret, errno, E(ENOTTY) | E(EFAULT) | E(EINVAL) |
	      E(EBADF) | E(ENODEV) | E(EBUSY) | E(ENOMEM) | E(EINTR),
	      "fd %d, cmd %#lx, arg %p", fd, cmd, arg);
	arm_timer(0);
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
	struct pollfd p[3];
	int i, ret;

	for (i = 0; i < 3; i++) {
		p[i].fd = pick_fd();
		p[i].events = rnd();
	}
	ret = poll(p, 1 + below(3), below(3));
	check(OP_POLL, ret, errno, E(EINTR), "poll");
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
	}
	close(ep);
}

/* The driver has no splice methods: the VFS refuses, cleanly. */
static void do_splice(void)
{
	int p[2], fd = pick_fd();
	long ret;

	if (pipe2(p, O_NONBLOCK | O_CLOEXEC))
		return;
	if (chance(50)) {
		ret = splice(fd, NULL, p[1], NULL, pick_len() & 0xffff, SPLICE_F_NONBLOCK);
	} else {
		if (write(p[1], big, 1 + below(4096)) < 0)
			return;
		ret = splice(p[0], NULL, fd, NULL, 1 + below(4096), SPLICE_F_NONBLOCK);
	}
	check(OP_SPLICE, ret, errno, E(EINVAL) | E(EBADF) | E(EAGAIN) | E(EFAULT) |
	      E(ENODEV), "fd %d", fd);
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
	int ret;

	snprintf(path, sizeof(path), SYSFS "/mydemo%u/%s", minor, attrs[a]);
	if (a == 0)
		pick_value(val, sizeof(val), 64U << below(10));
	else
		pick_value(val, sizeof(val), below(3) * 50);
	ret = sysfs_write(path, val, strlen(val));
	check(OP_SYSFS, ret, -ret, E(EINVAL) | E(ERANGE) | E(ENOENT) | E(EBUSY) |
	      E(ENOMEM) | E(EINTR) | E(ENODEV), "%s \"%s\"", path, val);
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
	const char *p = val + (*val == '+');
	unsigned long v;
	char *end;

	if (*p < '0' || *p > '9')
		return 0;
	errno = 0;
	v = strtoul(p, &end, 0);
	if (errno || (*end && strcmp(end, "\n")))
		return 0;
	return v < 256 && (v < first || v > last);
}

static void do_new_del(void)
{
	char val[64];
	int add = chance(50), ret;

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
	struct timespec t0, t1;
	double elapsed;
	int status;
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
	}
	/* A process stuck in the driver: reported, not waited for forever. */
	signal(SIGALRM, on_signal);
	alarm(secs + 60);
	for (i = 0; i < (unsigned int)nprocs; i++) {
		pid = wait(&status);
		if (pid < 0) {
			fprintf(stderr, "mydemo-fuzz: processes still running %u s after the end\n",
				60);
			kill(0, SIGKILL);
			stuck++;
			break;
		}
		for (k = 0; k < (unsigned int)nprocs; k++) {
			if (owners[k] == pid && !all[k].done) {
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
