import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AnyTRPCProcedure,
  type AnyTRPCRouter,
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  type inferRouterContext,
  TRPCError,
} from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';

/**
 * tRPC over HTTP without the Fetch round trip. tRPC's standalone adapter turns every node request into a Fetch
 * `Request` and every answer into a `Response` streamed back through web streams; on a trivial query that is
 * most of the server's time (profile in bench/server/trpc-query.ts). This handler answers the requests our
 * clients send (httpLink and httpBatchLink: `GET /trpc/a?input=…`, `GET /trpc/a,b?batch=1&input={"0":…}`,
 * `POST` with a JSON body) itself, through tRPC's public pieces — `callTRPCProcedure` (the procedure's own
 * middlewares and input parsing), `getTRPCErrorShape` (our errorFormatter), `transformTRPCResponse` and
 * `getHTTPStatusCode` — so the bytes on the wire are those tRPC would send. Anything else (subscriptions over
 * SSE, jsonl streaming, other content types, method mismatches, unknown procedures, HEAD) goes to `fallback`,
 * tRPC's own adapter, untouched.
 */
export type LeanTrpcOptions<TRouter extends AnyTRPCRouter> = {
  router: TRouter;
  /** The prefix before the procedure path, with its trailing slash: `/trpc/`. */
  basePath: string;
  maxBodySize: number;
  createContext: (req: IncomingMessage) => Promise<inferRouterContext<TRouter>>;
  /** tRPC's standalone handler, for every request this one does not take. */
  fallback: (req: IncomingMessage, res: ServerResponse) => unknown;
};

type Call = { path: string; procedure: AnyTRPCProcedure; index: number };
type Outcome = { ok: true; data: unknown } | { ok: false; error: TRPCError };

const METHOD_OF_TYPE: Record<string, string> = { query: 'GET', mutation: 'POST' };

export function createLeanTrpcHandler<TRouter extends AnyTRPCRouter>(options: LeanTrpcOptions<TRouter>) {
  const { router, basePath, maxBodySize } = options;
  const config = router._def._config;
  const procedures = router._def.procedures as Record<string, AnyTRPCProcedure | undefined>;

  /** The calls of a request this handler can answer exactly as tRPC would, or null to hand it over. */
  function callsOf(req: IncomingMessage, rawPath: string, batch: boolean): Call[] | null {
    if (req.method !== 'GET' && req.method !== 'POST') return null;
    // jsonl streaming (httpBatchStreamLink) is tRPC's business.
    if (req.headers['trpc-accept'] !== undefined || req.headers.accept?.includes('application/jsonl'))
      return null;
    // tRPC picks its input parser by content type (a GET may carry one too): only JSON is ours.
    const contentType = req.headers['content-type'];
    if ((req.method === 'POST' || contentType !== undefined) && !isJson(contentType)) return null;
    if (rawPath.includes('%')) return null;
    const paths = batch ? rawPath.split(',') : [rawPath];
    const calls: Call[] = [];
    for (const [index, path] of paths.entries()) {
      const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
      if (!procedure || METHOD_OF_TYPE[procedure._def.type] !== req.method) return null;
      calls.push({ path, procedure, index });
    }
    return calls;
  }

  const serialize = (value: unknown) => config.transformer.output.serialize(value);
  const deserialize = (value: unknown) => config.transformer.input.deserialize(value);
  const noQuery = new URLSearchParams();

  /** One request's calls, context and inputs (methods rather than closures: this runs on every request). */
  class Exchange {
    private parsed: Promise<Record<number, unknown>> | undefined;
    private inputs: Record<number, unknown> | undefined;
    private ctx: inferRouterContext<TRouter> | undefined;
    private ctxError: TRPCError | undefined;
    private readonly type: 'query' | 'mutation';

    constructor(
      private readonly req: IncomingMessage,
      private readonly calls: Call[],
      private readonly batch: boolean,
      private readonly query: URLSearchParams,
    ) {
      this.type = calls[0]!.procedure._def.type as 'query' | 'mutation';
    }

    /** Inputs are read once, the first time a procedure asks (as tRPC does): a bad body is each call's error. */
    readInputs(): Promise<Record<number, unknown>> {
      this.parsed ??= readRawInputs(this.req, this.query, maxBodySize).then((raw) => {
        this.inputs = splitInputs(raw, this.batch, this.calls.length, deserialize);
        return this.inputs;
      });
      return this.parsed;
    }

    async call({ path, index }: Call): Promise<Outcome> {
      try {
        if (this.ctxError) throw this.ctxError;
        const data = await callTRPCProcedure({
          router,
          path,
          type: this.type,
          ctx: this.ctx,
          getRawInput: async () => (await this.readInputs())[index],
          signal: undefined,
          batchIndex: index,
        });
        if (isDataStream(data))
          throw new TRPCError({
            code: 'UNSUPPORTED_MEDIA_TYPE',
            message: 'Cannot use stream-like response in non-streaming request - use httpBatchStreamLink',
          });
        return { ok: true, data };
      } catch (cause) {
        return { ok: false, error: getTRPCErrorFromUnknown(cause) };
      }
    }

    shape(error: TRPCError, path: string | undefined, input: unknown) {
      return getTRPCErrorShape({ config, ctx: this.ctx, error, input, path, type: this.type });
    }

    async answer(res: ServerResponse) {
      const { req, calls } = this;
      try {
        this.ctx = await options.createContext(req);
      } catch (cause) {
        this.ctxError = getTRPCErrorFromUnknown(cause);
      }
      // One call (httpLink, or a batch of one) skips the batch bookkeeping.
      const outcomes =
        calls.length === 1
          ? [await this.call(calls[0]!)]
          : await Promise.all(calls.map((call) => this.call(call)));
      // The body is read only when a procedure takes input: drain it so the connection stays usable.
      if (!this.parsed && !req.readableEnded) req.resume();

      // Each envelope as tRPC's transformTRPCResponse writes it (the data or the error shape serialized), with
      // the status tRPC derives from the untransformed shapes (200, the error's own, or 207 when they differ).
      let status = 0;
      const envelopes: unknown[] = [];
      for (const [i, outcome] of outcomes.entries()) {
        let own = 200;
        if (outcome.ok) envelopes.push({ result: { data: serialize(outcome.data) } });
        else {
          const shape = this.shape(outcome.error, calls[i]!.path, this.inputs?.[i]);
          own = getHTTPStatusCode({ error: shape });
          envelopes.push({ error: serialize(shape) });
        }
        status = status === 0 || status === own ? own : 207;
      }
      let body: string;
      try {
        body = JSON.stringify(this.batch ? envelopes : envelopes[0]);
      } catch (cause) {
        // An output JSON cannot carry (a BigInt…): the whole response becomes that error, as in tRPC.
        const shape = this.shape(getTRPCErrorFromUnknown(cause), undefined, undefined);
        return send(res, getHTTPStatusCode({ error: shape }), JSON.stringify({ error: serialize(shape) }));
      }
      send(res, status, body);
    }
  }
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const rawPath = url.slice(basePath.length, queryAt === -1 ? undefined : queryAt);
    const query = queryAt === -1 ? noQuery : new URLSearchParams(url.slice(queryAt + 1));
    const batch = query.get('batch') === '1';
    const calls = url.startsWith(basePath) ? callsOf(req, rawPath, batch) : null;
    if (!calls) return options.fallback(req, res);
    return new Exchange(req, calls, batch, query).answer(res);
  };
}

function send(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    vary: 'trpc-accept, accept',
  });
  res.end(body);
}

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';
}

/** The undecoded input: the `input` query parameter of a GET, the JSON body of a POST. */
async function readRawInputs(req: IncomingMessage, query: URLSearchParams, maxBodySize: number) {
  try {
    if (req.method === 'GET') {
      const raw = query.get('input');
      return raw ? (JSON.parse(raw) as unknown) : undefined;
    }
    return JSON.parse(await readBody(req, maxBodySize)) as unknown;
  } catch (cause) {
    if (cause instanceof TRPCError) throw cause;
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: cause instanceof Error ? cause.message : 'Invalid input',
      cause,
    });
  }
}

function readBody(req: IncomingMessage, maxBodySize: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodySize) return void chunks.push(chunk);
      cleanup();
      // The rest is read and dropped, so the client receives the 413 instead of a reset connection.
      req.resume();
      reject(new TRPCError({ code: 'PAYLOAD_TOO_LARGE' }));
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** tRPC's shape of the inputs: index → input; a batch's input must be an object keyed by index. */
function splitInputs(
  raw: unknown,
  batch: boolean,
  count: number,
  deserialize: (value: unknown) => unknown,
): Record<number, unknown> {
  const inputs: Record<number, unknown> = Object.create(null);
  if (raw === undefined) return inputs;
  if (!batch) {
    inputs[0] = deserialize(raw);
    return inputs;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: '"input" needs to be an object when doing a batch call',
    });
  for (let index = 0; index < count; index++) {
    const input = (raw as Record<string, unknown>)[index];
    if (input !== undefined) inputs[index] = deserialize(input);
  }
  return inputs;
}

/** tRPC refuses promises and async iterables in a non-streaming answer; so do we. */
function isDataStream(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (Symbol.asyncIterator in value) return true;
  return Object.values(value).some(
    (v) => v instanceof Promise || (typeof v === 'object' && v !== null && Symbol.asyncIterator in v),
  );
}
