// SPDX-License-Identifier: GPL-2.0
/*
 * blocking: blocking read and write on a mydemo device.
 *
 *   blocking [DEVICE]        (default /dev/mydemo0)
 *
 * Without O_NONBLOCK, read() of an empty fifo sleeps until a writer brings
 * data, and write() to a full fifo sleeps until readers make room. Here a
 * child process sleeps in read() until the parent writes, then a child
 * sleeps in write() until the parent reads.
 *
 * How does the parent know that the child is asleep and not just slow to
 * start? The driver counts every sleep (statistics/reads_blocked and
 * writes_blocked in sysfs) just before the task goes to sleep: the parent
 * waits for the counter to move. Waiting for an event, never for a length
 * of time, is the only reliable way to order two processes.
 * Give it a device nobody else is using.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static char sysdir[128];

/*
 * The driver names the device with minor N "mydemoN", whatever the node in
 * /dev is called: its sysfs directory follows from the node's minor.
 */
static void find_sysdir(const char *dev)
{
	struct stat st;

	if (stat(dev, &st))
		err(1, "stat %s", dev);
	if (!S_ISCHR(st.st_mode))
		errx(1, "%s is not a character device", dev);
	snprintf(sysdir, sizeof(sysdir), "/sys/class/mydemo/mydemo%u",
		 minor(st.st_rdev));
}

/* A number from a file in the device's sysfs directory. */
static long long attr(const char *name)
{
	char path[256];
	long long v;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", sysdir, name);
	f = fopen(path, "r");
	if (!f)
		err(1, "%s", path);
	if (fscanf(f, "%lld", &v) != 1)
		errx(1, "%s: not a number", path);
	fclose(f);
	return v;
}

/*
 * Wait until the counter @name passes @old: the child is asleep in the
 * driver. Fails if the child exits first (it would never sleep then).
 */
static void wait_asleep(const char *name, long long old, pid_t child)
{
	int status;
	pid_t ret;

	while (attr(name) <= old) {
		ret = waitpid(child, &status, WNOHANG);
		if (ret < 0)
			err(1, "waitpid");
		if (ret == child)
			errx(1, "the child exited instead of sleeping");
		usleep(1000);	/* poll the counter gently */
	}
}

/* Wait for the child and check that it succeeded. */
static void reap(pid_t child)
{
	int status;

	if (waitpid(child, &status, 0) != child)
		err(1, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		errx(1, "the child failed");
}

static int child_reader(const char *dev)
{
	char buf[64];
	ssize_t n;
	int fd;

	fd = open(dev, O_RDONLY);
	if (fd < 0)
		err(1, "child: open %s", dev);
	n = read(fd, buf, sizeof(buf) - 1);	/* sleeps: the fifo is empty */
	if (n < 0)
		err(1, "child: read");
	buf[n] = '\0';
	printf("reader: woke up with %zd bytes: \"%s\"\n", n, buf);
	return close(fd) ? 1 : 0;
}

static int child_writer(const char *dev, size_t len)
{
	char *buf = calloc(1, len);
	ssize_t n;
	int fd;

	if (!buf)
		err(1, "child: calloc");
	fd = open(dev, O_WRONLY);
	if (fd < 0)
		err(1, "child: open %s", dev);
	/* More than the fifo holds: sleeps until the parent reads. */
	n = write(fd, buf, len);
	if (n < 0)
		err(1, "child: write");
	printf("writer: write() of %zu bytes returned %zd\n", len, n);
	free(buf);
	return close(fd) || (size_t)n != len;
}

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/mydemo0";
	static const char msg[] = "hello from the parent";
	size_t len, total = 0;
	long long before;
	char buf[4096];
	pid_t child;
	ssize_t n;
	int fd;

	find_sysdir(dev);
	fd = open(dev, O_RDWR);
	if (fd < 0)
		err(1, "open %s", dev);
	/* printf output is buffered: flush it before fork() copies it. */
	fflush(stdout);

	/* 1. A reader sleeps until data arrives. */
	before = attr("statistics/reads_blocked");
	child = fork();
	if (child < 0)
		err(1, "fork");
	if (child == 0)
		exit(child_reader(dev));
	wait_asleep("statistics/reads_blocked", before, child);
	printf("parent: the reader is asleep; writing\n");
	fflush(stdout);
	if (write(fd, msg, strlen(msg)) != (ssize_t)strlen(msg))
		err(1, "write");
	reap(child);

	/* 2. A writer sleeps until there is room: it writes more than fits. */
	len = attr("fifo_size") + 1000;
	before = attr("statistics/writes_blocked");
	child = fork();
	if (child < 0)
		err(1, "fork");
	if (child == 0)
		exit(child_writer(dev, len));
	wait_asleep("statistics/writes_blocked", before, child);
	printf("parent: the writer is asleep (fifo full); reading\n");
	fflush(stdout);
	while (total < len) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0)
			err(1, "read");
		total += n;
	}
	reap(child);
	printf("parent: read all %zu bytes\n", total);

	if (close(fd))
		err(1, "close");
	return 0;
}
