// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo-stat: the statistics of mydemo devices, in the manner of vmstat
 * and iostat.
 *
 *   mydemo-stat [-i SECONDS] [-n COUNT] [-d mydemoN]... [--json] [--step]
 *
 * The first report gives each device's totals since it was created; with
 * -i, every further report gives the rates per second over the interval
 * actually elapsed (CLOCK_MONOTONIC), and the gauges (fifo level and size,
 * high watermark, waiting readers and writers) as they are now. Every
 * sample of a device is one read() of /sys/class/mydemo/mydemoN/stat, the
 * one line the kernel formats from a consistent snapshot.
 *
 * --step takes each next sample when a line arrives on standard input
 * instead of after an interval: tests drive it that way, changing the
 * counters between two samples.
 *
 * The sysfs root comes from $MYDEMO_SYSFS (default /sys/class/mydemo).
 * Exit status: 0, 1 on an error (no device, a stat file it cannot read or
 * parse), 2 on bad usage. Documented in Documentation/mydemo.rst.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_ROOT	"/sys/class/mydemo"
/* Fields of the stat line: counters first, then gauges. */
#define NR_COUNTERS	17
#define NR_FIELDS	22
/* "mydemo" and a minor number that fits in an unsigned long. */
#define NAME_LEN	32

enum field {
	F_BYTES_READ,
	F_BYTES_WRITTEN,
	F_READS,
	F_WRITES,
	F_READS_BLOCKED,
	F_WRITES_BLOCKED,
	F_READS_EAGAIN,
	F_WRITES_EAGAIN,
	F_READ_WAKEUPS,
	F_WRITE_WAKEUPS,
	F_SIGIO_SENT,
	F_FAULTS,
	F_IRQ_RECORDS,
	F_OVERRUNS,
	F_BYTES_FLUSHED,
	F_READS_INTERRUPTED,
	F_WRITES_INTERRUPTED,
	F_FIFO_LEVEL,
	F_FIFO_SIZE,
	F_HIGH_WATERMARK,
	F_WAITING_READERS,
	F_WAITING_WRITERS,
};

/* The names in the JSON output, in the order of the stat line. */
static const char *const field_names[NR_FIELDS] = {
	"bytes_read", "bytes_written", "reads", "writes",
	"reads_blocked", "writes_blocked", "reads_eagain", "writes_eagain",
	"read_wakeups", "write_wakeups", "sigio_sent", "faults",
	"irq_records", "overruns", "bytes_flushed", "reads_interrupted",
	"writes_interrupted",
	"fifo_level", "fifo_size", "high_watermark", "waiting_readers",
	"waiting_writers",
};

struct dev {
	char name[NAME_LEN];
	unsigned long minor;
	uint64_t v[NR_FIELDS];
};

/* All the devices at one moment, sorted by minor. */
struct sample {
	struct dev *devs;
	size_t n;
	double mono;	/* CLOCK_MONOTONIC, seconds */
	double wall;	/* CLOCK_REALTIME, seconds */
};

static const char *prog = "mydemo-stat";
static const char *root = DEFAULT_ROOT;
static char **only;	/* -d names, NULL-terminated; NULL: every device */
static size_t nr_only;
static bool json;

/* "mydemo-stat: MESSAGE" on stderr. */
static void complain(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	complain(fmt, ap);
	va_end(ap);
	exit(1);
}

static void help_text(FILE *f)
{
	fprintf(f,
		"usage: %s [-i SECONDS] [-n COUNT] [-d mydemoN]... [--json] [--step]\n"
		"  -i, --interval SECONDS  report rates over each interval (may be a fraction)\n"
		"  -n, --count COUNT       stop after COUNT reports, the totals included\n"
		"                          (default: 1 without -i, endless with -i)\n"
		"  -d, --device mydemoN    only this device (repeatable; N and /dev/mydemoN work)\n"
		"  -j, --json              one JSON object per report and line (NDJSON)\n"
		"  -s, --step              sample when a line arrives on stdin, not by the clock\n"
		"  -h, --help              this text\n"
		"The first report is the totals since each device was created; the\n"
		"next ones the rates per second. Sysfs root: $MYDEMO_SYSFS (default %s).\n",
		prog, DEFAULT_ROOT);
}

static void bad_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	complain(fmt, ap);
	va_end(ap);
	help_text(stderr);
	exit(2);
}

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* "mydemo" followed by decimal digits and nothing else; sets *minor. */
static bool parse_name(const char *s, unsigned long *minor)
{
	const char *p;
	char *end;

	if (strncmp(s, "mydemo", 6) || strlen(s) >= NAME_LEN)
		return false;
	p = s + 6;
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	*minor = strtoul(p, &end, 10);
	return !errno && !*end;
}

static bool wanted(const char *name)
{
	size_t i;

	if (!only)
		return true;
	for (i = 0; i < nr_only; i++)
		if (!strcmp(only[i], name))
			return true;
	return false;
}

/*
 * Parse the stat line in @buf into @v. At least NR_FIELDS unsigned decimal
 * numbers separated by blanks; later fields (a newer kernel's) are ignored.
 */
static void parse_stat(const char *path, char *buf, uint64_t *v)
{
	char *p = buf, *end;
	int i;

	for (i = 0; i < NR_FIELDS; i++) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\n' || !*p)
			die("%s: %d fields, need at least %d (a mydemo older than this tool?)",
			    path, i, NR_FIELDS);
		if (*p < '0' || *p > '9')
			die("%s: field %d is not an unsigned number", path, i + 1);
		errno = 0;
		v[i] = strtoull(p, &end, 10);
		if (errno)
			die("%s: field %d: %s", path, i + 1, strerror(errno));
		if (*end && *end != ' ' && *end != '\t' && *end != '\n')
			die("%s: field %d is not an unsigned number", path, i + 1);
		p = end;
	}
}

/*
 * Read one device's stat file with a single read(): the kernel formats the
 * whole line from one snapshot. Returns false when the device is gone.
 */
static bool read_stat(struct dev *d)
{
	char path[4096], dir[4096], buf[4097];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/stat", root, d->name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		snprintf(dir, sizeof(dir), "%s/%s", root, d->name);
		/* Removed between readdir() and open(): gone. */
		if ((err == ENOENT || err == ENOTDIR || err == ENODEV) &&
		    access(dir, F_OK))
			return false;
		if (err == ENOENT)
			die("%s: missing: this mydemo is older than the stat file",
			    path);
		die("%s: %s", path, strerror(err));
	}
	len = read(fd, buf, sizeof(buf) - 1);
	if (len < 0 && errno == ENODEV) {
		close(fd);
		return false;
	}
	if (len < 0)
		die("%s: %s", path, strerror(errno));
	close(fd);
	buf[len] = '\0';
	parse_stat(path, buf, d->v);
	return true;
}

static int by_minor(const void *a, const void *b)
{
	const struct dev *x = a, *y = b;

	return x->minor < y->minor ? -1 : x->minor > y->minor;
}

static void take_sample(struct sample *s)
{
	size_t cap = 0;
	struct dirent *e;
	struct dev d;
	DIR *dir;

	s->devs = NULL;
	s->n = 0;
	s->mono = now(CLOCK_MONOTONIC);
	s->wall = now(CLOCK_REALTIME);
	dir = opendir(root);
	if (!dir) {
		/* The module went away: no devices, for now. */
		if (errno == ENOENT)
			return;
		die("%s: %s", root, strerror(errno));
	}
	while ((e = readdir(dir))) {
		if (!parse_name(e->d_name, &d.minor) || !wanted(e->d_name))
			continue;
		/* parse_name() checked that it fits. */
		memcpy(d.name, e->d_name, strlen(e->d_name) + 1);
		if (!read_stat(&d))
			continue;
		if (s->n == cap) {
			cap = cap ? 2 * cap : 16;
			s->devs = realloc(s->devs, cap * sizeof(*s->devs));
			if (!s->devs)
				die("out of memory");
		}
		s->devs[s->n++] = d;
	}
	closedir(dir);
	qsort(s->devs, s->n, sizeof(*s->devs), by_minor);
}

/*
 * At most 5 characters: "0.5", "12345", "123k", "1.2M". Counts scale by
 * 1000 (k, M, G, ...), bytes by 1024 (K, M, G, ...).
 */
static const char *fmt_num(char *buf, size_t len, double v, bool bytes)
{
	const char *units = bytes ? "KMGTPE" : "kMGTPE";
	double base = bytes ? 1024 : 1000;
	int i = -1;

	if (v < 9.95 && v != (double)(uint64_t)v) {
		snprintf(buf, len, "%.1f", v);
		return buf;
	}
	if (v < 99999.5) {
		snprintf(buf, len, "%.0f", v);
		return buf;
	}
	do {
		v /= base;
		i++;
	} while (v >= 999.5 && units[i + 1]);
	snprintf(buf, len, v < 9.95 ? "%.1f%c" : "%.0f%c", v, units[i]);
	return buf;
}

/* The text columns: what they show and whether it is a byte count. */
struct column {
	const char *head;
	int a, b;	/* field, or field a + field b when b >= 0 */
	bool bytes;
	bool gauge;
};

static const struct column columns[] = {
	{ "rB", F_BYTES_READ, -1, true, false },
	{ "wB", F_BYTES_WRITTEN, -1, true, false },
	{ "rd", F_READS, -1, false, false },
	{ "wr", F_WRITES, -1, false, false },
	{ "blk", F_READS_BLOCKED, F_WRITES_BLOCKED, false, false },
	{ "eag", F_READS_EAGAIN, F_WRITES_EAGAIN, false, false },
	{ "wak", F_READ_WAKEUPS, F_WRITE_WAKEUPS, false, false },
	{ "sig", F_SIGIO_SENT, -1, false, false },
	{ "irq", F_IRQ_RECORDS, -1, false, false },
	{ "ovr", F_OVERRUNS, -1, false, false },
	{ "level", F_FIFO_LEVEL, -1, true, true },
	{ "size", F_FIFO_SIZE, -1, true, true },
	{ "hiwat", F_HIGH_WATERMARK, -1, true, true },
	{ "rwait", F_WAITING_READERS, -1, false, true },
	{ "wwait", F_WAITING_WRITERS, -1, false, true },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static double column_value(const struct column *c, const double *v)
{
	return c->b >= 0 ? v[c->a] + v[c->b] : v[c->a];
}

static void text_header(bool rates)
{
	char head[16];
	size_t i;

	printf("%-9s", "device");
	for (i = 0; i < ARRAY_SIZE(columns); i++) {
		snprintf(head, sizeof(head), "%s%s", columns[i].head,
			 rates && !columns[i].gauge ? "/s" : "");
		printf(" %5s", head);
	}
	putchar('\n');
}

/*
 * One row. @v: the counters' totals or rates, then the gauges; NULL for a
 * device that is gone. @status replaces the counter columns when not NULL.
 */
static void text_row(const char *name, const double *v, const char *status)
{
	char buf[16];
	size_t i;

	printf("%-9s", name);
	for (i = 0; i < ARRAY_SIZE(columns); i++) {
		const struct column *c = &columns[i];

		if (!v || (status && !c->gauge))
			printf(" %5s", status && i == 0 ? status : "-");
		else
			printf(" %5s", fmt_num(buf, sizeof(buf),
					       column_value(c, v), c->bytes));
	}
	putchar('\n');
}

static void json_u64s(const char *key, const uint64_t *v, int from, int to)
{
	int i;

	printf(",\"%s\":{", key);
	for (i = from; i < to; i++)
		printf("%s\"%s\":%llu", i > from ? "," : "", field_names[i],
		       (unsigned long long)v[i]);
	putchar('}');
}

static void json_dev_start(const struct dev *d)
{
	printf("{\"device\":\"%s\",\"minor\":%lu", d->name, d->minor);
}

static void flush(void)
{
	if (fflush(stdout) || ferror(stdout))
		die("standard output: %s", strerror(errno));
}

static void report_totals(const struct sample *s)
{
	double v[NR_FIELDS];
	size_t i;
	int k;

	if (json) {
		printf("{\"report\":\"total\",\"seq\":0,\"time\":%.3f,\"devices\":[",
		       s->wall);
		for (i = 0; i < s->n; i++) {
			if (i)
				putchar(',');
			json_dev_start(&s->devs[i]);
			json_u64s("counters", s->devs[i].v, 0, NR_COUNTERS);
			json_u64s("gauges", s->devs[i].v, NR_COUNTERS, NR_FIELDS);
			putchar('}');
		}
		printf("]}\n");
	} else {
		text_header(false);
		for (i = 0; i < s->n; i++) {
			for (k = 0; k < NR_FIELDS; k++)
				v[k] = s->devs[i].v[k];
			text_row(s->devs[i].name, v, NULL);
		}
	}
	flush();
}

enum dev_status { ST_OK, ST_NEW, ST_RESET };

static const char *const status_names[] = { "ok", "new", "reset" };

/*
 * One device of an interval report. @old: its previous sample, NULL when
 * it is new. A counter that went down means the statistics were reset: no
 * rate can be computed for that interval.
 */
static void interval_dev(const struct dev *old, const struct dev *d,
			 double elapsed, bool first)
{
	enum dev_status st = ST_OK;
	double v[NR_FIELDS];
	int k;

	if (!old)
		st = ST_NEW;
	for (k = 0; old && k < NR_COUNTERS; k++)
		if (d->v[k] < old->v[k])
			st = ST_RESET;
	for (k = 0; k < NR_FIELDS; k++)
		v[k] = k >= NR_COUNTERS ? d->v[k] :
		       st == ST_OK ? (d->v[k] - old->v[k]) / elapsed : 0;
	if (!json) {
		text_row(d->name, v, st == ST_OK ? NULL : status_names[st]);
		return;
	}
	if (!first)
		putchar(',');
	json_dev_start(d);
	printf(",\"status\":\"%s\"", status_names[st]);
	json_u64s("counters", d->v, 0, NR_COUNTERS);
	if (st == ST_OK) {
		printf(",\"rates\":{");
		for (k = 0; k < NR_COUNTERS; k++)
			printf("%s\"%s\":%.3f", k ? "," : "", field_names[k], v[k]);
		putchar('}');
	} else {
		printf(",\"rates\":null");
	}
	json_u64s("gauges", d->v, NR_COUNTERS, NR_FIELDS);
	putchar('}');
}

static void report_interval(const struct sample *prev, const struct sample *cur,
			    unsigned long seq)
{
	double elapsed = cur->mono - prev->mono;
	const struct dev **gone;
	size_t i = 0, j = 0, nr_gone = 0;
	bool first = true;

	gone = calloc(prev->n + 1, sizeof(*gone));
	if (!gone)
		die("out of memory");
	if (elapsed <= 0)
		elapsed = 1 / 1e9;
	if (json) {
		printf("{\"report\":\"interval\",\"seq\":%lu,\"time\":%.3f,",
		       seq, cur->wall);
		printf("\"interval_s\":%.6f,\"devices\":[", elapsed);
	} else {
		text_header(true);
	}
	/* Both samples are sorted by minor: walk them side by side. */
	while (i < prev->n || j < cur->n) {
		const struct dev *p = i < prev->n ? &prev->devs[i] : NULL;
		const struct dev *c = j < cur->n ? &cur->devs[j] : NULL;

		if (c && (!p || c->minor < p->minor)) {
			interval_dev(NULL, c, elapsed, first);
			first = false;
			j++;
		} else if (!c || p->minor < c->minor) {
			/* Gone: in JSON, listed after the devices. */
			if (!json)
				text_row(p->name, NULL, "gone");
			gone[nr_gone++] = p;
			i++;
		} else {
			interval_dev(p, c, elapsed, first);
			first = false;
			i++;
			j++;
		}
	}
	if (json) {
		printf("],\"removed\":[");
		for (i = 0; i < nr_gone; i++)
			printf("%s\"%s\"", i ? "," : "", gone[i]->name);
		printf("]}\n");
	}
	free(gone);
	flush();
}

/* Wait for the next line of standard input; false at its end. */
static bool next_step(void)
{
	int c;

	while ((c = getchar()) != EOF)
		if (c == '\n')
			return true;
	return false;
}

static void sleep_until(double t)
{
	struct timespec ts = {
		.tv_sec = (time_t)t,
		.tv_nsec = (long)((t - (time_t)t) * 1e9),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* mydemoN, N or /dev/mydemoN: the name under the sysfs root. */
static char *device_arg(const char *arg)
{
	unsigned long minor;
	char name[NAME_LEN + 8];
	char *s;

	if (!strncmp(arg, "/dev/", 5))
		arg += 5;
	snprintf(name, sizeof(name), "%s%s",
		 *arg >= '0' && *arg <= '9' ? "mydemo" : "", arg);
	if (!parse_name(name, &minor))
		bad_usage("-d %s: not a device name (mydemoN)", arg);
	s = strdup(name);
	if (!s)
		die("out of memory");
	return s;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "device", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "step", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long count = 0, seq;
	struct sample prev, cur;
	double interval = 0, next;
	bool step = false;
	const char *env;
	char *end;
	size_t i;
	int opt;

	if (argv[0] && strrchr(argv[0], '/'))
		prog = strrchr(argv[0], '/') + 1;
	else if (argv[0])
		prog = argv[0];
	env = getenv("MYDEMO_SYSFS");
	if (env && *env)
		root = env;

	while ((opt = getopt_long(argc, argv, "i:n:d:jsh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			errno = 0;
			interval = strtod(optarg, &end);
			/* Also rejects nan and inf. */
			if (errno || end == optarg || *end ||
			    !(interval > 0 && interval <= 1e6))
				bad_usage("-i %s: not a number of seconds > 0", optarg);
			break;
		case 'n':
			errno = 0;
			count = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || *optarg == '-' ||
			    !count)
				bad_usage("-n %s: not a count >= 1", optarg);
			break;
		case 'd':
			only = realloc(only, (nr_only + 2) * sizeof(*only));
			if (!only)
				die("out of memory");
			only[nr_only++] = device_arg(optarg);
			only[nr_only] = NULL;
			break;
		case 'j':
			json = true;
			break;
		case 's':
			step = true;
			break;
		case 'h':
			help_text(stdout);
			return 0;
		default:
			help_text(stderr);
			return 2;
		}
	}
	if (optind < argc)
		bad_usage("unexpected argument %s", argv[optind]);
	if (step && interval > 0)
		bad_usage("-i and --step exclude each other");
	if (!step && interval == 0) {
		if (count > 1)
			bad_usage("-n %lu needs -i (or --step)", count);
		count = 1;
	}

	take_sample(&prev);
	for (i = 0; i < nr_only; i++) {
		size_t k;

		for (k = 0; k < prev.n && strcmp(prev.devs[k].name, only[i]); k++)
			;
		if (k == prev.n)
			die("%s: no such device under %s", only[i], root);
	}
	if (!prev.n)
		die("no mydemo device under %s (is the module loaded?)", root);
	report_totals(&prev);

	next = prev.mono;
	for (seq = 1; !count || seq < count; seq++) {
		if (step) {
			if (!next_step())
				break;
		} else {
			/*
			 * A fixed cadence; after a stall (SIGSTOP, a busy
			 * host) the next sample comes at once, and its rates
			 * are over the time that really went by.
			 */
			next += interval;
			if (next < now(CLOCK_MONOTONIC))
				next = now(CLOCK_MONOTONIC);
			sleep_until(next);
		}
		take_sample(&cur);
		if (!json)
			putchar('\n');
		report_interval(&prev, &cur, seq);
		free(prev.devs);
		prev = cur;
	}
	free(prev.devs);
	return 0;
}
