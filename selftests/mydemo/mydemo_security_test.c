// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo's security boundaries, each proven from the unprivileged side:
 *
 * - the nodes get the mode of the "mode" parameter (default 0600, root's):
 *   another user cannot open them;
 * - resizing and the interrupt source need CAP_SYS_ADMIN at the time of the
 *   call, whoever opened the file: a root process without the capability
 *   and a user given the file descriptor both get EPERM, and the sysfs
 *   controls are writable by root only;
 * - debugfs is root's only;
 * - no uninitialised kernel byte reaches user space: each ioctl structure is
 *   filled with 0xA5 before the call and every byte (reserved fields, the
 *   zeroed tail of a larger struct mydemo_stats) must be defined after it,
 *   and nothing past the size the ioctl number gives is written; no sysfs or
 *   debugfs file shows a kernel address;
 * - SIGIO goes only where the kernel's rules let the file's owner send it:
 *   a user cannot direct it at root's process.
 *
 * Minor 170.
 */
#define _GNU_SOURCE	/* setresuid(), setresgid() */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/mydemo.h>

#include "kselftest_harness.h"
#include "mydemo_util.h"

#define MINOR		170
#define DEV		"/dev/mydemo170"
#define SYSDIR		MYDEMO_SYSFS "/mydemo170"
#define DBGROOT		"/sys/kernel/debug/mydemo"
#define DBGDIR		DBGROOT "/mydemo170"
#define NOBODY		65534

/* Become user nobody for good (real, effective and saved IDs). */
static int become_nobody(void)
{
	return setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	       setresuid(NOBODY, NOBODY, NOBODY) ? -1 : 0;
}

/* Stay root, but without CAP_SYS_ADMIN in any set. */
static int drop_sys_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int i = CAP_TO_INDEX(CAP_SYS_ADMIN);

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[i].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	d[i].permitted &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	d[i].inheritable &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	return syscall(SYS_capset, &h, d) ? -1 : 0;
}

/* Run @fn in a child and return its exit status (-1 if it did not exit). */
static int in_child(int (*fn)(int fd), int fd)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid)
		_exit(fn(fd));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

FIXTURE(sec) {
	int fd;
};

FIXTURE_SETUP(sec)
{
	self->fd = -1;
	if (geteuid() || access(MYDEMO_SYSFS "/new_device", W_OK))
		SKIP(return, "needs root and a loaded mydemo");
	self->fd = mydemo_fresh_open(MINOR, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(sec)
{
	mydemo_fresh_close(self->fd, MINOR);
}

/* The node: the mode parameter's bits, root's, a character device. */
TEST_F(sec, node_mode)
{
	long long mode = mydemo_param("mode");
	struct stat st;

	ASSERT_EQ(0, stat(DEV, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(mode, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(0, st.st_gid);
	if (mode != 0600)
		ksft_print_msg("security: loaded with mode=%#llo, not the default 0600\n", mode);
}

static int nobody_opens(int unused)
{
	if (become_nobody())
		return 2;
	if (open(DEV, O_RDONLY) >= 0 || errno != EACCES)
		return 3;
	if (open(DEV, O_WRONLY) >= 0 || errno != EACCES)
		return 4;
	return 0;
}

/* With the default mode, another user cannot open the device. */
TEST_F(sec, node_closed_to_others)
{
	if (mydemo_param("mode") & 0077)
		SKIP(return, "loaded with mode=%#llo: others may open", mydemo_param("mode"));
	EXPECT_EQ(0, in_child(nobody_opens, 0));
}

/* The unprivileged ioctls work, the privileged ones fail with EPERM. */
static int ioctls_without_cap(int fd)
{
	struct mydemo_info info;
	__u32 size = 4096, rate = 100;
	int n;

	if (ioctl(fd, MYDEMO_IOC_GET_INFO, &info) || ioctl(fd, FIONREAD, &n))
		return 10;
	if (ioctl(fd, MYDEMO_IOC_SET_SIZE, &size) != -1 || errno != EPERM)
		return 11;
	if (ioctl(fd, MYDEMO_IOC_SET_IRQ_RATE, &rate) != -1 || errno != EPERM)
		return 12;
	/* A writer may discard and zero: the file is open for writing. */
	if (ioctl(fd, MYDEMO_IOC_FLUSH) || ioctl(fd, MYDEMO_IOC_RESET_STATS))
		return 13;
	return 0;
}

static int root_without_cap(int fd)
{
	return drop_sys_admin() ? 2 : ioctls_without_cap(fd);
}

static int nobody_with_fd(int fd)
{
	return become_nobody() ? 2 : ioctls_without_cap(fd);
}

TEST_F(sec, privileged_ioctls)
{
	EXPECT_EQ(0, in_child(root_without_cap, self->fd));
	EXPECT_EQ(0, in_child(nobody_with_fd, self->fd));
	EXPECT_EQ(65536, mydemo_attr(MINOR, "fifo_size"));
	EXPECT_EQ(0, mydemo_attr(MINOR, "irq_rate"));
}

static int nobody_writes_sysfs(int unused)
{
	static const char *const files[] = {
		SYSDIR "/fifo_size", SYSDIR "/irq_rate",
		MYDEMO_SYSFS "/new_device", MYDEMO_SYSFS "/del_device",
	};
	unsigned int i;

	if (become_nobody())
		return 2;
	for (i = 0; i < 4; i++) {
		if (open(files[i], O_WRONLY) >= 0 || errno != EACCES)
			return 10 + i;
	}
	return 0;
}

/* The sysfs controls: writable by root only, by their modes. */
TEST_F(sec, sysfs_controls_root_only)
{
	static const char *const files[] = {
		SYSDIR "/fifo_size", SYSDIR "/irq_rate",
		MYDEMO_SYSFS "/new_device", MYDEMO_SYSFS "/del_device",
	};
	struct stat st;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, stat(files[i], &st));
		EXPECT_EQ(0, st.st_mode & 0022) TH_LOG("%s: %o", files[i], st.st_mode);
		EXPECT_EQ(0, st.st_uid);
	}
	EXPECT_EQ(0, in_child(nobody_writes_sysfs, 0));
}

static int nobody_reads_debugfs(int unused)
{
	static const char *const files[] = {
		DBGDIR "/state", DBGDIR "/contents", DBGDIR "/wait_latency",
	};
	unsigned int i;

	if (become_nobody())
		return 2;
	for (i = 0; i < 3; i++) {
		if (open(files[i], O_RDONLY) >= 0 || errno != EACCES)
			return 10 + i;
	}
	return 0;
}

/*
 * debugfs: the fifo's contents and who has it open are root's business.
 * The files are 0400 (fault_inject's 0600), so that even a debugfs mounted
 * for everyone to enter shows them to root only.
 */
TEST_F(sec, debugfs_root_only)
{
	struct dirent *de;
	char path[512];
	struct stat st;
	DIR *d;

	if (access(DBGDIR "/state", F_OK))
		SKIP(return, "no %s (debugfs not mounted?)", DBGDIR);
	d = opendir(DBGDIR);
	ASSERT_NE(NULL, d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), DBGDIR "/%s", de->d_name);
		ASSERT_EQ(0, stat(path, &st));
		EXPECT_EQ(0, st.st_uid) TH_LOG("%s", path);
		if (S_ISDIR(st.st_mode))
			continue;
		EXPECT_EQ(0, st.st_mode & 0077) TH_LOG("%s: %o", path, st.st_mode & 07777);
	}
	closedir(d);
	EXPECT_EQ(0, in_child(nobody_reads_debugfs, 0));
}

/*
 * GET_INFO: every byte of the structure defined after the call (the
 * values the sysfs files give, reserved zero), and not one more written.
 */
TEST_F(sec, get_info_every_byte_defined)
{
	unsigned char buf[sizeof(struct mydemo_info) + 16];
	struct mydemo_info *info = (void *)buf;
	unsigned int i;

	ASSERT_EQ(3, write(self->fd, "abc", 3));
	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ(0, ioctl(self->fd, MYDEMO_IOC_GET_INFO, buf));
	EXPECT_EQ(65536, info->fifo_size);
	EXPECT_EQ(3, info->fifo_level);
	EXPECT_EQ(mydemo_attr(MINOR, "atomic_size"), info->atomic_size);
	EXPECT_EQ(MINOR, info->minor);
	EXPECT_EQ(0, info->irq_rate);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(0, info->reserved[i]);
	}
	/* The named fields cover the structure: no hidden padding. */
	EXPECT_EQ(8 * sizeof(__u32), sizeof(struct mydemo_info));
	for (i = sizeof(*info); i < sizeof(buf); i++) {
		EXPECT_EQ(0xa5, buf[i]) TH_LOG("byte %u written past the structure", i);
	}
}

/*
 * GET_STATS at version 1's size, this header's, and larger: the counters
 * are those of the "stat" file, beyond what the kernel knows is zero, and
 * past the size in the ioctl number nothing is written.
 */
TEST_F(sec, get_stats_every_byte_defined)
{
	static const size_t sizes[] = {
		MYDEMO_STATS_SIZE_V1, sizeof(struct mydemo_stats),
		sizeof(struct mydemo_stats) + 64,
	};
	unsigned char buf[512];
	struct mydemo_stats *st = (void *)buf;
	unsigned long long stat[22];
	char line[1024], *p;
	unsigned int i, k;
	size_t n, known;
	int fd;

	/* Some activity, so that the counters are not all zero. */
	ASSERT_EQ(5, write(self->fd, "hello", 5));
	ASSERT_EQ(2, read(self->fd, line, 2));
	fd = open(SYSDIR "/stat", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, line, sizeof(line) - 1));
	close(fd);
	for (p = line, i = 0; i < 22; i++)
		stat[i] = strtoull(p, &p, 10);
	for (k = 0; k < 3; k++) {
		n = sizes[k];
		known = n < sizeof(*st) ? n : sizeof(*st);
		memset(buf, 0xa5, sizeof(buf));
		ASSERT_EQ(0, ioctl(self->fd, _IOC(_IOC_READ, MYDEMO_IOC_MAGIC, 2, n), buf));
		EXPECT_EQ(MYDEMO_STATS_VERSION, st->version);
		EXPECT_EQ(known, st->size);
		/* The first 12 counters are the stat file's first 10 + 2. */
		EXPECT_EQ(stat[0], st->bytes_read);
		EXPECT_EQ(stat[1], st->bytes_written);
		EXPECT_EQ(stat[2], st->reads);
		EXPECT_EQ(stat[3], st->writes);
		EXPECT_EQ(stat[4], st->reads_blocked);
		EXPECT_EQ(stat[5], st->writes_blocked);
		EXPECT_EQ(stat[6], st->reads_eagain);
		EXPECT_EQ(stat[7], st->writes_eagain);
		EXPECT_EQ(stat[8], st->read_wakeups);
		EXPECT_EQ(stat[9], st->write_wakeups);
		EXPECT_EQ(stat[12], st->irq_records);
		EXPECT_EQ(stat[13], st->overruns);
		if (known >= sizeof(*st)) {
			EXPECT_EQ(stat[10], st->sigio_sent);
			EXPECT_EQ(stat[11], st->faults);
			EXPECT_EQ(stat[14], st->bytes_flushed);
			EXPECT_EQ(stat[15], st->reads_interrupted);
			EXPECT_EQ(stat[16], st->writes_interrupted);
			EXPECT_EQ(stat[19], st->high_watermark);
		}
		for (i = known; i < n; i++) {
			ASSERT_EQ(0, buf[i]) TH_LOG("size %zu: byte %u not zeroed", n, i);
		}
		for (i = n; i < sizeof(buf); i++) {
			ASSERT_EQ(0xa5, buf[i]) TH_LOG("size %zu: byte %u written", n, i);
		}
	}
}

/* FIONREAD writes one int, nothing around it. */
TEST_F(sec, fionread_writes_one_int)
{
	unsigned char buf[16];
	int v;

	ASSERT_EQ(7, write(self->fd, "1234567", 7));
	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ(0, ioctl(self->fd, FIONREAD, buf + 4));
	memcpy(&v, buf + 4, sizeof(v));
	EXPECT_EQ(7, v);
	EXPECT_EQ(0xa5a5a5a5, *(unsigned int *)buf);
	EXPECT_EQ(0xa5, buf[8]);
}

/* 16 hex digits starting ffff: what %px of a kernel address looks like. */
static const char *kernel_address(const char *s)
{
	const char *p;
	int i;

	for (p = s; (p = strstr(p, "ffff")); p++) {
		for (i = 0; i < 16 && isxdigit((unsigned char)p[i]); i++)
			;
		if (i == 16)
			return p;
	}
	return NULL;
}

static int scan_dir(struct __test_metadata *_metadata, const char *dir)
{
	static char text[65536];
	struct dirent *de;
	char path[512];
	struct stat st;
	int fd, files = 0;
	ssize_t n;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) || S_ISLNK(st.st_mode))
			continue;
		if (S_ISDIR(st.st_mode)) {
			files += scan_dir(_metadata, path);
			continue;
		}
		fd = open(path, O_RDONLY | O_NONBLOCK);
		if (fd < 0)
			continue;
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
		if (n <= 0)
			continue;
		text[n] = '\0';
		files++;
		EXPECT_EQ(NULL, kernel_address(text)) TH_LOG("%s: %s", path, text);
	}
	closedir(d);
	return files;
}

/*
 * No sysfs or debugfs file of a busy device shows a kernel address: with
 * a sleeper, a SIGIO subscriber and data (the bytes 0x00, which no
 * address is made of) in the fifo.
 */
TEST_F(sec, no_kernel_addresses_in_files)
{
	static char zeros[100];
	int files, status, r;
	pid_t pid;

	r = open(DEV, O_RDONLY);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, fcntl(r, F_SETOWN, getpid()));
	signal(SIGIO, SIG_IGN);
	ASSERT_EQ(0, fcntl(r, F_SETFL, O_ASYNC));
	pid = mydemo_fork_reader(r, MINOR);
	ASSERT_LT(0, pid);
	files = scan_dir(_metadata, SYSDIR) + scan_dir(_metadata, DBGDIR);
	ksft_print_msg("security: %d sysfs and debugfs files scanned\n", files);
	EXPECT_LE(20, files);
	ASSERT_EQ(sizeof(zeros), write(self->fd, zeros, sizeof(zeros)));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	/* A reader killed by a signal has no exit code of 0. */
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("reader: wait status %#x", status);
	EXPECT_LE(20, scan_dir(_metadata, SYSDIR) + scan_dir(_metadata, DBGDIR));
	close(r);
	signal(SIGIO, SIG_DFL);
}

static pid_t target;

/* As nobody, subscribe the shared file and point its SIGIO at @target. */
static int nobody_sets_owner(int fd)
{
	if (become_nobody())
		return 2;
	if (fcntl(fd, F_SETOWN, target))
		return 3;
	return fcntl(fd, F_SETFL, O_ASYNC | O_NONBLOCK) ? 4 : 0;
}

/* SIGIO pending for this process? Takes it if so. */
static int sigio_pending(void)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	return sigtimedwait(&set, NULL, &zero) == SIGIO;
}

/*
 * A user who holds a file (here: inherited from root) can make it the
 * source of SIGIO, and name any process as its owner, but the signal is
 * sent with the user's rights of the moment of F_SETOWN: root's process
 * does not get it. The driver did send (sigio_sent), so the event was
 * there; with root as the owner's setter the same event is delivered.
 */
TEST_F(sec, sigio_owner_permission)
{
	long long sent;
	sigset_t set;
	char c;

	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, NULL));
	while (sigio_pending())
		;
	target = getpid();
	ASSERT_EQ(0, in_child(nobody_sets_owner, self->fd));
	EXPECT_EQ(1, mydemo_attr(MINOR, "fasync_subscribers"));

	sent = mydemo_attr(MINOR, "statistics/sigio_sent");
	ASSERT_EQ(1, write(self->fd, "x", 1));
	EXPECT_LT(sent, mydemo_attr(MINOR, "statistics/sigio_sent"));
	/* kill_fasync() ran in our write(): a signal would be pending now. */
	EXPECT_FALSE(sigio_pending()) TH_LOG("nobody's SIGIO reached root's process");

	/* The control: root sets itself as owner, the same event arrives. */
	ASSERT_EQ(1, read(self->fd, &c, 1));
	ASSERT_EQ(0, fcntl(self->fd, F_SETOWN, getpid()));
	ASSERT_EQ(1, write(self->fd, "x", 1));
	EXPECT_TRUE(sigio_pending()) TH_LOG("root's own SIGIO did not arrive");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

TEST_HARNESS_MAIN
