import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Links to a recording's file that a `<video>` element can open: it cannot send an Authorization header, so
 * the link carries its own proof — an HMAC of the recording id and an expiry, keyed by the server's secret.
 * With SERVER_SECRET unset, each process draws its own key (one node: fine; several nodes: set the secret,
 * docs/scaling.md).
 */
export class SignedLinks {
  readonly #key: Buffer;

  constructor(secret: string | undefined) {
    this.#key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  sign(recordingId: string, expiresAtSeconds: number): string {
    return createHmac('sha256', this.#key).update(`${recordingId}.${expiresAtSeconds}`).digest('base64url');
  }

  /** The query string of a link valid for `ttlSeconds`. */
  query(recordingId: string, ttlSeconds: number, nowMs = Date.now()): string {
    const expires = Math.floor(nowMs / 1000) + ttlSeconds;
    return `expires=${expires}&signature=${this.sign(recordingId, expires)}`;
  }

  verify(recordingId: string, expires: string | null, signature: string | null, nowMs = Date.now()): boolean {
    if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return false;
    if (Number(expires) * 1000 < nowMs) return false;
    const expected = Buffer.from(this.sign(recordingId, Number(expires)));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
