// How often a client should poll a working task. Claude Code takes pollIntervalMs as given (clamped to
// 250 ms…30 s): short dispatches end within a minute and are worth a quick answer; a long one polled every second
// would only cost reads, so the interval grows with the task's age.

/** Polling steps: until `untilMs` of age, poll every `everyMs`. */
export const POLL_STEPS: readonly { untilMs: number; everyMs: number }[] = [
  { untilMs: 60_000, everyMs: 1_000 },
  { untilMs: 600_000, everyMs: 2_000 },
];

/** The interval past the last step. */
export const SLOW_POLL_MS = 5_000;

// The interval for a task `ageMs` old.
export function pollIntervalMs(ageMs: number): number {
  return POLL_STEPS.find((step) => ageMs < step.untilMs)?.everyMs ?? SLOW_POLL_MS;
}
