import { createServer } from 'node:http';
import pg from 'pg';
import { baselineRestMessage, serveOnLoopback } from './baseline-http';

/**
 * The REST baseline: bare node:http + pg answering the messages page with the fastest SQL we know (kept count
 * from the shard rows, keyset read from either end of the partial index, both prepared), no framework, no auth,
 * no validation.
 */
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const SQL_COUNT = 'select coalesce(sum(visible), 0)::int as n from post_counters where post_id = $1';
const SQL_FIRST = `select m.id, m.content, m.created_at, u.id as author_id, u.first_name, u.last_name, u.profile_picture
  from chat_messages m join users u on u.id = m.author_id
  where m.post_id = $1 and not m.hidden and not m.deleted and not m.held order by m.id limit $2`;
const SQL_LAST = `select * from (select m.id, m.content, m.created_at, u.id as author_id, u.first_name, u.last_name,
  u.profile_picture from chat_messages m join users u on u.id = m.author_id
  where m.post_id = $1 and not m.hidden and not m.deleted and not m.held order by m.id desc limit $2) t order by id`;

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const postId = Number(url.searchParams.get('post'));
  const last = url.searchParams.get('page') === 'last';
  // Named statements: Postgres plans each once per connection (planning these small joins costs more than
  // running them), as our server's page statements do.
  const [count, page] = await Promise.all([
    pool.query({ name: 'count', text: SQL_COUNT, values: [postId] }),
    pool.query({ name: last ? 'last' : 'first', text: last ? SQL_LAST : SQL_FIRST, values: [postId, 50] }),
  ]);
  const body = JSON.stringify({
    count: count.rows[0].n,
    next: null,
    previous: null,
    results: page.rows.map(baselineRestMessage),
  });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
});
serveOnLoopback(server, pool);
