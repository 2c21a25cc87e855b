/** The part of Electron's `shell` this file uses (a fake in tests). */
export type ShellLike = { openExternal(url: string): Promise<void> };

/**
 * Opens a link in the system browser, but only an http(s) one: `shell.openExternal` with file:, smb: or a custom
 * scheme can run programs (Electron security checklist item 15). Returns whether it was opened.
 */
export function openExternalSafely(shell: ShellLike, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  void shell.openExternal(parsed.href).catch((error: unknown) => {
    console.warn(`Could not open ${parsed.href} in the system browser:`, error);
  });
  return true;
}
