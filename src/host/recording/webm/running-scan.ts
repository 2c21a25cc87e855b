import { type FileHandle, open } from 'node:fs/promises';
import { ClusterScan } from './cluster-scan';

/**
 * Keeps a recording's ClusterScan up with the bytes the chunk writer made durable, while the live runs, so that
 * finalization only reads what came after the last sync (issue 18: "Terminer" under a second for an hour).
 * Reads run one at a time, in the background; a failure only means the finalization scans the whole file, as it
 * does after a crash, so errors are kept quiet here.
 */
export class RunningScan {
  private handle: FileHandle | null = null;
  private scan: ClusterScan | null = null;
  /** False once the file turned out not to have a reserved head (an MP4, say): it is remuxed at the end. */
  private usable = true;
  private target = 0;
  private running: Promise<void> | null = null;

  constructor(private readonly file: string) {}

  /** The writer synced: the first `bytes` of the file are written for good and can be read. */
  durable(bytes: number): void {
    if (!this.usable || bytes <= this.target) return;
    this.target = bytes;
    this.running ??= this.catchUp().finally(() => {
      this.running = null;
    });
  }

  /** Resolves once the bytes made durable so far are read. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Waits for the scan to reach the last durable byte, closes the file, and hands the scan over (null: none). */
  async finish(): Promise<ClusterScan | null> {
    await this.settled();
    await this.handle?.close().catch(() => {});
    this.handle = null;
    return this.usable ? this.scan : null;
  }

  private async catchUp(): Promise<void> {
    try {
      this.handle ??= await open(this.file, 'r');
      for (let reached = -1; reached !== this.target && this.usable; ) {
        reached = this.target;
        this.scan ??= await ClusterScan.begin(this.handle, reached);
        if (!this.scan) {
          this.usable = false;
          return;
        }
        await this.scan.advance(this.handle, reached);
      }
    } catch {
      this.usable = false;
    }
  }
}
