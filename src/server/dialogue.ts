// The dialogue's answer cut to the inline size; the loop itself lives in jobs/dialogue.ts (a dialogue task runs
// it in the local worker, which must not import the server).
import type { DialogueResult } from '../jobs/dialogue.js';
import { inlineText } from '../views/dispatch-result.js';

export { runDialogue, type DialogueResult, type DialogueTurn } from '../jobs/dialogue.js';

// Keep the whole answer under `inlineBytes`: every message and the final answer get an equal share, and a cut
// one says where the rest is (its job).
export function cutDialogue(result: DialogueResult, inlineBytes: number): DialogueResult {
  const share = Math.floor(inlineBytes / (result.conversation.length + 1));
  const last = result.conversation.findLast((t) => t.message === result.final_answer);
  const finalCut = inlineText(result.final_answer, share, last?.job_id);
  return {
    ...result,
    final_answer: finalCut ?? result.final_answer,
    conversation: result.conversation.map((turn) => {
      const cut = inlineText(turn.message, share, turn.job_id);
      return cut === undefined ? turn : { ...turn, message: cut, truncated: true };
    }),
  };
}
