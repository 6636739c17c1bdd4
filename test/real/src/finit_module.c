// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test module with LTP's finit_module.ko behaviour: one string parameter,
 * "status"; init fails with -EINVAL when it is "invalid", otherwise creates
 * /proc/dummy_finit, which exit removes.
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>
#include <linux/string.h>

#define DIRNAME "dummy_finit"

static char status[20];
module_param_string(status, status, 20, 0444);

static int dummy_init(void)
{
	if (!strcmp(status, "invalid"))
		return -EINVAL;
	proc_mkdir(DIRNAME, NULL);
	return 0;
}
module_init(dummy_init);

static void dummy_exit(void)
{
	remove_proc_entry(DIRNAME, NULL);
}
module_exit(dummy_exit);

MODULE_LICENSE("GPL");
