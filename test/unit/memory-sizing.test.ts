/**
 * How the function sizes itself from its memory: worker threads for rows, parts in flight for the upload.
 */
import { workersForMemory } from '../../lambda/driver';
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
  [128, 1],
  [511, 1],
  [512, 2],
  [1024, 4],
  [10240, 4],
])('a %i MB function uploads %i part(s) of 8 MiB at once', (memoryMb, expected) => {
  expect(partsInFlightForMemory(memoryMb)).toBe(expected);
});
