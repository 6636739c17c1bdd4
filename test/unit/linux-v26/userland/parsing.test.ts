import { describe, expect, it } from 'vitest';
import { fnmatch } from '../../../../src/personalities/linux-v26/userland/fnmatch.js';
import { getoptLong, type LongOption } from '../../../../src/personalities/linux-v26/userland/getopt.js';
import { parseKcmdline, underscores } from '../../../../src/personalities/linux-v26/userland/kmod-config.js';
import {
  aliasNormalize,
  modnameNormalize,
  pathEndsWithKmodExt,
  pathToModname,
} from '../../../../src/personalities/linux-v26/userland/kmod-ctx.js';

const MODINFO_LONG: LongOption[] = [
  { name: 'author', hasArg: 'none', val: 'a' },
  { name: 'filename', hasArg: 'none', val: 'n' },
  { name: 'null', hasArg: 'none', val: '0' },
  { name: 'field', hasArg: 'required', val: 'F' },
];

describe('getopt_long as glibc 2.36', () => {
  it('permutes operands after options and keeps -- operands', () => {
    const r = getoptLong('modinfo', ['x.ko', '-0', 'y.ko', '--', '-a'], 'a0nF:', MODINFO_LONG);
    expect(r.options.map((o) => o.opt)).toEqual(['0']);
    expect(r.operands).toEqual(['x.ko', 'y.ko', '-a']);
  });

  it('takes attached and separate arguments, in clusters too', () => {
    const r = getoptLong(
      'modinfo',
      ['-0Fvermagic', '-F', 'alias', '--field=license', '--field', 'name'],
      'a0nF:',
      MODINFO_LONG,
    );
    expect(r.options).toEqual([
      { opt: '0' },
      { opt: 'F', arg: 'vermagic' },
      { opt: 'F', arg: 'alias' },
      { opt: 'F', arg: 'license', longIndex: 3 },
      { opt: 'F', arg: 'name', longIndex: 3 },
    ]);
  });

  it('accepts a unique prefix and reports ambiguity with the candidates in array order', () => {
    expect(getoptLong('modinfo', ['--n', 'x'], 'a0nF:', MODINFO_LONG).options[0]).toEqual({
      opt: '0',
      longIndex: 2,
    });
    const amb = getoptLong('modinfo', ['--fi=3', 'x'], 'a0nF:', MODINFO_LONG).options[0];
    expect(amb.opt).toBe('?');
    expect(amb.error).toBe("modinfo: option '--fi=3' is ambiguous; possibilities: '--filename' '--field'\n");
  });

  it("prints glibc's messages for unknown options, missing and unexpected arguments", () => {
    const e = (argv: string[]) => getoptLong('modinfo', argv, 'a0nF:', MODINFO_LONG).options[0].error;
    expect(e(['--foo=bar'])).toBe("modinfo: unrecognized option '--foo=bar'\n");
    expect(e(['-x'])).toBe("modinfo: invalid option -- 'x'\n");
    expect(e(['-F'])).toBe("modinfo: option requires an argument -- 'F'\n");
    expect(e(['--field'])).toBe("modinfo: option '--field' requires an argument\n");
    expect(e(['--author=3'])).toBe("modinfo: option '--author' doesn't allow an argument\n");
  });

  it('treats two long names with the same value as one (no ambiguity)', () => {
    const opts: LongOption[] = [
      { name: 'show', hasArg: 'none', val: 'n' },
      { name: 'show-depends', hasArg: 'none', val: 'D' },
      { name: 'showconfig', hasArg: 'none', val: 'c' },
      { name: 'show-config', hasArg: 'none', val: 'c' },
    ];
    expect(getoptLong('modprobe', ['--showc'], '', opts).options[0]).toEqual({ opt: 'c', longIndex: 2 });
    expect(getoptLong('modprobe', ['--show-c'], '', opts).options[0]).toEqual({ opt: 'c', longIndex: 3 });
    expect(getoptLong('modprobe', ['--sh'], '', opts).options[0].opt).toBe('?');
  });
});

describe('fnmatch(pattern, string, 0)', () => {
  it.each([
    ['pci:v00008086d*sv*sd*bc*sc*i*', 'pci:v00008086d00001533sv00001028sd00000000bc02sc00i00', true],
    ['pci:v00008086d*sv*sd*bc*sc*i*', 'pci:v000010ECd00008168sv0sd0bc02sc00i00', false],
    ['snd-*', 'snd-hda-intel', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['[0-9]x', '7x', true],
    ['[!0-9]x', '7x', false],
    ['[^a]b', 'cb', true],
    ['[]]', ']', true],
    ['[[:digit:]]*', '42', true],
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['[ab', '[ab', true],
    ['*/x', 'a/b/x', true],
    ['.*', '.hidden', true],
  ])('%s vs %s → %s', (p, s, want) => {
    expect(fnmatch(p, s)).toBe(want);
  });
});

describe('name normalisation', () => {
  it('modname_normalize stops at the first dot and turns dashes into underscores', () => {
    expect(modnameNormalize('snd-hda-intel.ko.xz')).toBe('snd_hda_intel');
    expect(pathToModname('/lib/modules/x/kernel/fs/fat/vfat.ko')).toBe('vfat');
    expect(pathToModname('/lib/modules/x/')).toBeUndefined();
  });

  it('alias_normalize keeps bracket contents and rejects unmatched brackets', () => {
    expect(aliasNormalize('snd-card-[0-9]-x')).toBe('snd_card_[0-9]_x');
    expect(aliasNormalize('a]b')).toBeUndefined();
    expect(aliasNormalize('a[b')).toBeUndefined();
    expect(underscores('dm-[a-b]')).toBe('dm_[a-b]');
  });

  it('knows the extensions of a kmod built +ZSTD +XZ -ZLIB', () => {
    expect(pathEndsWithKmodExt('a.ko')).toBe(true);
    expect(pathEndsWithKmodExt('a.ko.xz')).toBe(true);
    expect(pathEndsWithKmodExt('a.ko.zst')).toBe(true);
    expect(pathEndsWithKmodExt('a.ko.gz')).toBe(false);
    expect(pathEndsWithKmodExt('.ko')).toBe(false);
  });
});

describe('/proc/cmdline options', () => {
  function parse(s: string): [string, string][] {
    const out: [string, string][] = [];
    parseKcmdline(s, (m, p) => out.push([m, p]));
    return out;
  }

  it('takes modname.param[=value] words and ignores the rest', () => {
    expect(parse('quiet random.trust_cpu=1 root=/dev/sda a.b.c=1 nvproxy.enable=1 -- x.y=2\n')).toEqual([
      ['random', 'trust_cpu=1'],
      ['nvproxy', 'enable=1'],
      ['x', 'y=2'],
    ]);
  });

  it('keeps quoted values and re-quotes a fully quoted option', () => {
    expect(parse('a.b="x y" "parport.dyndbg=file d +mpf" c.d')).toEqual([
      ['a', 'b="x y"'],
      ['parport', 'dyndbg="file d +mpf"'],
      ['c', 'd'],
    ]);
  });
});
