import {
  connect,
  constants,
  createSecureServer,
  createServer,
  type ClientHttp2Session,
  type Http2SecureServer,
  type Http2Server,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type SecureServerOptions,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo } from 'node:net';

interface GrpcStatus {
  code: number;
  message: string;
}

export interface GrpcFaultProxyOptions {
  /** Listen with TLS (and with `requestCert`/`rejectUnauthorized`, mTLS) instead of plaintext h2c. */
  tls?: SecureServerOptions;
  /** Forward only calls carrying `authorization: Bearer <apiKey>`, answer the rest UNAUTHENTICATED, as Temporal Cloud does. */
  apiKey?: string;
}

const UNAUTHENTICATED = 16;

/**
 * An HTTP/2 proxy in front of a Temporal frontend that forwards every gRPC call until told to refuse
 * them, then answers each call, including the long polls already waiting, with a chosen gRPC status.
 * It stands for a cluster that starts refusing a client for good (revoked credentials, an
 * authorizer's denial) without waiting on any server-side timing. With `tls` and `apiKey` it stands
 * for a production frontend instead: TLS-terminating, checking client certificates or an API key.
 */
export class GrpcFaultProxy {
  private readonly server: Http2Server | Http2SecureServer;
  private upstream?: ClientHttp2Session;
  private refusal?: GrpcStatus;
  private readonly open = new Set<ServerHttp2Stream>();
  private readonly sessions = new Set<ServerHttp2Session>();
  /** Why TLS handshakes failed, oldest first, in OpenSSL's words (e.g. "peer did not return a certificate"). */
  readonly handshakeFailures: string[] = [];

  private constructor(
    private readonly target: string,
    private readonly options: GrpcFaultProxyOptions,
  ) {
    this.server = options.tls ? createSecureServer(options.tls) : createServer();
    this.server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => this.handle(stream, headers));
    this.server.on('tlsClientError', (error: Error) => this.handshakeFailures.push(error.message));
    this.server.on('session', (session: ServerHttp2Session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
  }

  static async start(target: string, options: GrpcFaultProxyOptions = {}): Promise<GrpcFaultProxy> {
    const proxy = new GrpcFaultProxy(target, options);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get address(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** From now on every call, new or in flight, fails with this gRPC status code (7 = PERMISSION_DENIED). */
  refuse(code: number, message: string): void {
    this.refusal = { code, message };
    for (const stream of this.open) this.answer(stream, this.refusal);
  }

  async close(): Promise<void> {
    for (const stream of this.open) stream.close(constants.NGHTTP2_CANCEL);
    this.upstream?.close();
    // The server closes only once its clients' sessions have, and a client may keep its own open.
    for (const session of this.sessions) session.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on('error', () => undefined);
    if (this.refusal) return this.answer(stream, this.refusal);
    const { apiKey } = this.options;
    if (apiKey !== undefined && headers.authorization !== `Bearer ${apiKey}`)
      return this.answer(stream, { code: UNAUTHENTICATED, message: 'missing or wrong API key' });
    this.open.add(stream);
    stream.once('close', () => this.open.delete(stream));
    const request = this.session().request(withoutPseudoHeaders(headers, [':method', ':path']));
    request.on('error', () => stream.close(constants.NGHTTP2_CANCEL));
    let trailers: OutgoingHttpHeaders = {};
    request.on('trailers', (received) => (trailers = withoutPseudoHeaders(received)));
    request.on('response', (response) => {
      if (stream.headersSent || stream.closed) return;
      // A trailers-only answer (an error status) carries grpc-status in its headers and no body.
      const trailersOnly = response['grpc-status'] !== undefined;
      stream.respond(withoutPseudoHeaders(response, [':status']), trailersOnly ? { endStream: true } : { waitForTrailers: true });
      if (!trailersOnly) {
        stream.on('wantTrailers', () => stream.sendTrailers(trailers));
        request.pipe(stream);
      }
    });
    stream.pipe(request);
  }

  private answer(stream: ServerHttp2Stream, { code, message }: GrpcStatus): void {
    if (stream.closed || stream.destroyed) return;
    if (stream.headersSent) return stream.close(constants.NGHTTP2_CANCEL);
    stream.respond(
      { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(code), 'grpc-message': message },
      { endStream: true },
    );
  }

  private session(): ClientHttp2Session {
    if (!this.upstream || this.upstream.closed || this.upstream.destroyed) {
      this.upstream = connect(`http://${this.target}`);
      this.upstream.on('error', () => undefined);
    }
    return this.upstream;
  }
}

/** Copies headers, keeping only the named pseudo-headers (the rest are set by each hop). */
function withoutPseudoHeaders(headers: IncomingHttpHeaders, keep: string[] = []): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith(':') || keep.includes(name)));
}
