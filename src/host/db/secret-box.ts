/**
 * How the host keeps session tokens at rest. In Electron the box is the OS keychain (`safeStorage`, see
 * src/main/keychain.ts), so the SQLite file holds only ciphertext. In browser mode there is no keychain: the
 * tokens are stored as they are, and the data directory is private to the user instead (0700, files 0600,
 * docs/electron.md "Secrets").
 */
export type SecretBox = {
  kind: 'keychain' | 'plain';
  seal(plain: string): string;
  open(sealed: string): string;
  /** False for a value stored before this box sealed anything: it is read as it is, then sealed again. */
  isSealed(stored: string): boolean;
};

/** Sealed values carry this prefix, so that a token saved before sealing existed is still read (and resealed). */
const SEALED = 'sealed:v1:';

export const plainSecretBox: SecretBox = {
  kind: 'plain',
  seal: (plain) => plain,
  open: (sealed) => sealed,
  isSealed: () => true,
};

/** A box from a pair of byte-level functions (safeStorage's encryptString/decryptString have this shape). */
export function byteSecretBox(
  encrypt: (plain: string) => Buffer,
  decrypt: (sealed: Buffer) => string,
): SecretBox {
  return {
    kind: 'keychain',
    seal: (plain) => `${SEALED}${encrypt(plain).toString('base64')}`,
    open: (sealed) =>
      sealed.startsWith(SEALED) ? decrypt(Buffer.from(sealed.slice(SEALED.length), 'base64')) : sealed,
    isSealed: (stored) => stored.startsWith(SEALED),
  };
}
