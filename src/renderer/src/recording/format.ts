/** 65_000 → "00:01:05": the elapsed time of a recording, always with hours so its width never jumps. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

export type ByteUnits = { b: string; kb: string; mb: string; gb: string; tb: string };

// One number formatter per language: sizes refresh several times a second while recording.
const sizeFormats = new Map<string, Intl.NumberFormat>();

/** Sizes in the reader's language and units: "1,2 Mo" in French (octets), "1.2 MB" in English. */
export function formatBytes(bytes: number, language: string, units: ByteUnits): string {
  if (bytes < 1024) return `${bytes} ${units.b}`;
  const steps = [units.kb, units.mb, units.gb, units.tb];
  let value = bytes / 1024;
  let step = 0;
  while (value >= 1024 && step < steps.length - 1) {
    value /= 1024;
    step++;
  }
  let format = sizeFormats.get(language);
  if (!format) {
    format = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
    sizeFormats.set(language, format);
  }
  return `${format.format(value)} ${steps[step]}`;
}

/** A finished recording's duration: rounded to the nearest second (4.98 s reads "00:00:05"), not cut down. */
export function formatDuration(ms: number): string {
  return formatElapsed(Math.round(ms / 1000) * 1000);
}
