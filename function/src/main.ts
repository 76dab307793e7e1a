// Entry point of the function image: `function-scai [--address A] [--insecure] [--tls-server-certs-dir D] [--debug]`.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { scaiHandler } from './handler.js';
import { gitSource } from './repo/source.js';
import { startFunctionServer } from './server.js';

const HELP = `Usage: function-scai [flags]

The scai composition function: analyses the claim's repository, decides a deployment strategy,
estimates its cost, enforces budget and policies, and composes an XInfrastructure.

Flags:
  --address <addr>               listen address (default 0.0.0.0:9443)
  --tls-server-certs-dir <dir>   directory with tls.crt, tls.key, ca.crt (default $TLS_SERVER_CERTS_DIR or /tls/server)
  --insecure                     plaintext gRPC, for crossplane render only
  --debug                        verbose logs
  -h, --help                     this text`;

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        address: { type: 'string', default: '0.0.0.0:9443' },
        'tls-server-certs-dir': { type: 'string' },
        insecure: { type: 'boolean', default: false },
        debug: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    process.stderr.write(`function-scai: ${(e as Error).message}\nTry 'function-scai --help'.\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const logger = pino({ level: values.debug ? 'debug' : 'info' });
  try {
    const started = await startFunctionServer(
      scaiHandler({ repos: gitSource() }),
      {
        address: values.address,
        insecure: values.insecure,
        tlsServerCertsDir: values['tls-server-certs-dir'] ?? process.env.TLS_SERVER_CERTS_DIR ?? '/tls/server',
      },
      logger,
    );
    logger.info({ port: started.port, insecure: values.insecure }, 'function-scai listening');
    const stop = () => void started.close().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return -1; // keep running
  } catch (e) {
    logger.error((e as Error).message);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  if (code >= 0) process.exit(code);
});
