/**
 * The real-world test inputs themselves: the kbuild-built modules of test/real/src (checked with kmod's modinfo
 * against what their C sources declare) and the Debian corpus helper (sample determinism and spread).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DebianCorpus, debianCorpus, PINNED_KVER } from '../support/debian-corpus.js';
import { KBUILD_MODULE_NAMES, type KbuildResult, kbuildModules } from '../support/kbuild.js';
import {
  opensslVerifyModule,
  type SigningCertificate,
  signingCertificate,
  splitModuleSignature,
} from '../support/signing-cert.js';

const REPO = resolve(import.meta.dirname, '../..');

/** kmod's `modinfo -F field file`, one value per line. */
function modinfoField(file: string, field: string): string[] {
  const r = spawnSync('modinfo', ['-F', field, file], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
}

/** What a C source declares, read from the source text. */
function declared(source: string) {
  const c = readFileSync(source, 'utf8');
  const license = /MODULE_LICENSE\("([^"]*)"\)/.exec(c)?.[1];
  const params = new Map<string, string>();
  for (const m of c.matchAll(/module_param\((\w+),\s*(\w+),/g)) params.set(m[1], m[2]);
  for (const m of c.matchAll(/module_param_array\((\w+),\s*(\w+),/g)) params.set(m[1], `array of ${m[2]}`);
  for (const m of c.matchAll(/module_param_string\((\w+),/g)) params.set(m[1], 'string');
  const externs = [...c.matchAll(/^extern [^(;]*?\b(\w+)(?:\(|;)/gm)].map((m) => m[1]);
  const importNs = [...c.matchAll(/MODULE_IMPORT_NS\((\w+)\)/g)].map((m) => m[1]);
  const exports = [...c.matchAll(/EXPORT_SYMBOL(_GPL)?(?:_NS(_GPL)?)?\((\w+)(?:,\s*(\w+))?\)/g)].map((m) => ({
    name: m[3],
    gpl: m[1] !== undefined || m[2] !== undefined,
    ns: m[4] ?? '',
  }));
  return { license, params, externs, importNs, exports };
}

describe('kbuild-built test modules', () => {
  let kb: KbuildResult;
  beforeAll(async () => {
    kb = await kbuildModules();
  });

  it('builds every module, stripped and unstripped, for the headers release', () => {
    for (const name of KBUILD_MODULE_NAMES) {
      const m = kb.modules[name];
      for (const file of [m.stripped, m.unstripped]) {
        expect(modinfoField(file, 'name')).toEqual([name]);
        expect(modinfoField(file, 'vermagic')[0]).toMatch(new RegExp(`^${kb.kver} SMP `));
      }
      const sections = (f: string) =>
        spawnSync('readelf', ['-SW', f], { encoding: 'utf8' }).stdout.match(/\.debug_\w+/g) ?? [];
      expect(sections(m.unstripped).length).toBeGreaterThan(0);
      expect(sections(m.stripped)).toEqual([]);
    }
  });

  it.each(KBUILD_MODULE_NAMES)(
    '%s: modinfo shows the license, parameters and imports its source declares',
    (name) => {
      const m = kb.modules[name];
      const d = declared(m.source);
      expect(modinfoField(m.ko, 'license')).toEqual([d.license]);
      const parmtypes = new Map(
        modinfoField(m.ko, 'parmtype').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
      );
      expect(parmtypes).toEqual(d.params);
      expect(modinfoField(m.ko, 'import_ns')).toEqual(d.importNs);
    },
  );

  it('depends= names the modules exporting what each module uses', () => {
    const exporters = new Map<string, string>();
    for (const name of KBUILD_MODULE_NAMES) {
      for (const e of declared(kb.modules[name].source).exports) exporters.set(e.name, name);
    }
    for (const name of KBUILD_MODULE_NAMES) {
      const d = declared(kb.modules[name].source);
      const want = [...new Set(d.externs.map((s) => exporters.get(s)).filter((x) => x !== undefined))];
      const got = modinfoField(kb.modules[name].ko, 'depends').flatMap((l) => l.split(','));
      expect(got.sort(), name).toEqual(want.sort());
    }
    // Spot checks that the parsing above is not vacuous.
    expect(modinfoField(kb.modules.dummy_del_mod_dep.ko, 'depends')).toEqual(['dummy_del_mod']);
    expect(modinfoField(kb.modules.kmodsim_ns_user.ko, 'import_ns')).toEqual(['KMODSIM_NS']);
  });

  it("the build's Module.symvers lists every export with its GPL flag and namespace", () => {
    const rows = readFileSync(kb.symvers, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));
    const want = KBUILD_MODULE_NAMES.flatMap((name) =>
      declared(kb.modules[name].source).exports.map((e) => [
        e.name,
        name,
        e.gpl ? 'EXPORT_SYMBOL_GPL' : 'EXPORT_SYMBOL',
        e.ns,
      ]),
    );
    expect(rows.map((r) => [r[1], r[2].slice(r[2].lastIndexOf('/') + 1), r[3], r[4]]).sort()).toEqual(
      want.sort(),
    );
    expect(want.some((w) => w[3] === 'KMODSIM_NS' && w[2] === 'EXPORT_SYMBOL_GPL')).toBe(true);
  });

  it('the non-GPL module carries no symbol version for the GPL-only symbol it uses', () => {
    const versions = spawnSync('modprobe', ['--dump-modversions', kb.modules.kmodsim_proprietary.ko], {
      encoding: 'utf8',
    }).stdout;
    expect(versions).toMatch(/\tkmodsim_plain_fn\n/);
    expect(versions).not.toMatch(/kmodsim_gpl_fn/);
    const undef = spawnSync('nm', ['-u', kb.modules.kmodsim_proprietary.ko], { encoding: 'utf8' }).stdout;
    expect(undef).toMatch(/ U kmodsim_gpl_fn\n/);
  });
  it('the namespace user without MODULE_IMPORT_NS is linked to the namespaced symbol but imports nothing', () => {
    const m = kb.modules.kmodsim_ns_noimport;
    expect(declared(m.source).importNs).toEqual([]);
    expect(modinfoField(m.ko, 'import_ns')).toEqual([]);
    expect(modinfoField(m.ko, 'depends')).toEqual(['kmodsim_exporter']);
    const versions = spawnSync('modprobe', ['--dump-modversions', m.ko], { encoding: 'utf8' }).stdout;
    const exported = readFileSync(kb.symvers, 'utf8')
      .split('\n')
      .find((l) => l.split('\t')[1] === 'kmodsim_ns_fn');
    expect(exported?.split('\t')[4]).toBe('KMODSIM_NS');
    expect(versions).toContain(`${exported?.split('\t')[0]}\tkmodsim_ns_fn\n`);
  });
});

describe('Debian corpus helper', () => {
  let corpus: DebianCorpus;
  beforeAll(async () => {
    corpus = await debianCorpus();
  });

  it('pins the same kernel release as scripts/fetch-corpus.mjs', () => {
    const script = readFileSync(join(REPO, 'scripts/fetch-corpus.mjs'), 'utf8');
    expect(/PINNED_KVER = '([^']+)'/.exec(script)?.[1]).toBe(PINNED_KVER);
  });

  it('lists the package set', () => {
    const all = corpus.allModules();
    expect(all.length).toBeGreaterThan(3000);
    expect(all.every((p) => p.startsWith(`${corpus.modulesDir}/kernel/`) && p.endsWith('.ko'))).toBe(true);
    expect(readFileSync(corpus.symvers, 'utf8')).toMatch(/\tvmlinux\tEXPORT_SYMBOL_GPL\t/);
  });

  it.each([
    [1, 1],
    [50, 7],
    [160, 1],
  ])('sample(%i, %i) is deterministic, of that size, spread, with params, exports and deps', (n, seed) => {
    const a = corpus.sample(n, seed);
    expect(a).toEqual(corpus.sample(n, seed));
    expect(new Set(a).size).toBe(n);
    const infos = a.map((p) => corpus.info(p)!);
    const quota = Math.max(1, Math.floor(n / 8));
    if (n >= 3 * quota) {
      expect(infos.filter((i) => i.params > 0).length).toBeGreaterThanOrEqual(quota);
      expect(infos.filter((i) => i.exports > 0).length).toBeGreaterThanOrEqual(quota);
      expect(infos.filter((i) => i.depends.length > 0).length).toBeGreaterThanOrEqual(quota);
    }
    const subsystems = new Set(infos.map((i) => i.rel.split('/').slice(0, 2).join('/')));
    expect(subsystems.size).toBeGreaterThanOrEqual(Math.min(n, 40));
    expect(infos.every((i) => i.size <= 4 << 20)).toBe(true);
  });

  it('a different seed gives a different sample; a large sample includes a large GPU driver', () => {
    expect(corpus.sample(50, 2)).not.toEqual(corpus.sample(50, 3));
    const big = corpus.sample(400, 1).map((p) => corpus.info(p)!.name);
    expect(big).toHaveLength(400);
    expect(big.some((n) => n === 'amdgpu' || n === 'i915')).toBe(true);
  });

  it('dependencyClosure returns a load order: every dependency before its user', () => {
    const order = corpus.dependencyClosure(corpus.sample(50, 1));
    const pos = new Map(order.map((p, i) => [corpus.info(p)!.name.replaceAll('-', '_'), i]));
    expect(order.length).toBeGreaterThan(50);
    for (const [i, p] of order.entries()) {
      for (const d of corpus.info(p)!.depends) expect(pos.get(d.replaceAll('-', '_'))).toBeLessThan(i);
    }
  });
});

describe('module-signing certificate extracted from vmlinuz', () => {
  let cert: SigningCertificate;
  let corpus: DebianCorpus;
  beforeAll(async () => {
    corpus = await debianCorpus();
    cert = await signingCertificate();
  });

  it('is the build-time key, in DER and PEM, readable by openssl', () => {
    expect(cert.subject).toContain('Build time autogenerated kernel key');
    const r = spawnSync('openssl', ['x509', '-inform', 'DER', '-in', cert.der, '-noout', '-subject'], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Build time autogenerated kernel key');
    const fromPem = spawnSync('openssl', ['x509', '-in', cert.pem, '-outform', 'DER'], {
      maxBuffer: 1 << 20,
    });
    expect(Buffer.compare(fromPem.stdout, readFileSync(cert.der))).toBe(0);
  });

  it('verifies the signature of 60 corpus modules with openssl; a flipped byte fails', () => {
    const sample = corpus.sample(60, 11);
    let flipped = 0;
    for (const [i, path] of sample.entries()) {
      const ko = readFileSync(path);
      const parts = splitModuleSignature(ko);
      expect(parts?.idType, path).toBe(2);
      expect(opensslVerifyModule(ko, cert.pem), path).toBe(true);
      if (i % 6 === 0) {
        // Alternate between a byte of the signed payload and a byte of the RSA signature at the PKCS#7's end.
        const at =
          i % 12 === 0 ? (i * 7919) % parts!.payload.length : parts!.payload.length + parts!.pkcs7.length - 9;
        ko[at] ^= 0x40;
        expect(opensslVerifyModule(ko, cert.pem), `${path} flipped at ${at}`).toBe(false);
        flipped++;
      }
    }
    expect(flipped).toBe(10);
  });

  it('a different certificate does not verify them, and unsigned modules are not signed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-cert-'));
    try {
      const other = join(dir, 'other.pem');
      const r = spawnSync(
        'openssl',
        [
          'req',
          '-new',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          join(dir, 'other.key'),
          '-subj',
          '/CN=Build time autogenerated kernel key',
        ],
        { encoding: 'utf8', env: { ...process.env, RANDFILE: join(dir, 'rnd') }, cwd: dir },
      );
      expect(r.status, r.stderr).toBe(0);
      writeFileSync(other, r.stdout);
      const ko = readFileSync(corpus.sample(1, 5)[0]);
      expect(opensslVerifyModule(ko, cert.pem)).toBe(true);
      expect(opensslVerifyModule(ko, other)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const own = readFileSync((await kbuildModules()).modules.init_module.ko);
    expect(splitModuleSignature(own)).toBeUndefined();
    expect(opensslVerifyModule(own, cert.pem)).toBe(false);
  });
});
