// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo semantics: what poll, epoll, SIGIO, signals, faulting buffers,
 * readv/writev and the missing file position look like from user space.
 *
 * Proves that poll reports levels (POLLIN iff data, POLLOUT iff at least
 * atomic_size bytes free, each only for the direction the file was opened
 * for); that epoll EPOLLET and SIGIO see exactly one event per edge; that a
 * signal interrupts a blocked read or write the way fs/pipe.c does (EINTR,
 * SA_RESTART, partial count) without losing or duplicating a byte; that a
 * read into a faulting buffer takes only what it delivered and a faulting
 * write commits all or nothing when atomic, the prefix when not; that
 * writev() of at most atomic_size bytes is one atomic record even with four
 * writers at once; and that lseek, pread and pwrite fail with ESPIPE.
 *
 * Each fixture owns one minor (2 to 7; 0 and 1 belong to mydemo_io_test) and
 * empties its fifo before and after every test, so a failure leaves nothing
 * behind. Nothing here sleeps for a length of time: a test knows that a
 * child is asleep in the driver from the driver's *_blocked counters.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mydemo_util.h"

#define MAX_KIDS	8

/* The state every fixture of this file shares: one device, one O_RDWR fd. */
struct mdev {
	int minor;
	int fd;
	size_t fifo_size;
	size_t atomic_size;
	pid_t kids[MAX_KIDS];
	int nkids;
};

static int open_minor(int minor, int flags)
{
	char path[64];

	mydemo_dev_path(path, sizeof(path), minor);
	return open(path, flags);
}

/* Read everything there is, without blocking; returns the bytes dropped. */
static size_t drain(int minor)
{
	char buf[4096];
	size_t total = 0;
	ssize_t n;
	int fd;

	fd = open_minor(minor, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	close(fd);
	return total;
}

static void mdev_setup(struct __test_metadata *_metadata, struct mdev *d,
		       int minor)
{
	char path[64];

	d->minor = minor;
	d->fd = -1;
	d->nkids = 0;
	mydemo_dev_path(path, sizeof(path), minor);
	if (access(path, F_OK))
		SKIP(return, "%s is missing: is mydemo loaded with ndevices >= 8?",
		     path);
	drain(minor);
	d->fd = open(path, O_RDWR);
	ASSERT_LE(0, d->fd) TH_LOG("open %s: %s", path, strerror(errno));
	ASSERT_LT(0, mydemo_attr(minor, "fifo_size"));
	ASSERT_LT(0, mydemo_attr(minor, "atomic_size"));
	d->fifo_size = mydemo_attr(minor, "fifo_size");
	d->atomic_size = mydemo_attr(minor, "atomic_size");
	ASSERT_EQ(0, mydemo_attr(minor, "fifo_level"));
}

/*
 * A child left blocked in the driver by a failed test would steal the data of
 * the next test on this minor: kill and reap it before draining.
 */
static void mdev_teardown(struct mdev *d)
{
	int i;

	for (i = 0; i < d->nkids; i++) {
		kill(d->kids[i], SIGKILL);
		waitpid(d->kids[i], NULL, 0);
	}
	d->nkids = 0;
	if (d->fd >= 0)
		close(d->fd);
	drain(d->minor);
}

/* fork() and remember the child for mdev_teardown(). */
static pid_t spawn(struct mdev *d)
{
	pid_t pid;

	if (d->nkids == MAX_KIDS)
		return -1;
	pid = fork();
	if (pid > 0)
		d->kids[d->nkids++] = pid;
	return pid;
}

/* waitpid() a child from spawn(); returns its exit code, or -1. */
static int reap(struct mdev *d, pid_t pid)
{
	int status, i;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	for (i = 0; i < d->nkids; i++) {
		if (d->kids[i] == pid) {
			d->kids[i] = d->kids[--d->nkids];
			break;
		}
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* revents of one fd after a poll() that does not wait; -1 on error. */
static int revents(int fd)
{
	struct pollfd p = {
		.fd = fd,
		.events = POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM,
	};

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

static void pattern(unsigned char *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(seed + i * 131 + (i >> 8));
}

#define RD	(POLLIN | POLLRDNORM)
#define WR	(POLLOUT | POLLWRNORM)

/* ---- poll: levels (minor 2, and minor 3 as the second device) ---- */

FIXTURE(poll_dev) {
	struct mdev d;
};

FIXTURE_SETUP(poll_dev)
{
	mdev_setup(_metadata, &self->d, 2);
}

FIXTURE_TEARDOWN(poll_dev)
{
	mdev_teardown(&self->d);
}

/*
 * POLLIN is set iff there is data; POLLOUT iff at least atomic_size bytes are
 * free, the room a writer needs to be sure that its next atomic write fits.
 */
TEST_F(poll_dev, level)
{
	struct mdev *d = &self->d;
	size_t fill = d->fifo_size - d->atomic_size + 1;
	unsigned char *buf = malloc(fill);

	ASSERT_NE(NULL, buf);
	memset(buf, 0x5a, fill);
	EXPECT_EQ(WR, revents(d->fd));

	ASSERT_EQ(1, write(d->fd, buf, 1));
	EXPECT_EQ(RD | WR, revents(d->fd));

	/* atomic_size - 1 bytes free: readable, not writable. */
	ASSERT_EQ(fill - 1, mydemo_xfer(d->fd, buf, fill - 1, 1));
	ASSERT_EQ(fill, mydemo_attr(d->minor, "fifo_level"));
	EXPECT_EQ(RD, revents(d->fd));

	/* One byte read: exactly atomic_size free, writable again. */
	ASSERT_EQ(1, read(d->fd, buf, 1));
	EXPECT_EQ(RD | WR, revents(d->fd));

	/* And back under the threshold with one more byte. */
	ASSERT_EQ(1, write(d->fd, buf, 1));
	EXPECT_EQ(RD, revents(d->fd));

	/* Empty again: writable only. */
	ASSERT_EQ(fill, mydemo_xfer(d->fd, buf, fill, 0));
	EXPECT_EQ(WR, revents(d->fd));
	free(buf);
}

/* A file reports only the direction it was opened for. */
TEST_F(poll_dev, direction_of_open)
{
	struct mdev *d = &self->d;
	unsigned char *buf = calloc(1, d->fifo_size);
	int ro, wo;

	ASSERT_NE(NULL, buf);
	ro = open_minor(d->minor, O_RDONLY);
	ASSERT_LE(0, ro);
	wo = open_minor(d->minor, O_WRONLY);
	ASSERT_LE(0, wo);

	/* Empty: plenty of room, but a read-only file is not writable. */
	EXPECT_EQ(0, revents(ro));
	EXPECT_EQ(WR, revents(wo));

	/* Data: a write-only file is not readable. */
	ASSERT_EQ(10, write(wo, buf, 10));
	EXPECT_EQ(RD, revents(ro));
	EXPECT_EQ(WR, revents(wo));

	/* Full: nothing for the write-only file at all. */
	ASSERT_EQ(d->fifo_size - 10,
		  mydemo_xfer(wo, buf, d->fifo_size - 10, 1));
	EXPECT_EQ(RD, revents(ro));
	EXPECT_EQ(0, revents(wo));
	EXPECT_EQ(RD, revents(d->fd));

	close(ro);
	close(wo);
	free(buf);
}

/* poll() on two devices at once: only the one with data is readable. */
TEST_F(poll_dev, two_devices)
{
	struct mdev *d = &self->d;
	struct pollfd p[2];
	char c = 'x';
	int other;

	drain(3);
	other = open_minor(3, O_RDWR);
	ASSERT_LE(0, other);

	p[0] = (struct pollfd){ .fd = d->fd, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = other, .events = POLLIN };
	EXPECT_EQ(0, poll(p, 2, 0));

	ASSERT_EQ(1, write(other, &c, 1));
	/* Blocking poll: returns at once since one device is readable. */
	EXPECT_EQ(1, poll(p, 2, -1));
	EXPECT_EQ(0, p[0].revents);
	EXPECT_EQ(POLLIN, p[1].revents);

	/* Swap: data on this device, none on the other. */
	ASSERT_EQ(1, write(d->fd, &c, 1));
	ASSERT_EQ(1, read(other, &c, 1));
	EXPECT_EQ(1, poll(p, 2, 0));
	EXPECT_EQ(POLLIN, p[0].revents);
	EXPECT_EQ(0, p[1].revents);

	close(other);
	drain(3);
}

/* ---- epoll edges and blocking poll (minor 3) ---- */

FIXTURE(epoll_dev) {
	struct mdev d;
};

FIXTURE_SETUP(epoll_dev)
{
	mdev_setup(_metadata, &self->d, 3);
}

FIXTURE_TEARDOWN(epoll_dev)
{
	mdev_teardown(&self->d);
}

/* Events epoll_wait() returns without waiting; -1 on error. */
static int ep_events(int ep, uint32_t *events)
{
	struct epoll_event ev[4];
	int n;

	n = epoll_wait(ep, ev, 4, 0);
	if (n > 0 && events)
		*events = ev[0].events;
	return n;
}

/*
 * EPOLLET as on a pipe: every write that adds data is an event, also into a
 * fifo whose data the reader left unread (programs rely on that since pipes
 * went back to it in 5.14); reads are none for a reader.
 */
TEST_F(epoll_dev, et_one_event_per_write)
{
	struct mdev *d = &self->d;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	uint32_t got = 0;
	char buf[64] = "edge";
	int ep, ro;

	ro = open_minor(d->minor, O_RDONLY);
	ASSERT_LE(0, ro);
	ep = epoll_create1(0);
	ASSERT_LE(0, ep);
	ev.data.fd = ro;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, ro, &ev));
	EXPECT_EQ(0, ep_events(ep, NULL));

	ASSERT_EQ(10, write(d->fd, buf, 10));
	EXPECT_EQ(1, ep_events(ep, &got));
	EXPECT_TRUE(got & EPOLLIN);
	EXPECT_EQ(0, ep_events(ep, NULL));

	/* Data left unread: the next write is an event all the same. */
	ASSERT_EQ(10, write(d->fd, buf, 10));
	EXPECT_EQ(1, ep_events(ep, &got))
		TH_LOG("a write into a non-empty fifo made no EPOLLET event");
	EXPECT_TRUE(got & EPOLLIN);
	EXPECT_EQ(0, ep_events(ep, NULL));

	/* Nor is a read that leaves data behind. */
	ASSERT_EQ(5, read(ro, buf, 5));
	EXPECT_EQ(0, ep_events(ep, NULL))
		TH_LOG("a read that left data made a new EPOLLET event");

	/* Emptying is not an EPOLLIN edge either. */
	ASSERT_EQ(15, read(ro, buf, sizeof(buf)));
	EXPECT_EQ(0, ep_events(ep, NULL));

	ASSERT_EQ(10, write(d->fd, buf, 10));
	EXPECT_EQ(1, ep_events(ep, &got));
	EXPECT_TRUE(got & EPOLLIN);
	EXPECT_EQ(0, ep_events(ep, NULL));

	close(ep);
	close(ro);
}

/*
 * The writer's edge: room crossing up to atomic_size free is one EPOLLOUT
 * event; reading more while there already is that much room is none.
 */
TEST_F(epoll_dev, et_out_one_event_per_edge)
{
	struct mdev *d = &self->d;
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLET };
	size_t fill = d->fifo_size - d->atomic_size + 1;
	unsigned char *buf = calloc(1, fill);
	uint32_t got = 0;
	int ep, wo;

	ASSERT_NE(NULL, buf);
	wo = open_minor(d->minor, O_WRONLY);
	ASSERT_LE(0, wo);
	ep = epoll_create1(0);
	ASSERT_LE(0, ep);
	ev.data.fd = wo;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, wo, &ev));
	/* Adding reports the current level once. */
	EXPECT_EQ(1, ep_events(ep, &got));
	EXPECT_TRUE(got & EPOLLOUT);
	EXPECT_EQ(0, ep_events(ep, NULL));

	ASSERT_EQ(fill, mydemo_xfer(wo, buf, fill, 1));
	EXPECT_EQ(0, ep_events(ep, NULL));

	/* atomic_size - 1 -> atomic_size free: the edge. */
	ASSERT_EQ(1, read(d->fd, buf, 1));
	EXPECT_EQ(1, ep_events(ep, &got));
	EXPECT_TRUE(got & EPOLLOUT);
	EXPECT_EQ(0, ep_events(ep, NULL));

	/* More room while already writable: no edge. */
	ASSERT_EQ(100, read(d->fd, buf, 100));
	EXPECT_EQ(0, ep_events(ep, NULL))
		TH_LOG("a read that crossed no threshold made a new EPOLLET event");

	close(ep);
	close(wo);
	free(buf);
}

/*
 * @pid (a pid_t *) sleeps (state S) in poll() or ppoll(), as /proc shows:
 * 1 when it does, 2 when /proc cannot tell (no /proc/PID/syscall).
 */
static int sleeping_in_poll(void *arg)
{
	pid_t pid = *(pid_t *)arg;
	char path[64], buf[256], *p;
	long nr;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 2;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 2;
	buf[n] = '\0';
	nr = strtol(buf, &p, 10);
	return mydemo_proc_state(pid) == 'S' && p != buf &&
	       (nr == SYS_poll || nr == SYS_ppoll);
}

/*
 * Wait until @pid sleeps in poll() or ppoll(). Returns 0 once it does, 1
 * when /proc cannot tell, -1 after two minutes: a guard against a hang.
 */
static int wait_sleeping_in_poll(pid_t pid)
{
	int r = mydemo_wait_until(sleeping_in_poll, &pid);

	return r == 1 ? 0 : r == 2 ? 1 : -1;
}

/*
 * A child asleep in poll(-1) on an empty device is woken by a write and sees
 * POLLIN. The child says it is about to poll through a pipe and the parent
 * then waits until /proc shows it asleep in poll, so the write really wakes a
 * sleeper; if /proc cannot tell, a write that comes first still makes poll
 * return POLLIN, so the result does not depend on timing.
 */
TEST_F(epoll_dev, blocking_poll_woken)
{
	struct mdev *d = &self->d;
	int pfd[2], ro, w;
	char c;
	pid_t pid;

	ro = open_minor(d->minor, O_RDONLY);
	ASSERT_LE(0, ro);
	ASSERT_EQ(0, pipe(pfd));
	pid = spawn(d);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct pollfd p = { .fd = ro, .events = POLLIN };
		int n;

		if (write(pfd[1], "p", 1) != 1)
			_exit(10);
		n = poll(&p, 1, -1);
		if (n != 1)
			_exit(11);
		_exit(p.revents == POLLIN ? 0 : 12);
	}
	ASSERT_EQ(1, read(pfd[0], &c, 1));
	w = wait_sleeping_in_poll(pid);
	ASSERT_LE(0, w) TH_LOG("child never went to sleep in poll");
	if (w)
		TH_LOG("no /proc/PID/syscall: cannot check the child sleeps");
	ASSERT_EQ(5, write(d->fd, "wake", 5));
	EXPECT_EQ(0, reap(d, pid)) TH_LOG("10: pipe, 11: poll, 12: revents");
	/* poll consumed nothing. */
	EXPECT_EQ(5, mydemo_attr(d->minor, "fifo_level"));
	close(pfd[0]);
	close(pfd[1]);
	close(ro);
}

/* ---- SIGIO (minor 4) ---- */

FIXTURE(fasync_dev) {
	struct mdev d;
};

FIXTURE_SETUP(fasync_dev)
{
	mdev_setup(_metadata, &self->d, 4);
}

FIXTURE_TEARDOWN(fasync_dev)
{
	mdev_teardown(&self->d);
}

static int set_async(int fd, int sig, int on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -1;
	if (on && (fcntl(fd, F_SETOWN, getpid()) || fcntl(fd, F_SETSIG, sig)))
		return -1;
	return fcntl(fd, F_SETFL, on ? fl | O_ASYNC : fl & ~O_ASYNC);
}

/*
 * Take one pending @sig without waiting: the driver sends it inside the
 * read() or write() that made the edge, so it is pending by the time that
 * call returns. Returns the signal number, or -1 when none is pending.
 */
static int take_sig(int sig, siginfo_t *si)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	memset(si, 0, sizeof(*si));
	return sigtimedwait(&set, si, &zero);
}

static void block_sig(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

/*
 * A reader-side subscriber gets exactly one F_SETSIG signal, with POLL_IN,
 * POLLIN in si_band and its fd in si_fd, for each write that adds data, as
 * from a pipe (also when the fifo was not empty); none once unsubscribed.
 * fasync_subscribers follows O_ASYNC and close().
 */
TEST_F(fasync_dev, poll_in_per_write)
{
	struct mdev *d = &self->d;
	int sig = SIGRTMIN;
	char buf[64] = "sigio";
	siginfo_t si;
	int ro;

	block_sig(sig);
	while (take_sig(sig, &si) > 0)
		;
	ro = open_minor(d->minor, O_RDONLY);
	ASSERT_LE(0, ro);
	EXPECT_EQ(0, mydemo_attr(d->minor, "fasync_subscribers"));
	ASSERT_EQ(0, set_async(ro, sig, 1));
	EXPECT_EQ(1, mydemo_attr(d->minor, "fasync_subscribers"));
	EXPECT_EQ(-1, take_sig(sig, &si));

	ASSERT_EQ(10, write(d->fd, buf, 10));
	ASSERT_EQ(sig, take_sig(sig, &si)) TH_LOG("no signal for the edge");
	EXPECT_EQ(POLL_IN, si.si_code);
	EXPECT_TRUE(si.si_band & POLLIN);
	EXPECT_FALSE(si.si_band & POLLOUT);
	EXPECT_EQ(ro, si.si_fd);
	EXPECT_EQ(-1, take_sig(sig, &si)) TH_LOG("two signals for one write");

	/* Not empty before: a signal all the same, as from a pipe. */
	ASSERT_EQ(10, write(d->fd, buf, 10));
	ASSERT_EQ(sig, take_sig(sig, &si)) TH_LOG("no signal for a second write");
	EXPECT_EQ(POLL_IN, si.si_code);
	EXPECT_EQ(-1, take_sig(sig, &si));

	/* Draining signals nothing to a read-only file. */
	ASSERT_EQ(20, read(ro, buf, sizeof(buf)));
	EXPECT_EQ(-1, take_sig(sig, &si));

	/* The next edge is signalled again, once. */
	ASSERT_EQ(10, write(d->fd, buf, 10));
	ASSERT_EQ(sig, take_sig(sig, &si));
	EXPECT_EQ(POLL_IN, si.si_code);
	EXPECT_EQ(ro, si.si_fd);
	EXPECT_EQ(-1, take_sig(sig, &si));

	/* Unsubscribed: the count drops and no edge is signalled. */
	ASSERT_EQ(0, set_async(ro, sig, 0));
	EXPECT_EQ(0, mydemo_attr(d->minor, "fasync_subscribers"));
	ASSERT_EQ(10, read(ro, buf, sizeof(buf)));
	ASSERT_EQ(10, write(d->fd, buf, 10));
	EXPECT_EQ(-1, take_sig(sig, &si)) TH_LOG("signal after clearing O_ASYNC");

	/* close() of a subscribed file unsubscribes it. */
	ASSERT_EQ(0, set_async(ro, sig, 1));
	EXPECT_EQ(1, mydemo_attr(d->minor, "fasync_subscribers"));
	close(ro);
	EXPECT_EQ(0, mydemo_attr(d->minor, "fasync_subscribers"));
	ASSERT_EQ(10, read(d->fd, buf, sizeof(buf)));
	ASSERT_EQ(10, write(d->fd, buf, 10));
	EXPECT_EQ(-1, take_sig(sig, &si)) TH_LOG("signal after close");
}

/*
 * A writer-side subscriber gets POLL_OUT for each read that takes data, as
 * from a pipe, and the reader-side subscriber does not; filling the fifo
 * signals only the reader side.
 */
TEST_F(fasync_dev, poll_out_per_read)
{
	struct mdev *d = &self->d;
	size_t fill = d->fifo_size - d->atomic_size + 1;
	int rsig = SIGRTMIN, wsig = SIGRTMIN + 1;
	unsigned char *buf = calloc(1, fill);
	siginfo_t si;
	int ro, wo;

	ASSERT_NE(NULL, buf);
	block_sig(rsig);
	block_sig(wsig);
	while (take_sig(rsig, &si) > 0 || take_sig(wsig, &si) > 0)
		;
	ro = open_minor(d->minor, O_RDONLY);
	ASSERT_LE(0, ro);
	wo = open_minor(d->minor, O_WRONLY);
	ASSERT_LE(0, wo);
	ASSERT_EQ(0, set_async(ro, rsig, 1));
	ASSERT_EQ(0, set_async(wo, wsig, 1));
	EXPECT_EQ(2, mydemo_attr(d->minor, "fasync_subscribers"));

	/* atomic_size - 1 bytes free; one edge for the reader side only. */
	ASSERT_EQ(fill, mydemo_xfer(d->fd, buf, fill, 1));
	ASSERT_EQ(rsig, take_sig(rsig, &si));
	EXPECT_EQ(POLL_IN, si.si_code);
	EXPECT_EQ(ro, si.si_fd);
	EXPECT_EQ(-1, take_sig(rsig, &si));
	EXPECT_EQ(-1, take_sig(wsig, &si)) TH_LOG("POLL_OUT while not writable");

	ASSERT_EQ(1, read(d->fd, buf, 1));
	ASSERT_EQ(wsig, take_sig(wsig, &si)) TH_LOG("no POLL_OUT for the edge");
	EXPECT_EQ(POLL_OUT, si.si_code);
	EXPECT_TRUE(si.si_band & POLLOUT);
	EXPECT_FALSE(si.si_band & POLLIN);
	EXPECT_EQ(wo, si.si_fd);
	EXPECT_EQ(-1, take_sig(wsig, &si)) TH_LOG("two signals for one read");
	EXPECT_EQ(-1, take_sig(rsig, &si)) TH_LOG("reader side got POLL_OUT");

	/* Every read that takes data: one more. */
	ASSERT_EQ(100, read(d->fd, buf, 100));
	ASSERT_EQ(wsig, take_sig(wsig, &si));
	EXPECT_EQ(POLL_OUT, si.si_code);
	EXPECT_EQ(-1, take_sig(wsig, &si));

	close(ro);
	close(wo);
	EXPECT_EQ(0, mydemo_attr(d->minor, "fasync_subscribers"));
	free(buf);
}

/* ---- signals and blocked I/O (minor 5) ---- */

FIXTURE(signal_dev) {
	struct mdev d;
};

FIXTURE_SETUP(signal_dev)
{
	mdev_setup(_metadata, &self->d, 5);
}

FIXTURE_TEARDOWN(signal_dev)
{
	mdev_teardown(&self->d);
}

static int handled;

static void on_sigusr1(int sig)
{
	__atomic_store_n(&handled, 1, __ATOMIC_RELAXED);
}

static int catch_sigusr1(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigusr1;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGUSR1, &sa, NULL);
}

/* What a child saw, sent to the parent through a pipe. */
struct report {
	ssize_t ret;
	int err;
	int handled;
	char data[64];
};

static void send_report(int pfd, ssize_t ret, const char *data)
{
	struct report r;

	memset(&r, 0, sizeof(r));
	r.ret = ret;
	r.err = ret < 0 ? errno : 0;
	r.handled = __atomic_load_n(&handled, __ATOMIC_RELAXED);
	if (ret > 0 && data)
		memcpy(r.data, data, ret < 64 ? ret : 64);
	_exit(write(pfd, &r, sizeof(r)) == sizeof(r) ? 0 : 1);
}

/* A read asleep on an empty fifo, hit by a signal without SA_RESTART: EINTR. */
TEST_F(signal_dev, read_eintr)
{
	struct mdev *d = &self->d;
	long long blocked = mydemo_attr(d->minor, "statistics/reads_blocked");
	struct report r;
	int pfd[2];
	pid_t pid;

	ASSERT_EQ(0, pipe(pfd));
	pid = spawn(d);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char buf[64];

		if (catch_sigusr1(0))
			_exit(2);
		send_report(pfd[1], read(d->fd, buf, sizeof(buf)), buf);
	}
	ASSERT_EQ(0, mydemo_wait_attr(d->minor, "statistics/reads_blocked",
				      blocked + 1));
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(sizeof(r), read(pfd[0], &r, sizeof(r)));
	EXPECT_EQ(0, reap(d, pid));
	EXPECT_EQ(1, r.handled);
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EINTR, r.err);
	/* The next read is a new call that blocks again: nothing changed. */
	EXPECT_EQ(0, mydemo_attr(d->minor, "fifo_level"));
	close(pfd[0]);
	close(pfd[1]);
}

/*
 * With SA_RESTART the read restarts after the handler, sleeps again (a second
 * reads_blocked) and returns the data written after that.
 */
TEST_F(signal_dev, read_sa_restart)
{
	struct mdev *d = &self->d;
	long long blocked = mydemo_attr(d->minor, "statistics/reads_blocked");
	static const char msg[] = "after the signal";
	struct report r;
	int pfd[2];
	pid_t pid;

	ASSERT_EQ(0, pipe(pfd));
	pid = spawn(d);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char buf[64];

		if (catch_sigusr1(SA_RESTART))
			_exit(2);
		send_report(pfd[1], read(d->fd, buf, sizeof(buf)), buf);
	}
	ASSERT_EQ(0, mydemo_wait_attr(d->minor, "statistics/reads_blocked",
				      blocked + 1));
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(0, mydemo_wait_attr(d->minor, "statistics/reads_blocked",
				      blocked + 2))
		TH_LOG("the read did not restart and sleep again");
	ASSERT_EQ(sizeof(msg), write(d->fd, msg, sizeof(msg)));
	ASSERT_EQ(sizeof(r), read(pfd[0], &r, sizeof(r)));
	EXPECT_EQ(0, reap(d, pid));
	EXPECT_EQ(1, r.handled);
	ASSERT_EQ(sizeof(msg), r.ret) TH_LOG("errno %d", r.err);
	EXPECT_EQ(0, memcmp(msg, r.data, sizeof(msg)));
	EXPECT_EQ(0, mydemo_attr(d->minor, "fifo_level"));
	close(pfd[0]);
	close(pfd[1]);
}

/* A write asleep on a full fifo before writing anything: EINTR, nothing in. */
TEST_F(signal_dev, write_eintr)
{
	struct mdev *d = &self->d;
	long long blocked = mydemo_attr(d->minor, "statistics/writes_blocked");
	long long written;
	unsigned char *buf = calloc(1, d->fifo_size);
	struct report r;
	int pfd[2];
	pid_t pid;

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(d->fifo_size, mydemo_xfer(d->fd, buf, d->fifo_size, 1));
	written = mydemo_attr(d->minor, "statistics/bytes_written");
	ASSERT_EQ(0, pipe(pfd));
	pid = spawn(d);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (catch_sigusr1(0))
			_exit(2);
		send_report(pfd[1], write(d->fd, buf, 2 * d->atomic_size), NULL);
	}
	ASSERT_EQ(0, mydemo_wait_attr(d->minor, "statistics/writes_blocked",
				      blocked + 1));
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(sizeof(r), read(pfd[0], &r, sizeof(r)));
	EXPECT_EQ(0, reap(d, pid));
	EXPECT_EQ(1, r.handled);
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EINTR, r.err);
	EXPECT_EQ(d->fifo_size, mydemo_attr(d->minor, "fifo_level"));
	EXPECT_EQ(written, mydemo_attr(d->minor, "statistics/bytes_written"));
	close(pfd[0]);
	close(pfd[1]);
	free(buf);
}

/*
 * A large write that filled the room there was and then slept returns, when
 * a signal comes, the count it wrote, with or without SA_RESTART (a partial
 * write is never restarted). Exactly those bytes follow the old data: no byte
 * is lost or written twice.
 */
TEST_F(signal_dev, write_partial)
{
	struct mdev *d = &self->d;
	size_t room = 1000, len = 4 * d->atomic_size, old = d->fifo_size - room;
	unsigned char *buf = malloc(len), *out = malloc(d->fifo_size);
	int flags[] = { 0, SA_RESTART };
	unsigned int f;
	size_t i;

	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, out);
	ASSERT_LT(room, len);
	pattern(buf, len, 7);

	for (f = 0; f < 2; f++) {
		long long blocked = mydemo_attr(d->minor,
						"statistics/writes_blocked");
		struct report r;
		int pfd[2];
		pid_t pid;

		memset(out, 0xee, old);
		ASSERT_EQ(old, mydemo_xfer(d->fd, out, old, 1));
		ASSERT_EQ(0, pipe(pfd));
		pid = spawn(d);
		ASSERT_LE(0, pid);
		if (pid == 0) {
			if (catch_sigusr1(flags[f]))
				_exit(2);
			send_report(pfd[1], write(d->fd, buf, len), NULL);
		}
		ASSERT_EQ(0, mydemo_wait_attr(d->minor,
					      "statistics/writes_blocked",
					      blocked + 1));
		ASSERT_EQ(0, kill(pid, SIGUSR1));
		ASSERT_EQ(sizeof(r), read(pfd[0], &r, sizeof(r)));
		EXPECT_EQ(0, reap(d, pid));
		EXPECT_EQ(1, r.handled);
		ASSERT_EQ(room, r.ret)
			TH_LOG("flags %#x: write returned %zd, errno %d",
			       flags[f], r.ret, r.err);
		ASSERT_EQ(d->fifo_size, mydemo_attr(d->minor, "fifo_level"));

		ASSERT_EQ(d->fifo_size,
			  mydemo_xfer(d->fd, out, d->fifo_size, 0));
		for (i = 0; i < old; i++) {
			ASSERT_EQ(0xee, out[i]) TH_LOG("old byte %zu", i);
		}
		EXPECT_EQ(0, memcmp(buf, out + old, room));
		EXPECT_EQ(0, mydemo_attr(d->minor, "fifo_level"));
		close(pfd[0]);
		close(pfd[1]);
	}
	free(buf);
	free(out);
}

/* ---- faulting buffers, ESPIPE (minor 6) ---- */

FIXTURE(fault_dev) {
	struct mdev d;
};

FIXTURE_SETUP(fault_dev)
{
	mdev_setup(_metadata, &self->d, 6);
}

FIXTURE_TEARDOWN(fault_dev)
{
	mdev_teardown(&self->d);
}

/* @pages read-write pages followed by one PROT_NONE page. */
static unsigned char *map_guarded(size_t pages, size_t pg)
{
	unsigned char *p;

	p = mmap(NULL, (pages + 1) * pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p + pages * pg, pg, PROT_NONE)) {
		munmap(p, (pages + 1) * pg);
		return NULL;
	}
	return p;
}

/*
 * A read whose buffer turns PROT_NONE after 10 bytes returns those 10 and
 * leaves the other 90 in the fifo, in order; a read straight into the
 * PROT_NONE page fails with EFAULT and takes nothing.
 */
TEST_F(fault_dev, read_partial_fault)
{
	struct mdev *d = &self->d;
	size_t pg = sysconf(_SC_PAGESIZE);
	unsigned char in[100], out[200];
	unsigned char *map = map_guarded(1, pg);

	ASSERT_NE(NULL, map);
	pattern(in, sizeof(in), 1);
	ASSERT_EQ(100, write(d->fd, in, 100));

	EXPECT_EQ(10, read(d->fd, map + pg - 10, 100));
	EXPECT_EQ(0, memcmp(in, map + pg - 10, 10));
	EXPECT_EQ(90, mydemo_attr(d->minor, "fifo_level"));

	errno = 0;
	EXPECT_EQ(-1, read(d->fd, map + pg, 50));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(90, mydemo_attr(d->minor, "fifo_level"));

	ASSERT_EQ(90, read(d->fd, out, sizeof(out)));
	EXPECT_EQ(0, memcmp(in + 10, out, 90));
	EXPECT_EQ(0, mydemo_attr(d->minor, "fifo_level"));
	munmap(map, 2 * pg);
}

/*
 * A write of at most atomic_size bytes whose buffer faults commits nothing:
 * EFAULT, the fifo as it was, even with other data already in it.
 */
TEST_F(fault_dev, write_atomic_fault)
{
	struct mdev *d = &self->d;
	size_t pg = sysconf(_SC_PAGESIZE);
	unsigned char *map = map_guarded(2, pg);
	unsigned char out[16];
	size_t len = d->atomic_size;

	ASSERT_NE(NULL, map);
	ASSERT_LE(len, 2 * pg);
	memset(map, 0x33, 2 * pg);

	/* Faults after 10 bytes. */
	errno = 0;
	EXPECT_EQ(-1, write(d->fd, map + 2 * pg - 10, 100));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, mydemo_attr(d->minor, "fifo_level"));

	/* Exactly atomic_size bytes, faulting on the last one. */
	errno = 0;
	EXPECT_EQ(-1, write(d->fd, map + 2 * pg - (len - 1), len));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, mydemo_attr(d->minor, "fifo_level"));

	/* Same with data already queued: it stays, alone. */
	ASSERT_EQ(3, write(d->fd, "abc", 3));
	errno = 0;
	EXPECT_EQ(-1, write(d->fd, map + 2 * pg - 10, 100));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(3, mydemo_attr(d->minor, "fifo_level"));
	ASSERT_EQ(3, read(d->fd, out, sizeof(out)));
	EXPECT_EQ(0, memcmp("abc", out, 3));
	munmap(map, 3 * pg);
}

/*
 * A write larger than atomic_size may be split, so a fault after K bytes
 * commits those K and returns K; nothing after the fault goes in.
 */
TEST_F(fault_dev, write_large_fault)
{
	struct mdev *d = &self->d;
	size_t pg = sysconf(_SC_PAGESIZE);
	unsigned char *map = map_guarded(2, pg), *out;
	size_t len = 2 * d->atomic_size + 1;
	size_t ks[2] = { 100, pg + 100 };
	unsigned int i;

	ASSERT_NE(NULL, map);
	out = malloc(len);
	ASSERT_NE(NULL, out);
	pattern(map, 2 * pg, 3);
	for (i = 0; i < 2; i++) {
		unsigned char *src = map + 2 * pg - ks[i];

		ASSERT_LT(ks[i], len);
		EXPECT_EQ(ks[i], write(d->fd, src, len))
			TH_LOG("K = %zu: errno %d", ks[i], errno);
		EXPECT_EQ(ks[i], mydemo_attr(d->minor, "fifo_level"));
		ASSERT_EQ(ks[i], read(d->fd, out, len));
		EXPECT_EQ(0, memcmp(src, out, ks[i]));
	}
	/* Straight into PROT_NONE: nothing before the fault, EFAULT. */
	errno = 0;
	EXPECT_EQ(-1, write(d->fd, map + 2 * pg, len));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, mydemo_attr(d->minor, "fifo_level"));
	free(out);
	munmap(map, 3 * pg);
}

/* No file position: every positioned call fails with ESPIPE, moving nothing. */
TEST_F(fault_dev, espipe)
{
	struct mdev *d = &self->d;
	char buf[16] = "position";
	struct iovec iov = { buf, sizeof(buf) };

	ASSERT_EQ(4, write(d->fd, "data", 4));
	errno = 0;
	EXPECT_EQ(-1, lseek(d->fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	errno = 0;
	EXPECT_EQ(-1, lseek(d->fd, 0, SEEK_CUR));
	EXPECT_EQ(ESPIPE, errno);
	errno = 0;
	EXPECT_EQ(-1, lseek(d->fd, 0, SEEK_END));
	EXPECT_EQ(ESPIPE, errno);
	errno = 0;
	EXPECT_EQ(-1, pread(d->fd, buf, sizeof(buf), 0));
	EXPECT_EQ(ESPIPE, errno);
	errno = 0;
	EXPECT_EQ(-1, pwrite(d->fd, buf, sizeof(buf), 0));
	EXPECT_EQ(ESPIPE, errno);
	errno = 0;
	EXPECT_EQ(-1, preadv(d->fd, &iov, 1, 0));
	EXPECT_EQ(ESPIPE, errno);
	errno = 0;
	EXPECT_EQ(-1, pwritev(d->fd, &iov, 1, 0));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(4, mydemo_attr(d->minor, "fifo_level"));
	ASSERT_EQ(4, read(d->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp("data", buf, 4));
}

/* ---- readv/writev (minor 7) ---- */

FIXTURE(iov_dev) {
	struct mdev d;
};

FIXTURE_SETUP(iov_dev)
{
	mdev_setup(_metadata, &self->d, 7);
}

FIXTURE_TEARDOWN(iov_dev)
{
	mdev_teardown(&self->d);
}

/* writev() queues the iovecs as one run of bytes; readv() scatters it. */
TEST_F(iov_dev, writev_readv)
{
	struct mdev *d = &self->d;
	unsigned char a[7], b[300], c[1], all[308];
	unsigned char r1[10], r2[200], r3[500];
	struct iovec wv[3] = { { a, 7 }, { b, 300 }, { c, 1 } };
	struct iovec rv[3] = { { r1, 10 }, { r2, 200 }, { r3, 500 } };

	pattern(a, sizeof(a), 11);
	pattern(b, sizeof(b), 22);
	pattern(c, sizeof(c), 33);
	memcpy(all, a, 7);
	memcpy(all + 7, b, 300);
	memcpy(all + 307, c, 1);

	ASSERT_EQ(308, writev(d->fd, wv, 3));
	EXPECT_EQ(308, mydemo_attr(d->minor, "fifo_level"));
	ASSERT_EQ(308, readv(d->fd, rv, 3));
	EXPECT_EQ(0, memcmp(all, r1, 10));
	EXPECT_EQ(0, memcmp(all + 10, r2, 200));
	EXPECT_EQ(0, memcmp(all + 210, r3, 98));
	EXPECT_EQ(0, mydemo_attr(d->minor, "fifo_level"));
}

/*
 * The atomic size covers a whole writev(), not each iovec: without room for
 * all of it a non-blocking writev() writes nothing.
 */
TEST_F(iov_dev, writev_atomic_nonblock)
{
	struct mdev *d = &self->d;
	size_t fill = d->fifo_size - 50;
	unsigned char *buf = calloc(1, fill);
	unsigned char x[20];
	struct iovec wv[3] = { { x, 20 }, { x, 20 }, { x, 20 } };

	ASSERT_NE(NULL, buf);
	memset(x, 'x', sizeof(x));
	ASSERT_EQ(0, fcntl(d->fd, F_SETFL, O_NONBLOCK));
	ASSERT_EQ(fill, mydemo_xfer(d->fd, buf, fill, 1));

	/* 60 bytes, 50 free: each iovec would fit, the call does not. */
	errno = 0;
	EXPECT_EQ(-1, writev(d->fd, wv, 3));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(fill, mydemo_attr(d->minor, "fifo_level"));

	wv[2].iov_len = 10;
	EXPECT_EQ(50, writev(d->fd, wv, 3));
	EXPECT_EQ(d->fifo_size, mydemo_attr(d->minor, "fifo_level"));
	free(buf);
}

/*
 * Records of 64..1024 bytes, each written by one writev() of a header, a
 * payload and a trailer. Four writers race, one reader reassembles the byte
 * stream from reads of odd sizes and checks that every record is contiguous
 * and intact and that each writer's records come in order, none missing.
 */
#define REC_MAGIC	0x6d797263u
#define REC_END		0x656e6421u
#define IOV_WRITERS	4
#define IOV_RECORDS	500
#define END_WRITER	0xffff

struct rec_head {
	uint32_t magic;
	uint16_t writer;
	uint16_t len;		/* of the whole record */
	uint32_t seq;
};

struct rec_tail {
	uint32_t sum;
	uint32_t magic;
};

static uint16_t rec_len(unsigned int writer, unsigned int seq)
{
	return 64 + (seq * 37 + writer * 101) % 961;
}

static uint32_t fnv1a(uint32_t h, const void *p, size_t len)
{
	const unsigned char *c = p;

	while (len--)
		h = (h ^ *c++) * 16777619u;
	return h;
}

static int rec_writer(int fd, unsigned int id)
{
	unsigned char payload[1024];
	struct rec_head h;
	struct rec_tail t;
	struct iovec iov[3];
	unsigned int seq;

	for (seq = 0; seq < IOV_RECORDS; seq++) {
		size_t plen;

		h = (struct rec_head){ REC_MAGIC, id, rec_len(id, seq), seq };
		plen = h.len - sizeof(h) - sizeof(t);
		pattern(payload, plen, id * 7919 + seq);
		t.sum = fnv1a(fnv1a(2166136261u, &h, sizeof(h)), payload, plen);
		t.magic = REC_END;
		iov[0] = (struct iovec){ &h, sizeof(h) };
		iov[1] = (struct iovec){ payload, plen };
		iov[2] = (struct iovec){ &t, sizeof(t) };
		if (writev(fd, iov, 3) != h.len)
			return 1;
	}
	return 0;
}

struct rec_result {
	unsigned int count[IOV_WRITERS];
	int failed;
	int writers_done;
	char why[128];
};

/*
 * Check the records in @buf[0..@have): returns the bytes of whole records
 * consumed, setting res->why and returning -1 on the first bad one, and
 * setting *@end when the end marker, which must come last, was seen.
 */
static ssize_t rec_check(const unsigned char *buf, size_t have,
			 unsigned int *next, struct rec_result *res, int *end)
{
	unsigned char expect[1024];
	struct rec_head h;
	struct rec_tail t;
	size_t off = 0, plen, w;

	while (have - off >= sizeof(h)) {
		memcpy(&h, buf + off, sizeof(h));
		if (h.magic != REC_MAGIC) {
			snprintf(res->why, sizeof(res->why), "bad magic %#x",
				 h.magic);
			return -1;
		}
		if (h.writer == END_WRITER) {
			*end = 1;
			if (have - off != sizeof(h)) {
				snprintf(res->why, sizeof(res->why),
					 "bytes after the end marker");
				return -1;
			}
			for (w = 0; w < IOV_WRITERS; w++) {
				if (next[w] != IOV_RECORDS) {
					snprintf(res->why, sizeof(res->why),
						 "writer %zu: %u records", w,
						 next[w]);
					return -1;
				}
			}
			return have;
		}
		if (h.writer >= IOV_WRITERS ||
		    h.len != rec_len(h.writer, h.seq)) {
			snprintf(res->why, sizeof(res->why),
				 "bad header: writer %u len %u seq %u",
				 h.writer, h.len, h.seq);
			return -1;
		}
		if (have - off < h.len)
			break;
		plen = h.len - sizeof(h) - sizeof(t);
		memcpy(&t, buf + off + sizeof(h) + plen, sizeof(t));
		pattern(expect, plen, h.writer * 7919 + h.seq);
		if (t.magic != REC_END ||
		    memcmp(expect, buf + off + sizeof(h), plen) ||
		    t.sum != fnv1a(fnv1a(2166136261u, &h, sizeof(h)), expect,
				   plen)) {
			snprintf(res->why, sizeof(res->why),
				 "torn record: writer %u seq %u", h.writer,
				 h.seq);
			return -1;
		}
		if (h.seq != next[h.writer]) {
			snprintf(res->why, sizeof(res->why),
				 "writer %u: seq %u where %u was due", h.writer,
				 h.seq, next[h.writer]);
			return -1;
		}
		next[h.writer]++;
		res->count[h.writer]++;
		off += h.len;
	}
	return off;
}

/*
 * Reassemble the stream from reads of odd sizes, so that reads end anywhere
 * in a record. After a bad record the reader keeps reading, so that the
 * writers still finish, until the parent says they did: the end marker that
 * the parent writes next wakes a read that is blocked.
 */
static int rec_reader(int fd, struct rec_result *res)
{
	static const size_t chunks[] = { 4096, 1, 777, 65536, 13, 2048, 300 };
	size_t cap = 65536 + 2048, have = 0, k = 0;
	unsigned int next[IOV_WRITERS] = { 0 };
	unsigned char *buf = malloc(cap);
	ssize_t n, used = 0;
	int end = 0;

	if (!buf) {
		snprintf(res->why, sizeof(res->why), "no memory");
		res->failed = 1;
		return 1;
	}
	while (!end) {
		n = read(fd, buf + have, chunks[k++ % 7]);
		if (n <= 0) {
			snprintf(res->why, sizeof(res->why), "read: %zd", n);
			break;
		}
		have += n;
		used = rec_check(buf, have, next, res, &end);
		if (used < 0)
			break;
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	if (end && used >= 0)
		return 0;
	res->failed = 1;
	while (!end && !__atomic_load_n(&res->writers_done, __ATOMIC_ACQUIRE))
		if (read(fd, buf, cap) <= 0)
			break;
	return 1;
}

TEST_F_TIMEOUT(iov_dev, writev_records_concurrent, 300)
{
	struct mdev *d = &self->d;
	struct rec_head end = { REC_MAGIC, END_WRITER, sizeof(end), 0 };
	pid_t writers[IOV_WRITERS], reader;
	struct rec_result *res;
	int w;

	ASSERT_LE(1024, d->atomic_size);
	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, res);
	memset(res, 0, sizeof(*res));

	reader = spawn(d);
	ASSERT_LE(0, reader);
	if (!reader)
		_exit(rec_reader(d->fd, res));
	for (w = 0; w < IOV_WRITERS; w++) {
		writers[w] = spawn(d);
		ASSERT_LE(0, writers[w]);
		if (!writers[w])
			_exit(rec_writer(d->fd, w));
	}
	for (w = 0; w < IOV_WRITERS; w++) {
		EXPECT_EQ(0, reap(d, writers[w])) TH_LOG("writer %d failed", w);
	}
	/*
	 * Every record is in before the end marker, so it comes last. The flag
	 * goes first: a reader that failed and only drains stops at the marker.
	 */
	__atomic_store_n(&res->writers_done, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(sizeof(end), write(d->fd, &end, sizeof(end)));
	EXPECT_EQ(0, reap(d, reader)) TH_LOG("reader: %s", res->why);
	EXPECT_EQ(0, res->failed) TH_LOG("reader: %s", res->why);
	for (w = 0; w < IOV_WRITERS; w++) {
		EXPECT_EQ(IOV_RECORDS, res->count[w]);
	}
	munmap(res, sizeof(*res));
}

TEST_HARNESS_MAIN
