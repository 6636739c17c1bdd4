/**
 * A POSIX `getopt(3)` for the DLKM commands: clustered flags (`-sv`), option arguments attached (`-Pname`) or
 * separate (`-P name`), `--` ends the options; the first operand ends them too.
 * @module
 */

/** Parsed command line. */
export interface ParsedArgs {
  /** Options in order, with their argument when the option takes one. */
  readonly options: readonly { readonly flag: string; readonly value: string | undefined }[];
  /** Operands. */
  readonly operands: readonly string[];
}

/**
 * Parses `argv` against `optstring` (`"adP:"`: a letter followed by `:` takes an argument). Returns the
 * diagnostic getopt prints for an unknown option or a missing argument instead.
 */
export function getopt(argv: readonly string[], optstring: string): ParsedArgs | { readonly error: string } {
  const options: { flag: string; value: string | undefined }[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      const at = optstring.indexOf(f);
      if (f === ':' || at < 0) return { error: `illegal option -- ${f}` };
      if (optstring[at + 1] !== ':') {
        options.push({ flag: f, value: undefined });
        continue;
      }
      let value = a.slice(j + 1);
      if (value === '') {
        i++;
        if (i >= argv.length) return { error: `option requires an argument -- ${f}` };
        value = argv[i];
      }
      options.push({ flag: f, value });
      break;
    }
  }
  return { options, operands: argv.slice(i) };
}
