// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test module with LTP's dummy_del_mod.ko behaviour: exports dummy_func_test
 * (used by dummy_del_mod_dep.ko); init creates /proc/dummy_del_mod, exit
 * removes it.
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>

#define DIRNAME "dummy_del_mod"

int dummy_func_test(void)
{
	return 0;
}
EXPORT_SYMBOL(dummy_func_test);

static int __init dummy_init(void)
{
	proc_mkdir(DIRNAME, NULL);
	return 0;
}
module_init(dummy_init);

static void __exit dummy_exit(void)
{
	remove_proc_entry(DIRNAME, NULL);
}
module_exit(dummy_exit);

MODULE_LICENSE("GPL");
