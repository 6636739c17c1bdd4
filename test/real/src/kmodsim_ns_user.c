// SPDX-License-Identifier: GPL-2.0
/*
 * Uses every export of kmodsim_exporter, importing its namespace.
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/kernel.h>

extern int kmodsim_counter;
extern int kmodsim_plain_fn(int x);
extern int kmodsim_gpl_fn(int x);
extern int kmodsim_ns_fn(int x);
extern int kmodsim_ns_gpl_fn(int x);

static int __init kmodsim_ns_user_init(void)
{
	kmodsim_counter += kmodsim_plain_fn(0) + kmodsim_gpl_fn(0) +
			   kmodsim_ns_fn(0) + kmodsim_ns_gpl_fn(0);
	return 0;
}
module_init(kmodsim_ns_user_init);

static void __exit kmodsim_ns_user_exit(void)
{
}
module_exit(kmodsim_ns_user_exit);

MODULE_IMPORT_NS(KMODSIM_NS);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodsim test user of kmodsim_exporter's namespaced exports");
