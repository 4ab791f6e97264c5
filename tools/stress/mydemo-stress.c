// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo-stress: the hardening stress of `make stress` and of the `stress`
 * step of `make check`, run as root in the testbed guest.
 *
 *   mydemo-stress [--short] [--duration SECONDS] [integrity] [removal] [signals]
 *
 * integrity  writers and readers on several devices at once (blocking,
 *            O_NONBLOCK with poll, readv/writev, io_uring, splice through a
 *            pipe both ways, sendfile from a memfd), checksummed records with a
 *            writer id and a sequence number, while other processes flush,
 *            resize, reset the counters, read sysfs and debugfs, subscribe
 *            to SIGIO, run the interrupt source and remove and re-add a
 *            device under load. Every record must arrive whole, once, and
 *            in each writer's order; the bytes a flush discarded account for
 *            exactly the records that never arrived.
 * removal    open/read/write/poll/fasync racing new_device/del_device, then
 *            rmmod/insmod cycles racing opens.
 * signals    blocked readers and writers hit by signals in a loop, with and
 *            without SA_RESTART: EINTR only without it, a partial count only
 *            after a signal, no byte lost or duplicated.
 *
 * Each verified property prints "ok - NAME" or "not ok - NAME" ("#" lines
 * say why); the figures follow, and the exit status is 1 if anything failed.
 * The kernel's detectors (KASAN, KCSAN, lockdep, kmemleak, hung tasks) judge
 * the rest from the console log, in tools/vm-run.
 *
 * Minors 130..159 only: the kselftests use others. Synchronisation is on
 * events (counters in shared memory, the driver's own gauges); the only
 * timed waits are the phase durations and guards against a hang.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>
#include <linux/mydemo.h>

/* The kselftests' helpers (sysfs files, waits): one copy of them. */
#include "mydemo_util.h"

#define SYSFS		"/sys/class/mydemo"
#define DEBUGFS		"/sys/kernel/debug/mydemo"
#define MODULE_PATH	"/lib/modules/mydemo.ko"
#define ATOMIC		4096
#define REC_MAGIC	0x6d796465u
/* Records each writer can have checked off; a writer stops there. */
#define SEEN_BITS	2097152u
#define MAX_WRITERS	24
#define MAX_READERS	24
#define MAX_MINORS	30
#define MINOR_BASE	130
#define MAX_PIDS	128
#define IOBUF		16384
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The verified properties, each an ok/not ok line. */
enum prop {
	P_WHOLE,	/* records whole and uncorrupted */
	P_ORDER,	/* per-writer order seen by each reader */
	P_EXACT,	/* nothing lost, nothing duplicated */
	P_FLUSH,	/* lost records == bytes flushed */
	P_STATS,	/* bytes_written == read + flushed + level */
	P_IRQ,		/* interrupt source: order, gaps <= overruns */
	P_SIGIO,	/* SIGIO subscribers signalled */
	P_REMOVE_LOAD,	/* removal under load: whole, ordered, errors expected */
	P_ERRNO,	/* integrity: no unexpected error */
	P_REMOVAL,	/* removal races: only the expected errors */
	P_MODULE,	/* rmmod refused while open, reload cycles */
	P_SIG_SEM,	/* EINTR and restart semantics */
	P_SIG_DATA,	/* no byte lost or duplicated under signals */
	P_SIG_HIT,	/* the signals did interrupt sleepers */
	P_NR,
};

static const char *const prop_name[P_NR] = {
	[P_WHOLE] = "integrity: every record read whole, checksum right",
	[P_ORDER] = "integrity: each reader sees each writer's records in order",
	[P_EXACT] = "integrity: no record lost or duplicated (union over readers)",
	[P_FLUSH] = "integrity: bytes_flushed accounts for every record not read",
	[P_STATS] = "integrity: stat: bytes_written = read + flushed + level, under flush/resize",
	[P_IRQ] = "integrity: interrupt source records in order, gaps within overruns",
	[P_SIGIO] = "integrity: SIGIO subscribers signalled while (un)subscribing",
	[P_REMOVE_LOAD] = "integrity: device removed and re-added under load",
	[P_ERRNO] = "integrity: no unexpected error from I/O, ioctl, sysfs, debugfs",
	[P_REMOVAL] = "removal: I/O, fasync, the interrupt source racing new_device/del_device",
	[P_MODULE] = "removal: rmmod refused while a file is open, rmmod/insmod cycles",
	[P_SIG_SEM] = "signals: EINTR only without SA_RESTART, partial counts only after a signal",
	[P_SIG_DATA] = "signals: no byte lost or duplicated",
	[P_SIG_HIT] = "signals: signals interrupted sleeping readers and writers",
};

struct writer_state {
	uint64_t written;	/* records written, all of them acknowledged */
	int minor;
};

struct minor_state {
	uint64_t recs;		/* records read and checked */
	uint64_t bytes;		/* bytes read */
	uint64_t eintr_r, eintr_w, partial_w;
	int restart;		/* signals phase: SA_RESTART handlers */
};

/* Everything the processes share, in one MAP_SHARED mapping. */
struct shared {
	int stop;
	int bad[P_NR];
	int ran[P_NR];
	uint64_t ops, bytes, records, cycles, reloads, resets;
	uint64_t splice_recs;	/* records that went through splice/sendfile */
	uint64_t load_cycles;	/* integrity: removals under load */
	uint64_t sig_sent, sig_got, sigio;
	uint64_t irq_gaps, irq_first;
	int processes;
	struct writer_state w[MAX_WRITERS];
	struct minor_state m[MAX_MINORS];
	uint8_t seen[MAX_WRITERS][SEEN_BITS / 8];
};

static struct shared *sh;
static int short_mode;
static unsigned int duration = 60;
static pid_t pids[MAX_PIDS];
static const char *pid_name[MAX_PIDS];
static long pid_arg[MAX_PIDS];
static int npids;
static uint64_t rnd_state;
/* Signals this process caught (SIGIO, SIGUSR1); changed by the handler. */
static int sig_count;

static uint64_t rnd(void)
{
	/* xorshift64: cheap, and each process seeds its own. */
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void add(uint64_t *v, uint64_t n)
{
	__atomic_fetch_add(v, n, __ATOMIC_RELAXED);
}

static int stopping(void)
{
	return __atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE);
}

/* A failure of property @p: counted, the first few explained. */
__attribute__((format(printf, 2, 3)))
static void bad(enum prop p, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	n = __atomic_fetch_add(&sh->bad[p], 1, __ATOMIC_RELAXED);
	if (n >= 8)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("# FAIL [%s] %s\n", prop_name[p], line);
	fflush(stdout);
}

static void die(const char *what)
{
	printf("# FATAL %s: %s\n", what, strerror(errno));
	fflush(stdout);
	exit(2);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Fork a worker running @fn(@arg); its pid is remembered for the reaping. */
static pid_t spawn_named(void (*fn)(long), long arg, const char *name)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		rnd_state = (uint64_t)getpid() * 0x9e3779b97f4a7c15ull + 1;
		fn(arg);
		fflush(stdout);
		_exit(0);
	}
	if (npids < MAX_PIDS) {
		pid_name[npids] = name;
		pid_arg[npids] = arg;
		pids[npids++] = pid;
	}
	__atomic_fetch_add(&sh->processes, 1, __ATOMIC_RELAXED);
	return pid;
}

#define spawn(fn, arg)	spawn_named(fn, arg, #fn)

/* Wait for @pid; a worker that died of anything but @expect is a failure. */
static void reap(pid_t pid, int expect_sig, enum prop p)
{
	int st, i;

	if (waitpid(pid, &st, 0) < 0)
		die("waitpid");
	for (i = 0; i < npids; i++)
		if (pids[i] == pid)
			pids[i] = 0;
	if (WIFSIGNALED(st) && WTERMSIG(st) == expect_sig)
		return;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return;
	bad(p, "process %d ended with status %#x", pid, st);
}

static void path_of(char *buf, size_t len, int minor, const char *attr)
{
	if (attr)
		snprintf(buf, len, SYSFS "/mydemo%d/%s", minor, attr);
	else
		snprintf(buf, len, "/dev/mydemo%d", minor);
}

static int class_op(const char *op, int minor)
{
	return mydemo_class_write(op[0] == 'n' ? "new_device" : "del_device", minor);
}

static long long attr(int minor, const char *name)
{
	char path[128], buf[64];

	path_of(path, sizeof(path), minor, name);
	if (mydemo_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtoll(buf, NULL, 0);
}

/* A fresh device at @minor, whatever was there before. */
static void fresh_device(int minor)
{
	int ret;

	class_op("del", minor);
	ret = class_op("new", minor);
	if (ret) {
		errno = -ret;
		die("new_device");
	}
}

static int open_dev(int minor, int flags)
{
	char path[64];

	path_of(path, sizeof(path), minor, NULL);
	return open(path, flags | O_CLOEXEC);
}

/*
 * Records: a header with the writer, the sequence number and a checksum over
 * everything else, then a payload derived from both, so that a record
 * assembled from two writers' bytes, or from a stale buffer, fails the sum.
 */
struct rec {
	uint32_t magic;
	uint16_t writer;
	uint16_t len;
	uint64_t seq;
	uint32_t sum;
	uint32_t pad;
};

static uint32_t rec_sum(const unsigned char *r, unsigned int len)
{
	uint32_t h = 2166136261u;
	unsigned int i;

	for (i = 0; i < len; i++) {
		/* The sum field itself counts as zero. */
		if (i >= offsetof(struct rec, sum) && i < offsetof(struct rec, pad))
			h = h * 16777619u;
		else
			h = (h ^ r[i]) * 16777619u;
	}
	return h;
}

static void rec_make(unsigned char *buf, unsigned int len, int writer,
		     uint64_t seq)
{
	struct rec *r = (struct rec *)buf;
	unsigned int i;

	r->magic = REC_MAGIC;
	r->writer = writer;
	r->len = len;
	r->seq = seq;
	r->pad = 0;
	for (i = sizeof(*r); i < len; i++)
		buf[i] = (unsigned char)(seq * 131 + writer * 7 + i);
	r->sum = rec_sum(buf, len);
}

/* Check one record; 0 if it is whole and right. */
static int rec_check(const unsigned char *buf, unsigned int len)
{
	struct rec r;

	memcpy(&r, buf, sizeof(r));
	return r.magic != REC_MAGIC || r.len != len || r.writer >= MAX_WRITERS ||
	       r.sum != rec_sum(buf, len);
}

/* Mark @seq of @writer seen; 1 if some reader had seen it already. */
static int seen_set(int writer, uint64_t seq)
{
	uint8_t bit = 1u << (seq % 8);

	if (seq >= SEEN_BITS)
		return 0;
	return __atomic_fetch_or(&sh->seen[writer][seq / 8], bit,
				 __ATOMIC_RELAXED) & bit;
}

static uint64_t seen_count(int writer, uint64_t limit, uint64_t *beyond)
{
	uint64_t i, n = 0;

	*beyond = 0;
	for (i = 0; i < SEEN_BITS; i++) {
		if (!(sh->seen[writer][i / 8] & (1u << (i % 8))))
			continue;
		if (i < limit)
			n++;
		else
			(*beyond)++;
	}
	return n;
}

/*
 * The integrity devices. Records have one size per device, and readers ask
 * for whole multiples of it: every write is atomic (at most atomic_size) and
 * every read takes min(asked, level), both multiples, so a reader only ever
 * gets whole records, however many readers share the device.
 */
enum dev_kind { K_RECORDS, K_STREAM, K_FLUSH, K_IRQ, K_REMOVE };

struct dev_spec {
	int minor;
	enum dev_kind kind;
	unsigned int rec;	/* record size */
	int writers, readers;
};

static const struct dev_spec idevs[] = {
	{ 130, K_RECORDS, 64, 3, 3 },
	{ 131, K_RECORDS, 256, 3, 2 },
	{ 132, K_RECORDS, 1024, 2, 2 },
	/* One writer, one reader, writes up to 3 x atomic_size, split. */
	{ 133, K_STREAM, 100, 1, 1 },
	{ 134, K_FLUSH, 128, 2, 2 },
	{ 135, K_IRQ, sizeof(struct mydemo_irq_record), 0, 1 },
	{ 136, K_REMOVE, 64, 1, 1 },
};

#define NIDEVS	((int)ARRAY_SIZE(idevs))

struct worker {
	const struct dev_spec *d;
	int id;			/* writer id, or reader index */
	int first_writer;	/* readers: the device's writer ids */
};

static struct worker workers[MAX_WRITERS + MAX_READERS];
static int nworkers;

static int wait_io(int fd, short ev)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int n;

	/* A guard against a lost wake-up, not a timing assumption. */
	n = poll(&p, 1, 60000);
	if (n == 0)
		return -ETIMEDOUT;
	if (n < 0)
		return -errno;
	if (p.revents & (POLLERR | POLLHUP | POLLNVAL))
		return -ENODEV;
	return 0;
}

/*
 * One read or write through io_uring (this process's ring, made on first
 * use), waited for; the result as read(2) and write(2) give it. On an empty
 * or full fifo the driver's IOCB_NOWAIT attempt fails and io_uring arms a
 * poll, which the driver's wake-up completes.
 */
static struct io_uring ring;
static int ring_ready;

static ssize_t uring_rw(int fd, void *buf, size_t len, int is_write)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int ret;

	if (!ring_ready) {
		ret = io_uring_queue_init(4, &ring, 0);
		if (ret < 0) {
			errno = -ret;
			return -1;
		}
		ring_ready = 1;
	}
	sqe = io_uring_get_sqe(&ring);
	if (is_write)
		io_uring_prep_write(sqe, fd, buf, len, -1);
	else
		io_uring_prep_read(sqe, fd, buf, len, -1);
	ret = io_uring_submit(&ring);
	if (ret != 1) {
		errno = ret < 0 ? -ret : EIO;
		return -1;
	}
	do {
		ret = io_uring_wait_cqe(&ring, &cqe);
	} while (ret == -EINTR);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	ret = cqe->res;
	io_uring_cqe_seen(&ring, cqe);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

/*
 * (Re)open @minor until it exists again, or for a writer (@until_stop)
 * until the phase stops. A reader keeps trying: the remover always leaves
 * the device in place, and a writer may still be blocked on it, waiting for
 * this reader.
 */
static int reopen(int minor, int flags, int until_stop)
{
	int fd;

	for (;;) {
		fd = open_dev(minor, flags);
		if (fd >= 0 || (until_stop && stopping()))
			return fd;
		if (errno != ENOENT && errno != ENXIO && errno != ENODEV)
			bad(P_REMOVE_LOAD, "open mydemo%d: %s", minor,
			    strerror(errno));
		sched_yield();
	}
}

/*
 * A write of @len bytes of @buf (at most ATOMIC: one pipe buffer, one atomic
 * write) through a pipe spliced into @fd, or (@use_sendfile) from a memfd
 * with sendfile(). As write(2): the count or -1 with errno. Bytes the
 * device did not take are dropped from the pipe, so the next call starts
 * empty; the caller writes the same records again.
 */
static ssize_t splice_write(int fd, const void *buf, size_t len, int use_sendfile)
{
	static int p[2] = { -1, -1 }, mfd = -1;
	static char junk[ATOMIC];
	off_t off = 0;
	ssize_t n;
	int e;

	if (use_sendfile) {
		if (mfd < 0)
			mfd = memfd_create("mydemo-stress", 0);
		if (mfd < 0 || pwrite(mfd, buf, len, 0) != (ssize_t)len)
			die("memfd");
		return sendfile(fd, mfd, &off, len);
	}
	if (p[0] < 0 && pipe(p))
		die("pipe");
	if (write(p[1], buf, len) != (ssize_t)len)
		die("write to the pipe");
	n = splice(p[0], NULL, fd, NULL, len, 0);
	if (n != (ssize_t)len) {
		e = errno;
		/* O_NONBLOCK: only empty the pipe, never wait on it. */
		fcntl(p[0], F_SETFL, O_NONBLOCK);
		while (read(p[0], junk, sizeof(junk)) > 0)
			;
		fcntl(p[0], F_SETFL, 0);
		errno = e;
	}
	return n;
}

/* A read of up to @len bytes through a pipe that @fd is spliced into. */
static ssize_t splice_read(int fd, void *buf, size_t len)
{
	static int p[2] = { -1, -1 };
	ssize_t n, got = 0, m;

	if (p[0] < 0 && pipe(p))
		die("pipe");
	n = splice(fd, NULL, p[1], NULL, len, 0);
	if (n <= 0)
		return n;
	/* Every byte the device gave is in the pipe: take them all. */
	while (got < n) {
		m = read(p[0], (char *)buf + got, n - got);
		if (m <= 0)
			die("read from the pipe");
		got += m;
	}
	return n;
}

static void writer_proc(long idx)
{
	const struct worker *wk = &workers[idx];
	const struct dev_spec *d = wk->d;
	unsigned int L = d->rec, maxk = ATOMIC / L, k, i;
	static unsigned char buf[ATOMIC];
	struct iovec iov[16];
	int bfd, nbfd, mode, err;
	uint64_t seq = 0;
	ssize_t n;

	if (maxk > 16)
		maxk = 16;
	bfd = open_dev(d->minor, O_WRONLY);
	nbfd = open_dev(d->minor, O_WRONLY | O_NONBLOCK);
	if (bfd < 0 || nbfd < 0)
		die("writer open");
	while (!stopping() && seq + maxk < SEEN_BITS) {
		k = 1 + rnd() % maxk;
		for (i = 0; i < k; i++) {
			rec_make(buf + i * L, L, wk->id, seq + i);
			iov[i].iov_base = buf + i * L;
			iov[i].iov_len = L;
		}
		mode = rnd() % 6;
		if (mode == 0) {
			n = write(bfd, buf, k * L);
		} else if (mode == 1) {
			err = wait_io(nbfd, POLLOUT);
			n = err ? -1 : write(nbfd, buf, k * L);
			if (err)
				errno = -err;
		} else if (mode == 2) {
			n = writev(bfd, iov, k);
		} else if (mode == 3) {
			n = uring_rw(bfd, buf, k * L, 1);
		} else {
			n = splice_write(bfd, buf, k * L, mode == 5);
		}
		add(&sh->ops, 1);
		if (n == (ssize_t)(k * L)) {
			if (mode >= 4)
				add(&sh->splice_recs, k);
			seq += k;
			__atomic_store_n(&sh->w[wk->id].written, seq,
					 __ATOMIC_RELEASE);
			add(&sh->bytes, n);
			continue;
		}
		if (n >= 0) {
			/* An atomic write came back split. */
			bad(P_WHOLE, "mydemo%d: write of %u bytes returned %zd",
			    d->minor, k * L, n);
			break;
		}
		if (errno == EAGAIN || errno == EINTR)
			continue;
		if (d->kind == K_REMOVE && errno == ENODEV) {
			close(bfd);
			close(nbfd);
			bfd = reopen(d->minor, O_WRONLY, 1);
			nbfd = reopen(d->minor, O_WRONLY | O_NONBLOCK, 1);
			if (bfd < 0 || nbfd < 0)
				break;
			continue;
		}
		bad(d->kind == K_REMOVE ? P_REMOVE_LOAD : P_ERRNO,
		    "mydemo%d: write: %s", d->minor, strerror(errno));
		break;
	}
	close(bfd);
	close(nbfd);
}

/* Check @n bytes of whole records as reader of @d; per-writer @last seq. */
static void check_records(const struct dev_spec *d, const unsigned char *buf,
			  ssize_t n, int64_t *last)
{
	enum prop order = d->kind == K_REMOVE ? P_REMOVE_LOAD : P_ORDER;
	unsigned int L = d->rec;
	struct rec r;
	size_t off;

	for (off = 0; off + L <= (size_t)n; off += L) {
		if (rec_check(buf + off, L)) {
			memcpy(&r, buf + off, sizeof(r));
			bad(d->kind == K_REMOVE ? P_REMOVE_LOAD : P_WHOLE,
			    "mydemo%d: bad record (magic %#x writer %u len %u seq %llu)",
			    d->minor, r.magic, r.writer, r.len,
			    (unsigned long long)r.seq);
			continue;
		}
		memcpy(&r, buf + off, sizeof(r));
		if ((int64_t)r.seq <= last[r.writer])
			bad(order, "mydemo%d: writer %u: seq %llu after %lld",
			    d->minor, r.writer, (unsigned long long)r.seq,
			    (long long)last[r.writer]);
		last[r.writer] = r.seq;
		if (d->kind != K_REMOVE && seen_set(r.writer, r.seq))
			bad(P_EXACT, "mydemo%d: writer %u seq %llu read twice",
			    d->minor, r.writer, (unsigned long long)r.seq);
		add(&sh->m[d->minor - MINOR_BASE].recs, 1);
		add(&sh->records, 1);
	}
}

static void reader_proc(long idx)
{
	const struct worker *wk = &workers[idx];
	const struct dev_spec *d = wk->d;
	unsigned int L = d->rec, maxk = IOBUF / L, k, i;
	static unsigned char buf[IOBUF];
	int64_t last[MAX_WRITERS];
	struct iovec iov[16];
	int bfd, nbfd, mode, err;
	ssize_t n;

	for (i = 0; i < MAX_WRITERS; i++)
		last[i] = -1;
	bfd = open_dev(d->minor, O_RDONLY);
	nbfd = open_dev(d->minor, O_RDONLY | O_NONBLOCK);
	if (bfd < 0 || nbfd < 0)
		die("reader open");
	/* Until killed: the main process knows when all was read. */
	for (;;) {
		k = 1 + rnd() % maxk;
		mode = rnd() % 5;
		if (mode == 4) {
			n = splice_read(bfd, buf, k * L);
			if (n > 0)
				add(&sh->splice_recs, n / L);
		} else if (mode == 3) {
			n = uring_rw(bfd, buf, k * L, 0);
		} else if (mode == 0) {
			n = read(bfd, buf, k * L);
		} else if (mode == 1) {
			err = wait_io(nbfd, POLLIN);
			n = err ? -1 : read(nbfd, buf, k * L);
			if (err)
				errno = -err;
		} else {
			if (k > 16)
				k = 16;
			for (i = 0; i < k; i++) {
				iov[i].iov_base = buf + i * L;
				iov[i].iov_len = L;
			}
			n = readv(bfd, iov, k);
		}
		add(&sh->ops, 1);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR ||
			    errno == ETIMEDOUT)
				continue;
			if (d->kind == K_REMOVE && errno == ENODEV) {
				close(bfd);
				close(nbfd);
				bfd = reopen(d->minor, O_RDONLY, 0);
				nbfd = reopen(d->minor, O_RDONLY | O_NONBLOCK, 0);
				continue;
			}
			bad(d->kind == K_REMOVE ? P_REMOVE_LOAD : P_ERRNO,
			    "mydemo%d: read: %s", d->minor, strerror(errno));
			pause();
		}
		if (n == 0 || n % L) {
			bad(d->kind == K_REMOVE ? P_REMOVE_LOAD : P_WHOLE,
			    "mydemo%d: read returned %zd, not whole %u-byte records",
			    d->minor, n, L);
			pause();
		}
		add(&sh->bytes, n);
		add(&sh->m[d->minor - MINOR_BASE].bytes, n);
		check_records(d, buf, n, last);
	}
}

/*
 * The stream device: one writer writes a stream of records in slices of any
 * size (up to three times the atomic size: split by the driver as it likes),
 * one reader reads any sizes and reassembles. Exact: seq 0, 1, 2, ...
 */
static void stream_writer(long idx)
{
	const struct worker *wk = &workers[idx];
	const struct dev_spec *d = wk->d;
	static unsigned char buf[4 * ATOMIC + 200];
	unsigned int L = d->rec, len, off, want, i;
	uint64_t seq = 0, total = 0;
	int fd, nbfd, nb;
	ssize_t n;

	fd = open_dev(d->minor, O_WRONLY);
	nbfd = open_dev(d->minor, O_WRONLY | O_NONBLOCK);
	if (fd < 0 || nbfd < 0)
		die("stream writer open");
	while (!stopping() && seq + 200 < SEEN_BITS) {
		len = (1 + rnd() % (sizeof(buf) / L)) * L;
		for (i = 0; i < len / L; i++)
			rec_make(buf + i * L, L, wk->id, seq + i);
		for (off = 0; off < len; ) {
			want = 1 + rnd() % (len - off);
			nb = rnd() % 2;
			if (nb && wait_io(nbfd, POLLOUT))
				bad(P_ERRNO, "mydemo%d: poll for writing",
				    d->minor);
			n = write(nb ? nbfd : fd, buf + off, want);
			add(&sh->ops, 1);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n <= 0 || (!nb && n != want)) {
				/* A blocking write returns when all is in. */
				bad(P_ERRNO, "mydemo%d: write of %u: %zd (%s)",
				    d->minor, want, n, strerror(errno));
				return;
			}
			off += n;
			total += n;
			add(&sh->bytes, n);
			__atomic_store_n(&sh->w[wk->id].written, total / L,
					 __ATOMIC_RELEASE);
		}
		seq += len / L;
	}
}

static void stream_reader(long idx)
{
	const struct worker *wk = &workers[idx];
	const struct dev_spec *d = wk->d;
	static unsigned char buf[IOBUF + 200];
	unsigned int L = d->rec, have = 0, want, off;
	uint64_t expect = 0;
	struct rec r;
	int fd, nbfd, nb;
	ssize_t n;

	fd = open_dev(d->minor, O_RDONLY);
	nbfd = open_dev(d->minor, O_RDONLY | O_NONBLOCK);
	if (fd < 0 || nbfd < 0)
		die("stream reader open");
	for (;;) {
		want = 1 + rnd() % (IOBUF - L);
		nb = rnd() % 2;
		if (nb && wait_io(nbfd, POLLIN))
			continue;
		n = read(nb ? nbfd : fd, buf + have, want);
		add(&sh->ops, 1);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			bad(P_ERRNO, "mydemo%d: read: %zd (%s)", d->minor, n,
			    strerror(errno));
			pause();
		}
		have += n;
		add(&sh->bytes, n);
		add(&sh->m[d->minor - MINOR_BASE].bytes, n);
		for (off = 0; off + L <= have; off += L) {
			memcpy(&r, buf + off, sizeof(r));
			if (rec_check(buf + off, L)) {
				bad(P_WHOLE, "mydemo%d: stream record %llu corrupt",
				    d->minor, (unsigned long long)expect);
				pause();
			}
			if (r.seq != expect)
				bad(P_ORDER, "mydemo%d: stream seq %llu, expected %llu",
				    d->minor, (unsigned long long)r.seq,
				    (unsigned long long)expect);
			if (seen_set(r.writer, r.seq))
				bad(P_EXACT, "mydemo%d: stream seq %llu twice",
				    d->minor, (unsigned long long)r.seq);
			expect = r.seq + 1;
			add(&sh->m[d->minor - MINOR_BASE].recs, 1);
			add(&sh->records, 1);
		}
		memmove(buf, buf + off, have - off);
		have -= off;
	}
}

/* The interrupt source's records: seq strictly increasing, gaps counted. */
static void irq_reader(long idx)
{
	const struct worker *wk = &workers[idx];
	struct mydemo_irq_record recs[64];
	int64_t last = -1;
	ssize_t n, i;
	int fd;

	fd = open_dev(wk->d->minor, O_RDONLY);
	if (fd < 0)
		die("irq reader open");
	for (;;) {
		n = read(fd, recs, (1 + rnd() % 64) * sizeof(recs[0]));
		add(&sh->ops, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || n % sizeof(recs[0])) {
			bad(P_IRQ, "mydemo%d: read %zd (%s)", wk->d->minor, n,
			    strerror(errno));
			pause();
		}
		add(&sh->bytes, n);
		for (i = 0; i < n / (ssize_t)sizeof(recs[0]); i++) {
			if ((int64_t)recs[i].seq <= last)
				bad(P_IRQ, "seq %llu after %lld",
				    (unsigned long long)recs[i].seq,
				    (long long)last);
			else if (last < 0)
				sh->irq_first = recs[i].seq;
			else
				add(&sh->irq_gaps, recs[i].seq - last - 1);
			last = recs[i].seq;
			add(&sh->m[wk->d->minor - MINOR_BASE].recs, 1);
			add(&sh->records, 1);
		}
	}
}

static int64_t stat_field(int minor, int field)
{
	char path[128], buf[512], *p = buf;
	int i;

	path_of(path, sizeof(path), minor, "stat");
	if (mydemo_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	for (i = 0; i < field; i++) {
		p = strchr(p, ' ');
		if (!p)
			return -1;
		p++;
	}
	return strtoll(p, NULL, 10);
}

/* The "stat" fields (Documentation/ABI/testing/sysfs-class-mydemo). */
enum { S_READ = 0, S_WRITTEN = 1, S_FLUSHED = 14, S_LEVEL = 17 };

/* bytes_written == bytes_read + bytes_flushed + fifo_level, in one line. */
static void check_stat_line(int minor)
{
	unsigned long long v[22];
	char path[128], buf[512], *p, *end;
	int n;

	path_of(path, sizeof(path), minor, "stat");
	if (mydemo_read_file(path, buf, sizeof(buf)) <= 0) {
		bad(P_ERRNO, "read %s: %s", path, strerror(errno));
		return;
	}
	for (n = 0, p = buf; n < 18; n++) {
		v[n] = strtoull(p, &end, 10);
		if (end == p)
			break;
		p = end;
	}
	if (n != 18) {
		bad(P_STATS, "%s: \"%s\"", path, buf);
		return;
	}
	if (v[S_WRITTEN] != v[S_READ] + v[S_FLUSHED] + v[S_LEVEL])
		bad(P_STATS, "mydemo%d: written %llu != read %llu + flushed %llu + level %llu",
		    minor, v[S_WRITTEN], v[S_READ], v[S_FLUSHED], v[S_LEVEL]);
}

/*
 * Flush and resize the flush device while its writers and readers run,
 * checking the stat invariant after each. Paced by the readers: the next
 * action waits until they read more, so they are not starved of data.
 */
static void chaos_proc(long minor)
{
	static const unsigned int sizes[] = { 4096, 8192, 16384, 65536 };
	char path[128], val[16];
	uint64_t mark = 0, r;
	unsigned int size;
	int fd, ret;

	fd = open_dev(minor, O_WRONLY);
	if (fd < 0)
		die("chaos open");
	path_of(path, sizeof(path), minor, "fifo_size");
	while (!stopping()) {
		r = __atomic_load_n(&sh->m[minor - MINOR_BASE].recs,
				    __ATOMIC_RELAXED);
		if (r < mark + 20) {
			usleep(1000);
			continue;
		}
		mark = r;
		size = sizes[rnd() % 4];
		switch (rnd() % 3) {
		case 0:
			ret = ioctl(fd, MYDEMO_IOC_FLUSH) ? -errno : 0;
			break;
		case 1:
			ret = ioctl(fd, MYDEMO_IOC_SET_SIZE, &size) ? -errno : 0;
			break;
		default:
			snprintf(val, sizeof(val), "%u", size);
			ret = mydemo_write_str(path, val);
			break;
		}
		add(&sh->ops, 1);
		/* EBUSY: the contents did not fit the smaller size. */
		if (ret && ret != -EBUSY)
			bad(P_ERRNO, "mydemo%ld: flush/resize: %s", minor,
			    strerror(-ret));
		check_stat_line(minor);
	}
	close(fd);
}

/* Counters reset, every sysfs and debugfs file read, on every device. */
static void observer_proc(long unused)
{
	static const char *const files[] = {
		"stat", "fifo_size", "fifo_level", "atomic_size",
		"high_watermark", "readers", "writers", "fasync_subscribers",
		"waiting_readers", "waiting_writers", "irq_rate",
		"statistics/bytes_read", "statistics/bytes_written",
		"statistics/reads_blocked", "statistics/writes_blocked",
		"statistics/sigio_sent", "statistics/overruns",
		"statistics/bytes_flushed", "statistics/reads_interrupted",
	};
	static const char *const dfiles[] = {
		"state", "wait_latency", "contents",
	};
	char path[160], buf[8192];
	struct mydemo_stats st;
	unsigned int i;
	int j, fd, minor;
	ssize_t n;

	while (!stopping()) {
		for (j = 0; j < NIDEVS; j++) {
			minor = idevs[j].minor;
			for (i = 0; i < ARRAY_SIZE(files); i++) {
				path_of(path, sizeof(path), minor, files[i]);
				n = mydemo_read_file(path, buf, sizeof(buf));
				add(&sh->ops, 1);
				/* Only the device removed on purpose may be gone. */
				if (n <= 0 && !(idevs[j].kind == K_REMOVE &&
						(n == -ENOENT || n == -ENODEV)))
					bad(P_ERRNO, "read %s: %zd", path, n);
			}
			for (i = 0; i < 3; i++) {
				snprintf(path, sizeof(path), DEBUGFS "/mydemo%d/%s",
					 minor, dfiles[i]);
				n = mydemo_read_file(path, buf, sizeof(buf));
				add(&sh->ops, 1);
				if (n < 0 && !(idevs[j].kind == K_REMOVE &&
					       (n == -ENOENT || n == -EIO)))
					bad(P_ERRNO, "read %s: %zd", path, n);
			}
			if (idevs[j].kind != K_RECORDS)
				continue;
			/* Resets only where no test reads the counters. */
			fd = open_dev(minor, O_WRONLY);
			if (fd < 0 || ioctl(fd, MYDEMO_IOC_GET_STATS, &st) ||
			    ioctl(fd, MYDEMO_IOC_RESET_STATS))
				bad(P_ERRNO, "mydemo%d: stats ioctls: %s", minor,
				    strerror(errno));
			else
				add(&sh->resets, 1);
			if (fd >= 0)
				close(fd);
		}
	}
}

static void count_sig(int sig)
{
	__atomic_fetch_add(&sig_count, 1, __ATOMIC_RELAXED);
}

/* Read where a handler may have run in between: from memory every time. */
static int sigs_caught(void)
{
	return __atomic_load_n(&sig_count, __ATOMIC_RELAXED);
}

/* SIGIO subscriber: subscribes and unsubscribes while signals come. */
static void sigio_proc(long minor)
{
	struct sigaction sa = { .sa_handler = count_sig };
	int fd, fl, i;

	sigaction(SIGIO, &sa, NULL);
	fd = open_dev(minor, O_RDONLY | O_NONBLOCK);
	if (fd < 0 || fcntl(fd, F_SETOWN, getpid()))
		die("sigio open");
	fl = fcntl(fd, F_GETFL);
	for (i = 0; !stopping(); i++) {
		if (fcntl(fd, F_SETFL, (i & 1) ? fl : fl | O_ASYNC))
			bad(P_ERRNO, "F_SETFL O_ASYNC: %s", strerror(errno));
		add(&sh->ops, 1);
		/* Stay subscribed until a signal came (or a 10 ms guard). */
		if (!(i & 1))
			poll(NULL, 0, 10);
	}
	add(&sh->sigio, sigs_caught());
	close(fd);
}

/*
 * Delete and re-add the device while its writer and reader run; each cycle
 * waits for a record read on the current incarnation, so every incarnation
 * sees I/O.
 */
static void remover_proc(long minor)
{
	uint64_t mark = 0, r;
	int ret;

	while (!stopping()) {
		r = __atomic_load_n(&sh->m[minor - MINOR_BASE].recs,
				    __ATOMIC_RELAXED);
		if (r <= mark) {
			sched_yield();
			continue;
		}
		mark = r;
		ret = class_op("del", minor);
		if (!ret)
			ret = class_op("new", minor);
		if (ret)
			bad(P_REMOVE_LOAD, "mydemo%ld: del/new: %s", minor,
			    strerror(-ret));
		else
			add(&sh->load_cycles, 1);
	}
}

static uint64_t writers_total(int minor, int *first, int *n)
{
	uint64_t t = 0;
	int i;

	*n = 0;
	*first = -1;
	for (i = 0; i < MAX_WRITERS; i++) {
		if (sh->w[i].minor != minor)
			continue;
		if (*first < 0)
			*first = i;
		(*n)++;
		t += __atomic_load_n(&sh->w[i].written, __ATOMIC_ACQUIRE);
	}
	return t;
}

/* What the driver says about a device, for a failure's explanation. */
static void dump_state(int minor)
{
	char path[128], buf[4096], *line, *save;
	char st[256], wchan[64];
	int i;

	/* Where each worker is: its state and the kernel function it sleeps in. */
	for (i = 0; i < npids; i++) {
		if (!pids[i])
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pids[i]);
		if (mydemo_read_file(path, st, sizeof(st)) <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/wchan", pids[i]);
		if (mydemo_read_file(path, wchan, sizeof(wchan)) <= 0)
			wchan[0] = '\0';
		st[strcspn(st, "\n")] = '\0';
		printf("#   pid %d %s(%ld): %.30s wchan %s\n", pids[i],
		       pid_name[i], pid_arg[i],
		       strchr(st, ')') ? strchr(st, ')') + 2 : st, wchan);
	}

	snprintf(path, sizeof(path), DEBUGFS "/mydemo%d/state", minor);
	if (mydemo_read_file(path, buf, sizeof(buf)) <= 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		printf("#   %s\n", line);
}

/*
 * Wait until @cond(@arg) holds; 0, or -1 after @secs (a hang guard), with
 * the device's state shown.
 */
static int wait_until(int (*cond)(long), long arg, int secs)
{
	double end = now() + secs;

	while (!cond(arg)) {
		if (now() > end) {
			printf("# mydemo%ld after %d s:\n", arg, secs);
			dump_state(arg);
			return -1;
		}
		usleep(2000);
	}
	return 0;
}

static int all_read(long minor)
{
	const struct dev_spec *d = &idevs[minor - MINOR_BASE];
	uint64_t got, flushed = 0;
	int first, n;

	got = __atomic_load_n(&sh->m[minor - MINOR_BASE].recs, __ATOMIC_RELAXED);
	if (d->kind == K_FLUSH)
		flushed = stat_field(minor, S_FLUSHED) / d->rec;
	return got + flushed >= writers_total(minor, &first, &n);
}

/* The interrupt source is off: every record it stored has been checked. */
static int irq_all_read(long minor)
{
	return __atomic_load_n(&sh->m[minor - MINOR_BASE].recs, __ATOMIC_RELAXED) >=
	       (uint64_t)attr(minor, "statistics/irq_records");
}

static void phase_integrity(void)
{
	pid_t readers[MAX_READERS], others[16];
	int nr = 0, no = 0, nw = 0, i, j, w, first, n;
	pid_t writers[MAX_WRITERS];
	unsigned int rate = short_mode ? 500 : 1000, zero = 0;
	uint64_t total, got, beyond, flushed, lost, irq_recs, overruns;
	const struct dev_spec *d;
	int irqfd;

	for (i = 0; i < NIDEVS; i++)
		fresh_device(idevs[i].minor);

	/* Writer ids first, so readers know every writer of their device. */
	for (i = 0; i < NIDEVS; i++) {
		d = &idevs[i];
		for (j = 0; j < d->writers; j++) {
			sh->w[nw].minor = d->minor;
			workers[nworkers] = (struct worker){ d, nw++, 0 };
			if (d->kind == K_STREAM)
				writers[nworkers] = spawn(stream_writer, nworkers);
			else
				writers[nworkers] = spawn(writer_proc, nworkers);
			nworkers++;
		}
	}
	nw = nworkers;
	for (i = 0; i < NIDEVS; i++) {
		d = &idevs[i];
		for (j = 0; j < d->readers; j++) {
			workers[nworkers] = (struct worker){ d, j, 0 };
			if (d->kind == K_STREAM)
				readers[nr++] = spawn(stream_reader, nworkers);
			else if (d->kind == K_IRQ)
				readers[nr++] = spawn(irq_reader, nworkers);
			else
				readers[nr++] = spawn(reader_proc, nworkers);
			nworkers++;
		}
	}
	irqfd = open_dev(135, O_RDONLY);
	if (irqfd < 0 || ioctl(irqfd, MYDEMO_IOC_SET_IRQ_RATE, &rate))
		die("irq rate");
	others[no++] = spawn(chaos_proc, 134);
	others[no++] = spawn(observer_proc, 0);
	others[no++] = spawn(sigio_proc, 130);
	others[no++] = spawn(sigio_proc, 135);
	others[no++] = spawn(remover_proc, 136);

	sleep(duration);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	/* Blocked writers are freed by the readers, who go on. */
	for (i = 0; i < nw; i++)
		reap(writers[i], 0, P_ERRNO);
	for (i = 0; i < no; i++)
		reap(others[i], 0, P_ERRNO);
	/* Synchronous: when it returns, every record is in or counted. */
	if (ioctl(irqfd, MYDEMO_IOC_SET_IRQ_RATE, &zero))
		die("irq rate 0");
	close(irqfd);
	for (i = 0; i < NIDEVS; i++) {
		d = &idevs[i];
		if (d->kind == K_REMOVE)
			continue;
		if (d->kind == K_IRQ ? wait_until(irq_all_read, d->minor, 120) :
		    wait_until(all_read, d->minor, 120))
			bad(P_EXACT, "mydemo%d: readers did not get everything in 120 s",
			    d->minor);
	}
	for (i = 0; i < nr; i++)
		kill(readers[i], SIGKILL);
	for (i = 0; i < nr; i++)
		reap(readers[i], SIGKILL, P_ERRNO);

	for (i = 0; i < NIDEVS; i++) {
		d = &idevs[i];
		if (d->kind == K_REMOVE || d->kind == K_IRQ)
			continue;
		total = writers_total(d->minor, &first, &n);
		got = 0;
		for (w = first; w < first + n; w++) {
			got += seen_count(w, sh->w[w].written, &beyond);
			if (beyond)
				bad(P_EXACT, "mydemo%d: writer %d: %llu unwritten records read",
				    d->minor, w, (unsigned long long)beyond);
		}
		if (!total)
			bad(P_EXACT, "mydemo%d: nothing written", d->minor);
		lost = total - got;
		if (d->kind == K_FLUSH) {
			flushed = stat_field(d->minor, S_FLUSHED);
			if (flushed % d->rec || lost != flushed / d->rec)
				bad(P_FLUSH, "mydemo%d: %llu not read, %llu bytes flushed (%u)",
				    d->minor, (unsigned long long)lost,
				    (unsigned long long)flushed, d->rec);
			if (!flushed)
				bad(P_FLUSH, "mydemo%d: nothing was flushed",
				    d->minor);
			printf("# mydemo%d: %llu records written, %llu read, %llu flushed\n",
			       d->minor, (unsigned long long)total,
			       (unsigned long long)got,
			       (unsigned long long)(flushed / d->rec));
			check_stat_line(d->minor);
		} else {
			if (lost)
				bad(P_EXACT, "mydemo%d: %llu of %llu records lost",
				    d->minor, (unsigned long long)lost,
				    (unsigned long long)total);
			printf("# mydemo%d: %llu records written, %llu read\n",
			       d->minor, (unsigned long long)total,
			       (unsigned long long)got);
		}
	}

	irq_recs = sh->m[135 - MINOR_BASE].recs;
	overruns = attr(135, "statistics/overruns");
	if (irq_recs == 0 || irq_recs != (uint64_t)attr(135, "statistics/irq_records") ||
	    sh->irq_first + sh->irq_gaps > overruns)
		bad(P_IRQ, "read %llu, irq_records %lld, first %llu, gaps %llu, overruns %llu",
		    (unsigned long long)irq_recs, attr(135, "statistics/irq_records"),
		    (unsigned long long)sh->irq_first,
		    (unsigned long long)sh->irq_gaps,
		    (unsigned long long)overruns);
	printf("# mydemo135: %llu interrupt records read, %llu overruns\n",
	       (unsigned long long)irq_recs, (unsigned long long)overruns);
	if (!sh->sigio)
		bad(P_SIGIO, "no SIGIO received");
	if (!sh->load_cycles || !sh->m[136 - MINOR_BASE].recs)
		bad(P_REMOVE_LOAD, "%llu removal cycles, %llu records read",
		    (unsigned long long)sh->load_cycles,
		    (unsigned long long)sh->m[136 - MINOR_BASE].recs);
	printf("# mydemo136: %llu removal cycles under load, %llu records read\n",
	       (unsigned long long)sh->load_cycles,
	       (unsigned long long)sh->m[136 - MINOR_BASE].recs);
	for (i = 0; i < NIDEVS; i++)
		class_op("del", idevs[i].minor);
	for (i = 0; i <= P_ERRNO; i++)
		sh->ran[i] = 1;
}

/* ------------------------------------------------------------------ */
/* Removal races. */

#define RM_FIRST	150
#define RM_COUNT	10

/* An errno the removal races may legitimately produce. */
static int expected_gone(int e)
{
	return e == ENODEV || e == ENOENT || e == ENXIO || e == EAGAIN ||
	       e == EINTR;
}

/*
 * A user of devices that come and go: open, then a random mix of reads,
 * writes, polls, blocking calls (woken by the removal), SIGIO on and off,
 * ioctls, close. Only "gone" errors are expected.
 */
static void rm_user(long devs)
{
	struct sigaction sa = { .sa_handler = count_sig };
	unsigned char buf[512];
	struct mydemo_info info;
	struct pollfd p;
	int fd, minor, i, ops, level;
	ssize_t n;

	sigaction(SIGIO, &sa, NULL);
	memset(buf, 0x5a, sizeof(buf));
	/* The removers get the CPU first: more cycles for the same races. */
	if (nice(10) < 0)
		die("nice");
	while (!stopping()) {
		minor = devs ? (int)(rnd() % 8) : RM_FIRST + rnd() % RM_COUNT;
		/*
		 * Blocking calls only on the devices that get removed (which
		 * wakes them): on mydemo0..7 a sleeper would keep rmmod out.
		 */
		fd = open_dev(minor, O_RDWR |
			      ((devs || rnd() % 2) ? O_NONBLOCK : 0));
		add(&sh->ops, 1);
		if (fd < 0) {
			if (!expected_gone(errno))
				bad(devs ? P_MODULE : P_REMOVAL, "open mydemo%d: %s",
				    minor, strerror(errno));
			sched_yield();
			continue;
		}
		ops = 1 + rnd() % 8;
		for (i = 0; i < ops; i++) {
			n = 0;
			switch (rnd() % 6) {
			case 0:
				n = write(fd, buf, 1 + rnd() % sizeof(buf));
				break;
			case 1:
				n = read(fd, buf, sizeof(buf));
				break;
			case 2:
				p = (struct pollfd){ .fd = fd,
						     .events = POLLIN | POLLOUT };
				n = poll(&p, 1, 0);
				break;
			case 3:
				n = fcntl(fd, F_SETOWN, getpid());
				if (!n)
					n = fcntl(fd, F_SETFL,
						  fcntl(fd, F_GETFL) ^ O_ASYNC);
				break;
			case 4:
				n = ioctl(fd, MYDEMO_IOC_GET_INFO, &info);
				break;
			default:
				n = ioctl(fd, FIONREAD, &level);
				break;
			}
			add(&sh->ops, 1);
			if (n < 0 && !expected_gone(errno))
				bad(devs ? P_MODULE : P_REMOVAL, "mydemo%d: %s",
				    minor, strerror(errno));
		}
		close(fd);
	}
	add(&sh->sigio, sigs_caught());
}

/*
 * Delete and re-add devices at random; EEXIST/ENODEV: the other remover.
 * Half the devices created get their interrupt source switched on (up to
 * its highest rate), so removals also race a running source and a bottom
 * half that waits for the write mutex of a device being removed.
 */
static void rm_remover(long unused)
{
	char path[160], rate[16];
	int minor, ret;

	while (!stopping()) {
		minor = RM_FIRST + rnd() % RM_COUNT;
		ret = class_op("del", minor);
		if (!ret)
			add(&sh->cycles, 1);
		else if (ret != -ENODEV)
			bad(P_REMOVAL, "del_device %d: %s", minor, strerror(-ret));
		minor = RM_FIRST + rnd() % RM_COUNT;
		ret = class_op("new", minor);
		if (ret && ret != -EEXIST)
			bad(P_REMOVAL, "new_device: %s", strerror(-ret));
		if (!ret && rnd() % 2) {
			path_of(path, sizeof(path), minor, "irq_rate");
			snprintf(rate, sizeof(rate), "%u",
				 rnd() % 2 ? 10000 : 1 + (unsigned int)(rnd() % 10000));
			/* The other remover may have taken it meanwhile. */
			ret = mydemo_write_str(path, rate);
			if (ret && ret != -ENOENT && ret != -ENODEV)
				bad(P_REMOVAL, "%s: %s", path, strerror(-ret));
			add(&sh->ops, 1);
		}
		add(&sh->ops, 2);
	}
}

/* sysfs and debugfs files of devices that come and go. */
static void rm_prober(long unused)
{
	char path[160], buf[4096];
	int minor;
	ssize_t n;

	if (nice(10) < 0)
		die("nice");
	while (!stopping()) {
		minor = RM_FIRST + rnd() % RM_COUNT;
		path_of(path, sizeof(path), minor, "stat");
		n = mydemo_read_file(path, buf, sizeof(buf));
		if (n <= 0 && n != -ENOENT && n != -ENODEV)
			bad(P_REMOVAL, "read %s: %zd", path, n);
		snprintf(path, sizeof(path), DEBUGFS "/mydemo%d/state", minor);
		n = mydemo_read_file(path, buf, sizeof(buf));
		if (n <= 0 && n != -ENOENT && n != -EIO)
			bad(P_REMOVAL, "read %s: %zd", path, n);
		add(&sh->ops, 2);
	}
}

static int delete_module(int flags)
{
	return syscall(SYS_delete_module, "mydemo", flags) ? -errno : 0;
}

static int load_module(const char *params)
{
	int fd, ret;

	fd = open(MODULE_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* The module's parameters now, to load it again as it was. */
static void module_params(char *buf, size_t len)
{
	static const char *const names[] = { "ndevices", "fifo_size", "mode" };
	char path[128], v[32];
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/sys/module/mydemo/parameters/%s",
			 names[i]);
		if (mydemo_read_file(path, v, sizeof(v)) <= 0)
			continue;
		v[strcspn(v, "\n")] = '\0';
		off += snprintf(buf + off, len - off, "%s%s=%s", off ? " " : "",
				names[i], v);
	}
}

/*
 * rmmod with a file open must fail (EAGAIN/EBUSY, mydemo stays), and
 * succeed once it is closed, while other processes open and use
 * /dev/mydemo0..7 as fast as they can.
 */
static void module_cycles(int cycles)
{
	char params[128], c;
	pid_t holder, users[2];
	int i, ret, fd, tries, hold[2], go[2];

	module_params(params, sizeof(params));
	__atomic_store_n(&sh->stop, 0, __ATOMIC_RELEASE);
	users[0] = spawn(rm_user, 1);
	users[1] = spawn(rm_user, 1);
	for (i = 0; i < cycles; i++) {
		if (pipe(hold) || pipe(go))
			die("pipe");
		holder = fork();
		if (holder < 0)
			die("fork");
		if (!holder) {
			fd = open_dev(0, O_RDONLY);
			c = fd < 0 ? 'x' : 'o';
			if (write(hold[1], &c, 1) != 1 || read(go[0], &c, 1) < 0)
				_exit(1);
			_exit(fd < 0);
		}
		/* The holder has the file open: rmmod must be refused. */
		if (read(hold[0], &c, 1) != 1 || c != 'o') {
			bad(P_MODULE, "cycle %d: the holder could not open mydemo0", i);
		} else {
			ret = delete_module(O_NONBLOCK);
			if (ret != -EAGAIN && ret != -EBUSY)
				bad(P_MODULE, "cycle %d: rmmod with a file open: %s",
				    i, ret ? strerror(-ret) : "succeeded");
		}
		if (write(go[1], "x", 1) != 1)
			die("pipe write");
		reap(holder, 0, P_MODULE);
		close(hold[0]);
		close(hold[1]);
		close(go[0]);
		close(go[1]);
		/* Refused while a user has a file open for a moment. */
		for (tries = 0; tries < 100000; tries++) {
			ret = delete_module(O_NONBLOCK);
			if (ret != -EAGAIN && ret != -EBUSY)
				break;
			sched_yield();
		}
		if (ret) {
			bad(P_MODULE, "cycle %d: rmmod: %s", i, strerror(-ret));
			break;
		}
		ret = load_module(params);
		if (ret) {
			bad(P_MODULE, "cycle %d: insmod %s: %s", i, params,
			    strerror(-ret));
			break;
		}
		if (access("/dev/mydemo0", F_OK))
			bad(P_MODULE, "cycle %d: no /dev/mydemo0 after insmod", i);
		add(&sh->reloads, 1);
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	reap(users[0], 0, P_MODULE);
	reap(users[1], 0, P_MODULE);
	if (!sh->reloads)
		bad(P_MODULE, "no reload cycle");
}

/* A cycle costs tens of ms under TCG: the long form gets thousands. */
static unsigned int removal_secs(void)
{
	return short_mode ? duration / 2 : duration;
}

static void phase_removal(void)
{
	pid_t users[6], others[3];
	int i, nu = short_mode ? 3 : 6, no = 0;
	uint64_t target = short_mode ? 1000 : 20000;
	double t0 = now();
	double end;

	__atomic_store_n(&sh->stop, 0, __ATOMIC_RELEASE);
	for (i = 0; i < RM_COUNT; i++)
		fresh_device(RM_FIRST + i);
	for (i = 0; i < nu; i++)
		users[i] = spawn(rm_user, 0);
	others[no++] = spawn(rm_remover, 0);
	others[no++] = spawn(rm_remover, 0);
	others[no++] = spawn(rm_prober, 0);
	/* Until the cycle target, within the phase's time. */
	end = now() + removal_secs();
	while (__atomic_load_n(&sh->cycles, __ATOMIC_RELAXED) < target &&
	       now() < end)
		usleep(100000);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < no; i++)
		reap(others[i], 0, P_REMOVAL);
	/* Removing every device wakes the users asleep in one. */
	for (i = 0; i < RM_COUNT; i++)
		class_op("del", RM_FIRST + i);
	for (i = 0; i < nu; i++)
		reap(users[i], 0, P_REMOVAL);
	if (sh->cycles < 20)
		bad(P_REMOVAL, "only %llu removal cycles",
		    (unsigned long long)sh->cycles);
	printf("# removal: %llu del_device/new_device cycles in %.0f s\n",
	       (unsigned long long)sh->cycles, now() - t0);
	module_cycles(short_mode ? 10 : 50);
	printf("# removal: %llu rmmod/insmod cycles\n",
	       (unsigned long long)sh->reloads);
	sh->ran[P_REMOVAL] = 1;
	sh->ran[P_MODULE] = 1;
}

/* ------------------------------------------------------------------ */
/* Signals. */

#define SIG_FIRST	140

/* The stream's byte at offset @p: a lost or repeated byte shows. */
static unsigned char stream_byte(uint64_t p)
{
	uint32_t h = (uint32_t)(p >> 2) * 2654435761u;

	h ^= h >> 15;
	return (unsigned char)(h >> (8 * (p & 3)));
}

/*
 * The signals phase's handler: counted for this process's checks and, so
 * that readers killed at the end are counted too, at once in the figures.
 */
static void count_usr1(int sig)
{
	__atomic_fetch_add(&sig_count, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&sh->sig_got, 1, __ATOMIC_RELAXED);
}

static void sig_handler_install(int restart)
{
	struct sigaction sa = { .sa_handler = count_usr1 };

	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGUSR1, &sa, NULL);
}

/*
 * A write of @len from a blocking file: all of it, or after a signal, a
 * partial count or (nothing written, no SA_RESTART) EINTR. The rules of
 * pipe(7).
 */
static void sig_check_write(int minor, ssize_t n, size_t len,
			    int before, int restart)
{
	struct minor_state *ms = &sh->m[minor - MINOR_BASE];
	int signalled = sigs_caught() != before;

	if (n == (ssize_t)len)
		return;
	if (n >= 0) {
		add(&ms->partial_w, 1);
		if (!signalled)
			bad(P_SIG_SEM, "mydemo%d: write of %zu returned %zd without a signal",
			    minor, len, n);
		return;
	}
	if (errno != EINTR)
		bad(P_SIG_SEM, "mydemo%d: write: %s", minor, strerror(errno));
	add(&ms->eintr_w, 1);
	if (restart || !signalled)
		bad(P_SIG_SEM, "mydemo%d: write failed with EINTR (%s)", minor,
		    restart ? "SA_RESTART" : "no signal");
}

static int sig_check_read(int minor, ssize_t n, int before,
			  int restart)
{
	struct minor_state *ms = &sh->m[minor - MINOR_BASE];

	if (n > 0)
		return 0;
	if (n == 0 || errno != EINTR) {
		bad(P_SIG_SEM, "mydemo%d: read: %zd (%s)", minor, n,
		    strerror(errno));
		pause();
	}
	add(&ms->eintr_r, 1);
	if (restart || sigs_caught() == before)
		bad(P_SIG_SEM, "mydemo%d: read failed with EINTR (%s)", minor,
		    restart ? "SA_RESTART" : "no signal");
	return -1;
}

/* Stream devices (140, 141): one writer, one reader, any sizes. */
static void sig_stream_writer(long minor)
{
	static unsigned char buf[4 * ATOMIC];
	int restart = sh->m[minor - MINOR_BASE].restart, fd;
	uint64_t off = 0;
	int before;
	size_t len, i;
	ssize_t n;

	sig_handler_install(restart);
	fd = open_dev(minor, O_WRONLY);
	if (fd < 0)
		die("signal writer open");
	while (!stopping()) {
		len = 1 + rnd() % sizeof(buf);
		for (i = 0; i < len; i++)
			buf[i] = stream_byte(off + i);
		before = sigs_caught();
		n = write(fd, buf, len);
		add(&sh->ops, 1);
		sig_check_write(minor, n, len, before, restart);
		if (n > 0) {
			off += n;
			add(&sh->bytes, n);
			__atomic_store_n(&sh->w[minor - SIG_FIRST].written, off,
					 __ATOMIC_RELEASE);
		}
	}
}

static void sig_stream_reader(long minor)
{
	static unsigned char buf[4 * ATOMIC];
	int restart = sh->m[minor - MINOR_BASE].restart, fd, reported = 0;
	uint64_t off = 0;
	int before;
	ssize_t n, i;

	sig_handler_install(restart);
	fd = open_dev(minor, O_RDONLY);
	if (fd < 0)
		die("signal reader open");
	for (;;) {
		before = sigs_caught();
		n = read(fd, buf, 1 + rnd() % sizeof(buf));
		add(&sh->ops, 1);
		if (sig_check_read(minor, n, before, restart))
			continue;
		for (i = 0; i < n && !reported; i++) {
			if (buf[i] != stream_byte(off + i)) {
				bad(P_SIG_DATA, "mydemo%d: byte %llu is wrong",
				    (int)minor, (unsigned long long)(off + i));
				reported = 1;
			}
		}
		off += n;
		add(&sh->bytes, n);
		__atomic_store_n(&sh->m[minor - MINOR_BASE].bytes, off,
				 __ATOMIC_RELEASE);
	}
}

/* Record devices (142, 143): two writers, two readers, atomic records. */
#define SIG_REC		256

static void sig_rec_writer(long id)
{
	static unsigned char buf[ATOMIC];
	int minor = sh->w[id].minor, fd, restart;
	int before;
	unsigned int k, i;
	uint64_t seq = 0;
	ssize_t n;

	restart = sh->m[minor - MINOR_BASE].restart;
	sig_handler_install(restart);
	fd = open_dev(minor, O_WRONLY);
	if (fd < 0)
		die("signal writer open");
	while (!stopping() && seq + 16 < SEEN_BITS) {
		k = 1 + rnd() % (ATOMIC / SIG_REC);
		for (i = 0; i < k; i++)
			rec_make(buf + i * SIG_REC, SIG_REC, id, seq + i);
		before = sigs_caught();
		n = write(fd, buf, k * SIG_REC);
		add(&sh->ops, 1);
		if (n > 0 && n != (ssize_t)(k * SIG_REC)) {
			bad(P_SIG_DATA, "mydemo%d: atomic write of %u returned %zd",
			    minor, k * SIG_REC, n);
			break;
		}
		sig_check_write(minor, n, k * SIG_REC, before, restart);
		if (n > 0) {
			seq += k;
			add(&sh->bytes, n);
			__atomic_store_n(&sh->w[id].written, seq,
					 __ATOMIC_RELEASE);
		}
	}
}

static void sig_rec_reader(long minor)
{
	static unsigned char buf[ATOMIC * 2];
	int restart = sh->m[minor - MINOR_BASE].restart, fd;
	int64_t last[MAX_WRITERS];
	int before;
	struct rec r;
	ssize_t n, off;

	for (n = 0; n < MAX_WRITERS; n++)
		last[n] = -1;
	sig_handler_install(restart);
	fd = open_dev(minor, O_RDONLY);
	if (fd < 0)
		die("signal reader open");
	for (;;) {
		before = sigs_caught();
		n = read(fd, buf, (1 + rnd() % (sizeof(buf) / SIG_REC)) * SIG_REC);
		add(&sh->ops, 1);
		if (sig_check_read(minor, n, before, restart))
			continue;
		if (n % SIG_REC)
			bad(P_SIG_DATA, "mydemo%ld: read %zd, not whole records",
			    minor, n);
		add(&sh->bytes, n);
		for (off = 0; off + SIG_REC <= n; off += SIG_REC) {
			memcpy(&r, buf + off, sizeof(r));
			if (rec_check(buf + off, SIG_REC)) {
				bad(P_SIG_DATA, "mydemo%ld: bad record", minor);
				continue;
			}
			if ((int64_t)r.seq <= last[r.writer] ||
			    seen_set(r.writer, r.seq))
				bad(P_SIG_DATA, "mydemo%ld: writer %u seq %llu: reordered or twice",
				    minor, r.writer, (unsigned long long)r.seq);
			last[r.writer] = r.seq;
			add(&sh->m[minor - MINOR_BASE].recs, 1);
			add(&sh->records, 1);
		}
	}
}

/*
 * Signals to whoever sleeps in the device: the driver's waiting_readers and
 * waiting_writers say who (an event, not a guess); between sleeps a signal
 * now and then lands on a task running or waiting for a mutex.
 */
static pid_t sig_targets[4][4];

static void signaller(long minor)
{
	pid_t *t = sig_targets[minor - SIG_FIRST];
	int nt = minor < SIG_FIRST + 2 ? 1 : 2, i;
	long long wr, ww;

	for (i = 0; !stopping(); i++) {
		wr = attr(minor, "waiting_readers");
		ww = attr(minor, "waiting_writers");
		if (wr > 0 || !(i % 4)) {
			kill(t[rnd() % nt], SIGUSR1);
			add(&sh->sig_sent, 1);
		}
		if (ww > 0 || !(i % 4)) {
			kill(t[2 + rnd() % nt], SIGUSR1);
			add(&sh->sig_sent, 1);
		}
		usleep(500);
	}
}

static int sig_drained(long minor)
{
	int i = minor - SIG_FIRST, first, n;

	if (i < 2)
		return sh->m[minor - MINOR_BASE].bytes >= sh->w[i].written;
	return sh->m[minor - MINOR_BASE].recs >= writers_total(minor, &first, &n);
}

static int readers_asleep(long minor)
{
	return attr(minor, "waiting_readers") == (minor < SIG_FIRST + 2 ? 1 : 2);
}

static void phase_signals(void)
{
	pid_t writers[8], readers[8], sigs[4];
	int i, j, nw = 0, nr = 0, minor, first, n, w;
	uint64_t total, got, beyond;
	struct sigaction sa = { .sa_handler = count_sig };
	long long ri, wi, ri_at[4], wi_at[4];
	struct minor_state *ms;
	char path[128];

	__atomic_store_n(&sh->stop, 0, __ATOMIC_RELEASE);
	memset(sh->seen, 0, sizeof(sh->seen));
	memset(sh->w, 0, sizeof(sh->w));
	for (i = 0; i < MAX_WRITERS; i++)
		sh->w[i].minor = -1;
	for (i = 0; i < 4; i++) {
		minor = SIG_FIRST + i;
		fresh_device(minor);
		/* A small fifo: readers and writers block all the time. */
		path_of(path, sizeof(path), minor, "fifo_size");
		if (mydemo_write_str(path, "4096"))
			die("fifo_size 4096");
		sh->m[minor - MINOR_BASE].restart = i % 2;
	}
	/*
	 * The children inherit a handler, so that a signal before their own
	 * sigaction() does not kill them.
	 */
	sigaction(SIGUSR1, &sa, NULL);
	/* Stream ids 0, 1 (= minor - 140); record writers 2..5. */
	for (i = 0; i < 2; i++) {
		sh->w[i].minor = SIG_FIRST + i;
		readers[nr] = spawn(sig_stream_reader, SIG_FIRST + i);
		sig_targets[i][0] = readers[nr++];
		writers[nw] = spawn(sig_stream_writer, SIG_FIRST + i);
		sig_targets[i][2] = writers[nw++];
	}
	for (i = 2; i < 4; i++) {
		for (j = 0; j < 2; j++) {
			w = 2 + (i - 2) * 2 + j;
			sh->w[w].minor = SIG_FIRST + i;
			readers[nr] = spawn(sig_rec_reader, SIG_FIRST + i);
			sig_targets[i][j] = readers[nr++];
			writers[nw] = spawn(sig_rec_writer, w);
			sig_targets[i][2 + j] = writers[nw++];
		}
	}
	for (i = 0; i < 4; i++)
		sigs[i] = spawn(signaller, SIG_FIRST + i);

	sleep(duration / 3 > 10 ? duration / 3 : 10);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 4; i++)
		reap(sigs[i], 0, P_SIG_SEM);
	for (i = 0; i < nw; i++)
		reap(writers[i], 0, P_SIG_SEM);
	for (i = 0; i < 4; i++) {
		minor = SIG_FIRST + i;
		if (wait_until(sig_drained, minor, 120))
			bad(P_SIG_DATA, "mydemo%d: not everything read in 120 s",
			    minor);
		/*
		 * Once every reader sleeps in read(), each earlier call has
		 * returned and been counted (a pending signal would keep
		 * it awake): the counters are final before the SIGKILL,
		 * which itself interrupts a sleep.
		 */
		if (wait_until(readers_asleep, minor, 120))
			bad(P_SIG_SEM, "mydemo%d: readers not asleep in 120 s",
			    minor);
		ri_at[i] = attr(minor, "statistics/reads_interrupted");
		wi_at[i] = attr(minor, "statistics/writes_interrupted");
	}
	for (i = 0; i < nr; i++)
		kill(readers[i], SIGKILL);
	for (i = 0; i < nr; i++)
		reap(readers[i], SIGKILL, P_SIG_SEM);

	for (i = 0; i < 4; i++) {
		minor = SIG_FIRST + i;
		ms = &sh->m[minor - MINOR_BASE];
		ri = ri_at[i];
		wi = wi_at[i];
		if (i < 2) {
			total = sh->w[i].written;
			got = ms->bytes;
			if (total != got || !total)
				bad(P_SIG_DATA, "mydemo%d: %llu bytes written, %llu read",
				    minor, (unsigned long long)total,
				    (unsigned long long)got);
		} else {
			total = writers_total(minor, &first, &n);
			got = 0;
			for (w = first; w < first + n; w++)
				got += seen_count(w, sh->w[w].written, &beyond);
			if (total != got || !total)
				bad(P_SIG_DATA, "mydemo%d: %llu records written, %llu read",
				    minor, (unsigned long long)total,
				    (unsigned long long)got);
		}
		if (ri <= 0 || wi <= 0)
			bad(P_SIG_HIT, "mydemo%d: reads_interrupted %lld, writes_interrupted %lld",
			    minor, ri, wi);
		/*
		 * Without SA_RESTART each interrupted sleep ends its call:
		 * a read with EINTR (it never returns part of a sleep), a
		 * write with EINTR or its partial count.
		 */
		if (!ms->restart && ((long long)ms->eintr_r < ri ||
				     (long long)(ms->eintr_w + ms->partial_w) < wi))
			bad(P_SIG_SEM, "mydemo%d: EINTR %llu for %lld reads, %llu+%llu for %lld",
			    minor, (unsigned long long)ms->eintr_r, ri,
			    (unsigned long long)ms->eintr_w,
			    (unsigned long long)ms->partial_w, wi);
		printf("# mydemo%d (%s): %llu %s, sleeps interrupted: %lld reads, %lld writes;",
		       minor, ms->restart ? "SA_RESTART" : "no SA_RESTART",
		       (unsigned long long)total, i < 2 ? "bytes" : "records",
		       ri, wi);
		printf(" EINTR: %llu reads, %llu writes; %llu partial writes\n",
		       (unsigned long long)ms->eintr_r,
		       (unsigned long long)ms->eintr_w,
		       (unsigned long long)ms->partial_w);
		class_op("del", minor);
	}
	sh->ran[P_SIG_SEM] = 1;
	sh->ran[P_SIG_DATA] = 1;
	sh->ran[P_SIG_HIT] = 1;
}

int main(int argc, char **argv)
{
	int i, failed = 0, phases = 0;
	double t0 = now();

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--short")) {
			short_mode = 1;
		} else if (!strcmp(argv[i], "--duration") && i + 1 < argc) {
			duration = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "integrity")) {
			phases |= 1;
		} else if (!strcmp(argv[i], "removal")) {
			phases |= 2;
		} else if (!strcmp(argv[i], "signals")) {
			phases |= 4;
		} else {
			fprintf(stderr, "usage: %s [--short] [--duration S] [PHASE...]\n",
				argv[0]);
			return 2;
		}
	}
	if (!phases)
		phases = 7;
	if (short_mode && duration > 40)
		duration = 40;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap");
	for (i = 0; i < MAX_WRITERS; i++)
		sh->w[i].minor = -1;

	if (phases & 1) {
		printf("# integrity: %u s\n", duration);
		phase_integrity();
	}
	if (phases & 2) {
		printf("# removal: up to %u s\n", removal_secs());
		phase_removal();
	}
	if (phases & 4) {
		printf("# signals: %u s\n", duration / 3 > 10 ? duration / 3 : 10);
		phase_signals();
	}

	for (i = 0; i < P_NR; i++) {
		if (!sh->ran[i])
			continue;
		printf("%sok - %s\n", sh->bad[i] ? "not " : "", prop_name[i]);
		failed |= sh->bad[i];
	}
	/* One line, "figures: name=value ...", for tools/stress/run. */
	printf("figures: processes=%d operations=%llu bytes=%llu records=%llu splice_records=%llu",
	       sh->processes, (unsigned long long)sh->ops,
	       (unsigned long long)sh->bytes, (unsigned long long)sh->records,
	       (unsigned long long)sh->splice_recs);
	printf(" removal_cycles=%llu removals_under_load=%llu module_reloads=%llu resets=%llu",
	       (unsigned long long)sh->cycles,
	       (unsigned long long)sh->load_cycles,
	       (unsigned long long)sh->reloads, (unsigned long long)sh->resets);
	printf(" signals_sent=%llu signals_received=%llu sigio=%llu seconds=%.0f\n",
	       (unsigned long long)sh->sig_sent,
	       (unsigned long long)sh->sig_got, (unsigned long long)sh->sigio,
	       now() - t0);
	return failed ? 1 : 0;
}
