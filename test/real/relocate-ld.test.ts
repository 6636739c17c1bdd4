/**
 * The relocation engines against GNU ld. Random small C programs (two objects referring to each other's
 * functions and data, string literals, pointer tables, array indexing, PC-relative and absolute data words in
 * assembler) are compiled with `gcc -c` — x86_64 with `-mcmodel=kernel` at kernel addresses, x86_64 with
 * `-mcmodel=small` below 2 GiB (for R_X86_64_32), and i386 with `-m32` — then every allocated section of both
 * objects is placed at a random address. ld links them with a script putting each input section at exactly
 * that address; the engines relocate the same sections with symbols resolved as `simplify_symbols` does.
 * The relocated bytes must equal ld's, section by section.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EM_386,
  EM_X86_64,
  SHF_ALLOC,
  SHN_ABS,
  SHN_UNDEF,
  SHT_NOBITS,
  SHT_REL,
  SHT_RELA,
} from '../../src/abi/elf.js';
import { ElfFile } from '../../src/elf/elf-file.js';
import { createInsmodI386Relocator, RELOCATORS, type Relocator } from '../../src/elf/relocate/index.js';
import { SymbolTable } from '../../src/elf/symbols.js';

const WORK = mkdtempSync(join(tmpdir(), 'kmodsim-reloc-ld-'));
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

const HAVE_TOOLS =
  spawnSync('gcc', ['--version']).status === 0 && spawnSync('ld', ['--version']).status === 0;
const HAVE_M32 =
  HAVE_TOOLS &&
  (() => {
    const c = join(WORK, 'probe.c');
    writeFileSync(c, 'int probe(void) { return 1; }\n');
    return spawnSync('gcc', ['-m32', '-c', c, '-o', join(WORK, 'probe.o')]).status === 0;
  })();

type Model = 'kernel' | 'small' | 'i386';

const CFLAGS: Record<Model, string[]> = {
  kernel: ['-mcmodel=kernel', '-mno-red-zone'],
  small: ['-mcmodel=small'],
  i386: ['-m32'],
};
const COMMON_CFLAGS = [
  '-c',
  '-O1',
  '-fno-inline',
  '-fno-pic',
  '-fno-pie',
  '-fno-common',
  '-fno-asynchronous-unwind-tables',
  '-fno-unwind-tables',
  '-fno-stack-protector',
  '-fcf-protection=none',
];

/** A tiny deterministic generator over the seed fast-check hands us. */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

/** One object's C source: side `s` refers to side `o`'s `o_arr0`, `o_f0`, `o_scalar0`, `o_fN`. */
function program(s: string, o: string, model: Model, r: (n: number) => number): string {
  const nArr = 1 + r(3);
  const nFun = 1 + r(4);
  const lines: string[] = [
    `extern int ${o}_arr0[]; extern long ${o}_scalar0; extern int ${o}_f0(int);`,
    `int ${s}_len(const char *p) { int n = 0; while (p[n]) n++; return n; }`,
  ];
  const vals = (n: number) => Array.from({ length: n }, () => r(1000) - 500).join(', ');
  for (let k = 0; k < nArr; k++) {
    const len = 1 << (1 + r(4));
    lines.push(`int ${s}_arr${k}[${len}] = { ${vals(len)} };`);
    lines.push(`static int ${s}_sarr${k}[${len}] = { ${vals(len)} };`);
    lines.push(`const int ${s}_tab${k}[${len}] = { ${vals(len)} };`);
    lines.push(`int ${s}_bss${k}[${len}];`);
    lines.push(`long ${s}_scalar${k} = ${r(100000)};`);
    lines.push(
      `int ${s}_get${k}(int x) { return ${s}_arr${k}[x & ${len - 1}] + ${s}_sarr${k}[(x + 1) & ${len - 1}] + ${s}_tab${k}[x & ${len - 1}] + ${s}_bss${k}[x & ${len - 1}]; }`,
    );
  }
  for (let k = 0; k < nFun; k++) lines.push(`int ${s}_f${k}(int x);`);
  for (let k = 0; k < nFun; k++) {
    const terms: string[] = [`x * ${1 + r(9)}`];
    const nTerms = 1 + r(5);
    for (let t = 0; t < nTerms; t++) {
      const a = r(nArr);
      switch (r(7)) {
        case 0:
          terms.push(`${o}_f0(x + ${r(10)})`);
          break;
        case 1:
          terms.push(`${o}_arr0[x & 1]`);
          break;
        case 2:
          terms.push(`(int)${o}_scalar0`);
          break;
        case 3:
          terms.push(`${s}_len("${s}${k}_${t}_${r(1000)}")`);
          break;
        case 4:
          terms.push(`${s}_get${a}(x ^ ${r(64)})`);
          break;
        case 5:
          terms.push(`(int)${s}_scalar${a}`);
          break;
        default:
          // Calls forward and backward within the object (recursion guarded by the argument).
          terms.push(`(x > 0 ? ${s}_f${r(nFun)}(x - 1) : 0)`);
      }
    }
    lines.push(`int ${s}_f${k}(int x) { return ${terms.join(' + ')}; }`);
  }
  const ptrs: string[] = [];
  for (let k = 0; k < 2 + r(5); k++) {
    switch (r(5)) {
      case 0:
        ptrs.push(`(void *)&${s}_arr${r(nArr)}[${r(2)}]`);
        break;
      case 1:
        ptrs.push(`(void *)${s}_f${r(nFun)}`);
        break;
      case 2:
        ptrs.push(`(void *)(${o}_arr0 + ${r(4)})`);
        break;
      case 3:
        ptrs.push(`(void *)${o}_f0`);
        break;
      default:
        ptrs.push(`(void *)"${s}ptr${r(100)}"`);
    }
  }
  lines.push(`void *${s}_ptrs[] = { ${ptrs.join(', ')} };`);
  lines.push(`int (*const ${s}_fp)(int) = ${o}_f0;`);
  if (model === 'kernel' || model === 'small') {
    // PC-relative data words (PC32, PC64), as __jump_table and PREL32 __ksymtab entries hold them.
    lines.push(
      `asm(".pushsection .data.rel_words,\\"aw\\"\\n.balign 8\\n.quad ${o}_arr0 - . + ${r(64)}\\n.quad ${s}_f0 - .\\n.long ${o}_f0 - .\\n.long ${s}_arr0 - . + ${r(16)}\\n.popsection");`,
    );
  }
  if (model === 'small') {
    // R_X86_64_32 and R_X86_64_32S absolute words; only fit below 2 GiB.
    lines.push(
      `asm(".pushsection .data.abs_words,\\"aw\\"\\n.balign 4\\n.long ${o}_arr0 + ${r(32)}\\n.long ${s}_f0\\n.popsection");`,
    );
  }
  return `${lines.join('\n')}\n`;
}

interface Obj {
  readonly path: string;
  readonly elf: ElfFile;
  readonly symbols: SymbolTable;
  /** Allocated sections with contents or size, placed by the layout. */
  readonly alloc: number[];
}

function readObj(path: string): Obj {
  const b = readFileSync(path);
  const f = ElfFile.parse(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  if (!f.ok) throw new Error(`${path}: ${f.error.message}`);
  const symbols = SymbolTable.read(f.value);
  if (!symbols.ok) throw new Error(`${path}: ${symbols.error.message}`);
  const alloc = f.value.sections.filter((s) => (s.flags & SHF_ALLOC) !== 0 && s.size > 0).map((s) => s.index);
  return { path, elf: f.value, symbols: symbols.value, alloc };
}

function compile(name: string, source: string, model: Model, sections: boolean): Obj {
  const c = join(WORK, `${name}.c`);
  const o = join(WORK, `${name}.o`);
  writeFileSync(c, source);
  const extra = sections ? ['-ffunction-sections', '-fdata-sections'] : [];
  execFileSync('gcc', [...COMMON_CFLAGS, ...CFLAGS[model], ...extra, c, '-o', o], { stdio: 'pipe' });
  return readObj(o);
}

/** Section addresses for both objects: random order, random gaps, each aligned as its header asks. */
function layout(objs: readonly Obj[], model: Model, r: (n: number) => number): Map<string, bigint> {
  const items = objs.flatMap((o, oi) => o.alloc.map((s) => ({ oi, s, sec: o.elf.sections[s] })));
  for (let i = items.length - 1; i > 0; i--) {
    const j = r(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  let at =
    model === 'kernel'
      ? 0xffffffffa0000000n + BigInt(r(0x1000)) * 0x10000n
      : model === 'small'
        ? 0x400000n + BigInt(r(0x4000)) * 0x1000n
        : 0xc8800000n + BigInt(r(0x100)) * 0x10000n;
  const out = new Map<string, bigint>();
  for (const { oi, s, sec } of items) {
    at += BigInt(r(0x400));
    const a = BigInt(Math.max(1, sec.addralign));
    at = ((at + a - 1n) / a) * a;
    out.set(`${oi}:${s}`, at);
    at += BigInt(sec.size);
  }
  return out;
}

function linkerScript(objs: readonly Obj[], place: Map<string, bigint>): string {
  const lines = ['SECTIONS {'];
  objs.forEach((o, oi) => {
    for (const s of o.alloc) {
      const sec = o.elf.sections[s];
      lines.push(
        `  .k${oi}_${s} 0x${(place.get(`${oi}:${s}`) ?? 0n).toString(16)} : { ${o.path}(${sec.name}) }`,
      );
    }
  });
  lines.push('  /DISCARD/ : { *(.comment) *(.note.GNU-stack) *(.eh_frame) }', '}');
  return `${lines.join('\n')}\n`;
}

/** `simplify_symbols`: section-relative values become addresses; undefined ones come from the other object. */
function symbolValues(objs: readonly Obj[], oi: number, place: Map<string, bigint>): BigUint64Array {
  const o = objs[oi];
  const globals = new Map<string, bigint>();
  objs.forEach((p, pi) => {
    if (pi === oi) return;
    for (let i = 1; i < p.symbols.count; i++) {
      const sh = p.symbols.shndx(i);
      const name = p.symbols.name(i);
      if (sh === SHN_UNDEF || p.symbols.bind(i) === 0 || name === undefined) continue;
      globals.set(name, (place.get(`${pi}:${sh}`) ?? 0n) + p.symbols.value(i));
    }
  });
  const v = new BigUint64Array(o.symbols.count);
  for (let i = 1; i < o.symbols.count; i++) {
    const sh = o.symbols.shndx(i);
    if (sh === SHN_UNDEF) {
      const g = globals.get(o.symbols.name(i) ?? '');
      if (g === undefined) throw new Error(`unresolved ${o.symbols.name(i)}`);
      v[i] = g;
    } else if (sh === SHN_ABS) v[i] = o.symbols.value(i);
    else v[i] = BigInt.asUintN(64, (place.get(`${oi}:${sh}`) ?? 0n) + o.symbols.value(i));
  }
  return v;
}

const typeCounts = new Map<string, number>();

/** Links with ld and relocates with the engine; returns the differing sections. */
function check(objs: readonly Obj[], model: Model, place: Map<string, bigint>, engine?: Relocator): string[] {
  const script = join(WORK, 'layout.ld');
  const out = join(WORK, 'linked.elf');
  writeFileSync(script, linkerScript(objs, place));
  const emu = model === 'i386' ? 'elf_i386' : 'elf_x86_64';
  execFileSync('ld', ['-m', emu, '-T', script, '--no-relax', '-nostdlib', '-static', '-e', '0', '-o', out], {
    stdio: 'pipe',
  });
  const linked = readObj(out);
  const diffs: string[] = [];
  objs.forEach((o, oi) => {
    const values = symbolValues(objs, oi, place);
    const relocator = engine ?? RELOCATORS.get(o.elf.header.machine);
    if (relocator === undefined) throw new Error('no relocator');
    for (const s of o.alloc) {
      const sec = o.elf.sections[s];
      if (sec.type === SHT_NOBITS) continue;
      const data = o.elf.sectionData(sec);
      if (!data.ok) throw new Error(data.error.message);
      const target = new Uint8Array(data.value);
      for (const rs of o.elf.sections) {
        if ((rs.type !== SHT_RELA && rs.type !== SHT_REL) || rs.info !== s) continue;
        const dv = new DataView(o.elf.bytes.buffer, o.elf.bytes.byteOffset + rs.offset, rs.size);
        const es = rs.type === SHT_RELA ? 24 : 8;
        for (let e = 0; e < rs.size; e += es) {
          const t = es === 24 ? dv.getUint32(e + 8, true) : dv.getUint32(e + 4, true) & 0xff;
          const key = `${o.elf.header.machine}:${t}`;
          typeCounts.set(key, (typeCounts.get(key) ?? 0) + 1);
        }
        const r = relocator.applyRelocations({
          image: o.elf.bytes,
          relOffset: rs.offset,
          relSize: rs.size,
          isRela: rs.type === SHT_RELA,
          target,
          targetAddress: place.get(`${oi}:${s}`) ?? 0n,
          symbolValues: values,
          moduleName: `obj${oi}`,
        });
        if (!r.ok) diffs.push(`${o.path} ${sec.name}: ${r.error.reason}`);
      }
      const theirs = linked.elf.sectionByName(`.k${oi}_${s}`);
      const want = theirs === undefined ? undefined : linked.elf.sectionData(theirs);
      if (want === undefined || !want.ok) {
        diffs.push(`${sec.name}: not in ld's output`);
        continue;
      }
      if (Buffer.compare(Buffer.from(want.value), Buffer.from(target)) !== 0) {
        let at = 0;
        while (at < target.length && target[at] === want.value[at]) at++;
        diffs.push(`obj${oi} ${sec.name}: first difference at +0x${at.toString(16)}`);
      }
    }
  });
  return diffs;
}

function property(model: Model, programs: number, layouts: number): void {
  let n = 0;
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 0x7fffffff }), fc.boolean(), (seed, sections) => {
      const r = rng(seed);
      const tag = `${model}${n++}`;
      const objs = [
        compile(`${tag}a`, program('a', 'b', model, r), model, sections),
        compile(`${tag}b`, program('b', 'a', model, r), model, sections && r(2) === 0),
      ];
      for (let l = 0; l < layouts; l++) {
        const place = layout(objs, model, r);
        expect(check(objs, model, place)).toEqual([]);
        // modutils 2.4 insmod applies the same formulas to these types in user space.
        if (model === 'i386') {
          const insmod = createInsmodI386Relocator({ baseAddress: 0 });
          expect(check(objs, model, place, insmod)).toEqual([]);
        }
      }
    }),
    { numRuns: programs },
  );
}

describe.skipIf(!HAVE_TOOLS)('relocation engines equal GNU ld', () => {
  it('x86_64 -mcmodel=kernel objects at kernel addresses (PLT32, PC32, 32S, 64, PC64)', () => {
    property('kernel', 12, 4);
    for (const t of [1, 2, 4, 11, 24]) expect(typeCounts.get(`${EM_X86_64}:${t}`) ?? 0).toBeGreaterThan(0);
  });

  it('x86_64 -mcmodel=small objects below 2 GiB (adds R_X86_64_32)', () => {
    property('small', 5, 3);
    expect(typeCounts.get(`${EM_X86_64}:10`) ?? 0).toBeGreaterThan(0);
  });

  it('absolute 32-bit fields at kernel addresses: ld says "truncated to fit", the engine says overflow', () => {
    const r = rng(12345);
    const objs = [
      compile('ovfa', program('a', 'b', 'small', r), 'small', false),
      compile('ovfb', program('b', 'a', 'small', r), 'small', false),
    ];
    const place = layout(objs, 'kernel', r);
    const script = join(WORK, 'overflow.ld');
    writeFileSync(script, linkerScript(objs, place));
    const ld = spawnSync(
      'ld',
      ['-T', script, '--no-relax', '-nostdlib', '-static', '-e', '0', '-o', join(WORK, 'ovf.elf')],
      {
        encoding: 'utf8',
      },
    );
    expect(ld.status).not.toBe(0);
    expect(ld.stderr).toMatch(/relocation truncated to fit: R_X86_64_32S? /);
    const lines: string[] = [];
    objs.forEach((o, oi) => {
      const values = symbolValues(objs, oi, place);
      for (const rs of o.elf.sections) {
        if (rs.type !== SHT_RELA || !o.alloc.includes(rs.info)) continue;
        const data = o.elf.sectionData(o.elf.sections[rs.info]);
        if (!data.ok) continue;
        RELOCATORS.get(EM_X86_64)?.applyRelocations({
          image: o.elf.bytes,
          relOffset: rs.offset,
          relSize: rs.size,
          isRela: true,
          target: data.value.slice(),
          targetAddress: place.get(`${oi}:${rs.info}`) ?? 0n,
          symbolValues: values,
          moduleName: `obj${oi}`,
          log: (l) => lines.push(l),
        });
      }
    });
    expect(lines.some((l) => /^module: overflow in relocation type 1[01] val /.test(l))).toBe(true);
  });

  it.skipIf(!HAVE_M32)(
    'i386 -m32 objects (REL: R_386_32, R_386_PC32/PLT32), kernel and insmod 2.4 engines',
    () => {
      property('i386', 10, 4);
      expect(typeCounts.get(`${EM_386}:1`) ?? 0).toBeGreaterThan(0);
      expect((typeCounts.get(`${EM_386}:2`) ?? 0) + (typeCounts.get(`${EM_386}:4`) ?? 0)).toBeGreaterThan(0);
    },
  );
});
