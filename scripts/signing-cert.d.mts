/** The subject of the ephemeral key a Debian kernel build signs its modules with. */
export declare const SUBJECT_MARK: string;
/** Decompresses a bzImage's kernel payload (the `vmlinux` ELF image). */
export declare function decompressBzImage(vmlinuz: string): Buffer;
/** Every X.509 certificate (DER) in `image` whose subject contains `mark`. */
export declare function findCertificates(image: Buffer, mark?: string): Buffer[];
/** A DER certificate as PEM. */
export declare function toPem(der: Buffer): string;
/** The signing certificate of the kernel in `vmlinuz` as PEM, or `undefined`. */
export declare function signingCertificatePem(vmlinuz: string): string | undefined;
