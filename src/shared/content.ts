import { MESSAGE_MAX_LENGTH } from './limits';

// C0 and C1 control characters except tab and newline, which a chat message may carry (Shift+Enter).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this regex's purpose.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** The one normalisation of chat text, applied by every side before checking the length. */
export function normalizeContent(raw: string): string {
  return raw.replace(CONTROL_CHARACTERS, '').trim();
}

export type ContentProblem = 'empty' | 'too_long';

export function contentProblem(normalized: string): ContentProblem | null {
  if (normalized.length === 0) return 'empty';
  if ([...normalized].length > MESSAGE_MAX_LENGTH) return 'too_long';
  return null;
}
