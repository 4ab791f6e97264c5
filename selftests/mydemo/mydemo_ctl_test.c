// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo control paths: every ioctl with its errors, devices added and
 * removed at run time (also under blocked readers, writers, sleeping
 * pollers and SIGIO subscribers, and with a sysfs file held open), resizes
 * and reads that wake blocked writers, POLLOUT pollers and POLL_OUT
 * subscribers, and the simulated interrupt source.
 *
 * Run-time devices use minors 100 and up, so the other tests' devices are
 * never touched; every test removes what it added.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/mydemo.h>

#include "kselftest_harness.h"
#include "mydemo_util.h"

static int class_write(const char *file, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), MYDEMO_SYSFS "/%s", file);
	return mydemo_write_str(path, val);
}

static int add_dev(int minor)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", minor);
	return class_write("new_device", v);
}

static int del_dev(int minor)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", minor);
	return class_write("del_device", v);
}

static int open_dev(int minor, int flags)
{
	char path[64];

	mydemo_dev_path(path, sizeof(path), minor);
	return open(path, flags);
}

/*
 * The exit code of child @pid, or -1 when it did not exit: WEXITSTATUS()
 * alone reads a child killed by a signal as exit code 0.
 */
static int exit_code(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/*
 * Is task @pid asleep in poll(2)? 1 when its state is S and its wchan is
 * the poll loop (do_sys_poll() on the testbed's kernels, where
 * poll_schedule_timeout() is inlined; do_poll() or poll_schedule_timeout()
 * where it is not): by then poll has queued the task on the driver's wait
 * queues and found nothing ready. 0 while not yet, -1 once it has exited.
 */
static int asleep_in_poll(pid_t pid)
{
	char path[64], buf[256], state = mydemo_proc_state(pid);
	FILE *f;
	int ok;

	if (!state || state == 'Z' || state == 'X')
		return -1;
	if (state != 'S')
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/wchan", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fgets(buf, sizeof(buf), f) && strstr(buf, "poll");
	fclose(f);
	return ok;
}

/*
 * Wait until @pid sleeps in poll(2). -1 if it exited first, or after two
 * minutes (a guard against a hung test, not a timing assumption).
 */
static int wait_asleep_in_poll(pid_t pid)
{
	time_t start = time(NULL);
	int r;

	while (!(r = asleep_in_poll(pid))) {
		if (time(NULL) - start > 120)
			return -1;
		usleep(1000);
	}
	return r > 0 ? 0 : -1;
}

/*
 * The children below die of SIGALRM (its default action) if their wait
 * has not ended after GUARD_S seconds: a lost wake-up fails its test
 * instead of hanging it. Under TCG a wake-up that happens takes
 * milliseconds. Not poll's own time-out: poll looks at the device once
 * more when it times out, and a lost wake-up would pass as a late event.
 */
#define GUARD_S		20

/* A child that polls @fd for @events: exit 0 if revents is @want. */
static pid_t child_poll(int fd, short events, short want)
{
	struct pollfd p = { .fd = fd, .events = events };
	pid_t pid = fork();

	if (!pid) {
		alarm(GUARD_S);
		_exit(poll(&p, 1, -1) == 1 && p.revents == want ? 0 : 1);
	}
	return pid;
}

FIXTURE(ctl) {
	int minor;
	int fd;
};

FIXTURE_SETUP(ctl)
{
	if (access(MYDEMO_SYSFS "/new_device", W_OK))
		SKIP(return, "mydemo is not loaded, or not root");
	self->minor = 100;
	del_dev(self->minor);
	ASSERT_EQ(0, add_dev(self->minor));
	self->fd = open_dev(self->minor, O_RDWR);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(ctl)
{
	if (self->fd >= 0)
		close(self->fd);
	del_dev(self->minor);
}

TEST_F(ctl, get_info)
{
	struct mydemo_info info;

	memset(&info, 0xff, sizeof(info));
	ASSERT_EQ(5, write(self->fd, "hello", 5));
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_GET_INFO, &info));
	EXPECT_EQ(mydemo_attr(self->minor, "fifo_size"), info.fifo_size);
	EXPECT_EQ(5, info.fifo_level);
	EXPECT_EQ(mydemo_attr(self->minor, "atomic_size"), info.atomic_size);
	EXPECT_EQ(self->minor, info.minor);
	EXPECT_EQ(0, info.irq_rate);
	/* No byte of the structure is left uninitialised. */
	EXPECT_EQ(0, info.reserved[0] | info.reserved[1] | info.reserved[2]);
}

TEST_F(ctl, get_and_reset_stats)
{
	struct mydemo_stats st;
	char buf[10];
	int ro;

	ASSERT_EQ(10, write(self->fd, "0123456789", 10));
	ASSERT_EQ(4, read(self->fd, buf, 4));
	memset(&st, 0xff, sizeof(st));
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_GET_STATS, &st));
	EXPECT_EQ(MYDEMO_STATS_VERSION, st.version);
	EXPECT_EQ(sizeof(st), st.size);
	EXPECT_EQ(10, st.bytes_written);
	EXPECT_EQ(4, st.bytes_read);
	EXPECT_EQ(1, st.writes);
	EXPECT_EQ(1, st.reads);
	EXPECT_EQ(1, st.read_wakeups);
	EXPECT_EQ(0, st.irq_records);
	EXPECT_EQ(0, st.overruns);
	EXPECT_EQ(st.bytes_written,
		  mydemo_attr(self->minor, "statistics/bytes_written"));

	/* Zeroing the counters needs a file open for writing. */
	ro = open_dev(self->minor, O_RDONLY);
	ASSERT_LE(0, ro);
	EXPECT_EQ(-1, ioctl(ro, MYDEMO_IOC_RESET_STATS));
	EXPECT_EQ(EBADF, errno);
	close(ro);
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_RESET_STATS));
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_GET_STATS, &st));
	EXPECT_EQ(0, st.bytes_written + st.bytes_read + st.reads + st.writes +
		     st.read_wakeups);
	/* Resetting counters does not touch the data. */
	EXPECT_EQ(6, mydemo_attr(self->minor, "fifo_level"));
}

TEST_F(ctl, fionread)
{
	int n = -1;

	ASSERT_EQ(0, ioctl(self->fd, FIONREAD, &n));
	EXPECT_EQ(0, n);
	ASSERT_EQ(7, write(self->fd, "abcdefg", 7));
	ASSERT_EQ(0, ioctl(self->fd, FIONREAD, &n));
	EXPECT_EQ(7, n);
}

TEST_F(ctl, bad_ioctls)
{
	EXPECT_EQ(-1, ioctl(self->fd, _IO(MYDEMO_IOC_MAGIC, 99)));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOR('x', 1, int), NULL));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, MYDEMO_IOC_GET_INFO, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, MYDEMO_IOC_GET_STATS, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, MYDEMO_IOC_SET_SIZE, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, FIONREAD, (void *)8));
	EXPECT_EQ(EFAULT, errno);
}

/* FLUSH discards the contents and lets a writer blocked on a full fifo go. */
TEST_F(ctl, flush_wakes_writer)
{
	long long blocked = mydemo_attr(self->minor, "statistics/writes_blocked");
	long long size = mydemo_attr(self->minor, "fifo_size");
	static char buf[1 << 16];
	pid_t pid;

	ASSERT_GE((long long)sizeof(buf), size);
	ASSERT_EQ(size, write(self->fd, buf, size));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(write(self->fd, "tail", 4) == 4 ? 0 : 1);
	ASSERT_EQ(0, mydemo_wait_attr(self->minor, "statistics/writes_blocked",
				      blocked + 1));
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_FLUSH));
	EXPECT_EQ(0, exit_code(pid));
	/* Only the blocked writer's bytes are left. */
	EXPECT_EQ(4, mydemo_attr(self->minor, "fifo_level"));
	EXPECT_EQ(4, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "tail", 4));
}

TEST_F(ctl, set_size)
{
	unsigned char in[100], out[200];
	struct mydemo_info info;
	__u32 size;
	unsigned int i;
	pid_t pid;

	for (i = 0; i < sizeof(in); i++)
		in[i] = i * 3;
	ASSERT_EQ(sizeof(in), (size_t)write(self->fd, in, sizeof(in)));

	size = 64;	/* too small for the 100 bytes in it */
	EXPECT_EQ(-1, ioctl(self->fd, MYDEMO_IOC_SET_SIZE, &size));
	EXPECT_EQ(EBUSY, errno);
	for (i = 0; i < 4; i++) {
		static const __u32 bad[] = { 0, 100, 32, 8 << 20 };

		size = bad[i];
		EXPECT_EQ(-1, ioctl(self->fd, MYDEMO_IOC_SET_SIZE, &size));
		EXPECT_EQ(EINVAL, errno);
	}
	size = 128;
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_SET_SIZE, &size));
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_GET_INFO, &info));
	EXPECT_EQ(128, info.fifo_size);
	EXPECT_EQ(128, info.atomic_size);
	EXPECT_EQ(100, info.fifo_level);
	EXPECT_EQ(128, mydemo_attr(self->minor, "fifo_size"));
	/* The contents survived, in order; the new size is the new limit. */
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(28, write(self->fd, out, sizeof(out)));
	ASSERT_EQ(128, read(self->fd, out, sizeof(out)));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));

	/* Resizing takes CAP_SYS_ADMIN. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (setuid(65534))
			_exit(2);
		size = 256;
		_exit(ioctl(self->fd, MYDEMO_IOC_SET_SIZE, &size) == -1 &&
		      errno == EPERM ? 0 : 1);
	}
	EXPECT_EQ(0, exit_code(pid));
}

TEST(new_del_device_errors)
{
	struct stat st;

	if (access(MYDEMO_SYSFS "/new_device", W_OK))
		SKIP(return, "mydemo is not loaded, or not root");
	del_dev(101);
	ASSERT_EQ(0, add_dev(101));
	/* The node appears through devtmpfs, with the module's mode. */
	ASSERT_EQ(0, stat("/dev/mydemo101", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(mydemo_param("mode"), st.st_mode & 07777);
	EXPECT_EQ(-EEXIST, add_dev(101));
	EXPECT_EQ(-EINVAL, add_dev(256));
	EXPECT_EQ(-EINVAL, class_write("new_device", "abc"));
	EXPECT_EQ(-EINVAL, class_write("new_device", "-1"));
	EXPECT_EQ(0, del_dev(101));
	EXPECT_NE(0, stat("/dev/mydemo101", &st));
	EXPECT_EQ(-ENODEV, del_dev(101));
	EXPECT_EQ(-EINVAL, class_write("del_device", "1000"));
	EXPECT_EQ(-EINVAL, class_write("del_device", "\n"));
}

/*
 * Removing a device wakes everyone blocked in it, at once: readers and
 * pollers of an empty device, writers of a full one get ENODEV or
 * POLLHUP|POLLERR, and SIGIO subscribers POLL_HUP. The files stay open and
 * keep failing with ENODEV; the memory goes with the last close (the
 * guest's kmemleak scan at power-off checks that).
 */
static pid_t child_read(int fd)
{
	pid_t pid = fork();
	char c;

	if (!pid)
		_exit(read(fd, &c, 1) == -1 && errno == ENODEV ? 0 : 1);
	return pid;
}

static pid_t child_write(int fd)
{
	pid_t pid = fork();

	if (!pid)
		_exit(write(fd, "x", 1) == -1 && errno == ENODEV ? 0 : 1);
	return pid;
}

TEST(remove_under_waiters)
{
	static char big[1 << 16];
	struct timespec zero = { 0, 0 };
	pid_t reader, writer, rpoll, wpoll;
	int empty, full, sub, i, n;
	siginfo_t si;
	sigset_t set;

	if (access(MYDEMO_SYSFS "/new_device", W_OK))
		SKIP(return, "mydemo is not loaded, or not root");
	del_dev(102);
	del_dev(103);
	ASSERT_EQ(0, add_dev(102));
	ASSERT_EQ(0, add_dev(103));
	empty = open_dev(102, O_RDWR);
	full = open_dev(103, O_RDWR);
	ASSERT_LE(0, empty);
	ASSERT_LE(0, full);
	ASSERT_EQ(mydemo_attr(103, "fifo_size"), write(full, big, sizeof(big)));

	/* A SIGIO subscriber: this process, the signal blocked and polled. */
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, NULL));
	sub = open_dev(102, O_RDONLY);
	ASSERT_LE(0, sub);
	ASSERT_EQ(0, fcntl(sub, F_SETOWN, getpid()));
	ASSERT_EQ(0, fcntl(sub, F_SETSIG, SIGRTMIN));
	ASSERT_EQ(0, fcntl(sub, F_SETFL, O_ASYNC));
	EXPECT_EQ(1, mydemo_attr(102, "fasync_subscribers"));

	reader = child_read(empty);
	ASSERT_LT(0, reader);
	ASSERT_EQ(0, mydemo_wait_attr(102, "statistics/reads_blocked", 1));
	writer = child_write(full);
	ASSERT_LT(0, writer);
	ASSERT_EQ(0, mydemo_wait_attr(103, "statistics/writes_blocked", 1));
	/*
	 * Pollers asleep in poll() when the device goes: the removal must wake
	 * them (one that came late would see the removal on entry instead,
	 * and prove nothing about the wake-up).
	 */
	rpoll = child_poll(empty, POLLIN, POLLHUP | POLLERR);
	wpoll = child_poll(full, POLLOUT, POLLHUP | POLLERR);
	ASSERT_LT(0, rpoll);
	ASSERT_LT(0, wpoll);
	ASSERT_EQ(0, wait_asleep_in_poll(rpoll)) TH_LOG("reader's poll never slept");
	ASSERT_EQ(0, wait_asleep_in_poll(wpoll)) TH_LOG("writer's poll never slept");

	ASSERT_EQ(0, del_dev(102));
	ASSERT_EQ(0, del_dev(103));

	EXPECT_EQ(0, exit_code(reader)) TH_LOG("blocked reader: no ENODEV");
	EXPECT_EQ(0, exit_code(writer)) TH_LOG("blocked writer: no ENODEV");
	EXPECT_EQ(0, exit_code(rpoll)) TH_LOG("reader's poll: no POLLHUP|POLLERR");
	EXPECT_EQ(0, exit_code(wpoll)) TH_LOG("writer's poll: no POLLHUP|POLLERR");

	/* The hang-up signal was sent during the removal: it is pending now. */
	ASSERT_EQ(SIGRTMIN, sigtimedwait(&set, &si, &zero));
	EXPECT_EQ(POLL_HUP, si.si_code);
	EXPECT_EQ(sub, si.si_fd);

	for (i = 0; i < 2; i++) {
		struct pollfd p = { .fd = i ? full : empty, .events = POLLIN | POLLOUT };
		char c;

		EXPECT_EQ(-1, read(p.fd, &c, 1));
		EXPECT_EQ(ENODEV, errno);
		EXPECT_EQ(-1, write(p.fd, &c, 1));
		EXPECT_EQ(ENODEV, errno);
		EXPECT_EQ(-1, ioctl(p.fd, FIONREAD, &n));
		EXPECT_EQ(ENODEV, errno);
		EXPECT_EQ(1, poll(&p, 1, 0));
		EXPECT_EQ(POLLHUP | POLLERR, p.revents);
	}
	EXPECT_NE(0, access("/dev/mydemo102", F_OK));
	close(sub);
	close(empty);
	close(full);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	/* The minors are free again. */
	EXPECT_EQ(0, add_dev(102));
	EXPECT_EQ(0, del_dev(102));
}

/* A child that writes @len bytes (blocking): exit 0 when all went in. */
static pid_t child_write_len(int fd, size_t len)
{
	static char buf[4096];
	pid_t pid = fork();

	if (!pid) {
		alarm(GUARD_S);
		_exit(len <= sizeof(buf) && write(fd, buf, len) == (ssize_t)len ? 0 : 1);
	}
	return pid;
}

/* Take a pending @sig without waiting: the signal, or -1 if none. */
static int take_signal(int sig, siginfo_t *si)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	return sigtimedwait(&set, si, &zero);
}

/*
 * Growing the fifo makes room as a read does, and must wake the same
 * parties: a writer asleep on a full fifo, a poller asleep waiting for
 * POLLOUT, and the O_ASYNC writers, with POLL_OUT. Once through
 * MYDEMO_IOC_SET_SIZE, once through the sysfs fifo_size file; 4 KiB grow
 * to 16 KiB, so that the atomic size (4096) stays free after the woken
 * writer's 100 bytes and the poller finds the room when it looks again.
 */
TEST_F(ctl, resize_wakes_writers)
{
	static char buf[4096];
	pid_t writer, poller;
	__u32 small = 4096, big = 16384;
	siginfo_t si;
	sigset_t set;
	int sub, sig, i;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, NULL));
	/* A write-only subscriber: it gets POLL_OUT, never POLL_IN. */
	sub = open_dev(self->minor, O_WRONLY);
	ASSERT_LE(0, sub);
	ASSERT_EQ(0, fcntl(sub, F_SETOWN, getpid()));
	ASSERT_EQ(0, fcntl(sub, F_SETSIG, SIGRTMIN));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_FLUSH));
		ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_SET_SIZE, &small));
		ASSERT_EQ(sizeof(buf), write(self->fd, buf, sizeof(buf)));
		/* Subscribed only now: the flush and the shrink made room. */
		ASSERT_EQ(0, fcntl(sub, F_SETFL, O_ASYNC));
		EXPECT_EQ(-1, take_signal(SIGRTMIN, &si));

		writer = child_write_len(self->fd, 100);
		ASSERT_LT(0, writer);
		ASSERT_EQ(0, mydemo_wait_value(self->minor, "waiting_writers", 1, 1));
		poller = child_poll(self->fd, POLLOUT, POLLOUT);
		ASSERT_LT(0, poller);
		ASSERT_EQ(0, wait_asleep_in_poll(poller));

		if (i) {
			ASSERT_EQ(0, class_write("mydemo100/fifo_size", "16384"));
		} else {
			ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_SET_SIZE, &big));
		}
		/* kill_fasync() ran before the resize returned. */
		sig = take_signal(SIGRTMIN, &si);
		EXPECT_EQ(SIGRTMIN, sig)
			TH_LOG("%s: no signal to the O_ASYNC writer",
			       i ? "fifo_size" : "SET_SIZE");
		if (sig == SIGRTMIN) {
			EXPECT_EQ(POLL_OUT, si.si_code);
			EXPECT_TRUE(si.si_band & POLLOUT)
				TH_LOG("si_band %#lx", si.si_band);
			EXPECT_EQ(sub, si.si_fd);
		}
		EXPECT_EQ(0, exit_code(writer))
			TH_LOG("%s: the blocked writer was not woken",
			       i ? "fifo_size" : "SET_SIZE");
		EXPECT_EQ(0, exit_code(poller))
			TH_LOG("%s: the POLLOUT poller was not woken",
			       i ? "fifo_size" : "SET_SIZE");
		EXPECT_EQ(16384, mydemo_attr(self->minor, "fifo_size"));
		EXPECT_EQ(4096 + 100, mydemo_attr(self->minor, "fifo_level"));
		EXPECT_EQ(0, mydemo_attr(self->minor, "waiting_writers"));
		/* One edge, one signal: the writer's data is no POLL_OUT. */
		EXPECT_EQ(-1, take_signal(SIGRTMIN, &si));
		ASSERT_EQ(0, fcntl(sub, F_SETFL, 0));
	}
	close(sub);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/*
 * A read wakes a poller waiting for POLLOUT when it leaves atomic_size
 * bytes free, and not before: an 8 KiB fifo (atomic size 4096) is full,
 * a read of 4095 bytes leaves it not writable, one more byte makes it so.
 */
TEST_F(ctl, read_wakes_pollout_poller)
{
	static char buf[8192];
	struct pollfd p = { .fd = self->fd, .events = POLLOUT };
	__u32 size = 8192;
	pid_t poller;

	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_SET_SIZE, &size));
	ASSERT_EQ(4096, mydemo_attr(self->minor, "atomic_size"));
	ASSERT_EQ(sizeof(buf), write(self->fd, buf, sizeof(buf)));
	poller = child_poll(self->fd, POLLOUT, POLLOUT);
	ASSERT_LT(0, poller);
	ASSERT_EQ(0, wait_asleep_in_poll(poller));

	ASSERT_EQ(4095, read(self->fd, buf, 4095));
	EXPECT_EQ(0, poll(&p, 1, 0)) TH_LOG("POLLOUT with 4095 bytes free");
	/* Not woken: nothing else could have woken it, so it is asleep. */
	EXPECT_EQ(1, asleep_in_poll(poller)) TH_LOG("poller woken with 4095 bytes free");
	ASSERT_EQ(1, read(self->fd, buf, 1));
	EXPECT_EQ(0, exit_code(poller)) TH_LOG("the read to 4096 free did not wake the poller");
	EXPECT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLOUT, p.revents);
}

/*
 * A sysfs file held open across del_device: kernfs cuts it off from the
 * device, so a read afterwards fails with ENODEV, also once a new device
 * has taken the minor again, and close is fine. Once with a file of the
 * device still open (the device itself outlives its removal), once
 * without. A use after free here shows as a KASAN splat, which fails the
 * run.
 */
TEST(stat_open_across_removal)
{
	char buf[1024];
	int i, sfd, dfd;

	if (access(MYDEMO_SYSFS "/new_device", W_OK))
		SKIP(return, "mydemo is not loaded, or not root");
	for (i = 0; i < 2; i++) {
		del_dev(104);
		ASSERT_EQ(0, add_dev(104));
		dfd = -1;
		if (i) {
			dfd = open_dev(104, O_RDWR);
			ASSERT_LE(0, dfd);
		}
		sfd = open(MYDEMO_SYSFS "/mydemo104/stat", O_RDONLY);
		ASSERT_LE(0, sfd);
		ASSERT_LT(0, pread(sfd, buf, sizeof(buf), 0));

		ASSERT_EQ(0, del_dev(104));
		EXPECT_EQ(-1, pread(sfd, buf, sizeof(buf), 0))
			TH_LOG("%s: stat still readable after del_device",
			       i ? "device open" : "device closed");
		EXPECT_EQ(ENODEV, errno);
		/* A new device of the same minor is not the old file's. */
		ASSERT_EQ(0, add_dev(104));
		EXPECT_EQ(-1, pread(sfd, buf, sizeof(buf), 0));
		EXPECT_EQ(ENODEV, errno);
		EXPECT_EQ(0, close(sfd));
		if (dfd >= 0) {
			EXPECT_EQ(-1, read(dfd, buf, 1));
			EXPECT_EQ(ENODEV, errno);
			EXPECT_EQ(0, close(dfd));
		}
		EXPECT_EQ(0, del_dev(104));
	}
}

/*
 * The interrupt source: records arrive in order with increasing timestamps;
 * when the fifo is full they are dropped and counted as overruns, and every
 * record is either read or counted. Rates stay low: under TCG with KASAN or
 * KCSAN, thousands of timer interrupts a second eat a whole vCPU.
 */
TEST_F(ctl, irq_source)
{
	struct mydemo_irq_record rec[64];
	__u64 next = 0, last_ts = 0;
	long long base, records, overruns;
	struct mydemo_stats st;
	__u32 rate = 500, size = 64;
	ssize_t n;
	int i, got = 0;

	EXPECT_EQ(-1, ioctl(self->fd, MYDEMO_IOC_SET_IRQ_RATE, &(__u32){ 10001 }));
	EXPECT_EQ(EINVAL, errno);
	/* The same control in sysfs, with the same checks. */
	EXPECT_EQ(-EINVAL, class_write("mydemo100/irq_rate", "10001"));
	EXPECT_EQ(-EINVAL, class_write("mydemo100/irq_rate", "fast"));
	EXPECT_EQ(-EINVAL, class_write("mydemo100/irq_rate", "-1"));
	EXPECT_EQ(0, class_write("mydemo100/irq_rate", "250"));
	EXPECT_EQ(250, mydemo_attr(self->minor, "irq_rate"));
	EXPECT_EQ(0, class_write("mydemo100/irq_rate", "0"));
	EXPECT_EQ(0, mydemo_attr(self->minor, "irq_rate"));
	/* Its records are not part of what follows. */
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_FLUSH));

	/* In order, stamped in order. */
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_SET_IRQ_RATE, &rate));
	EXPECT_EQ(rate, mydemo_attr(self->minor, "irq_rate"));
	while (got < 100) {
		n = read(self->fd, rec, sizeof(rec));
		ASSERT_LT(0, n);
		ASSERT_EQ(0, n % sizeof(rec[0]));
		for (i = 0; i < n / (ssize_t)sizeof(rec[0]); i++, got++) {
			ASSERT_LE(next, rec[i].seq);
			ASSERT_LE(last_ts, rec[i].timestamp_ns);
			next = rec[i].seq + 1;
			last_ts = rec[i].timestamp_ns;
		}
	}
	rate = 0;
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_SET_IRQ_RATE, &rate));
	EXPECT_EQ(0, mydemo_attr(self->minor, "irq_rate"));

	/* A 64-byte fifo holds 4 records: the rest overrun. */
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_FLUSH));
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_RESET_STATS));
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_SET_SIZE, &size));
	base = 0;
	rate = 500;
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_SET_IRQ_RATE, &rate));
	ASSERT_EQ(0, mydemo_wait_attr(self->minor, "statistics/overruns", 10));
	rate = 0;
	/* Switching off is synchronous: no record is in flight after it. */
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_SET_IRQ_RATE, &rate));
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_GET_STATS, &st));
	records = st.irq_records;
	overruns = st.overruns;
	EXPECT_EQ(4, records);
	EXPECT_LE(10, overruns);
	EXPECT_EQ(records * sizeof(rec[0]), st.bytes_written);
	n = read(self->fd, rec, sizeof(rec));
	EXPECT_EQ(4 * sizeof(rec[0]), (size_t)n);
	/* Sequence restarted at 0 when switched on: the first 4 got in. */
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(base + i, rec[i].seq);
	}
	EXPECT_EQ(overruns, mydemo_attr(self->minor, "statistics/overruns"));
}

TEST_HARNESS_MAIN
