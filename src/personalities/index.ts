import { type HpuxDlkmSys, hpuxDlkmDefinition } from './hpux-dlkm/hpux-dlkm-module.js';
import { type LinuxV1Sys, linuxV1Definition } from './linux-v1/linux-v1-module.js';
import { type LinuxV24Sys, linuxV24Definition } from './linux-v24/linux-v24-module.js';
import { type LinuxV26Sys, linuxV26Definition } from './linux-v26/linux-v26-module.js';
import type { PersonalityDefinition, PersonalityId } from './personality.js';

/** Every personality, by id. A missing id is a compile error. */
export const PERSONALITIES = {
  /** Linux 1.x. */
  'linux-v1': linuxV1Definition,
  /** Linux 2.2/2.4. */
  'linux-v24': linuxV24Definition,
  /** Linux 2.6 → 6.x. */
  'linux-v26': linuxV26Definition,
  /** HP-UX DLKM. */
  'hpux-dlkm': hpuxDlkmDefinition,
} as const satisfies Record<PersonalityId, PersonalityDefinition>;

/** The typed syscall facade of each personality (`kernel.sys`). */
export interface PersonalitySys {
  /** Linux 1.x calls. */
  'linux-v1': LinuxV1Sys;
  /** Linux 2.2/2.4 calls. */
  'linux-v24': LinuxV24Sys;
  /** Linux 2.6+ calls. */
  'linux-v26': LinuxV26Sys;
  /** HP-UX DLKM calls. */
  'hpux-dlkm': HpuxDlkmSys;
}
