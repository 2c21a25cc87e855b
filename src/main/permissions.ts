import { APP_ORIGIN, isAppUrl } from './app-origin';

/** The permission handlers' inputs we look at (a subset of Electron's details objects). */
type RequestDetails = { requestingUrl?: string; mediaTypes?: string[]; securityOrigin?: string };
type CheckDetails = { requestingUrl?: string; mediaType?: string; securityOrigin?: string };

export type PermissionSessionLike = {
  setPermissionRequestHandler(
    handler: (
      webContents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: RequestDetails,
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (
      webContents: unknown,
      permission: string,
      requestingOrigin: string,
      details: CheckDetails,
    ) => boolean,
  ): void;
};

const MEDIA_KINDS = new Set(['video', 'audio']);

/**
 * Only `media` (camera, microphone) and only for our own page: the studio records the host's camera and
 * microphone, and needs nothing else (no screen capture, notifications, geolocation, MIDI, HID, USB…).
 */
export function mayUsePermission(permission: string, origin: string, mediaKinds: readonly string[]): boolean {
  if (permission !== 'media') return false;
  if (origin !== APP_ORIGIN && !isAppUrl(origin)) return false;
  return mediaKinds.every((kind) => MEDIA_KINDS.has(kind));
}

/** Electron security checklist item 5: handle permission requests (and the synchronous checks) ourselves. */
export function installPermissionHandlers(session: PermissionSessionLike): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    const origin = details.securityOrigin ?? details.requestingUrl ?? '';
    callback(mayUsePermission(permission, origin, details.mediaTypes ?? []));
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) => {
    const kinds = details.mediaType && details.mediaType !== 'unknown' ? [details.mediaType] : [];
    return mayUsePermission(permission, requestingOrigin, kinds);
  });
}
