/**
 * glibc's `strerror()` texts, which modutils prints through `%m`. The messages of the errnos the module calls
 * return are the same in the glibc 2.2/2.3 of the 2.4 era as in the glibc the linux-v26 userland follows, so
 * that table is shared.
 * @module
 */
export { strerror } from '../../linux-v26/userland/strerror.js';
