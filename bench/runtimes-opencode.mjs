// Cold start of the pinned opencode CLI against its stand-in, and our runner's overhead over a raw spawn with the same
// argv, environment and stdin (median of 5, interleaved). Prints figures only; never fails on speed.
import { join } from 'node:path';
import { importTs } from '../test/support/load-ts.mjs';

const { benchRuntime, report } = await importTs(join(import.meta.dirname, '..', 'test', 'runtimes', 'bench-support.ts'));
const runs = Number(process.env.BENCH_RUNS ?? 5);
console.log(report(await benchRuntime('opencode', runs)).join('\n'));
