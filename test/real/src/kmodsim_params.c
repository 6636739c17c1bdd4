// SPDX-License-Identifier: GPL-2.0
/*
 * One parameter of every standard type, with descriptions and a mix of
 * permissions (0 = no sysfs file).
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>

static int p_int = -1;
module_param(p_int, int, 0644);
MODULE_PARM_DESC(p_int, "an int");

static unsigned int p_uint = 1;
module_param(p_uint, uint, 0444);
MODULE_PARM_DESC(p_uint, "an unsigned int");

static long p_long = -2;
module_param(p_long, long, 0644);
MODULE_PARM_DESC(p_long, "a long");

static unsigned long p_ulong = 2;
module_param(p_ulong, ulong, 0444);
MODULE_PARM_DESC(p_ulong, "an unsigned long");

static short p_short = -3;
module_param(p_short, short, 0644);
MODULE_PARM_DESC(p_short, "a short");

static unsigned short p_ushort = 3;
module_param(p_ushort, ushort, 0444);
MODULE_PARM_DESC(p_ushort, "an unsigned short");

static bool p_bool = true;
module_param(p_bool, bool, 0644);
MODULE_PARM_DESC(p_bool, "a bool");

static bool p_invbool;
module_param(p_invbool, invbool, 0444);
MODULE_PARM_DESC(p_invbool, "an inverted bool");

static char *p_charp = "default";
module_param(p_charp, charp, 0644);
MODULE_PARM_DESC(p_charp, "a string pointer");

static unsigned char p_byte = 7;
module_param(p_byte, byte, 0444);
MODULE_PARM_DESC(p_byte, "a byte");

static unsigned int p_hexint = 0xff;
module_param(p_hexint, hexint, 0600);
MODULE_PARM_DESC(p_hexint, "an unsigned int shown in hex");

static char p_string[16] = "abc";
module_param_string(p_string, p_string, sizeof(p_string), 0644);
MODULE_PARM_DESC(p_string, "a string copied into a 16-byte buffer");

static int p_ints[4];
static int p_ints_n;
module_param_array(p_ints, int, &p_ints_n, 0444);
MODULE_PARM_DESC(p_ints, "up to 4 ints");

static char *p_charps[3];
static int p_charps_n;
module_param_array(p_charps, charp, &p_charps_n, 0444);
MODULE_PARM_DESC(p_charps, "up to 3 string pointers");

static bool p_bools[2];
module_param_array(p_bools, bool, NULL, 0);
MODULE_PARM_DESC(p_bools, "2 bools, no sysfs file");

static int __init kmodsim_params_init(void)
{
	pr_info("kmodsim_params: int=%d uint=%u long=%ld ulong=%lu short=%hd ushort=%hu bool=%d invbool=%d charp=%s byte=%u hexint=%#x string=%s ints=%d charps=%d bools=%d,%d\n",
		p_int, p_uint, p_long, p_ulong, p_short, p_ushort, p_bool,
		p_invbool, p_charp, p_byte, p_hexint, p_string, p_ints_n,
		p_charps_n, p_bools[0], p_bools[1]);
	return 0;
}
module_init(kmodsim_params_init);

static void __exit kmodsim_params_exit(void)
{
}
module_exit(kmodsim_params_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodsim test module with parameters of every standard type");
