import { USERNAME_MAX_LENGTH } from '../../shared/limits';

/** Derived names keep to these characters; '+' is left out so that a "+n" suffix never clashes with a base. */
const DERIVED_LENGTH = 30;

/**
 * The username an account gets when its client sends none (the studio's sign-up, our older REST route): the
 * e-mail's local part, lower-cased, only [a-z0-9._-]. The backfill migration (drizzle/server/0003) derives the
 * same way, so an account's name does not depend on when it was made.
 */
export function usernameBaseFromEmail(email: string): string {
  const local = email.split('@')[0] ?? '';
  const base = local
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '')
    .slice(0, DERIVED_LENGTH);
  return base || 'user';
}

/** The n-th candidate for a derived name: the base, then base+2, base+3… (never longer than the limit). */
export function usernameCandidate(base: string, attempt: number): string {
  if (attempt <= 1) return base;
  const suffix = attempt <= 5 ? `+${attempt}` : `+${Math.floor(Math.random() * 1e9)}`;
  return `${base.slice(0, USERNAME_MAX_LENGTH - suffix.length)}${suffix}`;
}
