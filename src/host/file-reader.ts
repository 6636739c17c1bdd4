/**
 * Whole-file reads into one buffer that grows to the largest file and is reused: no fresh memory per file.
 * The buffer is shared memory, like the read-ahead ring the other files arrive in: code the JIT compiled for
 * one kind of buffer would otherwise be thrown away (deoptimised) at the first file read here (~15 functions
 * of the loader, ~70 ms of a whole-tree load).
 * @module
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Reads whole files into one growing buffer; each view is valid until the next read. */
export class FileReader {
  private buf = new Uint8Array(new SharedArrayBuffer(1 << 20));

  /** The bytes of `path`; throws when it cannot be opened. */
  read(path: string): Uint8Array {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > this.buf.length)
        this.buf = new Uint8Array(new SharedArrayBuffer(Math.max(size, this.buf.length * 2)));
      let got = 0;
      while (got < size) {
        const n = readSync(fd, this.buf, got, size - got, got);
        if (n === 0) break;
        got += n;
      }
      return this.buf.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  }

  /** {@link FileReader.read}, or `undefined` when the file cannot be read. */
  tryRead(path: string): Uint8Array | undefined {
    try {
      return this.read(path);
    } catch {
      return undefined;
    }
  }
}
