import { createServer } from 'node:http';
import pg from 'pg';
import { baselineRestMessage, serveOnLoopback } from './baseline-http';

/**
 * The history baseline, the way a first version would answer it: bare node:http + pg reads every visible
 * message of the live in one query and sends `JSON.stringify` of the whole array. No auth, no validation, no
 * streaming — what it costs in time and memory is what our streamed answer is compared with.
 */
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const SQL_ALL = `select m.id, m.content, m.created_at, u.id as author_id, u.first_name, u.last_name, u.profile_picture
  from chat_messages m join users u on u.id = m.author_id
  where m.post_id = $1 and not m.hidden and not m.deleted and not m.held order by m.id`;

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const { rows } = await pool.query({
    name: 'all',
    text: SQL_ALL,
    values: [Number(url.searchParams.get('post'))],
  });
  const body = JSON.stringify(rows.map(baselineRestMessage));
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
});
serveOnLoopback(server, pool);
