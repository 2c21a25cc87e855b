import { sql } from 'drizzle-orm';
import type { Live } from '../shared/wire';
import { firstRow, toNumber } from './db/sql';
import type { Actor, DomainEnv } from './domain/env';
import { createLive, getLive, startLive } from './domain/lives';
import { toUser, type UserRow } from './domain/mappers';
import { addModerator } from './domain/moderation';
import { register } from './domain/users';

/** Demo accounts for `--seed-demo` (design §5). Public demo credentials: never use them on a real server. */
export const DEMO_PASSWORD = 'demo-password-2026';
export const DEMO_LIVE_TITLE = 'Atelier du soir (démo)';

const DEMO_PEOPLE = [
  {
    email: 'mariam.diallo@demo.communiconnect.test',
    first_name: 'Mariam',
    last_name: 'Diallo',
    role: 'host',
  },
  { email: 'awa.ndiaye@demo.communiconnect.test', first_name: 'Awa', last_name: 'Ndiaye', role: 'moderator' },
  {
    email: 'koffi.mensah@demo.communiconnect.test',
    first_name: 'Koffi',
    last_name: 'Mensah',
    role: 'viewer',
  },
  {
    email: 'lucie.martin@demo.communiconnect.test',
    first_name: 'Lucie',
    last_name: 'Martin',
    role: 'viewer',
  },
] as const;

export type DemoSeed = {
  people: { email: string; password: string; role: string; user: Actor }[];
  live: Live;
};

async function ensureUser(env: DomainEnv, person: (typeof DEMO_PEOPLE)[number]): Promise<Actor> {
  const existing = await firstRow<UserRow>(
    env.db,
    sql`select id, email, first_name, last_name, profile_picture from users where email = ${person.email}`,
  );
  if (existing) return toUser(existing);
  return (await register(env, { ...person, password: DEMO_PASSWORD })).user;
}

/** Idempotent: a second run finds the same accounts and the same live (started), and changes nothing else. */
export async function seedDemo(env: DomainEnv): Promise<DemoSeed> {
  const people = [];
  for (const person of DEMO_PEOPLE)
    people.push({
      email: person.email,
      password: DEMO_PASSWORD,
      role: person.role,
      user: await ensureUser(env, person),
    });
  const host = people[0]!.user;
  const found = await firstRow<{ id: unknown }>(
    env.db,
    sql`select id from posts where host_id = ${host.id} and title = ${DEMO_LIVE_TITLE} order by id limit 1`,
  );
  const postId = found
    ? toNumber(found.id)
    : (
        await createLive(env, host, {
          title: DEMO_LIVE_TITLE,
          description: 'Couture et discussion en direct.',
        })
      ).id;
  for (const person of people.filter((p) => p.role === 'moderator'))
    await addModerator(env, host, { postId, email: person.email }).catch(() => {});
  // An ended demo live stays ended (start refuses): report it as it is.
  const live = await startLive(env, host, postId).catch(() => getLive(env, host, postId));
  return { people, live };
}

export function describeDemo(seed: DemoSeed, url: string): string {
  const lines = [`Demo data (live #${seed.live.id} "${seed.live.title}", ${seed.live.status}) on ${url}:`];
  for (const person of seed.people)
    lines.push(
      `  ${person.role.padEnd(9)} ${person.user.first_name} ${person.user.last_name}  ${person.email} / ${person.password}`,
    );
  return lines.join('\n');
}
