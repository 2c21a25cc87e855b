import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openHostDatabase } from '../../../src/host/db/open';
import { createRecordingService } from '../../../src/host/recording/recording-service';

/**
 * A host that records until it is killed: opens the real SQLite + recording service in `dataDir`, starts a
 * recording and feeds it `source` in `pieceBytes` pieces every `intervalMs`, printing "recording <id>" once
 * the first piece is on disk. The bench SIGKILLs it at a random moment.
 */
const [dataDir, source, pieceBytes, intervalMs] = process.argv.slice(2) as [string, string, string, string];
const database = openHostDatabase(dataDir);
const service = createRecordingService({ database, directory: join(dataDir, 'recordings') });
const bytes = readFileSync(source);
const { id } = await service.start({ mime: 'video/webm;codecs=vp9,opus', liveTitle: 'kill point' });
const size = Number(pieceBytes);
for (let seq = 0, offset = 0; offset < bytes.length; seq++, offset += size) {
  await service.chunk(id, seq, bytes.subarray(offset, offset + size));
  if (seq === 0) console.info(`recording ${id}`);
  await new Promise((done) => setTimeout(done, Number(intervalMs)));
}
console.info('source exhausted');
