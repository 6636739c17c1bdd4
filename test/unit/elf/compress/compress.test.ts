/**
 * `module_decompress` against the real tools: Debian modules compressed with gzip, xz and zstd (several
 * settings each) come back byte for byte; corrupt, truncated and foreign inputs get the kernel's errno and
 * message; decompression bombs stop at the page budget with ENOMEM; the project's compressors produce
 * streams the CLI tools and the decoders accept.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CompressionAlgorithm,
  compressModule,
  detectCompression,
  moduleDecompress,
  xxh64,
} from '../../../../src/elf/compress/index.js';
import { debianCorpusSync } from '../../../support/debian-corpus.js';

const HAVE = ['gzip', 'xz', 'zstd'].every((t) => spawnSync(t, ['--version']).status === 0);

function tool(cmd: string, args: string[], input: Uint8Array): Uint8Array {
  return new Uint8Array(execFileSync(cmd, args, { input, maxBuffer: 1 << 30 }));
}

function outcome(a: CompressionAlgorithm, b: Uint8Array, maxOutput?: number) {
  const r = moduleDecompress(a, b, maxOutput === undefined ? {} : { maxOutput });
  return r.ok
    ? { errno: 'ok', lines: [] as readonly string[], data: r.value }
    : { ...r.error, data: undefined };
}

const same = (a: Uint8Array | undefined, b: Uint8Array) =>
  a !== undefined && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b));

let modules: Uint8Array[] = [];

beforeAll(() => {
  const corpus = debianCorpusSync();
  const paths = corpus.sample(8, 11);
  // One module of 1–2 MiB as well, whatever this kernel's sample holds: many LZMA2 chunks, zstd and deflate blocks.
  const large = corpus
    .allModules()
    .find(
      (p) =>
        !paths.includes(p) && (corpus.info(p)?.size ?? 0) > 1 << 20 && (corpus.info(p)?.size ?? 0) <= 2 << 20,
    );
  if (large !== undefined) paths.push(large);
  modules = paths.map((p) => new Uint8Array(readFileSync(p)));
});

describe.skipIf(!HAVE)('round trips of real modules through the CLI compressors', () => {
  const settings: [CompressionAlgorithm, string, string[]][] = [
    ['gzip', 'gzip -9 -n (kbuild)', ['-9', '-n', '-c']],
    ['gzip', 'gzip -1 with a file name', ['-1', '-c', '-N']],
    ['xz', 'xz --check=crc32 --lzma2=dict=1MiB (kbuild)', ['--check=crc32', '--lzma2=dict=1MiB', '-c']],
    ['xz', 'xz -9e --check=crc32', ['-9e', '--check=crc32', '-c']],
    ['xz', 'xz --x86 --lzma2 --check=crc32 (BCJ)', ['--x86', '--lzma2', '--check=crc32', '-c']],
    ['xz', 'xz -0 --check=none', ['-0', '--check=none', '-c']],
    [
      'xz',
      'xz -T2 --block-size=20KiB --check=crc32 (blocks with sizes in their headers)',
      ['-T2', '--block-size=20KiB', '--check=crc32', '-c'],
    ],
    ['zstd', 'zstd -19 (kbuild)', ['-19', '-q', '-c']],
    ['zstd', 'zstd -1 --no-check', ['-1', '--no-check', '-q', '-c']],
    ['zstd', 'zstd -19 --long=27', ['-19', '--long=27', '-q', '-c']],
  ];
  it.each(settings)('%s: %s', (algo, name, args) => {
    expect(modules.length).toBeGreaterThanOrEqual(8);
    // The kbuild settings run over the whole sample (up to 2 MiB: many LZMA2 chunks, zstd and deflate
    // blocks), the slower ones over three modules.
    const set = name.includes('kbuild') ? modules : modules.slice(0, 3);
    expect(Math.max(...set.map((m) => m.length))).toBeGreaterThan(name.includes('kbuild') ? 1 << 20 : 0);
    for (const m of set) {
      const c = tool(algo, args, m);
      expect(detectCompression(c)).toBe(algo);
      const r = outcome(algo, c);
      expect(r.errno).toBe('ok');
      expect(same(r.data, m)).toBe(true);
    }
  });

  it('the project compressors write streams the tools and the decoders accept', () => {
    for (const algo of ['gzip', 'xz', 'zstd'] as const) {
      for (const m of modules.slice(0, 3).concat([new Uint8Array(0), new Uint8Array(70000).fill(7)])) {
        const c = compressModule(algo, m);
        expect(same(tool(algo, ['-dc'], c), m)).toBe(true);
        expect(same(outcome(algo, c).data, m)).toBe(true);
      }
    }
  });
});

describe.skipIf(!HAVE)("the kernel's refusals", () => {
  it('wrong magic: EINVAL with "not a … compressed module"', () => {
    const m = modules[0];
    expect(outcome('gzip', m)).toMatchObject({ errno: 'EINVAL', lines: ['not a gzip compressed module'] });
    expect(outcome('xz', m)).toMatchObject({ errno: 'EINVAL', lines: ['not an xz compressed module'] });
    expect(outcome('zstd', m)).toMatchObject({ errno: 'EINVAL', lines: ['not a zstd compressed module'] });
    expect(outcome('gzip', compressModule('xz', m)).errno).toBe('EINVAL');
  });

  it('xz with the default CRC64 check is XZ_OPTIONS_ERROR (6): the kernel has CRC32 only', () => {
    expect(outcome('xz', tool('xz', ['-c'], modules[0]))).toMatchObject({
      errno: 'EINVAL',
      lines: ['decompression failed with status 6'],
    });
  });

  it('a flipped byte in xz or zstd data is caught (XZ_DATA_ERROR 7; zstd corruption 20 or checksum 22)', () => {
    const m = modules[1];
    const xz = tool('xz', ['--check=crc32', '-c'], m);
    const zst = tool('zstd', ['-q', '-c'], m);
    for (const at of [0.2, 0.5, 0.8]) {
      const x = xz.slice();
      x[Math.floor(x.length * at)] ^= 0x10;
      expect(outcome('xz', x)).toMatchObject({
        errno: 'EINVAL',
        lines: ['decompression failed with status 7'],
      });
      const z = zst.slice();
      z[Math.floor(z.length * at)] ^= 0x10;
      const r = outcome('zstd', z);
      expect(r.errno).toBe('EINVAL');
      expect(r.lines[0]).toMatch(/^ZSTD-decompression failed with status (20|22)$/);
    }
  });

  it('gzip: corrupt deflate data is status -3, the trailer is never checked', () => {
    const m = modules[2];
    const gz = tool('gzip', ['-9', '-n', '-c'], m);
    const noTrailer = gz.slice();
    noTrailer[noTrailer.length - 6] ^= 0xff; // CRC32
    expect(same(outcome('gzip', noTrailer).data, m)).toBe(true);
    const bad = gz.slice();
    bad[10] = 0xff; // first deflate block header: reserved block type
    expect(outcome('gzip', bad)).toMatchObject({
      errno: 'EINVAL',
      lines: ['decompression failed with status -3'],
    });
  });

  it('truncated input: gzip Z_BUF_ERROR (-5), xz stays XZ_OK (status 0), zstd returns the blocks decoded', () => {
    const m = modules[3];
    const gz = tool('gzip', ['-c'], m);
    expect(outcome('gzip', gz.subarray(0, gz.length >> 1)).lines).toEqual([
      'decompression failed with status -5',
    ]);
    const xz = tool('xz', ['--check=crc32', '-c'], m);
    expect(outcome('xz', xz.subarray(0, xz.length >> 1)).lines).toEqual([
      'decompression failed with status 0',
    ]);
    const zst = tool('zstd', ['-q', '-c', '-B16384'], m);
    const part = outcome('zstd', zst.subarray(0, zst.length >> 1));
    expect(part.errno).toBe('ok');
    expect((part.data?.length ?? 0) < m.length).toBe(true);
    expect(same(part.data, m.subarray(0, part.data?.length ?? 0))).toBe(true);
  });

  it('zstd frame header checks: incomplete header, window too large, dictionary, first frame only', () => {
    expect(outcome('zstd', Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd))).toMatchObject({
      lines: ['ZSTD-compressed data has an incomplete frame header'],
    });
    // Window descriptor exponent 21 → windowLog 31, mantissa 7: over 2 GiB.
    const wide = Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x00, (21 << 3) | 7, 0x01, 0x00, 0x00);
    expect(outcome('zstd', wide)).toMatchObject({
      lines: ['ZSTD-compressed data has too large a window size'],
    });
    const withDict = Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x21, 0x05, 0x07, 0x01, 0x00, 0x00);
    expect(outcome('zstd', withDict)).toMatchObject({ lines: ['ZSTD-decompression failed with status 32'] });
    const two = new Uint8Array([
      ...tool('zstd', ['-q', '-c'], modules[0]),
      ...tool('zstd', ['-q', '-c'], modules[1]),
    ]);
    expect(same(outcome('zstd', two).data, modules[0])).toBe(true);
  });

  it('xz: only the first stream is read; trailing bytes are ignored', () => {
    const xz = tool('xz', ['--check=crc32', '-c'], modules[0]);
    const r = outcome('xz', new Uint8Array([...xz, 1, 2, 3, 4]));
    expect(same(r.data, modules[0])).toBe(true);
  });
});

describe.skipIf(!HAVE)('decompression bombs stop at the page budget: ENOMEM', () => {
  const zeros = new Uint8Array(48 * 1024 * 1024);
  it.each([
    ['gzip', ['-1', '-c']],
    ['xz', ['-1', '--check=crc32', '-c']],
    ['zstd', ['-1', '-q', '-c']],
  ] as [CompressionAlgorithm, string[]][])('%s', (algo, args) => {
    const bomb = tool(algo, args, zeros);
    expect(bomb.length).toBeLessThan(zeros.length / 100);
    expect(outcome(algo, bomb, 4 * 1024 * 1024)).toMatchObject({ errno: 'ENOMEM', lines: [] });
    expect(outcome(algo, bomb, zeros.length).data?.length).toBe(zeros.length);
  });

  it('a zstd frame declaring a window beyond the budget is ENOMEM before any output', () => {
    const big = Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x00, (16 << 3) | 0, 0x01, 0x00, 0x00);
    expect(outcome('zstd', big, 1 << 20).errno).toBe('ENOMEM');
  });
});

describe('xxh64', () => {
  it('matches the reference values', () => {
    expect(xxh64(new Uint8Array(0))).toBe(0xef46db3751d8e999n);
    expect(xxh64(new TextEncoder().encode('a'))).toBe(0xd24ec4f1a98c6e5bn);
    expect(xxh64(new TextEncoder().encode('abc'))).toBe(0x44bc2cf5ad770999n);
  });
});
