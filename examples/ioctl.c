// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl: the mydemo ioctls from <linux/mydemo.h>.
 *
 *   ioctl [DEVICE]           (default /dev/mydemo0)
 *
 * GET_INFO and GET_STATS read the device's state into a structure; FLUSH
 * discards the contents (the file must be open for writing); SET_SIZE
 * resizes the fifo (CAP_SYS_ADMIN: root in the lab VM), keeping the
 * contents, and fails with EBUSY when they do not fit. The program leaves
 * the device as it found it, except for the counters.
 * Give it a device nobody else is using.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/mydemo.h>

static struct mydemo_info get_info(int fd)
{
	struct mydemo_info info;

	if (ioctl(fd, MYDEMO_IOC_GET_INFO, &info))
		err(1, "MYDEMO_IOC_GET_INFO");
	return info;
}

/* Write @len bytes without blocking; the fifo must have room. */
static void fill(int fd, size_t len)
{
	char *buf = calloc(1, len);

	if (!buf)
		err(1, "calloc");
	if (write(fd, buf, len) != (ssize_t)len)
		err(1, "write %zu bytes", len);
	free(buf);
}

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/mydemo0";
	struct mydemo_stats stats;
	struct mydemo_info info;
	__u32 orig, size;
	int fd, level;

	fd = open(dev, O_RDWR | O_NONBLOCK);
	if (fd < 0)
		err(1, "open %s", dev);

	info = get_info(fd);
	orig = info.fifo_size;
	printf("GET_INFO: minor %u, fifo_size %u, fifo_level %u, atomic_size %u, irq_rate %u\n",
	       info.minor, info.fifo_size, info.fifo_level, info.atomic_size,
	       info.irq_rate);

	fill(fd, 100);
	info = get_info(fd);
	/* FIONREAD, the generic "bytes ready to read", says the same. */
	if (ioctl(fd, FIONREAD, &level))
		err(1, "FIONREAD");
	printf("after writing 100 bytes: fifo_level %u, FIONREAD %d\n",
	       info.fifo_level, level);

	/*
	 * The kernel says how much of the structure it filled in (size) and
	 * which version of the structure it knows: fields past size stay zero.
	 */
	if (ioctl(fd, MYDEMO_IOC_GET_STATS, &stats))
		err(1, "MYDEMO_IOC_GET_STATS");
	printf("GET_STATS: version %u, size %u, writes %llu, bytes_written %llu\n",
	       stats.version, stats.size, (unsigned long long)stats.writes,
	       (unsigned long long)stats.bytes_written);

	if (ioctl(fd, MYDEMO_IOC_FLUSH))
		err(1, "MYDEMO_IOC_FLUSH");
	printf("FLUSH: fifo_level %u\n", get_info(fd).fifo_level);

	/* Half the size (or double a tiny fifo), with one byte too many in it. */
	size = orig >= 128 ? orig / 2 : orig * 2;
	if (size < orig)
		fill(fd, size + 1);
	if (ioctl(fd, MYDEMO_IOC_SET_SIZE, &size) == 0) {
		if (size < orig)
			errx(1, "SET_SIZE %u kept %u bytes", size, size + 1);
	} else if (errno == EPERM) {
		printf("SET_SIZE: EPERM, needs CAP_SYS_ADMIN: run as root\n");
		goto out;
	} else if (errno == EBUSY) {
		printf("SET_SIZE %u: EBUSY, %u bytes do not fit\n", size, size + 1);
		if (ioctl(fd, MYDEMO_IOC_FLUSH))
			err(1, "MYDEMO_IOC_FLUSH");
		if (ioctl(fd, MYDEMO_IOC_SET_SIZE, &size))
			err(1, "MYDEMO_IOC_SET_SIZE %u", size);
	} else {
		err(1, "MYDEMO_IOC_SET_SIZE %u", size);
	}
	printf("SET_SIZE %u: fifo_size now %u\n", size, get_info(fd).fifo_size);

	if (ioctl(fd, MYDEMO_IOC_SET_SIZE, &orig))
		err(1, "MYDEMO_IOC_SET_SIZE %u", orig);
	printf("SET_SIZE %u: fifo_size back to %u\n", orig, get_info(fd).fifo_size);
out:
	if (ioctl(fd, MYDEMO_IOC_FLUSH))
		err(1, "MYDEMO_IOC_FLUSH");
	if (close(fd))
		err(1, "close");
	return 0;
}
