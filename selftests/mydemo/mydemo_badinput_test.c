// SPDX-License-Identifier: GPL-2.0
/*
 * The bad-input catalogue of Documentation/mydemo-hardening.rst ("Bad
 * input"), one test per row of its table, under the same name: for every
 * entry point (read, write, each ioctl, each sysfs and debugfs file) the
 * invalid values and the error each must get, and that nothing changed.
 * Module parameters are in mydemo_module_test.sh.
 *
 * Each test works on its own new device, minor 180 (181 for removal).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/mydemo.h>

#include "kselftest_harness.h"
#include "mydemo_util.h"

#define MINOR		180
#define GONE		181
#define DEV		"/dev/mydemo180"
#define SYSDIR		MYDEMO_SYSFS "/mydemo180"
#define DBGDIR		"/sys/kernel/debug/mydemo/mydemo180"
/* MYDEMO_IRQ_MAX_RATE of the driver: the highest interrupt rate, Hz. */
#define MAX_RATE	10000
/* An address in the kernel half: no user copy may touch it. */
#define KPTR		((void *)0xffffffff81000000UL)

/* errno of a call that must fail, 0 if it did not fail. */
static int err_of(long ret)
{
	return ret == -1 ? errno : 0;
}

/*
 * read(2) and write(2) without the C library's compile-time checks of
 * buffer and size, which reject on purpose bad arguments.
 */
static long raw_read(int fd, void *buf, size_t count)
{
	return syscall(SYS_read, fd, buf, count);
}

static long raw_write(int fd, const void *buf, size_t count)
{
	return syscall(SYS_write, fd, buf, count);
}

/* The tables here hold errno values: 0 or the positive errno. */
static int write_str(const char *path, const char *val)
{
	return -mydemo_write_str(path, val);
}

static int set_minor(const char *file, int minor)
{
	return -mydemo_class_write(file, minor);
}

static int open_minor(int minor, int flags)
{
	char path[64];

	mydemo_dev_path(path, sizeof(path), minor);
	return open(path, flags);
}

/*
 * Two pages, the second PROT_NONE: a buffer that ends @valid bytes before
 * the hole, for transfers that fault part-way.
 */
static char *edge_buffer(size_t valid)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	mprotect(p + 3 * pg, pg, PROT_NONE);
	return p + 3 * pg - valid;
}

FIXTURE(bad) {
	int fd;
	int ro;
	int wo;
};

FIXTURE_SETUP(bad)
{
	self->fd = -1;
	self->ro = -1;
	self->wo = -1;
	if (access(MYDEMO_SYSFS "/new_device", W_OK))
		SKIP(return, "mydemo is not loaded, or not root");
	set_minor("del_device", MINOR);
	ASSERT_EQ(0, set_minor("new_device", MINOR));
	self->fd = open_minor(MINOR, O_RDWR | O_NONBLOCK);
	self->ro = open_minor(MINOR, O_RDONLY | O_NONBLOCK);
	self->wo = open_minor(MINOR, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, self->fd);
	ASSERT_LE(0, self->ro);
	ASSERT_LE(0, self->wo);
}

FIXTURE_TEARDOWN(bad)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->ro >= 0)
		close(self->ro);
	if (self->wo >= 0)
		close(self->wo);
	set_minor("del_device", MINOR);
}

/* Ten known bytes in the fifo; the check that a failed call left them. */
static void put10(struct __test_metadata *_metadata, int fd)
{
	ASSERT_EQ(10, write(fd, "0123456789", 10));
}

static void still10(struct __test_metadata *_metadata, int fd)
{
	char b[16];

	EXPECT_EQ(10, mydemo_attr(MINOR, "fifo_level"));
	ASSERT_EQ(10, read(fd, b, sizeof(b)));
	EXPECT_EQ(0, memcmp(b, "0123456789", 10));
}

/* read(2) */

TEST_F(bad, read_count_zero)
{
	put10(_metadata, self->fd);
	EXPECT_EQ(0, raw_read(self->fd, NULL, 0));
	still10(_metadata, self->fd);
}

TEST_F(bad, read_null_buffer)
{
	put10(_metadata, self->fd);
	EXPECT_EQ(EFAULT, err_of(raw_read(self->fd, NULL, 10)));
	still10(_metadata, self->fd);
}

TEST_F(bad, read_kernel_pointer)
{
	put10(_metadata, self->fd);
	EXPECT_EQ(EFAULT, err_of(raw_read(self->fd, KPTR, 10)));
	still10(_metadata, self->fd);
}

TEST_F(bad, read_readonly_buffer)
{
	char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	put10(_metadata, self->fd);
	EXPECT_EQ(EFAULT, err_of(read(self->fd, p, 10)));
	still10(_metadata, self->fd);
	EXPECT_EQ(1, mydemo_attr(MINOR, "statistics/faults"));
	munmap(p, 4096);
}

/* A buffer that faults part-way gets the bytes before the fault, no more. */
TEST_F(bad, read_partial_fault)
{
	char *p = edge_buffer(4);

	ASSERT_NE(NULL, p);
	put10(_metadata, self->fd);
	EXPECT_EQ(4, read(self->fd, p, 10));
	EXPECT_EQ(0, memcmp(p, "0123", 4));
	EXPECT_EQ(6, mydemo_attr(MINOR, "fifo_level"));
}

/* A count far beyond the fifo (the VFS caps it at MAX_RW_COUNT). */
TEST_F(bad, read_huge_count)
{
	char *p = edge_buffer(4096);

	ASSERT_NE(NULL, p);
	put10(_metadata, self->fd);
	EXPECT_EQ(10, raw_read(self->fd, p, 1UL << 30));
	EXPECT_EQ(EFAULT, err_of(raw_read(self->fd, p, SIZE_MAX)));
	EXPECT_EQ(EFAULT, err_of(raw_read(self->fd, p, SSIZE_MAX)));
}

TEST_F(bad, read_write_only_file)
{
	char b[4];

	put10(_metadata, self->fd);
	EXPECT_EQ(EBADF, err_of(read(self->wo, b, sizeof(b))));
	still10(_metadata, self->fd);
}

TEST_F(bad, read_empty_nonblock)
{
	char b[4];

	EXPECT_EQ(EAGAIN, err_of(read(self->fd, b, sizeof(b))));
	EXPECT_EQ(1, mydemo_attr(MINOR, "statistics/reads_eagain"));
}

TEST_F(bad, read_with_offset)
{
	char b[4];

	put10(_metadata, self->fd);
	EXPECT_EQ(ESPIPE, err_of(pread(self->fd, b, sizeof(b), 0)));
	EXPECT_EQ(ESPIPE, err_of(lseek(self->fd, 1, SEEK_SET)));
	still10(_metadata, self->fd);
}

/* write(2) */

TEST_F(bad, write_count_zero)
{
	EXPECT_EQ(0, raw_write(self->fd, NULL, 0));
	EXPECT_EQ(0, mydemo_attr(MINOR, "fifo_level"));
	EXPECT_EQ(0, mydemo_attr(MINOR, "statistics/writes"));
}

TEST_F(bad, write_null_buffer)
{
	EXPECT_EQ(EFAULT, err_of(raw_write(self->fd, NULL, 10)));
	EXPECT_EQ(0, mydemo_attr(MINOR, "fifo_level"));
}

TEST_F(bad, write_kernel_pointer)
{
	EXPECT_EQ(EFAULT, err_of(raw_write(self->fd, KPTR, 10)));
	EXPECT_EQ(0, mydemo_attr(MINOR, "fifo_level"));
}

/* An atomic write (<= atomic_size) that faults writes nothing. */
TEST_F(bad, write_atomic_partial_fault)
{
	char *p = edge_buffer(50);

	ASSERT_NE(NULL, p);
	EXPECT_EQ(EFAULT, err_of(write(self->fd, p, 100)));
	EXPECT_EQ(0, mydemo_attr(MINOR, "fifo_level"));
	EXPECT_EQ(1, mydemo_attr(MINOR, "statistics/faults"));
}

/* A larger write commits the bytes before the fault and says so. */
TEST_F(bad, write_large_partial_fault)
{
	char *p = edge_buffer(8192);

	ASSERT_NE(NULL, p);
	memset(p, 'x', 8192);
	EXPECT_EQ(8192, write(self->fd, p, 12288));
	EXPECT_EQ(8192, mydemo_attr(MINOR, "fifo_level"));
}

TEST_F(bad, write_huge_count)
{
	char b[16] = "";

	EXPECT_EQ(EFAULT, err_of(raw_write(self->fd, b, SIZE_MAX)));
	EXPECT_EQ(EFAULT, err_of(raw_write(self->fd, b, SSIZE_MAX)));
	EXPECT_EQ(0, mydemo_attr(MINOR, "fifo_level"));
}

TEST_F(bad, write_read_only_file)
{
	EXPECT_EQ(EBADF, err_of(write(self->ro, "x", 1)));
	EXPECT_EQ(0, mydemo_attr(MINOR, "fifo_level"));
}

TEST_F(bad, write_full_nonblock)
{
	static char big[65536];
	long long size = mydemo_attr(MINOR, "fifo_size");

	ASSERT_GE((long long)sizeof(big), size);
	ASSERT_EQ(size, write(self->fd, big, size));
	EXPECT_EQ(EAGAIN, err_of(write(self->fd, "x", 1)));
	EXPECT_EQ(size, mydemo_attr(MINOR, "fifo_level"));
}

TEST_F(bad, write_with_offset)
{
	EXPECT_EQ(ESPIPE, err_of(pwrite(self->fd, "x", 1, 0)));
	EXPECT_EQ(0, mydemo_attr(MINOR, "fifo_level"));
}

/* The device has no mmap: the VFS answers for it. */
TEST_F(bad, mmap_unsupported)
{
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd, 0));
	EXPECT_EQ(ENODEV, errno);
}

/* ioctl(2) */

TEST_F(bad, ioctl_unknown_number)
{
	put10(_metadata, self->fd);
	EXPECT_EQ(ENOTTY, err_of(ioctl(self->fd, _IO(MYDEMO_IOC_MAGIC, 0))));
	EXPECT_EQ(ENOTTY, err_of(ioctl(self->fd, _IO(MYDEMO_IOC_MAGIC, 7))));
	EXPECT_EQ(ENOTTY, err_of(ioctl(self->fd, _IO(MYDEMO_IOC_MAGIC, 255))));
	still10(_metadata, self->fd);
}

TEST_F(bad, ioctl_other_magic)
{
	EXPECT_EQ(ENOTTY, err_of(ioctl(self->fd, _IOR('x', 1, struct mydemo_info), NULL)));
	EXPECT_EQ(ENOTTY, err_of(ioctl(self->fd, 0xdeadbeef, 0)));
	/* A terminal's ioctl on a fifo device. */
	EXPECT_EQ(ENOTTY, err_of(ioctl(self->fd, TCGETS, NULL)));
}

/* A known number with another direction or size is another command. */
TEST_F(bad, ioctl_wrong_direction_or_size)
{
	struct mydemo_info info;
	__u64 v = 4096;
	unsigned long get_info_w = _IOW(MYDEMO_IOC_MAGIC, 1, struct mydemo_info);
	unsigned long get_stats_rw = _IOWR(MYDEMO_IOC_MAGIC, 2, struct mydemo_stats);
	static struct mydemo_stats st;

	EXPECT_EQ(ENOTTY, err_of(ioctl(self->fd, get_info_w, &info)));
	EXPECT_EQ(ENOTTY, err_of(ioctl(self->fd, _IOR(MYDEMO_IOC_MAGIC, 1, __u32), &info)));
	EXPECT_EQ(ENOTTY, err_of(ioctl(self->fd, get_stats_rw, &st)));
	EXPECT_EQ(ENOTTY, err_of(ioctl(self->fd, _IOW(MYDEMO_IOC_MAGIC, 5, __u64), &v)));
	EXPECT_EQ(ENOTTY, err_of(ioctl(self->fd, _IOR(MYDEMO_IOC_MAGIC, 3, int), &v)));
	EXPECT_EQ(65536, mydemo_attr(MINOR, "fifo_size"));
}

TEST_F(bad, get_info_bad_pointer)
{
	EXPECT_EQ(EFAULT, err_of(ioctl(self->fd, MYDEMO_IOC_GET_INFO, NULL)));
	EXPECT_EQ(EFAULT, err_of(ioctl(self->fd, MYDEMO_IOC_GET_INFO, KPTR)));
	EXPECT_EQ(EFAULT, err_of(ioctl(self->fd, MYDEMO_IOC_GET_INFO, edge_buffer(8))));
}

TEST_F(bad, get_stats_bad_pointer)
{
	EXPECT_EQ(EFAULT, err_of(ioctl(self->fd, MYDEMO_IOC_GET_STATS, NULL)));
	EXPECT_EQ(EFAULT, err_of(ioctl(self->fd, MYDEMO_IOC_GET_STATS, KPTR)));
}

/* Below version 1's size there is no such command; every larger size is. */
TEST_F(bad, get_stats_too_small)
{
	char buf[MYDEMO_STATS_SIZE_V1];

	EXPECT_EQ(ENOTTY, err_of(ioctl(self->fd, _IOC(_IOC_READ, MYDEMO_IOC_MAGIC, 2, 0),
				       buf)));
	EXPECT_EQ(ENOTTY, err_of(ioctl(self->fd, _IOC(_IOC_READ, MYDEMO_IOC_MAGIC, 2, 8),
				       buf)));
	EXPECT_EQ(ENOTTY, err_of(ioctl(self->fd, _IOC(_IOC_READ, MYDEMO_IOC_MAGIC, 2,
						      MYDEMO_STATS_SIZE_V1 - 1), buf)));
	EXPECT_EQ(0, ioctl(self->fd, _IOC(_IOC_READ, MYDEMO_IOC_MAGIC, 2,
					  MYDEMO_STATS_SIZE_V1), buf));
}

/* The largest size an ioctl number holds (16383): filled and zeroed. */
TEST_F(bad, get_stats_huge_size)
{
	static unsigned char buf[16384];
	size_t i, n = (1 << _IOC_SIZEBITS) - 1;

	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ(0, ioctl(self->fd, _IOC(_IOC_READ, MYDEMO_IOC_MAGIC, 2, n), buf));
	for (i = sizeof(struct mydemo_stats); i < n; i++) {
		ASSERT_EQ(0, buf[i]) TH_LOG("byte %zu", i);
	}
	EXPECT_EQ(0xa5, buf[n]);
	/* The tail does not fit the buffer: EFAULT. */
	EXPECT_EQ(EFAULT, err_of(ioctl(self->fd, _IOC(_IOC_READ, MYDEMO_IOC_MAGIC, 2, n),
				       edge_buffer(4096))));
}

TEST_F(bad, fionread_bad_pointer)
{
	EXPECT_EQ(EFAULT, err_of(ioctl(self->fd, FIONREAD, NULL)));
	EXPECT_EQ(EFAULT, err_of(ioctl(self->fd, FIONREAD, KPTR)));
}

TEST_F(bad, reset_stats_read_only_file)
{
	put10(_metadata, self->fd);
	EXPECT_EQ(EBADF, err_of(ioctl(self->ro, MYDEMO_IOC_RESET_STATS)));
	EXPECT_EQ(10, mydemo_attr(MINOR, "statistics/bytes_written"));
}

TEST_F(bad, flush_read_only_file)
{
	put10(_metadata, self->fd);
	EXPECT_EQ(EBADF, err_of(ioctl(self->ro, MYDEMO_IOC_FLUSH)));
	still10(_metadata, self->fd);
}

TEST_F(bad, set_size_bad_value)
{
	static const __u32 bad[] = { 0, 1, 32, 63, 100, 65535, 65537,
				     8 << 20, 0x80000000, 0xffffffff };
	unsigned int i;
	__u32 v;

	put10(_metadata, self->fd);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		v = bad[i];
		EXPECT_EQ(EINVAL, err_of(ioctl(self->fd, MYDEMO_IOC_SET_SIZE, &v)))
			TH_LOG("size %u", v);
	}
	EXPECT_EQ(65536, mydemo_attr(MINOR, "fifo_size"));
	still10(_metadata, self->fd);
}

TEST_F(bad, set_size_bad_pointer)
{
	EXPECT_EQ(EFAULT, err_of(ioctl(self->fd, MYDEMO_IOC_SET_SIZE, NULL)));
	EXPECT_EQ(EFAULT, err_of(ioctl(self->fd, MYDEMO_IOC_SET_SIZE, KPTR)));
	EXPECT_EQ(65536, mydemo_attr(MINOR, "fifo_size"));
}

TEST_F(bad, set_size_contents_do_not_fit)
{
	static char big[200];
	__u32 v = 128;

	ASSERT_EQ(sizeof(big), write(self->fd, big, sizeof(big)));
	EXPECT_EQ(EBUSY, err_of(ioctl(self->fd, MYDEMO_IOC_SET_SIZE, &v)));
	EXPECT_EQ(65536, mydemo_attr(MINOR, "fifo_size"));
	EXPECT_EQ(sizeof(big), mydemo_attr(MINOR, "fifo_level"));
}

TEST_F(bad, set_irq_rate_bad_value)
{
	static const __u32 bad[] = { MAX_RATE + 1, 100000, 0xffffffff };
	unsigned int i;
	__u32 v;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		v = bad[i];
		EXPECT_EQ(EINVAL, err_of(ioctl(self->fd, MYDEMO_IOC_SET_IRQ_RATE, &v)))
			TH_LOG("rate %u", v);
	}
	EXPECT_EQ(0, mydemo_attr(MINOR, "irq_rate"));
}

TEST_F(bad, set_irq_rate_bad_pointer)
{
	EXPECT_EQ(EFAULT, err_of(ioctl(self->fd, MYDEMO_IOC_SET_IRQ_RATE, NULL)));
	EXPECT_EQ(EFAULT, err_of(ioctl(self->fd, MYDEMO_IOC_SET_IRQ_RATE, KPTR)));
	EXPECT_EQ(0, mydemo_attr(MINOR, "irq_rate"));
}

/* Every call on a file of a removed device: ENODEV, POLLHUP | POLLERR. */
TEST(removed_device)
{
	struct pollfd p = { .events = POLLIN | POLLOUT };
	struct mydemo_info info;
	__u32 v = 4096;
	int fd, n;
	char c;

	if (access(MYDEMO_SYSFS "/new_device", W_OK))
		SKIP(return, "mydemo is not loaded, or not root");
	set_minor("del_device", GONE);
	ASSERT_EQ(0, set_minor("new_device", GONE));
	fd = open_minor(GONE, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_minor("del_device", GONE));
	EXPECT_EQ(ENODEV, err_of(read(fd, &c, 1)));
	EXPECT_EQ(ENODEV, err_of(write(fd, &c, 1)));
	EXPECT_EQ(ENODEV, err_of(ioctl(fd, MYDEMO_IOC_GET_INFO, &info)));
	EXPECT_EQ(ENODEV, err_of(ioctl(fd, FIONREAD, &n)));
	EXPECT_EQ(ENODEV, err_of(ioctl(fd, MYDEMO_IOC_SET_SIZE, &v)));
	EXPECT_EQ(ENODEV, err_of(ioctl(fd, MYDEMO_IOC_FLUSH)));
	EXPECT_EQ(ENODEV, err_of(ioctl(fd, _IO(MYDEMO_IOC_MAGIC, 99))));
	p.fd = fd;
	EXPECT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLHUP | POLLERR, p.revents);
	close(fd);
	EXPECT_EQ(ENOENT, err_of(open_minor(GONE, O_RDWR)));
}

/* sysfs: /sys/class/mydemo/new_device, del_device; mydemoN/fifo_size, irq_rate */

TEST(new_device_bad_value)
{
	static const struct { const char *v; int err; } bad[] = {
		{ "\n", EINVAL }, { "abc", EINVAL }, { "-1", EINVAL }, { "1.5", EINVAL },
		{ "256", EINVAL }, { "4294967295", EINVAL },
		{ "4294967296", ERANGE }, { "99999999999999999999", ERANGE },
		{ "0x100", EINVAL }, { "12 13", EINVAL },
	};
	unsigned int i;

	if (access(MYDEMO_SYSFS "/new_device", W_OK))
		SKIP(return, "mydemo is not loaded, or not root");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(bad[i].err, write_str(MYDEMO_SYSFS "/new_device", bad[i].v))
			TH_LOG("new_device \"%s\"", bad[i].v);
	}
	EXPECT_NE(0, access(MYDEMO_SYSFS "/mydemo256", F_OK));
}

TEST(new_device_exists)
{
	if (access(MYDEMO_SYSFS "/new_device", W_OK))
		SKIP(return, "mydemo is not loaded, or not root");
	set_minor("del_device", MINOR);
	ASSERT_EQ(0, set_minor("new_device", MINOR));
	EXPECT_EQ(EEXIST, set_minor("new_device", MINOR));
	EXPECT_EQ(0, set_minor("del_device", MINOR));
}

/* Base 0, as the other numbers in sysfs: 0x and a leading 0 (octal) work. */
TEST(new_device_number_bases)
{
	if (access(MYDEMO_SYSFS "/new_device", W_OK))
		SKIP(return, "mydemo is not loaded, or not root");
	set_minor("del_device", MINOR);
	set_minor("del_device", 182);
	ASSERT_EQ(0, write_str(MYDEMO_SYSFS "/new_device", "0xb4"));
	EXPECT_EQ(0, access(SYSDIR, F_OK));
	EXPECT_EQ(0, write_str(MYDEMO_SYSFS "/new_device", "0266\n"));
	EXPECT_EQ(0, access(MYDEMO_SYSFS "/mydemo182", F_OK));
	EXPECT_EQ(0, write_str(MYDEMO_SYSFS "/del_device", "0xb4"));
	EXPECT_EQ(0, write_str(MYDEMO_SYSFS "/del_device", "182"));
}

TEST(del_device_bad_value)
{
	static const struct { const char *v; int err; } bad[] = {
		{ "\n", EINVAL }, { "abc", EINVAL }, { "-1", EINVAL }, { "256", EINVAL },
		{ "1000", EINVAL }, { "4294967296", ERANGE },
	};
	unsigned int i;

	if (access(MYDEMO_SYSFS "/del_device", W_OK))
		SKIP(return, "mydemo is not loaded, or not root");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(bad[i].err, write_str(MYDEMO_SYSFS "/del_device", bad[i].v))
			TH_LOG("del_device \"%s\"", bad[i].v);
	}
}

TEST(del_device_absent)
{
	if (access(MYDEMO_SYSFS "/del_device", W_OK))
		SKIP(return, "mydemo is not loaded, or not root");
	set_minor("del_device", 183);
	EXPECT_EQ(ENODEV, set_minor("del_device", 183));
}

/* The class files are write-only, the read-only attributes read-only. */
TEST(sysfs_wrong_access)
{
	if (access(MYDEMO_SYSFS "/new_device", W_OK) || geteuid())
		SKIP(return, "mydemo is not loaded, or not root");
	set_minor("del_device", MINOR);
	ASSERT_EQ(0, set_minor("new_device", MINOR));
	EXPECT_EQ(EACCES, err_of(open(MYDEMO_SYSFS "/new_device", O_RDONLY)));
	EXPECT_EQ(EACCES, err_of(open(MYDEMO_SYSFS "/del_device", O_RDONLY)));
	EXPECT_EQ(EACCES, err_of(open(SYSDIR "/fifo_level", O_WRONLY)));
	EXPECT_EQ(EACCES, err_of(open(SYSDIR "/stat", O_WRONLY)));
	EXPECT_EQ(EACCES, err_of(open(SYSDIR "/statistics/bytes_read", O_WRONLY)));
	EXPECT_EQ(0, set_minor("del_device", MINOR));
}

TEST_F(bad, fifo_size_bad_value)
{
	static const struct { const char *v; int err; } bad[] = {
		{ "\n", EINVAL }, { "abc", EINVAL }, { "-1", EINVAL }, { "0", EINVAL },
		{ "100", EINVAL }, { "32", EINVAL }, { "8388608", EINVAL },
		{ "4294967296", ERANGE }, { "4096 ", EINVAL }, { "4k", EINVAL },
	};
	unsigned int i;

	put10(_metadata, self->fd);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(bad[i].err, write_str(SYSDIR "/fifo_size", bad[i].v))
			TH_LOG("fifo_size \"%s\"", bad[i].v);
	}
	EXPECT_EQ(65536, mydemo_attr(MINOR, "fifo_size"));
	still10(_metadata, self->fd);
}

TEST_F(bad, fifo_size_contents_do_not_fit)
{
	static char big[200];

	ASSERT_EQ(sizeof(big), write(self->fd, big, sizeof(big)));
	EXPECT_EQ(EBUSY, write_str(SYSDIR "/fifo_size", "128"));
	EXPECT_EQ(65536, mydemo_attr(MINOR, "fifo_size"));
}

TEST_F(bad, irq_rate_bad_value)
{
	static const struct { const char *v; int err; } bad[] = {
		{ "\n", EINVAL }, { "fast", EINVAL }, { "-1", EINVAL },
		{ "10001", EINVAL }, { "4294967295", EINVAL },
		{ "4294967296", ERANGE }, { "1e3", EINVAL },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(bad[i].err, write_str(SYSDIR "/irq_rate", bad[i].v))
			TH_LOG("irq_rate \"%s\"", bad[i].v);
	}
	EXPECT_EQ(0, mydemo_attr(MINOR, "irq_rate"));
}

/* debugfs: /sys/kernel/debug/mydemo/mydemoN/ */

/* The report files have no write method: root may open them, not write. */
TEST_F(bad, debugfs_write_report)
{
	static const char *const files[] = { "state", "wait_latency", "contents" };
	unsigned int i;
	char path[128];
	int fd;

	if (access(DBGDIR "/state", F_OK))
		SKIP(return, "no %s (debugfs not mounted?)", DBGDIR);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), DBGDIR "/%s", files[i]);
		fd = open(path, O_WRONLY);
		ASSERT_LE(0, fd) TH_LOG("%s", path);
		EXPECT_EQ(EINVAL, err_of(write(fd, "1", 1))) TH_LOG("%s", path);
		close(fd);
	}
}

/* A debugfs file kept open across the removal of its device: EIO. */
TEST_F(bad, debugfs_read_after_removal)
{
	char buf[256];
	int fd;

	if (access(DBGDIR "/state", F_OK))
		SKIP(return, "no %s (debugfs not mounted?)", DBGDIR);
	fd = open(DBGDIR "/contents", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_minor("del_device", MINOR));
	EXPECT_EQ(EIO, err_of(read(fd, buf, sizeof(buf))));
	close(fd);
	EXPECT_EQ(ENOENT, err_of(open(DBGDIR "/contents", O_RDONLY)));
}

/* The kernel's fault-injection attributes parse their numbers strictly. */
TEST_F(bad, fault_inject_bad_value)
{
	if (access(DBGDIR "/fault_inject", F_OK))
		SKIP(return, "no fault_inject: kernel without CONFIG_FAULT_INJECTION_DEBUG_FS");
	EXPECT_EQ(EINVAL, write_str(DBGDIR "/fault_inject/probability", "abc"));
	EXPECT_EQ(EINVAL, write_str(DBGDIR "/fault_inject/interval", "-"));
	EXPECT_EQ(EINVAL, write_str(DBGDIR "/fault_inject/times", "x"));
	/* Nothing armed: I/O goes on. */
	put10(_metadata, self->fd);
	still10(_metadata, self->fd);
}

TEST_HARNESS_MAIN
