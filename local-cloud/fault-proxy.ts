/**
 * A fault-injecting HTTP proxy in front of the local cloud's S3, so that tests meet S3's failures on the
 * real wire: through the SDK's retry middleware, its timeouts and its connection handling, which a mocked
 * client (aws-sdk-client-mock) skips.
 *
 * Requests are forwarded unchanged: method, path and query, every header including Host (SigV4 signs it,
 * and moto checks the signature against the Host it receives), and the body's bytes. Only `Expect` is
 * dropped, as the proxy has already answered `100 Continue` itself; S3's signer never signs it.
 * Rules pick requests by S3 operation (and optionally key and part number) and replace or disturb the
 * answer; every request seen, and the fault it got, is logged for the test to count.
 */
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import type { Socket } from 'node:net';

export type S3Operation =
  | 'PutObject' | 'CreateMultipartUpload' | 'UploadPart' | 'CompleteMultipartUpload' | 'AbortMultipartUpload' | 'ListMultipartUploads' | 'Other';

export type Fault =
  /** 503 with S3's `SlowDown` error, as S3 answers when it throttles. Not forwarded. */
  | { readonly kind: 'slowDown' }
  /** 500 with S3's `InternalError`. Not forwarded. */
  | { readonly kind: 'internalError' }
  /** Reads the request and never answers: a connection that hangs. Not forwarded. */
  | { readonly kind: 'hang' }
  /** Reads the request and resets the connection without an answer. Not forwarded. */
  | { readonly kind: 'reset' }
  /** Forwards the request (S3 acts on it), then resets the connection instead of answering: a lost answer. */
  | { readonly kind: 'dropResponse' }
  /** Forwards the request after `ms`. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Holds the request until `release()`, then forwards it: keeps an upload open while a test races it. */
  | { readonly kind: 'hold' };

export type FaultKind = Fault['kind'];

export interface FaultRule {
  readonly operation: S3Operation;
  readonly fault: Fault;
  /** How many matching requests get the fault; later ones pass through. Default: every one. */
  readonly times?: number;
  /** Only requests whose object key contains this (e.g. a request id). */
  readonly keyContains?: string;
  /** Only this part of an UploadPart. */
  readonly partNumber?: number;
}

/** One request the proxy received. */
export interface ProxiedRequest {
  /** Its place in the order of arrival, from 1. */
  readonly id: number;
  readonly operation: S3Operation;
  readonly method: string;
  readonly url: string;
  readonly key?: string;
  readonly partNumber?: number;
  /** The fault injected into it, if any. */
  readonly fault?: FaultKind;
}

export interface FaultProxy {
  /** e.g. `http://127.0.0.1:41235`: give it to the handler as `AWS_ENDPOINT_URL_S3`. */
  readonly endpoint: string;
  /** Every request received, in order of arrival. */
  readonly requests: readonly ProxiedRequest[];
  addRule(rule: FaultRule): void;
  /** Faults injected, optionally of one operation and kind. */
  injected(operation?: S3Operation, kind?: FaultKind): number;
  /** Requests received of an operation (injected or not). */
  count(operation: S3Operation): number;
  /** Resolves with the first request (already received or still to come) that matches. */
  waitForRequest(matches: (request: ProxiedRequest) => boolean, timeoutMs?: number): Promise<ProxiedRequest>;
  /** Requests held by `hold` faults and not yet released, in order of arrival. */
  held(): ProxiedRequest[];
  /** Forwards the held request with this id, or every held request. */
  release(id?: number): void;
  /** Forgets the rules and the log of requests, and releases held requests. */
  reset(): void;
  /** Stops listening and cuts every connection (hung ones included). Idempotent. */
  close(): Promise<void>;
}

interface ActiveRule extends FaultRule {
  remaining: number;
}

/** The S3 operation of a path-style request (`/<bucket>/<key>?<query>`). */
export function s3OperationOf(method: string, url: string): Pick<ProxiedRequest, 'operation' | 'key' | 'partNumber'> {
  const parsed = new URL(url, 'http://proxy.invalid');
  const query = parsed.searchParams;
  const [, , ...keyParts] = parsed.pathname.split('/');
  const key = keyParts.length > 0 && keyParts.join('/') !== '' ? decodeURIComponent(keyParts.join('/')) : undefined;
  const partNumber = query.has('partNumber') ? Number(query.get('partNumber')) : undefined;
  const operation: S3Operation = method === 'PUT' && query.has('uploadId') && partNumber !== undefined ? 'UploadPart'
    : method === 'PUT' && key !== undefined && !query.has('uploadId') ? 'PutObject'
      : method === 'POST' && query.has('uploads') ? 'CreateMultipartUpload'
        : method === 'POST' && query.has('uploadId') ? 'CompleteMultipartUpload'
          : method === 'DELETE' && query.has('uploadId') ? 'AbortMultipartUpload'
            : method === 'GET' && query.has('uploads') ? 'ListMultipartUploads'
              : 'Other';
  return { operation, key, partNumber };
}

function s3ErrorXml(code: string, message: string): string {
  const requestId = Math.random().toString(16).slice(2, 18).toUpperCase();
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>`
    + `<RequestId>${requestId}</RequestId><HostId>fault-proxy</HostId></Error>`;
}

const ERROR_ANSWERS = {
  slowDown: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
  internalError: { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' },
} as const;

// Hop-by-hop headers, and Expect (answered by this proxy already).
const NOT_FORWARDED = new Set(['expect', 'connection', 'keep-alive', 'proxy-connection']);

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** Starts a proxy on a free loopback port that forwards to `target` (the local cloud's endpoint). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const rules: ActiveRule[] = [];
  const requests: ProxiedRequest[] = [];
  const arrivals = new EventEmitter();
  let held: Array<{ request: ProxiedRequest; pass: () => void }> = [];
  const sockets = new Set<Socket>();

  const matchRule = (request: Omit<ProxiedRequest, 'fault' | 'id'>): ActiveRule | undefined => rules.find((rule) => rule.remaining > 0
    && rule.operation === request.operation
    && (rule.keyContains === undefined || (request.key ?? '').includes(rule.keyContains))
    && (rule.partNumber === undefined || rule.partNumber === request.partNumber));

  type Answer = (status: number, headers: http.OutgoingHttpHeaders, payload: Buffer) => void;
  const forward = (req: http.IncomingMessage, body: Buffer, answer: Answer, fail: (error: Error) => void) => {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!NOT_FORWARDED.has(name) && value !== undefined) headers[name] = value;
    }
    const out = http.request({
      host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent,
    }, (res) => {
      readBody(res).then((payload) => {
        const responseHeaders: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (name !== 'transfer-encoding' && !NOT_FORWARDED.has(name) && value !== undefined) responseHeaders[name] = value;
        }
        responseHeaders['content-length'] = payload.byteLength;
        answer(res.statusCode ?? 502, responseHeaders, payload);
      }, fail);
    });
    out.once('error', fail);
    out.end(body);
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const seen = { method: req.method ?? 'GET', url: req.url ?? '/', ...s3OperationOf(req.method ?? 'GET', req.url ?? '/') };
      const rule = matchRule(seen);
      if (rule) rule.remaining -= 1;
      const request: ProxiedRequest = { id: requests.length + 1, ...seen, ...(rule ? { fault: rule.fault.kind } : {}) };
      const cut = () => req.socket.resetAndDestroy();
      const answer = (status: number, headers: http.OutgoingHttpHeaders, payload: Buffer) => {
        if (!res.writableEnded && !res.destroyed) res.writeHead(status, headers).end(payload);
      };
      const passOn = () => forward(req, body, answer, () => cut());
      // Held before it is announced, so that a test waiting for it can release it at once.
      if (rule?.fault.kind === 'hold') held.push({ request, pass: passOn });
      requests.push(request);
      arrivals.emit('request', request);

      switch (rule?.fault.kind) {
        case undefined:
          return passOn();
        case 'slowDown':
        case 'internalError': {
          const error = ERROR_ANSWERS[rule.fault.kind];
          return answer(error.status, { 'content-type': 'application/xml' }, Buffer.from(s3ErrorXml(error.code, error.message)));
        }
        case 'hang':
        case 'hold':
          return undefined; // the socket stays open until released, the client gives up, or the proxy closes
        case 'reset':
          return cut();
        case 'dropResponse':
          return forward(req, body, () => cut(), () => cut());
        case 'delay':
          return void setTimeout(passOn, rule.fault.ms);
      }
    })().catch(() => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the fault proxy has no address');

  const release = (id?: number) => {
    const released = held.filter((entry) => id === undefined || entry.request.id === id);
    held = held.filter((entry) => !released.includes(entry));
    released.forEach((entry) => entry.pass());
  };
  let closed: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    requests,
    addRule: (rule) => {
      rules.push({ ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    },
    injected: (operation, kind) => requests.filter((r) => r.fault !== undefined
      && (operation === undefined || r.operation === operation) && (kind === undefined || r.fault === kind)).length,
    count: (operation) => requests.filter((r) => r.operation === operation).length,
    waitForRequest: (matches, timeoutMs = 60_000) => new Promise((resolve, reject) => {
      const found = requests.find(matches);
      if (found) return resolve(found);
      const timer = setTimeout(() => {
        arrivals.off('request', onRequest);
        reject(new Error(`no matching request reached the fault proxy within ${timeoutMs} ms; it saw ${JSON.stringify(requests.map((r) => r.operation))}`));
      }, timeoutMs);
      const onRequest = (request: ProxiedRequest) => {
        if (!matches(request)) return;
        clearTimeout(timer);
        arrivals.off('request', onRequest);
        resolve(request);
      };
      arrivals.on('request', onRequest);
    }),
    held: () => held.map((entry) => entry.request),
    release,
    reset: () => {
      rules.length = 0;
      requests.length = 0;
      release();
    },
    close: () => (closed ??= new Promise<void>((resolve) => {
      held = [];
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      agent.destroy();
    })),
  };
}
