/**
 * The builder against kbuild itself: a small C module (params of four kinds, plain/GPL/namespaced exports, an
 * imported namespace) is compiled with Debian's 6.1 headers; readModuleSpec reads the real `.ko`, the builder
 * writes the same spec, and everything the module loader looks at must match — modinfo, `__param` decoding,
 * the export tables and CRCs, `__versions`, `struct module` relocations, section attributes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildKo } from '../../../../src/elf/builder/ko-builder.js';
import { readModuleSpec } from '../../../../src/elf/builder/read-module-spec.js';
import { ElfFile } from '../../../../src/elf/elf-file.js';
import { readKsymtab } from '../../../../src/elf/ksymtab.js';
import { readModinfo } from '../../../../src/elf/modinfo.js';
import { readParams } from '../../../../src/elf/params.js';
import { RelocationIndex, readRelocationSections } from '../../../../src/elf/relocations.js';
import { SymbolTable } from '../../../../src/elf/symbols.js';
import { readVersions } from '../../../../src/elf/versions.js';

const SOURCE = `
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/jiffies.h>

static int count = 3;
module_param(count, int, 0644);
MODULE_PARM_DESC(count, "how many");
static char *names[4];
static int nr_names;
module_param_array(names, charp, &nr_names, 0444);
static char label[32] = "probe";
module_param_string(label, label, sizeof(label), 0600);
static bool verbose;
module_param(verbose, bool, 0644);

int kms_plain(int x) { return x + count + (int)jiffies; }
EXPORT_SYMBOL(kms_plain);
int kms_gpl(int x) { return x * 2; }
EXPORT_SYMBOL_GPL(kms_gpl);
int kms_ns(int x) { return x - 1; }
EXPORT_SYMBOL_NS_GPL(kms_ns, KMS_NS);

static int __init kms_init(void) { pr_info("hello %d\\n", count); return 0; }
static void __exit kms_exit(void) { }
module_init(kms_init);
module_exit(kms_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodsim");
MODULE_DESCRIPTION("probe");
MODULE_IMPORT_NS(USB_STORAGE);
`;

/** Kernel headers with a kbuild tree for the corpus' kernel (or any amd64 one installed). */
function findHeaders(): string | undefined {
  if (spawnSync('make', ['--version'], { stdio: 'ignore' }).status !== 0) return undefined;
  if (!existsSync('/usr/src')) return undefined;
  const dirs = readdirSync('/usr/src')
    .filter((d) => /^linux-headers-.*-amd64$/.test(d))
    .sort((a, b) => (a.includes('6.1.0-50') ? -1 : b.includes('6.1.0-50') ? 1 : a.localeCompare(b)));
  return dirs.map((d) => join('/usr/src', d)).find((d) => existsSync(join(d, 'Makefile')));
}

const HEADERS = findHeaders();

function parse(bytes: Uint8Array) {
  const f = ElfFile.parse(bytes);
  if (!f.ok) throw new Error(f.error.message);
  const syms = SymbolTable.read(f.value);
  const rels = readRelocationSections(f.value);
  if (!syms.ok || !rels.ok) throw new Error('unreadable');
  return { file: f.value, syms: syms.value, index: new RelocationIndex(rels.value), rels: rels.value, bytes };
}

describe.skipIf(HEADERS === undefined)('buildKo vs a kbuild-built module', () => {
  let dir = '';
  let real = new Uint8Array(0);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kmodsim-kbuild-'));
    writeFileSync(join(dir, 'kmsprobe.c'), SOURCE);
    writeFileSync(join(dir, 'Makefile'), 'obj-m := kmsprobe.o\n');
    execFileSync('make', ['-C', HEADERS ?? '', `M=${dir}`, 'modules'], { stdio: 'pipe' });
    execFileSync('strip', ['--strip-debug', join(dir, 'kmsprobe.ko')]);
    real = readFileSync(join(dir, 'kmsprobe.ko'));
  }, 120_000);
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const rebuilt = () => {
    const r = readModuleSpec(real);
    if (!r.ok) throw new Error(r.error);
    if (r.value.target.format !== 'ko') throw new Error('not a .ko');
    return { read: r.value, built: buildKo(r.value.spec, r.value.target.options) };
  };

  it('readModuleSpec reads the kbuild module as its C source says', () => {
    const { read } = rebuilt();
    const s = read.spec;
    expect(s).toMatchObject({
      name: 'kmsprobe',
      license: 'GPL',
      author: 'kmodsim',
      description: 'probe',
      importNs: ['USB_STORAGE'],
      intree: false,
      permanent: false,
    });
    expect(s.exports).toEqual(
      expect.arrayContaining([
        'kms_plain',
        { name: 'kms_gpl', gpl: true },
        { name: 'kms_ns', gpl: true, namespace: 'KMS_NS' },
      ]),
    );
    expect(s.imports).toEqual(expect.arrayContaining(['_printk', { name: 'jiffies', kind: 'data' }]));
    const params = [...(s.params ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    expect(params).toEqual([
      { name: 'count', type: 'int', default: 3, perm: 0o644, description: 'how many' },
      { name: 'label', type: 'string', maxlen: 32, default: 'probe', perm: 0o600 },
      { name: 'names', type: 'charp', array: 4, default: [], perm: 0o444 },
      { name: 'verbose', type: 'bool', default: false, perm: 0o644 },
    ]);
    expect(read.target).toMatchObject({
      options: {
        modversions: true,
        retpoline: true,
        thisModule: { size: 0x380, initOffset: 0x138, exitOffset: 0x350 },
      },
    });
  });

  it('writes a module that reads back exactly like the kbuild one (sizes aside)', () => {
    const { read, built } = rebuilt();
    const again = readModuleSpec(built);
    if (!again.ok) throw new Error(again.error);
    const { sizes: _a, ...ours } = again.value.spec;
    const { sizes: _b, ...theirs } = read.spec;
    expect(ours).toEqual(theirs);
  });

  it('matches the loader-visible structures: modinfo, __param, export tables, __versions, struct module', () => {
    const { built } = rebuilt();
    const a = parse(built);
    const b = parse(real);
    const modinfo = (p: typeof a) => {
      const mi = readModinfo(p.file);
      if (!mi.ok) throw new Error(mi.error.message);
      return mi.value
        .pairs()
        .filter(([k]) => k !== 'srcversion')
        .map(([k, v]) => `${k}=${v}`)
        .sort();
    };
    expect(modinfo(a)).toEqual(modinfo(b));
    const params = (p: typeof a) => {
      const r = readParams(p.file, p.syms, p.index);
      if (!r.ok) throw new Error(r.error.message);
      return r.value
        .map((x) => ({
          name: x.name,
          perm: x.perm,
          level: x.level,
          flags: x.flags,
          ops: x.ops,
          kind: x.kind,
          type: x.type,
          array: x.array,
          string: x.string,
        }))
        .sort((x, y) => (x.name ?? '').localeCompare(y.name ?? ''));
    };
    expect(params(a)).toEqual(params(b));
    const exports = (p: typeof a) => {
      const r = readKsymtab(p.file, p.syms, p.index);
      if (!r.ok) throw new Error(r.error.message);
      return {
        layouts: r.value.layouts,
        symbols: r.value.symbols.map((e) => [e.kind, e.index, e.name, e.valueSymbol, e.namespace, e.crc]),
      };
    };
    expect(exports(a)).toEqual(exports(b));
    const versions = (p: typeof a) => {
      const v = readVersions(p.file);
      if (!v.ok || v.value === undefined) throw new Error('no __versions');
      return v.value.entries.map((e) => `${e.name}:${e.crc}`).sort();
    };
    expect(versions(a)).toEqual(versions(b));
    const thisModule = (p: typeof a) => {
      const tm = p.file.sectionByName('.gnu.linkonce.this_module');
      return p.rels
        .filter((r) => r.targetSection === tm?.index)
        .flatMap((r) =>
          Array.from({ length: r.count }, (_, i) => [r.offset(i), r.type(i), p.syms.name(r.symbolIndex(i))]),
        );
    };
    expect(thisModule(a)).toEqual(thisModule(b));
    const raw = (p: typeof a, n: string) => {
      const s = p.file.sectionByName(n);
      return s === undefined
        ? undefined
        : Buffer.from(p.bytes.subarray(s.offset, s.offset + s.size)).toString('hex');
    };
    for (const n of ['__kcrctab', '__kcrctab_gpl', '.gnu.linkonce.this_module'])
      expect(raw(a, n), n).toBe(raw(b, n));
  });

  it('writes every section kbuild writes that the loader uses, with kbuild’s attributes', () => {
    const { built } = rebuilt();
    const a = parse(built).file;
    const b = parse(real).file;
    const loaderSections = [
      '.note.gnu.build-id',
      '.text',
      '.init.text',
      '.exit.text',
      '__ksymtab',
      '__ksymtab_gpl',
      '__kcrctab',
      '__kcrctab_gpl',
      '__ksymtab_strings',
      '.modinfo',
      '__param',
      '.rodata',
      '__versions',
      '.data',
      '.init.data',
      '.exit.data',
      '.gnu.linkonce.this_module',
      '.bss',
      '.symtab',
      '.strtab',
      '.shstrtab',
    ];
    for (const n of loaderSections) {
      const x = a.sectionByName(n);
      const y = b.sectionByName(n);
      expect(y, `kbuild writes ${n}`).toBeDefined();
      expect(x, `builder writes ${n}`).toBeDefined();
      expect([n, x?.type, x?.flags], n).toEqual([n, y?.type, y?.flags]);
    }
    for (const s of a.sections.slice(1)) {
      const y = b.sectionByName(s.name);
      if (y === undefined) continue;
      expect([s.name, s.type, s.flags], s.name).toEqual([s.name, y.type, y.flags]);
    }
  });
});
