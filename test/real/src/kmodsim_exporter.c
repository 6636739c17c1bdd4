// SPDX-License-Identifier: GPL-2.0
/*
 * Exports one symbol of each kind: plain, GPL-only, namespaced (KMODSIM_NS)
 * and namespaced GPL-only, plus a plain data symbol.
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/kernel.h>

int kmodsim_counter;
EXPORT_SYMBOL(kmodsim_counter);

int kmodsim_plain_fn(int x)
{
	return x + 1;
}
EXPORT_SYMBOL(kmodsim_plain_fn);

int kmodsim_gpl_fn(int x)
{
	return x + 2;
}
EXPORT_SYMBOL_GPL(kmodsim_gpl_fn);

int kmodsim_ns_fn(int x)
{
	return x + 3;
}
EXPORT_SYMBOL_NS(kmodsim_ns_fn, KMODSIM_NS);

int kmodsim_ns_gpl_fn(int x)
{
	return x + 4;
}
EXPORT_SYMBOL_NS_GPL(kmodsim_ns_gpl_fn, KMODSIM_NS);

static int __init kmodsim_exporter_init(void)
{
	return 0;
}
module_init(kmodsim_exporter_init);

static void __exit kmodsim_exporter_exit(void)
{
}
module_exit(kmodsim_exporter_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodsim");
MODULE_DESCRIPTION("kmodsim test exporter: plain, GPL and namespaced exports");
MODULE_VERSION("1.0");
