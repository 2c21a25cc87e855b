/**
 * A test that needs something this machine lacks fails with a message saying what to install or set: it never
 * skips silently, so a green run always means the test ran.
 */
export function requireFacility(available: unknown, whatIsMissing: string): void {
  if (!available) throw new Error(`This test needs ${whatIsMissing}.`);
}

export const PRIVATE_POSTGRES_NEEDS =
  "Debian's PostgreSQL server binaries (apt-get install postgresql) and a `postgres` OS user, to start a private cluster";
export const NGINX_NEEDS = 'nginx (apt-get install nginx; .ci/run installs it)';
export const SHARED_POSTGRES_NEEDS =
  'a real PostgreSQL server shared by two processes: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)';
