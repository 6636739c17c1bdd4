import type { ErrnoName } from '../abi/errno.js';
import type { PersonalityId } from '../personalities/personality.js';

/** One errno a syscall's documentation lists. */
export interface DocumentedErrno {
  /** The errno. */
  readonly errno: ErrnoName;
  /** When it is returned, in a few words. */
  readonly when: string;
  /**
   * Why no case produces it on the simulated kernel, when none can (a resource that never runs out, a signal
   * during a wait): the coverage table shows the reason instead of failing.
   */
  readonly unreachable?: string;
}

/** The documented contract of one syscall. */
export interface DocumentedCall {
  /** Where the list comes from (man page, reference section). */
  readonly source: string;
  /** The ERRORS list. */
  readonly errors: readonly DocumentedErrno[];
  /**
   * Whether the call also returns whatever the module's own init (`_load`, cleanup) returned: that errno is then
   * documented too ("if the module's init function returns an error, init_module fails with that value").
   */
  readonly passesModuleErrno?: boolean;
}

/** A personality's documented syscalls, by name. */
export type DocumentedCalls = Readonly<Record<string, DocumentedCall>>;

const e = (errno: ErrnoName, when: string, unreachable?: string): DocumentedErrno =>
  unreachable === undefined ? { errno, when } : { errno, when, unreachable };

const PAGE_ALLOC = 'the name page allocation never fails in the simulator';
const NO_STRING_PARAM = "the suite's modules have no string parameter (tests of linux-v26's params cover it)";

const OBSOLETE_26: DocumentedCall = {
  source: 'init_module(2) "Linux 2.4 and earlier": removed in 2.6; linux-v26.md §1.1',
  errors: [e('ENOSYS', 'the call does not exist on 2.6+')],
};

/**
 * The ERRORS lists, per personality and syscall. Sources: linux-v26.md §0 MAN (init_module(2), delete_module(2)),
 * §2.1, §2.2, §2.14, §3.1, §4.3 (what parameter parsing returns: `parse_args` passes the setter's errno on, which
 * the man page does not list); linux-legacy.md Part B (§B.3 get_mod_name, §B.4–B.7, MAN create_module(2),
 * init_module(2) "Linux 2.4 and earlier", query_module(2)); hpux-dlkm.md §2.1–2.4 and §3.2–3.4 (HP-UX
 * modload(2), moduload(2), modstat(2), modpath(2)). A personality without an entry has no conformance tables yet.
 */
export const DOCUMENTED_ERRNOS: Readonly<Partial<Record<PersonalityId, DocumentedCalls>>> = {
  'linux-v26': {
    init_module: {
      source: 'init_module(2) ERRORS; linux-v26.md §2.1, §2.14',
      passesModuleErrno: true,
      errors: [
        e('EPERM', 'no CAP_SYS_MODULE, or modules_disabled'),
        e('ENOEXEC', 'len smaller than an ELF header, or an invalid ELF image'),
        e('ENOMEM', 'len too large to allocate'),
        e('EFAULT', 'umod or uargs outside the address space'),
        e('EBADMSG', 'malformed signature trailer'),
        e('EKEYREJECTED', 'signature enforced and the module unsigned or not verifiable'),
        e(
          'ENOKEY',
          'unsigned module, enforced signatures (3.7–5.3 only)',
          'kernels ≥ 5.4 answer EKEYREJECTED',
        ),
        e('EEXIST', 'a module of that name is already loaded'),
        e('EBUSY', 'a symbol owner still in its init'),
        e('EINVAL', 'bad parameter value, or an inconsistent image'),
        e('ERANGE', 'a parameter value out of range for its type (kstrto*, 2.6.39+; linux-v26.md §4.3)'),
        e('ENOSPC', 'a string parameter too long (linux-v26.md §4.3)', NO_STRING_PARAM),
        e('ENOENT', 'unknown symbol'),
        e('EINTR', 'the init never returned (the caller was interrupted)'),
      ],
    },
    finit_module: {
      source: 'init_module(2) ERRORS (finit_module); linux-v26.md §2.2',
      passesModuleErrno: true,
      errors: [
        e('EPERM', 'no CAP_SYS_MODULE, or modules_disabled'),
        e('EINVAL', 'unknown flags, not a regular file, or a bad parameter'),
        e('ERANGE', 'a parameter value out of range for its type (kstrto*, 2.6.39+; linux-v26.md §4.3)'),
        e('ENOSPC', 'a string parameter too long (linux-v26.md §4.3)', NO_STRING_PARAM),
        e('EBADF', 'fd not open, or not open for reading'),
        e('ETXTBSY', 'the file is open for writing'),
        e('EFBIG', 'the file is larger than INT_MAX', 'the simulated file system holds no 2 GiB file'),
        e('EOPNOTSUPP', 'MODULE_INIT_COMPRESSED_FILE without in-kernel decompression'),
        e('ENOEXEC', 'not a valid ELF module'),
        e('EFAULT', 'uargs outside the address space'),
        e('EEXIST', 'a module of that name is already loaded'),
        e('ENOENT', 'unknown symbol'),
        e('EKEYREJECTED', 'signature enforced and the module unsigned'),
        e('EBADMSG', 'malformed signature trailer'),
        e('ENOMEM', 'out of memory', 'the file length is bounded by the simulated file system'),
        e('EIO', 'short read of the file', 'the simulated file system never reads short'),
        e('EBUSY', 'a symbol owner still in its init'),
        e('EINTR', 'the init never returned'),
      ],
    },
    delete_module: {
      source: 'delete_module(2) ERRORS; linux-v26.md §3.1',
      passesModuleErrno: false,
      errors: [
        e('EPERM', 'no CAP_SYS_MODULE, or modules_disabled'),
        e('EFAULT', 'name outside the address space'),
        e('ENOENT', 'no module of that name'),
        e('EWOULDBLOCK', 'other modules use it, or references remain'),
        e('EBUSY', 'not live (still in init), or has an init but no exit'),
        e('EINTR', 'its exit never returned'),
      ],
    },
    create_module: OBSOLETE_26,
    query_module: OBSOLETE_26,
    get_kernel_syms: OBSOLETE_26,
  },
  'linux-v1': {
    create_module: {
      source: 'create_module(2); MODULES(2) (1.x); linux-legacy.md §A.4, §A.5',
      errors: [
        e('EPERM', 'not the superuser, or securelevel > 0 (2.0)'),
        e('EINVAL', 'NULL name or a size of 0'),
        e('E2BIG', 'a name of 64 bytes or more'),
        e('EFAULT', 'name outside the address space (inferred: 1.x faults in the kernel)'),
        e('EEXIST', 'a module of that name exists (the empty name is the kernel)'),
        e('ENOMEM', 'no memory for the module'),
      ],
    },
    init_module: {
      source: 'init_module(2) "Linux 2.4 and earlier"; MODULES(2) (1.x); linux-legacy.md §A.6',
      errors: [
        e('EPERM', 'not the superuser, or securelevel > 0 (2.0)'),
        e('E2BIG', 'a name of 64 bytes or more'),
        e('EFAULT', 'name, routines, code or symbol table outside the address space'),
        e('ENOENT', 'no module of that name was created'),
        e('EINVAL', 'code larger than the module, an illegal symbol table or a non-module reference'),
        e('ENOMEM', 'a symbol table kmalloc cannot hold'),
        e('EBUSY', "the module's init failed"),
        e('EINTR', 'the init never returned (the simulated caller is interrupted)'),
      ],
    },
    delete_module: {
      source: 'delete_module(2); MODULES(2) (1.x); linux-legacy.md §A.7',
      errors: [
        e('EPERM', 'not the superuser, or securelevel > 0 (2.0)'),
        e('E2BIG', 'a name of 64 bytes or more'),
        e('EFAULT', 'name outside the address space (inferred)'),
        e('ENOENT', 'no module of that name'),
        e('EBUSY', 'referred to by another module, or its use count is not zero'),
        e('EINTR', 'its cleanup never returned (the simulated caller is interrupted)'),
      ],
    },
    get_kernel_syms: {
      source: 'get_kernel_syms(2); linux-legacy.md §A.8 (verify_area of the whole table)',
      errors: [e('EFAULT', 'the table is not writable for the whole count')],
    },
    query_module: {
      source: 'query_module(2): added in 2.1.18; linux-legacy.md §A.1',
      errors: [e('ENOSYS', 'the call does not exist before 2.1.18')],
    },
    finit_module: {
      source: 'finit_module(2): added in 3.8',
      errors: [e('ENOSYS', 'the call does not exist on 1.x')],
    },
  },
  'linux-v24': {
    create_module: {
      source: 'create_module(2) ERRORS; linux-legacy.md §B.3, §B.4',
      errors: [
        e('EPERM', 'no CAP_SYS_MODULE'),
        e('EFAULT', 'name outside the address space'),
        e('EINVAL', 'empty name, or size smaller than the module header'),
        e('ENAMETOOLONG', 'name fills a page'),
        e('EEXIST', 'a module of that name exists'),
        e('ENOMEM', 'size too large to allocate'),
      ],
    },
    init_module: {
      source: 'init_module(2) "Linux 2.4 and earlier" ERRORS; linux-legacy.md §B.5',
      passesModuleErrno: true,
      errors: [
        e('EPERM', 'no CAP_SYS_MODULE'),
        e('EFAULT', 'name or image outside the address space'),
        e('EINVAL', 'empty name, a struct module field out of bounds, a bad dependency'),
        e('ENAMETOOLONG', 'name fills a page'),
        e('ENOENT', 'no module of that name was created'),
        e('ENOMEM', 'no page for the name copy', PAGE_ALLOC),
        e('EBUSY', 'the init failed (2.2), or returned a positive value (2.4)'),
        e('EINTR', 'the init never returned'),
      ],
    },
    delete_module: {
      source: 'delete_module(2) ERRORS (2.4); linux-legacy.md §B.6',
      errors: [
        e('EPERM', 'no CAP_SYS_MODULE'),
        e('EFAULT', 'name outside the address space'),
        e('EINVAL', 'empty name'),
        e('ENAMETOOLONG', 'name fills a page'),
        e('ENOENT', 'no module of that name'),
        e('EBUSY', 'used by another module, or its use count is not zero'),
        e('ENOMEM', 'no page for the name copy', PAGE_ALLOC),
        e('EINTR', 'its cleanup never returned'),
      ],
    },
    query_module: {
      source: 'query_module(2) ERRORS; linux-legacy.md §B.7',
      errors: [
        e('EFAULT', 'name, buf or ret outside the address space'),
        e('EINVAL', 'unknown which, empty name, or the kernel for QM_DEPS/QM_REFS/QM_INFO'),
        e('ENAMETOOLONG', 'name fills a page'),
        e('ENOENT', 'no module of that name'),
        e('ENOSPC', 'the buffer is too small'),
        e('ENOMEM', 'no page for the name copy', PAGE_ALLOC),
      ],
    },
    get_kernel_syms: {
      source: 'get_kernel_syms(2): no errors (a faulting copy stops the count); linux-legacy.md §B.9',
      errors: [],
    },
    finit_module: {
      source: 'finit_module(2) VERSIONS: since Linux 3.8 (the table entry answers ENOSYS)',
      errors: [e('ENOSYS', 'not implemented before 3.8')],
    },
  },
  'hpux-dlkm': {
    modload: {
      source: 'modload(2) ERRORS; hpux-dlkm.md §2.1, §3.2',
      passesModuleErrno: true,
      errors: [
        e('EPERM', 'no appropriate privilege'),
        e('EFAULT', 'pathname outside the address space'),
        e('ENAMETOOLONG', 'pathname longer than MAXPATHLEN'),
        e('ENOSYS', 'the DLKM feature is not initialized'),
        e('EINVAL', 'not a loadable ELF64 object, statically configured, or an invalid dependency'),
        e('ENOREG', 'the module is not registered'),
        e('ENOENT', 'no such file along the module path'),
        e('EACCES', 'a directory of the path denies search permission'),
        e('ERELOC', 'an undefined symbol or a relocation error'),
        e('EBADVER', 'wrong wrapper revision'),
        e('EINTR', '_load() never returned'),
      ],
    },
    moduload: {
      source: 'moduload(2) ERRORS; hpux-dlkm.md §2.2, §3.3',
      passesModuleErrno: true,
      errors: [
        e('EPERM', 'no appropriate privilege'),
        e('ENOSYS', 'the DLKM feature is not initialized'),
        e('EINVAL', 'the id is not a loaded module'),
        e('EBUSY', 'in use, depended on, profiling enabled, or nothing unloadable (id 0)'),
        e('EINTR', '_unload() never returned'),
      ],
    },
    modstat: {
      source: 'modstat(2) ERRORS; hpux-dlkm.md §2.3, §3.4',
      errors: [
        e('EINVAL', 'no loaded or registered module with that id'),
        e('ENOSYS', 'the DLKM feature is not initialized'),
        e('EFAULT', 'stbuf outside the address space'),
        e('EPERM', 'no appropriate privilege (11.0/11i v1)'),
      ],
    },
    modpath: {
      source: 'modpath(2) ERRORS; hpux-dlkm.md §2.4, §3.4',
      errors: [
        e('EPERM', 'no appropriate privilege'),
        e('ENAMETOOLONG', 'pathname longer than MAXPATHLEN'),
        e('EINVAL', 'a malformed directory list'),
        e('ENOSYS', 'the DLKM feature is not initialized'),
        e('EFAULT', 'pathname outside the address space'),
      ],
    },
  },
};

/** The documented calls of a personality (empty when it has no tables yet). */
export function documentedCalls(personality: PersonalityId): DocumentedCalls {
  return DOCUMENTED_ERRNOS[personality] ?? {};
}

/**
 * Whether `errno` is documented for `call` of `personality`. `moduleErrnos` are the errnos the suite's modules'
 * own init and cleanup return, documented for calls that pass them through.
 */
export function isDocumented(
  personality: PersonalityId,
  call: string,
  errno: ErrnoName,
  moduleErrnos: readonly ErrnoName[],
): boolean {
  const c = documentedCalls(personality)[call];
  if (c === undefined) return false;
  return (
    c.errors.some((x) => x.errno === errno) || (c.passesModuleErrno === true && moduleErrnos.includes(errno))
  );
}
