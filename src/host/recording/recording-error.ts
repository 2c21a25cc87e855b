/** A refusal of the recording service, mapped by the router to a tRPC code (NOT_FOUND, BAD_REQUEST, CONFLICT). */
export class RecordingError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'BAD_REQUEST' | 'CONFLICT',
    message: string,
  ) {
    super(message);
    this.name = 'RecordingError';
  }
}
