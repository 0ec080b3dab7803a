/**
 * How the function sizes itself from its memory: worker threads for rows, a second thread for Parquet's codec, parts
 * in flight for the upload.
 */
import { compressionThreadForMemory, workersForMemory } from '../../lambda/driver';
import { partsInFlightForMemory } from '../../lambda/object-writer';

test.each([
  [128, 2, 1],
  [1769, 2, 1],
  [3538, 2, 1], // two vCPUs: one uploads, so a single worker would gain nothing
  [5307, 8, 2],
  [10240, 8, 4], // 5.8 vCPUs: 5 full ones, one kept for the upload
  [10240, 2, 1], // never more threads than the machine has CPUs
])('a %i MB function on %i CPUs makes rows on %i thread(s)', (memoryMb, cpus, expected) => {
  expect(workersForMemory(memoryMb, cpus)).toBe(expected);
});

test.each([
  [128, 2, false], // Lambda reports two CPUs at any memory, but gives 128 MB a twelfth of one
  [1769, 2, false],
  [3537, 2, false],
  [3538, 2, true], // two full vCPUs: rows on one, the codec on the other
  [3538, 1, false], // never a thread the machine has no CPU for
  [10240, 8, true], // asked for, but rows on worker threads start none (generateObject)
])('a %i MB function on %i CPUs compresses Parquet pages on a second thread: %s', (memoryMb, cpus, expected) => {
  expect(compressionThreadForMemory(memoryMb, cpus)).toBe(expected);
});

test.each([
  [128, 1],
  [511, 1],
  [512, 2],
  [1024, 4],
  [10240, 4],
])('a %i MB function uploads %i part(s) of 8 MiB at once', (memoryMb, expected) => {
  expect(partsInFlightForMemory(memoryMb)).toBe(expected);
});
