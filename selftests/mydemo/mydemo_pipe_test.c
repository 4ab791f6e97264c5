// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo and a pipe, side by side. Every test runs one sequence on a pipe
 * (pipe2()) and on a device (its own read and write file, as a pipe's two
 * ends) and asserts what both must do alike or, where the device differs by
 * design, what each one does: splice both ways, sendfile, tee, a partial
 * splice into a full pipe, EAGAIN, signals during a splice, an
 * edge-triggered epoll reader that leaves data unread, SIGIO for every
 * write and read, and the EOF and EPIPE that a device, having no last
 * writer, does not have.
 *
 * The device is a new one (minor 230) of a pipe's default capacity, 64 KiB,
 * so that its counters start at zero and are checked exactly. Wake-ups and
 * signals are counted right after the call that sends them returns: the
 * kernel queues the epoll event and the signal inside write() or read().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mydemo_util.h"

#define MINOR		230
/* A pipe's default capacity (16 pages), and the device's size here. */
#define PIPE_SIZE	65536
#define PAGE		4096

FIXTURE(parity) {
	int rfd;	/* the pipe's read end, or the device opened O_RDONLY */
	int wfd;	/* the pipe's write end, or the device opened O_WRONLY */
	bool dev;
};

FIXTURE_VARIANT(parity) {
	bool dev;
};

FIXTURE_VARIANT_ADD(parity, pipe) { .dev = false };
FIXTURE_VARIANT_ADD(parity, mydemo) { .dev = true };

static int open_dev(int flags)
{
	char path[64];

	mydemo_dev_path(path, sizeof(path), MINOR);
	return open(path, flags);
}

static int set_fifo_size(unsigned int size)
{
	char path[128], val[16];

	snprintf(path, sizeof(path), MYDEMO_SYSFS "/mydemo%d/fifo_size", MINOR);
	snprintf(val, sizeof(val), "%u", size);
	return mydemo_write_str(path, val);
}

static long long dev_stat(const char *name)
{
	char attr[64];

	snprintf(attr, sizeof(attr), "statistics/%s", name);
	return mydemo_attr(MINOR, attr);
}

FIXTURE_SETUP(parity)
{
	int fds[2];

	self->rfd = -1;
	self->wfd = -1;
	self->dev = variant->dev;
	if (!self->dev) {
		ASSERT_EQ(0, pipe2(fds, 0));
		self->rfd = fds[0];
		self->wfd = fds[1];
		return;
	}
	if (access(MYDEMO_SYSFS "/new_device", W_OK))
		SKIP(return, "mydemo is not loaded, or not root");
	mydemo_class_write("del_device", MINOR);
	ASSERT_EQ(0, mydemo_class_write("new_device", MINOR));
	/* Whatever the module's fifo_size: the capacity of a pipe. */
	ASSERT_EQ(0, set_fifo_size(PIPE_SIZE));
	self->rfd = open_dev(O_RDONLY);
	ASSERT_LE(0, self->rfd);
	self->wfd = open_dev(O_WRONLY);
	ASSERT_LE(0, self->wfd);
}

FIXTURE_TEARDOWN(parity)
{
	if (self->rfd >= 0)
		close(self->rfd);
	if (self->wfd >= 0)
		close(self->wfd);
	if (self->dev)
		mydemo_class_write("del_device", MINOR);
}

/* Bytes waiting to be read: FIONREAD, which both answer. */
static int nread(int fd)
{
	int n = -1;

	if (ioctl(fd, FIONREAD, &n))
		return -1;
	return n;
}

/*
 * 32-bit counters from @first on: a byte lost, duplicated or moved shows
 * as a mismatch anywhere after it.
 */
static void pattern(void *buf, size_t len, uint32_t first)
{
	uint32_t *w = buf;
	size_t i;

	for (i = 0; i < len / sizeof(*w); i++)
		w[i] = first + i;
}

/* What a child's system call returned, for the test to check. */
struct result {
	ssize_t ret;
	int err;
};

static struct result *shared_result(void)
{
	struct result *res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (res == MAP_FAILED)
		return NULL;
	res->ret = -2;
	res->err = 0;
	return res;
}

/* A child that dies with the test: no sleeper outlives a failed ASSERT. */
static pid_t fork_child(void)
{
	pid_t parent = getpid(), pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(99);
	}
	return pid;
}

/* The exit code of a child, -1 when a signal ended it. */
static int child_exit(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * True when @pid sleeps interruptibly inside system call @nr, off the CPU:
 * the kernel prints /proc/PID/syscall only for a task that it saw inactive
 * (wait_task_inactive()), "running" otherwise.
 */
static bool sleeps_in(pid_t pid, long nr)
{
	char path[64];
	long sys = -1;
	FILE *f;

	if (mydemo_proc_state(pid) != 'S')
		return false;
	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (fscanf(f, "%ld", &sys) != 1)
		sys = -1;
	fclose(f);
	return sys == nr;
}

/*
 * Wait until the child @pid is asleep in system call @nr on the channel.
 * The device's evidence is its own: waiting_readers reaching exactly @n
 * (the test's only sleepers). A pipe has no such counter: the kernel's
 * then, sleeps_in(). Fails at once when the child has exited (its call did
 * not block), and after two minutes without the event: a guard against a
 * hang, not a timing assumption.
 */
struct asleep {
	bool dev;
	pid_t pid;
	long nr;
	long long n;
};

static int asleep(void *arg)
{
	struct asleep *a = arg;
	char state;

	if (a->dev ? mydemo_attr(MINOR, "waiting_readers") == a->n :
		     sleeps_in(a->pid, a->nr))
		return 1;
	state = mydemo_proc_state(a->pid);
	return !state || state == 'Z' ? -1 : 0;
}

static int wait_asleep(bool dev, pid_t pid, long nr, long long n)
{
	struct asleep a = { dev, pid, nr, n };

	return mydemo_wait_until(asleep, &a) == 1 ? 0 : -1;
}

/* voluntary_ctxt_switches of /proc/PID/status, -1 if unreadable. */
static long long voluntary_switches(pid_t pid)
{
	char path[64], line[256];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "voluntary_ctxt_switches: %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

static int handshake_fd = -1;

/* SIGUSR1: tells the test that it ran (write() is async-signal-safe). */
static void on_usr1(int sig)
{
	if (write(handshake_fd, "h", 1) != 1)
		_exit(98);
}

/*
 * A child that splices @len bytes from @in to @out once, with @flags, after
 * installing on_usr1() for SIGUSR1 with @sa_flags; the result in @res.
 */
static pid_t splice_child(int in, int out, size_t len, unsigned int flags,
			  int sa_flags, struct result *res)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = sa_flags };
	pid_t pid = fork_child();

	if (pid)
		return pid;
	if (sigaction(SIGUSR1, &sa, NULL))
		_exit(97);
	res->ret = splice(in, NULL, out, NULL, len, flags);
	res->err = errno;
	_exit(0);
}

/*
 * a. splice pipe -> channel -> pipe, eight rounds of 10000 bytes (the
 * device's fifo wraps around): each splice moves all there is, every byte
 * arrives once and in order. On the device each splice is one write or
 * one read in its statistics.
 */
TEST_F(parity, splice_both_ways)
{
	static uint32_t in[2500], out[2500];
	int p[2], q[2], i;

	ASSERT_EQ(0, pipe2(p, 0));
	ASSERT_EQ(0, pipe2(q, 0));
	for (i = 0; i < 8; i++) {
		pattern(in, sizeof(in), i * 2500);
		ASSERT_EQ(sizeof(in), write(p[1], in, sizeof(in)));
		ASSERT_EQ(sizeof(in), splice(p[0], NULL, self->wfd, NULL,
					     sizeof(in), 0))
			TH_LOG("round %d: %s", i, strerror(errno));
		EXPECT_EQ(0, nread(p[0]));
		EXPECT_EQ(sizeof(in), nread(self->rfd));
		/* Asked for more than there is: what there is. */
		ASSERT_EQ(sizeof(in), splice(self->rfd, NULL, q[1], NULL,
					     PIPE_SIZE, 0))
			TH_LOG("round %d: %s", i, strerror(errno));
		EXPECT_EQ(0, nread(self->rfd));
		ASSERT_EQ(sizeof(out), mydemo_xfer(q[0], out, sizeof(out), 0));
		ASSERT_EQ(0, memcmp(in, out, sizeof(in))) TH_LOG("round %d", i);
	}
	if (self->dev) {
		EXPECT_EQ(8 * sizeof(in), dev_stat("bytes_written"));
		EXPECT_EQ(8 * sizeof(in), dev_stat("bytes_read"));
		EXPECT_EQ(8, dev_stat("writes"));
		EXPECT_EQ(8, dev_stat("reads"));
		EXPECT_EQ(0, mydemo_attr(MINOR, "fifo_level"));
	}
}

/*
 * b. sendfile() from a regular file into the channel: both. Out of the
 * channel into a regular file: neither, sendfile() to a non-pipe wants a
 * seekable input (EINVAL, nothing taken). Out of the channel into a pipe:
 * the device can (its splice_read); a pipe has no splice_read, sendfile()
 * from a pipe is EINVAL.
 */
TEST_F(parity, sendfile)
{
	static uint32_t in[5000], out[5000];
	char tmpl[] = "/tmp/mydemo_pipe_XXXXXX";
	off_t off = 0;
	int tf, q[2];
	ssize_t n;

	tf = mkstemp(tmpl);
	ASSERT_LE(0, tf) TH_LOG("mkstemp: %s", strerror(errno));
	unlink(tmpl);
	pattern(in, sizeof(in), 7);
	ASSERT_EQ(sizeof(in), write(tf, in, sizeof(in)));

	ASSERT_EQ(sizeof(in), sendfile(self->wfd, tf, &off, sizeof(in)))
		TH_LOG("sendfile(channel <- file): %s", strerror(errno));
	EXPECT_EQ(sizeof(in), off);
	EXPECT_EQ(sizeof(in), nread(self->rfd));

	EXPECT_EQ(-1, sendfile(tf, self->rfd, NULL, sizeof(in)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(sizeof(in), nread(self->rfd));

	ASSERT_EQ(0, pipe2(q, 0));
	n = sendfile(q[1], self->rfd, NULL, sizeof(in));
	if (self->dev) {
		ASSERT_EQ(sizeof(in), n) TH_LOG("sendfile(pipe <- device): %s",
						strerror(errno));
		ASSERT_EQ(sizeof(out), mydemo_xfer(q[0], out, sizeof(out), 0));
	} else {
		EXPECT_EQ(-1, n);
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(0, nread(q[0]));
		ASSERT_EQ(sizeof(in), nread(self->rfd));
		ASSERT_EQ(sizeof(out), mydemo_xfer(self->rfd, out, sizeof(out), 0));
	}
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
	EXPECT_EQ(0, nread(self->rfd));
	if (self->dev) {
		EXPECT_EQ(sizeof(in), dev_stat("bytes_written"));
		EXPECT_EQ(sizeof(in), dev_stat("bytes_read"));
		EXPECT_EQ(1, dev_stat("reads"));
	}
	close(tf);
}

/*
 * c. A pipe tee'd into a second pipe, which is spliced into the channel:
 * the channel gets the bytes, the first pipe keeps them. tee() itself
 * wants pipes at both ends: from a pipe it copies, from the device EINVAL.
 */
TEST_F(parity, tee_then_splice)
{
	static uint32_t in[1250], out[1250];
	int a[2], b[2];
	ssize_t n;

	ASSERT_EQ(0, pipe2(a, 0));
	ASSERT_EQ(0, pipe2(b, 0));
	pattern(in, sizeof(in), 1000);
	ASSERT_EQ(sizeof(in), write(a[1], in, sizeof(in)));
	ASSERT_EQ(sizeof(in), tee(a[0], b[1], sizeof(in), 0));
	EXPECT_EQ(sizeof(in), nread(a[0]));
	ASSERT_EQ(sizeof(in), splice(b[0], NULL, self->wfd, NULL, sizeof(in), 0))
		TH_LOG("splice(pipe -> channel): %s", strerror(errno));
	EXPECT_EQ(0, nread(b[0]));
	EXPECT_EQ(sizeof(in), nread(self->rfd));

	n = tee(self->rfd, b[1], sizeof(in), 0);
	if (self->dev) {
		EXPECT_EQ(-1, n);
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(0, nread(b[0]));
	} else {
		ASSERT_EQ(sizeof(in), n);
		ASSERT_EQ(sizeof(out), mydemo_xfer(b[0], out, sizeof(out), 0));
		EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
	}

	memset(out, 0, sizeof(out));
	ASSERT_EQ(sizeof(in), nread(self->rfd));
	ASSERT_EQ(sizeof(out), mydemo_xfer(self->rfd, out, sizeof(out), 0));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
	memset(out, 0, sizeof(out));
	ASSERT_EQ(sizeof(out), mydemo_xfer(a[0], out, sizeof(out), 0));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
	if (self->dev) {
		EXPECT_EQ(sizeof(in), dev_stat("bytes_written"));
		EXPECT_EQ(1, dev_stat("writes"));
	}
}

/*
 * d. 128 KiB in the channel (a device of that size, a pipe enlarged with
 * F_SETPIPE_SZ) spliced into a 64 KiB pipe with SPLICE_F_NONBLOCK: 64 KiB
 * go, the rest stays; a second splice into the full pipe is EAGAIN and
 * moves nothing. Drained, the two hold the 128 KiB once each, in order.
 */
TEST_F(parity, splice_partial_into_full_pipe)
{
	const size_t total = 2 * PIPE_SIZE;
	char *in = malloc(total), *out = malloc(total);
	int q[2];

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	if (self->dev) {
		ASSERT_EQ(0, set_fifo_size(total));
	} else {
		ASSERT_EQ(total, fcntl(self->wfd, F_SETPIPE_SZ, total));
	}
	pattern(in, total, 0);
	ASSERT_EQ(total, write(self->wfd, in, total));
	ASSERT_EQ(total, nread(self->rfd));
	ASSERT_EQ(0, pipe2(q, 0));
	ASSERT_EQ(PIPE_SIZE, fcntl(q[1], F_GETPIPE_SZ));

	ASSERT_EQ(PIPE_SIZE, splice(self->rfd, NULL, q[1], NULL, total,
				    SPLICE_F_NONBLOCK));
	EXPECT_EQ(total - PIPE_SIZE, nread(self->rfd));
	EXPECT_EQ(PIPE_SIZE, nread(q[0]));
	EXPECT_EQ(-1, splice(self->rfd, NULL, q[1], NULL, total,
			     SPLICE_F_NONBLOCK));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(total - PIPE_SIZE, nread(self->rfd));
	EXPECT_EQ(PIPE_SIZE, nread(q[0]));
	if (self->dev) {
		EXPECT_EQ(total - PIPE_SIZE, mydemo_attr(MINOR, "fifo_level"));
		EXPECT_EQ(PIPE_SIZE, dev_stat("bytes_read"));
		EXPECT_EQ(1, dev_stat("reads"));
		/* The full pipe refused before the device was read. */
		EXPECT_EQ(0, dev_stat("reads_eagain"));
	}

	ASSERT_EQ(PIPE_SIZE, nread(q[0]));
	ASSERT_EQ(total - PIPE_SIZE, nread(self->rfd));
	ASSERT_EQ(PIPE_SIZE, mydemo_xfer(q[0], out, PIPE_SIZE, 0));
	ASSERT_EQ(total - PIPE_SIZE,
		  mydemo_xfer(self->rfd, out + PIPE_SIZE, total - PIPE_SIZE, 0));
	EXPECT_EQ(0, nread(q[0]));
	EXPECT_EQ(0, nread(self->rfd));
	EXPECT_EQ(0, memcmp(in, out, total));
	free(in);
	free(out);
}

/* e. From an empty O_NONBLOCK channel: EAGAIN, with or without the flag. */
TEST_F(parity, splice_from_empty_nonblock)
{
	int q[2];

	ASSERT_EQ(0, pipe2(q, 0));
	ASSERT_EQ(0, fcntl(self->rfd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, splice(self->rfd, NULL, q[1], NULL, 100, 0));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, splice(self->rfd, NULL, q[1], NULL, 100,
			     SPLICE_F_NONBLOCK));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, nread(q[0]));
	if (self->dev) {
		EXPECT_EQ(2, dev_stat("reads_eagain"));
		EXPECT_EQ(0, dev_stat("reads"));
	}
}

/*
 * e. Into a full O_NONBLOCK channel: EAGAIN, the pipe keeps its bytes.
 * Once a page is read out of the channel, the same splice moves them.
 */
TEST_F(parity, splice_into_full_nonblock)
{
	static char fill[PIPE_SIZE];
	char msg[100], got[100];
	int p[2];

	ASSERT_EQ(0, fcntl(self->wfd, F_SETFL, O_NONBLOCK));
	memset(fill, 'f', sizeof(fill));
	ASSERT_EQ(PIPE_SIZE, write(self->wfd, fill, PIPE_SIZE));
	ASSERT_EQ(PIPE_SIZE, nread(self->rfd));
	ASSERT_EQ(0, pipe2(p, 0));
	memset(msg, 'm', sizeof(msg));
	ASSERT_EQ(sizeof(msg), write(p[1], msg, sizeof(msg)));

	EXPECT_EQ(-1, splice(p[0], NULL, self->wfd, NULL, sizeof(msg), 0));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(sizeof(msg), nread(p[0]));
	EXPECT_EQ(PIPE_SIZE, nread(self->rfd));
	if (self->dev) {
		EXPECT_EQ(1, dev_stat("writes_eagain"));
		EXPECT_EQ(PIPE_SIZE, dev_stat("bytes_written"));
	}

	ASSERT_EQ(PAGE, read(self->rfd, fill, PAGE));
	ASSERT_EQ(sizeof(msg), splice(p[0], NULL, self->wfd, NULL,
				      sizeof(msg), 0));
	EXPECT_EQ(0, nread(p[0]));
	ASSERT_EQ(PIPE_SIZE - PAGE + sizeof(msg), nread(self->rfd));
	ASSERT_EQ(PIPE_SIZE - PAGE,
		  mydemo_xfer(self->rfd, fill, PIPE_SIZE - PAGE, 0));
	ASSERT_EQ(sizeof(got), mydemo_xfer(self->rfd, got, sizeof(got), 0));
	EXPECT_EQ(0, memcmp(msg, got, sizeof(msg)));
	EXPECT_EQ(0, nread(self->rfd));
}

/*
 * e. SPLICE_F_NONBLOCK alone, on a blocking channel: the flag makes the
 * pipe side non-blocking (splice(2)). A pipe as the input is EAGAIN; a
 * file, the device, is read as its own O_NONBLOCK says, so the splice
 * sleeps until data comes.
 */
TEST_F(parity, splice_f_nonblock_on_blocking_input)
{
	struct result *res = shared_result();
	char got[3];
	pid_t pid;
	int q[2];

	ASSERT_NE(NULL, res);
	ASSERT_EQ(0, pipe2(q, 0));
	if (!self->dev) {
		EXPECT_EQ(-1, splice(self->rfd, NULL, q[1], NULL, 100,
				     SPLICE_F_NONBLOCK));
		EXPECT_EQ(EAGAIN, errno);
		return;
	}
	pid = splice_child(self->rfd, q[1], 100, SPLICE_F_NONBLOCK, 0, res);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, wait_asleep(true, pid, SYS_splice, 1))
		TH_LOG("splice did not block: %zd (%s)", res->ret,
		       strerror(res->err));
	ASSERT_EQ(3, write(self->wfd, "xyz", 3));
	ASSERT_EQ(0, child_exit(pid));
	ASSERT_EQ(3, res->ret) TH_LOG("splice: %s", strerror(res->err));
	ASSERT_EQ(3, read(q[0], got, sizeof(got)));
	EXPECT_EQ(0, memcmp("xyz", got, 3));
}

/*
 * f. A signal whose handler has no SA_RESTART ends a splice asleep on the
 * empty channel with EINTR; nothing moved.
 */
TEST_F(parity, splice_signal_eintr)
{
	struct result *res = shared_result();
	int q[2], hs[2];
	pid_t pid;

	ASSERT_NE(NULL, res);
	ASSERT_EQ(0, pipe2(q, 0));
	ASSERT_EQ(0, pipe2(hs, 0));
	handshake_fd = hs[1];
	pid = splice_child(self->rfd, q[1], 100, 0, 0, res);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, wait_asleep(self->dev, pid, SYS_splice, 1))
		TH_LOG("splice did not block: %zd (%s)", res->ret,
		       strerror(res->err));
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(0, child_exit(pid));
	EXPECT_EQ(-1, res->ret);
	EXPECT_EQ(EINTR, res->err);
	EXPECT_EQ(0, nread(q[0]));
	EXPECT_EQ(0, nread(self->rfd));
	if (self->dev) {
		EXPECT_EQ(1, dev_stat("reads_interrupted"));
		EXPECT_EQ(0, dev_stat("reads"));
		EXPECT_EQ(0, mydemo_attr(MINOR, "waiting_readers"));
	}
}

/*
 * f. With SA_RESTART the splice restarts after the handler and completes
 * with the data written after the handler ran.
 */
TEST_F(parity, splice_signal_restart)
{
	struct result *res = shared_result();
	int q[2], hs[2];
	char got[16], c;
	pid_t pid;

	ASSERT_NE(NULL, res);
	ASSERT_EQ(0, pipe2(q, 0));
	ASSERT_EQ(0, pipe2(hs, 0));
	handshake_fd = hs[1];
	pid = splice_child(self->rfd, q[1], 100, 0, SA_RESTART, res);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, wait_asleep(self->dev, pid, SYS_splice, 1))
		TH_LOG("splice did not block: %zd (%s)", res->ret,
		       strerror(res->err));
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(1, read(hs[0], &c, 1));
	ASSERT_EQ(7, write(self->wfd, "restart", 7));
	ASSERT_EQ(0, child_exit(pid));
	ASSERT_EQ(7, res->ret) TH_LOG("splice: %s", strerror(res->err));
	ASSERT_EQ(7, read(q[0], got, sizeof(got)));
	EXPECT_EQ(0, memcmp("restart", got, 7));
	if (self->dev) {
		EXPECT_EQ(1, dev_stat("reads_interrupted"));
		EXPECT_EQ(1, dev_stat("reads"));
	}
}

/* f. Removing the device wakes a splice asleep on it: ENODEV. */
TEST_F(parity, splice_device_removed)
{
	struct result *res = shared_result();
	pid_t pid;
	int q[2];

	if (!self->dev)
		SKIP(return, "a pipe cannot be removed");
	ASSERT_NE(NULL, res);
	ASSERT_EQ(0, pipe2(q, 0));
	pid = splice_child(self->rfd, q[1], 100, 0, 0, res);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, wait_asleep(true, pid, SYS_splice, 1))
		TH_LOG("splice did not block: %zd (%s)", res->ret,
		       strerror(res->err));
	ASSERT_EQ(0, mydemo_class_write("del_device", MINOR));
	ASSERT_EQ(0, child_exit(pid));
	EXPECT_EQ(-1, res->ret);
	EXPECT_EQ(ENODEV, res->err);
	EXPECT_EQ(0, nread(q[0]));
}

/*
 * g. An edge-triggered epoll reader that leaves the data unread gets an
 * event for every write, as from a pipe since Linux 5.14; no write, no
 * event.
 */
TEST_F(parity, epollet_event_per_write)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	char buf[8];
	int ep;

	ep = epoll_create1(0);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->rfd, &ev));
	EXPECT_EQ(0, epoll_wait(ep, &ev, 1, 0));

	ASSERT_EQ(1, write(self->wfd, "a", 1));
	EXPECT_EQ(1, epoll_wait(ep, &ev, 1, 0)) TH_LOG("first write");
	EXPECT_TRUE(ev.events & EPOLLIN);
	ASSERT_EQ(1, write(self->wfd, "b", 1));
	EXPECT_EQ(1, epoll_wait(ep, &ev, 1, 0))
		TH_LOG("second write, the first byte unread: no event");
	EXPECT_TRUE(ev.events & EPOLLIN);
	EXPECT_EQ(0, epoll_wait(ep, &ev, 1, 0)) TH_LOG("no write");
	ASSERT_EQ(1, write(self->wfd, "c", 1));
	EXPECT_EQ(1, epoll_wait(ep, &ev, 1, 0))
		TH_LOG("third write, two bytes unread: no event");

	ASSERT_EQ(3, read(self->rfd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp("abc", buf, 3));
	EXPECT_EQ(0, epoll_wait(ep, &ev, 1, 0));
	close(ep);
}

/* Subscribe @fd to SIGIO as signal @sig (queued, with si_band and si_fd). */
static int sigio_subscribe(int fd, int sig)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETOWN, getpid()) ||
	    fcntl(fd, F_SETSIG, sig))
		return -1;
	return fcntl(fd, F_SETFL, flags | O_ASYNC);
}

struct sigio_count {
	int n;		/* signals taken */
	int match;	/* of which with @code, @band in si_band, from @fd */
};

/*
 * Take every pending @sig (blocked, so it waits in the queue) without
 * waiting for more: the signals a call sends are queued before it returns.
 */
static struct sigio_count take_sigio(int sig, int code, long band, int fd)
{
	struct timespec zero = { 0, 0 };
	struct sigio_count c = { 0, 0 };
	siginfo_t si;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	while (sigtimedwait(&set, &si, &zero) == sig) {
		c.n++;
		if (si.si_code == code && (si.si_band & band) && si.si_fd == fd)
			c.match++;
	}
	return c;
}

/*
 * h. SIGIO as from a pipe: POLL_IN to the read end's subscriber for every
 * write, even into a fifo that holds unread data; POLL_OUT to the write
 * end's subscriber for every read that takes data. A read that takes
 * nothing (EAGAIN): a pipe signals POLL_OUT all the same, the device does
 * not, as nothing changed for a writer.
 */
TEST_F(parity, sigio_per_write_and_read)
{
	int sig = SIGRTMIN;
	struct sigio_count c;
	sigset_t set;
	char buf[4];

	sigemptyset(&set);
	sigaddset(&set, sig);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, NULL));
	ASSERT_EQ(0, sigio_subscribe(self->rfd, sig));

	ASSERT_EQ(1, write(self->wfd, "a", 1));
	ASSERT_EQ(1, write(self->wfd, "b", 1));
	c = take_sigio(sig, POLL_IN, POLLIN, self->rfd);
	EXPECT_EQ(2, c.n) TH_LOG("POLL_IN signals for two writes");
	EXPECT_EQ(2, c.match);

	ASSERT_EQ(0, sigio_subscribe(self->wfd, sig));
	ASSERT_EQ(1, read(self->rfd, buf, 1));
	ASSERT_EQ(1, read(self->rfd, buf, 1));
	c = take_sigio(sig, POLL_OUT, POLLOUT, self->wfd);
	EXPECT_EQ(2, c.n) TH_LOG("POLL_OUT signals for two reads");
	EXPECT_EQ(2, c.match);
	if (self->dev) {
		EXPECT_EQ(4, dev_stat("sigio_sent"));
	}

	ASSERT_EQ(0, fcntl(self->rfd, F_SETFL, O_NONBLOCK | O_ASYNC));
	EXPECT_EQ(-1, read(self->rfd, buf, 1));
	EXPECT_EQ(EAGAIN, errno);
	c = take_sigio(sig, POLL_OUT, POLLOUT, self->wfd);
	EXPECT_EQ(self->dev ? 0 : 1, c.n);
	EXPECT_EQ(c.n, c.match);
	if (self->dev) {
		EXPECT_EQ(4, dev_stat("sigio_sent"));
	}
}

/*
 * i. Blocked readers still wake one at a time: of two readers asleep, one
 * byte wakes one; the other is not even woken (its voluntary context
 * switches stay, which a woken task that found nothing and slept again
 * would have added to) and returns with the next byte. A pipe does the
 * same but counts no waiting readers.
 */
TEST_F(parity, blocked_readers_wake_one)
{
	long long before[2];
	pid_t pid[2], first;
	int i, other, status;

	if (!self->dev)
		SKIP(return, "a pipe has no waiting_readers to prove its readers asleep");
	for (i = 0; i < 2; i++) {
		pid[i] = fork_child();
		ASSERT_LE(0, pid[i]);
		if (!pid[i]) {
			char c;

			_exit(read(self->rfd, &c, 1) == 1 && c == 'x' ? 0 : 1);
		}
	}
	ASSERT_EQ(0, mydemo_wait_value(MINOR, "waiting_readers", 2, 1));
	for (i = 0; i < 2; i++) {
		/* Off the CPU (sleeps_in()), so that its count is final. */
		ASSERT_EQ(0, wait_asleep(false, pid[i], SYS_read, 0));
		before[i] = voluntary_switches(pid[i]);
		ASSERT_LE(0, before[i]);
	}

	ASSERT_EQ(1, write(self->wfd, "x", 1));
	first = waitpid(-1, &status, 0);
	ASSERT_TRUE(first == pid[0] || first == pid[1]);
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("reader: wait status %#x", status);
	other = first == pid[0];
	ASSERT_EQ(0, mydemo_wait_value(MINOR, "waiting_readers", 1, 1));
	EXPECT_EQ(0, waitpid(pid[other], &status, WNOHANG));
	ASSERT_EQ(0, wait_asleep(false, pid[other], SYS_read, 0));
	EXPECT_EQ(before[other], voluntary_switches(pid[other]))
		TH_LOG("the second reader was woken for a byte it could not get");
	EXPECT_EQ(1, dev_stat("reads"));

	ASSERT_EQ(1, write(self->wfd, "x", 1));
	EXPECT_EQ(0, child_exit(pid[other]));
	EXPECT_EQ(0, mydemo_attr(MINOR, "waiting_readers"));
	EXPECT_EQ(2, dev_stat("reads"));
}

/*
 * j. No writer open. A pipe's reader sees EOF: read() returns 0, blocking
 * or not. The device has no last writer (anyone may open it and write
 * later): a non-blocking read fails with EAGAIN, a blocking one sleeps
 * until a writer comes and writes.
 */
TEST_F(parity, read_without_writer)
{
	pid_t pid;
	char c;

	close(self->wfd);
	self->wfd = -1;
	ASSERT_EQ(0, fcntl(self->rfd, F_SETFL, O_NONBLOCK));
	if (!self->dev) {
		EXPECT_EQ(0, read(self->rfd, &c, 1));
		ASSERT_EQ(0, fcntl(self->rfd, F_SETFL, 0));
		EXPECT_EQ(0, read(self->rfd, &c, 1));
		return;
	}
	EXPECT_EQ(0, mydemo_attr(MINOR, "writers"));
	EXPECT_EQ(-1, read(self->rfd, &c, 1));
	EXPECT_EQ(EAGAIN, errno);

	ASSERT_EQ(0, fcntl(self->rfd, F_SETFL, 0));
	pid = fork_child();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(read(self->rfd, &c, 1) == 1 && c == 'w' ? 0 : 1);
	ASSERT_EQ(0, mydemo_wait_value(MINOR, "waiting_readers", 1, 1));
	self->wfd = open_dev(O_WRONLY);
	ASSERT_LE(0, self->wfd);
	ASSERT_EQ(1, write(self->wfd, "w", 1));
	EXPECT_EQ(0, child_exit(pid));
}

/*
 * j. No reader open. A pipe's writer gets EPIPE and SIGPIPE. The device
 * takes the bytes, for a reader that opens it later; no SIGPIPE.
 */
TEST_F(parity, write_without_reader)
{
	sigset_t set, pending;
	char got[8];
	ssize_t n;
	int err;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, NULL));
	close(self->rfd);
	self->rfd = -1;
	n = write(self->wfd, "hello", 5);
	err = errno;
	ASSERT_EQ(0, sigpending(&pending));
	if (!self->dev) {
		EXPECT_EQ(-1, n);
		EXPECT_EQ(EPIPE, err);
		EXPECT_TRUE(sigismember(&pending, SIGPIPE));
		return;
	}
	EXPECT_EQ(5, n) TH_LOG("write: %s", strerror(err));
	EXPECT_FALSE(sigismember(&pending, SIGPIPE));
	EXPECT_EQ(0, mydemo_attr(MINOR, "readers"));
	EXPECT_EQ(5, mydemo_attr(MINOR, "fifo_level"));
	self->rfd = open_dev(O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, self->rfd);
	ASSERT_EQ(5, read(self->rfd, got, sizeof(got)));
	EXPECT_EQ(0, memcmp("hello", got, 5));
}

TEST_HARNESS_MAIN
