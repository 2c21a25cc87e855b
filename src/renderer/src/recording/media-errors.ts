/** What went wrong with the camera or microphone, in words the host of a live can act on. */
export type MediaProblem = 'denied' | 'not-found' | 'busy' | 'unplugged' | 'unsupported' | 'host' | 'other';

export const PROBLEM_MESSAGES: Record<MediaProblem, string> = {
  denied:
    "L'accès à la caméra ou au micro est refusé. Autorisez-le dans les réglages du navigateur ou du système, puis cliquez sur Réessayer.",
  'not-found': 'Aucune caméra ou aucun micro trouvé. Branchez un appareil, puis cliquez sur Réessayer.',
  busy: 'La caméra ou le micro est déjà utilisé par une autre application. Fermez-la, puis cliquez sur Réessayer.',
  unplugged:
    "La caméra ou le micro a été débranché. L'enregistrement est arrêté ; tout ce qui a été enregistré est conservé.",
  unsupported: "Ce navigateur ne sait pas enregistrer en WebM : l'enregistrement est impossible ici.",
  host: "L'enregistrement n'a pas pu être envoyé à l'hôte : il est arrêté ; ce qui a été reçu est conservé.",
  other: "La caméra ou le micro n'a pas pu démarrer.",
};

export const PROBLEM_DESCRIPTIONS: Record<MediaProblem, string> = {
  denied:
    'Camera or microphone permission was denied. Allow it in the browser or system settings, then retry.',
  'not-found': 'No camera or microphone was found.',
  busy: 'The camera or microphone is in use by another application.',
  unplugged: 'A device was unplugged; the recording stopped and what was recorded is kept.',
  unsupported: 'This browser cannot record WebM.',
  host: 'Chunks could not reach the host; the recording stopped and what arrived is kept.',
  other: 'The camera or microphone could not start.',
};

/** Maps getUserMedia's DOMException names (https://w3c.github.io/mediacapture-main/#dom-mediadevices-getusermedia). */
export function classifyMediaError(error: unknown): MediaProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'not-found';
  if (name === 'NotReadableError' || name === 'AbortError') return 'busy';
  return 'other';
}
