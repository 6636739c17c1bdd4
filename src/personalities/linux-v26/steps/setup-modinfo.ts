/**
 * `setup_modinfo`: `version` and `srcversion` for sysfs; the simulator also takes the module's declared
 * behaviour (`.kmodsim.behaviour`) here.
 * @see kernel/module/main.c setup_modinfo
 * @module
 */
import { parseBehaviour } from '../../../core/behaviours.js';
import { step } from '../../../core/pipeline.js';
import { OK_VOID } from '../../../core/result.js';
import { BEHAVIOUR_SECTION } from '../../../elf/builder/behaviour-spec.js';
import type { LoadInfo } from '../load-info.js';

/** The pipeline step. */
export const setupModinfo = step<LoadInfo>('setupModinfo', (info, undo) => {
  const x = info.mod?.extra;
  if (x === undefined) return OK_VOID;
  x.version = info.modinfo?.get('version');
  x.srcversion = info.modinfo?.get('srcversion');
  const elf = info.elf;
  const sec = elf?.sectionByName(BEHAVIOUR_SECTION);
  if (elf !== undefined && sec !== undefined) {
    const data = elf.sectionData(sec);
    if (data.ok) {
      const text = Buffer.from(data.value.buffer, data.value.byteOffset, data.value.length)
        .toString('utf8')
        .replace(/\0+$/, '');
      const b = parseBehaviour(text);
      const behaviours = info.k.core.behaviours;
      const name = info.modName;
      if (b.ok) {
        behaviours.declare(name, b.value);
        undo.push('forget behaviour', () => behaviours.forget(name));
      } else info.k.core.log.debug(`${name}: ignoring ${BEHAVIOUR_SECTION}: ${b.error}`);
    }
  }
  return OK_VOID;
});
