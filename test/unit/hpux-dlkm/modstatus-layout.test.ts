/**
 * `struct modstatus` byte layout: hand-computed LP64 offsets, big-endian encoding, and (when a C compiler is
 * installed) the offsets a real LP64 compiler gives the modstat(2) declaration.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MODSPECIFIC_STAT,
  MODSTATUS,
  MODWRAPPER,
  SIZEOF_MODSPECIFIC_STAT,
  SIZEOF_MODSTATUS,
  SIZEOF_MODSTATUS_V1,
  SIZEOF_MODWRAPPER,
} from '../../../src/abi/hpux/dlkm.js';
import {
  decodeModStatus,
  encodeModStatus,
  type ModStatus,
} from '../../../src/personalities/hpux-dlkm/modstatus.js';

const SAMPLE: ModStatus = {
  id: 0x01020304,
  base: 0xe000000004001000n,
  size: 0x1234,
  bss: 0xe000000004003000n,
  bssSize: 0x40,
  rev: 10,
  path: '/usr/conf/mod/dlclass',
  unloadDelay: 0n,
  holdcnt: 2,
  depcnt: 3,
  msinfo: [{ linkinfo: 'dlclass - Loadable/Unloadable Test Module', type: 1, p0: [-1, 64], p1: [0x12, 0] }],
  reg: 1,
  version: '0.1.0',
};

function cString(bytes: Uint8Array, at: number): string {
  let end = at;
  while (bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(at, end));
}

describe('struct modstatus layout', () => {
  it('has the hand-computed LP64 offsets and sizes', () => {
    expect(MODSTATUS).toEqual({
      ms_id: 0,
      ms_base: 8,
      ms_size: 16,
      ms_bss: 24,
      ms_bss_size: 32,
      ms_rev: 36,
      ms_path: 40,
      ms_unload_delay: 1064,
      ms_holdcnt: 1072,
      ms_depcnt: 1076,
      ms_msinfo: 1080,
      ms_reg: 1496,
      ms_version: 1500,
    });
    expect(MODSPECIFIC_STAT).toEqual({ mss_linkinfo: 0, mss_type: 84, mss_p0: 88, mss_p1: 96 });
    expect(SIZEOF_MODSPECIFIC_STAT).toBe(104);
    expect(SIZEOF_MODSTATUS).toBe(1536);
    expect(SIZEOF_MODSTATUS_V1).toBe(1496);
    expect(MODWRAPPER).toEqual({
      mw_rev: 0,
      mw_load: 8,
      mw_unload: 16,
      mw_halt: 24,
      mw_conf_data: 32,
      mw_modlink: 40,
    });
    expect(SIZEOF_MODWRAPPER).toBe(48);
  });

  it('encodes every field big-endian at its offset', () => {
    const b = encodeModStatus(SAMPLE, false);
    expect(b.length).toBe(1536);
    expect([...b.subarray(0, 4)]).toEqual([1, 2, 3, 4]);
    expect([...b.subarray(8, 16)]).toEqual([0xe0, 0, 0, 0, 0x04, 0x00, 0x10, 0x00]);
    expect([...b.subarray(16, 20)]).toEqual([0, 0, 0x12, 0x34]);
    expect([...b.subarray(24, 32)]).toEqual([0xe0, 0, 0, 0, 0x04, 0x00, 0x30, 0x00]);
    expect([...b.subarray(32, 40)]).toEqual([0, 0, 0, 0x40, 0, 0, 0, 10]);
    expect(cString(b, 40)).toBe('/usr/conf/mod/dlclass');
    expect([...b.subarray(1064, 1080)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 3]);
    expect(cString(b, 1080)).toBe('dlclass - Loadable/Unloadable Test Module');
    expect([...b.subarray(1080 + 84, 1080 + 104)]).toEqual([
      0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 64, 0, 0, 0, 0x12, 0, 0, 0, 0,
    ]);
    expect(b.subarray(1080 + 104, 1496).every((x) => x === 0)).toBe(true);
    expect([...b.subarray(1496, 1500)]).toEqual([0, 0, 0, 1]);
    expect(cString(b, 1500)).toBe('0.1.0');
    expect(b.subarray(1532).every((x) => x === 0)).toBe(true);
  });

  it('11.0/11i v1 copies out the struct without ms_reg and ms_version', () => {
    const b = encodeModStatus(SAMPLE, true);
    expect(b.length).toBe(1496);
    expect(decodeModStatus(b, true)).toMatchObject({ id: SAMPLE.id, path: SAMPLE.path, reg: 0, version: '' });
  });

  it('cuts strings to their field minus the NUL and round-trips', () => {
    const long = { ...SAMPLE, path: `/${'p'.repeat(2000)}`, version: 'v'.repeat(40) };
    const back = decodeModStatus(encodeModStatus(long, false), false);
    expect(back.path.length).toBe(1023);
    expect(back.version.length).toBe(31);
    const round = decodeModStatus(encodeModStatus(SAMPLE, false), false);
    expect(round.msinfo[0]).toEqual(SAMPLE.msinfo[0]);
    expect(round.msinfo.slice(1).every((m) => m.linkinfo === '' && m.type === 0)).toBe(true);
    expect({ ...round, msinfo: [] }).toEqual({ ...SAMPLE, msinfo: [] });
  });

  const gcc = (() => {
    try {
      execFileSync('gcc', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!gcc)('matches an LP64 C compiler on the modstat(2) declaration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modstatus-'));
    const src = join(dir, 'layout.c');
    writeFileSync(
      src,
      `#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#define MAXPATHLEN 1024
#define MODMAXLINK 4
#define MODMAXLINKINFOLEN 81
#define MODMAXVERLEN 32
struct modlink;
struct modspecific_stat { char mss_linkinfo[MODMAXLINKINFOLEN]; int32_t mss_type; int32_t mss_p0[2]; int32_t mss_p1[2]; };
struct modstatus { int32_t ms_id; uint64_t ms_base; uint32_t ms_size; uint64_t ms_bss; uint32_t ms_bss_size;
  int32_t ms_rev; char ms_path[MAXPATHLEN]; time_t ms_unload_delay; int32_t ms_holdcnt; int32_t ms_depcnt;
  struct modspecific_stat ms_msinfo[MODMAXLINK]; int ms_reg; char ms_version[MODMAXVERLEN]; };
struct modwrapper { int mw_rev; int (*mw_load)(void); int (*mw_unload)(void); void (*mw_halt)(void);
  void *mw_conf_data; struct modlink *mw_modlink; };
#define P(s, f) printf("%s %zu\\n", #f, offsetof(struct s, f))
int main(void) {
  P(modstatus, ms_id); P(modstatus, ms_base); P(modstatus, ms_size); P(modstatus, ms_bss);
  P(modstatus, ms_bss_size); P(modstatus, ms_rev); P(modstatus, ms_path); P(modstatus, ms_unload_delay);
  P(modstatus, ms_holdcnt); P(modstatus, ms_depcnt); P(modstatus, ms_msinfo); P(modstatus, ms_reg);
  P(modstatus, ms_version); P(modspecific_stat, mss_linkinfo); P(modspecific_stat, mss_type);
  P(modspecific_stat, mss_p0); P(modspecific_stat, mss_p1); P(modwrapper, mw_rev); P(modwrapper, mw_load);
  P(modwrapper, mw_unload); P(modwrapper, mw_halt); P(modwrapper, mw_conf_data); P(modwrapper, mw_modlink);
  printf("sizeof_modstatus %zu\\nsizeof_modspecific_stat %zu\\nsizeof_modwrapper %zu\\n",
    sizeof(struct modstatus), sizeof(struct modspecific_stat), sizeof(struct modwrapper));
  return 0;
}
`,
    );
    execFileSync('gcc', ['-m64', '-o', join(dir, 'layout'), src]);
    const out = execFileSync(join(dir, 'layout'), { encoding: 'utf8' });
    const got = Object.fromEntries(
      out
        .trim()
        .split('\n')
        .map((l) => l.split(' '))
        .map(([k, v]) => [k, Number(v)]),
    );
    expect(got).toEqual({
      ...MODSTATUS,
      ...MODSPECIFIC_STAT,
      ...MODWRAPPER,
      sizeof_modstatus: SIZEOF_MODSTATUS,
      sizeof_modspecific_stat: SIZEOF_MODSPECIFIC_STAT,
      sizeof_modwrapper: SIZEOF_MODWRAPPER,
    });
  });
});
