/** treeModuleFiles: every .ko under a directory, sorted, with paths as path.join would write them. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { treeModuleFiles } from '../../../src/experiments/tree-module-files.js';

describe('treeModuleFiles', () => {
  it('finds every .ko below the directory, sorted, however the directory is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodsim-tree-'));
    for (const d of ['kernel/fs/xfs', 'kernel/drivers/net', 'kernel/empty'])
      mkdirSync(join(dir, d), { recursive: true });
    for (const f of ['kernel/fs/xfs/xfs.ko', 'kernel/drivers/net/b.ko', 'kernel/drivers/net/a.ko', 'top.ko'])
      writeFileSync(join(dir, f), '');
    for (const f of ['kernel/drivers/net/a.ko.xz', 'modules.dep', 'kernel/fs/readme'])
      writeFileSync(join(dir, f), '');
    const want = ['kernel/drivers/net/a.ko', 'kernel/drivers/net/b.ko', 'kernel/fs/xfs/xfs.ko', 'top.ko'].map(
      (f) => join(dir, f),
    );
    expect(treeModuleFiles(dir)).toEqual(want);
    expect(treeModuleFiles(`${dir}/`)).toEqual(want);
    expect(treeModuleFiles(`${dir}/kernel/../`)).toEqual(want);
    const rel = relative(process.cwd(), dir);
    expect(treeModuleFiles(`./${rel}`)).toEqual(want.map((p) => join(rel, relative(dir, p))));
  });
});
