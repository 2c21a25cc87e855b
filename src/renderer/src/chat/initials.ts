import type { Author } from '../../../shared/wire';

/** "Mariam Diallo" → "MD"; falls back to "?" for an author without a name. Counts letters, not UTF-16 units. */
export function initials(author: Pick<Author, 'first_name' | 'last_name'>): string {
  const first = [...author.first_name.trim()][0] ?? '';
  const last = [...author.last_name.trim()][0] ?? '';
  const both = `${first}${last}`.toLocaleUpperCase();
  return both || '?';
}

export function displayName(author: Pick<Author, 'first_name' | 'last_name'>): string {
  return `${author.first_name} ${author.last_name}`.trim();
}

/** A stable hue per author so that names are easy to tell apart in a busy chat. */
export function authorHue(authorId: number): number {
  return (authorId * 137) % 360;
}
