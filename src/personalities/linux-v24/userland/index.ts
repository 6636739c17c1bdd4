import { linuxToolActions } from '../../device-actions.js';
import type { NeutralActions, Tool } from '../../personality.js';
import { insmod, insmodDetailed } from './insmod.js';
import { ksyms } from './ksyms.js';
import { lsmod } from './lsmod.js';
import { modprobe } from './modprobe.js';
import type { ModutilsContext } from './modutils-context.js';
import { rmmod, rmmodDetailed } from './rmmod.js';

/** The tools by name. */
export function createModutilsTools(ctx: ModutilsContext): Record<string, Tool> {
  return {
    insmod: {
      summary: 'link an object into the kernel (modutils 2.4 user-space linker)',
      run: (argv) => insmod(argv, ctx),
    },
    rmmod: { summary: 'unload modules; -a reaps autoclean modules', run: (argv) => rmmod(argv, ctx) },
    lsmod: { summary: 'list loaded modules (query_module)', run: (argv) => lsmod(argv, ctx) },
    ksyms: { summary: 'list exported symbols (query_module QM_SYMBOLS)', run: (argv) => ksyms(argv, ctx) },
    modprobe: { summary: 'load a module by name from the module path', run: (argv) => modprobe(argv, ctx) },
  };
}

/**
 * The neutral actions: `load` is `insmod PATH PARAMS…`, `unload` is `rmmod NAME`, `use`/`unuse` open and close
 * `/dev/NAME` (a use of the module, `MOD_INC_USE_COUNT`), `list` is `lsmod`. The result is `ok` or the errno
 * that made the tool fail: the kernel's, or the closest errno for a refusal made in user space (EEXIST for a
 * name already loaded, ENOENT for unresolved symbols, ENOEXEC for an object insmod cannot use).
 */
export function createV24Actions(ctx: ModutilsContext): NeutralActions {
  return linuxToolActions(ctx, {
    insmod: (argv) => insmodDetailed(argv, ctx),
    rmmod: (argv) => rmmodDetailed(argv, ctx),
    lsmod: () => lsmod([], ctx),
  });
}

/** `request_module(name)`: kmod runs `modprobe -s -k -- name`; its exit status is not returned (2.4). */
export function modprobeQuiet(ctx: ModutilsContext, name: string): void {
  modprobe(['-s', '-k', '--', name], ctx);
}
