// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo I/O: device nodes, blocking and non-blocking read and write, and
 * many processes moving checked records through one device at once.
 *
 * Each test uses its own minor so that a failure leaves nothing behind for
 * the next one; the fixture empties the fifo first.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mydemo_util.h"

FIXTURE(dev) {
	int minor;
	int fd;
	long long fifo_size;
	long long atomic_size;
};

FIXTURE_VARIANT(dev) {
	int minor;
};

/* One minor per test group, all inside the default ndevices=8. */
FIXTURE_VARIANT_ADD(dev, m1) { .minor = 1 };

FIXTURE_SETUP(dev)
{
	char path[64];

	self->minor = variant->minor;
	mydemo_dev_path(path, sizeof(path), self->minor);
	if (access(path, F_OK))
		SKIP(return, "%s is missing: is mydemo loaded?", path);
	mydemo_drain(self->minor);
	self->fd = open(path, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", path, strerror(errno));
	self->fifo_size = mydemo_attr(self->minor, "fifo_size");
	self->atomic_size = mydemo_attr(self->minor, "atomic_size");
	ASSERT_LT(0, self->fifo_size);
	ASSERT_LT(0, self->atomic_size);
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		close(self->fd);
	mydemo_drain(self->minor);
}

/*
 * The exit code of a child from its wait status, or -1 when it did not
 * exit (a signal killed it): WEXITSTATUS() alone reads a death by a signal
 * as exit code 0.
 */
static int exit_code(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Every minor up to ndevices has a node made by devtmpfs, with `mode`. */
TEST(nodes_exist)
{
	long long n = mydemo_param("ndevices"), mode = mydemo_param("mode");
	struct stat st;
	char path[64];
	int i;

	if (n < 0)
		SKIP(return, "mydemo is not loaded");
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		mydemo_dev_path(path, sizeof(path), i);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s: %s", path, strerror(errno));
		EXPECT_TRUE(S_ISCHR(st.st_mode));
		EXPECT_EQ(mode, st.st_mode & 07777);
		EXPECT_EQ(i, minor(st.st_rdev));
	}
	mydemo_dev_path(path, sizeof(path), n);
	EXPECT_NE(0, stat(path, &st));
}

TEST_F(dev, roundtrip)
{
	long long written0 = mydemo_attr(self->minor, "statistics/bytes_written");
	long long read0 = mydemo_attr(self->minor, "statistics/bytes_read");
	char in[100], out[200];
	unsigned int i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (char)(i * 7 + 3);
	ASSERT_EQ(sizeof(in), write(self->fd, in, sizeof(in)));
	EXPECT_EQ(sizeof(in), mydemo_attr(self->minor, "fifo_level"));
	/* A read returns what is there, without waiting for more. */
	ASSERT_EQ(sizeof(in), read(self->fd, out, sizeof(out)));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
	EXPECT_EQ(0, mydemo_attr(self->minor, "fifo_level"));
	EXPECT_EQ(written0 + sizeof(in),
		  mydemo_attr(self->minor, "statistics/bytes_written"));
	EXPECT_EQ(read0 + sizeof(in),
		  mydemo_attr(self->minor, "statistics/bytes_read"));
}

TEST_F(dev, nonblock_read_empty)
{
	char c;

	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, read(self->fd, &c, 1));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(dev, nonblock_write_full)
{
	size_t size = self->fifo_size;
	char *buf = calloc(1, size);

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, O_NONBLOCK));
	ASSERT_EQ(size - 10, write(self->fd, buf, size - 10));
	/* An atomic write that does not fit writes nothing. */
	EXPECT_EQ(-1, write(self->fd, buf, 11));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(size - 10, mydemo_attr(self->minor, "fifo_level"));
	EXPECT_EQ(10, write(self->fd, buf, 10));
	EXPECT_EQ(-1, write(self->fd, buf, 1));
	EXPECT_EQ(EAGAIN, errno);
	free(buf);
}

TEST_F(dev, lseek_espipe)
{
	EXPECT_EQ(-1, lseek(self->fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
}

/* A reader blocked on an empty fifo is woken by a write and gets its data. */
TEST_F(dev, blocking_read_woken)
{
	long long blocked = mydemo_attr(self->minor, "statistics/reads_blocked");
	static const char msg[] = "wake up";
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char buf[64] = { 0 };
		ssize_t n = read(self->fd, buf, sizeof(buf));

		_exit(n == sizeof(msg) && !memcmp(buf, msg, sizeof(msg)) ? 0 : 1);
	}
	ASSERT_EQ(0, mydemo_wait_attr(self->minor, "statistics/reads_blocked",
				      blocked + 1));
	ASSERT_EQ(sizeof(msg), write(self->fd, msg, sizeof(msg)));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, exit_code(status)) TH_LOG("child: wait status %#x", status);
}

/* A writer blocked on a full fifo is woken by reads and writes it all. */
TEST_F(dev, blocking_write_woken)
{
	long long blocked = mydemo_attr(self->minor, "statistics/writes_blocked");
	size_t size = self->fifo_size, len = 3000, i;
	unsigned char *buf = malloc(size), *out = malloc(len);
	int status;
	pid_t pid;

	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, out);
	memset(buf, 0xaa, size);
	ASSERT_EQ(size, write(self->fd, buf, size));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		for (i = 0; i < len; i++)
			buf[i] = (unsigned char)i;
		_exit(write(self->fd, buf, len) == (ssize_t)len ? 0 : 1);
	}
	ASSERT_EQ(0, mydemo_wait_attr(self->minor, "statistics/writes_blocked",
				      blocked + 1));
	ASSERT_EQ(size, mydemo_xfer(self->fd, buf, size, 0));
	for (i = 0; i < size; i++) {
		ASSERT_EQ(0xaa, buf[i]);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, exit_code(status)) TH_LOG("child: wait status %#x", status);
	/* The blocked write went in whole and in order after the old data. */
	ASSERT_EQ(len, mydemo_xfer(self->fd, out, len, 0));
	for (i = 0; i < len; i++) {
		ASSERT_EQ((unsigned char)i, out[i]);
	}
	free(buf);
	free(out);
}

/* State letter of /proc/PID/stat and whether /proc/PID/wchan names epoll. */
static int asleep_in_epoll(pid_t pid)
{
	char path[64], buf[256];
	FILE *f;
	int ok;

	if (mydemo_proc_state(pid) != 'S')
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/wchan", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	/* ep_poll(), or do_epoll_wait() where ep_poll() is inlined. */
	ok = fgets(buf, sizeof(buf), f) &&
	     (strstr(buf, "ep_poll") || strstr(buf, "epoll_wait"));
	fclose(f);
	return ok;
}

static pid_t epoll_child(int fd, unsigned int events)
{
	struct epoll_event ev = { .events = events };
	pid_t pid = fork();
	int ep;

	if (pid)
		return pid;
	ep = epoll_create1(0);
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
		_exit(2);
	_exit(epoll_wait(ep, &ev, 1, -1) == 1 && (ev.events & EPOLLIN) ? 0 : 1);
}

/*
 * EPOLLEXCLUSIVE: one byte wakes one of three epoll waiters. Deterministic:
 * a waiter that was woken cannot go back to sleep, since the byte stays
 * unread, so once the first one has returned, the others must still be
 * asleep in epoll. Without EPOLLEXCLUSIVE all three return.
 */
TEST_F(dev, epoll_exclusive)
{
	int i, round, status, left;
	pid_t pid[3], first;

	for (round = 0; round < 2; round++) {
		unsigned int events = EPOLLIN | (round ? 0 : EPOLLEXCLUSIVE);

		for (i = 0; i < 3; i++) {
			pid[i] = epoll_child(self->fd, events);
			ASSERT_LT(0, pid[i]);
		}
		for (i = 0; i < 3; i++)
			while (!asleep_in_epoll(pid[i]))
				sched_yield();
		ASSERT_EQ(1, write(self->fd, "x", 1));
		first = waitpid(-1, &status, 0);
		ASSERT_LT(0, first);
		EXPECT_EQ(0, exit_code(status))
			TH_LOG("first waiter: wait status %#x", status);
		for (i = 0, left = 0; i < 3; i++) {
			if (pid[i] == first)
				pid[i] = 0;
			else if (asleep_in_epoll(pid[i]))
				left++;
		}
		if (!round) {
			EXPECT_EQ(2, left) TH_LOG("EPOLLEXCLUSIVE woke more than one");
			/* The two still waiting (never reaped): ours to end. */
			for (i = 0; i < 3; i++)
				if (pid[i])
					kill(pid[i], SIGKILL);
		}
		/* Without EPOLLEXCLUSIVE the other two return by themselves. */
		for (i = 0; i < 3; i++) {
			if (!pid[i])
				continue;
			ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
			if (round) {
				EXPECT_EQ(0, exit_code(status))
					TH_LOG("waiter: wait status %#x", status);
			}
		}
		mydemo_drain(self->minor);
	}
}

/*
 * One byte wakes one reader, not all: four readers sleep on an empty fifo;
 * bytes are written one at a time, each after the previous reader has
 * returned. Each reader must have gone to sleep exactly once: a reader woken
 * for a byte another one took would go back to sleep and count again.
 */
TEST_F(dev, one_byte_wakes_one_reader)
{
	long long blocked = mydemo_attr(self->minor, "statistics/reads_blocked");
	long long wakeups = mydemo_attr(self->minor, "statistics/read_wakeups");
	int i, status;
	pid_t pid;

	for (i = 0; i < 4; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			char c;

			_exit(read(self->fd, &c, 1) == 1 ? 0 : 1);
		}
	}
	ASSERT_EQ(0, mydemo_wait_attr(self->minor, "statistics/reads_blocked",
				      blocked + 4));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(1, write(self->fd, "x", 1));
		pid = waitpid(-1, &status, 0);
		ASSERT_LT(0, pid);
		EXPECT_EQ(0, exit_code(status)) TH_LOG("reader: wait status %#x", status);
	}
	EXPECT_EQ(blocked + 4, mydemo_attr(self->minor, "statistics/reads_blocked"));
	EXPECT_EQ(wakeups + 4, mydemo_attr(self->minor, "statistics/read_wakeups"));
}

/*
 * Records: 16 bytes, written by several writer processes in atomic writes of
 * one to eight records, read by several reader processes in reads of up to
 * 64 records. Every write and read is a multiple of 16 bytes, so a read
 * always starts on a record boundary. Each record is checked for tearing
 * (checksum), each reader checks that every writer's sequence numbers grow,
 * and shared counters prove that every record arrived exactly once.
 */
struct rec {
	uint32_t writer;
	uint32_t seq;
	uint32_t magic;
	uint32_t sum;
};

#define REC_MAGIC	0x6d796430u
#define POISON		0xffffffffu
#define WRITERS		4
#define READERS		4
#define PER_WRITER	3000

static uint32_t rec_sum(const struct rec *r)
{
	return (r->writer * 2654435761u) ^ (r->seq * 40503u) ^ r->magic;
}

static int writer_proc(int fd, uint32_t id)
{
	struct rec batch[8];
	uint32_t seq = 0, n, i;

	while (seq < PER_WRITER) {
		n = 1 + (seq + id) % 8;
		if (n > PER_WRITER - seq)
			n = PER_WRITER - seq;
		for (i = 0; i < n; i++) {
			batch[i] = (struct rec){ id, seq + i, REC_MAGIC, 0 };
			batch[i].sum = rec_sum(&batch[i]);
		}
		if (write(fd, batch, n * sizeof(batch[0])) !=
		    (ssize_t)(n * sizeof(batch[0])))
			return 1;
		seq += n;
	}
	return 0;
}

static int reader_proc(int fd, uint32_t *seen)
{
	uint32_t last[WRITERS];
	struct rec buf[64];
	ssize_t n, i;

	memset(last, 0xff, sizeof(last));
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n <= 0 || n % sizeof(buf[0]))
			return 2;
		for (i = 0; i < n / (ssize_t)sizeof(buf[0]); i++) {
			struct rec *r = &buf[i];

			if (r->writer == POISON)
				return 0;
			if (r->magic != REC_MAGIC || r->writer >= WRITERS ||
			    r->seq >= PER_WRITER || r->sum != rec_sum(r))
				return 3;
			if (last[r->writer] != UINT32_MAX &&
			    r->seq <= last[r->writer])
				return 4;
			last[r->writer] = r->seq;
			__atomic_fetch_add(&seen[r->writer * PER_WRITER + r->seq], 1,
					   __ATOMIC_RELAXED);
		}
	}
}

TEST_F(dev, many_writers_readers)
{
	size_t total = WRITERS * PER_WRITER, i;
	pid_t writers[WRITERS], reader;
	uint32_t *seen;
	int status, w;

	seen = mmap(NULL, total * sizeof(*seen), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, seen);

	for (w = 0; w < READERS; w++) {
		reader = fork();
		ASSERT_LE(0, reader);
		if (!reader)
			_exit(reader_proc(self->fd, seen));
	}
	for (w = 0; w < WRITERS; w++) {
		writers[w] = fork();
		ASSERT_LE(0, writers[w]);
		if (!writers[w])
			_exit(writer_proc(self->fd, w));
	}
	for (w = 0; w < WRITERS; w++) {
		ASSERT_EQ(writers[w], waitpid(writers[w], &status, 0));
		EXPECT_EQ(0, exit_code(status))
			TH_LOG("writer %d failed: wait status %#x", w, status);
	}
	/*
	 * A poison record ends one reader. They go in one at a time, each
	 * after the previous reader has exited, so no read holds two.
	 */
	for (w = 0; w < READERS; w++) {
		struct rec p = { POISON, 0, 0, 0 };
		pid_t pid;

		ASSERT_EQ(sizeof(p), write(self->fd, &p, sizeof(p)));
		pid = waitpid(-1, &status, 0);
		ASSERT_LT(0, pid);
		EXPECT_EQ(0, exit_code(status))
			TH_LOG("reader %d failed: wait status %#x", pid, status);
	}
	for (i = 0; i < total; i++) {
		ASSERT_EQ(1, seen[i]) TH_LOG("record %zu/%zu seen %u times",
					     i / PER_WRITER, i % PER_WRITER,
					     seen[i]);
	}
	munmap(seen, total * sizeof(*seen));
}

TEST_HARNESS_MAIN
