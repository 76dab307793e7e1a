// The gRPC server. Built here rather than with the SDK's serve(): that one makes client
// certificates optional, ignores TLS_SERVER_CERTS_DIR and exits 0 when the port cannot be bound;
// and its getServer() answers an oversized or too deeply nested request with a bare gRPC error
// (request-guard.ts answers with a Fatal result).
import * as grpc from '@grpc/grpc-js';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { FunctionRunner, FunctionRunnerServiceService, type FunctionHandler, type RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { pino, type Logger } from 'pino';
import { encodeRunFunctionResponse } from './grpc-codec.js';
import { GRPC_MAX_RECEIVE_BYTES, guardedDeserialize, isUnreadable, unreadableResponse, type UnreadableRequest } from './request-guard.js';

export interface ServerOptions {
  address: string;
  insecure: boolean;
  tlsServerCertsDir?: string;
  /** Run after the TLS files are checked (their errors come at once, with nothing started) and awaited before the port is bound. */
  beforeListening?: () => Promise<unknown>;
}

/** `:9443` means every interface; grpc-js wants a host. */
export function normalizeAddress(address: string): string {
  return address.startsWith(':') ? `0.0.0.0${address}` : address;
}

export async function serverCredentials(opts: ServerOptions): Promise<grpc.ServerCredentials> {
  if (opts.insecure) return grpc.ServerCredentials.createInsecure();
  const dir = opts.tlsServerCertsDir;
  if (!dir) throw new Error('TLS needs --tls-server-certs-dir or TLS_SERVER_CERTS_DIR (or --insecure for local render)');
  const read = async (f: string) => {
    try {
      return await readFile(join(dir, f));
    } catch {
      throw new Error(`cannot read ${join(dir, f)}: the TLS directory must hold tls.crt, tls.key and ca.crt`);
    }
  };
  // In order, not Promise.all: the error then names the first missing file every time, not whichever read lost a race.
  const ca = await read('ca.crt');
  const cert = await read('tls.crt');
  const key = await read('tls.key');
  // Checked here: grpc-js would start with an empty or garbage ca.crt and then refuse every client.
  try {
    new X509Certificate(ca);
  } catch (e) {
    throw new Error(`${join(dir, 'ca.crt')} holds no PEM certificate (${(e as Error).message}): clients could never be verified`, { cause: e });
  }
  try {
    createSecureContext({ cert, key });
  } catch (e) {
    throw new Error(`${join(dir, 'tls.crt')} and tls.key are not a certificate and its key (${(e as Error).message})`, { cause: e });
  }
  // Client certificates are asked for during the handshake but verified here, per call, against
  // ca.crt: OpenSSL (Node's TLS) refuses Crossplane's own client certificates as "self-signed"
  // because Crossplane gives them the same subject as its root CA (and no key identifier), so a
  // handshake-time check would refuse every call from a real Crossplane. Go's TLS accepts them.
  // Listeners are called on the next tick: grpc-js registers its watcher after adding them.
  const certs: grpc.experimental.CertificateProvider = {
    addCaCertificateListener: (l) => queueMicrotask(() => l({ caCertificate: ca })),
    removeCaCertificateListener: () => undefined,
    addIdentityCertificateListener: (l) => queueMicrotask(() => l({ certificate: cert, privateKey: key })),
    removeIdentityCertificateListener: () => undefined,
  };
  const tls = grpc.experimental.createCertificateProviderServerCredentials(certs, certs, false);
  return grpc.experimental.createServerCredentialsWithInterceptors(tls, [requireClientCertificate(new X509Certificate(ca))]);
}

/** Why a peer certificate (DER) is not a valid client certificate issued by `ca`, or undefined when it is. */
export function clientCertificateProblem(raw: Buffer | undefined, ca: X509Certificate, now = new Date()): string | undefined {
  if (!raw) return 'no client certificate';
  let c: X509Certificate;
  try {
    c = new X509Certificate(raw);
  } catch (e) {
    return `unreadable client certificate: ${(e as Error).message}`;
  }
  if (!c.verify(ca.publicKey)) return `client certificate ${c.subject.replace(/\n/g, ', ')} is not signed by ca.crt`;
  if (now < new Date(c.validFrom) || now > new Date(c.validTo)) return `client certificate is not valid now (${c.validFrom} - ${c.validTo})`;
  if (c.keyUsage && !c.keyUsage.includes('1.3.6.1.5.5.7.3.2')) return 'client certificate is not for client authentication';
  return undefined;
}

/** Refuses (UNAUTHENTICATED) every call whose TLS peer has no client certificate signed by `ca`. */
function requireClientCertificate(ca: X509Certificate): grpc.ServerInterceptor {
  return (_method, call) =>
    new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, mdNext) => {
            const why = clientCertificateProblem(call.getAuthContext().sslPeerCertificate?.raw, ca);
            if (why) call.sendStatus({ code: grpc.status.UNAUTHENTICATED, details: why });
            else mdNext(metadata);
          },
        }),
    });
}

export interface StartedServer {
  server: grpc.Server;
  port: number;
  close(): Promise<void>;
}

/** The FunctionRunner service with the guarded deserializer, the faster codec (grpc-codec.ts) and a deliberate message limit. */
export function functionServer(handler: FunctionHandler, logger: Logger): grpc.Server {
  const runner = new FunctionRunner(handler, logger);
  const server = new grpc.Server({ 'grpc.max_receive_message_length': GRPC_MAX_RECEIVE_BYTES });
  const service = {
    ...FunctionRunnerServiceService,
    runFunction: { ...FunctionRunnerServiceService.runFunction, requestDeserialize: guardedDeserialize, responseSerialize: encodeRunFunctionResponse },
  };
  server.addService(service, {
    runFunction: (call: grpc.ServerUnaryCall<RunFunctionRequest | UnreadableRequest, RunFunctionResponse>, callback: grpc.sendUnaryData<RunFunctionResponse>) => {
      const req = call.request;
      if (isUnreadable(req)) {
        logger.warn({ tag: req.tag }, req.unreadable);
        return callback(null, unreadableResponse(req));
      }
      runner.RunFunction(req, logger).then(
        (rsp) => callback(null, rsp),
        (e: unknown) => {
          logger.error({ err: e }, 'RunFunction failed');
          callback(e as Error);
        },
      );
    },
  });
  return server;
}

export async function startFunctionServer(handler: FunctionHandler, opts: ServerOptions, logger: Logger = pino({ level: 'warn' })): Promise<StartedServer> {
  const server = functionServer(handler, logger);
  const creds = await serverCredentials(opts);
  await opts.beforeListening?.();
  const address = normalizeAddress(opts.address);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, creds, (err, p) => (err ? reject(new Error(`cannot listen on ${address}: ${err.message}`)) : resolve(p))),
  );
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 5000).unref();
      }),
  };
}
