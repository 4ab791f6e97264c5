// SPDX-License-Identifier: GPL-2.0
/*
 * splice: move data between a mydemo device, a pipe and a file without
 * copying it through a user buffer, as pv, socat or a sendfile() server do.
 *
 *   splice [DEVICE]          (default /dev/mydemo0)
 *
 * 1. sendfile() copies a file into the device;
 * 2. splice() moves the device's bytes into a pipe;
 * 3. tee() duplicates them into a second pipe, which is drained with read();
 * 4. splice() moves the first pipe's bytes back into the device, and read()
 *    shows them.
 * Each step goes through the driver's read() and write(): the same blocking,
 * O_NONBLOCK and atomic-write rules, counted in the device's statistics.
 * Give it a device nobody else is using.
 */
#define _GNU_SOURCE
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <unistd.h>

static const char msg[] = "spliced through a pipe, not through user space\n";

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/mydemo0";
	char path[] = "/tmp/splice-example-XXXXXX";
	int fd, file, p[2], q[2];
	char buf[256];
	ssize_t n, t;

	fd = open(dev, O_RDWR | O_NONBLOCK);
	if (fd < 0)
		err(1, "open %s", dev);
	if (pipe(p) || pipe(q))
		err(1, "pipe");

	file = mkstemp(path);
	if (file < 0)
		err(1, "mkstemp");
	unlink(path);
	if (write(file, msg, strlen(msg)) != (ssize_t)strlen(msg))
		err(1, "write %s", path);

	/* 1. file -> device: the kernel reads the file, the driver writes. */
	n = sendfile(fd, file, &(off_t){ 0 }, strlen(msg));
	if (n < 0)
		err(1, "sendfile");
	printf("sendfile: %zd bytes from a file into %s\n", n, dev);

	/* 2. device -> pipe. */
	n = splice(fd, NULL, p[1], NULL, sizeof(buf), SPLICE_F_NONBLOCK);
	if (n < 0)
		err(1, "splice from %s", dev);
	printf("splice: %zd bytes from %s into a pipe\n", n, dev);

	/* 3. A copy of the pipe's bytes, which stay in the first pipe. */
	t = tee(p[0], q[1], n, SPLICE_F_NONBLOCK);
	if (t < 0)
		err(1, "tee");
	t = read(q[0], buf, sizeof(buf));
	if (t < 0)
		err(1, "read the tee'd pipe");
	printf("tee: %zd bytes copied: %.*s", t, (int)t, buf);

	/* 4. pipe -> device, then read it back as any reader would. */
	n = splice(p[0], NULL, fd, NULL, n, SPLICE_F_NONBLOCK);
	if (n < 0)
		err(1, "splice into %s", dev);
	printf("splice: %zd bytes from the pipe into %s\n", n, dev);
	n = read(fd, buf, sizeof(buf));
	if (n < 0)
		err(1, "read %s", dev);
	printf("read: %zd bytes: %.*s", n, (int)n, buf);

	close(file);
	close(fd);
	return n == (ssize_t)strlen(msg) && !memcmp(buf, msg, n) ? 0 : 1;
}
