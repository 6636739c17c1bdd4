/**
 * Differential tests of the ELF reader against GNU readelf (`-SW`, `-sW`, `-rW`, `-p .modinfo`): section table
 * (incl. addralign/entsize), symbol table, every relocation entry and `.modinfo` strings must be equal, on
 * (a) objects compiled here (gcc x86_64 and -m32; a kbuild module when kernel headers are installed),
 * (b) a sample of Debian kernel modules (`ELF_READELF_SAMPLE=all` for the whole tree, default 60), and
 * (c) the project's ELF builder output once it exists. The module metadata decoders are checked against the
 * same modules' `.modinfo` and Module.symvers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type BuildTarget, buildModule } from '../../src/elf/builder/build-target.js';
import { ElfFile } from '../../src/elf/elf-file.js';
import { parseModuleImage } from '../../src/elf/module-image.js';
import { arbModuleSpec } from '../support/arb-module-spec.js';
import { readelfImage } from '../unit/elf/builder/support/tools.js';
import { buildModuleFixture } from '../unit/elf/fixtures/module-fixture.js';
import { findModuleCorpus, sampleModules } from '../unit/elf/support/module-corpus.js';
import { type DiffCounts, diffAgainstReadelf } from '../unit/elf/support/readelf-diff.js';
import { haveReadelf, readelfBatch } from '../unit/elf/support/readelf-output.js';

const REPO = resolve(import.meta.dirname, '../..');
const SAMPLE =
  process.env.ELF_READELF_SAMPLE === 'all'
    ? Number.POSITIVE_INFINITY
    : Number(process.env.ELF_READELF_SAMPLE ?? 60);

function loudSkip(title: string, reason: string): void {
  console.warn(`\n*** SKIPPED: ${title}: ${reason} ***\n`);
  it.skip(`${title} — SKIPPED: ${reason}`, () => {});
}

function load(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Compares every file of `files` with readelf and returns the counts of compared items. */
function compareAll(files: readonly string[]): DiffCounts {
  const counts: DiffCounts = { sections: 0, symbols: 0, relocations: 0, modinfo: 0 };
  const failures: string[] = [];
  // Batches keep readelf's output (all relocations of all files) to a reasonable size.
  for (let start = 0; start < files.length; start += 40) {
    const batch = files.slice(start, start + 40);
    const re = readelfBatch(batch);
    for (const path of batch) {
      const theirs = re.get(path);
      if (theirs === undefined) {
        failures.push(`${path}: no readelf output`);
        continue;
      }
      const f = ElfFile.parse(load(path));
      if (!f.ok) {
        failures.push(`${path}: reader failed: ${f.error.message}`);
        continue;
      }
      if (f.value.parsedBy !== 'elfy') failures.push(`${path}: elfy not used (${f.value.fallbackReason})`);
      for (const p of diffAgainstReadelf(f.value, theirs, counts)) failures.push(`${path}: ${p}`);
    }
  }
  expect(failures.slice(0, 30)).toEqual([]);
  return counts;
}

const C_SOURCE = `
#include <stddef.h>
extern int printf(const char *, ...);
extern int ext_counter;
static int local_table[16] = { 1, 2, 3 };
int global_data = 42;
const char *names[] = { "alpha", "beta", "gamma" };
__attribute__((section(".modinfo"), used)) static const char mi1[] = "license=GPL";
__attribute__((section(".modinfo"), used)) static const char mi2[] = "alias=kmodsim-a";
__attribute__((section(".modinfo"), used)) static const char mi3[] = "alias=kmodsim-b";
static int helper(int x) { return local_table[x & 15] + ext_counter; }
int exported(int x) { printf("%d %s\\n", helper(x), names[x % 3]); return global_data + x; }
long big(long x) { return x * 1000003L + (long)&global_data; }
`;

const SCRATCH = join(tmpdir(), `kmodsim-elf-${process.pid}`);
afterAll(() => rmSync(SCRATCH, { recursive: true, force: true }));

describe.skipIf(!haveReadelf())('ELF reader vs readelf', () => {
  describe('objects compiled here', () => {
    const dir = join(SCRATCH, 'gcc');
    const variants = [
      ['x86_64.o', ['-O2', '-fno-pic', '-mcmodel=kernel']],
      ['x86_64-debug.o', ['-O1', '-g', '-ffunction-sections', '-fdata-sections']],
      ['i386.o', ['-m32', '-O2', '-fno-pic']],
      ['i386-pic.o', ['-m32', '-O2', '-fpic', '-g']],
    ] as const;
    it('gcc -c output (ELF64 RELA, ELF32 REL) equals readelf', () => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'obj.c'), C_SOURCE);
      const built: string[] = [];
      for (const [out, flags] of variants) {
        try {
          execFileSync('gcc', ['-c', ...flags, '-o', join(dir, out), join(dir, 'obj.c')], { stdio: 'pipe' });
          built.push(join(dir, out));
        } catch (e) {
          console.warn(`*** gcc ${flags.join(' ')} failed, variant not compared: ${String(e)} ***`);
        }
      }
      expect(built.length).toBeGreaterThanOrEqual(2);
      const counts = compareAll(built);
      expect(counts.relocations).toBeGreaterThan(10);
      expect(counts.modinfo).toBe(3 * built.length);
    });
  });

  describe('generated images in every class and byte order', () => {
    it('module-shaped ELF32/ELF64 LSB/MSB images equal readelf', () => {
      const dir = join(SCRATCH, 'fixtures');
      mkdirSync(dir, { recursive: true });
      const files = [true, false].flatMap((is64) =>
        [true, false].map((le) => {
          const p = join(dir, `fixture-${is64 ? 64 : 32}-${le ? 'lsb' : 'msb'}.o`);
          writeFileSync(p, buildModuleFixture({ is64, le }));
          return p;
        }),
      );
      const counts = compareAll(files);
      expect(counts.relocations).toBeGreaterThan(4 * 20);
      expect(counts.modinfo).toBe(4 * 6);
    });
  });

  describe('kbuild module', () => {
    const headers = existsSync('/usr/src')
      ? readdirSync('/usr/src')
          .filter((d) => /^linux-headers-.*-amd64$/.test(d))
          .map((d) => join('/usr/src', d))
          .find((d) => existsSync(join(d, 'Makefile')))
      : undefined;
    if (headers === undefined) {
      loudSkip('kbuild module', 'no /usr/src/linux-headers-*-amd64 with a Makefile');
      return;
    }
    it('a kbuild-built module equals readelf and its metadata decodes as declared', () => {
      const dir = join(REPO, '.cache/elf-kbuild');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'Makefile'), 'obj-m := kmodsim_elf_probe.o\n');
      writeFileSync(join(dir, 'kmodsim_elf_probe.c'), KBUILD_SOURCE);
      const ko = join(dir, 'kmodsim_elf_probe.ko');
      execFileSync('make', ['-s', '-C', headers, `M=${dir}`, 'modules'], { stdio: 'pipe' });
      const counts = compareAll([ko]);
      expect(counts.relocations).toBeGreaterThan(20);
      const image = parseModuleImage(load(ko));
      expect(image.ok).toBe(true);
      if (!image.ok) return;
      const m = image.value;
      const ks = m.ksymtab();
      expect(ks.ok && ks.value.symbols.map((s) => [s.kind, s.name, s.namespace])).toEqual([
        ['plain', 'kmodsim_probe_plain', undefined],
        ['gpl', 'kmodsim_probe_gpl', undefined],
        ['gpl', 'kmodsim_probe_ns', 'KMODSIM_NS'],
      ]);
      const params = m.params();
      // gcc emits the __param entries in its own order: compare by name.
      const byName = params.ok
        ? [...params.value].sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1))
        : [];
      expect(byName.map((p) => [p.name, p.type, p.perm])).toEqual([
        ['count', 'int', 0o644],
        ['label', 'string', 0o600],
        ['names', 'array of charp', 0o444],
        ['verbose', 'bool', 0o644],
      ]);
      expect(byName[2].array).toEqual({ max: 4, elemsize: 8, elemType: 'charp' });
      expect(byName[1].string).toEqual({ maxlen: 32 });
      expect(m.name()).toBe('kmodsim_elf_probe');
      const tm = m.thisModule();
      expect(tm.ok && tm.value?.name).toBe('kmodsim_elf_probe');
      const mi = m.modinfo();
      expect(mi.ok && mi.value.getAll('alias').sort()).toEqual(['kmodsim-probe-a', 'kmodsim-probe-b']);
      const v = m.versions();
      expect(v.ok && v.value?.find('module_layout')).toBeDefined();
    });
  });

  describe('Debian kernel modules', () => {
    const corpus = findModuleCorpus();
    if ('missing' in corpus) {
      loudSkip('Debian module sample', corpus.missing);
      return;
    }
    const sample = sampleModules(
      corpus,
      SAMPLE,
      Number.isFinite(SAMPLE) ? 1 << 20 : Number.POSITIVE_INFINITY,
    );

    it(`a sample of ${sample.length} modules equals readelf (sections, symbols, relocations, .modinfo)`, () => {
      expect(sample.length).toBeGreaterThanOrEqual(Math.min(50, corpus.modules.length));
      const counts = compareAll(sample);
      console.info(`readelf: ${sample.length} modules, ${JSON.stringify(counts)}`);
      expect(counts.sections).toBeGreaterThan(sample.length * 10);
      expect(counts.symbols).toBeGreaterThan(sample.length * 10);
      expect(counts.relocations).toBeGreaterThan(sample.length * 10);
      expect(counts.modinfo).toBeGreaterThan(sample.length * 3);
    });

    it('decoded metadata agrees with .modinfo parmtype, Module.symvers and the file name', () => {
      const symvers = findSymvers(corpus.dir);
      const problems: string[] = [];
      let params = 0;
      let exports = 0;
      let versions = 0;
      for (const path of sample) {
        const image = parseModuleImage(load(path));
        if (!image.ok) {
          problems.push(`${path}: ${image.error.message}`);
          continue;
        }
        const m = image.value;
        const base = path.split('/').pop()?.replace(/\.ko$/, '').replaceAll('-', '_');
        if (m.name() !== base) problems.push(`${path}: name ${m.name()} != ${base}`);
        const tm = m.thisModule();
        if (!tm.ok || tm.value?.name !== base)
          problems.push(`${path}: struct module name ${tm.ok && tm.value?.name}`);
        if (!(m.signature.ok && m.signature.value?.idType === 2))
          problems.push(`${path}: no PKCS#7 signature trailer`);
        const mi = m.modinfo();
        const p = m.params();
        if (!mi.ok || !p.ok) {
          problems.push(`${path}: modinfo/params unreadable`);
          continue;
        }
        const declared = new Map(
          mi.value
            .getAll('parmtype')
            .map((s) => [s.slice(0, s.indexOf(':')), s.slice(s.indexOf(':') + 1)] as const),
        );
        for (const x of p.value) {
          if (x.name === undefined) problems.push(`${path}: param ${x.index} without name`);
          const want = x.name === undefined ? undefined : declared.get(x.name);
          if (x.type !== undefined && want !== undefined) {
            params++;
            if (want !== x.type)
              problems.push(`${path}: param ${x.name} decoded ${x.type}, parmtype ${want}`);
          }
        }
        const ks = m.ksymtab();
        if (!ks.ok) problems.push(`${path}: ksymtab ${ks.error.message}`);
        else if (symvers !== undefined) {
          for (const s of ks.value.symbols) {
            exports++;
            const entry = s.name === undefined ? undefined : symvers.get(s.name);
            if (entry === undefined) {
              problems.push(`${path}: export ${s.name} not in Module.symvers`);
              continue;
            }
            const kind = s.kind === 'gpl' ? 'EXPORT_SYMBOL_GPL' : 'EXPORT_SYMBOL';
            if (entry.type !== kind) problems.push(`${path}: ${s.name} is ${entry.type}, decoded ${kind}`);
            if (entry.crc !== s.crc) problems.push(`${path}: ${s.name} crc ${s.crc} != ${entry.crc}`);
            if ((entry.namespace || undefined) !== s.namespace)
              problems.push(`${path}: ${s.name} namespace ${s.namespace}`);
            if (s.valueSymbol !== s.name)
              problems.push(`${path}: ${s.name} value relocates to ${s.valueSymbol}`);
          }
        }
        const v = m.versions();
        if (!v.ok || v.value === undefined) problems.push(`${path}: no __versions`);
        else if (symvers !== undefined) {
          for (const e of v.value.entries) {
            const entry = symvers.get(e.name);
            if (entry === undefined) continue; // module_layout and friends live only in vmlinux's own table
            versions++;
            if (entry.crc !== e.crc) problems.push(`${path}: __versions ${e.name} ${e.crc} != ${entry.crc}`);
          }
        }
      }
      console.info(
        `metadata: ${sample.length} modules, ${params} params, ${exports} exports, ${versions} versions checked`,
      );
      expect(problems.slice(0, 30)).toEqual([]);
      expect(params).toBeGreaterThan(0);
      expect(versions).toBeGreaterThan(sample.length);
      if (symvers !== undefined) expect(exports).toBeGreaterThan(0);
      else console.warn('*** Module.symvers not found: export/CRC checks against it were not run ***');
    });
  });

  describe('builder output', () => {
    // Random specs for every format the builder writes; readelf parses each image and the reader agrees with
    // it on every section, symbol, relocation and .modinfo string.
    const targets: readonly BuildTarget[] = [
      { format: 'ko' },
      { format: 'i386', options: { era: '2.4' } },
      { format: 'i386', options: { era: '2.0' } },
      { format: 'i386', options: { era: '1.x' } },
      { format: 'dlkm' },
    ];
    for (const target of targets) {
      const label = target.format === 'i386' ? `i386 ${target.options.era}` : target.format;
      it(`random ${label} images equal readelf (sections, symbols, relocations, .modinfo)`, () => {
        const counts: DiffCounts = { sections: 0, symbols: 0, relocations: 0, modinfo: 0 };
        fc.assert(
          fc.property(arbModuleSpec({ target }), (spec) => {
            const image = buildModule(target, spec);
            const re = readelfImage(image, '.modinfo');
            expect(re.status).toBe(0);
            const file = ElfFile.parse(image);
            if (!file.ok) throw new Error(file.error.message);
            expect(diffAgainstReadelf(file.value, re.parsed, counts)).toEqual([]);
          }),
          { numRuns: 25 },
        );
        expect(counts.sections).toBeGreaterThan(25 * 5);
        expect(counts.symbols).toBeGreaterThan(25);
        expect(counts.relocations).toBeGreaterThan(0);
      });
    }
  });
});

interface SymversEntry {
  readonly crc: number;
  readonly module: string;
  readonly type: string;
  readonly namespace: string;
}

/** Module.symvers of the headers matching the corpus' kernel version, when present. */
function findSymvers(modulesDir: string): Map<string, SymversEntry> | undefined {
  const kver = modulesDir.split('/').pop() ?? '';
  const root = modulesDir.replace(/\/lib\/modules\/[^/]+$/, '');
  for (const p of [
    join(root, `usr/src/linux-headers-${kver}/Module.symvers`),
    `/usr/src/linux-headers-${kver}/Module.symvers`,
  ]) {
    if (!existsSync(p)) continue;
    const m = new Map<string, SymversEntry>();
    for (const line of readFileSync(p, 'utf8').split('\n')) {
      const [crc, name, module, type, namespace] = line.split('\t');
      if (name === undefined || type === undefined) continue;
      m.set(name, { crc: Number.parseInt(crc, 16) >>> 0, module, type, namespace: namespace ?? '' });
    }
    return m;
  }
  return undefined;
}

const KBUILD_SOURCE = `
#include <linux/module.h>
#include <linux/moduleparam.h>

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

int kmodsim_probe_plain(int x) { return x + count; }
EXPORT_SYMBOL(kmodsim_probe_plain);
int kmodsim_probe_gpl(int x) { return x * 2; }
EXPORT_SYMBOL_GPL(kmodsim_probe_gpl);
int kmodsim_probe_ns(int x) { return x - 1; }
EXPORT_SYMBOL_NS_GPL(kmodsim_probe_ns, KMODSIM_NS);

static int __init probe_init(void) { pr_info("probe %d %s %d\\n", count, label, verbose); return 0; }
static void __exit probe_exit(void) { }
module_init(probe_init);
module_exit(probe_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS("kmodsim-probe-a");
MODULE_ALIAS("kmodsim-probe-b");
MODULE_DESCRIPTION("kmodsim ELF reader probe");
`;
