/**
 * HP-UX DLKM ABI: `struct modstatus` / `struct modspecific_stat` byte layouts, `struct modwrapper` /
 * `struct modlink` / `struct mod_type_data` layouts, `MODREV`, `MAXPATHLEN`, module types, kcmodule states and
 * causes, and the `.modmeta` section name.
 *
 * Source: HP-UX modstat(2) (11.0, 11i v1, 11i v2, 11i v3), HP "Managing and Developing Dynamically Loadable
 * Kernel Modules" ch. 12 pp. 42–45 (`moddefs.h`: `MODREV`, `struct modwrapper`), HP-UX 9.x <sys/param.h>
 * (`MAXPATHLEN 1024`), kcmodule(1M) (states, causes). Values HP never published (`MODMAXLINK`,
 * `MODMAXLINKINFOLEN`, `MODMAXVERLEN`, `mss_type` codes) are marked INVENTED: the first two follow the SVR4.2 /
 * UnixWare DLKM HP-UX descends from, `MODMAXVERLEN` is the reference's proposal (hpux-dlkm.md §2.3, §14 item 5).
 *
 * Layout rules: LP64 (`long`, pointers and `time_t` are 8 bytes, `int` 4), natural alignment, **big-endian** —
 * HP-UX runs big-endian on both PA-RISC 2.0 and Itanium (IA-64 processes and the kernel run with PSR.be set), so
 * every multi-byte field below is stored most significant byte first. Offsets were computed by hand from the C
 * declarations in the modstat(2) page with those rules; the unit tests check each one.
 * @module
 */

// ---- Limits.

/** Longest path, including the NUL. Source: HP-UX <sys/param.h> `#define MAXPATHLEN 1024`. */
export const MAXPATHLEN = 1024;
/** Entries of `ms_msinfo[]`. INVENTED (UnixWare `MODMAXLINK 4`; HP's value is not public). */
export const MODMAXLINK = 4;
/** Size of `mss_linkinfo[]`. INVENTED (UnixWare `MODMAXLINKINFOLEN 81`; HP's value is not public). */
export const MODMAXLINKINFOLEN = 81;
/** Size of `ms_version[]` (11i v2+). INVENTED (hpux-dlkm.md §2.3 proposal; HP's value is not public). */
export const MODMAXVERLEN = 32;

// ---- The module wrapper (moddefs.h).

/** Wrapper revision the kernel accepts ("1.0 for HP-UX 11.0"). Source: moddefs.h `#define MODREV 10`. */
export const MODREV = 10;
/** Suffix of the wrapper variable: it must be named `<module_name>_wrapper`. Source: DLKM guide p. 42. */
export const MODWRAPPER_SUFFIX = '_wrapper';

/** Byte offsets in `struct modwrapper` (LP64). Source: moddefs.h as quoted in the DLKM guide p. 42. */
export const MODWRAPPER = {
  /** `int mw_rev` — must be {@link MODREV}. */
  mw_rev: 0,
  /** `int (*mw_load)()` (after 4 bytes of padding). */
  mw_load: 8,
  /** `int (*mw_unload)()`. */
  mw_unload: 16,
  /** `void (*mw_halt)()` — currently unused, NULL. */
  mw_halt: 24,
  /** `void *mw_conf_data` → `<name>_conf_data`. */
  mw_conf_data: 32,
  /** `struct modlink *mw_modlink` — NULL-terminated array. */
  mw_modlink: 40,
} as const;
/** `sizeof(struct modwrapper)` (LP64). */
export const SIZEOF_MODWRAPPER = 48;

/** Byte offsets in `struct modlink` (LP64). */
export const MODLINK = {
  /** `struct mod_operations *ml_ops` (NULL ends the array). */
  ml_ops: 0,
  /** `void *ml_type_data` → `struct mod_type_data`. */
  ml_type_data: 8,
} as const;
/** `sizeof(struct modlink)` (LP64). */
export const SIZEOF_MODLINK = 16;

/** Byte offsets in `struct mod_type_data` (LP64). */
export const MOD_TYPE_DATA = {
  /** `char *mtd_info` — "information string returned to modstat()". */
  mtd_info: 0,
  /** `void *mtd_pdata` — `streams_info_t *` for STREAMS, NULL otherwise. */
  mtd_pdata: 8,
} as const;
/** `sizeof(struct mod_type_data)` (LP64). */
export const SIZEOF_MOD_TYPE_DATA = 16;

// ---- struct modspecific_stat / struct modstatus.

/** Byte offsets in `struct modspecific_stat` (4-byte aligned). */
export const MODSPECIFIC_STAT = {
  /** `char mss_linkinfo[MODMAXLINKINFOLEN]`. */
  mss_linkinfo: 0,
  /** `int32_t mss_type` (after 3 bytes of padding). */
  mss_type: 84,
  /** `int32_t mss_p0[2]`. */
  mss_p0: 88,
  /** `int32_t mss_p1[2]`. */
  mss_p1: 96,
} as const;
/** `sizeof(struct modspecific_stat)`. */
export const SIZEOF_MODSPECIFIC_STAT = 104;

/** Byte offsets in `struct modstatus` (LP64, big-endian). Source: modstat(2) 11i v2/v3 declaration. */
export const MODSTATUS = {
  /** `int32_t ms_id`. */
  ms_id: 0,
  /** `uint64_t ms_base` (after 4 bytes of padding). */
  ms_base: 8,
  /** `uint32_t ms_size`. */
  ms_size: 16,
  /** `uint64_t ms_bss` (after 4 bytes of padding). */
  ms_bss: 24,
  /** `uint32_t ms_bss_size`. */
  ms_bss_size: 32,
  /** `int32_t ms_rev`. */
  ms_rev: 36,
  /** `char ms_path[MAXPATHLEN]`. */
  ms_path: 40,
  /** `time_t ms_unload_delay` (8 bytes in LP64). */
  ms_unload_delay: 1064,
  /** `int32_t ms_holdcnt`. */
  ms_holdcnt: 1072,
  /** `int32_t ms_depcnt`. */
  ms_depcnt: 1076,
  /** `struct modspecific_stat ms_msinfo[MODMAXLINK]`. */
  ms_msinfo: 1080,
  /** `int ms_reg` (11i v2+ only). */
  ms_reg: 1496,
  /** `char ms_version[MODMAXVERLEN]` (11i v2+ only). */
  ms_version: 1500,
} as const;
/**
 * `sizeof(struct modstatus)` in 11i v2/v3: 1532 bytes of members rounded up to the 8-byte alignment of
 * `uint64_t`.
 */
export const SIZEOF_MODSTATUS = 1536;
/** `sizeof(struct modstatus)` in 11.0 / 11i v1, whose struct ends at `ms_msinfo` (modstat(2) 11.0). */
export const SIZEOF_MODSTATUS_V1 = 1496;

// ---- Module types.

/** Module types as the master file's `$TYPE` and the `.modmeta` `type` key name them. Source: master(4). */
export const MODULE_TYPES = [
  'wsio_class',
  'wsio_intfc',
  'wsio2_class',
  'wsio2_intfc',
  'streams_drv',
  'streams_mod',
  'misc',
] as const;

/** A module type name. */
export type ModuleType = (typeof MODULE_TYPES)[number];

/** `mss_type`: no type. INVENTED code (UnixWare `MOD_TY_NONE`). */
export const MOD_TY_NONE = 0;
/** `mss_type`: character device driver (WSIO drivers). INVENTED code (UnixWare `MOD_TY_CDEV`). */
export const MOD_TY_CDEV = 1;
/** `mss_type`: block device driver. INVENTED code (UnixWare `MOD_TY_BDEV`). */
export const MOD_TY_BDEV = 2;
/** `mss_type`: STREAMS driver or module. INVENTED code (UnixWare `MOD_TY_STR`). */
export const MOD_TY_STR = 3;
/** `mss_type`: miscellaneous module. INVENTED code (UnixWare `MOD_TY_MISC`). */
export const MOD_TY_MISC = 6;

// ---- kcmodule (11i v2/v3) states and causes.

/** Module states. Source: kcmodule(1M) 11i v2/v3. */
export const KC_STATES = ['unused', 'static', 'loaded', 'auto'] as const;
/** A kcmodule module state. */
export type KcState = (typeof KC_STATES)[number];

/** Why a module is in its state. Source: kcmodule(1M), HP-UX System Administrator's Guide p. 163. */
export const KC_CAUSES = ['explicit', 'best', 'auto', 'required', 'depend'] as const;
/** A kcmodule cause. */
export type KcCause = (typeof KC_CAUSES)[number];

// ---- Object layout.

/**
 * Name of the section carrying the module metadata (dependencies, type, capable states…). HP never published
 * the 11i v2/v3 layout: this is the reference's proposal (hpux-dlkm.md §8.3), shared with the object builder.
 */
export const MODMETA_SECTION = '.modmeta';
