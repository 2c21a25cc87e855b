/** The web client's upload as it sends it: multipart/form-data with the file in the `video` field. */
export async function uploadVideo(
  baseUrl: string,
  token: string | null,
  postId: number,
  bytes: Uint8Array<ArrayBuffer>,
  type = 'video/webm',
  field = 'video',
) {
  const form = new FormData();
  form.append(field, new Blob([bytes], { type }), 'live.webm');
  const response = await fetch(`${baseUrl}/api/posts/live/${postId}/upload-video/`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form,
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes.
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body };
}

/** Bytes that start as a WebM file does (the EBML magic), then filler: enough for the server's type check. */
export function webmLikeBytes(size = 4096): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  bytes.set([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81]);
  for (let i = 12; i < size; i++) bytes[i] = (i * 31) & 0xff;
  return bytes;
}
