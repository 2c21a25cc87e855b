import { FileStore } from '@tus/file-store';
import { DEFAULT_RECORDING_LIMITS, type RecordingLimits } from '../domain/recordings';
import { RecordingFileStore } from './file-store';
import { SignedLinks } from './signed-links';

/** How long a `file_url` handed out at upload or listing plays without a sign-in (a `<video>` sends none). */
export const SIGNED_LINK_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Everything the server stores recordings with: the files (whole uploads), the tus uploads' store (resumable
 * ones, recordings/tus-uploads.ts), the signed links to them, the limits.
 */
export type RecordingMedia = {
  files: RecordingFileStore;
  uploads: FileStore;
  links: SignedLinks;
  limits: RecordingLimits;
};

export function createRecordingMedia(options: {
  dir: string;
  secret?: string | undefined;
  limits?: Partial<RecordingLimits> | undefined;
}): RecordingMedia {
  const files = new RecordingFileStore(options.dir);
  return {
    files,
    uploads: new FileStore({ directory: files.uploadsDir }),
    links: new SignedLinks(options.secret),
    limits: { ...DEFAULT_RECORDING_LIMITS, ...options.limits },
  };
}
