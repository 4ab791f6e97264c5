// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo statistics: after a known workload every counter has its exact
 * expected value, in sysfs, in the "stat" line and through
 * MYDEMO_IOC_GET_STATS (of every structure size); readers, writers, SIGIO
 * subscribers and waiters follow opens, closes, FASYNC and blocked calls;
 * the stat line is one consistent snapshot even under load; fifo_size can
 * be written.
 *
 * Each test works on its own new device (minor 120), so its counters
 * start at zero.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/mydemo.h>

#include "kselftest_harness.h"
#include "mydemo_util.h"

#define MINOR		120
#define NSTAT		22

/* The order of the "stat" file (Documentation/ABI/testing/sysfs-class-mydemo). */
static const char *const stat_names[NSTAT] = {
	"bytes_read", "bytes_written", "reads", "writes", "reads_blocked",
	"writes_blocked", "reads_eagain", "writes_eagain", "read_wakeups",
	"write_wakeups", "sigio_sent", "faults", "irq_records", "overruns",
	"bytes_flushed", "reads_interrupted", "writes_interrupted",
	"fifo_level", "fifo_size", "high_watermark", "waiting_readers",
	"waiting_writers",
};

enum { BYTES_READ, BYTES_WRITTEN, READS, WRITES, READS_BLOCKED,
	WRITES_BLOCKED, READS_EAGAIN, WRITES_EAGAIN, READ_WAKEUPS,
	WRITE_WAKEUPS, SIGIO_SENT, FAULTS, IRQ_RECORDS, OVERRUNS,
	BYTES_FLUSHED, READS_INTERRUPTED, WRITES_INTERRUPTED, FIFO_LEVEL,
	FIFO_SIZE, HIGH_WATERMARK, WAITING_READERS, WAITING_WRITERS };

static int set_size(int minor, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), MYDEMO_SYSFS "/mydemo%d/fifo_size", minor);
	return mydemo_write_str(path, val);
}

static int open_dev(int minor, int flags)
{
	char path[64];

	mydemo_dev_path(path, sizeof(path), minor);
	return open(path, flags);
}

/* The stat line: the number of fields read, or -1. */
static int read_stat(int minor, unsigned long long *v, int max)
{
	char path[128], buf[1024], *p, *end;
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), MYDEMO_SYSFS "/mydemo%d/stat", minor);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0 || buf[n - 1] != '\n')
		return -1;
	buf[n] = '\0';
	for (i = 0, p = buf; i < max; i++, p = end) {
		v[i] = strtoull(p, &end, 10);
		if (end == p)
			break;
	}
	return i;
}

static int sigio_count;

static void on_sigio(int sig)
{
	__atomic_fetch_add(&sigio_count, 1, __ATOMIC_RELAXED);
}

static void on_usr1(int sig)
{
}

FIXTURE(st) {
	int fd;
};

FIXTURE_SETUP(st)
{
	self->fd = -1;
	if (access(MYDEMO_SYSFS "/new_device", W_OK))
		SKIP(return, "mydemo is not loaded, or not root");
	self->fd = mydemo_fresh_open(MINOR, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(st)
{
	mydemo_fresh_close(self->fd, MINOR);
}

/*
 * A workload whose every count is known, then every counter checked in the
 * three places it is reported.
 */
TEST_F(st, known_workload_exact)
{
	static char big[65536], buf[70000];
	unsigned long long v[NSTAT + 4];
	unsigned long long want[NSTAT] = { 0 };
	struct mydemo_stats st;
	char name[64];
	void *bad;
	int i;

	ASSERT_EQ(65536, mydemo_attr(MINOR, "fifo_size"));
	memset(big, 'x', sizeof(big));
	/* 3 writes of 100 bytes: the first one fills an empty fifo. */
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(100, write(self->fd, big, 100));
	}
	/* 2 reads take the 300 bytes, the third finds nothing. */
	ASSERT_EQ(50, read(self->fd, buf, 50));
	ASSERT_EQ(250, read(self->fd, buf, sizeof(buf)));
	ASSERT_EQ(-1, read(self->fd, buf, 10));
	ASSERT_EQ(EAGAIN, errno);
	/* Fill the fifo (an edge again), then one write finds no room. */
	ASSERT_EQ(65536, write(self->fd, big, 65536));
	ASSERT_EQ(-1, write(self->fd, big, 1));
	ASSERT_EQ(EAGAIN, errno);
	/* One read, then a bad buffer each way: EFAULT, nothing moves. */
	ASSERT_EQ(4096, read(self->fd, buf, 4096));
	bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, bad);
	ASSERT_EQ(-1, read(self->fd, bad, 10));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, write(self->fd, bad, 10));
	ASSERT_EQ(EFAULT, errno);
	munmap(bad, 4096);
	/* The read of 4096 made room for an atomic write: a writer edge. */
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_FLUSH));

	want[BYTES_READ] = 300 + 4096;
	want[BYTES_WRITTEN] = 300 + 65536;
	want[READS] = 3;
	want[WRITES] = 4;
	want[READS_EAGAIN] = 1;
	want[WRITES_EAGAIN] = 1;
	want[READ_WAKEUPS] = 2;
	want[WRITE_WAKEUPS] = 1;
	want[FAULTS] = 2;
	want[BYTES_FLUSHED] = 65536 - 4096;
	want[FIFO_SIZE] = 65536;
	want[HIGH_WATERMARK] = 65536;

	ASSERT_LE(NSTAT, read_stat(MINOR, v, NSTAT + 4));
	for (i = 0; i < NSTAT; i++) {
		EXPECT_EQ(want[i], v[i]) TH_LOG("stat field %d (%s)", i + 1,
						stat_names[i]);
		if (i >= FIFO_LEVEL)
			snprintf(name, sizeof(name), "%s", stat_names[i]);
		else
			snprintf(name, sizeof(name), "statistics/%s",
				 stat_names[i]);
		EXPECT_EQ((long long)want[i], mydemo_attr(MINOR, name))
			TH_LOG("%s", name);
	}

	memset(&st, 0xff, sizeof(st));
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_GET_STATS, &st));
	EXPECT_EQ(MYDEMO_STATS_VERSION, st.version);
	EXPECT_EQ(sizeof(st), st.size);
	EXPECT_EQ(want[BYTES_READ], st.bytes_read);
	EXPECT_EQ(want[BYTES_WRITTEN], st.bytes_written);
	EXPECT_EQ(want[READS], st.reads);
	EXPECT_EQ(want[WRITES], st.writes);
	EXPECT_EQ(want[READS_EAGAIN], st.reads_eagain);
	EXPECT_EQ(want[WRITES_EAGAIN], st.writes_eagain);
	EXPECT_EQ(want[READ_WAKEUPS], st.read_wakeups);
	EXPECT_EQ(want[WRITE_WAKEUPS], st.write_wakeups);
	EXPECT_EQ(want[FAULTS], st.faults);
	EXPECT_EQ(want[BYTES_FLUSHED], st.bytes_flushed);
	EXPECT_EQ(want[HIGH_WATERMARK], st.high_watermark);
	EXPECT_EQ(0, st.sigio_sent + st.reads_interrupted +
		     st.writes_interrupted + st.reads_blocked +
		     st.writes_blocked + st.irq_records + st.overruns);
}

/* Programs built against an older or a newer header get what fits. */
TEST_F(st, get_stats_sizes)
{
	unsigned char buf[256];
	struct mydemo_stats *st = (void *)buf;
	size_t i;

	ASSERT_EQ(7, write(self->fd, "1234567", 7));
	/* Version 1's size: 104 bytes filled in, nothing beyond. */
	memset(buf, 0xee, sizeof(buf));
	ASSERT_EQ(0, ioctl(self->fd, _IOR(MYDEMO_IOC_MAGIC, 2,
					  char[MYDEMO_STATS_SIZE_V1]), buf));
	EXPECT_EQ(MYDEMO_STATS_VERSION, st->version);
	EXPECT_EQ(MYDEMO_STATS_SIZE_V1, st->size);
	EXPECT_EQ(7, st->bytes_written);
	for (i = MYDEMO_STATS_SIZE_V1; i < sizeof(buf); i++) {
		ASSERT_EQ(0xee, buf[i]) TH_LOG("byte %zu written", i);
	}
	/* A newer program's bigger structure: the rest is zeroed. */
	memset(buf, 0xee, sizeof(buf));
	ASSERT_EQ(0, ioctl(self->fd, _IOR(MYDEMO_IOC_MAGIC, 2, char[200]), buf));
	EXPECT_EQ(sizeof(struct mydemo_stats), st->size);
	EXPECT_EQ(7, st->high_watermark);
	for (i = sizeof(struct mydemo_stats); i < 200; i++) {
		ASSERT_EQ(0, buf[i]) TH_LOG("byte %zu not zeroed", i);
	}
	ASSERT_EQ(0xee, buf[200]);
	/* Smaller than any version: no such ioctl. */
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(MYDEMO_IOC_MAGIC, 2, char[96]), buf));
	EXPECT_EQ(ENOTTY, errno);
}

/* readers/writers follow opens and closes; subscribers follow FASYNC. */
TEST_F(st, open_files_and_subscribers)
{
	struct sigaction sa = { .sa_handler = on_sigio };
	int r, w, flags;

	EXPECT_EQ(1, mydemo_attr(MINOR, "readers"));
	EXPECT_EQ(1, mydemo_attr(MINOR, "writers"));
	r = open_dev(MINOR, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r);
	EXPECT_EQ(2, mydemo_attr(MINOR, "readers"));
	EXPECT_EQ(1, mydemo_attr(MINOR, "writers"));
	w = open_dev(MINOR, O_WRONLY);
	ASSERT_LE(0, w);
	EXPECT_EQ(2, mydemo_attr(MINOR, "readers"));
	EXPECT_EQ(2, mydemo_attr(MINOR, "writers"));

	ASSERT_EQ(0, sigaction(SIGIO, &sa, NULL));
	ASSERT_EQ(0, fcntl(r, F_SETOWN, getpid()));
	flags = fcntl(r, F_GETFL);
	ASSERT_EQ(0, fcntl(r, F_SETFL, flags | O_ASYNC));
	EXPECT_EQ(1, mydemo_attr(MINOR, "fasync_subscribers"));
	/* Setting it twice subscribes once. */
	ASSERT_EQ(0, fcntl(r, F_SETFL, flags | O_ASYNC));
	EXPECT_EQ(1, mydemo_attr(MINOR, "fasync_subscribers"));

	/* A signal for each write that adds data, as from a pipe. */
	ASSERT_EQ(1, write(w, "a", 1));
	ASSERT_EQ(1, write(w, "b", 1));
	EXPECT_EQ(2, mydemo_attr(MINOR, "statistics/sigio_sent"));
	/* The signals reach us at the latest when the write returns. */
	EXPECT_EQ(2, __atomic_load_n(&sigio_count, __ATOMIC_RELAXED));

	ASSERT_EQ(0, fcntl(r, F_SETFL, flags));
	EXPECT_EQ(0, mydemo_attr(MINOR, "fasync_subscribers"));
	ASSERT_EQ(0, fcntl(r, F_SETFL, flags | O_ASYNC));
	EXPECT_EQ(1, mydemo_attr(MINOR, "fasync_subscribers"));
	/* Closing a subscribed file unsubscribes it. */
	close(r);
	EXPECT_EQ(0, mydemo_attr(MINOR, "fasync_subscribers"));
	EXPECT_EQ(1, mydemo_attr(MINOR, "readers"));
	close(w);
	EXPECT_EQ(1, mydemo_attr(MINOR, "writers"));
	signal(SIGIO, SIG_DFL);
}

/* A child that reads (or writes) one byte, blocking; exit 0 on success. */
static pid_t child_io(int minor, int do_write)
{
	pid_t pid = fork();
	char c = 'c';
	int fd;

	if (pid)
		return pid;
	fd = open_dev(minor, do_write ? O_WRONLY : O_RDONLY);
	if (fd < 0)
		_exit(2);
	if (do_write)
		_exit(write(fd, &c, 1) == 1 ? 0 : 3);
	_exit(read(fd, &c, 1) == 1 ? 0 : 3);
}

static int child_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* waiting_readers/_writers count tasks asleep, and only while asleep. */
TEST_F(st, waiters_follow_blocked_calls)
{
	static char big[65536];
	pid_t a, b;

	a = child_io(MINOR, 0);
	b = child_io(MINOR, 0);
	ASSERT_EQ(0, mydemo_wait_value(MINOR, "waiting_readers", 2, 1));
	EXPECT_EQ(2, mydemo_attr(MINOR, "statistics/reads_blocked"));
	EXPECT_EQ(0, mydemo_attr(MINOR, "waiting_writers"));
	/* One byte wakes one reader; the other sleeps on. */
	ASSERT_EQ(1, write(self->fd, "x", 1));
	ASSERT_EQ(0, mydemo_wait_value(MINOR, "statistics/reads", 1, 1));
	ASSERT_EQ(0, mydemo_wait_value(MINOR, "waiting_readers", 1, 1));
	ASSERT_EQ(1, write(self->fd, "y", 1));
	EXPECT_EQ(0, child_status(a));
	EXPECT_EQ(0, child_status(b));
	EXPECT_EQ(0, mydemo_attr(MINOR, "waiting_readers"));

	/* A full fifo: a writer sleeps until a read makes room. */
	ASSERT_EQ(65536, write(self->fd, big, sizeof(big)));
	a = child_io(MINOR, 1);
	ASSERT_EQ(0, mydemo_wait_value(MINOR, "waiting_writers", 1, 1));
	EXPECT_EQ(1, mydemo_attr(MINOR, "statistics/writes_blocked"));
	ASSERT_EQ(4096, read(self->fd, big, 4096));
	EXPECT_EQ(0, child_status(a));
	EXPECT_EQ(0, mydemo_attr(MINOR, "waiting_writers"));
	EXPECT_EQ(1, mydemo_attr(MINOR, "statistics/write_wakeups"));
	EXPECT_EQ(0, mydemo_attr(MINOR, "statistics/reads_interrupted"));
}

/* A signal that ends a sleep is counted, and the sleeper is gone. */
TEST_F(st, interrupted_sleeps)
{
	static char big[65536];
	pid_t pid;
	int i;

	for (i = 0; i < 2; i++) {
		/* The writer finds the fifo full. */
		if (i)
			ASSERT_EQ(65536, write(self->fd, big, sizeof(big)));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			struct sigaction sa = { .sa_handler = on_usr1 };
			int fd = open_dev(MINOR, i ? O_WRONLY : O_RDONLY);
			ssize_t n;

			/* No SA_RESTART: the call returns EINTR. */
			sigaction(SIGUSR1, &sa, NULL);
			if (i)
				n = write(fd, big, 10);
			else
				n = read(fd, big, 10);
			_exit(n == -1 && errno == EINTR ? 0 : 1);
		}
		ASSERT_EQ(0, mydemo_wait_value(MINOR, i ? "waiting_writers" :
					       "waiting_readers", 1, 1));
		kill(pid, SIGUSR1);
		EXPECT_EQ(0, child_status(pid));
	}
	EXPECT_EQ(1, mydemo_attr(MINOR, "statistics/reads_interrupted"));
	EXPECT_EQ(1, mydemo_attr(MINOR, "statistics/writes_interrupted"));
	EXPECT_EQ(0, mydemo_attr(MINOR, "waiting_readers"));
	EXPECT_EQ(0, mydemo_attr(MINOR, "waiting_writers"));
	/* The interrupted writer put nothing in: the fifo holds our 64 KiB. */
	EXPECT_EQ(65536, mydemo_attr(MINOR, "fifo_level"));
}

/* Zeroing keeps the data and the gauges; the watermark restarts. */
TEST_F(st, reset_zeroes_counters_only)
{
	unsigned long long v[NSTAT];
	char buf[100];
	int i;

	memset(buf, 'r', sizeof(buf));
	ASSERT_EQ(100, write(self->fd, buf, 100));
	ASSERT_EQ(60, read(self->fd, buf, 60));
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_RESET_STATS));
	ASSERT_EQ(NSTAT, read_stat(MINOR, v, NSTAT));
	for (i = 0; i < FIFO_LEVEL; i++) {
		EXPECT_EQ(0, v[i]) TH_LOG("%s", stat_names[i]);
	}
	EXPECT_EQ(40, v[FIFO_LEVEL]);
	EXPECT_EQ(40, v[HIGH_WATERMARK]);
	EXPECT_EQ(65536, v[FIFO_SIZE]);
	ASSERT_EQ(40, read(self->fd, buf, 100));
}

/*
 * The stat line is one snapshot: while a writer and a reader run flat out
 * (and flushes discard data), every line read satisfies
 * bytes_written == bytes_read + bytes_flushed + fifo_level, and no counter
 * goes back. Separate files read one after another would not.
 */
TEST_F(st, stat_is_consistent_under_load)
{
	unsigned long long v[NSTAT], prev[NSTAT] = { 0 };
	const long total = 4 << 20;
	int lines = 0, i, status;
	pid_t w, r;

	w = fork();
	ASSERT_LE(0, w);
	if (!w) {
		static char buf[3000];
		int fd = open_dev(MINOR, O_WRONLY);
		long done = 0;

		while (done < total) {
			size_t len = total - done < (long)sizeof(buf) ?
				     total - done : sizeof(buf);
			ssize_t n = write(fd, buf, len);

			if (n <= 0)
				_exit(1);
			done += n;
		}
		_exit(0);
	}
	r = fork();
	ASSERT_LE(0, r);
	if (!r) {
		static char buf[5000];
		int fd = open_dev(MINOR, O_RDONLY | O_NONBLOCK);
		int k = 0;

		/* Until the writer is gone and the fifo is empty. */
		for (;;) {
			ssize_t n = read(fd, buf, sizeof(buf));

			if (n < 0 && errno == EAGAIN) {
				if (mydemo_attr(MINOR, "writers") == 1 &&
				    mydemo_attr(MINOR, "fifo_level") == 0)
					_exit(0);
				sched_yield();
			} else if (n < 0) {
				_exit(1);
			}
			if (++k % 64 == 0)
				ioctl(self->fd, MYDEMO_IOC_FLUSH);
		}
	}
	while (waitpid(r, &status, WNOHANG) == 0) {
		ASSERT_EQ(NSTAT, read_stat(MINOR, v, NSTAT));
		ASSERT_EQ(v[BYTES_WRITTEN], v[BYTES_READ] + v[BYTES_FLUSHED] +
					    v[FIFO_LEVEL])
			TH_LOG("line %d: written %llu read %llu flushed %llu level %llu",
			       lines, v[BYTES_WRITTEN], v[BYTES_READ],
			       v[BYTES_FLUSHED], v[FIFO_LEVEL]);
		for (i = 0; i < FIFO_LEVEL; i++) {
			ASSERT_LE(prev[i], v[i])
				TH_LOG("%s went back", stat_names[i]);
		}
		memcpy(prev, v, sizeof(v));
		lines++;
	}
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	ASSERT_EQ(0, child_status(w));
	/* The property held for every line read: there must have been some. */
	ASSERT_LT(0, lines);
	ASSERT_EQ(NSTAT, read_stat(MINOR, v, NSTAT));
	EXPECT_EQ(total, v[BYTES_WRITTEN]);
	EXPECT_EQ(total, v[BYTES_READ] + v[BYTES_FLUSHED]);
	TH_LOG("%d consistent stat lines under load", lines);
}

/* fifo_size is writable like MYDEMO_IOC_SET_SIZE, with the same errors. */
TEST_F(st, fifo_size_write)
{
	static char in[5000], out[5000];
	size_t i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = i * 7;
	EXPECT_EQ(-EINVAL, set_size(MINOR, "1000"));
	EXPECT_EQ(-EINVAL, set_size(MINOR, "32"));
	EXPECT_EQ(-EINVAL, set_size(MINOR, "8388608"));
	EXPECT_EQ(-EINVAL, set_size(MINOR, "lots"));
	EXPECT_EQ(-EINVAL, set_size(MINOR, "-4096"));
	ASSERT_EQ(sizeof(in), write(self->fd, in, sizeof(in)));
	/* The 5000 bytes do not fit in 4096: refused, nothing lost. */
	EXPECT_EQ(-EBUSY, set_size(MINOR, "4096"));
	EXPECT_EQ(65536, mydemo_attr(MINOR, "fifo_size"));
	ASSERT_EQ(0, set_size(MINOR, "8192"));
	EXPECT_EQ(8192, mydemo_attr(MINOR, "fifo_size"));
	EXPECT_EQ(sizeof(in), mydemo_attr(MINOR, "fifo_level"));
	ASSERT_EQ(0, set_size(MINOR, "0x100000"));
	EXPECT_EQ(1048576, mydemo_attr(MINOR, "fifo_size"));
	ASSERT_EQ(sizeof(out), read(self->fd, out, sizeof(out)));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
}

/*
 * Each counter counts whole calls by how they end (the ABI entries): a
 * non-blocking write that fits part of its bytes, or a write whose buffer
 * faults after some bytes went in, returns that count and is neither an
 * EAGAIN nor a fault; a write that sleeps twice is one blocked call.
 */
TEST_F(st, partial_calls_are_not_failures)
{
	static char big[70000];
	long page = sysconf(_SC_PAGESIZE);
	char *buf;
	pid_t pid;

	/* 70000 bytes into an empty 64 KiB fifo: 65536 go in. */
	ASSERT_EQ(65536, write(self->fd, big, sizeof(big)));
	EXPECT_EQ(0, mydemo_attr(MINOR, "statistics/writes_eagain"));
	ASSERT_EQ(-1, write(self->fd, big, 1));
	ASSERT_EQ(EAGAIN, errno);
	EXPECT_EQ(1, mydemo_attr(MINOR, "statistics/writes_eagain"));
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_FLUSH));

	/* Two pages, the second inaccessible: 2 * page > atomic_size. */
	buf = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, mprotect(buf + page, page, PROT_NONE));
	memset(buf, 'p', page);
	ASSERT_EQ(page, write(self->fd, buf, 2 * page));
	EXPECT_EQ(0, mydemo_attr(MINOR, "statistics/faults"));
	/* The read side: the bytes that fit the good page, no fault. */
	ASSERT_EQ(page, read(self->fd, buf, 2 * page));
	EXPECT_EQ(0, mydemo_attr(MINOR, "statistics/faults"));
	/* A buffer that faults at once: that is a fault. */
	ASSERT_EQ(-1, write(self->fd, buf + page, 10));
	ASSERT_EQ(EFAULT, errno);
	EXPECT_EQ(1, mydemo_attr(MINOR, "statistics/faults"));
	munmap(buf, 2 * page);

	/*
	 * A blocking write of 8192 bytes (not atomic) into a full fifo sleeps,
	 * gets 4096 bytes in after a read of 4096, sleeps again, and ends
	 * after the next read: one blocked call.
	 */
	ASSERT_EQ(65536, write(self->fd, big, 65536));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int fd = open_dev(MINOR, O_WRONLY);

		_exit(write(fd, big, 8192) == 8192 ? 0 : 1);
	}
	ASSERT_EQ(0, mydemo_wait_value(MINOR, "waiting_writers", 1, 1));
	ASSERT_EQ(4096, read(self->fd, big, 4096));
	ASSERT_EQ(0, mydemo_wait_value(MINOR, "statistics/bytes_written",
				       65536 + 65536 + page + 4096, 1));
	ASSERT_EQ(0, mydemo_wait_value(MINOR, "waiting_writers", 1, 1));
	ASSERT_EQ(4096, read(self->fd, big, 4096));
	EXPECT_EQ(0, child_status(pid));
	EXPECT_EQ(1, mydemo_attr(MINOR, "statistics/writes_blocked"));
	EXPECT_EQ(1, mydemo_attr(MINOR, "statistics/writes_eagain"));
}

/* A resize restarts the high watermark: it never exceeds fifo_size. */
TEST_F(st, resize_restarts_high_watermark)
{
	static char big[65536];

	ASSERT_EQ(65536, write(self->fd, big, sizeof(big)));
	ASSERT_EQ(65536 - 100, read(self->fd, big, 65536 - 100));
	EXPECT_EQ(65536, mydemo_attr(MINOR, "high_watermark"));
	ASSERT_EQ(0, set_size(MINOR, "4096"));
	EXPECT_EQ(100, mydemo_attr(MINOR, "high_watermark"));
	ASSERT_EQ(200, write(self->fd, big, 200));
	EXPECT_EQ(300, mydemo_attr(MINOR, "high_watermark"));
	ASSERT_EQ(0, set_size(MINOR, "65536"));
	EXPECT_EQ(300, mydemo_attr(MINOR, "high_watermark"));
}

TEST_HARNESS_MAIN
