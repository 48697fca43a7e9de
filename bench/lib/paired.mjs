// Shared by the overhead benchmarks: a percentile, and timing two ways of doing the same thing in alternation,
// so machine noise hits both sides alike.

// The p-th percentile (0..1) of a list of numbers.
export const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

// Warm both up, then time `runs` pairs, alternating which goes first. Each function returns its own elapsed ms.
export async function measurePaired(baseline, ours, { runs, warmup }) {
  for (let i = 0; i < warmup; i += 1) {
    await baseline();
    await ours();
  }
  const base = [];
  const mine = [];
  for (let i = 0; i < runs; i += 1) {
    if (i % 2 === 0) {
      base.push(await baseline());
      mine.push(await ours());
    } else {
      mine.push(await ours());
      base.push(await baseline());
    }
  }
  return { raw: base, ours: mine, paired: percentile(mine.map((t, i) => t - base[i]), 0.5) };
}
