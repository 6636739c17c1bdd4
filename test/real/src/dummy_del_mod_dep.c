// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test module with LTP's dummy_del_mod_dep.ko behaviour: its init calls
 * dummy_func_test from dummy_del_mod.ko, so loading it makes dummy_del_mod
 * busy (holders/dummy_del_mod_dep, refcnt 1).
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/kernel.h>

extern int dummy_func_test(void);

static int __init dummy_init(void)
{
	dummy_func_test();
	return 0;
}
module_init(dummy_init);

static void __exit dummy_exit(void)
{
}
module_exit(dummy_exit);

MODULE_LICENSE("GPL");
