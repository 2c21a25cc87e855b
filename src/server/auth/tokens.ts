import { createHash, randomBytes } from 'node:crypto';

/** An opaque bearer token: 256 random bits. Only its sha256 is stored (see the sessions table). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Reads `Bearer <token>` or DRF's `Token <token>`; anything else is no token at all. */
export function tokenFromAuthorization(header: string | undefined): string | null {
  const match = /^(?:Bearer|Token)\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}
