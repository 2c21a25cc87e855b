import { safeStorage } from 'electron';
import { byteSecretBox, plainSecretBox, type SecretBox } from '../host/db/secret-box';

/**
 * Session tokens sealed by the OS keychain (Keychain, DPAPI, libsecret/kwallet) through Electron's safeStorage.
 * Where no keychain is available (a bare Linux session without a secret service), safeStorage would use a
 * hard-coded key: we say so and keep the tokens as browser mode does, in the private data directory.
 */
export function keychainSecretBox(): SecretBox {
  if (!safeStorage.isEncryptionAvailable()) {
    console.warn('No OS keychain: session tokens are kept in the private data directory only.');
    return plainSecretBox;
  }
  return byteSecretBox(
    (plain) => safeStorage.encryptString(plain),
    (sealed) => safeStorage.decryptString(sealed),
  );
}
