/** parseSymvers: the vmlinux exports of a Module.symvers (CRC, name, module, export type, namespace). */
import { describe, expect, it } from 'vitest';
import { parseSymvers } from '../../../src/personalities/linux-v26/kernel-exports.js';

describe('parseSymvers', () => {
  it('keeps vmlinux lines with four or more fields, in order, and nothing else', () => {
    const text = [
      '0x1a2b3c4d\tprintk\tvmlinux\tEXPORT_SYMBOL\t',
      '0x00000001\tmod_fn\tdrivers/net/foo\tEXPORT_SYMBOL_GPL\t',
      '0xdeadbeef\tgpl_fn\tvmlinux\tEXPORT_SYMBOL_GPL\t',
      '0x12345678\tns_fn\tvmlinux\tEXPORT_SYMBOL_GPL\tCXL',
      '0x12345679\tvmlinux\tsound/core\tEXPORT_SYMBOL\t',
      '0x1234567a\tthree_fields\tvmlinux',
      '',
      'zz\tbad_crc\tvmlinux\tEXPORT_SYMBOL',
      '0x0000000b\tvmlinux2\tvmlinuxx\tEXPORT_SYMBOL\t',
      '0x0000000c\tlast\tvmlinux\tEXPORT_SYMBOL',
    ].join('\n');
    expect(parseSymvers(text)).toEqual([
      { name: 'printk', crc: 0x1a2b3c4d, gplOnly: false, namespace: undefined },
      { name: 'gpl_fn', crc: 0xdeadbeef, gplOnly: true, namespace: undefined },
      { name: 'ns_fn', crc: 0x12345678, gplOnly: true, namespace: 'CXL' },
      { name: 'bad_crc', crc: undefined, gplOnly: false, namespace: undefined },
      { name: 'last', crc: 0x0c, gplOnly: false, namespace: undefined },
    ]);
    // A vmlinux line whose fourth field is cut off at the end of the text is not an export.
    expect(parseSymvers('0x1\tcut\tvmlinux')).toEqual([]);
    expect(parseSymvers('0x1\tcut\tvmlinux\n')).toEqual([]);
  });
});
