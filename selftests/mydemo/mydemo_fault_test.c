// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo under fault injection: every allocation and user copy that the
 * module's load, a new_device write, an open, a read, a write and each ioctl
 * reach is failed in turn, one per call, through the per-task
 * /proc/thread-self/fail-nth (Documentation/fault-injection/): write N, make
 * the call, read the file back; 0 means the Nth fault point was reached and
 * failed, non-zero that the call ended before it, which ends the sweep.
 *
 * Each failure must be a clean error (ENOMEM, or EFAULT for a copy) that
 * leaves nothing: no sysfs, debugfs or /dev entry, no open-file count, no
 * byte lost or duplicated in the fifo. Leaks show in the guest's kmemleak
 * scan at the end of the run. A fault that a fallback absorbs (vmalloc after
 * kmalloc, say) must leave a working result. Every sweep prints how many
 * fault points it failed.
 *
 * failslab and fail_page_alloc only fail what the task asks for through
 * fail-nth (their probability stays 0), but by default they skip
 * allocations that may sleep, which are the driver's: the fixture lets them
 * fail those too, and puts the settings back afterwards. fail_page_alloc
 * keeps its min-order of 1: order-0 pages come one by one into vmalloc
 * areas (the module's image alone takes hundreds), and a failure there is
 * vmalloc's error path, not the driver's.
 *
 * Needs CONFIG_FAULT_INJECTION (fail-nth), CONFIG_FAILSLAB and
 * CONFIG_FAULT_INJECTION_DEBUG_FS; the stock kernels have none: SKIP.
 * Minors 160..169.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <linux/mydemo.h>

#include "kselftest_harness.h"
#include "mydemo_util.h"

#define MINOR		160
#define DEV		"/dev/mydemo160"
#define SYSDIR		MYDEMO_SYSFS "/mydemo160"
#define DBGDIR		"/sys/kernel/debug/mydemo/mydemo160"
#define DEBUGFS		"/sys/kernel/debug"
#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define MOD		"/lib/modules/mydemo.ko"
/* A guard against a sweep that never ends, far above any real count. */
#define MAX_POINTS	100000

/*
 * A debugfs knob of failslab or fail_page_alloc, changed and put back (the
 * value it had is kept in the fixture).
 */
struct knob {
	const char *path;
	const char *val;
};

static const struct knob knobs[] = {
	{ DEBUGFS "/failslab/ignore-gfp-wait", "N" },
	{ DEBUGFS "/failslab/verbose", "0" },
	{ DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "N" },
	{ DEBUGFS "/fail_page_alloc/ignore-gfp-highmem", "N" },
	{ DEBUGFS "/fail_page_alloc/verbose", "0" },
	{ DEBUGFS "/fail_usercopy/verbose", "0" },
};

/* The first line of a file, without its newline: 0 or -errno. */
static int read_str(const char *path, char *buf, size_t len)
{
	ssize_t n = mydemo_read_file(path, buf, len);

	if (n < 0)
		return n;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

/* Arm fail-nth: the @n-th fault point this task reaches from now fails. */
static int arm(int fd, unsigned int n)
{
	char v[16];
	int len = snprintf(v, sizeof(v), "%u", n);

	return pwrite(fd, v, len, 0) == len ? 0 : -1;
}

/*
 * After the call: 1 if the armed fault was injected, 0 if the call ended
 * before reaching it (the sweep is over), -1 on error. Disarms.
 *
 * The read of fail-nth copies its answer to user space, itself a fault
 * point: when the count left was 1 that copy consumes it and fails with
 * EFAULT, which therefore also means "not reached".
 */
static int injected(int fd)
{
	char v[16];
	ssize_t n;
	int ret;

	n = pread(fd, v, sizeof(v) - 1, 0);
	if (n < 0)
		ret = errno == EFAULT ? 0 : -1;
	else
		ret = (v[n] = '\0', strtoul(v, NULL, 10) == 0);
	arm(fd, 0);
	return ret;
}

/* The errors a failed allocation or copy may give: anything else is unclear. */
static int clean_error(int err)
{
	return err == ENOMEM || err == EFAULT;
}

/*
 * Create minor 160, its own fault_inject quiet: by default every injected
 * fault prints a stack trace, which under TCG costs more than the call.
 */
static int new_dev(void)
{
	int ret = mydemo_class_write("new_device", MINOR);

	if (!ret)
		mydemo_write_str(DBGDIR "/fault_inject/verbose", "0");
	return ret;
}

/* Nothing of minor 160 is left anywhere. */
static int dev_gone(void)
{
	return !exists(SYSDIR) && !exists(DEV) && !exists(DBGDIR);
}

/*
 * Does device @minor work: its sysfs directory exists, its node opens, and
 * the bytes written come back? NULL if so, else what failed.
 */
static const char *dev_works(int minor)
{
	static const char msg[] = "mydemo works";
	static char why[128];
	char path[64], got[sizeof(msg)];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), MYDEMO_SYSFS "/mydemo%d", minor);
	if (!exists(path))
		return "no sysfs directory";
	mydemo_dev_path(path, sizeof(path), minor);
	fd = open(path, O_RDWR | O_NONBLOCK);
	if (fd < 0) {
		snprintf(why, sizeof(why), "open %s: %s", path, strerror(errno));
		return why;
	}
	n = write(fd, msg, sizeof(msg));
	if (n != sizeof(msg)) {
		snprintf(why, sizeof(why), "write: %zd (%s)", n, strerror(errno));
	} else {
		n = read(fd, got, sizeof(got));
		if (n != sizeof(got) || memcmp(got, msg, sizeof(msg)))
			snprintf(why, sizeof(why), "read back: %zd (%s)", n,
				 n < 0 ? strerror(errno) : "other bytes");
		else
			why[0] = '\0';
	}
	close(fd);
	return why[0] ? why : NULL;
}

static int finit_module(int fd, const char *params)
{
	return syscall(__NR_finit_module, fd, params, 0);
}

static int delete_module(const char *name)
{
	return syscall(__NR_delete_module, name, O_NONBLOCK);
}

/* The parameters the module is loaded with, as an insmod argument string. */
static int module_params(char *buf, size_t len)
{
	char nd[16], fs[16], md[16];

	if (read_str("/sys/module/mydemo/parameters/ndevices", nd, sizeof(nd)) ||
	    read_str("/sys/module/mydemo/parameters/fifo_size", fs, sizeof(fs)) ||
	    read_str("/sys/module/mydemo/parameters/mode", md, sizeof(md)))
		return -1;
	snprintf(buf, len, "ndevices=%s fifo_size=%s mode=%s", nd, fs, md);
	return 0;
}

/*
 * Make sure the module is loaded with @params, as the tests after this
 * one expect: load it if it is not, unload and load it if it has other
 * parameters (a sweep that stopped between a load and its unload).
 * 0, or -errno of what failed.
 */
static int restore_module(const char *params)
{
	char now[96];
	int fd, ret = 0;

	if (!module_params(now, sizeof(now))) {
		if (!strcmp(now, params))
			return 0;
		if (delete_module("mydemo"))
			return -errno;
	}
	fd = open(MOD, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (finit_module(fd, params))
		ret = -errno;
	close(fd);
	return ret;
}

FIXTURE(fault) {
	int nth;
	/* The module's parameters when the test began: it is left so. */
	char params[96];
	/* The knobs' values before the test, and which ones it changed. */
	char saved[ARRAY_SIZE(knobs)][32];
	int changed[ARRAY_SIZE(knobs)];
};

FIXTURE_SETUP(fault)
{
	unsigned int i;

	self->nth = -1;
	if (geteuid())
		SKIP(return, "needs root");
	if (access(FAIL_NTH, W_OK))
		SKIP(return, "no %s: kernel without CONFIG_FAULT_INJECTION", FAIL_NTH);
	if (access(DEBUGFS "/failslab", F_OK))
		SKIP(return, "no %s/failslab: %s", DEBUGFS,
		     "kernel without CONFIG_FAILSLAB or CONFIG_FAULT_INJECTION_DEBUG_FS");
	if (access(MYDEMO_SYSFS "/new_device", W_OK))
		SKIP(return, "mydemo is not loaded");
	ASSERT_EQ(0, module_params(self->params, sizeof(self->params)));
	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		self->changed[i] = 0;
		/* fail_page_alloc and fail_usercopy are optional. */
		if (read_str(knobs[i].path, self->saved[i], sizeof(self->saved[i])))
			continue;
		ASSERT_EQ(0, mydemo_write_str(knobs[i].path, knobs[i].val))
			TH_LOG("cannot set %s", knobs[i].path);
		self->changed[i] = 1;
	}
	self->nth = open(FAIL_NTH, O_RDWR);
	ASSERT_LE(0, self->nth);
	mydemo_class_write("del_device", MINOR);
}

/*
 * In the parent of the test's process, so that it runs however the test
 * ended: passed, failed an ASSERT (which returns at once, maybe with the
 * module unloaded or loaded with other parameters), or died of a signal.
 * The tests and programs after this one find the module as it was. (Only
 * the harness's time-out kills both processes.) fail-nth was the test
 * task's own and went with it.
 */
FIXTURE_TEARDOWN_PARENT(fault)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		if (self->changed[i])
			mydemo_write_str(knobs[i].path, self->saved[i]);
	}
	/*
	 * Not EXPECT_*(): after an ASSERT in the test, the harness would
	 * run an EXPECT's TH_LOG() here even when it passes.
	 */
	ret = restore_module(self->params);
	if (ret) {
		TH_LOG("cannot load mydemo again with %s: %s", self->params,
		       strerror(-ret));
		_metadata->exit_code = KSFT_FAIL;
	}
	mydemo_class_write("del_device", MINOR);
}

/*
 * echo 160 > new_device with each fault point failed in turn: the write
 * fails with ENOMEM/EFAULT and no trace of mydemo160 stays, or a fallback
 * absorbed the fault and the device works.
 */
TEST_F_TIMEOUT(fault, new_device, 240)
{
	int fd, n, inj, err, failed = 0, absorbed = 0;
	const char *why;
	ssize_t ret;

	fd = open(MYDEMO_SYSFS "/new_device", O_WRONLY);
	ASSERT_LE(0, fd);
	for (n = 1; n < MAX_POINTS; n++) {
		ASSERT_EQ(0, arm(self->nth, n));
		ret = pwrite(fd, "160", 3, 0);
		err = errno;
		inj = injected(self->nth);
		ASSERT_LE(0, inj);
		if (!inj) {
			ASSERT_EQ(3, ret);
			break;
		}
		if (ret < 0) {
			failed++;
			EXPECT_TRUE(clean_error(err))
				TH_LOG("fault %d: new_device failed with %s", n, strerror(err));
			EXPECT_TRUE(dev_gone())
				TH_LOG("fault %d: mydemo160 left behind", n);
		} else {
			absorbed++;
			why = dev_works(MINOR);
			EXPECT_EQ(NULL, why)
				TH_LOG("fault %d: new_device succeeded, but mydemo160: %s",
				       n, why);
			EXPECT_EQ(0, mydemo_class_write("del_device", MINOR));
			EXPECT_TRUE(dev_gone());
		}
		if (_metadata->exit_code)
			break;
	}
	close(fd);
	/* The device that the last, undisturbed write created works. */
	if (!inj) {
		why = dev_works(MINOR);
		EXPECT_EQ(NULL, why) TH_LOG("mydemo160 without a fault: %s", why);
		EXPECT_EQ(0, mydemo_class_write("del_device", MINOR));
	}
	ksft_print_msg("fault: new_device: %d fault points: %d failed cleanly, %d absorbed\n",
		       n - 1, failed, absorbed);
	EXPECT_LT(0, failed);
}

/* open(2) of the node: a failed open leaves no open-file count or entry. */
TEST_F(fault, open)
{
	int fd, n, inj, err, failed = 0;
	char state[4096];

	ASSERT_EQ(0, new_dev());
	for (n = 1; n < MAX_POINTS; n++) {
		ASSERT_EQ(0, arm(self->nth, n));
		fd = open(DEV, O_RDWR);
		err = errno;
		inj = injected(self->nth);
		ASSERT_LE(0, inj);
		if (fd >= 0) {
			close(fd);
			if (!inj)
				break;
			continue;
		}
		ASSERT_TRUE(inj) TH_LOG("open failed without a fault: %s", strerror(err));
		failed++;
		EXPECT_TRUE(clean_error(err))
			TH_LOG("fault %d: open failed with %s", n, strerror(err));
		EXPECT_EQ(0, mydemo_attr(MINOR, "readers"));
		EXPECT_EQ(0, mydemo_attr(MINOR, "writers"));
		if (!read_str(DBGDIR "/state", state, sizeof(state))) {
			EXPECT_EQ(NULL, strstr(state, "  file pid="))
				TH_LOG("fault %d: a failed open is listed:\n%s", n, state);
		}
		if (_metadata->exit_code)
			break;
	}
	ksft_print_msg("fault: open: %d fault points: %d failed cleanly\n", n - 1, failed);
	EXPECT_LT(0, failed);
}

/*
 * The fifo as the test believes it is: every byte written and not yet
 * read, in order, which the device must agree with after every call.
 */
struct model {
	unsigned char buf[16384];
	size_t len;
};

/* Read everything back (no faults armed) and compare with the model. */
static int drain_matches(int fd, struct model *m)
{
	static unsigned char got[sizeof(m->buf) + 1];
	ssize_t n = read(fd, got, sizeof(got));

	if (m->len == 0)
		return n == -1 && errno == EAGAIN;
	return n == (ssize_t)m->len && !memcmp(got, m->buf, m->len);
}

/*
 * Put the indices of the (empty) fifo @off bytes before the end of its
 * buffer, so that the next transfer wraps and takes two copies (two fault
 * points). Resizing to the same size starts the indices at 0.
 */
static int position(int fd, size_t off)
{
	static unsigned char junk[65536];
	__u32 size = mydemo_attr(MINOR, "fifo_size");
	size_t pos = size - off;

	if (pos > sizeof(junk) || ioctl(fd, MYDEMO_IOC_SET_SIZE, &size))
		return -1;
	return write(fd, junk, pos) == (ssize_t)pos &&
	       read(fd, junk, pos) == (ssize_t)pos ? 0 : -1;
}

/*
 * A write (or writev) of @len bytes, with @len across the end of the buffer,
 * with each of its fault points failed in turn. An atomic write (at most
 * atomic_size) goes in whole or fails with EFAULT having written nothing; a
 * larger one may stop at the fault and return the bytes before it. Whatever
 * it reports is exactly what is in the fifo afterwards.
 */
static int write_sweep(struct __test_metadata *_metadata, int nth, int fd,
		       size_t len, int vectored, int *points)
{
	static unsigned char data[16384];
	size_t atomic_size = mydemo_attr(MINOR, "atomic_size");
	struct model m = { .len = 0 };
	int n, inj, err, failed = 0;
	struct iovec iov[3];
	ssize_t ret;
	size_t i;

	for (i = 0; i < len; i++)
		data[i] = i * 7 + len;
	iov[0] = (struct iovec){ data, len / 3 };
	iov[1] = (struct iovec){ data + len / 3, len / 3 };
	iov[2] = (struct iovec){ data + 2 * (len / 3), len - 2 * (len / 3) };
	for (n = 1; n < MAX_POINTS; n++) {
		if (position(fd, len / 2))
			return -1;
		m.len = 0;
		if (arm(nth, n))
			return -1;
		ret = vectored ? writev(fd, iov, 3) : write(fd, data, len);
		err = errno;
		inj = injected(nth);
		if (inj < 0)
			return -1;
		if (ret > 0) {
			memcpy(m.buf, data, ret);
			m.len = ret;
		}
		EXPECT_EQ(m.len, mydemo_attr(MINOR, "fifo_level"))
			TH_LOG("fault %d: write returned %zd, fifo holds another count", n, ret);
		EXPECT_TRUE(drain_matches(fd, &m))
			TH_LOG("fault %d: the fifo's bytes are not what write reported", n);
		if (!inj) {
			EXPECT_EQ((ssize_t)len, ret);
			break;
		}
		if (ret < 0) {
			failed++;
			EXPECT_EQ(EFAULT, err) TH_LOG("fault %d: %s", n, strerror(err));
		} else {
			EXPECT_TRUE(len > atomic_size || ret == (ssize_t)len)
				TH_LOG("fault %d: atomic write of %zu split at %zd", n, len, ret);
		}
		if (_metadata->exit_code)
			break;
	}
	*points = n - 1;
	return failed;
}

/*
 * A read of @len bytes, across the end of the buffer, each fault point
 * failed in turn: it returns EFAULT with every byte still in the fifo, or
 * the first bytes, with the rest still there, in order.
 */
static int read_sweep(struct __test_metadata *_metadata, int nth, int fd,
		      size_t len, int *points)
{
	static unsigned char data[16384], got[16384];
	struct model m;
	int n, inj, err, failed = 0;
	ssize_t ret;
	size_t i;

	for (i = 0; i < len; i++)
		data[i] = i * 13 + 1;
	for (n = 1; n < MAX_POINTS; n++) {
		if (position(fd, len / 2) ||
		    write(fd, data, len) != (ssize_t)len)
			return -1;
		memset(got, 0, len);
		if (arm(nth, n))
			return -1;
		ret = read(fd, got, len);
		err = errno;
		inj = injected(nth);
		if (inj < 0)
			return -1;
		m.len = 0;
		if (ret > 0) {
			EXPECT_EQ(0, memcmp(got, data, ret))
				TH_LOG("fault %d: read returned other bytes", n);
		} else {
			ret = 0;
		}
		memcpy(m.buf, data + ret, len - ret);
		m.len = len - ret;
		EXPECT_EQ(m.len, mydemo_attr(MINOR, "fifo_level"))
			TH_LOG("fault %d: bytes lost or left by a faulted read", n);
		EXPECT_TRUE(drain_matches(fd, &m))
			TH_LOG("fault %d: the rest of the fifo is not in order", n);
		if (!inj) {
			EXPECT_EQ((ssize_t)len, ret);
			break;
		}
		if (!ret) {
			failed++;
			EXPECT_EQ(EFAULT, err) TH_LOG("fault %d: %s", n, strerror(err));
		}
		if (_metadata->exit_code)
			break;
	}
	*points = n - 1;
	return failed;
}

/*
 * read(2) and write(2) with the driver's own fault point (the fault_inject
 * attribute's should_fail()) and each user copy (fail_usercopy) failed in
 * turn: the right error, and not a byte lost or duplicated.
 */
TEST_F(fault, read_write_copies)
{
	static const size_t sizes[] = { 1000, 4096, 12288 };
	int fd, points, failed, total = 0, i;

	ASSERT_EQ(0, new_dev());
	fd = open(DEV, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, fd);
	for (i = 0; i < 3; i++) {
		failed = write_sweep(_metadata, self->nth, fd, sizes[i], 0, &points);
		ASSERT_LE(0, failed);
		ksft_print_msg("fault: write of %zu bytes: %d fault points, %d EFAULT\n",
			       sizes[i], points, failed);
		total += points;
		failed = write_sweep(_metadata, self->nth, fd, sizes[i], 1, &points);
		ASSERT_LE(0, failed);
		ksft_print_msg("fault: writev of %zu bytes: %d fault points, %d EFAULT\n",
			       sizes[i], points, failed);
		total += points;
		failed = read_sweep(_metadata, self->nth, fd, sizes[i], &points);
		ASSERT_LE(0, failed);
		ksft_print_msg("fault: read of %zu bytes: %d fault points, %d EFAULT\n",
			       sizes[i], points, failed);
		total += points;
	}
	close(fd);
	/* The driver's own fault point plus at least one copy per call. */
	EXPECT_LE(2 * 9, total);
}

/*
 * Every ioctl with each fault point failed in turn: 0 or a clean error, and
 * a failed SET_SIZE leaves the size and the contents as they were.
 */
TEST_F(fault, ioctls)
{
	struct mydemo_stats st;
	struct mydemo_info info;
	struct model m = { .len = 10 };
	__u32 size, rate = 0;
	long long before;
	int fd, c, n, inj, err, ret, cnt, total = 0;
	struct {
		const char *name;
		unsigned long cmd;
		void *arg;
	} cmds[] = {
		{ "GET_INFO", MYDEMO_IOC_GET_INFO, &info },
		{ "GET_STATS", MYDEMO_IOC_GET_STATS, &st },
		{ "FIONREAD", FIONREAD, &cnt },
		{ "RESET_STATS", MYDEMO_IOC_RESET_STATS, NULL },
		{ "SET_SIZE", MYDEMO_IOC_SET_SIZE, &size },
		{ "SET_IRQ_RATE", MYDEMO_IOC_SET_IRQ_RATE, &rate },
		{ "FLUSH", MYDEMO_IOC_FLUSH, NULL },
	};

	memcpy(m.buf, "0123456789", 10);
	ASSERT_EQ(0, new_dev());
	fd = open(DEV, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, fd);
	for (c = 0; c < (int)ARRAY_SIZE(cmds); c++) {
		for (n = 1; n < MAX_POINTS; n++) {
			ASSERT_EQ(0, ioctl(fd, MYDEMO_IOC_FLUSH));
			ASSERT_EQ(10, write(fd, m.buf, 10));
			/* Alternate sizes, so that every SET_SIZE resizes. */
			size = n % 2 ? 8192 : 65536;
			before = mydemo_attr(MINOR, "fifo_size");
			ASSERT_EQ(0, arm(self->nth, n));
			ret = ioctl(fd, cmds[c].cmd, cmds[c].arg);
			err = errno;
			inj = injected(self->nth);
			ASSERT_LE(0, inj);
			if (ret) {
				ASSERT_TRUE(inj) TH_LOG("%s failed: %s", cmds[c].name,
							strerror(err));
				EXPECT_TRUE(clean_error(err))
					TH_LOG("%s, fault %d: %s", cmds[c].name, n, strerror(err));
			}
			if (cmds[c].cmd == MYDEMO_IOC_SET_SIZE) {
				EXPECT_EQ(ret ? before : size, mydemo_attr(MINOR, "fifo_size"))
					TH_LOG("SET_SIZE, fault %d: size %lld", n,
					       mydemo_attr(MINOR, "fifo_size"));
			}
			if (cmds[c].cmd != MYDEMO_IOC_FLUSH || ret) {
				EXPECT_TRUE(drain_matches(fd, &m))
					TH_LOG("%s, fault %d: contents changed", cmds[c].name, n);
			}
			if (!inj || _metadata->exit_code)
				break;
		}
		ksft_print_msg("fault: ioctl %s: %d fault points\n", cmds[c].name, n - 1);
		total += n - 1;
	}
	close(fd);
	EXPECT_LT(0, total);
}

/* Nothing of the module is left: no module, class, node or debugfs dir. */
static int module_gone(void)
{
	return !exists("/sys/module/mydemo") && !exists(MYDEMO_SYSFS) &&
	       !exists("/dev/mydemo0") && !exists(DEBUGFS "/mydemo");
}

/*
 * Fault points that finit_module(2) reaches with @params, when nothing
 * fails: all of them are counted down from a fail-nth far away.
 */
static int points_reached(int nth, int mod, const char *params)
{
	char v[16];
	ssize_t n;

	if (arm(nth, MAX_POINTS))
		return -1;
	finit_module(mod, params);
	n = pread(nth, v, sizeof(v) - 1, 0);
	arm(nth, 0);
	if (n <= 0)
		return -1;
	v[n] = '\0';
	return MAX_POINTS - strtol(v, NULL, 10);
}

/*
 * Loading the module (ndevices=2, so that the second device can fail after
 * the first succeeded) with each fault point of the driver's init failed in
 * turn. A failed load leaves nothing; a load that returned 0 (a fault
 * absorbed, or none reached) has both devices, and each works; it unloads,
 * and a failed unload (a leaked module reference) fails the test, as it
 * does before the sweep. Afterwards the fixture's teardown loads the module
 * again with the parameters it had, for the tests that follow, however
 * the test ended.
 *
 * Only the driver's init: the loader's own fault points come first and are
 * skipped, because Linux 6.12 meets an allocation failure while it
 * registers a module's trace events with a WARN_ON_ONCE()
 * (event_define_fields()), which panics a guest booted with panic_on_warn.
 * Where init starts is measured: a load with ndevices=0 reaches the
 * loader's points, then init fails at once (no allocation) and the failed
 * load's clean-up adds a few of its own, so the sweep starts a little into
 * init rather than a little before it. Page allocations are left out
 * (ignore-gfp-wait): slab pages come when a cache runs empty, at points
 * that vary from one load to the next, and would shift the count.
 *
 * A load costs about half a second under TCG with KASAN, and init has
 * hundreds of points. MYDEMO_FAULT_LOAD_POINTS=N fails only N of them,
 * spread evenly over the whole of init (every (points / N)th, from an
 * offset taken from MYDEMO_FAULT_SEED): `make check` takes this short form,
 * a new offset each run, and covers every part of init each time. Without
 * it every point is failed. Either way the sweep stops after
 * MYDEMO_FAULT_LOAD_SECONDS (default 120; 0: no limit) and says how far it
 * got.
 */
/* Every point of init, as make check-long asks: about 445 loads of 0.4 s. */
TEST_F_TIMEOUT(fault, module_init, 420)
{
	int mod, n, m, inj, err, ret, failed = 0, absorbed = 0, skip = 0;
	int budget, partial = 0, total, want, stride = 1, first;
	const char *why;
	time_t t0;

	if (access(MOD, R_OK))
		SKIP(return, "no %s", MOD);
	mod = open(MOD, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, mod);
	/* Nothing of ours holds it: a reference left is a leak. */
	ASSERT_EQ(0, delete_module("mydemo"))
		TH_LOG("cannot unload mydemo: %s", strerror(errno));
	ASSERT_TRUE(module_gone());

	ASSERT_EQ(0, mydemo_write_str(DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "Y"));
	for (n = 0; n < 3; n++) {
		ret = points_reached(self->nth, mod, "ndevices=0");
		ASSERT_LT(0, ret);
		ASSERT_TRUE(module_gone());
		skip = ret > skip ? ret : skip;
	}
	/* Every point a load that succeeds reaches. */
	total = points_reached(self->nth, mod, "ndevices=2");
	ASSERT_LT(skip, total);
	ASSERT_EQ(0, delete_module("mydemo"))
		TH_LOG("rmmod after counting the points: %s", strerror(errno));
	ASSERT_TRUE(module_gone());

	want = getenv("MYDEMO_FAULT_LOAD_POINTS") ?
	       atoi(getenv("MYDEMO_FAULT_LOAD_POINTS")) : 0;
	if (want > 0 && total - skip > want)
		stride = (total - skip) / want;
	first = skip + 1 + (getenv("MYDEMO_FAULT_SEED") ?
			    strtoul(getenv("MYDEMO_FAULT_SEED"), NULL, 0) % stride : 0);
	t0 = time(NULL);
	budget = getenv("MYDEMO_FAULT_LOAD_SECONDS") ?
		 atoi(getenv("MYDEMO_FAULT_LOAD_SECONDS")) : 120;
	for (n = first; n < MAX_POINTS; n += stride) {
		if (budget > 0 && time(NULL) - t0 >= budget) {
			partial = 1;
			break;
		}
		ASSERT_EQ(0, arm(self->nth, n));
		ret = finit_module(mod, "ndevices=2");
		err = errno;
		inj = injected(self->nth);
		ASSERT_LE(0, inj);
		if (!ret) {
			/* Loaded, fault or not: both devices, working. */
			for (m = 0; m < 2; m++) {
				why = dev_works(m);
				EXPECT_EQ(NULL, why)
					TH_LOG("fault %d: the load returned 0, but mydemo%d: %s",
					       n, m, why);
			}
			EXPECT_FALSE(exists("/dev/mydemo2"));
			ASSERT_EQ(0, delete_module("mydemo"))
				TH_LOG("fault %d: rmmod after the load: %s", n, strerror(errno));
			EXPECT_TRUE(module_gone());
			if (!inj)
				break;
			absorbed++;
		} else {
			ASSERT_TRUE(inj) TH_LOG("load failed without a fault: %s", strerror(err));
			failed++;
			EXPECT_TRUE(clean_error(err))
				TH_LOG("fault %d: load failed with %s", n, strerror(err));
			EXPECT_TRUE(module_gone()) TH_LOG("fault %d: something left", n);
		}
		if (_metadata->exit_code)
			break;
	}
	ksft_print_msg("fault: load: %d loader fault points skipped, %d in init\n",
		       skip, total - skip);
	ksft_print_msg("fault: init: from %d, every %d%s: %d failed cleanly, %d absorbed (%lds)\n",
		       first - skip, stride,
		       partial ? " (time budget reached: not all)" : "",
		       failed, absorbed, (long)(time(NULL) - t0));
	close(mod);
	EXPECT_LT(0, failed);
}

TEST_HARNESS_MAIN
