#!/usr/bin/env node
/**
 * ELF benchmark over a whole distribution kernel: every `.ko` of the Debian package set is parsed (section
 * table, symbol table, relocation sections) and relocated at a simulated module-area layout (every RELA
 * section whose target is SHF_ALLOC, undefined symbols resolved from a simulated kernel symbol table), the way
 * the linux-v26 loader does it. In the same run, side by side: `readelf -Ws` and `readelf -rW` over the same
 * files (batched, output discarded), and the I/O floor (reading every byte). Each measurement is repeated
 * (BENCH_RUNS, default 3) and the median printed, with the ratio to readelf's symbols + relocations pass.
 *
 * Uses the compiled library (dist/): run `npm run build` first. The corpus comes from
 * `scripts/fetch-corpus.mjs` (KMODSIM_DEBIAN_ROOT to point at an unpacked tree).
 * Options: BENCH_RUNS=n, BENCH_LIMIT=n (first n modules only), --json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const REPO = resolve(import.meta.dirname, '..');
const dist = (p) => import(join(REPO, 'dist', p));

const { ElfFile } = await dist('elf/elf-file.js');
const { SymbolTable } = await dist('elf/symbols.js');
const { RELOCATORS } = await dist('elf/relocate/index.js');

const SHF_ALLOC = 2;
const SHT_RELA = 4;
const SHT_NOBITS = 8;
const SHN_UNDEF = 0;
const SHN_ABS = 0xfff1;
const SHN_COMMON = 0xfff2;

function corpusModules() {
  const r = spawnSync(process.execPath, [join(REPO, 'scripts/fetch-corpus.mjs'), '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error('scripts/fetch-corpus.mjs failed');
  const tree = JSON.parse(r.stdout);
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ko')) out.push(p);
    }
  };
  walk(join(tree.modulesDir, 'kernel'));
  out.sort();
  const limit = Number(process.env.BENCH_LIMIT ?? 0);
  return { tree, files: limit > 0 ? out.slice(0, limit) : out };
}

/** The simulated kernel's exported symbols: a stable address per name, in the top 2 GiB. */
const kernelSymbols = new Map();
function kernelAddress(name) {
  let a = kernelSymbols.get(name);
  if (a === undefined) {
    a = 0xffffffff81000000n + BigInt(kernelSymbols.size) * 16n;
    kernelSymbols.set(name, a);
  }
  return a;
}

/** Parse + relocate one image; returns the number of relocation entries applied. */
function parseAndRelocate(bytes, state) {
  const f = ElfFile.parse(bytes);
  if (!f.ok) throw new Error(f.error.message);
  const elf = f.value;
  const syms = SymbolTable.read(elf);
  if (!syms.ok) throw new Error(syms.error.message);
  const st = syms.value;
  const secs = elf.sections;
  // layout_and_allocate: every SHF_ALLOC section copied into the module area, aligned.
  const addr = new Array(secs.length).fill(0n);
  const placed = new Array(secs.length);
  let at = state.next;
  for (const s of secs) {
    if ((s.flags & SHF_ALLOC) === 0) continue;
    const align = BigInt(Math.max(1, s.addralign));
    at = ((at + align - 1n) / align) * align;
    addr[s.index] = at;
    if (s.type === SHT_NOBITS) placed[s.index] = new Uint8Array(s.size);
    else {
      const d = elf.sectionData(s);
      if (!d.ok) throw new Error(d.error.message);
      placed[s.index] = d.value.slice();
    }
    at += BigInt(s.size);
  }
  state.next = ((at + 0xfffn) / 0x1000n) * 0x1000n;
  // simplify_symbols
  const values = new BigUint64Array(st.count);
  for (let i = 1; i < st.count; i++) {
    const sh = st.shndx(i);
    if (sh === SHN_UNDEF) values[i] = kernelAddress(st.name(i) ?? '');
    else if (sh === SHN_ABS || sh === SHN_COMMON) values[i] = st.value(i);
    else values[i] = BigInt.asUintN(64, addr[sh] + st.value(i));
  }
  // apply_relocations
  const relocator = RELOCATORS.get(elf.header.machine);
  let n = 0;
  for (const s of secs) {
    if (s.type !== SHT_RELA || s.info >= secs.length || (secs[s.info].flags & SHF_ALLOC) === 0) continue;
    const r = relocator.applyRelocations({
      image: elf.bytes,
      relOffset: s.offset,
      relSize: s.size,
      isRela: true,
      target: placed[s.info],
      targetAddress: addr[s.info],
      symbolValues: values,
      moduleName: 'bench',
    });
    if (!r.ok) throw new Error(r.error.reason);
    n += Math.floor(s.size / 24);
  }
  return n;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Runs `readelf <flag>` over all files in batches, output drained and discarded. */
function readelfPass(flag, files) {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    let i = 0;
    let running = 0;
    const BATCH = 200;
    const next = () => {
      if (i >= files.length && running === 0) return done(performance.now() - t0);
      while (running < 1 && i < files.length) {
        const batch = files.slice(i, i + BATCH);
        i += BATCH;
        running++;
        const p = spawn('readelf', [flag, ...batch], { stdio: ['ignore', 'pipe', 'ignore'] });
        p.stdout.on('data', () => {});
        p.on('error', fail);
        p.on('close', () => {
          running--;
          next();
        });
      }
    };
    next();
  });
}

const { tree, files } = corpusModules();
const runs = Number(process.env.BENCH_RUNS ?? 3);
const json = process.argv.includes('--json');
const log = (s) => {
  if (!json) console.log(s);
};
log(`kmodsim ELF bench: ${files.length} modules of ${tree.kver}, ${runs} runs each (medians)`);

const times = { io: [], ours: [], symbols: [], relocs: [] };
let relocations = 0;
let bytes = 0;
for (let run = 0; run < runs; run++) {
  let t0 = performance.now();
  bytes = 0;
  for (const f of files) bytes += readFileSync(f).length;
  times.io.push(performance.now() - t0);

  t0 = performance.now();
  relocations = 0;
  const state = { next: 0xffffffffc0000000n };
  for (const f of files) {
    const b = readFileSync(f);
    relocations += parseAndRelocate(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), state);
  }
  times.ours.push(performance.now() - t0);

  times.symbols.push(await readelfPass('-Ws', files));
  times.relocs.push(await readelfPass('-rW', files));
}

const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
const readelf = m.symbols + m.relocs;
const result = {
  modules: files.length,
  bytes,
  relocations,
  runs,
  medianMs: m,
  relocationsPerSecond: Math.round(relocations / (m.ours / 1000)),
  ratioToReadelf: m.ours / readelf,
};
if (json) console.log(JSON.stringify(result, undefined, 2));
else {
  const ms = (x) => `${(x / 1000).toFixed(2)} s`;
  log(`  read all bytes (I/O floor)       ${ms(m.io)}   (${(bytes / 2 ** 20).toFixed(0)} MiB)`);
  log(`  kmodsim parse + relocate         ${ms(m.ours)}   (${relocations} RELA entries, ${(result.relocationsPerSecond / 1e6).toFixed(1)} M/s)`);
  log(`  readelf -Ws                      ${ms(m.symbols)}`);
  log(`  readelf -rW                      ${ms(m.relocs)}`);
  log(`  ratio kmodsim / (readelf -Ws + readelf -rW) = ${result.ratioToReadelf.toFixed(3)}`);
}
