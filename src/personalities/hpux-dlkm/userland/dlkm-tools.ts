/**
 * The era's DLKM administration commands. HP-UX had no `modload`/`modunload`/`modstat` commands (those are
 * SVR4/Solaris names): 11.0 and 11i v1 administer modules with `kmadmin` and `kmmodreg`, 11i v2 and v3 with
 * `kcmodule`.
 * @module
 */
import type { Tool } from '../../personality.js';
import type { DlkmCallContext } from '../dlkm-call-context.js';
import { kcmodule } from './kcmodule.js';
import { kmadmin } from './kmadmin.js';
import { kmmodreg } from './kmmodreg.js';

/** The tools of the configured release. */
export function dlkmTools(c: DlkmCallContext): Record<string, Tool> {
  if (c.era.v1) {
    return {
      kmadmin: {
        summary: 'load, unload and query kernel modules (kmadmin(1M))',
        run: (argv) => kmadmin(c, argv),
      },
      kmmodreg: {
        summary: 'register kernel modules with the running kernel (kmmodreg(1M))',
        run: (argv) => kmmodreg(c, argv),
      },
    };
  }
  return {
    kcmodule: {
      summary: 'query and change kernel module states (kcmodule(1M))',
      run: (argv) => kcmodule(c, argv),
    },
  };
}
