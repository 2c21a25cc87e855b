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

/**
 * A DRF page `{count, next, previous, results}` over a list read by offset (lives, posts: few next to
 * messages), from the request's `page` and `page_size`; the other query parameters are kept in the links.
 */
export async function drfPage<T>(
  url: URL,
  read: (offset: number, limit: number) => Promise<{ count: number; results: T[] }>,
) {
  const size = parsePageSize(url.searchParams.get('page_size'));
  const requested = parsePage(url.searchParams.get('page'));
  const { count: total } = await read(0, 0);
  const lastPage = Math.max(1, Math.ceil(total / size));
  const page = requested === 'last' ? lastPage : requested;
  if (page > lastPage) refuse('not_found', 'Invalid page.');
  const { count, results } = await read((page - 1) * size, size);
  const link = (n: number) =>
    pageLink(url, { ...Object.fromEntries(url.searchParams), page: n, page_size: size });
  return {
    count,
    next: page < lastPage ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results,
  };
}
