import { cli } from './scai.js';

// `scai analyze … | head`: a reader that goes away is not an error of ours (no EPIPE stack trace).
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await cli(process.argv.slice(2));
