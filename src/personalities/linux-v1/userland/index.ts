import { linuxToolActions } from '../../device-actions.js';
import type { NeutralActions, Tool } from '../../personality.js';
import { insmodV1, insmodV1Detailed } from './insmod.js';
import { ksymsV1, lsmodV1, rmmodV1Detailed } from './tools.js';
import type { V1ToolsContext } from './v1-tools-context.js';

/** The tools by name. */
export function createV1Tools(ctx: V1ToolsContext): Record<string, Tool> {
  return {
    insmod: {
      summary: 'link an object into the kernel (get_kernel_syms, create_module, init_module)',
      run: (argv) => insmodV1(argv, ctx),
    },
    rmmod: {
      summary: 'unload modules; -a reaps autoclean modules',
      run: (argv) => rmmodV1Detailed(argv, ctx).result,
    },
    lsmod: { summary: 'list loaded modules (/proc/modules)', run: () => lsmodV1(ctx) },
    ksyms: { summary: 'list exported symbols (get_kernel_syms)', run: (argv) => ksymsV1(argv, ctx) },
  };
}

/**
 * The neutral actions: `load` is `insmod PATH PARAMS…`, `unload` is `rmmod NAME`, `use`/`unuse` open and close
 * `/dev/NAME` (the driver's `MOD_INC_USE_COUNT` / `MOD_DEC_USE_COUNT`), `list` is `lsmod`.
 */
export function createV1Actions(ctx: V1ToolsContext): NeutralActions {
  return linuxToolActions(ctx, {
    insmod: (argv) => insmodV1Detailed(argv, ctx),
    rmmod: (argv) => rmmodV1Detailed(argv, ctx),
    lsmod: () => lsmodV1(ctx),
  });
}
