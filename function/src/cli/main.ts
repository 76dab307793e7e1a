import { cli } from './scai.js';

process.exitCode = await cli(process.argv.slice(2));
