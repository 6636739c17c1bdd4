/**
 * Module parameters: the tokenizer, kstrto* and kstrtobool, and parse_args through real loads (values read
 * back from /sys/module/<m>/parameters).
 */
import { describe, expect, it } from 'vitest';
import { kstrtobool, kstrtosN, kstrtoull } from '../../../src/personalities/linux-v26/params/kstrtox.js';
import { nextArg } from '../../../src/personalities/linux-v26/params/next-arg.js';
import { digest, ko, logSince, v26, withoutPlt32 } from './support.js';

function tokens(s: string): [string, string | undefined][] {
  const out: [string, string | undefined][] = [];
  let pos = 0;
  while (pos < s.length && s[pos] === ' ') pos++;
  while (pos < s.length) {
    const { token, next } = nextArg(s, pos);
    out.push([token.param, token.val]);
    pos = next;
  }
  return out;
}

describe('next_arg', () => {
  it('splits on spaces, at the first = after index 0, with quotes', () => {
    expect(tokens('a=1  b c=x=y')).toEqual([
      ['a', '1'],
      ['b', undefined],
      ['c', 'x=y'],
    ]);
    expect(tokens('=x')).toEqual([['=x', undefined]]);
    expect(tokens('s="hello world" t')).toEqual([
      ['s', 'hello world'],
      ['t', undefined],
    ]);
    expect(tokens('"q=a b"')).toEqual([['q', 'a b']]);
    expect(tokens('a=1\tb=2\n')).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });
});

describe('kstrto*', () => {
  it('radix prefixes, one trailing newline, ERANGE vs EINVAL', () => {
    expect(kstrtoull('0x1f')).toEqual({ ok: true, value: 31n });
    expect(kstrtoull('017')).toEqual({ ok: true, value: 15n });
    expect(kstrtoull('+5\n')).toEqual({ ok: true, value: 5n });
    expect(kstrtoull('5\n\n').ok).toBe(false);
    expect(kstrtoull('-1')).toEqual({ ok: false, error: 'EINVAL' });
    expect(kstrtoull('18446744073709551616')).toEqual({ ok: false, error: 'ERANGE' });
    expect(kstrtosN('2147483648', 32)).toEqual({ ok: false, error: 'ERANGE' });
    expect(kstrtosN('-2147483648', 32)).toEqual({ ok: true, value: -2147483648n });
    expect(kstrtosN('2147483648', 32, false)).toEqual({ ok: false, error: 'EINVAL' });
  });
  it('kstrtobool reads the first one or two characters', () => {
    for (const t of ['y', 'Y', '1', 'yes', 'on', 'ON'])
      expect(kstrtobool(t)).toEqual({ ok: true, value: true });
    for (const f of ['n', 'N', '0', 'off', 'no']) expect(kstrtobool(f)).toEqual({ ok: true, value: false });
    for (const bad of ['', 'o', 'true', 'x']) expect(kstrtobool(bad).ok).toBe(false);
  });
});

const PARAMS = ko({
  name: 'parm',
  params: [
    { name: 'count', type: 'int', default: 3 },
    { name: 'small', type: 'byte' },
    { name: 'port', type: 'ushort' },
    { name: 'mask', type: 'hexint', default: 5 },
    { name: 'flag', type: 'bool' },
    { name: 'noflag', type: 'invbool' },
    { name: 'who', type: 'charp' },
    { name: 'label', type: 'string', maxlen: 8 },
    { name: 'list', type: 'int', array: 3 },
    { name: 'hidden', type: 'int', perm: 0 },
  ],
});

function load(args: string, config: Record<string, unknown> = {}) {
  const k = v26(config);
  const cursor = k.core.log.cursor;
  const before = digest(k);
  const img = config.kernelVersion === undefined ? PARAMS : withoutPlt32(PARAMS);
  const r = k.sys.init_module(img, undefined, args);
  const p = (n: string) => k.read(`/sys/module/parm/parameters/${n}`);
  return { k, r, p, log: logSince(k, cursor), unchanged: digest(k) === before };
}

describe('parse_args through a load', () => {
  it('defaults and set values are read back through sysfs in the kernel formats', () => {
    // invbool stores the inverse and prints it inverted again: noflag=y reads back Y.
    const { r, p } = load('count=-7 small=255 port=0x10 flag noflag=y who="a b" label=abc list=1,2 mask=255');
    expect(r.ret).toBe(0);
    expect([
      p('count'),
      p('small'),
      p('port'),
      p('flag'),
      p('noflag'),
      p('who'),
      p('label'),
      p('list'),
      p('mask'),
    ]).toEqual(['-7\n', '255\n', '16\n', 'Y\n', 'Y\n', 'a b\n', 'abc\n', '1,2\n', '0x0000ff\n']);
    expect(p('hidden')).toBeUndefined();
  });

  it('defaults without arguments', () => {
    const { p } = load('');
    expect([p('count'), p('mask'), p('who'), p('flag'), p('noflag')]).toEqual([
      '3\n',
      '0x000005\n',
      '(null)\n',
      'N\n',
      'Y\n',
    ]);
  });

  it('out of range is ERANGE; garbage and a leading - on unsigned are EINVAL; the load is undone', () => {
    const a = load('small=256');
    expect([a.r.errno, a.unchanged]).toEqual(['ERANGE', true]);
    expect(a.log).toContain("parm: `256' invalid for parameter `small'");
    expect(load('port=-1').r.errno).toBe('EINVAL');
    expect(load('count=12abc').r.errno).toBe('EINVAL');
  });

  it('missing values: only bool-like types take none', () => {
    expect(load('flag').r.ret).toBe(0);
    expect(load('noflag').r.errno).toBe('EINVAL');
    expect(load('count').r.errno).toBe('EINVAL');
  });

  it('strings that do not fit are ENOSPC; arrays longer than their size are EINVAL', () => {
    const s = load('label=123456789');
    expect(s.r.errno).toBe('ENOSPC');
    expect(s.log).toContain("label: string doesn't fit in 7 chars.");
    const a = load('list=1,2,3,4');
    expect(a.r.errno).toBe('EINVAL');
    expect(a.log).toContain('list: can only take 3 arguments');
  });

  it('the last error wins in 6.x; 4.x stops at the first', () => {
    expect(load('small=999 port=x').r.errno).toBe('EINVAL');
    expect(load('small=999 port=x', { kernelVersion: '4.19' }).r.errno).toBe('ERANGE');
  });

  it('unknown names warn and are ignored (3.12+); before, ENOENT', () => {
    const u = load('nosuch=1 count=4');
    expect(u.r.ret).toBe(0);
    expect(u.log).toContain("parm: unknown parameter 'nosuch' ignored");
    expect(u.p('count')).toBe('4\n');
    const old = load('nosuch=1', { kernelVersion: '3.10' });
    expect(old.r.errno).toBe('ENOENT');
    expect(old.log).toContain("parm: Unknown parameter `nosuch'");
  });

  it('text after a bare -- is ignored with a warning; - and _ are the same in names', () => {
    const d = load('count=1 -- count=2');
    expect(d.p('count')).toBe('1\n');
    expect(d.log).toContain("parm: parameters 'count=2' after `--' ignored");
    expect(load('co-unt=9').r.ret).toBe(0);
  });
});
