import type { Vfs } from './vfs.js';

/**
 * The nodes every simulated system has, so experiments can stage the fd and path errors of each era against
 * them: `/dev/null` (a character device), `/dev/zero`, `/tmp` (sticky, world-writable), `/root`, `/proc`,
 * `/sys`, `/proc/version`. Personalities add their own files (and may replace `/proc/version`) at boot.
 */
export function populateStandardTree(vfs: Vfs, versionLine: string): void {
  for (const dir of ['/tmp', '/root', '/proc', '/sys', '/dev', '/etc', '/lib', '/usr']) vfs.mkdirp(dir);
  vfs.chmod('/tmp', 0o1777);
  vfs.chmod('/root', 0o700);
  vfs.mknod('/dev/null', 'chr', 0o666);
  vfs.mknod('/dev/zero', 'chr', 0o666);
  vfs.registerGenerated('/proc/version', () => `${versionLine}\n`);
}
