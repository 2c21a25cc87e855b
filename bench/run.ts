import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `npm run bench`: runs every benchmark module under bench/<area>/ that exports `run(): Promise<string>`
 * (a markdown section) and writes them, with the machine they ran on, to bench/RESULTS.md.
 * `npm run bench -- server` runs only the areas whose path contains "server".
 */
const benchDir = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2];

function benchModules(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory())
        return name === 'support' || name === '.tmp' ? [] : benchModules(path);
      return dir !== benchDir && name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}

// Sections are kept per benchmark file, so that running one area keeps the others' last results.
const resultsFile = join(benchDir, 'RESULTS.md');
const MARKER = /<!-- bench:(\S+) -->\n([\s\S]*?)<!-- \/bench -->/g;
const sections = new Map<string, string>(
  existsSync(resultsFile)
    ? [...readFileSync(resultsFile, 'utf8').matchAll(MARKER)].map((m) => [m[1]!, m[2]!])
    : [],
);
for (const file of benchModules(benchDir)) {
  const name = relative(benchDir, file);
  if (filter && !name.includes(filter)) continue;
  const module = (await import(pathToFileURL(file).href)) as { run?: () => Promise<string> };
  if (typeof module.run !== 'function') continue;
  console.info(`bench: ${name} …`);
  const started = Date.now();
  try {
    sections.set(name, await module.run());
  } catch (error) {
    sections.set(name, `## ${name}\n\nFAILED: ${(error as Error).stack ?? error}\n`);
  }
  console.info(`bench: ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const header = [
  '# Benchmark results',
  '',
  `Run on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB,`,
  `Node ${process.version}, ${process.platform}. Every figure stands beside a baseline measured in the same run.`,
  'Regenerate with `npm run bench` (or `npm run bench -- <area>` for one area).',
  '',
].join('\n');
const body = [...sections.entries()]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([name, text]) => `<!-- bench:${name} -->\n${text.trimEnd()}\n<!-- /bench -->`)
  .join('\n\n');
writeFileSync(resultsFile, `${header}\n${body}\n`);
console.info(`bench: wrote bench/RESULTS.md (${sections.size} sections)`);
// Benchmarks leave pools, sockets and embedded databases for the process to drop (each file's runIfMain exits
// the same way): the run ends here rather than waiting on handles nobody needs any more.
process.exit(0);
