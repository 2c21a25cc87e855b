import { contentProblem, normalizeContent } from '../../../shared/content';
import { MESSAGE_COUNTER_FROM, MESSAGE_MAX_LENGTH } from '../../../shared/limits';

export type ComposerCheck = {
  /** Characters as the server counts them (code points, after normalisation). */
  length: number;
  showCounter: boolean;
  tooLong: boolean;
  canSend: boolean;
  content: string;
};

/** The composer refuses what the server would refuse, with the same rule (src/shared/content.ts). */
export function checkDraft(draft: string): ComposerCheck {
  const content = normalizeContent(draft);
  const length = [...content].length;
  const problem = contentProblem(content);
  return {
    length,
    showCounter: length >= MESSAGE_COUNTER_FROM,
    tooLong: problem === 'too_long',
    canSend: problem === null,
    content,
  };
}

export { MESSAGE_MAX_LENGTH };
