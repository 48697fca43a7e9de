// The pure parts of a dialogue job: reading its parties from the task link's shape and its stored answer.
import { describe, expect, it } from 'vitest';
import { dialogueShape, storedDialogue } from '../../src/jobs/dialogue-job.js';

describe('dialogueShape', () => {
  it.each([
    [{ requester: 'a', responder: 'b', max_rounds: 3 }, { requester: 'a', responder: 'b', max_rounds: 3 }],
    [{ requester: 'a', responder: 'b', max_rounds: 2, max_budget_usd: 1 }, { requester: 'a', responder: 'b', max_rounds: 2 }],
    [{ requester: 'a', responder: 'b' }, undefined],
    [{ return_ref: true }, undefined],
    [{}, undefined],
  ])('reads %j as %j', (shape, expected) => {
    expect(dialogueShape(shape)).toEqual(expected);
  });
});

describe('storedDialogue', () => {
  const dialogue = { resolved: true, rounds: 1, total_cost_usd: 0, total_duration_ms: 0, final_answer: 'x', conversation: [] };
  it.each([
    ['a stored dialogue', { result: { structured: dialogue } }, dialogue],
    ['a result without one', { result: { structured: { answer: 1 } } }, undefined],
    ['no result at all', {}, undefined],
  ])('gives back %s', (_name, job, expected) => {
    expect(storedDialogue(job as never)).toEqual(expected);
  });
});
