/**
 * `kmod_module_get_info`: the `.modinfo` key/value list of a module file, followed (for a signed file) by the
 * signature entries `sig_id`, `signer`, `sig_key`, `sig_hashalgo`, `signature`.
 * @see libkmod/libkmod-module.c (kmod 30) kmod_module_get_info
 * @module
 */
import { Buffer } from 'node:buffer';
import type { ErrnoName } from '../../../abi/errno.js';
import { ok, type Result } from '../../../core/result.js';
import { KmodElf } from './kmod-elf.js';
import type { KmodFile } from './kmod-file.js';
import { kmodHexToStr, kmodSignatureInfo } from './kmod-signature.js';

/** One entry of the info list. */
export interface KmodInfoEntry {
  /** Text before the first `=` (the whole string when there is none). */
  readonly key: string;
  /** Text after the first `=` (empty when there is none). */
  readonly value: string;
  /** `strlen(key)`: the key's length in bytes (modinfo pads with it). */
  readonly keyLength: number;
}

/** Splits a `.modinfo` string as kmod does. */
export function splitModinfo(s: string): KmodInfoEntry {
  const eq = s.indexOf('=');
  const key = eq < 0 ? s : s.slice(0, eq);
  return { key, value: eq < 0 ? '' : s.slice(eq + 1), keyLength: Buffer.byteLength(key) };
}

/**
 * Each `.modinfo` string split at its first `=` byte, key and value decoded as UTF-8 apart (so a split never
 * falls inside a character), `keyLength` in bytes.
 */
function modinfoEntries(elf: KmodElf, ranges: readonly number[]): KmodInfoEntry[] {
  const m = elf.memory;
  const out: KmodInfoEntry[] = new Array(ranges.length / 2);
  for (let k = 0; k < ranges.length; k += 2) {
    const start = ranges[k];
    const end = ranges[k + 1];
    let eq = start;
    while (eq < end && m[eq] !== 0x3d) eq++;
    out[k / 2] = {
      key: elf.utf8(start, eq),
      value: eq < end ? elf.utf8(eq + 1, end) : '',
      keyLength: eq - start,
    };
  }
  return out;
}

const decoder = new TextDecoder('utf-8');

/** Bytes printed with `%s`: up to the first NUL. */
function cText(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return decoder.decode(nul >= 0 ? bytes.subarray(0, nul) : bytes);
}

/**
 * The info list of `file`: errno of the ELF open (ENOEXEC, EINVAL) or ENOENT without `.modinfo`.
 * @param withSignature whether to add the signature entries (depmod never prints them, so it skips the work).
 * @throws KmodAbort where kmod's assertions fail on the file.
 */
export function kmodModuleGetInfo(file: KmodFile, withSignature = true): Result<KmodInfoEntry[], ErrnoName> {
  const elf = KmodElf.open(file.memory, 'utf8', file.fault);
  if (!elf.ok) return elf;
  const ranges = elf.value.stringRanges('.modinfo');
  if (!ranges.ok) return ranges;
  const list = modinfoEntries(elf.value, ranges.value);
  if (withSignature) {
    const sig = kmodSignatureInfo(file.memory, file.fault);
    if (sig !== undefined) {
      list.push(splitModinfo(`sig_id=${sig.idType}`));
      list.push({ key: 'signer', value: cText(sig.signer), keyLength: 6 });
      list.push({ key: 'sig_key', value: kmodHexToStr(sig.keyId), keyLength: 7 });
      list.push({ key: 'sig_hashalgo', value: sig.hashAlgo, keyLength: 12 });
      list.push({ key: 'signature', value: kmodHexToStr(sig.sig), keyLength: 9 });
    }
  }
  return ok(list);
}
