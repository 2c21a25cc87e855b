import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../shared/limits';
import { refuse } from '../domain/refusal';

/** DRF's PageNumberPagination query: `page` (1-based or 'last'; anything else is 404 "Invalid page."). */
export function parsePage(raw: string | null): number | 'last' {
  if (raw === null || raw === '') return 1;
  if (raw === 'last') return 'last';
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) refuse('not_found', 'Invalid page.');
  return Number(raw);
}

/** `page_size`, clamped to MAX_PAGE_SIZE like DRF's max_page_size; junk falls back to the default, as in DRF. */
export function parsePageSize(raw: string | null): number {
  if (raw === null || !/^\d{1,9}$/.test(raw) || Number(raw) < 1) return DEFAULT_PAGE_SIZE;
  return Math.min(Number(raw), MAX_PAGE_SIZE);
}

/** A positive integer keyset hint from our own links; anything else is ignored (the page number still works). */
export function parseHint(raw: string | null): number | null {
  return raw !== null && /^\d{1,15}$/.test(raw) && Number(raw) > 0 ? Number(raw) : null;
}

export function pageLink(base: URL, params: Record<string, string | number>): string {
  const url = new URL(base.pathname, base);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, String(value));
  return url.toString();
}
