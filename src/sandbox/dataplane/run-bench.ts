/** Entry point of the data-plane benchmark; prints its JSON result. */
import { benchDataPlane } from './bench-dataplane.js';

console.log(JSON.stringify(await benchDataPlane(Number(process.env.BENCH_DURATION_MS ?? 3000)), null, 2));
