/**
 * Host cache benchmarks on a 100,000-message live (issue 4):
 *  - initial sync from Postgres into an empty cache, beside the raw limit measured in the same run
 *    (one pg SELECT of the same rows + a one-transaction prepared insert into SQLite);
 *  - optimistic send: chat.send → the message seen through the chat.onChange subscription, p95;
 *  - chat.list of the newest 200, p99.
 * `node --import tsx bench/host/initial-sync.ts` (uses TEST_DATABASE_URL, default the local Postgres).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pg from 'pg';
import { openHostDatabase } from '../../src/host/db/open';
import { createHost } from '../../src/host/host';
import { hostRouter } from '../../src/host/routers/index';
import { startChatServer } from '../../src/server/http';
import { createTestDatabase } from '../../src/server/testing/test-database';
import { chatServerClient, ms, percentile, registerOnServer, runIfMain, tempDir } from './support';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const SENDS = 300;
const LISTS = 2000;

/**
 * The raw limit's one SELECT, written the fastest way we know for pg: Postgres formats what the cache stores
 * (bigints as float8, the time as ISO text, so no Date per row), and rows come as arrays (no object per row).
 */
const SELECT_ROWS = `select m.id::float8, m.post_id::float8, m.client_id::text, m.content,
    to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), m.version::float8,
    m.hidden::int, m.deleted::int, m.held::int, m.author_id::float8, u.first_name, u.last_name, u.profile_picture
  from chat_messages m join users u on u.id = m.author_id where m.post_id = $1 order by m.version`;

/** The floor under any durable send: one single-row commit with synchronous=FULL on this disk, p50/p95. */
function durableCommitFloor() {
  const temp = tempDir('cc-bench-fsync-');
  const { sqlite, close } = openHostDatabase(temp.dir);
  const insert = sqlite.prepare("insert into settings (key, value) values (?, '1')");
  const samples: number[] = [];
  for (let i = 0; i < SENDS; i++) {
    const t0 = performance.now();
    insert.run(`k${i}`);
    samples.push(performance.now() - t0);
  }
  close();
  temp.remove();
  return samples;
}

/** One pg SELECT of the live's rows + one SQLite transaction of prepared inserts into the same cache table. */
async function rawBaseline(url: string, liveId: number) {
  const temp = tempDir('cc-bench-raw-');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { sqlite, close } = openHostDatabase(temp.dir);
  const insert = sqlite.prepare(
    `insert into messages (server_key, live_id, client_id, server_id, version, status, author_id, author_first_name,
       author_last_name, author_picture, content, created_at, hidden, deleted, held, sort_key)
     values ('raw', ?, ?, ?, ?, 'sent', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Timed: the SELECT and the one-transaction insert only (connecting and migrating are set-up).
  const started = performance.now();
  const { rows } = await client.query<unknown[]>({ text: SELECT_ROWS, values: [liveId], rowMode: 'array' });
  sqlite.pragma('synchronous = NORMAL');
  sqlite.transaction(() => {
    for (const [
      id,
      postId,
      clientId,
      content,
      createdAt,
      version,
      hidden,
      deleted,
      held,
      authorId,
      first,
      last,
      picture,
    ] of rows)
      insert.run(
        postId,
        clientId,
        id,
        version,
        authorId,
        first,
        last,
        picture,
        content,
        createdAt,
        hidden,
        deleted,
        held,
        id,
      );
  })();
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  close();
  temp.remove();
  return { rows: rows.length, seconds };
}

export async function run(): Promise<string> {
  process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
  const testDatabase = await createTestDatabase();
  const server = await startChatServer({
    database: testDatabase.database,
    limits: { rateViewer: 1_000_000, ratePrivileged: 1_000_000 },
  });
  const hostDir = tempDir('cc-bench-host-');
  const password = 'bench password 1';
  const email = `bench.${Date.now()}@example.test`;
  try {
    const owner = await registerOnServer(server.url, email, password);
    const asOwner = chatServerClient(server.url, owner.token);
    const live = await asOwner.mutate<{ id: number }>('lives.create', {
      title: 'Bench live',
      description: '',
    });
    await asOwner.mutate('lives.start', { postId: live.id });
    // Seed straight into Postgres: what is measured is the host's sync, not 100,000 sends.
    await testDatabase.database.query(
      `insert into chat_messages (post_id, author_id, client_id, content, created_at)
       select $1, $2, gen_random_uuid(), 'Message numéro ' || g || ' — bonjour à toutes et à tous !',
         now() - make_interval(secs => $3 - g)
       from generate_series(1, $3) g`,
      [live.id, owner.user.id, MESSAGES],
    );
    const [{ max: lastVersion }] = (await testDatabase.database.query<{ max: string }>(
      'select max(version)::text as max from chat_messages where post_id = $1',
      [live.id],
    )) as [{ max: string }];

    // Settle the fresh rows (hint bits, statistics) as a live's older rows would be: else the first reader pays.
    await testDatabase.database.query('vacuum analyze chat_messages');
    const rawBefore = await rawBaseline(testDatabase.url!, live.id);

    const host = await createHost({ dataDir: hostDir.dir, serverUrl: server.url });
    const api = hostRouter.createCaller({ host, transport: 'direct' });
    await api.account.login({ email, password });
    await api.lives.get({ liveId: live.id });
    const serverKey = host.link.target!.serverKey;
    let maxProgressTotal = 0;
    const stopProgress = host.status.listen((s) => {
      if (s.progress) maxProgressTotal = Math.max(maxProgressTotal, s.progress.total);
    });
    // The host shares Electron's main thread: how long a page keeps it busy matters as much as the rate.
    const stalls = monitorEventLoopDelay({ resolution: 5 });
    stalls.enable();
    const started = performance.now();
    host.sync.follow(live.id);
    while (host.chat.cursor(serverKey, live.id) < Number(lastVersion))
      await new Promise((r) => setTimeout(r, 5));
    const syncSeconds = (performance.now() - started) / 1000;
    stalls.disable();
    stopProgress();
    const cached = (
      host.database.sqlite.prepare('select count(*) as n from messages where live_id = ?').get(live.id) as {
        n: number;
      }
    ).n;
    if (cached !== MESSAGES) throw new Error(`cache holds ${cached} messages, expected ${MESSAGES}`);
    // The raw limit is measured again after the sync and the faster run is kept: a baseline is a best case.
    const rawAfter = await rawBaseline(testDatabase.url!, live.id);
    const raw = rawAfter.seconds < rawBefore.seconds ? rawAfter : rawBefore;

    // Optimistic send, seen through the same subscription the renderer uses.
    const changes = (await api.chat.onChange({ liveId: live.id })) as AsyncIterable<{
      messages: { client_id: string; status: string }[];
    }>;
    const iterator = changes[Symbol.asyncIterator]();
    const sendSamples: number[] = [];
    // Keep one read pending, as a subscriber does: the subscription is listening before the first send.
    let next = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 0; i < SENDS; i++) {
      const t0 = performance.now();
      const sent = await api.chat.send({ liveId: live.id, content: `optimistic ${i}` });
      for (;;) {
        const { value } = await next;
        next = iterator.next();
        if (
          value?.messages.some(
            (m: { client_id: string; status: string }) =>
              m.client_id === sent.client_id && m.status === 'pending',
          )
        )
          break;
      }
      sendSamples.push(performance.now() - t0);
    }
    await iterator.return?.();
    // Let the outbox drain so that the list measurement is not sharing the CPU with 300 pushes.
    while (host.chat.pendingCount(serverKey) > 0) await new Promise((r) => setTimeout(r, 20));
    const floorSamples = durableCommitFloor();

    const listSamples: number[] = [];
    for (let i = 0; i < LISTS; i++) {
      const t0 = performance.now();
      const page = await api.chat.list({ liveId: live.id, limit: 200 });
      listSamples.push(performance.now() - t0);
      if (page.messages.length !== 200) throw new Error('chat.list returned a short page');
    }
    await host.close();

    const rawRate = raw.rows / raw.seconds;
    const syncRate = MESSAGES / syncSeconds;
    const sendP95 = percentile(sendSamples, 95);
    const listP99 = percentile(listSamples, 99);
    return [
      '## Host: initial sync, optimistic send, chat.list (100,000-message live, Postgres 15)',
      '',
      '| measure | result | baseline / floor |',
      '|---|---|---|',
      `| initial sync of ${MESSAGES.toLocaleString('en')} messages into an empty cache | ${syncSeconds.toFixed(2)} s, **${Math.round(syncRate).toLocaleString('en')} msg/s** (progress total reported: ${maxProgressTotal.toLocaleString('en')}; event loop held up to ${ms(stalls.max / 1e6)}, p99 ${ms(stalls.percentile(99) / 1e6)}) | raw limit (1 pg SELECT + 1-transaction SQLite insert): ${raw.seconds.toFixed(2)} s, ${Math.round(rawRate).toLocaleString('en')} rows/s → ratio ${(rawRate / syncRate).toFixed(2)}× (floor: ≤ 2.5× and ≥ 30,000 msg/s) |`,
      `| optimistic send → chat.onChange, ${SENDS} sends, 100k cached | p50 ${ms(percentile(sendSamples, 50))}, **p95 ${ms(sendP95)}** | ≤ 5 ms; floor on this disk — one durable (synchronous=FULL) single-row SQLite commit: p50 ${ms(percentile(floorSamples, 50))}, p95 ${ms(percentile(floorSamples, 95))} |`,
      `| chat.list newest 200, ${LISTS} calls, 100k cached | p50 ${ms(percentile(listSamples, 50))}, **p99 ${ms(listP99)}** | < 5 ms |`,
      '',
      'Sync = `chat.pullColumns` pages of 10,000 changes over HTTP (tRPC batch link), column by column and checked',
      'with zod on arrival, the next page requested before the current one is applied, each page applied in one',
      'SQLite transaction (prepared upsert, synchronous=NORMAL for server-held rows, WAL). The server runs in the',
      'same process as the host here. Raw limit = the faster of two runs (before and after the sync) of one pg',
      'SELECT (array rows, ISO text and float8 formatted by Postgres) + one SQLite transaction of prepared inserts',
      'into the same cache table (same indexes); rows freshly seeded are vacuumed first. Sends and lists go through',
      'the hostRouter (createCaller), as the renderer’s calls do minus the transport.',
      '',
    ].join('\n');
  } finally {
    await server.close();
    await testDatabase.drop();
    hostDir.remove();
  }
}

runIfMain(import.meta.url, run);
