/**
 * Child process for the crash test: appends deterministic records to a dataset forever and prints
 * `ack <id>` after each append is on disk (write + fdatasync). The parent SIGKILLs it at random moments.
 * Usage: node append-child.js BASE_DIR NAME
 */
import { DatasetStore, type NewRecord } from '../../src/dataset/store';

/** The record the crash test expects for a given id: some span many pages, so a kill can tear them. */
export function expectedRecord(id: number): NewRecord {
  const rows = id % 4 === 0 ? 8000 : 3 + (id % 5);
  const data: number[][] = [];
  for (let t = 0; t < rows; t++) data.push([0, 1, 2].map((a) => ((id * 31 + t * 7 + a) % 1000) / 8));
  return { kind: 'window', label: `L${id % 3}`, group: 'crash', time: id * 10, axes: ['x', 'y', 'z'], rate: 100, data };
}

async function run(): Promise<void> {
  const [base, name] = process.argv.slice(2);
  const store = await DatasetStore.open(base, name);
  process.stdout.write(`ready ${store.count}\n`);
  for (;;) {
    const [rec] = await store.append(expectedRecord(store.count + 1));
    process.stdout.write(`ack ${rec.id}\n`);
  }
}

if (require.main === module) {
  run().catch((e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  });
}
