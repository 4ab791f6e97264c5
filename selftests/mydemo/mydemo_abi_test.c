// SPDX-License-Identifier: GPL-2.0
/*
 * Every sysfs and debugfs file mydemo creates is documented in
 * Documentation/ABI/testing/sysfs-class-mydemo and debugfs-mydemo
 * (installed next to this test), and every documented file exists: lists
 * the real files of the class and of one device and compares them with the
 * "What:" lines. Files of the driver core (uevent, dev, power/) are
 * documented upstream. An entry whose description says "Only with
 * CONFIG_..." may be missing (the kernel lacks that option); a directory
 * documented as "dir/" is one entry, its files are the kernel's.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "mydemo_util.h"

#define MAX_FILES	128
#define DEBUGFS		"/sys/kernel/debug/mydemo"

struct names {
	int n;
	char name[MAX_FILES][600];
	int optional[MAX_FILES];
};

static void add(struct names *s, const char *name)
{
	if (s->n < MAX_FILES)
		snprintf(s->name[s->n++], sizeof(s->name[0]), "%s", name);
}

static int has(const struct names *s, const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return 1;
	return 0;
}

/* The "What:" lines of an ABI file; 0 when it is not installed. */
static int read_abi(struct names *doc, const char *file)
{
	char line[512], what[512];
	FILE *f = fopen(file, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "What: %511s", what) == 1)
			add(doc, what);
		else if (doc->n && strstr(line, "Only with CONFIG_"))
			doc->optional[doc->n - 1] = 1;
	}
	fclose(f);
	return 1;
}

/* Regular files under @dir (and @depth levels below), named @prefix/... */
static void list_files(struct names *s, const char *dir, const char *prefix,
		       int depth)
{
	char path[1200], name[600];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "uevent") ||
		    !strcmp(de->d_name, "dev") || !strcmp(de->d_name, "power"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(name, sizeof(name), "%s/%s", prefix, de->d_name);
		if (lstat(path, &st))
			continue;
		if (S_ISREG(st.st_mode)) {
			add(s, name);
		} else if (S_ISDIR(st.st_mode) && depth > 0) {
			list_files(s, path, name, depth - 1);
		} else if (S_ISDIR(st.st_mode)) {
			strcat(name, "/");
			add(s, name);
		}
	}
	closedir(d);
}

static void compare(struct __test_metadata *_metadata,
		    const struct names *real, const struct names *doc)
{
	int i;

	ASSERT_LT(0, real->n);
	/* Braces: EXPECT_*() TH_LOG() expands to more than one statement. */
	for (i = 0; i < real->n; i++) {
		EXPECT_TRUE(has(doc, real->name[i]))
			TH_LOG("undocumented: %s", real->name[i]);
	}
	for (i = 0; i < doc->n; i++) {
		EXPECT_TRUE(doc->optional[i] || has(real, doc->name[i]))
			TH_LOG("documented but missing: %s", doc->name[i]);
	}
}

TEST(sysfs_documented)
{
	static struct names real, doc;

	if (!read_abi(&doc, "sysfs-class-mydemo"))
		SKIP(return, "sysfs-class-mydemo is not installed next to the test");
	ASSERT_LT(0, doc.n);
	if (access(MYDEMO_SYSFS "/mydemo0", F_OK))
		SKIP(return, "mydemo0 does not exist");
	/* The class's own files, then one device's, named as in the ABI. */
	list_files(&real, MYDEMO_SYSFS, MYDEMO_SYSFS, 0);
	list_files(&real, MYDEMO_SYSFS "/mydemo0", MYDEMO_SYSFS "/mydemoN", 1);
	compare(_metadata, &real, &doc);
}

TEST(debugfs_documented)
{
	static struct names real, doc;

	if (!read_abi(&doc, "debugfs-mydemo"))
		SKIP(return, "debugfs-mydemo is not installed next to the test");
	ASSERT_LT(0, doc.n);
	if (access(DEBUGFS "/mydemo0", F_OK))
		SKIP(return, "%s/mydemo0 does not exist (debugfs not mounted?)",
		     DEBUGFS);
	list_files(&real, DEBUGFS "/mydemo0", DEBUGFS "/mydemoN", 0);
	compare(_metadata, &real, &doc);
}

TEST_HARNESS_MAIN
