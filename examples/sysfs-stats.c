// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs-stats: the driver's counters in /sys/class/mydemo/mydemoN/statistics/.
 *
 *   sysfs-stats [DEVICE]     (default /dev/mydemo0)
 *
 * Each counter is a file holding one number, readable by anyone: no ioctl,
 * no open file on the device needed (cat works too). The program finds the
 * device's directory from the node's minor number, reads every counter,
 * writes and reads 10 bytes, and prints each counter before, after and the
 * difference. The directory is listed, not hard-coded: a newer driver with
 * more counters shows them all.
 * Give it a device nobody else is using.
 */
#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define MAX_COUNTERS	64

static char names[MAX_COUNTERS][256];
static unsigned long long before[MAX_COUNTERS], after[MAX_COUNTERS];

/* One counter: a decimal number and a newline. */
static unsigned long long read_counter(const char *dir, const char *name)
{
	unsigned long long v;
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		err(1, "%s", path);
	if (fscanf(f, "%llu", &v) != 1)
		errx(1, "%s: not a number", path);
	if (fclose(f))
		err(1, "%s", path);
	return v;
}

/* Each regular file in @dir, in alphabetical order; returns how many. */
static int list_counters(const char *dir)
{
	struct dirent **ents;
	int n, i, count = 0;

	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		err(1, "%s", dir);
	for (i = 0; i < n; i++) {
		if (ents[i]->d_type == DT_REG && count < MAX_COUNTERS)
			snprintf(names[count++], sizeof(names[0]), "%s",
				 ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	return count;
}

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/mydemo0";
	char sysdir[128], statdir[160], devnum[160];
	unsigned int maj, min;
	struct stat st;
	char buf[10];
	int fd, n, i;
	FILE *f;

	/*
	 * The driver names the device with minor N "mydemoN", whatever the
	 * node in /dev is called; its "dev" file holds MAJOR:MINOR, which
	 * must be the node's.
	 */
	if (stat(dev, &st))
		err(1, "stat %s", dev);
	if (!S_ISCHR(st.st_mode))
		errx(1, "%s is not a character device", dev);
	snprintf(sysdir, sizeof(sysdir), "/sys/class/mydemo/mydemo%u",
		 minor(st.st_rdev));
	snprintf(devnum, sizeof(devnum), "%s/dev", sysdir);
	f = fopen(devnum, "r");
	if (!f)
		err(1, "%s", devnum);
	if (fscanf(f, "%u:%u", &maj, &min) != 2 || fclose(f))
		errx(1, "%s: unreadable", devnum);
	if (maj != major(st.st_rdev) || min != minor(st.st_rdev))
		errx(1, "%s is not a mydemo device", dev);
	snprintf(statdir, sizeof(statdir), "%s/statistics", sysdir);

	n = list_counters(statdir);
	for (i = 0; i < n; i++)
		before[i] = read_counter(statdir, names[i]);

	/* Some I/O, so that counters move. */
	fd = open(dev, O_RDWR | O_NONBLOCK);
	if (fd < 0)
		err(1, "open %s", dev);
	memset(buf, 'x', sizeof(buf));
	if (write(fd, buf, sizeof(buf)) != sizeof(buf))
		err(1, "write");
	if (read(fd, buf, sizeof(buf)) != sizeof(buf))
		err(1, "read");
	if (close(fd))
		err(1, "close");

	for (i = 0; i < n; i++)
		after[i] = read_counter(statdir, names[i]);

	printf("%s:\n", statdir);
	printf("%-16s %12s %12s %8s\n", "counter", "before", "after", "change");
	for (i = 0; i < n; i++)
		printf("%-16s %12llu %12llu %+8lld\n", names[i], before[i],
		       after[i], (long long)(after[i] - before[i]));
	return 0;
}
