#!/usr/bin/env node
// The `taskscope` command: the CLI is compiled to dist/ (npm run build); this file only starts it, so the package's
// `bin` needs no build step of its own and no TypeScript at run time.
import { main } from '../dist/analyzer/cli.js';

process.exitCode = await main(process.argv.slice(2));
