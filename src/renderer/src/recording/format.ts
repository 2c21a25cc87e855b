/** 65_000 → "00:01:05": the elapsed time of a recording, always with hours so its width never jumps. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

const SIZE_FORMAT = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/** Sizes as French users read them: "1,2 Mo" (octets, not bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} o`;
  const units = ['Ko', 'Mo', 'Go', 'To'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${SIZE_FORMAT.format(value)} ${units[unit]}`;
}

/** A finished recording's duration: rounded to the nearest second (4.98 s reads "00:00:05"), not cut down. */
export function formatDuration(ms: number): string {
  return formatElapsed(Math.round(ms / 1000) * 1000);
}
