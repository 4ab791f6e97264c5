// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo races: windows that a stress run hits only by luck, held open on
 * purpose.
 *
 * - fcntl(F_SETFL) turning O_ASYNC on and off from two threads on one file
 *   while a third reads fasync_subscribers;
 * - a read() or write() parked inside its user copy with userfaultfd: the
 *   task sits in copy_to_user()/copy_from_user() holding the device's read
 *   or write mutex for as long as the test wants, and the uffd fault message
 *   says when it got there. With that: a removal while the interrupt
 *   source's bottom half waits for the write mutex; a signal to a writer
 *   waiting for the mutex (SA_RESTART restarts the call, no SA_RESTART gives
 *   EINTR); del_device and rmmod while copies are parked;
 * - epoll sets that outlive their device, and a removal under the interrupt
 *   source at its highest rate with a reader and a statistics reader going.
 *
 * Every wait is for an event: a uffd message, a counter of the driver in
 * sysfs, the state of a thread in /proc. The waits have bounds only so that
 * a broken driver fails a test instead of hanging it. While a kernel task
 * sleeps uninterruptibly on purpose (the bottom half on the write mutex, a
 * removal waiting for it), the bounds stay below the guest's hung-task
 * timeout (30 s), so that a broken driver fails the test, not the guest.
 *
 * Needs root and userfaultfd (CONFIG_USERFAULTFD; kernel-mode faults, so not
 * UFFD_USER_MODE_ONLY): without, the uffd tests SKIP. Minors 200..207. The
 * last test unloads the module and loads it again with the parameters it
 * had.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/mydemo.h>
#include <linux/userfaultfd.h>

#include "kselftest_harness.h"
#include "mydemo_util.h"

#define FASYNC_MINOR	200
#define BH_MINOR	201
#define BH_NEW_MINOR	202
#define RESTART_MINOR	203
#define RMMOD_MINOR	204
#define EPOLL_MINOR	205	/* and 206 */
#define IRQ_MINOR	207

#define MOD_PATH	"/lib/modules/mydemo.ko"
#define MOD_SYSFS	"/sys/module/mydemo"
#define TRACE_ENABLE	"/sys/kernel/tracing/events/mydemo/enable"
#define DBG_DIR		"/sys/kernel/debug/mydemo"

/* Bound of a wait for an event that comes at once on a working driver (s). */
#define BOUND		60
/* Bound while a kernel task is in D state on purpose: below hung_task's 30. */
#define D_BOUND		20

#define MAX_OPS		8
#define MAX_THREADS	4
#define MAX_FDS		6

/* A blocking call made by a thread of its own, watched from the test. */
enum op_kind { OP_READ, OP_WRITE, OP_POLL, OP_EPOLL, OP_CLASS };

struct op {
	enum op_kind kind;
	int fd;
	void *buf;
	size_t len;
	const char *file;	/* OP_CLASS: new_device or del_device */
	int minor;		/* OP_CLASS */
	pthread_t thread;
	int live;		/* not joined yet */
	pid_t tid;
	int started;		/* set just before the call */
	int done;		/* set after it returned */
	ssize_t ret;
	int err;
	unsigned int revents;	/* OP_POLL, OP_EPOLL */
};

struct uffd {
	int fd;
	char *mem;
	size_t page;
	int pages;
};

/* fasync_toggle_race: one toggling thread. */
struct toggler {
	int fd;
	int flags;
	long iters;
	long done_iters;
	int err;
	const int *go;
	const int *stop;
};

/* fasync_toggle_race: the reader of fasync_subscribers. */
struct watcher {
	int minor;
	long reads;
	long errors;
	long long min;
	long long max;
	int quit;
	const int *stop;
};

/* irq_max_rate_with_readers_then_delete: the reader of records. */
struct rec_reader {
	int fd;
	long records;
	int done;
	ssize_t ret;
	int err;
	int bad;		/* 1: torn record, 2: seq, 3: timestamp */
	__u64 bad_prev;
	__u64 bad_seen;
	const int *stop;
};

/* irq_max_rate_with_readers_then_delete: sysfs and debugfs, in a loop. */
struct stats_reader {
	int minor;
	long rounds;
	int quit;
	const int *stop;
};

struct race_ctx {
	struct op op[MAX_OPS];
	int nop;
	pthread_t thr[MAX_THREADS];
	int thr_live[MAX_THREADS];
	int nthr;
	int stop;
	int go;
	struct uffd uffd;
	int minor[2];
	int fd[MAX_FDS];
	int tracing;
	char params[160];
	struct toggler tog[2];
	struct watcher watch;
	struct rec_reader rr;
	struct stats_reader sr;
};

FIXTURE(race) {
	struct race_ctx c;
};

static int load(const int *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store(int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Between two looks at a condition: let the other threads run. */
static void step(long i)
{
	struct timespec ts = { 0, 200 * 1000 };

	if (i < 1000)
		sched_yield();
	else
		nanosleep(&ts, NULL);
}

/* Wait until *@flag is set: 0, or -1 once @deadline (now()) has passed. */
static int wait_flag(const int *flag, double deadline)
{
	long i;

	for (i = 0; !load(flag); i++) {
		if (now() > deadline)
			return -1;
		step(i);
	}
	return 0;
}

/* Wait until a sysfs value of the driver is >= @min (exactly @min: @exact). */
static int wait_attr(int minor, const char *attr, long long min, int exact,
		     double deadline)
{
	long long v;
	long i;

	for (i = 0;; i++) {
		v = mydemo_attr(minor, attr);
		if (exact ? v == min : v >= min)
			return 0;
		if (now() > deadline)
			return -1;
		step(i);
	}
}

static int read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* The state letter of one of our threads (R, S, D, ...), 0 if unknown. */
static char thread_state(pid_t tid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	if (read_file(path, buf, sizeof(buf)))
		return 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

static void thread_wchan(pid_t tid, char *buf, size_t len)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/wchan", tid);
	if (read_file(path, buf, len))
		snprintf(buf, len, "?");
}

/*
 * Wait until the call of @op is asleep in the kernel: it has started, not
 * returned, its state is S, and /proc/.../wchan names one of @hints (when
 * given; "0" means the kernel hides it, which is accepted). Nothing else
 * puts these threads to sleep, so this is the call's own sleep.
 */
static int wait_asleep(struct op *op, const char *const *hints,
		       double deadline)
{
	char wchan[128];
	int ok;
	long i;

	for (i = 0;; i++) {
		if (load(&op->started) && !load(&op->done) &&
		    thread_state(op->tid) == 'S') {
			ok = !hints;
			thread_wchan(op->tid, wchan, sizeof(wchan));
			for (; hints && *hints && !ok; hints++)
				ok = strstr(wchan, *hints) || !strcmp(wchan, "0");
			if (ok && !load(&op->done))
				return 0;
		}
		if (load(&op->done) || now() > deadline)
			return -1;
		step(i);
	}
}

static void *op_thread(void *arg)
{
	struct op *op = arg;
	struct epoll_event ev = { 0 };
	struct pollfd p = { .fd = op->fd, .events = POLLIN };
	ssize_t ret = -1;
	int err;

	op->tid = gettid();
	store(&op->started, 1);
	switch (op->kind) {
	case OP_READ:
		ret = read(op->fd, op->buf, op->len);
		break;
	case OP_WRITE:
		ret = write(op->fd, op->buf, op->len);
		break;
	case OP_POLL:
		ret = poll(&p, 1, -1);
		op->revents = p.revents;
		break;
	case OP_EPOLL:
		ret = epoll_wait(op->fd, &ev, 1, -1);
		op->revents = ev.events;
		break;
	case OP_CLASS:
		err = mydemo_class_write(op->file, op->minor);
		ret = err ? -1 : 0;
		errno = -err;
		break;
	}
	op->err = errno;
	op->ret = ret;
	store(&op->done, 1);
	return NULL;
}

/* Start a call in a thread of its own; NULL if no thread could be made. */
static struct op *op_start(struct race_ctx *c, enum op_kind kind,
			   int fd, void *buf, size_t len)
{
	struct op *op;

	if (c->nop == MAX_OPS)
		return NULL;
	op = &c->op[c->nop];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->fd = fd;
	op->buf = buf;
	op->len = len;
	if (pthread_create(&op->thread, NULL, op_thread, op))
		return NULL;
	op->live = 1;
	c->nop++;
	return op;
}

static struct op *class_start(struct race_ctx *c, const char *file,
			      int minor)
{
	struct op *op;

	if (c->nop == MAX_OPS)
		return NULL;
	op = &c->op[c->nop];
	memset(op, 0, sizeof(*op));
	op->kind = OP_CLASS;
	op->file = file;
	op->minor = minor;
	if (pthread_create(&op->thread, NULL, op_thread, op))
		return NULL;
	op->live = 1;
	c->nop++;
	return op;
}

static void op_join(struct op *op)
{
	if (op->live) {
		pthread_join(op->thread, NULL);
		op->live = 0;
	}
}

/* A thread that the teardown joins: it ends when c->stop is set. */
static int spawn(struct race_ctx *c, void *(*fn)(void *), void *arg)
{
	if (c->nthr == MAX_THREADS ||
	    pthread_create(&c->thr[c->nthr], NULL, fn, arg))
		return -1;
	c->thr_live[c->nthr++] = 1;
	return 0;
}

static void join_all(struct race_ctx *c)
{
	int i;

	for (i = 0; i < c->nthr; i++) {
		if (c->thr_live[i])
			pthread_join(c->thr[i], NULL);
		c->thr_live[i] = 0;
	}
	for (i = 0; i < c->nop; i++)
		op_join(&c->op[i]);
}

/* A device for this test, removed by the teardown whatever happens. */
static int add_dev(struct race_ctx *c, int slot, int minor)
{
	c->minor[slot] = minor;
	mydemo_class_write("del_device", minor);
	return mydemo_class_write("new_device", minor);
}

/* Open /dev/mydemo@minor into a slot that the teardown closes. */
static int open_dev(struct race_ctx *c, int slot, int minor, int flags)
{
	char path[64];

	mydemo_dev_path(path, sizeof(path), minor);
	c->fd[slot] = open(path, flags);
	return c->fd[slot];
}

static void close_slot(struct race_ctx *c, int slot)
{
	if (c->fd[slot] >= 0)
		close(c->fd[slot]);
	c->fd[slot] = -1;
}

/*
 * @pages pages of anonymous memory, none present yet, registered for
 * missing-page faults, which the kernel's own user copies take too.
 * 0, or -1 with the reason in @why.
 */
static int uffd_setup(struct uffd *u, int pages, char *why, size_t len)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	void *mem;

	u->page = sysconf(_SC_PAGESIZE);
	u->fd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (u->fd < 0) {
		snprintf(why, len, "userfaultfd(): %s", strerror(errno));
		return -1;
	}
	if (ioctl(u->fd, UFFDIO_API, &api)) {
		snprintf(why, len, "UFFDIO_API: %s", strerror(errno));
		return -1;
	}
	mem = mmap(NULL, pages * u->page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		snprintf(why, len, "mmap: %s", strerror(errno));
		return -1;
	}
	u->mem = mem;
	u->pages = pages;
	reg.range.start = (unsigned long)mem;
	reg.range.len = pages * u->page;
	if (ioctl(u->fd, UFFDIO_REGISTER, &reg)) {
		snprintf(why, len, "UFFDIO_REGISTER: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Wait for the next fault message: the page (index) a task is stopped on,
 * or -1 once @deadline has passed.
 */
static int uffd_wait_fault(struct uffd *u, double deadline)
{
	struct pollfd p = { .fd = u->fd, .events = POLLIN };
	struct uffd_msg msg;
	unsigned long off;
	double left;

	for (;;) {
		left = deadline - now();
		if (left < 0)
			return -1;
		if (poll(&p, 1, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			return -1;
		if (read(u->fd, &msg, sizeof(msg)) != sizeof(msg))
			continue;
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		off = msg.arg.pagefault.address - (unsigned long)u->mem;
		if (off < u->pages * u->page)
			return off / u->page;
	}
}

static unsigned char pattern(int page, size_t i)
{
	return (unsigned char)(i * 7 + page * 31 + 1);
}

/* Put page @index in place, filled with pattern(): the stopped copy goes on. */
static int uffd_resolve(struct uffd *u, int index)
{
	struct uffdio_copy c = { 0 };
	unsigned char *src;
	size_t i;
	int ret;

	src = malloc(u->page);
	if (!src)
		return -ENOMEM;
	for (i = 0; i < u->page; i++)
		src[i] = pattern(index, i);
	c.dst = (unsigned long)(u->mem + index * u->page);
	c.src = (unsigned long)src;
	c.len = u->page;
	ret = ioctl(u->fd, UFFDIO_COPY, &c) ? -errno : 0;
	free(src);
	return ret;
}

static int module_param_str(const char *name, char *buf, size_t len)
{
	char path[128];
	char *nl;

	snprintf(path, sizeof(path), MOD_SYSFS "/parameters/%s", name);
	if (read_file(path, buf, len))
		return -1;
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}

/* The parameters the module was loaded with, as insmod takes them. */
static void save_params(char *buf, size_t len)
{
	char nd[16], fs[16], mode[16];

	buf[0] = '\0';
	if (module_param_str("ndevices", nd, sizeof(nd)) ||
	    module_param_str("fifo_size", fs, sizeof(fs)) ||
	    module_param_str("mode", mode, sizeof(mode)))
		return;
	snprintf(buf, len, "ndevices=%s fifo_size=%s mode=%s", nd, fs, mode);
}

static int load_module(const char *params)
{
	int fd, ret;

	fd = open(MOD_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(__NR_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

static int unload_module(void)
{
	return syscall(__NR_delete_module, "mydemo", O_NONBLOCK) ? -errno : 0;
}

/* "key: value" in a debugfs file of the device: 1 value, 0 other, -1 none. */
static int debugfs_says(int minor, const char *file, const char *key,
			const char *value)
{
	char path[128], buf[4096], *p;

	snprintf(path, sizeof(path), DBG_DIR "/mydemo%d/%s", minor, file);
	if (read_file(path, buf, sizeof(buf)))
		return -1;
	p = strstr(buf, key);
	if (!p)
		return -1;
	p += strlen(key);
	while (*p == ' ' || *p == ':')
		p++;
	return !strncmp(p, value, strlen(value));
}

FIXTURE_SETUP(race)
{
	struct race_ctx *c = &self->c;
	int i;

	c->uffd.fd = -1;
	c->minor[0] = -1;
	c->minor[1] = -1;
	for (i = 0; i < MAX_FDS; i++)
		c->fd[i] = -1;
	if (access(MYDEMO_SYSFS "/new_device", W_OK))
		SKIP(return, "mydemo is not loaded, or not root");
	save_params(c->params, sizeof(c->params));
}

/*
 * Whatever state a failed test left: release every parked copy (closing
 * the uffd wakes them, the pages then fault in as usual), remove the
 * devices (which wakes every sleeper with ENODEV), join the threads, and
 * load the module again if a test left it unloaded.
 */
FIXTURE_TEARDOWN(race)
{
	struct race_ctx *c = &self->c;
	int i, ret;

	store(&c->stop, 1);
	store(&c->go, 1);
	if (c->uffd.fd >= 0)
		close(c->uffd.fd);
	if (c->tracing)
		mydemo_write_str(TRACE_ENABLE, "0");
	for (i = 0; i < 2; i++)
		if (c->minor[i] >= 0)
			mydemo_class_write("del_device", c->minor[i]);
	join_all(c);
	for (i = 0; i < MAX_FDS; i++)
		close_slot(c, i);
	if (c->uffd.mem)
		munmap(c->uffd.mem, c->uffd.pages * c->uffd.page);
	if (access(MOD_SYSFS, F_OK) && c->params[0]) {
		ret = load_module(c->params);
		if (ret)
			TH_LOG("reloading mydemo with %s: %s", c->params,
			       strerror(-ret));
	}
}

static void *toggle_thread(void *arg)
{
	struct toggler *t = arg;
	long i;

	while (!load(t->go))
		sched_yield();
	for (i = 0; i < t->iters && !load(t->stop); i++) {
		if (fcntl(t->fd, F_SETFL, t->flags | O_ASYNC) ||
		    fcntl(t->fd, F_SETFL, t->flags)) {
			t->err = errno;
			break;
		}
	}
	t->done_iters = i;
	return NULL;
}

static void *watch_thread(void *arg)
{
	struct watcher *w = arg;
	char path[128], buf[32];
	long long v;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), MYDEMO_SYSFS "/mydemo%d/fasync_subscribers",
		 w->minor);
	w->min = LLONG_MAX;
	w->max = LLONG_MIN;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		__atomic_store_n(&w->errors, 1, __ATOMIC_RELEASE);
		return NULL;
	}
	while (!load(&w->quit) && !load(w->stop)) {
		/* A read at offset 0 runs the show() callback again. */
		n = pread(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0) {
			__atomic_store_n(&w->errors, w->errors + 1, __ATOMIC_RELEASE);
			break;
		}
		buf[n] = '\0';
		v = strtoll(buf, NULL, 10);
		if (v < w->min)
			w->min = v;
		if (v > w->max)
			w->max = v;
		__atomic_store_n(&w->reads, w->reads + 1, __ATOMIC_RELEASE);
	}
	close(fd);
	return NULL;
}

/*
 * Two threads turn O_ASYNC on and off on one file while a third reads
 * fasync_subscribers: the count of subscribed files is 0 or 1 at every
 * moment, matches the file's O_ASYNC once they stop, SIGIO still works, and
 * closing the file unsubscribes it. Without a lock around the driver's
 * ->fasync() (which the VFS calls unlocked), one thread added the file to
 * one of the two lists while the other removed it from the other, and the
 * counter drifted (-7 seen).
 */
TEST_F_TIMEOUT(race, fasync_toggle_race, 240)
{
	struct race_ctx *c = &self->c;
	const char *env = getenv("MYDEMO_RACE_ITERS");
	long iters = env ? atol(env) : 20000;
	struct timespec bound = { 10, 0 }, zero = { 0, 0 };
	int fd, wfd, flags, i, async;
	double deadline;
	siginfo_t si;
	sigset_t set;

	ASSERT_LT(0, iters);
	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	/* Blocked in every thread (they inherit it): taken by sigtimedwait. */
	ASSERT_EQ(0, pthread_sigmask(SIG_BLOCK, &set, NULL));
	ASSERT_EQ(0, add_dev(c, 0, FASYNC_MINOR));
	fd = open_dev(c, 0, FASYNC_MINOR, O_RDWR);
	ASSERT_LE(0, fd);
	flags = fcntl(fd, F_GETFL);
	ASSERT_LE(0, flags);
	flags &= ~O_ASYNC;
	EXPECT_EQ(0, mydemo_attr(FASYNC_MINOR, "fasync_subscribers"));

	c->watch.minor = FASYNC_MINOR;
	c->watch.stop = &c->stop;
	ASSERT_EQ(0, spawn(c, watch_thread, &c->watch));
	for (i = 0; i < 2; i++) {
		c->tog[i].fd = fd;
		c->tog[i].flags = flags;
		c->tog[i].iters = iters;
		c->tog[i].go = &c->go;
		c->tog[i].stop = &c->stop;
		ASSERT_EQ(0, spawn(c, toggle_thread, &c->tog[i]));
	}
	/* The watcher reads before the togglers start, and all along. */
	deadline = now() + BOUND;
	for (i = 0; !__atomic_load_n(&c->watch.reads, __ATOMIC_ACQUIRE); i++) {
		ASSERT_EQ(0, __atomic_load_n(&c->watch.errors, __ATOMIC_ACQUIRE));
		ASSERT_GT(deadline, now());
		step(i);
	}
	store(&c->go, 1);
	pthread_join(c->thr[1], NULL);
	c->thr_live[1] = 0;
	pthread_join(c->thr[2], NULL);
	c->thr_live[2] = 0;
	store(&c->watch.quit, 1);
	pthread_join(c->thr[0], NULL);
	c->thr_live[0] = 0;

	for (i = 0; i < 2; i++) {
		EXPECT_EQ(0, c->tog[i].err)
			TH_LOG("toggler %d: fcntl: %s", i, strerror(c->tog[i].err));
		EXPECT_EQ(iters, c->tog[i].done_iters);
	}
	ksft_print_msg("fasync: 2 x %ld toggles, %ld reads: min %lld max %lld\n",
		       iters, c->watch.reads, c->watch.min, c->watch.max);
	EXPECT_EQ(0, c->watch.errors);
	EXPECT_LT(0, c->watch.reads);
	EXPECT_LE(0, c->watch.min) TH_LOG("fasync_subscribers went below 0");
	EXPECT_GE(1, c->watch.max) TH_LOG("one file counted more than once");

	/* At rest the count says what the file's flag says. */
	async = !!(fcntl(fd, F_GETFL) & O_ASYNC);
	EXPECT_EQ(async, mydemo_attr(FASYNC_MINOR, "fasync_subscribers"))
		TH_LOG("O_ASYNC is %s", async ? "set" : "clear");

	/* SIGIO still arrives, once subscribed again. */
	ASSERT_EQ(0, fcntl(fd, F_SETOWN, getpid()));
	ASSERT_EQ(0, fcntl(fd, F_SETSIG, SIGIO));
	ASSERT_EQ(0, fcntl(fd, F_SETFL, flags));
	ASSERT_EQ(0, fcntl(fd, F_SETFL, flags | O_ASYNC));
	EXPECT_EQ(1, mydemo_attr(FASYNC_MINOR, "fasync_subscribers"));
	while (sigtimedwait(&set, &si, &zero) == SIGIO)
		;
	wfd = open_dev(c, 1, FASYNC_MINOR, O_WRONLY);
	ASSERT_LE(0, wfd);
	ASSERT_EQ(1, write(wfd, "x", 1));
	/* A bound, not a timing: the signal is sent inside write(). */
	EXPECT_EQ(SIGIO, sigtimedwait(&set, &si, &bound))
		TH_LOG("no SIGIO for the write: %s", strerror(errno));
	EXPECT_EQ(POLL_IN, si.si_code);
	EXPECT_EQ(fd, si.si_fd);

	close_slot(c, 1);
	close_slot(c, 0);
	EXPECT_EQ(0, mydemo_attr(FASYNC_MINOR, "fasync_subscribers"))
		TH_LOG("a closed file is still counted as subscribed");
}

static const char *const poll_wchan[] = { "poll", NULL };
static const char *const epoll_wchan[] = { "ep_poll", "epoll_wait", NULL };

/*
 * The bottom half of the interrupt source waits for the write mutex, which
 * a writer holds, parked in its copy from user space. Removing the device
 * then must not wait for the bottom half before it wakes the device's
 * sleepers, nor hold the global lock while it waits: the blocked reader gets
 * ENODEV, the poller POLLHUP, and another minor can be created, all while
 * the writer is still parked. Once the writer goes on, everything finishes.
 */
TEST_F_TIMEOUT(race, removal_while_bottom_half_waits, 180)
{
	struct race_ctx *c = &self->c;
	static char rbuf[64];
	struct op *writer, *reader, *poller, *del, *add;
	char why[128], path[64];
	double deadline;
	int wfd, rfd, pfd, fd, ret;

	if (uffd_setup(&c->uffd, 1, why, sizeof(why)))
		SKIP(return, "%s", why);
	ASSERT_EQ(0, add_dev(c, 0, BH_MINOR));
	c->minor[1] = BH_NEW_MINOR;
	mydemo_class_write("del_device", BH_NEW_MINOR);
	wfd = open_dev(c, 0, BH_MINOR, O_WRONLY);
	rfd = open_dev(c, 1, BH_MINOR, O_RDONLY);
	pfd = open_dev(c, 2, BH_MINOR, O_RDONLY);
	ASSERT_LE(0, wfd);
	ASSERT_LE(0, rfd);
	ASSERT_LE(0, pfd);

	/* The writer's first byte faults: it holds the write mutex now. */
	writer = op_start(c, OP_WRITE, wfd, c->uffd.mem, 64);
	ASSERT_NE(NULL, writer);
	ASSERT_EQ(0, uffd_wait_fault(&c->uffd, now() + BOUND))
		TH_LOG("the write did not reach its copy from user space");
	EXPECT_NE(0, debugfs_says(BH_MINOR, "state", "write_mutex", "held"));

	/*
	 * From here a kworker sleeps in D state until the fault is resolved:
	 * every wait below ends by the deadline, and the fault is resolved.
	 */
	ASSERT_EQ(0, mydemo_write_str(MYDEMO_SYSFS "/mydemo201/irq_rate", "10000"));
	deadline = now() + D_BOUND;
	/* The ring of 32 records overflows: the bottom half does not drain it. */
	EXPECT_EQ(0, wait_attr(BH_MINOR, "statistics/overruns", 1, 0, deadline))
		TH_LOG("no overrun: the bottom half is not stuck on the mutex");

	reader = op_start(c, OP_READ, rfd, rbuf, sizeof(rbuf));
	poller = op_start(c, OP_POLL, pfd, NULL, 0);
	ASSERT_NE(NULL, reader);
	ASSERT_NE(NULL, poller);
	EXPECT_EQ(0, wait_attr(BH_MINOR, "waiting_readers", 1, 1, deadline));
	EXPECT_EQ(0, wait_asleep(poller, poll_wchan, deadline));

	del = class_start(c, "del_device", BH_MINOR);
	ASSERT_NE(NULL, del);

	/* Before the writer moves: the sleepers are woken, minors usable. */
	EXPECT_EQ(0, wait_flag(&reader->done, deadline))
		TH_LOG("the blocked reader was not woken by the removal");
	if (load(&reader->done)) {
		EXPECT_EQ(-1, reader->ret);
		EXPECT_EQ(ENODEV, reader->err) TH_LOG("reader: %zd, %s",
						      reader->ret,
						      strerror(reader->err));
	}
	EXPECT_EQ(0, wait_flag(&poller->done, deadline))
		TH_LOG("the poller was not woken by the removal");
	if (load(&poller->done)) {
		EXPECT_EQ(1, poller->ret);
		EXPECT_TRUE(poller->revents & (POLLHUP | POLLERR))
			TH_LOG("poll revents %#x", poller->revents);
	}
	add = class_start(c, "new_device", BH_NEW_MINOR);
	ASSERT_NE(NULL, add);
	EXPECT_EQ(0, wait_flag(&add->done, deadline))
		TH_LOG("new_device waits for the removal of another minor");
	if (load(&add->done)) {
		EXPECT_EQ(0, add->ret) TH_LOG("new_device: %s", strerror(add->err));
		mydemo_dev_path(path, sizeof(path), BH_NEW_MINOR);
		fd = open(path, O_RDWR);
		EXPECT_LE(0, fd) TH_LOG("open %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	EXPECT_FALSE(load(&writer->done)) TH_LOG("the writer was not parked");

	/* Now the writer goes on, then the bottom half, then the removal. */
	ASSERT_EQ(0, uffd_resolve(&c->uffd, 0));
	ASSERT_EQ(0, wait_flag(&writer->done, now() + BOUND));
	EXPECT_TRUE(writer->ret == 64 || (writer->ret == -1 && writer->err == ENODEV))
		TH_LOG("writer: %zd, %s", writer->ret, strerror(writer->err));
	ASSERT_EQ(0, wait_flag(&del->done, now() + BOUND))
		TH_LOG("del_device did not return after the writer went on");
	EXPECT_EQ(0, del->ret) TH_LOG("del_device: %s", strerror(del->err));
	ASSERT_EQ(0, wait_flag(&reader->done, now() + BOUND));
	ASSERT_EQ(0, wait_flag(&poller->done, now() + BOUND));
	ASSERT_EQ(0, wait_flag(&add->done, now() + BOUND));
	ret = mydemo_class_write("del_device", BH_NEW_MINOR);
	EXPECT_EQ(0, ret) TH_LOG("del_device %d: %s", BH_NEW_MINOR, strerror(-ret));
}

static int usr1_count;

/* Wait until *@count has moved on from @from. */
static int wait_count(const int *count, int from, double deadline)
{
	long i;

	for (i = 0; load(count) == from; i++) {
		if (now() > deadline)
			return -1;
		step(i);
	}
	return 0;
}

static void on_usr1(int sig)
{
	__atomic_fetch_add(&usr1_count, 1, __ATOMIC_RELAXED);
}

/*
 * A writer waiting for the write mutex (another writer holds it, parked in
 * its copy) is sent a signal. With SA_RESTART the call restarts and writes
 * its byte once the mutex is free; without, it fails with EINTR having
 * written nothing. mutex_lock_interruptible() says -EINTR: passed on as is,
 * it reached the program as EINTR even with SA_RESTART.
 */
TEST_F_TIMEOUT(race, restart_not_eintr_on_mutex, 180)
{
	struct race_ctx *c = &self->c;
	static unsigned char got[256];
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct op *a, *b;
	char why[128], wchan[128];
	int fd, restart, n0;
	size_t i;
	ssize_t n;

	if (uffd_setup(&c->uffd, 2, why, sizeof(why)))
		SKIP(return, "%s", why);
	ASSERT_EQ(0, add_dev(c, 0, RESTART_MINOR));
	fd = open_dev(c, 0, RESTART_MINOR, O_RDWR);
	ASSERT_LE(0, fd);

	for (restart = 1; restart >= 0; restart--) {
		sa.sa_flags = restart ? SA_RESTART : 0;
		sigemptyset(&sa.sa_mask);
		ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
		/* A: parked in its copy, holding the write mutex. */
		a = op_start(c, OP_WRITE, fd, c->uffd.mem +
			     (1 - restart) * c->uffd.page, 100);
		ASSERT_NE(NULL, a);
		ASSERT_EQ(1 - restart, uffd_wait_fault(&c->uffd, now() + BOUND));
		/* B: asleep on the mutex (nothing else can put it to sleep). */
		b = op_start(c, OP_WRITE, fd, "b", 1);
		ASSERT_NE(NULL, b);
		ASSERT_EQ(0, wait_asleep(b, NULL, now() + BOUND))
			TH_LOG("writer B is not asleep (returned %zd, %s)",
			       b->ret, strerror(b->err));
		thread_wchan(b->tid, wchan, sizeof(wchan));
		ksft_print_msg("restart=%d: writer B asleep, wchan %s\n", restart, wchan);
		EXPECT_FALSE(load(&a->done));

		n0 = __atomic_load_n(&usr1_count, __ATOMIC_ACQUIRE);
		ASSERT_EQ(0, pthread_kill(b->thread, SIGUSR1));
		ASSERT_EQ(0, wait_count(&usr1_count, n0, now() + BOUND))
			TH_LOG("the SIGUSR1 handler did not run");
		if (restart) {
			/* Handled and restarted: asleep on the mutex again. */
			EXPECT_EQ(0, wait_asleep(b, NULL, now() + BOUND))
				TH_LOG("SA_RESTART: B returned %zd (%s), the mutex held",
				       b->ret, strerror(b->err));
		} else {
			ASSERT_EQ(0, wait_flag(&b->done, now() + BOUND))
				TH_LOG("without SA_RESTART, B did not return on the signal");
			EXPECT_EQ(-1, b->ret);
			EXPECT_EQ(EINTR, b->err) TH_LOG("B: %zd, %s", b->ret,
							strerror(b->err));
		}
		EXPECT_FALSE(load(&a->done));

		ASSERT_EQ(0, uffd_resolve(&c->uffd, 1 - restart));
		ASSERT_EQ(0, wait_flag(&a->done, now() + BOUND));
		EXPECT_EQ(100, a->ret) TH_LOG("A: %s", strerror(a->err));
		ASSERT_EQ(0, wait_flag(&b->done, now() + BOUND));
		if (restart) {
			EXPECT_EQ(1, b->ret) TH_LOG("B: %zd, %s", b->ret,
						    strerror(b->err));
		}
		/* A's bytes, then B's if its call was restarted; nothing else. */
		EXPECT_EQ(100 + restart, mydemo_attr(RESTART_MINOR, "fifo_level"));
		n = read(fd, got, sizeof(got));
		EXPECT_EQ(100 + restart, n);
		for (i = 0; i < 100 && n >= 100; i++)
			if (got[i] != pattern(1 - restart, i))
				break;
		EXPECT_EQ(100, i) TH_LOG("A's bytes differ at %zu", i);
		if (restart && n == 101) {
			EXPECT_EQ('b', got[100]);
		}
		op_join(a);
		op_join(b);
	}
	signal(SIGUSR1, SIG_DFL);
}

/*
 * An epoll set holding a file of a device that is removed: a waiter in
 * epoll_wait() gets EPOLLHUP | EPOLLERR, and so does every later
 * epoll_wait(); closing the file first, or the epoll set first, unhooks the
 * epoll entries from the wait queues of a device that is gone (KASAN sees
 * any use of freed memory). A reader waits for EPOLLIN on an empty fifo
 * (the file is on the readers' poll queue only), then a writer for EPOLLOUT
 * on a full one (the writers' queue only): the removal must wake both.
 */
TEST_F_TIMEOUT(race, epoll_outlives_device, 120)
{
	struct race_ctx *c = &self->c;
	struct epoll_event ev;
	static char buf[1 << 16];
	long long size;
	struct op *w;
	int order, minor, fd, ep;

	for (order = 0; order < 2; order++) {
		minor = EPOLL_MINOR + order;
		ASSERT_EQ(0, add_dev(c, order, minor));
		fd = open_dev(c, 2 * order, minor, order ? O_WRONLY : O_RDONLY);
		ASSERT_LE(0, fd);
		if (order) {
			size = mydemo_attr(minor, "fifo_size");
			ASSERT_GE((long long)sizeof(buf), size);
			ASSERT_EQ(size, write(fd, buf, size));
		}
		ep = epoll_create1(EPOLL_CLOEXEC);
		c->fd[2 * order + 1] = ep;
		ASSERT_LE(0, ep);
		ev.events = order ? EPOLLOUT : EPOLLIN;
		ev.data.u64 = 42;
		ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
		EXPECT_EQ(0, epoll_wait(ep, &ev, 1, 0));

		w = op_start(c, OP_EPOLL, ep, NULL, 0);
		ASSERT_NE(NULL, w);
		ASSERT_EQ(0, wait_asleep(w, epoll_wchan, now() + BOUND));
		ASSERT_EQ(0, mydemo_class_write("del_device", minor));
		ASSERT_EQ(0, wait_flag(&w->done, now() + BOUND))
			TH_LOG("the removal did not wake epoll_wait() (%s)",
			       order ? "EPOLLOUT" : "EPOLLIN");
		EXPECT_EQ(1, w->ret);
		EXPECT_EQ(EPOLLHUP | EPOLLERR, w->revents & (EPOLLHUP | EPOLLERR))
			TH_LOG("events %#x", w->revents);
		op_join(w);

		memset(&ev, 0, sizeof(ev));
		EXPECT_EQ(1, epoll_wait(ep, &ev, 1, 0));
		EXPECT_EQ(EPOLLHUP | EPOLLERR, ev.events & (EPOLLHUP | EPOLLERR));
		EXPECT_EQ(42, ev.data.u64);
		EXPECT_EQ(-1, order ? write(fd, buf, 1) : read(fd, buf, 1));
		EXPECT_EQ(ENODEV, errno);

		if (order == 0) {
			close_slot(c, 0);	/* the file, then the set */
			close_slot(c, 1);
		} else {
			close_slot(c, 3);	/* the set, then the file */
			close_slot(c, 2);
		}
	}
}

static void *rec_reader_thread(void *arg)
{
	struct rec_reader *r = arg;
	struct mydemo_irq_record rec[64];
	__u64 last_seq = 0, last_ts = 0;
	int first = 1;
	ssize_t n, i;

	for (;;) {
		n = read(r->fd, rec, sizeof(rec));
		if (n <= 0) {
			r->ret = n;
			r->err = errno;
			break;
		}
		if (n % sizeof(rec[0]) && !r->bad)
			r->bad = 1;
		for (i = 0; i < n / (ssize_t)sizeof(rec[0]); i++) {
			if (!first && rec[i].seq <= last_seq && !r->bad) {
				r->bad = 2;
				r->bad_prev = last_seq;
				r->bad_seen = rec[i].seq;
			}
			if (rec[i].timestamp_ns < last_ts && !r->bad) {
				r->bad = 3;
				r->bad_prev = last_ts;
				r->bad_seen = rec[i].timestamp_ns;
			}
			first = 0;
			last_seq = rec[i].seq;
			last_ts = rec[i].timestamp_ns;
		}
		__atomic_fetch_add(&r->records, n / sizeof(rec[0]), __ATOMIC_RELEASE);
		if (load(r->stop))
			break;
	}
	store(&r->done, 1);
	return NULL;
}

static void *stats_thread(void *arg)
{
	static const char *const attrs[] = {
		"statistics/bytes_read", "statistics/bytes_written",
		"statistics/reads", "statistics/writes",
		"statistics/reads_blocked", "statistics/writes_blocked",
		"statistics/reads_eagain", "statistics/writes_eagain",
		"statistics/read_wakeups", "statistics/write_wakeups",
		"statistics/sigio_sent", "statistics/faults",
		"statistics/irq_records", "statistics/overruns",
		"statistics/bytes_flushed", "statistics/reads_interrupted",
		"statistics/writes_interrupted", "fifo_level", "high_watermark",
		"waiting_readers", "waiting_writers", "irq_rate", "readers",
		"fasync_subscribers",
	};
	struct stats_reader *s = arg;
	static char buf[8192];
	char path[128];
	size_t i;

	while (!load(&s->quit) && !load(s->stop)) {
		for (i = 0; i < ARRAY_SIZE(attrs); i++)
			mydemo_attr(s->minor, attrs[i]);
		/* stat takes both mutexes; the files may be gone: no matter. */
		snprintf(path, sizeof(path), MYDEMO_SYSFS "/mydemo%d/stat", s->minor);
		read_file(path, buf, sizeof(buf));
		snprintf(path, sizeof(path), DBG_DIR "/mydemo%d/state", s->minor);
		read_file(path, buf, sizeof(buf));
		snprintf(path, sizeof(path), DBG_DIR "/mydemo%d/wait_latency",
			 s->minor);
		read_file(path, buf, sizeof(buf));
		__atomic_fetch_add(&s->rounds, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/*
 * The interrupt source at its highest rate, a reader checking every record,
 * another thread reading every statistic and the debugfs state, tracing on:
 * then the device is removed under all of it. The reader gets ENODEV, the
 * records it got were in order, and nothing splats.
 */
TEST_F_TIMEOUT(race, irq_max_rate_with_readers_then_delete, 180)
{
	struct race_ctx *c = &self->c;
	struct op *del;
	long long overruns;
	double deadline;
	long i;
	int fd;

	ASSERT_EQ(0, add_dev(c, 0, IRQ_MINOR));
	fd = open_dev(c, 0, IRQ_MINOR, O_RDONLY);
	ASSERT_LE(0, fd);
	if (!access(TRACE_ENABLE, W_OK)) {
		c->tracing = 1;
		ASSERT_EQ(0, mydemo_write_str(TRACE_ENABLE, "1"));
	} else {
		ksft_print_msg("no %s: tracing not exercised\n", TRACE_ENABLE);
	}

	c->rr.fd = fd;
	c->rr.stop = &c->stop;
	c->sr.minor = IRQ_MINOR;
	c->sr.stop = &c->stop;
	ASSERT_EQ(0, spawn(c, rec_reader_thread, &c->rr));
	ASSERT_EQ(0, spawn(c, stats_thread, &c->sr));
	ASSERT_EQ(0, wait_attr(IRQ_MINOR, "waiting_readers", 1, 1, now() + BOUND));
	ASSERT_EQ(0, mydemo_write_str(MYDEMO_SYSFS "/mydemo207/irq_rate", "10000"));

	deadline = now() + BOUND;
	for (i = 0; __atomic_load_n(&c->rr.records, __ATOMIC_ACQUIRE) < 100 ||
	     !__atomic_load_n(&c->sr.rounds, __ATOMIC_ACQUIRE); i++) {
		ASSERT_FALSE(load(&c->rr.done))
			TH_LOG("reader: %zd, %s", c->rr.ret, strerror(c->rr.err));
		ASSERT_GT(deadline, now()) TH_LOG("%ld records, %ld rounds of statistics",
						  c->rr.records, c->sr.rounds);
		step(i);
	}
	overruns = mydemo_attr(IRQ_MINOR, "statistics/overruns");

	/* Removed while the source fires and both threads read. */
	del = class_start(c, "del_device", IRQ_MINOR);
	ASSERT_NE(NULL, del);
	ASSERT_EQ(0, wait_flag(&del->done, now() + BOUND));
	EXPECT_EQ(0, del->ret) TH_LOG("del_device: %s", strerror(del->err));
	ASSERT_EQ(0, wait_flag(&c->rr.done, now() + BOUND))
		TH_LOG("the reader was not woken by the removal");
	EXPECT_EQ(-1, c->rr.ret);
	EXPECT_EQ(ENODEV, c->rr.err)
		TH_LOG("reader: %zd, %s", c->rr.ret, strerror(c->rr.err));
	store(&c->sr.quit, 1);
	join_all(c);
	if (c->tracing) {
		EXPECT_EQ(0, mydemo_write_str(TRACE_ENABLE, "0"));
		c->tracing = 0;
	}
	ksft_print_msg("irq: %ld records read, %lld overruns, %ld rounds of statistics\n",
		       c->rr.records, overruns, c->sr.rounds);
	EXPECT_EQ(0, c->rr.bad)
		TH_LOG("record check %d failed: %llu after %llu", c->rr.bad,
		       (unsigned long long)c->rr.bad_seen,
		       (unsigned long long)c->rr.bad_prev);
}

/*
 * A reader parked in its copy to user space and a writer parked in its copy
 * from user space, on a device that is then removed: rmmod fails while
 * their files are open, both calls end cleanly once their pages come
 * (their bytes, or ENODEV, never EFAULT), and the module unloads only after
 * the last file is closed. Then it is loaded again for what runs next.
 * Last in this file: it takes the module away for a moment.
 */
TEST_F_TIMEOUT(race, del_then_rmmod_while_parked, 240)
{
	struct race_ctx *c = &self->c;
	static unsigned char data[200];
	struct op *reader, *writer, *del;
	char why[128];
	int wfd, rfd, i, p0, p1, ret;
	unsigned char *dst;

	if (access(MOD_PATH, R_OK) || !c->params[0])
		SKIP(return, "no %s or no module parameters: could not load it again",
		     MOD_PATH);
	if (uffd_setup(&c->uffd, 2, why, sizeof(why)))
		SKIP(return, "%s", why);
	ASSERT_EQ(0, add_dev(c, 0, RMMOD_MINOR));
	wfd = open_dev(c, 0, RMMOD_MINOR, O_WRONLY);
	rfd = open_dev(c, 1, RMMOD_MINOR, O_RDONLY);
	ASSERT_LE(0, wfd);
	ASSERT_LE(0, rfd);
	for (i = 0; i < (int)sizeof(data); i++)
		data[i] = i ^ 0x5a;
	ASSERT_EQ(sizeof(data), write(wfd, data, sizeof(data)));

	/* The reader stops on page 1 with the read mutex, the writer on 0. */
	dst = (unsigned char *)c->uffd.mem + c->uffd.page;
	reader = op_start(c, OP_READ, rfd, dst, sizeof(data));
	ASSERT_NE(NULL, reader);
	p1 = uffd_wait_fault(&c->uffd, now() + BOUND);
	ASSERT_EQ(1, p1) TH_LOG("the read did not reach its copy to user space");
	writer = op_start(c, OP_WRITE, wfd, c->uffd.mem, 100);
	ASSERT_NE(NULL, writer);
	p0 = uffd_wait_fault(&c->uffd, now() + BOUND);
	ASSERT_EQ(0, p0) TH_LOG("the write did not reach its copy from user space");

	del = class_start(c, "del_device", RMMOD_MINOR);
	ASSERT_NE(NULL, del);
	EXPECT_EQ(0, wait_flag(&del->done, now() + D_BOUND))
		TH_LOG("del_device waits for the parked copies");
	if (load(&del->done)) {
		EXPECT_EQ(0, del->ret) TH_LOG("del_device: %s", strerror(del->err));
	}
	ret = unload_module();
	EXPECT_TRUE(ret == -EAGAIN || ret == -EBUSY)
		TH_LOG("rmmod with files open: %s", ret ? strerror(-ret) : "unloaded");
	EXPECT_FALSE(load(&reader->done));
	EXPECT_FALSE(load(&writer->done));

	ASSERT_EQ(0, uffd_resolve(&c->uffd, 1));
	ASSERT_EQ(0, uffd_resolve(&c->uffd, 0));
	ASSERT_EQ(0, wait_flag(&reader->done, now() + BOUND));
	ASSERT_EQ(0, wait_flag(&writer->done, now() + BOUND));
	ASSERT_EQ(0, wait_flag(&del->done, now() + BOUND));
	EXPECT_EQ(0, del->ret);
	if (reader->ret == sizeof(data)) {
		EXPECT_EQ(0, memcmp(dst, data, sizeof(data)));
	} else {
		EXPECT_EQ(-1, reader->ret);
		EXPECT_EQ(ENODEV, reader->err) TH_LOG("reader: %zd, %s", reader->ret,
						      strerror(reader->err));
	}
	EXPECT_TRUE(writer->ret == 100 || (writer->ret == -1 && writer->err == ENODEV))
		TH_LOG("writer: %zd, %s", writer->ret, strerror(writer->err));
	ksft_print_msg("parked reader returned %zd, writer %zd\n", reader->ret,
		       writer->ret);
	join_all(c);

	/* One file left open still holds the module. */
	close_slot(c, 0);
	ret = unload_module();
	EXPECT_TRUE(ret == -EAGAIN || ret == -EBUSY)
		TH_LOG("rmmod with one file open: %s", ret ? strerror(-ret) : "unloaded");
	close_slot(c, 1);
	if (!access(MOD_SYSFS, F_OK)) {
		ret = unload_module();
		EXPECT_EQ(0, ret) TH_LOG("rmmod after the last close: %s", strerror(-ret));
	}
	EXPECT_NE(0, access(MOD_SYSFS, F_OK));
	c->minor[0] = -1;

	ret = load_module(c->params);
	ASSERT_EQ(0, ret) TH_LOG("insmod %s %s: %s", MOD_PATH, c->params,
				 strerror(-ret));
	EXPECT_EQ(0, access("/dev/mydemo0", F_OK));
}

TEST_HARNESS_MAIN
