/**
 * Small node:http helpers shared by the fake Telegram and VK servers:
 * body parsing (JSON, urlencoded, multipart/form-data), a server wrapper that
 * listens on 127.0.0.1 with a random port and tears down every socket on stop,
 * a seedable PRNG for reproducible fault injection.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A file received in a multipart/form-data body. */
export interface UploadedFile {
  /** Multipart field name (grammY uses a random id referenced as `attach://<id>`). */
  field: string;
  /** File name given by the client (`filename=` in content-disposition). */
  fileName: string;
  contentType: string;
  size: number;
  bytes: Buffer;
}

export interface ParsedBody {
  /** Parsed parameters; JSON bodies keep their types, form fields are strings. */
  params: Record<string, unknown>;
  files: UploadedFile[];
}

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parses a request body according to its content type. Query string params are merged under body params. */
export function parseBody(contentType: string | undefined, body: Buffer, query?: URLSearchParams): ParsedBody {
  const params: Record<string, unknown> = {};
  if (query) for (const [k, v] of query) params[k] = v;
  const ct = (contentType ?? '').toLowerCase();
  if (body.length === 0) return { params, files: [] };
  if (ct.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(params, parsed);
    return { params, files: [] };
  }
  if (ct.startsWith('multipart/form-data')) {
    const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
    const boundary = m?.[1] ?? m?.[2];
    if (!boundary) throw new Error('multipart body without boundary');
    const { fields, files } = parseMultipart(body, boundary.trim());
    Object.assign(params, fields);
    return { params, files };
  }
  // application/x-www-form-urlencoded (and anything else: best effort)
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = v;
  return { params, files: [] };
}

/**
 * Lenient multipart/form-data parser. grammY writes headers without spaces and
 * an unquoted file name (`content-disposition:form-data;name="x";filename=a.jpg`),
 * form-data-encoder (vk-io) writes the usual quoted form; both are accepted.
 */
export function parseMultipart(body: Buffer, boundary: string): { fields: Record<string, string>; files: UploadedFile[] } {
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) return { fields, files };
  for (;;) {
    pos += delimiter.length;
    // "--" after the delimiter closes the body
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const next = body.indexOf(delimiter, pos);
    if (next < 0) break;
    // part content ends with CRLF before the next delimiter
    let end = next;
    if (body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
    const part = body.subarray(pos, end);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headerText = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const headers: Record<string, string> = {};
      for (const line of headerText.split('\r\n')) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const disposition = headers['content-disposition'] ?? '';
      const name = dispositionParam(disposition, 'name');
      const fileName = dispositionParam(disposition, 'filename');
      if (name !== undefined) {
        if (fileName !== undefined) {
          files.push({
            field: name,
            fileName,
            contentType: headers['content-type'] ?? 'application/octet-stream',
            size: content.length,
            bytes: Buffer.from(content),
          });
        } else {
          fields[name] = content.toString('utf8');
        }
      }
    }
    pos = next;
  }
  return { fields, files };
}

function dispositionParam(disposition: string, key: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i');
  const m = re.exec(disposition);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? '').trim();
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

/**
 * An http server on 127.0.0.1 with a random port. `stop()` runs the registered
 * closers (to release held long polls), destroys every open socket and resolves
 * when the server is closed.
 */
export class LocalServer {
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly closers = new Set<() => void>();
  private _port = 0;

  constructor(private readonly handler: RequestHandler) {}

  get port(): number {
    return this._port;
  }

  get origin(): string {
    if (!this.server) throw new Error('server not started');
    return `http://127.0.0.1:${this._port}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async start(port = 0): Promise<void> {
    if (this.server) return;
    const server = http.createServer((req, res) => {
      Promise.resolve(this.handler(req, res)).catch((err: unknown) => {
        sendJson(res, 500, { error: String(err instanceof Error ? err.stack : err) });
      });
    });
    server.keepAliveTimeout = 5_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this._port = (server.address() as AddressInfo).port;
  }

  /** Registers a function run at stop() (e.g. answer a held long poll); returns an unregister function. */
  onStop(fn: () => void): () => void {
    this.closers.add(fn);
    return () => this.closers.delete(fn);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const fn of [...this.closers]) {
      try {
        fn();
      } catch {
        /* ignore */
      }
    }
    this.closers.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }
}

/** mulberry32: a tiny seedable PRNG so fault-injection runs are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Holds a request until `release()` or the client goes away; `stop()` of the server releases too. */
export function holdUntilClosed(server: LocalServer, req: http.IncomingMessage, res: http.ServerResponse, holdMs: number, onRelease: () => void): void {
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    unregister();
    onRelease();
  };
  const timer = setTimeout(finish, holdMs);
  const unregister = server.onStop(() => {
    finish();
    res.destroy();
  });
  res.on('close', () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    unregister();
  });
  void req;
}
