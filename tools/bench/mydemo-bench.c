// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo-bench: mydemo against a pipe and an AF_UNIX stream socketpair, in
 * one boot (`make bench` runs it in the guest; it also runs by itself in
 * `make vm`).
 *
 * Under TCG a guest runs tens of times slower than the host and its speed
 * drifts with the host's load, so absolute numbers mean little. What means
 * something is the ratio to a pipe measured in the same boot, close in
 * time: every case is run for each kind of channel in turn (mydemo, pipe,
 * socketpair, mydemo, pipe, ...), several rounds, and the median of the
 * rounds is reported.
 *
 *   throughput  writers and readers (threads) move I/O-size chunks for a
 *               fixed time after a warm-up; bytes read per second. 1, 2 and
 *               4 pairs on separate channels (minors), 4 writers and 4
 *               readers on one. Also io_uring (one read or write in flight,
 *               one io_uring_enter() per I/O) against read(2)/write(2).
 *   splice      the reader splice(2)s from the channel into a pipe of its
 *               own and from there to /dev/null: device -> pipe against
 *               pipe -> pipe (the second step is the same for both).
 *   epoll       the reader reads O_NONBLOCK until EAGAIN, then waits in
 *               epoll_wait(): every write it sleeps through is a poller
 *               wake-up, which is what per-write notification costs.
 *   wake-up     a reader blocks in read(), poll(), epoll_wait() or in
 *               sigsuspend() waiting for SIGIO; once it is asleep (its
 *               /proc state is S) the writer stamps CLOCK_MONOTONIC and
 *               writes 64 bytes; the reader stamps on return (or in the
 *               signal handler). Writer on CPU 0, reader on CPU 1.
 *   allocations the kmem:kmalloc, kmem:kmem_cache_alloc and kmem:mm_page_alloc
 *               tracepoints, filtered to the writer's and the reader's
 *               thread ids (set_event_pid), over a window of steady-state
 *               I/O; events per read or write call.
 *
 * Output on stdout: progress lines ("# ..."), then the sections "@@table"
 * (for people), "@@json" (every number, each round), "@@dat" (the ratios, for
 * gnuplot), "@@end".
 *
 *   mydemo-bench [-r ROUNDS] [-t MS] [-w WARMUP_MS] [-n SAMPLES] [-d DEVPREFIX]
 *                [-c SECTIONS]
 *   mydemo-bench -1 KIND:SIZE [-t MS]
 *
 * -c runs only the sections listed (comma-separated: tput, uring, splice,
 * epoll, lat, alloc); the default is all of them.
 * -1 runs one throughput case, one pair, for the profiler (tools/bench/profile):
 * KIND is mydemo, pipe or socketpair.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/mydemo.h>

enum kind { K_MYDEMO, K_PIPE, K_SOCK, NR_KINDS };
static const char *const kind_name[NR_KINDS] = { "mydemo", "pipe", "socketpair" };

#define MAX_ROUNDS	15
#define MAX_PAIRS	4

static int rounds = 5, run_ms = 300, warm_ms = 100, nsamples = 300;
static const char *devprefix = "/dev/mydemo";
static int ncpus;

static const int sizes[] = { 64, 512, 4096, 65536 };
#define NR_SIZES	4

/* Throughput configurations: pairs of threads, on one channel or not. */
static const struct tput_cfg {
	const char *name;
	int pairs;
	int shared;
} cfgs[] = {
	{ "1 pair", 1, 0 },
	{ "2 pairs", 2, 0 },
	{ "4 pairs", 4, 0 },
	{ "4w/4r on one", 4, 1 },
};

#define NR_CFGS		4

static const int uring_sizes[] = { 64, 4096 };
#define NR_URING	2

/* How a worker moves its data in the 1-pair rows after the first table. */
enum io_kind { IO_RW, IO_URING, IO_SPLICE, IO_EPOLL };

static const int splice_sizes[] = { 64, 4096, 65536 };
#define NR_SPLICE	3

static const int epoll_sizes[] = { 64, 4096 };
#define NR_EPOLL	2

/* Sections, for -c: a shorter run when only some numbers matter. */
enum {
	S_TPUT = 1, S_URING = 2, S_SPLICE = 4, S_EPOLL = 8, S_LAT = 16,
	S_ALLOC = 32
};

static const char *const section_name[] = {
	"tput", "uring", "splice", "epoll", "lat", "alloc", NULL
};

static int sections = S_TPUT | S_URING | S_SPLICE | S_EPOLL | S_LAT | S_ALLOC;

enum lat_mode { L_READ, L_POLL, L_EPOLL, L_SIGIO, NR_LAT };
static const char *const lat_name[NR_LAT] = { "read", "poll", "epoll", "SIGIO" };

/* Results: [case][kind][round]. */
static double tput[NR_CFGS][NR_SIZES][NR_KINDS][MAX_ROUNDS];
static double uring[NR_URING][2][MAX_ROUNDS];	/* mydemo, pipe */
static double splice_tput[NR_SPLICE][2][MAX_ROUNDS];
static double epoll_tput[NR_EPOLL][2][MAX_ROUNDS];
static double lat[NR_LAT][2][2][MAX_ROUNDS];	/* mode, kind, p50/p99 */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void pin(int cpu)
{
	cpu_set_t set;

	if (ncpus < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu % ncpus, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* One writer -> reader channel. */
struct chan {
	int wfd, rfd;
	enum kind kind;
};

/* A leftover of the previous case in a device fifo would count as its data. */
static void mydemo_flush(int wfd)
{
	if (ioctl(wfd, MYDEMO_IOC_FLUSH))
		die("MYDEMO_IOC_FLUSH");
}

static void chan_open(struct chan *c, enum kind k, int minor)
{
	char dev[64];
	int fds[2];

	c->kind = k;
	switch (k) {
	case K_MYDEMO:
		snprintf(dev, sizeof(dev), "%s%d", devprefix, minor);
		c->wfd = open(dev, O_WRONLY | O_CLOEXEC);
		c->rfd = open(dev, O_RDONLY | O_CLOEXEC);
		if (c->wfd < 0 || c->rfd < 0)
			die(dev);
		mydemo_flush(c->wfd);
		return;
	case K_PIPE:
		if (pipe2(fds, O_CLOEXEC))
			die("pipe2");
		break;
	default:
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds))
			die("socketpair");
		break;
	}
	c->rfd = fds[0];
	c->wfd = fds[1];
}

static void chan_close(struct chan *c)
{
	if (c->kind == K_MYDEMO)
		mydemo_flush(c->wfd);
	close(c->wfd);
	close(c->rfd);
}

/*
 * Flags and counters shared between threads, without C11 atomic types:
 * each has one writer, so plain atomic loads and stores do.
 */
static int ld(const int *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void st(int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static uint64_t ld64(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void st64(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* Set once per case; the signal below gets threads out of blocking calls. */
static int stop;

static void on_sigusr1(int sig)
{
}

struct worker {
	pthread_t th;
	int fd;
	int size;
	int is_writer;
	enum io_kind io;
	int cpu;
	pid_t tid;
	int done;
	/* Written by this thread only, read by the main thread. */
	uint64_t bytes;
	uint64_t calls;
	/* Keeps the counters of two threads off one cache line. */
	char pad[64];
};

static void account(struct worker *w, ssize_t n)
{
	/* Only this thread writes them: no read-modify-write needed. */
	st64(&w->bytes, w->bytes + n);
	st64(&w->calls, w->calls + 1);
}

static int stopped(void)
{
	return ld(&stop);
}

/* One read or write in flight; submit and wait in one io_uring_enter(). */
static void uring_loop(struct worker *w, char *buf)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int ret, res;

	ret = io_uring_queue_init(4, &ring, 0);
	if (ret) {
		fprintf(stderr, "io_uring_queue_init: %s\n", strerror(-ret));
		return;
	}
	while (!stopped()) {
		sqe = io_uring_get_sqe(&ring);
		if (w->is_writer)
			io_uring_prep_write(sqe, w->fd, buf, w->size, -1);
		else
			io_uring_prep_read(sqe, w->fd, buf, w->size, -1);
		ret = io_uring_submit_and_wait(&ring, 1);
		if (ret < 0 && ret != -EINTR)
			break;
		/* No system call when the completion is there already. */
		while ((ret = io_uring_wait_cqe(&ring, &cqe)) == -EINTR && !stopped())
			;
		if (ret)
			break;
		res = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
		if (res > 0)
			account(w, res);
		else if (res != -EINTR && res != -EAGAIN)
			break;
	}
	/* Cancels a read or write still in flight. */
	io_uring_queue_exit(&ring);
}

/*
 * Reader: channel -> a pipe of its own -> /dev/null. Only the first step is
 * counted; the second one empties the pipe at the same cost for any source.
 */
static void splice_loop(struct worker *w)
{
	int p[2], null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	ssize_t n, m;

	if (null < 0 || pipe2(p, O_CLOEXEC))
		die("splice: /dev/null or pipe2");
	while (!stopped()) {
		n = splice(w->fd, NULL, p[1], NULL, w->size, SPLICE_F_MOVE);
		if (n <= 0) {
			if (!n || (errno != EINTR && errno != EAGAIN))
				break;
			continue;
		}
		account(w, n);
		while (n > 0) {
			m = splice(p[0], NULL, null, NULL, n, SPLICE_F_MOVE);
			/* The signal that stops the run may land here too. */
			if (m < 0 && errno == EINTR)
				continue;
			if (m <= 0)
				die("splice to /dev/null");
			n -= m;
		}
	}
	close(p[0]);
	close(p[1]);
	close(null);
}

/* Reader: O_NONBLOCK reads until EAGAIN, then epoll_wait() (level-triggered). */
static void epoll_loop(struct worker *w, char *buf)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = epoll_create1(EPOLL_CLOEXEC);
	ssize_t n;

	if (ep < 0 || fcntl(w->fd, F_SETFL, O_NONBLOCK) ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, w->fd, &ev))
		die("epoll");
	while (!stopped()) {
		n = read(w->fd, buf, w->size);
		if (n > 0) {
			account(w, n);
			continue;
		}
		if (!n || errno != EAGAIN)
			break;
		if (epoll_wait(ep, &ev, 1, -1) < 0 && errno != EINTR)
			break;
	}
	close(ep);
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	char *buf = malloc(w->size);
	ssize_t n;

	if (!buf)
		die("malloc");
	memset(buf, 'x', w->size);
	pin(w->cpu);
	st(&w->tid, gettid());
	if (w->io == IO_URING) {
		uring_loop(w, buf);
	} else if (w->io == IO_SPLICE && !w->is_writer) {
		splice_loop(w);
	} else if (w->io == IO_EPOLL && !w->is_writer) {
		epoll_loop(w, buf);
	} else {
		while (!stopped()) {
			n = w->is_writer ? write(w->fd, buf, w->size) :
					   read(w->fd, buf, w->size);
			if (n > 0)
				account(w, n);
			else if (!n || (errno != EINTR && errno != EAGAIN))
				break;
		}
	}
	free(buf);
	st(&w->done, 1);
	return NULL;
}

struct group {
	struct chan ch[MAX_PAIRS];
	struct worker w[2 * MAX_PAIRS];
	int nchan, nw;
};

static void group_start(struct group *g, enum kind k, int size, int pairs,
			int shared, enum io_kind io)
{
	int i;

	memset(g, 0, sizeof(*g));
	st(&stop, 0);
	g->nchan = shared ? 1 : pairs;
	for (i = 0; i < g->nchan; i++)
		chan_open(&g->ch[i], k, i);
	g->nw = 2 * pairs;
	for (i = 0; i < g->nw; i++) {
		struct worker *w = &g->w[i];

		w->is_writer = !(i & 1);
		w->fd = w->is_writer ? g->ch[(i / 2) % g->nchan].wfd :
				       g->ch[(i / 2) % g->nchan].rfd;
		w->size = size;
		w->io = io;
		/* A pair's writer and reader on different CPUs, pairs alternating. */
		w->cpu = i / 2 + !w->is_writer;
		if (pthread_create(&w->th, NULL, worker_fn, w))
			die("pthread_create");
	}
}

static void group_counts(struct group *g, uint64_t *rbytes, uint64_t *calls)
{
	int i;

	*rbytes = *calls = 0;
	for (i = 0; i < g->nw; i++) {
		if (!g->w[i].is_writer)
			*rbytes += ld64(&g->w[i].bytes);
		*calls += ld64(&g->w[i].calls);
	}
}

/*
 * A thread may test the flag just before the signal and block after it:
 * signal until every thread has noticed.
 */
static void group_stop(struct group *g)
{
	int i, busy;

	st(&stop, 1);
	do {
		busy = 0;
		for (i = 0; i < g->nw; i++) {
			if (!ld(&g->w[i].done)) {
				pthread_kill(g->w[i].th, SIGUSR1);
				busy = 1;
			}
		}
		if (busy)
			usleep(1000);
	} while (busy);
	for (i = 0; i < g->nw; i++)
		pthread_join(g->w[i].th, NULL);
	for (i = 0; i < g->nchan; i++)
		chan_close(&g->ch[i]);
}

/* Bytes read per microsecond (MB/s) over run_ms after warm_ms. */
static double run_tput(enum kind k, int size, int pairs, int shared,
		       enum io_kind io)
{
	uint64_t b0, b1, c, t0, t1;
	struct group g;

	group_start(&g, k, size, pairs, shared, io);
	msleep(warm_ms);
	group_counts(&g, &b0, &c);
	t0 = now_ns();
	msleep(run_ms);
	group_counts(&g, &b1, &c);
	t1 = now_ns();
	group_stop(&g);
	return (double)(b1 - b0) * 1000.0 / (double)(t1 - t0);
}

/* ---- wake-up latency ---- */

struct lat_ctx {
	struct chan ch;
	enum lat_mode mode;
	uint64_t t0;
	int ack;
	pid_t tid;
	uint64_t *samples;
};

/* Per thread: each latency reader gets its own SIGIO (F_OWNER_TID). */
static __thread uint64_t sigio_t1;
static __thread int sigio_got;

static void on_sigio(int sig)
{
	st64(&sigio_t1, now_ns());
	st(&sigio_got, 1);
}

static void *lat_reader(void *arg)
{
	struct lat_ctx *c = arg;
	struct f_owner_ex owner = { .type = F_OWNER_TID };
	struct epoll_event ev = { .events = EPOLLIN };
	struct pollfd pfd = { .fd = c->ch.rfd, .events = POLLIN };
	sigset_t waitmask;
	uint64_t t1 = 0;
	char buf[64];
	int ep = -1, i;

	pin(1);
	pthread_sigmask(SIG_SETMASK, NULL, &waitmask);
	sigdelset(&waitmask, SIGIO);
	owner.pid = gettid();
	if (c->mode != L_READ)
		fcntl(c->ch.rfd, F_SETFL, O_NONBLOCK);
	if (c->mode == L_EPOLL) {
		ep = epoll_create1(EPOLL_CLOEXEC);
		if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, c->ch.rfd, &ev))
			die("epoll");
	}
	if (c->mode == L_SIGIO) {
		st(&sigio_got, 0);
		if (fcntl(c->ch.rfd, F_SETOWN_EX, &owner) ||
		    fcntl(c->ch.rfd, F_SETFL, O_NONBLOCK | O_ASYNC))
			die("fcntl O_ASYNC");
	}
	st(&c->tid, owner.pid);
	for (i = 0; i < nsamples; i++) {
		switch (c->mode) {
		case L_READ:
			if (read(c->ch.rfd, buf, sizeof(buf)) <= 0)
				die("read");
			t1 = now_ns();
			break;
		case L_POLL:
			if (poll(&pfd, 1, -1) != 1)
				die("poll");
			t1 = now_ns();
			break;
		case L_EPOLL:
			if (epoll_wait(ep, &ev, 1, -1) != 1)
				die("epoll_wait");
			t1 = now_ns();
			break;
		default:
			/* SIGIO is blocked but here: no signal is missed. */
			while (!ld(&sigio_got))
				sigsuspend(&waitmask);
			st(&sigio_got, 0);
			t1 = ld64(&sigio_t1);
			break;
		}
		if (c->mode != L_READ && read(c->ch.rfd, buf, sizeof(buf)) <= 0)
			die("read after the wake-up");
		c->samples[i] = t1 - ld64(&c->t0);
		st(&c->ack, i + 1);
	}
	if (c->mode == L_SIGIO)
		fcntl(c->ch.rfd, F_SETFL, O_NONBLOCK);
	if (ep >= 0)
		close(ep);
	return NULL;
}

/* The state letter of a thread of this process, from /proc. */
static char thread_state(pid_t tid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] ? p[2] : '?';
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void percentiles(uint64_t *v, double *p50, double *p99)
{
	qsort(v, nsamples, sizeof(*v), cmp_u64);
	*p50 = v[nsamples / 2] / 1000.0;
	*p99 = v[(nsamples * 99) / 100] / 1000.0;
}

/*
 * A mydemo reader and a pipe reader wait at the same time, and the writer
 * wakes them in turn, sample by sample: whatever the host does to the
 * guest meanwhile hits both alike.
 */
static void run_lat(enum lat_mode mode, double res[2][2])
{
	struct lat_ctx c[2] = { { .mode = mode }, { .mode = mode } };
	char buf[64] = "wake up";
	pthread_t th[2];
	cpu_set_t set;
	int i, k;

	pin(0);
	for (k = 0; k < 2; k++) {
		c[k].samples = calloc(nsamples, sizeof(*c[k].samples));
		if (!c[k].samples)
			die("calloc");
		chan_open(&c[k].ch, k, 0);
		if (pthread_create(&th[k], NULL, lat_reader, &c[k]))
			die("pthread_create");
		while (!ld(&c[k].tid))
			usleep(100);
	}
	for (i = 0; i < nsamples; i++) {
		for (k = 0; k < 2; k++) {
			/* The reader is back from the last sample and asleep again. */
			while (ld(&c[k].ack) != i || thread_state(c[k].tid) != 'S')
				usleep(20);
			st64(&c[k].t0, now_ns());
			if (write(c[k].ch.wfd, buf, sizeof(buf)) != sizeof(buf))
				die("write");
			while (ld(&c[k].ack) != i + 1)
				usleep(20);
		}
	}
	for (k = 0; k < 2; k++) {
		pthread_join(th[k], NULL);
		chan_close(&c[k].ch);
		percentiles(c[k].samples, &res[k][0], &res[k][1]);
		free(c[k].samples);
	}
	/* Back to every CPU for the throughput cases. */
	CPU_ZERO(&set);
	for (i = 0; i < ncpus; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* ---- allocations per I/O ---- */

#define TRACING "/sys/kernel/tracing/"
static const char *const alloc_events[] = {
	"kmalloc", "kmem_cache_alloc", "mm_page_alloc",
};

#define NR_AEV		3
#define NR_SITES	8

struct alloc_result {
	uint64_t ios;
	uint64_t events[NR_AEV];
	char site[NR_SITES][64];
	uint64_t site_n[NR_SITES];
	int lost;
	int ok;
};

static int tracing_write(const char *file, const char *val)
{
	char path[128];
	int fd, ret;

	snprintf(path, sizeof(path), TRACING "%s", file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -1;
	ret = write(fd, val, strlen(val)) == (ssize_t)strlen(val) ? 0 : -1;
	close(fd);
	return ret;
}

static void count_site(struct alloc_result *r, const char *line)
{
	const char *p = strstr(line, "call_site=");
	size_t len;
	int i;

	if (!p)
		return;
	p += strlen("call_site=");
	len = strcspn(p, " +");
	if (len >= sizeof(r->site[0]))
		len = sizeof(r->site[0]) - 1;
	for (i = 0; i < NR_SITES && r->site[i][0]; i++) {
		if (!strncmp(r->site[i], p, len) && !r->site[i][len]) {
			r->site_n[i]++;
			return;
		}
	}
	if (i < NR_SITES) {
		memcpy(r->site[i], p, len);
		r->site[i][len] = '\0';
		r->site_n[i] = 1;
	}
}

static void read_trace(struct alloc_result *r)
{
	char line[1024], pat[64], path[128];
	FILE *f = fopen(TRACING "trace", "r");
	int i, cpu;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		for (i = 0; i < NR_AEV; i++) {
			snprintf(pat, sizeof(pat), " %s: ", alloc_events[i]);
			if (strstr(line, pat)) {
				r->events[i]++;
				count_site(r, line);
			}
		}
	}
	fclose(f);
	/* Events the ring buffer dropped would make the count too low. */
	for (cpu = 0; cpu < ncpus; cpu++) {
		snprintf(path, sizeof(path), TRACING "per_cpu/cpu%d/stats", cpu);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "overrun: ", 9) && atoll(line + 9))
				r->lost = 1;
		fclose(f);
	}
}

static void set_alloc_events(const char *on)
{
	char file[96];
	int i;

	for (i = 0; i < NR_AEV; i++) {
		snprintf(file, sizeof(file), "events/kmem/%s/enable", alloc_events[i]);
		tracing_write(file, on);
	}
}

static void run_allocs(enum kind k, int size, struct alloc_result *r)
{
	uint64_t b, c0, c1;
	char pids[64];
	struct group g;

	memset(r, 0, sizeof(*r));
	if (tracing_write("tracing_on", "0") || tracing_write("trace", "") ||
	    tracing_write("buffer_size_kb", "8192"))
		return;
	set_alloc_events("1");
	group_start(&g, k, size, 1, 0, IO_RW);
	while (!ld(&g.w[0].tid) || !ld(&g.w[1].tid))
		usleep(100);
	snprintf(pids, sizeof(pids), "%d %d", ld(&g.w[0].tid),
		 ld(&g.w[1].tid));
	r->ok = !tracing_write("set_event_pid", pids);
	msleep(warm_ms);
	group_counts(&g, &b, &c0);
	tracing_write("tracing_on", "1");
	msleep(run_ms / 2);
	tracing_write("tracing_on", "0");
	group_counts(&g, &b, &c1);
	group_stop(&g);
	r->ios = c1 - c0;
	read_trace(r);
	set_alloc_events("0");
	tracing_write("set_event_pid", "");
	tracing_write("trace", "");
	tracing_write("buffer_size_kb", "1408");
}

/* ---- statistics and output ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
	double s[MAX_ROUNDS];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return n & 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/*
 * Each round measures mydemo and the pipe next to each other: the median of
 * the rounds' ratios cancels the host's slow and fast phases better than
 * the ratio of two medians.
 */
static double ratio(const double *a, const double *b)
{
	double v[MAX_ROUNDS];
	int r;

	for (r = 0; r < rounds; r++)
		v[r] = a[r] / b[r];
	return median(v, rounds);
}

static void json_rounds(const double *v)
{
	int r;

	printf("[");
	for (r = 0; r < rounds; r++)
		printf("%s%.3f", r ? ", " : "", v[r]);
	printf("]");
}

static const char *verdict(int ok)
{
	return ok ? "met" : "MISSED";
}

/* A 1-pair table of mydemo against the pipe, one row per size. */
static void print_pair_rows(const char *title, int section, const int *sz,
			    int n, double v[][2][MAX_ROUNDS])
{
	int si;

	if (!(sections & section))
		return;
	printf("\n%s, MB/s\n", title);
	printf("%-7s %10s %10s %12s\n", "size", "mydemo", "pipe", "mydemo/pipe");
	for (si = 0; si < n; si++)
		printf("%-7d %10.2f %10.2f %11.2fx\n", sz[si],
		       median(v[si][K_MYDEMO], rounds), median(v[si][K_PIPE], rounds),
		       ratio(v[si][K_MYDEMO], v[si][K_PIPE]));
}

static void print_table(const struct alloc_result ar[NR_KINDS][2])
{
	double m, p, s, per_io;
	int ci, si, k, l;

	printf("Throughput, MB/s (median of %d rounds, %d ms each; ratios: median of the\n",
	       rounds, run_ms);
	printf("rounds' ratios)\n");
	printf("%-14s %7s %10s %10s %10s %12s %12s\n", "case", "size",
	       "mydemo", "pipe", "socketpair", "mydemo/pipe", "socket/pipe");
	for (ci = 0; ci < NR_CFGS && (sections & S_TPUT); ci++) {
		for (si = 0; si < NR_SIZES; si++) {
			m = median(tput[ci][si][K_MYDEMO], rounds);
			p = median(tput[ci][si][K_PIPE], rounds);
			s = median(tput[ci][si][K_SOCK], rounds);
			printf("%-14s %7d %10.2f %10.2f %10.2f %11.2fx %11.2fx\n",
			       cfgs[ci].name, sizes[si], m, p, s,
			       ratio(tput[ci][si][K_MYDEMO], tput[ci][si][K_PIPE]),
			       ratio(tput[ci][si][K_SOCK], tput[ci][si][K_PIPE]));
		}
	}
	print_pair_rows("1 pair, splice: reader splices device -> pipe, or pipe -> pipe",
			S_SPLICE, splice_sizes, NR_SPLICE, splice_tput);
	print_pair_rows("1 pair, epoll: reader reads O_NONBLOCK, sleeps in epoll_wait()",
			S_EPOLL, epoll_sizes, NR_EPOLL, epoll_tput);
	if ((sections & (S_URING | S_TPUT)) != (S_URING | S_TPUT))
		goto latency;
	printf("\nio_uring (one I/O in flight) against read/write, 1 pair, MB/s\n");
	printf("%-7s %12s %12s %10s %12s %12s %10s\n", "size", "mydemo uring",
	       "mydemo r/w", "ratio", "pipe uring", "pipe r/w", "ratio");
	for (si = 0; si < NR_URING; si++) {
		double mu = median(uring[si][0], rounds);
		double pu = median(uring[si][1], rounds);
		int s1 = si ? 2 : 0;	/* the size's column in tput */

		m = median(tput[0][s1][K_MYDEMO], rounds);
		p = median(tput[0][s1][K_PIPE], rounds);
		printf("%-7d %12.2f %12.2f %9.2fx %12.2f %12.2f %9.2fx\n",
		       uring_sizes[si], mu, m, ratio(uring[si][0], tput[0][s1][K_MYDEMO]),
		       pu, p, ratio(uring[si][1], tput[0][s1][K_PIPE]));
	}
latency:
	if (!(sections & S_LAT))
		goto allocs;
	printf("\nWake-up latency, us (median over the rounds of each round's percentile,\n");
	printf("%d samples per round)\n", nsamples);
	printf("%-7s %11s %11s %11s %11s %11s %11s\n", "waiter", "mydemo p50",
	       "pipe p50", "ratio", "mydemo p99", "pipe p99", "ratio");
	for (l = 0; l < NR_LAT; l++) {
		double m50 = median(lat[l][0][0], rounds), p50 = median(lat[l][1][0], rounds);
		double m99 = median(lat[l][0][1], rounds), p99 = median(lat[l][1][1], rounds);

		printf("%-7s %11.1f %11.1f %10.2fx %11.1f %11.1f %10.2fx\n", lat_name[l],
		       m50, p50, ratio(lat[l][0][0], lat[l][1][0]), m99, p99,
		       ratio(lat[l][0][1], lat[l][1][1]));
	}
allocs:
	if (!(sections & S_ALLOC))
		return;
	printf("\nAllocations per read or write call in steady state (kmem tracepoints)\n");
	printf("%-11s %6s %8s %9s %17s %14s %8s\n", "channel", "size", "calls",
	       "kmalloc", "kmem_cache_alloc", "mm_page_alloc", "per I/O");
	for (k = 0; k < NR_KINDS; k++) {
		for (si = 0; si < 2; si++) {
			const struct alloc_result *a = &ar[k][si];

			if (!a->ok) {
				printf("%-11s %6d   (tracing unavailable)\n", kind_name[k],
				       si ? 4096 : 64);
				continue;
			}
			per_io = a->ios ? (double)(a->events[0] + a->events[1] +
						   a->events[2]) / a->ios : 0;
			printf("%-11s %6d %8llu %9llu %17llu %14llu %8.3f%s\n",
			       kind_name[k], si ? 4096 : 64, (unsigned long long)a->ios,
			       (unsigned long long)a->events[0],
			       (unsigned long long)a->events[1],
			       (unsigned long long)a->events[2], per_io,
			       a->lost ? " (events lost)" : "");
		}
	}
}

static void print_goals(void)
{
	double r64 = ratio(tput[0][0][K_MYDEMO], tput[0][0][K_PIPE]);
	double r4k = ratio(tput[0][2][K_MYDEMO], tput[0][2][K_PIPE]);
	double r64k = ratio(tput[0][3][K_MYDEMO], tput[0][3][K_PIPE]);
	double worst = 1e9, r, lw = 0;
	int ci, si, l;

	if ((sections & (S_TPUT | S_LAT)) != (S_TPUT | S_LAT))
		return;
	printf("\nGoals (ratios to the pipe in this boot)\n");
	printf("  1 pair, 64 B  >= 1.20x: %.2fx %s\n", r64, verdict(r64 >= 1.2));
	printf("  1 pair, 4 KiB >= 1.00x: %.2fx %s\n", r4k, verdict(r4k >= 1.0));
	printf("  1 pair, 64 KiB >= 1.00x: %.2fx %s\n", r64k, verdict(r64k >= 1.0));
	for (ci = 1; ci <= 2; ci++) {
		worst = 1e9;
		for (si = 0; si < NR_SIZES; si++) {
			r = ratio(tput[ci][si][K_MYDEMO], tput[ci][si][K_PIPE]);
			if (r < worst)
				worst = r;
		}
		printf("  %s, every size >= 0.95x: worst %.2fx %s\n", cfgs[ci].name,
		       worst, verdict(worst >= 0.95));
	}
	for (l = 0; l < NR_LAT; l++) {
		r = ratio(lat[l][0][1], lat[l][1][1]);
		if (r > lw)
			lw = r;
	}
	printf("  p99 wake-up <= 1.20x the pipe's: worst %.2fx %s\n", lw,
	       verdict(lw <= 1.2));
}

/* A ratio for the JSON, which has no NaN: null when a section did not run. */
static void json_ratio(const char *key, double v)
{
	if (isfinite(v))
		printf("\"%s\": %.3f", key, v);
	else
		printf("\"%s\": null", key);
}

/* mydemo and the pipe by size; with @with_ratio, the ratio of the two. */
static void json_pair_rows(const char *name, const int *sz, int n,
			   double v[][2][MAX_ROUNDS], int with_ratio)
{
	int si, k;

	printf("  \"%s\": [\n", name);
	for (si = 0; si < n; si++) {
		printf("    {\"size\": %d", sz[si]);
		for (k = 0; k < 2; k++) {
			printf(", \"%s\": {\"median\": %.3f, \"rounds\": ", kind_name[k],
			       median(v[si][k], rounds));
			json_rounds(v[si][k]);
			printf("}");
		}
		if (with_ratio) {
			printf(", ");
			json_ratio("mydemo_to_pipe",
				   ratio(v[si][K_MYDEMO], v[si][K_PIPE]));
		}
		printf("}%s\n", si == n - 1 ? "" : ",");
	}
	printf("  ],\n");
}

static void print_json(const struct alloc_result ar[NR_KINDS][2])
{
	struct utsname u;
	int ci, si, k, l, i;

	uname(&u);
	printf("{\n  \"kernel\": \"%s\",\n  \"cpus\": %d,\n  \"rounds\": %d,\n",
	       u.release, ncpus, rounds);
	printf("  \"run_ms\": %d,\n  \"warmup_ms\": %d,\n  \"latency_samples\": %d,\n",
	       run_ms, warm_ms, nsamples);
	printf("  \"unit\": {\"throughput\": \"MB/s\", \"latency\": \"us\"},\n");
	printf("  \"throughput\": [\n");
	for (ci = 0; ci < NR_CFGS; ci++) {
		for (si = 0; si < NR_SIZES; si++) {
			printf("    {\"case\": \"%s\", \"pairs\": %d, ", cfgs[ci].name,
			       cfgs[ci].pairs);
			printf("\"one_channel\": %s, \"size\": %d",
			       cfgs[ci].shared ? "true" : "false", sizes[si]);
			for (k = 0; k < NR_KINDS; k++) {
				printf(",\n      \"%s\": {\"median\": %.3f, \"rounds\": ",
				       kind_name[k], median(tput[ci][si][k], rounds));
				json_rounds(tput[ci][si][k]);
				printf("}");
			}
			printf(",\n      ");
			json_ratio("mydemo_to_pipe",
				   ratio(tput[ci][si][K_MYDEMO], tput[ci][si][K_PIPE]));
			printf(", ");
			json_ratio("socketpair_to_pipe",
				   ratio(tput[ci][si][K_SOCK], tput[ci][si][K_PIPE]));
			printf("}%s\n",
			       ci == NR_CFGS - 1 && si == NR_SIZES - 1 ? "" : ",");
		}
	}
	printf("  ],\n");
	/* io_uring's ratio is to read/write (the table), not to the pipe. */
	json_pair_rows("io_uring", uring_sizes, NR_URING, uring, 0);
	json_pair_rows("splice", splice_sizes, NR_SPLICE, splice_tput, 1);
	json_pair_rows("epoll", epoll_sizes, NR_EPOLL, epoll_tput, 1);
	printf("  \"sections\": \"%s%s%s%s%s%s\",\n",
	       sections & S_TPUT ? "tput " : "", sections & S_URING ? "uring " : "",
	       sections & S_SPLICE ? "splice " : "", sections & S_EPOLL ? "epoll " : "",
	       sections & S_LAT ? "lat " : "", sections & S_ALLOC ? "alloc" : "");
	printf("  \"wakeup_latency\": [\n");
	for (l = 0; l < NR_LAT; l++) {
		printf("    {\"waiter\": \"%s\"", lat_name[l]);
		for (k = 0; k < 2; k++) {
			printf(", \"%s\": {\"p50\": %.2f, \"p99\": %.2f, \"p50_rounds\": ",
			       kind_name[k], median(lat[l][k][0], rounds),
			       median(lat[l][k][1], rounds));
			json_rounds(lat[l][k][0]);
			printf(", \"p99_rounds\": ");
			json_rounds(lat[l][k][1]);
			printf("}");
		}
		printf("}%s\n", l == NR_LAT - 1 ? "" : ",");
	}
	printf("  ],\n  \"allocations\": [\n");
	for (k = 0; k < NR_KINDS; k++) {
		for (si = 0; si < 2; si++) {
			const struct alloc_result *a = &ar[k][si];

			printf("    {\"channel\": \"%s\", \"size\": %d, ", kind_name[k],
			       si ? 4096 : 64);
			printf("\"traced\": %s, \"lost\": %s, \"calls\": %llu",
			       a->ok ? "true" : "false", a->lost ? "true" : "false",
			       (unsigned long long)a->ios);
			for (i = 0; i < NR_AEV; i++)
				printf(", \"%s\": %llu", alloc_events[i],
				       (unsigned long long)a->events[i]);
			printf(", \"call_sites\": {");
			for (i = 0; i < NR_SITES && a->site[i][0]; i++)
				printf("%s\"%s\": %llu", i ? ", " : "", a->site[i],
				       (unsigned long long)a->site_n[i]);
			printf("}}%s\n", k == NR_KINDS - 1 && si == 1 ? "" : ",");
		}
	}
	printf("  ]\n}\n");
}

/* gnuplot input: index 0 throughput ratios, index 1 latency ratios. */
static void print_dat(void)
{
	int ci, si, l;

	if ((sections & (S_TPUT | S_LAT)) != (S_TPUT | S_LAT))
		return;

	for (ci = 0; ci < NR_CFGS; ci++)
		for (si = 0; si < NR_SIZES; si++)
			printf("\"%s %s\" %.3f %.3f\n", cfgs[ci].name,
			       sizes[si] >= 1024 ? (sizes[si] == 4096 ? "4K" : "64K") :
			       (sizes[si] == 64 ? "64" : "512"),
			       ratio(tput[ci][si][K_MYDEMO], tput[ci][si][K_PIPE]),
			       ratio(tput[ci][si][K_SOCK], tput[ci][si][K_PIPE]));
	printf("\n\n");
	for (l = 0; l < NR_LAT; l++)
		printf("\"%s\" %.3f %.3f\n", lat_name[l],
		       ratio(lat[l][0][0], lat[l][1][0]),
		       ratio(lat[l][0][1], lat[l][1][1]));
}

static int parse_sections(char *list)
{
	char *tok, *save = NULL;
	int i, set = 0;

	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; section_name[i]; i++)
			if (!strcmp(tok, section_name[i]))
				break;
		if (!section_name[i])
			return 0;
		set |= 1 << i;
	}
	return set;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	struct alloc_result ar[NR_KINDS][2];
	int opt, r, ci, si, k, l;
	const char *one = NULL;
	sigset_t block;

	while ((opt = getopt(argc, argv, "r:t:w:n:d:1:c:")) != -1) {
		switch (opt) {
		case 'c':
			sections = parse_sections(optarg);
			if (!sections) {
				fprintf(stderr, "-c: a comma list of %s\n",
					"tput, uring, splice, epoll, lat, alloc");
				return 2;
			}
			break;
		case '1':
			one = optarg;
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 't':
			run_ms = atoi(optarg);
			break;
		case 'w':
			warm_ms = atoi(optarg);
			break;
		case 'n':
			nsamples = atoi(optarg);
			break;
		case 'd':
			devprefix = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-r ROUNDS] [-t MS] [-w WARMUP_MS]",
				argv[0]);
			fprintf(stderr, " [-n SAMPLES] [-d DEVPREFIX] [-c SECTIONS]\n");
			return 2;
		}
	}
	if (rounds < 1 || rounds > MAX_ROUNDS || run_ms < 1 || warm_ms < 0 ||
	    nsamples < 10) {
		fprintf(stderr, "bad arguments\n");
		return 2;
	}
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* No SA_RESTART: the signal must end a blocked read or write. */
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_sigio;
	sigaction(SIGIO, &sa, NULL);
	/* SIGIO only in the latency reader's sigsuspend(). */
	sigemptyset(&block);
	sigaddset(&block, SIGIO);
	pthread_sigmask(SIG_BLOCK, &block, NULL);

	if (one) {
		for (k = 0; k < NR_KINDS; k++)
			if (!strncmp(one, kind_name[k], strlen(kind_name[k])) &&
			    one[strlen(kind_name[k])] == ':')
				break;
		si = k < NR_KINDS ? atoi(strchr(one, ':') + 1) : 0;
		if (si < 1) {
			fprintf(stderr, "-1 KIND:SIZE, KIND mydemo, pipe or socketpair\n");
			return 2;
		}
		printf("%s %d B: %.2f MB/s\n", kind_name[k], si,
		       run_tput(k, si, 1, 0, 0));
		return 0;
	}

	for (r = 0; r < rounds; r++) {
		printf("# round %d of %d\n", r + 1, rounds);
		for (ci = 0; ci < NR_CFGS && (sections & S_TPUT); ci++)
			for (si = 0; si < NR_SIZES; si++)
				for (k = 0; k < NR_KINDS; k++)
					tput[ci][si][k][r] =
						run_tput(k, sizes[si], cfgs[ci].pairs,
							 cfgs[ci].shared, IO_RW);
		for (si = 0; si < NR_URING && (sections & S_URING); si++)
			for (k = 0; k < 2; k++)
				uring[si][k][r] = run_tput(k, uring_sizes[si], 1, 0,
							   IO_URING);
		for (si = 0; si < NR_SPLICE && (sections & S_SPLICE); si++)
			for (k = 0; k < 2; k++)
				splice_tput[si][k][r] = run_tput(k, splice_sizes[si], 1,
								 0, IO_SPLICE);
		for (si = 0; si < NR_EPOLL && (sections & S_EPOLL); si++)
			for (k = 0; k < 2; k++)
				epoll_tput[si][k][r] = run_tput(k, epoll_sizes[si], 1,
								0, IO_EPOLL);
		for (l = 0; l < NR_LAT && (sections & S_LAT); l++) {
			double res[2][2];

			run_lat(l, res);
			for (k = 0; k < 2; k++) {
				lat[l][k][0][r] = res[k][0];
				lat[l][k][1][r] = res[k][1];
			}
		}
		if ((sections & (S_TPUT | S_LAT)) == (S_TPUT | S_LAT))
			printf("# round %d: 64 B mydemo/pipe %.2fx, p99 read %.2fx\n",
			       r + 1, tput[0][0][K_MYDEMO][r] / tput[0][0][K_PIPE][r],
			       lat[L_READ][0][1][r] / lat[L_READ][1][1][r]);
	}
	memset(ar, 0, sizeof(ar));
	if (sections & S_ALLOC) {
		printf("# allocations\n");
		for (k = 0; k < NR_KINDS; k++)
			for (si = 0; si < 2; si++)
				run_allocs(k, si ? 4096 : 64, &ar[k][si]);
	}

	printf("@@table\n");
	print_table((const struct alloc_result (*)[2])ar);
	print_goals();
	printf("@@json\n");
	print_json((const struct alloc_result (*)[2])ar);
	printf("@@dat\n");
	print_dat();
	printf("@@end\n");
	return 0;
}
