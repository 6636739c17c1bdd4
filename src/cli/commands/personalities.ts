import { PERSONALITIES } from '../../personalities/index.js';
import type { CliCommand } from '../cli-context.js';

/** `kmodsim personalities`: the registry as a table (or JSON). */
export const personalitiesCommand: CliCommand = {
  name: 'personalities',
  summary: 'list the personalities and the API each implements',
  usage: 'kmodsim [--json] personalities',
  async run(ctx) {
    const rows = Object.values(PERSONALITIES).map(({ id, title, api, family }) => ({
      id,
      title,
      api,
      family,
    }));
    if (ctx.json) ctx.io.out(`${JSON.stringify(rows, undefined, 2)}\n`);
    else for (const r of rows) ctx.io.out(`${r.id.padEnd(10)} ${r.title.padEnd(16)} ${r.api}\n`);
    return 0;
  },
};
