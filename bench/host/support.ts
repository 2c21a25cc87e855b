import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCUntypedClient, httpBatchLink } from '@trpc/client';

/** Shared bits of the host benchmarks: percentiles, temp dirs, a plain client to the chat server. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

export function tempDir(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function chatServerClient(url: string, token?: string) {
  const client = createTRPCUntypedClient({
    links: [
      httpBatchLink({
        url: `${url}/trpc`,
        headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
      }),
    ],
  });
  return {
    query: <T>(path: string, input?: unknown) => client.query(path, input) as Promise<T>,
    mutate: <T>(path: string, input?: unknown) => client.mutation(path, input) as Promise<T>,
  };
}

export type SignedIn = { token: string; user: { id: number } };

export async function registerOnServer(url: string, email: string, password: string) {
  return chatServerClient(url).mutate<SignedIn>('auth.register', {
    email,
    password,
    first_name: 'Bench',
    last_name: 'Host',
  });
}

/** Runs `fn` when this file is the entry point (`node --import tsx bench/host/<file>.ts`). */
export function runIfMain(url: string, run: () => Promise<string>) {
  if (process.argv[1] && url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
    run()
      .then((section) => {
        console.info(section);
        process.exit(0);
      })
      .catch((error) => {
        console.error(error);
        process.exit(1);
      });
  }
}
