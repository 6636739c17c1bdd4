/**
 * The linux-v26 userland against the real kmod tools installed here (Debian 12, kmod 30) as oracles:
 * - modinfo output byte for byte (stdout, stderr, exit status) on crafted images, including malformed ones that
 *   make kmod abort;
 * - depmod's files (modules.dep and the rest, text and binary) byte for byte on a crafted tree;
 * - modprobe --show-depends / -c on the same tree.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModule } from '../../src/elf/builder/index.js';
import { depmodHost, modinfoHost } from '../../src/personalities/linux-v26/userland/host.js';
import { HostKmodFs } from '../../src/personalities/linux-v26/userland/host-fs.js';
import { modprobe } from '../../src/personalities/linux-v26/userland/modprobe.js';
import { debianTree, moduleFiles } from '../corpus/debian-tree.js';
import { arbModuleSpec } from '../support/arb-module-spec.js';
import { miniElf, miniModule, modinfoSection } from '../unit/linux-v26/userland/support/mini-elf.js';

function have(tool: string): boolean {
  return spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0;
}

function run(
  tool: string,
  args: readonly string[],
  cwd?: string,
): { exitCode: number; stdout: string; stderr: string } {
  const r = spawnSync(tool, args, { encoding: 'utf8', cwd });
  return { exitCode: r.status ?? (r.signal === 'SIGABRT' ? 134 : -1), stdout: r.stdout, stderr: r.stderr };
}

const KVER = '6.1.0-kmodsim';
const work = mkdtempSync(join(tmpdir(), 'kmodsim-kmod-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function put(path: string, data: Uint8Array | string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  return path;
}

const enc = new TextEncoder();

describe.skipIf(!have('modinfo'))('modinfo vs kmod 30', () => {
  const files: Record<string, Uint8Array> = {
    'plain.ko': miniModule({
      modinfo: [
        'alias=kmodsim-a',
        'license=GPL',
        'parm=count:How many',
        'parmtype=count:int',
        'parmtype=flag:bool',
        'parm=desc:only a description',
        'parm=broken',
        'depends=',
        'a_very_long_key_name=x',
        'noequals',
        'author=Ünïcødé Åuthor',
        'name=plain',
        'vermagic=6.1.0-50-amd64 SMP preempt mod_unload modversions ',
      ],
    }),
    'padded.ko': miniElf({
      sections: [{ name: '.modinfo', data: enc.encode('\0\0\0license=GPL\0\0\0alias=x\0tail') }],
    }),
    'nomodinfo.ko': miniElf({ sections: [{ name: '.text', data: new Uint8Array(8) }] }),
    'shstrndx0.ko': miniElf({
      sections: [{ name: '.modinfo', data: modinfoSection('license=GPL') }],
      shstrndx: 0,
    }),
    'shstrndxbig.ko': miniElf({
      sections: [{ name: '.modinfo', data: modinfoSection('license=GPL') }],
      shstrndx: 77,
    }),
    'notelf.ko': enc.encode('this is not an ELF file'),
    'short.ko': enc.encode('abc'),
    'empty.ko': new Uint8Array(0),
  };
  for (const [name, data] of Object.entries(files)) put(join(work, 'mi', name), data);
  const names = Object.keys(files);

  it.each(names)('%s: same stdout, stderr and status', (name) => {
    const path = join(work, 'mi', name);
    expect(modinfoHost([path])).toEqual(run('modinfo', [path]));
  });

  it.each([['-p'], ['-0'], ['-F', 'alias'], ['-F', 'parm'], ['-a'], ['-n'], ['-F', 'noequals']])(
    'option %s on every file at once',
    (...opts) => {
      const paths = names.filter((n) => !n.startsWith('shstrndx')).map((n) => join(work, 'mi', n));
      expect(modinfoHost([...opts, ...paths])).toEqual(run('modinfo', [...opts, ...paths]));
    },
  );

  it('relative paths are made absolute from the working directory', () => {
    const cwd = join(work, 'mi');
    expect(modinfoHost(['plain.ko', './padded.ko'], { cwd })).toEqual(
      run('modinfo', ['plain.ko', './padded.ko'], cwd),
    );
  });

  it('usage errors', () => {
    for (const argv of [[], ['--foo'], ['-x', 'a'], ['-F'], ['--fi=3', 'a'], ['-h'], ['-V']]) {
      expect(modinfoHost(argv)).toEqual(run('modinfo', argv));
    }
  });
});

/** `openssl cms -sign` over `data` as sign-file does (DER, no certs unless asked), with a throwaway key. */
function pkcs7(dir: string, subj: string, serial: string, md: string, extra: readonly string[]): Uint8Array {
  mkdirSync(dir, { recursive: true });
  const key = join(dir, 'k.pem');
  const cert = join(dir, 'c.pem');
  const data = join(dir, 'data');
  writeFileSync(data, 'module bytes');
  const req = [
    'req',
    '-new',
    '-x509',
    '-newkey',
    'rsa:1024',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '2',
  ];
  spawnSync('openssl', [...req, '-subj', subj, '-set_serial', serial]);
  const out = join(dir, 'sig.der');
  spawnSync('openssl', [
    'cms',
    '-sign',
    '-binary',
    '-in',
    data,
    '-signer',
    cert,
    '-inkey',
    key,
    '-outform',
    'DER',
    '-md',
    md,
    '-out',
    out,
    ...extra,
  ]);
  return readFileSync(out);
}

/** `[pkcs7][struct module_signature: id_type PKCS#7, sig_len big-endian]["~Module signature appended~\n"]`. */
function pkcs7Trailer(sig: Uint8Array): Uint8Array {
  const ms = new Uint8Array(12);
  ms[2] = 2;
  new DataView(ms.buffer).setUint32(8, sig.length);
  return Uint8Array.from([...sig, ...ms, ...enc.encode('~Module signature appended~\n')]);
}

describe.skipIf(!have('modinfo') || spawnSync('openssl', ['version']).status !== 0)(
  'modinfo signature fields vs kmod 30',
  () => {
    const cases: [string, string, string, string, string[]][] = [
      [
        'cn-sha256',
        '/CN=Build time autogenerated kernel key',
        '0x3D465493',
        'sha256',
        ['-noattr', '-nocerts'],
      ],
      ['nocn-sha512', '/O=NoCN Org/OU=Unit', '0x00ABCDEF', 'sha512', ['-noattr', '-nocerts']],
      ['attrs-certs-sha1', '/CN=Signer With Attributes/O=X', '12345', 'sha1', []],
      ['highbit-serial-sha384', '/O=A/CN=Second RDN CN', '0x80FF00FF00FF00FF00FF', 'sha384', ['-noattr']],
    ];
    it.each(cases)('%s', (label, subj, serial, md, extra) => {
      const sig = pkcs7(join(work, 'sig', label), subj, serial, md, extra);
      const path = put(
        join(work, 'sig', `${label}.ko`),
        miniModule({ modinfo: ['license=GPL'], trailer: pkcs7Trailer(sig) }),
      );
      const theirs = run('modinfo', [path]);
      expect(theirs.stdout).toContain('sig_hashalgo:');
      expect(modinfoHost([path])).toEqual(theirs);
    });

    it('a PKCS#7 blob kmod cannot decode gives no signature lines', () => {
      const junk = Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff);
      const path = put(
        join(work, 'sig', 'junk.ko'),
        miniModule({ modinfo: ['license=GPL'], trailer: pkcs7Trailer(junk) }),
      );
      const theirs = run('modinfo', [path]);
      expect(theirs.stdout).not.toContain('sig_id');
      expect(modinfoHost([path])).toEqual(theirs);
    });
  },
);

describe.skipIf(!have('depmod') || !have('modprobe'))(
  'depmod and modprobe vs kmod 30 on a crafted tree',
  () => {
    const root = join(work, 'root');
    const dir = join(root, 'lib/modules', KVER);
    const mods: Record<string, Parameters<typeof miniModule>[0]> = {
      'kernel/a/core-mod.ko': {
        modinfo: ['name=core_mod', 'alias=core-alias', 'alias=pci:v0000ABCDd*sv*sd*bc*sc*i*'],
        exports: ['core_fn', 'core_data'],
      },
      'kernel/b/mid.ko': {
        modinfo: ['name=mid', 'softdep=pre: core_mod'],
        exports: ['mid_fn'],
        imports: ['core_fn', 'printk'],
        versions: [
          [0x1000, 'core_fn'],
          [0x99, 'module_layout'],
        ],
      },
      'kernel/c/top.ko': {
        modinfo: ['name=top', 'alias=char-major-10-200', 'alias=devname:top0'],
        imports: ['mid_fn', 'core_data', 'nowhere_fn'],
        weakImports: ['weak_fn'],
      },
      'kernel/d/solo.ko': { modinfo: ['name=solo', 'alias=fs-solo'] },
      'updates/solo.ko': { modinfo: ['name=solo', 'alias=fs-solo-updated'] },
      'kernel/e/dup-exporter.ko': { modinfo: ['name=dup_exporter'], exports: ['core_fn'] },
    };
    for (const [rel, spec] of Object.entries(mods)) put(join(dir, rel), miniModule(spec));
    put(join(dir, 'modules.order'), 'kernel/c/top.ko\nkernel/b/mid.ko\nkernel/a/core-mod.ko\n');
    put(join(dir, 'modules.builtin'), 'kernel/fs/builtin-fs.ko\n');
    put(join(dir, 'modules.builtin.modinfo'), 'builtin_fs.alias=fs-builtin\0builtin_fs.license=GPL\0');
    const symvers = put(join(work, 'Module.symvers'), '0x00000000\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n');
    const outputs = [
      'modules.dep',
      'modules.dep.bin',
      'modules.alias',
      'modules.alias.bin',
      'modules.softdep',
      'modules.symbols',
      'modules.symbols.bin',
      'modules.builtin.bin',
      'modules.builtin.alias.bin',
      'modules.devname',
    ];
    const snapshot = () =>
      Object.fromEntries(outputs.map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));

    it('writes the same files, byte for byte, and the same warnings', () => {
      const theirs = run('depmod', ['-b', root, '-a', '-e', '-E', symvers, KVER]);
      const theirFiles = snapshot();
      for (const f of outputs) rmSync(join(dir, f));
      const ours = depmodHost(['-b', root, '-a', '-e', '-E', symvers, KVER]);
      expect({ exitCode: ours.exitCode, stdout: ours.stdout, stderr: ours.stderr }).toEqual(theirs);
      expect(snapshot()).toEqual(theirFiles);
      // The crafted cases did happen: "updates" wins over kernel/, a later exporter of core_fn takes it over.
      const dep = readFileSync(join(dir, 'modules.dep'), 'utf8');
      expect(dep).toContain('updates/solo.ko:\n');
      expect(dep).not.toContain('kernel/d/solo.ko');
      expect(dep).toContain('kernel/b/mid.ko: kernel/e/dup-exporter.ko\n');
    });

    it('-n prints the same text on stdout', () => {
      expect(depmodHost(['-b', root, '-n', KVER])).toMatchObject(run('depmod', ['-b', root, '-n', KVER]));
    });

    it('modprobe --show-depends, -R and -c agree on the indexes', () => {
      const kernel = {
        open: () => ({ ok: false as const, error: 'EPERM' as const }),
        close: () => {},
        finitModule: () => ({ ok: false as const, error: 'EPERM' as const }),
        initModule: () => ({ ok: false as const, error: 'EPERM' as const }),
        deleteModule: () => ({ ok: false as const, error: 'EPERM' as const }),
      };
      const env = { fs: new HostKmodFs(), release: KVER, kernel };
      const cfg = put(join(work, 'empty.conf'), '');
      for (const args of [
        ['--show-depends', 'top'],
        ['-D', 'core-alias'],
        ['-D', 'pci:v0000ABCDd00001234sv0sd0bc0sc0i0'],
        ['-D', 'fs-builtin'],
        ['-D', 'symbol:mid_fn'],
        ['-R', 'char-major-10-200'],
        ['-D', 'fs-solo'],
        ['-D', 'nosuch'],
        ['-c'],
      ]) {
        const argv = ['-C', cfg, '-d', root, '-S', KVER, ...args];
        expect(modprobe(argv, env)).toEqual(run('modprobe', argv));
      }
    });

    it('modinfo by name and alias through the indexes', () => {
      for (const name of ['top', 'core-alias', 'fs-builtin', 'builtin_fs', 'symbol:core_data', 'nosuch']) {
        const argv = ['-b', root, '-k', KVER, name];
        expect(modinfoHost(argv)).toEqual(run('modinfo', argv));
      }
    });
  },
);

/** Random byte changes to a module image: kmod's reader quirks (and its aborts) must be reproduced. */
const mutation = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
  minLength: 1,
  maxLength: 8,
});

function mutate(base: Uint8Array, changes: readonly (readonly [number, number])[]): Uint8Array {
  const b = Uint8Array.from(base);
  for (const [at, v] of changes) b[at % b.length] = v;
  return b;
}

describe.skipIf(!have('modinfo') || !have('depmod'))('mutated images: same output as kmod 30', () => {
  const base = miniModule({
    modinfo: ['license=GPL', 'alias=x-a', 'parm=a:b', 'parmtype=a:int', 'name=m'],
    exports: ['fa', 'fa2'],
    imports: ['g'],
    versions: [
      [1, 'g'],
      [2, 'module_layout'],
    ],
  });

  it('modinfo', () => {
    let n = 0;
    fc.assert(
      fc.property(mutation, (changes) => {
        const path = put(join(work, 'fuzz', `m${n++}.ko`), mutate(base, changes));
        const theirs = run('modinfo', [path]);
        // kmod reads past buffers on some inputs; a crash other than its own abort has no defined output.
        fc.pre(theirs.exitCode !== -1);
        expect(modinfoHost([path])).toEqual(theirs);
      }),
      { numRuns: 150, seed: 20240601 },
    );
  });

  it('depmod -n -e', () => {
    const mods = [
      miniModule({ modinfo: ['alias=x-a', 'name=a'], exports: ['fa', 'fa2'] }),
      miniModule({
        modinfo: ['alias=char-major-1-2', 'alias=devname:bb', 'name=b', 'softdep=pre: a'],
        exports: ['fb'],
        imports: ['fa', 'printk'],
        versions: [
          [1, 'fa'],
          [2, 'module_layout'],
        ],
      }),
      miniModule({ modinfo: ['name=c'], imports: ['fb', 'fa2'], weakImports: ['w'] }),
    ];
    let n = 0;
    fc.assert(
      fc.property(fc.tuple(mutation, mutation, mutation), (changes) => {
        const root = join(work, 'fuzzd', `r${n++}`);
        const dir = join(root, 'lib/modules/1.0');
        mods.forEach((m, i) => {
          put(join(dir, `kernel/m${i}.ko`), mutate(m, changes[i]));
        });
        put(join(dir, 'modules.order'), 'kernel/m2.ko\nkernel/m1.ko\nkernel/m0.ko\n');
        const argv = ['-b', root, '-n', '-e', '-F', '/dev/null', '1.0'];
        const theirs = run('depmod', argv);
        fc.pre(theirs.exitCode !== -1);
        const ours = depmodHost(argv);
        expect({ exitCode: ours.exitCode, stdout: ours.stdout, stderr: ours.stderr }).toEqual(theirs);
      }),
      { numRuns: 60, seed: 20240602 },
    );
  });
});

describe.skipIf(!have('modinfo') || !have('depmod'))(
  "the project's builder output: same output as kmod 30",
  () => {
    const target = { format: 'ko' } as const;

    it('modinfo of built modules (every field, -p, -0)', () => {
      let n = 0;
      fc.assert(
        fc.property(arbModuleSpec({ target }), (spec) => {
          const path = put(join(work, 'built', `${n++}-${spec.name}.ko`), buildModule(target, spec));
          for (const opts of [[], ['-p'], ['-0']])
            expect(modinfoHost([...opts, path])).toEqual(run('modinfo', [...opts, path]));
        }),
        { numRuns: 40, seed: 20240603 },
      );
    });

    it('depmod -a -e over trees of built modules: same files and warnings', () => {
      let n = 0;
      let deps = 0;
      fc.assert(
        fc.property(
          fc.uniqueArray(arbModuleSpec({ target }), { minLength: 3, maxLength: 8, selector: (s) => s.name }),
          (specs) => {
            const root = join(work, 'builtd', `r${n++}`);
            const dir = join(root, 'lib/modules/1.0');
            // Chain them: each module also imports the first export of every earlier one.
            const exportName = (e: string | { readonly name: string }) =>
              typeof e === 'string' ? e : e.name;
            specs.forEach((spec, i) => {
              const own = new Set([
                ...(spec.imports ?? []).map(exportName),
                ...(spec.exports ?? []).map(exportName),
                ...(spec.params ?? []).map((p) => p.name),
              ]);
              const extra = specs
                .slice(0, i)
                .map((s) => s.exports?.[0])
                .filter((e) => e !== undefined)
                .map(exportName)
                .filter((e) => !own.has(e));
              const chained = { ...spec, imports: [...(spec.imports ?? []), ...new Set(extra)] };
              put(join(dir, `kernel/d${i % 3}/${spec.name}.ko`), buildModule(target, chained));
            });
            const files = [
              'modules.dep',
              'modules.dep.bin',
              'modules.alias',
              'modules.alias.bin',
              'modules.symbols',
              'modules.symbols.bin',
              'modules.softdep',
              'modules.devname',
            ];
            const argv = ['-b', root, '-a', '-e', '-F', '/dev/null', '1.0'];
            const theirs = run('depmod', argv);
            const theirFiles = files.map((f) => readFileSync(join(dir, f)).toString('base64'));
            for (const f of files) rmSync(join(dir, f));
            const ours = depmodHost(argv);
            expect({ exitCode: ours.exitCode, stdout: ours.stdout, stderr: ours.stderr }).toEqual(theirs);
            expect(files.map((f) => readFileSync(join(dir, f)).toString('base64'))).toEqual(theirFiles);
            deps += (readFileSync(join(dir, 'modules.dep'), 'utf8').match(/\.ko /g) ?? []).length;
          },
        ),
        { numRuns: 20, seed: 20240604 },
      );
      // The chaining did produce dependencies to compare.
      expect(deps).toBeGreaterThan(10);
    });
  },
);

/** Debian's own modules (the 6.1 package tree, fetched under .cache/ or named by KMODSIM_DEBIAN_ROOT). */
const debian = have('modinfo') && have('depmod') ? debianTree() : undefined;
if (debian === undefined)
  console.warn('\n*** SKIPPED: kmod vs Debian modules: no Debian module tree and no kmod ***\n');

describe.skipIf(debian === undefined)('Debian 6.1 modules: same output as kmod 30', () => {
  const tree = debian as NonNullable<typeof debian>;
  const all = moduleFiles(tree);
  // 160 modules spread over the sorted tree (every area of drivers/, fs/, net/, sound/...).
  const sample = Array.from({ length: 160 }, (_, i) => all[Math.floor((i * all.length) / 160)]);

  it('modinfo of 160 signed modules, all fields, byte for byte', () => {
    expect(sample.length).toBeGreaterThanOrEqual(100);
    const theirs = run('modinfo', sample);
    expect(theirs.stdout).toContain('signer:         Build time autogenerated kernel key');
    expect(modinfoHost(sample)).toEqual(theirs);
  });

  it.each([['-p'], ['-0'], ['-F', 'depends'], ['-F', 'signature'], ['-F', 'alias']])(
    'modinfo %s on the sample',
    (...o) => {
      expect(modinfoHost([...o, ...sample])).toEqual(run('modinfo', [...o, ...sample]));
    },
  );

  it('depmod -a -e -E Module.symvers on the sample tree writes the same files and warnings', () => {
    const root = join(work, 'debian-sample');
    const dir = join(root, 'lib/modules', tree.kver);
    for (const m of sample) {
      const rel = m.slice(tree.modulesDir.length + 1);
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      symlinkSync(m, join(dir, rel));
    }
    for (const f of ['modules.order', 'modules.builtin', 'modules.builtin.modinfo']) {
      copyFileSync(join(tree.modulesDir, f), join(dir, f));
    }
    const argv = ['-b', root, '-a', '-e', '-E', tree.symvers, tree.kver];
    const files = [
      'modules.dep',
      'modules.dep.bin',
      'modules.alias',
      'modules.alias.bin',
      'modules.symbols',
      'modules.symbols.bin',
      'modules.softdep',
      'modules.builtin.bin',
      'modules.builtin.alias.bin',
      'modules.devname',
    ];
    const theirs = run('depmod', argv);
    const theirFiles = files.map((f) => readFileSync(join(dir, f)).toString('base64'));
    for (const f of files) rmSync(join(dir, f));
    const ours = depmodHost(argv);
    expect({ exitCode: ours.exitCode, stdout: ours.stdout, stderr: ours.stderr }).toEqual(theirs);
    expect(files.map((f) => readFileSync(join(dir, f)).toString('base64'))).toEqual(theirFiles);
    // The sample misses most exporters: kmod warns, and so must we (the comparison above is not vacuous).
    expect(theirs.stderr).toContain('needs unknown symbol');
  });
});

/** kbuild-built modules from this test's own sources: every MODULE_* tag, parameters of each type, exports. */
const HEADERS = '/usr/src/linux-headers-6.1.0-50-amd64';
const KBUILD_DIR = join(import.meta.dirname, '../../.cache/linux-v26-kmod');
const KBUILD_SOURCES: Record<string, string> = {
  'kmodsim_kx.c': `#include <linux/module.h>
#include <linux/moduleparam.h>
static int count = 3;
module_param(count, int, 0644);
MODULE_PARM_DESC(count, "How many things");
static bool verbose;
module_param(verbose, bool, 0444);
static char *label = "none";
module_param(label, charp, 0);
MODULE_PARM_DESC(label, "A label");
static int arr[4];
static int arr_n;
module_param_array(arr, int, &arr_n, 0444);
static char name[16] = "x";
module_param_string(name, name, sizeof(name), 0600);
static unsigned long big = 7;
module_param(big, ulong, 0444);
static short sh;
module_param(sh, short, 0444);
MODULE_PARM_DESC(sh, "a short, described after being declared");
int kx_plain(int v) { return v + count; }
EXPORT_SYMBOL(kx_plain);
int kx_gpl(int v) { return v * 2; }
EXPORT_SYMBOL_GPL(kx_gpl);
int kx_ns(int v) { return v - 1; }
EXPORT_SYMBOL_NS_GPL(kx_ns, KMODSIM_NS);
static int __init kx_init(void) { return 0; }
static void __exit kx_exit(void) { }
module_init(kx_init);
module_exit(kx_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodsim tests <tests@example.invalid>");
MODULE_AUTHOR("Second Author");
MODULE_DESCRIPTION("Exporter with every kind of parameter");
MODULE_VERSION("1.2.3");
MODULE_ALIAS("kmodsim-kx-alias");
MODULE_ALIAS("char-major-240-*");
MODULE_SOFTDEP("pre: dummy post: bonding");
MODULE_FIRMWARE("kmodsim/kx.bin");
`,
  'kmodsim_ku.c': `#include <linux/module.h>
int kx_plain(int v);
int kx_gpl(int v);
int kx_ns(int v);
static int __init ku_init(void) { return kx_plain(1) + kx_gpl(2) + kx_ns(3) > 100; }
static void __exit ku_exit(void) { }
module_init(ku_init);
module_exit(ku_exit);
MODULE_LICENSE("GPL v2");
MODULE_IMPORT_NS(KMODSIM_NS);
MODULE_DESCRIPTION("User of kmodsim_kx");
`,
};

function kbuild(): string[] | undefined {
  if (
    spawnSync('make', ['--version']).status !== 0 ||
    spawnSync('test', ['-f', `${HEADERS}/Makefile`]).status !== 0
  ) {
    return undefined;
  }
  const names = Object.keys(KBUILD_SOURCES).map((f) => f.replace(/\.c$/, ''));
  const kos = names.map((n) => join(KBUILD_DIR, `${n}.ko`));
  const stamp = join(KBUILD_DIR, 'sources.stamp');
  const want = JSON.stringify(KBUILD_SOURCES);
  let have = '';
  try {
    have = readFileSync(stamp, 'utf8');
  } catch {
    // not built yet
  }
  if (have !== want) {
    mkdirSync(KBUILD_DIR, { recursive: true });
    for (const [f, src] of Object.entries(KBUILD_SOURCES)) writeFileSync(join(KBUILD_DIR, f), src);
    writeFileSync(join(KBUILD_DIR, 'Makefile'), `obj-m := ${names.map((n) => `${n}.o`).join(' ')}\n`);
    const r = spawnSync('make', ['-C', HEADERS, `M=${KBUILD_DIR}`, 'modules'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`kbuild failed:\n${r.stdout}\n${r.stderr}`);
    writeFileSync(stamp, want);
  }
  return kos;
}

const kbuilt = have('modinfo') ? kbuild() : undefined;
if (kbuilt === undefined)
  console.warn('\n*** SKIPPED: kmod vs kbuild modules: no kernel headers or make ***\n');

describe.skipIf(kbuilt === undefined)('kbuild-built modules: same output as kmod 30', () => {
  const kos = kbuilt as string[];

  it.each([[], ['-p'], ['-0'], ['-F', 'parmtype'], ['-F', 'import_ns'], ['-a']])('modinfo %s', (...o) => {
    const theirs = run('modinfo', [...o, ...kos]);
    expect(theirs.exitCode).toBe(0);
    expect(modinfoHost([...o, ...kos])).toEqual(theirs);
  });

  it('the unsigned out-of-tree build has no signature lines and every tag in order', () => {
    const out = modinfoHost([kos[0]]).stdout;
    expect(out).not.toContain('sig_id');
    expect(out).toContain('parm:           arr:array of int\n');
    expect(out).toContain('softdep:        pre: dummy post: bonding\n');
  });

  it('depmod on a tree of the two: kmodsim_ku depends on kmodsim_kx, files as kmod writes them', () => {
    const root = join(work, 'kbuild-root');
    const dir = join(root, 'lib/modules/1.0');
    for (const ko of kos) put(join(dir, 'extra', ko.slice(ko.lastIndexOf('/') + 1)), readFileSync(ko));
    const argv = ['-b', root, '-a', '-e', '-E', `${HEADERS}/Module.symvers`, '1.0'];
    const theirs = run('depmod', argv);
    const dep = readFileSync(join(dir, 'modules.dep'), 'utf8');
    expect(dep).toContain('extra/kmodsim_ku.ko: extra/kmodsim_kx.ko\n');
    rmSync(join(dir, 'modules.dep'));
    const ours = depmodHost(argv);
    expect({ exitCode: ours.exitCode, stdout: ours.stdout, stderr: ours.stderr }).toEqual(theirs);
    expect(readFileSync(join(dir, 'modules.dep'), 'utf8')).toBe(dep);
  });
});
