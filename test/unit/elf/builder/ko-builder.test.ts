/**
 * buildKo checked by the outside world: binutils readelf (section table incl. addralign/entsize, symbols,
 * relocations, `.modinfo`, no warnings), objdump (the code and its relocations), kmod's modinfo (the fields a
 * user sees), plus the src/elf reader field by field against readelf.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildKo, THIS_MODULE_6_1 } from '../../../../src/elf/builder/ko-builder.js';
import type { ModuleSpec } from '../../../../src/elf/builder/module-spec.js';
import { ModuleSpecError } from '../../../../src/elf/builder/resolve-module-spec.js';
import { defaultSymbolCrc } from '../../../../src/elf/builder/symbol-crc.js';
import { ElfFile } from '../../../../src/elf/elf-file.js';
import { type DiffCounts, diffAgainstReadelf } from '../support/readelf-diff.js';
import { haveTool, readelfImage, runOnImage } from './support/tools.js';

const SPEC: ModuleSpec = {
  name: 'demo-mod',
  license: 'GPL',
  description: 'A demo module',
  author: ['Ann <ann@example.org>', 'Bob'],
  version: '1.2',
  srcversion: '0123456789ABCDEF0123456',
  exports: [
    'demo_zeta',
    { name: 'demo_alpha', gpl: true },
    { name: 'demo_beta', namespace: 'DEMO_NS' },
    'demo_aaa',
  ],
  imports: [
    '_printk',
    { name: 'jiffies', kind: 'data' },
    { name: 'usb_register_driver', module: 'usbcore', namespace: 'USB_STORAGE' },
  ],
  params: [
    { name: 'debug', type: 'int', default: 3, perm: 0o444, description: 'Debug level' },
    { name: 'enable', type: 'bool' },
    { name: 'who', type: 'charp', default: 'world' },
    { name: 'buf', type: 'string', maxlen: 16, default: 'abc' },
    { name: 'ids', type: 'ushort', array: 4, default: [1, 2] },
  ],
  dependencies: ['soundcore'],
  extraModinfo: [['alias', 'demo-alias']],
  behaviour: { init: [{ log: 'hello' }, { return: 0 }] },
};

const UNDEFINED = [
  '_printk',
  'jiffies',
  'usb_register_driver',
  'param_ops_int',
  'param_ops_bool',
  'param_ops_charp',
  'param_ops_string',
  'param_array_ops',
  'param_ops_ushort',
];

const READELF = haveTool('readelf');
const IMAGE = buildKo(SPEC);

describe.skipIf(!READELF)('buildKo under readelf', () => {
  const re = readelfImage(IMAGE, '.modinfo');

  it('parses without warnings, and the src/elf reader agrees with it field by field', () => {
    expect(re.status).toBe(0);
    expect(re.stderr).toBe('');
    const file = ElfFile.parse(IMAGE);
    if (!file.ok) throw new Error(file.error.message);
    const counts: DiffCounts = { sections: 0, symbols: 0, relocations: 0, modinfo: 0 };
    expect(diffAgainstReadelf(file.value, re.parsed, counts)).toEqual([]);
    expect(counts.sections).toBe(re.parsed.sections.length);
    expect(counts.relocations).toBeGreaterThan(40);
  });

  it('has the kbuild section set, in kbuild order, with its types, flags, alignments and entry sizes', () => {
    const table = re.parsed.sections.map((s) => [s.name, s.type, s.flags, s.addralign, s.entsize]);
    expect(table).toEqual([
      ['', 'NULL', '', 0, 0],
      ['.note.gnu.build-id', 'NOTE', 'A', 4, 0],
      ['.note.Linux', 'NOTE', 'A', 4, 0],
      ['.text', 'PROGBITS', 'AX', 16, 0],
      ['.rela.text', 'RELA', 'I', 8, 24],
      ['.init.text', 'PROGBITS', 'AX', 1, 0],
      ['.rela.init.text', 'RELA', 'I', 8, 24],
      ['.exit.text', 'PROGBITS', 'AX', 1, 0],
      ['__ksymtab', 'PROGBITS', 'A', 4, 0],
      ['.rela__ksymtab', 'RELA', 'I', 8, 24],
      ['__ksymtab_gpl', 'PROGBITS', 'A', 4, 0],
      ['.rela__ksymtab_gpl', 'RELA', 'I', 8, 24],
      ['__kcrctab', 'PROGBITS', 'A', 4, 0],
      ['__kcrctab_gpl', 'PROGBITS', 'A', 4, 0],
      ['__ksymtab_strings', 'PROGBITS', 'AMS', 1, 1],
      ['.rodata.str1.1', 'PROGBITS', 'AMS', 1, 1],
      ['.modinfo', 'PROGBITS', 'A', 1, 0],
      ['__param', 'PROGBITS', 'A', 8, 0],
      ['.rela__param', 'RELA', 'I', 8, 24],
      ['.rodata', 'PROGBITS', 'A', 32, 0],
      ['.rela.rodata', 'RELA', 'I', 8, 24],
      ['__versions', 'PROGBITS', 'A', 32, 0],
      ['.data', 'PROGBITS', 'WA', 32, 0],
      ['.rela.data', 'RELA', 'I', 8, 24],
      ['.exit.data', 'PROGBITS', 'WA', 8, 0],
      ['.rela.exit.data', 'RELA', 'I', 8, 24],
      ['.init.data', 'PROGBITS', 'WA', 8, 0],
      ['.rela.init.data', 'RELA', 'I', 8, 24],
      ['.gnu.linkonce.this_module', 'PROGBITS', 'WA', 64, 0],
      ['.rela.gnu.linkonce.this_module', 'RELA', 'I', 8, 24],
      ['.bss', 'NOBITS', 'WA', 32, 0],
      ['.note.GNU-stack', 'PROGBITS', '', 1, 0],
      ['.kmodsim.behaviour', 'PROGBITS', '', 1, 0],
      ['.symtab', 'SYMTAB', '', 8, 24],
      ['.strtab', 'STRTAB', '', 1, 0],
      ['.shstrtab', 'STRTAB', '', 1, 0],
    ]);
    const size = (n: string) => re.parsed.sections.find((s) => s.name === n)?.size;
    expect(size('__ksymtab')).toBe(3 * 12);
    expect(size('__ksymtab_gpl')).toBe(12);
    expect(size('__kcrctab')).toBe(3 * 4);
    expect(size('__param')).toBe(5 * 40);
    expect(size('__versions')).toBe((UNDEFINED.length + 1) * 64);
    expect(size('.gnu.linkonce.this_module')).toBe(0x380);
    // Every relocation section links to .symtab and names the section it patches.
    const symtab = re.parsed.sections.findIndex((s) => s.name === '.symtab');
    for (const s of re.parsed.sections.filter((x) => x.type === 'RELA')) {
      expect(s.link).toBe(symtab);
      expect(`.rela${re.parsed.sections[s.info].name}`).toBe(s.name);
    }
  });

  it('has an undefined symbol per import and parameter ops, and the module-defined globals', () => {
    const und = re.parsed.symbols.filter((s) => s.ndx === 'UND' && s.index > 0).map((s) => [s.name, s.bind]);
    expect(und).toEqual(UNDEFINED.map((n) => [n, 'GLOBAL']));
    const text = String(re.parsed.sections.findIndex((s) => s.name === '.text'));
    const globals = re.parsed.symbols.filter((s) => s.bind === 'GLOBAL' && s.ndx !== 'UND');
    expect(globals.map((s) => [s.name, s.type, s.size])).toEqual([
      ['demo_zeta', 'FUNC', 3],
      ['demo_alpha', 'FUNC', 3],
      ['demo_beta', 'FUNC', 3],
      ['demo_aaa', 'FUNC', 3],
      ['__this_module', 'OBJECT', 0x380],
      ['init_module', 'FUNC', 15],
      ['cleanup_module', 'FUNC', 1],
    ]);
    for (const g of globals.slice(0, 4)) expect(g.ndx).toBe(text);
    // Locals precede globals (sh_info of .symtab is the first global).
    const firstGlobal = re.parsed.symbols.findIndex((s) => s.bind !== 'LOCAL');
    expect(re.parsed.symbols.slice(firstGlobal).every((s) => s.bind !== 'LOCAL')).toBe(true);
    expect(re.parsed.sections.find((s) => s.name === '.symtab')?.info).toBe(firstGlobal);
  });

  it('relocates struct module init/exit, the import uses, the export tables and the parameters', () => {
    const rel = (name: string) =>
      re.parsed.relocations
        .find((r) => r.name === name)
        ?.entries.map((e) => [Number(e.offset), e.type, e.symName, Number(e.addend)]);
    expect(rel('.rela.gnu.linkonce.this_module')).toEqual([
      [THIS_MODULE_6_1.initOffset, 'R_X86_64_64', 'init_module', 0],
      [THIS_MODULE_6_1.exitOffset, 'R_X86_64_64', 'cleanup_module', 0],
    ]);
    expect(rel('.rela.text')).toEqual([
      [1, 'R_X86_64_PLT32', '_printk', -4],
      [8, 'R_X86_64_PC32', 'jiffies', -4],
      [13, 'R_X86_64_PLT32', 'usb_register_driver', -4],
    ]);
    expect(rel('.rela.init.text')).toEqual([
      [3, 'R_X86_64_32S', '__this_module', 0],
      [8, 'R_X86_64_PLT32', '.text', -4],
    ]);
    // __ksymtab is sorted by name (bsearch in find_exported_symbol_in_section); each entry is 3 PC32 fields.
    expect(rel('.rela__ksymtab')).toEqual(
      ['demo_aaa', 'demo_beta', 'demo_zeta'].flatMap((n, i) => [
        [i * 12, 'R_X86_64_PC32', n, 0],
        [i * 12 + 4, 'R_X86_64_PC32', `__kstrtab_${n}`, 0],
        [i * 12 + 8, 'R_X86_64_PC32', `__kstrtabns_${n}`, 0],
      ]),
    );
    const param = rel('__param') ?? rel('.rela__param');
    expect(param?.filter((e) => e[0] === 16 + 40 * 4)).toEqual([[176, 'R_X86_64_64', 'param_array_ops', 0]]);
    expect(param?.filter((e) => (e[0] as number) % 40 === 8).map((e) => e[2])).toEqual(
      Array(5).fill('__this_module'),
    );
    expect(param?.filter((e) => (e[0] as number) % 40 === 16).map((e) => e[2])).toEqual([
      'param_ops_int',
      'param_ops_bool',
      'param_ops_charp',
      'param_ops_string',
      'param_array_ops',
    ]);
  });

  it('writes the .modinfo strings kbuild writes, in order', () => {
    expect(re.parsed.modinfo?.map(([, t]) => t)).toEqual([
      'version=1.2',
      'license=GPL',
      'description=A demo module',
      'author=Ann <ann@example.org>',
      'author=Bob',
      'alias=demo-alias',
      'parm=debug:Debug level',
      'parmtype=debug:int',
      'parmtype=enable:bool',
      'parmtype=who:charp',
      'parmtype=buf:string',
      'parmtype=ids:array of ushort',
      'import_ns=USB_STORAGE',
      'srcversion=0123456789ABCDEF0123456',
      'depends=soundcore,usbcore',
      'retpoline=Y',
      'name=demo_mod',
      'vermagic=6.1.0-50-amd64 SMP preempt mod_unload modversions ',
    ]);
  });
});

describe.skipIf(!haveTool('modinfo', ['--version']))('buildKo under kmod modinfo', () => {
  it('prints the spec: license, vermagic, depends, name, import_ns and the parm lines', () => {
    const run = runOnImage('modinfo', [], IMAGE);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const fields = new Map<string, string[]>();
    for (const line of run.stdout.split('\n')) {
      const m = /^([a-z_]+):\s*(.*)$/.exec(line);
      if (m) fields.set(m[1], [...(fields.get(m[1]) ?? []), m[2]]);
    }
    expect(fields.get('license')).toEqual(['GPL']);
    expect(fields.get('vermagic')).toEqual(['6.1.0-50-amd64 SMP preempt mod_unload modversions ']);
    expect(fields.get('depends')).toEqual(['soundcore,usbcore']);
    expect(fields.get('name')).toEqual(['demo_mod']);
    expect(fields.get('import_ns')).toEqual(['USB_STORAGE']);
    expect(fields.get('author')).toEqual(['Ann <ann@example.org>', 'Bob']);
    expect(fields.get('version')).toEqual(['1.2']);
    expect(fields.get('srcversion')).toEqual(['0123456789ABCDEF0123456']);
    expect(fields.get('alias')).toEqual(['demo-alias']);
    expect(new Set(fields.get('parm'))).toEqual(
      new Set(['debug:Debug level (int)', 'enable:bool', 'who:charp', 'buf:string', 'ids:array of ushort']),
    );
  });

  it('reads a single field with -F, as scripts do', () => {
    const run = runOnImage('modinfo', ['-F', 'depends'], buildKo({ name: 'x', dependencies: ['a', 'b-c'] }));
    expect(run.stdout).toBe('a,b-c\n');
  });
});

describe.skipIf(!haveTool('objdump'))('buildKo under objdump', () => {
  it('disassembles the import uses and init_module with their relocations', () => {
    const run = runOnImage(
      'objdump',
      ['-dr', '--no-show-raw-insn', '-j', '.text', '-j', '.init.text'],
      IMAGE,
    );
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n').map((l) =>
      l
        .replace(/^\s*[0-9a-f]+:\s*/, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    const has = (re: RegExp) => expect(lines.some((l) => re.test(l))).toBe(true);
    has(/^R_X86_64_PLT32 _printk-0x4$/);
    has(/^mov 0x0\(%rip\),%rax( #.*)?$/);
    has(/^R_X86_64_PC32 jiffies-0x4$/);
    has(/^mov \$0x0,%rdi$/);
    has(/^R_X86_64_32S __this_module$/);
    has(/^R_X86_64_PLT32 \.text-0x4$/);
    has(/^<demo_aaa>:$|^[0-9a-f]+ <demo_aaa>:$/);
    expect(
      lines.filter((l) => l === 'call 5 <init_module+0x5>' || /^call/.test(l)).length,
    ).toBeGreaterThanOrEqual(3);
  });
});

describe('buildKo bytes', () => {
  it('is deterministic, and the build ID is the SHA-1 of the image with a zero ID', () => {
    const again = buildKo(SPEC);
    expect(Buffer.from(again).equals(Buffer.from(IMAGE))).toBe(true);
    const file = ElfFile.parse(IMAGE);
    if (!file.ok) throw new Error(file.error.message);
    const note = file.value.sectionByName('.note.gnu.build-id');
    if (note === undefined) throw new Error('no build id');
    const id = IMAGE.slice(note.offset + 16, note.offset + 36);
    const zeroed = IMAGE.slice();
    zeroed.fill(0, note.offset + 16, note.offset + 36);
    expect(Buffer.from(id).toString('hex')).toBe(createHash('sha1').update(zeroed).digest('hex'));
    const other = buildKo({ ...SPEC, version: '1.3' });
    expect(Buffer.from(other).equals(Buffer.from(IMAGE))).toBe(false);
  });

  it('writes the name in struct module at 24, __versions entries {u64 crc, name[56]}, and raw __kcrctab CRCs', () => {
    const file = ElfFile.parse(IMAGE);
    if (!file.ok) throw new Error(file.error.message);
    const data = (n: string) => {
      const s = file.value.sectionByName(n);
      if (s === undefined) throw new Error(n);
      return IMAGE.subarray(s.offset, s.offset + s.size);
    };
    const tm = data('.gnu.linkonce.this_module');
    expect(Buffer.from(tm.subarray(24, 33)).toString('latin1')).toBe('demo_mod\0');
    expect(tm.subarray(33).every((b) => b === 0)).toBe(true);
    const v = data('__versions');
    const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
    const names = [...UNDEFINED, 'module_layout'];
    names.forEach((n, i) => {
      expect(dv.getBigUint64(i * 64, true)).toBe(BigInt(defaultSymbolCrc(n)));
      expect(Buffer.from(v.subarray(i * 64 + 8, i * 64 + 8 + n.length + 1)).toString('latin1')).toBe(
        `${n}\0`,
      );
    });
    const crc = data('__kcrctab');
    const dc = new DataView(crc.buffer, crc.byteOffset, crc.byteLength);
    expect([0, 1, 2].map((i) => dc.getUint32(i * 4, true))).toEqual(
      ['demo_aaa', 'demo_beta', 'demo_zeta'].map(defaultSymbolCrc),
    );
    // A CRC map or function replaces the default.
    const custom = buildKo({ name: 'c', imports: ['a', 'b'], crcs: { a: 7 } });
    const cf = ElfFile.parse(custom);
    if (!cf.ok) throw new Error(cf.error.message);
    const cv = cf.value.sectionByName('__versions');
    if (cv === undefined) throw new Error('no __versions');
    const cview = new DataView(custom.buffer, custom.byteOffset + cv.offset, cv.size);
    expect(cview.getUint32(0, true)).toBe(7);
    expect(cview.getUint32(64, true)).toBe(defaultSymbolCrc('b'));
  });

  it('honours the options: no modversions, no retpoline, permanent, another struct module, sizes', () => {
    const plain = buildKo(
      { name: 'p', exports: ['f'], permanent: true, sizes: { text: 4096, data: 100, bss: 5000 } },
      {
        modversions: false,
        retpoline: false,
        thisModule: { size: 0x340, initOffset: 0x150, exitOffset: 0x330 },
      },
    );
    const f = ElfFile.parse(plain);
    if (!f.ok) throw new Error(f.error.message);
    const names = f.value.sections.map((s) => s.name);
    expect(names).not.toContain('__versions');
    expect(names).not.toContain('__kcrctab');
    expect(names).not.toContain('.exit.text');
    expect(names).not.toContain('.exit.data');
    expect(f.value.sectionByName('.gnu.linkonce.this_module')?.size).toBe(0x340);
    expect(f.value.sectionByName('.text')?.size).toBe(4096);
    expect(f.value.sectionByName('.data')?.size).toBe(100);
    expect(f.value.sectionByName('.bss')?.size).toBe(5000);
    const text = Buffer.from(plain).toString('latin1');
    expect(text).toContain('vermagic=6.1.0-50-amd64 SMP preempt mod_unload \0');
    expect(text).not.toContain('retpoline=Y');
    if (READELF) {
      const re = readelfImage(plain);
      expect(re.stderr).toBe('');
      expect(
        re.parsed.relocations
          .find((r) => r.name === '.rela.gnu.linkonce.this_module')
          ?.entries.map((e) => Number(e.offset)),
      ).toEqual([0x150]);
    }
  });

  it('adds unstripped-style .debug_* sections whose relocations target non-ALLOC sections', () => {
    const img = buildKo(SPEC, { debugSections: true });
    const f = ElfFile.parse(img);
    if (!f.ok) throw new Error(f.error.message);
    for (const n of ['.debug_info', '.debug_abbrev', '.debug_line', '.debug_str']) {
      const s = f.value.sectionByName(n);
      expect(s?.flags).toBe(n === '.debug_str' ? 0x30 : 0); // never SHF_ALLOC
    }
    const rel = f.value.sectionByName('.rela.debug_info');
    expect(rel?.info).toBe(f.value.sectionByName('.debug_info')?.index);
    if (READELF) {
      const re = readelfImage(img);
      expect(re.stderr).toBe('');
      expect(
        re.parsed.relocations.find((r) => r.name === '.rela.debug_info')?.entries.map((e) => e.type),
      ).toEqual(['R_X86_64_32', 'R_X86_64_32', 'R_X86_64_64', 'R_X86_64_64', 'R_X86_64_32']);
    }
  });

  it('rejects specs it cannot build, naming the field', () => {
    const bad: [ModuleSpec, RegExp][] = [
      [{ name: 'a b' }, /name/],
      [{ name: 'x'.repeat(56) }, /name/],
      [{ name: 'm', imports: ['init_module'] }, /reserves/],
      [{ name: 'm', imports: ['f'], exports: ['f'] }, /twice/],
      [{ name: 'm', params: [{ name: 'p', type: 'int', default: 2 ** 31 }] }, /range of int/],
      [{ name: 'm', params: [{ name: 'p', type: 'string' }] }, /maxlen/],
      [{ name: 'm', params: [{ name: 'p', type: 'string', maxlen: 3, default: 'abc' }] }, /maxlen/],
      [{ name: 'm', params: [{ name: 'p', type: 'int', array: 2, default: [1, 2, 3] }] }, /more than 2/],
      [{ name: 'm', params: [{ name: 'p', type: 'bool', default: 1 }] }, /boolean/],
      [{ name: 'm', description: 'a\nb' }, /control/],
      [{ name: 'm', extraModinfo: [['license', 'GPL']] }, /extraModinfo/],
      [{ name: 'm', behaviour: { init: [{ return: 'ENOTANERRNO' } as never] } }, /errno/],
      [{ name: 'm', imports: ['printk_R1b7d4074'] }, /reserves/],
    ];
    for (const [spec, message] of bad) {
      expect(() => buildKo(spec)).toThrow(ModuleSpecError);
      expect(() => buildKo(spec)).toThrow(message);
    }
  });
});
