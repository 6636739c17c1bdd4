import { describe, expect, it } from 'vitest';
import {
  R_386_32,
  R_X86_64_64,
  R_X86_64_PC32,
  SHN_UNDEF,
  STB_GLOBAL,
  STT_FUNC,
} from '../../../src/abi/elf.js';
import { formatElfReport, inspectElf } from '../../../src/elf/inspect.js';
import { parseModuleImage } from '../../../src/elf/module-image.js';
import { MODULE_SIG_STRING, readModuleSignature } from '../../../src/elf/module-signature.js';
import {
  RelocationIndex,
  readRelocationSections,
  relocationCountsByType,
} from '../../../src/elf/relocations.js';
import {
  buildModuleFixture,
  FIXTURE_MODINFO,
  FIXTURE_SYMBOL_COUNT,
  FIXTURE_UNDEFINED_COUNT,
  FIXTURE_VERSIONS,
} from './fixtures/module-fixture.js';

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function appendSignature(bytes: Uint8Array, sig: Uint8Array, fields: Partial<Record<'idType', number>> = {}) {
  const trailer = new Uint8Array(12);
  trailer[2] = fields.idType ?? 2;
  new DataView(trailer.buffer).setUint32(8, sig.length, false);
  const marker = new TextEncoder().encode(MODULE_SIG_STRING);
  const out = new Uint8Array(bytes.length + sig.length + 12 + marker.length);
  out.set(bytes, 0);
  out.set(sig, bytes.length);
  out.set(trailer, bytes.length + sig.length);
  out.set(marker, bytes.length + sig.length + 12);
  return out;
}

const variants = [
  { is64: true, le: true, label: 'x86_64 RELA, PREL32 exports' },
  { is64: true, le: false, label: 'ELF64 MSB' },
  { is64: false, le: true, label: 'i386 REL, absolute exports' },
  { is64: false, le: false, label: 'ELF32 MSB' },
] as const;

describe.each(variants)('module image: $label', ({ is64, le }) => {
  const bytes = buildModuleFixture({ is64, le });
  const image = unwrap(parseModuleImage(bytes));

  it('reads the symbol table with names, bindings and SHN_UNDEF counts', () => {
    const syms = unwrap(image.symbols());
    expect(syms.count).toBe(FIXTURE_SYMBOL_COUNT);
    expect(syms.undefinedCount()).toBe(FIXTURE_UNDEFINED_COUNT);
    const foo = syms.indexOf('foo');
    expect(foo).toBeDefined();
    const s = syms.get(foo ?? 0);
    expect([s.bind, s.type, s.size, s.value]).toEqual([STB_GLOBAL, STT_FUNC, 16, 0n]);
    expect(syms.get(syms.indexOf('bar') ?? 0).value).toBe(16n);
    expect(syms.shndx(syms.indexOf('printk') ?? 0)).toBe(SHN_UNDEF);
    expect(syms.isSection(1)).toBe(true);
    expect(syms.name(1)).toBe('');
  });

  it('reads relocations by index with symbol, type and addend', () => {
    const relocs = unwrap(readRelocationSections(image.elf));
    expect(relocs.map((r) => r.isRela)).toEqual(relocs.map(() => is64));
    const param = relocs.find((r) => r.section.name.endsWith('__param'));
    expect(param).toBeDefined();
    if (param === undefined) return;
    expect(param.count).toBe(12);
    // Entry 3 is the second parameter's name: .rodata + 6 (addend in the field for REL).
    expect(param.offset(4)).toBe(is64 ? 40 : 20);
    expect(param.type(4)).toBe(is64 ? R_X86_64_64 : R_386_32);
    expect(param.symbolIndex(4)).toBe(1);
    expect(param.addendNumber(4)).toBe(is64 ? 6 : 0);
    const counts = relocationCountsByType(relocs);
    if (is64) expect(counts.get(R_X86_64_PC32)).toBe(6);
    const idx = new RelocationIndex(relocs);
    expect(idx.at(param.targetSection, is64 ? 40 : 20)?.index).toBe(4);
    expect(idx.at(param.targetSection, 1)).toBeUndefined();
  });

  it('reads .modinfo strings with repeatable keys in order', () => {
    const mi = unwrap(image.modinfo());
    expect(mi.entries.map((e) => e.text)).toEqual(FIXTURE_MODINFO.filter((s) => s !== ''));
    expect(mi.getAll('alias')).toEqual(['fix-a', 'fix-b']);
    expect(mi.get('depends')).toBe('');
    expect(mi.get('license')).toBe('GPL');
    expect(mi.get('noequals')).toBeUndefined();
    expect(mi.entries.find((e) => e.text === 'noequals')?.key).toBeUndefined();
  });

  it('reads __versions in the class layout', () => {
    const v = unwrap(image.versions());
    expect(v?.entries.map((e) => [e.name, e.crc, e.crcHigh])).toEqual(
      FIXTURE_VERSIONS.map((x) => [x.name, x.crc, is64 ? x.crcHigh : 0]),
    );
    expect(v?.find('printk')?.crc).toBe(0xdeadbeef);
    expect(v?.trailingBytes).toBe(0);
  });

  it('decodes __ksymtab/__ksymtab_gpl through relocations, with CRCs and namespaces', () => {
    const k = unwrap(image.ksymtab());
    expect(k.symbols.map((s) => [s.kind, s.name, s.valueSymbol, s.namespace, s.crc])).toEqual([
      ['plain', 'foo', 'foo', undefined, 0x11111111],
      ['gpl', 'bar', 'bar', 'MY_NS', 0x22222222],
    ]);
    expect(k.layouts.plain).toEqual({ layout: is64 ? 'prel32' : 'absolute', entrySize: 12 });
  });

  it('decodes __param names and types via the ops symbols and descriptors', () => {
    const p = unwrap(image.params());
    expect(p.map((x) => [x.name, x.kind, x.type, x.perm, x.level])).toEqual([
      ['count', 'standard', 'int', 0o644, -1],
      ['names', 'array', 'array of charp', 0o444, -1],
      ['label', 'string', 'string', 0o600, -1],
    ]);
    expect(p[1].array).toEqual({ max: 4, elemsize: is64 ? 8 : 4, elemType: 'charp' });
    expect(p[2].string).toEqual({ maxlen: 32 });
  });

  it('reads the struct module name and prefers modinfo name=', () => {
    expect(unwrap(image.thisModule())?.name).toBe('fixture');
    expect(image.name()).toBe('fixture');
  });

  it('splits a signature trailer off before parsing the ELF', () => {
    const signed = appendSignature(bytes, Uint8Array.of(0x30, 0x82, 1, 2, 3));
    const sig = unwrap(readModuleSignature(signed));
    expect(sig).toMatchObject({ payloadLength: bytes.length, sigLen: 5, idType: 2, algo: 0 });
    const img = unwrap(parseModuleImage(signed));
    expect(img.elf.bytes.length).toBe(bytes.length);
    expect(unwrap(img.modinfo()).get('name')).toBe('fixture');
    const report = unwrap(inspectElf(signed));
    expect(report.signature).toMatchObject({ sigLen: 5, idType: 2, payloadLength: bytes.length });
  });

  it('builds the inspection report and its text form', () => {
    const report = unwrap(inspectElf(bytes));
    expect(report.header.class).toBe(is64 ? 'ELF64' : 'ELF32');
    expect(report.symbols).toEqual({ total: FIXTURE_SYMBOL_COUNT, undefined: FIXTURE_UNDEFINED_COUNT });
    expect(report.sections.find((s) => s.name === '.text')?.flags).toBe('AX');
    expect(report.sections.find((s) => s.name === '__ksymtab_strings')?.flags).toBe('AMS');
    expect(report.sections.find((s) => s.name === '.bss')?.type).toBe('NOBITS');
    const total = report.relocations.byType.reduce((a, b) => a + b.count, 0);
    expect(report.relocations.total).toBe(total);
    expect(report.modinfo).toContain('alias=fix-b');
    expect(report.signature).toBeUndefined();
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    const text = formatElfReport(report);
    expect(text).toContain('__versions');
    expect(text).toContain(`Symbols: ${FIXTURE_SYMBOL_COUNT} entries, ${FIXTURE_UNDEFINED_COUNT} undefined`);
    expect(text).toContain('Signature: none');
  });
});

describe('module signature trailer', () => {
  const base = buildModuleFixture();
  it('is absent without the marker', () => {
    expect(unwrap(readModuleSignature(base))).toBeUndefined();
  });
  it('rejects a sig_len that does not fit (EBADMSG in mod_check_sig)', () => {
    const signed = appendSignature(base, Uint8Array.of(1, 2, 3));
    const v = new DataView(signed.buffer);
    v.setUint32(signed.length - 28 - 4, signed.length, false);
    const r = readModuleSignature(signed);
    expect(!r.ok && r.error.kind).toBe('bad-signature');
  });
  it('treats the bare marker as unsigned and a marker after too few bytes as malformed', () => {
    const marker = new TextEncoder().encode(MODULE_SIG_STRING);
    const bare = readModuleSignature(marker);
    expect(bare.ok && bare.value).toBeUndefined();
    const short = new Uint8Array(12 + marker.length);
    short.set(marker, 12);
    const r = readModuleSignature(short);
    expect(!r.ok && r.error.kind).toBe('bad-signature');
  });
  it('reports the id_type as found', () => {
    const r = unwrap(readModuleSignature(appendSignature(base, Uint8Array.of(9), { idType: 1 })));
    expect(r?.idType).toBe(1);
  });
});
