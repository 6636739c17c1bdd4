// SPDX-License-Identifier: GPL-2.0
/*
 * A module whose init fails with -ENODEV, as a driver that finds no device.
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/kernel.h>

static int __init kmodsim_enodev_init(void)
{
	return -ENODEV;
}
module_init(kmodsim_enodev_init);

static void __exit kmodsim_enodev_exit(void)
{
}
module_exit(kmodsim_enodev_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodsim test module whose init returns -ENODEV");
