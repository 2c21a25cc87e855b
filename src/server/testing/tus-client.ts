import { type DetailedError, Upload } from 'tus-js-client';
import { TUS_UPLOADS_PATH } from '../../shared/recording-upload';

export type TusResult = {
  url: string | null;
  firstOffset: number | null;
  error: Error | null;
  /** The HTTP status of the refusal that stopped it, if any. */
  status: number | null;
};

/**
 * tus-js-client (the real one) sending `bytes` as a recording upload of `liveId`, with the length deferred as a
 * live recording's is. `stopAfterChunks` aborts it after that many acknowledged chunks, as a crash would;
 * `firstOffset` is the Upload-Offset of its first PATCH (where a resumed upload started sending).
 */
export function tusUpload(
  baseUrl: string,
  token: string | null,
  options: {
    liveId: number | string;
    recordingId?: string;
    bytes: Buffer;
    chunkSize?: number;
    stopAfterChunks?: number;
    uploadUrl?: string | null;
    filetype?: string;
  },
): Promise<TusResult> {
  return new Promise((resolve) => {
    let chunks = 0;
    let firstOffset: number | null = null;
    const upload: Upload = new Upload(options.bytes, {
      endpoint: `${baseUrl}${TUS_UPLOADS_PATH}`,
      uploadUrl: options.uploadUrl ?? null,
      uploadLengthDeferred: true,
      chunkSize: options.chunkSize ?? 64 * 1024,
      retryDelays: [],
      storeFingerprintForResuming: false,
      metadata: {
        live_id: String(options.liveId),
        filetype: options.filetype ?? 'video/webm',
        ...(options.recordingId ? { recording_id: options.recordingId } : {}),
      },
      headers: token ? { authorization: `Bearer ${token}` } : {},
      onBeforeRequest: (req) => {
        if (req.getMethod() === 'PATCH' && firstOffset === null)
          firstOffset = Number(req.getHeader('Upload-Offset'));
      },
      onChunkComplete: () => {
        chunks += 1;
        if (options.stopAfterChunks !== undefined && chunks >= options.stopAfterChunks) {
          void upload
            .abort()
            .then(() => resolve({ url: upload.url, firstOffset, error: null, status: null }));
        }
      },
      onSuccess: () => resolve({ url: upload.url, firstOffset, error: null, status: null }),
      onError: (error) =>
        resolve({
          url: upload.url,
          firstOffset,
          error,
          status: (error as DetailedError).originalResponse?.getStatus() ?? null,
        }),
    });
    upload.start();
  });
}
