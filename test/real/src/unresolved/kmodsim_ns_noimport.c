// SPDX-License-Identifier: GPL-2.0
/*
 * Uses kmodsim_exporter's namespaced symbol without MODULE_IMPORT_NS, which
 * the kernel refuses ("uses symbol ... from namespace KMODSIM_NS, but does not
 * import it", -EINVAL). modpost refuses it too unless KBUILD_NSDEPS is set,
 * so it is built in the second pass.
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/kernel.h>

extern int kmodsim_ns_fn(int x);

static int __init kmodsim_ns_noimport_init(void)
{
	return kmodsim_ns_fn(0) > 0 ? 0 : -EINVAL;
}
module_init(kmodsim_ns_noimport_init);

static void __exit kmodsim_ns_noimport_exit(void)
{
}
module_exit(kmodsim_ns_noimport_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodsim test module: uses a namespaced export without importing the namespace");
