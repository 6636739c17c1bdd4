import { readFileSync } from 'node:fs';
import { formatElfReport, inspectElf } from '../../elf/inspect.js';
import { type CliCommand, UsageError } from '../cli-context.js';

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `0x${value.toString(16)}` : value;
}

/** `kmodsim elf FILE...`: a readelf-like inspection of module objects (host files). */
export const elfCommand: CliCommand = {
  name: 'elf',
  summary: 'inspect ELF module objects: sections, symbols, relocations, .modinfo, signature',
  usage: 'kmodsim [--json] elf FILE...',
  async run(ctx, argv) {
    if (argv.length === 0) throw new UsageError('elf: missing FILE');
    let status = 0;
    const reports: unknown[] = [];
    for (const file of argv) {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(file));
      } catch {
        ctx.io.err(`kmodsim elf: ${file}: cannot read\n`);
        status = 1;
        continue;
      }
      const r = inspectElf(bytes);
      if (!r.ok) {
        ctx.io.err(`kmodsim elf: ${file}: ${r.error.message}\n`);
        status = 1;
        continue;
      }
      if (ctx.json) reports.push({ file, ...r.value });
      else ctx.io.out(`${argv.length > 1 ? `\nFile: ${file}\n` : ''}${formatElfReport(r.value)}`);
    }
    if (ctx.json)
      ctx.io.out(`${JSON.stringify(argv.length === 1 ? reports[0] : reports, jsonReplacer, 2)}\n`);
    return status;
  },
};
