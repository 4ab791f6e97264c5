// SPDX-License-Identifier: GPL-2.0
/*
 * readv-writev: scatter/gather I/O on a mydemo device.
 *
 *   readv-writev [DEVICE]    (default /dev/mydemo0)
 *
 * A record made of three pieces (a header, a text, a trailer) goes out in one
 * writev() call, without first copying the pieces into one buffer, and comes
 * back in one readv() call straight into a header structure and a text
 * buffer. One writev() of at most atomic_size bytes is one atomic write for
 * the driver: another writer's bytes never land between the pieces.
 * Give it a device nobody else is using.
 */
#include <err.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAGIC	0x6d796465u	/* "myde" */

struct header {
	uint32_t magic;
	uint32_t text_len;
};

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/mydemo0";
	static const char text[] = "gathered from three buffers";
	static const char trailer[] = "\n";
	struct header hdr = { MAGIC, sizeof(text) - 1 }, in_hdr;
	char in_text[64] = "", in_trailer[8] = "";
	size_t len = sizeof(hdr) + (sizeof(text) - 1) + 1;
	struct iovec out[3] = {
		{ &hdr, sizeof(hdr) },
		{ (void *)text, sizeof(text) - 1 },
		{ (void *)trailer, 1 },
	};
	struct iovec in[3] = {
		{ &in_hdr, sizeof(in_hdr) },
		{ in_text, sizeof(text) - 1 },
		{ in_trailer, 1 },
	};
	ssize_t n;
	int fd;

	fd = open(dev, O_RDWR);
	if (fd < 0)
		err(1, "open %s", dev);

	n = writev(fd, out, 3);
	if (n < 0)
		err(1, "writev");
	if ((size_t)n != len)
		errx(1, "writev wrote %zd of %zu bytes", n, len);
	printf("writev: 3 buffers, %zd bytes in one call\n", n);

	/* readv fills the buffers in order: the header first, then the text. */
	n = readv(fd, in, 3);
	if (n < 0)
		err(1, "readv");
	if ((size_t)n != len)
		errx(1, "readv read %zd of %zu bytes", n, len);
	if (in_hdr.magic != MAGIC || in_hdr.text_len != sizeof(text) - 1 ||
	    memcmp(in_text, text, sizeof(text) - 1) || in_trailer[0] != '\n')
		errx(1, "the record came back different");
	printf("readv: %zd bytes, header magic 0x%x, text \"%s\"\n",
	       n, in_hdr.magic, in_text);

	if (close(fd))
		err(1, "close");
	return 0;
}
