// SPDX-License-Identifier: MIT
/*
 * A module under a non-GPL license that uses kmodsim_exporter's plain export
 * (allowed) and its GPL-only export (refused by the kernel: "Unknown symbol").
 * modpost refuses to link a GPL-only symbol into a non-GPL module, so this
 * is built in a second pass that sees only the exporter's non-GPL symbols.
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/kernel.h>

extern int kmodsim_plain_fn(int x);
extern int kmodsim_gpl_fn(int x);

static int __init kmodsim_proprietary_init(void)
{
	return kmodsim_plain_fn(0) + kmodsim_gpl_fn(0) > 0 ? 0 : -EINVAL;
}
module_init(kmodsim_proprietary_init);

static void __exit kmodsim_proprietary_exit(void)
{
}
module_exit(kmodsim_proprietary_exit);

MODULE_LICENSE("Proprietary");
MODULE_DESCRIPTION("kmodsim test module: non-GPL user of a GPL-only symbol");
