/**
 * Privilege names: Linux capabilities and HP-UX fine-grained privileges.
 * Source: include/uapi/linux/capability.h; HP-UX 11i v3 privileges(5).
 * @module
 */

/** Linux capability numbers (the subset a module simulator consults, plus the common ones). */
export const LINUX_CAPABILITIES = {
  /** `CAP_CHOWN` = 0. */
  CAP_CHOWN: 0,
  /** `CAP_DAC_OVERRIDE` = 1. */
  CAP_DAC_OVERRIDE: 1,
  /** `CAP_DAC_READ_SEARCH` = 2. */
  CAP_DAC_READ_SEARCH: 2,
  /** `CAP_FOWNER` = 3. */
  CAP_FOWNER: 3,
  /** `CAP_KILL` = 5. */
  CAP_KILL: 5,
  /** `CAP_SETUID` = 7. */
  CAP_SETUID: 7,
  /** `CAP_NET_ADMIN` = 12. */
  CAP_NET_ADMIN: 12,
  /** `CAP_SYS_MODULE` = 16. */
  CAP_SYS_MODULE: 16,
  /** `CAP_SYS_RAWIO` = 17. */
  CAP_SYS_RAWIO: 17,
  /** `CAP_SYS_ADMIN` = 21. */
  CAP_SYS_ADMIN: 21,
  /** `CAP_SYS_BOOT` = 22. */
  CAP_SYS_BOOT: 22,
  /** `CAP_SYSLOG` = 34. */
  CAP_SYSLOG: 34,
} as const;

/** A Linux capability name, e.g. `'CAP_SYS_MODULE'`. */
export type LinuxCapability = keyof typeof LINUX_CAPABILITIES;

/** HP-UX 11i v3 fine-grained privileges relevant to modules (privileges(5)). */
export const HPUX_PRIVILEGES = ['PRIV_DLKM', 'PRIV_SYSATTR', 'PRIV_DACREAD', 'PRIV_DACWRITE'] as const;

/** An HP-UX privilege name, e.g. `'PRIV_DLKM'`. */
export type HpuxPrivilege = (typeof HPUX_PRIVILEGES)[number];
