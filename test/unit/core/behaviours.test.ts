import { describe, expect, it } from 'vitest';
import { type BehaviourHost, Behaviours, parseBehaviour, runActions } from '../../../src/core/behaviours.js';
import { err, OK_VOID } from '../../../src/core/result.js';

function host(log: string[]): BehaviourHost {
  return {
    get: (m) => {
      if (m === 'missing') return err('ENOENT', 'no such module');
      log.push(`get ${m}`);
      return OK_VOID;
    },
    put: (m) => {
      log.push(`put ${m}`);
      return OK_VOID;
    },
    request: (m) => {
      log.push(`request ${m}`);
      return OK_VOID;
    },
    log: (level, text) => {
      log.push(`<${level}>${text}`);
    },
  };
}

describe('behaviours', () => {
  it('runs actions in order until return, block or a failing get', () => {
    const log: string[] = [];
    expect(
      runActions([{ log: 'hi' }, { get: 'a' }, { return: 'ENODEV' }, { log: 'never' }], host(log)),
    ).toEqual({
      ret: 'ENODEV',
      blocked: false,
    });
    expect(log).toEqual(['<6>hi', 'get a']);
    expect(runActions([{ block: true }], host([]))).toEqual({ ret: 0, blocked: true });
    expect(runActions([{ get: 'missing' }], host([]))).toEqual({ ret: 'ENOENT', blocked: false });
    expect(runActions(undefined, host([]))).toEqual({ ret: 0, blocked: false });
  });

  it('validates behaviour JSON from images', () => {
    expect(parseBehaviour('{"init":[{"return":"EINVAL"}],"cleanup":[{"put":"x"}]}')).toEqual({
      ok: true,
      value: { init: [{ return: 'EINVAL' }], cleanup: [{ put: 'x' }] },
    });
    expect(parseBehaviour('{"init":[{"return":"ENOTANERRNO"}]}').ok).toBe(false);
    expect(parseBehaviour('{"init":[{"log":"x","level":9}]}').ok).toBe(false);
    expect(parseBehaviour('[1]').ok).toBe(false);
    expect(parseBehaviour('{').ok).toBe(false);
  });

  it('prefers registered callbacks over declared behaviour over the default', () => {
    const b = new Behaviours();
    expect(b.resolve('m').init(host([]))).toEqual({ ret: 0, blocked: false });
    b.declare('m', { init: [{ return: 'EIO' }] });
    expect(b.resolve('m').init(host([]))).toEqual({ ret: 'EIO', blocked: false });
    b.register('m', { init: () => 'EBUSY' });
    expect(b.resolve('m').init(host([]))).toEqual({ ret: 'EBUSY', blocked: false });
    const copy = new Behaviours();
    copy.restore(JSON.parse(JSON.stringify(b.snapshot())));
    expect(copy.resolve('m').init(host([]))).toEqual({ ret: 'EIO', blocked: false });
  });
});
