// SPDX-License-Identifier: GPL-2.0
/*
 * mydemo: a character device driver with a byte fifo per minor, written as
 * the textbook "mydemo" driver should have been.
 *
 * This file: module parameters, the class, and the lifetime of devices.
 *
 * Lifetime (after drivers/gnss/core.c): a struct mydemo_dev embeds its
 * struct device and struct cdev. cdev_device_add() makes the cdev hold a
 * reference on the device, and every open file holds the cdev, so removal
 * (mydemo_dev_destroy()) only unpublishes the device and marks it dead; the
 * device's release callback frees it when the last file is closed.
 *
 * Removal holds mydemo_devs_lock only to claim the minor (mydemo_claim())
 * and to give it back: the removal itself may wait (debugfs and sysfs
 * readers, the interrupt source's bottom half, which waits for a writer
 * that may be inside a slow copy from user space), and that must hold up
 * neither the sleepers of the device, which are woken first, nor
 * new_device and del_device of the other minors.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "compat.h"
#include "mydemo.h"
#include "notify.h"

/* The one file that instantiates the tracepoints of trace.h. */
#define CREATE_TRACE_POINTS
#include "trace.h"

static unsigned int ndevices = 8;
module_param(ndevices, uint, 0444);
MODULE_PARM_DESC(ndevices, "Devices created at load, 1..256. Default: 8");

static unsigned int fifo_size = 65536;
module_param(fifo_size, uint, 0444);
MODULE_PARM_DESC(fifo_size,
		 "Fifo bytes per device: a power of two in 64..4194304; other values fail the load with -EINVAL. Default: 65536");

static ushort mode = 0600;
module_param(mode, ushort, 0444);
MODULE_PARM_DESC(mode, "Permission bits of the /dev/mydemoN nodes, at most 0777. Default: 0600");

static dev_t mydemo_devt;
/*
 * Devices by minor. mydemo_devs_lock serialises the changes of the xarray,
 * of each device's @removing flag and of mydemo_closing; a device stays in
 * the xarray while it is being removed, so that its minor is not reused
 * before its name and node are gone.
 */
static DEFINE_XARRAY(mydemo_devs);
static DEFINE_MUTEX(mydemo_devs_lock);
static bool mydemo_closing;

static char *mydemo_devnode(MYDEMO_DEVNODE_CONST struct device *dev,
			    umode_t *m)
{
	if (m)
		*m = mode;
	return NULL;
}

/* Defined below its class attributes, which create devices of the class. */
static MYDEMO_CLASS_CONST struct class mydemo_class;

static void mydemo_dev_release(struct device *dev)
{
	struct mydemo_dev *md = to_mydemo_dev(dev);

	mydemo_fifo_free(&md->fifo);
	kfree(md);
}

/* Called with mydemo_devs_lock held. */
static int mydemo_dev_create(unsigned int minor)
{
	struct mydemo_dev *md;
	int ret;

	md = kzalloc(sizeof(*md), GFP_KERNEL);
	if (!md)
		return -ENOMEM;
	ret = mydemo_fifo_init(&md->fifo, fifo_size);
	if (ret) {
		kfree(md);
		return ret;
	}
	mutex_init(&md->read_mutex);
	mutex_init(&md->write_mutex);
	mutex_init(&md->fasync_mutex);
	init_waitqueue_head(&md->read_wait);
	init_waitqueue_head(&md->write_wait);
	init_waitqueue_head(&md->read_poll);
	init_waitqueue_head(&md->write_poll);
	u64_stats_init(&md->rstats.syncp);
	u64_stats_init(&md->wstats.syncp);
	spin_lock_init(&md->files_lock);
	INIT_LIST_HEAD(&md->files);
	mydemo_fault_init(md);
	mydemo_irq_init(md);

	/* From here on put_device() frees everything, fifo included. */
	device_initialize(&md->dev);
	md->dev.class = &mydemo_class;
	md->dev.devt = MKDEV(MAJOR(mydemo_devt), minor);
	md->dev.release = mydemo_dev_release;
	ret = dev_set_name(&md->dev, "mydemo%u", minor);
	if (ret)
		goto err_put;

	cdev_init(&md->cdev, &mydemo_fops);
	md->cdev.owner = THIS_MODULE;

	ret = xa_insert(&mydemo_devs, minor, md, GFP_KERNEL);
	if (ret) {
		if (ret == -EBUSY)
			ret = -EEXIST;
		goto err_put;
	}
	ret = cdev_device_add(&md->cdev, &md->dev);
	if (ret)
		goto err_erase;
	mydemo_debugfs_add(md);
	trace_mydemo_device_add(md, fifo_size);
	dev_dbg(&md->dev, "created, fifo %u bytes\n", fifo_size);
	return 0;

err_erase:
	xa_erase(&mydemo_devs, minor);
err_put:
	put_device(&md->dev);
	return ret;
}

/*
 * Take a device out of reach of another removal: the first device from
 * @minor on that nobody is removing yet, or NULL.
 */
static struct mydemo_dev *mydemo_claim(unsigned long minor, unsigned long max)
{
	struct mydemo_dev *md, *found = NULL;

	/* No guard(): the driver builds on 6.1, older than cleanup.h. */
	mutex_lock(&mydemo_devs_lock);
	xa_for_each_range(&mydemo_devs, minor, md, minor, max) {
		if (!md->removing) {
			md->removing = true;
			found = md;
			break;
		}
	}
	mutex_unlock(&mydemo_devs_lock);
	return found;
}

/* Remove a device claimed with mydemo_claim(); no global lock is held. */
static void mydemo_dev_destroy(struct mydemo_dev *md)
{
	dev_dbg(&md->dev, "removing\n");
	/* Sleepers and pollers first: nothing below may delay them. */
	mydemo_disconnect(md);
	if (trace_mydemo_device_remove_enabled())
		trace_mydemo_device_remove(md, mydemo_fifo_size(&md->fifo));
	/* debugfs waits for its readers: none uses @md after this. */
	mydemo_debugfs_remove(md);
	cdev_device_del(&md->cdev, &md->dev);
	/* May wait for the bottom half, which may wait for a writer. */
	mydemo_irq_remove(md);

	mutex_lock(&mydemo_devs_lock);
	xa_erase(&mydemo_devs, mydemo_minor(md));
	mutex_unlock(&mydemo_devs_lock);
	put_device(&md->dev);
}

static void mydemo_destroy_all(void)
{
	struct mydemo_dev *md;

	mutex_lock(&mydemo_devs_lock);
	mydemo_closing = true;
	mutex_unlock(&mydemo_devs_lock);
	/*
	 * A device that a concurrent del_device is removing is skipped here;
	 * class_unregister() then waits for that del_device to return.
	 */
	while ((md = mydemo_claim(0, ULONG_MAX)))
		mydemo_dev_destroy(md);
}

static int mydemo_parse_minor(const char *buf, unsigned int *minor)
{
	int ret = kstrtouint(buf, 0, minor);

	if (ret)
		return ret;
	return *minor < MYDEMO_MAX_DEVICES ? 0 : -EINVAL;
}

static ssize_t new_device_store(MYDEMO_CLASS_CONST struct class *class,
				MYDEMO_CLASS_CONST struct class_attribute *attr,
				const char *buf, size_t count)
{
	unsigned int minor;
	int ret;

	ret = mydemo_parse_minor(buf, &minor);
	if (ret)
		return ret;
	mutex_lock(&mydemo_devs_lock);
	ret = mydemo_closing ? -ENODEV : mydemo_dev_create(minor);
	mutex_unlock(&mydemo_devs_lock);
	return ret ? ret : count;
}
static CLASS_ATTR_WO(new_device);

static ssize_t del_device_store(MYDEMO_CLASS_CONST struct class *class,
				MYDEMO_CLASS_CONST struct class_attribute *attr,
				const char *buf, size_t count)
{
	struct mydemo_dev *md;
	unsigned int minor;
	int ret;

	ret = mydemo_parse_minor(buf, &minor);
	if (ret)
		return ret;
	md = mydemo_claim(minor, minor);
	if (!md)
		return -ENODEV;
	mydemo_dev_destroy(md);
	return count;
}
static CLASS_ATTR_WO(del_device);

static struct attribute *mydemo_class_attrs[] = {
	&class_attr_new_device.attr,
	&class_attr_del_device.attr,
	NULL
};
ATTRIBUTE_GROUPS(mydemo_class);

static MYDEMO_CLASS_CONST struct class mydemo_class = {
	.name		= "mydemo",
	.devnode	= mydemo_devnode,
	.class_groups	= mydemo_class_groups,
	.dev_groups	= mydemo_dev_groups,
};

static int __init mydemo_init(void)
{
	unsigned int i;
	int ret;

	if (!ndevices || ndevices > MYDEMO_MAX_DEVICES) {
		pr_err("ndevices=%u: must be 1..%u\n", ndevices, MYDEMO_MAX_DEVICES);
		return -EINVAL;
	}
	if (!mydemo_fifo_size_valid(fifo_size)) {
		pr_err("fifo_size=%u: must be a power of two in %u..%u\n",
		       fifo_size, MYDEMO_FIFO_MIN, MYDEMO_FIFO_MAX);
		return -EINVAL;
	}
	if (mode & ~0777) {
		pr_err("mode=%#o: only permission bits (0777) are allowed\n", mode);
		return -EINVAL;
	}

	mydemo_stats_init();
	ret = alloc_chrdev_region(&mydemo_devt, 0, MYDEMO_MAX_DEVICES, "mydemo");
	if (ret)
		return ret;
	ret = class_register(&mydemo_class);
	if (ret)
		goto err_region;
	mydemo_debugfs_init();

	mutex_lock(&mydemo_devs_lock);
	for (i = 0; i < ndevices; i++) {
		ret = mydemo_dev_create(i);
		if (ret)
			break;
	}
	mutex_unlock(&mydemo_devs_lock);
	if (ret)
		goto err_devices;
	return 0;

err_devices:
	mydemo_destroy_all();
	mydemo_debugfs_exit();
	class_unregister(&mydemo_class);
err_region:
	unregister_chrdev_region(mydemo_devt, MYDEMO_MAX_DEVICES);
	return ret;
}

static void __exit mydemo_exit(void)
{
	mydemo_destroy_all();
	mydemo_debugfs_exit();
	class_unregister(&mydemo_class);
	unregister_chrdev_region(mydemo_devt, MYDEMO_MAX_DEVICES);
	xa_destroy(&mydemo_devs);
}

module_init(mydemo_init);
module_exit(mydemo_exit);

MODULE_DESCRIPTION("mydemo: fifo character devices with blocking I/O, poll and SIGIO");
MODULE_AUTHOR("The mydemo developers");
MODULE_LICENSE("GPL");
