/**
 * GNU `getopt_long()`, which modutils 2.4 uses like every GNU tool (argument permutation, `--`, unique-prefix
 * long options, glibc's messages): the implementation is shared with the linux-v26 userland.
 * @module
 */
export { getoptLong, type LongOption, type ParsedOption } from '../../linux-v26/userland/getopt.js';
