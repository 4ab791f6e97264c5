// SPDX-License-Identifier: GPL-2.0
/*
 * nonblock: non-blocking I/O on a mydemo device.
 *
 *   nonblock [DEVICE]        (default /dev/mydemo0)
 *
 * With O_NONBLOCK the driver never puts the caller to sleep: a read of an
 * empty fifo and a write to a full one fail with EAGAIN at once. A large
 * write (more than atomic_size bytes) writes what fits and returns that
 * count; the caller must look at it. This program fills the fifo that way,
 * reads everything back and checks that the bytes came back in order.
 * Give it a device nobody else is using: it reads what is there.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * Larger than atomic_size (at most 4096), so the driver may split it: the
 * last write that still finds room returns a short count.
 */
#define CHUNK	5000

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/mydemo0";
	unsigned char buf[CHUNK];
	size_t written = 0, nread = 0, i;
	ssize_t n;
	int fd;

	fd = open(dev, O_RDWR | O_NONBLOCK);
	if (fd < 0)
		err(1, "open %s", dev);

	/* 1. An empty fifo: read() does not wait, it fails with EAGAIN. */
	n = read(fd, buf, sizeof(buf));
	if (n >= 0)
		errx(1, "%s is not empty (%zd bytes read): use a free device", dev, n);
	if (errno != EAGAIN)
		err(1, "read");
	printf("empty: read() failed with EAGAIN at once\n");

	/*
	 * 2. Fill it. Every byte carries its position modulo 251 (a prime, so
	 * the pattern does not line up with any buffer size), to check the
	 * order afterwards.
	 */
	for (;;) {
		for (i = 0; i < CHUNK; i++)
			buf[i] = (written + i) % 251;
		n = write(fd, buf, CHUNK);
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0)
			err(1, "write");
		if (n < CHUNK)
			printf("short write: %zd of %d bytes fitted\n", n, CHUNK);
		written += n;
	}
	printf("full: write() failed with EAGAIN after %zu bytes\n", written);

	/* 3. Drain it, checking every byte. */
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0)
			err(1, "read");
		for (i = 0; i < (size_t)n; i++)
			if (buf[i] != (nread + i) % 251)
				errx(1, "byte %zu is wrong", nread + i);
		nread += n;
	}
	printf("drained: read %zu bytes back, in order\n", nread);
	if (nread != written)
		errx(1, "wrote %zu bytes but read %zu", written, nread);

	if (close(fd))
		err(1, "close");
	return 0;
}
