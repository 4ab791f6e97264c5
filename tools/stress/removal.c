// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo-stress: the removal phase (see main.c).
 */
#include "stress.h"

/* ------------------------------------------------------------------ */
/* Removal races. */

#define RM_FIRST	150
#define RM_COUNT	10

/* An errno the removal races may legitimately produce. */
static int expected_gone(int e)
{
	return e == ENODEV || e == ENOENT || e == ENXIO || e == EAGAIN ||
	       e == EINTR;
}

/*
 * A user of devices that come and go: open, then a random mix of reads,
 * writes, polls, blocking calls (woken by the removal), SIGIO on and off,
 * ioctls, close. Only "gone" errors are expected.
 */
static void rm_user(long devs)
{
	struct sigaction sa = { .sa_handler = count_sig };
	unsigned char buf[512];
	struct mydemo_info info;
	struct pollfd p;
	int fd, minor, i, ops, level;
	ssize_t n;

	sigaction(SIGIO, &sa, NULL);
	memset(buf, 0x5a, sizeof(buf));
	/* The removers get the CPU first: more cycles for the same races. */
	if (nice(10) < 0)
		die("nice");
	while (!stopping()) {
		minor = devs ? (int)(rnd() % 8) : RM_FIRST + rnd() % RM_COUNT;
		/*
		 * Blocking calls only on the devices that get removed (which
		 * wakes them): on mydemo0..7 a sleeper would keep rmmod out.
		 */
		fd = open_dev(minor, O_RDWR |
			      ((devs || rnd() % 2) ? O_NONBLOCK : 0));
		add(&sh->ops, 1);
		if (fd < 0) {
			if (!expected_gone(errno))
				bad(devs ? P_MODULE : P_REMOVAL, "open mydemo%d: %s",
				    minor, strerror(errno));
			sched_yield();
			continue;
		}
		ops = 1 + rnd() % 8;
		for (i = 0; i < ops; i++) {
			n = 0;
			switch (rnd() % 6) {
			case 0:
				n = write(fd, buf, 1 + rnd() % sizeof(buf));
				break;
			case 1:
				n = read(fd, buf, sizeof(buf));
				break;
			case 2:
				p = (struct pollfd){ .fd = fd,
						     .events = POLLIN | POLLOUT };
				n = poll(&p, 1, 0);
				break;
			case 3:
				n = fcntl(fd, F_SETOWN, getpid());
				if (!n)
					n = fcntl(fd, F_SETFL,
						  fcntl(fd, F_GETFL) ^ O_ASYNC);
				break;
			case 4:
				n = ioctl(fd, MYDEMO_IOC_GET_INFO, &info);
				break;
			default:
				n = ioctl(fd, FIONREAD, &level);
				break;
			}
			add(&sh->ops, 1);
			if (n < 0 && !expected_gone(errno))
				bad(devs ? P_MODULE : P_REMOVAL, "mydemo%d: %s",
				    minor, strerror(errno));
		}
		close(fd);
	}
	add(&sh->sigio, sigs_caught());
}

/*
 * Delete and re-add devices at random; EEXIST/ENODEV: the other remover.
 * Half the devices created get their interrupt source switched on (up to
 * its highest rate), so removals also race a running source and a bottom
 * half that waits for the write mutex of a device being removed.
 */
static void rm_remover(long unused)
{
	char path[160], rate[16];
	int minor, ret;

	while (!stopping()) {
		minor = RM_FIRST + rnd() % RM_COUNT;
		ret = class_op("del", minor);
		if (!ret)
			add(&sh->cycles, 1);
		else if (ret != -ENODEV)
			bad(P_REMOVAL, "del_device %d: %s", minor, strerror(-ret));
		minor = RM_FIRST + rnd() % RM_COUNT;
		ret = class_op("new", minor);
		if (ret && ret != -EEXIST)
			bad(P_REMOVAL, "new_device: %s", strerror(-ret));
		if (!ret && rnd() % 2) {
			path_of(path, sizeof(path), minor, "irq_rate");
			snprintf(rate, sizeof(rate), "%u",
				 rnd() % 2 ? 10000 : 1 + (unsigned int)(rnd() % 10000));
			/* The other remover may have taken it meanwhile. */
			ret = mydemo_write_str(path, rate);
			if (ret && ret != -ENOENT && ret != -ENODEV)
				bad(P_REMOVAL, "%s: %s", path, strerror(-ret));
			add(&sh->ops, 1);
		}
		add(&sh->ops, 2);
	}
}

/* sysfs and debugfs files of devices that come and go. */
static void rm_prober(long unused)
{
	char path[160], buf[4096];
	int minor;
	ssize_t n;

	if (nice(10) < 0)
		die("nice");
	while (!stopping()) {
		minor = RM_FIRST + rnd() % RM_COUNT;
		path_of(path, sizeof(path), minor, "stat");
		n = mydemo_read_file(path, buf, sizeof(buf));
		if (n <= 0 && n != -ENOENT && n != -ENODEV)
			bad(P_REMOVAL, "read %s: %zd", path, n);
		snprintf(path, sizeof(path), DEBUGFS "/mydemo%d/state", minor);
		n = mydemo_read_file(path, buf, sizeof(buf));
		if (n <= 0 && n != -ENOENT && n != -EIO)
			bad(P_REMOVAL, "read %s: %zd", path, n);
		add(&sh->ops, 2);
	}
}

static int delete_module(int flags)
{
	return syscall(SYS_delete_module, "mydemo", flags) ? -errno : 0;
}

static int load_module(const char *params)
{
	int fd, ret;

	fd = open(MODULE_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* The module's parameters now, to load it again as it was. */
static void module_params(char *buf, size_t len)
{
	static const char *const names[] = { "ndevices", "fifo_size", "mode" };
	char path[128], v[32];
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/sys/module/mydemo/parameters/%s",
			 names[i]);
		if (mydemo_read_file(path, v, sizeof(v)) <= 0)
			continue;
		v[strcspn(v, "\n")] = '\0';
		off += snprintf(buf + off, len - off, "%s%s=%s", off ? " " : "",
				names[i], v);
	}
}

/*
 * rmmod with a file open must fail (EAGAIN/EBUSY, mydemo stays), and
 * succeed once it is closed, while other processes open and use
 * /dev/mydemo0..7 as fast as they can.
 */
static void module_cycles(int cycles)
{
	char params[128], c;
	pid_t holder, users[2];
	int i, ret, fd, tries, hold[2], go[2];

	module_params(params, sizeof(params));
	__atomic_store_n(&sh->stop, 0, __ATOMIC_RELEASE);
	users[0] = spawn(rm_user, 1);
	users[1] = spawn(rm_user, 1);
	for (i = 0; i < cycles; i++) {
		if (pipe(hold) || pipe(go))
			die("pipe");
		holder = fork();
		if (holder < 0)
			die("fork");
		if (!holder) {
			fd = open_dev(0, O_RDONLY);
			c = fd < 0 ? 'x' : 'o';
			if (write(hold[1], &c, 1) != 1 || read(go[0], &c, 1) < 0)
				_exit(1);
			_exit(fd < 0);
		}
		/* The holder has the file open: rmmod must be refused. */
		if (read(hold[0], &c, 1) != 1 || c != 'o') {
			bad(P_MODULE, "cycle %d: the holder could not open mydemo0", i);
		} else {
			ret = delete_module(O_NONBLOCK);
			if (ret != -EAGAIN && ret != -EBUSY)
				bad(P_MODULE, "cycle %d: rmmod with a file open: %s",
				    i, ret ? strerror(-ret) : "succeeded");
		}
		if (write(go[1], "x", 1) != 1)
			die("pipe write");
		reap(holder, 0, P_MODULE);
		close(hold[0]);
		close(hold[1]);
		close(go[0]);
		close(go[1]);
		/* Refused while a user has a file open for a moment. */
		for (tries = 0; tries < 100000; tries++) {
			ret = delete_module(O_NONBLOCK);
			if (ret != -EAGAIN && ret != -EBUSY)
				break;
			sched_yield();
		}
		if (ret) {
			bad(P_MODULE, "cycle %d: rmmod: %s", i, strerror(-ret));
			break;
		}
		ret = load_module(params);
		if (ret) {
			bad(P_MODULE, "cycle %d: insmod %s: %s", i, params,
			    strerror(-ret));
			break;
		}
		if (access("/dev/mydemo0", F_OK))
			bad(P_MODULE, "cycle %d: no /dev/mydemo0 after insmod", i);
		add(&sh->reloads, 1);
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	reap(users[0], 0, P_MODULE);
	reap(users[1], 0, P_MODULE);
	if (!sh->reloads)
		bad(P_MODULE, "no reload cycle");
}

/* A cycle costs tens of ms under TCG: the long form gets thousands. */
unsigned int removal_secs(void)
{
	return short_mode ? duration / 2 : duration;
}

void phase_removal(void)
{
	pid_t users[6], others[3];
	int i, nu = short_mode ? 3 : 6, no = 0;
	uint64_t target = short_mode ? 1000 : 20000;
	double t0 = now();
	double end;

	__atomic_store_n(&sh->stop, 0, __ATOMIC_RELEASE);
	for (i = 0; i < RM_COUNT; i++)
		fresh_device(RM_FIRST + i);
	for (i = 0; i < nu; i++)
		users[i] = spawn(rm_user, 0);
	others[no++] = spawn(rm_remover, 0);
	others[no++] = spawn(rm_remover, 0);
	others[no++] = spawn(rm_prober, 0);
	/* Until the cycle target, within the phase's time. */
	end = now() + removal_secs();
	while (__atomic_load_n(&sh->cycles, __ATOMIC_RELAXED) < target &&
	       now() < end)
		usleep(100000);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < no; i++)
		reap(others[i], 0, P_REMOVAL);
	/* Removing every device wakes the users asleep in one. */
	for (i = 0; i < RM_COUNT; i++)
		class_op("del", RM_FIRST + i);
	for (i = 0; i < nu; i++)
		reap(users[i], 0, P_REMOVAL);
	if (sh->cycles < 20)
		bad(P_REMOVAL, "only %llu removal cycles",
		    (unsigned long long)sh->cycles);
	printf("# removal: %llu del_device/new_device cycles in %.0f s\n",
	       (unsigned long long)sh->cycles, now() - t0);
	module_cycles(short_mode ? 10 : 50);
	printf("# removal: %llu rmmod/insmod cycles\n",
	       (unsigned long long)sh->reloads);
	sh->ran[P_REMOVAL] = 1;
	sh->ran[P_MODULE] = 1;
}
