// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo-stress: the properties, the shared memory, processes, records, waits.
 */
#include "stress.h"

const char *const prop_name[P_NR] = {
	[P_WHOLE] = "integrity: every record read whole, checksum right",
	[P_ORDER] = "integrity: each reader sees each writer's records in order",
	[P_EXACT] = "integrity: no record lost or duplicated (union over readers)",
	[P_FLUSH] = "integrity: bytes_flushed accounts for every record not read",
	[P_STATS] = "integrity: stat: bytes_written = read + flushed + level, under flush/resize",
	[P_IRQ] = "integrity: interrupt source records in order, gaps within overruns",
	[P_SIGIO] = "integrity: SIGIO subscribers signalled while (un)subscribing",
	[P_REMOVE_LOAD] = "integrity: device removed and re-added under load",
	[P_ERRNO] = "integrity: no unexpected error from I/O, ioctl, sysfs, debugfs",
	[P_REMOVAL] = "removal: I/O, fasync, the interrupt source racing new_device/del_device",
	[P_MODULE] = "removal: rmmod refused while a file is open, rmmod/insmod cycles",
	[P_SIG_SEM] = "signals: EINTR only without SA_RESTART, partial counts only after a signal",
	[P_SIG_DATA] = "signals: no byte lost or duplicated",
	[P_SIG_HIT] = "signals: signals interrupted sleeping readers and writers",
};

struct shared *sh;
int short_mode;
unsigned int duration = 60;
pid_t pids[MAX_PIDS];
const char *pid_name[MAX_PIDS];
long pid_arg[MAX_PIDS];
int npids;
uint64_t rnd_state;
int sig_count;

uint64_t rnd(void)
{
	/* xorshift64: cheap, and each process seeds its own. */
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

void add(uint64_t *v, uint64_t n)
{
	__atomic_fetch_add(v, n, __ATOMIC_RELAXED);
}

int stopping(void)
{
	return __atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE);
}

/* A failure of property @p: counted, the first few explained. */
__attribute__((format(printf, 2, 3)))
void bad(enum prop p, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	n = __atomic_fetch_add(&sh->bad[p], 1, __ATOMIC_RELAXED);
	if (n >= 8)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("# FAIL [%s] %s\n", prop_name[p], line);
	fflush(stdout);
}

void die(const char *what)
{
	printf("# FATAL %s: %s\n", what, strerror(errno));
	fflush(stdout);
	exit(2);
}

double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Fork a worker running @fn(@arg); its pid is remembered for the reaping. */
pid_t spawn_named(void (*fn)(long), long arg, const char *name)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		rnd_state = (uint64_t)getpid() * 0x9e3779b97f4a7c15ull + 1;
		fn(arg);
		fflush(stdout);
		_exit(0);
	}
	if (npids < MAX_PIDS) {
		pid_name[npids] = name;
		pid_arg[npids] = arg;
		pids[npids++] = pid;
	}
	__atomic_fetch_add(&sh->processes, 1, __ATOMIC_RELAXED);
	return pid;
}

/* Wait for @pid; a worker that died of anything but @expect is a failure. */
void reap(pid_t pid, int expect_sig, enum prop p)
{
	int st, i;

	if (waitpid(pid, &st, 0) < 0)
		die("waitpid");
	for (i = 0; i < npids; i++)
		if (pids[i] == pid)
			pids[i] = 0;
	if (WIFSIGNALED(st) && WTERMSIG(st) == expect_sig)
		return;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return;
	bad(p, "process %d ended with status %#x", pid, st);
}

void path_of(char *buf, size_t len, int minor, const char *attr)
{
	if (attr)
		snprintf(buf, len, SYSFS "/mydemo%d/%s", minor, attr);
	else
		snprintf(buf, len, "/dev/mydemo%d", minor);
}

int class_op(const char *op, int minor)
{
	return mydemo_class_write(op[0] == 'n' ? "new_device" : "del_device", minor);
}

long long attr(int minor, const char *name)
{
	char path[128], buf[64];

	path_of(path, sizeof(path), minor, name);
	if (mydemo_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtoll(buf, NULL, 0);
}

/* A fresh device at @minor, whatever was there before. */
void fresh_device(int minor)
{
	int ret;

	class_op("del", minor);
	ret = class_op("new", minor);
	if (ret) {
		errno = -ret;
		die("new_device");
	}
}

int open_dev(int minor, int flags)
{
	char path[64];

	path_of(path, sizeof(path), minor, NULL);
	return open(path, flags | O_CLOEXEC);
}

static uint32_t rec_sum(const unsigned char *r, unsigned int len)
{
	uint32_t h = 2166136261u;
	unsigned int i;

	for (i = 0; i < len; i++) {
		/* The sum field itself counts as zero. */
		if (i >= offsetof(struct rec, sum) && i < offsetof(struct rec, pad))
			h = h * 16777619u;
		else
			h = (h ^ r[i]) * 16777619u;
	}
	return h;
}

void rec_make(unsigned char *buf, unsigned int len, int writer, uint64_t seq)
{
	struct rec *r = (struct rec *)buf;
	unsigned int i;

	r->magic = REC_MAGIC;
	r->writer = writer;
	r->len = len;
	r->seq = seq;
	r->pad = 0;
	for (i = sizeof(*r); i < len; i++)
		buf[i] = (unsigned char)(seq * 131 + writer * 7 + i);
	r->sum = rec_sum(buf, len);
}

/* Check one record; 0 if it is whole and right. */
int rec_check(const unsigned char *buf, unsigned int len)
{
	struct rec r;

	memcpy(&r, buf, sizeof(r));
	return r.magic != REC_MAGIC || r.len != len || r.writer >= MAX_WRITERS ||
	       r.sum != rec_sum(buf, len);
}

/* Mark @seq of @writer seen; 1 if some reader had seen it already. */
int seen_set(int writer, uint64_t seq)
{
	uint8_t bit = 1u << (seq % 8);

	if (seq >= SEEN_BITS)
		return 0;
	return __atomic_fetch_or(&sh->seen[writer][seq / 8], bit,
				 __ATOMIC_RELAXED) & bit;
}

uint64_t seen_count(int writer, uint64_t limit, uint64_t *beyond)
{
	uint64_t i, n = 0;

	*beyond = 0;
	for (i = 0; i < SEEN_BITS; i++) {
		if (!(sh->seen[writer][i / 8] & (1u << (i % 8))))
			continue;
		if (i < limit)
			n++;
		else
			(*beyond)++;
	}
	return n;
}

void count_sig(int sig)
{
	__atomic_fetch_add(&sig_count, 1, __ATOMIC_RELAXED);
}

/* Read where a handler may have run in between: from memory every time. */
int sigs_caught(void)
{
	return __atomic_load_n(&sig_count, __ATOMIC_RELAXED);
}

/* What the driver says about a device, for a failure's explanation. */
static void dump_state(int minor)
{
	char path[128], buf[4096], *line, *save;
	char st[256], wchan[64];
	int i;

	/* Where each worker is: its state and the kernel function it sleeps in. */
	for (i = 0; i < npids; i++) {
		if (!pids[i])
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pids[i]);
		if (mydemo_read_file(path, st, sizeof(st)) <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/wchan", pids[i]);
		if (mydemo_read_file(path, wchan, sizeof(wchan)) <= 0)
			wchan[0] = '\0';
		st[strcspn(st, "\n")] = '\0';
		printf("#   pid %d %s(%ld): %.30s wchan %s\n", pids[i],
		       pid_name[i], pid_arg[i],
		       strchr(st, ')') ? strchr(st, ')') + 2 : st, wchan);
	}

	snprintf(path, sizeof(path), DEBUGFS "/mydemo%d/state", minor);
	if (mydemo_read_file(path, buf, sizeof(buf)) <= 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		printf("#   %s\n", line);
}

/*
 * Wait until @cond(@arg) holds; 0, or -1 after @secs (a hang guard), with
 * the device's state shown.
 */
int wait_until(int (*cond)(long), long arg, int secs)
{
	double end = now() + secs;

	while (!cond(arg)) {
		if (now() > end) {
			printf("# mydemo%ld after %d s:\n", arg, secs);
			dump_state(arg);
			return -1;
		}
		usleep(2000);
	}
	return 0;
}
