// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo debugfs (/sys/kernel/debug/mydemo/mydemoN/): "state" lists every
 * open file and every task asleep in the device; "contents" shows the
 * bytes without taking them; "wait_latency" counts each sleep; and
 * "fault_inject" makes the allocations and copies fail on demand, with a
 * clean error and no byte lost or duplicated.
 *
 * Each test works on its own new device (minor 125).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/mydemo.h>

#include "kselftest_harness.h"
#include "mydemo_util.h"

#define MINOR		125
#define DBG		"/sys/kernel/debug/mydemo/mydemo125"

/* The whole of a debugfs file into @buf (NUL-terminated); its length or -1. */
static ssize_t read_file(const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t n, done = 0;
	int fd;

	snprintf(path, sizeof(path), DBG "/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + done, len - 1 - done)) > 0)
		done += n;
	close(fd);
	buf[done] = '\0';
	return n < 0 ? -1 : done;
}

static int open_dev(int flags)
{
	char path[64];

	mydemo_dev_path(path, sizeof(path), MINOR);
	return open(path, flags);
}

/* Sum of one column (1-based, after from_ns and to_ns) of wait_latency. */
static long long latency_total(const char *text, int col)
{
	unsigned long long from, to, v[4];
	const char *line = text;
	long long sum = 0;

	while (line && *line) {
		char to_s[32];

		if (sscanf(line, "%llu %31s %llu %llu %llu %llu", &from, to_s,
			   &v[0], &v[1], &v[2], &v[3]) == 6)
			sum += v[col - 1];
		(void)to;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return sum;
}

static void on_usr1(int sig)
{
}

FIXTURE(dbg) {
	int fd;
};

FIXTURE_SETUP(dbg)
{
	self->fd = -1;
	if (access(MYDEMO_SYSFS "/new_device", W_OK))
		SKIP(return, "mydemo is not loaded, or not root");
	self->fd = mydemo_fresh_open(MINOR, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, self->fd);
	if (access(DBG "/state", R_OK))
		SKIP(return, "no %s (debugfs not mounted?)", DBG);
}

FIXTURE_TEARDOWN(dbg)
{
	mydemo_fresh_close(self->fd, MINOR);
}

/* Every open file with its owner and flags; every sleeper with its call. */
TEST_F(dbg, state_lists_files_and_sleepers)
{
	static char text[16384];
	char want[256], comm[17] = "";
	int r, flags;
	pid_t pid;

	ASSERT_EQ(0, prctl(PR_GET_NAME, comm));
	r = open_dev(O_RDONLY);
	ASSERT_LE(0, r);
	flags = fcntl(r, F_GETFL);
	ASSERT_EQ(0, fcntl(r, F_SETOWN, getpid()));
	signal(SIGIO, SIG_IGN);
	ASSERT_EQ(0, fcntl(r, F_SETFL, flags | O_ASYNC));

	pid = mydemo_fork_reader(r, MINOR);
	ASSERT_LT(0, pid);
	ASSERT_LT(0, read_file("state", text, sizeof(text)));
	TH_LOG("state:\n%s", text);
	EXPECT_TRUE(!!strstr(text, "fifo_size: 65536\n"));
	EXPECT_TRUE(!!strstr(text, "readers: 2\n"));
	EXPECT_TRUE(!!strstr(text, "waiting_readers: 1\n"));
	EXPECT_TRUE(!!strstr(text, "fasync_subscribers: 1 (readers 1, writers 0)\n"));
	snprintf(want, sizeof(want), "  file pid=%d comm=%s mode=rw nonblock=1 fasync=0 ",
		 getpid(), comm);
	EXPECT_TRUE(!!strstr(text, want)) TH_LOG("no line: %s", want);
	snprintf(want, sizeof(want), "  file pid=%d comm=%s mode=r nonblock=0 fasync=1 ",
		 getpid(), comm);
	EXPECT_TRUE(!!strstr(text, want)) TH_LOG("no line: %s", want);
	/* The sleeper is listed under the file it sleeps on. */
	snprintf(want, sizeof(want), "fasync=1 open_ms=");
	ASSERT_TRUE(!!strstr(text, want));
	snprintf(want, sizeof(want), "    blocked pid=%d comm=%s call=read since_ms=",
		 pid, comm);
	EXPECT_TRUE(!!strstr(strstr(text, "fasync=1 open_ms="), want))
		TH_LOG("no line: %s", want);

	ASSERT_EQ(1, write(self->fd, "x", 1));
	ASSERT_EQ(0, waitpid(pid, &flags, 0) == pid && WIFEXITED(flags) ?
		     WEXITSTATUS(flags) : -1);
	ASSERT_LT(0, read_file("state", text, sizeof(text)));
	EXPECT_FALSE(!!strstr(text, "blocked pid="));
	close(r);
	ASSERT_LT(0, read_file("state", text, sizeof(text)));
	EXPECT_TRUE(!!strstr(text, "readers: 1\n"));
	EXPECT_FALSE(!!strstr(text, "mode=r nonblock"));
	signal(SIGIO, SIG_DFL);
}

/* A hexdump of the bytes in order, taken without consuming them. */
TEST_F(dbg, contents_peeks)
{
	static char text[65536];
	unsigned char in[40], out[40];
	unsigned int off, b[16];
	const char *line;
	size_t got = 0;
	int i, n;

	/*
	 * Move the fifo's indices to 20 bytes before the end of its buffer,
	 * so that the 40 bytes wrap: the dump must still be in order.
	 */
	for (i = 0; i < 2; i++) {
		static char fill[40000];
		size_t len = i ? 65536 - 20 - sizeof(fill) : sizeof(fill);

		ASSERT_EQ(len, write(self->fd, fill, len));
		ASSERT_EQ(len, read(self->fd, fill, len));
	}
	for (i = 0; i < (int)sizeof(in); i++)
		in[i] = 0xa0 + i;
	ASSERT_EQ(sizeof(in), write(self->fd, in, sizeof(in)));
	ASSERT_LT(0, read_file("contents", text, sizeof(text)));
	TH_LOG("contents:\n%s", text);
	for (line = text; line && *line && got < sizeof(in);) {
		n = sscanf(line, "%x: %x %x %x %x %x %x %x %x %x %x %x %x %x %x %x %x",
			   &off, &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &b[6],
			   &b[7], &b[8], &b[9], &b[10], &b[11], &b[12], &b[13],
			   &b[14], &b[15]);
		ASSERT_LE(2, n);
		ASSERT_EQ(got, off);
		for (i = 0; i < n - 1 && got < sizeof(in); i++) {
			ASSERT_EQ(in[got++], b[i]);
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	EXPECT_EQ(sizeof(in), got);
	/* Nothing was taken. */
	EXPECT_EQ(sizeof(in), mydemo_attr(MINOR, "fifo_level"));
	ASSERT_EQ(sizeof(out), read(self->fd, out, sizeof(out)));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
	ASSERT_LE(0, read_file("contents", text, sizeof(text)));
	EXPECT_EQ('\0', text[0]);
}

/* One sleep ended by a write, one by a signal: both in the histogram. */
TEST_F(dbg, wait_latency_counts_sleeps)
{
	static char text[16384];
	pid_t pid;
	int status, i;

	for (i = 0; i < 2; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			struct sigaction sa = { .sa_handler = on_usr1 };
			int fd = open_dev(O_RDONLY);
			char c;

			sigaction(SIGUSR1, &sa, NULL);
			_exit(read(fd, &c, 1) == 1 ? 0 : errno == EINTR ? 2 : 1);
		}
		ASSERT_EQ(0, mydemo_wait_value(MINOR, "waiting_readers", 1, 1));
		if (i)
			kill(pid, SIGUSR1);
		else
			ASSERT_EQ(1, write(self->fd, "x", 1));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		EXPECT_EQ(i ? 2 : 0, WEXITSTATUS(status));
	}
	ASSERT_LT(0, read_file("wait_latency", text, sizeof(text)));
	TH_LOG("wait_latency:\n%s", text);
	EXPECT_EQ(2, latency_total(text, 1));	/* read_slept */
	EXPECT_EQ(0, latency_total(text, 2));	/* write_slept */
	/* Only the write's wake-up selected a sleeper; the signal did not. */
	EXPECT_EQ(1, latency_total(text, 3));	/* read_wake */
	EXPECT_TRUE(!!strstr(text, "interrupted: read 1 write 0\n"));
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_RESET_STATS));
	ASSERT_LT(0, read_file("wait_latency", text, sizeof(text)));
	EXPECT_EQ(0, latency_total(text, 1));
}

/* Arm fault_inject for the next @times failures of this device. */
static int arm(int times)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", times);
	if (mydemo_write_str(DBG "/fault_inject/verbose", "0") ||
	    mydemo_write_str(DBG "/fault_inject/interval", "1") ||
	    mydemo_write_str(DBG "/fault_inject/times", v))
		return -1;
	return mydemo_write_str(DBG "/fault_inject/probability", times ? "100" : "0");
}

/*
 * Each fault point fails once, cleanly, and the next call works: no byte
 * of the fifo is lost or duplicated by a failed read or write.
 */
TEST_F(dbg, fault_inject)
{
	char in[64], out[64];
	__u32 size = 8192;
	int fd, i;

	if (access(DBG "/fault_inject", F_OK))
		SKIP(return, "no fault_inject: kernel without CONFIG_FAULT_INJECTION_DEBUG_FS");
	for (i = 0; i < (int)sizeof(in); i++)
		in[i] = i;

	/* open: the per-file allocation. */
	ASSERT_EQ(0, arm(1));
	EXPECT_EQ(-1, open_dev(O_RDONLY));
	EXPECT_EQ(ENOMEM, errno);
	fd = open_dev(O_RDONLY);
	ASSERT_LE(0, fd);
	close(fd);

	/* write: EFAULT, nothing enters; then the same write goes in once. */
	ASSERT_EQ(32, write(self->fd, in, 32));
	ASSERT_EQ(0, arm(1));
	EXPECT_EQ(-1, write(self->fd, in + 32, 32));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(32, mydemo_attr(MINOR, "fifo_level"));
	ASSERT_EQ(32, write(self->fd, in + 32, 32));

	/* read: EFAULT, nothing leaves; then every byte once, in order. */
	ASSERT_EQ(0, arm(1));
	EXPECT_EQ(-1, read(self->fd, out, sizeof(out)));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(64, mydemo_attr(MINOR, "fifo_level"));
	ASSERT_EQ(sizeof(out), read(self->fd, out, sizeof(out)));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
	EXPECT_EQ(2, mydemo_attr(MINOR, "statistics/faults"));

	/* resize, by ioctl and through sysfs: ENOMEM, the size stays. */
	ASSERT_EQ(0, arm(1));
	EXPECT_EQ(-1, ioctl(self->fd, MYDEMO_IOC_SET_SIZE, &size));
	EXPECT_EQ(ENOMEM, errno);
	ASSERT_EQ(0, arm(1));
	EXPECT_EQ(-ENOMEM, mydemo_write_str(MYDEMO_SYSFS "/mydemo125/fifo_size", "8192"));
	EXPECT_EQ(65536, mydemo_attr(MINOR, "fifo_size"));
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_SET_SIZE, &size));
	EXPECT_EQ(8192, mydemo_attr(MINOR, "fifo_size"));
	ASSERT_EQ(0, arm(0));
}

TEST_HARNESS_MAIN
